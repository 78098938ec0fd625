//! A per-sentence word view shared by figures and events: token text, a
//! folded lower-case form, and small closed-class tests the heuristics stop at.

use storyline_core::Span;

use crate::ner::EntityMention;
use crate::sentence::Sentence;
use crate::timex::Timex;
use crate::token::{Token, TokenKind};

/// One token of a sentence, with its folded form.
#[derive(Clone, Debug)]
pub(crate) struct Word<'t> {
    /// The text as written.
    pub text: &'t str,
    /// Lower case, curly apostrophes and dashes folded.
    pub lower: String,
    /// Where it is.
    pub span: Span,
    /// Token kind.
    pub kind: TokenKind,
}

impl Word<'_> {
    /// Whether the word starts with an upper-case letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Whether the word is punctuation.
    pub fn is_punct(&self) -> bool {
        matches!(self.kind, TokenKind::Punct | TokenKind::Symbol)
    }
}

/// Folds a token to the form the word lists use.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => {
                out.push('"')
            }
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The words of one sentence, skipping tokens whose indices fall outside `tokens`.
pub(crate) fn sentence_words<'t>(text: &'t str, tokens: &[Token], s: &Sentence) -> Vec<Word<'t>> {
    let end = s.tokens.end.min(tokens.len());
    let start = s.tokens.start.min(end);
    tokens[start..end]
        .iter()
        .filter_map(|t| {
            let w = t.span.slice(text)?;
            Some(Word {
                text: w,
                lower: fold(w),
                span: t.span,
                kind: t.kind,
            })
        })
        .collect()
}

