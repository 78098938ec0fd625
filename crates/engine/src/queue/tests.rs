//! The worker over the in-memory queue and a store that fails on demand.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use storyline_core::{ArticleDraft, ArticleId, Problem};
use storyline_queue::{MemQueue, Queue, Record};
use storyline_store::*;

use super::*;

/// A MemStore whose writes and `contains` fail while `down` is above zero
/// (each failed call counts it down, so the outage ends however the
/// worker probes it), and
/// which panics storing a text with `poison` in it and refuses one with
/// `refused` in it while answering reads.
struct Faulty {
    inner: MemStore,
    down: Arc<AtomicU32>,
}

fn unavailable() -> StoreError {
    StoreError::Io {
        action: "reach",
        path: "the test store".into(),
        source: std::io::Error::other("the store is down"),
    }
}

impl Store for Faulty {
    fn put_articles(&self, batch: &[NewArticle]) -> Result<PutReport, StoreError> {
        if self.down.load(Ordering::SeqCst) > 0 {
            self.down.fetch_sub(1, Ordering::SeqCst);
            return Err(unavailable());
        }
        for (index, a) in batch.iter().enumerate() {
            assert!(!a.article.draft.text.contains("poison"), "poisoned record");
            if a.article.draft.text.contains("refused") {
                return Err(StoreError::InvalidArticle {
                    index,
                    id: a.article.id.to_string(),
                    reason: "refused".into(),
                });
            }
        }
        self.inner.put_articles(batch)
    }
    fn article(&self, id: &ArticleId) -> Result<Option<Article>, StoreError> {
        self.inner.article(id)
    }
    fn contains(&self, id: &ArticleId) -> Result<bool, StoreError> {
        if self.down.load(Ordering::SeqCst) > 0 {
            self.down.fetch_sub(1, Ordering::SeqCst);
            return Err(unavailable());
        }
        self.inner.contains(id)
    }
    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>, StoreError> {
        self.inner.articles(filter)
    }
    fn resolve_id_prefix(&self, prefix: &str) -> Result<Vec<ArticleId>, StoreError> {
        self.inner.resolve_id_prefix(prefix)
    }
    fn near_duplicate_candidates(
        &self,
        bands: &[u64],
        limit: usize,
    ) -> Result<Vec<(ArticleId, ArticleId, Vec<u32>)>, StoreError> {
        self.inner.near_duplicate_candidates(bands, limit)
    }
    fn search(&self, query: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        self.inner.search(query)
    }
    fn reindex(&self) -> Result<u64, StoreError> {
        self.inner.reindex()
    }
    fn stats(&self) -> Result<StoreStats, StoreError> {
        self.inner.stats()
    }
    fn record_run(
        &self,
        inputs: &[String],
        problems: &[Problem],
        summary: &serde_json::Value,
    ) -> Result<(), StoreError> {
        self.inner.record_run(inputs, problems, summary)
    }
    fn runs(&self, limit: usize) -> Result<Vec<IngestRun>, StoreError> {
        self.inner.runs(limit)
    }
    fn analysis(&self, id: &ArticleId) -> Result<Option<StoredAnalysis>, StoreError> {
        self.inner.analysis(id)
    }
    fn put_analyses(&self, analyses: &[(ArticleId, StoredAnalysis)]) -> Result<(), StoreError> {
        self.inner.put_analyses(analyses)
    }
    fn stale_analyses(&self, current: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError> {
        self.inner.stale_analyses(current, limit)
    }
    fn put_links(&self, linker: &str, batch: &LinkBatch) -> Result<(), StoreError> {
        self.inner.put_links(linker, batch)
    }
    fn link_records(&self, kind: &str, ids: &[String]) -> Result<Vec<LinkRecord>, StoreError> {
        self.inner.link_records(kind, ids)
    }
    fn link_lookup(
        &self,
        kind: &str,
        keys: &[String],
        per_key: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.inner.link_lookup(kind, keys, per_key)
    }
    fn link_scan(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<LinkRecord>, StoreError> {
        self.inner.link_scan(kind, after, limit)
    }
    fn link_counters(&self, keys: &[String]) -> Result<Vec<i64>, StoreError> {
        self.inner.link_counters(keys)
    }
    fn unlinked(&self, linker: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError> {
        self.inner.unlinked(linker, limit)
    }
    fn reset_links(&self, linker: &str) -> Result<(), StoreError> {
        self.inner.reset_links(linker)
    }
    fn link_state(&self) -> Result<LinkState, StoreError> {
        self.inner.link_state()
    }
}

use storyline_core::Article;

fn engine(down: u32) -> (Engine, Arc<AtomicU32>) {
    let down = Arc::new(AtomicU32::new(down));
    let store = Faulty {
        inner: MemStore::default(),
        down: down.clone(),
    };
    (Engine::with_store(Box::new(store)), down)
}

fn record(text: &str) -> Record {
    let mut draft = ArticleDraft::new(text);
    draft.title = Some(format!("About {}", &text[..10.min(text.len())]));
    Record::new(draft, "2023-11-09T10:00:00Z".parse().expect("time"))
}

fn texts() -> Vec<String> {
    (0..5)
        .map(|i| {
            format!(
                "Officials in Leeds said on Tuesday that {i} new bridges would open. \
                 The council leader, Jane Smith, said: \"We waited {} years.\"",
                i + 2
            )
        })
        .collect()
}

fn config() -> WorkerConfig {
    WorkerConfig {
        batch: 4,
        wait: Duration::from_millis(20),
        drain: true,
        backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        order_wait: Duration::from_millis(300),
    }
}

fn stored(engine: &Engine) -> Vec<String> {
    let mut texts: Vec<String> = engine
        .store()
        .articles(&ArticleFilter::default())
        .expect("articles")
        .into_iter()
        .map(|a| a.draft.text)
        .collect();
    texts.sort();
    texts
}

#[test]
fn a_worker_stores_and_analyses_every_record_once_and_acknowledges_it() {
    let (engine, _) = engine(0);
    let queue = MemQueue::new(Duration::from_secs(60), 5);
    let records: Vec<Record> = texts().iter().map(|t| record(t)).collect();
    // One is stored already (a worker died before acknowledging it).
    engine
        .store_drafts(vec![records[0].draft.clone()], records[0].ingested_at)
        .expect("store");
    queue.publish(&records).expect("publish");
    let report = run_worker(&engine, &queue, &config(), &AtomicBool::new(false));
    assert_eq!(
        (
            report.deliveries,
            report.stored,
            report.already_present,
            report.dead_lettered
        ),
        (5, 4, 1, 0),
        "{report:?}"
    );
    let mut want = texts();
    want.sort();
    assert_eq!(stored(&engine), want);
    for a in engine
        .store()
        .articles(&ArticleFilter::default())
        .expect("articles")
    {
        assert_eq!(a.ingested_at, records[0].ingested_at, "the reader's time");
        assert!(engine.analysis(&a.id).expect("analysis").is_some());
    }
    assert!(queue.status().expect("status").is_idle());
    assert!(
        queue.wait_stored(Duration::ZERO),
        "the worker told the linker it stored articles"
    );

    // Records all stored already: nothing new, no word for the linker.
    let again = MemQueue::new(Duration::from_secs(60), 5);
    again.publish(&records).expect("publish");
    let report = run_worker(&engine, &again, &config(), &AtomicBool::new(false));
    assert_eq!(
        (report.stored, report.already_present),
        (0, 5),
        "{report:?}"
    );
    assert!(
        !again.wait_stored(Duration::ZERO),
        "no word when nothing is new"
    );
}

#[test]
fn a_store_outage_is_waited_out_and_nothing_is_lost_or_set_aside() {
    let (engine, down) = engine(4);
    let queue = MemQueue::new(Duration::from_secs(60), 2);
    queue
        .publish(&texts().iter().map(|t| record(t)).collect::<Vec<_>>())
        .expect("publish");
    let report = run_worker(&engine, &queue, &config(), &AtomicBool::new(false));
    assert_eq!(down.load(Ordering::SeqCst), 0);
    assert!(report.store_retries >= 2, "{report:?}");
    assert_eq!(
        (report.stored, report.dead_lettered, report.redelivered),
        (5, 0, 0)
    );
    assert_eq!(stored(&engine).len(), 5);
}

#[test]
fn unreadable_poisoned_and_refused_records_are_set_aside_with_their_reason() {
    let (engine, _) = engine(0);
    let queue = MemQueue::new(Duration::from_secs(60), 5);
    let mut records: Vec<Record> = texts().iter().map(|t| record(t)).collect();
    records.insert(1, record("This record is poison for the store."));
    records.insert(3, record("This record is refused by the store."));
    queue.publish(&records).expect("publish");
    queue.push_raw("junk", b"{\"not\": \"a record\"}".to_vec());
    let report = run_worker(&engine, &queue, &config(), &AtomicBool::new(false));
    assert_eq!((report.stored, report.dead_lettered), (5, 3), "{report:?}");
    let mut want = texts();
    want.sort();
    assert_eq!(
        stored(&engine),
        want,
        "the good records of every batch are stored"
    );
    let dead = queue.dead_letters(10).expect("dead");
    let reasons: Vec<&str> = dead.iter().map(|d| d.reason.as_str()).collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.contains("panicked: poisoned record")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("the store refused it")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("not a storyline record")),
        "{reasons:?}"
    );
    assert!(queue.status().expect("status").is_idle());
}

#[test]
fn a_record_on_its_last_delivery_is_set_aside_untried_and_a_redelivery_stored() {
    let (engine, _) = engine(0);
    let queue = MemQueue::new(Duration::ZERO, 3);
    let records: Vec<Record> = texts().iter().take(2).map(|t| record(t)).collect();
    queue.publish(&records).expect("publish");
    // Workers that died: the first record twice, the second once.
    assert_eq!(queue.fetch(2, Duration::ZERO).expect("fetch").len(), 2);
    assert_eq!(queue.fetch(1, Duration::ZERO).expect("fetch").len(), 1);
    let report = run_worker(&engine, &queue, &config(), &AtomicBool::new(false));
    assert_eq!(
        (report.stored, report.dead_lettered, report.redelivered),
        (1, 1, 2),
        "{report:?}"
    );
    assert_eq!(stored(&engine), [texts()[1].clone()]);
    let dead = queue.dead_letters(10).expect("dead");
    assert!(dead[0].reason.contains("delivered 3 times"), "{dead:?}");
    assert_eq!(dead[0].id, records[0].id().as_str());
}

#[test]
fn publishing_reads_inputs_into_records_and_reports_what_it_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let texts = texts();
    let lines: Vec<String> = texts
        .iter()
        .chain([&texts[0], &String::new()])
        .map(|t| serde_json::json!({"text": t, "title": "T", "date": "2023-11-08"}).to_string())
        .chain(["{broken".to_string()])
        .collect();
    let path = dir.path().join("a.jsonl");
    std::fs::write(&path, lines.join("\n")).expect("write");
    let queue = MemQueue::new(Duration::from_secs(60), 5);
    // A whole second: a record's times travel as RFC 3339 seconds.
    let config = IngestConfig {
        ingested_at: "2023-11-09T10:00:00Z".parse().expect("time"),
        ..IngestConfig::default()
    };
    let summary = publish(
        &[Input::Path(path)],
        &config,
        1,
        &queue,
        &mut crate::NoProgress,
    )
    .expect("publish");
    assert_eq!(
        (
            summary.read,
            summary.queued,
            summary.duplicates,
            summary.skipped.len()
        ),
        (6, 5, 1, 2),
        "{summary:?}"
    );
    assert_eq!(summary.exit_code(), 2);
    let got = queue.fetch(10, Duration::ZERO).expect("fetch");
    let first = got[0].record.as_ref().expect("record");
    assert_eq!(first.draft.text, texts[0]);
    assert_eq!(first.ingested_at, config.ingested_at);
    assert!(
        first.draft.published.is_some(),
        "the reader's metadata travels"
    );
}

