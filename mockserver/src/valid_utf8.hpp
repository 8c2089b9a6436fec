// Text made well-formed UTF-8 for the formats that require it: JSON strings, XML.
#pragma once

#include <string>
#include <string_view>

namespace matrix::mock::detail {

// Every byte that is not part of a well-formed sequence becomes U+FFFD, so the text can always
// be written; callers that must not lose bytes keep a copy alongside (a base64 field).
std::string replace_invalid_utf8(std::string_view text);

}  // namespace matrix::mock::detail
