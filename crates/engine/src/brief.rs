//! The briefing of a storyline or a story: everything a report on it
//! shows, gathered from the stored analyses and links in one document
//! (`storyline brief`, the report crate renders it as Markdown or HTML).
//! Nothing here re-reads raw inputs or re-runs analysis; every row keeps
//! the article, outlet, date and sentence it came from, and `sources`
//! gives each cited article's title and URL, so every line of a report
//! can name and link its source.
//!
//! What a reader sees first is decided here too (`summary`: what
//! happened, key figures, what is contested), so the JSON, Markdown and
//! HTML forms say the same thing. Every section is capped and keeps its
//! count before the cap, so a report of a storyline of thousands of
//! articles stays a few pages long and says how much it left out.
//!
//! Fields are documented in `docs/json.md` (`storyline.brief/2`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use storyline_analyze::attribution::AttributionKind;
use storyline_core::{Article, ArticleId, DateProvenance};
use storyline_link::claims::{Claim, ClaimKind, Position};
use storyline_link::findings::{group_thousands, Finding, FindingKind};
use storyline_link::linker::{kinds, lookup, records, EntityRecord, EntityRole};

use crate::analysis::Analysis;
use crate::link_views::{
    story, storyline_developments, timeline, DevelopmentRef, StorySummary, TimelineEntryView,
    TimelineSentence,
};
use crate::{Engine, EngineError};

/// Schema tag of [`Briefing`].
pub const BRIEF_SCHEMA: &str = "storyline.brief/2";

/// Most articles of a story read for one briefing (its latest).
const BRIEF_ARTICLES: usize = 500;
/// Dates on a briefing's timeline (a timeline that has as many may have
/// more, which the report says where to find).
pub const TIMELINE_DATES: usize = 10;
/// Sentences on it: each date's lead, then a second sentence for the most
/// important dates while there is room (a short story keeps two a day, a
/// long one one; each sentence cites the other reports of its event).
const TIMELINE_SENTENCES: usize = 10;
/// Actors listed.
const ACTORS: usize = 12;
// The caps keep a briefing of a storyline of any size to a few thousand
// words: the largest BBC storyline (175 articles, 102 stories) reaches
// every one and reads about 3,000 words (docs/BENCHMARKS.md, "The briefing
// of the largest BBC storyline"). Each section says how much it leaves
// out, and the report says where the rest is. They were chosen by reading
// that briefing as a page to forward: past the first few, more stories,
// quantities, speakers or updates repeat what is shown or are side
// threads (single-article stories, a tally of five people on a bus).
/// A storyline's stories listed (largest first).
const STORIES: usize = 10;
/// Speakers listed, and quotes per speaker.
const SPEAKERS: usize = 4;
const QUOTES_PER_SPEAKER: usize = 2;
/// Quantities in the figures table, and rows per quantity.
const QUANTITIES: usize = 5;
const ROWS_PER_QUANTITY: usize = 3;
/// Claimants drawn in one chart (those with most reports).
const SERIES: usize = 8;
/// Rows in each "what we don't know" list.
const UNKNOWN_ROWS: usize = 10;
/// Longest quote and longest figure sentence shown, in characters.
const QUOTE_CHARS: usize = 240;
const SENTENCE_CHARS: usize = 280;
/// Positions (actor and issue) listed, and statements shown of each.
const POSITIONS: usize = 5;
const STATEMENTS_PER_POSITION: usize = 2;
/// Contradictions shown side by side, and updates listed.
const CONTESTED: usize = 5;
const UPDATES: usize = 5;
/// Outlets in the coverage table.
const OUTLETS: usize = 12;
/// Other reports of a timeline sentence's event cited with it (the rest
/// are counted); the report crate shows as many.
pub const ALSO_CITED: usize = 3;
/// Lines of each part of the summary.
const SUMMARY_LINES: usize = 3;

/// A storyline's or a story's briefing.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Briefing {
    /// [`BRIEF_SCHEMA`].
    pub schema: &'static str,
    /// The storyline (`l3`) or story (`s12`): label, span, outlets, key
    /// actors.
    pub story: StorySummary,
    /// A storyline's stories (its developments), largest first, at most
    /// 10; empty for a story.
    pub developments: Vec<DevelopmentRef>,
    /// A storyline's stories in all.
    pub development_count: usize,
    /// Articles the briefing read (the latest, at most 500).
    pub articles_read: usize,
    /// What a reader needs first.
    pub summary: BriefSummary,
    /// Dated entries with their sentences.
    pub timeline: Vec<TimelineEntryView>,
    /// Key actors with their roles.
    pub actors: Vec<BriefActor>,
    /// Figures, one table per quantity, most reported quantity first.
    pub figures: Vec<Quantity>,
    /// Quantities with figures, before the cap of 5.
    pub figures_total: usize,
    /// Positions of actors on issues, contested first.
    pub positions: Vec<PositionRow>,
    /// Positions before the cap of 5.
    pub positions_total: usize,
    /// Quotes grouped by speaker, most quoted first.
    pub quotes: Vec<SpeakerQuotes>,
    /// Speakers before the cap of 4.
    pub speakers_total: usize,
    /// Contradictions between two of its own articles, both sides.
    pub contested: Vec<Finding>,
    /// Contradictions before the cap of 5.
    pub contested_total: usize,
    /// The latest updates (a figure re-reported later; the latest of each
    /// quantity first, at most 5), in order of the later day.
    pub updates: Vec<Finding>,
    /// Updates before the cap of 5.
    pub updates_total: usize,
    /// Agreements between independent sources.
    pub agreements: usize,
    /// Articles per outlet, most first.
    pub coverage: Vec<OutletCoverage>,
    /// Outlets before the cap of 12.
    pub outlets_total: usize,
    /// Gaps: undated articles, unattributed and single-source figures.
    pub unknowns: Unknowns,
    /// Every article the briefing cites, by id.
    pub sources: Vec<SourceRef>,
}

