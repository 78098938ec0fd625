//! Each supported format, read from the fixtures in `tests/fixtures/`.

mod common;

use common::*;
use storyline_core::{DateProvenance, InputFormat};
use storyline_ingest::{FieldMap, IngestOptions, Input};

fn path(name: &str) -> (Out, storyline_ingest::ReadSummary) {
    let (out, r) = input(&Input::Path(fixture(name)), &opts());
    (out, r.unwrap())
}

#[test]
fn text_with_headers_byline_and_dateline() {
    let (out, _) = path("text/headers_byline_dateline.txt");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let a = out.one();
    assert_eq!(
        a.title.as_deref(),
        Some("Flood barriers hold as river crests")
    );
    assert_eq!(a.source.as_deref(), Some("The Valley Courier"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://www.valleycourier.example/2023/11/08/flood-barriers")
    );
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(a.authors, ["Mira Osei", "Daniel Kowalski"]);
    let d = a.dateline.as_ref().unwrap();
    assert_eq!(
        (
            d.place.as_str(),
            d.agency.as_deref(),
            d.date_text.as_deref()
        ),
        ("LINZ", Some("Reuters"), Some("Nov 8"))
    );
    assert_eq!(d.span.slice(&a.text), Some("LINZ, Nov 8 (Reuters) -"));
    // The dateline has no year; the URL's year completes it.
    assert_eq!(a.published.unwrap().to_string(), "2023-11-08");
    assert_eq!(a.published_provenance, DateProvenance::Dateline);
    assert_eq!(
        a.published_evidence.as_deref(),
        Some("dateline: LINZ, Nov 8 (Reuters) - (year 2023 from the URL)")
    );
    assert!(a
        .text
        .starts_with("LINZ, Nov 8 (Reuters) - Temporary flood barriers"));
    assert!(a
        .text
        .ends_with("(Reporting by Mira Osei; Editing by Paul Brandt)"));
    assert_eq!(a.origin.format, InputFormat::Text);
}

#[test]
fn text_with_date_header_on_the_body_line() {
    let (out, _) = path("text/date_on_first_line.txt");
    let a = out.one();
    assert_eq!(a.published.unwrap().to_string(), "2023-11-02");
    assert_eq!(a.published_provenance, DateProvenance::Header);
    assert_eq!(
        a.published_evidence.as_deref(),
        Some("header line 1: date 2023-11-02")
    );
    assert_eq!(
        a.text,
        "Rescue teams reached the last cut-off village on Thursday, officials said, after a week of landslides.\n\nHelicopters flew in food and medicine. Roads remain closed."
    );
}

#[test]
fn text_date_inferred_from_latest_mention() {
    let (out, _) = path("text/inferred.txt");
    let a = out.one();
    assert_eq!(a.published.unwrap().to_string(), "2023-11-06");
    assert_eq!(a.published_provenance, DateProvenance::Inferred);
    assert_eq!(
        a.published_evidence.as_deref(),
        Some("Union leaders signed the agreement on 6 November 2023, and the first vessel docked the next morning.")
    );
    assert!(a.published_confidence > 0.0 && a.published_confidence <= 0.5);
}

#[test]
fn markdown_with_front_matter() {
    let (out, _) = path("md/article.md");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let a = out.one();
    assert_eq!(a.title.as_deref(), Some("Ceasefire talks resume in Doha"));
    assert_eq!(a.authors, ["Lena Fischer", "Omar Haddad"]);
    assert_eq!(a.source.as_deref(), Some("Harbour Post"));
    assert_eq!(a.published.unwrap().to_string(), "2023-11-10");
    assert_eq!(a.published_provenance, DateProvenance::Header);
    assert_eq!(
        a.published_evidence.as_deref(),
        Some("front matter line 3: date: 2023-11-10")
    );
    assert_eq!(
        a.text,
        "Negotiators returned to the table on Friday, according to two officials briefed on the talks.\n\nWhat is on the table\n\nA four-day pause in fighting\n\nThe release of fifty captives\n\n\"We are closer than last week,\" one mediator said."
    );
    assert_eq!(a.origin.format, InputFormat::Markdown);
}

#[test]
fn csv_rows_with_python_lists_and_bad_rows() {
    let (out, _) = path("csv/articles.csv");
    let titles: Vec<&str> = out
        .articles
        .iter()
        .filter_map(|a| a.title.as_deref())
        .collect();
    assert_eq!(titles, ["Bridge reopens", "School opens", "Future"]);
    let a = &out.articles[0];
    assert_eq!(
        a.text,
        "The bridge reopened on Wednesday after repairs.\n\nDrivers said it was 'about time'.\n\nOfficials promised more checks."
    );
    assert_eq!(a.published.unwrap().to_string(), "2023-11-01T09:30:00Z");
    assert_eq!(a.published_provenance, DateProvenance::Metadata);
    assert_eq!(a.published_evidence.as_deref(), Some("column date"));
    assert_eq!(
        a.source.as_deref(),
        Some("citynews.example"),
        "host without www."
    );
    assert_eq!(a.origin.location.record, Some(1));
    assert_eq!(out.articles[1].source.as_deref(), Some("City News"));
    let future = &out.articles[2];
    assert_eq!(future.published, None);
    assert_eq!(future.date_candidates[0].raw, "2031-01-01");
    assert!(future.date_candidates[0]
        .rejected_because
        .contains("future"));

    let lines = out.problem_lines();
    let name = fixture("csv/articles.csv").display().to_string();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with(&format!("{name}:4 (record 3): skipped: record has no text")),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        format!("{name} (record 4): warning: metadata date \"2031-01-01\" (column date) not used: 2031-01-01 is in the future (after 2023-11-13)")
    );
    assert!(
        lines[2].starts_with(&format!(
            "{name}:6 (record 5): skipped: row has 3 fields but the header has 6"
        )),
        "{}",
        lines[2]
    );
}

