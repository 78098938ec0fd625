//! Web page extraction on html-dev style data: `html/<id>.html` plus
//! `truth.jsonl`.
//!
//! Body text is scored with trafilatura's snippet metric when a record has
//! `with`/`without` snippets (counts summed over pages), and with the
//! ScrapingHub article-extraction-benchmark metric when it has an
//! `articleBody` instead (4-word shingles of lowercased word tokens;
//! precision and recall averaged over pages). Dates are exact-day; titles
//! and authors exact after whitespace normalisation, and also compared as
//! case-folded word tokens.

use std::collections::HashSet;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storyline_html::{ExtractOptions, Extractor};

/// Why an evaluation could not run.
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
    /// A line of `truth.jsonl` is not a valid record.
    #[error("{path}:{line}: not a truth record: {source}")]
    Truth {
        /// The truth file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// The truth file holds no records.
    #[error(
        "{0}: no records; expected one JSON object per line with id, with/without or articleBody"
    )]
    Empty(PathBuf),
}

/// One gold record.
#[derive(Debug, Clone, Deserialize)]
struct Truth {
    id: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    with: Option<Vec<String>>,
    #[serde(default)]
    without: Option<Vec<String>>,
    #[serde(default, rename = "articleBody")]
    article_body: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    author: Option<String>,
}

/// Scores for one extractor over one data set. Accuracies are over the pages
/// whose gold has the field; `None` when no page has it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ExtractionReport {
    /// The extractor's name.
    pub extractor: String,
    /// Pages scored.
    pub pages: usize,
    /// Pages where the extractor returned an error (scored as empty output).
    pub errors: usize,
    /// Body precision.
    pub precision: f64,
    /// Body recall.
    pub recall: f64,
    /// Body F1.
    pub f1: f64,
    /// Which body metric was used: "snippet" or "shingle".
    pub metric: String,
    /// Exact-day date accuracy.
    pub date_accuracy: Option<f64>,
    /// Exact (whitespace-normalised) title accuracy.
    pub title_accuracy: Option<f64>,
    /// Title accuracy on case-folded word tokens.
    pub title_token_accuracy: Option<f64>,
    /// Exact author accuracy; several authors are joined with "; ".
    pub author_accuracy: Option<f64>,
    /// Author accuracy on case-folded word tokens.
    pub author_token_accuracy: Option<f64>,
    /// Pages per second of extraction time (reading files excluded), one thread.
    pub pages_per_s: f64,
}

/// Snippet counts (trafilatura's evaluation).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SnippetCounts {
    /// `with` snippets found.
    pub tp: usize,
    /// `with` snippets missing.
    pub fn_: usize,
    /// `without` snippets found.
    pub fp: usize,
    /// `without` snippets missing.
    pub tn: usize,
}

impl SnippetCounts {
    /// Adds one page's counts.
    pub fn add(&mut self, prediction: &str, with: &[String], without: &[String]) {
        let pred = collapse(prediction);
        for s in with {
            if pred.contains(&collapse(s)) {
                self.tp += 1;
            } else {
                self.fn_ += 1;
            }
        }
        for s in without {
            if pred.contains(&collapse(s)) {
                self.fp += 1;
            } else {
                self.tn += 1;
            }
        }
    }

    /// (precision, recall, F1), each 0 when undefined.
    pub fn prf(&self) -> (f64, f64, f64) {
        let (tp, fp, fn_) = (self.tp as f64, self.fp as f64, self.fn_ as f64);
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
        let f = if 2.0 * tp + fp + fn_ > 0.0 {
            2.0 * tp / (2.0 * tp + fp + fn_)
        } else {
            0.0
        };
        (p, r, f)
    }
}

/// Whitespace runs to one space, trimmed.
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lowercase word tokens (letters and digits).
fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn shingles(s: &str) -> HashSet<Vec<String>> {
    let t = tokens(s);
    if t.is_empty() {
        return HashSet::new();
    }
    if t.len() < 4 {
        return std::iter::once(t).collect();
    }
    t.windows(4).map(<[String]>::to_vec).collect()
}

/// Per-page shingle precision and recall (ScrapingHub's metric). An empty
/// prediction has precision 1 if the truth is empty too, else 0.
pub fn shingle_pr(prediction: &str, truth: &str) -> (f64, f64) {
    let p = shingles(prediction);
    let t = shingles(truth);
    if p.is_empty() && t.is_empty() {
        return (1.0, 1.0);
    }
    if p.is_empty() || t.is_empty() {
        return (0.0, 0.0);
    }
    let inter = p.intersection(&t).count() as f64;
    (inter / p.len() as f64, inter / t.len() as f64)
}

fn exact_eq(a: &str, b: &str) -> bool {
    collapse(a) == collapse(b)
}

