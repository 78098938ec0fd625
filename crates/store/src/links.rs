//! What cross-document linking keeps in the store: opaque records (actors,
//! stories, claims, findings) with the keys that find them, counters, and a
//! watermark of the articles already linked.
//!
//! The store does not know what a story or a claim is: records are JSON
//! documents the linker writes and reads back, keys are strings it chooses
//! (`alias:blinken`, `term:ceasefire`). What the store guarantees is that a
//! lookup by key costs the same however many records there are, and that one
//! [`LinkBatch`] is applied all or nothing, together with its watermark, so
//! a crash never leaves an article half linked.

use serde::Serialize;
use storyline_core::ArticleId;

use crate::StoreError;

/// Longest record kind, id or key accepted, in bytes.
pub const MAX_LINK_KEY_LEN: usize = 512;

/// Most record ids returned for one key by [`crate::Store::link_lookup`].
pub const MAX_LINK_LOOKUP_PER_KEY: usize = 1_000;

/// One linking record: an id unique within its kind, a JSON body, and the
/// keys it can be found by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkRecord {
    /// Unique within the record's kind.
    pub id: String,
    /// A JSON document, opaque to the store.
    pub body: String,
    /// Lookup keys; writing a record replaces all its keys.
    pub keys: Vec<String>,
}

/// Everything linking one or more articles changes, applied in one
/// transaction by [`crate::Store::put_links`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkBatch {
    /// Records to insert or replace, with their kind.
    pub records: Vec<(String, LinkRecord)>,
    /// Records to delete (kind, id); deleting a missing record is not an error.
    pub deletes: Vec<(String, String)>,
    /// Counter increments (key, delta); counters start at zero.
    pub counters: Vec<(String, i64)>,
    /// Advances the watermark to this article: it and every article ingested
    /// before it count as linked. Must be an article of the store.
    pub linked_through: Option<ArticleId>,
}

/// The linker that made the stored links and how far it got.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LinkState {
    /// The linker name and version that made the stored links; `None` when
    /// nothing was ever linked.
    pub linker: Option<String>,
    /// Articles linked (those at or below the watermark).
    pub linked_articles: u64,
    /// Records per kind.
    pub records: Vec<(String, u64)>,
}

/// Checks a batch before anything is written.
pub(crate) fn validate_link_batch(batch: &LinkBatch) -> Result<(), StoreError> {
    let check = |what: &'static str, s: &str| {
        if s.is_empty() || s.len() > MAX_LINK_KEY_LEN {
            Err(StoreError::InvalidLink {
                reason: format!(
                    "a {what} must be 1 to {MAX_LINK_KEY_LEN} bytes, got {} bytes",
                    s.len()
                ),
            })
        } else {
            Ok(())
        }
    };
    for (kind, record) in &batch.records {
        check("record kind", kind)?;
        check("record id", &record.id)?;
        for key in &record.keys {
            check("key", key)?;
        }
    }
    for (kind, id) in &batch.deletes {
        check("record kind", kind)?;
        check("record id", id)?;
    }
    for (key, _) in &batch.counters {
        check("counter key", key)?;
    }
    Ok(())
}

/// Checks a linker name.
pub(crate) fn validate_linker(linker: &str) -> Result<(), StoreError> {
    if linker.is_empty() || linker.len() > crate::MAX_ANALYZER_LEN {
        return Err(StoreError::InvalidLink {
            reason: format!(
                "a linker name must be 1 to {} bytes",
                crate::MAX_ANALYZER_LEN
            ),
        });
    }
    Ok(())
}

/// Keys in first-seen order without repeats.
pub(crate) fn dedup_keys(keys: &[String]) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    keys.iter()
        .map(String::as_str)
        .filter(|k| seen.insert(*k))
        .collect()
}
