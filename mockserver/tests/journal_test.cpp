// Tests of the request journal: target splitting, bounds, copies, waiting, threads and JSON.
#include "matrix/mock/journal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "matrix/json.hpp"
#include "matrix/mock/pattern.hpp"

namespace {

using matrix::find_operation;
using matrix::Header;
using matrix::PathVersion;
using matrix::QueryParam;
using matrix::mock::Answerer;
using matrix::mock::Journal;
using matrix::mock::JournalEntry;
using matrix::mock::RequestPattern;
using namespace std::chrono_literals;

JournalEntry make_entry(std::string method, std::string target) {
    JournalEntry entry;
    entry.method = std::move(method);
    entry.target = std::move(target);
    matrix::mock::split_target(entry);
    return entry;
}

JournalEntry split(std::string target) { return make_entry("GET", std::move(target)); }

std::vector<std::uint64_t> ids_of(const std::vector<JournalEntry>& entries) {
    std::vector<std::uint64_t> ids;
    for (const JournalEntry& entry : entries) ids.push_back(entry.id);
    return ids;
}

// ---- split_target

TEST(JournalSplitTarget, KeepsThePathBytesAsReceivedAndDecodesTheQuery) {
    const JournalEntry entry = split(
        "/_matrix/client/r0/rooms/%21abc%3Aexample.org/send/m.room.message/txn%2F1"
        "?access_token=a%20b");
    EXPECT_EQ(entry.raw_path,
              "/_matrix/client/r0/rooms/%21abc%3Aexample.org/send/m.room.message/txn%2F1");
    EXPECT_EQ(entry.raw_query, "access_token=a%20b");
    EXPECT_EQ(entry.query, (std::vector<QueryParam>{{"access_token", "a b"}}));
    EXPECT_TRUE(entry.query_decodes);
}

TEST(JournalSplitTarget, KeepsUnencodedBangAndColonInThePath) {
    const JournalEntry entry = split("/rooms/!abc:example.org/state?x=1");
    EXPECT_EQ(entry.raw_path, "/rooms/!abc:example.org/state");
    EXPECT_EQ(entry.query, (std::vector<QueryParam>{{"x", "1"}}));
}

TEST(JournalSplitTarget, DecodesEscapedSlashAndColonInQueryValues) {
    const JournalEntry entry = split("/x?from=s72%2F1%3A2");
    EXPECT_EQ(entry.query, (std::vector<QueryParam>{{"from", "s72/1:2"}}));
}

TEST(JournalSplitTarget, DecodesPercentEncodedUtf8InNamesAndValues) {
    const JournalEntry entry = split("/x?%C3%A9t%C3%A9=%E2%9C%93");
    EXPECT_EQ(entry.query, (std::vector<QueryParam>{{"\xC3\xA9t\xC3\xA9", "\xE2\x9C\x93"}}));
}

TEST(JournalSplitTarget, DecodesPlusAsSpaceInTheQueryButLeavesThePathAlone) {
    const JournalEntry entry = split("/a+b?q=a+b%2Bc&x+y=1");
    EXPECT_EQ(entry.raw_path, "/a+b");
    EXPECT_EQ(entry.query, (std::vector<QueryParam>{{"q", "a b+c"}, {"x y", "1"}}));
}

TEST(JournalSplitTarget, KeepsRepeatedQueryNamesInOrder) {
    const JournalEntry entry = split("/x?a=1&b=2&a=3");
    EXPECT_EQ(entry.query, (std::vector<QueryParam>{{"a", "1"}, {"b", "2"}, {"a", "3"}}));
}

TEST(JournalSplitTarget, GivesAnEmptyQueryWhenThereIsNoQuestionMark) {
    const JournalEntry entry = split("/_matrix/client/versions");
    EXPECT_EQ(entry.raw_path, "/_matrix/client/versions");
    EXPECT_EQ(entry.raw_query, "");
    EXPECT_TRUE(entry.query.empty());
    EXPECT_TRUE(entry.query_decodes);
}

TEST(JournalSplitTarget, GivesNoPairsForAnEmptyQueryAfterTheQuestionMark) {
    const JournalEntry entry = split("/x?");
    EXPECT_EQ(entry.raw_path, "/x");
    EXPECT_EQ(entry.raw_query, "");
    EXPECT_TRUE(entry.query.empty());
    EXPECT_TRUE(entry.query_decodes);
}

TEST(JournalSplitTarget, SkipsEmptyPiecesAndReadsABareNameAsAnEmptyValue) {
    const JournalEntry entry = split("/x?&a&&b=&c=1&");
    EXPECT_EQ(entry.query, (std::vector<QueryParam>{{"a", ""}, {"b", ""}, {"c", "1"}}));
}

TEST(JournalSplitTarget, SplitsOnlyOnTheFirstQuestionMarkAndFirstEquals) {
    const JournalEntry entry = split("/x?a=b?c=d");
    EXPECT_EQ(entry.raw_path, "/x");
    EXPECT_EQ(entry.raw_query, "a=b?c=d");
    EXPECT_EQ(entry.query, (std::vector<QueryParam>{{"a", "b?c=d"}}));
}

TEST(JournalSplitTarget, FlagsMalformedEscapesAndKeepsThePairsThatDecode) {
    const JournalEntry entry = split("/x?a=1&b=%zz&c=%4&%G1=2&d=%41");
    EXPECT_EQ(entry.raw_query, "a=1&b=%zz&c=%4&%G1=2&d=%41");
    EXPECT_FALSE(entry.query_decodes);
    EXPECT_EQ(entry.query, (std::vector<QueryParam>{{"a", "1"}, {"d", "A"}}));
}

TEST(JournalSplitTarget, ReplacesWhatAnEarlierSplitFilledIn) {
    JournalEntry entry = split("/x?a=%zz&b=1");
    entry.target = "/y";
    matrix::mock::split_target(entry);
    EXPECT_EQ(entry.raw_path, "/y");
    EXPECT_EQ(entry.raw_query, "");
    EXPECT_TRUE(entry.query.empty());
    EXPECT_TRUE(entry.query_decodes);
}

// ---- recording, bounds and copies

TEST(Journal, AssignsIncreasingIdsFromOneInArrivalOrder) {
    Journal journal;
    EXPECT_EQ(journal.record(make_entry("GET", "/a")), 1u);
    EXPECT_EQ(journal.record(make_entry("GET", "/b")), 2u);
    EXPECT_EQ(journal.record(make_entry("GET", "/c")), 3u);
    const auto entries = journal.entries();
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(ids_of(entries), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(entries[0].target, "/a");
    EXPECT_EQ(entries[2].target, "/c");
}

TEST(Journal, IgnoresAnyIdTheCallerSet) {
    Journal journal;
    JournalEntry entry = make_entry("GET", "/a");
    entry.id = 42;
    EXPECT_EQ(journal.record(entry), 1u);
    EXPECT_EQ(journal.entries().at(0).id, 1u);
}

TEST(Journal, RefusesAZeroCapacity) { EXPECT_THROW(Journal(0), std::invalid_argument); }

TEST(Journal, HoldsOneHundredThousandEntriesByDefault) {
    EXPECT_EQ(Journal().capacity(), 100'000u);
    EXPECT_EQ(Journal::kDefaultCapacity, 100'000u);
}

TEST(Journal, EvictsTheOldestEntriesBeyondCapacityAndCountsThem) {
    Journal journal(3);
    for (int i = 0; i < 10; ++i) journal.record(make_entry("GET", "/" + std::to_string(i)));
    EXPECT_EQ(journal.size(), 3u);
    EXPECT_EQ(journal.evicted(), 7u);
    EXPECT_EQ(ids_of(journal.entries()), (std::vector<std::uint64_t>{8, 9, 10}));
    EXPECT_FALSE(journal.find(7).has_value());
    ASSERT_TRUE(journal.find(9).has_value());
    EXPECT_EQ(journal.find(9)->target, "/8");
}

JournalEntry with_body(std::size_t bytes) {
    JournalEntry entry = make_entry("POST", "/body");
    entry.body = std::string(bytes, 'b');
    return entry;
}

TEST(JournalBytes, HoldsTwoHundredFiftySixMebibytesByDefault) {
    EXPECT_EQ(Journal().max_bytes(), 256u * 1024 * 1024);
    EXPECT_THROW(Journal(10, 0), std::invalid_argument);
}

TEST(JournalBytes, CountsTheFootprintOfEveryEntryItHolds) {
    Journal journal;
    const JournalEntry small = make_entry("GET", "/a");
    const JournalEntry large = with_body(100'000);
    journal.record(small);
    journal.record(large);
    EXPECT_EQ(journal.bytes(), matrix::mock::footprint(small) + matrix::mock::footprint(large));
    EXPECT_GE(matrix::mock::footprint(large), 100'000u);
    EXPECT_LT(matrix::mock::footprint(large), 100'000u + 1'000);
}

TEST(JournalBytes, EvictsTheOldestEntriesBeyondTheByteBoundAndCountsTheirBytes) {
    const std::size_t each = matrix::mock::footprint(with_body(10'000));
    Journal journal(1000, 3 * each);
    for (int i = 0; i < 10; ++i) journal.record(with_body(10'000));
    EXPECT_EQ(journal.size(), 3u);
    EXPECT_EQ(journal.bytes(), 3 * each);
    EXPECT_EQ(journal.evicted(), 7u);
    EXPECT_EQ(journal.evicted_bytes(), 7 * each);
    EXPECT_EQ(ids_of(journal.entries()), (std::vector<std::uint64_t>{8, 9, 10}));
}

TEST(JournalBytes, KeepsAnEntryLargerThanTheWholeBoundAloneUntilTheNextOne) {
    Journal journal(1000, 50'000);
    journal.record(make_entry("GET", "/before"));
    journal.record(with_body(80'000));
    EXPECT_EQ(ids_of(journal.entries()), (std::vector<std::uint64_t>{2}));
    journal.record(make_entry("GET", "/after"));
    EXPECT_EQ(ids_of(journal.entries()), (std::vector<std::uint64_t>{3}));
    EXPECT_LT(journal.bytes(), 50'000u);
}

TEST(JournalBytes, ClearGivesBackTheBytesButKeepsTheEvictedCounts) {
    const std::size_t each = matrix::mock::footprint(with_body(1'000));
    Journal journal(1000, 2 * each);
    for (int i = 0; i < 3; ++i) journal.record(with_body(1'000));
    journal.clear();
    EXPECT_EQ(journal.bytes(), 0u);
    EXPECT_EQ(journal.evicted_bytes(), each);
}

TEST(JournalBytes, CopiesOfAnEntryShareItsBody) {
    Journal journal;
    journal.record(with_body(1'000'000));
    const auto first = journal.entries();
    const auto second = journal.entries();
    EXPECT_TRUE(first.at(0).body.same_buffer(second.at(0).body));
}

TEST(Journal, ClearDropsEntriesButIdsAndTheEvictedCountCarryOn) {
    Journal journal(2);
    for (int i = 0; i < 3; ++i) journal.record(make_entry("GET", "/x"));
    journal.clear();
    EXPECT_EQ(journal.size(), 0u);
    EXPECT_TRUE(journal.entries().empty());
    EXPECT_EQ(journal.evicted(), 1u);
    EXPECT_EQ(journal.record(make_entry("GET", "/y")), 4u);
    EXPECT_EQ(ids_of(journal.entries()), (std::vector<std::uint64_t>{4}));
}

TEST(Journal, FindAnswersNothingForIdsItDoesNotHold) {
    Journal journal;
    journal.record(make_entry("GET", "/a"));
    EXPECT_FALSE(journal.find(0).has_value());
    EXPECT_FALSE(journal.find(2).has_value());
    ASSERT_TRUE(journal.find(1).has_value());
    EXPECT_EQ(journal.find(1)->target, "/a");
}

TEST(Journal, GivesReadersCopiesThatDoNotAlterTheJournal) {
    Journal journal;
    journal.record(make_entry("GET", "/a"));
    auto entries = journal.entries();
    entries[0].target = "/changed";
    entries[0].headers.push_back({"X", "y"});
    auto found = journal.find(1);
    ASSERT_TRUE(found.has_value());
    found->body = "changed";
    auto unmatched = journal.unmatched();
    ASSERT_EQ(unmatched.size(), 1u);
    unmatched[0].method = "POST";

    const JournalEntry stored = journal.entries().at(0);
    EXPECT_EQ(stored.target, "/a");
    EXPECT_TRUE(stored.headers.empty());
    EXPECT_EQ(stored.body, "");
    EXPECT_EQ(stored.method, "GET");
}

TEST(Journal, ListsAsUnmatchedOnlyRequestsNoStubSimulationOrProxyAnswered) {
    Journal journal;
    JournalEntry answered = make_entry("GET", "/a");
    answered.matched_stub = "stub-1";
    answered.answerer = Answerer::stub;
    journal.record(answered);
    journal.record(make_entry("GET", "/b"));
    for (const Answerer answerer : {Answerer::simulation, Answerer::proxy}) {
        JournalEntry other = make_entry("GET", "/c");
        other.answerer = answerer;
        journal.record(other);
    }
    const auto unmatched = journal.unmatched();
    ASSERT_EQ(unmatched.size(), 1u);
    EXPECT_EQ(unmatched[0].target, "/b");
}

TEST(Journal, MatchesAndCountsWithARequestPattern) {
    Journal journal;
    journal.record(make_entry("GET", "/x"));
    journal.record(make_entry("POST", "/x"));
    journal.record(make_entry("GET", "/y"));
    journal.record(make_entry("GET", "/x?a=1"));
    const auto pattern = RequestPattern::for_path("GET", "/x");
    EXPECT_EQ(journal.count(pattern), 2u);
    EXPECT_EQ(ids_of(journal.matching(pattern)), (std::vector<std::uint64_t>{1, 4}));
    EXPECT_EQ(journal.count(RequestPattern()), 4u);
}

TEST(Journal, TellsTheListenerOncePerRecordInOrderWithTheAssignedId) {
    Journal journal;
    std::vector<std::pair<std::uint64_t, std::string>> seen;
    journal.set_listener(
        [&](const JournalEntry& entry) { seen.emplace_back(entry.id, entry.target); });
    journal.record(make_entry("GET", "/a"));
    journal.record(make_entry("GET", "/b"));
    journal.record(make_entry("GET", "/c"));
    EXPECT_EQ(seen, (std::vector<std::pair<std::uint64_t, std::string>>{
                        {1, "/a"}, {2, "/b"}, {3, "/c"}}));
}

TEST(Journal, CallsTheListenerOutsideItsLockSoTheListenerMayReadTheJournal) {
    Journal journal;
    std::vector<std::size_t> sizes;
    journal.set_listener([&](const JournalEntry&) { sizes.push_back(journal.size()); });
    journal.record(make_entry("GET", "/a"));
    journal.record(make_entry("GET", "/b"));
    EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 2}));
}

TEST(Journal, StopsTellingAListenerThatWasRemoved) {
    Journal journal;
    int calls = 0;
    journal.set_listener([&](const JournalEntry&) { ++calls; });
    journal.record(make_entry("GET", "/a"));
    journal.set_listener(nullptr);
    journal.record(make_entry("GET", "/b"));
    EXPECT_EQ(calls, 1);
}

// ---- wait_for

using Clock = std::chrono::steady_clock;

TEST(JournalWait, IsCompleteAtOnceWhenWaitingForNone) {
    const Journal journal;
    const auto start = Clock::now();
    const auto result = journal.wait_for(RequestPattern(), 0, 10s);
    EXPECT_LT(Clock::now() - start, 2s);
    EXPECT_TRUE(result.complete);
    EXPECT_TRUE(result.matching.empty());
}

TEST(JournalWait, IsCompleteAtOnceWhenEnoughHaveAlreadyArrivedAndReturnsThemAll) {
    Journal journal;
    for (int i = 0; i < 5; ++i) journal.record(make_entry("GET", "/x"));
    journal.record(make_entry("GET", "/y"));
    const auto start = Clock::now();
    const auto result = journal.wait_for(RequestPattern::for_path("GET", "/x"), 2, 10s);
    EXPECT_LT(Clock::now() - start, 2s);
    EXPECT_TRUE(result.complete);
    EXPECT_EQ(ids_of(result.matching), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
}

TEST(JournalWait, CompletesPromptlyWhenRequestsArriveFromAnotherThread) {
    Journal journal;
    std::thread writer([&] {
        for (int i = 0; i < 3; ++i) {
            std::this_thread::sleep_for(20ms);
            journal.record(make_entry("GET", "/y"));
            journal.record(make_entry("GET", "/x"));
        }
    });
    const auto start = Clock::now();
    const auto result = journal.wait_for(RequestPattern::for_path("GET", "/x"), 3, 10s);
    const auto elapsed = Clock::now() - start;
    writer.join();
    EXPECT_TRUE(result.complete);
    EXPECT_LT(elapsed, 2s);
    ASSERT_EQ(result.matching.size(), 3u);
    for (const JournalEntry& entry : result.matching) EXPECT_EQ(entry.target, "/x");
    EXPECT_EQ(ids_of(result.matching), (std::vector<std::uint64_t>{2, 4, 6}));
}

TEST(JournalWait, ReturnsWhatDidArriveWhenTheTimeoutPasses) {
    Journal journal;
    journal.record(make_entry("GET", "/x"));
    journal.record(make_entry("GET", "/y"));
    const auto start = Clock::now();
    const auto result = journal.wait_for(RequestPattern::for_path("GET", "/x"), 2, 100ms);
    EXPECT_GE(Clock::now() - start, 100ms);
    EXPECT_FALSE(result.complete);
    EXPECT_EQ(ids_of(result.matching), (std::vector<std::uint64_t>{1}));
}

TEST(JournalWait, TreatsANegativeTimeoutAsZero) {
    Journal journal;
    journal.record(make_entry("GET", "/x"));
    const auto result = journal.wait_for(RequestPattern(), 2, -5ms);
    EXPECT_FALSE(result.complete);
    EXPECT_EQ(result.matching.size(), 1u);
}

TEST(JournalWait, SurvivesAnEnormousTimeout) {
    Journal journal;
    std::thread writer([&] {
        std::this_thread::sleep_for(20ms);
        journal.record(make_entry("GET", "/x"));
    });
    const auto result = journal.wait_for(RequestPattern(), 1, std::chrono::milliseconds::max());
    writer.join();
    EXPECT_TRUE(result.complete);
    EXPECT_EQ(result.matching.size(), 1u);
}

// ---- remove and recent

TEST(JournalRemove, DropsOneEntryAndExactlyItsBytes) {
    Journal journal;
    const JournalEntry small = make_entry("GET", "/a");
    const JournalEntry large = with_body(50'000);
    journal.record(small);
    journal.record(large);
    journal.record(small);
    EXPECT_TRUE(journal.remove(2));
    EXPECT_EQ(ids_of(journal.entries()), (std::vector<std::uint64_t>{1, 3}));
    EXPECT_EQ(journal.bytes(), 2 * matrix::mock::footprint(small));
    EXPECT_FALSE(journal.remove(2));
    EXPECT_FALSE(journal.remove(4));
    EXPECT_FALSE(journal.find(2).has_value());
    ASSERT_TRUE(journal.find(3).has_value());
    EXPECT_TRUE(journal.remove(1));
    EXPECT_TRUE(journal.remove(3));
    EXPECT_EQ(journal.bytes(), 0u);
    EXPECT_EQ(journal.evicted(), 0u);  // removed, not evicted
    EXPECT_EQ(journal.record(make_entry("GET", "/b")), 4u);
    EXPECT_EQ(journal.last_id(), 4u);
}

TEST(JournalRemove, AWaitAfterAGapStillFindsTheEntriesAroundIt) {
    Journal journal;
    for (int i = 0; i < 4; ++i) journal.record(make_entry("GET", "/x"));
    journal.remove(2);
    const auto result = journal.wait_for(RequestPattern(), 3, 0ms);
    EXPECT_TRUE(result.complete);
    EXPECT_EQ(ids_of(result.matching), (std::vector<std::uint64_t>{1, 3, 4}));
}

TEST(JournalRecent, TakesTheNewestAndThoseThatArrivedStrictlyAfter) {
    Journal journal;
    const auto base = std::chrono::system_clock::time_point(std::chrono::seconds(1'000'000));
    for (int i = 0; i < 5; ++i) {
        JournalEntry entry = make_entry("GET", "/x");
        entry.arrived = base + std::chrono::seconds(i);
        journal.record(std::move(entry));
    }
    EXPECT_EQ(ids_of(journal.recent(std::nullopt, std::nullopt)),
              (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(ids_of(journal.recent(2, std::nullopt)), (std::vector<std::uint64_t>{4, 5}));
    EXPECT_TRUE(journal.recent(0, std::nullopt).empty());
    EXPECT_EQ(ids_of(journal.recent(std::nullopt, base + std::chrono::seconds(2))),
              (std::vector<std::uint64_t>{4, 5}));
    EXPECT_EQ(ids_of(journal.recent(1, base)), (std::vector<std::uint64_t>{5}));
}

// A held request is recorded after later ones; since tests each entry's own arrival.
TEST(JournalRecent, FiltersEveryEntryWhateverTheOrderOfArrival) {
    Journal journal;
    const auto base = std::chrono::system_clock::time_point(std::chrono::seconds(1'000'000));
    for (const int second : {5, 1, 6}) {
        JournalEntry entry = make_entry("GET", "/x");
        entry.arrived = base + std::chrono::seconds(second);
        journal.record(std::move(entry));
    }
    EXPECT_EQ(ids_of(journal.recent(std::nullopt, base + std::chrono::seconds(2))),
              (std::vector<std::uint64_t>{1, 3}));
}

TEST(JournalWait, CountsOnlyEntriesStillInTheJournal) {
    Journal journal(2);
    for (int i = 0; i < 3; ++i) journal.record(make_entry("GET", "/x"));
    const auto result = journal.wait_for(RequestPattern(), 3, 100ms);
    EXPECT_FALSE(result.complete);
    EXPECT_EQ(ids_of(result.matching), (std::vector<std::uint64_t>{2, 3}));
}

TEST(JournalWait, ForgetsEntriesClearedDuringTheWait) {
    Journal journal;
    journal.record(make_entry("GET", "/x"));
    std::thread writer([&] {
        std::this_thread::sleep_for(20ms);
        journal.clear();
        journal.record(make_entry("GET", "/x"));
        journal.record(make_entry("GET", "/x"));
    });
    const auto result = journal.wait_for(RequestPattern(), 2, 10s);
    writer.join();
    EXPECT_TRUE(result.complete);
    EXPECT_EQ(ids_of(result.matching), (std::vector<std::uint64_t>{2, 3}));
}

// ---- threads

constexpr int kWriters = 8;
constexpr int kPerWriter = 2000;

TEST(JournalWaitAsync, AnswersAtOnceAndReturnsNoIdWhenEnoughHaveArrived) {
    Journal journal;
    journal.record(make_entry("GET", "/x"));
    std::optional<matrix::mock::WaitResult> got;
    const auto id = journal.when_matched(RequestPattern::for_path("GET", "/x"), 1,
                                         [&](matrix::mock::WaitResult r) { got = std::move(r); });
    EXPECT_EQ(id, 0u);
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(got->complete);
    EXPECT_EQ(got->matching.size(), 1u);
}

TEST(JournalWaitAsync, AnswersFromTheRecordThatCompletesItAndOnlyOnce) {
    Journal journal;
    int calls = 0;
    std::optional<matrix::mock::WaitResult> got;
    const auto id = journal.when_matched(RequestPattern::for_path("GET", "/x"), 2,
                                         [&](matrix::mock::WaitResult r) {
                                             ++calls;
                                             got = std::move(r);
                                         });
    ASSERT_NE(id, 0u);
    journal.record(make_entry("GET", "/x"));
    journal.record(make_entry("GET", "/other"));
    EXPECT_EQ(calls, 0);
    journal.record(make_entry("GET", "/x"));
    EXPECT_EQ(calls, 1);
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(got->complete);
    EXPECT_EQ(ids_of(got->matching), (std::vector<std::uint64_t>{1, 3}));
    EXPECT_FALSE(journal.finish_wait(id)) << "already answered";
    journal.record(make_entry("GET", "/x"));
    EXPECT_EQ(calls, 1);
}

TEST(JournalWaitAsync, FinishWaitAnswersWithWhatMatchedSoFar) {
    Journal journal;
    std::optional<matrix::mock::WaitResult> got;
    const auto id = journal.when_matched(RequestPattern::for_path("GET", "/x"), 5,
                                         [&](matrix::mock::WaitResult r) { got = std::move(r); });
    journal.record(make_entry("GET", "/x"));
    EXPECT_TRUE(journal.finish_wait(id));
    ASSERT_TRUE(got.has_value());
    EXPECT_FALSE(got->complete);
    EXPECT_EQ(got->matching.size(), 1u);
    EXPECT_FALSE(journal.finish_wait(id));
}

TEST(JournalThreads, ConcurrentWritersGetUniqueContiguousIdsAndLoseNothing) {
    Journal journal;
    std::vector<std::vector<std::uint64_t>> returned(kWriters);
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
        writers.emplace_back([&, t] {
            for (int i = 0; i < kPerWriter; ++i) {
                JournalEntry entry = make_entry("PUT", "/t" + std::to_string(t));
                entry.body = std::to_string(t) + ":" + std::to_string(i);
                returned[t].push_back(journal.record(std::move(entry)));
            }
        });
    }
    for (std::thread& writer : writers) writer.join();

    constexpr std::size_t kTotal = std::size_t{kWriters} * kPerWriter;
    EXPECT_EQ(journal.size(), kTotal);
    EXPECT_EQ(journal.evicted(), 0u);
    EXPECT_EQ(journal.count(RequestPattern()), kTotal);

    std::vector<std::uint64_t> all;
    for (const auto& ids : returned) {
        EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
        all.insert(all.end(), ids.begin(), ids.end());
    }
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], i + 1);

    const auto entries = journal.entries();
    ASSERT_EQ(entries.size(), kTotal);
    std::set<std::string> bodies;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        ASSERT_EQ(entries[i].id, i + 1);
        bodies.insert(entries[i].body.str());
    }
    EXPECT_EQ(bodies.size(), kTotal);
    for (int t = 0; t < kWriters; ++t) {
        EXPECT_EQ(journal.count(RequestPattern::for_path("PUT", "/t" + std::to_string(t))),
                  std::size_t{kPerWriter});
    }
}

TEST(JournalThreads, ReadersSeeConsistentSnapshotsWhileWritersRecordAndEvict) {
    Journal journal(500);
    std::atomic<bool> done{false};
    std::atomic<int> snapshots{0};
    std::thread reader([&] {
        while (!done.load()) {
            const auto entries = journal.entries();
            for (std::size_t i = 1; i < entries.size(); ++i) {
                ASSERT_EQ(entries[i].id, entries[i - 1].id + 1);
            }
            EXPECT_LE(entries.size(), 500u);
            journal.find(entries.empty() ? 1 : entries.back().id);
            journal.unmatched();
            snapshots.fetch_add(1);
        }
    });
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
        writers.emplace_back([&] {
            for (int i = 0; i < kPerWriter; ++i) journal.record(make_entry("GET", "/x"));
        });
    }
    for (std::thread& writer : writers) writer.join();
    done.store(true);
    reader.join();

    EXPECT_GT(snapshots.load(), 0);
    EXPECT_EQ(journal.size(), 500u);
    EXPECT_EQ(journal.evicted() + journal.size(), std::uint64_t{kWriters} * kPerWriter);
}

TEST(JournalThreads, AWaiterSeesEveryRequestFromConcurrentWriters) {
    Journal journal;
    constexpr std::size_t kTotal = std::size_t{kWriters} * kPerWriter;
    matrix::mock::WaitResult result;
    std::thread waiter(
        [&] { result = journal.wait_for(RequestPattern::for_path("GET", "/x"), kTotal, 30s); });
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
        writers.emplace_back([&] {
            for (int i = 0; i < kPerWriter; ++i) {
                journal.record(make_entry("GET", "/x"));
                journal.record(make_entry("GET", "/other"));
            }
        });
    }
    for (std::thread& writer : writers) writer.join();
    waiter.join();
    EXPECT_TRUE(result.complete);
    ASSERT_EQ(result.matching.size(), kTotal);
    EXPECT_TRUE(std::is_sorted(result.matching.begin(), result.matching.end(),
                               [](const auto& a, const auto& b) { return a.id < b.id; }));
}

// ---- to_json and base64

TEST(JournalJson, WritesAnEntryAsOneCompactLineWithMembersInOrder) {
    JournalEntry entry = make_entry(
        "PUT", "/_matrix/client/r0/rooms/%21r%3Ax/send/m.room.message/t1?access_token=tok&ts=1+2");
    entry.id = 7;
    entry.headers = {{"Host", "localhost:8008"}, {"Content-Type", "application/json"}};
    entry.body = R"({"body":"hi"})";
    entry.arrived = std::chrono::system_clock::time_point{} + 1795755820s + 123456us;
    entry.remote = "127.0.0.1:54321";
    entry.matched_stub = "stub-1";
    entry.answerer = matrix::mock::Answerer::stub;
    entry.status = 200;
    entry.response_headers = {{"Content-Type", "application/json"}};
    entry.response_body = R"({"event_id":"$e"})";
    entry.operation = find_operation("sendMessage");
    entry.path_version = PathVersion::r0;
    entry.path_canonical = true;
    entry.violations = {{"body.msgtype", "missing", R"(required member "msgtype" is missing)"}};
    EXPECT_EQ(
        matrix::mock::to_json(entry),
        R"json({"id":7,"method":"PUT",)json"
        R"json("target":"/_matrix/client/r0/rooms/%21r%3Ax/send/m.room.message/t1?access_token=tok&ts=1+2",)json"
        R"json("path":"/_matrix/client/r0/rooms/%21r%3Ax/send/m.room.message/t1",)json"
        R"json("query":[["access_token","tok"],["ts","1 2"]],)json"
        R"json("headers":[["Host","localhost:8008"],["Content-Type","application/json"]],)json"
        R"json("body":"{\"body\":\"hi\"}","arrived":"2026-11-27T05:03:40.123456Z",)json"
        R"json("remote":"127.0.0.1:54321","matched":"stub-1","status":200,)json"
        R"json("operation":"sendMessage","path_version":"r0","path_canonical":true,)json"
        R"json("violations":[{"where":"body.msgtype","rule":"missing",)json"
        R"json("message":"required member \"msgtype\" is missing"}],"near_misses":[],)json"
        R"json("answered_by":"stub-1","response":{"status":200,)json"
        R"json("headers":[["Content-Type","application/json"]],"body":"{\"event_id\":\"$e\"}"}})json");
}

TEST(JournalJson, WritesAnUnmatchedEntryWithNullMatchAndItsNearMisses) {
    JournalEntry entry = make_entry("GET", "/x");
    entry.id = 1;
    entry.status = 404;
    entry.near_misses = {{"s1", "sync", R"(urlPath: expected "/y")", 1, 2}};
    entry.path_canonical = false;  // the canonical form is written only then
    entry.canonical_path = "/%78";
    EXPECT_EQ(matrix::mock::to_json(entry),
              R"json({"id":1,"method":"GET","target":"/x","path":"/x","query":[],"headers":[],)json"
              R"json("body":"","arrived":"1970-01-01T00:00:00.000000Z","remote":"",)json"
              R"json("matched":null,"status":404,"operation":null,"path_version":null,)json"
              R"json("path_canonical":false,"canonical_path":"/%78","violations":[],)json"
              R"json("near_misses":[{"stub_id":"s1","stub_name":"sync",)json"
              R"json("failed_predicate":"urlPath: expected \"/y\"","predicates_passed":1,)json"
              R"json("predicates_total":2}],"answered_by":"none",)json"
              R"json("response":{"status":404,"headers":[],"body":""}})json");
}

TEST(JournalJson, EscapesControlCharactersAndNulBytes) {
    JournalEntry entry = make_entry("POST", "/x");
    entry.headers = {{"X-Note", "a\tb"}};
    entry.body = std::string("line\n\0end", 9);
    const std::string json = matrix::mock::to_json(entry);
    EXPECT_NE(json.find(R"(["X-Note","a\tb"])"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("body":"line\n\u0000end")"), std::string::npos) << json;
    EXPECT_EQ(json.find('\n'), std::string::npos);
}

TEST(JournalJson, WritesABinaryBodyAsBase64) {
    JournalEntry entry = make_entry("POST", "/_matrix/media/r0/upload");
    entry.body = std::string("\x00\xFF\xFE\x01", 4);
    const std::string json = matrix::mock::to_json(entry);
    EXPECT_NE(json.find(R"("body_base64":"AP/+AQ==")"), std::string::npos) << json;
    // The only text body is the (empty) answer's.
    const std::size_t text_body = json.find(R"("body":)");
    EXPECT_EQ(text_body, json.find(R"("response":{"status":0,"headers":[],"body":""})") + 36)
        << json;
    EXPECT_EQ(json.find(R"("body":)", text_body + 1), std::string::npos) << json;
}

TEST(JournalJson, WritesABinaryAnswerAsBase64) {
    JournalEntry entry = make_entry("GET", "/_matrix/media/v3/download/s/m");
    entry.response_body = std::string("\x00\xFF\xFE\x01", 4);
    const std::string json = matrix::mock::to_json(entry);
    EXPECT_NE(json.find(R"("response":{"status":0,"headers":[],"body_base64":"AP/+AQ=="})"),
              std::string::npos)
        << json;
}

TEST(JournalJson, TreatsEncodedSurrogatesAndOverlongFormsAsBinary) {
    JournalEntry entry = make_entry("POST", "/x");
    entry.body = "\xED\xA0\x80";  // U+D800, which UTF-8 cannot carry
    EXPECT_NE(matrix::mock::to_json(entry).find(R"("body_base64":"7aCA")"), std::string::npos);
    entry.body = "\xC0\xAF";  // an overlong '/'
    EXPECT_NE(matrix::mock::to_json(entry).find(R"("body_base64":"wK8=")"), std::string::npos);
    entry.body = "\xE2\x9C\x93 \xF0\x9F\x98\x80";  // check mark, emoji
    EXPECT_NE(matrix::mock::to_json(entry).find("\"body\":\"\xE2\x9C\x93 \xF0\x9F\x98\x80\""),
              std::string::npos);
}

TEST(JournalJson, ReplacesInvalidUtf8InTheTargetAndKeepsTheBytesInTargetBase64) {
    const JournalEntry entry = make_entry("GET", "/caf\xE9?q=%FF");
    const std::string json = matrix::mock::to_json(entry);
    EXPECT_NE(
        json.find("\"target\":\"/caf\xEF\xBF\xBD?q=%FF\",\"target_base64\":\"L2NhZuk/"
                  "cT0lRkY=\",\"path\":\"/caf\xEF\xBF\xBD\",\"query\":[[\"q\",\"\xEF\xBF\xBD\"]]"),
        std::string::npos)
        << json;
    EXPECT_NO_THROW(matrix::Json::parse(json));
}

TEST(JournalJson, ReplacesEachInvalidByteInHeadersWithAReplacementCharacter) {
    JournalEntry entry = make_entry("GET", "/x");
    entry.headers = {{"X-\xFF",
                      "a\xC0\xAF"
                      "b"}};
    const std::string json = matrix::mock::to_json(entry);
    EXPECT_NE(json.find("[[\"X-\xEF\xBF\xBD\",\"a\xEF\xBF\xBD\xEF\xBF\xBD"
                        "b\"]]"),
              std::string::npos)
        << json;
    EXPECT_EQ(json.find("target_base64"), std::string::npos);
    EXPECT_NO_THROW(matrix::Json::parse(json));
}

TEST(JournalJson, FloorsTimesBeforeTheEpochToTheMicrosecond) {
    JournalEntry entry = make_entry("GET", "/x");
    entry.arrived = std::chrono::system_clock::time_point{} - 1us;
    EXPECT_NE(matrix::mock::to_json(entry).find(R"("arrived":"1969-12-31T23:59:59.999999Z")"),
              std::string::npos);
}

TEST(JournalBase64, EncodesTheRfc4648TestVectors) {
    using matrix::mock::base64_encode;
    EXPECT_EQ(base64_encode(""), "");
    EXPECT_EQ(base64_encode("f"), "Zg==");
    EXPECT_EQ(base64_encode("fo"), "Zm8=");
    EXPECT_EQ(base64_encode("foo"), "Zm9v");
    EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
    EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

TEST(JournalBase64, UsesPlusAndSlashForTheHighestSextets) {
    EXPECT_EQ(matrix::mock::base64_encode(std::string("\xFB\xFF\xBF", 3)), "+/+/");
}

}  // namespace

namespace {

TEST(JournalAnswer, TheAnswersHeadersAndBodyCountInTheFootprint) {
    JournalEntry entry = split("/a");
    const std::size_t without = matrix::mock::footprint(entry);
    entry.response_headers = {{"Content-Type", "application/json; charset=utf-8"}};
    entry.response_body = std::string(50'000, 'x');
    EXPECT_GE(matrix::mock::footprint(entry), without + 50'000);
}

TEST(JournalAnswer, WhoAnsweredIsNamedAsTheAdminApiNamesIt) {
    JournalEntry entry = split("/a");
    EXPECT_EQ(matrix::mock::answered_by(entry), "none");
    entry.answerer = matrix::mock::Answerer::stub;
    entry.matched_stub = "stub-1";
    EXPECT_EQ(matrix::mock::answered_by(entry), "stub-1");
    entry.answerer = matrix::mock::Answerer::simulation;
    EXPECT_EQ(matrix::mock::answered_by(entry), "simulation");
    entry.answerer = matrix::mock::Answerer::proxy;
    EXPECT_EQ(matrix::mock::answered_by(entry), "proxy");
}

TEST(JournalPage, PagesByIdOldestFirstAfterAndNewestFirstBefore) {
    Journal journal;
    for (int i = 0; i < 6; ++i) journal.record(split("/" + std::to_string(i)));
    EXPECT_EQ(ids_of(journal.page(2, std::nullopt, 2)), (std::vector<std::uint64_t>{3, 4}));
    EXPECT_EQ(ids_of(journal.page(std::nullopt, 5, 2)), (std::vector<std::uint64_t>{3, 4}));
    EXPECT_EQ(ids_of(journal.page(std::nullopt, std::nullopt, 2)),
              (std::vector<std::uint64_t>{5, 6}));
    EXPECT_EQ(ids_of(journal.page(1, 4, std::nullopt)), (std::vector<std::uint64_t>{2, 3}));
    EXPECT_TRUE(journal.page(6, std::nullopt, std::nullopt).empty());
    EXPECT_TRUE(journal.page(std::numeric_limits<std::uint64_t>::max(), std::nullopt, 1).empty());
    EXPECT_TRUE(journal.page(4, 3, std::nullopt).empty());
}

TEST(JournalWait, AWaitAfterAnIdCountsOnlyNewerEntries) {
    Journal journal;
    journal.record(split("/old"));
    std::optional<matrix::mock::WaitResult> outcome;
    const std::uint64_t wait_id = journal.when_matched(
        RequestPattern(), 1, [&](matrix::mock::WaitResult result) { outcome = std::move(result); },
        1);
    ASSERT_NE(wait_id, 0u);  // the old entry does not complete it
    EXPECT_FALSE(outcome.has_value());
    journal.record(split("/new"));
    ASSERT_TRUE(outcome.has_value());
    EXPECT_TRUE(outcome->complete);
    ASSERT_EQ(outcome->matching.size(), 1u);
    EXPECT_EQ(outcome->matching[0].target, "/new");
}

}  // namespace
