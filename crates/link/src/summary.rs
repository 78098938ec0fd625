//! Extractive summary of a story or a storyline: its few most central
//! sentences, each one a sentence of a stored article, so every line of a
//! summary points at its evidence (article, sentence, span).
//!
//! **Centrality.** Each sentence of the articles read is a TF-IDF vector
//! over the clusterer's terms ([`normalize_term`]: the words a story's
//! sketch is made of), with document frequencies over those sentences.
//! The centre is the sum of two unit vectors: the centroid of every
//! sentence read, and the story's own centroid (its sketch's terms, which
//! cover every article it ever took, not only the ones read here),
//! weighted by the same document frequencies. A sentence's relevance is its
//! cosine with the centre (the centroid method of MEAD, Radev et al. 2004),
//! times a lead weight: news puts what happened first, so sentence `i` of
//! an article weighs `1 / (1 + i / lead_decay)` and only the first
//! [`SummaryParams::lead_sentences`] are candidates.
//!
//! **Selection** is maximal marginal relevance (Carbonell & Goldstein
//! 1998): the next sentence is the one of best relevance less
//! [`SummaryParams::diversity`] times its similarity to the closest one
//! already chosen, and a sentence more alike than
//! [`SummaryParams::max_similarity`] to a chosen one is never taken, so a
//! story told by five outlets in the same words gives one sentence, not
//! five.
//!
//! **What a summary sentence is not:** a question, a sentence that is
//! mostly a direct quotation (a speaker's words read without the story
//! around them), an introduction to a list (ends in `:`), page furniture
//! (stamps, separators, links), too short or too long; a sentence that opens
//! with a word leaning on the one before it (`data/summary_openers.tsv`:
//! `He said…`, `But…`) is kept only at a discount.
//!
//! **Cost.** A pure function of the sentences it is given: the caller caps
//! how many articles it reads (the engine reads a handful spread over a
//! story's articles), so a summary costs the same at any store size.
//!
//! ```
//! use storyline_analyze::document::{analyze, AnalysisContext};
//! use storyline_link::summary::{summarise, SummaryInput, SummaryParams};
//!
//! let text = "A magnitude 7.1 earthquake struck off the coast of Tonga on Tuesday, officials said. \
//!             Buildings in the capital Nuku'alofa were damaged and power was cut across the island.";
//! let analysis = analyze(text, &AnalysisContext::default());
//! let inputs = [SummaryInput { article: 0, published: None, text, analysis: &analysis }];
//! let summary = summarise(&inputs, &[], &SummaryParams::default());
//! assert!(summary[0].span.slice(text).unwrap().starts_with("A magnitude 7.1"));
//! ```

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use storyline_analyze::{tokenize, TokenKind};
use storyline_core::Span;

use crate::stories::normalize_term;
use crate::timeline::is_furniture;
use crate::timeline::text::{add_scaled, cosine, normalise, word_count, SparseVec, Vocabulary};

/// One article to summarise from: the timeline's input (its `article`
/// handle is copied into each [`SummarySentence`]; an undated article's
/// sentences come last).
pub type SummaryInput<'a> = crate::timeline::TimelineInput<'a>;

/// How long a summary is and how it chooses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryParams {
    /// At most this many sentences.
    pub sentences: usize,
    /// Only an article's first this many sentences are candidates.
    pub lead_sentences: usize,
    /// Sentence `i` of an article weighs `1 / (1 + i / lead_decay)`.
    pub lead_decay: f64,
    /// Shortest summary sentence, in words.
    pub min_words: usize,
    /// Longest summary sentence, in words.
    pub max_words: usize,
    /// A sentence with more than this share of its characters inside
    /// double quotation marks is a quotation, not a summary line.
    pub max_quoted: f64,
    /// A sentence whose cosine with one already chosen exceeds this is
    /// redundant.
    pub max_similarity: f64,
    /// Weight of the similarity to the closest chosen sentence, taken off
    /// a candidate's relevance.
    pub diversity: f64,
    /// Relevance kept by a sentence opening with a word that leans on the
    /// sentence before it.
    pub dangling_weight: f64,
}

