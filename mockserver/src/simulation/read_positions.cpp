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

UnreadCounts unread_counts(const State& state, const PushEvaluator& rules, const Room& room,
                           const std::string& user_id) {
    UnreadCounts counts;
    const std::uint64_t through = read_through(state, room, user_id);
    for (auto slot = first_after(state, room, through); slot != room.timeline.end(); ++slot) {
        const auto match = rules.evaluate(state.events[*slot], room);
        if (!match) continue;
        ++counts.notifications;
        if (match->highlight) ++counts.highlights;
    }
    return counts;
}

}  // namespace matrix::mock::sim
