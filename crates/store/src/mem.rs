//! [`MemStore`]: the store in RAM.

use std::collections::HashMap;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

use storyline_core::{Article, ArticleId, DateProvenance, Problem};

use crate::api::{
    filter_day, normalize_id_prefix, now, sort_key, source_key, validate_analyses, validate_batch,
    ArticleFilter, IngestRun, NewArticle, PutReport, SearchHit, SearchQuery, Store, StoreStats,
    StoredAnalysis, MAX_SEARCH_LIMIT,
};
use crate::links::{
    bounded_batch, bounded_keys, bounded_link_key, dedup_keys, restore_ids, restore_keys,
    validate_link_batch, validate_linker, LinkBatch, LinkRecord, LinkState,
};
use crate::query::{self, simple_tokens, Clause};
use crate::{StoreError, SCHEMA_VERSION};

/// A [`Store`] held in memory, for tests of other crates and for one-shot
/// runs that need no data directory.
///
/// Same semantics as [`crate::SqliteStore`] (it passes the same conformance
/// suite) except search: words match case-insensitively but without
/// stemming, ranked by how often they occur (title counting double), which
/// is enough to test callers, not to rank real corpora.
#[derive(Debug, Default)]
pub struct MemStore {
    inner: RwLock<Inner>,
    linker: crate::lease::LocalLease,
}

#[derive(Debug, Default)]
struct Inner {
    /// In ingest order; the position is the ingest sequence number.
    rows: Vec<Row>,
    by_id: HashMap<ArticleId, usize>,
    by_band: HashMap<u64, Vec<usize>>,
    runs: Vec<IngestRun>,
    links: Links,
}

/// The linking tables, as in SQLite: records with their keys' positions,
/// postings by key (position → id, newest last), counters, watermark.
#[derive(Debug, Default)]
struct Links {
    /// (kind, id) → (body, keys with their posting positions).
    records: std::collections::BTreeMap<(String, String), MemRecord>,
    postings: HashMap<(String, String), std::collections::BTreeMap<u64, String>>,
    counters: HashMap<String, i64>,
    /// Linker and the number of leading rows linked.
    state: Option<(String, usize)>,
    next_pos: u64,
}

type MemRecord = (String, Vec<(u64, String)>);

impl Links {
    fn remove_keys(&mut self, kind: &str, id: &str) {
        if let Some((_, keys)) = self.records.get_mut(&(kind.to_string(), id.to_string())) {
            for (pos, key) in std::mem::take(keys) {
                if let Some(p) = self.postings.get_mut(&(kind.to_string(), key)) {
                    p.remove(&pos);
                }
            }
        }
    }
}

#[derive(Debug)]
struct Row {
    article: Article,
    minhash: Vec<u32>,
    source_key: Option<String>,
    sort_key: Option<String>,
    analysis: Option<StoredAnalysis>,
}

impl MemStore {
    /// Every article matching `q` (filters included) with its score and
    /// the byte ranges of the matched words, in store order.
    fn matches(inner: &Inner, q: &SearchQuery) -> Vec<(f32, usize, Vec<std::ops::Range<usize>>)> {
        let plan = query::parse(&q.text);
        let tokenize = |c: &Clause| -> Vec<String> {
            simple_tokens(c.text())
                .into_iter()
                .map(|(_, t)| t)
                .take(query::MAX_PHRASE_TOKENS)
                .collect()
        };
        let include: Vec<Vec<String>> = plan
            .include
            .iter()
            .map(tokenize)
            .filter(|t| !t.is_empty())
            .collect();
        let exclude: Vec<Vec<String>> = plan
            .exclude
            .iter()
            .map(tokenize)
            .filter(|t| !t.is_empty())
            .collect();
        if include.is_empty() {
            return Vec::new();
        }
        let key = q.source.as_deref().map(source_key);
        let mut hits: Vec<(f32, usize, Vec<std::ops::Range<usize>>)> = Vec::new();
        for (seq, row) in inner.rows.iter().enumerate() {
            if !matches_filter(row, key.as_deref(), q.since, q.until) {
                continue;
            }
            let title = simple_tokens(row.article.draft.title.as_deref().unwrap_or(""));
            let text = simple_tokens(&row.article.draft.text);
            if exclude
                .iter()
                .any(|p| !occurrences(&title, p).is_empty() || !occurrences(&text, p).is_empty())
            {
                continue;
            }
            let mut score = 0.0;
            let mut ranges = Vec::new();
            for phrase in &include {
                score += 2.0 * occurrences(&title, phrase).len() as f32;
                let occ = occurrences(&text, phrase);
                score += occ.len() as f32;
                ranges.extend(occ);
            }
            if score > 0.0 {
                hits.push((score, seq, ranges));
            }
        }
        hits
    }

