//! The [`Store`] trait and the plain data types it speaks.

use std::ops::Range;

use chrono::NaiveDate;
use serde::Serialize;
use storyline_core::{Article, ArticleId, DateProvenance, Problem, Timestamp};

use crate::lease::LinkerLease;
use crate::links::{LinkBatch, LinkRecord, LinkState};
use crate::StoreError;

/// The shortest id prefix [`Store::resolve_id_prefix`] accepts. Shorter
/// prefixes match too many articles to be useful and would make the lookup a
/// large range read.
pub const MIN_ID_PREFIX_LEN: usize = 4;

/// The most hits one [`Store::search`] returns, whatever [`SearchQuery::limit`]
/// asks for, so a request cannot make the store load and snippet the whole
/// corpus.
pub const MAX_SEARCH_LIMIT: usize = 1_000;

/// The deepest page of search hits: a ranked search keeps offset + limit
/// hits to skip the first, so paging stops here.
pub const MAX_SEARCH_OFFSET: usize = 10_000;

/// How many articles one LSH band contributes to
/// [`Store::near_duplicate_candidates`] at most: the earliest ingested.
pub const MAX_CANDIDATES_PER_BAND: usize = 64;

/// The longest analyser name [`StoredAnalysis::analyzer`] may have, in bytes.
pub const MAX_ANALYZER_LEN: usize = 100;

/// A per-article analysis as the store keeps it: an opaque JSON document
/// and the analyser that made it.
///
/// The store never reads the document; it keeps it beside its article so the
/// analysis is computed once per text and analyser version. An analysis
/// made by another analyser than the current one is *stale*
/// ([`Store::stale_analyses`]) and is replaced with [`Store::put_analyses`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredAnalysis {
    /// The analyser's name and version, e.g. `fast/3`: 1 to
    /// [`MAX_ANALYZER_LEN`] bytes, no control characters. Compared exactly.
    pub analyzer: String,
    /// The serialised analysis, kept verbatim.
    pub json: String,
}

/// An article to store, with the near-duplicate fingerprint the engine
/// computed for it.
///
/// The store keeps the fingerprint so later articles can find this one as a
/// near-duplicate candidate ([`Store::near_duplicate_candidates`]) without
/// re-reading its text.
#[derive(Clone, Debug, PartialEq)]
pub struct NewArticle {
    /// The article, with its id, content hash and duplicate group already set.
    pub article: Article,
    /// The MinHash signature of the article's shingles, returned as is to
    /// callers that verify candidates.
    pub minhash: Vec<u32>,
    /// LSH band hashes of the signature: two articles sharing any one of them
    /// are candidates. The store treats them as opaque keys, so the engine
    /// should mix the band number into each hash (the same rows in band 1 and
    /// band 2 must not collide).
    pub lsh_bands: Vec<u64>,
    /// The article's analysis, stored with it in the same transaction;
    /// `None` leaves the article unanalysed (listed by
    /// [`Store::stale_analyses`]). Ignored, like the rest of the article,
    /// when the article is already stored.
    pub analysis: Option<StoredAnalysis>,
}

/// What [`Store::put_articles`] did with each article of a batch, in batch order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PutReport {
    /// Articles written by this call.
    pub inserted: Vec<ArticleId>,
    /// Articles skipped because an article with the same id was already stored
    /// (or came earlier in the same batch): re-ingesting is idempotent.
    pub already_present: Vec<ArticleId>,
}

/// Which articles [`Store::articles`] returns.
///
/// The default selects every article. Results are ordered by published time
/// (articles without a date last), then by ingest order, so paging with
/// `offset`/`limit` is stable while nothing is being written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleFilter {
    /// Only articles from this source (outlet), compared case-insensitively
    /// and exactly otherwise (`reuters` matches `Reuters`, not `Reuters UK`).
    pub source: Option<String>,
    /// Only articles published on or after this day (UTC when the time and
    /// offset are known, else the source's own day). Excludes undated articles.
    pub since: Option<NaiveDate>,
    /// Only articles published on or before this day (inclusive, as `since`).
    /// Excludes undated articles.
    pub until: Option<NaiveDate>,
    /// Only articles whose published date came from this kind of evidence.
    pub provenance: Option<DateProvenance>,
    /// At most this many articles; `None` for all.
    pub limit: Option<usize>,
    /// Skip this many articles first.
    pub offset: usize,
}

