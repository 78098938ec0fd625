//! What every reader target checks: the reader returns (no panic, no
//! abort), every problem names its input and says why, and every article it
//! yields has text and spans inside that text.

use chrono::NaiveDate;
use storyline_core::{InputFormat, Location};
use storyline_ingest::{read_bytes, Event, IngestOptions};

/// A fixed "today", so that a run is reproducible.
pub fn now() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 13).expect("a valid date")
}

/// Reads `data` as `hint` (or sniffed, with `None`) and checks the results.
pub fn read_and_check(data: &[u8], hint: Option<InputFormat>) {
    let opts = IngestOptions {
        now: now(),
        // Never the network from a fuzz target.
        follow_feed_links: false,
        // Small enough that the per-record limits are reached by inputs
        // libFuzzer makes (it keeps them under a few KiB).
        max_file_bytes: 1 << 12,
        ..IngestOptions::default()
    };
    read_bytes(data, Location::source("-"), hint, &opts, &mut |e| match e {
        Event::Article(a) => {
            assert!(!a.text.trim().is_empty(), "an article without text");
            if let Some(d) = &a.dateline {
                assert!(
                    d.span.slice(&a.text).is_some(),
                    "dateline span outside the text"
                );
            }
            if let Some(p) = &a.published {
                assert!(!p.is_after(now()), "a published date in the future");
            }
        }
        Event::Problem(p) => {
            assert_eq!(p.location.source, "-");
            assert!(!p.reason.is_empty(), "a problem without a reason");
        }
    });
}
