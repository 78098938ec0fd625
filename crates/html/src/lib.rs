//! Main text and metadata from news pages.
//!
//! A page goes through four steps: bytes are decoded ([`decode`]), parsed by
//! html5ever into a flat arena DOM, stripped of boilerplate and scored to find
//! the article body, and searched for metadata (headline, authors, dates with
//! provenance). The scorer is our own: on the html-dev set it measured better
//! than rs-trafilatura, dom_smoothie and readability and is several times
//! faster (see `MEASUREMENTS.md`), so third-party engines are not
//! dependencies. Other engines can still be plugged in behind [`Extractor`].
//!
//! **Invariants.** Nothing here recurses over the DOM (html5ever builds
//! arbitrarily deep trees from hostile input); input over [`MAX_INPUT_BYTES`]
//! is refused; no date is ever invented: when no evidence supports one, the
//! published date is [`PublishedDate::unknown`], and every date considered and
//! rejected is kept in [`ExtractedPage::date_candidates`] with the reason.
//!
//! ```
//! use storyline_html::{extract, ExtractOptions};
//! let html = br#"<html lang="en"><head><meta property="article:published_time" content="2023-11-09T10:00:00Z"></head>
//! <body><article><h1>Talks resume</h1><p class="byline">By Jane Roe and John Doe</p>
//! <p>Negotiators met again on Thursday, officials said, after a pause of two weeks in the talks.</p></article></body></html>"#;
//! let opts = ExtractOptions::new(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
//! let page = extract(html, &opts).unwrap();
//! assert_eq!(page.title.as_deref(), Some("Talks resume"));
//! assert_eq!(page.authors, ["Jane Roe", "John Doe"]);
//! assert_eq!(page.published.value.unwrap().to_string(), "2023-11-09T10:00:00Z");
//! assert!(page.text.starts_with("Negotiators met again"));
//! ```
#![deny(missing_docs)]

mod content;
mod dates;
mod decode;
mod dom;
mod meta;

use chrono::NaiveDate;
use serde::Serialize;
use storyline_core::{DateCandidate, PublishedDate, Timestamp};

pub use dates::parse_date_text;
pub use decode::decode;

/// Pages larger than this are refused rather than parsed: real articles are
/// under 5 MB, and parse time and memory grow with size.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// What the caller knows about the page besides its bytes.
#[derive(Clone, Debug)]
pub struct ExtractOptions {
    /// The page's URL: its path often carries the date (`/2023/11/09/`).
    pub url: Option<String>,
    /// The HTTP `Content-Type` header, for its charset.
    pub http_content_type: Option<String>,
    /// Today, as the caller sees it. Dates more than a day after it, or before
    /// 1990, are rejected: they are typos, placeholders or event dates.
    pub now: NaiveDate,
}

impl ExtractOptions {
    /// Options with only the reference day set.
    pub fn new(now: NaiveDate) -> ExtractOptions {
        ExtractOptions {
            url: None,
            http_content_type: None,
            now,
        }
    }
}

impl Default for ExtractOptions {
    /// Uses today's date in UTC as `now`.
    fn default() -> Self {
        ExtractOptions::new(chrono::Utc::now().date_naive())
    }
}

/// The article found in a page.
#[derive(Clone, Debug, Serialize)]
pub struct ExtractedPage {
    /// The visible headline, not the `<title>` with its " | Site" suffix.
    pub title: Option<String>,
    /// Author names, one per entry, without "By" and roles.
    pub authors: Vec<String>,
    /// The published date with its provenance and evidence.
    pub published: PublishedDate,
    /// The last-modified date when stated; never used as the published date.
    pub modified: Option<Timestamp>,
    /// Every date considered and not used, with why.
    pub date_candidates: Vec<DateCandidate>,
    /// The outlet's name (`og:site_name`, JSON-LD publisher).
    pub site_name: Option<String>,
    /// Language as a lowercase primary subtag ("en", "de").
    pub language: Option<String>,
    /// The canonical URL the page declares.
    pub canonical_url: Option<String>,
    /// The page's own summary (`description` / `og:description`).
    pub description: Option<String>,
    /// The main text: blocks (paragraphs, headings, list items, quotes)
    /// separated by blank lines.
    pub text: String,
    /// The same blocks as Markdown.
    pub markdown: String,
    /// The encoding the bytes were decoded with.
    pub encoding: &'static str,
}

