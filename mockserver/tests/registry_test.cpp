// The stub registry: priority, age, use limits, sequences, near misses and concurrent selection.
#include "matrix/mock/registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "entry_support.hpp"

namespace matrix::mock {
namespace {

using testing_support::entry;

Stub stub(std::string id, RequestPattern pattern, int status, int priority = 5) {
    Stub s;
    s.id = std::move(id);
    s.request = std::move(pattern);
    s.responses.push_back(ResponseDefinition::json_body(status, Json()));
    s.priority = priority;
    return s;
}

Stub any_path(std::string id, int status, int priority = 5) {
    return stub(std::move(id), RequestPattern(), status, priority);
}

int status_of(StubRegistry& registry, const JournalEntry& request) {
    const Selection selection = registry.select(request);
    return selection.stub_id ? selection.response.status : 0;
}

TEST(StubRegistry, LowerPriorityNumberWins) {
    StubRegistry registry;
    registry.add(any_path("fallback", 500, 10));
    registry.add(any_path("preferred", 200, 1));
    registry.add(any_path("middle", 404, 5));
    const Selection selection = registry.select(entry("GET", "/x"));
    EXPECT_EQ(selection.stub_id, "preferred");
    EXPECT_EQ(selection.response.status, 200);
}

TEST(StubRegistry, NewestStubWinsAPriorityTie) {
    StubRegistry registry;
    registry.add(any_path("old", 500));
    registry.add(any_path("new", 200));
    EXPECT_EQ(registry.select(entry("GET", "/x")).stub_id, "new");
}

TEST(StubRegistry, OnlyMatchingStubsAreCandidates) {
    StubRegistry registry;
    registry.add(stub("versions", RequestPattern::for_path("GET", "/versions"), 200, 5));
    registry.add(stub("other", RequestPattern::for_path("GET", "/other"), 404, 1));
    EXPECT_EQ(registry.select(entry("GET", "/versions")).stub_id, "versions");
}

TEST(StubRegistry, StopsChoosingAStubOnceItsMaxUsesAreSpent) {
    StubRegistry registry;
    registry.add(any_path("fallback", 404, 10));
    Stub limited = any_path("limited", 200, 1);
    limited.max_uses = 2;
    registry.add(limited);
    EXPECT_EQ(status_of(registry, entry("GET", "/x")), 200);
    EXPECT_EQ(status_of(registry, entry("GET", "/x")), 200);
    EXPECT_EQ(status_of(registry, entry("GET", "/x")), 404);
    EXPECT_EQ(registry.find("limited")->uses, 2u);
    EXPECT_EQ(registry.find("fallback")->uses, 1u);
}

TEST(StubRegistry, ServesASequenceInOrderAndRepeatsTheLast) {
    StubRegistry registry;
    Stub s = any_path("seq", 500);
    s.responses.push_back(ResponseDefinition::json_body(502, Json()));
    s.responses.push_back(ResponseDefinition::json_body(200, Json()));
    registry.add(s);
    std::vector<int> statuses;
    for (int i = 0; i < 5; ++i) statuses.push_back(status_of(registry, entry("GET", "/x")));
    EXPECT_EQ(statuses, (std::vector<int>{500, 502, 200, 200, 200}));
}

TEST(StubRegistry, AnswersTwoHundredEmptyObjectForAStubWithoutResponses) {
    StubRegistry registry;
    Stub s;
    s.id = "bare";
    registry.add(s);
    const Selection selection = registry.select(entry("GET", "/x"));
    EXPECT_EQ(selection.stub_id, "bare");
    EXPECT_EQ(selection.response.status, 200);
    EXPECT_EQ(selection.response.body, "{}");
}

TEST(StubRegistry, ReportsTheNearestMissesWhenNothingMatches) {
    StubRegistry registry;
    // Passes method and path but not the query: 2 of 3.
    registry.add(stub("close", RequestPattern::parse(R"({"method": "GET", "urlPath": "/sync",
                          "queryParameters": {"since": {"equalTo": "s1"}}})"),
                      200));
    // Passes the method only: 1 of 2.
    registry.add(stub("far", RequestPattern::for_path("GET", "/versions"), 200));
    // Passes nothing: 0 of 2.
    registry.add(stub("farthest", RequestPattern::for_path("PUT", "/x"), 200));
    // Also 2 passed, newer than "close": listed before it.
    registry.add(stub("close-newer", RequestPattern::parse(R"({"method": "GET", "urlPath": "/sync",
                          "headers": {"Authorization": {"absent": true}}})"),
                      200));

