//! [`SqliteStore`]: SQLite for the data, tantivy for full-text search.

mod check;
mod index;
mod links;
mod schema;

#[cfg(test)]
mod tests;

pub use check::{check_store, IndexCheck, LinkProgress, StoreCheck};
pub use links::{KindReads, LinkReads};

use std::collections::HashMap;
use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use storyline_core::{Article, ArticleId, DateProvenance, Problem, Timestamp};
use tantivy::collector::TopDocs;
use tantivy::schema::Value as _;
use tantivy::snippet::SnippetGenerator;
use tantivy::{IndexWriter, TantivyDocument};
use tracing::{info, warn};

use crate::api::{
    filter_day, normalize_id_prefix, now, sort_key, source_key, validate_analyses, validate_batch,
    ArticleFilter, IngestRun, NewArticle, PutReport, SearchHit, SearchQuery, Store, StoreStats,
    StoredAnalysis, MAX_CANDIDATES_PER_BAND, MAX_SEARCH_LIMIT,
};
use crate::links::{
    bounded_keys, bounded_link_key, restore_ids, restore_keys, LinkBatch, LinkRecord, LinkState,
};
use crate::query;
use crate::StoreError;
use index::{FullTextIndex, IndexRow};

pub use schema::SCHEMA_VERSION;

/// The database file in a data directory.
pub const DB_FILE: &str = "storyline.db";
/// The full-text index directory in a data directory.
pub const INDEX_DIR: &str = "index";
/// The lock file that keeps a second writer out of a data directory.
pub const LOCK_FILE: &str = "storyline.lock";

/// How long a database call waits for another connection's lock before
/// failing with [`StoreError::Busy`].
const BUSY_TIMEOUT_MS: u64 = 5_000;
/// Memory the index writer may buffer before flushing a segment. Articles
/// are ~3 KB, so this holds several batches; it bounds memory, not speed.
const INDEX_MEMORY_BUDGET: usize = 50_000_000;
/// Indexing threads for a file-backed store (each needs 15 MB of the budget).
const INDEX_THREADS: usize = 2;
/// Idle read connections kept for reuse.
const MAX_IDLE_READERS: usize = 4;

/// A [`Store`] in one data directory: `storyline.db` (SQLite) and `index/`
/// (tantivy).
///
/// **Source of truth.** Every article, with its text, lives in SQLite
/// (WAL journal, `synchronous=NORMAL`: a committed batch survives a process
/// crash; a power loss may drop the last batches but never corrupts the
/// database). The full-text index is derived from it and can be deleted at
/// any time.
///
/// **Crash safety.** A batch is committed to SQLite first, then indexed.
/// Each index commit records the highest article `seq` it covers (its
/// watermark); on open and after every batch, articles above the watermark
/// are indexed, each replacing any earlier copy of itself. So a process
/// killed between the two commits loses nothing and indexes nothing twice.
/// A missing, unreadable or outdated index is rebuilt on open, with a
/// warning.
///
/// **One writer, any number of readers.** [`SqliteStore::open`] takes an
/// exclusive lock on `storyline.lock` (a second writer gets
/// [`StoreError::Locked`] at once; [`SqliteStore::open_waiting`] waits for
/// it a given time). [`SqliteStore::open_read_only`] takes no lock and runs
/// beside a writer: WAL lets its reads see each committed batch, and its
/// searches reload the index to see each index commit.
///
/// **Schema.** Versioned migrations run on open; a directory written by a
/// newer storyline is refused ([`StoreError::NewerSchema`]).
pub struct SqliteStore {
    /// The data directory (`:memory:` for an in-memory store).
    dir: PathBuf,
    /// The database file (`:memory:` for an in-memory store).
    db_path: PathBuf,
    /// `None` for a read-only store.
    writer: Option<Mutex<WriterState>>,
    /// Idle read connections; `None` for an in-memory store, whose reads go
    /// through the writer's connection (an in-memory database has only one).
    readers: Option<Mutex<Vec<Connection>>>,
    index: FullTextIndex,
    /// Set while the index may lack committed articles (an index write
    /// failed), so searches know to catch it up without taking the writer
    /// lock on every call.
    index_stale: AtomicBool,
    /// What link reads have returned since the store was opened.
    link_reads: links::LinkReadCounters,
    /// Held for the store's lifetime; the OS releases it if the process dies.
    _lock: Option<File>,
    /// The linker lease of an in-memory store (an on-disk one locks
    /// [`LINKER_LOCK_FILE`]).
    memory_linker: crate::lease::LocalLease,
    /// How many stored articles the index lacked when a read-only store
    /// was opened (0 for a writer, which catches up on open).
    index_behind_at_open: u64,
}

struct WriterState {
    conn: Connection,
    index_writer: IndexWriter,
    /// The watermark of the last index commit.
    indexed_upto: i64,
}

/// An error from a storage library, or a finished [`StoreError`], before
/// the store adds what it was doing and where.
pub(crate) enum Fail {
    Sql(rusqlite::Error),
    Index(tantivy::TantivyError),
    Store(StoreError),
}

impl From<rusqlite::Error> for Fail {
    fn from(e: rusqlite::Error) -> Fail {
        Fail::Sql(e)
    }
}

