//! Sentence splitting over tokens.
//!
//! Rule-based and deliberately conservative inside a paragraph: a wrong split
//! cuts a quote or a claim in two, which later stages cannot repair, while a
//! missed split only makes one sentence longer. Every newline ends a sentence,
//! because ingest guarantees paragraphs are separated by newlines.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use storyline_core::Span;

use crate::token::{is_abbreviation, is_title_abbreviation, Token, TokenKind};

/// One sentence: its span in the text and the tokens it holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sentence {
    /// From the first token's start to the last token's end.
    pub span: Span,
    /// Indices into the token slice the sentence was split from.
    pub tokens: Range<usize>,
}

/// Capitalised words that, after an abbreviation such as `U.S.`, signal a new
/// sentence rather than a name (`in the U.S. He said` vs `the U.S. Embassy`).
const STARTERS: &[&str] = &[
    "a",
    "after",
    "all",
    "also",
    "although",
    "an",
    "and",
    "as",
    "at",
    "because",
    "before",
    "both",
    "but",
    "by",
    "during",
    "each",
    "earlier",
    "for",
    "from",
    "he",
    "her",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "last",
    "later",
    "many",
    "meanwhile",
    "most",
    "my",
    "no",
    "not",
    "now",
    "on",
    "one",
    "our",
    "she",
    "since",
    "so",
    "some",
    "still",
    "such",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "to",
    "today",
    "we",
    "what",
    "when",
    "where",
    "while",
    "who",
    "why",
    "with",
    "yesterday",
    "yet",
    "you",
];

fn is_starter(word: &str) -> bool {
    word.len() <= 10
        && STARTERS
            .binary_search(&word.to_ascii_lowercase().as_str())
            .is_ok()
}

fn is_bullet(tok: &str) -> bool {
    matches!(
        tok,
        "\u{2022}" | "\u{25AA}" | "\u{25E6}" | "\u{2023}" | "\u{25CF}" | "\u{25A0}"
    )
}

fn is_closing(tok: &str) -> bool {
    matches!(
        tok,
        "\u{201D}" | "\u{2019}" | "\"" | "'" | ")" | "]" | "}" | "\u{00BB}" | "\u{203A}"
    )
}

