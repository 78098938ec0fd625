//! The web UI, through the router: pages render, links lead somewhere, and
//! nothing from an article is ever markup.

mod common;

use axum::http::StatusCode;
use common::*;

/// Asserts an HTML page with this status, the CSP header, and no trace of
/// the fixtures' script payloads as markup.
fn html(a: &Answer, status: StatusCode) -> String {
    assert_eq!(a.status, status, "{}", a.text());
    assert!(
        a.content_type().starts_with("text/html"),
        "{}",
        a.content_type()
    );
    let csp = a.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && !csp.contains("script-src"),
        "{csp}"
    );
    let body = a.text();
    for payload in ["<script", "<img", "<b>", "<i>", "<x>", "href=\"javascript:"] {
        assert!(
            !body.contains(payload),
            "unescaped {payload:?} in page:\n{body}"
        );
    }
    assert!(body.starts_with("<!doctype html>"));
    body
}

#[tokio::test]
async fn home_page_summarises_the_store() {
    let app = App::new().await;
    let body = html(&app.page("/").await, StatusCode::OK);
    assert!(body.contains("What the store holds"));
    // Days as people write them, the ISO day kept as the tooltip.
    assert!(
        body.contains(r#"<time datetime="2024-03-03" title="2024-03-03">3 Mar 2024</time> – <time datetime="2024-03-05" title="2024-03-05">5 Mar 2024</time>"#),
        "{body}"
    );
    // Articles over time: one bar per day from the first to the last, the
    // count of each in its tooltip, a text alternative for the whole.
    let chart = &body[body.find(r#"<figure class="coverage">"#).expect("a chart")..];
    let chart = &chart[..chart.find("</figure>").expect("closed")];
    assert_eq!(chart.matches("<rect").count(), 3, "{chart}");
    assert!(
        chart.contains("Articles per day from 3 Mar 2024 to 5 Mar 2024"),
        "{chart}"
    );
    assert!(
        chart.contains(": 0 articles</title>") || chart.contains(": 1 article</title>"),
        "{chart}"
    );
    assert!(
        body.contains(r#"<a href="/articles?source=Harbour%20Wire">Harbour Wire</a>"#),
        "{body}"
    );
    assert!(body.contains("&lt;b&gt;Evil&lt;/b&gt; Gazette"));
    assert!(body.contains("Most recently published"));
    // Newest first: the breach story (5 March) before the convoy (3 March).
    assert!(body.find(BREACH).unwrap() < body.find(CONVOY).unwrap());
    assert!(!body.contains(r#"<a href="/articles" aria-current="page">"#));
    assert!(body.contains(r#"<a href="/" aria-current="page">Overview</a>"#));
}

#[tokio::test]
async fn empty_store_says_how_to_fill_it() {
    let app = App::empty(common::open()).await;
    let body = html(&app.page("/").await, StatusCode::OK);
    assert!(body.contains("The store is empty"), "{body}");
    let body = html(&app.page("/articles").await, StatusCode::OK);
    assert!(body.contains("No articles match"), "{body}");
}

#[tokio::test]
async fn articles_page_lists_filters_and_pages() {
    let app = App::new().await;
    let body = html(&app.page("/articles").await, StatusCode::OK);
    assert!(body.contains("Articles 1–5 of 5"), "{body}");
    for t in [CONVOY, BREACH, UNDATED] {
        assert!(body.contains(t), "{t}");
    }
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(body.contains(r#"class="badge copy""#));
    assert!(body.contains(r#"<span class="badge prov-unknown""#));

    let body = html(
        &app.page("/articles?limit=2&offset=2").await,
        StatusCode::OK,
    );
    assert!(
        body.contains(r#"<a rel="prev" href="/articles?limit=2">"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<a rel="next" href="/articles?limit=2&amp;offset=4">"#),
        "{body}"
    );

    let body = html(
        &app.page("/articles?provenance=unknown").await,
        StatusCode::OK,
    );
    assert!(body.contains(UNDATED) && !body.contains(CONVOY));
    assert!(body.contains(r#"<option value="unknown" selected>"#));

    let body = html(
        &app.page("/articles?since=%3Cscript%3E").await,
        StatusCode::BAD_REQUEST,
    );
    assert!(body.contains("expected a day as YYYY-MM-DD"), "{body}");
    assert!(body.contains(r#"value="&lt;script&gt;""#), "{body}");
}

#[tokio::test]
async fn article_page_shows_provenance_and_text() {
    let app = App::new().await;
    let id = app.id_of(CONVOY).await;
    let body = html(&app.page(&format!("/articles/{id}")).await, StatusCode::OK);
    assert!(body.contains(&format!("<title>{CONVOY} · storyline</title>")));
    assert!(body.contains("Ana Ruiz"));
    assert!(body.contains(r#"<span class="badge prov-metadata""#));
    assert!(body.contains("ARDEN"), "dateline shown: {body}");
    assert!(body.contains(
        r#"<a href="https://example.org/news/relief-convoy" rel="noopener noreferrer nofollow""#
    ));
    assert_eq!(body.matches("<p>").count(), 3, "{body}");
    assert!(body.contains("first of its group"));
    // The stored analysis shows as highlights with a legend.
    assert!(body.contains(r#"<ul class="legend""#), "{body}");
    assert!(
        body.contains(r#"hl hl-figure" title="about other">about 4,000"#),
        "figure highlighted: {body}"
    );
    assert!(
        body.contains(r#"hl hl-time" title="TimeML value 2024-03-03">Sunday<span class="hl-label">3 Mar 2024</span>"#),
        "time normalised against the date, read as a day, the code its tooltip: {body}"
    );

    // The copy links to its group and says where its date came from.
    let copy = app.id_of("Convoy reaches valley, officials say").await;
    let body = html(
        &app.page(&format!("/articles/{}", &copy[..8])).await,
        StatusCode::OK,
    );
    assert!(
        body.contains(&format!(r#"copy of <a href="/articles/{id}">"#)),
        "{body}"
    );
    assert!(body.contains("prov-inferred") && body.contains("near-duplicate of article"));

    let body = html(
        &app.page("/articles/0000000000000000").await,
        StatusCode::NOT_FOUND,
    );
    assert!(body.contains("no article 0000000000000000"));
    html(
        &app.page("/articles/%3Cscript%3E").await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn hostile_article_renders_as_text() {
    let app = App::new().await;
    let id = plant_hostile_article(&app.engine);
    for uri in [
        "/",
        "/articles",
        "/search?q=ceasefire",
        "/search?q=alert",
        "/articles?source=%3Cb%3EEvil%3C%2Fb%3E%20Gazette",
    ] {
        let body = html(&app.page(uri).await, StatusCode::OK);
        // Pages escape as maud does: `<`, `>`, `&` and `"`; an apostrophe
        // stays as it is, inert in text and in the double-quoted attribute
        // values every template writes.
        assert!(
            body.contains("&lt;script&gt;alert('planted')&lt;/script&gt;"),
            "{uri}: {body}"
        );
    }
    let body = html(&app.page(&format!("/articles/{id}")).await, StatusCode::OK);
    for escaped in [
        "<title>&lt;script&gt;alert('planted')&lt;/script&gt; · storyline</title>",
        r#"<h1 class="headline">&lt;script&gt;alert('planted')&lt;/script&gt;</h1>"#,
        "<p>&lt;script&gt;alert(&quot;text&quot;)&lt;/script&gt;</p>",
        "<p>&lt;img src=x onerror=alert(5)&gt; «quoted» &amp; more &lt;b&gt;bold&lt;/b&gt; ceasefire.</p>",
        "&lt;b&gt;Evil&lt;/b&gt; Gazette",
        "&lt;i&gt;Mallory&lt;/i&gt;",
        "&lt;script&gt;PLACE&lt;/script&gt; (&lt;img src=y onerror=alert(8)&gt;)",
        "&lt;b&gt;Nov 9&lt;/b&gt;",
        "&lt;script&gt;evidence&lt;/script&gt;",
        "&lt;script&gt;raw&lt;/script&gt;",
        "&lt;img src=z onerror=alert(9)&gt;",
        "&lt;script&gt;because&lt;/script&gt;",
        "&lt;script&gt;origin&lt;/script&gt;",
        "<dd>&lt;x&gt;</dd>",
        // Neither URL is http(s), so neither is a link.
        "<dd>javascript:alert(6)</dd>",
        "<dd>&quot;&gt;&lt;script&gt;alert(7)&lt;/script&gt;</dd>",
    ] {
        assert!(body.contains(escaped), "missing {escaped:?} in {body}");
    }
    // The search page marks the match inside the escaped markup.
    let body = html(&app.page("/search?q=alert").await, StatusCode::OK);
    assert!(
        body.contains("&lt;script&gt;<mark>alert</mark>(&quot;text&quot;)"),
        "{body}"
    );
    // The JSON API returns the text as it is: escaping is the page's job.
    let (_, v) = app.get(&format!("/api/articles/{id}")).await.json();
    assert_eq!(v["title"], PLANTED_TITLE);
    // The fixture ingested through the API keeps its hostile title, escaped too.
    let xss = app.id_of(XSS_TITLE).await;
    let body = html(&app.page(&format!("/articles/{xss}")).await, StatusCode::OK);
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[tokio::test]
async fn search_page_marks_matches() {
    let app = App::new().await;
    let body = html(&app.page("/search").await, StatusCode::OK);
    assert!(body.contains(r#"<input type="search" name="q" value="""#));
    assert!(!body.contains("articles match"));

    let body = html(&app.page("/search?q=ceasefire").await, StatusCode::OK);
    assert!(
        body.contains("3 articles match “ceasefire”, best first; showing 1–3."),
        "{body}"
    );
    assert!(!body.contains(r#"class="pager""#), "one page: {body}");
    assert!(body.contains("<mark>ceasefire</mark>"));
    assert!(!body.contains("«ceasefire»"));
    assert!(body.contains(r#"value="ceasefire""#));

    assert!(!body.contains("relevance"), "no raw scores: {body}");
    // A full page is not passed off as the total.
    let body = html(
        &app.page("/search?q=ceasefire&limit=2").await,
        StatusCode::OK,
    );
    assert!(
        body.contains("3 articles match “ceasefire”, best first; showing 1–2."),
        "the total, not the page size: {body}"
    );
    assert!(
        body.contains(
            r#"<a rel="next" href="/search?q=ceasefire&amp;limit=2&amp;offset=2">Next →</a>"#
        ),
        "{body}"
    );
    assert_eq!(body.matches("<li><h3>").count(), 2);
    let body = html(
        &app.page("/search?q=ceasefire&limit=2&offset=2").await,
        StatusCode::OK,
    );
    assert!(
        body.contains("3 articles match “ceasefire”, best first; showing number 3."),
        "{body}"
    );
    assert!(
        body.contains(r#"<a rel="prev" href="/search?q=ceasefire&amp;limit=2">← Previous</a>"#),
        "{body}"
    );
    assert!(!body.contains(r#"rel="next""#), "the last page: {body}");
    assert_eq!(body.matches("<li><h3>").count(), 1);
    let body = html(
        &app.page("/search?q=ceasefire&offset=40").await,
        StatusCode::OK,
    );
    assert!(body.contains("past the last of them"), "{body}");
    html(
        &app.page("/search?q=ceasefire&limit=0").await,
        StatusCode::BAD_REQUEST,
    );
    html(
        &app.page("/search?q=ceasefire&limit=101").await,
        StatusCode::BAD_REQUEST,
    );

    let body = html(&app.page("/search?q=zeppelin").await, StatusCode::OK);
    assert!(body.contains("No article matches “zeppelin”"));

    let body = html(
        &app.page("/search?q=%22%3E%3Cscript%3E").await,
        StatusCode::OK,
    );
    assert!(body.contains("&quot;&gt;&lt;script&gt;"), "{body}");

    html(
        &app.page("/search?q=x&until=soon").await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn the_storylines_page_refuses_bad_paging_and_escapes_it() {
    let app = App::new().await;
    let body = html(
        &app.page("/storylines?offset=%3Cscript%3Ex").await,
        StatusCode::BAD_REQUEST,
    );
    assert!(body.contains("<h1>Storylines</h1>"), "{body}");
    assert!(!body.contains("<script>x"), "{body}");
    let body = html(&app.page("/storylines").await, StatusCode::OK);
    assert!(body.contains("<h1>Storylines</h1>"), "{body}");
}

#[tokio::test]
async fn stylesheet_is_served() {
    let app = App::new().await;
    let a = app.get("/assets/style.css").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.content_type().starts_with("text/css"));
    assert!(a.text().contains("font-family: system-ui"));
    assert!(!a.text().contains("http"), "no external assets");
}

#[tokio::test]
async fn navigation_lists_the_linking_views() {
    let app = App::new().await;
    let body = html(&app.page("/").await, StatusCode::OK);
    assert!(
        body.contains(
            r#"<a href="/articles">Articles</a><a href="/storylines">Storylines</a><a href="/stories">Stories</a>"#
        ),
        "Storylines, then Stories, should follow Articles in the navigation"
    );
    for (href, label) in [
        ("/storylines", "Storylines"),
        ("/stories", "Stories"),
        ("/entities", "Entities"),
        ("/claims", "Claims"),
        ("/findings", "Findings"),
        ("/stances", "Stances"),
        ("/check", "Check"),
    ] {
        assert!(
            body.contains(&format!(r#"<a href="{href}">{label}</a>"#)),
            "{href} missing from the navigation"
        );
    }
    let body = html(&app.page("/findings").await, StatusCode::OK);
    assert!(body.contains(r#"<a href="/findings" aria-current="page">Findings</a>"#));
}

#[tokio::test]
async fn empty_store_link_pages_say_so() {
    let app = App::empty(common::open()).await;
    let body = html(&app.page("/stories").await, StatusCode::OK);
    assert!(body.contains("Nothing linked yet"), "{body}");
    let body = html(&app.page("/entities").await, StatusCode::OK);
    assert!(body.contains("Nothing linked yet"), "{body}");
    let body = html(&app.page("/claims").await, StatusCode::OK);
    assert!(body.contains("Nothing linked yet"), "{body}");
    let body = html(&app.page("/findings").await, StatusCode::OK);
    assert!(body.contains("No findings yet"), "{body}");
    let body = html(&app.page("/stances").await, StatusCode::OK);
    assert!(body.contains("No stances reported yet"), "{body}");
    let body = html(&app.page("/check").await, StatusCode::OK);
    assert!(body.contains(r#"<textarea name="claim""#), "{body}");
    assert!(!body.contains("Related articles"));
}

#[tokio::test]
async fn entity_pages_list_names_roles_and_claims() {
    let app = App::with_links().await;
    let body = html(&app.page("/entities").await, StatusCode::OK);
    assert!(body.contains(r#"<table class="entities">"#), "{body}");
    assert!(body.contains("<bdi>United States</bdi>"), "{body}");
    assert!(body.contains(r#"<span class="badge kind-country">country</span>"#));
    let body = html(&app.page("/entities?kind=person").await, StatusCode::OK);
    assert!(body.contains(r#"<option value="person" selected>"#));
    assert!(
        !body.contains(r#"<span class="badge kind-country">"#),
        "{body}"
    );
    assert!(
        body.contains(r#"<span class="badge kind-person">"#),
        "{body}"
    );
    let body = html(
        &app.page("/entities?kind=%3Cx%3E").await,
        StatusCode::BAD_REQUEST,
    );
    assert!(body.contains("expected one of"), "{body}");

    let (_, v) = app.get("/api/entities?limit=1000").await.json();
    let us = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "United States")
        .and_then(|e| e["id"].as_str())
        .expect("United States")
        .to_string();
    let body = html(&app.page(&format!("/entities/{us}")).await, StatusCode::OK);
    assert!(
        body.contains("<title>United States · storyline</title>"),
        "{body}"
    );
    assert!(body.contains("Names used"), "{body}");
    assert!(body.contains("Claims naming"), "{body}");
    assert!(body.contains(r#"<table class="claims">"#), "{body}");
    assert!(body.contains("Latest articles naming it"), "{body}");
    // A person with a role shows it with its dates.
    let delgado = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["roles"].as_array().is_some_and(|r| !r.is_empty()))
        .and_then(|e| e["id"].as_str())
        .map(str::to_string);
    if let Some(id) = delgado {
        let body = html(&app.page(&format!("/entities/{id}")).await, StatusCode::OK);
        assert!(body.contains("Roles reported"), "{body}");
        assert!(body.contains("2024-05-09"), "{body}");
    }
    let body = html(
        &app.page("/entities/nobody-here").await,
        StatusCode::NOT_FOUND,
    );
    assert!(body.contains("no entity"), "{body}");
    html(
        &app.page(&format!("/entities/{}", "z".repeat(201))).await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn claims_page_filters_and_articles_list_their_claims() {
    let app = App::with_links().await;
    let body = html(&app.page("/claims").await, StatusCode::OK);
    assert!(body.contains(r#"<table class="claims">"#), "{body}");
    assert!(body.contains(r#"<blockquote class="sentence">"#));
    // Event claims read "attack", not ASSAULT; the code is the tooltip.
    let event = html(&app.page("/claims?kind=event").await, StatusCode::OK);
    assert!(
        event.contains(r#"<abbr class="code" title="#),
        "event codes shown by their labels: {event}"
    );
    assert!(
        !regex_lite_upper_code(&event),
        "no bare event code left: {event}"
    );
    let body = html(&app.page("/claims?kind=figure").await, StatusCode::OK);
    assert!(body.contains(r#"<option value="figure" selected>"#));
    assert!(
        !body.contains(r#"<span class="badge kind-stance">"#),
        "{body}"
    );
    let body = html(
        &app.page("/claims?kind=gossip").await,
        StatusCode::BAD_REQUEST,
    );
    assert!(
        body.contains("expected one of figure, stance, event"),
        "{body}"
    );
    let body = html(
        &app.page("/claims?article=0000000000000000").await,
        StatusCode::NOT_FOUND,
    );
    assert!(body.contains("no article 0000000000000000"), "{body}");
    assert!(
        body.contains(r#"value="0000000000000000""#),
        "form kept: {body}"
    );
    html(
        &app.page("/claims?article=%3Cscript%3E").await,
        StatusCode::BAD_REQUEST,
    );

    let low = app.id_of(TOLL_LOW).await;
    let body = html(
        &app.page(&format!("/claims?article={low}")).await,
        StatusCode::OK,
    );
    assert!(body.contains("150 people had been killed"), "{body}");
    let body = html(&app.page(&format!("/articles/{low}")).await, StatusCode::OK);
    assert!(body.contains("Claims in this article"), "{body}");
    assert!(body.contains(r#"<table class="claims">"#), "{body}");
}

#[tokio::test]
async fn findings_page_sets_claims_side_by_side() {
    let app = App::with_links().await;
    let body = html(&app.page("/findings").await, StatusCode::OK);
    for part in [
        "<h2>Contradictions</h2>",
        "<h2>Updates</h2>",
        "<h2>Agreements</h2>",
        r#"<article class="finding finding-contradict""#,
        r#"<div class="sides">"#,
        r#"<p class="reason">"#,
        "150 people had been killed",
        "<bdi>River Times</bdi>",
        "<bdi>Valley Voice</bdi>",
        r#"<a href="/articles/"#,
    ] {
        assert!(body.contains(part), "missing {part:?} in {body}");
    }
    // Contradictions come first.
    assert!(body.find("<h2>Contradictions</h2>") < body.find("<h2>Agreements</h2>"));
    let body = html(&app.page("/findings?kind=agree").await, StatusCode::OK);
    assert!(!body.contains("<h2>Contradictions</h2>"), "{body}");
    assert!(body.contains("<h2>Agreements</h2>"));
    assert!(
        body.contains(r#"href="/findings?kind=agree" aria-current="page""#),
        "{body}"
    );
    let body = html(
        &app.page("/findings?kind=%22%3E").await,
        StatusCode::BAD_REQUEST,
    );
    assert!(body.contains("expected one of contradict, revision, inconsistent, update, agree"));
    html(
        &app.page("/findings?limit=0").await,
        StatusCode::BAD_REQUEST,
    );
    // One story's findings, the filter kept in the kind tabs; the story
    // page links to them.
    let (_, stories) = app.get("/api/stories").await.json();
    let id = stories["stories"][0]["id"]
        .as_str()
        .expect("a story")
        .to_string();
    let body = html(
        &app.page(&format!("/findings?story={id}")).await,
        StatusCode::OK,
    );
    assert!(
        body.contains(&format!(r#"story <a href="/stories/{id}">{id}</a>"#)),
        "{body}"
    );
    assert!(
        body.contains(&format!(r#"href="/findings?kind=agree&amp;story={id}""#)),
        "{body}"
    );
    let story = html(&app.page(&format!("/stories/{id}")).await, StatusCode::OK);
    assert!(
        story.contains(&format!(r#"href="/findings?story={id}""#)),
        "{story}"
    );
    html(
        &app.page("/findings?story=s999999").await,
        StatusCode::NOT_FOUND,
    );
    html(
        &app.page("/findings?article=%3Cscript%3E").await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn stances_page_marks_contested_cells() {
    let app = App::with_links().await;
    let body = html(&app.page("/stances").await, StatusCode::OK);
    assert!(body.contains(r#"<table class="stances">"#), "{body}");
    assert!(
        body.contains(r#"<th scope="col"><bdi>ceasefire</bdi></th>"#),
        "{body}"
    );
    assert!(body.contains("stance pos-cell-"), "{body}");
    assert!(body.contains(" contested\""), "no contested cell: {body}");
    assert!(body.contains(r#"<span class="badge contested""#), "{body}");
    assert!(body.contains("<details><summary>"), "{body}");
    assert!(body.contains("Washington has dismissed calls"), "{body}");
}

#[tokio::test]
async fn check_page_shows_evidence_for_and_against() {
    let app = App::with_links().await;
    let body = html(
        &app.page(
            "/check?claim=The+regional+health+office+said+312+people+had+been+killed+in+Arden",
        )
        .await,
        StatusCode::OK,
    );
    for part in [
        "Read as",
        r#"<p class="verdict"><bdi>supported by "#,
        r#"<section class="evidence-col supporting">"#,
        r#"<section class="evidence-col contradicting">"#,
        "Related articles",
        r#"<ol class="hits">"#,
        ">The regional health office said 312 people had been killed in Arden</textarea>",
    ] {
        assert!(body.contains(part), "missing {part:?} in {body}");
    }
}

#[tokio::test]
async fn hostile_link_input_renders_as_text() {
    let app = App::with_links().await;
    // Ingest strips markup from a JSON article's text, so the hostile
    // sentence is planted in the store, then analysed and linked.
    let planted = plant_hostile_linked_article(&app.engine);
    // The hostile outlets and sentence, wherever they show.
    for uri in ["/claims", "/findings", "/claims?kind=figure"] {
        let body = html(&app.page(uri).await, StatusCode::OK);
        assert!(
            body.contains("&lt;b&gt;Evil&lt;/b&gt; Gazette"),
            "{uri}: {body}"
        );
        assert!(body.contains(PLANTED_SENTENCE_ESCAPED), "{uri}: {body}");
    }
    for uri in [
        "/entities",
        "/stances",
        "/check?claim=99+people+killed+in+Arden",
    ] {
        html(&app.page(uri).await, StatusCode::OK);
    }
    let body = html(
        &app.page(&format!("/articles/{planted}")).await,
        StatusCode::OK,
    );
    assert!(body.contains("Claims in this article"), "{body}");
    assert!(body.contains(PLANTED_SENTENCE_ESCAPED), "{body}");
    let body = html(
        &app.page(&format!("/claims?article={planted}")).await,
        StatusCode::OK,
    );
    assert!(body.contains(PLANTED_SENTENCE_ESCAPED), "{body}");
    // The fixture ingested through the API keeps its hostile outlet.
    let xss = app.id_of(LINK_XSS_TITLE).await;
    let body = html(&app.page(&format!("/articles/{xss}")).await, StatusCode::OK);
    assert!(body.contains("&lt;script&gt;alert('link')&lt;/script&gt;"));

    // A claim to check full of markup is echoed as text.
    let body = html(
        &app.page("/check?claim=%3Cscript%3Ealert(1)%3C%2Fscript%3E%20%3Cimg%20src%3Dx%3E")
            .await,
        StatusCode::OK,
    );
    assert!(
        body.contains("<q><bdi>&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x&gt;</bdi></q>"),
        "{body}"
    );
    assert!(body.contains(">&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x&gt;</textarea>"));
    // A right-to-left override stays inside its own element.
    let body = html(
        &app.page("/check?claim=%E2%80%AE312%20killed%20in%20Arden")
            .await,
        StatusCode::OK,
    );
    assert!(
        body.contains("<q><bdi>\u{202E}312 killed in Arden</bdi></q>"),
        "{body}"
    );
    // Bad claims: 400 pages, the form kept but not a megabyte of it.
    let body = html(
        &app.page("/check?claim=a%00b").await,
        StatusCode::BAD_REQUEST,
    );
    assert!(body.contains("control character U+0000"), "{body}");
    // A form feed at the end is one too, not trimmed away.
    let body = html(
        &app.page("/check?claim=_%0C").await,
        StatusCode::BAD_REQUEST,
    );
    assert!(body.contains("control character U+000C"), "{body}");
    let huge = "x".repeat(60_000); // about the longest URI `http` accepts
    let a = app.page(&format!("/check?claim={huge}")).await;
    let body = html(&a, StatusCode::BAD_REQUEST);
    assert!(body.contains("characters long"), "{body}");
    assert!(body.len() < 20_000, "the page echoes {} bytes", body.len());
    html(
        &app.page("/check?claim=x&other=1").await,
        StatusCode::BAD_REQUEST,
    );
}

#[tokio::test]
async fn every_briefing_page_is_self_contained_and_escaped() {
    let app = App::with_links().await;
    let (_, v) = app.get("/api/stories?limit=1000").await.json();
    let stories = v["stories"].as_array().unwrap();
    assert!(!stories.is_empty());
    for s in stories {
        let id = s["id"].as_str().unwrap();
        let a = app.page(&format!("/stories/{id}/brief")).await;
        assert_eq!(a.status, StatusCode::OK, "{id}");
        let csp = a.headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.starts_with("default-src 'none'") && !csp.contains("script-src"),
            "{csp}"
        );
        let body = a.text();
        assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
        for payload in [
            "<script",
            "<img",
            "<b>",
            "<i>",
            "<x>",
            "href=\"javascript:",
            "src=\"http",
        ] {
            assert!(
                !body.contains(payload),
                "unescaped {payload:?} in the briefing of {id}"
            );
        }
        assert!(body.contains("What we don't know"), "{body}");
    }
    html(
        &app.page("/stories/s999999/brief").await,
        StatusCode::NOT_FOUND,
    );
}

/// The id of the story that holds this article.
async fn story_of(app: &App, article: &str) -> String {
    let (_, v) = app.get("/api/stories?limit=1000").await.json();
    v["stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["article_ids"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == article)
        })
        .and_then(|s| s["id"].as_str())
        .unwrap_or_else(|| panic!("no story holds {article}: {v}"))
        .to_string()
}

#[tokio::test]
async fn article_page_links_to_its_storyline_story_findings_and_claims() {
    let app = App::with_links().await;
    let (_, v) = app.get("/api/storylines").await.json();
    let line = &v["storylines"][0];
    let lid = line["id"].as_str().unwrap();
    let sid = line["developments"][0]["id"].as_str().unwrap();
    let (_, s) = app.get(&format!("/api/stories/{sid}")).await.json();
    let article = s["article_ids"][0].as_str().unwrap();
    let body = html(
        &app.page(&format!("/articles/{article}")).await,
        StatusCode::OK,
    );
    let nav = body
        .split(r#"<nav class="article-nav">"#)
        .nth(1)
        .and_then(|n| n.split("</nav>").next())
        .unwrap_or_else(|| panic!("no article links: {body}"));
    assert!(
        nav.contains(&format!(r#"Storyline <a href="/stories/{lid}">"#)),
        "{nav}"
    );
    assert!(
        nav.contains(&format!(r#"Story <a href="/stories/{sid}">"#)),
        "{nav}"
    );
    assert!(
        nav.contains(&format!(r#"<a href="/findings?article={article}">"#)),
        "{nav}"
    );
    if body.contains(r#"id="claims""#) {
        assert!(nav.contains(r##"<a href="#claims">"##), "{nav}");
    }
    // The storyline's own page answers, as a story made of its stories.
    let page = html(&app.page(&format!("/stories/{lid}")).await, StatusCode::OK);
    assert!(page.contains("Its stories"), "{page}");
}

#[tokio::test]
async fn stories_page_lists_stories_and_links_to_them() {
    let app = App::with_links().await;
    let (_, v) = app.get("/api/stories").await.json();
    let first = &v["stories"][0];
    let id = first["id"].as_str().unwrap();
    let body = html(&app.page("/stories").await, StatusCode::OK);
    assert!(body.contains(r#"<a href="/stories" aria-current="page">Stories</a>"#));
    assert!(
        body.contains(&format!(r#"<a href="/stories/{id}"><bdi>{id}</bdi></a>"#)),
        "{body}"
    );
    assert!(body.contains("Key actors"), "{body}");
    // Paging and bad parameters.
    let body = html(&app.page("/stories?limit=1").await, StatusCode::OK);
    if v["total"].as_u64() > Some(1) {
        assert!(
            body.contains(r#"rel="next" href="/stories?offset=1""#),
            "{body}"
        );
    }
    for bad in ["limit=0", "offset=x", "kind=x"] {
        html(
            &app.page(&format!("/stories?{bad}")).await,
            StatusCode::BAD_REQUEST,
        );
    }

    // The story page: facts, timeline with sourced sentences, articles.
    let (_, t) = app.get(&format!("/api/stories/{id}/timeline")).await.json();
    let body = html(&app.page(&format!("/stories/{id}")).await, StatusCode::OK);
    assert!(body.contains("<h2>Timeline</h2>"), "{body}");
    assert!(body.contains("<h2>Articles</h2>"), "{body}");
    // Its summary, each sentence linked to its article.
    let (_, story) = app.get(&format!("/api/stories/{id}")).await.json();
    let summary = story["summary"].as_array().unwrap();
    assert!(!summary.is_empty(), "{story}");
    assert!(body.contains("<h2>In brief</h2>"), "{body}");
    for x in summary {
        let article = x["article"].as_str().unwrap();
        assert!(
            body.contains(&format!(r#"<a href="/articles/{article}">"#)),
            "{article}: {body}"
        );
    }
    for e in t["entries"].as_array().unwrap() {
        let date = e["date"].as_str().unwrap();
        assert!(
            body.contains(&format!(r#"<time datetime="{date}" title="{date}">"#)),
            "{date}: {body}"
        );
        for x in e["sentences"].as_array().unwrap() {
            let article = x["article"].as_str().unwrap();
            assert!(
                body.contains(&format!(r#"<a href="/articles/{article}">"#)),
                "{article}: {body}"
            );
        }
    }
    for a in first["article_ids"].as_array().unwrap() {
        let a = a.as_str().unwrap();
        assert!(
            body.contains(&format!(r#"<a href="/articles/{a}">"#)),
            "{a}"
        );
    }
    html(
        &app.page(&format!("/stories/{id}?dates=0")).await,
        StatusCode::BAD_REQUEST,
    );
    html(
        &app.page(&format!("/stories/{id}?sentences=9")).await,
        StatusCode::BAD_REQUEST,
    );
    // The briefing's sections sit under the timeline, with article links.
    assert!(body.contains(r#"<div class="briefing">"#), "{body}");
    assert!(body.contains("Coverage by outlet"), "{body}");
    assert!(
        body.contains(&format!(r#"href="/stories/{id}/brief""#)),
        "{body}"
    );
    html(&app.page("/stories/s999999").await, StatusCode::NOT_FOUND);
    let body = html(
        &app.page("/stories/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            .await,
        StatusCode::NOT_FOUND,
    );
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{body}"
    );
}

#[tokio::test]
async fn hostile_story_input_renders_as_text() {
    let app = App::with_links().await;
    // Ingest strips markup from a JSON article's text, so the hostile
    // article is planted in the store, then analysed and linked.
    let planted = plant_hostile_linked_article(&app.engine);
    let id = story_of(&app, &planted).await;
    html(&app.page("/stories?limit=1000").await, StatusCode::OK);
    let body = html(&app.page(&format!("/stories/{id}")).await, StatusCode::OK);
    // Its title, in the story's articles.
    assert!(
        body.contains(&format!(
            r#"<a href="/articles/{planted}">&lt;script&gt;alert('planted link')&lt;/script&gt;</a>"#
        )),
        "{body}"
    );
    assert!(
        body.contains("<bdi>&lt;b&gt;Evil&lt;/b&gt; Gazette</bdi>"),
        "{body}"
    );
    // Its sentences, wherever the timeline quotes them: text in `<bdi>`,
    // a link to the article.
    let (_, t) = app
        .get(&format!("/api/stories/{id}/timeline?dates=50&sentences=5"))
        .await
        .json();
    let body = html(
        &app.page(&format!("/stories/{id}?dates=50&sentences=5"))
            .await,
        StatusCode::OK,
    );
    // As the templates escape (maud): an apostrophe stays as it is.
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    for x in t["entries"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["sentences"].as_array().unwrap())
        .filter(|x| x["article"] == planted.as_str())
    {
        let text = x["text"].as_str().unwrap();
        assert!(
            body.contains(&format!(
                r#"<blockquote class="sentence"><bdi>{}</bdi></blockquote>"#,
                esc(text)
            )),
            "{text:?}: {body}"
        );
        assert!(body.contains(&format!(r#"<a href="/articles/{planted}">article "#)));
    }
}

#[tokio::test]
async fn entities_are_found_by_name_and_bad_names_are_refused() {
    let app = App::with_links().await;
    let (_, all) = app.get("/api/entities?limit=1000").await.json();
    let total = all["total"].as_u64().expect("total");
    // By a part of the name, in any case.
    let (status, v) = app.get("/api/entities?q=united%20STA").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    let names: Vec<&str> = v["entities"]
        .as_array()
        .expect("entities")
        .iter()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(names.contains(&"United States"), "{v}");
    for e in v["entities"].as_array().expect("entities") {
        let forms = std::iter::once(e["name"].as_str().unwrap_or("")).chain(
            e["aliases"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.as_str()),
        );
        assert!(
            forms
                .map(str::to_lowercase)
                .any(|f| f.contains("united sta")),
            "listed without matching: {e}"
        );
    }
    assert_eq!(v["total"].as_u64(), Some(names.len() as u64), "{v}");
    assert!(v["total"].as_u64() < Some(total), "a filter: {v}");
    let (_, none) = app.get("/api/entities?q=zzzz-nobody").await.json();
    assert_eq!(none["total"].as_u64(), Some(0), "{none}");

    let body = html(&app.page("/entities?q=united").await, StatusCode::OK);
    assert!(body.contains("<bdi>United States</bdi>"), "{body}");
    assert!(
        body.contains("named or called “<bdi>united</bdi>”"),
        "{body}"
    );
    assert!(
        body.contains(r#"name="q" value="united""#),
        "shown back: {body}"
    );
    let body = html(&app.page("/entities?q=zzzz-nobody").await, StatusCode::OK);
    assert!(body.contains("No entity is named or called"), "{body}");

    // Huge, control characters, hostile markup: refused or escaped, with a
    // message that says what is wrong.
    for (q, says) in [
        ("x".repeat(201), "at most 200"),
        ("Blinken%1b%5B31m".to_string(), "control characters"),
        ("Blinken%00".to_string(), "control characters"),
        ("Blinken%0A".to_string(), "control characters"),
    ] {
        let (status, v) = app.get(&format!("/api/entities?q={q}")).await.json();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["error"]["parameter"], "q", "{v}");
        assert!(
            v["error"]["message"].as_str().unwrap_or("").contains(says),
            "{v}"
        );
        let body = html(
            &app.page(&format!("/entities?q={q}")).await,
            StatusCode::BAD_REQUEST,
        );
        assert!(body.contains(says), "{body}");
    }
    let body = html(
        &app.page("/entities?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            .await,
        StatusCode::OK,
    );
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{body}"
    );
}

/// Whether a bare event-type code (`>ASSAULT<`-like, outside a tooltip) is
/// in the page's text.
fn regex_lite_upper_code(body: &str) -> bool {
    storyline_engine::analysis::EventType::ALL.iter().any(|t| {
        let code = t.as_str();
        body.contains(&format!(" {code}</"))
            || body.contains(&format!(" {code} "))
            || body.contains(&format!(">{code}<"))
    })
}
