//! CoNLL-2003 named-entity evaluation of the fast-tier tagger.
//!
//! Scores whole entities with their type, as `conlleval` does: a predicted
//! entity counts only if its span and label match a gold one exactly. Gold may
//! be IOB1 (the original release) or IOB2; the chunk reader below follows
//! conlleval's start/end-of-chunk rules, so both read correctly. It is written
//! independently of the tagger's own decoder so each checks the other.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use storyline_analyze::{ModelError, NerModel};

/// Why a NER evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The IO error.
        source: std::io::Error,
    },
    /// A line is not `word ... tag`.
    #[error("{path}:{line}: {reason}")]
    Format {
        /// The CoNLL file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// The embedded model does not load (a build problem: retrain it).
    #[error("entity model: {0}")]
    Model(#[from] ModelError),
}

/// Scores of one entity type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeScore {
    /// Percent of predicted entities that are correct.
    pub precision: f64,
    /// Percent of gold entities found.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
    /// Gold entities of this type.
    pub support: usize,
}

/// The result of [`evaluate`]; percentages as conlleval prints them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NerReport {
    /// Overall precision (percent).
    pub precision: f64,
    /// Overall recall (percent).
    pub recall: f64,
    /// Overall F1 (percent).
    pub f1: f64,
    /// Per type (`PER`, `ORG`, `LOC`, `MISC`).
    pub per_type: BTreeMap<String, TypeScore>,
    /// Tokens tagged.
    pub tokens: usize,
    /// Tagging throughput (tokens per second, one thread, tagging only).
    pub tokens_per_s: f64,
}

/// A labelled chunk: first token, one past the last, type.
type Chunk = (usize, usize, String);

fn split_tag(tag: &str) -> (&str, &str) {
    match tag.split_once('-') {
        Some((p, t)) => (p, t),
        None => (tag, ""),
    }
}

/// Chunks of one sentence's tags following conlleval's rules (`B-` always
/// starts; `I-` starts after `O` or another type), valid for IOB1 and IOB2.
pub fn chunks(tags: &[&str]) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (i, tag) in tags.iter().enumerate() {
        let (prefix, ty) = split_tag(tag);
        let starts = match (prefix, open) {
            ("B", _) => true,
            ("I", Some((_, t))) => t != ty,
            ("I", None) => true,
            _ => false,
        };
        let inside = matches!(prefix, "B" | "I");
        if starts || !inside {
            if let Some((s, t)) = open.take() {
                out.push((s, i, t.to_string()));
            }
        }
        if starts {
            open = Some((i, ty));
        }
    }
    if let Some((s, t)) = open {
        out.push((s, tags.len(), t.to_string()));
    }
    out
}

/// Per type: (correct, predicted, gold).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ChunkCounts(pub BTreeMap<String, (usize, usize, usize)>);

impl ChunkCounts {
    /// Adds one sentence.
    pub fn add(&mut self, gold: &[&str], pred: &[&str]) {
        let g = chunks(gold);
        let p = chunks(pred);
        for (_, _, t) in &g {
            self.0.entry(t.clone()).or_default().2 += 1;
        }
        for c in &p {
            let e = self.0.entry(c.2.clone()).or_default();
            e.1 += 1;
            if g.contains(c) {
                e.0 += 1;
            }
        }
    }

