//! Ingest jobs: every `POST /api/ingest` becomes a job that runs to the
//! end on its own task, whatever happens to the request that submitted it.
//!
//! The request waits for its job for a while (`ServerConfig::ingest_wait`)
//! and answers with the result when it is done, or `202 Accepted` with the
//! job to poll (`GET /api/jobs/{id}`) when it is not. A client that times
//! out or disconnects cannot make the server drop, fail or misreport the
//! work: nothing that was stored is ever answered as a failure.
//!
//! Bounds: at most `ingest_queue` jobs are queued or running (a slot is
//! taken before the body is read, so at most that many bodies are held in
//! memory); one runs at a time; the last `jobs_kept` finished jobs are
//! remembered. Jobs live in memory: a restart forgets them, and a server
//! asked to stop finishes the queued jobs before it exits.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use utoipa::ToSchema;

/// Schema tag of `GET /api/jobs/{id}`.
pub(crate) const JOB_SCHEMA: &str = "storyline.job/1";

/// Where a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum JobState {
    /// Waiting for the ingest before it.
    Queued,
    /// Being read, analysed, stored and linked.
    Running,
    /// Done: the articles are stored (`status` 200).
    Succeeded,
    /// Done without storing anything (`status` 4xx/5xx, `answer` says why).
    Failed,
}

/// `storyline.job/1`.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[schema(as = Job)]
pub(crate) struct JobView {
    pub schema: &'static str,
    pub id: String,
    pub state: JobState,
    #[schema(format = DateTime)]
    pub submitted: String,
    #[schema(format = DateTime)]
    pub finished: Option<String>,
    /// The status `POST /api/ingest` answers for this work when it waits
    /// for it; null until the job is done.
    pub status: Option<u16>,
    /// The body it answers: the ingest answer, or the error; null until done.
    #[schema(value_type = Option<crate::openapi::JobAnswer>)]
    pub answer: Option<Value>,
}

struct Job {
    view: watch::Sender<JobView>,
}

#[derive(Default)]
struct Table {
    by_id: HashMap<String, Arc<Job>>,
    finished: VecDeque<String>,
}

/// The ingest jobs of one server.
pub(crate) struct Jobs {
    /// Start of the server in seconds (hex), so ids from two runs differ.
    run: String,
    next: AtomicU64,
    slots: Arc<Semaphore>,
    capacity: u32,
    one_at_a_time: Arc<Semaphore>,
    kept: usize,
    table: Mutex<Table>,
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl Jobs {
    pub(crate) fn new(queue: usize, kept: usize) -> Arc<Jobs> {
        let capacity = queue.clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize)) as u32;
        Arc::new(Jobs {
            run: format!("{:x}", Utc::now().timestamp().max(0)),
            next: AtomicU64::new(1),
            slots: Arc::new(Semaphore::new(capacity as usize)),
            capacity,
            one_at_a_time: Arc::new(Semaphore::new(1)),
            kept: kept.max(1),
            table: Mutex::new(Table::default()),
        })
    }

    /// A place in the queue, if there is one.
    pub(crate) fn try_slot(&self) -> Option<OwnedSemaphorePermit> {
        self.slots.clone().try_acquire_owned().ok()
    }

    /// How many jobs may be queued or running at once.
    pub(crate) fn capacity(&self) -> u32 {
        self.capacity
    }

    /// The id the next job will get.
    pub(crate) fn next_id(&self) -> String {
        format!("{}-{}", self.run, self.next.fetch_add(1, Ordering::SeqCst))
    }

    /// Queues `work` (run on the blocking pool, one job at a time) under
    /// `id`; returns a receiver that sees the job's progress.
    pub(crate) fn submit<F>(
        self: &Arc<Self>,
        id: String,
        slot: OwnedSemaphorePermit,
        work: F,
    ) -> watch::Receiver<JobView>
    where
        F: FnOnce() -> (StatusCode, Value) + Send + 'static,
    {
        let (tx, rx) = watch::channel(JobView {
            schema: JOB_SCHEMA,
            id: id.clone(),
            state: JobState::Queued,
            submitted: now(),
            finished: None,
            status: None,
            answer: None,
        });
        let job = Arc::new(Job { view: tx });
        if let Ok(mut t) = self.table.lock() {
            t.by_id.insert(id.clone(), job.clone());
        }
        let jobs = self.clone();
        tokio::spawn(async move {
            // The slot is held until the job is over, so the queue bounds
            // the bodies held in memory, not just the requests in flight.
            let _slot = slot;
            let _turn = jobs.one_at_a_time.clone().acquire_owned().await;
            job.view.send_modify(|v| v.state = JobState::Running);
            let (status, answer) = match tokio::task::spawn_blocking(work).await {
                Ok(done) => done,
                Err(e) => {
                    tracing::error!(job = %id, "an ingest job failed: {e}");
                    let err = crate::error::ApiError::internal(
                        "the ingest failed inside the server; this is a bug, please report it",
                    );
                    (err.status, err.body())
                }
            };
            job.view.send_modify(|v| {
                v.state = if status.is_success() {
                    JobState::Succeeded
                } else {
                    JobState::Failed
                };
                v.finished = Some(now());
                v.status = Some(status.as_u16());
                v.answer = Some(answer);
            });
            tracing::info!(job = %id, status = status.as_u16(), "ingest job finished");
            jobs.retire(id);
        });
        rx
    }

    /// Keeps the newest `kept` finished jobs.
    fn retire(&self, id: String) {
        let Ok(mut t) = self.table.lock() else { return };
        t.finished.push_back(id);
        while t.finished.len() > self.kept {
            if let Some(old) = t.finished.pop_front() {
                t.by_id.remove(&old);
            }
        }
    }

    /// The job's state now.
    pub(crate) fn get(&self, id: &str) -> Option<JobView> {
        let t = self.table.lock().ok()?;
        t.by_id.get(id).map(|j| j.view.borrow().clone())
    }

    /// Waits until no job is queued or running (at shutdown).
    pub(crate) async fn finish_all(&self) {
        let busy = self.capacity as usize - self.slots.available_permits();
        if busy > 0 {
            tracing::info!("finishing {busy} ingest job(s) before stopping");
        }
        let _all = self.slots.acquire_many(self.capacity).await;
    }
}

