// knockRoom (POST /knock/{roomIdOrAlias}): asks to be let into a room whose join rule allows
// knocking. The knock is a membership event like any other; a member may then invite the
// knocker in (inviteUser accepts any current membership but join and ban), or refuse it by
// kicking (a leave). /sync lists the knocked room under rooms.knock with its stripped state.
#include <string>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

Reply handle_knock(State& state, Call& call) {
    if (call.method != "POST" || call.path.size() != 2 || call.path[0] != "knock") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const std::string& user_id = auth.device->user_id;
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    std::string room_id = call.path[1];
    if (!room_id.empty() && room_id.front() == '#') {
        const auto alias = state.aliases.find(room_id);
        if (alias == state.aliases.end()) return error("M_NOT_FOUND", "Unknown room alias", 404);
        room_id = alias->second;
    }
    const auto room = state.rooms.find(room_id);
    if (room == state.rooms.end()) return error("M_NOT_FOUND", "Unknown room " + room_id, 404);
    const std::string current = membership(state, room_id, user_id);
    if (current == "ban") return error("M_FORBIDDEN", "You are banned from this room", 403);
    if (current == "join" || current == "invite") {
        return error("M_FORBIDDEN",
                     "You are already " + std::string(current == "join" ? "in" : "invited to") +
                         " this room",
                     403);
    }
    const std::string rule = state_string(state, room->second, "m.room.join_rules", "join_rule");
    if (rule != "knock" && rule != "knock_restricted") {
        return error("M_FORBIDDEN", "This room does not allow knocking", 403);
    }
    if (current != "knock") {  // knocking again changes nothing
        JsonObject content;
        content.str("membership", "knock");
        if (const auto reason = member_string(*body, "reason")) content.str("reason", *reason);
        if (Reply full = refuse_if_full(state, event_cost(state, room_id, user_id, "m.room.member",
                                                          content.text(), user_id))) {
            return full;
        }
        append_event(state, room_id, user_id, "m.room.member", content.text(), user_id);
    }
    return ok(JsonObject().str("room_id", room_id).text());
}

}  // namespace matrix::mock::sim
