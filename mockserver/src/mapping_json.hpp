// Reading mapping JSON (WireMock's format) with RapidJSON: typed access with key-path errors.
//
// The DOMs hold numbers as the SDK's json_text_dom.hpp does: an integer within 64 bits as a
// typed number, any other number as its text in a marked string, so that a jsonBody, an
// equalToJson body and a mapping's source give back every number as written. Strings are read
// with is_text_string(), never IsString(), which a marked number would pass.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "json_text_dom.hpp"
#include "matrix/error.hpp"
#include "matrix/json.hpp"
#include "matrix/mock/pattern.hpp"

namespace matrix::mock::detail {

using matrix::detail::is_text_string;

inline std::string_view view_of(const rapidjson::Value& string) {
    return {string.GetString(), string.GetStringLength()};
}

// "request" + "urlPath" -> "request.urlPath"; an empty prefix names a top-level key.
inline std::string join_key(std::string_view prefix, std::string_view key) {
    if (prefix.empty()) return std::string(key);
    std::string out(prefix);
    out += '.';
    out += key;
    return out;
}

inline std::string index_key(std::string_view prefix, std::size_t index) {
    return std::string(prefix) + "[" + std::to_string(index) + "]";
}

// Parses outside text. Json::parse first, because it validates UTF-8, bounds the nesting depth
// (so the recursive DOM walks that follow cannot overflow the stack) and words its refusals as
// mapping errors have always been worded; then the DOM, numbers kept as written.
inline rapidjson::Document parse_document(std::string_view text, const std::string& key) {
    Json json;
    try {
        json = Json::parse(text, key);
    } catch (const InvalidArgument& e) {
        // Drop the SDK's "argument 'KEY' " lead-in; MappingError names the key its own way.
        std::string reason = e.what();
        const std::string lead = "argument '" + key + "' ";
        if (reason.starts_with(lead)) reason.erase(0, lead.size());
        throw MappingError(key, reason);
    }
    rapidjson::Document document;
    // The text has just passed Json::parse's own checks, so this parse cannot fail.
    matrix::detail::parse_text_dom(json.text(), document);
    return document;
}

// The value as compact JSON text, every number as written.
inline std::string compact_text(const rapidjson::Value& value) {
    return matrix::detail::compact_text_of(value);
}

// Refuses members not in `known` (naming each by its full key path) and repeated names, which
// RapidJSON would otherwise keep silently with the first one winning.
inline void check_members(const rapidjson::Value& object, std::string_view prefix,
                          std::initializer_list<std::string_view> known) {
    for (auto member = object.MemberBegin(); member != object.MemberEnd(); ++member) {
        const std::string_view name = view_of(member->name);
        bool is_known = false;
        for (const std::string_view candidate : known) is_known = is_known || candidate == name;
        if (!is_known) {
            std::string expected;
            for (const std::string_view candidate : known) {
                if (!expected.empty()) expected += ", ";
                expected += candidate;
            }
            throw MappingError(join_key(prefix, name),
                               "is not a known key (expected one of: " + expected + ")");
        }
        for (auto earlier = object.MemberBegin(); earlier != member; ++earlier) {
            if (view_of(earlier->name) == name)
                throw MappingError(join_key(prefix, name), "is given twice");
        }
    }
}

inline const rapidjson::Value* find_member(const rapidjson::Value& object, std::string_view name) {
    const auto found =
        object.FindMember(rapidjson::Value(rapidjson::StringRef(name.data(), name.size())));
    return found == object.MemberEnd() ? nullptr : &found->value;
}

inline void expect_object(const rapidjson::Value& value, const std::string& key) {
    if (!value.IsObject()) throw MappingError(key, "must be an object");
}

inline void expect_array(const rapidjson::Value& value, const std::string& key) {
    if (!value.IsArray()) throw MappingError(key, "must be an array");
}

inline std::string expect_string(const rapidjson::Value& value, const std::string& key) {
    if (!is_text_string(value)) throw MappingError(key, "must be a string");
    return std::string(view_of(value));
}

inline bool expect_bool(const rapidjson::Value& value, const std::string& key) {
    if (!value.IsBool()) throw MappingError(key, "must be true or false");
    return value.GetBool();
}

// Text for reports: JSON string syntax (quotes, escapes) so that control characters and
// invalid UTF-8 in request bytes cannot garble a message; long values are cut.
inline std::string quote(std::string_view value, std::size_t limit = 200) {
    bool cut = false;
    if (value.size() > limit) {
        std::size_t end = limit;
        // Back off to a UTF-8 character boundary.
        while (end > 0 && (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80) --end;
        value = value.substr(0, end);
        cut = true;
    }
    std::string out;
    try {
        out = Json::string(value).text();
    } catch (const InvalidArgument&) {
        static constexpr char kHex[] = "0123456789abcdef";
        out = "\"";
        for (const char c : value) {
            const auto byte = static_cast<unsigned char>(c);
            if (byte >= 0x80 || byte < 0x20 || byte == 0x7F) {
                out += "\\x";
                out += kHex[byte >> 4];
                out += kHex[byte & 0x0F];
            } else {
                if (c == '"' || c == '\\') out += '\\';
                out += c;
            }
        }
        out += '"';
    }
    if (cut) out.insert(out.size() - 1, "\xE2\x80\xA6");  // an ellipsis inside the quotes
    return out;
}

}  // namespace matrix::mock::detail
