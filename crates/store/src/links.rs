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

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Serialize;
use storyline_core::ArticleId;

use crate::StoreError;

/// Longest record kind, id or key stored, in bytes. A longer id or key (a
/// key built from a 600-letter chemical name or a run of base64) is stored
/// in its bounded form ([`bounded_link_key`]); a longer kind is rejected,
/// since kinds are the linker's own constants.
pub const MAX_LINK_KEY_LEN: usize = 512;

/// Hex digits of the hash that ends a bounded key: 128 bits, so two
/// distinct long keys share a bounded form only by a hash collision.
const BOUND_HASH_HEX: usize = 32;

/// Separates the kept prefix of a long key from its hash.
const BOUND_SEPARATOR: char = '#';

/// Bytes of a long key kept in front of its hash, so the bounded form is
/// at most [`MAX_LINK_KEY_LEN`] bytes.
const BOUND_PREFIX_LEN: usize = MAX_LINK_KEY_LEN - BOUND_SEPARATOR.len_utf8() - BOUND_HASH_HEX;

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

/// The form in which a record id, key or counter key is stored: the key
/// itself when it is at most [`MAX_LINK_KEY_LEN`] bytes, else its first
/// bytes (cut at a character boundary), `#`, and 32 hex digits of the
/// BLAKE3 hash of the whole key.
///
/// Linking keys are built from article words, so their length is the
/// input's to choose; a key over the limit used to fail the whole link
/// batch and stop linking for good. The bounded form keeps the store's
/// index entries small, keeps distinct long keys distinct, and is a fixed
/// point (a bounded form is short enough to be stored as it is), so a read
/// by the long key or by the form the store handed back finds the same
/// record. A short key that spells out exactly the bounded form of a long
/// one shares its postings; that needs the long key's hash, and costs no
/// more than two articles sharing a word.
pub fn bounded_link_key(key: &str) -> Cow<'_, str> {
    if key.len() <= MAX_LINK_KEY_LEN {
        return Cow::Borrowed(key);
    }
    let mut cut = BOUND_PREFIX_LEN;
    while !key.is_char_boundary(cut) {
        cut -= 1;
    }
    let hash = blake3::hash(key.as_bytes()).to_hex();
    let hex = hash.get(..BOUND_HASH_HEX).unwrap_or(hash.as_str());
    Cow::Owned(format!("{}{BOUND_SEPARATOR}{hex}", &key[..cut]))
}

/// The stored forms of `keys`, borrowed when none is over the limit (the
/// usual case, which then copies nothing).
pub(crate) fn bounded_keys(keys: &[String]) -> Cow<'_, [String]> {
    if keys.iter().all(|k| k.len() <= MAX_LINK_KEY_LEN) {
        return Cow::Borrowed(keys);
    }
    Cow::Owned(
        keys.iter()
            .map(|k| bounded_link_key(k).into_owned())
            .collect(),
    )
}

/// `batch` with every id, key and counter key in its stored form.
pub(crate) fn bounded_batch(batch: &LinkBatch) -> Cow<'_, LinkBatch> {
    let long = |s: &String| s.len() > MAX_LINK_KEY_LEN;
    let any_long = batch
        .records
        .iter()
        .any(|(_, r)| long(&r.id) || r.keys.iter().any(long))
        || batch.deletes.iter().any(|(_, id)| long(id))
        || batch.counters.iter().any(|(k, _)| long(k));
    if !any_long {
        return Cow::Borrowed(batch);
    }
    let bound = |s: &String| bounded_link_key(s).into_owned();
    Cow::Owned(LinkBatch {
        records: batch
            .records
            .iter()
            .map(|(kind, r)| {
                (
                    kind.clone(),
                    LinkRecord {
                        id: bound(&r.id),
                        body: r.body.clone(),
                        keys: r.keys.iter().map(bound).collect(),
                    },
                )
            })
            .collect(),
        deletes: batch
            .deletes
            .iter()
            .map(|(kind, id)| (kind.clone(), bound(id)))
            .collect(),
        counters: batch.counters.iter().map(|(k, n)| (bound(k), *n)).collect(),
        linked_through: batch.linked_through.clone(),
    })
}

/// Puts the ids the caller asked for back on records read by their stored
/// forms. `found` is `stored` in order with unknown ids left out, as every
/// backend answers; `asked` and `stored` are aligned.
pub(crate) fn restore_ids<T>(
    asked: &[String],
    stored: &[String],
    found: Vec<T>,
    id_of: impl Fn(&mut T) -> &mut String,
) -> Vec<T> {
    if asked.len() != stored.len() || asked.iter().zip(stored).all(|(a, s)| a == s) {
        return found;
    }
    let mut out = Vec::with_capacity(found.len());
    let mut pairs = asked.iter().zip(stored);
    for mut item in found {
        let id = id_of(&mut item);
        // `found` is a subsequence of `stored`: the next stored id equal to
        // this one is the position it answers.
        if let Some((a, _)) = pairs.by_ref().find(|(_, s)| *s == id) {
            id.clone_from(a);
        }
        out.push(item);
    }
    out
}