/// The opening of a briefing.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BriefSummary {
    /// What happened: the lead sentence of each of its most important
    /// days (at most 3), in date order.
    pub happened: Vec<HappenedDay>,
    /// The latest figure of each of its most reported quantities (at
    /// most 3).
    pub key_figures: Vec<KeyFigure>,
    /// What sources disagree on (at most 3 points).
    pub contested: Vec<ContestedPoint>,
    /// Actors that moved from one side of an issue to the other (at most
    /// 3): the last statement before and the first after, in that order.
    pub changed: Vec<ContestedPoint>,
}

/// One of the most important days of a timeline and its lead sentence.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HappenedDay {
    /// The day the sentence reports.
    pub date: NaiveDate,
    /// The sentence and its article.
    #[serde(flatten)]
    pub sentence: TimelineSentence,
}

/// A quantity's latest figure.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyFigure {
    /// The quantity (`killed (Veyra Province)`).
    pub label: String,
    /// The latest figure (the highest of its latest day).
    pub figure: FigureRow,
    /// Figures given for the quantity.
    pub reports: usize,
}

/// One point sources disagree on: a quantity or an actor's position.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContestedPoint {
    /// What it is about (`killed (Veyra Province)`, `Marevia on truce`).
    pub about: String,
    /// The claims that disagree, each once (at most 4).
    pub sides: Vec<ContestedSide>,
}

/// One side of a contested point.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContestedSide {
    /// What it says (`37 killed`, `against`).
    pub says: String,
    /// Who says it; `None`: the outlet, naming no source.
    pub claimant: Option<String>,
    /// The day it is about.
    pub as_of: Option<NaiveDate>,
    /// Its article.
    pub article: ArticleId,
}

/// An article a briefing cites.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SourceRef {
    /// Id.
    pub id: ArticleId,
    /// Headline, or the opening words.
    pub title: String,
    /// Outlet.
    pub outlet: Option<String>,
    /// Published day.
    pub published: Option<NaiveDate>,
    /// Its web address (canonical when known); only `http` and `https`
    /// addresses are kept.
    pub url: Option<String>,
}

/// An actor of the story.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BriefActor {
    /// Entity id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// `person`, `country`, …
    pub kind: String,
    /// Mentions in the story's articles.
    pub mentions: u32,
    /// Roles reported for it (across the store), with dates.
    pub roles: Vec<EntityRole>,
    /// Other names it goes by, most used first.
    pub aliases: Vec<String>,
}

/// One quantity (`killed`, in a place) and the figures given for it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = BriefQuantity))]
pub struct Quantity {
    /// The claim key they share (without the claimant scope).
    pub key: String,
    /// What is counted, with its place (`killed (Veyra Province)`).
    pub label: String,
    /// The latest figures (at most 3), by as-of day: the latest of each
    /// claimant and value, so one count repeated in several articles is
    /// one row.
    pub rows: Vec<FigureRow>,
    /// Figures in all, before the row cap.
    pub total: usize,
    /// Values over time per claimant (the 8 with most reports), for a
    /// chart; empty when all figures are about one day.
    pub series: Vec<Series>,
}

/// One reported figure.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = BriefFigure))]
pub struct FigureRow {
    /// The value as a reader says it (`at least 37`, `40,000–45,000`).
    pub value: String,
    /// The low value, for sorting and charts.
    pub number: Option<f64>,
    /// Who gives it; `None`: the outlet, with no source.
    pub claimant: Option<String>,
    /// The day it is about.
    pub as_of: Option<NaiveDate>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Article.
    pub article: ArticleId,
    /// The sentence.
    pub sentence: String,
    /// No other independent report gives this value for this quantity.
    pub single_source: bool,
}

/// A claimant's values over time.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Series {
    /// Claimant, or `outlet: <name>` for unattributed figures.
    pub claimant: String,
    /// (day, value), by day; the highest value per day.
    pub points: Vec<(NaiveDate, f64)>,
}

/// An actor's reported position on an issue.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PositionRow {
    /// The actor (a state for its officials).
    pub actor: String,
    /// The issue.
    pub issue: String,
    /// Statements: position, condition, who, outlet, day, sentence (at
    /// most 2: the first of each position, then the earliest others).
    pub statements: Vec<PositionStatement>,
    /// Statements before the cap.
    pub statements_total: usize,
    /// Both for and against (or conditional) were reported, not one after
    /// the other as a change.
    pub contested: bool,
    /// The actor moved from one side to the other.
    pub change: Option<storyline_link::linker::PositionChange>,
}

/// One statement of a position.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PositionStatement {
    /// `for`, `against` or `conditional`.
    pub position: Position,
    /// The condition of a conditional position.
    pub condition: Option<String>,
    /// Who said it when not the actor itself.
    pub via: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// The article's day.
    pub published: Option<NaiveDate>,
    /// Article.
    pub article: ArticleId,
    /// The sentence.
    pub sentence: String,
}

/// A speaker and what they were reported to say.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpeakerQuotes {
    /// The speaker as the articles name them.
    pub speaker: String,
    /// Quotes and reported statements in the story, before the cap.
    pub total: usize,
    /// Direct quotes first, then by day.
    pub quotes: Vec<QuoteRow>,
}

/// One quote or reported statement.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRow {
    /// What was said (the quotation with its marks, or the reported clause).
    pub text: String,
    /// Direct, partial, indirect or assertion.
    pub kind: AttributionKind,
    /// Outlet.
    pub outlet: Option<String>,
    /// The article's day.
    pub published: Option<NaiveDate>,
    /// Article.
    pub article: ArticleId,
}

/// One outlet's coverage of the story.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutletCoverage {
    /// Outlet (`unknown outlet` when none is known).
    pub outlet: String,
    /// Articles read.
    pub articles: usize,
    /// Of which copies of another article.
    pub copies: usize,
    /// First and last published day.
    pub first_day: Option<NaiveDate>,
    /// See `first_day`.
    pub last_day: Option<NaiveDate>,
}

/// What the briefing cannot vouch for.
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unknowns {
    /// Articles with no known published date (at most 10).
    pub undated: Vec<ArticleRef>,
    /// Undated articles before the cap.
    pub undated_total: usize,
    /// Figures the outlet states without naming a source (they show
    /// with no claimant under `figures`).
    pub unattributed_total: usize,
    /// Figures only one independent source reports (marked
    /// `single_source` under `figures`).
    pub single_source_total: usize,
    /// Quotes whose speaker the text does not name.
    pub unnamed_speaker_quotes: usize,
}

