//! JSON handlers of the cross-document views: stories and their timelines,
//! entities, claims, findings, stances and claim checking. The documents
//! are those of [`storyline_engine::link_views`] (the CLI's `--json`), with
//! paging fields on listings; the fetch functions here are shared with the
//! pages.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use storyline_core::ArticleId;
use storyline_engine::brief::Briefing;
use storyline_engine::link_views::{
    self, CheckResult, ClaimFilter, ClaimList, EntityList, FindingFilter, FindingList, Page,
    StanceTable, StoryList, StorySummary, StorylineList, TimelineView,
};
use storyline_engine::Engine;
use storyline_link::actors::ActorKind;
use storyline_link::findings::FindingKind;
use storyline_link::linker::EntityRecord;
use utoipa::ToSchema;

use crate::api::{find_article, query_params};
use crate::error::ApiError;
use crate::params::{self, Params, TimelineSize};
use crate::{blocking, AppState};

/// Schema tag of `GET /api/entities/{id}`.
pub(crate) const ENTITY_SCHEMA: &str = "storyline.entity/1";

/// A listing with paging fields: `offset`, `limit` and `next_offset`
/// (null on the last page) beside the engine's document (which has `total`).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Paged<T> {
    #[serde(flatten)]
    pub list: T,
    /// Items skipped before this page.
    pub offset: usize,
    /// The page size asked for.
    pub limit: usize,
    /// The offset of the next page; null on the last page.
    pub next_offset: Option<usize>,
}

impl<T> Paged<T> {
    fn new(list: T, page: Page, count: usize, total: usize) -> Paged<T> {
        let end = page.offset.saturating_add(count);
        Paged {
            list,
            offset: page.offset,
            limit: page.limit,
            next_offset: (count > 0 && end < total).then_some(end),
        }
    }
}

/// `storyline.entity/1`: one entity record with its schema tag.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Entity)]
pub(crate) struct EntityView {
    pub schema: &'static str,
    #[serde(flatten)]
    pub entity: EntityRecord,
}

/// A checked claims request: the filter with the article id resolved.
#[derive(Clone, Debug)]
pub(crate) struct ClaimsRequest {
    pub filter: ClaimFilter,
    /// The `article` parameter as given (a full id or a prefix), resolved
    /// in [`claim_page`].
    pub article: Option<String>,
    pub page: Page,
}

/// The `article` parameter, its form checked (400); whether the store holds
/// it is [`resolve_article`]'s to say, with the store.
fn article_param(p: &Params) -> Result<Option<String>, ApiError> {
    let article = p.text("article");
    if let Some(a) = &article {
        params::parse_id(a).map_err(|e| ApiError {
            parameter: Some("article".into()),
            ..e
        })?;
    }
    Ok(article)
}

/// The full id of the `article` parameter (an id or a prefix), or a 404
/// naming the parameter.
fn resolve_article(engine: &Engine, article: Option<&str>) -> Result<Option<ArticleId>, ApiError> {
    article
        .map(|a| {
            find_article(engine, a)
                .map(|found| found.id)
                .map_err(|e| ApiError {
                    parameter: Some("article".into()),
                    ..e
                })
        })
        .transpose()
}

/// A 404 for the `story` parameter.
fn no_story_param(id: Option<&str>) -> ApiError {
    ApiError {
        parameter: Some("story".into()),
        ..no_story(id.unwrap_or(""))
    }
}

/// Reads a claims request from the query.
pub(crate) fn claims_request(p: &Params) -> Result<ClaimsRequest, ApiError> {
    let entity = p
        .text("entity")
        .map(|e| params::entity_id(Some("entity"), &e))
        .transpose()?;
    let article = article_param(p)?;
    Ok(ClaimsRequest {
        filter: ClaimFilter {
            kind: p.choice("kind", params::CLAIM_KINDS)?,
            entity,
            article: None,
        },
        article,
        page: p.link_page()?,
    })
}

/// The entity with this id, or a 404 naming it.
pub(crate) fn find_entity(engine: &Engine, id: &str) -> Result<EntityRecord, ApiError> {
    link_views::entity(engine, id)?.ok_or_else(|| {
        ApiError::not_found(format!(
            "no entity {:?} in this store; list the entities with /api/entities",
            params::clip(id)
        ))
    })
}

