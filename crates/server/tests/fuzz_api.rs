//! The API's request parsing under random requests (issue 19): every route
//! of [`storyline_server::routes`] with hostile path ids, query strings
//! (known and unknown parameters, repeated, percent-encoded arbitrary bytes,
//! huge numbers) and bodies (JSON of every shape, non-JSON, wrong content
//! types), driven through the router with `oneshot` over a store holding the
//! fixtures. No request may make the server fail: no 500, no panic (axum
//! would answer 500), every API error in the one error shape, every API
//! success valid JSON.
//!
//! A normal test run sends a few hundred requests. `docs/bench/fuzz.sh`
//! runs it for as long as asked: `FUZZ_API_SECONDS=600` (and
//! `FUZZ_API_SEED=N` to replay a run; the seed is printed).

mod common;

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::App;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::Value;
use storyline_server::routes;

/// One request, as sent.
#[derive(Debug, Clone)]
struct Req {
    method: Method,
    uri: String,
    content_type: Option<&'static str>,
    accept_html: bool,
    body: Vec<u8>,
}

/// Parameter names the handlers read, and some they do not.
const NAMES: &[&str] = &[
    "q",
    "limit",
    "offset",
    "since",
    "until",
    "source",
    "provenance",
    "kind",
    "story",
    "entity",
    "article",
    "claim",
    "speaker",
    "dates",
    "sentences",
    "day",
    "all",
    "summary",
    "info",
    "version",
    "prefer",
    "label",
    "format",
    "",
    "%00",
    "limit[]",
];

/// Values: ordinary, boundary and hostile.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            "0",
            "1",
            "-1",
            "200",
            "201",
            "4294967295",
            "4294967296",
            "18446744073709551616",
            "1e9",
            "NaN",
            "0x10",
            "+5",
            " 5",
            "2023-11-09",
            "2023-11-09T10:00:00Z",
            "9999-99-99",
            "-0001-01-01",
            "2023-02-30",
            "true",
            "yes",
            "on",
            "all",
            "article",
            "claim",
            "figure",
            "quote",
            "stance",
            "ceasefire",
            "312 deaths",
            "<script>alert(1)</script>",
            "\"",
            "'",
            "%",
            "%zz",
            "%ff%fe",
            "%00",
            "%E2%80%AE",
            "%ud800",
            "\\ud800",
            "..%2F..%2Fetc%2Fpasswd",
            "a&b=c",
            "%26limit%3D0",
        ])
        .prop_map(str::to_string),
        // Arbitrary bytes, percent-encoded.
        prop::collection::vec(any::<u8>(), 0..64).prop_map(|b| percent(&b)),
        // Arbitrary characters, percent-encoded.
        "\\PC{0,40}".prop_map(|s| percent(s.as_bytes())),
        // Long values.
        (1usize..20_000).prop_map(|n| "9".repeat(n)),
        (1usize..5_000).prop_map(|n| "a%20".repeat(n)),
    ]
}

fn percent(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("%{b:02X}")).collect()
}

/// Path ids: a real one (filled in at run time), or hostile.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("{real}".to_string()),
        prop::sample::select(vec![
            "0",
            "x",
            "%2F",
            "..",
            "%2E%2E",
            "%00",
            "a%20b",
            "🙂",
            "%F0%9F",
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        ])
        .prop_map(str::to_string),
        prop::collection::vec(any::<u8>(), 0..80).prop_map(|b| percent(&b)),
        (1usize..5_000).prop_map(|n| "a".repeat(n)),
    ]
}

