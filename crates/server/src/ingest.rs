//! `POST /api/ingest`: one article as JSON, a JSON array or JSON Lines of
//! them, or a raw text, Markdown, HTML, CSV or feed document, as the
//! `Content-Type` says. Answered with the CLI's ingest summary, or with
//! `202 Accepted` and the job to poll (`GET /api/jobs/{id}`) when the work
//! takes longer than `ServerConfig::ingest_wait` or the client sends
//! `Prefer: respond-async`.
//!
//! Checks come cheapest first, before the body is read: who is asking
//! (403/401), the `Content-Type` (415), a declared length over the limit
//! (413), a free place in the ingest queue (503 with `Retry-After`). Then
//! the body is read within the size limit and the request timeout, and
//! checked (empty, binary, malformed JSON, wrong shape: 400).
//!
//! The work then runs as a job (`crate::jobs`) on its own task: it is
//! handed to the engine's ordinary ingest through a private temporary
//! file, so an article posted here is stored exactly as the same file given
//! to `storyline ingest` would be. Locations in the summary name `request`
//! (with the record number for multi-record bodies) instead of the
//! temporary path. After a successful ingest the cross-document links are
//! brought up to date (`Engine::link`, as `storyline ingest` does), and the
//! answer carries what linking did under `link`. The request's own time
//! limit never applies to the job: a job is answered with what it did, never
//! with a timeout.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::Serialize;
use storyline_core::{InputFormat, Location, Problem};
use storyline_engine::{Engine, IngestConfig, IngestSummary, NoProgress};
use storyline_ingest::Input;
use storyline_link::linker::LinkReport;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::jobs::{self, JobView};
use crate::{auth, AppState};

/// How locations in an ingest summary name the request body.
pub(crate) const REQUEST_SOURCE: &str = "request";

/// The formats a `Content-Type` (its essence, lower-cased) selects, with the
/// file extension that makes the reader take that format.
const CONTENT_TYPES: &[(&str, InputFormat, &str)] = &[
    ("application/json", InputFormat::Json, "json"),
    ("application/x-ndjson", InputFormat::Jsonl, "jsonl"),
    ("application/jsonl", InputFormat::Jsonl, "jsonl"),
    ("application/json-lines", InputFormat::Jsonl, "jsonl"),
    ("application/jsonlines", InputFormat::Jsonl, "jsonl"),
    ("text/plain", InputFormat::Text, "txt"),
    ("text/markdown", InputFormat::Markdown, "md"),
    ("text/x-markdown", InputFormat::Markdown, "md"),
    ("text/html", InputFormat::Html, "html"),
    ("application/xhtml+xml", InputFormat::Html, "html"),
    ("text/csv", InputFormat::Csv, "csv"),
    ("application/rss+xml", InputFormat::Feed, "rss"),
    ("application/atom+xml", InputFormat::Feed, "atom"),
];

fn accepted_types() -> String {
    CONTENT_TYPES
        .iter()
        .map(|(t, _, _)| *t)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The format and file extension for the request's `Content-Type`.
fn format_for(headers: &HeaderMap) -> Result<(InputFormat, &'static str), ApiError> {
    let unsupported = |msg: String| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            msg,
        )
    };
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(unsupported(format!(
            "no Content-Type header; say what the body is: {}",
            accepted_types()
        )));
    };
    let essence = value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    CONTENT_TYPES
        .iter()
        .find(|(t, _, _)| *t == essence)
        .map(|(_, f, ext)| (*f, *ext))
        .ok_or_else(|| {
            unsupported(format!(
                "Content-Type {:?} is not one this endpoint reads; use one of {}",
                crate::params::clip(&essence),
                accepted_types()
            ))
        })
}

