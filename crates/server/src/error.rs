//! The one error shape of the API, and the middleware that keeps it uniform.
//!
//! Every 4xx/5xx answer of the API is
//! `{"error": {"code": "...", "message": "...", "parameter"?: "..."}}`.
//! Handlers return [`ApiError`]; errors produced outside handlers (axum's
//! extractor rejections, the body limit, the timeout, unknown methods) come
//! out as plain text and are rewritten by [`uniform_errors`].

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Value};
use storyline_store::StoreError;
use utoipa::ToSchema;

use crate::ui;

/// An error answer: status, a stable machine-readable code, and a message
/// that says what was wrong and what to do.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The query parameter at fault, when there is one.
    pub parameter: Option<String>,
    /// Extra top-level members beside `error` (the ingest summary on 422),
    /// boxed to keep every `Result<_, ApiError>` small.
    pub extra: Option<Box<(&'static str, Value)>>,
    /// Headers the answer carries (`Retry-After`, `WWW-Authenticate`).
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            parameter: None,
            extra: None,
            headers: Vec::new(),
        }
    }

    /// A bad query parameter: 400 naming it.
    pub fn parameter(name: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            parameter: Some(name.to_string()),
            ..ApiError::new(StatusCode::BAD_REQUEST, "invalid_parameter", message.into())
        }
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    pub fn with_extra(mut self, key: &'static str, value: Value) -> ApiError {
        self.extra = Some(Box::new((key, value)));
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> ApiError {
        self.headers.push((name, value));
        self
    }

    /// Tells the client how many seconds to wait before trying again.
    pub fn with_retry_after(self, secs: u64) -> ApiError {
        self.with_header(header::RETRY_AFTER, HeaderValue::from(secs))
    }

    pub fn body(&self) -> Value {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: &self.message,
                parameter: self.parameter.as_deref(),
            },
        };
        let mut body = serde_json::to_value(body).unwrap_or_else(|_| json!({}));
        if let (Some(extra), Some(obj)) = (&self.extra, body.as_object_mut()) {
            let (k, v) = extra.as_ref();
            obj.insert((*k).to_string(), v.clone());
        }
        body
    }
}

/// The body of every error answer.
// Its schema is the document's `Error`.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub(crate) struct ErrorBody<'a> {
    #[schema(inline)]
    pub error: ErrorDetail<'a>,
}

/// What went wrong.
#[derive(Serialize, ToSchema)]
pub(crate) struct ErrorDetail<'a> {
    /// Stable, machine-readable: invalid_parameter, invalid_query,
    /// invalid_id, ambiguous_id, not_found, bad_request, empty_body,
    /// binary_body, malformed_json, invalid_json, unsupported_media_type,
    /// payload_too_large, nothing_ingested, ingest_disabled, unauthorized,
    /// invalid_token, overloaded, method_not_allowed, timeout, store_busy,
    /// store_error, internal.
    pub code: &'a str,
    /// What was wrong and what to do.
    pub message: &'a str,
    /// The query parameter at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub parameter: Option<&'a str>,
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match &e {
            StoreError::InvalidIdPrefix { .. } => {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_id", e.to_string())
            }
            StoreError::Busy { .. } | StoreError::Locked { .. } => {
                tracing::warn!("store busy: {e}");
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "store_busy", e.to_string())
            }
            _ => {
                tracing::error!("store error: {e}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "store_error",
                    format!("the store failed: {e}"),
                )
            }
        }
    }
}

impl From<storyline_engine::EngineError> for ApiError {
    fn from(e: storyline_engine::EngineError) -> ApiError {
        match e {
            storyline_engine::EngineError::Store(s) => s.into(),
            other => {
                tracing::error!("engine error: {other}");
                ApiError::internal(format!("the engine failed: {other}"))
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(self.body())).into_response();
        let h = res.headers_mut();
        for (k, v) in self.headers {
            h.insert(k, v);
        }
        // Every 503 says when to come back; the store's own "busy" is
        // usually over within seconds.
        if self.status == StatusCode::SERVICE_UNAVAILABLE && !h.contains_key(header::RETRY_AFTER) {
            h.insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        res
    }
}

/// Whether a request comes from a browser that wants a page, not JSON: a
/// non-API path whose `Accept` names `text/html`.
pub(crate) fn wants_html(path: &str, accept: Option<&HeaderValue>) -> bool {
    !path.starts_with("/api/")
        && path != "/openapi.json"
        && accept
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

/// The fallback for paths no route matches.
pub(crate) async fn not_found(req: Request) -> Response {
    let path = req.uri().path().to_string();
    if wants_html(&path, req.headers().get(header::ACCEPT)) {
        return ui::pages::not_found_page(&path);
    }
    ApiError::not_found(format!(
        "no route {path}; the API is described at /openapi.json"
    ))
    .into_response()
}

/// The fallback for a known path with a method it does not answer.
pub(crate) async fn method_not_allowed(req: Request) -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{} is not allowed on {}; see /openapi.json for the methods each path answers",
            req.method(),
            req.uri().path()
        ),
    )
    .into_response()
}

/// Rewrites any error response that is neither JSON nor HTML into the JSON
/// error shape, and adds the security headers every answer carries.
pub(crate) async fn uniform_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let html = wants_html(&path, req.headers().get(header::ACCEPT));
    let mut res = next.run(req).await;
    let status = res.status();
    if status.is_client_error() || status.is_server_error() {
        let ctype = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if !ctype.starts_with("application/json") && !ctype.starts_with("text/html") {
            let (parts, body) = res.into_parts();
            let detail = axum::body::to_bytes(body, 4096)
                .await
                .ok()
                .map(|b| String::from_utf8_lossy(&b).trim().to_string())
                .unwrap_or_default();
            let err = rewrite(status, &detail);
            res = if html {
                ui::pages::error_page(status, &err.message)
            } else {
                err.into_response()
            };
            // Keep headers such as `Allow` or `Retry-After`.
            for (k, v) in parts.headers.iter() {
                if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
                    res.headers_mut().insert(k.clone(), v.clone());
                }
            }
        }
    }
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    res
}

/// The JSON error for a plain-text error produced outside the handlers.
fn rewrite(status: StatusCode, detail: &str) -> ApiError {
    let (code, advice) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            "the request body is larger than this server accepts; split the input into smaller requests",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            "the request took longer than the server's time limit; retry, or send less at once",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            "see /openapi.json for the methods each path answers",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported_media_type",
            "set a Content-Type this endpoint accepts (see /openapi.json)",
        ),
        s if s.is_server_error() => ("internal", "the server failed; retry later or report it"),
        _ => ("bad_request", "see /openapi.json for what this endpoint accepts"),
    };
    let message = if detail.is_empty() {
        advice.to_string()
    } else {
        format!("{}: {advice}", clip(detail, 300))
    };
    ApiError::new(status, code, message)
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}
