// GET /__admin/coverage: every spec operation with its verdict over the journal, counted by the
// conformance report, and the ids of its requests so the dashboard can link to them.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "admin_routes.hpp"
#include "matrix/mock/conformance_report.hpp"
#include "valid_utf8.hpp"

namespace matrix::mock::admin {
namespace {

using detail::JsonWriter;
using detail::write_string;

// never: no request; violating: one broke a rule; conformant: none did and one was answered
// with a success; exercised: none did, but none was answered with a success either (every
// one unmatched or refused), so the flow behind it is untested.
std::string_view verdict_of(const OperationSummary* summary) {
    if (summary == nullptr || summary->seen == 0) return "never";
    if (summary->violating() > 0) return "violating";
    if (summary->answered_2xx > 0) return "conformant";
    return "exercised";
}

void write_operation(JsonWriter& writer, std::string_view operation_id, std::string_view method,
                     std::string_view path_template, const OperationSummary* summary) {
    writer.StartObject();
    writer.Key("operation");
    write_string(writer, operation_id);
    writer.Key("method");
    write_string(writer, method);
    writer.Key("path_template");
    if (path_template.empty()) {
        writer.Null();
    } else {
        write_string(writer, path_template);
    }
    writer.Key("verdict");
    write_string(writer, verdict_of(summary));
    writer.Key("seen");
    writer.Uint64(summary != nullptr ? summary->seen : 0);
    writer.Key("conformant");
    writer.Uint64(summary != nullptr ? summary->conformant : 0);
    writer.Key("violating");
    writer.Uint64(summary != nullptr ? summary->violating() : 0);
    writer.Key("answered_2xx");
    writer.Uint64(summary != nullptr ? summary->answered_2xx : 0);
    writer.Key("request_ids");
    writer.StartArray();
    if (summary != nullptr) {
        for (const std::uint64_t id : summary->request_ids) writer.Uint64(id);
    }
    writer.EndArray();
    writer.EndObject();
}

}  // namespace

AdminResponse coverage(AdminContext& context) {
    const std::vector<JournalEntry> entries = context.journal.entries();
    const ConformanceReport report = conformance_report(entries);
    const std::vector<OperationSummary> exercised = report.operations();
    std::map<std::string_view, const OperationSummary*> by_id;
    for (const OperationSummary& summary : exercised) by_id[summary.operation_id] = &summary;

    std::map<std::string_view, std::size_t> verdicts;
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    writer.Key("operations");
    writer.StartArray();
    // The declaration table's order, then any the table does not know (none, from a live
    // journal, but the report allows them).
    for (const EndpointSpec& operation : spec_operations()) {
        const auto found = by_id.find(operation.operation_id);
        const OperationSummary* summary = found == by_id.end() ? nullptr : found->second;
        ++verdicts[verdict_of(summary)];
        write_operation(writer, operation.operation_id, to_string(operation.method),
                        operation.path_template, summary);
    }
    for (const OperationSummary& summary : exercised) {
        if (summary.declared) continue;
        ++verdicts[verdict_of(&summary)];
        write_operation(writer, summary.operation_id, summary.method, {}, &summary);
    }
    writer.EndArray();
    writer.Key("totals");
    writer.StartObject();
    writer.Key("operations");
    writer.Uint64(spec_operations().size());
    for (const std::string_view verdict : {"never", "exercised", "conformant", "violating"}) {
        writer.Key(verdict.data(), static_cast<rapidjson::SizeType>(verdict.size()));
        writer.Uint64(verdicts[verdict]);
    }
    writer.Key("requests");
    writer.Uint64(entries.size());
    writer.EndObject();
    writer.EndObject();
    return {200, {buffer.GetString(), buffer.GetSize()}};
}

}  // namespace matrix::mock::admin
