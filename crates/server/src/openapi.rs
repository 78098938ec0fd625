//! The OpenAPI 3.1 document, generated from the code by `utoipa`.
//!
//! Each JSON handler carries its operation (`#[utoipa::path]`: summary,
//! parameters, answers); the documents' schemas are derived from the very
//! types the handlers serialise (`ToSchema`, behind the `openapi` feature
//! of the crates that define them, so serde's renames, flattening and
//! skipped fields are read from the same attributes serde obeys); the
//! parameters are built from the limits `params.rs` checks
//! ([`params`]). The web pages answer HTML and are described in
//! [`pages`]. Tests check that the paths and methods are exactly
//! [`crate::routes`], call every operation with the documented examples,
//! and validate each answer's status and body against the document.

mod pages;
pub(crate) mod params;

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use storyline_engine::brief::BRIEF_SCHEMA;
use storyline_engine::link_views::{
    CHECK_SCHEMA, CLAIMS_SCHEMA, ENTITIES_SCHEMA, FINDINGS_SCHEMA, QUOTES_SCHEMA, STANCES_SCHEMA,
    STORIES_SCHEMA, STORYLINES_SCHEMA, TIMELINE_SCHEMA,
};
use storyline_engine::views::{ARTICLES_SCHEMA, ARTICLE_SCHEMA};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{OpenApi as Document, Ref, RefOr};
use utoipa::{Modify, OpenApi, PartialSchema, ToResponse, ToSchema};

use crate::api::{SEARCH_SCHEMA, STATS_SCHEMA};
use crate::error::ErrorBody;
use crate::ingest::IngestAnswer;
use crate::jobs::JOB_SCHEMA;
use crate::links::{ENTITY_SCHEMA, STORY_SCHEMA};

/// What the document says before any path.
const DESCRIPTION: &str = "The JSON API of a storyline store. Every document has the same shape as the CLI's `--json` output (see docs/json.md) and carries a `schema` tag that changes only on a breaking change; new fields may appear at any time. An API parameter given with an empty or blank value (`?limit=`) is a 400 (`invalid_parameter`), not read as absent: leave the parameter out instead. The web pages (tag `ui`) take an empty or blank value as absent, since HTML forms send their blank fields. Every error is `{\"error\": {\"code\", \"message\"}}` with a message that says what was wrong and what to do. Dates are ISO 8601 as precise as the source gave them (`2023-11-09`, `2023-11-09T14:03:00Z`); unknown values are null, never guessed.";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "storyline",
        description = DESCRIPTION,
        license(name = "MIT OR Apache-2.0", identifier = "MIT OR Apache-2.0"),
    ),
    tags(
        (name = "articles", description = "Stored articles with their metadata and its provenance."),
        (name = "search", description = "Full-text search."),
        (name = "store", description = "The store as a whole, and adding to it."),
        (name = "links", description = "Cross-document views: stories with their timelines, canonical entities, the claims read from articles, findings between claims of independent reports, the actor × issue stance table, and checking a claim against them. Each claim carries its evidence: the sentence, the article id, the outlet and the published day."),
        (name = "ui", description = "Pages of the web UI (HTML)."),
    ),
    paths(
        crate::api::articles,
        crate::api::article,
        crate::api::search,
        crate::api::stats,
        crate::ingest::ingest,
        crate::ingest::job,
        crate::links::stories,
        crate::links::storylines,
        crate::links::story,
        crate::links::timeline,
        crate::links::brief,
        crate::links::entities,
        crate::links::entity,
        crate::links::claims,
        crate::links::figures,
        crate::links::quotes,
        crate::links::findings,
        crate::links::stances,
        crate::links::check_get,
        crate::links::check_post,
        serve,
        pages::home,
        pages::articles,
        pages::article,
        pages::search,
        pages::stories,
        pages::storylines,
        pages::story,
        pages::brief,
        pages::entities,
        pages::entity,
        pages::claims,
        pages::findings,
        pages::stances,
        pages::check,
        pages::stylesheet,
    ),
    components(
        schemas(
            Blank,
            ErrorBody,
            storyline_core::DateProvenance,
            storyline_link::actors::ActorKind,
            storyline_link::claims::ClaimKind,
            storyline_link::findings::FindingKind,
        ),
        responses(BadRequest, NotFound, ErrorResponse, Page, Unauthorized, Forbidden, Overloaded),
    ),
    modifiers(&Finish),
)]
struct ApiDoc;

static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    // Serialising a document of strings and maps cannot fail; an empty
    // object would fail the tests that read it.
    let Ok(mut doc) = serde_json::to_value(ApiDoc::openapi()) else {
        return "{}".to_string();
    };
    add_what_utoipa_cannot_hold(&mut doc);
    doc.to_string()
});

