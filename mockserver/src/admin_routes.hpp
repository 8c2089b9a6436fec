// The admin routes beyond the basic ones in admin_api.cpp, one function per route.
#pragma once

#include <string>
#include <string_view>

#include "admin_api.hpp"

namespace matrix::mock::admin {

// admin_journal.cpp
AdminResponse list_requests(AdminContext& context, const AdminRequest& request);
// GET or DELETE /__admin/requests/{id}
AdminResponse request_by_id(AdminContext& context, const AdminRequest& request,
                            std::string_view id);
AdminResponse find_requests(AdminContext& context, const AdminRequest& request);
AdminResponse count_requests(AdminContext& context, const AdminRequest& request);

// admin_mappings.cpp
AdminResponse replace_mapping(AdminContext& context, const AdminRequest& request,
                              const std::string& id);
AdminResponse import_mappings(AdminContext& context, const AdminRequest& request);
AdminResponse save_mappings(AdminContext& context);

}  // namespace matrix::mock::admin
