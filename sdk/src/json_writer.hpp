// RapidJSON writer plumbing shared by the SDK's sources; kept out of public headers.
#pragma once

#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "utf8.hpp"

namespace matrix::detail {

// Lets a RapidJSON Writer append straight into a std::string, with no intermediate buffer.
struct StringOutput {
    using Ch = char;
    std::string* out;
    void Put(char c) { out->push_back(c); }
    void Flush() {}
};

// Refuses invalid UTF-8 in strings it writes: String() returns false instead of writing it.
using JsonWriter =
    rapidjson::Writer<StringOutput, rapidjson::UTF8<>, rapidjson::UTF8<>, rapidjson::CrtAllocator,
                      rapidjson::kWriteValidateEncodingFlag>;

// Iterative so that deeply nested input cannot overflow the stack; validates UTF-8.
constexpr unsigned kStrictParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

// Parsing is iterative, but RapidJSON's DOM compares, copies and writes values recursively, so
// a value nested 100000 deep parses fine and then overflows the stack in operator==,
// Json::with_member or the by-name builder. Bounding the depth at every parse of outside text
// keeps those walks shallow; real Matrix JSON nests a few levels.
constexpr int kMaxNestingDepth = 512;

// Forwards SAX events to `next`, stopping the parse once objects and arrays nest deeper than
// kMaxNestingDepth.
template <typename Handler>
class DepthLimiter {
  public:
    explicit DepthLimiter(Handler& next) : next_(next) {}

    bool too_deep() const noexcept { return too_deep_; }

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
    bool StartObject() { return enter() && next_.StartObject(); }
    bool EndObject(rapidjson::SizeType count) {
        --depth_;
        return next_.EndObject(count);
    }
    bool StartArray() { return enter() && next_.StartArray(); }
    bool EndArray(rapidjson::SizeType count) {
        --depth_;
        return next_.EndArray(count);
    }

  private:
    bool enter() {
        if (++depth_ <= kMaxNestingDepth) return true;
        too_deep_ = true;
        return false;
    }

    Handler& next_;
    int depth_ = 0;
    bool too_deep_ = false;
};

}  // namespace matrix::detail
