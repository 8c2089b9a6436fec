// The spec conformance report: what the requests a server received make of the client-server
// spec, operation by operation (how many conformed, which rules they broke and where), which
// operations no request exercised, and which requests were no operation at all. Built from
// journal entries, in memory or read back from a --journal-out file (journal_lines.hpp), and
// rendered as JSON, Markdown or JUnit XML.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matrix/endpoint.hpp"
#include "matrix/mock/journal.hpp"
#include "matrix/spec_validation.hpp"

namespace matrix::mock {

// One request as the report counts it: what its journal entry says of the spec.
struct ReportObservation {
    std::uint64_t entry_id = 0;
    std::optional<std::string> operation_id;  // none: the request is no spec operation
    std::string method;
    std::string path;  // the raw path, as received
    // Counted only for identified requests: a request that is no operation has no rules to break.
    std::vector<SpecViolation> violations;
    bool path_canonical = true;  // false is a warning, never a violation
    int status = 0;              // the status answered
};

// What `entry` says: its operation (a seed form counts as the operation it is a form of), raw
// path, violations and whether its path was canonical.
ReportObservation observation_of(const JournalEntry& entry);

// The requests of one operation that broke the same rule at the same place.
struct ViolationGroup {
    std::string rule;           // SpecViolation::rule, e.g. "enum"
    std::string where;          // SpecViolation::where, e.g. "body.preset"
    std::size_t requests = 0;   // each request once, however often it broke the rule there
    std::string first_message;  // the message of the first of them
    std::vector<std::uint64_t> example_ids;  // the first ConformanceReport::kMaxExampleIds
};

struct OperationSummary {
    std::string operation_id;
    std::string method;
    // The declaration's path template; empty for an operation the declaration table does not
    // know (a journal written by another version), whose method is then the first request's.
    std::string path_template;
    bool declared = true;
    std::size_t seen = 0;
    std::size_t conformant = 0;           // seen without any violation
    std::size_t non_canonical_paths = 0;  // a warning: servers accept them
    std::size_t answered_2xx = 0;         // answered with a success status
    // The ids of its newest requests, the last ConformanceReport::kMaxRequestIds, oldest first.
    std::vector<std::uint64_t> request_ids;
    // Most requests first; ties by rule, then where.
    std::vector<ViolationGroup> violations;

    std::size_t violating() const noexcept { return seen - conformant; }
};

// A method and raw path that was no spec operation, and how many times it came.
struct RequestExample {
    std::string method;
    std::string path;
    std::size_t count = 0;
};

struct UnidentifiedRequests {
    std::size_t count = 0;
    std::vector<std::uint64_t> example_ids;  // the first ConformanceReport::kMaxExampleIds
    // The first kMaxUnidentifiedExamples distinct method and path pairs, in arrival order. Only
    // those are counted, so a client probing a million paths costs the report no memory.
    std::vector<RequestExample> examples;
};

struct ReportTotals {
    std::size_t requests = 0;
    std::size_t identified = 0;    // requests that are a spec operation
    std::size_t conformant = 0;    // identified, without any violation
    std::size_t violating = 0;     // identified, with at least one
    std::size_t unidentified = 0;  // requests - identified
    std::size_t non_canonical_paths = 0;
    std::size_t operations_total = 0;  // the declaration table's operations
    // Operations with at least one request, including any the table does not declare.
    std::size_t operations_exercised = 0;
    std::size_t operations_conformant = 0;       // exercised, every request conformant
    std::size_t operations_never_exercised = 0;  // declared, without a request
};

// Counts observations as they are added; reading it computes the summaries.
class ConformanceReport {
  public:
    static constexpr std::size_t kMaxExampleIds = 5;
    static constexpr std::size_t kMaxUnidentifiedExamples = 10;
    static constexpr std::size_t kMaxRequestIds = 50;

    void add(const ReportObservation& observation);
    void add(const JournalEntry& entry) { add(observation_of(entry)); }

    // The operations exercised, in the declaration table's order (by path, then method);
    // operations it does not declare after them, by operationId.
    std::vector<OperationSummary> operations() const;
    // The declared operations no request exercised, in the table's order.
    std::vector<const EndpointSpec*> never_exercised() const;
    const UnidentifiedRequests& unidentified() const noexcept { return unidentified_; }
    ReportTotals totals() const;
    // Whether any identified request broke a rule (what --fail-on-violation gates on).
    bool any_violation() const noexcept { return violating_ > 0; }

  private:
    struct Operation {
        OperationSummary summary;
        const EndpointSpec* spec = nullptr;  // nullptr when not declared
        // (rule, where) to its place in summary.violations: a client can break a rule at many
        // places (every index of an array), and each request must find its group at once.
        std::map<std::pair<std::string, std::string>, std::size_t> groups;
    };

    Operation& operation_named(const std::string& operation_id, std::string_view method);

    std::map<std::string, Operation, std::less<>> operations_;
    UnidentifiedRequests unidentified_;
    std::size_t requests_ = 0;
    std::size_t violating_ = 0;
    std::size_t non_canonical_paths_ = 0;
};

// The report over `entries`.
ConformanceReport conformance_report(std::span<const JournalEntry> entries);

enum class ReportFormat { json, markdown, junit };

// "json", "markdown" or "junit"; nullopt for anything else.
std::optional<ReportFormat> report_format_from_string(std::string_view name) noexcept;
std::string_view to_string(ReportFormat format) noexcept;
// The media type of a rendering, for an HTTP answer.
std::string_view content_type(ReportFormat format) noexcept;
// to_json, to_markdown or to_junit_xml.
std::string render(const ConformanceReport& report, ReportFormat format);

// The report as one JSON object, keys always in this order (docs/conformance-report.md):
//   {"format": "matrix-spec-conformance-report/1",
//    "totals": {"requests", "identified", "conformant", "violating", "unidentified",
//               "non_canonical_paths", "operations_total", "operations_exercised",
//               "operations_conformant", "operations_never_exercised"},
//    "operations": [{"operation", "method", "path_template" (null when not declared), "seen",
//                    "conformant", "violating", "non_canonical_paths",
//                    "violations": [{"rule", "where", "requests", "message",
//                                    "example_ids": [id, ...]}]}],
//    "unidentified": {"count", "example_ids": [id, ...],
//                     "examples": [{"method", "path", "count"}]},
//    "never_exercised": [operationId, ...]}
// Text that is not valid UTF-8 has its bad bytes replaced by U+FFFD.
std::string to_json(const ConformanceReport& report);

// A summary line, a table of the operations exercised, a table of each violating operation's
// violation groups, the unidentified requests, and the operations never exercised. Every text
// from a request is escaped, so no client can add markup, links or table cells.
std::string to_markdown(const ConformanceReport& report);

// One <testcase classname="matrix.spec" name="operationId"> per operation exercised, with a
// <failure> listing its violation groups when any of its requests broke a rule.
std::string to_junit_xml(const ConformanceReport& report);

}  // namespace matrix::mock
