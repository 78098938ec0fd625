//! Briefings as people forward them: Markdown, or one self-contained HTML
//! page with SVG charts drawn here (no scripts, fonts or external assets).
//!
//! The input is the engine's [`Briefing`] document; this crate only lays it
//! out. It must never query the store or re-derive a fact: what a briefing
//! says is decided in `storyline_engine::brief`, so the JSON, Markdown and
//! HTML forms always agree.
//!
//! ```
//! # use storyline_report::esc;
//! assert_eq!(esc("<b>\"A&B\"</b>"), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;");
//! ```

mod html;
mod markdown;
pub mod svg;

use chrono::NaiveDate;
use storyline_core::ArticleId;
use storyline_engine::analysis::AttributionKind;
use storyline_engine::brief::{Briefing, Quantity};
use storyline_link::findings::FindingSide;
use storyline_link::linker::EntityRole;

pub use html::{html, html_parts};
pub use markdown::markdown;

/// A rendered report and the files it refers to (chart SVGs, by the file
/// name the text links to).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The report.
    pub text: String,
    /// `(file name, content)` to write beside it.
    pub files: Vec<(String, String)>,
}

/// Escapes text for an HTML (or SVG) element body or a quoted attribute.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A day, or `undated`.
fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "undated".to_string(), |d| d.to_string())
}

/// The first 8 characters of an article id: enough to find it with
/// `storyline show`, short enough for a table.
fn short(id: &ArticleId) -> String {
    id.as_str().chars().take(8).collect()
}

/// `Outlet, 2025-03-05`.
fn source(outlet: Option<&str>, published: Option<NaiveDate>) -> String {
    format!("{}, {}", outlet.unwrap_or("unknown outlet"), day(published))
}

/// The story's span: `2025-03-03 – 2025-03-06`, one day, or `undated`.
fn span(b: &Briefing) -> String {
    match (b.story.first_day, b.story.last_day) {
        (Some(f), Some(l)) if f != l => format!("{f} – {l}"),
        (Some(f), _) => f.to_string(),
        _ => "undated".to_string(),
    }
}

/// One line on what the story is.
fn overview(b: &Briefing) -> String {
    let s = &b.story;
    let outlets: Vec<&str> = s.outlets.iter().map(|(o, _)| o.as_str()).collect();
    let from = match outlets.len() {
        0 => "no named outlet".to_string(),
        n => format!("{n} outlet{}", plural(n)),
    };
    let mut line = format!(
        "{} article{} ({} distinct report{}{}) from {from}, {}",
        s.articles,
        plural(s.articles),
        s.independent_reports,
        plural(s.independent_reports as usize),
        match s.publishers {
            0 => String::new(),
            n => format!(", {n} publisher{}", plural(n as usize)),
        },
        span(b)
    );
    if s.undated > 0 {
        line.push_str(&format!("; {} undated", s.undated));
    }
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `1 statement is` / `3 statements are`.
fn statements(n: usize) -> String {
    if n == 1 {
        "1 statement is".to_string()
    } else {
        format!("{n} statements are")
    }
}

/// A finding side's claimant, or the outlet speaking for itself.
fn claimant(side: &FindingSide) -> String {
    side.claimant.clone().unwrap_or_else(|| {
        format!(
            "{} (no source named)",
            side.evidence.outlet.as_deref().unwrap_or("the outlet")
        )
    })
}

/// An actor's roles with the days they were reported:
/// `Governor (2025-03-03 – 2025-03-24); Defence Minister (2025-03-05)`.
fn roles(roles: &[EntityRole]) -> String {
    roles
        .iter()
        .map(|r| match (r.first_reported, r.last_reported) {
            (Some(f), Some(l)) if f != l => format!("{} ({f} – {l})", r.text),
            (Some(f), _) => format!("{} ({f})", r.text),
            _ => r.text.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// How a quote was reported, for a reader.
fn quote_kind(k: AttributionKind) -> &'static str {
    match k {
        AttributionKind::DirectQuote => "quoted",
        AttributionKind::PartialQuote => "partly quoted",
        AttributionKind::Indirect => "reported",
        AttributionKind::Assertion => "according to",
    }
}

/// Chart file name for a quantity of a story.
fn chart_name(story: &str, index: usize, q: &Quantity) -> String {
    let slug: String = q
        .label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .take(6)
        .collect::<Vec<_>>()
        .join("-");
    format!("{story}-{index}-{slug}.svg")
}

#[cfg(test)]
mod tests;
