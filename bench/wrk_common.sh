# Shared by the wrk-driven load scripts (mockserver_load.sh, validation_load.sh); sourced.

# Installs wrk from Debian when it is missing.
ensure_wrk() {
    if ! command -v wrk >/dev/null; then
        echo "$(basename "$0"): installing wrk" >&2
        local sudo_cmd=()
        [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
        "${sudo_cmd[@]}" apt-get install -y -qq wrk >/dev/null
    fi
}

# The median of the numbers on stdin, one per line.
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
