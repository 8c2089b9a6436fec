// Reading back a journal written as JSON Lines (matrix-mockserver --journal-out) for the spec
// conformance report.
#pragma once

#include <cstddef>
#include <istream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "matrix/error.hpp"
#include "matrix/mock/conformance_report.hpp"

namespace matrix::mock {

// A journal line the report cannot read. what() is "SOURCE:LINE: PROBLEM" once the reader knows
// where the line came from, else PROBLEM alone.
class JournalLineError : public StandardError<std::runtime_error> {
  public:
    explicit JournalLineError(const std::string& problem)
        : StandardError(problem), problem_(problem) {}
    JournalLineError(const std::string& source, std::size_t line, const std::string& problem)
        : StandardError(source + ":" + std::to_string(line) + ": " + problem),
          source_(source),
          line_(line),
          problem_(problem) {}

    const std::string& source() const noexcept { return source_; }
    std::size_t line() const noexcept { return line_; }  // 1-based; 0 when not known
    const std::string& problem() const noexcept { return problem_; }

  private:
    std::string source_;
    std::size_t line_ = 0;
    std::string problem_;
};

// What one journal line (one JSON object) says for the report. It must have "id" (a
// non-negative integer), "method" and "path" (strings), "operation" (a string or null) and
// "violations" (an array of objects with string "where", "rule" and "message"); when it has
// "path_canonical", a boolean. Other members are ignored. Throws JournalLineError naming what is
// wrong.
ReportObservation observation_from_journal_line(std::string_view line);

// Adds every line of `in` to `report`, skipping blank lines (a trailing '\r' is ignored).
// Throws JournalLineError naming `source` and the 1-based number of the first line it cannot
// read; the lines before it stay added. Returns the number of requests added.
std::size_t add_journal_lines(ConformanceReport& report, std::istream& in,
                              const std::string& source);

}  // namespace matrix::mock
