// Parsing WireMock's request JSON into a RequestPattern, every bad key named in a MappingError.
#include <rapidjson/document.h>

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "json_path.hpp"
#include "mapping_json.hpp"
#include "matrix/mock/pattern.hpp"
#include "pattern_paths.hpp"
#include "pattern_regex.hpp"

namespace matrix::mock {
namespace {

using detail::check_members;
using detail::compile_regex;
using detail::expect_array;
using detail::expect_object;
using detail::expect_string;
using detail::find_member;
using detail::index_key;
using detail::is_text_string;
using detail::join_key;
using detail::view_of;

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
        detail::parse_json_path(pattern.json_path, path_key);
        return pattern;
    }
    if (!path->IsObject())
        throw MappingError(path_key, "must be a JSON path string or an object with \"expression\"");
    check_members(*path, path_key, {"expression", "equalTo", "matches", "absent"});
    const rapidjson::Value* expression = find_member(*path, "expression");
    if (expression == nullptr) throw MappingError(join_key(path_key, "expression"), "is required");
    pattern.json_path = expect_string(*expression, join_key(path_key, "expression"));
    detail::parse_json_path(pattern.json_path, join_key(path_key, "expression"));
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

void check_http_method(std::string_view method, const std::string& key) {
    const bool token = !method.empty() && std::ranges::all_of(method, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    });
    if (!token) throw MappingError(key, "must be an HTTP method such as \"GET\", or \"ANY\"");
}

}  // namespace

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
            detail::check_path_template(pattern.url_, key);
        } else {
            pattern.url_kind_ = UrlKind::endpoint;
            detail::load_endpoint(pattern.url_, key, pattern.endpoint_methods_,
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

}  // namespace matrix::mock
