#!/usr/bin/env bash
# Every test suite, on a fresh machine of this kind: installs what the suites need (PostgreSQL, Chromium and its driver,
# jq, curl, the system SQLite headers, libargon2 for imported Argon2 hashes, zbar to read the QR codes the server draws,
# a Python venv), starts a throwaway
# PostgreSQL unless TEST_POSTGRES_URL names one,
# then runs the Swift tests and the real-client suites on SQLite and on PostgreSQL, and a short fuzzing run.
# NEXUSONE_FUZZ_SECONDS=0 skips the fuzzing; NEXUSONE_NO_POSTGRES=1 runs the SQLite passes only.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql postgresql-client jq curl chromium chromium-driver libsqlite3-dev libargon2-1 nginx-light zbar-tools)
missing=()
for package in "${packages[@]}"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
if ((${#missing[@]})); then
    echo "== installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

venv=${NEXUSONE_TEST_VENV:-.venv}
[ -x "$venv/bin/pip" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r Tests/clients/requirements.txt

if [ -z "${TEST_POSTGRES_URL:-}" ] && [ -z "${NEXUSONE_NO_POSTGRES:-}" ]; then
    pg_dir=$(mktemp -d /tmp/nexusone-test-pg.XXXXXX)
    trap 'scripts/postgres.sh stop "$pg_dir"' EXIT
    TEST_POSTGRES_URL=$(scripts/postgres.sh start "$pg_dir" "${NEXUSONE_TEST_POSTGRES_PORT:-55433}")
    export TEST_POSTGRES_URL
fi

# Browser screenshots and fuzzing finds are kept as artifacts.
export NEXUSONE_ARTIFACTS=${NEXUSONE_ARTIFACTS:-$PWD/.ci-artifacts}

echo "== layers (no HTTP or CLI target reaches storage, the warehouse or a driver)"
python3 scripts/check-layers.py

echo "== swift build"
swift build --build-tests

echo "== swift test (SQLite${TEST_POSTGRES_URL:+ and PostgreSQL})"
swift test --skip-build

echo "== client suites on SQLite"
# Tests marked `postgres` need a database shared by several server processes: they run in the PostgreSQL pass.
env -u TEST_POSTGRES_URL "$venv/bin/pytest" -q -m "not postgres" Tests/clients

if [ -n "${TEST_POSTGRES_URL:-}" ]; then
    echo "== client suites on PostgreSQL"
    "$venv/bin/pytest" -q Tests/clients
fi

seconds=${NEXUSONE_FUZZ_SECONDS:-20}
if [ "$seconds" != 0 ]; then
    # Last: it rebuilds our own modules with the sanitizer flags (the next plain `swift build` rebuilds them again).
    echo "== fuzzing (${seconds}s per target)"
    scripts/fuzz.sh "$seconds"
fi
