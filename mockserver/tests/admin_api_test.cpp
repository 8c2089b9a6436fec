// Every admin route over HTTP: mappings, journal, count, wait both ways, reset, errors.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <thread>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"
#include "raw_http_json.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::parse;
using testing::RawResponse;
using testing::send_raw;

class AdminApi : public ::testing::Test {
  protected:
    RawResponse admin(std::string_view method, std::string_view path, std::string_view body = {}) {
        return send_raw(hs.port(), http_request(method, path, body));
    }
    MockHomeserver hs;
};

TEST_F(AdminApi, HealthReportsTheJournalAndStubCounts) {
    hs.on("whoami");
    const auto response = admin("GET", "/__admin/health");
    ASSERT_EQ(response.status, 200);
    const auto document = parse(response);
    EXPECT_STREQ(document["status"].GetString(), "healthy");
    EXPECT_EQ(document["journal"]["capacity"].GetUint64(), Journal::kDefaultCapacity);
    EXPECT_EQ(document["stubs"].GetInt(), 1);
}

TEST_F(AdminApi, AdminCallsAreNotJournaled) {
    admin("GET", "/__admin/health");
    admin("GET", "/__admin/requests");
    EXPECT_EQ(hs.journal().size(), 0u);
}

TEST_F(AdminApi, PostedMappingIsListedServedFetchedAndDeleted) {
    const auto created =
        admin("POST", "/__admin/mappings",
              R"({"request": {"method": "GET", "urlPath": "/_matrix/client/versions"},
                                   "response": {"jsonBody": {"versions": ["v1.11"]}}})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string id = parse(created)["id"].GetString();

    const auto listed = parse(admin("GET", "/__admin/mappings"));
    ASSERT_EQ(listed["mappings"].Size(), 1u);
    EXPECT_EQ(std::string(listed["mappings"][0]["id"].GetString()), id);

    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/_matrix/client/versions")).body,
              R"({"versions":["v1.11"]})");
    EXPECT_EQ(admin("GET", "/__admin/mappings/" + id).status, 200);
    EXPECT_EQ(admin("DELETE", "/__admin/mappings/" + id).status, 200);
    EXPECT_EQ(admin("DELETE", "/__admin/mappings/" + id).status, 404);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/_matrix/client/versions")).status, 404);
}

TEST_F(AdminApi, ABadMappingIsRefusedNamingTheKey) {
    const auto response =
        admin("POST", "/__admin/mappings",
              R"({"request": {"urlPath": "/a", "metod": "GET"}, "response": {}})");
    EXPECT_EQ(response.status, 400);
    const auto document = parse(response);
    EXPECT_NE(std::string(document["key"].GetString()).find("metod"), std::string::npos)
        << response.body;
    EXPECT_EQ(admin("POST", "/__admin/mappings", "not json").status, 400);
}

TEST_F(AdminApi, RequestsAreListedInArrivalOrderWithTargetHeadersBodyAndMatch) {
    const StubHandle stub = hs.on("whoami");
    send_raw(hs.port(), http_request("GET", "/_matrix/client/r0/account/whoami?a=%20b"));
    send_raw(hs.port(), http_request("PUT", "/x/%2F", std::string("\xFF\x00\x01", 3)));
    const auto document = parse(admin("GET", "/__admin/requests"));
    const auto& requests = document["requests"];
    ASSERT_EQ(requests.Size(), 2u);
    EXPECT_STREQ(requests[0]["method"].GetString(), "GET");
    EXPECT_STREQ(requests[0]["target"].GetString(), "/_matrix/client/r0/account/whoami?a=%20b");
    EXPECT_EQ(std::string(requests[0]["matched"].GetString()), stub.id());
    EXPECT_TRUE(requests[0]["headers"].IsArray());
    EXPECT_STREQ(requests[1]["target"].GetString(), "/x/%2F");
    EXPECT_TRUE(requests[1]["matched"].IsNull());
    EXPECT_STREQ(requests[1]["body_base64"].GetString(), "/wAB");
    EXPECT_LT(requests[0]["id"].GetUint64(), requests[1]["id"].GetUint64());
}

TEST_F(AdminApi, DeletingRequestsClearsTheJournal) {
    send_raw(hs.port(), http_request("GET", "/a"));
    EXPECT_EQ(admin("DELETE", "/__admin/requests").status, 200);
    EXPECT_EQ(parse(admin("GET", "/__admin/requests"))["requests"].Size(), 0u);
}

TEST_F(AdminApi, UnmatchedListsOnlyUnmatchedRequestsWithNearMisses) {
    hs.on(RequestPattern::for_path("GET", "/hit"));
    send_raw(hs.port(), http_request("GET", "/hit"));
    send_raw(hs.port(), http_request("GET", "/miss"));
    const auto document = parse(admin("GET", "/__admin/requests/unmatched"));
    ASSERT_EQ(document["requests"].Size(), 1u);
    EXPECT_STREQ(document["requests"][0]["target"].GetString(), "/miss");
    EXPECT_GE(document["requests"][0]["near_misses"].Size(), 1u);
}

