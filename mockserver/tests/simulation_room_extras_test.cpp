// The simulation's answers beyond rooms, events and sync, over real sockets. Each has its
// success, its refusal, and where it writes, the read that shows the write.
#include <gtest/gtest.h>

#include <string>

#include "matrix/mock/homeserver.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

const std::string kV3 = "/_matrix/client/v3";

MockHomeserverOptions simulated() {
    MockHomeserverOptions options;
    options.simulation = true;
    return options;
}

std::string errcode(const RawResponse& response) { return str(parse(response.body), "errcode"); }

// ---- deleteDevices / deleteDevice -----------------------------------------------------------

std::string log_in(const MockHomeserver& hs, const std::string& device_id) {
    const RawResponse r = call(hs.port(), "POST", kV3 + "/login", {},
                               R"({"type":"m.login.password","user":"alice","password":"pw",)"
                               R"("device_id":")" +
                                   device_id + R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    return str(parse(r.body), "access_token");
}

TEST(SimulationRoomExtras, DeletingDevicesTakesUserInteractiveAuth) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string second = log_in(hs, "SECOND");
    const std::string third = log_in(hs, "THIRD");
    const std::string path = kV3 + "/delete_devices";

    const RawResponse challenge =
        call(hs.port(), "POST", path, alice.token, R"({"devices":["SECOND"]})");
    EXPECT_EQ(challenge.status, 401);
    const auto flows = parse(challenge.body);
    EXPECT_TRUE(flows["flows"].IsArray());
    EXPECT_FALSE(str(flows, "session").empty());
    EXPECT_FALSE(flows.HasMember("errcode"));

    const RawResponse wrong =
        call(hs.port(), "POST", path, alice.token,
             R"({"devices":["SECOND"],"auth":{"type":"m.login.password","password":"no"}})");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(errcode(wrong), "M_FORBIDDEN");
    EXPECT_TRUE(parse(wrong.body)["flows"].IsArray());
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/account/whoami", second).status, 200);

    EXPECT_EQ(call(hs.port(), "POST", path, alice.token,
                   R"({"devices":["SECOND","GONE"],"auth":{"type":"m.login.password",)"
                   R"("identifier":{"type":"m.id.user","user":"alice"},"password":"pw"}})")
                  .status,
              200);
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/account/whoami", second).status, 401);
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/account/whoami", alice.token).status, 200);

    // The single-device form takes the same auth.
    EXPECT_EQ(call(hs.port(), "DELETE", kV3 + "/devices/THIRD", alice.token, "{}").status, 401);
    EXPECT_EQ(call(hs.port(), "DELETE", kV3 + "/devices/THIRD", alice.token,
                   R"({"auth":{"type":"m.login.dummy"}})")
                  .status,
              200);
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/account/whoami", third).status, 401);
    const auto devices = parse(call(hs.port(), "GET", kV3 + "/devices", alice.token).body);
    EXPECT_EQ(devices["devices"].Size(), 1u);
}

TEST(SimulationRoomExtras, DeletingDevicesNeedsATokenAndADeviceList) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string path = kV3 + "/delete_devices";
    const RawResponse anonymous = call(hs.port(), "POST", path, {}, R"({"devices":[]})");
    EXPECT_EQ(anonymous.status, 401);
    EXPECT_EQ(errcode(anonymous), "M_MISSING_TOKEN");
    EXPECT_EQ(
        call(hs.port(), "POST", path, alice.token, R"({"auth":{"type":"m.login.dummy"}})").status,
        400);
}

}  // namespace
}  // namespace matrix::mock
