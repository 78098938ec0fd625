//! The storyline data model.
//!
//! Everything the engine produces points back at the text it came from, so the
//! centre of the model is an [`Article`] (clean text plus metadata, each field
//! with its provenance) and [`Span`]s into that text. Every other crate depends
//! on this one; this one depends on none of them and performs no IO.
//!
//! ```
//! use storyline_core::{ArticleDraft, DateProvenance, Timestamp};
//!
//! let mut draft = ArticleDraft::new("Ministers met on Friday.");
//! draft.published = Some(Timestamp::parse("2023-11-09").unwrap());
//! draft.published_provenance = DateProvenance::Header;
//! assert_eq!(draft.published.unwrap().to_string(), "2023-11-09");
//! ```
#![deny(missing_docs)]

mod article;
mod diagnostic;
mod id;
mod span;
mod time;

pub use article::{
    Article, ArticleDraft, DateCandidate, DateProvenance, Dateline, InputFormat, Origin,
    PublishedDate,
};
pub use diagnostic::{Location, Problem};
pub use id::{content_hash, normalize_for_hash, ArticleId, ParseIdError};
pub use span::Span;
pub use time::{is_calendar_word, ParseTimestampError, Timestamp};
