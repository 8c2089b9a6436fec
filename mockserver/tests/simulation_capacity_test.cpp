// The simulation's state cap (SimulationOptions::state_capacity_bytes): a request that would
// pass it gets 403 M_RESOURCE_LIMIT_EXCEEDED and leaves no trace, reads keep answering, and
// POST /__admin/sim/reset gives the budget back.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "matrix/mock/simulation.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

// The raw HTTP client and the simulation helpers (simulation_client.hpp).
using namespace testing;

constexpr std::size_t kSmallCap = 64 * 1024;
// Far more writes than kSmallCap holds, so a cap that never refuses fails the test quickly.
constexpr int kMaxWrites = 2000;

MockHomeserverOptions capped(std::size_t capacity = kSmallCap) {
    MockHomeserverOptions options;
    options.simulation = true;
    options.simulation_options.state_capacity_bytes = capacity;
    return options;
}

std::int64_t state_bytes(const MockHomeserver& hs) {
    const auto json = parse(call(hs.port(), "GET", "/__admin/sim/state").body);
    return json.HasMember("state_bytes") ? json["state_bytes"].GetInt64() : -1;
}

// The refusal names the errcode, says how to get out of it, and carries admin_contact.
void expect_resource_limit(const RawResponse& r) {
    EXPECT_EQ(r.status, 403) << r.body;
    const auto json = parse(r.body);
    EXPECT_EQ(str(json, "errcode"), "M_RESOURCE_LIMIT_EXCEEDED") << r.body;
    const std::string message = str(json, "error");
    EXPECT_NE(message.find("POST /__admin/sim/reset"), std::string::npos) << message;
    EXPECT_NE(message.find("--sim-state-capacity-bytes"), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(kSmallCap)), std::string::npos) << message;
    EXPECT_FALSE(str(json, "admin_contact").empty()) << r.body;
}

std::string room_path(std::string room) {
    return "/_matrix/client/v3/rooms/" + room.replace(room.find(':'), 1, "%3A");
}

// A message with a ~100-byte body that names its number.
RawResponse send_message(const MockHomeserver& hs, const Account& who, const std::string& room,
                         int number) {
    const std::string body = "message " + std::to_string(number) + " " + std::string(90, 'x');
    return call(hs.port(), "PUT",
                room_path(room) + "/send/m.room.message/t" + std::to_string(number), who.token,
                R"({"msgtype":"m.text","body":")" + body + R"("})");
}

RawResponse register_user(const MockHomeserver& hs, const std::string& name) {
    return call(
        hs.port(), "POST", "/_matrix/client/v3/register", {},
        R"({"username":")" + name + R"(","password":"pw","auth":{"type":"m.login.dummy"}})");
}

RawResponse log_in(const MockHomeserver& hs, const std::string& name) {
    return call(hs.port(), "POST", "/_matrix/client/v3/login", {},
                R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":")" + name +
                    R"("},"password":"pw"})");
}

// Sends messages until one is refused; returns its number, or -1 when none was.
int fill_with_messages(const MockHomeserver& hs, const Account& who, const std::string& room) {
    for (int number = 0; number < kMaxWrites; ++number) {
        const RawResponse r = send_message(hs, who, room, number);
        if (r.status != 200) return number;
    }
    return -1;
}

