//! JSON documents for the linking listings (`storyline entities`, `claims`,
//! `findings`, `stances`, `check`), shared by the CLI and the HTTP API.
//! Fields are documented in `docs/json.md`.

use std::collections::BTreeMap;

use serde::Serialize;
use storyline_link::actors::ActorKind;
use storyline_link::claims::{Claim, ClaimKind};
use storyline_link::findings::{
    supports, Finding, FindingKind, FindingSide, DEFAULT_MIN_CONFIDENCE,
};
use storyline_link::linker::{kinds, lookup, scan_all, EntityRecord, Linker, StanceCell};
use storyline_link::stories::label;
use storyline_link::story_store::{parse_story_id, story_record_id, StoryRecord, STORYLINE_LEVEL};
use storyline_link::summary::{spread, summarise, SummaryInput, SummaryParams};
use storyline_link::timeline::{build_timeline, TimelineInput, TimelineParams};
use storyline_store::{SearchHit, SearchQuery};

use crate::{Engine, EngineError};

/// Schema tag of [`EntityList`].
pub const ENTITIES_SCHEMA: &str = "storyline.entities/1";
/// Schema tag of [`ClaimList`].
pub const CLAIMS_SCHEMA: &str = "storyline.claims/1";
/// Schema tag of [`FindingList`].
pub const FINDINGS_SCHEMA: &str = "storyline.findings/1";
/// Schema tag of [`StanceTable`].
pub const STANCES_SCHEMA: &str = "storyline.stances/1";
/// Schema tag of [`CheckResult`].
pub const CHECK_SCHEMA: &str = "storyline.check/1";

/// Paging for listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// At most this many.
    pub limit: usize,
    /// Skip this many.
    pub offset: usize,
}

impl Default for Page {
    fn default() -> Page {
        Page {
            limit: usize::MAX,
            offset: 0,
        }
    }
}

impl Page {
    fn apply<T>(&self, items: Vec<T>) -> Vec<T> {
        items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect()
    }
}

/// Canonical entities, most widely reported first.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityList {
    /// [`ENTITIES_SCHEMA`].
    pub schema: &'static str,
    /// Entities matching the filter (before paging).
    pub total: usize,
    /// This page.
    pub entities: Vec<EntityRecord>,
}

/// Lists entities, optionally of one kind.
pub fn entities(
    engine: &Engine,
    kind: Option<ActorKind>,
    page: Page,
) -> Result<EntityList, EngineError> {
    let mut all: Vec<EntityRecord> = scan_all(engine.store(), kinds::ENTITY)?;
    all.retain(|e| kind.is_none_or(|k| e.kind == k));
    all.sort_by(|a, b| {
        b.articles
            .cmp(&a.articles)
            .then(b.mentions.cmp(&a.mentions))
            .then(a.name.cmp(&b.name))
    });
    Ok(EntityList {
        schema: ENTITIES_SCHEMA,
        total: all.len(),
        entities: page.apply(all),
    })
}

/// One entity by id.
pub fn entity(engine: &Engine, id: &str) -> Result<Option<EntityRecord>, EngineError> {
    Ok(
        storyline_link::linker::records(engine.store(), kinds::ENTITY, &[id.to_string()])?
            .into_iter()
            .next(),
    )
}

/// Claims, in order of the day they are about.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimList {
    /// [`CLAIMS_SCHEMA`].
    pub schema: &'static str,
    /// Claims matching the filter (before paging).
    pub total: usize,
    /// This page.
    pub claims: Vec<Claim>,
}

/// Which claims to list.
#[derive(Clone, Debug, Default)]
pub struct ClaimFilter {
    /// Only this kind.
    pub kind: Option<ClaimKind>,
    /// Only claims naming this entity (as claimant, subject or object).
    pub entity: Option<String>,
    /// Only claims from this article.
    pub article: Option<String>,
}

/// Lists claims.
pub fn claims(engine: &Engine, filter: &ClaimFilter, page: Page) -> Result<ClaimList, EngineError> {
    let store = engine.store();
    let mut all: Vec<Claim> = match (&filter.entity, &filter.article) {
        (Some(e), _) => lookup(store, kinds::CLAIM, &format!("entity:{e}"), usize::MAX)?,
        (None, Some(a)) => lookup(store, kinds::CLAIM, &format!("article:{a}"), usize::MAX)?,
        (None, None) => scan_all(store, kinds::CLAIM)?,
    };
    all.retain(|c| {
        filter.kind.is_none_or(|k| c.kind == k)
            && filter
                .article
                .as_ref()
                .is_none_or(|a| c.evidence.article.as_str() == a)
    });
    all.sort_by(|a, b| {
        a.as_of
            .cmp(&b.as_of)
            .then(a.evidence.article.cmp(&b.evidence.article))
            .then(a.evidence.span.start.cmp(&b.evidence.span.start))
    });
    Ok(ClaimList {
        schema: CLAIMS_SCHEMA,
        total: all.len(),
        claims: page.apply(all),
    })
}

/// Findings, contradictions first, then updates, then agreements.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingList {
    /// [`FINDINGS_SCHEMA`].
    pub schema: &'static str,
    /// Findings matching the filter (before paging).
    pub total: usize,
    /// Counts per kind, before filtering by kind.
    pub counts: FindingCounts,
    /// This page.
    pub findings: Vec<Finding>,
}

/// Findings per kind.
#[derive(Clone, Copy, Debug, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingCounts {
    /// Agreements.
    pub agree: usize,
    /// Updates.
    pub update: usize,
    /// Contradictions.
    pub contradict: usize,
    /// Revisions (a claimant lowering its own count for one event).
    pub revision: usize,
    /// Incompatible values from one publisher or claimant.
    pub inconsistent: usize,
    /// Findings in scope below the confidence threshold, not listed
    /// unless all are asked for.
    pub below_threshold: usize,
}

/// Which findings to list.
#[derive(Clone, Debug, Default)]
pub struct FindingFilter {
    /// Only this kind (the counts still cover every kind).
    pub kind: Option<FindingKind>,
    /// Only findings with a side in this article (a full id).
    pub article: Option<String>,
    /// Only findings with a side in one of this story's articles (`s3`).
    pub story: Option<String>,
    /// List findings below [`DEFAULT_MIN_CONFIDENCE`] too.
    pub all: bool,
    /// List every pair of reports of an update, not one per change (for
    /// scoring the linker's pairs against labels).
    pub every_update: bool,
}

