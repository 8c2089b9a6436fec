// The simulation's push rules over real sockets: every /pushrules operation written and read
// back, rule order, the server-default rules' protections, evaluation in getNotifications, the
// unread counts of /sync and the receipts that reset them, and m.push_rules account data.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "matrix/operation_match.hpp"
#include "matrix/spec_validation.hpp"
#include "response_schema_check.hpp"
#include "simulation_client.hpp"

namespace matrix::mock {
namespace {

using namespace testing;

const std::string kRules = kV3 + "/pushrules/global/";

// A value as compact JSON.
std::string to_text_of(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return buffer.GetString();
}

// The rule ids of one kind, in priority order.
std::vector<std::string> rule_ids(const MockHomeserver& hs, const Account& who,
                                  const std::string& kind) {
    const RawResponse r = call(hs.port(), "GET", kRules, who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    const auto json = parse(r.body);
    std::vector<std::string> ids;
    for (const auto& rule : json[kind.c_str()].GetArray()) ids.push_back(str(rule, "rule_id"));
    return ids;
}

RawResponse put_rule(const MockHomeserver& hs, const Account& who, const std::string& path,
                     const std::string& body) {
    return call(hs.port(), "PUT", kRules + path, who.token, body);
}

// The event ids of the user's notifications, newest first (`only` as the query gives it).
std::vector<std::string> notified(const MockHomeserver& hs, const Account& who,
                                  const std::string& query = {}) {
    const RawResponse r = call(hs.port(), "GET", kV3 + "/notifications" + query, who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    expect_valid("getNotifications", r);
    std::vector<std::string> ids;
    const auto json = parse(r.body);  // kept: a range-for over a temporary's member dangles
    for (const auto& n : json["notifications"].GetArray()) {
        ids.push_back(str(n["event"], "event_id"));
    }
    return ids;
}

struct Unread {
    std::int64_t notifications = -1;
    std::int64_t highlights = -1;
};

// rooms.join[room].unread_notifications of a sync answer; -1s when the room is not in it.
Unread unread_in(const rapidjson::Document& json, const std::string& room) {
    if (!json.HasMember("rooms") || !json["rooms"]["join"].HasMember(room.c_str())) return {};
    const auto& counts = json["rooms"]["join"][room.c_str()]["unread_notifications"];
    return {counts["notification_count"].GetInt64(), counts["highlight_count"].GetInt64()};
}

RawResponse receipt(const MockHomeserver& hs, const Account& who, const std::string& room,
                    const std::string& type, const std::string& event_id,
                    const std::string& body = "{}") {
    return call(hs.port(), "POST",
                kV3 + "/rooms/" + path_id(room) + "/receipt/" + type + "/" + event_id, who.token,
                body);
}

std::int64_t state_bytes(const MockHomeserver& hs) {
    return parse(call(hs.port(), "GET", "/__admin/sim/state").body)["state_bytes"].GetInt64();
}

// ---- the operations -------------------------------------------------------------------------

TEST(SimulationPushRules, TheDefaultRulesetIsTheSpecs) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const RawResponse all = call(hs.port(), "GET", kV3 + "/pushrules/", alice.token);
    ASSERT_EQ(all.status, 200) << all.body;
    expect_valid("getPushRules", all);
    const RawResponse global = call(hs.port(), "GET", kRules, alice.token);
    expect_valid("getPushRulesGlobal", global);
    EXPECT_EQ(global.body, to_text_of(parse(all.body)["global"]));
    EXPECT_EQ(
        rule_ids(hs, alice, "override"),
        (std::vector<std::string>{
            ".m.rule.master", ".m.rule.suppress_notices", ".m.rule.invite_for_me",
            ".m.rule.member_event", ".m.rule.is_user_mention", ".m.rule.contains_display_name",
            ".m.rule.is_room_mention", ".m.rule.roomnotif", ".m.rule.tombstone", ".m.rule.reaction",
            ".m.rule.server_acl", ".m.rule.suppress_edits"}));
    EXPECT_EQ(rule_ids(hs, alice, "content"),
              (std::vector<std::string>{".m.rule.contains_user_name"}));
    EXPECT_EQ(rule_ids(hs, alice, "underride"),
              (std::vector<std::string>{".m.rule.call", ".m.rule.encrypted_room_one_to_one",
                                        ".m.rule.room_one_to_one", ".m.rule.message",
                                        ".m.rule.encrypted"}));
    // The owner's ids are in the rules that name them.
    const auto name = parse(
        call(hs.port(), "GET", kRules + "content/.m.rule.contains_user_name", alice.token).body);
    EXPECT_EQ(str(name, "pattern"), "alice");
    const auto invite =
        parse(call(hs.port(), "GET", kRules + "override/.m.rule.invite_for_me", alice.token).body);
    EXPECT_EQ(str(invite["conditions"][2], "pattern"), alice.user_id);
    const auto master =
        call(hs.port(), "GET", kRules + "override/.m.rule.master/enabled", alice.token);
    EXPECT_FALSE(parse(master.body)["enabled"].GetBool());
}

TEST(SimulationPushRules, EachOperationWritesWhatIsReadBack) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::int64_t before = state_bytes(hs);
    const RawResponse set =
        put_rule(hs, alice, "content/cake", R"({"pattern":"cake*lie","actions":["notify"]})");
    ASSERT_EQ(set.status, 200) << set.body;
    expect_valid("setPushRule", set);
    EXPECT_GT(state_bytes(hs), before);  // the stored ruleset is charged to the budget

    RawResponse got = call(hs.port(), "GET", kRules + "content/cake", alice.token);
    ASSERT_EQ(got.status, 200) << got.body;
    expect_valid("getPushRule", got);
    auto rule = parse(got.body);
    EXPECT_EQ(str(rule, "pattern"), "cake*lie");
    EXPECT_FALSE(rule["default"].GetBool());
    EXPECT_TRUE(rule["enabled"].GetBool());
    // The most important user rule of its kind, before the server-default one.
    EXPECT_EQ(rule_ids(hs, alice, "content"),
              (std::vector<std::string>{"cake", ".m.rule.contains_user_name"}));

    const RawResponse disable = put_rule(hs, alice, "content/cake/enabled", R"({"enabled":false})");
    ASSERT_EQ(disable.status, 200) << disable.body;
    expect_valid("setPushRuleEnabled", disable);
    got = call(hs.port(), "GET", kRules + "content/cake/enabled", alice.token);
    expect_valid("isPushRuleEnabled", got);
    EXPECT_FALSE(parse(got.body)["enabled"].GetBool());

    const RawResponse actions = put_rule(hs, alice, "content/cake/actions",
                                         R"({"actions":["notify",{"set_tweak":"highlight"}]})");
    ASSERT_EQ(actions.status, 200) << actions.body;
    expect_valid("setPushRuleActions", actions);
    got = call(hs.port(), "GET", kRules + "content/cake/actions", alice.token);
    expect_valid("getPushRuleActions", got);
    EXPECT_EQ(got.body, R"({"actions":["notify",{"set_tweak":"highlight"}]})");

    // Replacing the rule keeps its enabled state; actions of a default rule can change.
    ASSERT_EQ(put_rule(hs, alice, "content/cake", R"({"pattern":"pie","actions":[]})").status, 200);
    rule = parse(call(hs.port(), "GET", kRules + "content/cake", alice.token).body);
    EXPECT_EQ(str(rule, "pattern"), "pie");
    EXPECT_FALSE(rule["enabled"].GetBool());
    ASSERT_EQ(put_rule(hs, alice, "underride/.m.rule.message/actions", R"({"actions":[]})").status,
              200);
    EXPECT_EQ(
        call(hs.port(), "GET", kRules + "underride/.m.rule.message/actions", alice.token).body,
        R"({"actions":[]})");

    const RawResponse removed = call(hs.port(), "DELETE", kRules + "content/cake", alice.token);
    ASSERT_EQ(removed.status, 200) << removed.body;
    expect_valid("deletePushRule", removed);
    EXPECT_EQ(call(hs.port(), "GET", kRules + "content/cake", alice.token).status, 404);

    // Override rules go after .m.rule.master; conditions are kept as sent.
    ASSERT_EQ(put_rule(hs, alice, "override/quiet",
                       R"({"conditions":[{"kind":"event_match","key":"type","pattern":"x.*"}],)"
                       R"("actions":[]})")
                  .status,
              200);
    EXPECT_EQ(rule_ids(hs, alice, "override")[1], "quiet");
    rule = parse(call(hs.port(), "GET", kRules + "override/quiet", alice.token).body);
    EXPECT_EQ(str(rule["conditions"][0], "pattern"), "x.*");
}

TEST(SimulationPushRules, BeforeAndAfterPlaceRules) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::string body = R"({"actions":["notify"]})";
    ASSERT_EQ(put_rule(hs, alice, "sender/a", body).status, 200);
    ASSERT_EQ(put_rule(hs, alice, "sender/b", body).status, 200);  // most important: first
    EXPECT_EQ(rule_ids(hs, alice, "sender"), (std::vector<std::string>{"b", "a"}));
    ASSERT_EQ(put_rule(hs, alice, "sender/c?after=a", body).status, 200);
    EXPECT_EQ(rule_ids(hs, alice, "sender"), (std::vector<std::string>{"b", "a", "c"}));
    ASSERT_EQ(put_rule(hs, alice, "sender/d?before=a", body).status, 200);
    EXPECT_EQ(rule_ids(hs, alice, "sender"), (std::vector<std::string>{"b", "d", "a", "c"}));
    // Moving an existing rule.
    ASSERT_EQ(put_rule(hs, alice, "sender/b?after=c", body).status, 200);
    EXPECT_EQ(rule_ids(hs, alice, "sender"), (std::vector<std::string>{"d", "a", "c", "b"}));

