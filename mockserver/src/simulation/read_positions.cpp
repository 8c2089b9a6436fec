// How far each user has read each room: moved by read receipts and read markers (events.cpp),
// read by /sync's unread counts and getNotifications' `read`.
#include <algorithm>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

std::size_t read_position_cost(std::string_view user_id, std::string_view room_id) {
    return entry_cost(2 * sizeof(std::string) + sizeof(ReadPosition), {user_id, room_id});
}

void mark_read(State& state, const std::string& user_id, const std::string& room_id,
               const Event& event) {
    const auto [it, added] = state.read_positions.try_emplace(std::pair{user_id, room_id});
    if (added) charge(state, read_position_cost(user_id, room_id));
    // A receipt for an older event than one already read changes nothing, as on servers.
    if (!added && it->second.event_position >= event.position) return;
    bump(state);
    it->second.event_position = event.position;
    it->second.changed_at = state.position;
    wake(state, user_id);
}

std::uint64_t read_changed_at(const State& state, const std::string& user_id,
                              const std::string& room_id) {
    const auto it = state.read_positions.find({user_id, room_id});
    return it == state.read_positions.end() ? 0 : it->second.changed_at;
}

std::uint64_t read_through(const State& state, const Room& room, const std::string& user_id) {
    const auto it = state.read_positions.find({user_id, room.room_id});
    const std::uint64_t marked = it == state.read_positions.end() ? 0 : it->second.event_position;
    // Newest first, back to the marked event: a user has read what they answered.
    for (auto slot = room.timeline.end(); slot != room.timeline.begin();) {
        const Event& event = state.events[*--slot];
        if (event.position <= marked) break;
        if (event.sender == user_id) return event.position;
    }
    return marked;
}

std::size_t unread_cache_cost(std::string_view user_id, std::string_view room_id) {
    return entry_cost(2 * sizeof(std::string) + sizeof(UnreadCache), {user_id, room_id});
}

UnreadCounts unread_counts(const State& state, const PushEvaluator& rules, const Room& room,
                           const std::string& user_id) {
    const auto user = state.users.find(user_id);
    std::uint64_t rules_at = 0;
    if (user != state.users.end()) {
        const auto data = user->second.account_data.find("m.push_rules");
        if (data != user->second.account_data.end()) rules_at = data->second.position;
    }
    const auto marked = state.read_positions.find({user_id, room.room_id});
    const std::uint64_t receipt =
        marked == state.read_positions.end() ? 0 : marked->second.event_position;
    const auto [entry, added] = state.unread_cache.try_emplace(std::pair{user_id, room.room_id});
    UnreadCache& cache = entry->second;
    auto from = first_after(state, room, cache.counted_to);
    // Counted afresh: the first time, after a change of rules or read position, or after a
    // redaction, which may take back an event counted before (redacted events never notify).
    const bool fresh = added || cache.rules_at != rules_at || receipt > cache.through ||
                       std::any_of(from, room.timeline.end(), [&](std::size_t index) {
                           return state.events[index].type == "m.room.redaction";
                       });
    if (fresh) {
        const std::uint64_t through = read_through(state, room, user_id);
        cache = UnreadCache{through, through, rules_at, {}};
        from = first_after(state, room, through);
    }
    for (; from != room.timeline.end(); ++from) {
        const Event& event = state.events[*from];
        cache.counted_to = event.position;
        if (event.sender == user_id) {
            // The user answered: everything before is read.
            cache.through = event.position;
            cache.counts = {};
            continue;
        }
        const auto match = rules.evaluate(event, room);
        if (!match) continue;
        ++cache.counts.notifications;
        if (match->highlight) ++cache.counts.highlights;
    }
    return cache.counts;
}

}  // namespace matrix::mock::sim
