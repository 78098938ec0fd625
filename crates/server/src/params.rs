//! Query parameters, parsed in two steps: raw pairs, then validated values
//! with errors that name the parameter and say what was expected.

use chrono::NaiveDate;
use storyline_core::{ArticleId, DateProvenance};
use storyline_engine::link_views::Page;
use storyline_link::actors::ActorKind;
use storyline_link::claims::ClaimKind;
use storyline_link::findings::FindingKind;
use storyline_store::{ArticleFilter, SearchQuery, MAX_SEARCH_LIMIT};

use crate::error::ApiError;

/// Default page size of article listings.
pub(crate) const DEFAULT_LIMIT: usize = 50;
/// Largest page size of article listings.
pub(crate) const MAX_LIMIT: usize = 500;
/// Default number of search hits.
pub(crate) const DEFAULT_SEARCH_LIMIT: usize = 20;
/// Largest number of search hits one request returns.
/// (The store caps at `MAX_SEARCH_LIMIT`; a page of a hundred snippets is
/// plenty for one request.)
pub(crate) const MAX_SEARCH_HITS: usize = 100;
const _: () = assert!(MAX_SEARCH_HITS <= MAX_SEARCH_LIMIT);
/// The longest name `GET /api/entities?q=` looks for, in characters.
pub(crate) const MAX_NAME_QUERY: usize = 200;
/// The shortest id prefix accepted in a URL.
pub(crate) const MIN_PREFIX: usize = 6;