    const RawResponse missing = put_rule(hs, alice, "sender/e?before=nope", body);
    EXPECT_EQ(missing.status, 404) << missing.body;
    EXPECT_EQ(errcode(missing), "M_NOT_FOUND");
    EXPECT_EQ(put_rule(hs, alice, "sender/e?after=nope", body).status, 404);
    const RawResponse relative_to_default =
        put_rule(hs, alice, "underride/e?before=.m.rule.message", body);
    EXPECT_EQ(relative_to_default.status, 400) << relative_to_default.body;
    EXPECT_EQ(errcode(relative_to_default), "M_INVALID_PARAM");
    EXPECT_EQ(rule_ids(hs, alice, "sender"), (std::vector<std::string>{"d", "a", "c", "b"}));
}

TEST(SimulationPushRules, DefaultRulesAreProtected) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const RawResponse removed =
        call(hs.port(), "DELETE", kRules + "underride/.m.rule.message", alice.token);
    EXPECT_EQ(removed.status, 400) << removed.body;
    EXPECT_EQ(errcode(removed), "M_INVALID_PARAM");
    const RawResponse replaced =
        put_rule(hs, alice, "override/.m.rule.master", R"({"conditions":[],"actions":["notify"]})");
    EXPECT_EQ(replaced.status, 400) << replaced.body;
    EXPECT_EQ(errcode(replaced), "M_INVALID_PARAM");
    EXPECT_EQ(put_rule(hs, alice, "override/.mine", R"({"actions":[]})").status, 400);
    EXPECT_EQ(put_rule(hs, alice, "override/a%2Fb", R"({"actions":[]})").status, 400);
    EXPECT_EQ(call(hs.port(), "GET", kRules + "underride/.m.rule.message", alice.token).status,
              200);
    const auto master =
        parse(call(hs.port(), "GET", kRules + "override/.m.rule.master", alice.token).body);
    EXPECT_EQ(master["actions"].Size(), 0u);
}

