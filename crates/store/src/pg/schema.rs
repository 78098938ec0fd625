//! The PostgreSQL schema: an ordered list of migrations, applied on open.
//!
//! The version is the one row of `storyline_schema`: the number of
//! migrations applied. Each migration runs in its own transaction with the
//! version bump, under an advisory lock, so two processes opening a new
//! database at once apply it once and a failed step leaves the previous
//! version intact. A database whose version is above
//! [`POSTGRES_SCHEMA_VERSION`] was written by a newer storyline and is
//! refused.
//!
//! **Never edit a released migration**: add a new one.
//!
//! The tables mirror SQLite's schema v5 (`crate::sqlite::schema`) with
//! these differences, each for a reason:
//!
//! - Strings PostgreSQL cannot hold exactly are `bytea`: a `text` value
//!   may not contain NUL, and `text` order follows the database's collation
//!   where SQLite compares bytes. Link kinds, ids, keys, bodies and counter
//!   keys, the linker name, sources and analyses are bytes; ids and sort
//!   keys (ASCII made by storyline) are `text COLLATE "C"`.
//! - `title` and `text` are kept for search only, with NUL made a space
//!   (same byte offsets); the exact text is in `article_json` when it had
//!   a NUL, else empty there as in SQLite.
//! - Full-text search is a stored generated `tsvector` column with a GIN
//!   index, over a text search configuration of its own: English
//!   stemming without stop words, like the tantivy index (`the` is
//!   searchable). The title is weight A, the text weight B.
//! - The vector covers the first [`SEARCH_TEXT_CHARS`] characters of the
//!   text and the first 10,000 of the title: PostgreSQL refuses a
//!   `tsvector` over 1 MB, which a long article (or title) of distinct
//!   words could reach, and a refused vector would fail the whole batch.
//!   The worst case within these windows (one-character words of distinct
//!   four-byte characters: 12 bytes per 2 characters) is about 0.7 MB.
//!   Words further in are stored but not searchable.

use postgres::{Client, GenericClient};
use tracing::info;

use super::{Fail, ADVISORY_MIGRATE};
use crate::StoreError;

/// Characters of an article's text that full-text search covers.
pub(crate) const SEARCH_TEXT_CHARS: usize = 100_000;

/// The text search configuration the store creates and searches with.
pub(crate) const TS_CONFIG: &str = "storyline_english";

/// Migration scripts, in order; migration `i` takes the schema from version
/// `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // v1: everything SQLite's v5 has.
    r#"
    CREATE TEXT SEARCH DICTIONARY storyline_english_stem (TEMPLATE = snowball, LANGUAGE = english);
    CREATE TEXT SEARCH CONFIGURATION storyline_english (COPY = pg_catalog.english);
    ALTER TEXT SEARCH CONFIGURATION storyline_english
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
        WITH storyline_english_stem;

    -- `seq` is the ingest order and the linker's watermark. Article writes
    -- take an advisory lock until they commit, so seq order is commit
    -- order and a watermark never passes an article still being written.
    CREATE TABLE articles (
        seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id              TEXT COLLATE "C" NOT NULL UNIQUE,
        duplicate_group TEXT COLLATE "C" NOT NULL
                        REFERENCES articles (id) DEFERRABLE INITIALLY DEFERRED,
        published       TEXT,              -- as the source gave it (ISO 8601)
        published_day   DATE,              -- UTC when known: filters
        published_sort  TEXT COLLATE "C",  -- chronological sort key: ordering
        provenance      TEXT NOT NULL,     -- DateProvenance::as_str
        source          BYTEA,
        source_key      BYTEA,             -- lower-cased source: filters
        title           TEXT NOT NULL,     -- for search: NUL made a space
        text            TEXT NOT NULL,     -- for search and snippets: NUL made a space
        minhash         BYTEA NOT NULL,    -- u32 little-endian each
        article_json    TEXT NOT NULL,     -- the whole Article (serde), `text` emptied unless it had a NUL
        search          TSVECTOR GENERATED ALWAYS AS (
            setweight(to_tsvector('storyline_english', left(title, 10000)), 'A') ||
            setweight(to_tsvector('storyline_english', left(text, 100000)), 'B')
        ) STORED
    );
    CREATE INDEX articles_search ON articles USING GIN (search);
    CREATE INDEX articles_by_published ON articles ((published_sort IS NULL), published_sort, seq);
    CREATE INDEX articles_by_day ON articles (published_day);
    CREATE INDEX articles_by_source ON articles (source_key, published_day);
    CREATE INDEX articles_by_group ON articles (duplicate_group);
    CREATE INDEX articles_by_provenance ON articles (provenance);

    -- LSH band hash -> article. Band hashes are u64 stored as i64 (same bits).
    CREATE TABLE lsh_bands (
        band        BIGINT NOT NULL,
        article_seq BIGINT NOT NULL REFERENCES articles (seq),
        PRIMARY KEY (band, article_seq)
    );

    CREATE TABLE ingest_runs (
        run          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        recorded_at  TEXT NOT NULL,
        inputs_json  TEXT NOT NULL,
        summary_json TEXT NOT NULL
    );
    CREATE TABLE run_problems (
        run          BIGINT  NOT NULL REFERENCES ingest_runs (run),
        position     INTEGER NOT NULL,
        problem_json TEXT    NOT NULL,
        PRIMARY KEY (run, position)
    );

    -- One row per article, as in SQLite: analyser and JSON, both NULL while
    -- the article has none. The index answers stale_analyses alone.
    CREATE TABLE analyses (
        article_seq BIGINT PRIMARY KEY REFERENCES articles (seq),
        article_id  TEXT COLLATE "C" NOT NULL,
        analyzer    TEXT COLLATE "C",
        json        BYTEA,
        CHECK ((analyzer IS NULL) = (json IS NULL))
    );
    CREATE INDEX analyses_by_analyzer ON analyses (analyzer, article_seq) INCLUDE (article_id);

    -- Linking state; the two covering indexes of SQLite's v5.
    CREATE TABLE link_records (
        kind BYTEA NOT NULL,
        id   BYTEA NOT NULL,
        body BYTEA NOT NULL,
        PRIMARY KEY (kind, id)
    );
    CREATE TABLE link_keys (
        pos  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind BYTEA NOT NULL,
        key  BYTEA NOT NULL,
        id   BYTEA NOT NULL
    );
    CREATE INDEX link_keys_by_key_with_id ON link_keys (kind, key, pos, id);
    CREATE INDEX link_keys_by_record_with_key ON link_keys (kind, id, pos, key);
    CREATE TABLE link_counters (
        key BYTEA PRIMARY KEY,
        n   BIGINT NOT NULL
    );
    CREATE TABLE link_state (
        singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
        linker    BYTEA  NOT NULL,
        watermark BIGINT NOT NULL
    );
    "#,
];

