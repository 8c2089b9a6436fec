// A stub written back as the mapping JSON that parse_mapping() reads: the admin API's copy of a
// stub built in code, so that GET /__admin/mappings shows what is mounted, not what was asked.
#include "stub_json.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "matrix/utf8.hpp"

namespace matrix::mock {
namespace {

Json matcher_json(const ValueMatcher& matcher) {
    switch (matcher.kind) {
        case ValueMatcher::Kind::equal_to:
            return Json::object({{"equalTo", Json::string(matcher.value)}});
        case ValueMatcher::Kind::matches:
            return Json::object({{"matches", Json::string(matcher.value)}});
        case ValueMatcher::Kind::absent:
            return Json::object({{"absent", Json::boolean(true)}});
    }
    return Json::object({});
}

// Values grouped by name, names in order of first appearance: a mapping object names each once.
template <typename T>
std::vector<std::pair<std::string, std::vector<T>>> grouped(
    const std::vector<std::pair<std::string, T>>& named) {
    std::vector<std::pair<std::string, std::vector<T>>> groups;
    for (const auto& [name, value] : named) {
        auto group = std::ranges::find_if(groups, [&](const auto& g) { return g.first == name; });
        if (group == groups.end()) {
            groups.emplace_back(name, std::vector<T>{});
            group = std::prev(groups.end());
        }
        group->second.push_back(value);
    }
    return groups;
}

// {"name": MATCHER}, or {"name": [MATCHER, ...]} when a name has several (all must hold).
Json named_matchers_json(const std::vector<std::pair<std::string, ValueMatcher>>& matchers) {
    std::vector<std::pair<std::string, Json>> members;
    for (const auto& [name, list] : grouped(matchers)) {
        std::vector<Json> tests;
        for (const ValueMatcher& matcher : list) tests.push_back(matcher_json(matcher));
        members.emplace_back(name, tests.size() == 1 ? tests.front() : Json::array(tests));
    }
    return Json::object(members);
}

Json body_pattern_json(const BodyPattern& pattern) {
    if (pattern.kind == BodyPattern::Kind::equal_to_json) {
        return Json::object(
            {{"equalToJson", pattern.json},
             {"ignoreExtraElements", Json::boolean(pattern.ignore_extra_elements)}});
    }
    if (!pattern.at_path)
        return Json::object({{"matchesJsonPath", Json::string(pattern.json_path)}});
    const Json test = matcher_json(*pattern.at_path);
    return Json::object(
        {{"matchesJsonPath", test.with_member("expression", Json::string(pattern.json_path))}});
}

// A JSON response's body as JSON; nullopt for other bodies (and for a body marked JSON that is
// not, which a ResponseDefinition built by hand may hold: it is shown as text instead).
std::optional<Json> json_body(const ResponseDefinition& response) {
    if (!response.json) return std::nullopt;
    try {
        return Json::parse(response.body, "jsonBody");
    } catch (const std::invalid_argument&) {
        return std::nullopt;
    }
}

Json response_json(const ResponseDefinition& response) {
    std::vector<std::pair<std::string, Json>> members{{"status", Json::number(response.status)}};
    if (!response.headers.empty()) {
        std::vector<std::pair<std::string, std::string>> named;
        for (const Header& header : response.headers) named.emplace_back(header.name, header.value);
        std::vector<std::pair<std::string, Json>> headers;
        for (const auto& [name, values] : grouped(named)) {
            headers.emplace_back(name, values.size() == 1 ? Json::string(values.front())
                                                          : Json::string_array(values));
        }
        members.emplace_back("headers", Json::object(headers));
    }
    if (const std::optional<Json> body = json_body(response)) {
        members.emplace_back("jsonBody", *body);
    } else if (!response.body.empty() && is_valid_utf8(response.body)) {
        members.emplace_back("body", Json::string(response.body));
    }
    if (response.fixed_delay.count() > 0)
        members.emplace_back("fixedDelayMilliseconds", Json::number(response.fixed_delay.count()));
    if (response.fault == Fault::connection_reset)
        members.emplace_back("fault", Json::string("CONNECTION_RESET"));
    if (response.fault == Fault::empty_response)
        members.emplace_back("fault", Json::string("EMPTY_RESPONSE"));
    return Json::object(members);
}

}  // namespace

Json RequestPattern::to_json() const {
    std::vector<std::pair<std::string, Json>> members;
    if (method_) members.emplace_back("method", Json::string(*method_));
    switch (url_kind_) {
        case UrlKind::any:
            break;
        case UrlKind::url:
            members.emplace_back("url", Json::string(url_));
            break;
        case UrlKind::url_path:
            members.emplace_back("urlPath", Json::string(url_));
            break;
        case UrlKind::url_path_pattern:
            members.emplace_back("urlPathPattern", Json::string(url_));
            break;
        case UrlKind::url_path_template:
            members.emplace_back("urlPathTemplate", Json::string(url_));
            break;
        case UrlKind::endpoint:
            members.emplace_back("endpoint", Json::string(url_));
            break;
    }
    if (!query_.empty()) members.emplace_back("queryParameters", named_matchers_json(query_));
    if (!headers_.empty()) members.emplace_back("headers", named_matchers_json(headers_));
    if (!body_.empty()) {
        std::vector<Json> patterns;
        for (const BodyPattern& pattern : body_) patterns.push_back(body_pattern_json(pattern));
        members.emplace_back("bodyPatterns", Json::array(patterns));
    }
    return Json::object(members);
}

Json mapping_json(const Stub& stub) {
    std::vector<std::pair<std::string, Json>> members{{"id", Json::string(stub.id)}};
    if (!stub.name.empty()) members.emplace_back("name", Json::string(stub.name));
    members.emplace_back("priority", Json::number(stub.priority));
    if (stub.max_uses)
        members.emplace_back("maxUses", Json::number(static_cast<std::int64_t>(*stub.max_uses)));
    members.emplace_back("request", stub.request.to_json());
    if (stub.responses.size() == 1) {
        members.emplace_back("response", response_json(stub.responses.front()));
    } else {
        std::vector<Json> sequence;
        for (const ResponseDefinition& response : stub.responses)
            sequence.push_back(response_json(response));
        members.emplace_back("sequence", Json::array(sequence));
    }
    // What the mapping format has no key for, for the reader: where the stub came from, and a
    // body that is not text.
    std::vector<std::pair<std::string, Json>> metadata{{"source", Json::string(stub.source)}};
    for (std::size_t i = 0; i < stub.responses.size(); ++i) {
        const ResponseDefinition& response = stub.responses[i];
        if (response.body.empty() || is_valid_utf8(response.body)) continue;
        metadata.emplace_back("binaryBody" + std::to_string(i),
                              Json::string(std::to_string(response.body.size()) +
                                           " bytes that are not UTF-8 text (not shown)"));
    }
    members.emplace_back("metadata", Json::object(metadata));
    return Json::object(members);
}

}  // namespace matrix::mock