/// Lists findings. `None` when the filter names a story the store does not
/// hold, so callers can say so rather than print an empty list.
pub fn findings(
    engine: &Engine,
    filter: &FindingFilter,
    page: Page,
) -> Result<Option<FindingList>, EngineError> {
    let store = engine.store();
    let mut articles: Vec<String> = Vec::new();
    if let Some(id) = &filter.story {
        let Some(summary) = story(engine, id)? else {
            return Ok(None);
        };
        articles.extend(summary.article_ids.iter().map(|a| a.to_string()));
    }
    if let Some(a) = &filter.article {
        // Both given: the article, if it belongs to the story.
        if filter.story.is_none() || articles.contains(a) {
            articles = vec![a.clone()];
        } else {
            articles.clear();
        }
    }
    let mut all: Vec<Finding> = if filter.story.is_none() && filter.article.is_none() {
        scan_all(store, kinds::FINDING)?
    } else {
        // Findings are posted under both sides' articles: one lookup per
        // article, each finding once.
        let mut found: BTreeMap<String, Finding> = BTreeMap::new();
        for a in &articles {
            for f in lookup::<Finding>(store, kinds::FINDING, &format!("article:{a}"), usize::MAX)?
            {
                found.insert(f.id.clone(), f);
            }
        }
        found.into_values().collect()
    };
    let kind = filter.kind;
    let mut counts = FindingCounts::default();
    let before = all.len();
    all = shown(all, filter.all, filter.every_update);
    counts.below_threshold = before - all.len();
    for f in &all {
        match f.kind {
            FindingKind::Agree => counts.agree += 1,
            FindingKind::Update => counts.update += 1,
            FindingKind::Contradict => counts.contradict += 1,
            FindingKind::Revision => counts.revision += 1,
            FindingKind::Inconsistent => counts.inconsistent += 1,
        }
    }
    all.retain(|f| kind.is_none_or(|k| f.kind == k));
    all.sort_by(|a, b| {
        finding_rank(a.kind)
            .cmp(&finding_rank(b.kind))
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.key.cmp(&b.key))
            .then(a.claims[0].as_of.cmp(&b.claims[0].as_of))
            .then(a.id.cmp(&b.id))
    });
    Ok(Some(FindingList {
        schema: FINDINGS_SCHEMA,
        total: all.len(),
        counts,
        findings: page.apply(all),
    }))
}

/// The order kinds are listed in: what an analyst must look at first.
pub fn finding_rank(k: FindingKind) -> u8 {
    match k {
        FindingKind::Contradict => 0,
        FindingKind::Revision => 1,
        FindingKind::Inconsistent => 2,
        FindingKind::Update => 3,
        FindingKind::Agree => 4,
    }
}

/// The findings a view shows: those at or above the default confidence
/// (all when `all`), and one per pair of sentences and kind — two figures
/// of one sentence held against two of another are one finding to a
/// reader, shown once, the surest kept; one revision, and unless
/// `every_update` one update, per change of a count.
pub fn shown(mut found: Vec<Finding>, all: bool, every_update: bool) -> Vec<Finding> {
    if !all {
        found.retain(|f| f.confidence >= DEFAULT_MIN_CONFIDENCE);
    }
    found.sort_by(|a, b| b.confidence.total_cmp(&a.confidence).then(a.id.cmp(&b.id)));
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| {
        let side = |s: &FindingSide| {
            (
                s.evidence.article.to_string(),
                s.evidence.sentence_span.start,
                s.evidence.sentence_span.end,
            )
        };
        let (a, b) = (side(&f.claims[0]), side(&f.claims[1]));
        let pair = if a <= b { (a, b) } else { (b, a) };
        seen.insert((f.kind, pair))
    });
    // One revision or update is one change of a count, however many
    // reports printed the old and the new value (a toll copied into every
    // article of a week): shown once, the surest kept, with how many pairs
    // it stands for.
    let mut changes: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    let mut kept: Vec<Finding> = Vec::with_capacity(found.len());
    for f in found {
        let folded = match f.kind {
            FindingKind::Revision => true,
            FindingKind::Update => !every_update,
            _ => false,
        };
        if !folded {
            kept.push(f);
            continue;
        }
        let side = |s: &FindingSide| {
            (
                s.claimant.clone().unwrap_or_default(),
                s.value.map(f64::to_bits),
            )
        };
        let change = (
            f.kind,
            f.key.clone(),
            side(&f.claims[0]),
            side(&f.claims[1]),
        );
        match changes.get(&change) {
            Some(&at) => kept[at].repeats += 1,
            None => {
                changes.insert(change, kept.len());
                kept.push(f);
            }
        }
    }
    kept
}

/// The actor × issue table.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StanceTable {
    /// [`STANCES_SCHEMA`].
    pub schema: &'static str,
    /// One row per actor and issue, most reported first.
    pub stances: Vec<StanceRow>,
}

/// One actor's position on one issue.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StanceRow {
    /// The actor.
    pub actor: String,
    /// Its entity id.
    pub actor_id: String,
    /// The issue.
    pub issue: String,
    /// The position most reported, or after a change the new one: `for`,
    /// `against` or `conditional: …`.
    pub position: String,
    /// Sources disagree about it (both sides reported, not one after the
    /// other as a change).
    pub contested: bool,
    /// The actor moved from one side to the other.
    pub change: Option<storyline_link::linker::PositionChange>,
    /// Every statement, with evidence.
    pub entries: Vec<storyline_link::linker::StanceEntry>,
}

/// The stance table.
pub fn stances(engine: &Engine) -> Result<StanceTable, EngineError> {
    let cells: Vec<StanceCell> = scan_all(engine.store(), kinds::STANCE)?;
    let mut rows: Vec<StanceRow> = cells
        .into_iter()
        .map(|c| {
            let change = c.change();
            let contested = c.contested() && change.is_none();
            let top = change
                .map(|ch| ch.to)
                .or_else(|| c.positions().first().map(|(p, _)| *p));
            let position = match top {
                Some(storyline_link::claims::Position::Conditional) => {
                    let cond = c
                        .entries
                        .iter()
                        .find_map(|e| e.condition.clone())
                        .unwrap_or_default();
                    format!("conditional: {cond}")
                }
                Some(p) => p.as_str().to_string(),
                None => String::new(),
            };
            StanceRow {
                actor: c.actor.name.clone(),
                actor_id: c.actor.id.clone(),
                issue: c.issue.replace('_', " "),
                position,
                contested,
                change,
                entries: c.entries,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.entries
            .len()
            .cmp(&a.entries.len())
            .then(a.actor.cmp(&b.actor))
            .then(a.issue.cmp(&b.issue))
    });
    Ok(StanceTable {
        schema: STANCES_SCHEMA,
        stances: rows,
    })
}

/// Evidence for and against a free-text claim.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckResult {
    /// [`CHECK_SCHEMA`].
    pub schema: &'static str,
    /// The text checked.
    pub text: String,
    /// The claims read from it.
    pub claims: Vec<Claim>,
    /// Stored claims that support it.
    pub supporting: Vec<FindingSide>,
    /// Stored claims that contradict it.
    pub contradicting: Vec<FindingSide>,
    /// Lower values of the same running count reported before the latest
    /// supporting claim: earlier points of its series, not contradictions.
    pub earlier: Vec<FindingSide>,
    /// Higher values of the same running count reported after the first
    /// supporting claim: later points of its series, not contradictions.
    pub later: Vec<FindingSide>,
    /// Lower values reported after the first supporting claim by a
    /// claimant that gave the checked value: that claimant revising its
    /// own count (`about 1,200`, after `1,400`), not a source at odds.
    pub revised: Vec<FindingSide>,
    /// Articles that match its words, for claims the engine cannot compare
    /// (statements without a figure, stance or event).
    pub related: Vec<SearchHit>,
    /// One line first: `no comparable claims`, or how many independent
    /// sources support and contradict it.
    pub verdict: String,
}

/// Most stored claims compared per claim read from the text.
const CHECK_CANDIDATES: usize = 500;

