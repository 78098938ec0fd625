//! The JSON API, through the router, over a temporary store.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};
use storyline_server::ServerConfig;

#[tokio::test]
async fn articles_are_listed_with_paging_and_filters() {
    let app = App::new().await;
    let (status, v) = app.get("/api/articles").await.json();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["schema"], "storyline.articles/1");
    assert_eq!(v["count"], 5);
    assert_eq!(v["total"], 5);
    assert_eq!(v["offset"], 0);
    assert_eq!(v["limit"], 50);
    assert_eq!(v["next_offset"], Value::Null);
    let titles: Vec<&str> = v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    // By published date, undated last; the copy of the convoy story takes its
    // date from it (inferred), so it sorts with it.
    assert_eq!(
        titles[0..2],
        [CONVOY, "Convoy reaches valley, officials say"]
    );
    assert_eq!(titles[2..4], [XSS_TITLE, BREACH]);
    assert_eq!(titles[4], UNDATED);
    let copy = &v["articles"][1];
    assert_eq!(copy["is_duplicate"], true);
    assert_eq!(copy["published_provenance"], "inferred");
    assert_eq!(copy["duplicate_group"], v["articles"][0]["id"]);
    assert_eq!(v["articles"][0]["authors"], json!(["Ana Ruiz"]));
    assert_eq!(v["articles"][0]["origin"], "request (record 1)");

    // Paging.
    let (_, p) = app.get("/api/articles?limit=2&offset=2").await.json();
    assert_eq!(p["count"], 2);
    assert_eq!(p["next_offset"], 4);
    assert_eq!(p["articles"][0]["title"], XSS_TITLE);
    let (_, p) = app.get("/api/articles?limit=2&offset=4").await.json();
    assert_eq!(p["count"], 1);
    assert_eq!(p["next_offset"], Value::Null);

    // Filters (no total: it would cost a count query per filter).
    let (_, f) = app.get("/api/articles?source=harbour%20wire").await.json();
    assert_eq!(f["count"], 1);
    assert!(f.get("total").is_none());
    let (_, f) = app
        .get("/api/articles?since=2024-03-04&until=2024-03-05")
        .await
        .json();
    assert_eq!(f["count"], 2);
    // An inverted range holds no day: an empty page, not an error.
    let (status, f) = app
        .get("/api/articles?since=2024-03-05&until=2024-03-01")
        .await
        .json();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(f["count"], 0);
    let (status, h) = app
        .get("/api/search?q=ceasefire&since=2024-03-05&until=2024-03-01")
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{h}");
    assert_eq!(h["hits"].as_array().map(Vec::len), Some(0), "{h}");
    let (_, f) = app.get("/api/articles?provenance=unknown").await.json();
    assert_eq!(f["count"], 1);
    assert_eq!(f["articles"][0]["title"], UNDATED);
}