/// One page of entities.
pub(crate) fn entity_page(
    engine: &Engine,
    kind: Option<ActorKind>,
    name: Option<&str>,
    page: Page,
) -> Result<Paged<EntityList>, ApiError> {
    let list = match name {
        None => link_views::entities(engine, kind, page)?,
        Some(name) => {
            // The listing reads every entity anyway (it is sorted by
            // reach): the name filter is a pass over it, case-insensitive,
            // over the name and every form it was written in.
            let wanted = name.to_lowercase();
            let mut all = link_views::entities(engine, kind, Page::default())?;
            all.entities.retain(|e| {
                std::iter::once(&e.name)
                    .chain(e.aliases.keys())
                    .any(|n| n.to_lowercase().contains(&wanted))
            });
            all.total = all.entities.len();
            all.entities = all
                .entities
                .into_iter()
                .skip(page.offset)
                .take(page.limit)
                .collect();
            all
        }
    };
    let (count, total) = (list.entities.len(), list.total);
    Ok(Paged::new(list, page, count, total))
}

/// One page of claims; 404 when the entity or article filtered on does
/// not exist (an empty list would hide a typo).
pub(crate) fn claim_page(
    engine: &Engine,
    req: &ClaimsRequest,
) -> Result<Paged<ClaimList>, ApiError> {
    let mut filter = req.filter.clone();
    if let Some(e) = &filter.entity {
        find_entity(engine, e).map_err(|e| ApiError {
            parameter: Some("entity".into()),
            ..e
        })?;
    }
    filter.article = resolve_article(engine, req.article.as_deref())?.map(|a| a.to_string());
    let list = link_views::claims(engine, &filter, req.page)?;
    let (count, total) = (list.claims.len(), list.total);
    Ok(Paged::new(list, req.page, count, total))
}

/// A checked findings request.
#[derive(Clone, Debug)]
pub(crate) struct FindingsRequest {
    pub kind: Option<FindingKind>,
    /// As given (`s3`); an unknown story is a 404 from [`finding_page`].
    pub story: Option<String>,
    /// As given (an id or a prefix), resolved in [`finding_page`].
    pub article: Option<String>,
    /// Below the confidence threshold too (`all=true`).
    pub all: bool,
    pub page: Page,
}

/// Reads a findings request from the query.
pub(crate) fn findings_request(p: &Params) -> Result<FindingsRequest, ApiError> {
    p.check_known(params::FINDING_PARAMS)?;
    Ok(FindingsRequest {
        kind: p.choice("kind", params::FINDING_KINDS)?,
        story: p.text("story"),
        article: article_param(p)?,
        all: p.choice("all", params::FLAG_VALUES)?.unwrap_or(false),
        page: p.link_page()?,
    })
}

/// One page of findings.
pub(crate) fn finding_page(
    engine: &Engine,
    req: &FindingsRequest,
) -> Result<Paged<FindingList>, ApiError> {
    let filter = FindingFilter {
        kind: req.kind,
        article: resolve_article(engine, req.article.as_deref())?.map(|a| a.to_string()),
        story: req.story.clone(),
        all: req.all,
        every_update: false,
    };
    let page = req.page;
    let list = link_views::findings(engine, &filter, page)?
        .ok_or_else(|| no_story_param(req.story.as_deref()))?;
    let (count, total) = (list.findings.len(), list.total);
    Ok(Paged::new(list, page, count, total))
}

/// Schema tag of `GET /api/stories/{id}`.
pub(crate) const STORY_SCHEMA: &str = "storyline.story/1";

/// `storyline.story/1`: one story summary with its schema tag.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Story)]
pub(crate) struct StoryView {
    pub schema: &'static str,
    #[serde(flatten)]
    pub story: StorySummary,
}

fn no_story(id: &str) -> ApiError {
    ApiError::not_found(format!(
        "no story {:?} in this store; list the stories with /api/stories",
        params::clip(id)
    ))
}

/// One page of stories.
pub(crate) fn story_page(engine: &Engine, page: Page) -> Result<Paged<StoryList>, ApiError> {
    let list = link_views::stories(engine, page)?;
    let (count, total) = (list.stories.len(), list.total);
    Ok(Paged::new(list, page, count, total))
}

/// One page of storylines.
pub(crate) fn storyline_page(
    engine: &Engine,
    page: Page,
) -> Result<Paged<StorylineList>, ApiError> {
    let list = link_views::storylines(engine, page)?;
    let (count, total) = (list.storylines.len(), list.total);
    Ok(Paged::new(list, page, count, total))
}

