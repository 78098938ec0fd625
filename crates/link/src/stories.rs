//! Incremental story clustering: each arriving article joins the story it
//! fits best or opens a new one, in one pass, as a news stream would need.
//!
//! An article is seen as [`StoryFeatures`]: content terms, named entities,
//! the years and days it mentions and the other numbers of its body, plus
//! its published day when known.
//! Terms and entities are weighted by TF-IDF with document frequencies
//! learnt as articles arrive. A story is a bounded [`StorySketch`]: the
//! centroid of its articles' normalised vectors, cut to the top terms,
//! entities and times, with its first and last published days.
//!
//! **Cost.** Candidate stories come from an inverted index (key → stories)
//! reached through the [`StoryIndex`] trait, and only the best few
//! candidates are scored, so adding an article costs the same however many
//! stories exist. [`MemStoryIndex`] is the in-memory implementation; a
//! store implements the same trait over its tables.
//!
//! **Score.** The cosine of article and story per channel (terms, entities,
//! times, numbers), averaged with weights over the channels both sides have (an
//! article without entities is not punished for it, but an article that
//! names years none of which the story mentions is), then damped by the gap
//! between the article's published day and the story's days when both are
//! known. Near-duplicates (same `duplicate_group`) always join their group's
//! story and do not count again in the document frequencies.
//!
//! ```
//! use storyline_analyze::document::{analyze, AnalysisContext};
//! use storyline_link::stories::{Clusterer, MemStoryIndex, StoryFeatures};
//!
//! let clusterer = Clusterer::default();
//! let mut index = MemStoryIndex::default();
//! for text in [
//!     "A magnitude 7.1 earthquake struck Tonga on Tuesday, officials said.",
//!     "Officials in Tonga counted damage after Tuesday's magnitude 7.1 earthquake.",
//! ] {
//!     let analysis = analyze(text, &AnalysisContext::default());
//!     let features = StoryFeatures::new(text, None, &analysis, None);
//!     let a = clusterer.assign(&mut index, &features, None).unwrap();
//!     println!("{} {}", a.story, a.new_story);
//! }
//! ```

mod features;
mod mem;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use features::{normalize_entity, normalize_term, FeatureParams, StoryFeatures};
pub use mem::MemStoryIndex;

/// A story's identifier: a small number handed out by the index, stable for
/// the life of the store.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(transparent)]
pub struct StoryId(pub u64);

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "s{}", self.0)
    }
}

/// One weighted key of a sketch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The term, normalised entity name, year or day.
    pub key: String,
    /// Summed normalised TF-IDF weight over the story's articles.
    pub weight: f32,
    /// How an entity is written, for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What a story keeps between articles: bounded whatever its size, and
/// serialisable so a store can keep it in one row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StorySketch {
    /// The story.
    pub id: StoryId,
    /// Articles assigned so far (near-duplicates included).
    pub articles: u32,
    /// Centroid terms, heaviest first, at most [`StoryParams::sketch_terms`].
    pub terms: Vec<Entry>,
    /// Centroid entities, heaviest first.
    pub entities: Vec<Entry>,
    /// Centroid years and days, heaviest first.
    pub times: Vec<Entry>,
    /// Centroid numbers (see [`StoryFeatures::numbers`]), heaviest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub numbers: Vec<Entry>,
    /// Earliest published day of its dated articles.
    pub first_day: Option<NaiveDate>,
    /// Latest published day of its dated articles.
    pub last_day: Option<NaiveDate>,
}

/// Where an article went.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// The story it joined or opened.
    pub story: StoryId,
    /// Whether it opened the story.
    pub new_story: bool,
    /// Similarity to the story it joined (1 for a near-duplicate's group
    /// story); for a new story, the best candidate's score, or 0.
    pub score: f32,
    /// It followed its group (`dup_group`) into the group's story rather
    /// than matching one: its `score` says nothing of how well it fits.
    pub followed_group: bool,
}