TEST_F(AdminApi, CountTakesAPatternOrAWrappedPattern) {
    send_raw(hs.port(), http_request("GET", "/_matrix/client/r0/sync?since=a"));
    send_raw(hs.port(), http_request("GET", "/_matrix/client/v3/sync"));
    send_raw(hs.port(), http_request("GET", "/other"));
    EXPECT_EQ(admin("POST", "/__admin/requests/count", R"({"endpoint": "sync"})").body,
              R"({"count":2})");
    EXPECT_EQ(
        admin(
            "POST", "/__admin/requests/count",
            R"({"request": {"endpoint": "sync", "queryParameters": {"since": {"equalTo": "a"}}}})")
            .body,
        R"({"count":1})");
    EXPECT_EQ(admin("POST", "/__admin/requests/count", R"({"urlPaht": "/x"})").status, 400);
}

// A wrapped pattern reaches the pattern parser with its numbers as written, so equalToJson
// tells apart two integers beyond 64 bits that round to one double.
TEST_F(AdminApi, CountKeepsTheNumbersOfAWrappedPattern) {
    send_raw(hs.port(), http_request("POST", "/x", R"({"n":12345678901234567890124})"));
    const std::string pattern =
        R"({"request": {"bodyPatterns": [{"equalToJson": {"n": 12345678901234567890123}}]}})";
    EXPECT_EQ(admin("POST", "/__admin/requests/count", pattern).body, R"({"count":0})");
    EXPECT_EQ(
        admin(
            "POST", "/__admin/requests/count",
            R"({"request": {"bodyPatterns": [{"equalToJson": {"n": 12345678901234567890124.0}}]}})")
            .body,
        R"({"count":1})");
}

TEST_F(AdminApi, WaitRefusesAFractionalCount) {
    EXPECT_EQ(admin("POST", "/__admin/requests/wait", R"({"count": 1.5})").status, 400);
    EXPECT_EQ(admin("POST", "/__admin/requests/wait", R"({"count": 1e400})").status, 400);
}

TEST_F(AdminApi, WaitAnswersAsSoonAsTheRequestsArrive) {
    std::thread client([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/logout", "{}"));
        send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/logout", "{}"));
    });
    const auto start = std::chrono::steady_clock::now();
    const auto response =
        admin("POST", "/__admin/requests/wait",
              R"({"request": {"endpoint": "logout"}, "count": 2, "timeoutMs": 20000})");
    client.join();
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(parse(response)["requests"].Size(), 2u);
    // Woken by the arrivals, not by the 20 s timeout.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(AdminApi, WaitTimesOutWith408AndWhatDidArrive) {
    send_raw(hs.port(), http_request("POST", "/_matrix/client/v3/logout", "{}"));
    const auto response =
        admin("POST", "/__admin/requests/wait",
              R"({"request": {"endpoint": "logout"}, "count": 2, "timeoutMs": 100})");
    EXPECT_EQ(response.status, 408);
    EXPECT_EQ(parse(response)["requests"].Size(), 1u);
}

TEST_F(AdminApi, WaitRefusesUnknownFieldsAndBadNumbers) {
    EXPECT_EQ(admin("POST", "/__admin/requests/wait", R"({"cont": 1})").status, 400);
    EXPECT_EQ(admin("POST", "/__admin/requests/wait", R"({"count": -1})").status, 400);
    EXPECT_EQ(admin("POST", "/__admin/requests/wait", R"({"timeoutMs": 99999999})").status, 400);
}

TEST_F(AdminApi, ResetClearsTheJournalAndAddedMappings) {
    admin("POST", "/__admin/mappings", R"({"request": {"urlPath": "/a"}, "response": {}})");
    send_raw(hs.port(), http_request("GET", "/a"));
    EXPECT_EQ(admin("POST", "/__admin/reset").status, 200);
    EXPECT_EQ(hs.journal().size(), 0u);
    EXPECT_EQ(hs.stubs().list().size(), 0u);
}

TEST_F(AdminApi, UnknownRouteListsTheRoutes) {
    const auto response = admin("GET", "/__admin/nope");
    EXPECT_EQ(response.status, 404);
    EXPECT_NE(response.body.find("/__admin/requests/wait"), std::string::npos);
}

TEST(AdminApiDisabled, AdminPathsAreOrdinaryRequestsThen) {
    MockHomeserverOptions options;
    options.admin_api = false;
    MockHomeserver hs(options);
    EXPECT_EQ(send_raw(hs.port(), http_request("GET", "/__admin/health")).status, 404);
    EXPECT_EQ(hs.journal().size(), 1u);
}

}  // namespace
}  // namespace matrix::mock
