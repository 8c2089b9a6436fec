// The simulation's relations, threads, timestamp lookup, search, knocking, room upgrades and
// notifications, over real sockets: each has its success and its refusal.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "matrix/operation_match.hpp"
#include "matrix/spec_validation.hpp"
#include "response_schema_check.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

std::vector<std::string> ids_in(const rapidjson::Value& events) {
    std::vector<std::string> ids;
    for (const auto& event : events.GetArray()) ids.push_back(str(event, "event_id"));
    return ids;
}

std::string reply_in_thread(const MockHomeserver& hs, const Account& who, const std::string& room,
                            const std::string& txn, const std::string& root) {
    return send_event(hs, who, room, "m.room.message", txn,
                      R"({"msgtype":"m.text","body":"re","m.relates_to":{"rel_type":"m.thread",)"
                      R"("event_id":")" +
                          root + R"("}})");
}

std::string react(const MockHomeserver& hs, const Account& who, const std::string& room,
                  const std::string& txn, const std::string& target) {
    return send_event(hs, who, room, "m.reaction", txn,
                      R"({"m.relates_to":{"rel_type":"m.annotation","key":"+1","event_id":")" +
                          target + R"("}})");
}

// ---- getRelatingEvents* -------------------------------------------------------------------

TEST(SimulationRelations, RelationsListChildrenFilteredAndPaged) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string root = send_text(hs, alice, room, "root");
    const std::string other = send_text(hs, alice, room, "other");
    const std::string r1 = reply_in_thread(hs, alice, room, "r1", root);
    const std::string a1 = react(hs, alice, room, "a1", root);
    const std::string r2 = reply_in_thread(hs, alice, room, "r2", root);
    react(hs, alice, room, "a2", other);
    const std::string base = kV1 + "/rooms/" + path_id(room) + "/relations/" + root;

    const RawResponse all_answer = call(hs.port(), "GET", base, alice.token);
    expect_valid("getRelatingEvents", all_answer);
    const auto all = parse(all_answer.body);
    EXPECT_EQ(ids_in(all["chunk"]), (std::vector<std::string>{r2, a1, r1}));  // newest first
    EXPECT_FALSE(all.HasMember("next_batch"));

    const auto threads = parse(call(hs.port(), "GET", base + "/m.thread?dir=f", alice.token).body);
    EXPECT_EQ(ids_in(threads["chunk"]), (std::vector<std::string>{r1, r2}));
    const auto typed =
        parse(call(hs.port(), "GET", base + "/m.annotation/m.reaction", alice.token).body);
    EXPECT_EQ(ids_in(typed["chunk"]), std::vector<std::string>{a1});
    const auto none =
        parse(call(hs.port(), "GET", base + "/m.annotation/m.room.message", alice.token).body);
    EXPECT_EQ(none["chunk"].Size(), 0u);

    // Two pages of two and one, joined by next_batch.
    const auto first = parse(call(hs.port(), "GET", base + "?limit=2", alice.token).body);
    EXPECT_EQ(ids_in(first["chunk"]), (std::vector<std::string>{r2, a1}));
    ASSERT_TRUE(first.HasMember("next_batch"));
    const auto second = parse(
        call(hs.port(), "GET", base + "?limit=2&from=" + str(first, "next_batch"), alice.token)
            .body);
    EXPECT_EQ(ids_in(second["chunk"]), std::vector<std::string>{r1});
    EXPECT_FALSE(second.HasMember("next_batch"));
}

TEST(SimulationRelations, RecurseFollowsRelationsOfRelations) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string root = send_text(hs, alice, room, "root");
    const std::string reply = reply_in_thread(hs, alice, room, "r1", root);
    const std::string reaction = react(hs, alice, room, "a1", reply);
    const std::string base = kV1 + "/rooms/" + path_id(room) + "/relations/" + root;

    const auto direct = parse(call(hs.port(), "GET", base, alice.token).body);
    EXPECT_EQ(ids_in(direct["chunk"]), std::vector<std::string>{reply});
    EXPECT_FALSE(direct.HasMember("recursion_depth"));
    const auto deep = parse(call(hs.port(), "GET", base + "?recurse=true", alice.token).body);
    EXPECT_EQ(ids_in(deep["chunk"]), (std::vector<std::string>{reaction, reply}));
    EXPECT_TRUE(deep.HasMember("recursion_depth"));
}

