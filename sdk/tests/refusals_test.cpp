// Values the builders must refuse, and the argument each refusal names, whichever way they are
// called.
#include <gtest/gtest.h>

#include <string>

#include "matrix/api.hpp"
#include "matrix/error.hpp"
#include "matrix/named_builder.hpp"
#include "test_support.hpp"

namespace matrix {
namespace {

using testing_support::expect_json;
using testing_support::refused_argument;

using namespace std::string_literals;

constexpr const char* kBase = "https://matrix.org";
constexpr const char* kToken = "token";

std::string refused_by_name(std::string_view endpoint, std::string_view args) {
    return refused_argument([&] { build_by_name(endpoint, args); });
}

// ---- Empty path identifiers ---------------------------------------------------------------------

TEST(EmptyPathIdentifier, RoomIdIsRefused) {
    EXPECT_EQ(refused_argument([] { api::room_kick(kBase, kToken, "", "@user:matrix.org"); }),
              "room_id");
}

TEST(EmptyPathIdentifier, UserIdIsRefused) {
    EXPECT_EQ(refused_argument([] { api::user_profile(kBase, ""); }), "user_id");
    EXPECT_EQ(refused_argument([] { api::set_display_name(kBase, kToken, "", "n"); }), "user_id");
}

TEST(EmptyPathIdentifier, EventIdIsRefused) {
    EXPECT_EQ(refused_argument([] { api::room_event(kBase, kToken, "!r:x", ""); }), "event_id");
}

TEST(EmptyPathIdentifier, TransactionIdIsRefused) {
    EXPECT_EQ(refused_argument([] { api::redact_room_event(kBase, kToken, "!r:x", "$e", ""); }),
              "transaction_id");
}

TEST(EmptyPathIdentifier, RoomAliasIsRefused) {
    EXPECT_EQ(refused_argument([] { api::resolve_room_alias(kBase, ""); }), "room_alias");
    EXPECT_EQ(refused_argument([] { api::create_room_alias(kBase, kToken, "!r:x", ""); }),
              "room_alias");
}

TEST(EmptyPathIdentifier, ServerNameIsRefused) {
    EXPECT_EQ(refused_argument([] { api::download(kBase, "", "media"); }), "server_name");
}

TEST(EmptyPathIdentifier, MediaIdIsRefused) {
    EXPECT_EQ(refused_argument([] { api::thumbnail(kBase, "matrix.org", "", 1, 2); }), "media_id");
}

TEST(EmptyPathIdentifier, EventTypeIsRefused) {
    EXPECT_EQ(refused_argument([] { api::room_state_event(kBase, kToken, "!r:x", "", ""); }),
              "event_type");
}

TEST(EmptyPathIdentifier, RoomEventTypeIsRefused) {
    EXPECT_EQ(refused_argument([] {
                  api::send_room_event(kBase, kToken, RoomEvent{"!r:x", "", "t1", Json()});
              }),
              "room_event.type");
}

TEST(EmptyPathIdentifier, RoomEventTransactionIdIsRefused) {
    EXPECT_EQ(
        refused_argument([] {
            api::send_room_event(kBase, kToken, RoomEvent{"!r:x", "m.room.message", "", Json()});
        }),
        "room_event.transaction_id");
}

TEST(EmptyPathIdentifier, RoomEventRoomIdIsRefused) {
    EXPECT_EQ(refused_argument([] {
                  api::send_room_event(kBase, kToken, RoomEvent{"", "m.room.message", "t", Json()});
              }),
              "room_event.room_id");
}

TEST(EmptyPathIdentifier, StateEventTypeAndRoomIdAreRefused) {
    EXPECT_EQ(refused_argument([] {
                  api::send_state_event(kBase, kToken, StateEvent{"!r:x", "", "", Json()});
              }),
              "state_event.type");
    EXPECT_EQ(refused_argument([] {
                  api::send_state_event(kBase, kToken, StateEvent{"", "m.room.topic", "", Json()});
              }),
              "state_event.room_id");
}

TEST(EmptyPathIdentifier, RoomIdOrAliasIsRefused) {
    EXPECT_EQ(refused_argument([] { api::join_room(kBase, kToken, ""); }), "room_id_or_alias");
}

TEST(EmptyPathIdentifier, EmptyDownloadFilenameIsRefusedRatherThanLeavingATrailingSlash) {
    EXPECT_EQ(refused_argument([] { api::download(kBase, "matrix.org", "m", {.filename = ""}); }),
              "filename");
}

TEST(EmptyPathIdentifier, IsRefusedByNameWithTheSameArgumentName) {
    EXPECT_EQ(refused_by_name("room_kick", R"({"base_url":"https://matrix.org","token":"t",
                                               "room_id":"","user_id":"@u:x"})"),
              "room_id");
    EXPECT_EQ(refused_by_name("send_room_event",
                              R"({"base_url":"https://matrix.org","token":"t",
                                  "room_event":{"room_id":"!r:x","type":"","transaction_id":"t1",
                                                "content":{}}})"),
              "room_event.type");
    EXPECT_EQ(refused_by_name("download", R"({"base_url":"https://matrix.org",
                                              "server_name":"s","media_id":"m","filename":""})"),
              "filename");
}

