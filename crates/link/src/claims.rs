//! Claims: the figures, stance statements and events of one article, made
//! comparable across articles (who / what / where / when / value / polarity
//! / claimant), each with the sentence it came from.
//!
//! A claim's `key` says which claims are about the same thing: the same
//! quantity of the same scope (`figure|killed|gaza`), the same actor's
//! position on the same issue (`stance|united states|ceasefire`), the same
//! kind of act between the same actors (`event|ASSAULT|israel|hezbollah`).
//! Findings ([`crate::findings`]) only ever compare claims sharing a key, so
//! the key is where scope is decided: `2.3 million people` in Gaza and `two
//! million Palestinians` in the south never meet.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storyline_analyze::document::Analysis;
use storyline_analyze::events::{Event, EventType, Modality};
use storyline_analyze::figures::{Approximation, Category, Claimant, Figure, Period};
use storyline_core::{ArticleId, Span};

use crate::actors::{normalize_name, ActorKind, ArticleActors, Gazetteer};

/// What a claim is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    /// A number: a toll, a count, an amount.
    Figure,
    /// An actor's position on an issue.
    Stance,
    /// Something an actor did to another.
    Event,
}

impl ClaimKind {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Figure => "figure",
            ClaimKind::Stance => "stance",
            ClaimKind::Event => "event",
        }
    }
}

/// A position on an issue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Position {
    /// Calls for it, agrees to it.
    For,
    /// Rejects it, opposes it.
    Against,
    /// Against it unless (or for it only if) a condition is met.
    Conditional,
}

impl Position {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Position::For => "for",
            Position::Against => "against",
            Position::Conditional => "conditional",
        }
    }
}

/// An actor as a claim names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorRef {
    /// The cross-document entity id once linked; the article-level key
    /// (`gaz:israel`, `person:antony blinken`) before.
    pub id: String,
    /// The name to show.
    pub name: String,
}

/// Where a claim comes from: the sentence, its article and outlet.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Evidence {
    /// The article.
    pub article: ArticleId,
    /// Its outlet, when known.
    pub outlet: Option<String>,
    /// The publisher the outlet belongs to (`bbc.co.uk` and `bbc.com` are
    /// both `bbc`): independence is judged by publisher, never by domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub publisher: Option<String>,
    /// Its published day, when known.
    pub published: Option<NaiveDate>,
    /// How that date is known (`header`, `metadata`, `inferred`, …).
    pub published_provenance: String,
    /// The article's near-duplicate group: copies share it and are never
    /// independent sources.
    pub duplicate_group: ArticleId,
    /// The sentence, as written.
    pub sentence: String,
    /// The sentence's byte span in the article text.
    pub sentence_span: Span,
    /// The claim's own words (the figure, the trigger) in the article text.
    pub span: Span,
}

/// One comparable claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Claim {
    /// `<article id>-<n>`: stable while the article and analysers are.
    pub id: String,
    /// What it is.
    pub kind: ClaimKind,
    /// Claims about the same thing share it (see the module docs).
    pub key: String,
    /// A one-line reading (`Gaza Health Ministry: at least 9,061 killed`).
    pub summary: String,
    /// Who says so; `None` when the outlet states it itself.
    pub claimant: Option<ActorRef>,
    /// Whom the claim is about (the actor of an event or stance).
    pub subject: Option<ActorRef>,
    /// For a stance by someone speaking for a state or body (Blinken as
    /// US Secretary of State), that state or body.
    pub on_behalf_of: Option<ActorRef>,
    /// The other party of an event.
    pub object: Option<ActorRef>,
    /// What is counted (`killed`), the event type (`ASSAULT`), or the issue (`ceasefire`).
    pub predicate: String,
    /// Where, as written or as its canonical actor name.
    pub place: Option<String>,
    /// Whether the place comes from the article around the sentence (the
    /// place it mentions most), not from the sentence itself. Such a place
    /// shows where the count most likely belongs, but never by itself makes
    /// two counts comparable enough to contradict each other.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub place_inferred: bool,
    /// A figure's value (the low end of a range).
    pub value: Option<f64>,
    /// A range's high end.
    pub value_high: Option<f64>,
    /// `at least`, `more than`, …
    pub approximation: Option<Approximation>,
    /// A figure's category (its measure).
    pub category: Option<Category>,
    /// Who a figure counts (`palestinians`, `children`, `people`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub population: Option<String>,
    /// What span of time a figure covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub period: Option<Period>,
    /// The start of a running total (`since 7 October`), as a day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub since: Option<NaiveDate>,
    /// The day of the one event an incident figure counts (`on 7 October`),
    /// when the text gives it: what makes two incident counts one event's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub on: Option<NaiveDate>,
    /// What a figure's people suffered from, when its sentence says
    /// (`attack`, `accident`, `disaster`, `disease`, `disease:flu`): counts
    /// of different causes are compared with nothing of each other (rule
    /// `different_causes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub cause: Option<String>,
    /// The figure recalls an incident four days or more before its article
    /// (`since the April 20 explosion that killed 11 workers`, `the 1989
    /// spill`), or a count its sentence dates four days or more back (`last
    /// month, BP estimated 5,000 barrels a day`): background, not the day's
    /// news. An agreement needs a side that is not (rule `old_news`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
    /// A stance's position.
    pub position: Option<Position>,
    /// The condition of a conditional stance (`unless Hamas releases hostages`).
    pub condition: Option<String>,
    /// The claim is negated (`did not strike`).
    pub negated: bool,
    /// Asserted, reported, planned…
    pub modality: Option<Modality>,
    /// The day the claim is about: a figure's "as of" date when the text
    /// gives a full one, else the article's published day.
    pub as_of: Option<NaiveDate>,
    /// The figure describes an earlier state (`had risen from 300`).
    pub earlier: bool,
    /// Where it comes from.
    pub evidence: Evidence,
    /// The story its article joined (`s3`); `None` for a claim not linked
    /// (the text given to `check`). Figures with no place are compared
    /// only within one story or one claimant: `12 killed` in a flood and
    /// `23 killed` in a war the same week are not an update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub story: Option<String>,
}

impl Claim {
    /// A figure's measure and population without place or period
    /// (`measure|killed|people`): what `check` looks up when the text it
    /// checks names no place or period. `None` for stances and events.
    pub fn measure_key(&self) -> Option<String> {
        let mut parts = self.key.split('|');
        (parts.next()? == "figure").then_some(())?;
        let (what, population) = (parts.next()?, parts.next()?);
        Some(format!("measure|{what}|{population}"))
    }

    /// The resolved place a figure's key holds (`gaza`, `gaza/north`; empty
    /// when it has none), read from the end of the key, past its period and
    /// any `by:` owner. `None` for other claims.
    pub fn key_scope(&self) -> Option<&str> {
        let parts: Vec<&str> = self.key.split('|').collect();
        if parts.first() != Some(&"figure") {
            return None;
        }
        let mut end = parts.len();
        while end > 0 && parts[end - 1].starts_with("by:") {
            end -= 1;
        }
        parts.get(end.checked_sub(2)?).copied()
    }
}

/// What a claim extractor needs to know about the article besides its analysis.
#[derive(Clone, Debug)]
pub struct ArticleFacts<'a> {
    /// The article id.
    pub id: &'a ArticleId,
    /// Its clean text.
    pub text: &'a str,
    /// Outlet.
    pub outlet: Option<&'a str>,
    /// The outlet's publisher ([`crate::publishers::publisher_of`]).
    pub publisher: Option<String>,
    /// Published day.
    pub published: Option<NaiveDate>,
    /// Date provenance (`header`, `unknown`, …).
    pub published_provenance: &'a str,
    /// Near-duplicate group.
    pub duplicate_group: &'a ArticleId,
}

const OFFICIAL_TITLES_TSV: &str = include_str!("../data/official_titles.tsv");

/// Titles whose holder speaks for the state or body of the affiliation
/// (`data/official_titles.tsv`), loaded once.
fn official_titles() -> &'static [String] {
    static LIST: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        crate::data_lines(OFFICIAL_TITLES_TSV)
            .map(str::to_string)
            .collect()
    })
}

/// Every claim of one article, in text order.
pub fn claims_of(
    facts: &ArticleFacts<'_>,
    analysis: &Analysis,
    actors: &ArticleActors,
    gazetteer: &Gazetteer,
) -> Vec<Claim> {
    let mut out = Vec::new();
    for f in &analysis.figures {
        if let Some(c) = figure_claim(facts, analysis, actors, gazetteer, f) {
            out.push(c);
        }
    }
    for e in &analysis.events {
        out.extend(event_claims(facts, analysis, actors, gazetteer, e));
    }
    out.sort_by_key(|c| (c.evidence.span.start, c.kind as u8));
    for (n, c) in out.iter_mut().enumerate() {
        c.id = format!("{}-{n}", facts.id);
    }
    out
}

fn evidence(facts: &ArticleFacts<'_>, sentence: Span, span: Span) -> Evidence {
    Evidence {
        article: facts.id.clone(),
        outlet: facts.outlet.map(str::to_string),
        publisher: facts.publisher.clone(),
        published: facts.published,
        published_provenance: facts.published_provenance.to_string(),
        duplicate_group: facts.duplicate_group.clone(),
        sentence: facts
            .text
            .get(sentence.start..sentence.end)
            .unwrap_or_default()
            .trim()
            .to_string(),
        sentence_span: sentence,
        span,
    }
}

