//! Timeline summarisation on Timeline17 (Tran et al. 2013), in the setting
//! of Ghalandari & Ifrim (ACL 2020, "Examining the State of the Art in News
//! Timeline Summarization").
//!
//! **Data.** A dataset directory holds one folder per topic with
//! `articles.tokenized.jsonl.gz` (one JSON object a line: `id`, `time` as
//! `YYYY-MM-DD`, `text` tokenised PTB-style, one sentence a line),
//! `timelines.jsonl` (one reference timeline a line:
//! `[["2010-04-20", ["sentence", ...]], ...]`) and optionally
//! `keywords.json` (a JSON list of strings). When the articles file is
//! missing, `InputDocs/<YYYY-MM-DD>/*.txt` is read instead (the folder names
//! the publication date).
//!
//! **Setup.** For each reference timeline, the articles published between
//! its first and last date (inclusive) are the input, candidate dates are
//! restricted to the same range, and the system is asked for as many dates
//! as the reference has and `round(mean sentences per reference date)`
//! sentences per date (at least one). Each article's text is detokenised
//! (PTB brackets and quotes back to characters, no space before
//! punctuation) and analysed with [`storyline_analyze::document::analyze`]
//! against its publication date; the timeline is
//! [`storyline_link::timeline::build_timeline`] with
//! [`TimelineParams::default`]. The topics' `keywords.json` are not applied:
//! in this copy of Timeline17 they name the topic (`bpoil`, `MJ`, `H1N1`,
//! `Finan`), and filtering summary sentences on them (where they occur in
//! at least half of the articles) lowered AR1-F on the visible topics from
//! 0.142 to 0.124; [`read_keywords`] reads them, and
//! [`TimelineParams::keywords`] applies any list given to [`evaluate_with`].
//!
//! **Metrics** (Martschat & Markert 2017, "Improving ROUGE for Timeline
//! Summarization", implemented here from the paper's definitions, as the
//! `tilse` toolkit computes them):
//! - *Alignment-based ROUGE-N, align+ m:1.* For precision every predicted
//!   date is aligned to the reference date of least cost, for recall every
//!   reference date to the predicted date of least cost (ties: the earliest
//!   date), where the cost of dates `p`, `r` is
//!   `(1 - 1/(|p - r| + 1)) * (1 - F1(p, r))`, `F1` being the unigram overlap
//!   F-score of the two daily summaries. The matched n-gram count of each
//!   aligned pair is weighted by `1/(|p - r| + 1)`; precision divides the
//!   weighted matches by the predicted n-grams, recall by the reference
//!   n-grams. N-grams are counted over each daily summary as a whole
//!   (sentences concatenated), clipped as in ROUGE.
//! - *Date F1*: predicted dates against reference dates as sets.
//! - Averages follow Ghalandari & Ifrim: precision and recall are averaged
//!   over timelines and the F-score is computed from the averages.
//!
//! **ROUGE tokens.** `tilse` runs ROUGE-1.5.5 with `-m -s` (Porter stemming,
//! stopwords removed). Here: text lowercased, every character other than
//! ASCII letters and digits a separator, stopwords removed, and tokens longer
//! than three characters Porter-stemmed (the original 1980 algorithm,
//! implemented here, with the `bli`/`logi` step-2 rules of Porter's reference
//! version). Deviations: the stopword list is this project's own (about 200
//! common function words), not ROUGE's SMART list; the alignment cost's
//! content F1 is computed on lowercased alphanumeric tokens where `tilse`
//! uses whitespace tokens as given, so that detokenised system sentences are
//! not penalised against tokenised references.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;
use storyline_analyze::document::{analyze, Analysis, AnalysisContext};
use storyline_core::Timestamp;
use storyline_link::timeline::{build_timeline, TimelineInput, TimelineParams};

/// Why a Timeline17 evaluation could not run.
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
    /// A record is not what the format says.
    #[error("{path}:{line}: {reason}")]
    Format {
        /// The file.
        path: PathBuf,
        /// 1-based line number (0: the file as a whole).
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// A file that must hold records holds none.
    #[error("{0}: no records found")]
    Empty(PathBuf),
    /// The directory holds no topic folders.
    #[error("{0}: no topic folders with timelines.jsonl found (expected a Timeline17 directory such as timeline17/ with one folder per topic)")]
    NoTopics(PathBuf),
}

/// One input article.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    /// The dataset's id.
    pub id: String,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Text as given (tokenised).
    pub text: String,
}

/// A timeline: dates with their daily summaries (sentences).
pub type Timeline = Vec<(NaiveDate, Vec<String>)>;

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> EvalError + '_ {
    move |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn format_err(path: &Path, line: usize, reason: impl Into<String>) -> EvalError {
    EvalError::Format {
        path: path.to_path_buf(),
        line,
        reason: reason.into(),
    }
}

fn parse_day(path: &Path, line: usize, s: &str) -> Result<NaiveDate, EvalError> {
    let day = s.get(..10).unwrap_or(s);
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|e| format_err(path, line, format!("bad date {s:?}: {e}")))
}

/// Reads an articles file (`.jsonl`, or gzip-compressed `.jsonl.gz`): one
/// JSON object a line with `id`, `time` and `text`; blank lines are skipped.
pub fn read_articles(path: &Path) -> Result<Vec<Article>, EvalError> {
    let file = fs::File::open(path).map_err(io_err(path))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut out = Vec::new();
    for (n, line) in BufReader::new(reader).lines().enumerate() {
        let line = line.map_err(io_err(path))?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format_err(path, n + 1, e.to_string()))?;
        let text = v
            .get("text")
            .and_then(|t| t.as_str())
            .ok_or_else(|| format_err(path, n + 1, "no string field \"text\""))?;
        let id = match v.get("id") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(x)) => x.to_string(),
            _ => n.to_string(),
        };
        let published = match v.get("time").and_then(|t| t.as_str()) {
            Some(t) => Some(parse_day(path, n + 1, t)?),
            None => None,
        };
        out.push(Article {
            id,
            published,
            text: text.to_string(),
        });
    }
    if out.is_empty() {
        return Err(EvalError::Empty(path.to_path_buf()));
    }
    Ok(out)
}