TEST(SimulationPushRules, UnknownRulesAndKindsAreRefused) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const std::vector<std::pair<std::string, std::string>> requests = {
        {"GET", "room/nope"},
        {"DELETE", "room/nope"},
        {"GET", "room/nope/enabled"},
        {"PUT", "room/nope/enabled"},
        {"GET", "room/nope/actions"},
        {"PUT", "room/nope/actions"},
        {"GET", "content/.m.rule.message"}};
    for (const auto& [method, path] : requests) {
        const RawResponse r = call(hs.port(), method, kRules + path, alice.token,
                                   method == "PUT" ? R"({"enabled":true,"actions":[]})" : "");
        EXPECT_EQ(r.status, 404) << method << " " << path << " " << r.body;
        EXPECT_EQ(errcode(r), "M_NOT_FOUND") << method << " " << path;
    }
    for (const std::string method : {"GET", "PUT", "DELETE"}) {
        const RawResponse r = call(hs.port(), method, kRules + "sideways/x", alice.token,
                                   method == "PUT" ? R"({"actions":[]})" : "");
        EXPECT_EQ(r.status, 400) << method << " " << r.body;
        EXPECT_EQ(errcode(r), "M_INVALID_PARAM") << method << " " << r.body;
    }
    // Bad bodies: no actions, an unknown action, a content rule without a pattern.
    EXPECT_EQ(errcode(put_rule(hs, alice, "room/x", "{}")), "M_MISSING_PARAM");
    EXPECT_EQ(errcode(put_rule(hs, alice, "room/x", R"({"actions":["shout"]})")),
              "M_INVALID_PARAM");
    EXPECT_EQ(errcode(put_rule(hs, alice, "content/x", R"({"actions":[]})")), "M_MISSING_PARAM");
    EXPECT_EQ(errcode(put_rule(hs, alice, "override/.m.rule.master/enabled", R"({"enabled":1})")),
              "M_MISSING_PARAM");
    EXPECT_EQ(rule_ids(hs, alice, "room"), std::vector<std::string>{});
}

