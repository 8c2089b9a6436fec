// The /sync decoder: a spec-shaped response decodes exactly, and malformed input names its path.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "matrix/json.hpp"
#include "matrix/sync.hpp"

namespace matrix::sync {
namespace {

// Shaped like the example response in the client-server spec, with more kinds of events.
constexpr std::string_view kFullResponse = R"json({
  "next_batch": "s72595_4483_1934",
  "rooms": {
    "join": {
      "!726s6s6q:example.com": {
        "summary": {
          "m.heroes": ["@alice:example.com", "@bob:example.com"],
          "m.joined_member_count": 2,
          "m.invited_member_count": 0
        },
        "state": {
          "events": [
            {
              "content": {"membership": "join", "displayname": "Alice"},
              "event_id": "$143273582443PhrSn:example.org",
              "origin_server_ts": 1432735824653,
              "sender": "@alice:example.com",
              "state_key": "@alice:example.com",
              "type": "m.room.member",
              "unsigned": {"age": 1234}
            }
          ]
        },
        "timeline": {
          "events": [
            {
              "content": {"body": "Grüße, 世界 🌍", "msgtype": "m.text"},
              "event_id": "$1:example.org",
              "origin_server_ts": 1432735824654,
              "sender": "@alice:example.com",
              "type": "m.room.message"
            },
            {
              "content": {
                "body": "**bold**",
                "format": "org.matrix.custom.html",
                "formatted_body": "<strong>bold</strong> \"quoted\" \u00e9",
                "msgtype": "m.text"
              },
              "event_id": "$2:example.org",
              "origin_server_ts": 1432735824655,
              "sender": "@bob:example.com",
              "type": "m.room.message",
              "unsigned": {"transaction_id": "txn1"}
            },
            {
              "content": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$1:example.org", "key": "👍"}},
              "event_id": "$3:example.org",
              "origin_server_ts": 1432735824656,
              "sender": "@bob:example.com",
              "type": "m.reaction"
            },
            {
              "content": {"reason": "Spamming"},
              "event_id": "$4:example.org",
              "origin_server_ts": 1432735824657,
              "redacts": "$2:example.org",
              "sender": "@alice:example.com",
              "type": "m.room.redaction"
            }
          ],
          "limited": true,
          "prev_batch": "t34-23535_0_0"
        },
        "ephemeral": {
          "events": [
            {"content": {"user_ids": ["@alice:example.com"]}, "type": "m.typing"},
            {
              "content": {"$1:example.org": {"m.read": {"@bob:example.com": {"ts": 1436451550453}}}},
              "type": "m.receipt"
            }
          ]
        },
        "account_data": {
          "events": [{"content": {"tags": {"u.work": {"order": 0.9}}}, "type": "m.tag"}]
        },
        "unread_notifications": {"highlight_count": 1, "notification_count": 5}
      }
    },
    "invite": {
      "!696r7674:example.com": {
        "invite_state": {
          "events": [
            {"content": {"name": "My Room Name"}, "sender": "@alice:example.com", "state_key": "", "type": "m.room.name"},
            {"content": {"membership": "invite"}, "sender": "@alice:example.com", "state_key": "@bob:example.com", "type": "m.room.member"}
          ]
        }
      }
    },
    "leave": {
      "!left:example.com": {
        "timeline": {
          "events": [
            {
              "content": {"membership": "leave"},
              "event_id": "$5:example.org",
              "origin_server_ts": 1432735824700,
              "sender": "@bob:example.com",
              "state_key": "@bob:example.com",
              "type": "m.room.member"
            }
          ],
          "limited": false,
          "prev_batch": "t1"
        },
        "state": {"events": []}
      }
    },
    "knock": {}
  },
  "presence": {
    "events": [
      {"content": {"currently_active": false, "last_active_ago": 2478593, "presence": "online"}, "sender": "@example:localhost", "type": "m.presence"}
    ]
  },
  "account_data": {
    "events": [{"content": {"custom_config_key": "custom_config_value"}, "type": "org.example.custom.config"}]
  },
  "to_device": {
    "events": [{"content": {"algorithm": "m.megolm.v1.aes-sha2", "room_id": "!726s6s6q:example.com"}, "sender": "@alice:example.com", "type": "m.new_device"}]
  },
  "device_lists": {"changed": ["@alice:example.com"], "left": ["@bob:example.com"]},
  "device_one_time_keys_count": {"signed_curve25519": 20, "curve25519": 0}
})json";

