//! TempEval-3 time expression evaluation on TimeML (`.tml`, `.TE3input`).
//!
//! Each document's `<TEXT>` is reduced to its plain text (the concatenation
//! of text nodes, entities decoded), the gold `TIMEX3`s are read with their
//! offsets in that text, and [`find_timexes`] runs on the plain text with the
//! document's creation time. Scores follow the TempEval-3 scorer: strict =
//! exact extent, relaxed = any overlap, type and value accuracy over the
//! relaxed matches, value F1 = relaxed F1 × value accuracy, the DCT excluded.
//! With `out`, each document is written back with the predicted `TIMEX3`
//! tags in its `<TEXT>` so the official scorer can check them too.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use storyline_analyze::timex::{find_timexes, Timex, TimexContext};
use storyline_core::Timestamp;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A document is not TimeML the reader understands.
    #[error("{path}: {reason}")]
    Format {
        /// The document.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The directory holds no `.tml` or `.TE3input` file.
    #[error("{0}: no .tml or .TE3input files found (expected a TempEval-3 directory such as TBAQ-cleaned/)")]
    NoDocuments(PathBuf),
}

/// Scores in percent, as the TempEval-3 scorer prints them.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TimexReport {
    /// F1 of exact-extent matches.
    pub strict_f1: f64,
    /// F1 of overlapping matches.
    pub relaxed_f1: f64,
    /// Precision of exact-extent matches.
    pub strict_precision: f64,
    /// Recall of exact-extent matches.
    pub strict_recall: f64,
    /// Precision of overlapping matches.
    pub relaxed_precision: f64,
    /// Recall of overlapping matches.
    pub relaxed_recall: f64,
    /// Share of relaxed matches with the gold type.
    pub type_accuracy: f64,
    /// Share of relaxed matches with the gold value.
    pub value_accuracy: f64,
    /// Relaxed F1 × value accuracy: TempEval-3's headline normalisation score.
    pub value_f1: f64,
    /// Documents read.
    pub documents: usize,
    /// Gold expressions (DCT excluded).
    pub gold: usize,
    /// Predicted expressions.
    pub predicted: usize,
}

/// One time expression as scored: byte span in the plain text, type, value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// TIMEX3 type.
    pub kind: String,
    /// TIMEX3 value.
    pub value: String,
}

/// Raw match counts, summed over documents before the scores are computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Gold mentions.
    pub gold: usize,
    /// Predicted mentions.
    pub predicted: usize,
    /// Predictions with a gold mention of exactly the same extent.
    pub strict: usize,
    /// Predictions overlapping some gold mention.
    pub relaxed_pred: usize,
    /// Gold mentions overlapped by some prediction.
    pub relaxed_gold: usize,
    /// Matched pairs (each gold with its most-overlapping prediction).
    pub pairs: usize,
    /// Pairs with equal types.
    pub type_ok: usize,
    /// Pairs with equal values.
    pub value_ok: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.strict += o.strict;
        self.relaxed_pred += o.relaxed_pred;
        self.relaxed_gold += o.relaxed_gold;
        self.pairs += o.pairs;
        self.type_ok += o.type_ok;
        self.value_ok += o.value_ok;
    }
}

fn overlap(a: &Mention, b: &Mention) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// Counts matches between the gold and predicted mentions of one document.
pub fn count(gold: &[Mention], pred: &[Mention]) -> Counts {
    let mut c = Counts {
        gold: gold.len(),
        predicted: pred.len(),
        ..Counts::default()
    };
    c.strict = pred
        .iter()
        .filter(|p| gold.iter().any(|g| g.start == p.start && g.end == p.end))
        .count();
    c.relaxed_pred = pred
        .iter()
        .filter(|p| gold.iter().any(|g| overlap(g, p) > 0))
        .count();
    let mut used = vec![false; pred.len()];
    for g in gold {
        let best = pred
            .iter()
            .enumerate()
            .filter(|(i, p)| !used[*i] && overlap(g, p) > 0)
            .max_by_key(|(_, p)| overlap(g, p));
        let any = pred.iter().any(|p| overlap(g, p) > 0);
        if any {
            c.relaxed_gold += 1;
        }
        if let Some((i, p)) = best {
            used[i] = true;
            c.pairs += 1;
            c.type_ok += usize::from(p.kind == g.kind);
            c.value_ok += usize::from(p.value == g.value);
        }
    }
    c
}