#[tokio::test]
async fn bad_listing_parameters_are_400_naming_the_parameter() {
    let app = App::new().await;
    for (query, param) in [
        ("since=9%20Nov%202023", "since"),
        ("until=2024-13-01", "until"),
        ("limit=-1", "limit"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
        ("offset=-5", "offset"),
        ("provenance=guessed", "provenance"),
        ("sinse=2024-01-01", "sinse"),
        ("limit=1&limit=2", "limit"),
    ] {
        let e = app
            .get(&format!("/api/articles?{query}"))
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(e["parameter"], param, "{query}: {e}");
    }
    let e = app
        .get("/api/articles?since=9%20Nov")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    assert!(e["message"].as_str().unwrap().contains("YYYY-MM-DD"), "{e}");
}

#[tokio::test]
async fn one_article_by_id_or_prefix() {
    let app = App::new().await;
    let id = app.id_of(CONVOY).await;
    let (status, a) = app.get(&format!("/api/articles/{id}")).await.json();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(a["schema"], "storyline.article/1");
    assert_eq!(a["id"], id.as_str());
    assert_eq!(a["published"], "2024-03-03");
    assert_eq!(a["published_provenance"], "metadata");
    assert!(a["text"].as_str().unwrap().contains("relief convoy"));
    assert_eq!(a["content_hash"].as_str().unwrap().len(), 64);
    assert!(a["date_candidates"].is_array());
    let (status, b) = app.get(&format!("/api/articles/{}", &id[..6])).await.json();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(b, a);
    let (status, _) = app
        .get(&format!("/api/articles/{}", id.to_uppercase()))
        .await
        .json();
    assert_eq!(status, StatusCode::OK);

    app.get("/api/articles/0000000000000000")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    // A prefix that matches nothing (every fixture id is checked not to start so).
    let unused = (0..16u8)
        .map(|d| format!("{d:x}{d:x}{d:x}{d:x}{d:x}{d:x}"))
        .find(|p| !app_ids_start_with(&a, p))
        .unwrap();
    app.get(&format!("/api/articles/{unused}"))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    for bad in ["xyz", "abcd", "%3Cscript%3E", "0123456789abcdef0"] {
        app.get(&format!("/api/articles/{bad}"))
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_id");
    }
}

fn app_ids_start_with(a: &Value, prefix: &str) -> bool {
    a["id"].as_str().is_some_and(|id| id.starts_with(prefix))
}

#[tokio::test]
async fn search_returns_hits_with_highlights() {
    let app = App::new().await;
    let (status, v) = app.get("/api/search?q=ceasefire").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["schema"], "storyline.search/1");
    assert_eq!(v["query"], "ceasefire");
    assert_eq!(v["count"], 3, "{v}");
    assert_eq!(
        (
            v["total"].as_u64(),
            v["offset"].as_u64(),
            v["next_offset"].is_null()
        ),
        (Some(3), Some(0), true),
        "{v}"
    );
    // Pages: the total stays, the hits move on, the last page says so.
    let (_, p1) = app.get("/api/search?q=ceasefire&limit=2").await.json();
    assert_eq!(
        (
            p1["count"].as_u64(),
            p1["total"].as_u64(),
            p1["next_offset"].as_u64()
        ),
        (Some(2), Some(3), Some(2)),
        "{p1}"
    );
    let (_, p2) = app
        .get("/api/search?q=ceasefire&limit=2&offset=2")
        .await
        .json();
    assert_eq!(
        (
            p2["count"].as_u64(),
            p2["total"].as_u64(),
            p2["next_offset"].is_null()
        ),
        (Some(1), Some(3), true),
        "{p2}"
    );
    let mut paged: Vec<&Value> = p1["hits"].as_array().unwrap().iter().collect();
    paged.extend(p2["hits"].as_array().unwrap());
    let all: Vec<&Value> = v["hits"].as_array().unwrap().iter().collect();
    assert_eq!(
        paged.iter().map(|h| &h["id"]).collect::<Vec<_>>(),
        all.iter().map(|h| &h["id"]).collect::<Vec<_>>()
    );
    for bad in ["offset=-1", "offset=10001", "offset=x"] {
        let (status, _) = app
            .get(&format!("/api/search?q=ceasefire&{bad}"))
            .await
            .json();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    }
    let hit = &v["hits"][0];
    let snippet = hit["snippet"].as_str().unwrap();
    assert!(snippet.contains("«ceasefire»"), "{snippet}");
    let r = &hit["highlights"][0];
    let (s, e) = (
        r["start"].as_u64().unwrap() as usize,
        r["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&snippet[s..e], "ceasefire");

    let (_, v) = app
        .get("/api/search?q=ceasefire&source=River%20Times")
        .await
        .json();
    assert_eq!(v["count"], 0);
    let (_, v) = app
        .get("/api/search?q=ceasefire&since=2024-03-04&limit=1")
        .await
        .json();
    assert_eq!(v["count"], 1);
    assert_eq!(v["hits"][0]["title"], XSS_TITLE);

    // Anything typed is a valid query.
    let (status, v) = app
        .get("/api/search?q=%22unclosed%20AND%20(%5B*%3F")
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");

    for (query, param) in [
        ("", "q"),
        ("q=%20%20", "q"),
        ("q=x&since=yesterday", "since"),
        ("q=x&limit=-3", "limit"),
        ("q=x&limit=101", "limit"),
        ("q=x&sort=date", "sort"),
    ] {
        let e = app
            .get(&format!("/api/search?{query}"))
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(e["parameter"], param, "{query}");
    }
}

#[tokio::test]
async fn stats_match_the_cli_document() {
    let app = App::new().await;
    let (status, v) = app.get("/api/stats").await.json();
    assert_eq!(status, StatusCode::OK);
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
    let mut expected = vec![
        "schema",
        "articles",
        "duplicates",
        "duplicate_groups_with_copies",
        "sources",
        "by_provenance",
        "earliest",
        "latest",
        "schema_version",
        "index_documents",
        "ingest_runs",
        "problems_recorded",
    ];
    let mut got = keys.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    assert_eq!(v["schema"], "storyline.stats/1");
    assert_eq!(v["articles"], 5);
    assert_eq!(v["duplicates"], 1);
    assert_eq!(v["earliest"], "2024-03-03");
    assert_eq!(v["latest"], "2024-03-05");
    assert_eq!(v["by_provenance"]["unknown"], 1);
    assert_eq!(v["by_provenance"]["inferred"], 1);
    assert_eq!(v["ingest_runs"], 1);
    assert!(v["sources"]
        .as_array()
        .unwrap()
        .contains(&json!({"source": "Harbour Wire", "articles": 1})));
}

#[tokio::test]
async fn ingest_reads_each_body_kind_and_reports_problems() {
    let app = App::empty(common::open()).await;
    // One object.
    let (status, v) = app
        .send(
            Method::POST,
            "/api/ingest",
            Some("application/json; charset=utf-8"),
            json!({"title": "One", "text": "A single article about the harbour.", "date": "2024-01-02", "source": "Wire"}).to_string(),
        )
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["read"].clone(), v["inserted"].clone()),
        (json!(1), json!(1))
    );
    for key in [
        "inputs",
        "failed_inputs",
        "already_present",
        "near_duplicates",
        "dates_from_duplicates",
        "skipped",
        "warnings",
        "elapsed",
    ] {
        assert!(v.get(key).is_some(), "{key} missing: {v}");
    }
    // Again: idempotent.
    let (_, v) = app
        .send(
            Method::POST,
            "/api/ingest",
            Some("application/json"),
            json!({"title": "One", "text": "A single article about the harbour."}).to_string(),
        )
        .await
        .json();
    assert_eq!(
        (v["inserted"].clone(), v["already_present"].clone()),
        (json!(0), json!(1))
    );

    // JSON Lines with a bad record: kept going, the bad one reported by number.
    let jsonl = "{\"title\": \"L1\", \"text\": \"First line article on the river.\"}\n{not json}\n{\"title\": \"L3\", \"text\": \"Third line article on the dam.\", \"date\": \"2024-02-01\"}\n";
    let (status, v) = app
        .send(
            Method::POST,
            "/api/ingest",
            Some("application/x-ndjson"),
            jsonl,
        )
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["inserted"], 2, "{v}");
    let skipped = v["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{v}");
    assert_eq!(skipped[0]["location"]["source"], "request");
    assert_eq!(
        skipped[0]["location"]["line"]
            .as_u64()
            .or(skipped[0]["location"]["record"].as_u64()),
        Some(2),
        "{v}"
    );
    assert!(
        !v.to_string().contains("/tmp"),
        "temporary path leaked: {v}"
    );

    // Plain text with header lines.
    let text = "title Floodgates reopened\ndate 2024-02-10\nsource Harbour Wire\n\nThe floodgates were reopened on Saturday after the water fell.";
    let (status, v) = app
        .send(Method::POST, "/api/ingest", Some("text/plain"), text)
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["inserted"], 1);
    let (_, list) = app.get("/api/articles?source=harbour%20wire").await.json();
    assert_eq!(list["articles"][0]["title"], "Floodgates reopened");
    assert_eq!(list["articles"][0]["published_provenance"], "header");
    assert_eq!(list["articles"][0]["origin"], "request");

    // HTML.
    let page = "<!doctype html><html><head><title>Bridge closed</title><meta property=\"article:published_time\" content=\"2024-02-11\"></head><body><article><h1>Bridge closed</h1><p>The old bridge over the river was closed to traffic on Sunday after inspectors found damage to its piers.</p><p>Detours were signposted through the town centre.</p></article></body></html>";
    let (status, v) = app
        .send(Method::POST, "/api/ingest", Some("text/html"), page)
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["inserted"], 1);
    let (_, list) = app
        .get("/api/articles?since=2024-02-11&until=2024-02-11")
        .await
        .json();
    assert_eq!(list["articles"][0]["format"], "html");
}

