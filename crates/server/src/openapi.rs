//! The OpenAPI 3.1 document, hand-written in `openapi.json` beside this file.
//!
//! It is kept honest by tests rather than generated: `tests/api.rs` checks
//! that its paths and methods are exactly [`crate::routes`], calls every
//! operation with the documented examples, and validates each answer's
//! status and body against the documented schema.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};

const SOURCE: &str = include_str!("openapi.json");

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    match serde_json::from_str::<serde_json::Value>(SOURCE) {
        Ok(mut doc) => {
            if let Some(info) = doc.get_mut("info").and_then(|i| i.as_object_mut()) {
                info.insert("version".into(), env!("CARGO_PKG_VERSION").into());
            }
            doc.to_string()
        }
        // A test parses the document, so this is unreachable in a tested
        // build; serve it as written rather than fail.
        Err(_) => SOURCE.to_string(),
    }
});

/// The OpenAPI 3.1 document describing every route, as JSON text.
pub fn openapi_document() -> &'static str {
    DOCUMENT.as_str()
}

/// `GET /openapi.json`.
pub(crate) async fn serve() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}
