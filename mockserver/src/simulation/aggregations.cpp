// The relation index and the server-side bundled aggregations built from it: each event that
// relates to another of its room (content.m.relates_to) is filed under its parent when appended
// and taken out when redacted, so that unsigned.m.relations costs a lookup wherever events are
// served, and /relations and /threads read the same index.
#include <algorithm>
#include <string>
#include <vector>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// The user part of a device key ("user|device"); user ids cannot hold a '|'.
std::string viewer_user(const std::string& viewer_device) {
    return viewer_device.substr(0, viewer_device.find('|'));
}

const std::vector<std::size_t>* of_type(const Children& children, const std::string& rel_type) {
    const auto it = children.by_rel_type.find(rel_type);
    return it == children.by_rel_type.end() || it->second.empty() ? nullptr : &it->second;
}

// The parent `event` would be filed under: nullopt unless it names an event of its own room.
std::optional<Relation> indexed_relation(const State& state, std::string_view room_id,
                                         std::string_view content) {
    auto relation = relation_of(content);
    if (!relation) return std::nullopt;
    const auto parent = state.event_index.find(relation->parent);
    if (parent == state.event_index.end() || state.events[parent->second].room_id != room_id) {
        return std::nullopt;
    }
    return relation;
}

// The replacement to bundle with `original`: the newest valid one (the spec: same sender and
// type, neither a state event, with m.new_content; the original not itself a replacement).
// Stream order stands for origin_server_ts, which the simulation stamps as it appends.
const Event* replacement_of(const State& state, const Event& original, const Children& children) {
    const auto* edits = of_type(children, "m.replace");
    if (edits == nullptr || original.state_key) return nullptr;
    if (const auto own = relation_of(original.content); own && own->rel_type == "m.replace") {
        return nullptr;
    }
    for (auto it = edits->rbegin(); it != edits->rend(); ++it) {
        const Event& edit = state.events[*it];
        if (edit.sender != original.sender || edit.type != original.type || edit.state_key) {
            continue;
        }
        const auto content = parse_object(edit.content.view());
        if (!content) continue;
        const auto new_content = content->FindMember("m.new_content");
        if (new_content != content->MemberEnd() && new_content->value.IsObject()) return &edit;
    }
    return nullptr;
}

}  // namespace

std::optional<Relation> relation_of(std::string_view content) {
    // Most events relate to nothing: skip the parse when the key cannot be there.
    if (content.find("m.relates_to") == std::string_view::npos) return std::nullopt;
    const auto parsed = parse_object(content);
    if (!parsed) return std::nullopt;
    const auto it = parsed->FindMember("m.relates_to");
    if (it == parsed->MemberEnd() || !it->value.IsObject()) return std::nullopt;
    const auto parent = member_string(it->value, "event_id");
    const auto rel_type = member_string(it->value, "rel_type");
    if (!parent || !rel_type) return std::nullopt;
    return Relation{*parent, *rel_type};
}

std::size_t relation_cost(const State& state, std::string_view room_id, std::string_view sender,
                          std::string_view content) {
    const auto relation = indexed_relation(state, room_id, content);
    if (!relation) return 0;
    // The parent's children entry, its rel_type list and the child's slot there, and for a
    // thread reply its sender's count.
    std::size_t cost =
        entry_cost(sizeof(std::string) + sizeof(Children), {relation->parent}) +
        entry_cost(sizeof(std::string) + sizeof(std::vector<std::size_t>), {relation->rel_type}) +
        sizeof(std::size_t);
    if (relation->rel_type == "m.thread") {
        cost += entry_cost(sizeof(std::string) + sizeof(std::size_t), {sender});
    }
    return cost;
}

void index_relation(State& state, std::size_t index) {
    const Event& event = state.events[index];
    const auto relation = indexed_relation(state, event.room_id, event.content.view());
    if (!relation) return;
    Children& children = state.children[relation->parent];
    children.by_rel_type[relation->rel_type].push_back(index);  // appended: stream order holds
    if (relation->rel_type == "m.thread") ++children.thread_senders[event.sender];
}

void forget_relation(State& state, std::size_t index) {
    const Event& event = state.events[index];
    const auto relation = indexed_relation(state, event.room_id, event.content.view());
    if (!relation) return;
    const auto children = state.children.find(relation->parent);
    if (children == state.children.end()) return;
    const auto list = children->second.by_rel_type.find(relation->rel_type);
    if (list == children->second.by_rel_type.end()) return;
    const auto slot = std::find(list->second.begin(), list->second.end(), index);
    if (slot == list->second.end()) return;  // redacted before: already gone
    list->second.erase(slot);
    if (list->second.empty()) children->second.by_rel_type.erase(list);
    if (relation->rel_type == "m.thread") {
        const auto sender = children->second.thread_senders.find(event.sender);
        if (sender != children->second.thread_senders.end() && --sender->second == 0) {
            children->second.thread_senders.erase(sender);
        }
    }
    if (children->second.by_rel_type.empty()) state.children.erase(children);
    release(state, relation_cost(state, event.room_id, event.sender, event.content.view()));
}

const Children* children_of(const State& state, const std::string& event_id) {
    const auto it = state.children.find(event_id);
    return it == state.children.end() ? nullptr : &it->second;
}

bool viewer_dependent_aggregations(const State& state, const Event& event) {
    if (!event.redacted_because.empty()) return false;
    const Children* children = children_of(state, event.event_id);
    return children != nullptr && (of_type(*children, "m.thread") != nullptr ||
                                   of_type(*children, "m.replace") != nullptr);
}

std::string bundled_aggregations(const State& state, const Event& event,
                                 const std::string& viewer_device) {
    // A redacted event has no content left for its children to relate to.
    if (!event.redacted_because.empty()) return {};
    const Children* children = children_of(state, event.event_id);
    if (children == nullptr) return {};
    JsonObject relations;
    bool any = false;
    if (const auto* replies = of_type(*children, "m.thread")) {
        const std::string user = viewer_user(viewer_device);
        const bool participated =
            !user.empty() && (event.sender == user || children->thread_senders.contains(user));
        relations.raw("m.thread", JsonObject()
                                      .raw("latest_event",
                                           event_json_unbundled(
                                               state, state.events[replies->back()], viewer_device))
                                      .num("count", static_cast<std::int64_t>(replies->size()))
                                      .boolean("current_user_participated", participated)
                                      .text());
        any = true;
    }
    // Since v1.7 the whole replacement event is bundled, and the original keeps its content.
    if (const Event* edit = replacement_of(state, event, *children)) {
        relations.raw("m.replace", event_json_unbundled(state, *edit, viewer_device));
        any = true;
    }
    if (const auto* references = of_type(*children, "m.reference")) {
        std::vector<std::string> chunk;
        chunk.reserve(references->size());
        for (const std::size_t index : *references) {
            chunk.push_back(JsonObject().str("event_id", state.events[index].event_id).text());
        }
        relations.raw("m.reference", JsonObject().raw("chunk", json_array(chunk)).text());
        any = true;
    }
    return any ? relations.text() : std::string();
}

}  // namespace matrix::mock::sim
