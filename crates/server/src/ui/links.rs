//! Pages of the cross-document views: stories and their timelines,
//! entities, claims, findings, stances and claim checking. Each reads through the same functions as the JSON
//! API (`crate::links`), then renders.
//!
//! Everything shown here comes from articles (names, sentences, outlets) or
//! from the request (a claim to check): the pages are maud templates, which
//! escape every string put into them; free text is also wrapped in `<bdi>`
//! ([`iso`]) so that a right-to-left override inside it cannot reorder the
//! page around it.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped};
use storyline_core::DateProvenance;
use storyline_engine::brief::Briefing;
use storyline_engine::link_views::{
    self, CheckResult, ClaimList, EntityList, FindingList, StanceRow, StanceTable, StoryList,
    StorySummary, TimelineSentence, TimelineView,
};
use storyline_link::claims::{Claim, Evidence, Position};
use storyline_link::findings::{Finding, FindingKind, FindingSide};
use storyline_link::linker::EntityRecord;

use super::html::{self, url_with};
use super::pages::{fail, pager_links, params, provenance_badge, value};
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
pub(crate) fn iso(s: &str) -> Markup {
    html! { bdi { (s) } }
}

fn day(d: &Option<NaiveDate>) -> Markup {
    match d {
        Some(d) => html::human_day(*d),
        None => html! { span class="muted" { "undated" } },
    }
}

fn entity_link(id: &str, name: &str) -> Markup {
    html! { a href={ "/entities/" (html::encode(id)) } { (iso(name)) } }
}

/// An outlet, or "unknown outlet".
fn outlet(o: &Option<String>) -> Markup {
    match o {
        Some(o) => iso(o),
        None => html! { span class="muted" { "unknown outlet" } },
    }
}

/// A link to an article by the first characters of its id.
fn short_article_link(id: &str) -> Markup {
    html! {
        a href={ "/articles/" (html::encode(id)) } { "article " (id.get(..id.len().min(8)).unwrap_or(id)) }
    }
}

/// The outlet, day and article of a piece of evidence, one line.
fn source_line(e: &Evidence) -> Markup {
    let prov = match e.published_provenance.parse::<DateProvenance>() {
        Ok(p) if e.published.is_some() => Some(p),
        _ => None,
    };
    html! {
        span class="outlet" { (outlet(&e.outlet)) } " · " span class="date" { (day(&e.published)) }
        @if let Some(p) = prov { " " (provenance_badge(p)) }
        " · " (short_article_link(e.article.as_str()))
    }
}

/// The sentence a claim comes from, quoted, with its source line.
fn evidence_block(e: &Evidence) -> Markup {
    html! {
        blockquote class="sentence" { (iso(&e.sentence)) }
        p class="source" { (source_line(e)) }
    }
}

fn kind_badge(kind: &str) -> Markup {
    html! { span class={ "badge kind-" (kind) } { (kind) } }
}

fn position_badge(p: Position) -> Markup {
    html! { span class={ "badge pos-" (p.as_str()) } { (p.as_str()) } }
}

/// Markup pieces joined by a separator (plain text).
fn joined(items: impl IntoIterator<Item = Markup>, sep: &str) -> Markup {
    html! {
        @for (i, m) in items.into_iter().enumerate() {
            @if i > 0 { (sep) }
            (m)
        }
    }
}

/// A table of claims with their evidence.
fn claim_table(claims: &[Claim]) -> Markup {
    html! {
        div class="table-wrap" {
            table class="claims" {
                thead { tr { th { "About" } th { "Kind" } th { "Claim" } th { "Evidence" } } }
                tbody {
                    @for c in claims {
                        @let who = [
                            ("per", &c.claimant),
                            ("by", &c.subject),
                            ("for", &c.on_behalf_of),
                            ("on", &c.object),
                        ]
                        .into_iter()
                        .filter_map(|(w, a)| a.as_ref().map(|a| html! { (w) " " (actor(&a.id, &a.name)) }));
                        tr {
                            td class="date" { (day(&c.as_of)) }
                            td { (kind_badge(c.kind.as_str())) }
                            td {
                                div {
                                    (super::labels::readable_text(&c.summary))
                                    @if let Some(p) = c.position { " " (position_badge(p)) }
                                    @if c.negated { " " span class="badge" { "negated" } }
                                    @if c.earlier { " " span class="badge" title="describes an earlier state" { "earlier" } }
                                }
                                div class="muted small" { (joined(who, " · ")) }
                            }
                            td { (evidence_block(&c.evidence)) }
                        }
                    }
                }
            }
        }
    }
}

