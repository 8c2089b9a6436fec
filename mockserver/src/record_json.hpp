// Rewriting a JSON value in place for the recorder: parse to a DOM (numbers kept as written),
// let a step change it, write it back compact.
#pragma once

#include <rapidjson/document.h>

#include <utility>

#include "json_text_dom.hpp"
#include "matrix/json.hpp"

namespace matrix::mock::detail {

// `change(value, allocator)` edits the DOM of `json`; the result is the edited value.
template <typename Change>
Json rewritten(const Json& json, Change&& change) {
    rapidjson::Document document;
    // Json's text has passed Json::parse, so this parse cannot fail.
    matrix::detail::parse_text_dom(json.text(), document);
    std::forward<Change>(change)(static_cast<rapidjson::Value&>(document), document.GetAllocator());
    return Json::from_trusted_text(matrix::detail::compact_text_of(document), json.kind());
}

}  // namespace matrix::mock::detail