TEST(SimulationCapacity, RefusesTheEventThatWouldPassTheCapAndStoresNoTraceOfIt) {
    MockHomeserver hs(capped());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const int refused = fill_with_messages(hs, alice, room);
    ASSERT_GT(refused, 10) << "a 64 KiB cap holds more than ten messages";
    const std::int64_t full = state_bytes(hs);
    EXPECT_LE(full, static_cast<std::int64_t>(kSmallCap));
    EXPECT_GT(full, static_cast<std::int64_t>(kSmallCap) / 2);

    const RawResponse again = send_message(hs, alice, room, refused);
    expect_resource_limit(again);
    EXPECT_EQ(state_bytes(hs), full) << "a refused request stores nothing";

    // Reads answer, and show every accepted message and not the refused one.
    const RawResponse messages =
        call(hs.port(), "GET", room_path(room) + "/messages?dir=b&limit=1000", alice.token);
    ASSERT_EQ(messages.status, 200) << messages.body;
    const std::string refused_text = "message " + std::to_string(refused) + " ";
    EXPECT_EQ(messages.body.find(refused_text), std::string::npos);
    EXPECT_NE(messages.body.find("message " + std::to_string(refused - 1) + " "),
              std::string::npos);
    const RawResponse synced =
        call(hs.port(), "GET", "/_matrix/client/v3/sync?timeout=0", alice.token);
    ASSERT_EQ(synced.status, 200);
    EXPECT_EQ(synced.body.find(refused_text), std::string::npos);
    for (const char* path : {"/_matrix/client/v3/account/whoami", "/_matrix/client/v3/joined_rooms",
                             "/_matrix/client/v3/profile/%40alice%3Alocalhost"}) {
        EXPECT_EQ(call(hs.port(), "GET", path, alice.token).status, 200) << path;
    }
    EXPECT_EQ(call(hs.port(), "GET", room_path(room) + "/state", alice.token).status, 200);
}

TEST(SimulationCapacity, RefusesARegistrationPastTheCapAndThatUserCannotLogIn) {
    MockHomeserver hs(capped());
    int refused = -1;
    for (int number = 0; number < kMaxWrites && refused < 0; ++number) {
        const RawResponse r = register_user(hs, "user" + std::to_string(number));
        if (r.status != 200) {
            refused = number;
            expect_resource_limit(r);
        }
    }
    ASSERT_GT(refused, 5);
    const std::string name = "user" + std::to_string(refused);
    // Unknown, not merely refused: the login fails on the password check, before the cap.
    const RawResponse login = log_in(hs, name);
    EXPECT_EQ(login.status, 403);
    EXPECT_EQ(str(parse(login.body), "errcode"), "M_FORBIDDEN") << login.body;
    EXPECT_EQ(
        call(hs.port(), "GET", "/_matrix/client/v3/register/available?username=" + name).status,
        200);

    // A known user's login adds a token, a registration's UIA challenge keeps a session: both
    // are writes, refused once they no longer fit (smaller ones may still fit at first).
    const auto refused_eventually = [&](const auto& write) {
        for (int i = 0; i < kMaxWrites; ++i) {
            const RawResponse r = write();
            if (r.status != 200 && r.status != 401) return expect_resource_limit(r);
        }
        ADD_FAILURE() << "never refused";
    };
    refused_eventually([&] { return log_in(hs, "user0"); });
    refused_eventually([&] {
        return call(hs.port(), "POST", "/_matrix/client/v3/register", {}, R"({"username":"x"})");
    });
    expect_resource_limit(call(hs.port(), "POST", "/__admin/sim/users", {},
                               R"({"username":"admin_made","password":"pw"})"));
}

TEST(SimulationCapacity, ARoomThatDoesNotFitIsNotCreatedAtAll) {
    MockHomeserver hs(capped());
    const Account alice = add_user(hs, "alice");
    const std::int64_t before = state_bytes(hs);
    // Fits as a request (far under --max-body-bytes) but not as state: thirty 4 KiB topics.
    std::string initial_state = "[";
    for (int i = 0; i < 30; ++i) {
        if (i > 0) initial_state += ",";
        initial_state += R"({"type":"org.example.blob","state_key":")" + std::to_string(i) +
                         R"(","content":{"text":")" + std::string(4096, 'b') + R"("}})";
    }
    initial_state += "]";
    const RawResponse r =
        call(hs.port(), "POST", "/_matrix/client/v3/createRoom", alice.token,
             R"({"room_alias_name":"blobs","visibility":"public","initial_state":)" +
                 initial_state + "}");
    expect_resource_limit(r);
    EXPECT_EQ(state_bytes(hs), before);
    const auto joined =
        parse(call(hs.port(), "GET", "/_matrix/client/v3/joined_rooms", alice.token).body);
    EXPECT_EQ(joined["joined_rooms"].Size(), 0u);
    EXPECT_EQ(call(hs.port(), "GET", "/_matrix/client/v3/directory/room/%23blobs%3Alocalhost",
                   alice.token)
                  .status,
              404);
    EXPECT_EQ(parse(call(hs.port(), "GET", "/_matrix/client/v3/publicRooms").body)["chunk"].Size(),
              0u);
    // A room that fits is still created.
    EXPECT_FALSE(create_room(hs, alice).empty());
}

