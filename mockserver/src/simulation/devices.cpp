// Devices (list, fetch, rename, delete after user-interactive auth).
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

std::string device_json(const State& state, const Device& device) {
    JsonObject out;
    out.str("device_id", device.device_id);
    const auto name = state.device_names.find(device.key());
    if (name != state.device_names.end()) out.str("display_name", name->second);
    if (!device.last_seen_ip.empty()) out.str("last_seen_ip", device.last_seen_ip);
    if (device.last_seen_ts != 0) out.num("last_seen_ts", device.last_seen_ts);
    return out.text();
}

// deleteDevice (DELETE devices/{id}) and deleteDevices (POST delete_devices).
Reply delete_after_auth(State& state, const Call& call, const Device& me) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    // The auth comes first, so that a client probing for the flows with an empty body gets them.
    if (Reply unfinished = check_user_interactive_auth(state, *body, state.users[me.user_id])) {
        return unfinished;
    }
    std::vector<std::string> device_ids;
    if (call.path[0] == "devices") {
        device_ids.push_back(call.path[1]);
    } else {
        const auto devices = body->FindMember("devices");
        if (devices == body->MemberEnd() || !devices->value.IsArray()) {
            return error("M_MISSING_PARAM", "devices must be an array of device ids", 400);
        }
        for (const auto& id : devices->value.GetArray()) {
            if (!is_client_string(id)) {
                return error("M_BAD_JSON", "devices must be an array of device ids", 400);
            }
            device_ids.emplace_back(id.GetString(), id.GetStringLength());
        }
    }
    forget_devices(state, me.user_id, device_ids);
    return ok("{}");
}

}  // namespace

std::size_t device_name_cost(const Device& device, std::string_view name) {
    // The key is "user|device".
    return entry_cost(2 * sizeof(std::string), {device.user_id, "|", device.device_id, name});
}

void set_device_name(State& state, const Device& device, const std::string& name) {
    const auto [it, added] = state.device_names.try_emplace(device.key(), name);
    if (!added) {
        release(state, device_name_cost(device, it->second));
        it->second = name;
    }
    charge(state, device_name_cost(device, name));
}

void forget_devices(State& state, const std::string& user_id,
                    const std::vector<std::string>& device_ids) {
    erase_device_tokens(state, user_id, device_ids);
    forget_device_keys(state, user_id, device_ids);
    forget_to_device(state, user_id, device_ids);
    for (const std::string& device_id : device_ids) {
        const Device device{user_id, device_id};
        const auto name = state.device_names.find(device.key());
        if (name == state.device_names.end()) continue;
        release(state, device_name_cost(device, name->second));
        state.device_names.erase(name);
    }
}

Reply handle_devices(State& state, Call& call) {
    const auto& p = call.path;
    const std::string& m = call.method;
    const bool devices = !p.empty() && p[0] == "devices" && p.size() <= 2;
    const bool delete_many = p.size() == 1 && p[0] == "delete_devices" && m == "POST";
    if (!devices && !delete_many) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device me = *auth.device;

    if (delete_many || (devices && p.size() == 2 && m == "DELETE")) {
        return delete_after_auth(state, call, me);
    }
    const std::vector<Device> mine = devices_of(state, me.user_id);
    if (p.size() == 1 && m == "GET") {
        std::vector<std::string> items;
        for (const Device& device : mine) items.push_back(device_json(state, device));
        return ok(JsonObject().raw("devices", json_array(items)).text());
    }
    if (p.size() != 2) return std::nullopt;
    const Device* found = nullptr;
    for (const Device& device : mine) {
        if (device.device_id == p[1]) found = &device;
    }
    if (!found) return error("M_NOT_FOUND", "Unknown device", 404);
    if (m == "GET") return ok(device_json(state, *found));
    if (m == "PUT") {
        const auto body = parse_object(call.entry.body);
        if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
        if (const auto name = member_string(*body, "display_name")) {
            if (Reply full = refuse_if_full(state, device_name_cost(*found, *name))) return full;
            set_device_name(state, *found, *name);
        }
        return ok("{}");
    }
    return std::nullopt;
}

}  // namespace matrix::mock::sim
