//! The briefing of a story: everything a report on it shows, gathered from
//! the stored analyses and links in one document (`storyline brief`, the
//! report crate renders it as Markdown or HTML). Nothing here re-reads raw
//! inputs or re-runs analysis; every row keeps the article, outlet, date and
//! sentence it came from.
//!
//! Fields are documented in `docs/json.md` (`storyline.brief/1`).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use storyline_analyze::attribution::AttributionKind;
use storyline_core::{Article, ArticleId, DateProvenance};
use storyline_link::claims::{Claim, ClaimKind, Position};
use storyline_link::findings::{group_thousands, Finding, FindingKind};
use storyline_link::linker::{kinds, lookup, records, EntityRecord, EntityRole};

use crate::analysis::Analysis;
use crate::link_views::{story, timeline, StorySummary, TimelineEntryView};
use crate::{Engine, EngineError};

/// Schema tag of [`Briefing`].
pub const BRIEF_SCHEMA: &str = "storyline.brief/1";

/// Most articles of a story read for one briefing (its latest).
const BRIEF_ARTICLES: usize = 500;
/// Dates on a briefing's timeline.
const TIMELINE_DATES: usize = 12;
/// Actors listed.
const ACTORS: usize = 12;
/// Speakers listed, and quotes per speaker.
const SPEAKERS: usize = 12;
const QUOTES_PER_SPEAKER: usize = 5;
/// Quantities in the figures table, and rows per quantity.
const QUANTITIES: usize = 12;
const ROWS_PER_QUANTITY: usize = 8;
/// Claimants drawn in one chart (those with most reports).
const SERIES: usize = 8;
/// Rows in each "what we don't know" list.
const UNKNOWN_ROWS: usize = 10;
/// Longest quote shown, in characters.
const QUOTE_CHARS: usize = 320;

/// A story's briefing.
#[derive(Clone, Debug, Serialize)]
pub struct Briefing {
    /// [`BRIEF_SCHEMA`].
    pub schema: &'static str,
    /// The story: label, span, outlets, key actors.
    pub story: StorySummary,
    /// Articles the briefing read (the story's latest, at most 500).
    pub articles_read: usize,
    /// Dated entries with their sentences.
    pub timeline: Vec<TimelineEntryView>,
    /// Key actors with their roles.
    pub actors: Vec<BriefActor>,
    /// Figures, one table per quantity, most reported quantity first.
    pub figures: Vec<Quantity>,
    /// Positions of actors on issues.
    pub positions: Vec<PositionRow>,
    /// Quotes grouped by speaker, most quoted first.
    pub quotes: Vec<SpeakerQuotes>,
    /// Contradictions, both sides.
    pub contested: Vec<Finding>,
    /// Updates (a figure re-reported later), in order of the later day.
    pub updates: Vec<Finding>,
    /// Agreements between independent sources.
    pub agreements: usize,
    /// Articles per outlet.
    pub coverage: Vec<OutletCoverage>,
    /// Gaps: undated articles, unattributed and single-source figures.
    pub unknowns: Unknowns,
}

/// An actor of the story.
#[derive(Clone, Debug, Serialize)]
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
pub struct Quantity {
    /// The claim key they share (without the claimant scope).
    pub key: String,
    /// What is counted, with its place (`killed (Veyra Province)`).
    pub label: String,
    /// Figures, by as-of day.
    pub rows: Vec<FigureRow>,
    /// Figures in all, before the row cap.
    pub total: usize,
    /// Values over time per claimant (the 8 with most reports), for a
    /// chart; empty when all figures are about one day.
    pub series: Vec<Series>,
}

/// One reported figure.
#[derive(Clone, Debug, Serialize)]
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
}

/// A claimant's values over time.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    /// Claimant, or `outlet: <name>` for unattributed figures.
    pub claimant: String,
    /// (day, value), by day; the highest value per day.
    pub points: Vec<(NaiveDate, f64)>,
}

/// An actor's reported position on an issue.
#[derive(Clone, Debug, Serialize)]
pub struct PositionRow {
    /// The actor (a state for its officials).
    pub actor: String,
    /// The issue.
    pub issue: String,
    /// Each statement: position, condition, who, outlet, day, sentence.
    pub statements: Vec<PositionStatement>,
    /// Both for and against (or conditional) were reported.
    pub contested: bool,
}

/// One statement of a position.
#[derive(Clone, Debug, Serialize)]
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
pub struct Unknowns {
    /// Articles with no known published date.
    pub undated: Vec<ArticleRef>,
    /// Figures the outlet states without naming a source, before the cap.
    pub unattributed_total: usize,
    /// Some of them.
    pub unattributed: Vec<FigureRow>,
    /// Figures only one independent source reports, before the cap.
    pub single_source_total: usize,
    /// Some of them.
    pub single_source: Vec<FigureRow>,
    /// Quotes whose speaker the text does not name.
    pub unnamed_speaker_quotes: usize,
}

/// An article, briefly.
#[derive(Clone, Debug, Serialize)]
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

/// Builds the briefing of story `id` (`s3`, `3`); `None` when there is no
/// such story.
pub fn briefing(engine: &Engine, id: &str) -> Result<Option<Briefing>, EngineError> {
    engine
        .memo()
        .get_or(&format!("brief|{id}"), || briefing_uncached(engine, id))
}

