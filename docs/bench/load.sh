#!/usr/bin/env bash
# Load test of `storyline serve` on the demo store (issue 5):
#   1. story and timeline endpoints under wrk (30 s each), latency percentiles;
#   2. a long read run (DURATION seconds, default 300) sampling the server's RSS
#      every 10 s, with POST /api/ingest of new articles running alongside;
#   3. checks that every posted article is in the store afterwards.
# Usage: docs/bench/load.sh [path/to/storyline] [DURATION]
# Needs wrk and curl (Debian: apt-get install wrk curl). Release build:
#   cargo build --release -p storyline-cli
set -euo pipefail
BIN=${1:-target/release/storyline}
DURATION=${2:-300}
PORT=18080
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN" demo --data-dir "$WORK/store" -q > /dev/null
"$BIN" serve --data-dir "$WORK/store" --addr 127.0.0.1:$PORT > "$WORK/serve.log" 2>&1 &
SERVER=$!
for _ in $(seq 50); do curl -fs "$BASE/api/stats" > /dev/null && break; sleep 0.2; done
STORY=$(curl -fs "$BASE/api/stories?limit=1" | grep -o '"id":"s[0-9]*"' | head -1 | cut -d'"' -f4)
echo "machine: $(nproc) cores, $(uname -sr); server pid $SERVER; story $STORY"

for path in "/api/stories/$STORY" "/api/stories/$STORY/timeline" "/api/stories" "/stories/$STORY"; do
  echo "== wrk -t1 -c16 -d30s $path"
  wrk -t1 -c16 -d30s --latency "$BASE$path" | grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx"
done

echo "== ${DURATION}s of timeline reads with concurrent POST ingest; RSS (KiB) every 10 s"
count() { curl -fs "$BASE/api/stats" | grep -o '"articles":[0-9]*' | head -1 | cut -d: -f2; }
BEFORE=$(count)
wrk -t1 -c8 -d"${DURATION}s" --latency "$BASE/api/stories/$STORY/timeline" > "$WORK/long.txt" &
WRK=$!
POSTED=0
END=$((SECONDS + DURATION))
NEXT_RSS=$SECONDS
while [ $SECONDS -lt $END ]; do
  if [ $SECONDS -ge $NEXT_RSS ]; then
    echo "t=$((DURATION - END + SECONDS))s rss=$(ps -o rss= -p $SERVER)"
    NEXT_RSS=$((SECONDS + 10))
  fi
  POSTED=$((POSTED + 1))
  curl -fs -X POST "$BASE/api/ingest" -H 'content-type: application/json' \
    -d "{\"title\":\"Load test report $POSTED\",\"date\":\"2025-03-20\",\"source\":\"Load Wire\",\"text\":\"Report number $POSTED from the load test: officials in Lessk said $POSTED more families had returned home on Thursday, according to the provincial government.\"}" \
    > /dev/null || echo "POST $POSTED failed"
  sleep 1
done
wait $WRK
grep -E "Requests/sec|Latency|50%|90%|99%|Non-2xx" "$WORK/long.txt"
AFTER=$(count)
echo "posted $POSTED articles; store grew from $BEFORE to $AFTER articles"
[ $((AFTER - BEFORE)) -eq $POSTED ] && echo "nothing lost" || { echo "LOST $((POSTED - AFTER + BEFORE))"; exit 1; }