#[test]
fn copies_are_distinct_articles_and_each_copy_repeats_the_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let texts = texts();
    // Five articles, the first twice.
    let lines: Vec<String> = texts
        .iter()
        .chain([&texts[0]])
        .map(|t| serde_json::json!({"text": t, "date": "2023-11-08"}).to_string())
        .collect();
    let path = dir.path().join("a.jsonl");
    std::fs::write(&path, lines.join("\n")).expect("write");
    let queue = MemQueue::new(Duration::from_secs(60), 5);
    let summary = publish(
        &[Input::Path(path)],
        &IngestConfig::default(),
        3,
        &queue,
        &mut crate::NoProgress,
    )
    .expect("publish");
    // Each copy is new to the queue; within a copy the repeat is not.
    assert_eq!(
        (summary.read, summary.queued, summary.duplicates),
        (18, 15, 3),
        "{summary:?}"
    );
    let got = queue.fetch(100, Duration::ZERO).expect("fetch");
    let texts_got: Vec<&str> = got
        .iter()
        .map(|d| d.record.as_ref().expect("record").draft.text.as_str())
        .collect();
    assert_eq!(texts_got.len(), 15);
    assert_eq!(texts_got[0], texts[0], "copy 0 is the input itself");
    assert_eq!(texts_got[5], format!("{}\n[bench copy 1]", texts[0]));
    assert_eq!(texts_got[14], format!("{}\n[bench copy 2]", texts[4]));
}

