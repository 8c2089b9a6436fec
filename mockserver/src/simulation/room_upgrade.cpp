// upgradeRoom (POST /rooms/{roomId}/upgrade): replaces a room by a new one of another version.
// The new room names its predecessor in m.room.create and takes the old room's name, topic,
// join rules and power levels; the old room gets an m.room.tombstone pointing at it. What a
// full server also does is left out: copying other state (avatar, aliases, encryption...),
// moving local aliases, and restricting the old room's power levels.
#include <string>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

// The versions getCapabilities advertises (settings.cpp).
bool supported_version(const std::string& version) {
    for (const char* known : {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"}) {
        if (version == known) return true;
    }
    return false;
}

// An integer member of the object member `outer` of `object`, or `fallback`.
std::int64_t integer_member(const rapidjson::Value& object, const char* outer, const char* key,
                            std::int64_t fallback) {
    const auto it = object.FindMember(outer);
    if (it == object.MemberEnd() || !it->value.IsObject()) return fallback;
    const auto value = it->value.FindMember(key);
    return value != it->value.MemberEnd() && value->value.IsInt64() ? value->value.GetInt64()
                                                                    : fallback;
}

std::int64_t integer_member(const rapidjson::Value& object, const char* key,
                            std::int64_t fallback) {
    const auto it = object.FindMember(key);
    return it != object.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : fallback;
}

// Whether `user_id` may send the state event `type`, by the room's m.room.power_levels (the
// defaults of the spec without one: the creator 100, state events 50).
bool may_send_state(const State& state, const Room& room, const std::string& user_id,
                    const char* type) {
    const auto levels = room.state.find({"m.room.power_levels", ""});
    if (levels == room.state.end()) {
        const auto create = room.state.find({"m.room.create", ""});
        return create != room.state.end() && state.events[create->second].sender == user_id;
    }
    const auto content = parse_object(state.events[levels->second].content.view());
    if (!content) return false;
    const std::int64_t mine = integer_member(*content, "users", user_id.c_str(),
                                             integer_member(*content, "users_default", 0));
    const std::int64_t needed =
        integer_member(*content, "events", type, integer_member(*content, "state_default", 50));
    return mine >= needed;
}

// Adds a copy of the JSON text `json` to `object` under `key`.
void add_json(rapidjson::Document& object, const char* key, const std::string& json) {
    auto& allocator = object.GetAllocator();
    rapidjson::Document parsed;
    parsed.Parse(json.c_str());
    if (parsed.HasParseError()) return;
    object.AddMember(rapidjson::Value(key, allocator), rapidjson::Value(parsed, allocator),
                     allocator);
}

}  // namespace

Reply handle_room_upgrade(State& state, Call& call) {
    const auto& p = call.path;
    if (call.method != "POST" || p.size() != 3 || p[0] != "rooms" || p[2] != "upgrade") {
        return std::nullopt;
    }
    const Auth auth = authenticate(state, call);
    if (!auth.device) return auth.error;
    const std::string& user_id = auth.device->user_id;
    const auto body = parse_object(call.entry.body);
    if (!body) return error("M_NOT_JSON", "The body is not a JSON object", 400);
    const auto version = member_string(*body, "new_version");
    if (!version) return error("M_MISSING_PARAM", "new_version is required", 400);
    const std::string& old_id = p[1];
    const auto old_room = state.rooms.find(old_id);
    if (old_room == state.rooms.end() || membership(state, old_id, user_id) != "join") {
        return error("M_FORBIDDEN", "You are not in this room", 403);
    }
    if (!supported_version(*version)) {
        return error("M_UNSUPPORTED_ROOM_VERSION",
                     "This server does not support room version " + *version, 400);
    }
    if (!may_send_state(state, old_room->second, user_id, "m.room.tombstone")) {
        return error("M_FORBIDDEN", "You cannot upgrade this room", 403);
    }
    const auto create = old_room->second.state.find({"m.room.create", ""});
    if (create == old_room->second.state.end()) {
        return error("M_UNKNOWN", "The room has no m.room.create", 400);
    }
    // The tombstone's size depends on the new room's id, whose length is fixed: its cost is
    // that of a tombstone naming any id of that length.
    const std::string same_length_id =
        "!" + std::string(kRoomIdRandomChars, 'a') + ":" + state.options.server_name;
    const auto tombstone = [](const std::string& replacement) {
        return JsonObject()
            .str("body", "This room has been replaced")
            .str("replacement_room", replacement)
            .text();
    };
    // Checked before anything is made; create_room then checks the new room by itself, so the
    // two together may pass the cap by at most this one event.
    if (Reply full = refuse_if_full(state, event_cost(state, old_id, user_id, "m.room.tombstone",
                                                      tombstone(same_length_id), ""))) {
        return full;
    }

    // createRoom's body for the replacement, so that it is made like any other room.
    rapidjson::Document request(rapidjson::kObjectType);
    auto& allocator = request.GetAllocator();
    request.AddMember("room_version", rapidjson::Value(version->c_str(), allocator), allocator);
    rapidjson::Value predecessor(rapidjson::kObjectType);
    predecessor.AddMember("room_id", rapidjson::Value(old_id.c_str(), allocator), allocator);
    predecessor.AddMember(
        "event_id", rapidjson::Value(state.events[create->second].event_id.c_str(), allocator),
        allocator);
    rapidjson::Value creation_content(rapidjson::kObjectType);
    // A space stays a space.
    const std::string room_type = state_string(state, old_room->second, "m.room.create", "type");
    if (!room_type.empty()) {
        creation_content.AddMember("type", rapidjson::Value(room_type.c_str(), allocator),
                                   allocator);
    }
    creation_content.AddMember("predecessor", predecessor, allocator);
    request.AddMember("creation_content", creation_content, allocator);
    const std::string name = state_string(state, old_room->second, "m.room.name", "name");
    if (!name.empty())
        request.AddMember("name", rapidjson::Value(name.c_str(), allocator), allocator);
    const std::string topic = state_string(state, old_room->second, "m.room.topic", "topic");
    if (!topic.empty()) {
        request.AddMember("topic", rapidjson::Value(topic.c_str(), allocator), allocator);
    }
    const auto& old_state = old_room->second.state;
    if (const auto levels = old_state.find({"m.room.power_levels", ""});
        levels != old_state.end()) {
        add_json(request, "power_level_content_override",
                 state.events[levels->second].content.str());
    }
    if (const auto rules = old_state.find({"m.room.join_rules", ""}); rules != old_state.end()) {
        rapidjson::Document item(rapidjson::kObjectType);
        item.AddMember("type", "m.room.join_rules", item.GetAllocator());
        add_json(item, "content", state.events[rules->second].content.str());
        rapidjson::Value initial(rapidjson::kArrayType);
        initial.PushBack(rapidjson::Value(item, allocator), allocator);
        request.AddMember("initial_state", initial, allocator);
    }

    auto [new_id, failure] = create_room(state, user_id, request);
    if (failure) return failure;
    append_event(state, old_id, user_id, "m.room.tombstone", tombstone(new_id), std::string());
    return ok(JsonObject().str("replacement_room", new_id).text());
}

}  // namespace matrix::mock::sim
