// The simulation's answers beyond rooms, events and sync, over real sockets: event context, tags,
// directory visibility, local aliases, room summaries, space hierarchies, content reports,
// pushers, the user directory and device deletion. Each has its success, its refusal, and where
// it writes, the read that shows the write.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

std::vector<std::string> ids_in(const rapidjson::Value& events) {
    std::vector<std::string> ids;
    for (const auto& event : events.GetArray()) ids.push_back(str(event, "event_id"));
    return ids;
}

// ---- getEventContext ----------------------------------------------------------------------

TEST(SimulationRoomExtras, EventContextSurroundsTheEventAndItsTokensPageOnward) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    std::vector<std::string> sent;
    for (int i = 0; i < 5; ++i) sent.push_back(send_text(hs, alice, room, "t" + std::to_string(i)));
    const std::string base = kV3 + "/rooms/" + path_id(room);

    const RawResponse r =
        call(hs.port(), "GET", base + "/context/" + sent[2] + "?limit=2", alice.token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto json = parse(r.body);
    EXPECT_EQ(str(json["event"], "event_id"), sent[2]);
    EXPECT_EQ(ids_in(json["events_before"]), std::vector<std::string>{sent[1]});
    EXPECT_EQ(ids_in(json["events_after"]), std::vector<std::string>{sent[3]});
    bool has_create = false;
    for (const auto& event : json["state"].GetArray())
        has_create |= str(event, "type") == "m.room.create";
    EXPECT_TRUE(has_create);

    // start pages backwards from just before events_before, end forwards from after events_after.
    const auto back =
        parse(call(hs.port(), "GET", base + "/messages?dir=b&limit=1&from=" + str(json, "start"),
                   alice.token)
                  .body);
    EXPECT_EQ(ids_in(back["chunk"]), std::vector<std::string>{sent[0]});
    const auto forward =
        parse(call(hs.port(), "GET", base + "/messages?dir=f&limit=1&from=" + str(json, "end"),
                   alice.token)
                  .body);
    EXPECT_EQ(ids_in(forward["chunk"]), std::vector<std::string>{sent[4]});

    // limit=0 still returns the event itself, and nothing around it.
    const auto bare =
        parse(call(hs.port(), "GET", base + "/context/" + sent[2] + "?limit=0", alice.token).body);
    EXPECT_EQ(str(bare["event"], "event_id"), sent[2]);
    EXPECT_EQ(bare["events_before"].Size(), 0u);
    EXPECT_EQ(bare["events_after"].Size(), 0u);
}

TEST(SimulationRoomExtras, EventContextRefusesStrangersAndUnknownEvents) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice);
    const std::string event = send_text(hs, alice, room, "t1");
    const std::string base = kV3 + "/rooms/" + path_id(room) + "/context/";
    EXPECT_EQ(call(hs.port(), "GET", base + event).status, 401);
    EXPECT_EQ(errcode(call(hs.port(), "GET", base + event)), "M_MISSING_TOKEN");
    EXPECT_EQ(call(hs.port(), "GET", base + event, bob.token).status, 403);
    const RawResponse unknown = call(hs.port(), "GET", base + "%24nope%3Alocalhost", alice.token);
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(errcode(unknown), "M_NOT_FOUND");
    EXPECT_EQ(call(hs.port(), "GET", base + event + "?limit=x", alice.token).status, 400);
}

// ---- tags -----------------------------------------------------------------------------------

TEST(SimulationRoomExtras, TagsAreRoomAccountDataThatSyncShows) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string tags =
        kV3 + "/user/" + path_id(alice.user_id) + "/rooms/" + path_id(room) + "/tags";
    EXPECT_EQ(call(hs.port(), "GET", tags, alice.token).body, R"({"tags":{}})");
    EXPECT_EQ(call(hs.port(), "PUT", tags + "/u.work", alice.token, R"({"order":0.25})").status,
              200);
    EXPECT_EQ(call(hs.port(), "PUT", tags + "/m.favourite", alice.token, "{}").status, 200);

    const auto listed = parse(call(hs.port(), "GET", tags, alice.token).body);
    ASSERT_TRUE(listed["tags"].HasMember("u.work"));
    EXPECT_DOUBLE_EQ(listed["tags"]["u.work"]["order"].GetDouble(), 0.25);
    EXPECT_TRUE(listed["tags"].HasMember("m.favourite"));

    const auto synced = parse(sync(hs, alice, "timeout=0").body);
    bool found = false;
    for (const auto& event :
         synced["rooms"]["join"][room.c_str()]["account_data"]["events"].GetArray()) {
        if (str(event, "type") == "m.tag") found = event["content"]["tags"].HasMember("u.work");
    }
    EXPECT_TRUE(found) << "m.tag missing from /sync";

    EXPECT_EQ(call(hs.port(), "DELETE", tags + "/u.work", alice.token).status, 200);
    const auto after = parse(call(hs.port(), "GET", tags, alice.token).body);
    EXPECT_FALSE(after["tags"].HasMember("u.work"));
    EXPECT_TRUE(after["tags"].HasMember("m.favourite"));
    // Deleting a tag that is not there is no error.
    EXPECT_EQ(call(hs.port(), "DELETE", tags + "/u.never", alice.token).status, 200);
}