fn actor_ref(actors: &ArticleActors, i: usize) -> Option<ActorRef> {
    actors.actors.get(i).map(|a| ActorRef {
        id: a.key.clone(),
        name: a.name.clone(),
    })
}

/// The actor for a span of text, or for a name the gazetteer knows.
fn resolve(
    facts: &ArticleFacts<'_>,
    analysis: &Analysis,
    actors: &ArticleActors,
    gazetteer: &Gazetteer,
    span: Span,
) -> Option<ActorRef> {
    let surface = facts.text.get(span.start..span.end)?;
    if let Some((e, _)) = gazetteer.lookup(surface) {
        return Some(ActorRef {
            id: crate::actors::gaz_key(&e.name),
            name: e.name.clone(),
        });
    }
    if let Some(i) = actors.resolve_span(facts.text, span, analysis, gazetteer) {
        return actor_ref(actors, i);
    }
    // `The government said …`: the government of the country the article
    // is about.
    if matches!(normalize_name(surface).as_str(), "government" | "cabinet") {
        return home_country(actors).and_then(|i| actor_ref(actors, i));
    }
    None
}

/// Who a claim is attributed to: the source phrase itself when the actor
/// file knows it (`Gaza health authorities` → Gaza Health Ministry), or
/// when the name it resolves to only qualifies it (`Gaza` in `Gaza health
/// authorities`, `Trump` in `Trump's spokesman`: the authorities and the
/// spokesman spoke, not the place or the man); else the actor of the name
/// it resolves to (`he` → Antony Blinken).
fn claimant_of(
    facts: &ArticleFacts<'_>,
    analysis: &Analysis,
    actors: &ArticleActors,
    gazetteer: &Gazetteer,
    c: &Claimant,
) -> Option<ActorRef> {
    if let Some((e, _)) = gazetteer.lookup(&c.text) {
        return Some(ActorRef {
            id: crate::actors::gaz_key(&e.name),
            name: e.name.clone(),
        });
    }
    let Some(resolved) = &c.resolved else {
        // No resolved name: the phrase's last name is the candidate, and
        // `Marevia` in `Marevia's health ministry` only qualifies it.
        let last_name = analysis
            .entities
            .iter()
            .filter(|m| m.span.start >= c.span.start && m.span.end <= c.span.end)
            .max_by_key(|m| m.span.end);
        if last_name.is_some_and(|m| qualifies_only(facts.text, c.span, m.span)) {
            return Some(as_written(c));
        }
        return resolve(facts, analysis, actors, gazetteer, c.span);
    };
    if qualifies_only(facts.text, c.span, resolved.span) {
        return Some(as_written(c));
    }
    resolve(facts, analysis, actors, gazetteer, resolved.span)
}

/// Whether `name` sits inside `phrase` as a qualifier of a common noun
/// after it: `Gaza [health authorities]`, `Trump['s spokesman]`.
fn qualifies_only(text: &str, phrase: Span, name: Span) -> bool {
    if name.start < phrase.start || name.end >= phrase.end {
        return false;
    }
    let rest = text.get(name.end..phrase.end).unwrap_or_default();
    let rest = rest
        .strip_prefix("'s")
        .or_else(|| rest.strip_prefix("\u{2019}s"))
        .unwrap_or(rest)
        .trim_start();
    rest.chars().next().is_some_and(char::is_lowercase)
}

/// A source the store has no actor for, by its words.
fn as_written(c: &Claimant) -> ActorRef {
    ActorRef {
        id: format!("text:{}", normalize_name(&c.text)),
        name: c.text.clone(),
    }
}

fn is_government(text: &str) -> bool {
    matches!(normalize_name(text).as_str(), "government" | "cabinet")
}

pub(crate) fn is_official(title: &str) -> bool {
    let t = title.to_lowercase();
    official_titles().iter().any(|o| t.ends_with(o.as_str()))
}

/// The country an article is about: its most mentioned country, or failing
/// one the actor file knows, its most mentioned place named through its
/// people too (`Marevian` beside `Marevia`).
fn home_country(actors: &ArticleActors) -> Option<usize> {
    let best = |pred: &dyn Fn(&crate::actors::ArticleActor) -> bool| {
        actors
            .actors
            .iter()
            .enumerate()
            .filter(|(_, a)| pred(a))
            .max_by_key(|(_, a)| a.mentions.len())
            .map(|(i, _)| i)
    };
    best(&|a| a.kind == ActorKind::Country).or_else(|| {
        best(&|a| {
            a.kind == ActorKind::Place
                && a.surface
                    .iter()
                    .any(|s| normalize_name(s) != normalize_name(&a.name))
        })
    })
}

/// Extends a span backwards over a coordinated list of names before it
/// (`Qatar, Egypt and Jordan`), within its sentence.
fn coordinated_start(text: &str, analysis: &Analysis, sentence: Span, span: Span) -> usize {
    let mut start = span.start;
    for m in analysis.entities.iter().rev() {
        if m.span.end > start || m.span.start < sentence.start {
            continue;
        }
        let gap = text.get(m.span.end..start).unwrap_or("x");
        // `Speaking to the BBC, Labour's …`: a name after a preposition is
        // its object, not one of a list of subjects.
        let before = text.get(sentence.start..m.span.start).unwrap_or("");
        let mut before_words = before.split_whitespace().rev();
        let prev = match before_words.next() {
            Some(w) if w.eq_ignore_ascii_case("the") => before_words.next(),
            w => w,
        };
        if prev.is_some_and(|w| storyline_analyze::events::is_preposition(&w.to_lowercase())) {
            break;
        }
        let joiner = gap
            .trim()
            .trim_start_matches(',')
            .trim()
            .trim_start_matches("and")
            .trim_start_matches('&')
            .trim()
            .is_empty();
        if joiner && !gap.trim().is_empty() {
            start = m.span.start;
        } else {
            break;
        }
    }
    start
}

/// A full `YYYY-MM-DD` TIMEX3 value as a day.
fn full_day(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d").ok()
}

/// A counted noun that makes the number a share (`two thirds`).
fn is_fraction(counted: &str) -> bool {
    let first = counted.split_whitespace().next().unwrap_or_default();
    storyline_analyze::figures::frame::is_fraction_word(&first.to_lowercase())
}