impl Default for SummaryParams {
    fn default() -> SummaryParams {
        SummaryParams {
            sentences: 3,
            lead_sentences: 5,
            lead_decay: 4.0,
            min_words: 8,
            max_words: 55,
            max_quoted: 0.5,
            max_similarity: 0.4,
            diversity: 0.5,
            dangling_weight: 0.5,
        }
    }
}

/// One sentence of a summary and where it came from.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummarySentence {
    /// [`SummaryInput::article`] of the article it is from.
    pub article: usize,
    /// Index into that article's `analysis.sentences`.
    pub sentence: usize,
    /// Byte span of the sentence in the article's text.
    pub span: Span,
    /// Its relevance (cosine with the centre times its lead and opener
    /// weights).
    pub score: f64,
}

const OPENERS_TSV: &str = include_str!("../data/summary_openers.tsv");

/// Whether `word` (any case) is one of `data/summary_openers.tsv`.
fn leans_on_before(word: &str) -> bool {
    static LIST: OnceLock<Vec<String>> = OnceLock::new();
    let list = LIST.get_or_init(|| {
        crate::data_lines(OPENERS_TSV)
            .map(str::to_lowercase)
            .collect()
    });
    let w = word.to_lowercase();
    list.contains(&w)
}

/// The share of `s`'s characters inside double quotation marks (`"…"`,
/// `“…”`), marks included. A sentence whose first mark closes a
/// quotation (`I knew it," she said.`) is the end of a quotation opened in
/// the sentence before, so it starts inside. Single quotes are left alone:
/// an apostrophe cannot be told from one.
fn quoted_share(s: &str) -> f64 {
    let first = s
        .char_indices()
        .find(|(_, c)| matches!(c, '"' | '\u{201C}' | '\u{201D}'));
    let opens_inside = first.is_some_and(|(i, c)| {
        c == '\u{201D}'
            || (c == '"'
                && s[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| !p.is_whitespace() && !matches!(p, '(' | '[')))
    });
    let (mut inside, mut quoted, mut total) = (opens_inside, 0usize, 0usize);
    for c in s.chars() {
        total += 1;
        match c {
            '"' => {
                inside = !inside;
                quoted += 1;
            }
            '\u{201C}' => {
                inside = true;
                quoted += 1;
            }
            '\u{201D}' => {
                inside = false;
                quoted += 1;
            }
            _ if inside => quoted += 1,
            _ => {}
        }
    }
    if total == 0 {
        0.0
    } else {
        quoted as f64 / total as f64
    }
}

/// The clusterer's terms of a sentence.
fn sentence_terms(s: &str) -> Vec<String> {
    tokenize(s)
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .filter_map(|t| normalize_term(t.text(s), true))
        .collect()
}

/// A candidate sentence.
struct Cand {
    input: usize,
    index: usize,
    span: Span,
    relevance: f64,
    vector: SparseVec,
}

/// Whether a sentence may stand in a summary, and its weight when it may.
fn weight(s: &str, index: usize, input: &SummaryInput<'_>, span: Span, p: &SummaryParams) -> f64 {
    let words = word_count(s);
    let end = s.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ' ']);
    if words < p.min_words
        || words > p.max_words
        || end.ends_with('?')
        || end.ends_with(':')
        || quoted_share(s) > p.max_quoted
        || is_furniture(s, input.analysis, span)
    {
        return 0.0;
    }
    let mut w = 1.0 / (1.0 + index as f64 / p.lead_decay.max(f64::MIN_POSITIVE));
    let first = s
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    if leans_on_before(first) {
        w *= p.dangling_weight;
    }
    w
}

