//! Findings: what two claims about the same thing say about each other.
//!
//! Two figures are only compared when they measure the same quantity: the
//! same measure, counted population, place and period (their claim key,
//! [`crate::claims`]). Then, with the day each is reported as true:
//!
//! - **update**: a later report of the same quantity from the same claimant
//!   (or with one side unattributed: the outlet passing on the same count)
//!   gives a new value — a toll rising.
//! - **revision**: the same claimant later gives a lower count for the same
//!   fixed event (1,400 killed in one attack, later about 1,200).
//! - **contradict**: incompatible values for the same quantity at the same
//!   reference time (the same day, or the same fixed event) from different
//!   claimants or independent publishers.
//! - **agree**: compatible values of one size for the same quantity at the
//!   same time from independent sources: two different named claimants, or
//!   two publishers. Copies (one near-duplicate group, or one sentence
//!   printed twice) and repeats by one publisher are never independent, and
//!   at least one side must report the count as news (the linker's rule
//!   `old_news`).
//! - **inconsistent**: one publisher (or one claimant) gives incompatible
//!   values for the same fixed quantity on the same day in two articles.
//!
//! Never a pair from one sentence. Every finding carries a confidence with
//! the reasons for it; views show those at or above
//! [`DEFAULT_MIN_CONFIDENCE`] unless asked for all. Findings between events
//! and stances are kept but scored below that threshold: they have not been
//! measured on labelled data (see `docs/BENCHMARKS.md`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storyline_analyze::figures::Approximation;

use crate::claims::{Claim, ClaimKind, Evidence, Position};

/// What two claims say about each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// Independent sources say the same.
    Agree,
    /// A later report changes an earlier figure.
    Update,
    /// They cannot both be true.
    Contradict,
    /// The same claimant later lowers its count for one fixed event.
    Revision,
    /// One publisher or claimant gives incompatible values for the same
    /// quantity on the same day.
    Inconsistent,
}

/// The confidence at or above which views show a finding by default,
/// chosen on the development folds of the labelled BBC pairs
/// (`labels/gaza2023`, `storyline eval findings`).
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

impl FindingKind {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Agree => "agree",
            FindingKind::Update => "update",
            FindingKind::Contradict => "contradict",
            FindingKind::Revision => "revision",
            FindingKind::Inconsistent => "inconsistent",
        }
    }

    /// Parses the lowercase name.
    pub fn parse(s: &str) -> Option<FindingKind> {
        match s {
            "agree" => Some(FindingKind::Agree),
            "update" => Some(FindingKind::Update),
            "contradict" => Some(FindingKind::Contradict),
            "revision" => Some(FindingKind::Revision),
            "inconsistent" => Some(FindingKind::Inconsistent),
            _ => None,
        }
    }
}

/// One side of a finding: enough of a claim to read the finding alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingSide {
    /// The claim id.
    pub claim: String,
    /// Its one-line reading.
    pub summary: String,
    /// Who says so (`None`: the outlet itself).
    pub claimant: Option<String>,
    /// A figure's value.
    pub value: Option<f64>,
    /// A stance's position.
    pub position: Option<Position>,
    /// The day it is about.
    pub as_of: Option<NaiveDate>,
    /// Its sentence, article, outlet and date.
    pub evidence: Evidence,
}

impl FindingSide {
    /// The side for a claim.
    pub fn of(c: &Claim) -> FindingSide {
        FindingSide {
            claim: c.id.clone(),
            summary: c.summary.clone(),
            claimant: c.claimant.as_ref().map(|a| a.name.clone()),
            value: c.value,
            position: c.position,
            as_of: c.as_of,
            evidence: c.evidence.clone(),
        }
    }
}

/// A finding between two claims.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Finding {
    /// Stable id from the two claims and the kind.
    pub id: String,
    /// What they say about each other.
    pub kind: FindingKind,
    /// The key both claims share.
    pub key: String,
    /// Why, in a sentence.
    pub reason: String,
    /// The two claims, earlier first (by as-of day, then ingest order).
    #[cfg_attr(feature = "openapi", schema(min_items = 2, max_items = 2))]
    pub claims: [FindingSide; 2],
    /// How sure the linker is, from 0 to 1 (0.5, [`DEFAULT_MIN_CONFIDENCE`],
    /// and up are listed by default).
    #[serde(default = "legacy_confidence")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1))]
    #[cfg_attr(feature = "openapi", schema(required))]
    pub confidence: f32,
    /// What raised or lowered the confidence, one phrase each.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required))]
    pub reasons: Vec<String>,
    /// Filled by views, never stored: how many other pairs of reports show
    /// the same change (the same key, and on each side the same claimant
    /// and value), folded into this one so a count copied into many
    /// articles reads as one change.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    pub repeats: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Finding {
    /// What a view says of [`Finding::repeats`] (`the same change in 2
    /// other pairs of reports`); `None` when nothing was folded in.
    pub fn repeats_note(&self) -> Option<String> {
        match self.repeats {
            0 => None,
            1 => Some("the same change in 1 other pair of reports".to_string()),
            n => Some(format!("the same change in {n} other pairs of reports")),
        }
    }
}

/// Findings stored before confidences existed are shown as before.
fn legacy_confidence() -> f32 {
    DEFAULT_MIN_CONFIDENCE
}

/// Whether two claims come from independent sources, and if not, why.
pub fn independence(a: &Claim, b: &Claim) -> Result<(), &'static str> {
    if a.evidence.article == b.evidence.article {
        return Err("the same article");
    }
    if a.evidence.duplicate_group == b.evidence.duplicate_group {
        return Err("copies of one article");
    }
    if let (Some(x), Some(y)) = (&a.evidence.publisher, &b.evidence.publisher) {
        if x == y {
            return Err("the same publisher");
        }
    }
    match (&a.evidence.outlet, &b.evidence.outlet) {
        (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => Err("the same outlet"),
        _ => Ok(()),
    }
}

/// A small count of things no measure names, with no place and nobody
/// giving it (`the three companies`, `two relief wells`): nothing says
/// which quantity it is, so two of them neither agree nor disagree (rule
/// `unidentified_count`). A large count (`4 million barrels`) is specific
/// enough by itself.
fn unidentified(c: &Claim) -> bool {
    c.category == Some(storyline_analyze::figures::Category::Other)
        && c.value.is_some_and(|v| v < UNIDENTIFIED_BELOW)
        && c.claimant.is_none()
        && (c.place_inferred || c.place.as_deref().is_none_or(|p| p.trim().is_empty()))
}

/// A count of people that no measure names (`15 people caught the flu`,
/// read with no measure; `the 300 people at the rally`): people counted for
/// what, the sentence does not say in words the analyser knows, so the
/// count neither agrees with nor contradicts another (rule
/// `unmeasured_people`). Updates stay: one source's series of it is still
/// one series.
fn unmeasured_people(c: &Claim) -> bool {
    c.category == Some(storyline_analyze::figures::Category::Other)
        && c.population.as_deref() == Some("people")
}

/// A projection or a possibility, not a count of what happened.
fn hypothetical(c: &Claim) -> bool {
    c.modality == Some(storyline_analyze::events::Modality::Hypothetical)
}

/// Below this an unmeasured count with no place and no claimant is a
/// detail of the story (`the three companies`), as the labelling rules
/// treat small counts of particular people.
const UNIDENTIFIED_BELOW: f64 = 100.0;

/// Word overlap (Jaccard over distinct lower-case words) from which two
/// sentences with the same numbers are one sentence copied: a wire story's
/// wording survives an outlet's edits (`filed Tuesday` for `filed
/// yesterday`), while two days' reports of a running count differ in their
/// numbers and are never taken for copies.
const COPIED_SENTENCE_OVERLAP: f64 = 0.8;

/// A looser overlap that still marks a copy when nearly all of the shorter
/// sentence's words are in the longer one: an outlet that trims a wire
/// sentence (`a spokesman for rig owner Transocean Ltd.` → `a spokesman
/// for Transocean`) keeps the rest of it word for word.
const COPIED_SENTENCE_TRIMMED: f64 = 0.7;

/// The share of the shorter sentence's words found in the longer one from
/// which a trimmed sentence counts as a copy (with
/// [`COPIED_SENTENCE_TRIMMED`]).
const COPIED_SENTENCE_CONTAINED: f64 = 0.9;

/// Whether two sentences are one sentence copied: the same numbers, in
/// order, and nearly the same words.
pub fn copied_sentence(a: &str, b: &str) -> bool {
    // Sentences that share 80% of their words are of like length: most
    // pairs the linker compares are told apart here, before any word is
    // split out.
    let (short, long) = (a.len().min(b.len()), a.len().max(b.len()));
    if short * 5 < long * 3 {
        return false;
    }
    fn tokens(s: &str) -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase)
            .collect()
    }
    let (ta, tb) = (tokens(a), tokens(b));
    // A year an editor adds or drops (`leaked in 1989 by`) is no new count.
    let year = |w: &str| w.len() == 4 && (w.starts_with("19") || w.starts_with("20"));
    let numbers = |t: &[String]| -> Vec<String> {
        t.iter()
            .filter(|w| w.chars().all(|c| c.is_ascii_digit()) && !year(w))
            .cloned()
            .collect()
    };
    if numbers(&ta) != numbers(&tb) {
        return false;
    }
    let sa: std::collections::HashSet<&str> = ta.iter().map(String::as_str).collect();
    let sb: std::collections::HashSet<&str> = tb.iter().map(String::as_str).collect();
    let union = sa.union(&sb).count();
    let shared = sa.intersection(&sb).count() as f64;
    let smaller = sa.len().min(sb.len());
    if union == 0 || smaller == 0 {
        return false;
    }
    let overlap = shared / union as f64;
    overlap >= COPIED_SENTENCE_OVERLAP
        || overlap >= COPIED_SENTENCE_TRIMMED
            && shared / smaller as f64 >= COPIED_SENTENCE_CONTAINED
}

