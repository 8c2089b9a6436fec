// RapidJSON writer plumbing shared by the SDK's sources; kept out of public headers.
#pragma once

#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "sax_forwarder.hpp"

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

// Appends `text` as a JSON string literal: '"' and '\\' escaped, control characters as \n, \t
// or \u00XX, every other byte as it is. The bytes are not checked for UTF-8 (JsonWriter does
// that, and refuses): this is for text that was checked on arrival, such as a request's decoded
// path segments or a parsed body's strings, written into replies built piece by piece.
inline void append_json_string(std::string& out, std::string_view text) {
    out.reserve(out.size() + text.size() + 2);
    StringOutput output{&out};
    rapidjson::Writer<StringOutput> writer(output);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

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
class DepthLimiter : public SaxForwarder<Handler> {
  public:
    explicit DepthLimiter(Handler& next) : SaxForwarder<Handler>(next) {}

    bool too_deep() const noexcept { return too_deep_; }

    bool StartObject() { return enter() && this->next_.StartObject(); }
    bool EndObject(rapidjson::SizeType count) {
        --depth_;
        return this->next_.EndObject(count);
    }
    bool StartArray() { return enter() && this->next_.StartArray(); }
    bool EndArray(rapidjson::SizeType count) {
        --depth_;
        return this->next_.EndArray(count);
    }

  private:
    bool enter() {
        if (++depth_ <= kMaxNestingDepth) return true;
        too_deep_ = true;
        return false;
    }

    int depth_ = 0;
    bool too_deep_ = false;
};

}  // namespace matrix::detail
