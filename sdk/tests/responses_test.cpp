// Typed responses from mock-served bodies: fields, bad fields named, non-2xx as MatrixApiError.
#include "matrix/responses.hpp"

#include <gtest/gtest.h>

#include <string>

#include "matrix/api.hpp"
#include "matrix/auth.hpp"
#include "matrix/mock/homeserver.hpp"

namespace matrix::responses {
namespace {

using mock::MockHomeserver;
using mock::ResponseDefinition;

constexpr std::string_view kToken = "responses_test_token";

// Serves `body` (any bytes) with `status` for `endpoint` and sends `request` there.
class Served {
  public:
    Response answer(std::string_view endpoint, const Request& request, std::string_view body,
                    int status = 200) {
        ResponseDefinition response;
        response.status = status;
        response.body = std::string(body);
        response.json = true;
        hs.on(endpoint).respond(response);
        return client.send(request);
    }

    MockHomeserver hs;
    HttpClient client;
};

// The message of the ResponseError `f` throws, or a marker saying what happened instead.
template <typename F>
std::string response_error(F&& f) {
    try {
        f();
    } catch (const ResponseError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("<other exception: ") + e.what() + ">";
    }
    return "<nothing thrown>";
}

Request login_request(const std::string& base) {
    return api::login(base, Auth::login_user("alice", "secret"));
}

TEST(LoginResponse, ReadsUserIdAccessTokenAndDeviceIdAndIgnoresUnknownFields) {
    Served served;
    const Login login = Login::from(served.answer(
        "login", login_request(served.hs.url()),
        R"({"user_id":"@alice:example.org","access_token":"syt_abc","device_id":"DEV1",
            "home_server":"example.org","expires_in_ms":60000,"x.unknown":{"nested":[1]}})"));
    EXPECT_EQ(login.user_id, "@alice:example.org");
    EXPECT_EQ(login.access_token, "syt_abc");
    EXPECT_EQ(login.device_id, "DEV1");
    EXPECT_EQ(login.well_known, std::nullopt);
}

TEST(LoginResponse, KeepsWellKnownAsJson) {
    Served served;
    const Login login =
        Login::from(served.answer("login", login_request(served.hs.url()),
                                  R"({"user_id":"@a:x","access_token":"t","device_id":"D",
            "well_known":{"m.homeserver":{"base_url":"https://matrix.example.org"}}})"));
    ASSERT_TRUE(login.well_known.has_value());
    EXPECT_EQ(*login.well_known,
              Json::parse(R"({"m.homeserver":{"base_url":"https://matrix.example.org"}})"));
}

TEST(LoginResponse, NamesAMissingAccessToken) {
    Served served;
    const Response response = served.answer("login", login_request(served.hs.url()),
                                            R"({"user_id":"@a:x","device_id":"D"})");
    EXPECT_EQ(response_error([&] { Login::from(response); }),
              "login response: missing required field 'access_token'");
}

TEST(LoginResponse, NamesAUserIdOfTheWrongType) {
    Served served;
    const Response response = served.answer("login", login_request(served.hs.url()),
                                            R"({"user_id":42,"access_token":"t","device_id":"D"})");
    EXPECT_EQ(response_error([&] { Login::from(response); }),
              "login response: field 'user_id' must be a string, got number");
}

TEST(LoginResponse, NamesAWellKnownThatIsNotAnObject) {
    Served served;
    const Response response =
        served.answer("login", login_request(served.hs.url()),
                      R"({"user_id":"@a:x","access_token":"t","device_id":"D","well_known":[]})");
    EXPECT_EQ(response_error([&] { Login::from(response); }),
              "login response: field 'well_known' must be an object, got array");
}

TEST(LoginResponse, RefusesABodyThatIsNotAJsonObject) {
    Served served;
    const Response not_json =
        served.answer("login", login_request(served.hs.url()), "<html>oops</html>");
    EXPECT_EQ(response_error([&] { Login::from(not_json); }),
              "login response: body is not JSON: Invalid value at byte 0");
    Served array;
    const Response list = array.answer("login", login_request(array.hs.url()), "[1,2]");
    EXPECT_EQ(response_error([&] { Login::from(list); }),
              "login response: body must be a JSON object, got array");
}

TEST(LoginResponse, ThrowsMatrixApiErrorCarryingTheErrcodeForANon2xxAnswer) {
    Served served;
    served.hs.on("login").respond(ResponseDefinition::matrix_error("M_FORBIDDEN", "bad password"));
    const Response response = served.client.send(login_request(served.hs.url()));
    try {
        Login::from(response);
        FAIL() << "expected MatrixApiError";
    } catch (const MatrixApiError& e) {
        EXPECT_EQ(e.error().status, 403);
        EXPECT_EQ(e.error().errcode, "M_FORBIDDEN");
        EXPECT_EQ(e.error().error, "bad password");
        EXPECT_STREQ(e.what(), "HTTP 403 M_FORBIDDEN: bad password");
    }
}

TEST(RegisterResponse, ReadsANewSessionLikeALogin) {
    Served served;
    const Login registered = Login::from_register(served.answer(
        "register_user", api::register_user(served.hs.url(), "pw", Auth::login_dummy()),
        R"({"user_id":"@new:x","access_token":"t2","device_id":"D2"})"));
    EXPECT_EQ(registered.user_id, "@new:x");
    EXPECT_EQ(registered.access_token, "t2");
    EXPECT_EQ(registered.device_id, "D2");
}

TEST(RegisterResponse, HasNoTokensWithInhibitLogin) {
    Served served;
    const Request request = api::register_user(served.hs.url(), "pw", Auth::login_dummy(),
                                               {.username = "new", .inhibit_login = true});
    const Login registered =
        Login::from_register(served.answer("register_user", request, R"({"user_id":"@new:x"})"));
    EXPECT_EQ(registered.user_id, "@new:x");
    EXPECT_EQ(registered.access_token, "");
    EXPECT_EQ(registered.device_id, "");
}

TEST(RegisterResponse, StillRequiresTheUserId) {
    Served served;
    const Response response = served.answer("register_guest", api::register_guest(served.hs.url()),
                                            R"({"access_token":"t"})");
    EXPECT_EQ(response_error([&] { Login::from_register(response); }),
              "register response: missing required field 'user_id'");
}

TEST(RegisterResponse, ThrowsMatrixApiErrorForATakenUserName) {
    Served served;
    served.hs.on("register_user").respond(ResponseDefinition::matrix_error("M_USER_IN_USE"));
    const Response response =
        served.client.send(api::register_user(served.hs.url(), "pw", Auth::login_dummy()));
    try {
        Login::from_register(response);
        FAIL() << "expected MatrixApiError";
    } catch (const MatrixApiError& e) {
        EXPECT_EQ(e.error().errcode, "M_USER_IN_USE");
        EXPECT_EQ(e.error().status, 400);
    }
}

TEST(WhoamiResponse, ReadsUserIdAndTheOptionalDeviceIdAndGuestFlag) {
    Served served;
    const Whoami full = Whoami::from(
        served.answer("whoami", api::whoami(served.hs.url(), kToken),
                      R"({"user_id":"@a:x","device_id":"D","is_guest":false,"other":1})"));
    EXPECT_EQ(full.user_id, "@a:x");
    EXPECT_EQ(full.device_id, "D");
    EXPECT_EQ(full.is_guest, false);

    Served bare_served;
    const Whoami bare = Whoami::from(bare_served.answer(
        "whoami", api::whoami(bare_served.hs.url(), kToken), R"({"user_id":"@a:x"})"));
    EXPECT_EQ(bare.device_id, std::nullopt);
    EXPECT_EQ(bare.is_guest, std::nullopt);
}

TEST(WhoamiResponse, NamesAGuestFlagOfTheWrongType) {
    Served served;
    const Response response = served.answer("whoami", api::whoami(served.hs.url(), kToken),
                                            R"({"user_id":"@a:x","is_guest":"no"})");
    EXPECT_EQ(response_error([&] { Whoami::from(response); }),
              "whoami response: field 'is_guest' must be a boolean, got string");
}

TEST(WhoamiResponse, ThrowsMatrixApiErrorWithSoftLogoutForAnUnknownToken) {
    Served served;
    served.hs.on("whoami").respond(
        ResponseDefinition::matrix_error("M_UNKNOWN_TOKEN", "", std::nullopt, true));
    const Response response = served.client.send(api::whoami(served.hs.url(), kToken));
    try {
        Whoami::from(response);
        FAIL() << "expected MatrixApiError";
    } catch (const MatrixApiError& e) {
        EXPECT_EQ(e.error().errcode, "M_UNKNOWN_TOKEN");
        EXPECT_EQ(e.error().soft_logout, true);
    }
}

TEST(JoinedRoomsResponse, ReadsTheRoomIds) {
    Served served;
    const JoinedRooms rooms =
        JoinedRooms::from(served.answer("joined_rooms", api::joined_rooms(served.hs.url(), kToken),
                                        R"({"joined_rooms":["!a:x","!b:y"]})"));
    EXPECT_EQ(rooms.joined_rooms, (std::vector<std::string>{"!a:x", "!b:y"}));
}

TEST(JoinedRoomsResponse, NamesTheElementThatIsNotAString) {
    Served served;
    const Response response =
        served.answer("joined_rooms", api::joined_rooms(served.hs.url(), kToken),
                      R"({"joined_rooms":["!a:x",7]})");
    EXPECT_EQ(response_error([&] { JoinedRooms::from(response); }),
              "joined_rooms response: field 'joined_rooms[1]' must be a string, got number");
}

TEST(JoinedRoomsResponse, NamesAListThatIsMissingOrNotAnArray) {
    Served served;
    const Response missing =
        served.answer("joined_rooms", api::joined_rooms(served.hs.url(), kToken), "{}");
    EXPECT_EQ(response_error([&] { JoinedRooms::from(missing); }),
              "joined_rooms response: missing required field 'joined_rooms'");
    Served object_served;
    const Response object =
        object_served.answer("joined_rooms", api::joined_rooms(object_served.hs.url(), kToken),
                             R"({"joined_rooms":{"!a:x":{}}})");
    EXPECT_EQ(response_error([&] { JoinedRooms::from(object); }),
              "joined_rooms response: field 'joined_rooms' must be an array of strings, got "
              "object");
}

TEST(RoomIdResponse, ReadsTheRoomIdOfCreateRoomAndJoinRoom) {
    Served created;
    EXPECT_EQ(RoomId::from(created.answer("create_room", api::create_room(created.hs.url(), kToken),
                                          R"({"room_id":"!new:x","room_alias":"#a:x"})"))
                  .room_id,
              "!new:x");
    Served joined;
    EXPECT_EQ(
        RoomId::from(joined.answer("join_room", api::join_room(joined.hs.url(), kToken, "#lobby:x"),
                                   R"({"room_id":"!lobby:x"})"))
            .room_id,
        "!lobby:x");
}

TEST(RoomIdResponse, NamesAMissingRoomId) {
    Served served;
    const Response response =
        served.answer("create_room", api::create_room(served.hs.url(), kToken), R"({"id":"!r"})");
    EXPECT_EQ(response_error([&] { RoomId::from(response); }),
              "room response: missing required field 'room_id'");
}

TEST(EventIdResponse, ReadsTheEventIdOfASend) {
    Served served;
    const Request request = api::send_room_event(
        served.hs.url(), kToken, RoomEvent::message("!r:x", MessageType::text, "hi", "t1"));
    EXPECT_EQ(
        EventId::from(served.answer("send_room_event", request, R"({"event_id":"$ev1"})")).event_id,
        "$ev1");
}

TEST(EventIdResponse, ReadsTheEventIdOfAStateEventAndARedaction) {
    Served state;
    EXPECT_EQ(EventId::from(state.answer("send_state_event",
                                         api::send_state_event(
                                             state.hs.url(), kToken,
                                             StateEvent{"!r:x", "m.room.member", "@a:x",
                                                        Json::parse(R"({"membership":"join"})")}),
                                         R"({"event_id":"$state"})"))
                  .event_id,
              "$state");
    Served redaction;
    EXPECT_EQ(EventId::from(redaction.answer("redact_room_event",
                                             api::redact_room_event(redaction.hs.url(), kToken,
                                                                    "!r:x", "$e", "txn"),
                                             R"({"event_id":"$redaction"})"))
                  .event_id,
              "$redaction");
}

TEST(EventIdResponse, NamesAnEventIdOfTheWrongType) {
    Served served;
    const Request request = api::send_room_event(
        served.hs.url(), kToken, RoomEvent::message("!r:x", MessageType::text, "hi", "t1"));
    const Response response = served.answer("send_room_event", request, R"({"event_id":null})");
    EXPECT_EQ(response_error([&] { EventId::from(response); }),
              "event response: field 'event_id' must be a string, got null");
}

TEST(ResolvedRoomAliasResponse, ReadsTheRoomIdAndServers) {
    Served served;
    const ResolvedRoomAlias resolved = ResolvedRoomAlias::from(
        served.answer("resolve_room_alias", api::resolve_room_alias(served.hs.url(), "#a:x"),
                      R"({"room_id":"!r:x","servers":["x","y"]})"));
    EXPECT_EQ(resolved.room_id, "!r:x");
    EXPECT_EQ(resolved.servers, (std::vector<std::string>{"x", "y"}));
}

TEST(ResolvedRoomAliasResponse, ThrowsMatrixApiErrorForAnUnknownAlias) {
    Served served;
    served.hs.on("resolve_room_alias").respond(ResponseDefinition::matrix_error("M_NOT_FOUND"));
    const Response response = served.client.send(api::resolve_room_alias(served.hs.url(), "#a:x"));
    try {
        ResolvedRoomAlias::from(response);
        FAIL() << "expected MatrixApiError";
    } catch (const MatrixApiError& e) {
        EXPECT_EQ(e.error().errcode, "M_NOT_FOUND");
        EXPECT_EQ(e.error().status, 404);
    }
}

TEST(UploadResponse, ReadsTheContentUri) {
    Served served;
    EXPECT_EQ(Upload::from(served.answer("upload", api::upload(served.hs.url(), kToken, "bytes"),
                                         R"({"content_uri":"mxc://x/abc"})"))
                  .content_uri,
              "mxc://x/abc");
}

TEST(UploadResponse, ThrowsMatrixApiErrorForATooLargeUpload) {
    Served served;
    served.hs.on("upload").respond(ResponseDefinition::matrix_error("M_TOO_LARGE"));
    const Response response = served.client.send(api::upload(served.hs.url(), kToken, "bytes"));
    try {
        Upload::from(response);
        FAIL() << "expected MatrixApiError";
    } catch (const MatrixApiError& e) {
        EXPECT_EQ(e.error().errcode, "M_TOO_LARGE");
        EXPECT_EQ(e.error().status, 413);
    }
}

TEST(VersionsResponse, ReadsVersionsAndUnstableFeatures) {
    Served served;
    const Versions versions = Versions::from(served.answer(
        "spec_versions", api::spec_versions(served.hs.url()),
        R"({"versions":["r0.6.1","v1.1"],"unstable_features":{"org.example.x":true}})"));
    EXPECT_EQ(versions.versions, (std::vector<std::string>{"r0.6.1", "v1.1"}));
    ASSERT_TRUE(versions.unstable_features.has_value());
    EXPECT_EQ(*versions.unstable_features, Json::parse(R"({"org.example.x":true})"));
}

TEST(VersionsResponse, NamesMissingVersions) {
    Served served;
    const Response response = served.answer("spec_versions", api::spec_versions(served.hs.url()),
                                            R"({"unstable_features":{}})");
    EXPECT_EQ(response_error([&] { Versions::from(response); }),
              "versions response: missing required field 'versions'");
}

TEST(TypedResponses, ThrowMatrixApiErrorWithMUnknownForANonMatrixServerError) {
    Served served;
    ResponseDefinition crash;
    crash.status = 502;
    crash.body = "Bad Gateway";
    served.hs.on("whoami").respond(crash);
    const Response response = served.client.send(api::whoami(served.hs.url(), kToken));
    try {
        Whoami::from(response);
        FAIL() << "expected MatrixApiError";
    } catch (const MatrixApiError& e) {
        EXPECT_EQ(e.error().status, 502);
        EXPECT_EQ(e.error().errcode, "M_UNKNOWN");
        EXPECT_EQ(e.error().error, "Bad Gateway");
    }
}

}  // namespace
}  // namespace matrix::responses
