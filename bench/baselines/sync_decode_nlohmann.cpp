// The nlohmann::json baseline decoder: parse to a DOM, then copy into the typed /sync model.
#include "sync_decode_nlohmann.hpp"

#include <cstdint>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "json_path.hpp"

namespace matrix::bench {

namespace {

using matrix::sync::Event;
using matrix::sync::SyncDecodeError;
using matrix::sync::SyncResponse;
// ordered_json, not json: rooms must keep the response's order, and dump() of content must keep
// its key order to give back the text that was received.
using Json = nlohmann::ordered_json;
using detail::JsonPath;

[[noreturn]] void fail(const JsonPath& path, const std::string& reason) {
    throw SyncDecodeError(path.str(), reason);
}

const Json* find(const Json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const Json& expect_object(const Json& value, const JsonPath& path) {
    if (!value.is_object()) fail(path, "expected an object");
    return value;
}

// Copies a parsed document into the model; every string goes into the response's arena, the
// way the SDK's decoder keeps them.
class Copier {
  public:
    explicit Copier(matrix::sync::TextArena& text) : text_(text) {}

    std::string_view get_string(const Json& value, const JsonPath& path) {
        if (!value.is_string()) fail(path, "expected a string");
        return text_.keep(value.get_ref<const std::string&>());
    }

    // nlohmann stores non-negative integers as unsigned and converts numbers between kinds without
    // complaint, so "an int64" is checked by hand, as simdjson's get_int64 does.
    std::int64_t get_int(const Json& value, const JsonPath& path) {
        if (value.is_number_unsigned()) {
            const auto number = value.get<std::uint64_t>();
            if (number > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                fail(path, "integer out of range");
            return static_cast<std::int64_t>(number);
        }
        if (!value.is_number_integer()) fail(path, "expected an integer");
        return value.get<std::int64_t>();
    }

    bool get_bool(const Json& value, const JsonPath& path) {
        if (!value.is_boolean()) fail(path, "expected a boolean");
        return value.get<bool>();
    }

    std::vector<std::string_view> get_string_array(const Json& value, const JsonPath& path) {
        if (!value.is_array()) fail(path, "expected an array");
        std::vector<std::string_view> strings;
        strings.reserve(value.size());
        for (std::size_t i = 0; i < value.size(); ++i)
            strings.push_back(get_string(value[i], path.element(i)));
        return strings;
    }

    std::string_view get_raw_object(const Json& value, const JsonPath& path) {
        return text_.keep(expect_object(value, path).dump());
    }

    Event get_event(const Json& value, const JsonPath& path, bool stripped) {
        expect_object(value, path);
        Event event;
        if (const Json* type = find(value, "type")) {
            event.type = get_string(*type, path.member("type"));
        } else {
            fail(path.member("type"), "missing required string");
        }
        if (const Json* sender = find(value, "sender"))
            event.sender = get_string(*sender, path.member("sender"));
        if (const Json* state_key = find(value, "state_key"))
            event.state_key = get_string(*state_key, path.member("state_key"));
        if (const Json* content = find(value, "content"))
            event.content_json = get_raw_object(*content, path.member("content"));
        // Stripped state carries only type, sender, state_key and content.
        if (stripped) return event;
        if (const Json* id = find(value, "event_id"))
            event.event_id = get_string(*id, path.member("event_id"));
        if (const Json* ts = find(value, "origin_server_ts"))
            event.origin_server_ts = get_int(*ts, path.member("origin_server_ts"));
        if (const Json* unsigned_data = find(value, "unsigned"))
            event.unsigned_json = get_raw_object(*unsigned_data, path.member("unsigned"));
        return event;
    }

    std::vector<Event> get_events(const Json& value, const JsonPath& path, bool stripped) {
        if (!value.is_array()) fail(path, "expected an array");
        std::vector<Event> events;
        events.reserve(value.size());
        for (std::size_t i = 0; i < value.size(); ++i)
            events.push_back(get_event(value[i], path.element(i), stripped));
        return events;
    }

    // The `{"events": [...]}` wrapper that most event lists in /sync come in.
    std::vector<Event> get_event_container(const Json& value, const JsonPath& path, bool stripped) {
        expect_object(value, path);
        if (const Json* events = find(value, "events"))
            return get_events(*events, path.member("events"), stripped);
        return {};
    }

    matrix::sync::Timeline get_timeline(const Json& value, const JsonPath& path) {
        expect_object(value, path);
        matrix::sync::Timeline timeline;
        if (const Json* events = find(value, "events"))
            timeline.events = get_events(*events, path.member("events"), false);
        if (const Json* limited = find(value, "limited"))
            timeline.limited = get_bool(*limited, path.member("limited"));
        if (const Json* prev_batch = find(value, "prev_batch"))
            timeline.prev_batch = get_string(*prev_batch, path.member("prev_batch"));
        return timeline;
    }

    matrix::sync::JoinedRoom get_joined_room(const Json& value, const JsonPath& path) {
        expect_object(value, path);
        matrix::sync::JoinedRoom room;
        if (const Json* timeline = find(value, "timeline"))
            room.timeline = get_timeline(*timeline, path.member("timeline"));
        if (const Json* state = find(value, "state"))
            room.state = get_event_container(*state, path.member("state"), false);
        if (const Json* ephemeral = find(value, "ephemeral"))
            room.ephemeral = get_event_container(*ephemeral, path.member("ephemeral"), false);
        if (const Json* account_data = find(value, "account_data"))
            room.account_data =
                get_event_container(*account_data, path.member("account_data"), false);
        if (const Json* unread = find(value, "unread_notifications")) {
            const JsonPath at = path.member("unread_notifications");
            expect_object(*unread, at);
            if (const Json* count = find(*unread, "highlight_count"))
                room.unread_notifications.highlight_count =
                    get_int(*count, at.member("highlight_count"));
            if (const Json* count = find(*unread, "notification_count"))
                room.unread_notifications.notification_count =
                    get_int(*count, at.member("notification_count"));
        }
        if (const Json* summary = find(value, "summary")) {
            const JsonPath at = path.member("summary");
            expect_object(*summary, at);
            if (const Json* heroes = find(*summary, "m.heroes"))
                room.summary.heroes = get_string_array(*heroes, at.member("m.heroes"));
            if (const Json* count = find(*summary, "m.joined_member_count"))
                room.summary.joined_member_count =
                    get_int(*count, at.member("m.joined_member_count"));
            if (const Json* count = find(*summary, "m.invited_member_count"))
                room.summary.invited_member_count =
                    get_int(*count, at.member("m.invited_member_count"));
        }
        return room;
    }

    matrix::sync::LeftRoom get_left_room(const Json& value, const JsonPath& path) {
        expect_object(value, path);
        matrix::sync::LeftRoom room;
        if (const Json* timeline = find(value, "timeline"))
            room.timeline = get_timeline(*timeline, path.member("timeline"));
        if (const Json* state = find(value, "state"))
            room.state = get_event_container(*state, path.member("state"), false);
        if (const Json* account_data = find(value, "account_data"))
            room.account_data =
                get_event_container(*account_data, path.member("account_data"), false);
        return room;
    }

    // Calls handle(room_id, room, path) for each room of a rooms.{join,invite,...} section.
    template <typename F>
    void for_each_room(const Json& section, const JsonPath& path, F&& handle) {
        expect_object(section, path);
        for (auto it = section.begin(); it != section.end(); ++it)
            handle(text_.keep(it.key()), it.value(), path.member(it.key()));
    }

    void decode_rooms(const Json& rooms, const JsonPath& path, SyncResponse& response) {
        expect_object(rooms, path);
        if (const Json* join = find(rooms, "join")) {
            for_each_room(*join, path.member("join"),
                          [&](std::string_view id, const Json& room, const JsonPath& at) {
                              response.join.emplace_back(id, get_joined_room(room, at));
                          });
        }
        if (const Json* invite = find(rooms, "invite")) {
            for_each_room(*invite, path.member("invite"),
                          [&](std::string_view id, const Json& room, const JsonPath& at) {
                              expect_object(room, at);
                              matrix::sync::InvitedRoom invited;
                              if (const Json* state = find(room, "invite_state"))
                                  invited.invite_state =
                                      get_event_container(*state, at.member("invite_state"), true);
                              response.invite.emplace_back(id, std::move(invited));
                          });
        }
        if (const Json* leave = find(rooms, "leave")) {
            for_each_room(*leave, path.member("leave"),
                          [&](std::string_view id, const Json& room, const JsonPath& at) {
                              response.leave.emplace_back(id, get_left_room(room, at));
                          });
        }
        if (const Json* knock = find(rooms, "knock")) {
            for_each_room(*knock, path.member("knock"),
                          [&](std::string_view id, const Json& room, const JsonPath& at) {
                              expect_object(room, at);
                              matrix::sync::KnockedRoom knocked;
                              if (const Json* state = find(room, "knock_state"))
                                  knocked.knock_state =
                                      get_event_container(*state, at.member("knock_state"), true);
                              response.knock.emplace_back(id, std::move(knocked));
                          });
        }
    }

    SyncResponse copy_response(const Json& top) {
        const JsonPath root;
        expect_object(top, root);
        SyncResponse response;
        if (const Json* next_batch = find(top, "next_batch")) {
            response.next_batch = get_string(*next_batch, root.member("next_batch"));
        } else {
            fail(root.member("next_batch"), "missing required string");
        }
        if (const Json* rooms = find(top, "rooms"))
            decode_rooms(*rooms, root.member("rooms"), response);
        if (const Json* presence = find(top, "presence"))
            response.presence = get_event_container(*presence, root.member("presence"), false);
        if (const Json* account_data = find(top, "account_data"))
            response.account_data =
                get_event_container(*account_data, root.member("account_data"), false);
        if (const Json* to_device = find(top, "to_device"))
            response.to_device = get_event_container(*to_device, root.member("to_device"), false);
        if (const Json* lists = find(top, "device_lists")) {
            const JsonPath at = root.member("device_lists");
            expect_object(*lists, at);
            if (const Json* changed = find(*lists, "changed"))
                response.device_lists.changed = get_string_array(*changed, at.member("changed"));
            if (const Json* left = find(*lists, "left"))
                response.device_lists.left = get_string_array(*left, at.member("left"));
        }
        if (const Json* counts = find(top, "device_one_time_keys_count")) {
            const JsonPath at = root.member("device_one_time_keys_count");
            expect_object(*counts, at);
            for (auto it = counts->begin(); it != counts->end(); ++it)
                response.device_one_time_keys_count.emplace_back(
                    text_.keep(it.key()), get_int(it.value(), at.member(it.key())));
        }
        return response;
    }

  private:
    matrix::sync::TextArena& text_;
};

}  // namespace

SyncResponse decode_sync_nlohmann(std::string_view json) {
    Json top;
    try {
        top = Json::parse(json.begin(), json.end());
    } catch (const Json::exception& e) {
        throw SyncDecodeError("$", e.what());
    }
    // Every string kept is at most as long as its text in the body, so one block usually holds
    // them all.
    auto text = std::make_shared<matrix::sync::TextArena>(json.size());
    SyncResponse response = Copier(*text).copy_response(top);
    response.text = std::move(text);
    return response;
}

}  // namespace matrix::bench