TEST(SimulationRelations, RelationsRefuseStrangersUnknownEventsAndBadTokens) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account eve = add_user(hs, "eve");
    const std::string room = create_room(hs, alice);
    const std::string root = send_text(hs, alice, room, "root");
    const std::string base = kV1 + "/rooms/" + path_id(room) + "/relations/";

    const RawResponse stranger = call(hs.port(), "GET", base + root, eve.token);
    EXPECT_EQ(stranger.status, 403) << stranger.body;
    const RawResponse unknown = call(hs.port(), "GET", base + "$nope", alice.token);
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    const RawResponse bad = call(hs.port(), "GET", base + root + "?from=zzz", alice.token);
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_EQ(errcode(bad), "M_INVALID_PARAM");
}

// ---- getThreadRoots -----------------------------------------------------------------------

TEST(SimulationRelations, ThreadRootsComeNewestReplyFirstWithTheirAggregation) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(room), bob.token, "{}").status, 200);
    const std::string older = send_text(hs, alice, room, "older");
    const std::string newer = send_text(hs, alice, room, "newer");
    send_text(hs, alice, room, "n1", "no thread");
    reply_in_thread(hs, bob, room, "b1", newer);
    const std::string latest = reply_in_thread(hs, alice, room, "a1", older);
    const std::string base = kV1 + "/rooms/" + path_id(room) + "/threads";

    const RawResponse answer = call(hs.port(), "GET", base, alice.token);
    expect_valid("getThreadRoots", answer);
    const auto json = parse(answer.body);
    EXPECT_EQ(ids_in(json["chunk"]), (std::vector<std::string>{older, newer}));
    const auto& thread = json["chunk"][0]["unsigned"]["m.relations"]["m.thread"];
    EXPECT_EQ(thread["count"].GetInt(), 1);
    EXPECT_EQ(str(thread["latest_event"], "event_id"), latest);
    EXPECT_TRUE(thread["current_user_participated"].GetBool());

    // Bob took part in `newer` only; pages of one are joined by next_batch.
    const auto mine = parse(call(hs.port(), "GET", base + "?include=participated", bob.token).body);
    EXPECT_EQ(ids_in(mine["chunk"]), std::vector<std::string>{newer});
    const auto first = parse(call(hs.port(), "GET", base + "?limit=1", alice.token).body);
    EXPECT_EQ(ids_in(first["chunk"]), std::vector<std::string>{older});
    const auto second = parse(
        call(hs.port(), "GET", base + "?limit=1&from=" + str(first, "next_batch"), alice.token)
            .body);
    EXPECT_EQ(ids_in(second["chunk"]), std::vector<std::string>{newer});
    EXPECT_FALSE(second.HasMember("next_batch"));

    const Account eve = add_user(hs, "eve");
    EXPECT_EQ(call(hs.port(), "GET", base, eve.token).status, 403);
}

// ---- bundled aggregations (unsigned.m.relations) ------------------------------------------

// The room's events of a /sync answer, by event id.
const rapidjson::Value* in_sync(const rapidjson::Document& sync, const std::string& room,
                                const std::string& event_id) {
    if (!sync.HasMember("rooms") || !sync["rooms"]["join"].HasMember(room.c_str())) return nullptr;
    for (const auto& event : sync["rooms"]["join"][room.c_str()]["timeline"]["events"].GetArray()) {
        if (str(event, "event_id") == event_id) return &event;
    }
    return nullptr;
}

// The event `event_id` among the chunk of a /messages answer; nullptr when absent.
const rapidjson::Value* in_chunk(const rapidjson::Value& chunk, const std::string& event_id) {
    for (const auto& event : chunk.GetArray()) {
        if (str(event, "event_id") == event_id) return &event;
    }
    return nullptr;
}

