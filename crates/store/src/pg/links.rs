//! The linking tables of [`PostgresStore`]: records, key postings,
//! counters and the linked-articles watermark, with the design of SQLite's
//! (`sqlite/links.rs`): a key lookup and a record's keys each come from one
//! covering index. Every kind, id, key and body is `bytea`, compared and
//! ordered as bytes like SQLite's `TEXT`, NUL included.
//!
//! Reads and writes take whole lists in one statement (`unnest` of arrays)
//! rather than a statement per value: over a network each statement is a
//! round trip.

use std::collections::HashMap;

use storyline_core::ArticleId;

use super::{count, is_valid_id, parse_id, sql_limit, Conn, Fail, PostgresStore, ADVISORY_LINKS};
use crate::links::{
    bounded_batch, bounded_keys, bounded_link_key, dedup_keys, restore_ids, restore_keys,
    validate_link_batch, validate_linker, LinkBatch, LinkRecord, LinkState,
};
use crate::{StoreError, MAX_LINK_LOOKUP_PER_KEY};

/// The stored linker and watermark, if anything was ever linked.
fn state(conn: &mut Conn) -> Result<Option<(Vec<u8>, i64)>, Fail> {
    match conn.query_opt(
        "SELECT linker, watermark FROM link_state WHERE singleton = 1",
        &[],
    )? {
        Some(row) => Ok(Some((row.try_get(0)?, row.try_get(1)?))),
        None => Ok(None),
    }
}

fn text(what: &str, bytes: Vec<u8>) -> Result<String, Fail> {
    String::from_utf8(bytes).map_err(|e| super::corrupt(format!("link {what}"), e))
}

fn bytes(strings: &[&str]) -> Vec<Vec<u8>> {
    strings.iter().map(|s| s.as_bytes().to_vec()).collect()
}

/// One link batch in one statement, whatever it holds: the linker writes
/// one batch per article, and over a network each statement is a round
/// trip (it was about ten per article: deletes, writes, counters, the
/// watermark, each its own). Data-modifying CTEs all see the snapshot the
/// statement started with, so the postings deleted are only those stored
/// before it, never the ones it writes, which is SQLite's order (deletes,
/// then writes). The caller leaves out of `$3`/`$4` the records it writes
/// again (`$5`…), since one statement must not delete and upsert the same
/// row; deleting and then writing a record is writing it.
///
/// The deletes are listed last because PostgreSQL runs the CTEs that the
/// final `SELECT` does not read from the last to the first (a
/// `ModifyTable` node joins the executor's list at its head): run first,
/// their index probes do not step over the postings just written, which
/// the snapshot hides but the index still holds. Only the cost depends on
/// that order, never the result.
///
/// Each delete finds its rows through an index, one probe per (kind, id)
/// (`OFFSET 0` keeps the lateral subquery a nested loop the planner cannot
/// turn into a join), then deletes them by row address (`ctid`, a TID scan,
/// no second index descent; the advisory lock keeps every other link
/// writer out until commit, so the addresses stay those rows'): a
/// `DELETE … USING unnest(…)` may be planned as a hash join over the whole
/// table, whose cost grows with the store.
///
/// Returns the linker stored before the statement (`NULL` when nothing was
/// linked yet) and the sequence number of `$14` (`NULL` when that article
/// is not stored, or `$14` is `NULL`); the caller rolls the transaction
/// back when either is wrong.
pub(super) const WRITE_LINKS: &str = "
WITH stored_state AS (
    SELECT linker FROM link_state WHERE singleton = 1),
through AS (
    SELECT seq FROM articles WHERE id = $14::text),
moved AS (
    -- The watermark never moves back.
    INSERT INTO link_state (singleton, linker, watermark)
    VALUES (1, $13::bytea, coalesce((SELECT seq FROM through), 0))
    ON CONFLICT (singleton) DO UPDATE SET watermark = excluded.watermark
    WHERE link_state.watermark < excluded.watermark),
counted AS (
    INSERT INTO link_counters (key, n)
    SELECT c.key, sum(c.n)::bigint FROM unnest($11::bytea[], $12::bigint[]) AS c(key, n)
    GROUP BY c.key
    ON CONFLICT (key) DO UPDATE SET n = link_counters.n + excluded.n),