void expect_same_json(std::string_view actual, std::string_view expected) {
    EXPECT_EQ(Json::parse(actual), Json::parse(expected)) << "actual: " << actual;
}

// The path a SyncDecodeError names, or a marker saying what happened instead.
std::string error_path(std::string_view json) {
    try {
        decode(json);
    } catch (const SyncDecodeError& e) {
        return e.path();
    } catch (const std::exception& e) {
        return std::string("<other exception: ") + e.what() + ">";
    }
    return "<nothing thrown>";
}

TEST(SyncDecode, DecodesTheTopLevelOfASpecShapedResponse) {
    const SyncResponse r = decode(kFullResponse);
    EXPECT_EQ(r.next_batch, "s72595_4483_1934");
    ASSERT_EQ(r.join.size(), 1u);
    ASSERT_EQ(r.invite.size(), 1u);
    ASSERT_EQ(r.leave.size(), 1u);
    EXPECT_TRUE(r.knock.empty());
    EXPECT_EQ(r.join[0].first, "!726s6s6q:example.com");
    EXPECT_EQ(r.invite[0].first, "!696r7674:example.com");
    EXPECT_EQ(r.leave[0].first, "!left:example.com");

    ASSERT_EQ(r.presence.size(), 1u);
    EXPECT_EQ(r.presence[0].type, "m.presence");
    EXPECT_EQ(r.presence[0].sender, "@example:localhost");
    expect_same_json(
        r.presence[0].content_json,
        R"({"currently_active": false, "last_active_ago": 2478593, "presence": "online"})");
    ASSERT_EQ(r.account_data.size(), 1u);
    EXPECT_EQ(r.account_data[0].type, "org.example.custom.config");
    ASSERT_EQ(r.to_device.size(), 1u);
    EXPECT_EQ(r.to_device[0].type, "m.new_device");
    EXPECT_EQ(r.to_device[0].sender, "@alice:example.com");

    EXPECT_EQ(r.device_lists.changed, std::vector<std::string_view>{"@alice:example.com"});
    EXPECT_EQ(r.device_lists.left, std::vector<std::string_view>{"@bob:example.com"});
    const std::vector<std::pair<std::string_view, std::int64_t>> counts{{"signed_curve25519", 20},
                                                                        {"curve25519", 0}};
    EXPECT_EQ(r.device_one_time_keys_count, counts);
}

TEST(SyncDecode, DecodesAJoinedRoomsSummaryStateAndCounts) {
    // The views point into the response, so it must outlive them.
    const SyncResponse response = decode(kFullResponse);
    const JoinedRoom& room = response.join.at(0).second;
    EXPECT_EQ(room.summary.heroes,
              (std::vector<std::string_view>{"@alice:example.com", "@bob:example.com"}));
    EXPECT_EQ(room.summary.joined_member_count, 2);
    EXPECT_EQ(room.summary.invited_member_count, 0);
    EXPECT_EQ(room.unread_notifications.highlight_count, 1);
    EXPECT_EQ(room.unread_notifications.notification_count, 5);

    ASSERT_EQ(room.state.size(), 1u);
    const Event& member = room.state[0];
    EXPECT_EQ(member.type, "m.room.member");
    EXPECT_EQ(member.event_id, "$143273582443PhrSn:example.org");
    EXPECT_EQ(member.sender, "@alice:example.com");
    EXPECT_EQ(member.origin_server_ts, 1432735824653);
    EXPECT_EQ(member.state_key, "@alice:example.com");
    expect_same_json(member.content_json, R"({"membership": "join", "displayname": "Alice"})");
    expect_same_json(member.unsigned_json, R"({"age": 1234})");

    ASSERT_EQ(room.account_data.size(), 1u);
    EXPECT_EQ(room.account_data[0].type, "m.tag");
    expect_same_json(room.account_data[0].content_json, R"({"tags": {"u.work": {"order": 0.9}}})");
}

