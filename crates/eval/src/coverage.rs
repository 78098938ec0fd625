//! Storylines and entity mentions on labelled real coverage
//! (`labels/gaza2023/storylines.tsv`, `labels/gaza2023/mentions.tsv`; the
//! rules they were labelled by are in `labels/README.md`).
//!
//! The labels hold only pointers (a CSV row, a name as written and which
//! occurrence of it) and what a reader decided; the caller ingests and
//! links the coverage itself and hands this module what the engine made of
//! each labelled article or mention, so that the scoring here is pure and
//! tested on its own.
//!
//! - **Storylines.** B³ of the engine's stories against the labelled
//!   storylines and, separately, against the labelled developments (the
//!   engine has one level of grouping today, so one partition is scored
//!   against both), and the share of articles left alone in a story that the
//!   labels put in a larger storyline.
//! - **Entity mentions.** Pairwise merge precision and recall over the
//!   labelled mentions of persons, organisations and governments (two
//!   mentions are merged when the engine gives them one entity), and type
//!   accuracy.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::stories::{b3, B3};

/// Why labels could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LabelError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line does not have the labelled shape.
    #[error("{path}:{line}: {reason}")]
    Format {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        reason: String,
    },
}

/// One article's storyline and development.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StorylineLabel {
    /// 1-based CSV data row.
    pub row: u64,
    /// The storyline slug.
    pub storyline: String,
    /// The development slug (`storyline/thread`).
    pub development: String,
}

/// One labelled mention of a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MentionLabel {
    /// 1-based CSV data row.
    pub row: u64,
    /// The name exactly as written.
    pub mention: String,
    /// Which occurrence of it in the article (1 = first).
    pub nth: usize,
    /// The entity it refers to.
    pub entity: String,
    /// `PER`, `ORG`, `GOV`, `LOC`, `MISC` or `NONE`.
    pub kind: String,
    /// `targeted` or `random`.
    pub sample: String,
}

fn read_tsv(path: &Path, columns: usize) -> Result<Vec<(usize, Vec<String>)>, LabelError> {
    let text = fs::read_to_string(path).map_err(|source| LabelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
        if cols.len() < columns {
            return Err(LabelError::Format {
                path: path.to_path_buf(),
                line: i + 1,
                reason: format!("{} columns, expected at least {columns}", cols.len()),
            });
        }
        out.push((i + 1, cols));
    }
    Ok(out)
}

fn row_of(path: &Path, line: usize, s: &str) -> Result<u64, LabelError> {
    s.parse().map_err(|_| LabelError::Format {
        path: path.to_path_buf(),
        line,
        reason: format!("row `{s}` is not a number"),
    })
}

/// Reads `storylines.tsv` (`row date storyline development note`).
pub fn read_storylines(path: &Path) -> Result<Vec<StorylineLabel>, LabelError> {
    read_tsv(path, 4)?
        .into_iter()
        .map(|(line, c)| {
            Ok(StorylineLabel {
                row: row_of(path, line, &c[0])?,
                storyline: c[2].clone(),
                development: c[3].clone(),
            })
        })
        .collect()
}

/// Reads `mentions.tsv` (`row mention nth entity type sample note`).
pub fn read_mentions(path: &Path) -> Result<Vec<MentionLabel>, LabelError> {
    read_tsv(path, 6)?
        .into_iter()
        .map(|(line, c)| {
            let nth = c[2].parse().map_err(|_| LabelError::Format {
                path: path.to_path_buf(),
                line,
                reason: format!("nth `{}` is not a number", c[2]),
            })?;
            Ok(MentionLabel {
                row: row_of(path, line, &c[0])?,
                mention: c[1].clone(),
                nth,
                entity: c[3].clone(),
                kind: c[4].clone(),
                sample: c[5].clone(),
            })
        })
        .collect()
}