/// Checks the body before ingest: not empty, not binary, and for JSON,
/// well-formed and an object or an array.
fn check_body(body: &[u8], format: InputFormat) -> Result<(), ApiError> {
    let bad = |code, msg: String| ApiError::new(StatusCode::BAD_REQUEST, code, msg);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(bad(
            "empty_body",
            "the request body is empty; send one article as JSON ({\"title\", \"text\", \"date\", ...}), an array or JSON Lines of them, or a text or HTML document".into(),
        ));
    }
    let sample = &body[..body.len().min(8192)];
    let utf16 = sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF]);
    if !utf16 && sample.contains(&0) {
        return Err(bad(
            "binary_body",
            "the request body looks binary (it contains NUL bytes); send UTF-8 text, HTML or JSON"
                .into(),
        ));
    }
    if format == InputFormat::Json {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
            bad(
                "malformed_json",
                format!("the body is not valid JSON ({e}); fix it, or send JSON Lines with Content-Type application/x-ndjson"),
            )
        })?;
        if !(value.is_object() || value.is_array()) {
            return Err(bad(
                "invalid_json",
                "the JSON body must be an article object ({\"title\", \"text\", \"date\", \"url\", \"source\", \"author\", \"lang\"}) or an array of them".into(),
            ));
        }
    } else if format == InputFormat::Jsonl && std::str::from_utf8(body).is_err() {
        return Err(bad(
            "malformed_json",
            "the JSON Lines body is not valid UTF-8; JSON must be UTF-8".into(),
        ));
    }
    Ok(())
}

/// The answer of `POST /api/ingest`: the CLI's ingest summary, plus what
/// linking did afterwards.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IngestAnswer {
    #[serde(flatten)]
    pub summary: IngestSummary,
    /// What linking did; null when it did not run (nothing was ingested, the
    /// ingest did not analyse) or failed (`link_error` says why).
    pub link: Option<LinkReport>,
    /// Why linking failed; the articles are stored all the same and are
    /// linked by the next ingest or `storyline link`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub link_error: Option<String>,
    /// The job that did the work (`GET /api/jobs/{id}` shows it again).
    pub job: String,
}

/// A `413` naming the limit.
fn too_large(max: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        format!(
            "the request body is larger than this server accepts ({max} bytes); split the input into smaller requests"
        ),
    )
}

/// Whether the client asked not to wait (`Prefer: respond-async`, RFC 7240).
fn prefers_async(headers: &HeaderMap) -> bool {
    headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| {
            p.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .eq_ignore_ascii_case("respond-async")
        })
}

/// Reads the body within `max` bytes and `within` time. Nothing has been
/// done with it yet, so a timeout here is an honest `408`.
async fn read_body(body: Body, max: usize, within: Duration) -> Result<Bytes, ApiError> {
    let collect = Limited::new(body, max).collect();
    match tokio::time::timeout(within, collect).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err(too_large(max)),
        Ok(Err(e)) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!("the request body could not be read ({e}); nothing was stored"),
        )),
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "the request body did not arrive within {} s; nothing was stored, send it again",
                within.as_secs_f64()
            ),
        )),
    }
}

/// `POST /api/ingest`.
#[utoipa::path(
    post,
    path = "/api/ingest",
    tag = "store",
    operation_id = "ingest",
    summary = "Add articles to the store",
    description = "The body is one article as JSON, a JSON array of them, JSON Lines, or a raw document (text with optional `key value` header lines, Markdown, HTML, CSV with a header row, RSS/Atom), as `Content-Type` says. Re-sending the same text is a no-op (`already_present`). Bad records are skipped and listed with their record number; the answer is 422 only when nothing could be ingested.\n\nIngest is off unless the server was given a token (`storyline serve --ingest-token`, or `STORYLINE_INGEST_TOKEN`): send it as `Authorization: Bearer <token>` (401 without it or with another, 403 when ingest is off). `--allow-ingest` opens it to anyone, on a loopback address only.\n\nEach request becomes a job. Jobs run one at a time, in a queue of a few places (503 with `Retry-After` when it is full, before the body is read); the body is limited in size (413 beyond). The request waits for its job (20 s by default) and answers with the result (200 or 422), or with 202 and the job to poll at `/api/jobs/{id}` (`Location`) when the job takes longer or the request said `Prefer: respond-async`. The work always runs to its end: a client that gives up or disconnects loses nothing, and nothing stored is ever answered as a failure. 408 means only that the body itself did not arrive in time; nothing was stored.",
    security(("ingestToken" = []), ()),
    request_body(
        description = "One article as JSON or a JSON array of them; JSON Lines (one article object per line); an article as text, optionally opening with header lines such as `date 2024-03-03` and `title ...`; Markdown; a web page (the article is extracted from it); CSV with a header row; RSS or Atom.",
        content(
            (crate::openapi::IngestBody = "application/json", example = json!({"title": "Relief convoy reaches the valley", "text": "ARDEN, March 3 (Harbour Wire) - A relief convoy reached the flooded valley on Friday, officials said.\n\nAid groups called for a ceasefire between the river militias to let more trucks through.", "date": "2024-03-03", "url": "https://example.org/news/relief-convoy", "source": "Harbour Wire", "author": "Ana Ruiz", "lang": "en"})),
            (String = "application/x-ndjson"),
            (String = "text/plain"),
            (String = "text/markdown"),
            (String = "text/html"),
            (String = "text/csv"),
            (String = "application/rss+xml"),
            (String = "application/atom+xml"),
        ),
    ),
    responses(
        (status = 200, description = "What the run did, as `storyline ingest --json`, what linking did after it (`link`), and the job that did it (`job`).", body = IngestAnswer),
        (status = 202, description = "Accepted: the job is queued or running and will run to its end; poll `GET /api/jobs/{id}` (the `Location` header).", body = JobView, headers(("Location" = String, description = "`/api/jobs/{id}`."))),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 408, response = crate::openapi::ErrorResponse),
        (status = 413, response = crate::openapi::ErrorResponse),
        (status = 415, response = crate::openapi::ErrorResponse),
        (status = 422, description = "Nothing could be ingested; `summary` lists every problem.", body = crate::openapi::IngestFailure),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    match submit(&state, &headers, body).await {
        Ok(res) => res,
        Err(e) => e.into_response(),
    }
}