/// The span from word `a` to word `b` inclusive.
pub(crate) fn join(words: &[Word<'_>], a: usize, b: usize) -> Option<Span> {
    let (x, y) = (words.get(a)?, words.get(b)?);
    (x.span.start <= y.span.end).then(|| Span::new(x.span.start, y.span.end))
}

/// Whether the lower-case words starting at `i` are `phrase` (space separated).
pub(crate) fn matches_at(words: &[Word<'_>], i: usize, phrase: &str) -> bool {
    let mut k = i;
    for p in phrase.split(' ') {
        match words.get(k) {
            Some(w) if w.lower == p => k += 1,
            _ => return false,
        }
    }
    true
}

/// Whether the words ending just before `end` are `phrase`; returns the start index.
pub(crate) fn ends_before(words: &[Word<'_>], end: usize, phrase: &str) -> Option<usize> {
    let n = phrase.split(' ').count();
    let start = end.checked_sub(n)?;
    matches_at(words, start, phrase).then_some(start)
}

/// Closing or opening quotation marks.
pub(crate) fn is_quote(w: &str) -> bool {
    matches!(
        w,
        "\"" | "'"
            | "\u{201C}"
            | "\u{201D}"
            | "\u{2018}"
            | "\u{2019}"
            | "\u{00AB}"
            | "\u{00BB}"
            | "``"
            | "''"
    )
}

/// Function words that end a noun phrase.
pub(crate) fn is_function_word(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "of"
            | "in"
            | "on"
            | "at"
            | "to"
            | "for"
            | "from"
            | "by"
            | "with"
            | "into"
            | "onto"
            | "since"
            | "during"
            | "after"
            | "before"
            | "across"
            | "near"
            | "toward"
            | "towards"
            | "against"
            | "over"
            | "under"
            | "and"
            | "or"
            | "but"
            | "nor"
            | "as"
            | "than"
            | "that"
            | "which"
            | "who"
            | "whom"
            | "whose"
            | "where"
            | "when"
            | "while"
            | "because"
            | "if"
            | "unless"
            | "until"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "being"
            | "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "could"
            | "should"
            | "can"
            | "may"
            | "might"
            | "must"
            | "do"
            | "does"
            | "did"
            | "not"
            | "said"
            | "say"
            | "says"
            | "told"
            | "there"
            | "here"
            | "it"
            | "its"
            | "they"
            | "them"
            | "their"
            | "he"
            | "she"
            | "his"
            | "her"
            | "we"
            | "our"
            | "this"
            | "these"
            | "those"
            | "all"
            | "each"
            | "every"
            | "per"
            | "also"
            | "still"
            | "now"
            | "so"
            | "many"
            | "more"
            | "most"
            | "mostly"
            | "including"
            | "among"
            | "between"
            | "within"
            | "without"
            | "about"
            | "around"
            | "through"
            | "up"
            | "out"
            | "off"
            | "down"
    )
}

/// A location mention usable as a place: an entity or a generic locative
/// phrase (`the south`, `the enclave`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PlaceCand {
    pub span: Span,
    pub text: String,
    /// Preceded by a locative preposition (`in`, `across`, `near`).
    pub locative: bool,
    /// Preceded by `from`: where someone or something came from (`gunmen
    /// from Gaza`), which is where a count happened only for what moves.
    pub origin: bool,
    /// A generic place noun (`the north`, `the area`), not a name.
    pub generic: bool,
}

/// Whether word `i` (a name, or `the` before one) follows `of` after a
/// part of a place that a locative preposition opens: `in other parts of
/// X`, `across much of X`, `in the north of X`.
fn part_of_place(words: &[Word<'_>], i: usize) -> bool {
    let i = if i > 0 && words[i - 1].lower == "the" {
        i - 1
    } else {
        i
    };
    if i < 2 || words[i - 1].lower != "of" {
        return false;
    }
    let noun = &words[i - 2].lower;
    if !super::frame::is_place_part(noun) && !super::frame::is_place_noun(noun) {
        return false;
    }
    (i.saturating_sub(5)..i - 2).any(|k| is_locative_prep(&words[k].lower))
}

/// Whether the name ending at byte `end` is the possessor or premodifier
/// of an act (`Israel's operations`, `Israel's ground offensive`): the
/// act's actor, not where a count happened. Up to two modifiers may stand
/// between (`air`, `retaliatory`).
fn actor_of_act(words: &[Word<'_>], end: usize) -> bool {
    let Some(k) = words.iter().position(|w| w.span.start >= end) else {
        return false;
    };
    // Only a possessive: a bare premodifier is as often the target
    // (`Gaza strikes`) as the actor.
    if !words
        .get(k)
        .is_some_and(|w| matches!(w.lower.as_str(), "'s" | "’s" | "'"))
    {
        return false;
    }
    let k = k + 1;
    (k..(k + 3).min(words.len()))
        .take_while(|&j| !words[j].is_capitalised() && words[j].kind == TokenKind::Word)
        .any(|j| super::frame::is_act_noun(&words[j].lower))
}

fn is_locative_prep(w: &str) -> bool {
    // The target of an assault is where it happened: `raided Israel`,
    // `attacked southern Israel`.
    if crate::events::is_assault_verb(w) {
        return true;
    }
    matches!(
        w,
        "in" | "across"
            | "near"
            | "inside"
            | "throughout"
            | "through"
            | "around"
            | "at"
            | "into"
            | "on"
            | "entered"
            | "reached"
            | "reach"
            | "enter"
            | "to"
            | "toward"
            | "towards"
            | "from"
    )
}

/// Place candidates in a sentence: LOC entities (widened over a compass
/// adjective, `southern Lebanon`) and `the <generic place>` phrases.
pub(crate) fn place_candidates(
    text: &str,
    words: &[Word<'_>],
    entities: &[EntityMention],
) -> Vec<PlaceCand> {
    let mut out = Vec::new();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return out;
    };
    let index_of = |pos: usize| words.iter().position(|w| w.span.start == pos);
    for e in entities {
        if e.label == crate::ner::EntityLabel::Per || e.demonym {
            continue;
        }
        if e.span.start < first.span.start || e.span.end > last.span.end {
            continue;
        }
        let Some(mut i) = index_of(e.span.start) else {
            continue;
        };
        // Organisations and other names count as places only after `in`:
        // the tagger often calls `Veyra Province` something else; but a
        // name before an act is its actor (`in Hamas attacks`).
        if e.label != crate::ner::EntityLabel::Loc
            && !(i > 0
                && matches!(
                    words[i - 1].lower.as_str(),
                    "in" | "across" | "near" | "throughout"
                )
                && !words
                    .iter()
                    .find(|w| w.span.start >= e.span.end)
                    .is_some_and(|w| super::frame::is_act_noun(&w.lower)))
        {
            continue;
        }
        let mut start = e.span.start;
        if i > 0 && super::frame::is_compass(&words[i - 1].lower) {
            i -= 1;
            start = words[i].span.start;
        }
        let span = Span::new(start, e.span.end);
        // `in the occupied West Bank`: one participle may stand between
        // `the` and the name (only after `the`: `militants attacked
        // Israel` is no locative, and hyphenated modifiers such as
        // `Hamas-run` name a body's owner, not a place).
        let mut p = i;
        if p > 2 && words[p - 2].lower == "the" && {
            let w = &words[p - 1];
            w.text.starts_with(|c: char| c.is_ascii_lowercase()) && w.lower.ends_with("ed")
        } {
            p -= 1;
        }
        let prep = if p > 1 && words[p - 1].lower == "the" {
            Some(words[p - 2].lower.as_str())
        } else {
            p.checked_sub(1).map(|k| words[k].lower.as_str())
        };
        let locative = (prep.is_some_and(is_locative_prep) || part_of_place(words, i))
            && !actor_of_act(words, e.span.end);
        let origin = prep == Some("from");
        // `communities near the Gaza Strip`, `a town outside Kyiv`: a
        // landmark, which the place described is not in.
        if prep.is_some_and(super::frame::is_landmark_prep) {
            continue;
        }
        let (start, span) = if i > 0 && words[i - 1].lower == "the" {
            let st = words[i - 1].span.start;
            (st, Span::new(st, e.span.end))
        } else {
            (start, span)
        };
        let _ = start;
        out.push(PlaceCand {
            span,
            text: span.slice(text).unwrap_or("").to_string(),
            locative,
            origin,
            generic: false,
        });
    }
    // `in Veyra Province`: a capitalised run after `in` that the tagger missed.
    for i in 1..words.len() {
        if !matches!(
            words[i - 1].lower.as_str(),
            "in" | "across" | "near" | "throughout" | "through"
        ) && !part_of_place(words, i)
        {
            continue;
        }
        let mut j = i;
        while j < words.len()
            && j < i + 4
            && words[j].is_capitalised()
            && words[j].kind == TokenKind::Word
        {
            j += 1;
        }
        if j == i || super::lexicon::is_month(&words[i].lower) || is_weekday(&words[i].lower) {
            continue;
        }
        // `villages near Gaza` names a landmark, as `near the Gaza Strip`
        // does above.
        if super::frame::is_landmark_prep(&words[i - 1].lower) {
            continue;
        }
        // `killed in Hamas attacks`: a name before an act is its actor.
        if words
            .get(j)
            .is_some_and(|w| super::frame::is_act_noun(&w.lower))
        {
            continue;
        }
        // `in Israeli air strikes`: a nationality is no place.
        if j == i + 1 && crate::ner::is_demonym(words[i].text) {
            continue;
        }
        if actor_of_act(words, words[j - 1].span.end) {
            continue;
        }
        let Some(span) = join(words, i, j - 1) else {
            continue;
        };
        if out
            .iter()
            .any(|p| p.span.start < span.end && span.start < p.span.end)
        {
            continue;
        }
        out.push(PlaceCand {
            span,
            text: span.slice(text).unwrap_or("").to_string(),
            locative: true,
            origin: false,
            generic: false,
        });
    }
    for i in 0..words.len() {
        if words[i].lower != "the" {
            continue;
        }
        let mut j = i + 1;
        if words
            .get(j)
            .is_some_and(|w| super::frame::is_compass(&w.lower))
            && words
                .get(j + 1)
                .is_some_and(|w| super::frame::is_place_noun(&w.lower))
        {
            j += 1;
        }
        let Some(head) = words.get(j) else { continue };
        if !super::frame::is_place_noun(&head.lower) {
            continue;
        }
        // `the Gaza Strip` is an entity; `the south of Gaza` keeps `the south`.
        let Some(span) = join(words, i, j) else {
            continue;
        };
        if out
            .iter()
            .any(|p| p.span.start <= span.end && span.start <= p.span.end)
        {
            continue;
        }
        let locative = i > 0 && is_locative_prep(&words[i - 1].lower);
        out.push(PlaceCand {
            span,
            text: span.slice(text).unwrap_or("").to_string(),
            locative,
            origin: i > 0 && words[i - 1].lower == "from",
            generic: true,
        });
    }
    out.sort_by_key(|p| p.span.start);
    out
}

/// The date or time expression of a sentence nearest to `at`, if any;
/// durations and recurrences are not dates.
pub(crate) fn nearest_timex(timexes: &[Timex], sentence: Span, at: Span) -> Option<&Timex> {
    use crate::timex::TimexType;
    timexes
        .iter()
        .filter(|t| matches!(t.kind, TimexType::Date | TimexType::Time))
        .filter(|t| t.span.start >= sentence.start && t.span.end <= sentence.end)
        .min_by_key(|t| {
            if t.span.end <= at.start {
                at.start - t.span.end
            } else {
                t.span.start.saturating_sub(at.end)
            }
        })
}

/// Whether a span overlaps any time expression.
pub(crate) fn in_timex(timexes: &[Timex], span: Span) -> bool {
    timexes
        .iter()
        .any(|t| t.span.start < span.end && span.start < t.span.end)
}

fn is_weekday(w: &str) -> bool {
    matches!(
        w,
        "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday"
    )
}
