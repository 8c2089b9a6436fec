// The simulation mode end to end over real sockets: accounts, rooms, events, long-polled /sync.
#include "matrix/mock/simulation.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <set>
#include <string>
#include <thread>

#include "matrix/mock/homeserver.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

// The raw HTTP client and the simulation helpers (simulation_client.hpp).
using namespace testing;

MockHomeserverOptions simulated(VersionsProfile profile = VersionsProfile::latest) {
    MockHomeserverOptions options;
    options.simulation = true;
    options.simulation_options.versions = profile;
    return options;
}

TEST(Simulation, RegistersThroughDummyAuthThenLogsInWithAUserIdentifier) {
    MockHomeserver hs(simulated());
    const RawResponse challenge =
        call(hs.port(), "POST", "/_matrix/client/v3/register", {}, R"({"username":"alice"})");
    EXPECT_EQ(challenge.status, 401);
    const auto flows = parse(challenge.body);
    EXPECT_STREQ(flows["flows"][0]["stages"][0].GetString(), "m.login.dummy");
    const std::string session = str(flows, "session");
    EXPECT_FALSE(session.empty());

    const RawResponse registered = call(
        hs.port(), "POST", "/_matrix/client/v3/register", {},
        R"({"username":"alice","password":"secret","auth":{"type":"m.login.dummy","session":")" +
            session + R"("}})");
    ASSERT_EQ(registered.status, 200) << registered.body;
    EXPECT_EQ(str(parse(registered.body), "user_id"), "@alice:localhost");

    const RawResponse again =
        call(hs.port(), "POST", "/_matrix/client/v3/register", {},
             R"({"username":"alice","password":"x","auth":{"type":"m.login.dummy"}})");
    EXPECT_EQ(again.status, 400);
    EXPECT_EQ(str(parse(again.body), "errcode"), "M_USER_IN_USE");

    const RawResponse login = call(
        hs.port(), "POST", "/_matrix/client/v3/login", {},
        R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"alice"},"password":"secret","device_id":"DEV1"})");
    ASSERT_EQ(login.status, 200) << login.body;
    const auto session_json = parse(login.body);
    EXPECT_EQ(str(session_json, "user_id"), "@alice:localhost");
    EXPECT_EQ(str(session_json, "device_id"), "DEV1");
    const std::string token = str(session_json, "access_token");

    const RawResponse whoami = call(hs.port(), "GET", "/_matrix/client/v3/account/whoami", token);
    ASSERT_EQ(whoami.status, 200);
    EXPECT_EQ(str(parse(whoami.body), "user_id"), "@alice:localhost");
    EXPECT_EQ(str(parse(whoami.body), "device_id"), "DEV1");
}

TEST(Simulation, LoginRefusesAWrongPasswordAndAcceptsAFullUserIdOrLegacyUser) {
    MockHomeserver hs(simulated());
    add_user(hs, "bob");
    const RawResponse wrong = call(
        hs.port(), "POST", "/_matrix/client/r0/login", {},
        R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"bob"},"password":"nope"})");
    EXPECT_EQ(wrong.status, 403);
    EXPECT_EQ(str(parse(wrong.body), "errcode"), "M_FORBIDDEN");
    const RawResponse full = call(
        hs.port(), "POST", "/_matrix/client/r0/login", {},
        R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"@bob:localhost"},"password":"pw"})");
    EXPECT_EQ(full.status, 200) << full.body;
    const RawResponse legacy = call(hs.port(), "POST", "/_matrix/client/r0/login", {},
                                    R"({"type":"m.login.password","user":"bob","password":"pw"})");
    EXPECT_EQ(legacy.status, 200) << legacy.body;
}

TEST(Simulation, AnswersMissingAndUnknownTokensWith401) {
    MockHomeserver hs(simulated());
    const RawResponse missing = call(hs.port(), "GET", "/_matrix/client/v3/account/whoami");
    EXPECT_EQ(missing.status, 401);
    EXPECT_EQ(str(parse(missing.body), "errcode"), "M_MISSING_TOKEN");
    const RawResponse unknown =
        call(hs.port(), "GET", "/_matrix/client/v3/account/whoami", "not-a-token");
    EXPECT_EQ(unknown.status, 401);
    const auto json = parse(unknown.body);
    EXPECT_EQ(str(json, "errcode"), "M_UNKNOWN_TOKEN");
    ASSERT_TRUE(json.HasMember("soft_logout"));
    EXPECT_FALSE(json["soft_logout"].GetBool());
}

