// Fuzzes the JSON body writer (matrix::Json): whatever it writes parses back to an equal value,
// and its compact text is a fixed point of parse-then-write.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "matrix/error.hpp"
#include "matrix/json.hpp"

namespace {

using matrix::Json;
using matrix::fuzz::check;

// The writer's output must always be accepted by the parser and mean the same value, numbers
// included: Json::parse keeps each number's text, so nothing is rounded on the way.
void check_round_trip(const Json& value) {
    const Json again = Json::parse(value.text());
    check(again.kind() == value.kind(), "parsing the written text changed the kind");
    check(again.text() == value.text(), "compact text is not a fixed point of parse");
    check(again == value, "parsing the written text gave an unequal value");
}

std::optional<Json> parsed(std::string_view text) {
    try {
        return Json::parse(text);
    } catch (const matrix::InvalidArgument&) {
        return std::nullopt;  // refusing is fine; only crashes and wrong output are findings
    }
}

std::optional<Json> string_of(std::string_view text) {
    try {
        return Json::string(text);
    } catch (const matrix::InvalidArgument&) {
        return std::nullopt;  // invalid UTF-8
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = matrix::fuzz::as_text(data, size);

    // The whole input as JSON text.
    const std::optional<Json> value = parsed(input);
    if (value) check_round_trip(*value);

    // The whole input as a string value: escapes, control characters, every UTF-8 length.
    const std::optional<Json> text = string_of(input);
    if (text) {
        check_round_trip(*text);
        check(text->kind() == Json::Kind::string, "Json::string is not a string");
    }

    // Built values: the input split into a member name and a string value, nested in an
    // object and an array beside whatever the input parsed to.
    const std::size_t half = input.size() / 2;
    const std::optional<Json> key = string_of(input.substr(0, half));
    const std::optional<Json> member = string_of(input.substr(half));
    if (key && member) {
        const std::string name(input.substr(0, half));
        const Json object = Json::object({{name, *member}});
        check_round_trip(object);
        const Json nested = Json::object({{"outer", object}, {"n", Json::number(-1)}});
        check_round_trip(nested);
        const Json replaced = nested.with_member("outer", Json::null());
        check_round_trip(replaced);
        check(!(replaced == nested), "with_member did not replace the member");
        std::vector<Json> items{object, *member, Json::boolean(true)};
        // Json::array can nest one deeper than Json::parse's documented limit of 512 accepts;
        // only values with room to spare go in.
        if (value && parsed("[" + value->text() + "]")) items.push_back(*value);
        check_round_trip(Json::array(items));
        if (value && value->is_object()) check_round_trip(value->with_member(name, *member));
    }
    return 0;
}