impl From<tantivy::TantivyError> for Fail {
    fn from(e: tantivy::TantivyError) -> Fail {
        Fail::Index(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Fail {
        Fail::Store(e)
    }
}

impl Fail {
    /// The error for a failure while doing `action` on the store at `path`.
    pub(crate) fn at(self, path: &Path, action: &'static str) -> StoreError {
        self.at2(path, path, action)
    }

    fn at2(self, db_path: &Path, index_path: &Path, action: &'static str) -> StoreError {
        match self {
            Fail::Store(e) => e,
            Fail::Sql(e) => match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                    StoreError::Busy {
                        path: db_path.to_path_buf(),
                        timeout_ms: BUSY_TIMEOUT_MS,
                    }
                }
                _ => StoreError::Database {
                    action,
                    path: db_path.to_path_buf(),
                    source: Box::new(e),
                },
            },
            Fail::Index(tantivy::TantivyError::LockFailure(..)) => StoreError::Locked {
                dir: index_path.parent().unwrap_or(index_path).to_path_buf(),
                holder: None,
            },
            Fail::Index(e) => StoreError::Index {
                action,
                path: index_path.to_path_buf(),
                source: Box::new(e),
            },
        }
    }
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Settings every connection gets.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Plans that depend on bound values (SQLite's STAT4 estimates) would be
    // re-prepared whenever a cached statement is bound anew; the linker runs
    // the same few lookups thousands of times per second.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// Settings of the writing connection to a file.
fn configure_file_writer(conn: &Connection) -> rusqlite::Result<()> {
    configure(conn)?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        warn!(
            mode,
            "SQLite refused WAL mode; readers will wait for writers"
        );
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // A 64 MiB page cache (negative = KiB) keeps the B-tree interiors of a
    // store of millions of articles in memory; SQLite's 2 MiB default makes
    // every insert re-read index pages once the database outgrows it.
    conn.pragma_update(None, "cache_size", -65536)?;
    Ok(())
}

/// The lock file of the linker lease ([`Store::lease_linker`]): the
/// holder's description is written in it.
pub const LINKER_LOCK_FILE: &str = "linker.lock";

/// Holds the linker lock file; the OS releases it when the file is closed
/// or the process dies.
struct FileLease {
    _file: File,
}

impl crate::lease::Held for FileLease {
    fn check(&mut self) -> Result<(), StoreError> {
        // A file lock is never lost while its file is open.
        Ok(())
    }
}

/// Takes the linker lock in `dir` for `holder`, at once or not at all.
fn take_linker_lock(dir: &Path, holder: &str) -> Result<crate::LinkerLease, StoreError> {
    let path = dir.join(LINKER_LOCK_FILE);
    let mut file = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&path)
        .map_err(io("open the lock file", &path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(&path)
                .ok()
                .map(|h| crate::lease::clean_holder(&h))
                .filter(|h| !h.is_empty());
            return Err(StoreError::LinkerBusy {
                store: dir.display().to_string(),
                holder,
            });
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io("lock", &path)(e)),
    }
    // Best effort: the name only makes another linker's message better.
    let written = file
        .set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)))
        .and_then(|_| writeln!(file, "{}", crate::lease::clean_holder(holder)))
        .and_then(|()| file.flush());
    if let Err(e) = written {
        tracing::debug!(error = %e, path = %path.display(), "could not record the linker's name");
    }
    Ok(crate::LinkerLease::new(FileLease { _file: file }))
}

/// How often a writer waiting for the lock tries again.
const LOCK_POLL: Duration = Duration::from_millis(100);

/// Takes the exclusive writer lock on `dir`'s lock file, trying again
/// until `wait` has passed, and writes this process's id into the file so
/// a writer that waits can name the one it waits for. The OS releases the
/// lock when the file is closed or the process dies, so a killed writer
/// never leaves a stale lock behind (the id left in the file is only read
/// while the lock is held).
fn take_writer_lock(
    dir: &Path,
    wait: Duration,
    on_wait: impl FnOnce(Option<u32>),
) -> Result<File, StoreError> {
    let lock_path = dir.join(LOCK_FILE);
    let mut lock = File::options()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .map_err(io("open the lock file", &lock_path))?;
    let started = Instant::now();
    let mut on_wait = Some(on_wait);
    loop {
        match lock.try_lock() {
            Ok(()) => break,
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = lock_holder(&lock_path);
                if started.elapsed() >= wait {
                    return Err(StoreError::Locked {
                        dir: dir.to_path_buf(),
                        holder,
                    });
                }
                if let Some(f) = on_wait.take() {
                    f(holder);
                }
                std::thread::sleep(LOCK_POLL.min(wait.saturating_sub(started.elapsed())));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io("lock", &lock_path)(e)),
        }
    }
    // Best effort: the id only makes a waiting writer's message better.
    let written = lock
        .set_len(0)
        .and_then(|()| lock.seek(SeekFrom::Start(0)))
        .and_then(|_| writeln!(lock, "{}", std::process::id()))
        .and_then(|()| lock.flush());
    if let Err(e) = written {
        tracing::debug!(error = %e, path = %lock_path.display(), "could not record the writer's process id");
    }
    Ok(lock)
}

/// The process id the current writer wrote into the lock file, if readable.
fn lock_holder(lock_path: &Path) -> Option<u32> {
    std::fs::read_to_string(lock_path).ok()?.trim().parse().ok()
}

