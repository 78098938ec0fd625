//! JSON handlers: the same documents as the CLI's `--json` (`docs/json.md`),
//! plus paging fields on listings.

use std::ops::Range;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Serialize;
use storyline_core::{Article, DateProvenance, Timestamp};
use storyline_engine::views::{ArticleDetail, ArticleList, ArticleSummary};
use storyline_engine::Engine;
use storyline_store::{ArticleFilter, SearchHit, SearchQuery, StoreStats};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::params::{self, IdRef, Params};
use crate::{blocking, AppState};

/// Schema tag of `GET /api/search` (as `storyline search --json`).
pub(crate) const SEARCH_SCHEMA: &str = "storyline.search/1";
/// Schema tag of `GET /api/stats` (as `storyline stats --json`).
pub(crate) const STATS_SCHEMA: &str = "storyline.stats/1";

/// `storyline.articles/1` with paging: `offset`, `limit`, `next_offset`
/// (null on the last page), and `total` when it is cheap (no filter).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ArticlePage {
    #[serde(flatten)]
    pub list: ArticleList,
    /// Articles skipped before this page.
    pub offset: usize,
    /// The page size asked for.
    pub limit: usize,
    /// The offset of the next page; null on the last page.
    pub next_offset: Option<usize>,
    /// Articles in the store; present only when no filter is given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub total: Option<u64>,
}

/// One page of articles for `filter` (whose `limit` is set): one more is
/// read to know whether a next page exists.
pub(crate) fn article_page(
    engine: &Engine,
    filter: &ArticleFilter,
) -> Result<ArticlePage, ApiError> {
    let limit = filter.limit.unwrap_or(params::DEFAULT_LIMIT);
    let probe = ArticleFilter {
        limit: Some(limit + 1),
        ..filter.clone()
    };
    let mut found = engine.store().articles(&probe)?;
    let more = found.len() > limit;
    found.truncate(limit);
    let unfiltered = filter.source.is_none()
        && filter.since.is_none()
        && filter.until.is_none()
        && filter.provenance.is_none();
    let total = if unfiltered {
        Some(engine.store().stats()?.articles)
    } else {
        None
    };
    Ok(ArticlePage {
        list: ArticleList::new(found.iter().map(ArticleSummary::from).collect()),
        offset: filter.offset,
        limit,
        next_offset: more.then_some(filter.offset + limit),
        total,
    })
}

/// The query pairs of an API request, or a 400 naming what could not be
/// decoded or which parameter is empty or blank. The API refuses
/// `?limit=` rather than read it as absent: a program that sends an empty
/// value has lost one. The OpenAPI document says so (its API strings have
/// `minLength: 1` and a non-space character); the web pages take blanks
/// as absent, since HTML forms send their empty fields ([`form_params`];
/// their parameters accept `#/components/schemas/Blank`).
pub(crate) fn query_params(
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Params, ApiError> {
    let p = form_params(q)?;
    p.refuse_empty()?;
    Ok(p)
}

/// The raw query pairs, blanks included, or a 400 naming what could not
/// be decoded.
pub(crate) fn form_params(
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Params, ApiError> {
    match q {
        Ok(Query(pairs)) => Ok(Params::new(pairs)),
        Err(e) => Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "invalid_query",
            format!("the query string cannot be decoded ({e}); percent-encode parameter values"),
        )),
    }
}

/// `GET /api/articles`.
#[utoipa::path(
    get,
    path = "/api/articles",
    tag = "articles",
    operation_id = "listArticles",
    summary = "List articles, by published date (undated last), then ingest order",
    params(crate::openapi::params::ArticleQuery),
    responses(
        (status = 200, description = "`storyline.articles/1`, one page of it.", body = ArticlePage),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn articles(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<ArticlePage>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::ARTICLE_PARAMS)?;
    let filter = params::article_filter(&p)?;
    let page = blocking(&state, move |engine| article_page(engine, &filter)).await?;
    Ok(Json(page))
}

/// Finds the article a URL names: a full id or a unique prefix.
pub(crate) fn find_article(engine: &Engine, text: &str) -> Result<Article, ApiError> {
    let id = match params::parse_id(text)? {
        IdRef::Full(id) => id,
        IdRef::Prefix(prefix) => {
            let mut ids = engine.store().resolve_id_prefix(&prefix)?;
            match ids.len() {
                0 => {
                    return Err(ApiError::not_found(format!(
                        "no article id starts with {prefix}; list the articles with /api/articles"
                    )))
                }
                1 => ids.remove(0),
                n => {
                    return Err(ApiError::new(
                        axum::http::StatusCode::BAD_REQUEST,
                        "ambiguous_id",
                        format!("{n} article ids start with {prefix}; give more digits"),
                    ))
                }
            }
        }
    };
    engine.store().article(&id)?.ok_or_else(|| {
        ApiError::not_found(format!(
            "no article {id} in this store; list the articles with /api/articles"
        ))
    })
}

