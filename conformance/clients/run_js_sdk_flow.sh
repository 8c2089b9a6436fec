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

# --- Node.js and npm -------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    flow_apt_install nodejs npm
fi
echo "== node $(node --version), npm $(npm --version)"

# --- npm packages ----------------------------------------------------------------------------
if [[ ! -d $here/node_modules || $here/package-lock.json -nt $here/node_modules ]]; then
    echo "== npm ci in $here"
    (cd "$here" && npm ci --no-audit --no-fund)
    touch "$here/node_modules"
fi
echo "== matrix-js-sdk $(cd "$here" && node -p 'require("matrix-js-sdk/package.json").version')"

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
# Every request except the harness's own /__admin calls, by the spec operation the server
# identified, with a count and the statuses it got; then the ones answered 404 (what the server
# lacked). The client's normal traffic must be all identified and free of spec violations (the
# journal's "operation" and "violations"): otherwise the flow fails, listing them.
echo "== requests the js-sdk made (method, operation, count, statuses)"
verdict=0
node - "$journal" <<'EOF' || verdict=$?
const fs = require("fs");
const lines = fs.existsSync(process.argv[2]) ? fs.readFileSync(process.argv[2], "utf8").split("\n") : [];
const seen = new Map();
const unidentified = [];
const violating = [];
let requests = 0;
for (const line of lines) {
    if (!line.trim()) continue;
    let entry;
    try { entry = JSON.parse(line); } catch { continue; }
    if (typeof entry.path !== "string" || entry.path.startsWith("/__admin")) continue;
    requests += 1;
    const key = `${entry.method} ${entry.operation ?? "(no spec operation) " + entry.path}`;
    const row = seen.get(key) ?? { count: 0, statuses: new Set(), example: entry.path };
    row.count += 1;
    row.statuses.add(entry.status);
    seen.set(key, row);
    if (entry.operation === null) unidentified.push(entry);
    if ((entry.violations ?? []).length > 0) violating.push(entry);
}
if (seen.size === 0) console.log("  (none)");
for (const [key, row] of seen) {
    console.log(`  ${key}  x${row.count}  [${[...row.statuses].join(",")}]`);
}
const missing = [...seen].filter(([, row]) => row.statuses.has(404));
console.log("== answered 404 (the server lacked them)");
if (missing.length === 0) console.log("  (none)");
for (const [key, row] of missing) console.log(`  ${key}  e.g. ${row.example}`);
console.log(`== spec verdicts: ${requests} requests, ${unidentified.length} unidentified, ` +
            `${violating.length} violating`);
for (const entry of unidentified) console.log(`  unidentified: #${entry.id} ${entry.method} ${entry.target}`);
for (const entry of violating) {
    for (const v of entry.violations)
        console.log(`  violation: #${entry.id} ${entry.operation} ${v.where} [${v.rule}] ${v.message}`);
}
process.exit(unidentified.length + violating.length > 0 ? 3 : 0);
EOF
# --- the conformance report over the same journal, in its three formats ----------------------
flow_write_reports "$mockserver" "${JS_SDK_REPORT_DIR:-}" || status=1

if [[ $verdict -ne 0 ]]; then
    echo "js-sdk flow failed at step \"spec verdicts\": the requests above are unidentified or break the spec"
    if [[ $status -eq 0 ]]; then status=1; fi
fi

exit "$status"
