// Seeding the simulation: the typed in-process API (MockHomeserver::add_user, create_room,
// send, inject_event), the admin routes built on it, and seed files. Each seeded thing is
// checked through what a client sees, and each refusal by the key it names.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "matrix/mock/seed_file.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

// The SeedError `seed` throws; fails the test when it throws none.
template <typename Seed>
SeedError refusal(Seed&& seed) {
    try {
        seed();
    } catch (const SeedError& refused) {
        return refused;
    }
    ADD_FAILURE() << "expected a SeedError";
    return SeedError("", "none");
}

std::string error_of(const RawResponse& response) { return str(parse(response.body), "error"); }

// The bodies of the room's timeline events in a sync answer, oldest first.
std::vector<std::string> bodies_in(const std::string& sync_body, const std::string& room) {
    std::vector<std::string> bodies;
    const auto json = parse(sync_body);
    const auto& join = json["rooms"]["join"];
    if (!join.HasMember(room.c_str())) return bodies;
    for (const auto& event : join[room.c_str()]["timeline"]["events"].GetArray()) {
        if (str(event, "type") == "m.room.message") bodies.push_back(str(event["content"], "body"));
    }
    return bodies;
}

TEST(SimulationSeeding, ASeededUsersTokenWorksAndSyncShowsTheSeededRoomAndMessages) {
    MockHomeserver hs({.simulation = true});  // as docs/seeding.md writes it (-Werror here)
    const Session alice = hs.add_user("alice", "secret");
    const Session bob =
        hs.add_user("@bob:localhost", "pw", {.displayname = "Bob", .device_id = "BOBPHONE"});
    EXPECT_EQ(alice.user_id, "@alice:localhost");
    EXPECT_EQ(bob.device_id, "BOBPHONE");

    const RawResponse whoami = call(hs.port(), "GET", kV3 + "/account/whoami", alice.access_token);
    ASSERT_EQ(whoami.status, 200) << whoami.body;
    EXPECT_EQ(str(parse(whoami.body), "user_id"), alice.user_id);
    EXPECT_EQ(str(parse(whoami.body), "device_id"), alice.device_id);

    const std::string room =
        hs.create_room(alice, {.name = "Seeded", .topic = "t", .members = {"bob"}});
    const std::string first = hs.send(room, "alice", "hello");
    const std::string second = hs.send(room, bob.user_id, "hi alice");
    EXPECT_NE(first, second);

    const Account bob_account{bob.user_id, bob.access_token};
    const RawResponse synced = sync(hs, bob_account, "");
    ASSERT_EQ(synced.status, 200) << synced.body;
    EXPECT_EQ(bodies_in(synced.body, room), (std::vector<std::string>{"hello", "hi alice"}));
    const RawResponse name =
        call(hs.port(), "GET", kV3 + "/rooms/" + path_id(room) + "/state/m.room.name/",
             bob.access_token);
    ASSERT_EQ(name.status, 200) << name.body;
    EXPECT_EQ(str(parse(name.body), "name"), "Seeded");
    // Bob joined with his display name, as a join through the client API would say it.
    const RawResponse member = call(
        hs.port(), "GET", kV3 + "/rooms/" + path_id(room) + "/state/m.room.member/" + bob.user_id,
        alice.access_token);
    EXPECT_EQ(str(parse(member.body), "membership"), "join");
    EXPECT_EQ(str(parse(member.body), "displayname"), "Bob");
}

