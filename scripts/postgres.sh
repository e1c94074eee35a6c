#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: `scripts/postgres.sh start DIR PORT` prints its URL; `stop DIR` ends it;
# `reader URL ROLE` makes ROLE a login that may only read the tables of the database at URL (the kind of warehouse role
# `serve` accepts) and prints its URL.
set -euo pipefail
command=${1:?start|stop}
dir=${2:?directory or URL}
port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }

case "$command" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_postgres "'$bin/initdb' -D '$dir/data' -U postgres --auth=trust -E UTF8" >/dev/null
    fi
    as_postgres "'$bin/pg_ctl' -D '$dir/data' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off\" -l '$dir/log' -w start" >/dev/null
    psql -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='nexusone_test'" | grep -q 1 ||
        psql -h 127.0.0.1 -p "$port" -U postgres -qc "create database nexusone_test"
    echo "postgres://postgres@127.0.0.1:$port/nexusone_test"
    ;;
stop)
    as_postgres "'$bin/pg_ctl' -D '$dir/data' stop -m fast" >/dev/null 2>&1 || true
    ;;
reader)
    url=$dir role=${3:?role}
    psql "$url" -qc "CREATE ROLE $role LOGIN PASSWORD '$role'" -c "GRANT SELECT ON ALL TABLES IN SCHEMA public TO $role"
    python3 -c "import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(u.urlunparse(p._replace(netloc=f'{sys.argv[2]}:{sys.argv[2]}@{p.hostname}:{p.port}')))" "$url" "$role"
    ;;
*)
    echo "usage: $0 start|stop DIR [PORT] | reader URL ROLE" >&2
    exit 2
    ;;
esac
