//! `storyline check-store`: whether an embedded store is whole, looked at
//! without repairing anything. Opening a store for writing repairs what it
//! can (a lagging or unreadable index is caught up or rebuilt), which would
//! hide the very damage a check is for, so this opens the database
//! read-only with no migrations and the index without its repair path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use tantivy::schema::Value as _;
use tantivy::{DocAddress, TantivyDocument};

use super::index::FullTextIndex;
use super::{schema, Fail, DB_FILE, INDEX_DIR, SCHEMA_VERSION};
use crate::StoreError;

/// The most lines of one finding kept (an `integrity_check` of a badly
/// damaged file can list thousands).
const MAX_LINES: usize = 20;

/// What [`check_store`] found. `problems` is empty when the store is whole;
/// the rest describes it either way.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoreCheck {
    /// The data directory checked.
    pub dir: PathBuf,
    /// The database's schema version.
    pub schema_version: u32,
    /// Articles in the database.
    pub articles: u64,
    /// Articles with a stored analysis.
    pub analysed: u64,
    /// The full-text index compared with the database; `None` when it
    /// could not be opened (a problem says why).
    pub index: Option<IndexCheck>,
    /// How far linking got.
    pub links: LinkProgress,
    /// Everything found wrong, one sentence each; empty when the store is
    /// whole.
    pub problems: Vec<String>,
}

/// The full-text index compared with the articles table.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct IndexCheck {
    /// Documents in the index.
    pub documents: u64,
    /// The last article (by ingest sequence) the index's last commit holds.
    pub watermark: i64,
    /// Articles above the watermark: committed to the database but not yet
    /// indexed (the next writer to open the store indexes them). Not a
    /// problem: a writer stopped between the two commits leaves this.
    pub lagging: u64,
    /// Articles at or below the watermark that the index lacks.
    pub missing: u64,
    /// Indexed ids that no article has.
    pub unknown: u64,
    /// Ids indexed more than once.
    pub duplicated: u64,
}

/// How far the linker got, from the store's link state.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LinkProgress {
    /// The linker (name and version) that made the stored links; `None`
    /// when nothing was ever linked.
    pub linker: Option<String>,
    /// Articles linked (at or below the link watermark).
    pub linked: u64,
    /// Articles not linked yet (the next `link`, `ingest` or `watch` links
    /// them).
    pub unlinked: u64,
    /// Link records per kind.
    pub records: Vec<(String, u64)>,
}

/// Checks the SQLite store in `dir` without changing it: SQLite's own
/// `integrity_check` and `foreign_key_check`, one analysis row per article
/// naming its article, the full-text index against the articles table
/// (every article at or below its watermark indexed once, nothing else
/// indexed) and the link state against the articles. Runs beside a writer
/// (it takes no lock; what it reads is the last committed state).
///
/// An error means the check could not run at all (no store in `dir`, a
/// file that is not a storyline database); damage it can describe is in
/// [`StoreCheck::problems`].
pub fn check_store(dir: &Path) -> Result<StoreCheck, StoreError> {
    let db_path = dir.join(DB_FILE);
    if !db_path.is_file() {
        return Err(StoreError::Io {
            action: "open the database",
            path: db_path,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no storyline store here"),
        });
    }
    let conn = Connection::open_with_flags(&db_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Fail::from(e).at(&db_path, "opening the database read-only"))?;
    let schema_version = schema::check(&conn, &db_path, dir)?;
    let at = |e: rusqlite::Error| Fail::from(e).at(&db_path, "checking the database");
    let mut problems = Vec::new();

    for line in list(&conn, "PRAGMA integrity_check").map_err(at)? {
        if line != "ok" {
            problems.push(format!("SQLite integrity_check: {line}"));
        }
    }
    let mut fk = conn.prepare("PRAGMA foreign_key_check").map_err(at)?;
    let mut violations: HashMap<(String, String), u64> = HashMap::new();
    let rows = fk
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(2)?)))
        .map_err(at)?;
    for row in rows {
        *violations.entry(row.map_err(at)?).or_default() += 1;
    }
    let mut violations: Vec<_> = violations.into_iter().collect();
    violations.sort();
    for ((table, parent), n) in violations {
        problems.push(format!(
            "{n} row(s) of {table} refer to a missing row of {parent} (orphans)"
        ));
    }
    if schema_version < SCHEMA_VERSION {
        // The rest reads tables of the current schema; an older store is
        // upgraded by the next writer, which is no damage.
        return Ok(StoreCheck {
            dir: dir.to_path_buf(),
            schema_version,
            articles: count(&conn, "SELECT COUNT(*) FROM articles").map_err(at)?,
            analysed: 0,
            index: None,
            links: LinkProgress::default(),
            problems,
        });
    }

    let articles = count(&conn, "SELECT COUNT(*) FROM articles").map_err(at)?;
    let analysed = count(
        &conn,
        "SELECT COUNT(*) FROM analyses WHERE analyzer IS NOT NULL",
    )
    .map_err(at)?;
    let without = count(
        &conn,
        "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS \
         (SELECT 1 FROM analyses n WHERE n.article_seq = a.seq)",
    )
    .map_err(at)?;
    if without > 0 {
        problems.push(format!(
            "{without} article(s) have no analysis row (every article gets one in the transaction that stores it)"
        ));
    }
    let orphaned = count(
        &conn,
        "SELECT COUNT(*) FROM analyses n WHERE NOT EXISTS \
         (SELECT 1 FROM articles a WHERE a.seq = n.article_seq AND a.id = n.article_id)",
    )
    .map_err(at)?;
    if orphaned > 0 {
        problems.push(format!(
            "{orphaned} analysis row(s) belong to no article (orphaned analyses)"
        ));
    }

    let max_seq: i64 = conn
        .query_row("SELECT COALESCE(MAX(seq), 0) FROM articles", [], |r| {
            r.get(0)
        })
        .map_err(at)?;
    let index = match FullTextIndex::open_read_only(&dir.join(INDEX_DIR)) {
        Ok((index, watermark)) => {
            let found = index_check(&conn, &index, watermark, max_seq, &mut problems)
                .map_err(|e| e.at(&db_path, "comparing the index with the database"))?;
            Some(found)
        }
        Err(e) => {
            problems.push(format!(
                "the full-text index cannot be opened ({e}); `storyline reindex` rebuilds it"
            ));
            None
        }
    };

    let links = link_progress(&conn, max_seq, &mut problems).map_err(at)?;
    Ok(StoreCheck {
        dir: dir.to_path_buf(),
        schema_version,
        articles,
        analysed,
        index,
        links,
        problems,
    })
}

