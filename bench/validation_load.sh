#!/usr/bin/env bash
# What spec validation costs the mock server: two matrix-mockserver processes with the same
# stubs (the shipped mappings, --no-simulation), one validating every request (the default)
# and one with --no-spec-validation, measured in alternating rounds with wrk on loopback.
# Two typical requests: PUT .../send/m.room.message/{txn} with a JSON message body (token,
# Content-Type, body parsed and checked against the operation and m.room.message's content
# schema) and GET /sync with since, timeout and filter in the query.
#
#   bench/validation_load.sh [ROUNDS] [SECONDS]     (defaults: 5 rounds of 5 s, wrk -t1 -c16)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}
seconds=${2:-5}
connections=${CONNECTIONS:-16}

. bench/wrk_common.sh
ensure_wrk
[ -x build/bin/matrix-mockserver ] || ci/build.sh

scratch=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

start() {  # NAME [OPTIONS...] -> port in $scratch/NAME.port
    local name=$1; shift
    build/bin/matrix-mockserver --no-simulation --port 0 --port-file "$scratch/$name.port" "$@" \
        >"$scratch/$name.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do [ -s "$scratch/$name.port" ] && break; sleep 0.05; done
    cat "$scratch/$name.port"
}
validating_port=$(start validating)
plain_port=$(start plain --no-spec-validation)
sleep 0.3

cat >"$scratch/send.lua" <<'LUA'
wrk.method = "PUT"
wrk.headers["Authorization"] = "Bearer syt_bench_token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"msgtype":"m.text","body":"Hello from the benchmark, with a little text to parse","m.mentions":{}}'
local n = 0
request = function()
    n = n + 1
    return wrk.format(nil, "/_matrix/client/v3/rooms/%21bench%3Alocalhost/send/m.room.message/t" .. n)
end
LUA
cat >"$scratch/sync.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer syt_bench_token"
wrk.path = "/_matrix/client/v3/sync?filter=0&timeout=0&set_presence=online"
LUA

measure() {  # PORT SCRIPT -> requests/s
    wrk -t1 -c"$connections" -d"${seconds}s" -s "$2" "http://127.0.0.1:$1" |
        awk '/Requests\/sec/ {print $2}'
}

for workload in send sync; do
    echo "== $workload: wrk -t1 -c$connections -d${seconds}s, $rounds rounds, alternating"
    printf "%-6s %22s %22s\n" round "validating (req/s)" "not validating (req/s)"
    : >"$scratch/$workload.on"; : >"$scratch/$workload.off"
    for round in $(seq "$rounds"); do
        on=$(measure "$validating_port" "$scratch/$workload.lua"); echo "$on" >>"$scratch/$workload.on"
        off=$(measure "$plain_port" "$scratch/$workload.lua"); echo "$off" >>"$scratch/$workload.off"
        printf "%-6s %22s %22s\n" "$round" "$on" "$off"
    done
    on_median=$(median <"$scratch/$workload.on")
    off_median=$(median <"$scratch/$workload.off")
    printf "%-6s %22s %22s\n" median "$on_median" "$off_median"
    awk -v on="$on_median" -v off="$off_median" \
        'BEGIN {printf "validating / not validating = %.3f (target >= 0.90)\n", on / off}'
done
# Both servers must have answered from the stub, and only the validating one journals verdicts.
for name in validating plain; do
    port=$(cat "$scratch/$name.port")
    python3 - "$port" "$name" <<'PY'
import json, sys, urllib.request
port, name = sys.argv[1], sys.argv[2]
entries = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/__admin/requests?limit=3"))["requests"]
statuses = sorted({e["status"] for e in entries})
violations = sum(len(e["violations"]) for e in entries)
print(f"{name}: last entries answered {statuses}, {violations} violations")
PY
done
