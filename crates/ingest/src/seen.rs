//! Memory of a long-running reader (`storyline watch`): which files it has
//! read, by path, size and modification time, and which linked pages it has
//! fetched. A read given a [`Seen`] skips files that have not changed and
//! feed items whose page it fetched before, so each pass of a watch reads
//! only what is new. Content hashes still make a re-read harmless; this
//! saves the reading and the fetching.

use std::collections::{HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Linked-page URLs remembered; the oldest are forgotten first, so a watch
/// that runs for months stays bounded (a forgotten page is fetched again
/// and found already stored).
const MAX_URLS: usize = 200_000;

/// What earlier passes read. Cheap to clone: clones share one memory.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    inner: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    files: HashMap<PathBuf, (u64, Option<SystemTime>)>,
    urls: HashSet<String>,
    order: VecDeque<String>,
}

impl PartialEq for Seen {
    fn eq(&self, other: &Seen) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Seen {
    /// An empty memory.
    pub fn new() -> Seen {
        Seen::default()
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
