// Response bodies as RapidJSON DOMs, parsed with Json::parse's limits, and type names.
#pragma once

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>

#include <string>
#include <string_view>

#include "json_number.hpp"
#include "json_writer.hpp"

namespace matrix::detail {

enum class NestingLimit { json_parse, caller_checks };

// Parses `text` into `document` through the number filter `Numbers` (TypedNumbers, or
// json_text_dom.hpp's NumberTexts), which reads each number from its text and stops the parse
// (too_large()) at one beyond the largest double. Nesting is bounded to kMaxNestingDepth unless
// the caller bounds it itself. Empty on success; otherwise why not.
template <template <typename> class Numbers>
std::string parse_dom_with(std::string_view text, rapidjson::Document& document,
                           NestingLimit limit) {
    constexpr unsigned kFlags = kStrictParseFlags | rapidjson::kParseNumbersAsStringsFlag;
    rapidjson::ParseResult result;
    bool too_deep = false;
    bool too_large = false;
    // Populate() runs the SAX parse through the filters and adopts the value on success.
    auto generate = [&](rapidjson::Document& handler) {
        rapidjson::Reader reader;
        rapidjson::MemoryStream stream(text.data(), text.size());
        Numbers<rapidjson::Document> numbers(handler);
        if (limit == NestingLimit::json_parse) {
            DepthLimiter<Numbers<rapidjson::Document>> limiter(numbers);
            result = reader.Parse<kFlags>(stream, limiter);
            too_deep = limiter.too_deep();
        } else {
            result = reader.Parse<kFlags>(stream, numbers);
        }
        too_large = numbers.too_large();
        return !result.IsError();
    };
    document.Populate(generate);
    if (too_deep) {
        return "objects and arrays nest deeper than " + std::to_string(kMaxNestingDepth) +
               " levels at byte " + std::to_string(result.Offset());
    }
    if (too_large || result.Code() == rapidjson::kParseErrorNumberTooBig) {
        return "a number too large for a double at byte " + std::to_string(result.Offset());
    }
    if (!result.IsError()) return {};
    std::string reason = rapidjson::GetParseError_En(result.Code());
    if (!reason.empty() && reason.back() == '.') reason.pop_back();
    return reason + " at byte " + std::to_string(result.Offset());
}

// Empty when `text` parsed into `document`; otherwise why not, e.g. "Invalid value at byte 0".
// Numbers are read correctly rounded (json_number.hpp), not by RapidJSON's own conversion.
inline std::string parse_dom(std::string_view text, rapidjson::Document& document) {
    return parse_dom_with<TypedNumbers>(text, document, NestingLimit::json_parse);
}

inline const char* type_name(const rapidjson::Value& value) {
    switch (value.GetType()) {
        case rapidjson::kNullType:
            return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType:
            return "boolean";
        case rapidjson::kObjectType:
            return "object";
        case rapidjson::kArrayType:
            return "array";
        case rapidjson::kStringType:
            return "string";
        case rapidjson::kNumberType:
            return "number";
    }
    return "value";
}

inline std::string string_of(const rapidjson::Value& value) {
    return {value.GetString(), value.GetStringLength()};
}

// The member `name` of an object, or nullptr.
inline const rapidjson::Value* find_member(const rapidjson::Value& object, std::string_view name) {
    const auto member =
        object.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
    return member == object.MemberEnd() ? nullptr : &member->value;
}

}  // namespace matrix::detail
