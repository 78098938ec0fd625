//! [`StoryIndex`] over the store's link records, writing into the
//! [`LinkBatch`] of the article being linked so that a story's update
//! commits with the rest of the article's links.
//!
//! Records: kind `story`, id `s<n>` (zero-padded in the record id so that
//! scans list stories in creation order), body a [`StoryRecord`]; keys are
//! the clusterer's posting keys plus `group:<near-duplicate group>`.
//! Counters: `story:docs`, `story:next`, `df:<key>`.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storyline_core::ArticleId;
use storyline_store::{LinkBatch, LinkRecord, Store};

use crate::linker::{kinds, LinkError};
use crate::stories::{StoryFeatures, StoryId, StoryIndex, StorySketch};

/// Stories looked up per key; keys shared by many stories (common words)
/// reach only the most recently updated ones.
const STORIES_PER_KEY: usize = 50;
/// Article ids kept on a story record.
pub const STORY_ARTICLES: usize = 1_000;

/// A story as stored: the clusterer's sketch plus what listings need.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryRecord {
    /// The clusterer's bounded state.
    pub sketch: StorySketch,
    /// Its latest articles in the order they joined (at most [`STORY_ARTICLES`];
    /// `sketch.articles` counts them all).
    pub articles: Vec<ArticleId>,
    /// Articles per outlet.
    pub outlets: BTreeMap<String, u32>,
    /// Near-duplicate groups (independent reports) in it.
    pub groups: u32,
    /// Articles with no known date.
    pub undated: u32,
    /// Mentions per entity id, for its key actors.
    pub actors: BTreeMap<String, u32>,
    /// Entity names for those ids.
    pub actor_names: BTreeMap<String, String>,
    /// Near-duplicate groups that have a member here.
    pub group_keys: Vec<String>,
    /// First and last published day.
    pub first_day: Option<NaiveDate>,
    /// See `first_day`.
    pub last_day: Option<NaiveDate>,
    /// A representative headline: the title of the article that matched the
    /// story best when it joined (the first article's until another
    /// matches better). What a reader recognises, where the keyword label
    /// is a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// The similarity with which `headline`'s article joined (0 for the
    /// article that opened the story).
    #[serde(default)]
    pub headline_score: f32,
    /// For a story, the storyline it belongs to (decided by its first
    /// article); absent on storylines and on stories linked before
    /// `link/8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storyline: Option<StoryId>,
}

/// The record id of a story.
pub fn story_record_id(id: StoryId) -> String {
    STORY_LEVEL.record_id(id)
}

/// Which level of grouping an index keeps: stories (developments), or the
/// storylines that hold them. Each level has its own records, counters and
/// document frequencies; both run the same incremental clusterer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level {
    /// The link record kind.
    pub kind: &'static str,
    /// The letter of its ids (`s12`, `l3`).
    pub letter: char,
    /// Counter of articles counted in its document frequencies.
    docs: &'static str,
    /// Counter of ids handed out.
    next: &'static str,
    /// Prefix of its document-frequency counters.
    df: &'static str,
    /// Whether it counts articles into the document frequencies, or reads
    /// the ones another level counts (storylines read the stories').
    counts_documents: bool,
}

/// Stories: clusters of articles about the same events.
pub const STORY_LEVEL: Level = Level {
    kind: kinds::STORY,
    letter: 's',
    docs: "story:docs",
    next: "story:next",
    df: "df:",
    counts_documents: true,
};

/// Storylines: the long-running situations stories belong to.
pub const STORYLINE_LEVEL: Level = Level {
    kind: kinds::STORYLINE,
    letter: 'l',
    // One article, one set of document frequencies: the storyline level
    // reads the story level's, so linking reads no second set of counters.
    docs: "story:docs",
    next: "storyline:next",
    df: "df:",
    counts_documents: false,
};

impl Level {
    /// The record id of one of its groups (`s00000012`).
    pub fn record_id(&self, id: StoryId) -> String {
        format!("{}{:08}", self.letter, id.0)
    }

