//! Rendering tests over a hand-made briefing whose every text field is a
//! markup payload: nothing from an article may reach the output unescaped.

use chrono::NaiveDate;
use storyline_core::{ArticleId, DateProvenance, Span};
use storyline_engine::analysis::AttributionKind;
use storyline_engine::brief::*;
use storyline_engine::link_views::{DevelopmentRef, StorySummary, TimelineSentence};
use storyline_link::claims::{Evidence, Position};
use storyline_link::findings::{Finding, FindingKind, FindingSide};

use crate::{html, html_index, markdown, markdown_index, Context};

const EVIL: &str = "<script>alert('x')</script>";

/// Terminal payloads: clear the screen, an OSC 8 hyperlink, a C1 CSI, a
/// right-to-left override.
const TERM: &str =
    "\u{1b}[2J\u{1b}]8;;http://evil.example\u{7}link\u{1b}]8;;\u{7}\u{9b}31m\u{202e}gnp.exe";

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
}

fn side(article: &ArticleId, value: f64, d: u32) -> FindingSide {
    FindingSide {
        claim: format!("{article}-1"),
        summary: format!("{EVIL}: {value} killed"),
        claimant: Some(EVIL.to_string()),
        value: Some(value),
        position: None,
        as_of: Some(day(d)),
        evidence: Evidence {
            article: article.clone(),
            outlet: Some(format!("{EVIL} Post")),
            publisher: Some(format!("{EVIL} Post")),
            published: Some(day(d)),
            published_provenance: "header".into(),
            duplicate_group: article.clone(),
            sentence: format!("{EVIL} said {value} were killed."),
            sentence_span: Span::new(0, 10),
            span: Span::new(0, 2),
        },
    }
}

fn figure(article: &ArticleId, value: f64, d: u32) -> FigureRow {
    FigureRow {
        value: format!("at least {value}"),
        number: Some(value),
        claimant: Some(format!("{EVIL} ministry")),
        as_of: Some(day(d)),
        outlet: Some("Post | Wire".into()),
        article: article.clone(),
        sentence: format!("At least {value} people died, {EVIL} said."),
        single_source: value > 20.0,
    }
}

fn ctx() -> Context {
    Context {
        generated: format!("2025-03-22 10:00 UTC {EVIL}"),
        data: format!("/data/{EVIL}"),
        article_base: Some("http://127.0.0.1:8080/articles/".into()),
        site: Some("http://127.0.0.1:8080".into()),
    }
}

