// The simulation's discovery operations (/.well-known, TURN, third-party lookup, OpenID) and
// its 3PIDs, from requestToken through the admin stand-in for the email's link to add3PID.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "matrix/mock/homeserver.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

std::int64_t state_bytes(const MockHomeserver& hs) {
    return parse(call(hs.port(), "GET", "/__admin/sim/state").body)["state_bytes"].GetInt64();
}

TEST(SimulationDiscovery, WellKnownClientNamesTheHostTheClientReachedAndTheOthersAreAbsent) {
    MockHomeserver hs(simulated());
    const RawResponse client = call(hs.port(), "GET", "/.well-known/matrix/client");
    ASSERT_EQ(client.status, 200) << client.body;
    const auto json = parse(client.body);
    ASSERT_TRUE(json.HasMember("m.homeserver")) << client.body;
    EXPECT_EQ(str(json["m.homeserver"], "base_url"), "http://127.0.0.1");  // the Host header

    for (const char* document : {"support", "policy_server"}) {
        const RawResponse absent =
            call(hs.port(), "GET", std::string("/.well-known/matrix/") + document);
        EXPECT_EQ(absent.status, 404) << document;
        EXPECT_EQ(errcode(absent), "M_NOT_FOUND") << absent.body;
    }
}

TEST(SimulationDiscovery, TurnServerGivesCredentialsToAUserWithAToken) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const RawResponse turn =
        call(hs.port(), "GET", "/_matrix/client/v3/voip/turnServer", alice.token);
    ASSERT_EQ(turn.status, 200) << turn.body;
    const auto json = parse(turn.body);
    EXPECT_NE(str(json, "username").find(":@alice:localhost"), std::string::npos) << turn.body;
    EXPECT_FALSE(str(json, "password").empty());
    ASSERT_TRUE(json["uris"].IsArray());
    ASSERT_GT(json["uris"].Size(), 0u);
    EXPECT_STREQ(json["uris"][0].GetString(), "turn:turn.localhost:3478?transport=udp");
    EXPECT_TRUE(json["ttl"].IsInt64());

    const RawResponse anonymous = call(hs.port(), "GET", "/_matrix/client/v3/voip/turnServer");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(errcode(anonymous), "M_MISSING_TOKEN");
}

TEST(SimulationDiscovery, ThirdPartyLookupKnowsNoProtocolAndFindsNothing) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string base = "/_matrix/client/v3/thirdparty/";
    const RawResponse protocols = call(hs.port(), "GET", base + "protocols", alice.token);
    EXPECT_EQ(protocols.status, 200);
    EXPECT_EQ(protocols.body, "{}");
    for (const char* path : {"protocol/irc", "location/irc", "user/irc"}) {
        const RawResponse unknown = call(hs.port(), "GET", base + path, alice.token);
        EXPECT_EQ(unknown.status, 404) << path;
        EXPECT_EQ(errcode(unknown), "M_NOT_FOUND") << path;
    }
    const RawResponse locations =
        call(hs.port(), "GET", base + "location?alias=%23a%3Alocalhost", alice.token);
    EXPECT_EQ(locations.status, 200);
    EXPECT_EQ(locations.body, "[]");
    const RawResponse users =
        call(hs.port(), "GET", base + "user?userid=%40bob%3Alocalhost", alice.token);
    EXPECT_EQ(users.status, 200);
    EXPECT_EQ(users.body, "[]");

    const RawResponse anonymous = call(hs.port(), "GET", base + "protocols");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(errcode(anonymous), "M_MISSING_TOKEN");
}