TEST(SimulationRoomExtras, TagsOfAnotherUserAreRefused) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice);
    const std::string alices =
        kV3 + "/user/" + path_id(alice.user_id) + "/rooms/" + path_id(room) + "/tags";
    EXPECT_EQ(call(hs.port(), "GET", alices, bob.token).status, 403);
    EXPECT_EQ(call(hs.port(), "PUT", alices + "/u.x", bob.token, "{}").status, 403);
    EXPECT_EQ(call(hs.port(), "PUT", alices + "/u.x", alice.token, R"({"order":"high"})").status,
              400);
    EXPECT_EQ(call(hs.port(), "GET", alices).status, 401);
}

// ---- directory visibility and local aliases ---------------------------------------------------

TEST(SimulationRoomExtras, PublishingARoomShowsInItsVisibilityAndThePublicRoomList) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice, R"({"name":"Lobby"})");
    const std::string path = kV3 + "/directory/list/room/" + path_id(room);
    EXPECT_EQ(call(hs.port(), "GET", path).body, R"({"visibility":"private"})");
    EXPECT_EQ(call(hs.port(), "PUT", path, alice.token, R"({"visibility":"public"})").status, 200);
    EXPECT_EQ(call(hs.port(), "GET", path).body, R"({"visibility":"public"})");
    const auto listed = parse(call(hs.port(), "GET", kV3 + "/publicRooms").body);
    ASSERT_EQ(listed["chunk"].Size(), 1u);
    EXPECT_EQ(str(listed["chunk"][0], "room_id"), room);

    EXPECT_EQ(call(hs.port(), "PUT", path, alice.token, R"({"visibility":"private"})").status, 200);
    EXPECT_EQ(parse(call(hs.port(), "GET", kV3 + "/publicRooms").body)["chunk"].Size(), 0u);
}

TEST(SimulationRoomExtras, DirectoryVisibilityRefusesUnknownRoomsAndStrangers) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice);
    const std::string path = kV3 + "/directory/list/room/" + path_id(room);
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/directory/list/room/%21nope%3Alocalhost").status, 404);
    EXPECT_EQ(call(hs.port(), "PUT", path, {}, R"({"visibility":"public"})").status, 401);
    EXPECT_EQ(call(hs.port(), "PUT", path, bob.token, R"({"visibility":"public"})").status, 403);
    EXPECT_EQ(call(hs.port(), "PUT", path, alice.token, R"({"visibility":"odd"})").status, 400);
    EXPECT_EQ(call(hs.port(), "GET", path).body, R"({"visibility":"private"})");
}

TEST(SimulationRoomExtras, LocalAliasesListTheAliasesOfTheRoomToItsMembers) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice);
    const std::string other = create_room(hs, alice);
    EXPECT_EQ(call(hs.port(), "PUT", kV3 + "/directory/room/%23a%3Alocalhost", alice.token,
                   R"({"room_id":")" + room + R"("})")
                  .status,
              200);
    EXPECT_EQ(call(hs.port(), "PUT", kV3 + "/directory/room/%23b%3Alocalhost", alice.token,
                   R"({"room_id":")" + other + R"("})")
                  .status,
              200);
    const std::string path = kV3 + "/rooms/" + path_id(room) + "/aliases";
    EXPECT_EQ(call(hs.port(), "GET", path, alice.token).body, R"({"aliases":["#a:localhost"]})");
    EXPECT_EQ(call(hs.port(), "GET", path, bob.token).status, 403);
    EXPECT_EQ(call(hs.port(), "GET", path).status, 401);
}

// ---- getRoomSummary -------------------------------------------------------------------------

