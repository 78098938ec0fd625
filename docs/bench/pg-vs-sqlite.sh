#!/bin/bash
# Ingest INPUT (read, analyse, store, link) RUNS times into a fresh SQLite
# data directory and into a fresh PostgreSQL database, alternately, and
# print the wall times. Usage:
#   docs/bench/pg-vs-sqlite.sh INPUT RUNS postgres://USER@HOST:PORT
# (a server where USER may create and drop databases bench_pg_vs_sqlite_N).
BIN=${BIN:-target/release/storyline}
input=$1 runs=$2 server=$3
TIMEFORMAT=%R
for i in $(seq 1 "$runs"); do
    d=$(mktemp -d)
    s=$({ time "$BIN" --data-dir "$d" ingest "$input" --quiet >/dev/null 2>&1; } 2>&1)
    rm -rf "$d"
    db=bench_pg_vs_sqlite_$i
    psql -X -q "$server/postgres" -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" 2>/dev/null
    p=$({ time "$BIN" --store "$server/$db" ingest "$input" --quiet >/dev/null 2>&1; } 2>&1)
    echo "run $i: sqlite ${s}s postgres ${p}s (load $(cut -d' ' -f1 /proc/loadavg))"
done