/// Checks a free-text claim against the stored claims.
pub fn check(engine: &Engine, text: &str) -> Result<CheckResult, EngineError> {
    let linker = Linker::new(engine.store(), engine.gazetteer());
    let claims = linker.query_claims(text)?;
    let mut supporting = Vec::new();
    let mut contradicting = Vec::new();
    let names = names_in(text);
    for q in &claims {
        let mut stored: Vec<Claim> =
            lookup(engine.store(), kinds::CLAIM, &q.key, CHECK_CANDIDATES)?;
        // A checked figure that names no place or period (`Hamas took 240
        // hostages`) is held against every figure of its measure.
        if let Some(measure) = q.measure_key().filter(|_| loosely_scoped(q)) {
            let seen: std::collections::HashSet<String> =
                stored.iter().map(|c| c.id.clone()).collect();
            let more: Vec<Claim> =
                lookup(engine.store(), kinds::CLAIM, &measure, CHECK_CANDIDATES)?;
            stored.extend(more.into_iter().filter(|c| !seen.contains(&c.id)));
        }
        for s in &stored {
            if !comparable(q, s) {
                continue;
            }
            // Nor, loosely scoped, against figures whose sentence names
            // none of the names the checked text gives (`the Veyra flood
            // killed 40` against every toll of a war).
            if loosely_scoped(q)
                && !names.is_empty()
                && !names.iter().any(|n| has_word(&s.evidence.sentence, n))
            {
                continue;
            }
            match supports(q, s) {
                Some(true) => supporting.push(FindingSide::of(s)),
                Some(false) => contradicting.push(FindingSide::of(s)),
                None => {}
            }
        }
    }
    let mut query = SearchQuery::new(text.chars().take(500).collect::<String>());
    query.limit = 10;
    // A claim full of operators or stop words may not parse as a query;
    // the structured comparison above still stands.
    let related = engine.store().search(&query).unwrap_or_default();
    let latest_support = supporting.iter().filter_map(|s| s.as_of).max();
    let low = claims
        .iter()
        .filter(|c| c.kind == storyline_link::claims::ClaimKind::Figure)
        .filter_map(|c| c.value)
        .fold(f64::INFINITY, f64::min);
    let high = claims
        .iter()
        .filter(|c| c.kind == storyline_link::claims::ClaimKind::Figure)
        .filter_map(|c| c.value_high.or(c.value))
        .fold(f64::NEG_INFINITY, f64::max);
    // A running count's later, higher readings are its series going on, not
    // a contradiction; one event's count (an incident) has no later rise.
    let running = claims.iter().any(|c| {
        c.kind == storyline_link::claims::ClaimKind::Figure
            && c.period != Some(storyline_analyze::figures::Period::Incident)
    });
    let (earlier, contradicting): (Vec<FindingSide>, Vec<FindingSide>) =
        contradicting.into_iter().partition(|s| {
            matches!((s.value, s.as_of, latest_support), (Some(v), Some(d), Some(l)) if v < low && d < l)
        });
    // Later than the first report that supports it: once a running count
    // stood at the checked value, any higher reading after is its rise.
    let first_support = supporting.iter().filter_map(|s| s.as_of).min();
    let (later, contradicting): (Vec<FindingSide>, Vec<FindingSide>) =
        contradicting.into_iter().partition(|s| {
            running
                && matches!((s.value, s.as_of, first_support), (Some(v), Some(d), Some(f)) if v > high && d > f)
        });
    // A claimant that gave the checked value and later a lower one took it
    // back (rule `revised_by_claimant`).
    let supporters: std::collections::HashSet<String> = supporting
        .iter()
        .filter_map(|s| s.claimant.clone())
        .collect();
    let (revised, contradicting): (Vec<FindingSide>, Vec<FindingSide>) =
        contradicting.into_iter().partition(|s| {
            s.claimant.as_ref().is_some_and(|c| supporters.contains(c))
                && matches!((s.value, s.as_of, first_support), (Some(v), Some(d), Some(f)) if v < low && d > f)
        });
    let verdict = if supporting.is_empty()
        && contradicting.is_empty()
        && earlier.is_empty()
        && later.is_empty()
        && revised.is_empty()
    {
        "no comparable claims: nothing in the store measures the same quantity or states the same fact"
            .to_string()
    } else {
        let earlier_note = if earlier.is_empty() {
            String::new()
        } else {
            format!(
                "; {} earlier, lower counts of the same series",
                earlier.len()
            )
        };
        let later_note = if later.is_empty() {
            String::new()
        } else {
            format!("; {} later, higher counts of the same series", later.len())
        };
        let revised_note = if revised.is_empty() {
            String::new()
        } else {
            format!("; revised down later by {}", sources_line(&revised))
        };
        format!(
            "supported by {}, contradicted by {}{revised_note}{earlier_note}{later_note}",
            sources_line(&supporting),
            sources_line(&contradicting),
        )
    };
    Ok(CheckResult {
        schema: CHECK_SCHEMA,
        text: text.to_string(),
        claims,
        supporting,
        contradicting,
        earlier,
        later,
        revised,
        related,
        verdict,
    })
}

/// Whether a stored claim is about what a checked claim is about: the same
/// key, and for a figure with no place on either side, the same claimant
/// too (`Israel says Hamas killed 1,400` is not checked against a flood's
/// toll somewhere the text never names).
fn comparable(query: &Claim, stored: &Claim) -> bool {
    if query.kind != storyline_link::claims::ClaimKind::Figure {
        return true;
    }
    if query.key == stored.key {
        let placed = |c: &Claim| {
            !c.place_inferred && c.place.as_deref().is_some_and(|p| !p.trim().is_empty())
        };
        if placed(query) && placed(stored) {
            return true;
        }
        return matches!((&query.claimant, &stored.claimant), (Some(a), Some(b)) if a.id == b.id);
    }
    // Found by measure only: the same measure and population, never two
    // places both sides name (`a flood in Veyra killed 40` is no reading
    // of a toll in Gaza), and where the checked text names a claimant,
    // that claimant.
    // A place the checker's text gives counts even when the analyser only
    // inferred it (`Veyra flood killed 40`: the text's only place).
    fn place_of(c: &Claim) -> Option<String> {
        let scoped = c.key_scope().filter(|p| !p.is_empty()).map(str::to_string);
        scoped
            .or_else(|| c.place.as_deref().map(|p| p.trim().to_lowercase()))
            .filter(|p| !p.is_empty())
    }
    if let (Some(a), Some(b)) = (place_of(query), place_of(stored)) {
        if !(a.starts_with(&b) || b.starts_with(&a)) {
            return false;
        }
    }
    query.measure_key() == stored.measure_key()
        && query
            .claimant
            .as_ref()
            .is_none_or(|a| stored.claimant.as_ref().is_some_and(|b| a.id == b.id))
}

/// A checked figure with no place, or no period of its own.
fn loosely_scoped(q: &Claim) -> bool {
    q.place.is_none()
        || q.place_inferred
        || q.period
            .is_none_or(|p| p == storyline_analyze::figures::Period::Unspecified)
}

/// How many reports, from how many publishers (the independent sources:
/// one publisher's articles are one source whoever they quote), and whose
/// words they carry: `11 reports from 1 independent publisher (claimants:
/// Israel)`.
fn sources_line(sides: &[FindingSide]) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if sides.is_empty() {
        return "0 reports".to_string();
    }
    let publishers: std::collections::BTreeSet<&str> = sides
        .iter()
        .map(|s| {
            s.evidence
                .publisher
                .as_deref()
                .or(s.evidence.outlet.as_deref())
                .unwrap_or("unknown outlet")
        })
        .collect();
    let mut claimants: Vec<&str> = Vec::new();
    for s in sides {
        if let Some(c) = s.claimant.as_deref() {
            if !claimants.contains(&c) {
                claimants.push(c);
            }
        }
    }
    let named = match claimants.len() {
        0 => String::new(),
        n if n <= CLAIMANTS_NAMED => format!(" (claimants: {})", claimants.join(", ")),
        n => format!(
            " (claimants: {} and {} more)",
            claimants[..CLAIMANTS_NAMED].join(", "),
            n - CLAIMANTS_NAMED
        ),
    };
    format!(
        "{} from {}{named}",
        plural(sides.len(), "report", "reports"),
        plural(
            publishers.len(),
            "independent publisher",
            "independent publishers"
        ),
    )
}