/// How the engine's stories compare with the labelled storylines.
#[derive(Clone, Debug, Serialize)]
pub struct StorylineScores {
    /// Labelled articles the engine stored and placed in a story.
    pub articles: usize,
    /// Labelled articles it did not (not read, or no story).
    pub missing: usize,
    /// Labelled storylines and developments among them.
    pub gold_storylines: usize,
    /// See `gold_storylines`.
    pub gold_developments: usize,
    /// Stories the engine made of them.
    pub predicted_stories: usize,
    /// Of those, stories of one article.
    pub predicted_singletons: usize,
    /// B³ of the stories against the storylines (the bar: F1 ≥ 0.85).
    pub storyline_b3: B3,
    /// B³ of the stories against the developments.
    pub development_b3: B3,
    /// Share of articles alone in their story that the labels put in a
    /// storyline of several articles (the bar: ≤ 0.20).
    pub wrongly_alone: f64,
    /// B³ over the articles of each fold (`dev`, `test`), clusters taken
    /// over all articles; empty inside a fold.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub folds: BTreeMap<&'static str, StorylineScores>,
}

/// Both levels of the engine's grouping against the labels.
#[derive(Clone, Debug, Serialize)]
pub struct LevelScores {
    /// The engine's stories (developments): scored against labelled
    /// developments, and against storylines for comparison.
    pub stories: StorylineScores,
    /// The engine's storylines: the storyline bars apply here.
    pub storylines: StorylineScores,
}

/// Scores `predicted` (CSV row → story id) against `labels`, over all and
/// per fold.
pub fn score_storylines(
    labels: &[StorylineLabel],
    predicted: &HashMap<u64, String>,
) -> StorylineScores {
    let mut all = score_storyline_set(labels, predicted);
    for f in ["dev", "test"] {
        let part: Vec<StorylineLabel> = labels
            .iter()
            .filter(|l| fold_of_row(l.row) == f)
            .cloned()
            .collect();
        all.folds.insert(f, score_storyline_set(&part, predicted));
    }
    all
}

fn score_storyline_set(
    labels: &[StorylineLabel],
    predicted: &HashMap<u64, String>,
) -> StorylineScores {
    let present: Vec<&StorylineLabel> = labels
        .iter()
        .filter(|l| predicted.contains_key(&l.row))
        .collect();
    let pred: Vec<&str> = present.iter().map(|l| predicted[&l.row].as_str()).collect();
    let storylines: Vec<&str> = present.iter().map(|l| l.storyline.as_str()).collect();
    let developments: Vec<&str> = present.iter().map(|l| l.development.as_str()).collect();
    fn count<'a>(xs: &[&'a str]) -> BTreeMap<&'a str, usize> {
        let mut m: BTreeMap<&'a str, usize> = BTreeMap::new();
        for x in xs {
            *m.entry(*x).or_default() += 1;
        }
        m
    }
    let story_sizes = count(&pred);
    let storyline_sizes = count(&storylines);
    let alone = present
        .iter()
        .zip(&pred)
        .filter(|(l, p)| story_sizes[*p] == 1 && storyline_sizes[l.storyline.as_str()] > 1)
        .count();
    StorylineScores {
        articles: present.len(),
        missing: labels.len() - present.len(),
        gold_storylines: storyline_sizes.len(),
        gold_developments: count(&developments).len(),
        predicted_stories: story_sizes.len(),
        predicted_singletons: story_sizes.values().filter(|&&n| n == 1).count(),
        storyline_b3: b3(&storylines, &pred),
        development_b3: b3(&developments, &pred),
        wrongly_alone: ratio(alone, present.len()),
        folds: BTreeMap::new(),
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        (a as f64 / b as f64 * 1000.0).round() / 1000.0
    }
}

/// What the engine made of one labelled mention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PredictedMention {
    /// The entity id its actor was linked to.
    pub entity: String,
    /// Its type, mapped to the label set (`PER`, `ORG`, `LOC`, `MISC`;
    /// `LOC|GOV` for a country, which the engine does not yet split into
    /// the place and its government).
    pub kind: String,
}

/// Pairwise merge and type scores over labelled mentions.
#[derive(Clone, Debug, Serialize)]
pub struct MentionScores {
    /// Labelled mentions.
    pub mentions: usize,
    /// Of those, the pointer found in the stored text.
    pub resolved: usize,
    /// Of those, the engine tagged a name there.
    pub tagged: usize,
    /// Mentions of persons, organisations and governments: the ones merged.
    pub entity_mentions: usize,
    /// Pairs of them the labels call one entity.
    pub gold_pairs: usize,
    /// Pairs the engine gives one entity.
    pub predicted_pairs: usize,
    /// Pairs both do.
    pub correct_pairs: usize,
    /// Merge precision (the bar: ≥ 0.95).
    pub merge_precision: f64,
    /// Merge recall (the bar: ≥ 0.90).
    pub merge_recall: f64,
    /// Type accuracy over every labelled mention (an untagged mention is
    /// right only when the label says `NONE`).
    pub type_accuracy: f64,
    /// Type accuracy over the labelled persons and organisations.
    pub type_accuracy_per_org: f64,
    /// Labelled type → predicted type → count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// The same scores on each fold of the articles (`dev`, `test`: a hash
    /// of the CSV row), pairs taken within a fold; empty inside a fold.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub folds: BTreeMap<&'static str, MentionScores>,
}

