//! Human-readable and JSON output.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use storyline_engine::views::{ArticleDetail, ArticleSummary};
use storyline_engine::IngestSummary;
use storyline_store::{LinkState, SearchHit, StoreStats};

pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Whether a character must not reach a terminal as it is: C0 controls
/// and DEL (ESC starts colour, cursor, title and hyperlink sequences; CR
/// and BS overwrite what was printed), C1 controls (CSI U+009B is ESC `[`
/// in one character), Unicode's line and paragraph separators, and the
/// bidi embeddings, overrides and isolates that reorder what follows them
/// (U+202E makes `txt.exe` read `exe.txt`).
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` made safe to print on one line of a terminal: every character of
/// [`unsafe_char`], newlines and tabs included, is written as an escape
/// (`\n`, `\u{1b}`, `\u{202e}`), so article data can neither move the
/// cursor, recolour or retitle the terminal, plant a hyperlink, reorder a
/// line, nor start a line of its own that looks like the program's.
/// Every string from an article, a file name or a problem goes through this
/// (or [`safe_text`]) before the CLI's human output prints it.
pub fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    neutralise(s, false)
}

/// [`safe`] for a field printed over several lines (an article's text):
/// newlines and tabs are kept, everything else is neutralised.
pub fn safe_text(s: &str) -> std::borrow::Cow<'_, str> {
    neutralise(s, true)
}

fn neutralise(s: &str, multiline: bool) -> std::borrow::Cow<'_, str> {
    let keep = |c: char| multiline && (c == '\n' || c == '\t');
    if !s.chars().any(|c| unsafe_char(c) && !keep(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !unsafe_char(c) || keep(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            other => out.push_str(&format!("\\u{{{:x}}}", u32::from(other))),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A writer for log lines (stderr) that neutralises each with [`safe`],
/// keeping only the newline that ends it: a file name with a newline or an
/// escape sequence cannot forge or garble a log line. The log formatter
/// writes one whole event per call, so a newline anywhere but at the end
/// came from a field.
pub struct SafeLog;

impl std::io::Write for SafeLog {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        let (body, end) = match text.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (text.as_ref(), ""),
        };
        write!(std::io::stderr().lock(), "{}{end}", safe(body))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        std::io::stderr().flush()
    }
}

/// Shortens to `max` characters on a character boundary, with an ellipsis,
/// on one line and [`safe`] to print.
pub fn clip(s: &str, max: usize) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = safe(&s).into_owned();
    if s.chars().count() <= max {
        s
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

pub fn print_ingest_summary(s: &IngestSummary) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "read {} articles: {} new, {} already stored, {} near-duplicates of earlier articles ({:.1}s)",
        s.read,
        s.inserted,
        s.already_present,
        s.near_duplicates,
        s.elapsed.as_secs_f64()
    )?;
    if s.dates_from_duplicates > 0 {
        writeln!(
            out,
            "{} undated articles took their date from a near-duplicate (marked inferred)",
            s.dates_from_duplicates
        )?;
    }
    let failed = s.skipped.len() + s.failed_inputs.len();
    if failed > 0 || !s.warnings.is_empty() {
        writeln!(
            out,
            "{} skipped, {} (listed above; `--json` gives them all)",
            count(failed as u64, "item", "items"),
            count(s.warnings.len() as u64, "warning", "warnings")
        )?;
    }
    Ok(())
}

pub fn print_article_table(rows: &[ArticleSummary]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<16}  {:<10}  {:<9}  {:<20}  TITLE",
        "ID", "PUBLISHED", "DATE FROM", "SOURCE"
    )?;
    for a in rows {
        let date = a
            .published
            .map(|t| t.date.to_string())
            .unwrap_or_else(|| "-".into());
        let mut title = match &a.title {
            Some(t) => clip(t, 70),
            None => format!("[{}]", clip(&a.lead, 68)),
        };
        if a.is_duplicate {
            title.push_str(&format!("  [copy of {}]", a.duplicate_group));
        }
        writeln!(
            out,
            "{:<16}  {:<10}  {:<9}  {:<20}  {}",
            a.id,
            date,
            a.published_provenance.as_str(),
            clip(a.source.as_deref().unwrap_or("-"), 20),
            title
        )?;
    }
    writeln!(out, "{} articles", rows.len())?;
    Ok(())
}

pub fn print_article_detail(d: &ArticleDetail) -> Result<()> {
    let a = &d.summary;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", safe(a.title.as_deref().unwrap_or("(untitled)")))?;
    writeln!(out, "id          {}", a.id)?;
    writeln!(
        out,
        "source      {}",
        safe(a.source.as_deref().unwrap_or("-"))
    )?;
    if !a.authors.is_empty() {
        writeln!(out, "authors     {}", safe(&a.authors.join("; ")))?;
    }
    if let Some(dl) = &a.dateline {
        let agency = dl
            .agency
            .as_deref()
            .map(|x| format!(" ({})", safe(x)))
            .unwrap_or_default();
        writeln!(out, "dateline    {}{agency}", safe(&dl.place))?;
    }
    match a.published {
        Some(t) => writeln!(
            out,
            "published   {t}  [{}{}]",
            a.published_provenance,
            a.published_evidence
                .as_deref()
                .map(|e| format!(": {}", clip(e, 90)))
                .unwrap_or_default()
        )?,
        None => writeln!(out, "published   unknown (no date stated or inferable)")?,
    }
    if a.published_provenance == storyline_core::DateProvenance::Inferred {
        writeln!(out, "confidence  {:.2}", a.published_confidence)?;
    }
    for c in &d.date_candidates {
        writeln!(
            out,
            "rejected    {} ({}: {})",
            clip(&c.raw, 40),
            safe(&c.evidence),
            safe(&c.rejected_because)
        )?;
    }
    if let Some(u) = &a.url {
        writeln!(out, "url         {}", safe(u))?;
    }
    if let Some(l) = &a.language {
        writeln!(out, "language    {}", safe(l))?;
    }
    if a.is_duplicate {
        writeln!(
            out,
            "copy of     {} (similarity {:.2})",
            a.duplicate_group, d.duplicate_similarity
        )?;
    }
    writeln!(out, "from        {} ({})", safe(&a.origin), a.format)?;
    writeln!(out, "\n{}", safe_text(&d.text))?;
    Ok(())
}

pub fn hit_json(h: &SearchHit) -> serde_json::Value {
    serde_json::json!({
        "id": h.id.to_string(),
        "title": h.title,
        "source": h.source,
        "published": h.published,
        "score": h.score,
        "snippet": h.snippet,
    })
}

/// A page of hits, then which of how many they are.
pub fn print_hits(hits: &[SearchHit], offset: usize, total: u64) -> Result<()> {
    let mut out = std::io::stdout().lock();
    for h in hits {
        let date = h
            .published
            .map(|t| t.date.to_string())
            .unwrap_or_else(|| "undated".into());
        writeln!(
            out,
            "{}  {}  {}  {}",
            h.id,
            date,
            clip(h.source.as_deref().unwrap_or("-"), 20),
            clip(h.title.as_deref().unwrap_or("(untitled)"), 80)
        )?;
        writeln!(out, "    {}", clip(&h.snippet, 200))?;
    }
    let matches = if total == 1 { "match" } else { "matches" };
    if hits.is_empty() {
        writeln!(out, "{total} {matches}")?;
    } else if hits.len() as u64 == total {
        writeln!(out, "{total} {matches}, all shown")?;
    } else {
        let last = offset + hits.len();
        writeln!(
            out,
            "{total} {matches}, {}-{last} shown{}",
            offset + 1,
            if (last as u64) < total {
                format!(" (--offset {last} for the next)")
            } else {
                String::new()
            }
        )?;
    }
    Ok(())
}

pub fn stats_json(s: &StoreStats, links: &LinkState) -> serde_json::Value {
    serde_json::json!({
        "linker": links.linker,
        "linked_articles": links.linked_articles,
        "unlinked_articles": s.articles.saturating_sub(links.linked_articles),
        "schema": "storyline.stats/1",
        "articles": s.articles,
        "duplicates": s.duplicates,
        "duplicate_groups_with_copies": s.duplicate_groups_with_copies,
        "sources": s.sources.iter().map(|(k, v)| serde_json::json!({"source": k, "articles": v})).collect::<Vec<_>>(),
        "by_provenance": s.by_provenance.iter().map(|(k, v)| (k.as_str().to_string(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
        "earliest": s.earliest,
        "latest": s.latest,
        "schema_version": s.schema_version,
        "index_documents": s.index_documents,
        "ingest_runs": s.ingest_runs,
        "problems_recorded": s.problems_recorded,
        "analyzer": storyline_engine::analysis::ANALYZER,
        "analyzed": s.analyzed(storyline_engine::analysis::ANALYZER),
        "analysis_stale": s.analysis_stale(storyline_engine::analysis::ANALYZER),
    })
}

/// The store's figures; `links` adds how far linking got (the demo prints
/// its figures before it links, so it gives none).
pub fn print_stats(s: &StoreStats, links: Option<&LinkState>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} ({} in {}), {} in the search index",
        count(s.articles, "article", "articles"),
        count(s.duplicates, "near-duplicate copy", "near-duplicate copies"),
        count(s.duplicate_groups_with_copies, "group", "groups"),
        s.index_documents
    )?;
    match (s.earliest, s.latest) {
        (Some(a), Some(b)) => writeln!(out, "published   {} to {}", a.date, b.date)?,
        _ => writeln!(out, "published   no dated articles")?,
    }
    let prov: Vec<String> = s
        .by_provenance
        .iter()
        .map(|(p, n)| format!("{p} {n}"))
        .collect();
    writeln!(out, "date from   {}", prov.join(", "))?;
    let current = storyline_engine::analysis::ANALYZER;
    writeln!(
        out,
        "analysed    {} by {current}, {} to re-analyse (storyline reanalyze)",
        s.analyzed(current),
        s.analysis_stale(current)
    )?;
    let unlinked = links.map(|l| s.articles.saturating_sub(l.linked_articles));
    if unlinked == Some(0) {
        writeln!(
            out,
            "linked      all {}",
            count(s.articles, "article", "articles")
        )?;
    } else if let (Some(unlinked), Some(links)) = (unlinked, links) {
        // An interrupted link (Ctrl-C, a kill) or `ingest --no-link`: the
        // store says so rather than showing stories over part of it.
        writeln!(
            out,
            "linked      {} of {}: {unlinked} waiting (an interrupted link, or ingest --no-link); \
             `storyline link`, or any command that reads links, finishes it",
            links.linked_articles,
            count(s.articles, "article", "articles")
        )?;
    }
    writeln!(out, "sources     {}", s.sources.len())?;
    for (src, n) in &s.sources {
        writeln!(out, "  {n:>6}  {}", safe(src))?;
    }
    writeln!(
        out,
        "store       schema v{}, {} ingest runs, {} problems recorded",
        s.schema_version, s.ingest_runs, s.problems_recorded
    )?;
    Ok(())
}

pub fn page_json(p: &storyline_html::ExtractedPage) -> serde_json::Value {
    serde_json::json!({
        "schema": "storyline.extract/1",
        "title": p.title,
        "authors": p.authors,
        "published": p.published.value,
        "published_provenance": p.published.provenance,
        "published_evidence": p.published.evidence,
        "modified": p.modified,
        "date_candidates": p.date_candidates,
        "site_name": p.site_name,
        "language": p.language,
        "canonical_url": p.canonical_url,
        "description": p.description,
        "encoding": p.encoding,
        "text": p.text,
        "markdown": p.markdown,
    })
}

/// The demo's closing report: what the corpus held and what ingest made of it.
pub fn print_demo_report(
    corpus: &Path,
    dir: &Path,
    stats: &StoreStats,
    articles: &[ArticleSummary],
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "\n# storyline demo: {}\n",
        safe(&corpus.display().to_string())
    )?;
    writeln!(out, "Store: {}", safe(&dir.display().to_string()))?;
    print_stats(stats, None)?;
    writeln!(out)?;
    let undated: Vec<&ArticleSummary> = articles.iter().filter(|a| a.published.is_none()).collect();
    let inferred: Vec<&ArticleSummary> = articles
        .iter()
        .filter(|a| a.published_provenance == storyline_core::DateProvenance::Inferred)
        .collect();
    let copies: Vec<&ArticleSummary> = articles.iter().filter(|a| a.is_duplicate).collect();
    writeln!(out, "## What to check")?;
    for a in &undated {
        writeln!(
            out,
            "- no date: {} {:?} ({}) — left unknown, not guessed",
            a.id,
            clip(a.title.as_deref().unwrap_or("(untitled)"), 60),
            safe(a.source.as_deref().unwrap_or("-"))
        )?;
    }
    for a in &inferred {
        writeln!(
            out,
            "- inferred date {}: {} {:?} — {}",
            a.published.map(|t| t.to_string()).unwrap_or_default(),
            a.id,
            clip(a.title.as_deref().unwrap_or("(untitled)"), 50),
            clip(a.published_evidence.as_deref().unwrap_or(""), 100)
        )?;
    }
    for a in &copies {
        writeln!(
            out,
            "- copy: {} {:?} ({}) repeats {} — counted once",
            a.id,
            clip(a.title.as_deref().unwrap_or("(untitled)"), 50),
            safe(a.source.as_deref().unwrap_or("-")),
            a.duplicate_group
        )?;
    }
    writeln!(out)?;
    print_article_table(articles)?;
    Ok(())
}

/// `1 item`, `2 items`: a count with the noun in the right number.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Prints `value` as one JSON document tagged `schema`, the tag first (the
/// documents of `ingest`, `link` and `relink`, which the engine and the
/// server also use untagged).
pub fn print_tagged<T: serde::Serialize>(schema: &'static str, value: &T) -> Result<()> {
    #[derive(serde::Serialize)]
    struct Tagged<'a, T> {
        schema: &'static str,
        #[serde(flatten)]
        body: &'a T,
    }
    print_json(&Tagged {
        schema,
        body: value,
    })
}
