//! Resolving a source as written (`he`, `who`, `Blinken`, `the top
//! diplomat`) to the entity mention that names it in full.
//!
//! Deliberately local and cheap: the nearest compatible preceding mention,
//! then the longest earlier mention of the same name. Cross-document actor
//! merging happens later, in linking.

use std::collections::HashMap;
use std::ops::Range;

use storyline_core::Span;

use super::lexicon::{self, PronounKind};
use super::rules::{Ctx, Found, SourceForm};
use crate::mentions::Mentions;
use crate::ner::{EntityLabel, EntityMention};

/// The most spaces a name suffix may hold to be indexed for
/// [`full_name`]; a longer source name (none in real text) is looked up
/// by a scan.
const MAX_SUFFIX_SPACES: usize = 15;

/// The mentions a source can resolve to (every entity mention but
/// demonyms, within the text), with the indexes that answer each question
/// below without a scan of the article's mentions per attribution. Built
/// once per article.
pub(crate) struct Names<'e> {
    list: Vec<&'e EntityMention>,
    index: Mentions,
    /// Persons by each title noun within their window (see [`title`]),
    /// in list order.
    titled: HashMap<String, Vec<usize>>,
    /// Organisations and places by each lower-case word of their name,
    /// in list order.
    org_words: HashMap<String, Vec<usize>>,
    /// Persons by last word, and other names by each suffix that follows
    /// a space, each with the best (longest, then earliest) of every
    /// prefix (see [`full_name`]).
    fuller: HashMap<(EntityLabel, &'e str), Fuller>,
}

/// One bucket of [`Names::fuller`]: indices into the list in list order,
/// and at each position the best of the bucket up to it.
#[derive(Default)]
struct Fuller {
    members: Vec<usize>,
    best: Vec<usize>,
}

impl<'e> Names<'e> {
    pub(crate) fn new(ctx: &Ctx<'e>, entities: &'e [EntityMention]) -> Names<'e> {
        let list: Vec<&EntityMention> = entities
            .iter()
            .filter(|e| !e.demonym && e.span.slice(ctx.text).is_some())
            .collect();
        let index = Mentions::new(list.iter().map(|e| (e.span, e.label)));
        let mut titled: HashMap<String, Vec<usize>> = HashMap::new();
        let mut org_words: HashMap<String, Vec<usize>> = HashMap::new();
        let mut fuller: HashMap<(EntityLabel, &str), Fuller> = HashMap::new();
        let push = |v: &mut Vec<usize>, k: usize| {
            if v.last() != Some(&k) {
                v.push(k);
            }
        };
        for (k, e) in list.iter().enumerate() {
            match e.label {
                EntityLabel::Per => {
                    let lo = e.tokens.start.saturating_sub(4);
                    let hi = (e.tokens.end + 7).min(ctx.lower.len());
                    for i in (lo..e.tokens.start).chain(e.tokens.end..hi) {
                        if let Some(w) = ctx.lower.get(i).filter(|w| lexicon::is_title_noun(w)) {
                            push(titled.entry(w.to_string()).or_default(), k);
                        }
                    }
                    if let Some(last) = e.text.split_whitespace().last() {
                        fuller.entry((e.label, last)).or_default().members.push(k);
                    }
                }
                EntityLabel::Org | EntityLabel::Loc => {
                    for w in e.text.to_lowercase().split_whitespace() {
                        push(org_words.entry(w.to_string()).or_default(), k);
                    }
                }
                EntityLabel::Misc => {}
            }
            if e.label != EntityLabel::Per {
                let spaces: Vec<usize> = e.text.match_indices(' ').map(|(i, _)| i).collect();
                for (n, &at) in spaces.iter().rev().enumerate() {
                    if n > MAX_SUFFIX_SPACES {
                        break;
                    }
                    let suffix = &e.text[at + 1..];
                    fuller.entry((e.label, suffix)).or_default().members.push(k);
                }
            }
        }
        for f in fuller.values_mut() {
            let mut best: Option<usize> = None;
            for &k in &f.members {
                let key = |k: usize| (list[k].text.len(), std::cmp::Reverse(list[k].span.start));
                // Ties go to the later one, as `Iterator::max_by_key` does.
                if best.is_none_or(|b| key(k) >= key(b)) {
                    best = Some(k);
                }
                f.best.push(best.unwrap_or(k));
            }
        }
        Names {
            list,
            index,
            titled,
            org_words,
            fuller,
        }
    }
}

/// The mention `f`'s source stands for, if one can be found.
pub(crate) fn resolve(ctx: &Ctx<'_>, f: &Found, names: &Names<'_>) -> Option<Span> {
    let mention = match &f.form {
        SourceForm::Unnamed => None,
        SourceForm::Inherited(src) => {
            let src = src.clone()?;
            let span = ctx.span(src.clone())?;
            inside(names, span).or_else(|| nearest_before(names, span.start, &[EntityLabel::Per]))
        }
        SourceForm::Pronoun(kind) => {
            let src = f.source.clone()?;
            let span = ctx.span(src.clone())?;
            pronoun(ctx, names, *kind, src, span)
        }
        SourceForm::Phrase => {
            let src = f.source.clone()?;
            let span = ctx.span(src.clone())?;
            speaker_inside(ctx.text, names, span).or_else(|| title(ctx, names, src, span))
        }
    }?;
    Some(full_name(names, mention).span)
}

