#!/usr/bin/env bash
# Where a benchmark's time goes, the two ways bench/RESULTS.md measures it:
#   callgrind: instructions per call of one function (stable on a noisy machine), and the
#              functions that cost the most, inclusive;
#   perf:      a sampled profile (cpu-clock) of the benchmark running at full speed.
# Builds matrix-bench if it is missing and installs valgrind or linux-perf from Debian if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
    cat <<'USAGE'
usage: bench/profile.sh callgrind FILTER [FUNCTION]
       bench/profile.sh perf FILTER

  FILTER     a --benchmark_filter regex; quote it, e.g. 'BM_Encode/send_room_event$'
  FUNCTION   (callgrind) a function name as callgrind prints it, or a prefix of one; the
             report gives its calls, and its inclusive instructions per call. Default for
             BM_Encode/<form>: matrix::encode(.
Output goes to build/profile/ (callgrind.out.<pid> for kcachegrind / callgrind_annotate,
perf.data for perf report). Examples, as in bench/RESULTS.md:
  bench/profile.sh callgrind 'BM_Encode/send_room_event$'
  bench/profile.sh perf 'BM_SyncDecode/medium$'
USAGE
}

if [ $# -lt 2 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    usage
    [ $# -ge 1 ] && { [ "$1" = "-h" ] || [ "$1" = "--help" ]; } && exit 0
    exit 2
fi
tool=$1 filter=$2 function=${3:-}

bench=build/bin/matrix-bench
if [ ! -x "$bench" ]; then
    echo "profile.sh: building matrix-bench" >&2
    [ -f build/CMakeCache.txt ] || cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build --target matrix-bench --parallel 2 >/dev/null
fi
matches=$("$bench" --benchmark_list_tests --benchmark_filter="$filter" | wc -l)
if [ "$matches" -eq 0 ]; then
    echo "profile.sh: no benchmark matches '$filter' (matrix-bench --benchmark_list_tests lists them)" >&2
    exit 2
fi

install_missing() {  # command, Debian package
    command -v "$1" >/dev/null && return
    echo "profile.sh: installing $2" >&2
    local sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get install -y -qq "$2" >/dev/null
}

out=build/profile
mkdir -p "$out"
case "$tool" in
callgrind)
    install_missing valgrind valgrind
    if [ -z "$function" ] && [[ "$filter" == *BM_Encode/* ]]; then function="matrix::encode("; fi
    file="$out/callgrind.out.$$"
    # Short runs: under valgrind every iteration is about 50 times slower.
    valgrind --tool=callgrind --callgrind-out-file="$file" "$bench" --benchmark_filter="$filter" \
        --benchmark_min_time=0.05 2>/dev/null | grep -E '^BM_' || true
    echo
    echo "Top functions by inclusive instructions ($file):"
    # `|| true`: head closing the pipe early is not a failure.
    callgrind_annotate --inclusive=yes "$file" 2>/dev/null | sed -n '/^Ir/,$p' | head -n 22 || true
    if [ -n "$function" ]; then
        # Sum the calls to FUNCTION and the instructions they cost, inclusive, over every call
        # site in the callgrind file (the "calls=N" line and the cost line after it).
        python3 - "$file" "$function" <<'PY'
import re, sys
path, wanted = sys.argv[1], sys.argv[2]
names, calls, cost, pending, target = {}, 0, 0, None, None
def name_of(spec):
    m = re.match(r"\((\d+)\)(?: (.*))?", spec)
    if not m: return spec
    if m.group(2): names[m.group(1)] = m.group(2)
    return names.get(m.group(1), "")
for line in open(path):
    if line.startswith("fn="):
        name_of(line[3:].strip())
    elif line.startswith("cfn="):
        target = name_of(line[4:].strip())
    elif line.startswith("calls="):
        pending = int(line.split("=")[1].split()[0]) if target and target.startswith(wanted) else None
    elif pending is not None:
        fields = line.split()
        calls += pending
        cost += int(fields[1]) if len(fields) > 1 else 0
        pending = None
if calls == 0:
    print(f"no calls to a function starting with '{wanted}'; name one from the list above")
    sys.exit(1)
print(f"{wanted}: {calls:,} calls, {cost:,} instructions inclusive, {cost / calls:,.0f} per call")
PY
    fi
    ;;
perf)
    install_missing perf linux-perf
    file="$out/perf.data"
    if ! perf record -q -e cpu-clock -F 2000 -g -o "$file" -- "$bench" --benchmark_filter="$filter" \
        --benchmark_min_time=2 | grep -E '^BM_'; then
        echo "profile.sh: perf record failed; if it says 'perf_event_paranoid', run" >&2
        echo "  sudo sysctl kernel.perf_event_paranoid=1   and retry" >&2
        exit 1
    fi
    echo
    echo "Where the time goes, self time ($file):"
    perf report -i "$file" --stdio --no-children --percent-limit 2 2>/dev/null |
        grep -E '^ +[0-9.]+%' | head -n 20 || true
    ;;
*)
    usage
    exit 2
    ;;
esac