/// The capitalised words of a checked text that are not function words
/// (`The`, `More`): the names a stored sentence must share one of.
fn names_in(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for w in text
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
        .filter(|w| !w.is_empty())
    {
        let w = w.trim_end_matches("'s");
        if !w.starts_with(char::is_uppercase)
            || storyline_link::timeline::is_stopword(&w.to_lowercase())
        {
            continue;
        }
        if !names.iter().any(|n| n == w) {
            names.push(w.to_string());
        }
    }
    names
}

/// Whether `word` occurs in `text` as a whole word, as written.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Claimants a verdict names before `and N more`.
const CLAIMANTS_NAMED: usize = 3;

/// Schema tag of [`StoryList`].
pub const STORIES_SCHEMA: &str = "storyline.stories/1";
/// Schema tag of [`TimelineView`].
pub const TIMELINE_SCHEMA: &str = "storyline.timeline/1";

/// One story in a listing.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorySummary {
    /// `s<n>`.
    pub id: String,
    /// A representative headline: the title of the article that matched
    /// the story best when it joined; absent when no article has a title.
    pub title: Option<String>,
    /// Its most prominent entities and terms.
    pub label: String,
    /// The storyline it belongs to (`l3`); absent for a storyline itself
    /// and for stories linked before `link/8`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub storyline: Option<String>,
    /// Articles in it (near-duplicates included).
    pub articles: usize,
    /// Distinct reports (near-duplicate groups: copies count once).
    pub independent_reports: u32,
    /// Publishers behind its outlets (`bbc.co.uk` and `bbc.com` are one):
    /// how many independent newsrooms tell it.
    pub publishers: u32,
    /// Articles without a known date.
    pub undated: u32,
    /// First and last published day.
    pub first_day: Option<chrono::NaiveDate>,
    /// See `first_day`.
    pub last_day: Option<chrono::NaiveDate>,
    /// Articles per outlet, most first.
    pub outlets: Vec<(String, u32)>,
    /// The most mentioned actors: (entity id, name, mentions).
    pub key_actors: Vec<(String, String, u32)>,
    /// Its article ids, in the order they joined.
    pub article_ids: Vec<storyline_core::ArticleId>,
    /// Its extractive summary: its most central sentences (at most 3,
    /// [`STORY_SUMMARY_SENTENCES`]; a storyline's 4,
    /// [`STORYLINE_SUMMARY_SENTENCES`]), each with its article, outlet, day
    /// and sentence index, in reading order; empty where no sentence
    /// qualifies or its articles are not analysed. Read from at most 8 of
    /// its articles ([`SUMMARY_ARTICLES`]; a storyline's: up to 4 of each
    /// of its 8 largest stories, [`STORYLINE_SUMMARY_ARTICLES`]).
    pub summary: Vec<TimelineSentence>,
}

/// Sentences in a story's summary.
pub const STORY_SUMMARY_SENTENCES: usize = 3;
/// Sentences in a storyline's summary: it spans several developments.
pub const STORYLINE_SUMMARY_SENTENCES: usize = 4;
/// Articles a story's summary reads at most, spread over its articles
/// from its first to its latest: the cap that keeps a summary's cost the
/// same at any story and store size.
pub const SUMMARY_ARTICLES: usize = 8;
/// Articles a storyline's summary reads at most: a few of each of its
/// largest developments (`storyline_sample`).
pub const STORYLINE_SUMMARY_ARTICLES: usize = SUMMARY_DEVELOPMENTS * ARTICLES_PER_DEVELOPMENT;

/// A story's summary size: sentences, articles read.
const STORY_SUMMARY: (usize, usize) = (STORY_SUMMARY_SENTENCES, SUMMARY_ARTICLES);
/// A storyline's summary size.
const STORYLINE_SUMMARY: (usize, usize) = (STORYLINE_SUMMARY_SENTENCES, STORYLINE_SUMMARY_ARTICLES);

/// The summary of a story from its articles (`ids`, in joining order) and
/// its centroid (`centre`, its sketch's terms).
fn summary_of(
    engine: &Engine,
    ids: &[storyline_core::ArticleId],
    centre: &[(String, f32)],
    (sentences, articles): (usize, usize),
) -> Result<Vec<TimelineSentence>, EngineError> {
    let docs = read_analysed(engine, &spread(ids, articles))?;
    let inputs: Vec<SummaryInput<'_>> = inputs_of(&docs);
    let params = SummaryParams {
        sentences,
        ..SummaryParams::default()
    };
    Ok(summarise(&inputs, centre, &params)
        .into_iter()
        .filter_map(|s| evidence_sentence(&docs.get(s.article)?.0, s.sentence, s.span))
        .collect())
}

/// The stored articles of `ids` with their analyses, in order; an article
/// missing or not analysed by the current analyser is left out.
fn read_analysed(
    engine: &Engine,
    ids: &[storyline_core::ArticleId],
) -> Result<Vec<(storyline_core::Article, crate::analysis::Analysis)>, EngineError> {
    let mut docs = Vec::new();
    for aid in ids {
        if let (Some(article), Some(analysis)) =
            (engine.store().article(aid)?, engine.analysis(aid)?)
        {
            docs.push((article, analysis));
        }
    }
    Ok(docs)
}

/// Articles read with [`read_analysed`] as the timeline's and summary's
/// input, each handle its index in `docs`.
fn inputs_of(
    docs: &[(storyline_core::Article, crate::analysis::Analysis)],
) -> Vec<TimelineInput<'_>> {
    docs.iter()
        .enumerate()
        .map(|(i, (a, an))| TimelineInput {
            article: i,
            published: a.draft.published.as_ref().map(|t| t.date),
            text: &a.draft.text,
            analysis: an,
        })
        .collect()
}

/// A sentence of a stored article as shown with its source; `None` when
/// the span does not fit the text.
fn evidence_sentence(
    a: &storyline_core::Article,
    sentence: usize,
    span: storyline_core::Span,
) -> Option<TimelineSentence> {
    Some(TimelineSentence {
        text: a.draft.text.get(span.start..span.end)?.trim().to_string(),
        article: a.id.clone(),
        outlet: a.draft.source.clone(),
        published: a.draft.published.as_ref().map(|t| t.date),
        sentence,
        span,
        also: Vec::new(),
    })
}

/// A story record's centroid terms, for its summary.
fn centre_of(r: &StoryRecord) -> Vec<(String, f32)> {
    r.sketch
        .terms
        .iter()
        .map(|e| (e.key.clone(), e.weight))
        .collect()
}

impl StorySummary {
    /// What to call the story: its headline, else its keyword label.
    pub fn heading(&self) -> &str {
        self.title.as_deref().unwrap_or(&self.label)
    }
}

/// Stories, largest first.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoryList {
    /// [`STORIES_SCHEMA`].
    pub schema: &'static str,
    /// Stories in all.
    pub total: usize,
    /// This page.
    pub stories: Vec<StorySummary>,
}

