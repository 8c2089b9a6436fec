// Checks vectors against the SDK's builders and collects the outcome of a run.
#pragma once

#include <string>
#include <vector>

#include "matrix/conformance/comparison.hpp"
#include "matrix/conformance/vector.hpp"

namespace matrix::conformance {

enum class Outcome { passed, failed, malformed };

struct VectorResult {
    std::string file;
    std::string vector_id;
    Outcome outcome = Outcome::passed;
    std::vector<Mismatch> mismatches;  // when failed
    std::string detail;                // refusal message, or why the vector is malformed
};

// Builder level: builds the vector's request by name, renders it and compares it.
VectorResult check_at_builder_level(const Vector& vector);

struct RunReport {
    std::vector<VectorResult> results;  // in file and vector order, problems included
    std::size_t passed() const;
    std::size_t failed() const;  // failed and malformed together
};

// Loads every file and checks every vector; malformed files and vectors are failures.
RunReport run_builder_level(const std::vector<std::string>& files);

// The report's failure lines, one per mismatch or problem, without the summary line.
std::vector<std::string> failure_lines(const RunReport& report);

// "N passed, N failed".
std::string summary_line(const RunReport& report);

}  // namespace matrix::conformance
