// The simulation's discovery operations: /.well-known, TURN, third-party lookup, OpenID.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

#include "matrix/mock/homeserver.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

MockHomeserverOptions simulated() {
    MockHomeserverOptions options;
    options.simulation = true;
    return options;
}

std::string errcode(const RawResponse& response) { return str(parse(response.body), "errcode"); }

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

}  // namespace
}  // namespace matrix::mock
