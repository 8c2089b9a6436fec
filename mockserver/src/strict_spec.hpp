// --strict-spec: the Matrix error a homeserver gives a request that breaks its operation's
// rules, from the violations the validator found.
#pragma once

#include <optional>
#include <vector>

#include "matrix/mock/stub.hpp"
#include "matrix/spec_validation.hpp"

namespace matrix::mock {

// 401 M_MISSING_TOKEN for a missing or malformed token first (a server checks it before the
// body), then 400 M_NOT_JSON for a body that is not JSON or not labelled as JSON, then the
// first other violation in order: M_MISSING_PARAM for an absent parameter or member,
// M_BAD_JSON for a body member of the wrong shape, M_INVALID_PARAM for a path or query value
// of the wrong shape. The error names the culprit. nullopt when there is no violation.
std::optional<ResponseDefinition> strict_refusal(const std::vector<SpecViolation>& violations);

}  // namespace matrix::mock