/// A full-text query.
///
/// The text is user input and is parsed leniently: it never fails to parse.
/// Words are matched (stemmed, case-insensitively) in the title and the
/// text, ranked by BM25 with title matches weighted double; an article
/// needs to match at least one word. `"double quotes"` match a phrase (an
/// unclosed quote runs to the end), a leading `-` excludes a word or phrase,
/// `AND`/`OR`/`NOT` in capitals act as operators (`NOT x` is `-x`), and
/// every other operator character is treated as punctuation. Very long
/// queries are cut to their first 1,000 characters and 32 words or
/// phrases. A query with no words (empty, or all punctuation) matches
/// nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the user typed.
    pub text: String,
    /// Only articles from this source (case-insensitive exact match, as
    /// [`ArticleFilter::source`]).
    pub source: Option<String>,
    /// Only articles published on or after this day (as [`ArticleFilter::since`]).
    pub since: Option<NaiveDate>,
    /// Only articles published on or before this day.
    pub until: Option<NaiveDate>,
    /// At most this many hits, capped at [`MAX_SEARCH_LIMIT`]; 0 returns nothing.
    pub limit: usize,
    /// Skip this many of the best hits first (paging), capped at
    /// [`MAX_SEARCH_OFFSET`].
    pub offset: usize,
}

impl SearchQuery {
    /// A query for `text` with no filters and a limit of 20.
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            source: None,
            since: None,
            until: None,
            limit: 20,
            offset: 0,
        }
    }
}

/// One search result, best first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// The article.
    pub id: ArticleId,
    /// Its headline.
    pub title: Option<String>,
    /// Its source (outlet), as stored.
    pub source: Option<String>,
    /// Its published date.
    pub published: Option<Timestamp>,
    /// Relevance; higher is better. Only comparable within one result list.
    pub score: f32,
    /// Up to about 200 characters of the text around the best match, with
    /// whitespace and control characters collapsed to single spaces, `…` where
    /// it was cut, and each matched term wrapped in [`SNIPPET_OPEN`] `«` and
    /// [`SNIPPET_CLOSE`] `»`. When only the title matched, the opening of the
    /// text, unmarked. The text is untrusted: escape it before showing it in
    /// HTML.
    ///
    /// [`SNIPPET_OPEN`]: crate::SNIPPET_OPEN
    /// [`SNIPPET_CLOSE`]: crate::SNIPPET_CLOSE
    pub snippet: String,
    /// Byte ranges in `snippet` of the matched terms, markers excluded. The
    /// article text may itself contain `«` and `»` (French quotes), so a
    /// display that must be exact should use these instead of the markers.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<SnippetRange>))]
    pub highlights: Vec<Range<usize>>,
}

/// The schema of one of [`SearchHit::highlights`]: serde writes a
/// `Range<usize>` as `{"start", "end"}`, which utoipa cannot derive.
#[cfg(feature = "openapi")]
#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // Only its schema is used.
pub struct SnippetRange {
    /// Byte offset in `snippet` where a matched term starts.
    start: usize,
    /// Byte offset in `snippet` just after it.
    end: usize,
}

/// Counts describing the whole store, for `storyline stats` and health checks.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StoreStats {
    /// Articles stored, near-duplicates included.
    pub articles: u64,
    /// Near-duplicate groups that have at least one copy besides their first article.
    pub duplicate_groups_with_copies: u64,
    /// Articles that are a near-duplicate of an earlier one.
    pub duplicates: u64,
    /// Articles per source, most first; undated and unsourced articles are
    /// not listed here (they still count in `articles`). Sources differing
    /// only in letter case are counted together under one spelling.
    pub sources: Vec<(String, u64)>,
    /// Articles per date provenance, in [`DateProvenance::ALL`] order, zero counts omitted.
    pub by_provenance: Vec<(DateProvenance, u64)>,
    /// The earliest published date.
    pub earliest: Option<Timestamp>,
    /// The latest published date.
    pub latest: Option<Timestamp>,
    /// The schema version of the store's data, counted per backend (see
    /// [`crate::SCHEMA_VERSION`] for SQLite; PostgreSQL's is
    /// `POSTGRES_SCHEMA_VERSION`).
    pub schema_version: u32,
    /// Documents in the full-text index; equal to `articles` unless the index
    /// is lagging after an interrupted write.
    pub index_documents: u64,
    /// Ingest runs recorded with [`Store::record_run`].
    pub ingest_runs: u64,
    /// Problems recorded across all runs.
    pub problems_recorded: u64,
    /// Articles per analyser that made their stored analysis, most first
    /// (ties by name); articles without an analysis are not listed. See
    /// [`StoreStats::analyzed`] and [`StoreStats::analysis_stale`].
    pub analyzers: Vec<(String, u64)>,
}

