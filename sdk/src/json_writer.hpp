// RapidJSON writer plumbing shared by the SDK's sources; kept out of public headers.
#pragma once

#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <string>

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

bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace matrix::detail
