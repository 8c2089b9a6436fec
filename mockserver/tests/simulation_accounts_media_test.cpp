// The simulation's account extras and media extras: whois and the admin-only account controls,
// refresh and login tokens, device names and last sightings, profile fields, mutual rooms, SSO,
// created media, URL previews, and the legacy (deprecated) event operations.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "matrix/mock/homeserver.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

TEST(SimulationServerAdmin, WhoisListsTheCallersDevicesAndRefusesOthers) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const RawResponse self =
        call(hs.port(), "GET", "/_matrix/client/v3/admin/whois/%40alice%3Alocalhost", alice.token);
    ASSERT_EQ(self.status, 200) << self.body;
    const auto json = parse(self.body);
    EXPECT_EQ(str(json, "user_id"), alice.user_id);
    ASSERT_TRUE(json["devices"].IsObject()) << self.body;
    ASSERT_EQ(json["devices"].MemberCount(), 1u) << self.body;
    const auto& sessions = json["devices"].MemberBegin()->value["sessions"];
    ASSERT_EQ(sessions.Size(), 1u) << self.body;
    ASSERT_EQ(sessions[0]["connections"].Size(), 1u) << self.body;  // this very request
    EXPECT_EQ(str(sessions[0]["connections"][0], "ip"), "127.0.0.1") << self.body;

    const RawResponse other =
        call(hs.port(), "GET", "/_matrix/client/v3/admin/whois/%40bob%3Alocalhost", alice.token);
    EXPECT_EQ(other.status, 403) << other.body;
    EXPECT_EQ(errcode(other), "M_FORBIDDEN");
}

TEST(SimulationServerAdmin, LockAndSuspendAreForbiddenToEveryoneForThereIsNoAdmin) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    add_user(hs, "bob");
    for (const char* kind : {"lock", "suspend"}) {
        const std::string path =
            std::string("/_matrix/client/v1/admin/") + kind + "/%40bob%3Alocalhost";
        const RawResponse get = call(hs.port(), "GET", path, alice.token);
        EXPECT_EQ(get.status, 403) << kind << get.body;
        EXPECT_EQ(errcode(get), "M_FORBIDDEN") << get.body;
        const RawResponse put =
            call(hs.port(), "PUT", path, alice.token,
                 std::string(R"({")") + (std::string(kind) == "lock" ? "locked" : "suspended") +
                     R"(":true})");
        EXPECT_EQ(put.status, 403) << kind << put.body;
        EXPECT_EQ(errcode(put), "M_FORBIDDEN") << put.body;
        EXPECT_EQ(call(hs.port(), "GET", path).status, 401);
    }
}

RawResponse login(const MockHomeserver& hs, const std::string& body) {
    return call(hs.port(), "POST", "/_matrix/client/v3/login", {}, body);
}

RawResponse whoami(const MockHomeserver& hs, const std::string& token) {
    return call(hs.port(), "GET", "/_matrix/client/v3/account/whoami", token);
}

TEST(SimulationTokens, ARefreshTokenRenewsTheAccessTokenOnceAndOnlyOnce) {
    MockHomeserver hs(simulated());
    add_user(hs, "alice");
    const RawResponse first = login(
        hs, R"({"type":"m.login.password","user":"alice","password":"pw","refresh_token":true})");
    ASSERT_EQ(first.status, 200) << first.body;
    const auto session = parse(first.body);
    const std::string refresh_token = str(session, "refresh_token");
    ASSERT_FALSE(refresh_token.empty()) << first.body;
    EXPECT_GT(session["expires_in_ms"].GetInt64(), 0);

    const std::string refresh_body = R"({"refresh_token":")" + refresh_token + R"("})";
    const RawResponse renewed =
        call(hs.port(), "POST", "/_matrix/client/v3/refresh", {}, refresh_body);
    ASSERT_EQ(renewed.status, 200) << renewed.body;
    const auto fresh = parse(renewed.body);
    EXPECT_NE(str(fresh, "refresh_token"), refresh_token);
    EXPECT_GT(fresh["expires_in_ms"].GetInt64(), 0);
    const RawResponse me = whoami(hs, str(fresh, "access_token"));
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(str(parse(me.body), "device_id"), str(session, "device_id"));  // the same device
    EXPECT_EQ(whoami(hs, str(session, "access_token")).status, 401);         // replaced

    const RawResponse reused =
        call(hs.port(), "POST", "/_matrix/client/v3/refresh", {}, refresh_body);
    EXPECT_EQ(reused.status, 401) << reused.body;
    EXPECT_EQ(errcode(reused), "M_UNKNOWN_TOKEN");
    const RawResponse unknown =
        call(hs.port(), "POST", "/_matrix/client/v3/refresh", {}, R"({"refresh_token":"nope"})");
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(errcode(unknown), "M_UNKNOWN_TOKEN");

    // Logging out forgets the device's refresh token too.
    ASSERT_EQ(
        call(hs.port(), "POST", "/_matrix/client/v3/logout", str(fresh, "access_token")).status,
        200);
    EXPECT_EQ(call(hs.port(), "POST", "/_matrix/client/v3/refresh", {},
                   R"({"refresh_token":")" + str(fresh, "refresh_token") + R"("})")
                  .status,
              401);
}