pub(crate) fn briefing() -> Briefing {
    let a = ArticleId::for_text("one");
    let b = ArticleId::for_text("two");
    Briefing {
        schema: BRIEF_SCHEMA,
        story: StorySummary {
            id: "s1".into(),
            title: Some(format!("{EVIL} flood")),
            label: format!("{EVIL} flood"),
            storyline: None,
            articles: 2,
            independent_reports: 2,
            publishers: 1,
            undated: 1,
            first_day: Some(day(3)),
            last_day: Some(day(5)),
            outlets: vec![("Post | Wire".into(), 1), (EVIL.into(), 1)],
            key_actors: vec![("x".into(), EVIL.into(), 3)],
            article_ids: vec![a.clone(), b.clone()],
            summary: vec![TimelineSentence {
                text: format!("The dam above the town burst {EVIL}."),
                article: b.clone(),
                outlet: Some(EVIL.into()),
                published: Some(day(5)),
                sentence: 0,
                span: Span::new(0, 5),
                also: vec![],
            }],
        },
        developments: vec![DevelopmentRef {
            id: "s4".into(),
            title: format!("{EVIL} development"),
            articles: 2,
        }],
        development_count: 30,
        articles_read: 2,
        summary: BriefSummary {
            happened: vec![HappenedDay {
                date: day(3),
                sentence: TimelineSentence {
                    text: format!("The dam burst {EVIL}."),
                    article: a.clone(),
                    outlet: Some(EVIL.into()),
                    published: Some(day(4)),
                    sentence: 0,
                    span: Span::new(0, 5),
                    also: vec![],
                },
            }],
            key_figures: vec![KeyFigure {
                label: format!("killed ({EVIL})"),
                figure: figure(&b, 37.0, 5),
                reports: 2,
            }],
            contested: vec![ContestedPoint {
                about: format!("killed ({EVIL})"),
                sides: vec![
                    ContestedSide {
                        says: format!("12 {EVIL}"),
                        claimant: Some(EVIL.into()),
                        as_of: Some(day(3)),
                        article: a.clone(),
                    },
                    ContestedSide {
                        says: "37".into(),
                        claimant: None,
                        as_of: Some(day(3)),
                        article: b.clone(),
                    },
                ],
            }],
            changed: vec![ContestedPoint {
                about: format!("{EVIL} on truce"),
                sides: vec![
                    ContestedSide {
                        says: "against".into(),
                        claimant: Some(EVIL.into()),
                        as_of: Some(day(2)),
                        article: a.clone(),
                    },
                    ContestedSide {
                        says: "for".into(),
                        claimant: Some(EVIL.into()),
                        as_of: Some(day(4)),
                        article: b.clone(),
                    },
                ],
            }],
        },
        timeline: vec![],
        actors: vec![BriefActor {
            id: "x".into(),
            name: EVIL.into(),
            kind: "person".into(),
            mentions: 3,
            roles: vec![],
            aliases: vec![EVIL.into()],
        }],
        figures: vec![Quantity {
            key: "figure|killed|".into(),
            label: format!("killed ({EVIL})"),
            rows: vec![figure(&a, 12.0, 3), figure(&b, 37.0, 5)],
            total: 2,
            series: vec![Series {
                claimant: EVIL.into(),
                points: vec![(day(3), 12.0), (day(5), 37.0)],
            }],
        }],
        figures_total: 3,
        positions: vec![PositionRow {
            actor: EVIL.into(),
            issue: "truce".into(),
            statements: vec![PositionStatement {
                position: Position::Conditional,
                condition: Some(format!("unless {EVIL}")),
                via: None,
                outlet: None,
                published: None,
                article: a.clone(),
                sentence: EVIL.into(),
            }],
            statements_total: 1,
            contested: false,
            change: None,
        }],
        positions_total: 1,
        quotes: vec![SpeakerQuotes {
            speaker: EVIL.into(),
            total: 1,
            quotes: vec![QuoteRow {
                text: format!("“{EVIL}”"),
                kind: AttributionKind::DirectQuote,
                outlet: Some(format!("{EVIL} {TERM}")),
                published: None,
                article: b.clone(),
            }],
        }],
        speakers_total: 1,
        contested: vec![Finding {
            id: "f1".into(),
            kind: FindingKind::Contradict,
            key: "figure|killed|".into(),
            reason: format!("for the same day {EVIL}"),
            claims: [side(&a, 12.0, 3), side(&b, 37.0, 3)],
            confidence: 0.8,
            reasons: vec![format!("+0.10 {EVIL}")],
            repeats: 0,
        }],
        contested_total: 1,
        updates: vec![Finding {
            id: "f2".into(),
            kind: FindingKind::Update,
            key: "figure|killed|".into(),
            reason: format!("a later count {TERM}"),
            claims: [side(&a, 12.0, 3), side(&b, 37.0, 5)],
            confidence: 0.8,
            reasons: vec![format!("+0.10 {TERM}")],
            repeats: 2,
        }],
        updates_total: 1,
        agreements: 0,
        coverage: vec![OutletCoverage {
            outlet: EVIL.into(),
            articles: 1,
            copies: 0,
            first_day: None,
            last_day: None,
        }],
        outlets_total: 1,
        unknowns: Unknowns {
            undated: vec![ArticleRef {
                id: b.clone(),
                title: EVIL.into(),
                outlet: None,
                date_provenance: DateProvenance::Unknown,
            }],
            undated_total: 1,
            unattributed_total: 0,
            single_source_total: 1,
            unnamed_speaker_quotes: 2,
        },
        sources: vec![
            // A hostile page's address: never a link.
            SourceRef {
                id: a,
                title: format!("{EVIL} headline"),
                outlet: Some(EVIL.into()),
                published: Some(day(3)),
                url: Some("javascript:alert(1)".into()),
            },
            SourceRef {
                id: b,
                title: format!("{TERM} second"),
                outlet: None,
                published: None,
                url: Some("https://example.org/a\"onmouseover=\"x(1)|b".into()),
            },
        ],
    }
}

