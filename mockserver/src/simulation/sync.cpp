// GET /sync: initial and incremental syncs from the global stream position, long-polled.
#include <algorithm>
#include <chrono>
#include <set>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

constexpr std::int64_t kMaxTimeoutMs = 60'000;

struct Built {
    std::string body;
    bool has_data = false;
};

std::string stripped(const Event& event) {
    return JsonObject()
        .str("type", event.type)
        .str("state_key", event.state_key.value_or(""))
        .str("sender", event.sender)
        .raw("content", event.content)
        .text();
}

std::string events_object(const std::vector<std::string>& events) {
    return JsonObject().raw("events", json_array(events)).text();
}

Built build(const State& state, const Device& device, std::optional<std::uint64_t> since,
            std::size_t limit, bool full_state) {
    const bool initial = !since;
    const std::uint64_t after = since.value_or(0);
    const std::string viewer = device.key();
    const auto user_it = state.users.find(device.user_id);
    JsonObject join;
    JsonObject invite;
    JsonObject leave;
    bool has_data = false;
    for (const auto& [room_id, room] : state.rooms) {
        const auto membership_it = room.membership.find(device.user_id);
        if (membership_it == room.membership.end()) continue;
        const std::string& mine = membership_it->second;
        const std::uint64_t changed_at = room.membership_position.at(device.user_id);
        const bool fresh = initial || changed_at > after;
        // full_state: every joined room again, with all its state, as if newly joined.
        const bool whole = fresh || full_state;
        if (mine == "join") {
            // Timeline: the newest `limit` events after `since`, or of all when fresh.
            std::vector<std::size_t> timeline;
            for (const std::size_t index : room.timeline) {
                if (fresh || state.events[index].position > after) timeline.push_back(index);
            }
            const bool limited = timeline.size() > limit;
            if (limited)
                timeline.erase(timeline.begin(), timeline.end() - static_cast<long>(limit));
            std::vector<std::string> room_data;
            if (user_it != state.users.end()) {
                for (const auto& [key, data] : user_it->second.room_account_data) {
                    if (key.first == room_id && (initial || data.position > after)) {
                        room_data.push_back(JsonObject()
                                                .str("type", key.second)
                                                .raw("content", data.content)
                                                .text());
                    }
                }
            }
            if (!whole && timeline.empty() && room_data.empty()) continue;
            // State: what the timeline does not already say, for fresh rooms, full_state and gaps.
            std::vector<std::string> state_events;
            if (whole || limited) {
                const std::set<std::size_t> in_timeline(timeline.begin(), timeline.end());
                for (const auto& [key, index] : room.state) {
                    if (in_timeline.contains(index)) continue;
                    if (!whole && state.events[index].position <= after) continue;
                    state_events.push_back(event_json(state, state.events[index], viewer));
                }
            }
            std::vector<std::string> timeline_events;
            for (const std::size_t index : timeline) {
                timeline_events.push_back(event_json(state, state.events[index], viewer));
            }
            const std::uint64_t prev =
                timeline.empty() ? state.position : state.events[timeline.front()].position - 1;
            const std::string timeline_json = JsonObject()
                                                  .raw("events", json_array(timeline_events))
                                                  .boolean("limited", limited)
                                                  .str("prev_batch", "s" + std::to_string(prev))
                                                  .text();
            join.raw(room_id, JsonObject()
                                  .raw("state", events_object(state_events))
                                  .raw("timeline", timeline_json)
                                  .raw("ephemeral", R"({"events":[]})")
                                  .raw("account_data", events_object(room_data))
                                  .raw("unread_notifications",
                                       R"({"highlight_count":0,"notification_count":0})")
                                  .raw("summary", "{}")
                                  .text());
            has_data = true;
        } else if (mine == "invite" && fresh) {
            std::vector<std::string> invite_state;
            for (const auto& [key, index] : room.state) {
                static const std::set<std::string> kShown = {
                    "m.room.create",          "m.room.join_rules", "m.room.name",
                    "m.room.canonical_alias", "m.room.avatar",     "m.room.encryption"};
                const bool own_invite =
                    key.first == "m.room.member" && key.second == device.user_id;
                if (kShown.contains(key.first) || own_invite) {
                    invite_state.push_back(stripped(state.events[index]));
                }
            }
            invite.raw(room_id,
                       JsonObject().raw("invite_state", events_object(invite_state)).text());
            has_data = true;
        } else if ((mine == "leave" || mine == "ban") && !initial && fresh) {
            std::vector<std::string> timeline_events;
            for (const std::size_t index : room.timeline) {
                const Event& event = state.events[index];
                if (event.position > after && event.position <= changed_at) {
                    timeline_events.push_back(event_json(state, event, viewer));
                }
            }
            leave.raw(room_id, JsonObject()
                                   .raw("state", R"({"events":[]})")
                                   .raw("timeline", JsonObject()
                                                        .raw("events", json_array(timeline_events))
                                                        .boolean("limited", false)
                                                        .text())
                                   .text());
            has_data = true;
        }
    }
    std::vector<std::string> account_data;
    if (user_it != state.users.end()) {
        for (const auto& [type, data] : user_it->second.account_data) {
            if (initial || data.position > after) {
                account_data.push_back(
                    JsonObject().str("type", type).raw("content", data.content).text());
            }
        }
    }
    has_data = has_data || !account_data.empty();
    const std::string rooms = JsonObject()
                                  .raw("join", join.text())
                                  .raw("invite", invite.text())
                                  .raw("leave", leave.text())
                                  .text();
    std::string body = JsonObject()
                           .str("next_batch", "s" + std::to_string(state.position))
                           .raw("rooms", rooms)
                           .raw("account_data", events_object(account_data))
                           .raw("presence", R"({"events":[]})")
                           .raw("to_device", R"({"events":[]})")
                           .raw("device_lists", R"({"changed":[],"left":[]})")
                           .raw("device_one_time_keys_count", "{}")
                           .text();
    return {std::move(body), has_data};
}

