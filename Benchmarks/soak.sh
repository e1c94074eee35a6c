#!/usr/bin/env bash
# Long run: a mixed load (tokens, PSK calls, 100-row data pages in turn; wrk, 2 threads, 16 connections) for N minutes
# on SQLite and then on PostgreSQL, printing every 30 s the throughput and p99 of the last 30 s, the server's resident
# memory (VmRSS) and its open file descriptors. Goals (issue "Production operations"): RSS ≤ 64 MiB and flat, fds flat.
# The binary is the container's: release, Swift runtime linked in (--static-swift-stdlib, scratch path .build-static).
# Usage: Benchmarks/soak.sh [minutes per database, default 10]; SOAK_DATABASES="postgres" runs one of the two.
# PostgreSQL: BENCH_POSTGRES_URL=postgres://…, or (as root) a throwaway cluster started with scripts/postgres.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
slices=$((minutes * 2))
if ! command -v wrk >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
    apt-get install -y -qq wrk >/dev/null
fi

swift build -c release --static-swift-stdlib --product nexusone --scratch-path .build-static >/dev/null
bin=$(swift build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)/nexusone
work=$(mktemp -d /tmp/nexusone-soak.XXXXXX)
port=18084
pg_dir=
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; [ -n "$pg_dir" ] && scripts/postgres.sh stop "$pg_dir"; rm -rf "$work"' EXIT
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
fds() { ls "/proc/$server/fd" | wc -l; }

soak() { # label, data dir, extra serve flags…
    local label=$1 dir=$2
    shift 2
    mkdir -p "$dir"
    "$bin" serve --data-dir "$dir" --port "$port" --log-level error "$@" >"$dir/banner.txt" 2>"$dir/log.txt" &
    server=$!
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/api/health/ping" >/dev/null && break; sleep 0.1; done
    local base="http://127.0.0.1:$port" banner="$dir/banner.txt" token
    export REALM=nexusone CLIENT_ID CLIENT_SECRET PSK DATA_KEY DATA_PATH="/api/data/soak_view?limit=100"
    CLIENT_ID=$(awk '/Client ID:/ {print $3}' "$banner")
    CLIENT_SECRET=$(awk '/Client secret:/ {print $3}' "$banner")
    PSK=$(awk '$1 == "PSK:" {print $2; exit}' "$banner")
    token=$(curl -s -X POST "$base/realms/nexusone/protocol/openid-connect/token" -d grant_type=client_credentials \
        -d client_id="$CLIENT_ID" -d client_secret="$CLIENT_SECRET" | json '["access_token"]')
    DATA_KEY=$(curl -s -X POST "$base/api/dataproduct" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d '{"name":"soak_view","role_name":"nx1_ask","query":"SELECT order_id, customer_id, order_date, channel, status, total_amount FROM orders"}' |
        json '["preshared_key"]')
    printf '%-10s %6s %12s %8s %8s %9s %5s\n' "$label" "t_s" "requests/s" "p99_ms" "errors" "rss_MiB" "fds"
    printf '%-10s %6d %12s %8s %8s %9s %5d\n' "$label" 0 - - - "$(rss_mib)" "$(fds)"
    for slice in $(seq "$slices"); do
        read -r rps _ p99 errors < <(wrk -t2 -c16 -d30s --latency -s Benchmarks/mixed-load.lua "$base" | awk '/^RESULT/ {print $2, $3, $4, $5}')
        printf '%-10s %6d %12.0f %8.2f %8d %9s %5d\n' "$label" $((slice * 30)) "$rps" "$p99" "$errors" "$(rss_mib)" "$(fds)"
    done
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=
}

databases=${SOAK_DATABASES:-sqlite postgres}
[[ " $databases " == *" sqlite "* ]] && soak sqlite "$work/sqlite"
[[ " $databases " == *" postgres "* ]] || exit 0
postgres=${BENCH_POSTGRES_URL:-}
if [ -z "$postgres" ] && [ "$(id -u)" = 0 ]; then
    pg_dir=$(mktemp -d /tmp/nexusone-soak-pg.XXXXXX)
    postgres=$(scripts/postgres.sh start "$pg_dir" 55435)
fi
if [ -n "$postgres" ]; then
    suffix=$RANDOM
    psql "$postgres" -qc "CREATE DATABASE nx1_soak_sys_$suffix" -c "CREATE DATABASE nx1_soak_wh_$suffix"
    "$bin" warehouse load-demo --data-dir "$work/postgres" --warehouse-url "${postgres%/*}/nx1_soak_wh_$suffix" --log-level error >/dev/null
    # serve refuses a warehouse role that can do more than read: the server reads through one that cannot.
    reader_url=$(scripts/postgres.sh reader "${postgres%/*}/nx1_soak_wh_$suffix" "nx1_soak_reader_$suffix")
    soak postgres "$work/postgres" --database-url "${postgres%/*}/nx1_soak_sys_$suffix" --warehouse-url "$reader_url"
    psql "$postgres" -qc "DROP DATABASE nx1_soak_sys_$suffix WITH (FORCE)" -c "DROP DATABASE nx1_soak_wh_$suffix WITH (FORCE)" \
        -c "DROP ROLE nx1_soak_reader_$suffix"
else
    echo "(PostgreSQL skipped: set BENCH_POSTGRES_URL or run as root)"
fi
echo
echo "wrk -t2 -c16, 30 s slices back to back, on 127.0.0.1; server, database and wrk share $(nproc) cores."
