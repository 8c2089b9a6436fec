// Rooms: createRoom, membership changes, joined rooms, members, state and room aliases.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

Reply require_room(const State& state, const std::string& room_id) {
    if (!state.rooms.contains(room_id)) return error("M_NOT_FOUND", "Unknown room " + room_id, 404);
    return std::nullopt;
}

Reply join(State& state, const Device& device, const std::string& id_or_alias) {
    std::string room_id = id_or_alias;
    if (!id_or_alias.empty() && id_or_alias.front() == '#') {
        const auto it = state.aliases.find(id_or_alias);
        if (it == state.aliases.end()) return error("M_NOT_FOUND", "Unknown room alias", 404);
        room_id = it->second;
    }
    if (Reply missing = require_room(state, room_id)) return missing;
    const std::string current = membership(state, room_id, device.user_id);
    if (current == "ban") return error("M_FORBIDDEN", "You are banned from this room", 403);
    if (current != "join") {
        const Room& room = state.rooms.at(room_id);
        const auto rule = room.state.find({"m.room.join_rules", ""});
        bool is_public = false;
        if (rule != room.state.end()) {
            const auto content = parse_object(state.events[rule->second].content);
            is_public = content && member_string(*content, "join_rule") == "public";
        }
        if (!is_public && current != "invite") {
            return error("M_FORBIDDEN", "You are not invited to this room", 403);
        }
        std::string content = member_content(state, device.user_id, "join");
        if (Reply full =
                refuse_if_full(state, event_cost(state, room_id, device.user_id, "m.room.member",
                                                 content, device.user_id))) {
            return full;
        }
        append_event(state, room_id, device.user_id, "m.room.member", std::move(content),
                     device.user_id);
    }
    return ok(JsonObject().str("room_id", room_id).text());
}

}  // namespace

Reply change_membership(State& state, const Device& device, const std::string& room_id,
                        const std::string& action, const std::string& target,
                        const std::optional<std::string>& reason) {
    if (membership(state, room_id, device.user_id) != "join") {
        return error("M_FORBIDDEN", "You are not in this room", 403);
    }
    const std::string current = membership(state, room_id, target);
    std::string next;
    if (action == "invite") {
        if (current == "join") return error("M_FORBIDDEN", target + " is already in the room", 403);
        if (current == "ban") return error("M_FORBIDDEN", target + " is banned", 403);
        next = "invite";
    } else if (action == "kick") {
        // Kicking a knocker is how a room refuses the knock.
        if (current != "join" && current != "invite" && current != "knock") {
            return error("M_FORBIDDEN", target + " is not in the room", 403);
        }
        next = "leave";
    } else if (action == "ban") {
        next = "ban";
    } else {
        if (current != "ban") return error("M_FORBIDDEN", target + " is not banned", 403);
        next = "leave";
    }
    JsonObject content;
    content.str("membership", next);
    if (reason) content.str("reason", *reason);
    if (Reply full = refuse_if_full(state, event_cost(state, room_id, device.user_id,
                                                      "m.room.member", content.text(), target))) {
        return full;
    }
    append_event(state, room_id, device.user_id, "m.room.member", content.text(), target);
    return ok("{}");
}