#[test]
fn records_a_dead_worker_stored_but_never_acknowledged_come_back_and_are_found_stored() {
    use storyline_queue::nats::{server::test_server, ConsumerSetup, NatsOptions, NatsQueue};
    let Some(server) = test_server("engine: worker died between commit and ack") else {
        return;
    };
    let options = NatsOptions {
        ack_wait: Duration::from_secs(1),
        consumer: ConsumerSetup::Create,
        ..NatsOptions::default()
    };
    let queue = NatsQueue::connect(&server.url(), options.clone()).expect("connect");
    let records: Vec<Record> = texts().iter().map(|t| record(t)).collect();
    queue.publish(&records).expect("publish");
    let (engine, _) = engine(0);
    {
        // Another worker, on its own connection, takes three records,
        // commits them and dies before acknowledging.
        let dead = NatsQueue::connect(&server.url(), options).expect("connect");
        let mut got = Vec::new();
        let until = std::time::Instant::now() + Duration::from_secs(10);
        while got.len() < 3 && std::time::Instant::now() < until {
            got.extend(
                dead.fetch(3 - got.len(), Duration::from_millis(500))
                    .expect("fetch"),
            );
        }
        assert_eq!(got.len(), 3);
        let drafts = got
            .iter()
            .map(|d| d.record.as_ref().expect("record").draft.clone())
            .collect();
        let (summary, _) = engine
            .store_drafts(drafts, records[0].ingested_at)
            .expect("store");
        assert_eq!(summary.inserted, 3);
    }
    let report = run_worker(&engine, &queue, &config(), &AtomicBool::new(false));
    assert_eq!(
        (
            report.stored,
            report.already_present,
            report.redelivered,
            report.dead_lettered
        ),
        (2, 3, 3, 0),
        "{report:?}"
    );
    assert_eq!(stored(&engine).len(), 5, "each once");
    assert!(queue.status().expect("status").is_idle());
}