/// Whether `new` is `old` carried again by a copy of its article (another
/// article of the same near-duplicate group saying the same thing): it adds
/// a place where the claim was printed, not a source, so the linker keeps
/// it as evidence but neither compares it again nor offers it for
/// comparison.
pub fn repeats(new: &Claim, old: &Claim) -> bool {
    let id = |a: &Option<crate::claims::ActorRef>| a.as_ref().map(|a| a.id.clone());
    new.evidence.duplicate_group == old.evidence.duplicate_group
        && new.evidence.article != old.evidence.article
        && new.key == old.key
        && new.kind == old.kind
        && new.predicate == old.predicate
        && new.value == old.value
        && new.value_high == old.value_high
        && new.approximation == old.approximation
        && new.position == old.position
        && new.condition == old.condition
        && new.negated == old.negated
        && new.earlier == old.earlier
        && new.as_of == old.as_of
        && id(&new.claimant) == id(&old.claimant)
        && id(&new.subject) == id(&old.subject)
        && id(&new.object) == id(&old.object)
        && id(&new.on_behalf_of) == id(&old.on_behalf_of)
}

/// The values a figure allows, as a closed interval.
fn interval(c: &Claim) -> Option<(f64, f64)> {
    let v = c.value?;
    // A round count (`1,400`) may be a rounding of what another source
    // gives; a count to the unit (`5,791`) is given as exact and allows
    // nothing past it (rule `precise_count`): `more than 5,800` is
    // another reading of the toll, not a confirmation of it.
    let to_the_unit = v.fract() == 0.0 && v % 10.0 != 0.0;
    let tol = if to_the_unit {
        0.5
    } else {
        (v.abs() * 0.005).max(0.5)
    };
    Some(match c.approximation.unwrap_or(Approximation::Exact) {
        Approximation::Exact => (v - tol, v + tol),
        Approximation::AtLeast => (v - tol, f64::INFINITY),
        Approximation::MoreThan => (v, f64::INFINITY),
        Approximation::Nearly => (v * 0.85, v + tol),
        Approximation::UpTo => (0.0, v + tol),
        Approximation::FewerThan => (0.0, v),
        Approximation::About => (v * 0.9, v * 1.1),
        Approximation::Range => (v - tol, c.value_high.unwrap_or(v) + tol),
    })
}

fn compatible(a: &Claim, b: &Claim) -> bool {
    match (interval(a), interval(b)) {
        (Some((a0, a1)), Some((b0, b1))) => a0 <= b1 && b0 <= a1,
        _ => false,
    }
}

fn fmt_value(c: &Claim) -> String {
    let v = c.value.unwrap_or(0.0);
    let n = if v.fract() == 0.0 && v.abs() < 1e15 {
        group_thousands(v as i64)
    } else {
        format!("{v}")
    };
    match c.approximation {
        Some(Approximation::AtLeast) => format!("at least {n}"),
        Some(Approximation::MoreThan) => format!("more than {n}"),
        Some(Approximation::Nearly) => format!("nearly {n}"),
        Some(Approximation::UpTo) => format!("up to {n}"),
        Some(Approximation::FewerThan) => format!("fewer than {n}"),
        Some(Approximation::About) => format!("about {n}"),
        Some(Approximation::Range) => {
            format!("{n}–{}", group_thousands(c.value_high.unwrap_or(v) as i64))
        }
        _ => n,
    }
}

/// `9061` → `9,061`.
pub fn group_thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

fn who(c: &Claim) -> String {
    let by: String = c
        .claimant
        .as_ref()
        .map(|a| a.name.clone())
        .or_else(|| c.evidence.outlet.clone())
        .unwrap_or_else(|| "an article of unknown outlet".into());
    // Reasons put the name mid-sentence: `The health office` → `the health office`.
    let by = match by.strip_prefix("The ") {
        Some(rest) => format!("the {rest}"),
        None => by,
    };
    match c.as_of {
        Some(d) => format!("{by} ({d})"),
        None => format!("{by} (undated)"),
    }
}

/// FNV-1a, for short stable ids.
pub(crate) fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

fn finding(kind: FindingKind, first: &Claim, second: &Claim, reason: String) -> Finding {
    // One id per pair and kind, whichever claim was linked first.
    let (x, y) = if first.id <= second.id {
        (&first.id, &second.id)
    } else {
        (&second.id, &first.id)
    };
    let id = format!("{:016x}", stable_hash(&[kind.as_str(), x, y]));
    let (confidence, reasons) = confidence(kind, first, second);
    Finding {
        id,
        kind,
        key: first.key.clone(),
        reason,
        claims: [FindingSide::of(first), FindingSide::of(second)],
        confidence,
        reasons,
        repeats: 0,
    }
}

/// How sure a finding is, and why: what makes two figures surely the same
/// quantity (named claimants, a place, a narrowed population, a stated
/// period) raises it; what leaves room for two quantities under one key or
/// for a count that was only rising lowers it. The weights are round numbers
/// set by reading, then the threshold that uses them was chosen on the
/// development folds of the labelled pairs.
fn confidence(kind: FindingKind, first: &Claim, second: &Claim) -> (f32, Vec<String>) {
    let mut reasons = Vec::new();
    if first.kind != ClaimKind::Figure {
        reasons.push("event and stance findings are not yet measured on labelled data".into());
        return (0.3, reasons);
    }
    let mut c: f32 = match kind {
        FindingKind::Update | FindingKind::Revision => 0.65,
        FindingKind::Contradict | FindingKind::Agree => 0.6,
        FindingKind::Inconsistent => 0.5,
    };
    let mut capped = false;
    let mut adjust = |d: f32, why: &str| {
        c += d;
        reasons.push(format!("{}{:.2} {why}", if d >= 0.0 { "+" } else { "" }, d));
    };
    let named = |x: &Claim| x.claimant.is_some();
    match (named(first), named(second)) {
        (true, true) => adjust(0.1, "both sides name their claimant"),
        (false, false) => adjust(-0.1, "neither side names a claimant"),
        _ => adjust(-0.05, "one side names no claimant"),
    }
    if scoped(first, second) {
        adjust(0.1, "both figures have a place");
    } else {
        adjust(-0.1, "a figure without a place");
    }
    let narrowed = |x: &Claim| x.population.as_deref().is_some_and(|p| p != "people");
    if narrowed(first) && narrowed(second) {
        adjust(0.05, "the population is named on both sides");
    }
    let stated = |x: &Claim| {
        x.period
            .is_some_and(|p| p != storyline_analyze::figures::Period::Unspecified)
    };
    if stated(first) && stated(second) {
        adjust(0.05, "the period is stated on both sides");
    }
    // Stories divide incidents and unplaced counts (`at least 12 killed`
    // in two stories is two tolls), not a place's running total: a war's
    // toll is quoted in every story of the war.
    let running_total = |x: &Claim| !is_incident(x) && cumulative(x);
    if !(scoped(first, second) && running_total(first) && running_total(second)) {
        match (&first.story, &second.story) {
            (Some(a), Some(b)) if a == b => adjust(0.05, "one story"),
            (Some(_), Some(_)) => adjust(-0.15, "different stories"),
            _ => {}
        }
    }
    let days = match (first.as_of, second.as_of) {
        (Some(a), Some(b)) => Some((b - a).num_days().abs()),
        _ => None,
    };
    match kind {
        FindingKind::Update => {
            if days == Some(0) {
                adjust(-0.2, "reported the same day");
            }
            if matches!((first.value, second.value), (Some(a), Some(b)) if b < a) {
                adjust(-0.25, "a running total that falls");
            }
            // 45 killed, then 10,000: more often one strike's dead and a
            // war's toll under one key than one count rising. Kept, but never
            // above the threshold, whatever else speaks for it (below).
            capped = far_apart(first, second);
        }
        FindingKind::Contradict | FindingKind::Inconsistent => {
            if far_apart(first, second) {
                adjust(-0.3, "values far apart: perhaps two quantities");
            }
            if days.is_some_and(|d| d > 0) {
                adjust(-0.15, "reported on different days");
            }
            let loose = |x: &Claim| {
                matches!(
                    x.approximation,
                    Some(Approximation::About | Approximation::Nearly | Approximation::UpTo)
                )
            };
            if loose(first) || loose(second) {
                adjust(-0.1, "a loose hedge");
            }
        }
        _ => {}
    }
    let cap = DEFAULT_MIN_CONFIDENCE - 0.05;
    if capped && c > cap {
        reasons.push(format!(
            "{:.2} values far apart: perhaps two quantities",
            cap - c
        ));
        c = cap;
    }
    (c.clamp(0.0, 1.0), reasons)
}

