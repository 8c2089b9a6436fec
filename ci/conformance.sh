#!/usr/bin/env bash
# The README's main job: builds, then runs the conformance runner over every shipped vector file.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/build.sh
build/bin/matrix-conformance "$@" fixtures/vectors/
