//! storyline's HTTP face: a JSON API, its OpenAPI document, and a web UI,
//! all served by one [`axum::Router`] over an [`Engine`].
//!
//! The server holds no logic of its own beyond parsing requests and shaping
//! answers: every listing, lookup and ingest goes through the engine and the
//! store, and every JSON document has the same shape as the CLI's `--json`
//! output (`docs/json.md`), built from the same [`storyline_engine::views`].
//!
//! Routes live in one table ([`routes`]); the router is built from it and a
//! test checks it against the OpenAPI document (`src/openapi.json`) in both
//! directions, so a route cannot be added without documenting it. Adding a
//! view is: a handler in `api.rs` and/or a page in `ui/pages.rs`, one line in
//! the table, one path in `openapi.json`, and (for a page) one entry in the
//! navigation (`ui::NAV`).
//!
//! Design choices and what they cost:
//!
//! - **Blocking store calls run on tokio's blocking pool**
//!   (`spawn_blocking`), so a slow query never stalls the reactor; each request
//!   holds one blocking thread while it runs.
//! - **Errors are JSON everywhere under `/api/`**: `{"error": {"code",
//!   "message"}}`. A last middleware rewrites any plain-text error that axum
//!   or tower produced (413 body too large, 405, 408 timeout, extractor
//!   rejections) into that shape, so clients never see two error formats.
//! - **Ingest is serialised** (one request at a time, others wait within the
//!   request timeout): the store serialises writes anyway, and this keeps a
//!   burst of large uploads from holding every blocking thread.
//! - **The UI is server-rendered HTML with no script** and a strict
//!   Content-Security-Policy; all article text and metadata is escaped (see
//!   `ui::html`), and the CSP would block an injected script even if
//!   escaping failed somewhere.
#![deny(missing_docs)]

mod api;
mod error;
mod ingest;
mod links;
mod openapi;
mod params;
mod ui;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::MethodRouter;
use axum::Router;
use storyline_engine::Engine;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use openapi::openapi_document;
pub use ui::standalone_article;

/// How the server behaves. [`ServerConfig::default`] suits a laptop and a
/// shared server alike.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Largest request body accepted (`POST /api/ingest`); larger bodies get
    /// `413`. Default 10 MiB.
    pub max_body_bytes: usize,
    /// Longest a request may take before it is answered `408`. Default 60 s.
    pub request_timeout: Duration,
    /// Refuse `POST /api/ingest` with `403` (a public, read-only deployment).
    pub read_only: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_body_bytes: 10 * 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            read_only: false,
        }
    }
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The address could not be bound (in use, or not allowed).
    #[error("cannot listen on {addr}: {source}; choose another address with --addr or stop the process using it")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// Serving failed after the server started.
    #[error("the server stopped with an error: {0}")]
    Serve(#[source] std::io::Error),
    /// The async runtime could not be started ([`serve_blocking`]).
    #[error("cannot start the server's runtime: {0}")]
    Runtime(#[source] std::io::Error),
}

/// State shared by every handler.
#[derive(Clone)]
pub(crate) struct AppState {
    pub engine: Arc<Engine>,
    pub config: Arc<ServerConfig>,
    /// One ingest at a time.
    pub ingest_permit: Arc<tokio::sync::Semaphore>,
}

/// What a route answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// A JSON document (the API and the OpenAPI document).
    Json,
    /// An HTML page of the web UI.
    Page,
    /// A static asset (the stylesheet).
    Asset,
}

/// One route: method, path (axum/OpenAPI syntax, `{id}` for a parameter),
/// and what it answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// Kind of answer.
    pub kind: RouteKind,
}

type Handler = MethodRouter<AppState>;

