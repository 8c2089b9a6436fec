// Spelling a JSON path: `.name` for identifiers, `['...']` for any other member name.
#include "json_path_stack.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace matrix::sync::detail {
namespace {

bool is_identifier(std::string_view key) {
    if (key.empty()) return false;
    for (std::size_t i = 0; i < key.size(); ++i) {
        const char c = key[i];
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!letter && !(digit && i > 0)) return false;
    }
    return true;
}

}  // namespace

std::string PathStack::spell() const {
    std::string path = "$";
    for (std::size_t i = 0; i < std::min(size_, kCapacity); ++i) {
        const PathStep& step = steps_[i];
        if (step.is_index) {
            path += '[';
            path += std::to_string(step.index);
            path += ']';
        } else if (is_identifier(step.key)) {
            path += '.';
            path += step.key;
        } else {
            path += "['";
            for (const char c : step.key) {
                if (c == '\'' || c == '\\') path += '\\';
                path += c;
            }
            path += "']";
        }
    }
    return path;
}

}  // namespace matrix::sync::detail