TEST(EmptyRequiredValue, TokenAndBaseUrlAreRefused) {
    EXPECT_EQ(refused_argument([] { api::whoami(kBase, ""); }), "token");
    EXPECT_EQ(refused_argument([] { api::whoami("", kToken); }), "base_url");
}

TEST(EmptyRequiredValue, TokenAndBaseUrlMessagesDoNotCallThemPathIdentifiers) {
    try {
        api::whoami(kBase, "");
        FAIL() << "an empty token was accepted";
    } catch (const InvalidArgument& e) {
        EXPECT_EQ(std::string(e.what()), "argument 'token' must not be empty");
    }
}

TEST(HeaderInjection, BaseUrlWithCrLfIsRefused) {
    EXPECT_EQ(refused_argument([] { api::whoami("https://matrix.org\r\nX-Evil: 1", kToken); }),
              "base_url");
}

TEST(EmptyStateKey, IsAcceptedAndLeavesATrailingSlashWhenReadingState) {
    const Request r =
        api::room_state_event(kBase, kToken, "!someroom:matrix.org", "m.room.topic", "");
    EXPECT_EQ(r.path, "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/state/m.room.topic/");
}

TEST(EmptyStateKey, IsAcceptedAndLeavesATrailingSlashWhenSendingState) {
    const Request r =
        api::send_state_event(kBase, kToken, StateEvent::topic("!someroom:matrix.org", "Cocoa"));
    EXPECT_EQ(r.path, "/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/state/m.room.topic/");
}

TEST(EmptyStateKey, IsAcceptedByName) {
    const Request r = build_by_name("send_state_event",
                                    R"({"base_url":"https://matrix.org","token":"t",
            "state_event":{"room_id":"!r:x","type":"m.room.topic","state_key":"",
                           "content":{"topic":"x"}}})");
    EXPECT_EQ(r.path, "/_matrix/client/r0/rooms/%21r%3Ax/state/m.room.topic/");
}

TEST(EmptyOptionalBodyValue, IsSentAsAnEmptyString) {
    // Only path identifiers must be non-empty; an empty reason is still a reason.
    const Request r = api::room_kick(kBase, kToken, "!r:x", "@u:x", {.reason = ""});
    EXPECT_EQ(Json::parse(r.body), Json::parse(R"({"user_id":"@u:x","reason":""})"));
}

// ---- Header injection
// -------------------------------------------------------------------------------

TEST(HeaderInjection, TokenWithCrLfIsRefused) {
    EXPECT_EQ(refused_argument([] { api::whoami(kBase, "tok\r\nX-Evil: 1"); }), "token");
}

TEST(HeaderInjection, TokenWithLoneCrOrLfIsRefused) {
    EXPECT_EQ(refused_argument([] { api::sync(kBase, "tok\nX-Evil: 1"); }), "token");
    EXPECT_EQ(refused_argument([] { api::sync(kBase, "tok\rX-Evil: 1"); }), "token");
}

TEST(HeaderInjection, TokenWithNulIsRefused) {
    EXPECT_EQ(refused_argument([] { api::whoami(kBase, "tok\0en"s); }), "token");
}

TEST(HeaderInjection, UploadContentTypeWithCrLfOrNulIsRefused) {
    EXPECT_EQ(refused_argument([] {
                  api::upload(kBase, kToken, "x", {.content_type = "text/plain\r\nX-Evil: 1"});
              }),
              "content_type");
    EXPECT_EQ(refused_argument(
                  [] { api::upload(kBase, kToken, "x", {.content_type = "text/plain\0x"s}); }),
              "content_type");
}

TEST(HeaderInjection, UserDirectorySearchLanguageWithCrLfOrNulIsRefused) {
    EXPECT_EQ(refused_argument([] {
                  api::user_directory_search(kBase, kToken, "mickey",
                                             {.language = "en-US\rX-Evil: 1"});
              }),
              "language");
    EXPECT_EQ(refused_argument([] {
                  api::user_directory_search(kBase, kToken, "mickey", {.language = "en\nUS"});
              }),
              "language");
    EXPECT_EQ(refused_argument([] {
                  api::user_directory_search(kBase, kToken, "mickey", {.language = "en\0US"s});
              }),
              "language");
}

