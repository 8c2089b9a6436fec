// JSON numbers by their text: what a number's text denotes, read without RapidJSON's number
// conversion (not correctly rounded: a double could move by a few ULPs on each parse/write round
// trip, and its full-precision mode has undefined behaviour on input like "0e308").
//
// The parses that use these pass rapidjson::kParseNumbersAsStringsFlag, so RapidJSON only checks
// each number against the grammar (and refuses exponents beyond 308, "Number too big") and hands
// over its text through RawNumber().
#pragma once

#include <rapidjson/reader.h>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "sax_forwarder.hpp"

namespace matrix::detail {

// The digits of a number's text (grammar-checked JSON number) without its sign, fraction point
// and exponent, and where they sit: the value is digits * 10^(exponent - fraction_digits).
struct NumberParts {
    bool negative = false;
    std::string_view integer;   // at least one digit
    std::string_view fraction;  // maybe empty
    bool exponent_negative = false;
    std::string_view exponent;  // digits, maybe empty
};

inline NumberParts number_parts(std::string_view text) {
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

// The exact decimal value of a number's text in one spelling, so that two numbers are equal
// exactly when their spellings are: 1, 1.0, 1.00, 1e0 and 10e-1 all give "1e0"; every zero
// (0, -0, 0.0e5) gives "0". No rounding to double: 0.1 and 0.10000000000000001 differ.
// Exponents of more than 18 significant digits (a value below 1e-999999999999999999; larger
// ones are refused by the parser) are kept as written, so such a value only equals its own
// spelling up to leading and trailing zeros of its digits.
inline std::string canonical_number(std::string_view text) {
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

// The double nearest to a number's text (correctly rounded, std::from_chars), ±0 when it is
// too small for a double, or nullopt when its magnitude is beyond the largest double.
inline std::optional<double> nearest_double(std::string_view text) {
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

// Whether a number's text denotes an integer that fits std::int64_t or std::uint64_t, and which.
inline bool read_integer(std::string_view text, std::int64_t& signed_value,
                         std::uint64_t& unsigned_value, bool& is_signed) {
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

// Hands `text` to `handler` as Int64 or Uint64 when it denotes an integer that fits one, putting
// the handler's answer in `accepted`; false, and the handler not called, otherwise.
template <typename Handler>
bool forward_integer(std::string_view text, Handler& handler, bool& accepted) {
    std::int64_t signed_value = 0;
    std::uint64_t unsigned_value = 0;
    bool is_signed = false;
    if (!read_integer(text, signed_value, unsigned_value, is_signed)) return false;
    accepted = is_signed ? handler.Int64(signed_value) : handler.Uint64(unsigned_value);
    return true;
}

// Forwards SAX events to `next` (a rapidjson::Document, say), turning each RawNumber into the
// typed number RapidJSON itself would give, but correctly rounded: Int64 or Uint64 for integers
// that fit, otherwise Double. A number beyond the largest double stops the parse (too_large()).
template <typename Handler>
class TypedNumbers : public SaxForwarder<Handler> {
  public:
    explicit TypedNumbers(Handler& next) : SaxForwarder<Handler>(next) {}

    bool too_large() const noexcept { return too_large_; }

    bool RawNumber(const char* str, rapidjson::SizeType length, bool) {
        const std::string_view text(str, length);
        bool accepted = false;
        if (forward_integer(text, this->next_, accepted)) return accepted;
        const std::optional<double> value = nearest_double(text);
        if (!value) {
            too_large_ = true;
            return false;
        }
        return this->next_.Double(*value);
    }

  private:
    bool too_large_ = false;
};

}  // namespace matrix::detail