/// The state incremental clustering needs, behind the operations it uses,
/// so that a store can keep it in tables. Keys are plain strings with a
/// channel prefix (`t:` term, `e:` entity, `y:` year or day, `n:` number).
///
/// Implementations may bound each posting list (keeping the most recently
/// updated stories): candidates are a shortlist, not an exhaustive search.
pub trait StoryIndex {
    /// What can go wrong reaching the state.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Articles counted in the document frequencies so far.
    fn document_count(&self) -> Result<u64, Self::Error>;
    /// The document frequency of each key, in order (0 when unseen).
    fn document_frequencies(&self, keys: &[String]) -> Result<Vec<u64>, Self::Error>;
    /// Counts one more article that has these distinct keys.
    fn add_document(&mut self, keys: &[String]) -> Result<(), Self::Error>;
    /// Up to `limit` stories sharing the most keys with `keys`, best first;
    /// ties go to the most recently updated story.
    fn candidates(&self, keys: &[String], limit: usize) -> Result<Vec<StoryId>, Self::Error>;
    /// A story's sketch.
    fn sketch(&self, id: StoryId) -> Result<Option<StorySketch>, Self::Error>;
    /// Stores a sketch and replaces the keys the story is found by.
    fn put_sketch(&mut self, sketch: &StorySketch, keys: &[String]) -> Result<(), Self::Error>;
    /// A fresh story id.
    fn next_story_id(&mut self) -> Result<StoryId, Self::Error>;
    /// The story of a near-duplicate group, if one of its articles was assigned.
    fn group_story(&self, group: &str) -> Result<Option<StoryId>, Self::Error>;
    /// Records the story of a near-duplicate group.
    fn set_group_story(&mut self, group: &str, story: StoryId) -> Result<(), Self::Error>;
}

/// Clustering knobs. The defaults were chosen on two development sets: ECB+
/// topics 1–25 (`storyline eval stories ECB+ --folds`, storyline-eval's
/// `stories` module; topics 26–35 score them out of fold) and the `dev`
/// fold of the labelled BBC stories (`storylines_sweep`); see
/// docs/BENCHMARKS.md.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoryParams {
    /// Minimum score to join a story rather than open a new one.
    pub threshold: f32,
    /// How much the threshold rises per natural log of a story's size: a
    /// large centroid matches articles more easily than a single article
    /// does, so without it big stories swallow their neighbours.
    pub threshold_growth: f32,
    /// Weight of the term cosine.
    pub term_weight: f32,
    /// Weight of the entity cosine.
    pub entity_weight: f32,
    /// Weight of the time (years, days) cosine.
    pub time_weight: f32,
    /// Weight of the number cosine (0: numbers are not compared).
    #[serde(default)]
    pub number_weight: f32,
    /// Use `1 + ln(tf)` rather than raw counts.
    pub sublinear_tf: bool,
    /// Stories scored per article.
    pub candidates: usize,
    /// The article's heaviest terms used to look up candidates.
    pub query_terms: usize,
    /// The article's heaviest entities used to look up candidates.
    pub query_entities: usize,
    /// Terms kept in a sketch.
    pub sketch_terms: usize,
    /// Entities kept in a sketch.
    pub sketch_entities: usize,
    /// Times kept in a sketch.
    pub sketch_times: usize,
    /// Numbers kept in a sketch.
    #[serde(default = "default_sketch_numbers")]
    pub sketch_numbers: usize,
    /// A sketch's heaviest terms a story is found by.
    pub posting_terms: usize,
    /// A sketch's heaviest entities a story is found by.
    pub posting_entities: usize,
    /// Days over which the score decays by `1/e` when the article was
    /// published outside the story's days (both dated).
    pub decay_days: f32,
    /// Keep centroids as plain term frequencies and apply today's IDF when
    /// scoring, rather than freezing each article's IDF at arrival: the
    /// first articles of a stream otherwise keep weights learnt from almost
    /// no documents.
    pub reweight: bool,
}