impl StoreStats {
    /// Articles whose stored analysis was made by the analyser `current`.
    pub fn analyzed(&self, current: &str) -> u64 {
        self.analyzers
            .iter()
            .find(|(a, _)| a == current)
            .map_or(0, |&(_, n)| n)
    }

    /// Articles whose analysis is missing or was made by another analyser
    /// than `current`: how many [`Store::stale_analyses`] would list.
    pub fn analysis_stale(&self, current: &str) -> u64 {
        self.articles.saturating_sub(self.analyzed(current))
    }
}

/// One recorded ingest run: what was read and what went wrong, so a user can
/// ask later why an article is missing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct IngestRun {
    /// Run number, increasing from 1 in recording order.
    pub run: u64,
    /// When the run was recorded (UTC), i.e. when it finished.
    pub recorded_at: Timestamp,
    /// The inputs named on the command line or in the request.
    pub inputs: Vec<String>,
    /// Problems the run reported, in the order given.
    pub problems: Vec<Problem>,
    /// The engine's summary of the run (counts, timings), kept as given.
    pub summary: serde_json::Value,
}

/// Where articles live. Every method is safe to call from several threads at
/// once; writes are serialised inside the store.
///
/// What a reader may observe: a batch written by [`Store::put_articles`] is
/// visible to every read method once that call returns, all of it or none of
/// it. Search may briefly lag behind the other reads only after a failed
/// index write (see [`SqliteStore`](crate::SqliteStore)).
pub trait Store: Send + Sync {
    /// Stores one batch in one transaction: either every new article of the
    /// batch is committed or none is. Articles whose id is already stored
    /// (or appeared earlier in the batch) are skipped and listed in
    /// [`PutReport::already_present`], so re-ingesting is idempotent.
    ///
    /// Each article's `duplicate_group` must name a stored article or one in
    /// the batch (itself included); ids must be 16 lowercase hex digits and
    /// the similarity and confidence finite. A batch breaking this is
    /// rejected whole with [`StoreError::InvalidArticle`].
    fn put_articles(&self, batch: &[NewArticle]) -> Result<PutReport, StoreError>;

    /// The article with this id, text included.
    fn article(&self, id: &ArticleId) -> Result<Option<Article>, StoreError>;

    /// Whether an article with this id is stored; cheaper than [`Store::article`].
    fn contains(&self, id: &ArticleId) -> Result<bool, StoreError>;

    /// Articles matching the filter, in the order described on [`ArticleFilter`].
    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>, StoreError>;

    /// The stored ids starting with `prefix` (hex, any case, at least
    /// [`MIN_ID_PREFIX_LEN`] digits), sorted, so users can type the first
    /// few digits of an id. More than one result means the prefix is
    /// ambiguous; none means no such article.
    fn resolve_id_prefix(&self, prefix: &str) -> Result<Vec<ArticleId>, StoreError>;

    /// Near-duplicate candidates for an article with these LSH band hashes:
    /// stored articles sharing at least one band, most shared bands first
    /// (then earliest ingested), at most `limit`. Each band contributes at
    /// most its [`MAX_CANDIDATES_PER_BAND`] earliest articles, so a story
    /// syndicated ten thousand times costs no more to check than one copied
    /// twice (the earliest copies carry the group). Each comes with its
    /// duplicate group and MinHash signature so the caller can verify the
    /// similarity. Answered from an index on the band hashes, never a scan.
    fn near_duplicate_candidates(
        &self,
        bands: &[u64],
        limit: usize,
    ) -> Result<Vec<(ArticleId, ArticleId, Vec<u32>)>, StoreError>;

    /// Full-text search; see [`SearchQuery`] for the query language and
    /// [`SearchHit`] for the snippet format. Never fails on what the user typed.
    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError>;

    /// How many articles match `query` in all, its limit and offset aside:
    /// the total a page of [`Store::search`] belongs to. The default counts
    /// what one search returns, at most [`MAX_SEARCH_LIMIT`] (for test
    /// doubles); every backend counts them all.
    fn search_count(&self, query: &SearchQuery) -> Result<u64, StoreError> {
        let all = SearchQuery {
            limit: MAX_SEARCH_LIMIT,
            offset: 0,
            ..query.clone()
        };
        Ok(self.search(&all)?.len() as u64)
    }

