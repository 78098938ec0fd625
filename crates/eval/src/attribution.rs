//! PolNeAR attribution evaluation: (source, content) pairs and cues.
//!
//! PolNeAR ships brat standoff annotations: `T` lines with a `Source`, `Cue`
//! or `Content` label and character offsets (fragments separated by `;`),
//! and `E` lines (`Attribution:T4 Content:T3 Cue:T2 Source:T1`) that tie them
//! into attributions. A split directory holds `text/NAME.txt` and
//! `attributions/NAME_ANNOTATOR.ann`; a few articles were annotated by
//! several annotators, and the lexicographically first annotation is used.
//! A flat directory with `NAME.txt` beside `NAME.ann` (what [`evaluate`]
//! writes) reads too.
//!
//! **Metric.** A predicted pair matches a gold one when their contents
//! overlap by at least half of the gold content's length and their sources
//! overlap (*loose*); *strict* also needs at least half of the predicted
//! content inside the gold content (so stretching every content to its
//! paragraph does not pay). Each gold attribution matches at most one
//! prediction: a maximum bipartite matching per document. Cue scores
//! count cue-span overlaps under the same one-to-one rule.
//!
//! **Attributions without a source.** PolNeAR marks them
//! `Attribution-no-source` (about 7% in train: passives such as `is
//! expected`, and omitted subjects as in `…, adding that …`, because each
//! token may belong to one attribution only). They stay in the gold set:
//! a prediction with no source matches them when the contents match, and a
//! prediction with a source never does. Leaving them out would hide a
//! real class of errors; requiring a source would make them unmatchable.
//! `Discuss` and `Discard` spans (annotator workflow marks) are ignored.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use storyline_analyze::attribution::{find_attributions, Attribution};
use storyline_analyze::{entities, split_sentences, tokenize};

/// Why an attribution evaluation could not run.
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
    /// An annotation file is not brat standoff the reader understands.
    #[error("{path}:{line}: {reason}")]
    Format {
        /// The annotation file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The directory holds no annotated documents.
    #[error("{0}: no .ann files with matching .txt found (expected a PolNeAR split such as polnear/dev with text/ and attributions/)")]
    NoDocuments(PathBuf),
}

/// A byte range `[start, end)` of a document's text.
pub type Range = (usize, usize);

/// One attribution as scored: each part a list of byte-range fragments
/// (gold contents can be discontinuous; a part may be absent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Triple {
    /// The source fragments (empty: no source).
    pub source: Vec<Range>,
    /// The cue fragments.
    pub cue: Vec<Range>,
    /// The content fragments.
    pub content: Vec<Range>,
}

impl Triple {
    /// The triple of a predicted attribution.
    pub fn from_prediction(a: &Attribution) -> Triple {
        Triple {
            source: a.source.map(|s| vec![(s.start, s.end)]).unwrap_or_default(),
            cue: vec![(a.cue.start, a.cue.end)],
            content: vec![(a.content.start, a.content.end)],
        }
    }
}

/// Raw match counts, summed over documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Gold attributions.
    pub gold: usize,
    /// Predicted attributions.
    pub predicted: usize,
    /// Gold attributions without a source.
    pub gold_without_source: usize,
    /// Predicted attributions without a source.
    pub predicted_without_source: usize,
    /// Pairs matched under the loose rule.
    pub loose: usize,
    /// Pairs matched under the strict rule.
    pub strict: usize,
    /// Cues matched (overlap).
    pub cue: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.gold_without_source += o.gold_without_source;
        self.predicted_without_source += o.predicted_without_source;
        self.loose += o.loose;
        self.strict += o.strict;
        self.cue += o.cue;
    }
}

/// The result of [`evaluate`]; scores are fractions in `[0, 1]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AttributionReport {
    /// Loose (source, content) pair precision.
    pub precision: f64,
    /// Loose pair recall.
    pub recall: f64,
    /// Loose pair F1: the headline score.
    pub f1: f64,
    /// Strict pair precision.
    pub strict_precision: f64,
    /// Strict pair recall.
    pub strict_recall: f64,
    /// Strict pair F1.
    pub strict_f1: f64,
    /// Cue precision (overlap).
    pub cue_precision: f64,
    /// Cue recall (overlap).
    pub cue_recall: f64,
    /// Cue F1 (overlap).
    pub cue_f1: f64,
    /// Documents scored.
    pub documents: usize,
    /// The counts behind the scores.
    pub counts: Counts,
    /// Predictions and loose matches per cue lemma, for error analysis.
    pub by_cue: BTreeMap<String, LemmaCounts>,
}