fn story_summary(r: StoryRecord, gazetteer: &storyline_link::actors::Gazetteer) -> StorySummary {
    let mut outlets: Vec<(String, u32)> = r.outlets.into_iter().collect();
    outlets.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut actors: Vec<(String, String, u32)> = r
        .actors
        .iter()
        .map(|(id, n)| {
            let name = r.actor_names.get(id).cloned().unwrap_or_else(|| id.clone());
            (id.clone(), name, *n)
        })
        .collect();
    actors.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    actors.truncate(8);
    let publishers = outlets
        .iter()
        .map(|(o, _)| storyline_link::publishers::publisher_of(o, gazetteer))
        .collect::<std::collections::HashSet<_>>()
        .len() as u32;
    StorySummary {
        publishers,
        id: r.sketch.id.to_string(),
        title: r.headline,
        label: label(&r.sketch, 3).to_string(),
        storyline: r
            .storyline
            .map(|l| format!("{}{}", STORYLINE_LEVEL.letter, l.0)),
        articles: (r.sketch.articles as usize).max(r.articles.len()),
        independent_reports: r.groups.max(1),
        undated: r.undated,
        first_day: r.first_day,
        last_day: r.last_day,
        outlets,
        key_actors: actors,
        article_ids: r.articles,
        summary: Vec::new(),
    }
}

/// Largest first; ties: most recent first, then by id.
fn largest_first(a: &StorySummary, b: &StorySummary) -> std::cmp::Ordering {
    b.articles
        .cmp(&a.articles)
        .then(b.last_day.cmp(&a.last_day))
        .then(a.id.cmp(&b.id))
}

/// Lists stories, largest first (ties: most recent first).
pub fn stories(engine: &Engine, page: Page) -> Result<StoryList, EngineError> {
    let key = format!("stories|{}|{}", page.limit, page.offset);
    engine
        .memo()
        .get_or(&key, || stories_uncached(engine, page))
}

fn stories_uncached(engine: &Engine, page: Page) -> Result<StoryList, EngineError> {
    let records: Vec<StoryRecord> = scan_all(engine.store(), kinds::STORY)?;
    let gazetteer = engine.gazetteer();
    let mut all: Vec<(StorySummary, Vec<(String, f32)>)> = records
        .into_iter()
        .map(|r| {
            let centre = centre_of(&r);
            (story_summary(r, gazetteer), centre)
        })
        .collect();
    all.sort_by(|(a, _), (b, _)| largest_first(a, b));
    let total = all.len();
    // Summaries for this page only: each reads a few articles.
    let mut stories = Vec::new();
    for (mut s, centre) in page.apply(all) {
        s.summary = summary_of(engine, &s.article_ids, &centre, STORY_SUMMARY)?;
        stories.push(s);
    }
    Ok(StoryList {
        schema: STORIES_SCHEMA,
        total,
        stories,
    })
}

/// Schema tag of [`StorylineList`].
pub const STORYLINES_SCHEMA: &str = "storyline.storylines/1";

/// A development of a storyline: one of its stories.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DevelopmentRef {
    /// The story (`s12`).
    pub id: String,
    /// Its headline, else its keyword label.
    pub title: String,
    /// Its articles.
    pub articles: usize,
}

/// One storyline: what a story's summary says of it, and its developments.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorylineSummary {
    /// The storyline as a group of articles (`id` is `l<n>`;
    /// `independent_reports` counts its developments and copies' groups).
    #[serde(flatten)]
    pub summary: StorySummary,
    /// Its stories, largest first (at most 25, [`DEVELOPMENTS_SHOWN`]).
    pub developments: Vec<DevelopmentRef>,
    /// Its stories in all.
    pub development_count: usize,
}

/// Developments listed per storyline.
pub const DEVELOPMENTS_SHOWN: usize = 25;

/// Storylines, largest first.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StorylineList {
    /// [`STORYLINES_SCHEMA`].
    pub schema: &'static str,
    /// Storylines in all.
    pub total: usize,
    /// This page.
    pub storylines: Vec<StorylineSummary>,
}

/// Lists storylines, largest first, each with its developments.
pub fn storylines(engine: &Engine, page: Page) -> Result<StorylineList, EngineError> {
    let key = format!("storylines|{}|{}", page.limit, page.offset);
    engine
        .memo()
        .get_or(&key, || storylines_uncached(engine, page))
}

fn storylines_uncached(engine: &Engine, page: Page) -> Result<StorylineList, EngineError> {
    let records: Vec<StoryRecord> = scan_all(engine.store(), kinds::STORYLINE)?;
    let gazetteer = engine.gazetteer();
    // Each storyline, its stories' record ids and its centroid.
    type Line = (StorySummary, Vec<String>, Vec<(String, f32)>);
    let mut all: Vec<Line> = records
        .into_iter()
        .map(|r| {
            let stories = development_ids(&r);
            let centre = centre_of(&r);
            (storyline_summary(r, gazetteer), stories, centre)
        })
        .collect();
    all.sort_by(|(a, _, _), (b, _, _)| largest_first(a, b));
    let total = all.len();
    let mut out = Vec::new();
    for (mut summary, story_ids, centre) in page.apply(all) {
        let (developments, development_count, lists) = developments(engine, &story_ids)?;
        let ids = if lists.is_empty() {
            summary.article_ids.clone()
        } else {
            storyline_sample(lists)
        };
        summary.summary = summary_of(engine, &ids, &centre, STORYLINE_SUMMARY)?;
        out.push(StorylineSummary {
            summary,
            developments,
            development_count,
        });
    }
    Ok(StorylineList {
        schema: STORYLINES_SCHEMA,
        total,
        storylines: out,
    })
}

/// A storyline record as a summary, with its own id (`l3`).
fn storyline_summary(
    r: StoryRecord,
    gazetteer: &storyline_link::actors::Gazetteer,
) -> StorySummary {
    let mut summary = story_summary(r, gazetteer);
    summary.id = summary.id.replacen('s', "l", 1);
    summary
}

/// The record ids of a storyline's stories.
fn development_ids(r: &StoryRecord) -> Vec<String> {
    r.group_keys
        .iter()
        .filter_map(|g| g.strip_prefix("story:"))
        .filter_map(|n| n.parse::<u64>().ok())
        .map(|n| story_record_id(storyline_link::stories::StoryId(n)))
        .collect()
}

/// A storyline's stories, largest first (at most [`DEVELOPMENTS_SHOWN`]),
/// how many there are, and each one's articles in joining order.
type Developments = (
    Vec<DevelopmentRef>,
    usize,
    Vec<Vec<storyline_core::ArticleId>>,
);

/// The [`Developments`] of the stories with these record ids.
fn developments(engine: &Engine, story_ids: &[String]) -> Result<Developments, EngineError> {
    let gazetteer = engine.gazetteer();
    let found: Vec<StoryRecord> =
        storyline_link::linker::records(engine.store(), kinds::STORY, story_ids)?;
    let lists = found.iter().map(|r| r.articles.clone()).collect();
    let mut developments: Vec<DevelopmentRef> = found
        .into_iter()
        .map(|r| {
            let s = story_summary(r, gazetteer);
            DevelopmentRef {
                title: s.heading().to_string(),
                id: s.id,
                articles: s.articles,
            }
        })
        .collect();
    developments.sort_by(|a, b| b.articles.cmp(&a.articles).then(a.id.cmp(&b.id)));
    let count = developments.len();
    developments.truncate(DEVELOPMENTS_SHOWN);
    Ok((developments, count, lists))
}

/// The stories of storyline `id` (`l3`), largest first, and how many
/// there are; `None` when there is no such storyline.
pub fn storyline_developments(
    engine: &Engine,
    id: &str,
) -> Result<Option<(Vec<DevelopmentRef>, usize)>, EngineError> {
    let Some(lid) = parse_storyline_id(id) else {
        return Ok(None);
    };
    let found: Vec<StoryRecord> = storyline_link::linker::records(
        engine.store(),
        kinds::STORYLINE,
        &[STORYLINE_LEVEL.record_id(lid)],
    )?;
    match found.first() {
        Some(r) => developments(engine, &development_ids(r)).map(|(d, n, _)| Some((d, n))),
        None => Ok(None),
    }
}