TEST(SimulationRoomExtras, RoomSummaryDescribesAPublicRoomByIdOrAlias) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(
        hs, alice,
        R"({"preset":"public_chat","name":"Cheese","topic":"Tasty","room_alias_name":"cheese"})");
    const RawResponse anonymous = call(hs.port(), "GET", kV1 + "/room_summary/" + path_id(room));
    ASSERT_EQ(anonymous.status, 200) << anonymous.body;
    const auto json = parse(anonymous.body);
    EXPECT_EQ(str(json, "room_id"), room);
    EXPECT_EQ(json["num_joined_members"].GetInt(), 1);
    EXPECT_EQ(str(json, "join_rule"), "public");
    EXPECT_EQ(str(json, "name"), "Cheese");
    EXPECT_EQ(str(json, "topic"), "Tasty");
    EXPECT_EQ(str(json, "canonical_alias"), "#cheese:localhost");
    EXPECT_FALSE(json["world_readable"].GetBool());
    EXPECT_FALSE(json["guest_can_join"].GetBool());
    EXPECT_FALSE(json.HasMember("membership"));

    const auto by_alias = parse(
        call(hs.port(), "GET", kV1 + "/room_summary/%23cheese%3Alocalhost", alice.token).body);
    EXPECT_EQ(str(by_alias, "room_id"), room);
    EXPECT_EQ(str(by_alias, "membership"), "join");
}

TEST(SimulationRoomExtras, RoomSummaryHidesPrivateAndUnknownRooms) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice);
    const std::string path = kV1 + "/room_summary/" + path_id(room);
    EXPECT_EQ(call(hs.port(), "GET", path).status, 404);
    EXPECT_EQ(call(hs.port(), "GET", path, bob.token).status, 404);
    EXPECT_EQ(call(hs.port(), "GET", path, alice.token).status, 200);
    EXPECT_EQ(call(hs.port(), "GET", kV1 + "/room_summary/%23nope%3Alocalhost").status, 404);
    EXPECT_EQ(call(hs.port(), "GET", path, "syt_bogus").status, 401);
}

// ---- getSpaceHierarchy ----------------------------------------------------------------------

TEST(SimulationRoomExtras, SpaceHierarchyWalksChildrenAndPages) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string space = create_room(hs, alice, R"({"name":"Space"})");
    const std::string child = create_room(hs, alice, R"({"name":"Child"})");
    const std::string grandchild = create_room(hs, alice, R"({"name":"Grandchild"})");
    const auto link = [&](const std::string& parent, const std::string& room) {
        EXPECT_EQ(call(hs.port(), "PUT",
                       kV3 + "/rooms/" + path_id(parent) + "/state/m.space.child/" + path_id(room),
                       alice.token, R"({"via":["localhost"]})")
                      .status,
                  200);
    };
    link(space, child);
    link(child, grandchild);
    const std::string path = kV1 + "/rooms/" + path_id(space) + "/hierarchy";

    const auto whole = parse(call(hs.port(), "GET", path, alice.token).body);
    ASSERT_EQ(whole["rooms"].Size(), 3u);
    EXPECT_EQ(str(whole["rooms"][0], "room_id"), space);
    EXPECT_EQ(str(whole["rooms"][1], "room_id"), child);
    EXPECT_EQ(str(whole["rooms"][2], "room_id"), grandchild);
    ASSERT_EQ(whole["rooms"][0]["children_state"].Size(), 1u);
    const auto& stripped = whole["rooms"][0]["children_state"][0];
    EXPECT_EQ(str(stripped, "type"), "m.space.child");
    EXPECT_EQ(str(stripped, "state_key"), child);
    EXPECT_TRUE(stripped["origin_server_ts"].IsInt64());
    EXPECT_EQ(whole["rooms"][2]["children_state"].Size(), 0u);
    EXPECT_FALSE(whole.HasMember("next_batch"));

    const auto shallow = parse(call(hs.port(), "GET", path + "?max_depth=1", alice.token).body);
    EXPECT_EQ(shallow["rooms"].Size(), 2u);

    const auto first = parse(call(hs.port(), "GET", path + "?limit=2", alice.token).body);
    ASSERT_EQ(first["rooms"].Size(), 2u);
    const std::string next = str(first, "next_batch");
    ASSERT_FALSE(next.empty());
    const auto second =
        parse(call(hs.port(), "GET", path + "?limit=2&from=" + next, alice.token).body);
    ASSERT_EQ(second["rooms"].Size(), 1u);
    EXPECT_EQ(str(second["rooms"][0], "room_id"), grandchild);
    EXPECT_FALSE(second.HasMember("next_batch"));
}