/// Predictions of one cue lemma and how many matched loosely.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LemmaCounts {
    /// Predictions with this cue lemma.
    pub predicted: usize,
    /// Of those, loose matches.
    pub matched: usize,
}

fn overlap(a: &[Range], b: &[Range]) -> usize {
    let mut n = 0;
    for &(s1, e1) in a {
        for &(s2, e2) in b {
            n += e1.min(e2).saturating_sub(s1.max(s2));
        }
    }
    n
}

fn length(a: &[Range]) -> usize {
    a.iter().map(|&(s, e)| e.saturating_sub(s)).sum()
}

/// The loose rule: contents overlap by at least half the gold content, and
/// the sources overlap (or both are absent).
pub fn loose_match(gold: &Triple, pred: &Triple) -> bool {
    let o = overlap(&gold.content, &pred.content);
    let sources = match (gold.source.is_empty(), pred.source.is_empty()) {
        (true, true) => true,
        (false, false) => overlap(&gold.source, &pred.source) > 0,
        _ => false,
    };
    o > 0 && 2 * o >= length(&gold.content) && sources
}

/// The strict rule: loose, and at least half the predicted content lies
/// inside the gold content.
pub fn strict_match(gold: &Triple, pred: &Triple) -> bool {
    loose_match(gold, pred) && 2 * overlap(&gold.content, &pred.content) >= length(&pred.content)
}

fn cue_match(gold: &Triple, pred: &Triple) -> bool {
    overlap(&gold.cue, &pred.cue) > 0
}

/// Size of a maximum one-to-one matching between gold and predictions under
/// `ok` (Kuhn's augmenting paths; documents hold at most a few hundred).
/// Returns the matched prediction of each gold item.
fn matching(
    gold: &[Triple],
    pred: &[Triple],
    ok: fn(&Triple, &Triple) -> bool,
) -> Vec<Option<usize>> {
    let edges: Vec<Vec<usize>> = gold
        .iter()
        .map(|g| (0..pred.len()).filter(|&p| ok(g, &pred[p])).collect())
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; pred.len()];
    fn augment(
        g: usize,
        edges: &[Vec<usize>],
        owner: &mut [Option<usize>],
        seen: &mut [bool],
    ) -> bool {
        for &p in &edges[g] {
            if seen[p] {
                continue;
            }
            seen[p] = true;
            let free = match owner[p] {
                None => true,
                Some(other) => augment(other, edges, owner, seen),
            };
            if free {
                owner[p] = Some(g);
                return true;
            }
        }
        false
    }
    for g in 0..gold.len() {
        let mut seen = vec![false; pred.len()];
        augment(g, &edges, &mut owner, &mut seen);
    }
    let mut out = vec![None; gold.len()];
    for (p, g) in owner.iter().enumerate() {
        if let Some(g) = g {
            out[*g] = Some(p);
        }
    }
    out
}

/// Counts for one document.
pub fn count(gold: &[Triple], pred: &[Triple]) -> Counts {
    let matched = |ok| {
        matching(gold, pred, ok)
            .iter()
            .filter(|m| m.is_some())
            .count()
    };
    Counts {
        gold: gold.len(),
        predicted: pred.len(),
        gold_without_source: gold.iter().filter(|t| t.source.is_empty()).count(),
        predicted_without_source: pred.iter().filter(|t| t.source.is_empty()).count(),
        loose: matched(loose_match),
        strict: matched(strict_match),
        cue: matched(cue_match),
    }
}

fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl AttributionReport {
    /// Scores from summed counts.
    pub fn from_counts(c: Counts, documents: usize) -> AttributionReport {
        let score = |m: usize| {
            let p = ratio(m, c.predicted);
            let r = ratio(m, c.gold);
            (round4(p), round4(r), round4(f1(p, r)))
        };
        let (precision, recall, f) = score(c.loose);
        let (strict_precision, strict_recall, strict_f1) = score(c.strict);
        let (cue_precision, cue_recall, cue_f1) = score(c.cue);
        AttributionReport {
            precision,
            recall,
            f1: f,
            strict_precision,
            strict_recall,
            strict_f1,
            cue_precision,
            cue_recall,
            cue_f1,
            documents,
            counts: c,
            by_cue: BTreeMap::new(),
        }
    }
}

