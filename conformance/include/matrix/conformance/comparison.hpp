// The one comparator of an expected request with a wire request, for both conformance levels.
#pragma once

#include <string>
#include <vector>

#include "matrix/conformance/vector.hpp"
#include "matrix/request.hpp"

namespace matrix::conformance {

struct Mismatch {
    // "method", "path", "header Authorization", "body", per query name `query "since"` (or
    // "query" for a query that does not decode), or for a JSON body where it first differs:
    // "body $.content.msgtype" (a JSONPath, as matrix::JsonDifference names it).
    std::string field;
    std::string expected;
    std::string actual;
};

// Compares per the vector format: method and path byte for byte, query as a multiset of
// decoded pairs (reported per name: missing, extra, or values that differ), listed headers exactly
// (and Authorization absent unless listed), body as JSON (key order ignored, numbers by value; the
// first difference reported with its path) or raw bytes. Empty when the request conforms.
std::vector<Mismatch> compare(const ExpectedRequest& expected, const WireRequest& actual);

// Shows bytes on one line: printable ASCII as is, everything else escaped, in quotes.
std::string show_bytes(std::string_view bytes);

}  // namespace matrix::conformance
