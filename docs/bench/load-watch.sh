#!/usr/bin/env bash
# `serve` under load while `watch` ingests, in two processes on one store
# (issue 21: many readers, one writer):
#   1. the demo store; `storyline serve` (a reader) on loopback; `storyline
#      watch DROP/ --every 1s --settle 0` (the writer) on the same store;
#   2. a loop drops one new article into DROP/ every second for the whole
#      run, and runs `storyline stories` and `storyline search` beside
#      them once a second (readers in their own processes);
#   3. wrk (-t1 -c16, DURATION seconds each) on the story page and on
#      `/api/findings`, one after the other, while all that runs;
#   4. checks: every dropped article is in the store (nothing lost), no
#      non-2xx answer and no failed reader command (nothing locked out).
# Usage: docs/bench/load-watch.sh [path/to/storyline] [DURATION]   (default 30)
# Needs wrk, curl and jq (Debian: apt-get install wrk curl jq). Release build first.
set -euo pipefail
BIN=$(realpath "${1:-target/release/storyline}")
DURATION=${2:-30}
PORT=18081
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
SERVER= WATCH= DROPPER=
trap 'kill $SERVER $WATCH $DROPPER 2>/dev/null || true; rm -rf "$WORK"' EXIT
unset STORYLINE_DATA STORYLINE_STORE
export STORYLINE_LOG=warn

"$BIN" demo --data-dir "$WORK/store" -q >/dev/null
BEFORE=$("$BIN" --data-dir "$WORK/store" stats --json | jq .articles)
mkdir "$WORK/drop"
"$BIN" serve --data-dir "$WORK/store" --addr 127.0.0.1:$PORT >"$WORK/serve.log" 2>&1 &
SERVER=$!
"$BIN" watch "$WORK/drop" --data-dir "$WORK/store" --every 1s --settle 0 >"$WORK/watch.log" 2>&1 &
WATCH=$!
for _ in $(seq 100); do curl -fs "$BASE/api/stats" >/dev/null && break; sleep 0.1; done
STORY=$(curl -fs "$BASE/api/stories?limit=1" | grep -o '"id":"s[0-9]*"' | head -1 | cut -d'"' -f4)
echo "machine: $(nproc) cores, $(uname -sr); load $(cut -d' ' -f1-3 /proc/loadavg); story $STORY; $BEFORE articles before"

# The writer's feed and the readers beside it, for as long as wrk runs.
(
    n=0
    while :; do
        n=$((n + 1))
        printf 'title: Load report %d\ndate 2025-03-20\nsource: Load Wire\n\nOfficials in Lessk said %d more families had returned home on Thursday, according to the provincial government, in report number %d of the load test.\n' \
            "$n" "$n" "$n" >"$WORK/drop/.r$n.tmp"
        mv "$WORK/drop/.r$n.tmp" "$WORK/drop/report-$n.txt"
        echo "$n" >"$WORK/dropped"
        "$BIN" --data-dir "$WORK/store" stories --limit 3 >/dev/null 2>>"$WORK/readers.err" || echo "stories failed" >>"$WORK/readers.fail"
        "$BIN" --data-dir "$WORK/store" search families --limit 3 >/dev/null 2>>"$WORK/readers.err" || echo "search failed" >>"$WORK/readers.fail"
        echo ok >>"$WORK/readers.ok"
        sleep 1
    done
) &
DROPPER=$!

for path in "/stories/$STORY" "/api/findings"; do
    echo "== wrk -t1 -c16 -d${DURATION}s $path (watch ingesting beside it)"
    wrk -t1 -c16 -d"${DURATION}s" --latency "$BASE$path" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx|requests in"
done
kill $DROPPER
wait $DROPPER 2>/dev/null || true
DROPPED=$(cat "$WORK/dropped")
# The last file dropped is read by watch's next pass.
want=$((BEFORE + DROPPED))
for _ in $(seq 100); do
    got=$("$BIN" --data-dir "$WORK/store" stats --json | jq .articles)
    [ "$got" -ge "$want" ] && break
    sleep 0.2
done
echo "dropped $DROPPED articles; the store went from $BEFORE to $got articles"
echo "reader commands beside the writer: $(wc -l <"$WORK/readers.ok") rounds of stories + search, $(cat "$WORK/readers.fail" 2>/dev/null | wc -l) failed"
echo "watch passes: $(grep -c . "$WORK/watch.log" || true) log lines; load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$got" -eq "$want" ] || { echo "LOST $((want - got))"; exit 1; }
[ ! -s "$WORK/readers.fail" ] || { echo "READERS LOCKED OUT"; cat "$WORK/readers.err"; exit 1; }
echo "nothing lost, nothing locked out"
