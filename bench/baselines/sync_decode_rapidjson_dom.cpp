// The RapidJSON DOM baseline decoder: Document::Parse, then copy into the typed /sync model.
#include "sync_decode_rapidjson_dom.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "json_path.hpp"

namespace matrix::bench {

namespace {

using detail::JsonPath;
using matrix::sync::Event;
using matrix::sync::SyncDecodeError;
using matrix::sync::SyncResponse;
using rapidjson::Value;

[[noreturn]] void fail(const JsonPath& path, const std::string& reason) {
    throw SyncDecodeError(path.str(), reason);
}

std::string_view view_of(const Value& string) {
    return {string.GetString(), string.GetStringLength()};
}

const Value* find(const Value& object, const char* key) {
    const auto member = object.FindMember(key);
    return member == object.MemberEnd() ? nullptr : &member->value;
}

const Value& expect_object(const Value& value, const JsonPath& path) {
    if (!value.IsObject()) fail(path, "expected an object");
    return value;
}

// Copies a parsed document into the model; every string goes into the response's arena, the
// way the SDK's decoder keeps them.
class Copier {
  public:
    explicit Copier(matrix::sync::TextArena& text) : text_(text) {}

    std::string_view get_string(const Value& value, const JsonPath& path) {
        if (!value.IsString()) fail(path, "expected a string");
        return text_.keep(view_of(value));
    }

    std::int64_t get_int(const Value& value, const JsonPath& path) {
        if (!value.IsInt64()) fail(path, "expected an integer");
        return value.GetInt64();
    }

    bool get_bool(const Value& value, const JsonPath& path) {
        if (!value.IsBool()) fail(path, "expected a boolean");
        return value.GetBool();
    }

    std::vector<std::string_view> get_string_array(const Value& value, const JsonPath& path) {
        if (!value.IsArray()) fail(path, "expected an array");
        std::vector<std::string_view> strings;
        strings.reserve(value.Size());
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i)
            strings.push_back(get_string(value[i], path.element(i)));
        return strings;
    }

    std::string_view get_raw_object(const Value& value, const JsonPath& path) {
        expect_object(value, path);
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        value.Accept(writer);
        return text_.keep({buffer.GetString(), buffer.GetSize()});
    }

    Event get_event(const Value& value, const JsonPath& path, bool stripped) {
        expect_object(value, path);
        Event event;
        if (const Value* type = find(value, "type")) {
            event.type = get_string(*type, path.member("type"));
        } else {
            fail(path.member("type"), "missing required string");
        }
        if (const Value* sender = find(value, "sender"))
            event.sender = get_string(*sender, path.member("sender"));
        if (const Value* state_key = find(value, "state_key"))
            event.state_key = get_string(*state_key, path.member("state_key"));
        if (const Value* content = find(value, "content"))
            event.content_json = get_raw_object(*content, path.member("content"));
        // Stripped state carries only type, sender, state_key and content.
        if (stripped) return event;
        if (const Value* id = find(value, "event_id"))
            event.event_id = get_string(*id, path.member("event_id"));
        if (const Value* ts = find(value, "origin_server_ts"))
            event.origin_server_ts = get_int(*ts, path.member("origin_server_ts"));
        if (const Value* unsigned_data = find(value, "unsigned"))
            event.unsigned_json = get_raw_object(*unsigned_data, path.member("unsigned"));
        return event;
    }

    std::vector<Event> get_events(const Value& value, const JsonPath& path, bool stripped) {
        if (!value.IsArray()) fail(path, "expected an array");
        std::vector<Event> events;
        events.reserve(value.Size());
        for (rapidjson::SizeType i = 0; i < value.Size(); ++i)
            events.push_back(get_event(value[i], path.element(i), stripped));
        return events;
    }

    // The `{"events": [...]}` wrapper that most event lists in /sync come in.
    std::vector<Event> get_event_container(const Value& value, const JsonPath& path,
                                           bool stripped) {
        expect_object(value, path);
        if (const Value* events = find(value, "events"))
            return get_events(*events, path.member("events"), stripped);
        return {};
    }

    matrix::sync::Timeline get_timeline(const Value& value, const JsonPath& path) {
        expect_object(value, path);
        matrix::sync::Timeline timeline;
        if (const Value* events = find(value, "events"))
            timeline.events = get_events(*events, path.member("events"), false);
        if (const Value* limited = find(value, "limited"))
            timeline.limited = get_bool(*limited, path.member("limited"));
        if (const Value* prev_batch = find(value, "prev_batch"))
            timeline.prev_batch = get_string(*prev_batch, path.member("prev_batch"));
        return timeline;
    }

    matrix::sync::JoinedRoom get_joined_room(const Value& value, const JsonPath& path) {
        expect_object(value, path);
        matrix::sync::JoinedRoom room;
        if (const Value* timeline = find(value, "timeline"))
            room.timeline = get_timeline(*timeline, path.member("timeline"));
        if (const Value* state = find(value, "state"))
            room.state = get_event_container(*state, path.member("state"), false);
        if (const Value* ephemeral = find(value, "ephemeral"))
            room.ephemeral = get_event_container(*ephemeral, path.member("ephemeral"), false);
        if (const Value* account_data = find(value, "account_data"))
            room.account_data =
                get_event_container(*account_data, path.member("account_data"), false);
        if (const Value* unread = find(value, "unread_notifications")) {
            const JsonPath at = path.member("unread_notifications");
            expect_object(*unread, at);
            if (const Value* count = find(*unread, "highlight_count"))
                room.unread_notifications.highlight_count =
                    get_int(*count, at.member("highlight_count"));
            if (const Value* count = find(*unread, "notification_count"))
                room.unread_notifications.notification_count =
                    get_int(*count, at.member("notification_count"));
        }
        if (const Value* summary = find(value, "summary")) {
            const JsonPath at = path.member("summary");
            expect_object(*summary, at);
            if (const Value* heroes = find(*summary, "m.heroes"))
                room.summary.heroes = get_string_array(*heroes, at.member("m.heroes"));
            if (const Value* count = find(*summary, "m.joined_member_count"))
                room.summary.joined_member_count =
                    get_int(*count, at.member("m.joined_member_count"));
            if (const Value* count = find(*summary, "m.invited_member_count"))
                room.summary.invited_member_count =
                    get_int(*count, at.member("m.invited_member_count"));
        }
        return room;
    }