bool has_relations(const rapidjson::Value& event) {
    return event.HasMember("unsigned") && event["unsigned"].HasMember("m.relations");
}

RawResponse messages(const MockHomeserver& hs, const Account& who, const std::string& room) {
    return call(hs.port(), "GET", kV3 + "/rooms/" + path_id(room) + "/messages?dir=b&limit=50",
                who.token);
}

RawResponse get_event(const MockHomeserver& hs, const Account& who, const std::string& room,
                      const std::string& event_id) {
    return call(hs.port(), "GET", kV3 + "/rooms/" + path_id(room) + "/event/" + event_id,
                who.token);
}

RawResponse redact(const MockHomeserver& hs, const Account& who, const std::string& room,
                   const std::string& event_id, const std::string& txn) {
    return call(hs.port(), "PUT",
                kV3 + "/rooms/" + path_id(room) + "/redact/" + event_id + "/" + txn, who.token,
                "{}");
}

TEST(SimulationAggregations, AThreadRootCarriesItsThreadForEachViewerInSyncAndMessages) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const Account carol = add_user(hs, "carol");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    for (const Account* who : {&bob, &carol}) {
        ASSERT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(room), who->token, "{}").status,
                  200);
    }
    const std::string root = send_text(hs, alice, room, "root");
    reply_in_thread(hs, bob, room, "b1", root);
    const std::string latest = reply_in_thread(hs, bob, room, "b2", root);

    // Alice sent the root and Bob the replies: both took part; Carol did not.
    const std::vector<std::pair<const Account*, bool>> viewers{
        {&alice, true}, {&bob, true}, {&carol, false}};
    for (const auto& [who, took_part] : viewers) {
        const RawResponse synced = sync(
            hs, *who, "filter=%7B%22room%22%3A%7B%22timeline%22%3A%7B%22limit%22%3A50%7D%7D%7D");
        expect_valid("sync", synced);
        const auto json = parse(synced.body);
        const rapidjson::Value* event = in_sync(json, room, root);
        ASSERT_NE(event, nullptr) << synced.body;
        ASSERT_TRUE(has_relations(*event)) << synced.body;
        const auto& thread = (*event)["unsigned"]["m.relations"]["m.thread"];
        EXPECT_EQ(thread["count"].GetInt(), 2);
        EXPECT_EQ(str(thread["latest_event"], "event_id"), latest);
        EXPECT_EQ(thread["current_user_participated"].GetBool(), took_part) << who->user_id;
        // Only Bob's device sent the latest reply, so only it sees its transaction id.
        EXPECT_EQ(str(thread["latest_event"]["unsigned"], "transaction_id"),
                  who == &bob ? "b2" : "");

        const RawResponse page = messages(hs, *who, room);
        expect_valid("getRoomEvents", page);
        const auto chunk = parse(page.body);
        const rapidjson::Value* paged = in_chunk(chunk["chunk"], root);
        ASSERT_NE(paged, nullptr);
        const auto& same = (*paged)["unsigned"]["m.relations"]["m.thread"];
        EXPECT_EQ(same["count"].GetInt(), 2);
        EXPECT_EQ(str(same["latest_event"], "event_id"), latest);
        EXPECT_EQ(same["current_user_participated"].GetBool(), took_part);
        // The replies are bundled one level deep only, and carry nothing themselves.
        EXPECT_FALSE(has_relations(same["latest_event"]));
        EXPECT_FALSE(has_relations(*in_chunk(chunk["chunk"], latest)));
    }
}