TEST(HeaderInjection, IsRefusedByNameToo) {
    EXPECT_EQ(refused_by_name("whoami", R"({"base_url":"https://matrix.org","token":"a\r\nb"})"),
              "token");
    EXPECT_EQ(refused_by_name("whoami", R"({"base_url":"https://matrix.org","token":"a\u0000b"})"),
              "token");
}

TEST(HeaderInjection, CrLfOutsideHeadersIsNotARefusalReason) {
    // In a JSON body or an encoded query these bytes cannot break the request apart.
    const Request kick = api::room_kick(kBase, kToken, "!r:x", "@u:x", {.reason = "a\r\nb"});
    EXPECT_EQ(Json::parse(kick.body), Json::parse(R"({"user_id":"@u:x","reason":"a\r\nb"})"));
    const Request sync = api::sync(kBase, kToken, {.since = "s\r\n1"});
    ASSERT_EQ(sync.query.size(), 1U);
    EXPECT_EQ(sync.query[0].value, "s\r\n1");
}

// ---- Invalid UTF-8
// --------------------------------------------------------------------------------------

TEST(InvalidUtf8, InAPathArgumentIsRefused) {
    EXPECT_EQ(refused_argument([] { api::room_kick(kBase, kToken, "!\xff:x", "@u:x"); }),
              "room_id");
}

TEST(InvalidUtf8, InABodyStringIsRefused) {
    EXPECT_EQ(
        refused_argument([] { api::room_kick(kBase, kToken, "!r:x", "@u:x", {.reason = "\xc3"}); }),
        "reason");
    EXPECT_EQ(
        refused_argument([] { api::set_display_name(kBase, kToken, "@u:x", "\xed\xa0\x80"); }),
        "display_name");
}

TEST(InvalidUtf8, InAQueryValueIsRefused) {
    EXPECT_EQ(refused_argument([] { api::sync(kBase, kToken, {.since = "s\xfe"}); }), "since");
}

TEST(InvalidUtf8, InRawUploadBytesIsAccepted) {
    // Upload bodies are bytes, not text.
    EXPECT_EQ(api::upload(kBase, kToken, "\xff\xfe").body, "\xff\xfe");
}

// ---- Body members set twice
// ------------------------------------------------------------------------------

TEST(DuplicateBodyMember, LoginAuthWithDeviceIdAndTheDeviceIdOptionIsRefused) {
    const Json auth = Json::parse(R"({"type":"m.login.token","token":"t","device_id":"A"})");
    EXPECT_EQ(refused_argument([&] { api::login(kBase, auth, {.device_id = "B"}); }), "device_id");
}

TEST(DuplicateBodyMember, LoginAuthWithDisplayNameAndTheDisplayNameOptionIsRefused) {
    const Json auth =
        Json::parse(R"({"type":"m.login.token","token":"t","initial_device_display_name":"A"})");
    EXPECT_EQ(
        refused_argument([&] { api::login(kBase, auth, {.initial_device_display_name = "B"}); }),
        "initial_device_display_name");
}

TEST(DuplicateBodyMember, IsRefusedByName) {
    EXPECT_EQ(refused_by_name("login", R"({"base_url":"https://matrix.org",
                                           "auth":{"type":"m.login.token","token":"t",
                                                   "device_id":"A"},
                                           "device_id":"B"})"),
              "device_id");
}

TEST(DuplicateBodyMember, LoginAuthWithDeviceIdAloneIsSentAsGiven) {
    const Json auth = Json::parse(R"({"type":"m.login.token","token":"t","device_id":"A"})");
    const Request r = api::login(kBase, auth);
    EXPECT_EQ(Json::parse(r.body), auth);
}

TEST(DuplicateBodyMember, ANestedMemberOfTheSameNameIsNoConflict) {
    const Json auth = Json::parse(
        R"({"type":"m.login.password","identifier":{"type":"m.id.user","device_id":"x"},
            "password":"p"})");
    const Request r = api::login(kBase, auth, {.device_id = "B"});
    EXPECT_EQ(Json::parse(r.body), auth.with_member("device_id", Json::string("B")));
}

// ---- JSON of the wrong kind
// -------------------------------------------------------------------------------

TEST(WrongJsonKind, ArrayForLoginAuthIsRefused) {
    EXPECT_EQ(refused_argument([] { api::login(kBase, Json::parse("[]")); }), "auth");
}

TEST(WrongJsonKind, StringForRegisterAuthIsRefused) {
    EXPECT_EQ(refused_argument([] { api::register_user(kBase, "pw", Json::string("x")); }), "auth");
}

TEST(WrongJsonKind, ObjectForCreateRoomInviteIsRefused) {
    EXPECT_EQ(refused_argument(
                  [] { api::create_room(kBase, kToken, {.invite = Json::parse(R"({"a":1})")}); }),
              "invite");
}

TEST(WrongJsonKind, ArrayForPublicRoomsFiltersIsRefused) {
    EXPECT_EQ(refused_argument([] { api::public_rooms(kBase, kToken, Json::parse("[1]")); }),
              "filters");
}

TEST(WrongJsonKind, ArrayForRoomEventContentIsRefused) {
    EXPECT_EQ(refused_argument([] {
                  api::send_room_event(
                      kBase, kToken, RoomEvent{"!r:x", "m.room.message", "t1", Json::parse("[]")});
              }),
              "room_event.content");
}

TEST(WrongJsonKind, NullForStateEventContentIsRefused) {
    EXPECT_EQ(refused_argument([] {
                  api::send_state_event(kBase, kToken,
                                        StateEvent{"!r:x", "m.room.topic", "", Json::null()});
              }),
              "state_event.content");
}

}  // namespace
}  // namespace matrix
