#!/usr/bin/env bash
# Runs the matrix-nio flow (nio_flow.py) against a fresh matrix-mockserver and lists the requests it made.
#
# Usage: run_nio_flow.sh MOCKSERVER_BINARY [extra mockserver args...]
# With NIO_REPORT_DIR set, the spec conformance report of the client's requests is kept there as
# nio-conformance.md, .json and .xml (JUnit).
# Runs the flow with Debian's python3 (/usr/bin/python3, where python3-matrix-nio installs) and
# installs python3-matrix-nio from Debian when it cannot import nio. Exits with the flow's status.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=flow_harness.sh
source "$here/flow_harness.sh"
flow_name=nio
flow_check_mockserver "$@"
mockserver=$1
shift

# --- Python and matrix-nio -------------------------------------------------------------------
# Debian's interpreter, not whichever python3 comes first on PATH (pyenv, a venv): the Debian
# package is importable from it only.
python=/usr/bin/python3
if ! "$python" -c 'import nio' >/dev/null 2>&1; then
    flow_apt_install python3-matrix-nio
fi
echo "== $("$python" --version), matrix-nio $("$python" -c 'import importlib.metadata as m; print(m.version("matrix-nio"))')"

# --- mock server -----------------------------------------------------------------------------
flow_start_mockserver "$mockserver" "$@"

# --- the flow --------------------------------------------------------------------------------
# The flow bounds itself at 120 s; the timeout here catches a hang outside its event loop.
prefix="nioflow$$"
status=0
timeout --kill-after=5 130 "$python" "$here/nio_flow.py" "$base_url" "$prefix" "conformance-password" || status=$?
if [[ $status -eq 124 || $status -eq 137 ]]; then
    echo "nio flow failed at step \"overall\": killed by the 130 s timeout"
fi

# --- what the client asked for, and whether it followed the spec ----------------------------
# Every request except the harness's own /__admin calls, by the spec operation the server
# identified, with a count and the statuses it got; then the ones answered 404 (what the server
# lacked). The client's traffic must be all identified and free of spec violations (the
# journal's "operation" and "violations"), and answered below 400 except for the one request the
# flow makes with a logged-out token: otherwise the flow fails, listing them.
echo "== requests matrix-nio made (method, operation, count, statuses)"
verdict=0
"$python" - "$journal" <<'EOF' || verdict=$?
import json
import os
import sys

path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n") if os.path.exists(path) else []
seen = {}
unidentified, violating, failed = [], [], []
requests = 0
# The flow's one expected error: whoami with the token logout revoked.
expected_errors = {("GET", "getTokenOwner", 401)}
for line in lines:
    if not line.strip():
        continue
    try:
        entry = json.loads(line)
    except ValueError:
        continue
    if not isinstance(entry.get("path"), str) or entry["path"].startswith("/__admin"):
        continue
    requests += 1
    operation = entry.get("operation")
    key = f"{entry['method']} {operation or '(no spec operation) ' + entry['path']}"
    row = seen.setdefault(key, {"count": 0, "statuses": [], "example": entry["path"]})
    row["count"] += 1
    if entry.get("status") not in row["statuses"]:
        row["statuses"].append(entry.get("status"))
    if operation is None:
        unidentified.append(entry)
    if entry.get("violations"):
        violating.append(entry)
    status = entry.get("status") or 0
    if status >= 400 and (entry["method"], operation, status) not in expected_errors:
        failed.append(entry)
if not seen:
    print("  (none)")
for key, row in seen.items():
    print(f"  {key}  x{row['count']}  [{','.join(str(s) for s in row['statuses'])}]")
print("== answered 404 (the server lacked them)")
missing = [(key, row) for key, row in seen.items() if 404 in row["statuses"]]
if not missing:
    print("  (none)")
for key, row in missing:
    print(f"  {key}  e.g. {row['example']}")
print(f"== spec verdicts: {requests} requests, {len(unidentified)} unidentified, "
      f"{len(violating)} violating, {len(failed)} unexpectedly answered 4xx/5xx")
for entry in unidentified:
    print(f"  unidentified: #{entry['id']} {entry['method']} {entry['target']}")
for entry in violating:
    for v in entry["violations"]:
        print(f"  violation: #{entry['id']} {entry['operation']} {v['where']} [{v['rule']}] "
              f"{v['message']}")
for entry in failed:
    print(f"  error status: #{entry['id']} {entry['method']} {entry['target']} -> {entry['status']}")
sys.exit(3 if unidentified or violating or failed else 0)
EOF
# --- the conformance report over the same journal, in its three formats ----------------------
flow_write_reports "$mockserver" "${NIO_REPORT_DIR:-}" || status=1

if [[ $verdict -ne 0 ]]; then
    echo "nio flow failed at step \"spec verdicts\": the requests above are unidentified, break the spec or failed"
    if [[ $status -eq 0 ]]; then status=1; fi
fi

exit "$status"