TEST(SimulationTokens, RegisterGivesARefreshTokenOnlyWhenAsked) {
    MockHomeserver hs(simulated());
    const std::string auth = R"("auth":{"type":"m.login.dummy"})";
    const RawResponse asked =
        call(hs.port(), "POST", "/_matrix/client/v3/register", {},
             R"({"username":"carol","password":"pw","refresh_token":true,)" + auth + "}");
    ASSERT_EQ(asked.status, 200) << asked.body;
    EXPECT_FALSE(str(parse(asked.body), "refresh_token").empty()) << asked.body;
    const RawResponse plain = call(hs.port(), "POST", "/_matrix/client/v3/register", {},
                                   R"({"username":"dave","password":"pw",)" + auth + "}");
    ASSERT_EQ(plain.status, 200) << plain.body;
    EXPECT_FALSE(parse(plain.body).HasMember("refresh_token")) << plain.body;
}

// GET /devices/{id} as `token` sees it; its JSON object.
rapidjson::Document device(const MockHomeserver& hs, const std::string& token,
                           const std::string& device_id) {
    const RawResponse r = call(hs.port(), "GET", kV3 + "/devices/" + device_id, token);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
}

std::int64_t last_seen_ts(const rapidjson::Value& device) {
    return device.HasMember("last_seen_ts") && device["last_seen_ts"].IsInt64()
               ? device["last_seen_ts"].GetInt64()
               : 0;
}