TEST(Simulation, AcceptsTheTokenAsAQueryParameterAndForgetsItOnLogoutWithNoBody) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    EXPECT_EQ(
        call(hs.port(), "GET", "/_matrix/client/v3/account/whoami?access_token=" + alice.token)
            .status,
        200);
    EXPECT_EQ(call(hs.port(), "POST", "/_matrix/client/v3/logout", alice.token).status, 200);
    EXPECT_EQ(call(hs.port(), "GET", "/_matrix/client/v3/account/whoami", alice.token).status, 401);
}

TEST(Simulation, ShowsASentEventInTheNextSyncWithItsEventId) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice, R"({"name":"Test","preset":"public_chat"})");
    ASSERT_EQ(room.front(), '!');
    const std::string event_id = send_text(hs, alice, room, "t1");
    ASSERT_EQ(event_id.front(), '$');

    const RawResponse r = sync(hs, alice, "timeout=0&_cacheBuster=1");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto ids = timeline_ids(r.body, room);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids.back(), event_id);
    const auto json = parse(r.body);
    EXPECT_EQ(json["next_batch"].GetString()[0], 's');
    const auto& joined = json["rooms"]["join"][room.c_str()];
    const auto& last =
        joined["timeline"]["events"].GetArray()[static_cast<rapidjson::SizeType>(ids.size() - 1)];
    EXPECT_EQ(str(last["unsigned"], "transaction_id"), "t1");
    EXPECT_TRUE(joined.HasMember("unread_notifications"));
}

// Event content is stored as sent and echoed in /sync byte for byte, numbers included.
TEST(Simulation, EchoesTheNumbersOfEventContentAsSent) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string content =
        R"({"big":123456789012345678901234567890,"x":0.30000000000000004,"y":1e-7,"z":-0,)"
        R"("w":1.0})";
    const RawResponse sent =
        call(hs.port(), "PUT", "/_matrix/client/v3/rooms/" + path_id(room) + "/send/m.custom/n1",
             alice.token, content);
    ASSERT_EQ(sent.status, 200) << sent.body;
    const RawResponse r = sync(hs, alice, "timeout=0");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find(R"("content":)" + content), std::string::npos) << r.body;
}

// Bodies keep fractions as marked strings (json_text_dom.hpp); none may pass for a string.
TEST(Simulation, NeverTakesANumberForAStringInAUserOrAnInvite) {
    MockHomeserver hs(simulated());
    const RawResponse user = call(hs.port(), "POST", "/__admin/sim/users", {},
                                  R"({"username":"carol","password":"p","displayname":1.5})");
    EXPECT_EQ(user.status, 400) << user.body;
    EXPECT_NE(str(parse(user.body), "error").find("displayname"), std::string::npos);

    const Account alice = add_user(hs, "alice");
    const RawResponse created =
        call(hs.port(), "POST", "/_matrix/client/v3/createRoom", alice.token,
             R"({"preset":"trusted_private_chat","invite":[1.5,-0,"@bob:localhost"]})");
    ASSERT_EQ(created.status, 200) << created.body;
    const std::string room = str(parse(created.body), "room_id");
    const RawResponse members = call(
        hs.port(), "GET", "/_matrix/client/v3/rooms/" + path_id(room) + "/members", alice.token);
    ASSERT_EQ(members.status, 200) << members.body;
    EXPECT_EQ(members.body.find('\xff'), std::string::npos) << members.body;
    const auto chunk = parse(members.body);
    ASSERT_TRUE(chunk["chunk"].IsArray()) << members.body;
    std::vector<std::string> state_keys;
    for (const auto& event : chunk["chunk"].GetArray())
        state_keys.push_back(str(event, "state_key"));
    std::sort(state_keys.begin(), state_keys.end());
    EXPECT_EQ(state_keys, (std::vector<std::string>{"@alice:localhost", "@bob:localhost"}));
}

TEST(Simulation, GivesTheSameEventIdForARetriedTransactionAndStoresOneEvent) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string first = send_text(hs, alice, room, "txn");
    const std::string second = send_text(hs, alice, room, "txn");
    EXPECT_EQ(first, second);
    EXPECT_NE(send_text(hs, alice, room, "other"), first);
    const auto ids =
        timeline_ids(sync(hs, alice, "filter={\"room\":{\"timeline\":{\"limit\":50}}}").body, room);
    EXPECT_EQ(std::count(ids.begin(), ids.end(), first), 1);
}

