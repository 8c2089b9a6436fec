// Reads the /__admin/sim/* seeding bodies (and seed files' users and rooms) into typed calls.
#include "simulation/seed_bodies.hpp"

#include <algorithm>

#include "simulation/state.hpp"

namespace matrix::mock::sim {

namespace {

std::string_view name_of(const rapidjson::Value& name) {
    return {name.GetString(), name.GetStringLength()};
}

const rapidjson::Value* find(const rapidjson::Value& object, const char* key) {
    const auto it = object.FindMember(key);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

std::string required_string(const rapidjson::Value& object, std::string_view path,
                            const char* key) {
    const rapidjson::Value* value = find(object, key);
    if (value == nullptr) throw SeedError(key_path(path, key), "is missing (a string)");
    if (!is_client_string(*value)) throw SeedError(key_path(path, key), "must be a string");
    return {value->GetString(), value->GetStringLength()};
}

std::optional<std::string> optional_string(const rapidjson::Value& object, std::string_view path,
                                           const char* key) {
    const rapidjson::Value* value = find(object, key);
    if (value == nullptr) return std::nullopt;
    if (!is_client_string(*value)) throw SeedError(key_path(path, key), "must be a string");
    return std::string(value->GetString(), value->GetStringLength());
}

std::optional<Json> optional_object(const rapidjson::Value& object, std::string_view path,
                                    const char* key) {
    const rapidjson::Value* value = find(object, key);
    if (value == nullptr) return std::nullopt;
    if (!value->IsObject()) throw SeedError(key_path(path, key), "must be a JSON object");
    return Json::from_trusted_text(to_text(*value), Json::Kind::object);
}

std::vector<std::string> string_array(const rapidjson::Value& object, std::string_view path,
                                      const char* key) {
    std::vector<std::string> items;
    const rapidjson::Value* value = find(object, key);
    if (value == nullptr) return items;
    const std::string where = key_path(path, key);
    if (!value->IsArray()) throw SeedError(where, "must be an array of user ids");
    for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
        const rapidjson::Value& item = (*value)[i];
        if (!is_client_string(item)) {
            throw SeedError(where + "[" + std::to_string(i) + "]", "must be a user id string");
        }
        items.emplace_back(item.GetString(), item.GetStringLength());
    }
    return items;
}

std::vector<SeedStateEvent> state_events(const rapidjson::Value& object, std::string_view path) {
    std::vector<SeedStateEvent> events;
    const rapidjson::Value* value = find(object, "initial_state");
    if (value == nullptr) return events;
    const std::string where = key_path(path, "initial_state");
    if (!value->IsArray()) throw SeedError(where, "must be an array of state events");
    static constexpr std::array<std::string_view, 3> kKeys = {"type", "state_key", "content"};
    for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
        const std::string at = where + "[" + std::to_string(i) + "]";
        const rapidjson::Value& item = (*value)[i];
        if (!item.IsObject()) throw SeedError(at, "must be an object {type, state_key, content}");
        refuse_unknown_keys(item, at, kKeys);
        SeedStateEvent event;
        event.type = required_string(item, at, "type");
        event.state_key = optional_string(item, at, "state_key").value_or("");
        event.content = optional_object(item, at, "content").value_or(Json());
        events.push_back(std::move(event));
    }
    return events;
}

}  // namespace

std::string key_path(std::string_view path, std::string_view key) {
    if (path.empty()) return std::string(key);
    if (key.empty()) return std::string(path);
    return std::string(path) + "." + std::string(key);
}

void refuse_unknown_keys(const rapidjson::Value& object, std::string_view path,
                         std::span<const std::string_view> known) {
    for (auto member = object.MemberBegin(); member != object.MemberEnd(); ++member) {
        const std::string_view name = name_of(member->name);
        if (std::ranges::find(known, name) == known.end()) {
            std::string expected;
            for (const std::string_view candidate : known) {
                expected += (expected.empty() ? "" : ", ") + std::string(candidate);
            }
            throw SeedError(key_path(path, name),
                            "is not a known key (expected one of: " + expected + ")");
        }
        // RapidJSON keeps both of a repeated name, the first one winning, silently.
        for (auto earlier = object.MemberBegin(); earlier != member; ++earlier) {
            if (name_of(earlier->name) == name) {
                throw SeedError(key_path(path, name), "is given twice");
            }
        }
    }
}

SeedUserBody read_seed_user(const rapidjson::Value& object, std::string_view path) {
    refuse_unknown_keys(object, path, kSeedUserKeys);
    SeedUserBody body;
    body.username = required_string(object, path, "username");
    body.password = required_string(object, path, "password");
    body.options.displayname = optional_string(object, path, "displayname");
    body.options.device_id = optional_string(object, path, "device_id");
    return body;
}

SeedRoomBody read_seed_room(const rapidjson::Value& object, std::string_view path,
                            std::span<const std::string_view> known) {
    refuse_unknown_keys(object, path, known);
    SeedRoomBody body;
    body.creator = required_string(object, path, "creator");
    SeedRoomOptions& options = body.options;
    options.name = optional_string(object, path, "name");
    options.topic = optional_string(object, path, "topic");
    options.room_alias_name = optional_string(object, path, "room_alias_name");
    options.preset = optional_string(object, path, "preset");
    options.visibility = optional_string(object, path, "visibility");
    options.room_version = optional_string(object, path, "room_version");
    options.members = string_array(object, path, "members");
    options.invite = string_array(object, path, "invite");
    if (const rapidjson::Value* direct = find(object, "is_direct")) {
        if (!direct->IsBool())
            throw SeedError(key_path(path, "is_direct"), "must be true or false");
        options.is_direct = direct->GetBool();
    }
    options.initial_state = state_events(object, path);
    options.creation_content = optional_object(object, path, "creation_content");
    options.power_level_content_override =
        optional_object(object, path, "power_level_content_override");
    return body;
}

SeedEventBody read_seed_event(const rapidjson::Value& object, std::string_view path) {
    refuse_unknown_keys(object, path, kSeedEventKeys);
    SeedEventBody body;
    body.sender = required_string(object, path, "sender");
    body.type = required_string(object, path, "type");
    const rapidjson::Value* content = find(object, "content");
    if (content == nullptr) throw SeedError(key_path(path, "content"), "is missing (an object)");
    if (!content->IsObject()) throw SeedError(key_path(path, "content"), "must be a JSON object");
    body.content = to_text(*content);
    body.state_key = optional_string(object, path, "state_key");
    return body;
}

}  // namespace matrix::mock::sim
