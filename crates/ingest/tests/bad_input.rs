//! Bad input of every kind: each bad file or record is reported with where
//! and why, and skipped; good records beside it still come through; nothing panics.

mod common;

use std::io::Write;

use common::*;
use storyline_core::InputFormat;
use storyline_ingest::{IngestError, IngestOptions, Input};

fn write(dir: &std::path::Path, name: &str, data: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, data).unwrap();
    p
}

fn read_path(p: &std::path::Path, o: &IngestOptions) -> Out {
    let (out, r) = input(&Input::Path(p.to_path_buf()), o);
    r.unwrap();
    out
}

#[test]
fn missing_path_is_an_error_for_the_whole_input() {
    let (out, r) = input(&Input::Path("/definitely/not/here.txt".into()), &opts());
    assert!(matches!(r, Err(IngestError::NotFound { .. })), "{r:?}");
    assert_eq!(
        r.unwrap_err().to_string(),
        "/definitely/not/here.txt: no such file or directory"
    );
    assert!(out.articles.is_empty() && out.problems.is_empty());
}

#[test]
fn empty_inputs_of_every_kind() {
    for (data, hint) in [
        (&b""[..], None),
        (b"   \n\n\t", None),
        (b"", Some(InputFormat::Csv)),
        (b"", Some(InputFormat::Json)),
        (b"", Some(InputFormat::Warc)),
        (b"", Some(InputFormat::Feed)),
    ] {
        let out = bytes(data, hint);
        assert!(out.articles.is_empty());
        assert_eq!(
            out.problem_lines(),
            ["-: skipped: empty: no text at all"],
            "{hint:?}"
        );
    }
    // Structurally valid but holding nothing: said, not passed in silence.
    assert_eq!(
        bytes(b"[]", None).problem_lines(),
        ["-: skipped: holds no records: the JSON list of articles is empty"]
    );
    for csv in [&b"title,text\n"[..], b"title,text", b"title,text\n\n\n"] {
        assert_eq!(
            bytes(csv, None).problem_lines(),
            ["-: skipped: holds no records: a CSV header row and no rows"]
        );
    }
}

#[test]
fn binary_files_are_named() {
    let out = bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None);
    assert_eq!(
        out.problem_lines(),
        ["-: skipped: not a supported format (looks like PNG)"]
    );
    let out = bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3", None);
    assert_eq!(
        out.problem_lines(),
        ["-: skipped: not a supported format (looks like PDF)"]
    );
    let out = bytes(b"PK\x03\x04\x14\x00\x00\x00", None);
    assert_eq!(
        out.problem_lines(),
        ["-: skipped: not a supported format (looks like a ZIP archive or Office document)"]
    );
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let out = bytes(&noise, None);
    assert_eq!(out.articles.len(), 0);
    assert_eq!(
        out.problem_lines(),
        ["-: skipped: not a supported format (looks like binary data)"]
    );
}

#[test]
fn latin1_and_utf16_text_decode_right() {
    let latin1 = b"Le maire a annonc\xe9 vendredi que la crue \xe9tait pass\xe9e et que les \xe9coles rouvriraient lundi.";
    let out = bytes(latin1, None);
    assert_eq!(out.one().text, "Le maire a annoncé vendredi que la crue était passée et que les écoles rouvriraient lundi.");
    assert!(out.problems.is_empty());
    assert_eq!(out.one().language.as_deref(), Some("fr"));

    let text = "title: Schnee im Tal\n\nDer erste Schnee fiel am Montag früh im ganzen Tal.";
    for bom_le in [true, false] {
        let mut b: Vec<u8> = if bom_le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for u in text.encode_utf16() {
            b.extend(if bom_le {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            });
        }
        let out = bytes(&b, None);
        let a = out.one();
        assert_eq!(a.title.as_deref(), Some("Schnee im Tal"));
        assert_eq!(
            a.text,
            "Der erste Schnee fiel am Montag früh im ganzen Tal."
        );
    }
}