#[test]
fn html_escapes_every_article_field_and_is_self_contained() {
    let page = html(&briefing(), &ctx());
    assert!(!page.contains("<script"), "raw script tag in the page");
    assert!(page.contains("&lt;script&gt;"));
    assert!(!page.contains(" src="), "no external resources");
    assert!(
        !page.contains("javascript:"),
        "a javascript: address is no link"
    );
    // An address is an attribute value: its quotes cannot end it.
    assert!(
        page.contains("href=\"https://example.org/a&quot;onmouseover=&quot;x(1)|b\""),
        "{page}"
    );
    // The article with no web address links to the server's page.
    let a = ArticleId::for_text("one");
    assert!(page.contains(&format!("href=\"http://127.0.0.1:8080/articles/{a}\"")));
    for heading in [
        "Summary",
        "In brief",
        "What happened",
        "Key figures",
        "What is contested",
        "Positions that changed",
        "Its stories",
        "Key actors",
        "Figures",
        "Contested claims",
        "Positions",
        "Quotes",
        "Coverage by outlet",
        "What we don't know",
        "About this briefing",
    ] {
        assert!(page.contains(heading), "missing section {heading}");
    }
    assert!(page.find("Summary") < page.find("Timeline").or(page.find("Figures")));
    assert_eq!(page.matches("<svg").count(), 1, "one chart for one series");
    assert_eq!(
        page.matches("class=\"side\"").count(),
        2,
        "both sides of the contradiction"
    );
    assert!(page.contains("2 statements are attributed to no named speaker"));
    assert!(page.contains("the same change in 2 other pairs of reports"));
    assert!(page.contains("and 29 more stories"), "capped lists say so");
    assert!(page.contains("and 2 more quantities"));
    assert!(page.contains("Generated 2025-03-22 10:00 UTC &lt;script&gt;"));
    // No figures table is repeated under what we don't know.
    assert_eq!(page.matches("<th>Claimant</th>").count(), 1);
    assert!(page.contains("1 figure only one independent source gives"));
}

#[test]
fn index_links_one_page_per_briefing() {
    let mut one = briefing();
    one.story.id = "l1".into();
    let mut two = briefing();
    two.story.id = "l2".into();
    let page = html_index(&[one.clone(), two.clone()], &ctx());
    assert!(page.contains("href=\"l1.html\"") && page.contains("href=\"l2.html\""));
    assert!(page.contains("2 storylines, largest first"));
    assert!(!page.contains("<script"));
    let md = markdown_index(&[one, two], &ctx());
    assert!(md.contains("](l1.md)") && md.contains("](l2.md)"), "{md}");
    assert!(md.contains("## About this briefing"));
}

