// Matching a journaled request against a RequestPattern, one step per kind of predicate, and
// describing the first predicate that failed.
#include <rapidjson/document.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ascii_case.hpp"
#include "json_path.hpp"
#include "mapping_json.hpp"
#include "matrix/json_difference.hpp"
#include "matrix/mock/pattern.hpp"
#include "pattern_paths.hpp"
#include "pattern_regex.hpp"

namespace matrix::mock {
namespace detail {

// Counts the predicates of one evaluation. When describing, every predicate is evaluated, so
// near-miss ranking can count how many passed; only the first failure is described (its text
// built only then). Otherwise the first failure ends the evaluation.
class PredicateTally {
  public:
    explicit PredicateTally(bool describe) : describe_(describe) {}

    template <typename DescribeFailure>
    void check(bool passed, const DescribeFailure& describe_failure) {
        ++result_.predicates_total;
        if (passed) {
            ++result_.predicates_passed;
            return;
        }
        failed_ = true;
        if (describe_ && result_.first_failure.empty()) result_.first_failure = describe_failure();
    }

    // Whether the evaluation can stop: a predicate failed and nothing is to be described.
    bool give_up() const { return failed_ && !describe_; }

    MatchResult finish() {
        result_.matched = result_.predicates_passed == result_.predicates_total;
        return result_;
    }

  private:
    bool describe_;
    bool failed_ = false;
    MatchResult result_;
};

}  // namespace detail

namespace {

using detail::is_text_string;
using detail::PredicateTally;
using detail::quote;
using detail::view_of;

std::string values_text(const std::vector<std::string_view>& values) {
    if (values.empty()) return "none";
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i == 5) return out + ", ... (" + std::to_string(values.size()) + " values)";
        if (i > 0) out += ", ";
        out += quote(values[i]);
    }
    return out;
}

// Passes when some value satisfies the matcher; `absent` passes when there is no value.
bool some_value_passes(const ValueMatcher& matcher, const std::vector<std::string_view>& values) {
    if (values.empty()) return matcher.test(std::nullopt);
    return std::ranges::any_of(
        values, [&](std::string_view value) { return matcher.test(std::string(value)); });
}

std::string value_failure(const std::string& key, const ValueMatcher& matcher,
                          const std::vector<std::string_view>& values) {
    std::string out = key + ": expected " + matcher.describe() + ", got " + values_text(values);
    if (matcher.kind == ValueMatcher::Kind::matches &&
        std::ranges::any_of(values, [](auto v) { return v.size() > detail::kMaxRegexSubject; })) {
        out += " (values over " + std::to_string(detail::kMaxRegexSubject) +
               " bytes are never tested against a regex)";
    }
    return out;
}

// A DOM of text that Json::parse has already checked, numbers kept as written.
rapidjson::Document parse_trusted(const std::string& compact) {
    rapidjson::Document document;
    matrix::detail::parse_text_dom(compact, document);
    return document;
}

// The request body, parsed once and only when a body pattern needs it; its DOM only when a
// matchesJsonPath pattern does.
class BodyReader {
  public:
    explicit BodyReader(std::string_view body) : body_(body) {}

    // The parsed body, or nullptr with problem() saying why it is not JSON.
    const Json* json() {
        if (json_ || !problem_.empty()) return json_ ? &*json_ : nullptr;
        if (body_.empty()) {
            problem_ = "the body is empty, not JSON";
            return nullptr;
        }
        try {
            json_.emplace(Json::parse(body_, "body"));
            return &*json_;
        } catch (const InvalidArgument& e) {
            std::string reason = e.what();
            const std::string lead = "argument 'body' ";
            if (reason.starts_with(lead)) reason.erase(0, lead.size());
            problem_ = "the body " + reason;
            return nullptr;
        }
    }

    // Only after json() returned a body.
    const rapidjson::Document& dom() {
        if (!dom_) dom_.emplace(parse_trusted(json_->text()));
        return *dom_;
    }

    const std::string& problem() const { return problem_; }

