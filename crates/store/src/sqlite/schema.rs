//! The SQLite schema: an ordered list of migrations, applied on open.
//!
//! The schema version is SQLite's `PRAGMA user_version`: the number of
//! migrations applied. Each migration runs in its own transaction together
//! with the version bump, so a crash mid-upgrade leaves the previous version
//! intact. A database whose version is above [`SCHEMA_VERSION`] was written by
//! a newer storyline and is refused rather than misread.
//!
//! **Never edit a released migration**: add a new one. The tests
//! `v1_store_upgrades` and `v2_store_upgrades` open databases made by the
//! frozen scripts in `testdata/` to hold us to it.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};
use tracing::info;

use crate::StoreError;

/// `PRAGMA application_id` of a storyline database ("STLN"), so a store can
/// tell its own files from other SQLite databases.
pub(crate) const APPLICATION_ID: i32 = 0x5354_4c4e;

/// Migration scripts, in order; migration `i` takes the schema from version
/// `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // v1: articles, their near-duplicate bands.
    r#"
    -- One row per article. `seq` is the ingest order and the full-text
    -- index's watermark: the index holds exactly the rows with seq <= the
    -- watermark in its last commit. AUTOINCREMENT so a seq is never reused.
    CREATE TABLE articles (
        seq             INTEGER PRIMARY KEY AUTOINCREMENT,
        id              TEXT    NOT NULL UNIQUE,
        content_hash    TEXT    NOT NULL,
        duplicate_group TEXT    NOT NULL
                        REFERENCES articles (id) DEFERRABLE INITIALLY DEFERRED,
        published       TEXT,              -- as the source gave it (ISO 8601)
        published_day   TEXT,              -- YYYY-MM-DD, UTC when known: filters
        published_sort  TEXT,              -- chronological sort key: ordering
        provenance      TEXT    NOT NULL,  -- DateProvenance::as_str
        source          TEXT,
        source_key      TEXT,              -- lower-cased source: filters
        title           TEXT,
        ingested_at     TEXT    NOT NULL,
        text            TEXT    NOT NULL,
        minhash         BLOB    NOT NULL,  -- u32 little-endian each
        article_json    TEXT    NOT NULL   -- the whole Article (serde), `text` emptied
    );
    CREATE INDEX articles_by_published ON articles (published_sort IS NULL, published_sort, seq);
    CREATE INDEX articles_by_day ON articles (published_day);
    CREATE INDEX articles_by_source ON articles (source_key, published_day);
    CREATE INDEX articles_by_group ON articles (duplicate_group);

    -- LSH band hash -> article, for near-duplicate candidates. Band hashes
    -- are u64 stored as i64 (same bits).
    CREATE TABLE lsh_bands (
        band        INTEGER NOT NULL,
        article_seq INTEGER NOT NULL REFERENCES articles (seq),
        PRIMARY KEY (band, article_seq)
    ) WITHOUT ROWID;
    "#,
    // v2: a log of ingest runs and the problems they reported; an index for
    // the provenance filter.
    r#"
    CREATE TABLE ingest_runs (
        run          INTEGER PRIMARY KEY AUTOINCREMENT,
        recorded_at  TEXT NOT NULL,
        inputs_json  TEXT NOT NULL,   -- JSON array of strings
        summary_json TEXT NOT NULL
    );
    CREATE TABLE run_problems (
        run          INTEGER NOT NULL REFERENCES ingest_runs (run),
        position     INTEGER NOT NULL,
        problem_json TEXT    NOT NULL, -- storyline_core::Problem (serde)
        PRIMARY KEY (run, position)
    ) WITHOUT ROWID;
    CREATE INDEX articles_by_provenance ON articles (provenance);
    "#,
    // v3: per-article analyses.
    r#"
    -- One row per article, written in the same transaction as the article
    -- (this migration adds one for each existing article): the engine's
    -- analysis of its text, an opaque JSON document, and the analyser
    -- (name/version) that made it; both NULL while the article has none.
    -- Keyed by the article's seq, so the index below holds every analyser's
    -- articles in ingest order; `article_id` is copied in so that listing
    -- stale analyses reads that index alone, never articles or JSON.
    CREATE TABLE analyses (
        article_seq INTEGER PRIMARY KEY REFERENCES articles (seq),
        article_id  TEXT    NOT NULL,
        analyzer    TEXT,
        json        TEXT,
        CHECK ((analyzer IS NULL) = (json IS NULL))
    );
    CREATE INDEX analyses_by_analyzer ON analyses (analyzer, article_seq, article_id);
    INSERT INTO analyses (article_seq, article_id) SELECT seq, id FROM articles;
    "#,
    // v4: cross-document linking state.
    r#"
    -- Records of the linker (actors, stories, claims, findings): JSON
    -- bodies the store does not interpret.
    CREATE TABLE link_records (
        kind TEXT NOT NULL,
        id   TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    ) WITHOUT ROWID;
    -- Key -> record postings. `pos` grows with every write, so the newest
    -- postings of a key come first from the index below; rewriting a
    -- record deletes its postings and adds them anew.
    CREATE TABLE link_keys (
        pos  INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        key  TEXT NOT NULL,
        id   TEXT NOT NULL
    );
    CREATE INDEX link_keys_by_key ON link_keys (kind, key, pos);
    CREATE INDEX link_keys_by_record ON link_keys (kind, id);
    CREATE TABLE link_counters (
        key TEXT PRIMARY KEY,
        n   INTEGER NOT NULL
    ) WITHOUT ROWID;
    -- One row: which linker made the links, and the seq of the last
    -- article it linked (every article at or below it is linked).
    CREATE TABLE link_state (
        only      INTEGER PRIMARY KEY CHECK (only = 1),
        linker    TEXT    NOT NULL,
        watermark INTEGER NOT NULL
    );
    "#,
    // v5: link postings read from the indexes alone.
    r#"
    -- A lookup wants the newest ids of a key, a record read wants its keys
    -- in order. With every column in both indexes, each answer is a run of
    -- adjacent index entries; before, every posting was one more table
    -- lookup, on a page of its own once the table outgrew the cache (the
    -- postings of one key, or of one record, are written at different
    -- times).
    CREATE INDEX link_keys_by_key_with_id ON link_keys (kind, key, pos, id);
    CREATE INDEX link_keys_by_record_with_key ON link_keys (kind, id, pos, key);
    DROP INDEX link_keys_by_key;
    DROP INDEX link_keys_by_record;
    "#,
];

