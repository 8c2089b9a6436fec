#!/usr/bin/env bash
# Configures an outer project that adds this one with add_subdirectory (cmake/subproject/), as a
# consumer build does, with GoogleTest, Google Benchmark and nlohmann_json made unfindable: a
# consumer needs only what the libraries need, so configuring must not reach those
# find_package calls (CMAKE_DISABLE_FIND_PACKAGE_<name> turns a REQUIRED one into an error).
# --build also builds the outer project's SDK consumer against the subproject's matrix::sdk.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
-h | --help)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'
    echo "usage: ci/check-subproject.sh [--build]"
    exit 0
    ;;
"" | --build) ;;
*)
    echo "ci/check-subproject.sh: unknown argument '$1' (expected --build or nothing)" >&2
    exit 2
    ;;
esac

# Under build/, so ccache's base directory covers it like the main build.
scratch=build/subproject-check
rm -rf "$scratch"
mkdir -p build
log=$scratch.log
if ! cmake -S cmake/subproject -B "$scratch" -DMATRIX_SOURCE_DIR="$PWD" \
    -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON \
    -DCMAKE_DISABLE_FIND_PACKAGE_nlohmann_json=ON >"$log" 2>&1; then
    cat "$log" >&2
    echo "ci/check-subproject.sh: configuring matrix-conformance as a subproject failed" \
        "(log above, also in $log)" >&2
    exit 1
fi
# Nothing of the tests or benchmarks may be configured in: no ctest file lists a test.
if grep -rlq "add_test" "$scratch/matrix-conformance" --include=CTestTestfile.cmake 2>/dev/null; then
    echo "ci/check-subproject.sh: the subproject build registers tests; MATRIX_BUILD_TESTS" \
        "should default to OFF when matrix-conformance is not the top-level project" >&2
    exit 1
fi
if [ "${1:-}" = --build ]; then
    cmake --build "$scratch" --target consumer --parallel "$(nproc)" >"$log" 2>&1 ||
        { cat "$log" >&2; exit 1; }
    "$scratch/consumer" | grep -q "PUT https://matrix.org/_matrix/client/r0/rooms/"
fi
rm -rf "$scratch" "$log"
echo "ci/check-subproject.sh: matrix-conformance configures as a subproject without GoogleTest," \
    "Google Benchmark or nlohmann_json"