TEST(SimulationAggregations, TheOriginalSendersLatestEditIsBundledInMessagesAndEvent) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(room), bob.token, "{}").status, 200);
    const std::string original = send_text(hs, alice, room, "o", "typo");
    const auto edit = [&](const Account& who, const std::string& txn, const std::string& text) {
        return send_event(hs, who, room, "m.room.message", txn,
                          R"({"msgtype":"m.text","body":"* )" + text +
                              R"(","m.new_content":{"msgtype":"m.text","body":")" + text +
                              R"("},"m.relates_to":{"rel_type":"m.replace","event_id":")" +
                              original + R"("}})");
    };
    edit(alice, "e1", "first fix");
    const std::string second = edit(alice, "e2", "second fix");
    edit(bob, "e3", "not Bob's to edit");  // another sender's replacement is not valid

    const RawResponse page = messages(hs, bob, room);
    expect_valid("getRoomEvents", page);
    const auto chunk = parse(page.body);
    const rapidjson::Value* event = in_chunk(chunk["chunk"], original);
    ASSERT_NE(event, nullptr);
    ASSERT_TRUE(has_relations(*event)) << page.body;
    const auto& replace = (*event)["unsigned"]["m.relations"]["m.replace"];
    EXPECT_EQ(str(replace, "event_id"), second);
    EXPECT_EQ(str(replace["content"]["m.new_content"], "body"), "second fix");
    EXPECT_EQ(str((*event)["content"], "body"), "typo");  // the original keeps its content

    const RawResponse single = get_event(hs, bob, room, original);
    expect_valid("getOneRoomEvent", single);
    const auto json = parse(single.body);
    EXPECT_EQ(str(json["unsigned"]["m.relations"]["m.replace"], "event_id"), second);

    // Redacting the newest edit bundles the one before it; an unedited event bundles nothing.
    ASSERT_EQ(redact(hs, alice, room, second, "x1").status, 200);
    const auto after = parse(get_event(hs, bob, room, original).body);
    const std::string first_edit = str(after["unsigned"]["m.relations"]["m.replace"], "event_id");
    EXPECT_FALSE(first_edit.empty());
    EXPECT_NE(first_edit, second);
    EXPECT_FALSE(has_relations(parse(get_event(hs, bob, room, first_edit).body)));
}

TEST(SimulationAggregations, ReferencesAreBundledAsAChunkOfEventIds) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string target = send_text(hs, alice, room, "t");
    const auto reference = [&](const std::string& txn) {
        return send_event(hs, alice, room, "m.room.message", txn,
                          R"({"msgtype":"m.text","body":"see","m.relates_to":)"
                          R"({"rel_type":"m.reference","event_id":")" +
                              target + R"("}})");
    };
    const std::string r1 = reference("r1");
    const std::string r2 = reference("r2");

    const RawResponse context =
        call(hs.port(), "GET", kV3 + "/rooms/" + path_id(room) + "/context/" + target, alice.token);
    expect_valid("getEventContext", context);
    const auto json = parse(context.body);
    const auto& chunk = json["event"]["unsigned"]["m.relations"]["m.reference"]["chunk"];
    EXPECT_EQ(ids_in(chunk), (std::vector<std::string>{r1, r2}));
}

TEST(SimulationAggregations, ARedactedReplyLeavesTheThreadCount) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    const std::string root = send_text(hs, alice, room, "root");
    const std::string first = reply_in_thread(hs, alice, room, "r1", root);
    const std::string second = reply_in_thread(hs, alice, room, "r2", root);

    ASSERT_EQ(redact(hs, alice, room, second, "x1").status, 200);
    const auto json = parse(get_event(hs, alice, room, root).body);
    const auto& thread = json["unsigned"]["m.relations"]["m.thread"];
    EXPECT_EQ(thread["count"].GetInt(), 1);
    EXPECT_EQ(str(thread["latest_event"], "event_id"), first);
    // Redacting it again changes nothing; /threads and /relations read the same index.
    ASSERT_EQ(redact(hs, alice, room, second, "x2").status, 200);
    const std::string relations = kV1 + "/rooms/" + path_id(room) + "/relations/" + root;
    EXPECT_EQ(ids_in(parse(call(hs.port(), "GET", relations, alice.token).body)["chunk"]),
              std::vector<std::string>{first});
    const std::string threads = kV1 + "/rooms/" + path_id(room) + "/threads";
    const auto listed = parse(call(hs.port(), "GET", threads, alice.token).body);
    ASSERT_EQ(listed["chunk"].Size(), 1u);
    EXPECT_EQ(listed["chunk"][0]["unsigned"]["m.relations"]["m.thread"]["count"].GetInt(), 1);

    // With no reply left the root is no thread root and bundles nothing.
    ASSERT_EQ(redact(hs, alice, room, first, "x3").status, 200);
    EXPECT_FALSE(has_relations(parse(get_event(hs, alice, room, root).body)));
    EXPECT_EQ(parse(call(hs.port(), "GET", threads, alice.token).body)["chunk"].Size(), 0u);
}

