// RFC 3986 percent-encoding and decoding.
#include "matrix/percent_encoding.hpp"

#include "wire_text.hpp"

namespace matrix {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

}  // namespace

void append_percent_encoded(std::string& out, std::string_view value) {
    detail::StringAppender(out).append_percent_encoded(value);
}

std::string percent_encode(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    append_percent_encoded(out, value);
    return out;
}

std::optional<std::string> percent_decode(std::string_view value, PlusMeans plus) {
    std::string out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == '%') {
            if (i + 2 >= value.size()) return std::nullopt;  // needs two more characters
            const int high = hex_value(value[i + 1]);
            const int low = hex_value(value[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out.push_back(static_cast<char>((high << 4) | low));
            i += 2;
        } else if (c == '+' && plus == PlusMeans::space) {
            out.push_back(' ');
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace matrix
