// The wire level: requests sent through the HTTP client and read back from the mock server.
#include "matrix/conformance/wire.hpp"

#include <gtest/gtest.h>

#include "matrix/client.hpp"
#include "matrix/conformance/comparison.hpp"
#include "matrix/mock/homeserver.hpp"

namespace matrix::conformance {
namespace {

Vector kick_vector(std::string expected_path) {
    Vector vector;
    vector.file = "inline.json";
    vector.id = "room_kick/wire";
    vector.endpoint = "room_kick";
    vector.args_json =
        R"({"base_url":"https://matrix.org","token":"token","room_id":"!someroom:matrix.org",)"
        R"("user_id":"@user:matrix.org","reason":"Ate all the chocolate"})";
    ExpectedRequest expect;
    expect.method = "POST";
    expect.path = std::move(expected_path);
    expect.headers = {{"Authorization", "Bearer token"}};
    expect.body_kind = ExpectedBody::json;
    expect.body = R"({"user_id":"@user:matrix.org","reason":"Ate all the chocolate"})";
    vector.expect = expect;
    return vector;
}

TEST(WireLevel, AConformingVectorPassesFromTheBytesTheServerReceived) {
    WireLevelChecker checker;
    const VectorResult result =
        checker.check(kick_vector("/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick"));
    EXPECT_EQ(result.outcome, Outcome::passed);
    EXPECT_NE(result.detail.find("https://matrix.org"), std::string::npos)
        << "the vector's own base URL is kept in the report: " << result.detail;
}

TEST(WireLevel, AWrongExpectationFailsOnThePathAndNamesTheOriginalHost) {
    WireLevelChecker checker;
    const VectorResult result =
        checker.check(kick_vector("/_matrix/client/r0/rooms/!someroom:matrix.org/kick"));
    ASSERT_EQ(result.outcome, Outcome::failed);
    ASSERT_EQ(result.mismatches.size(), 1u);
    EXPECT_EQ(result.mismatches[0].field, "path");
    EXPECT_NE(result.detail.find("https://matrix.org"), std::string::npos);
}

TEST(WireLevel, ARefusedVectorSendsNothing) {
    WireLevelChecker checker;
    Vector vector;
    vector.file = "inline.json";
    vector.id = "whoami/injection";
    vector.endpoint = "whoami";
    vector.args_json = R"({"base_url":"https://matrix.org","token":"t\r\nX-Evil: 1"})";
    vector.expect_error = ExpectedRefusal{"header injection", std::nullopt};
    const VectorResult result = checker.check(vector);
    EXPECT_EQ(result.outcome, Outcome::passed) << result.detail;
}

TEST(WireLevel, ChecksTheArgumentARefusalNames) {
    WireLevelChecker checker;
    Vector vector;
    vector.file = "inline.json";
    vector.id = "whoami/injection";
    vector.endpoint = "whoami";
    vector.args_json = R"({"base_url":"https://matrix.org","token":"t\r\nX-Evil: 1"})";
    vector.expect_error = ExpectedRefusal{"", "token"};
    EXPECT_EQ(checker.check(vector).outcome, Outcome::passed);
    vector.expect_error->argument = "base_url";
    const VectorResult result = checker.check(vector);
    EXPECT_EQ(result.outcome, Outcome::failed);
    ASSERT_EQ(result.mismatches.size(), 1u);
    EXPECT_EQ(result.mismatches[0].actual, "refusal of argument 'token'");
}

// A transport that encoded the already-encoded path again would send %2521 for '!'. The
// comparator reads the bytes the server received, so it must see that.
TEST(WireLevel, ADoubleEncodedPathOnTheWireIsCaught) {
    mock::MockHomeserver server;
    server.on(mock::RequestPattern()).respond_json(200, Json::object({}));
    Request request;
    request.method = Method::post;
    request.base_url = server.url();
    request.path = "/_matrix/client/r0/rooms/%2521someroom%253Amatrix.org/kick";
    request.headers = {{"Authorization", "Bearer token"}};
    request.body_kind = BodyKind::json;
    request.body = R"({"user_id":"@user:matrix.org","reason":"Ate all the chocolate"})";
    HttpClient client;
    client.send(request);
    const auto received = server.journal().entries();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].target, request.path) << "the client sends the path unchanged";
    const auto mismatches =
        compare(*kick_vector("/_matrix/client/r0/rooms/%21someroom%3Amatrix.org/kick").expect,
                received[0].wire());
    ASSERT_EQ(mismatches.size(), 1u);
    EXPECT_EQ(mismatches[0].field, "path");
    EXPECT_NE(mismatches[0].actual.find("%2521"), std::string::npos);
}

// One vector per client-server operation, from the spec's request examples.
TEST(WireLevel, EveryShippedSpecVectorPassesOnTheWire) {
    const RunReport report = run_wire_level({MATRIX_VECTOR_DIR "/spec/operations.json"});
    EXPECT_EQ(report.failed(), 0u);
    EXPECT_EQ(report.passed(), 166u);
}

TEST(WireLevel, EveryShippedSeedVectorPassesOnTheWire) {
    const RunReport report = run_wire_level({MATRIX_VECTOR_DIR "/seed.json"});
    EXPECT_EQ(report.failed(), 0u);
    EXPECT_EQ(report.passed(), 87u);
}

}  // namespace
}  // namespace matrix::conformance