impl Default for StoryParams {
    fn default() -> Self {
        StoryParams {
            threshold: 0.25,
            threshold_growth: 0.0,
            term_weight: 1.0,
            // Within 0.002 of the best mean B³ on ECB+ topics 1-25 (whose
            // choice, entity and time at 0.25, splits news of one story told
            // by several outlets, which share names more than words), and
            // better on the BBC stories' `dev` fold: docs/BENCHMARKS.md.
            entity_weight: 0.5,
            time_weight: 0.5,
            number_weight: 0.5,
            sublinear_tf: true,
            candidates: 10,
            query_terms: 20,
            query_entities: 10,
            sketch_terms: 150,
            sketch_entities: 40,
            sketch_times: 10,
            sketch_numbers: default_sketch_numbers(),
            posting_terms: 25,
            posting_entities: 10,
            decay_days: 30.0,
            reweight: true,
        }
    }
}

fn default_sketch_numbers() -> usize {
    20
}

/// A story's short description for listings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoryLabel {
    /// Its most prominent entities, as written.
    pub entities: Vec<String>,
    /// Its most prominent terms.
    pub terms: Vec<String>,
}

impl fmt::Display for StoryLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<&str> = self
            .entities
            .iter()
            .chain(&self.terms)
            .map(String::as_str)
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// Up to `n` entities and `n` terms of a story, heaviest first. An entity
/// whose words another listed one contains gives way to the fuller name
/// (`League` to `Coastal League`); terms that merely repeat a listed
/// entity's words, and month and day names (`march` is a date here, not a
/// protest), are skipped.
pub fn label(sketch: &StorySketch, n: usize) -> StoryLabel {
    let words = |key: &str| key.split(' ').map(str::to_string).collect::<BTreeSet<_>>();
    let mut chosen: Vec<(BTreeSet<String>, String)> = Vec::new();
    for e in &sketch.entities {
        if chosen.len() == n {
            break;
        }
        let w = words(&e.key);
        let name = e.name.clone().unwrap_or_else(|| e.key.clone());
        if chosen.iter().any(|(c, _)| w.is_subset(c)) {
            continue;
        }
        match chosen.iter_mut().find(|(c, _)| c.is_subset(&w)) {
            Some(shorter) => *shorter = (w, name),
            None => chosen.push((w, name)),
        }
    }
    let covered: BTreeSet<String> = chosen.iter().flat_map(|(w, _)| w.clone()).collect();
    let terms = sketch
        .terms
        .iter()
        .filter(|t| !covered.contains(&t.key) && !storyline_core::is_calendar_word(&t.key))
        .take(n)
        .map(|t| t.key.clone())
        .collect();
    StoryLabel {
        entities: chosen.into_iter().map(|(_, name)| name).collect(),
        terms,
    }
}

const TERM: &str = "t:";
const ENTITY: &str = "e:";
const TIME: &str = "y:";
const NUMBER: &str = "n:";

/// A sparse vector keyed by the bare key (no channel prefix).
type Vector = BTreeMap<String, f32>;

/// The single-pass clusterer. Stateless itself: all state is in the index.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Clusterer {
    /// Its knobs.
    pub params: StoryParams,
}

impl Clusterer {
    /// A clusterer with these knobs.
    pub fn new(params: StoryParams) -> Clusterer {
        Clusterer { params }
    }

