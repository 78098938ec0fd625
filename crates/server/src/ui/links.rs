//! Pages of the cross-document views: stories and their timelines,
//! entities, claims, findings, stances and claim checking. Each reads through the same functions as the JSON
//! API (`crate::links`), then renders.
//!
//! Everything shown here comes from articles (names, sentences, outlets) or
//! from the request (a claim to check), so every string goes through
//! [`esc`]; free text is also wrapped in `<bdi>` ([`iso`]) so that a
//! right-to-left override inside it cannot reorder the page around it.

use std::fmt::Write;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use storyline_core::DateProvenance;
use storyline_engine::brief::Briefing;
use storyline_engine::link_views::{
    self, CheckResult, ClaimList, EntityList, FindingList, StanceRow, StanceTable, StoryList,
    StorySummary, TimelineSentence, TimelineView,
};
use storyline_link::claims::{Claim, Evidence, Position};
use storyline_link::findings::{Finding, FindingKind, FindingSide};
use storyline_link::linker::EntityRecord;

use super::html::{self, esc, url_with};
use super::pages::{fail, params, provenance_badge, value};
use super::Page;
use crate::api::HitView;
use crate::error::ApiError;
use crate::links::{self as api, ClaimsRequest, Paged};
use crate::params::{self, Params};
use crate::{blocking, AppState};
use storyline_engine::link_views::Page as LinkPage;
use storyline_engine::Engine;

/// Claims shown on an entity's page and an article's page.
const CLAIMS_ON_PAGE: usize = 100;
/// Articles listed on a story's page (the latest joined).
const ARTICLES_ON_STORY_PAGE: usize = 200;

/// Untrusted text, escaped and isolated for bidirectional text.
pub(crate) fn iso(s: &str) -> String {
    format!("<bdi>{}</bdi>", esc(s))
}

fn day(d: &Option<NaiveDate>) -> String {
    match d {
        Some(d) => html::human_day(*d),
        None => r#"<span class="muted">undated</span>"#.to_string(),
    }
}

fn entity_link(id: &str, name: &str) -> String {
    format!(
        r#"<a href="/entities/{}">{}</a>"#,
        html::encode(id),
        iso(name)
    )
}

/// The outlet, day and article of a piece of evidence, one line.
fn source_line(e: &Evidence) -> String {
    let outlet = match &e.outlet {
        Some(o) => iso(o),
        None => r#"<span class="muted">unknown outlet</span>"#.into(),
    };
    let prov = match e.published_provenance.parse::<DateProvenance>() {
        Ok(p) if e.published.is_some() => format!(" {}", provenance_badge(p)),
        _ => String::new(),
    };
    format!(
        r#"<span class="outlet">{outlet}</span> · <span class="date">{}</span>{prov} · <a href="/articles/{}">article {}</a>"#,
        day(&e.published),
        html::encode(e.article.as_str()),
        esc(&e.article.as_str()[..e.article.as_str().len().min(8)]),
    )
}

/// The sentence a claim comes from, quoted, with its source line.
fn evidence_block(e: &Evidence) -> String {
    format!(
        r#"<blockquote class="sentence">{}</blockquote><p class="source">{}</p>"#,
        iso(&e.sentence),
        source_line(e)
    )
}