TEST(Simulation, WakesAHeldSyncWithinASecondWhenAnEventIsSent) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string since = str(parse(sync(hs, alice, "").body), "next_batch");

    using Clock = std::chrono::steady_clock;
    auto held = std::async(std::launch::async, [&] {
        const RawResponse r = sync(hs, alice, "timeout=5000&since=" + since);
        return std::make_pair(r, Clock::now());
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_EQ(held.wait_for(std::chrono::seconds(0)), std::future_status::timeout)
        << "the sync was answered before anything happened";
    const auto sent_at = Clock::now();
    const std::string event_id = send_text(hs, alice, room, "wake");
    const auto [response, answered_at] = held.get();
    const auto latency =
        std::chrono::duration_cast<std::chrono::microseconds>(answered_at - sent_at);
    std::printf("long-poll wake-up latency (send start to sync answer): %.2f ms\n",
                static_cast<double>(latency.count()) / 1000.0);
    // The issue's bound: a held sync answers within 50 ms of a send (measured here ~1 ms,
    // including the send's own round trip).
    EXPECT_LT(latency, std::chrono::milliseconds(50));
    EXPECT_EQ(timeline_ids(response.body, room), std::vector<std::string>{event_id});
}

TEST(Simulation, HoldsAnEmptySyncForItsTimeoutThenAnswersWithAnEmptyTimeline) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string since = str(parse(sync(hs, alice, "").body), "next_batch");
    const auto start = std::chrono::steady_clock::now();
    const RawResponse r = sync(hs, alice, "timeout=200&since=" + since);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_GE(elapsed, std::chrono::milliseconds(200));
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(timeline_ids(r.body, room).empty());
    EXPECT_EQ(str(parse(r.body), "next_batch"), since);
}

TEST(Simulation, ChainsSyncTokensWithoutRepeatingOrLosingEvents) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    std::string since = str(parse(sync(hs, alice, "").body), "next_batch");
    std::vector<std::string> sent;
    std::vector<std::string> seen;
    for (int round = 0; round < 3; ++round) {
        for (int i = 0; i < 2; ++i) {
            sent.push_back(
                send_text(hs, alice, room, "r" + std::to_string(round) + std::to_string(i)));
        }
        const RawResponse r = sync(hs, alice, "timeout=1000&since=" + since);
        ASSERT_EQ(r.status, 200);
        for (const auto& id : timeline_ids(r.body, room)) seen.push_back(id);
        since = str(parse(r.body), "next_batch");
    }
    EXPECT_EQ(seen, sent);
}

TEST(Simulation, PagesMessagesBackwardsAndForwards) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    std::vector<std::string> sent;
    for (int i = 0; i < 5; ++i) sent.push_back(send_text(hs, alice, room, "m" + std::to_string(i)));
    const std::string base = "/_matrix/client/v3/rooms/" + path_id(room) + "/messages";

    const RawResponse back = call(hs.port(), "GET", base + "?dir=b&limit=3", alice.token);
    ASSERT_EQ(back.status, 200) << back.body;
    const auto page = parse(back.body);
    ASSERT_EQ(page["chunk"].Size(), 3u);
    EXPECT_EQ(str(page["chunk"][0], "event_id"), sent[4]);
    EXPECT_EQ(str(page["chunk"][2], "event_id"), sent[2]);
    const std::string end = str(page, "end");
    const RawResponse older =
        call(hs.port(), "GET", base + "?dir=b&limit=2&from=" + end, alice.token);
    const auto older_page = parse(older.body);
    ASSERT_EQ(older_page["chunk"].Size(), 2u);
    EXPECT_EQ(str(older_page["chunk"][0], "event_id"), sent[1]);
    EXPECT_EQ(str(older_page["chunk"][1], "event_id"), sent[0]);

    // Forwards from where the backwards page ended gives the newer events again, in order.
    const RawResponse forward =
        call(hs.port(), "GET", base + "?dir=f&limit=10&from=" + end, alice.token);
    const auto forward_page = parse(forward.body);
    ASSERT_EQ(forward_page["chunk"].Size(), 3u);
    EXPECT_EQ(str(forward_page["chunk"][0], "event_id"), sent[2]);
    EXPECT_EQ(str(forward_page["chunk"][2], "event_id"), sent[4]);
    EXPECT_FALSE(forward_page.HasMember("end"));
}

TEST(Simulation, RefusesASinceNeverIssuedAndFlagsItInTheJournal) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const RawResponse r = sync(hs, alice, "since=bogus");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(str(parse(r.body), "errcode"), "M_INVALID_PARAM");
    const RawResponse beyond = sync(hs, alice, "since=s999999");
    EXPECT_EQ(beyond.status, 400);
    const auto entries = hs.journal().entries();
    ASSERT_GE(entries.size(), 2u);
    const JournalEntry& entry = entries[entries.size() - 2];
    EXPECT_EQ(entry.answerer, Answerer::simulation);
    ASSERT_EQ(entry.flags.size(), 1u);
    EXPECT_NE(entry.flags[0].find("bogus"), std::string::npos);
}