async fn submit(state: &AppState, headers: &HeaderMap, body: Body) -> Result<Response, ApiError> {
    auth::may_ingest(&state.config.ingest, headers)?;
    let (format, ext) = format_for(headers)?;
    let max = state.config.max_body_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large(max));
    }
    // A place in the queue before the body is read: bodies in memory never
    // exceed the queue times the body limit.
    let Some(slot) = state.jobs.try_slot() else {
        tracing::warn!("ingest refused: the ingest queue is full");
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "overloaded",
            format!(
                "{} ingest job(s) are already queued or running, the most this server takes; retry later",
                state.jobs.capacity()
            ),
        )
        .with_retry_after(10));
    };
    let body = read_body(body, max, state.config.request_timeout).await?;
    check_body(&body, format)?;
    let id = state.jobs.next_id();
    let engine = state.engine.clone();
    let job = id.clone();
    let progress = state
        .jobs
        .submit(id, slot, move || match run(&engine, body, ext, job) {
            Ok(answer) => match serde_json::to_value(&answer) {
                Ok(v) => (StatusCode::OK, v),
                Err(e) => {
                    let err = ApiError::internal(format!(
                        "the articles are stored but the answer could not be written ({e})"
                    ));
                    (err.status, err.body())
                }
            },
            Err(e) => (e.status, e.body()),
        });
    let wait = if prefers_async(headers) {
        Duration::ZERO
    } else {
        state.config.ingest_wait
    };
    let view = jobs::wait_for(progress, wait).await;
    Ok(answer_for(view))
}

/// The job's answer when it is done, else `202` pointing at it.
fn answer_for(view: JobView) -> Response {
    match (view.status, &view.answer) {
        (Some(status), Some(answer)) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut res = (status, Json(answer.clone())).into_response();
            if status == StatusCode::SERVICE_UNAVAILABLE {
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            }
            res
        }
        _ => {
            let location = format!("/api/jobs/{}", view.id);
            let mut res = (StatusCode::ACCEPTED, Json(view)).into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
    }
}