// ---- getEventByTimestamp ------------------------------------------------------------------

std::int64_t ts_of(const MockHomeserver& hs, const Account& who, const std::string& room,
                   const std::string& event_id) {
    const auto json = parse(
        call(hs.port(), "GET", kV3 + "/rooms/" + path_id(room) + "/event/" + event_id, who.token)
            .body);
    return json["origin_server_ts"].GetInt64();
}

TEST(SimulationTimestamps, FindTheClosestEventInEitherDirection) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string room = create_room(hs, alice);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::string first = send_text(hs, alice, room, "t1");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const std::string second = send_text(hs, alice, room, "t2");
    const std::int64_t t1 = ts_of(hs, alice, room, first);
    const std::int64_t t2 = ts_of(hs, alice, room, second);
    ASSERT_LT(t1 + 1, t2);
    const std::string base = kV1 + "/rooms/" + path_id(room) + "/timestamp_to_event?ts=";

    const auto at = [&](std::int64_t ts, const std::string& dir) {
        return call(hs.port(), "GET", base + std::to_string(ts) + "&dir=" + dir, alice.token);
    };
    expect_valid("getEventByTimestamp", at(t1 + 1, "f"));
    EXPECT_EQ(str(parse(at(t1 + 1, "f").body), "event_id"), second);
    EXPECT_EQ(str(parse(at(t2 - 1, "b").body), "event_id"), first);
    EXPECT_EQ(str(parse(at(t2, "b").body), "event_id"), second);
    EXPECT_EQ(parse(at(t2, "f").body)["origin_server_ts"].GetInt64(), t2);

    const RawResponse later = at(t2 + 100000, "f");
    EXPECT_EQ(later.status, 404) << later.body;
    EXPECT_EQ(errcode(later), "M_NOT_FOUND");
    EXPECT_EQ(at(0, "b").status, 404);
    EXPECT_EQ(at(t1, "x").status, 400);
    const Account eve = add_user(hs, "eve");
    EXPECT_EQ(call(hs.port(), "GET", base + "0&dir=f", eve.token).status, 403);
}

// ---- search -------------------------------------------------------------------------------

RawResponse search(const MockHomeserver& hs, const Account& who, const std::string& criteria,
                   const std::string& query = {}) {
    return call(hs.port(), "POST", kV3 + "/search" + query, who.token,
                R"({"search_categories":{"room_events":)" + criteria + "}}");
}

TEST(SimulationSearch, FindsTermsCaseInsensitivelyInJoinedRoomsOnly) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice);
    const std::string elsewhere = create_room(hs, bob);
    const std::string hit1 = send_text(hs, alice, room, "a1", "Martians and men");
    send_text(hs, alice, room, "a2", "nothing to see");
    const std::string hit2 = send_text(hs, alice, room, "a3", "more martians, MARTIANS");
    send_text(hs, bob, elsewhere, "b1", "martians in bob's room");

    const RawResponse r = search(hs, alice, R"({"search_term":"martians"})");
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("search", r);
    const auto json = parse(r.body);
    const auto& events = json["search_categories"]["room_events"];
    EXPECT_EQ(events["count"].GetInt(), 2);
    // By rank: two occurrences before one.
    ASSERT_EQ(events["results"].Size(), 2u);
    EXPECT_EQ(str(events["results"][0]["result"], "event_id"), hit2);
    EXPECT_EQ(str(events["results"][1]["result"], "event_id"), hit1);
    EXPECT_EQ(std::string(events["highlights"][0].GetString()), "martians");

    // Pages of one, newest first.
    const auto first = parse(
        search(hs, alice, R"({"search_term":"MARTIANS","order_by":"recent","filter":{"limit":1}})")
            .body);
    const auto& page = first["search_categories"]["room_events"];
    EXPECT_EQ(str(page["results"][0]["result"], "event_id"), hit2);
    ASSERT_TRUE(page.HasMember("next_batch"));
    const auto second = parse(
        search(hs, alice, R"({"search_term":"MARTIANS","order_by":"recent","filter":{"limit":1}})",
               "?next_batch=" + str(page, "next_batch"))
            .body);
    const auto& rest = second["search_categories"]["room_events"];
    EXPECT_EQ(str(rest["results"][0]["result"], "event_id"), hit1);
    EXPECT_FALSE(rest.HasMember("next_batch"));

    EXPECT_EQ(search(hs, alice, R"({"keys":["content.body"]})").status, 400);
    EXPECT_EQ(search(hs, alice, R"({"search_term":"x","keys":["sender"]})").status, 400);
}

