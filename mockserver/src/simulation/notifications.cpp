// getNotifications (GET /notifications): the events of the user's joined rooms that would have
// notified them, newest first. Push rules are not evaluated from the user's rule set (the
// simulation forgets rule edits): a fixed subset of the default rules is applied instead, in
// this order, the first match deciding:
//   - events the user sent never notify (servers do not push a user's own events);
//   - .m.rule.contains_display_name: content.body contains the user's display name,
//     case-insensitively -> notify, sound "default", highlight;
//   - the user id in content.body (the mention .m.rule.is_user_mention looks for in
//     m.mentions, read from the body instead) -> notify, sound "default", highlight;
//   - .m.rule.room_one_to_one: an m.room.message in a room of exactly two joined members (counted
//     now, not when the event was sent) -> notify, sound "default", no highlight.
// Everything else (.m.rule.master, invites, calls, encrypted rooms, keywords, room and sender
// rules) is not evaluated. `read` is always false: read receipts are accepted and forgotten.
#include <algorithm>
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

constexpr const char* kHighlightActions =
    R"(["notify",{"set_tweak":"sound","value":"default"},{"set_tweak":"highlight"}])";
constexpr const char* kOneToOneActions =
    R"(["notify",{"set_tweak":"sound","value":"default"},{"set_tweak":"highlight","value":false}])";

struct Notification {
    const Event* event = nullptr;
    bool highlight = false;
};

std::size_t joined_members(const Room& room) {
    return static_cast<std::size_t>(std::ranges::count(
        room.membership, std::string("join"), [](const auto& entry) { return entry.second; }));
}

// The actions the rules above give `event` for `user`, if it notifies.
std::optional<Notification> evaluate(const Event& event, const Room& room, const User& user) {
    if (event.sender == user.user_id || event.state_key || !event.redacted_because.empty()) {
        return std::nullopt;
    }
    const auto content = parse_object(event.content.view());
    const auto body = content ? member_string(*content, "body") : std::nullopt;
    if (body) {
        const std::string text = lower(*body);
        if (!user.displayname.empty() && text.find(lower(user.displayname)) != std::string::npos) {
            return Notification{&event, true};
        }
        if (text.find(lower(user.user_id)) != std::string::npos) return Notification{&event, true};
    }
    if (event.type == "m.room.message" && joined_members(room) == 2) {
        return Notification{&event, false};
    }
    return std::nullopt;
}

}  // namespace

Reply handle_notifications(State& state, Call& call) {
    if (call.method != "GET" || call.path.size() != 1 || call.path[0] != "notifications") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    const User& user = state.users.at(device.user_id);
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
            for (const std::size_t index : room.timeline) {
                const Event& event = state.events[index];
                if (event.position > from) break;
                const auto notification = evaluate(event, room, user);
                if (notification && (!only_highlight || notification->highlight)) {
                    found.push_back(*notification);
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
        page.push_back(
            JsonObject()
                .raw("actions", found[i].highlight ? kHighlightActions : kOneToOneActions)
                .raw("event", event_json(state, event, device.key()))
                .boolean("read", false)
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
