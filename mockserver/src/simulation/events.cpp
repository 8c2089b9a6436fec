// Room events: send (idempotent per device and transaction), redact, fetch, /messages paging,
// read receipts and read markers (which move the user's read position, read_positions.cpp),
// and the accepted-and-forgotten typing notices.
#include <algorithm>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

Reply send(State& state, const Call& call, const Device& device, const std::string& room_id,
           const std::string& type, const std::string& txn_id, std::optional<std::string> key) {
    const std::string txn_key = device.key() + "|" + (key ? "state" : "send") + "|" + txn_id;
    if (const auto it = state.transactions.find(txn_key); it != state.transactions.end()) {
        // A retried transaction: the same event id, no second event.
        return ok(JsonObject().str("event_id", it->second).text());
    }
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The event content is not a JSON object", 400);
    std::string text = to_text(*body);
    // A compact body is the content itself: the room keeps the journal's bytes, not a copy.
    SharedBytes content =
        text == call.entry.body.view() ? call.entry.body : SharedBytes(std::move(text));
    const std::size_t cost =
        event_cost(state, room_id, device.user_id, type, content, key, device.key(), txn_id) +
        transaction_cost(state, txn_key);
    if (Reply full = refuse_if_full(state, cost)) return full;
    const std::size_t index = append_event(state, room_id, device.user_id, type, std::move(content),
                                           std::move(key), device.key(), txn_id);
    state.transactions[txn_key] = state.events[index].event_id;
    charge(state, transaction_cost(state, txn_key));
    return ok(JsonObject().str("event_id", state.events[index].event_id).text());
}

Reply redact(State& state, const Call& call, const Device& device, const std::string& room_id,
             const std::string& event_id, const std::string& txn_id) {
    const std::string txn_key = device.key() + "|redact|" + txn_id;
    if (const auto it = state.transactions.find(txn_key); it != state.transactions.end()) {
        return ok(JsonObject().str("event_id", it->second).text());
    }
    const auto target = state.event_index.find(event_id);
    if (target == state.event_index.end() || state.events[target->second].room_id != room_id) {
        return error("M_NOT_FOUND", "Unknown event " + event_id, 404);
    }
    const auto body = parse_object(call.entry.body);
    JsonObject content;
    content.str("redacts", event_id);
    if (body) {
        if (const auto reason = member_string(*body, "reason")) content.str("reason", *reason);
    }
    // The redaction event, its transaction, and the target's redacted_because (a redacted
    // event keeps its content: event_json hides it).
    const std::size_t cost = event_cost(state, room_id, device.user_id, "m.room.redaction",
                                        content.text(), std::nullopt, device.key(), txn_id) +
                             transaction_cost(state, txn_key) + event_id_length(state);
    if (Reply full = refuse_if_full(state, cost)) return full;
    const std::size_t index = append_event(state, room_id, device.user_id, "m.room.redaction",
                                           content.text(), {}, device.key(), txn_id);
    std::string& because = state.events[target->second].redacted_because;
    release(state, because.size());
    because = state.events[index].event_id;
    charge(state, because.size());
    forget_relation(state, target->second);  // a redacted child leaves its parent's aggregations
    state.transactions[txn_key] = state.events[index].event_id;
    charge(state, transaction_cost(state, txn_key));
    return ok(JsonObject().str("event_id", state.events[index].event_id).text());
}

Reply messages(State& state, const Call& call, const Device& device, const Room& room) {
    const std::string dir = query(call, "dir").value_or("b");
    if (dir != "b" && dir != "f") return error("M_INVALID_PARAM", "dir must be b or f", 400);
    const bool backwards = dir == "b";
    std::uint64_t from = backwards ? state.position : 0;
    if (const auto token = query(call, "from")) {
        const auto parsed = parse_token(state, *token);
        if (!parsed) return error("M_INVALID_PARAM", "Unknown from token '" + *token + "'", 400);
        from = *parsed;
    }
    std::optional<std::uint64_t> to;
    if (const auto token = query(call, "to")) to = parse_token(state, *token);
    std::size_t limit = 10;
    if (const auto text = query(call, "limit")) {
        try {
            limit = std::clamp<std::size_t>(std::stoul(*text), 1, 1000);
        } catch (const std::exception&) {
            return error("M_INVALID_PARAM", "limit must be a number", 400);
        }
    }
    // A token names the gap after that stream position: backwards returns events at or
    // before it, forwards the events after it. first_after() finds the start, so a page costs
    // its own events, however long the history.
    const auto after = [&](std::uint64_t position) { return first_after(state, room, position); };
    std::vector<const Event*> chunk;
    if (backwards) {
        for (auto it = after(from); it != room.timeline.begin() && chunk.size() < limit;) {
            const Event& event = state.events[*--it];
            if (to && event.position <= *to) break;
            chunk.push_back(&event);
        }
    } else {
        for (auto it = after(from); it != room.timeline.end() && chunk.size() < limit; ++it) {
            const Event& event = state.events[*it];
            if (to && event.position > *to) break;
            chunk.push_back(&event);
        }
    }
    std::vector<std::string> events;
    for (const Event* event : chunk) events.push_back(event_json(state, *event, device.key()));
    JsonObject out;
    out.str("start", "s" + std::to_string(from)).raw("chunk", json_array(events));
    if (chunk.size() == limit) {
        // A full page: there may be more. An absent end tells the client it has everything.
        const std::uint64_t end = backwards ? chunk.back()->position - 1 : chunk.back()->position;
        out.str("end", "s" + std::to_string(end));
    }
    return ok(out.text());
}

