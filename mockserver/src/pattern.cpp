// Request patterns: parsing WireMock's request JSON and matching journaled requests against it.
#include "matrix/mock/pattern.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "mapping_json.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/json_difference.hpp"
#include "matrix/percent_encoding.hpp"

namespace matrix::mock {
namespace {

using detail::check_members;
using detail::expect_array;
using detail::expect_object;
using detail::expect_string;
using detail::find_member;
using detail::index_key;
using detail::is_text_string;
using detail::join_key;
using detail::quote;
using detail::view_of;

#if defined(__GLIBCXX__)
// libstdc++'s default regex executor backtracks by recursion: a few frames per subject byte
// (a 4 KiB path overflows a 2 MiB thread stack) and exponential time for patterns such as
// (a*)*b. Its __polynomial flag selects the Thompson-NFA executor instead, linear in the
// subject and shallow on the stack; it refuses back-references, which paths and tokens never
// need.
constexpr std::regex::flag_type kRegexFlags =
    std::regex::ECMAScript | std::regex_constants::__polynomial;
constexpr std::size_t kMaxRegexSubject = 1024 * 1024;
#else
constexpr std::regex::flag_type kRegexFlags = std::regex::ECMAScript;
// Other libraries may recurse per byte too; longer subjects simply do not match.
constexpr std::size_t kMaxRegexSubject = 1024;
#endif
constexpr std::size_t kMaxRegexSource = 4096;

std::shared_ptr<const std::regex> compile_regex(const std::string& source, const std::string& key) {
    if (source.size() > kMaxRegexSource)
        throw MappingError(key, "is longer than " + std::to_string(kMaxRegexSource) + " bytes");
    try {
        return std::make_shared<const std::regex>(source, kRegexFlags);
    } catch (const std::regex_error& e) {
        throw MappingError(key, std::string("is not a valid regular expression: ") + e.what());
    }
}

bool regex_full_match(const std::regex& regex, std::string_view subject) {
    if (subject.size() > kMaxRegexSubject) return false;
    try {
        return std::regex_match(subject.begin(), subject.end(), regex);
    } catch (const std::regex_error&) {
        return false;  // e.g. error_complexity: treat a pattern that cannot decide as no match
    }
}

std::string to_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> segments;
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = path.find('/', start);
        segments.push_back(path.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return segments;
}

bool is_placeholder(std::string_view segment) {
    return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// --- JSON path (a small subset): $ .name ['name'] ["name"] [index] ---------------------------

struct PathStep {
    std::string name;
    std::optional<std::size_t> index;  // set: an array index, else an object member
};

std::vector<PathStep> parse_json_path(std::string_view path, const std::string& key) {
    const auto refuse = [&](const std::string& why) -> MappingError {
        return MappingError(key, quote(path) + " is not a supported JSON path: " + why +
                                     " (supported: $, .name, ['name'], [index])");
    };
    if (path.empty() || path.front() != '$') throw refuse("it must start with $");
    std::vector<PathStep> steps;
    std::size_t i = 1;
    while (i < path.size()) {
        if (path[i] == '.') {
            ++i;
            if (i < path.size() && path[i] == '.') throw refuse("recursive descent (..)");
            const std::size_t end = path.find_first_of(".[", i);
            const std::string_view name = path.substr(i, end - i);
            if (name.empty()) throw refuse("an empty name after '.'");
            if (name == "*") throw refuse("wildcards");
            if (name.find_first_of("]'\" ") != std::string_view::npos)
                throw refuse("write names with special characters as ['name']");
            steps.push_back({std::string(name), std::nullopt});
            i = end == std::string_view::npos ? path.size() : end;
        } else if (path[i] == '[') {
            ++i;
            if (i < path.size() && (path[i] == '\'' || path[i] == '"')) {
                const char quote_char = path[i];
                const std::size_t close = path.find(quote_char, i + 1);
                if (close == std::string_view::npos || close + 1 >= path.size() ||
                    path[close + 1] != ']') {
                    throw refuse("an unterminated ['name']");
                }
                steps.push_back({std::string(path.substr(i + 1, close - i - 1)), std::nullopt});
                i = close + 2;
            } else {
                std::size_t index = 0;
                const std::size_t start = i;
                while (i < path.size() && path[i] >= '0' && path[i] <= '9') {
                    if (index > (static_cast<std::size_t>(-1) - 9) / 10)
                        throw refuse("a huge index");
                    index = index * 10 + static_cast<std::size_t>(path[i] - '0');
                    ++i;
                }
                if (i == start || i >= path.size() || path[i] != ']')
                    throw refuse("only [index] and ['name'] brackets");
                steps.push_back({{}, index});
                ++i;
            }
        } else {
            throw refuse("unexpected " + quote(path.substr(i, 1)));
        }
    }
    return steps;
}

const rapidjson::Value* follow_json_path(const rapidjson::Value& root,
                                         const std::vector<PathStep>& steps) {
    const rapidjson::Value* at = &root;
    for (const PathStep& step : steps) {
        if (step.index) {
            if (!at->IsArray() || *step.index >= at->Size()) return nullptr;
            at = &(*at)[static_cast<rapidjson::SizeType>(*step.index)];
        } else {
            if (!at->IsObject()) return nullptr;
            at = find_member(*at, step.name);
            if (at == nullptr) return nullptr;
        }
    }
    return at;
}

// A DOM of text that Json::parse has already checked, numbers kept as written.
rapidjson::Document parse_trusted(const std::string& compact) {
    rapidjson::Document document;
    matrix::detail::parse_text_dom(compact, document);
    return document;
}

// --- Parsing WireMock's request JSON --------------------------------------------------------

// One matcher given as its member: "equalTo": "v", "matches": "re" or "absent": true.
ValueMatcher matcher_from_member(std::string_view name, const rapidjson::Value& value,
                                 const std::string& key) {
    if (name == "equalTo") return equal_to(expect_string(value, key));
    if (name == "matches") {
        ValueMatcher matcher;
        matcher.kind = ValueMatcher::Kind::matches;
        matcher.value = expect_string(value, key);
        matcher.regex = compile_regex(matcher.value, key);
        return matcher;
    }
    if (!value.IsBool() || !value.GetBool())
        throw MappingError(key, "must be true (leave the matcher out to allow any value)");
    return absent();
}

ValueMatcher parse_value_matcher(const rapidjson::Value& value, const std::string& key) {
    expect_object(value, key);
    check_members(value, key, {"equalTo", "matches", "absent"});
    if (value.MemberCount() != 1)
        throw MappingError(key, "must hold exactly one of equalTo, matches, absent");
    const auto& member = *value.MemberBegin();
    return matcher_from_member(view_of(member.name), member.value,
                               join_key(key, view_of(member.name)));
}

// {"name": MATCHER} or {"name": [MATCHER, ...]} where every matcher must hold, which is how
// a repeated query parameter is given each of its values.
std::vector<std::pair<std::string, ValueMatcher>> parse_named_matchers(
    const rapidjson::Value& value, const std::string& key) {
    expect_object(value, key);
    std::vector<std::pair<std::string, ValueMatcher>> matchers;
    std::unordered_set<std::string> seen;  // a set: an admin client may send many names
    for (auto member = value.MemberBegin(); member != value.MemberEnd(); ++member) {
        const std::string name(view_of(member->name));
        const std::string member_key = join_key(key, name);
        if (name.empty()) throw MappingError(member_key, "an empty name is not allowed");
        if (!seen.insert(name).second) throw MappingError(member_key, "is given twice");
        if (member->value.IsArray()) {
            if (member->value.Empty()) throw MappingError(member_key, "must not be an empty list");
            for (rapidjson::SizeType i = 0; i < member->value.Size(); ++i) {
                matchers.emplace_back(
                    name, parse_value_matcher(member->value[i], index_key(member_key, i)));
            }
        } else {
            matchers.emplace_back(name, parse_value_matcher(member->value, member_key));
        }
    }
    return matchers;
}

BodyPattern parse_body_pattern(const rapidjson::Value& value, const std::string& key) {
    expect_object(value, key);
    check_members(value, key, {"equalToJson", "ignoreExtraElements", "matchesJsonPath"});
    const rapidjson::Value* json = find_member(value, "equalToJson");
    const rapidjson::Value* path = find_member(value, "matchesJsonPath");
    if ((json == nullptr) == (path == nullptr))
        throw MappingError(key, "must hold exactly one of equalToJson, matchesJsonPath");
    const rapidjson::Value* ignore = find_member(value, "ignoreExtraElements");
    BodyPattern pattern;
    if (json != nullptr) {
        const std::string json_key = join_key(key, "equalToJson");
        pattern.kind = BodyPattern::Kind::equal_to_json;
        if (is_text_string(*json)) {
            // WireMock's users often give the expected body as a string holding JSON.
            try {
                pattern.json = Json::parse(view_of(*json), json_key);
            } catch (const InvalidArgument&) {
                throw MappingError(json_key, "holds a string that is not JSON");
            }
        } else {
            pattern.json = Json::parse(detail::compact_text(*json), json_key);
        }
        if (ignore != nullptr)
            pattern.ignore_extra_elements =
                detail::expect_bool(*ignore, join_key(key, "ignoreExtraElements"));
        return pattern;
    }
    if (ignore != nullptr)
        throw MappingError(join_key(key, "ignoreExtraElements"), "applies to equalToJson only");
    const std::string path_key = join_key(key, "matchesJsonPath");
    pattern.kind = BodyPattern::Kind::matches_json_path;
    if (is_text_string(*path)) {
        pattern.json_path = std::string(view_of(*path));
        parse_json_path(pattern.json_path, path_key);
        return pattern;
    }
    if (!path->IsObject())
        throw MappingError(path_key, "must be a JSON path string or an object with \"expression\"");
    check_members(*path, path_key, {"expression", "equalTo", "matches", "absent"});
    const rapidjson::Value* expression = find_member(*path, "expression");
    if (expression == nullptr) throw MappingError(join_key(path_key, "expression"), "is required");
    pattern.json_path = expect_string(*expression, join_key(path_key, "expression"));
    parse_json_path(pattern.json_path, join_key(path_key, "expression"));
    for (auto member = path->MemberBegin(); member != path->MemberEnd(); ++member) {
        const std::string_view name = view_of(member->name);
        if (name == "expression") continue;
        if (pattern.at_path) {
            throw MappingError(join_key(path_key, name),
                               "only one of equalTo, matches, absent may be given");
        }
        pattern.at_path = matcher_from_member(name, member->value, join_key(path_key, name));
    }
    return pattern;
}

// Declared endpoint forms as split path templates, each with its method. A path_suffix
// parameter (download's filename) is one optional extra segment, so it adds a second template.
void load_endpoint(std::string_view name, const std::string& key, std::vector<std::string>& methods,
                   std::vector<std::vector<std::string>>& templates) {
    const auto forms = find_endpoint_forms(name);
    if (forms.empty()) throw MappingError(key, quote(name) + " is not an SDK endpoint name");
    for (const EndpointSpec& form : forms) {
        std::vector<std::string> segments;
        for (const std::string_view segment : split_path(form.path_template)) {
            segments.emplace_back(segment);
            // The version segment lists the versions the operation's path has had:
            // "{path_version=r0|v3}".
            if (segment == "{path_version}") {
                std::string listed;
                const PathVersions versions = operation_of(form).versions;
                for (const PathVersion version :
                     {PathVersion::r0, PathVersion::v3, PathVersion::v1}) {
                    if (!versions.has(version)) continue;
                    listed += (listed.empty() ? "" : "|") + std::string(to_string(version));
                }
                segments.back() = "{path_version=" + listed + "}";
                continue;
            }
            // A parameter that may be empty (state_key) is marked "{name?}".
            for (const ParamSpec& param : form.params) {
                if (param.allow_empty && segment == "{" + std::string(param.name) + "}") {
                    segments.back().insert(segments.back().size() - 1, "?");
                }
            }
        }
        methods.emplace_back(to_string(form.method));
        templates.push_back(segments);
        for (const ParamSpec& param : form.params) {
            if (param.location != ParamLocation::path_suffix) continue;
            segments.push_back("{" + std::string(param.name) + "}");
            methods.emplace_back(to_string(form.method));
            templates.push_back(segments);
            break;
        }
    }
}

bool endpoint_template_matches(const std::vector<std::string>& segments,
                               const std::vector<std::string_view>& path) {
    if (segments.size() != path.size()) return false;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const std::string& expected = segments[i];
        if (expected.starts_with("{path_version=")) {
            // "{path_version=r0|v3}" -> "|r0|v3|": each version between bars.
            const std::string listed = "|" + expected.substr(14, expected.size() - 15) + "|";
            const bool listed_version =
                !path[i].empty() && path[i].find('|') == std::string_view::npos &&
                listed.find("|" + std::string(path[i]) + "|") != std::string::npos;
            if (!listed_version) return false;
        } else if (is_placeholder(expected)) {
            if (path[i].empty() && !expected.ends_with("?}")) return false;
        } else if (expected != path[i]) {
            return false;
        }
    }
    return true;
}

void check_path_template(std::string_view path_template, const std::string& key) {
    if (!path_template.starts_with('/')) throw MappingError(key, "must start with '/'");
    std::vector<std::string_view> names;
    for (const std::string_view segment : split_path(path_template)) {
        if (segment.find_first_of("{}") == std::string_view::npos) {
            if (!percent_decode(segment))
                throw MappingError(key, "holds a malformed %-escape in " + quote(segment));
            continue;
        }
        const std::string_view name =
            is_placeholder(segment) ? segment.substr(1, segment.size() - 2) : std::string_view();
        const bool valid = !name.empty() && std::ranges::all_of(name, [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '-' || c == '.';
        });
        if (!valid) {
            throw MappingError(key, "segment " + quote(segment) +
                                        " must be a literal or one whole {name} placeholder");
        }
        if (std::ranges::find(names, name) != names.end())
            throw MappingError(key, "names {" + std::string(name) + "} twice");
        names.push_back(name);
    }
}

// Segments compared decoded, so "/rooms/{roomId}" matches "/rooms/%21a%3Ab" as the room "!a:b".
bool path_template_matches(std::string_view path_template, std::string_view raw_path) {
    const std::vector<std::string_view> expected = split_path(path_template);
    const std::vector<std::string_view> actual = split_path(raw_path);
    if (expected.size() != actual.size()) return false;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const std::optional<std::string> decoded = percent_decode(actual[i]);
        if (!decoded) return false;
        if (is_placeholder(expected[i])) {
            if (decoded->empty()) return false;
        } else if (percent_decode(expected[i]) != decoded) {
            return false;
        }
    }
    return true;
}

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
        std::ranges::any_of(values, [](auto v) { return v.size() > kMaxRegexSubject; })) {
        out += " (values over " + std::to_string(kMaxRegexSubject) +
               " bytes are never tested against a regex)";
    }
    return out;
}

