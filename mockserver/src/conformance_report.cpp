// The conformance report's counting: observations grouped by operation, rule and place.
#include "matrix/mock/conformance_report.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace matrix::mock {

ReportObservation observation_of(const JournalEntry& entry) {
    ReportObservation observation;
    observation.entry_id = entry.id;
    if (entry.operation != nullptr) {
        observation.operation_id = std::string(operation_of(*entry.operation).operation_id);
    }
    observation.method = entry.method;
    observation.path = entry.raw_path;
    observation.violations = entry.violations;
    observation.path_canonical = entry.path_canonical;
    observation.status = entry.status;
    return observation;
}

ConformanceReport::Operation& ConformanceReport::operation_named(const std::string& operation_id,
                                                                 std::string_view method) {
    const auto found = operations_.find(operation_id);
    if (found != operations_.end()) return found->second;
    Operation operation;
    operation.summary.operation_id = operation_id;
    operation.spec = find_operation(operation_id);
    if (operation.spec != nullptr) {
        operation.summary.method = std::string(to_string(operation.spec->method));
        operation.summary.path_template = std::string(operation.spec->path_template);
    } else {
        operation.summary.method = std::string(method);
        operation.summary.declared = false;
    }
    return operations_.emplace(operation_id, std::move(operation)).first->second;
}

void ConformanceReport::add(const ReportObservation& observation) {
    ++requests_;
    if (!observation.operation_id) {
        UnidentifiedRequests& unidentified = unidentified_;
        ++unidentified.count;
        if (unidentified.example_ids.size() < kMaxExampleIds)
            unidentified.example_ids.push_back(observation.entry_id);
        const auto same = std::ranges::find_if(unidentified.examples, [&](const RequestExample& e) {
            return e.method == observation.method && e.path == observation.path;
        });
        if (same != unidentified.examples.end()) {
            ++same->count;
        } else if (unidentified.examples.size() < kMaxUnidentifiedExamples) {
            unidentified.examples.push_back({observation.method, observation.path, 1});
        }
        return;
    }

    Operation& operation = operation_named(*observation.operation_id, observation.method);
    OperationSummary& summary = operation.summary;
    ++summary.seen;
    if (observation.status >= 200 && observation.status < 300) ++summary.answered_2xx;
    // Bounded: a client polling one operation a million times costs a few ids here.
    if (summary.request_ids.size() == kMaxRequestIds)
        summary.request_ids.erase(summary.request_ids.begin());
    summary.request_ids.push_back(observation.entry_id);
    if (!observation.path_canonical) {
        ++summary.non_canonical_paths;
        ++non_canonical_paths_;
    }
    if (observation.violations.empty()) {
        ++summary.conformant;
        return;
    }
    ++violating_;
    std::vector<std::size_t> counted;  // the groups this request already counts in
    for (const SpecViolation& violation : observation.violations) {
        const auto [slot, added] = operation.groups.try_emplace({violation.rule, violation.where},
                                                                summary.violations.size());
        if (added)
            summary.violations.push_back(
                {violation.rule, violation.where, 0, violation.message, {}});
        // A request that breaks one rule at one place twice counts once there.
        if (std::ranges::find(counted, slot->second) != counted.end()) continue;
        counted.push_back(slot->second);
        ViolationGroup& group = summary.violations[slot->second];
        ++group.requests;
        if (group.example_ids.size() < kMaxExampleIds)
            group.example_ids.push_back(observation.entry_id);
    }
}

std::vector<OperationSummary> ConformanceReport::operations() const {
    const std::span<const EndpointSpec> table = spec_operations();
    std::vector<const Operation*> ordered;
    ordered.reserve(operations_.size());
    for (const auto& [id, operation] : operations_) ordered.push_back(&operation);
    // Declared ones by their place in the table, then the others by id (the map's order, kept
    // by the stable sort).
    const auto place = [&](const Operation* operation) {
        return operation->spec != nullptr ? static_cast<std::size_t>(operation->spec - table.data())
                                          : table.size();
    };
    std::ranges::stable_sort(ordered, {}, place);

    std::vector<OperationSummary> out;
    out.reserve(ordered.size());
    for (const Operation* operation : ordered) {
        OperationSummary summary = operation->summary;
        std::ranges::stable_sort(summary.violations, [](const ViolationGroup& a,
                                                        const ViolationGroup& b) {
            return std::tie(b.requests, a.rule, a.where) < std::tie(a.requests, b.rule, b.where);
        });
        out.push_back(std::move(summary));
    }
    return out;
}

std::vector<const EndpointSpec*> ConformanceReport::never_exercised() const {
    std::vector<const EndpointSpec*> out;
    for (const EndpointSpec& operation : spec_operations()) {
        if (!operations_.contains(operation.operation_id)) out.push_back(&operation);
    }
    return out;
}

ReportTotals ConformanceReport::totals() const {
    ReportTotals totals;
    totals.requests = requests_;
    totals.unidentified = unidentified_.count;
    totals.identified = requests_ - unidentified_.count;
    totals.violating = violating_;
    totals.conformant = totals.identified - violating_;
    totals.non_canonical_paths = non_canonical_paths_;
    totals.operations_total = spec_operations().size();
    totals.operations_exercised = operations_.size();
    std::size_t declared_exercised = 0;
    for (const auto& [id, operation] : operations_) {
        if (operation.spec != nullptr) ++declared_exercised;
        if (operation.summary.conformant == operation.summary.seen) ++totals.operations_conformant;
    }
    totals.operations_never_exercised = totals.operations_total - declared_exercised;
    return totals;
}

ConformanceReport conformance_report(std::span<const JournalEntry> entries) {
    ConformanceReport report;
    for (const JournalEntry& entry : entries) report.add(entry);
    return report;
}

std::optional<ReportFormat> report_format_from_string(std::string_view name) noexcept {
    if (name == "json") return ReportFormat::json;
    if (name == "markdown") return ReportFormat::markdown;
    if (name == "junit") return ReportFormat::junit;
    return std::nullopt;
}

std::string_view to_string(ReportFormat format) noexcept {
    switch (format) {
        case ReportFormat::json:
            return "json";
        case ReportFormat::markdown:
            return "markdown";
        case ReportFormat::junit:
            return "junit";
    }
    return "?";
}

std::string_view content_type(ReportFormat format) noexcept {
    switch (format) {
        case ReportFormat::json:
            return "application/json";
        case ReportFormat::markdown:
            return "text/markdown; charset=utf-8";
        case ReportFormat::junit:
            return "application/xml";
    }
    return "application/octet-stream";
}

std::string render(const ConformanceReport& report, ReportFormat format) {
    switch (format) {
        case ReportFormat::json:
            return to_json(report);
        case ReportFormat::markdown:
            return to_markdown(report);
        case ReportFormat::junit:
            return to_junit_xml(report);
    }
    return {};
}

}  // namespace matrix::mock