impl SqliteStore {
    /// Opens (creating if needed) the store in `dir` for reading and writing:
    /// takes the writer lock, upgrades the schema, opens or rebuilds the
    /// full-text index and indexes any article the index is missing. Fails
    /// at once with [`StoreError::Locked`] while another writer holds the
    /// lock; [`SqliteStore::open_waiting`] waits for it instead.
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_waiting(dir, Duration::ZERO, |_| {})
    }

    /// [`SqliteStore::open`], waiting up to `wait` for another writer to
    /// release the lock. `on_wait` is called once, when the first attempt
    /// finds the lock held, with the holder's process id when it is known,
    /// so a caller can say what it is waiting for.
    pub fn open_waiting(
        dir: &Path,
        wait: Duration,
        on_wait: impl FnOnce(Option<u32>),
    ) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(io("create the data directory", dir))?;
        let lock = take_writer_lock(dir, wait, on_wait)?;
        let db_path = dir.join(DB_FILE);
        let mut conn = Connection::open_with_flags(
            &db_path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| Fail::from(e).at(&db_path, "opening the database"))?;
        configure_file_writer(&conn).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotAStore {
                path: db_path.clone(),
                reason: "the file is not a SQLite database".into(),
            },
            _ => Fail::from(e).at(&db_path, "configuring the database"),
        })?;
        schema::migrate(&mut conn, &db_path, dir)?;

        let index_path = dir.join(INDEX_DIR);
        let (index, watermark) = FullTextIndex::open_or_rebuild(&index_path)?;
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, INDEX_THREADS);
        let index_writer = index
            .writer(threads, INDEX_MEMORY_BUDGET)
            .map_err(|e| e.at(&index_path, "opening the index writer"))?;
        let store = SqliteStore {
            dir: dir.to_path_buf(),
            db_path,
            writer: Some(Mutex::new(WriterState {
                conn,
                index_writer,
                indexed_upto: watermark,
            })),
            readers: Some(Mutex::new(Vec::new())),
            index,
            index_stale: AtomicBool::new(false),
            link_reads: links::LinkReadCounters::default(),
            _lock: Some(lock),
            memory_linker: Default::default(),
            index_behind_at_open: 0,
        };
        store.repair_index()?;
        Ok(store)
    }

    /// A store in RAM (database and index), gone when dropped: for tests and
    /// one-shot runs. Behaves as a file-backed store in every other way.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let path = PathBuf::from(":memory:");
        let mut conn = Connection::open_in_memory()
            .map_err(|e| Fail::from(e).at(&path, "opening the database"))?;
        configure(&conn).map_err(|e| Fail::from(e).at(&path, "configuring the database"))?;
        schema::migrate(&mut conn, &path, &path)?;
        let index = FullTextIndex::in_ram().map_err(|e| e.at(&path, "creating the index"))?;
        let index_writer = index
            .writer(1, 15_000_000)
            .map_err(|e| e.at(&path, "opening the index writer"))?;
        Ok(SqliteStore {
            dir: path.clone(),
            db_path: path,
            writer: Some(Mutex::new(WriterState {
                conn,
                index_writer,
                indexed_upto: 0,
            })),
            readers: None,
            index,
            index_stale: AtomicBool::new(false),
            link_reads: links::LinkReadCounters::default(),
            _lock: None,
            memory_linker: Default::default(),
            index_behind_at_open: 0,
        })
    }

    /// Opens the store in `dir` for reading only, beside a writer that may
    /// be running: no lock, no schema upgrade, no index repair. Searches see
    /// what the index had committed when they ran; writes fail with
    /// [`StoreError::ReadOnly`].
    pub fn open_read_only(dir: &Path) -> Result<SqliteStore, StoreError> {
        let db_path = dir.join(DB_FILE);
        if !db_path.is_file() {
            return Err(StoreError::Io {
                action: "open the database",
                path: db_path,
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no storyline store here (ingest something first)",
                ),
            });
        }
        let conn = open_reader(&db_path)?;
        let found = schema::check(&conn, &db_path, dir)?;
        if found < SCHEMA_VERSION {
            return Err(StoreError::NeedsUpgrade {
                dir: dir.to_path_buf(),
                found,
                needed: SCHEMA_VERSION,
            });
        }
        let (index, watermark) = FullTextIndex::open_read_only(&dir.join(INDEX_DIR))?;
        let max_seq: i64 = conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                r.get(0)
            })
            .map_err(|e| Fail::from(e).at(&db_path, "reading the last article's number"))?;
        Ok(SqliteStore {
            index_behind_at_open: u64::try_from(max_seq - watermark).unwrap_or(0),
            dir: dir.to_path_buf(),
            db_path,
            writer: None,
            readers: Some(Mutex::new(vec![conn])),
            index,
            index_stale: AtomicBool::new(false),
            link_reads: links::LinkReadCounters::default(),
            _lock: None,
            memory_linker: Default::default(),
        })
    }

    /// How many stored articles the full-text index lacked when this
    /// read-only store was opened: a writer killed between its database
    /// commit and its index commit leaves some, and the next writer to open
    /// indexes them. Always 0 for a store opened for writing.
    pub fn index_behind_at_open(&self) -> u64 {
        self.index_behind_at_open
    }

    /// The data directory (`:memory:` for an in-memory store).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn err(&self, action: &'static str) -> impl FnOnce(Fail) -> StoreError + '_ {
        move |f| f.at2(&self.db_path, &self.index.path, action)
    }

    fn writer(&self, action: &'static str) -> Result<MutexGuard<'_, WriterState>, StoreError> {
        match &self.writer {
            None => Err(StoreError::ReadOnly {
                action,
                path: self.dir.clone(),
            }),
            Some(m) => m.lock().map_err(|_| StoreError::Poisoned),
        }
    }

    /// Runs `f` on a read connection.
    fn read<T>(
        &self,
        action: &'static str,
        f: impl FnOnce(&Connection) -> Result<T, Fail>,
    ) -> Result<T, StoreError> {
        let Some(pool) = &self.readers else {
            let state = self.writer(action)?;
            return f(&state.conn).map_err(self.err(action));
        };
        let idle = pool.lock().map_err(|_| StoreError::Poisoned)?.pop();
        let conn = match idle {
            Some(c) => c,
            None => open_reader(&self.db_path)?,
        };
        let result = f(&conn).map_err(self.err(action));
        let mut pool = pool.lock().map_err(|_| StoreError::Poisoned)?;
        if pool.len() < MAX_IDLE_READERS {
            pool.push(conn);
        }
        result
    }

    /// Checks the index against the database on open and brings it up to
    /// date. An index claiming more than the database holds (the database
    /// was replaced), or holding a different number of documents than it
    /// claims, is cleared and rebuilt.
    fn repair_index(&self) -> Result<(), StoreError> {
        let mut state = self.writer("open the store")?;
        let st = &mut *state;
        let (max_seq, covered): (i64, i64) = st
            .conn
            .query_row(
                "SELECT COALESCE(MAX(seq), 0), (SELECT COUNT(*) FROM articles WHERE seq <= ?1) FROM articles",
                [st.indexed_upto],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| Fail::from(e).at(&self.db_path, "checking the index"))?;
        let docs = self.index.num_docs();
        if st.indexed_upto > max_seq || u64::try_from(covered).ok() != Some(docs) {
            warn!(
                index = %self.index.path.display(),
                watermark = st.indexed_upto, max_seq, covered, docs,
                "the full-text index does not match the database; rebuilding it"
            );
            st.index_writer
                .delete_all_documents()
                .map_err(|e| Fail::from(e).at(&self.index.path, "clearing the index"))?;
            st.indexed_upto = 0;
        }
        let behind = max_seq - st.indexed_upto;
        if behind > 0 && st.indexed_upto == 0 {
            warn!(
                index = %self.index.path.display(),
                articles = behind,
                "the full-text index is empty; rebuilding it from the database"
            );
        } else if behind > 0 {
            info!(
                articles = behind,
                "indexing articles missing from the full-text index"
            );
        }
        if let Err(e) = self.catch_up(st) {
            warn!(error = %e, "could not bring the full-text index up to date; search may miss recent articles until it succeeds");
        }
        Ok(())
    }

    /// Indexes every article above the watermark in one index commit.
    /// Returns how many were indexed. On failure nothing is committed and
    /// the watermark stays, so the next call retries the same articles.
    fn catch_up(&self, st: &mut WriterState) -> Result<u64, StoreError> {
        let result = self.catch_up_inner(st);
        if result.is_err() {
            self.index_stale.store(true, Ordering::SeqCst);
            if let Err(e) = st.index_writer.rollback() {
                warn!(error = %e, "rolling back the failed index write also failed");
            }
        } else {
            self.index_stale.store(false, Ordering::SeqCst);
        }
        result.map_err(self.err("indexing articles"))
    }

    fn catch_up_inner(&self, st: &mut WriterState) -> Result<u64, Fail> {
        let max_seq: i64 =
            st.conn
                .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
                    r.get(0)
                })?;
        if max_seq <= st.indexed_upto {
            return Ok(0);
        }
        let mut n = 0;
        {
            let mut stmt = st.conn.prepare_cached(
                "SELECT id, title, text, source_key, published_day FROM articles
                 WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
            )?;
            let mut rows = stmt.query([st.indexed_upto, max_seq])?;
            while let Some(row) = rows.next()? {
                let day: Option<String> = row.get(4)?;
                self.index.upsert(
                    &st.index_writer,
                    IndexRow {
                        id: row.get(0)?,
                        title: row.get(1)?,
                        text: row.get(2)?,
                        source_key: row.get(3)?,
                        day: day.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    },
                )?;
                n += 1;
            }
        }
        self.index.commit(&mut st.index_writer, max_seq)?;
        st.indexed_upto = max_seq;
        Ok(n)
    }

    /// The SQL half of [`Store::put_articles`]: one transaction.
    fn write_batch(
        &self,
        st: &mut WriterState,
        batch: &[NewArticle],
    ) -> Result<PutReport, StoreError> {
        let action = "storing a batch of articles";
        let mut report = PutReport::default();
        let tx = st
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(action)(e.into()))?;
        validate_batch(batch, |id| contains(&tx, id).map_err(self.err(action)))?;
        (|| -> Result<(), Fail> {
            let mut insert = tx.prepare_cached(
                "INSERT INTO articles (id, content_hash, duplicate_group, published, published_day,
                     published_sort, provenance, source, source_key, title, ingested_at, text,
                     minhash, article_json)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
                 ON CONFLICT (id) DO NOTHING",
            )?;
            let mut band = tx.prepare_cached(
                "INSERT OR IGNORE INTO lsh_bands (band, article_seq) VALUES (?1, ?2)",
            )?;
            let mut analysis = tx.prepare_cached(
                "INSERT INTO analyses (article_seq, article_id, analyzer, json)
                 VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (i, new) in batch.iter().enumerate() {
                let a = &new.article;
                let mut stored = a.clone();
                stored.draft.text = String::new();
                let json =
                    serde_json::to_string(&stored).map_err(|e| StoreError::InvalidArticle {
                        index: i,
                        id: a.id.to_string(),
                        reason: format!("it cannot be serialised: {e}"),
                    })?;
                let published = a.draft.published.as_ref();
                let minhash: Vec<u8> = new.minhash.iter().flat_map(|h| h.to_le_bytes()).collect();
                let changed = insert.execute(params![
                    a.id.as_str(),
                    a.content_hash,
                    a.duplicate_group.as_str(),
                    published.map(|t| t.to_string()),
                    published.map(|t| filter_day(t).format("%Y-%m-%d").to_string()),
                    published.map(sort_key),
                    a.draft.published_provenance.as_str(),
                    a.draft.source,
                    a.draft.source.as_deref().map(source_key),
                    a.draft.title,
                    a.ingested_at.to_string(),
                    a.draft.text,
                    minhash,
                    json,
                ])?;
                if changed == 0 {
                    report.already_present.push(a.id.clone());
                    continue;
                }
                let seq = tx.last_insert_rowid();
                for &b in &new.lsh_bands {
                    band.execute(params![b as i64, seq])?;
                }
                // Unanalysed articles get their row too (NULLs), so that
                // `stale_analyses` finds them in the analyser index.
                let given = new.analysis.as_ref();
                analysis.execute(params![
                    seq,
                    a.id.as_str(),
                    given.map(|x| &x.analyzer),
                    given.map(|x| &x.json),
                ])?;
                report.inserted.push(a.id.clone());
            }
            Ok(())
        })()
        .map_err(self.err(action))?;
        tx.commit().map_err(|e| self.err(action)(e.into()))?;
        Ok(report)
    }

    /// Simulates a crash between the database commit and the index commit:
    /// writes the batch to SQLite only.
    #[cfg(test)]
    fn put_articles_without_indexing(&self, batch: &[NewArticle]) -> Result<PutReport, StoreError> {
        let mut state = self.writer("store articles")?;
        let report = self.write_batch(&mut state, batch)?;
        self.index_stale.store(true, Ordering::SeqCst);
        Ok(report)
    }

    /// Brings the index up to date before a search if an earlier index
    /// write failed (writers), or reloads the reader to see another
    /// process's commits (read-only stores).
    fn refresh_index(&self) -> Result<(), StoreError> {
        match &self.writer {
            Some(_) if self.index_stale.load(Ordering::SeqCst) => {
                let mut state = self.writer("search")?;
                self.catch_up(&mut state).map(|_| ())
            }
            Some(_) => Ok(()),
            None => self
                .index
                .reader
                .reload()
                .map_err(|e| self.err("reloading the index")(e.into())),
        }
    }
}

