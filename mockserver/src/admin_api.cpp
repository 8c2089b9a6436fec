// Admin routes: each turns a JSON request into calls on the journal and the stub registry, or
// reports on the journal.
#include "admin_api.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "json_text_dom.hpp"
#include "matrix/mock/conformance_report.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/mock/stub.hpp"
#include "matrix/query_string.hpp"

namespace matrix::mock {
namespace {

// Five minutes is far beyond any test's need (a wait holds no thread, only a journal entry).
constexpr std::int64_t kMaxWaitMilliseconds = 300'000;

std::string json_string(std::string_view text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return {buffer.GetString(), buffer.GetSize()};
}

AdminResponse error(int status, std::string_view errcode, std::string_view message,
                    std::string_view key = {}) {
    std::string body =
        "{\"errcode\":" + json_string(errcode) + ",\"error\":" + json_string(message);
    if (!key.empty()) body += ",\"key\":" + json_string(key);
    return {status, body + "}"};
}

std::string requests_json(const std::vector<JournalEntry>& entries, std::string extra = {}) {
    std::string body = "{\"requests\":[";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) body += ',';
        body += to_json(entries[i]);
    }
    body += "]";
    if (!extra.empty()) body += "," + extra;
    return body + "}";
}

// Parses an admin request body with Json::parse's limits. Numbers are kept as written
// (json_text_dom.hpp): a wrapped request pattern is written back out for the pattern parser, and
// its equalToJson numbers must reach it unchanged. count and timeoutMs, integers within 64 bits,
// stay typed numbers; a fraction or a bigger number there is refused as not an integer.
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

AdminResponse health(AdminContext& context) {
    const Journal& journal = context.journal;
    std::string body =
        "{\"status\":\"healthy\",\"journal\":{\"size\":" + std::to_string(journal.size()) +
        ",\"capacity\":" + std::to_string(journal.capacity()) +
        ",\"bytes\":" + std::to_string(journal.bytes()) +
        ",\"max_bytes\":" + std::to_string(journal.max_bytes()) +
        ",\"evicted\":" + std::to_string(journal.evicted()) +
        ",\"evicted_bytes\":" + std::to_string(journal.evicted_bytes()) +
        "},\"stubs\":" + std::to_string(context.stubs.list().size());
    if (context.health) {
        const ServerHealth server = context.health();
        const http::ServerStats& connections = server.connections;
        body += ",\"connections\":{\"open\":" + std::to_string(connections.open_connections) +
                ",\"peak\":" + std::to_string(connections.peak_connections) +
                ",\"limit\":" + std::to_string(connections.connection_limit) +
                ",\"accepted\":" + std::to_string(connections.accepted) +
                ",\"refused\":" + std::to_string(connections.refused_connections) +
                "},\"requests_in_flight\":" + std::to_string(connections.requests_in_flight);
        if (server.held_syncs) body += ",\"held_syncs\":" + std::to_string(*server.held_syncs);
    }
    return {200, body + "}"};
}

AdminResponse list_mappings(AdminContext& context) {
    const std::vector<Stub> stubs = context.stubs.list();
    std::string body = "{\"mappings\":[";
    for (std::size_t i = 0; i < stubs.size(); ++i) {
        if (i > 0) body += ',';
        body += stubs[i].source_json;
    }
    return {200, body + "],\"meta\":{\"total\":" + std::to_string(stubs.size()) + "}}"};
}

