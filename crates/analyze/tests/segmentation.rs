//! Golden tests of tokenisation and sentence splitting on tricky news text,
//! plus property tests of the invariants later stages rely on.

use proptest::prelude::*;
use storyline_analyze::{split_sentences, tokenize};

/// Renders sentences one per line, tokens separated by `|`.
fn render(text: &str) -> String {
    let tokens = tokenize(text);
    split_sentences(text, &tokens)
        .iter()
        .map(|s| {
            tokens[s.tokens.clone()]
                .iter()
                .map(|t| t.text(text))
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(text: &str, expected: &str) {
    let got = render(text);
    assert_eq!(got, expected.trim(), "\n--- got ---\n{got}\n");
}

#[test]
fn dateline_is_not_a_sentence() {
    check(
        "TEL AVIV (Reuters) – U.S. top diplomat Antony Blinken arrived on Friday. He met Netanyahu.",
        "
TEL|AVIV|(|Reuters|)|–|U.S.|top|diplomat|Antony|Blinken|arrived|on|Friday|.
He|met|Netanyahu|.",
    );
    check(
        "WASHINGTON, Oct. 7 (AP) — The U.S. Embassy said so.",
        "WASHINGTON|,|Oct.|7|(|AP|)|—|The|U.S.|Embassy|said|so|.",
    );
}

#[test]
fn quotes_across_sentence_ends() {
    check(
        "“We will not stop. We will fight again.” He said it twice. \"Why?\" she asked. \"Now!\" Then silence.",
        r#"
“|We|will|not|stop|.
We|will|fight|again|.|”
He|said|it|twice|.
"|Why|?|"|she|asked|.
"|Now|!|"
Then|silence|."#,
    );
}

#[test]
fn abbreviations_do_not_split() {
    check(
        "Mr. Blinken and Gen. Herzi Halevi met at No. 10 on Oct. 7. J. K. Rowling was not there. Prices rose 2.3% in the U.S. The Fed said nothing.",
        "
Mr.|Blinken|and|Gen.|Herzi|Halevi|met|at|No.|10|on|Oct.|7|.
J.|K.|Rowling|was|not|there|.
Prices|rose|2.3|%|in|the|U.S.
The|Fed|said|nothing|.",
    );
}

#[test]
fn paragraphs_bullets_ellipses() {
    check(
        "Gaza under fire\nAt least 9,061 people have been killed, officials say\n\n• Aid trucks wait • Fuel runs out\nAnd then... nothing. Wait... What?",
        "
Gaza|under|fire
At|least|9,061|people|have|been|killed|,|officials|say
•|Aid|trucks|wait
•|Fuel|runs|out
And|then|...|nothing|.
Wait|...
What|?",
    );
}

#[test]
fn missing_space_after_full_stop() {
    check(
        "The flight left Tel Aviv.Sue Potter-Clarke said so. See bbc.co.uk or U.S.A.",
        "
The|flight|left|Tel|Aviv|.
Sue|Potter-Clarke|said|so|.
See|bbc.co.uk|or|U.S.A.",
    );
}

#[test]
fn numbered_lists() {
    check(
        "Demands:\n1. Release the hostages. 2. Open the crossings.\nb. Talks resume.",
        "
Demands|:
1|.|Release|the|hostages|.
2|.|Open|the|crossings|.
b|.|Talks|resume|.",
    );
}

#[test]
fn possessives_follow_conll() {
    check(
        "Israel’s military and Hamas's armed wing; the Palestinians' hospitals — the 1990s' peace.",
        "Israel|’s|military|and|Hamas|'s|armed|wing|;|the|Palestinians|'|hospitals|—|the|1990s|'|peace|.",
    );
}

#[test]
fn urls_numbers_emoji() {
    check(
        "Read more at https://www.bbc.com/news/world-middle-east-67067595. Email tips@example.org 🙏🏽. A 75-year-old paid $25.",
        "
Read|more|at|https://www.bbc.com/news/world-middle-east-67067595|.
Email|tips@example.org|🙏🏽|.
A|75-year-old|paid|$|25|.",
    );
}

fn rebuild_ok(text: &str) {
    let tokens = tokenize(text);
    let mut pos = 0;
    for t in &tokens {
        assert!(t.span.start >= pos, "tokens overlap or go backwards");
        assert!(t.span.end > t.span.start, "empty token");
        assert!(text.is_char_boundary(t.span.start) && text.is_char_boundary(t.span.end));
        // Only whitespace (or zero-width separators) lies between tokens.
        let gap = &text[pos..t.span.start];
        assert!(
            gap.chars()
                .all(|c| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')),
            "gap {gap:?} dropped text"
        );
        let ws = text[t.span.end..].chars().next().is_some_and(|c| {
            c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
        });
        assert_eq!(t.ws_after, ws, "ws_after wrong for {:?}", t.text(text));
        pos = t.span.end;
    }
    let tail = &text[pos..];
    assert!(tail
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')));
    let sentences = split_sentences(text, &tokens);
    let mut next = 0;
    let mut last_end = 0;
    for s in &sentences {
        assert_eq!(s.tokens.start, next, "sentences skip or repeat tokens");
        assert!(s.tokens.end > s.tokens.start);
        assert!(s.span.start >= last_end, "sentences overlap");
        assert_eq!(s.span.start, tokens[s.tokens.start].span.start);
        assert_eq!(s.span.end, tokens[s.tokens.end - 1].span.end);
        next = s.tokens.end;
        last_end = s.span.end;
    }
    assert_eq!(next, tokens.len(), "sentences do not cover all tokens");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_is_covered(text in "\\PC{0,80}") {
        rebuild_ok(&text);
    }

    #[test]
    fn newsy_text_is_covered(parts in proptest::collection::vec(
        prop_oneof![
            Just("U.S."), Just("Mr."), Just("Israel’s"), Just("'s"), Just("\""), Just("“"),
            Just("”"), Just("..."), Just("…"), Just("—"), Just("–"), Just("-"), Just("9,061"),
            Just("2.3"), Just("$"), Just("%"), Just("."), Just("?"), Just("!"), Just("'"),
            Just("https://x.org/a."), Just("a@b.co"), Just("🇮🇱"), Just("🙏🏽"), Just("\u{200D}"),
            Just("\u{FE0F}"), Just("Gaza"), Just("n't"), Just("("), Just(")"), Just(","),
            Just("\n"), Just(" "), Just("  "), Just("\u{00A0}"), Just("\u{200B}"), Just("é"),
            Just("\u{0301}"), Just("•"), Just("J."), Just("#"), Just("@"), Just("--"),
        ],
        0..40,
    )) {
        let text: String = parts.concat();
        rebuild_ok(&text);
    }
}
