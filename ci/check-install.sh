#!/usr/bin/env bash
# Installs the built project into a scratch prefix and builds an outside project against it
# with find_package(MatrixConformance), as a user would.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install build --prefix "$scratch/prefix" >/dev/null
cmake -S cmake/consumer -B "$scratch/build" -DCMAKE_PREFIX_PATH="$scratch/prefix" \
      -DEXAMPLE_SOURCE="$PWD/sdk/examples/build_requests.cpp" >/dev/null
cmake --build "$scratch/build" >/dev/null
"$scratch/build/consumer" | grep -q "PUT https://matrix.org/_matrix/client/r0/rooms/%21room%3Amatrix.org/send/m.room.message/txn-1"
"$scratch/build/mock-round-trip" | grep -q "whoami answered 200"
"$scratch/build/typed-mock-example" --gtest_brief=1 >/dev/null
echo "ci/check-install.sh: find_package(MatrixConformance) with matrix::sdk, matrix::client and"
echo "  matrix::mockserver works from an install, and the typed-mock example passes with"
echo "  matrix::mock_testing"