// ---- knockRoom ----------------------------------------------------------------------------

TEST(SimulationKnock, KnocksOnlyWhereTheJoinRuleAllowsIt) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string closed = create_room(hs, alice);
    const std::string knockable =
        create_room(hs, alice,
                    R"({"room_alias_name":"door","initial_state":[{"type":"m.room.join_rules",)"
                    R"("content":{"join_rule":"knock"}}]})");

    const RawResponse refused =
        call(hs.port(), "POST", kV3 + "/knock/" + path_id(closed), bob.token, "{}");
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(errcode(refused), "M_FORBIDDEN");
    EXPECT_EQ(
        call(hs.port(), "POST", kV3 + "/knock/%23nowhere%3Alocalhost", bob.token, "{}").status,
        404);

    const RawResponse knocked = call(hs.port(), "POST", kV3 + "/knock/%23door%3Alocalhost",
                                     bob.token, R"({"reason":"let me in"})");
    ASSERT_EQ(knocked.status, 200) << knocked.body;
    expect_valid("knockRoom", knocked);
    EXPECT_EQ(str(parse(knocked.body), "room_id"), knockable);
    const auto member =
        parse(call(hs.port(), "GET",
                   kV3 + "/rooms/" + path_id(knockable) + "/state/m.room.member/" + bob.user_id,
                   alice.token)
                  .body);
    EXPECT_EQ(str(member, "membership"), "knock");
    EXPECT_EQ(str(member, "reason"), "let me in");
    // Alice lets Bob in.
    EXPECT_EQ(call(hs.port(), "POST", kV3 + "/rooms/" + path_id(knockable) + "/invite", alice.token,
                   R"({"user_id":")" + bob.user_id + R"("})")
                  .status,
              200);
    EXPECT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(knockable), bob.token, "{}").status,
              200);
}

std::string knockable_room(const MockHomeserver& hs, const Account& admin) {
    return create_room(hs, admin,
                       R"({"name":"Door","initial_state":[{"type":"m.room.join_rules",)"
                       R"("content":{"join_rule":"knock"}}]})");
}

RawResponse knock(const MockHomeserver& hs, const Account& who, const std::string& room) {
    return call(hs.port(), "POST", kV3 + "/knock/" + path_id(room), who.token, "{}");
}