fn pct(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        100.0 * num as f64 / den as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl TimexReport {
    /// Scores from summed counts.
    pub fn from_counts(c: &Counts, documents: usize) -> TimexReport {
        let sp = pct(c.strict, c.predicted);
        let sr = pct(c.strict, c.gold);
        let rp = pct(c.relaxed_pred, c.predicted);
        let rr = pct(c.relaxed_gold, c.gold);
        let rf = f1(rp, rr);
        let va = pct(c.value_ok, c.pairs);
        TimexReport {
            strict_f1: round2(f1(sp, sr)),
            relaxed_f1: round2(rf),
            strict_precision: round2(sp),
            strict_recall: round2(sr),
            relaxed_precision: round2(rp),
            relaxed_recall: round2(rr),
            type_accuracy: round2(pct(c.type_ok, c.pairs)),
            value_accuracy: round2(va),
            value_f1: round2(rf * va / 100.0),
            documents,
            gold: c.gold,
            predicted: c.predicted,
        }
    }
}

/// A TimeML document split into what the evaluation needs.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeMlDoc {
    /// Everything up to and including `<TEXT>`.
    pub head: String,
    /// The plain text of `<TEXT>`.
    pub text: String,
    /// Everything from `</TEXT>` on, with link tags that name gold ids removed.
    pub tail: String,
    /// Gold time expressions in `text` (the DCT is never inside `<TEXT>`; any
    /// `CREATION_TIME` there is dropped too).
    pub gold: Vec<Mention>,
    /// The document creation time.
    pub dct: Option<Timestamp>,
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!("{name}=\"");
    let i = tag.find(&key)? + key.len();
    let j = tag[i..].find('"')? + i;
    Some(decode_entities(&tag[i..j]))
}

/// Decodes the XML entities TimeML files use (`&amp;`, numeric references).
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let semi = after.find(';').filter(|&j| j <= 10);
        let decoded = semi.and_then(|j| {
            let name = &after[1..j];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                n if n.starts_with("#x") || n.starts_with("#X") => u32::from_str_radix(&n[2..], 16)
                    .ok()
                    .and_then(char::from_u32),
                n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            ch.map(|c| (c, j + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &after[len..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Splits a TimeML document into head, plain text, tail and gold mentions.
pub fn parse_timeml(src: &str, path: &Path) -> Result<TimeMlDoc, EvalError> {
    let err = |reason: &str| EvalError::Format {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    let open = src.find("<TEXT>").ok_or_else(|| err("no <TEXT> element"))?;
    let body_start = open + "<TEXT>".len();
    let close = src[body_start..]
        .find("</TEXT>")
        .map(|i| i + body_start)
        .ok_or_else(|| err("<TEXT> is not closed"))?;
    let dct = src
        .match_indices("<TIMEX3")
        .filter_map(|(i, _)| {
            let end = src[i..].find('>')? + i;
            let tag = &src[i..end];
            (attr(tag, "functionInDocument").as_deref() == Some("CREATION_TIME"))
                .then(|| attr(tag, "value"))
                .flatten()
        })
        .find_map(|v| Timestamp::parse(&v).ok());
    let body = &src[body_start..close];
    let mut text = String::with_capacity(body.len());
    let mut gold = Vec::new();
    let mut open_timex: Option<(usize, String, String, bool)> = None;
    let mut rest = body;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest
                    .find('>')
                    .ok_or_else(|| err("unterminated tag inside <TEXT>"))?;
                let tag = &rest[1..end];
                if tag.starts_with("TIMEX3") {
                    let kind = attr(tag, "type").unwrap_or_default();
                    let value = attr(tag, "value").unwrap_or_default();
                    let is_dct =
                        attr(tag, "functionInDocument").as_deref() == Some("CREATION_TIME");
                    if tag.ends_with('/') {
                        // An empty TIMEX3 has no extent to score.
                    } else {
                        open_timex = Some((text.len(), kind, value, is_dct));
                    }
                } else if tag.starts_with("/TIMEX3") {
                    if let Some((start, kind, value, is_dct)) = open_timex.take() {
                        if !is_dct && text.len() > start {
                            gold.push(Mention {
                                start,
                                end: text.len(),
                                kind,
                                value,
                            });
                        }
                    }
                }
                rest = &rest[end + 1..];
            }
            Some(i) => {
                text.push_str(&decode_entities(&rest[..i]));
                rest = &rest[i..];
            }
            None => {
                text.push_str(&decode_entities(rest));
                rest = "";
            }
        }
    }
    let tail: String = src[close..]
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("<TLINK")
                || t.starts_with("<SLINK")
                || t.starts_with("<ALINK")
                || t.starts_with("<MAKEINSTANCE"))
        })
        .fold(String::new(), |mut acc, l| {
            acc.push_str(l);
            acc.push('\n');
            acc
        });
    Ok(TimeMlDoc {
        head: src[..body_start].to_string(),
        text,
        tail,
        gold,
        dct,
    })
}

