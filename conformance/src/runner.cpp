// Builder-level checking of vectors, and the run's report lines.
#include "matrix/conformance/runner.hpp"

#include <algorithm>

#include "matrix/error.hpp"
#include "matrix/named_builder.hpp"

namespace matrix::conformance {

namespace {

// "refusal (empty room_id)", "refusal of argument 'room_id' (empty room_id)".
std::string describe_refusal(const ExpectedRefusal& refusal) {
    std::string text = "refusal";
    if (refusal.argument) text += " of argument '" + *refusal.argument + "'";
    if (!refusal.reason.empty()) text += " (" + refusal.reason + ")";
    return text;
}

}  // namespace

std::optional<Request> build_vector_request(const Vector& vector, VectorResult& result) {
    result = VectorResult{vector.file, vector.id, Outcome::passed, {}, {}};
    try {
        Request request = build_by_name(vector.endpoint, vector.args_json,
                                        BuildOptions{.version = vector.version});
        if (!vector.expect_error) return request;
        result.outcome = Outcome::failed;
        const WireRequest wire = render(request);
        result.mismatches.push_back({"expect_error", describe_refusal(*vector.expect_error),
                                     "built " + wire.method + " " + show_bytes(wire.target)});
    } catch (const ArgumentSchemaError& e) {
        result.outcome = Outcome::malformed;
        result.detail = e.what();
    } catch (const InvalidArgument& e) {
        result.detail = e.what();
        if (!vector.expect_error) {
            result.outcome = Outcome::failed;
            result.mismatches.push_back(
                {"build", "a request", std::string("refused: ") + e.what()});
        } else if (vector.expect_error->argument &&
                   *vector.expect_error->argument != e.argument()) {
            result.outcome = Outcome::failed;
            result.mismatches.push_back(
                {"expect_error.argument",
                 "refusal of argument '" + *vector.expect_error->argument + "'",
                 "refusal of argument '" + e.argument() + "'"});
        }
    }
    return std::nullopt;
}

VectorResult check_at_builder_level(const Vector& vector) {
    VectorResult result;
    if (const auto request = build_vector_request(vector, result)) {
        result.mismatches = compare(*vector.expect, render(*request));
        if (!result.mismatches.empty()) result.outcome = Outcome::failed;
    }
    return result;
}

std::size_t RunReport::passed() const {
    return static_cast<std::size_t>(
        std::ranges::count(results, Outcome::passed, &VectorResult::outcome));
}

std::size_t RunReport::failed() const { return results.size() - passed(); }

RunReport run_vectors(const std::vector<std::string>& files,
                      const std::function<VectorResult(const Vector&)>& check) {
    RunReport report;
    for (const std::string& path : files) {
        const VectorFile file = load_vector_file(path);
        for (const VectorProblem& problem : file.problems) {
            report.results.push_back(
                {problem.file, problem.vector_id, Outcome::malformed, {}, problem.reason});
        }
        for (const Vector& vector : file.vectors) {
            report.results.push_back(check(vector));
        }
    }
    return report;
}

RunReport run_builder_level(const std::vector<std::string>& files) {
    return run_vectors(files, check_at_builder_level);
}

std::vector<std::string> failure_lines(const RunReport& report) {
    std::vector<std::string> lines;
    for (const VectorResult& result : report.results) {
        switch (result.outcome) {
            case Outcome::passed:
                break;
            case Outcome::malformed:
                lines.push_back(
                    "ERROR " + result.file +
                    (result.vector_id.empty() ? "" : ": vector '" + result.vector_id + "'") + ": " +
                    result.detail);
                break;
            case Outcome::failed:
                for (const Mismatch& mismatch : result.mismatches) {
                    lines.push_back("FAIL " + result.vector_id + " (" + result.file + ") " +
                                    mismatch.field + ": expected " + mismatch.expected +
                                    ", actual " + mismatch.actual +
                                    (result.detail.empty() ? "" : " [" + result.detail + "]"));
                }
                break;
        }
    }
    return lines;
}

std::string summary_line(const RunReport& report) {
    return std::to_string(report.passed()) + " passed, " + std::to_string(report.failed()) +
           " failed";
}

}  // namespace matrix::conformance