#[test]
fn latin1_csv_and_utf16_jsonl_stream_decoded() {
    let csv = b"title,text\nCaf\xe9 reopens,The caf\xe9 on the square reopened after the flood.\n";
    let out = bytes(csv, None);
    assert_eq!(out.one().title.as_deref(), Some("Café reopens"));
    assert_eq!(
        out.one().text,
        "The café on the square reopened after the flood."
    );

    let jsonl = "{\"text\": \"Première ligne.\"}\n{\"text\": \"Deuxième ligne.\"}\n";
    let mut b = vec![0xFF, 0xFE];
    for u in jsonl.encode_utf16() {
        b.extend(u.to_le_bytes());
    }
    let out = bytes(&b, Some(InputFormat::Jsonl));
    assert_eq!(out.articles.len(), 2, "{:?}", out.problems);
    assert_eq!(out.articles[1].text, "Deuxième ligne.");
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning() {
    // Mostly UTF-8 with one broken sequence: decoded as UTF-8 or guessed; never a panic.
    let out = bytes(
        b"The minister said \xe2\x80 the talks would resume on Monday in Cairo.",
        None,
    );
    assert_eq!(out.articles.len(), 1);
}

#[test]
fn nul_bytes_are_removed_with_a_warning() {
    let out = bytes(
        b"Officials said\0 the dam held.\0\nMore text follows here.",
        None,
    );
    let a = out.one();
    assert_eq!(
        a.text,
        "Officials said the dam held.\nMore text follows here."
    );
    assert_eq!(
        out.problem_lines(),
        ["-: warning: removed 2 control character(s) such as NUL from the text"]
    );

    let out = bytes(
        b"{\"text\": \"A\\u0000B is fine in JSON.\"}\n{\"text\": \"second\"}\n",
        None,
    );
    assert_eq!(out.articles.len(), 2);
}

#[test]
fn enormous_single_line() {
    let mut big = b"date 2023-11-09\n\n".to_vec();
    let sentence = b"The river rose again overnight and crews worked to reinforce the levees. ";
    while big.len() < 20 * 1024 * 1024 {
        big.extend_from_slice(sentence);
    }
    let out = bytes(&big, None);
    let a = out.one();
    assert!(a.text.len() > 20_000_000);
    assert_eq!(a.published.unwrap().to_string(), "2023-11-09");

    // The same line in JSONL, over a smaller record limit: that line alone is skipped.
    let mut jsonl = b"{\"text\": \"".to_vec();
    jsonl.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
    jsonl.extend_from_slice(b"\"}\n{\"text\": \"A normal record after the huge one.\"}\n");
    let o = IngestOptions {
        max_file_bytes: 1024 * 1024,
        ..opts()
    };
    let out = bytes_with(&jsonl, Some(InputFormat::Jsonl), &o);
    assert_eq!(out.articles.len(), 1);
    assert_eq!(out.articles[0].text, "A normal record after the huge one.");
    assert_eq!(out.problem_lines(), ["-:1 (record 1): skipped: line longer than the 1048576-byte limit for one record (raise max_file_bytes)"]);
}

/// A small gzip file whose CSV field or JSON string inflates past the
/// limit for one document (a 2 MB file held a 2 GB field and aborted the
/// process in `tokenize`): that record is one problem, the records around
/// it are read. Built here at a smaller scale, over a 1 MiB limit.
#[test]
fn a_gzip_bomb_in_one_field_is_one_skipped_record() {
    use flate2::{write::GzEncoder, Compression};
    let gz = |data: &[u8]| {
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    };
    let huge = "ruin ".repeat(2 * 1024 * 1024);
    let o = IngestOptions {
        max_file_bytes: 1024 * 1024,
        ..opts()
    };
    let csv = format!(
        "title,text\nFirst,The first record is read.\nBomb,\"{huge}\"\nLast,The last record is read too.\n"
    );
    let json = format!(
        "[{{\"title\": \"First\", \"text\": \"The first record is read.\"}},\n {{\"title\": \"Bomb\", \"text\": \"{huge}\"}},\n {{\"title\": \"Last\", \"text\": \"The last record is read too.\"}}]\n"
    );
    for (name, data) in [("csv", csv), ("json", json)] {
        let packed = gz(data.as_bytes());
        assert!(packed.len() < data.len() / 100, "{name}: a bomb");
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), &format!("bomb.{name}.gz"), &packed);
        let out = read_path(&p, &o);
        let texts: Vec<&str> = out.articles.iter().map(|a| a.text.as_str()).collect();
        assert_eq!(
            texts,
            ["The first record is read.", "The last record is read too."],
            "{name}"
        );
        assert_eq!(out.skipped().len(), 1, "{name}: {:?}", out.problem_lines());
        let reason = &out.skipped()[0].reason;
        assert!(
            reason.starts_with("too large: the record's text is 104857")
                && reason.contains("bytes, over the 1048576-byte limit for one document"),
            "{name}: {reason}"
        );
        assert_eq!(out.skipped()[0].location.record, Some(2), "{name}");
    }
}

