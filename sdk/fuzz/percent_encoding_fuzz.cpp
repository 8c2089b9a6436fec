// Fuzzes percent encoding: encode-then-decode gives the bytes back, and decoding arbitrary
// bytes agrees with a plain reference decoder written here from RFC 3986. Then the request
// encoders built on it: a seed form encoded by its compile-time specialised encoder must give
// the bytes (or the refusal) that the general encoder gives for a copy of its declaration.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "matrix/encoded_request.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/error.hpp"
#include "matrix/json.hpp"
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

// What encode() gives: the bytes, or the refusal's message.
std::string outcome_of_encode(const matrix::EndpointSpec& spec,
                              const std::vector<matrix::ArgValue>& args) {
    try {
        return std::string(matrix::encode(spec, args).bytes());
    } catch (const matrix::InvalidArgument& refused) {
        return std::string("refused: ") + refused.what();
    }
}

// The first input byte picks a seed form; the rest is cut into one piece per string parameter
// (path segments, query values, headers, body fields, the base URL and token alike). Other
// parameters get fixed valid values; optional ones are given when the form byte's top bit is.
void check_specialised_encoder(std::string_view input) {
    if (input.empty()) return;
    const auto forms = matrix::seed_endpoints();
    const auto selector = static_cast<unsigned char>(input[0]);
    const matrix::EndpointSpec& seed = forms[selector % forms.size()];
    const bool give_optional = (selector & 0x80) != 0;
    input.remove_prefix(1);

    static const matrix::Json object = matrix::Json::parse(R"({"k":"v"})");
    static const matrix::Json array = matrix::Json::string_array({"@a:b"});
    std::size_t strings = 0;
    for (const matrix::ParamSpec& param : seed.params) {
        strings += param.type == matrix::ParamType::string ? 1 : 0;
    }
    const std::size_t piece = strings == 0 ? 0 : input.size() / strings;
    std::vector<matrix::ArgValue> args;
    for (const matrix::ParamSpec& param : seed.params) {
        if (!param.required && !give_optional) {
            args.emplace_back(std::monostate{});
            continue;
        }
        switch (param.type) {
            case matrix::ParamType::string: {
                // The last string takes what is left over.
                const bool last = --strings == 0;
                args.emplace_back(last ? input : input.substr(0, piece));
                input.remove_prefix(last ? input.size() : piece);
                break;
            }
            case matrix::ParamType::integer:
                args.emplace_back(std::int64_t{42});
                break;
            case matrix::ParamType::boolean:
                args.emplace_back(true);
                break;
            case matrix::ParamType::json_object:
            case matrix::ParamType::json_value:  // seed forms have none; any JSON would do
                args.emplace_back(matrix::JsonArg{&object});
                break;
            case matrix::ParamType::json_array:
                args.emplace_back(matrix::JsonArg{&array});
                break;
            case matrix::ParamType::bytes:
                args.emplace_back(matrix::BytesArg{"raw"});
                break;
        }
    }
    const matrix::EndpointSpec copy = seed;  // not a seed declaration: the general encoder
    check(outcome_of_encode(seed, args) == outcome_of_encode(copy, args),
          "the specialised encoder and the general one disagree");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = matrix::fuzz::as_text(data, size);
    check_encoding_of(input);
    check_specialised_encoder(input);

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
