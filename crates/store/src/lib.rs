//! Storage for storyline: the [`Store`] trait and its backends.
//!
//! The engine writes articles in batches and reads them back by id, by
//! filter, by near-duplicate fingerprint and by full-text search. All of that
//! goes through one object-safe trait, [`Store`], so that the embedded backend
//! used on a laptop and a server backend (PostgreSQL, later) are
//! interchangeable: nothing in this crate's public API names a SQLite or
//! tantivy type.
//!
//! Backends:
//!
//! - [`SqliteStore`]: one data directory holding `storyline.db` (SQLite, WAL
//!   mode) and `index/` (a tantivy full-text index). SQLite is the source of
//!   truth; the index is derived from it, may lag after a crash, and is
//!   caught up or rebuilt automatically on open. See [`SqliteStore`] for the
//!   on-disk layout and its guarantees.
//! - `PostgresStore` (feature `postgres`): a PostgreSQL database, search
//!   included (`tsvector` with a GIN index, `ts_headline` snippets), for
//!   deployments where several machines share one store.
//! - [`MemStore`]: everything in RAM, same semantics, with a plain term-match
//!   search instead of BM25. For tests of other crates.
//!
//! All pass the same behaviour suite (`conformance`, public behind the
//! `conformance` feature), so a new backend is correct when it passes it too.
//!
//! **Architecture invariant:** the store never analyses text and never
//! decides what is a duplicate; it keeps what the engine computed (the
//! article, its MinHash signature and LSH band hashes, its per-article
//! analysis as an opaque JSON document tagged with the analyser's version)
//! and answers questions about it.
//!
//! ```
//! use storyline_core::{Article, ArticleDraft, ArticleId, Timestamp};
//! use storyline_store::{MemStore, NewArticle, SearchQuery, Store, StoredAnalysis};
//!
//! let text = "Ministers met in Cairo on Friday to discuss a ceasefire.";
//! let id = ArticleId::for_text(text);
//! let article = Article {
//!     id: id.clone(),
//!     content_hash: storyline_core::content_hash(text),
//!     duplicate_group: id.clone(),
//!     duplicate_similarity: 1.0,
//!     ingested_at: Timestamp::parse("2023-11-09T10:00:00Z").unwrap(),
//!     draft: ArticleDraft::new(text),
//! };
//! let store = MemStore::new();
//! let report = store
//!     .put_articles(&[NewArticle {
//!         article,
//!         minhash: vec![1, 2, 3],
//!         lsh_bands: vec![42],
//!         analysis: Some(StoredAnalysis { analyzer: "fast/3".into(), json: "{}".into() }),
//!     }])
//!     .unwrap();
//! assert_eq!(report.inserted, vec![id.clone()]);
//! let hits = store.search(&SearchQuery::new("ceasefire")).unwrap();
//! assert_eq!(hits[0].id, id);
//! assert!(hits[0].snippet.contains("«ceasefire»"));
//! assert_eq!(store.analysis(&id).unwrap().unwrap().analyzer, "fast/3");
//! assert!(store.stale_analyses("fast/3", 10).unwrap().is_empty());
//! ```
#![deny(missing_docs)]

mod api;
mod error;
mod lease;
pub mod links;
mod mem;
#[cfg(feature = "postgres")]
pub mod pg;
mod query;
mod sqlite;

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;

#[cfg(feature = "openapi")]
pub use api::SnippetRange;
pub use api::{
    ArticleFilter, IngestRun, NewArticle, PutReport, SearchHit, SearchQuery, Store, StoreStats,
    StoredAnalysis, MAX_ANALYZER_LEN, MAX_CANDIDATES_PER_BAND, MAX_SEARCH_LIMIT, MAX_SEARCH_OFFSET,
    MIN_ID_PREFIX_LEN,
};
pub use error::StoreError;
pub use lease::LinkerLease;
pub use links::{
    bounded_link_key, LinkBatch, LinkRecord, LinkState, MAX_LINK_KEY_LEN, MAX_LINK_LOOKUP_PER_KEY,
};
pub use mem::MemStore;
#[cfg(feature = "postgres")]
pub use pg::{is_postgres_url, PostgresStore, POSTGRES_SCHEMA_VERSION};
pub use query::{SNIPPET_CLOSE, SNIPPET_OPEN};
pub use sqlite::{
    check_store, IndexCheck, KindReads, LinkProgress, LinkReads, SqliteStore, StoreCheck, DB_FILE,
    INDEX_DIR, LINKER_LOCK_FILE, LOCK_FILE, SCHEMA_VERSION,
};