TEST(SimulationCapacity, ResetEmptiesTheStateAndWritesSucceedAgain) {
    MockHomeserver hs(capped());
    EXPECT_EQ(state_bytes(hs), 0);
    const Account alice = add_user(hs, "alice");
    EXPECT_GT(state_bytes(hs), 0);
    ASSERT_GT(fill_with_messages(hs, alice, create_room(hs, alice)), 0);

    ASSERT_EQ(call(hs.port(), "POST", "/__admin/sim/reset").status, 200);
    EXPECT_EQ(state_bytes(hs), 0);
    const auto state = parse(call(hs.port(), "GET", "/__admin/sim/state").body);
    EXPECT_EQ(state["state_capacity_bytes"].GetInt64(), static_cast<std::int64_t>(kSmallCap));
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, bob);
    EXPECT_EQ(send_message(hs, bob, room, 1).status, 200);
    EXPECT_EQ(register_user(hs, "carol").status, 200);
}

TEST(SimulationCapacity, GivesBytesBackWhenTokensAndAliasesGo) {
    MockHomeserver hs(capped());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::int64_t before = state_bytes(hs);
    const RawResponse login = log_in(hs, "alice");
    ASSERT_EQ(login.status, 200) << login.body;
    EXPECT_GT(state_bytes(hs), before);
    EXPECT_EQ(
        call(hs.port(), "POST", "/_matrix/client/v3/logout", str(parse(login.body), "access_token"))
            .status,
        200);
    EXPECT_EQ(state_bytes(hs), before);

    const std::string alias = "/_matrix/client/v3/directory/room/%23home%3Alocalhost";
    EXPECT_EQ(call(hs.port(), "PUT", alias, alice.token, R"({"room_id":")" + room + R"("})").status,
              200);
    EXPECT_GT(state_bytes(hs), before);
    EXPECT_EQ(call(hs.port(), "DELETE", alias, alice.token).status, 200);
    EXPECT_EQ(state_bytes(hs), before);

    // Replacing account data counts the new content, not both.
    const std::string data = "/_matrix/client/v3/user/%40alice%3Alocalhost/account_data/m.x";
    EXPECT_EQ(call(hs.port(), "PUT", data, alice.token, R"({"n":1})").status, 200);
    const std::int64_t once = state_bytes(hs);
    EXPECT_EQ(call(hs.port(), "PUT", data, alice.token, R"({"n":2})").status, 200);
    EXPECT_EQ(state_bytes(hs), once);
}

TEST(SimulationCapacity, ADeviceNameIsChargedAndItsLastSightingIsNot) {
    MockHomeserver hs(capped());
    add_user(hs, "alice");
    const std::int64_t before = state_bytes(hs);
    const RawResponse login =
        call(hs.port(), "POST", "/_matrix/client/v3/login", {},
             R"({"type":"m.login.password","user":"alice","password":"pw",)"
             R"("device_id":"NAMED","initial_device_display_name":"A named device"})");
    ASSERT_EQ(login.status, 200) << login.body;
    const std::string token = str(parse(login.body), "access_token");
    const std::int64_t named = state_bytes(hs);
    EXPECT_GT(named, before);
    // Each request updates when and where the device was seen, within what its login charged.
    EXPECT_EQ(call(hs.port(), "GET", "/_matrix/client/v3/account/whoami", token).status, 200);
    EXPECT_EQ(state_bytes(hs), named);
    // A rename charges the new name in place of the old one.
    EXPECT_EQ(call(hs.port(), "PUT", "/_matrix/client/v3/devices/NAMED", token,
                   R"({"display_name":"B named device"})")
                  .status,
              200);
    EXPECT_EQ(state_bytes(hs), named);
    // Logout deletes the device, name and all.
    EXPECT_EQ(call(hs.port(), "POST", "/_matrix/client/v3/logout", token).status, 200);
    EXPECT_EQ(state_bytes(hs), before);
}