    /// Drops the full-text index and rebuilds it from the stored articles;
    /// returns the number of articles indexed. For a corrupt or suspect index.
    fn reindex(&self) -> Result<u64, StoreError>;

    /// Counts describing the store.
    fn stats(&self) -> Result<StoreStats, StoreError>;

    /// Records one ingest run: its inputs, the problems it reported, and a
    /// free-form summary.
    fn record_run(
        &self,
        inputs: &[String],
        problems: &[Problem],
        summary: &serde_json::Value,
    ) -> Result<(), StoreError>;

    /// The most recent ingest runs, newest first, at most `limit`.
    fn runs(&self, limit: usize) -> Result<Vec<IngestRun>, StoreError>;

    /// The stored analysis of the article with this id; `None` when the
    /// article is not stored or has no analysis.
    fn analysis(&self, id: &ArticleId) -> Result<Option<StoredAnalysis>, StoreError>;

    /// Replaces the analyses of stored articles (re-analysis after an
    /// analyser upgrade), in one transaction: every analysis is written or
    /// none is. An id given twice gets the later analysis. An id that is not
    /// stored, or an invalid analyser name, rejects the whole call with
    /// [`StoreError::InvalidAnalysis`].
    fn put_analyses(&self, analyses: &[(ArticleId, StoredAnalysis)]) -> Result<(), StoreError>;