/// A linked actor (an entity id) or, before linking, its name alone.
fn actor(id: &str, name: &str) -> Markup {
    if id.contains(':') {
        iso(name)
    } else {
        entity_link(id, name)
    }
}

/// The pager for a paged listing; `url` builds the link for an offset.
fn pager<T>(page: &Paged<T>, url: impl Fn(usize) -> String) -> Markup {
    html! {
        nav class="pager" aria-label="Pages" {
            (pager_links(
                (page.offset > 0).then(|| url(page.offset.saturating_sub(page.limit))),
                page.next_offset.map(&url),
            ))
        }
    }
}

fn offset_param(offset: usize) -> Option<String> {
    (offset > 0).then(|| offset.to_string())
}

/// `<option>`s for a choice, the current one selected.
fn options<T>(choices: &[(&str, T)], current: &Option<String>, any: &str) -> Markup {
    let current = current.as_deref().map(str::to_lowercase);
    html! {
        option value="" { (any) }
        @for (name, _) in choices {
            option value=(name) selected[current.as_deref() == Some(*name)] { (name) }
        }
    }
}

fn bad_request(mut page: Page) -> Response {
    page.status = StatusCode::BAD_REQUEST;
    page.into_response()
}

fn error_note(e: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = e {
            p class="error" { (e) }
        }
    }
}

fn not_linked_note() -> Markup {
    html! {
        p class="empty" {
            "Nothing linked yet. Articles are linked when they are ingested ("
            code { "storyline ingest" } ", " code { "POST /api/ingest" } "); run "
            code { "storyline link" } " to link a store ingested before."
        }
    }
}

// ----------------------------------------------------------------- stories

fn story_link(id: &str, text: &str) -> Markup {
    html! { a href={ "/stories/" (html::encode(id)) } { (iso(text)) } }
}

fn story_span(s: &StorySummary) -> Markup {
    match (s.first_day, s.last_day) {
        (Some(a), Some(z)) => html::day_span(a, z),
        _ => html! { span class="muted" { "undated" } },
    }
}

fn story_outlets(s: &StorySummary, n: usize) -> Markup {
    joined(
        s.outlets
            .iter()
            .take(n)
            .map(|(o, k)| html! { (iso(o)) " " span class="muted small" { "×" (k) } }),
        ", ",
    )
}

