// The base of the SDK's RapidJSON SAX filters: every event passed on to the next handler as it
// is. A filter derives from it and hides the few events it changes; RapidJSON calls handlers
// through templates, not virtual functions, so the derived class's member is the one called.
#pragma once

#include <rapidjson/reader.h>

#include <cstdint>

namespace matrix::detail {

template <typename Handler>
class SaxForwarder {
  public:
    explicit SaxForwarder(Handler& next) : next_(next) {}

    bool Null() { return next_.Null(); }
    bool Bool(bool b) { return next_.Bool(b); }
    bool Int(int i) { return next_.Int(i); }
    bool Uint(unsigned u) { return next_.Uint(u); }
    bool Int64(std::int64_t i) { return next_.Int64(i); }
    bool Uint64(std::uint64_t u) { return next_.Uint64(u); }
    bool Double(double d) { return next_.Double(d); }
    bool RawNumber(const char* str, rapidjson::SizeType length, bool copy) {
        return next_.RawNumber(str, length, copy);
    }
    bool String(const char* str, rapidjson::SizeType length, bool copy) {
        return next_.String(str, length, copy);
    }
    bool Key(const char* str, rapidjson::SizeType length, bool copy) {
        return next_.Key(str, length, copy);
    }
    bool StartObject() { return next_.StartObject(); }
    bool EndObject(rapidjson::SizeType count) { return next_.EndObject(count); }
    bool StartArray() { return next_.StartArray(); }
    bool EndArray(rapidjson::SizeType count) { return next_.EndArray(count); }

  protected:
    Handler& next_;
};

}  // namespace matrix::detail
