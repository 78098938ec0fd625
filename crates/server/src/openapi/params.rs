//! The documented parameters of each route, built from the limits that
//! `params.rs` checks them against, so that the document cannot say 500
//! where the code says 1000.
//!
//! The handlers read their query as raw pairs (to name the parameter at
//! fault, refuse unknown and repeated ones, and tell empty from absent), so
//! there is no typed query struct to derive `IntoParams` on: each set of
//! parameters is a marker type with a hand-built [`IntoParams`] instead.
//! The web pages take the same parameters with blanks allowed:
//! [`OnPage`] turns an API set into the page's.

use std::marker::PhantomData;

use serde_json::json;
use storyline_core::DateProvenance;
use storyline_link::actors::ActorKind;
use storyline_link::claims::ClaimKind;
use storyline_link::findings::FindingKind;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{AnyOfBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{Ref, RefOr, Required, Schema};
use utoipa::{IntoParams, ToSchema};

use crate::params::{
    DEFAULT_LIMIT, DEFAULT_LINK_LIMIT, DEFAULT_SEARCH_LIMIT, DEFAULT_TIMELINE_DATES,
    DEFAULT_TIMELINE_SENTENCES, FLAG_VALUES, MAX_CLAIM_CHARS, MAX_ENTITY_ID_CHARS, MAX_LIMIT,
    MAX_LINK_LIMIT, MAX_NAME_QUERY, MAX_SEARCH_HITS, MAX_TIMELINE_DATES, MAX_TIMELINE_SENTENCES,
    MIN_PREFIX,
};

/// At least one character that is not a space: what the API asks of every
/// string parameter, since it refuses blank values.
const NOT_BLANK: &str = r"\S";
/// Plain text, not blank: no control characters (`char::is_control`), and
/// at least one character that is neither space nor control.
const PLAIN_NOT_BLANK: &str = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$";
/// A claim to check: as [`PLAIN_NOT_BLANK`], but line breaks and tabs are
/// allowed (`params::claim_text`).
const CLAIM_TEXT: &str = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*[^\s\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f][^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$";
/// Longest story id accepted as a filter (`?story=`).
const MAX_STORY_ID_CHARS: usize = 40;

fn article_id_pattern() -> String {
    format!("^[0-9a-fA-F]{{{MIN_PREFIX},16}}$")
}

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

/// A string the API refuses when blank.
fn text() -> ObjectBuilder {
    string().min_length(Some(1)).pattern(Some(NOT_BLANK))
}

/// Plain text without control characters, not blank, at most `max`
/// characters.
fn plain(max: usize) -> ObjectBuilder {
    string()
        .min_length(Some(1))
        .max_length(Some(max))
        .pattern(Some(PLAIN_NOT_BLANK))
}

fn day() -> ObjectBuilder {
    string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
}

fn whole(min: usize, max: usize, default: usize) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(min))
        .maximum(Some(max))
        .default(Some(json!(default)))
}

fn article_id() -> ObjectBuilder {
    string().pattern(Some(article_id_pattern()))
}

/// The schema of one of the document's named types.
fn named<T: ToSchema>() -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(T::name()))
}

fn query(name: &str, description: &str, schema: impl Into<RefOr<Schema>>) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
}

fn path(name: &str, description: &str, schema: impl Into<RefOr<Schema>>) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(schema))
}

fn example(p: ParameterBuilder, value: &str) -> ParameterBuilder {
    p.example(Some(json!(value)))
}

fn source() -> Parameter {
    query(
        "source",
        "Only articles from this outlet (case-insensitive, exact otherwise).",
        text(),
    )
    .build()
}

fn since() -> Parameter {
    query(
        "since",
        "Only articles published on or after this day (YYYY-MM-DD). Excludes undated articles. A `since` after `until` is a range holding no day: the answer is empty.",
        day(),
    )
    .build()
}

fn until() -> Parameter {
    query(
        "until",
        "Only articles published on or before this day (YYYY-MM-DD). Excludes undated articles. An `until` before `since` matches nothing.",
        day(),
    )
    .build()
}

fn offset(max: usize, description: &str) -> Parameter {
    query("offset", description, whole(0, max, 0)).build()
}

/// `limit` and `offset` of the linking listings (`Params::link_page`).
fn link_page() -> [Parameter; 2] {
    [
        query(
            "limit",
            "Page size.",
            whole(1, MAX_LINK_LIMIT, DEFAULT_LINK_LIMIT),
        )
        .build(),
        offset(
            u32::MAX as usize,
            "Items to skip (use `next_offset` of the previous page).",
        ),
    ]
}

