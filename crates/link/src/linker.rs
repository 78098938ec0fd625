//! The incremental linker: takes each article not yet linked, in ingest
//! order, and updates entities, claims, findings and stances through the
//! store's link records, one transaction per article.
//!
//! Every lookup goes through a key (`link_lookup`) with a per-key cap, so
//! linking one article costs the same whether the store holds a thousand
//! articles or a million. Record kinds: `entity`, `claim`, `finding`,
//! `stance`, `story`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storyline_analyze::document::Analysis;
use storyline_analyze::figures::{Category, Period};
use storyline_core::{Article, ArticleId};
use storyline_store::{LinkBatch, LinkRecord, Store, StoreError};
use tracing::{debug, warn};

use crate::actors::{article_actors, normalize_name, ActorKind, ArticleActor, Gazetteer};
use crate::claims::{claims_of, ActorRef, ArticleFacts, Claim, ClaimKind, Position};
use crate::findings::{
    compare, repeats, stable_hash, Finding, FindingKind, DEFAULT_MIN_CONFIDENCE,
};
use crate::reads::ArticleReads;
use crate::stories::{Clusterer, StoryFeatures, StoryId, StoryParams};
use crate::story_store::{StoreStoryIndex, StoryRecord, STORYLINE_LEVEL};

/// The linking rules' version. The name stored with the links
/// ([`Linker::name`]) adds the analyser version and the actor file's
/// fingerprint: a store linked under any other is relinked from scratch.
pub const LINK_VERSION: &str = "link/21";

/// Record kinds.
pub mod kinds {
    /// Canonical entities.
    pub const ENTITY: &str = "entity";
    /// Claims.
    pub const CLAIM: &str = "claim";
    /// Findings between claims.
    pub const FINDING: &str = "finding";
    /// Actor × issue stance cells.
    pub const STANCE: &str = "stance";
    /// Stories.
    pub const STORY: &str = "story";
    /// Storylines: the long-running situations stories belong to.
    pub const STORYLINE: &str = "storyline";
    /// Where the reports that name a place put an incident of a day
    /// (`2023-10-07|killed` → place → reports), and a count of a measure and
    /// period (`n|killed|total|1400`).
    pub const INCIDENT_PLACE: &str = "incident_place";
    /// The earliest reports of one value of one quantity
    /// (`figure|killed|people|israel|total|1400` → articles and days), for
    /// rule `settled_count`.
    pub const COUNT_SEEN: &str = "count_seen";
}

/// Claims of one key compared with a new claim, newest first: a claim
/// repeated ten thousand times costs no more than one repeated ten times.
const CLAIMS_COMPARED_PER_KEY: usize = 64;
/// Entities read per lookup key when finding an actor's entity: one is a
/// match, two or more make a surname or a name ambiguous.
const ENTITY_LOOKUP_PER_KEY: usize = 3;
/// An incident this many days before the article is a past one, placed by
/// the reports that name its place (`Linker::place_past_incidents`).
const PAST_INCIDENT_DAYS: i64 = 3;
/// Reports naming one place that can place a past incident.
const INCIDENT_PLACE_VOTES: u32 = 2;
/// The least count that places a repeat of it (`place_by_same_count`):
/// below it, one value is many quantities' (`two`, `12`, `40`).
const SAME_COUNT_MIN: f64 = 100.0;
/// Agreements recorded per new claim (the rest add nothing a reader needs).
const AGREEMENTS_PER_CLAIM: usize = 2;
/// A count reported this many days or more before a report of the same
/// value is settled news (rule `settled_count`); with a recalled incident
/// (`Claim::background`) it makes a claim old news (rule `old_news`).
const SETTLED_COUNT_DAYS: i64 = 7;
/// Contradictions recorded per new claim.
const CONTRADICTIONS_PER_CLAIM: usize = 5;
/// Entries kept per stance cell, newest last.
const STANCE_ENTRIES: usize = 50;
/// Article ids a storyline record keeps (its stories keep theirs).
const STORYLINE_ARTICLES: usize = 50;
/// A story's headline is kept to this many characters.
const MAX_HEADLINE_CHARS: usize = 300;
/// Article ids kept on an entity record, newest last.
const ENTITY_ARTICLES: usize = 50;

/// An error while linking.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored record could not be read back.
    #[error("the stored {kind} record {id} is unreadable ({reason}); run `storyline relink` to rebuild the links")]
    Corrupt {
        /// Record kind.
        kind: String,
        /// Record id.
        id: String,
        /// Why.
        reason: String,
    },
}

/// A canonical entity across articles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityRecord {
    /// Its id (a slug of the name).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Kind.
    pub kind: ActorKind,
    /// Whether the actor file knows it.
    pub known: bool,
    /// Surface forms and how often each was used.
    pub aliases: BTreeMap<String, u64>,
    /// Roles reported for it, with when.
    pub roles: Vec<EntityRole>,
    /// Mentions across articles.
    pub mentions: u64,
    /// Articles naming it.
    pub articles: u64,
    /// First and last published day of those articles, when known.
    pub first_seen: Option<NaiveDate>,
    /// See `first_seen`.
    pub last_seen: Option<NaiveDate>,
    /// The latest articles naming it.
    pub recent_articles: Vec<ArticleId>,
    /// The article-level keys merged into it.
    pub keys: Vec<String>,
}

/// A role of an entity, with the dates it was reported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityRole {
    /// Normalised title (`secretary of state`).
    pub title: String,
    /// As first written (`US Secretary of State`).
    pub text: String,
    /// For whom.
    pub affiliation: Option<String>,
    /// First and last published day it was reported.
    pub first_reported: Option<NaiveDate>,
    /// See `first_reported`.
    pub last_reported: Option<NaiveDate>,
    /// Articles reporting it.
    pub articles: u64,
}

/// One actor × issue cell of the stance table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StanceCell {
    /// `<actor id>|<issue>`.
    pub id: String,
    /// The actor (a state for its officials' statements).
    pub actor: ActorRef,
    /// The issue (`ceasefire`, `humanitarian_pause`, …).
    pub issue: String,
    /// Every statement of a position, oldest linked first.
    pub entries: Vec<StanceEntry>,
}

/// One statement of a position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StanceEntry {
    /// The position.
    pub position: Position,
    /// Its condition.
    pub condition: Option<String>,
    /// Who stated it, when not the actor itself (`Antony Blinken`).
    pub via: Option<String>,
    /// The claim.
    pub claim: String,
    /// The evidence.
    pub evidence: crate::claims::Evidence,
}

impl StanceCell {
    /// The positions reported, most reported first.
    pub fn positions(&self) -> Vec<(Position, usize)> {
        let mut counts: Vec<(Position, usize)> = Vec::new();
        for e in &self.entries {
            match counts.iter_mut().find(|(p, _)| *p == e.position) {
                Some((_, n)) => *n += 1,
                None => counts.push((e.position, 1)),
            }
        }
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        counts
    }

    /// Whether sources disagree: both `for` and `against`/`conditional`
    /// were reported.
    pub fn contested(&self) -> bool {
        let ps = self.positions();
        ps.iter().any(|(p, _)| *p == Position::For) && ps.iter().any(|(p, _)| *p != Position::For)
    }

    /// The actor's change of position, when its statements of one side all
    /// came before those of the other (see [`position_change`]).
    pub fn change(&self) -> Option<PositionChange> {
        position_change(
            self.entries
                .iter()
                .map(|e| (e.position, e.evidence.published)),
        )
    }
}

/// An actor that moved from one side of an issue to the other: `against`
/// a humanitarian pause in one week, `for` it in the next.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PositionChange {
    /// The position of the last statement before the change.
    pub from: Position,
    /// The position of the first statement after it.
    pub to: Position,
    /// The day of the last statement of the old side.
    pub last_before: NaiveDate,
    /// The day of the first statement of the new side.
    pub first_after: NaiveDate,
}

/// Statements `(position, day)` of both sides (`for`; `against` or
/// `conditional`) that fall in two runs in time, every day of one before
/// every day of the other, are a change of position, not sources at odds.
/// Any undated statement, or one side on both sides of the other in time,
/// leaves it contested (`None`).
pub fn position_change(
    statements: impl IntoIterator<Item = (Position, Option<NaiveDate>)>,
) -> Option<PositionChange> {
    let mut dated: Vec<(NaiveDate, Position)> = Vec::new();
    for (p, day) in statements {
        dated.push((day?, p));
    }
    dated.sort_by_key(|(d, _)| *d);
    let side = |p: Position| p == Position::For;
    let first = dated.first()?;
    let turn = dated.iter().position(|(_, p)| side(*p) != side(first.1))?;
    let (before, after) = dated.split_at(turn);
    let last_before = before.last()?;
    let first_after = after.first()?;
    (after.iter().all(|(_, p)| side(*p) == side(first_after.1)) && last_before.0 < first_after.0)
        .then_some(PositionChange {
            from: last_before.1,
            to: first_after.1,
            last_before: last_before.0,
            first_after: first_after.0,
        })
}

