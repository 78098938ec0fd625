//! The search query language and snippet format, shared by every backend so
//! they read user input and present matches the same way.
//!
//! The parser is total: every string parses. It knows only quotes, a leading
//! `-`/`+`, and `AND`/`OR`/`NOT`; everything else is left for each backend's
//! tokenizer, which drops punctuation. That is why it cannot fail on user
//! input, unlike a full query grammar (tantivy's own parser rejects
//! `Blinken's "ceasefire`).

use std::ops::Range;

/// Marks the start of a matched term in [`crate::SearchHit::snippet`].
pub const SNIPPET_OPEN: char = '«';
/// Marks the end of a matched term in [`crate::SearchHit::snippet`].
pub const SNIPPET_CLOSE: char = '»';

/// Queries are cut to this many characters before parsing.
pub(crate) const MAX_QUERY_CHARS: usize = 1_000;
/// At most this many words and phrases are used from one query.
pub(crate) const MAX_CLAUSES: usize = 32;
/// At most this many tokens are used from one phrase.
pub(crate) const MAX_PHRASE_TOKENS: usize = 16;
/// Snippets hold about this many characters of text.
pub(crate) const SNIPPET_CHARS: usize = 200;

/// One word or quoted phrase of a query, as typed (not yet tokenized).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Clause {
    /// A bare word. May still tokenize to several tokens (`Blinken's`,
    /// `U.S.`), which are then matched as a phrase.
    Word(String),
    /// The inside of double quotes.
    Phrase(String),
}

impl Clause {
    /// The text to tokenize.
    pub(crate) fn text(&self) -> &str {
        match self {
            Clause::Word(s) | Clause::Phrase(s) => s,
        }
    }
}

/// A parsed query: articles must match at least one `include` clause and no
/// `exclude` clause.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct QueryPlan {
    pub include: Vec<Clause>,
    pub exclude: Vec<Clause>,
}

/// Parses user search text; see [`crate::SearchQuery`] for the language.
pub(crate) fn parse(text: &str) -> QueryPlan {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let s = text.as_str();
    let mut plan = QueryPlan::default();
    let mut i = 0;
    let mut negate_next = false;
    while i < s.len() && plan.include.len() + plan.exclude.len() < MAX_CLAUSES {
        let rest = &s[i..];
        let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || is_separator(c));
        i += rest.len() - trimmed.len();
        if trimmed.is_empty() {
            break;
        }
        let mut negate = std::mem::take(&mut negate_next);
        let mut body = trimmed;
        if let Some(r) = body.strip_prefix('-').or_else(|| body.strip_prefix('+')) {
            if r.starts_with(|c: char| !c.is_whitespace() && !is_separator(c)) {
                negate |= body.starts_with('-');
                i += 1;
                body = r;
            }
        }
        let clause = if let Some(r) = body.strip_prefix('"') {
            let (inside, consumed) = match r.find('"') {
                Some(end) => (&r[..end], end + 2),
                None => (r, r.len() + 1),
            };
            i += consumed;
            Clause::Phrase(inside.to_string())
        } else {
            let end = body
                .find(|c: char| c.is_whitespace() || is_separator(c) || c == '"')
                .unwrap_or(body.len());
            let word = &body[..end];
            i += end;
            match word {
                "AND" | "OR" => continue,
                "NOT" => {
                    negate_next = true;
                    continue;
                }
                _ => Clause::Word(word.to_string()),
            }
        };
        if negate {
            plan.exclude.push(clause);
        } else {
            plan.include.push(clause);
        }
    }
    plan
}

/// Characters that are operators in common query languages (field and
/// boost syntax, grouping, ranges, wildcards, boolean symbols): outside
/// quotes they separate words, so `title:ceasefire` or `(ceasefire)~2` still
/// search for `ceasefire`. Apostrophes, periods and inner hyphens stay part of
/// a word (`Blinken's`, `U.S.`, `al-Shifa`), which then matches as a phrase.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ':' | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '^'
            | '~'
            | '*'
            | '?'
            | '!'
            | '\\'
            | '/'
            | '|'
            | '&'
            | '<'
            | '>'
            | '='
            | ','
    )
}