fn figure_claim(
    facts: &ArticleFacts<'_>,
    analysis: &Analysis,
    actors: &ArticleActors,
    gazetteer: &Gazetteer,
    f: &Figure,
) -> Option<Claim> {
    if f.category == Category::Other && f.counted.is_none() || f.vague {
        return None;
    }
    // Shares are not counts anyone could be held to (`80% of the hospital`,
    // `two thirds of them`): the labelling rules say so, and on the labelled
    // development fold every one kept was noise.
    if f.unit == storyline_analyze::figures::Unit::Percent
        || f.counted.as_ref().is_some_and(|c| is_fraction(&c.text))
    {
        return None;
    }
    let mut place_inferred = false;
    let mut place = f.place.as_ref().and_then(|p| {
        if is_generic_place(&p.text) {
            // `the enclave`, `the Strip`: the place the article is about.
            if let Some(main) = main_place(actors) {
                return Some(main);
            }
        }
        if let Some(a) = resolve(facts, analysis, actors, gazetteer, p.span) {
            // `killed in Hamas attacks`: an organisation, a group or a
            // person the tagger read as a place is the act's actor (rule
            // `place_is_no_actor`); the count's place comes from elsewhere.
            // Only the actor file decides: an article's own typing of a
            // name can be swayed by one mention.
            let kind = gazetteer.lookup(&a.name).map(|(e, _)| e.kind);
            if matches!(
                kind,
                Some(ActorKind::Organization | ActorKind::Group | ActorKind::Person)
            ) {
                return None;
            }
            return Some(a.name);
        }
        // `the country`, `the area`, `the border`: a place noun with no
        // name is the article's place, as surely as a sentence naming none.
        if !p.text.chars().any(char::is_uppercase) {
            place_inferred = true;
            return if normalize_name(&p.text) == "country" {
                home_country(actors).and_then(|i| actors.actors.get(i).map(|a| a.name.clone()))
            } else {
                context_place(facts.text, actors)
            };
        }
        Some(p.text.clone())
    });
    let claimant = f.claimant.as_ref().and_then(|c| {
        if names_no_one(c) || is_own_voice(&c.text, facts.publisher.as_deref()) {
            return None;
        }
        let phrase = institution_phrase(facts.text, f.sentence, c.span);
        let casualty = matches!(f.category, Category::Killed | Category::Injured);
        if let Some((actor, body_place)) =
            institution(gazetteer, &phrase, place.as_deref(), casualty)
        {
            // A count given by a body of a place (`the health ministry in
            // Gaza`) with no place of its own is about that place.
            if place.is_none() {
                place = body_place;
            }
            return Some(actor);
        }
        let who =
            claimant_of(facts, analysis, actors, gazetteer, c).unwrap_or_else(|| as_written(c));
        // A town or territory does not speak (`our reporter in Khan Younis
        // says`, `Gaza gives 5,000`); a country does, through its government.
        let is_place = |id: &str| {
            actors
                .actors
                .iter()
                .find(|a| a.key == id)
                .map(|a| a.kind)
                .or_else(|| gazetteer.lookup(&who.name).map(|(e, _)| e.kind))
                == Some(ActorKind::Place)
        };
        if is_place(&who.id) || named_as_place(facts.text, c.span) {
            // What a place is said to say is about that place (`The town
            // of Netiv HaAsara said 15 of its residents were shot dead`):
            // with no place of its own, the count is the town's, not the
            // article's (rule `speaking_place`).
            if place.is_none() {
                place = Some(who.name);
            }
            return None;
        }
        Some(who)
    });
    // `Prime Minister Rishi Sunak said …`: an official's count is also
    // their state's or body's.
    let on_behalf_of = claimant
        .as_ref()
        .and_then(|c| speaks_for(actors, c, gazetteer));
    if place.is_none() {
        // A body of a place (`Gaza Health Ministry`) counts there.
        place = claimant
            .as_ref()
            .and_then(|c| home_place(gazetteer, &c.name));
    }
    if place.is_none() {
        place = context_place(facts.text, actors);
        place_inferred = place.is_some();
    }
    // `1.1 million people in north Gaza` counts part of the place's people:
    // a quantity of its own, never held against the whole (`2.3 million in
    // Gaza`). The place shown stays the named one. A toll `in southern
    // Israel` is the country's toll (read so on every labelled pair), so
    // only counts of where people are take the part.
    let stock_of_people = matches!(f.category, Category::Population | Category::Displaced);
    let part = f.place.as_ref().filter(|_| stock_of_people).and_then(|p| {
        let first = p.text.split_whitespace().next()?.to_lowercase();
        let first = first.trim_start_matches("the").trim();
        (storyline_analyze::figures::frame::is_compass(first) && p.text.contains(' '))
            .then(|| first.strip_suffix("ern").unwrap_or(first).to_string())
    });
    let scope = place
        .as_deref()
        .filter(|p| !place_inferred || keys_inferred(gazetteer, p))
        .map(|p| match &part {
            Some(part) => format!("{}/{part}", normalize_name(p)),
            None => normalize_name(p),
        })
        .unwrap_or_default();
    let what = match (f.category, &f.counted) {
        (Category::Other, Some(c)) => normalize_name(&c.text),
        (cat, _) => cat.as_str().to_string(),
    };
    let unit = match &f.unit {
        storyline_analyze::figures::Unit::Money(cur) => format!("|{}", cur.to_lowercase()),
        _ => String::new(),
    };
    // Money, percentages and uncategorised counts are only the same
    // quantity when the same claimant gives them (an appeal, a pledge);
    // tolls and counts of people are compared across claimants.
    let owner = match f.category {
        Category::Money | Category::Percent | Category::Other => claimant
            .as_ref()
            .map(|c| format!("|by:{}", c.id))
            .unwrap_or_else(|| "|by:-".to_string()),
        _ => String::new(),
    };
    let day =
        |a: &Option<storyline_analyze::figures::AsOf>| a.as_ref().and_then(|a| full_day(&a.value));
    // A figure's identity: what happened, to whom, where, over which span of
    // time. A running total and a count with no period marked are one
    // quantity (most tolls say neither `since` nor `so far`); one incident
    // is its own quantity, pinned to its day when the text gives one.
    // An incident days before the article (`the 7 October attack killed
    // 1,400`, read in November) is a past event whose toll is still being
    // counted: it is compared with running totals of its place. A fresh
    // incident (`a strike on Tuesday`) is its own quantity.
    // An event in an earlier year (`a 2005 refinery blast`, `the 1989
    // spill`, or a dated one over a year back) is another event, never the
    // running story's toll: it keys by its own date.
    let on_end = f.on.as_ref().and_then(|a| last_day_of(&a.value));
    let period = match f.period {
        Period::Incident => match (day(&f.on), facts.published) {
            (Some(d), Some(p)) if (p - d).num_days() >= ANOTHER_EVENT_DAYS => {
                format!("incident@{d}")
            }
            (Some(d), Some(p)) if (p - d).num_days() >= PAST_EVENT_DAYS => "total".to_string(),
            (Some(d), _) => format!("incident@{d}"),
            (None, Some(p))
                if on_end.is_some_and(|end| (p - end).num_days() >= PAST_EVENT_DAYS) =>
            {
                format!(
                    "incident@{}",
                    f.on.as_ref().map(|a| a.value.as_str()).unwrap_or_default()
                )
            }
            (None, _) => "incident".to_string(),
        },
        Period::Rate => "rate".to_string(),
        Period::Stock => "stock".to_string(),
        Period::Cumulative | Period::Unspecified => "total".to_string(),
    };
    // Who is counted, at the grain that makes two counts different
    // quantities: a nationality or `civilians` restates the place's people;
    // children, soldiers or journalists are a subset.
    // With no place, a nationality is all that says whose dead these are.
    // `… killed since Saturday, including 260 at a music festival`: a part
    // of the count before it, with nothing to say which part. It keys
    // apart from the whole (rule `including_part`).
    let part_of_before = f.population.as_deref().is_none_or(|p| p == "people")
        && f.counted.is_none()
        && introduced_by_including(facts.text, f.span.start);
    // One family's toll (rule `personal_count`) is a part of its place's
    // toll too, and never compared with it; families' tolls compare only
    // with each other.
    let population = match f.population.as_deref() {
        _ if f.personal => "family",
        _ if part_of_before => "part",
        Some(p) if scope.is_empty() && is_a_people(p) => p,
        Some(p) if is_a_people(p) => "people",
        None | Some("people" | "civilians") => "people",
        Some(p) => p,
    };
    let key = format!("figure|{what}{unit}|{population}|{scope}|{period}{owner}");
    // The day the count is reported as true: the sentence's own reporting
    // time, else the article's date. `since 7 October` is a period's start
    // and an incident's day is part of its identity: neither is the as-of day.
    // A reporting day long before the article (`the toll on 7 October`, in
    // a November piece) is background, not when this count was given.
    let as_of = day(&f.as_of)
        .filter(|d| {
            f.period == Period::Incident
                || facts
                    .published
                    .is_none_or(|p| (p - *d).num_days() < PAST_EVENT_DAYS)
        })
        .or(facts.published);
    // The day the sentence puts the count on: an incident's own day, else
    // the time its clause gives it (`last month, BP estimated 5,000
    // barrels a day`). Four days or more before the article, the count is
    // recalled, not reported (rule `old_news`).
    let recalled_day = match f.period {
        Period::Incident => on_end.or_else(|| duration_before(facts, analysis, f)),
        _ => f.as_of.as_ref().and_then(|a| last_day_of(&a.value)),
    };
    let summary = format!(
        "{}{} {}{}{}",
        claimant
            .as_ref()
            .map(|c| format!("{}: ", c.name))
            .unwrap_or_default(),
        f.text,
        match f.population.as_deref() {
            Some(p) if p != "people" && !what.contains(p) => format!("{} ", p.replace('_', " ")),
            _ => String::new(),
        },
        what.replace('_', " "),
        place
            .as_ref()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default()
    );
    Some(Claim {
        id: String::new(),
        kind: ClaimKind::Figure,
        key,
        summary,
        claimant,
        subject: None,
        on_behalf_of,
        object: None,
        predicate: what,
        place,
        place_inferred,
        value: Some(f.value),
        value_high: f.value_high,
        approximation: Some(f.approximation),
        category: Some(f.category),
        population: f.population.clone(),
        period: Some(f.period),
        // A period's start at the grain its text gives (`since 2007` starts
        // on 1 January 2007): two counts from starts far apart are two
        // quantities (`findings`, rule `different_start`).
        since: f.since.as_ref().and_then(|a| first_day_of(&a.value)),
        on: day(&f.on),
        cause: f.cause.clone(),
        background: matches!((recalled_day, facts.published), (Some(end), Some(p)) if (p - end).num_days() >= BACKGROUND_DAYS),
        position: None,
        condition: None,
        negated: false,
        // A projection (`could die`) is no count of what happened:
        // `findings` compares it only with projections (rule
        // `hypothetical_count`).
        modality: f.hypothetical.then_some(Modality::Hypothetical),
        as_of,
        earlier: f.earlier,
        evidence: evidence(facts, f.sentence, f.span),
        story: None,
    })
}

/// An incident at least this many days before the article is a past
/// event, compared with the running totals of its place.
const PAST_EVENT_DAYS: i64 = 3;

/// An incident a year or more before the article is another event than
/// the one being covered (a war's toll runs for months, not years).
const ANOTHER_EVENT_DAYS: i64 = 365;

/// An incident four days or more before the article is recalled as
/// background (`since the April 20 explosion that killed 11 workers`, `the
/// attack on Saturday, in which 1,300 were killed`, five days on), not
/// reported as news (`labels/README.md`: the 7 October dead recalled days
/// later are background). It was a week until `link/19`: on a fresh deal
/// of the BBC set to three outlets, the 22 agreements four to six days
/// cost were all such recalls, and no labelled `dev` pair changed.
const BACKGROUND_DAYS: i64 = 4;

/// The first day a TIMEX3 date can mean: the day itself, the first of its
/// week, month or year. `None` for a date with no year.
fn first_day_of(value: &str) -> Option<NaiveDate> {
    day_bound(value, false)
}