    /// Assigns one article to a story and updates the index. `dup_group` is
    /// the article's near-duplicate group, when the caller knows it: an
    /// article whose group already has a story joins it unconditionally.
    /// An article with no features at all opens a story of its own (there
    /// is no evidence it belongs anywhere).
    pub fn assign<I: StoryIndex>(
        &self,
        index: &mut I,
        features: &StoryFeatures,
        dup_group: Option<&str>,
    ) -> Result<Assignment, I::Error> {
        let p = &self.params;
        if let Some(group) = dup_group {
            if let Some(id) = index.group_story(group)? {
                if let Some(mut sketch) = index.sketch(id)? {
                    // Already counted once: reuse today's weights without
                    // counting its terms again.
                    let vectors = self.vectors(index, features)?;
                    self.merge(index, &mut sketch, &vectors, features)?;
                    let keys = self.posting_keys(&sketch);
                    index.put_sketch(&sketch, &keys)?;
                    return Ok(Assignment {
                        story: id,
                        new_story: false,
                        score: 1.0,
                        followed_group: true,
                    });
                }
            }
        }

        index.add_document(&all_keys(features))?;
        let vectors = self.vectors(index, features)?;

        let mut best: Option<(f32, StorySketch)> = None;
        let query = self.query_keys(&vectors);
        if !query.is_empty() {
            for id in index.candidates(&query, p.candidates)? {
                let Some(sketch) = index.sketch(id)? else {
                    continue;
                };
                let s = self.score(index, &vectors, features.published, &sketch)?;
                if best.as_ref().is_none_or(|(b, _)| s > *b) {
                    best = Some((s, sketch));
                }
            }
        }
        let (assignment, mut sketch) = match best {
            Some((s, sketch)) if s >= self.threshold(&sketch) => (
                Assignment {
                    story: sketch.id,
                    new_story: false,
                    score: s,
                    followed_group: false,
                },
                sketch,
            ),
            other => {
                let id = index.next_story_id()?;
                (
                    Assignment {
                        story: id,
                        new_story: true,
                        score: other.map_or(0.0, |(s, _)| s),
                        followed_group: false,
                    },
                    StorySketch {
                        id,
                        ..StorySketch::default()
                    },
                )
            }
        };
        self.merge(index, &mut sketch, &vectors, features)?;
        let keys = self.posting_keys(&sketch);
        index.put_sketch(&sketch, &keys)?;
        if let Some(group) = dup_group {
            index.set_group_story(group, assignment.story)?;
        }
        Ok(assignment)
    }

    /// Scores an article against a story sketch without changing anything;
    /// for explaining a decision.
    pub fn explain<I: StoryIndex>(
        &self,
        index: &I,
        features: &StoryFeatures,
        sketch: &StorySketch,
    ) -> Result<f32, I::Error> {
        let vectors = self.vectors(index, features)?;
        self.score(index, &vectors, features.published, sketch)
    }

    /// The article's unit-length vectors per channel.
    fn vectors<I: StoryIndex>(&self, index: &I, f: &StoryFeatures) -> Result<DocVectors, I::Error> {
        let n = index.document_count()? as f32;
        let mut out = DocVectors::default();
        for ((weighted, plain), (prefix, counts)) in
            out.weighted.iter_mut().zip(out.plain.iter_mut()).zip([
                (TERM, &f.terms),
                (ENTITY, &f.entities),
                (TIME, &f.times),
                (NUMBER, &f.numbers),
            ])
        {
            let keys: Vec<String> = counts.keys().map(|k| format!("{prefix}{k}")).collect();
            let dfs = index.document_frequencies(&keys)?;
            for ((k, &tf), df) in counts.iter().zip(dfs) {
                if tf <= 0.0 {
                    continue;
                }
                let tf = if self.params.sublinear_tf {
                    1.0 + tf.ln().max(0.0)
                } else {
                    tf
                };
                weighted.insert(k.clone(), tf * idf(n, df));
                plain.insert(k.clone(), tf);
            }
            normalize(weighted);
            normalize(plain);
        }
        Ok(out)
    }

    /// A sketch's entries per channel as TF-IDF weights under today's
    /// document frequencies (as stored, without reweighting).
    fn story_weights<I: StoryIndex>(
        &self,
        index: &I,
        s: &StorySketch,
    ) -> Result<[Vec<(String, f32)>; CHANNELS], I::Error> {
        let mut out: [Vec<(String, f32)>; CHANNELS] = Default::default();
        let n = index.document_count()? as f32;
        for (slot, (prefix, entries)) in out.iter_mut().zip([
            (TERM, &s.terms),
            (ENTITY, &s.entities),
            (TIME, &s.times),
            (NUMBER, &s.numbers),
        ]) {
            *slot = if self.params.reweight {
                let dfs = index.document_frequencies(&prefixed(prefix, entries))?;
                entries
                    .iter()
                    .zip(dfs)
                    .map(|(e, df)| (e.key.clone(), e.weight * idf(n, df)))
                    .collect()
            } else {
                entries.iter().map(|e| (e.key.clone(), e.weight)).collect()
            };
        }
        Ok(out)
    }

