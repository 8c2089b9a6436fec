// Strict UTF-8 (RFC 3629, Unicode table 3-7), shared by the builders and the mock server.
#pragma once

#include <cstddef>
#include <string_view>

namespace matrix {

// The length of the well-formed UTF-8 sequence starting at `text[i]` (1 for ASCII), or 0 when
// none starts there: no overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) noexcept;

// True when `text` is well-formed UTF-8. A NUL byte is valid UTF-8.
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace matrix