#[test]
fn too_large_file_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "big.txt", &vec![b'a'; 5000]);
    let o = IngestOptions {
        max_file_bytes: 1000,
        ..opts()
    };
    let out = read_path(&p, &o);
    assert!(out.articles.is_empty());
    assert_eq!(
        out.problem_lines(),
        [format!("{}: skipped: too large: 5000 bytes, over the 1000-byte limit for one document (raise max_file_bytes)", p.display())]
    );
    // Same through a stream with no known size.
    let out = bytes_with(&vec![b'a'; 5000], None, &o);
    assert_eq!(out.skipped().len(), 1);
    assert!(out.skipped()[0].reason.starts_with("too large"));
}

#[test]
fn malformed_csv() {
    let out = bytes(
        b"title,text\n\"unterminated,Body one\nSecond,Body two\n",
        Some(InputFormat::Csv),
    );
    assert!(out.articles.is_empty());
    assert_eq!(out.skipped().len(), 1);
    assert!(out.skipped()[0]
        .reason
        .starts_with("row has 1 fields but the header has 2"));

    let out = bytes(b"a,b\n1,2\n", Some(InputFormat::Csv));
    assert!(out.problems[0]
        .reason
        .starts_with("no text column among [a, b]"));

    let out = bytes(
        b"title,text\nOK,Good row.\nToo,many,fields\nOK2,Another good row.\n",
        Some(InputFormat::Csv),
    );
    assert_eq!(out.articles.len(), 2);
    assert_eq!(
        out.problem_lines(),
        ["-:3 (record 2): skipped: row has 3 fields but the header has 2 (an unbalanced quote?)"]
    );
}

#[test]
fn malformed_json_and_wrong_shapes() {
    let out = bytes(b"{\"text\": ", Some(InputFormat::Json));
    assert!(out.skipped()[0].reason.starts_with("truncated JSON"));
    let out = bytes(b"\"just a string\"", Some(InputFormat::Json));
    assert_eq!(out.skipped().len(), 1);
    let out = bytes(b"{\"a\": 1} trailing", Some(InputFormat::Json));
    assert_eq!(out.skipped().len(), 2, "{:?}", out.problems);
    let out = bytes(
        b"{\"response\": {\"results\": [{\"body\": \"Nested deep in an API response.\"}]}}",
        None,
    );
    assert_eq!(out.one().text, "Nested deep in an API response.");
}

#[test]
fn malformed_xml_feeds() {
    let out = bytes(b"<rss><channel><item><title>a</title><description>Text of item.</description></item><item><title>b</ti", Some(InputFormat::Feed));
    assert_eq!(out.articles.len(), 1);
    assert_eq!(out.skipped().len(), 1);
    assert_eq!(out.skipped()[0].location.record, Some(2));
    let out = bytes(
        b"<?xml version=\"1.0\"?><catalog><book/></catalog>",
        Some(InputFormat::Feed),
    );
    assert_eq!(
        out.problem_lines(),
        ["-: skipped: not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root)"]
    );
    let out = bytes(b"<?xml version=\"1.0\"?><catalog><book/></catalog>", None);
    assert_eq!(
        out.problem_lines(),
        ["-: skipped: not a supported format (looks like XML that is not RSS, Atom or XHTML)"]
    );
    let out = bytes(
        b"<rss version=\"2.0\"><channel><title>x</title></channel></rss>",
        None,
    );
    assert_eq!(out.problem_lines(), ["-: warning: the feed holds no items"]);
}

#[test]
fn latin1_feed_declared_in_xml() {
    let out = bytes(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Caf\xe9</title><description>La caf\xe9t\xe9ria a rouvert.</description></item></channel></rss>", None);
    let a = out.one();
    assert_eq!(a.title.as_deref(), Some("Café"));
    assert_eq!(a.text, "La cafétéria a rouvert.");
}

#[test]
fn truncated_gzip() {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for i in 0..2000 {
        writeln!(
            enc,
            "{{\"text\": \"Record {i} says the count was {} at the {}th gauge.\"}}",
            i * 7919 % 1000,
            i % 97
        )
        .unwrap();
    }
    let gz = enc.finish().unwrap();
    let out = bytes(&gz, None);
    assert_eq!(out.articles.len(), 2000);
    assert!(out.problems.is_empty());
    let cut = &gz[..gz.len() / 2];
    let out = bytes(cut, None);
    assert!(!out.articles.is_empty());
    assert!(
        out.skipped()
            .iter()
            .any(|p| p.reason.contains("read error") || p.reason.contains("gzip")),
        "{:?}",
        out.problems
    );
}

/// `n` JSON Lines records, each a short article numbered from `from`.
fn jsonl_records(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| {
            format!("{{\"title\": \"Record {i}\", \"text\": \"Record {i} says the dam held.\"}}\n")
        })
        .collect()
}