/// Byte offset of each character offset of `text` (and of its end).
fn char_to_byte(text: &str) -> Vec<usize> {
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    v
}

/// Reads a brat `.ann` file against its text: the attributions, with byte
/// ranges.
pub fn parse_ann(src: &str, text: &str, path: &Path) -> Result<Vec<Triple>, EvalError> {
    let bytes = char_to_byte(text);
    let err = |line: usize, reason: String| EvalError::Format {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut spans: BTreeMap<&str, (&str, Vec<Range>)> = BTreeMap::new();
    let mut events = Vec::new();
    for (n, line) in src.lines().enumerate() {
        let mut cols = line.split('\t');
        let id = cols.next().unwrap_or("");
        let Some(body) = cols.next() else { continue };
        if id.starts_with('T') {
            let (label, ranges) = body
                .split_once(' ')
                .ok_or_else(|| err(n + 1, format!("no offsets in {body:?}")))?;
            let mut frags = Vec::new();
            for r in ranges.split(';') {
                let (a, b) = r
                    .trim()
                    .split_once(' ')
                    .ok_or_else(|| err(n + 1, format!("bad range {r:?}")))?;
                let parse = |s: &str| {
                    s.parse::<usize>()
                        .map_err(|_| err(n + 1, format!("bad offset {s:?}")))
                };
                let (a, b) = (parse(a)?, parse(b)?);
                let (Some(&a), Some(&b)) = (bytes.get(a), bytes.get(b)) else {
                    return Err(err(n + 1, format!("offsets {a}-{b} past the text end")));
                };
                frags.push((a, b));
            }
            spans.insert(id, (label, frags));
        } else if id.starts_with('E') {
            events.push((n + 1, body));
        }
    }
    let mut out = Vec::new();
    for (line, body) in events {
        let mut t = Triple::default();
        let mut head = None;
        for arg in body.split_whitespace() {
            let Some((role, target)) = arg.split_once(':') else {
                continue;
            };
            if head.is_none() {
                head = Some(role);
                continue;
            }
            let frags = spans
                .get(target)
                .ok_or_else(|| err(line, format!("unknown span {target}")))?
                .1
                .clone();
            match role.trim_end_matches(|c: char| c.is_ascii_digit()) {
                "Source" => t.source.extend(frags),
                "Cue" => t.cue.extend(frags),
                "Content" => t.content.extend(frags),
                _ => {}
            }
        }
        if head.is_some_and(|h| h.starts_with("Attribution")) {
            out.push(t);
        }
    }
    Ok(out)
}

/// Writes predictions as brat standoff with character offsets; a part that
/// crosses a line break is split into fragments, as brat requires.
pub fn write_ann(text: &str, found: &[Attribution]) -> String {
    let mut out = String::new();
    let mut t = 0;
    let mut span_line = |out: &mut String, label: &str, s: storyline_core::Span| -> usize {
        t += 1;
        let mut frags = Vec::new();
        let mut start = s.start;
        let piece = s.slice(text).unwrap_or("");
        for (i, c) in piece.char_indices() {
            if c == '\n' {
                if s.start + i > start {
                    frags.push((start, s.start + i));
                }
                start = s.start + i + 1;
            }
        }
        if s.end > start {
            frags.push((start, s.end));
        }
        let chars = |b: usize| text.get(..b).map_or(0, |p| p.chars().count());
        let ranges: Vec<String> = frags
            .iter()
            .map(|&(a, b)| format!("{} {}", chars(a), chars(b)))
            .collect();
        let shown: Vec<&str> = frags
            .iter()
            .map(|&(a, b)| text.get(a..b).unwrap_or(""))
            .collect();
        let _ = writeln!(
            out,
            "T{t}\t{label} {}\t{}",
            ranges.join(";"),
            shown.join(" ")
        );
        t
    };
    for (e, a) in found.iter().enumerate() {
        let cue = span_line(&mut out, "Cue", a.cue);
        let content = span_line(&mut out, "Content", a.content);
        let source = a.source.map(|s| span_line(&mut out, "Source", s));
        let head = span_line(&mut out, "Attribution", a.cue);
        let _ = match source {
            Some(s) => writeln!(
                out,
                "E{}\tAttribution:T{head} Content:T{content} Cue:T{cue} Source:T{s}",
                e + 1
            ),
            None => writeln!(
                out,
                "E{}\tAttribution-no-source:T{head} Content:T{content} Cue:T{cue}",
                e + 1
            ),
        };
    }
    out
}

/// One document: its name, text file and annotation file.
struct DocFiles {
    name: String,
    text: PathBuf,
    ann: PathBuf,
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let io = |source| EvalError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut v = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        v.push(entry.map_err(io)?.path());
    }
    v.sort();
    Ok(v)
}

