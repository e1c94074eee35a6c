#!/usr/bin/env bash
# Every test suite: Swift unit/HTTP tests, then the real-client suites against a real server on 127.0.0.1.
# Storage tests run on SQLite, and also on PostgreSQL when TEST_POSTGRES_URL is set (.ci/run sets it).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${NEXUSONE_TEST_VENV:-.venv}
if [ ! -x "$venv/bin/pytest" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r Tests/clients/requirements.txt
fi

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
