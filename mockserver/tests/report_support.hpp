// Journal entries for the conformance report's tests, with the spec fields set by hand: the
// validator fills violations on a live server, and these tests must not depend on what it finds.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "matrix/endpoint.hpp"
#include "matrix/mock/journal.hpp"

namespace matrix::mock::testing_support {

// A request to `path` identified as `operation_id` (nullptr: no operation).
inline JournalEntry report_entry(std::uint64_t id, std::string method, std::string path,
                                 const char* operation_id,
                                 std::vector<SpecViolation> violations = {},
                                 bool path_canonical = true) {
    JournalEntry entry;
    entry.id = id;
    entry.method = std::move(method);
    entry.target = path;
    entry.raw_path = std::move(path);
    entry.operation = operation_id == nullptr ? nullptr : find_operation(operation_id);
    entry.violations = std::move(violations);
    entry.path_canonical = path_canonical;
    if (!path_canonical) entry.canonical_path = entry.raw_path + "-canonical";
    return entry;
}

inline SpecViolation violation(std::string where, std::string rule, std::string message) {
    return {std::move(where), std::move(rule), std::move(message)};
}

}  // namespace matrix::mock::testing_support
