// Relations (/relations/{eventId}[/{relType}[/{eventType}]]) and thread roots (/threads): the
// events whose content.m.relates_to points at another event. Nothing is indexed: each request
// walks the room's timeline, so its cost grows with the room's history, which suits a test
// server's rooms.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

struct Relation {
    std::string parent;  // m.relates_to.event_id
    std::string rel_type;
};

// The relation an event declares; none for a redacted event, whose content clients no longer see.
std::optional<Relation> relation_of(const Event& event) {
    if (!event.redacted_because.empty()) return std::nullopt;
    // Most events relate to nothing: skip the parse when the key cannot be there.
    if (event.content.view().find("m.relates_to") == std::string_view::npos) return std::nullopt;
    const auto content = parse_object(event.content.view());
    if (!content) return std::nullopt;
    const auto it = content->FindMember("m.relates_to");
    if (it == content->MemberEnd() || !it->value.IsObject()) return std::nullopt;
    const auto parent = member_string(it->value, "event_id");
    if (!parent) return std::nullopt;
    return Relation{*parent, member_string(it->value, "rel_type").value_or("")};
}

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

    // One forward pass finds the children (and with recurse, their children: a child always
    // comes after its parent in the stream), each with its depth below the parent.
    std::map<std::string, int> depth{{parent_id, 0}};
    std::vector<const Event*> related;
    for (const std::size_t index : room.timeline) {
        const Event& event = state.events[index];
        const auto relation = relation_of(event);
        if (!relation) continue;
        const auto above = depth.find(relation->parent);
        if (above == depth.end() || (above->second > 0 && !recurse)) continue;
        if (above->second >= kRecursionDepth) continue;
        if (rel_type && relation->rel_type != *rel_type) continue;
        if (event_type && event.type != *event_type) continue;
        depth.emplace(event.event_id, above->second + 1);
        related.push_back(&event);
    }

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
        for (auto it = related.rbegin(); it != related.rend(); ++it) take(*it);
    } else {
        for (const Event* event : related) take(event);
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

struct Thread {
    const Event* root = nullptr;
    const Event* latest = nullptr;
    std::int64_t count = 0;
    bool participated = false;  // the viewer sent the root or a reply
};

// The room's threads by root event id: events with m.thread children that are not redacted.
std::map<std::string, Thread> threads_of(const State& state, const Room& room,
                                         const std::string& user_id) {
    std::map<std::string, Thread> threads;
    for (const std::size_t index : room.timeline) {
        const Event& event = state.events[index];
        const auto relation = relation_of(event);
        if (!relation || relation->rel_type != "m.thread") continue;
        const auto root = state.event_index.find(relation->parent);
        if (root == state.event_index.end()) continue;
        const Event& root_event = state.events[root->second];
        if (root_event.room_id != room.room_id || !root_event.redacted_because.empty()) continue;
        Thread& thread = threads[relation->parent];
        thread.root = &root_event;
        thread.latest = &event;  // the timeline is in stream order
        ++thread.count;
        thread.participated |= event.sender == user_id || root_event.sender == user_id;
    }
    return threads;
}

// The root as clients see it, with the bundled m.thread aggregation the spec asks for in
// unsigned.m.relations. Only here: event_json leaves it out, because finding a root's replies
// there would walk the room for every event of every sync.
std::string root_json(const State& state, const Thread& thread, const Device& device) {
    auto root = parse_object(event_json(state, *thread.root, device.key()));
    auto latest = parse_object(event_json(state, *thread.latest, device.key()));
    auto& allocator = root->GetAllocator();
    rapidjson::Value aggregation(rapidjson::kObjectType);
    aggregation.AddMember("latest_event", rapidjson::Value(*latest, allocator), allocator);
    aggregation.AddMember("count", thread.count, allocator);
    aggregation.AddMember("current_user_participated", thread.participated, allocator);
    rapidjson::Value relations(rapidjson::kObjectType);
    relations.AddMember("m.thread", aggregation, allocator);
    (*root)["unsigned"].AddMember("m.relations", relations, allocator);
    return to_text(*root);
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
    for (const auto& [id, thread] : threads_of(state, room, device.user_id)) {
        if (thread.latest->position > before) continue;
        if (include == "participated" && !thread.participated) continue;
        threads.push_back(thread);
    }
    std::ranges::sort(threads, [](const Thread& a, const Thread& b) {
        return a.latest->position > b.latest->position;
    });
    std::vector<std::string> chunk;
    for (std::size_t i = 0; i < threads.size() && i < *limit; ++i) {
        chunk.push_back(root_json(state, threads[i], device));
    }
    JsonObject out;
    out.raw("chunk", json_array(chunk));
    if (threads.size() > *limit) {
        out.str("next_batch", "s" + std::to_string(threads[*limit - 1].latest->position - 1));
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