written_postings AS (
    -- Positions in the order given: the newest postings last.
    INSERT INTO link_keys (kind, key, id)
    SELECT t.kind, t.key, t.id
    FROM unnest($8::bytea[], $9::bytea[], $10::bytea[]) WITH ORDINALITY AS t(kind, key, id, n)
    ORDER BY t.n),
written_records AS (
    INSERT INTO link_records (kind, id, body)
    SELECT * FROM unnest($5::bytea[], $6::bytea[], $7::bytea[])
    ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body),
deleted_records AS (
    DELETE FROM link_records WHERE ctid = ANY (ARRAY(
        SELECT l.ctid FROM unnest($3::bytea[], $4::bytea[]) AS r(kind, id)
        CROSS JOIN LATERAL (
            SELECT ctid FROM link_records WHERE kind = r.kind AND id = r.id OFFSET 0) AS l))),
replaced_postings AS (
    DELETE FROM link_keys WHERE ctid = ANY (ARRAY(
        SELECT k.ctid FROM unnest($1::bytea[], $2::bytea[]) AS r(kind, id)
        CROSS JOIN LATERAL (
            SELECT ctid FROM link_keys WHERE kind = r.kind AND id = r.id OFFSET 0) AS k)))
SELECT (SELECT linker FROM stored_state), (SELECT seq FROM through)";

fn write_links(conn: &mut Conn, linker: &str, batch: &LinkBatch) -> Result<(), Fail> {
    let through = match &batch.linked_through {
        Some(id) if !is_valid_id(id.as_str()) => {
            return Err(Fail::Store(StoreError::UnknownArticle {
                id: id.to_string(),
            }))
        }
        Some(id) => Some(id.as_str()),
        None => None,
    };

    // A record written twice in one batch ends as its last write, whose
    // postings are newer than those of every record written before it.
    let mut last: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, (kind, record)) in batch.records.iter().enumerate() {
        last.insert((kind.as_str(), record.id.as_str()), i);
    }
    let mut order: Vec<usize> = last.values().copied().collect();
    order.sort_unstable();
    let records: Vec<&(String, LinkRecord)> =
        order.iter().filter_map(|&i| batch.records.get(i)).collect();

    // Deleted records, but for those written again (see `WRITE_LINKS`),
    // each once.
    let mut deleted: Vec<(&[u8], &[u8])> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (kind, id) in &batch.deletes {
        if !last.contains_key(&(kind.as_str(), id.as_str())) && seen.insert((kind, id)) {
            deleted.push((kind.as_bytes(), id.as_bytes()));
        }
    }
    let (del_kinds, del_ids): (Vec<&[u8]>, Vec<&[u8]>) = deleted.iter().copied().unzip();
    // Postings go for every record deleted or written.
    let (gone_kinds, gone_ids): (Vec<&[u8]>, Vec<&[u8]>) = deleted
        .iter()
        .copied()
        .chain(records.iter().map(|(k, r)| (k.as_bytes(), r.id.as_bytes())))
        .unzip();

    let kinds: Vec<&[u8]> = records.iter().map(|(k, _)| k.as_bytes()).collect();
    let ids: Vec<&[u8]> = records.iter().map(|(_, r)| r.id.as_bytes()).collect();
    let bodies: Vec<&[u8]> = records.iter().map(|(_, r)| r.body.as_bytes()).collect();
    let (mut key_kinds, mut keys, mut key_ids) = (Vec::new(), Vec::new(), Vec::new());
    for (kind, record) in &records {
        for key in dedup_keys(&record.keys) {
            key_kinds.push(kind.as_bytes());
            keys.push(key.as_bytes());
            key_ids.push(record.id.as_bytes());
        }
    }
    let counter_keys: Vec<&[u8]> = batch.counters.iter().map(|(k, _)| k.as_bytes()).collect();
    let deltas: Vec<i64> = batch.counters.iter().map(|(_, n)| *n).collect();

    let row = conn.query_one(
        WRITE_LINKS,
        &[
            &gone_kinds,
            &gone_ids,
            &del_kinds,
            &del_ids,
            &kinds,
            &ids,
            &bodies,
            &key_kinds,
            &keys,
            &key_ids,
            &counter_keys,
            &deltas,
            &linker.as_bytes(),
            &through,
        ],
    )?;
    // Either check failing fails the transaction, and `write` rolls back
    // what the statement did.
    let stored: Option<Vec<u8>> = row.try_get(0)?;
    if let Some(stored) = stored.filter(|s| s != linker.as_bytes()) {
        return Err(Fail::Store(StoreError::InvalidLink {
            reason: format!(
                "the store's links were made by linker {:?}, not {linker:?}; relink from scratch",
                String::from_utf8_lossy(&stored)
            ),
        }));
    }
    let seq: Option<i64> = row.try_get(1)?;
    if let (Some(id), None) = (&batch.linked_through, seq) {
        return Err(Fail::Store(StoreError::UnknownArticle {
            id: id.to_string(),
        }));
    }
    Ok(())
}

