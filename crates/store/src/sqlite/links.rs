//! The linking tables of [`SqliteStore`] (schema v4, read through the
//! covering indexes of v5): records, key postings, counters and the
//! linked-articles watermark.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use storyline_core::ArticleId;

use super::{parse_id, Fail, SqliteStore};
use crate::links::{
    bounded_batch, dedup_keys, validate_link_batch, validate_linker, LinkBatch, LinkRecord,
    LinkState,
};
use crate::{StoreError, MAX_LINK_LOOKUP_PER_KEY};

/// The stored linker and watermark, if anything was ever linked.
fn state(conn: &Connection) -> Result<Option<(String, i64)>, Fail> {
    Ok(conn
        .prepare_cached("SELECT linker, watermark FROM link_state WHERE only = 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// What the link reads of a [`SqliteStore`] returned since it was opened
/// ([`SqliteStore::link_reads`]): how much the linker reads per article,
/// so a benchmark can tell more work from dearer work.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkReads {
    /// Record ids returned by key lookups.
    pub postings: u64,
    /// Record bodies read.
    pub records: u64,
    /// Bytes of those bodies and of the keys read with them.
    pub bytes: u64,
    /// Counters read.
    pub counters: u64,
    /// Postings and records per record kind, so a rise can be traced to
    /// the lookups that make it.
    pub by_kind: BTreeMap<String, KindReads>,
}

/// The reads of one record kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindReads {
    /// Record ids returned by key lookups of the kind.
    pub postings: u64,
    /// Bodies of the kind read.
    pub records: u64,
}

#[derive(Debug, Default)]
pub(super) struct LinkReadCounters {
    postings: AtomicU64,
    records: AtomicU64,
    bytes: AtomicU64,
    counters: AtomicU64,
    by_kind: Mutex<BTreeMap<String, KindReads>>,
}

impl LinkReadCounters {
    fn add(counter: &AtomicU64, n: usize) {
        counter.fetch_add(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    fn add_kind(&self, kind: &str, postings: usize, records: usize) {
        // A poisoned lock only means a panicking reader: the counts are
        // still counts.
        let mut by_kind = self.by_kind.lock().unwrap_or_else(|e| e.into_inner());
        let k = by_kind.entry(kind.to_string()).or_default();
        k.postings += postings as u64;
        k.records += records as u64;
    }
}

/// Values bound per `IN (...)` list. Every list has exactly this many
/// (short ones repeat their first value), so one cached statement serves
/// all reads instead of one statement, and one round trip, per value.
const IN_LIST: usize = 64;

/// `?<first>, ?<first + 1>, ...`: [`IN_LIST`] placeholders.
fn in_list(first: usize) -> String {
    (first..first + IN_LIST)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A chunk of at most [`IN_LIST`] values padded to exactly that many.
fn padded<'a>(chunk: &[&'a str]) -> Vec<&'a str> {
    let fill = chunk.first().copied().unwrap_or("");
    let mut out = chunk.to_vec();
    out.resize(IN_LIST, fill);
    out
}

/// The kind, then a padded chunk of ids.
fn in_params<'a>(kind: &'a str, chunk: &[&'a str]) -> Vec<&'a str> {
    let mut out = Vec::with_capacity(IN_LIST + 1);
    out.push(kind);
    out.extend(padded(chunk));
    out
}

/// Reads the bodies of one chunk of ids of `kind` into `bodies`.
fn read_bodies(
    conn: &Connection,
    kind: &str,
    chunk: &[&str],
    bodies: &mut HashMap<String, String>,
) -> Result<(), Fail> {
    let mut get = conn.prepare_cached(&format!(
        "SELECT id, body FROM link_records WHERE kind = ?1 AND id IN ({})",
        in_list(2)
    ))?;
    let mut rows = get.query(rusqlite::params_from_iter(in_params(kind, chunk)))?;
    while let Some(row) = rows.next()? {
        bodies.insert(row.get(0)?, row.get(1)?);
    }
    Ok(())
}

/// Adds what a body read returned to `reads`.
fn count_bodies(reads: &LinkReadCounters, kind: &str, bodies: &HashMap<String, String>) {
    LinkReadCounters::add(&reads.records, bodies.len());
    LinkReadCounters::add(&reads.bytes, bodies.values().map(String::len).sum());
    reads.add_kind(kind, 0, bodies.len());
}

/// The newest ids of one key: a run of entries of the covering index
/// `link_keys_by_key_with_id`, no table rows.
pub(super) const LOOKUP_SQL: &str =
    "SELECT id FROM link_keys WHERE kind = ?1 AND key = ?2 ORDER BY pos DESC LIMIT ?3";

/// The keys of a chunk of records in write order: a run of entries of the
/// covering index `link_keys_by_record_with_key` per record.
pub(super) fn record_keys_sql() -> String {
    format!(
        "SELECT id, key FROM link_keys WHERE kind = ?1 AND id IN ({}) ORDER BY pos",
        in_list(2)
    )
}

/// Drops a record's postings before it is rewritten or deleted.
pub(super) const DELETE_KEYS_SQL: &str = "DELETE FROM link_keys WHERE kind = ?1 AND id = ?2";

fn sql_limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn write_batch(tx: &Transaction<'_>, linker: &str, batch: &LinkBatch) -> Result<(), Fail> {
    match state(tx)? {
        Some((stored, _)) if stored != linker => {
            return Err(Fail::Store(StoreError::InvalidLink {
                reason: format!(
                    "the store's links were made by linker {stored:?}, not {linker:?}; relink from scratch"
                ),
            }))
        }
        Some(_) => {}
        None => {
            tx.execute(
                "INSERT INTO link_state (only, linker, watermark) VALUES (1, ?1, 0)",
                [linker],
            )?;
        }
    }
    let mut del_keys = tx.prepare_cached(DELETE_KEYS_SQL)?;
    let mut del_record =
        tx.prepare_cached("DELETE FROM link_records WHERE kind = ?1 AND id = ?2")?;
    for (kind, id) in &batch.deletes {
        del_keys.execute(params![kind, id])?;
        del_record.execute(params![kind, id])?;
    }
    let mut put = tx.prepare_cached(
        "INSERT INTO link_records (kind, id, body) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
    )?;
    let mut put_key =
        tx.prepare_cached("INSERT INTO link_keys (kind, key, id) VALUES (?1, ?2, ?3)")?;
    for (kind, record) in &batch.records {
        del_keys.execute(params![kind, record.id])?;
        put.execute(params![kind, record.id, record.body])?;
        for key in dedup_keys(&record.keys) {
            put_key.execute(params![kind, key, record.id])?;
        }
    }
    let mut bump = tx.prepare_cached(
        "INSERT INTO link_counters (key, n) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET n = n + excluded.n",
    )?;
    for (key, delta) in &batch.counters {
        bump.execute(params![key, delta])?;
    }
    if let Some(id) = &batch.linked_through {
        let seq: Option<i64> = tx
            .prepare_cached("SELECT seq FROM articles WHERE id = ?1")?
            .query_row([id.as_str()], |r| r.get(0))
            .optional()?;
        let Some(seq) = seq else {
            return Err(Fail::Store(StoreError::UnknownArticle {
                id: id.to_string(),
            }));
        };
        tx.execute(
            "UPDATE link_state SET watermark = max(watermark, ?1) WHERE only = 1",
            [seq],
        )?;
    }
    Ok(())
}

impl SqliteStore {
    /// What link reads have returned since the store was opened.
    pub fn link_reads(&self) -> LinkReads {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        LinkReads {
            postings: get(&self.link_reads.postings),
            records: get(&self.link_reads.records),
            bytes: get(&self.link_reads.bytes),
            counters: get(&self.link_reads.counters),
            by_kind: self
                .link_reads
                .by_kind
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        }
    }

    pub(super) fn put_links_impl(&self, linker: &str, batch: &LinkBatch) -> Result<(), StoreError> {
        let action = "storing links";
        validate_linker(linker)?;
        validate_link_batch(batch)?;
        let batch = bounded_batch(batch);
        let mut st = self.writer(action)?;
        let tx = st
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(action)(e.into()))?;
        write_batch(&tx, linker, &batch).map_err(self.err(action))?;
        tx.commit().map_err(|e| self.err(action)(e.into()))
    }

    pub(super) fn link_bodies_impl(
        &self,
        kind: &str,
        ids: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.read("reading link records", |conn| {
            let mut bodies: HashMap<String, String> = HashMap::with_capacity(ids.len());
            for chunk in dedup_keys(ids).chunks(IN_LIST) {
                read_bodies(conn, kind, chunk, &mut bodies)?;
            }
            count_bodies(&self.link_reads, kind, &bodies);
            Ok(ids
                .iter()
                .filter_map(|id| Some((id.clone(), bodies.get(id.as_str())?.clone())))
                .collect())
        })
    }

    pub(super) fn link_records_impl(
        &self,
        kind: &str,
        ids: &[String],
    ) -> Result<Vec<LinkRecord>, StoreError> {
        self.read("reading link records", |conn| {
            let mut bodies: HashMap<String, String> = HashMap::with_capacity(ids.len());
            let mut keys: HashMap<String, Vec<String>> = HashMap::new();
            let unique = dedup_keys(ids);
            for chunk in unique.chunks(IN_LIST) {
                read_bodies(conn, kind, chunk, &mut bodies)?;
                let mut get_keys = conn.prepare_cached(&record_keys_sql())?;
                let mut rows =
                    get_keys.query(rusqlite::params_from_iter(in_params(kind, chunk)))?;
                while let Some(row) = rows.next()? {
                    let key: String = row.get(1)?;
                    LinkReadCounters::add(&self.link_reads.bytes, key.len());
                    keys.entry(row.get(0)?).or_default().push(key);
                }
            }
            count_bodies(&self.link_reads, kind, &bodies);
            // In the order asked, repeats included, as one lookup per id did.
            Ok(ids
                .iter()
                .filter_map(|id| {
                    let body = bodies.get(id.as_str())?.clone();
                    Some(LinkRecord {
                        id: id.clone(),
                        body,
                        keys: keys.get(id.as_str()).cloned().unwrap_or_default(),
                    })
                })
                .collect())
        })
    }

    pub(super) fn link_lookup_impl(
        &self,
        kind: &str,
        keys: &[String],
        per_key: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let per_key = sql_limit(per_key.min(MAX_LINK_LOOKUP_PER_KEY));
        self.read("looking up links", |conn| {
            let mut q = conn.prepare_cached(LOOKUP_SQL)?;
            let mut out = Vec::new();
            for key in dedup_keys(keys) {
                for id in q.query_map(params![kind, key, per_key], |r| r.get::<_, String>(0))? {
                    out.push((key.to_string(), id?));
                }
            }
            LinkReadCounters::add(&self.link_reads.postings, out.len());
            self.link_reads.add_kind(kind, out.len(), 0);
            Ok(out)
        })
    }

    pub(super) fn link_scan_impl(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<LinkRecord>, StoreError> {
        let ids: Vec<String> = self.read("listing link records", |conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT id FROM link_records WHERE kind = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
                )?
                .query_map(params![kind, after.unwrap_or(""), sql_limit(limit)], |r| {
                    r.get(0)
                })?
                .collect::<Result<Vec<_>, _>>()?)
        })?;
        self.link_records_impl(kind, &ids)
    }

    pub(super) fn link_counters_impl(&self, keys: &[String]) -> Result<Vec<i64>, StoreError> {
        self.read("reading link counters", |conn| {
            let mut found: HashMap<String, i64> = HashMap::with_capacity(keys.len());
            let unique = dedup_keys(keys);
            for chunk in unique.chunks(IN_LIST) {
                let mut q = conn.prepare_cached(&format!(
                    "SELECT key, n FROM link_counters WHERE key IN ({})",
                    in_list(1)
                ))?;
                let mut rows = q.query(rusqlite::params_from_iter(padded(chunk)))?;
                while let Some(row) = rows.next()? {
                    found.insert(row.get(0)?, row.get(1)?);
                }
            }
            LinkReadCounters::add(&self.link_reads.counters, found.len());
            Ok(keys
                .iter()
                .map(|k| found.get(k.as_str()).copied().unwrap_or(0))
                .collect())
        })
    }

    pub(super) fn unlinked_impl(
        &self,
        linker: &str,
        limit: usize,
    ) -> Result<Vec<ArticleId>, StoreError> {
        self.read("listing unlinked articles", |conn| {
            let watermark = match state(conn)? {
                Some((stored, w)) if stored == linker => w,
                _ => 0,
            };
            let ids = conn
                .prepare_cached("SELECT id FROM articles WHERE seq > ?1 ORDER BY seq LIMIT ?2")?
                .query_map(params![watermark, sql_limit(limit)], |r| {
                    r.get::<_, String>(0)
                })?
                .collect::<Result<Vec<_>, _>>()?;
            ids.iter().map(|id| parse_id(id)).collect()
        })
    }

    pub(super) fn reset_links_impl(&self, linker: &str) -> Result<(), StoreError> {
        let action = "resetting links";
        validate_linker(linker)?;
        let mut st = self.writer(action)?;
        let tx = st
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(action)(e.into()))?;
        (|| -> Result<(), Fail> {
            tx.execute_batch(
                "DELETE FROM link_keys; DELETE FROM link_records; DELETE FROM link_counters;
                 DELETE FROM link_state;",
            )?;
            tx.execute(
                "INSERT INTO link_state (only, linker, watermark) VALUES (1, ?1, 0)",
                [linker],
            )?;
            Ok(())
        })()
        .map_err(self.err(action))?;
        tx.commit().map_err(|e| self.err(action)(e.into()))
    }

    pub(super) fn link_state_impl(&self) -> Result<LinkState, StoreError> {
        self.read("reading the link state", |conn| {
            let Some((linker, watermark)) = state(conn)? else {
                return Ok(LinkState::default());
            };
            let linked: i64 = conn
                .prepare_cached("SELECT count(*) FROM articles WHERE seq <= ?1")?
                .query_row([watermark], |r| r.get(0))?;
            let records = conn
                .prepare_cached(
                    "SELECT kind, count(*) FROM link_records GROUP BY kind ORDER BY kind",
                )?
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                .map(|r| r.map(|(k, n)| (k, u64::try_from(n).unwrap_or(0))))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(LinkState {
                linker: Some(linker),
                linked_articles: u64::try_from(linked).unwrap_or(0),
                records,
            })
        })
    }
}