/// The document with `timexes` tagged into its text; the text is unchanged.
pub fn write_timeml(doc: &TimeMlDoc, timexes: &[Timex]) -> String {
    let mut out = String::with_capacity(doc.head.len() + doc.text.len() * 2 + doc.tail.len());
    out.push_str(&doc.head);
    let mut pos = 0;
    for (i, t) in timexes.iter().enumerate() {
        let (s, e) = (t.span.start, t.span.end);
        if s < pos || e > doc.text.len() {
            continue;
        }
        out.push_str(&escape(&doc.text[pos..s]));
        let _ = write!(
            out,
            "<TIMEX3 tid=\"t{}\" type=\"{}\" value=\"{}\"",
            1000 + i + 1,
            t.kind.as_str(),
            escape(&t.value).replace('"', "&quot;")
        );
        if let Some(m) = &t.mod_ {
            let _ = write!(out, " mod=\"{m}\"");
        }
        out.push('>');
        out.push_str(&escape(&doc.text[s..e]));
        out.push_str("</TIMEX3>");
        pos = e;
    }
    out.push_str(&escape(&doc.text[pos..]));
    out.push_str(&doc.tail);
    out
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    let io = |source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect_files(&p, out)?;
        } else {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.ends_with(".tml") || name.ends_with(".TE3input") {
                out.push(p);
            }
        }
    }
    Ok(())
}

/// Mentions of predicted timexes, for scoring.
pub fn mentions(timexes: &[Timex]) -> Vec<Mention> {
    timexes
        .iter()
        .map(|t| Mention {
            start: t.span.start,
            end: t.span.end,
            kind: t.kind.as_str().to_string(),
            value: t.value.clone(),
        })
        .collect()
}

