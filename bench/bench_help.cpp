#include "bench_help.hpp"

#include <benchmark/benchmark.h>

#include <iostream>
#include <string_view>

namespace matrix::bench {

namespace {

constexpr std::string_view kUsage =
    R"(matrix-bench: Google Benchmark suites for matrix-conformance's hot paths, each measured
against what users would otherwise write, in the same run (interleave them on a noisy machine).

Suites (--benchmark_filter=REGEX picks them; --benchmark_list_tests lists every name):
  BM_Encode/<form>             matrix::encode(): arguments to HTTP/1.1 bytes, one per seed form
                               (allocations counted per call: the "allocs" counter)
  BM_EncodeRequestValue/<form> matrix::build() then render(): the value the hot path is compared to
  BM_EncodeTyped/...           the typed api:: builder straight to bytes
  BM_EncodeBaselineNlohmann/...  the same request written by hand with nlohmann::json
  BM_SyncDecode/<corpus>       typed /sync decoding with simdjson (small, medium, large corpora)
  BM_SyncDecodeFromView/...    the same from a caller-owned buffer
  BM_SyncDecodeBaseline*/...   nlohmann and RapidJSON DOM decoders producing the same structs
  BM_Simulation*               waking held /syncs and an empty incremental /sync, without sockets
  BM_Intake*                   request-body intake: the mock server's HTTP layer vs cpp-httplib
  BM_Validate*                 checking one request against the spec (matrix::validate_request)

The comparisons in bench/RESULTS.md, each with the numbers it produced:
  matrix-bench --benchmark_filter='Encode' --benchmark_repetitions=9 --benchmark_min_time=0.2 \
      --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
  matrix-bench --benchmark_filter='SyncDecode.*/(small|medium)' --benchmark_repetitions=9 \
      --benchmark_enable_random_interleaving=true --benchmark_report_aggregates_only=true
  matrix-bench --benchmark_filter=Simulation --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
  matrix-bench --benchmark_filter=Intake --benchmark_repetitions=7 --benchmark_report_aggregates_only=true
  matrix-bench --benchmark_filter=Validate --benchmark_repetitions=7 --benchmark_report_aggregates_only=true
Quote medians and ratios from one run, not absolute times. Where the time goes (instructions
per call under callgrind, or a perf profile): bench/profile.sh --help.

Google Benchmark's flags:
)";

}  // namespace

void print_usage() {
    std::cout << kUsage << std::flush;
    benchmark::PrintDefaultHelp();
}

}  // namespace matrix::bench