/// What one linking pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkReport {
    /// Articles linked.
    pub articles: u64,
    /// Articles skipped because they have no analysis.
    pub without_analysis: u64,
    /// Entities created.
    pub new_entities: u64,
    /// Stories opened.
    pub new_stories: u64,
    /// Claims recorded.
    pub claims: u64,
    /// Of those, claims a copy of an article repeats (same near-duplicate
    /// group, same content): kept as evidence, not compared again.
    pub copied_claims: u64,
    /// Agreements not recorded because both sides are old news: each
    /// restates a count that was news a week or more earlier (rule
    /// `settled_count`) or recalls an incident four days or more before its
    /// article (rule `old_news`).
    pub settled_agreements: u64,
    /// Findings recorded, by kind.
    pub agree: u64,
    /// See `agree`.
    pub update: u64,
    /// See `agree`.
    pub contradict: u64,
    /// Revisions found (a claimant lowering its own count for one event).
    pub revision: u64,
    /// Inconsistencies found (one source, incompatible values the same day).
    pub inconsistent: u64,
    /// Whether the store was relinked from scratch (the linker changed).
    pub relinked: bool,
}

/// The key under which the same count is filed with the other reading of
/// its period: a toll recalled as one undated incident (`the attack that
/// killed 1,400`) and the same toll as a running total (`1,400 killed in
/// Israel`) are one quantity's history (rule `settled_count`).
fn sibling_key(key: &str) -> Option<String> {
    let mut parts: Vec<&str> = key.split('|').collect();
    if parts.first() != Some(&"figure") {
        return None;
    }
    let period = parts.get_mut(4)?;
    *period = match *period {
        "total" => "incident",
        "incident" => "total",
        _ => return None,
    };
    Some(parts.join("|"))
}

/// Whether two claim keys file one quantity ([`sibling_key`]).
fn one_quantity(a: &str, b: &str) -> bool {
    a == b || sibling_key(a).as_deref() == Some(b)
}

/// Rule `settled_count`: whether `c` restates a value of its key that
/// reports in two other articles of `known` gave [`SETTLED_COUNT_DAYS`] or
/// more before it
/// (`the explosion that killed 11 workers`, months after the blast). Two
/// such restatements agreeing tell a reader nothing; a fresh report and a
/// later restatement of it still agree (a confirmation).
///
/// `seen` holds the earliest reports of each value ([`kinds::COUNT_SEEN`]):
/// a count repeated in hundreds of articles has long left the key's capped
/// window of recent claims, and is settled all the same.
fn settled(c: &Claim, known: &[Claim], seen: &HashMap<String, Seen>) -> bool {
    let (Some(value), Some(day)) = (c.value, c.as_of) else {
        return false;
    };
    let from_known = known
        .iter()
        .filter(|k| one_quantity(&k.key, &c.key) && k.value == Some(value))
        .filter_map(|k| Some((&k.evidence.article, k.as_of?)));
    let from_seen = seen_id(c)
        .and_then(|id| seen.get(&id))
        .into_iter()
        .flatten()
        .map(|(a, d)| (a, *d));
    // Two earlier articles, so that one misdated report settles nothing.
    let mut articles = from_known
        .chain(from_seen)
        .filter(|(_, d)| (day - *d).num_days() >= SETTLED_COUNT_DAYS)
        .map(|(a, _)| a);
    articles
        .next()
        .is_some_and(|first| articles.any(|a| a != first))
}

/// The earliest reports of one value of one quantity: (article, as-of day),
/// oldest first, at most [`SEEN_KEPT`].
type Seen = Vec<(ArticleId, NaiveDate)>;

/// Reports kept per value: two settle a count, and one more stands in
/// for the article being linked, which never settles its own count.
const SEEN_KEPT: usize = 3;

/// The [`kinds::COUNT_SEEN`] id of a figure's value: its key with the
/// period's two readings (`total`, `incident`, [`sibling_key`]) as one, and
/// the value.
fn seen_id(c: &Claim) -> Option<String> {
    if c.kind != ClaimKind::Figure {
        return None;
    }
    let value = c.value?;
    let key = match c.key.split('|').nth(4) {
        Some("incident") => sibling_key(&c.key)?,
        _ => c.key.clone(),
    };
    let high = c.value_high.map(|h| format!("-{h}")).unwrap_or_default();
    Some(format!("{key}|{value}{high}"))
}

/// The [`kinds::COUNT_SEEN`] records of `ids`, through the article's reads
/// (each read once, as the store stood before this article).
fn seen_of(reads: &ArticleReads<'_>, ids: &[String]) -> Result<HashMap<String, Seen>, LinkError> {
    let mut seen = HashMap::new();
    for (id, body) in reads.bodies(kinds::COUNT_SEEN, ids)? {
        let reports = parse_body(kinds::COUNT_SEEN, &id, &body)?;
        seen.insert(id, reports);
    }
    Ok(seen)
}

/// Adds `claims` (each among the first reports of its value that the
/// key's window shows) to their [`kinds::COUNT_SEEN`] records in
/// `batch`: the earliest [`SEEN_KEPT`] reports of each value, by day.
/// Rule `settled_count` reads them, since the key's window of recent
/// claims forgets when a much-repeated count was first news.
fn record_seen(
    reads: &ArticleReads<'_>,
    claims: &[&Claim],
    batch: &mut LinkBatch,
) -> Result<(), LinkError> {
    let ids: Vec<String> = claims.iter().filter_map(|c| seen_id(c)).collect();
    let mut seen = seen_of(reads, &ids)?;
    let mut changed: Vec<String> = Vec::new();
    for c in claims {
        let (Some(id), Some(day)) = (seen_id(c), c.as_of) else {
            continue;
        };
        let reports = seen.entry(id.clone()).or_default();
        if reports.iter().any(|(a, _)| *a == c.evidence.article) {
            continue;
        }
        if reports.len() >= SEEN_KEPT && reports.iter().all(|(_, d)| *d <= day) {
            continue;
        }
        reports.push((c.evidence.article.clone(), day));
        reports.sort_by_key(|(_, d)| *d);
        reports.truncate(SEEN_KEPT);
        changed.push(id);
    }
    push_records(batch, kinds::COUNT_SEEN, changed, &seen);
    Ok(())
}

/// Rule `old_news`: `c` tells a reader nothing new, either because it
/// recalls an incident four days or more before its article (`the April 20
/// explosion that killed 11 workers`, [`Claim::background`]) or because it
/// restates a settled count ([`settled`]). Two such claims agreeing is not
/// a confirmation: the labelling rules ask that at least one side report
/// the count as news.
fn old_news(c: &Claim, known: &[Claim], seen: &HashMap<String, Seen>) -> bool {
    c.background || settled(c, known, seen)
}

/// Links articles of a store.
pub struct Linker<'s> {
    store: &'s dyn Store,
    gazetteer: &'s Gazetteer,
    name: String,
}

fn parse<T: for<'de> Deserialize<'de>>(kind: &str, r: &LinkRecord) -> Result<T, LinkError> {
    parse_body(kind, &r.id, &r.body)
}

fn parse_body<T: for<'de> Deserialize<'de>>(
    kind: &str,
    id: &str,
    body: &str,
) -> Result<T, LinkError> {
    serde_json::from_str(body).map_err(|e| LinkError::Corrupt {
        kind: kind.to_string(),
        id: id.to_string(),
        reason: e.to_string(),
    })
}

/// The first record of `kind` among `ids`, parsed, reading bodies only.
fn first_body<T: for<'de> Deserialize<'de>>(
    reads: &ArticleReads<'_>,
    kind: &str,
    ids: &[String],
) -> Result<Option<T>, LinkError> {
    match reads.bodies(kind, ids)?.first() {
        Some((id, body)) => parse_body(kind, id, body).map(Some),
        None => Ok(None),
    }
}

/// Writes the records of `ids` (each once) from `records` into `batch` as
/// records of `kind` with no lookup keys: the per-value tallies the linker
/// keeps beside its claims (`incident_place`, `count_seen`).
fn push_records<T: Serialize>(
    batch: &mut LinkBatch,
    kind: &str,
    mut ids: Vec<String>,
    records: &HashMap<String, T>,
) {
    ids.sort();
    ids.dedup();
    for id in ids {
        if let Some(v) = records.get(&id) {
            batch.records.push((
                kind.to_string(),
                LinkRecord {
                    id,
                    body: to_json(v),
                    keys: Vec::new(),
                },
            ));
        }
    }
}

fn to_json<T: Serialize>(v: &T) -> String {
    // Serialising our own plain structs cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// A URL-safe slug: `Antony Blinken` → `antony-blinken`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in normalize_name(s).chars() {
        if ch.is_alphanumeric() {
            out.push(ch);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "x".into()
    } else {
        out.chars().take(80).collect()
    }
}