  private:
    std::string_view body_;
    std::optional<Json> json_;
    std::optional<rapidjson::Document> dom_;
    std::string problem_;
};

void check_equal_to_json(PredicateTally& tally, const std::string& key, const BodyPattern& pattern,
                         const Json& body) {
    const std::optional<JsonDifference> difference = first_difference(
        pattern.json, body, {.ignore_extra_members = pattern.ignore_extra_elements});
    tally.check(!difference, [&] { return key + ": " + to_string(*difference); });
}

void check_json_path(PredicateTally& tally, const std::string& key, const BodyPattern& pattern,
                     const rapidjson::Document& document) {
    std::vector<detail::JsonPathStep> steps;
    try {
        steps = detail::parse_json_path(pattern.json_path, key);
    } catch (const MappingError& e) {
        tally.check(false, [&] { return std::string(e.what()); });
        return;
    }
    const rapidjson::Value* found = detail::follow_json_path(document, steps);
    if (!pattern.at_path) {
        tally.check(found != nullptr,
                    [&] { return key + ": " + pattern.json_path + " is not in the body"; });
        return;
    }
    std::optional<std::string> actual;
    if (found != nullptr) {
        // A number as the client wrote it, so equalTo "1.50" is not met by 1.5.
        actual =
            is_text_string(*found) ? std::string(view_of(*found)) : detail::compact_text(*found);
    }
    std::vector<std::string_view> values;
    if (actual) values.push_back(*actual);
    tally.check(pattern.at_path->test(actual), [&] {
        return value_failure(key + ": " + pattern.json_path, *pattern.at_path, values);
    });
}

// A hand-made entry may carry only the target.
std::string_view raw_path_of(const JournalEntry& request) {
    if (!request.raw_path.empty()) return request.raw_path;
    const std::string_view target(request.target);
    return target.substr(0, target.find('?'));
}

}  // namespace

MatchResult RequestPattern::match(const JournalEntry& request) const {
    return evaluate(request, true);
}

MatchResult RequestPattern::evaluate(const JournalEntry& request, bool describe) const {
    PredicateTally tally(describe);
    const std::string_view raw_path = raw_path_of(request);
    // The URL is looked at first because, for an endpoint without a method, the forms whose
    // path matched decide which methods are acceptable.
    std::vector<std::size_t> forms_matched;
    const bool url_passed = url_matches(raw_path, request.target, forms_matched);
    check_method(tally, request.method, forms_matched);
    if (tally.give_up()) return tally.finish();
    check_url(tally, url_passed, request.target, raw_path);
    if (tally.give_up()) return tally.finish();
    check_query(tally, request);
    if (tally.give_up()) return tally.finish();
    check_headers(tally, request);
    if (tally.give_up()) return tally.finish();
    check_body(tally, request.body);
    return tally.finish();
}

bool RequestPattern::url_matches(std::string_view raw_path, const std::string& target,
                                 std::vector<std::size_t>& forms_matched) const {
    switch (url_kind_) {
        case UrlKind::any:
            return true;
        case UrlKind::url:
            return target == url_;
        case UrlKind::url_path:
            return raw_path == url_;
        case UrlKind::url_path_pattern:
            return url_regex_ && detail::regex_full_match(*url_regex_, raw_path);
        case UrlKind::url_path_template:
            return detail::path_template_matches(url_, raw_path);
        case UrlKind::endpoint: {
            const std::vector<std::string_view> segments = detail::split_path(raw_path);
            for (std::size_t i = 0; i < endpoint_templates_.size(); ++i) {
                if (detail::endpoint_template_matches(endpoint_templates_[i], segments))
                    forms_matched.push_back(i);
            }
            return !forms_matched.empty();
        }
    }
    return true;
}

