// Hostile arguments through both ways of building a request (the Request value and the
// one-buffer EncodedRequest): each is refused naming the argument, or escaped, the same way.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "matrix/api.hpp"
#include "matrix/encoded_request.hpp"
#include "matrix/error.hpp"
#include "matrix/events.hpp"
#include "matrix/named_builder.hpp"
#include "matrix/request.hpp"
#include "test_support.hpp"

namespace matrix {
namespace {

using testing_support::refused_argument;
using namespace std::string_literals;

constexpr const char* kBase = "https://matrix.org";
constexpr const char* kToken = "token";
constexpr std::size_t kHuge = 10 * 1024 * 1024;

// The argument both forms refuse, or a marker; the test fails when they disagree.
template <typename Build, typename Encode>
std::string refused_by_both(Build&& build, Encode&& encode) {
    const std::string built = refused_argument(build);
    const std::string encoded = refused_argument(encode);
    EXPECT_EQ(encoded, built) << "EncodedRequest and Request disagree";
    return built;
}

std::string refused_by_name(std::string_view endpoint, const std::string& args) {
    return refused_by_both([&] { build_by_name(endpoint, args); },
                           [&] { encode_by_name(endpoint, args); });
}

// ---- Header injection ---------------------------------------------------------------------------

TEST(HostileInput, TokenWithCrLfNulOrLoneCrLfIsRefusedByBothForms) {
    for (const std::string& token : {"a\r\nX-Injected: 1"s, "a\rb"s, "a\nb"s, "a\0b"s, "\r\n"s,
                                     "tok\r\n\r\nGET /evil HTTP/1.1"s}) {
        EXPECT_EQ(refused_by_both([&] { api::whoami(kBase, token); },
                                  [&] { api::whoami<EncodedRequest>(kBase, token); }),
                  "token");
        EXPECT_EQ(
            refused_by_both([&] { api::room_kick(kBase, token, "!r:x", "@u:x"); },
                            [&] { api::room_kick<EncodedRequest>(kBase, token, "!r:x", "@u:x"); }),
            "token");
    }
}

TEST(HostileInput, TokenWithInvalidUtf8IsRefusedByBothForms) {
    for (const std::string& token : {"\xff"s, "a\xC3"s, "\xC0\xAF"s, "\xED\xA0\x80"s}) {
        EXPECT_EQ(refused_by_both([&] { api::whoami(kBase, token); },
                                  [&] { api::whoami<EncodedRequest>(kBase, token); }),
                  "token");
    }
}

TEST(HostileInput, BaseUrlWithCrLfNulOrInvalidUtf8IsRefusedByBothForms) {
    for (const std::string& base :
         {"https://matrix.org\r\nX-Injected: 1"s, "https://matrix.org\n"s, "https://matrix.org\r"s,
          "https://matrix.org\0.evil"s, "https://matrix.org/\xff"s,
          "https://matrix.org\r\n\r\nGET /evil HTTP/1.1\r\n"s}) {
        EXPECT_EQ(refused_by_both([&] { api::whoami(base, kToken); },
                                  [&] { api::whoami<EncodedRequest>(base, kToken); }),
                  "base_url");
    }
}

TEST(HostileInput, HeaderInjectionByNameIsRefusedByBothForms) {
    EXPECT_EQ(refused_by_name("whoami", R"({"base_url": "https://m", "token": "a\r\nX: 1"})"),
              "token");
    EXPECT_EQ(refused_by_name("whoami", R"({"base_url": "https://m\nX: 1", "token": "t"})"),
              "base_url");
    EXPECT_EQ(refused_by_name("whoami", R"({"base_url": "https://m", "token": "a\u0000b"})"),
              "token");
}

TEST(HostileInput, CrLfInPathQueryAndBodyIsEscapedNotRefused) {
    const std::string evil = "x\r\nHost: evil\r\n\r\n";
    const Request request = api::room_kick(kBase, kToken, "!" + evil, "@u:x", {.reason = evil});
    const EncodedRequest encoded =
        api::room_kick<EncodedRequest>(kBase, kToken, "!" + evil, "@u:x", {.reason = evil});
    const WireRequest wire = render(request);
    EXPECT_EQ(encoded.target(), wire.target);
    EXPECT_EQ(encoded.body(), wire.body);
    EXPECT_NE(wire.target.find("%0D%0AHost%3A%20evil%0D%0A%0D%0A"), std::string::npos)
        << wire.target;
    EXPECT_NE(wire.body.find(R"(\r\nHost: evil\r\n\r\n)"), std::string::npos) << wire.body;
    // The only blank line is the one that ends the head.
    EXPECT_EQ(encoded.bytes().find("\r\n\r\n"), encoded.head().size() - 4);
}

// ---- Invalid UTF-8 ------------------------------------------------------------------------------

TEST(HostileInput, InvalidUtf8InPathQueryAndBodyArgumentsIsRefusedByBothForms) {
    for (const std::string& bad :
         {"\xC3\x28"s, "\x80"s, "\xC0\xAF"s, "\xF4\x90\x80\x80"s, "ok\xED\xA0\x80"s, "\xE2\x82"s}) {
        EXPECT_EQ(refused_by_both(
                      [&] { api::room_kick(kBase, kToken, "!r" + bad, "@u:x"); },
                      [&] { api::room_kick<EncodedRequest>(kBase, kToken, "!r" + bad, "@u:x"); }),
                  "room_id");
        EXPECT_EQ(refused_by_both([&] { api::username_availability(kBase, bad); },
                                  [&] { api::username_availability<EncodedRequest>(kBase, bad); }),
                  "username");
        EXPECT_EQ(
            refused_by_both([&] { api::room_kick(kBase, kToken, "!r:x", "@u:x", {.reason = bad}); },
                            [&] {
                                api::room_kick<EncodedRequest>(kBase, kToken, "!r:x", "@u:x",
                                                               {.reason = bad});
                            }),
            "reason");
    }
}

TEST(HostileInput, InvalidUtf8InByNameArgumentsIsRefusedBeforeAnyBuilding) {
    const std::string args =
        "{\"base_url\": \"https://m\", \"token\": \"t\", \"room_id\": \"!\xff\"}";
    EXPECT_NE(refused_by_name("joined_rooms", args), "<nothing thrown>");
}

// ---- Huge arguments -----------------------------------------------------------------------------

TEST(HostileInput, TenMegabyteArgumentsAreEncodedWholeAndAlikeByBothForms) {
    const std::string huge(kHuge, '/');  // every byte needs escaping: 30 MB of %2F
    const Request request = api::room_kick(kBase, kToken, huge, "@u:x", {.reason = huge});
    const EncodedRequest encoded =
        api::room_kick<EncodedRequest>(kBase, kToken, huge, "@u:x", {.reason = huge});
    const WireRequest wire = render(request);
    EXPECT_EQ(encoded.target(), wire.target);
    EXPECT_EQ(encoded.body(), wire.body);
    EXPECT_GT(wire.target.size(), 3 * kHuge);
    EXPECT_GT(wire.body.size(), kHuge);
    EXPECT_EQ(wire.target.find('/', std::string("/_matrix/client/r0/rooms/").size()),
              wire.target.size() - std::string("/kick").size())
        << "the slashes of the argument are escaped";
}

TEST(HostileInput, ABadByteAtTheEndOfATenMegabyteArgumentIsStillFound) {
    std::string huge(kHuge, 'a');
    const std::string token = huge + "\r\nX-Injected: 1";
    EXPECT_EQ(refused_by_both([&] { api::whoami(kBase, token); },
                              [&] { api::whoami<EncodedRequest>(kBase, token); }),
              "token");
    huge.back() = '\xC3';
    EXPECT_EQ(
        refused_by_both([&] { api::room_kick(kBase, kToken, "!r:x", "@u:x", {.reason = huge}); },
                        [&] {
                            api::room_kick<EncodedRequest>(kBase, kToken, "!r:x", "@u:x",
                                                           {.reason = huge});
                        }),
        "reason");
}

TEST(HostileInput, TenMegabyteUploadIsSentByteForByte) {
    std::string bytes(kHuge, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 131);
    const Request request =
        api::upload(kBase, kToken, bytes, {.content_type = "application/octet-stream"});
    const EncodedRequest encoded = api::upload<EncodedRequest>(
        kBase, kToken, bytes, {.content_type = "application/octet-stream"});
    EXPECT_EQ(render(request).body, bytes);
    EXPECT_EQ(encoded.body(), bytes);
}

// ---- JSON that is not an object, or nests too deep ----------------------------------------------

TEST(HostileInput, EventContentThatIsNotAnObjectIsRefusedByBothForms) {
    for (const Json& content : {Json::parse("[]"), Json::parse("\"text\""), Json::parse("42"),
                                Json::null(), Json::boolean(true)}) {
        const RoomEvent event{"!r:x", "m.room.message", "t1", content};
        EXPECT_EQ(
            refused_by_both([&] { api::send_room_event(kBase, kToken, event); },
                            [&] { api::send_room_event<EncodedRequest>(kBase, kToken, event); }),
            "room_event.content");
        const StateEvent state{"!r:x", "m.room.topic", "", content};
        EXPECT_EQ(
            refused_by_both([&] { api::send_state_event(kBase, kToken, state); },
                            [&] { api::send_state_event<EncodedRequest>(kBase, kToken, state); }),
            "state_event.content");
    }
}

TEST(HostileInput, EventContentThatIsNotAnObjectIsRefusedByName) {
    for (const char* content : {"[]", "\"text\"", "42", "null", "true"}) {
        const std::string args = std::string(R"({"base_url": "https://m", "token": "t",
            "state_event": {"room_id": "!r:x", "type": "m.room.topic", "state_key": "",
                            "content": )") +
                                 content + "}}";
        EXPECT_NE(refused_by_name("send_state_event", args), "<nothing thrown>") << content;
    }
}

TEST(HostileInput, DeeplyNestedJsonIsRefusedNotAStackOverflow) {
    std::string deep;
    for (int i = 0; i < 100'000; ++i) deep += "[";
    for (int i = 0; i < 100'000; ++i) deep += "]";
    EXPECT_EQ(refused_argument([&] { Json::parse("{\"a\":" + deep + "}", "content"); }), "content");
    const std::string args = R"({"base_url": "https://m", "token": "t",
        "state_event": {"room_id": "!r:x", "type": "m.room.topic", "state_key": "",
                        "content": {"a": )" +
                             deep + "}}}";
    EXPECT_NE(refused_by_name("send_state_event", args), "<nothing thrown>");
    EXPECT_NE(refused_by_name("whoami", deep), "<nothing thrown>");
}

}  // namespace
}  // namespace matrix
