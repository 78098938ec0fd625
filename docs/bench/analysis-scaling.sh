#!/usr/bin/env bash
# Per-article analysis time and peak memory on adversarial inputs of 1, 2,
# 4, 8 and 16 MB (issue 19, failure 2). Generates its inputs in a temporary
# folder (nothing is committed) and prints one table row per input:
#   kind  MB  seconds  peak-RSS-MiB  found-counts
# Usage: docs/bench/analysis-scaling.sh [path/to/storyline] [sizes in MB...]
# Build first: cargo build --release -p storyline-cli
set -euo pipefail
bin=${1:-target/release/storyline}
shift || true
sizes=${*:-1 2 4 8 16}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Repeats a unit until the file holds about N MB (text files: .txt, read
# as one article).
gen() { # kind MB
    python3 - "$1" "$2" "$dir/$1-$2.txt" <<'PY'
import sys
kind, mb, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
n = mb * 1_000_000
units = {
    # "X said …" repeated.
    "said": lambda i: f"Minister Daria Solberg said the talks on route {i} would go on. ",
    # Sentences dense with numbers.
    "numbers": lambda i: " ".join(f"{i % 97 + k},{k:03d} people were killed, {k} injured and {k+3} missing;" for k in range(40)) + ". ",
    # One sentence with no period at all.
    "nostop": lambda i: f"officials said {i % 500} people were killed in Gaza and the army said it hit {i % 90} targets and ",
    # Many quotations.
    "quotes": lambda i: f"\u201cWe will not stop {i},\u201d she said. \"They lied,\" Mr Herzog told reporters, \"and {i % 50} died.\" ",
}
parts, size, i = ["Title: Adversarial\n\n"], 0, 0
while size < n:
    u = units[kind](i)
    parts.append(u)
    size += len(u.encode())
    i += 1
open(path, "w", encoding="utf-8").write("".join(parts))
PY
}

gen_html() { # MB: one element with ~85k attributes per MB (500k at 5.9 MB)
    python3 - "$1" "$dir/attrs-$1.html" <<'PY'
import sys
mb, path = int(sys.argv[1]), sys.argv[2]
n = mb * 1_000_000
out = ["<html><head><title>Attributes</title></head><body><div "]
size, i = 0, 0
while size < n:
    a = f'a{i}="x" '
    out.append(a); size += len(a); i += 1
out.append("><p>Minister Daria Solberg said 12 people were killed.</p></div></body></html>")
open(path, "w").write("".join(out))
PY
}

measure() { # label file
    local out
    out=$( { /usr/bin/time -f '%e %M' "$bin" bench analyze --threads 1 "$2" >"$dir/json" ; } 2>&1 | tail -1)
    set -- "$1" "$out"
    printf '%s\t%s s\t%s MiB\t%s\n' "$1" "${2%% *}" "$(( ${2##* } / 1024 ))" \
        "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d.get("found"), d.get("capped", ""))' "$dir/json")"
}

for kind in said numbers nostop quotes; do
    for mb in $sizes; do
        gen "$kind" "$mb"
        measure "$kind $mb MB" "$dir/$kind-$mb.txt"
        rm -f "$dir/$kind-$mb.txt"
    done
done
for mb in $sizes; do
    gen_html "$mb"
    measure "html-attrs $mb MB" "$dir/attrs-$mb.html"
    rm -f "$dir/attrs-$mb.html"
done