    /// An empty store.
    pub fn new() -> MemStore {
        MemStore::default()
    }

    fn read(&self) -> Result<RwLockReadGuard<'_, Inner>, StoreError> {
        self.inner.read().map_err(|_| StoreError::Poisoned)
    }

    fn write(&self) -> Result<RwLockWriteGuard<'_, Inner>, StoreError> {
        self.inner.write().map_err(|_| StoreError::Poisoned)
    }
}

fn matches_filter(
    row: &Row,
    source: Option<&str>,
    since: Option<chrono::NaiveDate>,
    until: Option<chrono::NaiveDate>,
) -> bool {
    if let Some(key) = source {
        if row.source_key.as_deref() != Some(key) {
            return false;
        }
    }
    if since.is_some() || until.is_some() {
        let Some(day) = row.article.draft.published.as_ref().map(filter_day) else {
            return false;
        };
        if since.is_some_and(|s| day < s) || until.is_some_and(|u| day > u) {
            return false;
        }
    }
    true
}

impl Store for MemStore {
    fn put_articles(&self, batch: &[NewArticle]) -> Result<PutReport, StoreError> {
        let mut inner = self.write()?;
        validate_batch(batch, |id| Ok(inner.by_id.contains_key(id)))?;
        let mut report = PutReport::default();
        for new in batch {
            let a = &new.article;
            if inner.by_id.contains_key(&a.id) {
                report.already_present.push(a.id.clone());
                continue;
            }
            let seq = inner.rows.len();
            inner.by_id.insert(a.id.clone(), seq);
            let mut bands = new.lsh_bands.clone();
            bands.sort_unstable();
            bands.dedup();
            for band in bands {
                inner.by_band.entry(band).or_default().push(seq);
            }
            inner.rows.push(Row {
                article: a.clone(),
                minhash: new.minhash.clone(),
                source_key: a.draft.source.as_deref().map(source_key),
                sort_key: a.draft.published.as_ref().map(sort_key),
                analysis: new.analysis.clone(),
            });
            report.inserted.push(a.id.clone());
        }
        Ok(report)
    }

    fn article(&self, id: &ArticleId) -> Result<Option<Article>, StoreError> {
        let inner = self.read()?;
        Ok(inner.by_id.get(id).map(|&i| inner.rows[i].article.clone()))
    }

    fn contains(&self, id: &ArticleId) -> Result<bool, StoreError> {
        Ok(self.read()?.by_id.contains_key(id))
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>, StoreError> {
        let inner = self.read()?;
        let key = filter.source.as_deref().map(source_key);
        let mut rows: Vec<(usize, &Row)> = inner
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| matches_filter(r, key.as_deref(), filter.since, filter.until))
            .filter(|(_, r)| {
                filter
                    .provenance
                    .is_none_or(|p| r.article.draft.published_provenance == p)
            })
            .collect();
        rows.sort_by(|(sa, a), (sb, b)| {
            (a.sort_key.is_none(), &a.sort_key, sa).cmp(&(b.sort_key.is_none(), &b.sort_key, sb))
        });
        Ok(rows
            .into_iter()
            .skip(filter.offset)
            .take(filter.limit.unwrap_or(usize::MAX))
            .map(|(_, r)| r.article.clone())
            .collect())
    }

    fn resolve_id_prefix(&self, prefix: &str) -> Result<Vec<ArticleId>, StoreError> {
        let p = normalize_id_prefix(prefix)?;
        let inner = self.read()?;
        let mut ids: Vec<ArticleId> = inner
            .by_id
            .keys()
            .filter(|id| id.as_str().starts_with(&p))
            .cloned()
            .collect();
        ids.sort();
        Ok(ids)
    }