/// An article, briefly.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleRef {
    /// Id.
    pub id: ArticleId,
    /// Headline, or the opening words.
    pub title: String,
    /// Outlet.
    pub outlet: Option<String>,
    /// How its date is known (`unknown`, `inferred`).
    pub date_provenance: DateProvenance,
}

/// Builds the briefing of storyline `id` (`l3`) or story `id` (`s3`,
/// `3`); `None` when there is no such storyline or story.
pub fn briefing(engine: &Engine, id: &str) -> Result<Option<Briefing>, EngineError> {
    engine
        .memo()
        .get_or(&format!("brief|{id}"), || briefing_uncached(engine, id))
}

fn briefing_uncached(engine: &Engine, id: &str) -> Result<Option<Briefing>, EngineError> {
    let Some(summary) = story(engine, id)? else {
        return Ok(None);
    };
    let (mut developments, development_count) =
        storyline_developments(engine, id)?.unwrap_or_default();
    developments.truncate(STORIES);
    let timeline = fit_timeline(
        timeline(engine, id, TIMELINE_DATES, 2)?
            .map(|t| t.entries)
            .unwrap_or_default(),
    );

    let mut docs: Vec<(Article, Option<Analysis>)> = Vec::new();
    for aid in summary.article_ids.iter().rev().take(BRIEF_ARTICLES) {
        if let Some(article) = engine.store().article(aid)? {
            let analysis = engine.analysis(aid)?;
            docs.push((article, analysis));
        }
    }
    docs.sort_by(|(a, _), (b, _)| published(a).cmp(&published(b)).then(a.id.cmp(&b.id)));

    let mut claims: Vec<Claim> = Vec::new();
    let mut found: BTreeMap<String, Finding> = BTreeMap::new();
    // Only the story's own findings: a finding between one of its articles
    // and an article of another story belongs to neither briefing.
    let own: BTreeSet<&ArticleId> = summary.article_ids.iter().collect();
    for (a, _) in &docs {
        let key = format!("article:{}", a.id);
        claims.extend(lookup::<Claim>(
            engine.store(),
            kinds::CLAIM,
            &key,
            usize::MAX,
        )?);
        for f in lookup::<Finding>(engine.store(), kinds::FINDING, &key, usize::MAX)? {
            if f.claims.iter().all(|c| own.contains(&c.evidence.article)) {
                found.insert(f.id.clone(), f);
            }
        }
    }
    let (mut contested, mut updates, mut agreements) = (Vec::new(), Vec::new(), 0);
    for f in crate::link_views::shown(found.into_values().collect(), false, false) {
        match f.kind {
            FindingKind::Contradict | FindingKind::Inconsistent => contested.push(f),
            FindingKind::Update | FindingKind::Revision => updates.push(f),
            FindingKind::Agree => agreements += 1,
        }
    }
    let later = |f: &Finding| f.claims[1].as_of.or(f.claims[1].evidence.published);
    updates.sort_by(|a, b| later(a).cmp(&later(b)).then(a.id.cmp(&b.id)));
    let updates_total = updates.len();
    let updates = latest_updates(updates);
    // The surest contradictions first, so the cap keeps them.
    contested.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then(a.key.cmp(&b.key))
            .then(a.id.cmp(&b.id))
    });

    let actors = actors(engine, &summary)?;
    let (figures, figures_total, key_figures, unknowns_figures) = figures(&claims);
    let positions = positions(&claims);
    let positions_total = positions.len();
    let (quotes, speakers_total, unnamed) = quotes(&docs);
    let coverage = coverage(&docs);
    let undated: Vec<&Article> = docs
        .iter()
        .map(|(a, _)| a)
        .filter(|a| a.draft.published.is_none())
        .collect();
    let summary_part = BriefSummary {
        happened: happened(&timeline),
        key_figures,
        contested: contested_points(&contested, &positions, &figures),
        changed: changed_positions(&positions),
    };
    let positions: Vec<PositionRow> = positions
        .into_iter()
        .take(POSITIONS)
        .map(PositionRow::capped)
        .collect();
    let mut b = Briefing {
        schema: BRIEF_SCHEMA,
        articles_read: docs.len(),
        story: summary,
        developments,
        development_count,
        summary: summary_part,
        timeline,
        actors,
        figures,
        figures_total,
        positions_total,
        positions,
        quotes,
        speakers_total,
        contested_total: contested.len(),
        contested: contested.into_iter().take(CONTESTED).collect(),
        updates_total,
        updates,
        agreements,
        outlets_total: coverage.len(),
        coverage: coverage.into_iter().take(OUTLETS).collect(),
        unknowns: Unknowns {
            undated_total: undated.len(),
            undated: undated
                .iter()
                .take(UNKNOWN_ROWS)
                .map(|a| ArticleRef {
                    id: a.id.clone(),
                    title: title(a),
                    outlet: a.draft.source.clone(),
                    date_provenance: a.draft.published_provenance,
                })
                .collect(),
            unnamed_speaker_quotes: unnamed,
            ..unknowns_figures
        },
        sources: Vec::new(),
    };
    b.sources = sources(engine, &b, &docs)?;
    Ok(Some(b))
}

/// Briefings of the largest storylines (all of them without `top`),
/// largest first: one page each.
pub fn briefings(engine: &Engine, top: Option<usize>) -> Result<Vec<Briefing>, EngineError> {
    let page = crate::link_views::Page {
        limit: top.unwrap_or(usize::MAX),
        offset: 0,
    };
    let mut out = Vec::new();
    for s in crate::link_views::storylines(engine, page)?.storylines {
        if let Some(b) = briefing(engine, &s.summary.id)? {
            out.push(b);
        }
    }
    Ok(out)
}