/// Rule `duration_before_event`: the day of an undated incident its
/// sentence puts a span of time before (`three weeks after Hamas launched
/// its attack, killing 1,400`; `it has been three weeks since …`): the
/// article's day less that span, when a duration before the count is
/// followed by `after` or `since`.
fn duration_before(facts: &ArticleFacts<'_>, analysis: &Analysis, f: &Figure) -> Option<NaiveDate> {
    let published = facts.published?;
    analysis
        .timexes
        .iter()
        .filter(|t| {
            t.kind == storyline_analyze::timex::TimexType::Duration
                && t.span.start >= f.sentence.start
                && t.span.end <= f.span.start
        })
        .filter(|t| {
            facts
                .text
                .get(t.span.end..f.span.start)
                .and_then(|rest| rest.split_whitespace().next())
                .is_some_and(|w| w.eq_ignore_ascii_case("after") || w.eq_ignore_ascii_case("since"))
        })
        .filter_map(|t| duration_days(&t.value))
        // A hostile `P9999999999D` must not overflow the calendar.
        .filter_map(|days| published.checked_sub_signed(chrono::Duration::try_days(days)?))
        .next_back()
}

/// Days in a TIMEX3 duration of one whole unit (`P11D`, `P3W`, `P2M`,
/// months and years by their usual length); `None` for vague ones (`PXW`).
fn duration_days(value: &str) -> Option<i64> {
    let rest = value.strip_prefix('P')?;
    let unit = rest.chars().last()?;
    let n: i64 = rest.get(..rest.len() - 1)?.parse().ok()?;
    let per = match unit {
        'D' => 1,
        'W' => 7,
        'M' => 30,
        'Y' => 365,
        _ => return None,
    };
    n.checked_mul(per)
}

/// The ISO year and week of a TIMEX3 week value (`2023-W40`, from `almost
/// four weeks ago`).
fn iso_week(value: &str) -> Option<(i32, u32)> {
    let year: i32 = value.get(..4)?.parse().ok()?;
    let week: u32 = value.get(4..)?.strip_prefix("-W")?.get(..2)?.parse().ok()?;
    Some((year, week))
}

/// Whether the word before byte `start` of `text` is `including`.
fn introduced_by_including(text: &str, start: usize) -> bool {
    text.get(..start)
        .and_then(|before| before.trim_end().rsplit(char::is_whitespace).next())
        .is_some_and(|w| w.eq_ignore_ascii_case("including"))
}

/// The last day a TIMEX3 date can mean: the day itself, the end of its
/// week (`2023-W40`), month (`2010-04`) or year (`1989`). `None` for a
/// date with no year (`XXXX-10-07`) or no date at all.
fn last_day_of(value: &str) -> Option<NaiveDate> {
    day_bound(value, true)
}

/// The first (or, with `last`, the last) day of a TIMEX3 date.
fn day_bound(value: &str, last: bool) -> Option<NaiveDate> {
    if let Some(d) = full_day(value) {
        return Some(d);
    }
    if let Some((year, week)) = iso_week(value) {
        let day = if last {
            chrono::Weekday::Sun
        } else {
            chrono::Weekday::Mon
        };
        return NaiveDate::from_isoywd_opt(year, week, day);
    }
    let year: i32 = value.get(..4)?.parse().ok()?;
    let month: Option<u32> = match value.get(4..)? {
        "" => None,
        rest => Some(rest.strip_prefix('-')?.get(..2)?.parse().ok()?),
    };
    match (month, last) {
        (None, false) => NaiveDate::from_ymd_opt(year, 1, 1),
        (None, true) => NaiveDate::from_ymd_opt(year, 12, 31),
        (Some(m), false) => NaiveDate::from_ymd_opt(year, m, 1),
        (Some(12), true) => NaiveDate::from_ymd_opt(year, 12, 31),
        (Some(m), true) => NaiveDate::from_ymd_opt(year, m + 1, 1)?.pred_opt(),
    }
}

/// Nouns that stand for the place an article is about.
fn is_generic_place(text: &str) -> bool {
    matches!(
        normalize_name(text).as_str(),
        "enclave"
            | "strip"
            | "territory"
            | "coastal enclave"
            | "besieged enclave"
            | "coastal strip"
    )
}

/// The territory an article is about, for `the enclave`, `the Strip`: the
/// place (not a state: those words name a territory) it mentions most,
/// else the country it mentions most; by actor name.
fn main_place(actors: &ArticleActors) -> Option<String> {
    let most = |kind: ActorKind| {
        actors
            .actors
            .iter()
            .filter(|a| a.kind == kind && !a.via_demonym)
            .max_by_key(|a| a.mentions.len())
            .map(|a| a.name.clone())
    };
    most(ActorKind::Place).or_else(|| most(ActorKind::Country))
}

/// The place (a territory or city of the actor file, not a country) whose
/// name starts a body's name (`Gaza Health Ministry`): where its counts
/// are kept. A country's name (`Israel Defense Forces`) says whose body it
/// is, not where it counts.
fn home_place(gazetteer: &Gazetteer, name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..words.len()).rev().find_map(|n| {
        let (e, via) = gazetteer.lookup(&words[..n].join(" "))?;
        (e.kind == ActorKind::Place && via != crate::actors::Via::Demonym).then(|| e.name.clone())
    })
}

/// The place a figure whose sentence names none is about: the place or
/// country the article most often names as where something is or happens
/// (after `in`, `at`, `across`, …), else the one it names most. A country
/// named mostly as an actor (`Israel said`, `Israel's strikes`) is where
/// the story's events are less often than the territory named after `in`.
/// Read on the development fold of the labelled figures, counting locative
/// mentions beat counting all mentions, the territory `main_place` prefers
/// and the place named last before the sentence.
///
/// A name the actor file does not know, which the article names once and
/// never as where something is, is not the article's place (rule
/// `one_mention_no_place`): it is a passing word the tagger typed as a
/// place (`Listen … on Sounds` in a page's footer), not where the story is.
/// Named once after `in` (`the spill in the Gulf of Mexico`), it may be.
fn context_place(text: &str, actors: &ArticleActors) -> Option<String> {
    let locative = |m: &Span| {
        let before = text.get(..m.start).unwrap_or_default();
        let mut words = before.split_whitespace().rev().map(str::to_lowercase);
        let mut w = words.next();
        for _ in 0..2 {
            match w.as_deref() {
                Some(x) if x == "the" || storyline_analyze::figures::frame::is_compass(x) => {
                    w = words.next()
                }
                _ => break,
            }
        }
        w.as_deref()
            .is_some_and(storyline_analyze::figures::frame::is_scene_prep)
    };
    actors
        .actors
        .iter()
        .filter(|a| matches!(a.kind, ActorKind::Place | ActorKind::Country) && !a.via_demonym)
        .map(|a| {
            let here = a.mentions.iter().filter(|m| locative(m)).count();
            (here, a.mentions.len(), a)
        })
        .filter(|(here, all, a)| *all > 0 && (a.known || *all > 1 || *here > 0))
        .max_by_key(|(here, all, _)| (*here, *all))
        .map(|(_, _, a)| a.name.clone())
}

/// Whether the name at `span` is written as a place: `the town of X`, `the
/// kibbutz of X` (a generic place noun of `place_nouns.tsv` and `of` just
/// before it), whatever a tagger typed the name as.
fn named_as_place(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).unwrap_or_default();
    let mut words = before.split_whitespace().rev().map(str::to_lowercase);
    words.next().as_deref() == Some("of")
        && words
            .next()
            .is_some_and(|w| storyline_analyze::figures::frame::is_place_noun(&w))
}

/// Whether a population (`populations.tsv`'s names) is a people whose
/// dead a place's toll counts (`Palestinians` killed in Gaza are Gaza's
/// dead): with a place, it keys as the place's people; without one, it is
/// all that says whose count it is.
pub(crate) fn is_a_people(population: &str) -> bool {
    matches!(population, "palestinians" | "israelis")
}

/// Whether an inferred place may key a figure: only a place the actor file
/// knows (a country, a territory: the units tolls are kept for). A town an
/// article happens to be written from would split one toll into as many
/// keys as there are towns; it is still shown as the figure's place.
pub(crate) fn keys_inferred(gazetteer: &Gazetteer, place: &str) -> bool {
    gazetteer
        .lookup(place)
        .is_some_and(|(e, _)| matches!(e.kind, ActorKind::Place | ActorKind::Country))
}

/// The claimant phrase with the body it belongs to: the attribution finder
/// may give only the place of `the Hamas-run health ministry in Gaza`; the
/// words before it up to the body's head (`ministry`, `authorities`, …) and
/// back to the start of that noun phrase are part of the source.
fn institution_phrase(text: &str, sentence: Span, claimant: Span) -> String {
    let own = text.get(claimant.start..claimant.end).unwrap_or_default();
    let Some(before) = text.get(sentence.start.min(claimant.start)..claimant.start) else {
        return own.to_string();
    };
    let words: Vec<&str> = before.split_whitespace().collect();
    let n = words.len();
    let linked = n >= 2
        && matches!(words[n - 1], "in" | "of")
        && matches!(
            words[n - 2].trim_end_matches(','),
            "ministry" | "authorities" | "authority" | "officials" | "department" | "office"
        );
    if !linked {
        return own.to_string();
    }
    // Back from the head to the start of its noun phrase: at most four
    // words, none ending a clause.
    let mut start = n - 2;
    while start > 0
        && n - 2 - start < 4
        && !words[start - 1].ends_with([',', ';', ':', '.', '"'])
        && !matches!(
            words[start - 1].to_lowercase().as_str(),
            "said" | "says" | "and" | "but" | "as" | "while" | "that" | "according" | "to"
        )
    {
        start -= 1;
    }
    format!("{} {own}", words[start..].join(" "))
}

