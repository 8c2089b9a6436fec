// The validator's rules one by one: what is a violation, where it is reported, and what is
// deliberately not one (unknown query parameters and body members, optional tokens).
#include "matrix/spec_validation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using matrix::Header;
using matrix::SpecVerdict;

const std::vector<Header> kToken = {{"Authorization", "Bearer syt_token"}};
const std::vector<Header> kTokenJson = {{"Authorization", "Bearer syt_token"},
                                        {"Content-Type", "application/json"}};

SpecVerdict check(std::string_view method, std::string_view target,
                  const std::vector<Header>& headers = {}, std::string_view body = {}) {
    return matrix::validate_request({method, target, headers, body});
}

// "where [rule]" of every violation, in order.
std::vector<std::string> found(const SpecVerdict& verdict) {
    std::vector<std::string> out;
    for (const auto& v : verdict.violations) out.push_back(v.where + " [" + v.rule + "]");
    return out;
}

using Found = std::vector<std::string>;

TEST(SpecValidation, ARequestNoOperationHasIsUnidentifiedWithoutViolations) {
    const SpecVerdict verdict = check("GET", "/_matrix/client/v3/no/such/thing", kToken);
    EXPECT_EQ(verdict.operation, nullptr);
    EXPECT_TRUE(verdict.violations.empty());
    EXPECT_FALSE(verdict.conformant());
}

TEST(SpecValidation, IdentifiesOnEveryVersionOfThePath) {
    for (const char* version : {"r0", "v3"}) {
        const SpecVerdict verdict =
            check("GET", std::string("/_matrix/client/") + version + "/account/whoami", kToken);
        ASSERT_NE(verdict.operation, nullptr);
        EXPECT_EQ(verdict.operation->operation_id, "getTokenOwner");
        EXPECT_TRUE(verdict.conformant()) << found(verdict).size();
    }
}

TEST(SpecValidation, PathVerdictIsAWarningWithTheCanonicalForm) {
    const SpecVerdict raw = check("GET", "/_matrix/client/v3/rooms/!a:b.c/state", kToken);
    EXPECT_FALSE(raw.path_canonical);
    EXPECT_EQ(raw.canonical_path, "/_matrix/client/v3/rooms/%21a%3Ab.c/state");
    EXPECT_TRUE(raw.conformant());  // servers accept it: not a violation

    const SpecVerdict lower = check("GET", "/_matrix/client/v3/rooms/%21a%3ab.c/state", kToken);
    EXPECT_FALSE(lower.path_canonical);
    EXPECT_EQ(lower.canonical_path, "/_matrix/client/v3/rooms/%21a%3Ab.c/state");

    const SpecVerdict exact = check("GET", "/_matrix/client/v3/rooms/%21a%3Ab.c/state", kToken);
    EXPECT_TRUE(exact.path_canonical);
    EXPECT_EQ(exact.canonical_path, "");
}

TEST(SpecValidation, CanonicalPathOfMalformedEscapeIsNone) {
    EXPECT_EQ(matrix::canonical_path("/a/%zz"), std::nullopt);
    EXPECT_EQ(matrix::canonical_path("/a b/%7e"), "/a%20b/~");
}

TEST(SpecValidation, TokenRequiredOptionalOrNone) {
    EXPECT_EQ(found(check("GET", "/_matrix/client/v3/account/whoami")),
              Found{"header.Authorization [missing_token]"});
    // The deprecated query parameter still carries a token.
    EXPECT_EQ(found(check("GET", "/_matrix/client/v3/account/whoami?access_token=syt_x")), Found{});
    EXPECT_EQ(
        found(check("GET", "/_matrix/client/v3/account/whoami", {{"Authorization", "Basic eA=="}})),
        Found{"header.Authorization [missing_token]"});
    // /versions takes an optional token: with and without are both fine.
    EXPECT_EQ(found(check("GET", "/_matrix/client/versions")), Found{});
    EXPECT_EQ(found(check("GET", "/_matrix/client/versions", kToken)), Found{});
}

TEST(SpecValidation, QueryTypesEnumsAndFormats) {
    EXPECT_EQ(
        found(check("GET",
                    "/_matrix/client/v3/sync?timeout=30000&full_state=false&set_presence=online",
                    kToken)),
        Found{});
    EXPECT_EQ(
        found(check("GET", "/_matrix/client/v3/sync?timeout=soon&full_state=yes&set_presence=away",
                    kToken)),
        (Found{"query.timeout [type]", "query.full_state [type]", "query.set_presence [enum]"}));
    EXPECT_EQ(found(check("GET", "/_matrix/client/v1/mutual_rooms?user_id=alice", kToken)),
              Found{"query.user_id [format]"});
    EXPECT_EQ(found(check("GET", "/_matrix/client/v1/mutual_rooms", kToken)),
              Found{"query.user_id [missing]"});
}

TEST(SpecValidation, UnknownQueryParametersAndBodyMembersAreNotViolations) {
    EXPECT_EQ(found(check("GET", "/_matrix/client/v3/sync?_cacheBuster=1700000000&org.example=1",
                          kToken)),
              Found{});
    EXPECT_EQ(found(check("POST", "/_matrix/client/v3/createRoom", kTokenJson,
                          R"({"preset":"private_chat","org.example.unstable":{"x":1}})")),
              Found{});
}