fn documents(dir: &Path) -> Result<Vec<DocFiles>, EvalError> {
    let (text_dir, ann_dir) = if dir.join("attributions").is_dir() {
        (dir.join("text"), dir.join("attributions"))
    } else {
        (dir.to_path_buf(), dir.to_path_buf())
    };
    let mut by_name: BTreeMap<String, DocFiles> = BTreeMap::new();
    let texts = list(&text_dir)?;
    for ann in list(&ann_dir)? {
        if ann.extension().and_then(|e| e.to_str()) != Some("ann") {
            continue;
        }
        let Some(stem) = ann.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        // `NAME_ANNOTATOR.ann` (PolNeAR) or `NAME.ann` (flat).
        let name = if text_dir.join(format!("{stem}.txt")).is_file() {
            stem.to_string()
        } else if let Some((n, _)) = stem.rsplit_once('_') {
            n.to_string()
        } else {
            continue;
        };
        let text = text_dir.join(format!("{name}.txt"));
        if !texts.contains(&text) || by_name.contains_key(&name) {
            continue;
        }
        by_name.insert(name.clone(), DocFiles { name, text, ann });
    }
    Ok(by_name.into_values().collect())
}

/// Which predictions the loose rule matches, under the same maximum
/// one-to-one matching the scores use (for training a filter on labelled
/// candidates).
pub fn loose_matched(gold: &[Triple], pred: &[Triple]) -> Vec<bool> {
    let mut hit = vec![false; pred.len()];
    for p in matching(gold, pred, loose_match).into_iter().flatten() {
        hit[p] = true;
    }
    hit
}

/// The annotated documents of a PolNeAR split as (name, text, gold), in
/// name order.
pub fn read_split(dir: &Path) -> Result<Vec<(String, String, Vec<Triple>)>, EvalError> {
    let read = |p: &Path| {
        fs::read_to_string(p).map_err(|source| EvalError::Io {
            path: p.to_path_buf(),
            source,
        })
    };
    documents(dir)?
        .into_iter()
        .map(|d| {
            let text = read(&d.text)?;
            let gold = parse_ann(&read(&d.ann)?, &text, &d.ann)?;
            Ok((d.name, text, gold))
        })
        .collect()
}

/// One document read, annotated and analysed.
struct Scored {
    text: String,
    gold: Vec<Triple>,
    found: Vec<Attribution>,
    pred: Vec<Triple>,
}

fn score_document(d: &DocFiles) -> Result<Scored, EvalError> {
    let read = |p: &Path| {
        fs::read_to_string(p).map_err(|source| EvalError::Io {
            path: p.to_path_buf(),
            source,
        })
    };
    let text = read(&d.text)?;
    let gold = parse_ann(&read(&d.ann)?, &text, &d.ann)?;
    let tokens = tokenize(&text);
    let sentences = split_sentences(&text, &tokens);
    let ents = entities(&text, &tokens, &sentences);
    let found = find_attributions(&text, &tokens, &sentences, &ents);
    let pred = found.iter().map(Triple::from_prediction).collect();
    Ok(Scored {
        text,
        gold,
        found,
        pred,
    })
}

