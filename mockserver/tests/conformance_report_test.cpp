// The conformance report's counting: per operation, per violation group, the operations never
// exercised, the unidentified requests and the totals.
#include "matrix/mock/conformance_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "report_support.hpp"

namespace matrix::mock {
namespace {

using testing_support::report_entry;
using testing_support::violation;

constexpr const char* kCreateRoom = "/_matrix/client/v3/createRoom";
constexpr const char* kSync = "/_matrix/client/v3/sync";

const OperationSummary* find_summary(const std::vector<OperationSummary>& operations,
                                     std::string_view id) {
    const auto found = std::ranges::find(operations, id, &OperationSummary::operation_id);
    return found == operations.end() ? nullptr : &*found;
}

TEST(ConformanceReport, CountsSeenAndConformantRequestsPerOperation) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", kSync, "sync"));
    report.add(report_entry(2, "GET", kSync, "sync"));
    report.add(report_entry(3, "POST", kCreateRoom, "createRoom",
                            {violation("body.preset", "enum", "preset is \"privat\"")}));
    report.add(report_entry(4, "POST", kCreateRoom, "createRoom"));

    const auto operations = report.operations();
    ASSERT_EQ(operations.size(), 2u);
    const OperationSummary* sync = find_summary(operations, "sync");
    ASSERT_NE(sync, nullptr);
    EXPECT_EQ(sync->seen, 2u);
    EXPECT_EQ(sync->conformant, 2u);
    EXPECT_EQ(sync->violating(), 0u);
    EXPECT_EQ(sync->method, "GET");
    EXPECT_EQ(sync->path_template, "/_matrix/client/{path_version}/sync");
    const OperationSummary* create = find_summary(operations, "createRoom");
    ASSERT_NE(create, nullptr);
    EXPECT_EQ(create->seen, 2u);
    EXPECT_EQ(create->conformant, 1u);
    EXPECT_EQ(create->violating(), 1u);
}

TEST(ConformanceReport, ListsOperationsInTheDeclarationTablesOrder) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", "/_matrix/client/versions", "getVersions"));
    report.add(report_entry(2, "GET", kSync, "sync"));
    report.add(report_entry(3, "POST", kCreateRoom, "createRoom"));
    std::vector<std::string> ids;
    for (const OperationSummary& operation : report.operations())
        ids.push_back(operation.operation_id);
    // The table is sorted by path: createRoom, then sync, then /versions.
    const auto place = [](const std::string& id) { return find_operation(id); };
    ASSERT_EQ(ids.size(), 3u);
    EXPECT_LT(place(ids[0]), place(ids[1]));
    EXPECT_LT(place(ids[1]), place(ids[2]));
}

TEST(ConformanceReport, GroupsViolationsByRuleAndPlaceWithTheFirstMessage) {
    ConformanceReport report;
    report.add(report_entry(1, "POST", kCreateRoom, "createRoom",
                            {violation("body.preset", "enum", "first message"),
                             violation("body.visibility", "enum", "visibility message")}));
    report.add(report_entry(2, "POST", kCreateRoom, "createRoom",
                            {violation("body.preset", "enum", "second message")}));
    report.add(report_entry(3, "POST", kCreateRoom, "createRoom",
                            {violation("body.preset", "type", "a number")}));

    const auto operations = report.operations();
    ASSERT_EQ(operations.size(), 1u);
    const auto& groups = operations[0].violations;
    ASSERT_EQ(groups.size(), 3u);
    // Most requests first, then by rule and place.
    EXPECT_EQ(groups[0].rule, "enum");
    EXPECT_EQ(groups[0].where, "body.preset");
    EXPECT_EQ(groups[0].requests, 2u);
    EXPECT_EQ(groups[0].first_message, "first message");
    EXPECT_EQ(groups[0].example_ids, (std::vector<std::uint64_t>{1, 2}));
    EXPECT_EQ(groups[1].rule, "enum");
    EXPECT_EQ(groups[1].where, "body.visibility");
    EXPECT_EQ(groups[2].rule, "type");
    EXPECT_EQ(groups[2].example_ids, (std::vector<std::uint64_t>{3}));
    EXPECT_EQ(operations[0].violating(), 3u);
}