/// Raw query pairs as sent.
#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    pub fn new(pairs: Vec<(String, String)>) -> Params {
        Params(pairs)
    }

    /// Rejects parameters not in `known` (a typo such as `sinse` would
    /// otherwise be silently ignored) and parameters given twice.
    pub fn check_known(&self, known: &[&str]) -> Result<(), ApiError> {
        for (i, (k, _)) in self.0.iter().enumerate() {
            if !known.contains(&k.as_str()) {
                return Err(ApiError::parameter(
                    k,
                    format!(
                        "unknown parameter `{}`; this endpoint takes {}",
                        clip(k),
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            if self.0[..i].iter().any(|(k2, _)| k2 == k) {
                return Err(ApiError::parameter(
                    k,
                    format!("parameter `{k}` is given more than once; give it once"),
                ));
            }
        }
        Ok(())
    }

    /// Refuses a parameter given with an empty or blank value (`?limit=`):
    /// the API's rule (the web pages take it as absent).
    pub fn refuse_empty(&self) -> Result<(), ApiError> {
        match self.0.iter().find(|(_, v)| v.trim().is_empty()) {
            Some((k, _)) => Err(ApiError::parameter(
                k,
                format!(
                    "`{}` is empty or blank; give it a value (an optional parameter can be left out)",
                    clip(k)
                ),
            )),
            None => Ok(()),
        }
    }

    /// The value, trimmed; `None` when absent or empty (HTML forms send
    /// empty fields).
    pub fn text(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    /// The value as sent, untrimmed; `None` when absent.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A day as `YYYY-MM-DD`.
    pub fn day(&self, name: &str) -> Result<Option<NaiveDate>, ApiError> {
        self.text(name)
            .map(|v| {
                NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                    ApiError::parameter(
                        name,
                        format!(
                            "`{name}` is {:?}; expected a day as YYYY-MM-DD, e.g. 2023-11-09",
                            clip(&v)
                        ),
                    )
                })
            })
            .transpose()
    }

    /// A whole number in `min..=max`, `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        let Some(v) = self.text(name) else {
            return Ok(default);
        };
        match v.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(n),
            _ => Err(ApiError::parameter(
                name,
                format!(
                    "`{name}` is {:?}; expected a whole number from {min} to {max}",
                    clip(&v)
                ),
            )),
        }
    }

    /// A date provenance name.
    pub fn provenance(&self, name: &str) -> Result<Option<DateProvenance>, ApiError> {
        self.text(name)
            .map(|v| {
                v.to_ascii_lowercase()
                    .parse::<DateProvenance>()
                    .map_err(|_| {
                        ApiError::parameter(
                            name,
                            format!(
                                "`{name}` is {:?}; expected one of {}",
                                clip(&v),
                                DateProvenance::ALL
                                    .iter()
                                    .map(|p| p.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        )
                    })
            })
            .transpose()
    }
}

/// Parameters of `GET /api/articles` and `/articles`.
pub(crate) const ARTICLE_PARAMS: &[&str] =
    &["source", "since", "until", "provenance", "limit", "offset"];
/// Parameters of `GET /api/search` and `/search`.
pub(crate) const SEARCH_PARAMS: &[&str] = &["q", "source", "since", "until", "limit", "offset"];

/// Default page size of the linking listings (entities, claims, findings).
pub(crate) const DEFAULT_LINK_LIMIT: usize = 50;
/// Largest page size of the linking listings.
pub(crate) const MAX_LINK_LIMIT: usize = 1000;
/// Longest claim text `check` accepts, in characters: a claim is a
/// sentence or two, and checking reads every claim in the text.
pub(crate) const MAX_CLAIM_CHARS: usize = 2000;
/// Longest entity id accepted in a URL or a filter, in characters (the
/// linker's ids are slugs of at most about 85).
pub(crate) const MAX_ENTITY_ID_CHARS: usize = 200;

/// Parameters of `GET /api/entities` and `/entities`.
pub(crate) const ENTITY_PARAMS: &[&str] = &["kind", "q", "limit", "offset"];
/// Parameters of `GET /api/claims` and `/claims`.
pub(crate) const CLAIM_PARAMS: &[&str] = &["kind", "entity", "article", "limit", "offset"];
/// Parameters of `GET /api/findings` and `/findings`.
pub(crate) const FINDING_PARAMS: &[&str] = &["kind", "story", "article", "all", "limit", "offset"];
/// Query parameters of `/api/figures`.
pub(crate) const FIGURE_PARAMS: &[&str] = &["entity", "article", "limit", "offset"];
/// Query parameters of `/api/quotes`.
pub(crate) const QUOTE_PARAMS: &[&str] = &["article", "story", "speaker", "limit", "offset"];
/// Parameters of `GET /api/stories` and `/stories`.
pub(crate) const STORY_PARAMS: &[&str] = &["limit", "offset"];
/// Parameters of `GET /api/stories/{id}/timeline` and `/stories/{id}`.
pub(crate) const TIMELINE_PARAMS: &[&str] = &["dates", "sentences"];
/// Default number of dates of a timeline.
pub(crate) const DEFAULT_TIMELINE_DATES: usize = 12;
/// Most dates of a timeline one request asks for.
pub(crate) const MAX_TIMELINE_DATES: usize = 50;
/// Default number of sentences per timeline date.
pub(crate) const DEFAULT_TIMELINE_SENTENCES: usize = 2;
/// Most sentences per timeline date one request asks for.
pub(crate) const MAX_TIMELINE_SENTENCES: usize = 5;
/// Parameters of `GET /api/check` and `/check`.
pub(crate) const CHECK_PARAMS: &[&str] = &["claim"];
/// Parameters of `GET /api/stances` and `/stances` (none).
pub(crate) const NO_PARAMS: &[&str] = &[];

/// Entity kinds by their names in URLs and JSON.
pub(crate) const ACTOR_KINDS: &[(&str, ActorKind)] = &[
    ("country", ActorKind::Country),
    ("organization", ActorKind::Organization),
    ("group", ActorKind::Group),
    ("person", ActorKind::Person),
    ("place", ActorKind::Place),
    ("other", ActorKind::Other),
];
/// Claim kinds by name.
pub(crate) const CLAIM_KINDS: &[(&str, ClaimKind)] = &[
    ("figure", ClaimKind::Figure),
    ("stance", ClaimKind::Stance),
    ("event", ClaimKind::Event),
];
/// Finding kinds by name.
pub(crate) const FINDING_KINDS: &[(&str, FindingKind)] = &[
    ("contradict", FindingKind::Contradict),
    ("revision", FindingKind::Revision),
    ("inconsistent", FindingKind::Inconsistent),
    ("update", FindingKind::Update),
    ("agree", FindingKind::Agree),
];
/// Yes/no values of a flag parameter.
pub(crate) const FLAG_VALUES: &[(&str, bool)] =
    &[("true", true), ("false", false), ("1", true), ("0", false)];

impl Params {
    /// One of `choices` by name (case-insensitive); `None` when absent.
    pub fn choice<T: Copy>(
        &self,
        name: &str,
        choices: &[(&str, T)],
    ) -> Result<Option<T>, ApiError> {
        let Some(v) = self.text(name) else {
            return Ok(None);
        };
        let lower = v.to_lowercase();
        // The actor file and British English say `organisation`.
        let lower = if lower == "organisation" {
            "organization".to_string()
        } else {
            lower
        };
        choices
            .iter()
            .find(|(n, _)| *n == lower)
            .map(|(_, t)| Some(*t))
            .ok_or_else(|| {
                ApiError::parameter(
                    name,
                    format!(
                        "`{name}` is {:?}; expected one of {}",
                        clip(&v),
                        choices
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }

    /// `limit` and `offset` of a linking listing.
    /// A name to look for (`q` of `/api/entities`): at most
    /// [`MAX_NAME_QUERY`] characters, no control characters (a name never
    /// has them; a terminal escape or a NUL is refused, not searched).
    pub fn name_query(&self, name: &str) -> Result<Option<String>, ApiError> {
        // A blank value is absent, whatever its spaces: the pages' rule
        // (the API refused blanks before this).
        let Some(v) = self.text(name) else {
            return Ok(None);
        };
        // Checked as sent, before trimming: a tab or a line break at the
        // end is as much a control character as one in the middle.
        let raw = self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v);
        if raw.is_some_and(|v| v.chars().any(char::is_control)) {
            return Err(ApiError::parameter(
                name,
                format!("`{name}` holds control characters; give the name as plain text"),
            ));
        }
        let chars = v.chars().count();
        if chars > MAX_NAME_QUERY {
            return Err(ApiError::parameter(
                name,
                format!("`{name}` is {chars} characters long; a name to look for has at most {MAX_NAME_QUERY}"),
            ));
        }
        Ok(Some(v))
    }

    pub fn link_page(&self) -> Result<Page, ApiError> {
        Ok(Page {
            limit: self.number("limit", DEFAULT_LINK_LIMIT, 1, MAX_LINK_LIMIT)?,
            offset: self.number("offset", 0, 0, u32::MAX as usize)?,
        })
    }
}

/// The size of a timeline: `dates` and `sentences` (per date).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TimelineSize {
    pub dates: usize,
    pub sentences: usize,
}

impl Params {
    /// `dates` and `sentences` of a timeline request.
    pub fn timeline_size(&self) -> Result<TimelineSize, ApiError> {
        Ok(TimelineSize {
            dates: self.number("dates", DEFAULT_TIMELINE_DATES, 1, MAX_TIMELINE_DATES)?,
            sentences: self.number(
                "sentences",
                DEFAULT_TIMELINE_SENTENCES,
                1,
                MAX_TIMELINE_SENTENCES,
            )?,
        })
    }
}

/// Checks an entity id from a URL or a filter: not blank, not too long, no
/// control characters. Anything else is looked up (and may be a 404).
pub(crate) fn entity_id(name: Option<&str>, text: &str) -> Result<String, ApiError> {
    let t = text.trim();
    let problem = if t.is_empty() {
        Some("is empty".to_string())
    } else if t.chars().count() > MAX_ENTITY_ID_CHARS {
        Some(format!(
            "is {} characters long; entity ids are at most {MAX_ENTITY_ID_CHARS}",
            t.chars().count()
        ))
    } else if t.chars().any(char::is_control) {
        Some("contains control characters".to_string())
    } else {
        None
    };
    match (problem, name) {
        (None, _) => Ok(t.to_string()),
        (Some(p), Some(param)) => Err(ApiError::parameter(
            param,
            format!(
                "`{param}` {p}; give an entity id as listed by /api/entities, e.g. `united-states`"
            ),
        )),
        (Some(p), None) => Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "invalid_id",
            format!(
                "the entity id {p}; give an id as listed by /api/entities, e.g. `united-states`"
            ),
        )),
    }
}

/// Checks the text of a claim to check: not blank, at most
/// [`MAX_CLAIM_CHARS`] characters, no control characters other than line
/// breaks and tabs (anywhere in it as sent). Returns it trimmed.
pub(crate) fn claim_text(text: Option<&str>) -> Result<String, ApiError> {
    let bad = |msg: String| ApiError::parameter("claim", msg);
    let t = text.map(str::trim).unwrap_or("");
    if t.is_empty() {
        return Err(bad(
            "`claim` is missing or blank; give the statement to check, e.g. ?claim=the convoy reached the valley on Sunday".into(),
        ));
    }
    let n = t.chars().count();
    if n > MAX_CLAIM_CHARS {
        return Err(bad(format!(
            "`claim` is {n} characters long; check at most {MAX_CLAIM_CHARS} characters (a sentence or two) at a time"
        )));
    }
    // Checked as sent, before trimming: a vertical tab at the end is as
    // much a control character as one in the middle (schemathesis sent
    // `yyU\u000b`).
    if let Some(c) = text
        .unwrap_or("")
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(bad(format!(
            "`claim` contains the control character U+{:04X}; send plain text",
            c as u32
        )));
    }
    Ok(t.to_string())
}

