// The mock homeserver names each request's spec operation and what it breaks in the journal,
// and with strict_spec answers a violating request with the Matrix error a homeserver gives.
#include <gtest/gtest.h>

#include <string>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::RawResponse;
using testing::send_raw;

constexpr std::string_view kToken = "Authorization: Bearer syt_token\r\n";
constexpr std::string_view kTokenJson =
    "Authorization: Bearer syt_token\r\nContent-Type: application/json\r\n";

MockHomeserverOptions strict() {
    MockHomeserverOptions options;
    options.strict_spec = true;
    return options;
}

// The errcode of a Matrix error body ({"errcode":"M_...","error":"..."}).
std::string errcode_of(const RawResponse& response) {
    const std::string key = "\"errcode\":\"";
    const std::size_t start = response.body.find(key);
    if (start == std::string::npos) return "(no errcode in " + response.body + ")";
    const std::size_t from = start + key.size();
    return response.body.substr(from, response.body.find('"', from) - from);
}

TEST(SpecVerdicts, JournalNamesOperationViolationsAndPathVerdict) {
    MockHomeserver hs;
    send_raw(hs.port(),
             http_request("PUT", "/_matrix/client/v3/rooms/!r:e.org/send/m.room.message/1",
                          R"({"msgtype":"m.text"})", kTokenJson));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    ASSERT_NE(entries[0].operation, nullptr);
    EXPECT_EQ(entries[0].operation->operation_id, "sendMessage");
    EXPECT_FALSE(entries[0].path_canonical);
    EXPECT_EQ(entries[0].canonical_path,
              "/_matrix/client/v3/rooms/%21r%3Ae.org/send/m.room.message/1");
    ASSERT_EQ(entries[0].violations.size(), 1u);
    EXPECT_EQ(entries[0].violations[0].where, "body.body");
    EXPECT_EQ(entries[0].violations[0].rule, "missing");
    const std::string line = to_json(entries[0]);
    EXPECT_NE(
        line.find(
            R"("path_canonical":false,"canonical_path":"/_matrix/client/v3/rooms/%21r%3Ae.org/send/m.room.message/1")"),
        std::string::npos)
        << line;
    EXPECT_NE(
        line.find(
            R"("violations":[{"where":"body.body","rule":"missing","message":"required member \"body\" is missing"}])"),
        std::string::npos)
        << line;
    // Without strict_spec the request is served as before: here, no stub, no simulation.
    EXPECT_EQ(entries[0].status, 404);
}

TEST(SpecVerdicts, ValidationCanBeTurnedOff) {
    MockHomeserverOptions options;
    options.validate_requests = false;
    MockHomeserver hs(options);
    send_raw(hs.port(), http_request("GET", "/_matrix/client/v3/account/whoami"));
    const auto entries = hs.journal().entries();
    ASSERT_EQ(entries.size(), 1u);
    ASSERT_NE(entries[0].operation, nullptr);  // identification stays
    EXPECT_TRUE(entries[0].violations.empty());
}

TEST(StrictSpec, MissingTokenIs401MissingToken) {
    MockHomeserver hs(strict());
    hs.on("getTokenOwner").respond_json(200, R"({"user_id":"@a:b.c"})");
    const RawResponse response =
        send_raw(hs.port(), http_request("GET", "/_matrix/client/v3/account/whoami"));
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(errcode_of(response), "M_MISSING_TOKEN");
    EXPECT_NE(response.body.find("header.Authorization"), std::string::npos) << response.body;
    // With the token the stub answers.
    EXPECT_EQ(
        send_raw(hs.port(), http_request("GET", "/_matrix/client/v3/account/whoami", {}, kToken))
            .status,
        200);
}

TEST(StrictSpec, BodyThatIsNotJsonIsNotJson) {
    MockHomeserver hs(strict());
    const RawResponse response = send_raw(
        hs.port(), http_request("POST", "/_matrix/client/v3/createRoom", "{nope", kTokenJson));
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(errcode_of(response), "M_NOT_JSON");
    const RawResponse unlabelled =
        send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/createRoom", "{}", kToken));
    EXPECT_EQ(unlabelled.status, 400);
    EXPECT_EQ(errcode_of(unlabelled), "M_NOT_JSON");
    EXPECT_NE(unlabelled.body.find("header.Content-Type"), std::string::npos) << unlabelled.body;
}

TEST(StrictSpec, MissingMemberOrParameterIsMissingParam) {
    MockHomeserver hs(strict());
    const RawResponse member =
        send_raw(hs.port(),
                 http_request("PUT", "/_matrix/client/v3/rooms/%21r%3Ae.org/send/m.room.message/1",
                              R"({"msgtype":"m.text"})", kTokenJson));
    EXPECT_EQ(member.status, 400);
    EXPECT_EQ(errcode_of(member), "M_MISSING_PARAM");
    EXPECT_NE(member.body.find("body.body"), std::string::npos) << member.body;
    const RawResponse query =
        send_raw(hs.port(), http_request("GET", "/_matrix/client/v1/mutual_rooms", {}, kToken));
    EXPECT_EQ(errcode_of(query), "M_MISSING_PARAM");
    EXPECT_NE(query.body.find("query.user_id"), std::string::npos) << query.body;
}

TEST(StrictSpec, MistypedBodyMemberIsBadJson) {
    MockHomeserver hs(strict());
    const RawResponse response = send_raw(
        hs.port(),
        http_request("POST", "/_matrix/client/v3/createRoom", R"({"preset":"party"})", kTokenJson));
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(errcode_of(response), "M_BAD_JSON");
    EXPECT_NE(response.body.find("body.preset"), std::string::npos) << response.body;
}

TEST(StrictSpec, MistypedQueryOrPathValueIsInvalidParam) {
    MockHomeserver hs(strict());
    const RawResponse query = send_raw(
        hs.port(), http_request("GET", "/_matrix/client/v3/sync?timeout=soon", {}, kToken));
    EXPECT_EQ(query.status, 400);
    EXPECT_EQ(errcode_of(query), "M_INVALID_PARAM");
    EXPECT_NE(query.body.find("query.timeout"), std::string::npos) << query.body;
    const RawResponse path =
        send_raw(hs.port(), http_request("GET", "/_matrix/client/v3/directory/room/room%3Ae.org"));
    EXPECT_EQ(errcode_of(path), "M_INVALID_PARAM");
    EXPECT_NE(path.body.find("path.roomAlias"), std::string::npos) << path.body;
}

TEST(StrictSpec, TokenComesBeforeTheBody) {
    MockHomeserver hs(strict());
    const RawResponse response =
        send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/createRoom", "{nope",
                                         "Content-Type: application/json\r\n"));
    EXPECT_EQ(response.status, 401);
    EXPECT_EQ(errcode_of(response), "M_MISSING_TOKEN");
}

TEST(StrictSpec, ConformantAndUnidentifiedRequestsAreServedAsUsual) {
    MockHomeserver hs(strict());
    hs.on("createRoom").respond_json(200, R"({"room_id":"!new:e.org"})");
    EXPECT_EQ(send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/createRoom",
                                               R"({"preset":"private_chat"})", kTokenJson))
                  .status,
              200);
    // Not a spec operation: nothing to hold it to; the stubs (none) answer 404.
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/no/such/path")).status, 404);
}

}  // namespace
}  // namespace matrix::mock
