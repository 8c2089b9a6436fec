// The journal's admin routes over HTTP: ?limit and ?since, one entry by id (read, delete),
// find by pattern, and ids that are never reused.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"
#include "raw_http_json.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::parse;
using testing::RawResponse;
using testing::send_raw;

using testing::listed_targets;

class AdminJournal : public ::testing::Test {
  protected:
    RawResponse admin(std::string_view method, std::string_view path, std::string_view body = {}) {
        return send_raw(hs.port(), http_request(method, path, body));
    }
    void request(std::string_view target) { send_raw(hs.port(), http_request("GET", target)); }
    std::string key_of(const RawResponse& response) {
        const auto document = parse(response);
        return document.HasMember("key") ? document["key"].GetString() : "";
    }
    MockHomeserver hs;
};

TEST_F(AdminJournal, LimitListsTheNewestInArrivalOrder) {
    for (const char* target : {"/a", "/b", "/c", "/d"}) request(target);
    EXPECT_EQ(listed_targets(parse(admin("GET", "/__admin/requests?limit=2"))),
              (std::vector<std::string>{"/c", "/d"}));
    EXPECT_EQ(listed_targets(parse(admin("GET", "/__admin/requests?limit=10"))).size(), 4u);
    EXPECT_TRUE(listed_targets(parse(admin("GET", "/__admin/requests?limit=0"))).empty());
    // meta counts the whole journal, not the page.
    EXPECT_EQ(parse(admin("GET", "/__admin/requests?limit=1"))["meta"]["total"].GetUint64(), 4u);
}

TEST_F(AdminJournal, ABadLimitIsRefusedNamingTheParameter) {
    for (const char* bad : {"-1", "x", "1.5", "", "99999999999999999999999"}) {
        const auto response = admin("GET", std::string("/__admin/requests?limit=") + bad);
        EXPECT_EQ(response.status, 400) << bad;
        EXPECT_EQ(key_of(response), "limit") << response.body;
        EXPECT_NE(response.body.find("non-negative integer"), std::string::npos) << response.body;
    }
}

TEST_F(AdminJournal, SinceListsWhatArrivedStrictlyAfterIt) {
    request("/early");
    const auto first = parse(admin("GET", "/__admin/requests"));
    const std::string arrived = first["requests"][0]["arrived"].GetString();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    request("/late");
    // The entry's own "arrived" leaves it out: polling with the last one seen gives only news.
    EXPECT_EQ(listed_targets(parse(admin("GET", "/__admin/requests?since=" + arrived))),
              (std::vector<std::string>{"/late"}));
    EXPECT_EQ(
        listed_targets(parse(admin("GET", "/__admin/requests?since=2000-01-01T00:00:00Z"))).size(),
        2u);
    EXPECT_TRUE(listed_targets(parse(admin("GET", "/__admin/requests?since=2999-01-01T00:00:00Z")))
                    .empty());
    // An offset is the same instant in another zone: a day ahead in UTC+14 is still the future.
    EXPECT_TRUE(
        listed_targets(parse(admin("GET", "/__admin/requests?since=2999-01-01T13:00:00.5%2B14:00")))
            .empty());
    // A '+' left unencoded arrives as a space, and is read as the '+' it was.
    EXPECT_EQ(
        listed_targets(parse(admin("GET", "/__admin/requests?since=2000-01-01T00:00:00+01:00")))
            .size(),
        2u);
    EXPECT_EQ(listed_targets(
                  parse(admin("GET", "/__admin/requests?since=2000-01-01T23:00:00-01:00&limit=1"))),
              (std::vector<std::string>{"/late"}));
}

TEST_F(AdminJournal, ABadSinceIsRefusedNamingTheParameterAndTheFormat) {
    for (const char* bad : {"yesterday", "2026-12-07", "2026-12-07T03:55:00",
                            "2026-02-30T00:00:00Z", "2026-12-07T25:00:00Z", "2026-12-07T03:55:00.Z",
                            "2026-12-07T03:55:00Zjunk", "1733543700"}) {
        const auto response = admin("GET", std::string("/__admin/requests?since=") + bad);
        EXPECT_EQ(response.status, 400) << bad;
        EXPECT_EQ(key_of(response), "since") << response.body;
        EXPECT_NE(response.body.find("2026-12-07T03:55:00Z"), std::string::npos) << response.body;
    }
}

TEST_F(AdminJournal, AnUnknownQueryParameterIsRefused) {
    const auto response = admin("GET", "/__admin/requests?limt=2");
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(key_of(response), "limt");
    EXPECT_NE(response.body.find("limit, since"), std::string::npos) << response.body;
}

TEST_F(AdminJournal, OneEntryIsFetchedByItsId) {
    request("/a");
    request("/b");
    const auto listed = parse(admin("GET", "/__admin/requests"));
    const std::uint64_t id = listed["requests"][1]["id"].GetUint64();
    const auto response = admin("GET", "/__admin/requests/" + std::to_string(id));
    ASSERT_EQ(response.status, 200) << response.body;
    const auto entry = parse(response);
    EXPECT_EQ(entry["id"].GetUint64(), id);
    EXPECT_STREQ(entry["target"].GetString(), "/b");
}