/// An article listing request: the filter, with `limit` always set.
pub(crate) fn article_filter(p: &Params) -> Result<ArticleFilter, ApiError> {
    let since = p.day("since")?;
    let until = p.day("until")?;
    Ok(ArticleFilter {
        source: p.text("source"),
        since,
        until,
        provenance: p.provenance("provenance")?,
        limit: Some(p.number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)?),
        offset: p.number("offset", 0, 0, u32::MAX as usize)?,
    })
}

/// A search request; `None` when `q` is absent or blank.
pub(crate) fn search_query(p: &Params) -> Result<Option<SearchQuery>, ApiError> {
    let since = p.day("since")?;
    let until = p.day("until")?;
    let limit = p.number("limit", DEFAULT_SEARCH_LIMIT, 1, MAX_SEARCH_HITS)?;
    let offset = p.number("offset", 0, 0, storyline_store::MAX_SEARCH_OFFSET)?;
    let source = p.text("source");
    Ok(p.text("q").map(|text| SearchQuery {
        text,
        source,
        since,
        until,
        limit,
        offset,
    }))
}

/// What an id in a URL names.
pub(crate) enum IdRef {
    /// A full id.
    Full(ArticleId),
    /// A prefix of at least [`MIN_PREFIX`] hex digits, lower-cased.
    Prefix(String),
}