impl<'s> Linker<'s> {
    /// A linker over `store` using `gazetteer` for actor names.
    pub fn new(store: &'s dyn Store, gazetteer: &'s Gazetteer) -> Linker<'s> {
        let name = format!(
            "{LINK_VERSION};{};actors={:016x}",
            storyline_analyze::document::ANALYZER,
            gazetteer.fingerprint()
        );
        Linker {
            store,
            gazetteer,
            name,
        }
    }

    /// The name stored with the links this linker makes.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Links every article not linked yet, in ingest order, calling
    /// `progress` after each. If the stored links were made by another
    /// linker version, they are dropped and everything is relinked.
    pub fn link_pending(&self, mut progress: impl FnMut(u64)) -> Result<LinkReport, LinkError> {
        let mut report = LinkReport::default();
        let state = self.store.link_state()?;
        if state.linker.as_deref().is_some_and(|l| l != self.name) {
            warn!(old = ?state.linker, new = %self.name, "the linker changed; relinking every article");
            self.store.reset_links(&self.name)?;
            report.relinked = true;
        }
        loop {
            let ids = self.store.unlinked(&self.name, 256)?;
            if ids.is_empty() {
                break;
            }
            for id in ids {
                self.link_one(&id, &mut report)?;
                progress(report.articles + report.without_analysis);
            }
        }
        Ok(report)
    }

    fn link_one(&self, id: &ArticleId, report: &mut LinkReport) -> Result<(), LinkError> {
        let mut batch = LinkBatch {
            linked_through: Some(id.clone()),
            ..LinkBatch::default()
        };
        let article = self.store.article(id)?;
        let analysis: Option<Analysis> = match self.store.analysis(id)? {
            Some(a) => match serde_json::from_str(&a.json) {
                Ok(a) => Some(a),
                Err(e) => {
                    warn!(article = %id, error = %e, "stored analysis unreadable; article not linked");
                    None
                }
            },
            None => None,
        };
        let (Some(article), Some(analysis)) = (article, analysis) else {
            report.without_analysis += 1;
            self.store.put_links(&self.name, &batch)?;
            return Ok(());
        };
        let reads = ArticleReads::new(self.store);
        self.link_article(&reads, &article, &analysis, &mut batch, report)?;
        self.store.put_links(&self.name, &batch)?;
        report.articles += 1;
        Ok(())
    }

    /// The claims a free text makes, with actors resolved to the store's
    /// entities where it knows them, for checking against stored claims.
    /// Writes nothing.
    pub fn query_claims(&self, text: &str) -> Result<Vec<Claim>, LinkError> {
        let analysis = storyline_analyze::document::analyze(
            text,
            &storyline_analyze::document::AnalysisContext::default(),
        );
        let actors = article_actors(text, &analysis, self.gazetteer);
        let id = ArticleId::for_text(text);
        let facts = ArticleFacts {
            id: &id,
            text,
            outlet: None,
            publisher: None,
            published: None,
            published_provenance: "unknown",
            duplicate_group: &id,
        };
        let mut claims = claims_of(&facts, &analysis, &actors, self.gazetteer);
        let reads = ArticleReads::new(self.store);
        let mut entity_of = HashMap::new();
        for c in &claims {
            for a in [&c.claimant, &c.subject, &c.object, &c.on_behalf_of]
                .into_iter()
                .flatten()
            {
                let actor = actors
                    .actors
                    .iter()
                    .find(|x| x.key == a.id)
                    .cloned()
                    .or_else(|| {
                        let (entry, _) = self.gazetteer.lookup(&a.name)?;
                        Some(ArticleActor {
                            key: a.id.clone(),
                            name: entry.name.clone(),
                            kind: entry.kind,
                            known: true,
                            surface: Vec::new(),
                            mentions: Vec::new(),
                            roles: Vec::new(),
                            via_demonym: false,
                        })
                    });
                if let Some(actor) = actor {
                    if let Some(e) = self.find_entity(&reads, &actor)? {
                        entity_of.insert(a.id.clone(), e.id);
                    }
                }
            }
        }
        to_entities(&mut claims, &entity_of);
        Ok(claims)
    }

    /// The entity a span of a linked article names: the entity mention
    /// the analyser tagged over the span, its article actor (as linking
    /// reads it), and the entity the store now holds for that actor.
    /// `None` when no mention overlaps the span or the actor was never
    /// linked. For evaluations and inspection: it reads, never writes.
    pub fn entity_at(
        &self,
        article: &Article,
        analysis: &Analysis,
        span: storyline_core::Span,
    ) -> Result<Option<EntityRecord>, LinkError> {
        let actors = article_actors(&article.draft.text, analysis, self.gazetteer);
        let hit = analysis
            .entities
            .iter()
            .zip(&actors.by_mention)
            .filter(|(m, _)| m.span.start < span.end && span.start < m.span.end)
            .find_map(|(_, a)| *a);
        match hit.and_then(|i| actors.actors.get(i)) {
            Some(actor) => self.find_entity(&ArticleReads::new(self.store), actor),
            None => Ok(None),
        }
    }

    /// Computes the link updates for one article into `batch`.
    fn link_article(
        &self,
        reads: &ArticleReads<'_>,
        article: &Article,
        analysis: &Analysis,
        batch: &mut LinkBatch,
        report: &mut LinkReport,
    ) -> Result<(), LinkError> {
        let text = article.draft.text.as_str();
        let published = article.draft.published.as_ref().map(|t| t.date);
        let actors = article_actors(text, analysis, self.gazetteer);
        let facts = ArticleFacts {
            id: &article.id,
            text,
            outlet: article.draft.source.as_deref(),
            publisher: article
                .draft
                .source
                .as_deref()
                .map(|o| crate::publishers::publisher_of(o, self.gazetteer)),
            published,
            published_provenance: article.draft.published_provenance.as_str(),
            duplicate_group: &article.duplicate_group,
        };
        let mut claims = claims_of(&facts, analysis, &actors, self.gazetteer);
        // Claims can name actors the text never tags as entities (`Gaza
        // health authorities` as a claimant, the state an official speaks
        // for): they become entities too.
        let mut all_actors = actors.actors.clone();
        for c in &claims {
            for a in [&c.claimant, &c.subject, &c.object, &c.on_behalf_of]
                .into_iter()
                .flatten()
            {
                if all_actors.iter().any(|x| x.key == a.id) {
                    continue;
                }
                if let Some((entry, _)) =
                    a.id.strip_prefix("gaz:")
                        .and_then(|_| self.gazetteer.lookup(&a.name))
                {
                    all_actors.push(ArticleActor {
                        key: a.id.clone(),
                        name: entry.name.clone(),
                        kind: entry.kind,
                        known: true,
                        surface: Vec::new(),
                        mentions: Vec::new(),
                        roles: Vec::new(),
                        via_demonym: false,
                    });
                }
            }
        }
        let (entity_of, offices) =
            self.link_entities(reads, article, published, &mut all_actors, batch, report)?;
        to_entities(&mut claims, &entity_of);
        // `President Biden says …`, in an article that never names his
        // state: an official's count is also the body other reports name
        // them an official of (rule `office_from_other_reports`).
        for c in claims
            .iter_mut()
            .filter(|c| c.kind == ClaimKind::Figure && c.on_behalf_of.is_none())
        {
            if let Some(body) = c.claimant.as_ref().and_then(|a| offices.get(&a.id)) {
                c.on_behalf_of = Some(body.clone());
            }
        }
        self.place_past_incidents(&mut claims, published, batch)?;
        // The story first: claims carry it, and figures with no place are
        // compared only within it.
        let story = self.link_story(article, analysis, &actors, &entity_of, batch, report)?;
        for c in &mut claims {
            c.story = Some(story.to_string());
        }
        self.link_claims(reads, &claims, batch, report)?;
        Ok(())
    }

    /// Places counts whose place is only the article's scene by what the
    /// reports that name a place say, not by the scene. Two votes:
    ///
    /// * a past day's incident: `At least 1,300 were killed when the group
    ///   attacked on 7 October`, in a later piece written from the
    ///   attackers' side, took that side's place from the article
    ///   (`place_inferred`); the reports that state where the 7 October dead
    ///   were say otherwise. An inferred place of an incident at least
    ///   [`PAST_INCIDENT_DAYS`] before the article gives way.
    /// * a repeated count (rule `place_by_same_count`): `some 1,400 are
    ///   estimated to have been killed`, `229 people kidnapped as hostages`,
    ///   with no place of their own, repeat a count of one measure and
    ///   period that other reports place; a count of at least
    ///   [`SAME_COUNT_MIN`] is rarely two quantities' value.
    ///
    /// Every figure with a place of its own (a country or territory the
    /// actor file knows) votes under both ids; a claim with an inferred place
    /// or none takes the place that at least [`INCIDENT_PLACE_VOTES`] reports
    /// and two thirds of them give, the day's vote first.
    fn place_past_incidents(
        &self,
        claims: &mut [Claim],
        published: Option<NaiveDate>,
        batch: &mut LinkBatch,
    ) -> Result<(), LinkError> {
        // Only counts of a named measure vote: their predicate is the
        // measure's short name, so the record id stays bounded, and an
        // uncategorised count (`Toyota vans`) says nothing of a toll.
        let named = |c: &Claim| {
            c.kind == ClaimKind::Figure
                && c.category.is_some_and(|k| {
                    !matches!(k, Category::Other | Category::Money | Category::Percent)
                })
        };
        let day_id = |c: &Claim| {
            named(c)
                .then_some(())
                .and(c.on)
                .map(|d| format!("{d}|{}", c.predicate))
        };
        let count_id = |c: &Claim| {
            let v = c.value?;
            if !named(c) || v < SAME_COUNT_MIN || v.fract() != 0.0 {
                return None;
            }
            let period = match c.period {
                Some(Period::Stock) => "stock",
                Some(Period::Rate) => "rate",
                _ => "total",
            };
            let high = c.value_high.map(|h| format!("-{h}")).unwrap_or_default();
            Some(format!("n|{}|{period}|{v}{high}", c.predicate))
        };
        let ids_of = |c: &Claim| [day_id(c), count_id(c)];
        let mut ids: Vec<String> = claims.iter().flat_map(ids_of).flatten().collect();
        ids.sort();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let mut votes: HashMap<String, BTreeMap<String, u32>> = HashMap::new();
        for (id, body) in self.store.link_bodies(kinds::INCIDENT_PLACE, &ids)? {
            votes.insert(id.clone(), parse_body(kinds::INCIDENT_PLACE, &id, &body)?);
        }
        let mut changed: Vec<String> = Vec::new();
        for c in claims.iter().filter(|c| !c.place_inferred) {
            let Some(place) = c.place.as_deref() else {
                continue;
            };
            if !crate::claims::keys_inferred(self.gazetteer, place) {
                continue;
            }
            let name = self
                .gazetteer
                .lookup(place)
                .map_or_else(|| place.to_string(), |(e, _)| e.name.clone());
            for id in ids_of(c).into_iter().flatten() {
                *votes
                    .entry(id.clone())
                    .or_default()
                    .entry(name.clone())
                    .or_default() += 1;
                changed.push(id);
            }
        }
        let winner = |id: &str| {
            let v = votes.get(id)?;
            let total: u32 = v.values().sum();
            let (top, n) = v.iter().max_by_key(|(_, n)| **n)?;
            (*n >= INCIDENT_PLACE_VOTES && *n * 3 >= total * 2).then(|| top.clone())
        };
        for c in claims
            .iter_mut()
            .filter(|c| c.place_inferred || c.place.is_none())
        {
            let past_day = match (c.on, published) {
                (Some(day), Some(p)) => (p - day).num_days() >= PAST_INCIDENT_DAYS,
                _ => false,
            };
            let by_day = day_id(c)
                .filter(|_| past_day && c.place_inferred)
                .and_then(|id| winner(&id));
            let (top, rule) = match by_day {
                Some(top) => (top, "past incident placed by its reports"),
                None => match count_id(c).and_then(|id| winner(&id)) {
                    Some(top) => (top, "place_by_same_count"),
                    None => continue,
                },
            };
            if c.place.as_deref() == Some(top.as_str()) {
                continue;
            }
            debug!(claim = %c.summary, from = ?c.place, to = %top, rule);
            // Still not the sentence's own place: it never pins a
            // contradiction (`findings::scoped`).
            c.place = Some(top.clone());
            c.place_inferred = true;
            c.key = with_scope(&c.key, &normalize_name(&top));
        }
        push_records(batch, kinds::INCIDENT_PLACE, changed, &votes);
        Ok(())
    }

    /// Puts the article in its story (joining the best one or opening a
    /// new one) and the story in its storyline, updates both records and
    /// returns the story.
    ///
    /// A story's storyline is decided by its first article (clustered
    /// against the storylines with [`storyline_params`]); later articles of
    /// the story follow it there, so the two levels always nest.
    fn link_story(
        &self,
        article: &Article,
        analysis: &Analysis,
        actors: &crate::actors::ArticleActors,
        entity_of: &HashMap<String, String>,
        batch: &mut LinkBatch,
        report: &mut LinkReport,
    ) -> Result<StoryId, LinkError> {
        let features = StoryFeatures::new(
            &article.draft.text,
            article.draft.title.as_deref(),
            analysis,
            article.draft.published.as_ref(),
        );
        let mut index = StoreStoryIndex::new(self.store);
        index.prefetch_counters(&features)?;
        let assigned = Clusterer::default().assign(
            &mut index,
            &features,
            Some(article.duplicate_group.as_str()),
        )?;
        if assigned.new_story {
            report.new_stories += 1;
        }
        let mut lines = StoreStoryIndex::with_level(self.store, STORYLINE_LEVEL);
        lines.share_counters(&index);
        let line = Clusterer::new(storyline_params()).assign(
            &mut lines,
            &features,
            Some(&format!("story:{}", assigned.story.0)),
        )?;
        if let Some(rec) = index.record(assigned.story)? {
            let keep = crate::story_store::STORY_ARTICLES;
            self.add_to_record(rec, article, actors, entity_of, &assigned, keep);
            rec.storyline = Some(line.story);
        }
        if let Some(rec) = lines.record(line.story)? {
            // A storyline's articles are its stories'; it keeps only the
            // latest few itself, so its record stays small to rewrite.
            self.add_to_record(rec, article, actors, entity_of, &line, STORYLINE_ARTICLES);
        }
        index.flush(batch);
        lines.flush(batch);
        Ok(assigned.story)
    }

    /// Counts an article into the record of its story or storyline.
    fn add_to_record(
        &self,
        rec: &mut StoryRecord,
        article: &Article,
        actors: &crate::actors::ArticleActors,
        entity_of: &HashMap<String, String>,
        assigned: &crate::stories::Assignment,
        keep_articles: usize,
    ) {
        let published = article.draft.published.as_ref().map(|t| t.date);
        if !rec.articles.contains(&article.id) {
            rec.articles.push(article.id.clone());
            // Bounded: the latest articles are the ones a timeline reads.
            if rec.articles.len() > keep_articles {
                rec.articles.remove(0);
            }
        }
        if let Some(o) = &article.draft.source {
            *rec.outlets.entry(o.clone()).or_default() += 1;
        }
        if let Some(title) = article
            .draft
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            // The score of an article that opened the group is its nearest
            // other group's: not a match with this one. One that followed
            // its group (a near-duplicate; a storyline's later articles of
            // a story) scores 1 by construction: no match either, or the
            // first of them would keep the headline for good.
            let score = if assigned.new_story || assigned.followed_group {
                0.0
            } else {
                assigned.score
            };
            if rec.headline.is_none() || score > rec.headline_score {
                rec.headline = Some(title.chars().take(MAX_HEADLINE_CHARS).collect());
                rec.headline_score = score;
            }
        }
        if published.is_none() {
            rec.undated += 1;
        }
        if let Some(d) = published {
            rec.first_day = Some(rec.first_day.map_or(d, |f| f.min(d)));
            rec.last_day = Some(rec.last_day.map_or(d, |l| l.max(d)));
        }
        for a in &actors.actors {
            if a.kind == ActorKind::Other || a.mentions.is_empty() {
                continue;
            }
            if let Some(e) = entity_of.get(&a.key) {
                *rec.actors.entry(e.clone()).or_default() += a.mentions.len() as u32;
                rec.actor_names.insert(e.clone(), a.name.clone());
            }
        }
        // Keep the actor table bounded: the 40 most mentioned.
        if rec.actors.len() > 60 {
            let mut v: Vec<(String, u32)> = std::mem::take(&mut rec.actors).into_iter().collect();
            v.sort_by_key(|c| std::cmp::Reverse(c.1));
            v.truncate(40);
            rec.actor_names.retain(|k, _| v.iter().any(|(x, _)| x == k));
            rec.actors = v.into_iter().collect();
        }
    }

    /// Finds or creates the entity of each article actor; returns article
    /// key → entity id.
    fn link_entities(
        &self,
        reads: &ArticleReads<'_>,
        article: &Article,
        published: Option<NaiveDate>,
        actors: &mut [ArticleActor],
        batch: &mut LinkBatch,
        report: &mut LinkReport,
    ) -> Result<(EntityOf, HashMap<String, ActorRef>), LinkError> {
        let mut out = HashMap::new();
        let mut offices = HashMap::new();
        prefetch_entities(reads, actors)?;
        for actor in actors.iter() {
            let found = self.find_entity(reads, actor)?;
            let mut record = match found {
                Some(r) => r,
                None => {
                    report.new_entities += 1;
                    EntityRecord {
                        id: if actor.known {
                            slug(&actor.name)
                        } else {
                            self.fresh_entity_id(reads, actor, batch)?
                        },
                        name: actor.name.clone(),
                        kind: actor.kind,
                        known: actor.known,
                        aliases: BTreeMap::new(),
                        roles: Vec::new(),
                        mentions: 0,
                        articles: 0,
                        first_seen: None,
                        last_seen: None,
                        recent_articles: Vec::new(),
                        keys: Vec::new(),
                    }
                }
            };
            // A later article may give the full name of a surname-only entity.
            if record.kind == ActorKind::Person
                && actor.name.split_whitespace().count() > record.name.split_whitespace().count()
            {
                record.name = actor.name.clone();
            }
            for s in &actor.surface {
                *record.aliases.entry(s.clone()).or_default() += actor.mentions.len().min(1) as u64;
            }
            record.mentions += actor.mentions.len() as u64;
            record.articles += 1;
            if let Some(d) = published {
                record.first_seen = Some(record.first_seen.map_or(d, |f| f.min(d)));
                record.last_seen = Some(record.last_seen.map_or(d, |l| l.max(d)));
            }
            record.recent_articles.retain(|a| a != &article.id);
            record.recent_articles.push(article.id.clone());
            if record.recent_articles.len() > ENTITY_ARTICLES {
                record.recent_articles.remove(0);
            }
            for role in &actor.roles {
                match record
                    .roles
                    .iter_mut()
                    .find(|r| r.title == role.title && r.affiliation == role.affiliation)
                {
                    Some(r) => {
                        r.articles += 1;
                        if let Some(d) = published {
                            r.first_reported = Some(r.first_reported.map_or(d, |f| f.min(d)));
                            r.last_reported = Some(r.last_reported.map_or(d, |l| l.max(d)));
                        }
                    }
                    None => record.roles.push(EntityRole {
                        title: role.title.clone(),
                        text: role.text.clone(),
                        affiliation: role.affiliation.clone(),
                        first_reported: published,
                        last_reported: published,
                        articles: 1,
                    }),
                }
            }
            if !record.keys.contains(&actor.key) {
                record.keys.push(actor.key.clone());
            }
            if let Some(body) = office_of(&record, self.gazetteer) {
                offices.insert(record.id.clone(), body);
            }
            out.insert(actor.key.clone(), record.id.clone());
            let keys = entity_keys(&record);
            let id = record.id.clone();
            // Two actors of one article can land on one entity (a surname
            // and a full name): the later write carries both updates.
            batch
                .records
                .retain(|(k, r)| !(k == kinds::ENTITY && r.id == id));
            batch.records.push((
                kinds::ENTITY.to_string(),
                LinkRecord {
                    id,
                    body: to_json(&record),
                    keys,
                },
            ));
        }
        Ok((out, offices))
    }

    fn find_entity(
        &self,
        reads: &ArticleReads<'_>,
        actor: &ArticleActor,
    ) -> Result<Option<EntityRecord>, LinkError> {
        if actor.known {
            // Actor file entries have fixed ids.
            return first_body(reads, kinds::ENTITY, &[slug(&actor.name)]);
        }
        for key in entity_lookups(actor) {
            let hits = reads.lookup(kinds::ENTITY, &key, ENTITY_LOOKUP_PER_KEY)?;
            // A surname shared by two people is ambiguous: link neither.
            if hits.len() == 1 || key.starts_with("key:") && !hits.is_empty() {
                let ids = vec![hits[0].clone()];
                if let Some(r) = first_body::<EntityRecord>(reads, kinds::ENTITY, &ids)? {
                    if key.starts_with("clip:")
                        && !clipped_forms(&normalize_name(&r.name), &normalize_name(&actor.name))
                    {
                        continue;
                    }
                    return Ok(Some(r));
                }
            }
        }
        // `Putin` linked before `Vladimir Putin`: the full name joins the
        // one surname-only entity of that surname, never a full name of
        // someone else (`Sadiq Khan` and `Raj Khan` stay two).
        if let (Some(full), Some(key)) =
            (actor.key.strip_prefix("person:"), full_name_surname(actor))
        {
            let hits = reads.lookup(kinds::ENTITY, &key, ENTITY_LOOKUP_PER_KEY)?;
            if hits.len() == 1 {
                let ids = vec![hits[0].clone()];
                if let Some(r) = first_body::<EntityRecord>(reads, kinds::ENTITY, &ids)? {
                    let theirs = normalize_name(&r.name);
                    if r.kind == ActorKind::Person
                        && (!theirs.contains(' ') && !r.known || same_given_name(&theirs, full))
                    {
                        return Ok(Some(r));
                    }
                }
            }
        }
        // The tagger reads an unknown country as a person or as `other` in
        // one article and as a place in the next (`Marevia declares
        // emergency`). A name that exactly one entity of the other reading
        // bears is that entity, as the actor file's names are; the place or
        // organisation reading wins, unless the person has a role.
        if let Some(key) = other_reading_name(actor) {
            let hits = reads.lookup(kinds::ENTITY, &key, ENTITY_LOOKUP_PER_KEY)?;
            let mut other_reading = Vec::new();
            for id in hits {
                let Some(r) = first_body::<EntityRecord>(reads, kinds::ENTITY, &[id])? else {
                    continue;
                };
                let fits = if person_like(actor.kind) {
                    !person_like(r.kind)
                } else {
                    person_like(r.kind) && r.roles.is_empty() && !r.known
                };
                if fits {
                    other_reading.push(r);
                }
            }
            if other_reading.len() == 1 {
                let mut r = other_reading.remove(0);
                if place_like(actor.kind) {
                    r.kind = actor.kind;
                }
                return Ok(Some(r));
            }
        }
        Ok(None)
    }

    fn fresh_entity_id(
        &self,
        reads: &ArticleReads<'_>,
        actor: &ArticleActor,
        batch: &LinkBatch,
    ) -> Result<String, LinkError> {
        // Actor file names keep their plain slug; others get a suffix on collision.
        let base = slug(&actor.name);
        let mut id = format!("{base}-1");
        if self.gazetteer.lookup(&actor.name).is_none() {
            id = base.clone();
        }
        for n in 2.. {
            let taken_in_batch = batch
                .records
                .iter()
                .any(|(k, r)| k == kinds::ENTITY && r.id == id);
            if !taken_in_batch
                && reads
                    .bodies(kinds::ENTITY, std::slice::from_ref(&id))?
                    .is_empty()
            {
                break;
            }
            id = format!("{base}-{n}");
        }
        Ok(id)
    }

    /// The claims of `key` (`earlier`) and of its [`sibling_key`], for the
    /// `settled_count` check.
    fn history(
        &self,
        reads: &ArticleReads<'_>,
        key: &str,
        earlier: &[Claim],
    ) -> Result<Vec<Claim>, LinkError> {
        let mut known = earlier.to_vec();
        if let Some(sibling) = sibling_key(key) {
            let ids = reads.lookup(kinds::CLAIM, &sibling, CLAIMS_COMPARED_PER_KEY)?;
            for (id, body) in reads.bodies(kinds::CLAIM, &ids)? {
                known.push(parse_body::<Claim>(kinds::CLAIM, &id, &body)?);
            }
        }
        Ok(known)
    }

    fn link_claims(
        &self,
        reads: &ArticleReads<'_>,
        claims: &[Claim],
        batch: &mut LinkBatch,
        report: &mut LinkReport,
    ) -> Result<(), LinkError> {
        let mut stance_cells: HashMap<String, StanceCell> = HashMap::new();
        let mut stored_by_key: HashMap<String, Vec<Claim>> = HashMap::new();
        // Claims among their value's first reports, recorded in
        // `count_seen` at the end.
        let mut first_reports: Vec<&Claim> = Vec::new();
        // Every key's stored claims and every stance cell the claims may
        // read, in one store call each (`reads`).
        let keys: Vec<String> = claims.iter().map(|c| c.key.clone()).collect();
        reads.prefetch_lookups(kinds::CLAIM, &keys, CLAIMS_COMPARED_PER_KEY)?;
        let mut ids = Vec::new();
        for key in &keys {
            ids.extend(reads.lookup(kinds::CLAIM, key, CLAIMS_COMPARED_PER_KEY)?);
        }
        reads.prefetch_bodies(kinds::CLAIM, &ids)?;
        let cells: Vec<String> = claims.iter().filter_map(stance_id).collect();
        reads.prefetch_bodies(kinds::STANCE, &cells)?;
        for claim in claims {
            // Claims of one article often share a key: parse each key's
            // stored claims once.
            if !stored_by_key.contains_key(&claim.key) {
                let ids = reads.lookup(kinds::CLAIM, &claim.key, CLAIMS_COMPARED_PER_KEY)?;
                let mut stored = Vec::new();
                for (id, body) in reads.bodies(kinds::CLAIM, &ids)? {
                    stored.push(parse_body::<Claim>(kinds::CLAIM, &id, &body)?);
                }
                stored_by_key.insert(claim.key.clone(), stored);
            }
            let stored = stored_by_key.get(&claim.key).map_or(&[][..], Vec::as_slice);
            if stored.iter().any(|old| repeats(claim, old)) {
                // A copy's repeat: kept as evidence (found by its article
                // and actors) but off the claim's key, so copies of a wire
                // story never crowd independent sources out of the capped
                // comparison window, and compared with nothing, since what
                // it could find the first printing found.
                push_claim(batch, claim, false);
                report.claims += 1;
                report.copied_claims += 1;
                continue;
            }
            let mut earlier: Vec<Claim> = stored.to_vec();
            // Claims of this same article, already in the batch.
            for (k, r) in &batch.records {
                if k == kinds::CLAIM {
                    let c: Claim = parse(kinds::CLAIM, r)?;
                    if c.key == claim.key {
                        earlier.push(c);
                    }
                }
            }
            // Among the first reports of its value: fewer than SEEN_KEPT
            // other articles in the window give it on an earlier or the
            // same day (a value printed in hundreds of articles is
            // recorded by its first few, and costs nothing after).
            if let (Some(value), Some(day)) = (claim.value, claim.as_of) {
                let mut before: Vec<&ArticleId> = earlier
                    .iter()
                    .filter(|k| {
                        k.value == Some(value)
                            && k.evidence.article != claim.evidence.article
                            && k.as_of.is_some_and(|d| d <= day)
                    })
                    .map(|k| &k.evidence.article)
                    .collect();
                before.sort();
                before.dedup();
                if before.len() < SEEN_KEPT {
                    first_reports.push(claim);
                }
            }
            let (mut agree, mut contradict) = (0usize, 0usize);
            let (mut update, mut revision): (Option<Finding>, Option<Finding>) = (None, None);
            let mut nearest: Option<Finding> = None;
            let mut same_day: Option<Finding> = None;
            // Whether this claim is old news, asked once; and what its
            // quantity's history holds, read once and only when an
            // agreement is about to be recorded.
            let claim_old = std::cell::OnceCell::new();
            let mut history: Option<Vec<Claim>> = None;
            for old in &earlier {
                let Some(f) = compare(claim, old) else {
                    continue;
                };
                if f.kind == FindingKind::Agree {
                    if history.is_none() {
                        history = Some(self.history(reads, &claim.key, &earlier)?);
                    }
                    let known = history.as_deref().unwrap_or(&earlier);
                    let ids: Vec<String> = [claim, old].into_iter().filter_map(seen_id).collect();
                    // Read only when an agreement is about to be recorded.
                    let seen = seen_of(reads, &ids)?;
                    if *claim_old.get_or_init(|| old_news(claim, known, &seen))
                        && old_news(old, known, &seen)
                    {
                        report.settled_agreements += 1;
                        continue;
                    }
                }
                match f.kind {
                    FindingKind::Agree if agree < AGREEMENTS_PER_CLAIM => {
                        agree += 1;
                        report.agree += 1;
                        push_finding(batch, &f);
                    }
                    FindingKind::Contradict if contradict < CONTRADICTIONS_PER_CLAIM => {
                        contradict += 1;
                        report.contradict += 1;
                        push_finding(batch, &f);
                    }
                    // Inconsistencies share the cap of contradictions:
                    // each is a disagreement to look at.
                    FindingKind::Inconsistent if contradict < CONTRADICTIONS_PER_CLAIM => {
                        contradict += 1;
                        report.inconsistent += 1;
                        push_finding(batch, &f);
                    }
                    // One revision per claim, against the latest count it
                    // takes back: every earlier printing of the old count
                    // would otherwise be its own finding of one change.
                    FindingKind::Revision
                        if revision
                            .as_ref()
                            .is_none_or(|r| days_apart(&f) < days_apart(r)) =>
                    {
                        revision = Some(f);
                    }
                    // A running count read at two hours of one day is a
                    // step of its own: it never takes the slot of the
                    // update across days that carries the series.
                    FindingKind::Update
                        if days_apart(&f) == 0
                            && same_day
                                .as_ref()
                                .is_none_or(|u| f.confidence > u.confidence) =>
                    {
                        same_day = Some(f);
                    }
                    FindingKind::Update if days_apart(&f) == 0 => {}
                    // One update per claim: against the same claimant's
                    // figure if there is one (a ministry revising its own
                    // count), else the best supported one (a count rising
                    // beats one falling), nearest in days among equals.
                    // Beside it, the nearest in days of those shown by
                    // default, so that a quantity's updates form one chain
                    // (its series) and not only a fan from its best-sourced
                    // early count.
                    FindingKind::Update => {
                        let rank = |f: &Finding| {
                            let same_claimant = f.claims[0].claimant.is_some()
                                && f.claims[0].claimant == f.claims[1].claimant;
                            (
                                !same_claimant,
                                std::cmp::Reverse((f.confidence * 100.0).round() as i64),
                                days_apart(f),
                            )
                        };
                        let near = |f: &Finding| {
                            (
                                f.confidence < DEFAULT_MIN_CONFIDENCE,
                                days_apart(f),
                                std::cmp::Reverse((f.confidence * 100.0).round() as i64),
                            )
                        };
                        if nearest.as_ref().is_none_or(|u| near(&f) < near(u)) {
                            nearest = Some(f.clone());
                        }
                        if update.as_ref().is_none_or(|u| rank(&f) < rank(u)) {
                            update = Some(f);
                        }
                    }
                    _ => {}
                }
            }
            let nearest = nearest.filter(|n| {
                n.confidence >= DEFAULT_MIN_CONFIDENCE
                    && update.as_ref().is_none_or(|u| u.id != n.id)
            });
            for f in update.iter().chain(&nearest).chain(&same_day) {
                report.update += 1;
                push_finding(batch, f);
            }
            if let Some(f) = revision {
                report.revision += 1;
                push_finding(batch, &f);
            }
            if claim.kind == ClaimKind::Stance {
                self.add_to_stance(reads, claim, &mut stance_cells)?;
            }
            push_claim(batch, claim, true);
            report.claims += 1;
        }
        record_seen(reads, &first_reports, batch)?;
        for (_, cell) in stance_cells {
            let keys = vec![
                format!("entity:{}", cell.actor.id),
                format!("issue:{}", cell.issue),
            ];
            batch.records.push((
                kinds::STANCE.to_string(),
                LinkRecord {
                    id: cell.id.clone(),
                    body: to_json(&cell),
                    keys,
                },
            ));
        }
        Ok(())
    }

    fn add_to_stance(
        &self,
        reads: &ArticleReads<'_>,
        claim: &Claim,
        cells: &mut HashMap<String, StanceCell>,
    ) -> Result<(), LinkError> {
        let (Some(actor), Some(position), Some(id)) =
            (stance_actor(claim), claim.position, stance_id(claim))
        else {
            return Ok(());
        };
        if !cells.contains_key(&id) {
            let stored = first_body(reads, kinds::STANCE, std::slice::from_ref(&id))?;
            let cell = match stored {
                Some(cell) => cell,
                None => StanceCell {
                    id: id.clone(),
                    actor: actor.clone(),
                    issue: claim.predicate.clone(),
                    entries: Vec::new(),
                },
            };
            cells.insert(id.clone(), cell);
        }
        if let Some(cell) = cells.get_mut(&id) {
            cell.entries.push(StanceEntry {
                position,
                condition: claim.condition.clone(),
                via: claim
                    .on_behalf_of
                    .as_ref()
                    .and(claim.subject.as_ref())
                    .map(|s| s.name.clone()),
                claim: claim.id.clone(),
                evidence: claim.evidence.clone(),
            });
            if cell.entries.len() > STANCE_ENTRIES {
                cell.entries.remove(0);
            }
        }
        Ok(())
    }
}