fn is_opening_quote(tok: &str) -> bool {
    matches!(
        tok,
        "\u{201C}" | "\u{2018}" | "\"" | "'" | "(" | "[" | "\u{00AB}" | "\u{2039}"
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Terminal {
    /// `.`, `?`, `!`, `?!`.
    Full,
    /// `...` or `…`.
    Ellipsis,
    /// A word with its period (`U.S.`, `Inc.`).
    Abbreviation,
    /// A title or initial (`Mr.`, `J.`): never ends a sentence.
    Title,
}

fn terminal(tok: &str) -> Option<Terminal> {
    if tok == "." || tok.chars().all(|c| matches!(c, '?' | '!')) && !tok.is_empty() {
        return Some(Terminal::Full);
    }
    if tok == "\u{2026}" || (tok.len() >= 2 && tok.bytes().all(|b| b == b'.')) {
        return Some(Terminal::Ellipsis);
    }
    if tok.ends_with('.') && tok.len() > 1 {
        if is_title_abbreviation(tok) {
            return Some(Terminal::Title);
        }
        if is_abbreviation(tok) {
            return Some(Terminal::Abbreviation);
        }
        return Some(Terminal::Full);
    }
    None
}

/// Splits tokenised text into sentences, in order, non-overlapping, covering every token.
pub fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let n = tokens.len();
    let newline_between = |i: usize| -> bool {
        i + 1 < n
            && text
                .get(tokens[i].span.end..tokens[i + 1].span.start)
                .is_some_and(|gap| gap.contains(['\n', '\r', '\u{2028}', '\u{2029}']))
    };
    let mut i = 0usize;
    while i < n {
        let tok = tokens[i].text(text);
        let mut end = i + 1; // exclusive end of the sentence if it ends here
        let mut split = newline_between(i);
        if !split && i + 1 < n && is_bullet(tokens[i + 1].text(text)) && i + 1 > start {
            split = true;
        }
        if !split {
            if let Some(kind) = terminal(tok) {
                // Absorb closing quotes and brackets attached to the terminal.
                let mut j = i + 1;
                while j < n
                    && !newline_between(j - 1)
                    && is_closing(tokens[j].text(text))
                    && (!tokens[j - 1].ws_after
                        || matches!(tokens[j].text(text), "\u{201D}" | "\u{00BB}"))
                {
                    j += 1;
                }
                end = j;
                split = if j >= n || newline_between(j - 1) {
                    true
                } else {
                    let next = tokens[j].text(text);
                    let first = next.chars().next().unwrap_or(' ');
                    let next_word = if is_opening_quote(next) && j + 1 < n {
                        tokens[j + 1].text(text)
                    } else {
                        next
                    };
                    let starts_upper = next_word
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_uppercase() || c.is_numeric());
                    // `1. First item`, `a. Option`: a list marker, not a sentence.
                    let list_marker = i == start + 1
                        && tok == "."
                        && tokens[start].text(text).len() <= 3
                        && (tokens[start].kind == TokenKind::Number
                            || tokens[start].text(text).chars().count() == 1);
                    // `1. 5 million`, as some feeds space a decimal point: a
                    // number, a dot, one or two digits and a scale word.
                    let spaced_decimal = tok == "."
                        && i > start
                        && tokens[i - 1].kind == TokenKind::Number
                        && next.len() <= 2
                        && next.bytes().all(|b| b.is_ascii_digit())
                        && j + 1 < n
                        && matches!(
                            tokens[j + 1].text(text).to_lowercase().as_str(),
                            "million" | "billion" | "trillion" | "thousand" | "hundred"
                        );
                    match kind {
                        Terminal::Title => false,
                        _ if list_marker || spaced_decimal => false,
                        _ if first.is_lowercase() => false,
                        _ if tokens[j].kind == TokenKind::Punct
                            && !is_opening_quote(next)
                            && !is_bullet(next) =>
                        {
                            false
                        }
                        Terminal::Full => true,
                        Terminal::Ellipsis => starts_upper,
                        Terminal::Abbreviation => {
                            !first.is_numeric() && (is_starter(next_word) || is_opening_quote(next))
                        }
                    }
                };
            }
        }
        if split || end >= n {
            let last = end.min(n) - 1;
            out.push(Sentence {
                span: Span::new(tokens[start].span.start, tokens[last].span.end),
                tokens: start..end.min(n),
            });
            start = end.min(n);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Most tokens of one sentence as the later stages see it. Attribution,
/// figures and events look around each word within its sentence, so their
/// work grows with the square of a sentence's length; a text with no
/// sentence ends (a 16 MB run of clauses) would never finish. Sentences are
/// cut at this length (after the last comma, semicolon or dash of the piece's
/// second half when there is one), and each cut is reported by
/// [`cap_sentences`]. Edited news sentences run to a few dozen tokens; the
/// longest of 100 BBC articles and the demo corpus holds 60 words.
pub const MAX_SENTENCE_TOKENS: usize = 1_000;

/// Cuts every sentence longer than `max` tokens into pieces of at most `max`
/// tokens, preferring to cut after a clause mark (`,` `;` `:` `–` `—`) in the
/// second half of a piece. Returns the sentences and the spans of the
/// original sentences that were cut; sentences within the limit are returned
/// unchanged.
pub fn cap_sentences(
    text: &str,
    tokens: &[Token],
    sentences: Vec<Sentence>,
    max: usize,
) -> (Vec<Sentence>, Vec<Span>) {
    let max = max.max(2);
    if sentences.iter().all(|s| s.tokens.len() <= max) {
        return (sentences, Vec::new());
    }
    let mut out = Vec::with_capacity(sentences.len());
    let mut cut = Vec::new();
    for s in sentences {
        if s.tokens.len() <= max {
            out.push(s);
            continue;
        }
        cut.push(s.span);
        let mut start = s.tokens.start;
        while start < s.tokens.end {
            let mut end = (start + max).min(s.tokens.end);
            if end < s.tokens.end {
                if let Some(k) = (start + max / 2..end).rev().find(|&k| {
                    matches!(
                        tokens[k].text(text),
                        "," | ";" | ":" | "\u{2013}" | "\u{2014}" | "--"
                    )
                }) {
                    end = k + 1;
                }
            }
            out.push(Sentence {
                span: Span::new(tokens[start].span.start, tokens[end - 1].span.end),
                tokens: start..end,
            });
            start = end;
        }
    }
    (out, cut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::tokenize;

    fn sents(text: &str) -> Vec<&str> {
        let tokens = tokenize(text);
        split_sentences(text, &tokens)
            .into_iter()
            .map(|s| &text[s.span.start..s.span.end])
            .collect()
    }

    #[test]
    fn starters_sorted() {
        let mut sorted = STARTERS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STARTERS);
    }

    #[test]
    fn basic() {
        assert_eq!(
            sents("It rained. Then it stopped! Did it? Yes."),
            ["It rained.", "Then it stopped!", "Did it?", "Yes."]
        );
    }

    #[test]
    fn long_sentences_are_cut_into_pieces_and_reported() {
        let text = "officials said one, two and three ".repeat(100);
        let tokens = tokenize(&text);
        let sentences = split_sentences(&text, &tokens);
        assert_eq!(sentences.len(), 1);
        let (capped, cut) = cap_sentences(&text, &tokens, sentences.clone(), 50);
        assert_eq!(cut, [sentences[0].span]);
        assert!(capped
            .iter()
            .all(|s| s.tokens.len() <= 50 && !s.tokens.is_empty()));
        // In order, covering every token, mostly cut after a comma.
        assert_eq!(capped[0].tokens.start, 0);
        assert!(capped
            .windows(2)
            .all(|w| w[0].tokens.end == w[1].tokens.start));
        assert_eq!(capped.last().map(|s| s.tokens.end), Some(tokens.len()));
        assert!(capped[..capped.len() - 1]
            .iter()
            .all(|s| tokens[s.tokens.end - 1].text(&text) == ","));
        // Within the limit nothing changes.
        let (same, cut) = cap_sentences(&text, &tokens, sentences.clone(), 1_000);
        assert_eq!((same, cut), (sentences, Vec::new()));
    }

    #[test]
    fn empty() {
        assert!(sents("").is_empty());
        assert!(sents("  \n ").is_empty());
    }
}
