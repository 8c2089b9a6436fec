#!/usr/bin/env bash
# Builds the whole test suite with a sanitizer into its own build dir and runs ctest there.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    cat <<'EOF'
usage: ci/sanitize.sh asan|tsan

  asan  AddressSanitizer + UndefinedBehaviorSanitizer (-fno-sanitize-recover=all, so any
        report fails the test), built into build-asan/
  tsan  ThreadSanitizer, built into build-tsan/, with the suppressions in ci/tsan.supp

Both build with -O1 -g and MATRIX_WERROR=OFF (the gcc warning policy is the normal build's
job; some warnings differ under instrumentation), then run ctest in parallel. Excluded:
  clients  the matrix-js-sdk flow needs npm and the network; it tests JavaScript, not us
  bench    (tsan only) bench.Smoke runs single-threaded timing loops: nothing for TSan to
           find, and minutes of instrumented work
  timing   tests asserting wall-clock upper bounds (retry waits, idle connections not
           delaying a request): instrumented code on a busy 2-core machine misses them by
           seconds; they test latency, not memory or thread safety, and ci/test.sh runs them
  (tsan) SyncDecoders*: single-threaded decoder agreement over large corpora, which outgrows
           its 60 s timeout under TSan and has no threads to check
  (asan) SyncDecodersFuzz.EveryProperPrefixOfATinyCorpusIsAnError: outgrows its 60 s timeout;
           the sync_decoder fuzz target runs the decoder under ASan instead
Extra arguments after the mode go to ctest (e.g. -R Journal).
EOF
}

if [ $# -lt 1 ]; then
    usage >&2
    exit 2
fi
mode=$1
shift

# Wall-clock upper bounds (see usage): measured failing under TSan on 2 busy cores.
timing_tests="^RetryPolicy\\.(IsOffByDefaultSoA429ComesBackAtOnce|WaitsTheRetryAfterMsA429AsksForThenRetriesOnce"
timing_tests+="|WaitsTheRetryAfterHeaderWhenTheBodyGivesNoRetryAfterMs|BacksOffExponentiallyAfter5xxAndReallyWaits"
timing_tests+="|ReturnsA429AtOnceWhenTheServerAsksForMoreThanMaxRateLimitWait"
timing_tests+="|PassesEveryPlannedWaitToTheSleepHookInsteadOfSleeping)$"
timing_tests+="|^MockHomeserverLimits\\.IdleAndHalfSentConnectionsDoNotDelayAFreshRequest$"

case "$mode" in
asan)
    build_dir=build-asan
    sanitize_flags="-fsanitize=address,undefined -fno-sanitize-recover=all"
    exclude_labels="clients"
    # This one walks every prefix of a corpus through the decoder and timed out at 60 s under
    # ASan; the sync_decoder fuzz target (ci/fuzz.sh) runs the decoder under ASan instead.
    exclude_tests="$timing_tests|^SyncDecodersFuzz\\.EveryProperPrefixOfATinyCorpusIsAnError$"
    # detect_leaks is on by default with ASan on Linux; spelled out because leaks are a goal.
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    ;;
tsan)
    build_dir=build-tsan
    sanitize_flags="-fsanitize=thread"
    exclude_labels="clients|bench"
    exclude_tests="$timing_tests|^SyncDecodersAgree\\.|^SyncDecodersFuzz\\."
    export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/ci/tsan.supp"
    ;;
-h | --help)
    usage
    exit 0
    ;;
*)
    echo "ci/sanitize.sh: unknown mode '$mode' (expected asan or tsan)" >&2
    usage >&2
    exit 2
    ;;
esac

ci/install-deps.sh
start=$(date +%s)
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g -fno-omit-frame-pointer $sanitize_flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitize_flags" -DCMAKE_SHARED_LINKER_FLAGS="$sanitize_flags" \
    -DMATRIX_WERROR=OFF >/dev/null
cmake --build "$build_dir" --parallel "$(nproc)"
built=$(date +%s)
# Instrumented tests run several times slower; the per-test TIMEOUTs are scaled to match.
status=0
ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" \
    --label-exclude "$exclude_labels" --exclude-regex "$exclude_tests" --timeout 600 "$@" ||
    status=$?
done_at=$(date +%s)
echo "ci/sanitize.sh $mode: build $((built - start)) s, tests $((done_at - built)) s, exit $status"
exit "$status"