fn token_eq(a: &str, b: &str) -> bool {
    tokens(a) == tokens(b)
}

/// One output line.
#[derive(Serialize)]
struct Prediction<'a> {
    id: &'a str,
    text: &'a str,
    title: Option<&'a str>,
    authors: &'a [String],
    published: Option<String>,
    published_provenance: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> EvalError + '_ {
    move |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn ratio(hits: usize, total: usize) -> Option<f64> {
    (total > 0).then(|| hits as f64 / total as f64)
}

/// Runs `extractor` over `dir` and scores it. Writes one JSON line per page to
/// `out` when given. A page whose HTML file is missing or unreadable is an
/// error (the data set is broken); a page the extractor fails on is scored as
/// empty output.
pub fn evaluate(
    dir: &Path,
    extractor: &dyn Extractor,
    now: NaiveDate,
    out: Option<&Path>,
) -> Result<ExtractionReport, EvalError> {
    let truth_path = dir.join("truth.jsonl");
    let file = std::fs::File::open(&truth_path).map_err(io(&truth_path))?;
    let mut records = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io(&truth_path))?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: Truth = serde_json::from_str(&line).map_err(|source| EvalError::Truth {
            path: truth_path.clone(),
            line: i + 1,
            source,
        })?;
        records.push(rec);
    }
    if records.is_empty() {
        return Err(EvalError::Empty(truth_path));
    }
    let mut writer = match out {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(io(p))?,
        )),
        None => None,
    };

    let mut snippets = SnippetCounts::default();
    let mut snippet_pages = 0usize;
    let (mut sh_p, mut sh_r, mut sh_pages) = (0.0, 0.0, 0usize);
    let (mut date_hit, mut date_n) = (0, 0);
    let (mut title_hit, mut title_tok, mut title_n) = (0, 0, 0);
    let (mut author_hit, mut author_tok, mut author_n) = (0, 0, 0);
    let mut errors = 0;
    let mut elapsed = Duration::ZERO;

    for rec in &records {
        let path = dir.join("html").join(format!("{}.html", rec.id));
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let opts = ExtractOptions {
            url: rec.url.clone(),
            http_content_type: None,
            now,
        };
        let start = Instant::now();
        let result = extractor.extract(&bytes, &opts);
        elapsed += start.elapsed();
        let (text, title, authors, published, provenance, error) = match &result {
            Ok(p) => (
                p.text.as_str(),
                p.title.as_deref(),
                p.authors.as_slice(),
                p.published.value.map(|t| t.date.to_string()),
                p.published.provenance.as_str(),
                None,
            ),
            Err(e) => {
                errors += 1;
                tracing::debug!(id = rec.id, error = %e, "extraction failed");
                ("", None, &[][..], None, "unknown", Some(e.to_string()))
            }
        };
        if rec.with.is_some() || rec.without.is_some() {
            snippets.add(
                text,
                rec.with.as_deref().unwrap_or_default(),
                rec.without.as_deref().unwrap_or_default(),
            );
            snippet_pages += 1;
        } else if let Some(body) = &rec.article_body {
            let (p, r) = shingle_pr(text, body);
            sh_p += p;
            sh_r += r;
            sh_pages += 1;
        }
        if let Some(gold) = rec.date.as_deref().filter(|d| !d.is_empty()) {
            date_n += 1;
            if published.as_deref() == Some(gold.get(..10).unwrap_or(gold)) {
                date_hit += 1;
            }
        }
        if let Some(gold) = rec.title.as_deref().filter(|t| !t.trim().is_empty()) {
            title_n += 1;
            let pred = title.unwrap_or_default();
            title_hit += usize::from(exact_eq(pred, gold));
            title_tok += usize::from(token_eq(pred, gold));
        }
        if let Some(gold) = rec.author.as_deref().filter(|t| !t.trim().is_empty()) {
            author_n += 1;
            let pred = authors.join("; ");
            author_hit += usize::from(exact_eq(&pred, gold));
            author_tok += usize::from(token_eq(&pred, gold));
        }
        if let Some(w) = writer.as_mut() {
            let line = Prediction {
                id: &rec.id,
                text,
                title,
                authors,
                published,
                published_provenance: provenance,
                error,
            };
            let json = serde_json::to_string(&line).unwrap_or_default();
            let p = out.unwrap_or(Path::new("-"));
            writeln!(w, "{json}").map_err(io(p))?;
        }
    }
    if let (Some(mut w), Some(p)) = (writer, out) {
        w.flush().map_err(io(p))?;
    }

    let (precision, recall, f1, metric) = if snippet_pages > 0 {
        let (p, r, f) = snippets.prf();
        (p, r, f, "snippet")
    } else {
        let p = sh_p / sh_pages.max(1) as f64;
        let r = sh_r / sh_pages.max(1) as f64;
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        (p, r, f, "shingle")
    };
    let secs = elapsed.as_secs_f64();
    Ok(ExtractionReport {
        extractor: extractor.name().to_string(),
        pages: records.len(),
        errors,
        precision,
        recall,
        f1,
        metric: metric.to_string(),
        date_accuracy: ratio(date_hit, date_n),
        title_accuracy: ratio(title_hit, title_n),
        title_token_accuracy: ratio(title_tok, title_n),
        author_accuracy: ratio(author_hit, author_n),
        author_token_accuracy: ratio(author_tok, author_n),
        pages_per_s: if secs > 0.0 {
            records.len() as f64 / secs
        } else {
            0.0
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_html::{ExtractError, ExtractedPage};

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn snippet_metric_counts_and_collapses_whitespace() {
        let mut c = SnippetCounts::default();
        c.add(
            "The  minister\nsaid on Friday that talks would resume.",
            &strings(&["minister said", "talks would", "absent part"]),
            &strings(&["Share this", "on Friday"]),
        );
        assert_eq!(
            c,
            SnippetCounts {
                tp: 2,
                fn_: 1,
                fp: 1,
                tn: 1
            }
        );
        let (p, r, f) = c.prf();
        assert!((p - 2.0 / 3.0).abs() < 1e-9);
        assert!((r - 2.0 / 3.0).abs() < 1e-9);
        assert!((f - 4.0 / 6.0).abs() < 1e-9);
        assert_eq!(SnippetCounts::default().prf(), (0.0, 0.0, 0.0));
    }

    #[test]
    fn shingle_metric() {
        // 5 tokens -> 2 shingles each; one shared.
        let (p, r) = shingle_pr("a b c d e", "A b c d x");
        assert_eq!((p, r), (0.5, 0.5));
        assert_eq!(shingle_pr("", ""), (1.0, 1.0));
        assert_eq!(shingle_pr("", "a b c d"), (0.0, 0.0));
        let (p, r) = shingle_pr("one two three four", "one two three four five");
        assert_eq!((p, r), (1.0, 0.5));
    }

    #[test]
    fn title_and_author_comparisons() {
        assert!(exact_eq(" Talks  resume ", "Talks resume"));
        assert!(!exact_eq("talks resume", "Talks resume"));
        assert!(token_eq("Talks, resume!", "talks resume"));
    }

    struct Fixed;
    impl Extractor for Fixed {
        fn name(&self) -> &'static str {
            "fixed"
        }
        fn extract(&self, html: &[u8], _: &ExtractOptions) -> Result<ExtractedPage, ExtractError> {
            if html.starts_with(b"bad") {
                return Err(ExtractError::NoArticle {
                    reason: "test".into(),
                });
            }
            let mut page = storyline_html::extract(
                b"<html><body><article><h1>Talks resume</h1><p>The minister said on Friday that talks would resume next week in Doha.</p></article></body></html>",
                &ExtractOptions::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default()),
            )?;
            page.authors = vec!["Jane Roe".into(), "John Doe".into()];
            page.published = storyline_core::PublishedDate::stated(
                storyline_core::Timestamp::from_date(
                    NaiveDate::from_ymd_opt(2023, 11, 9).unwrap_or_default(),
                ),
                storyline_core::DateProvenance::Metadata,
                "test",
            );
            Ok(page)
        }
    }

    #[test]
    fn evaluate_on_a_tiny_dataset() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir(dir.path().join("html"))?;
        std::fs::write(dir.path().join("html/a.html"), "ok")?;
        std::fs::write(dir.path().join("html/b.html"), "bad")?;
        std::fs::write(
            dir.path().join("truth.jsonl"),
            concat!(
                r#"{"id":"a","with":["talks would resume"],"without":["Share"],"date":"2023-11-09","title":"Talks resume","author":"Jane Roe; John Doe"}"#,
                "\n",
                r#"{"id":"b","with":["anything"],"without":[],"date":"2023-11-10","title":null,"author":null}"#,
                "\n",
            ),
        )?;
        let out = dir.path().join("pred.jsonl");
        let r = evaluate(
            dir.path(),
            &Fixed,
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            Some(&out),
        )?;
        assert_eq!(r.pages, 2);
        assert_eq!(r.errors, 1);
        assert_eq!(r.metric, "snippet");
        assert!((r.precision - 1.0).abs() < 1e-9);
        assert!((r.recall - 0.5).abs() < 1e-9);
        assert_eq!(r.date_accuracy, Some(0.5));
        assert_eq!(r.title_accuracy, Some(1.0));
        assert_eq!(r.author_accuracy, Some(1.0));
        let lines = std::fs::read_to_string(&out)?;
        assert_eq!(lines.lines().count(), 2);
        assert!(lines.contains(r#""published":"2023-11-09","published_provenance":"metadata""#));
        Ok(())
    }
}
