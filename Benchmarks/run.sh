#!/usr/bin/env bash
# Every performance figure side by side, from one run, each next to its ceiling and the ratio:
#   1. client_credentials tokens/s for an RS256 and an ES256 realm, next to `openssl speed -multi 2` of the same run
#      and the server's own signing path in-process (SignBenchmark);
#   2. GET /api/user/me with a PSK and with a bearer token, next to the same handler without authentication
#      (GET /api/bench/me, served with NEXUSONE_BENCHMARK_BASELINE=<the PSK>: the same answer), metrics on;
#   3. GET /api/data/{view}?limit=100 with a data-product key on SQLite and on PostgreSQL, next to pgbench running the
#      statements the server sends for that page on as many connections as the server's warehouse pool;
#   4. p99 at a fixed arrival rate of half of each endpoint's maximum (Poisson arrivals paced by Benchmarks/pacing.lua,
#      so the p99 is latency, not queueing at saturation).
# Maxima: wrk, 2 threads, 64 connections, median of 3 interleaved rounds. Server, database and load generators share
# the machine's cores. CI does not run this (no timed tests); the figures are in Benchmarks/README.md.
# Usage: Benchmarks/run.sh [seconds per round, default 5]
# PostgreSQL: BENCH_POSTGRES_URL=postgres://… (databases are created next to it); without it, as root, a throwaway
# cluster is started with scripts/postgres.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5}
open_loop_seconds=10
if ! command -v wrk >/dev/null || ! command -v bc >/dev/null || ! command -v pgbench >/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "wrk, bc and pgbench are needed: apt-get install -y wrk bc postgresql" >&2; exit 1; }
    apt-get install -y -qq wrk bc postgresql >/dev/null
fi

export NEXUSONE_BENCHMARKS=1
swift build -c release --product nexusone >/dev/null 2>&1
swift build -c release --product SignBenchmark >/dev/null 2>&1
bin_dir=$(swift build -c release --show-bin-path)
bin=$bin_dir/nexusone
work=$(mktemp -d /tmp/nexusone-bench.XXXXXX)
port=18085
base="http://127.0.0.1:$port"
pg_dir=
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server"; [ -n "$pg_dir" ] && scripts/postgres.sh stop "$pg_dir"; rm -rf "$work"' EXIT
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }
ratio() { echo "$1 / $2" | bc -l; }

start() { # data dir, extra serve flags…
    local dir=$1
    shift
    NEXUSONE_SHUTDOWN_GRACE=0 "$bin" serve --data-dir "$dir" --port "$port" --log-level error "$@" \
        >"$dir/banner.txt" 2>&1 &
    server=$!
    for _ in $(seq 300); do
        kill -0 "$server" 2>/dev/null || break  # it exited (the port taken, say)
        curl -sf "$base/health/ready" >/dev/null && return
        sleep 0.1
    done
    echo "the server did not start" >&2
    exit 1
}
stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=; }

# wrk at full speed; a case is a name and its environment for the Lua scripts. Prints "rps p50 p99 errors".
wrk_case() { # script, path, VAR=value…
    local script=$1 path=$2
    shift 2
    env "$@" wrk -t2 -c64 -d"${duration}s" --latency -s "Benchmarks/$script" "$base$path" | awk '/^RESULT/ {print $2, $3, $4, $5}'
}
# The same at a fixed arrival rate (Benchmarks/pacing.lua: Poisson arrivals over the 64 connections).
open_loop() { # rate, script, path, VAR=value…
    local rate=$1 script=$2 path=$3
    shift 3
    env RATE="$rate" CONNECTIONS=64 "$@" wrk -t2 -c64 -d"${open_loop_seconds}s" --latency -s "Benchmarks/$script" "$base$path" |
        awk '/^RESULT/ {print $2, $3, $4, $5}'
}

# ── SQLite: a realm per signing algorithm, the demo deployment (data product), the unauthenticated baseline ─────────
sqlite_dir="$work/sqlite"
mkdir -p "$sqlite_dir"
deploy() { "$bin" deploy --data-dir "$sqlite_dir" --client-name "$1" --algorithm "$2" --output json --log-level error; }
rs=$(deploy bench_rs RS256)
es=$(deploy bench_es ES256)
rs_form="grant_type=client_credentials&scope=profile&client_id=$(json '["clientId"]' <<<"$rs")&client_secret=$(json '["clientSecret"]' <<<"$rs")"
es_form="grant_type=client_credentials&scope=profile&client_id=$(json '["clientId"]' <<<"$es")&client_secret=$(json '["clientSecret"]' <<<"$es")"
psk=$(json '["psk"]' <<<"$es")
# The baseline serves /api/user/me's answer for this key's principal without checking anything per request.
NEXUSONE_BENCHMARK_BASELINE=$psk start "$sqlite_dir"
token=$(curl -s -X POST "$base/realms/bench_es/protocol/openid-connect/token" -d "$es_form" | json '["access_token"]')

