// The deprecated operations from before /sync: the /events stream (and peeking into a room with
// it), /initialSync, a room's initialSync, and fetching an event by id alone. Answered from the
// same rooms as /sync; nothing here holds the request, so /events answers at once whatever its
// timeout (a client polling it polls without pause).
#include <algorithm>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

constexpr std::size_t kStreamLimit = 100;     // events per /events answer
constexpr std::size_t kDefaultMessages = 10;  // messages per room without ?limit=

std::string stream_token(std::uint64_t position) { return "s" + std::to_string(position); }

// A room's events as of the caller's joined membership; others see nothing of it, as the
// non-deprecated operations answer (events.cpp).
bool readable(const State& state, const std::string& room_id, const std::string& user_id) {
    if (membership(state, room_id, user_id) == "join") return true;
    const auto room = state.rooms.find(room_id);
    return room != state.rooms.end() &&
           state_string(state, room->second, "m.room.history_visibility", "history_visibility") ==
               "world_readable";
}

std::vector<std::string> room_account_data(const User& user, const std::string& room_id) {
    std::vector<std::string> out;
    for (auto it = user.room_account_data.lower_bound({room_id, std::string()});
         it != user.room_account_data.end() && it->first.first == room_id; ++it) {
        out.push_back(
            JsonObject().str("type", it->first.second).raw("content", it->second.content).text());
    }
    return out;
}

// GET /events (getEvents), and with ?room_id= (peekEvents): what happened after `from` in the
// caller's joined rooms, or in that one room.
Reply event_stream(State& state, const Call& call, const Device& me) {
    std::uint64_t from = state.position;
    if (const auto token = query(call, "from")) {
        const auto parsed = parse_token(state, *token);
        if (!parsed) return error("M_INVALID_PARAM", "Unknown from token '" + *token + "'", 400);
        from = *parsed;
    }
    std::vector<std::string> room_ids;
    if (const auto room_id = query(call, "room_id")) {
        if (!readable(state, *room_id, me.user_id)) {
            return error("M_FORBIDDEN", "You are not in this room and it is not world-readable",
                         403);
        }
        room_ids.push_back(*room_id);
    } else if (const auto mine = state.rooms_of_user.find(me.user_id);
               mine != state.rooms_of_user.end()) {
        for (const std::string& joined_id : mine->second) {
            if (membership(state, joined_id, me.user_id) == "join") room_ids.push_back(joined_id);
        }
    }
    std::vector<const Event*> events;
    for (const std::string& room_id : room_ids) {
        const Room& room = state.rooms.at(room_id);
        for (auto it = first_after(state, room, from); it != room.timeline.end(); ++it) {
            events.push_back(&state.events[*it]);
        }
    }
    std::ranges::sort(events, {}, &Event::position);
    std::uint64_t end = state.position;
    if (events.size() > kStreamLimit) {
        events.resize(kStreamLimit);
        end = events.back()->position;  // the rest comes with the next call from `end`
    }
    std::vector<std::string> chunk;
    for (const Event* event : events) chunk.push_back(event_json(state, *event, me.key()));
    return ok(JsonObject()
                  .str("start", stream_token(from))
                  .str("end", stream_token(end))
                  .raw("chunk", json_array(chunk))
                  .text());
}

// The room as initialSync describes it to a reader: its latest messages (oldest first), its
// current state and its directory visibility.
JsonObject room_snapshot(const State& state, const Room& room, const User& user, const Device& me,
                         std::size_t limit) {
    const auto begin = room.timeline.size() > limit ? room.timeline.end() - static_cast<long>(limit)
                                                    : room.timeline.begin();
    std::vector<std::string> chunk;
    for (auto it = begin; it != room.timeline.end(); ++it) {
        chunk.push_back(event_json(state, state.events[*it], me.key()));
    }
    // The token before the first message pages backwards with /messages from there.
    const std::uint64_t start =
        begin == room.timeline.end() ? room.last_position : state.events[*begin].position - 1;
    std::vector<std::string> current;
    for (const auto& [key, index] : room.state) {
        current.push_back(event_json(state, state.events[index], me.key()));
    }
    JsonObject out;
    out.str("room_id", room.room_id)
        .str("membership", membership(state, room.room_id, me.user_id))
        .raw("messages", JsonObject()
                             .str("start", stream_token(start))
                             .str("end", stream_token(room.last_position))
                             .raw("chunk", json_array(chunk))
                             .text())
        .raw("state", json_array(current))
        .str("visibility", state.published_rooms.contains(room.room_id) ? "public" : "private")
        .raw("account_data", json_array(room_account_data(user, room.room_id)));
    return out;
}