fn story_actors(s: &StorySummary, n: usize) -> Markup {
    joined(
        s.key_actors
            .iter()
            .take(n)
            .map(|(id, name, _)| actor(id, name)),
        ", ",
    )
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
    table: impl FnOnce(&T) -> Markup,
) -> Page {
    let b = html! {
        h1 { (title) }
        (error_note(error))
        @if let Some(list) = list {
            @let (n, all) = (rows(&list.list), total(&list.list));
            @if all == 0 {
                (not_linked_note())
            } @else {
                @if n == 0 {
                    p class="empty" { "No " (noun) " on this page." }
                } @else {
                    p class="muted" {
                        (title) " " (list.offset + 1) "–" (list.offset + n) " of " (all) ", largest first" (caption)
                    }
                    (table(&list.list))
                }
                (pager(list, |o| url_with(path, &[("offset", offset_param(o))])))
            }
        }
    };
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
        |l| {
            html! {
                div class="table-wrap" {
                    table class="stories" {
                        thead { tr { th { "Story" } th { "About" } th class="num" { "Articles" } th { "Dates" } th { "Outlets" } th { "Key actors" } } }
                        tbody {
                            @for s in &l.stories {
                                tr {
                                    td { (story_link(&s.id, &s.id)) }
                                    td { (iso(s.heading())) }
                                    td class="num" { (s.articles) }
                                    td class="date" { (story_span(s)) }
                                    td { (story_outlets(s, 4)) }
                                    td { (story_actors(s, 4)) }
                                }
                            }
                        }
                    }
                }
            }
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
        |list| {
            html! {
                div class="table-wrap" {
                    table class="stories" {
                        thead { tr { th { "Storyline" } th class="num" { "Articles" } th { "Dates" } th { "Its stories, largest first" } th { "Key actors" } } }
                        tbody {
                            @for l in &list.storylines {
                                @let s = &l.summary;
                                tr {
                                    td { (iso(s.heading())) }
                                    td class="num" { (s.articles) }
                                    td class="date" { (story_span(s)) }
                                    td {
                                        @for d in l.developments.iter().take(6) {
                                            (story_link(&d.id, &d.title)) " (" (d.articles) ")" br;
                                        }
                                        @if l.development_count > 6 {
                                            span class="muted small" { "and " (l.development_count - 6) " more" }
                                        }
                                    }
                                    td { (story_actors(s, 4)) }
                                }
                            }
                        }
                    }
                }
            }
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
    // The report crate's HTML briefing sections, written and escaped
    // there (its `esc`, tested with a markup payload in every field).
    let briefing = PreEscaped(storyline_report::html_parts(
        brief,
        false,
        &report_context(),
    ));
    let b = html! {
        h1 { (iso(s.heading())) " " span class="muted small" { (s.id) } }
        dl class="facts" {
            dt { "Articles" } dd { (s.articles) }
            dt { "Distinct reports" } dd { (s.independent_reports) }
            dt { "Publishers" } dd { (s.publishers) }
            dt { "Dates" } dd { (story_span(s)) }
            @if s.undated > 0 {
                dt { "Undated articles" } dd { (s.undated) }
            }
            @if !s.outlets.is_empty() {
                dt { "Outlets" } dd { (story_outlets(s, usize::MAX)) }
            }
            @if !s.key_actors.is_empty() {
                dt { "Key actors" } dd { (story_actors(s, usize::MAX)) }
            }
        }
        @if !s.summary.is_empty() {
            // Its most central sentences, each with the article it is from.
            h2 { "In brief" }
            ul class="summary" {
                @for t in &s.summary {
                    li {
                        blockquote class="sentence" { (iso(&t.text)) }
                        p class="source" { (timeline_source(t)) }
                    }
                }
            }
        }
        h2 { "Timeline" }
        @if view.entries.is_empty() {
            p class="empty" { "No dated events in this story yet." }
        } @else {
            ol class="timeline" {
                @for e in &view.entries {
                    li {
                        h3 class="date" { (html::human_day(e.date)) }
                        @for t in &e.sentences {
                            blockquote class="sentence" { (iso(&t.text)) }
                            p class="source" { (timeline_source(t)) }
                            @if !t.also.is_empty() {
                                // The same event from other articles: one entry, every source.
                                p class="source also" {
                                    "Also reported by: " (joined(t.also.iter().map(timeline_source), "; "))
                                }
                            }
                        }
                        @let more = e
                            .supporting_articles
                            .iter()
                            .filter(|a| !e.sentences.iter().any(|t| &t.article == *a))
                            .count();
                        @if more > 0 {
                            p class="muted small" {
                                (more) " more article" @if more != 1 { "s" } " of this story refer to this day"
                                @if !e.sentences.is_empty() { " beyond those quoted" }
                            }
                        }
                    }
                }
            }
        }
        // Actors, figures with their chart, contested claims side by side,
        // positions, quotes, gaps: the briefing's sections, with article links.
        div class="briefing" {
            (briefing)
            p {
                a href={ "/findings?story=" (s.id) } { "Every finding about this story" }
                " · "
                a href={ "/stories/" (s.id) "/brief" } { "The briefing as one page to save or forward" }
            }
        }
        h2 { "Articles" }
        @if articles.is_empty() {
            p class="empty" { "None of its articles is in the store." }
        } @else {
            @if s.article_ids.len() > articles.len() {
                p class="muted" { "The latest " (articles.len()) " of " (s.article_ids.len()) }
            }
            ul class="articles" {
                @for (id, title, source, published) in articles {
                    li {
                        (super::pages::article_link(id, title)) " "
                        span class="muted small" {
                            span class="outlet" { (outlet(source)) } " · " span class="date" { (day(published)) }
                        }
                    }
                }
            }
        }
        p class="muted small" {
            a href={ "/api/stories/" (html::encode(&s.id)) } { "JSON" }
            " · "
            a href={ "/api/stories/" (html::encode(&s.id)) "/timeline" } { "timeline JSON" }
        }
    };
    Page::ok(s.heading().to_string(), "/stories", b)
}

/// The outlet, day and article of a timeline sentence, one line.
fn timeline_source(t: &TimelineSentence) -> Markup {
    html! {
        span class="outlet" { (outlet(&t.outlet)) } " · " span class="date" { (day(&t.published)) }
        " · " (short_article_link(t.article.as_str()))
    }
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
    let among = if kind.is_some() {
        " among this kind"
    } else {
        ""
    };
    let b = html! {
        h1 { "Entities" }
        form class="filters entity-search" action="/entities" method="get" role="search" {
            "\n"
            label { "Name " input type="search" name="q" value=(value(name)) maxlength=(params::MAX_NAME_QUERY) placeholder="e.g. Blinken"; } "\n"
            label { "Kind " select name="kind" { (options(params::ACTOR_KINDS, kind, "any")) } } "\n"
            button type="submit" { "Find" } " " a href="/entities" { "Clear" } "\n"
        }
        (error_note(error))
        @if let Some(list) = list {
            @let rows = &list.list.entities;
            @if list.list.total == 0 {
                @match name {
                    Some(n) => p class="empty" { "No entity is named or called “" (iso(n)) "”" (among) "." },
                    None if kind.is_some() => p class="empty" { "No entities of this kind." },
                    None => (not_linked_note()),
                }
            } @else {
                p class="muted" {
                    "Entities " (list.offset + 1) "–" (list.offset + rows.len()) " of " (list.list.total)
                    @if let Some(n) = name { " named or called “" (iso(n)) "”" }
                    ", most widely reported first"
                }
                div class="table-wrap" {
                    table class="entities" {
                        thead { tr { th { "Name" } th { "Kind" } th class="num" { "Articles" } th class="num" { "Mentions" } th { "Also called" } th { "Roles" } th { "Seen" } } }
                        tbody {
                            @for e in rows {
                                tr {
                                    td {
                                        (entity_link(&e.id, &e.name)) " "
                                        span class="muted small" title="the entity's id, for claims --entity" { (iso(&e.id)) }
                                    }
                                    td { (kind_badge(e.kind.as_str())) }
                                    td class="num" { (e.articles) }
                                    td class="num" { (e.mentions) }
                                    td { (aliases(e, 4)) }
                                    td { (joined(e.roles.iter().take(3).map(|r| role_text(&r.title, &r.affiliation)), "; ")) }
                                    td class="date" { (seen(e)) }
                                }
                            }
                        }
                    }
                }
                (pager(list, |o| {
                    url_with(
                        "/entities",
                        &[
                            ("q", name.clone()),
                            ("kind", kind.clone()),
                            ("offset", offset_param(o)),
                        ],
                    )
                }))
            }
        }
    };
    Page::ok("Entities", "/entities", b)
}

fn role_text(title: &str, affiliation: &Option<String>) -> Markup {
    html! {
        (iso(title))
        @if let Some(a) = affiliation { " (" (iso(a)) ")" }
    }
}

/// The most used surface forms other than the name, with their counts.
fn aliases(e: &EntityRecord, n: usize) -> Markup {
    let mut forms: Vec<(&String, &u64)> = e.aliases.iter().filter(|(a, _)| **a != e.name).collect();
    forms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    joined(
        forms
            .iter()
            .take(n)
            .map(|(a, k)| html! { (iso(a)) " " span class="muted small" { "×" (k) } }),
        ", ",
    )
}

fn seen(e: &EntityRecord) -> Markup {
    match (e.first_seen, e.last_seen) {
        (Some(a), Some(z)) => html::day_span(a, z),
        _ => html! { span class="muted" { "undated" } },
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
    let mut forms: Vec<(&String, &u64)> = e.aliases.iter().collect();
    forms.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let b = html! {
        h1 { (iso(&e.name)) " " (kind_badge(e.kind.as_str())) }
        div class="columns" {
            section {
                dl class="facts" {
                    dt { "Articles" } dd { (e.articles) }
                    dt { "Mentions" } dd { (e.mentions) }
                    dt { "Seen" } dd { (seen(e)) }
                    dt { "Actor file" }
                    dd {
                        @if e.known { "known" } @else { span class="muted" { "not in the actor file" } }
                    }
                    dt { "Id" } dd { code { (e.id) } }
                }
                @if !forms.is_empty() {
                    h2 { "Names used" }
                    ul class="aliases" {
                        @for (a, n) in &forms {
                            li { (iso(a)) " " span class="muted small" { "×" (n) } }
                        }
                    }
                }
            }
            section {
                @if !e.roles.is_empty() {
                    h2 { "Roles reported" }
                    table class="compact roles" {
                        thead { tr { th { "Role" } th { "As written" } th { "First" } th { "Last" } th class="num" { "Articles" } } }
                        tbody {
                            @for r in &e.roles {
                                tr {
                                    td { (role_text(&r.title, &r.affiliation)) }
                                    td { (iso(&r.text)) }
                                    td class="date" { (day(&r.first_reported)) }
                                    td class="date" { (day(&r.last_reported)) }
                                    td class="num" { (r.articles) }
                                }
                            }
                        }
                    }
                }
                @if !articles.is_empty() {
                    h2 { "Latest articles naming it" }
                    ul class="articles" {
                        @for (id, title) in articles {
                            li { (super::pages::article_link(id, title)) }
                        }
                    }
                }
            }
        }
        h2 { "Claims naming " (iso(&e.name)) }
        @if claims.claims.is_empty() {
            p class="empty" { "No claim names it." }
        } @else {
            @if claims.total > claims.claims.len() {
                p class="muted" {
                    "The first " (claims.claims.len()) " of " (claims.total) " — "
                    a href=(url_with("/claims", &[("entity", Some(e.id.clone()))])) { "all of them" }
                }
            }
            (claim_table(&claims.claims))
        }
        p class="muted small" { a href={ "/api/entities/" (html::encode(&e.id)) } { "JSON" } }
    };
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
    let b = html! {
        h1 { "Claims" }
        form class="filters" action="/claims" method="get" {
            "\n"
            label { "Kind " select name="kind" { (options(params::CLAIM_KINDS, &form.kind, "any")) } } "\n"
            label { "Entity id " input name="entity" value=(value(&form.entity)) placeholder="e.g. united-states"; } "\n"
            label { "Article id " input name="article" value=(value(&form.article)) placeholder="16 hex digits"; } "\n"
            button type="submit" { "Filter" } " " a href="/claims" { "Clear" } "\n"
        }
        "\n"
        p class="muted small" {
            "A claim is a figure, a stance or an event read from one sentence; claims about the same thing are compared on the "
            a href="/findings" { "findings" } " page."
        }
        (error_note(error))
        @if let Some(list) = list {
            @let rows = &list.list.claims;
            @if list.list.total == 0 {
                @if form.kind.is_none() && form.entity.is_none() && form.article.is_none() {
                    (not_linked_note())
                } @else {
                    p class="empty" { "No claims match these filters." }
                }
            } @else {
                p class="muted" {
                    "Claims " (list.offset + 1) "–" (list.offset + rows.len()) " of " (list.list.total) ", by the day they are about"
                }
                (claim_table(rows))
                (pager(list, |o| form.url(o)))
            }
        }
    };
    Page::ok("Claims", "/claims", b)
}

/// The "claims in this article" section of an article page.
pub(crate) fn article_claims(list: &ClaimList, article: &str) -> Markup {
    html! {
        @if !list.claims.is_empty() {
            section class="article-claims" id="claims" {
                h2 { "Claims in this article" }
                @if list.total > list.claims.len() {
                    p class="muted" {
                        "The first " (list.claims.len()) " of " (list.total) " — "
                        a href=(url_with("/claims", &[("article", Some(article.to_string()))])) { "all of them" }
                    }
                }
                (claim_table(&list.claims))
            }
        }
    }
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
    let scope: Vec<Markup> = [
        form.story
            .as_ref()
            .map(|s| html! { "story " a href={ "/stories/" (s) } { (s) } }),
        form.article
            .as_ref()
            .map(|a| html! { "article " a href={ "/articles/" (a) } { (a) } }),
    ]
    .into_iter()
    .flatten()
    .collect();
    let current = form.kind.as_deref().map(str::to_lowercase);
    let tab = |k: Option<FindingKind>, label: &str, n: usize| {
        let href = form.url(k.map(|k| k.as_str().to_string()), None);
        let here = current.as_deref() == k.map(FindingKind::as_str);
        html! {
            a href=(href) aria-current=[here.then_some("page")] { (label) " " span class="count" { (n) } }
        }
    };
    let b = html! {
        h1 { "Findings" }
        p class="muted" {
            "What independent reports say about each other: each finding sets two claims about the same thing side by side, with the sentences they come from."
        }
        @if !scope.is_empty() {
            p class="scope" {
                "Only findings about " (joined(scope, " and ")) " · " a href="/findings" { "all findings" }
            }
        }
        (error_note(error))
        @if let Some(list) = list {
            @let counts = &list.list.counts;
            @let total = counts.contradict + counts.revision + counts.inconsistent + counts.update + counts.agree;
            nav class="tabs" aria-label="Kinds of finding" {
                (tab(None, "All", total))
                (tab(Some(FindingKind::Contradict), "Contradictions", counts.contradict))
                (tab(Some(FindingKind::Revision), "Revisions", counts.revision))
                (tab(Some(FindingKind::Inconsistent), "Inconsistencies", counts.inconsistent))
                (tab(Some(FindingKind::Update), "Updates", counts.update))
                (tab(Some(FindingKind::Agree), "Agreements", counts.agree))
            }
            @if counts.below_threshold > 0 {
                p class="muted small" {
                    (counts.below_threshold) " more below the confidence threshold are not shown."
                }
            }
            @if list.list.findings.is_empty() {
                @if total == 0 {
                    p class="empty" { "No findings yet: no two independent reports give comparable claims about the same thing." }
                } @else {
                    p class="empty" { "No findings of this kind." }
                }
            } @else {
                @for (kind, findings) in by_kind(&list.list.findings) {
                    @let (title, help) = finding_title(kind);
                    section class={ "findings findings-" (kind.as_str()) } {
                        h2 { (title) }
                        p class="muted small" { (help) }
                        @for f in findings {
                            (finding_card(f))
                        }
                    }
                }
                (pager(list, |o| form.url(form.kind.clone(), offset_param(o))))
            }
        }
    };
    Page::ok("Findings", "/findings", b)
}

/// Findings in runs of one kind, in their order: a section each.
fn by_kind(findings: &[Finding]) -> Vec<(FindingKind, Vec<&Finding>)> {
    let mut runs: Vec<(FindingKind, Vec<&Finding>)> = Vec::new();
    for f in findings {
        match runs.last_mut() {
            Some((kind, run)) if *kind == f.kind => run.push(f),
            _ => runs.push((f.kind, vec![f])),
        }
    }
    runs
}

fn finding_card(f: &Finding) -> Markup {
    let [a, b] = &f.claims;
    html! {
        article class={ "finding finding-" (f.kind.as_str()) } id={ "finding-" (f.id) } {
            header {
                (kind_badge(f.kind.as_str())) " "
                span class="key" { (iso(&f.key.replace('|', " · ").replace('_', " "))) }
            }
            p class="reason" {
                (iso(&f.reason)) " "
                span class="muted small" { "confidence " (format!("{:.2}", f.confidence)) }
            }
            div class="sides" { (side(a)) (side(b)) }
        }
    }
}

/// One claim of a finding or a check result.
fn side(s: &FindingSide) -> Markup {
    html! {
        div class="side" {
            p class="claim" {
                (super::labels::readable_text(&s.summary))
                @if let Some(p) = s.position { " " (position_badge(p)) }
            }
            p class="muted small" {
                @match &s.claimant {
                    Some(c) => { "per " (iso(c)) },
                    None => "stated by the outlet",
                }
                " · about " (day(&s.as_of))
            }
            (evidence_block(&s.evidence))
        }
    }
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
    let b = html! {
        h1 { "Stances" }
        p class="muted" {
            "Who stands where on each issue, as reported. A cell is "
            span class="badge contested" { "contested" }
            " when sources report both support and opposition; open a cell for every statement and its sentence."
        }
        @if t.stances.is_empty() {
            p class="empty" { "No stances reported yet: no article quotes an actor for or against an issue." }
        } @else {
            div class="table-wrap" {
                table class="stances" {
                    thead {
                        tr {
                            th { "Actor" }
                            @for i in &issues {
                                th scope="col" { (iso(i)) }
                            }
                        }
                    }
                    tbody {
                        @for (id, name) in &actors {
                            tr {
                                th scope="row" { (actor(id, name)) }
                                @for i in &issues {
                                    @match t.stances.iter().find(|r| r.actor_id == *id && r.issue == *i) {
                                        Some(r) => (stance_cell(r)),
                                        None => td class="none" { span class="muted" { "–" } },
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Page::ok("Stances", "/stances", b)
}

fn stance_cell(r: &StanceRow) -> Markup {
    let class = r.position.split(':').next().unwrap_or("").trim();
    let class = if matches!(class, "for" | "against" | "conditional") {
        class
    } else {
        "other"
    };
    let contested = if r.contested { " contested" } else { "" };
    let n = r.entries.len();
    html! {
        td class={ "stance pos-cell-" (class) (contested) } {
            div class="position" {
                (iso(&r.position))
                @match &r.change {
                    Some(ch) => {
                        " "
                        span class="badge changed" title="every statement of one side came before every statement of the other" {
                            "changed: " (ch.from.as_str()) " → " (ch.to.as_str()) ", " (html::human_day(ch.first_after))
                        }
                    },
                    None if r.contested => {
                        " "
                        span class="badge contested" title="sources report both support and opposition" { "contested" }
                    },
                    None => {},
                }
            }
            details {
                summary { (n) " " @if n == 1 { "statement" } @else { "statements" } }
                ul class="entries" {
                    @for e in &r.entries {
                        li {
                            p {
                                (position_badge(e.position))
                                @if let Some(c) = &e.condition { " " (iso(c)) }
                                @if let Some(v) = &e.via { " " span class="muted small" { "via " (iso(v)) } }
                            }
                            (evidence_block(&e.evidence))
                        }
                    }
                }
            }
        }
    }
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
    let column = |title: &str, class: &str, sides: &[FindingSide], none: &str| {
        html! {
            section class={ "evidence-col " (class) } {
                h2 { (title) " " span class="count" { (sides.len()) } }
                @if sides.is_empty() {
                    p class="empty" { (none) }
                }
                @for s in sides {
                    (side(s))
                }
            }
        }
    };
    let b = html! {
        h1 { "Check a claim" }
        form class="filters check" action="/check" method="get" {
            "\n"
            label class="grow" {
                "Claim "
                textarea name="claim" rows="3" maxlength=(params::MAX_CLAIM_CHARS) placeholder="e.g. At least 12 people were killed in the flooding on Sunday" { (value(typed)) }
            }
            "\n"
            button type="submit" { "Check" } "\n"
        }
        "\n"
        p class="muted small" {
            "The claim is read like an article sentence (figures, stances, events) and compared with the claims of the stored articles; the articles matching its words are listed too. At most "
            (params::MAX_CLAIM_CHARS) " characters."
        }
        (error_note(error))
        @if let Some(r) = result {
            p class="checked" { "Checked: " q { (iso(&r.text)) } }
            p class="verdict" { (iso(&r.verdict)) }
            @if r.claims.is_empty() {
                p class="warn" {
                    "No comparable claim (a figure, a stance or an event) could be read from this text, so it is not compared with stored claims; the articles below match its words."
                }
            } @else {
                h2 { "Read as" }
                ul class="read-as" {
                    @for c in &r.claims {
                        li { (kind_badge(c.kind.as_str())) " " (super::labels::readable_text(&c.summary)) }
                    }
                }
                div class="sides check-result" {
                    (column("Supporting", "supporting", &r.supporting, "No stored claim supports it."))
                    (column("Contradicting", "contradicting", &r.contradicting, "No stored claim contradicts it."))
                }
                // Readings of the same running count before and after: its
                // series, not evidence for or against, so folded away.
                @for (title, sides) in [
                    ("Revised down later by a claimant that gave it", &r.revised),
                    ("Earlier, lower counts of the same series", &r.earlier),
                    ("Later, higher counts of the same series", &r.later),
                ] {
                    @if !sides.is_empty() {
                        details class="series" {
                            summary { (title) " " span class="count" { (sides.len()) } }
                            @for s in sides.iter() {
                                (side(s))
                            }
                        }
                    }
                }
            }
            h2 { "Related articles" }
            @if r.related.is_empty() {
                p class="empty" { "No article matches its words." }
            } @else {
                ol class="hits" {
                    @for h in r.related.iter().map(HitView::from) {
                        li {
                            h3 { (super::pages::article_link(&h.id, &h.title)) }
                            p class="hit-meta" {
                                @match h.source.as_deref() {
                                    Some(s) => (iso(s)),
                                    None => "–",
                                }
                                " · " (super::pages::date(&h.published))
                            }
                            p class="snippet" { (html::render_snippet(&h.snippet, &h.highlights)) }
                        }
                    }
                }
            }
        }
    };
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
