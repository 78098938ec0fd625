#!/usr/bin/env bash
# Time and peak memory of one huge article of each kind, end to end
# (issue 19: "analysis time and peak memory for 1, 2, 4, 8, 16, 64 MB inputs
# of each kind"). Each input is one article whose text is "X said …"
# sentences (the analysis's heaviest ordinary text), wrapped as plain text,
# HTML, a JSON string, a CSV field and the HTML payload of a WARC record.
# For each it runs
#   analyze: `storyline bench analyze --threads 1` (reader + analysis,
#            nothing stored; the analysis stops at its 4 MiB budget)
#   ingest:  `storyline ingest` into an empty store (reader + analysis +
#            store + index + linking)
# and prints one row per input and command:
#   kind  MB  command  seconds  peak-RSS-MiB  RSS-over-base/input-bytes
# where the base is the same command's peak RSS on a one-sentence input.
# Inputs are generated in a temporary folder (nothing is committed).
#
# Usage: [KINDS="text html"] docs/bench/input-scaling.sh [path/to/storyline] [sizes in MB...]
# Build first: cargo build --release -p storyline-cli
set -euo pipefail
bin=$(realpath "${1:-target/release/storyline}")
shift || true
sizes=${*:-1 2 4 8 16 64}
kinds=${KINDS:-text html json csv warc}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export STORYLINE_LOG=error

gen() { # kind MB path
    python3 - "$1" "$2" "$3" <<'PY'
import json, sys
kind, mb, path = sys.argv[1], float(sys.argv[2]), sys.argv[3]
n = int(mb * 1_000_000)
parts, size, i = [], 0, 0
while size < n:
    u = f"Minister Daria Solberg said the talks on route {i} would go on. "
    if i % 40 == 39:
        u += "\n\n"
    parts.append(u)
    size += len(u)
    i += 1
text = "".join(parts)
title = "Adversarial"
if kind == "text":
    out = f"Title: {title}\n\n{text}"
elif kind == "html":
    body = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
    out = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>\n{body}</article></body></html>"
elif kind == "json":
    out = json.dumps([{"title": title, "text": text}])
elif kind == "csv":
    out = "title,text\n" + title + ',"' + text.replace('"', '""') + '"\n'
elif kind == "warc":
    body = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n"))
    html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>\n{body}</article></body></html>".encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + str(len(html)).encode() + b"\r\n\r\n" + html
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://example.org/adversarial\r\n"
            b"WARC-Date: 2023-11-09T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + str(len(http)).encode() + b"\r\n\r\n")
    open(path, "wb").write(head + http + b"\r\n\r\n")
    sys.exit(0)
open(path, "w", encoding="utf-8").write(out)
PY
}

ext() { case $1 in text) echo txt ;; *) echo "$1" ;; esac; }

run() { # command file -> "seconds KiB"
    local out
    case $1 in
        analyze) out=$( { /usr/bin/time -f '%e %M' "$bin" bench analyze --threads 1 "$2" >/dev/null; } 2>&1 | tail -n 1) ;;
        ingest)
            rm -rf "$dir/store"
            out=$( { /usr/bin/time -f '%e %M' "$bin" --data-dir "$dir/store" ingest "$2" >/dev/null; } 2>&1 | tail -n 1) ;;
    esac
    echo "$out"
}

declare -A base
for kind in $kinds; do
    gen "$kind" 0.0001 "$dir/base.$(ext "$kind")"
    for cmd in analyze ingest; do
        r=$(run "$cmd" "$dir/base.$(ext "$kind")")
        base[$kind-$cmd]=${r##* }
    done
done
printf '%-5s %4s %-8s %8s %9s %s\n' kind MB command seconds peak-MiB over-base/byte
for kind in $kinds; do
    for mb in $sizes; do
        f="$dir/in-$mb.$(ext "$kind")"
        gen "$kind" "$mb" "$f"
        bytes=$(stat -c %s "$f")
        for cmd in analyze ingest; do
            r=$(run "$cmd" "$f")
            kib=${r##* }
            per=$(python3 -c "print(round(max(0, $kib - ${base[$kind-$cmd]}) * 1024 / $bytes, 1))")
            printf '%-5s %4s %-8s %8s %9s %s\n' "$kind" "$mb" "$cmd" "${r%% *}" "$((kib / 1024))" "$per"
        done
        rm -f "$f"
    done
done
