// What `matrix-bench --help` prints before Google Benchmark's own flags: the suites this binary
// holds, the comparisons each makes in the same run, and the commands bench/RESULTS.md uses.
#pragma once

namespace matrix::bench {

// Prints the suites and comparisons, then Google Benchmark's own flags; passed to
// benchmark::Initialize, which calls it for --help (and for a malformed flag) and exits.
void print_usage();

}  // namespace matrix::bench