/// A timeline of up to two sentences a date cut to [`TIMELINE_SENTENCES`]:
/// each date keeps its lead; the most important dates keep their second
/// while there is room.
fn fit_timeline(mut entries: Vec<TimelineEntryView>) -> Vec<TimelineEntryView> {
    let mut room = TIMELINE_SENTENCES.saturating_sub(entries.len());
    let mut by_score: Vec<usize> = (0..entries.len()).collect();
    by_score.sort_by(|&a, &b| {
        entries[b]
            .score
            .total_cmp(&entries[a].score)
            .then(entries[a].date.cmp(&entries[b].date))
    });
    for i in by_score {
        let e = &mut entries[i];
        if e.sentences.len() > 1 && room > 0 {
            e.sentences.truncate(2);
            room -= 1;
        } else {
            e.sentences.truncate(1);
        }
    }
    entries
}

/// The updates a briefing lists, of all of them in order of the later
/// day: the latest of each quantity, latest quantities first, then the
/// latest others, at most [`UPDATES`], back in day order. The latest word
/// on each count is what a reader forwards; the first days' revisions of
/// one toll would otherwise fill the list.
fn latest_updates(updates: Vec<Finding>) -> Vec<Finding> {
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    let mut picked: Vec<usize> = Vec::new();
    for (i, f) in updates.iter().enumerate().rev() {
        if picked.len() < UPDATES && keys.insert(quantity_key(&f.key)) {
            picked.push(i);
        }
    }
    for i in (0..updates.len()).rev() {
        if picked.len() >= UPDATES {
            break;
        }
        if !picked.contains(&i) {
            picked.push(i);
        }
    }
    updates
        .into_iter()
        .enumerate()
        .filter(|(i, _)| picked.contains(i))
        .map(|(_, f)| f)
        .collect()
}

impl PositionRow {
    /// The row with at most [`STATEMENTS_PER_POSITION`] statements: the
    /// first of each position (and condition), so a contested row shows
    /// both sides, then the earliest others, in their order.
    fn capped(mut self) -> PositionRow {
        self.statements_total = self.statements.len();
        let mut kinds: Vec<(Position, Option<&str>)> = Vec::new();
        let mut keep: Vec<usize> = Vec::new();
        for (i, st) in self.statements.iter().enumerate() {
            let kind = (st.position, st.condition.as_deref());
            if keep.len() < STATEMENTS_PER_POSITION && !kinds.contains(&kind) {
                kinds.push(kind);
                keep.push(i);
            }
        }
        for i in 0..self.statements.len() {
            if keep.len() >= STATEMENTS_PER_POSITION {
                break;
            }
            if !keep.contains(&i) {
                keep.push(i);
            }
        }
        let mut i = 0;
        self.statements.retain(|_| {
            let kept = keep.contains(&i);
            i += 1;
            kept
        });
        self
    }
}

/// An article's headline, or its opening words.
fn title(a: &Article) -> String {
    a.draft
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| crate::views::lead(&a.draft.text, 80))
}

/// The lead sentence of each of the most important days, in date order.
fn happened(timeline: &[TimelineEntryView]) -> Vec<HappenedDay> {
    let mut days: Vec<&TimelineEntryView> = timeline
        .iter()
        .filter(|e| !e.sentences.is_empty())
        .collect();
    days.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.date.cmp(&b.date)));
    days.truncate(SUMMARY_LINES);
    days.sort_by_key(|e| e.date);
    days.into_iter()
        .filter_map(|e| {
            Some(HappenedDay {
                date: e.date,
                sentence: e.sentences.first()?.clone(),
            })
        })
        .collect()
}

/// What sources disagree on: the quantities of the surest contradictions,
/// then contested positions.
fn contested_points(
    contested: &[Finding],
    positions: &[PositionRow],
    figures: &[Quantity],
) -> Vec<ContestedPoint> {
    let mut points: Vec<ContestedPoint> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for f in contested {
        let about = figures
            .iter()
            .find(|q| q.key == quantity_key(&f.key))
            .map(|q| q.label.clone())
            .unwrap_or_else(|| key_label(&f.key));
        let i = match at.get(&about) {
            Some(&i) => i,
            None if points.len() < SUMMARY_LINES => {
                at.insert(about.clone(), points.len());
                points.push(ContestedPoint {
                    about,
                    sides: Vec::new(),
                });
                points.len() - 1
            }
            None => continue,
        };
        for side in &f.claims {
            let sides = &mut points[i].sides;
            let claimant = side.claimant.clone();
            // A claim's summary opens with its claimant, shown apart here.
            let says = claimant
                .as_deref()
                .and_then(|c| side.summary.strip_prefix(c))
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or(&side.summary)
                .to_string();
            if sides.len() < 4
                && !sides
                    .iter()
                    .any(|s| s.says == says && s.claimant == claimant)
            {
                sides.push(ContestedSide {
                    says,
                    claimant,
                    as_of: side.as_of,
                    article: side.evidence.article.clone(),
                });
            }
        }
    }
    for row in positions.iter().filter(|r| r.contested) {
        if points.len() >= SUMMARY_LINES {
            break;
        }
        let mut sides: Vec<ContestedSide> = Vec::new();
        for st in &row.statements {
            let says = match &st.condition {
                Some(c) => format!("{}: {c}", st.position.as_str()),
                None => st.position.as_str().to_string(),
            };
            if sides.len() < 4 && !sides.iter().any(|s| s.says == says) {
                sides.push(ContestedSide {
                    says,
                    claimant: st.via.clone().or_else(|| Some(row.actor.clone())),
                    as_of: st.published,
                    article: st.article.clone(),
                });
            }
        }
        points.push(ContestedPoint {
            about: format!("{} on {}", row.actor, row.issue),
            sides,
        });
    }
    points
}

/// The actors that changed position, most stated first: each the last
/// statement of the old side and the first of the new.
fn changed_positions(positions: &[PositionRow]) -> Vec<ContestedPoint> {
    positions
        .iter()
        .filter_map(|row| {
            let ch = row.change?;
            let is_for = |p: Position| p == Position::For;
            let last_before = row.statements.iter().rev().find(|st| {
                is_for(st.position) == is_for(ch.from) && st.published == Some(ch.last_before)
            })?;
            let first_after = row.statements.iter().find(|st| {
                is_for(st.position) == is_for(ch.to) && st.published == Some(ch.first_after)
            })?;
            let side = |st: &PositionStatement| ContestedSide {
                says: match &st.condition {
                    Some(c) => format!("{}: {c}", st.position.as_str()),
                    None => st.position.as_str().to_string(),
                },
                claimant: st.via.clone().or_else(|| Some(row.actor.clone())),
                as_of: st.published,
                article: st.article.clone(),
            };
            Some(ContestedPoint {
                about: format!("{} on {}", row.actor, row.issue),
                sides: vec![side(last_before), side(first_after)],
            })
        })
        .take(SUMMARY_LINES)
        .collect()
}