/// Waits up to `wait` for the job to finish; its view at that moment.
pub(crate) async fn wait_for(mut rx: watch::Receiver<JobView>, wait: Duration) -> JobView {
    let done = |v: &JobView| v.status.is_some();
    let _ = tokio::time::timeout(wait, rx.wait_for(done)).await;
    let view = rx.borrow().clone();
    view
}

/// Whether `id` looks like a job id (`<hex>-<decimal>`), checked before
/// any lookup so hostile ids are a clear `400`.
pub(crate) fn valid_id(id: &str) -> bool {
    let Some((run, n)) = id.split_once('-') else {
        return false;
    };
    id.len() <= 40
        && !run.is_empty()
        && !n.is_empty()
        && run.bytes().all(|b| b.is_ascii_hexdigit())
        && n.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_ids_are_recognised() {
        assert!(valid_id("66a1b2c3-1"));
        assert!(valid_id("0-99999"));
        for bad in [
            "", "-", "abc", "abc-", "-1", "xyz-1", "1-a", "1-1-1", "1 -1",
        ] {
            assert!(!valid_id(bad), "{bad:?}");
        }
        assert!(!valid_id(&format!("{}-1", "a".repeat(40))));
    }

    #[tokio::test]
    async fn jobs_run_one_at_a_time_and_the_oldest_are_forgotten() {
        let jobs = Jobs::new(2, 1);
        let s1 = jobs.try_slot().unwrap();
        let s2 = jobs.try_slot().unwrap();
        assert!(jobs.try_slot().is_none(), "two slots only");
        let (go, wait) = std::sync::mpsc::channel::<()>();
        let a = jobs.next_id();
        let ra = jobs.submit(a.clone(), s1, move || {
            let _ = wait.recv_timeout(Duration::from_secs(10));
            (StatusCode::OK, serde_json::json!({"n": 1}))
        });
        let b = jobs.next_id();
        let rb = jobs.submit(b.clone(), s2, || {
            (StatusCode::UNPROCESSABLE_ENTITY, serde_json::json!({}))
        });
        // B waits for A.
        let v = wait_for(rb.clone(), Duration::from_millis(100)).await;
        assert_eq!(v.state, JobState::Queued);
        assert_eq!(jobs.get(&a).unwrap().state, JobState::Running);
        go.send(()).unwrap();
        let v = wait_for(ra, Duration::from_secs(10)).await;
        assert_eq!((v.state, v.status), (JobState::Succeeded, Some(200)));
        let v = wait_for(rb, Duration::from_secs(10)).await;
        assert_eq!((v.state, v.status), (JobState::Failed, Some(422)));
        // Only the newest finished job is kept; the slots came back.
        jobs.finish_all().await;
        assert!(jobs.get(&a).is_none());
        assert_eq!(jobs.get(&b).unwrap().state, JobState::Failed);
        assert!(jobs.try_slot().is_some());
    }

    #[tokio::test]
    async fn a_panicking_job_is_a_failed_job_and_frees_its_slot() {
        let jobs = Jobs::new(1, 4);
        let slot = jobs.try_slot().unwrap();
        let id = jobs.next_id();
        let rx = jobs.submit(id, slot, || panic!("boom"));
        let v = wait_for(rx, Duration::from_secs(10)).await;
        assert_eq!((v.state, v.status), (JobState::Failed, Some(500)));
        jobs.finish_all().await;
        assert!(jobs.try_slot().is_some());
    }
}
