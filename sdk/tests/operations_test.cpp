// Building the spec's operations by name: path versions, list-valued query parameters, bodies on
// DELETE, and a seed name that is also an operationId.
#include <gtest/gtest.h>

#include <string>

#include "matrix/api.hpp"
#include "matrix/encoded_request.hpp"
#include "matrix/error.hpp"
#include "matrix/named_builder.hpp"

namespace matrix {
namespace {

constexpr std::string_view kRelations =
    R"({"base_url":"https://hs.example","token":"t","roomId":"!r:x","eventId":"$e"})";

std::string target_of(std::string_view endpoint, std::string_view args, BuildOptions options = {}) {
    return render(build_by_name(endpoint, args, options)).target;
}

std::string refusal_of(std::string_view endpoint, std::string_view args, BuildOptions options) {
    try {
        build_by_name(endpoint, args, options);
    } catch (const InvalidArgument& e) {
        return e.what();
    }
    return "<not refused>";
}

TEST(Operations, BuildTheirNewestVersionByDefault) {
    EXPECT_EQ(target_of("getRelatingEvents", kRelations),
              "/_matrix/client/v1/rooms/%21r%3Ax/relations/%24e");
    EXPECT_EQ(target_of("getPushRules", R"({"base_url":"https://hs.example","token":"t"})"),
              "/_matrix/client/v3/pushrules/");
}

TEST(Operations, BuildAnOlderVersionTheirPathHad) {
    EXPECT_EQ(target_of("getPushRules", R"({"base_url":"https://hs.example","token":"t"})",
                        {.version = PathVersion::r0}),
              "/_matrix/client/r0/pushrules/");
}

TEST(Operations, RefuseAVersionTheirPathNeverHadNamingTheOnesItHad) {
    const std::string message =
        refusal_of("getRelatingEvents", kRelations, {.version = PathVersion::r0});
    EXPECT_NE(message.find("has no version r0 (it has v1)"), std::string::npos) << message;
    // Knocking came with spec v1.1, after r0.
    EXPECT_NE(refusal_of("knockRoom",
                         R"({"base_url":"https://hs.example","token":"t","roomIdOrAlias":"#a:x"})",
                         {.version = PathVersion::r0})
                  .find("(it has v3)"),
              std::string::npos);
}

TEST(SeedForms, KeepBuildingR0ByDefaultAndV3WhenAsked) {
    constexpr std::string_view args = R"({"base_url":"https://hs.example","token":"t"})";
    EXPECT_EQ(target_of("whoami", args), "/_matrix/client/r0/account/whoami");
    EXPECT_EQ(target_of("whoami", args, {.version = PathVersion::v3}),
              "/_matrix/client/v3/account/whoami");
    EXPECT_NE(refusal_of("whoami", args, {.version = PathVersion::v1}).find("(it has r0, v3)"),
              std::string::npos);
}

TEST(SeedForms, TypedTakeThePathVersionLast) {
    EXPECT_EQ(render(api::whoami("https://hs.example", "t")).target,
              "/_matrix/client/r0/account/whoami");
    EXPECT_EQ(render(api::whoami("https://hs.example", "t", {.version = PathVersion::v3})).target,
              "/_matrix/client/v3/account/whoami");
    EXPECT_EQ(api::room_kick<EncodedRequest>("https://hs.example", "t", "!r:x", "@u:x", {},
                                             {.version = PathVersion::v3})
                  .target(),
              "/_matrix/client/v3/rooms/%21r%3Ax/kick");
    EXPECT_THROW(api::whoami("https://hs.example", "t", {.version = PathVersion::v1}),
                 InvalidArgument);
}

TEST(Operations, SendAQueryArrayAsOneParameterPerElement) {
    EXPECT_EQ(target_of("joinRoom", R"({"base_url":"https://hs.example","token":"t",
                                         "roomIdOrAlias":"#a:x","via":["a.example","b c"]})"),
              "/_matrix/client/v3/join/%23a%3Ax?via=a.example&via=b%20c");
}

TEST(Operations, SendAQueryObjectAsOneParameterPerMember) {
    EXPECT_EQ(target_of("queryUserByProtocol", R"({"base_url":"https://hs.example","token":"t",
                          "protocol":"irc","fields":{"nick":"x y","server":"s"}})"),
              "/_matrix/client/v3/thirdparty/user/irc?nick=x%20y&server=s");
}

TEST(Operations, RefuseAQueryListOfAnythingButStrings) {
    const std::string message =
        refusal_of("joinRoom", R"({"base_url":"https://hs.example","token":"t",
                                   "roomIdOrAlias":"#a:x","via":["a.example",1]})",
                   {});
    EXPECT_NE(message.find("via"), std::string::npos) << message;
    EXPECT_NE(message.find("array of strings"), std::string::npos) << message;
}