TEST(SyncDecode, DecodesTheTimelineWithMessagesAReactionAndARedaction) {
    // The views point into the response, so it must outlive them.
    const SyncResponse response = decode(kFullResponse);
    const Timeline& timeline = response.join.at(0).second.timeline;
    EXPECT_TRUE(timeline.limited);
    EXPECT_EQ(timeline.prev_batch, "t34-23535_0_0");
    ASSERT_EQ(timeline.events.size(), 4u);

    const Event& plain = timeline.events[0];
    EXPECT_EQ(plain.type, "m.room.message");
    EXPECT_EQ(plain.event_id, "$1:example.org");
    EXPECT_EQ(plain.origin_server_ts, 1432735824654);
    EXPECT_FALSE(plain.state_key.has_value());
    EXPECT_EQ(plain.unsigned_json, "");
    expect_same_json(plain.content_json, R"({"body": "Grüße, 世界 🌍", "msgtype": "m.text"})");

    const Event& formatted = timeline.events[1];
    EXPECT_EQ(formatted.sender, "@bob:example.com");
    expect_same_json(formatted.content_json, R"({
        "body": "**bold**", "format": "org.matrix.custom.html",
        "formatted_body": "<strong>bold</strong> \"quoted\" é", "msgtype": "m.text"})");
    expect_same_json(formatted.unsigned_json, R"({"transaction_id": "txn1"})");

    const Event& reaction = timeline.events[2];
    EXPECT_EQ(reaction.type, "m.reaction");
    expect_same_json(reaction.content_json, R"({"m.relates_to":
        {"rel_type": "m.annotation", "event_id": "$1:example.org", "key": "👍"}})");

    const Event& redaction = timeline.events[3];
    EXPECT_EQ(redaction.type, "m.room.redaction");
    EXPECT_EQ(redaction.event_id, "$4:example.org");
    expect_same_json(redaction.content_json, R"({"reason": "Spamming"})");
}

TEST(SyncDecode, DecodesEphemeralReceiptsAndTyping) {
    // The views point into the response, so it must outlive them.
    const SyncResponse response = decode(kFullResponse);
    const JoinedRoom& room = response.join.at(0).second;
    ASSERT_EQ(room.ephemeral.size(), 2u);
    EXPECT_EQ(room.ephemeral[0].type, "m.typing");
    expect_same_json(room.ephemeral[0].content_json, R"({"user_ids": ["@alice:example.com"]})");
    EXPECT_EQ(room.ephemeral[1].type, "m.receipt");
    expect_same_json(
        room.ephemeral[1].content_json,
        R"({"$1:example.org": {"m.read": {"@bob:example.com": {"ts": 1436451550453}}}})");
}

TEST(SyncDecode, DecodesInviteStateAsStrippedEvents) {
    // The views point into the response, so it must outlive them.
    const SyncResponse response = decode(kFullResponse);
    const InvitedRoom& room = response.invite.at(0).second;
    ASSERT_EQ(room.invite_state.size(), 2u);
    EXPECT_EQ(room.invite_state[0].type, "m.room.name");
    EXPECT_EQ(room.invite_state[0].state_key, "");
    EXPECT_EQ(room.invite_state[0].sender, "@alice:example.com");
    expect_same_json(room.invite_state[0].content_json, R"({"name": "My Room Name"})");
    EXPECT_EQ(room.invite_state[1].state_key, "@bob:example.com");
    EXPECT_EQ(room.invite_state[1].event_id, "");
}

TEST(SyncDecode, DecodesALeftRoomsTimeline) {
    // The views point into the response, so it must outlive them.
    const SyncResponse response = decode(kFullResponse);
    const LeftRoom& room = response.leave.at(0).second;
    EXPECT_FALSE(room.timeline.limited);
    EXPECT_EQ(room.timeline.prev_batch, "t1");
    ASSERT_EQ(room.timeline.events.size(), 1u);
    EXPECT_EQ(room.timeline.events[0].state_key, "@bob:example.com");
    EXPECT_EQ(room.timeline.events[0].origin_server_ts, 1432735824700);
    EXPECT_TRUE(room.state.empty());
}

TEST(SyncDecode, DecodesAKnockedRoom) {
    const SyncResponse r = decode(R"({"next_batch": "n", "rooms": {"knock": {"!k:x": {
        "knock_state": {"events": [{"type": "m.room.join_rules", "state_key": "",
                                    "sender": "@a:x", "content": {"join_rule": "knock"}}]}}}}})");
    ASSERT_EQ(r.knock.size(), 1u);
    EXPECT_EQ(r.knock[0].first, "!k:x");
    ASSERT_EQ(r.knock[0].second.knock_state.size(), 1u);
    expect_same_json(r.knock[0].second.knock_state[0].content_json, R"({"join_rule": "knock"})");
}