#[tokio::test]
async fn ingest_rejects_bad_bodies_with_json_errors() {
    let app = App::empty(ServerConfig {
        max_body_bytes: 64 * 1024,
        ..common::open()
    })
    .await;
    let post = |ct: Option<&'static str>, body: Vec<u8>| {
        let app = &app;
        async move { app.send(Method::POST, "/api/ingest", ct, body).await }
    };
    post(
        Some("application/json"),
        b"{\"title\": \"x\", \"text\": ".to_vec(),
    )
    .await
    .error(StatusCode::BAD_REQUEST, "malformed_json");
    post(Some("application/json"), b"\"just a string\"".to_vec())
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_json");
    post(Some("application/json"), Vec::new())
        .await
        .error(StatusCode::BAD_REQUEST, "empty_body");
    post(Some("text/plain"), b" \n\t ".to_vec())
        .await
        .error(StatusCode::BAD_REQUEST, "empty_body");
    post(
        Some("text/plain"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(),
    )
    .await
    .error(StatusCode::BAD_REQUEST, "binary_body");
    post(Some("image/png"), b"\x89PNG".to_vec())
        .await
        .error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    post(
        Some("application/x-www-form-urlencoded"),
        b"text=hello".to_vec(),
    )
    .await
    .error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    post(None, b"hello".to_vec())
        .await
        .error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    // Over the limit: 413, as JSON.
    let big = json!({"text": "word ".repeat(20_000)})
        .to_string()
        .into_bytes();
    post(Some("application/json"), big)
        .await
        .error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    // Well-formed, but nothing in it is an article: 422 with the summary.
    let (status, v) = post(
        Some("application/json"),
        json!([{"title": "no text"}, {"text": "   "}])
            .to_string()
            .into_bytes(),
    )
    .await
    .json();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "nothing_ingested");
    assert_eq!(v["summary"]["inserted"], 0);
    assert!(
        !v["summary"]["skipped"].as_array().unwrap().is_empty(),
        "{v}"
    );
    let (status, v) = post(Some("application/json"), b"[]".to_vec()).await.json();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // Nothing was stored by any of these.
    let (_, s) = app.get("/api/stats").await.json();
    assert_eq!(s["articles"], 0);
}

