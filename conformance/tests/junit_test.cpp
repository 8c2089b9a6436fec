// Unit tests of the JUnit XML writer: structure, counts and escaping of hostile names and messages.
#include "matrix/conformance/junit.hpp"

#include <gtest/gtest.h>

#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

namespace matrix::conformance {
namespace {

// Every character XML gives a meaning to, and control characters XML 1.0 forbids outright.
constexpr const char* kHostile = "a&b<c>d\"e'f";

RunReport mixed_report() {
    RunReport report;
    report.results.push_back({"first.json", "passes", Outcome::passed, {}, {}});
    report.results.push_back(
        {"first.json",
         std::string("fails/") + kHostile,
         Outcome::failed,
         {{"path", "\"/a&b\"", "\"/<c>\""}, {"body", R"({"k":"v"})", "x\x01y\rz"}},
         {}});
    report.results.push_back({std::string("second ") + kHostile + ".json",
                              "malformed",
                              Outcome::malformed,
                              {},
                              std::string("unknown endpoint '<x>' & \"y\"\x02\x1B")});
    return report;
}

std::string junit_of(const RunReport& report) {
    std::ostringstream out;
    write_junit(out, report);
    return out.str();
}

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
        ++n;
    }
    return n;
}

// A small checker of the XML this writer emits: balanced elements, quoted attributes, text
// with no raw '<' and only the five predefined entities. Returns what is wrong, or "".
std::string xml_problem(const std::string& xml) {
    const auto entity_ok = [&](std::size_t at) {
        for (const char* entity : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
            if (xml.compare(at, std::char_traits<char>::length(entity), entity) == 0) return true;
        }
        return false;
    };
    std::vector<std::string> open;
    std::size_t i = 0;
    if (xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0) != 0) return "no declaration";
    i = xml.find('\n') + 1;
    while (i < xml.size()) {
        const char c = xml[i];
        if (c == '&') {
            if (!entity_ok(i)) return "bad entity at " + std::to_string(i);
            ++i;
            continue;
        }
        if (c == '>') return "raw '>' in text at " + std::to_string(i);
        if (c != '<') {
            ++i;
            continue;
        }
        // A tag: find its end, honouring quoted attribute values.
        std::size_t j = i + 1;
        bool in_quotes = false;
        for (; j < xml.size() && (in_quotes || xml[j] != '>'); ++j) {
            if (xml[j] == '"') in_quotes = !in_quotes;
            if (in_quotes && xml[j] == '<') return "raw '<' in attribute at " + std::to_string(j);
            if (in_quotes && xml[j] == '&' && !entity_ok(j)) {
                return "bad entity in attribute at " + std::to_string(j);
            }
        }
        if (j >= xml.size()) return "unterminated tag at " + std::to_string(i);
        const std::string tag = xml.substr(i + 1, j - i - 1);
        const auto name_of = [](const std::string& t) { return t.substr(0, t.find(' ')); };
        if (tag.starts_with("/")) {
            if (open.empty() || open.back() != tag.substr(1)) return "unbalanced </" + tag + ">";
            open.pop_back();
        } else if (!tag.ends_with("/")) {
            open.push_back(name_of(tag));
        }
        i = j + 1;
    }
    return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

// Characters XML 1.0 does not allow in a document at all, escaped or not.
bool has_forbidden_control_character(const std::string& xml) {
    for (const char c : xml) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 && c != '\n' && c != '\t') return true;
    }
    return false;
}

TEST(WriteJunit, WritesWellFormedXml) {
    const std::string xml = junit_of(mixed_report());
    EXPECT_EQ(xml_problem(xml), "") << xml;
}

TEST(WriteJunit, CountsTestsFailuresAndErrorsOnTheRootElement) {
    const std::string xml = junit_of(mixed_report());
    EXPECT_NE(xml.find("<testsuites name=\"matrix-conformance\" tests=\"3\" failures=\"1\" "
                       "errors=\"1\">"),
              std::string::npos)
        << xml;
}

TEST(WriteJunit, WritesOneTestsuitePerFileWithItsOwnCounts) {
    const std::string xml = junit_of(mixed_report());
    EXPECT_EQ(count(xml, "<testsuite "), 2u) << xml;
    EXPECT_NE(xml.find(R"(<testsuite name="first.json" tests="2" failures="1" errors="0">)"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find(R"(<testsuite name="second a&amp;b&lt;c&gt;d&quot;e&apos;f.json" tests="1" )"
                       R"(failures="0" errors="1">)"),
              std::string::npos)
        << xml;
}

TEST(WriteJunit, WritesOneTestcasePerVectorWithAFailureOrErrorWhereDue) {
    const std::string xml = junit_of(mixed_report());
    EXPECT_EQ(count(xml, "<testcase "), 3u) << xml;
    EXPECT_EQ(count(xml, "<failure "), 1u) << xml;
    EXPECT_EQ(count(xml, "<error "), 1u) << xml;
    EXPECT_NE(xml.find(R"(<testcase classname="first.json" name="passes"/>)"), std::string::npos)
        << xml;
}

TEST(WriteJunit, EscapesSpecialCharactersInNamesAndMessages) {
    const std::string xml = junit_of(mixed_report());
    EXPECT_NE(xml.find(R"(name="fails/a&amp;b&lt;c&gt;d&quot;e&apos;f")"), std::string::npos)
        << xml;
    EXPECT_NE(xml.find("unknown endpoint &apos;&lt;x&gt;&apos; &amp; &quot;y&quot;"),
              std::string::npos)
        << xml;
    EXPECT_NE(xml.find("path: expected &quot;/a&amp;b&quot;, actual &quot;/&lt;c&gt;&quot;"),
              std::string::npos)
        << xml;
    EXPECT_EQ(xml.find(kHostile), std::string::npos) << xml;
    EXPECT_EQ(xml.find("<c>"), std::string::npos) << xml;
}

TEST(WriteJunit, NeverEmitsRawControlCharacters) {
    const std::string xml = junit_of(mixed_report());
    EXPECT_FALSE(has_forbidden_control_character(xml)) << xml;
}

TEST(WriteJunit, NamesAFileLevelProblemAfterTheFile) {
    RunReport report;
    report.results.push_back({"broken.json", "", Outcome::malformed, {}, "not valid JSON"});
    const std::string xml = junit_of(report);
    EXPECT_EQ(xml_problem(xml), "") << xml;
    EXPECT_NE(xml.find(R"x(<testcase classname="broken.json" name="(file)">)x"), std::string::npos)
        << xml;
    EXPECT_NE(xml.find(R"(<error message="not valid JSON"/>)"), std::string::npos) << xml;
}

TEST(WriteJunit, WritesAnEmptyButWellFormedReportForNoResults) {
    const std::string xml = junit_of(RunReport{});
    EXPECT_EQ(xml_problem(xml), "") << xml;
    EXPECT_NE(xml.find(R"(tests="0" failures="0" errors="0")"), std::string::npos) << xml;
    EXPECT_EQ(count(xml, "<testsuite "), 0u);
}

}  // namespace
}  // namespace matrix::conformance