TEST(SyncDecode, IgnoresUnknownFieldsAtEveryLevel) {
    const SyncResponse r = decode(R"({"future": {"x": [1, {"y": null}]}, "next_batch": "n",
        "rooms": {"join": {"!a:b": {"org.example": true, "timeline": {"extra": "e", "events": [
            {"type": "m.room.message", "new_field": [1, 2], "content": {}}]}}},
                  "unknown_section": {"!c:d": 5}}})");
    EXPECT_EQ(r.next_batch, "n");
    ASSERT_EQ(r.join.size(), 1u);
    ASSERT_EQ(r.join[0].second.timeline.events.size(), 1u);
    EXPECT_EQ(r.join[0].second.timeline.events[0].type, "m.room.message");
}

TEST(SyncDecode, LeavesDefaultsWhenOptionalPartsAreAbsent) {
    const SyncResponse r = decode(R"({"next_batch": "n", "rooms": {"join": {"!a:b": {
        "timeline": {"events": [{"type": "m.custom"}]}}}}})");
    const JoinedRoom& room = r.join.at(0).second;
    EXPECT_FALSE(room.timeline.limited);
    EXPECT_EQ(room.timeline.prev_batch, "");
    EXPECT_FALSE(room.summary.joined_member_count.has_value());
    const Event& event = room.timeline.events.at(0);
    EXPECT_EQ(event.content_json, "{}");
    EXPECT_EQ(event.unsigned_json, "");
    EXPECT_EQ(event.origin_server_ts, 0);
}

TEST(SyncDecode, AcceptsAnEmptyRoomsObject) {
    const SyncResponse r = decode(R"({"next_batch": "s1", "rooms": {}})");
    EXPECT_EQ(r.next_batch, "s1");
    EXPECT_TRUE(r.join.empty());
    EXPECT_TRUE(r.invite.empty());
    EXPECT_TRUE(r.leave.empty());
    EXPECT_TRUE(r.knock.empty());
}

TEST(SyncDecodeError, NamesNextBatchWhenItIsMissing) {
    EXPECT_EQ(error_path(R"({"rooms": {}})"), "$.next_batch");
}

TEST(SyncDecodeError, NamesNextBatchWhenItIsNotAString) {
    EXPECT_EQ(error_path(R"({"next_batch": 5})"), "$.next_batch");
}

TEST(SyncDecodeError, NamesTheEventFieldWhenOriginServerTsIsAString) {
    EXPECT_EQ(error_path(R"({"next_batch": "n", "rooms": {"join": {"!a:b": {"timeline": {"events": [
        {"type": "a"}, {"type": "a"}, {"type": "a"}, {"type": "a", "origin_server_ts": "12"}]}}}}})"),
              "$.rooms.join['!a:b'].timeline.events[3].origin_server_ts");
}

TEST(SyncDecodeError, NamesTheEventsFieldWhenItIsNotAnArray) {
    EXPECT_EQ(error_path(R"({"next_batch": "n", "rooms": {"join": {"!a:b": {"timeline": {
        "events": {"type": "a"}}}}}})"),
              "$.rooms.join['!a:b'].timeline.events");
}

TEST(SyncDecodeError, NamesLimitedWhenItIsANumber) {
    EXPECT_EQ(error_path(R"({"next_batch": "n", "rooms": {"leave": {"!a:b": {"timeline": {
        "limited": 1}}}}})"),
              "$.rooms.leave['!a:b'].timeline.limited");
}

TEST(SyncDecodeError, NamesTheTypeWhenAnEventHasNone) {
    EXPECT_EQ(error_path(R"({"next_batch": "n", "to_device": {"events": [{"content": {}}]}})"),
              "$.to_device.events[0].type");
}

TEST(SyncDecodeError, NamesDottedSummaryKeysInBrackets) {
    EXPECT_EQ(error_path(R"({"next_batch": "n", "rooms": {"join": {"!a:b": {"summary": {
        "m.joined_member_count": "2"}}}}})"),
              "$.rooms.join['!a:b'].summary['m.joined_member_count']");
}

TEST(SyncDecodeError, NamesContentWhenItIsNotAnObject) {
    EXPECT_EQ(error_path(R"({"next_batch": "n", "presence": {"events": [
        {"type": "m.presence", "content": "online"}]}})"),
              "$.presence.events[0].content");
}

TEST(SyncDecodeError, RefusesInvalidScalarsInsideContent) {
    // On-Demand skips content without reading its scalars; the decoder still refuses them.
    EXPECT_EQ(error_path(R"({"next_batch": "n", "account_data": {"events": [
        {"type": "t", "content": {"a": tru}}]}})"),
              "$.account_data.events[0].content");
}

