//! The whole per-article analysis on arbitrary and news-shaped text: no
//! panics, every span inside the text on character boundaries, and the
//! same text always gives the same analysis. `PROPTEST_CASES=N` runs a
//! longer fuzzing session (docs/RELIABILITY.md records the runs).

use proptest::prelude::*;
use storyline_analyze::document::{analyze, analyze_within, Analysis, AnalysisContext};
use storyline_core::{Span, Timestamp};

/// Pieces of news text, quotation marks, numbers in every form the
/// figures reader knows, dates and time words, names and cues.
fn newsy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "Minister Daria Solberg said ",
        "the Health Ministry said ",
        "he said. ",
        "she told reporters, ",
        "according to officials, ",
        "\u{201c}We will not stop,\u{201d} ",
        "\"They lied,\" ",
        "\u{2018}",
        "\u{2019}s ",
        "at least 1,200 people were killed ",
        "more than 11,000 ",
        "about 2.5 million ",
        "nearly half of the 240 hostages ",
        "three in five ",
        "one-third ",
        "12% ",
        "$3.5bn ",
        "since 7 October ",
        "on Monday ",
        "last week ",
        "by 9 November 2023 ",
        "in Gaza ",
        "in northern Gaza ",
        "the West Bank ",
        "Israeli air strikes ",
        "Hamas ",
        "the UN ",
        "Mr Herzog ",
        "who ",
        ", ",
        "; ",
        " – ",
        ": ",
        ". ",
        "\n\n",
        "(",
        ")",
        "é",
        "\u{1F600}",
        "\u{202E}",
        "\0",
        "X",
        "wounded ",
        "injured ",
        "displaced ",
        "missing ",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

fn spans(a: &Analysis) -> Vec<Span> {
    let mut out: Vec<Span> = a.sentences.clone();
    out.extend(a.entities.iter().map(|e| e.span));
    out.extend(a.timexes.iter().map(|t| t.span));
    for at in &a.attributions {
        out.push(at.cue);
        out.push(at.content);
        out.extend(at.source);
        out.extend(at.resolved_source);
    }
    out.extend(a.figures.iter().map(|f| f.span));
    out.extend(a.events.iter().map(|e| e.trigger.span));
    out.extend(a.capped.iter().map(|c| c.span));
    out
}

fn check(text: &str, budget: usize) -> Result<(), TestCaseError> {
    let ctx = AnalysisContext {
        published: Timestamp::parse("2023-11-09").ok(),
    };
    let a = analyze_within(text, &ctx, budget);
    for s in spans(&a) {
        prop_assert!(
            s.start <= s.end && s.slice(text).is_some(),
            "span {s:?} outside {} bytes",
            text.len()
        );
    }
    for r in &a.referents {
        prop_assert!(r.mentions.iter().all(|&m| m < a.entities.len()));
    }
    for at in &a.attributions {
        prop_assert!(at.referent.is_none_or(|r| r < a.referents.len()));
    }
    prop_assert_eq!(&analyze_within(text, &ctx, budget), &a, "deterministic");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,400}") {
        check(&text, usize::MAX)?;
    }

    #[test]
    fn news_shaped_text(text in newsy()) {
        check(&text, usize::MAX)?;
    }

    /// A budget anywhere in the text, a character boundary or not.
    #[test]
    fn news_shaped_text_within_any_budget(text in newsy(), cut in 0usize..2000) {
        check(&text, cut)?;
    }
}

#[test]
fn the_default_budget_is_the_analysis() {
    let text = "Officials said 12 people were killed in Gaza on Monday.";
    let ctx = AnalysisContext::default();
    assert_eq!(
        analyze(text, &ctx),
        analyze_within(text, &ctx, storyline_analyze::document::MAX_ANALYSED_BYTES)
    );
}
