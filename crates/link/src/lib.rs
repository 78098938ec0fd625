//! Cross-document linking over stored per-article analyses: which actor is
//! which, which articles tell the same story, which claims are the same claim,
//! and where sources agree, update or contradict each other.
//!
//! Everything here is a pure function of analyses and link state; state is
//! reached through small index traits so that adding one article costs the
//! same however large the store is (candidates come from inverted indexes,
//! never from all pairs).

pub mod actors;
pub mod claims;
pub mod findings;
pub mod linker;
pub mod publishers;
mod reads;
pub mod stories;
pub mod story_store;
pub mod summary;
pub mod timeline;

/// The entries of a word-list data file (`data/*.tsv`): its lines trimmed,
/// without blank lines and `#` comments.
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}
