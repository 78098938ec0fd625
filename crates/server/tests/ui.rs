//! The web UI, through the router: pages render, links lead somewhere, and
//! nothing from an article is ever markup.

mod common;

use axum::http::StatusCode;
use common::*;
use storyline_server::ServerConfig;

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
    assert!(body.contains("2024-03-03 – 2024-03-05"), "{body}");
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
    let app = App::empty(ServerConfig::default()).await;
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
        body.contains(r#"hl hl-time" title="2024-03-03">Sunday"#),
        "time normalised against the date: {body}"
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
        assert!(
            body.contains("&lt;script&gt;alert(&#39;planted&#39;)&lt;/script&gt;"),
            "{uri}: {body}"
        );
    }
    let body = html(&app.page(&format!("/articles/{id}")).await, StatusCode::OK);
    for escaped in [
        "<title>&lt;script&gt;alert(&#39;planted&#39;)&lt;/script&gt; · storyline</title>",
        r#"<h1 class="headline">&lt;script&gt;alert(&#39;planted&#39;)&lt;/script&gt;</h1>"#,
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
    assert!(!body.contains("hits for"));

    let body = html(&app.page("/search?q=ceasefire").await, StatusCode::OK);
    assert!(body.contains("3 hits for “ceasefire”"), "{body}");
    assert!(body.contains("<mark>ceasefire</mark>"));
    assert!(!body.contains("«ceasefire»"));
    assert!(body.contains(r#"value="ceasefire""#));

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
async fn stylesheet_is_served() {
    let app = App::new().await;
    let a = app.get("/assets/style.css").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.content_type().starts_with("text/css"));
    assert!(a.text().contains("font-family: system-ui"));
    assert!(!a.text().contains("http"), "no external assets");
}