TEST(SimulationSeeding, InjectedStateEventsAndInvitesAreRoomState) {
    MockHomeserver hs(simulated());
    const Session alice = hs.add_user("alice", "secret");
    const Session carol = hs.add_user("carol", "secret");
    const std::string room = hs.create_room(
        "alice", {.room_alias_name = "lounge",
                  .invite = {"carol"},
                  .initial_state = {{"m.room.avatar", "", Json::parse(R"({"url":"mxc://x/y"})")}}});
    hs.inject_event(room, "alice", "m.room.topic", Json::parse(R"({"topic":"injected"})"), "");

    const auto state_of = [&](const std::string& type) {
        return parse(call(hs.port(), "GET",
                          kV3 + "/rooms/" + path_id(room) + "/state/" + type + "/",
                          alice.access_token)
                         .body);
    };
    EXPECT_EQ(str(state_of("m.room.topic"), "topic"), "injected");
    EXPECT_EQ(str(state_of("m.room.avatar"), "url"), "mxc://x/y");
    const RawResponse alias =
        call(hs.port(), "GET", kV3 + "/directory/room/%23lounge%3Alocalhost", alice.access_token);
    EXPECT_EQ(str(parse(alias.body), "room_id"), room) << alias.body;
    const auto carol_sync = parse(sync(hs, {carol.user_id, carol.access_token}, "").body);
    EXPECT_TRUE(carol_sync["rooms"]["invite"].HasMember(room.c_str()));
}

TEST(SimulationSeeding, RefusalsNameTheKeyAndStoreNothing) {
    MockHomeserver hs(simulated());
    const Session alice = hs.add_user("alice", "secret");

    const SeedError duplicate = refusal([&] { hs.add_user("alice", "again"); });
    EXPECT_EQ(duplicate.key(), "username");
    EXPECT_EQ(duplicate.errcode(), "M_USER_IN_USE");
    EXPECT_NE(std::string(duplicate.what()).find("@alice:localhost already exists"),
              std::string::npos)
        << duplicate.what();
    EXPECT_EQ(refusal([&] { hs.add_user("Not Valid", "pw"); }).key(), "username");
    EXPECT_EQ(refusal([&] { hs.add_user("@eve:elsewhere", "pw"); }).key(), "username");

    const SeedError member = refusal([&] {
        hs.create_room(alice, {.members = {"alice2", "@nobody:localhost"}});
    });
    EXPECT_EQ(member.key(), "members[0]");
    EXPECT_STREQ(member.what(), "members[0]: no user \"@alice2:localhost\" (add the user first)");
    EXPECT_EQ(refusal([&] { hs.create_room("nobody"); }).key(), "creator");
    EXPECT_EQ(refusal([&] { hs.create_room(alice, {.members = {"alice"}}); }).key(), "members[0]");
    EXPECT_EQ(refusal([&] { hs.create_room(alice, {.preset = "open"}); }).key(), "preset");
    EXPECT_EQ(
        refusal([&] {
            hs.create_room(alice, {.initial_state = {{"m.room.topic", "", Json::parse("[]")}}});
        }).key(),
        "initial_state[0].content");
    const auto state = parse(call(hs.port(), "GET", "/__admin/sim/state").body);
    EXPECT_EQ(state["rooms"].Size(), 0u);
    EXPECT_EQ(state["users"].Size(), 1u);

    const std::string room = hs.create_room(alice);
    EXPECT_EQ(refusal([&] { hs.inject_event(room, "alice", "m.x", Json::parse("1")); }).key(),
              "content");
    EXPECT_EQ(refusal([&] { hs.send(room, "", "hi"); }).key(), "sender");
    const SeedError no_room = refusal([&] { hs.send("!missing:localhost", "alice", "hi"); });
    EXPECT_EQ(no_room.status(), 404);
    EXPECT_EQ(no_room.errcode(), "M_NOT_FOUND");
}

TEST(SimulationSeeding, TheStateBudgetRefusesASeedWhole) {
    MockHomeserverOptions options = simulated();
    options.simulation_options.state_capacity_bytes = 4096;
    MockHomeserver hs(options);
    const Session alice = hs.add_user("alice", "secret");
    const SeedError full =
        refusal([&] { hs.create_room(alice, {.topic = std::string(8192, 't')}); });
    EXPECT_EQ(full.errcode(), "M_RESOURCE_LIMIT_EXCEEDED");
    EXPECT_EQ(full.status(), 403);
    EXPECT_EQ(parse(call(hs.port(), "GET", "/__admin/sim/state").body)["rooms"].Size(), 0u);
}

TEST(SimulationSeeding, WithTheSimulationOffSeedingSaysHowToTurnItOn) {
    MockHomeserver hs;
    const SeedError off = refusal([&] { hs.add_user("alice", "secret"); });
    EXPECT_NE(std::string(off.what()).find("MockHomeserverOptions{.simulation = true}"),
              std::string::npos)
        << off.what();
    EXPECT_THROW(hs.create_room("alice"), SeedError);
    EXPECT_THROW(hs.send("!r:localhost", "alice", "hi"), SeedError);
    EXPECT_THROW(hs.inject_event("!r:localhost", "alice", "m.x", Json()), SeedError);
}

TEST(SimulationSeeding, AdminRoutesRefuseUnknownKeysNamingThemAndTheAllowedOnes) {
    MockHomeserver hs(simulated());
    const RawResponse user = call(hs.port(), "POST", "/__admin/sim/users", {},
                                  R"({"username":"alice","password":"pw","display_name":"A"})");
    EXPECT_EQ(user.status, 400);
    EXPECT_EQ(errcode(user), "M_BAD_JSON");
    EXPECT_EQ(error_of(user),
              "display_name: is not a known key (expected one of: username, password, "
              "displayname, device_id)");
    const Account alice = add_user(hs, "alice");

    const RawResponse room =
        call(hs.port(), "POST", "/__admin/sim/rooms", {}, R"({"creator":"alice","alias":"x"})");
    EXPECT_EQ(room.status, 400);
    EXPECT_EQ(errcode(room), "M_BAD_JSON");
    EXPECT_EQ(error_of(room).rfind("alias: is not a known key (expected one of: creator, ", 0), 0u)
        << error_of(room);
    const RawResponse nested =
        call(hs.port(), "POST", "/__admin/sim/rooms", {},
             R"({"creator":"alice","initial_state":[{"type":"m.room.topic","stateKey":""}]})");
    EXPECT_EQ(nested.status, 400);
    EXPECT_EQ(error_of(nested).rfind("initial_state[0].stateKey: is not a known key", 0), 0u)
        << error_of(nested);
    const RawResponse twice = call(hs.port(), "POST", "/__admin/sim/users", {},
                                   R"({"username":"a","password":"p","username":"b"})");
    EXPECT_EQ(error_of(twice), "username: is given twice");

    const RawResponse made = call(hs.port(), "POST", "/__admin/sim/rooms", {},
                                  R"({"creator":"alice","members":["@bob:localhost"]})");
    EXPECT_EQ(made.status, 400);
    EXPECT_EQ(error_of(made), "members[0]: no user \"@bob:localhost\" (add the user first)");

    const std::string room_id = create_room(hs, alice);
    const RawResponse event =
        call(hs.port(), "POST", "/__admin/sim/rooms/" + room_id + "/events", {},
             R"({"sender":"alice","type":"m.room.message","content":{},"body":"hi"})");
    EXPECT_EQ(event.status, 400);
    EXPECT_EQ(error_of(event),
              "body: is not a known key (expected one of: sender, type, content, state_key)");
    const auto state = parse(call(hs.port(), "GET", "/__admin/sim/state").body);
    EXPECT_EQ(state["users"].Size(), 1u);
    EXPECT_EQ(state["rooms"].Size(), 1u);
    EXPECT_EQ(state["rooms"][0]["event_count"].GetInt64(), 6);  // createRoom's, nothing injected
}

TEST(SimulationSeeding, AdminRoomsTakeMembersWhoAreJoined) {
    MockHomeserver hs(simulated());
    add_user(hs, "alice");
    add_user(hs, "bob");
    const RawResponse made =
        call(hs.port(), "POST", "/__admin/sim/rooms", {},
             R"({"creator":"@alice:localhost","members":["bob"],"name":"Both"})");
    ASSERT_EQ(made.status, 200) << made.body;
    const auto state = parse(call(hs.port(), "GET", "/__admin/sim/state").body);
    EXPECT_EQ(str(state["rooms"][0]["members"], "@bob:localhost"), "join");
    EXPECT_EQ(str(state["rooms"][0]["members"], "@alice:localhost"), "join");
}

TEST(SimulationSeeding, TheExampleSeedFileSeedsUsersRoomsStateAndMessages) {
    MockHomeserver hs(simulated());
    const std::vector<Session> sessions = seed_from_file(*hs.simulation(), MATRIX_SEED_EXAMPLE);
    ASSERT_EQ(sessions.size(), 3u);
    EXPECT_EQ(sessions[1].user_id, "@bob:localhost");
    EXPECT_EQ(sessions[1].device_id, "BOBPHONE");

    const Account bob{sessions[1].user_id, sessions[1].access_token};
    const auto synced = parse(sync(hs, bob, "").body);
    const auto& joined = synced["rooms"]["join"];
    ASSERT_EQ(joined.MemberCount(), 2u);
    const RawResponse general =
        call(hs.port(), "GET", kV3 + "/directory/room/%23general%3Alocalhost", bob.token);
    ASSERT_EQ(general.status, 200) << general.body;
    const std::string general_id = str(parse(general.body), "room_id");
    EXPECT_EQ(bodies_in(sync(hs, bob, "").body, general_id),
              (std::vector<std::string>{"Welcome to General", "Hi Alice", "Be nice"}));
    const Account carol{sessions[2].user_id, sessions[2].access_token};
    EXPECT_TRUE(parse(sync(hs, carol, "").body)["rooms"]["invite"].HasMember(general_id.c_str()));
}

TEST(SimulationSeeding, ABadSeedFileIsRefusedNamingFileAndKeyPath) {
    const auto error_for = [](const std::string& text) -> std::string {
        MockHomeserver hs(simulated());
        try {
            seed_from_text(*hs.simulation(), text, "seed.json");
        } catch (const SeedFileError& bad) {
            return bad.what();
        }
        return "no error";
    };
    EXPECT_EQ(error_for(R"({"users":[{"username":"alice","password":"pw"}],
                            "rooms":[{"creator":"alice"},
                                     {"creator":"alice","members":["@bob:localhost"]}]})"),
              "seed.json: rooms[1].members[0]: no user \"@bob:localhost\" (add the user first)");
    EXPECT_EQ(error_for(R"({"user":[]})"),
              "seed.json: user: is not a known key (expected one of: users, rooms)");
    EXPECT_EQ(
        error_for(R"({"users":[{"username":"a","password":"p"},{"username":"a","password":"p"}]})"),
        "seed.json: users[1].username: @a:localhost already exists");
    EXPECT_EQ(error_for(R"({"users":[{"username":"a","password":"p"}],
                            "rooms":[{"creator":"a","messages":[{"sender":"a","bdy":"x"}]}]})"),
              "seed.json: rooms[0].messages[0].bdy: is not a known key (expected one of: sender, "
              "body, type, content, state_key)");
    EXPECT_EQ(error_for(R"({"users":[{"username":"a","password":"p"}],
                            "rooms":[{"creator":"a","messages":[{"sender":"a","body":7}]}]})"),
              "seed.json: rooms[0].messages[0].body: must be a string");
    EXPECT_EQ(error_for(R"({"rooms":{}})"), "seed.json: rooms: must be an array of objects");
    EXPECT_EQ(error_for("[]").rfind("seed.json: must be a JSON object", 0), 0u);
    EXPECT_EQ(error_for("{").rfind("seed.json: not valid JSON: ", 0), 0u) << error_for("{");
    MockHomeserverOptions small = simulated();
    small.simulation_options.state_capacity_bytes = 4096;
    MockHomeserver full(small);
    try {
        seed_from_text(*full.simulation(),
                       R"({"users":[{"username":"a","password":"p"}],
                           "rooms":[{"creator":"a","topic":")" +
                           std::string(8192, 't') + R"("}]})",
                       "seed.json");
        ADD_FAILURE() << "a room past the state budget was seeded";
    } catch (const SeedFileError& bad) {
        EXPECT_EQ(
            std::string(bad.what()).rfind("seed.json: rooms[0]: The simulation holds about ", 0),
            0u)
            << bad.what();
    }
    MockHomeserver hs(simulated());
    try {
        seed_from_file(*hs.simulation(), "/nonexistent/seed.json");
        ADD_FAILURE() << "a missing file was accepted";
    } catch (const SeedFileError& bad) {
        EXPECT_EQ(std::string(bad.what()),
                  "/nonexistent/seed.json: cannot be read (does it exist?)");
    }
}

}  // namespace
}  // namespace matrix::mock