TEST(Simulation, FlagsTwoConcurrentSyncsOnOneDevice) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string since = str(parse(sync(hs, alice, "").body), "next_batch");
    auto first = std::async(std::launch::async,
                            [&] { return sync(hs, alice, "timeout=500&since=" + since); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const RawResponse second = sync(hs, alice, "timeout=0&since=" + since);
    EXPECT_EQ(second.status, 200);
    EXPECT_EQ(first.get().status, 200);
    bool flagged = false;
    for (const auto& entry : hs.journal().entries()) {
        for (const auto& flag : entry.flags)
            flagged = flagged || flag.find("concurrent") != std::string::npos;
    }
    EXPECT_TRUE(flagged);
}

TEST(Simulation, LetsAMatchingStubWinOverTheSimulation) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    hs.on("whoami").respond_json(200, R"({"user_id":"@stubbed:example.org"})");
    const RawResponse r = call(hs.port(), "GET", "/_matrix/client/v3/account/whoami", alice.token);
    EXPECT_EQ(str(parse(r.body), "user_id"), "@stubbed:example.org");
    EXPECT_NE(hs.journal().entries().back().answerer, Answerer::simulation);
}

TEST(Simulation, AnswersOnR0AndV3PathsAlike) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    for (const std::string version : {"r0", "v3"}) {
        const RawResponse r =
            call(hs.port(), "GET", "/_matrix/client/" + version + "/account/whoami", alice.token);
        EXPECT_EQ(r.status, 200) << version;
        EXPECT_EQ(call(hs.port(), "GET", "/_matrix/client/" + version + "/pushrules/", alice.token)
                      .status,
                  200);
    }
}

TEST(Simulation, ListsVersionsPerProfile) {
    const auto versions = [](VersionsProfile profile) {
        MockHomeserver hs(simulated(profile));
        const auto json = parse(call(hs.port(), "GET", "/_matrix/client/versions").body);
        std::vector<std::string> out;
        for (const auto& v : json["versions"].GetArray()) out.push_back(v.GetString());
        EXPECT_TRUE(json["unstable_features"].IsObject());
        return out;
    };
    EXPECT_EQ(versions(VersionsProfile::r0_only),
              (std::vector<std::string>{"r0.5.0", "r0.6.0", "r0.6.1"}));
    EXPECT_EQ(versions(VersionsProfile::v1_1),
              (std::vector<std::string>{"r0.5.0", "r0.6.0", "r0.6.1", "v1.1"}));
    const auto latest = versions(VersionsProfile::latest);
    ASSERT_EQ(latest.size(), 14u);
    EXPECT_EQ(latest.back(), "v1.11");
}

TEST(Simulation, AnswersUnknownPathsWith404Unrecognized) {
    MockHomeserver hs(simulated());
    const RawResponse r = call(hs.port(), "GET", "/_matrix/client/v3/no/such/endpoint");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(str(parse(r.body), "errcode"), "M_UNRECOGNIZED");
}

TEST(Simulation, JoinsInvitedUsersAndListsMembersAndState) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice, R"({"room_alias_name":"lobby","topic":"t"})");
    const std::string rooms = "/_matrix/client/v3/rooms/" + path_id(room);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/join", bob.token, "{}").status, 403);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/invite", alice.token,
                   R"({"user_id":")" + bob.user_id + R"("})")
                  .status,
              200);
    const auto invited = parse(sync(hs, bob, "").body);
    EXPECT_TRUE(invited["rooms"]["invite"].HasMember(room.c_str()));
    const RawResponse joined =
        call(hs.port(), "POST", "/_matrix/client/v3/join/%23lobby%3Alocalhost", bob.token, "{}");
    ASSERT_EQ(joined.status, 200) << joined.body;
    EXPECT_EQ(str(parse(joined.body), "room_id"), room);
    const auto members = parse(call(hs.port(), "GET", rooms + "/joined_members", bob.token).body);
    EXPECT_TRUE(members["joined"].HasMember(alice.user_id.c_str()));
    EXPECT_TRUE(members["joined"].HasMember(bob.user_id.c_str()));
    const RawResponse topic = call(hs.port(), "GET", rooms + "/state/m.room.topic/", bob.token);
    EXPECT_EQ(str(parse(topic.body), "topic"), "t");
    EXPECT_EQ(
        call(hs.port(), "GET", "/_matrix/client/v3/rooms/%21nope%3Alocalhost/state", bob.token)
            .status,
        404);
}

