// The admin API under /__admin/ (WireMock's paths): mappings, journal, counting, waiting, reset.
#pragma once

#include <functional>
#include <string>

#include "matrix/mock/journal.hpp"
#include "matrix/mock/registry.hpp"

namespace matrix::mock {

// An HTTP exchange reduced to what admin routes need, so they do not depend on the HTTP layer.
struct AdminRequest {
    std::string method;
    std::string path;  // decoded path, e.g. "/__admin/mappings/1234"
    std::string body;
};

struct AdminResponse {
    int status = 200;
    std::string body;  // JSON
};

struct AdminContext {
    Journal& journal;
    StubRegistry& stubs;
    std::string files_dir;        // where bodyFileName of posted mappings is looked up
    std::function<void()> reset;  // journal and non-file stubs
};

inline bool is_admin_path(const std::string& path) {
    return path == "/__admin" || path.rfind("/__admin/", 0) == 0;
}

AdminResponse handle_admin(AdminContext& context, const AdminRequest& request);

}  // namespace matrix::mock
