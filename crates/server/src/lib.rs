//! storyline's HTTP face: a JSON API, its OpenAPI document, and a web UI,
//! all served by one [`axum::Router`] over an [`Engine`].
//!
//! The server holds no logic of its own beyond parsing requests and shaping
//! answers: every listing, lookup and ingest goes through the engine and the
//! store, and every JSON document has the same shape as the CLI's `--json`
//! output (`docs/json.md`), built from the same [`storyline_engine::views`].
//!
//! Routes live in one table ([`routes`]); the router is built from it and a
//! test checks it against the OpenAPI document in both directions, so a
//! route cannot be added without documenting it. The document is generated
//! by `utoipa` from the handlers' `#[utoipa::path]` and the documents'
//! types (`openapi.rs`). Adding a view is: a handler in `api.rs` (with its
//! `#[utoipa::path]`) and/or a page in `ui/pages.rs` (with its operation
//! in `openapi/pages.rs`), one line in the table, the operation listed in
//! `openapi.rs`'s `paths(...)`, and (for a page) one entry in the
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
//! - **Every route has a class** ([`RouteClass`]): cheap reads, expensive
//!   reads, ingest. Each read class has its own turns, a short queue and
//!   then `503` with `Retry-After` (`limits.rs`), so a flood of findings or
//!   searches cannot slow stats or an article down; a turn is held until
//!   the blocking work it started ends, even if the client left.
//! - **Ingest is a job** (`jobs.rs`): a bounded queue (a place is taken
//!   before the body is read), one job running at a time (the store
//!   serialises writes anyway), answered with the result when it finishes
//!   within `ingest_wait`, else `202` and `GET /api/jobs/{id}`. Never `408`
//!   for work that then completes; a client that leaves changes nothing.
//!   Ingest is off unless a token is configured (or it is opened on
//!   loopback).
//! - **Connections are bounded** (`listen.rs`): a cap on open connections,
//!   a header-read timeout that is also the keep-alive idle timeout, and a
//!   send timeout for clients that stop reading. axum's `serve` offers none
//!   of these, so [`serve_on`] runs hyper's connection builder itself.
//! - **The UI is server-rendered HTML with no script** and a strict
//!   Content-Security-Policy; all article text and metadata is escaped (see
//!   `ui::html`), and the CSP would block an injected script even if
//!   escaping failed somewhere.
#![deny(missing_docs)]

mod api;
mod auth;
mod config;
mod error;
mod ingest;
mod jobs;
mod limits;
mod links;
mod listen;
mod openapi;
mod params;
mod ui;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::MethodRouter;
use axum::Router;
use storyline_engine::Engine;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::{ClassLimit, IngestAccess, IngestToken, ServerConfig, TokenError};
pub use openapi::openapi_document;
pub use ui::standalone_article;

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
    /// [`IngestAccess::Open`] on an address other people can reach.
    #[error("refusing to accept ingest from anyone on {addr}, which is not a loopback address; give an ingest token (--ingest-token or STORYLINE_INGEST_TOKEN) or listen on 127.0.0.1")]
    OpenIngestNotLoopback {
        /// The address asked for.
        addr: SocketAddr,
    },
}

/// State shared by every handler.
#[derive(Clone)]
pub(crate) struct AppState {
    pub engine: Arc<Engine>,
    pub config: Arc<ServerConfig>,
    /// The ingest queue and the jobs it ran.
    pub jobs: Arc<jobs::Jobs>,
}

/// How much a route may cost, which decides whose turns it waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteClass {
    /// One row, a page of an index, or a constant: stats, one article or
    /// entity, the article list, a job, the OpenAPI document, the stylesheet.
    Cheap,
    /// Work that grows with the store or the request: search, findings,
    /// claims, stances, check, stories, briefings, and the pages over them.
    Expensive,
    /// `POST /api/ingest`: bounded by the ingest queue instead of turns.
    Ingest,
}

impl RouteClass {
    /// Its name in messages and logs.
    pub fn name(self) -> &'static str {
        match self {
            RouteClass::Cheap => "cheap",
            RouteClass::Expensive => "expensive",
            RouteClass::Ingest => "ingest",
        }
    }
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
    /// Whose turns it waits for.
    pub class: RouteClass,
}

type Handler = MethodRouter<AppState>;