// ---- evaluation ---------------------------------------------------------------------------

TEST(SimulationPushRules, DisablingTheMessageRuleStopsNotifications) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const Account carol = add_user(hs, "carol");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    join(hs, bob, room);
    join(hs, carol, room);
    const std::string message = send_text(hs, bob, room, "b1", "lunch?");
    send_text(hs, alice, room, "a1", "alice's own message never notifies her");
    EXPECT_EQ(notified(hs, alice), std::vector<std::string>{message});
    EXPECT_EQ(notified(hs, alice, "?only=highlight"), std::vector<std::string>{});

    ASSERT_EQ(
        put_rule(hs, alice, "underride/.m.rule.message/enabled", R"({"enabled":false})").status,
        200);
    send_text(hs, carol, room, "c1", "anyone?");
    EXPECT_EQ(notified(hs, alice), std::vector<std::string>{});
    // Bob's rules are his own: Alice's and Carol's messages notify him.
    EXPECT_EQ(notified(hs, bob).size(), 2u);
}

TEST(SimulationPushRules, AKeywordContentRuleHighlights) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const Account carol = add_user(hs, "carol");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    join(hs, bob, room);
    join(hs, carol, room);
    ASSERT_EQ(put_rule(hs, alice, "content/cake",
                       R"({"pattern":"cake?","actions":["notify",{"set_tweak":"highlight"}]})")
                  .status,
              200);
    const std::string cakes = send_text(hs, bob, room, "b1", "Who wants CAKES, then?");
    send_text(hs, bob, room, "b2", "pancakes are no cakes");  // "cakes" again: a highlight
    send_text(hs, bob, room, "b3", "pancakes only");          // inside a word: no highlight
    const RawResponse r =
        call(hs.port(), "GET", kV3 + "/notifications?only=highlight", alice.token);
    const auto json = parse(r.body);
    ASSERT_EQ(json["notifications"].Size(), 2u) << r.body;
    EXPECT_EQ(str(json["notifications"][1]["event"], "event_id"), cakes);
    const auto& actions = json["notifications"][1]["actions"];
    ASSERT_EQ(actions.Size(), 2u);
    EXPECT_EQ(str(actions[1], "set_tweak"), "highlight");
    EXPECT_EQ(notified(hs, alice).size(), 3u);  // the third by .m.rule.message
}