TEST(SimulationCapacity, ARelationIsChargedToItsParentsIndexAndGivenBackWhenRedacted) {
    MockHomeserver hs(capped());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string root = str(parse(send_message(hs, alice, room, 0).body), "event_id");
    // The same content naming an event that does not exist (an id of the same length) relates
    // to nothing, so the difference is what the relation index holds.
    const std::string nowhere = "$" + std::string(root.size() - 1 - 10, 'x') + ":localhost";
    ASSERT_EQ(nowhere.size(), root.size());
    const auto reply = [&](const std::string& txn, const std::string& parent) {
        const std::int64_t before = state_bytes(hs);
        const RawResponse r = call(
            hs.port(), "PUT", room_path(room) + "/send/m.room.message/" + txn, alice.token,
            R"({"msgtype":"m.text","body":"re","m.relates_to":{"rel_type":"m.thread","event_id":")" +
                parent + R"("}})");
        EXPECT_EQ(r.status, 200) << r.body;
        return std::pair{str(parse(r.body), "event_id"), state_bytes(hs) - before};
    };
    const auto [unrelated, plain_cost] = reply("p1", nowhere);
    const auto [related, related_cost] = reply("p2", root);
    const std::int64_t index_cost = related_cost - plain_cost;
    EXPECT_GT(index_cost, 0);

    // Each redaction costs the same, but the reply's gives its index entry back.
    const auto redaction_cost = [&](const std::string& event_id, const std::string& txn) {
        const std::int64_t before = state_bytes(hs);
        EXPECT_EQ(call(hs.port(), "PUT", room_path(room) + "/redact/" + event_id + "/" + txn,
                       alice.token, "{}")
                      .status,
                  200);
        return state_bytes(hs) - before;
    };
    const std::int64_t plain_redaction = redaction_cost(unrelated, "x1");
    EXPECT_EQ(redaction_cost(related, "x2"), plain_redaction - index_cost);
}

TEST(SimulationCapacity, AProfileChangeIsRefusedWholeWhenItsMemberEventsDoNotFit) {
    MockHomeserver hs(capped());
    const Account alice = add_user(hs, "alice");
    for (int i = 0; i < 3; ++i) create_room(hs, alice);
    const std::string profile = "/_matrix/client/v3/profile/%40alice%3Alocalhost/displayname";
    const std::int64_t before = state_bytes(hs);
    // The name alone fits in what is left; again in each of the three member events, it does
    // not.
    const std::string name(static_cast<std::size_t>(kSmallCap - before) / 2, 'n');
    expect_resource_limit(
        call(hs.port(), "PUT", profile, alice.token, R"({"displayname":")" + name + R"("})"));
    EXPECT_EQ(state_bytes(hs), before);
    EXPECT_EQ(str(parse(call(hs.port(), "GET", profile).body), "displayname"), "alice");
    EXPECT_EQ(call(hs.port(), "PUT", profile, alice.token, R"({"displayname":"Alice"})").status,
              200);
}

TEST(SimulationCapacity, AStateEventLargerThanTheWholeCapIsRefusedOnAnEmptyState) {
    MockHomeserver hs(capped());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string big = R"({"text":")" + std::string(kSmallCap, 'z') + R"("})";
    expect_resource_limit(
        call(hs.port(), "PUT", room_path(room) + "/state/org.example.big/", alice.token, big));
    EXPECT_EQ(
        call(hs.port(), "GET", room_path(room) + "/state/org.example.big/", alice.token).status,
        404);
}

}  // namespace
}  // namespace matrix::mock
