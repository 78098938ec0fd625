//! The pages. Each handler reads through the same functions as the JSON API
//! (so a page never shows something the API would not), then renders.

use std::fmt::Write;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use storyline_core::{Article, DateProvenance, Timestamp};
use storyline_engine::views::{ArticleDetail, ArticleSummary};
use storyline_store::{ArticleFilter, StoreStats};

use super::html::{self, esc, external_link, url_with, Highlight};
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
        body: format!(
            r#"<h1>{}</h1><p class="error">{}</p><p><a href="/">Back to the overview</a></p>"#,
            esc(title),
            esc(message)
        ),
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

pub(super) fn date(t: &Option<Timestamp>) -> String {
    match t {
        Some(t) => html::human_time(t),
        None => r#"<span class="muted">unknown</span>"#.to_string(),
    }
}

pub(super) fn provenance_badge(p: DateProvenance) -> String {
    format!(
        r#"<span class="badge prov-{p}" title="{}">{p}</span>"#,
        esc(provenance_help(p))
    )
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

pub(super) fn title_of(t: &Option<String>) -> String {
    match t.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => esc(t),
        None => r#"<span class="muted">(untitled)</span>"#.to_string(),
    }
}

pub(super) fn article_link(id: &str, title: &Option<String>) -> String {
    format!(
        r#"<a href="/articles/{}">{}</a>"#,
        html::encode(id),
        title_of(title)
    )
}

