#!/usr/bin/env bash
# kill -9 trials (issue 19): ingest, link, relink and watch are killed at
# a random moment, then
#   1. the store opens (`stats --json` answers),
#   2. `check-store` finds no problem (exit 0),
#   3. nothing committed before the kill is lost (every article id listed
#      before the trial is still listed),
#   4. running the killed work again to its end leaves exactly one article
#      per distinct input text (a second full ingest stores nothing new)
#      and every article linked.
# Prints one line per trial and a summary; exits 1 if any trial failed.
#
# Usage: docs/bench/kill-trials.sh [path/to/storyline] [trials] [copies]
#   copies: how many altered copies of each plain-text and Markdown demo
#   article make the first corpus (17 per copy; the default 20 gives 340
#   articles, seconds of ingest on a release build, so kills land
#   mid-batch). Each ingest and watch trial adds one more copy (17 new
#   articles) to what it reads.
# Build first: cargo build --release -p storyline-cli
set -uo pipefail
bin=$(realpath "${1:-target/release/storyline}")
trials=${2:-50}
copies=${3:-20}
fresh=1
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export STORYLINE_LOG=error
unset STORYLINE_DATA STORYLINE_STORE

# The corpus: the demo articles, each copied with one sentence of its own
# so that every copy is a distinct article (and no near-duplicate of
# another copy is lost: ids are content hashes).
corpus="$work/corpus"
mkdir -p "$corpus"
# make DEST FIRST COUNT: copies FIRST..FIRST+COUNT-1 of every article.
make() {
python3 - "$here/demo/corpus" "$1" "$2" "$3" <<'PY'
import os, sys
src, dst, first, count = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# The plain-text and Markdown articles (a note appended to HTML or a feed
# would not be part of its article).
names = sorted(os.path.join(d, n) for d, _, files in os.walk(src) for n in files
               if n.endswith((".txt", ".md")))
for c in range(first, first + count):
    for n in names:
        text = open(n, encoding="utf-8").read()
        base, ext = os.path.splitext(os.path.basename(n))
        extra = f"\n\nTrial note {c}-{base}: the copy {c} of this report was filed for the kill trials.\n"
        open(os.path.join(dst, f"{base}-{c:04d}{ext}"), "w", encoding="utf-8").write(text + extra)
PY
}
make "$corpus" 0 "$copies"
next_copy=$copies
inputs=$(find "$corpus" -type f | wc -l)

store="$work/store"
ids() { # the sorted ids of every stored article
    "$bin" --data-dir "$store" articles --limit 1000000 --json 2>/dev/null \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(sorted(a["id"] for a in d["articles"])))'
}

fail=0
declare -A by_op
for t in $(seq 1 "$trials"); do
    ops=(ingest ingest link relink watch)
    op=${ops[$((RANDOM % ${#ops[@]}))]}
    # link and relink need something stored; the first trial ingests.
    [ -f "$store/storyline.db" ] || op=ingest
    # Each ingest or watch trial reads a random half of the corpus so far
    # and a batch of articles never seen before, so that every trial has
    # new work to be killed in (and old work to deduplicate).
    part="$work/part"
    rm -rf "$part"; mkdir -p "$part"
    find "$corpus" -type f | shuf -n $((inputs / 2)) | xargs -I{} ln -s {} "$part/"
    if [ "$op" = ingest ] || [ "$op" = watch ]; then
        make "$corpus" "$next_copy" "$fresh"
        for f in "$corpus"/*-"$(printf '%04d' "$next_copy")".*; do ln -s "$f" "$part/"; done
        next_copy=$((next_copy + fresh))
        inputs=$(find "$corpus" -type f | wc -l)
    fi
    before=$( [ -f "$store/storyline.db" ] && ids || true)
    delay=$(python3 -c "import random; print(round(random.uniform(0.05, 3.0), 2))")
    case $op in
        ingest) "$bin" --data-dir "$store" ingest --follow-symlinks "$part" >/dev/null 2>&1 & ;;
        link) "$bin" --data-dir "$store" link >/dev/null 2>&1 & ;;
        relink) "$bin" --data-dir "$store" relink >/dev/null 2>&1 & ;;
        watch) "$bin" --data-dir "$store" watch --every 1s --follow-symlinks "$part" >/dev/null 2>&1 & ;;
    esac
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null && killed=killed || killed=finished
    wait "$pid" 2>/dev/null
    verdict=ok
    why=""
    # 1. The store opens.
    if ! "$bin" --data-dir "$store" stats --json >/dev/null 2>"$work/err"; then
        verdict=FAIL; why="store does not open: $(head -c 300 "$work/err")"
    fi
    # 2. check-store is clean.
    if [ $verdict = ok ] && ! "$bin" --data-dir "$store" check-store >"$work/check" 2>&1; then
        verdict=FAIL; why="check-store: $(tr '\n' ' ' <"$work/check" | head -c 400)"
    fi
    # 3. Nothing committed before the kill is lost.
    after=$(ids)
    if [ $verdict = ok ] && [ -n "$before" ] && [ -n "$(comm -23 <(echo "$before") <(echo "$after"))" ]; then
        verdict=FAIL; why="articles committed before the trial are gone"
    fi
    # 4. The work run again to its end: no duplicates, everything linked.
    if [ $verdict = ok ]; then
        "$bin" --data-dir "$store" ingest --follow-symlinks "$part" >/dev/null 2>&1
        again=$("$bin" --data-dir "$store" ingest --follow-symlinks --json "$part" 2>/dev/null \
            | python3 -c 'import json,sys; print(json.load(sys.stdin).get("inserted", -1))')
        stored=$(ids | grep -c .)
        distinct=$( (echo "$after"; ids) | sort -u | grep -c . )
        state=$("$bin" --data-dir "$store" check-store --json 2>/dev/null \
            | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["clean"], d["links"]["unlinked"])')
        if [ "$again" != 0 ]; then
            verdict=FAIL; why="a second full ingest stored $again article(s)"
        elif [ "$stored" != "$distinct" ]; then
            verdict=FAIL; why="$stored articles listed, $distinct distinct"
        elif [ "$state" != "True 0" ]; then
            verdict=FAIL; why="after the re-run: clean/unlinked = $state"
        fi
    fi
    printf '%3d %-7s %-8s after %5ss  articles %4s  %s %s\n' "$t" "$op" "$killed" "$delay" \
        "$(echo "$after" | grep -c .)" "$verdict" "$why"
    by_op[$op]=$(( ${by_op[$op]:-0} + 1 ))
    [ $verdict = ok ] || fail=$((fail + 1))
done
echo "trials: $trials ($(for k in "${!by_op[@]}"; do printf '%s %s, ' "$k" "${by_op[$k]}"; done | sed 's/, $//')); failed: $fail; articles at the end: $(ids | grep -c .) of $inputs inputs"
[ $fail = 0 ]
