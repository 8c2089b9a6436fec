// The conformance report as GitHub-flavoured Markdown, for a CI summary or a pull request.
#include <algorithm>
#include <string>
#include <string_view>

#include "matrix/mock/conformance_report.hpp"
#include "matrix/utf8.hpp"
#include "valid_utf8.hpp"

namespace matrix::mock {
namespace {

std::string valid_text(std::string_view text) {
    return is_valid_utf8(text) ? std::string(text) : detail::replace_invalid_utf8(text);
}

// Text from a request, for a table cell: every character that could start markup (emphasis,
// code, links, images, HTML, entities, strikethrough) is backslash-escaped, '|' so it cannot
// end the cell, and a line break is <br>, the only way a cell holds one.
std::string cell_text(std::string_view raw) {
    const std::string text = valid_text(raw);
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '\\':
            case '`':
            case '*':
            case '_':
            case '[':
            case ']':
            case '<':
            case '>':
            case '&':
            case '|':
            case '~':
                out += '\\';
                out += c;
                break;
            case '\n':
                out += "<br>";
                break;
            case '\r':
                break;
            default:
                out += c;
        }
    }
    return out;
}

// A code span holding `raw` literally, for a table cell: fenced by one backtick more than the
// longest run inside, padded when it starts or ends with a backtick or space (CommonMark strips
// one space each side), '|' escaped (GitHub splits cells before it reads code spans) and line
// breaks as spaces.
std::string code(std::string_view raw) {
    if (raw.empty()) return "(empty)";
    const std::string text = valid_text(raw);
    std::size_t longest = 0;
    std::size_t run = 0;
    for (const char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const std::string fence(longest + 1, '`');
    const bool pad =
        text.front() == '`' || text.back() == '`' || text.front() == ' ' || text.back() == ' ';
    std::string out = fence + (pad ? " " : "");
    for (const char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n' || c == '\r') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out + (pad ? " " : "") + fence;
}

std::string ids_text(const std::vector<std::uint64_t>& ids) {
    std::string out;
    for (const std::uint64_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
    return out;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

void summary(std::string& out, const ReportTotals& totals) {
    out += plural(totals.requests, "request", "requests") + ": " +
           std::to_string(totals.identified) + " identified (" + std::to_string(totals.conformant) +
           " conformant, " + std::to_string(totals.violating) + " violating), " +
           std::to_string(totals.unidentified) + " unidentified. " +
           std::to_string(totals.operations_exercised) + " of " +
           plural(totals.operations_total, "operation", "operations") + " exercised, " +
           std::to_string(totals.operations_conformant) + " of them conformant; " +
           std::to_string(totals.operations_never_exercised) + " never exercised.\n";
    if (totals.non_canonical_paths > 0) {
        out += "\n" + plural(totals.non_canonical_paths, "request", "requests") +
               " had a path that is not the canonical percent-encoding of its segments (a "
               "warning: servers accept it).\n";
    }
}

void operations_table(std::string& out, const std::vector<OperationSummary>& operations) {
    out += "\n## Operations exercised\n\n";
    if (operations.empty()) {
        out += "No request was a spec operation.\n";
        return;
    }
    out +=
        "| operation | method | path | seen | conformant | violating | non-canonical paths |\n"
        "|---|---|---|--:|--:|--:|--:|\n";
    for (const OperationSummary& operation : operations) {
        out += "| " + code(operation.operation_id) + " | " + code(operation.method) + " | " +
               (operation.declared ? code(operation.path_template) : "(not declared)") + " | " +
               std::to_string(operation.seen) + " | " + std::to_string(operation.conformant) +
               " | " + std::to_string(operation.violating()) + " | " +
               std::to_string(operation.non_canonical_paths) + " |\n";
    }
}

void violations_section(std::string& out, const std::vector<OperationSummary>& operations) {
    out += "\n## Violations\n";
    bool any = false;
    for (const OperationSummary& operation : operations) {
        if (operation.violations.empty()) continue;
        any = true;
        out += "\n### " + code(operation.operation_id) + "\n\n" +
               std::to_string(operation.violating()) + " of " +
               plural(operation.seen, "request", "requests") + " violated the spec.\n\n" +
               "| where | rule | requests | example ids | first message |\n"
               "|---|---|--:|---|---|\n";
        for (const ViolationGroup& group : operation.violations) {
            out += "| " + code(group.where) + " | " + code(group.rule) + " | " +
                   std::to_string(group.requests) + " | " + ids_text(group.example_ids) + " | " +
                   cell_text(group.first_message) + " |\n";
        }
    }
    if (!any) out += "\nNo request violated the spec.\n";
}

void unidentified_section(std::string& out, const UnidentifiedRequests& unidentified) {
    if (unidentified.count == 0) return;
    out += "\n## Unidentified requests\n\n" +
           plural(unidentified.count, "request was", "requests were") +
           " no spec operation (example ids: " + ids_text(unidentified.example_ids) + ").\n\n" +
           "| method | path | requests |\n|---|---|--:|\n";
    std::size_t shown = 0;
    for (const RequestExample& example : unidentified.examples) {
        out += "| " + code(example.method) + " | " + code(example.path) + " | " +
               std::to_string(example.count) + " |\n";
        shown += example.count;
    }
    if (shown < unidentified.count) {
        out += "\n" + plural(unidentified.count - shown, "more request", "more requests") +
               " had other methods and paths.\n";
    }
}

void never_exercised_section(std::string& out, const std::vector<const EndpointSpec*>& never) {
    out += "\n## Never exercised (" + std::to_string(never.size()) + ")\n\n";
    if (never.empty()) {
        out += "Every operation was exercised.\n";
        return;
    }
    std::string line;
    for (const EndpointSpec* operation : never) {
        line += (line.empty() ? "" : ", ") + code(operation->operation_id);
    }
    out += line + "\n";
}

}  // namespace

std::string to_markdown(const ConformanceReport& report) {
    const std::vector<OperationSummary> operations = report.operations();
    std::string out = "# Spec conformance report\n\n";
    summary(out, report.totals());
    operations_table(out, operations);
    violations_section(out, operations);
    unidentified_section(out, report.unidentified());
    never_exercised_section(out, report.never_exercised());
    return out;
}

}  // namespace matrix::mock
