#!/usr/bin/env bash
# Issue 20: INPUT (the BBC CSV) through SQLite and through PostgreSQL + NATS
# JetStream workers, on this machine.
#
#   docs/bench/queue-vs-sqlite.sh INPUT [WORKERS…]        (default: 1 2 4)
#
# 1. SQLite: `ingest INPUT` (read, analyse, store, link) into a fresh data
#    directory, timed; then `ingest --no-link` into another and `link`,
#    timed apart (the linker's articles/s on SQLite).
# 2. For each W in WORKERS: a fresh PostgreSQL database and a fresh NATS
#    stream; `ingest --queue` publishes INPUT; W workers (`worker --drain
#    --json`, one rayon thread each: one core per worker) store it, timed
#    until the database holds every article; then one `worker --link
#    --drain` links it, timed. Each worker's report gives the stages.
# 3. Every JSON listing of each PostgreSQL store (articles, stories,
#    storylines, findings --all, entities, claims, stances, the largest
#    story's timeline and briefing, stats) is compared with the SQLite
#    store's, with `ingested_at` removed (the time each run read INPUT) and,
#    in stats, the schema version and the ingest runs (each backend's own).
#    Any difference is printed and makes the script exit 1.
#    ORDER_WAIT=0 runs the workers with `--order-wait 0`: each stores its
#    batch as soon as it is analysed, in whatever order that happens.
#    KEEP=DIR keeps the documents (DIR/docs-sqlite, DIR/docs-pg-W), to
#    compare two builds' documents with `diff -r`.
#    COPIES=N publishes INPUT N times (`ingest --queue --copies N`, each copy
#    a new article by content hash) for scale; the SQLite store stays one
#    copy, so the documents are then not compared, and the SQLite linker is
#    timed on the same N copies by `bench ingest --copies N --link` (a
#    throwaway store, linked after each copy), per copy. The PostgreSQL
#    linker's progress is read every 0.2 s meanwhile, so its time per copy
#    shows too: whether linking slows as the store grows.
#
# Starts its own PostgreSQL (its default settings: fsync and synchronous
# commits on) and nats-server -js on loopback, in a temporary directory
# removed at the end. Needs initdb/pg_ctl (PATH or /usr/lib/postgresql/*/bin),
# nats-server, psql, jq, python3. Release build first:
#   cargo build --release -p storyline-cli
set -euo pipefail
BIN=$(realpath "${BIN:-target/release/storyline}")
INPUT=$(realpath "$1")
shift
WORKERS=${*:-1 2 4}
COPIES=${COPIES:-1}
WORK=$(mktemp -d /tmp/storyline-queue-bench.XXXXXX)
chmod 755 "$WORK"
export STORYLINE_LOG=${STORYLINE_LOG:-warn}
unset STORYLINE_DATA STORYLINE_STORE STORYLINE_QUEUE

