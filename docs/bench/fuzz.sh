#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ for SECONDS each, one after the
# other (issue 19), then the API harness for the same time, and prints one
# table row per target:
#   target  executions  seconds  crashes (artifacts written)
# Exits 1 if any target crashed; the crashing inputs are in
# fuzz/artifacts/TARGET/ (reproduce one with
# `cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-…`).
#
# Usage: docs/bench/fuzz.sh [SECONDS] [TARGET...]
#   Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
#   The targets are built without a sanitizer: the crates fuzzed hold no
#   `unsafe`, so AddressSanitizer would only slow them down; panics,
#   overflows (debug assertions are on), timeouts and memory over the
#   limit are what is looked for. The corpus grows in fuzz/corpus/TARGET
#   (ignored by git) from the seeds in fuzz/seeds/TARGET.
set -uo pipefail
secs=${1:-600}
shift || true
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here/fuzz"
targets=${*:-header_lines html json csv feed warc dates numbers analysis api}
mkdir -p logs
cargo +nightly fuzz build --sanitizer none >logs/build.log 2>&1 || { tail -n 30 logs/build.log; exit 2; }
failed=0
printf '%-13s %14s %8s %s\n' target executions seconds crashes
for t in $targets; do
    if [ "$t" = api ]; then
        # The API's request parsing: a proptest harness that drives the
        # router (crates/server/tests/fuzz_api.rs) for about SECONDS.
        start=$(date +%s)
        ( cd "$here" && FUZZ_API_SECONDS=$secs cargo test --release -p storyline-server \
            --test fuzz_api -- --nocapture ) >logs/api.log 2>&1
        rc=$?
        runs=$(grep -o 'requests: [0-9]*' logs/api.log | tail -n 1 | grep -o '[0-9]*')
        crashes=$([ $rc = 0 ] && echo 0 || echo "1 (see fuzz/logs/api.log)")
        printf '%-13s %14s %8s %s\n' api "${runs:-?}" "$(( $(date +%s) - start ))" "$crashes"
        [ $rc = 0 ] || failed=1
        continue
    fi
    mkdir -p "corpus/$t" "artifacts/$t"
    before=$(find "artifacts/$t" -type f | wc -l)
    # -fork=1: one child at a time that libFuzzer restarts after a crash,
    # so that one crash does not end the run; every crash is still written
    # to artifacts/.
    cargo +nightly fuzz run --sanitizer none "$t" "corpus/$t" "seeds/$t" -- \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 -max_len=65536 \
        >"logs/$t.log" 2>&1
    last=$(grep -E '^#[0-9]+: cov' "logs/$t.log" | tail -n 1)
    runs=$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#')
    took=$(echo "$last" | grep -oE ' time: [0-9]+' | grep -oE '[0-9]+')
    crashes=$(( $(find "artifacts/$t" -type f | wc -l) - before ))
    printf '%-13s %14s %8s %s\n' "$t" "${runs:-?}" "${took:-?}" "$crashes"
    [ "$crashes" = 0 ] || failed=1
done
exit $failed
