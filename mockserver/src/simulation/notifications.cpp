// getNotifications (GET /notifications): the events of the user's joined rooms that notified
// them by their own push rules (push_rule_evaluation.cpp), newest first, each with the actions
// of the rule that decided and `read` once the user has read up to it (a receipt or read marker
// at or after it, or a later event of their own).
#include <algorithm>
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

struct Notification {
    const Event* event = nullptr;
    PushMatch match;
    bool read = false;
};

}  // namespace

Reply handle_notifications(State& state, Call& call) {
    if (call.method != "GET" || call.path.size() != 1 || call.path[0] != "notifications") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    const PushEvaluator rules(state, state.users.at(device.user_id));
    // Tokens are stream tokens: a page holds notifications at or before `from`.
    std::uint64_t from = state.position;
    if (const auto token = query(call, "from")) {
        const auto parsed = parse_token(state, *token);
        if (!parsed) return error("M_INVALID_PARAM", "Unknown from token '" + *token + "'", 400);
        from = *parsed;
    }
    std::size_t limit = 10;
    if (const auto text = query(call, "limit")) {
        if (text->empty() || text->size() > 9 ||
            text->find_first_not_of("0123456789") != std::string::npos) {
            return error("M_INVALID_PARAM", "limit must be a non-negative integer", 400);
        }
        limit = std::clamp<std::size_t>(std::stoul(*text), 1, 100);
    }
    const bool only_highlight = query(call, "only") == "highlight";

    std::vector<Notification> found;
    if (const auto rooms = state.rooms_of_user.find(device.user_id);
        rooms != state.rooms_of_user.end()) {
        for (const std::string& room_id : rooms->second) {
            if (membership(state, room_id, device.user_id) != "join") continue;
            const Room& room = state.rooms.at(room_id);
            const std::uint64_t read = read_through(state, room, device.user_id);
            for (const std::size_t index : room.timeline) {
                const Event& event = state.events[index];
                if (event.position > from) break;
                auto match = rules.evaluate(event, room);
                if (match && (!only_highlight || match->highlight)) {
                    found.push_back({&event, std::move(*match), event.position <= read});
                }
            }
        }
    }
    std::ranges::sort(found, [](const Notification& a, const Notification& b) {
        return a.event->position > b.event->position;
    });
    std::vector<std::string> page;
    for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
        const Event& event = *found[i].event;
        page.push_back(JsonObject()
                           .raw("actions", found[i].match.actions)
                           .raw("event", event_json(state, event, device.key()))
                           .boolean("read", found[i].read)
                           .str("room_id", event.room_id)
                           .num("ts", event.origin_server_ts)
                           .text());
    }
    JsonObject out;
    out.raw("notifications", json_array(page));
    if (found.size() > limit) {
        out.str("next_token", "s" + std::to_string(found[limit - 1].event->position - 1));
    }
    return ok(out.text());
}

}  // namespace matrix::mock::sim
