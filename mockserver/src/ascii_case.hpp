// ASCII upper-casing for HTTP methods, which patterns compare case-insensitively.
#pragma once

#include <string>
#include <string_view>

namespace matrix::mock::detail {

inline std::string to_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

}  // namespace matrix::mock::detail