/// The schema version this build writes: the number of migrations.
pub const POSTGRES_SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version found, refusing databases that hold tables of
/// another application or are too new.
pub(crate) fn check(conn: &mut impl GenericClient, url: &str) -> Result<u32, Fail> {
    // One statement, one snapshot: asked in two, another process that
    // creates the schema in between (its first open) would show its
    // tables without its version row, and this one would refuse a store
    // of its own (seen when a reader opened a new database beside ingest).
    let row = conn.query_one(
        "SELECT count(*) FILTER (WHERE tablename = 'storyline_schema'), count(*)
         FROM pg_tables WHERE schemaname = current_schema()",
        &[],
    )?;
    let (has_version, tables): (i64, i64) = (row.try_get(0)?, row.try_get(1)?);
    if has_version == 0 {
        if tables > 0 {
            return Err(Fail::Store(StoreError::NotAStore {
                path: url.into(),
                reason: format!("its schema holds {tables} tables that storyline did not create"),
            }));
        }
        return Ok(0);
    }
    let version: i32 = conn
        .query_one("SELECT version FROM storyline_schema", &[])?
        .try_get(0)?;
    let version = u32::try_from(version).unwrap_or(u32::MAX);
    if version > POSTGRES_SCHEMA_VERSION {
        return Err(Fail::Store(StoreError::NewerSchema {
            dir: url.into(),
            found: version,
            supported: POSTGRES_SCHEMA_VERSION,
        }));
    }
    Ok(version)
}

/// Brings the database up to [`POSTGRES_SCHEMA_VERSION`]; returns the
/// version found.
pub(crate) fn migrate(conn: &mut Client, url: &str) -> Result<u32, StoreError> {
    let found = check(conn, url).map_err(|e| e.at(url, "reading the schema version"))?;
    if found == POSTGRES_SCHEMA_VERSION {
        return Ok(found);
    }
    let mut from = found;
    while from < POSTGRES_SCHEMA_VERSION {
        let to = from + 1;
        let fail = |e: Fail| match e.at(url, "upgrading the schema") {
            StoreError::Database { source, .. } => StoreError::Migration {
                path: url.into(),
                from,
                to,
                source,
            },
            other => other,
        };
        let mut tx = conn.transaction().map_err(|e| fail(e.into()))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&ADVISORY_MIGRATE])
            .map_err(|e| fail(e.into()))?;
        // Another process may have migrated while this one waited.
        let now = check(&mut tx, url).map_err(fail)?;
        if now >= to {
            tx.commit().map_err(|e| fail(e.into()))?;
            from = now;
            continue;
        }
        if let Some(script) = MIGRATIONS.get(from as usize) {
            tx.batch_execute(script).map_err(|e| fail(e.into()))?;
        }
        if from == 0 {
            tx.batch_execute(
                "CREATE TABLE storyline_schema (
                     singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                     version INTEGER NOT NULL
                 );
                 INSERT INTO storyline_schema (singleton, version) VALUES (1, 0);",
            )
            .map_err(|e| fail(e.into()))?;
        }
        let v = i32::try_from(to).unwrap_or(i32::MAX);
        tx.execute("UPDATE storyline_schema SET version = $1", &[&v])
            .map_err(|e| fail(e.into()))?;
        tx.commit().map_err(|e| fail(e.into()))?;
        if from > 0 {
            info!(from, to, store = url, "upgraded the store's schema");
        }
        from = to;
    }
    Ok(found)
}