/// The summary of the sentences of `inputs`, at most `params.sentences`,
/// in reading order (by published day, then the order of `inputs`, then
/// position in the article). `centre` is the story's own centroid (its
/// sketch's terms and weights; empty when there is none). Deterministic.
pub fn summarise(
    inputs: &[SummaryInput<'_>],
    centre: &[(String, f32)],
    params: &SummaryParams,
) -> Vec<SummarySentence> {
    if params.sentences == 0 {
        return Vec::new();
    }
    let mut vocab = Vocabulary::default();
    // (input, sentence index, span, term counts, weight) of every sentence.
    let mut all = Vec::new();
    for (n, input) in inputs.iter().enumerate() {
        for (i, span) in input.analysis.sentences.iter().enumerate() {
            let Some(s) = span.slice(input.text) else {
                continue;
            };
            let counts = vocab.add(&sentence_terms(s));
            let w = if i < params.lead_sentences {
                weight(s, i, input, *span, params)
            } else {
                0.0
            };
            all.push((n, i, *span, counts, w));
        }
    }
    let mut centroid: SparseVec = Vec::new();
    let mut cands: Vec<Cand> = Vec::new();
    for (input, index, span, counts, w) in &all {
        let v = vocab.tfidf(counts);
        centroid = add_scaled(&centroid, &v, 1.0);
        if *w > 0.0 && !v.is_empty() {
            cands.push(Cand {
                input: *input,
                index: *index,
                span: *span,
                relevance: *w,
                vector: v,
            });
        }
    }
    normalise(&mut centroid);
    let mut own: SparseVec = centre
        .iter()
        .filter_map(|(k, w)| vocab.id(k).map(|id| (id, f64::from(*w) * vocab.idf(id))))
        .collect();
    own.sort_by_key(|(id, _)| *id);
    normalise(&mut own);
    let centre = add_scaled(&centroid, &own, 1.0);
    for c in &mut cands {
        c.relevance *= cosine(&c.vector, &centre);
    }

    let mut chosen: Vec<Cand> = Vec::new();
    while chosen.len() < params.sentences && !cands.is_empty() {
        let closest = |c: &Cand| {
            chosen
                .iter()
                .map(|x| cosine(&x.vector, &c.vector))
                .fold(0.0f64, f64::max)
        };
        cands.retain(|c| closest(c) <= params.max_similarity);
        let best = cands
            .iter()
            .enumerate()
            .map(|(k, c)| (k, c.relevance - params.diversity * closest(c)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let Some((k, _)) = best else { break };
        chosen.push(cands.remove(k));
    }
    chosen.sort_by(|a, b| {
        let day = |c: &Cand| {
            inputs[c.input]
                .published
                .map_or((1, None), |d| (0, Some(d)))
        };
        day(a)
            .cmp(&day(b))
            .then(a.input.cmp(&b.input))
            .then(a.index.cmp(&b.index))
    });
    chosen
        .into_iter()
        .map(|c| SummarySentence {
            article: inputs[c.input].article,
            sentence: c.index,
            span: c.span,
            score: c.relevance,
        })
        .collect()
}

/// `n` items of `items` spread evenly over it, the first and the last
/// among them, in order: what a summary reads of a story too large to read
/// whole.
pub fn spread<T: Clone>(items: &[T], n: usize) -> Vec<T> {
    if items.len() <= n {
        return items.to_vec();
    }
    match n {
        0 => Vec::new(),
        1 => items[items.len() - 1..].to_vec(),
        _ => (0..n)
            .map(|k| items[k * (items.len() - 1) / (n - 1)].clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::tests::{analysed, inputs};
    use chrono::NaiveDate;
    use storyline_analyze::document::Analysis;

    fn said<'a>(docs: &'a [(Option<NaiveDate>, String, Analysis)], s: &SummarySentence) -> &'a str {
        s.span.slice(&docs[s.article].1).expect("span in text")
    }

    const LEAD: &str = "Floodwater swept through the town of Marlow on Sunday, forcing hundreds of residents from their homes.";

    #[test]
    fn redundant_leads_give_one_sentence_and_pointers_are_right() {
        let docs = analysed(&[
            (
                &format!("{LEAD} Rescue crews used boats to reach people trapped in the flooded streets of Marlow."),
                Some("2024-01-07"),
            ),
            (
                // The same lead in a second outlet, then what is new.
                &format!("{LEAD} The council opened the leisure centre in Marlow as a shelter for the flooded families."),
                Some("2024-01-08"),
            ),
        ]);
        let inp = inputs(&docs);
        let summary = summarise(&inp, &[], &SummaryParams::default());
        let texts: Vec<&str> = summary.iter().map(|s| said(&docs, s)).collect();
        assert_eq!(
            texts.iter().filter(|t| t.starts_with("Floodwater")).count(),
            1,
            "{texts:?}"
        );
        assert!(summary.len() >= 2, "{texts:?}");
        for s in &summary {
            let (_, text, analysis) = &docs[s.article];
            assert_eq!(analysis.sentences[s.sentence], s.span);
            assert!(s.span.slice(text).is_some());
        }
        // Reading order: the first day's sentences first.
        assert_eq!(summary[0].article, 0);
        assert_eq!(summary[0].sentence, 0);
        // Deterministic.
        assert_eq!(summary, summarise(&inp, &[], &SummaryParams::default()));
    }

    #[test]
    fn quotes_questions_and_leaning_openers_give_way() {
        let docs = analysed(&[(
            "\"We have lost everything we owned in the water this weekend,\" one resident of the town said. \
             What happens to the families now that the river is still rising? \
             He said the river had never risen so fast in forty years of living in Marlow. \
             The Environment Agency issued a severe flood warning for the river Thames at Marlow on Sunday.",
            Some("2024-01-07"),
        )]);
        let inp = inputs(&docs);
        let summary = summarise(
            &inp,
            &[],
            &SummaryParams {
                sentences: 1,
                ..SummaryParams::default()
            },
        );
        assert_eq!(summary.len(), 1);
        assert!(
            said(&docs, &summary[0]).starts_with("The Environment Agency"),
            "{:?}",
            said(&docs, &summary[0])
        );
        let all = summarise(
            &inp,
            &[],
            &SummaryParams {
                sentences: 4,
                ..SummaryParams::default()
            },
        );
        let texts: Vec<&str> = all.iter().map(|s| said(&docs, s)).collect();
        assert!(
            !texts.iter().any(|t| t.starts_with('"') || t.ends_with('?')),
            "{texts:?}"
        );
    }

    #[test]
    fn the_story_centre_picks_what_the_story_is_about() {
        let docs = analysed(&[(
            "Council workers repainted the benches along the riverside promenade in Marlow this week. \
             The river Thames burst its banks in Marlow, flooding hundreds of homes near the bridge.",
            Some("2024-01-07"),
        )]);
        let inp = inputs(&docs);
        let p = SummaryParams {
            sentences: 1,
            ..SummaryParams::default()
        };
        let centre = [("bank".to_string(), 3.0), ("river".to_string(), 2.0)];
        let s = summarise(&inp, &centre, &p);
        assert!(said(&docs, &s[0]).starts_with("The river Thames"), "{s:?}");
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(summarise(&[], &[], &SummaryParams::default()).is_empty());
        assert_eq!(spread(&[1, 2, 3], 5), [1, 2, 3]);
        assert_eq!(spread(&[1, 2, 3, 4, 5, 6, 7], 3), [1, 4, 7]);
        assert_eq!(spread(&[1, 2, 3], 1), [3]);
        assert!(spread(&[1, 2, 3], 0).is_empty());
    }

    #[test]
    fn openers_and_quotes_are_read_as_data() {
        assert!(leans_on_before("He") && leans_on_before("however"));
        assert!(!leans_on_before("Floodwater"));
        assert!(quoted_share("\"All of it,\" she said.") > 0.5);
        assert!(quoted_share("I just knew it was going in,\" Vesely said.") > 0.5);
        assert!(quoted_share("\u{201C}We won the title tonight,\u{201D} he said.") > 0.5);
        assert!(
            quoted_share("He called it \u{201C}a farce\u{201D} on Friday at the meeting.") < 0.5
        );
    }
}
