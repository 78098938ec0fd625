//! Ingest through a work queue: [`publish`] reads inputs and puts each raw
//! record on the queue; [`run_worker`] pulls records, stores them as an
//! ingest batch would (deduplication, analysis, one transaction) and
//! acknowledges them. Any number of workers may run on any number of
//! machines against one store; one linker follows the store
//! (`Engine::link`, which links in store order and resumes where it
//! stopped).
//!
//! What a worker does with each delivery, and why:
//! - a record it cannot read, or whose processing panics when it is tried
//!   alone, goes to the dead letters with the reason: the analysis is
//!   deterministic, so trying again would fail again;
//! - a record delivered for the queue's last allowed time goes to the dead
//!   letters untried: every worker before that died or hung on it;
//! - a redelivered record is tried on its own, so a record that kills
//!   workers cannot take the records delivered with it down too;
//! - a store failure is retried with backoff for as long as the store does
//!   not answer, the held records kept alive meanwhile (they are not given
//!   back, which would spend their deliveries on an outage); a store that
//!   answers but refuses one record three times sets that record aside;
//! - storing is idempotent, so a record stored by a worker that died before
//!   acknowledging is found already present when it comes back.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;
use storyline_core::{ArticleDraft, Location, Problem, Timestamp};
use storyline_ingest::{Event, Input};
use storyline_queue::{Delivery, Published, Queue, QueueError, QueueStatus, Record};
use tracing::{debug, info, warn};

use crate::ingest::{input_name, StageTimes};
use crate::{Engine, EngineError, IngestConfig, IngestEvent, IngestObserver};

/// Records sent to the queue per call.
const PUBLISH_CHUNK: usize = 256;

/// What publishing did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PublishSummary {
    /// Inputs given.
    pub inputs: usize,
    /// Inputs that could not be read at all, with why.
    pub failed_inputs: Vec<Problem>,
    /// Articles read from the inputs.
    pub read: u64,
    /// Records put on the queue.
    pub queued: u64,
    /// Records the queue dropped as published recently (same content).
    pub duplicates: u64,
    /// Items skipped (unreadable, no text, refused by the queue), with why.
    pub skipped: Vec<Problem>,
    /// Warnings about items that were kept.
    pub warnings: Vec<Problem>,
    /// Wall time.
    #[serde(serialize_with = "as_seconds")]
    pub elapsed: Duration,
}

impl PublishSummary {
    /// 0 when everything was read, 2 when some items failed, 1 when nothing
    /// could be done (as [`crate::IngestSummary::exit_code`]).
    pub fn exit_code(&self) -> i32 {
        let failures = self.skipped.len() + self.failed_inputs.len();
        if failures == 0 {
            0
        } else if self.queued + self.duplicates == 0 {
            1
        } else {
            2
        }
    }
}

