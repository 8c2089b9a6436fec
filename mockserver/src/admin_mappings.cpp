// Mapping routes beyond add, list, get and delete: replace by id, import a list, and save the
// admin-added stubs to the mappings folder.
#include <rapidjson/document.h>

#include <map>
#include <string>
#include <vector>

#include "admin_routes.hpp"
#include "admin_support.hpp"
#include "json_text_dom.hpp"
#include "mapping_save.hpp"
#include "matrix/mock/stub.hpp"

namespace matrix::mock::admin {
namespace {

std::string id_member(const rapidjson::Value& member) {
    // A number is held as marked text (json_text_dom.hpp), which IsString() would pass.
    return matrix::detail::is_text_string(member)
               ? std::string(member.GetString(), member.GetStringLength())
               : "";
}

AdminResponse no_mapping_to_replace(const std::string& id) {
    return error(404, "M_NOT_FOUND",
                 "no mapping with id " + id + " to replace (POST /__admin/mappings adds one)");
}

}  // namespace

AdminResponse replace_mapping(AdminContext& context, const AdminRequest& request,
                              const std::string& id) {
    // Checked first so that a missing stub is not blamed on the body; replace() checks again.
    if (!context.stubs.find(id)) {
        return no_mapping_to_replace(id);
    }
    rapidjson::Document document;
    AdminResponse failure;
    if (!parse_body(request, document, failure)) return failure;
    // The id comes from the path; one in the body must say the same, or the replacement would
    // quietly move the stub to another id.
    bool has_id = false;
    for (const char* key : {"id", "uuid"}) {
        const auto member = document.FindMember(key);
        if (member == document.MemberEnd()) continue;
        has_id = true;
        if (id_member(member->value) != id) {
            return error(400, "M_BAD_JSON",
                         "'" + std::string(key) + "' in the body must be the id in the path (" +
                             id + "), or be left out",
                         key);
        }
    }
    std::string text = request.body;
    if (!has_id) {
        document.AddMember("id", rapidjson::Value(id.c_str(), document.GetAllocator()),
                           document.GetAllocator());
        text = matrix::detail::compact_text_of(document);
    }
    Stub stub;
    try {
        stub = parse_mapping(text, context.files_dir);
    } catch (const MappingError& e) {
        return error(400, "M_BAD_JSON", e.what(), e.key());
    }
    stub.source = "admin";
    const std::string json = stub.source_json;
    if (!context.stubs.replace(std::move(stub))) {
        return no_mapping_to_replace(id);
    }
    return {200, json};
}

AdminResponse import_mappings(AdminContext& context, const AdminRequest& request) {
    rapidjson::Document document;
    AdminResponse failure;
    if (!parse_body(request, document, failure)) return failure;
    for (auto it = document.MemberBegin(); it != document.MemberEnd(); ++it) {
        const std::string key(it->name.GetString(), it->name.GetStringLength());
        if (key != "mappings" && key != "meta") {
            return error(400, "M_BAD_JSON",
                         "unknown field '" + key + "' (fields: mappings, meta)" +
                             (key == "importOptions"
                                  ? "; import always adds each mapping or replaces the one "
                                    "with its id"
                                  : ""),
                         key);
        }
    }
    const auto list = document.FindMember("mappings");
    if (list == document.MemberEnd() || !list->value.IsArray()) {
        return error(400, "M_BAD_JSON", "'mappings' must be an array of mappings", "mappings");
    }
    // Every mapping is parsed before any is added, so one bad mapping adds nothing.
    std::vector<Stub> stubs;
    std::map<std::string, std::size_t> first_index;  // id -> index that gave it
    for (rapidjson::SizeType i = 0; i < list->value.Size(); ++i) {
        const std::string prefix = "mappings[" + std::to_string(i) + "]";
        try {
            stubs.push_back(parse_mapping(matrix::detail::compact_text_of(list->value[i]),
                                          context.files_dir, prefix));
        } catch (const MappingError& e) {
            return error(400, "M_BAD_JSON", std::string(e.what()) + "; nothing was imported",
                         e.key());
        }
        const auto [at, inserted] = first_index.emplace(stubs.back().id, i);
        if (!inserted) {
            return error(400, "M_BAD_JSON",
                         "'" + prefix + ".id': '" + stubs.back().id +
                             "' is also the id of mappings[" + std::to_string(at->second) +
                             "]; nothing was imported",
                         prefix + ".id");
        }
        stubs.back().source = "admin";
    }
    std::string body = "{\"mappings\":[";
    for (std::size_t i = 0; i < stubs.size(); ++i)
        body += (i > 0 ? "," : "") + stubs[i].source_json;
    body += "],\"meta\":{\"total\":" + std::to_string(stubs.size()) + "}}";
    context.stubs.add_all(std::move(stubs));
    return {200, body};
}

AdminResponse save_mappings(AdminContext& context) {
    if (context.mappings_dir.empty()) {
        return error(409, "M_UNKNOWN",
                     "there is no mappings folder to save to: start matrix-mockserver with "
                     "--mappings DIR (in-process: MockHomeserverOptions::mappings_dir or "
                     "load_mappings(DIR))");
    }
    std::vector<Stub> added;
    for (Stub& stub : context.stubs.list()) {
        if (stub.source == "admin") added.push_back(std::move(stub));
    }
    std::vector<SavedMapping> saved;
    try {
        saved = matrix::mock::save_mappings(context.mappings_dir, added);
    } catch (const MappingSaveError& e) {
        const bool conflict = e.kind() == MappingSaveError::Kind::conflict;
        return error(conflict ? 409 : 500, "M_UNKNOWN",
                     std::string(e.what()) + (conflict ? "; nothing was saved" : ""));
    }
    // Saved stubs are now in the folder, so they stay across POST /__admin/reset as the
    // loaded ones do; one replaced meanwhile (a newer sequence number) was not saved.
    for (const Stub& stub : added) {
        const std::string file = saved[static_cast<std::size_t>(&stub - added.data())].file;
        context.stubs.update(stub.id, [&](Stub& live) {
            if (live.sequence_number != stub.sequence_number) return;
            live.from_files = true;
            live.source = file;
        });
    }
    std::string body = "{\"folder\":" + json_string(context.mappings_dir) + ",\"saved\":[";
    for (std::size_t i = 0; i < saved.size(); ++i) {
        body += (i > 0 ? "," : "") + std::string("{\"id\":") + json_string(saved[i].id) +
                ",\"file\":" + json_string(saved[i].file) + "}";
    }
    return {200, body + "]}"};
}

}  // namespace matrix::mock::admin
