//! The three seed articles and the BBC corpus in `shared/` (skipped when absent).

mod common;

use common::*;
use storyline_core::DateProvenance;
use storyline_ingest::Input;

#[test]
fn seed_000_header_date_on_the_first_line() {
    let Some(p) = shared("seeds/000_6f287d2481ce29e6.txt") else {
        return;
    };
    let (out, r) = input(&Input::Path(p), &opts());
    r.unwrap();
    let a = out.one();
    assert_eq!(a.published.unwrap().to_string(), "2023-11-09");
    assert_eq!(a.published_provenance, DateProvenance::Header);
    assert_eq!(
        a.published_evidence.as_deref(),
        Some("header line 1: date 2023-11-09")
    );
    assert_eq!(a.published_confidence, 1.0);
    assert!(
        a.text
            .starts_with("As the Israeli assault on Gaza continues"),
        "{}",
        &a.text[..80]
    );
    assert!(!a.text.contains("date 2023"));
    assert_eq!(a.language.as_deref(), Some("en"));
    assert!(a.authors.is_empty());
    assert_eq!(a.dateline, None);
    assert!(out.problems.is_empty(), "{:?}", out.problems);
}

#[test]
fn seed_001_byline_and_dateline_no_date() {
    let Some(p) = shared("seeds/001_0df945805181cfba.txt") else {
        return;
    };
    let (out, r) = input(&Input::Path(p), &opts());
    r.unwrap();
    let a = out.one();
    assert_eq!(a.authors, ["Simon Lewis", "Ari Rabinovitch"]);
    assert!(a.text.starts_with("TEL AVIV (Reuters) – U.S. top diplomat"));
    let d = a.dateline.as_ref().unwrap();
    assert_eq!(d.place, "TEL AVIV");
    assert_eq!(d.agency.as_deref(), Some("Reuters"));
    assert_eq!(d.date_text, None);
    assert_eq!(d.span.slice(&a.text), Some("TEL AVIV (Reuters) –"));
    assert_eq!(a.source.as_deref(), Some("Reuters"));
    // "Oct. 7" has no year: no date.
    assert_eq!(a.published, None);
    assert_eq!(a.published_provenance, DateProvenance::Unknown);
    // The wire credit stays in the text and adds no authors.
    assert!(a
        .text
        .ends_with("(Reporting by Simon Lewis and Ari Rabinovich; Editing by Andrew Cawthorne)"));
    assert!(out.problems.is_empty(), "{:?}", out.problems);
}

#[test]
fn seed_002_no_metadata() {
    let Some(p) = shared("seeds/002_740c46d2370c7443.txt") else {
        return;
    };
    let (out, r) = input(&Input::Path(p), &opts());
    r.unwrap();
    let a = out.one();
    assert_eq!(a.published, None);
    assert_eq!(a.published_provenance, DateProvenance::Unknown);
    assert!(a.authors.is_empty());
    assert_eq!(a.dateline, None);
    assert_eq!(a.source, None);
    assert!(a.text.starts_with("Recently, news of Israeli airstrikes"));
    assert_eq!(a.language.as_deref(), Some("en"));
}

#[test]
fn seeds_directory_reads_all_three_in_order() {
    let Some(p) = shared("seeds") else { return };
    let (out, r) = input(&Input::Path(p), &opts());
    let summary = r.unwrap();
    assert_eq!(summary.files, 3);
    assert_eq!(out.articles.len(), 3);
    let names: Vec<String> = out
        .articles
        .iter()
        .map(|a| a.origin.location.source.clone())
        .collect();
    assert!(names[0].ends_with("000_6f287d2481ce29e6.txt"));
    assert!(names[2].ends_with("002_740c46d2370c7443.txt"));
}

#[test]
fn bbc_csv_all_rows_with_dates() {
    let Some(p) = shared("data/gaza2023/bbc_articles_20231007_to_20231113.csv") else {
        return;
    };
    let (out, r) = input(&Input::Path(p), &opts());
    r.unwrap();
    assert_eq!(out.skipped().len(), 0, "{:?}", out.skipped());
    assert_eq!(out.articles.len(), 520);
    for a in &out.articles {
        assert_eq!(
            a.published_provenance,
            DateProvenance::Metadata,
            "{:?}",
            a.origin
        );
        assert_eq!(a.published_evidence.as_deref(), Some("column date"));
        assert!(a.url.as_deref().unwrap().starts_with("http://bbc.co.uk/"));
        assert_eq!(a.source.as_deref(), Some("bbc.co.uk"));
        assert!(a.title.is_some());
        assert!(
            !a.text.starts_with("['"),
            "python list not parsed: {:?}",
            &a.text[..40]
        );
        assert!(a.origin.location.record.is_some());
    }
    let first = &out.articles[0];
    assert_eq!(first.published.unwrap().to_string(), "2023-10-10T18:24:51Z");
    assert!(first
        .text
        .starts_with("As Israel rushed onto a war footing on Saturday morning"));
    assert!(first.text.contains("\"From 6.30am, we were itching to know why we weren't being called up already,\" said Michael Goldberg"));
    assert!(first.text.contains("\n\n"));
}
