#!/usr/bin/env bash
# Long-poll load on matrix-mockserver (simulation on, default flags), with
# build/bin/matrix-longpoll-load against a FRESH server process per phase, so no phase
# disturbs the next:
#   - longpoll, 1,000 then 10,000 held /sync long-polls: /versions latency (p50, p99) while
#     they are held, one message's send latency and fan-out time (send written -> last held
#     answer read; per held sync in µs), 5 rounds, medians;
#   - history, 0 and 200,000 events in the room: injection rate, wake time of 100 held syncs,
#     empty incremental /sync throughput (16 connections), and the ratios between the two;
#   - journal, 600 unmatched POSTs with 1 MiB bodies: the server's RSS growth, the journal's
#     size/bytes/evictions from GET /__admin/health, and RSS per journal byte held.
# Prints every phase's output, then all RESULT lines together; exits non-zero if any phase
# failed (a failed answer, a timeout, a server that did not start).
#
#   bench/longpoll_load.sh            # full run (about 10 minutes with a fast server)
#   bench/longpoll_load.sh --quick    # smoke run: held 200, history 0,20000, 60 bodies
#
# MOCKSERVER and LOADTOOL choose the binaries (default build/bin/...); missing default
# binaries are built with ci/build.sh. The open-file soft limit is raised to the hard limit.
set -uo pipefail
cd "$(dirname "$0")/.."

quick=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "longpoll_load.sh: unknown argument '$arg' (only --quick)" >&2; exit 2 ;;
    esac
done

MOCKSERVER=${MOCKSERVER:-build/bin/matrix-mockserver}
LOADTOOL=${LOADTOOL:-build/bin/matrix-longpoll-load}
if [ ! -x "$MOCKSERVER" ] || [ ! -x "$LOADTOOL" ]; then
    [ -x build/bin/matrix-mockserver ] && [ -x build/bin/matrix-longpoll-load ] || ci/build.sh || exit 1
fi
for binary in "$MOCKSERVER" "$LOADTOOL"; do
    [ -x "$binary" ] || { echo "longpoll_load.sh: $binary is missing" >&2; exit 1; }
done

# 10,000 held syncs need 10,000 sockets on each side; the server inherits this limit.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "open files: soft $(ulimit -Sn), hard $(ulimit -Hn)"

if [ "$quick" = 1 ]; then
    held_runs=(200); history=0,20000; bodies=60
else
    held_runs=(1000 10000); history=0,200000; bodies=600
fi

scratch=$(mktemp -d)
server_pid=""
stop_server() {
    [ -n "$server_pid" ] || return 0
    kill "$server_pid" 2>/dev/null
    # A server stuck with thousands of connections gets 10 s to stop, then SIGKILL.
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
    server_pid=""
}
cleanup() { stop_server; rm -rf "$scratch"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

start_server() {  # sets server_pid and url
    rm -f "$scratch/port"
    "$MOCKSERVER" --port 0 --port-file "$scratch/port" >"$scratch/server.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do [ -s "$scratch/port" ] && break; sleep 0.05; done
    if [ ! -s "$scratch/port" ] || ! kill -0 "$server_pid" 2>/dev/null; then
        echo "longpoll_load.sh: the server did not start:" >&2
        cat "$scratch/server.log" >&2
        return 1
    fi
    url="http://127.0.0.1:$(cat "$scratch/port")"
}

failed=0
phase_number=0
run_phase() {  # NAME TOOL-ARGS... ; "@PID" in TOOL-ARGS becomes the fresh server's pid
    local name=$1; shift
    phase_number=$((phase_number + 1))
    echo
    echo "######## $name"
    if ! start_server; then failed=$((failed + 1)); return; fi
    local args=()
    for arg in "$@"; do [ "$arg" = "@PID" ] && args+=("$server_pid") || args+=("$arg"); done
    echo "\$ $LOADTOOL --url $url ${args[*]}   (server pid $server_pid)"
    "$LOADTOOL" --url "$url" "${args[@]}" | tee "$scratch/out.$phase_number"
    local rc=${PIPESTATUS[0]}
    if [ "$rc" -ne 0 ]; then
        failed=$((failed + 1))
        echo "######## $name FAILED (exit $rc); server log tail:"
        tail -n 20 "$scratch/server.log"
    fi
    stop_server
}

for held in "${held_runs[@]}"; do
    run_phase "longpoll, $held held syncs" --phase longpoll --held "$held"
done
run_phase "history $history" --phase history --history "$history"
run_phase "journal, $bodies bodies of 1 MiB" --phase journal --bodies "$bodies" --server-pid @PID

echo
echo "######## summary"
cat "$scratch"/out.* 2>/dev/null | grep '^RESULT ' | grep -v '^RESULT status='
echo "phases failed: $failed of $phase_number"
[ "$failed" -eq 0 ]