/// Words that name no one when they stand as a source on their own: an
/// unresolved pronoun, an expletive, a quantity (`It is`, `No-one`, `The
/// number of`). A figure so attributed has no claimant, and says so.
fn names_no_one(c: &Claimant) -> bool {
    if c.resolved.is_some() {
        return false;
    }
    let t = normalize_name(&c.text);
    let first = t.split(' ').next().unwrap_or_default();
    matches!(
        t.as_str(),
        "he" | "she" | "they" | "it" | "it is" | "we" | "i" | "you" | "one" | "this" | "that"
            | "these" | "those" | "there" | "no-one" | "no one" | "nobody" | "none" | "some"
            | "many" | "others" | "who" | "which" | "what" | "all" | "both" | "each"
    ) || matches!(first, "number" | "figure" | "figures" | "total" | "toll" | "tally")
        // `At least 350 people are …`: a count read as a source.
        || t.bytes().any(|b| b.is_ascii_digit())
        // `There have been growing calls for …`: one lower-case word
        // ending as a participle describes the calls, it names no one
        // (rule `participle_no_one`).
        || (!t.contains(' ')
            && !c.text.starts_with(char::is_uppercase)
            && (t.ends_with("ing") || t.ends_with("ed")))
}

/// Whether a source phrase is the article's own publisher (`BBC News
/// understands`, `the BBC has learned`, `Reuters reported` on reuters.com):
/// the outlet's own voice, which a figure shows as no claimant, as it does
/// the outlet's unattributed statements (rule `own_voice`). The phrase is
/// the publisher's name alone or followed by one more word (`News`,
/// `Verify`); a name is tried with `the` before it too (`The Guardian` on
/// theguardian.com).
fn is_own_voice(source: &str, publisher: Option<&str>) -> bool {
    let Some(publisher) = publisher.filter(|p| !p.is_empty()) else {
        return false;
    };
    let name = normalize_name(source);
    let words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let squashed: String = words.concat();
    let bare = match words.as_slice() {
        ["the", rest @ ..] => rest,
        all => all,
    };
    squashed == publisher
        || format!("the{squashed}") == publisher
        || (1..=2).contains(&bare.len()) && bare.first() == Some(&publisher)
}

/// A body named by what it does and where (`the Hamas-run health ministry
/// in Gaza`, `Gaza's health ministry`, `health officials`), looked up in the
/// actor file as `<place> <body>`: the place the phrase names, else the
/// figure's own place. Controllers (`Hamas-run`) and determiners are not
/// part of the name, and `health authorities`, `health officials` and
/// `ministry of health` are the health ministry speaking. `None` when the
/// phrase is not such a body or the actor file has no entry for it.
fn institution(
    gazetteer: &Gazetteer,
    text: &str,
    figure_place: Option<&str>,
    casualty: bool,
) -> Option<(ActorRef, Option<String>)> {
    let lower = text.to_lowercase().replace('\u{2019}', "'");
    let lower = lower.trim();
    let (body, mut named_place) = if let Some((b, p)) = lower.rsplit_once(" in ") {
        (b.to_string(), Some(p.trim().to_string()))
    } else if let Some((p, b)) = lower.split_once("'s ") {
        (b.to_string(), Some(p.trim().to_string()))
    } else {
        (lower.to_string(), None)
    };
    let words: Vec<&str> = body
        .split_whitespace()
        .filter(|w| {
            !matches!(*w, "the" | "a" | "an") && !w.ends_with("-run") && !w.ends_with("-controlled")
        })
        .collect();
    // `Gaza health authorities`: a place's name before the body is its
    // place. `Palestinian health officials`: a people's name qualifies the
    // body as a place would; the figure's place says which.
    // `health ministry officials`: the ministry's officials are the ministry.
    let words: Vec<&str> = match words.as_slice() {
        [body @ .., "ministry" | "authority" | "department", "officials" | "spokesman"]
            if !body.is_empty() =>
        {
            words[..words.len() - 1].to_vec()
        }
        _ => words,
    };
    // `Palestinian officials say 4,000 people have been killed in Gaza`:
    // a people's unnamed officials giving a toll speak for that people's
    // health body, when the actor file knows one (`Palestinian health
    // ministry`); `Israeli officials` with no such entry stay as written.
    let words: Vec<&str> = match words.as_slice() {
        [people, "officials" | "authorities"]
            if casualty
                && gazetteer
                    .lookup(people)
                    .is_some_and(|(_, via)| via == crate::actors::Via::Demonym)
                && gazetteer
                    .lookup(&format!("{people} health ministry"))
                    .is_some_and(|(e, _)| e.kind == ActorKind::Organization) =>
        {
            vec![people, "health", "ministry"]
        }
        _ => words,
    };
    let words: Vec<&str> = match words.as_slice() {
        [first, rest @ ..] if rest.len() >= 2 => match gazetteer.lookup(first) {
            Some((e, via)) => {
                let names_a_place = matches!(e.kind, ActorKind::Place | ActorKind::Country)
                    && via != crate::actors::Via::Demonym;
                if names_a_place && named_place.is_none() {
                    named_place = Some(first.to_string());
                }
                rest.to_vec()
            }
            None => words,
        },
        _ => words,
    };
    let head = *words.last()?;
    // `An IDF spokesman`, `UN officials`: a body's voice is the body.
    if matches!(
        head,
        "spokesman" | "spokeswoman" | "spokesperson" | "spokespeople" | "official" | "officials"
    ) && words.len() >= 2
    {
        let body = words[..words.len() - 1].join(" ");
        if let Some((e, _)) = gazetteer.lookup(&body) {
            if matches!(e.kind, ActorKind::Organization | ActorKind::Group) {
                return Some((
                    ActorRef {
                        id: crate::actors::gaz_key(&e.name),
                        name: e.name.clone(),
                    },
                    None,
                ));
            }
        }
    }
    if !matches!(
        head,
        "ministry" | "authorities" | "authority" | "officials" | "department" | "office"
    ) {
        return None;
    }
    let body = words.join(" ");
    let body = match body.as_str() {
        "health authorities" | "health officials" | "health authority" | "ministry of health"
        | "health department" => "health ministry".to_string(),
        b => b.to_string(),
    };
    let named_by_phrase = named_place.is_some();
    let places = named_place
        .into_iter()
        .chain(figure_place.map(str::to_lowercase));
    for place in places {
        let place = place.trim_start_matches("the ").to_string();
        for name in [format!("{place} {body}"), body.clone()] {
            if let Some((e, _)) = gazetteer.lookup(&name) {
                if matches!(e.kind, ActorKind::Organization | ActorKind::Group) {
                    let place_name = gazetteer
                        .lookup(&place)
                        .map(|(p, _)| p.name.clone())
                        .unwrap_or_else(|| title_case(&place));
                    return Some((
                        ActorRef {
                            id: crate::actors::gaz_key(&e.name),
                            name: e.name.clone(),
                        },
                        named_by_phrase.then_some(place_name),
                    ));
                }
            }
        }
    }
    None
}

/// `gaza city` → `Gaza City`.
fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The state or body a person speaks for, from a role with an official
/// title and an affiliation the actor file knows.
fn speaks_for(
    actors: &ArticleActors,
    subject: &ActorRef,
    gazetteer: &Gazetteer,
) -> Option<ActorRef> {
    let actor = actors.actors.iter().find(|a| a.key == subject.id)?;
    if actor.kind != ActorKind::Person {
        return None;
    }
    actor.roles.iter().find_map(|r| {
        let title = r.title.to_lowercase();
        if !official_titles()
            .iter()
            .any(|t| title.ends_with(t.as_str()))
        {
            return None;
        }
        match r.affiliation.as_deref() {
            Some(aff) => {
                let (entry, _) = gazetteer.lookup(aff)?;
                matches!(
                    entry.kind,
                    ActorKind::Country | ActorKind::Organization | ActorKind::Group
                )
                .then(|| ActorRef {
                    id: crate::actors::gaz_key(&entry.name),
                    name: entry.name.clone(),
                })
            }
            // No state named with the title: the person's own statements
            // stay theirs (guessing the state would split one person's
            // statements across keys).
            None => None,
        }
    })
}

/// The condition clause of a conditional stance: from `unless`, `until`
/// or `if` after the trigger to the end of the sentence.
///
/// With `rejecting`, a rejection of the issue `without` something, or of
/// one `that does not include` it, is a condition too (rule
/// `rejected_without`): `rejected a ceasefire that does not include the
/// release of our hostages` accepts one that does.
fn condition(text: &str, sentence: Span, after: usize, rejecting: bool) -> Option<String> {
    let s = text.get(after.max(sentence.start)..sentence.end)?;
    // Stay in the trigger's clause: a comma followed by a capitalised word
    // starts another (`called for a ceasefire, Israeli Prime Minister … has
    // rejected it unless …`).
    let clause_end = s
        .match_indices(", ")
        .find(|(i, _)| {
            let next = &s[i + 2..];
            next.starts_with(|c: char| c.is_uppercase())
                || ["while ", "whereas ", "but ", "although ", "though "]
                    .iter()
                    .any(|w| next.starts_with(w))
        })
        .map_or(s.len(), |(i, _)| i)
        .min(s.find("; ").unwrap_or(s.len()));
    let s = &s[..clause_end];
    let lower = s.to_lowercase();
    const WHEN_REJECTING: &[&str] = &[
        " without ",
        " that does not include ",
        " that doesn't include ",
    ];
    ["unless ", "until ", "as long as ", "only if ", " if "]
        .iter()
        .chain(WHEN_REJECTING.iter().filter(|_| rejecting))
        .filter_map(|cue| lower.find(cue).map(|i| (i, cue)))
        .min_by_key(|(i, _)| *i)
        .and_then(|(i, _)| s.get(i..))
        .map(|c| {
            c.trim()
                .trim_end_matches(['.', '"', '\u{201d}'])
                .trim()
                .to_string()
        })
}

