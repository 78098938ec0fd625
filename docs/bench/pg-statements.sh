#!/usr/bin/env bash
# The statements the linker sends to PostgreSQL, by statement (issue 20).
#
#   docs/bench/pg-statements.sh INPUT
#
# Starts its own PostgreSQL with pg_stat_statements on loopback (removed at
# the end), stores INPUT with `ingest --no-link`, resets the statistics,
# times `storyline link` and prints the calls per article of each
# statement. OPTIONS=... adds server options to the linker's URL,
# URL-encoded (`-c%20work_mem%3D64MB`). Needs initdb/pg_ctl (PATH or
# /usr/lib/postgresql/*/bin), psql, jq, python3; BIN defaults to the
# release build.
set -euo pipefail
BIN=$(realpath "${BIN:-target/release/storyline}"); INPUT=$(realpath "$1")
WORK=$(mktemp -d /tmp/storyline-pg-statements.XXXXXX); chmod 755 "$WORK"
PGBIN=$(dirname "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u nobody --); fi
mkdir -p "$WORK/pg"
[ ${#RUNAS[@]} -gt 0 ] && chown nobody "$WORK/pg"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${RUNAS[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -U storyline --auth=trust -E UTF8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$WORK/pg -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" start >/dev/null
trap '"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1; rm -rf "$WORK"' EXIT
PG=postgres://storyline@127.0.0.1:$PORT
psql -X -q "$PG/postgres" -c "CREATE DATABASE c" -c "CREATE EXTENSION pg_stat_statements"
export STORYLINE_LOG=${STORYLINE_LOG:-warn}
unset STORYLINE_DATA STORYLINE_STORE STORYLINE_QUEUE
"$BIN" --store "$PG/c" ingest "$INPUT" --no-link --quiet
N=$("$BIN" --store "$PG/c" stats --json | jq .articles)
psql -X -q "$PG/postgres" -c "SELECT pg_stat_statements_reset()" >/dev/null
t0=$(date +%s.%N)
"$BIN" --store "$PG/c${OPTIONS:+?options=$OPTIONS}" link --json >"$WORK/link.json"
t1=$(date +%s.%N)
echo "articles $N, link $(python3 -c "print(f'{$t1 - $t0:.2f}')") s (load $(cut -d' ' -f1-3 /proc/loadavg))"
DB="dbid = (SELECT oid FROM pg_database WHERE datname = 'c')"
psql -X -qtA "$PG/postgres" -c "SELECT sum(calls) || ' (' || round(sum(calls)::numeric / $N, 1) || ' per article)'
  FROM pg_stat_statements WHERE $DB" | sed 's/^/statements: /'
psql -X "$PG/postgres" -c "SELECT calls, round(calls::numeric / $N, 1) AS per_article,
    round(total_exec_time::numeric) AS ms, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
  FROM pg_stat_statements WHERE $DB ORDER BY calls DESC LIMIT 16"
