// first_difference on Json values: both read into DOMs that keep numbers as written.
#include "matrix/json_difference.hpp"

#include <rapidjson/document.h>

#include "dom_difference.hpp"
#include "json_text_dom.hpp"

namespace matrix {

std::optional<JsonDifference> first_difference(const Json& expected, const Json& actual,
                                               JsonDiffOptions options) {
    // Json text is valid and every number in it fits a double, so these parses cannot fail;
    // the walk is iterative, so composed values nested beyond the parse limit are read whole.
    rapidjson::Document expected_dom;
    rapidjson::Document actual_dom;
    detail::parse_text_dom(expected.text(), expected_dom, detail::NestingLimit::caller_checks);
    detail::parse_text_dom(actual.text(), actual_dom, detail::NestingLimit::caller_checks);
    return detail::first_dom_difference(expected_dom, actual_dom, options);
}

std::string to_string(const JsonDifference& difference) {
    return "at " + difference.path + ": expected " + difference.expected + ", got " +
           difference.actual;
}

}  // namespace matrix
