//! Who a statement is attributed to.
//!
//! Figures and events take attributions as plain spans ([`AttributionSpan`]),
//! so any attribution finder can feed them. When none covers a statement, a
//! small fallback reads the three commonest news frames itself: `X says …`,
//! `…, X said`, and `according to X`. The fallback exists so a figure's
//! claimant never depends on another component being present; it does not
//! try to be a full attribution model.

use serde::{Deserialize, Serialize};
use storyline_core::Span;

use super::words::{fold, in_timex, is_quote, sentence_words, Word};
use crate::attribution::Attribution;
use crate::sentence::Sentence;
use crate::timex::Timex;
use crate::token::Token;

/// A source and the content attributed to it, as byte spans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AttributionSpan {
    /// The source (`Gaza health authorities`); its text is the article's
    /// text there, looked up when a claimant is made rather than copied
    /// for every attribution (the lists live through events and figures).
    pub source: Span,
    /// The attributed content.
    pub content: Span,
    /// The cue (`say`), when known.
    pub cue: Option<Span>,
    /// The mention a pronoun or surname source stands for.
    pub resolved: Option<Span>,
}

/// The attributions of the attribution finder that name a source.
pub(crate) fn from_attributions(text: &str, given: &[Attribution]) -> Vec<AttributionSpan> {
    given
        .iter()
        .filter_map(|a| {
            let mut source = a.source?;
            let source_text = source.slice(text)?;
            // `Petra Novan, a spokeswoman for …`: the name, not the appositive.
            if let Some(cut) = [", a ", ", an ", ", the "]
                .iter()
                .filter_map(|p| source_text.find(p))
                .min()
            {
                source = Span::new(source.start, source.start + cut);
            }
            let content = a.content.slice(text)?;
            // `…, X said on Wednesday, as the government ordered …`: a
            // subordinate clause after the cue is the writer's, not X's.
            let first = fold(content.split_whitespace().next().unwrap_or(""));
            if a.content.start > a.cue.end
                && matches!(
                    first.as_str(),
                    "as" | "while" | "when" | "after" | "before" | "because" | "amid" | "since"
                )
            {
                return None;
            }
            Some(AttributionSpan {
                source,
                content: after_colon(text, a.content, a.cue),
                cue: Some(a.cue),
                resolved: a.resolved_source.filter(|r| r.slice(text).is_some()),
            })
        })
        .collect()
}

/// `Asked whether …, in which 1,200 were killed, Mr Herzog said: "…"`: a
/// cue that opens a colon or a quotation says only what follows it; what
/// stands before the source is the writer's framing.
fn after_colon(text: &str, content: Span, cue: Span) -> Span {
    // `When asked who should govern Gaza - home to 2.2 million people -,
    // Mr Netanyahu said only "…"`: a cue followed by a quotation (past at
    // most two words such as `only`) says the quotation, too.
    let opens_speech = |rest: &str| {
        let rest = rest.trim_start();
        rest.starts_with(':')
            || rest
                .split_whitespace()
                .take(3)
                .find(|w| !w.chars().all(char::is_lowercase))
                .is_some_and(|w| w.starts_with(['"', '“']))
    };
    let opens = text.get(cue.end..).is_some_and(opens_speech);
    if !opens || content.start >= cue.start {
        content
    } else {
        // Content found before the cue is the framing; after the colon,
        // when the finder took it too, is the speech.
        Span::new(cue.end, content.end.max(cue.end))
    }
}

/// A cue inside a quotation (`"We work according to the rules"`) speaks
/// only within it: its content is cut to the quotation.
fn within_quote(text: &str, content: Span, cue: Span) -> Span {
    let is_quote = |c: char| matches!(c, '"' | '“' | '”');
    let Some(before) = text.get(content.start..cue.start) else {
        return content;
    };
    let quotes: Vec<usize> = before
        .char_indices()
        .filter(|&(_, c)| is_quote(c))
        .map(|(i, _)| i)
        .collect();
    let Some(&open) = quotes.last().filter(|_| quotes.len() % 2 == 1) else {
        return content;
    };
    let start = content.start + open;
    let end = text
        .get(cue.end..content.end)
        .and_then(|rest| rest.find(is_quote))
        .map_or(content.end, |i| cue.end + i);
    Span::new(start, end.max(start))
}