/// Reads `InputDocs/<YYYY-MM-DD>/<file>`: every file one article published
/// on its folder's date, in path order.
pub fn read_input_docs(dir: &Path) -> Result<Vec<Article>, EvalError> {
    let mut out = Vec::new();
    for day_dir in sorted_entries(dir)? {
        if !day_dir.is_dir() {
            continue;
        }
        let name = day_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let published = parse_day(&day_dir, 0, name)?;
        for f in sorted_entries(&day_dir)? {
            if !f.is_file() {
                continue;
            }
            let bytes = fs::read(&f).map_err(io_err(&f))?;
            out.push(Article {
                id: f
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_string(),
                published: Some(published),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            });
        }
    }
    if out.is_empty() {
        return Err(EvalError::Empty(dir.to_path_buf()));
    }
    Ok(out)
}

/// One article of a topic that several outlets covered.
#[derive(Clone, Debug)]
pub struct OutletArticle {
    /// `topic_outlet/id` (`bpoil_bbc/235`): the label files' pointer.
    pub doc: String,
    /// The outlet, as the folder names it after the topic (`bbc`).
    pub outlet: String,
    /// Publication date.
    pub published: Option<NaiveDate>,
    /// Detokenised text.
    pub text: String,
}

/// The articles of every topic that two or more outlets covered, as a
/// dataset of `topic_outlet` folders lays them out (Timeline17's `bpoil_bbc`,
/// `bpoil_reuters`, …): real coverage of one story from several publishers,
/// the case cross-source findings are for. Topics with one outlet are left
/// out. Articles come in folder order, then file order.
pub fn read_multi_outlet(dir: &Path) -> Result<Vec<OutletArticle>, EvalError> {
    let folders: Vec<(String, String, PathBuf)> = sorted_entries(dir)?
        .into_iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            let (topic, outlet) = name.split_once('_')?;
            Some((topic.to_string(), outlet.to_string(), p))
        })
        .collect();
    let mut out = Vec::new();
    for (topic, outlet, path) in &folders {
        if folders.iter().filter(|(t, _, _)| t == topic).count() < 2 {
            continue;
        }
        let gz = path.join("articles.tokenized.jsonl.gz");
        let articles = if gz.is_file() {
            read_articles(&gz)?
        } else {
            read_input_docs(&path.join("InputDocs"))?
        };
        for a in articles {
            out.push(OutletArticle {
                doc: format!("{topic}_{outlet}/{}", a.id),
                outlet: outlet.clone(),
                published: a.published,
                text: detokenize(&a.text),
            });
        }
    }
    if out.is_empty() {
        return Err(EvalError::NoTopics(dir.to_path_buf()));
    }
    Ok(out)
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io_err(dir))?
        .map(|e| e.map(|e| e.path()).map_err(io_err(dir)))
        .collect::<Result<_, _>>()?;
    v.sort();
    Ok(v)
}

/// Reads `timelines.jsonl`: one timeline a line, `[[date, [sentence, ...]], ...]`.
pub fn read_timelines(path: &Path) -> Result<Vec<Timeline>, EvalError> {
    let text = fs::read_to_string(path).map_err(io_err(path))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let raw: Vec<(String, Vec<String>)> = serde_json::from_str(line).map_err(|e| {
            format_err(
                path,
                n + 1,
                format!("expected [[date, [sentences]], ...]: {e}"),
            )
        })?;
        let mut tl: Timeline = Vec::with_capacity(raw.len());
        for (d, sents) in raw {
            let day = parse_day(path, n + 1, &d)?;
            match tl.iter_mut().find(|(x, _)| *x == day) {
                Some((_, s)) => s.extend(sents),
                None => tl.push((day, sents)),
            }
        }
        if tl.is_empty() {
            return Err(format_err(path, n + 1, "timeline without dates"));
        }
        tl.sort_by_key(|(d, _)| *d);
        out.push(tl);
    }
    if out.is_empty() {
        return Err(EvalError::Empty(path.to_path_buf()));
    }
    Ok(out)
}

/// Reads `keywords.json` (a JSON list of strings); a missing file is no keywords.
pub fn read_keywords(path: &Path) -> Result<Vec<String>, EvalError> {
    match fs::read_to_string(path) {
        Ok(t) => serde_json::from_str(&t)
            .map_err(|e| format_err(path, 0, format!("expected a list of strings: {e}"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(io_err(path)(e)),
    }
}

/// Undoes PTB tokenisation line by line: brackets (`-LRB-`) and quotes
/// (`` `` ``, `''`) back to characters, no space before closing punctuation
/// and clitics, none after opening brackets. Lines stay lines.
pub fn detokenize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let toks: Vec<&str> = line.split(' ').filter(|t| !t.is_empty()).collect();
        let mut open_quote = true;
        let mut glue_next = true;
        let mut j = 0;
        while j < toks.len() {
            let mut t = toks[j];
            // "` `" and "' '" are split quote pairs.
            if (t == "`" || t == "'") && toks.get(j + 1) == Some(&t) {
                t = if t == "`" { "``" } else { "''" };
                j += 1;
            }
            let mapped = match t {
                "-LRB-" => "(",
                "-RRB-" => ")",
                "-LSB-" => "[",
                "-RSB-" => "]",
                "-LCB-" => "{",
                "-RCB-" => "}",
                "``" | "''" | "\"" => "\"",
                other => other,
            };
            let is_quote = mapped == "\"";
            let closing = matches!(
                mapped,
                "," | "." | ";" | ":" | "?" | "!" | "%" | ")" | "]" | "}" | "..."
            ) || (mapped.starts_with('\'') && mapped.len() > 1)
                || mapped.eq_ignore_ascii_case("n't")
                || (is_quote && !open_quote);
            if !(glue_next || closing) {
                out.push(' ');
            }
            out.push_str(mapped);
            glue_next = matches!(mapped, "(" | "[" | "{" | "$") || (is_quote && open_quote);
            if is_quote {
                open_quote = !open_quote;
            }
            j += 1;
        }
    }
    out
}

// ───────────────────────────── ROUGE ─────────────────────────────

/// Function words ROUGE leaves out (`-s`). This project's own list.
const ROUGE_STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "afterwards",
    "again",
    "against",
    "all",
    "almost",
    "alone",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "anyone",
    "anything",
    "are",
    "around",
    "as",
    "at",
    "be",
    "became",
    "because",
    "become",
    "been",
    "before",
    "being",
    "below",
    "beside",
    "besides",
    "between",
    "beyond",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "either",
    "else",
    "enough",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "hence",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "indeed",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "least",
    "less",
    "many",
    "may",
    "me",
    "might",
    "more",
    "moreover",
    "most",
    "mostly",
    "much",
    "must",
    "my",
    "myself",
    "neither",
    "never",
    "nevertheless",
    "no",
    "nobody",
    "none",
    "nor",
    "not",
    "nothing",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "only",
    "onto",
    "or",
    "other",
    "others",
    "otherwise",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "perhaps",
    "rather",
    "same",
    "several",
    "she",
    "should",
    "since",
    "so",
    "some",
    "somehow",
    "someone",
    "something",
    "sometimes",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "thereby",
    "therefore",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "throughout",
    "thus",
    "to",
    "together",
    "too",
    "toward",
    "towards",
    "under",
    "unless",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "well",
    "were",
    "what",
    "whatever",
    "when",
    "whenever",
    "where",
    "whereas",
    "whether",
    "which",
    "while",
    "who",
    "whoever",
    "whole",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// The ROUGE tokens of `text`: lowercased ASCII alphanumeric runs, stopwords
/// removed, tokens longer than three characters Porter-stemmed.
pub fn rouge_tokens(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !ROUGE_STOPWORDS.contains(w))
        .map(|w| {
            if w.len() > 3 {
                porter::stem(w)
            } else {
                w.to_string()
            }
        })
        .collect()
}