/// Counts that grow or shrink as events unfold, so that a new value on a
/// later day revises the old one.
fn cumulative(c: &Claim) -> bool {
    use storyline_analyze::figures::Category as C;
    matches!(
        c.category,
        Some(
            C::Killed
                | C::Injured
                | C::Displaced
                | C::Missing
                | C::Hostages
                | C::Released
                | C::Arrested
                | C::Detained
        )
    )
}

/// Counts of what cannot be undone, whose running total only rises: the
/// dead, the wounded, hostages taken, people released, arrested or
/// detained. A stock (hostages still held) or a rate may fall; so may the
/// displaced and the missing, as people return or are found.
fn never_falls(c: &Claim) -> bool {
    use storyline_analyze::figures::{Category as C, Period};
    matches!(
        c.category,
        Some(C::Killed | C::Injured | C::Hostages | C::Released | C::Arrested | C::Detained)
    ) && !matches!(c.period, Some(Period::Stock | Period::Rate))
}

/// Stance reports further apart than this are a change of position over
/// time, not sources disagreeing.
const STANCE_SAME_TIME_DAYS: i64 = 1;

/// Two independent sources give the same figure.
fn agree_on_figure(first: &Claim, second: &Claim, later: &str) -> Finding {
    finding(
        FindingKind::Agree,
        first,
        second,
        // The values as each side gives them: `at least 10,800` and
        // `11,078` are compatible, not the same figure.
        if fmt_value(first) == fmt_value(second) {
            format!(
                "{}: {} and {later}{} give the same figure, {}",
                quantity(first),
                who(first),
                who(second),
                fmt_value(second)
            )
        } else {
            format!(
                "{}: {} and {later}{} give compatible figures, {} and {}",
                quantity(first),
                who(first),
                who(second),
                fmt_value(first),
                fmt_value(second)
            )
        },
    )
}

/// Orders two claims in time: by as-of day when both have one, else keep
/// the given order (`old` was linked first).
fn in_time<'c>(old: &'c Claim, new: &'c Claim) -> (&'c Claim, &'c Claim) {
    match (old.as_of, new.as_of) {
        (Some(a), Some(b)) if b < a => (new, old),
        _ => (old, new),
    }
}

/// Whether two figures are pinned to a place: only then can different
/// values for the same day be held against each other.
fn scoped(a: &Claim, b: &Claim) -> bool {
    let has =
        |c: &Claim| !c.place_inferred && c.place.as_deref().is_some_and(|p| !p.trim().is_empty());
    has(a) && has(b)
}

/// Whether two figures of one key can be about the same quantity: a place
/// ties them, or one story, or one claimant (a ministry revising its own
/// count). Without any, `at least 12 killed` in one story and `23 killed`
/// in another are two tolls, neither agreeing nor updating. A claim not
/// linked to a story (the text given to `check`) is held against any.
fn related(a: &Claim, b: &Claim) -> bool {
    let same_claimant = matches!((&a.claimant, &b.claimant), (Some(x), Some(y)) if x.id == y.id);
    let same_story = match (&a.story, &b.story) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    };
    scoped(a, b) || same_story || same_claimant
}

/// What `new` says about `old` (a claim linked before it), if anything.
///
/// ```
/// # use storyline_link::findings::{compare, FindingKind};
/// # use storyline_link::claims::Claim;
/// # fn demo(old: &Claim, new: &Claim) {
/// if let Some(f) = compare(new, old) {
///     println!("{}: {}", f.kind.as_str(), f.reason);
/// }
/// # }
/// ```
pub fn compare(new: &Claim, old: &Claim) -> Option<Finding> {
    if new.key != old.key || new.kind != old.kind {
        return None;
    }
    // One sentence says one thing, however many claims it makes.
    if new.evidence.article == old.evidence.article
        && new.evidence.sentence_span == old.evidence.sentence_span
    {
        return None;
    }
    // One sentence printed twice (a wire story two outlets ran, a page
    // republished) is one source saying one thing (rule `copied_sentence`).
    if new.evidence.article != old.evidence.article
        && copied_sentence(&new.evidence.sentence, &old.evidence.sentence)
    {
        return None;
    }
    let independent = independence(new, old);
    if independent == Err("the same article") {
        // Two claimants at odds in one article (police and organisers on a
        // crowd's size) is a contradiction the article itself reports;
        // anything else within one article is one source saying one thing.
        if !different_claimants(new, old) {
            return None;
        }
        return match new.kind {
            ClaimKind::Figure
                if !compatible(new, old)
                    && !far_apart(new, old)
                    && new.as_of == old.as_of
                    && scoped(new, old)
                    && !new.earlier
                    && !old.earlier =>
            {
                let (first, second) = (old, new);
                Some(finding(
                    FindingKind::Contradict,
                    first,
                    second,
                    format!(
                        "in the same article, {} gives {} and {} gives {}",
                        who(first),
                        fmt_value(first),
                        who(second),
                        fmt_value(second)
                    ),
                ))
            }
            _ => None,
        };
    }
    let (first, second) = in_time(old, new);
    match new.kind {
        // Two outlets recalling an old event's toll in passing agree, and
        // tell a reader nothing (rule `background_agreement`).
        // A projection is compared only with projections (rule
        // `hypothetical_count`): `as many as 300,000 could die` neither
        // updates nor contradicts a toll, while two outlets giving one
        // official projection agree.
        ClaimKind::Figure if hypothetical(first) != hypothetical(second) => None,
        ClaimKind::Figure => compare_figures(first, second, independent.is_ok()).filter(|f| {
            !(f.kind == FindingKind::Agree && first.background && second.background)
                && !(f.kind != FindingKind::Update
                    && f.kind != FindingKind::Revision
                    && (unidentified(first) && unidentified(second)
                        || unmeasured_people(first)
                        || unmeasured_people(second)))
        }),
        ClaimKind::Stance => {
            let (a, b) = (first.position?, second.position?);
            let whose = first
                .on_behalf_of
                .as_ref()
                .or(first.subject.as_ref())
                .map_or("the actor", |s| s.name.as_str());
            let opposed = matches!(
                (a, b),
                (Position::For, Position::Against | Position::Conditional)
                    | (Position::Against | Position::Conditional, Position::For)
            );
            let apart = match (first.as_of, second.as_of) {
                (Some(x), Some(y)) => (y - x).num_days().abs() > STANCE_SAME_TIME_DAYS,
                _ => false,
            };
            if opposed && apart {
                Some(finding(
                    FindingKind::Update,
                    first,
                    second,
                    format!(
                        "{whose}'s position on {} changes from {} ({}) to {} ({})",
                        first.predicate.replace('_', " "),
                        a.as_str(),
                        who(first),
                        b.as_str(),
                        who(second)
                    ),
                ))
            } else if opposed {
                Some(finding(
                    FindingKind::Contradict,
                    first,
                    second,
                    format!(
                        "sources disagree on {whose}'s position on {}: {} according to {}, {} according to {}",
                        first.predicate.replace('_', " "),
                        a.as_str(),
                        who(first),
                        b.as_str(),
                        who(second)
                    ),
                ))
            } else if a == b {
                independent.ok().map(|()| {
                    finding(
                        FindingKind::Agree,
                        first,
                        second,
                        format!(
                            "{} and {} both report {whose} {} {}",
                            who(first),
                            who(second),
                            a.as_str(),
                            first.predicate.replace('_', " ")
                        ),
                    )
                })
            } else {
                None
            }
        }
        ClaimKind::Event => {
            if first.negated != second.negated {
                let (said, denied) = if first.negated {
                    (second, first)
                } else {
                    (first, second)
                };
                Some(finding(
                    FindingKind::Contradict,
                    first,
                    second,
                    format!(
                        "{} reports “{}”; {} reports it did not happen",
                        who(said),
                        said.summary,
                        who(denied)
                    ),
                ))
            } else {
                independent.ok().map(|()| {
                    finding(
                        FindingKind::Agree,
                        first,
                        second,
                        format!(
                            "{} and {} both report “{}”",
                            who(first),
                            who(second),
                            first.summary
                        ),
                    )
                })
            }
        }
    }
}

/// Both claims name a claimant, and not the same one.
fn different_claimants(a: &Claim, b: &Claim) -> bool {
    matches!((&a.claimant, &b.claimant), (Some(x), Some(y)) if x.id != y.id)
}

/// The two can be one source's series: the same claimant, or one side
/// unattributed (an outlet passing on a count in its own voice), or one
/// side a claimant the actor file does not know or the place itself
/// (`officials`, `Gaza`): a vague name for whoever keeps that place's count.
fn one_source(a: &Claim, b: &Claim) -> bool {
    let vague = |c: &Claim| {
        c.claimant.as_ref().is_some_and(|x| {
            x.id.starts_with("text:") || c.place.as_deref().is_some_and(|p| p == x.name)
        })
    };
    !different_claimants(a, b) || vague(a) || vague(b)
}

/// Rule `different_causes`: counts of people who suffered different things
/// (`die daily of HIV` against `die each day from flu`; a rig explosion's
/// dead against a flu's) are two quantities. Causes (`lang/en/causes.tsv`
/// of the analyser) differ when their classes do (`attack`, `accident`,
/// `disaster`, `disease`), or when both name diseases and the names
/// differ; a side whose sentence names no cause decides nothing.
fn different_causes(a: &Claim, b: &Claim) -> bool {
    let (Some(x), Some(y)) = (a.cause.as_deref(), b.cause.as_deref()) else {
        return false;
    };
    let ((cx, nx), (cy, ny)) = (split_cause(x), split_cause(y));
    cx != cy || matches!((nx, ny), (Some(p), Some(q)) if p != q)
}