    fn score(correct: usize, predicted: usize, gold: usize) -> TypeScore {
        let precision = if predicted == 0 {
            0.0
        } else {
            100.0 * correct as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            0.0
        } else {
            100.0 * correct as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        TypeScore {
            precision,
            recall,
            f1,
            support: gold,
        }
    }

    /// Overall scores and scores per type.
    pub fn scores(&self) -> (TypeScore, BTreeMap<String, TypeScore>) {
        let (mut c, mut p, mut g) = (0, 0, 0);
        let mut per = BTreeMap::new();
        for (t, &(tc, tp, tg)) in &self.0 {
            c += tc;
            p += tp;
            g += tg;
            per.insert(t.clone(), ChunkCounts::score(tc, tp, tg));
        }
        (ChunkCounts::score(c, p, g), per)
    }
}

/// One line of the input, kept so the output reproduces it.
enum Line {
    DocStart(String),
    Blank,
    Token {
        raw: String,
        word: String,
        gold: String,
    },
}

fn read_lines(path: &Path) -> Result<Vec<Line>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (no, raw) in text.lines().enumerate() {
        let line = raw.trim_end();
        if line.is_empty() {
            out.push(Line::Blank);
            continue;
        }
        let mut cols = line.split_whitespace();
        let word = cols.next().unwrap_or_default();
        if word == "-DOCSTART-" {
            out.push(Line::DocStart(line.to_string()));
            continue;
        }
        let gold = cols.next_back().ok_or_else(|| EvalError::Format {
            path: path.to_path_buf(),
            line: no + 1,
            reason: format!("expected `word POS chunk NER`, got {line:?}"),
        })?;
        let (prefix, _) = split_tag(gold);
        if !matches!(prefix, "O" | "B" | "I") {
            return Err(EvalError::Format {
                path: path.to_path_buf(),
                line: no + 1,
                reason: format!("unknown tag {gold:?}"),
            });
        }
        out.push(Line::Token {
            raw: line.to_string(),
            word: word.to_string(),
            gold: gold.to_string(),
        });
    }
    Ok(out)
}

/// Tags `conll_file` with the embedded model, one document at a time (so
/// document context is used), scores it, and when `out` is given writes the
/// input with a fifth column of predicted IOB2 tags (conlleval's input format).
pub fn evaluate(conll_file: &Path, out: Option<&Path>) -> Result<NerReport, EvalError> {
    let model = NerModel::embedded()?;
    let lines = read_lines(conll_file)?;
    // Group token line indices into documents of sentences.
    let mut docs: Vec<Vec<Vec<usize>>> = vec![Vec::new()];
    let mut sent: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match line {
            Line::Token { .. } => sent.push(i),
            Line::Blank | Line::DocStart(_) => {
                if let Some(doc) = docs.last_mut() {
                    if !sent.is_empty() {
                        doc.push(std::mem::take(&mut sent));
                    }
                }
                if matches!(line, Line::DocStart(_)) {
                    docs.push(Vec::new());
                }
            }
        }
    }
    if !sent.is_empty() {
        if let Some(doc) = docs.last_mut() {
            doc.push(sent);
        }
    }
    let mut predicted: Vec<String> = vec![String::new(); lines.len()];
    let mut counts = ChunkCounts::default();
    let mut tokens = 0usize;
    let mut elapsed = 0f64;
    for doc in &docs {
        let words: Vec<Vec<&str>> = doc
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&i| match &lines[i] {
                        Line::Token { word, .. } => word.as_str(),
                        _ => "",
                    })
                    .collect()
            })
            .collect();
        let refs: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
        let t0 = Instant::now();
        let tags = model.tag(&refs);
        elapsed += t0.elapsed().as_secs_f64();
        for (s, sent_tags) in doc.iter().zip(&tags) {
            tokens += s.len();
            let pred: Vec<String> = sent_tags.iter().map(ToString::to_string).collect();
            let gold: Vec<&str> = s
                .iter()
                .map(|&i| match &lines[i] {
                    Line::Token { gold, .. } => gold.as_str(),
                    _ => "O",
                })
                .collect();
            let pred_refs: Vec<&str> = pred.iter().map(String::as_str).collect();
            counts.add(&gold, &pred_refs);
            for (&i, p) in s.iter().zip(pred) {
                predicted[i] = p;
            }
        }
    }
    if let Some(out) = out {
        write_predictions(out, &lines, &predicted)?;
    }
    let (overall, per_type) = counts.scores();
    let report = NerReport {
        precision: overall.precision,
        recall: overall.recall,
        f1: overall.f1,
        per_type,
        tokens,
        tokens_per_s: if elapsed > 0.0 {
            tokens as f64 / elapsed
        } else {
            0.0
        },
    };
    tracing::info!(f1 = report.f1, tokens, "CoNLL NER evaluated");
    Ok(report)
}