TEST(ConformanceReport, CountsARequestOnceWhereItBreaksARuleTwiceAtOnePlace) {
    ConformanceReport report;
    report.add(report_entry(
        7, "POST", kCreateRoom, "createRoom",
        {violation("body", "one_of", "first"), violation("body", "one_of", "second")}));
    const auto operations = report.operations();
    ASSERT_EQ(operations[0].violations.size(), 1u);
    EXPECT_EQ(operations[0].violations[0].requests, 1u);
    EXPECT_EQ(operations[0].violations[0].example_ids, (std::vector<std::uint64_t>{7}));
}

TEST(ConformanceReport, KeepsOnlyTheFirstFiveExampleIdsButCountsEveryRequest) {
    ConformanceReport report;
    for (std::uint64_t id = 1; id <= 12; ++id) {
        report.add(report_entry(id, "POST", kCreateRoom, "createRoom",
                                {violation("body.preset", "enum", "m" + std::to_string(id))}));
    }
    const auto groups = report.operations()[0].violations;
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].requests, 12u);
    EXPECT_EQ(groups[0].example_ids, (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(groups[0].first_message, "m1");
}

TEST(ConformanceReport, NamesEveryDeclaredOperationNoRequestExercised) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", kSync, "sync"));
    report.add(report_entry(2, "POST", kCreateRoom, "createRoom"));
    const auto never = report.never_exercised();
    EXPECT_EQ(never.size(), spec_operations().size() - 2);
    for (const EndpointSpec* operation : never) {
        EXPECT_NE(operation->operation_id, "sync");
        EXPECT_NE(operation->operation_id, "createRoom");
    }
    EXPECT_TRUE(std::ranges::is_sorted(never));  // the table's order
    EXPECT_EQ(ConformanceReport().never_exercised().size(), spec_operations().size());
}

TEST(ConformanceReport, CountsUnidentifiedRequestsWithDistinctExamples) {
    ConformanceReport report;
    for (std::uint64_t id = 1; id <= 8; ++id)
        report.add(report_entry(id, "GET", "/not/matrix", nullptr));
    report.add(report_entry(9, "DELETE", "/not/matrix", nullptr));
    report.add(report_entry(10, "GET", kSync, "sync"));

    const UnidentifiedRequests& unidentified = report.unidentified();
    EXPECT_EQ(unidentified.count, 9u);
    EXPECT_EQ(unidentified.example_ids, (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
    ASSERT_EQ(unidentified.examples.size(), 2u);
    EXPECT_EQ(unidentified.examples[0].method, "GET");
    EXPECT_EQ(unidentified.examples[0].path, "/not/matrix");
    EXPECT_EQ(unidentified.examples[0].count, 8u);
    EXPECT_EQ(unidentified.examples[1].method, "DELETE");
    EXPECT_EQ(unidentified.examples[1].count, 1u);
}

TEST(ConformanceReport, KeepsAtMostTenDistinctUnidentifiedExamples) {
    ConformanceReport report;
    for (std::uint64_t id = 1; id <= 30; ++id)
        report.add(report_entry(id, "GET", "/probe/" + std::to_string(id), nullptr));
    EXPECT_EQ(report.unidentified().count, 30u);
    ASSERT_EQ(report.unidentified().examples.size(), ConformanceReport::kMaxUnidentifiedExamples);
    EXPECT_EQ(report.unidentified().examples.back().path, "/probe/10");
}

TEST(ConformanceReport, IgnoresViolationsOnARequestThatIsNoOperation) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", "/x", nullptr, {violation("body", "not_json", "m")}));
    EXPECT_FALSE(report.any_violation());
    EXPECT_EQ(report.totals().violating, 0u);
}

TEST(ConformanceReport, CountsNonCanonicalPathsAsWarningsOnly) {
    ConformanceReport report;
    report.add(
        report_entry(1, "POST", "/_matrix/client/v3/rooms/!a:b/leave", "leaveRoom", {}, false));
    const auto operations = report.operations();
    ASSERT_EQ(operations.size(), 1u);
    EXPECT_EQ(operations[0].non_canonical_paths, 1u);
    EXPECT_EQ(operations[0].conformant, 1u);
    EXPECT_EQ(report.totals().non_canonical_paths, 1u);
    EXPECT_FALSE(report.any_violation());
}

TEST(ConformanceReport, TotalsAddUp) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", kSync, "sync"));
    report.add(report_entry(2, "GET", kSync, "sync", {violation("query.timeout", "type", "m")}));
    report.add(report_entry(3, "POST", kCreateRoom, "createRoom"));
    report.add(report_entry(4, "GET", "/nope", nullptr));

    const ReportTotals totals = report.totals();
    EXPECT_EQ(totals.requests, 4u);
    EXPECT_EQ(totals.identified, 3u);
    EXPECT_EQ(totals.conformant, 2u);
    EXPECT_EQ(totals.violating, 1u);
    EXPECT_EQ(totals.unidentified, 1u);
    EXPECT_EQ(totals.operations_total, spec_operations().size());
    EXPECT_EQ(totals.operations_exercised, 2u);
    EXPECT_EQ(totals.operations_conformant, 1u);  // createRoom; sync had a violation
    EXPECT_EQ(totals.operations_never_exercised, spec_operations().size() - 2);
    EXPECT_TRUE(report.any_violation());
}

