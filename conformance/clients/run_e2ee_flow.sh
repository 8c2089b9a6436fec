#!/usr/bin/env bash
# Runs the end-to-end encryption flow (e2ee_flow.mjs: two matrix-js-sdk clients with the Rust
# crypto exchange megolm-encrypted messages) against a fresh matrix-mockserver and lists the
# requests they made.
#
# Usage: run_e2ee_flow.sh MOCKSERVER_BINARY [extra mockserver args...]
# With E2EE_REPORT_DIR set, the spec conformance report of the clients' requests is kept there
# as e2ee-conformance.md, .json and .xml (JUnit).
# Installs node/npm from Debian when missing and the npm packages (matrix-js-sdk and
# @matrix-org/matrix-sdk-crypto-wasm) from package-lock.json when node_modules is missing or
# older than the lock file. Exits with the flow's status.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=flow_harness.sh
source "$here/flow_harness.sh"
flow_name=e2ee
flow_check_mockserver "$@"
mockserver=$1
shift

# --- Node.js, npm and the npm packages -------------------------------------------------------
flow_npm_install
# The wasm package exports no ./package.json, so its version is read from the file.
echo "== matrix-sdk-crypto-wasm $(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).version' \
    "$here/node_modules/@matrix-org/matrix-sdk-crypto-wasm/package.json")"

# --- mock server -----------------------------------------------------------------------------
flow_start_mockserver "$mockserver" "$@"

# --- the flow --------------------------------------------------------------------------------
# The flow bounds itself at 120 s; the timeout here catches a hang outside its event loop.
prefix="e2eeflow$$"
status=0
(cd "$here" && timeout --kill-after=5 130 node e2ee_flow.mjs "$base_url" "$prefix" "conformance-password") || status=$?
if [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "e2ee flow failed at step \"overall\": killed by the 130 s timeout"
fi

# --- what the clients asked for, and whether they followed the spec -------------------------
# The clients' traffic must be all identified and free of spec violations: otherwise the flow
# fails (flow_journal_verdict lists the requests, those answered 4xx/5xx, and the verdicts).
echo "== requests the two clients made (method, operation, count, statuses)"
verdict=0
flow_journal_verdict || verdict=$?

# --- the conformance report over the same journal, in its three formats ----------------------
flow_write_reports "$mockserver" "${E2EE_REPORT_DIR:-}" || status=1

if [[ $verdict -ne 0 ]]; then
    echo "e2ee flow failed at step \"spec verdicts\": the requests above are unidentified or break the spec"
    if [[ $status -eq 0 ]]; then status=1; fi
fi

exit "$status"
