// Fuzzes percent encoding: encode-then-decode gives the bytes back, and decoding arbitrary
// bytes agrees with a plain reference decoder written here from RFC 3986.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_support.hpp"
#include "matrix/percent_encoding.hpp"

namespace {

using matrix::fuzz::check;

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

bool is_upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

// Deliberately the obvious loop, so a fast path in the real decoder has something to agree with.
std::optional<std::string> reference_decode(std::string_view text, matrix::PlusMeans plus) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%') {
            if (i + 2 >= text.size()) return std::nullopt;  // fewer than two bytes follow
            const int high = hex_value(text[i + 1]);
            const int low = hex_value(text[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            out.push_back(static_cast<char>(high * 16 + low));
            i += 2;
        } else if (text[i] == '+' && plus == matrix::PlusMeans::space) {
            out.push_back(' ');
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

void check_encoding_of(std::string_view value) {
    const std::string encoded = matrix::percent_encode(value);
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        if (encoded[i] == '%') {
            check(i + 2 < encoded.size(), "percent_encode wrote a truncated escape");
            check(is_upper_hex(encoded[i + 1]) && is_upper_hex(encoded[i + 2]),
                  "percent_encode wrote an escape that is not two upper-case hex digits");
            i += 2;
        } else {
            check(matrix::is_unreserved(encoded[i]), "percent_encode left a reserved byte as is");
        }
    }
    for (const auto plus : {matrix::PlusMeans::plus, matrix::PlusMeans::space}) {
        const std::optional<std::string> decoded = matrix::percent_decode(encoded, plus);
        check(decoded.has_value(), "percent_decode refused what percent_encode wrote");
        check(*decoded == value, "percent_decode(percent_encode(x)) != x");
    }

    // Appending must keep what is already in the buffer.
    std::string appended = "prefix/";
    matrix::append_percent_encoded(appended, value);
    check(appended == "prefix/" + encoded, "append_percent_encoded differs from percent_encode");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = matrix::fuzz::as_text(data, size);
    check_encoding_of(input);

    for (const auto plus : {matrix::PlusMeans::plus, matrix::PlusMeans::space}) {
        const std::optional<std::string> decoded = matrix::percent_decode(input, plus);
        const std::optional<std::string> expected = reference_decode(input, plus);
        check(decoded.has_value() == expected.has_value(),
              "percent_decode and the reference disagree on whether the input is malformed");
        if (decoded) {
            check(*decoded == *expected, "percent_decode and the reference decode differently");
            check(decoded->size() <= input.size(), "decoding made the text longer");
            check_encoding_of(*decoded);
        }
    }
    return 0;
}
