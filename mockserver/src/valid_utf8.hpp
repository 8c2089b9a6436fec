// Text made well-formed UTF-8 for the formats that require it: JSON strings, XML.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "matrix/utf8.hpp"

namespace matrix::mock::detail {

// Every byte that is not part of a well-formed sequence becomes U+FFFD, so the text can always
// be written; callers that must not lose bytes keep a copy alongside (a base64 field).
std::string replace_invalid_utf8(std::string_view text);

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes `text` as a JSON string, replaced as above where it is not well-formed: texts come
// from clients (targets, headers, body member names quoted in violations) or from journal
// files, and RapidJSON's writer copies bytes as they are.
inline void write_string(JsonWriter& writer, std::string_view text) {
    if (is_valid_utf8(text)) {
        writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    } else {
        const std::string valid = replace_invalid_utf8(text);
        writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
    }
}

}  // namespace matrix::mock::detail