/// The fold of an article: `dev` or `test`, by a hash of its CSV row, so
/// that whatever is tuned on one can be reported on the other.
pub fn fold_of_row(row: u64) -> &'static str {
    if blake3::hash(row.to_string().as_bytes()).as_bytes()[0].is_multiple_of(2) {
        "dev"
    } else {
        "test"
    }
}

/// Scores `predicted` (parallel to `labels`; `None` where the pointer did
/// not resolve or no name was tagged there) against `labels`, over all and
/// per fold; `resolved` says how many pointers were found in the stored
/// text.
pub fn score_mentions(
    labels: &[MentionLabel],
    predicted: &[Option<PredictedMention>],
    resolved: usize,
) -> MentionScores {
    let mut all = score_mention_set(labels, predicted, resolved);
    for f in ["dev", "test"] {
        let (l, p): (Vec<MentionLabel>, Vec<Option<PredictedMention>>) = labels
            .iter()
            .zip(predicted)
            .filter(|(l, _)| fold_of_row(l.row) == f)
            .map(|(l, p)| (l.clone(), p.clone()))
            .unzip();
        let n = l.len();
        all.folds.insert(f, score_mention_set(&l, &p, n));
    }
    all
}

fn score_mention_set(
    labels: &[MentionLabel],
    predicted: &[Option<PredictedMention>],
    resolved: usize,
) -> MentionScores {
    let is_entity = |k: &str| matches!(k, "PER" | "ORG" | "GOV");
    let idx: Vec<usize> = (0..labels.len())
        .filter(|&i| is_entity(&labels[i].kind))
        .collect();
    let (mut gold_pairs, mut predicted_pairs, mut correct_pairs) = (0, 0, 0);
    for (a, &i) in idx.iter().enumerate() {
        for &j in &idx[a + 1..] {
            let gold = labels[i].entity == labels[j].entity;
            let pred = match (&predicted[i], &predicted[j]) {
                (Some(x), Some(y)) => x.entity == y.entity,
                _ => false,
            };
            gold_pairs += usize::from(gold);
            predicted_pairs += usize::from(pred);
            correct_pairs += usize::from(gold && pred);
        }
    }
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let (mut right, mut right_po, mut po) = (0, 0, 0);
    for (l, p) in labels.iter().zip(predicted) {
        let got = p.as_ref().map_or("NONE", |p| p.kind.as_str());
        let ok = got.split('|').any(|k| k == l.kind);
        right += usize::from(ok);
        if matches!(l.kind.as_str(), "PER" | "ORG") {
            po += 1;
            right_po += usize::from(ok);
        }
        *confusion
            .entry(l.kind.clone())
            .or_default()
            .entry(got.to_string())
            .or_default() += 1;
    }
    MentionScores {
        mentions: labels.len(),
        resolved,
        tagged: predicted.iter().filter(|p| p.is_some()).count(),
        entity_mentions: idx.len(),
        gold_pairs,
        predicted_pairs,
        correct_pairs,
        merge_precision: ratio(correct_pairs, predicted_pairs),
        merge_recall: ratio(correct_pairs, gold_pairs),
        type_accuracy: ratio(right, labels.len()),
        type_accuracy_per_org: ratio(right_po, po),
        confusion,
        folds: BTreeMap::new(),
    }
}

