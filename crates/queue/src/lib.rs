//! Work queues: ingest publishes raw records, workers pull, analyse, store
//! and acknowledge them.
//!
//! A [`Record`] is one article as a reader produced it (an
//! [`ArticleDraft`]) with the time it was read, before any analysis: the
//! expensive, per-article part of the pipeline happens on whichever worker
//! pulls it. The [`Queue`] trait hides where the records wait, as the
//! `Store` trait hides where articles are kept: [`MemQueue`] in one process
//! (tests), and, with the `nats` feature, [`nats::NatsQueue`] in a NATS
//! JetStream stream on disk that any number of machines share.
//!
//! Delivery is at least once: a record is delivered again when its worker
//! does not acknowledge it within the ack wait (it died, or hung), so the
//! consumer of a queue must be idempotent. Storing is (an article's id is
//! the hash of its text). A record that keeps coming back unacknowledged,
//! or that cannot be processed at all, goes to the dead letters with its
//! reason instead of being tried forever.

mod mem;
#[cfg(feature = "nats")]
pub mod nats;

use std::time::Duration;

use serde::{Deserialize, Serialize};
use storyline_core::{ArticleDraft, ArticleId, Timestamp};

pub use mem::MemQueue;

/// The schema tag of an encoded record; a worker refuses (dead-letters)
/// records of another schema rather than misreading them.
pub const RECORD_SCHEMA: &str = "storyline.record/1";

/// One raw article on its way to a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// [`RECORD_SCHEMA`].
    pub schema: String,
    /// When ingest read it: stored as the article's ingest time, so that an
    /// article reads the same whichever worker stored it and when.
    pub ingested_at: Timestamp,
    /// The article as the reader produced it.
    pub draft: ArticleDraft,
}

impl Record {
    /// A record of `draft`, read at `ingested_at`.
    pub fn new(draft: ArticleDraft, ingested_at: Timestamp) -> Record {
        Record {
            schema: RECORD_SCHEMA.to_string(),
            ingested_at,
            draft,
        }
    }

    /// The id the article will have in the store (the hash of its
    /// normalised text). The queue deduplicates records by it.
    pub fn id(&self) -> ArticleId {
        ArticleId::for_text(&self.draft.text)
    }

    /// The record as it travels: JSON.
    pub fn encode(&self) -> Result<Vec<u8>, QueueError> {
        serde_json::to_vec(self).map_err(|e| QueueError::Encode(e.to_string()))
    }

    /// A record from its bytes; `Err` says why they are not one.
    pub fn decode(bytes: &[u8]) -> Result<Record, String> {
        let record: Record =
            serde_json::from_slice(bytes).map_err(|e| format!("not a storyline record: {e}"))?;
        if record.schema != RECORD_SCHEMA {
            return Err(format!(
                "record schema {:?}, this worker reads {RECORD_SCHEMA:?}",
                record.schema
            ));
        }
        Ok(record)
    }
}

/// What became of one published record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Published {
    /// It waits for a worker.
    Queued,
    /// A record with the same id was published recently (within the
    /// queue's deduplication window): this one was dropped.
    Duplicate,
    /// The queue refused this record (it is larger than a message may be);
    /// the others are unaffected.
    Refused(String),
}

/// One record handed to a worker, to be acknowledged, kept alive or
/// dead-lettered through the queue that delivered it.
#[derive(Debug)]
pub struct Delivery {
    /// The record, or why its bytes are not one.
    pub record: Result<Record, String>,
    /// The id it was published under (empty when it had none).
    pub id: String,
    /// How many times it has been delivered, this time included: more than
    /// one means a worker before did not acknowledge it.
    pub deliveries: u64,
    /// Its place in the queue (publication order).
    pub sequence: u64,
    handle: Handle,
}

#[derive(Debug)]
enum Handle {
    Mem(u64),
    #[cfg(feature = "nats")]
    Nats(Box<async_nats::jetstream::Message>),
}

/// A record set aside after it could not be processed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeadLetter {
    /// The id it was published under.
    pub id: String,
    /// Why it was set aside.
    pub reason: String,
    /// How many times it had been delivered.
    pub deliveries: u64,
}

/// How much work a queue holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct QueueStatus {
    /// Records no worker has received yet.
    pub waiting: u64,
    /// Records a worker received and has not acknowledged yet.
    pub in_flight: u64,
    /// Records set aside with a reason.
    pub dead_letters: u64,
    /// Attempts the queue allows a record before it is set aside.
    pub max_deliver: u64,
    /// How long a worker has to acknowledge (or extend) a delivery.
    #[serde(serialize_with = "as_seconds")]
    pub ack_wait: Duration,
    /// Whether the workers' consumer exists: false until the first worker
    /// connects, and then `ack_wait` and `max_deliver` are 0 (the workers
    /// decide them) and `waiting` counts every record queued.
    pub consumer: bool,
}

impl QueueStatus {
    /// Nothing waits and nothing is in flight.
    pub fn is_idle(&self) -> bool {
        self.waiting == 0 && self.in_flight == 0
    }
}

fn as_seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}