TEST(SimulationDevices, LoginNamesANewDeviceAndItsListingShowsWhereItWasSeen) {
    MockHomeserver hs(simulated());
    add_user(hs, "alice");
    const RawResponse first =
        login(hs, R"({"type":"m.login.password","user":"alice","password":"pw",)"
                  R"("device_id":"LAPTOP","initial_device_display_name":"Alice's laptop"})");
    ASSERT_EQ(first.status, 200) << first.body;
    const std::string token = str(parse(first.body), "access_token");

    const auto one = device(hs, token, "LAPTOP");
    EXPECT_EQ(str(one, "display_name"), "Alice's laptop");
    EXPECT_EQ(str(one, "last_seen_ip"), "127.0.0.1");
    EXPECT_GT(last_seen_ts(one), 0);
    const RawResponse list = call(hs.port(), "GET", kV3 + "/devices", token);
    ASSERT_EQ(list.status, 200) << list.body;
    const auto listing = parse(list.body);  // kept: the array below lives in it
    bool listed = false;
    for (const auto& entry : listing["devices"].GetArray()) {
        if (str(entry, "device_id") != "LAPTOP") continue;
        listed = true;
        EXPECT_EQ(str(entry, "display_name"), "Alice's laptop") << list.body;
        EXPECT_EQ(str(entry, "last_seen_ip"), "127.0.0.1") << list.body;
        EXPECT_GE(last_seen_ts(entry), last_seen_ts(one)) << list.body;
    }
    EXPECT_TRUE(listed) << list.body;

    // The spec ignores the name for a device the user already has.
    const RawResponse again =
        login(hs, R"({"type":"m.login.password","user":"alice","password":"pw",)"
                  R"("device_id":"LAPTOP","initial_device_display_name":"Another name"})");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(str(device(hs, str(parse(again.body), "access_token"), "LAPTOP"), "display_name"),
              "Alice's laptop");
}

TEST(SimulationDevices, RegisterNamesTheDeviceItLogsIn) {
    MockHomeserver hs(simulated());
    const RawResponse registered =
        call(hs.port(), "POST", kV3 + "/register", {},
             R"({"username":"carol","password":"pw","auth":{"type":"m.login.dummy"},)"
             R"("initial_device_display_name":"Carol's phone"})");
    ASSERT_EQ(registered.status, 200) << registered.body;
    const auto session = parse(registered.body);
    const auto mine = device(hs, str(session, "access_token"), str(session, "device_id"));
    EXPECT_EQ(str(mine, "display_name"), "Carol's phone");
    EXPECT_EQ(str(mine, "last_seen_ip"), "127.0.0.1");
}

TEST(SimulationDevices, PutRenamesAndLogoutForgetsTheName) {
    MockHomeserver hs(simulated());
    add_user(hs, "alice");
    const std::string named = R"({"type":"m.login.password","user":"alice","password":"pw",)"
                              R"("device_id":"DESK","initial_device_display_name":"Desk"})";
    const std::string token = str(parse(login(hs, named).body), "access_token");
    const RawResponse renamed =
        call(hs.port(), "PUT", kV3 + "/devices/DESK", token, R"({"display_name":"Standing desk"})");
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    EXPECT_EQ(str(device(hs, token, "DESK"), "display_name"), "Standing desk");
    const RawResponse bad =
        call(hs.port(), "PUT", kV3 + "/devices/DESK", token, R"({"display_name":)");
    EXPECT_EQ(bad.status, 400) << bad.body;

    // Logout deletes the device: logging in on the same id again makes a new one, named anew.
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/logout", token, "{}").status, 200);
    const std::string relogged =
        str(parse(login(hs, R"({"type":"m.login.password","user":"alice","password":"pw",)"
                            R"("device_id":"DESK","initial_device_display_name":"New desk"})")
                      .body),
            "access_token");
    EXPECT_EQ(str(device(hs, relogged, "DESK"), "display_name"), "New desk");
}

TEST(SimulationDevices, LastSeenTsAdvancesWithEachRequestOfThatDeviceOnly) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const RawResponse other = login(
        hs, R"({"type":"m.login.password","user":"alice","password":"pw","device_id":"OTHER"})");
    ASSERT_EQ(other.status, 200) << other.body;
    const std::string me = str(parse(whoami(hs, alice.token).body), "device_id");

    const std::int64_t before = last_seen_ts(device(hs, alice.token, me));
    const std::int64_t other_before = last_seen_ts(device(hs, alice.token, "OTHER"));
    ASSERT_GT(before, 0);
    ASSERT_GT(other_before, 0);  // seen at its login
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(whoami(hs, alice.token).status, 200);
    const std::int64_t after = last_seen_ts(device(hs, alice.token, me));
    EXPECT_GE(after, before + 5);
    EXPECT_EQ(last_seen_ts(device(hs, alice.token, "OTHER")), other_before);

    // A refreshed token is the same device: its last sighting carries over, then moves on.
    const RawResponse refreshable =
        login(hs, R"({"type":"m.login.password","user":"alice","password":"pw",)"
                  R"("device_id":"OTHER","refresh_token":true})");
    ASSERT_EQ(refreshable.status, 200) << refreshable.body;
    const std::int64_t relogged = last_seen_ts(device(hs, alice.token, "OTHER"));
    EXPECT_GE(relogged, other_before);
    const RawResponse renewed =
        call(hs.port(), "POST", kV3 + "/refresh", {},
             R"({"refresh_token":")" + str(parse(refreshable.body), "refresh_token") + R"("})");
    ASSERT_EQ(renewed.status, 200) << renewed.body;
    EXPECT_EQ(last_seen_ts(device(hs, alice.token, "OTHER")), relogged);
}

TEST(SimulationTokens, ALoginTokenAfterThePasswordLogsInOnce) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const RawResponse flows = call(hs.port(), "GET", "/_matrix/client/v3/login");
    EXPECT_NE(flows.body.find(R"("type":"m.login.token","get_login_token":true)"),
              std::string::npos)
        << flows.body;

    const std::string get_token = "/_matrix/client/v1/login/get_token";
    const RawResponse challenge = call(hs.port(), "POST", get_token, alice.token, "{}");
    ASSERT_EQ(challenge.status, 401) << challenge.body;
    const std::string session = str(parse(challenge.body), "session");
    const RawResponse wrong = call(
        hs.port(), "POST", get_token, alice.token,
        R"({"auth":{"type":"m.login.password","password":"bad","session":")" + session + R"("}})");
    EXPECT_EQ(wrong.status, 401) << wrong.body;
    const RawResponse issued = call(
        hs.port(), "POST", get_token, alice.token,
        R"({"auth":{"type":"m.login.password","password":"pw","session":")" + session + R"("}})");
    ASSERT_EQ(issued.status, 200) << issued.body;
    const std::string token = str(parse(issued.body), "login_token");
    ASSERT_FALSE(token.empty());

    const std::string body = R"({"type":"m.login.token","token":")" + token + R"("})";
    const RawResponse in = login(hs, body);
    ASSERT_EQ(in.status, 200) << in.body;
    EXPECT_EQ(str(parse(in.body), "user_id"), alice.user_id);
    const RawResponse again = login(hs, body);
    EXPECT_EQ(again.status, 403) << again.body;
    EXPECT_EQ(errcode(again), "M_FORBIDDEN");
}

