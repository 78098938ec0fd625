use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use storyline_core::{
    Article, ArticleDraft, ArticleId, DateProvenance, Location, Problem, Timestamp,
};
use storyline_ingest::{Event, IngestOptions, Input};
use storyline_store::{NewArticle, StoredAnalysis};

use crate::dedup::{self, Fingerprint, DUPLICATE_THRESHOLD};
use crate::{Engine, EngineError};

/// How an ingest run batches and stamps its work.
#[derive(Clone, Debug)]
pub struct IngestConfig {
    /// Reader options (field map, fetch limits, "now").
    pub reader: IngestOptions,
    /// Articles per transaction. Larger batches amortise commits; smaller
    /// ones lose less when a run is killed.
    pub batch_size: usize,
    /// Bytes of article text per transaction: a batch is also committed
    /// once its articles' texts reach this many bytes, so that a file of
    /// huge articles (up to the readers' 64 MiB each) holds a few of them
    /// and their analyses at a time, not `batch_size`. Default
    /// [`BATCH_BYTES`]; ordinary news (500 articles of a few kB) never
    /// reaches it.
    pub batch_bytes: usize,
    /// The ingest time recorded on new articles.
    pub ingested_at: Timestamp,
    /// Run the per-article analysis before storing. Off, articles are stored
    /// without one and `storyline reanalyze` (or a later ingest) fills it in.
    pub analyze: bool,
}

impl Default for IngestConfig {
    fn default() -> Self {
        let now = chrono::Utc::now();
        IngestConfig {
            reader: IngestOptions {
                now: now.date_naive(),
                ..IngestOptions::default()
            },
            batch_size: 500,
            batch_bytes: BATCH_BYTES,
            analyze: true,
            ingested_at: Timestamp {
                date: now.date_naive(),
                time: Some(now.time()),
                offset_seconds: Some(0),
            },
        }
    }
}