/// The story with this id (`s3` or `3`), or a 404 naming it; a malformed
/// id names no story, so it is a 404 too.
pub(crate) fn find_story(engine: &Engine, id: &str) -> Result<StorySummary, ApiError> {
    link_views::story(engine, id)?.ok_or_else(|| no_story(id))
}

/// The timeline of the story with this id, or a 404 naming it.
pub(crate) fn find_timeline(
    engine: &Engine,
    id: &str,
    size: TimelineSize,
) -> Result<TimelineView, ApiError> {
    link_views::timeline(engine, id, size.dates, size.sentences)?.ok_or_else(|| no_story(id))
}

/// `GET /api/stories`.
#[utoipa::path(
    get,
    path = "/api/stories",
    tag = "links",
    operation_id = "listStories",
    summary = "Stories (clusters of articles about one development), largest first",
    params(crate::openapi::params::LinkPage),
    responses(
        (status = 200, description = "`storyline.stories/1`, one page of it.", body = Paged<StoryList>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn stories(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Paged<StoryList>>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::STORY_PARAMS)?;
    let page = p.link_page()?;
    let list = blocking(&state, move |engine| story_page(engine, page)).await?;
    Ok(Json(list))
}

/// `GET /api/storylines`.
#[utoipa::path(
    get,
    path = "/api/storylines",
    tag = "links",
    operation_id = "listStorylines",
    summary = "Storylines (the long-running situations stories are developments of), largest first, each with its stories",
    params(crate::openapi::params::LinkPage),
    responses(
        (status = 200, description = "`storyline.storylines/1`, one page of it.", body = Paged<StorylineList>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn storylines(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Paged<StorylineList>>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::STORY_PARAMS)?;
    let page = p.link_page()?;
    let list = blocking(&state, move |engine| storyline_page(engine, page)).await?;
    Ok(Json(list))
}

/// `GET /api/stories/{id}`.
#[utoipa::path(
    get,
    path = "/api/stories/{id}",
    tag = "links",
    operation_id = "getStory",
    summary = "One story: its label, dates, outlets, key actors and articles",
    description = "Its timeline is at `/api/stories/{id}/timeline`.",
    params(crate::openapi::params::StoryIdPath),
    responses(
        (status = 200, description = "`storyline.story/1`.", body = StoryView),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn story(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<StoryView>, ApiError> {
    let story = blocking(&state, move |engine| find_story(engine, &id)).await?;
    Ok(Json(StoryView {
        schema: STORY_SCHEMA,
        story,
    }))
}

/// `GET /api/stories/{id}/timeline`.
#[utoipa::path(
    get,
    path = "/api/stories/{id}/timeline",
    tag = "links",
    operation_id = "getStoryTimeline",
    summary = "A story's timeline: its most important dates in date order, each with sourced sentences",
    params(crate::openapi::params::StoryIdPath, crate::openapi::params::TimelineQuery),
    responses(
        (status = 200, description = "`storyline.timeline/1`.", body = TimelineView),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn timeline(
    State(state): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<TimelineView>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::TIMELINE_PARAMS)?;
    let size = p.timeline_size()?;
    let view = blocking(&state, move |engine| find_timeline(engine, &id, size)).await?;
    Ok(Json(view))
}

/// A story's briefing, or 404.
pub(crate) fn find_briefing(engine: &Engine, id: &str) -> Result<Briefing, ApiError> {
    storyline_engine::brief::briefing(engine, id)?.ok_or_else(|| no_story(id))
}

/// `GET /api/stories/{id}/brief`.
#[utoipa::path(
    get,
    path = "/api/stories/{id}/brief",
    tag = "links",
    operation_id = "getStoryBrief",
    summary = "A storyline's (`l1`) or story's briefing: a summary first, then timeline, actors with roles, figures per quantity with series per claimant, positions, quotes by speaker, contested claims, coverage, what is not known and the cited articles",
    params(crate::openapi::params::StoryIdPath),
    responses(
        (status = 200, description = "`storyline.brief/2`.", body = Briefing),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn brief(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Briefing>, ApiError> {
    let b = blocking(&state, move |engine| find_briefing(engine, &id)).await?;
    Ok(Json(b))
}

/// `GET /api/entities`.
#[utoipa::path(
    get,
    path = "/api/entities",
    tag = "links",
    operation_id = "listEntities",
    summary = "Canonical entities across articles, most widely reported first",
    params(crate::openapi::params::EntityQuery),
    responses(
        (status = 200, description = "`storyline.entities/1`, one page of it.", body = Paged<EntityList>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn entities(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Paged<EntityList>>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::ENTITY_PARAMS)?;
    let kind = p.choice("kind", params::ACTOR_KINDS)?;
    let name = p.name_query("q")?;
    let page = p.link_page()?;
    let list = blocking(&state, move |engine| {
        entity_page(engine, kind, name.as_deref(), page)
    })
    .await?;
    Ok(Json(list))
}

/// `GET /api/entities/{id}`.
#[utoipa::path(
    get,
    path = "/api/entities/{id}",
    tag = "links",
    operation_id = "getEntity",
    summary = "One entity: its names, roles with dates, and counts",
    description = "The claims naming it are listed by `/api/claims?entity={id}`.",
    params(crate::openapi::params::EntityIdPath),
    responses(
        (status = 200, description = "`storyline.entity/1`.", body = EntityView),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<EntityView>, ApiError> {
    let id = params::entity_id(None, &id)?;
    let entity = blocking(&state, move |engine| find_entity(engine, &id)).await?;
    Ok(Json(EntityView {
        schema: ENTITY_SCHEMA,
        entity,
    }))
}

/// `GET /api/claims`.
#[utoipa::path(
    get,
    path = "/api/claims",
    tag = "links",
    operation_id = "listClaims",
    summary = "Claims read from the articles, by the day they are about",
    params(crate::openapi::params::ClaimQuery),
    responses(
        (status = 200, description = "`storyline.claims/1`, one page of it.", body = Paged<ClaimList>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn claims(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Paged<ClaimList>>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::CLAIM_PARAMS)?;
    let req = claims_request(&p)?;
    let list = blocking(&state, move |engine| claim_page(engine, &req)).await?;
    Ok(Json(list))
}

/// `GET /api/figures`: the figure claims, as `/api/claims?kind=figure`.
#[utoipa::path(
    get,
    path = "/api/figures",
    tag = "links",
    operation_id = "listFigures",
    summary = "Figure claims (tolls, counts, amounts) with claimant, as-of day and evidence: `/api/claims?kind=figure`",
    params(crate::openapi::params::FigureQuery),
    responses(
        (status = 200, description = "`storyline.claims/1`, one page of it.", body = Paged<ClaimList>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn figures(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Paged<ClaimList>>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::FIGURE_PARAMS)?;
    let mut req = claims_request(&p)?;
    req.filter.kind = Some(storyline_link::claims::ClaimKind::Figure);
    let list = blocking(&state, move |engine| claim_page(engine, &req)).await?;
    Ok(Json(list))
}

/// `GET /api/quotes`.
#[utoipa::path(
    get,
    path = "/api/quotes",
    tag = "links",
    operation_id = "listQuotes",
    summary = "Quotes and attributed statements with speaker, cue and offsets: of one article, one story, or the latest 1,000 articles",
    params(crate::openapi::params::QuoteQuery),
    responses(
        (status = 200, description = "`storyline.quotes/1`, one page of it.", body = Paged<link_views::QuoteList>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn quotes(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Paged<link_views::QuoteList>>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::QUOTE_PARAMS)?;
    let page = p.link_page()?;
    let article = article_param(&p)?;
    let story = p.text("story");
    // A name to look for, as `q` of `/api/entities`: bounded, plain text.
    let speaker = p.name_query("speaker")?;
    let list = blocking(&state, move |engine| {
        let filter = link_views::QuoteFilter {
            article: resolve_article(engine, article.as_deref())?,
            story: story.clone(),
            speaker,
        };
        let list = link_views::quotes(engine, &filter, page)?
            .ok_or_else(|| no_story_param(story.as_deref()))?;
        let (count, total) = (list.quotes.len(), list.total);
        Ok(Paged::new(list, page, count, total))
    })
    .await?;
    Ok(Json(list))
}

/// `GET /api/findings`.
#[utoipa::path(
    get,
    path = "/api/findings",
    tag = "links",
    operation_id = "listFindings",
    summary = "What sources say about each other: contradictions, revisions, inconsistencies, updates, then agreements, surest first; only those at or above the default confidence unless `all=true`; of the whole store, one story or one article",
    params(crate::openapi::params::FindingQuery),
    responses(
        (status = 200, description = "`storyline.findings/1`, one page of it.", body = Paged<FindingList>),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn findings(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Paged<FindingList>>, ApiError> {
    let req = findings_request(&query_params(q)?)?;
    let list = blocking(&state, move |engine| finding_page(engine, &req)).await?;
    Ok(Json(list))
}

/// `GET /api/stances`.
#[utoipa::path(
    get,
    path = "/api/stances",
    tag = "links",
    operation_id = "stances",
    summary = "The actor × issue table: who stands where, with every statement and its evidence",
    responses(
        (status = 200, description = "`storyline.stances/1`.", body = StanceTable),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn stances(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<StanceTable>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::NO_PARAMS)?;
    let table = blocking(&state, |engine| Ok(link_views::stances(engine)?)).await?;
    Ok(Json(table))
}

/// Checks `text` (already validated) against the store.
pub(crate) async fn run_check(state: &AppState, text: String) -> Result<CheckResult, ApiError> {
    blocking(state, move |engine| Ok(link_views::check(engine, &text)?)).await
}

/// `GET /api/check?claim=...`.
#[utoipa::path(
    get,
    path = "/api/check",
    tag = "links",
    operation_id = "checkClaim",
    summary = "Evidence for and against a statement",
    description = "The statement is read like an article sentence (figures, stances, events); each claim read from it is compared with the stored claims about the same thing. Articles matching its words are listed too, for statements the engine cannot compare.",
    params(crate::openapi::params::CheckQuery),
    responses(
        (status = 200, description = "`storyline.check/1`.", body = CheckResult),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn check_get(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<CheckResult>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::CHECK_PARAMS)?;
    let text = params::claim_text(p.raw("claim"))?;
    Ok(Json(run_check(&state, text).await?))
}

/// The body of `POST /api/check`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CheckRequest {
    #[schema(schema_with = crate::openapi::params::claim_schema)]
    claim: String,
}

/// Largest body `POST /api/check` reads; a claim is at most
/// [`params::MAX_CLAIM_CHARS`] characters, so this leaves room for JSON
/// escapes and nothing more.
pub(crate) const MAX_CHECK_BODY: usize = 64 * 1024;

/// `POST /api/check` with `{"claim": "..."}`.
#[utoipa::path(
    post,
    path = "/api/check",
    tag = "links",
    operation_id = "checkClaimPost",
    summary = "Evidence for and against a statement (the statement in a JSON body)",
    description = "As `GET /api/check`, for statements too long or too private for a URL. The body is at most 64 KiB (413 beyond).",
    request_body(content((CheckRequest = "application/json", example = json!({"claim": "Aid groups called for a ceasefire"})))),
    responses(
        (status = 200, description = "`storyline.check/1`.", body = CheckResult),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 413, response = crate::openapi::ErrorResponse),
        (status = 415, response = crate::openapi::ErrorResponse),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn check_post(
    State(state): State<AppState>,
    body: Result<Json<CheckRequest>, JsonRejection>,
) -> Result<Json<CheckResult>, ApiError> {
    let Json(req) = body.map_err(check_body_error)?;
    let text = params::claim_text(Some(&req.claim))?;
    Ok(Json(run_check(&state, text).await?))
}

/// The JSON error for a `POST /api/check` body axum could not read.
fn check_body_error(e: JsonRejection) -> ApiError {
    let shape = r#"send {"claim": "the statement to check"}"#;
    match e {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("the body must be JSON with Content-Type application/json; {shape}"),
        ),
        JsonRejection::JsonSyntaxError(e) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            format!("the body is not valid JSON ({}); {shape}", e.body_text()),
        ),
        JsonRejection::JsonDataError(e) => ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!(
                "the JSON body has the wrong shape ({}); {shape}",
                e.body_text()
            ),
        ),
        JsonRejection::BytesRejection(e) => {
            let status = e.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    status,
                    "payload_too_large",
                    format!(
                        "the body is larger than {} KiB; a claim is at most {} characters",
                        MAX_CHECK_BODY / 1024,
                        params::MAX_CLAIM_CHARS
                    ),
                )
            } else {
                ApiError::new(
                    status,
                    "bad_request",
                    format!("the body could not be read ({}); {shape}", e.body_text()),
                )
            }
        }
        other => ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_request",
            format!(
                "the body could not be read ({}); {shape}",
                other.body_text()
            ),
        ),
    }
}
