#!/usr/bin/env bash
# Runs the dashboard's browser test (dashboard_test.mjs: Debian's Chromium headless, driven by
# puppeteer-core) against a fresh matrix-mockserver with its simulation on.
#
# Usage: run_dashboard_test.sh MOCKSERVER_BINARY [extra mockserver args...]
# The screenshot goes to $UI_ARTIFACT_DIR/dashboard.png; without UI_ARTIFACT_DIR, to
# ui-artifacts/ in the build directory holding the binary (build/ui-artifacts for
# build/bin/matrix-mockserver). Needs /usr/bin/chromium (Debian package chromium, which
# ci/install-deps.sh installs); installs node/npm from Debian when missing and the npm packages
# of conformance/clients/package-lock.json (puppeteer-core, never a browser download) when
# node_modules is missing or older than the lock file. Exits with the test's status.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../clients/flow_harness.sh
source "$here/../clients/flow_harness.sh"
flow_name=ui-dashboard
flow_check_mockserver "$@"
mockserver=$1
shift

chromium=/usr/bin/chromium
if [[ ! -x $chromium ]]; then
    echo "dashboard browser test failed at step \"chromium\": $chromium is missing; install the Debian package chromium (bash ci/install-deps.sh does)" >&2
    exit 1
fi

artifact_dir=${UI_ARTIFACT_DIR:-$(cd "$(dirname "$mockserver")/.." && pwd)/ui-artifacts}
screenshot=$artifact_dir/dashboard.png
rm -f "$screenshot" "$artifact_dir/dashboard-failure.png" # an earlier run's must not pass for this one's

# --- Node.js, npm and puppeteer-core ---------------------------------------------------------
# puppeteer-core downloads no browser itself; the variable also keeps any puppeteer package
# from fetching one during npm ci.
export PUPPETEER_SKIP_DOWNLOAD=1
flow_npm_install
echo "== puppeteer-core $(cd "$flow_dir" && node -p 'require("puppeteer-core/package.json").version')"

# --- mock server (simulation on: it answers the test's requests) -----------------------------
flow_start_mockserver "$mockserver" "$@"

# --- the browser test ------------------------------------------------------------------------
status=0
timeout --kill-after=5 120 node "$here/dashboard_test.mjs" "$base_url" "$screenshot" "$chromium" || status=$?
if [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "dashboard browser test failed at step \"overall\": killed by the 120 s timeout"
fi
if [[ $status -ne 0 ]]; then
    echo "== mock server output"
    cat "$work/server.log"
fi
exit "$status"
