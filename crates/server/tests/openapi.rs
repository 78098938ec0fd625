//! The OpenAPI document against the server: the same routes, and every
//! operation answers with a documented status and a body that fits the
//! documented schema.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use common::*;
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, Request};
use http_body_util::channel::Channel;
use storyline_server::{
    openapi_document, routes, ClassLimit, IngestAccess, IngestToken, RouteKind, ServerConfig,
};

fn doc() -> Value {
    serde_json::from_str(openapi_document()).expect("the OpenAPI document is JSON")
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    while let Some(r) = v.get("$ref").and_then(Value::as_str) {
        v = doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling $ref {r}"));
    }
    v
}

/// Checks `value` against the subset of JSON Schema the document uses
/// (`$ref`, `allOf`, `oneOf`, `anyOf`, `type` with null unions, `const`,
/// `enum`, `minimum`, `maximum`, `required`, `properties`,
/// `additionalProperties`, `items`, `prefixItems` (tuples, with
/// `items: false`), `minItems`, `maxItems`); returns the mismatches with
/// their paths.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str, errs: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            check(doc, s, value, at, errs);
        }
    }
    if let Some(any) = schema.get("oneOf").and_then(Value::as_array) {
        let fits = any.iter().any(|s| {
            let mut e = Vec::new();
            check(doc, s, value, at, &mut e);
            e.is_empty()
        });
        if !fits {
            errs.push(format!("{at}: fits none of oneOf: {value}"));
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        let fits = any.iter().any(|s| {
            let mut e = Vec::new();
            check(doc, s, value, at, &mut e);
            e.is_empty()
        });
        if !fits {
            errs.push(format!("{at}: fits none of anyOf: {value}"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            errs.push(format!("{at}: expected {c}, got {value}"));
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            errs.push(format!("{at}: {value} not in {e:?}"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "null" => value.is_null(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => false,
        });
        if !ok {
            errs.push(format!("{at}: expected {types:?}, got {value}"));
            return;
        }
    }
    if let Some(obj) = value.as_object() {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !obj.contains_key(r) {
                errs.push(format!("{at}: required field `{r}` missing"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, v) in obj {
            if let Some(s) = props.and_then(|p| p.get(k)) {
                check(doc, s, v, &format!("{at}.{k}"), errs);
            } else if let Some(s) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                check(doc, s, v, &format!("{at}.{k}"), errs);
            }
        }
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if n < min {
                errs.push(format!("{at}: {n} is below the minimum {min}"));
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if n > max {
                errs.push(format!("{at}: {n} is above the maximum {max}"));
            }
        }
    }
    if let Some(arr) = value.as_array() {
        // A tuple: its items by position, and none after them when
        // `items` is false.
        let prefix = schema.get("prefixItems").and_then(Value::as_array);
        let positional = prefix.map_or(0, Vec::len);
        for (i, (s, v)) in prefix.into_iter().flatten().zip(arr).enumerate() {
            check(doc, s, v, &format!("{at}[{i}]"), errs);
        }
        match schema.get("items") {
            Some(Value::Bool(false)) if arr.len() > positional => {
                errs.push(format!("{at}: {} items, at most {positional}", arr.len()));
            }
            Some(items) if items.is_object() => {
                for (i, v) in arr.iter().enumerate().skip(positional) {
                    check(doc, items, v, &format!("{at}[{i}]"), errs);
                }
            }
            _ => {}
        }
        let len = arr.len() as u64;
        if schema
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|min| len < min)
            || schema
                .get("maxItems")
                .and_then(Value::as_u64)
                .is_some_and(|max| len > max)
        {
            errs.push(format!("{at}: {len} items, outside minItems/maxItems"));
        }
    }
}

/// Checks an answer against the operation's documented responses: the
/// status is documented, the content type is the documented one, and a
/// JSON body fits the schema.
fn conforms(doc: &Value, op: &Value, what: &str, a: &Answer) {
    let responses = op["responses"].as_object().expect("responses");
    let Some(resp) = responses.get(a.status.as_str()) else {
        panic!(
            "{what}: status {} is not documented (documented: {:?}); body {}",
            a.status,
            responses.keys().collect::<Vec<_>>(),
            a.text()
        );
    };
    let resp = resolve(doc, resp);
    let content = resp["content"].as_object().expect("content");
    let ctype = a.content_type();
    let (media, spec) = content
        .iter()
        .find(|(m, _)| ctype.starts_with(m.as_str()))
        .unwrap_or_else(|| panic!("{what}: content type {ctype:?} is not documented"));
    if media == "application/json" {
        let (_, body) = a.json();
        let mut errs = Vec::new();
        check(doc, &spec["schema"], &body, "$", &mut errs);
        assert!(
            errs.is_empty(),
            "{what}: body does not fit the schema:\n{}\n{body}",
            errs.join("\n")
        );
    }
}

#[test]
fn the_document_lists_exactly_the_routes() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let routed: BTreeSet<(String, String)> = routes()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(
        documented, routed,
        "the OpenAPI document and the route table differ"
    );
    // Every JSON route documents a JSON answer; every page an HTML one.
    for r in routes() {
        let op = &doc["paths"][r.path][r.method.to_lowercase()];
        let ok = resolve(&doc, &op["responses"]["200"]);
        let media = match r.kind {
            RouteKind::Json => "application/json",
            RouteKind::Page => "text/html",
            RouteKind::Asset => "text/css",
        };
        assert!(
            ok["content"].get(media).is_some(),
            "{} {}: 200 is not {media}",
            r.method,
            r.path
        );
        // Every route can be shed under load: a 503 with Retry-After.
        let shed = resolve(&doc, &op["responses"]["503"]);
        assert!(
            shed["headers"].get("Retry-After").is_some(),
            "{} {}: no 503 with Retry-After",
            r.method,
            r.path
        );
    }
    // What guards ingest is documented where ingest is.
    for (method, path, statuses) in [
        (
            "post",
            "/api/ingest",
            &["202", "401", "403", "408", "413"][..],
        ),
        ("get", "/api/jobs/{id}", &["400", "401", "403", "404"][..]),
    ] {
        let op = &doc["paths"][path][method];
        for status in statuses {
            assert!(
                op["responses"].get(*status).is_some(),
                "{method} {path} does not document {status}"
            );
        }
        assert!(op["security"].is_array(), "{method} {path}: no security");
    }
}

#[tokio::test]
async fn every_operation_answers_as_documented() {
    let doc = doc();
    let app = App::with_links().await;
    let id = app.id_of(CONVOY).await;
    let (_, entities) = app.get("/api/entities?limit=1").await.json();
    let entity = entities["entities"][0]["id"]
        .as_str()
        .expect("an entity")
        .to_string();
    let (_, stories) = app.get("/api/stories?limit=1").await.json();
    let story = stories["stories"][0]["id"]
        .as_str()
        .expect("the linking fixtures make a story")
        .to_string();
    let (_, ingested) = app
        .send(
            Method::POST,
            "/api/ingest",
            Some("text/plain"),
            "The ferry timetable changes on Monday, the operator said.",
        )
        .await
        .json();
    let job = ingested["job"].as_str().expect("a job id").to_string();
    let mut checked = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            // Build the request from the documented examples; `{id}` is an
            // entity's on entity paths, a story's on story paths, an
            // article's elsewhere.
            let id = if path.contains("/entities/") {
                &entity
            } else if path.contains("/stories/") {
                &story
            } else if path.contains("/jobs/") {
                &job
            } else {
                &id
            };
            let mut uri = path.replace("{id}", id);
            let mut query = Vec::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let p = resolve(&doc, p);
                if p["in"] == "query" {
                    if let Some(ex) = p.get("example").and_then(Value::as_str) {
                        let ex = ex.replace('%', "%25").replace(' ', "%20");
                        query.push(format!("{}={ex}", p["name"].as_str().unwrap()));
                    }
                }
            }
            if !query.is_empty() {
                uri = format!("{uri}?{}", query.join("&"));
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let answer = match op["requestBody"]["content"]["application/json"].get("example") {
                Some(ex) => {
                    app.send(
                        method.clone(),
                        &uri,
                        Some("application/json"),
                        ex.to_string(),
                    )
                    .await
                }
                None => app.send(method.clone(), &uri, None, Body::empty()).await,
            };
            let what = format!("{method} {uri}");
            assert_eq!(answer.status, StatusCode::OK, "{what}: {}", answer.text());
            conforms(&doc, op, &what, &answer);
            checked.insert((method.to_string(), path.clone()));
        }
    }
    // Every route was called.
    let routed: BTreeSet<(String, String)> = routes()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(checked, routed);
}

/// Whether a query parameter's documented schema takes the empty string:
/// the subset the document uses for it (`$ref`, `anyOf`, `type`, `enum`,
/// `minLength`, and the two patterns that require or allow only spaces).
fn takes_empty(doc: &Value, schema: &Value) -> bool {
    let schema = resolve(doc, schema);
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array) {
        return any.iter().any(|s| takes_empty(doc, s));
    }
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        // An integer, or an enum by reference: no empty member.
        return schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|e| e.contains(&Value::from("")));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        return e.contains(&Value::from(""));
    }
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
    let pattern = schema.get("pattern").and_then(Value::as_str).unwrap_or("");
    // A pattern that takes "" matches nothing or only repeats (`*`).
    let pattern_takes = pattern.is_empty()
        || pattern == "^\\s*$"
        || (pattern.starts_with("^[")
            && pattern.ends_with("]*$")
            && pattern.matches('[').count() == 1);
    min == 0 && pattern_takes && !schema.get("format").is_some_and(|f| f == "date")
}