TEST(Simulation, SeedsUsersRoomsAndEventsThroughTheAdminRoutes) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const RawResponse room_r = call(hs.port(), "POST", "/__admin/sim/rooms", {},
                                    R"({"creator":")" + alice.user_id + R"(","name":"Seeded"})");
    ASSERT_EQ(room_r.status, 200) << room_r.body;
    const std::string room = str(parse(room_r.body), "room_id");
    const std::string since = str(parse(sync(hs, alice, "").body), "next_batch");

    auto held = std::async(std::launch::async,
                           [&] { return sync(hs, alice, "timeout=5000&since=" + since); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const RawResponse injected =
        call(hs.port(), "POST", "/__admin/sim/rooms/" + room + "/events", {},
             R"({"sender":")" + alice.user_id +
                 R"(","type":"m.room.message","content":{"msgtype":"m.text","body":"hi"}})");
    ASSERT_EQ(injected.status, 200) << injected.body;
    EXPECT_EQ(timeline_ids(held.get().body, room),
              std::vector<std::string>{str(parse(injected.body), "event_id")});

    const auto state = parse(call(hs.port(), "GET", "/__admin/sim/state").body);
    EXPECT_EQ(state["users"].Size(), 1u);
    EXPECT_EQ(state["rooms"].Size(), 1u);
    EXPECT_GT(state["stream_position"].GetInt64(), 0);

    const RawResponse bad = call(hs.port(), "POST", "/__admin/sim/users", {}, R"({"username":1})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(str(parse(bad.body), "errcode"), "M_BAD_JSON");
    EXPECT_NE(str(parse(bad.body), "error").find("username"), std::string::npos);

    EXPECT_EQ(call(hs.port(), "POST", "/__admin/sim/reset", {}, "{}").status, 200);
    const auto after = parse(call(hs.port(), "GET", "/__admin/sim/state").body);
    EXPECT_EQ(after["users"].Size(), 0u);
    EXPECT_EQ(call(hs.port(), "GET", "/_matrix/client/v3/account/whoami", alice.token).status, 401);
}

TEST(Simulation, AnswersAHeldSyncAtOnceOnReset) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string since = str(parse(sync(hs, alice, "").body), "next_batch");
    const auto start = std::chrono::steady_clock::now();
    auto held = std::async(std::launch::async,
                           [&] { return sync(hs, alice, "timeout=10000&since=" + since); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    hs.simulation()->reset();
    EXPECT_EQ(held.get().status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Simulation, UploadsAndDownloadsMedia) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const RawResponse up = send_raw(
        hs.port(),
        http_request("POST", "/_matrix/media/v3/upload?filename=a.txt", "bytes!",
                     "Authorization: Bearer " + alice.token + "\r\nContent-Type: text/plain\r\n"));
    ASSERT_EQ(up.status, 200) << up.body;
    const std::string uri = str(parse(up.body), "content_uri");
    ASSERT_EQ(uri.rfind("mxc://localhost/", 0), 0u);
    const std::string id = uri.substr(16);
    const RawResponse down = call(hs.port(), "GET", "/_matrix/media/v3/download/localhost/" + id);
    EXPECT_EQ(down.status, 200);
    EXPECT_EQ(down.body, "bytes!");
    EXPECT_EQ(call(hs.port(), "GET", "/_matrix/client/v1/media/download/localhost/" + id).status,
              401);
    // Text cannot be thumbnailed: the spec's 400, not the original bytes.
    const RawResponse text_thumbnail = call(
        hs.port(), "GET",
        "/_matrix/client/v1/media/thumbnail/localhost/" + id + "?width=32&height=32", alice.token);
    EXPECT_EQ(text_thumbnail.status, 400);
    EXPECT_NE(text_thumbnail.body.find("M_UNKNOWN"), std::string::npos) << text_thumbnail.body;
}

TEST(Simulation, ThumbnailsAnImageWithItselfAndRefusesAMissingSize) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string png("\x89PNG\r\n\x1a\n", 8);
    const RawResponse up = send_raw(hs.port(), http_request("POST", "/_matrix/media/v3/upload", png,
                                                            "Authorization: Bearer " + alice.token +
                                                                "\r\nContent-Type: image/png\r\n"));
    ASSERT_EQ(up.status, 200) << up.body;
    const std::string id = str(parse(up.body), "content_uri").substr(16);
    const std::string thumbnail = "/_matrix/client/v1/media/thumbnail/localhost/" + id;
    const RawResponse image =
        call(hs.port(), "GET", thumbnail + "?width=32&height=32", alice.token);
    EXPECT_EQ(image.status, 200);
    EXPECT_EQ(image.body, png);
    const RawResponse no_height = call(hs.port(), "GET", thumbnail + "?width=32", alice.token);
    EXPECT_EQ(no_height.status, 400);
    EXPECT_NE(no_height.body.find("M_MISSING_PARAM"), std::string::npos) << no_height.body;
    const RawResponse zero = call(hs.port(), "GET", thumbnail + "?width=0&height=32", alice.token);
    EXPECT_EQ(zero.status, 400);
    EXPECT_NE(zero.body.find("M_INVALID_PARAM"), std::string::npos) << zero.body;
}