std::optional<std::size_t> limit_of(const Call& call, Reply& failure) {
    const auto text = query(call, "limit");
    if (!text) return kDefaultMessages;
    try {
        return std::clamp<std::size_t>(std::stoul(*text), 0, 1000);
    } catch (const std::exception&) {
        failure = error("M_INVALID_PARAM", "limit must be a number", 400);
        return std::nullopt;
    }
}

Reply initial_sync(State& state, const Call& call, const Device& me) {
    Reply failure;
    const auto limit = limit_of(call, failure);
    if (!limit) return failure;
    const bool archived = query(call, "archived") == "true";
    const User& user = state.users[me.user_id];
    std::vector<std::string> rooms;
    if (const auto mine = state.rooms_of_user.find(me.user_id); mine != state.rooms_of_user.end()) {
        for (const std::string& room_id : mine->second) {
            const Room& room = state.rooms.at(room_id);
            const std::string status = membership(state, room_id, me.user_id);
            if (status == "join") {
                rooms.push_back(room_snapshot(state, room, user, me, *limit).text());
            } else if (status == "invite") {
                JsonObject invited;
                invited.str("room_id", room_id).str("membership", status);
                if (const auto it = room.state.find({"m.room.member", me.user_id});
                    it != room.state.end()) {
                    invited.raw("invite", event_json(state, state.events[it->second], me.key()));
                }
                rooms.push_back(invited.text());
            } else if (archived && (status == "leave" || status == "ban")) {
                // What happened after leaving is not the former member's to see.
                rooms.push_back(
                    JsonObject().str("room_id", room_id).str("membership", status).text());
            }
        }
    }
    std::vector<std::string> account_data;
    for (const auto& [type, data] : user.account_data) {
        account_data.push_back(JsonObject().str("type", type).raw("content", data.content).text());
    }
    return ok(JsonObject()
                  .str("end", stream_token(state.position))
                  .raw("rooms", json_array(rooms))
                  .raw("presence", "[]")
                  .raw("account_data", json_array(account_data))
                  .text());
}

Reply room_initial_sync(State& state, const Call& call, const Device& me) {
    const auto room = state.rooms.find(call.path[1]);
    if (room == state.rooms.end() || !readable(state, room->first, me.user_id)) {
        return error("M_FORBIDDEN", "You are not a member of this room", 403);
    }
    return ok(
        room_snapshot(state, room->second, state.users[me.user_id], me, kDefaultMessages).text());
}

Reply one_event(const State& state, const Call& call, const Device& me) {
    const auto it = state.event_index.find(call.path[1]);
    if (it == state.event_index.end() ||
        !readable(state, state.events[it->second].room_id, me.user_id)) {
        return error("M_NOT_FOUND", "Event not found or not yours to read", 404);
    }
    return ok(event_json(state, state.events[it->second], me.key()));
}

}  // namespace

Reply handle_legacy(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "GET") return std::nullopt;
    const bool stream = p.size() == 1 && p[0] == "events";
    const bool event = p.size() == 2 && p[0] == "events";
    const bool initial = p.size() == 1 && p[0] == "initialSync";
    const bool room = p.size() == 3 && p[0] == "rooms" && p[2] == "initialSync";
    if (!stream && !event && !initial && !room) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    if (stream) return event_stream(state, call, *auth.device);
    if (event) return one_event(state, call, *auth.device);
    if (initial) return initial_sync(state, call, *auth.device);
    return room_initial_sync(state, call, *auth.device);
}

}  // namespace matrix::mock::sim