TEST(SimulationDiscovery, OpenIdTokenIsForTheTokensOwnUserOnly) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string own = "/_matrix/client/v3/user/%40alice%3Alocalhost/openid/request_token";
    const RawResponse granted = call(hs.port(), "POST", own, alice.token, "{}");
    ASSERT_EQ(granted.status, 200) << granted.body;
    const auto json = parse(granted.body);
    EXPECT_FALSE(str(json, "access_token").empty());
    EXPECT_EQ(str(json, "token_type"), "Bearer");
    EXPECT_EQ(str(json, "matrix_server_name"), "localhost");
    EXPECT_EQ(json["expires_in"].GetInt64(), 3600);

    const RawResponse other =
        call(hs.port(), "POST", "/_matrix/client/v3/user/%40bob%3Alocalhost/openid/request_token",
             alice.token, "{}");
    EXPECT_EQ(other.status, 403);
    EXPECT_EQ(errcode(other), "M_FORBIDDEN");
    const RawResponse anonymous = call(hs.port(), "POST", own, {}, "{}");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(errcode(anonymous), "M_MISSING_TOKEN");
}

// The session the "email" for `sid` opened, as GET /__admin/sim/3pid/tokens lists it.
rapidjson::Document session_of(const MockHomeserver& hs, const std::string& sid) {
    const RawResponse tokens = call(hs.port(), "GET", "/__admin/sim/3pid/tokens");
    EXPECT_EQ(tokens.status, 200) << tokens.body;
    const auto all = parse(tokens.body);
    rapidjson::Document found;
    found.SetObject();
    for (const auto& session : all.GetArray()) {
        if (str(session, "sid") == sid) found.CopyFrom(session, found.GetAllocator());
    }
    return found;
}

