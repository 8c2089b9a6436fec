// matrix-conformance: checks the SDK's builders against conformance vector files, and reports on
// a mock server journal's conformance to the spec (the report subcommand).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "matrix/conformance/junit.hpp"
#include "matrix/conformance/runner.hpp"
#include "matrix/conformance/wire.hpp"
#include "matrix/endpoint.hpp"
#include "matrix/json.hpp"
#include "report_command.hpp"

namespace {

constexpr const char* kUsage = R"(Usage: matrix-conformance [OPTIONS] FILE|DIR...
       matrix-conformance report JOURNAL.jsonl [--format markdown|json|junit] [--output FILE]
                                 [--fail-on-violation]

Checks every vector in the given vector files (format matrix-conformance-vectors/1) against
the SDK's request builders: method, percent-encoded path, query, headers and body. A directory
stands for every *.json file in it and in its subdirectories.

With --wire, every vector's request is instead sent by the SDK's HTTP client to an in-process
mock homeserver on a loopback port (the vector's base URL is replaced, and named in failure
lines) and compared from the bytes the server received. Vectors that expect a refusal must be
refused before anything is sent.

Prints one line per failure and ends with "N passed, N failed". A query is reported name by
name (query "since": missing, extra or a different value); an expect_error naming an
"argument" fails when the builder refuses another argument. A malformed file or vector
(unknown endpoint, missing or mistyped field, unknown argument) is reported with the file,
the vector id and the reason, and counts as failed.

The report subcommand reads a journal written by matrix-mockserver --journal-out and reports
what its requests make of the client-server spec, per operation (see
matrix-conformance report --help).

Options:
  --wire             check on the wire, through the mock homeserver
  --junit FILE       also write a JUnit XML report to FILE
  --list-endpoints   print every seed form and spec operation with its arguments, then
                     exit; --list-endpoints --json prints one JSON object per line
  -h, --help         show this help

Exit status: 0 when every vector passed, 1 when any failed or was malformed, 2 on a usage
error.

Example:
  matrix-conformance fixtures/vectors/seed.json
  matrix-conformance --wire --junit report.xml fixtures/vectors/
  matrix-conformance report journal.jsonl --format json --output spec-report.json
)";

std::string_view location_name(matrix::ParamLocation location) {
    using enum matrix::ParamLocation;
    switch (location) {
        case base_url:
            return "base_url";
        case bearer_token:
            return "header";  // Authorization
        case path:
        case path_suffix:
            return "path";
        case query:
            return "query";
        case header:
            return "header";
        case body_field:
        case body_merge:
        case body_whole:
        case body_raw:
            return "body";
    }
    return "?";
}

std::string json_string(std::string_view text) { return matrix::Json::string(text).text(); }

// The versions of the operation `spec` is (or is a form of), oldest first.
std::vector<std::string_view> versions_of(const matrix::EndpointSpec& spec) {
    std::vector<std::string_view> names;
    const matrix::PathVersions versions = matrix::operation_of(spec).versions;
    for (const auto version :
         {matrix::PathVersion::r0, matrix::PathVersion::v3, matrix::PathVersion::v1}) {
        if (versions.has(version)) names.push_back(matrix::to_string(version));
    }
    return names;
}

void print_json_line(const matrix::EndpointSpec& spec) {
    const matrix::EndpointSpec& operation = matrix::operation_of(spec);
    std::string line = "{\"name\":" + json_string(spec.name);
    line += ",\"form\":" + json_string(spec.form);
    line += ",\"seed_form\":" + std::string(matrix::is_seed_form(spec) ? "true" : "false");
    line += ",\"operation_id\":" + json_string(spec.operation_id);
    line += ",\"method\":" + json_string(matrix::to_string(spec.method));
    line += ",\"path_template\":" + json_string(spec.path_template);
    line += ",\"versions\":[";
    bool first = true;
    for (const std::string_view version : versions_of(spec)) {
        line += (first ? "" : ",") + json_string(version);
        first = false;
    }
    line += "],\"auth\":" + json_string(matrix::to_string(operation.auth));
    line += ",\"rate_limited\":" + std::string(operation.rate_limited ? "true" : "false");
    line += ",\"deprecated\":" + std::string(operation.deprecated ? "true" : "false");
    line += ",\"params\":[";
    first = true;
    for (const matrix::ParamSpec& param : spec.params) {
        line += first ? "{" : ",{";
        first = false;
        line += "\"name\":" + json_string(param.name);
        line += ",\"in\":" + json_string(location_name(param.location));
        line += ",\"wire_name\":" +
                json_string(param.location == matrix::ParamLocation::bearer_token ? "Authorization"
                                                                                  : param.key());
        line += ",\"type\":" + json_string(matrix::to_string(param.type));
        line += ",\"required\":" + std::string(param.required ? "true" : "false") + "}";
    }
    std::cout << line << "]}\n";
}