TEST(SyncDecodeError, ReportsAnErrorForTheMessageAndPath) {
    try {
        decode(R"({"next_batch": "n", "device_lists": {"changed": [1]}})");
        FAIL() << "nothing thrown";
    } catch (const SyncDecodeError& e) {
        EXPECT_EQ(e.path(), "$.device_lists.changed[0]");
        EXPECT_EQ(std::string(e.what()), "$.device_lists.changed[0]: expected a string");
    }
}

TEST(SyncDecodeError, RefusesInvalidJson) {
    for (const std::string_view bad :
         {"", "   ", "not json", "[1, 2]", "\"s\"", "{\"next_batch\": }",
          "{\"next_batch\": \"n\",}", "{\"next_batch\": \"n\"} {}", "{\"next_batch\": \"\xff\"}"}) {
        EXPECT_EQ(error_path(bad).rfind("$", 0), 0u) << "input: " << bad;
    }
}

TEST(SyncDecodeError, RefusesEveryTruncationOfAFullResponseWithoutCrashing) {
    // Each strict prefix is malformed; every one must fail cleanly with a decode error.
    for (std::size_t length = 0; length + 1 < kFullResponse.size(); ++length) {
        const std::string path = error_path(kFullResponse.substr(0, length));
        ASSERT_EQ(path.rfind("$", 0), 0u) << "prefix length " << length << ": " << path;
    }
}

// The message a decode error carries, or a marker saying what happened instead.
std::string error_message(std::string_view json) {
    try {
        decode(json);
    } catch (const SyncDecodeError& e) {
        return e.what();
    }
    return "<nothing thrown>";
}

std::string with_content(std::string_view content) {
    return R"({"next_batch": "n", "account_data": {"events": [{"type": "t", "content": )" +
           std::string(content) + "}]}}";
}

TEST(SyncDecodeError, RefusesMalformedJsonInFieldsTheModelIgnores) {
    // On-Demand would skip these unread; the decoder walks them.
    EXPECT_EQ(error_path(R"({"next_batch": "n", "x": [1, 2}})"), "$.x");
    EXPECT_EQ(error_path(R"({"next_batch": "n", "x": {"a" 1}})"), "$.x");
    EXPECT_EQ(error_path(R"({"next_batch": "n", "x": [1,]})"), "$.x");
    EXPECT_EQ(error_message(R"({"next_batch": "n", "x": nul})"),
              "$.x: not valid JSON: expected true, false or null");
    EXPECT_EQ(error_message(R"({"next_batch": "n", "x": 01})"),
              "$.x: not valid JSON: a number is malformed");
    EXPECT_EQ(error_message(R"({"next_batch": "n", "x": "\q"})"),
              "$.x: not valid JSON: a string has an invalid escape sequence");
    EXPECT_EQ(error_path(R"({"next_batch": "n", "rooms": {"join": {"!a:b": {"x": [}}}})"),
              "$.rooms.join['!a:b'].x");
    // Separators simdjson's own skipping would let through.
    for (const std::string_view value :
         {R"(["k": 1])", R"({"a": "b": "c"})", R"([1: 2])", R"([true: 1])", R"({"a": null: 1})"}) {
        EXPECT_EQ(error_path(R"({"next_batch": "n", "x": )" + std::string(value) + "}"), "$.x")
            << value;
        EXPECT_EQ(error_path(with_content(R"({"c": )" + std::string(value) + "}")),
                  "$.account_data.events[0].content")
            << value;
    }
}

TEST(SyncDecodeError, RefusesInvalidEscapesInContent) {
    for (const std::string_view content :
         {R"({"s": "\x"})", R"({"s": "\u12"})", R"({"s": "\uD83D"})", R"({"s": "\uDE00"})",
          R"({"s": "\uD83D\u0041"})", R"({"k\e": 1})"}) {
        EXPECT_EQ(error_message(with_content(content)),
                  "$.account_data.events[0].content: not valid JSON: a string has an invalid "
                  "escape sequence")
            << content;
    }
}

TEST(SyncDecode, KeepsValidEscapesAndNumbersBeyondDoubleRangeVerbatim) {
    // Valid JSON that simdjson alone would refuse (the numbers) or that needs care (escapes).
    for (const std::string_view content :
         {R"({"s":"\uD83D\uDE00 \\ \" \/ \b\f\n\r\t \u00e9"})",
          R"({"big":123456789012345678901234567890,"tiny":-1.5e-400,"huge":2E+400})",
          R"({"nested":[[[{"a":[true,false,null]}]]]})"}) {
        const SyncResponse r = decode(with_content(content));
        EXPECT_EQ(r.account_data.at(0).content_json, content);
    }
}