fn as_seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// Reads every input and publishes each article as a [`Record`] stamped
/// with `config.ingested_at`, in the order read; nothing is analysed or
/// stored here. Bad items are reported as problems, as by ingest; an
/// error means the queue failed (records published before stay queued).
///
/// With `copies` above 1 the inputs are read that many times, and each
/// copy after the first is marked ([`mark_copy`]) so that it is a new
/// article by content hash: the workers and the linker at `copies` times
/// the input's volume, as `storyline bench ingest --copies` measures one
/// process.
pub fn publish(
    inputs: &[Input],
    config: &IngestConfig,
    copies: usize,
    queue: &dyn Queue,
    observer: &mut dyn IngestObserver,
) -> Result<PublishSummary, EngineError> {
    let start = Instant::now();
    let mut summary = PublishSummary {
        inputs: inputs.len(),
        ..PublishSummary::default()
    };
    let mut pending: Vec<Record> = Vec::new();
    // Text bytes in `pending`: a chunk also goes once it holds
    // `config.batch_bytes`, so that huge records are not held by the count.
    let mut pending_bytes = 0usize;
    let mut failure: Option<EngineError> = None;
    for (copy, input) in (0..copies.max(1)).flat_map(|c| inputs.iter().map(move |i| (c, i))) {
        let name = input_name(input);
        observer.event(IngestEvent::InputStarted(&name));
        let result = storyline_ingest::read(input, &config.reader, &mut |event| {
            if failure.is_some() {
                return;
            }
            match event {
                Event::Problem(p) => {
                    observer.event(IngestEvent::Problem(&p));
                    if p.skipped {
                        summary.skipped.push(p);
                    } else {
                        summary.warnings.push(p);
                    }
                }
                Event::Article(mut draft) => {
                    summary.read += 1;
                    if draft.text.trim().is_empty() {
                        let p = Problem::skipped(draft.origin.location.clone(), "no article text");
                        observer.event(IngestEvent::Problem(&p));
                        summary.skipped.push(p);
                        return;
                    }
                    mark_copy(&mut draft, copy);
                    pending_bytes = pending_bytes.saturating_add(draft.text.len());
                    pending.push(Record::new(*draft, config.ingested_at));
                    if pending.len() >= PUBLISH_CHUNK || pending_bytes >= config.batch_bytes.max(1)
                    {
                        let chunk = std::mem::take(&mut pending);
                        pending_bytes = 0;
                        if let Err(e) = send(queue, &chunk, &mut summary, observer) {
                            failure = Some(e.into());
                        }
                    }
                }
            }
        });
        if let Err(e) = result {
            let p = Problem::skipped(Location::source(name), e.to_string());
            observer.event(IngestEvent::Problem(&p));
            summary.failed_inputs.push(p);
        }
        if let Some(e) = failure {
            return Err(e);
        }
    }
    send(queue, &pending, &mut summary, observer)?;
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Copy `copy` of an article (0 is the article itself): a marker line
/// after the text, so each copy has its own content id and is stored,
/// analysed and linked as an article of its own.
pub fn mark_copy(draft: &mut ArticleDraft, copy: usize) {
    if copy > 0 {
        draft.text.push_str(&format!("\n[bench copy {copy}]"));
    }
}

fn send(
    queue: &dyn Queue,
    records: &[Record],
    summary: &mut PublishSummary,
    observer: &mut dyn IngestObserver,
) -> Result<(), QueueError> {
    if records.is_empty() {
        return Ok(());
    }
    for (record, outcome) in records.iter().zip(queue.publish(records)?) {
        match outcome {
            Published::Queued => summary.queued += 1,
            Published::Duplicate => summary.duplicates += 1,
            Published::Refused(why) => {
                let p = Problem::skipped(record.draft.origin.location.clone(), why);
                observer.event(IngestEvent::Problem(&p));
                summary.skipped.push(p);
            }
        }
    }
    observer.event(IngestEvent::BatchCommitted {
        read: summary.read,
        inserted: summary.queued,
    });
    Ok(())
}

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Records fetched (and stored in one transaction) at a time.
    pub batch: usize,
    /// How long one fetch waits for records.
    pub wait: Duration,
    /// Stop when the queue is empty and nothing is in flight, instead of
    /// waiting for more (batch jobs, benchmarks, tests).
    pub drain: bool,
    /// The first pause after a failure; it doubles up to `max_backoff`.
    pub backoff: Duration,
    /// The longest pause between two tries.
    pub max_backoff: Duration,
    /// How long a batch analysed waits for the records published before it
    /// to be stored (see [`Queue::settled_before`]) before it is stored
    /// out of order.
    pub order_wait: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            batch: 16,
            wait: Duration::from_secs(5),
            drain: false,
            backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            order_wait: Duration::from_secs(10),
        }
    }
}