    /// The score a story needs for an article to join it.
    fn threshold(&self, s: &StorySketch) -> f32 {
        let n = s.articles.max(1) as f32;
        self.params.threshold + self.params.threshold_growth * n.ln()
    }

    fn query_keys(&self, v: &DocVectors) -> Vec<String> {
        let v = &v.weighted;
        let mut keys = Vec::new();
        keys.extend(top(&v[0], self.params.query_terms).map(|k| format!("{TERM}{k}")));
        keys.extend(top(&v[1], self.params.query_entities).map(|k| format!("{ENTITY}{k}")));
        keys
    }

    fn posting_keys(&self, s: &StorySketch) -> Vec<String> {
        let mut keys = prefixed(
            TERM,
            &s.terms[..s.terms.len().min(self.params.posting_terms)],
        );
        keys.extend(prefixed(
            ENTITY,
            &s.entities[..s.entities.len().min(self.params.posting_entities)],
        ));
        keys
    }

    fn score<I: StoryIndex>(
        &self,
        index: &I,
        v: &DocVectors,
        published: Option<NaiveDate>,
        s: &StorySketch,
    ) -> Result<f32, I::Error> {
        let p = &self.params;
        let story = self.story_weights(index, s)?;
        let mut num = 0.0;
        let mut den = 0.0;
        let mut channels = [None; 4];
        for (((doc, story), w), seen) in v
            .weighted
            .iter()
            .zip(&story)
            .zip([
                p.term_weight,
                p.entity_weight,
                p.time_weight,
                p.number_weight,
            ])
            .zip(&mut channels)
        {
            if doc.is_empty() || story.is_empty() || w <= 0.0 {
                continue;
            }
            let c = cosine(doc, story);
            *seen = Some(c);
            num += w * c;
            den += w;
        }
        // Which channel kept an article out of a story, for `STORYLINE_LOG=
        // storyline_link::stories=trace` (None: a side has no such features).
        tracing::trace!(story = s.articles, ?channels, "story score channels");
        if den == 0.0 {
            return Ok(0.0);
        }
        let mut score = num / den;
        if let (Some(day), Some(first), Some(last)) = (published, s.first_day, s.last_day) {
            let gap = if day < first {
                (first - day).num_days()
            } else if day > last {
                (day - last).num_days()
            } else {
                0
            };
            if p.decay_days > 0.0 {
                score *= (-(gap as f32) / p.decay_days).exp();
            }
        }
        Ok(score)
    }

    fn merge<I: StoryIndex>(
        &self,
        index: &I,
        s: &mut StorySketch,
        v: &DocVectors,
        f: &StoryFeatures,
    ) -> Result<(), I::Error> {
        let p = &self.params;
        s.articles = s.articles.saturating_add(1);
        let v = if p.reweight { &v.plain } else { &v.weighted };
        let n = index.document_count()? as f32;
        for ((entries, vector), (prefix, names, keep)) in
            [&mut s.terms, &mut s.entities, &mut s.times, &mut s.numbers]
                .into_iter()
                .zip(v)
                .zip([
                    (TERM, None, p.sketch_terms),
                    (ENTITY, Some(&f.names), p.sketch_entities),
                    (TIME, None, p.sketch_times),
                    (NUMBER, None, p.sketch_numbers),
                ])
        {
            add_into(entries, vector, names);
            // Keep the entries that weigh most under today's IDF.
            let rank: Vec<f32> = if p.reweight {
                let dfs = index.document_frequencies(&prefixed(prefix, entries))?;
                entries
                    .iter()
                    .zip(dfs)
                    .map(|(e, df)| e.weight * idf(n, df))
                    .collect()
            } else {
                entries.iter().map(|e| e.weight).collect()
            };
            let mut ranked: Vec<(f32, Entry)> = rank.into_iter().zip(entries.drain(..)).collect();
            ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.key.cmp(&b.1.key)));
            ranked.truncate(keep);
            *entries = ranked.into_iter().map(|(_, e)| e).collect();
        }
        if let Some(day) = f.published {
            s.first_day = Some(s.first_day.map_or(day, |d| d.min(day)));
            s.last_day = Some(s.last_day.map_or(day, |d| d.max(day)));
        }
        Ok(())
    }
}