TEST(SimulationPushRules, EveryConditionKindIsEvaluated) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const Account carol = add_user(hs, "carol");
    // Carol may notify the room (level 50, the default notifications.room); Bob may not.
    const std::string room = create_room(
        hs, alice,
        R"({"preset":"public_chat","power_level_content_override":{"users":{"@alice:localhost":100,"@carol:localhost":50}}})");
    join(hs, bob, room);
    join(hs, carol, room);
    const auto message = [&](const Account& who, const std::string& txn, const std::string& extra) {
        return send_event(hs, who, room, "m.room.message", txn,
                          R"({"msgtype":"m.text","body":"hi")" + extra + "}");
    };
    send_event(hs, bob, room, "m.room.message", "n", R"({"msgtype":"m.notice","body":"bot"})");
    const std::string pill =
        message(bob, "m", R"(,"m.mentions":{"user_ids":["@alice:localhost"]})");
    const std::string bob_room = message(bob, "r1", R"(,"m.mentions":{"room":true})");
    const std::string carol_room = message(carol, "r2", R"(,"m.mentions":{"room":true})");
    message(bob, "e", R"(,"m.relates_to":{"rel_type":"m.replace","event_id":")" + pill + R"("})");
    send_event(
        hs, bob, room, "m.reaction", "x",
        R"({"m.relates_to":{"rel_type":"m.annotation","event_id":")" + pill + R"(","key":"+1"}})");
    // The notice, the edit and the reaction are suppressed; the pill and Carol's @room
    // highlight; Bob's @room is only a message.
    EXPECT_EQ(notified(hs, alice), (std::vector<std::string>{carol_room, bob_room, pill}));
    EXPECT_EQ(notified(hs, alice, "?only=highlight"), (std::vector<std::string>{carol_room, pill}));

    // A glob on a non-body key, in a user override rule.
    ASSERT_EQ(put_rule(hs, alice, "override/emotes",
                       R"({"conditions":[{"kind":"event_match","key":"content.msgtype",)"
                       R"("pattern":"M.E?OTE"}],"actions":["notify",{"set_tweak":"highlight"}]})")
                  .status,
              200);
    const std::string emote = send_event(hs, carol, room, "m.room.message", "em",
                                         R"({"msgtype":"m.emote","body":"waves"})");
    EXPECT_EQ(notified(hs, alice, "?only=highlight").front(), emote);

    // Sender and room rules mute, below the override rules: Bob's pill still highlights.
    ASSERT_EQ(put_rule(hs, alice, "sender/@bob:localhost", R"({"actions":[]})").status, 200);
    EXPECT_EQ(notified(hs, alice), (std::vector<std::string>{emote, carol_room, pill}));
    ASSERT_EQ(call(hs.port(), "DELETE", kRules + "override/emotes", alice.token).status, 200);
    ASSERT_EQ(put_rule(hs, alice, "room/" + path_id(room), R"({"actions":[]})").status, 200);
    const std::vector<std::string> overridden{carol_room, pill};
    EXPECT_EQ(notified(hs, alice), overridden);

    // room_member_count in a user override rule, above the server-default ones: every event
    // of the others (joins, the notice, the edit and the reaction too) while it holds.
    ASSERT_EQ(put_rule(hs, alice, "override/big",
                       R"({"conditions":[{"kind":"room_member_count","is":">=3"}],)"
                       R"("actions":["notify"]})")
                  .status,
              200);
    EXPECT_EQ(notified(hs, alice).size(), 9u);
    ASSERT_EQ(put_rule(hs, alice, "override/big",
                       R"({"conditions":[{"kind":"room_member_count","is":"<3"}],)"
                       R"("actions":["notify"]})")
                  .status,
              200);
    EXPECT_EQ(notified(hs, alice), overridden);  // three are joined
    // A condition kind the spec does not define never matches.
    ASSERT_EQ(put_rule(hs, alice, "override/odd",
                       R"({"conditions":[{"kind":"org.example.always"}],"actions":["notify"]})")
                  .status,
              200);
    EXPECT_EQ(notified(hs, alice), overridden);
}

