//! Quotes and attribution, fast tier: who said (or claims, wants, found)
//! what, each part traceable to its bytes.
//!
//! An attribution has a **cue** (`said`, `told`, `according to`, `wants`), a
//! **source** (the speaker as written: `Mr. Trump`, `he`, `who`, `officials`)
//! and a **content** (the quotation or the reported clause). The source as
//! written is kept because it is what the text says; `resolved_source` adds
//! the mention of the full name when the source is a pronoun, a relative
//! `who`, a surname or a title, so the speaker can be linked to an actor.
//!
//! The approach is rule-based and dependency-free: a cue lexicon with
//! inflections (chosen from the forms PolNeAR *train* annotates as cues),
//! quotation-mark pairing over the raw text (curly, straight and `''`
//! marks; quotations continued over paragraphs; unclosed quotations end
//! with their paragraph), and a few phrase heuristics: the subject noun
//! phrase left of the cue, the inverted subject in `“…,” said X`, the quotation
//! or clause before a post-posed `X said`, and the complement after a
//! pre-posed cue (skipping the addressee of `told Reuters` and adjuncts such
//! as `in a statement`). Each token belongs to at most one attribution, as
//! in PolNeAR: a cue inside a quotation or inside another attribution's
//! content is not a new attribution.
//!
//! Two small learnt stages sit around the rules, both trained on PolNeAR
//! train and embedded: a cue detector ([`cues`]) proposes cues the lexicon
//! lacks, and a filter ([`filter`]) drops finished candidates that look
//! like the ones that proved wrong.
//!
//! What it costs: without a parser, subjects in long coordinations and
//! attitudes without a lexical cue are missed, and content ends at the
//! sentence (or quotation) end rather than at a clause boundary. The scores
//! on PolNeAR dev are in `README.md` beside this file.

pub mod cues;
pub mod filter;
mod lexicon;
mod quotes;
mod resolve;
mod rules;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use storyline_core::Span;

use crate::ner::EntityMention;
use crate::sentence::Sentence;
use crate::token::Token;

/// What sort of reported speech or thought an attribution is; a direct
/// quotation is verbatim evidence, an indirect one is the writer's paraphrase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AttributionKind {
    /// The content is a whole quotation: `“We will win,” she said.`
    DirectQuote,
    /// The content mixes paraphrase and quoted words: `he called it “a farce”`.
    PartialQuote,
    /// Reported speech without quotation marks: `she said the talks failed`.
    Indirect,
    /// A claim credited to a source rather than a speech act (`according to
    /// X`), or an attitude or finding (`X wants`, `polls show`).
    Assertion,
}

/// One attribution: a source, a cue and a content, all as byte spans into the
/// article text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    /// Direct, partial, indirect or assertion.
    pub kind: AttributionKind,
    /// The speaker as written (`he`, `who`, `the ministry`), or `None` when the
    /// text names none (`it was reported that`, `…, adding that …`).
    pub source: Option<Span>,
    /// The text of `source`.
    pub source_text: Option<String>,
    /// The entity mention the source stands for when it is a pronoun, a
    /// relative pronoun, a surname, a title or an omitted subject: the most
    /// complete mention of that name earlier in the article, else the
    /// mention inside the source itself.
    pub resolved_source: Option<Span>,
    /// The cue: `said`, `told`, `according to`, `pointed out`.
    pub cue: Span,
    /// The cue's lemma (`say`, `tell`, `according to`), for grouping.
    pub cue_lemma: String,
    /// What is attributed: the quotation (marks included) or the clause.
    pub content: Span,
    /// Index of the sentence that holds the cue.
    pub sentence: usize,
    /// The article's referent the source stands for (an index into
    /// [`crate::document::Analysis::referents`]), filled by
    /// [`crate::document::analyze`]; `None` from [`find_attributions`] alone.
    #[serde(default)]
    pub referent: Option<usize>,
}

/// Finds the attributions of one article, in order of their cues.
///
/// `tokens`, `sentences` and `entities` are this crate's analyses of `text`
/// ([`crate::tokenize`], [`crate::split_sentences`], [`crate::entities`]);
/// entities are only used to resolve sources, so an empty slice is fine.
/// Spans that do not fit `text` are ignored rather than trusted.
pub fn find_attributions(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    entities: &[EntityMention],
) -> Vec<Attribution> {
    let models = AttributionModels {
        cues: cues::CueModel::embedded().ok(),
        filter: filter::embedded(),
    };
    find_attributions_with(text, tokens, sentences, entities, &models)
}

/// The learnt models attribution finding consults; `None` leaves a stage
/// out. [`find_attributions`] uses the embedded ones; training uses others
/// (a cue model trained on another fold, no filter).
#[derive(Clone, Copy, Debug, Default)]
pub struct AttributionModels<'m> {
    /// The cue detector for words the lexicon lacks.
    pub cues: Option<&'m cues::CueModel>,
    /// The filter that drops candidates unlike those that proved right
    /// on PolNeAR train (see [`filter`]).
    pub filter: Option<&'m cues::CueModel>,
}

