//! Bag-of-words vectors for sentence similarity: lowercased alphanumeric
//! terms without function words, weighted tf-idf and L2-normalised.

use std::collections::HashMap;

/// English function words left out of sentence vectors. Written for this
/// project (pronouns, articles, auxiliaries, prepositions, conjunctions and a
/// few reporting fillers); short on purpose, since idf already discounts
/// common content words.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "said",
    "same",
    "says",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
    "may",
    "might",
    "must",
    "shall",
    "one",
    "two",
    "new",
    "told",
    "say",
    "lrb",
    "rrb",
];

/// Whether `w` (lowercase) is a function word.
pub fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

/// The content terms of `s`: maximal runs of alphanumeric characters,
/// lowercased, without function words and single characters.
pub fn terms(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() > 1 && !is_stopword(w))
        .collect()
}

/// The number of words (alphanumeric runs) in `s`.
pub fn word_count(s: &str) -> usize {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .count()
}

/// A sparse vector: `(term id, weight)` sorted by term id.
pub type SparseVec = Vec<(u32, f64)>;

/// Term ids and document frequencies over a set of sentences.
#[derive(Debug, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
    df: Vec<u32>,
    docs: u32,
}

impl Vocabulary {
    /// Adds one sentence's terms (each counted once for document frequency)
    /// and returns its term ids with counts, sorted by id.
    pub fn add(&mut self, terms: &[String]) -> Vec<(u32, u32)> {
        self.docs += 1;
        let mut counts: Vec<(u32, u32)> = Vec::new();
        for t in terms {
            let next = self.ids.len() as u32;
            let id = *self.ids.entry(t.clone()).or_insert(next);
            if id as usize == self.df.len() {
                self.df.push(0);
            }
            match counts.iter_mut().find(|(i, _)| *i == id) {
                Some((_, c)) => *c += 1,
                None => counts.push((id, 1)),
            }
        }
        for (id, _) in &counts {
            self.df[*id as usize] += 1;
        }
        counts.sort_unstable();
        counts
    }

    /// The id of a term seen so far.
    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    /// Smoothed inverse document frequency, `ln((1 + N) / (1 + df)) + 1`.
    pub fn idf(&self, id: u32) -> f64 {
        let df = self.df.get(id as usize).copied().unwrap_or(0);
        ((1.0 + f64::from(self.docs)) / (1.0 + f64::from(df))).ln() + 1.0
    }

    /// The L2-normalised tf-idf vector of a sentence's counts.
    pub fn tfidf(&self, counts: &[(u32, u32)]) -> SparseVec {
        let mut v: SparseVec = counts
            .iter()
            .map(|&(id, c)| (id, f64::from(c) * self.idf(id)))
            .collect();
        normalise(&mut v);
        v
    }
}

/// Scales `v` to unit length (no-op on the zero vector).
pub fn normalise(v: &mut SparseVec) {
    let n = norm(v);
    if n > 0.0 {
        for (_, w) in v.iter_mut() {
            *w /= n;
        }
    }
}

/// Euclidean length.
pub fn norm(v: &SparseVec) -> f64 {
    v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt()
}

/// Dot product of two sorted sparse vectors.
pub fn dot(a: &SparseVec, b: &SparseVec) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// `a + scale * b` of two sorted sparse vectors.
pub fn add_scaled(a: &SparseVec, b: &SparseVec, scale: f64) -> SparseVec {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push((b[j].0, scale * b[j].1));
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + scale * b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}

/// Cosine similarity (0 when either vector is zero).
pub fn cosine(a: &SparseVec, b: &SparseVec) -> f64 {
    let d = norm(a) * norm(b);
    if d > 0.0 {
        dot(a, b) / d
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_drop_function_words_and_fold_case() {
        assert_eq!(
            terms("The Agency raised the alert to phase 5 on Wednesday."),
            ["agency", "raised", "alert", "phase", "wednesday"]
        );
    }

    #[test]
    fn sparse_arithmetic() {
        let a = vec![(0, 1.0), (2, 2.0)];
        let b = vec![(1, 3.0), (2, 1.0)];
        assert_eq!(dot(&a, &b), 2.0);
        assert_eq!(add_scaled(&a, &b, 2.0), vec![(0, 1.0), (1, 6.0), (2, 4.0)]);
        assert!((cosine(&a, &a) - 1.0).abs() < 1e-12);
        assert_eq!(cosine(&a, &Vec::new()), 0.0);
    }

    #[test]
    fn idf_favours_rare_terms() {
        let mut v = Vocabulary::default();
        let a = v.add(&terms("oil spill grows"));
        v.add(&terms("oil price falls"));
        let oil = a[0].0;
        let spill = a[1].0;
        assert!(v.idf(spill) > v.idf(oil));
        let x = v.tfidf(&a);
        assert!((norm(&x) - 1.0).abs() < 1e-12);
    }
}