TEST(SimulationThreepids, AnEmailIsValidatedAddedWithUiaListedAndDeleted) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string account = "/_matrix/client/v3/account/3pid";

    const RawResponse requested =
        call(hs.port(), "POST", account + "/email/requestToken", {},
             R"({"client_secret":"s3cret","email":"Alice@Example.org","send_attempt":1})");
    ASSERT_EQ(requested.status, 200) << requested.body;
    const std::string sid = str(parse(requested.body), "sid");
    ASSERT_FALSE(sid.empty());
    // A retry continues the same session.
    const RawResponse retried =
        call(hs.port(), "POST", account + "/email/requestToken", {},
             R"({"client_secret":"s3cret","email":"alice@example.org","send_attempt":2})");
    EXPECT_EQ(str(parse(retried.body), "sid"), sid);

    const auto session = session_of(hs, sid);
    EXPECT_EQ(str(session, "medium"), "email");
    EXPECT_EQ(str(session, "address"), "alice@example.org");
    EXPECT_EQ(str(session, "client_secret"), "s3cret");
    EXPECT_FALSE(session["validated"].GetBool());
    const std::string token = str(session, "token");
    ASSERT_EQ(token.size(), 6u);

    const std::string add_body = R"({"client_secret":"s3cret","sid":")" + sid + R"("})";
    // Not yet validated: user-interactive auth first, then the session is refused.
    const RawResponse challenge = call(hs.port(), "POST", account + "/add", alice.token, add_body);
    ASSERT_EQ(challenge.status, 401) << challenge.body;
    const auto flows = parse(challenge.body);
    EXPECT_STREQ(flows["flows"][0]["stages"][0].GetString(), "m.login.password");
    EXPECT_TRUE(flows["params"].IsObject());
    const std::string uia = str(flows, "session");
    ASSERT_FALSE(uia.empty());
    const std::string authed_body = R"({"client_secret":"s3cret","sid":")" + sid +
                                    R"(","auth":{"type":"m.login.password","identifier":)"
                                    R"({"type":"m.id.user","user":"alice"},"password":"pw",)"
                                    R"("session":")" +
                                    uia + R"("}})";
    const RawResponse unvalidated =
        call(hs.port(), "POST", account + "/add", alice.token, authed_body);
    EXPECT_EQ(unvalidated.status, 400) << unvalidated.body;
    EXPECT_EQ(errcode(unvalidated), "M_THREEPID_AUTH_FAILED");

    // Following the email's link.
    const RawResponse wrong = call(hs.port(), "POST", "/__admin/sim/3pid/validate", {},
                                   R"({"sid":")" + sid + R"(","token":"nope"})");
    EXPECT_EQ(wrong.status, 400) << wrong.body;
    const RawResponse validated = call(hs.port(), "POST", "/__admin/sim/3pid/validate", {},
                                       R"({"sid":")" + sid + R"(","token":")" + token + R"("})");
    ASSERT_EQ(validated.status, 200) << validated.body;
    EXPECT_TRUE(session_of(hs, sid)["validated"].GetBool());

    const RawResponse bad_password =
        call(hs.port(), "POST", account + "/add", alice.token,
             R"({"client_secret":"s3cret","sid":")" + sid +
                 R"(","auth":{"type":"m.login.password","user":"alice","password":"wrong"}})");
    EXPECT_EQ(bad_password.status, 401) << bad_password.body;
    EXPECT_EQ(errcode(bad_password), "M_FORBIDDEN");

    const std::int64_t bytes_before = state_bytes(hs);
    const RawResponse added = call(hs.port(), "POST", account + "/add", alice.token, authed_body);
    ASSERT_EQ(added.status, 200) << added.body;
    const std::int64_t added_bytes = state_bytes(hs) - bytes_before;
    EXPECT_GT(added_bytes, 0);
    EXPECT_EQ(added.body, "{}");

    const RawResponse listed = call(hs.port(), "GET", account, alice.token);
    ASSERT_EQ(listed.status, 200) << listed.body;
    const auto threepids = parse(listed.body);
    ASSERT_EQ(threepids["threepids"].Size(), 1u) << listed.body;
    const auto& entry = threepids["threepids"][0];
    EXPECT_EQ(str(entry, "medium"), "email");
    EXPECT_EQ(str(entry, "address"), "alice@example.org");
    EXPECT_TRUE(entry["validated_at"].IsInt64());
    EXPECT_TRUE(entry["added_at"].IsInt64());

    // Now in use: another registration or addition of it is refused; a password reset may start.
    EXPECT_EQ(
        errcode(call(hs.port(), "POST", "/_matrix/client/v3/register/email/requestToken", {},
                     R"({"client_secret":"x","email":"alice@example.org","send_attempt":1})")),
        "M_THREEPID_IN_USE");
    EXPECT_EQ(call(hs.port(), "POST", "/_matrix/client/v3/account/password/email/requestToken", {},
                   R"({"client_secret":"x","email":"alice@example.org","send_attempt":1})")
                  .status,
              200);

    const std::int64_t bytes_before_delete = state_bytes(hs);
    const RawResponse deleted = call(hs.port(), "POST", account + "/delete", alice.token,
                                     R"({"medium":"email","address":"alice@example.org"})");
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    EXPECT_EQ(str(parse(deleted.body), "id_server_unbind_result"), "no-support");
    EXPECT_EQ(call(hs.port(), "GET", account, alice.token).body, R"({"threepids":[]})");
    // The deletion gave back what the addition took.
    EXPECT_EQ(bytes_before_delete - state_bytes(hs), added_bytes);
}

// Adds `email` to `who`'s account the whole way: requestToken, the link, add3PID with auth.
void add_email(const MockHomeserver& hs, const Account& who, const std::string& localpart,
               const std::string& email) {
    const std::string account = "/_matrix/client/v3/account/3pid";
    const RawResponse requested =
        call(hs.port(), "POST", account + "/email/requestToken", {},
             R"({"client_secret":"c","email":")" + email + R"(","send_attempt":1})");
    ASSERT_EQ(requested.status, 200) << requested.body;
    const std::string sid = str(parse(requested.body), "sid");
    const std::string token = str(session_of(hs, sid), "token");
    ASSERT_EQ(call(hs.port(), "POST", "/__admin/sim/3pid/validate", {},
                   R"({"sid":")" + sid + R"(","token":")" + token + R"("})")
                  .status,
              200);
    const RawResponse added = call(hs.port(), "POST", account + "/add", who.token,
                                   R"({"client_secret":"c","sid":")" + sid +
                                       R"(","auth":{"type":"m.login.password","user":")" +
                                       localpart + R"(","password":"pw"}})");
    ASSERT_EQ(added.status, 200) << added.body;
}

