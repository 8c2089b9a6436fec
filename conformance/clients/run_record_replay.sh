#!/usr/bin/env bash
# Records a matrix-js-sdk flow through matrix-mockserver --proxy-to --record (the upstream: a
# second matrix-mockserver with the simulation), checks no access token or password of the
# session is in any recorded file, then replays the flow against
# matrix-mockserver --no-simulation --mappings DIR alone and compares what the client observed.
#
# Usage: run_record_replay.sh MOCKSERVER_BINARY
# With RECORD_REPLAY_KEEP_DIR set, the recorded mappings are copied there (CI keeps them).
# Installs node/npm from Debian when missing and the npm packages as run_js_sdk_flow.sh does.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=flow_harness.sh
source "$here/flow_harness.sh"
flow_name=record-replay
flow_check_mockserver "$@"
mockserver=$1

flow_npm_install

# The three servers, each started by flow_start_mockserver (which keeps one server's state in
# work/journal/server_pid/base_url and stops it on exit): every one is stopped on exit.
started_pids=()
started_works=()
stop_all() {
    local i
    for i in "${!started_pids[@]}"; do
        server_pid=${started_pids[$i]} work=${started_works[$i]} flow_stop_mockserver
    done
}
cleanup() {
    stop_all
    rm -rf "${results:?}"
}
start_server() {
    flow_start_mockserver "$mockserver" "$@"
    started_pids+=("$server_pid")
    started_works+=("$work")
    trap cleanup EXIT
}

fail() {
    echo "record-replay flow failed at step \"$1\": $2"
    exit 1
}

user="rrflow$$"
password="rr-password-$$-$RANDOM"
# The replayed /sync carries the recorded unsigned.transaction_id: both runs send with this one.
txn_id="record-replay-txn-$$"
results=$(mktemp -d "${TMPDIR:-/tmp}/record-replay-results.XXXXXX")
trap cleanup EXIT

# The js-sdk flow against BASE_URL with the account made upstream, writing what it observed to
# RESULTS_FILE.
run_flow() {
    (cd "$here" && JS_SDK_FLOW_EXISTING_USER=1 JS_SDK_FLOW_TXN_ID="$txn_id" JS_SDK_FLOW_RESULTS="$2" \
        timeout --kill-after=5 60 node js_sdk_flow.mjs "$1" "$user" "$password")
}

# --- 1. the real homeserver: the simulation, with the flow's account -------------------------
start_server --user "$user:$password"
upstream_url=$base_url
upstream_log=$work/server.log

# --- 2. the recording proxy in front of it ---------------------------------------------------
start_server --proxy-to "$upstream_url" --record "$results/recorded"
proxy_url=$base_url
proxy_journal=$journal
proxy_pid=$server_pid

echo "== recording: js-sdk flow through $proxy_url (forwarding to $upstream_url)"
run_flow "$proxy_url" "$results/recorded.json" || fail "record" "the js-sdk flow failed through the proxy"
kill -TERM "$proxy_pid"
wait "$proxy_pid" 2>/dev/null || true

# Every answer came from upstream: the proxy's journal marks each client request proxied.
node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const client = lines.filter((entry) => !entry.target.startsWith("/__admin"));
    const notProxied = client.filter((entry) => entry.proxied_to !== process.argv[2]);
    if (client.length === 0 || notProxied.length > 0) {
        console.log(`${notProxied.length} of ${client.length} requests not answered by ${process.argv[2]}: ` +
            notProxied.map((entry) => `${entry.method} ${entry.target} -> ${entry.status}`).join(", "));
        process.exit(1);
    }
    console.log(`== ${client.length} requests, all answered by ${process.argv[2]}`);
' "$proxy_journal" "$upstream_url" || fail "answers came from upstream" "see above"

echo "== recorded files"
ls -1 "$results/recorded"
[[ -n $(ls "$results/recorded"/*.json 2>/dev/null) ]] || fail "recorded files" "no mapping file in $results/recorded"

# --- 3. no secret of the session in any recorded file ----------------------------------------
# The secrets: the password, the token --user printed, and every token the client sent (its
# Authorization headers in the proxy's journal) or was given (access_token members).
secrets=$(
    {
        echo "$password"
        sed -n 's/.* access_token \([^ ]*\).*/\1/p' "$upstream_log"
        grep -o '"Authorization","Bearer [^"]*"' "$proxy_journal" | sed 's/.*Bearer \(.*\)"/\1/'
        grep -o 'access_token=[^&" ]*' "$proxy_journal" | sed 's/.*=//' || true
    } | sort -u | grep -v '^$' || true
)
secret_count=$(printf '%s\n' "$secrets" | wc -l)
[[ $secret_count -ge 2 ]] || fail "find the session's secrets" "expected the password and at least one token, found: $secrets"
leaks=0
while IFS= read -r secret; do
    if grep -rlF -- "$secret" "$results/recorded"; then
        echo "a secret of the session (${secret:0:6}...) is in the files above"
        leaks=1
    fi
done <<<"$secrets"
[[ $leaks -eq 0 ]] || fail "no secret in the recording" "tokens or the password were recorded"
echo "== none of the session's $secret_count secrets (password, tokens) is in a recorded file"

if [[ -n ${RECORD_REPLAY_KEEP_DIR:-} ]]; then
    mkdir -p "$RECORD_REPLAY_KEEP_DIR"
    cp "$results/recorded"/*.json "$RECORD_REPLAY_KEEP_DIR"/
    echo "== recorded mappings kept in $RECORD_REPLAY_KEEP_DIR"
fi

# --- 4. replay against the recorded mappings alone -------------------------------------------
start_server --no-simulation --mappings "$results/recorded"
replay_journal=$journal
echo "== replaying: js-sdk flow against $base_url (--no-simulation --mappings)"
run_flow "$base_url" "$results/replayed.json" ||
    fail "replay" "the js-sdk flow failed against the recorded mappings"

# Every request is answered by a recorded mapping, except as many as the recording could not
# record, of the same operations: those the client gave up on before upstream answered (the
# long-poll /sync it leaves open when it stops).
node -e '
    const read = (file) => require("fs").readFileSync(file, "utf8").trim().split("\n").map(JSON.parse)
        .filter((entry) => !entry.target.startsWith("/__admin"));
    const abandoned = read(process.argv[2])
        .filter((entry) => (entry.flags ?? []).some((flag) => flag.includes("client closed its connection")))
        .map((entry) => entry.operation);
    const replayed = read(process.argv[1]);
    const unexpected = [];
    for (const entry of replayed.filter((entry) => entry.matched == null)) {
        const index = abandoned.indexOf(entry.operation);
        if (index >= 0) abandoned.splice(index, 1);
        else unexpected.push(`${entry.method} ${entry.target} -> ${entry.status}`);
    }
    if (unexpected.length > 0) {
        console.log(`requests no recorded mapping answered: ${unexpected.join(", ")}`);
        process.exit(1);
    }
    console.log(`== ${replayed.length} requests, all answered by recorded mappings but those the ` +
        "client left unanswered while recording");
' "$replay_journal" "$proxy_journal" || fail "replay from mappings alone" "see above"

node "$here/flow_results_compare.mjs" "$results/recorded.json" "$results/replayed.json" ||
    fail "same answers" "see above"
echo "record-replay flow passed"
