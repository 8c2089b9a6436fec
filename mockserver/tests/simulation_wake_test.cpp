// Held syncs woken only by what their user can see, and syncs and pages over a long history
// that return exactly what a walk of the whole history would.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "raw_connection.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;
using namespace std::chrono_literals;

std::int64_t held_syncs(const MockHomeserver& hs) {
    const auto health = parse(send_raw(hs.port(), http_request("GET", "/__admin/health")).body);
    return health.HasMember("held_syncs") ? health["held_syncs"].GetInt64() : -1;
}

std::string next_batch(const MockHomeserver& hs, const Account& who) {
    return str(parse(sync(hs, who, "").body), "next_batch");
}

// A sync held in the background: `timeout_ms` long, from `since`.
std::future<RawResponse> hold(const MockHomeserver& hs, const Account& who,
                              const std::string& since, int timeout_ms) {
    return std::async(std::launch::async, [&hs, who, since, timeout_ms] {
        return sync(hs, who, "timeout=" + std::to_string(timeout_ms) + "&since=" + since);
    });
}

bool wait_for_held(const MockHomeserver& hs, std::int64_t count) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (held_syncs(hs) == count) return true;
        std::this_thread::sleep_for(5ms);
    }
    return false;
}

TEST(SimulationWake, AMessageWakesTheSyncsOfTheRoomsMembersAndNoOneElse) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const Account carol = add_user(hs, "carol");
    const std::string shared = create_room(hs, alice, R"({"preset":"public_chat"})");
    join(hs, bob, shared);
    create_room(hs, carol);  // carol's own room
    auto alice_sync = hold(hs, alice, next_batch(hs, alice), 10'000);
    auto bob_sync = hold(hs, bob, next_batch(hs, bob), 10'000);
    auto carol_sync = hold(hs, carol, next_batch(hs, carol), 1'500);
    ASSERT_TRUE(wait_for_held(hs, 3));

    const std::string event_id = send_text(hs, alice, shared, "t1");
    EXPECT_EQ(timeline_ids(alice_sync.get().body, shared), std::vector<std::string>{event_id});
    EXPECT_EQ(timeline_ids(bob_sync.get().body, shared), std::vector<std::string>{event_id});
    EXPECT_TRUE(wait_for_held(hs, 1)) << "carol's sync must still be held";
    const RawResponse carol_answer = carol_sync.get();  // at its timeout
    EXPECT_EQ(carol_answer.status, 200);
    EXPECT_TRUE(parse(carol_answer.body)["rooms"]["join"].ObjectEmpty()) << carol_answer.body;
}

TEST(SimulationWake, AnInviteWakesTheInviteesSync) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice);
    auto bob_sync = hold(hs, bob, next_batch(hs, bob), 10'000);
    ASSERT_TRUE(wait_for_held(hs, 1));
    const RawResponse invited =
        call(hs.port(), "POST", "/_matrix/client/v3/rooms/" + path_id(room) + "/invite",
             alice.token, R"({"user_id":"@bob:localhost"})");
    ASSERT_EQ(invited.status, 200) << invited.body;
    const auto answer = parse(bob_sync.get().body);
    EXPECT_TRUE(answer["rooms"]["invite"].HasMember(room.c_str()));
}

TEST(SimulationWake, AccountDataWakesOnlyItsOwnersSync) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    auto alice_sync = hold(hs, alice, next_batch(hs, alice), 10'000);
    auto bob_sync = hold(hs, bob, next_batch(hs, bob), 1'000);
    ASSERT_TRUE(wait_for_held(hs, 2));
    const RawResponse put =
        call(hs.port(), "PUT", "/_matrix/client/v3/user/%40alice%3Alocalhost/account_data/m.x",
             alice.token, R"({"k":1})");
    ASSERT_EQ(put.status, 200) << put.body;
    const auto answer = parse(alice_sync.get().body);
    ASSERT_EQ(answer["account_data"]["events"].Size(), 1u);
    EXPECT_EQ(str(answer["account_data"]["events"][0], "type"), "m.x");
    EXPECT_TRUE(wait_for_held(hs, 1)) << "bob's sync must still be held";
    EXPECT_TRUE(parse(bob_sync.get().body)["account_data"]["events"].Empty());
}

// A room with `count` messages sent through the admin route, and their ids in order.
std::vector<std::string> fill(const MockHomeserver& hs, const std::string& room, int count) {
    std::vector<std::string> ids;
    RawConnection connection(hs.port());
    for (int i = 0; i < count; ++i) {
        EXPECT_TRUE(connection.send_bytes(keep_alive_request(
            "POST", "/__admin/sim/rooms/" + room + "/events",
            R"({"sender":"@alice:localhost","type":"m.room.message","content":{"body":")" +
                std::to_string(i) + R"("}})")));
        const auto r = connection.read_response(5s);
        EXPECT_TRUE(r && r->status == 200);
        if (r) ids.push_back(str(parse(r->body), "event_id"));
    }
    return ids;
}

// The thread root in a held sync's answer: rooms.join[room]'s event `root`.
const rapidjson::Value* root_in(const rapidjson::Document& json, const std::string& room,
                                const std::string& root) {
    if (!json["rooms"]["join"].HasMember(room.c_str())) return nullptr;
    for (const auto& event : json["rooms"]["join"][room.c_str()]["timeline"]["events"].GetArray()) {
        if (str(event, "event_id") == root) return &event;
    }
    return nullptr;
}

TEST(SimulationWake, SyncsBuiltTogetherEachSeeTheirOwnBundledAggregations) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account carol = add_user(hs, "carol");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    const std::string root = send_text(hs, alice, room, "root");
    join(hs, carol, room);
    const RawResponse reply = call(
        hs.port(), "PUT", kV3 + "/rooms/" + path_id(room) + "/send/m.room.message/c1", carol.token,
        R"({"msgtype":"m.text","body":"re","m.relates_to":{"rel_type":"m.thread",)"
        R"("event_id":")" +
            root + R"("}})");
    ASSERT_EQ(reply.status, 200) << reply.body;
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/rooms/" + path_id(room) + "/leave", carol.token, "{}")
                  .status,
              200);
    const RawResponse login =
        call(hs.port(), "POST", kV3 + "/login", {},
             R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"carol"},)"
             R"("password":"pw"})");
    ASSERT_EQ(login.status, 200) << login.body;
    const Account other_device{carol.user_id, str(parse(login.body), "access_token")};

    // Rejoining wakes both of Carol's devices in one batch, the room fresh for both: the root
    // and its thread are written once per device, since only the device that sent the reply
    // sees its transaction id in latest_event.
    auto first = hold(hs, carol, next_batch(hs, carol), 10'000);
    auto second = hold(hs, other_device, next_batch(hs, other_device), 10'000);
    ASSERT_TRUE(wait_for_held(hs, 2));
    join(hs, carol, room);
    for (auto* answer : {&first, &second}) {
        const auto json = parse(answer->get().body);
        const rapidjson::Value* event = root_in(json, room, root);
        ASSERT_NE(event, nullptr);
        const auto& thread = (*event)["unsigned"]["m.relations"]["m.thread"];
        EXPECT_EQ(thread["count"].GetInt(), 1);
        EXPECT_TRUE(thread["current_user_participated"].GetBool());
        EXPECT_EQ(str(thread["latest_event"]["unsigned"], "transaction_id"),
                  answer == &first ? "c1" : "");
    }
}

TEST(SimulationHistory, AnIncrementalSyncAfterALongHistoryReturnsOnlyWhatIsNew) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    fill(hs, room, 500);
    const std::string since = next_batch(hs, alice);
    const std::vector<std::string> newer = fill(hs, room, 3);
    const auto answer = parse(sync(hs, alice, "since=" + since).body);
    EXPECT_EQ(timeline_ids(sync(hs, alice, "since=" + since).body, room), newer);
    EXPECT_FALSE(answer["rooms"]["join"][room.c_str()]["timeline"]["limited"].GetBool());

    // More new events than the limit: the newest ten, limited.
    const std::string before = next_batch(hs, alice);
    const std::vector<std::string> many = fill(hs, room, 25);
    const RawResponse limited = sync(hs, alice, "since=" + before);
    EXPECT_EQ(timeline_ids(limited.body, room),
              std::vector<std::string>(many.end() - 10, many.end()));
    EXPECT_TRUE(
        parse(limited.body)["rooms"]["join"][room.c_str()]["timeline"]["limited"].GetBool());
    // Nothing new: the room is left out.
    const std::string now = next_batch(hs, alice);
    EXPECT_TRUE(parse(sync(hs, alice, "since=" + now).body)["rooms"]["join"].ObjectEmpty());
}

