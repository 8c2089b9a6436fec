// What the simulation tests share: a request with an optional access token, reading the JSON
// that comes back, and making a user or a room.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"

namespace matrix::mock::testing {

inline rapidjson::Document parse(const std::string& body) {
    rapidjson::Document document;
    document.Parse(body.c_str());
    EXPECT_FALSE(document.HasParseError()) << body;
    return document;
}

// The string member `key`, or "" when there is none.
inline std::string str(const rapidjson::Value& object, const char* key) {
    if (!object.IsObject() || !object.HasMember(key) || !object[key].IsString()) return {};
    return object[key].GetString();
}

// The path prefixes the simulation's tests address.
inline const std::string kV3 = "/_matrix/client/v3";
inline const std::string kV1 = "/_matrix/client/v1";

// A mock homeserver with the simulation on (it is off in-process unless asked).
inline MockHomeserverOptions simulated() {
    MockHomeserverOptions options;
    options.simulation = true;
    return options;
}

// One request on a fresh connection, with `token` as a Bearer token when given.
inline RawResponse call(int port, const std::string& method, const std::string& target,
                        const std::string& token = {}, const std::string& body = {}) {
    const std::string auth = token.empty() ? "" : "Authorization: Bearer " + token + "\r\n";
    return send_raw(port, http_request(method, target, body, auth), 30);
}

// The errcode of a Matrix error answer; "" when there is none (also when the body is no JSON:
// a redirect, a download).
inline std::string errcode(const RawResponse& response) {
    rapidjson::Document document;
    document.Parse(response.body.c_str());
    return document.HasParseError() ? std::string() : str(document, "errcode");
}

struct Account {
    std::string user_id;
    std::string token;
};

// A user made through the admin route, with the token it was logged in with.
inline Account add_user(const MockHomeserver& hs, const std::string& name) {
    const RawResponse r = call(hs.port(), "POST", "/__admin/sim/users", {},
                               R"({"username":")" + name + R"(","password":"pw"})");
    EXPECT_EQ(r.status, 200) << r.body;
    const auto json = parse(r.body);
    return {str(json, "user_id"), str(json, "access_token")};
}

// A room `who` creates with this createRoom body; its id.
inline std::string create_room(const MockHomeserver& hs, const Account& who,
                               const std::string& body = "{}") {
    const RawResponse r = call(hs.port(), "POST", "/_matrix/client/v3/createRoom", who.token, body);
    EXPECT_EQ(r.status, 200) << r.body;
    return str(parse(r.body), "room_id");
}

// The room id as matrix-js-sdk puts it in a path: '!' as is, ':' as %3A.
inline std::string path_id(std::string id) {
    const std::size_t colon = id.find(':');
    return id.replace(colon, 1, "%3A");
}

// An event of `type` with this content JSON; its id.
inline std::string send_event(const MockHomeserver& hs, const Account& who, const std::string& room,
                              const std::string& type, const std::string& txn,
                              const std::string& content) {
    const RawResponse r =
        call(hs.port(), "PUT", kV3 + "/rooms/" + path_id(room) + "/send/" + type + "/" + txn,
             who.token, content);
    EXPECT_EQ(r.status, 200) << r.body;
    return str(parse(r.body), "event_id");
}

// Joins `who` to the room (the test stops unless that succeeds).
inline void join(const MockHomeserver& hs, const Account& who, const std::string& room) {
    const RawResponse r = call(hs.port(), "POST", kV3 + "/join/" + path_id(room), who.token, "{}");
    ASSERT_EQ(r.status, 200) << r.body;
}

inline std::string send_text(const MockHomeserver& hs, const Account& who, const std::string& room,
                             const std::string& txn, const std::string& text = "hello") {
    const RawResponse r =
        call(hs.port(), "PUT",
             "/_matrix/client/v3/rooms/" + path_id(room) + "/send/m.room.message/" + txn, who.token,
             R"({"msgtype":"m.text","body":")" + text + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    return str(parse(r.body), "event_id");
}

inline RawResponse sync(const MockHomeserver& hs, const Account& who, const std::string& query) {
    return call(hs.port(), "GET", "/_matrix/client/v3/sync?" + query, who.token);
}

// The event ids in rooms.join[room].timeline.events.
inline std::vector<std::string> timeline_ids(const std::string& body, const std::string& room) {
    const auto json = parse(body);
    std::vector<std::string> ids;
    if (!json.HasMember("rooms") || !json["rooms"]["join"].HasMember(room.c_str())) return ids;
    for (const auto& event : json["rooms"]["join"][room.c_str()]["timeline"]["events"].GetArray()) {
        ids.push_back(str(event, "event_id"));
    }
    return ids;
}

}  // namespace matrix::mock::testing