/// Whether a trigger sits in a condition (`unless Hamas releases`,
/// `until the army withdraws`): something that has not happened.
fn in_condition(text: &str, sentence: Span, trigger: usize) -> bool {
    let Some(before) = text.get(sentence.start..trigger) else {
        return false;
    };
    before
        .split_whitespace()
        .rev()
        .take(6)
        .map(|w| w.to_lowercase())
        .any(|w| matches!(w.as_str(), "unless" | "until" | "if" | "whether" | "once"))
}

/// `X rather than a full ceasefire`: the issue the actor prefers the
/// event's issue to, which it is therefore against.
fn rather_than(text: &str, sentence: Span, after: usize) -> Option<&'static str> {
    let s = text
        .get(after.max(sentence.start)..sentence.end)?
        .to_lowercase();
    let i = s.find("rather than ").or_else(|| s.find("instead of "))?;
    let tail: String = s[i..]
        .split_whitespace()
        .skip(2)
        .take(4)
        .collect::<Vec<_>>()
        .join(" ");
    [
        ("ceasefire", "ceasefire"),
        ("cease-fire", "ceasefire"),
        ("truce", "truce"),
        ("pause", "humanitarian_pause"),
        ("talks", "talks"),
    ]
    .iter()
    .find(|(w, _)| tail.contains(w))
    .map(|(_, issue)| *issue)
}

