#include "strict_spec.hpp"

#include <algorithm>

namespace matrix::mock {
namespace {

struct Verdict {
    int status;
    const char* errcode;
};

Verdict verdict_for(const SpecViolation& violation) {
    if (violation.rule == "missing_token") return {401, "M_MISSING_TOKEN"};
    if (violation.rule == "not_json" || violation.rule == "content_type")
        return {400, "M_NOT_JSON"};
    if (violation.rule == "missing") return {400, "M_MISSING_PARAM"};
    if (violation.where.rfind("body", 0) == 0) return {400, "M_BAD_JSON"};
    return {400, "M_INVALID_PARAM"};
}

// Lower answers first: what a homeserver checks first.
int precedence(const SpecViolation& violation) {
    if (violation.rule == "missing_token") return 0;
    if (violation.rule == "not_json" || violation.rule == "content_type") return 1;
    return 2;
}

}  // namespace

std::optional<ResponseDefinition> strict_refusal(const std::vector<SpecViolation>& violations) {
    if (violations.empty()) return std::nullopt;
    const auto first = std::min_element(violations.begin(), violations.end(),
                                        [](const SpecViolation& a, const SpecViolation& b) {
                                            return precedence(a) < precedence(b);
                                        });
    const Verdict verdict = verdict_for(*first);
    std::string error = first->where + ": " + first->message;
    if (violations.size() > 1)
        error += " (and " + std::to_string(violations.size() - 1) + " more; see the journal)";
    return ResponseDefinition::matrix_error(verdict.errcode, error, {}, {}, verdict.status);
}

}  // namespace matrix::mock