void check_http_method(std::string_view method, const std::string& key) {
    const bool token = !method.empty() && std::ranges::all_of(method, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
    if (!token) throw MappingError(key, "must be an HTTP method such as \"GET\", or \"ANY\"");
}

std::string endpoint_forms_text(const std::vector<std::vector<std::string>>& templates) {
    std::string out;
    for (const auto& segments : templates) {
        std::string path;
        for (std::size_t i = 0; i < segments.size(); ++i) {
            if (i > 0) path += '/';
            path += segments[i];
        }
        if (out.find(path) != std::string::npos) continue;
        if (!out.empty()) out += " or ";
        out += path;
    }
    return out;
}

}  // namespace

// --- ValueMatcher ----------------------------------------------------------------------------

bool ValueMatcher::test(const std::optional<std::string>& actual) const {
    switch (kind) {
        case Kind::equal_to:
            return actual && *actual == value;
        case Kind::matches:
            return actual && regex && regex_full_match(*regex, *actual);
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
    matcher.regex = compile_regex(regex, "matches");
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

RequestPattern RequestPattern::parse(std::string_view json, std::string_view key_prefix) {
    const std::string prefix(key_prefix);
    const rapidjson::Document document = detail::parse_document(json, prefix);
    expect_object(document, prefix);
    static constexpr std::string_view kUrlKeys[] = {"url", "urlPath", "urlPathPattern",
                                                    "urlPathTemplate", "endpoint"};
    check_members(document, prefix,
                  {"method", "url", "urlPath", "urlPathPattern", "urlPathTemplate", "endpoint",
                   "queryParameters", "headers", "bodyPatterns"});

    RequestPattern pattern;
    if (const rapidjson::Value* method = find_member(document, "method")) {
        const std::string key = join_key(prefix, "method");
        const std::string text = expect_string(*method, key);
        check_http_method(text, key);
        pattern.with_method(text);
    }

    std::optional<std::string_view> url_key;
    for (const std::string_view candidate : kUrlKeys) {
        const rapidjson::Value* value = find_member(document, candidate);
        if (value == nullptr) continue;
        const std::string key = join_key(prefix, candidate);
        if (url_key) {
            throw MappingError(key, "cannot be given with " + std::string(*url_key) +
                                        ": a request pattern has at most one URL key");
        }
        url_key = candidate;
        pattern.url_ = expect_string(*value, key);
        if (candidate == "url") {
            pattern.url_kind_ = UrlKind::url;
            if (!pattern.url_.starts_with('/')) throw MappingError(key, "must start with '/'");
        } else if (candidate == "urlPath") {
            pattern.url_kind_ = UrlKind::url_path;
            if (!pattern.url_.starts_with('/')) throw MappingError(key, "must start with '/'");
            if (pattern.url_.find('?') != std::string::npos) {
                throw MappingError(key,
                                   "is the path only; match the query with url or queryParameters");
            }
        } else if (candidate == "urlPathPattern") {
            pattern.url_kind_ = UrlKind::url_path_pattern;
            pattern.url_regex_ = compile_regex(pattern.url_, key);
        } else if (candidate == "urlPathTemplate") {
            pattern.url_kind_ = UrlKind::url_path_template;
            check_path_template(pattern.url_, key);
        } else {
            pattern.url_kind_ = UrlKind::endpoint;
            load_endpoint(pattern.url_, key, pattern.endpoint_methods_,
                          pattern.endpoint_templates_);
        }
    }

    if (const rapidjson::Value* query = find_member(document, "queryParameters"))
        pattern.query_ = parse_named_matchers(*query, join_key(prefix, "queryParameters"));
    if (const rapidjson::Value* headers = find_member(document, "headers"))
        pattern.headers_ = parse_named_matchers(*headers, join_key(prefix, "headers"));
    if (const rapidjson::Value* body = find_member(document, "bodyPatterns")) {
        const std::string key = join_key(prefix, "bodyPatterns");
        expect_array(*body, key);
        for (rapidjson::SizeType i = 0; i < body->Size(); ++i)
            pattern.body_.push_back(parse_body_pattern((*body)[i], index_key(key, i)));
    }
    return pattern;
}

RequestPattern RequestPattern::for_endpoint(std::string_view endpoint) {
    RequestPattern pattern;
    pattern.url_kind_ = UrlKind::endpoint;
    pattern.url_ = std::string(endpoint);
    load_endpoint(endpoint, "endpoint", pattern.endpoint_methods_, pattern.endpoint_templates_);
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
    std::string upper = to_upper(method);
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

MatchResult RequestPattern::match(const JournalEntry& request) const {
    return evaluate(request, true);
}

MatchResult RequestPattern::evaluate(const JournalEntry& request, bool describe) const {
    MatchResult result;
    // When describing, every predicate is evaluated, so near-miss ranking can count how many
    // passed; only the first failure is described. Otherwise the first failure ends it.
    bool failed = false;
    const auto check = [&](bool passed, const auto& describe_failure) {
        ++result.predicates_total;
        if (passed) {
            ++result.predicates_passed;
            return;
        }
        failed = true;
        if (describe && result.first_failure.empty()) result.first_failure = describe_failure();
    };
    const auto give_up = [&] { return failed && !describe; };

    const std::string method = to_upper(request.method);
    // A hand-made entry may carry only the target.
    const std::string_view raw_path =
        request.raw_path.empty()
            ? std::string_view(request.target).substr(0, std::string_view(request.target).find('?'))
            : std::string_view(request.raw_path);

    // The URL is looked at first because, for an endpoint without a method, the forms whose
    // path matched decide which methods are acceptable.
    std::vector<std::size_t> forms_matched;
    bool url_passed = true;
    switch (url_kind_) {
        case UrlKind::any:
            break;
        case UrlKind::url:
            url_passed = request.target == url_;
            break;
        case UrlKind::url_path:
            url_passed = raw_path == url_;
            break;
        case UrlKind::url_path_pattern:
            url_passed = url_regex_ && regex_full_match(*url_regex_, raw_path);
            break;
        case UrlKind::url_path_template:
            url_passed = path_template_matches(url_, raw_path);
            break;
        case UrlKind::endpoint: {
            const std::vector<std::string_view> segments = split_path(raw_path);
            for (std::size_t i = 0; i < endpoint_templates_.size(); ++i) {
                if (endpoint_template_matches(endpoint_templates_[i], segments))
                    forms_matched.push_back(i);
            }
            url_passed = !forms_matched.empty();
            break;
        }
    }

    if (method_) {
        check(method == *method_,
              [&] { return "method: expected " + *method_ + ", got " + quote(request.method); });
    } else if (url_kind_ == UrlKind::endpoint) {
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
        check(std::ranges::find(allowed, method) != allowed.end(), [&] {
            std::string expected;
            for (const std::string& m : allowed) expected += (expected.empty() ? "" : " or ") + m;
            return "method: expected " + expected + " (endpoint " + url_ + "), got " +
                   quote(request.method);
        });
    } else {
        check(true, [] { return std::string(); });
    }
    if (give_up()) return result;

    check(url_passed, [&]() -> std::string {
        switch (url_kind_) {
            case UrlKind::url:
                return "url: expected " + quote(url_) + ", got " + quote(request.target);
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
                       endpoint_forms_text(endpoint_templates_) + "), got " + quote(raw_path);
            case UrlKind::any:
                break;
        }
        return std::string();
    });
    if (give_up()) return result;

    for (const auto& [name, matcher] : query_) {
        const std::string key = "queryParameters." + name;
        if (!request.query_decodes) {
            check(false, [&] {
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
        check(some_value_passes(matcher, values),
              [&, &matcher = matcher] { return value_failure(key, matcher, values); });
    }

    if (give_up()) return result;

    for (const auto& [name, matcher] : headers_) {
        std::vector<std::string_view> values;
        for (const Header& header : request.headers) {
            if (header_name_equals(header.name, name)) values.push_back(header.value);
        }
        check(some_value_passes(matcher, values), [&, &name = name, &matcher = matcher] {
            return value_failure("headers." + name, matcher, values);
        });
    }

    if (give_up()) return result;

    // The body is parsed once, and only when a body pattern needs it; its DOM only when a
    // matchesJsonPath pattern does.
    std::optional<Json> body;
    std::optional<rapidjson::Document> body_dom;
    std::string body_problem;
    const auto parsed_body = [&]() -> const Json* {
        if (body || !body_problem.empty()) return body ? &*body : nullptr;
        if (request.body.empty()) {
            body_problem = "the body is empty, not JSON";
            return nullptr;
        }
        try {
            body.emplace(Json::parse(request.body, "body"));
            return &*body;
        } catch (const InvalidArgument& e) {
            std::string reason = e.what();
            const std::string lead = "argument 'body' ";
            if (reason.starts_with(lead)) reason.erase(0, lead.size());
            body_problem = "the body " + reason;
            return nullptr;
        }
    };

    for (std::size_t i = 0; i < body_.size(); ++i) {
        const BodyPattern& pattern = body_[i];
        const std::string key =
            "bodyPatterns[" + std::to_string(i) + "]." +
            (pattern.kind == BodyPattern::Kind::equal_to_json ? "equalToJson" : "matchesJsonPath");
        const Json* json = parsed_body();
        if (json == nullptr) {
            check(false, [&] { return key + ": " + body_problem; });
            continue;
        }
        if (pattern.kind == BodyPattern::Kind::equal_to_json) {
            const std::optional<JsonDifference> difference = first_difference(
                pattern.json, *json, {.ignore_extra_members = pattern.ignore_extra_elements});
            check(!difference, [&] { return key + ": " + to_string(*difference); });
            continue;
        }
        if (!body_dom) body_dom.emplace(parse_trusted(json->text()));
        const rapidjson::Document* document = &*body_dom;
        std::vector<PathStep> steps;
        try {
            steps = parse_json_path(pattern.json_path, key);
        } catch (const MappingError& e) {
            check(false, [&] { return std::string(e.what()); });
            continue;
        }
        const rapidjson::Value* found = follow_json_path(*document, steps);
        if (!pattern.at_path) {
            check(found != nullptr,
                  [&] { return key + ": " + pattern.json_path + " is not in the body"; });
            continue;
        }
        std::optional<std::string> actual;
        if (found != nullptr) {
            // A number as the client wrote it, so equalTo "1.50" is not met by 1.5.
            actual = is_text_string(*found) ? std::string(view_of(*found))
                                            : detail::compact_text(*found);
        }
        std::vector<std::string_view> values;
        if (actual) values.push_back(*actual);
        check(pattern.at_path->test(actual), [&] {
            return value_failure(key + ": " + pattern.json_path, *pattern.at_path, values);
        });
    }

    result.matched = result.predicates_passed == result.predicates_total;
    return result;
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