type Counts = HashMap<Vec<String>, usize>;

fn ngram_counts(tokens: &[String], n: usize) -> Counts {
    let mut c = Counts::new();
    if n > 0 {
        for g in tokens.windows(n) {
            *c.entry(g.to_vec()).or_default() += 1;
        }
    }
    c
}

/// Clipped matches between two n-gram bags.
fn hits(a: &Counts, b: &Counts) -> usize {
    a.iter()
        .map(|(g, &x)| x.min(b.get(g).copied().unwrap_or(0)))
        .sum()
}

fn total(c: &Counts) -> usize {
    c.values().sum()
}

/// Precision, recall and F1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1 of the two.
    pub f: f64,
}

impl Prf {
    /// From precision and recall.
    pub fn new(precision: f64, recall: f64) -> Prf {
        let f = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f,
        }
    }

    /// Averages precision and recall, then takes F1 of the averages.
    pub fn mean(items: &[Prf]) -> Prf {
        if items.is_empty() {
            return Prf::default();
        }
        let n = items.len() as f64;
        Prf::new(
            items.iter().map(|p| p.precision).sum::<f64>() / n,
            items.iter().map(|p| p.recall).sum::<f64>() / n,
        )
    }
}

/// Date precision, recall and F1 of `pred` against `reference` (as sets).
pub fn date_prf(pred: &Timeline, reference: &Timeline) -> Prf {
    if pred.is_empty() || reference.is_empty() {
        return Prf::default();
    }
    let shared = pred
        .iter()
        .filter(|(d, _)| reference.iter().any(|(r, _)| r == d))
        .count() as f64;
    Prf::new(shared / pred.len() as f64, shared / reference.len() as f64)
}

/// One daily summary, prepared for scoring.
struct Day {
    date: NaiveDate,
    /// Unigrams and bigrams of the ROUGE tokens.
    grams: [Counts; 2],
    /// Lowercased alphanumeric tokens, for the alignment cost.
    plain: Counts,
}

fn prepare(tl: &Timeline) -> Vec<Day> {
    let mut days: Vec<Day> = tl
        .iter()
        .map(|(date, sents)| {
            let joined = sents.join(" ");
            let toks = rouge_tokens(&joined);
            let plain: Vec<String> = joined
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect();
            Day {
                date: *date,
                grams: [ngram_counts(&toks, 1), ngram_counts(&toks, 2)],
                plain: ngram_counts(&plain, 1),
            }
        })
        .collect();
    days.sort_by_key(|d| d.date);
    days
}

fn distance(a: NaiveDate, b: NaiveDate) -> f64 {
    (a - b).num_days().unsigned_abs() as f64
}

/// `tilse`'s approximate ROUGE-1 F1 of a predicted against a reference summary.
fn content_f1(pred: &Counts, reference: &Counts) -> f64 {
    let m = hits(pred, reference) as f64;
    let (p, r) = (total(pred) as f64, total(reference) as f64);
    let prec = if p > 0.0 { m / p } else { 0.0 };
    let rec = if r > 0.0 { m / r } else { 0.0 };
    Prf::new(prec, rec).f
}

/// For each `from` day, the index of the `to` day of least alignment cost
/// (first in date order on ties); `pred_first` says which side is predicted.
fn align(from: &[Day], to: &[Day], pred_first: bool) -> Vec<Option<usize>> {
    from.iter()
        .map(|a| {
            let mut best: Option<(usize, f64)> = None;
            for (j, b) in to.iter().enumerate() {
                let date_factor = 1.0 - 1.0 / (distance(a.date, b.date) + 1.0);
                let (p, r) = if pred_first { (a, b) } else { (b, a) };
                let cost = date_factor * (1.0 - content_f1(&p.plain, &r.plain));
                if best.is_none_or(|(_, c)| cost < c) {
                    best = Some((j, cost));
                }
            }
            best.map(|(j, _)| j)
        })
        .collect()
}

/// Alignment-based ROUGE-1 and ROUGE-2 (align+ m:1) of `pred` against `reference`.
pub fn align_rouge(pred: &Timeline, reference: &Timeline) -> [Prf; 2] {
    let p = prepare(pred);
    let r = prepare(reference);
    let prec_align = align(&p, &r, true);
    let rec_align = align(&r, &p, false);
    let mut out = [Prf::default(); 2];
    for (n, slot) in out.iter_mut().enumerate() {
        let (mut pnum, mut pden, mut rnum, mut rden) = (0.0, 0.0, 0.0, 0.0);
        for (a, m) in p.iter().zip(&prec_align) {
            pden += total(&a.grams[n]) as f64;
            if let Some(j) = m {
                let b = &r[*j];
                pnum += hits(&a.grams[n], &b.grams[n]) as f64 / (distance(a.date, b.date) + 1.0);
            }
        }
        for (b, m) in r.iter().zip(&rec_align) {
            rden += total(&b.grams[n]) as f64;
            if let Some(j) = m {
                let a = &p[*j];
                rnum += hits(&a.grams[n], &b.grams[n]) as f64 / (distance(a.date, b.date) + 1.0);
            }
        }
        let prec = if pden > 0.0 { pnum / pden } else { 0.0 };
        let rec = if rden > 0.0 { rnum / rden } else { 0.0 };
        *slot = Prf::new(prec, rec);
    }
    out
}