/// The actor a stance claim is counted for: the state an official speaks
/// for, else the claim's subject.
fn stance_actor(claim: &Claim) -> Option<&ActorRef> {
    claim.on_behalf_of.as_ref().or(claim.subject.as_ref())
}

/// The id of the stance cell a claim with a position joins: its actor and
/// issue.
fn stance_id(claim: &Claim) -> Option<String> {
    claim.position?;
    Some(format!("{}|{}", stance_actor(claim)?.id, claim.predicate))
}

/// The keys an actor's entity is looked up by, in the order they are
/// tried (each of a surname, stem, given name, organisation name, clipped
/// form, acronym).
fn entity_lookups(actor: &ArticleActor) -> Vec<String> {
    let mut lookups = vec![format!("key:{}", actor.key)];
    if let Some(surname) = actor.key.strip_prefix("surname:") {
        lookups.push(format!("surname:{surname}"));
    }
    if let Some(stem) = actor.key.strip_prefix("stem:") {
        lookups.push(format!("stem:{stem}"));
    }
    if let Some(given) = actor.key.strip_prefix("given:") {
        lookups.push(format!("given:{given}"));
    }
    if actor.kind == ActorKind::Organization {
        let norm = normalize_name(&actor.name);
        for variant in crate::actors::org_name_variants(&norm) {
            lookups.push(format!("name:{variant}"));
        }
        if let Some(clip) = clipped_key(&norm) {
            lookups.push(clip);
        }
    }
    let bare = actor.name.trim();
    if (2..=6).contains(&bare.len()) && bare.chars().all(|c| c.is_ascii_uppercase()) {
        lookups.push(format!("acronym:{}", bare.to_ascii_lowercase()));
    }
    if actor.kind == ActorKind::Other && !actor.name.contains(' ') {
        for stem in crate::actors::name_stems(&actor.name, true)
            .into_iter()
            .skip(1)
        {
            lookups.push(format!("stem:{stem}"));
        }
    }
    lookups
}

