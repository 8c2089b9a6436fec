// The by-name builder vector files call: argument checking, overload selection and path versions.
#include "matrix/named_builder.hpp"

#include <gtest/gtest.h>

#include <string>

#include "matrix/error.hpp"

namespace matrix {
namespace {

// The message of the ArgumentSchemaError thrown, or a marker saying what happened instead.
template <typename F>
std::string schema_error(F&& f) {
    try {
        f();
    } catch (const UnknownEndpoint& e) {
        return std::string("<unknown endpoint: ") + e.what() + ">";
    } catch (const ArgumentSchemaError& e) {
        return e.what();
    } catch (const std::exception& e) {
        return std::string("<other exception: ") + e.what() + ">";
    }
    return "<nothing thrown>";
}

std::string schema_error_of(std::string_view endpoint, std::string_view args) {
    return schema_error([&] { build_by_name(endpoint, args); });
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

TEST(BuildByName, BuildsASeedExample) {
    const Request r = build_by_name("room_kick", R"({"base_url":"https://matrix.org","token":"t",
                                                     "room_id":"!r:x","user_id":"@u:x"})");
    EXPECT_EQ(r.method, Method::post);
    EXPECT_EQ(r.base_url, "https://matrix.org");
    EXPECT_EQ(r.path, "/_matrix/client/r0/rooms/%21r%3Ax/kick");
    EXPECT_EQ(Json::parse(r.body), Json::parse(R"({"user_id":"@u:x"})"));
}

TEST(BuildByName, RefusesAnUnknownEndpointAsUnknownEndpoint) {
    try {
        build_by_name("room_yeet", R"({"base_url":"https://matrix.org"})");
        FAIL() << "nothing thrown";
    } catch (const UnknownEndpoint& e) {
        EXPECT_TRUE(contains(e.what(), "room_yeet")) << e.what();
    }
}

TEST(BuildByName, RefusesAnUnknownArgumentNamingIt) {
    const std::string message =
        schema_error_of("whoami", R"({"base_url":"https://matrix.org","token":"t","tokne":"t"})");
    EXPECT_TRUE(contains(message, "unknown argument 'tokne'")) << message;
}

TEST(BuildByName, RefusesAMissingRequiredArgumentNamingIt) {
    const std::string message =
        schema_error_of("room_kick", R"({"base_url":"https://matrix.org","token":"t",
                                         "room_id":"!r:x"})");
    EXPECT_TRUE(contains(message, "missing required argument 'user_id'")) << message;
}

TEST(BuildByName, RefusesAStringForAnIntegerNamingTheArgument) {
    const std::string message = schema_error_of(
        "thumbnail", R"({"base_url":"https://matrix.org","server_name":"s","media_id":"m",
                         "width":"100","height":101})");
    EXPECT_TRUE(contains(message, "'width'")) << message;
    EXPECT_TRUE(contains(message, "integer")) << message;
}

TEST(BuildByName, RefusesAFractionForAnIntegerNamingTheArgument) {
    const std::string message = schema_error_of(
        "thumbnail", R"({"base_url":"https://matrix.org","server_name":"s","media_id":"m",
                         "width":100,"height":1.5})");
    EXPECT_TRUE(contains(message, "'height'")) << message;
}

TEST(BuildByName, RefusesAnIntegerTooLargeForInt64) {
    const std::string message = schema_error_of(
        "sync", R"({"base_url":"https://matrix.org","token":"t","timeout":18446744073709551615})");
    EXPECT_TRUE(contains(message, "'timeout'")) << message;
}

// A JSON argument goes into the body with each number as written: RapidJSON's own conversion
// would round the big integer to a double and could move a fraction by an ULP.
TEST(BuildByName, KeepsTheNumbersOfAJsonArgumentAsWritten) {
    const std::string content =
        R"({"n":12345678901234567890123,"x":0.30000000000000004,"y":1e-7,"z":-0,"w":1.0})";
    const Request r = build_by_name(
        "send_room_event", R"({"base_url":"https://matrix.org","token":"t","room_event":)"
                           R"({"room_id":"!r:x","type":"m.t","transaction_id":"1","content":)" +
                               content + "}}");
    EXPECT_EQ(r.body, content);
}

TEST(BuildByName, RefusesANumberTooLargeForADouble) {
    const std::string message = schema_error_of(
        "sync", R"({"base_url":"https://matrix.org","token":"t","timeout":1.8e308})");
    EXPECT_TRUE(contains(message, "too large")) << message;
}

TEST(BuildByName, RefusesNullNamingTheArgument) {
    const std::string message = schema_error_of(
        "room_kick",
        R"({"base_url":"https://matrix.org","token":"t","room_id":"!r:x","user_id":null})");
    EXPECT_TRUE(contains(message, "'user_id'")) << message;
    EXPECT_TRUE(contains(message, "null")) << message;
}

TEST(BuildByName, RefusesNullForAnOptionalArgumentRatherThanTreatingItAsAbsent) {
    const std::string message = schema_error_of(
        "room_kick", R"({"base_url":"https://matrix.org","token":"t","room_id":"!r:x",
                         "user_id":"@u:x","reason":null})");
    EXPECT_TRUE(contains(message, "'reason'")) << message;
}

TEST(BuildByName, RefusesAStringForABoolean) {
    const std::string message =
        schema_error_of("sync", R"({"base_url":"https://matrix.org","token":"t",
                                    "full_state":"true"})");
    EXPECT_TRUE(contains(message, "'full_state'")) << message;
}

TEST(BuildByName, RefusesAStringForAStructArgument) {
    const std::string message = schema_error_of(
        "send_room_event", R"({"base_url":"https://matrix.org","token":"t","room_event":"x"})");
    EXPECT_TRUE(contains(message, "'room_event'")) << message;
}

TEST(BuildByName, RefusesArgumentsThatAreNotAnObject) {
    const std::string message = schema_error_of("whoami", R"(["https://matrix.org","t"])");
    EXPECT_TRUE(contains(message, "must be a JSON object")) << message;
    EXPECT_TRUE(contains(message, "whoami")) << message;
}

TEST(BuildByName, RefusesInvalidJson) {
    const std::string message = schema_error_of("whoami", R"({"base_url":"https://matrix.org",)");
    EXPECT_TRUE(contains(message, "not valid JSON")) << message;
}

TEST(BuildByName, RefusesDeeplyNestedUnclosedArgumentsWithoutACrash) {
    const std::string message = schema_error_of("whoami", std::string(100000, '['));
    EXPECT_TRUE(contains(message, "deeper than")) << message;
}

TEST(BuildByName, RefusesADeeplyNestedJsonArgumentWithoutACrash) {
    // A vector file may come from anywhere: valid but absurdly deep JSON must be an error.
    const std::string deep = std::string(100000, '[') + std::string(100000, ']');
    const std::string message = schema_error_of(
        "login", R"({"base_url":"https://matrix.org","auth":{"type":"x","deep":)" + deep + "}}");
    EXPECT_TRUE(contains(message, "login")) << message;
    EXPECT_TRUE(contains(message, "deeper than")) << message;
}

TEST(BuildByName, AcceptsAJsonArgumentNestedAsDeepAsJsonParseAllows) {
    // The arguments object is one level, auth another, so 510 more are left.
    const std::string deep = std::string(510, '[') + std::string(510, ']');
    const Request r = build_by_name(
        "login", R"({"base_url":"https://matrix.org","auth":{"type":"x","deep":)" + deep + "}}");
    EXPECT_EQ(r.body, R"({"type":"x","deep":)" + deep + "}");
}

TEST(BuildByName, RefusesAnUnknownMemberOfRoomEvent) {
    const std::string message = schema_error_of("send_room_event",
                                                R"({"base_url":"https://matrix.org","token":"t",
            "room_event":{"room_id":"!r:x","type":"m.room.message","transaction_id":"t1",
                          "content":{},"sender":"@me:x"}})");
    EXPECT_TRUE(contains(message, "room_event.sender")) << message;
}

TEST(BuildByName, RefusesAMissingMemberOfStateEvent) {
    const std::string message = schema_error_of("send_state_event",
                                                R"({"base_url":"https://matrix.org","token":"t",
            "state_event":{"room_id":"!r:x","type":"m.room.topic","content":{}}})");
    EXPECT_TRUE(contains(message, "state_event.state_key")) << message;
}

TEST(BuildByName, RefusesAMemberNameGivenAsATopLevelArgument) {
    const std::string message = schema_error_of(
        "send_state_event",
        R"({"base_url":"https://matrix.org","token":"t","state_event.room_id":"!r:x"})");
    EXPECT_TRUE(contains(message, "state_event.room_id")) << message;
}

TEST(BuildByName, RefusesValuesAsTheTypedBuildersDo) {
    EXPECT_THROW(build_by_name("user_profile", R"({"base_url":"https://matrix.org","user_id":""})"),
                 InvalidArgument);
}

// ---- Overload selection
// ----------------------------------------------------------------------------

TEST(OverloadSelection, LoginWithOnlyABaseUrlIsTheGetOfLoginFlows) {
    const Request r = build_by_name("login", R"({"base_url":"https://matrix.org"})");
    EXPECT_EQ(r.method, Method::get);
    EXPECT_EQ(r.path, "/_matrix/client/r0/login");
    EXPECT_EQ(r.body_kind, BodyKind::none);
}

TEST(OverloadSelection, LoginWithAuthIsThePost) {
    const Request r = build_by_name(
        "login", R"({"base_url":"https://matrix.org","auth":{"type":"m.login.dummy"}})");
    EXPECT_EQ(r.method, Method::post);
    EXPECT_EQ(r.path, "/_matrix/client/r0/login");
    EXPECT_EQ(Json::parse(r.body), Json::parse(R"({"type":"m.login.dummy"})"));
}

TEST(OverloadSelection, PublicRoomsWithALimitIsTheGetWithAQuery) {
    const Request r =
        build_by_name("public_rooms", R"({"base_url":"https://matrix.org","limit":10})");
    EXPECT_EQ(r.method, Method::get);
    const std::vector<QueryParam> expected = {{"limit", "10"}};
    EXPECT_EQ(r.query, expected);
    EXPECT_TRUE(r.headers.empty());
    EXPECT_EQ(r.body_kind, BodyKind::none);
}

TEST(OverloadSelection, PublicRoomsWithTokenFiltersAndServerIsThePostWithServerInTheQuery) {
    const Request r = build_by_name("public_rooms", R"({"base_url":"https://matrix.org","token":"t",
                                                        "filters":{"limit":10},"server":"s.org"})");
    EXPECT_EQ(r.method, Method::post);
    const std::vector<QueryParam> expected = {{"server", "s.org"}};
    EXPECT_EQ(r.query, expected);
    EXPECT_EQ(Json::parse(r.body), Json::parse(R"({"limit":10})"));
    ASSERT_NE(r.header("Authorization"), nullptr);
    EXPECT_EQ(*r.header("Authorization"), "Bearer t");
}

TEST(OverloadSelection, PublicRoomsWithATokenButNoFiltersFitsNoFormAndSaysWhyForBoth) {
    const std::string message =
        schema_error_of("public_rooms", R"({"base_url":"https://matrix.org","token":"t"})");
    EXPECT_TRUE(contains(message, "public_rooms")) << message;
    EXPECT_TRUE(contains(message, "GET")) << message;
    EXPECT_TRUE(contains(message, "POST")) << message;
    EXPECT_TRUE(contains(message, "unknown argument 'token'")) << message;
    EXPECT_TRUE(contains(message, "missing required argument 'filters'")) << message;
}

TEST(OverloadSelection, RoomVisibilityWithARoomIdIsTheGet) {
    const Request r =
        build_by_name("room_visibility", R"({"base_url":"https://matrix.org","room_id":"!r:x"})");
    EXPECT_EQ(r.method, Method::get);
    EXPECT_EQ(r.path, "/_matrix/client/r0/directory/list/room/%21r%3Ax");
    EXPECT_TRUE(r.headers.empty());
}

TEST(OverloadSelection, RoomVisibilityWithTokenAndVisibilityIsThePut) {
    const Request r = build_by_name("room_visibility",
                                    R"({"base_url":"https://matrix.org","token":"t",
                                        "room_id":"!r:x","visibility":"private"})");
    EXPECT_EQ(r.method, Method::put);
    EXPECT_EQ(r.path, "/_matrix/client/r0/directory/list/room/%21r%3Ax");
    EXPECT_EQ(Json::parse(r.body), Json::parse(R"({"visibility":"private"})"));
}

TEST(SelectForm, ReturnsTheDeclarationItWouldBuildFrom) {
    const EndpointSpec& get = select_form("login", R"({"base_url":"b"})");
    EXPECT_EQ(get.name, "login");
    EXPECT_EQ(get.form, "get");
    EXPECT_EQ(get.operation_id, "getLoginFlows");
    const EndpointSpec& post = select_form("login", R"({"base_url":"b","auth":{}})");
    EXPECT_EQ(post.form, "post");
    EXPECT_EQ(post.operation_id, "login");
    EXPECT_EQ(select_form("public_rooms", R"({"base_url":"b","token":"t","filters":{}})").form,
              "post");
    EXPECT_EQ(select_form("room_visibility", R"({"base_url":"b","room_id":"!r"})").method,
              Method::get);
    EXPECT_EQ(select_form("whoami", R"({"base_url":"b","token":"t"})").operation_id,
              "getTokenOwner");
}

TEST(SelectForm, DoesNotRefuseValuesOnlyTheBuilderChecks) {
    // Choosing a form looks at names and types; emptiness is the builder's business.
    EXPECT_EQ(select_form("user_profile", R"({"base_url":"b","user_id":""})").name, "user_profile");
}

TEST(SelectForm, RefusesAnUnknownEndpoint) {
    EXPECT_THROW(select_form("nope", "{}"), UnknownEndpoint);
}

// ---- Path versions
// ----------------------------------------------------------------------------------

TEST(PathVersion, DefaultsToR0) {
    const Request r = build_by_name("whoami", R"({"base_url":"b","token":"t"})");
    EXPECT_EQ(r.path, "/_matrix/client/r0/account/whoami");
}

TEST(PathVersion, V3ChangesClientPaths) {
    const Request r = build_by_name("room_kick",
                                    R"({"base_url":"b","token":"t","room_id":"!r:x",
                                        "user_id":"@u:x"})",
                                    BuildOptions{PathVersion::v3});
    EXPECT_EQ(r.path, "/_matrix/client/v3/rooms/%21r%3Ax/kick");
}

TEST(PathVersion, V3ChangesMediaPaths) {
    const Request r = build_by_name(
        "download", R"({"base_url":"b","server_name":"s","media_id":"m","filename":"f"})",
        BuildOptions{PathVersion::v3});
    EXPECT_EQ(r.path, "/_matrix/media/v3/download/s/m/f");
}

TEST(PathVersion, LeavesUnversionedPathsAlone) {
    EXPECT_EQ(
        build_by_name("spec_versions", R"({"base_url":"b"})", BuildOptions{PathVersion::v3}).path,
        "/_matrix/client/versions");
    EXPECT_EQ(
        build_by_name("server_discovery", R"({"base_url":"b"})", BuildOptions{PathVersion::v3})
            .path,
        "/.well-known/matrix/client");
}

}  // namespace
}  // namespace matrix
