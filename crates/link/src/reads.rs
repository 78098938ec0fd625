//! What one article's linking reads from the store, each key and record
//! read once, and as many as the linker can name in advance in one call.
//!
//! Linking an article reads link records many times (an entity's lookup
//! keys one after another, each claim key's stored claims, stance cells)
//! and writes nothing until its batch is stored at the end, so within one
//! article every read of a key or record gives the same answer. Over a
//! network each store call is a round trip (PostgreSQL): the linker names
//! the keys and records of a stage first ([`ArticleReads::prefetch_lookups`],
//! [`ArticleReads::prefetch_bodies`], one call each), then asks for them one
//! by one as its rules need them, from here. What it did not name is read
//! when asked, as before; nothing read here outlives the article, so the
//! links made are exactly those of reading the store each time.

use std::cell::RefCell;
use std::collections::HashMap;

use storyline_store::{Store, StoreError};

/// Postings of one key as read: the ids, newest first, and the cap they
/// were read with.
struct Postings {
    per_key: usize,
    ids: Vec<String>,
}

/// One article's reads of link records (see the module docs).
pub(crate) struct ArticleReads<'s> {
    store: &'s dyn Store,
    /// (kind, key) → postings.
    lookups: RefCell<HashMap<(String, String), Postings>>,
    /// (kind, id) → body, `None` for a record that is not stored.
    bodies: RefCell<HashMap<(String, String), Option<String>>>,
}

impl<'s> ArticleReads<'s> {
    pub(crate) fn new(store: &'s dyn Store) -> ArticleReads<'s> {
        ArticleReads {
            store,
            lookups: RefCell::new(HashMap::new()),
            bodies: RefCell::new(HashMap::new()),
        }
    }

    /// The cached postings of `key` that answer a lookup capped at
    /// `per_key`: read with a cap at least as large, or fewer than their
    /// cap (then they are all there are).
    fn cached_lookup(&self, kind: &str, key: &str, per_key: usize) -> Option<Vec<String>> {
        let lookups = self.lookups.borrow();
        let p = lookups.get(&(kind.to_string(), key.to_string()))?;
        (p.per_key >= per_key || p.ids.len() < p.per_key)
            .then(|| p.ids.iter().take(per_key).cloned().collect())
    }

    /// Reads the postings of every key of `keys` not read yet, capped at
    /// `per_key` each, in one store call.
    pub(crate) fn prefetch_lookups(
        &self,
        kind: &str,
        keys: &[String],
        per_key: usize,
    ) -> Result<(), StoreError> {
        let mut missing: Vec<String> = keys
            .iter()
            .filter(|k| self.cached_lookup(kind, k, per_key).is_none())
            .cloned()
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let mut found: HashMap<String, Vec<String>> = HashMap::new();
        for (key, id) in self.store.link_lookup(kind, &missing, per_key)? {
            found.entry(key).or_default().push(id);
        }
        let mut lookups = self.lookups.borrow_mut();
        for key in missing {
            let ids = found.remove(&key).unwrap_or_default();
            lookups.insert((kind.to_string(), key), Postings { per_key, ids });
        }
        Ok(())
    }

    /// The ids of up to `per_key` records of `kind` that carry `key`,
    /// newest first, as [`Store::link_lookup`] gives them.
    pub(crate) fn lookup(
        &self,
        kind: &str,
        key: &str,
        per_key: usize,
    ) -> Result<Vec<String>, StoreError> {
        if let Some(ids) = self.cached_lookup(kind, key, per_key) {
            return Ok(ids);
        }
        self.prefetch_lookups(kind, &[key.to_string()], per_key)?;
        Ok(self.cached_lookup(kind, key, per_key).unwrap_or_default())
    }

    /// Reads the bodies of every record of `ids` not read yet, in one
    /// store call.
    pub(crate) fn prefetch_bodies(&self, kind: &str, ids: &[String]) -> Result<(), StoreError> {
        let mut missing: Vec<String> = {
            let bodies = self.bodies.borrow();
            ids.iter()
                .filter(|id| !bodies.contains_key(&(kind.to_string(), (*id).clone())))
                .cloned()
                .collect()
        };
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(());
        }
        let mut found: HashMap<String, String> = self
            .store
            .link_bodies(kind, &missing)?
            .into_iter()
            .collect();
        let mut bodies = self.bodies.borrow_mut();
        for id in missing {
            let body = found.remove(&id);
            bodies.insert((kind.to_string(), id), body);
        }
        Ok(())
    }

    /// The bodies of the records of `kind` with these ids, as (id, body)
    /// in the order asked, unknown ids left out: [`Store::link_bodies`].
    pub(crate) fn bodies(
        &self,
        kind: &str,
        ids: &[String],
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.prefetch_bodies(kind, ids)?;
        let bodies = self.bodies.borrow();
        Ok(ids
            .iter()
            .filter_map(|id| {
                let body = bodies.get(&(kind.to_string(), id.clone()))?.as_ref()?;
                Some((id.clone(), body.clone()))
            })
            .collect())
    }
}
