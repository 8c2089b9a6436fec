// Where two JSON values first differ, named by a path: the one deep comparison behind Json's ==,
// the mock server's equalToJson, the conformance comparator and the spec validator, so that all
// of them agree on what "equal" means and report a difference the same way.
#pragma once

#include <optional>
#include <string>

#include "matrix/json.hpp"

namespace matrix {

struct JsonDifference {
    // Where, as a JSONPath (the subset matchesJsonPath reads): "$" is the whole value, ".name" a
    // member whose name is letters, digits and '_', ["name"] any other member (the name in JSON
    // string syntax), [2] an array element. E.g. $.content["m.relates_to"].event_id, $.tags[0].
    std::string path;
    // What each side holds there: a scalar as JSON text (3, "3", true, null; a number as
    // written), a container by kind ("an object", "an array of 2 elements"), or "(absent)" for a
    // member only one side has.
    std::string expected;
    std::string actual;
};

struct JsonDiffOptions {
    // Members of `actual` that `expected` does not name are allowed (equalToJson's
    // ignoreExtraElements); elsewhere both sides must have the same members.
    bool ignore_extra_members = false;
};

// The first difference in document order (`expected`'s member order, then array index), or
// nullopt when the values are equal: object member order does not matter; numbers are equal
// when they denote the same decimal value (1 == 1.0 == 1e0, -0 == 0, but
// 0.1 != 0.10000000000000001 and integers beyond 2^53 compare by every digit); strings, booleans
// and null by value. Never recurses, so values nested deeper than Json::parse allows are fine.
std::optional<JsonDifference> first_difference(const Json& expected, const Json& actual,
                                               JsonDiffOptions options = {});

// One line for messages: "at $.limit: expected 3, got \"3\"".
std::string to_string(const JsonDifference& difference);

}  // namespace matrix