TEST(Operations, SendADeleteBodyOnlyWhenABodyArgumentIsGiven) {
    const WireRequest with_auth =
        render(build_by_name("deleteDevice", R"({"base_url":"https://hs.example","token":"t",
                                          "deviceId":"D","auth":{"type":"m.login.dummy"}})"));
    EXPECT_EQ(with_auth.method, "DELETE");
    EXPECT_EQ(with_auth.body, R"({"auth":{"type":"m.login.dummy"}})");
    const WireRequest without =
        render(build_by_name("deleteDevice", R"({"base_url":"https://hs.example","token":"t",
                                          "deviceId":"D"})"));
    EXPECT_EQ(without.body, "");
}

TEST(Operations, TakeBodyMemberNamesWithDotsAsTheyAre) {
    const WireRequest request = render(build_by_name(
        "setReadMarker", R"({"base_url":"https://hs.example","token":"t","roomId":"!r:x",
                             "m.fully_read":"$a","m.read":"$b"})"));
    EXPECT_EQ(request.body, R"({"m.fully_read":"$a","m.read":"$b"})");
}

TEST(Operations, NameABodyMemberThatSharesAParametersNameBodyUnderscoreName) {
    const WireRequest request = render(build_by_name(
        "putRoomKeysVersion", R"({"base_url":"https://hs.example","token":"t","version":"1",
                                  "algorithm":"m.megolm_backup.v1","auth_data":{},
                                  "body_version":"1"})"));
    EXPECT_EQ(request.target, "/_matrix/client/v3/room_keys/version/1");
    EXPECT_EQ(request.body, R"({"algorithm":"m.megolm_backup.v1","auth_data":{},"version":"1"})");
}

TEST(Operations, ASeedNameTakesTheSpecOperationWhenOnlyItFitsTheArguments) {
    // The seed's login forms take `auth`; the spec's takes the body's own members.
    const WireRequest request =
        render(build_by_name("login", R"({"base_url":"https://hs.example","type":"m.login.password",
                                   "identifier":{"type":"m.id.user","user":"a"},
                                   "password":"p"})"));
    EXPECT_EQ(request.target, "/_matrix/client/v3/login");
    EXPECT_EQ(request.body,
              R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":"a"},)"
              R"("password":"p"})");
    // The seed's own arguments keep choosing the seed's form, at r0.
    EXPECT_EQ(target_of("login", R"({"base_url":"https://hs.example",
                                     "auth":{"type":"m.login.dummy"}})"),
              "/_matrix/client/r0/login");
}

TEST(Operations, EncodeTheSameBytesTheyBuild) {
    constexpr std::string_view args = R"({"base_url":"https://hs.example","token":"t",
        "roomIdOrAlias":"!a:x","via":["s"],"reason":"r"})";
    const WireRequest built = render(build_by_name("joinRoom", args));
    const EncodedRequest encoded = encode_by_name("joinRoom", args);
    EXPECT_EQ(encoded.target(), built.target);
    EXPECT_EQ(encoded.body(), built.body);
}

}  // namespace
}  // namespace matrix