#[test]
fn jsonl_with_a_first_line_longer_than_the_sample_loses_nothing() {
    // The sniffer sees 64 KiB; the first record is longer than that.
    let long = "x".repeat(100 * 1024);
    let mut data = format!("{{\"title\": \"Long\", \"text\": \"{long}\"}}\n");
    data.push_str(&jsonl_records(0, 1000));
    let out = bytes(data.as_bytes(), None);
    assert!(out.problems.is_empty(), "{:?}", out.problem_lines());
    assert_eq!(out.articles.len(), 1001);
    assert_eq!(out.articles[0].text.len(), long.len());
    assert_eq!(out.articles[1000].title.as_deref(), Some("Record 999"));
    assert!(out
        .articles
        .iter()
        .all(|a| a.origin.format == InputFormat::Jsonl));
    assert_eq!(out.articles[1].origin.location.line, Some(2));
}

#[test]
fn jsonl_whose_second_line_is_not_an_object_is_one_problem() {
    for bad in ["[1, 2", "garbage", "\"a string\"", "}"] {
        let mut data = jsonl_records(0, 1);
        data.push_str(bad);
        data.push('\n');
        data.push_str(&jsonl_records(1, 1000));
        let out = bytes(data.as_bytes(), None);
        assert_eq!(out.articles.len(), 1001, "second line {bad:?}");
        assert_eq!(out.skipped().len(), 1, "{:?}", out.problem_lines());
        assert_eq!(out.skipped()[0].location.line, Some(2), "{bad:?}");
    }
}

#[test]
fn jsonl_with_a_bad_first_line_reads_the_rest() {
    let long = "y".repeat(100 * 1024);
    for first in [
        "{\"text\": \"trailing comma\", }".to_string(),
        "{\"text\": \"unterminated string".to_string(),
        // Left open: the parser only notices on line 2, which is a record.
        "{\"text\": \"no closing brace\"".to_string(),
        format!("{{\"text\": \"{long}\" oops}}"),
    ] {
        let mut data = format!("{first}\n");
        data.push_str(&jsonl_records(0, 1000));
        let out = bytes(data.as_bytes(), None);
        assert_eq!(out.articles.len(), 1000, "first line {:.40?}", first);
        assert_eq!(out.skipped().len(), 1, "{:?}", out.problem_lines());
        assert_eq!(out.skipped()[0].location.line, Some(1));
        assert!(out.skipped()[0]
            .reason
            .contains("reading the rest as JSON Lines"));
        assert_eq!(out.articles[0].title.as_deref(), Some("Record 0"));
    }
}

#[test]
fn a_jsonl_name_decides_when_the_first_line_is_long() {
    let dir = tempfile::tempdir().unwrap();
    let long = "z".repeat(80 * 1024);
    let mut data = format!("{{\"text\": \"{long}\"}}\nnot json\n");
    data.push_str(&jsonl_records(0, 10));
    let p = write(dir.path(), "feed.jsonl", data.as_bytes());
    let out = read_path(&p, &opts());
    assert_eq!(out.articles.len(), 11);
    assert_eq!(out.skipped().len(), 1);
    assert_eq!(out.skipped()[0].location.line, Some(2));
}

#[test]
fn json_documents_are_still_documents() {
    // Pretty-printed: many lines, one document.
    let pretty =
        b"[\n  {\"text\": \"First article body.\"},\n  {\"text\": \"Second article body.\"}\n]\n";
    let out = bytes(pretty, None);
    assert_eq!(out.articles.len(), 2);
    assert!(out.problems.is_empty());
    assert!(out
        .articles
        .iter()
        .all(|a| a.origin.format == InputFormat::Json));
    let wrapped =
        b"{\n  \"status\": \"ok\",\n  \"articles\": [\n    {\"text\": \"Wrapped body.\"}\n  ]\n}";
    assert_eq!(bytes(wrapped, None).one().text, "Wrapped body.");
    let single = b"{\n  \"title\": \"One\",\n  \"text\": \"A single article object.\"\n}\n\n";
    let out = bytes(single, None);
    assert_eq!(out.one().text, "A single article object.");
    assert_eq!(out.one().origin.format, InputFormat::Json);
    // Broken further down: one problem, not one per remaining line.
    let broken = b"[\n  {\"text\": \"Kept.\"},\n  {\"text\": \"x\" \"y\"},\n  {\"text\": \"z\"},\n  {\"text\": \"w\"}\n]";
    let out = bytes(broken, None);
    assert_eq!(out.articles.len(), 1);
    assert_eq!(out.skipped().len(), 1, "{:?}", out.problem_lines());
    assert!(out.skipped()[0]
        .reason
        .contains("the rest of the file was not"));
}