/// A claim key for a reader: `figure|killed|people|gaza|total` →
/// `killed people gaza total`.
fn key_label(key: &str) -> String {
    quantity_key(key)
        .split('|')
        .skip(1)
        .filter(|p| !p.is_empty())
        .map(|p| p.replace('_', " "))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every article the briefing cites, once, by id.
fn sources(
    engine: &Engine,
    b: &Briefing,
    docs: &[(Article, Option<Analysis>)],
) -> Result<Vec<SourceRef>, EngineError> {
    let mut ids: BTreeSet<&ArticleId> = BTreeSet::new();
    ids.extend(b.story.summary.iter().map(|s| &s.article));
    ids.extend(b.summary.happened.iter().map(|h| &h.sentence.article));
    ids.extend(b.summary.key_figures.iter().map(|k| &k.figure.article));
    ids.extend(
        b.summary
            .contested
            .iter()
            .flat_map(|p| p.sides.iter().map(|s| &s.article)),
    );
    ids.extend(b.timeline.iter().flat_map(|e| {
        e.sentences.iter().flat_map(|s| {
            std::iter::once(&s.article).chain(s.also.iter().take(ALSO_CITED).map(|o| &o.article))
        })
    }));
    ids.extend(
        b.figures
            .iter()
            .flat_map(|q| q.rows.iter().map(|r| &r.article)),
    );
    ids.extend(
        b.positions
            .iter()
            .flat_map(|p| p.statements.iter().map(|s| &s.article)),
    );
    ids.extend(
        b.quotes
            .iter()
            .flat_map(|s| s.quotes.iter().map(|q| &q.article)),
    );
    ids.extend(
        b.contested
            .iter()
            .chain(&b.updates)
            .flat_map(|f| f.claims.iter().map(|c| &c.evidence.article)),
    );
    ids.extend(b.unknowns.undated.iter().map(|a| &a.id));
    let read: HashMap<&ArticleId, &Article> = docs.iter().map(|(a, _)| (&a.id, a)).collect();
    let mut out = Vec::new();
    for id in ids {
        // The timeline reads more articles than the briefing does.
        let fetched;
        let article = match read.get(id) {
            Some(a) => *a,
            None => match engine.store().article(id)? {
                Some(a) => {
                    fetched = a;
                    &fetched
                }
                None => continue,
            },
        };
        let url = article
            .draft
            .canonical_url
            .as_deref()
            .filter(|u| is_web_address(u))
            .or(article.draft.url.as_deref().filter(|u| is_web_address(u)))
            .map(str::to_string);
        out.push(SourceRef {
            id: id.clone(),
            title: title(article),
            outlet: article.draft.source.clone(),
            published: published(article),
            url,
        });
    }
    Ok(out)
}

/// An `http` or `https` address with no whitespace: the only kind a
/// report links to (a `javascript:` or `file:` address from a hostile
/// page never becomes a link).
pub fn is_web_address(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && url.len() > lower.find("//").map_or(0, |i| i + 2)
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn published(a: &Article) -> Option<NaiveDate> {
    a.draft.published.as_ref().map(|t| t.date)
}

fn actors(engine: &Engine, summary: &StorySummary) -> Result<Vec<BriefActor>, EngineError> {
    let ids: Vec<String> = summary
        .key_actors
        .iter()
        .take(ACTORS)
        .map(|(id, _, _)| id.clone())
        .collect();
    let found: Vec<EntityRecord> = records(engine.store(), kinds::ENTITY, &ids)?;
    let by_id: HashMap<&str, &EntityRecord> = found.iter().map(|e| (e.id.as_str(), e)).collect();
    Ok(summary
        .key_actors
        .iter()
        .take(ACTORS)
        .map(|(id, name, mentions)| {
            let record = by_id.get(id.as_str());
            let mut aliases: Vec<(&String, &u64)> = record
                .map(|e| e.aliases.iter().filter(|(a, _)| *a != name).collect())
                .unwrap_or_default();
            aliases.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            BriefActor {
                id: id.clone(),
                name: name.clone(),
                kind: record
                    .map(|e| e.kind.as_str().to_string())
                    .unwrap_or_default(),
                mentions: *mentions,
                roles: record.map(|e| e.roles.clone()).unwrap_or_default(),
                aliases: aliases
                    .into_iter()
                    .take(6)
                    .map(|(a, _)| a.clone())
                    .collect(),
            }
        })
        .collect())
}

/// The value of a figure claim as a reader says it.
fn value_text(c: &Claim) -> String {
    use storyline_analyze::figures::Approximation as A;
    let Some(v) = c.value else {
        return String::new();
    };
    let n = |x: f64| {
        if x.fract() == 0.0 && x.abs() < 9e15 {
            group_thousands(x as i64)
        } else {
            format!("{x}")
        }
    };
    let base = match c.value_high {
        Some(h) if h != v => format!("{}–{}", n(v), n(h)),
        _ => n(v),
    };
    let lead = match c.approximation {
        Some(A::AtLeast) => "at least ",
        Some(A::MoreThan) => "more than ",
        Some(A::Nearly) => "nearly ",
        Some(A::UpTo) => "up to ",
        Some(A::FewerThan) => "fewer than ",
        Some(A::About) => "about ",
        _ => "",
    };
    format!("{lead}{base}")
}

fn figure_row(c: &Claim, single_source: bool) -> FigureRow {
    FigureRow {
        value: value_text(c),
        number: c.value,
        claimant: c.claimant.as_ref().map(|a| a.name.clone()),
        as_of: c.as_of,
        outlet: c.evidence.outlet.clone(),
        article: c.evidence.article.clone(),
        sentence: cut(&c.evidence.sentence, SENTENCE_CHARS),
        single_source,
    }
}

/// A figure key without its claimant scope: figures from different
/// claimants about the same quantity share one table.
fn quantity_key(key: &str) -> &str {
    match key.find("|by:") {
        Some(i) => &key[..i],
        None => key,
    }
}

/// The figures tables (the 12 most reported quantities), how many
/// quantities there are, the summary's key figures, and the counts of
/// unattributed and single-source figures.
fn figures(claims: &[Claim]) -> (Vec<Quantity>, usize, Vec<KeyFigure>, Unknowns) {
    let mut groups: BTreeMap<&str, Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        if c.kind == ClaimKind::Figure && c.value.is_some() && !c.earlier {
            groups.entry(quantity_key(&c.key)).or_default().push(c);
        }
    }
    // Who gives each value of each quantity, wherever they place it: a
    // figure is single-source when no other independent report (another
    // near-duplicate group) gives the same value for the same quantity.
    let mut sources: HashMap<(&str, Option<u64>), BTreeSet<&ArticleId>> = HashMap::new();
    for c in claims.iter().filter(|c| c.kind == ClaimKind::Figure) {
        sources
            .entry((c.predicate.as_str(), c.value.map(f64::to_bits)))
            .or_default()
            .insert(&c.evidence.duplicate_group);
    }
    let single = |c: &Claim| {
        sources
            .get(&(c.predicate.as_str(), c.value.map(f64::to_bits)))
            .is_none_or(|g| g.len() < 2)
    };
    let mut unknowns = Unknowns::default();
    let mut quantities: Vec<(Quantity, FigureRow)> = Vec::new();
    for (key, mut group) in groups {
        group.sort_by(|a, b| {
            a.as_of
                .cmp(&b.as_of)
                .then(
                    a.value
                        .partial_cmp(&b.value)
                        .unwrap_or(std::cmp::Ordering::Equal),
                )
                .then(a.id.cmp(&b.id))
        });
        // Copies of one article repeat its figures: show each once.
        let mut seen = BTreeSet::new();
        group.retain(|c| {
            seen.insert((
                c.evidence.duplicate_group.to_string(),
                c.claimant.as_ref().map(|a| a.id.clone()),
                c.value.map(f64::to_bits),
                c.as_of,
            ))
        });
        for c in &group {
            unknowns.unattributed_total += usize::from(c.claimant.is_none());
            unknowns.single_source_total += usize::from(single(c));
        }
        let first = group[0];
        // An inferred place that does not key the figure (a town the article
        // is written from) is not what the group measures.
        let keyed =
            !first.place_inferred || first.key.split('|').nth(3).is_some_and(|s| !s.is_empty());
        let label = match &first.place {
            Some(p) if !p.is_empty() && keyed => format!("{} ({p})", first.predicate),
            _ => first.predicate.clone(),
        };
        let mut per: BTreeMap<String, BTreeMap<NaiveDate, f64>> = BTreeMap::new();
        for c in &group {
            let (Some(day), Some(v)) = (c.as_of, c.value) else {
                continue;
            };
            let who = match (&c.claimant, &c.evidence.outlet) {
                (Some(a), _) => a.name.clone(),
                (None, Some(o)) => format!("outlet: {o}"),
                (None, None) => "unattributed".to_string(),
            };
            let slot = per.entry(who).or_default().entry(day).or_insert(v);
            *slot = slot.max(v);
        }
        // A chart needs the quantity on two days at least; then every
        // claimant is drawn, a lone report as a dot beside the others' lines.
        let days: BTreeSet<NaiveDate> = per.values().flat_map(|p| p.keys().copied()).collect();
        let mut series: Vec<Series> = if days.len() >= 2 {
            per.into_iter()
                .map(|(claimant, pts)| Series {
                    claimant,
                    points: pts.into_iter().collect(),
                })
                .collect()
        } else {
            Vec::new()
        };
        series.sort_by(|a, b| {
            b.points
                .len()
                .cmp(&a.points.len())
                .then(a.claimant.cmp(&b.claimant))
        });
        series.truncate(SERIES);
        // The group is in day order, the highest value of a day last: the
        // last figure is the latest word on the quantity.
        let last = group[group.len() - 1];
        quantities.push((
            Quantity {
                key: key.to_string(),
                label,
                total: group.len(),
                // The latest figures: the chart draws the earlier ones.
                rows: latest_rows(&group)
                    .into_iter()
                    .map(|c| figure_row(c, single(c)))
                    .collect(),
                series,
            },
            figure_row(last, single(last)),
        ));
    }
    quantities.sort_by(|(a, _), (b, _)| b.total.cmp(&a.total).then(a.key.cmp(&b.key)));
    let total = quantities.len();
    quantities.truncate(QUANTITIES);
    let key_figures = quantities
        .iter()
        .take(SUMMARY_LINES)
        .map(|(q, latest)| KeyFigure {
            label: q.label.clone(),
            figure: latest.clone(),
            reports: q.total,
        })
        .collect();
    (
        quantities.into_iter().map(|(q, _)| q).collect(),
        total,
        key_figures,
        unknowns,
    )
}

/// The rows of a quantity's table, of its figures in day order: the
/// latest figure of each claimant and value (one count that several
/// articles repeat is one row), at most [`ROWS_PER_QUANTITY`], in day
/// order.
fn latest_rows<'c>(group: &[&'c Claim]) -> Vec<&'c Claim> {
    let mut seen: BTreeSet<(Option<&str>, Option<u64>)> = BTreeSet::new();
    let mut rows: Vec<&Claim> = group
        .iter()
        .rev()
        .filter(|c| {
            seen.insert((
                c.claimant.as_ref().map(|a| a.id.as_str()),
                c.value.map(f64::to_bits),
            ))
        })
        .take(ROWS_PER_QUANTITY)
        .copied()
        .collect();
    rows.reverse();
    rows
}

