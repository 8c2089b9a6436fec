#!/usr/bin/env bash
# Installs missing dependencies, then configures and builds the project into build/.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
cmake --build build --parallel "$(nproc)"