/// For a full name, the key of its surname alone (`Putin` linked before
/// `Vladimir Putin`).
fn full_name_surname(actor: &ArticleActor) -> Option<String> {
    let full = actor.key.strip_prefix("person:")?;
    full.rsplit(' ')
        .next()
        .map(|last| format!("surname:{last}"))
}

/// The exact-name key by which an entity of the other reading (a person
/// or `other` against a place or organisation) is found.
fn other_reading_name(actor: &ArticleActor) -> Option<String> {
    (person_like(actor.kind) || place_like(actor.kind))
        .then(|| format!("name:{}", normalize_name(&actor.name)))
}

/// A kind the tagger gives a name it reads as someone.
fn person_like(kind: ActorKind) -> bool {
    matches!(kind, ActorKind::Person | ActorKind::Other)
}

/// A kind the tagger gives a name it reads as somewhere or a body.
fn place_like(kind: ActorKind) -> bool {
    matches!(kind, ActorKind::Place | ActorKind::Organization)
}

/// Reads, in one store call for the postings and one for the bodies,
/// what finding these actors' entities reads first: each actor's lookup
/// keys, the entity each key's rule would take (the one hit of a key, the
/// newest of a `key:`), the fixed ids of the actor file's entries and the
/// first ids a new entity would take. Finding them
/// (`Linker::find_entity`) then asks `reads`; what its later rules read
/// (the other reading's candidates) is read when asked. Only the entities
/// a rule takes are read ahead: an entity's record is large (aliases,
/// roles, recent articles), and reading every hit of every key cost more
/// than the round trips it saved.
fn prefetch_entities(reads: &ArticleReads<'_>, actors: &[ArticleActor]) -> Result<(), LinkError> {
    let mut keys = Vec::new();
    let mut ids = Vec::new();
    for actor in actors {
        let base = slug(&actor.name);
        if !actor.known {
            keys.extend(entity_lookups(actor));
            keys.extend(full_name_surname(actor));
            ids.push(format!("{base}-1"));
        }
        ids.push(base);
    }
    reads.prefetch_lookups(kinds::ENTITY, &keys, ENTITY_LOOKUP_PER_KEY)?;
    for key in &keys {
        let hits = reads.lookup(kinds::ENTITY, key, ENTITY_LOOKUP_PER_KEY)?;
        // The rule of `find_entity`: a key names its entity when it has
        // one hit, or, for `key:`, any (the newest).
        if hits.len() == 1 || key.starts_with("key:") {
            ids.extend(hits.into_iter().take(1));
        }
    }
    reads.prefetch_bodies(kinds::ENTITY, &ids)?;
    Ok(())
}

