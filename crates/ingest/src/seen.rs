//! Memory of a long-running reader (`storyline watch`): which files it has
//! read, by path, size and modification time, and which linked pages it has
//! fetched. A read given a [`Seen`] skips files that have not changed and
//! feed items whose page it fetched before, so each pass of a watch reads
//! only what is new. Content hashes still make a re-read harmless; this
//! saves the reading and the fetching.
//!
//! A file still being written is left for a later pass rather than read
//! half-written (the truncated first version would otherwise become the
//! canonical copy of its near-duplicate group): with a settle time, a file
//! is read only once its modification time is that old, and a file left
//! for later is read only when its size and time are what they were at the
//! previous look.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

/// Linked-page URLs remembered; the oldest are forgotten first, so a watch
/// that runs for months stays bounded (a forgotten page is fetched again
/// and found already stored).
const MAX_URLS: usize = 200_000;

/// What earlier passes read. Cheap to clone: clones share one memory.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    inner: Arc<Mutex<State>>,
    /// How old a file's modification time must be before it is read.
    settle: Duration,
}

/// A file's size and modification time.
type Stamp = (u64, Option<SystemTime>);

#[derive(Debug, Default)]
struct State {
    files: HashMap<PathBuf, Stamp>,
    /// Files left for a later pass, with their stamp at that look.
    unsettled: HashMap<PathBuf, Stamp>,
    urls: HashSet<String>,
    order: VecDeque<String>,
}

impl PartialEq for Seen {
    fn eq(&self, other: &Seen) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

/// What a pass does with a file, by [`Seen::look`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Look {
    /// New or changed since it was read: read it.
    Read,
    /// Read before and unchanged since: skip it.
    Unchanged,
    /// Still being written (modified within the settle time, or changed
    /// since the last look found it so): leave it for a later pass.
    Unsettled,
}

impl Seen {
    /// An empty memory.
    pub fn new() -> Seen {
        Seen::default()
    }

    /// An empty memory that leaves a file for a later pass until it has
    /// been left alone for `settle` (see [`Seen::look`]).
    pub fn with_settle(settle: Duration) -> Seen {
        Seen {
            settle,
            ..Seen::default()
        }
    }

    /// What to do with this file now ([`Look`]); records what it found. A
    /// file is read when it is new or changed, and (with a settle time)
    /// its modification time is at least the settle time old and, if an
    /// earlier look left it for later, its size and time are what that
    /// look found. A file whose time is in the future counts as being
    /// written. Without a settle time this is [`Seen::file_is_new`].
    pub fn look(&self, path: &Path, meta: &std::fs::Metadata) -> Look {
        let stamp: Stamp = (meta.len(), meta.modified().ok());
        let mut s = self.state();
        if s.files.get(path) == Some(&stamp) {
            return Look::Unchanged;
        }
        if !self.settle.is_zero() {
            let young = match stamp.1 {
                Some(t) => SystemTime::now()
                    .duration_since(t)
                    .map_or(true, |age| age < self.settle),
                // No modification time on this platform: only the
                // comparison between looks can tell.
                None => false,
            };
            let moved = s.unsettled.get(path).is_some_and(|&before| before != stamp);
            if young || moved {
                s.unsettled.insert(path.to_path_buf(), stamp);
                tracing::info!(
                    file = %path.display(),
                    "still being written; left for the next pass"
                );
                return Look::Unsettled;
            }
            s.unsettled.remove(path);
        }
        s.files.insert(path.to_path_buf(), stamp);
        Look::Read
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain maps behind: still usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether this file is new or changed since it was last seen; records
    /// it either way.
    ///
    /// ```
    /// # let dir = tempfile::tempdir().unwrap();
    /// # let path = dir.path().join("a.txt");
    /// # std::fs::write(&path, "one").unwrap();
    /// let seen = storyline_ingest::Seen::new();
    /// let meta = std::fs::metadata(&path).unwrap();
    /// assert!(seen.file_is_new(&path, &meta));
    /// assert!(!seen.file_is_new(&path, &meta));
    /// ```
    pub fn file_is_new(&self, path: &Path, meta: &std::fs::Metadata) -> bool {
        let stamp = (meta.len(), meta.modified().ok());
        self.state().files.insert(path.to_path_buf(), stamp) != Some(stamp)
    }

    /// Whether this URL was not fetched before; records it.
    pub fn url_is_new(&self, url: &str) -> bool {
        let mut s = self.state();
        if s.urls.contains(url) {
            return false;
        }
        s.urls.insert(url.to_string());
        s.order.push_back(url.to_string());
        while s.order.len() > MAX_URLS {
            if let Some(old) = s.order.pop_front() {
                s.urls.remove(&old);
            }
        }
        true
    }

    /// Files and URLs remembered.
    pub fn len(&self) -> (usize, usize) {
        let s = self.state();
        (s.files.len(), s.urls.len())
    }

    /// Whether nothing is remembered yet.
    pub fn is_empty(&self) -> bool {
        self.len() == (0, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_being_written_is_left_until_it_settles() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "one").unwrap();
        let meta = || std::fs::metadata(&path).unwrap();
        // Just written: too young for a 60 s settle time.
        let seen = Seen::with_settle(Duration::from_secs(60));
        assert_eq!(seen.look(&path, &meta()), Look::Unsettled);
        assert_eq!(seen.look(&path, &meta()), Look::Unsettled);
        // Old enough, and unchanged since the last look: read, once.
        let old = SystemTime::now() - Duration::from_secs(120);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let seen = Seen::with_settle(Duration::from_secs(60));
        assert_eq!(seen.look(&path, &meta()), Look::Read);
        assert_eq!(seen.look(&path, &meta()), Look::Unchanged);
        // Left for later with one size, then found with another (a writer
        // that keeps an old time): still being written.
        let other = dir.path().join("b.txt");
        std::fs::write(&other, "two").unwrap();
        assert_eq!(
            seen.look(&other, &std::fs::metadata(&other).unwrap()),
            Look::Unsettled
        );
        std::fs::write(&other, "two three").unwrap();
        let f = std::fs::File::options().write(true).open(&other).unwrap();
        f.set_modified(old).unwrap();
        assert_eq!(
            seen.look(&other, &std::fs::metadata(&other).unwrap()),
            Look::Unsettled
        );
        assert_eq!(
            seen.look(&other, &std::fs::metadata(&other).unwrap()),
            Look::Read
        );
        // Without a settle time a new file is read at once.
        let seen = Seen::new();
        std::fs::write(&path, "fresh").unwrap();
        assert_eq!(seen.look(&path, &meta()), Look::Read);
    }

    #[test]
    fn a_changed_file_is_new_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "one").unwrap();
        let seen = Seen::new();
        assert!(seen.file_is_new(&path, &std::fs::metadata(&path).unwrap()));
        assert!(!seen.file_is_new(&path, &std::fs::metadata(&path).unwrap()));
        std::fs::write(&path, "one two").unwrap();
        assert!(seen.file_is_new(&path, &std::fs::metadata(&path).unwrap()));
    }

    #[test]
    fn urls_are_remembered_and_clones_share_the_memory() {
        let seen = Seen::new();
        let other = seen.clone();
        assert!(seen.url_is_new("https://example.org/a"));
        assert!(!other.url_is_new("https://example.org/a"));
        assert_eq!(seen.len(), (0, 1));
        assert_eq!(seen, other);
        assert_ne!(seen, Seen::new());
    }
}
