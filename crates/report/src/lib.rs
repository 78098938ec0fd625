//! Briefings as people forward them: Markdown, or one self-contained HTML
//! page with SVG charts drawn here (no scripts, fonts or external assets),
//! one page per storyline and an index page linking them.
//!
//! The input is the engine's [`Briefing`] document; this crate only lays it
//! out. It must never query the store or re-derive a fact: what a briefing
//! says is decided in `storyline_engine::brief`, so the JSON, Markdown and
//! HTML forms always agree. What the document cannot know — when the report
//! is made, from which store, and where `storyline serve` shows an article
//! that has no web address — comes in a [`Context`].
//!
//! ```
//! # use storyline_report::esc;
//! assert_eq!(esc("<b>\"A&B\"</b>"), "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;");
//! ```

mod html;
mod markdown;
pub mod svg;

use std::collections::HashMap;

use chrono::NaiveDate;
use storyline_core::ArticleId;
use storyline_engine::analysis::AttributionKind;
use storyline_engine::brief::{is_web_address, Briefing, PositionRow, Quantity, SourceRef};
use storyline_link::findings::{FindingSide, DEFAULT_MIN_CONFIDENCE};
use storyline_link::linker::EntityRole;

pub use html::{html, html_index, html_parts};
pub use markdown::{markdown, markdown_index};

/// What a report says about its making, from whoever makes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// When the report was made, as shown (`2025-03-22 14:05 UTC`).
    pub generated: String,
    /// The data directory or store it was made from, as shown.
    pub data: String,
    /// Link prefix for articles with no web address of their own: the
    /// article pages of `storyline serve` (`http://127.0.0.1:8080/articles/`,
    /// or `/articles/` on the server's own pages). `None`: such articles
    /// are named but not linked.
    pub article_base: Option<String>,
    /// Where `storyline serve`'s pages are (`http://127.0.0.1:8080`, or
    /// `""` on the server's own pages): a capped list links the page that
    /// shows the rest. `None`: no links to it. On the server's own pages
    /// (`""`) the commands that print the rest are left out.
    pub site: Option<String>,
}

/// A rendered report and the files it refers to (chart SVGs, by the file
/// name the text links to).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The report.
    pub text: String,
    /// `(file name, content)` to write beside it.
    pub files: Vec<(String, String)>,
}

/// The file name of a briefing's page in a directory of briefings
/// (`l3.html`): the engine's id, kept to letters and digits.
pub fn page_name(b: &Briefing, extension: &str) -> String {
    let id = plain_id(b);
    let id = if id.is_empty() { "briefing".into() } else { id };
    format!("{id}.{extension}")
}

/// The engine's id kept to letters and digits (`l3`), as it goes into a
/// file name, an address or a command: engine-made ids are only letters
/// and digits, and anything else is dropped rather than escaped.
fn plain_id(b: &Briefing) -> String {
    b.story
        .id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
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

/// A day as people write it (`5 Mar 2025`), or `undated`.
/// What an update line adds to its two claims, which already say who
/// gave which value as of when (the finding's reason repeats them): that
/// a count was revised, and how many other pairs of reports show the
/// same change when a view folded them into it.
fn update_note(f: &storyline_link::findings::Finding) -> Option<String> {
    let revised = (f.kind == storyline_link::findings::FindingKind::Revision)
        .then(|| "revised for the same event".to_string());
    match (revised, f.repeats_note()) {
        (Some(r), Some(n)) => Some(format!("{r}; {n}")),
        (r, n) => r.or(n),
    }
}

/// An actor's change of position, for the positions table:
/// `changed: against → for, 2 Nov 2023`.
fn change_label(ch: &storyline_link::linker::PositionChange) -> String {
    format!(
        "changed: {} → {}, {}",
        ch.from.as_str(),
        ch.to.as_str(),
        day(Some(ch.first_after))
    )
}

fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(
        || "undated".to_string(),
        |d| d.format("%-d %b %Y").to_string(),
    )
}

/// The first 8 characters of an article id: enough to find it with
/// `storyline show`.
fn short(id: &ArticleId) -> String {
    id.as_str().chars().take(8).collect()
}