/// Whether an attribution reports speech or a statement (`said`, `made it
/// clear`, `according to`), not an act the cue detector took for a cue
/// (`Hamas launched an assault, killing 1,400`): only such an attribution
/// makes its source the claimant of a figure.
pub(crate) fn reports(a: &Attribution, text: &str) -> bool {
    let form = a.cue.slice(text).unwrap_or("").to_lowercase();
    let lemma = a.cue_lemma.as_str();
    let speech = crate::figures::is_reporting_verb(&form)
        || crate::figures::is_reporting_verb(lemma)
        || form.starts_with("according");
    speech || !(crate::events::is_physical_act(&form) || crate::events::is_physical_act(lemma))
}

/// [`find_attributions`] with the given models.
pub fn find_attributions_with(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    entities: &[EntityMention],
    models: &AttributionModels<'_>,
) -> Vec<Attribution> {
    let ctx = rules::Ctx::new(text, tokens, sentences, entities, models.cues);
    let found = ctx.extract();
    let names = resolve::Names::new(&ctx, entities);
    let mut out: Vec<Attribution> = found
        .into_iter()
        .filter_map(|f| {
            let cue = ctx.span(f.cue.clone())?;
            let content = f.content;
            let source = f.source.clone().and_then(|r| ctx.span(r));
            let resolved_source = resolve::resolve(&ctx, &f, &names);
            Some(Attribution {
                kind: f.kind,
                source,
                source_text: source.and_then(|s| s.slice(text)).map(str::to_string),
                resolved_source,
                cue,
                cue_lemma: if f.lemma == rules::LEARNT {
                    cue.slice(text).unwrap_or("").to_lowercase()
                } else {
                    f.lemma.to_string()
                },
                content,
                sentence: f.sentence,
                referent: None,
            })
        })
        .filter(|a| valid(text, a) && !aspect_not_cue(text, a))
        .collect();
    if let Some(m) = models.filter.filter(|m| !m.is_empty()) {
        let features =
            filter::features_with(text, tokens, &ctx.lower, &ctx.quoted, &out, models.cues);
        // Attributions without a source come from the rules' explicit
        // constructions (`it was reported that`, `there are reports that`)
        // and are kept: the filter judges proposed speakers.
        let keep: Vec<bool> = features
            .iter()
            .zip(&out)
            .map(|(f, a)| a.source.is_none() || m.score(f) > 0.0)
            .collect();
        let mut k = keep.into_iter();
        out.retain(|_| k.next().unwrap_or(true));
    }
    // The per-token tables go before the sort, the last step that needs
    // memory; the rules give the attributions in cue order almost always,
    // and a stable sort of a sorted list would only borrow a scratch copy.
    drop(names);
    drop(ctx);
    if !out.is_sorted_by_key(|a| (a.cue.start, a.cue.end)) {
        out.sort_by_key(|a| (a.cue.start, a.cue.end));
    }
    out
}

/// Verbs of aspect (`lang/en/aspect_verbs.tsv`), loaded once, with the
/// lines that did not parse (a test keeps the file whole).
type AspectVerbs = (
    std::collections::HashSet<String>,
    Vec<(&'static str, usize)>,
);

fn aspect_lexicon() -> &'static AspectVerbs {
    static LEXICON: std::sync::OnceLock<AspectVerbs> = std::sync::OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut bad_lines = Vec::new();
        let set = crate::lang::word_set(
            include_str!("../../lang/en/aspect_verbs.tsv"),
            "aspect_verbs.tsv",
            &mut bad_lines,
        );
        (set, bad_lines)
    })
}

/// Rule `aspect_not_cue`: a verb that begins, resumes or ends another
/// act, followed by a gerund or `to` (`Israel began striking Gaza`, `the
/// army started to withdraw`), says nothing of anyone's words, whatever a
/// learnt cue scorer made of it.
fn aspect_not_cue(text: &str, a: &Attribution) -> bool {
    let cue = a.cue.slice(text).unwrap_or_default().trim().to_lowercase();
    if !aspect_lexicon().0.contains(&cue) {
        return false;
    }
    let next = text
        .get(a.cue.end..)
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    next == "to" || (next.len() > 4 && next.ends_with("ing"))
}

/// Whether every span of `a` is non-empty (content and cue), inside `text`
/// and on character boundaries; a guard so no caller ever slices badly.
fn valid(text: &str, a: &Attribution) -> bool {
    let ok = |s: &Span| s.start <= s.end && s.slice(text).is_some();
    ok(&a.cue)
        && ok(&a.content)
        && !a.cue.is_empty()
        && !a.content.is_empty()
        && a.source.as_ref().is_none_or(ok)
        && a.resolved_source.as_ref().is_none_or(ok)
}