fn open_reader(db_path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        db_path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Fail::from(e).at(db_path, "opening a read connection"))?;
    configure(&conn).map_err(|e| Fail::from(e).at(db_path, "configuring a read connection"))?;
    Ok(conn)
}

fn contains(conn: &Connection, id: &ArticleId) -> Result<bool, Fail> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM articles WHERE id = ?1")?
        .exists([id.as_str()])?)
}

fn parse_id(s: &str) -> Result<ArticleId, Fail> {
    s.parse().map_err(|e: storyline_core::ParseIdError| {
        Fail::Store(StoreError::Corrupt {
            what: "article id".into(),
            reason: e.to_string(),
        })
    })
}

fn decode_article(id: &str, text: String, json: &str) -> Result<Article, Fail> {
    let mut article: Article = serde_json::from_str(json).map_err(|e| {
        Fail::Store(StoreError::Corrupt {
            what: format!("article {id}"),
            reason: e.to_string(),
        })
    })?;
    article.draft.text = text;
    Ok(article)
}

fn parse_timestamp(what: &str, s: &str) -> Result<Timestamp, Fail> {
    Timestamp::parse(s).map_err(|e| {
        Fail::Store(StoreError::Corrupt {
            what: what.to_string(),
            reason: e.to_string(),
        })
    })
}