fn article_filter() -> Parameter {
    query(
        "article",
        "Only claims from this article (its id, or a unique prefix of at least 6 hex digits); 404 if there is no such article.",
        article_id(),
    )
    .build()
}

fn entity_filter() -> Parameter {
    query(
        "entity",
        "Only claims naming this entity id (as claimant, subject or object); 404 if there is no such entity.",
        plain(MAX_ENTITY_ID_CHARS),
    )
    .build()
}

fn story_filter(description: &str) -> Parameter {
    example(
        query(
            "story",
            description,
            text().max_length(Some(MAX_STORY_ID_CHARS)),
        ),
        "s1",
    )
    .build()
}

/// Declares marker types whose parameters are the listed expressions.
macro_rules! parameter_sets {
    ($($(#[$doc:meta])* $name:ident => [$($param:expr),* $(,)?];)*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;

        impl IntoParams for $name {
            fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
                let mut all = Vec::new();
                $(all.extend(Into::<Params>::into($param).0);)*
                all
            }
        }
    )*};
}

/// One parameter or several, as the sets list them.
struct Params(Vec<Parameter>);

impl From<Parameter> for Params {
    fn from(p: Parameter) -> Params {
        Params(vec![p])
    }
}

impl<const N: usize> From<[Parameter; N]> for Params {
    fn from(p: [Parameter; N]) -> Params {
        Params(p.into())
    }
}

parameter_sets! {
    /// `GET /api/articles` and `/articles` (`params::article_filter`).
    ArticleQuery => [
        source(),
        since(),
        until(),
        query(
            "provenance",
            "Only articles whose date came from this kind of evidence.",
            named::<DateProvenance>(),
        )
        .build(),
        query("limit", "Page size.", whole(1, MAX_LIMIT, DEFAULT_LIMIT)).build(),
        offset(
            u32::MAX as usize,
            "Articles to skip (use `next_offset` of the previous page).",
        ),
    ];
    /// `GET /api/search` and `/search` (`params::search_query`).
    SearchQuery => [
        example(
            query("q", "What to search for.", text()).required(Required::True),
            "ceasefire",
        )
        .build(),
        source(),
        since(),
        until(),
        query(
            "limit",
            "Most hits returned.",
            whole(1, MAX_SEARCH_HITS, DEFAULT_SEARCH_LIMIT),
        )
        .build(),
        offset(
            storyline_store::MAX_SEARCH_OFFSET,
            "Skip this many of the best hits (the next page: `next_offset` of this one).",
        ),
    ];
    /// An article's id in the path (`params::parse_id`).
    ArticleIdPath => [
        example(
            path(
                "id",
                "The 16-hex-digit id, or a unique prefix of at least 6 digits.",
                article_id(),
            ),
            "3f2a9c41d07b5e68",
        )
        .build(),
    ];
    /// An ingest job's id in the path.
    JobIdPath => [
        example(
            path(
                "id",
                "The `id` (or `job`) that `POST /api/ingest` answered.",
                string().pattern(Some("^[0-9a-f]+-[0-9]+$")).max_length(Some(40)),
            ),
            "66a1b2c3-1",
        )
        .build(),
    ];
    /// A story's or storyline's id in the path.
    StoryIdPath => [
        example(
            path(
                "id",
                "The story id listed by `/api/stories`, such as `s3` (`3` is accepted too), or a storyline's listed by `/api/storylines`, such as `l2`. An id that names none, malformed or not, is a 404.",
                string().min_length(Some(1)),
            ),
            "s1",
        )
        .build(),
    ];
    /// An entity's id in the path (`params::entity_id`).
    EntityIdPath => [
        example(
            path(
                "id",
                "The entity id listed by `/api/entities` (a slug of its name, such as `united-states`).",
                plain(MAX_ENTITY_ID_CHARS),
            ),
            "united-states",
        )
        .build(),
    ];
    /// `GET /api/stories` and `/api/storylines`, and their pages.
    LinkPage => [link_page()];
    /// The size of a timeline (`Params::timeline_size`).
    TimelineQuery => [
        query(
            "dates",
            "Most dates on the timeline (the most important are kept, then shown in date order).",
            whole(1, MAX_TIMELINE_DATES, DEFAULT_TIMELINE_DATES),
        )
        .build(),
        query(
            "sentences",
            "Most sentences quoted per date.",
            whole(1, MAX_TIMELINE_SENTENCES, DEFAULT_TIMELINE_SENTENCES),
        )
        .build(),
    ];
    /// `GET /api/entities` and `/entities`.
    EntityQuery => [
        example(
            query("kind", "Only entities of this kind.", named::<ActorKind>()),
            "country",
        )
        .build(),
        example(
            query(
                "q",
                "Only entities whose name, or a form they were written in, contains this text (case-insensitive). Plain text without control characters.",
                plain(MAX_NAME_QUERY),
            ),
            "Blinken",
        )
        .build(),
        link_page(),
    ];
    /// `GET /api/claims` and `/claims`.
    ClaimQuery => [
        example(
            query("kind", "Only claims of this kind.", named::<ClaimKind>()),
            "figure",
        )
        .build(),
        entity_filter(),
        article_filter(),
        link_page(),
    ];
    /// `GET /api/figures`.
    FigureQuery => [entity_filter(), article_filter(), link_page()];
    /// `GET /api/quotes`.
    QuoteQuery => [
        query(
            "article",
            "Only this article (its id, or a unique prefix of at least 6 hex digits); 404 if there is no such article.",
            article_id(),
        )
        .build(),
        story_filter("Only this story's articles (`s1`); 404 if there is no such story."),
        query(
            "speaker",
            "Only speakers whose name, as resolved or as written, contains this (case-insensitive). Plain text without control characters.",
            plain(MAX_NAME_QUERY),
        )
        .build(),
        link_page(),
    ];
    /// `GET /api/findings` and `/findings`.
    FindingQuery => [
        example(
            query(
                "kind",
                "Only findings of this kind (`counts` still covers every kind in scope).",
                named::<FindingKind>(),
            ),
            "contradict",
        )
        .build(),
        story_filter("Only findings with a side in one of this story's latest 1,000 articles (`s1`); 404 if there is no such story."),
        query(
            "article",
            "Only findings with a side in this article (its id, or a unique prefix of at least 6 hex digits); 404 if there is no such article. With `story`, only if the article is one of the story's.",
            article_id(),
        )
        .build(),
        example(
            query(
                "all",
                "Also list findings below the default confidence (0.5); `counts.below_threshold` says how many there are.",
                string().enum_values(Some(FLAG_VALUES.iter().map(|(name, _)| *name))),
            ),
            "true",
        )
        .build(),
        link_page(),
    ];
    /// `GET /api/check` and `/check` (`params::claim_text`).
    CheckQuery => [
        example(
            query(
                "claim",
                "The statement to check: at most 2,000 characters, no control characters other than line breaks and tabs.",
                claim_schema(),
            )
            .required(Required::True),
            "A relief convoy reached the valley",
        )
        .build(),
    ];
}