/// Progress of an ingest run, for progress bars and logs.
#[derive(Debug)]
pub enum IngestEvent<'a> {
    /// An input (file, directory, URL, stdin) is being read.
    InputStarted(&'a str),
    /// A batch was committed; the totals so far.
    BatchCommitted {
        /// Articles read so far.
        read: u64,
        /// New articles stored so far.
        inserted: u64,
    },
    /// A bad item was skipped or a warning raised.
    Problem(&'a Problem),
}

/// Receives progress; the CLI draws a progress bar from it.
pub trait IngestObserver {
    /// Called for every event, on the ingesting thread.
    fn event(&mut self, event: IngestEvent<'_>);
}

/// An observer that ignores everything.
pub struct NoProgress;

impl IngestObserver for NoProgress {
    fn event(&mut self, _: IngestEvent<'_>) {}
}

/// What an ingest run did.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IngestSummary {
    /// Inputs given.
    pub inputs: usize,
    /// Inputs that could not be read at all, with why.
    pub failed_inputs: Vec<Problem>,
    /// Articles read from the inputs.
    pub read: u64,
    /// Articles newly stored.
    pub inserted: u64,
    /// Articles already in the store (same content), skipped.
    pub already_present: u64,
    /// Files and linked pages not read again because an earlier pass of a
    /// watch read them unchanged.
    pub unchanged: u64,
    /// New articles that are near-duplicates of an earlier article.
    pub near_duplicates: u64,
    /// New articles whose date was inferred from a near-duplicate.
    pub dates_from_duplicates: u64,
    /// Items skipped, with where and why.
    pub skipped: Vec<Problem>,
    /// Warnings about items that were kept (rejected dates, replaced bytes).
    pub warnings: Vec<Problem>,
    /// Wall time.
    #[serde(serialize_with = "as_seconds")]
    #[cfg_attr(feature = "openapi", schema(value_type = f64))]
    pub elapsed: Duration,
}

fn as_seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

impl IngestSummary {
    /// How the run went, as a status: 0 when everything was read, 2 when
    /// some items or inputs failed, 1 when nothing could be done. (The CLI
    /// exits 3 for the middle case, keeping 2 for usage errors.)
    pub fn exit_code(&self) -> i32 {
        let failures = self.skipped.len() + self.failed_inputs.len();
        if failures == 0 {
            0
        } else if self.inserted + self.already_present == 0 {
            // Every item failed or was skipped: nothing could be done.
            1
        } else {
            2
        }
    }
}

impl Engine {
    /// Reads every input, deduplicates, and stores new articles batch by batch.
    ///
    /// Bad files and records are reported in the summary and skipped; the
    /// only errors returned are store failures, after which nothing more is
    /// written (every batch committed before stays committed).
    pub fn ingest(
        &self,
        inputs: &[Input],
        config: &IngestConfig,
        observer: &mut dyn IngestObserver,
    ) -> Result<IngestSummary, EngineError> {
        self.ingest_with(inputs, config, &|_| {}, observer)
    }

    /// [`Engine::ingest`] with a hook that may rewrite each draft before it is
    /// deduplicated and stored (the ingest benchmark uses it to make copies
    /// with new ids; a user could use it to tag a collection).
    pub fn ingest_with(
        &self,
        inputs: &[Input],
        config: &IngestConfig,
        transform: &dyn Fn(&mut ArticleDraft),
        observer: &mut dyn IngestObserver,
    ) -> Result<IngestSummary, EngineError> {
        let start = Instant::now();
        let mut run = Run {
            engine: self,
            config,
            transform,
            pending: Vec::new(),
            pending_bytes: 0,
            seen_this_run: HashSet::new(),
            summary: IngestSummary {
                inputs: inputs.len(),
                ..IngestSummary::default()
            },
            error: None,
            times: StageTimes::default(),
        };
        // Reading and parsing run on their own thread, ahead of hashing,
        // deduplication and storage on this one, so the two overlap. The
        // channel is bounded: a slow store holds the reader back instead of
        // letting parsed articles pile up in memory.
        let stop = AtomicBool::new(false);
        // The channel's count alone does not bound memory when each item may
        // be a 64 MiB article; its bytes are bounded too.
        let ahead = ReadAhead::new(READ_AHEAD_BYTES);
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::sync_channel::<Message>(READ_AHEAD);
            let stop = &stop;
            let ahead = &ahead;
            let reader = &config.reader;
            scope.spawn(move || {
                for input in inputs {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let name = input_name(input);
                    if tx.send(Message::Started(name.clone())).is_err() {
                        break;
                    }
                    let result = storyline_ingest::read(input, reader, &mut |event| {
                        if let Event::Article(d) = &event {
                            ahead.take(d.text.len(), stop);
                        }
                        if !stop.load(Ordering::Relaxed) && tx.send(Message::Event(event)).is_err()
                        {
                            stop.store(true, Ordering::Relaxed);
                        }
                    });
                    let message = match result {
                        Ok(read) => Message::Unchanged(read.unchanged),
                        Err(e) => {
                            Message::Failed(Problem::skipped(Location::source(name), e.to_string()))
                        }
                    };
                    if tx.send(message).is_err() {
                        break;
                    }
                }
            });
            for message in rx {
                match message {
                    Message::Started(name) => observer.event(IngestEvent::InputStarted(&name)),
                    Message::Event(event) => {
                        if let Event::Article(d) = &event {
                            ahead.give(d.text.len());
                        }
                        run.accept(event, observer)
                    }
                    Message::Failed(problem) => {
                        observer.event(IngestEvent::Problem(&problem));
                        run.summary.failed_inputs.push(problem);
                    }
                    Message::Unchanged(n) => run.summary.unchanged += n,
                }
                if run.error.is_some() {
                    // Dropping the receiver ends the reader at its next send.
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
            }
        });
        if run.error.is_none() {
            run.flush(observer);
        }
        self.memo().invalidate();
        let mut summary = run.summary;
        summary.elapsed = start.elapsed();
        if let Some(e) = run.error {
            return Err(e);
        }
        let all: Vec<Problem> = summary
            .failed_inputs
            .iter()
            .chain(&summary.skipped)
            .chain(&summary.warnings)
            .cloned()
            .collect();
        let names: Vec<String> = inputs.iter().map(input_name).collect();
        let record = serde_json::json!({
            "read": summary.read,
            "inserted": summary.inserted,
            "already_present": summary.already_present,
            "near_duplicates": summary.near_duplicates,
            "skipped": summary.skipped.len() + summary.failed_inputs.len(),
            "warnings": summary.warnings.len(),
        });
        self.store.record_run(&names, &all, &record)?;
        Ok(summary)
    }
}

/// Candidates verified per article, most shared LSH bands first. The best
/// match is almost always among the first few; verifying more only costs
/// time when a story has many copies.
const CANDIDATES_TO_VERIFY: usize = 8;

/// Parsed items buffered between the reader thread and the committer.
const READ_AHEAD: usize = 256;

/// Bytes of article text buffered between the reader thread and the
/// committer. The item count alone let 256 articles of up to 64 MiB each
/// (a file of huge records) pile up while a batch was analysed.
const READ_AHEAD_BYTES: usize = 32 << 20;

/// The default [`IngestConfig::batch_bytes`]: four times one article's
/// analysis budget ([`storyline_analyze::document::MAX_ANALYSED_BYTES`]).
/// A batch's analyses are held as JSON (about 14 bytes per analysed byte on
/// dense text) and copied twice more by SQLite while stored, so a batch of
/// huge articles holds at most this much text plus one article's.
pub const BATCH_BYTES: usize = 4 << 20;

/// A count of bytes in flight with an upper bound: the reader takes before
/// it sends an article, the committer gives back when it receives one.
struct ReadAhead {
    used: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl ReadAhead {
    fn new(limit: usize) -> ReadAhead {
        ReadAhead {
            used: Mutex::new(0),
            freed: Condvar::new(),
            limit,
        }
    }

    /// Waits until `n` more bytes fit (one article always fits when nothing
    /// else is in flight, however large), or until `stop` is set: the
    /// committer that gives bytes back may have stopped.
    fn take(&self, n: usize, stop: &AtomicBool) {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        while *used > 0 && used.saturating_add(n) > self.limit && !stop.load(Ordering::Relaxed) {
            used = self
                .freed
                .wait_timeout(used, Duration::from_millis(100))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *used = used.saturating_add(n);
    }

    fn give(&self, n: usize) {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        *used = used.saturating_sub(n);
        self.freed.notify_all();
    }
}

enum Message {
    Started(String),
    Event(Event),
    Failed(Problem),
    /// Files and pages a `Seen` memory let the reader skip.
    Unchanged(u64),
}

/// How an input is named in messages.
pub fn input_name(input: &Input) -> String {
    match input {
        Input::Path(p) => p.display().to_string(),
        Input::Stdin => "-".to_string(),
        Input::Url(u) => u.clone(),
    }
}

struct Run<'a> {
    engine: &'a Engine,
    config: &'a IngestConfig,
    transform: &'a dyn Fn(&mut ArticleDraft),
    pending: Vec<ArticleDraft>,
    /// The text bytes of `pending`.
    pending_bytes: usize,
    /// Ids of the batch being committed, for exact duplicates inside it;
    /// cleared once the batch is stored, where `Store::contains` finds
    /// them, so that a run of millions of articles does not keep every id.
    seen_this_run: HashSet<ArticleId>,
    summary: IngestSummary,
    error: Option<EngineError>,
    times: StageTimes,
}

/// Where a batch's time went, for the queue's benchmarks.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct StageTimes {
    /// Hashing, exact and near-duplicate checks against the store.
    #[serde(serialize_with = "as_seconds")]
    pub dedup: Duration,
    /// The per-article analysis.
    #[serde(serialize_with = "as_seconds")]
    pub analysis: Duration,
    /// Writing the batch in one transaction.
    #[serde(serialize_with = "as_seconds")]
    pub store: Duration,
}

impl StageTimes {
    /// Adds `other`'s times to these.
    pub fn add(&mut self, other: &StageTimes) {
        self.dedup += other.dedup;
        self.analysis += other.analysis;
        self.store += other.store;
    }
}

/// The analysis of a draft as the store keeps it (`None` if it cannot be
/// written as JSON, which the store then lacks and relinking redoes).
fn stored_analysis(draft: &ArticleDraft) -> Option<StoredAnalysis> {
    let analysis = crate::analysis::analyze_draft(draft);
    serde_json::to_string(&analysis)
        .ok()
        .map(|json| StoredAnalysis {
            analyzer: crate::analysis::ANALYZER.to_string(),
            json,
        })
}

/// Drafts with their analyses made ahead of storing them
/// ([`Engine::prepare_drafts`]), to be stored by [`Engine::store_prepared`].
#[derive(Clone, Debug)]
pub struct PreparedDrafts {
    drafts: Vec<(ArticleDraft, Option<StoredAnalysis>)>,
    /// How long the analysis took.
    pub analysis: Duration,
}

impl Engine {
    /// Analyses drafts without looking at the store, in parallel: the
    /// costly part of storing them, which a queue worker does before its
    /// turn to store comes (see `queue::run_worker`).
    pub fn prepare_drafts(&self, drafts: Vec<ArticleDraft>) -> PreparedDrafts {
        let start = Instant::now();
        let analyses: Vec<Option<StoredAnalysis>> =
            drafts.par_iter().map(stored_analysis).collect();
        PreparedDrafts {
            drafts: drafts.into_iter().zip(analyses).collect(),
            analysis: start.elapsed(),
        }
    }

    /// [`Engine::store_drafts`] for prepared drafts: the same checks and the
    /// same articles, the analyses made beforehand used where the checks
    /// leave the draft as it was.
    pub fn store_prepared(
        &self,
        prepared: PreparedDrafts,
        ingested_at: Timestamp,
    ) -> Result<(IngestSummary, StageTimes), EngineError> {
        let start = Instant::now();
        let config = IngestConfig {
            ingested_at,
            analyze: true,
            batch_size: prepared.drafts.len().max(1),
            ..IngestConfig::default()
        };
        let mut run = Run {
            engine: self,
            config: &config,
            transform: &|_| {},
            pending: Vec::new(),
            pending_bytes: 0,
            seen_this_run: HashSet::new(),
            summary: IngestSummary::default(),
            error: None,
            times: StageTimes::default(),
        };
        run.summary.read = prepared.drafts.len() as u64;
        let result = run.commit_prepared(prepared.drafts);
        self.memo().invalidate();
        result?;
        run.times.analysis += prepared.analysis;
        run.summary.elapsed = start.elapsed();
        Ok((run.summary, run.times))
    }

    /// Stores drafts that were read elsewhere (a queue's records) as one
    /// ingest batch: the same exact and near-duplicate checks against the
    /// store, date inference from duplicates, analysis and one
    /// transaction, with `ingested_at` as their ingest time. Idempotent: a
    /// draft whose article is stored already counts as already present.
    /// Records no ingest run (the run was recorded where the drafts were
    /// read).
    pub fn store_drafts(
        &self,
        drafts: Vec<ArticleDraft>,
        ingested_at: Timestamp,
    ) -> Result<(IngestSummary, StageTimes), EngineError> {
        let start = Instant::now();
        let config = IngestConfig {
            ingested_at,
            analyze: true,
            batch_size: drafts.len().max(1),
            ..IngestConfig::default()
        };
        let mut run = Run {
            engine: self,
            config: &config,
            transform: &|_| {},
            pending: Vec::new(),
            pending_bytes: 0,
            seen_this_run: HashSet::new(),
            summary: IngestSummary::default(),
            error: None,
            times: StageTimes::default(),
        };
        run.summary.read = drafts.len() as u64;
        let result = run.commit(drafts);
        self.memo().invalidate();
        result?;
        run.summary.elapsed = start.elapsed();
        Ok((run.summary, run.times))
    }
}

impl Run<'_> {
    fn accept(&mut self, event: Event, observer: &mut dyn IngestObserver) {
        if self.error.is_some() {
            return;
        }
        match event {
            Event::Problem(p) => {
                observer.event(IngestEvent::Problem(&p));
                if p.skipped {
                    self.summary.skipped.push(p);
                } else {
                    self.summary.warnings.push(p);
                }
            }
            Event::Article(mut draft) => {
                self.summary.read += 1;
                (self.transform)(&mut draft);
                if draft.text.trim().is_empty() {
                    let p = Problem::skipped(draft.origin.location.clone(), "no article text");
                    observer.event(IngestEvent::Problem(&p));
                    self.summary.skipped.push(p);
                    return;
                }
                self.pending_bytes = self.pending_bytes.saturating_add(draft.text.len());
                self.pending.push(*draft);
                if self.pending.len() >= self.config.batch_size.max(1)
                    || self.pending_bytes >= self.config.batch_bytes.max(1)
                {
                    self.flush(observer);
                }
            }
        }
    }

    fn flush(&mut self, observer: &mut dyn IngestObserver) {
        if self.pending.is_empty() {
            return;
        }
        let drafts = std::mem::take(&mut self.pending);
        self.pending_bytes = 0;
        match self.commit(drafts) {
            Ok(()) => observer.event(IngestEvent::BatchCommitted {
                read: self.summary.read,
                inserted: self.summary.inserted,
            }),
            Err(e) => self.error = Some(e),
        }
    }

    fn commit(&mut self, drafts: Vec<ArticleDraft>) -> Result<(), EngineError> {
        let prepared = drafts.into_iter().map(|d| (d, None)).collect();
        self.commit_prepared(prepared)
    }

    /// Stores drafts, each with its analysis when it was made beforehand
    /// ([`Engine::prepare_drafts`]); the others are analysed here. A draft
    /// whose date is inferred from a near-duplicate is analysed again, so
    /// the result is the same as without the analysis made beforehand.
    fn commit_prepared(
        &mut self,
        drafts: Vec<(ArticleDraft, Option<StoredAnalysis>)>,
    ) -> Result<(), EngineError> {
        let started = Instant::now();
        let store = self.engine.store();
        // Exact duplicates first: within this run, then against the store.
        let mut fresh = Vec::with_capacity(drafts.len());
        let hashes: Vec<String> = drafts
            .par_iter()
            .map(|(d, _)| storyline_core::content_hash(&d.text))
            .collect();
        for ((draft, analysis), hash) in drafts.into_iter().zip(hashes) {
            let id = ArticleId::from_content_hash(&hash);
            if !self.seen_this_run.insert(id.clone()) || store.contains(&id)? {
                self.summary.already_present += 1;
                continue;
            }
            fresh.push((id, hash, draft, analysis));
        }
        let fingerprints: Vec<Option<Fingerprint>> = fresh
            .par_iter()
            .map(|(_, _, d, _)| dedup::fingerprint(&d.text))
            .collect();

        // Band key -> index into `batch`, for near-duplicates inside this batch.
        let mut batch_bands: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut batch: Vec<NewArticle> = Vec::with_capacity(fresh.len());
        for ((id, content_hash, mut draft, mut analysis), fp) in fresh.into_iter().zip(fingerprints)
        {
            let mut group = id.clone();
            let mut similarity = 1.0f32;
            if let Some(fp) = &fp {
                if let Some((g, s)) = self.best_match(fp, &batch, &batch_bands)? {
                    group = g;
                    similarity = s;
                    self.summary.near_duplicates += 1;
                    if draft.published.is_none() {
                        self.date_from_duplicate(&mut draft, &group, s, &batch)?;
                        if draft.published.is_some() {
                            // Made without the date, which anchors
                            // relative time expressions.
                            analysis = None;
                        }
                    }
                }
            }
            let (minhash, lsh_bands) = fp.map(|f| (f.signature, f.bands)).unwrap_or_default();
            for band in &lsh_bands {
                batch_bands.entry(*band).or_default().push(batch.len());
            }
            batch.push(NewArticle {
                article: Article {
                    content_hash,
                    id,
                    duplicate_group: group,
                    duplicate_similarity: similarity,
                    ingested_at: self.config.ingested_at,
                    draft,
                },
                minhash,
                lsh_bands,
                analysis: analysis.filter(|_| self.config.analyze),
            });
        }
        // Analysis is the costly part of a batch; it runs after date
        // inference (the date anchors relative time expressions), in parallel.
        let analysing = Instant::now();
        self.times.dedup += analysing - started;
        if self.config.analyze {
            batch
                .par_iter_mut()
                .filter(|new| new.analysis.is_none())
                .for_each(|new| new.analysis = stored_analysis(&new.article.draft));
        }
        let storing = Instant::now();
        self.times.analysis += storing - analysing;
        let report = store.put_articles(&batch)?;
        self.seen_this_run.clear();
        self.times.store += storing.elapsed();
        self.summary.inserted += report.inserted.len() as u64;
        self.summary.already_present += report.already_present.len() as u64;
        Ok(())
    }

    /// The near-duplicate group this fingerprint belongs to, if any: the
    /// most similar candidate from the store's LSH index or from this batch.
    fn best_match(
        &self,
        fp: &Fingerprint,
        batch: &[NewArticle],
        batch_bands: &HashMap<u64, Vec<usize>>,
    ) -> Result<Option<(ArticleId, f32)>, EngineError> {
        let mut best: Option<(ArticleId, f32)> = None;
        let mut consider = |group: &ArticleId, signature: &[u32]| {
            let s = dedup::similarity(&fp.signature, signature);
            if s >= DUPLICATE_THRESHOLD && best.as_ref().is_none_or(|(_, b)| s > *b) {
                best = Some((group.clone(), s));
            }
        };
        for (_, group, signature) in self
            .engine
            .store()
            .near_duplicate_candidates(&fp.bands, CANDIDATES_TO_VERIFY)?
        {
            consider(&group, &signature);
        }
        let mut seen = HashSet::new();
        for band in &fp.bands {
            for &i in batch_bands.get(band).into_iter().flatten() {
                if seen.insert(i) {
                    let a = &batch[i];
                    consider(&a.article.duplicate_group, &a.minhash);
                }
            }
        }
        Ok(best)
    }

    /// An undated near-duplicate takes its group's date, marked as inferred.
    fn date_from_duplicate(
        &mut self,
        draft: &mut ArticleDraft,
        group: &ArticleId,
        similarity: f32,
        batch: &[NewArticle],
    ) -> Result<(), EngineError> {
        let original = match batch.iter().find(|a| &a.article.id == group) {
            Some(a) => Some(a.article.clone()),
            None => self.engine.store().article(group)?,
        };
        let Some(original) = original else {
            return Ok(());
        };
        let Some(date) = original.draft.published else {
            return Ok(());
        };
        if original.draft.published_provenance == DateProvenance::Inferred {
            return Ok(());
        }
        draft.published = Some(date);
        draft.published_provenance = DateProvenance::Inferred;
        draft.published_evidence = Some(format!(
            "near-duplicate of article {} (estimated similarity {:.2}), whose date comes from {}",
            original.id, similarity, original.draft.published_provenance
        ));
        draft.published_confidence = (0.8 * similarity).min(0.8);
        self.summary.dates_from_duplicates += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem() -> Problem {
        Problem::skipped(Location::source("x.jsonl").with_record(2), "bad JSON")
    }

    #[test]
    fn exit_code_says_how_much_failed() {
        let mut s = IngestSummary {
            inputs: 1,
            read: 3,
            inserted: 3,
            ..IngestSummary::default()
        };
        assert_eq!(s.exit_code(), 0);
        s.skipped.push(problem());
        assert_eq!(s.exit_code(), 2, "some items failed");
        s.inserted = 0;
        assert_eq!(s.exit_code(), 1, "nothing was stored or already there");
        s.already_present = 3;
        assert_eq!(s.exit_code(), 2, "re-ingested items count as done");
        let missing = IngestSummary {
            inputs: 1,
            failed_inputs: vec![problem()],
            ..IngestSummary::default()
        };
        assert_eq!(missing.exit_code(), 1);
    }

    /// Counts the batches an ingest commits.
    struct Batches(usize);

    impl IngestObserver for Batches {
        fn event(&mut self, event: IngestEvent<'_>) {
            if matches!(event, IngestEvent::BatchCommitted { .. }) {
                self.0 += 1;
            }
        }
    }

    #[test]
    fn batches_are_bounded_by_text_bytes_as_well_as_by_count() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("big.jsonl");
        let lines: Vec<String> = (0..6)
            .map(|i| {
                let text = format!("Report {i}. ") + &"The river rose again. ".repeat(150);
                serde_json::json!({ "title": format!("Report {i}"), "text": text }).to_string()
            })
            .collect();
        std::fs::write(&path, lines.join("\n")).expect("write");
        let engine = Engine::with_store(Box::new(storyline_store::MemStore::default()));
        let ingest = |batch_bytes: usize| {
            let config = IngestConfig {
                batch_bytes,
                analyze: false,
                ..IngestConfig::default()
            };
            let mut batches = Batches(0);
            let summary = engine
                .ingest(&[Input::Path(path.clone())], &config, &mut batches)
                .expect("ingest");
            (summary.read, batches.0)
        };
        // Each text is about 3.3 kB: two of them pass 5 kB, so every
        // second article ends a batch although 500 would fit by count.
        assert_eq!(ingest(5_000), (6, 3));
        // By count alone (the default byte bound is far above) one batch.
        assert_eq!(ingest(BATCH_BYTES), (6, 1));
    }

    #[test]
    fn a_copy_in_a_later_batch_of_the_same_run_is_already_present() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("twice.jsonl");
        let line = serde_json::json!({ "title": "Flood", "text": "The river rose again." });
        let other = serde_json::json!({ "title": "Fire", "text": "The hills burned." });
        std::fs::write(&path, format!("{line}\n{other}\n{line}\n")).expect("write");
        let engine = Engine::with_store(Box::new(storyline_store::MemStore::default()));
        let config = IngestConfig {
            batch_size: 1,
            analyze: false,
            ..IngestConfig::default()
        };
        let summary = engine
            .ingest(&[Input::Path(path)], &config, &mut NoProgress)
            .expect("ingest");
        assert_eq!(
            (summary.read, summary.inserted, summary.already_present),
            (3, 2, 1)
        );
    }

    #[test]
    fn the_read_ahead_holds_the_reader_until_bytes_come_back() {
        let ahead = ReadAhead::new(10);
        let stop = AtomicBool::new(false);
        // One article always fits when nothing is in flight, however large.
        ahead.take(25, &stop);
        ahead.give(25);
        ahead.take(8, &stop);
        let got = AtomicBool::new(false);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                ahead.take(8, &stop);
                got.store(true, Ordering::SeqCst);
            });
            std::thread::sleep(Duration::from_millis(150));
            assert!(
                !got.load(Ordering::SeqCst),
                "8 + 8 bytes are over the 10-byte bound"
            );
            ahead.give(8);
        });
        assert!(got.load(Ordering::SeqCst));
        // A stopped run releases a waiting reader.
        let stopped = AtomicBool::new(true);
        ahead.take(8, &stopped);
    }
}
