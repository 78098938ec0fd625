#!/usr/bin/env bash
# Bulk ingest at scale (issue 19: "the 1 GB JSONL and a 100k-file folder:
# bounded RSS, articles/s"). Generates, in a temporary folder under
# ${TMPDIR:-/tmp} (removed at the end, nothing is committed):
#   jsonl:  one JSON Lines file of about MB megabytes of news-shaped
#           articles (about 4 kB of text each, every one distinct; straight
#           quotation marks: curly ones make the analysis about 4x slower,
#           see docs/RELIABILITY.md);
#   folder: a folder of FILES plain-text articles (about 2 kB each) in
#           subfolders of 1,000;
# and runs `storyline ingest --json [FLAGS]` on each into an empty store,
# sampling the process's RSS every 2 s. It prints per run: articles
# stored, seconds, articles/s, input MB/s, peak RSS (from /usr/bin/time)
# and the RSS at each tenth of the run (to show whether it grows).
#
# Usage: docs/bench/ingest-scale.sh [path/to/storyline] [MB] [FILES] [ingest flags...]
#   e.g. docs/bench/ingest-scale.sh target/release/storyline 1000 100000 --no-link
# RUNS="jsonl" or RUNS="folder" runs one of the two.
# Build first: cargo build --release -p storyline-cli
set -euo pipefail
bin=$(realpath "${1:-target/release/storyline}")
mb=${2:-1000}
files=${3:-100000}
shift 3 || shift $#
flags=("$@")
runs=${RUNS:-jsonl folder}
dir=$(mktemp -d "${TMPDIR:-/tmp}/ingest-scale.XXXXXX")
trap 'rm -rf "$dir"' EXIT
export STORYLINE_LOG=error

gen() { # kind size path
    python3 - "$1" "$2" "$3" <<'PY'
import json, os, random, sys
kind, size, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = random.Random(19)
first = ["Daria", "Tomas", "Amina", "Kofi", "Lena", "Rafael", "Mei", "Yusuf", "Ines", "Olek"]
last = ["Solberg", "Haddad", "Okafor", "Brandt", "Varga", "Moreau", "Tanaka", "Quispe", "Novak", "Adeyemi"]
roles = ["Minister", "Governor", "spokeswoman", "Mayor", "General", "Senator"]
places = ["Lessk", "Varno", "Tiberon", "Keshet", "Marlow", "Ostrava Bay", "Drummel", "Farisa"]
orgs = ["the Health Ministry", "the Red Cross", "the United Nations", "the port authority", "the army"]
verbs = ["said", "told reporters", "added", "warned", "claimed", "announced"]
acts = ["struck", "evacuated", "rebuilt", "closed", "reopened", "shelled", "visited"]

def person():
    return f"{rng.choice(roles)} {rng.choice(first)} {rng.choice(last)}"

def sentence(i, j):
    p, q, o = rng.choice(places), rng.choice(places), rng.choice(orgs)
    n = rng.randint(2, 90000)
    return rng.choice([
        f"{person()} {rng.choice(verbs)} that at least {n} people had been moved from {p} on {rng.choice(['Monday', 'Tuesday', 'Friday'])}.",
        f"\"We will not leave {p},\" {person()} said on {rng.randint(1, 28)} October.",
        f"Forces {rng.choice(acts)} a school near {q} late on Sunday, according to {o}.",
        f"The number of displaced rose to {n:,} in the week to {rng.randint(1, 28)} November, {o} said.",
        f"Talks between {p} and {q} (round {j} of file {i}) were expected to resume within {rng.randint(2, 14)} days.",
        f"Prices in {p} rose by {rng.randint(2, 40)}% after {o} {rng.choice(acts)} the main road.",
    ])

def article(i, target):
    parts, n, j = [], 0, 0
    while n < target:
        para = " ".join(sentence(i, j + k) for k in range(4))
        parts.append(para); n += len(para) + 2; j += 4
    title = f"{rng.choice(places)}: {rng.choice(orgs)} report {i}"
    date = f"2023-{rng.choice(['10', '11'])}-{rng.randint(1, 28):02d}"
    return title, date, "\n\n".join(parts)

if kind == "jsonl":
    with open(path, "w", encoding="utf-8") as f:
        i, n = 0, 0
        while n < size:
            title, date, text = article(i, 4000)
            line = json.dumps({"title": title, "date": date, "url": f"https://example.org/a/{i}", "text": text}) + "\n"
            f.write(line); n += len(line.encode()); i += 1
else:
    for i in range(size):
        sub = os.path.join(path, f"{i // 1000:03d}")
        if i % 1000 == 0:
            os.makedirs(sub, exist_ok=True)
        title, date, text = article(i, 2000)
        with open(os.path.join(sub, f"{i:06d}.txt"), "w", encoding="utf-8") as f:
            f.write(f"Title: {title}\nDate: {date}\n\n{text}\n")
PY
}

run() { # name input
    local store="$dir/store" samples="$dir/rss" out="$dir/out.json" pid start end
    rm -rf "$store"
    : > "$samples"
    start=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$dir/time" "$bin" --data-dir "$store" ingest --json "${flags[@]}" "$2" > "$out" 2> "$dir/err" &
    pid=$!
    # The time process's child is storyline; sample the child's RSS.
    while kill -0 "$pid" 2>/dev/null; do
        child=$(pgrep -P "$pid" | head -n 1 || true)
        [ -n "$child" ] && ps -o rss= -p "$child" >> "$samples" 2>/dev/null || true
        sleep 2
    done
    wait "$pid" || { echo "ingest failed:"; tail -n 5 "$dir/err"; }
    end=$(date +%s.%N)
    python3 - "$1" "$2" "$out" "$dir/time" "$samples" "$start" "$end" <<'PY'
import json, os, sys
name, inp, out, tfile, sfile, start, end = sys.argv[1:]
secs = float(end) - float(start)
try:
    res = json.load(open(out))
except ValueError:
    res = {}
size = 0
for root, _, fs in os.walk(inp) if os.path.isdir(inp) else [("", [], [inp])]:
    size += sum(os.path.getsize(os.path.join(root, f)) for f in fs)
peak = int(open(tfile).read().split()[-1]) / 1024
rss = [int(l) / 1024 for l in open(sfile) if l.strip()]
tenths = [round(max(rss[i * len(rss) // 10:(i + 1) * len(rss) // 10] or [0])) for i in range(10)] if rss else []
n = res.get("inserted", 0)
print(f"{name}: {size / 1e6:.0f} MB, {res.get('read', 0)} read, {n} stored, {len(res.get('skipped', []))} skipped, "
      f"{secs:.0f} s, {n / secs:.0f} articles/s, {size / 1e6 / secs:.2f} MB/s, peak RSS {peak:.0f} MiB")
print(f"  RSS (MiB) by tenth of the run: {tenths}")
PY
}

for r in $runs; do
    case $r in
        jsonl) gen jsonl $((mb * 1000000)) "$dir/in.jsonl"; run "jsonl" "$dir/in.jsonl"; rm -f "$dir/in.jsonl" ;;
        folder) gen folder "$files" "$dir/folder"; run "folder of $files" "$dir/folder"; rm -rf "$dir/folder" ;;
    esac
done