/// A cause's class and, for a named disease, its name (`disease:flu`).
fn split_cause(c: &str) -> (&str, Option<&str>) {
    match c.split_once(':') {
        Some((class, name)) => (class, Some(name)),
        None => (c, None),
    }
}

/// Rule `different_sites`: two incident counts whose sentences put them at
/// different named sites (`a blast outside Al-Shifa`, `an air strike at
/// the Al-Maghazi refugee camp`) are two incidents, whatever day each is
/// of: neither updates nor contradicts the other. A site is the run of
/// capitalised words right after a locative preposition (`at`, `in`,
/// `outside`, …, past a `the`) in the count's own clause, other than the
/// count's own place and a month. Two sites sharing a word (`Al-Ahli`,
/// `the Al-Ahli Arab hospital`) may be one; a side naming no site decides
/// nothing.
fn different_sites(a: &Claim, b: &Claim) -> bool {
    if !(is_incident(a) && is_incident(b)) {
        return false;
    }
    let (sa, sb) = (incident_sites(a), incident_sites(b));
    !sa.is_empty() && !sb.is_empty() && sa.iter().all(|w| !sb.contains(w))
}

/// The words of the named sites of an incident count's sentence, lower
/// case (see [`different_sites`]).
fn incident_sites(c: &Claim) -> Vec<String> {
    use storyline_analyze::figures::frame::{is_landmark_prep, is_month, is_scene_prep};
    let place = c.place.as_deref().unwrap_or_default().to_lowercase();
    // Only the count's own clause, between commas: `who lives in
    // Manchester, …, killing 1,300 people` puts the dead in no site.
    let sentence = c.evidence.sentence.as_str();
    let at = c
        .evidence
        .span
        .start
        .saturating_sub(c.evidence.sentence_span.start)
        .min(sentence.len());
    let is_break = |ch: char| matches!(ch, ',' | ';');
    let from = sentence
        .get(..at)
        .and_then(|s| s.rfind(is_break))
        .map_or(0, |k| k + 1);
    let to = sentence
        .get(at..)
        .and_then(|s| s.find(is_break))
        .map_or(sentence.len(), |k| at + k);
    let words: Vec<&str> = sentence
        .get(from..to)
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let bare = |w: &str| {
        w.trim_matches(|ch: char| !ch.is_alphanumeric() && ch != '-' && ch != '\'')
            .to_string()
    };
    let named = |w: &str| {
        let w = bare(w);
        w.chars().next().is_some_and(char::is_uppercase) || w.starts_with("al-")
    };
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let prep = bare(w).to_lowercase();
        if !(is_scene_prep(&prep) || is_landmark_prep(&prep)) {
            continue;
        }
        let mut k = i + 1;
        if words.get(k).is_some_and(|w| w.eq_ignore_ascii_case("the")) {
            k += 1;
        }
        let mut site = Vec::new();
        while let Some(w) = words.get(k).filter(|w| named(w)) {
            site.push(bare(w).to_lowercase());
            // A comma or a full stop ends the name.
            if w.ends_with([',', '.', ';', ':']) {
                break;
            }
            k += 1;
        }
        let name = site.join(" ");
        if site.is_empty() || name == place || is_month(&site[0]) {
            continue;
        }
        out.extend(site);
    }
    out
}

/// Both counts are of one event, fixed by its day (`the 7 October
/// attack`): two undated incidents of one place are as likely two strikes
/// as one strike recounted.
fn same_event(a: &Claim, b: &Claim) -> bool {
    is_incident(a) && is_incident(b) && a.on.is_some() && a.on == b.on
}

/// One voice gives both: the same claimant the actor file knows, or the
/// same publisher's own unattributed narration. Stricter than
/// [`one_source`], which lets an unattributed or vague side stand in for
/// anyone's count.
fn same_voice(a: &Claim, b: &Claim) -> bool {
    match (&a.claimant, &b.claimant) {
        (Some(x), Some(y)) => x.id == y.id && !x.id.starts_with("text:"),
        (None, None) => a.evidence.publisher == b.evidence.publisher,
        _ => false,
    }
}

/// A later exact value inside an earlier bound (`more than 200`, then
/// `240`) says no more than the bound did. Two bounds (`more than 8,300`,
/// then `more than 8,700`) are a count rising.
fn narrows(first: &Claim, second: &Claim) -> bool {
    let bound = matches!(
        first.approximation,
        Some(
            Approximation::AtLeast
                | Approximation::MoreThan
                | Approximation::UpTo
                | Approximation::FewerThan
        )
    );
    let point = matches!(
        second.approximation,
        None | Some(Approximation::Exact | Approximation::About | Approximation::Nearly)
    );
    bound && point && compatible(first, second)
}

/// Counts more than this many times apart are rarely one quantity read two
/// ways; more often two quantities under one key (a strike's dead and a
/// war's dead).
const SAME_QUANTITY_RATIO: f64 = 4.0;

/// Within a tenth of each other: the same count at two moments, or rounded.
fn close_counts(a: &Claim, b: &Claim) -> bool {
    match (a.value, b.value) {
        (Some(x), Some(y)) if x > 0.0 && y > 0.0 => x.max(y) / x.min(y) <= 1.1,
        _ => false,
    }
}

/// The two differ only by publisher, with neither naming a claimant: an
/// incident counted differently by two outlets' own voices days apart is
/// the count moving, not a dispute.
fn independent_publishers_only(a: &Claim, b: &Claim, independent: bool) -> bool {
    independent && a.claimant.is_none() && b.claimant.is_none()
}

fn far_apart(a: &Claim, b: &Claim) -> bool {
    far_apart_by(a, b, SAME_QUANTITY_RATIO)
}

fn far_apart_by(a: &Claim, b: &Claim, ratio: f64) -> bool {
    match (a.value, b.value) {
        (Some(x), Some(y)) if x > 0.0 && y > 0.0 => x.max(y) / x.min(y) > ratio,
        _ => false,
    }
}

/// How far one running count can rise within a day of a war's first weeks
/// (a toll of 500 in the morning, 600 by night): values further apart the
/// same day are no longer one count read twice (rule `same_day_drift`).
const SAME_DAY_DRIFT: f64 = 1.3;

/// A count that runs on (a toll, hostages held), not one incident's.
fn running_count(c: &Claim) -> bool {
    cumulative(c) && !is_incident(c)
}

/// Rule `different_start`: two counts whose periods start more than a week
/// apart (`since 2007` against `since 7 October`) are two quantities; so
/// are a count over a year or more (`since 2007`, read in 2023) and one
/// that states no start, which counts the story's own span.
fn different_start(a: &Claim, b: &Claim) -> bool {
    let long_before = |x: &Claim, y: &Claim| matches!((x.since, y.since, y.as_of), (Some(s), None, Some(d)) if (d - s).num_days() >= 365);
    matches!((a.since, b.since), (Some(x), Some(y)) if (x - y).num_days().abs() > 7)
        || long_before(a, b)
        || long_before(b, a)
}

/// Rule `different_peoples`: a count of one people (`1,300 Israelis`) and
/// a count of another (`2,700 Palestinians`) are two quantities, even
/// where the key folds both into a place's people because one of them
/// names no place and takes its article's.
fn different_peoples(a: &Claim, b: &Claim) -> bool {
    fn people(c: &Claim) -> Option<&str> {
        c.population
            .as_deref()
            .filter(|p| crate::claims::is_a_people(p))
    }
    matches!((people(a), people(b)), (Some(x), Some(y)) if x != y)
}

/// The same day, a running count two outlets read at two moments: the
/// lower value first, as a count rises (which outlet read it first, the
/// day does not say).
fn same_day_update(first: &Claim, second: &Claim) -> Finding {
    let (low, high) = match (first.value, second.value) {
        (Some(a), Some(b)) if b < a => (second, first),
        _ => (first, second),
    };
    finding(
        FindingKind::Update,
        low,
        high,
        format!(
            "{}: the same day, the figure changes between {} ({}) and {} ({})",
            quantity(low),
            fmt_value(low),
            who(low),
            fmt_value(high),
            who(high)
        ),
    )
}

/// Two compatible values confirm each other only when they are of one
/// size (rule `confirming_values`): `up to 40,000` allows `5,000` but says
/// nothing for it, and `at least 20` beside `up to 60` is two counts (the
/// confirmed dead and the suspected) that happen to overlap.
///
/// A range confirms by either end (`between 50,000 and 750,000` and `up to
/// 750,000`).
fn confirming(a: &Claim, b: &Claim) -> bool {
    if a.value.is_none() || b.value.is_none() {
        return true;
    }
    let ends = |c: &Claim| [c.value, c.value_high];
    let (ea, eb) = (ends(a), ends(b));
    ea.iter().flatten().any(|&x| {
        eb.iter()
            .flatten()
            .any(|&y| x > 0.0 && y > 0.0 && x.max(y) / x.min(y) <= CONFIRMING_RATIO)
    })
}

/// Values further apart than this never agree, whatever their hedges.
const CONFIRMING_RATIO: f64 = 2.0;