/// The bodies (and, when asked, the keys in write order) of records of
/// `kind`, by stored id.
type Found = (HashMap<String, String>, HashMap<String, Vec<String>>);

fn read_records(conn: &mut Conn, kind: &str, ids: &[&str], with_keys: bool) -> Result<Found, Fail> {
    let mut bodies = HashMap::with_capacity(ids.len());
    let mut keys: HashMap<String, Vec<String>> = HashMap::new();
    if ids.is_empty() {
        return Ok((bodies, keys));
    }
    let wanted = bytes(ids);
    for row in conn.query(
        "SELECT id, body FROM link_records WHERE kind = $1 AND id = ANY($2::bytea[])",
        &[&kind.as_bytes(), &wanted],
    )? {
        bodies.insert(text("id", row.try_get(0)?)?, text("body", row.try_get(1)?)?);
    }
    if with_keys {
        for row in conn.query(
            "SELECT id, key FROM link_keys WHERE kind = $1 AND id = ANY($2::bytea[]) ORDER BY pos",
            &[&kind.as_bytes(), &wanted],
        )? {
            keys.entry(text("id", row.try_get(0)?)?)
                .or_default()
                .push(text("key", row.try_get(1)?)?);
        }
    }
    Ok((bodies, keys))
}

impl PostgresStore {
    pub(super) fn put_links_impl(&self, linker: &str, batch: &LinkBatch) -> Result<(), StoreError> {
        validate_linker(linker)?;
        validate_link_batch(batch)?;
        let batch = bounded_batch(batch);
        self.write("storing links", Some(ADVISORY_LINKS), |conn| {
            write_links(conn, linker, &batch)
        })
    }

    pub(super) fn link_records_impl(
        &self,
        kind: &str,
        asked: &[String],
    ) -> Result<Vec<LinkRecord>, StoreError> {
        let ids = bounded_keys(asked);
        let found = self.read("reading link records", |conn| {
            let (bodies, keys) = read_records(conn, kind, &dedup_keys(&ids), true)?;
            // In the order asked, repeats included.
            Ok(ids
                .iter()
                .filter_map(|id| {
                    Some(LinkRecord {
                        id: id.clone(),
                        body: bodies.get(id.as_str())?.clone(),
                        keys: keys.get(id.as_str()).cloned().unwrap_or_default(),
                    })
                })
                .collect())
        })?;
        Ok(restore_ids(asked, &ids, found, |r| &mut r.id))
    }

    pub(super) fn link_bodies_impl(
        &self,
        kind: &str,
        asked: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        let ids = bounded_keys(asked);
        let found = self.read("reading link records", |conn| {
            let (bodies, _) = read_records(conn, kind, &dedup_keys(&ids), false)?;
            Ok(ids
                .iter()
                .filter_map(|id| Some((id.clone(), bodies.get(id.as_str())?.clone())))
                .collect())
        })?;
        Ok(restore_ids(asked, &ids, found, |(id, _)| id))
    }