TEST(SimulationPushRules, SyncCountsUnreadOneToOneMessagesUntilAReceipt) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    join(hs, bob, room);
    auto first = parse(sync(hs, alice, "timeout=0").body);
    EXPECT_EQ(unread_in(first, room).notifications, 0);
    send_text(hs, bob, room, "b1", "one");
    const std::string last = send_text(hs, bob, room, "b2", "two");
    const RawResponse r = sync(hs, alice, "timeout=0&since=" + str(first, "next_batch"));
    expect_valid("sync", r);
    auto second = parse(r.body);
    EXPECT_EQ(unread_in(second, room).notifications, 2) << r.body;
    EXPECT_EQ(unread_in(second, room).highlights, 0);

    // A receipt wakes the held sync, which carries the room with its counts reset.
    const std::string since = str(second, "next_batch");
    auto held = std::async(std::launch::async,
                           [&] { return sync(hs, alice, "timeout=20000&since=" + since); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const std::int64_t bytes = state_bytes(hs);
    const RawResponse read = receipt(hs, alice, room, "m.read", last);
    ASSERT_EQ(read.status, 200) << read.body;
    expect_valid("postReceipt", read);
    EXPECT_GT(state_bytes(hs), bytes);  // the read position is charged to the budget
    ASSERT_EQ(held.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    const RawResponse woken_answer = held.get();
    const auto woken = parse(woken_answer.body);
    EXPECT_EQ(unread_in(woken, room).notifications, 0) << woken_answer.body;
    EXPECT_TRUE(timeline_ids(woken_answer.body, room).empty());

    // New messages count again; a read marker resets them too, and an older receipt does not
    // move the position back.
    const std::string third = send_text(hs, bob, room, "b3", "three");
    auto counted = parse(sync(hs, alice, "timeout=0&since=" + str(woken, "next_batch")).body);
    EXPECT_EQ(unread_in(counted, room).notifications, 1);
    ASSERT_EQ(call(hs.port(), "POST", kV3 + "/rooms/" + path_id(room) + "/read_markers",
                   alice.token, R"({"m.fully_read":")" + third + R"("})")
                  .status,
              200);
    EXPECT_EQ(receipt(hs, alice, room, "m.read.private", last).status, 200);
    const auto reset = parse(sync(hs, alice, "timeout=0").body);
    EXPECT_EQ(unread_in(reset, room).notifications, 0);

    // Refusals: an unknown receipt type, an event not in the room.
    EXPECT_EQ(errcode(receipt(hs, alice, room, "m.seen", last)), "M_INVALID_PARAM");
    EXPECT_EQ(receipt(hs, alice, room, "m.read", "$nope:localhost").status, 404);
    EXPECT_EQ(errcode(receipt(hs, alice, room, "m.read", last, R"({"thread_id":""})")),
              "M_INVALID_PARAM");
}

// The counts are kept between syncs and brought up to date: new messages add, a redaction
// takes one back, a change of rules counts afresh.
TEST(SimulationPushRules, SyncCountsFollowNewEventsRedactionsAndRules) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    join(hs, bob, room);
    std::string since = str(parse(sync(hs, alice, "timeout=0").body), "next_batch");
    const auto counts = [&] {
        const auto json = parse(sync(hs, alice, "timeout=0&since=" + since).body);
        since = str(json, "next_batch");
        return unread_in(json, room).notifications;
    };
    send_text(hs, bob, room, "b1", "one");
    const std::string two = send_text(hs, bob, room, "b2", "two");
    EXPECT_EQ(counts(), 2);
    send_text(hs, bob, room, "b3", "three");
    EXPECT_EQ(counts(), 3);
    ASSERT_EQ(call(hs.port(), "PUT", kV3 + "/rooms/" + path_id(room) + "/redact/" + two + "/r1",
                   bob.token, "{}")
                  .status,
              200);
    EXPECT_EQ(counts(), 2);
    for (const std::string rule :
         {"underride/.m.rule.room_one_to_one", "underride/.m.rule.message"}) {
        ASSERT_EQ(put_rule(hs, alice, rule + "/enabled", R"({"enabled":false})").status, 200);
    }
    EXPECT_EQ(unread_in(parse(sync(hs, alice, "timeout=0").body), room).notifications, 0);
    send_text(hs, bob, room, "b4", "alice?");  // her user name: .m.rule.contains_user_name
    const auto json = parse(sync(hs, alice, "timeout=0&since=" + since).body);
    EXPECT_EQ(unread_in(json, room).notifications, 1);
    EXPECT_EQ(unread_in(json, room).highlights, 1);
}

TEST(SimulationPushRules, SyncCountsAHighlightForTheDisplayName) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const Account bob = add_user(hs, "bob");
    const Account carol = add_user(hs, "carol");
    ASSERT_EQ(call(hs.port(), "PUT", kV3 + "/profile/" + alice.user_id + "/displayname",
                   alice.token, R"({"displayname":"Wonder Woman"})")
                  .status,
              200);
    const std::string room = create_room(hs, alice, R"({"preset":"public_chat"})");
    join(hs, bob, room);
    join(hs, carol, room);
    send_text(hs, bob, room, "b1", "morning");
    send_text(hs, bob, room, "b2", "ask wonder woman, she knows");
    send_text(hs, carol, room, "c1", "wonderwomanish is not her name");
    const auto json = parse(sync(hs, alice, "timeout=0").body);
    EXPECT_EQ(unread_in(json, room).notifications, 3);
    EXPECT_EQ(unread_in(json, room).highlights, 1);
    // Her own reply marks everything before it read.
    send_text(hs, alice, room, "a1", "here");
    EXPECT_EQ(unread_in(parse(sync(hs, alice, "timeout=0").body), room).notifications, 0);
}

