// Room and state events to send (seed: Client.RoomEvent and Client.StateEvent).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "matrix/json.hpp"

namespace matrix {

// The seed's msgtype atoms :text, :notice and :file.
enum class MessageType { text, notice, file };

struct MessageOptions {
    // An HTML version of the body; `format` then defaults to "org.matrix.custom.html".
    std::optional<std::string> formatted_body{};
    std::optional<std::string> format{};
    std::optional<std::string> url{};       // mxc:// URI, required for MessageType::file
    std::optional<std::string> filename{};  // file only
    std::optional<Json> info{};             // file only: size, mimetype, ...
};

// Any room event: send_room_event puts it at /rooms/{room_id}/send/{type}/{transaction_id}.
struct RoomEvent {
    std::string room_id{};
    std::string type{};
    std::string transaction_id{};
    Json content{};

    // An m.room.message event with msgtype m.text, m.notice or m.file.
    static RoomEvent message(std::string_view room_id, MessageType msgtype, std::string_view body,
                             std::string_view transaction_id, const MessageOptions& options = {});
};

// Any state event: send_state_event puts it at /rooms/{room_id}/state/{type}/{state_key}.
// An empty state_key is valid and common.
struct StateEvent {
    std::string room_id{};
    std::string type{};
    std::string state_key{};
    Json content{};

    // m.room.join_rules with {"join_rule": join_rule} ("public", "invite", "private", ...).
    static StateEvent join_rules(std::string_view room_id, std::string_view join_rule);
    // m.room.topic with {"topic": topic}.
    static StateEvent topic(std::string_view room_id, std::string_view topic);
};

}  // namespace matrix