/// Channels a sketch and an article have: terms, entities, times, numbers.
const CHANNELS: usize = 4;

/// An article's vectors per channel (terms, entities, times, numbers), unit
/// length: TF-IDF for scoring, plain TF for centroids reweighted when scored.
#[derive(Default)]
struct DocVectors {
    weighted: [Vector; CHANNELS],
    plain: [Vector; CHANNELS],
}

/// Smoothed inverse document frequency.
fn idf(n: f32, df: u64) -> f32 {
    ((n + 1.0) / (df as f32 + 1.0)).ln() + 1.0
}

fn prefixed(prefix: &str, entries: &[Entry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| format!("{prefix}{}", e.key))
        .collect()
}

/// The keys of a sketch's entries, prefixed by channel: those whose
/// document frequencies scoring an article against it reads.
pub(crate) fn sketch_keys(s: &StorySketch) -> Vec<String> {
    let mut keys = prefixed(TERM, &s.terms);
    keys.extend(prefixed(ENTITY, &s.entities));
    keys.extend(prefixed(TIME, &s.times));
    keys.extend(prefixed(NUMBER, &s.numbers));
    keys
}

/// Every distinct key of an article, prefixed by channel.
pub(crate) fn all_keys(f: &StoryFeatures) -> Vec<String> {
    let mut keys =
        Vec::with_capacity(f.terms.len() + f.entities.len() + f.times.len() + f.numbers.len());
    keys.extend(f.terms.keys().map(|k| format!("{TERM}{k}")));
    keys.extend(f.entities.keys().map(|k| format!("{ENTITY}{k}")));
    keys.extend(f.times.keys().map(|k| format!("{TIME}{k}")));
    keys.extend(f.numbers.keys().map(|k| format!("{NUMBER}{k}")));
    keys
}

fn normalize(v: &mut Vector) {
    let norm = v.values().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v.values_mut() {
            *x /= norm;
        }
    }
}

/// The `n` heaviest keys, ties by key, so results never depend on map order.
fn top(v: &Vector, n: usize) -> impl Iterator<Item = &String> {
    let mut items: Vec<(&String, f32)> = v.iter().map(|(k, w)| (k, *w)).collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    items.into_iter().take(n).map(|(k, _)| k)
}

fn cosine(doc: &Vector, story: &[(String, f32)]) -> f32 {
    let norm = story.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm == 0.0 {
        return 0.0;
    }
    let dot: f32 = story
        .iter()
        .filter_map(|(k, sw)| doc.get(k).map(|w| w * sw))
        .sum();
    dot / norm
}

