#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and fuzzes each one.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(percent_encoding json_writer sync_decoder vector_file mapping_file http_request http_parsing)

usage() {
    cat <<EOF
usage: ci/fuzz.sh SECONDS [TARGET...]

Builds every fuzz target with clang -fsanitize=fuzzer,address,undefined into build-fuzz/, then
runs each TARGET (default: all of ${all_targets[*]}) for SECONDS, $(nproc) at a time (nproc).
Each run starts from the committed seeds in fixtures/fuzz/TARGET/ and grows its corpus in
build-fuzz/corpus/TARGET/ (kept between runs). Prints the executions and any finding per
target; exits non-zero when any target found something. A finding's input is saved as
build-fuzz/findings/TARGET/crash-* (or leak-*, timeout-*, oom-*); replay it with
  build-fuzz/bin/fuzz_TARGET FILE
and, once fixed, add it to fixtures/fuzz/TARGET/ so the ctest replay (label fuzz) keeps it.
Needs clang and libclang-rt-14-dev (installed when missing).
EOF
}

if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    usage
    [ $# -ge 1 ] && exit 0
    exit 2
fi
seconds=$1
shift
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
    echo "ci/fuzz.sh: SECONDS must be a positive whole number, got '$seconds'" >&2
    exit 2
fi
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
    if [ ! -d "fixtures/fuzz/$target" ]; then
        echo "ci/fuzz.sh: unknown target '$target' (known: ${all_targets[*]})" >&2
        exit 2
    fi
done

# clang ships libFuzzer and the sanitizer runtimes in libclang-rt-14-dev on Debian 12
# (libfuzzer-14-dev is only needed to link a custom main(), which we do not).
ci/install-deps.sh
missing=()
for package in clang libclang-rt-14-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "ci/fuzz.sh: installing ${missing[*]}"
    sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
fi

# fuzzer-no-link instruments every library for coverage; only the targets link libFuzzer's
# main (cmake/Fuzz.cmake). The tests are not built: the targets are all this job needs.
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined"
# pointer-overflow alone may recover, so that ci/ubsan.supp can name the one known case (in
# RapidJSON); with halt_on_error=1 every unsuppressed report still stops the run.
flags+=" -fno-sanitize-recover=all -fsanitize-recover=pointer-overflow"
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DMATRIX_FUZZ=ON -DMATRIX_BUILD_TESTS=OFF -DMATRIX_WERROR=OFF >/dev/null
cmake --build build-fuzz --parallel "$(nproc)" --target "${targets[@]/#/fuzz_}"

export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$PWD/ci/ubsan.supp"
# Leak checking stays on: a leak per input is a finding like any other.
export ASAN_OPTIONS="detect_leaks=1"

# Runs one target; its log is build-fuzz/logs/TARGET.log.
run_one() {
    local target=$1
    # Findings are per run; the corpus is kept.
    rm -rf "build-fuzz/findings/$target"
    mkdir -p "build-fuzz/corpus/$target" "build-fuzz/findings/$target" build-fuzz/logs
    # -timeout: one input taking 10 s is a hang (the HTTP target waits at most 1 s per input).
    # -rss_limit_mb: the default 2 GB, spelled out; the mock server's state is bounded by it.
    "build-fuzz/bin/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="build-fuzz/findings/$target/" \
        "build-fuzz/corpus/$target" "fixtures/fuzz/$target" >"build-fuzz/logs/$target.log" 2>&1
}

# Two (nproc) at a time: each run is one process on one core. Exit codes go to a file, since
# `wait -n` reaps a run before the loop below would wait for it.
running=0
for target in "${targets[@]}"; do
    if [ "$running" -ge "$(nproc)" ]; then
        wait -n || true
        running=$((running - 1))
    fi
    echo "ci/fuzz.sh: fuzzing $target for $seconds s"
    (
        status=0
        run_one "$target" || status=$?
        echo "$status" >"build-fuzz/logs/$target.status"
    ) &
    running=$((running + 1))
done
wait

failed=0
for target in "${targets[@]}"; do
    status=$(cat "build-fuzz/logs/$target.status")
    log="build-fuzz/logs/$target.log"
    executions=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' || true)
    findings=$(find "build-fuzz/findings/$target" -type f | wc -l)
    if [ "$status" -eq 0 ] && [ "$findings" -eq 0 ]; then
        echo "ci/fuzz.sh: $target: ${executions:-?} executions in $seconds s, no finding"
    else
        failed=1
        echo "ci/fuzz.sh: $target: FINDING after ${executions:-?} executions (exit $status); see $log"
        grep -m1 -E 'ERROR: |fuzz finding:|runtime error:|deadly signal' "$log" || true
        find "build-fuzz/findings/$target" -type f -printf '  input: %p\n'
    fi
done
exit "$failed"