data_product_key() { # form: a view over the demo warehouse's orders, made by bench_es' service account; prints its key
    local admin
    admin=$(curl -s -X POST "$base/realms/bench_es/protocol/openid-connect/token" -d "$1" | json '["access_token"]')
    curl -s -X POST "$base/api/dataproduct" -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
        -d '{"name":"orders_view","role_name":"nx1_ask","query":"SELECT order_id, customer_id, order_date, channel, status, total_amount FROM orders"}' |
        json '["preshared_key"]'
}
data_key=$(data_product_key "$es_form")
page=/api/data/orders_view?limit=100

token_case() { wrk_case token-request.lua /realms/"$1"/protocol/openid-connect/token FORM="$2"; }
token_case bench_es "$es_form" >/dev/null  # warm-up
wrk_case get-request.lua "$page" PSK="$data_key" >/dev/null
rsa_speed() { openssl speed -seconds 3 -multi 2 rsa2048 2>/dev/null | awk '/^rsa 2048 bits/ {print $6}'; }
# Each ceiling is measured in the same round as its case, right before or after it, and a ratio is the median of the
# rounds' ratios: this machine's speed drifts by ±10 % over a minute, more than the gaps being measured.
for _ in 1 2 3; do
    rsa_speed >>"$work/rsa_ceiling"
    token_case bench_rs "$rs_form" >>"$work/rs256"
    token_case bench_es "$es_form" >>"$work/es256"
    wrk_case get-request.lua /api/bench/me >>"$work/baseline"
    wrk_case get-request.lua /api/user/me PSK="$psk" >>"$work/psk"
    wrk_case get-request.lua /api/user/me TOKEN="$token" >>"$work/bearer"
    wrk_case get-request.lua "$page" PSK="$data_key" >>"$work/sqlite_page"
done
for case in rs256 es256 baseline psk bearer sqlite_page; do read -r "${case}_rps" _ < <(median <"$work/$case"); done

# Open loop at half of each maximum, on the same server.
half() { echo "$1 / 2" | bc -l; }
open_loop "$(half "$rs256_rps")" token-request.lua /realms/bench_rs/protocol/openid-connect/token FORM="$rs_form" >"$work/rs256_open"
open_loop "$(half "$es256_rps")" token-request.lua /realms/bench_es/protocol/openid-connect/token FORM="$es_form" >"$work/es256_open"
open_loop "$(half "$psk_rps")" get-request.lua /api/user/me PSK="$psk" >"$work/psk_open"
open_loop "$(half "$bearer_rps")" get-request.lua /api/user/me TOKEN="$token" >"$work/bearer_open"
open_loop "$(half "$sqlite_page_rps")" get-request.lua "$page" PSK="$data_key" >"$work/sqlite_page_open"
stop

# ── Ceilings of this machine: RSA-2048 and P-256 signatures (OpenSSL 3, both cores), the server's signing in-process ─
ec_ceiling=$(openssl speed -seconds 3 -multi 2 ecdsap256 2>/dev/null | awk '/256 bits ecdsa \(nistp256\)/ {print $7}')
in_process=$("$bin_dir/SignBenchmark" 3)
rsa_inproc=$(awk '/^RS256/ {print $2}' <<<"$in_process")
ec_inproc=$(awk '/^ES256/ {print $2}' <<<"$in_process")
rsa_signer=$(awk '/^RS256/ {print $3}' <<<"$in_process")

# ── PostgreSQL: the same data page, and pgbench running the server's statements for it ──────────────────────────────
postgres=${BENCH_POSTGRES_URL:-}
if [ -z "$postgres" ] && [ "$(id -u)" = 0 ] && [ -x scripts/postgres.sh ]; then
    pg_dir=$(mktemp -d /tmp/nexusone-bench-pg.XXXXXX)
    postgres=$(scripts/postgres.sh start "$pg_dir" 55435)
fi
if [ -n "$postgres" ]; then
    suffix=$RANDOM
    psql "$postgres" -qc "CREATE DATABASE nx1_bench_sys_$suffix" -c "CREATE DATABASE nx1_bench_wh_$suffix"
    system_url="${postgres%/*}/nx1_bench_sys_$suffix"
    warehouse_url="${postgres%/*}/nx1_bench_wh_$suffix"
    pg_work="$work/postgres"
    mkdir -p "$pg_work"
    "$bin" warehouse load-demo --data-dir "$pg_work" --warehouse-url "$warehouse_url" --log-level error >/dev/null
    # serve refuses a warehouse role that can do more than read: the server reads through one that cannot.
    reader="nx1_bench_reader_$suffix"
    reader_url=$(scripts/postgres.sh reader "$warehouse_url" "$reader")
    pg_es=$("$bin" deploy --data-dir "$pg_work" --database-url "$system_url" --client-name bench_es --algorithm ES256 --output json \
        --log-level error)
    start "$pg_work" --database-url "$system_url" --warehouse-url "$reader_url"
    pg_key=$(data_product_key "grant_type=client_credentials&client_id=$(json '["clientId"]' <<<"$pg_es")&client_secret=$(json '["clientSecret"]' <<<"$pg_es")")
    wrk_case get-request.lua "$page" PSK="$pg_key" >/dev/null
    # What PostgreSQL runs for one page (docs/security.md): the view's statement in the page wrapper, inside a
    # read-only transaction that is rolled back, then the session reset. pgbench sends the same, with the extended
    # protocol, on the warehouse pool's 8 connections.
    cat >"$work/page.sql" <<'SQL'
