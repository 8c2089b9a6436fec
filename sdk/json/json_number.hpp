// The one number policy of the SDK's JSON layer (how numbers are accepted, compared and
// written: see "The policy" below), and the RapidJSON filters that apply it. Numbers are read
// by their text, without RapidJSON's number conversion (not correctly rounded: a double could
// move by a few ULPs on each parse/write round trip, and its full-precision mode has undefined
// behaviour on input like "0e308").
//
// The parses that use these pass rapidjson::kParseNumbersAsStringsFlag, so RapidJSON only checks
// each number against the grammar (and refuses exponents beyond 308, "Number too big") and hands
// over its text through RawNumber().
#pragma once

#include <rapidjson/reader.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

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

NumberParts number_parts(std::string_view text);

// The exact decimal value of a number's text in one spelling, so that two numbers are equal
// exactly when their spellings are: 1, 1.0, 1.00, 1e0 and 10e-1 all give "1e0"; every zero
// (0, -0, 0.0e5) gives "0". No rounding to double: 0.1 and 0.10000000000000001 differ.
// Exponents of more than 18 significant digits (a value below 1e-999999999999999999; larger
// ones are refused by the parser) are kept as written, so such a value only equals its own
// spelling up to leading and trailing zeros of its digits.
std::string canonical_number(std::string_view text);

// The double nearest to a number's text (correctly rounded, std::from_chars), ±0 when it is
// too small for a double, or nullopt when its magnitude is beyond the largest double.
std::optional<double> nearest_double(std::string_view text);

// Whether a number's text denotes an integer that fits std::int64_t or std::uint64_t, and which.
bool read_integer(std::string_view text, std::int64_t& signed_value, std::uint64_t& unsigned_value,
                  bool& is_signed);

// --- The policy ---------------------------------------------------------------------------
// Every parse of outside JSON accepts a number when it fits a double (so any reader can take it
// as one) and refuses it otherwise; Json::parse, the text DOMs and the typed DOMs all ask this.
bool number_fits_double(std::string_view text);

// Two numbers are the same when they denote the same decimal value: 1 == 1.0 == 1e0, -0 == 0,
// 0.1 != 0.10000000000000001, and integers beyond 2^53 (or 64 bits) by every digit. Json's ==,
// equalToJson, the comparator and the validator all compare numbers through this.
bool same_number(std::string_view a, std::string_view b);

// A number is written back exactly as it was read (1.50, 1E2 and -0 keep their spelling), so
// that replaying or echoing JSON never changes a number; integers within 64 bits may be held
// typed (their decimal text is the same), every other number as its text.

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
