// Escaping text for XML documents.
#include "matrix/mock/xml_escape.hpp"

#include "matrix/utf8.hpp"
#include "valid_utf8.hpp"

namespace matrix::mock {

std::string xml_escape(std::string_view text) {
    std::string valid;
    if (!is_valid_utf8(text)) {
        valid = detail::replace_invalid_utf8(text);
        text = valid;
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&apos;";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') {
                    out += '?';
                } else if (c == '\xEF' && i + 2 < text.size() && text[i + 1] == '\xBF' &&
                           (text[i + 2] == '\xBE' || text[i + 2] == '\xBF')) {
                    // U+FFFE and U+FFFF are no XML characters either.
                    out += '?';
                    i += 2;
                } else {
                    out += c;
                }
        }
    }
    return out;
}

}  // namespace matrix::mock