// room.timeline.limit from an inline filter or a stored filter id; 10 otherwise.
std::size_t timeline_limit(const State& state, const Device& device, const Call& call) {
    std::size_t limit = 10;
    const auto filter = query(call, "filter");
    if (!filter) return limit;
    std::string text;
    if (!filter->empty() && filter->front() == '{') {
        text = *filter;
    } else if (const auto user = state.users.find(device.user_id); user != state.users.end()) {
        for (std::size_t i = 0; i < user->second.filters.size(); ++i) {
            if (std::to_string(i) == *filter) text = user->second.filters[i];
        }
    }
    const auto parsed = parse_object(text);
    if (!parsed) return limit;
    const auto room = parsed->FindMember("room");
    if (room == parsed->MemberEnd() || !room->value.IsObject()) return limit;
    const auto timeline = room->value.FindMember("timeline");
    if (timeline == room->value.MemberEnd() || !timeline->value.IsObject()) return limit;
    const auto value = timeline->value.FindMember("limit");
    if (value != timeline->value.MemberEnd() && value->value.IsInt64() &&
        value->value.GetInt64() > 0) {
        limit = static_cast<std::size_t>(std::min<std::int64_t>(value->value.GetInt64(), 1000));
    }
    return limit;
}

}  // namespace

Reply handle_sync(State& state, Call& call, std::unique_lock<std::mutex>& lock) {
    if (call.path.size() != 1 || call.path[0] != "sync" || call.method != "GET") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    std::optional<std::uint64_t> since;
    if (const auto token = query(call, "since")) {
        since = parse_token(state, *token);
        if (!since) {
            call.flags.push_back("sync: since token '" + *token + "' was never issued");
            return error("M_INVALID_PARAM", "Unknown since token '" + *token + "'", 400);
        }
    }
    std::int64_t timeout_ms = 0;
    if (const auto text = query(call, "timeout")) {
        try {
            timeout_ms = std::clamp<std::int64_t>(std::stoll(*text), 0, kMaxTimeoutMs);
        } catch (const std::exception&) {
            return error("M_INVALID_PARAM", "timeout must be a number", 400);
        }
    }
    const std::size_t limit = timeline_limit(state, device, call);
    const bool full_state = query(call, "full_state") == "true";

    const std::string key = device.key();
    if (state.active_syncs[key] > 0) {
        call.flags.push_back("sync: concurrent /sync on device " + device.device_id);
    }
    ++state.active_syncs[key];
    const std::uint64_t generation = state.generation;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    Built built = build(state, device, since, limit, full_state);
    // Only an incremental sync with nothing new waits; the wait releases the lock.
    while (since && !full_state && !built.has_data && state.generation == generation) {
        const std::uint64_t seen = state.position;
        const bool woken = state.changed.wait_until(lock, deadline, [&] {
            return state.position != seen || state.generation != generation;
        });
        if (!woken || state.generation != generation) break;
        built = build(state, device, since, limit, full_state);
    }
    if (--state.active_syncs[key] <= 0) state.active_syncs.erase(key);
    // Rebuilt so next_batch is current even when the wait timed out.
    if (!built.has_data) built = build(state, device, since, limit, full_state);
    return ok(std::move(built.body));
}

}  // namespace matrix::mock::sim