/// The SQL that finds articles sharing band hashes; `{}` is the list of
/// placeholders. Its plan must be an index search (tested).
/// The earliest articles in one LSH bucket: a range scan of the primary key
/// `(band, article_seq)`, bounded by the limit however full the bucket is.
const CANDIDATES_SQL: &str =
    "SELECT article_seq FROM lsh_bands WHERE band = ?1 ORDER BY article_seq LIMIT ?2";

// The queries behind `stale_analyses` name their index: with statistics
// that say most rows match, SQLite would rather walk the table in seq
// order, reading every analysis on the way. `INDEXED BY` makes that
// impossible (the statement fails to prepare if the index cannot serve it).

/// The next analyser name after `?1` among stored analyses: one step of a
/// walk over the distinct analysers by index seeks (tested).
const NEXT_ANALYZER_SQL: &str = "SELECT analyzer FROM analyses INDEXED BY analyses_by_analyzer
     WHERE analyzer > ?1 ORDER BY analyzer LIMIT 1";
/// Unanalysed articles before seq `?1`, in ingest order (tested: index only).
const UNANALYZED_SQL: &str =
    "SELECT article_seq, article_id FROM analyses INDEXED BY analyses_by_analyzer
     WHERE analyzer IS NULL AND article_seq < ?1 ORDER BY article_seq LIMIT ?2";
/// Articles analysed by `?1` before seq `?2`, in ingest order (tested: index only).
const ANALYZED_BY_SQL: &str =
    "SELECT article_seq, article_id FROM analyses INDEXED BY analyses_by_analyzer
     WHERE analyzer = ?1 AND article_seq < ?2 ORDER BY article_seq LIMIT ?3";
/// An article's analysis, by id (tested: index lookups).
const ANALYSIS_SQL: &str = "SELECT n.analyzer, n.json FROM articles AS a
     JOIN analyses AS n ON n.article_seq = a.seq WHERE a.id = ?1";

/// The first `limit` (by seq) of the stale articles found so far and one
/// more list of them, each in seq order; returns the seq a later list's
/// articles must be below to matter.
pub(crate) fn keep_first(
    found: &mut Vec<(i64, String)>,
    more: Vec<(i64, String)>,
    limit: usize,
) -> i64 {
    found.extend(more);
    found.sort_unstable_by_key(|(seq, _)| *seq);
    found.truncate(limit);
    match found.last() {
        Some((seq, _)) if found.len() == limit => *seq,
        _ => i64::MAX,
    }
}

impl Store for SqliteStore {
    fn put_articles(&self, batch: &[NewArticle]) -> Result<PutReport, StoreError> {
        let mut state = self.writer("store articles")?;
        let report = self.write_batch(&mut state, batch)?;
        if !report.inserted.is_empty() {
            if let Err(e) = self.catch_up(&mut state) {
                // The batch is committed; the index catches up on the next
                // batch, search or open.
                warn!(error = %e, "articles stored but not yet searchable");
            }
        }
        Ok(report)
    }

    fn article(&self, id: &ArticleId) -> Result<Option<Article>, StoreError> {
        self.read("reading an article", |conn| {
            let row: Option<(String, String)> = conn
                .prepare_cached("SELECT text, article_json FROM articles WHERE id = ?1")?
                .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            row.map(|(text, json)| decode_article(id.as_str(), text, &json))
                .transpose()
        })
    }