TEST(SimulationThreepids, DeactivationFreesTheAccountsThreepids) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    add_email(hs, alice, "alice", "alice@example.org");
    const std::string request =
        R"({"client_secret":"other","email":"alice@example.org","send_attempt":1})";
    EXPECT_EQ(errcode(call(hs.port(), "POST", "/_matrix/client/v3/register/email/requestToken", {},
                           request)),
              "M_THREEPID_IN_USE");
    const RawResponse deactivated =
        call(hs.port(), "POST", "/_matrix/client/v3/account/deactivate", alice.token,
             R"({"auth":{"type":"m.login.password","user":"alice","password":"pw"}})");
    ASSERT_EQ(deactivated.status, 200) << deactivated.body;
    EXPECT_EQ(call(hs.port(), "POST", "/_matrix/client/v3/register/email/requestToken", {}, request)
                  .status,
              200);
}

TEST(SimulationThreepids, AForgottenPasswordIsResetThroughAValidatedEmailWithoutAToken) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    add_email(hs, alice, "alice", "alice@example.org");
    const RawResponse requested =
        call(hs.port(), "POST", kV3 + "/account/password/email/requestToken", {},
             R"({"client_secret":"reset","email":"alice@example.org","send_attempt":1})");
    ASSERT_EQ(requested.status, 200) << requested.body;
    const std::string sid = str(parse(requested.body), "sid");
    const std::string reset = R"({"new_password":"fresh","auth":{"type":"m.login.email.identity",)"
                              R"("threepid_creds":{"sid":")" +
                              sid + R"(","client_secret":"reset"}}})";

    // No token and no auth: a challenge that offers the email stage, not M_MISSING_TOKEN.
    const RawResponse challenge =
        call(hs.port(), "POST", kV3 + "/account/password", {}, R"({"new_password":"fresh"})");
    EXPECT_EQ(challenge.status, 401) << challenge.body;
    EXPECT_EQ(errcode(challenge), "");
    EXPECT_NE(challenge.body.find("m.login.email.identity"), std::string::npos) << challenge.body;
    // The link in the email not followed yet.
    const RawResponse early = call(hs.port(), "POST", kV3 + "/account/password", {}, reset);
    EXPECT_EQ(early.status, 401) << early.body;
    EXPECT_EQ(errcode(early), "M_THREEPID_AUTH_FAILED");

    ASSERT_EQ(
        call(hs.port(), "POST", "/__admin/sim/3pid/validate", {},
             R"({"sid":")" + sid + R"(","token":")" + str(session_of(hs, sid), "token") + R"("})")
            .status,
        200);
    const RawResponse changed = call(hs.port(), "POST", kV3 + "/account/password", {}, reset);
    EXPECT_EQ(changed.status, 200) << changed.body;
    // Every device is logged out, and the new password logs in.
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/account/whoami", alice.token).status, 401);
    EXPECT_EQ(call(hs.port(), "POST", kV3 + "/login", {},
                   R"({"type":"m.login.password","identifier":{"type":"m.id.user",)"
                   R"("user":"alice"},"password":"fresh"})")
                  .status,
              200);
}

TEST(SimulationAccounts, DeactivationWithoutATokenNeedsTheNamedUsersPassword) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string path = kV3 + "/account/deactivate";
    const RawResponse wrong =
        call(hs.port(), "POST", path, {},
             R"({"auth":{"type":"m.login.password","identifier":{"type":"m.id.user",)"
             R"("user":"alice"},"password":"nope"}})");
    EXPECT_EQ(wrong.status, 401) << wrong.body;
    EXPECT_EQ(errcode(wrong), "M_FORBIDDEN");
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/account/whoami", alice.token).status, 200);
    const RawResponse done =
        call(hs.port(), "POST", path, {},
             R"({"auth":{"type":"m.login.password","identifier":{"type":"m.id.user",)"
             R"("user":"alice"},"password":"pw"}})");
    EXPECT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/account/whoami", alice.token).status, 401);
    // The email stage is for a forgotten password only.
    const RawResponse challenge = call(hs.port(), "POST", path, {}, "{}");
    EXPECT_EQ(challenge.status, 401);
    EXPECT_EQ(challenge.body.find("m.login.email.identity"), std::string::npos) << challenge.body;
}

