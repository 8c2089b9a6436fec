// Typed views of the responses the seed's users read first. Each `from` throws MatrixApiError
// for a non-2xx response and ResponseError naming the field when a required one is missing or
// of the wrong type; unknown fields are ignored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "matrix/client.hpp"
#include "matrix/json.hpp"

namespace matrix::responses {

// login and register_user / register_guest.
struct Login {
    std::string user_id;
    std::string access_token;  // absent on register with inhibit_login: then empty
    std::string device_id;     // likewise
    std::optional<Json> well_known;
    static Login from(const Response& response);
    static Login from_register(const Response& response);  // tokens optional
};

struct Whoami {
    std::string user_id;
    std::optional<std::string> device_id;
    std::optional<bool> is_guest;
    static Whoami from(const Response& response);
};

struct JoinedRooms {
    std::vector<std::string> joined_rooms;
    static JoinedRooms from(const Response& response);
};

// create_room, join_room.
struct RoomId {
    std::string room_id;
    static RoomId from(const Response& response);
};

// send_room_event, send_state_event, redact_room_event.
struct EventId {
    std::string event_id;
    static EventId from(const Response& response);
};

struct ResolvedRoomAlias {
    std::string room_id;
    std::vector<std::string> servers;
    static ResolvedRoomAlias from(const Response& response);
};

struct Upload {
    std::string content_uri;
    static Upload from(const Response& response);
};

struct Versions {
    std::vector<std::string> versions;
    std::optional<Json> unstable_features;
    static Versions from(const Response& response);
};

}  // namespace matrix::responses