/// Puts the keys the caller asked for back on lookup answers given under
/// the keys' stored forms.
pub(crate) fn restore_keys(
    asked: &[String],
    stored: &[String],
    found: Vec<(String, String)>,
) -> Vec<(String, String)> {
    if asked.len() != stored.len() || asked.iter().zip(stored).all(|(a, s)| a == s) {
        return found;
    }
    let mut back: HashMap<&str, &str> = HashMap::new();
    for (a, s) in asked.iter().zip(stored) {
        back.entry(s.as_str()).or_insert(a.as_str());
    }
    found
        .into_iter()
        .map(|(key, id)| match back.get(key.as_str()) {
            Some(a) => ((*a).to_string(), id),
            None => (key, id),
        })
        .collect()
}

/// Checks a batch before anything is written: kinds, ids and keys must not
/// be empty, and kinds (the linker's constants) not over the limit. Ids and
/// keys of any length are accepted and stored bounded.
pub(crate) fn validate_link_batch(batch: &LinkBatch) -> Result<(), StoreError> {
    let nonempty = |what: &'static str, s: &str| {
        if s.is_empty() {
            Err(StoreError::InvalidLink {
                reason: format!("a {what} must not be empty"),
            })
        } else {
            Ok(())
        }
    };
    let kind_ok = |kind: &str| {
        nonempty("record kind", kind)?;
        if kind.len() > MAX_LINK_KEY_LEN {
            return Err(StoreError::InvalidLink {
                reason: format!(
                    "a record kind must be 1 to {MAX_LINK_KEY_LEN} bytes, got {} bytes",
                    kind.len()
                ),
            });
        }
        Ok(())
    };
    for (kind, record) in &batch.records {
        kind_ok(kind)?;
        nonempty("record id", &record.id)?;
        for key in &record.keys {
            nonempty("key", key)?;
        }
    }
    for (kind, id) in &batch.deletes {
        kind_ok(kind)?;
        nonempty("record id", id)?;
    }
    for (key, _) in &batch.counters {
        nonempty("counter key", key)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_up_to_the_limit_are_stored_as_they_are() {
        for key in ["k", &"k".repeat(MAX_LINK_KEY_LEN)] {
            assert!(matches!(bounded_link_key(key), Cow::Borrowed(k) if k == key));
        }
    }

    #[test]
    fn one_byte_over_the_limit_is_bounded() {
        let key = "k".repeat(MAX_LINK_KEY_LEN + 1);
        let b = bounded_link_key(&key);
        assert_eq!(b.len(), MAX_LINK_KEY_LEN);
        assert!(b.starts_with(&"k".repeat(BOUND_PREFIX_LEN)));
        assert_ne!(b, key[..MAX_LINK_KEY_LEN], "not a bare truncation");
    }

    #[test]
    fn the_cut_falls_on_a_character_boundary() {
        // Four-byte characters: the prefix length is not a multiple of 4.
        let key = "\u{1F600}".repeat(200);
        let b = bounded_link_key(&key);
        assert!(b.len() <= MAX_LINK_KEY_LEN);
        assert!(b.starts_with("\u{1F600}"));
    }

    #[test]
    fn a_huge_key_costs_a_bounded_form() {
        let key = "a".repeat(10_000_000);
        assert!(bounded_link_key(&key).len() <= MAX_LINK_KEY_LEN);
    }

    #[test]
    fn ids_and_keys_come_back_as_asked() {
        let long = "x".repeat(600);
        let asked = vec![long.clone(), "gone".into(), "s".into(), long.clone()];
        let stored = bounded_keys(&asked).into_owned();
        let found = vec![stored[0].clone(), "s".to_string(), stored[3].clone()];
        assert_eq!(
            restore_ids(&asked, &stored, found, |s| s),
            vec![long.clone(), "s".to_string(), long.clone()]
        );
        let hits = vec![(stored[0].clone(), "id".to_string())];
        assert_eq!(
            restore_keys(&asked, &stored, hits),
            vec![(long, "id".to_string())]
        );
    }

    #[test]
    fn empty_names_are_still_refused() {
        let batch = LinkBatch {
            counters: vec![(String::new(), 1)],
            ..LinkBatch::default()
        };
        assert!(validate_link_batch(&batch).is_err());
    }

    proptest! {
        #[test]
        fn bounded_forms_are_short_fixed_and_distinct(
            a in ".{0,700}",
            b in ".{0,700}",
        ) {
            let ba = bounded_link_key(&a);
            prop_assert!(ba.len() <= MAX_LINK_KEY_LEN);
            prop_assert_eq!(bounded_link_key(&ba), ba.clone());
            if a != b {
                prop_assert_ne!(ba, bounded_link_key(&b));
            }
        }
    }
}