#[test]
fn tsv_with_other_column_names() {
    let (out, _) = path("csv/articles.tsv");
    let a = out.one();
    assert_eq!(a.title.as_deref(), Some("Market rally"));
    assert_eq!(a.text, "Shares rose for a third day as inflation eased.");
    assert_eq!(a.published.unwrap().to_string(), "2023-11-06");
    assert_eq!(a.published_evidence.as_deref(), Some("column pubDate"));
}

#[test]
fn csv_explicit_field_map() {
    let o = IngestOptions {
        field_map: "text=title,title=text".parse::<FieldMap>().unwrap(),
        ..opts()
    };
    let (out, r) = input(
        &Input::Path(fixture("csv/articles.tsv")),
        &IngestOptions {
            field_map: "text=body,date=pubDate,title=headline".parse().unwrap(),
            ..opts()
        },
    );
    r.unwrap();
    assert_eq!(out.one().title.as_deref(), Some("Market rally"));
    let (out, r) = input(&Input::Path(fixture("csv/articles.csv")), &o);
    r.unwrap();
    assert_eq!(out.articles[0].text, "Bridge reopens");
    let (out, r) = input(
        &Input::Path(fixture("csv/articles.csv")),
        &IngestOptions {
            field_map: "text=nope".parse().unwrap(),
            ..opts()
        },
    );
    r.unwrap();
    assert!(out.articles.is_empty());
    assert!(
        out.problems[0]
            .reason
            .starts_with("no text column among [date, href, text, title, url, outlet]"),
        "{}",
        out.problems[0].reason
    );
}

#[test]
fn json_array_with_bad_elements() {
    let (out, _) = path("json/array.json");
    assert_eq!(out.articles.len(), 2);
    let a = &out.articles[0];
    assert_eq!(a.title.as_deref(), Some("Wind farm approved"));
    assert_eq!(a.authors, ["Ana Ruiz"]);
    assert_eq!(a.source.as_deref(), Some("energywire.example"));
    assert_eq!(a.published_evidence.as_deref(), Some("field published_at"));
    assert_eq!(a.origin.location.record, Some(1));
    let b = &out.articles[1];
    assert_eq!(
        b.text,
        "The operator will spend more on cables.\n\nWork starts in spring."
    );
    assert_eq!(b.published.unwrap().date.to_string(), "2023-11-08");
    assert_eq!(b.source.as_deref(), Some("Energy Wire"));
    assert_eq!(b.origin.location.record, Some(4));
    let skipped: Vec<(Option<u64>, &str)> = out
        .skipped()
        .iter()
        .map(|p| (p.location.record, p.reason.as_str()))
        .collect();
    assert_eq!(skipped.len(), 2);
    assert_eq!(skipped[0].0, Some(2));
    assert!(skipped[0].1.starts_with("record has no text"));
    assert_eq!(
        skipped[1],
        (Some(3), "record is a string, not a JSON object")
    );
}