/// Writes a claim, found by its article, kind and actors, and, when it is
/// offered for comparison, by its claim key.
fn push_claim(batch: &mut LinkBatch, claim: &Claim, comparable: bool) {
    let mut keys = Vec::with_capacity(7);
    if comparable {
        keys.push(claim.key.clone());
        keys.extend(claim.measure_key());
    }
    keys.push(format!("kind:{}", claim.kind.as_str()));
    keys.push(format!("article:{}", claim.evidence.article));
    for a in [
        &claim.claimant,
        &claim.subject,
        &claim.object,
        &claim.on_behalf_of,
    ]
    .into_iter()
    .flatten()
    {
        keys.push(format!("entity:{}", a.id));
    }
    batch.records.push((
        kinds::CLAIM.to_string(),
        LinkRecord {
            id: claim.id.clone(),
            body: to_json(claim),
            keys,
        },
    ));
}

/// The key an organisation's clipped name shares with its full one: `Met
/// Police` and `Metropolitan Police` both give `clip:met police`.
fn clipped_key(norm: &str) -> Option<String> {
    let (first, rest) = norm.split_once(' ')?;
    let stem: String = first.chars().take(3).collect();
    (stem.chars().count() == 3).then(|| format!("clip:{stem} {rest}"))
}

/// One name is the other with its first word clipped (`met police`,
/// `metropolitan police`), and the two differ.
fn clipped_forms(a: &str, b: &str) -> bool {
    let (Some((fa, ra)), Some((fb, rb))) = (a.split_once(' '), b.split_once(' ')) else {
        return false;
    };
    ra == rb && fa != fb && (fa.starts_with(fb) || fb.starts_with(fa))
}

