// One pass over an argument's bytes for what the builders check: well-formed UTF-8, and the CR,
// LF and NUL bytes that would break an HTTP header.
#pragma once

#include <string_view>

#include "matrix/utf8.hpp"

namespace matrix::detail {

struct TextFacts {
    bool valid_utf8 = true;         // see matrix::is_valid_utf8
    bool has_cr_lf_or_nul = false;  // looked for only when asked: it costs as much again
};

enum class LookForHeaderBreaks { no, yes };

TextFacts check_text(std::string_view text, LookForHeaderBreaks look) noexcept;

}  // namespace matrix::detail
