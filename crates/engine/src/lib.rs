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
pub mod brief;
pub mod dedup;
pub mod export;
mod ingest;
pub mod link_views;
pub mod memo;
pub mod queue;
pub mod views;

use std::path::{Path, PathBuf};

pub use ingest::{
    input_name, IngestConfig, IngestEvent, IngestObserver, IngestSummary, NoProgress,
    PreparedDrafts, StageTimes,
};
use storyline_core::ArticleId;
use storyline_link::actors::Gazetteer;
use storyline_link::linker::{LinkReport, Linker};
use storyline_store::{SqliteStore, Store, StoreError, StoredAnalysis};

/// What can go wrong running the engine as a whole (bad input items are not
/// errors: they are reported in summaries as [`storyline_core::Problem`]s).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store could not be opened, read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored analysis does not parse as the current analyser's document.
    #[error("the stored analysis of article {id} is unreadable ({reason}); was the store written by another build of storyline?")]
    CorruptAnalysis {
        /// The article.
        id: ArticleId,
        /// The parse error.
        reason: String,
    },
    /// Linking failed.
    #[error(transparent)]
    Link(#[from] storyline_link::linker::LinkError),
    /// The user's actor file could not be read.
    #[error("cannot read the actor file {path}: {reason}")]
    ActorFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The work queue could not be reached or used.
    #[error(transparent)]
    Queue(#[from] storyline_queue::QueueError),
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
    gazetteer: Gazetteer,
    memo: memo::Memo,
    /// Held while linking: two linkers in one process (the server's ingest
    /// jobs and `serve --watch`) would read the same unlinked articles and
    /// link them twice.
    link_turn: std::sync::Mutex<()>,
}

/// The user's own actor file in a data directory, read on top of the
/// embedded one (same format as `crates/link/data/actors.tsv`).
pub const USER_ACTOR_FILE: &str = "actors.tsv";

/// The embedded actor file, extended by `dir`'s own when it has one.
fn user_gazetteer(dir: &Path) -> Result<Gazetteer, EngineError> {
    let mut gazetteer = Gazetteer::embedded();
    let user = dir.join(USER_ACTOR_FILE);
    if user.exists() {
        let bad = |reason: String| EngineError::ActorFile {
            path: user.clone(),
            reason,
        };
        let text = std::fs::read_to_string(&user).map_err(|e| bad(e.to_string()))?;
        let mine =
            Gazetteer::parse(&text, &user.display().to_string()).map_err(|e| bad(e.to_string()))?;
        gazetteer.extend(mine);
    }
    Ok(gazetteer)
}

impl Engine {
    /// Opens (creating if needed) the embedded store in `dir` for writing;
    /// fails at once while another process writes to it.
    pub fn open(dir: &Path) -> Result<Engine, EngineError> {
        Engine::open_waiting(dir, std::time::Duration::ZERO, |_| {})
    }

    /// [`Engine::open`], waiting up to `wait` for another writer to finish
    /// (see [`SqliteStore::open_waiting`]; `on_wait` hears once that it
    /// waits, with the other writer's process id when known).
    pub fn open_waiting(
        dir: &Path,
        wait: std::time::Duration,
        on_wait: impl FnOnce(Option<u32>),
    ) -> Result<Engine, EngineError> {
        std::fs::create_dir_all(dir).map_err(|source| EngineError::DataDir {
            path: dir.to_path_buf(),
            source,
        })?;
        let gazetteer = user_gazetteer(dir)?;
        Ok(Engine {
            store: Box::new(SqliteStore::open_waiting(dir, wait, on_wait)?),
            gazetteer,
            memo: memo::Memo::default(),
            link_turn: std::sync::Mutex::default(),
        })
    }

    /// An engine over any store (tests use `MemStore`), with the embedded
    /// actor file.
    pub fn with_store(store: Box<dyn Store>) -> Engine {
        Engine {
            store,
            gazetteer: Gazetteer::embedded(),
            memo: memo::Memo::default(),
            link_turn: std::sync::Mutex::default(),
        }
    }

    /// An engine over a store that lives elsewhere (a PostgreSQL
    /// database), with the actor file of the data directory `dir` on top
    /// of the embedded one when `dir` has one, as [`Engine::open`] reads
    /// it. `dir` is neither created nor required.
    pub fn with_store_and_actors(store: Box<dyn Store>, dir: &Path) -> Result<Engine, EngineError> {
        Ok(Engine {
            store,
            gazetteer: user_gazetteer(dir)?,
            memo: memo::Memo::default(),
            link_turn: std::sync::Mutex::default(),
        })
    }

    /// The actor file in use (embedded plus the data directory's own).
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Brings the cross-document links (entities, claims, findings,
    /// stances, stories) up to date: re-analyses stale articles first, then
    /// links every article not linked yet, one transaction per article.
    /// `progress` gets the number of articles linked so far.
    pub fn link(&self, progress: impl FnMut(u64)) -> Result<LinkReport, EngineError> {
        // A linker that panicked left nothing half-done (each article is one
        // transaction), so a poisoned turn is still a turn.
        let _turn = self
            .link_turn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.reanalyze_stale(64)?;
        let report = Linker::new(self.store(), &self.gazetteer).link_pending(progress);
        self.memo.invalidate();
        Ok(report?)
    }

    /// Memoised views (timelines, story listings, briefings); see [`memo`].
    pub fn memo(&self) -> &memo::Memo {
        &self.memo
    }

    /// The store, for listings and lookups.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The entity a span of a stored, linked article names (see
    /// [`Linker::entity_at`]).
    pub fn entity_at(
        &self,
        article: &storyline_core::Article,
        span: storyline_core::Span,
    ) -> Result<Option<storyline_link::linker::EntityRecord>, EngineError> {
        let Some(analysis) = self.analysis(&article.id)? else {
            return Ok(None);
        };
        Ok(Linker::new(self.store(), &self.gazetteer).entity_at(article, &analysis, span)?)
    }

    /// The stored analysis of an article, if it has one by the current
    /// analyser. An analysis by an older analyser counts as absent: run
    /// [`Engine::reanalyze_stale`].
    pub fn analysis(&self, id: &ArticleId) -> Result<Option<analysis::Analysis>, EngineError> {
        let Some(stored) = self.store.analysis(id)? else {
            return Ok(None);
        };
        if stored.analyzer != analysis::ANALYZER {
            return Ok(None);
        }
        serde_json::from_str(&stored.json)
            .map(Some)
            .map_err(|e| EngineError::CorruptAnalysis {
                id: id.clone(),
                reason: e.to_string(),
            })
    }

    /// Analyses every article whose stored analysis is missing or was made
    /// by another analyser version, `batch` articles per transaction, and
    /// returns how many were analysed. Texts are read from the store; nothing
    /// else changes.
    pub fn reanalyze_stale(&self, batch: usize) -> Result<u64, EngineError> {
        use rayon::prelude::*;
        let mut done = 0u64;
        loop {
            let ids = self
                .store
                .stale_analyses(analysis::ANALYZER, batch.max(1))?;
            if ids.is_empty() {
                return Ok(done);
            }
            let mut articles = Vec::with_capacity(ids.len());
            for id in &ids {
                if let Some(a) = self.store.article(id)? {
                    articles.push(a);
                }
            }
            let analyses: Vec<(ArticleId, StoredAnalysis)> = articles
                .par_iter()
                .filter_map(|a| {
                    let json = serde_json::to_string(&analysis::analyze_draft(&a.draft)).ok()?;
                    Some((
                        a.id.clone(),
                        StoredAnalysis {
                            analyzer: analysis::ANALYZER.to_string(),
                            json,
                        },
                    ))
                })
                .collect();
            if analyses.is_empty() {
                // Nothing could be analysed (ids vanished): stop rather than loop.
                return Ok(done);
            }
            self.store.put_analyses(&analyses)?;
            self.memo.invalidate();
            done += analyses.len() as u64;
        }
    }
}