fn event_claims(
    facts: &ArticleFacts<'_>,
    analysis: &Analysis,
    actors: &ArticleActors,
    gazetteer: &Gazetteer,
    e: &Event,
) -> Vec<Claim> {
    let mut out = Vec::new();
    if matches!(
        e.modality,
        Modality::Hypothetical | Modality::Planned | Modality::Questioned
    ) {
        return out;
    }
    let claimant_official = e.source.as_ref().and_then(|c| {
        let span = c.resolved.as_ref().map_or(c.span, |r| r.span);
        let i = actors.resolve_span(facts.text, span, analysis, gazetteer)?;
        let a = actors.actors.get(i)?;
        (a.kind == ActorKind::Person && a.roles.iter().any(|r| is_official(&r.title)))
            .then(|| actor_ref(actors, i))
            .flatten()
    });
    let subject = e.actor.as_ref().and_then(|p| {
        let text = facts.text.get(p.span.start..p.span.end).unwrap_or("");
        // Rule `members_not_body`: `60 Labour MPs called for` states no
        // position of Labour.
        if storyline_analyze::events::names_members(text) {
            return None;
        }
        // `The government has rejected calls for a truce, Foreign Minister
        // Oskar Venn said`: the minister states the government's position.
        if is_government(text) {
            if let Some(official) = &claimant_official {
                return Some(official.clone());
            }
        }
        resolve(facts, analysis, actors, gazetteer, p.span)
    });
    let object = e
        .target
        .as_ref()
        .and_then(|p| resolve(facts, analysis, actors, gazetteer, p.span));
    let claimant = e
        .source
        .as_ref()
        .and_then(|c| claimant_of(facts, analysis, actors, gazetteer, c));
    let base =
        |kind, key: String, predicate: String, subject: Option<ActorRef>, summary: String| Claim {
            id: String::new(),
            kind,
            key,
            summary,
            claimant: claimant.clone(),
            subject,
            on_behalf_of: None,
            object: object.clone(),
            predicate,
            place: e.place.as_ref().map(|p| p.text.clone()),
            place_inferred: false,
            value: None,
            value_high: None,
            approximation: None,
            category: None,
            population: None,
            period: None,
            since: None,
            on: None,
            cause: None,
            background: false,
            position: None,
            condition: None,
            negated: e.negated,
            modality: Some(e.modality),
            as_of: e
                .time
                .as_ref()
                .and_then(|t| full_day(&t.value))
                .or(facts.published),
            earlier: false,
            evidence: evidence(facts, e.sentence, e.trigger.span),
            story: None,
        };
    if let Some(issue) = e.issue {
        let position = match e.kind {
            EventType::Demand | EventType::Agree | EventType::Support => Some(Position::For),
            EventType::Reject | EventType::Disapprove => Some(Position::Against),
            _ => None,
        };
        if let Some(mut position) = position {
            if e.negated != e.issue_negated {
                position = match position {
                    Position::For => Position::Against,
                    _ => Position::For,
                };
            }
            let cond = condition(
                facts.text,
                e.sentence,
                e.trigger.span.end,
                e.kind == EventType::Reject,
            );
            if cond.is_some() || e.modality == Modality::Conditional {
                position = Position::Conditional;
            }
            // Everyone named between the actor and the trigger's issue
            // (`calls from Qatar, Saudi Arabia, Egypt … for a ceasefire`).
            let mut subjects: Vec<ActorRef> = Vec::new();
            if let Some(p) = &e.actor {
                // Before the trigger: the coordinated subject (`Qatar, Egypt
                // and Jordan called for`). After it: everyone up to the issue
                // (`calls from Qatar, …, and the UAE for a ceasefire`).
                let group = if p.span.end <= e.trigger.span.start {
                    Span::new(
                        coordinated_start(facts.text, analysis, e.sentence, p.span),
                        p.span.end,
                    )
                } else {
                    let end = facts
                        .text
                        .get(p.span.start..e.sentence.end)
                        .and_then(|rest| {
                            let lower = rest.to_lowercase();
                            lower
                                .find(issue.as_str().split('_').next().unwrap_or(""))
                                .map(|i| p.span.start + i)
                        });
                    Span::new(p.span.start, end.unwrap_or(p.span.end).max(p.span.end))
                };
                // Rule `members_not_body` here too: `calls from the SNP and
                // some Labour MPs` name Labour's members, not Labour.
                let inside = actors.actors_in_where(group, analysis, |m| {
                    let own = facts.text.get(m.span.start..m.span.end).unwrap_or("");
                    let after = facts.text.get(m.span.end..e.sentence.end).unwrap_or("");
                    let next = after.split_whitespace().next().unwrap_or("");
                    let next = next.trim_end_matches(|c: char| !c.is_alphanumeric());
                    !storyline_analyze::events::names_members(own)
                        && !storyline_analyze::events::names_members(next)
                });
                let states: Vec<usize> = inside
                    .into_iter()
                    .filter(|&i| {
                        matches!(
                            actors.actors[i].kind,
                            ActorKind::Country | ActorKind::Organization | ActorKind::Group
                        ) && !actors.actors[i].via_demonym
                    })
                    .collect();
                // One state left beside members (`calls from the SNP and
                // some Labour MPs`) holds the position alone.
                if states.len() > 1 || states.len() == 1 && subject.is_none() {
                    subjects = states
                        .into_iter()
                        .filter_map(|i| actor_ref(actors, i))
                        .collect();
                }
            }
            if subjects.is_empty() {
                subjects.extend(subject.clone());
            }
            for s in subjects {
                let behalf = speaks_for(actors, &s, gazetteer);
                let who = behalf.as_ref().unwrap_or(&s);
                let key = format!("stance|{}|{}", who.id, issue.as_str());
                let summary = format!(
                    "{}{} {} {}{}",
                    s.name,
                    behalf
                        .as_ref()
                        .map(|b| format!(" ({})", b.name))
                        .unwrap_or_default(),
                    position.as_str(),
                    issue.as_str().replace('_', " "),
                    cond.as_ref().map(|c| format!(": {c}")).unwrap_or_default()
                );
                let mut c = base(
                    ClaimKind::Stance,
                    key,
                    issue.as_str().to_string(),
                    Some(s.clone()),
                    summary,
                );
                c.on_behalf_of = behalf.clone();
                c.position = Some(position);
                c.condition = cond.clone();
                c.object = None;
                out.push(c);
                if let (Position::For, Some(other)) = (
                    position,
                    rather_than(facts.text, e.sentence, e.trigger.span.end),
                ) {
                    if other != issue.as_str() {
                        let who = behalf.as_ref().unwrap_or(&s);
                        let mut c = base(
                            ClaimKind::Stance,
                            format!("stance|{}|{other}", who.id),
                            other.to_string(),
                            Some(s.clone()),
                            format!("{} against {}", s.name, other.replace('_', " ")),
                        );
                        c.on_behalf_of = behalf.clone();
                        c.position = Some(Position::Against);
                        c.object = None;
                        out.push(c);
                    }
                }
            }
        }
    }
    if let (Some(s), true, false) = (
        &subject,
        e.kind != EventType::Demand || e.issue.is_none(),
        in_condition(facts.text, e.sentence, e.trigger.span.start),
    ) {
        let key = format!(
            "event|{}|{}|{}",
            e.kind.as_str(),
            s.id,
            object.as_ref().map_or("", |o| o.id.as_str())
        );
        let summary = format!(
            "{} {}{} {}",
            s.name,
            if e.negated { "not " } else { "" },
            e.kind.as_str(),
            object.as_ref().map(|o| o.name.as_str()).unwrap_or("")
        );
        out.push(base(
            ClaimKind::Event,
            key,
            e.kind.as_str().to_string(),
            Some(s.clone()),
            summary.trim().to_string(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_after_including_is_a_part() {
        let text = "About 900 people have died since Saturday, including 260 at the festival.";
        let at = text.find("260").expect("in the text");
        assert!(introduced_by_including(text, at));
        assert!(!introduced_by_including(
            text,
            text.find("900").expect("in the text")
        ));
        assert!(!introduced_by_including("260", 0));
    }

    #[test]
    fn a_period_start_reads_at_its_own_grain() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(first_day_of("2007"), d(2007, 1, 1));
        assert_eq!(first_day_of("2023-10"), d(2023, 10, 1));
        assert_eq!(first_day_of("2023-10-07TMO"), d(2023, 10, 7));
        assert_eq!(first_day_of("XXXX-10-07"), None);
        assert_eq!(first_day_of("2023-W40"), d(2023, 10, 2));
        assert_eq!(last_day_of("2023-W40"), d(2023, 10, 8));
        assert_eq!(last_day_of("2023-WXX"), None);
        assert_eq!(duration_days("P3W"), Some(21));
        assert_eq!(duration_days("P11D"), Some(11));
        assert_eq!(duration_days("PXW"), None);
        assert_eq!(duration_days("PT2H"), None);
        assert_eq!(duration_days("P99999999999999999Y"), None);
    }
    use crate::actors::article_actors;
    use storyline_analyze::document::{analyze, AnalysisContext};
    use storyline_core::Timestamp;

    #[test]
    fn the_outlets_own_voice_is_no_claimant() {
        assert!(is_own_voice("BBC News", Some("bbc")));
        assert!(is_own_voice("the BBC", Some("bbc")));
        assert!(is_own_voice("The Guardian", Some("theguardian")));
        assert!(is_own_voice("Reuters", Some("reuters")));
        assert!(!is_own_voice("BBC News", Some("reuters")));
        assert!(!is_own_voice("BBC News", None));
        // A body that only shares a first word with the outlet speaks for itself.
        assert!(!is_own_voice(
            "Times Square Alliance spokesman",
            Some("times")
        ));
    }

    fn claims(text: &str, published: Option<&str>) -> Vec<Claim> {
        let id = ArticleId::for_text(text);
        let a = analyze(
            text,
            &AnalysisContext {
                published: published.and_then(|p| Timestamp::parse(p).ok()),
            },
        );
        let g = Gazetteer::embedded();
        let actors = article_actors(text, &a, &g);
        let facts = ArticleFacts {
            id: &id,
            text,
            outlet: Some("Test Wire"),
            publisher: Some("test wire".into()),
            published: published.and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok()),
            published_provenance: "header",
            duplicate_group: &id,
        };
        claims_of(&facts, &a, &actors, &g)
    }

    #[test]
    fn figures_become_keyed_claims_with_claimants() {
        let c = claims(
            "Gaza health authorities say at least 9,061 people have been killed in Gaza.",
            Some("2023-11-04"),
        );
        let f = c
            .iter()
            .find(|c| c.kind == ClaimKind::Figure)
            .expect("a figure claim");
        assert_eq!(f.value, Some(9061.0));
        assert_eq!(f.approximation, Some(Approximation::AtLeast));
        assert!(f.key.starts_with("figure|killed|"), "{}", f.key);
        assert_eq!(
            f.claimant.as_ref().map(|c| c.name.as_str()),
            Some("Gaza Health Ministry")
        );
        assert_eq!(f.as_of, NaiveDate::from_ymd_opt(2023, 11, 4));
        assert!(f.evidence.sentence.contains("9,061"));
        assert!(f.id.ends_with("-0"));
    }

    #[test]
    fn an_event_of_an_earlier_year_is_its_own_background_incident() {
        let c = claims(
            "BP has a record of safety lapses, such as a 2005 refinery blast that killed 15 workers.",
            Some("2010-09-15"),
        );
        let f = c.iter().find(|c| c.value == Some(15.0)).expect("the toll");
        assert!(f.key.ends_with("|incident@2005"), "{}", f.key);
        assert!(f.background, "{f:?}");
        // A toll reported the day after its incident is news.
        let c = claims(
            "The explosion on the rig on April 20 killed 11 workers.",
            Some("2010-04-21"),
        );
        let f = c.iter().find(|c| c.value == Some(11.0)).expect("the toll");
        assert!(!f.background, "{f:?}");
        // A rate the sentence dates a month back is recalled, however its
        // period reads.
        let c = claims(
            "Last month, BP was estimating the leak at 5,000 barrels per day.",
            Some("2010-06-12"),
        );
        let f = c
            .iter()
            .find(|c| c.value == Some(5000.0))
            .expect("the rate");
        assert!(f.background, "{f:?}");
        assert_eq!(last_day_of("2010-04"), NaiveDate::from_ymd_opt(2010, 4, 30));
        assert_eq!(last_day_of("1989"), NaiveDate::from_ymd_opt(1989, 12, 31));
        assert_eq!(last_day_of("XXXX-10-07"), None);
    }

    #[test]
    fn a_name_that_only_qualifies_the_source_is_not_the_claimant() {
        // As in the Reuters seed: the analysis links the source to `Gaza`,
        // but the health authorities gave the toll.
        let c = claims(
            "Israel has struck Gaza every day since Oct. 7. Gaza health authorities say at least 9,061 people \u{2013} many of them women and children \u{2013} have been killed since Israel started its assault on the enclave.",
            None,
        );
        let f = c
            .iter()
            .find(|c| c.value == Some(9061.0))
            .expect("the toll");
        assert_eq!(
            f.claimant.as_ref().map(|c| c.name.as_str()),
            Some("Gaza Health Ministry"),
            "{f:?}"
        );
        let c = claims(
            "Hamas leaders met in Doha. Hamas officials said 30 hostages were released.",
            None,
        );
        // Its officials speak for the body (issue 17: claimants are actors).
        let f = c.iter().find(|c| c.value == Some(30.0)).expect("the count");
        assert_eq!(
            f.claimant.as_ref().map(|c| c.name.as_str()),
            Some("Hamas"),
            "{f:?}"
        );
        // The demo's `Marevia’s health ministry said …`: a state's ministry
        // gave the toll, not the state.
        let c = claims(
            "Floods hit Tolvania's north. Tolvania\u{2019}s health ministry said at least 23 people had been killed.",
            None,
        );
        let f = c.iter().find(|c| c.value == Some(23.0)).expect("the toll");
        assert_eq!(
            f.claimant.as_ref().map(|c| c.name.as_str()),
            Some("Tolvania\u{2019}s health ministry"),
            "{f:?}"
        );
        let c = claims(
            "Antony Blinken arrived in Amman. He said 200 trucks had crossed.",
            None,
        );
        let f = c
            .iter()
            .find(|c| c.value == Some(200.0))
            .expect("the trucks");
        assert_eq!(
            f.claimant.as_ref().map(|c| c.name.as_str()),
            Some("Antony Blinken"),
            "a pronoun still resolves to its name: {f:?}"
        );
        assert!(qualifies_only(
            "Trump's spokesman",
            Span { start: 0, end: 17 },
            Span { start: 0, end: 5 }
        ));
        assert!(!qualifies_only(
            "Hamas spokesman Ghazi Hamad",
            Span { start: 0, end: 27 },
            Span { start: 16, end: 27 }
        ));
    }

    #[test]
    fn stances_come_from_calls_and_rejections() {
        let c = claims(
            "Washington has dismissed calls from Arab and several other nations for a full ceasefire. Qatar, Egypt and Jordan called for an immediate ceasefire.",
            None,
        );
        let against: Vec<_> = c
            .iter()
            .filter(|c| c.position == Some(Position::Against))
            .collect();
        assert!(
            against
                .iter()
                .any(|c| c.key == "stance|gaz:united states|ceasefire"),
            "{c:#?}"
        );
        let for_: Vec<&str> = c
            .iter()
            .filter(|c| c.position == Some(Position::For))
            .filter_map(|c| c.subject.as_ref().map(|s| s.name.as_str()))
            .collect();
        for country in ["Qatar", "Egypt", "Jordan"] {
            assert!(for_.contains(&country), "{country} missing from {for_:?}");
        }
    }

    #[test]
    fn support_and_opposition_are_stances() {
        // What an analyst types into `storyline check`.
        for (text, position) in [
            (
                "The United States supports a ceasefire in Gaza.",
                Position::For,
            ),
            ("Qatar backs a humanitarian pause.", Position::For),
            ("Israel opposes a ceasefire.", Position::Against),
            (
                "The United States does not support a ceasefire.",
                Position::Against,
            ),
        ] {
            let c = claims(text, None);
            let s = c
                .iter()
                .find(|c| c.kind == ClaimKind::Stance)
                .unwrap_or_else(|| panic!("no stance in {text:?}: {c:?}"));
            assert_eq!(s.position, Some(position), "{text}");
        }
    }

    #[test]
    fn conditions_make_a_stance_conditional() {
        let c = claims(
            "Israeli Prime Minister Benjamin Netanyahu has rejected a ceasefire unless Hamas releases the hostages it is holding.",
            None,
        );
        let s = c
            .iter()
            .find(|c| c.kind == ClaimKind::Stance)
            .expect("a stance");
        assert_eq!(s.position, Some(Position::Conditional));
        assert!(
            s.condition
                .as_deref()
                .unwrap_or("")
                .starts_with("unless Hamas releases"),
            "{s:#?}"
        );
    }

    #[test]
    fn rejecting_one_without_a_condition_met_is_conditional() {
        for text in [
            "Israel rejected a truce that does not include the return of its prisoners.",
            "Israel has rejected calls for a truce without the return of its prisoners.",
        ] {
            let c = claims(text, None);
            let s = c
                .iter()
                .find(|c| c.kind == ClaimKind::Stance)
                .unwrap_or_else(|| panic!("no stance in {text:?}: {c:#?}"));
            assert_eq!(s.position, Some(Position::Conditional), "{text}");
        }
        // `without` qualifies only a rejection.
        let c = claims("Qatar called for a truce without delay.", None);
        assert!(
            c.iter().any(|c| c.position == Some(Position::For)),
            "{c:#?}"
        );
    }

    #[test]
    fn members_and_the_outlet_spoken_to_hold_no_position() {
        /// Who holds the stances of `text` with `position` (any when `None`).
        fn holders(text: &str, position: Option<Position>) -> Vec<String> {
            claims(text, None)
                .into_iter()
                .filter(|c| c.kind == ClaimKind::Stance)
                .filter(|c| position.is_none_or(|p| c.position == Some(p)))
                .filter_map(|c| c.subject.map(|s| s.name))
                .collect()
        }
        assert_eq!(
            holders(
                "More than 40 Labour MPs have called for a ceasefire. Speaking to the BBC, Israel rejected a ceasefire.",
                None
            ),
            vec!["Israel"]
        );
        // In a list of callers too.
        let callers = holders(
            "Israel dismissed calls from Qatar, Egypt and some Labour MPs for a ceasefire.",
            Some(Position::For),
        );
        assert!(callers.iter().any(|c| c == "Qatar"), "{callers:?}");
        assert!(!callers.iter().any(|c| c == "Labour"), "{callers:?}");
        assert_eq!(
            holders(
                "Israel dismissed calls from Qatar and some Labour MPs for a ceasefire.",
                Some(Position::For)
            ),
            vec!["Qatar"]
        );
    }

    #[test]
    fn no_claims_from_nothing() {
        assert!(claims("", None).is_empty());
        assert!(claims("The weather was fine.", None).is_empty());
    }

    #[test]
    fn people_in_part_of_a_place_are_not_the_place_s_people() {
        let key = |text: &str| {
            claims(text, Some("2025-03-05"))
                .into_iter()
                .find(|c| c.kind == ClaimKind::Figure)
                .map(|c| c.key)
                .unwrap_or_default()
        };
        let part = key("About 1,000,000 people live in northern Gaza.");
        let whole = key("About 2,300,000 people live in Gaza.");
        assert!(part.contains("gaza/north"), "{part}");
        assert_ne!(part, whole);
        // A toll in part of a country is the country's toll.
        let toll = key("Gunmen killed 1,200 people in southern Israel, officials said.");
        assert!(!toll.contains('/'), "{toll}");
    }

    #[test]
    fn a_name_met_once_is_not_the_articles_place() {
        // `one_mention_no_place`: a page's footer (`Listen … on Sounds`)
        // is a place only to the tagger; an article that names no place
        // of its own has none, and a place it keeps naming still wins.
        let text = "Dravik police suspended a driver. The Dravik union protested. \
                    Listen to the show on Sounds.";
        let at = |word: &str, nth: usize| {
            let start = text.match_indices(word).nth(nth).expect("in the text").0;
            Span {
                start,
                end: start + word.len(),
            }
        };
        let actor = |name: &str, mentions: Vec<Span>| crate::actors::ArticleActor {
            key: format!("name:{}", name.to_lowercase()),
            name: name.to_string(),
            kind: ActorKind::Place,
            known: false,
            surface: vec![name.to_string()],
            mentions,
            roles: Vec::new(),
            via_demonym: false,
        };
        let mut actors = ArticleActors {
            actors: vec![actor("Sounds", vec![at("Sounds", 0)])],
            by_mention: Vec::new(),
        };
        assert_eq!(context_place(text, &actors), None);
        // Named once but known to the actor file, it may be the place.
        actors.actors[0].known = true;
        assert_eq!(context_place(text, &actors).as_deref(), Some("Sounds"));
        actors.actors[0].known = false;
        actors
            .actors
            .push(actor("Dravik", vec![at("Dravik", 0), at("Dravik", 1)]));
        assert_eq!(context_place(text, &actors).as_deref(), Some("Dravik"));
        // Named once, but as where something is: the place.
        let text = "Oil leaked in the Gulf of Veyra. Listen on Sounds.";
        let mention = |word: &str| {
            let start = text.find(word).expect("in the text");
            vec![Span {
                start,
                end: start + word.len(),
            }]
        };
        let actors = ArticleActors {
            actors: vec![
                actor("Sounds", mention("Sounds")),
                actor("Gulf of Veyra", mention("Gulf of Veyra")),
            ],
            by_mention: Vec::new(),
        };
        assert_eq!(
            context_place(text, &actors).as_deref(),
            Some("Gulf of Veyra")
        );
    }

    #[test]
    fn a_place_that_speaks_places_its_count() {
        // `speaking_place`: the town gives its own residents' toll; it is
        // neither the claimant nor a count of the article's place. (A
        // tagger reads `Ardan Keshet` as a person; `the town of` says
        // otherwise.)
        let c = claims(
            "Strikes in Veyra killed 30 people on Monday, officials in Veyra said. \
             The town of Ardan Keshet said 15 of its residents were shot dead.",
            Some("2025-03-05"),
        );
        let f = c.iter().find(|c| c.value == Some(15.0)).expect("the toll");
        assert_eq!(f.place.as_deref(), Some("Ardan Keshet"), "{f:?}");
        assert!(!f.place_inferred);
        assert!(f.claimant.is_none(), "{f:?}");
        assert!(named_as_place(
            "the kibbutz of Dravik",
            Span { start: 15, end: 21 }
        ));
        assert!(!named_as_place(
            "the head of Dravik",
            Span { start: 12, end: 18 }
        ));
    }

    #[test]
    fn a_participle_is_no_claimant() {
        // `participle_no_one`: `growing` describes the calls; no one gives
        // the count.
        let c = claims(
            "There have been growing calls for a humanitarian pause to allow aid into Veyra, \
             and to help get out some of the 240 hostages taken by the militia.",
            Some("2025-03-05"),
        );
        let f = c
            .iter()
            .find(|c| c.value == Some(240.0))
            .expect("the hostages");
        assert!(f.claimant.is_none(), "{f:?}");
        // A name still speaks, whatever its last letters.
        let c = claims(
            "Fielding said 40 people were missing in Veyra.",
            Some("2025-03-05"),
        );
        let f = c
            .iter()
            .find(|c| c.value == Some(40.0))
            .expect("the missing");
        assert!(f.claimant.is_some(), "{f:?}");
    }

    #[test]
    fn shares_are_not_figure_claims() {
        let figures = |text: &str| {
            claims(text, Some("2025-03-05"))
                .into_iter()
                .filter(|c| c.kind == ClaimKind::Figure)
                .map(|c| c.value)
                .collect::<Vec<_>>()
        };
        assert!(figures("Officials said 80% of the hospital was out of service.").is_empty());
        // The toll stays; the share of it does not.
        assert_eq!(
            figures(
                "The ministry said about 300 people, two thirds of them civilians, were killed."
            ),
            vec![Some(300.0)]
        );
    }
}

#[cfg(test)]
mod institution_tests {
    use super::*;

    #[test]
    fn a_body_named_with_its_place_is_the_actor_file_entry() {
        let g = Gazetteer::embedded();
        let text = "The Hamas-run health ministry in Gaza says that more than 11,000 people have been killed.";
        let phrase = institution_phrase(text, Span::new(0, text.len()), Span::new(33, 37));
        assert_eq!(phrase, "The Hamas-run health ministry in Gaza");
        let (actor, place) = institution(&g, &phrase, None, false).expect("an institution");
        assert_eq!(actor.name, "Gaza Health Ministry");
        assert_eq!(place.as_deref(), Some("Gaza"));
        let (actor, _) = institution(&g, "Palestinian health officials", Some("Gaza"), false)
            .expect("by the figure's place");
        assert_eq!(actor.name, "Gaza Health Ministry");
        assert!(institution(&g, "Israeli officials", Some("Gaza"), false).is_none());
        // A people's officials giving a toll speak for its health body when
        // the actor file knows one; other peoples' officials stay as written.
        let (actor, _) =
            institution(&g, "Palestinian officials", Some("Gaza"), true).expect("the health body");
        assert_eq!(actor.name, "Gaza Health Ministry");
        assert!(institution(&g, "Palestinian officials", Some("Gaza"), false).is_none());
        assert!(institution(&g, "Israeli officials", Some("Gaza"), true).is_none());
        let (actor, _) = institution(
            &g,
            "Palestinian health ministry officials",
            Some("Gaza"),
            true,
        )
        .expect("the ministry");
        assert_eq!(actor.name, "Gaza Health Ministry");
    }
}