/// Verb forms that introduce reported content.
pub(crate) fn is_cue(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "says"
            | "say"
            | "told"
            | "tells"
            | "added"
            | "adds"
            | "reported"
            | "reports"
            | "announced"
            | "announces"
            | "estimated"
            | "estimates"
            | "estimate"
            | "claimed"
            | "claims"
            | "claim"
            | "stated"
            | "states"
            | "insisted"
            | "insists"
            | "confirmed"
            | "confirms"
            | "believes"
            | "believe"
            | "noted"
            | "stressed"
            | "reiterated"
            | "counted"
            | "put"
    )
}

fn is_adverb_between(w: &str) -> bool {
    matches!(
        w,
        "also"
            | "has"
            | "have"
            | "had"
            | "later"
            | "earlier"
            | "previously"
            | "reportedly"
            | "separately"
            | "then"
            | "again"
            | "now"
            | "repeatedly"
            | "publicly"
            | "officially"
    )
}

/// Walks back from the cue at `c` over the source phrase; returns the first
/// word of the source and whether it opens the sentence (or follows a dash or
/// colon), which makes the frame preposed.
fn source_before(words: &[Word<'_>], c: usize, timexes: &[Timex]) -> Option<(usize, usize, bool)> {
    let mut end = c;
    // Drop adverbs and time phrases between source and cue: `Blinken on Friday said`.
    while let Some(prev) = end.checked_sub(1).and_then(|k| words.get(k)) {
        if is_adverb_between(&prev.lower) || in_timex(timexes, prev.span) {
            end -= 1;
            continue;
        }
        if matches!(prev.lower.as_str(), "on" | "in" | "at") && end < c {
            end -= 1;
            continue;
        }
        break;
    }
    let mut k = end;
    let mut depth = 0usize;
    let mut steps = 0;
    while k > 0 && steps < 14 {
        let w = &words[k - 1];
        if w.lower == ")" {
            depth += 1;
        } else if w.lower == "(" {
            if depth == 0 {
                break;
            }
            depth -= 1;
        } else if depth == 0
            && (w.lower == ","
                || w.lower == ";"
                || w.lower == ":"
                || w.lower == "-"
                || is_quote(&w.lower)
                || w.lower == "--"
                || matches!(
                    w.lower.as_str(),
                    "and" | "but" | "that" | "as" | "while" | "because" | "which" | "who" | "when"
                ))
        {
            break;
        }
        k -= 1;
        steps += 1;
    }
    if k >= end || steps >= 14 {
        return None;
    }
    let opens = k == 0
        || words
            .get(k - 1)
            .is_some_and(|w| matches!(w.lower.as_str(), "-" | "--" | ":" | ")"));
    Some((k, end, opens))
}

/// Finds attributions in the commonest frames, sentence by sentence.
pub(crate) fn fallback_attributions(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    timexes: &[Timex],
) -> Vec<AttributionSpan> {
    let mut out = Vec::new();
    for s in sentences {
        let words = sentence_words(text, tokens, s);
        if words.is_empty() {
            continue;
        }
        let sent_end = words.last().map_or(s.span.end, |w| w.span.end);
        let sent_start = words[0].span.start;
        // `according to X`
        for i in 0..words.len() {
            if words[i].lower == "according" && words.get(i + 1).is_some_and(|w| w.lower == "to") {
                let mut j = i + 2;
                while j < words.len()
                    && !matches!(words[j].lower.as_str(), "," | "." | ";" | ":")
                    && !is_quote(&words[j].lower)
                {
                    j += 1;
                }
                if j > i + 2 {
                    let source = Span::new(words[i + 2].span.start, words[j - 1].span.end);
                    // `…, and according to X, 91 were killed there`: after a
                    // conjunction that opens a clause, the phrase is preposed
                    // to that clause and speaks for what follows its comma.
                    let clause_initial = i > 0
                        && matches!(
                            words[i - 1].lower.as_str(),
                            "and" | "but" | "while" | "whereas" | ";"
                        )
                        && words.get(j).is_some_and(|w| w.lower == ",");
                    let content = if i == 0 || clause_initial {
                        Span::new(words.get(j).map_or(sent_end, |w| w.span.end), sent_end)
                    } else {
                        Span::new(sent_start, words[i].span.start)
                    };
                    push(&mut out, text, source, content, words[i].span);
                }
            }
        }
        for c in 0..words.len() {
            if !is_cue(&words[c].lower) {
                continue;
            }
            // `put the toll at` only counts with `put`: skip bare `put`.
            // A capitalised cue inside a sentence is a name's word (`the
            // United States`), not a verb.
            if words[c].lower == "put" || (c > 0 && words[c].is_capitalised()) {
                continue;
            }
            // `Petra Novan, a spokeswoman for the Ministry of Health, told`:
            // the name before the appositive is the source.
            if c > 0 && words[c - 1].lower == "," {
                if let Some((name_a, name_b)) = name_before_appositive(&words, c - 1) {
                    let source = Span::new(words[name_a].span.start, words[name_b - 1].span.end);
                    let mut content_end = name_a;
                    while content_end > 0
                        && (words[content_end - 1].lower == ","
                            || is_quote(&words[content_end - 1].lower))
                    {
                        content_end -= 1;
                    }
                    let content = if content_end == 0 {
                        let k = (c + 1).min(words.len() - 1);
                        Span::new(words[k].span.start, sent_end)
                    } else {
                        Span::new(sent_start, words[content_end - 1].span.end)
                    };
                    push(&mut out, text, source, content, words[c].span);
                    continue;
                }
            }
            let Some((a, b, opens)) = source_before(&words, c, timexes) else {
                // Inverted: `…, said Petra Novan.`
                if c > 0 && words[c - 1].lower == "," {
                    let mut j = c + 1;
                    while j < words.len() && words[j].is_capitalised() && j < c + 6 {
                        j += 1;
                    }
                    if j > c + 1 {
                        let source = Span::new(words[c + 1].span.start, words[j - 1].span.end);
                        let content = Span::new(sent_start, words[c - 1].span.start);
                        push(&mut out, text, source, content, words[c].span);
                    }
                }
                continue;
            };
            if b == 0 || a >= b {
                continue;
            }
            let mut src_a = a;
            let src_b = b;
            if opens {
                // Preposed: content runs from after the cue to the end.
                let mut k = c + 1;
                while k < words.len()
                    && (words[k].lower == "that"
                        || in_timex(timexes, words[k].span)
                        || matches!(words[k].lower.as_str(), "on" | "in" | "at")
                            && words.get(k + 1).is_some_and(|w| in_timex(timexes, w.span)))
                {
                    k += 1;
                }
                let Some(first) = words.get(k) else { continue };
                let source = Span::new(words[src_a].span.start, words[src_b - 1].span.end);
                let content = Span::new(first.span.start, sent_end);
                push(&mut out, text, source, content, words[c].span);
            } else {
                // Postposed: `…, the health ministry said`; an appositive
                // (`Petra Novan, a spokeswoman for …, told`) gives the name.
                let boundary = src_a.saturating_sub(1);
                let mut content_end = boundary;
                if words[boundary].lower == "," && boundary > 0 {
                    let mut k = boundary;
                    let mut name_words = 0;
                    while k > 0 && words[k - 1].is_capitalised() && name_words < 4 {
                        k -= 1;
                        name_words += 1;
                    }
                    let appositive_head = words.get(src_a).is_some_and(|w| {
                        matches!(w.lower.as_str(), "a" | "an" | "the") && !w.is_capitalised()
                    });
                    if name_words > 0
                        && appositive_head
                        && k > 0
                        && (words[k - 1].lower == "," || is_quote(&words[k - 1].lower))
                    {
                        src_a = k;
                        content_end = k - 1;
                        let source =
                            Span::new(words[src_a].span.start, words[boundary - 1].span.end);
                        let content = Span::new(sent_start, words[content_end].span.start);
                        push(&mut out, text, source, content, words[c].span);
                        continue;
                    }
                }
                // Skip a closing quote before the comma: `…,” X said`.
                while content_end > 0
                    && (words[content_end].lower == "," || is_quote(&words[content_end].lower))
                {
                    content_end -= 1;
                }
                if content_end == 0 {
                    continue;
                }
                let source = Span::new(words[src_a].span.start, words[src_b - 1].span.end);
                let content = Span::new(sent_start, words[content_end].span.end);
                push(&mut out, text, source, content, words[c].span);
            }
        }
    }
    out
}

fn push(out: &mut Vec<AttributionSpan>, text: &str, source: Span, content: Span, cue: Span) {
    let Some(src) = source.slice(text) else {
        return;
    };
    if content.is_empty() || src.trim().is_empty() {
        return;
    }
    // A source starts like a noun phrase: a capital, a determiner or a pronoun.
    let first = fold(src.split_whitespace().next().unwrap_or(""));
    let ok = src.chars().next().is_some_and(char::is_uppercase)
        || matches!(
            first.as_str(),
            "the"
                | "a"
                | "an"
                | "he"
                | "she"
                | "they"
                | "it"
                | "we"
                | "police"
                | "officials"
                | "its"
                | "his"
                | "her"
                | "their"
                | "witnesses"
                | "residents"
                | "local"
        );
    if !ok {
        return;
    }
    let content = within_quote(text, after_colon(text, content, cue), cue);
    out.push(AttributionSpan {
        source,
        content,
        cue: Some(cue),
        resolved: None,
    });
}

/// Attributions ordered by where their content starts, so that finding the
/// ones whose content holds a span looks only at contents that start close
/// enough before it to reach it (no content is longer than `longest`),
/// rather than at every attribution of the article for every figure.
pub(crate) struct ByContent<'a> {
    list: &'a [AttributionSpan],
    /// Indices into `list`, by content start.
    order: Vec<usize>,
    longest: usize,
}