fn positions(claims: &[Claim]) -> Vec<PositionRow> {
    let mut cells: BTreeMap<(String, String), Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        if c.kind != ClaimKind::Stance || c.position.is_none() {
            continue;
        }
        let Some(actor) = c.on_behalf_of.as_ref().or(c.subject.as_ref()) else {
            continue;
        };
        cells
            .entry((actor.name.clone(), c.predicate.replace('_', " ")))
            .or_default()
            .push(c);
    }
    let mut rows: Vec<PositionRow> = cells
        .into_iter()
        .map(|((actor, issue), cs)| {
            let statements: Vec<PositionStatement> = cs
                .iter()
                .filter_map(|c| {
                    let via = c
                        .claimant
                        .as_ref()
                        .filter(|v| Some(&v.name) != Some(&actor))
                        .map(|v| v.name.clone());
                    Some(PositionStatement {
                        position: c.position?,
                        condition: c.condition.clone(),
                        via,
                        outlet: c.evidence.outlet.clone(),
                        published: c.evidence.published,
                        article: c.evidence.article.clone(),
                        sentence: c.evidence.sentence.clone(),
                    })
                })
                .collect();
            let has = |p: Position| statements.iter().any(|s| s.position == p);
            let change = storyline_link::linker::position_change(
                statements.iter().map(|s| (s.position, s.published)),
            );
            let contested = has(Position::For)
                && (has(Position::Against) || has(Position::Conditional))
                && change.is_none();
            PositionRow {
                actor,
                issue,
                statements_total: statements.len(),
                statements,
                contested,
                change,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.contested
            .cmp(&a.contested)
            .then(b.statements.len().cmp(&a.statements.len()))
            .then(a.actor.cmp(&b.actor))
    });
    rows
}