    matrix::sync::LeftRoom get_left_room(const Value& value, const JsonPath& path) {
        expect_object(value, path);
        matrix::sync::LeftRoom room;
        if (const Value* timeline = find(value, "timeline"))
            room.timeline = get_timeline(*timeline, path.member("timeline"));
        if (const Value* state = find(value, "state"))
            room.state = get_event_container(*state, path.member("state"), false);
        if (const Value* account_data = find(value, "account_data"))
            room.account_data =
                get_event_container(*account_data, path.member("account_data"), false);
        return room;
    }

    // Calls handle(room_id, room, path) for each room of a rooms.{join,invite,...} section.
    template <typename F>
    void for_each_room(const Value& section, const JsonPath& path, F&& handle) {
        expect_object(section, path);
        for (auto member = section.MemberBegin(); member != section.MemberEnd(); ++member) {
            const std::string_view id = view_of(member->name);
            handle(text_.keep(id), member->value, path.member(id));
        }
    }

    void decode_rooms(const Value& rooms, const JsonPath& path, SyncResponse& response) {
        expect_object(rooms, path);
        if (const Value* join = find(rooms, "join")) {
            for_each_room(*join, path.member("join"),
                          [&](std::string_view id, const Value& room, const JsonPath& at) {
                              response.join.emplace_back(id, get_joined_room(room, at));
                          });
        }
        if (const Value* invite = find(rooms, "invite")) {
            for_each_room(*invite, path.member("invite"),
                          [&](std::string_view id, const Value& room, const JsonPath& at) {
                              expect_object(room, at);
                              matrix::sync::InvitedRoom invited;
                              if (const Value* state = find(room, "invite_state"))
                                  invited.invite_state =
                                      get_event_container(*state, at.member("invite_state"), true);
                              response.invite.emplace_back(id, std::move(invited));
                          });
        }
        if (const Value* leave = find(rooms, "leave")) {
            for_each_room(*leave, path.member("leave"),
                          [&](std::string_view id, const Value& room, const JsonPath& at) {
                              response.leave.emplace_back(id, get_left_room(room, at));
                          });
        }
        if (const Value* knock = find(rooms, "knock")) {
            for_each_room(*knock, path.member("knock"),
                          [&](std::string_view id, const Value& room, const JsonPath& at) {
                              expect_object(room, at);
                              matrix::sync::KnockedRoom knocked;
                              if (const Value* state = find(room, "knock_state"))
                                  knocked.knock_state =
                                      get_event_container(*state, at.member("knock_state"), true);
                              response.knock.emplace_back(id, std::move(knocked));
                          });
        }
    }

    SyncResponse copy_response(const Value& top) {
        const JsonPath root;
        expect_object(top, root);
        SyncResponse response;
        if (const Value* next_batch = find(top, "next_batch")) {
            response.next_batch = get_string(*next_batch, root.member("next_batch"));
        } else {
            fail(root.member("next_batch"), "missing required string");
        }
        if (const Value* rooms = find(top, "rooms"))
            decode_rooms(*rooms, root.member("rooms"), response);
        if (const Value* presence = find(top, "presence"))
            response.presence = get_event_container(*presence, root.member("presence"), false);
        if (const Value* account_data = find(top, "account_data"))
            response.account_data =
                get_event_container(*account_data, root.member("account_data"), false);
        if (const Value* to_device = find(top, "to_device"))
            response.to_device = get_event_container(*to_device, root.member("to_device"), false);
        if (const Value* lists = find(top, "device_lists")) {
            const JsonPath at = root.member("device_lists");
            expect_object(*lists, at);
            if (const Value* changed = find(*lists, "changed"))
                response.device_lists.changed = get_string_array(*changed, at.member("changed"));
            if (const Value* left = find(*lists, "left"))
                response.device_lists.left = get_string_array(*left, at.member("left"));
        }
        if (const Value* counts = find(top, "device_one_time_keys_count")) {
            const JsonPath at = root.member("device_one_time_keys_count");
            expect_object(*counts, at);
            for (auto member = counts->MemberBegin(); member != counts->MemberEnd(); ++member) {
                const std::string_view name = view_of(member->name);
                response.device_one_time_keys_count.emplace_back(
                    text_.keep(name), get_int(member->value, at.member(name)));
            }
        }
        return response;
    }

  private:
    matrix::sync::TextArena& text_;
};

}  // namespace

SyncResponse decode_sync_rapidjson_dom(std::string_view json) {
    rapidjson::Document document;
    document.Parse(json.data(), json.size());
    if (document.HasParseError()) {
        throw SyncDecodeError("$",
                              std::string(rapidjson::GetParseError_En(document.GetParseError())) +
                                  " at offset " + std::to_string(document.GetErrorOffset()));
    }
    // Every string kept is at most as long as its text in the body, so one block usually holds
    // them all.
    auto text = std::make_shared<matrix::sync::TextArena>(json.size());
    SyncResponse response = Copier(*text).copy_response(document);
    response.text = std::move(text);
    return response;
}

}  // namespace matrix::bench
