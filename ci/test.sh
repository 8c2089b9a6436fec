#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every ctest test.
# Run one kind with e.g. `ctest --test-dir build -L unit` afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/build.sh
ctest --test-dir build --output-on-failure --parallel "$(nproc)"
