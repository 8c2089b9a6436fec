// The client-server API's server administration operations: whois, and locking and suspending
// accounts. The simulation has no server administrators, so only whois about oneself succeeds.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

std::string header_value(const Call& call, std::string_view name) {
    for (const Header& header : call.entry.headers) {
        if (header_name_equals(header.name, name)) return header.value;
    }
    return {};
}

// One session per device (a device has one access token here), with the one connection the
// simulation remembers: where and when the device was last seen (this request, for the
// caller's own device).
Reply whois(State& state, const Call& call, const Device& me) {
    const std::string& user_id = call.path[2];
    if (user_id != me.user_id) {
        // The spec lets a server restrict whois to the user and its admins; there are no admins.
        return error("M_FORBIDDEN", "Only server admins may look up other users", 403);
    }
    const std::string agent = header_value(call, "User-Agent");
    JsonObject devices;
    for (const Device& device : devices_of(state, user_id)) {
        std::vector<std::string> connections;
        if (device.last_seen_ts != 0) {
            JsonObject connection;
            if (!device.last_seen_ip.empty()) connection.str("ip", device.last_seen_ip);
            connection.num("last_seen", device.last_seen_ts);
            if (device.device_id == me.device_id && !agent.empty()) {
                connection.str("user_agent", agent);
            }
            connections.push_back(connection.text());
        }
        const std::string session = JsonObject().raw("connections", json_array(connections)).text();
        devices.raw(device.device_id, JsonObject().raw("sessions", json_array({session})).text());
    }
    return ok(JsonObject().str("user_id", user_id).raw("devices", devices.text()).text());
}

}  // namespace

Reply handle_server_admin(State& state, Call& call) {
    const auto& p = call.path;
    const std::string& m = call.method;
    const bool lookup = p.size() == 3 && p[0] == "admin" && p[1] == "whois" && m == "GET";
    const bool lock_or_suspend = p.size() == 3 && p[0] == "admin" &&
                                 (p[1] == "lock" || p[1] == "suspend") &&
                                 (m == "GET" || m == "PUT");
    if (!lookup && !lock_or_suspend) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    if (lookup) return whois(state, call, *auth.device);
    // Checked before the target, as a server does: a non-admin learns nothing about accounts.
    return error("M_FORBIDDEN",
                 "The simulation has no server administrators: only an admin may " +
                     std::string(m == "GET" ? "see whether an account is "
                                            : "change whether an account is ") +
                     (p[1] == "lock" ? "locked" : "suspended"),
                 403);
}

}  // namespace matrix::mock::sim
