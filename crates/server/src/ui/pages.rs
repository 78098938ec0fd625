//! The pages. Each handler reads through the same functions as the JSON API
//! (so a page never shows something the API would not), then renders.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use storyline_core::{Article, DateProvenance, Timestamp};
use storyline_engine::views::{ArticleDetail, ArticleSummary};
use storyline_store::{ArticleFilter, StoreStats};

use super::html::{self, external_link, url_with, Highlight};
use super::Page;
use crate::api::{self, ArticlePage, HitView};
use crate::error::ApiError;
use crate::params::{self, Params};
use crate::{blocking, AppState};

/// Names of highlight kinds for the legend (see [`Highlight`]).
const HIGHLIGHT_NAMES: &[(&str, &str)] = &[
    ("per", "Person"),
    ("org", "Organisation"),
    ("loc", "Place"),
    ("misc", "Other name"),
    ("time", "Time expression"),
    ("source", "Speaker of a quote"),
    ("figure", "Figure"),
];

/// An error as a page.
pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    Page {
        status,
        title: title.to_string(),
        nav: "",
        body: html! {
            h1 { (title) }
            p class="error" { (message) }
            p { a href="/" { "Back to the overview" } }
        },
    }
    .into_response()
}

/// The page for a path no route matches.
pub(crate) fn not_found_page(path: &str) -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        &format!("There is no page at {path}. The pages are listed at the top."),
    )
}

pub(super) fn fail(e: ApiError) -> Response {
    error_page(e.status, &e.message)
}

pub(super) fn params(
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Params, ApiError> {
    api::form_params(q)
}

pub(super) fn date(t: &Option<Timestamp>) -> Markup {
    match t {
        Some(t) => html::human_time(t),
        None => html! { span class="muted" { "unknown" } },
    }
}

pub(super) fn provenance_badge(p: DateProvenance) -> Markup {
    html! { span class={ "badge prov-" (p) } title=(provenance_help(p)) { (p) } }
}

fn provenance_help(p: DateProvenance) -> &'static str {
    match p {
        DateProvenance::Metadata => "stated in the page's or record's metadata",
        DateProvenance::Header => "stated in a date header line",
        DateProvenance::Dateline => "stated in the dateline",
        DateProvenance::Url => "taken from a date in the URL",
        DateProvenance::Inferred => "not stated; inferred from the text or a near-duplicate",
        DateProvenance::Unknown => "no date stated or inferable",
    }
}

pub(super) fn title_of(t: &Option<String>) -> Markup {
    match t.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => html! { (t) },
        None => html! { span class="muted" { "(untitled)" } },
    }
}

pub(super) fn article_link(id: &str, title: &Option<String>) -> Markup {
    html! { a href={ "/articles/" (html::encode(id)) } { (title_of(title)) } }
}

/// An article's outlet, or a dash when it has none.
pub(super) fn source_or_dash(source: Option<&str>) -> Markup {
    html! {
        @match source {
            Some(s) => (s),
            None => "–",
        }
    }
}