/// Lower-cased alphanumeric runs with their byte ranges: the tokenizer of
/// [`crate::MemStore`]'s simple search.
pub(crate) fn simple_tokens(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s..i, text[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s..text.len(), text[s..].to_lowercase()));
    }
    out
}

/// Renders a snippet: `fragment` with each of `highlights` (byte ranges into
/// `fragment`) wrapped in the markers, whitespace and control characters
/// collapsed to one space, and `…` where the fragment was cut from a longer
/// text. Returns the snippet and the byte ranges of the marked terms in it.
///
/// Highlight ranges that overlap, are out of bounds, or do not fall on
/// character boundaries are merged or dropped rather than trusted.
pub(crate) fn render_snippet(
    fragment: &str,
    highlights: &[Range<usize>],
    cut_start: bool,
    cut_end: bool,
) -> (String, Vec<Range<usize>>) {
    let mut ranges: Vec<Range<usize>> = highlights
        .iter()
        .filter(|r| {
            r.start < r.end
                && r.end <= fragment.len()
                && fragment.is_char_boundary(r.start)
                && fragment.is_char_boundary(r.end)
        })
        .cloned()
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }

    let mut out = String::with_capacity(fragment.len() + 8);
    let mut marked = Vec::with_capacity(merged.len());
    if cut_start {
        out.push('…');
    }
    let mut pending_space = false;
    let mut k = 0;
    let mut open: Option<usize> = None;
    for (i, c) in fragment.char_indices() {
        if let Some(start) = open {
            if merged[k].end == i {
                out.push(SNIPPET_CLOSE);
                marked.push(start..out.len() - SNIPPET_CLOSE.len_utf8());
                open = None;
                k += 1;
            }
        }
        if open.is_none() && merged.get(k).is_some_and(|r| r.start == i) {
            if pending_space && !out.is_empty() && !out.ends_with('…') {
                out.push(' ');
            }
            pending_space = false;
            out.push(SNIPPET_OPEN);
            open = Some(out.len());
        }
        if c.is_whitespace() || c.is_control() || c == '\u{FEFF}' {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() && !out.ends_with(SNIPPET_OPEN) && !out.ends_with('…')
        {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    if let Some(start) = open {
        out.push(SNIPPET_CLOSE);
        marked.push(start..out.len() - SNIPPET_CLOSE.len_utf8());
    }
    if cut_end {
        out.push('…');
    }
    (out, marked)
}

/// The opening of `text`, about [`SNIPPET_CHARS`] characters cut at a word
/// boundary: the snippet when only the title matched.
pub(crate) fn opening(text: &str) -> (String, Vec<Range<usize>>) {
    let end = cut_point(text, 0, SNIPPET_CHARS);
    render_snippet(&text[..end], &[], false, end < text.len())
}

/// A byte offset about `chars` characters after `start`, moved back to the
/// last whitespace when one is near, always on a character boundary.
pub(crate) fn cut_point(text: &str, start: usize, chars: usize) -> usize {
    let rest = &text[start..];
    let Some((hard, _)) = rest.char_indices().nth(chars) else {
        return text.len();
    };
    let soft = rest[..hard]
        .rfind(char::is_whitespace)
        .filter(|&w| w > hard / 2)
        .unwrap_or(hard);
    start + soft
}

/// A byte offset about `chars` characters before `pos`, moved forward to
/// just after a whitespace when one is near, always on a character boundary.
pub(crate) fn back_up(text: &str, pos: usize, chars: usize) -> usize {
    let before = &text[..pos];
    let hard = before
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(0);
    if hard == 0 {
        return 0;
    }
    match before[hard..].find(char::is_whitespace) {
        Some(w) if hard + w < pos => {
            let ws = hard + w;
            ws + before[ws..].chars().next().map_or(1, char::len_utf8)
        }
        _ => hard,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(p: &[Clause]) -> Vec<String> {
        p.iter()
            .map(|c| match c {
                Clause::Word(w) => w.clone(),
                Clause::Phrase(p) => format!("\"{p}\""),
            })
            .collect()
    }

    #[test]
    fn parses_words_phrases_and_exclusions() {
        let p = parse(
            r#"Blinken's "ceasefire talks" -Hamas NOT "aid convoy" OR +Gaza title:(truce)~2"#,
        );
        assert_eq!(
            words(&p.include),
            [
                "Blinken's",
                "\"ceasefire talks\"",
                "Gaza",
                "title",
                "truce",
                "2"
            ]
        );
        assert_eq!(words(&p.exclude), ["Hamas", "\"aid convoy\""]);
    }

    #[test]
    fn unbalanced_quote_runs_to_the_end() {
        let p = parse(r#"Blinken's "ceasefire"#);
        assert_eq!(words(&p.include), ["Blinken's", "\"ceasefire\""]);
        let p = parse(r#"""#);
        assert_eq!(words(&p.include), ["\"\""]);
    }

    #[test]
    fn operators_alone_give_no_words_to_search() {
        for q in ["", "   ", "AND OR NOT", "- + -"] {
            let p = parse(q);
            assert!(
                p.include
                    .iter()
                    .all(|c| !c.text().chars().any(char::is_alphanumeric)),
                "{q}: {p:?}"
            );
        }
    }

    #[test]
    fn long_queries_are_bounded() {
        let p = parse(&"word ".repeat(10_000));
        assert_eq!(p.include.len(), MAX_CLAUSES);
    }

    #[test]
    fn snippets_mark_terms_and_collapse_whitespace() {
        let (s, h) = render_snippet("The  ceasefire\n\u{0}held\t", &[5..14, 16..20], true, true);
        assert_eq!(s, "…The «ceasefire» «held»…");
        assert_eq!(&s[h[0].clone()], "ceasefire");
        assert_eq!(&s[h[1].clone()], "held");
    }

    #[test]
    fn snippets_survive_bad_ranges() {
        #[allow(clippy::reversed_empty_ranges)]
        let reversed = 3..1;
        let (s, h) = render_snippet(
            "né ici",
            &[1..2, 0..100, reversed, 0..2, 0..3],
            false,
            false,
        );
        assert_eq!(s, "«né» ici");
        assert_eq!(h.len(), 1);
    }

    #[test]
    fn cuts_fall_on_boundaries() {
        let t = "ééé ééé ééé";
        assert_eq!(&t[..cut_point(t, 0, 5)], "ééé");
        assert_eq!(&t[back_up(t, t.len(), 5)..], "ééé");
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,300}") {
            let p = parse(&s);
            prop_assert!(p.include.len() + p.exclude.len() <= MAX_CLAUSES);
        }

        #[test]
        fn snippet_highlights_point_at_marked_text(
            s in "[a-zé \\n\\t\\x00]{0,60}",
            ranges in proptest::collection::vec((0usize..70, 0usize..70), 0..5),
        ) {
            let hl: Vec<Range<usize>> = ranges.into_iter().map(|(a, b)| a..b).collect();
            let (out, marked) = render_snippet(&s, &hl, false, false);
            for r in marked {
                prop_assert!(out[..r.start].ends_with(SNIPPET_OPEN));
                prop_assert!(out[r.end..].starts_with(SNIPPET_CLOSE));
            }
            prop_assert!(!out.contains('\n') && !out.contains('\0'));
        }

        #[test]
        fn cut_and_back_up_stay_on_boundaries(s in "\\PC{0,80}", n in 0usize..100) {
            let end = cut_point(&s, 0, n);
            prop_assert!(s.is_char_boundary(end));
            let start = back_up(&s, end, n);
            prop_assert!(s.is_char_boundary(start) && start <= end);
        }
    }
}