/// `Outlet, 5 Mar 2025`.
fn source(outlet: Option<&str>, published: Option<NaiveDate>) -> String {
    format!("{}, {}", outlet.unwrap_or("unknown outlet"), day(published))
}

/// The cited articles of a briefing, by id.
fn sources(b: &Briefing) -> HashMap<&ArticleId, &SourceRef> {
    b.sources.iter().map(|s| (&s.id, s)).collect()
}

/// Where an article is read: its own web address, else its page under
/// the context's `article_base`; `None` when neither is known.
fn link(ctx: &Context, id: &ArticleId, src: Option<&SourceRef>) -> Option<String> {
    if let Some(url) = src
        .and_then(|s| s.url.as_deref())
        .filter(|u| is_web_address(u))
    {
        return Some(url.to_string());
    }
    ctx.article_base
        .as_deref()
        .map(|base| format!("{base}{}", id.as_str()))
}

/// A headline cut for a table cell.
fn headline(src: Option<&SourceRef>, id: &ArticleId) -> String {
    match src {
        Some(s) => cut(&s.title, 90),
        None => format!("article {}", short(id)),
    }
}

/// `text` on one line, at most `max` characters, cut at a word.
fn cut(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let head: String = text.chars().take(max).collect();
    let at = head.rfind(' ').unwrap_or(head.len());
    format!("{}…", &head[..at])
}

/// The story's span: `3 Mar 2025 – 6 Mar 2025`, one day, or `undated`.
fn span(b: &Briefing) -> String {
    match (b.story.first_day, b.story.last_day) {
        (Some(f), Some(l)) if f != l => format!("{} – {}", day(Some(f)), day(Some(l))),
        (Some(f), _) => day(Some(f)),
        _ => "undated".to_string(),
    }
}

/// `storyline` for an `l` id, else `story`.
fn kind(b: &Briefing) -> &'static str {
    if b.story.id.starts_with('l') {
        "storyline"
    } else {
        "story"
    }
}

/// The closing paragraph on how a briefing is made: the renderer's own
/// words, the same on every page.
fn method(b: Option<&Briefing>) -> String {
    let read = match b {
        Some(b) if b.articles_read < b.story.articles => format!(
            " This briefing reads the latest {} of its {} articles.",
            b.articles_read, b.story.articles
        ),
        _ => String::new(),
    };
    format!(
        "storyline grouped these articles into stories and storylines by their words and the \
         actors they name, then read each article on its own: the days it reports, who is quoted, \
         which figures it gives and who gives them, and where actors stand. Figures are compared \
         only when they count the same thing in the same place over the same period; two reports \
         count as independent only when different publishers wrote them and neither is a copy of \
         the other. Contradictions, updates and agreements are shown from a confidence of {:.1}; \
         every line cites the article it comes from, and the sentence where there is room. The \
         reading is automatic and makes mistakes: check a figure against its source before \
         relying on it.{read}",
        DEFAULT_MIN_CONFIDENCE
    )
}

/// `and 3 more quantities` for `what` = `more quantities` (`None` when
/// none was left out).
fn more(total: usize, shown: usize, what: &str) -> Option<String> {
    (total > shown).then(|| format!("and {} {what}", total - shown))
}

/// The lists of a briefing whose rest can be seen elsewhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum List {
    /// More days, and more sentences a day.
    Timeline,
    /// Contradictions and updates: the story's findings.
    Findings,
    /// Quotes and speakers.
    Quotes,
    /// Positions (every story's: the stance table has no story filter).
    Positions,
}

/// Where the rest of a capped list is: a page of `storyline serve` (a
/// path under [`Context::site`]) and the command that prints it.
struct Rest {
    /// `/findings?story=l1`.
    path: String,
    /// `storyline findings --story l1`; `None` where no command prints it.
    command: Option<String>,
    /// What the page shows, as link text (`every finding of this storyline`).
    what: String,
}