#[test]
fn markdown_escapes_markup_and_writes_charts_beside_it() {
    let r = markdown(&briefing(), Some("charts"), &ctx());
    let unescaped = r
        .text
        .char_indices()
        .filter(|&(i, c)| c == '<' && !r.text[..i].ends_with('\\'))
        .count();
    assert_eq!(unescaped, 0, "raw markup in the Markdown");
    assert_eq!(r.files.len(), 1);
    let (name, svg) = &r.files[0];
    assert!(name.starts_with("s1-1-killed-script-alert"), "{name}");
    assert!(name.ends_with(".svg") && !name.contains('/'));
    assert!(r.text.contains(&format!("](charts/{name})")));
    assert!(svg.starts_with("<svg") && !svg.contains("<script"));
    // The table cell with a pipe stays one cell.
    assert!(r.text.contains("Post \\| Wire"));
    // A change of position reads in order, old side first.
    assert!(r.text.contains("**Positions that changed**"));
    assert!(r.text.contains("against ("), "{}", r.text);
    assert!(r.text.contains(", _then_ for ("), "{}", r.text);
    // Without a chart directory there are no charts, and the table stays.
    let plain = markdown(&briefing(), None, &ctx());
    assert!(plain.files.is_empty());
    assert!(plain.text.contains("at least 37"));
    assert!(plain
        .text
        .contains("the same change in 2 other pairs of reports"));
}

#[test]
fn markdown_updates_and_quote_sources_are_escaped_and_inert() {
    let r = markdown(&briefing(), None, &ctx());
    let updates = r
        .text
        .split("## Updates")
        .nth(1)
        .and_then(|s| s.split("##").next())
        .expect("an Updates section");
    assert!(
        updates.contains(r"\</script\> Post, 3 Mar 2025"),
        "{updates}"
    );
    // The hostile address is not a link; the other is, with its pipe and
    // quotes encoded.
    assert!(!r.text.contains("javascript:"));
    assert!(
        r.text
            .contains("(https://example.org/a%22onmouseover=%22x%281%29%7Cb)"),
        "{}",
        r.text
    );
    let raw_tags = updates
        .char_indices()
        .filter(|&(i, c)| c == '<' && !updates[..i].ends_with('\\'))
        .count();
    assert_eq!(raw_tags, 0, "{updates}");
    // No control or bidi character anywhere: each is written out.
    let bad: Vec<char> = r
        .text
        .chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
    assert!(r.text.contains(r"\\u{1b}\[2J"));
    assert!(r.text.contains(r"\\u{202e}gnp.exe"));
}

#[test]
fn no_storylines_says_so() {
    assert!(markdown_index(&[], &ctx()).contains("No storylines yet"));
    assert!(html_index(&[], &ctx()).contains("No storylines yet"));
}

#[test]
fn embedded_parts_link_articles_and_can_leave_out_the_timeline() {
    let b = briefing();
    let server = Context {
        article_base: Some("/articles/".into()),
        ..ctx()
    };
    let parts = crate::html_parts(&b, false, &server);
    assert!(parts.contains("href=\"/articles/"), "article ids are links");
    assert!(!parts.contains("<section") && !parts.contains("<!DOCTYPE"));
    assert!(!parts.contains("<script"));
    let offline = Context {
        article_base: None,
        site: None,
        ..ctx()
    };
    let standalone = html(&b, &offline);
    assert!(
        !standalone.contains("href=\"/articles/") && !standalone.contains("127.0.0.1"),
        "no server links without a base"
    );
}

#[test]
fn days_read_as_people_write_them() {
    assert_eq!(crate::span(&briefing()), "3 Mar 2025 – 5 Mar 2025");
}

#[test]
fn page_names_keep_letters_and_digits() {
    let mut b = briefing();
    b.story.id = "l3".into();
    assert_eq!(crate::page_name(&b, "html"), "l3.html");
    b.story.id = "../x".into();
    assert_eq!(crate::page_name(&b, "md"), "x.md");
}

/// A briefing whose contradictions, positions, speakers and updates are
/// capped, one of them a position with more statements than shown.
fn capped() -> Briefing {
    let mut b = briefing();
    b.story.id = "l7".into();
    b.contested_total = 9;
    b.updates_total = 40;
    b.positions_total = 8;
    b.positions[0].statements_total = 5;
    b.speakers_total = 30;
    b
}