/// `GET /api/articles/{id}`.
#[utoipa::path(
    get,
    path = "/api/articles/{id}",
    tag = "articles",
    operation_id = "getArticle",
    summary = "One article with its text and the provenance of its metadata",
    params(crate::openapi::params::ArticleIdPath),
    responses(
        (status = 200, description = "`storyline.article/1`.", body = ArticleDetail),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 404, response = crate::openapi::NotFound),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn article(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ArticleDetail>, ApiError> {
    let article = blocking(&state, move |engine| find_article(engine, &id)).await?;
    Ok(Json(ArticleDetail::from(&article)))
}

/// One hit of `storyline.search/1`: the CLI's fields plus `highlights`,
/// byte ranges in `snippet` of the matched terms (markers excluded).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Hit)]
pub(crate) struct HitView {
    /// The article's id (see /api/articles/{id}).
    pub id: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub published: Option<Timestamp>,
    /// Relevance; higher is better. Only comparable within one result list.
    pub score: f32,
    /// About 200 characters around the best match, matched terms wrapped
    /// in « ». Untrusted text: escape it before showing it as HTML.
    pub snippet: String,
    /// Byte ranges in `snippet` of the matched terms, markers excluded.
    #[schema(value_type = Vec<storyline_store::SnippetRange>)]
    pub highlights: Vec<Range<usize>>,
}

impl From<&SearchHit> for HitView {
    fn from(h: &SearchHit) -> Self {
        HitView {
            id: h.id.to_string(),
            title: h.title.clone(),
            source: h.source.clone(),
            published: h.published,
            score: h.score,
            snippet: h.snippet.clone(),
            highlights: h.highlights.clone(),
        }
    }
}

/// `storyline.search/1`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SearchResult)]
pub(crate) struct SearchView {
    pub schema: &'static str,
    pub query: String,
    /// Hits on this page.
    pub count: usize,
    /// Articles matching in all (every page).
    pub total: u64,
    pub offset: usize,
    pub limit: usize,
    /// The offset of the next page, when there is one.
    pub next_offset: Option<usize>,
    pub hits: Vec<HitView>,
}

impl SearchView {
    /// The page of `hits` for `query`, out of `total`.
    pub(crate) fn new(query: SearchQuery, total: u64, hits: &[SearchHit]) -> SearchView {
        let end = query.offset.saturating_add(hits.len());
        SearchView {
            schema: SEARCH_SCHEMA,
            count: hits.len(),
            total,
            offset: query.offset,
            limit: query.limit,
            next_offset: ((end as u64) < total && end < storyline_store::MAX_SEARCH_OFFSET)
                .then_some(end)
                .filter(|_| !hits.is_empty()),
            hits: hits.iter().map(HitView::from).collect(),
            query: query.text,
        }
    }
}

/// `GET /api/search`.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    operation_id = "search",
    summary = "Full-text search over titles and texts, best first",
    description = "Words are matched stemmed and case-insensitively; `\"double quotes\"` match a phrase, a leading `-` excludes, `AND`/`OR`/`NOT` in capitals are operators. A query with no words matches nothing.",
    params(crate::openapi::params::SearchQuery),
    responses(
        (status = 200, description = "`storyline.search/1`.", body = SearchView),
        (status = 400, response = crate::openapi::BadRequest),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn search(
    State(state): State<AppState>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<SearchView>, ApiError> {
    let p = query_params(q)?;
    p.check_known(params::SEARCH_PARAMS)?;
    let Some(query) = params::search_query(&p)? else {
        return Err(ApiError::parameter(
            "q",
            "`q` is missing or blank; give the words to search for, e.g. ?q=ceasefire",
        ));
    };
    let view = blocking(&state, move |engine| {
        let hits = engine.store().search(&query)?;
        let total = engine.store().search_count(&query)?;
        Ok(SearchView::new(query, total, &hits))
    })
    .await?;
    Ok(Json(view))
}

/// `storyline.stats/1`, field for field as `storyline stats --json`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Stats)]
pub(crate) struct StatsView {
    pub schema: &'static str,
    pub articles: u64,
    pub duplicates: u64,
    pub duplicate_groups_with_copies: u64,
    pub sources: Vec<SourceCount>,
    #[schema(value_type = BTreeMap<String, u64>)]
    pub by_provenance: serde_json::Map<String, serde_json::Value>,
    pub earliest: Option<Timestamp>,
    pub latest: Option<Timestamp>,
    pub schema_version: u32,
    pub index_documents: u64,
    pub ingest_runs: u64,
    pub problems_recorded: u64,
}

/// One source and its article count.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SourceCount {
    pub source: String,
    pub articles: u64,
}

impl From<&StoreStats> for StatsView {
    fn from(s: &StoreStats) -> Self {
        StatsView {
            schema: STATS_SCHEMA,
            articles: s.articles,
            duplicates: s.duplicates,
            duplicate_groups_with_copies: s.duplicate_groups_with_copies,
            sources: s
                .sources
                .iter()
                .map(|(source, n)| SourceCount {
                    source: source.clone(),
                    articles: *n,
                })
                .collect(),
            by_provenance: s
                .by_provenance
                .iter()
                .map(|(p, n)| (p.as_str().to_string(), serde_json::json!(n)))
                .collect(),
            earliest: s.earliest,
            latest: s.latest,
            schema_version: s.schema_version,
            index_documents: s.index_documents,
            ingest_runs: s.ingest_runs,
            problems_recorded: s.problems_recorded,
        }
    }
}

/// `GET /api/stats`.
#[utoipa::path(
    get,
    path = "/api/stats",
    tag = "store",
    operation_id = "stats",
    summary = "Counts describing the store",
    responses(
        (status = 200, description = "`storyline.stats/1`.", body = StatsView),
        (status = 503, response = crate::openapi::Overloaded),
    ),
)]
pub(crate) async fn stats(State(state): State<AppState>) -> Result<Json<StatsView>, ApiError> {
    let s = blocking(&state, |engine| Ok(engine.store().stats()?)).await?;
    Ok(Json(StatsView::from(&s)))
}

/// Articles without a date, from the stats.
pub(crate) fn undated(s: &StoreStats) -> u64 {
    s.by_provenance
        .iter()
        .find(|(p, _)| *p == DateProvenance::Unknown)
        .map(|(_, n)| *n)
        .unwrap_or(0)
}
