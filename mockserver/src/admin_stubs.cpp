// GET /__admin/stubs: the stubs in force, each with its uses so far and how many it has left,
// short enough for the dashboard to list (GET /__admin/mappings gives each whole mapping).
#include <string>
#include <vector>

#include "admin_routes.hpp"
#include "matrix/mock/stub.hpp"
#include "valid_utf8.hpp"

namespace matrix::mock::admin {

using detail::JsonWriter;
using detail::write_string;

AdminResponse stubs(AdminContext& context) {
    const std::vector<Stub> listed = context.stubs.list();
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    writer.Key("stubs");
    writer.StartArray();
    for (const Stub& stub : listed) {
        writer.StartObject();
        writer.Key("id");
        write_string(writer, stub.id);
        writer.Key("name");
        write_string(writer, stub.name);
        writer.Key("request");
        write_string(writer, stub.request.describe());
        writer.Key("priority");
        writer.Int(stub.priority);
        writer.Key("source");
        write_string(writer, stub.source);
        writer.Key("uses");
        writer.Uint64(stub.uses);
        writer.Key("max_uses");
        if (stub.max_uses) {
            writer.Uint64(*stub.max_uses);
        } else {
            writer.Null();
        }
        // A stub used up stops matching; "unlimited" for one without maxUses.
        writer.Key("remaining");
        if (stub.max_uses) {
            writer.Uint64(*stub.max_uses > stub.uses ? *stub.max_uses - stub.uses : 0);
        } else {
            writer.String("unlimited");
        }
        writer.Key("expected_uses");
        if (stub.expected_uses) {
            writer.Uint64(*stub.expected_uses);
        } else {
            writer.Null();
        }
        writer.EndObject();
    }
    writer.EndArray();
    writer.Key("meta");
    writer.StartObject();
    writer.Key("total");
    writer.Uint64(listed.size());
    writer.EndObject();
    writer.EndObject();
    return {200, {buffer.GetString(), buffer.GetSize()}};
}

}  // namespace matrix::mock::admin