fn is_incident(c: &Claim) -> bool {
    c.period == Some(storyline_analyze::figures::Period::Incident)
}

fn same_number(a: &Claim, b: &Claim) -> bool {
    match (a.value, b.value) {
        (Some(x), Some(y)) => {
            (x - y).abs() <= (x.abs() * 0.005).max(0.5) && a.value_high == b.value_high
        }
        _ => false,
    }
}

/// What two figures of one key say about each other; `first` is reported
/// no later than `second`.
fn compare_figures(first: &Claim, second: &Claim, independent: bool) -> Option<Finding> {
    if first.earlier
        || second.earlier
        || !related(first, second)
        || different_start(first, second)
        || different_peoples(first, second)
        || different_sites(first, second)
        || different_causes(first, second)
    {
        return None;
    }
    let values = |verb: &str| {
        format!(
            "{verb} {} ({}) and {} ({})",
            fmt_value(first),
            who(first),
            fmt_value(second),
            who(second)
        )
    };
    // Two sources are independent when two publishers print them, or when
    // two claimants the actor file knows give them — never an outlet's
    // vague `officials` against the body it is paraphrasing.
    let sources_differ =
        (different_claimants(first, second) && !one_source(first, second)) || independent;
    let contradiction = || {
        finding(
            FindingKind::Contradict,
            first,
            second,
            format!(
                "for the same {}, {}",
                reference(first),
                values("sources give")
            ),
        )
    };
    let days = match (first.as_of, second.as_of) {
        (Some(a), Some(b)) => Some((b - a).num_days()),
        _ => None,
    };
    let fits = compatible(first, second);
    // The same reference time: the same reporting day, or for one fixed
    // incident a day either side (reports of one night's strike straddle
    // midnight).
    // Two undated incidents a day apart are one only within one story (an
    // attack's toll against the next day's `deadliest 24 hours` is two).
    let same_time = match days {
        Some(0) => true,
        Some(1) => {
            is_incident(first)
                && is_incident(second)
                && (same_event(first, second)
                    || first.story.is_some() && first.story == second.story)
        }
        _ => false,
    };
    if days.is_none() {
        // An undated figure can agree with another but not be ordered or
        // held against one.
        return (fits && independent && confirming(first, second))
            .then(|| agree_on_figure(first, second, ""));
    }
    if same_time {
        if fits {
            // Agreement needs two publishers: within one, a second claimant
            // giving the same count is, on every pair read, the same count
            // relayed (`the health ministry says`, `officials say`).
            return (independent && confirming(first, second))
                .then(|| agree_on_figure(first, second, ""));
        }
        if close_counts(first, second) && !is_incident(first) {
            // 9,000 and 9,488 the same day: one running count read at two
            // hours, not two sources at odds. A running total moved
            // (`5,791`, then `more than 5,800`); any other count gives
            // nothing to tell.
            return (running_count(first) && sources_differ && !different_claimants(first, second))
                .then(|| same_day_update(first, second));
        }
        if sources_differ
            && !different_claimants(first, second)
            && running_count(first)
            && !far_apart_by(first, second, SAME_DAY_DRIFT)
        {
            // Rule `same_day_drift`: no two named claimants at odds, only
            // one running count (`more than 500`, then `more than 600`
            // killed in Gaza) that two outlets read at different hours of
            // a day in which it rose. The rise is the same-day update below.
            return (!same_number(first, second)).then(|| same_day_update(first, second));
        }
        // Two counts with no place may count different things (an
        // attack's dead, a war's dead): too weak to hold against each other.
        // Nor are counts far apart (150 wounded in one strike against
        // 20,000 in the war): sources at odds over one quantity differ by
        // less than SAME_QUANTITY_RATIO.
        if sources_differ && scoped(first, second) && !far_apart(first, second) {
            return Some(contradiction());
        }
        // One source, two values the same day: a running total rising
        // within the day is an update; a fixed quantity is inconsistent.
        if sources_differ {
            return None;
        }
        return if running_count(first) && days == Some(0) {
            (!same_number(first, second)).then(|| {
                finding(
                    FindingKind::Update,
                    first,
                    second,
                    format!(
                        "{}: the same day, the figure {}",
                        quantity(first),
                        values("changes between")
                    ),
                )
            })
        } else {
            Some(finding(
                FindingKind::Inconsistent,
                first,
                second,
                format!(
                    "one source gives incompatible values for the same {}: {}",
                    reference(first),
                    values("").trim_start()
                ),
            ))
        };
    }
    // Later reports. An incident that happened after the earlier report
    // was given (a blast on 20 April 2010 against a flu toll of May 2009)
    // is a new event, neither a later reading of that count nor the same
    // fact (rule `event_after_report`).
    if is_incident(second)
        && matches!((second.on, first.as_of), (Some(on), Some(asof)) if on > asof)
    {
        return None;
    }
    if same_number(first, second) {
        // A fixed event confirmed later by someone else.
        return (is_incident(first) && independent)
            .then(|| agree_on_figure(first, second, "later "));
    }
    if one_source(first, second) && cumulative(first) {
        let lower = matches!((first.value, second.value), (Some(a), Some(b)) if b < a);
        if lower && far_apart(first, second) {
            // 1,400 then 12: two quantities under one key, not a count revised.
            return None;
        }
        if lower && is_incident(first) && !fits {
            // A revision says one source took back its own count of one
            // event. Anything looser — an outlet's narration against a
            // count a later sentence pins on someone, or two incidents of
            // one place — was, on every pair read, two different counts.
            if !(same_event(first, second) && same_voice(first, second)) {
                return None;
            }
            return Some(finding(
                FindingKind::Revision,
                first,
                second,
                format!(
                    "{}: the count for one event is revised down from {} ({}) to {} ({})",
                    quantity(first),
                    fmt_value(first),
                    who(first),
                    fmt_value(second),
                    who(second)
                ),
            ));
        }
        if narrows(first, second) {
            // `more than 200` then `240`: the later report only narrows.
            return None;
        }
        // A later, lower count that the earlier one allows (`11,078`,
        // then `more than 11,000`) restates it loosely: nothing changed
        // (rule `looser_restatement`). A running total of what cannot be
        // undone (the dead, the wounded, hostages taken) never falls: a
        // lower count later is another quantity under the key (one day's
        // dead, one strike's), or a revision of one event, found above
        // (rule `total_never_falls`).
        if lower && (fits || never_falls(first)) {
            return None;
        }
        let verb = if lower { "falls" } else { "rises" };
        return Some(finding(
            FindingKind::Update,
            first,
            second,
            format!(
                "{}: the figure {verb} from {} ({}) to {} ({})",
                quantity(first),
                fmt_value(first),
                who(first),
                fmt_value(second),
                who(second)
            ),
        ));
    }
    // Reported on different days, two counts are of one incident only when
    // both name its day: two undated incidents of one place (a relative's
    // family killed, a blast outside a hospital) are two events.
    if same_event(first, second)
        && sources_differ
        && !independent_publishers_only(first, second, independent)
        && !fits
        && !far_apart(first, second)
        && scoped(first, second)
    {
        return Some(contradiction());
    }
    None
}

/// The quantity a figure measures, for a finding's headline: `killed
/// children in Gaza`.
fn quantity(c: &Claim) -> String {
    let what = c.predicate.replace('_', " ");
    let whom = c
        .population
        .as_deref()
        .filter(|p| *p != "people")
        .map(|p| format!(" {}", p.replace('_', " ")))
        .unwrap_or_default();
    let place = c
        .place
        .as_deref()
        .map(|p| format!(" in {p}"))
        .unwrap_or_default();
    format!("{what}{whom}{place}")
}

/// What two figures of one key are both about, for a finding's reason.
fn reference(c: &Claim) -> String {
    if is_incident(c) {
        format!("incident ({})", quantity(c))
    } else {
        format!("day ({})", quantity(c))
    }
}

