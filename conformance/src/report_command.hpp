// `matrix-conformance report`: the spec conformance report over a journal file.
#pragma once

namespace matrix::conformance {

// Runs the subcommand with the arguments after "report"; returns the exit status.
int run_report_command(int argc, char** argv);

}  // namespace matrix::conformance
