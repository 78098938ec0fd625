//! Named entities, fast tier: an averaged structured perceptron over hashed
//! features, decoded with Viterbi under IOB2 constraints.
//!
//! The design follows Ratinov & Roth (2009): rich local features, gazetteers
//! (here derived from the training data only) and the labels the model gave
//! the same word earlier in the document. The model is trained by
//! `examples/train_ner.rs` and embedded in the binary, so tagging needs no
//! files. The cost of this choice is accuracy: 92.6 F1 on CoNLL-2003 dev
//! where transformer taggers reach 95; the accurate tier is for that.

pub mod clusters;
mod demonym;
pub(crate) mod features;
pub(crate) mod model;
pub mod train;

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use storyline_core::Span;

use crate::sentence::Sentence;
use crate::token::{model_form, Token};

pub use demonym::is_demonym;
pub use model::{ModelError, NerModel};

/// The four CoNLL-2003 entity classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityLabel {
    /// People, real or fictional.
    #[serde(rename = "PER")]
    Per,
    /// Organisations: companies, agencies, armed groups, teams, governments as bodies.
    #[serde(rename = "ORG")]
    Org,
    /// Places: countries, cities, regions, geographic features.
    #[serde(rename = "LOC")]
    Loc,
    /// Everything else named: nationalities, events, products, works.
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityLabel {
    /// All labels in index order.
    pub const ALL: [EntityLabel; 4] = [
        EntityLabel::Per,
        EntityLabel::Org,
        EntityLabel::Loc,
        EntityLabel::Misc,
    ];

    /// The CoNLL name (`PER`).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityLabel::Per => "PER",
            EntityLabel::Org => "ORG",
            EntityLabel::Loc => "LOC",
            EntityLabel::Misc => "MISC",
        }
    }

    /// Position in [`EntityLabel::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a CoNLL name.
    pub fn parse(s: &str) -> Option<EntityLabel> {
        EntityLabel::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for EntityLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An IOB tag. The tagger emits IOB2 (every entity starts with `B-`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Tag {
    /// Outside any entity.
    O,
    /// First token of an entity.
    B(EntityLabel),
    /// A later token of an entity (or, in IOB1 data, any token of one that
    /// does not directly follow another entity of the same label).
    I(EntityLabel),
}

impl Tag {
    /// Number of distinct tags.
    pub const COUNT: usize = 9;

    /// Dense index: `O` is 0, then `B-`/`I-` pairs in label order.
    pub fn index(self) -> usize {
        match self {
            Tag::O => 0,
            Tag::B(l) => 1 + 2 * l.index(),
            Tag::I(l) => 2 + 2 * l.index(),
        }
    }

    /// The tag at a dense index; `O` beyond range.
    pub fn from_index(i: usize) -> Tag {
        if i == 0 || i >= Tag::COUNT {
            return Tag::O;
        }
        let label = EntityLabel::ALL[(i - 1) / 2];
        if i % 2 == 1 {
            Tag::B(label)
        } else {
            Tag::I(label)
        }
    }

    /// The entity label, `None` for `O`.
    pub fn label(self) -> Option<EntityLabel> {
        match self {
            Tag::O => None,
            Tag::B(l) | Tag::I(l) => Some(l),
        }
    }

    /// Parses `O`, `B-PER`, `I-LOC`, ...
    pub fn parse(s: &str) -> Option<Tag> {
        if s == "O" {
            return Some(Tag::O);
        }
        let (prefix, label) = s.split_once('-')?;
        let label = EntityLabel::parse(label)?;
        match prefix {
            "B" => Some(Tag::B(label)),
            "I" => Some(Tag::I(label)),
            _ => None,
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::O => f.write_str("O"),
            Tag::B(l) => write!(f, "B-{l}"),
            Tag::I(l) => write!(f, "I-{l}"),
        }
    }
}

/// Entity chunks of a tag sequence, as conlleval reads them: a chunk starts
/// at `B-X`, or at `I-X` after `O` or after a different label, so the same
/// function reads IOB1 gold and IOB2 predictions.
pub fn chunks(tags: &[Tag]) -> Vec<(Range<usize>, EntityLabel)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityLabel)> = None;
    for (i, &tag) in tags.iter().enumerate() {
        let continues = matches!((tag, open), (Tag::I(l), Some((_, o))) if l == o);
        if continues {
            continue;
        }
        if let Some((s, l)) = open.take() {
            out.push((s..i, l));
        }
        if let Some(l) = tag.label() {
            open = Some((i, l));
        }
    }
    if let Some((s, l)) = open {
        out.push((s..tags.len(), l));
    }
    out
}