/// Runs [`find_attributions`] on every annotated document of `dir` and scores
/// it; with `out`, writes each document's predictions there as `NAME.ann`
/// (with a copy of `NAME.txt`, so `out` is itself a scorable directory).
pub fn evaluate(dir: &Path, out: Option<&Path>) -> Result<AttributionReport, EvalError> {
    let docs = documents(dir)?;
    if docs.is_empty() {
        return Err(EvalError::NoDocuments(dir.to_path_buf()));
    }
    if let Some(o) = out {
        fs::create_dir_all(o).map_err(|source| EvalError::Io {
            path: o.to_path_buf(),
            source,
        })?;
    }
    let mut total = Counts::default();
    let mut by_cue: BTreeMap<String, LemmaCounts> = BTreeMap::new();
    for d in &docs {
        let Scored {
            text,
            gold,
            found,
            pred,
        } = score_document(d)?;
        total += count(&gold, &pred);
        // Which predictions matched, by lemma.
        let m = matching(&gold, &pred, loose_match);
        let mut hit = vec![false; pred.len()];
        for p in m.into_iter().flatten() {
            hit[p] = true;
        }
        for (a, h) in found.iter().zip(hit) {
            let e = by_cue.entry(a.cue_lemma.clone()).or_default();
            e.predicted += 1;
            e.matched += usize::from(h);
        }
        if let Some(o) = out {
            let write = |p: PathBuf, s: &str| {
                fs::write(&p, s).map_err(|source| EvalError::Io { path: p, source })
            };
            write(o.join(format!("{}.ann", d.name)), &write_ann(&text, &found))?;
            write(o.join(format!("{}.txt", d.name)), &text)?;
        }
    }
    let mut report = AttributionReport::from_counts(total, docs.len());
    report.by_cue = by_cue;
    Ok(report)
}

