#!/usr/bin/env bash
# Fuzzes every parser of untrusted input with libFuzzer (the Swift toolchain's own, -sanitize=fuzzer,address):
# `scripts/fuzz.sh [SECONDS]` runs each target for SECONDS (default 20), starting from Fuzz/Corpus/<target>.
# Exits non-zero on a crash, a trap or a broken property; the input that did it is kept in $NEXUSONE_ARTIFACTS/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
artifacts=${NEXUSONE_ARTIFACTS:-$PWD/.ci-artifacts}/fuzz
mkdir -p "$artifacts"

# Only our own modules are rebuilt with the sanitizer flags; dependencies keep their normal build.
NEXUSONE_FUZZ=1 swift build --product NexusOneFuzz
binary=$(NEXUSONE_FUZZ=1 swift build --product NexusOneFuzz --show-bin-path)/NexusOneFuzz

for target in sql filter psk form jwt admin; do
    work=$(mktemp -d "/tmp/nexusone-fuzz-$target.XXXXXX")
    cp Fuzz/Corpus/"$target"/* "$work"/
    echo "== fuzz $target (${seconds}s)"
    status=0
    NEXUSONE_FUZZ_TARGET=$target "$binary" "$work" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
        -artifact_prefix="$artifacts/$target-" >"$work.log" 2>&1 || status=$?
    grep -E "^stat::(number_of_executed_units|new_units_added)|ERROR|SUMMARY|Fatal error" "$work.log" || true
    [ "$status" -eq 0 ] || tail -40 "$work.log"
    rm -rf "$work" "$work.log"
    if [ "$status" -ne 0 ]; then
        echo "fuzz target $target failed (exit $status); the input is in $artifacts" >&2
        exit 1
    fi
done