/// JSON bodies of every shape, and some that are not JSON.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,60}".prop_map(Value::String),
        prop::sample::select(vec![
            "Officials said 12 people were killed in Gaza on Monday.",
            "Health office confirms 312 deaths",
            "2023-11-09",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    let json = leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec![
                        "claim",
                        "text",
                        "title",
                        "date",
                        "source",
                        "url",
                        "author",
                        "lang",
                        "body",
                        "content",
                        "published",
                        "",
                    ]),
                    inner
                ),
                0..6
            )
            .prop_map(|kv| Value::Object(
                kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
            )),
        ]
    });
    prop_oneof![
        4 => json.prop_map(|v| v.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..512),
        1 => prop::sample::select(vec![
            "{\"claim\": \"\\ud800\"}", "{\"claim\": 1}", "{\"claim\":", "[", "{}", "",
            "{\"title\":\"a\",\"text\":\"b\"}\n{\"text\":\"\\ud800\"}\nnot json\n",
            "title,text\n\"=HYPERLINK(1)\",x\n",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
    ]
}

fn request() -> impl Strategy<Value = Req> {
    let routes = routes();
    let query = prop::collection::vec((prop::sample::select(NAMES.to_vec()), value()), 0..5);
    (
        prop::sample::select(routes),
        id(),
        query,
        prop::option::of(prop::sample::select(vec![
            "application/json",
            "application/x-ndjson",
            "text/csv",
            "text/plain",
            "application/json; charset=latin1",
            "multipart/form-data; boundary=x",
        ])),
        any::<bool>(),
        body(),
        prop::sample::select(vec![Method::GET, Method::POST, Method::PUT, Method::DELETE]),
        0u8..10,
    )
        .prop_map(
            |(route, id, query, content_type, accept_html, body, other_method, odd)| {
                let path = route.path.replace("{id}", &id);
                let mut uri = path;
                if !query.is_empty() {
                    uri.push('?');
                    let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    uri.push_str(&q.join("&"));
                }
                // Mostly the route's own method; sometimes another.
                let method = if odd == 0 {
                    other_method
                } else {
                    Method::from_bytes(route.method.as_bytes()).unwrap_or(Method::GET)
                };
                let body = if method == Method::GET {
                    Vec::new()
                } else {
                    body
                };
                Req {
                    method,
                    uri,
                    content_type,
                    accept_html,
                    body,
                }
            },
        )
}

/// Sends one request and checks the answer; `Err` says what was wrong.
async fn check(app: &App, real_id: &str, req: &Req) -> Result<(), String> {
    let uri = req.uri.replace("{real}", real_id);
    let mut builder = Request::builder().method(req.method.clone()).uri(&uri);
    if let Some(ct) = req.content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    if req.accept_html {
        builder = builder.header(header::ACCEPT, "text/html");
    }
    // A URI the HTTP layer itself refuses never reaches the server.
    let Ok(http) = builder.body(Body::from(req.body.clone())) else {
        return Ok(());
    };
    let answer = app.request(http).await;
    let status = answer.status;
    if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
        return Err(format!("{status} for {uri}: {}", answer.text()));
    }
    let api = uri.starts_with("/api/") && !req.accept_html;
    if api && answer.content_type().starts_with("application/json") {
        let v: Value = serde_json::from_slice(&answer.body)
            .map_err(|e| format!("{status} for {uri}: not JSON ({e})"))?;
        if status.is_client_error() || status.is_server_error() {
            let code = v["error"]["code"].as_str().unwrap_or("");
            let message = v["error"]["message"].as_str().unwrap_or("");
            if code.is_empty() || message.is_empty() {
                return Err(format!("{status} for {uri}: not the error shape: {v}"));
            }
        }
    } else if api && status.is_client_error() {
        return Err(format!(
            "{status} for {uri}: an API error that is not JSON ({})",
            answer.content_type()
        ));
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_requests_never_fail_the_server() {
    let app = App::with_links().await;
    let real_id = app.id_of(common::CONVOY).await;
    let seconds: u64 = std::env::var("FUZZ_API_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let seed: u64 = std::env::var("FUZZ_API_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if seconds > 0 {
            // A long run explores; a normal test run repeats itself.
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(19, |d| d.as_secs())
        } else {
            19
        });
    eprintln!("seed: {seed}");
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    let strategy = request();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut sent = 0u64;
    loop {
        let req = strategy
            .new_tree(&mut runner)
            .expect("the strategy always generates")
            .current();
        if let Err(why) = check(&app, &real_id, &req).await {
            panic!("after {sent} requests (seed {seed}): {why}\nrequest: {req:?}");
        }
        sent += 1;
        if (seconds == 0 && sent >= 300) || (seconds > 0 && Instant::now() >= deadline) {
            break;
        }
    }
    eprintln!("requests: {sent}");
}