/// The statement to check, in the query or in `POST /api/check`'s body.
pub(crate) fn claim_schema() -> Schema {
    string()
        .min_length(Some(1))
        .max_length(Some(MAX_CLAIM_CHARS))
        .pattern(Some(CLAIM_TEXT))
        .build()
        .into()
}

/// The same parameters on a web page: every query parameter is optional
/// and also takes a blank value ([`super::Blank`]), since HTML forms send
/// their empty fields and the pages read them as absent
/// (`api::form_params`).
pub(crate) struct OnPage<T>(PhantomData<T>);

impl<T: IntoParams> IntoParams for OnPage<T> {
    fn into_params(provider: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        T::into_params(provider)
            .into_iter()
            .map(|mut p| {
                if p.parameter_in == ParameterIn::Query {
                    p.required = Required::False;
                    p.schema = p.schema.map(|s| {
                        AnyOfBuilder::new()
                            .item(without_non_blank(s))
                            .item(named::<super::Blank>())
                            .into()
                    });
                }
                p
            })
            .collect()
    }
}

/// A parameter's schema without what makes it refuse a blank value
/// (`minLength` and the bare non-space pattern); a blank is the other
/// branch of the page's `anyOf`.
fn without_non_blank(schema: RefOr<Schema>) -> RefOr<Schema> {
    match schema {
        RefOr::T(Schema::Object(mut o)) => {
            o.min_length = None;
            if o.pattern.as_deref() == Some(NOT_BLANK) {
                o.pattern = None;
            }
            RefOr::T(Schema::Object(o))
        }
        other => other,
    }
}