/// What can go wrong talking to a queue.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The queue server could not be reached or answered with an error: it
    /// may be restarting, so workers wait and try again.
    #[error("the queue at {url} is unavailable: {reason}")]
    Unavailable {
        /// The server, without a password.
        url: String,
        /// What the client said.
        reason: String,
    },
    /// The URL is not one this queue understands.
    #[error("{0}")]
    BadUrl(String),
    /// A record could not be encoded.
    #[error("cannot encode a record: {0}")]
    Encode(String),
    /// This connection publishes or reads the status; it was not opened to
    /// consume records (a program error, not an outage).
    #[error("this queue connection was not opened as a worker's, so it cannot fetch records")]
    NotConsuming,
}

/// Where raw records wait for workers.
///
/// Synchronous and object-safe like the store: the engine and the CLI are
/// synchronous, and a backend that needs a runtime keeps its own inside.
pub trait Queue: Send + Sync {
    /// Publishes records in order, one outcome each.
    fn publish(&self, records: &[Record]) -> Result<Vec<Published>, QueueError>;

    /// Up to `max` deliveries, waiting at most `wait` for the first.
    /// Records come in publication order, except redeliveries.
    fn fetch(&self, max: usize, wait: Duration) -> Result<Vec<Delivery>, QueueError>;

    /// The delivery was handled: it is not delivered again. Returns once
    /// the queue has recorded it.
    fn ack(&self, delivery: &Delivery) -> Result<(), QueueError>;

    /// [`Queue::ack`] for several deliveries; a backend may overlap them.
    fn ack_all(&self, deliveries: &[&Delivery]) -> Result<(), QueueError> {
        deliveries.iter().try_for_each(|d| self.ack(d))
    }

    /// The delivery is still being worked on: its ack wait starts again.
    fn in_progress(&self, delivery: &Delivery) -> Result<(), QueueError>;

    /// Sets the delivery aside with `reason` and acknowledges it: it is
    /// kept among the dead letters and never delivered again.
    fn dead_letter(&self, delivery: &Delivery, reason: &str) -> Result<(), QueueError>;

    /// How much work waits.
    fn status(&self) -> Result<QueueStatus, QueueError>;

    /// Whether every record published before the one at `sequence` is done
    /// with (acknowledged or set aside). Workers store a batch once this
    /// holds for its first record, so articles reach the store in the order
    /// they were published whatever the number of workers, and
    /// deduplication and linking, which depend on that order, give what
    /// one ingest of the same sources gives. A queue that cannot tell says
    /// `true`.
    fn settled_before(&self, sequence: u64) -> Result<bool, QueueError> {
        let _ = sequence;
        Ok(true)
    }

    /// The dead letters, oldest first, at most `limit`.
    fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, QueueError>;

    /// Tells whoever listens ([`Queue::listen_stored`]) that records were
    /// stored: a worker calls it after a commit, so the linker wakes at
    /// once instead of at its next look. Best effort: a word lost (the
    /// server restarting) only delays the linker to that next look.
    fn announce_stored(&self) -> Result<(), QueueError> {
        Ok(())
    }

    /// Starts hearing [`Queue::announce_stored`] from now on: call it
    /// before the first look at the store, so that nothing stored during
    /// that look goes unheard.
    fn listen_stored(&self) -> Result<(), QueueError> {
        Ok(())
    }

    /// Waits at most `wait` for a word that records were stored since the
    /// last call (any number of words count once); `true` when one came.
    /// Hearing nothing (no listener, or a queue that has no such words) is
    /// the whole wait and `false`, so a caller that also looks on a timer
    /// works with any queue.
    fn wait_stored(&self, wait: Duration) -> bool {
        std::thread::sleep(wait);
        false
    }
}

/// Whether `url` names a NATS server (`nats://HOST:PORT`).
pub fn is_nats_url(url: &str) -> bool {
    url.get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("nats://"))
}

/// `url` with any password replaced by nothing, for messages:
/// `nats://me:secret@host:4222` → `nats://me@host:4222`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((user, host)) => {
            let user = user.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> Record {
        let mut draft = ArticleDraft::new(text.to_string());
        draft.title = Some("A title".into());
        Record::new(draft, "2023-11-09".parse().expect("day"))
    }

    #[test]
    fn a_record_travels_as_json_and_comes_back_whole() {
        let r = record("Rain fell in Leeds on Tuesday.");
        let back = Record::decode(&r.encode().expect("encode")).expect("decode");
        assert_eq!(back, r);
        assert_eq!(
            back.id(),
            ArticleId::for_text("Rain fell in Leeds on Tuesday.")
        );
    }

    #[test]
    fn bytes_that_are_not_a_record_of_this_schema_say_why() {
        assert!(
            Record::decode(b"\xff not json").is_err_and(|e| e.contains("not a storyline record"))
        );
        let mut r = record("x");
        r.schema = "storyline.record/9".into();
        let bytes = serde_json::to_vec(&r).expect("json");
        assert!(Record::decode(&bytes).is_err_and(|e| e.contains("storyline.record/9")));
    }

    #[test]
    fn urls_lose_their_password_in_messages() {
        assert_eq!(
            redact_url("nats://me:secret@10.0.0.1:4222"),
            "nats://me@10.0.0.1:4222"
        );
        assert_eq!(redact_url("nats://10.0.0.1:4222"), "nats://10.0.0.1:4222");
        assert_eq!(redact_url("nats://tok@h:1/x"), "nats://tok@h:1/x");
        assert!(is_nats_url("NATS://h:1"));
        assert!(!is_nats_url("postgres://h/db"));
        assert!(!is_nats_url("nat"));
    }
}