// ───────────────────────────── evaluation ─────────────────────────────

/// Scores of one timeline or an average of several.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Scores {
    /// Alignment-based ROUGE-1 F (align+ m:1).
    pub ar1_f: f64,
    /// Alignment-based ROUGE-2 F (align+ m:1).
    pub ar2_f: f64,
    /// Date F1.
    pub date_f1: f64,
    /// Alignment-based ROUGE-1.
    pub ar1: Prf,
    /// Alignment-based ROUGE-2.
    pub ar2: Prf,
    /// Date selection.
    pub dates: Prf,
}

impl Scores {
    fn mean(items: &[Scores]) -> Scores {
        let ar1 = Prf::mean(&items.iter().map(|s| s.ar1).collect::<Vec<_>>());
        let ar2 = Prf::mean(&items.iter().map(|s| s.ar2).collect::<Vec<_>>());
        let dates = Prf::mean(&items.iter().map(|s| s.dates).collect::<Vec<_>>());
        Scores {
            ar1_f: ar1.f,
            ar2_f: ar2.f,
            date_f1: dates.f,
            ar1,
            ar2,
            dates,
        }
    }

    /// Scores of `pred` against `reference`.
    pub fn of(pred: &Timeline, reference: &Timeline) -> Scores {
        let [ar1, ar2] = align_rouge(pred, reference);
        let dates = date_prf(pred, reference);
        Scores {
            ar1_f: ar1.f,
            ar2_f: ar2.f,
            date_f1: dates.f,
            ar1,
            ar2,
            dates,
        }
    }
}

/// Results for one topic folder.
#[derive(Clone, Debug, Serialize)]
pub struct TopicReport {
    /// Articles read.
    pub articles: usize,
    /// Scores averaged over the topic's timelines.
    #[serde(flatten)]
    pub scores: Scores,
    /// Scores of each reference timeline, in file order.
    pub timelines: Vec<Scores>,
}

/// The whole evaluation.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Reference timelines scored.
    pub timelines: usize,
    /// Alignment-based ROUGE-1 F over all timelines.
    pub ar1_f: f64,
    /// Alignment-based ROUGE-2 F over all timelines.
    pub ar2_f: f64,
    /// Date F1 over all timelines.
    pub date_f1: f64,
    /// Precision/recall behind the figures above.
    pub detail: Scores,
    /// Per topic folder.
    pub per_topic: BTreeMap<String, TopicReport>,
}

/// The parameters used for a reference timeline: its size, its date range,
/// and `base` for everything else.
pub fn params_for(reference: &Timeline, base: &TimelineParams) -> TimelineParams {
    let dates = reference.len().max(1);
    let sents: usize = reference.iter().map(|(_, s)| s.len()).sum();
    let k = ((sents as f64 / dates as f64).round() as usize).max(1);
    let range = match (reference.first(), reference.last()) {
        (Some((a, _)), Some((b, _))) => Some((*a, *b)),
        _ => None,
    };
    TimelineParams {
        max_dates: reference.len(),
        sentences_per_date: k,
        range,
        ..base.clone()
    }
}

/// An article ready for timeline building.
struct Prepared {
    published: Option<NaiveDate>,
    text: String,
    analysis: Analysis,
}

