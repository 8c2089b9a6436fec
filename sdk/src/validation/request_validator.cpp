// validate_request(): identifies a request, then checks its token, path parameters, query and
// body against the rules the spec gives its operation.
#include <algorithm>
#include <charconv>

#include "json_text_dom.hpp"
#include "matrix/operation_match.hpp"
#include "matrix/percent_encoding.hpp"
#include "matrix/query_string.hpp"
#include "matrix/spec_validation.hpp"
#include "validation/schema_check.hpp"
#include "validation/schema_set.hpp"

namespace matrix {
namespace {

using validation::check_value;
using validation::Schema;
using validation::SchemaSet;

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

const Header* find_header(std::span<const Header> headers, std::string_view name) {
    for (const Header& header : headers)
        if (equals_ignoring_case(header.name, name)) return &header;
    return nullptr;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// The query as servers read it (matrix::parse_query); pairs with a malformed escape are left
// out: the mock server refuses such requests before they are served.
std::vector<QueryParam> decoded_query(std::string_view target) {
    const std::size_t question = target.find('?');
    if (question == std::string_view::npos) return {};
    return parse_query(target.substr(question + 1)).params;
}

void check_token(const ArrivedRequest& request, const EndpointSpec& operation,
                 std::span<const QueryParam> query, std::vector<SpecViolation>& out) {
    const Header* authorization = find_header(request.headers, "Authorization");
    if (authorization != nullptr) {
        const std::string_view value = trimmed(authorization->value);
        const bool bearer = value.size() > 7 &&
                            equals_ignoring_case(value.substr(0, 7), "Bearer ") &&
                            !trimmed(value.substr(7)).empty();
        if (!bearer) {
            out.push_back({"header.Authorization", "missing_token",
                           "Authorization is not \"Bearer <access token>\""});
        }
        return;
    }
    if (operation.auth != AuthRequirement::required) return;
    const bool in_query = std::any_of(query.begin(), query.end(), [](const QueryParam& param) {
        return param.name == "access_token" && !param.value.empty();
    });
    if (in_query) return;
    out.push_back({"header.Authorization", "missing_token",
                   std::string(operation.operation_id) +
                       " requires an access token (Authorization: Bearer <token>); none was sent"});
}

// A query or path value as the JSON value the schema types it as: "10" is the integer 10
// where the spec wants an integer, "true" a boolean; otherwise the string.
rapidjson::Value typed_text(const std::string& text, std::uint8_t types) {
    using namespace validation;
    if ((types & (kInteger | kNumber)) != 0) {
        std::int64_t integer = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
        if (error == std::errc() && end == text.data() + text.size() && !text.empty())
            return rapidjson::Value(integer);
    }
    if ((types & kBoolean) != 0 && (text == "true" || text == "false"))
        return rapidjson::Value(text == "true");
    // A reference to the text, not a copy: the value lives only while it is checked.
    return rapidjson::Value(
        rapidjson::StringRef(text.data(), static_cast<rapidjson::SizeType>(text.size())));
}

void check_text(const Schema& schema, const std::string& text, std::string& where,
                std::vector<SpecViolation>& out) {
    const rapidjson::Value value = typed_text(text, schema.types);
    check_value(schema, value, where, out);
}

void check_query(const validation::OperationRules& rules, std::span<const QueryParam> query,
                 std::vector<SpecViolation>& out) {
    for (const std::string& name : rules.query_required) {
        const bool present = std::any_of(query.begin(), query.end(), [&](const QueryParam& param) {
            return param.name == name;
        });
        if (!present) {
            out.push_back({"query." + name, "missing",
                           "required query parameter \"" + name + "\" is missing"});
        }
    }
    for (const QueryParam& param : query) {
        const auto rule = std::find_if(rules.query.begin(), rules.query.end(),
                                       [&](const auto& p) { return p.name == param.name; });
        if (rule == rules.query.end()) continue;  // unknown parameters are clients' business
        std::string where = "query." + param.name;
        // An array parameter is sent once per element: each occurrence is one item.
        const Schema& schema = *rule->schema;
        const bool array = (schema.types & validation::kArray) != 0;
        if (array && schema.items == nullptr) continue;
        check_text(array ? *schema.items : schema, param.value, where, out);
    }
}

void check_path(const validation::OperationRules& rules,
                std::span<const std::pair<std::string_view, std::string>> path_params,
                std::vector<SpecViolation>& out) {
    for (const auto& [name, value] : path_params) {
        const auto rule = std::find_if(rules.path.begin(), rules.path.end(),
                                       [&](const auto& p) { return p.name == name; });
        if (rule == rules.path.end()) continue;
        std::string where = "path." + std::string(name);
        check_text(*rule->schema, value, where, out);
    }
}

bool is_json_media_type(std::string_view content_type) {
    const std::string_view media = trimmed(content_type.substr(0, content_type.find(';')));
    return equals_ignoring_case(media, "application/json");
}

// Operations whose body is an event's content, and the path parameter naming its type.
const Schema* event_content_schema(const EndpointSpec& operation,
                                   std::span<const std::pair<std::string_view, std::string>> path) {
    if (operation.operation_id != "sendMessage" && operation.operation_id != "setRoomStateWithKey")
        return nullptr;
    for (const auto& [name, value] : path)
        if (name == "eventType") return SchemaSet::spec().event_content(value);
    return nullptr;
}

void check_body(const ArrivedRequest& request, const EndpointSpec& operation,
                const validation::BodyRule& rule,
                std::span<const std::pair<std::string_view, std::string>> path_params,
                std::vector<SpecViolation>& out) {
    if (!rule.json) return;
    if (request.body.empty()) {
        if (rule.required) {
            out.push_back(
                {"body", "missing",
                 std::string(operation.operation_id) + " takes a JSON body; the request has none"});
        }
        return;
    }
    const Header* content_type = find_header(request.headers, "Content-Type");
    if (content_type == nullptr) {
        out.push_back({"header.Content-Type", "content_type",
                       "a JSON body needs Content-Type: application/json; none was sent"});
    } else if (!is_json_media_type(content_type->value)) {
        out.push_back({"header.Content-Type", "content_type",
                       "a JSON body needs Content-Type: application/json, not \"" +
                           content_type->value + "\""});
    }
    // Numbers keep their text and nesting is bounded (json_text_dom.hpp): a hostile body can
    // neither round a value into conformance nor recurse the walk off the stack.
    rapidjson::Document document;
    if (const std::string error = detail::parse_text_dom(request.body, document); !error.empty()) {
        out.push_back({"body", "not_json", "the body is not JSON: " + error});
        return;
    }
    std::string where = "body";
    if (rule.schema != nullptr) check_value(*rule.schema, document, where, out);
    if (const Schema* content = event_content_schema(operation, path_params);
        content != nullptr && document.IsObject()) {
        check_value(*content, document, where, out);
    }
}

}  // namespace

std::optional<std::string> canonical_path(std::string_view raw_path) {
    std::string out;
    out.reserve(raw_path.size() + 16);
    std::size_t start = 0;
    while (true) {
        const std::size_t slash = raw_path.find('/', start);
        const auto decoded = percent_decode(raw_path.substr(start, slash - start));
        if (!decoded) return std::nullopt;
        append_percent_encoded(out, *decoded);
        if (slash == std::string_view::npos) break;
        out += '/';
        start = slash + 1;
    }
    return out;
}

std::vector<SpecViolation> validate_identified_request(
    const ArrivedRequest& request, const EndpointSpec& operation,
    std::span<const std::pair<std::string_view, std::string>> path_params) {
    std::vector<SpecViolation> out;
    std::vector<QueryParam> decoded;
    if (!request.query) decoded = decoded_query(request.target);
    const std::span<const QueryParam> query = request.query ? *request.query : decoded;
    check_token(request, operation, query, out);
    const validation::OperationRules* rules = SchemaSet::spec().rules(operation);
    if (rules == nullptr) return out;
    check_path(*rules, path_params, out);
    check_query(*rules, query, out);
    if (rules->body) check_body(request, operation, *rules->body, path_params, out);
    return out;
}

SpecVerdict validate_request(const ArrivedRequest& request) {
    SpecVerdict verdict;
    const std::string_view raw_path = request.target.substr(0, request.target.find('?'));
    const std::optional<std::string> canonical = canonical_path(raw_path);
    verdict.path_canonical = canonical && *canonical == raw_path;
    if (!verdict.path_canonical && canonical) verdict.canonical_path = *canonical;
    const auto match = match_operation(request.method, raw_path);
    if (!match) return verdict;
    const std::vector<QueryParam> query = decoded_query(request.target);
    verdict.operation = &tell_apart(*match->operation, query, request.body);
    verdict.path_version = match->version;
    ArrivedRequest decoded = request;
    decoded.query = query;
    verdict.violations =
        validate_identified_request(decoded, *verdict.operation, match->path_params);
    return verdict;
}

}  // namespace matrix