#[tokio::test]
async fn empty_parameters_are_refused_by_the_api_and_absent_on_pages_as_documented() {
    // The rule (info.description): an API parameter given empty is a 400
    // naming it; a page takes it as absent, since HTML forms send their
    // blank fields. Each documented query parameter is sent empty, and
    // blank, and its schema must say the same.
    let doc = doc();
    let app = App::with_links().await;
    let (_, stories) = app.get("/api/stories?limit=1").await.json();
    let story = stories["stories"][0]["id"]
        .as_str()
        .expect("the linking fixtures make a story")
        .to_string();
    let mut seen = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let api = path.starts_with("/api/");
        for p in op["parameters"].as_array().into_iter().flatten() {
            let p = resolve(&doc, p);
            if p["in"] != "query" {
                continue;
            }
            let name = p["name"].as_str().unwrap();
            assert_eq!(
                takes_empty(&doc, &p["schema"]),
                !api,
                "GET {path}: the schema of `{name}` should {} the empty value",
                if api { "refuse" } else { "take" }
            );
            let uri = path.replace("{id}", &story);
            // Empty, spaces, and blanks that are control characters too
            // (a tab, a line break): blank all the same.
            for value in ["", "%20%20", "%09", "%0D%0A%20"] {
                let what = format!("GET {uri}?{name}={value}");
                let answer = app.get(&format!("{uri}?{name}={value}")).await;
                if api {
                    let (status, v) = answer.json();
                    assert_eq!(status, StatusCode::BAD_REQUEST, "{what}: {v}");
                    assert_eq!(v["error"]["parameter"], name, "{what}: {v}");
                    assert!(
                        v["error"]["message"]
                            .as_str()
                            .is_some_and(|m| m.contains(&format!("`{name}` is empty"))),
                        "{what}: {v}"
                    );
                } else {
                    // `/check` and `/search` with nothing to do show their
                    // form; the others their first page.
                    assert_eq!(answer.status, StatusCode::OK, "{what}: {}", answer.text());
                }
            }
            seen += 1;
        }
    }
    assert!(seen > 40, "only {seen} query parameters documented");
}

