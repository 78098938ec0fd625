#!/usr/bin/env bash
# PostgreSQL driver benchmark, issue 20: `postgres` against `sqlx` on the
# linker's statement shapes (docs/bench/pg-driver/README.md).
#
#   docs/bench/pg-driver.sh [ITERATIONS] [RUNS]
#
# Builds docs/bench/pg-driver (release, into $CARGO_TARGET_DIR, default
# target-driver/ at the repository root; `-j 1` unless JOBS says
# otherwise), starts a throwaway PostgreSQL on a free loopback port in a
# temporary directory, runs the benchmark RUNS times (default 2) with
# ITERATIONS iterations each (default 1000), then stops the server and
# removes its directory. Needs initdb/pg_ctl (PATH or
# /usr/lib/postgresql/*/bin), psql, python3.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ITERATIONS=${1:-1000}; RUNS=${2:-2}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target-driver}
cargo build --release -j "${JOBS:-1}" --manifest-path "$ROOT/docs/bench/pg-driver/Cargo.toml" --quiet
BIN=$CARGO_TARGET_DIR/release/pg-driver-bench
WORK=$(mktemp -d /tmp/storyline-pg-driver.XXXXXX); chmod 755 "$WORK"
PGBIN=$(dirname "$(command -v initdb || ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u nobody --); fi
mkdir -p "$WORK/pg"
[ ${#RUNAS[@]} -gt 0 ] && chown nobody "$WORK/pg"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${RUNAS[@]}" "$PGBIN/initdb" -D "$WORK/pg/data" -U bench --auth=trust -E UTF8 >/dev/null
"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$WORK/pg" start >/dev/null
trap '"${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1; rm -rf "$WORK"' EXIT
PG=postgres://bench@127.0.0.1:$PORT
psql -X -q "$PG/postgres" -c "CREATE DATABASE bench"
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $NF}'), default settings (fsync on), loopback"
for run in $(seq 1 "$RUNS"); do
  echo; echo "run $run:"
  "$BIN" "$PG/bench" "$ITERATIONS"
done