namespace {

std::string members_json(const State& state, const Room& room, const std::string& viewer,
                         std::optional<std::string> only) {
    std::vector<std::string> events;
    for (const auto& [key, index] : room.state) {
        if (key.first != "m.room.member") continue;
        if (only && room.membership.at(key.second) != *only) continue;
        events.push_back(event_json(state, state.events[index], viewer));
    }
    return JsonObject().raw("chunk", json_array(events)).text();
}

// What a publicRooms request asks for: GET takes the query, POST the body.
struct PublicRoomsQuery {
    std::optional<std::size_t> limit;
    std::size_t offset = 0;   // from the since token "p<offset>"
    std::string search_term;  // filter.generic_search_term, lower-cased
};

// Parses limit and since (and, for POST, filter.generic_search_term); a reply on bad input.
Reply read_public_rooms_query(const Call& call, PublicRoomsQuery& out) {
    std::optional<std::string> limit;
    std::optional<std::string> since;
    if (call.method == "GET") {
        limit = query(call, "limit");
        since = query(call, "since");
    } else {
        const auto body = parse_object(call.entry.body);
        if (!body) return error("M_NOT_JSON", "the body must be a JSON object", 400);
        if (const auto it = body->FindMember("limit"); it != body->MemberEnd()) {
            if (!it->value.IsUint64())
                return error("M_INVALID_PARAM", "limit must be a number", 400);
            limit = std::to_string(it->value.GetUint64());
        }
        since = member_string(*body, "since");
        if (const auto it = body->FindMember("filter");
            it != body->MemberEnd() && it->value.IsObject()) {
            out.search_term = lower(member_string(it->value, "generic_search_term").value_or(""));
        }
    }
    try {
        if (limit) out.limit = std::clamp<std::size_t>(std::stoul(*limit), 1, 1000);
    } catch (const std::exception&) {
        return error("M_INVALID_PARAM", "limit must be a number", 400);
    }
    if (since) {
        // Tokens this server hands out are "p<offset>"; anything else was never issued.
        if (since->size() < 2 || (*since)[0] != 'p' ||
            since->find_first_not_of("0123456789", 1) != std::string::npos) {
            return error("M_INVALID_PARAM", "Unknown since token '" + *since + "'", 400);
        }
        out.offset = std::stoul(since->substr(1));
    }
    return std::nullopt;
}

// GET or POST publicRooms: the published rooms, filtered by the search term over name, topic
// and alias, paged with since/limit (next_batch and prev_batch are "p<offset>").
std::string public_rooms(const State& state, const PublicRoomsQuery& request) {
    std::vector<std::string> matching;
    for (const std::string& room_id : state.published_rooms) {
        const auto room = state.rooms.find(room_id);
        if (room == state.rooms.end()) continue;
        std::int64_t joined = 0;
        for (const auto& [user, value] : room->second.membership) joined += value == "join";
        JsonObject entry;
        entry.str("room_id", room_id).num("num_joined_members", joined);
        const std::string name = state_string(state, room->second, "m.room.name", "name");
        if (!name.empty()) entry.str("name", name);
        const std::string topic = state_string(state, room->second, "m.room.topic", "topic");
        if (!topic.empty()) entry.str("topic", topic);
        const std::string alias =
            state_string(state, room->second, "m.room.canonical_alias", "alias");
        if (!alias.empty()) entry.str("canonical_alias", alias);
        if (!request.search_term.empty() &&
            lower(name + "\n" + topic + "\n" + alias).find(request.search_term) ==
                std::string::npos) {
            continue;
        }
        const std::string rule =
            state_string(state, room->second, "m.room.join_rules", "join_rule");
        entry.str("join_rule", rule.empty() ? "invite" : rule)
            .boolean("world_readable",
                     state_string(state, room->second, "m.room.history_visibility",
                                  "history_visibility") == "world_readable")
            .boolean("guest_can_join", state_string(state, room->second, "m.room.guest_access",
                                                    "guest_access") == "can_join");
        matching.push_back(entry.text());
    }
    const std::size_t begin = std::min(request.offset, matching.size());
    const std::size_t end =
        request.limit ? std::min(matching.size(), begin + *request.limit) : matching.size();
    const std::vector<std::string> chunk(matching.begin() + static_cast<std::ptrdiff_t>(begin),
                                         matching.begin() + static_cast<std::ptrdiff_t>(end));
    JsonObject page;
    page.raw("chunk", json_array(chunk))
        .num("total_room_count_estimate", static_cast<std::int64_t>(matching.size()));
    if (end < matching.size()) page.str("next_batch", "p" + std::to_string(end));
    if (begin > 0) {
        const std::size_t previous =
            request.limit && begin > *request.limit ? begin - *request.limit : 0;
        page.str("prev_batch", "p" + std::to_string(previous));
    }
    return page.text();
}

}  // namespace