BEGIN TRANSACTION READ ONLY;
SELECT * FROM (
SELECT order_id, customer_id, order_date, channel, status, total_amount FROM orders
) AS nx1_view LIMIT 101 OFFSET 0;
ROLLBACK;
DISCARD ALL;
SQL
    pgbench_case() { pgbench -n -M extended -c 8 -j 2 -T "$duration" -f "$work/page.sql" "$warehouse_url" 2>/dev/null | awk '/^tps/ {print $3}'; }
    pgbench_case >/dev/null
    for _ in 1 2 3; do
        wrk_case get-request.lua "$page" PSK="$pg_key" >>"$work/pg_page"
        pgbench_case >>"$work/pgbench"
    done
    read -r pg_page_rps _ < <(median <"$work/pg_page")
    open_loop "$(half "$pg_page_rps")" get-request.lua "$page" PSK="$pg_key" >"$work/pg_page_open"
    stop
    psql "$postgres" -qc "DROP DATABASE nx1_bench_sys_$suffix WITH (FORCE)" -c "DROP DATABASE nx1_bench_wh_$suffix WITH (FORCE)" \
        -c "DROP ROLE $reader"
fi

# ── The table ─────────────────────────────────────────────────────────────────────────────────────────────────────────
row() { # name, case file, ceiling name, ceiling file (one figure per round) or value, goal
    local name=$1 file=$2 ceiling_name=$3 ceiling=$4 goal=$5 rps p50 p99 errors open_rps open_p50 open_p99 open_bad ratio_value
    read -r rps p50 p99 errors < <(median <"$work/$file")
    read -r open_rps open_p50 open_p99 open_bad <"$work/${file}_open" 2>/dev/null || read -r open_rps open_p50 open_p99 open_bad <<<"- - - -"
    if [ -f "$work/$ceiling" ]; then
        ratio_value=$(paste -d' ' "$work/$file" "$work/$ceiling" | awk '{print $1 / $5}' | median)
        ceiling=$(awk '{print $1}' "$work/$ceiling" | median)
    else
        ratio_value=$(ratio "$rps" "$ceiling")
    fi
    printf '%-30s %9.0f %7.2f %7d │ %-24s %9.0f %6.2f %-7s │ %8s %7s %7s %5s\n' "$name" "$rps" "$p99" "$errors" "$ceiling_name" "$ceiling" \
        "$ratio_value" "$goal" "$open_rps" "$open_p50" "$open_p99" "$open_bad"
}
echo
printf '%-30s %9s %7s %7s │ %-24s %9s %6s %-7s │ %8s %7s %7s %5s\n' "" "max/s" p99_ms errors ceiling "ceiling/s" ratio goal \
    "open/s" p50_ms p99_ms bad
row "tokens RS256 ($rsa_signer)" rs256 "openssl speed rsa2048" rsa_ceiling ">=0.60"
row "tokens ES256" es256 "openssl speed ecdsap256" "$ec_ceiling" ">=15k/s"
row "/api/user/me, PSK" psk "same handler, no auth" baseline ">=0.90"
row "/api/user/me, bearer" bearer "same handler, no auth" baseline ">=0.90"
row "data page, SQLite" sqlite_page "credential check (PSK)" psk "-"
if [ -n "$postgres" ]; then
    row "data page, PostgreSQL" pg_page "pgbench, same statements" pgbench ">=0.60"
fi
echo
printf 'In-process signing (SignBenchmark, both cores): RS256 %s/s (%s), ES256 %s/s; endpoint over in-process: RS256 %.2f, ES256 %.2f\n' \
    "$rsa_inproc" "$rsa_signer" "$ec_inproc" "$(ratio "$rs256_rps" "$rsa_inproc")" "$(ratio "$es256_rps" "$ec_inproc")"
echo "max/s: wrk -t2 -c64 -d${duration}s, median of 3 interleaved rounds; p99 there is at saturation (queueing)."
echo "ratio: the median of the three rounds' ratios, each case over its ceiling measured beside it in the same round."
echo "open/s: a fixed arrival rate of half the max (Poisson, 64 connections; pacing.lua) for ${open_loop_seconds}s; its p99 is the latency goal (<= 10 ms)."
echo "errors/bad: answers of 300 and above, and socket errors. Release build; $(nproc) cores shared by server, database and load."
