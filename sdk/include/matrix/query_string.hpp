// Reading a request's query string back into decoded parameters: the one parser the mock
// server's journal, the conformance comparator and the spec validator share, so that all three
// agree on what a client sent.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/request.hpp"

namespace matrix {

struct ParsedQuery {
    // Every pair that decodes, in the order sent; repeated names are kept as repeated pairs.
    std::vector<QueryParam> params;
    // The first pair, as sent, whose name or value holds a malformed %-escape. Such pairs are
    // left out of `params` rather than guessed at, so a reader that needs every pair checks this.
    std::optional<std::string> first_malformed;

    bool decodes() const noexcept { return !first_malformed.has_value(); }
};

// Decodes `raw_query` (the bytes after '?', without it) as HTML forms and servers read it:
// pairs are separated by '&', and empty pairs ("a=1&&b=2", a trailing '&') carry nothing; a
// pair's name ends at its first '=' (a pair without one has an empty value); names and values
// are percent-decoded with '+' read as a space. Never throws: bad input shows in
// `first_malformed`.
ParsedQuery parse_query(std::string_view raw_query);

}  // namespace matrix
