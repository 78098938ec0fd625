//! Arbitrary bytes through every reader and parser: no panics, and every
//! problem says where it happened.

mod common;

use common::*;
use proptest::prelude::*;
use storyline_core::InputFormat;
use storyline_ingest::{
    find_dateline, infer_date_from_text, parse_byline, parse_header_lines, sniff,
};

const HINTS: [Option<InputFormat>; 9] = [
    None,
    Some(InputFormat::Text),
    Some(InputFormat::Markdown),
    Some(InputFormat::Html),
    Some(InputFormat::Json),
    Some(InputFormat::Jsonl),
    Some(InputFormat::Csv),
    Some(InputFormat::Feed),
    Some(InputFormat::Warc),
];

/// Bytes that look a little like our formats, so the fuzzing gets past the first byte.
fn structured() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop::sample::select(vec![
        "WARC/1.0\r\n",
        "Content-Length: 12\r\n",
        "WARC-Type: response\r\n",
        "\r\n\r\n",
        "HTTP/1.1 200 OK\r\n",
        "<rss>",
        "<item>",
        "</item>",
        "<title>",
        "</title>",
        "<description>",
        "<![CDATA[",
        "]]>",
        "&amp;",
        "&#x41;",
        "{\"text\": \"",
        "\"}",
        "[",
        "]",
        ",",
        "\n",
        "title,text\n",
        "\"",
        "'",
        "date 2023-11-09 ",
        "By Ana Ruiz\n",
        "TEL AVIV (Reuters) – ",
        "GAZA, Nov 9 (AP) — ",
        "---\n",
        "# ",
        "**",
        "](",
        "\0",
        "\u{FEFF}",
        "é",
        "\u{1F600}",
        "9 November 2023",
        "<html><body><p>",
        "</p>",
        "\x1f\u{8b}",
        "\\ud800",
        "\\udc00",
        "\\ud83d\\ude00",
        "\\\\",
        "\\u00",
        "}\n{",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat().into_bytes())
}

fn check(data: &[u8]) {
    for hint in HINTS {
        let out = bytes(data, hint);
        for p in &out.problems {
            assert_eq!(p.location.source, "-");
            assert!(!p.reason.is_empty());
        }
        for a in &out.articles {
            assert!(!a.text.trim().is_empty());
            if let Some(d) = &a.dateline {
                assert!(
                    d.span.slice(&a.text).is_some(),
                    "dateline span must be valid: {d:?}"
                );
            }
            assert!(a.published.is_none() || !a.published.unwrap().is_after(now()));
        }
    }
    let _ = sniff(data, Some("x.txt"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_bytes(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        check(&data);
    }

    #[test]
    fn structured_bytes(data in structured()) {
        check(&data);
    }

    #[test]
    fn parsers(s in "\\PC{0,300}") {
        let (_, body) = parse_header_lines(&s);
        prop_assert!(body <= s.len() && s.is_char_boundary(body));
        let _ = parse_byline(&s);
        if let Some(d) = find_dateline(&s) {
            prop_assert!(d.span.slice(&s).is_some());
        }
        if let Some(p) = infer_date_from_text(&s, now()) {
            prop_assert!(p.confidence > 0.0 && p.confidence < 1.0);
        }
    }

    #[test]
    fn parsers_on_newsy_text(s in "(By |date |TEL AVIV |\\(Reuters\\) |– |Nov 9, 2023 |[A-Z]{2,8} |[a-z]{1,8} |, |\n){0,30}") {
        let (_, body) = parse_header_lines(&s);
        prop_assert!(s.is_char_boundary(body));
        let _ = parse_byline(&s);
        if let Some(d) = find_dateline(&s) {
            prop_assert!(d.span.slice(&s).is_some());
        }
        let _ = infer_date_from_text(&s, now());
    }
}