void RequestPattern::check_method(PredicateTally& tally, const std::string& request_method,
                                  const std::vector<std::size_t>& forms_matched) const {
    const std::string method = detail::to_upper(request_method);
    if (method_) {
        tally.check(method == *method_, [&] {
            return "method: expected " + *method_ + ", got " + quote(request_method);
        });
        return;
    }
    if (url_kind_ != UrlKind::endpoint) {
        tally.check(true, [] { return std::string(); });
        return;
    }
    // An endpoint without a method: the methods of the forms whose path matched, or of all
    // its forms when none did.
    std::vector<std::string> allowed;
    const auto allow = [&](std::size_t form) {
        if (std::ranges::find(allowed, endpoint_methods_[form]) == allowed.end())
            allowed.push_back(endpoint_methods_[form]);
    };
    if (forms_matched.empty()) {
        for (std::size_t i = 0; i < endpoint_methods_.size(); ++i) allow(i);
    } else {
        for (const std::size_t i : forms_matched) allow(i);
    }
    tally.check(std::ranges::find(allowed, method) != allowed.end(), [&] {
        std::string expected;
        for (const std::string& m : allowed) expected += (expected.empty() ? "" : " or ") + m;
        return "method: expected " + expected + " (endpoint " + url_ + "), got " +
               quote(request_method);
    });
}

void RequestPattern::check_url(PredicateTally& tally, bool url_passed, const std::string& target,
                               std::string_view raw_path) const {
    tally.check(url_passed, [&]() -> std::string {
        switch (url_kind_) {
            case UrlKind::url:
                return "url: expected " + quote(url_) + ", got " + quote(target);
            case UrlKind::url_path:
                return "urlPath: expected " + quote(url_) + ", got " + quote(raw_path);
            case UrlKind::url_path_pattern:
                return "urlPathPattern: expected a path matching " + quote(url_) + ", got " +
                       quote(raw_path);
            case UrlKind::url_path_template:
                return "urlPathTemplate: expected a path like " + quote(url_) + ", got " +
                       quote(raw_path);
            case UrlKind::endpoint:
                return "endpoint: expected a path of " + url_ + " (" +
                       detail::endpoint_forms_text(endpoint_templates_) + "), got " +
                       quote(raw_path);
            case UrlKind::any:
                break;
        }
        return std::string();
    });
}

void RequestPattern::check_query(PredicateTally& tally, const JournalEntry& request) const {
    for (const auto& [name, matcher] : query_) {
        const std::string key = "queryParameters." + name;
        if (!request.query_decodes) {
            tally.check(false, [&] {
                return key + ": the query string does not decode (a malformed %-escape) in " +
                       quote(request.raw_query);
            });
            continue;
        }
        std::vector<std::string_view> values;
        for (const QueryParam& param : request.query) {
            if (param.name == name) values.push_back(param.value);
        }
        // Structured bindings captured by name: clang before 16 (ci/fuzz.sh) cannot capture
        // them implicitly.
        tally.check(some_value_passes(matcher, values),
                    [&, &matcher = matcher] { return value_failure(key, matcher, values); });
    }
}

void RequestPattern::check_headers(PredicateTally& tally, const JournalEntry& request) const {
    for (const auto& [name, matcher] : headers_) {
        std::vector<std::string_view> values;
        for (const Header& header : request.headers) {
            if (header_name_equals(header.name, name)) values.push_back(header.value);
        }
        tally.check(some_value_passes(matcher, values), [&, &name = name, &matcher = matcher] {
            return value_failure("headers." + name, matcher, values);
        });
    }
}

void RequestPattern::check_body(PredicateTally& tally, std::string_view body) const {
    BodyReader reader(body);
    for (std::size_t i = 0; i < body_.size(); ++i) {
        const BodyPattern& pattern = body_[i];
        const std::string key =
            "bodyPatterns[" + std::to_string(i) + "]." +
            (pattern.kind == BodyPattern::Kind::equal_to_json ? "equalToJson" : "matchesJsonPath");
        const Json* json = reader.json();
        if (json == nullptr) {
            tally.check(false, [&] { return key + ": " + reader.problem(); });
        } else if (pattern.kind == BodyPattern::Kind::equal_to_json) {
            check_equal_to_json(tally, key, pattern, *json);
        } else {
            check_json_path(tally, key, pattern, reader.dom());
        }
    }
}

}  // namespace matrix::mock