TEST(Simulation, ChangesThePasswordAfterUserInteractiveAuth) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string path = "/_matrix/client/v3/account/password";
    EXPECT_EQ(call(hs.port(), "POST", path, alice.token, R"({"new_password":"new"})").status, 401);
    EXPECT_EQ(call(hs.port(), "POST", path, alice.token,
                   R"({"new_password":"new","auth":{"type":"m.login.password","password":"pw"}})")
                  .status,
              200);
    const auto login = [&](const std::string& password) {
        return call(
                   hs.port(), "POST", "/_matrix/client/v3/login", {},
                   R"({"type":"m.login.password","user":"alice","password":")" + password + R"("})")
            .status;
    };
    EXPECT_EQ(login("pw"), 403);
    EXPECT_EQ(login("new"), 200);
}

TEST(Simulation, RefusesLoginAfterDeactivation) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    EXPECT_EQ(call(hs.port(), "POST", "/_matrix/client/v3/account/deactivate", alice.token,
                   R"({"auth":{"type":"m.login.dummy"}})")
                  .status,
              200);
    EXPECT_EQ(call(hs.port(), "GET", "/_matrix/client/v3/account/whoami", alice.token).status, 401);
    EXPECT_EQ(call(hs.port(), "POST", "/_matrix/client/v3/login", {},
                   R"({"type":"m.login.password","user":"alice","password":"pw"})")
                  .status,
              403);
}

TEST(Simulation, ReportsUsernameAvailabilityAndRegistersGuestsAndInhibitedLogins) {
    MockHomeserver hs(simulated());
    add_user(hs, "taken");
    const std::string available = "/_matrix/client/v3/register/available?username=";
    EXPECT_EQ(call(hs.port(), "GET", available + "free").status, 200);
    EXPECT_EQ(str(parse(call(hs.port(), "GET", available + "taken").body), "errcode"),
              "M_USER_IN_USE");
    EXPECT_EQ(str(parse(call(hs.port(), "GET", available + "Bad%20Name").body), "errcode"),
              "M_INVALID_USERNAME");
    const RawResponse guest =
        call(hs.port(), "POST", "/_matrix/client/v3/register?kind=guest", {}, "{}");
    ASSERT_EQ(guest.status, 200) << guest.body;
    const auto whoami = parse(call(hs.port(), "GET", "/_matrix/client/v3/account/whoami",
                                   str(parse(guest.body), "access_token"))
                                  .body);
    EXPECT_TRUE(whoami["is_guest"].GetBool());
    const auto inhibited = parse(
        call(
            hs.port(), "POST", "/_matrix/client/v3/register", {},
            R"({"username":"quiet","password":"p","inhibit_login":true,"auth":{"type":"m.login.dummy"}})")
            .body);
    EXPECT_EQ(str(inhibited, "user_id"), "@quiet:localhost");
    EXPECT_FALSE(inhibited.HasMember("access_token"));
}

TEST(Simulation, StoresProfilesAndShowsTheDisplayNameInMemberEvents) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string profile = "/_matrix/client/v3/profile/%40alice%3Alocalhost";
    EXPECT_EQ(call(hs.port(), "PUT", profile + "/displayname", alice.token,
                   R"({"displayname":"Alice A."})")
                  .status,
              200);
    EXPECT_EQ(str(parse(call(hs.port(), "GET", profile).body), "displayname"), "Alice A.");
    const RawResponse member = call(
        hs.port(), "GET",
        "/_matrix/client/v3/rooms/" + path_id(room) + "/state/m.room.member/%40alice%3Alocalhost",
        alice.token);
    EXPECT_EQ(str(parse(member.body), "displayname"), "Alice A.");
}

TEST(Simulation, KeepsAccountDataAndFiltersAndAppliesTheTimelineLimit) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string user = "/_matrix/client/v3/user/%40alice%3Alocalhost";
    EXPECT_EQ(
        call(hs.port(), "PUT", user + "/account_data/m.direct", alice.token, R"({"a":1})").status,
        200);
    EXPECT_EQ(call(hs.port(), "GET", user + "/account_data/m.direct", alice.token).body,
              R"({"a":1})");
    EXPECT_EQ(call(hs.port(), "GET", user + "/account_data/none", alice.token).status, 404);
    const RawResponse filter = call(hs.port(), "POST", user + "/filter", alice.token,
                                    R"({"room":{"timeline":{"limit":2}}})");
    const std::string filter_id = str(parse(filter.body), "filter_id");
    ASSERT_FALSE(filter_id.empty());
    EXPECT_EQ(call(hs.port(), "GET", user + "/filter/" + filter_id, alice.token).body,
              R"({"room":{"timeline":{"limit":2}}})");

    const std::string room = create_room(hs, alice);
    for (int i = 0; i < 4; ++i) send_text(hs, alice, room, std::to_string(i));
    const RawResponse r = sync(hs, alice, "filter=" + filter_id);
    const auto json = parse(r.body);
    const auto& timeline = json["rooms"]["join"][room.c_str()]["timeline"];
    EXPECT_EQ(timeline["events"].Size(), 2u);
    EXPECT_TRUE(timeline["limited"].GetBool());
    EXPECT_EQ(str(json["account_data"]["events"][0], "type"), "m.direct");
}

