//! The server's bounds seen through the router: turns per route class
//! (503 + Retry-After when a class is saturated, cheap reads unaffected),
//! who may ingest (403/401), the ingest queue and body limits, and ingest
//! jobs (202, `GET /api/jobs/{id}`), with hostile input for each.
//!
//! A request is kept "running" by giving it a body that never ends: the
//! turn (or the ingest slot) is taken before the body is read, so the
//! request holds it until the test drops the sender. Every wait is bounded.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use http_body_util::channel::{Channel, Sender};
use serde_json::json;
use storyline_server::{ClassLimit, IngestAccess, IngestToken, ServerConfig};

const TOKEN: &str = "test-token-0123456789abcdef";

fn limit(concurrent: usize, queue: usize, max_wait: Duration) -> ClassLimit {
    ClassLimit {
        concurrent,
        queue,
        max_wait,
    }
}

/// Starts `method uri` with a body that does not end until the returned
/// sender is dropped; returns the sender and the request's task.
fn stalled(
    app: &Arc<App>,
    method: Method,
    uri: &str,
    content_type: &str,
    auth: Option<&str>,
) -> (Sender<Bytes>, tokio::task::JoinHandle<Answer>) {
    let (tx, body) = Channel::<Bytes>::new(1);
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    let req = req.body(Body::new(body)).expect("request");
    let app = app.clone();
    (tx, tokio::spawn(async move { app.request(req).await }))
}

/// Lets a request just started reach its body read, and checks that it
/// waits there (it holds its turn or slot from now on).
async fn holding(held: &tokio::task::JoinHandle<Answer>) {
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!held.is_finished(), "the held request was answered early");
}