TEST(SimulationRoomExtras, SpaceHierarchyRefusesWhatTheUserCannotSee) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string space = create_room(hs, alice);
    const std::string path = kV1 + "/rooms/" + path_id(space) + "/hierarchy";
    EXPECT_EQ(call(hs.port(), "GET", path).status, 401);
    EXPECT_EQ(call(hs.port(), "GET", path, bob.token).status, 403);
    EXPECT_EQ(
        call(hs.port(), "GET", kV1 + "/rooms/%21nope%3Alocalhost/hierarchy", alice.token).status,
        403);
    EXPECT_EQ(call(hs.port(), "GET", path + "?from=bogus", alice.token).status, 400);
    EXPECT_EQ(call(hs.port(), "GET", path + "?limit=0", alice.token).status, 400);
    // A token from one walk does not carry over to a walk with other parameters.
    const auto page = parse(call(hs.port(), "GET", path + "?limit=1", alice.token).body);
    EXPECT_EQ(page["rooms"].Size(), 1u);
    EXPECT_EQ(call(hs.port(), "GET", path + "?from=h1_1_10", alice.token).status, 400);
}

// ---- reporting ------------------------------------------------------------------------------

TEST(SimulationRoomExtras, ReportsAreCheckedAnsweredAndKeptForTheAdminApi) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice);
    const std::string event = send_text(hs, alice, room, "rude");
    const std::string rooms = kV3 + "/rooms/" + path_id(room);

    EXPECT_EQ(call(hs.port(), "POST", rooms + "/report", bob.token, R"({"reason":"spam"})").body,
              "{}");
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/report/" + event, alice.token, "{}").status, 200);
    EXPECT_EQ(call(hs.port(), "POST", kV3 + "/users/" + path_id(bob.user_id) + "/report",
                   alice.token, R"({"reason":"rude"})")
                  .status,
              200);

    EXPECT_EQ(call(hs.port(), "POST", kV3 + "/rooms/%21nope%3Alocalhost/report", bob.token,
                   R"({"reason":"x"})")
                  .status,
              404);
    // Bob is not in the room: the event is not found, for him.
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/report/" + event, bob.token, "{}").status, 404);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/report/%24nope", alice.token, "{}").status, 404);
    EXPECT_EQ(call(hs.port(), "POST", kV3 + "/users/%40nobody%3Alocalhost/report", alice.token,
                   R"({"reason":"x"})")
                  .status,
              404);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/report", bob.token, "{}").status, 400);
    EXPECT_EQ(call(hs.port(), "POST", rooms + "/report", {}, R"({"reason":"x"})").status, 401);

    const auto kept = parse(call(hs.port(), "GET", "/__admin/sim/reports").body);
    ASSERT_EQ(kept["reports"].Size(), 3u);
    EXPECT_EQ(str(kept["reports"][0], "kind"), "room");
    EXPECT_EQ(str(kept["reports"][0], "reporter"), bob.user_id);
    EXPECT_EQ(str(kept["reports"][0], "reason"), "spam");
    EXPECT_EQ(str(kept["reports"][1], "kind"), "event");
    EXPECT_EQ(str(kept["reports"][1], "event_id"), event);
    EXPECT_EQ(str(kept["reports"][2], "kind"), "user");
    EXPECT_EQ(str(kept["reports"][2], "user_id"), bob.user_id);

    EXPECT_EQ(call(hs.port(), "POST", "/__admin/sim/reset").status, 200);
    EXPECT_EQ(call(hs.port(), "GET", "/__admin/sim/reports").body, R"({"reports":[]})");
}

// ---- pushers --------------------------------------------------------------------------------

std::string pusher_body(const std::string& kind, const std::string& name, bool append = false) {
    return R"({"kind":)" + kind +
           R"(,"app_id":"com.example.app","pushkey":"KEY","app_display_name":")" + name +
           R"(","device_display_name":"Phone","lang":"en","data":{"url":"https://push.example/_matrix/push/v1/notify","format":"event_id_only"},"append":)" +
           (append ? "true" : "false") + "}";
}

