//! Concurrency limits per class of route, so that a flood of expensive
//! requests (findings, search, briefings) queues and then sheds with `503`
//! and `Retry-After`, while cheap reads (stats, one article) keep their own
//! turns and keep answering.
//!
//! Hand-written rather than tower's `ConcurrencyLimit` + `LoadShed` +
//! `Buffer`, for two reasons:
//!
//! - **The turn follows the work, not the connection.** Handlers run their
//!   store work on the blocking pool, which cannot be cancelled. With
//!   tower's limit the permit is released when the response future is
//!   dropped, so clients that disconnect after sending could start any
//!   number of expensive queries. Here the permit is also handed (through a
//!   task-local) to the blocking closure, and freed only when both the
//!   request and its blocking work are done.
//! - **Wait a little, then shed with an honest answer.** A request waits at
//!   most `max_wait` in a queue of at most `queue`, then gets `503` with
//!   `Retry-After`; tower's `Buffer` has no wait limit, and its `LoadShed`
//!   sheds without waiting at all.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::ClassLimit;
use crate::error::{wants_html, ApiError};
use crate::RouteClass;

tokio::task_local! {
    /// The turn of the request running on this task, for `blocking` to
    /// carry into the blocking pool.
    static TURN: Arc<OwnedSemaphorePermit>;
}

/// The turns of one class of routes.
pub(crate) struct Gate {
    class: RouteClass,
    limit: ClassLimit,
    turns: Arc<Semaphore>,
    waiting: AtomicUsize,
    /// Requests shed since the last warning, and when that was (ms since
    /// `born`), so a flood logs one line every few seconds, not one a
    /// request.
    shed: AtomicU64,
    last_warning_ms: AtomicU64,
    born: Instant,
}

/// Seconds between two warnings about shed requests of one class.
const WARN_EVERY: Duration = Duration::from_secs(10);

/// Leaves the queue when the waiting request finishes or is dropped (its
/// client went away), so the count never leaks.
struct InQueue<'a>(&'a AtomicUsize);

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Gate {
    pub(crate) fn new(class: RouteClass, limit: ClassLimit) -> Arc<Gate> {
        Arc::new(Gate {
            class,
            limit,
            turns: Arc::new(Semaphore::new(limit.concurrent.max(1))),
            waiting: AtomicUsize::new(0),
            shed: AtomicU64::new(0),
            last_warning_ms: AtomicU64::new(0),
            born: Instant::now(),
        })
    }

    /// A turn now, or after waiting in the queue; `None` when the queue is
    /// full or the wait ran out.
    pub(crate) async fn enter(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(turn) = self.turns.clone().try_acquire_owned() {
            return Some(turn);
        }
        let ahead = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _in_queue = InQueue(&self.waiting);
        if ahead >= self.limit.queue {
            return None;
        }
        match tokio::time::timeout(self.limit.max_wait, self.turns.clone().acquire_owned()).await {
            Ok(Ok(turn)) => Some(turn),
            _ => None,
        }
    }

    /// Seconds a shed client should wait before trying again: the longest
    /// wait of the class, at least one second.
    pub(crate) fn retry_after(&self) -> u64 {
        self.limit.max_wait.as_secs_f64().ceil().max(1.0) as u64
    }

    /// The `503` for a request that got no turn, as a page for a browser.
    fn shed(&self, html: bool) -> Response {
        self.note_shed();
        let secs = self.retry_after();
        let message = format!(
            "the server is busy with {} requests ({} running, up to {} waiting); retry in {secs} s",
            self.class.name(),
            self.limit.concurrent.max(1),
            self.limit.queue,
        );
        let mut res = if html {
            crate::ui::pages::error_page(StatusCode::SERVICE_UNAVAILABLE, &message)
        } else {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", message)
                .with_retry_after(secs)
                .into_response()
        };
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        res
    }

    fn note_shed(&self) {
        let count = self.shed.fetch_add(1, Ordering::Relaxed) + 1;
        let now = self.born.elapsed().as_millis() as u64;
        let last = self.last_warning_ms.load(Ordering::Relaxed);
        let due = count == 1 || now.saturating_sub(last) >= WARN_EVERY.as_millis() as u64;
        if due
            && self
                .last_warning_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            let n = self.shed.swap(0, Ordering::Relaxed);
            tracing::warn!(
                class = self.class.name(),
                shed = n,
                "{n} {} request(s) answered 503: every turn taken and the queue full",
                self.class.name()
            );
        }
    }
}