fn write_predictions(out: &Path, lines: &[Line], predicted: &[String]) -> Result<(), EvalError> {
    let io = |source| EvalError::Io {
        path: out.to_path_buf(),
        source,
    };
    let file = std::fs::File::create(out).map_err(io)?;
    let mut w = std::io::BufWriter::new(file);
    for (line, pred) in lines.iter().zip(predicted) {
        match line {
            Line::DocStart(raw) => writeln!(w, "{raw} O"),
            Line::Blank => writeln!(w),
            Line::Token { raw, .. } => writeln!(w, "{raw} {pred}"),
        }
        .map_err(io)?;
    }
    w.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn chunks_follow_conlleval() {
        // IOB1: `I-` after `O` starts a chunk; `B-` splits adjacent same-type chunks.
        assert_eq!(
            chunks(&t("I-PER I-PER O I-LOC B-LOC I-ORG O")),
            vec![
                (0, 2, "PER".to_string()),
                (3, 4, "LOC".to_string()),
                (4, 5, "LOC".to_string()),
                (5, 6, "ORG".to_string()),
            ]
        );
        assert_eq!(
            chunks(&t("B-MISC I-MISC B-PER")),
            vec![(0, 2, "MISC".to_string()), (2, 3, "PER".to_string())]
        );
    }

    #[test]
    fn metric_matches_hand_computation() {
        // Gold: PER(0-1) LOC(3) ORG(5-6) ; pred: PER(0-1) correct, LOC(3-4) wrong span,
        // ORG(5-6) correct, MISC(8) spurious.
        let gold = t("B-PER I-PER O B-LOC O B-ORG I-ORG O O");
        let pred = t("B-PER I-PER O B-LOC I-LOC B-ORG I-ORG O B-MISC");
        let mut c = ChunkCounts::default();
        c.add(&gold, &pred);
        let (overall, per) = c.scores();
        // correct 2, predicted 4, gold 3: P 50, R 66.67, F1 57.14.
        assert_eq!(overall.precision, 50.0);
        assert!((overall.recall - 200.0 / 3.0).abs() < 1e-9);
        assert!((overall.f1 - 400.0 / 7.0).abs() < 1e-9);
        assert_eq!(overall.support, 3);
        assert_eq!(per["PER"].f1, 100.0);
        assert_eq!(per["LOC"].f1, 0.0);
        assert_eq!(per["MISC"].precision, 0.0);
        assert_eq!(per["MISC"].support, 0);
    }

    #[test]
    fn evaluates_a_tiny_file_and_writes_predictions() {
        let dir = std::env::temp_dir().join(format!("storyline-ner-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let input = dir.join("tiny.txt");
        std::fs::write(
            &input,
            "-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER\nvisited VBD B-VP O\nGermany NNP B-NP B-LOC\n. . O O\n\n",
        )
        .unwrap();
        let output = dir.join("pred.txt");
        let report = evaluate(&input, Some(&output)).unwrap();
        assert_eq!(report.tokens, 5);
        assert_eq!(report.f1, 100.0);
        let written = std::fs::read_to_string(&output).unwrap();
        assert_eq!(
            written,
            "-DOCSTART- -X- -X- O O\n\nPeter NNP B-NP B-PER B-PER\nBlackburn NNP I-NP I-PER I-PER\nvisited VBD B-VP O O\nGermany NNP B-NP B-LOC B-LOC\n. . O O O\n\n"
        );
        assert!(matches!(
            evaluate(&dir.join("missing.txt"), None),
            Err(EvalError::Io { .. })
        ));
        std::fs::write(&input, "word NNP B-NP X-PER\n").unwrap();
        assert!(matches!(
            evaluate(&input, None),
            Err(EvalError::Format { line: 1, .. })
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn conll_valid_reaches_the_bar() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/conll2003/valid.txt");
        if !path.exists() {
            eprintln!(
                "skipping: {} not found (CoNLL-2003 dev data is not in this checkout)",
                path.display()
            );
            return;
        }
        let report = evaluate(&path, None).unwrap();
        eprintln!("{}", serde_json::to_string_pretty(&report).unwrap());
        assert!(report.f1 >= 88.0, "dev F1 {:.2} below 88", report.f1);
        assert_eq!(report.per_type.len(), 4);
    }
}