fn list(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for row in rows {
        let line = row?;
        if out.len() < MAX_LINES {
            out.push(line);
        }
    }
    Ok(out)
}

fn count(conn: &Connection, sql: &str) -> rusqlite::Result<u64> {
    conn.query_row(sql, [], |r| r.get::<_, i64>(0))
        .map(|n| u64::try_from(n).unwrap_or(0))
}

/// Every indexed id against the articles table.
fn index_check(
    conn: &Connection,
    index: &FullTextIndex,
    watermark: i64,
    max_seq: i64,
    problems: &mut Vec<String>,
) -> Result<IndexCheck, Fail> {
    let searcher = index.reader.searcher();
    let mut indexed: HashMap<String, u64> = HashMap::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let Ok(ord) = u32::try_from(ord) else { break };
        for doc in segment.doc_ids_alive() {
            let d: TantivyDocument = searcher.doc(DocAddress::new(ord, doc))?;
            let id = d
                .get_first(index.fields.id)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            *indexed.entry(id).or_default() += 1;
        }
    }
    let mut found = IndexCheck {
        documents: searcher.num_docs(),
        watermark,
        ..IndexCheck::default()
    };
    found.duplicated = indexed.values().filter(|&&n| n > 1).count() as u64;
    let mut stmt = conn.prepare("SELECT id, seq FROM articles")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
    for row in rows {
        let (id, seq) = row?;
        let in_index = indexed.remove(&id).is_some();
        if seq > watermark {
            found.lagging += 1;
        } else if !in_index {
            found.missing += 1;
        }
    }
    found.unknown = indexed.len() as u64;
    if watermark > max_seq {
        problems.push(format!(
            "the index's watermark ({watermark}) is past the last article ({max_seq}): the database lost committed articles"
        ));
    }
    if found.missing > 0 {
        problems.push(format!(
            "{} article(s) at or below the index's watermark are not in the index; `storyline reindex` rebuilds it",
            found.missing
        ));
    }
    if found.unknown > 0 {
        problems.push(format!(
            "{} indexed document(s) name no stored article; `storyline reindex` rebuilds the index",
            found.unknown
        ));
    }
    if found.duplicated > 0 {
        problems.push(format!(
            "{} article(s) are indexed more than once; `storyline reindex` rebuilds the index",
            found.duplicated
        ));
    }
    Ok(found)
}

fn link_progress(
    conn: &Connection,
    max_seq: i64,
    problems: &mut Vec<String>,
) -> rusqlite::Result<LinkProgress> {
    let state: Option<(String, i64)> = match conn.query_row(
        "SELECT linker, watermark FROM link_state WHERE only = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    ) {
        Ok(s) => Some(s),
        Err(rusqlite::Error::QueryReturnedNoRows) => None,
        Err(e) => return Err(e),
    };
    let watermark = state.as_ref().map_or(0, |s| s.1);
    if watermark > max_seq {
        problems.push(format!(
            "the link watermark ({watermark}) is past the last article ({max_seq}): the database lost committed articles"
        ));
    }
    let linked: i64 = conn.query_row(
        "SELECT COUNT(*) FROM articles WHERE seq <= ?1",
        [watermark],
        |r| r.get(0),
    )?;
    let all: i64 = conn.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))?;
    let mut stmt =
        conn.prepare("SELECT kind, COUNT(*) FROM link_records GROUP BY kind ORDER BY kind")?;
    let records = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(LinkProgress {
        linker: state.map(|s| s.0),
        linked: u64::try_from(linked).unwrap_or(0),
        unlinked: u64::try_from(all - linked).unwrap_or(0),
        records,
    })
}
