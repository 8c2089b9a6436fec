#!/usr/bin/env bash
# Runs the matrix-nio flow (nio_flow.py) against a fresh matrix-mockserver and lists the requests it made.
#
# Usage: run_nio_flow.sh MOCKSERVER_BINARY [extra mockserver args...]
# With NIO_REPORT_DIR set, the spec conformance report of the client's requests is kept there as
# nio-conformance.md, .json and .xml (JUnit).
# Runs the flow with Debian's python3 (/usr/bin/python3, where python3-matrix-nio installs) and
# installs python3-matrix-nio from Debian when it cannot import nio. Exits with the flow's status.
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 MOCKSERVER_BINARY [extra mockserver args...]" >&2
    exit 2
fi
mockserver=$1
shift
if [[ ! -x $mockserver ]]; then
    echo "run_nio_flow.sh: $mockserver is not an executable" >&2
    exit 2
fi

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# --- Python and matrix-nio -------------------------------------------------------------------
# Debian's interpreter, not whichever python3 comes first on PATH (pyenv, a venv): the Debian
# package is importable from it only.
python=/usr/bin/python3
if ! "$python" -c 'import nio' >/dev/null 2>&1; then
    echo "== installing python3-matrix-nio from Debian"
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends python3-matrix-nio
fi
echo "== $("$python" --version), matrix-nio $("$python" -c 'import importlib.metadata as m; print(m.version("matrix-nio"))')"

# --- mock server -----------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/nio-flow.XXXXXX")
port_file=$work/port
journal=$work/journal.jsonl
server_log=$work/server.log
server_pid=

cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "== starting $mockserver --port 0 --port-file $port_file --journal-out $journal $*"
"$mockserver" --port 0 --port-file "$port_file" --journal-out "$journal" "$@" >"$server_log" 2>&1 &
server_pid=$!

for _ in $(seq 100); do
    [[ -s $port_file ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "nio flow failed at step \"start matrix-mockserver\": the server exited; its output:" >&2
        cat "$server_log" >&2
        exit 1
    fi
    sleep 0.1
done
if [[ ! -s $port_file ]]; then
    echo "nio flow failed at step \"start matrix-mockserver\": no port file after 10 s; its output:" >&2
    cat "$server_log" >&2
    exit 1
fi
base_url="http://127.0.0.1:$(tr -d '[:space:]' <"$port_file")"
echo "== mock server at $base_url"

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
# matrix-conformance sits beside matrix-mockserver in a build. The Markdown one is printed;
# with NIO_REPORT_DIR set, all three are kept there (CI publishes them).
conformance_cli=$(dirname "$mockserver")/matrix-conformance
if [[ -x $conformance_cli ]]; then
    for format in markdown json junit; do
        extension=$([[ $format == markdown ]] && echo md || { [[ $format == junit ]] && echo xml || echo json; })
        if ! "$conformance_cli" report "$journal" --format "$format" --output "$work/nio-conformance.$extension"; then
            echo "nio flow failed at step \"conformance report\": matrix-conformance report --format $format failed"
            status=1
        fi
    done
    if [[ -s $work/nio-conformance.md ]]; then
        echo "== matrix-conformance report (markdown)"
        cat "$work/nio-conformance.md"
    fi
    if [[ -n ${NIO_REPORT_DIR:-} ]]; then
        mkdir -p "$NIO_REPORT_DIR"
        cp "$work"/nio-conformance.* "$NIO_REPORT_DIR"/
        echo "== reports kept in $NIO_REPORT_DIR"
    fi
else
    echo "== no $conformance_cli beside the mock server: no conformance report"
fi

if [[ $verdict -ne 0 ]]; then
    echo "nio flow failed at step \"spec verdicts\": the requests above are unidentified, break the spec or failed"
    if [[ $status -eq 0 ]]; then status=1; fi
fi

exit "$status"
