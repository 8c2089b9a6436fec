// The number policy's text arithmetic (json_number.hpp).
#include "json_number.hpp"

#include <charconv>
#include <system_error>

namespace matrix::detail {

NumberParts number_parts(std::string_view text) {
    NumberParts parts;
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        return text.substr(start, i - start);
    };
    if (i < text.size() && text[i] == '-') {
        parts.negative = true;
        ++i;
    }
    parts.integer = digits();
    if (i < text.size() && text[i] == '.') {
        ++i;
        parts.fraction = digits();
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
            parts.exponent_negative = text[i] == '-';
            ++i;
        }
        parts.exponent = digits();
    }
    return parts;
}

std::string canonical_number(std::string_view text) {
    const NumberParts parts = number_parts(text);
    std::string digits;
    digits.reserve(parts.integer.size() + parts.fraction.size());
    digits.append(parts.integer);
    digits.append(parts.fraction);
    const std::size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) return "0";
    const std::size_t last = digits.find_last_not_of('0');
    // value = significant digits * 10^(exponent - fraction digits + trailing zeros)
    const auto shift = static_cast<std::int64_t>(digits.size() - 1 - last) -
                       static_cast<std::int64_t>(parts.fraction.size());
    std::string out = parts.negative ? "-" : "";
    out.append(digits, first, last - first + 1);
    out.push_back('e');
    std::string_view exponent = parts.exponent;
    while (exponent.size() > 1 && exponent.front() == '0') exponent.remove_prefix(1);
    if (exponent.size() > 18) {
        out += parts.exponent_negative ? "-" : "+";
        out.append(exponent);
        out += (shift < 0 ? "" : "+") + std::to_string(shift);
        return out;
    }
    std::int64_t value = 0;
    for (const char c : exponent) value = value * 10 + (c - '0');
    if (parts.exponent_negative) value = -value;
    out += std::to_string(value + shift);
    return out;
}

std::optional<double> nearest_double(std::string_view text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    (void)end;
    if (error == std::errc()) return value;
    // Out of range: too large when the value is at least 1 (from_chars only gives up beyond
    // about 1.8e308 or below about 2.5e-324).
    const NumberParts parts = number_parts(text);
    const std::string canonical = canonical_number(text);
    const std::size_t e = canonical.find('e');
    const std::size_t significant = e - (parts.negative ? 1 : 0);
    const std::string_view exponent = std::string_view(canonical).substr(e + 1);
    const bool exponent_negative = !exponent.empty() && exponent.front() == '-';
    if (exponent_negative) {
        // Huge negative exponents are far below any double; only short ones need arithmetic.
        std::int64_t magnitude = 0;
        if (exponent.size() <= 19) {
            std::from_chars(exponent.data(), exponent.data() + exponent.size(), magnitude);
            magnitude += static_cast<std::int64_t>(significant);
        } else {
            magnitude = -1;
        }
        if (magnitude <= 0) return parts.negative ? -0.0 : 0.0;
    }
    return std::nullopt;
}

bool read_integer(std::string_view text, std::int64_t& signed_value, std::uint64_t& unsigned_value,
                  bool& is_signed) {
    if (text.find_first_of(".eE") != std::string_view::npos) return false;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    if (std::from_chars(first, last, signed_value).ec == std::errc()) {
        is_signed = true;
        return true;
    }
    if (text.front() != '-' && std::from_chars(first, last, unsigned_value).ec == std::errc()) {
        is_signed = false;
        return true;
    }
    return false;
}

bool number_fits_double(std::string_view text) { return nearest_double(text).has_value(); }

bool same_number(std::string_view a, std::string_view b) {
    return a == b || canonical_number(a) == canonical_number(b);
}

}  // namespace matrix::detail
