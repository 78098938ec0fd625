//! The web UI: server-rendered pages, one stylesheet, no script, no
//! external assets (it works offline and behind an air gap).
//!
//! A page is a function returning [`Page`], its body a [`maud`] template
//! (every value put into one is escaped by its type, see `html.rs`);
//! [`layout`] wraps it in the shared header and navigation. The navigation ([`NAV`]) lists only pages
//! that exist: adding a view (stories, timeline, entities...) is one handler
//! in `pages.rs`, one route in `crate::route_table`, one entry here.

pub(crate) mod chart;
pub(crate) mod html;
pub(crate) mod labels;
pub(crate) mod links;
pub(crate) mod pages;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, PreEscaped};

/// The navigation: path and label, in order.
pub(crate) const NAV: &[(&str, &str)] = &[
    ("/", "Overview"),
    ("/articles", "Articles"),
    ("/storylines", "Storylines"),
    ("/stories", "Stories"),
    ("/entities", "Entities"),
    ("/claims", "Claims"),
    ("/findings", "Findings"),
    ("/stances", "Stances"),
    ("/check", "Check"),
    ("/search", "Search"),
];

/// The stylesheet, embedded in the binary.
const STYLE: &str = include_str!("../../assets/style.css");

/// The Content-Security-Policy of every page: no script at all, styles and
/// forms from this server only.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// `GET /assets/style.css`.
pub(crate) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

/// A rendered page: status, title (plain text), which nav entry is current,
/// and the body's HTML.
pub(crate) struct Page {
    pub status: StatusCode,
    pub title: String,
    pub nav: &'static str,
    pub body: Markup,
}

impl Page {
    pub fn ok(title: impl Into<String>, nav: &'static str, body: Markup) -> Page {
        Page {
            status: StatusCode::OK,
            title: title.into(),
            nav,
            body,
        }
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let html = layout(&self.title, self.nav, &self.body, stylesheet_link());
        let mut res = (self.status, html.into_string()).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        res
    }
}

/// One article as a standalone HTML file (`storyline show ID --html`): the
/// article page with its highlights and legend, the stylesheet inlined, and
/// a CSP that forbids scripts, so it opens anywhere without a server.
pub fn standalone_article(
    article: &storyline_core::Article,
    analysis: Option<&storyline_engine::analysis::Analysis>,
) -> String {
    let highlights = analysis.map(pages::highlights).unwrap_or_default();
    let detail = storyline_engine::views::ArticleDetail::from(article);
    let page = pages::article_page(&detail, &highlights);
    // The stylesheet is this crate's own file, not text from an article:
    // it goes in as it is (escaping would break its selectors).
    let head = html! {
        meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
        "\n"
        style { "\n" (PreEscaped(STYLE)) }
    };
    layout(&page.title, page.nav, &page.body, head).into_string()
}

/// The server's pages link the stylesheet it serves.
fn stylesheet_link() -> Markup {
    html! { link rel="stylesheet" href="/assets/style.css"; }
}

/// The document around a page body; `head` ends the `<head>` (the
/// stylesheet, linked or inline).
pub(crate) fn layout(title: &str, current: &str, body: &Markup, head: Markup) -> Markup {
    // `<!doctype html>` as written before maud (its DOCTYPE is upper-case):
    // the same bytes, and browsers read both alike. The "\n"s keep the
    // page source in lines as it was, so pages diff as before.
    html! {
        (PreEscaped("<!doctype html>\n"))
        html lang="en" {
            "\n"
            head {
                "\n"
                meta charset="utf-8"; "\n"
                meta name="viewport" content="width=device-width, initial-scale=1"; "\n"
                title { (title) " · storyline" } "\n"
                (head) "\n"
            }
            "\n"
            body {
                "\n"
                header class="top" {
                    "\n"
                    a class="brand" href="/" { "storyline" } "\n"
                    nav aria-label="Main" {
                        @for (path, label) in NAV {
                            a href=(path) aria-current=[(*path == current).then_some("page")] { (label) }
                        }
                    }
                    "\n"
                    form class="quick" action="/search" method="get" role="search" {
                        "\n"
                        input type="search" name="q" placeholder="Search articles" aria-label="Search articles";
                        "\n"
                    }
                    "\n"
                }
                "\n"
                main { "\n" (body) "\n" }
                "\n"
                footer {
                    "storyline " (env!("CARGO_PKG_VERSION")) " · "
                    a href="/openapi.json" { "JSON API (OpenAPI)" }
                }
                "\n"
            }
            "\n"
        }
        "\n"
    }
}