/// Two full names of the one person of their surname in the store whose
/// given names differ by at most one letter (`Antony` and `Anthony`, `Abdel`
/// and `Abdul`): one person spelt two ways. Names of one family (`Elizabeth`
/// and `Nadia El-Nakla`) stay apart.
fn same_given_name(a: &str, b: &str) -> bool {
    let first = |s: &str| s.split(' ').next().unwrap_or("").to_string();
    let (x, y) = (first(a), first(b));
    x.chars().count() >= 3 && edit_distance_at_most_one(&x, &y)
}

/// Levenshtein distance ≤ 1.
fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (s, l) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if l.len() - s.len() > 1 {
        return false;
    }
    let p = s.iter().zip(&l).take_while(|(x, y)| x == y).count();
    if s.len() == l.len() {
        // One letter changed at `p`, or none.
        s.iter().skip(p + 1).eq(l.iter().skip(p + 1))
    } else {
        // One letter added at `p`.
        s[p..] == l[p + 1..]
    }
}

/// The clusterer's knobs for storylines: the same single-pass clustering
/// as stories, coarser (a lower threshold that grows no stricter as a
/// storyline grows) and blind to time and numbers (a storyline runs for
/// months, and its counts change as it goes). Chosen on the `dev` fold of
/// the labelled BBC storylines (`storyline eval stories CSV --labels`, and
/// the `storylines_sweep` example of storyline-eval); see docs/BENCHMARKS.md.
pub fn storyline_params() -> StoryParams {
    StoryParams {
        threshold: 0.11,
        threshold_growth: -0.01,
        entity_weight: 0.5,
        time_weight: 0.0,
        number_weight: 0.0,
        decay_days: 1000.0,
        ..StoryParams::default()
    }
}

/// Days between a finding's two reports; unknown dates sort last.
fn days_apart(f: &Finding) -> i64 {
    match (f.claims[0].as_of, f.claims[1].as_of) {
        (Some(a), Some(b)) => (b - a).num_days().abs(),
        _ => i64::MAX / 2,
    }
}

fn push_finding(batch: &mut LinkBatch, f: &Finding) {
    debug!(kind = f.kind.as_str(), reason = %f.reason, "finding");
    let keys = vec![
        format!("kind:{}", f.kind.as_str()),
        format!("claim:{}", f.claims[0].claim),
        format!("claim:{}", f.claims[1].claim),
        format!("article:{}", f.claims[0].evidence.article),
        format!("article:{}", f.claims[1].evidence.article),
    ];
    batch.records.push((
        kinds::FINDING.to_string(),
        LinkRecord {
            id: f.id.clone(),
            body: to_json(f),
            keys,
        },
    ));
}

/// Points the actors of claims at their entities, and rebuilds the claim
/// keys (made from article-level actor keys) from entity ids so that they
/// meet across articles.
fn to_entities(claims: &mut [Claim], entity_of: &HashMap<String, String>) {
    for c in claims {
        for a in [
            c.claimant.as_mut(),
            c.subject.as_mut(),
            c.object.as_mut(),
            c.on_behalf_of.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            if let Some(e) = entity_of.get(&a.id) {
                a.id = e.clone();
            }
        }
        c.key = rekey(&c.key, entity_of);
    }
}

/// A figure key (`figure|what|population|scope|period…`) with another
/// place: a nationality that only stood in for a missing place gives way
/// to `people`, as when the place was there from the start.
fn with_scope(key: &str, scope: &str) -> String {
    let mut parts: Vec<String> = key.split('|').map(str::to_string).collect();
    if parts.len() < 5 || parts[0] != "figure" {
        return key.to_string();
    }
    if crate::claims::is_a_people(&parts[2]) {
        parts[2] = "people".to_string();
    }
    parts[3] = scope.to_string();
    parts.join("|")
}

/// Article-level actor keys → entity ids.
type EntityOf = HashMap<String, String>;

/// The body a person speaks for as an official, by what every report of
/// them says: their most reported official role whose affiliation the
/// actor file knows as a state, an organisation or a group
/// (`US President` → United States). None for anyone else.
fn office_of(record: &EntityRecord, gazetteer: &Gazetteer) -> Option<ActorRef> {
    if record.kind != ActorKind::Person {
        return None;
    }
    record
        .roles
        .iter()
        .filter(|r| crate::claims::is_official(&r.title))
        .filter_map(|r| {
            let (entry, _) = gazetteer.lookup(r.affiliation.as_deref()?)?;
            matches!(
                entry.kind,
                ActorKind::Country | ActorKind::Organization | ActorKind::Group
            )
            .then_some((r.articles, entry))
        })
        .max_by_key(|(n, _)| *n)
        .map(|(_, entry)| ActorRef {
            id: slug(&entry.name),
            name: entry.name.clone(),
        })
}