fn cut(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let head: String = text.chars().take(max).collect();
    let at = head.rfind(' ').unwrap_or(head.len());
    format!("{}…", &head[..at])
}

fn quotes(docs: &[(Article, Option<Analysis>)]) -> (Vec<SpeakerQuotes>, usize, usize) {
    let mut by_speaker: HashMap<String, (String, Vec<QuoteRow>)> = HashMap::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut unnamed = 0;
    for (a, analysis) in docs {
        let Some(an) = analysis else { continue };
        for q in &an.attributions {
            let Some(content) = a.draft.text.get(q.content.start..q.content.end) else {
                continue;
            };
            let speaker = q
                .referent
                .and_then(|i| an.referents.get(i))
                .map(|r| r.name.clone())
                .or_else(|| q.source_text.clone())
                .filter(|s| !s.trim().is_empty());
            let Some(speaker) = speaker else {
                unnamed += 1;
                continue;
            };
            // The same words in a copy or a re-publication count once.
            let norm: String = content
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            if norm.len() < 12 || !seen.insert(norm) {
                continue;
            }
            let entry = by_speaker
                .entry(speaker.to_lowercase())
                .or_insert_with(|| (speaker.clone(), Vec::new()));
            entry.1.push(QuoteRow {
                text: cut(content, QUOTE_CHARS),
                kind: q.kind,
                outlet: a.draft.source.clone(),
                published: published(a),
                article: a.id.clone(),
            });
        }
    }
    let direct = |k: AttributionKind| {
        !matches!(
            k,
            AttributionKind::DirectQuote | AttributionKind::PartialQuote
        )
    };
    let mut speakers: Vec<SpeakerQuotes> = by_speaker
        .into_values()
        .map(|(speaker, mut qs)| {
            qs.sort_by(|a, b| {
                direct(a.kind)
                    .cmp(&direct(b.kind))
                    .then(a.published.cmp(&b.published))
            });
            let total = qs.len();
            qs.truncate(QUOTES_PER_SPEAKER);
            SpeakerQuotes {
                speaker,
                total,
                quotes: qs,
            }
        })
        .collect();
    speakers.sort_by(|a, b| b.total.cmp(&a.total).then(a.speaker.cmp(&b.speaker)));
    let total = speakers.len();
    speakers.truncate(SPEAKERS);
    (speakers, total, unnamed)
}