/// The byte offset of the `nth` (1-based) occurrence of `needle` in `text`,
/// counting each search from the end of the previous match.
pub fn nth_occurrence(text: &str, needle: &str, nth: usize) -> Option<usize> {
    if needle.is_empty() || nth == 0 {
        return None;
    }
    let mut from = 0;
    let mut at = None;
    for _ in 0..nth {
        let i = text.get(from..)?.find(needle)?;
        at = Some(from + i);
        from += i + needle.len();
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sl(row: u64, s: &str, d: &str) -> StorylineLabel {
        StorylineLabel {
            row,
            storyline: s.into(),
            development: format!("{s}/{d}"),
        }
    }

    #[test]
    fn storylines_score_a_perfect_and_a_fragmented_partition() {
        let labels = vec![sl(1, "war", "a"), sl(2, "war", "b"), sl(3, "uk", "c")];
        let perfect: HashMap<u64, String> = [(1, "s1"), (2, "s1"), (3, "s2")]
            .map(|(r, s)| (r, s.to_string()))
            .into();
        let s = score_storylines(&labels, &perfect);
        assert_eq!(s.storyline_b3.f1, 1.0);
        assert!(s.development_b3.precision < 1.0);
        assert_eq!(s.wrongly_alone, 0.0);
        let split: HashMap<u64, String> = [(1, "s1"), (2, "s2"), (3, "s3")]
            .map(|(r, s)| (r, s.to_string()))
            .into();
        let s = score_storylines(&labels, &split);
        assert!(s.storyline_b3.f1 < 1.0);
        // Articles 1 and 2 are alone though the labels join them; 3 is
        // alone rightly.
        assert!(
            (s.wrongly_alone - 0.667).abs() < 1e-9,
            "{}",
            s.wrongly_alone
        );
        assert_eq!(s.predicted_singletons, 3);
    }

    #[test]
    fn unplaced_articles_are_counted_not_scored() {
        let labels = vec![sl(1, "war", "a"), sl(2, "war", "a")];
        let pred: HashMap<u64, String> = [(1, "s1".to_string())].into();
        let s = score_storylines(&labels, &pred);
        assert_eq!((s.articles, s.missing), (1, 1));
    }

    fn ml(entity: &str, kind: &str) -> MentionLabel {
        MentionLabel {
            row: 1,
            mention: entity.into(),
            nth: 1,
            entity: entity.into(),
            kind: kind.into(),
            sample: "random".into(),
        }
    }

    fn pm(entity: &str, kind: &str) -> Option<PredictedMention> {
        Some(PredictedMention {
            entity: entity.into(),
            kind: kind.into(),
        })
    }

    #[test]
    fn merges_are_scored_pairwise_and_types_per_mention() {
        let labels = vec![
            ml("Netanyahu", "PER"),
            ml("Netanyahu", "PER"),
            ml("Hamas", "ORG"),
            ml("London", "LOC"),
        ];
        // The two Netanyahu mentions split; Hamas merged with one of them.
        let pred = vec![
            pm("e1", "PER"),
            pm("e2", "PER"),
            pm("e2", "ORG"),
            pm("e9", "LOC|GOV"),
        ];
        let s = score_mentions(&labels, &pred, 4);
        assert_eq!(
            (s.gold_pairs, s.predicted_pairs, s.correct_pairs),
            (1, 1, 0)
        );
        assert_eq!(s.merge_precision, 0.0);
        assert_eq!(s.merge_recall, 0.0);
        assert_eq!(s.type_accuracy, 1.0);
        let none = score_mentions(&labels, &[None, None, None, None], 4);
        assert_eq!(none.type_accuracy, 0.0);
        assert_eq!(none.tagged, 0);
    }

    #[test]
    fn occurrences_count_from_the_previous_match() {
        assert_eq!(nth_occurrence("aa aa aa", "aa", 2), Some(3));
        assert_eq!(nth_occurrence("aaa", "aa", 2), None);
        assert_eq!(nth_occurrence("x", "", 1), None);
        assert_eq!(nth_occurrence("x", "x", 0), None);
    }

    #[test]
    fn bad_label_lines_are_typed_errors() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let p = dir.path().join("storylines.tsv");
        fs::write(&p, "row\tdate\tstoryline\tdevelopment\nx\t-\ta\ta/b\n").expect("written");
        assert!(matches!(
            read_storylines(&p),
            Err(LabelError::Format { line: 2, .. })
        ));
        fs::write(&p, "row\tdate\tstoryline\n1\t-\ta\n").expect("written");
        assert!(matches!(
            read_storylines(&p),
            Err(LabelError::Format { .. })
        ));
        assert!(matches!(
            read_mentions(&dir.path().join("none.tsv")),
            Err(LabelError::Io { .. })
        ));
    }
}