/// Two facts of OpenAPI 3.1 that utoipa's model has no field for: the
/// document's one-line `info.summary`, and that every `503` carries
/// `Retry-After` (`required` on the header). And the descriptions, which
/// are doc comments, read without rustdoc's link syntax.
fn add_what_utoipa_cannot_hold(doc: &mut serde_json::Value) {
    plain_descriptions(doc);
    name_pages(doc);
    if let Some(info) = doc.get_mut("info").and_then(|i| i.as_object_mut()) {
        info.insert(
            "summary".into(),
            "A sourced, cross-checked account of news stories.".into(),
        );
    }
    if let Some(header) = doc
        .pointer_mut("/components/responses/Overloaded/headers/Retry-After")
        .and_then(|h| h.as_object_mut())
    {
        header.insert("required".into(), true.into());
    }
}

/// The OpenAPI 3.1 document describing every route, as JSON text.
pub fn openapi_document() -> &'static str {
    DOCUMENT.as_str()
}

/// `GET /openapi.json`.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "store",
    operation_id = "openapi",
    summary = "This document",
    responses(
        (status = 200, description = "OpenAPI 3.1.", body = Object),
        (status = 503, response = Overloaded),
    ),
)]
pub(crate) async fn serve() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi_document(),
    )
        .into_response()
}

/// An empty or blank value: on a web page, the same as leaving the
/// parameter out (HTML forms send their empty fields).
pub(crate) struct Blank;

impl PartialSchema for Blank {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^\s*$"))
            .description(Some(
                "An empty or blank value: on a web page, the same as leaving the parameter out (HTML forms send their empty fields).",
            ))
            .into()
    }
}

impl ToSchema for Blank {}

/// One article to ingest. Only `text` is needed; common aliases are
/// accepted (`body`, `content`, `headline`, `published`, `authors`,
/// `language`, ...).
// The ingest reader takes any JSON object and looks for these names
// (`storyline_ingest`'s JSON reader), so this type exists only to
// describe it.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct ArticleInput {
    #[schema(nullable = false)]
    title: Option<String>,
    text: String,
    /// Published date, ISO 8601 or RFC 2822.
    #[schema(nullable = false)]
    date: Option<String>,
    #[schema(nullable = false)]
    url: Option<String>,
    #[schema(nullable = false)]
    source: Option<String>,
    #[schema(nullable = false, inline)]
    author: Option<Authors>,
    #[schema(nullable = false)]
    lang: Option<String>,
}

/// One author or several.
#[derive(ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum Authors {
    One(String),
    Many(Vec<String>),
}

/// A JSON body of `POST /api/ingest`: one article or an array of them.
#[derive(ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(crate) enum IngestBody {
    One(ArticleInput),
    Many(Vec<ArticleInput>),
}

/// `422` of `POST /api/ingest`: the error, with the summary listing every
/// problem.
// Built as an `ApiError` `with_extra("summary", ..)`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(crate) struct IngestFailure {
    #[serde(flatten)]
    error: ErrorBody<'static>,
    summary: storyline_engine::IngestSummary,
}

/// The body a finished job answers with: the ingest answer, or the error
/// (an `IngestFailure`, with `summary`, when nothing could be ingested).
#[derive(ToSchema)]
#[serde(untagged)]
// Never built: only its schema is used.
#[allow(dead_code, clippy::large_enum_variant)]
pub(crate) enum JobAnswer {
    Ingested(IngestAnswer),
    Failed(ErrorBody<'static>),
}

/// An answer whose body is the `Error` schema.
fn error_response(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(ErrorBody::name())))
            .build(),
    )
}

fn html() -> ContentBuilder {
    ContentBuilder::new().schema(Some(ObjectBuilder::new().schema_type(Type::String)))
}

/// Declares shared answers, referred to as `#/components/responses/NAME`
/// (the type's name, or the one given after `as`).
macro_rules! responses {
    ($($(#[$doc:meta])* $name:ident $(as $public:literal)? => $build:expr;)*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<utoipa::openapi::Response>) {
                let name = [$($public,)? stringify!($name)][0];
                (name, $build.build().into())
            }
        }
    )*};
}