AdminResponse add_mapping(AdminContext& context, const AdminRequest& request) {
    try {
        Stub stub = parse_mapping(request.body, context.files_dir);
        stub.source = "admin";
        const std::string json = stub.source_json;
        context.stubs.add(std::move(stub));
        return {201, json};
    } catch (const MappingError& e) {
        return error(400, "M_BAD_JSON", e.what(), e.key());
    }
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

AdminResponse count_requests(AdminContext& context, const AdminRequest& request) {
    AdminResponse failure;
    rapidjson::Document document;
    if (!parse_body(request, document, failure)) return failure;
    // WireMock posts the pattern itself; {"request": pattern} is accepted as well.
    std::optional<RequestPattern> pattern;
    if (document.HasMember("request")) {
        pattern = pattern_member(document, "request", failure);
    } else {
        try {
            pattern = RequestPattern::parse(request.body, "request");
        } catch (const MappingError& e) {
            return error(400, "M_BAD_JSON", e.what(), e.key());
        }
    }
    if (!pattern) return failure;
    return {200, "{\"count\":" + std::to_string(context.journal.count(*pattern)) + "}"};
}

// Answers when `count` requests match, or with what did at `timeoutMs` (408). No thread waits.
void wait_for_requests(AdminContext& context, const AdminRequest& request,
                       std::function<void(AdminResponse)> respond) {
    AdminResponse failure;
    rapidjson::Document document;
    if (!parse_body(request, document, failure)) return respond(std::move(failure));
    for (auto it = document.MemberBegin(); it != document.MemberEnd(); ++it) {
        const std::string_view key(it->name.GetString(), it->name.GetStringLength());
        if (key != "request" && key != "count" && key != "timeoutMs") {
            return respond(error(
                400, "M_BAD_JSON",
                "unknown field '" + std::string(key) + "' (fields: request, count, timeoutMs)",
                key));
        }
    }
    const auto pattern = pattern_member(document, "request", failure);
    if (!pattern) return respond(std::move(failure));
    std::int64_t count = 1;
    if (const auto it = document.FindMember("count"); it != document.MemberEnd()) {
        if (!it->value.IsInt64() || it->value.GetInt64() < 0) {
            return respond(
                error(400, "M_BAD_JSON", "'count' must be a non-negative integer", "count"));
        }
        count = it->value.GetInt64();
    }
    std::int64_t timeout = 10'000;
    if (const auto it = document.FindMember("timeoutMs"); it != document.MemberEnd()) {
        if (!it->value.IsInt64() || it->value.GetInt64() < 0 ||
            it->value.GetInt64() > kMaxWaitMilliseconds) {
            return respond(error(
                400, "M_BAD_JSON",
                "'timeoutMs' must be an integer from 0 to " + std::to_string(kMaxWaitMilliseconds),
                "timeoutMs"));
        }
        timeout = it->value.GetInt64();
    }
    const Journal& journal = context.journal;
    const std::uint64_t wait_id = journal.when_matched(
        *pattern, static_cast<std::size_t>(count), [respond, count](WaitResult result) {
            const std::string meta = "\"count\":" + std::to_string(result.matching.size()) +
                                     ",\"expected\":" + std::to_string(count);
            respond({result.complete ? 200 : 408, requests_json(result.matching, meta)});
        });
    if (wait_id == 0) return;  // already answered
    const auto finish = [&journal, wait_id] { journal.finish_wait(wait_id); };
    if (context.after) context.after(std::chrono::milliseconds(timeout), finish);
    if (context.on_abandoned) context.on_abandoned(finish);
}

// The value of query parameter `name` (decoded; the last if repeated), or nullopt.
std::optional<std::string> query_param(std::string_view query, std::string_view name) {
    std::optional<std::string> found;
    for (QueryParam& param : parse_query(query).params) {
        if (param.name == name) found = std::move(param.value);
    }
    return found;
}

// The report over the entries the journal holds now (evicted ones are gone from it).
AdminResponse conformance(AdminContext& context, const AdminRequest& request) {
    ReportFormat format = ReportFormat::json;
    if (const auto name = query_param(request.query, "format")) {
        const auto chosen = report_format_from_string(*name);
        if (!chosen) {
            return error(400, "M_INVALID_PARAM",
                         "'format' must be json, markdown or junit, got '" + *name + "'", "format");
        }
        format = *chosen;
    }
    const std::vector<JournalEntry> entries = context.journal.entries();
    return {200, render(conformance_report(entries), format), std::string(content_type(format))};
}

}  // namespace

namespace {

AdminResponse route(AdminContext& context, const AdminRequest& request) {
    const std::string& path = request.path;
    const std::string& method = request.method;
    constexpr std::string_view kMappingPrefix = "/__admin/mappings/";

    if (path == "/__admin/health" && method == "GET") return health(context);
    if (path == "/__admin/mappings") {
        if (method == "GET") return list_mappings(context);
        if (method == "POST") return add_mapping(context, request);
    }
    if (path.rfind(kMappingPrefix, 0) == 0 && path.size() > kMappingPrefix.size()) {
        const std::string id = path.substr(kMappingPrefix.size());
        if (method == "DELETE") {
            if (context.stubs.remove(id)) return {200, "{}"};
            return error(404, "M_NOT_FOUND", "no mapping with id " + id);
        }
        if (method == "GET") {
            if (const auto stub = context.stubs.find(id)) return {200, stub->source_json};
            return error(404, "M_NOT_FOUND", "no mapping with id " + id);
        }
    }
    if (path == "/__admin/requests") {
        if (method == "GET") {
            return {200,
                    requests_json(context.journal.entries(),
                                  "\"meta\":{\"total\":" + std::to_string(context.journal.size()) +
                                      ",\"evicted\":" + std::to_string(context.journal.evicted()) +
                                      "}")};
        }
        if (method == "DELETE") {
            context.journal.clear();
            return {200, "{}"};
        }
    }
    if (path == "/__admin/requests/unmatched" && method == "GET") {
        return {200, requests_json(context.journal.unmatched())};
    }
    if (path == "/__admin/requests/count" && method == "POST") {
        return count_requests(context, request);
    }
    if (path == "/__admin/conformance" && method == "GET") return conformance(context, request);
    if (path == "/__admin/reset" && method == "POST") {
        context.reset();
        return {200, "{}"};
    }
    return error(404, "M_UNRECOGNIZED",
                 "no admin route " + method + " " + path +
                     " (routes: GET /__admin/health, GET|POST /__admin/mappings, "
                     "GET|DELETE /__admin/mappings/{id}, GET|DELETE /__admin/requests, "
                     "GET /__admin/requests/unmatched, POST /__admin/requests/count, "
                     "POST /__admin/requests/wait, GET /__admin/conformance, "
                     "POST /__admin/reset)");
}

}  // namespace

void handle_admin(AdminContext& context, const AdminRequest& request,
                  std::function<void(AdminResponse)> respond) {
    if (request.path == "/__admin/requests/wait" && request.method == "POST") {
        wait_for_requests(context, request, std::move(respond));
        return;
    }
    respond(route(context, request));
}

}  // namespace matrix::mock