TEST(SimulationPushRules, AnEditReachesTheNextSyncAsAccountData) {
    MockHomeserver hs(simulated());
    const Account alice = add_user(hs, "alice");
    const auto initial = parse(sync(hs, alice, "timeout=0").body);
    const auto has_push_rules = [](const rapidjson::Document& json) {
        for (const auto& event : json["account_data"]["events"].GetArray()) {
            if (str(event, "type") == "m.push_rules") return true;
        }
        return false;
    };
    EXPECT_TRUE(has_push_rules(initial));  // the server-default ruleset, before any change
    const std::string since = str(initial, "next_batch");
    EXPECT_FALSE(has_push_rules(parse(sync(hs, alice, "timeout=0&since=" + since).body)));

    ASSERT_EQ(
        put_rule(hs, alice, "underride/.m.rule.message/enabled", R"({"enabled":false})").status,
        200);
    const auto after = parse(sync(hs, alice, "timeout=0&since=" + since).body);
    ASSERT_TRUE(has_push_rules(after));
    std::string account_data_rules;
    for (const auto& event : after["account_data"]["events"].GetArray()) {
        if (str(event, "type") == "m.push_rules") account_data_rules = to_text_of(event["content"]);
    }
    // One source: the account data is the ruleset the operations serve.
    EXPECT_EQ(account_data_rules, call(hs.port(), "GET", kV3 + "/pushrules/", alice.token).body);
    EXPECT_NE(
        account_data_rules.find(R"("rule_id":".m.rule.message","default":true,"enabled":false)"),
        std::string::npos)
        << account_data_rules;
    const std::string path = kV3 + "/user/" + alice.user_id + "/account_data/m.push_rules";
    EXPECT_EQ(call(hs.port(), "GET", path, alice.token).body, account_data_rules);
    const RawResponse overwrite = call(hs.port(), "PUT", path, alice.token, R"({"global":{}})");
    EXPECT_EQ(overwrite.status, 405) << overwrite.body;
    EXPECT_EQ(errcode(overwrite), "M_BAD_JSON");
}

}  // namespace
}  // namespace matrix::mock