#[test]
fn json_wrapped_api_response() {
    let (out, _) = path("json/wrapped.json");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(out.articles.len(), 2);
    let a = &out.articles[0];
    assert_eq!(a.source.as_deref(), Some("Coastal Times"));
    assert_eq!(a.authors, ["Tom Ng"]);
    assert!(a.text.starts_with("Dredging of the harbour"));
    assert_eq!(a.published.unwrap().to_string(), "2023-11-05T10:00:00Z");
    assert!(out.articles[1].authors.is_empty());
}

#[test]
fn json_single_object_news_please_style() {
    let (out, _) = path("json/single.json");
    let a = out.one();
    assert_eq!(a.title.as_deref(), Some("Library extends hours"));
    assert_eq!(a.source.as_deref(), Some("townhall.example"));
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(a.published.unwrap().to_string(), "2023-11-08T12:00:00");
    assert_eq!(a.origin.location.record, None);
}

#[test]
fn json_truncated_and_malformed_keep_earlier_records() {
    let (out, _) = path("json/truncated.json");
    assert_eq!(out.articles.len(), 2);
    let p = out.skipped();
    assert_eq!(p.len(), 1);
    assert!(p[0].reason.starts_with("truncated JSON"), "{}", p[0].reason);
    assert_eq!(p[0].location.record, Some(3));

    let (out, _) = path("json/malformed.json");
    assert_eq!(out.articles.len(), 1);
    let p = out.skipped();
    assert_eq!(p.len(), 1);
    assert!(p[0].reason.starts_with("malformed JSON"), "{}", p[0].reason);
    assert_eq!(p[0].location.line, Some(2));
}

#[test]
fn jsonl_lines_bad_lines_skipped_alone() {
    for name in ["json/articles.jsonl", "json/noext_jsonl"] {
        let (out, _) = path(name);
        assert_eq!(out.articles.len(), 2, "{name}");
        let a = &out.articles[0];
        assert_eq!(a.url.as_deref(), Some("https://transit.example/strike"));
        assert_eq!(a.origin.format, InputFormat::Jsonl);
        assert_eq!(a.origin.location.record, Some(1));
        let b = &out.articles[1];
        assert_eq!(b.authors, ["Lea Park", "Sam Ortiz"]);
        assert_eq!(b.published.unwrap().to_string(), "2023-11-07T09:00:00Z");
        assert_eq!(b.origin.location.line, Some(6));
        let skipped: Vec<(Option<u64>, String)> = out
            .skipped()
            .iter()
            .map(|p| (p.location.line, p.reason.chars().take(24).collect()))
            .collect();
        assert_eq!(
            skipped,
            [
                (Some(2), "malformed JSON: EOF whil".to_string()),
                (Some(3), "record is a number, not ".to_string()),
                (Some(3), "record is a number, not ".to_string()),
                (Some(5), "record has no text (look".to_string()),
            ],
            "{name}"
        );
    }
}