TEST(Simulation, RedactsAnEventAndFetchesEventsById) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string event_id = send_text(hs, alice, room, "t");
    const std::string rooms = "/_matrix/client/v3/rooms/" + path_id(room);
    const std::string encoded_event = "%24" + event_id.substr(1);
    const auto before =
        parse(call(hs.port(), "GET", rooms + "/event/" + encoded_event, alice.token).body);
    EXPECT_EQ(str(before["content"], "body"), "hello");
    const RawResponse redaction =
        call(hs.port(), "PUT", rooms + "/redact/" + encoded_event + "/r1", alice.token, "{}");
    ASSERT_EQ(redaction.status, 200) << redaction.body;
    const auto after =
        parse(call(hs.port(), "GET", rooms + "/event/" + encoded_event, alice.token).body);
    EXPECT_TRUE(after["content"].ObjectEmpty());
    EXPECT_EQ(call(hs.port(), "GET", rooms + "/event/%24nope", alice.token).status, 404);
}

TEST(Simulation, AcceptsTypingReceiptsAndReadMarkers) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string event_id = send_text(hs, alice, room, "t");
    const std::string rooms = "/_matrix/client/v3/rooms/" + path_id(room);
    EXPECT_EQ(call(hs.port(), "PUT", rooms + "/typing/%40alice%3Alocalhost", alice.token,
                   R"({"typing":true,"timeout":3000})")
                  .status,
              200);
    EXPECT_EQ(
        call(hs.port(), "POST", rooms + "/receipt/m.read/" + event_id, alice.token, "{}").status,
        200);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/read_markers", alice.token,
                   R"({"m.fully_read":")" + event_id + R"("})")
                  .status,
              200);
}

TEST(Simulation, ShowsALeftRoomUnderLeaveAndEnforcesBans) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    const std::string rooms = "/_matrix/client/v3/rooms/" + path_id(room);
    ASSERT_EQ(call(hs.port(), "POST", rooms + "/join", bob.token, "{}").status, 200);
    const std::string since = str(parse(sync(hs, bob, "").body), "next_batch");
    const std::string bob_body = R"({"user_id":")" + bob.user_id + R"("})";
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/kick", alice.token, bob_body).status, 200);
    const auto after_kick = parse(sync(hs, bob, "since=" + since).body);
    EXPECT_TRUE(after_kick["rooms"]["leave"].HasMember(room.c_str()));
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/ban", alice.token, bob_body).status, 200);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/join", bob.token, "{}").status, 403);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/unban", alice.token, bob_body).status, 200);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/join", bob.token, "{}").status, 200);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/leave", bob.token, "{}").status, 200);
    EXPECT_EQ(call(hs.port(), "GET", rooms + "/messages?dir=b", bob.token).status, 403);
    const auto joined =
        parse(call(hs.port(), "GET", "/_matrix/client/v3/joined_rooms", bob.token).body);
    EXPECT_EQ(joined["joined_rooms"].Size(), 0u);
}

TEST(Simulation, MapsRoomAliasesThroughTheDirectory) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string alias = "/_matrix/client/v3/directory/room/%23home%3Alocalhost";
    EXPECT_EQ(call(hs.port(), "PUT", alias, alice.token, R"({"room_id":")" + room + R"("})").status,
              200);
    EXPECT_EQ(str(parse(call(hs.port(), "GET", alias, alice.token).body), "room_id"), room);
    EXPECT_EQ(call(hs.port(), "DELETE", alias, alice.token).status, 200);
    EXPECT_EQ(call(hs.port(), "GET", alias, alice.token).status, 404);
}

TEST(Simulation, RefusesUploadsBeyondTheMediaCapacity) {
    MockHomeserverOptions options = simulated();
    options.simulation_options.media_capacity_bytes = 8;
    MockHomeserver hs(options);
    const Account alice = add_user(hs, "alice");
    const RawResponse r =
        call(hs.port(), "POST", "/_matrix/media/v3/upload", alice.token, "more than eight bytes");
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(str(parse(r.body), "errcode"), "M_TOO_LARGE");
}