/// Adds a vector into sketch entries (the caller ranks and cuts them).
fn add_into(entries: &mut Vec<Entry>, v: &Vector, names: Option<&BTreeMap<String, String>>) {
    let mut by_key: BTreeMap<String, Entry> =
        entries.drain(..).map(|e| (e.key.clone(), e)).collect();
    for (k, w) in v {
        let e = by_key.entry(k.clone()).or_insert_with(|| Entry {
            key: k.clone(),
            weight: 0.0,
            name: None,
        });
        e.weight += w;
        if e.name.is_none() {
            e.name = names.and_then(|n| n.get(k)).cloned();
        }
    }
    *entries = by_key.into_values().collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_analyze::document::{analyze, AnalysisContext};
    use storyline_core::Timestamp;

    fn features(text: &str, day: Option<&str>) -> StoryFeatures {
        let published = day.and_then(|d| Timestamp::parse(d).ok());
        let a = analyze(text, &AnalysisContext { published });
        StoryFeatures::new(text, None, &a, published.as_ref())
    }

    fn run(texts: &[&str]) -> Vec<Assignment> {
        let c = Clusterer::default();
        let mut index = MemStoryIndex::default();
        texts
            .iter()
            .map(|t| c.assign(&mut index, &features(t, None), None).unwrap())
            .collect()
    }

    const QUAKE_A: &str = "A magnitude 7.1 earthquake struck off the coast of Tonga, the US Geological Survey said. Buildings in Nuku'alofa were damaged.";
    const QUAKE_B: &str = "Tonga assessed damage in Nuku'alofa after a powerful earthquake of magnitude 7.1 shook the island nation.";
    const QUAKE_C: &str = "Rescuers in Nuku'alofa searched damaged buildings after the Tonga earthquake, the Geological Survey said.";
    const TRIAL_A: &str = "Jurors in Denver convicted Marcus Hale of fraud on Wednesday after a three-week trial over the pension scheme.";
    const TRIAL_B: &str = "Marcus Hale was found guilty of pension fraud by a Denver jury; his lawyers said they would appeal the verdict.";
    const TRIAL_C: &str = "The fraud conviction of Marcus Hale by jurors in Denver ends a trial that gripped pension savers.";

    #[test]
    fn obvious_groups_cluster_together() {
        let a = run(&[QUAKE_A, TRIAL_A, QUAKE_B, TRIAL_B, QUAKE_C, TRIAL_C]);
        let stories: Vec<StoryId> = a.iter().map(|x| x.story).collect();
        assert_eq!(stories[0], stories[2]);
        assert_eq!(stories[0], stories[4]);
        assert_eq!(stories[1], stories[3]);
        assert_eq!(stories[1], stories[5]);
        assert_ne!(stories[0], stories[1]);
        assert!(a[0].new_story && a[1].new_story && !a[2].new_story);
    }

    #[test]
    fn a_new_topic_opens_a_new_story() {
        let a = run(&[
            QUAKE_A,
            QUAKE_B,
            "The central bank raised interest rates by half a point to fight inflation.",
        ]);
        assert!(a[2].new_story);
        assert_ne!(a[2].story, a[0].story);
    }

    #[test]
    fn near_duplicates_join_their_group_story() {
        let c = Clusterer::default();
        let mut index = MemStoryIndex::default();
        let first = c
            .assign(&mut index, &features(QUAKE_A, None), Some("g1"))
            .unwrap();
        c.assign(&mut index, &features(TRIAL_A, None), None)
            .unwrap();
        // A copy whose text says something else entirely still follows its group.
        let dup = c
            .assign(&mut index, &features(TRIAL_B, None), Some("g1"))
            .unwrap();
        assert_eq!(dup.story, first.story);
        assert!(!dup.new_story);
        assert_eq!(index.sketch(first.story).unwrap().unwrap().articles, 2);
        assert_eq!(index.document_count().unwrap(), 2, "duplicates count once");
    }

    #[test]
    fn empty_articles_and_articles_without_terms_open_stories() {
        let a = run(&["", "the of and, 12 34!", QUAKE_A, ""]);
        assert!(a.iter().all(|x| x.new_story));
        let ids: BTreeSet<StoryId> = a.iter().map(|x| x.story).collect();
        assert_eq!(ids.len(), 4);
        assert!(features("the of and, 12 34!", None).is_empty());
    }

    #[test]
    fn numbers_tell_two_events_of_one_kind_apart() {
        // Two quakes told in the same words: only their magnitudes and
        // tolls say which report is of which.
        let first = [
            "A magnitude 6.1 earthquake struck the northern province, killing 37 people and injuring 412, officials said.",
            "Officials said 37 people died and 412 were injured when the 6.1 magnitude earthquake struck the northern province.",
        ];
        let same = "The 6.1 magnitude earthquake in the northern province killed 37 people and injured 412, officials said.";
        let other = "The 5.4 magnitude earthquake in the northern province killed 12 people and injured 95, officials said.";
        let scores = |params: StoryParams| {
            let c = Clusterer::new(params);
            let mut index = MemStoryIndex::default();
            let mut story = None;
            for t in first {
                story = Some(
                    c.assign(&mut index, &features(t, None), None)
                        .unwrap()
                        .story,
                );
            }
            let sketch = index.sketch(story.unwrap()).unwrap().unwrap();
            let s = |t| c.explain(&index, &features(t, None), &sketch).unwrap();
            (s(same), s(other))
        };
        let (same_score, other_score) = scores(StoryParams::default());
        assert!(
            other_score < 0.75 * same_score,
            "{other_score} vs {same_score}"
        );
        let (same_blind, other_blind) = scores(StoryParams {
            number_weight: 0.0,
            ..StoryParams::default()
        });
        assert!(
            (same_blind - other_blind).abs() < 0.05,
            "{same_blind} {other_blind}"
        );
    }

    #[test]
    fn distant_dates_keep_stories_apart() {
        let c = Clusterer::default();
        let mut index = MemStoryIndex::default();
        let a = c
            .assign(&mut index, &features(QUAKE_A, Some("2022-01-10")), None)
            .unwrap();
        let near = c
            .assign(&mut index, &features(QUAKE_B, Some("2022-01-11")), None)
            .unwrap();
        assert_eq!(near.story, a.story);
        let far = c
            .assign(&mut index, &features(QUAKE_C, Some("2025-06-01")), None)
            .unwrap();
        assert!(far.new_story, "{far:?}");
    }

    #[test]
    fn sketches_stay_bounded_and_round_trip() {
        let c = Clusterer::new(StoryParams {
            sketch_terms: 5,
            ..StoryParams::default()
        });
        let mut index = MemStoryIndex::default();
        let a = c
            .assign(&mut index, &features(QUAKE_A, None), None)
            .unwrap();
        let s = index.sketch(a.story).unwrap().unwrap();
        assert!(s.terms.len() <= 5);
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<StorySketch>(&json).unwrap(), s);
    }

    #[test]
    fn labels_name_entities_and_terms() {
        let c = Clusterer::default();
        let mut index = MemStoryIndex::default();
        let a = c
            .assign(&mut index, &features(TRIAL_A, None), None)
            .unwrap();
        c.assign(&mut index, &features(TRIAL_B, None), None)
            .unwrap();
        let l = label(&index.sketch(a.story).unwrap().unwrap(), 3);
        assert!(l.entities.iter().any(|e| e == "Marcus Hale"), "{l:?}");
        assert!(
            l.terms.iter().any(|t| t == "fraud" || t == "pension"),
            "{l:?}"
        );
        assert!(!l.to_string().is_empty());
    }

    #[test]
    fn labels_prefer_fuller_names_and_skip_dates() {
        let entity = |key: &str, name: &str| Entry {
            key: key.into(),
            name: Some(name.into()),
            weight: 1.0,
        };
        let term = |key: &str| Entry {
            key: key.into(),
            name: None,
            weight: 1.0,
        };
        let sketch = StorySketch {
            entities: vec![
                entity("league", "League"),
                entity("dana vel", "Dana Vel"),
                entity("coastal league", "Coastal League"),
                entity("vel", "Vel"),
            ],
            terms: vec![
                term("march"),
                term("sanction"),
                term("league"),
                term("vote"),
            ],
            ..StorySketch::default()
        };
        let l = label(&sketch, 3);
        assert_eq!(l.entities, vec!["Coastal League", "Dana Vel"], "{l:?}");
        assert_eq!(l.terms, vec!["sanction", "vote"], "{l:?}");
    }
}