fn coverage(docs: &[(Article, Option<Analysis>)]) -> Vec<OutletCoverage> {
    let mut by: BTreeMap<String, OutletCoverage> = BTreeMap::new();
    for (a, _) in docs {
        let outlet = a
            .draft
            .source
            .clone()
            .unwrap_or_else(|| "unknown outlet".to_string());
        let row = by.entry(outlet.clone()).or_insert(OutletCoverage {
            outlet,
            articles: 0,
            copies: 0,
            first_day: None,
            last_day: None,
        });
        row.articles += 1;
        row.copies += usize::from(a.is_duplicate());
        if let Some(d) = published(a) {
            row.first_day = Some(row.first_day.map_or(d, |f| f.min(d)));
            row.last_day = Some(row.last_day.map_or(d, |l| l.max(d)));
        }
    }
    let mut rows: Vec<OutletCoverage> = by.into_values().collect();
    rows.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.outlet.cmp(&b.outlet)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantity_key_drops_only_the_claimant_scope() {
        assert_eq!(
            quantity_key("figure|killed|gaza|by:hamas"),
            "figure|killed|gaza"
        );
        assert_eq!(quantity_key("figure|killed|gaza"), "figure|killed|gaza");
    }

    #[test]
    fn key_labels_read_as_words() {
        assert_eq!(
            key_label("figure|killed|people|veyra_province|total|by:x"),
            "killed people veyra province total"
        );
    }

    #[test]
    fn only_web_addresses_are_links() {
        assert!(is_web_address("https://example.org/a?b=c"));
        assert!(is_web_address("HTTP://example.org/"));
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://",
            "https://exa mple.org",
            "http://a\nb",
            "data:text/html,x",
            "",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }

    fn entry(day: u32, score: f64, sentences: usize) -> TimelineEntryView {
        let id = ArticleId::for_text(&format!("day {day}"));
        TimelineEntryView {
            date: NaiveDate::from_ymd_opt(2023, 10, day).expect("a day"),
            score,
            sentences: (0..sentences)
                .map(|i| TimelineSentence {
                    text: format!("sentence {i}"),
                    article: id.clone(),
                    outlet: None,
                    published: None,
                    sentence: i,
                    span: storyline_core::Span::new(0, 1),
                    also: vec![],
                })
                .collect(),
            supporting_articles: vec![],
        }
    }

    #[test]
    fn a_timeline_keeps_each_days_lead_then_seconds_of_the_most_important_days() {
        let lens =
            |t: &[TimelineEntryView]| t.iter().map(|e| e.sentences.len()).collect::<Vec<_>>();
        // Eight days leave room for two second sentences: the two best days'.
        let days: Vec<_> = (1..=8)
            .map(|d| entry(d, if d == 3 || d == 6 { 5.0 } else { 1.0 }, 2))
            .collect();
        assert_eq!(lens(&fit_timeline(days)), [1, 1, 2, 1, 1, 2, 1, 1]);
        // A short story keeps two a day; a day with one keeps it.
        let short = vec![entry(1, 1.0, 2), entry(2, 2.0, 1), entry(3, 0.5, 2)];
        assert_eq!(lens(&fit_timeline(short)), [2, 1, 2]);
        // A full timeline is one sentence a day.
        let full: Vec<_> = (1..=TIMELINE_DATES as u32)
            .map(|d| entry(d, 1.0, 2))
            .collect();
        let fitted = fit_timeline(full);
        assert!(fitted.iter().all(|e| e.sentences.len() == 1));
        assert_eq!(
            fitted.iter().map(|e| e.sentences.len()).sum::<usize>(),
            TIMELINE_SENTENCES
        );
    }

    fn toll(claimant: Option<&str>, value: f64, day: u32, article: &str) -> Claim {
        serde_json::from_value(serde_json::json!({
            "id": format!("{article}-{value}"), "kind": "figure", "key": "figure|killed|people|gaza|total",
            "summary": "", "claimant": claimant.map(|c| serde_json::json!({"id": c, "name": c})),
            "subject": null, "on_behalf_of": null, "object": null, "predicate": "killed",
            "place": "Gaza", "place_inferred": false, "value": value, "value_high": null,
            "approximation": null, "category": "killed", "position": null, "condition": null,
            "negated": false, "modality": null, "as_of": format!("2023-10-{day:02}"), "earlier": false,
            "evidence": {
                "article": article, "outlet": null, "published": format!("2023-10-{day:02}"),
                "published_provenance": "metadata", "duplicate_group": article,
                "sentence": "s", "sentence_span": {"start": 0, "end": 1},
                "span": {"start": 0, "end": 1}
            }
        }))
        .expect("a figure claim")
    }

    #[test]
    fn a_quantitys_rows_are_the_latest_of_each_claimant_and_value() {
        let group = [
            toll(Some("ministry"), 900.0, 1, "00000000000000a1"),
            toll(None, 50.0, 2, "00000000000000a2"),
            toll(Some("ministry"), 1100.0, 3, "00000000000000a3"),
            toll(Some("un"), 1000.0, 4, "00000000000000a4"),
            // The ministry's count again, in a later article: one row.
            toll(Some("ministry"), 1100.0, 5, "00000000000000a5"),
        ];
        let refs: Vec<&Claim> = group.iter().collect();
        let rows: Vec<(f64, String)> = latest_rows(&refs)
            .iter()
            .map(|c| (c.value.unwrap_or_default(), c.evidence.article.to_string()))
            .collect();
        assert_eq!(ROWS_PER_QUANTITY, 3);
        assert_eq!(
            rows,
            [
                (50.0, "00000000000000a2".to_string()),
                (1000.0, "00000000000000a4".to_string()),
                (1100.0, "00000000000000a5".to_string()),
            ],
            "in day order, the repeated count once, at its latest"
        );
    }

    #[test]
    fn a_capped_position_shows_each_side_before_more_of_one() {
        let st = |position: Position, n: usize| PositionStatement {
            position,
            condition: None,
            via: None,
            outlet: None,
            published: None,
            article: ArticleId::for_text("a"),
            sentence: format!("statement {n}"),
        };
        let row = PositionRow {
            actor: "United States".into(),
            issue: "ceasefire".into(),
            statements: vec![
                st(Position::For, 1),
                st(Position::For, 2),
                st(Position::For, 3),
                st(Position::Against, 4),
            ],
            statements_total: 4,
            contested: true,
            change: None,
        }
        .capped();
        let kept: Vec<&str> = row.statements.iter().map(|s| s.sentence.as_str()).collect();
        assert_eq!(kept, ["statement 1", "statement 4"]);
        assert_eq!(row.statements_total, 4);
    }

    fn update(id: &str, key: &str) -> Finding {
        let side = serde_json::json!({
            "claim": "c", "summary": "", "claimant": null, "value": 1.0, "position": null,
            "as_of": "2023-10-10",
            "evidence": {"article": "00000000000000a1", "duplicate_group": "00000000000000a1",
                "sentence": "", "published_provenance": "metadata",
                "sentence_span": {"start": 0, "end": 1}, "span": {"start": 0, "end": 1}}
        });
        serde_json::from_value(serde_json::json!({
            "id": id, "kind": "update", "key": key, "reason": "",
            "claims": [side.clone(), side], "confidence": 0.9, "reasons": []
        }))
        .expect("a finding")
    }

    #[test]
    fn the_updates_listed_are_the_latest_of_each_quantity_in_day_order() {
        // In order of the later day: two updates of the Gaza toll, one of
        // the hostages, then eight more of the toll (one under a claimant
        // scope, the same quantity). The last five would all be the toll.
        let gaza = "figure|killed|people|gaza|total";
        let mut all: Vec<Finding> = (0..2).map(|i| update(&format!("g{i}"), gaza)).collect();
        all.push(update("h", "figure|hostages|people|gaza|total|by:idf"));
        all.extend((2..9).map(|i| update(&format!("g{i}"), gaza)));
        all.push(update("g9", &format!("{gaza}|by:ministry")));
        let ids: Vec<String> = latest_updates(all).into_iter().map(|f| f.id).collect();
        assert_eq!(UPDATES, 5);
        assert_eq!(ids, ["h", "g6", "g7", "g8", "g9"]);
    }

    #[test]
    fn cut_keeps_short_text_and_cuts_long_text_at_a_word() {
        assert_eq!(cut("a  short\nquote", 40), "a short quote");
        assert_eq!(cut("one two three four", 10), "one two…");
    }
}