/// A named entity found in an article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityMention {
    /// Where it is in the article text.
    pub span: Span,
    /// Its class.
    pub label: EntityLabel,
    /// A nationality or group adjective or noun (`Israeli`, `Palestinians`,
    /// `Arab`), which CoNLL tags MISC; linking maps these to actors.
    pub demonym: bool,
    /// The text, as written.
    pub text: String,
    /// Tokens covered (indices into the article's tokens).
    pub tokens: Range<usize>,
}

impl NerModel {
    /// Finds the entities of one article, using the whole article as
    /// document context (earlier labels of a word inform later ones).
    pub fn entities(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Sentence],
    ) -> Vec<EntityMention> {
        let forms: Vec<Vec<std::borrow::Cow<'_, str>>> = sentences
            .iter()
            .map(|s| {
                tokens
                    .get(s.tokens.clone())
                    .unwrap_or(&[])
                    .iter()
                    .map(|t| model_form(t.text(text)))
                    .collect()
            })
            .collect();
        let refs: Vec<Vec<&str>> = forms
            .iter()
            .map(|s| s.iter().map(|c| c.as_ref()).collect())
            .collect();
        let doc: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
        let tags = self.tag(&doc);
        let mut out = Vec::new();
        for (sentence, sent_tags) in sentences.iter().zip(&tags) {
            for (range, label) in chunks(sent_tags) {
                let first = sentence.tokens.start + range.start;
                let last = sentence.tokens.start + range.end - 1;
                let (Some(a), Some(b)) = (tokens.get(first), tokens.get(last)) else {
                    continue;
                };
                let span = Span::new(a.span.start, b.span.end);
                let surface = span.slice(text).unwrap_or("").to_string();
                out.push(EntityMention {
                    span,
                    label,
                    demonym: label == EntityLabel::Misc && is_demonym(&surface),
                    text: surface,
                    tokens: first..last + 1,
                });
            }
        }
        relabel_places(text, tokens, &mut out);
        out
    }
}

/// Whether the words after `X's` make X a state or a place, not a person:
/// people have no parliament, health ministry or provinces. Not
/// `government`, `forces` or `defense secretary`: `Netanyahu's government`,
/// `Assad's forces` and `Biden's defense secretary` are a person's.
fn is_state_possession(next: &str, after: &str) -> bool {
    matches!(
        next,
        "parliament"
            | "ministry"
            | "embassy"
            | "capital"
            | "province"
            | "provinces"
            | "population"
            | "citizens"
            | "president"
    ) || matches!(
        (next, after),
        (
            "foreign" | "defence" | "defense" | "interior" | "health" | "finance" | "prime",
            "minister" | "ministry"
        ) | ("central", "bank")
    )
}

/// Head words of multi-word place names that read as persons to the
/// tagger: `the Orlen Hills`, `the Sennet Valley`.
fn is_place_head(w: &str) -> bool {
    matches!(
        w,
        "hills"
            | "mountains"
            | "heights"
            | "valley"
            | "river"
            | "lake"
            | "sea"
            | "gulf"
            | "bay"
            | "coast"
            | "islands"
            | "peninsula"
            | "desert"
            | "plains"
            | "province"
            | "region"
            | "district"
            | "strip"
            | "bank"
            | "square"
            | "street"
    )
}