/// Whether a stored claim supports (`Some(true)`) or contradicts
/// (`Some(false)`) a claim being checked, which has no date or outlet of
/// its own; `None` when they are not about the same thing.
///
/// A figure supports one within a tenth of it that its hedges allow, and
/// contradicts one its hedges exclude that is not so far off as to be
/// another quantity; the caller decides which stored figures measure the
/// same thing (the same key, or the same measure when the checked text
/// names no place or period).
pub fn supports(query: &Claim, stored: &Claim) -> Option<bool> {
    if query.kind != stored.kind {
        return None;
    }
    if query.kind != ClaimKind::Figure && query.key != stored.key {
        return None;
    }
    match query.kind {
        ClaimKind::Figure => {
            if compatible(query, stored) {
                close_counts(query, stored).then_some(true)
            } else {
                (!far_apart(query, stored)).then_some(false)
            }
        }
        ClaimKind::Stance => {
            let (a, b) = (query.position?, stored.position?);
            Some(a == b || (a != Position::For && b != Position::For))
        }
        ClaimKind::Event => Some(query.negated == stored.negated),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::ActorRef;
    use storyline_core::{ArticleId, Span};

    fn figure(
        article: &str,
        outlet: &str,
        day: Option<&str>,
        value: f64,
        approx: Approximation,
    ) -> Claim {
        let id = ArticleId::for_text(article);
        Claim {
            id: format!("{id}-0"),
            kind: ClaimKind::Figure,
            key: "figure|killed|gaza".into(),
            summary: format!("{value} killed"),
            claimant: Some(ActorRef {
                id: "gaz:gaza health ministry".into(),
                name: "Gaza Health Ministry".into(),
            }),
            subject: None,
            on_behalf_of: None,
            object: None,
            predicate: "killed".into(),
            place: Some("Gaza".into()),
            place_inferred: false,
            value: Some(value),
            value_high: None,
            approximation: Some(approx),
            category: Some(storyline_analyze::figures::Category::Killed),
            population: Some("people".into()),
            period: Some(storyline_analyze::figures::Period::Cumulative),
            since: None,
            on: None,
            cause: None,
            background: false,
            position: None,
            condition: None,
            negated: false,
            modality: None,
            as_of: day.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            story: None,
            earlier: false,
            evidence: Evidence {
                article: id.clone(),
                outlet: Some(outlet.into()),
                publisher: Some(outlet.to_lowercase()),
                published: None,
                published_provenance: "header".into(),
                duplicate_group: id,
                sentence: format!("{outlet} reports {value} people were killed."),
                sentence_span: Span::new(0, 10),
                span: Span::new(0, 4),
            },
        }
    }

    #[test]
    fn a_count_to_the_unit_allows_nothing_past_it() {
        // `precise_count`: `more than 5,800` is another reading of the
        // toll than `5,791`, never a confirmation; the same day, one
        // source's running count moved.
        let exact = figure(
            "a",
            "Wire One",
            Some("2023-10-24"),
            5791.0,
            Approximation::Exact,
        );
        let mut bound = figure(
            "b",
            "Paper Two",
            Some("2023-10-24"),
            5800.0,
            Approximation::MoreThan,
        );
        let f = compare(&bound, &exact).expect("one running count read twice");
        assert_eq!(f.kind, FindingKind::Update);
        // A round count keeps its rounding: `about 5,800` and `5,791`
        // agree.
        bound.approximation = Some(Approximation::Exact);
        let f = compare(&bound, &exact).expect("a rounding of the same count");
        assert_eq!(f.kind, FindingKind::Agree);
    }

    #[test]
    fn a_running_toll_never_falls() {
        let total = figure(
            "a",
            "Wire One",
            Some("2023-10-21"),
            4000.0,
            Approximation::MoreThan,
        );
        // `total_never_falls`: a lower toll later is another quantity.
        let lower = figure(
            "b",
            "Wire One",
            Some("2023-10-25"),
            700.0,
            Approximation::MoreThan,
        );
        assert!(compare(&lower, &total).is_none());
        // `looser_restatement`: `11,078`, then `more than 11,000`.
        let exact = figure(
            "c",
            "Wire One",
            Some("2023-11-11"),
            11078.0,
            Approximation::Exact,
        );
        let looser = figure(
            "d",
            "Wire One",
            Some("2023-11-12"),
            11000.0,
            Approximation::MoreThan,
        );
        assert!(compare(&looser, &exact).is_none());
        // A stock may fall: hostages still held, as some are released.
        let mut held = figure(
            "e",
            "Wire One",
            Some("2023-11-02"),
            241.0,
            Approximation::Exact,
        );
        let mut fewer = figure(
            "f",
            "Wire One",
            Some("2023-11-28"),
            160.0,
            Approximation::Exact,
        );
        for c in [&mut held, &mut fewer] {
            c.category = Some(storyline_analyze::figures::Category::Hostages);
            c.period = Some(storyline_analyze::figures::Period::Stock);
        }
        let f = compare(&fewer, &held).expect("the held fall as hostages go free");
        assert_eq!(f.kind, FindingKind::Update);
    }

    #[test]
    fn one_peoples_dead_are_never_compared_with_anothers() {
        // `different_peoples`.
        let mut ours = figure(
            "a",
            "Wire One",
            Some("2023-10-12"),
            1300.0,
            Approximation::AtLeast,
        );
        let mut theirs = figure(
            "b",
            "Wire One",
            Some("2023-10-16"),
            2700.0,
            Approximation::MoreThan,
        );
        ours.population = Some("israelis".into());
        theirs.population = Some("palestinians".into());
        assert!(compare(&theirs, &ours).is_none());
        theirs.population = Some("people".into());
        assert!(compare(&theirs, &ours).is_some());
    }

    #[test]
    fn a_projection_is_compared_only_with_projections() {
        let count = figure(
            "a",
            "Wire One",
            Some("2023-11-04"),
            9061.0,
            Approximation::Exact,
        );
        let mut projection = figure(
            "b",
            "Paper Two",
            Some("2023-11-05"),
            30000.0,
            Approximation::UpTo,
        );
        projection.modality = Some(storyline_analyze::events::Modality::Hypothetical);
        assert!(
            compare(&projection, &count).is_none(),
            "`could die` is no toll"
        );
        let mut other = figure(
            "c",
            "Paper Three",
            Some("2023-11-05"),
            30000.0,
            Approximation::UpTo,
        );
        other.modality = Some(storyline_analyze::events::Modality::Hypothetical);
        let f = compare(&other, &projection).expect("two outlets give one projection");
        assert_eq!(f.kind, FindingKind::Agree);
    }

    #[test]
    fn same_day_same_value_from_two_outlets_agree() {
        let a = figure(
            "a",
            "Wire One",
            Some("2023-11-04"),
            9061.0,
            Approximation::AtLeast,
        );
        let b = figure(
            "b",
            "Paper Two",
            Some("2023-11-04"),
            9100.0,
            Approximation::Exact,
        );
        let f = compare(&b, &a).expect("a finding");
        assert_eq!(f.kind, FindingKind::Agree);
        assert_eq!(f.claims[0].claim, a.id);
    }

    #[test]
    fn two_recalls_of_an_old_toll_make_no_agreement() {
        let mut a = figure(
            "a",
            "Wire One",
            Some("2010-06-10"),
            11.0,
            Approximation::Exact,
        );
        let mut b = figure(
            "b",
            "Paper Two",
            Some("2010-06-12"),
            11.0,
            Approximation::Exact,
        );
        for c in [&mut a, &mut b] {
            c.period = Some(storyline_analyze::figures::Period::Incident);
            c.background = true;
        }
        assert!(compare(&b, &a).is_none(), "both recall the April blast");
        // A report of the toll as news, confirmed by a recall, still agrees.
        a.background = false;
        assert_eq!(compare(&b, &a).map(|f| f.kind), Some(FindingKind::Agree));
    }

    #[test]
    fn an_event_after_the_earlier_report_updates_nothing() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let a = figure(
            "a",
            "Wire One",
            Some("2009-05-26"),
            10.0,
            Approximation::Exact,
        );
        let mut b = figure(
            "b",
            "Wire One",
            Some("2010-08-19"),
            11.0,
            Approximation::Exact,
        );
        b.period = Some(storyline_analyze::figures::Period::Incident);
        b.on = day("2010-04-20");
        assert!(compare(&b, &a).is_none(), "a blast a year after a flu toll");
        // An incident before the earlier report may still be its later reading.
        b.on = day("2009-05-20");
        assert!(compare(&b, &a).is_some());
    }

    #[test]
    fn loose_hedges_far_apart_never_agree() {
        let a = figure(
            "a",
            "Wire One",
            Some("2010-06-12"),
            5000.0,
            Approximation::MoreThan,
        );
        let b = figure(
            "b",
            "Paper Two",
            Some("2010-06-12"),
            40000.0,
            Approximation::UpTo,
        );
        assert!(compare(&b, &a).is_none());
        // Near values with such hedges still confirm each other.
        let c = figure(
            "c",
            "Paper Two",
            Some("2010-06-12"),
            8000.0,
            Approximation::UpTo,
        );
        assert_eq!(compare(&c, &a).map(|f| f.kind), Some(FindingKind::Agree));
        // A range confirms by either end.
        let mut range = figure(
            "d",
            "Paper Three",
            Some("2010-06-12"),
            500.0,
            Approximation::Range,
        );
        range.value_high = Some(40000.0);
        assert_eq!(
            compare(&range, &b).map(|f| f.kind),
            Some(FindingKind::Agree)
        );
    }

    #[test]
    fn one_sentence_copied_by_two_outlets_is_one_source() {
        let mut a = figure(
            "a",
            "Wire One",
            Some("2010-05-05"),
            3.0,
            Approximation::Exact,
        );
        let mut b = figure(
            "b",
            "Paper Two",
            Some("2010-05-05"),
            3.0,
            Approximation::Exact,
        );
        a.evidence.sentence =
            "In lawsuits filed Tuesday, three workers say they were kept at sea for 10 hours."
                .into();
        b.evidence.sentence =
            "In lawsuits filed yesterday, three workers say they were kept at sea for 10 hours."
                .into();
        assert!(compare(&b, &a).is_none());
        // Two days of one running count differ in their numbers: never copies.
        assert!(!copied_sentence(
            "The ministry says 9,061 people have been killed.",
            "The ministry says 9,488 people have been killed."
        ));
        assert!(copied_sentence(
            "BP set aside $32bn, after a $17bn loss.",
            "BP set aside $32bn, after a $17bn loss."
        ));
        // A trimmed copy, and one with a year added, are still one source.
        assert!(copied_sentence(
            "Ann Lee, a spokeswoman for rig owner Acme Ltd., defended the response, saying 115 workers did get off alive.",
            "Ann Lee, a spokeswoman for Acme, defended the response, saying 115 workers got off alive."
        ));
        assert!(copied_sentence(
            "The spill could be larger than the 258,000 barrels leaked in 1989 by a tanker in the worst spill to date.",
            "The spill could be larger than the 258,000 barrels leaked by a tanker in the worst spill to date."
        ));
        // Two outlets' own words for one statement are two reports.
        assert!(!copied_sentence(
            "He said that once a cap was in place, the company could siphon off 50,000 barrels a day.",
            "The upgraded collection system could siphon up to 50,000 barrels a day, the admiral said."
        ));
    }

    #[test]
    fn small_unmeasured_counts_with_no_place_or_claimant_are_not_compared() {
        let mut a = figure(
            "a",
            "Wire One",
            Some("2010-05-11"),
            3.0,
            Approximation::Exact,
        );
        let mut b = figure(
            "b",
            "Paper Two",
            Some("2010-05-11"),
            3.0,
            Approximation::Exact,
        );
        for c in [&mut a, &mut b] {
            c.category = Some(storyline_analyze::figures::Category::Other);
            c.place = None;
            c.claimant = None;
            c.population = None;
            c.key = "figure|companies|people||total|by:-".into();
        }
        assert!(compare(&b, &a).is_none(), "the three companies");
        // A large count is specific enough by itself (4 million barrels).
        a.value = Some(4_000_000.0);
        b.value = Some(4_000_000.0);
        assert_eq!(compare(&b, &a).map(|f| f.kind), Some(FindingKind::Agree));
        // People counted for nothing the analyser names, however large or
        // placed, are held against nothing (`unmeasured_people`).
        for (c, v) in [(&mut a, 15_000.0), (&mut b, 8_000.0)] {
            c.value = Some(v);
            c.population = Some("people".into());
            c.place = Some("Veyra".into());
            c.key = "figure|people|people|veyra|total".into();
        }
        assert!(compare(&b, &a).is_none());
    }

    #[test]
    fn same_outlet_or_copies_never_agree() {
        let a = figure(
            "a",
            "Wire One",
            Some("2023-11-04"),
            240.0,
            Approximation::MoreThan,
        );
        let b = figure(
            "b",
            "wire one",
            Some("2023-11-04"),
            240.0,
            Approximation::MoreThan,
        );
        assert!(compare(&b, &a).is_none());
        let mut c = figure(
            "c",
            "Paper Two",
            Some("2023-11-04"),
            240.0,
            Approximation::MoreThan,
        );
        c.evidence.duplicate_group = a.evidence.duplicate_group.clone();
        assert!(compare(&c, &a).is_none());
        let mut same_article = a.clone();
        same_article.id.push('1');
        assert!(compare(&same_article, &a).is_none());
    }

    #[test]
    fn a_copy_saying_the_same_repeats_and_one_saying_more_does_not() {
        let a = figure(
            "a",
            "Wire One",
            Some("2023-11-04"),
            240.0,
            Approximation::MoreThan,
        );
        let mut copy = figure(
            "c",
            "Paper Two",
            Some("2023-11-04"),
            240.0,
            Approximation::MoreThan,
        );
        copy.evidence.duplicate_group = a.evidence.duplicate_group.clone();
        assert!(repeats(&copy, &a));
        // The same article is not a copy of itself; another group is a source.
        assert!(!repeats(&a, &a));
        let other = figure(
            "o",
            "Paper Two",
            Some("2023-11-04"),
            240.0,
            Approximation::MoreThan,
        );
        assert!(!repeats(&other, &a));
        // A copy updated with a new toll says something new.
        let mut revised = figure(
            "r",
            "Paper Two",
            Some("2023-11-04"),
            260.0,
            Approximation::MoreThan,
        );
        revised.evidence.duplicate_group = a.evidence.duplicate_group.clone();
        assert!(!repeats(&revised, &a));
    }

    #[test]
    fn later_different_values_are_updates_in_time_order() {
        let later = figure(
            "a",
            "Wire One",
            Some("2023-11-06"),
            10022.0,
            Approximation::Exact,
        );
        let earlier = figure(
            "b",
            "Wire One",
            Some("2023-11-04"),
            9061.0,
            Approximation::Exact,
        );
        let f = compare(&earlier, &later).expect("a finding");
        assert_eq!(f.kind, FindingKind::Update);
        assert_eq!(f.claims[0].value, Some(9061.0), "earlier first");
        assert!(f.reason.contains("rises from 9,061"), "{}", f.reason);
    }

    #[test]
    fn same_day_incompatible_values_contradict() {
        let a = figure(
            "a",
            "Wire One",
            Some("2023-11-04"),
            1400.0,
            Approximation::Exact,
        );
        let b = figure(
            "b",
            "Paper Two",
            Some("2023-11-04"),
            900.0,
            Approximation::Exact,
        );
        assert_eq!(
            compare(&b, &a).map(|f| f.kind),
            Some(FindingKind::Contradict)
        );
        // 1,200 and 1,400 from one source the same day: one running count
        // read at two hours (rule `same_day_drift`), the lower first.
        let d = figure(
            "d",
            "Paper Four",
            Some("2023-11-04"),
            1200.0,
            Approximation::Exact,
        );
        let f = compare(&d, &a).expect("a finding");
        assert_eq!(f.kind, FindingKind::Update);
        assert_eq!(f.claims[0].value, Some(1200.0));
        // Two named claimants at odds by as much still contradict.
        let mut e = d.clone();
        e.claimant = Some(ActorRef {
            id: "gov:israel".into(),
            name: "Israel".into(),
        });
        assert_eq!(
            compare(&e, &a).map(|f| f.kind),
            Some(FindingKind::Contradict)
        );
        // "at least 1,200" does not contradict 1,400.
        let c = figure(
            "c",
            "Paper Three",
            Some("2023-11-04"),
            1200.0,
            Approximation::AtLeast,
        );
        assert_eq!(compare(&c, &a).map(|f| f.kind), Some(FindingKind::Agree));
    }

    #[test]
    fn counts_far_apart_or_of_undated_incidents_do_not_contradict() {
        // 150 wounded in one strike against 20,000 in the war, the same day.
        let a = figure(
            "a",
            "Wire One",
            Some("2023-11-02"),
            150.0,
            Approximation::Exact,
        );
        let b = figure(
            "b",
            "Paper Two",
            Some("2023-11-02"),
            20000.0,
            Approximation::MoreThan,
        );
        assert_eq!(compare(&b, &a).map(|f| f.kind), None);
        // Two undated incidents of one place, a day apart, in different
        // stories: two events, not one recounted.
        let incident = |article: &str, outlet: &str, day: &str, value: f64, story: &str| {
            let mut c = figure(article, outlet, Some(day), value, Approximation::Exact);
            c.period = Some(storyline_analyze::figures::Period::Incident);
            c.story = Some(story.into());
            c
        };
        let a = incident("a", "Wire One", "2023-10-23", 1400.0, "s1");
        let b = incident("b", "Paper Two", "2023-10-24", 704.0, "s2");
        assert_eq!(compare(&b, &a).map(|f| f.kind), None);
        let b = incident("b", "Paper Two", "2023-11-04", 13.0, "s1");
        let c = incident("c", "Paper Three", "2023-10-15", 15.0, "s1");
        assert_eq!(compare(&b, &c).map(|f| f.kind), None);
        // Within one story a night's strike reported either side of
        // midnight is one incident.
        let b = incident("b", "Paper Two", "2023-10-24", 1200.0, "s1");
        assert_eq!(
            compare(&b, &a).map(|f| f.kind),
            Some(FindingKind::Contradict)
        );
    }

    #[test]
    fn figures_without_a_place_are_never_held_against_each_other() {
        // "Israel says Hamas killed 1,400" beside "Gaza authorities say
        // 9,061 have been killed": two tolls of different events.
        let mut a = figure(
            "a",
            "Wire One",
            Some("2023-11-04"),
            1400.0,
            Approximation::Exact,
        );
        let mut b = figure(
            "b",
            "Paper Two",
            Some("2023-11-04"),
            9061.0,
            Approximation::AtLeast,
        );
        for c in [&mut a, &mut b] {
            c.place = None;
            c.key = "figure|killed|".into();
        }
        assert!(compare(&b, &a).is_none(), "across outlets");
        let mut c = a.clone();
        c.id.push('9');
        c.value = Some(9061.0);
        c.claimant = Some(ActorRef {
            id: "gaz:gaza".into(),
            name: "Gaza".into(),
        });
        assert!(compare(&c, &a).is_none(), "within one article");
        // The same values agree whatever the place.
        let mut d = b.clone();
        d.id = "d-0".into();
        d.evidence.article = ArticleId::for_text("d");
        d.evidence.duplicate_group = d.evidence.article.clone();
        d.evidence.outlet = Some("Third Daily".into());
        d.evidence.publisher = Some("third daily".into());
        d.evidence.sentence = "Third Daily counts 9061 dead.".into();
        assert_eq!(compare(&d, &b).map(|f| f.kind), Some(FindingKind::Agree));
    }

    #[test]
    fn a_revision_needs_one_voice_and_one_dated_event() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let incident = |article: &str, as_of: &str, value: f64, on: Option<&str>| {
            let mut c = figure(
                article,
                "Wire One",
                Some(as_of),
                value,
                Approximation::Exact,
            );
            c.period = Some(storyline_analyze::figures::Period::Incident);
            c.on = on.and_then(day);
            c
        };
        let early = incident("a", "2023-10-20", 1400.0, Some("2023-10-07"));
        let late = incident("b", "2023-11-12", 1200.0, Some("2023-10-07"));
        let f = compare(&late, &early).expect("a revision");
        assert_eq!(f.kind, FindingKind::Revision);
        // No day for the event: two incidents of one place, not one recounted.
        let undated = incident("c", "2023-11-12", 1200.0, None);
        assert!(compare(&undated, &early).is_none_or(|f| f.kind != FindingKind::Revision));
        // Another day: another event.
        let other = incident("d", "2023-11-12", 500.0, Some("2023-10-17"));
        assert!(compare(&other, &early).is_none_or(|f| f.kind != FindingKind::Revision));
        // The outlet's own 1,400 against a 1,200 pinned on a named claimant.
        let mut narrated = early.clone();
        narrated.claimant = None;
        assert!(compare(&late, &narrated).is_none_or(|f| f.kind != FindingKind::Revision));
    }

    #[test]
    fn far_apart_updates_are_kept_below_the_threshold() {
        let early = figure(
            "a",
            "Wire One",
            Some("2023-11-05"),
            45.0,
            Approximation::AtLeast,
        );
        let late = figure(
            "b",
            "Wire One",
            Some("2023-11-09"),
            10000.0,
            Approximation::MoreThan,
        );
        let f = compare(&late, &early).expect("an update");
        assert_eq!(f.kind, FindingKind::Update);
        assert!(f.confidence < DEFAULT_MIN_CONFIDENCE, "{f:?}");
        assert!(f.reasons.iter().any(|r| r.contains("far apart")));
        let near = figure(
            "c",
            "Wire One",
            Some("2023-11-09"),
            60.0,
            Approximation::AtLeast,
        );
        let f = compare(&near, &early).expect("an update");
        assert!(f.confidence >= DEFAULT_MIN_CONFIDENCE, "{f:?}");
    }

    /// Rule `different_causes`: a disease's dead and a blast's, or two
    /// diseases' dead, are two quantities; a generic `virus` and `flu` may
    /// be one, and a side with no cause decides nothing.
    #[test]
    fn counts_of_different_causes_are_not_compared() {
        let with = |article: &str, value: f64, cause: Option<&str>| {
            let outlet = if article == "a" {
                "Wire One"
            } else {
                "Paper Two"
            };
            let mut c = figure(
                article,
                outlet,
                Some("2023-11-04"),
                value,
                Approximation::Exact,
            );
            c.evidence.sentence = if article == "a" {
                format!("Officials in the capital said {value} people had died.")
            } else {
                format!("According to the clinic, the toll now stands at {value}.")
            };
            c.cause = cause.map(str::to_string);
            c
        };
        let flu = with("a", 40.0, Some("disease:flu"));
        for (other, compared) in [
            (Some("disease:hiv"), false),
            (Some("attack"), false),
            (Some("disease"), true),
            (Some("disease:flu"), true),
            (None, true),
        ] {
            let b = with("b", 40.0, other);
            assert_eq!(compare(&b, &flu).is_some(), compared, "{other:?}");
        }
    }

    /// Rule `different_sites`: one source's counts of two incidents at two
    /// named sites are no update; the same site named twice may be one.
    #[test]
    fn incidents_at_different_sites_are_not_one_count() {
        let incident = |article: &str, day: &str, value: f64, sentence: &str| {
            let mut c = figure(article, "Wire One", Some(day), value, Approximation::Exact);
            c.period = Some(storyline_analyze::figures::Period::Incident);
            c.evidence.sentence = sentence.into();
            c.evidence.sentence_span = Span::new(100, 100 + sentence.len());
            let at = sentence.find(&value.to_string()).unwrap_or(0);
            c.evidence.span = Span::new(100 + at, 100 + at + 2);
            c
        };
        let blast = incident(
            "a",
            "2023-11-04",
            13.0,
            "The ministry said 13 people were killed in a blast outside Al-Tamar hospital.",
        );
        let camp = incident(
            "b",
            "2023-11-05",
            45.0,
            "The ministry says 45 people were killed in a strike at the Ostrel refugee camp.",
        );
        assert!(compare(&camp, &blast).is_none());
        let again = incident(
            "c",
            "2023-11-05",
            45.0,
            "The ministry now says 45 people were killed in the blast at Al-Tamar hospital.",
        );
        assert!(compare(&again, &blast).is_some());
        // A site in another clause (where a witness lives) is not the count's.
        let elsewhere = incident(
            "d",
            "2023-11-05",
            45.0,
            "A doctor who lives in Dravik, speaking by phone, said 45 people were killed.",
        );
        assert!(compare(&elsewhere, &blast).is_some());
    }

    #[test]
    fn undated_figures_are_not_held_against_dated_ones() {
        let a = figure("a", "Wire One", None, 1400.0, Approximation::Exact);
        let b = figure(
            "b",
            "Paper Two",
            Some("2023-11-04"),
            1200.0,
            Approximation::Exact,
        );
        assert!(compare(&b, &a).is_none());
    }

    #[test]
    fn different_keys_never_meet() {
        let a = figure(
            "a",
            "Wire One",
            Some("2023-11-04"),
            2_300_000.0,
            Approximation::Exact,
        );
        let mut b = figure(
            "b",
            "Paper Two",
            Some("2023-11-04"),
            2_000_000.0,
            Approximation::Exact,
        );
        b.key = "figure|population|the south".into();
        assert!(compare(&b, &a).is_none());
    }

    #[test]
    fn opposite_stances_contradict() {
        let mut a = figure(
            "a",
            "Wire One",
            Some("2023-11-09"),
            0.0,
            Approximation::Exact,
        );
        a.kind = ClaimKind::Stance;
        a.key = "stance|gaz:united states|ceasefire".into();
        a.predicate = "ceasefire".into();
        a.position = Some(Position::For);
        let mut b = a.clone();
        b.id = "b-0".into();
        b.evidence.article = ArticleId::for_text("b");
        b.evidence.duplicate_group = b.evidence.article.clone();
        b.evidence.outlet = Some("Reuters".into());
        b.evidence.publisher = Some("reuters".into());
        b.evidence.sentence = "Reuters hears otherwise.".into();
        b.position = Some(Position::Against);
        let f = compare(&b, &a).expect("a finding");
        assert_eq!(f.kind, FindingKind::Contradict);
        b.position = Some(Position::For);
        assert_eq!(compare(&b, &a).map(|f| f.kind), Some(FindingKind::Agree));
    }

    #[test]
    fn stance_changes_over_days_are_updates() {
        let mut a = figure(
            "a",
            "Wire One",
            Some("2025-03-05"),
            0.0,
            Approximation::Exact,
        );
        a.kind = ClaimKind::Stance;
        a.key = "stance|marevia|truce".into();
        a.position = Some(Position::Against);
        let mut b = figure(
            "b",
            "Paper Two",
            Some("2025-03-15"),
            0.0,
            Approximation::Exact,
        );
        b.kind = ClaimKind::Stance;
        b.key = a.key.clone();
        b.position = Some(Position::For);
        let f = compare(&b, &a).expect("a finding");
        assert_eq!(f.kind, FindingKind::Update);
        assert!(f.reason.contains("changes from against"), "{}", f.reason);
    }

    #[test]
    fn claimants_at_odds_in_one_article_contradict() {
        let a = figure(
            "a",
            "Wire One",
            Some("2025-03-09"),
            5000.0,
            Approximation::About,
        );
        let mut b = a.clone();
        b.id.push('9');
        b.value = Some(20000.0);
        b.approximation = Some(Approximation::MoreThan);
        b.evidence.sentence_span = Span::new(11, 40);
        assert!(compare(&b, &a).is_none(), "same claimant, same article");
        b.claimant = Some(ActorRef {
            id: "organisers".into(),
            name: "the organisers".into(),
        });
        assert_eq!(
            compare(&b, &a).map(|f| f.kind),
            Some(FindingKind::Contradict)
        );
    }

    #[test]
    fn counts_from_starts_far_apart_are_two_quantities() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let mut war = figure(
            "a",
            "Wire One",
            Some("2023-11-06"),
            10000.0,
            Approximation::MoreThan,
        );
        let mut earlier_wars = figure(
            "b",
            "Paper Two",
            Some("2023-11-06"),
            5400.0,
            Approximation::About,
        );
        earlier_wars.since = day("2007-01-01");
        // No start stated on one side: over a year apart from the report.
        assert_eq!(compare(&earlier_wars, &war), None);
        war.since = day("2023-10-07");
        assert_eq!(compare(&earlier_wars, &war), None);
        // Starts a day apart (`since Saturday`, `since 7 October`) are one.
        let mut same = figure(
            "c",
            "Paper Three",
            Some("2023-11-06"),
            10000.0,
            Approximation::MoreThan,
        );
        same.since = day("2023-10-08");
        assert_eq!(
            compare(&same, &war).map(|f| f.kind),
            Some(FindingKind::Agree)
        );
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(9061), "9,061");
        assert_eq!(group_thousands(2_300_000), "2,300,000");
        assert_eq!(group_thousands(-12), "-12");
        assert_eq!(group_thousands(0), "0");
    }
}