/// The route table the router is built from, handlers included.
fn route_table() -> Vec<(Route, Handler)> {
    use axum::routing::{get, post};
    let r = |method, path, kind| Route { method, path, kind };
    vec![
        // JSON API.
        (
            r("GET", "/api/articles", RouteKind::Json),
            get(api::articles),
        ),
        (
            r("GET", "/api/articles/{id}", RouteKind::Json),
            get(api::article),
        ),
        (r("GET", "/api/search", RouteKind::Json), get(api::search)),
        (r("GET", "/api/stats", RouteKind::Json), get(api::stats)),
        (
            r("POST", "/api/ingest", RouteKind::Json),
            post(ingest::ingest),
        ),
        // Cross-document views.
        (
            r("GET", "/api/stories", RouteKind::Json),
            get(links::stories),
        ),
        (
            r("GET", "/api/stories/{id}", RouteKind::Json),
            get(links::story),
        ),
        (
            r("GET", "/api/stories/{id}/timeline", RouteKind::Json),
            get(links::timeline),
        ),
        (
            r("GET", "/api/stories/{id}/brief", RouteKind::Json),
            get(links::brief),
        ),
        (
            r("GET", "/api/entities", RouteKind::Json),
            get(links::entities),
        ),
        (
            r("GET", "/api/entities/{id}", RouteKind::Json),
            get(links::entity),
        ),
        (r("GET", "/api/claims", RouteKind::Json), get(links::claims)),
        (
            r("GET", "/api/figures", RouteKind::Json),
            get(links::figures),
        ),
        (r("GET", "/api/quotes", RouteKind::Json), get(links::quotes)),
        (
            r("GET", "/api/findings", RouteKind::Json),
            get(links::findings),
        ),
        (
            r("GET", "/api/stances", RouteKind::Json),
            get(links::stances),
        ),
        (
            r("GET", "/api/check", RouteKind::Json),
            get(links::check_get),
        ),
        (
            r("POST", "/api/check", RouteKind::Json),
            post(links::check_post).layer(DefaultBodyLimit::max(links::MAX_CHECK_BODY)),
        ),
        (
            r("GET", "/openapi.json", RouteKind::Json),
            get(openapi::serve),
        ),
        // Web UI.
        (r("GET", "/", RouteKind::Page), get(ui::pages::home)),
        (
            r("GET", "/articles", RouteKind::Page),
            get(ui::pages::articles),
        ),
        (
            r("GET", "/articles/{id}", RouteKind::Page),
            get(ui::pages::article),
        ),
        (r("GET", "/search", RouteKind::Page), get(ui::pages::search)),
        (
            r("GET", "/stories", RouteKind::Page),
            get(ui::links::stories),
        ),
        (
            r("GET", "/stories/{id}", RouteKind::Page),
            get(ui::links::story),
        ),
        (
            r("GET", "/stories/{id}/brief", RouteKind::Page),
            get(ui::links::brief),
        ),
        (
            r("GET", "/entities", RouteKind::Page),
            get(ui::links::entities),
        ),
        (
            r("GET", "/entities/{id}", RouteKind::Page),
            get(ui::links::entity),
        ),
        (r("GET", "/claims", RouteKind::Page), get(ui::links::claims)),
        (
            r("GET", "/findings", RouteKind::Page),
            get(ui::links::findings),
        ),
        (
            r("GET", "/stances", RouteKind::Page),
            get(ui::links::stances),
        ),
        (r("GET", "/check", RouteKind::Page), get(ui::links::check)),
        (
            r("GET", "/assets/style.css", RouteKind::Asset),
            get(ui::stylesheet),
        ),
    ]
}

/// Every route the server answers, in the order they are registered. The
/// OpenAPI document lists exactly these (a test checks it).
pub fn routes() -> Vec<Route> {
    route_table().into_iter().map(|(r, _)| r).collect()
}

/// The whole application: API, OpenAPI document, web UI, with request
/// logging, a body limit, a timeout, and JSON errors.
pub fn router(engine: Arc<Engine>, config: ServerConfig) -> Router {
    let state = AppState {
        engine,
        config: Arc::new(config.clone()),
        ingest_permit: Arc::new(tokio::sync::Semaphore::new(1)),
    };
    let mut app: Router<AppState> = Router::new();
    for (route, handler) in route_table() {
        app = app.route(route.path, handler);
    }
    app.fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            config.request_timeout,
        ))
        .layer(axum::middleware::from_fn(error::uniform_errors))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves [`router`] on `addr` until Ctrl-C (or SIGTERM on Unix), then
/// finishes the requests in flight and returns.
pub async fn serve(
    engine: Arc<Engine>,
    addr: SocketAddr,
    config: ServerConfig,
) -> Result<(), ServerError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    let local = listener.local_addr().unwrap_or(addr);
    tracing::info!("storyline listening on http://{local}");
    axum::serve(listener, router(engine, config))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(ServerError::Serve)
}

/// [`serve`] for callers without an async runtime (the CLI): starts a
/// multi-threaded tokio runtime and blocks until the server stops.
pub fn serve_blocking(
    engine: Arc<Engine>,
    addr: SocketAddr,
    config: ServerConfig,
) -> Result<(), ServerError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("storyline-server")
        .build()
        .map_err(ServerError::Runtime)?
        .block_on(serve(engine, addr, config))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Runs blocking engine work on the blocking pool.
pub(crate) async fn blocking<T, F>(state: &AppState, f: F) -> Result<T, error::ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Engine) -> Result<T, error::ApiError> + Send + 'static,
{
    let engine = state.engine.clone();
    match tokio::task::spawn_blocking(move || f(&engine)).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("a request's worker failed: {e}");
            Err(error::ApiError::internal(
                "the request failed inside the server; this is a bug, please report it",
            ))
        }
    }
}