fn rest(b: &Briefing, list: List) -> Rest {
    let id = plain_id(b);
    let k = kind(b);
    match list {
        List::Timeline => Rest {
            path: format!("/stories/{id}?dates=50&sentences=5"),
            command: Some(format!("storyline timeline {id} --dates 50 --sentences 5")),
            what: format!("the {k}'s timeline with more days"),
        },
        List::Findings => Rest {
            path: format!("/findings?story={id}"),
            command: Some(format!("storyline findings --story {id}")),
            what: format!("every finding of this {k}"),
        },
        List::Quotes => Rest {
            path: format!("/api/quotes?story={id}"),
            command: None,
            what: format!("every quote of this {k} (JSON)"),
        },
        List::Positions => Rest {
            path: "/stances".to_string(),
            command: Some("storyline stances".to_string()),
            what: "every actor's positions".to_string(),
        },
    }
}

/// The few pieces of markup the shared wording needs, written the way of
/// one output form (each escapes what it is given).
trait Markup {
    /// Running text.
    fn text(s: &str) -> String;
    /// A link to `href` reading `text`.
    fn link(href: &str, text: &str) -> String;
    /// A command to type.
    fn code(s: &str) -> String;
}

/// Where the rest of a list is, for the reader of `ctx`: a link to the
/// page of `storyline serve` that shows it and the command that prints it
/// (the command left out on the server's own pages); `None`: neither.
fn rest_at<M: Markup>(b: &Briefing, list: List, ctx: &Context) -> Option<String> {
    let r = rest(b, list);
    let page = ctx
        .site
        .as_deref()
        .map(|site| M::link(&format!("{site}{}", r.path), &r.what));
    let command = r
        .command
        .filter(|_| ctx.site.as_deref() != Some(""))
        .map(|c| M::code(&c));
    match (page, command) {
        (Some(p), Some(c)) => Some(format!("{p} · {c}")),
        (Some(p), None) => Some(p),
        (None, Some(c)) => Some(format!("{} · {c}", M::text(&r.what))),
        (None, None) => None,
    }
}

/// `and 8 more contradictions: <where they are>` (`None` when none was
/// left out), as one piece of markup.
fn more_at<M: Markup>(
    total: usize,
    shown: usize,
    what: &str,
    (b, list, ctx): (&Briefing, List, &Context),
) -> Option<String> {
    let line = M::text(&more(total, shown, what)?);
    Some(match rest_at::<M>(b, list, ctx) {
        Some(place) => format!("{line}: {place}"),
        None => line,
    })
}

/// `(2 of 5 statements)` for a position with more statements than shown.
fn statements_shown(row: &PositionRow) -> Option<String> {
    (row.statements_total > row.statements.len()).then(|| {
        format!(
            "({} of {} statements)",
            row.statements.len(),
            row.statements_total
        )
    })
}

/// A citation's parts: the article's source entry, and its outlet and day
/// (the row's own when it has them, else the source's).
fn cited<'a>(
    srcs: &HashMap<&ArticleId, &'a SourceRef>,
    id: &ArticleId,
    outlet: Option<&'a str>,
    published: Option<NaiveDate>,
) -> (Option<&'a SourceRef>, Option<&'a str>, Option<NaiveDate>) {
    let src = srcs.get(id).copied();
    (
        src,
        outlet.or(src.and_then(|s| s.outlet.as_deref())),
        published.or(src.and_then(|s| s.published)),
    )
}

/// `also reported by A; B and 3 more` for a timeline sentence whose event
/// `total` other articles report, `cited` being the citations shown (at
/// most `brief::ALSO_CITED`); `None` when no other article reports it.
fn also_reported(cited: &[String], total: usize) -> Option<String> {
    if cited.is_empty() {
        return None;
    }
    let rest = more(total, cited.len(), "more")
        .map(|m| format!(" {m}"))
        .unwrap_or_default();
    Some(format!("also reported by {}{rest}", cited.join("; ")))
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
/// `Governor (3 Mar 2025 – 24 Mar 2025); Defence Minister (5 Mar 2025)`.
fn roles(roles: &[EntityRole]) -> String {
    roles
        .iter()
        .map(|r| match (r.first_reported, r.last_reported) {
            (Some(f), Some(l)) if f != l => {
                format!("{} ({} – {})", r.text, day(Some(f)), day(Some(l)))
            }
            (Some(f), _) => format!("{} ({})", r.text, day(Some(f))),
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