TEST(SimulationKnock, AKnockShowsInSyncAndMovesToJoinOnceInvited) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = knockable_room(hs, alice);
    const std::string before = str(parse(sync(hs, bob, "").body), "next_batch");
    ASSERT_EQ(knock(hs, bob, room).status, 200);

    for (const std::string& query : {std::string(), "since=" + before}) {
        const RawResponse synced = sync(hs, bob, query);
        expect_valid("sync", synced);
        const auto json = parse(synced.body);
        ASSERT_TRUE(json["rooms"]["knock"].HasMember(room.c_str())) << synced.body;
        EXPECT_FALSE(json["rooms"]["join"].HasMember(room.c_str()));
        std::vector<std::string> types;
        std::string own;
        for (const auto& event :
             json["rooms"]["knock"][room.c_str()]["knock_state"]["events"].GetArray()) {
            types.push_back(str(event, "type"));
            if (str(event, "state_key") == bob.user_id) own = str(event["content"], "membership");
        }
        EXPECT_EQ(own, "knock");
        for (const char* shown : {"m.room.create", "m.room.join_rules", "m.room.name"}) {
            EXPECT_NE(std::find(types.begin(), types.end(), shown), types.end()) << shown;
        }
    }

    // Alice lets Bob in: the room moves to invite, then to join.
    const std::string knocked = str(parse(sync(hs, bob, "").body), "next_batch");
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/rooms/" + path_id(room) + "/invite", alice.token,
                   R"({"user_id":")" + bob.user_id + R"("})")
                  .status,
              200);
    const auto invited = parse(sync(hs, bob, "since=" + knocked).body);
    EXPECT_TRUE(invited["rooms"]["invite"].HasMember(room.c_str()));
    EXPECT_FALSE(invited["rooms"]["knock"].HasMember(room.c_str()));
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(room), bob.token, "{}").status, 200);
    const auto joined = parse(sync(hs, bob, "since=" + str(invited, "next_batch")).body);
    EXPECT_TRUE(joined["rooms"]["join"].HasMember(room.c_str()));
    EXPECT_FALSE(joined["rooms"]["knock"].HasMember(room.c_str()));
    EXPECT_FALSE(parse(sync(hs, bob, "").body)["rooms"]["knock"].HasMember(room.c_str()));
}

TEST(SimulationKnock, ARefusedKnockLeavesWithItsLeaveAlone) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = knockable_room(hs, alice);
    ASSERT_EQ(knock(hs, bob, room).status, 200);
    const std::string knocked = str(parse(sync(hs, bob, "").body), "next_batch");
    send_text(hs, alice, room, "a1", "members only");
    const RawResponse kicked = call(hs.port(), "POST", kV3 + "/rooms/" + path_id(room) + "/kick",
                                    alice.token, R"({"user_id":")" + bob.user_id + R"("})");
    ASSERT_EQ(kicked.status, 200) << kicked.body;

    const RawResponse synced = sync(hs, bob, "since=" + knocked);
    expect_valid("sync", synced);
    const auto json = parse(synced.body);
    EXPECT_FALSE(json["rooms"]["knock"].HasMember(room.c_str()));
    ASSERT_TRUE(json["rooms"]["leave"].HasMember(room.c_str())) << synced.body;
    // Bob never joined: he sees his leave, not the members' message.
    const auto& events = json["rooms"]["leave"][room.c_str()]["timeline"]["events"];
    ASSERT_EQ(events.Size(), 1u) << synced.body;
    EXPECT_EQ(str(events[0], "state_key"), bob.user_id);
    EXPECT_EQ(str(events[0]["content"], "membership"), "leave");
}

// ---- upgradeRoom --------------------------------------------------------------------------