TEST(SimulationThreepids, InviteBy3pidInvitesTheHolderOrLeavesAThirdPartyInvite) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    add_email(hs, bob, "bob", "bob@example.org");
    const std::string room = create_room(hs, alice, "{}");
    const std::string invite = kV3 + "/rooms/" + path_id(room) + "/invite";
    const std::string identity = R"("id_server":"id.example.org","id_access_token":"t",)";

    const RawResponse held =
        call(hs.port(), "POST", invite, alice.token,
             "{" + identity + R"("medium":"email","address":"Bob@Example.org"})");
    EXPECT_EQ(held.status, 200) << held.body;
    const RawResponse bobs =
        call(hs.port(), "GET",
             kV3 + "/rooms/" + path_id(room) + "/state/m.room.member/" + path_id(bob.user_id),
             alice.token);
    EXPECT_EQ(str(parse(bobs.body), "membership"), "invite") << bobs.body;

    const RawResponse unheld =
        call(hs.port(), "POST", invite, alice.token,
             "{" + identity + R"("medium":"email","address":"carol@example.org"})");
    EXPECT_EQ(unheld.status, 200) << unheld.body;
    const RawResponse state =
        call(hs.port(), "GET", kV3 + "/rooms/" + path_id(room) + "/state", alice.token);
    const auto events = parse(state.body);
    int third_party = 0;
    for (const auto& event : events.GetArray()) {
        if (str(event, "type") != "m.room.third_party_invite") continue;
        ++third_party;
        const std::string shown = str(event["content"], "display_name");
        EXPECT_EQ(shown.find("carol@example.org"), std::string::npos) << shown;
        EXPECT_EQ(str(event["content"], "key_validity_url"),
                  "https://id.example.org/_matrix/identity/v2/pubkey/isvalid");
        EXPECT_FALSE(str(event, "state_key").empty());
    }
    EXPECT_EQ(third_party, 1) << state.body;

    EXPECT_EQ(errcode(call(hs.port(), "POST", invite, alice.token,
                           "{" + identity + R"("medium":"fax","address":"1"})")),
              "M_INVALID_PARAM");
    EXPECT_EQ(errcode(call(hs.port(), "POST", invite, alice.token,
                           R"({"medium":"email","address":"d@example.org"})")),
              "M_MISSING_PARAM");
    const Account mallory = add_user(hs, "mallory");
    EXPECT_EQ(errcode(call(hs.port(), "POST", invite, mallory.token,
                           "{" + identity + R"("medium":"email","address":"e@example.org"})")),
              "M_FORBIDDEN");
}

