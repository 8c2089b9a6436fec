// Checks vectors against the SDK's builders and collects the outcome of a run.
#pragma once

#include <functional>
#include <optional>
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
    // The refusal message, why the vector is malformed, or where a wire-level request went.
    std::string detail;
};

// Builds the vector's request by name for either level. Returns it when it is to be compared;
// otherwise the outcome is already in `result`: a refusal an expect_error vector asked for
// (passed), a refusal or a built request where the vector expected the opposite (failed), or
// arguments that fit no form of the endpoint (malformed).
std::optional<Request> build_vector_request(const Vector& vector, VectorResult& result);

// Builder level: builds the vector's request by name, renders it and compares it.
VectorResult check_at_builder_level(const Vector& vector);

struct RunReport {
    std::vector<VectorResult> results;  // in file and vector order, problems included
    std::size_t passed() const;
    std::size_t failed() const;  // failed and malformed together
};

// Loads every file and checks every vector with `check`; malformed files and vectors are
// failures.
RunReport run_vectors(const std::vector<std::string>& files,
                      const std::function<VectorResult(const Vector&)>& check);
RunReport run_builder_level(const std::vector<std::string>& files);

// The report's failure lines, one per mismatch or problem, without the summary line.
std::vector<std::string> failure_lines(const RunReport& report);

// "N passed, N failed".
std::string summary_line(const RunReport& report);

}  // namespace matrix::conformance
