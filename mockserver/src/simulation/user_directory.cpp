// The user directory search. It searches the users the spec says a server must at least
// consider, and no others: those sharing a joined room with the searcher, and those joined to a
// room whose join rule is public or whose history is world readable. So a client sees the
// privacy a real server gives, not every account the simulation holds.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

void add_joined_members(const Room& room, std::set<std::string>& users) {
    for (const auto& [user_id, value] : room.membership) {
        if (value == "join") users.insert(user_id);
    }
}

// Walks the searcher's own rooms through rooms_of_user, but every room for the public ones: a
// simulation holds few enough rooms for that.
std::set<std::string> visible_users(const State& state, const std::string& searcher) {
    std::set<std::string> users;
    if (const auto mine = state.rooms_of_user.find(searcher); mine != state.rooms_of_user.end()) {
        for (const std::string& room_id : mine->second) {
            if (membership(state, room_id, searcher) == "join") {
                add_joined_members(state.rooms.at(room_id), users);
            }
        }
    }
    for (const auto& [room_id, room] : state.rooms) {
        if (state_string(state, room, "m.room.join_rules", "join_rule") == "public" ||
            state_string(state, room, "m.room.history_visibility", "history_visibility") ==
                "world_readable") {
            add_joined_members(room, users);
        }
    }
    return users;
}

}  // namespace

Reply handle_user_directory(State& state, Call& call) {
    const auto& p = call.path;
    if (p.size() != 2 || p[0] != "user_directory" || p[1] != "search" || call.method != "POST") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto term = member_string(*body, "search_term");
    if (!term) return error("M_MISSING_PARAM", "search_term must be a string", 400);
    std::size_t limit = 10;
    if (const auto it = body->FindMember("limit"); it != body->MemberEnd()) {
        if (!it->value.IsUint64()) {
            return error("M_INVALID_PARAM", "limit must be a non-negative integer", 400);
        }
        limit = static_cast<std::size_t>(std::min<std::uint64_t>(it->value.GetUint64(), 1000));
    }
    const std::string needle = lower(*term);
    std::vector<std::string> results;
    bool limited = false;
    // In user id order: the simulation has no rank, and a stable order makes pages repeatable.
    for (const std::string& user_id : visible_users(state, auth.device->user_id)) {
        const auto user = state.users.find(user_id);
        if (user == state.users.end() || user->second.deactivated) continue;
        if (lower(user_id).find(needle) == std::string::npos &&
            lower(user->second.displayname).find(needle) == std::string::npos) {
            continue;
        }
        if (results.size() == limit) {
            limited = true;
            break;
        }
        JsonObject entry;
        entry.str("user_id", user_id);
        if (!user->second.displayname.empty()) entry.str("display_name", user->second.displayname);
        if (!user->second.avatar_url.empty()) entry.str("avatar_url", user->second.avatar_url);
        results.push_back(entry.text());
    }
    return ok(JsonObject().raw("results", json_array(results)).boolean("limited", limited).text());
}

}  // namespace matrix::mock::sim