fn prepare_articles(articles: &[Article]) -> Vec<Prepared> {
    let work = |a: &Article| {
        let text = detokenize(&a.text);
        let ctx = AnalysisContext {
            published: a.published.map(Timestamp::from_date),
        };
        let analysis = analyze(&text, &ctx);
        Prepared {
            published: a.published,
            text,
            analysis,
        }
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 16);
    let chunk = articles.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = articles
            .chunks(chunk)
            .map(|c| s.spawn(move || c.iter().map(work).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Builds the timeline for one reference from prepared articles.
fn predict(articles: &[Prepared], params: &TimelineParams) -> Timeline {
    let inputs: Vec<TimelineInput<'_>> = articles
        .iter()
        .enumerate()
        .filter(|(_, a)| match (params.range, a.published) {
            (Some((s, e)), Some(p)) => s <= p && p <= e,
            _ => true,
        })
        .map(|(i, a)| TimelineInput {
            article: i,
            published: a.published,
            text: &a.text,
            analysis: &a.analysis,
        })
        .collect();
    let mut tl: Timeline = build_timeline(&inputs, params)
        .into_iter()
        .map(|e| {
            let sents = e
                .sentences
                .iter()
                .filter_map(|s| s.span.slice(&articles[s.article].text))
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .collect();
            (e.date, sents)
        })
        .collect();
    tl.sort_by_key(|(d, _)| *d);
    tl
}

/// Evaluates with the default [`TimelineParams`]; see [`evaluate_with`].
pub fn evaluate(dir: &Path, out: Option<&Path>) -> Result<Report, EvalError> {
    evaluate_with(dir, out, &TimelineParams::default())
}

/// Builds a timeline for every reference timeline of every topic folder
/// under `dir` and scores it; `base` gives every parameter but the size and
/// date range, which come from each reference. With `out`, writes the
/// predicted timelines to `out/<topic>/timelines.jsonl` in the dataset's
/// format (one line per reference timeline, same order).
pub fn evaluate_with(
    dir: &Path,
    out: Option<&Path>,
    base: &TimelineParams,
) -> Result<Report, EvalError> {
    let mut reports = run(dir, out, std::slice::from_ref(base))?;
    reports
        .pop()
        .ok_or_else(|| EvalError::NoTopics(dir.to_path_buf()))
}

/// For tuning: one report per parameter set in `grid`, analysing each
/// topic's articles once.
pub fn evaluate_grid(dir: &Path, grid: &[TimelineParams]) -> Result<Vec<Report>, EvalError> {
    run(dir, None, grid)
}

fn run(dir: &Path, out: Option<&Path>, grid: &[TimelineParams]) -> Result<Vec<Report>, EvalError> {
    let topics: Vec<PathBuf> = sorted_entries(dir)?
        .into_iter()
        .filter(|p| p.join("timelines.jsonl").is_file())
        .collect();
    if topics.is_empty() {
        return Err(EvalError::NoTopics(dir.to_path_buf()));
    }
    let mut per_topic: Vec<BTreeMap<String, TopicReport>> = vec![BTreeMap::new(); grid.len()];
    let mut all: Vec<Vec<Scores>> = vec![Vec::new(); grid.len()];
    for topic in topics {
        let name = topic
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let references = read_timelines(&topic.join("timelines.jsonl"))?;
        let gz = topic.join("articles.tokenized.jsonl.gz");
        let articles = if gz.is_file() {
            read_articles(&gz)?
        } else {
            read_input_docs(&topic.join("InputDocs"))?
        };
        tracing::info!(topic = %name, articles = articles.len(), "analysing");
        let prepared = prepare_articles(&articles);
        for (g, base) in grid.iter().enumerate() {
            let mut scores = Vec::new();
            let mut predicted = Vec::new();
            for reference in &references {
                let pred = predict(&prepared, &params_for(reference, base));
                scores.push(Scores::of(&pred, reference));
                predicted.push(pred);
            }
            if let Some(out) = out {
                write_timelines(&out.join(&name), &predicted)?;
            }
            all[g].extend(scores.iter().copied());
            per_topic[g].insert(
                name.clone(),
                TopicReport {
                    articles: articles.len(),
                    scores: Scores::mean(&scores),
                    timelines: scores,
                },
            );
        }
    }
    Ok(all
        .into_iter()
        .zip(per_topic)
        .map(|(all, per_topic)| {
            let detail = Scores::mean(&all);
            Report {
                timelines: all.len(),
                ar1_f: detail.ar1_f,
                ar2_f: detail.ar2_f,
                date_f1: detail.date_f1,
                detail,
                per_topic,
            }
        })
        .collect())
}

// ─────────────────────── leave one topic out ───────────────────────

/// The knobs [`evaluate_loto`] chooses among: the defaults and their
/// neighbours on the date-scoring and sentence-choice knobs (the size and
/// range always come from the reference, as in [`params_for`]).
pub fn loto_grid() -> Vec<TimelineParams> {
    let base = TimelineParams::default();
    let mut grid = Vec::new();
    for publication_weight in [0.1, 0.25, 0.5] {
        for sentence_weight in [0.05, 0.1, 0.2] {
            for publication_lag_days in [0, 1, 2] {
                for max_similarity in [0.4, 0.5] {
                    for lead_sentences in [3, 5] {
                        grid.push(TimelineParams {
                            publication_weight,
                            sentence_weight,
                            publication_lag_days,
                            max_similarity,
                            lead_sentences,
                            ..base.clone()
                        });
                    }
                }
            }
        }
    }
    grid
}

/// One held-out topic of a leave-one-topic-out run.
#[derive(Clone, Debug, Serialize)]
pub struct HeldOut {
    /// The topic (folder names up to the first `_`: `bpoil` for
    /// `bpoil_bbc`, `bpoil_guardian` …).
    pub topic: String,
    /// The knobs chosen on every other topic.
    pub chosen: TimelineParams,
    /// Whether the choice is [`TimelineParams::default`].
    pub chosen_is_default: bool,
    /// The held-out topic's timelines scored with the chosen knobs.
    pub scores: Scores,
    /// Its timelines.
    pub timelines: usize,
}

/// A leave-one-topic-out evaluation: for each topic, the knobs are chosen
/// on the other topics and the topic is scored with them, so no figure
/// here was tuned on the timelines it scores.
#[derive(Clone, Debug, Serialize)]
pub struct LotoReport {
    /// Reference timelines scored (each once, held out).
    pub timelines: usize,
    /// Out-of-fold alignment ROUGE-1 F, mean over all timelines.
    pub ar1_f: f64,
    /// Out-of-fold alignment ROUGE-2 F.
    pub ar2_f: f64,
    /// Out-of-fold date F1.
    pub date_f1: f64,
    /// What the knobs were chosen by.
    pub objective: &'static str,
    /// Parameter sets tried per fold.
    pub grid: usize,
    /// The same timelines with the shipped defaults (in-sample: the
    /// defaults were chosen on these topics).
    pub defaults: Scores,
    /// Per held-out topic.
    pub folds: Vec<HeldOut>,
}

/// The selection objective: AR1-F and date F1 each divided by the figure
/// DATEWISE publishes for all of Timeline17 (0.120 and 0.544), summed, so
/// that neither is traded away for the other.
fn loto_objective(s: &Scores) -> f64 {
    s.ar1_f / 0.120 + s.date_f1 / 0.544
}

/// The topic a folder belongs to: its name up to the first `_`.
fn topic_of(folder: &str) -> &str {
    folder.split('_').next().unwrap_or(folder)
}

/// Leave-one-topic-out over the topic folders under `dir`: analyses every
/// article once, scores every parameter set of `grid` on every timeline,
/// then for each topic picks the set with the best mean objective over the
/// other topics' timelines and reports the topic's timelines with it.
pub fn evaluate_loto(dir: &Path, grid: &[TimelineParams]) -> Result<LotoReport, EvalError> {
    if grid.is_empty() {
        return Err(EvalError::NoTopics(dir.to_path_buf()));
    }
    let reports = run(dir, None, grid)?;
    let defaults_at = grid.iter().position(|p| *p == TimelineParams::default());
    let topics: Vec<String> = {
        let mut t: Vec<String> = reports[0]
            .per_topic
            .keys()
            .map(|k| topic_of(k).to_string())
            .collect();
        t.dedup();
        t
    };
    // Timeline scores of grid entry `g` whose folder is (not) in `topic`.
    let scores_of = |g: usize, topic: &str, inside: bool| -> Vec<Scores> {
        reports[g]
            .per_topic
            .iter()
            .filter(|(k, _)| (topic_of(k) == topic) == inside)
            .flat_map(|(_, r)| r.timelines.iter().copied())
            .collect()
    };
    let mut folds = Vec::new();
    let mut held: Vec<Scores> = Vec::new();
    for topic in &topics {
        let mut best = (f64::NEG_INFINITY, 0);
        for g in 0..grid.len() {
            let train = scores_of(g, topic, false);
            if train.is_empty() {
                continue;
            }
            let mean = train.iter().map(loto_objective).sum::<f64>() / train.len() as f64;
            // Ties keep the earlier entry, so the choice does not depend on
            // float noise between equal settings.
            if mean > best.0 + 1e-12 {
                best = (mean, g);
            }
        }
        let test = scores_of(best.1, topic, true);
        held.extend(test.iter().copied());
        folds.push(HeldOut {
            topic: topic.clone(),
            chosen: grid[best.1].clone(),
            chosen_is_default: Some(best.1) == defaults_at,
            scores: Scores::mean(&test),
            timelines: test.len(),
        });
    }
    let detail = Scores::mean(&held);
    let defaults = match defaults_at {
        Some(g) => reports[g].detail,
        None => Scores::default(),
    };
    Ok(LotoReport {
        timelines: held.len(),
        ar1_f: detail.ar1_f,
        ar2_f: detail.ar2_f,
        date_f1: detail.date_f1,
        objective: "mean over the training timelines of AR1-F / 0.120 + date F1 / 0.544 (DATEWISE on all of Timeline17)",
        grid: grid.len(),
        defaults,
        folds,
    })
}

/// Writes `timelines` to `dir/timelines.jsonl`, one a line.
pub fn write_timelines(dir: &Path, timelines: &[Timeline]) -> Result<(), EvalError> {
    fs::create_dir_all(dir).map_err(io_err(dir))?;
    let path = dir.join("timelines.jsonl");
    let mut f = fs::File::create(&path).map_err(io_err(&path))?;
    for tl in timelines {
        let rows: Vec<(String, &Vec<String>)> = tl
            .iter()
            .map(|(d, s)| (d.format("%Y-%m-%d").to_string(), s))
            .collect();
        let line = serde_json::to_string(&rows).map_err(|e| format_err(&path, 0, e.to_string()))?;
        writeln!(f, "{line}").map_err(io_err(&path))?;
    }
    Ok(())
}

/// The Porter (1980) stemmer, written from the paper's rule tables.
mod porter {
    fn is_cons(w: &[u8], i: usize) -> bool {
        match w[i] {
            b'a' | b'e' | b'i' | b'o' | b'u' => false,
            b'y' => i == 0 || !is_cons(w, i - 1),
            _ => true,
        }
    }

    /// The measure `m` of `w`: the number of vowel-consonant sequences.
    fn measure(w: &[u8]) -> usize {
        let mut m = 0;
        let mut prev_vowel = false;
        for i in 0..w.len() {
            let c = is_cons(w, i);
            if c && prev_vowel {
                m += 1;
            }
            prev_vowel = !c;
        }
        m
    }

    fn has_vowel(w: &[u8]) -> bool {
        (0..w.len()).any(|i| !is_cons(w, i))
    }

    fn double_cons(w: &[u8]) -> bool {
        let n = w.len();
        n >= 2 && w[n - 1] == w[n - 2] && is_cons(w, n - 1)
    }

    /// Ends consonant-vowel-consonant, the last not `w`, `x` or `y`.
    fn cvc(w: &[u8]) -> bool {
        let n = w.len();
        n >= 3
            && is_cons(w, n - 3)
            && !is_cons(w, n - 2)
            && is_cons(w, n - 1)
            && !matches!(w[n - 1], b'w' | b'x' | b'y')
    }

    /// Replaces the longest matching suffix of `rules` when the stem before
    /// it satisfies `cond`; whether a suffix matched at all.
    fn replace(w: &mut Vec<u8>, rules: &[(&str, &str)], cond: impl Fn(&[u8]) -> bool) -> bool {
        let best = rules
            .iter()
            .filter(|(s, _)| w.ends_with(s.as_bytes()))
            .max_by_key(|(s, _)| s.len());
        if let Some((suf, rep)) = best {
            let stem = w.len() - suf.len();
            if cond(&w[..stem]) {
                w.truncate(stem);
                w.extend_from_slice(rep.as_bytes());
            }
            true
        } else {
            false
        }
    }

    /// The Porter stem of a lowercase ASCII word (other words unchanged).
    pub fn stem(word: &str) -> String {
        if word.len() <= 2 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return word.to_string();
        }
        let mut w = word.as_bytes().to_vec();
        // Step 1a.
        replace(
            &mut w,
            &[("sses", "ss"), ("ies", "i"), ("ss", "ss"), ("s", "")],
            |_| true,
        );
        // Step 1b.
        if w.ends_with(b"eed") {
            if measure(&w[..w.len() - 3]) > 0 {
                w.pop();
            }
        } else {
            let mut cut = false;
            for suf in [&b"ed"[..], b"ing"] {
                if w.ends_with(suf) && has_vowel(&w[..w.len() - suf.len()]) {
                    w.truncate(w.len() - suf.len());
                    cut = true;
                    break;
                }
            }
            if cut {
                if w.ends_with(b"at") || w.ends_with(b"bl") || w.ends_with(b"iz") {
                    w.push(b'e');
                } else if double_cons(&w) && !matches!(w[w.len() - 1], b'l' | b's' | b'z') {
                    w.pop();
                } else if measure(&w) == 1 && cvc(&w) {
                    w.push(b'e');
                }
            }
        }
        // Step 1c.
        if w.ends_with(b"y") && has_vowel(&w[..w.len() - 1]) {
            let n = w.len();
            w[n - 1] = b'i';
        }
        // Step 2.
        replace(
            &mut w,
            &[
                ("ational", "ate"),
                ("tional", "tion"),
                ("enci", "ence"),
                ("anci", "ance"),
                ("izer", "ize"),
                ("bli", "ble"),
                ("alli", "al"),
                ("entli", "ent"),
                ("eli", "e"),
                ("ousli", "ous"),
                ("ization", "ize"),
                ("ation", "ate"),
                ("ator", "ate"),
                ("alism", "al"),
                ("iveness", "ive"),
                ("fulness", "ful"),
                ("ousness", "ous"),
                ("aliti", "al"),
                ("iviti", "ive"),
                ("biliti", "ble"),
                ("logi", "log"),
            ],
            |s| measure(s) > 0,
        );
        // Step 3.
        replace(
            &mut w,
            &[
                ("icate", "ic"),
                ("ative", ""),
                ("alize", "al"),
                ("iciti", "ic"),
                ("ical", "ic"),
                ("ful", ""),
                ("ness", ""),
            ],
            |s| measure(s) > 0,
        );
        // Step 4.
        let step4 = [
            "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ou",
            "ism", "ate", "iti", "ous", "ive", "ize",
        ];
        let longest = step4
            .iter()
            .filter(|s| w.ends_with(s.as_bytes()))
            .max_by_key(|s| s.len());
        let ion = w.ends_with(b"ion")
            && longest.is_none_or(|s| s.len() < 3)
            && w.len() > 3
            && matches!(w[w.len() - 4], b's' | b't');
        if ion {
            if measure(&w[..w.len() - 3]) > 1 {
                w.truncate(w.len() - 3);
            }
        } else if let Some(s) = longest {
            if measure(&w[..w.len() - s.len()]) > 1 {
                w.truncate(w.len() - s.len());
            }
        }
        // Step 5a.
        if w.ends_with(b"e") {
            let stem = &w[..w.len() - 1];
            let m = measure(stem);
            if m > 1 || (m == 1 && !cvc(stem)) {
                w.pop();
            }
        }
        // Step 5b.
        if measure(&w) > 1 && double_cons(&w) && w.ends_with(b"l") {
            w.pop();
        }
        String::from_utf8_lossy(&w).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    fn tl(rows: &[(&str, &[&str])]) -> Timeline {
        rows.iter()
            .map(|(d, s)| (day(d), s.iter().map(|x| x.to_string()).collect()))
            .collect()
    }

    #[test]
    fn porter_stems_the_papers_examples() {
        for (w, s) in [
            ("caresses", "caress"),
            ("ponies", "poni"),
            ("cats", "cat"),
            ("feed", "feed"),
            ("agreed", "agre"),
            ("plastered", "plaster"),
            ("motoring", "motor"),
            ("sing", "sing"),
            ("conflated", "conflat"),
            ("hopping", "hop"),
            ("filing", "file"),
            ("happy", "happi"),
            ("relational", "relat"),
            ("generalization", "gener"),
            ("connection", "connect"),
            ("adoption", "adopt"),
            ("probate", "probat"),
            ("rate", "rate"),
            ("controlling", "control"),
            ("hopeful", "hope"),
            ("electrical", "electr"),
            ("spills", "spill"),
        ] {
            assert_eq!(porter::stem(w), s, "{w}");
        }
    }

    #[test]
    fn rouge_tokens_lowercase_split_stop_and_stem() {
        assert_eq!(
            rouge_tokens("The U.S. confirms 11 cases of swine-flu."),
            ["u", "s", "confirm", "11", "case", "swine", "flu"]
        );
    }

    #[test]
    fn detokenize_undoes_ptb() {
        assert_eq!(
            detokenize("The WHO -LRB- World Health Organisation -RRB- said ` ` no '' , and it 's fine .\nMay 12 , 2009 ."),
            "The WHO (World Health Organisation) said \"no\", and it's fine.\nMay 12, 2009."
        );
    }

    #[test]
    fn identical_timelines_score_one() {
        let a = tl(&[
            ("2010-01-01", &["oil spill grows quickly"]),
            ("2010-01-03", &["rig sinks in gulf waters"]),
        ]);
        let s = Scores::of(&a, &a);
        assert!((s.ar1_f - 1.0).abs() < 1e-12);
        assert!((s.ar2_f - 1.0).abs() < 1e-12);
        assert!((s.date_f1 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn alignment_weights_by_date_distance() {
        // Prediction one day off with identical content: every match weighs 1/2.
        let reference = tl(&[("2010-01-02", &["oil spill grows quickly"])]);
        let pred = tl(&[("2010-01-01", &["oil spill grows quickly"])]);
        let s = Scores::of(&pred, &reference);
        // 4 unigrams (oil, spill, grow, quickli), all matched at weight 1/2.
        assert!((s.ar1.precision - 0.5).abs() < 1e-12);
        assert!((s.ar1.recall - 0.5).abs() < 1e-12);
        // 3 bigrams likewise.
        assert!((s.ar2_f - 0.5).abs() < 1e-12);
        assert_eq!(s.date_f1, 0.0);
    }

    #[test]
    fn many_to_one_alignment_by_hand() {
        // Reference: day 1 "oil spill grows", day 5 "rig sinks".
        // Prediction: day 1 "oil spill", day 2 "rig sinks", day 3 "storm hits".
        let reference = tl(&[
            ("2010-01-01", &["oil spill grows"]),
            ("2010-01-05", &["rig sinks"]),
        ]);
        let pred = tl(&[
            ("2010-01-01", &["oil spill"]),
            ("2010-01-02", &["rig sinks"]),
            ("2010-01-03", &["storm hits"]),
        ]);
        let [r1, r2] = align_rouge(&pred, &reference);
        // Precision alignment (predicted -> reference):
        //  01-01 -> 01-01 (cost 0): 2 hits, weight 1.
        //  01-02 -> cost to 01-01 = (1-1/2)*(1-0) = .5; to 01-05 = (1-1/4)*(1-1) = 0 -> 01-05,
        //     2 hits at weight 1/4.
        //  01-03 -> to 01-01: (1-1/3)*1 = .667; to 01-05: (1-1/3)*1 = .667; tie -> 01-01, 0 hits.
        // Unigrams: (2 + 2/4 + 0) / 6 = 2.5/6.
        assert!((r1.precision - 2.5 / 6.0).abs() < 1e-12);
        // Recall alignment (reference -> predicted):
        //  01-01 -> 01-01 (cost 0): 2 hits of 3, weight 1.
        //  01-05 -> 01-02 (content F1 1, cost 0): 2 hits at weight 1/4.
        // (2 + 0.5) / 5.
        assert!((r1.recall - 2.5 / 5.0).abs() < 1e-12);
        // Bigrams: pred "oil spill", "rig sink", "storm hit"; ref "oil spill", "spill grow", "rig sink".
        // Precision (1 + 1/4) / 3, recall (1 + 1/4) / 3.
        assert!((r2.precision - 1.25 / 3.0).abs() < 1e-12);
        assert!((r2.recall - 1.25 / 3.0).abs() < 1e-12);
        let d = date_prf(&pred, &reference);
        assert!((d.precision - 1.0 / 3.0).abs() < 1e-12);
        assert!((d.recall - 0.5).abs() < 1e-12);
    }

    #[test]
    fn empty_prediction_scores_zero() {
        let reference = tl(&[("2010-01-01", &["oil spill grows"])]);
        let s = Scores::of(&Vec::new(), &reference);
        assert_eq!(s.ar1_f, 0.0);
        assert_eq!(s.date_f1, 0.0);
    }

    #[test]
    fn averages_take_f_of_mean_precision_and_recall() {
        let m = Prf::mean(&[Prf::new(1.0, 0.0), Prf::new(0.0, 1.0)]);
        assert!((m.f - 0.5).abs() < 1e-12);
    }

    #[test]
    fn reader_errors_are_typed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("timelines.jsonl");
        fs::write(&p, "").expect("write");
        assert!(matches!(read_timelines(&p), Err(EvalError::Empty(_))));
        fs::write(&p, "[[\"2010-01-01\", \"not a list\"]]\n").expect("write");
        assert!(matches!(
            read_timelines(&p),
            Err(EvalError::Format { line: 1, .. })
        ));
        fs::write(&p, "[[\"yesterday\", [\"x\"]]]\n").expect("write");
        assert!(matches!(
            read_timelines(&p),
            Err(EvalError::Format { line: 1, .. })
        ));
        fs::write(&p, "[]\n").expect("write");
        assert!(matches!(read_timelines(&p), Err(EvalError::Format { .. })));
        assert!(matches!(
            read_timelines(&dir.path().join("missing.jsonl")),
            Err(EvalError::Io { .. })
        ));

        let a = dir.path().join("articles.jsonl");
        fs::write(
            &a,
            "{\"id\": \"1\", \"time\": \"2010-01-01\", \"text\": \"x\"}\n{broken\n",
        )
        .expect("write");
        assert!(matches!(
            read_articles(&a),
            Err(EvalError::Format { line: 2, .. })
        ));
        fs::write(&a, "{\"id\": \"1\", \"time\": \"2010-01-01\"}\n").expect("write");
        assert!(matches!(
            read_articles(&a),
            Err(EvalError::Format { line: 1, .. })
        ));
        fs::write(&a, "\n").expect("write");
        assert!(matches!(read_articles(&a), Err(EvalError::Empty(_))));
        let gz = dir.path().join("articles.jsonl.gz");
        fs::write(&gz, "not gzip").expect("write");
        assert!(matches!(read_articles(&gz), Err(EvalError::Io { .. })));

        let k = dir.path().join("keywords.json");
        assert_eq!(
            read_keywords(&k).expect("missing is empty"),
            Vec::<String>::new()
        );
        fs::write(&k, "{").expect("write");
        assert!(matches!(read_keywords(&k), Err(EvalError::Format { .. })));

        assert!(matches!(
            evaluate(dir.path(), None),
            Err(EvalError::NoTopics(_))
        ));
    }

    #[test]
    fn gzip_articles_round_trip() {
        use flate2::write::GzEncoder;
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.jsonl.gz");
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(b"{\"id\": \"7\", \"time\": \"2010-01-01\", \"text\": \"Hello .\"}\n")
            .expect("gz write");
        fs::write(&p, e.finish().expect("gz finish")).expect("write");
        let a = read_articles(&p).expect("reads");
        assert_eq!(a[0].id, "7");
        assert_eq!(a[0].published, Some(day("2010-01-01")));
    }

    #[test]
    fn leave_one_topic_out_chooses_on_the_other_topics() {
        use flate2::write::GzEncoder;
        let dir = tempfile::tempdir().expect("tempdir");
        for (folder, what) in [("quake_a", "earthquake"), ("flood_b", "flood")] {
            let t = dir.path().join(folder);
            fs::create_dir_all(&t).expect("mkdir");
            let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
            for (i, d) in ["2010-01-01", "2010-01-02", "2010-01-03"]
                .iter()
                .enumerate()
            {
                let line = format!(
                    "{{\"id\": \"{i}\", \"time\": \"{d}\", \"text\": \"A large {what} hit the coastal town on {d} , officials said , and rescuers searched the ruins .\"}}\n"
                );
                e.write_all(line.as_bytes()).expect("gz write");
            }
            fs::write(
                t.join("articles.tokenized.jsonl.gz"),
                e.finish().expect("gz finish"),
            )
            .expect("write");
            let tl = format!(
                "[[\"2010-01-01\", [\"A large {what} hit the coastal town .\"]], [\"2010-01-03\", [\"Rescuers searched the ruins .\"]]]\n"
            );
            fs::write(t.join("timelines.jsonl"), tl).expect("write");
        }
        // The first set can choose no sentence at all (none is one word
        // long), so every fold must pick the defaults from the others.
        let useless = TimelineParams {
            max_words: 1,
            ..TimelineParams::default()
        };
        let r = evaluate_loto(dir.path(), &[useless, TimelineParams::default()]).expect("loto");
        assert_eq!(r.timelines, 2);
        let topics: Vec<&str> = r.folds.iter().map(|f| f.topic.as_str()).collect();
        assert_eq!(topics, ["flood", "quake"]);
        assert!(r
            .folds
            .iter()
            .all(|f| f.chosen_is_default && f.timelines == 1));
        assert!(r.date_f1 > 0.0 && r.ar1_f > 0.0);
        assert!(matches!(
            evaluate_loto(dir.path(), &[]),
            Err(EvalError::NoTopics(_))
        ));
    }

    #[test]
    fn timeline17_if_present() {
        let dir = Path::new("../../../shared/data/timeline17");
        let topic = dir.join("H1N1_guardian");
        if !topic.is_dir() {
            eprintln!(
                "skipping: {} not found (Timeline17 data absent)",
                topic.display()
            );
            return;
        }
        let refs = read_timelines(&topic.join("timelines.jsonl")).expect("timelines");
        assert!(!refs.is_empty());
        let arts = read_articles(&topic.join("articles.tokenized.jsonl.gz")).expect("articles");
        assert!(arts.len() > 10);
        // A reference scored against itself is perfect.
        let s = Scores::of(&refs[0], &refs[0]);
        assert!((s.ar1_f - 1.0).abs() < 1e-9 && (s.date_f1 - 1.0).abs() < 1e-9);
    }
}
