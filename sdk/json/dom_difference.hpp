// The walk behind matrix::first_difference, on DOMs that keep numbers as written
// (json_text_dom.hpp), for code that already holds such a DOM.
#pragma once

#include <rapidjson/document.h>

#include <optional>

#include "matrix/json_difference.hpp"

namespace matrix::detail {

std::optional<JsonDifference> first_dom_difference(const rapidjson::Value& expected,
                                                   const rapidjson::Value& actual,
                                                   JsonDiffOptions options);

}  // namespace matrix::detail
