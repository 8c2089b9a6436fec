#!/usr/bin/env bash
# Measures matrix-mockserver (journal and stub matching on) against a bare cpp-httplib server
# in the same run, with wrk on loopback. Prints requests/s per round, the medians and the ratio.
#
#   bench/mockserver_load.sh [ROUNDS] [SECONDS]     (defaults: 5 rounds of 5 s, wrk -t1 -c16)
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-5}
seconds=${2:-5}
connections=${CONNECTIONS:-16}

. bench/wrk_common.sh
ensure_wrk
[ -x build/bin/matrix-mockserver ] && [ -x build/bin/bare-httplib-server ] || ci/build.sh

scratch=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bare_port=$(free_port)
build/bin/bare-httplib-server "$bare_port" >/dev/null &
pids+=($!)
build/bin/matrix-mockserver --no-simulation --port 0 --port-file "$scratch/port" >/dev/null &
pids+=($!)
for _ in $(seq 100); do [ -s "$scratch/port" ] && break; sleep 0.05; done
mock_port=$(cat "$scratch/port")
sleep 0.3

url_path=/_matrix/client/versions
measure() {  # PORT -> requests/s
    wrk -t1 -c"$connections" -d"${seconds}s" "http://127.0.0.1:$1$url_path" |
        awk '/Requests\/sec/ {print $2}'
}

echo "wrk -t1 -c$connections -d${seconds}s GET $url_path, $rounds rounds, alternating"
printf "%-6s %18s %18s\n" round bare-httplib matrix-mockserver
: >"$scratch/bare"; : >"$scratch/mock"
for round in $(seq "$rounds"); do
    bare=$(measure "$bare_port"); echo "$bare" >>"$scratch/bare"
    mock=$(measure "$mock_port"); echo "$mock" >>"$scratch/mock"
    printf "%-6s %18s %18s\n" "$round" "$bare" "$mock"
done
bare_median=$(median <"$scratch/bare")
mock_median=$(median <"$scratch/mock")
printf "%-6s %18s %18s\n" median "$bare_median" "$mock_median"
awk -v m="$mock_median" -v b="$bare_median" \
    'BEGIN {printf "matrix-mockserver / bare cpp-httplib = %.2f (target >= 0.80)\n", m / b}'
journaled=$(python3 -c "import json,urllib.request; print(json.load(urllib.request.urlopen('http://127.0.0.1:$mock_port/__admin/health'))['journal'])")
echo "mock server journal after the run: $journaled"