responses! {
    /// `400` of the API.
    BadRequest => error_response(
        "A parameter or the body is invalid; `error.parameter` names the parameter at fault.",
    );
    /// `404` of the API.
    NotFound => error_response("No such article, entity, story or job.");
    /// Any other error of the API. (`Error` is also the body's schema,
    /// and a type of that name would shadow `std`'s in this module.)
    ErrorResponse as "Error" => error_response("An error.");
    /// Any answer of a web page.
    Page => ResponseBuilder::new()
        .description("An HTML page.")
        .content("text/html", html().build());
    /// `401` of ingest.
    Unauthorized => error_response(
        "Ingest needs the server's token: `unauthorized` (no bearer token) or `invalid_token` (another one). `WWW-Authenticate: Bearer` says so too.",
    )
    .header(
        "WWW-Authenticate",
        HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::String))
            .build(),
    );
    /// `403` of ingest.
    Forbidden => error_response(
        "`ingest_disabled`: this server was started without an ingest token.",
    );
    /// `503` of every route (`limits.rs`).
    Overloaded => error_response(
        "`overloaded`: every turn of this route's class is taken and its queue is full or waited too long (cheap reads, expensive reads and ingest each have their own), or the store is busy (`store_busy`). `Retry-After` says when to try again. A page is answered as HTML.",
    )
    .header(
        "Retry-After",
        HeaderBuilder::new()
            .description(Some("Seconds to wait."))
            .schema(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1)),
            )
            .build(),
    )
    .content("text/html", html().build());
}

/// What the derives cannot say: the schema tags' values, which fields are
/// always present, and the ingest token's scheme.
struct Finish;

impl Modify for Finish {
    fn modify(&self, doc: &mut Document) {
        let Some(components) = doc.components.as_mut() else {
            return;
        };
        components.add_security_scheme(
            "ingestToken",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token `storyline serve` was given (`--ingest-token` or `STORYLINE_INGEST_TOKEN`). Not needed when ingest was opened with `--allow-ingest` on loopback.",
                    ))
                    .build(),
            ),
        );
        for (name, tag) in SCHEMA_TAGS {
            // A generic listing (`Paged<StoryList>`) holds its own copy of
            // the document it pages, under a composed name.
            for name in [name.to_string(), format!("Paged_{name}")] {
                if let Some(schema) = components.schemas.get_mut(&name) {
                    set_tag(schema, tag);
                }
            }
        }
        for schema in components.schemas.values_mut() {
            require_nullable(schema);
        }
    }
}

/// The `schema` tag each document carries, by the schema that holds the
/// field: a `&'static str` to serde, one fixed value to a client.
const SCHEMA_TAGS: &[(&str, &str)] = &[
    ("ArticleList", ARTICLES_SCHEMA),
    ("ArticleDetail", ARTICLE_SCHEMA),
    ("SearchResult", SEARCH_SCHEMA),
    ("Stats", STATS_SCHEMA),
    ("Job", JOB_SCHEMA),
    ("StoryList", STORIES_SCHEMA),
    ("Story", STORY_SCHEMA),
    ("StorylineList", STORYLINES_SCHEMA),
    ("Timeline", TIMELINE_SCHEMA),
    ("Briefing", BRIEF_SCHEMA),
    ("EntityList", ENTITIES_SCHEMA),
    ("Entity", ENTITY_SCHEMA),
    ("ClaimList", CLAIMS_SCHEMA),
    ("QuoteList", QUOTES_SCHEMA),
    ("FindingList", FINDINGS_SCHEMA),
    ("StanceTable", STANCES_SCHEMA),
    ("CheckResult", CHECK_SCHEMA),
];

/// Gives the `schema` property of `schema` (or of the parts of its
/// `allOf`, where serde flattens) its one value.
fn set_tag(schema: &mut RefOr<Schema>, tag: &str) {
    match schema {
        RefOr::T(Schema::Object(o)) => {
            if let Some(RefOr::T(Schema::Object(field))) = o.properties.get_mut("schema") {
                field.enum_values = Some(vec![tag.into()]);
                // The doc comment names the Rust constant; the value says it.
                field.description = None;
            }
        }
        RefOr::T(Schema::AllOf(all)) => all.items.iter_mut().for_each(|s| set_tag(s, tag)),
        _ => {}
    }
}

/// utoipa leaves every `Option` field out of `required`, but serde writes
/// `None` as `null` unless the field is skipped when empty: so a property
/// that may be null is always present. The fields serde skips are marked
/// `nullable = false` where they are declared, and stay optional.
fn require_nullable(schema: &mut RefOr<Schema>) {
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(o) => {
            let nullable: Vec<String> = o
                .properties
                .iter()
                .filter(|(_, p)| may_be_null(p))
                .map(|(name, _)| name.clone())
                .collect();
            for name in nullable {
                if !o.required.contains(&name) {
                    o.required.push(name);
                }
            }
            for p in o.properties.values_mut() {
                require_nullable(p);
            }
        }
        Schema::AllOf(all) => all.items.iter_mut().for_each(require_nullable),
        Schema::OneOf(one) => one.items.iter_mut().for_each(require_nullable),
        Schema::AnyOf(any) => any.items.iter_mut().for_each(require_nullable),
        Schema::Array(a) => {
            if let utoipa::openapi::schema::ArrayItems::RefOrSchema(items) = &mut a.items {
                require_nullable(items);
            }
        }
        _ => {}
    }
}