TEST(SimulationRoomExtras, PushersAreSetReplacedAndDeleted) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string set = kV3 + "/pushers/set";
    const std::string get = kV3 + "/pushers";
    EXPECT_EQ(call(hs.port(), "GET", get, alice.token).body, R"({"pushers":[]})");
    EXPECT_EQ(call(hs.port(), "POST", set, alice.token, pusher_body(R"("http")", "App")).status,
              200);
    EXPECT_EQ(call(hs.port(), "POST", set, alice.token, pusher_body(R"("http")", "App 2")).status,
              200);
    const auto listed = parse(call(hs.port(), "GET", get, alice.token).body);
    ASSERT_EQ(listed["pushers"].Size(), 1u);
    const auto& pusher = listed["pushers"][0];
    EXPECT_EQ(str(pusher, "app_display_name"), "App 2");
    for (const char* key : {"pushkey", "kind", "app_id", "device_display_name", "lang"}) {
        EXPECT_FALSE(str(pusher, key).empty()) << key;
    }
    EXPECT_EQ(str(pusher["data"], "format"), "event_id_only");
    EXPECT_FALSE(pusher.HasMember("append"));

    // Bob appending keeps Alice's; Bob replacing (no append) takes the pushkey from her.
    EXPECT_EQ(call(hs.port(), "POST", set, bob.token, pusher_body(R"("http")", "B", true)).status,
              200);
    EXPECT_EQ(parse(call(hs.port(), "GET", get, alice.token).body)["pushers"].Size(), 1u);
    EXPECT_EQ(call(hs.port(), "POST", set, bob.token, pusher_body(R"("http")", "B")).status, 200);
    EXPECT_EQ(parse(call(hs.port(), "GET", get, alice.token).body)["pushers"].Size(), 0u);
    EXPECT_EQ(parse(call(hs.port(), "GET", get, bob.token).body)["pushers"].Size(), 1u);

    EXPECT_EQ(call(hs.port(), "POST", set, bob.token,
                   R"({"kind":null,"app_id":"com.example.app","pushkey":"KEY"})")
                  .status,
              200);
    EXPECT_EQ(call(hs.port(), "GET", get, bob.token).body, R"({"pushers":[]})");
}

TEST(SimulationRoomExtras, PushersWithoutTheirRequiredMembersAreRefused) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string set = kV3 + "/pushers/set";
    const RawResponse missing =
        call(hs.port(), "POST", set, alice.token, R"({"kind":"http","app_id":"a","pushkey":"k"})");
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(errcode(missing), "M_MISSING_PARAM");
    EXPECT_NE(missing.body.find("lang"), std::string::npos) << missing.body;
    EXPECT_EQ(call(hs.port(), "POST", set, alice.token, R"({"app_id":"a","pushkey":"k"})").status,
              400);
    const RawResponse no_url =
        call(hs.port(), "POST", set, alice.token,
             R"({"kind":"http","app_id":"a","pushkey":"k","app_display_name":"A",)"
             R"("device_display_name":"D","lang":"en","data":{}})");
    EXPECT_EQ(no_url.status, 400);
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/pushers").status, 401);
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/pushers", alice.token).body, R"({"pushers":[]})");
}

// ---- searchUserDirectory --------------------------------------------------------------------

TEST(SimulationRoomExtras, UserDirectoryFindsUsersSharingARoomOrInAPublicOne) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const Account bobby = add_user(hs, "bobby");
    add_user(hs, "bobcat");  // in no room: never found
    const std::string shared = create_room(hs, alice, R"({"preset":"private_chat"})");
    call(hs.port(), "POST", kV3 + "/rooms/" + path_id(shared) + "/invite", alice.token,
         R"({"user_id":")" + bob.user_id + R"("})");
    call(hs.port(), "POST", kV3 + "/join/" + path_id(shared), bob.token, "{}");
    create_room(hs, bobby, R"({"preset":"public_chat"})");

    const std::string path = kV3 + "/user_directory/search";
    const auto found =
        parse(call(hs.port(), "POST", path, alice.token, R"({"search_term":"BOB"})").body);
    ASSERT_EQ(found["results"].Size(), 2u);
    EXPECT_EQ(str(found["results"][0], "user_id"), bob.user_id);
    EXPECT_EQ(str(found["results"][0], "display_name"), "bob");
    EXPECT_EQ(str(found["results"][1], "user_id"), bobby.user_id);
    EXPECT_FALSE(found["limited"].GetBool());

    const auto limited = parse(
        call(hs.port(), "POST", path, alice.token, R"({"search_term":"bob","limit":1})").body);
    EXPECT_EQ(limited["results"].Size(), 1u);
    EXPECT_TRUE(limited["limited"].GetBool());
}

TEST(SimulationRoomExtras, UserDirectoryNeedsATermAndAToken) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string path = kV3 + "/user_directory/search";
    EXPECT_EQ(call(hs.port(), "POST", path, alice.token, "{}").status, 400);
    EXPECT_EQ(call(hs.port(), "POST", path, {}, R"({"search_term":"a"})").status, 401);
    EXPECT_EQ(call(hs.port(), "POST", path, alice.token, R"({"search_term":"zzz"})").body,
              R"({"results":[],"limited":false})");
}

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