/// The ingest itself, on the blocking pool: store, then link.
fn run(engine: &Engine, body: Bytes, ext: &str, job: String) -> Result<IngestAnswer, ApiError> {
    let dir = tempfile::tempdir()
        .map_err(|e| ApiError::internal(format!("cannot create a temporary file: {e}")))?;
    let path = dir.path().join(format!("{REQUEST_SOURCE}.{ext}"));
    std::fs::write(&path, &body)
        .map_err(|e| ApiError::internal(format!("cannot write a temporary file: {e}")))?;
    // The reader streams from the file; the copy in memory can go.
    drop(body);
    let temp_name = path.display().to_string();
    let rename = |loc: &mut Location| {
        if loc.source == temp_name {
            loc.source = REQUEST_SOURCE.to_string();
        }
    };
    let config = IngestConfig::default();
    let mut summary = engine.ingest_with(
        &[Input::Path(path.clone())],
        &config,
        &|draft| rename(&mut draft.origin.location),
        &mut NoProgress,
    )?;
    let fix = |p: &mut Problem| {
        rename(&mut p.location);
        p.reason = p.reason.replace(&temp_name, REQUEST_SOURCE);
    };
    summary
        .failed_inputs
        .iter_mut()
        .chain(summary.skipped.iter_mut())
        .chain(summary.warnings.iter_mut())
        .for_each(fix);
    tracing::info!(
        job = %job,
        read = summary.read,
        inserted = summary.inserted,
        skipped = summary.skipped.len(),
        "ingest request"
    );
    if summary.inserted + summary.already_present == 0 {
        let first = summary
            .failed_inputs
            .iter()
            .chain(&summary.skipped)
            .next()
            .map(|p| format!(" (first problem: {}: {})", p.location, p.reason))
            .unwrap_or_default();
        let value = serde_json::to_value(&summary).unwrap_or(serde_json::Value::Null);
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "nothing_ingested",
            format!(
                "no article could be ingested from the body{first}; `summary` lists every problem"
            ),
        )
        .with_extra("summary", value));
    }
    // Link only what was stored; a link failure does not undo the ingest,
    // it is reported beside it.
    let (link, link_error) = if config.analyze {
        match engine.link(|_| {}) {
            Ok(report) => (Some(report), None),
            Err(e) => {
                tracing::error!("linking after ingest failed: {e}");
                (
                    None,
                    Some(format!(
                        "the articles are stored but could not be linked ({e}); run `storyline link`"
                    )),
                )
            }
        }
    } else {
        (None, None)
    };
    Ok(IngestAnswer {
        summary,
        link,
        link_error,
        job,
    })
}

/// `GET /api/jobs/{id}`: an ingest job's state and, once done, its answer.
#[utoipa::path(
    get,
    path = "/api/jobs/{id}",
    tag = "store",
    operation_id = "getJob",
    summary = "An ingest job: queued, running, succeeded or failed, and once done the answer of its ingest",
    description = "Needs what `POST /api/ingest` needs (the bearer token when one is set). The server remembers its last 256 finished jobs, in memory: none from before a restart. Ids are `<hex>-<n>`, numbered in order within one run of the server.",
    params(crate::openapi::params::JobIdPath),
    security(("ingestToken" = []), ()),
    responses(
        (status = 200, description = "`storyline.job/1`.", body = JobView),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 401, response = crate::openapi::Unauthorized),
        (status = 403, response = crate::openapi::Forbidden),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn job(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<JobView>, ApiError> {
    auth::may_ingest(&state.config.ingest, &headers)?;
    if !jobs::valid_id(&id) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_id",
            format!(
                "{:?} is not a job id; use the `id` that POST /api/ingest answered",
                crate::params::clip(&id)
            ),
        ));
    }
    state.jobs.get(&id).map(Json).ok_or_else(|| {
        ApiError::not_found(format!(
            "no job {id}: this server remembers its last {} finished ingest jobs, and none from before it restarted",
            state.config.jobs_kept
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(ct: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        h
    }

    #[test]
    fn content_types_select_formats() {
        assert_eq!(
            format_for(&headers("application/json; charset=utf-8"))
                .unwrap()
                .0,
            InputFormat::Json
        );
        assert_eq!(
            format_for(&headers("Text/HTML")).unwrap().0,
            InputFormat::Html
        );
        assert_eq!(
            format_for(&headers("image/png")).unwrap_err().status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
        assert_eq!(
            format_for(&HeaderMap::new()).unwrap_err().status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        );
    }

    #[test]
    fn respond_async_is_recognised() {
        let prefer = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert("prefer", HeaderValue::from_str(v).unwrap());
            prefers_async(&h)
        };
        assert!(prefer("respond-async"));
        assert!(prefer("wait=10, Respond-Async"));
        assert!(prefer("respond-async; x=1"));
        assert!(!prefer("return=minimal"));
        assert!(!prefer("respond-asynchronously"));
        assert!(!prefers_async(&HeaderMap::new()));
    }

    #[test]
    fn bodies_are_checked() {
        let code = |b: &[u8], f| check_body(b, f).unwrap_err().code;
        assert_eq!(code(b"  \n", InputFormat::Text), "empty_body");
        assert_eq!(code(b"PK\x03\x04\0\0", InputFormat::Text), "binary_body");
        assert_eq!(code(b"{\"title\": ", InputFormat::Json), "malformed_json");
        assert_eq!(code(b"42", InputFormat::Json), "invalid_json");
        assert!(check_body(b"[{\"text\": \"x\"}]", InputFormat::Json).is_ok());
    }
}