/// The last name mention inside `span` (the head of `Trump's spokesman` is
/// the spokesman, but the name is all there is to link).
fn inside<'e>(names: &Names<'e>, span: Span) -> Option<&'e EntityMention> {
    names.list[names.index.starting_in(span.start, span.end)]
        .iter()
        .rev()
        .find(|e| e.span.start >= span.start && e.span.end <= span.end)
        .copied()
}

/// [`inside`], passing over a name that only says where the speaker is
/// (`Rushdi Abualouf in Khan Younis`; `a doctor living in Leeds` names no
/// speaker): the last mention not right after `in`, `from` or `near`.
fn speaker_inside<'e>(text: &str, names: &Names<'e>, span: Span) -> Option<&'e EntityMention> {
    let located = |e: &EntityMention| {
        let before = text.get(span.start..e.span.start).unwrap_or_default();
        let last = before.split_whitespace().next_back().unwrap_or_default();
        matches!(last, "in" | "from" | "near")
    };
    names.list[names.index.starting_in(span.start, span.end)]
        .iter()
        .rev()
        .find(|e| e.span.start >= span.start && e.span.end <= span.end && !located(e))
        .copied()
}

/// The nearest mention with one of `labels` ending before `pos`.
fn nearest_before<'e>(
    names: &Names<'e>,
    pos: usize,
    labels: &[EntityLabel],
) -> Option<&'e EntityMention> {
    // The last of each label, then the last of those: what a scan of the
    // whole list from its end finds first.
    labels
        .iter()
        .filter_map(|&l| {
            let of_label = names.index.ending_by(names.index.with_label(l), pos);
            of_label.iter().rev().copied().find(|&k| {
                let e = names.list[k];
                e.span.end <= pos && labels.contains(&e.label)
            })
        })
        .max()
        .map(|k| names.list[k])
}

fn pronoun<'e>(
    ctx: &Ctx<'_>,
    names: &Names<'e>,
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
            let end = before.span.end;
            names.list[names.index.ending_in(end, end)]
                .iter()
                .rev()
                .find(|e| e.span.end == end)
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
    names: &Names<'e>,
    src: Range<usize>,
    span: Span,
) -> Option<&'e EntityMention> {
    let head = ctx.lower.get(src.end.checked_sub(1)?)?;
    // The candidates come from an index by the head word; the test on each
    // is the whole rule, so the index only spares looking at the rest.
    let last_of = |list: Option<&Vec<usize>>, test: &dyn Fn(&EntityMention) -> bool| {
        let list = list.map_or(&[][..], Vec::as_slice);
        names
            .index
            .ending_by(list, span.start)
            .iter()
            .rev()
            .map(|&k| names.list[k])
            .find(|e| test(e))
    };
    if lexicon::is_title_noun(head) {
        let near = |e: &EntityMention| {
            let lo = e.tokens.start.saturating_sub(4);
            let hi = (e.tokens.end + 7).min(ctx.lower.len());
            (lo..e.tokens.start)
                .chain(e.tokens.end..hi)
                .any(|i| ctx.lower.get(i).is_some_and(|w| w == head))
        };
        return last_of(names.titled.get(head), &|e| {
            e.label == EntityLabel::Per && e.span.end <= span.start && near(e)
        });
    }
    // An organisation by its kind: `the ministry` → `the Health Ministry`.
    if head.len() > 3 && head.chars().all(|c| c.is_ascii_lowercase()) {
        return last_of(names.org_words.get(head), &|e| {
            matches!(e.label, EntityLabel::Org | EntityLabel::Loc)
                && e.span.end <= span.start
                && e.text.to_lowercase().split_whitespace().any(|w| w == head)
        });
    }
    None
}

/// The earliest, longest mention with the same label that ends with the
/// same words (`Blinken` → `Antony Blinken`).
fn full_name<'e>(names: &Names<'e>, m: &'e EntityMention) -> &'e EntityMention {
    let last = m.text.split_whitespace().last().unwrap_or("");
    let qualifies = |e: &EntityMention| {
        e.label == m.label
            && e.span.start < m.span.start
            && e.text.len() > m.text.len()
            && (e.text.ends_with(&format!(" {}", m.text))
                || (m.label == EntityLabel::Per && e.text.split_whitespace().last() == Some(last)))
    };
    // A person's fuller names all end with its last word (a name ending in
    // ` Blinken` ends with the word `Blinken`); any other's are those
    // with `m`'s text as a suffix after a space. Every candidate is in
    // the bucket, so the best of the bucket before `m` is the answer when
    // it qualifies at all (the longest of those that qualify is longer
    // than `m`, as is every one that does).
    let key = if m.label == EntityLabel::Per {
        Some(last)
    } else if m.text.matches(' ').count() <= MAX_SUFFIX_SPACES {
        Some(m.text.as_str())
    } else {
        None
    };
    let indexed =
        names.index.is_ordered() && m.text.chars().last().is_some_and(|c| !c.is_whitespace());
    if let (true, Some(key)) = (indexed, key) {
        let Some(f) = names.fuller.get(&(m.label, key)) else {
            return m;
        };
        let before = names.index.starting_before(&f.members, m.span.start).len();
        return before
            .checked_sub(1)
            .and_then(|p| f.best.get(p))
            .map(|&k| names.list[k])
            .filter(|e| qualifies(e))
            .unwrap_or(m);
    }
    names
        .list
        .iter()
        .filter(|e| qualifies(e))
        .max_by_key(|e| (e.text.len(), std::cmp::Reverse(e.span.start)))
        .copied()
        .unwrap_or(m)
}
