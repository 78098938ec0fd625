//! The attribution filter: a second, learnt stage that drops candidate
//! attributions unlike the ones that proved right.
//!
//! The rules and the cue detector propose; some proposals are reliably
//! wrong (a learnt cue on `boarded` or `spoke to`, a `made` with no
//! content, a long lower-case phrase taken for a speaker). A linear model
//! over features of the whole candidate (cue lemma and whether the lexicon
//! or the detector found it, kind, the shape and length of source and
//! content, the words around the cue) scores each one; candidates scoring
//! at most zero are dropped.
//!
//! Trained by `storyline-eval`'s `train_attribution_filter` example on
//! PolNeAR *train* only, labels from the loose match against gold. The cue
//! detector is itself trained on train, so its proposals there are better
//! than on unseen text; the training candidates therefore come from
//! cross-fitting (each half of train analysed with a cue detector trained
//! on the other half). The model uses the cue detector's file format with
//! its own feature version ([`FEATURE_VERSION`]).

use std::sync::OnceLock;

use super::cues::{fnv, in_lexicon, CueModel};
use super::{Attribution, AttributionKind};
use crate::token::{model_form, Lowered, Token, TokenKind};

/// Bumped whenever [`filter_features`] changes; a model trained with other
/// features is refused (and the filter is then left out).
pub const FEATURE_VERSION: u32 = 102;

static EMBEDDED_BYTES: &[u8] = include_bytes!("../../models/attribution-filter-en.bin");
static EMBEDDED: OnceLock<Option<CueModel>> = OnceLock::new();

/// The filter shipped with this build, if it decodes (an empty file is no
/// filter).
pub fn embedded() -> Option<&'static CueModel> {
    EMBEDDED
        .get_or_init(|| {
            CueModel::from_bytes_versioned(EMBEDDED_BYTES, FEATURE_VERSION)
                .ok()
                .filter(|m| !m.is_empty())
        })
        .as_ref()
}

fn bucket(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2 => "2",
        3..=4 => "3-4",
        5..=8 => "5-8",
        9..=20 => "9-20",
        _ => "21+",
    }
}

/// The features of every candidate of one article, `cues` being the cue
/// detector that proposed them (its score on a learnt cue is a feature).
pub fn candidate_features(
    text: &str,
    tokens: &[Token],
    found: &[Attribution],
    cues: Option<&CueModel>,
) -> Vec<Vec<u32>> {
    let quoted = super::cues::quoted_tokens(text, tokens);
    let lower = Lowered::new(text, tokens);
    features_with(text, tokens, &lower, &quoted, found, cues)
}

/// [`candidate_features`] given each token's lower-cased model form and
/// whether it lies inside a quotation (the rules have both already).
pub(crate) fn features_with(
    text: &str,
    tokens: &[Token],
    lower: &Lowered,
    quoted: &[bool],
    found: &[Attribution],
    cues: Option<&CueModel>,
) -> Vec<Vec<u32>> {
    found
        .iter()
        .map(|a| {
            let i = tokens.partition_point(|t| t.span.end <= a.cue.start);
            let score = cues
                .filter(|_| lower.get(i).is_some_and(|w| !in_lexicon(w)))
                .map(|m| m.score(&super::cues::features_at(text, tokens, lower, quoted, i)));
            filter_features(text, tokens, a, score)
        })
        .collect()
}

/// Which side of zero and how far, in doublings: the detector's raw
/// scores have no fixed scale.
fn score_bucket(score: Option<f32>) -> String {
    match score {
        None => "none".into(),
        Some(s) => {
            let mag = (s.abs() + 1.0).log2().floor() as i32;
            format!("{}{mag}", if s < 0.0 { "-" } else { "+" })
        }
    }
}