/// Why no article could be extracted.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// The page parsed but holds nothing article-like.
    #[error("no article found: {reason}")]
    NoArticle {
        /// What was found instead.
        reason: String,
    },
    /// The input is over the size cap and was not parsed.
    #[error("page is {bytes} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Size of the input.
        bytes: usize,
        /// The cap, [`MAX_INPUT_BYTES`].
        limit: usize,
    },
}

/// An extraction engine. The default is [`Storyline`]; the trait exists so
/// that evaluation can compare engines and callers can substitute one.
pub trait Extractor: Send + Sync {
    /// A short name for reports.
    fn name(&self) -> &'static str;
    /// Extracts the article from page bytes.
    fn extract(&self, html: &[u8], opts: &ExtractOptions) -> Result<ExtractedPage, ExtractError>;
}

/// storyline's own extractor: boilerplate removal plus text-density scoring
/// over an html5ever DOM.
#[derive(Clone, Copy, Debug, Default)]
pub struct Storyline;

impl Extractor for Storyline {
    fn name(&self) -> &'static str {
        "storyline"
    }

    fn extract(&self, html: &[u8], opts: &ExtractOptions) -> Result<ExtractedPage, ExtractError> {
        if html.len() > MAX_INPUT_BYTES {
            return Err(ExtractError::TooLarge {
                bytes: html.len(),
                limit: MAX_INPUT_BYTES,
            });
        }
        let (text, encoding) = decode(html, opts.http_content_type.as_deref());
        let dom = dom::Dom::parse(&text, false);
        drop(text);
        let info = meta::collect(&dom);
        let body = content::extract(&dom, &info);
        let dates = dates::find(&dom, &info, &body, opts);
        let title = meta::title(&dom, &info, &body);
        let authors = meta::authors(&dom, &info, &body);
        let (text, markdown) = match body.render(title.as_deref()) {
            Some(r) => r,
            None => match info.article_body.as_deref().and_then(content::from_plain) {
                Some(r) => r,
                None => {
                    return Err(ExtractError::NoArticle {
                        reason: body.why_empty(&dom),
                    })
                }
            },
        };
        tracing::debug!(chars = text.len(), ?title, "extracted");
        Ok(ExtractedPage {
            title,
            authors,
            published: dates.published,
            modified: dates.modified,
            date_candidates: dates.rejected,
            site_name: info.site_name(),
            language: info.language(&dom),
            canonical_url: info.canonical.clone(),
            description: info.description(),
            text,
            markdown,
            encoding: encoding.name(),
        })
    }
}

/// Extracts with the default engine, [`Storyline`].
pub fn extract(html: &[u8], opts: &ExtractOptions) -> Result<ExtractedPage, ExtractError> {
    Storyline.extract(html, opts)
}

/// A dump of the blocks the scorer saw, each marked `+` when it was kept,
/// with its element and class: for tuning and bug reports, not a stable format.
#[doc(hidden)]
pub fn debug_blocks(html: &[u8]) -> String {
    let (text, _) = decode(html, None);
    let dom = dom::Dom::parse(&text, false);
    let info = meta::collect(&dom);
    let body = content::extract(&dom, &info);
    let mut out = format!(
        "containers: {:?}\n",
        body.containers
            .iter()
            .map(|&c| describe(&dom, c))
            .collect::<Vec<_>>()
    );
    for (i, b) in body.blocks.iter().enumerate() {
        let mark = if body.chosen.contains(&i) { '+' } else { ' ' };
        let t: String = b.text.chars().take(100).collect();
        out.push_str(&format!(
            "{mark} {:?} <{}> ld={:.2} {}\n",
            b.kind,
            describe(&dom, b.node),
            b.link_density_pub(),
            t.replace('\n', " ")
        ));
    }
    out
}

fn describe(dom: &dom::Dom, id: usize) -> String {
    let n = dom.node(id);
    format!(
        "{}#{}.{}",
        n.tag(),
        n.attr("id").unwrap_or(""),
        n.attr("class").unwrap_or("").replace(' ', ".")
    )
}

/// Parses only, returning the node count: for timing the parser apart from
/// extraction. Not a stable API.
#[doc(hidden)]
pub fn parse_only(html: &str) -> usize {
    dom::Dom::parse(html, false).nodes.len()
}