/// What a worker did, with where its time went.
#[derive(Clone, Debug, Default, Serialize)]
pub struct WorkerReport {
    /// Deliveries received.
    pub deliveries: u64,
    /// Articles newly stored.
    pub stored: u64,
    /// Records whose article was in the store already.
    pub already_present: u64,
    /// Deliveries that were redeliveries (a worker before did not finish).
    pub redelivered: u64,
    /// Records set aside with a reason.
    pub dead_lettered: u64,
    /// Store writes that failed and were tried again.
    pub store_retries: u64,
    /// Queue calls that failed and were tried again.
    pub queue_retries: u64,
    /// Time receiving records (fetches that brought some).
    #[serde(serialize_with = "as_seconds")]
    pub fetch: Duration,
    /// Time waiting for records when none came.
    #[serde(serialize_with = "as_seconds")]
    pub idle: Duration,
    /// Time in the stages of storing.
    pub stages: StageTimes,
    /// Batches stored before the records published ahead of them were
    /// done (see [`WorkerConfig::order_wait`]): their articles may be
    /// deduplicated and linked differently from one ingest of the sources.
    pub out_of_order: u64,
    /// Time waiting for the records published before a batch to be stored.
    #[serde(serialize_with = "as_seconds")]
    pub turn_wait: Duration,
    /// Time acknowledging and setting aside.
    #[serde(serialize_with = "as_seconds")]
    pub ack: Duration,
    /// Wall time.
    #[serde(serialize_with = "as_seconds")]
    pub elapsed: Duration,
}

/// Pulls records from `queue` and stores them through `engine` until `stop`
/// is set (checked between batches and during pauses) or, with
/// `config.drain`, the queue has nothing left. Failures of the queue or the
/// store are waited out with backoff; nothing but `stop` ends it early.
pub fn run_worker(
    engine: &Engine,
    queue: &dyn Queue,
    config: &WorkerConfig,
    stop: &AtomicBool,
) -> WorkerReport {
    let start = Instant::now();
    let mut worker = Worker {
        engine,
        queue,
        config,
        stop,
        report: WorkerReport::default(),
        limits: None,
    };
    worker.run();
    worker.report.elapsed = start.elapsed();
    worker.report
}

struct Worker<'a> {
    engine: &'a Engine,
    queue: &'a dyn Queue,
    config: &'a WorkerConfig,
    stop: &'a AtomicBool,
    report: WorkerReport,
    /// The queue's ack wait and delivery limit, once known.
    limits: Option<QueueStatus>,
}

/// How often a store that answers may refuse a record before it is set aside.
const REFUSALS: u32 = 3;