fn briefing_uncached(engine: &Engine, id: &str) -> Result<Option<Briefing>, EngineError> {
    let Some(summary) = story(engine, id)? else {
        return Ok(None);
    };
    let timeline = timeline(engine, id, TIMELINE_DATES, 2)?
        .map(|t| t.entries)
        .unwrap_or_default();

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
    for (a, _) in &docs {
        let key = format!("article:{}", a.id);
        claims.extend(lookup::<Claim>(
            engine.store(),
            kinds::CLAIM,
            &key,
            usize::MAX,
        )?);
        for f in lookup::<Finding>(engine.store(), kinds::FINDING, &key, usize::MAX)? {
            found.insert(f.id.clone(), f);
        }
    }
    let (mut contested, mut updates, mut agreements) = (Vec::new(), Vec::new(), 0);
    for f in crate::link_views::shown(found.into_values().collect(), false) {
        match f.kind {
            FindingKind::Contradict | FindingKind::Inconsistent => contested.push(f),
            FindingKind::Update | FindingKind::Revision => updates.push(f),
            FindingKind::Agree => agreements += 1,
        }
    }
    let later = |f: &Finding| f.claims[1].as_of.or(f.claims[1].evidence.published);
    updates.sort_by(|a, b| later(a).cmp(&later(b)).then(a.id.cmp(&b.id)));
    contested.sort_by(|a, b| a.key.cmp(&b.key).then(a.id.cmp(&b.id)));

    let actors = actors(engine, &summary)?;
    let (figures, unknowns_figures) = figures(&claims);
    let positions = positions(&claims);
    let (quotes, unnamed) = quotes(&docs);
    let coverage = coverage(&docs);
    let undated = docs
        .iter()
        .filter(|(a, _)| a.draft.published.is_none())
        .take(UNKNOWN_ROWS)
        .map(|(a, _)| ArticleRef {
            id: a.id.clone(),
            title: a
                .draft
                .title
                .clone()
                .unwrap_or_else(|| crate::views::lead(&a.draft.text, 80)),
            outlet: a.draft.source.clone(),
            date_provenance: a.draft.published_provenance,
        })
        .collect();
    Ok(Some(Briefing {
        schema: BRIEF_SCHEMA,
        articles_read: docs.len(),
        story: summary,
        timeline,
        actors,
        figures,
        positions,
        quotes,
        contested,
        updates,
        agreements,
        coverage,
        unknowns: Unknowns {
            undated,
            unnamed_speaker_quotes: unnamed,
            ..unknowns_figures
        },
    }))
}

/// Briefings of the largest stories (all of them without `top`), largest
/// first.
pub fn briefings(engine: &Engine, top: Option<usize>) -> Result<Vec<Briefing>, EngineError> {
    let page = crate::link_views::Page {
        limit: top.unwrap_or(usize::MAX),
        offset: 0,
    };
    let mut out = Vec::new();
    for s in crate::link_views::stories(engine, page)?.stories {
        if let Some(b) = briefing(engine, &s.id)? {
            out.push(b);
        }
    }
    Ok(out)
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

fn figure_row(c: &Claim) -> FigureRow {
    FigureRow {
        value: value_text(c),
        number: c.value,
        claimant: c.claimant.as_ref().map(|a| a.name.clone()),
        as_of: c.as_of,
        outlet: c.evidence.outlet.clone(),
        article: c.evidence.article.clone(),
        sentence: c.evidence.sentence.clone(),
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

fn figures(claims: &[Claim]) -> (Vec<Quantity>, Unknowns) {
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
    let mut unknowns = Unknowns::default();
    let mut quantities: Vec<Quantity> = Vec::new();
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
            if c.claimant.is_none() {
                unknowns.unattributed_total += 1;
                if unknowns.unattributed.len() < UNKNOWN_ROWS {
                    unknowns.unattributed.push(figure_row(c));
                }
            }
            let same = (c.predicate.as_str(), c.value.map(f64::to_bits));
            if sources.get(&same).is_none_or(|g| g.len() < 2) {
                unknowns.single_source_total += 1;
                if unknowns.single_source.len() < UNKNOWN_ROWS {
                    unknowns.single_source.push(figure_row(c));
                }
            }
        }
        let first = group[0];
        let label = match &first.place {
            Some(p) if !p.is_empty() => format!("{} ({p})", first.predicate),
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
        quantities.push(Quantity {
            key: key.to_string(),
            label,
            total: group.len(),
            rows: group
                .iter()
                .take(ROWS_PER_QUANTITY)
                .map(|c| figure_row(c))
                .collect(),
            series,
        });
    }
    quantities.sort_by(|a, b| b.total.cmp(&a.total).then(a.key.cmp(&b.key)));
    quantities.truncate(QUANTITIES);
    (quantities, unknowns)
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
            let contested =
                has(Position::For) && (has(Position::Against) || has(Position::Conditional));
            PositionRow {
                actor,
                issue,
                statements,
                contested,
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

fn quotes(docs: &[(Article, Option<Analysis>)]) -> (Vec<SpeakerQuotes>, usize) {
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
    speakers.truncate(SPEAKERS);
    (speakers, unnamed)
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
    fn cut_keeps_short_text_and_cuts_long_text_at_a_word() {
        assert_eq!(cut("a  short\nquote", 40), "a short quote");
        assert_eq!(cut("one two three four", 10), "one two…");
    }
}
