// Admin routes: each turns a JSON request into calls on the journal and the stub registry, or
// reports on the journal.
#include "admin_api.hpp"

#include <rapidjson/document.h>

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "admin_routes.hpp"
#include "admin_support.hpp"
#include "matrix/mock/conformance_report.hpp"
#include "matrix/mock/pattern.hpp"
#include "matrix/mock/stub.hpp"

namespace matrix::mock {
namespace {

using admin::error;
using admin::kMaxWaitMilliseconds;
using admin::parse_body;
using admin::pattern_member;
using admin::query_param;
using admin::requests_json;

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
    if (wait_id != 0) admin::end_wait_in(context, wait_id, std::chrono::milliseconds(timeout));
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

// The journal's sub-routes that are names, not entry ids.
bool is_journal_route_name(std::string_view segment) {
    return segment == "unmatched" || segment == "count" || segment == "find" || segment == "wait";
}

AdminResponse route(AdminContext& context, const AdminRequest& request) {
    const std::string& path = request.path;
    const std::string& method = request.method;
    constexpr std::string_view kMappingPrefix = "/__admin/mappings/";
    constexpr std::string_view kRequestPrefix = "/__admin/requests/";
    constexpr std::string_view kDashboardPrefix = "/__admin/ui/";

    if (path == "/__admin/health" && method == "GET") return health(context);
    if (path == "/__admin/mappings") {
        if (method == "GET") return list_mappings(context);
        if (method == "POST") return add_mapping(context, request);
    }
    if (path == "/__admin/mappings/save" && method == "POST") return admin::save_mappings(context);
    if (path == "/__admin/mappings/import" && method == "POST")
        return admin::import_mappings(context, request);
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
        if (method == "PUT") return admin::replace_mapping(context, request, id);
    }
    if (path == "/__admin/requests") {
        if (method == "DELETE") {
            context.journal.clear();
            return {200, "{}"};
        }
    }
    if (path == "/__admin/requests/unmatched" && method == "GET") {
        return {200, requests_json(context.journal.unmatched())};
    }
    if (path == "/__admin/requests/count" && method == "POST") {
        return admin::count_requests(context, request);
    }
    if (path == "/__admin/requests/find" && method == "POST") {
        return admin::find_requests(context, request);
    }
    if (path.rfind(kRequestPrefix, 0) == 0 && (method == "GET" || method == "DELETE")) {
        const std::string_view id = std::string_view(path).substr(kRequestPrefix.size());
        if (!id.empty() && id.find('/') == std::string_view::npos && !is_journal_route_name(id))
            return admin::request_by_id(context, request, id);
    }
    if (path == "/__admin/conformance" && method == "GET") return conformance(context, request);
    if (path == "/__admin/coverage" && method == "GET") return admin::coverage(context);
    if (path == "/__admin/stubs" && method == "GET") return admin::stubs(context);
    if (method == "GET" && path == "/__admin/ui") return admin::dashboard("");
    if (method == "GET" && path.starts_with(kDashboardPrefix))
        return admin::dashboard(std::string_view(path).substr(kDashboardPrefix.size()));
    if (path == "/__admin/reset" && method == "POST") {
        context.reset();
        return {200, "{}"};
    }
    return error(404, "M_UNRECOGNIZED",
                 "no admin route " + method + " " + path +
                     " (routes: GET /__admin/health, GET|POST /__admin/mappings, "
                     "GET|PUT|DELETE /__admin/mappings/{id}, POST /__admin/mappings/save, "
                     "POST /__admin/mappings/import, "
                     "GET|DELETE /__admin/requests (GET takes ?limit=N, ?since=ISO8601, "
                     "?after=ID, ?before=ID, ?wait_ms=N with ?after, ?view=summary), "
                     "GET|DELETE /__admin/requests/{id}, "
                     "GET /__admin/requests/unmatched, POST /__admin/requests/count, "
                     "POST /__admin/requests/find, "
                     "POST /__admin/requests/wait, GET /__admin/conformance, "
                     "GET /__admin/coverage, GET /__admin/stubs, "
                     "GET /__admin/ui (the dashboard), POST /__admin/reset)");
}

}  // namespace

void handle_admin(AdminContext& context, const AdminRequest& request,
                  std::function<void(AdminResponse)> respond) {
    if (request.path == "/__admin/requests/wait" && request.method == "POST") {
        wait_for_requests(context, request, std::move(respond));
        return;
    }
    if (request.path == "/__admin/requests" && request.method == "GET") {
        admin::list_requests(context, request, std::move(respond));
        return;
    }
    respond(route(context, request));
}

}  // namespace matrix::mock
