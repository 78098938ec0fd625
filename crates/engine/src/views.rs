//! Wire shapes shared by the CLI's `--json` output and the HTTP API.
//!
//! These are compatibility promises: field names are stable and documented in
//! `docs/json.md`; each top-level document carries a `schema` tag with a
//! version, bumped on any breaking change.

use serde::Serialize;
use storyline_core::{Article, DateCandidate, DateProvenance, Dateline, Timestamp};

/// Schema tag of `storyline articles --json`.
pub const ARTICLES_SCHEMA: &str = "storyline.articles/1";
/// Schema tag of `storyline show --json`.
pub const ARTICLE_SCHEMA: &str = "storyline.article/1";

/// One article in a listing: metadata with provenance, no text.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleSummary {
    /// Content-derived id.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Dateline at the head of the text.
    pub dateline: Option<DatelineView>,
    /// Published date, ISO 8601, or null.
    pub published: Option<Timestamp>,
    /// Where the date came from.
    pub published_provenance: DateProvenance,
    /// What supports the date.
    pub published_evidence: Option<String>,
    /// 1 for stated dates, lower for inferred, 0 for unknown.
    pub published_confidence: f32,
    /// URL.
    pub url: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// The opening of the text (at most about 160 characters, cut at a word),
    /// for listings of articles that have no headline.
    pub lead: String,
    /// Words in the text.
    pub words: usize,
    /// The near-duplicate group (the id of its first article).
    pub duplicate_group: String,
    /// Whether this article copies an earlier one.
    pub is_duplicate: bool,
    /// Where it was read from (`path`, `path (record 3)`).
    pub origin: String,
    /// Input format.
    pub format: &'static str,
}

/// A dateline without its offsets.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Dateline))]
pub struct DatelineView {
    /// Place as written.
    pub place: String,
    /// Agency, if any.
    pub agency: Option<String>,
    /// Date text in the dateline, if any.
    pub date: Option<String>,
}

impl From<&Dateline> for DatelineView {
    fn from(d: &Dateline) -> Self {
        DatelineView {
            place: d.place.clone(),
            agency: d.agency.clone(),
            date: d.date_text.clone(),
        }
    }
}

impl From<&Article> for ArticleSummary {
    fn from(a: &Article) -> Self {
        let d = &a.draft;
        ArticleSummary {
            id: a.id.to_string(),
            title: d.title.clone(),
            source: d.source.clone(),
            authors: d.authors.clone(),
            dateline: d.dateline.as_ref().map(DatelineView::from),
            published: d.published,
            published_provenance: d.published_provenance,
            published_evidence: d.published_evidence.clone(),
            published_confidence: d.published_confidence,
            url: d.url.clone(),
            language: d.language.clone(),
            lead: lead(&d.text, 160),
            words: d.text.split_whitespace().count(),
            duplicate_group: a.duplicate_group.to_string(),
            is_duplicate: a.is_duplicate(),
            origin: d.origin.location.to_string(),
            format: d.origin.format.as_str(),
        }
    }
}

/// The first paragraph of `text`, cut at a word boundary to at most `max`
/// characters with an ellipsis when cut.
///
/// ```
/// use storyline_engine::views::lead;
/// assert_eq!(lead("Short one.\nSecond paragraph.", 40), "Short one.");
/// assert_eq!(lead("one two three four", 10), "one two…");
/// ```
pub fn lead(text: &str, max: usize) -> String {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if first.chars().count() <= max {
        return first.to_string();
    }
    let cut: String = first.chars().take(max).collect();
    let at_word = match cut.rfind(char::is_whitespace) {
        Some(i) if i > 0 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', ' ']))
}

/// `storyline articles --json`.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleList {
    /// [`ARTICLES_SCHEMA`].
    pub schema: &'static str,
    /// Number of articles listed.
    pub count: usize,
    /// The articles.
    pub articles: Vec<ArticleSummary>,
}

impl ArticleList {
    /// Wraps summaries in the versioned document.
    pub fn new(articles: Vec<ArticleSummary>) -> Self {
        ArticleList {
            schema: ARTICLES_SCHEMA,
            count: articles.len(),
            articles,
        }
    }
}

/// `storyline show ID --json`: the summary plus text, modified date, canonical URL and the rejected date candidates.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleDetail {
    /// [`ARTICLE_SCHEMA`].
    pub schema: &'static str,
    /// Everything in the listing.
    #[serde(flatten)]
    pub summary: ArticleSummary,
    /// Canonical URL.
    pub canonical_url: Option<String>,
    /// Last modified date.
    pub modified: Option<Timestamp>,
    /// Dates considered and rejected, with why.
    pub date_candidates: Vec<DateCandidate>,
    /// Estimated similarity to the duplicate group's first article.
    pub duplicate_similarity: f32,
    /// When it was ingested.
    pub ingested_at: Timestamp,
    /// Full BLAKE3 content hash.
    pub content_hash: String,
    /// The clean text.
    pub text: String,
}

impl From<&Article> for ArticleDetail {
    fn from(a: &Article) -> Self {
        ArticleDetail {
            schema: ARTICLE_SCHEMA,
            summary: ArticleSummary::from(a),
            canonical_url: a.draft.canonical_url.clone(),
            modified: a.draft.modified,
            date_candidates: a.draft.date_candidates.clone(),
            duplicate_similarity: a.duplicate_similarity,
            ingested_at: a.ingested_at,
            content_hash: a.content_hash.clone(),
            text: a.draft.text.clone(),
        }
    }
}