    /// The id a user types (`s12`, `12`, `s00000012`; `l3` for a storyline).
    pub fn parse_id(&self, s: &str) -> Option<StoryId> {
        let s = s.trim();
        let s = s
            .strip_prefix(self.letter)
            .or_else(|| s.strip_prefix(self.letter.to_ascii_uppercase()))
            .unwrap_or(s);
        s.parse::<u64>().ok().map(StoryId)
    }
}

/// The story id a user types (`s12`, `12`, `s00000012`).
pub fn parse_story_id(s: &str) -> Option<StoryId> {
    s.trim()
        .trim_start_matches(['s', 'S'])
        .parse::<u64>()
        .ok()
        .map(StoryId)
}

/// The index over the store, with this article's pending writes overlaid.
pub struct StoreStoryIndex<'a> {
    store: &'a dyn Store,
    level: Level,
    counters: HashMap<String, i64>,
    pub(crate) records: HashMap<StoryId, StoryRecord>,
    keys: HashMap<StoryId, Vec<String>>,
    /// Posting keys of stories read from the store, kept when the story is
    /// written back without a new sketch.
    stored_keys: HashMap<StoryId, Vec<String>>,
    /// Counter values as stored, read once per article: scoring the
    /// candidate stories asks for the same terms' frequencies many times,
    /// and the store does not change until the batch is written.
    stored_counters: RefCell<HashMap<String, i64>>,
    /// Stories read for scoring and not (yet) changed, parsed once; a
    /// story that joins the overlay is moved out of here.
    loaded: RefCell<HashMap<StoryId, LoadedStory>>,
    /// Pending counter changes of another level's index in the same batch
    /// (the story level's count of this article), read but never written.
    borrowed: HashMap<String, i64>,
}

/// A story record as read from the store, with its posting keys.
struct LoadedStory {
    record: StoryRecord,
    posting: Vec<String>,
}