#[tokio::test]
async fn ingest_is_off_by_default() {
    // `ServerConfig::default()` switches ingest off: 403, nothing stored,
    // reads answer as usual.
    let app = App::with_config(ServerConfig::default()).await;
    let err = app
        .send(
            Method::POST,
            "/api/ingest",
            Some("text/plain"),
            "Some article text.",
        )
        .await
        .error(StatusCode::FORBIDDEN, "ingest_disabled");
    assert!(
        err["message"].as_str().unwrap().contains("--ingest-token"),
        "{err}"
    );
    let (status, s) = app.get("/api/stats").await.json();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s["articles"], 5, "only the fixtures");
}

#[tokio::test]
async fn unknown_routes_methods_and_queries_are_json_errors() {
    let app = App::new().await;
    app.get("/api/nothing-here")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    app.get("/no/such/page")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    let a = app
        .send(Method::DELETE, "/api/stats", None, Body::empty())
        .await;
    a.error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    app.send(Method::GET, "/api/ingest", None, Body::empty())
        .await
        .error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    // Every answer says not to sniff.
    assert_eq!(a.headers["x-content-type-options"], "nosniff");
    // A browser asking for a missing page gets a page.
    let p = app.page("/no/such/page").await;
    assert_eq!(p.status, StatusCode::NOT_FOUND);
    assert!(p.content_type().starts_with("text/html"));
}

#[tokio::test]
async fn slow_reads_time_out_with_json_but_ingest_never_does() {
    let app = App::with_config(ServerConfig {
        request_timeout: Duration::from_nanos(1),
        ingest_wait: Duration::ZERO,
        ..common::open()
    })
    .await;
    // A read that runs past the limit: 408, as JSON.
    let mut timed_out = false;
    for _ in 0..20 {
        let a = app.get("/api/search?q=convoy").await;
        if a.status == StatusCode::REQUEST_TIMEOUT {
            a.error(StatusCode::REQUEST_TIMEOUT, "timeout");
            timed_out = true;
            break;
        }
    }
    assert!(timed_out, "a 1 ns limit cuts a search short");
    // An ingest that takes far longer than the request timeout is never
    // answered 408: 202 and a job, which ends stored.
    let body = json!({"title": "Long", "text": "word ".repeat(50_000)}).to_string();
    let a = app
        .send(Method::POST, "/api/ingest", Some("application/json"), body)
        .await;
    let (status, job) = a.json();
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let id = job["id"].as_str().expect("a job id").to_string();
    assert_eq!(a.headers["location"], format!("/api/jobs/{id}"));
    let done = common::wait_for_job(&app, &id).await;
    assert_eq!(done["state"], "succeeded", "{done}");
    assert_eq!(done["status"], 200);
    assert_eq!(done["answer"]["inserted"], 1, "{done}");
    assert_eq!(done["answer"]["job"], id.as_str());
    // (Reads time out at 1 ns; ask the store itself.)
    assert_eq!(app.engine.store().stats().unwrap().articles, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reads_and_ingests_all_answer() {
    let app = std::sync::Arc::new(App::new().await);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            if i % 10 == 0 {
                let text = format!("Concurrent article number {i} about the reservoir levels.");
                app.send(Method::POST, "/api/ingest", Some("text/plain"), text)
                    .await
                    .status
            } else {
                let uri = ["/api/articles", "/api/search?q=convoy", "/api/stats", "/"][i % 4];
                app.get(uri).await.status
            }
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    let (_, s) = app.get("/api/stats").await.json();
    assert_eq!(s["articles"], 9);
}
