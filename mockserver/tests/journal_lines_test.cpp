// Reading journal lines back for the conformance report: what each line must hold, and errors
// that name the line and what is wrong with it.
#include "matrix/mock/journal_lines.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "report_support.hpp"

namespace matrix::mock {
namespace {

using testing_support::report_entry;
using testing_support::violation;

constexpr const char* kGood =
    R"({"id":3,"method":"POST","target":"/_matrix/client/v3/createRoom","path":"/_matrix/client/v3/createRoom","status":200,"operation":"createRoom","path_version":"v3","path_canonical":false,"canonical_path":"/x","violations":[{"where":"body.preset","rule":"enum","message":"m"}],"near_misses":[]})";

// The problem observation_from_journal_line() names for `line`, or "" when it reads it.
std::string problem_of(const std::string& line) {
    try {
        observation_from_journal_line(line);
        return "";
    } catch (const JournalLineError& e) {
        EXPECT_EQ(e.line(), 0u);
        return e.what();
    }
}

TEST(JournalLines, ReadsWhatTheReportNeedsFromALine) {
    const ReportObservation observation = observation_from_journal_line(kGood);
    EXPECT_EQ(observation.entry_id, 3u);
    EXPECT_EQ(observation.operation_id, "createRoom");
    EXPECT_EQ(observation.method, "POST");
    EXPECT_EQ(observation.path, "/_matrix/client/v3/createRoom");
    EXPECT_FALSE(observation.path_canonical);
    ASSERT_EQ(observation.violations.size(), 1u);
    EXPECT_EQ(observation.violations[0], (SpecViolation{"body.preset", "enum", "m"}));
}

TEST(JournalLines, ReadsANullOperationAndAnAbsentPathCanonical) {
    const ReportObservation observation = observation_from_journal_line(
        R"({"id":1,"method":"GET","path":"/x","operation":null,"violations":[]})");
    EXPECT_EQ(observation.operation_id, std::nullopt);
    EXPECT_TRUE(observation.path_canonical);
}

TEST(JournalLines, ReadsEveryLineTheJournalWrites) {
    JournalEntry entry =
        report_entry(12, "PUT", "/_matrix/client/v3/rooms/%21r%3Am/send/m.room.message/1",
                     "sendMessage", {violation("body", "not_json", "\"x\" <y>")}, false);
    entry.body = std::string("{\"a\":");
    const ReportObservation observation = observation_from_journal_line(to_json(entry));
    EXPECT_EQ(observation.entry_id, 12u);
    EXPECT_EQ(observation.operation_id, "sendMessage");
    EXPECT_EQ(observation.path, entry.raw_path);
    EXPECT_FALSE(observation.path_canonical);
    EXPECT_EQ(observation.violations, entry.violations);
}

TEST(JournalLines, NamesWhatIsWrongWithALine) {
    EXPECT_EQ(problem_of("{not json"), "not JSON: Missing a name for object member. (at byte 1)");
    EXPECT_EQ(problem_of("[1]"), "not a JSON object but an array");
    EXPECT_EQ(problem_of(R"({"method":"GET","path":"/","operation":null,"violations":[]})"),
              "missing \"id\"");
    EXPECT_EQ(problem_of(R"({"id":-1,"method":"GET","path":"/","operation":null,"violations":[]})"),
              "\"id\" must be a non-negative integer, got another number");
    EXPECT_EQ(
        problem_of(R"({"id":"1","method":"GET","path":"/","operation":null,"violations":[]})"),
        "\"id\" must be a non-negative integer, got a string");
    EXPECT_EQ(problem_of(R"({"id":1,"method":7,"path":"/","operation":null,"violations":[]})"),
              "\"method\" must be a string, got a number");
    EXPECT_EQ(problem_of(R"({"id":1,"method":"GET","operation":null,"violations":[]})"),
              "missing \"path\"");
    EXPECT_EQ(problem_of(R"({"id":1,"method":"GET","path":"/","violations":[]})"),
              "missing \"operation\" (a journal written before requests were identified?)");
    EXPECT_EQ(problem_of(R"({"id":1,"method":"GET","path":"/","operation":5,"violations":[]})"),
              "\"operation\" must be a string or null, got a number");
    EXPECT_EQ(problem_of(R"({"id":1,"method":"GET","path":"/","operation":null})"),
              "missing \"violations\"");
    EXPECT_EQ(problem_of(R"({"id":1,"method":"GET","path":"/","operation":null,"violations":{}})"),
              "\"violations\" must be an array, got an object");
    EXPECT_EQ(
        problem_of(R"({"id":1,"method":"GET","path":"/","operation":null,"violations":["x"]})"),
        "\"violations\"[0] must be an object, got a string");
    EXPECT_EQ(
        problem_of(R"({"id":1,"method":"GET","path":"/","operation":"sync","violations":)"
                   R"([{"where":"a","rule":"b","message":"c"},{"where":"a","message":"c"}]})"),
        "\"violations\"[1]: missing \"rule\"");
    EXPECT_EQ(problem_of(R"({"id":1,"method":"GET","path":"/","operation":"sync","violations":)"
                         R"([{"where":"a","rule":"b","message":null}]})"),
              "\"violations\"[0]: \"message\" must be a string, got null");
    EXPECT_EQ(problem_of(R"({"id":1,"method":"GET","path":"/","operation":null,"violations":[],)"
                         R"("path_canonical":"yes"})"),
              "\"path_canonical\" must be a boolean, got a string");
    EXPECT_EQ(problem_of("{\"id\":1,\"method\":\"G\xFF\"}"),
              "not JSON: Invalid encoding in string. (at byte 19)");
}

TEST(JournalLines, ADeeplyNestedLineIsAnErrorNotACrash) {
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    EXPECT_EQ(problem_of(deep), "not a JSON object but an array");
}

TEST(JournalLines, AddsEveryLineSkippingBlankOnesAndCarriageReturns) {
    std::istringstream in(
        std::string(kGood) + "\r\n\n   \n" +
        R"({"id":4,"method":"GET","path":"/x","operation":null,"violations":[]})" + "\n");
    ConformanceReport report;
    EXPECT_EQ(add_journal_lines(report, in, "journal.jsonl"), 2u);
    EXPECT_EQ(report.totals().requests, 2u);
    EXPECT_EQ(report.totals().violating, 1u);
    EXPECT_EQ(report.unidentified().example_ids, (std::vector<std::uint64_t>{4}));
}

TEST(JournalLines, AnErrorNamesTheSourceAndTheLineNumber) {
    std::istringstream in(std::string(kGood) + "\n\n" + kGood + "\n" +
                          R"({"id":5,"method":"GET","path":"/x","operation":[],"violations":[]})" +
                          "\n" + kGood + "\n");
    ConformanceReport report;
    try {
        add_journal_lines(report, in, "run/journal.jsonl");
        FAIL() << "no error";
    } catch (const JournalLineError& e) {
        EXPECT_EQ(e.source(), "run/journal.jsonl");
        EXPECT_EQ(e.line(), 4u);
        EXPECT_EQ(e.problem(), "\"operation\" must be a string or null, got an array");
        EXPECT_STREQ(e.what(),
                     "run/journal.jsonl:4: \"operation\" must be a string or null, got an array");
    }
    EXPECT_EQ(report.totals().requests, 2u);  // the lines before it
}

}  // namespace
}  // namespace matrix::mock