#[test]
fn empty_json_lists_say_so() {
    for data in [
        &b"[]"[..],
        b"  [ ]\n",
        b"{\"articles\": []}",
        b"{\"data\": [], \"total\": 0}",
    ] {
        let out = bytes(data, None);
        assert!(out.articles.is_empty());
        assert_eq!(
            out.problem_lines(),
            ["-: skipped: holds no records: the JSON list of articles is empty"],
            "{}",
            String::from_utf8_lossy(data)
        );
    }
}

#[test]
fn a_lone_surrogate_rejects_its_record_only() {
    let doc = br#"[
 {"text": "Before the bad one."},
 {"text": "Bad \ud800 here."},
 {"text": "Also bad \udc00 alone."},
 {"text": "A pair \ud83d\ude00 is fine."},
 {"text": "An escaped backslash \\ud800 is text."},
 {"title": "\ud800", "text": "Bad title."},
 {"text": "After the bad ones."}
]"#;
    let out = bytes(doc, None);
    let texts: Vec<&str> = out.articles.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Before the bad one.",
            "A pair \u{1F600} is fine.",
            "An escaped backslash \\ud800 is text.",
            "After the bad ones."
        ]
    );
    let records: Vec<Option<u64>> = out.skipped().iter().map(|p| p.location.record).collect();
    assert_eq!(records, [Some(2), Some(3), Some(6)]);
    assert!(out.skipped()[0]
        .reason
        .contains("unpaired UTF-16 surrogate"));
    // JSON Lines: the same, by line.
    let lines =
        b"{\"text\": \"Good line.\"}\n{\"text\": \"\\ud800\"}\n{\"text\": \"Good again.\"}\n";
    let out = bytes(lines, None);
    assert_eq!(out.articles.len(), 2);
    assert_eq!(out.skipped().len(), 1);
    assert_eq!(out.skipped()[0].location.line, Some(2));
    // A high surrogate cut by the end of input.
    let out = bytes(b"[{\"text\": \"ok\"}, {\"text\": \"\\ud800", None);
    assert_eq!(out.articles.len(), 1);
    assert_eq!(out.skipped().len(), 1);
}

#[test]
fn hostile_json_shapes_are_problems() {
    // Nesting past serde's limit, a huge one-line document, NULs.
    let deep = "[".repeat(100_000);
    let out = bytes(deep.as_bytes(), Some(InputFormat::Json));
    assert!(out.articles.is_empty());
    assert_eq!(out.skipped().len(), 1);
    let mut huge = b"{\"articles\": [".to_vec();
    for i in 0..20_000 {
        if i > 0 {
            huge.push(b',');
        }
        huge.extend_from_slice(
            format!("{{\"text\": \"Article {i} of a one-line export.\"}}").as_bytes(),
        );
    }
    huge.extend_from_slice(b"]}");
    let out = bytes(&huge, None);
    assert_eq!(out.articles.len(), 20_000);
    assert!(out.problems.is_empty());
    let out = bytes(
        b"{\"text\": \"a\"}\n\0\0\0\n{\"text\": \"b\"}\n",
        Some(InputFormat::Json),
    );
    assert_eq!(out.articles.len(), 2, "{:?}", out.problem_lines());
}

#[test]
fn an_impossible_header_date_is_a_rejected_candidate_not_body_text() {
    let out = bytes(
        b"date 9999-99-99\n\nThe council met on the flood plan.",
        Some(InputFormat::Text),
    );
    let a = out.one();
    assert_eq!(a.text, "The council met on the flood plan.");
    assert_eq!(a.published, None);
    let c = a
        .date_candidates
        .iter()
        .find(|c| c.raw == "9999-99-99")
        .expect("the bad date is kept as a rejected candidate");
    assert_eq!(c.rejected_because, "not a date storyline can read");
    assert!(c.evidence.starts_with("header line 1"), "{}", c.evidence);
    assert_eq!(
        out.problem_lines(),
        ["-: warning: header date \"9999-99-99\" (header line 1: date 9999-99-99) not used: not a date storyline can read"]
    );
}