    /// Up to `limit` ids of articles whose analysis is missing or was made
    /// by another analyser than `current`, in ingest order. A re-analysis
    /// loop pages through them by calling this again after each
    /// [`Store::put_analyses`] (the replaced ones are no longer listed).
    /// Answered from an index, without reading texts or analyses.
    fn stale_analyses(&self, current: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError>;

    // --- Cross-document linking (see [`crate::links`]) ---

    /// Applies a linking batch in one transaction: records written (each
    /// replacing its earlier body and keys), records deleted, counters
    /// incremented, and the watermark advanced, or nothing at all. A batch
    /// whose watermark names an unknown article fails with
    /// [`StoreError::UnknownArticle`]; empty kinds, ids or keys, or a kind
    /// over [`crate::MAX_LINK_KEY_LEN`] bytes, with
    /// [`StoreError::InvalidLink`]. Ids, keys and counter keys of any
    /// length are accepted: one over the limit is stored in its bounded
    /// form ([`crate::bounded_link_key`]), and every read below takes the
    /// long form or the bounded one alike. Fails with [`StoreError::InvalidLink`]
    /// too when the stored links were made by another linker than `linker`
    /// (call [`Store::reset_links`] first).
    fn put_links(&self, linker: &str, batch: &LinkBatch) -> Result<(), StoreError>;

    /// The records of `kind` with these ids, in the order asked; unknown ids
    /// are left out. Each record carries the id as asked; its keys are
    /// their stored forms (a key over the limit comes back bounded).
    fn link_records(&self, kind: &str, ids: &[String]) -> Result<Vec<LinkRecord>, StoreError>;

    /// The bodies of the records of `kind` with these ids, as (id, body)
    /// pairs in the order asked; unknown ids are left out. The same as
    /// [`Store::link_records`] without the keys, which a backend may skip
    /// reading: the linker compares dozens of stored claims per new one and
    /// needs only their bodies.
    fn link_bodies(&self, kind: &str, ids: &[String]) -> Result<Vec<(String, String)>, StoreError> {
        Ok(self
            .link_records(kind, ids)?
            .into_iter()
            .map(|r| (r.id, r.body))
            .collect())
    }

    /// For each key, the ids of up to `per_key` records of `kind` that carry
    /// it, most recently written first, as (key, id) pairs. `per_key` is
    /// capped at [`crate::MAX_LINK_LOOKUP_PER_KEY`]: a key shared by every
    /// record (a common word) costs no more than a rare one.
    fn link_lookup(
        &self,
        kind: &str,
        keys: &[String],
        per_key: usize,
    ) -> Result<Vec<(String, String)>, StoreError>;

    /// Records of `kind` in id order, the first `limit` with an id greater
    /// than `after` (pagination for listings and exports).
    fn link_scan(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<LinkRecord>, StoreError>;

    /// The values of these counters (zero for one never incremented).
    fn link_counters(&self, keys: &[String]) -> Result<Vec<i64>, StoreError>;

    /// Up to `limit` ids of articles not yet linked (above the watermark), in
    /// ingest order. When the stored links were made by another linker than
    /// `linker`, nothing counts as linked.
    fn unlinked(&self, linker: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError>;

    /// Deletes every link record and counter and resets the watermark, so
    /// that `linker` relinks the store from the first article.
    fn reset_links(&self, linker: &str) -> Result<(), StoreError>;

    /// Which linker made the stored links, how many articles it covered, and
    /// how many records of each kind there are.
    fn link_state(&self) -> Result<LinkState, StoreError>;

    /// How many articles were published on each day (UTC day, as the date
    /// filters read it), oldest day first; undated articles are left out,
    /// near-duplicate copies counted. One number per day, so a chart of a
    /// store of any size costs one grouped read. The default pages through
    /// [`Store::articles`], for test doubles.
    fn articles_per_day(&self) -> Result<Vec<(NaiveDate, u64)>, StoreError> {
        let mut days: std::collections::BTreeMap<NaiveDate, u64> = Default::default();
        let mut offset = 0;
        loop {
            let page = self.articles(&ArticleFilter {
                offset,
                limit: Some(1_000),
                ..ArticleFilter::default()
            })?;
            if page.is_empty() {
                break;
            }
            offset += page.len();
            for a in &page {
                if let Some(t) = &a.draft.published {
                    *days.entry(filter_day(t)).or_default() += 1;
                }
            }
        }
        Ok(days.into_iter().collect())
    }

    /// Takes the store's linker lease for `holder` (who asks, for the
    /// messages of others: `pid 4242 on host-a`), so that one process
    /// links at a time; a second one gets [`StoreError::LinkerBusy`] naming
    /// the holder, at once (callers that wait poll). The lease lasts until
    /// the [`LinkerLease`] is dropped or its process dies; nothing stale is
    /// ever left behind. The default guards nothing, for test doubles.
    fn lease_linker(&self, holder: &str) -> Result<LinkerLease, StoreError> {
        let _ = holder;
        Ok(LinkerLease::unguarded())
    }
}

/// Why `analyzer` is not a valid [`StoredAnalysis::analyzer`], if it is not.
pub(crate) fn analyzer_problem(analyzer: &str) -> Option<String> {
    if analyzer.is_empty() {
        Some("the analyser name is empty".into())
    } else if analyzer.len() > MAX_ANALYZER_LEN {
        Some(format!(
            "the analyser name is {} bytes long, more than {MAX_ANALYZER_LEN}",
            analyzer.len()
        ))
    } else if analyzer.chars().any(char::is_control) {
        Some("the analyser name contains control characters".into())
    } else {
        None
    }
}

/// The checks every backend applies to a [`Store::put_analyses`] call
/// before writing any of it. `is_stored` answers whether an id is stored.
pub(crate) fn validate_analyses(
    analyses: &[(ArticleId, StoredAnalysis)],
    mut is_stored: impl FnMut(&ArticleId) -> Result<bool, StoreError>,
) -> Result<(), StoreError> {
    for (index, (id, analysis)) in analyses.iter().enumerate() {
        let reject = |reason: String| StoreError::InvalidAnalysis {
            index,
            id: id.as_str().chars().take(40).collect(),
            reason,
        };
        if let Some(reason) = analyzer_problem(&analysis.analyzer) {
            return Err(reject(reason));
        }
        if !is_valid_id(id.as_str()) || !is_stored(id)? {
            return Err(reject("no article with this id is stored".into()));
        }
    }
    Ok(())
}

/// The checks every backend applies to a batch before writing any of it, so
/// the backends reject the same batches with the same error.
///
/// `is_stored` answers whether an id is already in the store.
pub(crate) fn validate_batch(
    batch: &[NewArticle],
    mut is_stored: impl FnMut(&ArticleId) -> Result<bool, StoreError>,
) -> Result<(), StoreError> {
    let in_batch: std::collections::HashSet<&ArticleId> =
        batch.iter().map(|n| &n.article.id).collect();
    for (index, new) in batch.iter().enumerate() {
        let a = &new.article;
        let reject = |reason: String| StoreError::InvalidArticle {
            index,
            id: a.id.as_str().chars().take(40).collect(),
            reason,
        };
        if !is_valid_id(a.id.as_str()) {
            return Err(reject("the id is not 16 lowercase hex digits".into()));
        }
        if !is_valid_id(a.duplicate_group.as_str()) {
            return Err(reject(format!(
                "the duplicate group {:?} is not 16 lowercase hex digits",
                a.duplicate_group.as_str()
            )));
        }
        if !a.duplicate_similarity.is_finite() {
            return Err(reject(format!(
                "duplicate_similarity is {}, not a finite number",
                a.duplicate_similarity
            )));
        }
        if !a.draft.published_confidence.is_finite() {
            return Err(reject(format!(
                "published_confidence is {}, not a finite number",
                a.draft.published_confidence
            )));
        }
        if let Some(reason) = new
            .analysis
            .as_ref()
            .and_then(|x| analyzer_problem(&x.analyzer))
        {
            return Err(reject(format!("its analysis is invalid: {reason}")));
        }
        if !in_batch.contains(&a.duplicate_group) && !is_stored(&a.duplicate_group)? {
            return Err(reject(format!(
                "its duplicate group {} is neither stored nor in this batch; store the group's first article first",
                a.duplicate_group
            )));
        }
    }
    Ok(())
}

/// Whether `s` is an id as [`ArticleId::for_text`] makes them.
pub(crate) fn is_valid_id(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Checks and lower-cases an id prefix for [`Store::resolve_id_prefix`].
pub(crate) fn normalize_id_prefix(prefix: &str) -> Result<String, StoreError> {
    let p = prefix.trim().to_ascii_lowercase();
    let invalid = |reason: &str| StoreError::InvalidIdPrefix {
        prefix: prefix.chars().take(40).collect(),
        reason: reason.to_string(),
    };
    if p.len() < MIN_ID_PREFIX_LEN {
        return Err(invalid("type at least 4 hex digits of the id"));
    }
    if p.len() > 16 {
        return Err(invalid("article ids are 16 hex digits long"));
    }
    if !p.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(invalid("article ids contain only the digits 0-9 and a-f"));
    }
    Ok(p)
}

/// The key sources are compared by: case-insensitive, exact otherwise.
pub(crate) fn source_key(source: &str) -> String {
    source.trim().to_lowercase()
}

/// The day an article is filtered by (see [`ArticleFilter::since`]).
pub(crate) fn filter_day(t: &Timestamp) -> NaiveDate {
    t.utc_date()
}

/// A string that sorts published times chronologically: UTC date and time
/// when the offset is known, the source's local time when not, the bare day
/// when there is no time (which sorts before the times of that day).
pub(crate) fn sort_key(t: &Timestamp) -> String {
    use chrono::{FixedOffset, TimeZone};
    match (t.time, t.offset_seconds) {
        (Some(time), Some(off)) => {
            let utc = FixedOffset::east_opt(off)
                .and_then(|tz| tz.from_local_datetime(&t.date.and_time(time)).single())
                .map(|dt| dt.naive_utc())
                .unwrap_or_else(|| t.date.and_time(time));
            utc.format("%Y-%m-%dT%H:%M:%S").to_string()
        }
        (Some(time), None) => t
            .date
            .and_time(time)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string(),
        (None, _) => t.date.format("%Y-%m-%d").to_string(),
    }
}

/// Now, in UTC, to the second.
pub(crate) fn now() -> Timestamp {
    use chrono::Timelike;
    let n = chrono::Utc::now().naive_utc();
    Timestamp {
        date: n.date(),
        time: n.time().with_nanosecond(0),
        offset_seconds: Some(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_keys_order_chronologically() {
        let k = |s: &str| sort_key(&Timestamp::parse(s).unwrap());
        assert_eq!(k("2023-11-09T23:30:00-05:00"), "2023-11-10T04:30:00");
        assert_eq!(k("2023-11-09"), "2023-11-09");
        assert!(k("2023-11-09") < k("2023-11-09T00:00:00Z"));
        assert!(k("2023-11-09T10:00:00+02:00") < k("2023-11-09T09:00:00Z"));
    }

    #[test]
    fn id_prefixes_are_checked() {
        assert_eq!(normalize_id_prefix(" ABCDEF ").unwrap(), "abcdef");
        for bad in ["", "abc", "abcdefg", "0123456789abcdef0"] {
            assert!(
                matches!(
                    normalize_id_prefix(bad),
                    Err(StoreError::InvalidIdPrefix { .. })
                ),
                "{bad}"
            );
        }
    }
}
