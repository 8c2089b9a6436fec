// Presence: setPresence keeps what a user says of themselves (state and status message) and
// when; getPresence reads it back with last_active_ago counted from then. A user who never set
// it is offline. Presence is not pushed through /sync: its presence section stays empty.
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

std::size_t presence_cost(std::string_view user_id, const Presence& presence) {
    return entry_cost(sizeof(std::string) + sizeof(Presence),
                      {user_id, presence.state, presence.status_msg});
}

Reply read_presence(const State& state, const std::string& user_id) {
    if (!state.users.contains(user_id)) return error("M_NOT_FOUND", "Unknown user " + user_id, 404);
    const auto it = state.presence.find(user_id);
    if (it == state.presence.end()) return ok(JsonObject().str("presence", "offline").text());
    const Presence& presence = it->second;
    JsonObject out;
    out.str("presence", presence.state);
    if (!presence.status_msg.empty()) out.str("status_msg", presence.status_msg);
    out.num("last_active_ago", std::max<std::int64_t>(0, now_ms() - presence.set_at_ms));
    out.boolean("currently_active", presence.state == "online");
    return ok(out.text());
}

Reply set_presence(State& state, const Call& call, const Device& me) {
    if (call.path[1] != me.user_id) {
        return error("M_FORBIDDEN", "Cannot set another user's presence", 403);
    }
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto value = member_string(*body, "presence");
    if (!value) return error("M_MISSING_PARAM", "presence is required", 400);
    if (*value != "online" && *value != "unavailable" && *value != "offline") {
        return error("M_INVALID_PARAM",
                     "presence must be online, unavailable or offline, not '" + *value + "'", 400);
    }
    Presence presence{*value, member_string(*body, "status_msg").value_or(""), now_ms()};
    const std::size_t cost = presence_cost(me.user_id, presence);
    if (Reply full = refuse_if_full(state, cost)) return full;
    if (const auto old = state.presence.find(me.user_id); old != state.presence.end()) {
        release(state, presence_cost(old->first, old->second));
    }
    state.presence[me.user_id] = std::move(presence);
    charge(state, cost);
    return ok("{}");
}

}  // namespace

Reply handle_presence(State& state, Call& call) {
    const auto& p = call.path;
    if (p.size() != 3 || p[0] != "presence" || p[2] != "status") return std::nullopt;
    if (call.method != "GET" && call.method != "PUT") return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    if (call.method == "GET") return read_presence(state, p[1]);
    return set_presence(state, call, *auth.device);
}

}  // namespace matrix::mock::sim
