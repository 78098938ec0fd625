//! Resolving a source as written (`he`, `who`, `Blinken`, `the top
//! diplomat`) to the entity mention that names it in full.
//!
//! Deliberately local and cheap: the nearest compatible preceding mention,
//! then the longest earlier mention of the same name. Cross-document actor
//! merging happens later, in linking.

use std::ops::Range;

use storyline_core::Span;

use super::lexicon::{self, PronounKind};
use super::rules::{Ctx, Found, SourceForm};
use crate::ner::{EntityLabel, EntityMention};

/// The mention `f`'s source stands for, if one can be found.
pub(crate) fn resolve(ctx: &Ctx<'_>, f: &Found, entities: &[EntityMention]) -> Option<Span> {
    let names: Vec<&EntityMention> = entities
        .iter()
        .filter(|e| !e.demonym && e.span.slice(ctx.text).is_some())
        .collect();
    let mention = match &f.form {
        SourceForm::Unnamed => None,
        SourceForm::Inherited(src) => {
            let src = src.clone()?;
            let span = ctx.span(src.clone())?;
            inside(&names, span).or_else(|| nearest_before(&names, span.start, &[EntityLabel::Per]))
        }
        SourceForm::Pronoun(kind) => {
            let src = f.source.clone()?;
            let span = ctx.span(src.clone())?;
            pronoun(ctx, &names, *kind, src, span)
        }
        SourceForm::Phrase => {
            let src = f.source.clone()?;
            let span = ctx.span(src.clone())?;
            inside(&names, span).or_else(|| title(ctx, &names, src, span))
        }
    }?;
    Some(full_name(&names, mention).span)
}

/// The last name mention inside `span` (the head of `Trump's spokesman` is
/// the spokesman, but the name is all there is to link).
fn inside<'e>(names: &[&'e EntityMention], span: Span) -> Option<&'e EntityMention> {
    names
        .iter()
        .rev()
        .find(|e| e.span.start >= span.start && e.span.end <= span.end)
        .copied()
}

/// The nearest mention with one of `labels` ending before `pos`.
fn nearest_before<'e>(
    names: &[&'e EntityMention],
    pos: usize,
    labels: &[EntityLabel],
) -> Option<&'e EntityMention> {
    names
        .iter()
        .rev()
        .find(|e| e.span.end <= pos && labels.contains(&e.label))
        .copied()
}

fn pronoun<'e>(
    ctx: &Ctx<'_>,
    names: &[&'e EntityMention],
    kind: PronounKind,
    src: Range<usize>,
    span: Span,
) -> Option<&'e EntityMention> {
    match kind {
        PronounKind::Person => nearest_before(names, span.start, &[EntityLabel::Per]),
        PronounKind::Group | PronounKind::Thing => {
            nearest_before(names, span.start, &[EntityLabel::Org, EntityLabel::Loc])
        }
        PronounKind::Relative | PronounKind::RelativeThing => {
            // `X, who …`: the mention right before the comma.
            let comma = src.start.checked_sub(1)?;
            let before = ctx.tokens.get(comma.checked_sub(1)?)?;
            names
                .iter()
                .rev()
                .find(|e| e.span.end == before.span.end)
                .copied()
        }
        PronounKind::Deictic => None,
    }
}

/// `the top diplomat`, `the ministry`: the nearest earlier person introduced
/// with that title (`Secretary of State Antony Blinken`, `Blinken, the top
/// diplomat`), or the nearest organisation whose name holds the head noun.
fn title<'e>(
    ctx: &Ctx<'_>,
    names: &[&'e EntityMention],
    src: Range<usize>,
    span: Span,
) -> Option<&'e EntityMention> {
    let head = ctx.lower.get(src.end.checked_sub(1)?)?.as_str();
    if lexicon::is_title_noun(head) {
        let near = |e: &&&EntityMention| {
            let lo = e.tokens.start.saturating_sub(4);
            let hi = (e.tokens.end + 7).min(ctx.lower.len());
            (lo..e.tokens.start)
                .chain(e.tokens.end..hi)
                .any(|i| ctx.lower[i] == head)
        };
        return names
            .iter()
            .rev()
            .filter(|e| e.label == EntityLabel::Per && e.span.end <= span.start)
            .find(near)
            .copied();
    }
    // An organisation by its kind: `the ministry` → `the Health Ministry`.
    if head.len() > 3 && head.chars().all(|c| c.is_ascii_lowercase()) {
        return names
            .iter()
            .rev()
            .filter(|e| {
                matches!(e.label, EntityLabel::Org | EntityLabel::Loc) && e.span.end <= span.start
            })
            .find(|e| e.text.to_lowercase().split_whitespace().any(|w| w == head))
            .copied();
    }
    None
}

/// The earliest, longest mention with the same label that ends with the
/// same words (`Blinken` → `Antony Blinken`).
fn full_name<'e>(names: &[&'e EntityMention], m: &'e EntityMention) -> &'e EntityMention {
    let last = m.text.split_whitespace().last().unwrap_or("");
    names
        .iter()
        .filter(|e| {
            e.label == m.label
                && e.span.start < m.span.start
                && e.text.len() > m.text.len()
                && (e.text.ends_with(&format!(" {}", m.text))
                    || (m.label == EntityLabel::Per
                        && e.text.split_whitespace().last() == Some(last)))
        })
        .max_by_key(|e| (e.text.len(), std::cmp::Reverse(e.span.start)))
        .copied()
        .unwrap_or(m)
}
