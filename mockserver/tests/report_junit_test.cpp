// The conformance report's JUnit XML: a passing or failing testcase per operation exercised, and
// hostile text escaped so the document stays well-formed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "matrix/mock/conformance_report.hpp"
#include "report_support.hpp"

namespace matrix::mock {
namespace {

using testing_support::report_entry;
using testing_support::violation;

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A small checker of the XML these writers emit: balanced elements, quoted attributes, no raw
// '<' or '>' in text or attribute values, only the five predefined entities. "" when well-formed.
std::string xml_problem(const std::string& xml) {
    const auto entity_ok = [&](std::size_t at) {
        for (const std::string entity : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"}) {
            if (xml.compare(at, entity.size(), entity) == 0) return true;
        }
        return false;
    };
    const std::string declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    if (xml.rfind(declaration, 0) != 0) return "no declaration";
    std::vector<std::string> open;
    std::size_t i = declaration.size();
    while (i < xml.size()) {
        const char c = xml[i];
        if (c == '&' && !entity_ok(i)) return "bad entity at " + std::to_string(i);
        if (c == '>') return "raw '>' in text at " + std::to_string(i);
        if (c != '<') {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        bool in_quotes = false;
        for (; j < xml.size() && (in_quotes || xml[j] != '>'); ++j) {
            if (xml[j] == '"') in_quotes = !in_quotes;
            if (in_quotes && (xml[j] == '<' || xml[j] == '>'))
                return "raw '<' or '>' in an attribute at " + std::to_string(j);
            if (in_quotes && xml[j] == '&' && !entity_ok(j))
                return "bad entity in an attribute at " + std::to_string(j);
        }
        if (j >= xml.size()) return "unterminated tag at " + std::to_string(i);
        const std::string tag = xml.substr(i + 1, j - i - 1);
        const std::string name =
            tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" /", 1) - (tag[0] == '/' ? 1 : 0));
        if (tag[0] == '/') {
            if (open.empty() || open.back() != name) return "mismatched </" + name + ">";
            open.pop_back();
        } else if (tag.back() != '/') {
            open.push_back(name);
        }
        i = j + 1;
    }
    return open.empty() ? "" : "unclosed <" + open.back() + ">";
}

TEST(ConformanceReportJunit, OneTestcasePerOperationFailingWhenARequestViolated) {
    ConformanceReport report;
    report.add(report_entry(1, "GET", "/_matrix/client/v3/sync", "sync"));
    report.add(report_entry(2, "POST", "/_matrix/client/v3/createRoom", "createRoom",
                            {violation("body.preset", "enum", "preset is wrong")}));
    report.add(report_entry(3, "POST", "/_matrix/client/v3/createRoom", "createRoom"));
    report.add(report_entry(4, "GET", "/nowhere", nullptr));
    const std::string xml = to_junit_xml(report);

    EXPECT_EQ(xml_problem(xml), "") << xml;
    EXPECT_TRUE(contains(xml,
                         "<testsuites name=\"matrix-spec-conformance\" tests=\"2\" "
                         "failures=\"1\" errors=\"0\">\n  <testsuite name=\"matrix.spec\" "
                         "tests=\"2\" failures=\"1\" errors=\"0\">\n"))
        << xml;
    EXPECT_TRUE(contains(xml, "<testcase classname=\"matrix.spec\" name=\"sync\"/>\n")) << xml;
    EXPECT_TRUE(contains(xml,
                         "<testcase classname=\"matrix.spec\" name=\"createRoom\">\n      "
                         "<failure type=\"spec-violation\" message=\"1 of 2 requests "
                         "violated the spec\">enum at body.preset: 1 request (example ids "
                         "2)\n  preset is wrong\n</failure>\n    </testcase>\n"))
        << xml;
}

TEST(ConformanceReportJunit, EscapesHostileTextInNamesAndFailures) {
    ConformanceReport report;
    ReportObservation hostile;
    hostile.entry_id = 9;
    hostile.operation_id = "op\"<x>&'";
    hostile.method = "GET";
    hostile.path = "/x";
    hostile.violations = {violation("body.<img src=x onerror=alert(1)>", "type",
                                    "got ]]> and <![CDATA[ & \x01\x1B control \xFF bytes")};
    report.add(hostile);
    const std::string xml = to_junit_xml(report);

    EXPECT_EQ(xml_problem(xml), "") << xml;
    EXPECT_FALSE(contains(xml, "<img")) << xml;
    EXPECT_FALSE(contains(xml, "]]>")) << xml;
    EXPECT_FALSE(contains(xml, "<![CDATA[")) << xml;
    EXPECT_TRUE(contains(xml, "name=\"op&quot;&lt;x&gt;&amp;&apos;\"")) << xml;
    EXPECT_TRUE(contains(xml, "type at body.&lt;img src=x onerror=alert(1)&gt;")) << xml;
    EXPECT_TRUE(contains(xml, "got ]]&gt; and &lt;![CDATA[ &amp; ?? control \xEF\xBF\xBD bytes"))
        << xml;
}

TEST(ConformanceReportJunit, AnEmptyReportIsAnEmptySuite) {
    const std::string xml = to_junit_xml(ConformanceReport());
    EXPECT_EQ(xml_problem(xml), "") << xml;
    EXPECT_TRUE(contains(xml, "<testsuite name=\"matrix.spec\" tests=\"0\" failures=\"0\""));
}

}  // namespace
}  // namespace matrix::mock