impl Worker<'_> {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    /// Sleeps `pause` in small steps, returning early when stopped.
    fn pause(&self, pause: Duration) {
        let until = Instant::now() + pause;
        while !self.stopped() && Instant::now() < until {
            std::thread::sleep(Duration::from_millis(50).min(until - Instant::now()));
        }
    }

    fn next_backoff(&self, backoff: Duration) -> Duration {
        (backoff * 2).min(self.config.max_backoff)
    }

    fn run(&mut self) {
        let mut backoff = self.config.backoff;
        while !self.stopped() {
            if self.limits.is_none() {
                match self.queue.status() {
                    Ok(status) => self.limits = Some(status),
                    Err(e) => {
                        self.queue_failed(&e, backoff);
                        backoff = self.next_backoff(backoff);
                        continue;
                    }
                }
            }
            let fetching = Instant::now();
            let deliveries = self.queue.fetch(self.config.batch.max(1), self.config.wait);
            // A fetch that found nothing waited for work: idle time, not
            // the queue's cost.
            match &deliveries {
                Ok(d) if d.is_empty() => self.report.idle += fetching.elapsed(),
                _ => self.report.fetch += fetching.elapsed(),
            }
            let deliveries = match deliveries {
                Ok(d) => d,
                Err(e) => {
                    self.queue_failed(&e, backoff);
                    backoff = self.next_backoff(backoff);
                    continue;
                }
            };
            backoff = self.config.backoff;
            if deliveries.is_empty() {
                if self.config.drain && self.queue.status().is_ok_and(|s| s.is_idle()) {
                    info!("the queue is empty; the worker stops");
                    return;
                }
                continue;
            }
            self.handle(deliveries);
        }
    }

    fn queue_failed(&mut self, e: &QueueError, backoff: Duration) {
        self.report.queue_retries += 1;
        warn!(error = %e, retry_in = ?backoff, "queue call failed; trying again");
        self.pause(backoff);
    }

    fn handle(&mut self, deliveries: Vec<Delivery>) {
        self.report.deliveries += deliveries.len() as u64;
        let max_deliver = self.limits.as_ref().map_or(u64::MAX, |l| l.max_deliver);
        // Groups of records tried together: consecutive first deliveries
        // of one ingest time; each redelivery alone.
        let mut groups: Vec<Vec<Delivery>> = Vec::new();
        for d in deliveries {
            if d.deliveries > 1 {
                self.report.redelivered += 1;
            }
            let reason = match &d.record {
                Err(why) => Some(why.clone()),
                Ok(_) if max_deliver > 1 && d.deliveries >= max_deliver => Some(format!(
                    "delivered {} times without being acknowledged: every worker before \
                     died or timed out on it",
                    d.deliveries
                )),
                Ok(_) => None,
            };
            if let Some(reason) = reason {
                self.dead_letter(&d, &reason);
                continue;
            }
            // Consecutive in the queue too: a group is stored when every
            // record before its first is done, so one with a gap would
            // store the records after the gap too early.
            let joins = d.deliveries == 1
                && groups.last().and_then(|g| g.last()).is_some_and(|last| {
                    last.deliveries == 1
                        && ingest_time(last) == ingest_time(&d)
                        && last.sequence.checked_add(1) == Some(d.sequence)
                });
            match groups.last_mut() {
                Some(group) if joins => group.push(d),
                _ => groups.push(vec![d]),
            }
        }
        let mut touched = Instant::now();
        let mut queue: std::collections::VecDeque<Vec<Delivery>> = groups.into();
        while let Some(group) = queue.pop_front() {
            if self.stopped() {
                // Not acknowledged: delivered again to another worker.
                return;
            }
            // Records that wait behind a slow batch are kept alive.
            let ack_wait = self
                .limits
                .as_ref()
                .map_or(Duration::from_secs(30), |l| l.ack_wait);
            if touched.elapsed() > ack_wait / 3 {
                for d in queue.iter().flatten().chain(&group) {
                    let _ = self.queue.in_progress(d);
                }
                touched = Instant::now();
            }
            let stored_before = self.report.stored;
            match self.store(&group, queue.iter().flatten()) {
                Outcome::Stored => {
                    let acking = Instant::now();
                    let all: Vec<&Delivery> = group.iter().collect();
                    if let Err(e) = self.queue.ack_all(&all) {
                        // They come back and are found stored.
                        warn!(error = %e, "could not acknowledge stored records; they will be redelivered and found present");
                    }
                    // The linker wakes for new articles now rather than at
                    // its next look; a lost word only delays it to that.
                    if self.report.stored > stored_before {
                        if let Err(e) = self.queue.announce_stored() {
                            debug!(error = %e, "could not tell the linker about stored records");
                        }
                    }
                    self.report.ack += acking.elapsed();
                }
                Outcome::Panicked(why) if group.len() == 1 => {
                    self.dead_letter(&group[0], &format!("processing it panicked: {why}"));
                }
                Outcome::Refused(why) if group.len() == 1 => {
                    self.dead_letter(&group[0], &format!("the store refused it: {why}"));
                }
                Outcome::Panicked(_) | Outcome::Refused(_) => {
                    // Try each alone to find the one at fault.
                    for d in group.into_iter().rev() {
                        queue.push_front(vec![d]);
                    }
                }
                Outcome::Stopped => return,
            }
        }
    }

    /// Stores one group, retrying store failures while the store is down.
    fn store<'d>(
        &mut self,
        group: &'d [Delivery],
        waiting: impl Iterator<Item = &'d Delivery> + Clone,
    ) -> Outcome {
        let drafts: Vec<_> = group
            .iter()
            .filter_map(|d| d.record.as_ref().ok())
            .map(|r| r.draft.clone())
            .collect();
        let Some(at) = group.first().and_then(ingest_time) else {
            return Outcome::Stored;
        };
        // The analysis, the costly part, runs at once, beside the other
        // workers'; the store is written in publication order.
        let prepared = match catch_unwind(AssertUnwindSafe(|| self.engine.prepare_drafts(drafts))) {
            Ok(prepared) => prepared,
            Err(panic) => return Outcome::Panicked(panic_message(&*panic)),
        };
        if let Some(first) = group.first() {
            if !self.wait_turn(first.sequence, waiting.clone().chain(group)) {
                return Outcome::Stopped;
            }
        }
        let mut backoff = self.config.backoff;
        let mut refusals = 0;
        loop {
            let result = catch_unwind(AssertUnwindSafe(|| {
                self.engine.store_prepared(prepared.clone(), at)
            }));
            match result {
                Ok(Ok((summary, times))) => {
                    self.report.stored += summary.inserted;
                    self.report.already_present += summary.already_present;
                    self.report.stages.add(&times);
                    debug!(
                        stored = summary.inserted,
                        present = summary.already_present,
                        "batch stored"
                    );
                    return Outcome::Stored;
                }
                Err(panic) => return Outcome::Panicked(panic_message(&*panic)),
                Ok(Err(e)) => {
                    self.report.store_retries += 1;
                    // A store that answers a read is up: the write refused
                    // these records. One that does not is down: wait.
                    let probe = group
                        .iter()
                        .filter_map(|d| d.record.as_ref().ok())
                        .map(|r| r.id())
                        .next()
                        .map(|id| self.engine.store().contains(&id));
                    if matches!(probe, Some(Ok(_))) {
                        refusals += 1;
                        if refusals >= REFUSALS {
                            return Outcome::Refused(e.to_string());
                        }
                    }
                    warn!(error = %e, retry_in = ?backoff, "storing a batch failed; trying again");
                    for d in group.iter().chain(waiting.clone()) {
                        let _ = self.queue.in_progress(d);
                    }
                    self.pause(backoff);
                    if self.stopped() {
                        return Outcome::Stopped;
                    }
                    backoff = self.next_backoff(backoff);
                }
            }
        }
    }

    /// Waits until every record published before `sequence` is done, so
    /// that the store gets articles in publication order (see
    /// [`Queue::settled_before`]); at most `config.order_wait`, after which
    /// the batch is stored out of order rather than held: the records
    /// before it may sit with a worker that died, and come back only after
    /// the ack wait, to a worker that may be this one. `false` when
    /// stopped meanwhile.
    fn wait_turn<'d>(
        &mut self,
        sequence: u64,
        held: impl Iterator<Item = &'d Delivery> + Clone,
    ) -> bool {
        let start = Instant::now();
        let until = start + self.config.order_wait;
        let mut touched = start;
        let mut pause = Duration::from_millis(1);
        loop {
            match self.queue.settled_before(sequence) {
                Ok(true) => break,
                Ok(false) => {}
                // The queue is away: storing out of order is better than
                // holding the batch for an outage the store may not share.
                Err(e) => {
                    warn!(error = %e, "cannot ask the queue whether earlier records are done; storing now");
                    break;
                }
            }
            if Instant::now() >= until {
                self.report.out_of_order += 1;
                if self.config.order_wait.is_zero() {
                    // Asked for: no word per batch.
                    break;
                }
                warn!(
                    sequence,
                    waited = ?self.config.order_wait,
                    "records published before this batch are still not done; storing it out of order"
                );
                break;
            }
            if self.stopped() {
                return false;
            }
            // Records held this long are kept alive.
            let ack_wait = self
                .limits
                .as_ref()
                .map_or(Duration::from_secs(30), |l| l.ack_wait);
            if touched.elapsed() > ack_wait / 3 {
                for d in held.clone() {
                    let _ = self.queue.in_progress(d);
                }
                touched = Instant::now();
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(20));
        }
        self.report.turn_wait += start.elapsed();
        true
    }

    fn dead_letter(&mut self, d: &Delivery, reason: &str) {
        warn!(id = %d.id, deliveries = d.deliveries, reason, "record set aside as a dead letter");
        let acking = Instant::now();
        match self.queue.dead_letter(d, reason) {
            Ok(()) => self.report.dead_lettered += 1,
            // It comes back and is judged again.
            Err(e) => warn!(error = %e, "could not set the record aside"),
        }
        self.report.ack += acking.elapsed();
    }
}

enum Outcome {
    Stored,
    Panicked(String),
    Refused(String),
    Stopped,
}

fn ingest_time(d: &Delivery) -> Option<Timestamp> {
    d.record.as_ref().ok().map(|r| r.ingested_at)
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

#[cfg(test)]
mod tests;
