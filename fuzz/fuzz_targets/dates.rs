//! Dates and time expressions: timestamp parsing, the date checks, dates
//! inferred from text, and TIMEX3 tagging with and without a document date.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_analyze::timex::{find_timexes, TimexContext};
use storyline_core::Timestamp;
use storyline_ingest::{check_date, infer_date_from_text};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(ts) = Timestamp::parse(s) {
        // A parsed timestamp prints and parses back to itself.
        let again = Timestamp::parse(&ts.to_string()).expect("a printed timestamp parses");
        assert_eq!(again, ts);
        let _ = check_date(ts, common::now(), true);
        let _ = check_date(ts, common::now(), false);
    }
    if let Some(p) = infer_date_from_text(s, common::now()) {
        assert!(p.confidence > 0.0 && p.confidence < 1.0);
    }
    let dct = Timestamp::parse("2023-11-09").ok();
    for ctx in [TimexContext::news(None), TimexContext::news(dct)] {
        for t in find_timexes(s, &ctx) {
            assert!(
                t.span.slice(s).is_some(),
                "timex span outside the text: {t:?}"
            );
        }
    }
});
