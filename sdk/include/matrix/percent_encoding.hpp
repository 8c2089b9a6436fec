// RFC 3986 percent-encoding as the conformance vectors specify it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace matrix {

// True for the unreserved characters A-Z a-z 0-9 - . _ ~, the only ones left as they are.
constexpr bool is_unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

// Appends `value` with every byte outside the unreserved set written as %XX (upper-case hex).
// Used for path segments and query names and values alike; a space becomes %20, never '+'.
void append_percent_encoded(std::string& out, std::string_view value);

std::string percent_encode(std::string_view value);

enum class PlusMeans { plus, space };

// Decodes %XX escapes (either hex case). Returns nullopt for a malformed escape ('%' not
// followed by two hex digits). With PlusMeans::space, as in a query, '+' decodes to a space.
std::optional<std::string> percent_decode(std::string_view value, PlusMeans plus = PlusMeans::plus);

}  // namespace matrix
