// getEventByTimestamp (/timestamp_to_event): the room's event closest to a time, in one
// direction. The simulation holds the whole history of its rooms, so it never needs the
// federation fallback the spec describes.
#include <string>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

std::optional<std::int64_t> parse_ms(const std::string& text) {
    const bool negative = !text.empty() && text[0] == '-';
    const std::string digits = negative ? text.substr(1) : text;
    if (digits.empty() || digits.size() > 18 ||
        digits.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    const std::int64_t value = std::stoll(digits);
    return negative ? -value : value;
}

}  // namespace

Reply handle_timestamp_to_event(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "GET" || p.size() != 3 || p[0] != "rooms" || p[2] != "timestamp_to_event") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const auto room = state.rooms.find(p[1]);
    if (room == state.rooms.end() || membership(state, p[1], auth.device->user_id) != "join") {
        return error("M_FORBIDDEN", "You are not allowed to view this room", 403);
    }
    const auto ts_text = query(call, "ts");
    if (!ts_text) return error("M_MISSING_PARAM", "ts is required", 400);
    const auto ts = parse_ms(*ts_text);
    if (!ts) return error("M_INVALID_PARAM", "ts must be an integer", 400);
    const auto dir = query(call, "dir");
    if (dir != "f" && dir != "b") return error("M_INVALID_PARAM", "dir must be f or b", 400);
    // Timestamps are not monotonic in stream order (an appservice may set its own), so the
    // whole timeline is looked at: the nearest one at or after ts (f), or at or before it (b).
    // Of events sharing that timestamp, the first in the stream going forwards and the last
    // going backwards, the one a client paging from ts in that direction would meet first.
    const Event* best = nullptr;
    for (const std::size_t index : room->second.timeline) {
        const Event& event = state.events[index];
        const bool candidate =
            *dir == "f" ? event.origin_server_ts >= *ts : event.origin_server_ts <= *ts;
        if (!candidate) continue;
        const bool closer =
            best == nullptr || (*dir == "f" ? event.origin_server_ts < best->origin_server_ts
                                            : event.origin_server_ts >= best->origin_server_ts);
        if (closer) best = &event;
    }
    if (best == nullptr) {
        return error(
            "M_NOT_FOUND",
            "No event found " + std::string(*dir == "f" ? "after" : "before") + " " + *ts_text,
            404);
    }
    return ok(JsonObject()
                  .str("event_id", best->event_id)
                  .num("origin_server_ts", best->origin_server_ts)
                  .text());
}

}  // namespace matrix::mock::sim