fn kind_badge(kind: &str) -> String {
    format!(r#"<span class="badge kind-{k}">{k}</span>"#, k = esc(kind))
}

fn position_badge(p: Position) -> String {
    format!(r#"<span class="badge pos-{p}">{p}</span>"#, p = p.as_str())
}

/// A table of claims with their evidence.
fn claim_table(claims: &[Claim]) -> String {
    let mut b = String::from(
        r#"<div class="table-wrap"><table class="claims"><thead><tr><th>About</th><th>Kind</th><th>Claim</th><th>Evidence</th></tr></thead><tbody>"#,
    );
    for c in claims {
        let mut who = Vec::new();
        if let Some(a) = &c.claimant {
            who.push(format!("per {}", actor(&a.id, &a.name)));
        }
        if let Some(a) = &c.subject {
            who.push(format!("by {}", actor(&a.id, &a.name)));
        }
        if let Some(a) = &c.on_behalf_of {
            who.push(format!("for {}", actor(&a.id, &a.name)));
        }
        if let Some(a) = &c.object {
            who.push(format!("on {}", actor(&a.id, &a.name)));
        }
        let mut extra = String::new();
        if let Some(p) = c.position {
            let _ = write!(extra, " {}", position_badge(p));
        }
        if c.negated {
            extra.push_str(r#" <span class="badge">negated</span>"#);
        }
        if c.earlier {
            extra.push_str(
                r#" <span class="badge" title="describes an earlier state">earlier</span>"#,
            );
        }
        let _ = write!(
            b,
            r#"<tr><td class="date">{}</td><td>{}</td><td><div>{}{extra}</div><div class="muted small">{}</div></td><td>{}</td></tr>"#,
            day(&c.as_of),
            kind_badge(c.kind.as_str()),
            super::labels::readable_text(&c.summary),
            who.join(" · "),
            evidence_block(&c.evidence),
        );
    }
    b.push_str("</tbody></table></div>");
    b
}

/// A linked actor (an entity id) or, before linking, its name alone.
fn actor(id: &str, name: &str) -> String {
    if id.contains(':') {
        iso(name)
    } else {
        entity_link(id, name)
    }
}

/// The pager for a paged listing; `url` builds the link for an offset.
fn pager<T>(page: &Paged<T>, url: impl Fn(usize) -> String) -> String {
    let mut b = String::from(r#"<nav class="pager" aria-label="Pages">"#);
    if page.offset > 0 {
        let prev = page.offset.saturating_sub(page.limit);
        let _ = write!(
            b,
            r#"<a rel="prev" href="{}">← Previous</a>"#,
            esc(&url(prev))
        );
    }
    if let Some(next) = page.next_offset {
        let _ = write!(b, r#"<a rel="next" href="{}">Next →</a>"#, esc(&url(next)));
    }
    b.push_str("</nav>");
    b
}

fn offset_param(offset: usize) -> Option<String> {
    (offset > 0).then(|| offset.to_string())
}

/// `<option>`s for a choice, the current one selected.
fn options<T>(choices: &[(&str, T)], current: &Option<String>, any: &str) -> String {
    let mut out = format!(r#"<option value="">{}</option>"#, esc(any));
    let current = current.as_deref().map(str::to_lowercase);
    for (name, _) in choices {
        let sel = if current.as_deref() == Some(name) {
            " selected"
        } else {
            ""
        };
        let _ = write!(out, r#"<option value="{name}"{sel}>{name}</option>"#);
    }
    out
}

fn bad_request(mut page: Page) -> Response {
    page.status = StatusCode::BAD_REQUEST;
    page.into_response()
}

fn error_note(e: Option<&str>) -> String {
    e.map(|e| format!(r#"<p class="error">{}</p>"#, esc(e)))
        .unwrap_or_default()
}

fn not_linked_note() -> &'static str {
    r#"<p class="empty">Nothing linked yet. Articles are linked when they are ingested (<code>storyline ingest</code>, <code>POST /api/ingest</code>); run <code>storyline link</code> to link a store ingested before.</p>"#
}

// ----------------------------------------------------------------- stories

fn story_link(id: &str, text: &str) -> String {
    format!(
        r#"<a href="/stories/{}">{}</a>"#,
        html::encode(id),
        iso(text)
    )
}

fn story_span(s: &StorySummary) -> String {
    match (s.first_day, s.last_day) {
        (Some(a), Some(z)) => html::day_span(a, z),
        _ => r#"<span class="muted">undated</span>"#.into(),
    }
}

fn story_outlets(s: &StorySummary, n: usize) -> String {
    s.outlets
        .iter()
        .take(n)
        .map(|(o, k)| format!(r#"{} <span class="muted small">×{k}</span>"#, iso(o)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn story_actors(s: &StorySummary, n: usize) -> String {
    s.key_actors
        .iter()
        .take(n)
        .map(|(id, name, _)| actor(id, name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `GET /stories`.
pub(crate) async fn stories(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    listing(&state, q, api::story_page, stories_page).await
}

/// `GET /storylines`.
pub(crate) async fn storylines(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    listing(&state, q, api::storyline_page, storylines_page).await
}

/// A page of one grouping listing (stories, storylines): its paging
/// parameters read and checked (a bad one is a 400 page that names it), the
/// page read off the runtime, and rendered.
async fn listing<T: Send + 'static>(
    state: &AppState,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
    read: fn(&Engine, LinkPage) -> Result<Paged<T>, ApiError>,
    render: fn(Option<&Paged<T>>, Option<&str>) -> Page,
) -> Response {
    let p = match params(q) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let page = match p
        .check_known(params::STORY_PARAMS)
        .and_then(|()| p.link_page())
    {
        Ok(page) => page,
        Err(e) => return bad_request(render(None, Some(&e.message))),
    };
    match blocking(state, move |engine| read(engine, page)).await {
        Ok(list) => render(Some(&list), None).into_response(),
        Err(e) => fail(e),
    }
}

/// The frame of a grouping listing: heading, error note, the note for a
/// store not linked yet, an empty page, the count line, the table and the
/// pager. `rows` and `total` count the page's and all groups; `table`
/// writes the table of a non-empty page.
fn listing_page<T>(
    (title, path, noun): (&'static str, &'static str, &str),
    list: Option<&Paged<T>>,
    error: Option<&str>,
    rows: impl Fn(&T) -> usize,
    total: impl Fn(&T) -> usize,
    caption: &str,
    table: impl FnOnce(&T, &mut String),
) -> Page {
    let mut b = format!("<h1>{title}</h1>");
    b.push_str(&error_note(error));
    let Some(list) = list else {
        return Page::ok(title, path, b);
    };
    let (n, all) = (rows(&list.list), total(&list.list));
    if all == 0 {
        b.push_str(not_linked_note());
        return Page::ok(title, path, b);
    }
    if n == 0 {
        let _ = write!(b, r#"<p class="empty">No {noun} on this page.</p>"#);
    } else {
        let _ = write!(
            b,
            r#"<p class="muted">{title} {}–{} of {all}, largest first{caption}</p>"#,
            list.offset + 1,
            list.offset + n,
        );
        table(&list.list, &mut b);
    }
    b.push_str(&pager(list, |o| {
        url_with(path, &[("offset", offset_param(o))])
    }));
    Page::ok(title, path, b)
}

fn stories_page(list: Option<&Paged<StoryList>>, error: Option<&str>) -> Page {
    listing_page(
        ("Stories", "/stories", "stories"),
        list,
        error,
        |l| l.stories.len(),
        |l| l.total,
        "",
        |l, b| {
            b.push_str(
                r#"<div class="table-wrap"><table class="stories"><thead><tr><th>Story</th><th>About</th><th class="num">Articles</th><th>Dates</th><th>Outlets</th><th>Key actors</th></tr></thead><tbody>"#,
            );
            for s in &l.stories {
                let _ = write!(
                    b,
                    r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td class="date">{}</td><td>{}</td><td>{}</td></tr>"#,
                    story_link(&s.id, &s.id),
                    iso(s.heading()),
                    s.articles,
                    story_span(s),
                    story_outlets(s, 4),
                    story_actors(s, 4),
                );
            }
            b.push_str("</tbody></table></div>");
        },
    )
}

fn storylines_page(
    list: Option<&Paged<storyline_engine::link_views::StorylineList>>,
    error: Option<&str>,
) -> Page {
    listing_page(
        ("Storylines", "/storylines", "storylines"),
        list,
        error,
        |l| l.storylines.len(),
        |l| l.total,
        ": the long-running situations, each with its stories",
        |list, b| {
            b.push_str(
                r#"<div class="table-wrap"><table class="stories"><thead><tr><th>Storyline</th><th class="num">Articles</th><th>Dates</th><th>Its stories, largest first</th><th>Key actors</th></tr></thead><tbody>"#,
            );
            for l in &list.storylines {
                let s = &l.summary;
                let mut developments = String::new();
                for d in l.developments.iter().take(6) {
                    let _ = write!(
                        developments,
                        "{} ({})<br>",
                        story_link(&d.id, &d.title),
                        d.articles
                    );
                }
                if l.development_count > 6 {
                    let _ = write!(
                        developments,
                        r#"<span class="muted small">and {} more</span>"#,
                        l.development_count - 6
                    );
                }
                let _ = write!(
                    b,
                    r#"<tr><td>{}</td><td class="num">{}</td><td class="date">{}</td><td>{}</td><td>{}</td></tr>"#,
                    iso(s.heading()),
                    s.articles,
                    story_span(s),
                    developments,
                    story_actors(s, 4),
                );
            }
            b.push_str("</tbody></table></div>");
        },
    )
}

/// `GET /stories/{id}`: the story, its timeline, its articles.
pub(crate) async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let p = match params(q) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let size = match p
        .check_known(params::TIMELINE_PARAMS)
        .and_then(|()| p.timeline_size())
    {
        Ok(size) => size,
        Err(e) => return fail(e),
    };
    let found = blocking(&state, move |engine| {
        let view = api::find_timeline(engine, &id, size)?;
        let brief = api::find_briefing(engine, &id)?;
        // Titles of the latest articles joined; one that vanished is skipped.
        let mut articles = Vec::new();
        for a in view
            .story
            .article_ids
            .iter()
            .rev()
            .take(ARTICLES_ON_STORY_PAGE)
        {
            if let Some(article) = engine.store().article(a)? {
                articles.push((
                    a.to_string(),
                    article.draft.title.clone(),
                    article.draft.source.clone(),
                    article.draft.published.as_ref().map(|t| t.date),
                ));
            }
        }
        Ok((view, brief, articles))
    })
    .await;
    match found {
        Ok((view, brief, articles)) => story_page(&view, &brief, &articles).into_response(),
        Err(e) => fail(e),
    }
}

/// An article of a story: id, title, outlet, published day.
type StoryArticle = (String, Option<String>, Option<String>, Option<NaiveDate>);

fn story_page(view: &TimelineView, brief: &Briefing, articles: &[StoryArticle]) -> Page {
    let s = &view.story;
    let mut b = format!(
        r#"<h1>{} <span class="muted small">{}</span></h1><dl class="facts">"#,
        iso(s.heading()),
        esc(&s.id)
    );
    let mut row = |k: &str, v: String| {
        let _ = write!(b, "<dt>{k}</dt><dd>{v}</dd>");
    };
    row("Articles", s.articles.to_string());
    row("Distinct reports", s.independent_reports.to_string());
    row("Publishers", s.publishers.to_string());
    row("Dates", story_span(s));
    if s.undated > 0 {
        row("Undated articles", s.undated.to_string());
    }
    if !s.outlets.is_empty() {
        row("Outlets", story_outlets(s, usize::MAX));
    }
    if !s.key_actors.is_empty() {
        row("Key actors", story_actors(s, usize::MAX));
    }
    b.push_str("</dl>");
    if !s.summary.is_empty() {
        // Its most central sentences, each with the article it is from.
        b.push_str(r#"<h2>In brief</h2><ul class="summary">"#);
        for t in &s.summary {
            let _ = write!(
                b,
                r#"<li><blockquote class="sentence">{}</blockquote><p class="source">{}</p></li>"#,
                iso(&t.text),
                timeline_source(t)
            );
        }
        b.push_str("</ul>");
    }
    b.push_str("<h2>Timeline</h2>");
    if view.entries.is_empty() {
        b.push_str(r#"<p class="empty">No dated events in this story yet.</p>"#);
    } else {
        b.push_str(r#"<ol class="timeline">"#);
        for e in &view.entries {
            let _ = write!(
                b,
                r#"<li><h3 class="date">{}</h3>"#,
                html::human_day(e.date)
            );
            for t in &e.sentences {
                let _ = write!(
                    b,
                    r#"<blockquote class="sentence">{}</blockquote><p class="source">{}</p>"#,
                    iso(&t.text),
                    timeline_source(t)
                );
                if !t.also.is_empty() {
                    // The same event from other articles: one entry, every source.
                    let others: Vec<String> = t.also.iter().map(timeline_source).collect();
                    let _ = write!(
                        b,
                        r#"<p class="source also">Also reported by: {}</p>"#,
                        others.join("; ")
                    );
                }
            }
            let quoted = e.sentences.len();
            let more = e
                .supporting_articles
                .iter()
                .filter(|a| !e.sentences.iter().any(|t| &t.article == *a))
                .count();
            if more > 0 {
                let _ = write!(
                    b,
                    r#"<p class="muted small">{more} more article{} of this story refer to this day{}</p>"#,
                    if more == 1 { "" } else { "s" },
                    if quoted == 0 {
                        ""
                    } else {
                        " beyond those quoted"
                    }
                );
            }
            b.push_str("</li>");
        }
        b.push_str("</ol>");
    }
    // Actors, figures with their chart, contested claims side by side,
    // positions, quotes, gaps: the briefing's sections, with article links.
    let _ = write!(
        b,
        r#"<div class="briefing">{}<p><a href="/findings?story={id}">Every finding about this story</a> · <a href="/stories/{id}/brief">The briefing as one page to save or forward</a></p></div>"#,
        storyline_report::html_parts(brief, false, &report_context()),
        id = esc(&s.id)
    );
    b.push_str("<h2>Articles</h2>");
    if articles.is_empty() {
        b.push_str(r#"<p class="empty">None of its articles is in the store.</p>"#);
    } else {
        if s.article_ids.len() > articles.len() {
            let _ = write!(
                b,
                r#"<p class="muted">The latest {} of {}</p>"#,
                articles.len(),
                s.article_ids.len()
            );
        }
        b.push_str(r#"<ul class="articles">"#);
        for (id, title, outlet, published) in articles {
            let outlet = match outlet {
                Some(o) => iso(o),
                None => r#"<span class="muted">unknown outlet</span>"#.into(),
            };
            let _ = write!(
                b,
                r#"<li>{} <span class="muted small"><span class="outlet">{outlet}</span> · <span class="date">{}</span></span></li>"#,
                super::pages::article_link(id, title),
                day(published),
            );
        }
        b.push_str("</ul>");
    }
    let _ = write!(
        b,
        r#"<p class="muted small"><a href="/api/stories/{id}">JSON</a> · <a href="/api/stories/{id}/timeline">timeline JSON</a></p>"#,
        id = html::encode(&s.id)
    );
    Page::ok(s.heading().to_string(), "/stories", b)
}

/// The outlet, day and article of a timeline sentence, one line.
fn timeline_source(t: &TimelineSentence) -> String {
    let outlet = match &t.outlet {
        Some(o) => iso(o),
        None => r#"<span class="muted">unknown outlet</span>"#.into(),
    };
    format!(
        r#"<span class="outlet">{outlet}</span> · <span class="date">{}</span> · <a href="/articles/{}">article {}</a>"#,
        day(&t.published),
        html::encode(t.article.as_str()),
        esc(&t.article.as_str()[..t.article.as_str().len().min(8)]),
    )
}

// ---------------------------------------------------------------- entities

/// `GET /entities`.
pub(crate) async fn entities(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let p = match params(q) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let kind_text = p.text("kind");
    // Shown back as typed (escaped), even when refused.
    let name_text = p.text("q");
    let checked = p.check_known(params::ENTITY_PARAMS).and_then(|()| {
        Ok((
            p.choice("kind", params::ACTOR_KINDS)?,
            p.name_query("q")?,
            p.link_page()?,
        ))
    });
    let (kind, name, page) = match checked {
        Ok(x) => x,
        Err(e) => {
            return bad_request(entities_page(
                &kind_text,
                &name_text,
                None,
                Some(&e.message),
            ))
        }
    };
    match blocking(&state, move |engine| {
        api::entity_page(engine, kind, name.as_deref(), page)
    })
    .await
    {
        Ok(list) => entities_page(&kind_text, &name_text, Some(&list), None).into_response(),
        Err(e) => fail(e),
    }
}

fn entities_page(
    kind: &Option<String>,
    name: &Option<String>,
    list: Option<&Paged<EntityList>>,
    error: Option<&str>,
) -> Page {
    let mut b = String::from("<h1>Entities</h1>");
    let _ = write!(
        b,
        r#"<form class="filters entity-search" action="/entities" method="get" role="search">
<label>Name <input type="search" name="q" value="{}" maxlength="{}" placeholder="e.g. Blinken"></label>
<label>Kind <select name="kind">{}</select></label>
<button type="submit">Find</button> <a href="/entities">Clear</a>
</form>"#,
        value(name),
        params::MAX_NAME_QUERY,
        options(params::ACTOR_KINDS, kind, "any")
    );
    b.push_str(&error_note(error));
    let Some(list) = list else {
        return Page::ok("Entities", "/entities", b);
    };
    let rows = &list.list.entities;
    if list.list.total == 0 {
        match name {
            Some(n) => {
                let _ = write!(
                    b,
                    r#"<p class="empty">No entity is named or called “{}”{}.</p>"#,
                    iso(n),
                    if kind.is_some() {
                        " among this kind"
                    } else {
                        ""
                    }
                );
            }
            None if kind.is_some() => {
                b.push_str(r#"<p class="empty">No entities of this kind.</p>"#)
            }
            None => b.push_str(not_linked_note()),
        }
        return Page::ok("Entities", "/entities", b);
    }
    let named = match name {
        Some(n) => format!(" named or called “{}”", iso(n)),
        None => String::new(),
    };
    let _ = write!(
        b,
        r#"<p class="muted">Entities {}–{} of {}{named}, most widely reported first</p>"#,
        list.offset + 1,
        list.offset + rows.len(),
        list.list.total
    );
    b.push_str(
        r#"<div class="table-wrap"><table class="entities"><thead><tr><th>Name</th><th>Kind</th><th class="num">Articles</th><th class="num">Mentions</th><th>Also called</th><th>Roles</th><th>Seen</th></tr></thead><tbody>"#,
    );
    for e in rows {
        let _ = write!(
            b,
            r#"<tr><td>{} <span class="muted small" title="the entity's id, for claims --entity">{}</span></td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td><td>{}</td><td class="date">{}</td></tr>"#,
            entity_link(&e.id, &e.name),
            iso(&e.id),
            kind_badge(e.kind.as_str()),
            e.articles,
            e.mentions,
            aliases(e, 4),
            e.roles
                .iter()
                .take(3)
                .map(|r| role_text(&r.title, &r.affiliation))
                .collect::<Vec<_>>()
                .join("; "),
            seen(e),
        );
    }
    b.push_str("</tbody></table></div>");
    let (kind, name) = (kind.clone(), name.clone());
    b.push_str(&pager(list, |o| {
        url_with(
            "/entities",
            &[
                ("q", name.clone()),
                ("kind", kind.clone()),
                ("offset", offset_param(o)),
            ],
        )
    }));
    Page::ok("Entities", "/entities", b)
}

fn role_text(title: &str, affiliation: &Option<String>) -> String {
    match affiliation {
        Some(a) => format!("{} ({})", iso(title), iso(a)),
        None => iso(title),
    }
}

/// The most used surface forms other than the name, with their counts.
fn aliases(e: &EntityRecord, n: usize) -> String {
    let mut forms: Vec<(&String, &u64)> = e.aliases.iter().filter(|(a, _)| **a != e.name).collect();
    forms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    forms
        .iter()
        .take(n)
        .map(|(a, k)| format!(r#"{} <span class="muted small">×{k}</span>"#, iso(a)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn seen(e: &EntityRecord) -> String {
    match (e.first_seen, e.last_seen) {
        (Some(a), Some(z)) => html::day_span(a, z),
        _ => r#"<span class="muted">undated</span>"#.into(),
    }
}

/// `GET /entities/{id}`.
pub(crate) async fn entity(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let id = match params::entity_id(None, &id) {
        Ok(id) => id,
        Err(e) => return fail(e),
    };
    let found = blocking(&state, move |engine| {
        let entity = api::find_entity(engine, &id)?;
        let claims = link_views::claims(
            engine,
            &link_views::ClaimFilter {
                entity: Some(entity.id.clone()),
                ..Default::default()
            },
            link_views::Page {
                limit: CLAIMS_ON_PAGE,
                offset: 0,
            },
        )?;
        // Titles of the latest articles naming it; one that vanished is skipped.
        let mut articles = Vec::new();
        for a in entity.recent_articles.iter().rev() {
            if let Some(article) = engine.store().article(a)? {
                articles.push((a.to_string(), article.draft.title.clone()));
            }
        }
        Ok((entity, claims, articles))
    })
    .await;
    match found {
        Ok((e, claims, articles)) => entity_page(&e, &claims, &articles).into_response(),
        Err(e) => fail(e),
    }
}

fn entity_page(
    e: &EntityRecord,
    claims: &ClaimList,
    articles: &[(String, Option<String>)],
) -> Page {
    let mut b = format!(
        r#"<h1>{} {}</h1><div class="columns"><section><dl class="facts">"#,
        iso(&e.name),
        kind_badge(e.kind.as_str())
    );
    let mut row = |k: &str, v: String| {
        let _ = write!(b, "<dt>{k}</dt><dd>{v}</dd>");
    };
    row("Articles", e.articles.to_string());
    row("Mentions", e.mentions.to_string());
    row("Seen", seen(e));
    row(
        "Actor file",
        if e.known {
            "known".into()
        } else {
            r#"<span class="muted">not in the actor file</span>"#.into()
        },
    );
    row("Id", format!("<code>{}</code>", esc(&e.id)));
    b.push_str("</dl>");
    let mut forms: Vec<(&String, &u64)> = e.aliases.iter().collect();
    forms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    if !forms.is_empty() {
        b.push_str(r#"<h2>Names used</h2><ul class="aliases">"#);
        for (a, n) in forms {
            let _ = write!(
                b,
                r#"<li>{} <span class="muted small">×{n}</span></li>"#,
                iso(a)
            );
        }
        b.push_str("</ul>");
    }
    b.push_str("</section><section>");
    if !e.roles.is_empty() {
        b.push_str(r#"<h2>Roles reported</h2><table class="compact roles"><thead><tr><th>Role</th><th>As written</th><th>First</th><th>Last</th><th class="num">Articles</th></tr></thead><tbody>"#);
        for r in &e.roles {
            let _ = write!(
                b,
                r#"<tr><td>{}</td><td>{}</td><td class="date">{}</td><td class="date">{}</td><td class="num">{}</td></tr>"#,
                role_text(&r.title, &r.affiliation),
                iso(&r.text),
                day(&r.first_reported),
                day(&r.last_reported),
                r.articles
            );
        }
        b.push_str("</tbody></table>");
    }
    if !articles.is_empty() {
        b.push_str(r#"<h2>Latest articles naming it</h2><ul class="articles">"#);
        for (id, title) in articles {
            let _ = write!(b, "<li>{}</li>", super::pages::article_link(id, title));
        }
        b.push_str("</ul>");
    }
    b.push_str("</section></div>");
    let _ = write!(b, r#"<h2>Claims naming {}</h2>"#, iso(&e.name));
    if claims.claims.is_empty() {
        b.push_str(r#"<p class="empty">No claim names it.</p>"#);
    } else {
        if claims.total > claims.claims.len() {
            let _ = write!(
                b,
                r#"<p class="muted">The first {} of {} — <a href="{}">all of them</a></p>"#,
                claims.claims.len(),
                claims.total,
                esc(&url_with("/claims", &[("entity", Some(e.id.clone()))]))
            );
        }
        b.push_str(&claim_table(&claims.claims));
    }
    let _ = write!(
        b,
        r#"<p class="muted small"><a href="/api/entities/{}">JSON</a></p>"#,
        html::encode(&e.id)
    );
    Page::ok(e.name.clone(), "/entities", b)
}

// ------------------------------------------------------------------ claims

/// The claims filter as typed, to show it back.
struct ClaimForm {
    kind: Option<String>,
    entity: Option<String>,
    article: Option<String>,
}

impl ClaimForm {
    fn url(&self, offset: usize) -> String {
        url_with(
            "/claims",
            &[
                ("kind", self.kind.clone()),
                ("entity", self.entity.clone()),
                ("article", self.article.clone()),
                ("offset", offset_param(offset)),
            ],
        )
    }
}

/// `GET /claims`.
pub(crate) async fn claims(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let p = match params(q) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let form = ClaimForm {
        kind: p.text("kind"),
        entity: p.text("entity"),
        article: p.text("article"),
    };
    let req: Result<ClaimsRequest, ApiError> = p
        .check_known(params::CLAIM_PARAMS)
        .and_then(|()| api::claims_request(&p));
    let req = match req {
        Ok(r) => r,
        Err(e) => return bad_request(claims_page(&form, None, Some(&e.message))),
    };
    match blocking(&state, move |engine| api::claim_page(engine, &req)).await {
        Ok(list) => claims_page(&form, Some(&list), None).into_response(),
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            let mut page = claims_page(&form, None, Some(&e.message));
            page.status = StatusCode::NOT_FOUND;
            page.into_response()
        }
        Err(e) if e.status == StatusCode::BAD_REQUEST => {
            bad_request(claims_page(&form, None, Some(&e.message)))
        }
        Err(e) => fail(e),
    }
}

fn claims_page(form: &ClaimForm, list: Option<&Paged<ClaimList>>, error: Option<&str>) -> Page {
    let mut b = String::from("<h1>Claims</h1>");
    let _ = write!(
        b,
        r#"<form class="filters" action="/claims" method="get">
<label>Kind <select name="kind">{}</select></label>
<label>Entity id <input name="entity" value="{}" placeholder="e.g. united-states"></label>
<label>Article id <input name="article" value="{}" placeholder="16 hex digits"></label>
<button type="submit">Filter</button> <a href="/claims">Clear</a>
</form>
<p class="muted small">A claim is a figure, a stance or an event read from one sentence; claims about the same thing are compared on the <a href="/findings">findings</a> page.</p>"#,
        options(params::CLAIM_KINDS, &form.kind, "any"),
        value(&form.entity),
        value(&form.article),
    );
    b.push_str(&error_note(error));
    let Some(list) = list else {
        return Page::ok("Claims", "/claims", b);
    };
    let rows = &list.list.claims;
    if list.list.total == 0 {
        if form.kind.is_none() && form.entity.is_none() && form.article.is_none() {
            b.push_str(not_linked_note());
        } else {
            b.push_str(r#"<p class="empty">No claims match these filters.</p>"#);
        }
        return Page::ok("Claims", "/claims", b);
    }
    let _ = write!(
        b,
        r#"<p class="muted">Claims {}–{} of {}, by the day they are about</p>"#,
        list.offset + 1,
        list.offset + rows.len(),
        list.list.total
    );
    b.push_str(&claim_table(rows));
    b.push_str(&pager(list, |o| form.url(o)));
    Page::ok("Claims", "/claims", b)
}

/// The "claims in this article" section of an article page.
pub(crate) fn article_claims(list: &ClaimList, article: &str) -> String {
    if list.claims.is_empty() {
        return String::new();
    }
    let mut b = String::from(
        r#"<section class="article-claims" id="claims"><h2>Claims in this article</h2>"#,
    );
    if list.total > list.claims.len() {
        let _ = write!(
            b,
            r#"<p class="muted">The first {} of {} — <a href="{}">all of them</a></p>"#,
            list.claims.len(),
            list.total,
            esc(&url_with(
                "/claims",
                &[("article", Some(article.to_string()))]
            ))
        );
    }
    b.push_str(&claim_table(&list.claims));
    b.push_str("</section>");
    b
}

/// The claims of an article for its page, at most [`CLAIMS_ON_PAGE`].
pub(crate) fn claims_of_article(
    engine: &storyline_engine::Engine,
    article: &str,
) -> Result<ClaimList, ApiError> {
    Ok(link_views::claims(
        engine,
        &link_views::ClaimFilter {
            article: Some(article.to_string()),
            ..Default::default()
        },
        link_views::Page {
            limit: CLAIMS_ON_PAGE,
            offset: 0,
        },
    )?)
}

// ---------------------------------------------------------------- findings

fn finding_title(kind: FindingKind) -> (&'static str, &'static str) {
    match kind {
        FindingKind::Contradict => ("Contradictions", "They cannot both be true."),
        FindingKind::Update => ("Updates", "A later report changes an earlier figure."),
        FindingKind::Agree => ("Agreements", "Independent sources say the same."),
        FindingKind::Revision => (
            "Revisions",
            "A claimant later lowers its own count for one event.",
        ),
        FindingKind::Inconsistent => (
            "Inconsistencies",
            "One publisher or claimant gives incompatible values for the same quantity.",
        ),
    }
}

/// `GET /findings`.
pub(crate) async fn findings(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let p = match params(q) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let form = FindingsForm {
        kind: p.text("kind"),
        story: p.text("story"),
        article: p.text("article"),
    };
    let req = match api::findings_request(&p) {
        Ok(r) => r,
        Err(e) => return bad_request(findings_page(&form, None, Some(&e.message))),
    };
    match blocking(&state, move |engine| api::finding_page(engine, &req)).await {
        Ok(list) => findings_page(&form, Some(&list), None).into_response(),
        Err(e) => fail(e),
    }
}

/// The findings page's parameters as given, kept in its links.
struct FindingsForm {
    kind: Option<String>,
    story: Option<String>,
    article: Option<String>,
}

impl FindingsForm {
    /// `/findings` with these filters, `kind` replaced.
    fn url(&self, kind: Option<String>, offset: Option<String>) -> String {
        url_with(
            "/findings",
            &[
                ("kind", kind),
                ("story", self.story.clone()),
                ("article", self.article.clone()),
                ("offset", offset),
            ],
        )
    }
}

fn findings_page(
    form: &FindingsForm,
    list: Option<&Paged<FindingList>>,
    error: Option<&str>,
) -> Page {
    let mut b = String::from(
        r#"<h1>Findings</h1><p class="muted">What independent reports say about each other: each finding sets two claims about the same thing side by side, with the sentences they come from.</p>"#,
    );
    let scope: Vec<String> = [
        form.story
            .as_ref()
            .map(|s| format!(r#"story <a href="/stories/{0}">{0}</a>"#, esc(s))),
        form.article
            .as_ref()
            .map(|a| format!(r#"article <a href="/articles/{0}">{0}</a>"#, esc(a))),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !scope.is_empty() {
        let _ = write!(
            b,
            r#"<p class="scope">Only findings about {} · <a href="/findings">all findings</a></p>"#,
            scope.join(" and ")
        );
    }
    b.push_str(&error_note(error));
    let Some(list) = list else {
        return Page::ok("Findings", "/findings", b);
    };
    let counts = &list.list.counts;
    let current = form.kind.as_deref().map(str::to_lowercase);
    let tab = |k: Option<FindingKind>, label: &str, n: usize| {
        let href = form.url(k.map(|k| k.as_str().to_string()), None);
        let aria = if current.as_deref() == k.map(FindingKind::as_str) {
            r#" aria-current="page""#
        } else {
            ""
        };
        format!(
            r#"<a href="{}"{aria}>{label} <span class="count">{n}</span></a>"#,
            esc(&href)
        )
    };
    let total =
        counts.contradict + counts.revision + counts.inconsistent + counts.update + counts.agree;
    let _ = write!(
        b,
        r#"<nav class="tabs" aria-label="Kinds of finding">{}{}{}{}{}{}</nav>"#,
        tab(None, "All", total),
        tab(
            Some(FindingKind::Contradict),
            "Contradictions",
            counts.contradict
        ),
        tab(Some(FindingKind::Revision), "Revisions", counts.revision),
        tab(
            Some(FindingKind::Inconsistent),
            "Inconsistencies",
            counts.inconsistent
        ),
        tab(Some(FindingKind::Update), "Updates", counts.update),
        tab(Some(FindingKind::Agree), "Agreements", counts.agree),
    );
    if counts.below_threshold > 0 {
        let _ = write!(
            b,
            r#"<p class="muted small">{} more below the confidence threshold are not shown.</p>"#,
            counts.below_threshold
        );
    }
    if list.list.findings.is_empty() {
        b.push_str(if total == 0 {
            r#"<p class="empty">No findings yet: no two independent reports give comparable claims about the same thing.</p>"#
        } else {
            r#"<p class="empty">No findings of this kind.</p>"#
        });
        return Page::ok("Findings", "/findings", b);
    }
    let mut section: Option<FindingKind> = None;
    for f in &list.list.findings {
        if section != Some(f.kind) {
            if section.is_some() {
                b.push_str("</section>");
            }
            let (title, help) = finding_title(f.kind);
            let _ = write!(
                b,
                r#"<section class="findings findings-{}"><h2>{title}</h2><p class="muted small">{help}</p>"#,
                f.kind.as_str()
            );
            section = Some(f.kind);
        }
        b.push_str(&finding_card(f));
    }
    b.push_str("</section>");
    b.push_str(&pager(list, |o| {
        form.url(form.kind.clone(), offset_param(o))
    }));
    Page::ok("Findings", "/findings", b)
}

fn finding_card(f: &Finding) -> String {
    let [a, b] = &f.claims;
    format!(
        r#"<article class="finding finding-{k}" id="finding-{id}"><header>{badge} <span class="key">{key}</span></header><p class="reason">{reason} <span class="muted small">confidence {confidence:.2}</span></p><div class="sides">{}{}</div></article>"#,
        side(a),
        side(b),
        k = f.kind.as_str(),
        id = esc(&f.id),
        badge = kind_badge(f.kind.as_str()),
        key = iso(&f.key.replace('|', " · ").replace('_', " ")),
        reason = iso(&f.reason),
        confidence = f.confidence,
    )
}

/// One claim of a finding or a check result.
fn side(s: &FindingSide) -> String {
    let mut head = super::labels::readable_text(&s.summary);
    if let Some(p) = s.position {
        let _ = write!(head, " {}", position_badge(p));
    }
    let by = match &s.claimant {
        Some(c) => format!("per {}", iso(c)),
        None => "stated by the outlet".into(),
    };
    format!(
        r#"<div class="side"><p class="claim">{head}</p><p class="muted small">{by} · about {}</p>{}</div>"#,
        day(&s.as_of),
        evidence_block(&s.evidence)
    )
}

// ----------------------------------------------------------------- stances

/// `GET /stances`.
pub(crate) async fn stances(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let p = match params(q) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    if let Err(e) = p.check_known(params::NO_PARAMS) {
        return fail(e);
    }
    match blocking(&state, |engine| Ok(link_views::stances(engine)?)).await {
        Ok(table) => stances_page(&table).into_response(),
        Err(e) => fail(e),
    }
}

fn stances_page(t: &StanceTable) -> Page {
    let mut b = String::from(
        r#"<h1>Stances</h1><p class="muted">Who stands where on each issue, as reported. A cell is <span class="badge contested">contested</span> when sources report both support and opposition; open a cell for every statement and its sentence.</p>"#,
    );
    if t.stances.is_empty() {
        b.push_str(r#"<p class="empty">No stances reported yet: no article quotes an actor for or against an issue.</p>"#);
        return Page::ok("Stances", "/stances", b);
    }
    // Actors in order of first appearance (the rows come most reported
    // first), issues likewise.
    let mut actors: Vec<(&str, &str)> = Vec::new();
    let mut issues: Vec<&str> = Vec::new();
    for r in &t.stances {
        if !actors.iter().any(|(id, _)| *id == r.actor_id) {
            actors.push((r.actor_id.as_str(), r.actor.as_str()));
        }
        if !issues.contains(&r.issue.as_str()) {
            issues.push(r.issue.as_str());
        }
    }
    b.push_str(r#"<div class="table-wrap"><table class="stances"><thead><tr><th>Actor</th>"#);
    for i in &issues {
        let _ = write!(b, r#"<th scope="col">{}</th>"#, iso(i));
    }
    b.push_str("</tr></thead><tbody>");
    for (id, name) in &actors {
        let _ = write!(b, r#"<tr><th scope="row">{}</th>"#, actor(id, name));
        for i in &issues {
            match t
                .stances
                .iter()
                .find(|r| r.actor_id == *id && r.issue == *i)
            {
                Some(r) => b.push_str(&stance_cell(r)),
                None => b.push_str(r#"<td class="none"><span class="muted">–</span></td>"#),
            }
        }
        b.push_str("</tr>");
    }
    b.push_str("</tbody></table></div>");
    Page::ok("Stances", "/stances", b)
}

fn stance_cell(r: &StanceRow) -> String {
    let class = r
        .position
        .split(':')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let class = if matches!(class.as_str(), "for" | "against" | "conditional") {
        class
    } else {
        "other".into()
    };
    let contested = match &r.change {
        Some(ch) => format!(
            r#" <span class="badge changed" title="every statement of one side came before every statement of the other">changed: {} → {}, {}</span>"#,
            ch.from.as_str(),
            ch.to.as_str(),
            html::human_day(ch.first_after)
        ),
        None if r.contested => r#" <span class="badge contested" title="sources report both support and opposition">contested</span>"#.to_string(),
        None => String::new(),
    };
    let mut entries = String::new();
    for e in &r.entries {
        let mut line = position_badge(e.position);
        if let Some(c) = &e.condition {
            let _ = write!(line, " {}", iso(c));
        }
        if let Some(v) = &e.via {
            let _ = write!(line, r#" <span class="muted small">via {}</span>"#, iso(v));
        }
        let _ = write!(
            entries,
            "<li><p>{line}</p>{}</li>",
            evidence_block(&e.evidence)
        );
    }
    let n = r.entries.len();
    format!(
        r#"<td class="stance pos-cell-{class}{c}"><div class="position">{}{contested}</div><details><summary>{n} {}</summary><ul class="entries">{entries}</ul></details></td>"#,
        iso(&r.position),
        if n == 1 { "statement" } else { "statements" },
        c = if r.contested { " contested" } else { "" },
    )
}

// ------------------------------------------------------------------- check

/// `GET /check`.
pub(crate) async fn check(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let p: Params = match params(q) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    if let Err(e) = p.check_known(params::CHECK_PARAMS) {
        return bad_request(check_page(&None, None, Some(&e.message)));
    }
    // The form as typed, clipped so that a huge value is not echoed whole.
    // Control characters (a NUL) are shown as U+FFFD.
    let typed: Option<String> = p.text("claim").map(|t| {
        t.chars()
            .take(params::MAX_CLAIM_CHARS + 1)
            .map(|c| {
                if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
                    '\u{FFFD}'
                } else {
                    c
                }
            })
            .collect()
    });
    if typed.is_none() {
        return check_page(&None, None, None).into_response();
    }
    let text = match params::claim_text(p.raw("claim")) {
        Ok(t) => t,
        Err(e) => return bad_request(check_page(&typed, None, Some(&e.message))),
    };
    match api::run_check(&state, text).await {
        Ok(result) => check_page(&typed, Some(&result), None).into_response(),
        Err(e) => fail(e),
    }
}

fn check_page(typed: &Option<String>, result: Option<&CheckResult>, error: Option<&str>) -> Page {
    let mut b = String::from("<h1>Check a claim</h1>");
    let _ = write!(
        b,
        r#"<form class="filters check" action="/check" method="get">
<label class="grow">Claim <textarea name="claim" rows="3" maxlength="{max}" placeholder="e.g. At least 12 people were killed in the flooding on Sunday">{}</textarea></label>
<button type="submit">Check</button>
</form>
<p class="muted small">The claim is read like an article sentence (figures, stances, events) and compared with the claims of the stored articles; the articles matching its words are listed too. At most {max} characters.</p>"#,
        value(typed),
        max = params::MAX_CLAIM_CHARS,
    );
    b.push_str(&error_note(error));
    let Some(r) = result else {
        return Page::ok("Check a claim", "/check", b);
    };
    let _ = write!(
        b,
        r#"<p class="checked">Checked: <q>{}</q></p>"#,
        iso(&r.text)
    );
    let _ = write!(b, r#"<p class="verdict">{}</p>"#, iso(&r.verdict));
    if r.claims.is_empty() {
        b.push_str(r#"<p class="warn">No comparable claim (a figure, a stance or an event) could be read from this text, so it is not compared with stored claims; the articles below match its words.</p>"#);
    } else {
        b.push_str(r#"<h2>Read as</h2><ul class="read-as">"#);
        for c in &r.claims {
            let _ = write!(
                b,
                "<li>{} {}</li>",
                kind_badge(c.kind.as_str()),
                super::labels::readable_text(&c.summary)
            );
        }
        b.push_str("</ul>");
        let column = |title: &str, class: &str, sides: &[FindingSide], none: &str| {
            let mut out = format!(
                r#"<section class="evidence-col {class}"><h2>{title} <span class="count">{}</span></h2>"#,
                sides.len()
            );
            if sides.is_empty() {
                let _ = write!(out, r#"<p class="empty">{none}</p>"#);
            }
            for s in sides {
                out.push_str(&side(s));
            }
            out.push_str("</section>");
            out
        };
        let _ = write!(
            b,
            r#"<div class="sides check-result">{}{}</div>"#,
            column(
                "Supporting",
                "supporting",
                &r.supporting,
                "No stored claim supports it."
            ),
            column(
                "Contradicting",
                "contradicting",
                &r.contradicting,
                "No stored claim contradicts it."
            ),
        );
        // Readings of the same running count before and after: its series,
        // not evidence for or against, so folded away.
        for (title, sides) in [
            ("Earlier, lower counts of the same series", &r.earlier),
            ("Later, higher counts of the same series", &r.later),
        ] {
            if sides.is_empty() {
                continue;
            }
            let _ = write!(
                b,
                r#"<details class="series"><summary>{title} <span class="count">{}</span></summary>"#,
                sides.len()
            );
            for s in sides.iter() {
                b.push_str(&side(s));
            }
            b.push_str("</details>");
        }
    }
    b.push_str("<h2>Related articles</h2>");
    if r.related.is_empty() {
        b.push_str(r#"<p class="empty">No article matches its words.</p>"#);
    } else {
        b.push_str(r#"<ol class="hits">"#);
        for h in r.related.iter().map(HitView::from) {
            let _ = write!(
                b,
                r#"<li><h3>{}</h3><p class="hit-meta">{} · {}</p><p class="snippet">{}</p></li>"#,
                super::pages::article_link(&h.id, &h.title),
                h.source.as_deref().map(iso).unwrap_or_else(|| "–".into()),
                super::pages::date(&h.published),
                html::render_snippet(&h.snippet, &h.highlights)
            );
        }
        b.push_str("</ol>");
    }
    Page::ok("Check a claim", "/check", b)
}

/// What the server's briefings say of their making: articles with no web
/// address of their own link to this server's article pages.
fn report_context() -> storyline_report::Context {
    storyline_report::Context {
        generated: chrono::Utc::now().format("%-d %b %Y %H:%M UTC").to_string(),
        data: "the store this server reads".into(),
        article_base: Some("/articles/".into()),
        site: Some(String::new()),
    }
}

/// `GET /stories/{id}/brief`: the story's briefing as one self-contained
/// page (as `storyline brief --format html` writes it).
pub(crate) async fn brief(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    match blocking(&state, move |engine| api::find_briefing(engine, &id)).await {
        Ok(b) => {
            let mut res = storyline_report::html(&b, &report_context()).into_response();
            let h = res.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            // The page's own styles are inline; nothing else may load.
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                ),
            );
            res
        }
        Err(e) => fail(e),
    }
}
