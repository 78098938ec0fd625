//! Header lines (`Title:`, `date`, `By …`), bylines and datelines on
//! arbitrary text, and the plain-text and Markdown readers they feed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::InputFormat;
use storyline_ingest::{find_dateline, parse_byline, parse_header_lines};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let (_, body) = parse_header_lines(s);
        assert!(
            body <= s.len() && s.is_char_boundary(body),
            "body offset {body} off a boundary"
        );
        for line in s.lines().take(8) {
            if let Some(authors) = parse_byline(line) {
                assert!(
                    authors.iter().all(|a| !a.trim().is_empty()),
                    "an empty author"
                );
            }
        }
        if let Some(d) = find_dateline(s) {
            assert!(d.span.slice(s).is_some(), "dateline span outside the text");
        }
    }
    common::read_and_check(data, Some(InputFormat::Text));
    common::read_and_check(data, Some(InputFormat::Markdown));
});
