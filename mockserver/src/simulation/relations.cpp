// Relations (/relations/{eventId}[/{relType}[/{eventType}]]) and thread roots (/threads): the
// events whose content.m.relates_to points at another event, read from the relation index
// (aggregations.cpp), which also gives each thread root its bundled m.thread aggregation.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// A positive count from the query (`fallback` when absent), at most `high`.
std::optional<std::size_t> query_limit(const Call& call, std::size_t fallback, std::size_t high) {
    const auto text = query(call, "limit");
    if (!text) return fallback;
    if (text->empty() || text->size() > 9 ||
        text->find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    return std::clamp<std::size_t>(std::stoul(*text), 1, high);
}

// --- getRelatingEvents* ----------------------------------------------------------------------

// How deep recurse=true follows relations of relations (the spec asks for at least 3).
constexpr int kRecursionDepth = 3;

Reply relating_events(const State& state, const Call& call, const Device& device,
                      const Room& room) {
    const auto& p = call.path;
    const std::string& parent_id = p[3];
    const auto parent = state.event_index.find(parent_id);
    if (parent == state.event_index.end() || state.events[parent->second].room_id != room.room_id) {
        return error("M_NOT_FOUND", "Event not found", 404);
    }
    const std::string dir = query(call, "dir").value_or("b");
    if (dir != "b" && dir != "f") return error("M_INVALID_PARAM", "dir must be b or f", 400);
    const bool backwards = dir == "b";
    const auto limit = query_limit(call, 5, 1000);
    if (!limit) return error("M_INVALID_PARAM", "limit must be a positive integer", 400);
    // Tokens are /messages stream tokens ("s<position>", the gap after that position), so that
    // a /messages start or a /sync next_batch works as the spec allows.
    std::uint64_t from = backwards ? state.position : 0;
    if (const auto token = query(call, "from")) {
        const auto parsed = parse_token(state, *token);
        if (!parsed) return error("M_INVALID_PARAM", "Unknown from token '" + *token + "'", 400);
        from = *parsed;
    }
    std::optional<std::uint64_t> to;
    if (const auto token = query(call, "to")) {
        to = parse_token(state, *token);
        if (!to) return error("M_INVALID_PARAM", "Unknown to token '" + *token + "'", 400);
    }
    const auto recurse_text = query(call, "recurse");
    const bool recurse = recurse_text == "true";
    const std::optional<std::string> rel_type =
        p.size() >= 5 ? std::optional<std::string>(p[4]) : std::nullopt;
    const std::optional<std::string> event_type =
        p.size() >= 6 ? std::optional<std::string>(p[5]) : std::nullopt;

    // The children from the index (and with recurse, theirs, breadth first), each with its
    // depth below the parent; then stream order, which index order is.
    std::vector<std::size_t> related;
    std::vector<std::pair<std::string, int>> parents{{parent_id, 0}};
    for (std::size_t next = 0; next < parents.size(); ++next) {
        const auto [id, above] = parents[next];
        if ((above > 0 && !recurse) || above >= kRecursionDepth) continue;
        const Children* children = children_of(state, id);
        if (children == nullptr) continue;
        for (const auto& [type, indexes] : children->by_rel_type) {
            if (rel_type && type != *rel_type) continue;
            for (const std::size_t index : indexes) {
                const Event& event = state.events[index];
                if (event_type && event.type != *event_type) continue;
                parents.emplace_back(event.event_id, above + 1);
                related.push_back(index);
            }
        }
    }
    std::ranges::sort(related);

    std::vector<const Event*> chunk;
    bool more = false;
    const auto in_range = [&](const Event* event) {
        if (backwards) return event->position <= from && (!to || event->position > *to);
        return event->position > from && (!to || event->position <= *to);
    };
    const auto take = [&](const Event* event) {
        if (!in_range(event)) return;
        if (chunk.size() < *limit) {
            chunk.push_back(event);
        } else {
            more = true;
        }
    };
    if (backwards) {
        for (auto it = related.rbegin(); it != related.rend(); ++it) take(&state.events[*it]);
    } else {
        for (const std::size_t index : related) take(&state.events[index]);
    }
    std::vector<std::string> events;
    for (const Event* event : chunk) events.push_back(event_json(state, *event, device.key()));
    JsonObject out;
    out.raw("chunk", json_array(events));
    if (more) {
        const std::uint64_t end = backwards ? chunk.back()->position - 1 : chunk.back()->position;
        out.str("next_batch", "s" + std::to_string(end));
    }
    if (query(call, "from")) out.str("prev_batch", "s" + std::to_string(from));
    if (recurse_text) out.num("recursion_depth", recurse ? kRecursionDepth : 1);
    return ok(out.text());
}

// --- getThreadRoots --------------------------------------------------------------------------

// A thread root of the room: the event, and the stream position of its latest reply.
struct Thread {
    const Event* root = nullptr;
    std::uint64_t active_at = 0;
};

// The room's thread roots: its events that are not redacted and have m.thread children.
std::vector<Thread> threads_of(const State& state, const Room& room) {
    std::vector<Thread> threads;
    for (const std::size_t index : room.timeline) {
        const Event& event = state.events[index];
        if (!event.redacted_because.empty()) continue;
        const Children* children = children_of(state, event.event_id);
        if (children == nullptr) continue;
        const auto replies = children->by_rel_type.find("m.thread");
        if (replies == children->by_rel_type.end()) continue;  // emptied lists are erased
        threads.push_back({&event, state.events[replies->second.back()].position});
    }
    return threads;
}

// Whether `user_id` sent the root or a reply of the thread.
bool participated(const State& state, const Event& root, const std::string& user_id) {
    const Children* children = children_of(state, root.event_id);
    return root.sender == user_id ||
           (children != nullptr && children->thread_senders.contains(user_id));
}

Reply thread_roots(const State& state, const Call& call, const Device& device, const Room& room) {
    const std::string include = query(call, "include").value_or("all");
    if (include != "all" && include != "participated") {
        return error("M_INVALID_PARAM", "include must be all or participated", 400);
    }
    const auto limit = query_limit(call, 10, 100);
    if (!limit) return error("M_INVALID_PARAM", "limit must be a positive integer", 400);
    // Roots come newest reply first; a token is the stream position a page's last root was
    // active at, so threads that become active later do not shift the pages after it.
    std::uint64_t before = state.position;
    if (const auto token = query(call, "from")) {
        const auto parsed = parse_token(state, *token);
        if (!parsed) return error("M_INVALID_PARAM", "Unknown pagination token", 400);
        before = *parsed;
    }
    std::vector<Thread> threads;
    for (const Thread& thread : threads_of(state, room)) {
        if (thread.active_at > before) continue;
        if (include == "participated" && !participated(state, *thread.root, device.user_id)) {
            continue;
        }
        threads.push_back(thread);
    }
    std::ranges::sort(threads,
                      [](const Thread& a, const Thread& b) { return a.active_at > b.active_at; });
    // Each root carries its bundled aggregations, m.thread among them, as everywhere else.
    std::vector<std::string> chunk;
    for (std::size_t i = 0; i < threads.size() && i < *limit; ++i) {
        chunk.push_back(event_json(state, *threads[i].root, device.key()));
    }
    JsonObject out;
    out.raw("chunk", json_array(chunk));
    if (threads.size() > *limit) {
        out.str("next_batch", "s" + std::to_string(threads[*limit - 1].active_at - 1));
    }
    return ok(out.text());
}

}  // namespace

Reply handle_relations(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "GET" || p.size() < 3 || p[0] != "rooms") return std::nullopt;
    const bool relations = p[2] == "relations" && p.size() >= 4 && p.size() <= 6;
    const bool threads = p[2] == "threads" && p.size() == 3;
    if (!relations && !threads) return std::nullopt;
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const Device device = *auth.device;
    const auto room = state.rooms.find(p[1]);
    // A stranger learns nothing, not even whether the room exists.
    if (room == state.rooms.end() || membership(state, p[1], device.user_id) != "join") {
        return error("M_FORBIDDEN", "You are not allowed to view this room", 403);
    }
    if (threads) return thread_roots(state, call, device, room->second);
    return relating_events(state, call, device, room->second);
}

}  // namespace matrix::mock::sim
