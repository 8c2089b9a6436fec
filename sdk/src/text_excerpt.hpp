// A short, printable excerpt of a response body for error messages.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace matrix::detail {

// At most `limit` bytes of `body`, control bytes escaped (so a body cannot forge log lines),
// with "..." when cut.
inline std::string excerpt(std::string_view body, std::size_t limit = 120) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::size_t end = body.size() <= limit ? body.size() : limit;
    // Cut before a UTF-8 continuation byte, not through a character.
    while (end < body.size() && end > 0 && (static_cast<unsigned char>(body[end]) & 0xC0) == 0x80)
        --end;
    std::string out;
    for (std::size_t i = 0; i < end; ++i) {
        const auto byte = static_cast<unsigned char>(body[i]);
        if (byte == '\n') {
            out += "\\n";
        } else if (byte == '\r') {
            out += "\\r";
        } else if (byte < 0x20 || byte == 0x7F) {
            out += "\\x";
            out.push_back(kHex[byte >> 4]);
            out.push_back(kHex[byte & 0xF]);
        } else {
            out.push_back(static_cast<char>(byte));
        }
    }
    if (end < body.size()) out += "...";
    return out;
}

}  // namespace matrix::detail