#[test]
fn capped_lists_link_where_the_rest_is_in_both_forms() {
    let page = html(&capped(), &ctx());
    assert!(
        page.contains("and 8 more contradictions: <a href=\"http://127.0.0.1:8080/findings?story=l7\">every finding of this storyline</a> · <code>storyline findings --story l7</code>."),
        "{page}"
    );
    assert!(
        page.contains("and 39 more updates: <a href=\"http://127.0.0.1:8080/findings?story=l7\">")
    );
    assert!(page.contains("and 7 more positions: <a href=\"http://127.0.0.1:8080/stances\">"));
    assert!(page
        .contains("and 29 more speakers: <a href=\"http://127.0.0.1:8080/api/quotes?story=l7\">"));
    assert!(
        page.contains("(1 of 5 statements)"),
        "a capped position says so"
    );

    let md = markdown(&capped(), None, &ctx()).text;
    assert!(
        md.contains("_and 8 more contradictions: [every finding of this storyline](http://127.0.0.1:8080/findings?story=l7) · `storyline findings --story l7`._"),
        "{md}"
    );
    assert!(md.contains("_and 39 more updates: [every finding"));
    assert!(md.contains(
        "_and 7 more positions: [every actor's positions](http://127.0.0.1:8080/stances)"
    ));
    assert!(md.contains("_and 29 more speakers: [every quote of this storyline (JSON)](http://127.0.0.1:8080/api/quotes?story=l7)._"));
    assert!(md.contains("(1 of 5 statements)"));

    // On the server's own pages the links are relative and no command is
    // offered to a reader of a web page.
    let server = Context {
        site: Some(String::new()),
        ..ctx()
    };
    let parts = crate::html_parts(&capped(), false, &server);
    assert!(parts.contains("and 8 more contradictions: <a href=\"/findings?story=l7\">"));
    assert!(!parts.contains("<code>storyline"), "{parts}");
    // Without a server, the command alone; a list no command prints
    // (quotes) keeps its bare count.
    let offline = Context {
        site: None,
        ..ctx()
    };
    let page = html(&capped(), &offline);
    assert!(page.contains("and 8 more contradictions: every finding of this storyline · <code>storyline findings --story l7</code>."));
    assert!(page.contains("and 29 more speakers.</p>"));
}

#[test]
fn other_reports_of_an_event_are_cited_by_outlet_and_day_linked() {
    let mut b = briefing();
    let a = ArticleId::for_text("one");
    let two = ArticleId::for_text("two");
    let other = |id: &ArticleId| TimelineSentence {
        text: "The dam burst.".into(),
        article: id.clone(),
        outlet: Some(format!("{EVIL} Post")),
        published: Some(day(4)),
        sentence: 0,
        span: Span::new(0, 5),
        also: vec![],
    };
    let mut main = other(&a);
    main.also = vec![other(&two); ALSO_CITED + 2];
    b.timeline = vec![storyline_engine::link_views::TimelineEntryView {
        date: day(4),
        score: 1.0,
        sentences: vec![main],
        supporting_articles: vec![],
    }];
    let page = html(&b, &ctx());
    // The headline is the link's title, the outlet and day its words.
    assert!(
        page.contains("also reported by <span class=\"cite\"><a href=\"https://example.org/a&quot;onmouseover=&quot;x(1)|b\" title=\""),
        "{page}"
    );
    // maud leaves an apostrophe as it is (inert in text and in its
    // double-quoted attributes).
    assert!(page.contains("&lt;script&gt;alert('x')&lt;/script&gt; Post, 4 Mar 2025</a></span>"));
    assert!(page.contains(" and 2 more<"), "{page}");
    let md = markdown(&b, None, &ctx()).text;
    assert!(
        md.contains("also reported by [\\<script\\>alert('x')\\</script\\> Post, 4 Mar 2025](https://example.org/a%22onmouseover=%22x%281%29%7Cb \""),
        "{md}"
    );
    assert!(md.contains(" and 2 more"));
}