/// Parses a full id or a prefix of at least six hex digits.
pub(crate) fn parse_id(text: &str) -> Result<IdRef, ApiError> {
    if let Ok(id) = text.parse::<ArticleId>() {
        return Ok(IdRef::Full(id));
    }
    let t = text.trim().to_ascii_lowercase();
    if t.len() < MIN_PREFIX || t.len() > 16 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "invalid_id",
            format!(
                "{:?} is not an article id: give the 16 hex digits listed by /api/articles, or at least the first {MIN_PREFIX}",
                clip(text)
            ),
        ));
    }
    Ok(IdRef::Prefix(t))
}

/// At most 60 characters of something a client sent, for messages.
pub(crate) fn clip(s: &str) -> String {
    if s.chars().count() <= 60 {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(60).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(pairs: &[(&str, &str)]) -> Params {
        Params::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn limits_and_days_are_checked() {
        let f = article_filter(&p(&[("since", "2023-11-01"), ("limit", "10")])).unwrap();
        assert_eq!(f.limit, Some(10));
        assert_eq!(f.since, NaiveDate::from_ymd_opt(2023, 11, 1));
        for bad in [
            ("limit", "-1"),
            ("limit", "0"),
            ("limit", "501"),
            ("since", "9 Nov"),
        ] {
            let e = article_filter(&p(&[bad])).unwrap_err();
            assert_eq!(e.parameter.as_deref(), Some(bad.0), "{bad:?}");
        }
        // A `since` after `until` is a range holding no day: valid, and
        // empty (a rule between two parameters that a schema could not
        // state made it a 400 that schema-driven clients could not avoid).
        let f = article_filter(&p(&[("since", "2023-11-02"), ("until", "2023-11-01")]))
            .expect("an empty range is a valid request");
        assert!(f.since > f.until);
    }

    #[test]
    fn empty_values_are_absent() {
        let f = article_filter(&p(&[("source", " "), ("since", "")])).unwrap();
        assert_eq!(f.source, None);
        assert_eq!(f.since, None);
    }

    #[test]
    fn unknown_and_repeated_parameters_are_rejected() {
        let e = p(&[("sinse", "x")])
            .check_known(ARTICLE_PARAMS)
            .unwrap_err();
        assert!(e.message.contains("`sinse`"), "{}", e.message);
        let e = p(&[("limit", "1"), ("limit", "2")])
            .check_known(ARTICLE_PARAMS)
            .unwrap_err();
        assert!(e.message.contains("more than once"));
    }

    #[test]
    fn timeline_sizes_are_checked() {
        let t = p(&[]).timeline_size().unwrap();
        assert_eq!((t.dates, t.sentences), (12, 2));
        let t = p(&[("dates", "50"), ("sentences", "5")])
            .timeline_size()
            .unwrap();
        assert_eq!((t.dates, t.sentences), (50, 5));
        for bad in [
            ("dates", "0"),
            ("dates", "51"),
            ("sentences", "0"),
            ("sentences", "6"),
            ("sentences", "two"),
        ] {
            let e = p(&[bad]).timeline_size().unwrap_err();
            assert_eq!(e.parameter.as_deref(), Some(bad.0), "{bad:?}");
        }
    }

    #[test]
    fn ids_and_prefixes() {
        assert!(matches!(parse_id("0123456789ABCDEF"), Ok(IdRef::Full(_))));
        assert!(matches!(parse_id("abcdef"), Ok(IdRef::Prefix(p)) if p == "abcdef"));
        for bad in ["abc", "xyzxyz", "<script>", "0123456789abcdef0"] {
            assert!(parse_id(bad).is_err(), "{bad}");
        }
    }
}
