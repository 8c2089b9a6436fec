// What clients ask about a room beyond its timeline and state: the context around an event
// (permalinks), the user's tags on it, its place in the published directory, its local aliases,
// its summary, and the space hierarchy below it.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "json_text_dom.hpp"
#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// A count from the query: `fallback` when absent, clamped to [low, high]; nullopt when it is not
// a non-negative integer.
std::optional<std::size_t> query_count(const Call& call, std::string_view name,
                                       std::size_t fallback, std::size_t low, std::size_t high) {
    const auto text = query(call, name);
    if (!text) return fallback;
    if (text->empty() || text->size() > 9 ||
        text->find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    return std::clamp<std::size_t>(std::stoul(*text), low, high);
}

std::int64_t joined_count(const Room& room) {
    std::int64_t joined = 0;
    for (const auto& [user, value] : room.membership) joined += value == "join";
    return joined;
}

// Whether `user_id` (empty: an anonymous caller) may see the room's summary: its members and
// invitees may, and anyone may see a room that is public, knockable or world readable.
bool may_preview(const State& state, const Room& room, const std::string& user_id) {
    if (!user_id.empty()) {
        const std::string mine = membership(state, room.room_id, user_id);
        if (mine == "join" || mine == "invite" || mine == "knock") return true;
    }
    const std::string rule = state_string(state, room, "m.room.join_rules", "join_rule");
    return rule == "public" || rule == "knock" || rule == "knock_restricted" ||
           state_string(state, room, "m.room.history_visibility", "history_visibility") ==
               "world_readable";
}

// The members of a RoomSummary (definitions/room_summary.yaml) for this room; the optional
// ones only when the room's state has them.
void add_room_summary(const State& state, const Room& room, JsonObject& out) {
    out.str("room_id", room.room_id).num("num_joined_members", joined_count(room));
    const auto optional = [&](const char* key, const std::string& type, const char* field) {
        const std::string value = state_string(state, room, type, field);
        if (!value.empty()) out.str(key, value);
    };
    optional("name", "m.room.name", "name");
    optional("topic", "m.room.topic", "topic");
    optional("avatar_url", "m.room.avatar", "url");
    optional("canonical_alias", "m.room.canonical_alias", "alias");
    optional("join_rule", "m.room.join_rules", "join_rule");
    optional("room_type", "m.room.create", "type");
    optional("room_version", "m.room.create", "room_version");
    out.boolean("world_readable", state_string(state, room, "m.room.history_visibility",
                                               "history_visibility") == "world_readable")
        .boolean("guest_can_join",
                 state_string(state, room, "m.room.guest_access", "guest_access") == "can_join");
    // The schema's enum has one algorithm; any other would break the response.
    if (state_string(state, room, "m.room.encryption", "algorithm") == "m.megolm.v1.aes-sha2") {
        out.str("encryption", "m.megolm.v1.aes-sha2");
    }
}

// --- getEventContext -------------------------------------------------------------------------

Reply event_context(const State& state, const Call& call, const Device& device) {
    const std::string& room_id = call.path[1];
    const std::string mine = membership(state, room_id, device.user_id);
    // Members see everything; those who left or were banned see up to their departure, as
    // /messages would have shown them; anyone else is refused (an unknown room included, so
    // that a stranger learns nothing).
    if (mine != "join" && mine != "leave" && mine != "ban") {
        return error("M_FORBIDDEN", "You are not allowed to view this room", 403);
    }
    const Room& room = state.rooms.at(room_id);
    const std::uint64_t horizon =
        mine == "join" ? state.position : room.membership_position.at(device.user_id);
    const auto found = state.event_index.find(call.path[3]);
    if (found == state.event_index.end() || state.events[found->second].room_id != room_id ||
        state.events[found->second].position > horizon) {
        return error("M_NOT_FOUND", "Event not found", 404);
    }
    const Event& target = state.events[found->second];
    const auto limit = query_count(call, "limit", 10, 0, 1000);
    if (!limit) return error("M_INVALID_PARAM", "limit must be a non-negative integer", 400);
    // The limit covers both sides; split as Synapse does, the odd one going after.
    const std::size_t before_limit = *limit / 2;
    const std::size_t after_limit = *limit - before_limit;
    // The filter parameter is not applied: events come unfiltered, as a server may do when it
    // applies the filter "after the limit" and finds everything matches.
    const auto slot = first_after(state, room, target.position - 1);  // the target's own slot
    std::vector<std::string> before;
    std::uint64_t oldest = target.position;
    for (auto it = slot; it != room.timeline.begin() && before.size() < before_limit;) {
        const Event& event = state.events[*--it];
        before.push_back(event_json(state, event, device.key()));
        oldest = event.position;
    }
    std::vector<std::string> after;
    std::uint64_t newest = target.position;
    for (auto it = slot + 1; it != room.timeline.end() && after.size() < after_limit; ++it) {
        const Event& event = state.events[*it];
        if (event.position > horizon) break;
        after.push_back(event_json(state, event, device.key()));
        newest = event.position;
    }
    std::vector<std::string> current_state;
    for (const auto& [key, index] : room.state) {
        current_state.push_back(event_json(state, state.events[index], device.key()));
    }
    // /messages tokens name the gap after a stream position: paging backwards from `start`
    // returns the events before the oldest one here, forwards from `end` those after the newest.
    return ok(JsonObject()
                  .str("start", "s" + std::to_string(oldest - 1))
                  .str("end", "s" + std::to_string(newest))
                  .raw("events_before", json_array(before))
                  .raw("event", event_json(state, target, device.key()))
                  .raw("events_after", json_array(after))
                  .raw("state", json_array(current_state))
                  .text());
}

// --- tags ------------------------------------------------------------------------------------

// The room's m.tag account data of `user`, as a document whose "tags" is an object.
rapidjson::Document tag_content(const User& user, const std::string& room_id) {
    std::optional<rapidjson::Document> content;
    if (const auto it = user.room_account_data.find({room_id, "m.tag"});
        it != user.room_account_data.end()) {
        content = parse_object(it->second.content);
    }
    if (!content) {
        content.emplace();
        content->SetObject();
    }
    if (!content->HasMember("tags") || !(*content)["tags"].IsObject()) {
        content->RemoveMember("tags");
        content->AddMember("tags", rapidjson::Value(rapidjson::kObjectType),
                           content->GetAllocator());
    }
    return std::move(*content);
}

// Tags are the room account data m.tag ({"tags": {tag: {order?}}}), as the spec defines them,
// so /sync and getAccountDataPerRoom show every change made here.
Reply tags(State& state, const Call& call, const Device& device) {
    const auto& p = call.path;
    if (p[1] != device.user_id) {
        return error("M_FORBIDDEN", "Cannot access another user's tags", 403);
    }
    const std::string& room_id = p[3];
    User& user = state.users[device.user_id];
    rapidjson::Document content = tag_content(user, room_id);
    rapidjson::Value& tags = content["tags"];
    if (p.size() == 5) {
        if (call.method != "GET") return std::nullopt;
        return ok(JsonObject().raw("tags", to_text(tags)).text());
    }
    const std::string& tag = p[5];
    if (call.method == "DELETE") {
        if (!tags.HasMember(tag.c_str())) return ok("{}");  // nothing to change: no new position
        tags.RemoveMember(tag.c_str());
    } else if (call.method == "PUT") {
        const auto body = parse_object(call.entry.body);
        if (!body) return error("M_NOT_JSON", "The tag is not a JSON object", 400);
        if (const auto order = body->FindMember("order");
            order != body->MemberEnd() && !matrix::detail::is_number(order->value)) {
            return error("M_BAD_JSON", "order must be a number", 400);
        }
        tags.RemoveMember(tag.c_str());
        rapidjson::Value name(tag.c_str(), static_cast<rapidjson::SizeType>(tag.size()),
                              content.GetAllocator());
        rapidjson::Value value(*body, content.GetAllocator());
        tags.AddMember(name, value, content.GetAllocator());
    } else {
        return std::nullopt;
    }
    std::string text = to_text(content);
    if (Reply full = refuse_if_full(state, account_data_cost(room_id, "m.tag", text))) return full;
    set_account_data(state, user, room_id, "m.tag", std::move(text));
    return ok("{}");
}

// --- the published room directory ---------------------------------------------------------------

Reply directory_visibility(State& state, const Call& call) {
    const std::string& room_id = call.path[3];
    if (call.method == "GET") {  // open to anyone, token or not
        if (!state.rooms.contains(room_id)) return error("M_NOT_FOUND", "Room not found", 404);
        const bool published = state.published_rooms.contains(room_id);
        return ok(JsonObject().str("visibility", published ? "public" : "private").text());
    }
    if (call.method != "PUT") return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    if (!state.rooms.contains(room_id)) return error("M_NOT_FOUND", "Room not found", 404);
    // The spec lets servers restrict who may change it; members may here, strangers not.
    if (membership(state, room_id, auth.device->user_id) != "join") {
        return error("M_FORBIDDEN", "You are not in this room", 403);
    }
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const std::string visibility = member_string(*body, "visibility").value_or("public");
    if (visibility != "public" && visibility != "private") {
        return error("M_INVALID_PARAM", "visibility must be public or private", 400);
    }
    const std::size_t cost = entry_cost(sizeof(std::string), {room_id});  // as createRoom's
    const bool published = state.published_rooms.contains(room_id);
    if (visibility == "public" && !published) {
        if (Reply full = refuse_if_full(state, cost)) return full;
        state.published_rooms.insert(room_id);
        charge(state, cost);
    } else if (visibility == "private" && published) {
        state.published_rooms.erase(room_id);
        release(state, cost);
    }
    return ok("{}");
}

Reply local_aliases(const State& state, const std::string& room_id, const Device& device) {
    const auto room = state.rooms.find(room_id);
    const bool visible =
        room != state.rooms.end() && (membership(state, room_id, device.user_id) == "join" ||
                                      state_string(state, room->second, "m.room.history_visibility",
                                                   "history_visibility") == "world_readable");
    // An unknown room is refused like a private one: the spec lists 403, not 404, here.
    if (!visible) return error("M_FORBIDDEN", "You are not in this room", 403);
    std::vector<std::string> aliases;
    for (const auto& [alias, target] : state.aliases) {
        if (target == room_id) aliases.push_back(quote(alias));
    }
    return ok(JsonObject().raw("aliases", json_array(aliases)).text());
}

// --- getRoomSummary (v1) -----------------------------------------------------------------------

Reply room_summary(State& state, const Call& call) {
    // Authentication is optional: a token, when given, must be valid and adds `membership`.
    const Auth auth = authenticate(state, call);
    if (!auth.device && !auth.anonymous) return auth.error;
    const std::string user_id = auth.device ? auth.device->user_id : std::string();
    std::string room_id = call.path[1];
    if (!room_id.empty() && room_id.front() == '#') {
        const auto alias = state.aliases.find(room_id);
        room_id = alias == state.aliases.end() ? std::string() : alias->second;
    }
    const auto room = state.rooms.find(room_id);
    // The spec lists only 404: a room the caller may not preview is not found, for them.
    if (room == state.rooms.end() || !may_preview(state, room->second, user_id)) {
        return error("M_NOT_FOUND", "Room not found", 404);
    }
    JsonObject out;
    add_room_summary(state, room->second, out);
    if (auth.device) {
        const std::string mine = membership(state, room_id, user_id);
        out.str("membership", mine.empty() ? "leave" : mine);
    }
    return ok(out.text());
}

// --- getSpaceHierarchy (v1) --------------------------------------------------------------------

// The m.space.child events of a room that name a child: those with a non-empty `via`.
std::vector<const Event*> space_children(const State& state, const Room& room,
                                         bool suggested_only) {
    std::vector<const Event*> children;
    for (auto it = room.state.lower_bound({"m.space.child", ""});
         it != room.state.end() && it->first.first == "m.space.child"; ++it) {
        const Event& event = state.events[it->second];
        const auto content = parse_object(event.content);
        if (!content) continue;
        const auto via = content->FindMember("via");
        if (via == content->MemberEnd() || !via->value.IsArray() || via->value.Empty()) continue;
        if (suggested_only) {
            const auto suggested = content->FindMember("suggested");
            if (suggested == content->MemberEnd() || !suggested->value.IsTrue()) continue;
        }
        children.push_back(&event);
    }
    return children;
}

std::string stripped_child(const Event& event) {
    return JsonObject()
        .str("type", event.type)
        .str("state_key", event.state_key.value_or(""))
        .raw("content", event.content)
        .str("sender", event.sender)
        .num("origin_server_ts", event.origin_server_ts)
        .text();
}

// Pages are slices of one depth-first walk; the token also carries the walk's parameters,
// which the spec forbids changing between pages: "h<offset>_<suggested 0|1>_<max depth>".
std::string hierarchy_token(std::size_t offset, bool suggested_only, std::size_t max_depth) {
    return "h" + std::to_string(offset) + "_" + (suggested_only ? "1" : "0") + "_" +
           std::to_string(max_depth);
}

Reply space_hierarchy(const State& state, const Call& call, const Device& device) {
    const std::string& root_id = call.path[1];
    const auto root = state.rooms.find(root_id);
    // The spec answers 403 for a room that does not exist, as for one the user cannot see.
    if (root == state.rooms.end() || !may_preview(state, root->second, device.user_id)) {
        return error("M_FORBIDDEN", "You are not allowed to view this room", 403);
    }
    const std::string suggested_text = query(call, "suggested_only").value_or("false");
    if (suggested_text != "true" && suggested_text != "false") {
        return error("M_INVALID_PARAM", "suggested_only must be true or false", 400);
    }
    const bool suggested_only = suggested_text == "true";
    const auto limit = query_count(call, "limit", 50, 0, 1000);
    if (!limit || *limit == 0) {
        return error("M_INVALID_PARAM", "limit must be a positive integer", 400);
    }
    const auto max_depth = query_count(call, "max_depth", 10, 0, 50);
    if (!max_depth)
        return error("M_INVALID_PARAM", "max_depth must be a non-negative integer", 400);
    std::size_t offset = 0;
    if (const auto from = query(call, "from")) {
        const std::size_t underscore = from->find('_');
        const std::string digits =
            underscore == std::string::npos ? "" : from->substr(1, underscore - 1);
        if (from->size() < 2 || (*from)[0] != 'h' || digits.empty() || digits.size() > 9 ||
            digits.find_first_not_of("0123456789") != std::string::npos) {
            return error("M_INVALID_PARAM", "Unknown from token '" + *from + "'", 400);
        }
        offset = std::stoul(digits);
        if (*from != hierarchy_token(offset, suggested_only, *max_depth)) {
            return error("M_INVALID_PARAM",
                         "suggested_only and max_depth cannot change on paginated requests", 400);
        }
    }
    // Depth first from the root. Children the server does not know or the user may not see
    // are left out with everything below them; a room reached twice is listed once.
    std::vector<std::string> rooms;
    std::set<std::string> seen;
    std::vector<std::pair<std::string, std::size_t>> pending{{root_id, 0}};
    while (!pending.empty()) {
        auto [room_id, depth] = pending.back();
        pending.pop_back();
        const auto room = state.rooms.find(room_id);
        if (room == state.rooms.end() || !seen.insert(room_id).second) continue;
        if (!may_preview(state, room->second, device.user_id)) continue;
        const std::vector<const Event*> children =
            space_children(state, room->second, suggested_only);
        std::vector<std::string> children_state;
        for (const Event* child : children) children_state.push_back(stripped_child(*child));
        JsonObject entry;
        add_room_summary(state, room->second, entry);
        entry.raw("children_state", json_array(children_state));
        rooms.push_back(entry.text());
        if (depth >= *max_depth) continue;
        for (auto it = children.rbegin(); it != children.rend(); ++it) {
            pending.emplace_back((*it)->state_key.value_or(""), depth + 1);
        }
    }
    const std::size_t begin = std::min(offset, rooms.size());
    const std::size_t end = std::min(rooms.size(), begin + *limit);
    JsonObject page;
    const std::vector<std::string> chunk(rooms.begin() + static_cast<std::ptrdiff_t>(begin),
                                         rooms.begin() + static_cast<std::ptrdiff_t>(end));
    page.raw("rooms", json_array(chunk));
    if (end < rooms.size())
        page.str("next_batch", hierarchy_token(end, suggested_only, *max_depth));
    return ok(page.text());
}

}  // namespace

Reply handle_room_extras(State& state, Call& call) {
    const auto& p = call.path;
    const std::string& m = call.method;
    if (p.size() == 4 && p[0] == "directory" && p[1] == "list" && p[2] == "room") {
        return directory_visibility(state, call);
    }
    if (p.size() == 2 && p[0] == "room_summary" && m == "GET") return room_summary(state, call);
    const bool context = p.size() == 4 && p[0] == "rooms" && p[2] == "context" && m == "GET";
    const bool aliases = p.size() == 3 && p[0] == "rooms" && p[2] == "aliases" && m == "GET";
    const bool hierarchy = p.size() == 3 && p[0] == "rooms" && p[2] == "hierarchy" && m == "GET";
    const bool tag_paths =
        (p.size() == 5 || p.size() == 6) && p[0] == "user" && p[2] == "rooms" && p[4] == "tags";
    if (!context && !aliases && !hierarchy && !tag_paths) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    if (context) return event_context(state, call, device);
    if (aliases) return local_aliases(state, p[1], device);
    if (hierarchy) return space_hierarchy(state, call, device);
    return tags(state, call, device);
}

}  // namespace matrix::mock::sim