void print_plain(const matrix::EndpointSpec& spec) {
    std::cout << spec.name;
    if (!spec.form.empty()) std::cout << " (" << spec.form << ")";
    if (!matrix::is_seed_form(spec) || spec.name != spec.operation_id) {
        std::cout << " [" << spec.operation_id << "]";
    }
    std::cout << "  " << matrix::to_string(spec.method) << " " << spec.path_template;
    const auto versions = versions_of(spec);
    for (std::size_t i = 0; i < versions.size(); ++i) {
        std::cout << (i == 0 ? "  versions " : ",") << versions[i];
    }
    std::cout << "\n   ";
    for (const matrix::ParamSpec& param : spec.params) {
        std::cout << " " << param.name << (param.required ? "" : "?") << ":"
                  << matrix::to_string(param.type);
    }
    std::cout << "\n";
}

// The seed's forms, then every operation of the spec; one JSON object per line with --json.
void list_endpoints(bool json) {
    for (const auto table : {matrix::seed_endpoints(), matrix::spec_operations()}) {
        for (const matrix::EndpointSpec& spec : table)
            json ? print_json_line(spec) : print_plain(spec);
    }
}

// Expands directories to their *.json files, sorted so runs are reproducible.
bool collect_files(const std::string& argument, std::vector<std::string>& files) {
    namespace fs = std::filesystem;
    std::error_code error;
    if (!fs::is_directory(argument, error)) {
        files.push_back(argument);
        return true;
    }
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(argument, error)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
            found.push_back(entry.path().string());
        }
    }
    if (error) {
        std::cerr << "matrix-conformance: cannot read directory " << argument << ": "
                  << error.message() << "\n";
        return false;
    }
    if (found.empty()) {
        std::cerr << "matrix-conformance: directory " << argument << " holds no *.json files\n";
        return false;
    }
    std::ranges::sort(found);
    files.insert(files.end(), found.begin(), found.end());
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    // A subcommand only as the first argument, so a vector file named "report" is ./report.
    if (argc > 1 && std::string_view(argv[1]) == "report") {
        return matrix::conformance::run_report_command(argc - 2, argv + 2);
    }
    std::vector<std::string> files;
    std::string junit_path;
    bool wire = false;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "-h" || argument == "--help") {
            std::cout << kUsage;
            return 0;
        }
        if (argument == "--list-endpoints") {
            const bool json = i + 1 < argc && std::string(argv[i + 1]) == "--json";
            list_endpoints(json);
            return 0;
        }
        if (argument == "--wire") {
            wire = true;
            continue;
        }
        if (argument == "--junit") {
            if (i + 1 >= argc) {
                std::cerr << "matrix-conformance: --junit needs a file name\n";
                return 2;
            }
            junit_path = argv[++i];
            continue;
        }
        if (argument.starts_with("-") && argument != "-") {
            std::cerr << "matrix-conformance: unknown option " << argument
                      << " (see matrix-conformance --help)\n";
            return 2;
        }
        if (!collect_files(argument, files)) return 2;
    }
    if (files.empty()) {
        std::cerr << "matrix-conformance: no vector files given\n\n" << kUsage;
        return 2;
    }

    const matrix::conformance::RunReport report =
        wire ? matrix::conformance::run_wire_level(files)
             : matrix::conformance::run_builder_level(files);
    for (const std::string& line : matrix::conformance::failure_lines(report)) {
        std::cout << line << "\n";
    }
    if (!junit_path.empty()) {
        std::ofstream junit(junit_path, std::ios::binary);
        matrix::conformance::write_junit(junit, report);
        if (!junit) {
            std::cerr << "matrix-conformance: cannot write JUnit report " << junit_path << "\n";
            std::cout << matrix::conformance::summary_line(report) << "\n";
            return 1;
        }
    }
    std::cout << matrix::conformance::summary_line(report) << "\n";
    return report.failed() == 0 ? 0 : 1;
}
