#!/usr/bin/env bash
# Runs the matrix-js-sdk flow (js_sdk_flow.mjs) against a fresh matrix-mockserver and lists the requests it made.
#
# Usage: run_js_sdk_flow.sh MOCKSERVER_BINARY [extra mockserver args...]   (e.g. --versions r0)
# With JS_SDK_REPORT_DIR set, the spec conformance report of the client's requests is kept
# there as js-sdk-conformance.md, .json and .xml (JUnit).
# Installs node/npm from Debian when missing and the npm packages from package-lock.json when
# node_modules is missing or older than the lock file. Exits with the flow's status.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=flow_harness.sh
source "$here/flow_harness.sh"
flow_name=js-sdk
flow_check_mockserver "$@"
mockserver=$1
shift

# --- Node.js, npm and the npm packages -------------------------------------------------------
flow_npm_install

# --- mock server -----------------------------------------------------------------------------
flow_start_mockserver "$mockserver" "$@"

# --- the flow --------------------------------------------------------------------------------
user="jsflow$$"
status=0
(cd "$here" && timeout --kill-after=5 60 node js_sdk_flow.mjs "$base_url" "$user" "conformance-password") || status=$?
if [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "js-sdk flow failed at step \"overall\": killed by the 60 s timeout"
fi

# --- what the client asked for, and whether it followed the spec ----------------------------
# The client's normal traffic must be all identified and free of spec violations: otherwise the
# flow fails (flow_journal_verdict lists the requests, those answered 4xx/5xx, and the verdicts).
echo "== requests the js-sdk made (method, operation, count, statuses)"
verdict=0
flow_journal_verdict || verdict=$?

# --- the conformance report over the same journal, in its three formats ----------------------
flow_write_reports "$mockserver" "${JS_SDK_REPORT_DIR:-}" || status=1

if [[ $verdict -ne 0 ]]; then
    echo "js-sdk flow failed at step \"spec verdicts\": the requests above are unidentified or break the spec"
    if [[ $status -eq 0 ]]; then status=1; fi
fi

exit "$status"
