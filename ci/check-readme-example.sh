#!/usr/bin/env bash
# The README's in-process example must be the code ci/check-install.sh compiles and runs: the
# lines between "// README example begins" and "// README example ends" in
# cmake/consumer/typed_mock_example.cpp must appear in README.md as one contiguous block.
set -euo pipefail
cd "$(dirname "$0")/.."

source=cmake/consumer/typed_mock_example.cpp
example=$(awk '/\/\/ README example ends/ { quoting = 0 }
               quoting { print }
               /\/\/ README example begins/ { quoting = 1 }' "$source")
if [ -z "$example" ]; then
    echo "ci/check-readme-example.sh: $source has no lines between the README example markers"
    exit 1
fi
if ! python3 - "$example" <<'PY'
import sys
example = sys.argv[1]
sys.exit(0 if example + "\n" in open("README.md", encoding="utf-8").read() else 1)
PY
then
    echo "ci/check-readme-example.sh: README.md does not quote the example in $source verbatim;"
    echo "  copy the lines between its README markers into README.md's in-process section"
    exit 1
fi
echo "ci/check-readme-example.sh: README.md quotes $source's compiled example"
