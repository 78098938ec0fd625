use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{ArticleId, Location, Span, Timestamp};

/// Where an article's published date came from. A date is never invented:
/// when nothing supports one, the provenance is [`DateProvenance::Unknown`]
/// and the date is absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Provenance))]
#[serde(rename_all = "lowercase")]
pub enum DateProvenance {
    /// Structured metadata: HTML meta tags, JSON-LD, `<time>`, a feed's
    /// `pubDate`, a JSON/CSV date field, a WARC record date.
    Metadata,
    /// A `date` header line at the top of a text or Markdown file.
    Header,
    /// A dated dateline in the text (`GAZA, Nov 9 (Reuters) -`).
    Dateline,
    /// A date in the article's URL path (`/2023/11/09/`).
    Url,
    /// Not stated; inferred from evidence (the latest absolute date the text
    /// mentions, or a near-duplicate's date), with a confidence below 1.
    Inferred,
    /// No date could be found or inferred.
    #[default]
    Unknown,
}

impl DateProvenance {
    /// All values, in the order of trust used when several sources give a date.
    pub const ALL: [DateProvenance; 6] = [
        DateProvenance::Metadata,
        DateProvenance::Header,
        DateProvenance::Dateline,
        DateProvenance::Url,
        DateProvenance::Inferred,
        DateProvenance::Unknown,
    ];

    /// The lowercase name used in JSON, SQL and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            DateProvenance::Metadata => "metadata",
            DateProvenance::Header => "header",
            DateProvenance::Dateline => "dateline",
            DateProvenance::Url => "url",
            DateProvenance::Inferred => "inferred",
            DateProvenance::Unknown => "unknown",
        }
    }
}

impl fmt::Display for DateProvenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DateProvenance {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateProvenance::ALL
            .into_iter()
            .find(|p| p.as_str() == s)
            .ok_or_else(|| format!("unknown date provenance {s:?}"))
    }
}

/// A published date with where it came from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PublishedDate {
    /// The date, absent when unknown.
    pub value: Option<Timestamp>,
    /// Where it came from.
    pub provenance: DateProvenance,
    /// The text or field that supports it (`meta[property=article:published_time]`,
    /// `header line 1`, the dateline, the URL, or the sentence an inference used).
    pub evidence: Option<String>,
    /// 1.0 for stated dates; below 1 for inferred ones.
    pub confidence: f32,
}

impl PublishedDate {
    /// A date stated by the source.
    pub fn stated(
        value: Timestamp,
        provenance: DateProvenance,
        evidence: impl Into<String>,
    ) -> Self {
        PublishedDate {
            value: Some(value),
            provenance,
            evidence: Some(evidence.into()),
            confidence: 1.0,
        }
    }

    /// No date.
    pub fn unknown() -> Self {
        PublishedDate::default()
    }
}

/// A date that was considered for an article and rejected, kept so the choice
/// can be audited (`storyline show`, `storyline extract --format json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateCandidate {
    /// The raw text of the candidate.
    pub raw: String,
    /// Where it was seen.
    pub provenance: DateProvenance,
    /// Which field or place (`meta[name=date]`, `json-ld dateModified`, `url`).
    pub evidence: String,
    /// Why it was not used.
    pub rejected_because: String,
}

/// A dateline at the head of a wire story: `TEL AVIV (Reuters) –`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dateline {
    /// The place, as written (`TEL AVIV`).
    pub place: String,
    /// The agency in parentheses, if any (`Reuters`).
    pub agency: Option<String>,
    /// A date in the dateline, if any (`Nov 9`), unresolved.
    pub date_text: Option<String>,
    /// Where the dateline is in the article text.
    pub span: Span,
}

/// The kind of input an article was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputFormat {
    /// Plain text, optionally with `key value` header lines.
    Text,
    /// Markdown, optionally with header lines or YAML front matter.
    Markdown,
    /// An HTML page.
    Html,
    /// A JSON document (an object or an array of objects).
    Json,
    /// One JSON object per line.
    Jsonl,
    /// Comma- or tab-separated values with a header row.
    Csv,
    /// An RSS or Atom feed item.
    Feed,
    /// A WARC response record.
    Warc,
}

impl InputFormat {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Text => "text",
            InputFormat::Markdown => "markdown",
            InputFormat::Html => "html",
            InputFormat::Json => "json",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Csv => "csv",
            InputFormat::Feed => "feed",
            InputFormat::Warc => "warc",
        }
    }
}