impl<'a> ByContent<'a> {
    pub(crate) fn new(list: &'a [AttributionSpan]) -> ByContent<'a> {
        let mut order: Vec<usize> = (0..list.len()).collect();
        order.sort_by_key(|&i| (list[i].content.start, i));
        let longest = list.iter().map(|a| a.content.len()).max().unwrap_or(0);
        ByContent {
            list,
            order,
            longest,
        }
    }

    /// Those whose content may hold `span`, in no particular order, each
    /// with its index in the list.
    fn around(&self, span: Span) -> impl Iterator<Item = (usize, &'a AttributionSpan)> + '_ {
        let hi = self
            .order
            .partition_point(|&i| self.list[i].content.start <= span.start);
        let lo_start = span.end.saturating_sub(self.longest);
        self.order[..hi]
            .iter()
            .rev()
            .take_while(move |&&i| self.list[i].content.start >= lo_start)
            .map(|&i| (i, &self.list[i]))
    }
}

/// The attribution whose content holds `span`: the given ones first, then the
/// fallback's; the narrowest content wins (the first in the list of those
/// as narrow).
pub(crate) fn claimant_of<'a>(
    given: &ByContent<'a>,
    fallback: &ByContent<'a>,
    span: Span,
) -> Option<&'a AttributionSpan> {
    let pick = |list: &ByContent<'a>| {
        list.around(span)
            .filter(|(_, a)| a.content.start <= span.start && span.end <= a.content.end)
            .filter(|(_, a)| !(a.source.start < span.end && span.start < a.source.end))
            // `…, the ministry said, as the government ordered thousands …`:
            // what follows a postposed source and cue is the writer's.
            .filter(|(_, a)| {
                let postposed = a.content.start < a.source.start;
                let cue_end = a.cue.map_or(a.source.end, |c| c.end.max(a.source.end));
                !(postposed && span.start >= cue_end)
            })
            .min_by_key(|(i, a)| (a.content.len(), *i))
            .map(|(_, a)| a)
    };
    match (pick(given), pick(fallback)) {
        // `X says … and according to Y, 91 were killed`: Y's statement sits
        // inside X's, source and all; the nearer source is whose count it is.
        // Only a preposed Y: in `X said 20 died, according to the latest
        // figures` the postposed phrase qualifies X's own statement.
        (Some(g), Some(f))
            if g.content.start <= f.source.start
                && f.source.end <= g.content.end
                && f.source.end <= f.content.start
                && f.content.len() < g.content.len() =>
        {
            Some(f)
        }
        // The fallback's phrase is longer when the finder clipped it
        // (`Health` for `The Ministry of Health`).
        (Some(g), Some(f))
            if g.cue == f.cue
                && f.source.start <= g.source.start
                && g.source.end <= f.source.end
                && g.resolved.is_none() =>
        {
            Some(f)
        }
        (Some(g), _) => Some(g),
        (None, f) => f,
    }
}

/// For an appositive closed by the comma at `close`, the capitalised name
/// before the comma that opens it: `(first, one past last)`.
fn name_before_appositive(words: &[Word<'_>], close: usize) -> Option<(usize, usize)> {
    let open = (close.saturating_sub(12)..close)
        .rev()
        .find(|&k| words[k].lower == ",")?;
    let head = words.get(open + 1)?;
    if !matches!(head.lower.as_str(), "a" | "an" | "the") && head.is_capitalised() {
        return None;
    }
    let mut k = open;
    while k > 0 && words[k - 1].is_capitalised() && open - k < 4 {
        k -= 1;
    }
    if k == open {
        return None;
    }
    let before_ok = k == 0 || words[k - 1].lower == "," || is_quote(&words[k - 1].lower);
    before_ok.then_some((k, open))
}
