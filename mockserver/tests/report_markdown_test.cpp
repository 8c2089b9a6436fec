// The conformance report's Markdown: summary, tables, violation groups, and escaping of what
// clients sent so it cannot add cells, markup or HTML.
#include <gtest/gtest.h>

#include <string>

#include "matrix/mock/conformance_report.hpp"
#include "report_support.hpp"

namespace matrix::mock {
namespace {

using testing_support::report_entry;
using testing_support::violation;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// The lines of `text` that start with `prefix`.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
    std::vector<std::string> lines;
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t end = text.find('\n', at);
        const std::string line = text.substr(at, end - at);
        if (line.rfind(prefix, 0) == 0) lines.push_back(line);
        if (end == std::string::npos) break;
        at = end + 1;
    }
    return lines;
}

// The cells of a table row: split at '|' that no backslash escapes.
std::size_t cell_count(const std::string& row) {
    std::size_t pipes = 0;
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (row[i] == '|' && (i == 0 || row[i - 1] != '\\')) ++pipes;
    }
    return pipes - 1;
}

TEST(ConformanceReportMarkdown, OpensWithASummaryLine) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", "/_matrix/client/v3/sync", "sync"));
    report.add(report_entry(2, "POST", "/_matrix/client/v3/createRoom", "createRoom",
                            {violation("body.preset", "enum", "m")}));
    report.add(report_entry(3, "GET", "/nowhere", nullptr));
    const std::string markdown = to_markdown(report);
    EXPECT_EQ(
        markdown.rfind("# Spec conformance report\n\n3 requests: 2 identified (1 conformant, "
                       "1 violating), 1 unidentified. 2 of " +
                           std::to_string(spec_operations().size()) +
                           " operations exercised, 1 of them conformant; " +
                           std::to_string(spec_operations().size() - 2) + " never exercised.\n",
                       0),
        0u)
        << markdown;
}

TEST(ConformanceReportMarkdown, TabulatesTheOperationsExercised) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", "/_matrix/client/v3/sync", "sync"));
    report.add(report_entry(2, "GET", "/_matrix/client/v3/sync", "sync",
                            {violation("query.timeout", "type", "not an integer")}));
    const std::string markdown = to_markdown(report);
    EXPECT_TRUE(
        contains(markdown,
                 "| operation | method | path | seen | conformant | violating | "
                 "non-canonical paths |\n|---|---|---|--:|--:|--:|--:|\n"
                 "| `sync` | `GET` | `/_matrix/client/{path_version}/sync` | 2 | 1 | 1 | 0 |\n"))
        << markdown;
}

TEST(ConformanceReportMarkdown, ListsEachViolationGroupWithItsExamplesAndMessage) {
    ConformanceReport report;
    for (std::uint64_t id = 1; id <= 7; ++id) {
        report.add(report_entry(id, "POST", "/_matrix/client/v3/createRoom", "createRoom",
                                {violation("body.preset", "enum", "preset is wrong")}));
    }
    const std::string markdown = to_markdown(report);
    EXPECT_TRUE(contains(markdown,
                         "## Violations\n\n### `createRoom`\n\n7 of 7 requests violated "
                         "the spec.\n\n| where | rule | requests | example ids | first "
                         "message |\n|---|---|--:|---|---|\n| `body.preset` | `enum` | "
                         "7 | 1, 2, 3, 4, 5 | preset is wrong |\n"))
        << markdown;
}

TEST(ConformanceReportMarkdown, SaysWhenNoRequestViolatedTheSpec) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", "/_matrix/client/v3/sync", "sync"));
    EXPECT_TRUE(contains(to_markdown(report), "## Violations\n\nNo request violated the spec.\n"));
}

TEST(ConformanceReportMarkdown, ListsUnidentifiedRequestsAndNeverExercisedOperations) {
    ConformanceReport report;
    report.add(report_entry(4, "GET", "/nowhere", nullptr));
    report.add(report_entry(5, "GET", "/nowhere", nullptr));
    const std::string markdown = to_markdown(report);
    EXPECT_TRUE(contains(markdown,
                         "## Unidentified requests\n\n2 requests were no spec operation "
                         "(example ids: 4, 5).\n\n| method | path | requests |\n"
                         "|---|---|--:|\n| `GET` | `/nowhere` | 2 |\n"))
        << markdown;
    EXPECT_TRUE(contains(
        markdown, "## Never exercised (" + std::to_string(spec_operations().size()) + ")\n\n`"))
        << markdown;
    EXPECT_TRUE(contains(markdown, ", `sync`, ")) << markdown;
}

TEST(ConformanceReportMarkdown, EscapesPipesNewlinesAndMarkupInCells) {
    ConformanceReport report;
    report.add(report_entry(1, "POST", "/_matrix/client/v3/createRoom", "createRoom",
                            {violation("body.a|b`c", "enum",
                                       "line one | cell\nline two <img src=x onerror=alert(1)> "
                                       "*bold* [link](javascript:x) &amp; `code`")}));
    report.add(report_entry(2, "GET", "/a|b\n| x |", nullptr));
    const std::string markdown = to_markdown(report);

    // Each row keeps as many cells as its table's header.
    const auto group_rows = lines_starting(markdown, "| ``body");
    ASSERT_EQ(group_rows.size(), 1u) << markdown;
    EXPECT_EQ(cell_count(group_rows[0]), 5u) << group_rows[0];
    // The place holds a backtick, so its code span is fenced by two.
    EXPECT_TRUE(contains(group_rows[0], "| ``body.a\\|b`c`` |")) << group_rows[0];
    EXPECT_TRUE(contains(group_rows[0],
                         "line one \\| cell<br>line two \\<img src=x onerror=alert(1)\\> "
                         "\\*bold\\* \\[link\\](javascript:x) \\&amp; \\`code\\`"))
        << group_rows[0];
    // The only raw '<' is the line break the renderer writes itself.
    for (std::size_t at = markdown.find('<'); at != std::string::npos;
         at = markdown.find('<', at + 1)) {
        EXPECT_TRUE(markdown[at - 1] == '\\' || markdown.compare(at, 4, "<br>") == 0)
            << markdown.substr(at);
    }

    const auto unidentified_rows = lines_starting(markdown, "| `GET`");
    ASSERT_EQ(unidentified_rows.size(), 1u) << markdown;
    EXPECT_EQ(cell_count(unidentified_rows[0]), 3u) << unidentified_rows[0];
    EXPECT_TRUE(contains(unidentified_rows[0], "`/a\\|b \\| x \\|`")) << unidentified_rows[0];
}

TEST(ConformanceReportMarkdown, PadsACodeSpanThatStartsWithABacktick) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", "`x", nullptr));
    EXPECT_TRUE(contains(to_markdown(report), "| `` `x `` |"));
}

TEST(ConformanceReportMarkdown, WarnsOfNonCanonicalPaths) {
    ConformanceReport report;
    report.add(
        report_entry(1, "POST", "/_matrix/client/v3/rooms/!a:b/leave", "leaveRoom", {}, false));
    EXPECT_TRUE(contains(to_markdown(report),
                         "\n1 request had a path that is not the canonical percent-encoding of "
                         "its segments (a warning: servers accept it).\n"));
}

}  // namespace
}  // namespace matrix::mock