#[test]
fn rss_items() {
    let (out, _) = path("feeds/rss.xml");
    assert_eq!(out.articles.len(), 3, "{:#?}", out.problems);
    let a = &out.articles[0];
    assert_eq!(a.title.as_deref(), Some("Tram line & depot open"));
    assert_eq!(a.text, "The new tram line opened on Tuesday, linking the depot to the city centre.\n\nRiders said the trip took “half the time”.");
    assert_eq!(
        a.url.as_deref(),
        Some("https://metroledger.example/2023/11/07/tram")
    );
    assert_eq!(a.authors, ["Priya Nair"]);
    assert_eq!(a.source.as_deref(), Some("Metro Ledger"));
    assert_eq!(a.language.as_deref(), Some("en"));
    assert_eq!(a.published.unwrap().to_string(), "2023-11-07T14:03:00Z");
    assert_eq!(a.published_provenance, DateProvenance::Metadata);
    assert_eq!(a.published_evidence.as_deref(), Some("feed item <pubDate>"));
    assert_eq!(a.origin.format, InputFormat::Feed);
    assert_eq!(a.origin.location.record, Some(1));
    let b = &out.articles[1];
    assert_eq!(b.text, "Councillors approved the budget by 31 votes to 12.");
    assert_eq!(b.authors, ["Jon Bell"]);
    let c = &out.articles[2];
    assert_eq!(c.published, None);
    assert_eq!(c.date_candidates.len(), 1);
    let skipped = out.skipped();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].location.record, Some(3));
    assert!(skipped[0].reason.contains("has no text"));
    assert_eq!(out.warnings().len(), 1);
}

#[test]
fn atom_entries() {
    let (out, _) = path("feeds/atom.xml");
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(out.articles.len(), 2);
    let a = &out.articles[0];
    assert_eq!(a.title.as_deref(), Some("Levels fall after storm"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://riverwatch.example/levels-fall")
    );
    assert_eq!(
        a.text,
        "River levels fell overnight.\n\nGauges show a drop of 40 cm."
    );
    assert_eq!(a.authors, ["Ines Costa"]);
    assert_eq!(
        a.published.unwrap().to_string(),
        "2023-11-09T06:00:00+01:00"
    );
    assert_eq!(
        a.published_evidence.as_deref(),
        Some("feed item <published>")
    );
    assert_eq!(a.source.as_deref(), Some("River Watch"));
    let b = &out.articles[1];
    assert_eq!(b.text, "Crews cleared debris from two bridges.");
    assert_eq!(b.published_evidence.as_deref(), Some("feed item <updated>"));
}

#[test]
fn broken_feed_keeps_items_before_the_error() {
    let (out, _) = path("feeds/broken.xml");
    assert_eq!(out.articles.len(), 1);
    assert_eq!(out.articles[0].title.as_deref(), Some("Good item"));
    let skipped = out.skipped();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0].location.record, Some(2));
}

#[test]
fn html_page_goes_through_the_extractor() {
    let (out, _) = path("html/article.html");
    let a = out.one();
    assert_eq!(a.origin.format, InputFormat::Html);
    assert!(
        a.text.contains("Night buses will run again on four routes"),
        "{}",
        a.text
    );
    assert!(!a.text.contains("All rights reserved"));
    assert_eq!(a.published.unwrap().to_string(), "2023-11-06T07:00:00Z");
    assert_eq!(a.published_provenance, DateProvenance::Metadata);
    assert_eq!(a.language.as_deref(), Some("en"));
}

#[test]
fn html_without_an_article_is_a_problem() {
    let (out, _) = path("html/no_article.html");
    assert!(out.articles.is_empty());
    let p = out.skipped();
    assert_eq!(p.len(), 1);
    assert!(
        p[0].reason.starts_with("no article found in the page"),
        "{}",
        p[0].reason
    );
}

#[test]
fn input_from_arg() {
    assert_eq!(Input::from_arg("-"), Input::Stdin);
    assert_eq!(
        Input::from_arg("HTTPS://x.example/a"),
        Input::Url("HTTPS://x.example/a".into())
    );
    assert_eq!(Input::from_arg("./http"), Input::Path("./http".into()));
}

#[test]
fn read_bytes_with_hint_and_sniffing() {
    let out = bytes(b"title,text\nA,Body of A.\n", None);
    assert_eq!(out.one().text, "Body of A.");
    let out = bytes(b"# Heading\n\nSome *text*.", Some(InputFormat::Markdown));
    assert_eq!(out.one().text, "Some text.");
    let out = bytes(b"# Heading\n\nSome *text*.", Some(InputFormat::Text));
    assert_eq!(out.one().text, "# Heading\n\nSome *text*.");
}
