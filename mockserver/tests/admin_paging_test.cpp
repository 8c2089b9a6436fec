// GET /__admin/requests for the dashboard: paging by id (after, before, limit), the short form
// (view=summary), and the long-poll (wait_ms), which answers when a request arrives, or empty
// when its time is up, without holding a thread.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "matrix/mock/homeserver.hpp"
#include "raw_http.hpp"
#include "raw_http_json.hpp"

namespace matrix::mock {
namespace {

using testing::http_request;
using testing::listed_ids;
using testing::parse;
using testing::RawResponse;
using testing::send_raw;
using Clock = std::chrono::steady_clock;

class AdminPaging : public ::testing::Test {
  protected:
    RawResponse get(std::string_view target) {
        return send_raw(hs.port(), http_request("GET", target));
    }
    void requests(int n) {
        for (int i = 0; i < n; ++i) get("/r" + std::to_string(i));
    }
    MockHomeserver hs;
};

TEST_F(AdminPaging, AfterGivesTheOldestNewerOnesSoAReaderMissesNone) {
    requests(10);
    EXPECT_EQ(listed_ids(parse(get("/__admin/requests?after=4&limit=3"))),
              (std::vector<std::uint64_t>{5, 6, 7}));
    EXPECT_EQ(listed_ids(parse(get("/__admin/requests?after=7&limit=3"))),
              (std::vector<std::uint64_t>{8, 9, 10}));
    EXPECT_TRUE(listed_ids(parse(get("/__admin/requests?after=10"))).empty());
    EXPECT_EQ(listed_ids(parse(get("/__admin/requests?after=0"))).size(), 10u);
}

TEST_F(AdminPaging, BeforeGivesTheNewestOlderOnes) {
    requests(10);
    EXPECT_EQ(listed_ids(parse(get("/__admin/requests?before=8&limit=3"))),
              (std::vector<std::uint64_t>{5, 6, 7}));
    EXPECT_EQ(listed_ids(parse(get("/__admin/requests?before=3"))),
              (std::vector<std::uint64_t>{1, 2}));
    EXPECT_EQ(listed_ids(parse(get("/__admin/requests?after=2&before=6"))),
              (std::vector<std::uint64_t>{3, 4, 5}));
    EXPECT_TRUE(listed_ids(parse(get("/__admin/requests?before=1"))).empty());
}

TEST_F(AdminPaging, PagesSkipWhatWasDeletedAndMetaNamesTheNewestId) {
    requests(5);
    ASSERT_EQ(send_raw(hs.port(), http_request("DELETE", "/__admin/requests/3")).status, 200);
    const auto page = parse(get("/__admin/requests?after=1&limit=2"));
    EXPECT_EQ(listed_ids(page), (std::vector<std::uint64_t>{2, 4}));
    EXPECT_EQ(page["meta"]["last_id"].GetUint64(), 5u);
}

TEST_F(AdminPaging, TheSummaryViewIsShortAndCountsViolations) {
    get("/_matrix/client/v3/createRoom");  // GET: not an operation
    send_raw(hs.port(),
             http_request("POST", "/_matrix/client/v3/createRoom", R"({"preset":"nonsense"})",
                          "Content-Type: application/json\r\n"));
    const auto page = parse(get("/__admin/requests?view=summary"));
    ASSERT_EQ(page["requests"].Size(), 2u);
    const auto& violating = page["requests"][1];
    EXPECT_STREQ(violating["method"].GetString(), "POST");
    EXPECT_STREQ(violating["operation"].GetString(), "createRoom");
    EXPECT_GE(violating["violations"].GetUint64(), 1u);
    EXPECT_STREQ(violating["answered_by"].GetString(), "none");
    EXPECT_EQ(violating["status"].GetInt(), 404);
    EXPECT_FALSE(violating.HasMember("headers"));
    EXPECT_FALSE(violating.HasMember("body"));
    EXPECT_TRUE(page["requests"][0]["operation"].IsNull());
    EXPECT_EQ(page["requests"][0]["violations"].GetUint64(), 0u);
}

TEST_F(AdminPaging, BadPagingParametersAreRefusedNamingTheParameter) {
    const struct {
        const char* query;
        const char* key;
    } cases[] = {
        {"after=-1", "after"},
        {"before=x", "before"},
        {"after=1&since=2026-12-07T03:55:00Z", "since"},
        {"wait_ms=100", "wait_ms"},  // without after
        {"after=1&before=5&wait_ms=100", "wait_ms"},
        {"after=1&wait_ms=300001", "wait_ms"},
        {"view=tiny", "view"},
    };
    for (const auto& bad : cases) {
        const RawResponse response = get(std::string("/__admin/requests?") + bad.query);
        EXPECT_EQ(response.status, 400) << bad.query;
        const auto document = parse(response);
        ASSERT_TRUE(document.HasMember("key")) << response.body;
        EXPECT_STREQ(document["key"].GetString(), bad.key) << bad.query;
    }
}

TEST_F(AdminPaging, ALongPollAnswersAsSoonAsARequestArrives) {
    requests(2);
    const auto started = Clock::now();
    auto poll = std::async(std::launch::async, [this] {
        return get("/__admin/requests?after=2&wait_ms=10000&view=summary");
    });
    // The poll has not answered while nothing new arrived.
    EXPECT_EQ(poll.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
    get("/news");
    ASSERT_EQ(poll.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    const RawResponse answer = poll.get();
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));
    ASSERT_EQ(answer.status, 200) << answer.bytes;
    const auto page = parse(answer);
    ASSERT_EQ(page["requests"].Size(), 1u) << answer.body;
    EXPECT_STREQ(page["requests"][0]["target"].GetString(), "/news");
}

TEST_F(AdminPaging, ALongPollAnswersAtOnceWhenNewerRequestsAreThere) {
    requests(3);
    const auto started = Clock::now();
    const auto page = parse(get("/__admin/requests?after=1&wait_ms=10000"));
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));
    EXPECT_EQ(listed_ids(page), (std::vector<std::uint64_t>{2, 3}));
}

TEST_F(AdminPaging, ALongPollEndsEmptyWhenItsTimeIsUp) {
    requests(1);
    const auto started = Clock::now();
    const RawResponse answer = get("/__admin/requests?after=1&wait_ms=300");
    const auto waited = Clock::now() - started;
    ASSERT_EQ(answer.status, 200) << answer.bytes;
    EXPECT_TRUE(listed_ids(parse(answer)).empty());
    EXPECT_GE(waited, std::chrono::milliseconds(290));
    EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST(AdminPagingThreads, LongPollsHoldNoWorkerThread) {
    MockHomeserverOptions options;
    options.worker_threads = 1;
    MockHomeserver hs(options);
    std::vector<std::future<RawResponse>> polls;
    for (int i = 0; i < 4; ++i) {
        polls.push_back(std::async(std::launch::async, [&hs] {
            return send_raw(hs.port(),
                            http_request("GET", "/__admin/requests?after=0&wait_ms=20000"));
        }));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // With the one worker held by a poll, this request would never be answered.
    const RawResponse answered = send_raw(hs.port(), http_request("GET", "/hello"), 5);
    EXPECT_EQ(answered.status, 404) << answered.bytes;
    for (auto& poll : polls) {
        ASSERT_EQ(poll.wait_for(std::chrono::seconds(5)), std::future_status::ready);
        const RawResponse response = poll.get();
        EXPECT_EQ(listed_ids(parse(response)), (std::vector<std::uint64_t>{1})) << response.body;
    }
}

}  // namespace
}  // namespace matrix::mock