/// Error analysis for development: every gold attribution the loose rule
/// does not match and every prediction that matches none, one line each,
/// with a category and the text of source, cue and content. Categories of
/// misses: `no-cue` (no prediction shares the cue), `source` (a prediction
/// with the cue has a content that matches but another source), `content`
/// (the cue is found, the content is not). False positives: `cue-of-gold`
/// (its cue is a gold cue) or `no-gold`.
pub fn diagnose(dir: &Path) -> Result<String, EvalError> {
    let docs = documents(dir)?;
    let mut out = String::new();
    for d in &docs {
        let Scored {
            text, gold, pred, ..
        } = score_document(d)?;
        let m = matching(&gold, &pred, loose_match);
        let mut hit = vec![false; pred.len()];
        for p in m.iter().flatten() {
            hit[*p] = true;
        }
        let show = |r: &[Range], max: usize| -> String {
            let s: Vec<&str> = r.iter().filter_map(|&(a, b)| text.get(a..b)).collect();
            let s = s.join(" | ").replace(['\n', '\t'], " ");
            if s.chars().count() > max {
                let cut: String = s.chars().take(max).collect();
                format!("{cut}…")
            } else {
                s
            }
        };
        for (g, mm) in gold.iter().zip(&m) {
            if mm.is_some() {
                continue;
            }
            let with_cue: Vec<&Triple> = pred.iter().filter(|p| cue_match(g, p)).collect();
            let category = if with_cue.is_empty() {
                "no-cue"
            } else if with_cue.iter().any(|p| {
                let o = overlap(&g.content, &p.content);
                o > 0 && 2 * o >= length(&g.content)
            }) {
                "source"
            } else {
                "content"
            };
            let _ = writeln!(
                out,
                "MISS\t{category}\t{}\t[{}]\t<{}>\t{}{}",
                d.name,
                show(&g.source, 60),
                show(&g.cue, 40),
                show(&g.content, 100),
                with_cue
                    .first()
                    .map(|p| format!("\tPRED [{}] {}", show(&p.source, 60), show(&p.content, 80)))
                    .unwrap_or_default()
            );
        }
        for (p, h) in pred.iter().zip(&hit) {
            if *h {
                continue;
            }
            let category = if gold.iter().any(|g| cue_match(g, p)) {
                "cue-of-gold"
            } else {
                "no-gold"
            };
            let _ = writeln!(
                out,
                "FP\t{category}\t{}\t[{}]\t<{}>\t{}",
                d.name,
                show(&p.source, 60),
                show(&p.cue, 40),
                show(&p.content, 100)
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(source: &[Range], cue: Range, content: &[Range]) -> Triple {
        Triple {
            source: source.to_vec(),
            cue: vec![cue],
            content: content.to_vec(),
        }
    }

    #[test]
    fn metric_on_a_hand_computed_example() {
        // Gold: A (source 0-5, content 20-40), B (no source, content 50-60),
        // C (source 70-75, content 80-100, in two fragments).
        let gold = vec![
            t(&[(0, 5)], (6, 10), &[(20, 40)]),
            t(&[], (45, 49), &[(50, 60)]),
            t(&[(70, 75)], (76, 79), &[(80, 90), (92, 100)]),
        ];
        let pred = vec![
            // Matches A loosely (covers 10 of 20) but not strictly (10 of 40 inside).
            t(&[(2, 4)], (6, 10), &[(30, 70)]),
            // A duplicate of A: gold A is already taken (one-to-one).
            t(&[(0, 5)], (100, 101), &[(20, 40)]),
            // Matches B: no source on either side.
            t(&[], (45, 49), &[(50, 60)]),
            // Right content for C, wrong source.
            t(&[(60, 65)], (76, 79), &[(80, 100)]),
        ];
        let c = count(&gold, &pred);
        assert_eq!(
            c,
            Counts {
                gold: 3,
                predicted: 4,
                gold_without_source: 1,
                predicted_without_source: 1,
                loose: 2,
                strict: 2,
                cue: 3,
            }
        );
        // Strict: A matches through the duplicate (exact content), B exactly.
        let r = AttributionReport::from_counts(c, 1);
        assert_eq!((r.precision, r.recall), (0.5, 0.6667));
        assert_eq!(r.f1, 0.5714);
        assert_eq!(r.cue_recall, 1.0);
    }

    #[test]
    fn matching_is_maximum_not_greedy() {
        // Prediction 0 fits both gold items, prediction 1 only the first:
        // a greedy matcher taking 0 for gold 0 would score 1, the maximum is 2.
        let gold = vec![
            t(&[(0, 2)], (3, 4), &[(10, 20)]),
            t(&[(0, 2)], (3, 4), &[(10, 40)]),
        ];
        let pred = vec![
            t(&[(0, 2)], (3, 4), &[(10, 30)]),
            t(&[(0, 2)], (3, 4), &[(10, 20)]),
        ];
        assert_eq!(matching(&gold, &pred, strict_match), vec![Some(1), Some(0)]);
    }

    #[test]
    fn reads_brat_with_character_offsets_and_fragments() {
        let text = "“Ça va,” dit-il. He said: yes, no.";
        let ann = "T1\tContent 0 8\t“Ça va,”\n\
                   T2\tCue 17 21\tHe s\n\
                   T3\tSource 17 19\tHe\n\
                   T4\tCue 20 24\tsaid\n\
                   T5\tContent 26 29;31 33\tyes no\n\
                   T6\tAttribution 20 24\tsaid\n\
                   E1\tAttribution:T6 Content:T5 Cue:T4 Source:T3\n\
                   E2\tAttribution-no-source:T2 Content:T1 Cue:T2\n\
                   #1\tAnnotatorNotes T1\tnote\n";
        let got = parse_ann(ann, text, Path::new("x.ann")).unwrap();
        let slice = |r: &Range| &text[r.0..r.1];
        assert_eq!(got.len(), 2);
        assert_eq!(slice(&got[0].source[0]), "He");
        assert_eq!(
            got[0].content.iter().map(slice).collect::<Vec<_>>(),
            ["yes", "no"]
        );
        assert!(got[1].source.is_empty());
        assert_eq!(slice(&got[1].content[0]), "“Ça va,”");
        assert!(parse_ann("T1\tCue 0 999\tx\n", text, Path::new("x.ann")).is_err());
    }

    #[test]
    fn written_predictions_read_back_identically() {
        let text = "Officials said the road would reopen.\n\n“Soon,” said the mayor.";
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let found = find_attributions(text, &tokens, &sentences, &[]);
        assert!(!found.is_empty());
        let back = parse_ann(&write_ann(text, &found), text, Path::new("p.ann")).unwrap();
        let direct: Vec<Triple> = found.iter().map(Triple::from_prediction).collect();
        assert_eq!(back, direct);
    }

    #[test]
    fn polnear_dev_scores_when_the_data_is_present() {
        let dir = Path::new("/work/shared/data/polnear/dev");
        if !dir.is_dir() {
            eprintln!("skipping: {} not found (PolNeAR dev split)", dir.display());
            return;
        }
        let r = evaluate(dir, None).unwrap();
        assert_eq!(r.documents, 84);
        assert!(r.counts.gold > 1000, "{r:?}");
        assert!(r.f1 >= 0.6, "{r:?}");
    }
}
