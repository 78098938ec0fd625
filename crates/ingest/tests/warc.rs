//! WARC files, plain and gzip-compressed, with malformed records.

mod common;

use std::io::Write;

use common::*;
use storyline_core::{DateProvenance, InputFormat};
use storyline_ingest::Input;

const HTML: &str = include_str!("fixtures/html/article.html");

fn record(kind: &str, uri: &str, date: &str, block: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\nWARC-Record-ID: <urn:uuid:{:08x}>\r\nContent-Length: {}\r\n\r\n",
        block.len(),
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn http(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut b = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    b.extend_from_slice(body);
    b
}

fn latin1_page() -> Vec<u8> {
    let html = HTML.replace("<meta charset=\"utf-8\">", "").replace(
        "Night buses will run",
        "Les bus de nuit reviendront (caf\u{e9}) ; night buses will run",
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&html);
    bytes.into_owned()
}

fn sample_warc() -> Vec<Vec<u8>> {
    vec![
        record(
            "warcinfo",
            "",
            "2023-11-10T00:00:00Z",
            b"software: test\r\n",
        ),
        record(
            "request",
            "https://metroledger.example/night-buses",
            "2023-11-10T00:00:01Z",
            b"GET / HTTP/1.1\r\n\r\n",
        ),
        record(
            "response",
            "https://metroledger.example/night-buses",
            "2023-11-10T00:00:02Z",
            &http("text/html; charset=windows-1252", &latin1_page()),
        ),
        record(
            "response",
            "https://metroledger.example/logo.png",
            "2023-11-10T00:00:03Z",
            &http("image/png", b"\x89PNG\r\n\x1a\n"),
        ),
        // Published after it was crawled: impossible, so the date is rejected.
        record(
            "response",
            "https://metroledger.example/crawled-early",
            "2023-11-01T00:00:00Z",
            &http("text/html", HTML.as_bytes()),
        ),
    ]
}

fn read_warc_bytes(data: &[u8]) -> Out {
    bytes(data, None)
}

#[test]
fn plain_warc() {
    let data: Vec<u8> = sample_warc().concat();
    let out = read_warc_bytes(&data);
    assert_eq!(out.articles.len(), 2, "{:#?}", out.problems);
    let a = &out.articles[0];
    assert_eq!(a.origin.format, InputFormat::Warc);
    assert_eq!(a.origin.location.record, Some(3));
    assert_eq!(
        a.url.as_deref(),
        Some("https://metroledger.example/night-buses")
    );
    assert!(
        a.text.contains("Les bus de nuit reviendront (café)"),
        "{}",
        a.text
    );
    assert_eq!(a.published.unwrap().to_string(), "2023-11-06T07:00:00Z");
    assert_eq!(a.published_provenance, DateProvenance::Metadata);
    assert!(a.date_candidates.iter().any(|c| c.evidence == "WARC-Date"));

    let b = &out.articles[1];
    assert_eq!(b.origin.location.record, Some(5));
    assert_ne!(
        b.published.map(|p| p.to_string()).as_deref(),
        Some("2023-11-06T07:00:00Z")
    );
    assert!(
        b.date_candidates
            .iter()
            .any(|c| c.raw.contains("2023-11-06")),
        "{:?}",
        b.date_candidates
    );
    assert!(out.skipped().is_empty(), "{:?}", out.skipped());
}

#[test]
fn gzip_per_record_and_whole_file() {
    let recs = sample_warc();
    let mut per_record = Vec::new();
    for r in &recs {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(r).unwrap();
        per_record.extend(enc.finish().unwrap());
    }
    let out = read_warc_bytes(&per_record);
    assert_eq!(out.articles.len(), 2, "{:?}", out.problems);

    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&recs.concat()).unwrap();
    let whole = enc.finish().unwrap();
    let out = read_warc_bytes(&whole);
    assert_eq!(out.articles.len(), 2);

    // From a file named .warc.gz.
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("crawl.warc.gz");
    std::fs::write(&p, &per_record).unwrap();
    let (out, r) = input(&Input::Path(p), &opts());
    r.unwrap();
    assert_eq!(out.articles.len(), 2);
}

#[test]
fn malformed_records_are_reported_and_reading_resumes() {
    let recs = sample_warc();
    let mut data = Vec::new();
    data.extend(&recs[2]); // 1: good page
    data.extend(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: banana\r\n\r\n<html>junk</html>\r\n\r\n"); // 2: bad length
    data.extend(b"garbage between records\r\nmore garbage\r\n"); // junk, reported once
    data.extend(&recs[2]); // 3 (after junk): good page again
    let mut truncated = recs[2].clone();
    truncated.truncate(truncated.len() / 2);
    data.extend(truncated); // 4: truncated at end of file
    let out = read_warc_bytes(&data);
    assert_eq!(out.articles.len(), 2, "{:#?}", out.problems);
    let lines = out.problem_lines();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert_eq!(lines[0], "- (record 2): skipped: WARC record without a valid Content-Length; skipping to the next record");
    assert!(lines[1].starts_with("- (record 3): skipped: expected a WARC record header (WARC/1.x), found \"<html>junk</html>\""), "{}", lines[1]);
    assert!(
        lines[2].starts_with("- (record 4): skipped: truncated WARC record: Content-Length says"),
        "{}",
        lines[2]
    );
}

#[test]
fn warc_record_over_the_size_limit() {
    let recs = sample_warc();
    let o = storyline_ingest::IngestOptions {
        max_file_bytes: 1000,
        ..opts()
    };
    let out = bytes_with(&recs.concat(), Some(InputFormat::Warc), &o);
    assert!(out.articles.is_empty());
    assert_eq!(out.skipped().len(), 2);
    assert!(out.skipped()[0].reason.contains("over the 1000-byte limit"));
}

/// Bytes that look binary to any sniff: a PNG header, then noise.
fn image(len: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend((0..len as u32).map(|i| (i.wrapping_mul(2654435761) >> 11) as u8));
    b
}

#[test]
fn a_crawl_opening_with_images_is_read_as_warc() {
    let page = record(
        "response",
        "https://metroledger.example/night-buses",
        "2023-11-10T00:00:02Z",
        &http("text/html; charset=windows-1252", &latin1_page()),
    );
    let mut data = Vec::new();
    for i in 0..3 {
        data.extend(record(
            "response",
            &format!("https://metroledger.example/img{i}.png"),
            "2023-11-10T00:00:01Z",
            &http("image/png", &image(20_000)),
        ));
    }
    data.extend(&page);
    let out = read_warc_bytes(&data);
    assert!(out.problems.is_empty(), "{:?}", out.problem_lines());
    assert_eq!(out.articles.len(), 1);
    assert_eq!(out.articles[0].origin.location.record, Some(4));

    // The same compressed, and from a file with no telling name.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&data).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("crawl-0001");
    std::fs::write(&p, enc.finish().unwrap()).unwrap();
    let (out, r) = input(&Input::Path(p), &opts());
    r.unwrap();
    assert_eq!(out.articles.len(), 1, "{:?}", out.problem_lines());
}

#[test]
fn a_warc_of_only_binary_records_reports_nothing_wrong_and_finds_nothing() {
    let data = record(
        "resource",
        "https://metroledger.example/a.bin",
        "2023-11-10T00:00:01Z",
        &image(50_000),
    );
    let out = read_warc_bytes(&data);
    assert!(out.articles.is_empty());
    assert!(out.skipped().is_empty(), "{:?}", out.problem_lines());
}