    fn near_duplicate_candidates(
        &self,
        bands: &[u64],
        limit: usize,
    ) -> Result<Vec<(ArticleId, ArticleId, Vec<u32>)>, StoreError> {
        let inner = self.read()?;
        let mut bands = bands.to_vec();
        bands.sort_unstable();
        bands.dedup();
        let mut shared: HashMap<usize, usize> = HashMap::new();
        for band in bands {
            // Buckets hold seqs in ingest order: the earliest ones, as in SQLite.
            let bucket = inner.by_band.get(&band).map(Vec::as_slice).unwrap_or(&[]);
            for &seq in bucket.iter().take(crate::api::MAX_CANDIDATES_PER_BAND) {
                *shared.entry(seq).or_default() += 1;
            }
        }
        let mut ranked: Vec<(usize, usize)> = shared.into_iter().collect();
        ranked.sort_by(|(sa, ca), (sb, cb)| cb.cmp(ca).then(sa.cmp(sb)));
        Ok(ranked
            .into_iter()
            .take(limit)
            .map(|(seq, _)| {
                let r = &inner.rows[seq];
                (
                    r.article.id.clone(),
                    r.article.duplicate_group.clone(),
                    r.minhash.clone(),
                )
            })
            .collect())
    }

    fn search_count(&self, q: &SearchQuery) -> Result<u64, StoreError> {
        let inner = self.read()?;
        Ok(Self::matches(&inner, q).len() as u64)
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let limit = q.limit.min(MAX_SEARCH_LIMIT);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let inner = self.read()?;
        let mut hits = Self::matches(&inner, q);
        hits.sort_by(|(a, sa, _), (b, sb, _)| b.total_cmp(a).then(sa.cmp(sb)));
        let hits = hits
            .into_iter()
            .skip(q.offset.min(crate::MAX_SEARCH_OFFSET))
            .take(limit);
        Ok(hits
            .map(|(score, seq, mut ranges)| {
                let a = &inner.rows[seq].article;
                ranges.sort_by_key(|r| r.start);
                let (snippet, highlights) = match ranges.first() {
                    None => query::opening(&a.draft.text),
                    Some(first) => {
                        let text = &a.draft.text;
                        let start = query::back_up(text, first.start, 60);
                        let end = query::cut_point(text, start, query::SNIPPET_CHARS);
                        let local: Vec<_> = ranges
                            .iter()
                            .filter(|r| r.start >= start && r.end <= end)
                            .map(|r| r.start - start..r.end - start)
                            .collect();
                        query::render_snippet(
                            &text[start..end],
                            &local,
                            start > 0,
                            end < text.len(),
                        )
                    }
                };
                SearchHit {
                    id: a.id.clone(),
                    title: a.draft.title.clone(),
                    source: a.draft.source.clone(),
                    published: a.draft.published,
                    score,
                    snippet,
                    highlights,
                }
            })
            .collect())
    }

    fn reindex(&self) -> Result<u64, StoreError> {
        Ok(self.read()?.rows.len() as u64)
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let inner = self.read()?;
        let mut stats = StoreStats {
            articles: inner.rows.len() as u64,
            schema_version: SCHEMA_VERSION,
            index_documents: inner.rows.len() as u64,
            ingest_runs: inner.runs.len() as u64,
            problems_recorded: inner.runs.iter().map(|r| r.problems.len() as u64).sum(),
            ..StoreStats::default()
        };
        let mut groups = std::collections::HashSet::new();
        let mut sources: HashMap<&str, (&str, u64)> = HashMap::new();
        let mut provenance: HashMap<DateProvenance, u64> = HashMap::new();
        let mut earliest: Option<(&String, &Row)> = None;
        let mut latest: Option<(&String, &Row)> = None;
        for row in &inner.rows {
            let a = &row.article;
            if a.is_duplicate() {
                stats.duplicates += 1;
                groups.insert(&a.duplicate_group);
            }
            if let (Some(key), Some(name)) = (&row.source_key, &a.draft.source) {
                let e = sources.entry(key).or_insert((name, 0));
                e.0 = e.0.min(name.as_str());
                e.1 += 1;
            }
            *provenance.entry(a.draft.published_provenance).or_default() += 1;
            if let Some(k) = &row.sort_key {
                if earliest.is_none_or(|(e, _)| k < e) {
                    earliest = Some((k, row));
                }
                if latest.is_none_or(|(l, _)| k > l) {
                    latest = Some((k, row));
                }
            }
        }
        stats.duplicate_groups_with_copies = groups.len() as u64;
        let mut sources: Vec<(&str, (&str, u64))> = sources.into_iter().collect();
        sources.sort_by(|(ka, (_, a)), (kb, (_, b))| b.cmp(a).then(ka.cmp(kb)));
        stats.sources = sources
            .into_iter()
            .map(|(_, (name, n))| (name.to_string(), n))
            .collect();
        stats.by_provenance = DateProvenance::ALL
            .into_iter()
            .filter_map(|p| provenance.get(&p).map(|&n| (p, n)))
            .collect();
        let mut analyzers: HashMap<&str, u64> = HashMap::new();
        for row in &inner.rows {
            if let Some(a) = &row.analysis {
                *analyzers.entry(&a.analyzer).or_default() += 1;
            }
        }
        let mut analyzers: Vec<(&str, u64)> = analyzers.into_iter().collect();
        analyzers.sort_by(|(ka, a), (kb, b)| b.cmp(a).then(ka.cmp(kb)));
        stats.analyzers = analyzers
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect();
        stats.earliest = earliest.and_then(|(_, r)| r.article.draft.published);
        stats.latest = latest.and_then(|(_, r)| r.article.draft.published);
        Ok(stats)
    }

