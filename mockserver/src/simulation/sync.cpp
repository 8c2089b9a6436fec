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

// The stripped state an invited or knocking user sees of a room: the state that names and
// describes it, and the user's own membership event (the invite, the knock).
std::string stripped_state(const State& state, const Room& room, const std::string& user_id) {
    static const std::set<std::string> kShown = {"m.room.create", "m.room.join_rules",
                                                 "m.room.name",   "m.room.canonical_alias",
                                                 "m.room.avatar", "m.room.encryption"};
    std::vector<std::string> events;
    for (const auto& [key, index] : room.state) {
        const bool own_membership = key.first == "m.room.member" && key.second == user_id;
        if (kShown.contains(key.first) || own_membership) {
            events.push_back(stripped(state.events[index]));
        }
    }
    return events_object(events);
}

// Whether `user_id` was joined just before timeline slot `slot`: their latest m.room.member
// event before it says so (walked back, so it costs the events since that change).
bool joined_before(const State& state, const Room& room, const std::string& user_id,
                   std::vector<std::size_t>::const_iterator slot) {
    while (slot != room.timeline.begin()) {
        const Event& event = state.events[*--slot];
        if (event.type == "m.room.member" && event.state_key == user_id) {
            const auto content = parse_object(event.content.view());
            return content && member_string(*content, "membership") == "join";
        }
    }
    return false;
}

// unread_notifications: the room's events after the user's read position that notify them.
std::string unread_json(const State& state, std::optional<PushEvaluator>& rules, const User* user,
                        const Room& room) {
    UnreadCounts counts;
    if (user != nullptr) {
        if (!rules) rules.emplace(state, *user);
        counts = unread_counts(state, *rules, room, user->user_id);
    }
    return JsonObject()
        .num("highlight_count", static_cast<std::int64_t>(counts.highlights))
        .num("notification_count", static_cast<std::int64_t>(counts.notifications))
        .text();
}

