// What the admin routes share: ending waits, error bodies, the journal listing, body and query
// parsing.
#include "admin_support.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "json_text_dom.hpp"
#include "matrix/query_string.hpp"

namespace matrix::mock::admin {

void end_wait_in(AdminContext& context, std::uint64_t wait_id, std::chrono::milliseconds timeout) {
    const Journal& journal = context.journal;
    const auto finish = [&journal, wait_id] { journal.finish_wait(wait_id); };
    if (context.after) context.after(timeout, finish);
    if (context.on_abandoned) context.on_abandoned(finish);
}

std::string json_string(std::string_view text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return {buffer.GetString(), buffer.GetSize()};
}

AdminResponse error(int status, std::string_view errcode, std::string_view message,
                    std::string_view key) {
    std::string body =
        "{\"errcode\":" + json_string(errcode) + ",\"error\":" + json_string(message);
    if (!key.empty()) body += ",\"key\":" + json_string(key);
    return {status, body + "}"};
}

std::string requests_json(const std::vector<JournalEntry>& entries, std::string extra,
                          EntryForm form) {
    std::string body = "{\"requests\":[";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) body += ',';
        body += form == EntryForm::summary ? to_summary_json(entries[i]) : to_json(entries[i]);
    }
    body += "]";
    if (!extra.empty()) body += "," + extra;
    return body + "}";
}

// Numbers are kept as written: a wrapped request pattern is written back out for the pattern
// parser, and its equalToJson numbers must reach it unchanged. count and timeoutMs, integers
// within 64 bits, stay typed numbers; a fraction or a bigger number there is refused as not an
// integer.
bool parse_body(const AdminRequest& request, rapidjson::Document& document,
                AdminResponse& failure) {
    const std::string problem = matrix::detail::parse_text_dom(request.body, document);
    if (!problem.empty()) {
        failure = error(400, "M_NOT_JSON", "request body is not JSON: " + problem);
        return false;
    }
    if (!document.IsObject()) {
        failure = error(400, "M_BAD_JSON", "request body must be a JSON object");
        return false;
    }
    return true;
}

std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    std::optional<std::string> found;
    for (QueryParam& param : parse_query(query).params) {
        if (param.name == name) found = std::move(param.value);
    }
    return found;
}

std::optional<AdminResponse> refuse_unknown_params(std::string_view query,
                                                   std::initializer_list<std::string_view> known) {
    for (const QueryParam& param : parse_query(query).params) {
        bool is_known = false;
        std::string listed;
        for (const std::string_view name : known) {
            is_known = is_known || param.name == name;
            listed += listed.empty() ? "" : ", ";
            listed += name;
        }
        if (!is_known) {
            return error(
                400, "M_INVALID_PARAM",
                "unknown query parameter '" + param.name + "' (parameters: " + listed + ")",
                param.name);
        }
    }
    return std::nullopt;
}

std::optional<RequestPattern> pattern_member(const rapidjson::Value& object, const char* name,
                                             AdminResponse& failure) {
    const auto member = object.FindMember(name);
    if (member == object.MemberEnd()) return RequestPattern();
    try {
        return RequestPattern::parse(matrix::detail::compact_text_of(member->value), name);
    } catch (const MappingError& e) {
        failure = error(400, "M_BAD_JSON", e.what(), e.key());
        return std::nullopt;
    }
}

std::optional<RequestPattern> posted_pattern(const AdminRequest& request, AdminResponse& failure) {
    rapidjson::Document document;
    if (!parse_body(request, document, failure)) return std::nullopt;
    if (document.HasMember("request")) return pattern_member(document, "request", failure);
    try {
        return RequestPattern::parse(request.body, "request");
    } catch (const MappingError& e) {
        failure = error(400, "M_BAD_JSON", e.what(), e.key());
        return std::nullopt;
    }
}

}  // namespace matrix::mock::admin