TEST(SimulationTokens, NoRegistrationTokenIsValid) {
    MockHomeserver hs(simulated());
    const RawResponse answer =
        call(hs.port(), "GET",
             "/_matrix/client/v1/register/m.login.registration_token/validity?token=abc");
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.body, R"({"valid":false})");
}

TEST(SimulationProfile, DeletingAFieldClearsItOnOnesOwnProfileOnly) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string mine = kV3 + "/profile/%40alice%3Alocalhost/displayname";
    ASSERT_EQ(call(hs.port(), "PUT", mine, alice.token, R"({"displayname":"Alice"})").status, 200);
    const RawResponse deleted = call(hs.port(), "DELETE", mine, alice.token);
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    EXPECT_EQ(deleted.body, "{}");
    EXPECT_EQ(call(hs.port(), "GET", mine).body, "{}");
    // A field the simulation never keeps is already absent: the spec's 200 as well.
    EXPECT_EQ(
        call(hs.port(), "DELETE", kV3 + "/profile/%40alice%3Alocalhost/m.tz", alice.token).status,
        200);
    const RawResponse others =
        call(hs.port(), "DELETE", kV3 + "/profile/%40bob%3Alocalhost/displayname", alice.token);
    EXPECT_EQ(others.status, 403) << others.body;
    EXPECT_EQ(errcode(others), "M_FORBIDDEN");
    EXPECT_NE(call(hs.port(), "GET", kV3 + "/profile/%40bob%3Alocalhost").body, "{}");
    (void)bob;
}

TEST(SimulationProfile, MutualRoomsAreTheRoomsBothUsersAreJoinedTo) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string shared = create_room(hs, alice, R"({"preset":"public_chat"})");
    create_room(hs, alice, R"({"preset":"public_chat"})");  // alice's alone
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(shared), bob.token, "{}").status,
              200);
    const std::string base = "/_matrix/client/v1/mutual_rooms?user_id=";
    const RawResponse mutual = call(hs.port(), "GET", base + "%40bob%3Alocalhost", alice.token);
    ASSERT_EQ(mutual.status, 200) << mutual.body;
    EXPECT_EQ(mutual.body, R"({"joined":[")" + shared + R"("],"count":1})");

    const RawResponse stranger =
        call(hs.port(), "GET", base + "%40nobody%3Alocalhost", alice.token);
    EXPECT_EQ(stranger.body, R"({"joined":[],"count":0})");
    const RawResponse self = call(hs.port(), "GET", base + "%40alice%3Alocalhost", alice.token);
    EXPECT_EQ(self.status, 400);
    EXPECT_EQ(errcode(self), "M_INVALID_PARAM");
    EXPECT_EQ(call(hs.port(), "GET", base + "%40bob%3Alocalhost").status, 401);
}

