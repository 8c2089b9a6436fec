// The conformance report as JUnit XML, for CI systems that display test results.
#include <string>

#include "matrix/mock/conformance_report.hpp"
#include "matrix/mock/xml_escape.hpp"

namespace matrix::mock {
namespace {

constexpr std::string_view kClassName = "matrix.spec";

std::string ids_text(const std::vector<std::uint64_t>& ids) {
    std::string out;
    for (const std::uint64_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
    return out;
}

// The failure's text: each violation group, with its first message on the next line.
std::string failure_text(const OperationSummary& operation) {
    std::string text;
    for (const ViolationGroup& group : operation.violations) {
        text += group.rule + " at " + group.where + ": " + std::to_string(group.requests) +
                (group.requests == 1 ? " request" : " requests") + " (example ids " +
                ids_text(group.example_ids) + ")\n  " + group.first_message + "\n";
    }
    return text;
}

}  // namespace

std::string to_junit_xml(const ConformanceReport& report) {
    const std::vector<OperationSummary> operations = report.operations();
    std::size_t failures = 0;
    for (const OperationSummary& operation : operations) failures += operation.violating() > 0;
    const std::string counts = "tests=\"" + std::to_string(operations.size()) + "\" failures=\"" +
                               std::to_string(failures) + "\" errors=\"0\"";
    std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out += "<testsuites name=\"matrix-spec-conformance\" " + counts + ">\n";
    out += "  <testsuite name=\"" + std::string(kClassName) + "\" " + counts + ">\n";
    for (const OperationSummary& operation : operations) {
        out += "    <testcase classname=\"" + std::string(kClassName) + "\" name=\"" +
               xml_escape(operation.operation_id) + "\"";
        if (operation.violating() == 0) {
            out += "/>\n";
            continue;
        }
        const std::string message =
            std::to_string(operation.violating()) + " of " + std::to_string(operation.seen) +
            (operation.seen == 1 ? " request" : " requests") + " violated the spec";
        out += ">\n      <failure type=\"spec-violation\" message=\"" + xml_escape(message) +
               "\">" + xml_escape(failure_text(operation)) + "</failure>\n    </testcase>\n";
    }
    out += "  </testsuite>\n</testsuites>\n";
    return out;
}

}  // namespace matrix::mock
