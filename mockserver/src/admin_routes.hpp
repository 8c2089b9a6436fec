// The admin routes beyond the basic ones in admin_api.cpp, one function per route.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "admin_api.hpp"

namespace matrix::mock::admin {

// admin_journal.cpp
// GET /__admin/requests: ?limit, ?since, id paging (?after, ?before), ?view=summary, and a
// long-poll (?wait_ms with ?after) that answers later, through `respond`, without a thread.
void list_requests(AdminContext& context, const AdminRequest& request,
                   std::function<void(AdminResponse)> respond);
// GET or DELETE /__admin/requests/{id}
AdminResponse request_by_id(AdminContext& context, const AdminRequest& request,
                            std::string_view id);
AdminResponse find_requests(AdminContext& context, const AdminRequest& request);
AdminResponse count_requests(AdminContext& context, const AdminRequest& request);

// admin_coverage.cpp: GET /__admin/coverage
AdminResponse coverage(AdminContext& context);
// admin_stubs.cpp: GET /__admin/stubs
AdminResponse stubs(AdminContext& context);
// admin_dashboard.cpp: GET /__admin/ui and /__admin/ui/{file} ("" for the page itself)
AdminResponse dashboard(std::string_view file);

// admin_mappings.cpp
AdminResponse replace_mapping(AdminContext& context, const AdminRequest& request,
                              const std::string& id);
AdminResponse import_mappings(AdminContext& context, const AdminRequest& request);
AdminResponse save_mappings(AdminContext& context);

}  // namespace matrix::mock::admin
