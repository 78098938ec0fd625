//! Hostile and degenerate input: no panic, no stack overflow, bounded time,
//! and a clear `NoArticle` when there is nothing to extract.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use proptest::prelude::*;
use storyline_html::{extract, ExtractError, ExtractOptions, MAX_INPUT_BYTES};

fn opts() -> ExtractOptions {
    ExtractOptions::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default())
}

const PARA: &str = "<p>The council voted on Tuesday to extend the programme, officials said, after a long debate.</p>";

fn timed<T>(limit: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    out
}

#[test]
fn deep_nesting_is_handled_iteratively() {
    let depth = 100_000;
    let html = format!(
        "<html><body>{}{}{}</body></html>",
        "<div>".repeat(depth),
        PARA.repeat(3),
        "</div>".repeat(depth)
    );
    let page = timed(Duration::from_secs(60), || {
        extract(html.as_bytes(), &opts())
    });
    let page = page.map_err(|e| e.to_string());
    assert!(page.is_ok_and(|p| p.text.contains("The council voted")));
}

#[test]
fn deep_unclosed_inline_nesting() {
    let html = format!(
        "<body><p>{}text that goes on and on, with commas, to be an article.",
        "<b><i><span>".repeat(30_000)
    );
    let r = timed(Duration::from_secs(60), || {
        extract(html.as_bytes(), &opts())
    });
    assert!(r.is_ok_and(|p| p.text.contains("text that goes on")));
}

#[test]
fn fifty_megabytes_in_bounded_time() {
    let mut html = String::with_capacity(50 * 1024 * 1024 + 1024);
    html.push_str("<html><body><article>");
    while html.len() < 50 * 1024 * 1024 {
        html.push_str(PARA);
    }
    html.push_str("</article></body></html>");
    let page = timed(Duration::from_secs(120), || {
        extract(html.as_bytes(), &opts())
    });
    assert!(page.is_ok_and(|p| p.text.len() > 10_000_000));
}

#[test]
fn over_the_cap_is_refused_unparsed() {
    let html = vec![b'a'; MAX_INPUT_BYTES + 1];
    assert_eq!(
        extract(&html, &opts()).err(),
        Some(ExtractError::TooLarge {
            bytes: MAX_INPUT_BYTES + 1,
            limit: MAX_INPUT_BYTES
        })
    );
}

#[test]
fn unclosed_tags_keep_text() {
    let html = "<html><body><div><p>The council voted on Tuesday to extend the programme, officials said<p>Second paragraph without any closing tags at all, which is still fine<div><table><tr><td>cell";
    let page = extract(html.as_bytes(), &opts()).map_err(|e| e.to_string());
    assert!(page.is_ok_and(|p| p.text.contains("Second paragraph without")));
}

#[test]
fn script_only_page_is_no_article() {
    let html = "<html><head><script>var a = '<p>not text</p>';</script></head><body><div id=app></div><script src=app.js></script></body></html>";
    let err = extract(html.as_bytes(), &opts()).err();
    assert_eq!(
        err.map(|e| e.to_string()),
        Some("no article found: the page has no visible text, only 2 script(s); it is probably rendered by JavaScript".to_string())
    );
}

#[test]
fn empty_and_binary_input_is_no_article() {
    for input in [
        &b""[..],
        b"\x00\x01\x02\xff\xfe\x00",
        b"<html></html>",
        b"just a few words",
    ] {
        assert!(
            matches!(extract(input, &opts()), Err(ExtractError::NoArticle { .. })),
            "{input:?}"
        );
    }
}

#[test]
fn text_only_in_noscript_is_found() {
    let html = format!(
        "<html><body><div id=app></div><noscript>{}</noscript></body></html>",
        PARA.repeat(3)
    );
    let page = extract(html.as_bytes(), &opts()).map_err(|e| e.to_string());
    assert!(page.is_ok_and(|p| p.text.starts_with("The council voted")));
}

#[test]
fn text_only_in_jsonld_article_body() {
    let html = r#"<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Council votes","articleBody":"The council voted on Tuesday to extend the programme.\nOfficials said the debate was long."}</script></head><body><div id=root></div></body></html>"#;
    let page = extract(html.as_bytes(), &opts()).map_err(|e| e.to_string());
    assert!(page.as_ref().is_ok_and(|p| p.text == "The council voted on Tuesday to extend the programme.\n\nOfficials said the debate was long."), "{page:?}");
    assert!(page.is_ok_and(|p| p.title.as_deref() == Some("Council votes")));
}

#[test]
fn zero_width_and_bidi_characters_are_removed() {
    let html = "<article><p>The coun\u{200B}cil vo\u{FEFF}ted \u{202E}on Tuesday\u{202C} to extend the pro\u{00AD}gramme, officials said.</p></article>";
    let page = extract(html.as_bytes(), &opts()).map_err(|e| e.to_string());
    assert_eq!(
        page.map(|p| p.text),
        Ok("The council voted on Tuesday to extend the programme, officials said.".to_string())
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let _ = extract(&bytes, &opts());
    }

    #[test]
    fn never_panics_on_tag_soup(parts in proptest::collection::vec(prop_oneof![
        Just("<div>".to_string()), Just("</div>".to_string()), Just("<p>".to_string()), Just("<table>".to_string()),
        Just("<td>".to_string()), Just("<script>".to_string()), Just("<!--".to_string()), Just("<time datetime='2023-11-09'>".to_string()),
        Just("<script type='application/ld+json'>{\"@graph\":[[[".to_string()), Just("<a href=x>".to_string()), Just("<meta name=date content='3000-01-01'>".to_string()),
        "\\PC{0,40}",
    ], 0..60)) {
        let html = parts.concat();
        let _ = extract(html.as_bytes(), &opts());
    }
}