    const Selection selection =
        registry.select(entry("GET", "/sync?since=s2", {{"Authorization", "Bearer t"}}));
    EXPECT_FALSE(selection.stub_id);
    ASSERT_EQ(selection.near_misses.size(), 3u);
    EXPECT_EQ(selection.near_misses[0].stub_id, "close-newer");
    EXPECT_EQ(selection.near_misses[1].stub_id, "close");
    EXPECT_EQ(selection.near_misses[1].failed_predicate,
              R"(queryParameters.since: expected equalTo "s1", got "s2")");
    EXPECT_EQ(selection.near_misses[1].predicates_passed, 2u);
    EXPECT_EQ(selection.near_misses[1].predicates_total, 3u);
    EXPECT_EQ(selection.near_misses[2].stub_id, "far");
    EXPECT_EQ(selection.near_misses[2].failed_predicate,
              R"(urlPath: expected "/versions", got "/sync")");
}

TEST(StubRegistry, ReportsAUsedUpStubAsANearMiss) {
    StubRegistry registry;
    Stub s = stub("once", RequestPattern::for_path("GET", "/x"), 200);
    s.name = "only once";
    s.max_uses = 1;
    registry.add(s);
    registry.add(stub("elsewhere", RequestPattern::for_path("GET", "/y"), 200));
    EXPECT_TRUE(registry.select(entry("GET", "/x")).stub_id);

    const Selection selection = registry.select(entry("GET", "/x"));
    EXPECT_FALSE(selection.stub_id);
    ASSERT_EQ(selection.near_misses.size(), 2u);
    EXPECT_EQ(selection.near_misses[0].stub_id, "once");
    EXPECT_EQ(selection.near_misses[0].stub_name, "only once");
    EXPECT_EQ(selection.near_misses[0].failed_predicate, "maxUses: used up (1 of 1)");
    EXPECT_EQ(selection.near_misses[0].predicates_passed,
              selection.near_misses[0].predicates_total);
}

TEST(StubRegistry, ReportsNoNearMissesWhenEmpty) {
    StubRegistry registry;
    const Selection selection = registry.select(entry("GET", "/x"));
    EXPECT_FALSE(selection.stub_id);
    EXPECT_TRUE(selection.near_misses.empty());
}

TEST(StubRegistry, ReplacesAStubWithTheSameIdAndTreatsItAsNewest) {
    StubRegistry registry;
    registry.add(any_path("a", 500));
    registry.add(any_path("b", 404));
    EXPECT_EQ(registry.add(any_path("a", 200)), "a");
    const std::vector<Stub> stubs = registry.list();
    ASSERT_EQ(stubs.size(), 2u);
    EXPECT_EQ(stubs[0].id, "b");
    EXPECT_EQ(stubs[1].id, "a");
    EXPECT_LT(stubs[0].sequence_number, stubs[1].sequence_number);
    EXPECT_EQ(status_of(registry, entry("GET", "/x")), 200);
}

TEST(StubRegistry, GivesAStubWithoutAnIdAFreshOne) {
    StubRegistry registry;
    const std::string id = registry.add(any_path("", 200));
    EXPECT_EQ(id.size(), 36u);
    EXPECT_TRUE(registry.find(id));
}

TEST(StubRegistry, ListsInCreationOrderAndFindsAndRemovesById) {
    StubRegistry registry;
    registry.add(any_path("one", 200));
    registry.add(any_path("two", 200));
    registry.add(any_path("three", 200));
    const std::vector<Stub> stubs = registry.list();
    ASSERT_EQ(stubs.size(), 3u);
    EXPECT_EQ(stubs[0].id, "one");
    EXPECT_EQ(stubs[2].id, "three");
    EXPECT_TRUE(registry.find("two"));
    EXPECT_TRUE(registry.remove("two"));
    EXPECT_FALSE(registry.remove("two"));
    EXPECT_FALSE(registry.find("two"));
    EXPECT_EQ(registry.list().size(), 2u);
}

