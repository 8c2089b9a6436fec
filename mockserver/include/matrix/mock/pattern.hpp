// Request patterns: WireMock's request-matching JSON (a subset) plus Matrix endpoint names.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/error.hpp"
#include "matrix/json.hpp"
#include "matrix/mock/journal.hpp"

namespace matrix::mock {

// A bad mapping or pattern: `key` is the JSON path of the offending key, e.g.
// "request.queryParameters.since.matches".
class MappingError : public StandardError<std::invalid_argument> {
  public:
    MappingError(std::string key, const std::string& reason)
        : StandardError(key.empty() ? reason : "'" + key + "': " + reason), key_(std::move(key)) {}
    const std::string& key() const noexcept { return key_; }

  private:
    std::string key_;
};

// One value test: {"equalTo": v} | {"matches": regex} | {"absent": true}.
struct ValueMatcher {
    enum class Kind { equal_to, matches, absent };
    Kind kind = Kind::equal_to;
    std::string value;                        // the literal or the regex source
    std::shared_ptr<const std::regex> regex;  // compiled, for matches

    bool test(const std::optional<std::string>& actual) const;
    std::string describe() const;  // e.g. equalTo "x"
};

struct BodyPattern {
    enum class Kind { equal_to_json, matches_json_path };
    Kind kind = Kind::equal_to_json;
    Json json;                            // equal_to_json
    bool ignore_extra_elements = false;   // equal_to_json: extra object members in the body allowed
    std::string json_path;                // matches_json_path: "$.a.b[0].c"
    std::optional<ValueMatcher> at_path;  // matches_json_path: optional test of the value found
};

struct MatchResult {
    bool matched = false;
    std::string first_failure;  // the first predicate that failed, "" when matched
    std::size_t predicates_passed = 0;
    std::size_t predicates_total = 0;
};

namespace detail {
class PredicateTally;  // counts an evaluation's predicates; internal to pattern_evaluate.cpp
}

class RequestPattern {
  public:
    enum class UrlKind { any, url, url_path, url_path_pattern, url_path_template, endpoint };

    // Matches every request.
    RequestPattern() = default;

    // Parses WireMock's request JSON: method; one of url, urlPath, urlPathPattern,
    // urlPathTemplate or endpoint; queryParameters; headers; bodyPatterns. `key_prefix` names
    // the object in errors (e.g. "request"). Throws MappingError.
    static RequestPattern parse(std::string_view json, std::string_view key_prefix = "request");

    // Sugar for the in-process API.
    static RequestPattern for_endpoint(std::string_view endpoint);  // throws MappingError
    static RequestPattern for_path(std::string_view method, std::string_view url_path);

    RequestPattern& with_method(std::string_view method);
    RequestPattern& with_query(std::string_view name, ValueMatcher matcher);
    RequestPattern& with_header(std::string_view name, ValueMatcher matcher);
    RequestPattern& with_body(BodyPattern pattern);

    // Evaluates every predicate and describes the first failure (for near-miss reports).
    MatchResult match(const JournalEntry& request) const;
    // Stops at the first failing predicate and describes nothing: the per-request fast path.
    bool matches(const JournalEntry& request) const { return evaluate(request, false).matched; }

    // A one-line summary for reports, e.g. "POST endpoint room_kick".
    std::string describe() const;
    // The request JSON parse() reads back into this pattern (stub_json.cpp).
    Json to_json() const;

  private:
    MatchResult evaluate(const JournalEntry& request, bool describe) const;
    // The steps of evaluate(), one per kind of predicate (pattern_evaluate.cpp).
    bool url_matches(std::string_view raw_path, const std::string& target,
                     std::vector<std::size_t>& forms_matched) const;
    void check_method(detail::PredicateTally& tally, const std::string& request_method,
                      const std::vector<std::size_t>& forms_matched) const;
    void check_url(detail::PredicateTally& tally, bool url_passed, const std::string& target,
                   std::string_view raw_path) const;
    void check_query(detail::PredicateTally& tally, const JournalEntry& request) const;
    void check_headers(detail::PredicateTally& tally, const JournalEntry& request) const;
    void check_body(detail::PredicateTally& tally, std::string_view body) const;

    std::optional<std::string> method_;  // upper case; none or "ANY" = any method
    UrlKind url_kind_ = UrlKind::any;
    std::string url_;  // the literal, regex source, template or endpoint name
    std::shared_ptr<const std::regex> url_regex_;
    std::vector<std::string> endpoint_methods_;                 // methods of the endpoint's forms
    std::vector<std::vector<std::string>> endpoint_templates_;  // split path templates
    std::vector<std::pair<std::string, ValueMatcher>> query_;   // repeated names allowed
    std::vector<std::pair<std::string, ValueMatcher>> headers_;
    std::vector<BodyPattern> body_;
};

// Helpers to build matchers in code.
ValueMatcher equal_to(std::string value);
ValueMatcher matching(std::string regex);  // throws MappingError on a bad regex
ValueMatcher absent();
BodyPattern equal_to_json(Json json, bool ignore_extra_elements = false);

}  // namespace matrix::mock