TEST(SpecValidation, PathParametersWithAFormat) {
    EXPECT_EQ(found(check("GET", "/_matrix/client/v3/directory/room/%23room%3Aexample.org")),
              Found{});
    EXPECT_EQ(found(check("GET", "/_matrix/client/v3/directory/room/room%3Aexample.org")),
              Found{"path.roomAlias [format]"});
    // Room ids of room version 12 have no server name.
    EXPECT_EQ(found(check("GET", "/_matrix/client/v3/rooms/%21opaque/joined_members", kToken)),
              Found{});
}

TEST(SpecValidation, BodyMembersNestedWithExactWhere) {
    const SpecVerdict verdict = check(
        "POST", "/_matrix/client/v3/createRoom", kTokenJson,
        R"({"preset":"nope","invite":["@bob:example.org","bob"],"initial_state":[{"type":3}],"is_direct":"yes"})");
    // In the body's order; an object's missing members before its others.
    EXPECT_EQ(found(verdict),
              (Found{"body.preset [enum]", "body.invite[1] [format]",
                     "body.initial_state[0].content [missing]", "body.initial_state[0].type [type]",
                     "body.is_direct [type]"}));
    EXPECT_EQ(verdict.violations[3].message, "expected string, found integer 3");
}

TEST(SpecValidation, BodyMustBeJsonAndLabelledSo) {
    EXPECT_EQ(found(check("POST", "/_matrix/client/v3/createRoom", kTokenJson, "{nope")),
              Found{"body [not_json]"});
    EXPECT_EQ(found(check("POST", "/_matrix/client/v3/createRoom", kTokenJson, "[1]")),
              Found{"body [type]"});
    EXPECT_EQ(found(check("POST", "/_matrix/client/v3/createRoom", kToken, "{}")),
              Found{"header.Content-Type [content_type]"});
    const std::vector<Header> with_charset = {{"authorization", "bearer syt_token"},
                                              {"content-type", "Application/JSON; charset=utf-8"}};
    EXPECT_EQ(found(check("POST", "/_matrix/client/v3/createRoom", with_charset, "{}")), Found{});
    // The spec requires createRoom's body.
    EXPECT_EQ(found(check("POST", "/_matrix/client/v3/createRoom", kToken)),
              Found{"body [missing]"});
}

TEST(SpecValidation, EventContentOfKnownTypesThroughSendAndState) {
    const std::string send = "/_matrix/client/v3/rooms/%21r%3Ae.org/send/";
    EXPECT_EQ(found(check("PUT", send + "m.room.message/t1", kTokenJson,
                          R"({"msgtype":"m.text","body":"hi"})")),
              Found{});
    EXPECT_EQ(found(check("PUT", send + "m.room.message/t2", kTokenJson, R"({"msgtype":5})")),
              (Found{"body.body [missing]", "body.msgtype [type]"}));
    // A type the spec does not define may carry anything.
    EXPECT_EQ(found(check("PUT", send + "org.example.custom/t3", kTokenJson, R"({"a":[1]})")),
              Found{});
    const std::string state =
        "/_matrix/client/v3/rooms/%21r%3Ae.org/state/m.room.member/%40a%3Ae.org";
    EXPECT_EQ(found(check("PUT", state, kTokenJson, R"({"membership":"join"})")), Found{});
    EXPECT_EQ(found(check("PUT", state, kTokenJson, R"({"membership":"joined"})")),
              Found{"body.membership [enum]"});
}

TEST(SpecValidation, OneOfAcceptsAnyAlternativeAndNamesTheFirstFailure) {
    const std::string upload = "/_matrix/client/v3/keys/upload";
    EXPECT_EQ(
        found(check(
            "POST", upload, kTokenJson,
            R"({"one_time_keys":{"curve25519:A":"key","signed_curve25519:B":{"key":"k","signatures":{}}}})")),
        Found{});
    const SpecVerdict verdict =
        check("POST", upload, kTokenJson, R"({"one_time_keys":{"curve25519:A":7}})");
    EXPECT_EQ(found(verdict), Found{R"(body.one_time_keys["curve25519:A"] [one_of])"});
}

TEST(SpecValidation, MessagesCutLongValues) {
    const std::string long_value(500, 'x');
    const SpecVerdict verdict =
        check("GET", "/_matrix/client/v3/sync?timeout=" + long_value, kToken);
    ASSERT_EQ(verdict.violations.size(), 1u);
    EXPECT_LT(verdict.violations[0].message.size(), 120u);
}

TEST(SpecValidation, NeverThrowsOnHostileBytes) {
    const std::vector<Header> odd = {{"Authorization", ""}, {"Content-Type", ""}};
    for (const char* body : {"", "\xff\xfe", "{\"a\":", "nul", "{}"}) {
        for (const char* target : {"", "?", "/%", "/_matrix/client/v3/createRoom?%zz=1&&=&a",
                                   "/_matrix/client/v3/rooms/%00/send/%FF/x"}) {
            EXPECT_NO_THROW(check("POST", target, odd, body));
            EXPECT_NO_THROW(check("PUT", target, odd, body));
        }
    }
}

}  // namespace