/// Retries `uri` until it answers `status` (at most 5 s).
async fn until(app: &App, uri: &str, status: StatusCode) -> Answer {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let a = app.get(uri).await;
        if a.status == status || Instant::now() > deadline {
            return a;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_saturated_expensive_class_sheds_with_retry_after_while_cheap_reads_answer() {
    let app = Arc::new(
        App::with_config(ServerConfig {
            expensive: limit(1, 0, Duration::from_millis(1500)),
            ..open()
        })
        .await,
    );
    // A check whose body never ends holds the only expensive turn.
    let (tx, held) = stalled(&app, Method::POST, "/api/check", "application/json", None);
    holding(&held).await;
    let shed = app.get("/api/findings").await;
    let err = shed.error(StatusCode::SERVICE_UNAVAILABLE, "overloaded");
    assert_eq!(shed.headers[header::RETRY_AFTER], "2", "1.5 s rounds up");
    assert!(
        err["message"].as_str().unwrap().contains("expensive"),
        "{err}"
    );
    // Every expensive route is shed, API and pages alike; a browser gets a page.
    for uri in [
        "/api/search?q=convoy",
        "/api/stances",
        "/api/check?claim=convoy",
        "/api/stories",
    ] {
        let a = app.get(uri).await;
        a.error(StatusCode::SERVICE_UNAVAILABLE, "overloaded");
        assert!(a.headers.contains_key(header::RETRY_AFTER), "{uri}");
    }
    let page = app.page("/findings").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.content_type().starts_with("text/html"));
    assert_eq!(page.headers[header::RETRY_AFTER], "2");
    // The cheap reads have their own turns and keep answering.
    for uri in [
        "/api/stats",
        "/api/articles",
        "/openapi.json",
        "/assets/style.css",
    ] {
        assert_eq!(app.get(uri).await.status, StatusCode::OK, "{uri}");
    }
    let id = app.id_of(CONVOY).await;
    assert_eq!(
        app.get(&format!("/api/articles/{id}")).await.status,
        StatusCode::OK
    );
    // The turn comes back when the held request ends.
    drop(tx);
    let answer = held.await.expect("the held request ends");
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.text());
    assert_eq!(
        until(&app, "/api/findings", StatusCode::OK).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn expensive_requests_queue_for_a_turn_then_give_up() {
    let app = Arc::new(
        App::with_config(ServerConfig {
            expensive: limit(1, 2, Duration::from_millis(300)),
            ..open()
        })
        .await,
    );
    let (tx, held) = stalled(&app, Method::POST, "/api/check", "application/json", None);
    holding(&held).await;
    // Waiting longer than max_wait: 503 after about 300 ms, not at once.
    let started = Instant::now();
    app.get("/api/findings")
        .await
        .error(StatusCode::SERVICE_UNAVAILABLE, "overloaded");
    assert!(started.elapsed() >= Duration::from_millis(250));
    // A queued request runs as soon as the turn is free.
    let waiting = {
        let app = app.clone();
        tokio::spawn(async move { app.get("/api/findings").await.status })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!waiting.is_finished(), "it waits for the turn");
    drop(tx);
    assert_eq!(waiting.await.unwrap(), StatusCode::OK);
}

#[tokio::test]
async fn ingest_needs_the_token_and_says_so_before_reading_the_body() {
    let app = Arc::new(
        App::with_config(ServerConfig {
            ingest: IngestAccess::Token(IngestToken::new(TOKEN).unwrap()),
            ..ServerConfig::default()
        })
        .await,
    );
    let post = |auth: Option<String>, body: String| {
        let app = app.clone();
        async move {
            let mut req = Request::post("/api/ingest").header(header::CONTENT_TYPE, "text/plain");
            if let Some(a) = auth {
                req = req.header(header::AUTHORIZATION, a);
            }
            app.request(req.body(Body::from(body)).unwrap()).await
        }
    };
    let text = "Ferry services resumed on the northern route on Monday.".to_string();
    let a = post(None, text.clone()).await;
    a.error(StatusCode::UNAUTHORIZED, "unauthorized");
    assert!(a.headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    post(Some(format!("Basic {TOKEN}")), text.clone())
        .await
        .error(StatusCode::UNAUTHORIZED, "unauthorized");
    let wrong = post(
        Some("Bearer test-token-0123456789abcdeF".into()),
        text.clone(),
    )
    .await;
    wrong.error(StatusCode::UNAUTHORIZED, "invalid_token");
    assert!(wrong.headers[header::WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .contains("invalid_token"));
    post(
        Some(format!("Bearer {}", "x".repeat(64 * 1024))),
        text.clone(),
    )
    .await
    .error(StatusCode::UNAUTHORIZED, "invalid_token");
    // A body over the limit without the token is refused for the token:
    // nobody learns the limits, and nothing is read.
    post(None, "x".repeat(11 * 1024 * 1024))
        .await
        .error(StatusCode::UNAUTHORIZED, "unauthorized");
    // A body that never ends is not waited for either.
    let (_tx, held) = stalled(&app, Method::POST, "/api/ingest", "text/plain", None);
    let a = tokio::time::timeout(Duration::from_secs(5), held)
        .await
        .expect("answered without the body")
        .unwrap();
    a.error(StatusCode::UNAUTHORIZED, "unauthorized");
    // Nothing was stored so far.
    let (_, s) = app.get("/api/stats").await.json();
    assert_eq!(s["articles"], 5);
    // The right token ingests; the job can be read with it only.
    let (status, v) = post(Some(format!("bearer {TOKEN}")), text).await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["inserted"], 1);
    let job = format!("/api/jobs/{}", v["job"].as_str().expect("job id"));
    app.get(&job)
        .await
        .error(StatusCode::UNAUTHORIZED, "unauthorized");
    let req = Request::get(&job)
        .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::empty())
        .unwrap();
    let (status, j) = app.request(req).await.json();
    assert_eq!(status, StatusCode::OK, "{j}");
    assert_eq!(j["state"], "succeeded");
    assert_eq!(j["answer"]["inserted"], 1);
}

#[tokio::test]
async fn disabled_ingest_refuses_jobs_too() {
    let app = App::with_config(ServerConfig::default()).await;
    app.get("/api/jobs/1-1")
        .await
        .error(StatusCode::FORBIDDEN, "ingest_disabled");
}

#[tokio::test]
async fn oversized_and_unfinished_ingest_bodies_store_nothing() {
    let app = Arc::new(
        App::empty(ServerConfig {
            max_body_bytes: 4096,
            request_timeout: Duration::from_millis(300),
            ..open()
        })
        .await,
    );
    // A declared length over the limit: 413 before a byte is read.
    let req = Request::post("/api/ingest")
        .header(header::CONTENT_TYPE, "text/plain")
        .header(header::CONTENT_LENGTH, "999999999999")
        .body(Body::from("short"))
        .unwrap();
    app.request(req)
        .await
        .error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    // No declared length, more bytes than the limit: 413 as they arrive.
    let (mut tx, held) = stalled(&app, Method::POST, "/api/ingest", "text/plain", None);
    let chunk = Bytes::from(vec![b'a'; 1024]);
    for _ in 0..5 {
        if tx.send_data(chunk.clone()).await.is_err() {
            break;
        }
    }
    let a = held.await.unwrap();
    a.error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    // A body that stops arriving: 408 naming that nothing was stored.
    let (mut tx, held) = stalled(&app, Method::POST, "/api/ingest", "text/plain", None);
    let _ = tx.send_data(Bytes::from_static(b"The first half of")).await;
    let a = tokio::time::timeout(Duration::from_secs(10), held)
        .await
        .expect("bounded")
        .unwrap();
    let err = a.error(StatusCode::REQUEST_TIMEOUT, "timeout");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("nothing was stored"),
        "{err}"
    );
    drop(tx);
    let (_, s) = app.get("/api/stats").await.json();
    assert_eq!(s["articles"], 0);
}

#[tokio::test]
async fn a_full_ingest_queue_answers_503_without_reading_the_body() {
    let app = Arc::new(
        App::empty(ServerConfig {
            ingest_queue: 1,
            ..open()
        })
        .await,
    );
    // The only place in the queue is held by a body that never ends.
    let (tx, held) = stalled(&app, Method::POST, "/api/ingest", "text/plain", None);
    holding(&held).await;
    let (_tx2, second) = stalled(&app, Method::POST, "/api/ingest", "text/plain", None);
    let refused = tokio::time::timeout(Duration::from_secs(5), second)
        .await
        .expect("answered without its body")
        .unwrap();
    refused.error(StatusCode::SERVICE_UNAVAILABLE, "overloaded");
    assert_eq!(refused.headers[header::RETRY_AFTER], "10");
    // The held body ends empty: 400, and the place is free again.
    drop(tx);
    held.await
        .unwrap()
        .error(StatusCode::BAD_REQUEST, "empty_body");
    let (status, v) = app
        .send(
            Method::POST,
            "/api/ingest",
            Some("text/plain"),
            "The harbour reopened after the storm, the port authority said.",
        )
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn respond_async_gives_a_job_to_poll_and_hostile_job_ids_are_refused() {
    let app = App::empty(ServerConfig {
        jobs_kept: 1,
        ..open()
    })
    .await;
    let req = Request::post("/api/ingest")
        .header(header::CONTENT_TYPE, "application/json")
        .header("prefer", "respond-async")
        .body(Body::from(
            json!({"title": "Bridge", "text": "The old bridge reopened to traffic on Tuesday, the council said."})
                .to_string(),
        ))
        .unwrap();
    let a = app.request(req).await;
    let (status, job) = a.json();
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    assert_eq!(job["schema"], "storyline.job/1");
    assert!(
        ["queued", "running"].contains(&job["state"].as_str().unwrap()),
        "{job}"
    );
    assert!(job["answer"].is_null() && job["status"].is_null(), "{job}");
    let id = job["id"].as_str().unwrap().to_string();
    let done = wait_for_job(&app, &id).await;
    assert_eq!(done["state"], "succeeded", "{done}");
    assert_eq!(done["answer"]["inserted"], 1);
    assert!(done["finished"].is_string());
    // A job that stores nothing is `failed`, with the answer that says why.
    let (status, v) = app
        .send(Method::POST, "/api/ingest", Some("application/json"), "[]")
        .await
        .json();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // Only the newest finished job is kept: the first is gone.
    app.get(&format!("/api/jobs/{id}"))
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    for bad in [
        "/api/jobs/nope",
        "/api/jobs/1-1-1",
        "/api/jobs/%00-1",
        "/api/jobs/%3Cscript%3E-1",
        &format!("/api/jobs/{}-1", "f".repeat(4096)),
    ] {
        app.get(bad)
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_id");
    }
    app.get("/api/jobs/0-1")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
}