TEST(ConformanceReport, ASeedFormCountsAsItsOperation) {
    JournalEntry entry = report_entry(1, "POST", "/_matrix/client/r0/rooms/!r:m/kick", nullptr);
    entry.operation = &find_endpoint_forms("room_kick").front();
    ASSERT_TRUE(is_seed_form(*entry.operation));
    EXPECT_EQ(observation_of(entry).operation_id, "kick");
}

TEST(ConformanceReport, KeepsAnOperationTheTableDoesNotDeclareAfterTheDeclaredOnes) {
    ConformanceReport report;
    ReportObservation foreign;
    foreign.entry_id = 1;
    foreign.operation_id = "aFutureOperation";
    foreign.method = "PATCH";
    foreign.path = "/_matrix/client/v4/future";
    report.add(foreign);
    report.add(report_entry(2, "GET", kSync, "sync"));

    const auto operations = report.operations();
    ASSERT_EQ(operations.size(), 2u);
    EXPECT_EQ(operations[0].operation_id, "sync");
    EXPECT_EQ(operations[1].operation_id, "aFutureOperation");
    EXPECT_FALSE(operations[1].declared);
    EXPECT_EQ(operations[1].method, "PATCH");
    EXPECT_EQ(operations[1].path_template, "");
    const ReportTotals totals = report.totals();
    EXPECT_EQ(totals.operations_exercised, 2u);
    EXPECT_EQ(totals.operations_never_exercised, spec_operations().size() - 1);
}

TEST(ConformanceReport, IsBuiltFromJournalEntries) {
    const std::vector<JournalEntry> entries = {report_entry(1, "GET", kSync, "sync"),
                                               report_entry(2, "GET", "/x", nullptr)};
    const ReportTotals totals = conformance_report(entries).totals();
    EXPECT_EQ(totals.requests, 2u);
    EXPECT_EQ(totals.identified, 1u);
}

TEST(ReportFormat, NamesAndContentTypes) {
    EXPECT_EQ(report_format_from_string("json"), ReportFormat::json);
    EXPECT_EQ(report_format_from_string("markdown"), ReportFormat::markdown);
    EXPECT_EQ(report_format_from_string("junit"), ReportFormat::junit);
    EXPECT_EQ(report_format_from_string("xml"), std::nullopt);
    EXPECT_EQ(content_type(ReportFormat::json), "application/json");
    EXPECT_EQ(content_type(ReportFormat::markdown), "text/markdown; charset=utf-8");
    EXPECT_EQ(content_type(ReportFormat::junit), "application/xml");
    for (const auto format : {ReportFormat::json, ReportFormat::markdown, ReportFormat::junit})
        EXPECT_EQ(report_format_from_string(to_string(format)), format);
}

}  // namespace
}  // namespace matrix::mock
