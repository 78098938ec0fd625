//! `POST /api/ingest`: one article as JSON, a JSON array or JSON Lines of
//! them, or a raw text, Markdown, HTML, CSV or feed document, as the
//! `Content-Type` says. Answered with the CLI's ingest summary.
//!
//! The body is checked before the engine sees it (empty, binary, malformed
//! JSON, wrong shape: 400; a type we do not read: 415), then handed to the
//! engine's ordinary ingest through a private temporary file, so an article
//! posted here is stored exactly as the same file given to `storyline
//! ingest` would be. Locations in the summary name `request` (with the
//! record number for multi-record bodies) instead of the temporary path.
//!
//! After a successful ingest the cross-document links are brought up to
//! date (`Engine::link`, as `storyline ingest` does), and the answer carries
//! what linking did under `link`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use serde::Serialize;
use storyline_core::{InputFormat, Location, Problem};
use storyline_engine::{IngestConfig, IngestSummary, NoProgress};
use storyline_ingest::Input;
use storyline_link::linker::LinkReport;

use crate::error::ApiError;
use crate::{blocking, AppState};

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
#[derive(Debug, Serialize)]
pub(crate) struct IngestAnswer {
    #[serde(flatten)]
    pub summary: IngestSummary,
    /// What linking did; null when it did not run (nothing was ingested, the
    /// ingest did not analyse) or failed (`link_error` says why).
    pub link: Option<LinkReport>,
    /// Why linking failed; the articles are stored all the same and are
    /// linked by the next ingest or `storyline link`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_error: Option<String>,
}

/// `POST /api/ingest`.
pub(crate) async fn ingest(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<IngestAnswer>, ApiError> {
    if state.config.read_only {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "read_only",
            "this server is read-only; ingest with `storyline ingest` on the machine holding the store",
        ));
    }
    let (format, ext) = format_for(&headers)?;
    check_body(&body, format)?;
    let permit = state
        .ingest_permit
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| ApiError::internal("the server is shutting down; retry later"))?;
    let (summary, link) = blocking(&state, move |engine| {
        // Held by the worker, not the request: a request that times out
        // does not let the next ingest start while this one still runs.
        let _permit = permit;
        let dir = tempfile::tempdir()
            .map_err(|e| ApiError::internal(format!("cannot create a temporary file: {e}")))?;
        let path = dir.path().join(format!("{REQUEST_SOURCE}.{ext}"));
        std::fs::write(&path, &body)
            .map_err(|e| ApiError::internal(format!("cannot write a temporary file: {e}")))?;
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
        // Link only what was stored; a link failure does not undo the
        // ingest, it is reported beside it.
        let link = if config.analyze && summary.inserted + summary.already_present > 0 {
            Some(engine.link(|_| {}).map_err(|e| {
                tracing::error!("linking after ingest failed: {e}");
                e.to_string()
            }))
        } else {
            None
        };
        Ok((summary, link))
    })
    .await?;
    tracing::info!(
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
    let (link, link_error) = match link {
        Some(Ok(report)) => (Some(report), None),
        Some(Err(e)) => (
            None,
            Some(format!(
                "the articles are stored but could not be linked ({e}); run `storyline link`"
            )),
        ),
        None => (None, None),
    };
    Ok(Json(IngestAnswer {
        summary,
        link,
        link_error,
    }))
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
    fn bodies_are_checked() {
        let code = |b: &[u8], f| check_body(b, f).unwrap_err().code;
        assert_eq!(code(b"  \n", InputFormat::Text), "empty_body");
        assert_eq!(code(b"PK\x03\x04\0\0", InputFormat::Text), "binary_body");
        assert_eq!(code(b"{\"title\": ", InputFormat::Json), "malformed_json");
        assert_eq!(code(b"42", InputFormat::Json), "invalid_json");
        assert!(check_body(b"[{\"text\": \"x\"}]", InputFormat::Json).is_ok());
    }
}
