//! The whole per-article analysis on arbitrary text, under a budget taken
//! from the input (so that the cut falls anywhere, on a boundary or not).
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_analyze::document::{analyze_within, AnalysisContext};
use storyline_core::Timestamp;

fuzz_target!(|data: &[u8]| {
    let Some((&b, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    // 0 means no cut; otherwise a budget of a few bytes to a few KiB.
    let budget = if b == 0 {
        usize::MAX
    } else {
        usize::from(b) * 16
    };
    let ctx = AnalysisContext {
        published: if b % 2 == 0 {
            Timestamp::parse("2023-11-09").ok()
        } else {
            None
        },
    };
    let a = analyze_within(text, &ctx, budget);
    for s in &a.sentences {
        assert!(s.slice(text).is_some(), "sentence span outside the text");
    }
    for e in &a.entities {
        assert!(e.span.slice(text).is_some(), "entity span outside the text");
    }
    for f in &a.figures {
        assert!(f.span.slice(text).is_some(), "figure span outside the text");
    }
    for r in &a.referents {
        for &m in &r.mentions {
            assert!(m < a.entities.len(), "a referent mention past the entities");
        }
    }
    // Deterministic.
    assert_eq!(a, analyze_within(text, &ctx, budget));
});