TEST(SimulationLogin, TheSimulatedIdentityProviderRedirectsBackWithALoginToken) {
    MockHomeserver hs(simulated());
    const RawResponse flows = call(hs.port(), "GET", kV3 + "/login");
    EXPECT_NE(flows.body.find(R"("type":"m.login.sso")"), std::string::npos) << flows.body;

    for (const std::string path : {"/login/sso/redirect", "/login/sso/redirect/sim"}) {
        const RawResponse redirect =
            call(hs.port(), "GET", kV3 + path + "?redirectUrl=http%3A%2F%2Fclient%2Fdone%3Fa%3D1");
        ASSERT_EQ(redirect.status, 302) << path << redirect.body;
        const std::string location = redirect.header("Location");
        const std::string prefix = "http://client/done?a=1&loginToken=";
        ASSERT_EQ(location.rfind(prefix, 0), 0u) << location;
        const std::string token = location.substr(prefix.size());
        const RawResponse in = login(hs, R"({"type":"m.login.token","token":")" + token + R"("})");
        ASSERT_EQ(in.status, 200) << in.body;
        EXPECT_EQ(str(parse(in.body), "user_id"), "@sso_user:localhost");
    }
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/login/sso/redirect/github?redirectUrl=x").status, 404);
}

TEST(SimulationLogin, AuthMetadataSaysThereIsNoOAuthServer) {
    MockHomeserver hs(simulated());
    const RawResponse answer = call(hs.port(), "GET", "/_matrix/client/v1/auth_metadata");
    EXPECT_EQ(answer.status, 404);
    EXPECT_EQ(errcode(answer), "M_UNRECOGNIZED");
    EXPECT_NE(answer.body.find("no OAuth 2.0"), std::string::npos) << answer.body;
}

TEST(SimulationMedia, ACreatedIdIsFilledOnceByItsCreator) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const RawResponse created = call(hs.port(), "POST", "/_matrix/media/v1/create", alice.token);
    ASSERT_EQ(created.status, 200) << created.body;
    const auto json = parse(created.body);
    const std::string uri = str(json, "content_uri");
    ASSERT_EQ(uri.rfind("mxc://localhost/", 0), 0u) << created.body;
    EXPECT_GT(json["unused_expires_at"].GetInt64(), 0);
    const std::string id = uri.substr(uri.rfind('/') + 1);
    const std::string download = "/_matrix/client/v1/media/download/localhost/" + id;
    const RawResponse early = call(hs.port(), "GET", download, alice.token);
    EXPECT_EQ(early.status, 504) << early.body;
    EXPECT_EQ(errcode(early), "M_NOT_YET_UPLOADED");

    const std::string upload = "/_matrix/media/v3/upload/localhost/" + id + "?filename=a.txt";
    const RawResponse stranger = call(hs.port(), "PUT", upload, bob.token, "bob's");
    EXPECT_EQ(stranger.status, 403) << stranger.body;
    EXPECT_EQ(errcode(stranger), "M_FORBIDDEN");
    const RawResponse first = call(hs.port(), "PUT", upload, alice.token, "hello");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.body, "{}");
    const RawResponse fetched = call(hs.port(), "GET", download, bob.token);
    EXPECT_EQ(fetched.status, 200);
    EXPECT_EQ(fetched.body, "hello");
    const RawResponse again = call(hs.port(), "PUT", upload, alice.token, "again");
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_EQ(errcode(again), "M_CANNOT_OVERWRITE_MEDIA");

    const RawResponse unknown =
        call(hs.port(), "PUT", "/_matrix/media/v3/upload/localhost/neverCreated", alice.token, "x");
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    EXPECT_EQ(errcode(unknown), "M_NOT_FOUND");
}

TEST(SimulationMedia, AUrlPreviewNamesTheUrlWithoutFetchingIt) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    for (const std::string path :
         {"/_matrix/media/v3/preview_url", "/_matrix/client/v1/media/preview_url"}) {
        const RawResponse preview =
            call(hs.port(), "GET", path + "?url=https%3A%2F%2Fmatrix.org%2Fblog", alice.token);
        ASSERT_EQ(preview.status, 200) << path << preview.body;
        EXPECT_EQ(preview.body, R"({"og:title":"https://matrix.org/blog"})");
        EXPECT_EQ(call(hs.port(), "GET", path, alice.token).status, 400);
        EXPECT_EQ(call(hs.port(), "GET", path + "?url=x").status, 401);
    }
}