impl<'a> StoreStoryIndex<'a> {
    /// An index of stories reading `store`.
    pub fn new(store: &'a dyn Store) -> StoreStoryIndex<'a> {
        Self::with_level(store, STORY_LEVEL)
    }

    /// An index of one level of grouping reading `store`.
    pub fn with_level(store: &'a dyn Store, level: Level) -> StoreStoryIndex<'a> {
        StoreStoryIndex {
            store,
            level,
            counters: HashMap::new(),
            records: HashMap::new(),
            keys: HashMap::new(),
            stored_keys: HashMap::new(),
            stored_counters: RefCell::new(HashMap::new()),
            loaded: RefCell::new(HashMap::new()),
            borrowed: HashMap::new(),
        }
    }

    /// Reads counters through `other`'s: the counter values it already
    /// read from the store, and its pending changes, so that a second
    /// level scoring the same article asks the store for nothing twice.
    pub fn share_counters(&mut self, other: &StoreStoryIndex<'_>) {
        self.stored_counters.borrow_mut().extend(
            other
                .stored_counters
                .borrow()
                .iter()
                .map(|(k, v)| (k.clone(), *v)),
        );
        self.borrowed
            .extend(other.counters.iter().map(|(k, v)| (k.clone(), *v)));
    }

    /// Stored values of these counters, from the cache or in one store call
    /// for those not read yet.
    fn stored_counters(&self, names: &[String]) -> Result<Vec<i64>, LinkError> {
        let mut cache = self.stored_counters.borrow_mut();
        let mut missing: Vec<String> = names
            .iter()
            .filter(|n| !cache.contains_key(*n))
            .cloned()
            .collect();
        missing.sort_unstable();
        missing.dedup();
        if !missing.is_empty() {
            let values = self.store.link_counters(&missing)?;
            cache.extend(missing.into_iter().zip(values));
        }
        Ok(names
            .iter()
            .map(|n| cache.get(n).copied().unwrap_or(0))
            .collect())
    }

    fn counter(&self, key: &str) -> Result<i64, LinkError> {
        let stored = self.stored_counters(&[key.to_string()])?;
        Ok(stored.first().copied().unwrap_or(0)
            + self.counters.get(key).copied().unwrap_or(0)
            + self.borrowed.get(key).copied().unwrap_or(0))
    }

    /// Reads and parses a story unless it was already.
    fn load(&self, id: StoryId) -> Result<bool, LinkError> {
        self.load_all(&[id])?;
        Ok(self.loaded.borrow().contains_key(&id))
    }

    /// Reads and parses, in one store call, the stories of `ids` not read
    /// yet: the candidates an article is scored against are read at once,
    /// not one round trip each.
    fn load_all(&self, ids: &[StoryId]) -> Result<(), LinkError> {
        let wanted: Vec<String> = {
            let loaded = self.loaded.borrow();
            ids.iter()
                .filter(|id| !loaded.contains_key(id))
                .map(|id| self.level.record_id(*id))
                .collect()
        };
        if wanted.is_empty() {
            return Ok(());
        }
        let mut counters = Vec::new();
        for r in self.store.link_records(self.level.kind, &wanted)? {
            let Some(id) = self.level.parse_id(&r.id) else {
                continue;
            };
            let record: StoryRecord =
                serde_json::from_str(&r.body).map_err(|e| LinkError::Corrupt {
                    kind: self.level.kind.into(),
                    id: r.id.clone(),
                    reason: e.to_string(),
                })?;
            let posting: Vec<String> = r
                .keys
                .into_iter()
                .filter(|k| !k.starts_with("group:"))
                .collect();
            counters.extend(
                crate::stories::sketch_keys(&record.sketch)
                    .into_iter()
                    .map(|k| format!("{}{k}", self.level.df)),
            );
            self.loaded
                .borrow_mut()
                .insert(id, LoadedStory { record, posting });
        }
        // Scoring each story reads the frequencies of its terms: all of
        // them in one call.
        self.stored_counters(&counters)?;
        Ok(())
    }

    /// Reads, in one store call, the counters that placing an article
    /// with these features reads first: the document count, the next
    /// story id and the frequencies of the article's own keys.
    pub fn prefetch_counters(&self, features: &StoryFeatures) -> Result<(), LinkError> {
        let mut names: Vec<String> = crate::stories::all_keys(features)
            .into_iter()
            .map(|k| format!("{}{k}", self.level.df))
            .collect();
        names.push(self.level.docs.to_string());
        names.push(self.level.next.to_string());
        self.stored_counters(&names)?;
        Ok(())
    }

    /// The record of a story, from the overlay or the store.
    pub fn record(&mut self, id: StoryId) -> Result<Option<&mut StoryRecord>, LinkError> {
        if !self.records.contains_key(&id) {
            if !self.load(id)? {
                return Ok(None);
            }
            if let Some(l) = self.loaded.get_mut().remove(&id) {
                self.records.insert(id, l.record);
                self.stored_keys.insert(id, l.posting);
            }
        }
        Ok(self.records.get_mut(&id))
    }

    /// Moves the pending writes into `batch`.
    pub fn flush(self, batch: &mut LinkBatch) {
        for (key, delta) in self.counters {
            batch.counters.push((key, delta));
        }
        for (id, rec) in self.records {
            let mut keys = self
                .keys
                .get(&id)
                .or_else(|| self.stored_keys.get(&id))
                .cloned()
                .unwrap_or_default();
            keys.extend(rec.group_keys.iter().map(|g| format!("group:{g}")));
            keys.retain(|k| !k.is_empty() && k.len() <= storyline_store::MAX_LINK_KEY_LEN);
            let body = serde_json::to_string(&rec).unwrap_or_else(|_| "{}".into());
            batch.records.push((
                self.level.kind.to_string(),
                LinkRecord {
                    id: self.level.record_id(id),
                    body,
                    keys,
                },
            ));
        }
    }
}

impl StoryIndex for StoreStoryIndex<'_> {
    type Error = LinkError;

    fn document_count(&self) -> Result<u64, LinkError> {
        Ok(self.counter(self.level.docs)?.max(0) as u64)
    }

    fn document_frequencies(&self, keys: &[String]) -> Result<Vec<u64>, LinkError> {
        let names: Vec<String> = keys
            .iter()
            .map(|k| format!("{}{k}", self.level.df))
            .collect();
        let stored = self.stored_counters(&names)?;
        Ok(names
            .iter()
            .zip(stored)
            .map(|(n, v)| {
                (v + self.counters.get(n).copied().unwrap_or(0)
                    + self.borrowed.get(n).copied().unwrap_or(0))
                .max(0) as u64
            })
            .collect())
    }

    fn add_document(&mut self, keys: &[String]) -> Result<(), LinkError> {
        if !self.level.counts_documents {
            return Ok(());
        }
        *self.counters.entry(self.level.docs.into()).or_default() += 1;
        for k in keys {
            *self
                .counters
                .entry(format!("{}{k}", self.level.df))
                .or_default() += 1;
        }
        Ok(())
    }

    fn candidates(&self, keys: &[String], limit: usize) -> Result<Vec<StoryId>, LinkError> {
        let hits = self
            .store
            .link_lookup(self.level.kind, keys, STORIES_PER_KEY)?;
        // Shared keys per story; ties to the story met first (postings come
        // newest first).
        let mut score: Vec<(String, usize, usize)> = Vec::new();
        for (order, (_, id)) in hits.into_iter().enumerate() {
            match score.iter_mut().find(|(s, _, _)| *s == id) {
                Some((_, n, _)) => *n += 1,
                None => score.push((id, 1, order)),
            }
        }
        // Stories written in this batch are candidates too.
        for (id, k) in &self.keys {
            let rid = self.level.record_id(*id);
            let shared = k.iter().filter(|x| keys.contains(x)).count();
            if shared > 0 && !score.iter().any(|(s, _, _)| *s == rid) {
                score.push((rid, shared, 0));
            }
        }
        score.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
        let ids: Vec<StoryId> = score
            .into_iter()
            .filter_map(|(id, _, _)| self.level.parse_id(&id))
            .take(limit)
            .collect();
        // Each candidate's sketch is read next: all those not written in
        // this batch in one call.
        let stored: Vec<StoryId> = ids
            .iter()
            .filter(|id| !self.records.contains_key(id))
            .copied()
            .collect();
        self.load_all(&stored)?;
        Ok(ids)
    }

    fn sketch(&self, id: StoryId) -> Result<Option<StorySketch>, LinkError> {
        if let Some(r) = self.records.get(&id) {
            return Ok(Some(r.sketch.clone()));
        }
        if !self.load(id)? {
            return Ok(None);
        }
        Ok(self
            .loaded
            .borrow()
            .get(&id)
            .map(|l| l.record.sketch.clone()))
    }

    fn put_sketch(&mut self, sketch: &StorySketch, keys: &[String]) -> Result<(), LinkError> {
        let id = sketch.id;
        if self.record(id)?.is_none() {
            self.records.insert(id, StoryRecord::default());
        }
        if let Some(r) = self.records.get_mut(&id) {
            r.sketch = sketch.clone();
        }
        self.keys.insert(id, keys.to_vec());
        Ok(())
    }

    fn next_story_id(&mut self) -> Result<StoryId, LinkError> {
        let next = self.counter(self.level.next)? + 1;
        *self.counters.entry(self.level.next.into()).or_default() += 1;
        Ok(StoryId(next.max(1) as u64))
    }

    fn group_story(&self, group: &str) -> Result<Option<StoryId>, LinkError> {
        for (id, r) in &self.records {
            if r.group_keys.iter().any(|g| g == group) {
                return Ok(Some(*id));
            }
        }
        let hits = self
            .store
            .link_lookup(self.level.kind, &[format!("group:{group}")], 1)?;
        Ok(hits.first().and_then(|(_, id)| self.level.parse_id(id)))
    }

    fn set_group_story(&mut self, group: &str, story: StoryId) -> Result<(), LinkError> {
        if let Some(r) = self.record(story)? {
            if !r.group_keys.iter().any(|g| g == group) {
                r.group_keys.push(group.to_string());
                r.groups += 1;
            }
        }
        Ok(())
    }
}
