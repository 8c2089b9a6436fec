# What every real-client flow script shares (sourced, not run): installing Debian packages it
# lacks (and, for the node flows, node/npm and the locked npm packages), starting a fresh
# matrix-mockserver on an ephemeral port with a journal, stopping it on exit, judging the
# journal's requests (node flows) and writing its spec conformance report in three formats.
#
# A script sets `flow_name` (used in messages and report file names, e.g. "nio") before calling
# these, and calls flow_check_mockserver first.

# This directory: the node flows, their package.json and lock file, flow_journal_verdict.mjs.
flow_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Exits with usage when the first argument is not an executable mock server.
flow_check_mockserver() {
    if [[ $# -lt 1 ]]; then
        echo "usage: $0 MOCKSERVER_BINARY [extra mockserver args...]" >&2
        exit 2
    fi
    if [[ ! -x $1 ]]; then
        echo "$(basename "$0"): $1 is not an executable" >&2
        exit 2
    fi
}

# apt-get installs the given Debian packages (with sudo when not root).
flow_apt_install() {
    echo "== installing $* from Debian"
    local sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "$@"
}

# Installs Node.js and npm from Debian when missing, and the npm packages of package-lock.json
# (matrix-js-sdk and the Rust crypto's wasm) into $flow_dir/node_modules when it is missing or
# older than the lock file; prints the versions.
flow_npm_install() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        flow_apt_install nodejs npm
    fi
    echo "== node $(node --version), npm $(npm --version)"
    if [[ ! -d $flow_dir/node_modules || $flow_dir/package-lock.json -nt $flow_dir/node_modules ]]; then
        echo "== npm ci in $flow_dir"
        (cd "$flow_dir" && npm ci --no-audit --no-fund)
        touch "$flow_dir/node_modules"
    fi
    echo "== matrix-js-sdk $(cd "$flow_dir" && node -p 'require("matrix-js-sdk/package.json").version')"
}

# Lists the client's requests in the journal by spec operation with the statuses they got, then
# those answered 4xx/5xx, and returns 3 when any is unidentified or breaks the spec (the
# journal's "operation" and "violations"), listing them (flow_journal_verdict.mjs).
flow_journal_verdict() {
    node "$flow_dir/flow_journal_verdict.mjs" "$journal"
}

flow_stop_mockserver() {
    if [[ -n ${server_pid:-} ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "${work:?}"
}

# Starts MOCKSERVER [args...] with --port 0 and a journal in a fresh directory, waits up to 10 s
# for its port, and sets `work`, `journal`, `server_pid` and `base_url`. The server is stopped
# and the directory removed when the script exits.
flow_start_mockserver() {
    local mockserver=$1
    shift
    work=$(mktemp -d "${TMPDIR:-/tmp}/$flow_name-flow.XXXXXX")
    journal=$work/journal.jsonl
    local port_file=$work/port
    local server_log=$work/server.log
    server_pid=
    trap flow_stop_mockserver EXIT

    echo "== starting $mockserver --port 0 --port-file $port_file --journal-out $journal $*"
    "$mockserver" --port 0 --port-file "$port_file" --journal-out "$journal" "$@" >"$server_log" 2>&1 &
    server_pid=$!
    for _ in $(seq 100); do
        [[ -s $port_file ]] && break
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "$flow_name flow failed at step \"start matrix-mockserver\": the server exited; its output:" >&2
            cat "$server_log" >&2
            exit 1
        fi
        sleep 0.1
    done
    if [[ ! -s $port_file ]]; then
        echo "$flow_name flow failed at step \"start matrix-mockserver\": no port file after 10 s; its output:" >&2
        cat "$server_log" >&2
        exit 1
    fi
    base_url="http://127.0.0.1:$(tr -d '[:space:]' <"$port_file")"
    echo "== mock server at $base_url"
}

# Writes the conformance report of the journal with matrix-conformance (beside the mock server in
# a build) as Markdown (printed), JSON and JUnit XML, named "$flow_name-conformance.*"; with
# REPORT_DIR non-empty, keeps all three there (CI publishes them). Returns 1 when a report fails.
flow_write_reports() {
    local mockserver=$1 report_dir=$2
    local conformance_cli
    conformance_cli=$(dirname "$mockserver")/matrix-conformance
    if [[ ! -x $conformance_cli ]]; then
        echo "== no $conformance_cli beside the mock server: no conformance report"
        return 0
    fi
    local failed=0 format extension
    for format in markdown json junit; do
        case $format in
            markdown) extension=md ;;
            junit) extension=xml ;;
            *) extension=json ;;
        esac
        if ! "$conformance_cli" report "$journal" --format "$format" \
            --output "$work/$flow_name-conformance.$extension"; then
            echo "$flow_name flow failed at step \"conformance report\": matrix-conformance report --format $format failed"
            failed=1
        fi
    done
    if [[ -s $work/$flow_name-conformance.md ]]; then
        echo "== matrix-conformance report (markdown)"
        cat "$work/$flow_name-conformance.md"
    fi
    if [[ -n $report_dir ]]; then
        mkdir -p "$report_dir"
        cp "$work/$flow_name"-conformance.* "$report_dir"/
        echo "== reports kept in $report_dir"
    fi
    return "$failed"
}