TEST(SimulationHistory, PagesFromAnyPointOfALongHistoryGiveTheEventsAroundIt) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::vector<std::string> first = fill(hs, room, 300);
    const std::string middle = next_batch(hs, alice);
    const std::vector<std::string> second = fill(hs, room, 300);
    const std::string base = "/_matrix/client/v3/rooms/" + path_id(room) + "/messages";
    const auto ids = [](const rapidjson::Document& page) {
        std::vector<std::string> out;
        for (const auto& event : page["chunk"].GetArray()) out.push_back(str(event, "event_id"));
        return out;
    };
    const auto back =
        parse(call(hs.port(), "GET", base + "?dir=b&limit=5&from=" + middle, alice.token).body);
    EXPECT_EQ(ids(back), (std::vector<std::string>{first[299], first[298], first[297], first[296],
                                                   first[295]}));
    const auto forward =
        parse(call(hs.port(), "GET", base + "?dir=f&limit=5&from=" + middle, alice.token).body);
    EXPECT_EQ(ids(forward), std::vector<std::string>(second.begin(), second.begin() + 5));
    const auto oldest =
        parse(call(hs.port(), "GET", base + "?dir=f&limit=1&from=s0", alice.token).body);
    ASSERT_EQ(oldest["chunk"].Size(), 1u);
    EXPECT_EQ(str(oldest["chunk"][0], "type"), "m.room.create");
}

}  // namespace
}  // namespace matrix::mock
