"""trafilatura on an html-dev style folder, scored like `storyline eval extraction`.

Usage: python trafilatura_extraction.py DIR [--out pred.jsonl]

For each record of DIR/truth.jsonl, times only
`trafilatura.bare_extraction(bytes, url=..., with_metadata=True, include_comments=False)`
on the raw page bytes (trafilatura does its own charset detection). Scores as
crates/eval/src/extraction.rs does: snippet counts summed over pages (`with`
found = TP, missing = FN; `without` found = FP) after collapsing whitespace,
F1 = 2TP/(2TP+FP+FN); date exact day; title and author exact after whitespace
normalisation and as equal lists of case-folded alphanumeric tokens.
"""
import argparse, json, os, time

import trafilatura


def collapse(s):
    return " ".join(s.split())


def tokens(s):
    out, cur = [], []
    for ch in s:
        if ch.isalnum():
            cur.append(ch)
        elif cur:
            out.append("".join(cur).lower()); cur = []
    if cur:
        out.append("".join(cur).lower())
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--out")
    a = ap.parse_args()
    recs = [json.loads(l) for l in open(os.path.join(a.dir, "truth.jsonl"), encoding="utf-8") if l.strip()]
    tp = fn = fp = 0
    date_hit = date_n = title_hit = title_tok = title_n = auth_hit = auth_tok = auth_n = errors = 0
    elapsed = 0.0
    out = open(a.out, "w", encoding="utf-8") if a.out else None
    for r in recs:
        data = open(os.path.join(a.dir, "html", r["id"] + ".html"), "rb").read()
        t = time.perf_counter()
        try:
            doc = trafilatura.bare_extraction(data, url=r.get("url"), with_metadata=True,
                                              include_comments=False)
        except Exception:
            doc = None
        elapsed += time.perf_counter() - t
        if doc is None:
            errors += 1
            text, title, author, date = "", None, None, None
        else:
            d = doc.as_dict() if hasattr(doc, "as_dict") else doc
            text, title, author, date = d.get("text") or "", d.get("title"), d.get("author"), d.get("date")
        pred = collapse(text)
        for s in r.get("with") or []:
            if collapse(s) in pred: tp += 1
            else: fn += 1
        for s in r.get("without") or []:
            if collapse(s) in pred: fp += 1
        if r.get("date"):
            date_n += 1
            date_hit += int((date or "")[:10] == r["date"][:10])
        if r.get("title") and r["title"].strip():
            title_n += 1
            title_hit += int(collapse(title or "") == collapse(r["title"]))
            title_tok += int(tokens(title or "") == tokens(r["title"]))
        if r.get("author") and r["author"].strip():
            auth_n += 1
            auth_hit += int(collapse(author or "") == collapse(r["author"]))
            auth_tok += int(tokens(author or "") == tokens(r["author"]))
        if out:
            out.write(json.dumps({"id": r["id"], "text": text, "title": title, "author": author,
                                  "date": date}, ensure_ascii=False) + "\n")
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    print(json.dumps({
        "extractor": f"trafilatura {trafilatura.__version__}", "pages": len(recs), "errors": errors,
        "precision": p, "recall": rc, "f1": 2 * tp / (2 * tp + fp + fn),
        "date_accuracy": date_hit / date_n, "title_accuracy": title_hit / title_n,
        "title_token_accuracy": title_tok / title_n, "author_accuracy": auth_hit / auth_n,
        "author_token_accuracy": auth_tok / auth_n, "seconds": elapsed,
        "pages_per_s": len(recs) / elapsed,
    }, indent=2))


if __name__ == "__main__":
    main()