Reply handle_rooms(State& state, Call& call) {
    const auto& p = call.path;
    const std::string& m = call.method;
    const bool create = p.size() == 1 && p[0] == "createRoom" && m == "POST";
    const bool join_any = p.size() == 2 && p[0] == "join" && m == "POST";
    const bool joined_rooms = p.size() == 1 && p[0] == "joined_rooms" && m == "GET";
    const bool directory = p.size() == 3 && p[0] == "directory" && p[1] == "room";
    if (p.size() == 1 && p[0] == "publicRooms") {
        if (m != "GET" && m != "POST") return std::nullopt;
        if (m == "POST") {
            // POST needs a token; GET is open to guests and strangers.
            const Auth auth = authenticate(state, call);
            if (!auth.device) return auth.error;
        }
        PublicRoomsQuery request;
        if (const Reply bad = read_public_rooms_query(call, request)) return bad;
        return ok(public_rooms(state, request));
    }
    static const std::set<std::string> kRoomActions = {
        "join", "leave", "forget",  "invite",         "kick",
        "ban",  "unban", "members", "joined_members", "state"};
    const bool room_action = p.size() >= 3 && p[0] == "rooms" && kRoomActions.contains(p[2]);
    if (!create && !join_any && !joined_rooms && !directory && !room_action) return std::nullopt;
    if (directory && m == "GET") {
        // Resolving an alias needs no token: clients do it before they join, or log in.
        const auto it = state.aliases.find(p[2]);
        if (it == state.aliases.end()) return error("M_NOT_FOUND", "Unknown room alias", 404);
        return ok(JsonObject()
                      .str("room_id", it->second)
                      .raw("servers", json_array({quote(state.options.server_name)}))
                      .text());
    }

    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    const auto body = parse_object(call.entry.body);
    if (!body && (m == "POST" || m == "PUT")) {
        return error("M_NOT_JSON", "The body is not a JSON object", 400);
    }
    const rapidjson::Value empty(rapidjson::kObjectType);
    const rapidjson::Value& json = body ? static_cast<const rapidjson::Value&>(*body) : empty;

    if (create) {
        auto [room_id, failure] = create_room(state, device.user_id, json);
        if (failure) return failure;
        return ok(JsonObject().str("room_id", room_id).text());
    }
    if (join_any) return join(state, device, p[1]);
    if (joined_rooms) {
        std::vector<std::string> ids;
        for (const auto& [room_id, room] : state.rooms) {
            const auto it = room.membership.find(device.user_id);
            if (it != room.membership.end() && it->second == "join") ids.push_back(quote(room_id));
        }
        return ok(JsonObject().raw("joined_rooms", json_array(ids)).text());
    }
    if (directory) {
        const std::string& alias = p[2];
        if (m == "PUT") {
            const auto room_id = member_string(json, "room_id");
            if (!room_id) return error("M_MISSING_PARAM", "room_id is required", 400);
            if (Reply missing = require_room(state, *room_id)) return missing;
            if (state.aliases.contains(alias)) {
                return error("M_ROOM_IN_USE", "Room alias already taken", 409);
            }
            const std::size_t cost = entry_cost(2 * sizeof(std::string), {alias, *room_id});
            if (Reply full = refuse_if_full(state, cost)) return full;
            state.aliases[alias] = *room_id;
            charge(state, cost);
            return ok("{}");
        }
        if (m == "DELETE") {
            const auto it = state.aliases.find(alias);
            if (it == state.aliases.end()) return error("M_NOT_FOUND", "Unknown room alias", 404);
            release(state, entry_cost(2 * sizeof(std::string), {it->first, it->second}));
            state.aliases.erase(it);
            return ok("{}");
        }
        return std::nullopt;
    }

    const std::string& room_id = p[1];
    const std::string& action = p[2];
    if (Reply missing = require_room(state, room_id)) return missing;
    const std::string mine = membership(state, room_id, device.user_id);
    if (p.size() == 3 && m == "POST") {
        if (action == "join") return join(state, device, room_id);
        if (action == "leave") {
            if (mine != "join" && mine != "invite") {
                return error("M_FORBIDDEN", "You are not in this room", 403);
            }
            const std::string content = R"({"membership":"leave"})";
            if (Reply full =
                    refuse_if_full(state, event_cost(state, room_id, device.user_id,
                                                     "m.room.member", content, device.user_id))) {
                return full;
            }
            append_event(state, room_id, device.user_id, "m.room.member", content, device.user_id);
            return ok("{}");
        }
        if (action == "forget") {
            if (mine == "join")
                return error("M_UNKNOWN", "Leave the room before forgetting it", 400);
            return ok("{}");
        }
        if (action == "invite" || action == "kick" || action == "ban" || action == "unban") {
            const auto target = member_string(json, "user_id");
            if (!target) return error("M_MISSING_PARAM", "user_id is required", 400);
            return change_membership(state, device, room_id, action, *target,
                                     member_string(json, "reason"));
        }
        return std::nullopt;
    }
    if (mine != "join") return error("M_FORBIDDEN", "You are not in this room", 403);
    const Room& room = state.rooms.at(room_id);
    if (p.size() == 3 && m == "GET" && action == "members") {
        return ok(members_json(state, room, device.key(), query(call, "membership")));
    }
    if (p.size() == 3 && m == "GET" && action == "joined_members") {
        JsonObject joined;
        for (const auto& [user_id, value] : room.membership) {
            if (value != "join") continue;
            const auto user = state.users.find(user_id);
            JsonObject profile;
            if (user != state.users.end()) {
                if (!user->second.displayname.empty()) {
                    profile.str("display_name", user->second.displayname);
                }
                if (!user->second.avatar_url.empty()) {
                    profile.str("avatar_url", user->second.avatar_url);
                }
            }
            joined.raw(user_id, profile.text());
        }
        return ok(JsonObject().raw("joined", joined.text()).text());
    }
    if (action != "state") return std::nullopt;
    if (p.size() == 3 && m == "GET") {
        std::vector<std::string> events;
        for (const auto& [key, index] : room.state) {
            events.push_back(event_json(state, state.events[index], device.key()));
        }
        return ok(json_array(events));
    }
    if (p.size() != 4 && p.size() != 5) return std::nullopt;
    const std::string& type = p[3];
    const std::string state_key = p.size() == 5 ? p[4] : "";
    if (m == "GET") {
        const auto it = room.state.find({type, state_key});
        if (it == room.state.end()) return error("M_NOT_FOUND", "No such state event", 404);
        return ok(state.events[it->second].content.str());
    }
    if (m == "PUT") {
        std::string content = to_text(json);
        if (Reply full = refuse_if_full(
                state, event_cost(state, room_id, device.user_id, type, content, state_key))) {
            return full;
        }
        const std::size_t index =
            append_event(state, room_id, device.user_id, type, std::move(content), state_key);
        return ok(JsonObject().str("event_id", state.events[index].event_id).text());
    }
    return std::nullopt;
}

}  // namespace matrix::mock::sim
