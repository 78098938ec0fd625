//! The one error type of the store, with a variant per thing that can go
//! wrong and what to do about it.

use std::path::PathBuf;

/// An underlying error from a storage library, kept as the `source` of a
/// [`StoreError`] so its details are not lost, without naming the library's
/// types in this crate's API.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a store operation failed. Each message says what failed, where, and
/// what the user can do.
///
/// Bad *input* is not a store error: search text never fails to parse, and
/// problems in ingested files are data ([`storyline_core::Problem`]). These
/// errors are about the store itself, or a batch that breaks its rules.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another process holds the data directory's writer lock (and kept it
    /// for as long as the opener was willing to wait).
    #[error("the data directory {} is being written by another storyline process{}; commands that only read (stories, search, serve, …) run beside it, and another writer must wait for it to finish (or stop it) and retry", .dir.display(), .holder.map(|p| format!(" (pid {p})")).unwrap_or_default())]
    Locked {
        /// The data directory.
        dir: PathBuf,
        /// The process holding the lock, when it could be told.
        holder: Option<u32>,
    },

    /// SQLite stayed busy past the busy timeout: another process is writing
    /// to the same database (e.g. a tool opened it outside storyline).
    #[error("the store {} is busy: another process kept the database locked for more than {timeout_ms} ms; retry when it has finished", .path.display())]
    Busy {
        /// The database file.
        path: PathBuf,
        /// How long the store waited.
        timeout_ms: u64,
    },

    /// The data directory was written by a newer storyline.
    #[error("the data directory {} was written by a newer storyline (schema {found} > {supported}); upgrade storyline to open it", .dir.display())]
    NewerSchema {
        /// The data directory.
        dir: PathBuf,
        /// The schema version found.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },

    /// A read-only store was opened on a directory whose schema is older than
    /// this build's; only a writer may upgrade it.
    #[error("the data directory {} has schema {found} but this storyline needs {needed}; open it once for writing (e.g. `storyline ingest` or `storyline stats`) to upgrade it", .dir.display())]
    NeedsUpgrade {
        /// The data directory.
        dir: PathBuf,
        /// The schema version found.
        found: u32,
        /// The version this build needs.
        needed: u32,
    },

    /// The file is a database, or a file, but not a storyline store.
    #[error("{} is not a storyline store ({reason}); choose another data directory", .path.display())]
    NotAStore {
        /// The file.
        path: PathBuf,
        /// What gave it away.
        reason: String,
    },

    /// A file-system operation failed (creating the data directory, the lock
    /// file, the index directory).
    #[error("cannot {action} {}: {source}", .path.display())]
    Io {
        /// What was being done (`create the data directory`).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },

    /// Upgrading the schema failed; the store was left at the old version.
    #[error("cannot upgrade the store {} from schema {from} to {to}: {source}; it was left at schema {from}", .path.display())]
    Migration {
        /// The database file.
        path: PathBuf,
        /// The version before the failed step.
        from: u32,
        /// The version the failed step would have reached.
        to: u32,
        /// The database error.
        #[source]
        source: BoxError,
    },

    /// The database failed (disk full, I/O error, corruption).
    #[error("database error while {action} in {}: {source}", .path.display())]
    Database {
        /// What was being done (`storing a batch of articles`).
        action: &'static str,
        /// The database file (`:memory:` for an in-memory store).
        path: PathBuf,
        /// The database error.
        #[source]
        source: BoxError,
    },

    /// The full-text index failed. The articles are safe in the database;
    /// the index can be rebuilt from them.
    #[error("full-text index error while {action} in {}: {source}; `storyline reindex` rebuilds the index from the database", .path.display())]
    Index {
        /// What was being done (`searching`).
        action: &'static str,
        /// The index directory.
        path: PathBuf,
        /// The index error.
        #[source]
        source: BoxError,
    },

    /// A stored row could not be decoded.
    #[error("the stored {what} is unreadable ({reason}); the database may be damaged or written by an incompatible storyline")]
    Corrupt {
        /// Which row (`article 0123456789abcdef`).
        what: String,
        /// Why.
        reason: String,
    },

    /// A batch broke the store's rules; nothing of it was stored.
    #[error("article {index} of the batch ({id}) was rejected: {reason}; nothing from this batch was stored")]
    InvalidArticle {
        /// 0-based position in the batch.
        index: usize,
        /// The article's id as given.
        id: String,
        /// Which rule it broke.
        reason: String,
    },

    /// A [`crate::Store::put_analyses`] call named an article that is not
    /// stored, or an invalid analyser; nothing of the call was stored.
    #[error("analysis {index} of the call (for article {id}) was rejected: {reason}; no analysis from this call was stored")]
    InvalidAnalysis {
        /// 0-based position in the call.
        index: usize,
        /// The article id as given.
        id: String,
        /// Which rule it broke.
        reason: String,
    },

    /// A linking batch or lookup was malformed; nothing was written.
    #[error("linking data rejected: {reason}; nothing from this batch was stored")]
    InvalidLink {
        /// What was wrong.
        reason: String,
    },
    /// A linking batch names an article the store does not hold.
    #[error("linking batch marks article {id} as linked, but the store does not hold it; nothing from this batch was stored")]
    UnknownArticle {
        /// The article id.
        id: String,
    },

    /// The text given to [`crate::Store::resolve_id_prefix`] cannot be part of an id.
    #[error("{prefix:?} is not an article id prefix: {reason}")]
    InvalidIdPrefix {
        /// The text given.
        prefix: String,
        /// Why.
        reason: String,
    },

    /// A write was attempted on a store opened read-only.
    #[error("cannot {action}: the store {} was opened read-only; use a command that opens it for writing", .path.display())]
    ReadOnly {
        /// What was attempted.
        action: &'static str,
        /// The data directory.
        path: PathBuf,
    },

    /// A store URL (`postgres://...`) could not be read. The URL itself is
    /// not repeated: it may hold a password.
    #[error("the store URL is not valid: {reason}; expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")]
    BadUrl {
        /// What is wrong with it.
        reason: String,
    },

    /// Another process holds the store's linker lease
    /// ([`Store::lease_linker`](crate::Store::lease_linker)).
    #[error("another linker{} is linking the store {store}; one linker at a time per store", .holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default())]
    LinkerBusy {
        /// The store: a data directory, or a PostgreSQL URL without its
        /// password.
        store: String,
        /// Who holds it, as it described itself, when known.
        holder: Option<String>,
    },

    /// A thread panicked while holding one of the store's locks, so its
    /// in-memory state can no longer be trusted. Reopen the store.
    #[error("the store's in-memory state was poisoned by an earlier panic in this process; reopen the store")]
    Poisoned,
}