    fn record_run(
        &self,
        inputs: &[String],
        problems: &[Problem],
        summary: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let mut inner = self.write()?;
        let run = inner.runs.len() as u64 + 1;
        inner.runs.push(IngestRun {
            run,
            recorded_at: now(),
            inputs: inputs.to_vec(),
            problems: problems.to_vec(),
            summary: summary.clone(),
        });
        Ok(())
    }

    fn runs(&self, limit: usize) -> Result<Vec<IngestRun>, StoreError> {
        Ok(self
            .read()?
            .runs
            .iter()
            .rev()
            .take(limit)
            .cloned()
            .collect())
    }

    fn analysis(&self, id: &ArticleId) -> Result<Option<StoredAnalysis>, StoreError> {
        let inner = self.read()?;
        Ok(inner
            .by_id
            .get(id)
            .and_then(|&i| inner.rows[i].analysis.clone()))
    }

    fn put_analyses(&self, analyses: &[(ArticleId, StoredAnalysis)]) -> Result<(), StoreError> {
        let mut inner = self.write()?;
        validate_analyses(analyses, |id| Ok(inner.by_id.contains_key(id)))?;
        for (id, analysis) in analyses {
            if let Some(&i) = inner.by_id.get(id) {
                inner.rows[i].analysis = Some(analysis.clone());
            }
        }
        Ok(())
    }