TEST(SimulationUpgrade, ReplacesTheRoomAndTombstonesTheOldOne) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string old_room = create_room(
        hs, alice, R"({"preset":"public_chat","name":"Old","topic":"About","room_version":"9"})");
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(old_room), bob.token, "{}").status,
              200);
    const std::string upgrade = kV3 + "/rooms/" + path_id(old_room) + "/upgrade";

    EXPECT_EQ(call(hs.port(), "POST", upgrade, bob.token, R"({"new_version":"10"})").status, 403);
    const RawResponse unsupported =
        call(hs.port(), "POST", upgrade, alice.token, R"({"new_version":"99"})");
    EXPECT_EQ(unsupported.status, 400);
    EXPECT_EQ(errcode(unsupported), "M_UNSUPPORTED_ROOM_VERSION");

    const RawResponse r = call(hs.port(), "POST", upgrade, alice.token, R"({"new_version":"10"})");
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("upgradeRoom", r);
    const std::string new_room = str(parse(r.body), "replacement_room");
    ASSERT_FALSE(new_room.empty());
    const std::string new_state = kV3 + "/rooms/" + path_id(new_room) + "/state/";
    const auto create =
        parse(call(hs.port(), "GET", new_state + "m.room.create", alice.token).body);
    EXPECT_EQ(str(create, "room_version"), "10");
    EXPECT_EQ(str(create["predecessor"], "room_id"), old_room);
    EXPECT_EQ(
        str(parse(call(hs.port(), "GET", new_state + "m.room.name", alice.token).body), "name"),
        "Old");
    EXPECT_EQ(
        str(parse(call(hs.port(), "GET", new_state + "m.room.topic", alice.token).body), "topic"),
        "About");
    EXPECT_EQ(str(parse(call(hs.port(), "GET", new_state + "m.room.join_rules", alice.token).body),
                  "join_rule"),
              "public");
    const auto tombstone =
        parse(call(hs.port(), "GET",
                   kV3 + "/rooms/" + path_id(old_room) + "/state/m.room.tombstone", alice.token)
                  .body);
    EXPECT_EQ(str(tombstone, "replacement_room"), new_room);
    // Bob follows the tombstone into the public replacement.
    EXPECT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(new_room), bob.token, "{}").status,
              200);
}

// ---- getNotifications ---------------------------------------------------------------------

// By the default push rules: every message notifies (.m.rule.message), mentions of the display
// name or user name highlight; her own answer marks what came before it read.
TEST(SimulationNotifications, MentionsAndMessagesNotify) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const Account carol = add_user(hs, "carol");
    const std::string group = create_room(hs, alice, R"({"preset":"public_chat"})");
    const std::string direct = create_room(hs, alice, R"({"preset":"public_chat"})");
    for (const Account* who : {&bob, &carol}) {
        ASSERT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(group), who->token, "{}").status,
                  200);
    }
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/join/" + path_id(direct), bob.token, "{}").status,
              200);
    const std::string plain = send_text(hs, carol, group, "c1", "nobody in particular");
    const std::string by_name = send_text(hs, carol, group, "c2", "hey ALICE, look");
    const std::string by_id = send_text(hs, carol, group, "c3", "cc " + alice.user_id);
    const std::string one_to_one = send_text(hs, bob, direct, "b1", "just us");
    send_text(hs, alice, direct, "a1", "alice talks to herself");

    const RawResponse r = call(hs.port(), "GET", kV3 + "/notifications", alice.token);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_valid("getNotifications", r);
    const auto json = parse(r.body);
    std::vector<std::string> ids;
    for (const auto& n : json["notifications"].GetArray()) {
        ids.push_back(str(n["event"], "event_id"));
        // Alice answered in the direct room after Bob's message, not in the group.
        EXPECT_EQ(n["read"].GetBool(), str(n, "room_id") == direct);
    }
    EXPECT_EQ(ids, (std::vector<std::string>{one_to_one, by_id, by_name, plain}));
    EXPECT_EQ(str(json["notifications"][0], "room_id"), direct);

    const auto highlights =
        parse(call(hs.port(), "GET", kV3 + "/notifications?only=highlight", alice.token).body);
    EXPECT_EQ(highlights["notifications"].Size(), 2u);

    const auto first =
        parse(call(hs.port(), "GET", kV3 + "/notifications?limit=2", alice.token).body);
    EXPECT_EQ(first["notifications"].Size(), 2u);
    ASSERT_TRUE(first.HasMember("next_token"));
    const auto second =
        parse(call(hs.port(), "GET",
                   kV3 + "/notifications?limit=2&from=" + str(first, "next_token"), alice.token)
                  .body);
    ASSERT_EQ(second["notifications"].Size(), 2u);
    EXPECT_EQ(str(second["notifications"][0]["event"], "event_id"), by_name);
    EXPECT_FALSE(second.HasMember("next_token"));
    EXPECT_EQ(call(hs.port(), "GET", kV3 + "/notifications?from=nope", alice.token).status, 400);
}

}  // namespace
}  // namespace matrix::mock