    fn contains(&self, id: &ArticleId) -> Result<bool, StoreError> {
        self.read("looking up an article", |conn| contains(conn, id))
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>, StoreError> {
        let mut conds: Vec<&str> = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(source) = &filter.source {
            conds.push("source_key = ?");
            args.push(SqlValue::Text(source_key(source)));
        }
        if let Some(since) = filter.since {
            conds.push("published_day >= ?");
            args.push(SqlValue::Text(since.format("%Y-%m-%d").to_string()));
        }
        if let Some(until) = filter.until {
            conds.push("published_day <= ?");
            args.push(SqlValue::Text(until.format("%Y-%m-%d").to_string()));
        }
        if let Some(p) = filter.provenance {
            conds.push("provenance = ?");
            args.push(SqlValue::Text(p.as_str().to_string()));
        }
        let mut sql = String::from("SELECT id, text, article_json FROM articles");
        if !conds.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conds.join(" AND "));
        }
        sql.push_str(" ORDER BY published_sort IS NULL, published_sort, seq LIMIT ? OFFSET ?");
        args.push(SqlValue::Integer(
            filter
                .limit
                .map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX)),
        ));
        args.push(SqlValue::Integer(
            i64::try_from(filter.offset).unwrap_or(i64::MAX),
        ));
        self.read("listing articles", |conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let id: String = row.get(0)?;
                let json: String = row.get(2)?;
                out.push(decode_article(&id, row.get(1)?, &json)?);
            }
            Ok(out)
        })
    }

    fn resolve_id_prefix(&self, prefix: &str) -> Result<Vec<ArticleId>, StoreError> {
        let p = normalize_id_prefix(prefix)?;
        // Ids are lowercase hex and 'g' sorts after every hex digit, so this
        // range is exactly the ids starting with `p`: an index range read.
        let upper = format!("{p}g");
        self.read("resolving an id prefix", |conn| {
            let mut stmt = conn
                .prepare_cached("SELECT id FROM articles WHERE id >= ?1 AND id < ?2 ORDER BY id")?;
            let ids = stmt
                .query_map([&p, &upper], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            ids.iter().map(|s| parse_id(s)).collect()
        })
    }

    fn near_duplicate_candidates(
        &self,
        bands: &[u64],
        limit: usize,
    ) -> Result<Vec<(ArticleId, ArticleId, Vec<u32>)>, StoreError> {
        let mut bands = bands.to_vec();
        bands.sort_unstable();
        bands.dedup();
        if bands.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        self.read("finding near-duplicate candidates", |conn| {
            let mut shared: HashMap<i64, u32> = HashMap::new();
            let mut stmt = conn.prepare_cached(CANDIDATES_SQL)?;
            for &band in &bands {
                let seqs = stmt.query_map(
                    rusqlite::params![band as i64, MAX_CANDIDATES_PER_BAND as i64],
                    |r| r.get::<_, i64>(0),
                )?;
                for seq in seqs {
                    *shared.entry(seq?).or_default() += 1;
                }
            }
            let mut ranked: Vec<(i64, u32)> = shared.into_iter().collect();
            ranked.sort_by(|(sa, ca), (sb, cb)| cb.cmp(ca).then(sa.cmp(sb)));
            ranked.truncate(limit);
            // One statement for all candidates (`limit` is small), in rank order.
            let placeholders = vec!["?"; ranked.len()].join(",");
            let mut stmt = conn.prepare(&format!(
                "SELECT seq, id, duplicate_group, minhash FROM articles WHERE seq IN ({placeholders})"
            ))?;
            let mut rows: HashMap<i64, (String, String, Vec<u8>)> = HashMap::new();
            let found = stmt.query_map(
                rusqlite::params_from_iter(ranked.iter().map(|(seq, _)| *seq)),
                |r| Ok((r.get::<_, i64>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))),
            )?;
            for row in found {
                let (seq, values) = row?;
                rows.insert(seq, values);
            }
            let mut out = Vec::with_capacity(ranked.len());
            for (seq, _) in ranked {
                let Some((id, group, minhash)) = rows.remove(&seq) else {
                    continue;
                };
                let signature = minhash
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                out.push((parse_id(&id)?, parse_id(&group)?, signature));
            }
            Ok(out)
        })
    }

    fn search_count(&self, q: &SearchQuery) -> Result<u64, StoreError> {
        let plan = query::parse(&q.text);
        if plan.include.is_empty() {
            return Ok(0);
        }
        if let Err(e) = self.refresh_index() {
            warn!(error = %e, "counting in an index that may miss recent articles");
        }
        let action = "counting search hits";
        let key = q.source.as_deref().map(source_key);
        let Some(index::BuiltQuery { full, .. }) = self
            .index
            .build_query(&plan, key.as_deref(), q.since, q.until)
            .map_err(self.err(action))?
        else {
            return Ok(0);
        };
        let n = self
            .index
            .reader
            .searcher()
            .search(&*full, &tantivy::collector::Count)
            .map_err(|e| self.err(action)(e.into()))?;
        Ok(n as u64)
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let limit = q.limit.min(MAX_SEARCH_LIMIT);
        let plan = query::parse(&q.text);
        if limit == 0 || plan.include.is_empty() {
            return Ok(Vec::new());
        }
        if let Err(e) = self.refresh_index() {
            warn!(error = %e, "searching an index that may miss recent articles");
        }
        let action = "searching";
        let key = q.source.as_deref().map(source_key);
        let Some(index::BuiltQuery { full, positive }) = self
            .index
            .build_query(&plan, key.as_deref(), q.since, q.until)
            .map_err(self.err(action))?
        else {
            return Ok(Vec::new());
        };
        let searcher = self.index.reader.searcher();
        let top = searcher
            .search(
                &*full,
                &TopDocs::with_limit(limit)
                    .and_offset(q.offset.min(crate::MAX_SEARCH_OFFSET))
                    .order_by_score(),
            )
            .map_err(|e| self.err(action)(e.into()))?;
        let mut snippets = SnippetGenerator::create(&searcher, &*positive, self.index.fields.text)
            .map_err(|e| self.err(action)(e.into()))?;
        snippets.set_max_num_chars(query::SNIPPET_CHARS);
        let mut ids = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher
                .doc(address)
                .map_err(|e| self.err(action)(e.into()))?;
            if let Some(id) = doc.get_first(self.index.fields.id).and_then(|v| v.as_str()) {
                ids.push((score, id.to_string()));
            }
        }
        self.read(action, |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT title, source, published, text FROM articles WHERE id = ?1",
            )?;
            let mut hits = Vec::with_capacity(ids.len());
            for (score, id) in ids {
                type Row = (Option<String>, Option<String>, Option<String>, String);
                let row: Option<Row> = stmt
                    .query_row([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                    .optional()?;
                let Some((title, source, published, text)) = row else {
                    warn!(id, "the index names an article the database does not have");
                    continue;
                };
                let snippet = snippets.snippet(&text);
                let (snippet, highlights) = if snippet.is_empty() {
                    query::opening(&text)
                } else {
                    let range = snippet.fragment_range();
                    query::render_snippet(
                        snippet.fragment(),
                        snippet.highlighted(),
                        range.start > 0,
                        range.end < text.len(),
                    )
                };
                hits.push(SearchHit {
                    id: parse_id(&id)?,
                    title,
                    source,
                    published: published
                        .map(|p| parse_timestamp(&format!("published date of article {id}"), &p))
                        .transpose()?,
                    score,
                    snippet,
                    highlights,
                });
            }
            Ok(hits)
        })
    }

    fn reindex(&self) -> Result<u64, StoreError> {
        let mut state = self.writer("rebuild the index")?;
        state
            .index_writer
            .delete_all_documents()
            .map_err(|e| self.err("clearing the index")(e.into()))?;
        // The clearing is committed on its own before anything is added:
        // documents added in the same commit as `delete_all_documents` were
        // once found missing after a rebuild under load (a CI run), and an
        // empty index with watermark 0 is a state the next open catches up
        // from anyway.
        self.index
            .commit(&mut state.index_writer, 0)
            .map_err(self.err("clearing the index"))?;
        state.indexed_upto = 0;
        let n = self.catch_up(&mut state)?;
        info!(articles = n, "rebuilt the full-text index");
        Ok(n)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let index_documents = self.index.num_docs();
        self.read("computing statistics", |conn| {
            let count = |sql: &str| -> Result<u64, Fail> {
                let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
                Ok(u64::try_from(n).unwrap_or(0))
            };
            let mut stats = StoreStats {
                articles: count("SELECT COUNT(*) FROM articles")?,
                duplicates: count("SELECT COUNT(*) FROM articles WHERE id != duplicate_group")?,
                duplicate_groups_with_copies: count(
                    "SELECT COUNT(DISTINCT duplicate_group) FROM articles WHERE id != duplicate_group",
                )?,
                ingest_runs: count("SELECT COUNT(*) FROM ingest_runs")?,
                problems_recorded: count("SELECT COUNT(*) FROM run_problems")?,
                schema_version: SCHEMA_VERSION,
                index_documents,
                ..StoreStats::default()
            };
            let mut stmt = conn.prepare_cached(
                "SELECT MIN(source), COUNT(*) AS n FROM articles WHERE source_key IS NOT NULL
                 GROUP BY source_key ORDER BY n DESC, source_key",
            )?;
            stats.sources = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                .map(|r| r.map(|(s, n)| (s, u64::try_from(n).unwrap_or(0))))
                .collect::<Result<_, _>>()?;
            let mut stmt =
                conn.prepare_cached("SELECT provenance, COUNT(*) FROM articles GROUP BY provenance")?;
            let counts: HashMap<String, i64> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            stats.by_provenance = DateProvenance::ALL
                .into_iter()
                .filter_map(|p| {
                    counts
                        .get(p.as_str())
                        .map(|&n| (p, u64::try_from(n).unwrap_or(0)))
                })
                .collect();
            let edge = |order: &str| -> Result<Option<Timestamp>, Fail> {
                let p: Option<String> = conn
                    .query_row(
                        &format!(
                            "SELECT published FROM articles WHERE published_sort IS NOT NULL
                             ORDER BY published_sort {order}, seq LIMIT 1"
                        ),
                        [],
                        |r| r.get(0),
                    )
                    .optional()?
                    .flatten();
                p.map(|p| parse_timestamp("published date", &p)).transpose()
            };
            let mut stmt = conn.prepare_cached(
                "SELECT analyzer, COUNT(*) AS n FROM analyses WHERE analyzer IS NOT NULL
                 GROUP BY analyzer ORDER BY n DESC, analyzer",
            )?;
            stats.analyzers = stmt
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                .map(|r| r.map(|(a, n)| (a, u64::try_from(n).unwrap_or(0))))
                .collect::<Result<_, _>>()?;
            stats.earliest = edge("ASC")?;
            stats.latest = edge("DESC")?;
            Ok(stats)
        })
    }

    fn record_run(
        &self,
        inputs: &[String],
        problems: &[Problem],
        summary: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let action = "recording an ingest run";
        let mut state = self.writer(action)?;
        let encode = |what: &str, r: serde_json::Result<String>| {
            r.map_err(|e| {
                Fail::Store(StoreError::Corrupt {
                    what: what.to_string(),
                    reason: e.to_string(),
                })
            })
        };
        (|| -> Result<(), Fail> {
            let tx = state
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO ingest_runs (recorded_at, inputs_json, summary_json) VALUES (?1, ?2, ?3)",
                params![
                    now().to_string(),
                    encode("run inputs", serde_json::to_string(inputs))?,
                    encode("run summary", serde_json::to_string(summary))?,
                ],
            )?;
            let run = tx.last_insert_rowid();
            {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO run_problems (run, position, problem_json) VALUES (?1, ?2, ?3)",
                )?;
                for (i, p) in problems.iter().enumerate() {
                    stmt.execute(params![
                        run,
                        i as i64,
                        encode("problem", serde_json::to_string(p))?
                    ])?;
                }
            }
            tx.commit()?;
            Ok(())
        })()
        .map_err(self.err(action))
    }

    fn runs(&self, limit: usize) -> Result<Vec<IngestRun>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read("listing ingest runs", |conn| {
            let decode = |what: &str, s: &str| -> Result<serde_json::Value, Fail> {
                serde_json::from_str(s).map_err(|e| {
                    Fail::Store(StoreError::Corrupt {
                        what: what.to_string(),
                        reason: e.to_string(),
                    })
                })
            };
            let mut stmt = conn.prepare_cached(
                "SELECT run, recorded_at, inputs_json, summary_json FROM ingest_runs
                 ORDER BY run DESC LIMIT ?1",
            )?;
            let rows = stmt
                .query_map([limit], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let mut problems_stmt = conn.prepare_cached(
                "SELECT problem_json FROM run_problems WHERE run = ?1 ORDER BY position",
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for (run, at, inputs, summary) in rows {
                let what = format!("ingest run {run}");
                let inputs: Vec<String> =
                    serde_json::from_value(decode(&what, &inputs)?).map_err(|e| {
                        Fail::Store(StoreError::Corrupt {
                            what: what.clone(),
                            reason: e.to_string(),
                        })
                    })?;
                let problems = problems_stmt
                    .query_map([run], |r| r.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?
                    .iter()
                    .map(|p| {
                        serde_json::from_str::<Problem>(p).map_err(|e| {
                            Fail::Store(StoreError::Corrupt {
                                what: what.clone(),
                                reason: e.to_string(),
                            })
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                out.push(IngestRun {
                    run: u64::try_from(run).unwrap_or(0),
                    recorded_at: parse_timestamp(&what, &at)?,
                    inputs,
                    problems,
                    summary: decode(&what, &summary)?,
                });
            }
            Ok(out)
        })
    }

    fn analysis(&self, id: &ArticleId) -> Result<Option<StoredAnalysis>, StoreError> {
        self.read("reading an analysis", |conn| {
            let row: Option<(Option<String>, Option<String>)> = conn
                .prepare_cached(ANALYSIS_SQL)?
                .query_row([id.as_str()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            Ok(match row {
                Some((Some(analyzer), Some(json))) => Some(StoredAnalysis { analyzer, json }),
                _ => None,
            })
        })
    }

    fn put_analyses(&self, analyses: &[(ArticleId, StoredAnalysis)]) -> Result<(), StoreError> {
        let action = "storing analyses";
        let mut state = self.writer(action)?;
        let tx = state
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(action)(e.into()))?;
        validate_analyses(analyses, |id| contains(&tx, id).map_err(self.err(action)))?;
        (|| -> Result<(), Fail> {
            // Every article has its row (written with it, or by migration
            // 3), but an upsert costs nothing more and cannot lose an
            // analysis if one were missing.
            let mut upsert = tx.prepare_cached(
                "INSERT INTO analyses (article_seq, article_id, analyzer, json)
                 SELECT seq, id, ?2, ?3 FROM articles WHERE id = ?1
                 ON CONFLICT (article_seq) DO UPDATE
                 SET analyzer = excluded.analyzer, json = excluded.json",
            )?;
            for (id, analysis) in analyses {
                upsert.execute(params![id.as_str(), analysis.analyzer, analysis.json])?;
            }
            Ok(())
        })()
        .map_err(self.err(action))?;
        tx.commit().map_err(|e| self.err(action)(e.into()))
    }

    fn stale_analyses(&self, current: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let sql_limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.read("listing stale analyses", |conn| {
            // The unanalysed articles, then those of each other analyser
            // (few: one per version ever used), each list in ingest order
            // from the index; merged, the first `limit` of them.
            let mut found: Vec<(i64, String)> = Vec::new();
            let rows = conn
                .prepare_cached(UNANALYZED_SQL)?
                .query_map(params![i64::MAX, sql_limit], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            let mut below = keep_first(&mut found, rows, limit);
            let mut next = conn.prepare_cached(NEXT_ANALYZER_SQL)?;
            let mut by = conn.prepare_cached(ANALYZED_BY_SQL)?;
            let mut after = String::new();
            while let Some(analyzer) = next
                .query_row([&after], |r| r.get::<_, String>(0))
                .optional()?
            {
                if analyzer != current {
                    let rows = by
                        .query_map(params![analyzer, below, sql_limit], |r| {
                            Ok((r.get(0)?, r.get(1)?))
                        })?
                        .collect::<Result<Vec<_>, _>>()?;
                    below = keep_first(&mut found, rows, limit);
                }
                after = analyzer;
            }
            found.iter().map(|(_, id)| parse_id(id)).collect()
        })
    }

    fn put_links(&self, linker: &str, batch: &LinkBatch) -> Result<(), StoreError> {
        self.put_links_impl(linker, batch)
    }

    fn link_records(&self, kind: &str, ids: &[String]) -> Result<Vec<LinkRecord>, StoreError> {
        let stored = bounded_keys(ids);
        let found = self.link_records_impl(kind, &stored)?;
        Ok(restore_ids(ids, &stored, found, |r| &mut r.id))
    }

    fn link_bodies(&self, kind: &str, ids: &[String]) -> Result<Vec<(String, String)>, StoreError> {
        let stored = bounded_keys(ids);
        let found = self.link_bodies_impl(kind, &stored)?;
        Ok(restore_ids(ids, &stored, found, |(id, _)| id))
    }

    fn link_lookup(
        &self,
        kind: &str,
        keys: &[String],
        per_key: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let stored = bounded_keys(keys);
        let found = self.link_lookup_impl(kind, &stored, per_key)?;
        Ok(restore_keys(keys, &stored, found))
    }

    fn link_scan(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<LinkRecord>, StoreError> {
        let after = after.map(bounded_link_key);
        self.link_scan_impl(kind, after.as_deref(), limit)
    }

    fn link_counters(&self, keys: &[String]) -> Result<Vec<i64>, StoreError> {
        self.link_counters_impl(&bounded_keys(keys))
    }

    fn unlinked(&self, linker: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError> {
        self.unlinked_impl(linker, limit)
    }

    fn reset_links(&self, linker: &str) -> Result<(), StoreError> {
        self.reset_links_impl(linker)
    }

    fn link_state(&self) -> Result<LinkState, StoreError> {
        self.link_state_impl()
    }

    fn articles_per_day(&self) -> Result<Vec<(chrono::NaiveDate, u64)>, StoreError> {
        self.read("counting articles per day", |conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT published_day, count(*) FROM articles WHERE published_day IS NOT NULL
                 GROUP BY published_day ORDER BY published_day",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (day, n) = row?;
                let day = chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|e| {
                    Fail::Store(StoreError::Corrupt {
                        what: format!("published day {day:?}"),
                        reason: e.to_string(),
                    })
                })?;
                out.push((day, u64::try_from(n).unwrap_or(0)));
            }
            Ok(out)
        })
    }

    fn lease_linker(&self, holder: &str) -> Result<crate::LinkerLease, StoreError> {
        if self.db_path == Path::new(":memory:") {
            return self.memory_linker.take(":memory:", holder);
        }
        take_linker_lock(&self.dir, holder)
    }
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("dir", &self.dir)
            .field("read_only", &self.writer.is_none())
            .finish_non_exhaustive()
    }
}
