//! The web UI's pages. They answer HTML, so their operations are declared
//! here rather than on the handlers in `ui/`, beside the API they mirror:
//! the same parameters ([`OnPage`] of the API's), a page for every answer
//! but the shedding `503`, which is HTML to a browser and JSON otherwise.
//! The functions are never called; `#[utoipa::path]` reads them.
#![allow(dead_code)]

use super::params::{
    ArticleIdPath, ArticleQuery, CheckQuery, ClaimQuery, EntityIdPath, EntityQuery, FindingQuery,
    LinkPage, OnPage, SearchQuery, StoryIdPath, TimelineQuery,
};
use super::{Overloaded, Page};

#[utoipa::path(
    get,
    path = "/",
    tag = "ui",
    operation_id = "homePage",
    summary = "What the store holds",
    responses(
        (status = 200, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn home() {}

#[utoipa::path(
    get,
    path = "/articles",
    tag = "ui",
    operation_id = "articlesPage",
    summary = "Articles table with filters and paging",
    params(OnPage<ArticleQuery>),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn articles() {}

#[utoipa::path(
    get,
    path = "/articles/{id}",
    tag = "ui",
    operation_id = "articlePage",
    summary = "One article: metadata with provenance, and its text",
    params(ArticleIdPath),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 404, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn article() {}

#[utoipa::path(
    get,
    path = "/search",
    tag = "ui",
    operation_id = "searchPage",
    summary = "Search form and hits with highlighted snippets",
    params(OnPage<SearchQuery>),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn search() {}

#[utoipa::path(
    get,
    path = "/stories",
    tag = "ui",
    operation_id = "storiesPage",
    summary = "Stories table: id, label, articles, dates, outlets, key actors",
    params(OnPage<LinkPage>),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn stories() {}

#[utoipa::path(
    get,
    path = "/storylines",
    tag = "ui",
    operation_id = "storylinesPage",
    summary = "Storylines table: headline, articles, dates, its stories, key actors",
    params(OnPage<LinkPage>),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn storylines() {}

#[utoipa::path(
    get,
    path = "/stories/{id}",
    tag = "ui",
    operation_id = "storyPage",
    summary = "One story: its facts, its timeline with sourced sentences, its articles",
    params(StoryIdPath, OnPage<TimelineQuery>),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 404, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn story() {}

#[utoipa::path(
    get,
    path = "/stories/{id}/brief",
    tag = "ui",
    operation_id = "storyBriefPage",
    summary = "A storyline's (`l1`) or story's briefing as one self-contained page (inline styles and SVG charts, no scripts; links only to the cited articles), to save or forward",
    params(StoryIdPath),
    responses(
        (status = 200, response = Page),
        (status = 404, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn brief() {}

#[utoipa::path(
    get,
    path = "/entities",
    tag = "ui",
    operation_id = "entitiesPage",
    summary = "Entities table: name, kind, articles, mentions, other names, roles",
    params(OnPage<EntityQuery>),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn entities() {}

#[utoipa::path(
    get,
    path = "/entities/{id}",
    tag = "ui",
    operation_id = "entityPage",
    summary = "One entity: roles with dates, names used, latest articles, claims naming it",
    params(EntityIdPath),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 404, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn entity() {}

#[utoipa::path(
    get,
    path = "/claims",
    tag = "ui",
    operation_id = "claimsPage",
    summary = "Claims with their evidence, filterable by kind, entity and article",
    params(OnPage<ClaimQuery>),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 404, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn claims() {}

#[utoipa::path(
    get,
    path = "/findings",
    tag = "ui",
    operation_id = "findingsPage",
    summary = "Contradictions, updates and agreements, each with both claims side by side; of the whole store, one story or one article",
    params(OnPage<FindingQuery>),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 404, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn findings() {}

#[utoipa::path(
    get,
    path = "/stances",
    tag = "ui",
    operation_id = "stancesPage",
    summary = "Actor × issue table, contested cells marked, statements expandable",
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn stances() {}

#[utoipa::path(
    get,
    path = "/check",
    tag = "ui",
    operation_id = "checkPage",
    summary = "Check a claim: supporting and contradicting evidence side by side, related articles",
    params(OnPage<CheckQuery>),
    responses(
        (status = 200, response = Page),
        (status = 400, response = Page),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn check() {}

#[utoipa::path(
    get,
    path = "/assets/style.css",
    tag = "ui",
    operation_id = "stylesheet",
    summary = "The UI's stylesheet",
    responses(
        (status = 200, description = "CSS.", body = String, content_type = "text/css"),
        (status = 503, response = Overloaded),
    ),
)]
pub(super) fn stylesheet() {}