/// The middleware in front of every route of a class: wait for a turn,
/// run the request with it, or answer `503`.
pub(crate) async fn admit(State(gate): State<Arc<Gate>>, req: Request, next: Next) -> Response {
    let html = wants_html(req.uri().path(), req.headers().get(header::ACCEPT));
    match gate.enter().await {
        Some(turn) => TURN.scope(Arc::new(turn), next.run(req)).await,
        None => gate.shed(html),
    }
}

/// Runs `f` on the blocking pool, holding the current request's turn (if
/// any) until `f` returns, even when the request is dropped first.
pub(crate) async fn spawn_blocking_in_turn<T, F>(f: F) -> Result<T, tokio::task::JoinError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let turn = TURN.try_with(Arc::clone).ok();
    tokio::task::spawn_blocking(move || {
        let out = f();
        drop(turn);
        out
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(concurrent: usize, queue: usize, wait_ms: u64) -> Arc<Gate> {
        Gate::new(
            RouteClass::Expensive,
            ClassLimit {
                concurrent,
                queue,
                max_wait: Duration::from_millis(wait_ms),
            },
        )
    }

    #[tokio::test]
    async fn turns_queue_then_shed() {
        let g = gate(2, 1, 100);
        let a = g.enter().await.expect("first turn");
        let _b = g.enter().await.expect("second turn");
        // No turn free, one place in the queue: waits 100 ms, then gives up.
        let started = Instant::now();
        assert!(g.enter().await.is_none());
        assert!(started.elapsed() >= Duration::from_millis(90));
        assert_eq!(g.waiting.load(Ordering::SeqCst), 0, "the queue is left");
        // A queued request gets the turn freed while it waits.
        let g2 = g.clone();
        let waiter = tokio::spawn(async move { g2.enter().await.is_some() });
        tokio::time::sleep(Duration::from_millis(20)).await;
        // The queue (1) is full now: the next is shed at once.
        let started = Instant::now();
        assert!(g.enter().await.is_none());
        assert!(started.elapsed() < Duration::from_millis(50));
        drop(a);
        assert!(waiter.await.unwrap(), "the waiter got the freed turn");
        assert_eq!(g.retry_after(), 1);
    }

    #[tokio::test]
    async fn a_zero_queue_sheds_at_once_and_a_zero_limit_still_admits_one() {
        let g = gate(0, 0, 10_000);
        let _a = g.enter().await.expect("at least one turn");
        let started = Instant::now();
        assert!(g.enter().await.is_none());
        assert!(started.elapsed() < Duration::from_millis(50));
    }

    #[tokio::test]
    async fn a_dropped_waiter_leaves_the_queue() {
        let g = gate(1, 1, 10_000);
        let _a = g.enter().await.unwrap();
        let g2 = g.clone();
        let waiter = tokio::spawn(async move { g2.enter().await.is_some() });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(g.waiting.load(Ordering::SeqCst), 1);
        waiter.abort();
        let _ = waiter.await;
        assert_eq!(g.waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn the_turn_follows_blocking_work_past_a_dropped_request() {
        let g = gate(1, 0, 10);
        let turn = g.enter().await.unwrap();
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let request = TURN.scope(Arc::new(turn), async move {
            spawn_blocking_in_turn(move || {
                let _ = wait.recv_timeout(Duration::from_secs(10));
            })
            .await
        });
        // The client goes away while the blocking work runs.
        let handle = tokio::spawn(request);
        tokio::time::sleep(Duration::from_millis(50)).await;
        handle.abort();
        let _ = handle.await;
        assert!(g.enter().await.is_none(), "the work still holds the turn");
        release.send(()).unwrap();
        let mut freed = false;
        for _ in 0..200 {
            if let Some(t) = g.enter().await {
                drop(t);
                freed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert!(freed, "the turn comes back when the work ends");
    }
}