/// Tags every TimeML document under `dir`, scores it against its gold
/// `TIMEX3`s, and, with `out`, writes the tagged documents there (same file
/// names, directory structure flattened).
pub fn evaluate(dir: &Path, out: Option<&Path>) -> Result<TimexReport, EvalError> {
    let mut files = Vec::new();
    collect_files(dir, &mut files)?;
    if files.is_empty() {
        return Err(EvalError::NoDocuments(dir.to_path_buf()));
    }
    if let Some(o) = out {
        fs::create_dir_all(o).map_err(|source| EvalError::Io {
            path: o.to_path_buf(),
            source,
        })?;
    }
    let mut total = Counts::default();
    for path in &files {
        let src = fs::read_to_string(path).map_err(|source| EvalError::Io {
            path: path.clone(),
            source,
        })?;
        let doc = parse_timeml(&src, path)?;
        let ctx = TimexContext::news(doc.dct);
        let found = find_timexes(&doc.text, &ctx);
        total += count(&doc.gold, &mentions(&found));
        if let Some(o) = out {
            let name = path.file_name().unwrap_or_default();
            let target = o.join(name);
            fs::write(&target, write_timeml(&doc, &found)).map_err(|source| EvalError::Io {
                path: target.clone(),
                source,
            })?;
        }
    }
    Ok(TimexReport::from_counts(&total, files.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: usize, end: usize, kind: &str, value: &str) -> Mention {
        Mention {
            start,
            end,
            kind: kind.into(),
            value: value.into(),
        }
    }

    #[test]
    fn metric_on_a_hand_computed_example() {
        // Gold: A [0,6) DATE 2023-11-09, B [10,20) DURATION P3D, C [30,35) DATE 2023.
        // Pred: A exact, right value; B' [12,20) overlaps B with value P2D and type DATE;
        // D [40,45) spurious.
        let gold = [
            m(0, 6, "DATE", "2023-11-09"),
            m(10, 20, "DURATION", "P3D"),
            m(30, 35, "DATE", "2023"),
        ];
        let pred = [
            m(0, 6, "DATE", "2023-11-09"),
            m(12, 20, "DATE", "P2D"),
            m(40, 45, "DATE", "2024"),
        ];
        let c = count(&gold, &pred);
        assert_eq!(
            c,
            Counts {
                gold: 3,
                predicted: 3,
                strict: 1,
                relaxed_pred: 2,
                relaxed_gold: 2,
                pairs: 2,
                type_ok: 1,
                value_ok: 1,
            }
        );
        let r = TimexReport::from_counts(&c, 1);
        // strict P = R = 1/3; relaxed P = R = 2/3; value accuracy 1/2; value F1 = 2/3 × 1/2.
        assert_eq!(r.strict_f1, 33.33);
        assert_eq!(r.relaxed_f1, 66.67);
        assert_eq!(r.type_accuracy, 50.0);
        assert_eq!(r.value_accuracy, 50.0);
        assert_eq!(r.value_f1, 33.33);
    }

    #[test]
    fn reads_timeml_and_writes_it_back() {
        let src = "<TimeML>\n<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1998-08-07\" functionInDocument=\"CREATION_TIME\">1998-08-07</TIMEX3></DCT>\n<TEXT>\nAT&amp;T <EVENT eid=\"e1\">said</EVENT> <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998-08-06\">yesterday</TIMEX3> it &lt;won&gt;.\n</TEXT>\n<TLINK lid=\"l1\"/>\n</TimeML>\n";
        let doc = parse_timeml(src, Path::new("x.tml")).unwrap();
        assert_eq!(doc.text, "\nAT&T said yesterday it <won>.\n");
        assert_eq!(doc.gold, vec![m(11, 20, "DATE", "1998-08-06")]);
        assert_eq!(
            doc.dct.map(|d| d.to_string()).as_deref(),
            Some("1998-08-07")
        );
        let found = find_timexes(&doc.text, &TimexContext::news(doc.dct));
        let written = write_timeml(&doc, &found);
        assert!(written.contains(
            "AT&amp;T said <TIMEX3 tid=\"t1001\" type=\"DATE\" value=\"1998-08-06\">yesterday</TIMEX3> it &lt;won&gt;."
        ), "{written}");
        assert!(!written.contains("TLINK"));
        let again = parse_timeml(&written, Path::new("y.tml")).unwrap();
        assert_eq!(again.text, doc.text);
    }

    #[test]
    fn tbaq_scores_when_the_data_is_present() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/data/tempeval3/TBAQ-cleaned");
        let dir = if dir.exists() {
            dir
        } else {
            PathBuf::from("/work/shared/data/tempeval3/TBAQ-cleaned")
        };
        if !dir.exists() {
            eprintln!("skipping: TempEval-3 data not found at {}", dir.display());
            return;
        }
        let r = evaluate(&dir, None).unwrap();
        eprintln!("{r:?}");
        assert!(r.documents >= 256);
        assert!(r.value_f1 >= 78.0, "value F1 {}", r.value_f1);
        assert!(r.strict_f1 >= 82.0, "strict F1 {}", r.strict_f1);
    }
}