TEST(SimulationThreepids, RequestTokenChecksTheAddressAndTheSecret) {
    MockHomeserver hs(simulated());
    const std::string base = "/_matrix/client/v3/";
    const RawResponse phone = call(
        hs.port(), "POST", base + "register/msisdn/requestToken", {},
        R"({"client_secret":"abc","country":"GB","phone_number":"07700 900001","send_attempt":1})");
    ASSERT_EQ(phone.status, 200) << phone.body;
    const auto session = session_of(hs, str(parse(phone.body), "sid"));
    EXPECT_EQ(str(session, "medium"), "msisdn");
    EXPECT_EQ(str(session, "address"), "07700900001");

    EXPECT_EQ(call(hs.port(), "POST", base + "account/3pid/msisdn/requestToken", {},
                   R"({"client_secret":"abc","country":"GB","send_attempt":1})")
                  .status,
              400);
    EXPECT_EQ(errcode(call(hs.port(), "POST", base + "register/email/requestToken", {},
                           R"({"client_secret":"a b","email":"a@b.c","send_attempt":1})")),
              "M_INVALID_PARAM");
    EXPECT_EQ(errcode(call(hs.port(), "POST", base + "register/email/requestToken", {},
                           R"({"client_secret":"ab","email":"not-an-address","send_attempt":1})")),
              "M_INVALID_PARAM");
    // Nobody has this address, so there is no password to reset with it.
    const RawResponse reset =
        call(hs.port(), "POST", base + "account/password/email/requestToken", {},
             R"({"client_secret":"ab","email":"nobody@example.org","send_attempt":1})");
    EXPECT_EQ(reset.status, 400);
    EXPECT_EQ(errcode(reset), "M_THREEPID_NOT_FOUND");
    EXPECT_EQ(call(hs.port(), "POST", "/__admin/sim/3pid/validate", {},
                   R"({"sid":"unknown","token":"123456"})")
                  .status,
              404);
}

TEST(SimulationThreepids, AccountOperationsNeedATokenAndIdentityServerOnesHaveNoEffect) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string account = "/_matrix/client/v3/account/3pid";
    EXPECT_EQ(errcode(call(hs.port(), "GET", account)), "M_MISSING_TOKEN");
    EXPECT_EQ(errcode(call(hs.port(), "POST", account + "/add", {}, "{}")), "M_MISSING_TOKEN");
    EXPECT_EQ(call(hs.port(), "GET", account, alice.token).body, R"({"threepids":[]})");

    const RawResponse bound = call(
        hs.port(), "POST", account + "/bind", alice.token,
        R"({"client_secret":"a","id_server":"id.example.org","id_access_token":"t","sid":"s"})");
    EXPECT_EQ(bound.status, 200) << bound.body;
    EXPECT_EQ(bound.body, "{}");
    EXPECT_EQ(call(hs.port(), "POST", account + "/bind", alice.token, R"({"sid":"s"})").status,
              400);
    const RawResponse unbound = call(hs.port(), "POST", account + "/unbind", alice.token,
                                     R"({"medium":"email","address":"a@b.c"})");
    EXPECT_EQ(unbound.status, 200);
    EXPECT_EQ(str(parse(unbound.body), "id_server_unbind_result"), "no-support");
    // The deprecated POST /account/3pid needs an identity server's word.
    const RawResponse legacy = call(
        hs.port(), "POST", account, alice.token,
        R"({"three_pid_creds":{"client_secret":"a","id_server":"i","id_access_token":"t","sid":"s"}})");
    EXPECT_EQ(legacy.status, 403);
    EXPECT_EQ(errcode(legacy), "M_THREEPID_AUTH_FAILED");
}

TEST(SimulationThreepids, SessionsCountAgainstTheStateCapAndResetForgetsThem) {
    MockHomeserverOptions options = simulated();
    options.simulation_options.state_capacity_bytes = 16 * 1024;
    MockHomeserver hs(options);
    // Each new secret opens a session; far more than 16 KiB holds, so a cap that never
    // refuses fails here.
    int status = 200;
    std::string body;
    for (int i = 0; i < 1000 && status == 200; ++i) {
        const RawResponse r =
            call(hs.port(), "POST", "/_matrix/client/v3/register/email/requestToken", {},
                 R"({"client_secret":"s)" + std::to_string(i) +
                     R"(","email":"a@b.c","send_attempt":1})");
        status = r.status;
        body = r.body;
    }
    EXPECT_EQ(status, 403) << body;
    EXPECT_EQ(str(parse(body), "errcode"), "M_RESOURCE_LIMIT_EXCEEDED");

    ASSERT_EQ(call(hs.port(), "POST", "/__admin/sim/reset").status, 200);
    EXPECT_EQ(call(hs.port(), "GET", "/__admin/sim/3pid/tokens").body, "[]");
    EXPECT_EQ(state_bytes(hs), 0);
}

}  // namespace
}  // namespace matrix::mock
