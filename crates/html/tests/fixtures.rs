//! Extraction on realistic pages written for these tests (not third-party
//! content): what is kept, what is dropped, and which date and byline win.

use chrono::NaiveDate;
use storyline_core::DateProvenance;
use storyline_html::{extract, ExtractOptions, ExtractedPage};

fn load(name: &str, url: Option<&str>) -> ExtractedPage {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_default();
    let mut opts = ExtractOptions::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default());
    opts.url = url.map(str::to_string);
    match extract(&bytes, &opts) {
        Ok(p) => p,
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn wire_story_text_without_boilerplate() {
    let page = load("wire_story.html", None);
    assert_eq!(
        page.text,
        "DOHA, Nov 9 (Reuters) - Negotiators returned to the table in Doha on Thursday, officials familiar with the talks said, after a pause of almost two weeks in which fighting intensified.\n\n\
\"We are cautiously hopeful,\" a Qatari official said, adding that both sides had agreed to discuss the release of hostages and a pause in fighting of several days.\n\n\
Aid convoys\n\n\
More than 100 trucks carrying food, water and medicine were waiting at the Rafah crossing, the United Nations said, while aid agencies warned that supplies inside the territory were running out.\n\n\
Fuel deliveries remain suspended, according to the UN.\n\n\
Hospitals say generators will stop within days.\n\n\
Every hour of delay costs lives, said a spokesperson for the World Health Organization.\n\n\
The talks are expected to continue on Friday, two diplomats said, speaking on condition of anonymity because they were not authorised to talk to the media."
    );
    assert!(page.markdown.contains("\n\n## Aid convoys\n\n"));
    assert!(page
        .markdown
        .contains("\n\n- Fuel deliveries remain suspended"));
    assert!(page.markdown.contains("\n\n> Every hour of delay"));
}

#[test]
fn wire_story_metadata() {
    let page = load("wire_story.html", None);
    assert_eq!(
        page.title.as_deref(),
        Some("Ceasefire talks resume in Doha as aid convoys wait")
    );
    assert_eq!(page.authors, ["Jane Roe", "John Doe"]);
    assert_eq!(
        page.published.value.map(|t| t.to_string()).as_deref(),
        Some("2023-11-09T14:03:00Z")
    );
    assert_eq!(page.published.provenance, DateProvenance::Metadata);
    assert_eq!(
        page.published.evidence.as_deref(),
        Some("json-ld datePublished")
    );
    assert_eq!(
        page.modified.map(|t| t.to_string()).as_deref(),
        Some("2023-11-10T08:00:00Z")
    );
    assert_eq!(page.site_name.as_deref(), Some("Example Wire"));
    assert_eq!(page.language.as_deref(), Some("en"));
    assert_eq!(
        page.canonical_url.as_deref(),
        Some("https://news.example.com/world/2023/11/09/ceasefire-talks-resume/")
    );
    assert_eq!(
        page.description.as_deref(),
        Some("Negotiators returned to the table on Thursday.")
    );
    assert_eq!(page.encoding, "UTF-8");
    let why = |raw: &str| {
        page.date_candidates
            .iter()
            .find(|c| c.raw.starts_with(raw))
            .map(|c| c.rejected_because.clone())
            .unwrap_or_default()
    };
    assert!(
        why("2023-11-11").contains("comments"),
        "{:?}",
        page.date_candidates
    );
    assert!(
        why("2023-11-08").contains("teaser"),
        "{:?}",
        page.date_candidates
    );
    assert!(
        why("2023-11-10").contains("modification"),
        "{:?}",
        page.date_candidates
    );
}

#[test]
fn german_blog_visible_date_byline_and_future_meta_rejected() {
    let page = load("german_blog.html", None);
    assert_eq!(
        page.title.as_deref(),
        Some("Neue Radwege für die Innenstadt")
    );
    assert_eq!(page.authors, ["Anna Schmidt", "Max Müller"]);
    assert_eq!(
        page.published.value.map(|t| t.to_string()).as_deref(),
        Some("2023-11-09")
    );
    assert_eq!(page.published.provenance, DateProvenance::Dateline);
    assert!(page.published.confidence < 1.0);
    assert!(page
        .date_candidates
        .iter()
        .any(|c| c.raw == "2031-05-01" && c.rejected_because.contains("future")));
    assert!(page.text.starts_with("Der Stadtrat hat am Dienstag"));
    assert!(page.text.ends_with("im Rathaus."), "{}", page.text);
    assert!(!page.text.contains("Kommentare"));
    assert_eq!(page.language.as_deref(), Some("de"));
}

#[test]
fn url_date_when_the_page_states_none() {
    let html = b"<html><body><article><h1>Plain page</h1><p>A paragraph long enough to be an article body, with a comma, and more words.</p></article></body></html>";
    let mut opts = ExtractOptions::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default());
    opts.url = Some("https://example.org/news/2023/11/09/plain-page".into());
    let page = extract(html, &opts).map_err(|e| e.to_string());
    let published = page.map(|p| {
        (
            p.published.value.map(|t| t.to_string()),
            p.published.provenance,
        )
    });
    assert_eq!(
        published,
        Ok((Some("2023-11-09".to_string()), DateProvenance::Url))
    );
}

#[test]
fn no_evidence_no_date() {
    let html = b"<html><body><article><h1>Undated</h1><p>A paragraph long enough to be an article body, with a comma, and more words.</p></article></body></html>";
    let opts = ExtractOptions::new(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default());
    let page = extract(html, &opts).map_err(|e| e.to_string());
    assert_eq!(
        page.map(|p| p.published),
        Ok(storyline_core::PublishedDate::unknown())
    );
}