TEST(Simulation, ListsDevicesAndKeepsPresence) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const auto devices =
        parse(call(hs.port(), "GET", "/_matrix/client/v3/devices", alice.token).body);
    EXPECT_EQ(devices["devices"].Size(), 1u);
    const std::string status = "/_matrix/client/v3/presence/%40alice%3Alocalhost/status";
    EXPECT_EQ(call(hs.port(), "PUT", status, alice.token, R"({"presence":"online"})").status, 200);
    EXPECT_EQ(str(parse(call(hs.port(), "GET", status, alice.token).body), "presence"), "online");
}

TEST(Simulation, KeepsRoomAccountDataAndSyncsItWithTheRoom) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string since = str(parse(sync(hs, alice, "").body), "next_batch");
    const std::string path = "/_matrix/client/v3/user/%40alice%3Alocalhost/rooms/" + path_id(room) +
                             "/account_data/m.tag";
    EXPECT_EQ(call(hs.port(), "PUT", path, alice.token, R"({"tags":{}})").status, 200);
    EXPECT_EQ(call(hs.port(), "GET", path, alice.token).body, R"({"tags":{}})");
    const auto json = parse(sync(hs, alice, "timeout=1000&since=" + since).body);
    const auto& data = json["rooms"]["join"][room.c_str()]["account_data"]["events"];
    ASSERT_EQ(data.Size(), 1u);
    EXPECT_EQ(str(data[0], "type"), "m.tag");
}

TEST(Simulation, DecodesEncodedBangsAndColonsInRoomIds) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string encoded = "%21" + room.substr(1, room.find(':') - 1) + "%3Alocalhost";
    EXPECT_EQ(call(hs.port(), "GET", "/_matrix/client/v3/rooms/" + encoded + "/state", alice.token)
                  .status,
              200);
    EXPECT_EQ(
        call(hs.port(), "GET", "/_matrix/client/v3/rooms/" + room + "/state", alice.token).status,
        200);
}

TEST(Simulation, ListsPublishedRoomsAndMergesPowerLevelOverrides) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(
        hs, alice,
        R"({"visibility":"public","preset":"public_chat","name":"Lobby","power_level_content_override":{"events_default":50}})");
    create_room(hs, alice, R"({"name":"Hidden"})");
    const auto listed = parse(call(hs.port(), "GET", "/_matrix/client/v3/publicRooms").body);
    ASSERT_EQ(listed["chunk"].Size(), 1u);
    EXPECT_EQ(str(listed["chunk"][0], "room_id"), room);
    EXPECT_EQ(str(listed["chunk"][0], "name"), "Lobby");
    const auto levels =
        parse(call(hs.port(), "GET",
                   "/_matrix/client/v3/rooms/" + path_id(room) + "/state/m.room.power_levels/",
                   alice.token)
                  .body);
    EXPECT_EQ(levels["events_default"].GetInt(), 50);
    EXPECT_EQ(levels["users"][alice.user_id.c_str()].GetInt(), 100);
}

TEST(Simulation, PagesAndFiltersPublicRooms) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    for (const char* name : {"Chocolate", "Cocoa", "Coffee", "Tea"}) {
        create_room(hs, alice,
                    std::string(R"({"visibility":"public","preset":"public_chat","name":")") +
                        name + "\"}");
    }
    const auto first = parse(call(hs.port(), "GET", "/_matrix/client/r0/publicRooms?limit=3").body);
    ASSERT_EQ(first["chunk"].Size(), 3u);
    EXPECT_EQ(first["total_room_count_estimate"].GetInt(), 4);
    const std::string next = str(first, "next_batch");
    const auto second =
        parse(call(hs.port(), "GET", "/_matrix/client/r0/publicRooms?limit=3&since=" + next).body);
    ASSERT_EQ(second["chunk"].Size(), 1u);
    std::set<std::string> names;
    for (const auto* page : {&first, &second}) {
        for (const auto& room : (*page)["chunk"].GetArray()) names.insert(str(room, "name"));
    }
    EXPECT_EQ(names, (std::set<std::string>{"Chocolate", "Cocoa", "Coffee", "Tea"}))
        << "the two pages hold every room once";
    EXPECT_FALSE(second.HasMember("next_batch"));
    EXPECT_EQ(str(second, "prev_batch"), "p0");

    const auto filtered = parse(call(hs.port(), "POST", "/_matrix/client/v3/publicRooms",
                                     alice.token, R"({"filter":{"generic_search_term":"co"}})")
                                    .body);
    ASSERT_EQ(filtered["chunk"].Size(), 3u) << "Chocolate, Cocoa and Coffee contain 'co'";
    EXPECT_EQ(call(hs.port(), "GET", "/_matrix/client/v3/publicRooms?since=bogus").status, 400);
    EXPECT_EQ(call(hs.port(), "POST", "/_matrix/client/v3/publicRooms", {}, "{}").status, 401);
}

}  // namespace
}  // namespace matrix::mock