TEST(SimulationLegacy, TheEventStreamCarriesWhatHappenedSinceItsToken) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const RawResponse now = call(hs.port(), "GET", kV3 + "/events?timeout=0", alice.token);
    ASSERT_EQ(now.status, 200) << now.body;
    const auto empty = parse(now.body);
    EXPECT_EQ(empty["chunk"].Size(), 0u);
    const std::string end = str(empty, "end");
    const std::string event_id = send_text(hs, alice, room, "t1");
    const RawResponse later = call(hs.port(), "GET", kV3 + "/events?from=" + end, alice.token);
    ASSERT_EQ(later.status, 200) << later.body;
    const auto json = parse(later.body);
    ASSERT_EQ(json["chunk"].Size(), 1u) << later.body;
    EXPECT_EQ(str(json["chunk"][0], "event_id"), event_id);
    EXPECT_EQ(str(json, "start"), end);
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/events?from=bogus", alice.token).status, 400);

    // Peeking: the one room, for a member; a stranger may not peek into a private room.
    const Account bob = add_user(hs, "bob");
    const std::string peek = kV3 + "/events?from=" + end + "&room_id=" + path_id(room);
    const RawResponse peeked = call(hs.port(), "GET", peek, alice.token);
    EXPECT_EQ(parse(peeked.body)["chunk"].Size(), 1u) << peeked.body;
    EXPECT_EQ(call(hs.port(), "GET", peek, bob.token).status, 403);
}

TEST(SimulationLegacy, InitialSyncAndOneEventShowTheCallersRooms) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice, R"({"name":"Old"})");
    const std::string event_id = send_text(hs, alice, room, "t1", "first");

    const RawResponse all = call(hs.port(), "GET", kV3 + "/initialSync?limit=1", alice.token);
    ASSERT_EQ(all.status, 200) << all.body;
    const auto json = parse(all.body);
    ASSERT_EQ(json["rooms"].Size(), 1u) << all.body;
    const auto& entry = json["rooms"][0];
    EXPECT_EQ(str(entry, "room_id"), room);
    EXPECT_EQ(str(entry, "membership"), "join");
    ASSERT_EQ(entry["messages"]["chunk"].Size(), 1u);
    EXPECT_EQ(str(entry["messages"]["chunk"][0], "event_id"), event_id);
    EXPECT_GT(entry["state"].Size(), 3u);
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/initialSync", bob.token).body.find(room),
              std::string::npos);

    const RawResponse one =
        call(hs.port(), "GET", kV3 + "/rooms/" + path_id(room) + "/initialSync", alice.token);
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(str(parse(one.body), "visibility"), "private");
    EXPECT_EQ(
        call(hs.port(), "GET", kV3 + "/rooms/" + path_id(room) + "/initialSync", bob.token).status,
        403);

    const std::string event_path = kV3 + "/events/" + path_id(event_id);
    const RawResponse event = call(hs.port(), "GET", event_path, alice.token);
    ASSERT_EQ(event.status, 200) << event.body;
    EXPECT_EQ(str(parse(event.body), "event_id"), event_id);
    EXPECT_EQ(call(hs.port(), "GET", event_path, bob.token).status, 404);
}

TEST(SimulationLegacy, ApplicationServiceOperationsRefuseAUsersToken) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const RawResponse ping =
        call(hs.port(), "POST", "/_matrix/client/v1/appservice/irc/ping", alice.token, "{}");
    EXPECT_EQ(ping.status, 403) << ping.body;
    EXPECT_EQ(errcode(ping), "M_FORBIDDEN");
    const RawResponse list =
        call(hs.port(), "PUT", kV3 + "/directory/list/appservice/irc/" + path_id(room), alice.token,
             R"({"visibility":"public"})");
    EXPECT_EQ(list.status, 403) << list.body;
    EXPECT_EQ(errcode(list), "M_FORBIDDEN");
}

}  // namespace
}  // namespace matrix::mock
