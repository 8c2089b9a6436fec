// The conformance report as JSON, keys in the order conformance_report.hpp documents.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "matrix/mock/conformance_report.hpp"
#include "matrix/utf8.hpp"
#include "valid_utf8.hpp"

namespace matrix::mock {
namespace {

using detail::JsonWriter;

using detail::write_string;

void write_count(JsonWriter& writer, const char* key, std::size_t value) {
    writer.Key(key);
    writer.Uint64(value);
}

void write_ids(JsonWriter& writer, const std::vector<std::uint64_t>& ids) {
    writer.Key("example_ids");
    writer.StartArray();
    for (const std::uint64_t id : ids) writer.Uint64(id);
    writer.EndArray();
}

void write_totals(JsonWriter& writer, const ReportTotals& totals) {
    writer.Key("totals");
    writer.StartObject();
    write_count(writer, "requests", totals.requests);
    write_count(writer, "identified", totals.identified);
    write_count(writer, "conformant", totals.conformant);
    write_count(writer, "violating", totals.violating);
    write_count(writer, "unidentified", totals.unidentified);
    write_count(writer, "non_canonical_paths", totals.non_canonical_paths);
    write_count(writer, "operations_total", totals.operations_total);
    write_count(writer, "operations_exercised", totals.operations_exercised);
    write_count(writer, "operations_conformant", totals.operations_conformant);
    write_count(writer, "operations_never_exercised", totals.operations_never_exercised);
    writer.EndObject();
}

void write_operation(JsonWriter& writer, const OperationSummary& operation) {
    writer.StartObject();
    writer.Key("operation");
    write_string(writer, operation.operation_id);
    writer.Key("method");
    write_string(writer, operation.method);
    writer.Key("path_template");
    if (operation.declared) {
        write_string(writer, operation.path_template);
    } else {
        writer.Null();
    }
    write_count(writer, "seen", operation.seen);
    write_count(writer, "conformant", operation.conformant);
    write_count(writer, "violating", operation.violating());
    write_count(writer, "non_canonical_paths", operation.non_canonical_paths);
    writer.Key("violations");
    writer.StartArray();
    for (const ViolationGroup& group : operation.violations) {
        writer.StartObject();
        writer.Key("rule");
        write_string(writer, group.rule);
        writer.Key("where");
        write_string(writer, group.where);
        write_count(writer, "requests", group.requests);
        writer.Key("message");
        write_string(writer, group.first_message);
        write_ids(writer, group.example_ids);
        writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
}

void write_unidentified(JsonWriter& writer, const UnidentifiedRequests& unidentified) {
    writer.Key("unidentified");
    writer.StartObject();
    write_count(writer, "count", unidentified.count);
    write_ids(writer, unidentified.example_ids);
    writer.Key("examples");
    writer.StartArray();
    for (const RequestExample& example : unidentified.examples) {
        writer.StartObject();
        writer.Key("method");
        write_string(writer, example.method);
        writer.Key("path");
        write_string(writer, example.path);
        write_count(writer, "count", example.count);
        writer.EndObject();
    }
    writer.EndArray();
    writer.EndObject();
}

}  // namespace

std::string to_json(const ConformanceReport& report) {
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    writer.Key("format");
    writer.String("matrix-spec-conformance-report/1");
    write_totals(writer, report.totals());
    writer.Key("operations");
    writer.StartArray();
    for (const OperationSummary& operation : report.operations())
        write_operation(writer, operation);
    writer.EndArray();
    write_unidentified(writer, report.unidentified());
    writer.Key("never_exercised");
    writer.StartArray();
    for (const EndpointSpec* operation : report.never_exercised())
        write_string(writer, operation->operation_id);
    writer.EndArray();
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace matrix::mock