/// The schema version this build writes: the number of migrations.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// Reads the schema version and the application id, refusing files that are
/// not storyline stores or are too new.
pub(crate) fn check(conn: &Connection, path: &Path, dir: &Path) -> Result<u32, StoreError> {
    let not_a_store = |reason: String| StoreError::NotAStore {
        path: path.to_path_buf(),
        reason,
    };
    let read = |pragma: &str| -> Result<i64, StoreError> {
        conn.pragma_query_value(None, pragma, |r| r.get(0))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::NotADatabase) => {
                    not_a_store("the file is not a SQLite database".into())
                }
                _ => super::Fail::from(e).at(path, "reading the schema version"),
            })
    };
    let app = read("application_id")?;
    let version = read("user_version")?;
    if app != 0 && app != i64::from(APPLICATION_ID) {
        return Err(not_a_store(format!(
            "it is a SQLite database of another application (application_id {app})"
        )));
    }
    if app == 0 {
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| super::Fail::from(e).at(path, "reading the schema"))?;
        // Tables but no schema version: some other program's database.
        if tables > 0 && version == 0 {
            return Err(not_a_store(
                "it is a SQLite database with tables storyline did not create".into(),
            ));
        }
    }
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            dir: dir.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(version)
}

/// Brings the database up to [`SCHEMA_VERSION`]; returns the version found.
pub(crate) fn migrate(conn: &mut Connection, path: &Path, dir: &Path) -> Result<u32, StoreError> {
    let found = check(conn, path, dir)?;
    for (i, script) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let (from, to) = (i as u32, i as u32 + 1);
        let fail = |e: rusqlite::Error| match super::Fail::from(e).at(path, "upgrading the schema")
        {
            StoreError::Database { source, .. } => StoreError::Migration {
                path: path.to_path_buf(),
                from,
                to,
                source,
            },
            other => other,
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        tx.execute_batch(script).map_err(fail)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(fail)?;
        tx.pragma_update(None, "user_version", to).map_err(fail)?;
        tx.commit().map_err(fail)?;
        if from > 0 {
            info!(from, to, path = %path.display(), "upgraded the store's schema");
        }
    }
    Ok(found)
}