// Looks at the user's own rooms only, and in each at the events after `since` only (found by
// binary search), so an incremental sync costs what is new, not the server's history.
Built build(const State& state, const Device& device, std::optional<std::uint64_t> since,
            std::size_t limit, bool full_state) {
    const bool initial = !since;
    const std::uint64_t after = since.value_or(0);
    const std::string viewer = device.key();
    const auto user_it = state.users.find(device.user_id);
    const User* user = user_it == state.users.end() ? nullptr : &user_it->second;
    const bool account_data_changed =
        user != nullptr && (initial || user->account_data_position > after);
    // Each joined room's unread counts come from the user's push rules, parsed once, when
    // the first joined room is written (a held sync with nothing new never parses them).
    std::optional<PushEvaluator> push_rules;
    JsonObject join;
    JsonObject invite;
    JsonObject knock;
    JsonObject leave;
    bool has_data = false;
    static const std::set<std::string> kNoRooms;
    const auto rooms_it = state.rooms_of_user.find(device.user_id);
    const std::set<std::string>& room_ids =
        rooms_it == state.rooms_of_user.end() ? kNoRooms : rooms_it->second;
    for (const std::string& room_id : room_ids) {
        const auto room_it = state.rooms.find(room_id);
        if (room_it == state.rooms.end()) continue;
        const Room& room = room_it->second;
        const auto membership_it = room.membership.find(device.user_id);
        if (membership_it == room.membership.end()) continue;
        const std::string& mine = membership_it->second;
        const std::uint64_t changed_at = room.membership_position.at(device.user_id);
        const bool fresh = initial || changed_at > after;
        // full_state: every joined room again, with all its state, as if newly joined.
        const bool whole = fresh || full_state;
        if (mine == "join") {
            // A receipt or read marker since `since` changes the room's unread counts.
            const bool read_moved = read_changed_at(state, device.user_id, room_id) > after;
            if (!whole && room.last_position <= after && !account_data_changed && !read_moved) {
                continue;
            }
            // Timeline: the newest `limit` events after `since`, or of all when fresh.
            const auto begin = fresh ? room.timeline.begin() : first_after(state, room, after);
            const auto available = static_cast<std::size_t>(room.timeline.end() - begin);
            const bool limited = available > limit;
            const std::vector<std::size_t> timeline(
                limited ? room.timeline.end() - static_cast<long>(limit) : begin,
                room.timeline.end());
            std::vector<std::string> room_data;
            if (account_data_changed) {
                for (auto it = user->room_account_data.lower_bound({room_id, std::string()});
                     it != user->room_account_data.end() && it->first.first == room_id; ++it) {
                    if (initial || it->second.position > after) {
                        room_data.push_back(JsonObject()
                                                .str("type", it->first.second)
                                                .raw("content", it->second.content)
                                                .text());
                    }
                }
            }
            if (!whole && timeline.empty() && room_data.empty() && !read_moved) continue;
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
            timeline_events.reserve(timeline.size());
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
            const std::string unread = unread_json(state, push_rules, user, room);
            join.raw(room_id, JsonObject()
                                  .raw("state", events_object(state_events))
                                  .raw("timeline", timeline_json)
                                  .raw("ephemeral", R"({"events":[]})")
                                  .raw("account_data", events_object(room_data))
                                  .raw("unread_notifications", unread)
                                  .raw("summary", "{}")
                                  .text());
            has_data = true;
        } else if (mine == "invite" && fresh) {
            invite.raw(room_id,
                       JsonObject()
                           .raw("invite_state", stripped_state(state, room, device.user_id))
                           .text());
            has_data = true;
        } else if (mine == "knock" && fresh) {
            knock.raw(room_id, JsonObject()
                                   .raw("knock_state", stripped_state(state, room, device.user_id))
                                   .text());
            has_data = true;
        } else if ((mine == "leave" || mine == "ban") && !initial && fresh) {
            // The events between `since` and the leave that the user could still see: those
            // while joined, and their own membership changes (a knock or an invite refused
            // shows its leave alone).
            std::vector<std::string> timeline_events;
            const auto end = first_after(state, room, changed_at);
            auto it = first_after(state, room, after);
            bool joined = joined_before(state, room, device.user_id, it);
            for (; it < end; ++it) {
                const Event& event = state.events[*it];
                const bool own = event.type == "m.room.member" && event.state_key == device.user_id;
                if (joined || own) timeline_events.push_back(event_json(state, event, viewer));
                if (own) joined = joined_before(state, room, device.user_id, it + 1);
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
    if (account_data_changed) {
        for (const auto& [type, data] : user->account_data) {
            if (initial || data.position > after) {
                account_data.push_back(
                    JsonObject().str("type", type).raw("content", data.content).text());
            }
        }
        // An initial sync carries the push rules even before the user changed one (the
        // server-default ruleset is not stored until then), as servers send them.
        if (initial && !user->account_data.contains("m.push_rules")) {
            account_data.push_back(JsonObject()
                                       .str("type", "m.push_rules")
                                       .raw("content", push_rules_of(*user))
                                       .text());
        }
    }
    has_data = has_data || !account_data.empty();
    // End-to-end encryption: the device's queued to-device messages, whose keys to re-query
    // (incremental syncs only: an initial sync's client queries everyone it meets), and the
    // device's key counts (which alone do not end a held sync).
    const std::vector<std::string> to_device = to_device_events(state, device, after);
    std::vector<std::string> changed;
    std::vector<std::string> left;
    if (!initial) {
        const DeviceListChanges lists =
            device_list_changes(state, device.user_id, after, state.position);
        for (const std::string& user_id : lists.changed) changed.push_back(quote(user_id));
        for (const std::string& user_id : lists.left) left.push_back(quote(user_id));
    }
    has_data = has_data || !to_device.empty() || !changed.empty() || !left.empty();
    const std::string rooms = JsonObject()
                                  .raw("join", join.text())
                                  .raw("invite", invite.text())
                                  .raw("knock", knock.text())
                                  .raw("leave", leave.text())
                                  .text();
    std::string body =
        JsonObject()
            .str("next_batch", "s" + std::to_string(state.position))
            .raw("rooms", rooms)
            .raw("account_data", events_object(account_data))
            .raw("presence", R"({"events":[]})")
            .raw("to_device", events_object(to_device))
            .raw("device_lists", JsonObject()
                                     .raw("changed", json_array(changed))
                                     .raw("left", json_array(left))
                                     .text())
            .raw("device_one_time_keys_count", one_time_key_counts_json(state, device))
            .raw("device_unused_fallback_key_types", unused_fallback_key_types_json(state, device))
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

Reply handle_sync(State& state, Call& call) {
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

    // The client asks from `since` on: it has the to-device messages sent up to there.
    if (since) acknowledge_to_device(state, device, *since);
    const std::string key = device.key();
    if (state.active_syncs[key] > 0) {
        call.flags.push_back("sync: concurrent /sync on device " + device.device_id);
    }
    Built built = build(state, device, since, limit, full_state);
    // Only an incremental sync with nothing new waits, and it waits without a thread.
    if (!since || full_state || built.has_data || timeout_ms == 0 || call.done == nullptr) {
        if (state.active_syncs[key] <= 0) state.active_syncs.erase(key);
        return ok(std::move(built.body));
    }
    ++state.active_syncs[key];
    const std::uint64_t id = state.next_waiter++;
    SyncWaiter& waiter = state.waiters[id];
    waiter.device = device;
    waiter.since = *since;
    waiter.limit = limit;
    waiter.flags = std::move(call.flags);
    waiter.done = std::move(*call.done);
    state.waiters_of_user[device.user_id].push_back(id);
    // The timer thread answers it at its timeout, under the lock like any other change.
    waiter.timer = state.timers.schedule(
        TimerThread::Clock::now() + std::chrono::milliseconds(timeout_ms), [&state, id] {
            std::unique_lock lock(state.mutex);
            answer_waiter(state, id);
            deliver_ready(state, lock);
        });
    call.held = id;
    return ResponseDefinition{};  // a placeholder: the answer goes to the waiter's callback
}

namespace {

// Removes waiter `it` and queues its answer `body` for delivery after the lock.
void complete(State& state, std::map<std::uint64_t, SyncWaiter>::iterator it, std::string body) {
    SyncWaiter& waiter = it->second;
    const std::string key = waiter.device.key();
    if (--state.active_syncs[key] <= 0) state.active_syncs.erase(key);
    if (waiter.timer != 0) state.timers.cancel(waiter.timer);
    auto& ids = state.waiters_of_user[waiter.device.user_id];
    ids.erase(std::remove(ids.begin(), ids.end(), it->first), ids.end());
    if (ids.empty()) state.waiters_of_user.erase(waiter.device.user_id);
    state.ready.emplace_back(std::move(waiter.done),
                             SimulatedResponse{ok(std::move(body)), std::move(waiter.flags)});
    state.waiters.erase(it);
}

}  // namespace

void answer_waiter(State& state, std::uint64_t id) {
    const auto it = state.waiters.find(id);
    if (it == state.waiters.end()) return;
    const SyncWaiter& waiter = it->second;
    // The since token may predate a reset; the answer then is the empty state's.
    Built built =
        build(state, waiter.device, std::min(waiter.since, state.position), waiter.limit, false);
    complete(state, it, std::move(built.body));
}

void deliver_ready(State& state, std::unique_lock<std::mutex>& lock) {
    if (state.ready.empty()) return;
    std::vector<std::pair<SimulationCallback, SimulatedResponse>> ready;
    ready.swap(state.ready);
    lock.unlock();
    for (auto& [done, response] : ready) done(std::move(response));
}

void settle(State& state, std::unique_lock<std::mutex>& lock) {
    // Big enough to amortise the lock, small enough that the event loop starts writing early.
    constexpr std::size_t kBatch = 64;
    if (state.wake_everyone) {
        state.wake_everyone = false;
        state.woken.clear();
        state.to_check.clear();
        while (!state.waiters.empty()) answer_waiter(state, state.waiters.begin()->first);
        deliver_ready(state, lock);
        return;
    }
    while (true) {
        for (const std::string& user_id : state.woken) {
            const auto ids = state.waiters_of_user.find(user_id);
            if (ids == state.waiters_of_user.end()) continue;
            state.to_check.insert(state.to_check.end(), ids->second.begin(), ids->second.end());
        }
        state.woken.clear();
        state.cache_event_json = true;
        for (std::size_t built = 0; built < kBatch && !state.to_check.empty(); ++built) {
            const auto it = state.waiters.find(state.to_check.front());
            state.to_check.pop_front();
            if (it == state.waiters.end()) continue;  // answered meanwhile
            Built answer =
                build(state, it->second.device, it->second.since, it->second.limit, false);
            if (answer.has_data) complete(state, it, std::move(answer.body));
        }
        state.cache_event_json = false;
        state.event_json_cache.clear();
        if (state.ready.empty() && state.to_check.empty()) return;
        deliver_ready(state, lock);
        if (!lock.owns_lock()) lock.lock();
    }
}

}  // namespace matrix::mock::sim