    fn stale_analyses(&self, current: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError> {
        Ok(self
            .read()?
            .rows
            .iter()
            .filter(|r| r.analysis.as_ref().is_none_or(|a| a.analyzer != current))
            .take(limit)
            .map(|r| r.article.id.clone())
            .collect())
    }

    fn put_links(&self, linker: &str, batch: &LinkBatch) -> Result<(), StoreError> {
        validate_linker(linker)?;
        validate_link_batch(batch)?;
        let batch = &*bounded_batch(batch);
        let mut inner = self.write()?;
        let through = match &batch.linked_through {
            Some(id) => match inner.by_id.get(id) {
                Some(&i) => Some(i + 1),
                None => return Err(StoreError::UnknownArticle { id: id.to_string() }),
            },
            None => None,
        };
        let links = &mut inner.links;
        match &links.state {
            Some((stored, _)) if stored != linker => {
                return Err(StoreError::InvalidLink {
                    reason: format!(
                        "the store's links were made by linker {stored:?}, not {linker:?}; relink from scratch"
                    ),
                })
            }
            Some(_) => {}
            None => links.state = Some((linker.to_string(), 0)),
        }
        for (kind, id) in &batch.deletes {
            links.remove_keys(kind, id);
            links.records.remove(&(kind.clone(), id.clone()));
        }
        for (kind, record) in &batch.records {
            links.remove_keys(kind, &record.id);
            let mut keys = Vec::new();
            for key in dedup_keys(&record.keys) {
                links.next_pos += 1;
                let pos = links.next_pos;
                keys.push((pos, key.to_string()));
                links
                    .postings
                    .entry((kind.clone(), key.to_string()))
                    .or_default()
                    .insert(pos, record.id.clone());
            }
            links.records.insert(
                (kind.clone(), record.id.clone()),
                (record.body.clone(), keys),
            );
        }
        for (key, delta) in &batch.counters {
            *links.counters.entry(key.clone()).or_default() += delta;
        }
        if let (Some(n), Some((_, watermark))) = (through, links.state.as_mut()) {
            *watermark = (*watermark).max(n);
        }
        Ok(())
    }

    fn link_records(&self, kind: &str, asked: &[String]) -> Result<Vec<LinkRecord>, StoreError> {
        let ids = bounded_keys(asked);
        let inner = self.read()?;
        let found = ids
            .iter()
            .filter_map(|id| {
                inner
                    .links
                    .records
                    .get(&(kind.to_string(), id.clone()))
                    .map(|(body, keys)| LinkRecord {
                        id: id.clone(),
                        body: body.clone(),
                        keys: keys.iter().map(|(_, k)| k.clone()).collect(),
                    })
            })
            .collect();
        Ok(restore_ids(asked, &ids, found, |r| &mut r.id))
    }

    fn link_lookup(
        &self,
        kind: &str,
        asked: &[String],
        per_key: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let keys = bounded_keys(asked);
        let inner = self.read()?;
        let per_key = per_key.min(crate::MAX_LINK_LOOKUP_PER_KEY);
        let mut out = Vec::new();
        for key in dedup_keys(&keys) {
            if let Some(p) = inner
                .links
                .postings
                .get(&(kind.to_string(), key.to_string()))
            {
                out.extend(
                    p.values()
                        .rev()
                        .take(per_key)
                        .map(|id| (key.to_string(), id.clone())),
                );
            }
        }
        Ok(restore_keys(asked, &keys, out))
    }

    fn link_scan(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<LinkRecord>, StoreError> {
        let after = after.map(bounded_link_key);
        let after = after.as_deref();
        let ids: Vec<String> = {
            let inner = self.read()?;
            let from = (kind.to_string(), after.unwrap_or("").to_string());
            inner
                .links
                .records
                .range(from..)
                .take_while(|((k, _), _)| k == kind)
                .filter(|((_, id), _)| after.is_none_or(|a| id.as_str() > a))
                .take(limit)
                .map(|((_, id), _)| id.clone())
                .collect()
        };
        self.link_records(kind, &ids)
    }

    fn link_counters(&self, keys: &[String]) -> Result<Vec<i64>, StoreError> {
        let keys = bounded_keys(keys);
        let inner = self.read()?;
        Ok(keys
            .iter()
            .map(|k| inner.links.counters.get(k).copied().unwrap_or(0))
            .collect())
    }

    fn unlinked(&self, linker: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError> {
        let inner = self.read()?;
        let watermark = match &inner.links.state {
            Some((stored, w)) if stored == linker => *w,
            _ => 0,
        };
        Ok(inner
            .rows
            .iter()
            .skip(watermark)
            .take(limit)
            .map(|r| r.article.id.clone())
            .collect())
    }

    fn reset_links(&self, linker: &str) -> Result<(), StoreError> {
        validate_linker(linker)?;
        let mut inner = self.write()?;
        inner.links = Links {
            state: Some((linker.to_string(), 0)),
            ..Links::default()
        };
        Ok(())
    }

    fn link_state(&self) -> Result<LinkState, StoreError> {
        let inner = self.read()?;
        let Some((linker, watermark)) = &inner.links.state else {
            return Ok(LinkState::default());
        };
        let mut records: Vec<(String, u64)> = Vec::new();
        for (kind, _) in inner.links.records.keys() {
            match records.last_mut() {
                Some((k, n)) if k == kind => *n += 1,
                _ => records.push((kind.clone(), 1)),
            }
        }
        Ok(LinkState {
            linker: Some(linker.clone()),
            linked_articles: *watermark as u64,
            records,
        })
    }

    fn lease_linker(&self, holder: &str) -> Result<crate::LinkerLease, StoreError> {
        self.linker.take("memory", holder)
    }
}

/// Byte ranges where `phrase` (consecutive tokens) occurs in `tokens`.
fn occurrences(
    tokens: &[(std::ops::Range<usize>, String)],
    phrase: &[String],
) -> Vec<std::ops::Range<usize>> {
    if phrase.is_empty() || tokens.len() < phrase.len() {
        return Vec::new();
    }
    tokens
        .windows(phrase.len())
        .filter(|w| w.iter().zip(phrase).all(|((_, t), p)| t == p))
        .map(|w| w[0].0.start..w[w.len() - 1].0.end)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::conformance_tests!(MemStore::new());
}
