//! Findings: what two claims about the same thing say about each other.
//!
//! - **agree**: the same claim from independent sources. Copies (one
//!   near-duplicate group) and repeats by one outlet are not independent and
//!   never make an agreement.
//! - **update**: the same quantity re-reported on a later day with a new
//!   value (a death toll rising), ordered in time.
//! - **contradict**: incompatible values for the same quantity, scope and
//!   day; or opposite positions of the same actor on the same issue; or an
//!   act reported by one source and denied by another.
//!
//! Only claims with the same key are ever compared (see [`crate::claims`]).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storyline_analyze::figures::Approximation;

use crate::claims::{Claim, ClaimKind, Evidence, Position};

/// What two claims say about each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    /// Independent sources say the same.
    Agree,
    /// A later report changes an earlier figure.
    Update,
    /// They cannot both be true.
    Contradict,
}

impl FindingKind {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Agree => "agree",
            FindingKind::Update => "update",
            FindingKind::Contradict => "contradict",
        }
    }

    /// Parses the lowercase name.
    pub fn parse(s: &str) -> Option<FindingKind> {
        match s {
            "agree" => Some(FindingKind::Agree),
            "update" => Some(FindingKind::Update),
            "contradict" => Some(FindingKind::Contradict),
            _ => None,
        }
    }
}

/// One side of a finding: enough of a claim to read the finding alone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    pub claims: [FindingSide; 2],
}

/// Whether two claims come from independent sources, and if not, why.
pub fn independence(a: &Claim, b: &Claim) -> Result<(), &'static str> {
    if a.evidence.article == b.evidence.article {
        return Err("the same article");
    }
    if a.evidence.duplicate_group == b.evidence.duplicate_group {
        return Err("copies of one article");
    }
    match (&a.evidence.outlet, &b.evidence.outlet) {
        (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => Err("the same outlet"),
        _ => Ok(()),
    }
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
    let tol = (v.abs() * 0.005).max(0.5);
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
    let id = format!(
        "{:016x}",
        stable_hash(&[kind.as_str(), &first.id, &second.id])
    );
    Finding {
        id,
        kind,
        key: first.key.clone(),
        reason,
        claims: [FindingSide::of(first), FindingSide::of(second)],
    }
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
                | C::Arrested
                | C::Detained
        )
    )
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
        format!(
            "{} and {later}{} give the same figure, {}",
            who(first),
            who(second),
            fmt_value(second)
        ),
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
    let has = |c: &Claim| c.place.as_deref().is_some_and(|p| !p.trim().is_empty());
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
    let independent = independence(new, old);
    if independent == Err("the same article") {
        // Two claimants at odds in one article (police and organisers on a
        // crowd's size) is a contradiction the article itself reports;
        // anything else within one article is one source saying one thing.
        let differ = match (&new.claimant, &old.claimant) {
            (Some(a), Some(b)) => a.id != b.id,
            _ => false,
        };
        if !differ {
            return None;
        }
        return match new.kind {
            ClaimKind::Figure
                if !compatible(new, old) && new.as_of == old.as_of && scoped(new, old) =>
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
        ClaimKind::Figure => {
            if new.earlier || old.earlier || !related(new, old) {
                return None;
            }
            let same = compatible(new, old);
            match (first.as_of, second.as_of) {
                (Some(a), Some(b)) if a == b => {
                    if same {
                        independent
                            .ok()
                            .map(|()| agree_on_figure(first, second, ""))
                    } else if !scoped(first, second) {
                        // Two tolls with no place may count different
                        // things (an attack's dead, a war's dead; hospital
                        // admissions, one shelling's wounded): too weak to
                        // call a contradiction.
                        None
                    } else {
                        Some(finding(
                            FindingKind::Contradict,
                            first,
                            second,
                            format!(
                                "for the same day, {} gives {} and {} gives {}",
                                who(first),
                                fmt_value(first),
                                who(second),
                                fmt_value(second)
                            ),
                        ))
                    }
                }
                (Some(_), Some(_)) => {
                    // Across days the numbers themselves are compared: `at
                    // least 23` then `at least 37` is a toll rising, not
                    // two compatible lower bounds.
                    let same = match (first.value, second.value) {
                        (Some(a), Some(b)) => (a - b).abs() <= (a.abs() * 0.005).max(0.5),
                        _ => same,
                    };
                    if same {
                        independent
                            .ok()
                            .map(|()| agree_on_figure(first, second, "later "))
                    } else if !cumulative(first) {
                        // A pledge, a price, a population: a different
                        // number on another day is another quantity, not
                        // a revision.
                        None
                    } else {
                        let verb = match (first.value, second.value) {
                            (Some(a), Some(b)) if b > a => "rises",
                            (Some(a), Some(b)) if b < a => "falls",
                            _ => "changes",
                        };
                        Some(finding(
                            FindingKind::Update,
                            first,
                            second,
                            format!(
                                "the figure {verb} from {} ({}) to {} ({})",
                                fmt_value(first),
                                who(first),
                                fmt_value(second),
                                who(second)
                            ),
                        ))
                    }
                }
                // An undated figure can agree with another, but cannot be
                // ordered or held against one.
                _ => (same && independent.is_ok()).then(|| agree_on_figure(first, second, "")),
            }
        }
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

/// Whether a stored claim supports (`Some(true)`) or contradicts
/// (`Some(false)`) a claim being checked, which has no date or outlet of
/// its own; `None` when they are not about the same thing.
pub fn supports(query: &Claim, stored: &Claim) -> Option<bool> {
    if query.key != stored.key || query.kind != stored.kind {
        return None;
    }
    match query.kind {
        ClaimKind::Figure => Some(compatible(query, stored)),
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
            value: Some(value),
            value_high: None,
            approximation: Some(approx),
            category: Some(storyline_analyze::figures::Category::Killed),
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
                published: None,
                published_provenance: "header".into(),
                duplicate_group: id,
                sentence: format!("{value} people were killed."),
                sentence_span: Span::new(0, 10),
                span: Span::new(0, 4),
            },
        }
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
            1200.0,
            Approximation::Exact,
        );
        assert_eq!(
            compare(&b, &a).map(|f| f.kind),
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
        assert_eq!(compare(&d, &b).map(|f| f.kind), Some(FindingKind::Agree));
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
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(9061), "9,061");
        assert_eq!(group_thousands(2_300_000), "2,300,000");
        assert_eq!(group_thousands(-12), "-12");
        assert_eq!(group_thousands(0), "0");
    }
}