/// Whether a property's schema admits `null`: `type: [..., "null"]`, or a
/// `oneOf` with a `null` branch (how utoipa writes an optional reference).
fn may_be_null(schema: &RefOr<Schema>) -> bool {
    let is_null_type = |t: &utoipa::openapi::schema::SchemaType| match t {
        utoipa::openapi::schema::SchemaType::Type(t) => *t == Type::Null,
        utoipa::openapi::schema::SchemaType::Array(ts) => ts.contains(&Type::Null),
        utoipa::openapi::schema::SchemaType::AnyValue => false,
    };
    match schema {
        RefOr::T(Schema::Object(o)) => is_null_type(&o.schema_type),
        RefOr::T(Schema::Array(a)) => is_null_type(&a.schema_type),
        RefOr::T(Schema::OneOf(one)) => one.items.iter().any(may_be_null),
        _ => false,
    }
}

/// utoipa names a generic schema by its arguments (`Paged_StoryList`);
/// a page of a listing reads better as `StoryPage`, the name the
/// document has always used.
fn name_pages(doc: &mut serde_json::Value) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(|s| s.as_object_mut())
    else {
        return;
    };
    let renames: Vec<(String, String)> = schemas
        .keys()
        .filter_map(|k| {
            let list = k.strip_prefix("Paged_")?;
            let page = format!("{}Page", list.strip_suffix("List").unwrap_or(list));
            Some((k.clone(), page))
        })
        .collect();
    for (from, to) in &renames {
        if let Some(schema) = schemas.remove(from) {
            schemas.insert(to.clone(), schema);
        }
    }
    let refs: Vec<(String, String)> = renames
        .into_iter()
        .map(|(from, to)| {
            (
                format!("#/components/schemas/{from}"),
                format!("#/components/schemas/{to}"),
            )
        })
        .collect();
    rename_refs(doc, &refs);
}

fn rename_refs(v: &mut serde_json::Value, refs: &[(String, String)]) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    serde_json::Value::String(r) if k == "$ref" => {
                        if let Some((_, to)) = refs.iter().find(|(from, _)| from == r) {
                            *r = to.clone();
                        }
                    }
                    _ => rename_refs(v, refs),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, refs)),
        _ => {}
    }
}

/// Every `description` without rustdoc's links: ``[`X`]`` reads as
/// `` `X` ``, and a link's definition line (``[`X`]: crate::X``) goes.
fn plain_descriptions(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    serde_json::Value::String(text) if k == "description" => {
                        *text = without_links(text);
                    }
                    _ => plain_descriptions(v),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(plain_descriptions),
        _ => {}
    }
}

fn without_links(text: &str) -> String {
    text.lines()
        .filter(|l| !(l.trim_start().starts_with("[`") && l.contains("`]: ")))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("[`", "`")
        .replace("`]", "`")
        .trim_end()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_read_without_rustdoc_links() {
        assert_eq!(
            without_links("Wrapped in [`OPEN`] `«`.\n\n[`OPEN`]: crate::OPEN"),
            "Wrapped in `OPEN` `«`."
        );
        assert!(!openapi_document().contains("[`"));
    }

    #[test]
    fn pages_of_listings_have_their_own_names() {
        let doc: serde_json::Value = serde_json::from_str(openapi_document()).unwrap();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for page in [
            "StoryPage",
            "StorylinePage",
            "EntityPage",
            "ClaimPage",
            "QuotePage",
            "FindingPage",
        ] {
            assert!(schemas.contains_key(page), "{page}");
        }
        assert!(!openapi_document().contains("Paged_"));
    }

    #[test]
    fn every_schema_tag_names_a_schema_with_a_tag() {
        let doc: serde_json::Value = serde_json::from_str(openapi_document()).unwrap();
        for (name, tag) in SCHEMA_TAGS {
            let schema = &doc["components"]["schemas"][name];
            // The tag is in the schema itself or in an inline part of its
            // `allOf` (a flattened document).
            let parts = match schema["allOf"].as_array() {
                Some(all) => all.clone(),
                None => vec![schema.clone()],
            };
            assert!(
                parts
                    .iter()
                    .any(|p| p["properties"]["schema"]["enum"] == serde_json::json!([tag])),
                "{name}: {schema}"
            );
        }
    }
}