TEST(SyncDecode, ViewsStayValidInACopyAfterTheOriginalIsGone) {
    SyncResponse copy;
    {
        const SyncResponse original = decode(kFullResponse);
        copy = original;
    }
    EXPECT_EQ(copy.next_batch, "s72595_4483_1934");
    EXPECT_EQ(copy.join.at(0).first, "!726s6s6q:example.com");
    EXPECT_EQ(copy.join.at(0).second.state.at(0).sender, "@alice:example.com");
}

TEST(SyncDecode, AReusedDecoderLeavesEarlierResponsesIntact) {
    Decoder decoder;
    const SyncResponse first = decoder.decode(kFullResponse);
    const SyncResponse second = decoder.decode(R"({"next_batch": "other", "presence": {"events":
        [{"type": "m.presence", "sender": "@zed:x", "content": {"presence": "online"}}]}})");
    EXPECT_EQ(first.next_batch, "s72595_4483_1934");
    EXPECT_EQ(first.join.at(0).second.state.at(0).sender, "@alice:example.com");
    EXPECT_EQ(second.next_batch, "other");
    EXPECT_EQ(second.presence.at(0).sender, "@zed:x");
}

TEST(SyncDecode, DecodingInPlaceKeepsTheBodyAndGivesTheSameResult) {
    std::string body(kFullResponse);
    body.shrink_to_fit();
    Decoder decoder;
    const SyncResponse in_place = decoder.decode_in_place(body);
    EXPECT_EQ(body, kFullResponse);
    EXPECT_GE(body.capacity(), body.size() + 64);
    const SyncResponse copied = decoder.decode(kFullResponse);
    EXPECT_EQ(in_place.next_batch, copied.next_batch);
    EXPECT_EQ(in_place.join.at(0).second.timeline.events.size(),
              copied.join.at(0).second.timeline.events.size());
}

// Everything the decoder keeps, spelled out, to compare two decodes field by field.
std::string describe(const std::vector<Event>& events) {
    std::string out;
    for (const Event& e : events) {
        out += std::string(e.type) + '|' + std::string(e.event_id) + '|' + std::string(e.sender) +
               '|' + std::to_string(e.origin_server_ts) + '|' +
               (e.state_key ? "=" + std::string(*e.state_key) : "-") + '|' +
               std::string(e.content_json) + '|' + std::string(e.unsigned_json) + '\n';
    }
    return out;
}

std::string describe(const SyncResponse& r) {
    std::string out = std::string(r.next_batch) + '\n';
    for (const auto& [id, room] : r.join) {
        out += "join " + std::string(id) + (room.timeline.limited ? " limited " : " ") +
               std::string(room.timeline.prev_batch) + '\n' + describe(room.timeline.events) +
               describe(room.state) + describe(room.ephemeral) + describe(room.account_data);
    }
    for (const auto& [id, room] : r.invite)
        out += "invite " + std::string(id) + '\n' + describe(room.invite_state);
    for (const auto& [id, room] : r.leave)
        out += "leave " + std::string(id) + '\n' + describe(room.timeline.events);
    for (const auto& [id, room] : r.knock)
        out += "knock " + std::string(id) + '\n' + describe(room.knock_state);
    return out + describe(r.presence) + describe(r.account_data) + describe(r.to_device);
}

TEST(SyncDecode, AReusedDecoderGivesWhatAFreshOneGives) {
    Decoder reused;
    static_cast<void>(reused.decode(R"({"next_batch": "warm-up", "rooms": {}})"));
    EXPECT_EQ(describe(reused.decode(kFullResponse)), describe(decode(kFullResponse)));
    // Failing half-way leaves nothing behind for the next decode either.
    EXPECT_THROW(reused.decode(kFullResponse.substr(0, kFullResponse.size() / 2)), SyncDecodeError);
    EXPECT_EQ(describe(reused.decode(kFullResponse)), describe(decode(kFullResponse)));
}

TEST(SyncDecode, NamesTheInstructionSetSimdjsonChose) {
    EXPECT_FALSE(Decoder::instruction_set().empty());
}

}  // namespace
}  // namespace matrix::sync