TEST_F(AdminJournal, AnUnknownOrEvictedIdIsA404SayingWhich) {
    MockHomeserverOptions options;
    options.journal_capacity = 1;
    MockHomeserver small(options);
    send_raw(small.port(), http_request("GET", "/a"));
    send_raw(small.port(), http_request("GET", "/b"));  // evicts /a, id 1
    const auto evicted = send_raw(small.port(), http_request("GET", "/__admin/requests/1"));
    EXPECT_EQ(evicted.status, 404);
    EXPECT_NE(evicted.body.find("evicted"), std::string::npos) << evicted.body;
    const auto future = send_raw(small.port(), http_request("GET", "/__admin/requests/99"));
    EXPECT_EQ(future.status, 404);
    EXPECT_NE(future.body.find("the newest is 2"), std::string::npos) << future.body;

    const auto none = admin("GET", "/__admin/requests/1");
    EXPECT_EQ(none.status, 404);
    EXPECT_NE(none.body.find("none has arrived"), std::string::npos) << none.body;
    for (const char* bad : {"abc", "0", "-1", "1.0"}) {
        const auto response = admin("GET", std::string("/__admin/requests/") + bad);
        EXPECT_EQ(response.status, 400) << bad;
        EXPECT_EQ(key_of(response), "id");
    }
}

TEST_F(AdminJournal, DeletingOneEntryKeepsTheOthersAndTheByteCount) {
    request("/a");
    const std::size_t one = hs.journal().bytes();
    request("/bb");
    request("/c");
    const auto listed = parse(admin("GET", "/__admin/requests"));
    const std::uint64_t middle = listed["requests"][1]["id"].GetUint64();
    const std::size_t before = hs.journal().bytes();
    ASSERT_EQ(admin("DELETE", "/__admin/requests/" + std::to_string(middle)).status, 200);
    EXPECT_EQ(listed_targets(parse(admin("GET", "/__admin/requests"))),
              (std::vector<std::string>{"/a", "/c"}));
    EXPECT_LT(hs.journal().bytes(), before);
    EXPECT_GT(hs.journal().bytes(), one);
    const auto again = admin("DELETE", "/__admin/requests/" + std::to_string(middle));
    EXPECT_EQ(again.status, 404);
    EXPECT_NE(again.body.find("deleted"), std::string::npos) << again.body;
    EXPECT_EQ(admin("GET", "/__admin/requests/" + std::to_string(middle)).status, 404);
    // Deleting every entry brings the byte count back to nothing.
    const rapidjson::Document remaining = parse(admin("GET", "/__admin/requests"));
    for (const auto& entry : remaining["requests"].GetArray())
        admin("DELETE", "/__admin/requests/" + std::to_string(entry["id"].GetUint64()));
    EXPECT_EQ(hs.journal().bytes(), 0u);
}

TEST_F(AdminJournal, IdsAreNeverReusedAfterDeleteClearOrReset) {
    request("/a");
    request("/b");
    const std::uint64_t second =
        parse(admin("GET", "/__admin/requests"))["requests"][1]["id"].GetUint64();
    admin("DELETE", "/__admin/requests/" + std::to_string(second));
    request("/c");
    admin("DELETE", "/__admin/requests");
    request("/d");
    admin("POST", "/__admin/reset");
    request("/e");
    const auto listed = parse(admin("GET", "/__admin/requests"));
    ASSERT_EQ(listed["requests"].Size(), 1u);
    EXPECT_EQ(listed["requests"][0]["id"].GetUint64(), second + 3);
}

// A wait that had counted an entry deleted meanwhile no longer reports it.
TEST_F(AdminJournal, AWaitForgetsADeletedEntry) {
    request("/_matrix/client/v3/logout");
    const std::uint64_t id =
        parse(admin("GET", "/__admin/requests"))["requests"][0]["id"].GetUint64();
    std::thread deleter([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        admin("DELETE", "/__admin/requests/" + std::to_string(id));
        request("/_matrix/client/v3/logout");
    });
    const auto response = admin(
        "POST", "/__admin/requests/wait",
        R"({"request": {"urlPath": "/_matrix/client/v3/logout"}, "count": 2, "timeoutMs": 2000})");
    deleter.join();
    EXPECT_EQ(response.status, 408) << response.body;
    const auto document = parse(response);
    ASSERT_EQ(document["requests"].Size(), 1u);
    EXPECT_GT(document["requests"][0]["id"].GetUint64(), id);
}

TEST_F(AdminJournal, FindListsTheRequestsAPatternMatches) {
    request("/_matrix/client/r0/sync?since=a");
    request("/other");
    request("/_matrix/client/v3/sync");
    const auto found = admin("POST", "/__admin/requests/find", R"({"endpoint": "sync"})");
    ASSERT_EQ(found.status, 200) << found.body;
    const auto document = parse(found);
    EXPECT_EQ(listed_targets(document), (std::vector<std::string>{"/_matrix/client/r0/sync?since=a",
                                                                  "/_matrix/client/v3/sync"}));
    EXPECT_TRUE(document["requests"][0]["id"].IsUint64());
    EXPECT_EQ(
        listed_targets(parse(admin(
            "POST", "/__admin/requests/find",
            R"({"request": {"endpoint": "sync", "queryParameters": {"since": {"equalTo": "a"}}}})"))),
        (std::vector<std::string>{"/_matrix/client/r0/sync?since=a"}));
    const auto bad = admin("POST", "/__admin/requests/find", R"({"urlPaht": "/x"})");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(key_of(bad), "request.urlPaht") << bad.body;
    EXPECT_EQ(admin("POST", "/__admin/requests/find", "not json").status, 400);
}

TEST_F(AdminJournal, NamedSubRoutesWithTheWrongMethodAreNoRouteNotAnId) {
    const auto response = admin("GET", "/__admin/requests/find");
    EXPECT_EQ(response.status, 404);
    EXPECT_NE(response.body.find("POST /__admin/requests/find"), std::string::npos)
        << response.body;
    EXPECT_NE(response.body.find("GET|DELETE /__admin/requests/{id}"), std::string::npos);
}

}  // namespace
}  // namespace matrix::mock
