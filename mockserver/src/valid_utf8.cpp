// Replacing the bytes of malformed UTF-8 sequences with U+FFFD.
#include "valid_utf8.hpp"

#include "matrix/utf8.hpp"

namespace matrix::mock::detail {

std::string replace_invalid_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            out += "\xEF\xBF\xBD";
            ++i;
        } else {
            out.append(text.substr(i, length));
            i += length;
        }
    }
    return out;
}

}  // namespace matrix::mock::detail