// The event `event_id` of the room, or nullptr.
const Event* room_event(const State& state, const std::string& room_id,
                        const std::string& event_id) {
    const auto it = state.event_index.find(event_id);
    if (it == state.event_index.end() || state.events[it->second].room_id != room_id) {
        return nullptr;
    }
    return &state.events[it->second];
}

// Moves the read position to each of `events` (checked first, so a refusal stores nothing).
Reply mark_all_read(State& state, const Device& device, const std::string& room_id,
                    const std::vector<const Event*>& events) {
    const bool known = state.read_positions.contains({device.user_id, room_id});
    if (!known && !events.empty()) {
        if (Reply full = refuse_if_full(state, read_position_cost(device.user_id, room_id))) {
            return full;
        }
    }
    for (const Event* event : events) mark_read(state, device.user_id, room_id, *event);
    return ok("{}");
}

// POST /receipt/{receiptType}/{eventId}: m.read, m.read.private and the m.fully_read marker.
// A receipt for a thread (thread_id other than "main") is accepted without moving the room's
// read position, which counts the room's unthreaded notifications.
Reply receipt(State& state, const Call& call, const Device& device, const std::string& room_id) {
    const std::string& type = call.path[3];
    if (type != "m.read" && type != "m.read.private" && type != "m.fully_read") {
        return error("M_INVALID_PARAM",
                     "Unknown receipt type " + type + " (m.read, m.read.private, m.fully_read)",
                     400);
    }
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The receipt body is not a JSON object", 400);
    std::optional<std::string> thread;
    if (body->HasMember("thread_id")) {
        thread = member_string(*body, "thread_id");
        if (!thread || thread->empty()) {
            return error("M_INVALID_PARAM", "thread_id field must be a non-empty string", 400);
        }
        if (type == "m.fully_read") {
            return error("M_INVALID_PARAM", "m.fully_read markers have no thread_id", 400);
        }
    }
    const Event* event = room_event(state, room_id, call.path[4]);
    if (event == nullptr) return error("M_NOT_FOUND", "Unknown event " + call.path[4], 404);
    if (thread && *thread != "main") return ok("{}");
    return mark_all_read(state, device, room_id, {event});
}

// POST /read_markers: {"m.fully_read", "m.read", "m.read.private"}, each an event id.
Reply read_markers(State& state, const Call& call, const Device& device,
                   const std::string& room_id) {
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    std::vector<const Event*> events;
    for (const char* key : {"m.fully_read", "m.read", "m.read.private"}) {
        if (!body->HasMember(key)) continue;
        const auto event_id = member_string(*body, key);
        if (!event_id) return error("M_INVALID_PARAM", std::string(key) + " must be a string", 400);
        const Event* event = room_event(state, room_id, *event_id);
        if (event == nullptr) return error("M_NOT_FOUND", "Unknown event " + *event_id, 404);
        events.push_back(event);
    }
    return mark_all_read(state, device, room_id, events);
}

}  // namespace

Reply handle_events(State& state, Call& call) {
    const auto& p = call.path;
    const std::string& m = call.method;
    if (p.size() < 3 || p[0] != "rooms") return std::nullopt;
    const std::string& action = p[2];
    const bool known = (action == "send" && p.size() == 5 && m == "PUT") ||
                       (action == "redact" && p.size() == 5 && m == "PUT") ||
                       (action == "event" && p.size() == 4 && m == "GET") ||
                       (action == "messages" && p.size() == 3 && m == "GET") ||
                       (action == "read_markers" && p.size() == 3 && m == "POST") ||
                       (action == "receipt" && p.size() == 5 && m == "POST") ||
                       (action == "typing" && p.size() == 4 && m == "PUT");
    if (!known) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    const std::string& room_id = p[1];
    const auto room = state.rooms.find(room_id);
    if (room == state.rooms.end()) return error("M_NOT_FOUND", "Unknown room " + room_id, 404);
    if (membership(state, room_id, device.user_id) != "join") {
        return error("M_FORBIDDEN", "You are not in this room", 403);
    }
    if (action == "send") return send(state, call, device, room_id, p[3], p[4], std::nullopt);
    if (action == "redact") return redact(state, call, device, room_id, p[3], p[4]);
    if (action == "messages") return messages(state, call, device, room->second);
    if (action == "receipt") return receipt(state, call, device, room_id);
    if (action == "read_markers") return read_markers(state, call, device, room_id);
    if (action == "event") {
        const auto it = state.event_index.find(p[3]);
        if (it == state.event_index.end() || state.events[it->second].room_id != room_id) {
            return error("M_NOT_FOUND", "Event not found", 404);
        }
        return ok(event_json(state, state.events[it->second], device.key()));
    }
    if (action == "typing" && p[3] != device.user_id) {
        return error("M_FORBIDDEN", "Cannot set another user's typing state", 403);
    }
    return ok("{}");
}

}  // namespace matrix::mock::sim