/// Developments a storyline's summary reads from, largest first, and
/// articles read of each (spread from its first to its latest).
const SUMMARY_DEVELOPMENTS: usize = 8;
const ARTICLES_PER_DEVELOPMENT: usize = 4;

/// The articles a storyline's summary reads: a few of each of its largest
/// developments, so that it tells its main threads rather than whichever
/// side stories a spread over all its articles would meet (on the BBC
/// corpus, a spread over the war storyline's 175 articles picked a
/// statement by the BBC on its own wording and two single-article human
/// stories). At most [`STORYLINE_SUMMARY_ARTICLES`].
fn storyline_sample(
    mut lists: Vec<Vec<storyline_core::ArticleId>>,
) -> Vec<storyline_core::ArticleId> {
    // Stable: equal sizes keep the order the storyline lists them in.
    lists.sort_by_key(|l| std::cmp::Reverse(l.len()));
    let mut out: Vec<storyline_core::ArticleId> = Vec::new();
    for l in lists.iter().take(SUMMARY_DEVELOPMENTS) {
        for id in spread(l, ARTICLES_PER_DEVELOPMENT) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// One list of the articles of several stories, each in the order they
/// joined, such that the end holds the latest of every story in turn: a
/// reader that takes the last N (`.rev().take(N)`) gets each story's latest
/// articles rather than only the largest story's. An article in two lists
/// is kept once.
fn interleave_latest(lists: Vec<Vec<storyline_core::ArticleId>>) -> Vec<storyline_core::ArticleId> {
    let mut seen = std::collections::HashSet::new();
    let mut backwards = Vec::new();
    let mut tails: Vec<std::iter::Rev<std::vec::IntoIter<storyline_core::ArticleId>>> =
        lists.into_iter().map(|l| l.into_iter().rev()).collect();
    loop {
        let mut any = false;
        for t in &mut tails {
            if let Some(id) = t.next() {
                any = true;
                if seen.insert(id.clone()) {
                    backwards.push(id);
                }
            }
        }
        if !any {
            break;
        }
    }
    backwards.reverse();
    backwards
}

/// Where an article belongs: its story and that story's storyline.
#[derive(Clone, Debug, Serialize)]
pub struct ArticlePlace {
    /// Its story.
    pub story: DevelopmentRef,
    /// The story's storyline; absent for stories linked before `link/8`.
    pub storyline: Option<DevelopmentRef>,
}

/// The story and storyline of an article, by its near-duplicate group
/// (the key the story index files it under): one key lookup and two
/// record reads; `None` while it is not linked.
pub fn article_place(
    engine: &Engine,
    duplicate_group: &storyline_core::ArticleId,
) -> Result<Option<ArticlePlace>, EngineError> {
    let hits = engine.store().link_lookup(
        kinds::STORY,
        &[format!("group:{}", duplicate_group.as_str())],
        1,
    )?;
    let Some((_, record_id)) = hits.into_iter().next() else {
        return Ok(None);
    };
    let Some(sid) = parse_story_id(&record_id) else {
        return Ok(None);
    };
    let Some(story) = story(engine, &format!("s{}", sid.0))? else {
        return Ok(None);
    };
    let storyline = match &story.storyline {
        Some(l) => self::story(engine, l)?.map(|line| DevelopmentRef {
            title: line.heading().to_string(),
            id: line.id,
            articles: line.articles,
        }),
        None => None,
    };
    Ok(Some(ArticlePlace {
        story: DevelopmentRef {
            title: story.heading().to_string(),
            id: story.id,
            articles: story.articles,
        },
        storyline,
    }))
}

/// A storyline id as users type it: `l3` or `L3` (a bare number is a
/// story's).
fn parse_storyline_id(id: &str) -> Option<storyline_link::stories::StoryId> {
    let id = id.trim();
    if id.starts_with(['l', 'L']) {
        STORYLINE_LEVEL.parse_id(id)
    } else {
        None
    }
}

/// One story, by the id users type (`s3`, `3`), or one storyline (`l3`):
/// a storyline reads as a story made of all its developments' articles.
pub fn story(engine: &Engine, id: &str) -> Result<Option<StorySummary>, EngineError> {
    engine
        .memo()
        .get_or(&format!("story|{id}"), || story_uncached(engine, id))
}

fn story_uncached(engine: &Engine, id: &str) -> Result<Option<StorySummary>, EngineError> {
    if let Some(lid) = parse_storyline_id(id) {
        let found: Vec<StoryRecord> = storyline_link::linker::records(
            engine.store(),
            kinds::STORYLINE,
            &[STORYLINE_LEVEL.record_id(lid)],
        )?;
        let Some(r) = found.into_iter().next() else {
            return Ok(None);
        };
        // A storyline record keeps only its latest articles; its stories
        // keep theirs, so its articles are theirs.
        let stories: Vec<StoryRecord> =
            storyline_link::linker::records(engine.store(), kinds::STORY, &development_ids(&r))?;
        let centre = centre_of(&r);
        let mut summary = storyline_summary(r, engine.gazetteer());
        let lists: Vec<Vec<storyline_core::ArticleId>> =
            stories.into_iter().map(|s| s.articles).collect();
        let sample = if lists.is_empty() {
            summary.article_ids.clone()
        } else {
            storyline_sample(lists.clone())
        };
        if !lists.is_empty() {
            summary.article_ids = interleave_latest(lists);
        }
        summary.summary = summary_of(engine, &sample, &centre, STORYLINE_SUMMARY)?;
        return Ok(Some(summary));
    }
    let Some(sid) = parse_story_id(id) else {
        return Ok(None);
    };
    let found: Vec<StoryRecord> =
        storyline_link::linker::records(engine.store(), kinds::STORY, &[story_record_id(sid)])?;
    let Some(r) = found.into_iter().next() else {
        return Ok(None);
    };
    let centre = centre_of(&r);
    let mut summary = story_summary(r, engine.gazetteer());
    summary.summary = summary_of(engine, &summary.article_ids, &centre, STORY_SUMMARY)?;
    Ok(Some(summary))
}

/// A story's timeline.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Timeline))]
pub struct TimelineView {
    /// [`TIMELINE_SCHEMA`].
    pub schema: &'static str,
    /// The story.
    pub story: StorySummary,
    /// Dated entries, in date order.
    pub entries: Vec<TimelineEntryView>,
}

/// One date of a timeline.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = TimelineEntry))]
pub struct TimelineEntryView {
    /// The day.
    pub date: chrono::NaiveDate,
    /// Importance (comparable within one timeline).
    pub score: f64,
    /// Its sentences, most representative first.
    pub sentences: Vec<TimelineSentence>,
    /// Articles of the story that refer to this day (published on it or
    /// mentioning it), beyond the ones quoted (with their `also`).
    pub supporting_articles: Vec<storyline_core::ArticleId>,
}

/// A sentence of an article with its source (a timeline entry's, a
/// summary's).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineSentence {
    /// The sentence.
    pub text: String,
    /// Its article.
    pub article: storyline_core::ArticleId,
    /// The article's outlet.
    pub outlet: Option<String>,
    /// The article's published day.
    pub published: Option<chrono::NaiveDate>,
    /// Its index among the article's sentences (0 is the first).
    pub sentence: usize,
    /// Byte span of the sentence in the article's text.
    pub span: storyline_core::Span,
    /// In a timeline, the same event as other articles of the story report
    /// it that day: one sentence of each, most alike first (at most 20).
    /// Absent when no other article reports it, and in summaries.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    pub also: Vec<TimelineSentence>,
}

/// One bullet per event: an entry sentence that another sentence of the
/// entry lists as a report of its event (`also`) is folded into that one,
/// its own other reports with it (one per article), so the same event
/// from several outlets reads as one line with all its sources. Done here,
/// not by the timeline builder, whose output is what Timeline17 scores:
/// letting the freed place go to the day's next sentence lowered AR1-F.
fn fold_same_events(sentences: Vec<TimelineSentence>) -> Vec<TimelineSentence> {
    let mut kept: Vec<TimelineSentence> = Vec::new();
    for s in sentences {
        let host = kept.iter_mut().find(|k| {
            k.also
                .iter()
                .any(|o| o.article == s.article && o.sentence == s.sentence)
        });
        match host {
            Some(k) => {
                for o in s.also {
                    if o.article != k.article && !k.also.iter().any(|x| x.article == o.article) {
                        k.also.push(o);
                    }
                }
            }
            None => kept.push(s),
        }
    }
    kept
}

/// Most articles read to build one timeline (the latest joined are kept).
const TIMELINE_ARTICLES: usize = 2_000;

/// Builds the timeline of a story from its articles' stored analyses.
pub fn timeline(
    engine: &Engine,
    id: &str,
    max_dates: usize,
    sentences_per_date: usize,
) -> Result<Option<TimelineView>, EngineError> {
    let key = format!("timeline|{id}|{max_dates}|{sentences_per_date}");
    engine.memo().get_or(&key, || {
        timeline_uncached(engine, id, max_dates, sentences_per_date)
    })
}

fn timeline_uncached(
    engine: &Engine,
    id: &str,
    max_dates: usize,
    sentences_per_date: usize,
) -> Result<Option<TimelineView>, EngineError> {
    let Some(summary) = story(engine, id)? else {
        return Ok(None);
    };
    let ids: Vec<storyline_core::ArticleId> = summary
        .article_ids
        .iter()
        .rev()
        .take(TIMELINE_ARTICLES)
        .cloned()
        .collect();
    let docs = read_analysed(engine, &ids)?;
    let inputs = inputs_of(&docs);
    let params = TimelineParams {
        max_dates: max_dates.max(1),
        sentences_per_date: sentences_per_date.max(1),
        ..TimelineParams::default()
    };
    let mut built = build_timeline(&inputs, &params);
    built.sort_by_key(|e| e.date);
    let entries = built
        .into_iter()
        .map(|e| {
            let sentences: Vec<TimelineSentence> = e
                .sentences
                .iter()
                .filter_map(|s| {
                    let mut shown = evidence_sentence(&docs.get(s.article)?.0, s.sentence, s.span)?;
                    shown.also = s
                        .also
                        .iter()
                        .filter_map(|o| {
                            evidence_sentence(&docs.get(o.article)?.0, o.sentence, o.span)
                        })
                        .collect();
                    Some(shown)
                })
                .collect();
            let sentences = fold_same_events(sentences);
            let quoted: Vec<&storyline_core::ArticleId> = sentences
                .iter()
                .flat_map(|s| std::iter::once(&s.article).chain(s.also.iter().map(|o| &o.article)))
                .collect();
            let supporting_articles = docs
                .iter()
                .filter(|(a, an)| {
                    !quoted.contains(&&a.id)
                        && (a.draft.published.as_ref().map(|t| t.date) == Some(e.date)
                            || storyline_link::timeline::sentence_days(an)
                                .iter()
                                .any(|days| days.contains(&e.date)))
                })
                .map(|(a, _)| a.id.clone())
                .collect();
            TimelineEntryView {
                date: e.date,
                score: e.score,
                sentences,
                supporting_articles,
            }
        })
        .collect();
    Ok(Some(TimelineView {
        schema: TIMELINE_SCHEMA,
        story: summary,
        entries,
    }))
}

/// Schema tag of [`QuoteList`].
pub const QUOTES_SCHEMA: &str = "storyline.quotes/1";

/// Most articles read for a quote listing without an article or story
/// filter (the latest).
const QUOTE_ARTICLES: usize = 1_000;

/// A quote or attributed statement with its article (the columns of
/// `storyline export --what quotes`).
#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Quote))]
pub struct QuoteView {
    /// The article id.
    pub article: String,
    /// Its published day, or empty.
    pub published: String,
    /// Its outlet, or empty.
    pub source: String,
    /// The speaker's fullest name in the article, or empty when unresolved.
    pub speaker: String,
    /// The speaker as written (`he`, `the ministry`).
    pub speaker_as_written: String,
    /// `direct_quote`, `partial_quote`, `indirect` or `assertion`.
    #[cfg_attr(feature = "openapi", schema(value_type = storyline_analyze::attribution::AttributionKind))]
    pub kind: String,
    /// The cue (`said`, `according to`).
    pub cue: String,
    /// What is attributed, quotation marks kept.
    pub text: String,
    /// Byte offsets of `text` in the article's clean text.
    pub start: usize,
    /// See `start`.
    pub end: usize,
}

impl QuoteView {
    /// The view of attribution `q` of article `a` analysed as `an`.
    pub fn of(
        a: &storyline_core::Article,
        an: &crate::analysis::Analysis,
        q: &storyline_analyze::attribution::Attribution,
    ) -> QuoteView {
        let text = &a.draft.text;
        let slice = |s: storyline_core::Span| text.get(s.start..s.end).unwrap_or("").to_string();
        QuoteView {
            article: a.id.to_string(),
            published: a
                .draft
                .published
                .map(|t| t.date.to_string())
                .unwrap_or_default(),
            source: a.draft.source.clone().unwrap_or_default(),
            speaker: q
                .referent
                .and_then(|i| an.referents.get(i))
                .map(|r| r.name.clone())
                .unwrap_or_default(),
            speaker_as_written: q.source_text.clone().unwrap_or_default(),
            kind: enum_str(Some(q.kind)),
            cue: slice(q.cue),
            text: slice(q.content),
            start: q.content.start,
            end: q.content.end,
        }
    }
}

/// A unit enum's JSON name (`direct_quote`, `at_least`), or empty.
pub(crate) fn enum_str<T: Serialize>(v: Option<T>) -> String {
    v.and_then(|v| serde_json::to_value(v).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Quotes, by article then position.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteList {
    /// [`QUOTES_SCHEMA`].
    pub schema: &'static str,
    /// Quotes matching the filter (before paging).
    pub total: usize,
    /// This page.
    pub quotes: Vec<QuoteView>,
}

/// Which quotes to list.
#[derive(Clone, Debug, Default)]
pub struct QuoteFilter {
    /// Only this article.
    pub article: Option<storyline_core::ArticleId>,
    /// Only this story's articles (`s3`).
    pub story: Option<String>,
    /// Only speakers whose name, as resolved or as written, contains this
    /// (case-insensitive).
    pub speaker: Option<String>,
}

/// Lists quotes: of one article, of one story's articles, or of the latest
/// 1,000 articles; `None` when the story does not exist.
pub fn quotes(
    engine: &Engine,
    filter: &QuoteFilter,
    page: Page,
) -> Result<Option<QuoteList>, EngineError> {
    let ids: Vec<storyline_core::ArticleId> = match (&filter.article, &filter.story) {
        (Some(a), _) => vec![a.clone()],
        (None, Some(s)) => match story(engine, s)? {
            Some(st) => st.article_ids,
            None => return Ok(None),
        },
        (None, None) => {
            let total = engine.store().stats()?.articles as usize;
            engine
                .store()
                .articles(&storyline_store::ArticleFilter {
                    offset: total.saturating_sub(QUOTE_ARTICLES),
                    ..Default::default()
                })?
                .into_iter()
                .map(|a| a.id)
                .collect()
        }
    };
    let speaker = filter.speaker.as_ref().map(|s| s.to_lowercase());
    let mut all = Vec::new();
    for id in &ids {
        let (Some(a), Some(an)) = (engine.store().article(id)?, engine.analysis(id)?) else {
            continue;
        };
        for q in &an.attributions {
            let v = QuoteView::of(&a, &an, q);
            if speaker.as_ref().is_none_or(|s| {
                v.speaker.to_lowercase().contains(s)
                    || v.speaker_as_written.to_lowercase().contains(s)
            }) {
                all.push(v);
            }
        }
    }
    Ok(Some(QuoteList {
        schema: QUOTES_SCHEMA,
        total: all.len(),
        quotes: page.apply(all),
    }))
}

#[cfg(test)]
mod tests {
    use super::{shown, Finding};

    fn killed(key: &str, place: Option<&str>) -> storyline_link::claims::Claim {
        serde_json::from_value(serde_json::json!({
            "id": "a-0", "kind": "figure", "key": key, "summary": "", "claimant": null,
            "subject": null, "on_behalf_of": null, "object": null, "predicate": "killed",
            "place": place, "place_inferred": false, "value": 40.0, "value_high": null,
            "approximation": null, "category": "killed", "position": null, "condition": null,
            "negated": false, "modality": null, "as_of": "2024-03-01", "earlier": false,
            "evidence": {
                "article": "00000000000000a1", "outlet": null, "published": "2024-03-01",
                "published_provenance": "metadata", "duplicate_group": "00000000000000a1",
                "sentence": "s", "sentence_span": {"start": 0, "end": 1},
                "span": {"start": 0, "end": 1}
            }
        }))
        .expect("a figure claim")
    }

    #[test]
    fn a_checked_toll_in_one_place_is_no_reading_of_a_toll_in_another() {
        let query = killed("figure|killed|people|veyra|incident", Some("Veyra"));
        let gaza = killed("figure|killed|people|gaza|total", Some("Gaza"));
        assert!(!super::comparable(&query, &gaza));
        // The checked text's only place counts even when it was inferred.
        let mut inferred = killed("figure|killed|people||total", Some("Veyra"));
        inferred.place_inferred = true;
        assert!(!super::comparable(&inferred, &gaza));
        let gaza_strip = killed("figure|killed|people||total", Some("Gaza Strip"));
        assert!(super::comparable(&gaza, &gaza_strip));
        // Found by measure, a figure with no place of its own still compares.
        let unplaced = killed("figure|killed|people||total", None);
        assert!(super::comparable(&query, &unplaced));
        assert_eq!(gaza.key_scope(), Some("gaza"));
        let owned = killed("figure|money|usd|people|united states|total|by:bp", None);
        assert_eq!(owned.key_scope(), Some("united states"));
    }

    #[test]
    fn a_storylines_latest_articles_come_from_every_story() {
        let id = |s: &str| storyline_core::ArticleId::for_text(s);
        let big: Vec<_> = ["a1", "a2", "a3", "a4"].map(id).to_vec();
        let small: Vec<_> = ["b1", "b2"].map(id).to_vec();
        let all = super::interleave_latest(vec![big, small, vec![id("a4")]]);
        assert_eq!(all.len(), 6, "a4 twice is kept once");
        let latest: Vec<_> = all.iter().rev().take(2).cloned().collect();
        assert_eq!(latest, vec![id("a4"), id("b2")]);
    }

    fn sentence(
        article: &str,
        n: usize,
        also: Vec<super::TimelineSentence>,
    ) -> super::TimelineSentence {
        super::TimelineSentence {
            text: format!("{article} {n}"),
            article: storyline_core::ArticleId::for_text(article),
            outlet: Some(format!("outlet of {article}")),
            published: None,
            sentence: n,
            span: storyline_core::Span::new(0, 1),
            also,
        }
    }

    #[test]
    fn one_event_in_one_entry_is_one_line_with_every_source() {
        // a:0 and b:3 report one event (each lists the other); c:1 another.
        let entry = vec![
            sentence(
                "a",
                0,
                vec![sentence("b", 3, vec![]), sentence("d", 2, vec![])],
            ),
            sentence("c", 1, vec![]),
            sentence(
                "b",
                3,
                vec![sentence("a", 0, vec![]), sentence("e", 5, vec![])],
            ),
        ];
        let folded = super::fold_same_events(entry);
        assert_eq!(folded.len(), 2);
        assert_eq!(folded[0].text, "a 0");
        let sources: Vec<&str> = folded[0].also.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(sources, ["b 3", "d 2", "e 5"]);
        assert_eq!(folded[1].text, "c 1");
    }

    /// A finding from JSON: two sides with the given claimant, value and
    /// article (the sentence is the article's first).
    fn finding(id: &str, kind: &str, sides: [(&str, f64, &str); 2]) -> Finding {
        let side = |(who, v, art): (&str, f64, &str)| {
            serde_json::json!({
                "claim": format!("{art}-1"), "summary": "", "claimant": who, "value": v,
                "position": null, "as_of": "2023-10-10",
                "evidence": {"article": art, "duplicate_group": art, "sentence": "", "published_provenance": "metadata",
                    "sentence_span": {"start": 0, "end": 10}, "span": {"start": 0, "end": 2}}
            })
        };
        serde_json::from_value(serde_json::json!({
            "id": id, "kind": kind, "key": "figure|killed|people|gaza|total", "reason": "",
            "claims": [side(sides[0]), side(sides[1])], "confidence": 0.9, "reasons": []
        }))
        .expect("a finding")
    }

    #[test]
    fn one_change_reported_many_times_is_shown_once_with_its_repeats() {
        let found = vec![
            finding(
                "f1",
                "update",
                [("ministry", 900.0, "a1"), ("ministry", 1100.0, "b1")],
            ),
            finding(
                "f2",
                "update",
                [("ministry", 900.0, "a2"), ("ministry", 1100.0, "b2")],
            ),
            finding(
                "f3",
                "update",
                [("ministry", 900.0, "a3"), ("ministry", 1100.0, "b1")],
            ),
            // Another value, another claimant: other changes.
            finding(
                "f4",
                "update",
                [("ministry", 900.0, "a1"), ("ministry", 1200.0, "b3")],
            ),
            finding(
                "f5",
                "update",
                [("army", 900.0, "a4"), ("army", 1100.0, "b4")],
            ),
            // Not a change of a count: never folded.
            finding(
                "f6",
                "agree",
                [("ministry", 900.0, "a5"), ("ministry", 900.0, "b5")],
            ),
            finding(
                "f7",
                "agree",
                [("ministry", 900.0, "a6"), ("ministry", 900.0, "b6")],
            ),
        ];
        let every = shown(found.clone(), false, true);
        assert_eq!(every.len(), 7, "every update pair when asked");
        let shown = shown(found, false, false);
        let ids: Vec<(&str, usize)> = shown.iter().map(|f| (f.id.as_str(), f.repeats)).collect();
        assert_eq!(
            ids,
            [("f1", 2), ("f4", 0), ("f5", 0), ("f6", 0), ("f7", 0)],
            "{ids:?}"
        );
    }
}
