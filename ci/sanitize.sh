#!/usr/bin/env bash
# Builds the whole test suite with a sanitizer into its own build dir and runs ctest there.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    cat <<'EOF'
usage: ci/sanitize.sh asan|tsan [CTEST-ARGS...]

  asan  AddressSanitizer + UndefinedBehaviorSanitizer (-fno-sanitize-recover=all, so any
        report fails the test), built into build-asan/: the whole test suite
  tsan  ThreadSanitizer, built into build-tsan/, with the suppressions in ci/tsan.supp: the
        tests that run threads only (labels mockserver and wire, and the http_request fuzz
        replay), and only the targets they need

Both build with -O1 -g and MATRIX_WERROR=OFF (the gcc warning policy is the normal build's
job; some warnings differ under instrumentation), then run ctest in parallel. What is left out
is chosen by ctest label only (set where the tests are registered; docs/testing.md):
  clients  the matrix-js-sdk and matrix-nio flows need npm or apt and the network; they test
           JavaScript and Python, not us
  ui       the dashboard's browser test drives Chromium (Debian's chromium, puppeteer-core
           from npm) against the page: it tests the page's HTML and JavaScript, not our
           memory or threads
  timing   tests asserting wall-clock upper bounds (retry waits, idle connections not
           delaying a request): instrumented code on a busy 2-core machine misses them by
           seconds; they test latency, not memory or thread safety, and ci/test.sh runs them
  (tsan) only labels mockserver, wire and threads (the http_request fuzz replay) run; the
           single-threaded tests are neither built nor run: labels unit (SDK encoding, JSON,
           builders, /sync decoder and corpus, conformance loader/comparator/CLI),
           conformance (every vector at builder level; vector_wire_tests runs the same vectors
           on the wire under TSan), bench, and the fuzz replays other than http_request.
           They start no thread, so TSan has nothing to check there; asan runs them.
           Measured on a fresh clone, 2 busy cores: the whole suite under TSan took 718 s to
           build and 378 s to test (18.3 min), too much next to the rest of .ci/run's
           45-minute budget; the threaded part (the mock server's worker pool, journal,
           admin API and load test, the HTTP client, everything over the wire) took 653 s to
           build and 211 s to test
  (asan) label slow_under_asan (SyncDecodersFuzz.EveryProperPrefixOfATinyCorpusIsAnError):
           outgrows its 60 s timeout; the sync_decoder fuzz target runs the decoder under ASan
           instead
Extra arguments after the mode go to ctest (e.g. -R Journal).
EOF
}

if [ $# -lt 1 ]; then
    usage >&2
    exit 2
fi
mode=$1
shift

include_labels=""
build_targets=()
case "$mode" in
asan)
    build_dir=build-asan
    sanitize_flags="-fsanitize=address,undefined -fno-sanitize-recover=all"
    exclude_labels="^(clients|ui|timing|slow_under_asan)$"
    # detect_leaks is on by default with ASan on Linux; spelled out because leaks are a goal.
    export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
    ;;
tsan)
    build_dir=build-tsan
    sanitize_flags="-fsanitize=thread"
    # Only the tests that run threads (see usage), and only the targets they need.
    include_labels="^(mockserver|wire|threads)$"
    exclude_labels="^(clients|ui|timing)$"
    build_targets=(
        mock_matching_tests mock_journal_tests mock_homeserver_tests mock_binary_tests
        mock_simulation_tests mock_sync_corpus_tests mock_limits_tests mock_connection_tests
        mock_typed_mock_tests mock_seeding_tests mock_record_tests
        client_tests vector_wire_tests conformance_wire_tests
        matrix-mockserver matrix-conformance guest-login-example password-login-example
        fuzz_http_request
    )
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
cmake --build "$build_dir" --parallel "$(nproc)" ${build_targets[@]+--target "${build_targets[@]}"}
built=$(date +%s)
# Instrumented tests run several times slower; the per-test TIMEOUTs are scaled to match.
status=0
ctest --test-dir "$build_dir" --output-on-failure --parallel "$(nproc)" \
    ${include_labels:+--label-regex "$include_labels"} --label-exclude "$exclude_labels" \
    --timeout 600 "$@" ||
    status=$?
done_at=$(date +%s)
echo "ci/sanitize.sh $mode: build $((built - start)) s, tests $((done_at - built)) s, exit $status"
exit "$status"
