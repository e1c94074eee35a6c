#!/usr/bin/env bash
# Cost of authentication on the request path: requests/s, p50 and p99 of GET /api/user/me with a PSK and with a
# bearer token, against the same handler without authentication (GET /api/bench/me, served only with
# NEXUSONE_BENCHMARK_BASELINE=1) as the baseline; then the PSK case again with 100,000 keys stored.
# Usage: Benchmarks/psk.sh [seconds per run, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5}
if ! command -v wrk >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
    apt-get install -y -qq wrk bc >/dev/null
fi

swift build -c release --product nexusone >/dev/null
bin=$(swift build -c release --show-bin-path)/nexusone
work=$(mktemp -d /tmp/nexusone-bench.XXXXXX)
port=18082
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

deployment=$("$bin" deploy --data-dir "$work" --client-name bench --output json --log-level error)
client_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["clientId"])' <<<"$deployment")
client_secret=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["clientSecret"])' <<<"$deployment")
psk=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["psk"])' <<<"$deployment")

start() {
    NEXUSONE_BENCHMARK_BASELINE=1 "$bin" serve --data-dir "$work" --port "$port" --no-demo --log-level error >/dev/null 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health/ping" >/dev/null && break; sleep 0.1; done
}
run() { # path [PSK=… TOKEN=…] → "rps p50 p99 errors"
    local path=$1
    shift
    env "$@" wrk -t2 -c64 -d"${duration}s" --latency -s Benchmarks/get-request.lua "http://127.0.0.1:$port$path" | awk '/^RESULT/ {print $2, $3, $4, $5}'
}

start
token=$(curl -s -X POST "http://127.0.0.1:$port/realms/bench/protocol/openid-connect/token" -d grant_type=client_credentials \
    -d client_id="$client_id" -d client_secret="$client_secret" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }
run /api/user/me PSK="$psk" >/dev/null  # warm-up
# Three rounds, interleaved, and the median round of each case: two cores shared with wrk make single runs noisy.
for round in 1 2 3; do
    run /api/bench/me >>"$work/base"
    run /api/user/me PSK="$psk" >>"$work/psk"
    run /api/user/me TOKEN="$token" >>"$work/bearer"
done
read -r base_rps base_p50 base_p99 base_err < <(median <"$work/base")
read -r psk_rps psk_p50 psk_p99 psk_err < <(median <"$work/psk")
read -r bearer_rps bearer_p50 bearer_p99 bearer_err < <(median <"$work/bearer")
kill "$server"; wait "$server" 2>/dev/null || true; server=

# 100,000 more keys of the same user, straight into storage (hashes of random keys).
python3 - "$work/nexusone.sqlite" <<'PY'
import hashlib, os, sqlite3, sys, time, uuid
db = sqlite3.connect(sys.argv[1])
user, realm = db.execute("select user_id, realm from psks limit 1").fetchone()
now = int(time.time())
keys = [(str(uuid.uuid4()), realm, "personal", user, None, "bulk", "nx1p_…bulk", now, now, None, 1, 0, None, None, None) for _ in range(100_000)]
db.executemany("insert into psks values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", keys)
db.executemany("insert into psk_secrets values (?,?,?,?)", [(hashlib.sha256(os.urandom(32)).hexdigest(), k[0], None, now) for k in keys])
db.commit()
PY
start
run /api/user/me PSK="$psk" >/dev/null
for round in 1 2 3; do run /api/user/me PSK="$psk" >>"$work/many"; done
read -r many_rps many_p50 many_p99 many_err < <(median <"$work/many")

ratio() { echo "$1 / $2" | bc -l; }
printf '\n%-34s %10s %8s %8s %7s %8s\n' case requests/s p50_ms p99_ms errors ratio
printf '%-34s %10.0f %8.2f %8.2f %7d %8s\n' "baseline: same handler, no auth" "$base_rps" "$base_p50" "$base_p99" "$base_err" "1.00"
printf '%-34s %10.0f %8.2f %8.2f %7d %8.2f\n' "/api/user/me with a PSK" "$psk_rps" "$psk_p50" "$psk_p99" "$psk_err" "$(ratio "$psk_rps" "$base_rps")"
printf '%-34s %10.0f %8.2f %8.2f %7d %8.2f\n' "/api/user/me with a bearer token" "$bearer_rps" "$bearer_p50" "$bearer_p99" "$bearer_err" "$(ratio "$bearer_rps" "$base_rps")"
printf '%-34s %10.0f %8.2f %8.2f %7d %8.2f\n' "PSK, 100,000 keys stored" "$many_rps" "$many_p50" "$many_p99" "$many_err" "$(ratio "$many_rps" "$psk_rps")"
echo
echo "wrk -t2 -c64 -d${duration}s on 127.0.0.1, median of 3 interleaved rounds (release build, SQLite); server and wrk share $(nproc) cores."
echo "The last ratio compares with the PSK row above. Targets: PSK >= 0.9x and bearer >= 0.85x the baseline;"
echo "p99 <= 10 ms; with 100,000 keys within 10% of the few-key case."
