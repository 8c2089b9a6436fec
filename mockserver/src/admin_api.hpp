// The admin API under /__admin/ (WireMock's paths): mappings, journal, counting, waiting, reset,
// and the spec conformance report over the journal.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/server.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/mock/registry.hpp"

namespace matrix::mock {

// An HTTP exchange reduced to what admin routes need, so they do not depend on the HTTP layer.
struct AdminRequest {
    std::string method;
    std::string path;  // decoded path, e.g. "/__admin/mappings/1234"
    std::string body;
    std::string query;  // raw, after the '?' ("format=markdown"); "" when none
};

struct AdminResponse {
    int status = 200;
    std::string body;  // JSON, unless content_type says otherwise
    std::string content_type = "application/json";
    std::vector<Header> headers = {};  // beyond Content-Type (the dashboard's security policy)
};

// What GET /__admin/health reports of the HTTP layer and the simulation.
struct ServerHealth {
    http::ServerStats connections;
    std::optional<std::size_t> held_syncs;  // when the simulation is on
};

struct AdminContext {
    Journal& journal;
    StubRegistry& stubs;
    std::string files_dir;        // where bodyFileName of posted mappings is looked up
    std::function<void()> reset;  // journal and non-file stubs
    std::function<ServerHealth()> health;
    // Runs a task after a delay (the timeout of POST /__admin/requests/wait).
    std::function<void(std::chrono::milliseconds, std::function<void()>)> after;
    // Runs a task if the client goes before its answer (a wait then ends at once).
    std::function<void(std::function<void()>)> on_abandoned;
    // Where POST /__admin/mappings/save writes the admin-added stubs; "" when there is none.
    std::string mappings_dir;
};

inline bool is_admin_path(const std::string& path) {
    return path == "/__admin" || path.rfind("/__admin/", 0) == 0;
}

// Answers through `respond`, exactly once: at once, or later from another thread (a wait).
void handle_admin(AdminContext& context, const AdminRequest& request,
                  std::function<void(AdminResponse)> respond);

}  // namespace matrix::mock