/// The hashed features of one candidate attribution; `cue_score` is the
/// cue detector's score when the detector, not the lexicon, found the cue.
pub fn filter_features(
    text: &str,
    tokens: &[Token],
    a: &Attribution,
    cue_score: Option<f32>,
) -> Vec<u32> {
    let words_in = |start: usize, end: usize| {
        let a = tokens.partition_point(|t| t.span.end <= start);
        let b = tokens.partition_point(|t| t.span.start < end);
        (a, b.max(a))
    };
    let lower = |i: usize| -> String {
        tokens
            .get(i)
            .map(|t| model_form(t.text(text)).to_lowercase())
            .unwrap_or_else(|| "<s>".into())
    };
    let (cue_a, cue_b) = words_in(a.cue.start, a.cue.end);
    let cue_word = lower(cue_a);
    let learnt = if in_lexicon(&cue_word) {
        "lex"
    } else {
        "learnt"
    };
    let prev = cue_a.checked_sub(1).map_or("<s>".into(), lower);
    let next = lower(cue_b);
    let kind = match a.kind {
        AttributionKind::DirectQuote => "direct",
        AttributionKind::PartialQuote => "partial",
        AttributionKind::Indirect => "indirect",
        AttributionKind::Assertion => "assertion",
    };
    let (source_form, source_len, source_side) = match a.source {
        None => ("none", 0, "none"),
        Some(s) => {
            let (sa, sb) = words_in(s.start, s.end);
            let first = lower(sa);
            let caps = (sa..sb)
                .filter(|&i| {
                    tokens[i].kind == TokenKind::Word
                        && tokens[i]
                            .text(text)
                            .chars()
                            .next()
                            .is_some_and(char::is_uppercase)
                })
                .count();
            let form = if sb - sa == 1 && super::lexicon::pronoun(&first).is_some() {
                "pronoun"
            } else if matches!(first.as_str(), "who" | "which" | "that") {
                "relative"
            } else if caps * 2 >= (sb - sa).max(1) {
                "name"
            } else if caps > 0 {
                "mixed"
            } else {
                "lower"
            };
            let side = if s.end <= a.cue.start {
                "before"
            } else {
                "after"
            };
            (form, sb - sa, side)
        }
    };
    let (ca, cb) = words_in(a.content.start, a.content.end);
    let content_words = (ca..cb)
        .filter(|&i| tokens[i].kind != TokenKind::Punct)
        .count();
    let content_first = lower(ca);
    let content_side = if a.content.end <= a.cue.start {
        "before"
    } else {
        "after"
    };
    let cue_shape = if a
        .cue
        .slice(text)
        .is_some_and(|c| c.chars().next().is_some_and(char::is_uppercase))
    {
        "Cap"
    } else {
        "low"
    };
    let sl = bucket(source_len);
    let cl = bucket(content_words);
    let lemma = a.cue_lemma.as_str();
    vec![
        fnv(&["b"]),
        fnv(&["lemma", lemma]),
        fnv(&["learnt", learnt]),
        fnv(&["kind", kind]),
        fnv(&["sform", source_form]),
        fnv(&["slen", sl]),
        fnv(&["sside", source_side]),
        fnv(&["clen", cl]),
        fnv(&["cside", content_side]),
        fnv(&["cfirst", &content_first]),
        fnv(&["cuew", &cue_word]),
        fnv(&["cuelen", bucket(cue_b - cue_a)]),
        fnv(&["prev", &prev]),
        fnv(&["next", &next]),
        fnv(&["cshape", cue_shape]),
        fnv(&[
            "resolved",
            if a.resolved_source.is_some() {
                "y"
            } else {
                "n"
            },
        ]),
        fnv(&["lemma-kind", lemma, kind]),
        fnv(&["lemma-sform", lemma, source_form]),
        fnv(&["lemma-clen", lemma, cl]),
        fnv(&["lemma-next", lemma, &next]),
        fnv(&["learnt-sform", learnt, source_form]),
        fnv(&["learnt-clen", learnt, cl]),
        fnv(&["learnt-slen", learnt, sl]),
        fnv(&["learnt-next", learnt, &next]),
        fnv(&["learnt-prev", learnt, &prev]),
        fnv(&["kind-clen", kind, cl]),
        fnv(&["kind-sform", kind, source_form]),
        fnv(&["sform-slen", source_form, sl]),
        fnv(&["sides", source_side, content_side]),
        fnv(&["cuescore", &score_bucket(cue_score)]),
        fnv(&["cuescore-sform", &score_bucket(cue_score), source_form]),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{entities, split_sentences, tokenize};

    #[test]
    fn features_are_deterministic_and_distinguish_candidates() {
        let text = "The mayor said the bridge would reopen. Ann boarded a bus to Dover.";
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let ents = entities(text, &tokens, &sentences);
        let models = super::super::AttributionModels::default();
        let found = super::super::find_attributions_with(text, &tokens, &sentences, &ents, &models);
        assert!(!found.is_empty());
        let f1 = filter_features(text, &tokens, &found[0], None);
        assert_eq!(f1, filter_features(text, &tokens, &found[0], None));
        assert_ne!(f1, filter_features(text, &tokens, &found[0], Some(3.0)));
        assert!(f1.len() > 20);
    }

    #[test]
    fn the_embedded_filter_decodes_or_is_absent() {
        // An empty file means no filter; a present one must decode.
        if !EMBEDDED_BYTES.is_empty() {
            assert!(embedded().is_some(), "the shipped filter does not decode");
        }
    }
}
