#!/usr/bin/env bash
# Token issue throughput: client_credentials tokens/s for an RS256 and an ES256 realm (wrk, 64 connections, loopback),
# next to this machine's signing ceiling (`openssl speed -multi 2`) measured in the same run.
# Usage: Benchmarks/token.sh [seconds per run, default 10]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
if ! command -v wrk >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
    apt-get install -y -qq wrk bc >/dev/null
fi

export NEXUSONE_BENCHMARKS=1
swift build -c release --product nexusone >/dev/null
swift build -c release --product SignBenchmark >/dev/null
bin=$(swift build -c release --show-bin-path)/nexusone
sign_bench=$(swift build -c release --show-bin-path)/SignBenchmark
work=$(mktemp -d /tmp/nexusone-bench.XXXXXX)
port=18080
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

deploy() { # realm algorithm → "client_id client_secret"
    "$bin" deploy --data-dir "$work" --client-name "$1" --algorithm "$2" --output json --log-level error |
        python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["clientId"], d["clientSecret"])'
}
read -r rs_id rs_secret < <(deploy bench_rs RS256)
read -r es_id es_secret < <(deploy bench_es ES256)

"$bin" serve --data-dir "$work" --port "$port" --no-demo --log-level error >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/health/ping" >/dev/null && break; sleep 0.1; done

run() { # realm id secret → "rps p50 p99 errors requests"
    REALM=$1 CLIENT_ID=$2 CLIENT_SECRET=$3 wrk -t2 -c64 -d"${duration}s" --latency -s Benchmarks/token-request.lua \
        "http://127.0.0.1:$port" | awk '/^RESULT/ {print $2, $3, $4, $5, $6}'
}
# Warm up (JIT-free, but caches, connections and the allocator settle).
REALM=bench_rs CLIENT_ID=$rs_id CLIENT_SECRET=$rs_secret wrk -t2 -c16 -d2s -s Benchmarks/token-request.lua "http://127.0.0.1:$port" >/dev/null
read -r rs_rps rs_p50 rs_p99 rs_errors rs_total < <(run bench_rs "$rs_id" "$rs_secret")
read -r es_rps es_p50 es_p99 es_errors es_total < <(run bench_es "$es_id" "$es_secret")
kill "$server"; wait "$server" 2>/dev/null || true; server=

rsa_ceiling=$(openssl speed -seconds 3 -multi 2 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}')
ec_ceiling=$(openssl speed -seconds 3 -multi 2 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $7}')
in_process=$("$sign_bench" 3)
rsa_inproc=$(awk '/^RS256/ {print $2}' <<<"$in_process")
ec_inproc=$(awk '/^ES256/ {print $2}' <<<"$in_process")

percent() { echo "100 * $1 / $2" | bc -l; }
printf '\n%-6s %9s %7s %7s %6s %14s %6s %16s %6s\n' realm tokens/s p50_ms p99_ms errors "openssl sign/s" ratio "in-process sign/s" ratio
for row in "RS256 $rs_rps $rs_p50 $rs_p99 $rs_errors $rsa_ceiling $rsa_inproc" "ES256 $es_rps $es_p50 $es_p99 $es_errors $ec_ceiling $ec_inproc"; do
    set -- $row
    printf '%-6s %9.0f %7.2f %7.2f %6d %14.0f %5.0f%% %16.0f %5.0f%%\n' "$1" "$2" "$3" "$4" "$5" "$6" "$(percent "$2" "$6")" "$7" "$(percent "$2" "$7")"
done
echo
echo "wrk -t2 -c64 -d${duration}s on 127.0.0.1; server and load generator share the machine's $(nproc) cores."
echo "openssl sign/s: \`openssl speed -multi 2\` (OpenSSL 3); in-process: the server's own signing path (jwt-kit over BoringSSL), all cores."
echo "Targets: RS256 >= 60% of the RSA-2048 ceiling; ES256 >= 8,000 tokens/s; p99 <= 10 ms."
