//! A small memo of computed views (timelines, story listings, briefings)
//! for the HTTP server, where the same story is asked for many times a
//! second and each answer reads every article's analysis.
//!
//! An entry is used while nothing has changed through this engine (every
//! ingest, link and re-analysis bumps a generation) and for at most
//! [`MAX_AGE`], so changes made by another process on the same store (a
//! `storyline watch` beside `storyline serve`) show within that time.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an entry is trusted without a change through this engine.
pub const MAX_AGE: Duration = Duration::from_secs(2);
/// Entries kept; when full, the memo starts afresh (views are cheap to
/// recompute once; a bounded memo matters more than a clever one).
const CAPACITY: usize = 2_048;

struct Entry {
    generation: u64,
    at: Instant,
    value: Arc<dyn Any + Send + Sync>,
}

/// Memoised views keyed by a string that names the view and its arguments.
#[derive(Default)]
pub struct Memo {
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Memo {
    /// Forgets everything computed so far (the store changed).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The value memoised under `key`, or `compute`'s, which is then kept.
    /// Errors are not kept.
    pub fn get_or<T, E>(&self, key: &str, compute: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
    {
        let generation = self.generation.load(Ordering::SeqCst);
        if let Some(v) = self.lookup::<T>(key, generation) {
            return Ok(v);
        }
        // Computed outside the lock: two callers may both compute, which
        // is cheaper than making every reader wait on one writer.
        let value = compute()?;
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            key.to_string(),
            Entry {
                generation,
                at: Instant::now(),
                value: Arc::new(value.clone()),
            },
        );
        Ok(value)
    }

    fn lookup<T: Clone + 'static>(&self, key: &str, generation: u64) -> Option<T> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let e = entries.get(key)?;
        if e.generation != generation || e.at.elapsed() > MAX_AGE {
            return None;
        }
        e.value.downcast_ref::<T>().cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_until_invalidated() {
        let memo = Memo::default();
        let mut calls = 0;
        let mut get = |memo: &Memo| {
            memo.get_or("k", || {
                calls += 1;
                Ok::<_, ()>(calls)
            })
        };
        assert_eq!(get(&memo), Ok(1));
        assert_eq!(get(&memo), Ok(1), "memoised");
        memo.invalidate();
        assert_eq!(get(&memo), Ok(2), "recomputed after a change");
    }

    #[test]
    fn errors_are_not_kept_and_types_do_not_mix() {
        let memo = Memo::default();
        assert_eq!(memo.get_or::<u32, _>("k", || Err("boom")), Err("boom"));
        assert_eq!(memo.get_or::<u32, ()>("k", || Ok(7)), Ok(7));
        // The same key asked as another type is computed, not mis-cast.
        assert_eq!(
            memo.get_or::<String, ()>("k", || Ok("x".into())),
            Ok("x".to_string())
        );
    }
}
