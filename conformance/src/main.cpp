// matrix-conformance: checks the SDK's builders against conformance vector files.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "matrix/conformance/junit.hpp"
#include "matrix/conformance/runner.hpp"
#include "matrix/conformance/wire.hpp"
#include "matrix/endpoint.hpp"

namespace {

constexpr const char* kUsage = R"(Usage: matrix-conformance [OPTIONS] FILE|DIR...

Checks every vector in the given vector files (format matrix-conformance-vectors/1) against
the SDK's request builders: method, percent-encoded path, query, headers and body. A directory
stands for every *.json file in it.

With --wire, every vector's request is instead sent by the SDK's HTTP client to an in-process
mock homeserver on a loopback port (the vector's base URL is replaced, and named in failure
lines) and compared from the bytes the server received. Vectors that expect a refusal must be
refused before anything is sent.

Prints one line per failure and ends with "N passed, N failed". A malformed file or vector
(unknown endpoint, missing or mistyped field, unknown argument) is reported with the file,
the vector id and the reason, and counts as failed.

Options:
  --wire             check on the wire, through the mock homeserver
  --junit FILE       also write a JUnit XML report to FILE
  --list-endpoints   print every endpoint name and form with its arguments, then exit
  -h, --help         show this help

Exit status: 0 when every vector passed, 1 when any failed or was malformed, 2 on a usage
error.

Example:
  matrix-conformance fixtures/vectors/seed.json
  matrix-conformance --wire --junit report.xml fixtures/vectors/
)";

void list_endpoints() {
    for (const matrix::EndpointSpec& spec : matrix::seed_endpoints()) {
        std::cout << spec.name;
        if (!spec.form.empty()) std::cout << " (" << spec.form << ")";
        std::cout << "  " << matrix::to_string(spec.method) << " " << spec.path_template << "\n   ";
        for (const matrix::ParamSpec& param : spec.params) {
            std::cout << " " << param.name << (param.required ? "" : "?") << ":"
                      << matrix::to_string(param.type);
        }
        std::cout << "\n";
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
    for (const auto& entry : fs::directory_iterator(argument, error)) {
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
            list_endpoints();
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
