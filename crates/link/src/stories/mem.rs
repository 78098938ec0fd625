//! The story index in memory: for tests, evaluation and one-shot runs.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;

use super::{StoryId, StoryIndex, StorySketch};

/// Stories kept per posting list: a key shared by more stories than this
/// only finds the most recently updated ones, which bounds the work per
/// article however many stories exist.
pub const POSTING_CAP: usize = 256;

/// [`StoryIndex`] over hash maps. Posting lists are capped at
/// [`POSTING_CAP`] stories, most recently updated kept.
#[derive(Clone, Debug, Default)]
pub struct MemStoryIndex {
    documents: u64,
    df: HashMap<String, u64>,
    /// key → (story, update stamp), oldest first.
    postings: HashMap<String, Vec<StoryId>>,
    /// story → (sketch, its keys, when it was last updated).
    stories: BTreeMap<StoryId, (StorySketch, Vec<String>, u64)>,
    groups: HashMap<String, StoryId>,
    next: u64,
    clock: u64,
}

impl MemStoryIndex {
    /// The number of stories.
    pub fn len(&self) -> usize {
        self.stories.len()
    }

    /// Whether no story exists yet.
    pub fn is_empty(&self) -> bool {
        self.stories.is_empty()
    }

    /// Every sketch, in id order.
    pub fn sketches(&self) -> impl Iterator<Item = &StorySketch> {
        self.stories.values().map(|(s, _, _)| s)
    }
}

impl StoryIndex for MemStoryIndex {
    type Error = Infallible;

    fn document_count(&self) -> Result<u64, Infallible> {
        Ok(self.documents)
    }

    fn document_frequencies(&self, keys: &[String]) -> Result<Vec<u64>, Infallible> {
        Ok(keys
            .iter()
            .map(|k| self.df.get(k).copied().unwrap_or(0))
            .collect())
    }

    fn add_document(&mut self, keys: &[String]) -> Result<(), Infallible> {
        self.documents += 1;
        let mut seen: Vec<&String> = keys.iter().collect();
        seen.sort();
        seen.dedup();
        for k in seen {
            *self.df.entry(k.clone()).or_default() += 1;
        }
        Ok(())
    }

    fn candidates(&self, keys: &[String], limit: usize) -> Result<Vec<StoryId>, Infallible> {
        let mut hits: HashMap<StoryId, usize> = HashMap::new();
        for k in keys {
            for id in self.postings.get(k).into_iter().flatten() {
                *hits.entry(*id).or_default() += 1;
            }
        }
        let stamp = |id: &StoryId| self.stories.get(id).map_or(0, |(_, _, t)| *t);
        let mut ranked: Vec<(StoryId, usize)> = hits.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| stamp(&b.0).cmp(&stamp(&a.0))));
        Ok(ranked.into_iter().take(limit).map(|(id, _)| id).collect())
    }

    fn sketch(&self, id: StoryId) -> Result<Option<StorySketch>, Infallible> {
        Ok(self.stories.get(&id).map(|(s, _, _)| s.clone()))
    }

    fn put_sketch(&mut self, sketch: &StorySketch, keys: &[String]) -> Result<(), Infallible> {
        let id = sketch.id;
        if let Some((_, old, _)) = self.stories.remove(&id) {
            for k in old {
                if let Some(list) = self.postings.get_mut(&k) {
                    list.retain(|s| *s != id);
                    if list.is_empty() {
                        self.postings.remove(&k);
                    }
                }
            }
        }
        let mut keys = keys.to_vec();
        keys.sort();
        keys.dedup();
        for k in &keys {
            let list = self.postings.entry(k.clone()).or_default();
            list.push(id);
            if list.len() > POSTING_CAP {
                list.remove(0);
            }
        }
        self.clock += 1;
        self.stories.insert(id, (sketch.clone(), keys, self.clock));
        Ok(())
    }

    fn next_story_id(&mut self) -> Result<StoryId, Infallible> {
        self.next += 1;
        Ok(StoryId(self.next))
    }

    fn group_story(&self, group: &str) -> Result<Option<StoryId>, Infallible> {
        Ok(self.groups.get(group).copied())
    }

    fn set_group_story(&mut self, group: &str, story: StoryId) -> Result<(), Infallible> {
        self.groups.insert(group.to_string(), story);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch(id: u64) -> StorySketch {
        StorySketch {
            id: StoryId(id),
            ..StorySketch::default()
        }
    }

    #[test]
    fn candidates_rank_by_shared_keys_then_recency() {
        let mut ix = MemStoryIndex::default();
        let k = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        ix.put_sketch(&sketch(1), &k(&["a", "b"])).unwrap();
        ix.put_sketch(&sketch(2), &k(&["a"])).unwrap();
        ix.put_sketch(&sketch(3), &k(&["c"])).unwrap();
        assert_eq!(
            ix.candidates(&k(&["a", "b"]), 10).unwrap(),
            [StoryId(1), StoryId(2)]
        );
        ix.put_sketch(&sketch(1), &k(&["a"])).unwrap();
        assert_eq!(
            ix.candidates(&k(&["a", "b"]), 1).unwrap(),
            [StoryId(1)],
            "equal hits: most recently updated first"
        );
        ix.put_sketch(&sketch(2), &k(&["z"])).unwrap();
        assert_eq!(ix.candidates(&k(&["a"]), 10).unwrap(), [StoryId(1)]);
    }

    #[test]
    fn posting_lists_are_capped() {
        let mut ix = MemStoryIndex::default();
        for id in 0..(POSTING_CAP as u64 + 10) {
            ix.put_sketch(&sketch(id), &["k".to_string()]).unwrap();
        }
        let c = ix.candidates(&["k".to_string()], usize::MAX).unwrap();
        assert_eq!(c.len(), POSTING_CAP);
        assert!(!c.contains(&StoryId(0)));
    }

    #[test]
    fn document_frequencies_count_each_key_once_per_document() {
        let mut ix = MemStoryIndex::default();
        ix.add_document(&["a".into(), "a".into(), "b".into()])
            .unwrap();
        ix.add_document(&["a".into()]).unwrap();
        assert_eq!(ix.document_count().unwrap(), 2);
        assert_eq!(
            ix.document_frequencies(&["a".into(), "b".into(), "c".into()])
                .unwrap(),
            [2, 1, 0]
        );
    }
}
