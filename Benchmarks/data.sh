#!/usr/bin/env bash
# "Retrieves data from view": requests/s, p50 and p99 of GET /api/data/{view}?limit=100 with a data-product PSK, on
# the SQLite demo warehouse and on PostgreSQL (system database and warehouse), next to GET /api/user/me with the same
# kind of credential on the same server (authentication alone) as the ratio's base.
# Usage: Benchmarks/data.sh [seconds per run, default 5]
# PostgreSQL: BENCH_POSTGRES_URL=postgres://… (a database the script may create databases next to); without it, as
# root, a throwaway cluster is started with scripts/postgres.sh.
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
port=18083
pg_dir=
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; [ -n "$pg_dir" ] && scripts/postgres.sh stop "$pg_dir"; rm -rf "$work"' EXIT
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

start() { # data dir, extra serve flags…
    local dir=$1
    shift
    "$bin" serve --data-dir "$dir" --port "$port" --log-level error "$@" >"$dir/banner.txt" 2>&1 &
    server=$!
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/api/health/ping" >/dev/null && break; sleep 0.1; done
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }
run() { # path, PSK=… → "rps p50 p99 errors"
    local path=$1
    shift
    env "$@" wrk -t2 -c64 -d"${duration}s" --latency -s Benchmarks/get-request.lua "http://127.0.0.1:$port$path" | awk '/^RESULT/ {print $2, $3, $4, $5}'
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

# One setting: a server on the given storage, a product over orders, three interleaved rounds of each case.
measure() { # label, data dir, extra serve flags…
    local label=$1 dir=$2
    shift 2
    mkdir -p "$dir"
    start "$dir" "$@"
    local base="http://127.0.0.1:$port" banner="$dir/banner.txt"
    local client_id client_secret token key
    client_id=$(awk '/Client ID:/ {print $3}' "$banner")
    client_secret=$(awk '/Client secret:/ {print $3}' "$banner")
    token=$(curl -s -X POST "$base/realms/nexusone/protocol/openid-connect/token" -d grant_type=client_credentials \
        -d client_id="$client_id" -d client_secret="$client_secret" | json '["access_token"]')
    key=$(curl -s -X POST "$base/api/dataproduct" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d '{"name":"orders_view","role_name":"nx1_ask","query":"SELECT order_id, customer_id, order_date, channel, status, total_amount FROM orders"}' |
        json '["preshared_key"]')
    local filtered="/api/data/orders_view?limit=100&filter=channel%20%3D%20%27Web%27%20and%20total_amount%20%3E%20100&order=total_amount%20desc"
    run "/api/data/orders_view?limit=100" PSK="$key" >/dev/null  # warm-up
    for _ in 1 2 3; do
        run /api/user/me PSK="$key" >>"$dir/auth"  # 403 after authentication: the credential check alone
        run "/api/data/orders_view?limit=100" PSK="$key" >>"$dir/page"
        run "/api/data/orders_view?limit=100&start=3000&psk=$key" >>"$dir/query_key"
        run "$filtered" PSK="$key" >>"$dir/filtered"
    done
    stop
    read -r auth_rps auth_p50 auth_p99 _ < <(median <"$dir/auth")
    for case in page query_key filtered; do
        read -r rps p50 p99 errors < <(median <"$dir/$case")
        printf '%-11s %-44s %10.0f %8.2f %8.2f %7d %8.2f\n' "$label" "$(describe "$case")" "$rps" "$p50" "$p99" "$errors" "$(echo "$rps / $auth_rps" | bc -l)"
    done
    printf '%-11s %-44s %10.0f %8.2f %8.2f %7s %8s\n' "$label" "credential check alone (/api/user/me → 403)" "$auth_rps" "$auth_p50" "$auth_p99" "-" "1.00"
}
describe() {
    case $1 in
        page) echo "?limit=100, key in Authorization-PSK" ;;
        query_key) echo "?limit=100&start=3000, key in ?psk=" ;;
        filtered) echo "?limit=100, filter + order" ;;
    esac
}

printf '\n%-11s %-44s %10s %8s %8s %7s %8s\n' storage case requests/s p50_ms p99_ms non2xx ratio
measure sqlite "$work/sqlite"

postgres=${BENCH_POSTGRES_URL:-}
if [ -z "$postgres" ] && [ "$(id -u)" = 0 ] && [ -x scripts/postgres.sh ]; then
    pg_dir=$(mktemp -d /tmp/nexusone-bench-pg.XXXXXX)
    postgres=$(scripts/postgres.sh start "$pg_dir" 55434)
fi
if [ -n "$postgres" ]; then
    suffix=$RANDOM
    psql "$postgres" -qc "CREATE DATABASE nx1_bench_sys_$suffix" -c "CREATE DATABASE nx1_bench_wh_$suffix"
    system_url="${postgres%/*}/nx1_bench_sys_$suffix"
    warehouse_url="${postgres%/*}/nx1_bench_wh_$suffix"
    "$bin" warehouse load-demo --data-dir "$work/postgres" --warehouse-url "$warehouse_url" --log-level error >/dev/null
    measure postgres "$work/postgres" --database-url "$system_url" --warehouse-url "$warehouse_url"
    psql "$postgres" -qc "DROP DATABASE nx1_bench_sys_$suffix WITH (FORCE)" -c "DROP DATABASE nx1_bench_wh_$suffix WITH (FORCE)"
else
    echo "(PostgreSQL skipped: set BENCH_POSTGRES_URL or run as root)"
fi
echo
echo "wrk -t2 -c64 -d${duration}s on 127.0.0.1, median of 3 interleaved rounds (release build); server, database and wrk share"
echo "$(nproc) cores. Ratio: requests/s over the credential check alone on the same server. 6,000 orders in the view."