#[test]
fn a_batch_waits_for_the_records_published_before_it_so_the_store_keeps_their_order() {
    let (engine, _) = engine(0);
    let queue = MemQueue::new(Duration::from_secs(60), 5);
    let records: Vec<Record> = texts().iter().map(|t| record(t)).collect();
    queue.publish(&records).expect("publish");
    // Another worker holds the first two records, still analysing them.
    let held = queue.fetch(2, Duration::ZERO).expect("fetch");
    assert_eq!(held.len(), 2);
    let config = WorkerConfig {
        order_wait: Duration::from_secs(30),
        ..config()
    };
    let report = std::thread::scope(|scope| {
        let worker = scope.spawn(|| run_worker(&engine, &queue, &config, &AtomicBool::new(false)));
        // This worker has the last three by now, analysed, and waits.
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(stored(&engine).len(), 0, "nothing stored ahead of its turn");
        let drafts = held
            .iter()
            .map(|d| d.record.as_ref().expect("record").draft.clone())
            .collect();
        engine
            .store_drafts(drafts, records[0].ingested_at)
            .expect("store");
        queue
            .ack_all(&held.iter().collect::<Vec<_>>())
            .expect("ack");
        worker.join().expect("worker")
    });
    assert_eq!((report.stored, report.out_of_order), (3, 0), "{report:?}");
    let order = engine.store().unlinked("order-test", 10).expect("unlinked");
    let want: Vec<ArticleId> = records.iter().map(Record::id).collect();
    assert_eq!(order, want, "the store holds them in publication order");
}

#[test]
fn a_batch_whose_earlier_records_never_come_is_stored_after_the_order_wait() {
    let (engine, _) = engine(0);
    let queue = MemQueue::new(Duration::from_secs(60), 5);
    let records: Vec<Record> = texts().iter().map(|t| record(t)).collect();
    queue.publish(&records).expect("publish");
    // A worker that died holding the first record (its ack wait is long).
    let held = queue.fetch(1, Duration::ZERO).expect("fetch");
    assert_eq!(held.len(), 1);
    let config = WorkerConfig {
        drain: false,
        ..config()
    };
    let stop = AtomicBool::new(false);
    let report = std::thread::scope(|scope| {
        let worker = scope.spawn(|| run_worker(&engine, &queue, &config, &stop));
        let until = std::time::Instant::now() + Duration::from_secs(20);
        while stored(&engine).len() < 4 && std::time::Instant::now() < until {
            std::thread::sleep(Duration::from_millis(20));
        }
        stop.store(true, Ordering::SeqCst);
        worker.join().expect("worker")
    });
    assert_eq!((report.stored, report.out_of_order), (4, 1), "{report:?}");
}