#[tokio::test]
async fn linking_listings_fit_their_schemas_on_every_page() {
    // The examples above give one answer per operation; the listings'
    // items vary, so check every item of every kind.
    let doc = doc();
    let app = App::with_links().await;
    for (uri, template) in [
        ("/api/stories?limit=1000", "/api/stories"),
        ("/api/storylines?limit=1000", "/api/storylines"),
        ("/api/entities?limit=1000", "/api/entities"),
        ("/api/claims?limit=1000", "/api/claims"),
        ("/api/claims?kind=stance", "/api/claims"),
        ("/api/claims?kind=event", "/api/claims"),
        ("/api/findings?limit=1000", "/api/findings"),
        ("/api/findings?kind=update", "/api/findings"),
        ("/api/findings?kind=agree", "/api/findings"),
        ("/api/stances", "/api/stances"),
        (
            "/api/check?claim=Washington%20rejected%20a%20ceasefire",
            "/api/check",
        ),
    ] {
        let answer = app.get(uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
        conforms(&doc, &doc["paths"][template]["get"], uri, &answer);
    }
}

#[tokio::test]
async fn documented_errors_fit_the_error_schema() {
    let doc = doc();
    let app = App::new().await;
    /// Method, path template, URI, content type, body, expected status.
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a str,
        Option<&'a str>,
        &'a str,
        StatusCode,
    );
    let cases: &[Case] = &[
        (
            "get",
            "/api/articles",
            "/api/articles?since=nope",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/articles/{id}",
            "/api/articles/nothex",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/articles/{id}",
            "/api/articles/0000000000000000",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/api/search",
            "/api/search?q=x&limit=-1",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "post",
            "/api/ingest",
            "/api/ingest",
            Some("application/json"),
            "{",
            StatusCode::BAD_REQUEST,
        ),
        (
            "post",
            "/api/ingest",
            "/api/ingest",
            Some("image/gif"),
            "GIF89a",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "post",
            "/api/ingest",
            "/api/ingest",
            Some("application/json"),
            "[{\"title\": \"no text\"}]",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "get",
            "/api/jobs/{id}",
            "/api/jobs/not-a-job",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/jobs/{id}",
            "/api/jobs/0-1",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/api/entities",
            "/api/entities?kind=planet",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/entities/{id}",
            "/api/entities/no-such-entity",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/api/entities/{id}",
            "/api/entities/a%00b",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/stories",
            "/api/stories?offset=-1",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/stories/{id}",
            "/api/stories/s999999",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/api/stories/{id}",
            "/api/stories/%3Cb%3E",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/api/stories/{id}/timeline",
            "/api/stories/s1/timeline?dates=0",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/stories/{id}/timeline",
            "/api/stories/s999999/timeline",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/stories/{id}",
            "/stories/s999999",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/stories",
            "/stories?limit=0",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/claims",
            "/api/claims?limit=1001",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/claims",
            "/api/claims?article=0000000000000000",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/api/findings",
            "/api/findings?kind=maybe",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/stances",
            "/api/stances?x=1",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/api/check",
            "/api/check?claim=%20",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "post",
            "/api/check",
            "/api/check",
            Some("application/json"),
            "{\"claim\": 1}",
            StatusCode::BAD_REQUEST,
        ),
        (
            "post",
            "/api/check",
            "/api/check",
            Some("text/plain"),
            "claim",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            "get",
            "/entities/{id}",
            "/entities/no-such-entity",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/claims",
            "/claims?kind=x",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/check",
            "/check?claim=%00",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/articles",
            "/articles?limit=-1",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/articles/{id}",
            "/articles/0000000000000000",
            None,
            "",
            StatusCode::NOT_FOUND,
        ),
        (
            "get",
            "/articles/{id}",
            "/articles/zz",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
        (
            "get",
            "/search",
            "/search?q=x&since=nope",
            None,
            "",
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (method, template, uri, ctype, body, status) in cases {
        let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let answer = app.send(m, uri, *ctype, body.to_string()).await;
        assert_eq!(answer.status, *status, "{method} {uri}: {}", answer.text());
        conforms(
            &doc,
            &doc["paths"][*template][*method],
            &format!("{method} {uri}"),
            &answer,
        );
    }
}

#[tokio::test]
async fn guarded_and_shed_answers_fit_the_document() {
    let doc = doc();
    let token = "doc-test-token-0123456789";
    let app = Arc::new(
        App::with_config(ServerConfig {
            ingest: IngestAccess::Token(IngestToken::new(token).unwrap()),
            expensive: ClassLimit {
                concurrent: 1,
                queue: 0,
                max_wait: Duration::from_secs(1),
            },
            ingest_wait: Duration::ZERO,
            ..ServerConfig::default()
        })
        .await,
    );
    let ingest = &doc["paths"]["/api/ingest"]["post"];
    let post = |auth: Option<String>| {
        let mut req = Request::post("/api/ingest").header(header::CONTENT_TYPE, "text/plain");
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        req.body(Body::from("The market reopened on Friday, traders said."))
            .unwrap()
    };
    let a = app.request(post(None)).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    conforms(&doc, ingest, "401", &a);
    let a = app.request(post(Some(format!("Bearer {token}")))).await;
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.text());
    conforms(&doc, ingest, "202", &a);
    let (_, job) = a.json();
    let id = job["id"].as_str().unwrap().to_string();
    let job_op = &doc["paths"]["/api/jobs/{id}"]["get"];
    let done = loop {
        let req = Request::get(format!("/api/jobs/{id}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap();
        let a = app.request(req).await;
        conforms(&doc, job_op, "job", &a);
        if a.json().1["status"].is_number() {
            break a;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(done.json().1["state"], "succeeded");
    // Ingest switched off: 403.
    let off = App::with_config(ServerConfig::default()).await;
    let a = off.request(post(None)).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    conforms(&doc, ingest, "403", &a);
    // The expensive class saturated: 503, as JSON for the API and as a
    // page for the UI.
    let (_tx, body) = Channel::<axum::body::Bytes>::new(1);
    let held = {
        let app = app.clone();
        let req = Request::post("/api/check")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::new(body))
            .unwrap();
        tokio::spawn(async move { app.request(req).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(!held.is_finished());
    let a = app.get("/api/findings").await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.text());
    conforms(&doc, &doc["paths"]["/api/findings"]["get"], "503", &a);
    let a = app.page("/stances").await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    conforms(&doc, &doc["paths"]["/stances"]["get"], "503 page", &a);
}

#[test]
fn the_schema_checker_catches_mismatches() {
    let doc = doc();
    let schema = serde_json::json!({"$ref": "#/components/schemas/Error"});
    let mut errs = Vec::new();
    check(
        &doc,
        &schema,
        &serde_json::json!({"error": {"code": 1}}),
        "$",
        &mut errs,
    );
    assert_eq!(errs.len(), 2, "{errs:?}"); // code not a string, message missing
                                           // A tuple's items by position, and no more of them than it has.
    let tuple = serde_json::json!({
        "type": "array",
        "prefixItems": [{"type": "string"}, {"type": "integer", "minimum": 0}],
        "items": false
    });
    let mut errs = Vec::new();
    check(&doc, &tuple, &serde_json::json!(["bbc", 3]), "$", &mut errs);
    assert!(errs.is_empty(), "{errs:?}");
    check(
        &doc,
        &tuple,
        &serde_json::json!([3, -1, "x"]),
        "$",
        &mut errs,
    );
    assert_eq!(errs.len(), 3, "{errs:?}"); // not a string, below 0, too long
                                           // A nullable reference, as utoipa writes it, and an `anyOf`.
    let nullable =
        serde_json::json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Error"}]});
    let mut errs = Vec::new();
    check(&doc, &nullable, &Value::Null, "$", &mut errs);
    assert!(errs.is_empty(), "{errs:?}");
    let any =
        serde_json::json!({"anyOf": [{"type": "integer"}, {"$ref": "#/components/schemas/Blank"}]});
    check(&doc, &any, &serde_json::json!(" "), "$", &mut errs);
    assert!(errs.is_empty(), "{errs:?}");
    check(&doc, &any, &serde_json::json!(true), "$", &mut errs);
    assert_eq!(errs.len(), 1, "{errs:?}");
}
