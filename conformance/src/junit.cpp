// JUnit XML writer for conformance runs.
#include "matrix/conformance/junit.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "matrix/mock/xml_escape.hpp"

namespace matrix::conformance {

// Shared with the spec conformance report's JUnit writer, which the mock server library holds.
using mock::xml_escape;

void write_junit(std::ostream& out, const RunReport& report) {
    // Group by file, keeping the order in which files first appear.
    std::vector<std::string> files;
    std::map<std::string, std::vector<const VectorResult*>> by_file;
    for (const VectorResult& result : report.results) {
        auto [it, inserted] = by_file.try_emplace(result.file);
        if (inserted) files.push_back(result.file);
        it->second.push_back(&result);
    }
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    // Counted as the testsuites below count them, so the totals are their sums: a malformed
    // vector is an error, not a failure.
    const auto count = [&](Outcome outcome) {
        return std::ranges::count(report.results, outcome, &VectorResult::outcome);
    };
    out << "<testsuites name=\"matrix-conformance\" tests=\"" << report.results.size()
        << "\" failures=\"" << count(Outcome::failed) << "\" errors=\"" << count(Outcome::malformed)
        << "\">\n";
    for (const std::string& file : files) {
        const auto& results = by_file[file];
        std::size_t failures = 0;
        std::size_t errors = 0;
        for (const VectorResult* result : results) {
            failures += result->outcome == Outcome::failed ? 1 : 0;
            errors += result->outcome == Outcome::malformed ? 1 : 0;
        }
        out << "  <testsuite name=\"" << xml_escape(file) << "\" tests=\"" << results.size()
            << "\" failures=\"" << failures << "\" errors=\"" << errors << "\">\n";
        for (const VectorResult* result : results) {
            const std::string name = result->vector_id.empty() ? "(file)" : result->vector_id;
            out << "    <testcase classname=\"" << xml_escape(file) << "\" name=\""
                << xml_escape(name) << "\"";
            if (result->outcome == Outcome::passed) {
                out << "/>\n";
                continue;
            }
            out << ">\n";
            if (result->outcome == Outcome::malformed) {
                out << "      <error message=\"" << xml_escape(result->detail) << "\"/>\n";
            } else {
                std::string details;
                for (const Mismatch& mismatch : result->mismatches) {
                    details += mismatch.field + ": expected " + mismatch.expected + ", actual " +
                               mismatch.actual + "\n";
                }
                const std::string first = result->mismatches.empty()
                                              ? std::string("failed")
                                              : result->mismatches.front().field + " differs";
                out << "      <failure message=\"" << xml_escape(first) << "\">"
                    << xml_escape(details) << "</failure>\n";
            }
            out << "    </testcase>\n";
        }
        out << "  </testsuite>\n";
    }
    out << "</testsuites>\n";
}

}  // namespace matrix::conformance
