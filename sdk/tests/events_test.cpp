// RoomEvent and StateEvent helpers: message content rules and the state events the seed offers.
#include "matrix/events.hpp"

#include <gtest/gtest.h>

#include "matrix/error.hpp"
#include "test_support.hpp"

namespace matrix {
namespace {

using testing_support::expect_json;
using testing_support::refused_argument;

TEST(RoomEventMessage, BuildsAPlainTextMessageAsTheSeedShows) {
    const RoomEvent event = RoomEvent::message("!someroom:matrix.org", MessageType::text,
                                               "Fire! Fire! Fire!", "transaction_id");
    EXPECT_EQ(event.room_id, "!someroom:matrix.org");
    EXPECT_EQ(event.type, "m.room.message");
    EXPECT_EQ(event.transaction_id, "transaction_id");
    expect_json(event.content, R"({"body":"Fire! Fire! Fire!","msgtype":"m.text"})");
}

TEST(RoomEventMessage, UsesMNoticeForNotices) {
    const RoomEvent event = RoomEvent::message("!r:x", MessageType::notice, "beep", "t1");
    expect_json(event.content, R"({"body":"beep","msgtype":"m.notice"})");
}

TEST(RoomEventMessage, DefaultsTheFormatToMatrixHtmlWhenAFormattedBodyIsGiven) {
    MessageOptions options;
    options.formatted_body = "<b>hi</b>";
    const RoomEvent event = RoomEvent::message("!r:x", MessageType::text, "hi", "t1", options);
    expect_json(event.content, R"({"body":"hi","msgtype":"m.text",
                                   "format":"org.matrix.custom.html",
                                   "formatted_body":"<b>hi</b>"})");
}

TEST(RoomEventMessage, KeepsAnExplicitFormat) {
    MessageOptions options;
    options.formatted_body = "*hi*";
    options.format = "com.example.markdown";
    const RoomEvent event = RoomEvent::message("!r:x", MessageType::notice, "hi", "t1", options);
    expect_json(event.content, R"({"body":"hi","msgtype":"m.notice",
                                   "format":"com.example.markdown","formatted_body":"*hi*"})");
}

TEST(RoomEventMessage, RefusesAFormatWithoutAFormattedBody) {
    MessageOptions options;
    options.format = "org.matrix.custom.html";
    EXPECT_EQ(refused_argument(
                  [&] { RoomEvent::message("!r:x", MessageType::text, "hi", "t1", options); }),
              "format");
}

TEST(RoomEventMessage, BuildsAFileMessageWithItsUrl) {
    MessageOptions options;
    options.url = "mxc://matrix.org/abc";
    const RoomEvent event =
        RoomEvent::message("!r:x", MessageType::file, "report.pdf", "t1", options);
    expect_json(event.content,
                R"({"body":"report.pdf","msgtype":"m.file","url":"mxc://matrix.org/abc"})");
}

TEST(RoomEventMessage, AddsFilenameAndInfoToAFileMessage) {
    MessageOptions options;
    options.url = "mxc://matrix.org/abc";
    options.filename = "report.pdf";
    options.info = Json::parse(R"({"size":1024,"mimetype":"application/pdf"})");
    const RoomEvent event =
        RoomEvent::message("!r:x", MessageType::file, "A report", "t1", options);
    expect_json(event.content, R"({"body":"A report","msgtype":"m.file",
                                   "url":"mxc://matrix.org/abc","filename":"report.pdf",
                                   "info":{"size":1024,"mimetype":"application/pdf"}})");
}

TEST(RoomEventMessage, RefusesAFileMessageWithoutAUrl) {
    EXPECT_EQ(refused_argument([] { RoomEvent::message("!r:x", MessageType::file, "f", "t1"); }),
              "url");
}

TEST(RoomEventMessage, RefusesFileInfoThatIsNotAnObject) {
    MessageOptions options;
    options.url = "mxc://matrix.org/abc";
    options.info = Json::parse("[1024]");
    EXPECT_EQ(refused_argument(
                  [&] { RoomEvent::message("!r:x", MessageType::file, "f", "t1", options); }),
              "info");
}

TEST(RoomEventMessage, RefusesAFormattedBodyOnAFileMessage) {
    MessageOptions options;
    options.url = "mxc://matrix.org/abc";
    options.formatted_body = "<b>f</b>";
    EXPECT_EQ(refused_argument(
                  [&] { RoomEvent::message("!r:x", MessageType::file, "f", "t1", options); }),
              "formatted_body");
}

TEST(RoomEventMessage, RefusesAFormatOnAFileMessage) {
    // Dropping it silently would send something other than what the caller asked for.
    MessageOptions options;
    options.url = "mxc://matrix.org/abc";
    options.format = "org.matrix.custom.html";
    EXPECT_EQ(refused_argument(
                  [&] { RoomEvent::message("!r:x", MessageType::file, "f", "t1", options); }),
              "format");
}

TEST(RoomEventMessage, RefusesAUrlOnATextMessage) {
    MessageOptions options;
    options.url = "mxc://matrix.org/abc";
    EXPECT_EQ(refused_argument(
                  [&] { RoomEvent::message("!r:x", MessageType::text, "t", "t1", options); }),
              "url");
}

TEST(RoomEventMessage, RefusesAFilenameOnANotice) {
    MessageOptions options;
    options.filename = "a.txt";
    EXPECT_EQ(refused_argument(
                  [&] { RoomEvent::message("!r:x", MessageType::notice, "t", "t1", options); }),
              "filename");
}

TEST(RoomEventMessage, RefusesInfoOnATextMessage) {
    MessageOptions options;
    options.info = Json::parse(R"({"size":1})");
    EXPECT_EQ(refused_argument(
                  [&] { RoomEvent::message("!r:x", MessageType::text, "t", "t1", options); }),
              "info");
}

TEST(StateEventJoinRules, IsAJoinRulesEventWithAnEmptyStateKey) {
    const StateEvent event = StateEvent::join_rules("!someroom:matrix.org", "private");
    EXPECT_EQ(event.room_id, "!someroom:matrix.org");
    EXPECT_EQ(event.type, "m.room.join_rules");
    EXPECT_EQ(event.state_key, "");
    expect_json(event.content, R"({"join_rule":"private"})");
}

TEST(StateEventTopic, IsATopicEventWithAnEmptyStateKey) {
    const StateEvent event = StateEvent::topic("!r:x", "Chocolate, mostly");
    EXPECT_EQ(event.room_id, "!r:x");
    EXPECT_EQ(event.type, "m.room.topic");
    EXPECT_EQ(event.state_key, "");
    expect_json(event.content, R"({"topic":"Chocolate, mostly"})");
}

}  // namespace
}  // namespace matrix
