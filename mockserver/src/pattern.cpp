// Request patterns built in code: value matchers, the builder methods and the one-line
// description. Parsing is in pattern_parse.cpp, matching in pattern_evaluate.cpp.
#include "matrix/mock/pattern.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "ascii_case.hpp"
#include "mapping_json.hpp"
#include "pattern_paths.hpp"
#include "pattern_regex.hpp"

namespace matrix::mock {

using detail::quote;

// --- ValueMatcher ----------------------------------------------------------------------------

bool ValueMatcher::test(const std::optional<std::string>& actual) const {
    switch (kind) {
        case Kind::equal_to:
            return actual && *actual == value;
        case Kind::matches:
            return actual && regex && detail::regex_full_match(*regex, *actual);
        case Kind::absent:
            return !actual;
    }
    return false;
}

std::string ValueMatcher::describe() const {
    switch (kind) {
        case Kind::equal_to:
            return "equalTo " + quote(value);
        case Kind::matches:
            return "matches " + quote(value);
        case Kind::absent:
            return "absent";
    }
    return "?";
}

ValueMatcher equal_to(std::string value) {
    ValueMatcher matcher;
    matcher.kind = ValueMatcher::Kind::equal_to;
    matcher.value = std::move(value);
    return matcher;
}

ValueMatcher matching(std::string regex) {
    ValueMatcher matcher;
    matcher.kind = ValueMatcher::Kind::matches;
    matcher.regex = detail::compile_regex(regex, "matches");
    matcher.value = std::move(regex);
    return matcher;
}

ValueMatcher absent() {
    ValueMatcher matcher;
    matcher.kind = ValueMatcher::Kind::absent;
    return matcher;
}

BodyPattern equal_to_json(Json json, bool ignore_extra_elements) {
    BodyPattern pattern;
    pattern.kind = BodyPattern::Kind::equal_to_json;
    pattern.json = std::move(json);
    pattern.ignore_extra_elements = ignore_extra_elements;
    return pattern;
}

// --- RequestPattern ---------------------------------------------------------------------------

RequestPattern RequestPattern::for_endpoint(std::string_view endpoint) {
    RequestPattern pattern;
    pattern.url_kind_ = UrlKind::endpoint;
    pattern.url_ = std::string(endpoint);
    detail::load_endpoint(endpoint, "endpoint", pattern.endpoint_methods_,
                          pattern.endpoint_templates_);
    return pattern;
}

RequestPattern RequestPattern::for_path(std::string_view method, std::string_view url_path) {
    RequestPattern pattern;
    pattern.with_method(method);
    pattern.url_kind_ = UrlKind::url_path;
    pattern.url_ = std::string(url_path);
    return pattern;
}

RequestPattern& RequestPattern::with_method(std::string_view method) {
    std::string upper = detail::to_upper(method);
    if (upper.empty() || upper == "ANY") {
        method_.reset();
    } else {
        method_ = std::move(upper);
    }
    return *this;
}

RequestPattern& RequestPattern::with_query(std::string_view name, ValueMatcher matcher) {
    query_.emplace_back(std::string(name), std::move(matcher));
    return *this;
}

RequestPattern& RequestPattern::with_header(std::string_view name, ValueMatcher matcher) {
    headers_.emplace_back(std::string(name), std::move(matcher));
    return *this;
}

RequestPattern& RequestPattern::with_body(BodyPattern pattern) {
    body_.push_back(std::move(pattern));
    return *this;
}

std::string RequestPattern::describe() const {
    std::string out;
    if (method_) {
        out = *method_;
    } else if (url_kind_ == UrlKind::endpoint) {
        for (const std::string& method : endpoint_methods_) {
            if (out.find(method) == std::string::npos) out += (out.empty() ? "" : "|") + method;
        }
    } else {
        out = "ANY";
    }
    switch (url_kind_) {
        case UrlKind::any:
            out += " any URL";
            break;
        case UrlKind::url:
            out += " url " + url_;
            break;
        case UrlKind::url_path:
            out += " urlPath " + url_;
            break;
        case UrlKind::url_path_pattern:
            out += " urlPathPattern " + url_;
            break;
        case UrlKind::url_path_template:
            out += " urlPathTemplate " + url_;
            break;
        case UrlKind::endpoint:
            out += " endpoint " + url_;
            break;
    }
    std::string conditions;
    const auto add = [&conditions](const std::string& condition) {
        conditions += (conditions.empty() ? " with " : ", ") + condition;
    };
    for (const auto& [name, matcher] : query_) add("query " + name + " " + matcher.describe());
    for (const auto& [name, matcher] : headers_) add("header " + name + " " + matcher.describe());
    for (const BodyPattern& pattern : body_) {
        if (pattern.kind == BodyPattern::Kind::equal_to_json) {
            add(std::string("body equalToJson") +
                (pattern.ignore_extra_elements ? " (extra members ignored)" : ""));
        } else {
            add("body matchesJsonPath " + pattern.json_path +
                (pattern.at_path ? " " + pattern.at_path->describe() : ""));
        }
    }
    return out + conditions;
}

}  // namespace matrix::mock