impl FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "text" => InputFormat::Text,
            "markdown" => InputFormat::Markdown,
            "html" => InputFormat::Html,
            "json" => InputFormat::Json,
            "jsonl" => InputFormat::Jsonl,
            "csv" => InputFormat::Csv,
            "feed" => InputFormat::Feed,
            "warc" => InputFormat::Warc,
            other => return Err(format!("unknown input format {other:?}")),
        })
    }
}

/// Where an article was read from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Origin {
    /// File, URL or `-`, with record number for multi-record inputs.
    pub location: Location,
    /// The format it was read as.
    pub format: InputFormat,
}

/// An article as an input reader produces it, before it has an id or a place
/// in the store. Readers fill what the input states; the engine fills the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleDraft {
    /// Clean article text: no markup, no header lines, paragraphs separated by newlines.
    pub text: String,
    /// Headline.
    pub title: Option<String>,
    /// The URL it was fetched from or that the record names.
    pub url: Option<String>,
    /// The page's canonical URL, when different.
    pub canonical_url: Option<String>,
    /// Outlet or site name (`Reuters`, `The Harbour Post`).
    pub source: Option<String>,
    /// Authors, one name each (`By A and B` gives two).
    pub authors: Vec<String>,
    /// The dateline, when the text opens with one.
    pub dateline: Option<Dateline>,
    /// The published date: value, provenance, evidence, confidence.
    pub published: Option<Timestamp>,
    /// Where [`ArticleDraft::published`] came from.
    pub published_provenance: DateProvenance,
    /// What supports the published date.
    pub published_evidence: Option<String>,
    /// 1.0 for stated dates, lower for inferred ones, 0 when unknown.
    pub published_confidence: f32,
    /// The last-modified date, when stated.
    pub modified: Option<Timestamp>,
    /// BCP 47 language tag (`en`), stated or detected.
    pub language: Option<String>,
    /// Date candidates that were seen and rejected, with why.
    pub date_candidates: Vec<DateCandidate>,
    /// Where it was read from.
    pub origin: Origin,
}

impl ArticleDraft {
    /// A draft holding only text, as if read from stdin as plain text.
    pub fn new(text: impl Into<String>) -> ArticleDraft {
        ArticleDraft {
            text: text.into(),
            title: None,
            url: None,
            canonical_url: None,
            source: None,
            authors: Vec::new(),
            dateline: None,
            published: None,
            published_provenance: DateProvenance::Unknown,
            published_evidence: None,
            published_confidence: 0.0,
            modified: None,
            language: None,
            date_candidates: Vec::new(),
            origin: Origin {
                location: Location::source("-"),
                format: InputFormat::Text,
            },
        }
    }

    /// Sets the published date and its provenance together, so the two never disagree.
    pub fn set_published(&mut self, date: PublishedDate) {
        self.published = date.value;
        self.published_provenance = if date.value.is_some() {
            date.provenance
        } else {
            DateProvenance::Unknown
        };
        self.published_evidence = date.evidence;
        self.published_confidence = if date.value.is_some() {
            date.confidence
        } else {
            0.0
        };
    }

    /// The published date and its provenance as one value.
    pub fn published_date(&self) -> PublishedDate {
        PublishedDate {
            value: self.published,
            provenance: self.published_provenance,
            evidence: self.published_evidence.clone(),
            confidence: self.published_confidence,
        }
    }
}

/// A stored article: a draft with its content-derived id, hash, and the
/// near-duplicate group it belongs to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Content-derived id ([`ArticleId::for_text`]).
    pub id: ArticleId,
    /// Full BLAKE3 hash of the normalised text.
    pub content_hash: String,
    /// The id of the first-seen article of this article's near-duplicate
    /// group (itself when it has no earlier near-duplicate). Copies share it,
    /// so later stages count them once.
    pub duplicate_group: ArticleId,
    /// Estimated Jaccard similarity to the group's first article (1.0 for itself).
    pub duplicate_similarity: f32,
    /// When it was ingested (UTC).
    pub ingested_at: Timestamp,
    /// Everything the reader found.
    #[serde(flatten)]
    pub draft: ArticleDraft,
}

impl Article {
    /// Whether this article is a near-duplicate of an earlier one.
    pub fn is_duplicate(&self) -> bool {
        self.duplicate_group != self.id
    }
}