/// Replaces article-level actor keys inside a claim key with entity ids.
fn rekey(key: &str, entity_of: &HashMap<String, String>) -> String {
    key.split('|')
        .map(|part| match part.strip_prefix("by:") {
            Some(actor) => format!("by:{}", entity_of.get(actor).map_or(actor, String::as_str)),
            None => entity_of.get(part).map_or(part, String::as_str).to_string(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// The keys an entity is found by.
fn entity_keys(r: &EntityRecord) -> Vec<String> {
    let mut keys: Vec<String> = r.keys.iter().map(|k| format!("key:{k}")).collect();
    let norm = normalize_name(&r.name);
    keys.push(format!("name:{norm}"));
    for alias in r.aliases.keys() {
        keys.push(format!("name:{}", normalize_name(alias)));
    }
    if r.kind == ActorKind::Person {
        if let Some(last) = norm.rsplit(' ').next() {
            keys.push(format!("surname:{last}"));
        }
        // `Sir Keir` finds Keir Starmer when he is the one Keir.
        if let Some((first, _)) = norm.split_once(' ') {
            keys.push(format!("given:{first}"));
        }
    }
    if matches!(
        r.kind,
        ActorKind::Organization | ActorKind::Group | ActorKind::Other
    ) {
        if let Some(acronym) = crate::actors::initials(&r.name) {
            keys.push(format!("acronym:{acronym}"));
        }
    }
    if r.kind == ActorKind::Organization {
        keys.extend(clipped_key(&norm));
    }
    if matches!(r.kind, ActorKind::Place | ActorKind::Country) {
        for stem in crate::actors::name_stems(&r.name, false) {
            keys.push(format!("stem:{stem}"));
        }
    }
    keys.push(format!("kindof:{}", r.kind.as_str()));
    keys.retain(|k| k.len() <= storyline_store::MAX_LINK_KEY_LEN && k.len() > 5);
    keys
}

/// Reads every record of a kind (for listings; linking itself never scans).
pub fn scan_all<T: for<'de> Deserialize<'de>>(
    store: &dyn Store,
    kind: &str,
) -> Result<Vec<T>, LinkError> {
    scan(store, kind).collect()
}

/// Every record of a kind, read a page of 1,000 at a time, so exports of a
/// large store run in bounded memory.
pub fn scan<'a, T: for<'de> Deserialize<'de> + 'a>(
    store: &'a dyn Store,
    kind: &'a str,
) -> impl Iterator<Item = Result<T, LinkError>> + 'a {
    let mut after: Option<String> = None;
    let mut page: std::vec::IntoIter<LinkRecord> = Vec::new().into_iter();
    let mut done = false;
    std::iter::from_fn(move || loop {
        if let Some(r) = page.next() {
            return Some(parse(kind, &r));
        }
        if done {
            return None;
        }
        match store.link_scan(kind, after.as_deref(), 1000) {
            Ok(next) => {
                match next.last() {
                    Some(last) => after = Some(last.id.clone()),
                    None => done = true,
                }
                page = next.into_iter();
            }
            Err(e) => {
                done = true;
                return Some(Err(e.into()));
            }
        }
    })
}

/// Reads the records of a kind with these ids.
pub fn records<T: for<'de> Deserialize<'de>>(
    store: &dyn Store,
    kind: &str,
    ids: &[String],
) -> Result<Vec<T>, LinkError> {
    store
        .link_bodies(kind, ids)?
        .iter()
        .map(|(id, body)| parse_body(kind, id, body))
        .collect()
}

/// Reads the records of a kind that carry `key`, newest first, at most `limit`.
pub fn lookup<T: for<'de> Deserialize<'de>>(
    store: &dyn Store,
    kind: &str,
    key: &str,
    limit: usize,
) -> Result<Vec<T>, LinkError> {
    let ids: Vec<String> = store
        .link_lookup(kind, &[key.to_string()], limit)?
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    records(store, kind, &ids)
}

/// A short stable id for a pair of strings.
pub fn pair_id(a: &str, b: &str) -> String {
    format!("{:016x}", stable_hash(&[a, b]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_side_after_the_other_is_a_change_not_a_dispute() {
        let d = |n: u32| NaiveDate::from_ymd_opt(2023, 10, n);
        let change = position_change([
            (Position::Against, d(18)),
            (Position::For, d(30)),
            (Position::Against, d(20)),
            (Position::For, d(25)),
        ])
        .expect("a change");
        assert_eq!((change.from, change.to), (Position::Against, Position::For));
        assert_eq!(
            (change.last_before, change.first_after),
            (d(20).unwrap(), d(25).unwrap())
        );
        // Back and forth: sources at odds, no change.
        assert_eq!(
            position_change([
                (Position::Against, d(18)),
                (Position::For, d(20)),
                (Position::Against, d(25)),
            ]),
            None
        );
        // The same day on both sides, an undated statement, one side only.
        assert_eq!(
            position_change([(Position::Against, d(18)), (Position::For, d(18))]),
            None
        );
        assert_eq!(
            position_change([(Position::Against, d(18)), (Position::For, None)]),
            None
        );
        assert_eq!(
            position_change([(Position::For, d(18)), (Position::For, d(19))]),
            None
        );
        // `conditional` is on the other side of `for`, as `contested` reads it.
        assert_eq!(
            position_change([(Position::For, d(1)), (Position::Conditional, d(9))]).map(|c| c.to),
            Some(Position::Conditional)
        );
    }

    fn toll(article: &str, day: &str, value: f64) -> Claim {
        serde_json::from_value(serde_json::json!({
            "id": format!("{article}-0"), "kind": "figure", "key": "figure|killed|people|gulf|total",
            "summary": "", "claimant": null, "subject": null, "on_behalf_of": null, "object": null,
            "predicate": "killed", "place": null, "place_inferred": false, "value": value,
            "value_high": null, "approximation": null, "category": "killed", "position": null,
            "condition": null, "negated": false, "modality": null, "as_of": day, "earlier": false,
            "evidence": {
                "article": article, "outlet": null, "published": day,
                "published_provenance": "metadata", "duplicate_group": article,
                "sentence": "s", "sentence_span": {"start": 0, "end": 1},
                "span": {"start": 0, "end": 1}
            }
        }))
        .expect("a figure claim")
    }

    #[test]
    fn a_count_two_articles_gave_a_week_before_is_settled() {
        let none = HashMap::new();
        let april = [
            toll("00000000000000a1", "2010-04-21", 11.0),
            toll("00000000000000a2", "2010-04-22", 11.0),
        ];
        let june = toll("00000000000000b1", "2010-06-07", 11.0);
        assert!(settled(&june, &april, &none));
        // One earlier report may be misdated: it settles nothing.
        assert!(!settled(&june, &april[..1], &none));
        // Nor does a report days before, or of another value.
        let late_april = toll("00000000000000b2", "2010-04-25", 11.0);
        assert!(!settled(&late_april, &april, &none));
        let other = toll("00000000000000b3", "2010-06-07", 12.0);
        assert!(!settled(&other, &april, &none));
        // The same toll filed as a running total settles its recall as
        // one undated incident, and the other way round.
        let mut recalled = toll("00000000000000b4", "2010-06-07", 11.0);
        recalled.key = sibling_key(&recalled.key).expect("a figure key");
        assert_ne!(recalled.key, april[0].key);
        assert!(settled(&recalled, &april, &none));
        assert_eq!(sibling_key(&recalled.key), Some(april[0].key.clone()));
        assert_eq!(sibling_key("figure|killed|people|gaza|rate"), None);
        assert_eq!(sibling_key("event|ACCUSE|bp|"), None);
        // Reports long out of the key's window of recent claims still
        // settle it, by their record.
        let id = seen_id(&june).expect("a figure's value");
        let seen: HashMap<String, Seen> = HashMap::from([(
            id,
            april
                .iter()
                .map(|c| (c.evidence.article.clone(), c.as_of.expect("dated")))
                .collect(),
        )]);
        assert!(settled(&june, &[], &seen));
        assert!(
            settled(&recalled, &[], &seen),
            "either reading of the period"
        );
        assert!(!settled(&other, &[], &seen));
    }

    #[test]
    fn a_recalled_incident_or_a_settled_count_is_old_news() {
        let none = HashMap::new();
        let april = [
            toll("00000000000000a1", "2010-04-21", 11.0),
            toll("00000000000000a2", "2010-04-22", 11.0),
        ];
        // Settled, with no recalled incident.
        assert!(old_news(
            &toll("00000000000000b1", "2010-06-07", 11.0),
            &april,
            &none
        ));
        // A recall of an incident weeks before, though nothing earlier
        // settles its value.
        let mut recall = toll("00000000000000b2", "2010-05-06", 11.0);
        assert!(!old_news(&recall, &[], &none));
        recall.background = true;
        assert!(old_news(&recall, &[], &none));
        // The day's own count is news.
        assert!(!old_news(
            &toll("00000000000000b3", "2010-04-23", 11.0),
            &april,
            &none
        ));
    }

    #[test]
    fn given_names_one_letter_apart_are_one_person() {
        assert!(edit_distance_at_most_one("antony", "anthony"));
        assert!(edit_distance_at_most_one("abdel", "abdul"));
        assert!(edit_distance_at_most_one("yoav", "yoan"));
        assert!(edit_distance_at_most_one("same", "same"));
        assert!(!edit_distance_at_most_one("elizabeth", "nadia"));
        assert!(!edit_distance_at_most_one("ab", "abcd"));
        assert!(same_given_name("antony blinken", "anthony blinken"));
        assert!(!same_given_name("al sisi", "abdel fattah al sisi"));
        assert!(!same_given_name("elizabeth el nakla", "nadia el nakla"));
        assert_eq!(
            clipped_key("met police").as_deref(),
            Some("clip:met police")
        );
        assert_eq!(
            clipped_key("metropolitan police"),
            clipped_key("met police")
        );
        assert!(clipped_forms("met police", "metropolitan police"));
        assert!(!clipped_forms("met office", "metropolitan police"));
        assert!(!clipped_forms("met police", "met police"));
    }
}
