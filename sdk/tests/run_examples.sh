#!/usr/bin/env bash
# Runs the SDK's example programs against a freshly started matrix-mockserver (ctest label wire).
#   run_examples.sh MOCKSERVER GUEST_EXAMPLE PASSWORD_EXAMPLE
set -euo pipefail
mockserver=$1 guest=$2 password=$3

scratch=$(mktemp -d)
"$mockserver" --no-simulation --port 0 --port-file "$scratch/port" >"$scratch/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$scratch"' EXIT
for _ in $(seq 200); do [ -s "$scratch/port" ] && break; sleep 0.05; done
base_url="http://127.0.0.1:$(cat "$scratch/port")"

"$guest" "$base_url" | tee "$scratch/guest.out"
grep -q "registered guest @guest1:localhost" "$scratch/guest.out"
grep -q "joined #lobby:localhost as !lobby:localhost" "$scratch/guest.out"
grep -q "synced:" "$scratch/guest.out"

"$password" "$base_url" alice secret | tee "$scratch/password.out"
grep -q "logged in as @alice:localhost" "$scratch/password.out"
grep -q 'sent \$mock_event:localhost' "$scratch/password.out"
echo "examples ran against $base_url"