fn article_rows(rows: &[ArticleSummary]) -> Markup {
    html! {
        div class="table-wrap" {
            table class="articles" {
                thead { tr { th { "Published" } th { "Date from" } th { "Source" } th { "Title" } th class="num" { "Words" } } }
                tbody {
                    @for a in rows {
                        tr {
                            td class="date" { (date(&a.published)) }
                            td { (provenance_badge(a.published_provenance)) }
                            td { (source_or_dash(a.source.as_deref())) }
                            td {
                                (article_link(&a.id, &a.title))
                                @if a.is_duplicate {
                                    " "
                                    a class="badge copy" href={ "/articles/" (html::encode(&a.duplicate_group)) } title="near-duplicate of an earlier article" { "copy" }
                                }
                            }
                            td class="num" { (a.words) }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /`.
pub(crate) async fn home(State(state): State<AppState>) -> Response {
    let result = blocking(&state, |engine| {
        let stats = engine.store().stats()?;
        // The store orders by published date, undated last: the latest dated
        // articles are the last page before the undated ones.
        let dated = stats.articles.saturating_sub(api::undated(&stats)) as usize;
        let latest = engine.store().articles(&ArticleFilter {
            offset: dated.saturating_sub(10),
            limit: Some(dated.min(10)),
            ..ArticleFilter::default()
        })?;
        let per_day = engine.store().articles_per_day()?;
        Ok((stats, latest, per_day))
    })
    .await;
    match result {
        Ok((stats, latest, per_day)) => home_page(&stats, &latest, &per_day).into_response(),
        Err(e) => fail(e),
    }
}

fn home_page(s: &StoreStats, latest: &[Article], per_day: &[(chrono::NaiveDate, u64)]) -> Page {
    if s.articles == 0 {
        let b = html! {
            h1 { "What the store holds" }
            p class="empty" {
                "The store is empty. Add articles with " code { "storyline ingest PATH" } ", or "
                code { "POST /api/ingest" } " (see the " a href="/openapi.json" { "API" } ")."
            }
        };
        return Page::ok("Overview", "/", b);
    }
    let span = match (s.earliest, s.latest) {
        (Some(a), Some(z)) => html::day_span(a.date, z.date),
        _ => html! { "no dated articles" },
    };
    let rows: Vec<ArticleSummary> = latest.iter().rev().map(ArticleSummary::from).collect();
    let b = html! {
        h1 { "What the store holds" }
        dl class="cards" {
            "\n"
            div { dt { "Articles" } dd { (s.articles) } } "\n"
            div { dt { "Near-duplicate copies" } dd { (s.duplicates) } } "\n"
            div { dt { "Sources" } dd { (s.sources.len()) } } "\n"
            div { dt { "Published" } dd class="span" { (span) } } "\n"
            div { dt { "Undated" } dd { (api::undated(s)) } } "\n"
        }
        (super::chart::articles_over_time(per_day))
        @if s.index_documents != s.articles {
            p class="warn" {
                "The search index holds " (s.index_documents) " documents for " (s.articles)
                " articles; it catches up on the next open, or run " code { "storyline reindex" } "."
            }
        }
        div class="columns" {
            section {
                h2 { "Where dates come from" }
                table class="compact" {
                    tbody {
                        @for (p, n) in &s.by_provenance {
                            tr {
                                td { (provenance_badge(*p)) }
                                td class="num" {
                                    a href=(url_with("/articles", &[("provenance", Some(p.as_str().into()))])) { (n) }
                                }
                                td class="muted" { (provenance_help(*p)) }
                            }
                        }
                    }
                }
            }
            section {
                h2 { "Sources" }
                table class="compact" {
                    tbody {
                        @for (src, n) in s.sources.iter().take(15) {
                            tr {
                                td { a href=(url_with("/articles", &[("source", Some(src.clone()))])) { (src) } }
                                td class="num" { (n) }
                            }
                        }
                    }
                }
                @if s.sources.len() > 15 {
                    p class="muted" { "and " (s.sources.len() - 15) " more" }
                }
            }
        }
        @if !latest.is_empty() {
            h2 { "Most recently published" }
            (article_rows(&rows))
        }
        p { a class="button" href="/articles" { "All " (s.articles) " articles" } }
    };
    Page::ok("Overview", "/", b)
}

/// `GET /articles`.
pub(crate) async fn articles(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let p = match params(q) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let form = ArticleForm::from(&p);
    let filter = match params::article_filter(&p) {
        Ok(f) => f,
        Err(e) => {
            let mut page = articles_page(&form, None, &[], Some(&e.message));
            page.status = StatusCode::BAD_REQUEST;
            return page.into_response();
        }
    };
    let result = blocking(&state, move |engine| {
        let page = api::article_page(engine, &filter)?;
        let sources: Vec<String> = engine
            .store()
            .stats()?
            .sources
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        Ok((page, sources))
    })
    .await;
    match result {
        Ok((page, sources)) => articles_page(&form, Some(&page), &sources, None).into_response(),
        Err(e) => fail(e),
    }
}

/// The filter form's values as typed, to show them back.
struct ArticleForm {
    source: Option<String>,
    since: Option<String>,
    until: Option<String>,
    provenance: Option<String>,
    limit: Option<String>,
}

impl From<&Params> for ArticleForm {
    fn from(p: &Params) -> Self {
        ArticleForm {
            source: p.text("source"),
            since: p.text("since"),
            until: p.text("until"),
            provenance: p.text("provenance"),
            limit: p.text("limit"),
        }
    }
}

impl ArticleForm {
    fn url(&self, offset: usize) -> String {
        url_with(
            "/articles",
            &[
                ("source", self.source.clone()),
                ("since", self.since.clone()),
                ("until", self.until.clone()),
                ("provenance", self.provenance.clone()),
                ("limit", self.limit.clone()),
                ("offset", (offset > 0).then(|| offset.to_string())),
            ],
        )
    }
}

pub(super) fn value(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// The pager of a listing: links to the pages before and after, when there
/// are such pages (`prev`, `next`: their addresses).
pub(super) fn pager_links(prev: Option<String>, next: Option<String>) -> Markup {
    html! {
        @if let Some(prev) = prev {
            a rel="prev" href=(prev) { "← Previous" }
        }
        @if let Some(next) = next {
            a rel="next" href=(next) { "Next →" }
        }
    }
}

fn articles_page(
    form: &ArticleForm,
    page: Option<&ArticlePage>,
    sources: &[String],
    error: Option<&str>,
) -> Page {
    let b = html! {
        h1 { "Articles" }
        form class="filters" action="/articles" method="get" {
            "\n"
            label { "Source " input name="source" list="sources" value=(value(&form.source)); }
            datalist id="sources" {
                @for s in sources {
                    option value=(s);
                }
            }
            "\n"
            label { "Since " input type="date" name="since" value=(value(&form.since)); } "\n"
            label { "Until " input type="date" name="until" value=(value(&form.until)); } "\n"
            label {
                "Date from "
                select name="provenance" {
                    option value="" { "any" }
                    @for p in DateProvenance::ALL {
                        option value=(p) selected[form.provenance.as_deref() == Some(p.as_str())] { (p) }
                    }
                }
            }
            "\n"
            button type="submit" { "Filter" } " " a href="/articles" { "Clear" } "\n"
        }
        @if let Some(e) = error {
            p class="error" { (e) }
        }
        @if let Some(page) = page {
            @if page.list.count == 0 {
                p class="empty" { "No articles match these filters." }
            } @else {
                p class="muted" {
                    "Articles " (page.offset + 1) "–" (page.offset + page.list.count)
                    @if let Some(t) = page.total { " of " (t) }
                }
                (article_rows(&page.list.articles))
            }
            nav class="pager" aria-label="Pages" {
                (pager_links(
                    (page.offset > 0).then(|| form.url(page.offset.saturating_sub(page.limit))),
                    page.next_offset.map(|next| form.url(next)),
                ))
            }
        }
    };
    Page::ok("Articles", "/articles", b)
}

/// `GET /articles/{id}`.
pub(crate) async fn article(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let found = blocking(&state, move |engine| {
        let article = api::find_article(engine, &id)?;
        // A missing or unreadable analysis only loses the highlights.
        let analysis = engine.analysis(&article.id).ok().flatten();
        // Likewise a failure to read its claims only loses that section,
        // and one to find its story only the links to it.
        let claims = super::links::claims_of_article(engine, article.id.as_str()).ok();
        let place = storyline_engine::link_views::article_place(engine, &article.duplicate_group)
            .ok()
            .flatten();
        Ok((article, analysis, claims, place))
    })
    .await;
    match found {
        Ok((a, analysis, claims, place)) => {
            let highlights = analysis.as_ref().map(highlights).unwrap_or_default();
            let mut page = article_page(&ArticleDetail::from(&a), &highlights);
            let has_claims = claims.as_ref().is_some_and(|c| !c.claims.is_empty());
            page.body = html! {
                (article_nav(a.id.as_str(), place.as_ref(), has_claims))
                (page.body)
                @if let Some(claims) = &claims {
                    (super::links::article_claims(claims, a.id.as_str()))
                }
            };
            page.into_response()
        }
        Err(e) => fail(e),
    }
}

/// The links above an article: its storyline and story, its findings and
/// its claims, so a reader goes on from an article to what it belongs to.
fn article_nav(
    id: &str,
    place: Option<&storyline_engine::link_views::ArticlePlace>,
    has_claims: bool,
) -> Markup {
    let mut links: Vec<Markup> = Vec::new();
    if let Some(p) = place {
        if let Some(l) = &p.storyline {
            links.push(html! { "Storyline " a href={ "/stories/" (l.id) } { (l.title) } });
        }
        links.push(html! { "Story " a href={ "/stories/" (p.story.id) } { (p.story.title) } });
    }
    links.push(html! { a href={ "/findings?article=" (id) } { "Its findings" } });
    if has_claims {
        links.push(html! { a href="#claims" { "Its claims" } });
    }
    html! {
        nav class="article-nav" {
            @for (i, l) in links.iter().enumerate() {
                @if i > 0 { " · " }
                (l)
            }
        }
    }
}

/// The analysis layers shown over an article's text: speakers of quotes,
/// figures, entities and time expressions. Where two overlap, the longer
/// one starting first is shown ([`html::render_text`]).
pub(crate) fn highlights(a: &storyline_engine::analysis::Analysis) -> Vec<Highlight> {
    let mut out = Vec::new();
    for q in &a.attributions {
        if let Some(span) = q.source {
            out.push(Highlight {
                span,
                kind: "source",
                label: format!("speaker · {}", q.cue_lemma),
                tooltip: None,
            });
        }
    }
    for f in &a.figures {
        let mut label =
            format!("{} {}", f.approximation.as_str(), f.category.as_str()).replace('_', " ");
        if let Some(c) = &f.claimant {
            label.push_str(&format!(" · per {}", c.text));
        }
        out.push(Highlight {
            span: f.span,
            kind: "figure",
            label,
            tooltip: None,
        });
    }
    for e in &a.entities {
        let kind = match e.label.as_str() {
            "PER" => "per",
            "ORG" => "org",
            "LOC" => "loc",
            _ => "misc",
        };
        let label = if e.demonym {
            format!("{} · demonym", e.label.as_str())
        } else {
            e.label.as_str().to_string()
        };
        out.push(Highlight {
            span: e.span,
            kind,
            label,
            tooltip: None,
        });
    }
    for t in &a.timexes {
        out.push(Highlight {
            span: t.span,
            kind: "time",
            label: super::labels::time_value(&t.value).unwrap_or_else(|| t.value.clone()),
            tooltip: Some(format!("TimeML value {}", t.value)),
        });
    }
    out
}

/// The article page. `highlights` are the analysis layers to show over the
/// text (none yet: the extension point for entities, times, quotes, figures).
pub(crate) fn article_page(d: &ArticleDetail, highlights: &[Highlight]) -> Page {
    let a = &d.summary;
    let canonical = d
        .canonical_url
        .as_ref()
        .filter(|c| Some(*c) != a.url.as_ref());
    let b = html! {
        h1 class="headline" { (title_of(&a.title)) }
        div class="article" {
            aside class="meta" {
                dl {
                    dt { "Source" } dd { (source_or_dash(a.source.as_deref())) }
                    @if !a.authors.is_empty() {
                        dt { "Authors" }
                        dd {
                            @for (i, x) in a.authors.iter().enumerate() {
                                @if i > 0 { br; }
                                (x)
                            }
                        }
                    }
                    @if let Some(dl) = &a.dateline {
                        dt { "Dateline" }
                        dd {
                            (dl.place)
                            @if let Some(ag) = &dl.agency { " (" (ag) ")" }
                            @if let Some(dt) = &dl.date { ", " span class="muted" { (dt) } }
                        }
                    }
                    dt { "Published" }
                    dd {
                        (date(&a.published)) " " (provenance_badge(a.published_provenance))
                        @if let Some(ev) = &a.published_evidence {
                            div class="evidence" { (ev) }
                        }
                        @if a.published.is_some() && a.published_confidence < 1.0 {
                            div class="muted" { "confidence " (format!("{:.2}", a.published_confidence)) }
                        }
                    }
                    @if let Some(m) = &d.modified {
                        dt { "Modified" } dd { (html::human_time(m)) }
                    }
                    @if let Some(u) = &a.url {
                        dt { "URL" } dd { (external_link(u)) }
                    }
                    @if let Some(u) = canonical {
                        dt { "Canonical" } dd { (external_link(u)) }
                    }
                    @if let Some(l) = &a.language {
                        dt { "Language" } dd { (l) }
                    }
                    dt { "Duplicates" }
                    dd {
                        @if a.is_duplicate {
                            "copy of " a href={ "/articles/" (a.duplicate_group) } { (a.duplicate_group) }
                            " " span class="muted" { "(similarity " (format!("{:.2}", d.duplicate_similarity)) ")" }
                        } @else {
                            "first of its group " span class="muted" { "(no earlier near-duplicate)" }
                        }
                    }
                    dt { "Words" } dd { (a.words) }
                    dt { "Read from" } dd { (a.origin) " " span class="muted" { "(" (a.format) ")" } }
                    dt { "Ingested" } dd { (html::human_time(&d.ingested_at)) }
                    dt { "Id" } dd { code { (a.id) } }
                }
                @if !d.date_candidates.is_empty() {
                    h2 { "Rejected dates" }
                    table class="compact candidates" {
                        thead { tr { th { "Date" } th { "From" } th { "Why not" } } }
                        tbody {
                            @for c in &d.date_candidates {
                                tr {
                                    td { (c.raw) }
                                    td { (provenance_badge(c.provenance)) " " span class="muted" { (c.evidence) } }
                                    td { (c.rejected_because) }
                                }
                            }
                        }
                    }
                }
                p class="muted small" { a href={ "/api/articles/" (a.id) } { "JSON" } }
            }
            article class="text" {
                (html::legend(highlights, HIGHLIGHT_NAMES))
                (html::render_text(&d.text, highlights))
            }
        }
    };
    let title = a
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| format!("Article {}", a.id));
    Page::ok(title, "/articles", b)
}

/// `GET /search`.
pub(crate) async fn search(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let p = match params(q) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let form = [
        ("q", p.text("q")),
        ("source", p.text("source")),
        ("since", p.text("since")),
        ("until", p.text("until")),
    ];
    let query = match params::search_query(&p) {
        Ok(q) => q,
        Err(e) => {
            let mut page = search_page(&form, None, Some(&e.message));
            page.status = StatusCode::BAD_REQUEST;
            return page.into_response();
        }
    };
    let Some(query) = query else {
        return search_page(&form, None, None).into_response();
    };
    let result = blocking(&state, move |engine| {
        let hits = engine.store().search(&query)?;
        let total = engine.store().search_count(&query)?;
        Ok(crate::api::SearchView::new(query, total, &hits))
    })
    .await;
    match result {
        Ok(view) => search_page(&form, Some(&view), None).into_response(),
        Err(e) => fail(e),
    }
}

/// The search page: the form, then a page of hits with the total they
/// come from and links to the pages before and after.
fn search_page(
    form: &[(&str, Option<String>); 4],
    view: Option<&crate::api::SearchView>,
    error: Option<&str>,
) -> Page {
    let v = |i: usize| value(&form[i].1);
    let q = form[0].1.as_deref().unwrap_or("");
    let articles = |n: u64| {
        if n == 1 {
            "1 article".to_string()
        } else {
            format!("{} articles", group_digits(n))
        }
    };
    // Pages before and after, with the same words and filters.
    let at = |view: &crate::api::SearchView, offset: usize| {
        let mut pairs: Vec<(&str, Option<String>)> = form.to_vec();
        if view.limit != params::DEFAULT_SEARCH_LIMIT {
            pairs.push(("limit", Some(view.limit.to_string())));
        }
        if offset > 0 {
            pairs.push(("offset", Some(offset.to_string())));
        }
        url_with("/search", &pairs)
    };
    let b = html! {
        h1 { "Search" }
        form class="filters search" action="/search" method="get" role="search" {
            "\n"
            label class="grow" { "Words " input type="search" name="q" value=(v(0)) autofocus; } "\n"
            label { "Source " input name="source" value=(v(1)); } "\n"
            label { "Since " input type="date" name="since" value=(v(2)); } "\n"
            label { "Until " input type="date" name="until" value=(v(3)); } "\n"
            button type="submit" { "Search" } "\n"
        }
        "\n"
        p class="muted small" {
            "Words match in any form (" em { "talks" } " finds " em { "talk" }
            "); use \"double quotes\" for a phrase and a leading - to exclude a word."
        }
        @if let Some(e) = error {
            p class="error" { (e) }
        }
        @if let Some(view) = view {
            @if view.total == 0 {
                p class="empty" { "No article matches “" (q) "”." }
            } @else if view.hits.is_empty() {
                p class="empty" { (articles(view.total)) " match “" (q) "”; this page is past the last of them." }
            } @else {
                @let first = view.offset + 1;
                @let last = view.offset + view.hits.len();
                p class="muted search-total" {
                    (articles(view.total)) " match “" (q) "”, best first; showing "
                    @if first == last {
                        "number " (group_digits(first as u64))
                    } @else {
                        (group_digits(first as u64)) "–" (group_digits(last as u64))
                    }
                    "."
                }
                (hit_list(&view.hits))
            }
            @if view.offset > 0 || view.next_offset.is_some() {
                nav class="pager" aria-label="Pages" {
                    (pager_links(
                        (view.offset > 0).then(|| at(view, view.offset.saturating_sub(view.limit))),
                        view.next_offset.map(|next| at(view, next)),
                    ))
                }
            }
        }
    };
    let title = match form[0].1.as_deref() {
        Some(q) => format!("Search: {q}"),
        None => "Search".into(),
    };
    Page::ok(title, "/search", b)
}

/// 12345 as "12,345".
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Search hits, best first. No score: it only orders one list and means
/// nothing to a reader.
fn hit_list(hits: &[HitView]) -> Markup {
    html! {
        ol class="hits" {
            @for h in hits {
                li {
                    h3 { (article_link(&h.id, &h.title)) }
                    p class="hit-meta" { (source_or_dash(h.source.as_deref())) " · " (date(&h.published)) }
                    p class="snippet" { (html::render_snippet(&h.snippet, &h.highlights)) }
                }
            }
        }
    }
}