    pub(super) fn link_lookup_impl(
        &self,
        kind: &str,
        asked: &[String],
        per_key: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let stored = bounded_keys(asked);
        let keys = dedup_keys(&stored);
        if keys.is_empty() || per_key == 0 {
            return Ok(Vec::new());
        }
        let per_key = sql_limit(per_key.min(MAX_LINK_LOOKUP_PER_KEY));
        let found = self.read("looking up links", |conn| {
            // Per key, a run of the covering index (kind, key, pos, id),
            // newest first.
            let rows = conn.query(
                "SELECT k.i, l.id
                 FROM unnest($2::bytea[]) WITH ORDINALITY AS k(key, i)
                 CROSS JOIN LATERAL (
                     SELECT pos, id FROM link_keys WHERE kind = $1 AND key = k.key
                     ORDER BY pos DESC LIMIT $3) AS l
                 ORDER BY k.i, l.pos DESC",
                &[&kind.as_bytes(), &bytes(&keys), &per_key],
            )?;
            rows.iter()
                .map(|row| {
                    let i: i64 = row.try_get(0)?;
                    let key = usize::try_from(i - 1)
                        .ok()
                        .and_then(|i| keys.get(i))
                        .ok_or_else(|| super::corrupt("link lookup", "a key out of range"))?;
                    Ok((key.to_string(), text("id", row.try_get(1)?)?))
                })
                .collect::<Result<Vec<_>, Fail>>()
        })?;
        Ok(restore_keys(asked, &stored, found))
    }

    pub(super) fn link_scan_impl(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<LinkRecord>, StoreError> {
        let after = after.map(bounded_link_key);
        let after = after.as_deref().unwrap_or("");
        let ids: Vec<String> = self.read("listing link records", |conn| {
            conn.query(
                "SELECT id FROM link_records WHERE kind = $1 AND id > $2 ORDER BY id LIMIT $3",
                &[&kind.as_bytes(), &after.as_bytes(), &sql_limit(limit)],
            )?
            .iter()
            .map(|r| text("id", r.try_get(0)?))
            .collect()
        })?;
        self.link_records_impl(kind, &ids)
    }

    pub(super) fn link_counters_impl(&self, asked: &[String]) -> Result<Vec<i64>, StoreError> {
        let keys = bounded_keys(asked);
        let unique = dedup_keys(&keys);
        if unique.is_empty() {
            return Ok(vec![0; keys.len()]);
        }
        self.read("reading link counters", |conn| {
            let mut found: HashMap<String, i64> = HashMap::with_capacity(unique.len());
            for row in conn.query(
                "SELECT key, n FROM link_counters WHERE key = ANY($1::bytea[])",
                &[&bytes(&unique)],
            )? {
                found.insert(text("counter key", row.try_get(0)?)?, row.try_get(1)?);
            }
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
                Some((stored, w)) if stored == linker.as_bytes() => w,
                _ => 0,
            };
            conn.query(
                "SELECT id FROM articles WHERE seq > $1 ORDER BY seq LIMIT $2",
                &[&watermark, &sql_limit(limit)],
            )?
            .iter()
            .map(|r| parse_id(&r.try_get::<_, String>(0)?))
            .collect()
        })
    }

    pub(super) fn reset_links_impl(&self, linker: &str) -> Result<(), StoreError> {
        validate_linker(linker)?;
        self.write("resetting links", Some(ADVISORY_LINKS), |conn| {
            conn.client
                .batch_execute("TRUNCATE link_keys, link_records, link_counters, link_state")?;
            conn.execute(
                "INSERT INTO link_state (singleton, linker, watermark) VALUES (1, $1, 0)",
                &[&linker.as_bytes()],
            )?;
            Ok(())
        })
    }

    pub(super) fn link_state_impl(&self) -> Result<LinkState, StoreError> {
        self.read("reading the link state", |conn| {
            let Some((linker, watermark)) = state(conn)? else {
                return Ok(LinkState::default());
            };
            let linked: i64 = conn
                .query_opt(
                    "SELECT count(*) FROM articles WHERE seq <= $1",
                    &[&watermark],
                )?
                .map_or(Ok(0), |r| r.try_get(0))?;
            let records = conn
                .query(
                    "SELECT kind, count(*) FROM link_records GROUP BY kind ORDER BY kind",
                    &[],
                )?
                .iter()
                .map(|r| Ok((text("kind", r.try_get(0)?)?, count(r.try_get(1)?))))
                .collect::<Result<Vec<_>, Fail>>()?;
            Ok(LinkState {
                linker: Some(text("linker", linker)?),
                linked_articles: count(linked),
                records,
            })
        })
    }
}
