// `matrix-conformance report`: reads a journal written by matrix-mockserver --journal-out and
// writes the spec conformance report over it.
#include "report_command.hpp"

#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "matrix/mock/conformance_report.hpp"
#include "matrix/mock/journal_lines.hpp"

namespace matrix::conformance {
namespace {

constexpr const char* kReportUsage =
    R"(Usage: matrix-conformance report JOURNAL.jsonl [OPTIONS]

Reads a mock homeserver journal written as JSON Lines (matrix-mockserver --journal-out FILE;
"-" reads standard input) and reports what its requests make of the client-server spec: for
each operation exercised, how many requests conformed and which rules the others broke (where,
the rule, how many requests, example journal ids, the first message); the requests that were
no spec operation; and the operations no request exercised. Blank lines are skipped.

Options:
  --format FORMAT      markdown (default), json or junit
  --output FILE        write the report to FILE instead of standard output
  --fail-on-violation  exit 1 when any request violated the spec (for CI gating)
  -h, --help           show this help

Exit status: 0 when the report was written, whether or not requests violated the spec (unless
--fail-on-violation); 1 when a journal line cannot be read (the message names the file, the
line number and what is wrong), the report cannot be written, or --fail-on-violation finds a
violation; 2 on a usage error or a journal file that cannot be opened.

Example:
  matrix-mockserver --journal-out journal.jsonl &
  ... run the client under test ...
  matrix-conformance report journal.jsonl --format junit --output spec-report.xml
)";

int usage_error(const std::string& message) {
    std::cerr << "matrix-conformance report: " << message
              << " (see matrix-conformance report --help)\n";
    return 2;
}

struct ReportArguments {
    std::string journal;
    mock::ReportFormat format = mock::ReportFormat::markdown;
    std::optional<std::string> output;
    bool fail_on_violation = false;
};

// The arguments, or the exit status to return at once (help, or a usage error).
std::optional<int> parse(int argc, char** argv, ReportArguments& arguments) {
    bool have_journal = false;
    for (int i = 0; i < argc; ++i) {
        const std::string argument = argv[i];
        if (argument == "-h" || argument == "--help") {
            std::cout << kReportUsage;
            return 0;
        }
        if (argument == "--format" || argument == "--output") {
            if (i + 1 >= argc) return usage_error(argument + " needs a value");
            const std::string value = argv[++i];
            if (argument == "--output") {
                arguments.output = value;
                continue;
            }
            const auto format = mock::report_format_from_string(value);
            if (!format) {
                return usage_error("--format must be markdown, json or junit, got '" + value + "'");
            }
            arguments.format = *format;
            continue;
        }
        if (argument == "--fail-on-violation") {
            arguments.fail_on_violation = true;
            continue;
        }
        if (argument.starts_with("-") && argument != "-") {
            return usage_error("unknown option " + argument);
        }
        if (have_journal) return usage_error("one journal file only, got a second: " + argument);
        arguments.journal = argument;
        have_journal = true;
    }
    if (!have_journal) return usage_error("no journal file given");
    return std::nullopt;
}

}  // namespace

int run_report_command(int argc, char** argv) {
    ReportArguments arguments;
    if (const std::optional<int> status = parse(argc, argv, arguments)) return *status;

    mock::ConformanceReport report;
    try {
        if (arguments.journal == "-") {
            mock::add_journal_lines(report, std::cin, "<stdin>");
        } else {
            std::ifstream in(arguments.journal, std::ios::binary);
            if (!in) {
                std::cerr << "matrix-conformance report: cannot open journal file "
                          << arguments.journal << "\n";
                return 2;
            }
            mock::add_journal_lines(report, in, arguments.journal);
        }
    } catch (const mock::JournalLineError& e) {
        std::cerr << "matrix-conformance report: " << e.what() << "\n";
        return 1;
    }

    std::string text = mock::render(report, arguments.format);
    if (!text.ends_with('\n')) text += '\n';  // the JSON rendering is one line without one
    if (arguments.output) {
        std::ofstream out(*arguments.output, std::ios::binary);
        out << text;
        out.flush();
        if (!out) {
            std::cerr << "matrix-conformance report: cannot write " << *arguments.output << "\n";
            return 1;
        }
    } else {
        std::cout << text;
        std::cout.flush();
        if (!std::cout) {
            std::cerr << "matrix-conformance report: cannot write to standard output\n";
            return 1;
        }
    }
    if (arguments.fail_on_violation && report.any_violation()) {
        const mock::ReportTotals totals = report.totals();
        std::cerr << "matrix-conformance report: " << totals.violating << " of "
                  << totals.identified << " identified requests violated the spec\n";
        return 1;
    }
    return 0;
}

}  // namespace matrix::conformance
