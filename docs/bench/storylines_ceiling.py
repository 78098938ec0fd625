#!/usr/bin/env python3
"""How far bag-of-words clustering can go on the labelled BBC storylines.

Offline, with every article in view at once (an upper bound for an
incremental clusterer that sees each article once): TF-IDF of body, title +
lead, capitalised names and the URL's section, cosine average-link
agglomerative clustering over a grid of weights and thresholds; and topic
models (NMF, LSA) clustered the same way. Settings are ranked on the `dev`
fold and `test` is printed beside them (folds as `storyline eval stories`:
BLAKE3 of the CSV row number, even first byte = dev).

    python3 -m venv v && v/bin/pip install numpy scikit-learn blake3
    v/bin/python docs/bench/storylines_ceiling.py CSV labels/gaza2023/storylines.tsv
"""
import ast
import csv
import itertools
import re
import sys
from collections import defaultdict

import blake3
import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import NMF, TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize


def fold(row):
    return "dev" if blake3.blake3(str(row).encode()).digest()[0] % 2 == 0 else "test"


def b3(pred, gold):
    ids = [i for i in gold if i in pred]
    pc, gc = defaultdict(set), defaultdict(set)
    for i in ids:
        pc[pred[i]].add(i)
        gc[gold[i]].add(i)
    p = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in ids) / len(ids)
    r = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in ids) / len(ids)
    return 2 * p * r / (p + r)


def main(csv_path, labels_path):
    csv.field_size_limit(10**9)
    rows = list(csv.DictReader(open(csv_path, encoding="utf-8")))
    gold = {}
    for line in open(labels_path, encoding="utf-8"):
        p = line.rstrip("\n").split("\t")
        if p[0] != "row":
            gold[int(p[0])] = p[2]
    arts = []
    for i, r in enumerate(rows, 1):
        try:
            paras = ast.literal_eval(r["text"])
        except (ValueError, SyntaxError):
            paras = [r["text"]]
        arts.append((i, r["title"], paras, r["href"]))

    def score(labels):
        out = []
        for f in ("dev", "test"):
            pred = {a[0]: l for a, l in zip(arts, labels) if fold(a[0]) == f}
            out.append(b3(pred, {k: v for k, v in gold.items() if k in pred}))
        return out

    def caps(t):
        return ["_".join(m.split()) for m in re.findall(r"[A-Z][a-z]+(?: [A-Z][a-z]+)*", t)]

    def section(href):
        s = href.strip("/").split("/")[-1].rsplit("-", 1)[0]
        return [s, s.split("-")[0]]

    tf = dict(sublinear_tf=True, min_df=2, max_df=0.5)
    body = TfidfVectorizer(stop_words="english", **tf).fit_transform(
        [t + " " + " ".join(p) for _, t, p, _ in arts])
    lead = TfidfVectorizer(stop_words="english", **tf).fit_transform(
        [t + " " + " ".join(p[:2]) for _, t, p, _ in arts])
    names = TfidfVectorizer(analyzer=caps, **tf).fit_transform([" ".join(p) for _, _, p, _ in arts])
    secs = TfidfVectorizer(analyzer=section).fit_transform([h for *_, h in arts])
    results = []
    for wl, wn, ws in itertools.product((0, 0.5, 1), (0, 0.5, 1), (0, 0.3, 0.6)):
        x = np.hstack([normalize(m).toarray() * w for m, w in
                       ((body, 1), (lead, wl), (names, wn), (secs, ws))])
        for th in (0.88, 0.91, 0.93, 0.95):
            c = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=th).fit(x)
            results.append((*score(c.labels_), f"tfidf lead={wl} names={wn} section={ws} th={th}"))
    for k in (15, 24):
        w = normalize(NMF(n_components=k, random_state=0, max_iter=500).fit_transform(body))
        for th in (0.5, 0.7):
            c = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=th).fit(w)
            results.append((*score(c.labels_), f"nmf k={k} th={th}"))
    for k in (50, 100):
        w = normalize(TruncatedSVD(k, random_state=0).fit_transform(body))
        for th in (0.7, 0.8):
            c = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=th).fit(w)
            results.append((*score(c.labels_), f"lsa k={k} th={th}"))
    results.sort(reverse=True)
    print("dev_f1\ttest_f1\tsetting (best on dev first)")
    for d, t, s in results[:10]:
        print(f"{d:.3f}\t{t:.3f}\t{s}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