TEST(StubRegistry, UpdateChangesAStubInPlace) {
    StubRegistry registry;
    registry.add(any_path("a", 200));
    EXPECT_TRUE(registry.update("a", [](Stub& s) { s.responses[0].status = 201; }));
    EXPECT_FALSE(registry.update("nope", [](Stub&) {}));
    EXPECT_EQ(status_of(registry, entry("GET", "/x")), 201);
}

TEST(StubRegistry, ResetToFilesKeepsFileStubsWithFreshUseCounts) {
    StubRegistry registry;
    Stub from_file = any_path("file", 200, 10);
    from_file.from_files = true;
    from_file.max_uses = 1;
    registry.add(from_file);
    registry.add(any_path("api", 201, 1));
    EXPECT_EQ(status_of(registry, entry("GET", "/x")), 201);
    registry.update("file", [](Stub& s) { s.priority = 1; });
    registry.update("api", [](Stub& s) { s.priority = 10; });
    EXPECT_EQ(status_of(registry, entry("GET", "/x")), 200);
    EXPECT_EQ(status_of(registry, entry("GET", "/x")), 201);  // the file stub is used up

    registry.reset_to_files();
    const std::vector<Stub> stubs = registry.list();
    ASSERT_EQ(stubs.size(), 1u);
    EXPECT_EQ(stubs[0].id, "file");
    EXPECT_EQ(stubs[0].uses, 0u);
    EXPECT_EQ(status_of(registry, entry("GET", "/x")), 200);
}

TEST(StubRegistry, ClearRemovesEveryStub) {
    StubRegistry registry;
    Stub from_file = any_path("file", 200);
    from_file.from_files = true;
    registry.add(from_file);
    registry.add(any_path("api", 200));
    registry.clear();
    EXPECT_TRUE(registry.list().empty());
    EXPECT_FALSE(registry.select(entry("GET", "/x")).stub_id);
}

TEST(StubRegistry, CountsUsesExactlyUnderConcurrentSelection) {
    StubRegistry registry;
    Stub limited = any_path("limited", 200, 1);
    limited.max_uses = 1000;
    registry.add(limited);
    registry.add(any_path("fallback", 404, 10));

    constexpr int kThreads = 8;
    constexpr int kPerThread = 250;
    std::atomic<int> limited_answers{0};
    std::atomic<int> fallback_answers{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < kPerThread; ++i) {
                const Selection selection = registry.select(entry("GET", "/x"));
                (selection.stub_id == "limited" ? limited_answers : fallback_answers)++;
            }
        });
    }
    for (std::thread& thread : threads) thread.join();

    EXPECT_EQ(limited_answers.load(), 1000);
    EXPECT_EQ(fallback_answers.load(), kThreads * kPerThread - 1000);
    EXPECT_EQ(registry.find("limited")->uses, 1000u);
    EXPECT_EQ(registry.find("fallback")->uses,
              static_cast<std::size_t>(kThreads * kPerThread - 1000));
}

TEST(StubRegistry, ServesEachSequencePositionOnceUnderConcurrentSelection) {
    StubRegistry registry;
    Stub s;
    s.id = "seq";
    for (int status = 200; status < 264; ++status)
        s.responses.push_back(ResponseDefinition::json_body(status, Json()));
    registry.add(s);

    std::vector<std::vector<int>> seen(4);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < seen.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 16; ++i)
                seen[t].push_back(registry.select(entry("GET", "/")).response.status);
        });
    }
    for (std::thread& thread : threads) thread.join();
    std::vector<int> all;
    for (const auto& statuses : seen) all.insert(all.end(), statuses.begin(), statuses.end());
    std::sort(all.begin(), all.end());
    std::vector<int> expected;
    for (int status = 200; status < 264; ++status) expected.push_back(status);
    EXPECT_EQ(all, expected);
}

}  // namespace
}  // namespace matrix::mock