/// The route table the router is built from, handlers included.
fn route_table() -> Vec<(Route, Handler)> {
    use axum::routing::{get, post};
    use RouteClass::{Cheap, Expensive};
    let r = |method, path, kind| Route {
        method,
        path,
        kind,
        class: Expensive,
    };
    // The cheap reads: one row or a page of an index, or a constant.
    let cheap = |method, path, kind| Route {
        class: Cheap,
        ..r(method, path, kind)
    };
    vec![
        // JSON API.
        (
            cheap("GET", "/api/articles", RouteKind::Json),
            get(api::articles),
        ),
        (
            cheap("GET", "/api/articles/{id}", RouteKind::Json),
            get(api::article),
        ),
        (r("GET", "/api/search", RouteKind::Json), get(api::search)),
        (cheap("GET", "/api/stats", RouteKind::Json), get(api::stats)),
        (
            Route {
                class: RouteClass::Ingest,
                ..r("POST", "/api/ingest", RouteKind::Json)
            },
            post(ingest::ingest),
        ),
        (
            cheap("GET", "/api/jobs/{id}", RouteKind::Json),
            get(ingest::job),
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
            r("GET", "/api/storylines", RouteKind::Json),
            get(links::storylines),
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
            cheap("GET", "/api/entities/{id}", RouteKind::Json),
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
            cheap("GET", "/openapi.json", RouteKind::Json),
            get(openapi::serve),
        ),
        // Web UI.
        (r("GET", "/", RouteKind::Page), get(ui::pages::home)),
        (
            cheap("GET", "/articles", RouteKind::Page),
            get(ui::pages::articles),
        ),
        (
            cheap("GET", "/articles/{id}", RouteKind::Page),
            get(ui::pages::article),
        ),
        (r("GET", "/search", RouteKind::Page), get(ui::pages::search)),
        (
            r("GET", "/stories", RouteKind::Page),
            get(ui::links::stories),
        ),
        (
            r("GET", "/storylines", RouteKind::Page),
            get(ui::links::storylines),
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
            cheap("GET", "/assets/style.css", RouteKind::Asset),
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
/// logging, a body limit, a timeout for reads, turns per route class, and
/// JSON errors. Must be called inside a Tokio runtime. The connection bounds
/// of [`ServerConfig`] (cap, header and send timeouts) apply only through
/// [`serve`] and [`serve_on`]; a router mounted elsewhere gets the rest.
pub fn router(engine: Arc<Engine>, config: ServerConfig) -> Router {
    build(engine, config).0
}

/// The router and the state it shares, so that [`serve_on`] can wait for
/// the ingest jobs at shutdown.
fn build(engine: Arc<Engine>, config: ServerConfig) -> (Router, AppState) {
    let state = AppState {
        engine,
        jobs: jobs::Jobs::new(config.ingest_queue, config.jobs_kept),
        config: Arc::new(config.clone()),
    };
    let cheap = limits::Gate::new(RouteClass::Cheap, config.cheap);
    let expensive = limits::Gate::new(RouteClass::Expensive, config.expensive);
    let mut app: Router<AppState> = Router::new();
    for (route, handler) in route_table() {
        let gate = match route.class {
            RouteClass::Cheap => cheap.clone(),
            RouteClass::Expensive => expensive.clone(),
            // Ingest has its own queue, and its own clock: the request
            // timeout would answer 408 for work that goes on and is stored.
            RouteClass::Ingest => {
                app = app.route(route.path, handler);
                continue;
            }
        };
        // The turn is taken first, so the timeout counts running time, not
        // time spent waiting for a turn (which has its own limit).
        let handler = handler
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                config.request_timeout,
            ))
            .layer(axum::middleware::from_fn_with_state(gate, limits::admit));
        app = app.route(route.path, handler);
    }
    let app = app
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(axum::middleware::from_fn(error::uniform_errors))
        .layer(TraceLayer::new_for_http())
        .with_state(state.clone());
    (app, state)
}

/// Serves [`router`] on `addr` until Ctrl-C (or SIGTERM on Unix), then
/// finishes the requests in flight and the queued ingest jobs, and returns.
/// Refuses [`IngestAccess::Open`] on an address that is not loopback
/// before binding anything.
pub async fn serve(
    engine: Arc<Engine>,
    addr: SocketAddr,
    config: ServerConfig,
) -> Result<(), ServerError> {
    listen::check_ingest_address(&config, addr)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    serve_on(listener, engine, config, shutdown_signal()).await
}

/// Serves on a listener already bound (port 0 in tests) until `shutdown`
/// completes, with every bound of [`ServerConfig`]: the connection cap,
/// the header-read (and keep-alive idle) timeout and the send timeout on
/// top of what [`router`] applies. Then finishes the requests in flight and
/// the queued ingest jobs, and returns.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    engine: Arc<Engine>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let local = listener.local_addr().map_err(ServerError::Serve)?;
    listen::check_ingest_address(&config, local)?;
    let (app, state) = build(engine, config.clone());
    tracing::info!("storyline listening on http://{local}");
    listen::run(listener, app, &config, shutdown).await;
    state.jobs.finish_all().await;
    Ok(())
}

/// [`serve`] for callers without an async runtime (the CLI): starts a
/// multi-threaded tokio runtime and blocks until the server stops.
pub fn serve_blocking(
    engine: Arc<Engine>,
    addr: SocketAddr,
    config: ServerConfig,
) -> Result<(), ServerError> {
    listen::check_ingest_address(&config, addr)?;
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

/// Runs blocking engine work on the blocking pool, holding the request's
/// turn until the work ends.
pub(crate) async fn blocking<T, F>(state: &AppState, f: F) -> Result<T, error::ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Engine) -> Result<T, error::ApiError> + Send + 'static,
{
    let engine = state.engine.clone();
    match limits::spawn_blocking_in_turn(move || f(&engine)).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("a request's worker failed: {e}");
            Err(error::ApiError::internal(
                "the request failed inside the server; this is a bug, please report it",
            ))
        }
    }
}
