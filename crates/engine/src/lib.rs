//! The engine: the one place where ingest, analysis, storage and linking meet.
//!
//! Interfaces (CLI, HTTP server) call the engine and never the stages
//! directly, so batching, transactions, parallelism and the order of stages
//! are decided here once. The engine knows nothing of argv or HTTP.
//!
//! Ingest is streaming: readers push drafts into a batch; each full batch is
//! fingerprinted in parallel, checked for duplicates against the store's LSH
//! index and the batch itself, and committed in one transaction. A run killed
//! at any point loses only the batch in flight, and re-running it is
//! idempotent because ids are content hashes.

pub mod analysis;
pub mod dedup;
mod ingest;
pub mod views;

use std::path::{Path, PathBuf};

pub use ingest::{IngestConfig, IngestEvent, IngestObserver, IngestSummary, NoProgress};
use storyline_store::{SqliteStore, Store, StoreError};

/// What can go wrong running the engine as a whole (bad input items are not
/// errors: they are reported in summaries as [`storyline_core::Problem`]s).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store could not be opened, read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The data directory could not be created.
    #[error("cannot create data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// A storyline instance over one store.
pub struct Engine {
    store: Box<dyn Store>,
}

impl Engine {
    /// Opens (creating if needed) the embedded store in `dir`.
    pub fn open(dir: &Path) -> Result<Engine, EngineError> {
        std::fs::create_dir_all(dir).map_err(|source| EngineError::DataDir {
            path: dir.to_path_buf(),
            source,
        })?;
        Ok(Engine {
            store: Box::new(SqliteStore::open(dir)?),
        })
    }

    /// An engine over any store (tests use `MemStore`).
    pub fn with_store(store: Box<dyn Store>) -> Engine {
        Engine { store }
    }

    /// The store, for listings and lookups.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }
}