PGBIN=$(dirname "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u nobody --); fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
NATS_PID=
cleanup() {
    [ -n "$NATS_PID" ] && kill "$NATS_PID" 2>/dev/null || true
    "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir -p "$WORK/pg"
[ ${#RUNAS[@]} -gt 0 ] && chown nobody "$WORK/pg"
PGPORT=$(free_port)
"${RUNAS[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -U storyline --auth=trust -E UTF8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -c unix_socket_directories=$WORK/pg" start >/dev/null
PG=postgres://storyline@127.0.0.1:$PGPORT
NPORT=$(free_port)
NATS=nats://127.0.0.1:$NPORT
start_nats() { # a fresh stream each time: a new store directory
    [ -n "$NATS_PID" ] && { kill "$NATS_PID"; wait "$NATS_PID" 2>/dev/null || true; }
    rm -rf "$WORK/nats"
    nats-server -js -a 127.0.0.1 -p "$NPORT" -sd "$WORK/nats" >"$WORK/nats.log" 2>&1 &
    NATS_PID=$!
    for _ in $(seq 100); do curl -s "http://127.0.0.1:$NPORT" >/dev/null 2>&1 && break; sleep 0.05; done
    sleep 0.3
}
now() { date +%s.%N; }
secs() { python3 -c "print(f'{$2 - $1:.2f}')"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: $(nproc) cores, $(uname -sr); $("$PGBIN/postgres" --version); $(nats-server --version)"
echo "input: $INPUT"

# --- SQLite ---
t0=$(now)
"$BIN" --data-dir "$WORK/sqlite" ingest "$INPUT" --quiet
t1=$(now)
ARTICLES=$("$BIN" --data-dir "$WORK/sqlite" stats --json | jq .articles)
echo "sqlite: ingest (read, analyse, store, link) $(secs "$t0" "$t1") s for $ARTICLES articles (load $(load))"
"$BIN" --data-dir "$WORK/sqlite-nolink" ingest "$INPUT" --quiet --no-link
t0=$(now)
"$BIN" --data-dir "$WORK/sqlite-nolink" link --json >"$WORK/sqlite-link.json"
t1=$(now)
echo "sqlite: link alone $(secs "$t0" "$t1") s, $(python3 -c "print(f'{$ARTICLES / ($t1 - $t0):.1f}')") articles/s (load $(load))"
if [ "$COPIES" -gt 1 ]; then
    "$BIN" bench ingest "$INPUT" --copies "$COPIES" --link >"$WORK/sqlite-bench.json"
    jq -r '"sqlite: link \(.copies) copies \(.link_per_copy | map(.seconds) | add * 100 | round / 100) s, \(.link_per_copy | map(.linked) | add) articles, \((.link_per_copy | map(.linked) | add) / (.link_per_copy | map(.seconds) | add) * 10 | round / 10) articles/s; per copy (ms per article): \(.link_per_copy | map(.ms_per_article * 10 | round / 10) | join(" "))"' \
        "$WORK/sqlite-bench.json"
fi

LISTINGS=("articles --json" "stories --json" "storylines --json" "findings --json --all"
    "entities --json" "claims --json" "stances --json" "stats --json")
STRIP='walk(if type == "object" then del(.ingested_at) else . end)'
STRIP_STATS='del(.schema_version, .ingest_runs)'
dump() { # dump DIR STORE-ARGS…
    local dir=$1
    shift
    mkdir -p "$dir"
    for l in "${LISTINGS[@]}"; do
        # shellcheck disable=SC2086
        "$BIN" "$@" $l | jq -S "$STRIP" >"$dir/${l%% *}.json"
    done
    jq -S "$STRIP_STATS" "$dir/stats.json" >"$dir/stats.tmp" && mv "$dir/stats.tmp" "$dir/stats.json"
    local story
    story=$(jq -r '.stories[0].id // empty' "$dir/stories.json")
    if [ -n "$story" ]; then
        "$BIN" "$@" timeline "$story" --json | jq -S "$STRIP" >"$dir/timeline.json"
        "$BIN" "$@" brief "$story" --format json | jq -S "$STRIP" >"$dir/brief.json"
    fi
}
dump "$WORK/docs-sqlite" --data-dir "$WORK/sqlite"
echo "sqlite: $(jq '.stories | length' "$WORK/docs-sqlite/stories.json") stories, $(jq '.findings | length' "$WORK/docs-sqlite/findings.json") findings (--all), $(jq '.entities | length' "$WORK/docs-sqlite/entities.json") entities, $(jq '.claims | length' "$WORK/docs-sqlite/claims.json") claims"

# --- PostgreSQL + NATS, W workers ---
STATUS=0
for W in $WORKERS; do
    start_nats
    db=queue_bench_$W
    psql -X -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    STORE=$PG/$db
    "$BIN" --store "$STORE" stats >/dev/null 2>&1 || true # the schema, outside the timings
    t0=$(now)
    TOTAL=$((ARTICLES * COPIES))
    copies=()
    [ "$COPIES" -gt 1 ] && copies=(--copies "$COPIES")
    "$BIN" ingest --queue "$NATS" "$INPUT" "${copies[@]}" --json >"$WORK/publish-$W.json"
    t1=$(now)
    pids=()
    for i in $(seq "$W"); do
        RAYON_NUM_THREADS=1 "$BIN" --store "$STORE" worker --queue "$NATS" --drain --json \
            ${ORDER_WAIT:+--order-wait "$ORDER_WAIT"} >"$WORK/worker-$W-$i.json" &
        pids+=($!)
    done
    while [ "$(psql -X -qtA "$STORE" -c 'SELECT count(*) FROM articles')" -lt "$TOTAL" ]; do sleep 0.05; done
    t2=$(now)
    wait "${pids[@]}"
    t3=$(now)
    "$BIN" --store "$STORE" worker --link --drain --every 1s --queue "$NATS" --json >"$WORK/link-$W.json" &
    link_pid=$!
    # When the linker passed each copy: its watermark, read as it goes.
    : >"$WORK/linked-$W.txt"
    while kill -0 "$link_pid" 2>/dev/null; do
        echo "$(now) $(psql -X -qtA "$STORE" -c 'SELECT count(*) FROM articles WHERE seq <= (SELECT coalesce(max(watermark), 0) FROM link_state)' 2>/dev/null || echo 0)" >>"$WORK/linked-$W.txt"
        sleep 0.2
    done
    wait "$link_pid"
    t4=$(now)
    echo "== $W worker(s) (load $(load))"
    echo "publish $(secs "$t0" "$t1") s; workers stored all $TOTAL articles $(secs "$t1" "$t2") s after it ($(python3 -c "print(f'{$TOTAL / ($t2 - $t1):.1f}')") articles/s); publish + store $(python3 -c "print(f'{$TOTAL / ($t2 - $t0):.1f}')") articles/s; linker $(secs "$t3" "$t4") s ($(python3 -c "print(f'{$TOTAL / ($t4 - $t3):.1f}')") articles/s, one idle look of up to 1 s included)"
    jq -s --argjson n "$TOTAL" --argjson pub "$(jq .elapsed "$WORK/publish-$W.json")" '
      def ms: . * 1000 / $n | . * 100 | round / 100;
      {workers: length,
       stored: (map(.stored) | add), out_of_order: (map(.out_of_order) | add),
       redelivered: (map(.redelivered) | add), dead: (map(.dead_lettered) | add),
       "ms per article, summed over workers": {
         publish: ($pub | ms), fetch: (map(.fetch) | add | ms), ack: (map(.ack) | add | ms),
         dedup: (map(.stages.dedup) | add | ms), analysis: (map(.stages.analysis) | add | ms),
         store: (map(.stages.store) | add | ms), turn_wait: (map(.turn_wait) | add | ms),
         idle: (map(.idle) | add | ms)}}' "$WORK"/worker-"$W"-*.json
    if [ "$COPIES" -gt 1 ]; then
        python3 - "$WORK/linked-$W.txt" "$t3" "$ARTICLES" "$COPIES" "$t4" <<'PY'
import sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 2]
start, per, copies, end = float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
marks, prev = [], start
for c in range(1, copies + 1):
    t = next((t for t, n in rows if n >= c * per), end)
    marks.append(f"{(t - prev) * 1000 / per:.1f}")
    prev = t
print("linker on PostgreSQL per copy (ms per article, read every 0.2 s):", " ".join(marks))
PY
        echo "documents: not compared ($COPIES copies here, one in the SQLite store)"
        continue
    fi
    dump "$WORK/docs-pg-$W" --store "$STORE"
    if diff -r "$WORK/docs-sqlite" "$WORK/docs-pg-$W" >"$WORK/diff-$W.txt"; then
        echo "documents: identical to SQLite's ($(ls "$WORK/docs-pg-$W" | tr '\n' ' '))"
    else
        echo "documents: DIFFER from SQLite's:"
        for f in "$WORK/docs-sqlite"/*.json; do
            n=$(diff "$f" "$WORK/docs-pg-$W/$(basename "$f")" | grep -c '^[<>]' || true)
            [ "$n" -gt 0 ] && echo "  $(basename "$f"): $n lines differ"
        done
        head -30 "$WORK/diff-$W.txt"
        STATUS=1
    fi
done
if [ -n "${KEEP:-}" ]; then
    mkdir -p "$KEEP"
    cp -r "$WORK"/docs-* "$KEEP"/
fi
exit $STATUS
