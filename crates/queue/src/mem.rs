//! A queue in one process's memory, with the delivery rules of the NATS
//! backend (ack wait, redelivery, at most `max_deliver` deliveries, dead
//! letters, deduplication by id), so the worker's handling of them can be
//! tested without a server.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::{DeadLetter, Delivery, Handle, Published, Queue, QueueError, QueueStatus, Record};

/// An in-memory [`Queue`].
#[derive(Debug)]
pub struct MemQueue {
    state: Mutex<State>,
    ack_wait: Duration,
    max_deliver: u64,
    /// Set by [`Queue::announce_stored`], cleared by the wait that hears it.
    stored: (Mutex<bool>, Condvar),
}

#[derive(Debug, Default)]
struct State {
    next: u64,
    /// Unacknowledged messages by sequence.
    messages: BTreeMap<u64, Message>,
    /// Ids published so far (the deduplication window is forever).
    ids: HashSet<String>,
    dead: Vec<DeadLetter>,
}

#[derive(Debug)]
struct Message {
    id: String,
    bytes: Vec<u8>,
    deliveries: u64,
    /// Delivered and not acknowledged since then.
    due: Option<Instant>,
}

impl MemQueue {
    /// An empty queue that redelivers after `ack_wait` and delivers a record
    /// at most `max_deliver` times.
    pub fn new(ack_wait: Duration, max_deliver: u64) -> MemQueue {
        MemQueue {
            state: Mutex::new(State::default()),
            ack_wait,
            max_deliver: max_deliver.max(1),
            stored: (Mutex::new(false), Condvar::new()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves consistent data (each
        // change is one assignment), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Puts raw bytes on the queue under `id`, as a foreign or broken
    /// publisher would.
    pub fn push_raw(&self, id: &str, bytes: Vec<u8>) {
        let mut state = self.state();
        state.next += 1;
        let seq = state.next;
        state.messages.insert(
            seq,
            Message {
                id: id.to_string(),
                bytes,
                deliveries: 0,
                due: None,
            },
        );
    }

    fn handle(delivery: &Delivery) -> u64 {
        match &delivery.handle {
            Handle::Mem(seq) => *seq,
            #[cfg(feature = "nats")]
            Handle::Nats(_) => 0,
        }
    }
}

impl Queue for MemQueue {
    fn announce_stored(&self) -> Result<(), QueueError> {
        let (flag, heard) = &self.stored;
        *flag.lock().unwrap_or_else(|p| p.into_inner()) = true;
        heard.notify_all();
        Ok(())
    }

    fn wait_stored(&self, wait: Duration) -> bool {
        let (flag, heard) = &self.stored;
        let guard = flag.lock().unwrap_or_else(|p| p.into_inner());
        let (mut guard, _) = heard
            .wait_timeout_while(guard, wait, |stored| !*stored)
            .unwrap_or_else(|p| p.into_inner());
        std::mem::take(&mut *guard)
    }

    fn publish(&self, records: &[Record]) -> Result<Vec<Published>, QueueError> {
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            let id = r.id().to_string();
            if !self.state().ids.insert(id.clone()) {
                out.push(Published::Duplicate);
                continue;
            }
            self.push_raw(&id, r.encode()?);
            out.push(Published::Queued);
        }
        Ok(out)
    }

    fn fetch(&self, max: usize, wait: Duration) -> Result<Vec<Delivery>, QueueError> {
        let until = Instant::now() + wait;
        loop {
            let now = Instant::now();
            let mut out = Vec::new();
            {
                let mut state = self.state();
                let max_deliver = self.max_deliver;
                for (seq, m) in state.messages.iter_mut() {
                    if out.len() >= max {
                        break;
                    }
                    let ready = m.due.is_none_or(|due| due <= now);
                    if !ready || m.deliveries >= max_deliver {
                        continue;
                    }
                    m.deliveries += 1;
                    m.due = Some(now + self.ack_wait);
                    out.push(Delivery {
                        record: Record::decode(&m.bytes),
                        id: m.id.clone(),
                        deliveries: m.deliveries,
                        sequence: *seq,
                        handle: Handle::Mem(*seq),
                    });
                }
            }
            if !out.is_empty() || now >= until {
                return Ok(out);
            }
            std::thread::sleep(Duration::from_millis(5).min(until - now));
        }
    }

    fn ack(&self, delivery: &Delivery) -> Result<(), QueueError> {
        self.state().messages.remove(&Self::handle(delivery));
        Ok(())
    }

    fn in_progress(&self, delivery: &Delivery) -> Result<(), QueueError> {
        if let Some(m) = self.state().messages.get_mut(&Self::handle(delivery)) {
            m.due = Some(Instant::now() + self.ack_wait);
        }
        Ok(())
    }

    fn dead_letter(&self, delivery: &Delivery, reason: &str) -> Result<(), QueueError> {
        let mut state = self.state();
        state.dead.push(DeadLetter {
            id: delivery.id.clone(),
            reason: reason.to_string(),
            deliveries: delivery.deliveries,
        });
        state.messages.remove(&Self::handle(delivery));
        Ok(())
    }

    fn status(&self) -> Result<QueueStatus, QueueError> {
        let state = self.state();
        let in_flight = state.messages.values().filter(|m| m.due.is_some()).count() as u64;
        Ok(QueueStatus {
            waiting: state.messages.len() as u64 - in_flight,
            in_flight,
            dead_letters: state.dead.len() as u64,
            max_deliver: self.max_deliver,
            ack_wait: self.ack_wait,
            consumer: true,
        })
    }

    fn settled_before(&self, sequence: u64) -> Result<bool, QueueError> {
        // Done records are removed: the first left is the oldest not done.
        Ok(self
            .state()
            .messages
            .keys()
            .next()
            .is_none_or(|&first| first >= sequence))
    }

    fn dead_letters(&self, limit: usize) -> Result<Vec<DeadLetter>, QueueError> {
        Ok(self.state().dead.iter().take(limit).cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_core::ArticleDraft;

    fn record(text: &str) -> Record {
        Record::new(ArticleDraft::new(text), "2023-11-09".parse().expect("day"))
    }

    #[test]
    fn records_come_in_order_once_and_again_after_the_ack_wait() {
        let q = MemQueue::new(Duration::from_millis(40), 3);
        let published = q
            .publish(&[record("one"), record("two"), record("one")])
            .expect("publish");
        assert_eq!(
            published,
            [Published::Queued, Published::Queued, Published::Duplicate]
        );
        let first = q.fetch(10, Duration::ZERO).expect("fetch");
        let texts: Vec<_> = first
            .iter()
            .map(|d| d.record.as_ref().expect("record").draft.text.clone())
            .collect();
        assert_eq!(texts, ["one", "two"]);
        assert!(q.fetch(10, Duration::ZERO).expect("fetch").is_empty());
        q.ack(&first[0]).expect("ack");
        let again = q.fetch(10, Duration::from_millis(500)).expect("fetch");
        assert_eq!(again.len(), 1, "only the unacknowledged one comes back");
        assert_eq!((again[0].sequence, again[0].deliveries), (2, 2));
        q.dead_letter(&again[0], "broken").expect("dead");
        let status = q.status().expect("status");
        assert!(status.is_idle(), "{status:?}");
        assert_eq!(status.dead_letters, 1);
        assert_eq!(q.dead_letters(9).expect("dead")[0].reason, "broken");
    }

    #[test]
    fn a_record_is_delivered_at_most_max_deliver_times() {
        let q = MemQueue::new(Duration::ZERO, 2);
        q.publish(&[record("one")]).expect("publish");
        assert_eq!(q.fetch(1, Duration::ZERO).expect("fetch").len(), 1);
        assert_eq!(q.fetch(1, Duration::ZERO).expect("fetch").len(), 1);
        assert!(q
            .fetch(1, Duration::from_millis(20))
            .expect("fetch")
            .is_empty());
    }

    #[test]
    fn a_word_that_records_were_stored_wakes_one_wait_once() {
        let q = std::sync::Arc::new(MemQueue::new(Duration::from_secs(1), 3));
        assert!(
            !q.wait_stored(Duration::from_millis(20)),
            "nothing said yet"
        );
        let waiter = {
            let q = q.clone();
            std::thread::spawn(move || q.wait_stored(Duration::from_secs(30)))
        };
        std::thread::sleep(Duration::from_millis(50));
        q.announce_stored().expect("announce");
        assert!(waiter.join().expect("join"), "woken by the word");
        // Both words said before the wait, with no waiter between them that
        // could take the first (a waiter woken between two words takes one
        // each time, which made this test depend on the scheduler).
        q.announce_stored().expect("announce");
        q.announce_stored().expect("announce");
        assert!(
            q.wait_stored(Duration::from_millis(20)),
            "the words are heard"
        );
        assert!(
            !q.wait_stored(Duration::from_millis(20)),
            "two words before one wait count once"
        );
    }
}