fn article_rows(rows: &[ArticleSummary]) -> String {
    let mut out = String::from(
        r#"<div class="table-wrap"><table class="articles"><thead><tr><th>Published</th><th>Date from</th><th>Source</th><th>Title</th><th class="num">Words</th></tr></thead><tbody>"#,
    );
    for a in rows {
        let copy = if a.is_duplicate {
            format!(
                r#" <a class="badge copy" href="/articles/{}" title="near-duplicate of an earlier article">copy</a>"#,
                html::encode(&a.duplicate_group)
            )
        } else {
            String::new()
        };
        let _ = write!(
            out,
            r#"<tr><td class="date">{}</td><td>{}</td><td>{}</td><td>{}{copy}</td><td class="num">{}</td></tr>"#,
            date(&a.published),
            provenance_badge(a.published_provenance),
            a.source.as_deref().map(esc).unwrap_or_else(|| "–".into()),
            article_link(&a.id, &a.title),
            a.words,
        );
    }
    out.push_str("</tbody></table></div>");
    out
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
    let mut b = String::from("<h1>What the store holds</h1>");
    if s.articles == 0 {
        b.push_str(
            r#"<p class="empty">The store is empty. Add articles with <code>storyline ingest PATH</code>, or <code>POST /api/ingest</code> (see the <a href="/openapi.json">API</a>).</p>"#,
        );
        return Page::ok("Overview", "/", b);
    }
    let span = match (s.earliest, s.latest) {
        (Some(a), Some(z)) => html::day_span(a.date, z.date),
        _ => "no dated articles".into(),
    };
    let _ = write!(
        b,
        r#"<dl class="cards">
<div><dt>Articles</dt><dd>{}</dd></div>
<div><dt>Near-duplicate copies</dt><dd>{}</dd></div>
<div><dt>Sources</dt><dd>{}</dd></div>
<div><dt>Published</dt><dd class="span">{span}</dd></div>
<div><dt>Undated</dt><dd>{}</dd></div>
</dl>"#,
        s.articles,
        s.duplicates,
        s.sources.len(),
        api::undated(s),
    );
    b.push_str(&super::chart::articles_over_time(per_day));
    if s.index_documents != s.articles {
        let _ = write!(
            b,
            r#"<p class="warn">The search index holds {} documents for {} articles; it catches up on the next open, or run <code>storyline reindex</code>.</p>"#,
            s.index_documents, s.articles
        );
    }
    b.push_str(r#"<div class="columns"><section><h2>Where dates come from</h2><table class="compact"><tbody>"#);
    for (p, n) in &s.by_provenance {
        let _ = write!(
            b,
            r#"<tr><td>{}</td><td class="num"><a href="{}">{n}</a></td><td class="muted">{}</td></tr>"#,
            provenance_badge(*p),
            esc(&url_with(
                "/articles",
                &[("provenance", Some(p.as_str().into()))]
            )),
            esc(provenance_help(*p)),
        );
    }
    b.push_str(
        r#"</tbody></table></section><section><h2>Sources</h2><table class="compact"><tbody>"#,
    );
    for (src, n) in s.sources.iter().take(15) {
        let _ = write!(
            b,
            r#"<tr><td><a href="{}">{}</a></td><td class="num">{n}</td></tr>"#,
            esc(&url_with("/articles", &[("source", Some(src.clone()))])),
            esc(src)
        );
    }
    b.push_str("</tbody></table>");
    if s.sources.len() > 15 {
        let _ = write!(
            b,
            r#"<p class="muted">and {} more</p>"#,
            s.sources.len() - 15
        );
    }
    b.push_str("</section></div>");
    if !latest.is_empty() {
        b.push_str("<h2>Most recently published</h2>");
        let rows: Vec<ArticleSummary> = latest.iter().rev().map(ArticleSummary::from).collect();
        b.push_str(&article_rows(&rows));
    }
    let _ = write!(
        b,
        r#"<p><a class="button" href="/articles">All {} articles</a></p>"#,
        s.articles
    );
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

pub(super) fn value(v: &Option<String>) -> String {
    esc(v.as_deref().unwrap_or(""))
}

fn articles_page(
    form: &ArticleForm,
    page: Option<&ArticlePage>,
    sources: &[String],
    error: Option<&str>,
) -> Page {
    let mut b = String::from("<h1>Articles</h1>");
    let mut options = String::from(r#"<option value="">any</option>"#);
    for p in DateProvenance::ALL {
        let sel = if form.provenance.as_deref() == Some(p.as_str()) {
            " selected"
        } else {
            ""
        };
        let _ = write!(options, r#"<option value="{p}"{sel}>{p}</option>"#);
    }
    let mut list = String::from(r#"<datalist id="sources">"#);
    for s in sources {
        let _ = write!(list, r#"<option value="{}">"#, esc(s));
    }
    list.push_str("</datalist>");
    let _ = write!(
        b,
        r#"<form class="filters" action="/articles" method="get">
<label>Source <input name="source" list="sources" value="{}"></label>{list}
<label>Since <input type="date" name="since" value="{}"></label>
<label>Until <input type="date" name="until" value="{}"></label>
<label>Date from <select name="provenance">{options}</select></label>
<button type="submit">Filter</button> <a href="/articles">Clear</a>
</form>"#,
        value(&form.source),
        value(&form.since),
        value(&form.until),
    );
    if let Some(e) = error {
        let _ = write!(b, r#"<p class="error">{}</p>"#, esc(e));
    }
    let Some(page) = page else {
        return Page::ok("Articles", "/articles", b);
    };
    let first = page.offset + 1;
    let last = page.offset + page.list.count;
    let of = page.total.map(|t| format!(" of {t}")).unwrap_or_default();
    if page.list.count == 0 {
        b.push_str(r#"<p class="empty">No articles match these filters.</p>"#);
    } else {
        let _ = write!(b, r#"<p class="muted">Articles {first}–{last}{of}</p>"#);
        b.push_str(&article_rows(&page.list.articles));
    }
    b.push_str(r#"<nav class="pager" aria-label="Pages">"#);
    if page.offset > 0 {
        let prev = page.offset.saturating_sub(page.limit);
        let _ = write!(
            b,
            r#"<a rel="prev" href="{}">← Previous</a>"#,
            esc(&form.url(prev))
        );
    }
    if let Some(next) = page.next_offset {
        let _ = write!(
            b,
            r#"<a rel="next" href="{}">Next →</a>"#,
            esc(&form.url(next))
        );
    }
    b.push_str("</nav>");
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
            page.body = format!(
                "{}{}",
                article_nav(a.id.as_str(), place.as_ref(), has_claims),
                page.body
            );
            if let Some(claims) = claims {
                page.body
                    .push_str(&super::links::article_claims(&claims, a.id.as_str()));
            }
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
) -> String {
    let mut links = Vec::new();
    if let Some(p) = place {
        if let Some(l) = &p.storyline {
            links.push(format!(
                r#"Storyline <a href="/stories/{}">{}</a>"#,
                esc(&l.id),
                esc(&l.title)
            ));
        }
        links.push(format!(
            r#"Story <a href="/stories/{}">{}</a>"#,
            esc(&p.story.id),
            esc(&p.story.title)
        ));
    }
    links.push(format!(
        r#"<a href="/findings?article={}">Its findings</a>"#,
        esc(id)
    ));
    if has_claims {
        links.push(r##"<a href="#claims">Its claims</a>"##.to_string());
    }
    format!(r#"<nav class="article-nav">{}</nav>"#, links.join(" · "))
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
    let mut b = format!(r#"<h1 class="headline">{}</h1>"#, title_of(&a.title));
    b.push_str(r#"<div class="article"><aside class="meta"><dl>"#);
    let mut row = |k: &str, v: String| {
        let _ = write!(b, "<dt>{k}</dt><dd>{v}</dd>");
    };
    row(
        "Source",
        a.source.as_deref().map(esc).unwrap_or_else(|| "–".into()),
    );
    if !a.authors.is_empty() {
        row(
            "Authors",
            a.authors
                .iter()
                .map(|x| esc(x))
                .collect::<Vec<_>>()
                .join("<br>"),
        );
    }
    if let Some(dl) = &a.dateline {
        let mut v = esc(&dl.place);
        if let Some(ag) = &dl.agency {
            let _ = write!(v, " ({})", esc(ag));
        }
        if let Some(dt) = &dl.date {
            let _ = write!(v, r#", <span class="muted">{}</span>"#, esc(dt));
        }
        row("Dateline", v);
    }
    let mut published = format!(
        "{} {}",
        date(&a.published),
        provenance_badge(a.published_provenance)
    );
    if let Some(ev) = &a.published_evidence {
        let _ = write!(published, r#"<div class="evidence">{}</div>"#, esc(ev));
    }
    if a.published.is_some() && a.published_confidence < 1.0 {
        let _ = write!(
            published,
            r#"<div class="muted">confidence {:.2}</div>"#,
            a.published_confidence
        );
    }
    row("Published", published);
    if let Some(m) = &d.modified {
        row("Modified", html::human_time(m));
    }
    if let Some(u) = &a.url {
        row("URL", external_link(u));
    }
    if let Some(u) = d
        .canonical_url
        .as_ref()
        .filter(|c| Some(*c) != a.url.as_ref())
    {
        row("Canonical", external_link(u));
    }
    if let Some(l) = &a.language {
        row("Language", esc(l));
    }
    row(
        "Duplicates",
        if a.is_duplicate {
            format!(
                r#"copy of <a href="/articles/{g}">{g}</a> <span class="muted">(similarity {:.2})</span>"#,
                d.duplicate_similarity,
                g = esc(&a.duplicate_group)
            )
        } else {
            r#"first of its group <span class="muted">(no earlier near-duplicate)</span>"#.into()
        },
    );
    row("Words", a.words.to_string());
    row(
        "Read from",
        format!(
            "{} <span class=\"muted\">({})</span>",
            esc(&a.origin),
            esc(a.format)
        ),
    );
    row("Ingested", html::human_time(&d.ingested_at));
    row("Id", format!("<code>{}</code>", esc(&a.id)));
    b.push_str("</dl>");
    if !d.date_candidates.is_empty() {
        b.push_str(r#"<h2>Rejected dates</h2><table class="compact candidates"><thead><tr><th>Date</th><th>From</th><th>Why not</th></tr></thead><tbody>"#);
        for c in &d.date_candidates {
            let _ = write!(
                b,
                r#"<tr><td>{}</td><td>{} <span class="muted">{}</span></td><td>{}</td></tr>"#,
                esc(&c.raw),
                provenance_badge(c.provenance),
                esc(&c.evidence),
                esc(&c.rejected_because)
            );
        }
        b.push_str("</tbody></table>");
    }
    let _ = write!(
        b,
        r#"<p class="muted small"><a href="/api/articles/{}">JSON</a></p></aside><article class="text">"#,
        esc(&a.id)
    );
    b.push_str(&html::legend(highlights, HIGHLIGHT_NAMES));
    b.push_str(&html::render_text(&d.text, highlights));
    b.push_str("</article></div>");
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
    let mut b = String::from("<h1>Search</h1>");
    let _ = write!(
        b,
        r#"<form class="filters search" action="/search" method="get" role="search">
<label class="grow">Words <input type="search" name="q" value="{}" autofocus></label>
<label>Source <input name="source" value="{}"></label>
<label>Since <input type="date" name="since" value="{}"></label>
<label>Until <input type="date" name="until" value="{}"></label>
<button type="submit">Search</button>
</form>
<p class="muted small">Words match in any form (<em>talks</em> finds <em>talk</em>); use "double quotes" for a phrase and a leading - to exclude a word.</p>"#,
        v(0),
        v(1),
        v(2),
        v(3)
    );
    if let Some(e) = error {
        let _ = write!(b, r#"<p class="error">{}</p>"#, esc(e));
    }
    if let Some(view) = view {
        let q = form[0].1.as_deref().unwrap_or("");
        let articles = |n: u64| {
            if n == 1 {
                "1 article".to_string()
            } else {
                format!("{} articles", group_digits(n))
            }
        };
        if view.total == 0 {
            let _ = write!(
                b,
                r#"<p class="empty">No article matches “{}”.</p>"#,
                esc(q)
            );
        } else if view.hits.is_empty() {
            let _ = write!(
                b,
                r#"<p class="empty">{} match “{}”; this page is past the last of them.</p>"#,
                articles(view.total),
                esc(q)
            );
        } else {
            let first = view.offset + 1;
            let last = view.offset + view.hits.len();
            let shown = if first == last {
                format!("number {}", group_digits(first as u64))
            } else {
                format!(
                    "{}–{}",
                    group_digits(first as u64),
                    group_digits(last as u64)
                )
            };
            let _ = write!(
                b,
                r#"<p class="muted search-total">{} match “{}”, best first; showing {shown}.</p>"#,
                articles(view.total),
                esc(q),
            );
            b.push_str(&hit_list(&view.hits));
        }
        // Pages before and after, with the same words and filters.
        let at = |offset: usize| {
            let mut pairs: Vec<(&str, Option<String>)> = form.to_vec();
            if view.limit != params::DEFAULT_SEARCH_LIMIT {
                pairs.push(("limit", Some(view.limit.to_string())));
            }
            if offset > 0 {
                pairs.push(("offset", Some(offset.to_string())));
            }
            esc(&url_with("/search", &pairs))
        };
        let mut nav = String::new();
        if view.offset > 0 {
            let prev = view.offset.saturating_sub(view.limit);
            let _ = write!(nav, r#"<a rel="prev" href="{}">← Previous</a>"#, at(prev));
        }
        if let Some(next) = view.next_offset {
            let _ = write!(nav, r#"<a rel="next" href="{}">Next →</a>"#, at(next));
        }
        if !nav.is_empty() {
            let _ = write!(b, r#"<nav class="pager" aria-label="Pages">{nav}</nav>"#);
        }
    }
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
fn hit_list(hits: &[HitView]) -> String {
    let mut b = String::from(r#"<ol class="hits">"#);
    for h in hits {
        let _ = write!(
            b,
            r#"<li><h3>{}</h3><p class="hit-meta">{} · {}</p><p class="snippet">{}</p></li>"#,
            article_link(&h.id, &h.title),
            h.source.as_deref().map(esc).unwrap_or_else(|| "–".into()),
            date(&h.published),
            html::render_snippet(&h.snippet, &h.highlights)
        );
    }
    b.push_str("</ol>");
    b
}