/// One sense per article for names the tagger took for people: when any
/// mention of the name reads as a state or a place (`Marevia's health
/// ministry`, `Marevia's foreign minister`, `into Marevia`, `the Orlen
/// Hills`), every one of
/// its person mentions becomes a location. A name that is the first or
/// last word of a longer person name in the article (`Smith` beside `John
/// Smith`) is left alone. The CoNLL-trained tagger has no way to know an
/// unseen country; the article usually says so.
fn relabel_places(text: &str, tokens: &[Token], mentions: &mut [EntityMention]) {
    let word = |i: usize| tokens.get(i).map_or("", |t| t.text(text));
    let lower = |i: usize| word(i).to_lowercase();
    let mut places: Vec<String> = Vec::new();
    for m in mentions.iter() {
        if m.label == EntityLabel::Misc {
            continue;
        }
        let i = m.tokens.start;
        let j = m.tokens.end;
        let possessed = matches!(word(j), "'s" | "’s");
        // `the Orlen Hills`: a place's head word after the article.
        let definite =
            m.tokens.len() > 1 && i > 0 && lower(i - 1) == "the" && is_place_head(&lower(j - 1));
        let possessive =
            m.tokens.len() == 1 && possessed && is_state_possession(&lower(j + 1), &lower(j + 2));
        // `into Marevia`, but not `in Trump's speech`.
        let locative = m.tokens.len() == 1
            && !possessed
            && i > 0
            && matches!(lower(i - 1).as_str(), "in" | "into" | "across");
        if (definite || possessive || locative) && !places.contains(&m.text) {
            places.push(m.text.clone());
        }
    }
    if places.is_empty() {
        return;
    }
    let in_longer_name: Vec<String> = mentions
        .iter()
        .filter(|m| m.label == EntityLabel::Per && m.tokens.len() > 1)
        .flat_map(|m| {
            let words: Vec<&str> = m.text.split_whitespace().collect();
            [words.first(), words.last()]
                .into_iter()
                .flatten()
                .map(|w| w.to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for m in mentions.iter_mut() {
        if m.label == EntityLabel::Per
            && places.contains(&m.text)
            && (m.tokens.len() > 1 || !in_longer_name.contains(&m.text))
        {
            m.label = EntityLabel::Loc;
        }
    }
}

/// Finds entities with the embedded model. Returns no entities (and logs an
/// error) if the embedded model cannot be decoded, which a test rules out.
pub fn entities(text: &str, tokens: &[Token], sentences: &[Sentence]) -> Vec<EntityMention> {
    match NerModel::embedded() {
        Ok(model) => model.entities(text, tokens, sentences),
        Err(e) => {
            tracing::error!(error = %e, "embedded entity model does not load");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_indices_round_trip() {
        for i in 0..Tag::COUNT {
            assert_eq!(Tag::from_index(i).index(), i);
            let t = Tag::from_index(i);
            assert_eq!(Tag::parse(&t.to_string()), Some(t));
        }
        assert_eq!(Tag::parse("B-FOO"), None);
        assert_eq!(Tag::parse("X-PER"), None);
    }

    fn labels(text: &str) -> Vec<(String, EntityLabel)> {
        let tokens = crate::tokenize(text);
        let sentences = crate::split_sentences(text, &tokens);
        entities(text, &tokens, &sentences)
            .into_iter()
            .map(|m| (m.text, m.label))
            .collect()
    }

    #[test]
    fn a_name_with_a_government_is_a_place_throughout_the_article() {
        let text = "Tolvania declared an emergency on Monday. Tolvania's parliament \
                    asked for help, and aid trucks crossed into Tolvania from the north. \
                    Shells were fired from the Dresk Hills. Dresk Hills residents fled.";
        let found = labels(text);
        let tolvania: Vec<_> = found.iter().filter(|(t, _)| t == "Tolvania").collect();
        assert!(!tolvania.is_empty(), "{found:?}");
        assert!(
            tolvania.iter().all(|(_, l)| *l != EntityLabel::Per),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .filter(|(t, _)| t.starts_with("Dresk"))
                .all(|(_, l)| *l != EntityLabel::Per),
            "{found:?}"
        );
        // The rule alone: a one-word person name that ends a longer one
        // stays a person whatever follows it.
        let text = "Anna Brel said Brel's parliament fell.";
        let tokens = crate::tokenize(text);
        let mention = |words: Range<usize>| {
            let span = Span::new(
                tokens[words.start].span.start,
                tokens[words.end - 1].span.end,
            );
            EntityMention {
                span,
                label: EntityLabel::Per,
                demonym: false,
                text: span.slice(text).unwrap_or("").to_string(),
                tokens: words,
            }
        };
        let mut found = vec![mention(0..2), mention(3..4)];
        relabel_places(text, &tokens, &mut found);
        assert_eq!(found[1].label, EntityLabel::Per, "{found:?}");
        let mut alone = vec![mention(3..4)];
        relabel_places(text, &tokens, &mut alone);
        assert_eq!(alone[0].label, EntityLabel::Loc, "{alone:?}");
        // What a person has: a government, forces, a defense secretary.
        for text in [
            "Brel said Brel's government fell.",
            "Brel said Brel's forces withdrew.",
            "Brel said Brel's defense secretary quit.",
            "Brel said Brel's health was good.",
            "Brel spoke in Brel's office.",
        ] {
            let tokens = crate::tokenize(text);
            let at = tokens
                .iter()
                .rposition(|t| t.text(text) == "Brel")
                .expect("a second Brel");
            let mut found = vec![EntityMention {
                span: tokens[at].span,
                label: EntityLabel::Per,
                demonym: false,
                text: "Brel".into(),
                tokens: at..at + 1,
            }];
            relabel_places(text, &tokens, &mut found);
            assert_eq!(found[0].label, EntityLabel::Per, "{text}");
        }
    }

    #[test]
    fn chunks_read_iob1_and_iob2() {
        use EntityLabel::*;
        let t = |s: &str| -> Vec<Tag> { s.split(' ').filter_map(Tag::parse).collect() };
        // IOB1: I- after O starts, B- separates adjacent same-label entities.
        assert_eq!(
            chunks(&t("I-PER I-PER O I-LOC B-LOC I-ORG")),
            vec![(0..2, Per), (3..4, Loc), (4..5, Loc), (5..6, Org)]
        );
        // IOB2.
        assert_eq!(
            chunks(&t("B-PER I-PER B-PER O B-MISC I-MISC")),
            vec![(0..2, Per), (2..3, Per), (4..6, Misc)]
        );
        assert!(chunks(&[]).is_empty());
    }
}
