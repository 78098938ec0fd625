//! The frame of a figure: which span of time it covers (a running total,
//! one incident, a rate, a stock), where that span starts, which time
//! expression is the day it is reported as true, and who is counted.
//!
//! A count is only comparable with another of the same frame: `9,061 killed
//! in Gaza since 7 October` is a running total as of the day it was said,
//! never a count "of 7 October"; `1,400 killed in the attack` is one
//! incident; `100 trucks a day` is a rate. The vocabulary is data
//! (`lang/en/figure_periods.tsv`, `lang/en/populations.tsv`), each period
//! rule named so an evaluation can count what it decides.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use storyline_core::Span;

use super::words::Word;
use crate::lang::{data_lines, word_set};
use crate::timex::{Timex, TimexType};

const PERIODS_TSV: &str = include_str!("../../lang/en/figure_periods.tsv");
const POPULATIONS_TSV: &str = include_str!("../../lang/en/populations.tsv");
const ACTS_TSV: &str = include_str!("../../lang/en/acts.tsv");
const PLACE_NOUNS_TSV: &str = include_str!("../../lang/en/place_nouns.tsv");
const MEASURES_TSV: &str = include_str!("../../lang/en/measures.tsv");
const FRACTIONS_TSV: &str = include_str!("../../lang/en/fractions.tsv");
const SCENE_PREPS_TSV: &str = include_str!("../../lang/en/scene_preps.tsv");
const LANDMARK_PREPS_TSV: &str = include_str!("../../lang/en/landmark_preps.tsv");
const EVENT_LINKS_TSV: &str = include_str!("../../lang/en/event_links.tsv");
const COUNT_NOUNS_TSV: &str = include_str!("../../lang/en/count_nouns.tsv");
const PROJECTION_CUES_TSV: &str = include_str!("../../lang/en/projection_cues.tsv");
const MODAL_SCOPE_TSV: &str = include_str!("../../lang/en/modal_scope.tsv");
const EVENT_CLAUSES_TSV: &str = include_str!("../../lang/en/event_clauses.tsv");
const KIN_NOUNS_TSV: &str = include_str!("../../lang/en/kin_nouns.tsv");
const SUPERLATIVES_TSV: &str = include_str!("../../lang/en/superlatives.tsv");
const INCREMENT_VERBS_TSV: &str = include_str!("../../lang/en/increment_verbs.tsv");
const SPAN_WORDS_TSV: &str = include_str!("../../lang/en/span_words.tsv");
const RELEASE_DEMANDS_TSV: &str = include_str!("../../lang/en/release_demands.tsv");
const PAST_EPISODES_TSV: &str = include_str!("../../lang/en/past_episodes.tsv");
const CAUSES_TSV: &str = include_str!("../../lang/en/causes.tsv");

/// What span of time a figure covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// The text does not say.
    #[default]
    Unspecified,
    /// A running total (`since 7 October`, `so far`, `the death toll`).
    Cumulative,
    /// One event (`in the strike on the camp`, `the attack killed`).
    Incident,
    /// Per unit of time (`a day`, `per week`).
    Rate,
    /// How many are in a state at a time (hostages held, people sheltering, a population).
    Stock,
}

impl Period {
    /// The snake_case name used in JSON, keys and labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Unspecified => "unspecified",
            Period::Cumulative => "cumulative",
            Period::Incident => "incident",
            Period::Rate => "rate",
            Period::Stock => "stock",
        }
    }

    fn parse(s: &str) -> Option<Period> {
        Some(match s {
            "cumulative" => Period::Cumulative,
            "incident" => Period::Incident,
            "rate" => Period::Rate,
            "stock" => Period::Stock,
            _ => return None,
        })
    }
}

/// One line of `figure_periods.tsv`.
#[derive(Debug)]
struct PeriodRule {
    name: String,
    period: Period,
    whole_sentence: bool,
    window: Option<usize>,
    words: Vec<String>,
}

/// The figure vocabulary, parsed once.
#[derive(Debug)]
pub(crate) struct FrameLexicon {
    rules: Vec<PeriodRule>,
    populations: Vec<(Vec<String>, String)>,
    /// Nouns of an act whose possessor is its actor (`acts.tsv`).
    acts: std::collections::HashSet<String>,
    /// Directions written before a place (`place_nouns.tsv`, `compass`).
    compass: std::collections::HashSet<String>,
    /// Generic place nouns (`place_nouns.tsv`, `noun`).
    place_nouns: std::collections::HashSet<String>,
    /// Parts of a place (`place_nouns.tsv`, `part`).
    place_parts: std::collections::HashSet<String>,
    /// Counted nouns that name their measure (`measures.tsv`, `head`).
    measure_heads: std::collections::HashMap<String, super::Category>,
    /// Predicate words that name a measure (`measures.tsv`, `verb`).
    measure_verbs: std::collections::HashMap<String, super::Category>,
    /// Words that name a measure only right before the number (`before`).
    measure_before: std::collections::HashMap<String, super::Category>,
    /// Words that make a number a share (`fractions.tsv`).
    fractions: std::collections::HashSet<String>,
    /// Words before a place that make it an article's scene (`scene_preps.tsv`).
    scene_preps: std::collections::HashSet<String>,
    /// Words before a place that make it a landmark (`landmark_preps.tsv`).
    landmark_preps: std::collections::HashSet<String>,
    /// Relatives (`kin_nouns.tsv`): a count of them is one family's.
    kin_nouns: std::collections::HashSet<String>,
    /// Superlatives of record (`superlatives.tsv`): a `since` after one
    /// dates the record, not a count's period.
    superlatives: std::collections::HashSet<String>,
    /// Verbs that carry a count on to a new total (`increment_verbs.tsv`).
    increment_verbs: std::collections::HashSet<String>,
    /// Words that make `a month` after them a span (`span_words.tsv`).
    span_words: std::collections::HashSet<String>,
    /// Words that make a release a demand (`release_demands.tsv`).
    release_demands: std::collections::HashSet<String>,
    /// Words that put an episode before the present one (`past_episodes.tsv`).
    past_qualifiers: std::collections::HashSet<String>,
    /// Nouns for an episode of a conflict or a crisis (`past_episodes.tsv`).
    episodes: std::collections::HashSet<String>,
    /// Words that name what a count's people suffered from (`causes.tsv`).
    causes: std::collections::HashMap<String, String>,
    /// Phrases that open another event in a sentence (`event_links.tsv`),
    /// longest first.
    event_links: Vec<Vec<String>>,
    /// Nouns of `the number of X` (`count_nouns.tsv`, `noun`).
    count_nouns: std::collections::HashSet<String>,
    /// Words between `of` and the counted noun (`count_nouns.tsv`, `qualifier`).
    count_qualifiers: std::collections::HashSet<String>,
    /// Words that make a count a projection (`projection_cues.tsv`).
    projection_cues: std::collections::HashSet<String>,
    /// How far a modal reaches (`modal_scope.tsv`), by role.
    modal_openers: std::collections::HashSet<String>,
    /// See `modal_openers`.
    modal_verb_group: std::collections::HashSet<String>,
    /// See `modal_openers`.
    conditions: std::collections::HashSet<String>,
    /// Phrases opening a clause about a time just named (`event_clauses.tsv`).
    event_clauses: Vec<Vec<String>>,
    /// Lines that did not parse, with their numbers: skipped at run time,
    /// kept for the test that keeps the embedded files whole.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) bad_lines: Vec<(&'static str, usize)>,
}

/// A file of `word<TAB>role` lines: one set of words per role of `roles`,
/// in that order; a line with another role or not one word is recorded in
/// `bad_lines` and skipped.
fn role_sets<const N: usize>(
    text: &str,
    file: &'static str,
    roles: [&str; N],
    bad_lines: &mut Vec<(&'static str, usize)>,
) -> [std::collections::HashSet<String>; N] {
    let mut sets: [std::collections::HashSet<String>; N] =
        std::array::from_fn(|_| Default::default());
    for (n, cols) in data_lines(text) {
        match cols.as_slice() {
            [w, role] if !w.is_empty() && !w.contains(' ') => {
                match roles.iter().position(|r| r == role) {
                    Some(i) => {
                        sets[i].insert(w.to_string());
                    }
                    None => bad_lines.push((file, n)),
                }
            }
            _ => bad_lines.push((file, n)),
        }
    }
    sets
}

fn parse_lexicon() -> FrameLexicon {
    let mut bad_lines = Vec::new();
    let mut rules = Vec::new();
    for (n, cols) in data_lines(PERIODS_TSV) {
        let rule = match cols.as_slice() {
            [name, period, scope, window, phrase] => Period::parse(period).and_then(|period| {
                let whole_sentence = match *scope {
                    "sentence" => true,
                    "clause" => false,
                    _ => return None,
                };
                let window = match *window {
                    "-" => None,
                    w => Some(w.parse().ok()?),
                };
                Some(PeriodRule {
                    name: name.to_string(),
                    period,
                    whole_sentence,
                    window,
                    words: phrase.split(' ').map(str::to_string).collect(),
                })
            }),
            _ => None,
        };
        match rule {
            Some(r) => rules.push(r),
            None => bad_lines.push(("figure_periods.tsv", n)),
        }
    }
    let mut populations = Vec::new();
    for (n, cols) in data_lines(POPULATIONS_TSV) {
        match cols.as_slice() {
            [phrase, label] if !phrase.is_empty() && !label.is_empty() => populations.push((
                phrase.split(' ').map(str::to_string).collect(),
                label.to_string(),
            )),
            _ => bad_lines.push(("populations.tsv", n)),
        }
    }
    // Longest phrases first, so `aid workers` is tried before `workers`.
    populations.sort_by_key(|(p, _): &(Vec<String>, String)| std::cmp::Reverse(p.len()));
    let acts = word_set(ACTS_TSV, "acts.tsv", &mut bad_lines);
    let (mut compass, mut place_nouns, mut place_parts) = Default::default();
    for (n, cols) in data_lines(PLACE_NOUNS_TSV) {
        let set: &mut std::collections::HashSet<String> = match cols.as_slice() {
            [_, "compass"] => &mut compass,
            [_, "noun"] => &mut place_nouns,
            [_, "part"] => &mut place_parts,
            _ => {
                bad_lines.push(("place_nouns.tsv", n));
                continue;
            }
        };
        match cols[0] {
            w if !w.is_empty() && !w.contains(' ') => {
                set.insert(w.to_string());
            }
            _ => bad_lines.push(("place_nouns.tsv", n)),
        }
    }
    let (mut measure_heads, mut measure_verbs, mut measure_before) = Default::default();
    for (n, cols) in data_lines(MEASURES_TSV) {
        let map: &mut std::collections::HashMap<String, super::Category> = match cols.as_slice() {
            [_, "head", _] => &mut measure_heads,
            [_, "verb", _] => &mut measure_verbs,
            [_, "before", _] => &mut measure_before,
            _ => {
                bad_lines.push(("measures.tsv", n));
                continue;
            }
        };
        match (cols[0], super::Category::parse(cols[2])) {
            (w, Some(c)) if !w.is_empty() && !w.contains(' ') => {
                map.insert(w.to_string(), c);
            }
            _ => bad_lines.push(("measures.tsv", n)),
        }
    }
    let fractions = word_set(FRACTIONS_TSV, "fractions.tsv", &mut bad_lines);
    let scene_preps = word_set(SCENE_PREPS_TSV, "scene_preps.tsv", &mut bad_lines);
    let landmark_preps = word_set(LANDMARK_PREPS_TSV, "landmark_preps.tsv", &mut bad_lines);
    let kin_nouns = word_set(KIN_NOUNS_TSV, "kin_nouns.tsv", &mut bad_lines);
    let superlatives = word_set(SUPERLATIVES_TSV, "superlatives.tsv", &mut bad_lines);
    let increment_verbs = word_set(INCREMENT_VERBS_TSV, "increment_verbs.tsv", &mut bad_lines);
    let span_words = word_set(SPAN_WORDS_TSV, "span_words.tsv", &mut bad_lines);
    let release_demands = word_set(RELEASE_DEMANDS_TSV, "release_demands.tsv", &mut bad_lines);
    let mut causes = std::collections::HashMap::new();
    for (n, cols) in data_lines(CAUSES_TSV) {
        match cols.as_slice() {
            [w, cause] if !w.is_empty() && !w.contains(' ') && !cause.is_empty() => {
                causes.insert(w.to_string(), cause.to_string());
            }
            _ => bad_lines.push(("causes.tsv", n)),
        }
    }
    let [past_qualifiers, episodes] = role_sets(
        PAST_EPISODES_TSV,
        "past_episodes.tsv",
        ["qualifier", "episode"],
        &mut bad_lines,
    );
    let mut event_links: Vec<Vec<String>> = Vec::new();
    for (n, cols) in data_lines(EVENT_LINKS_TSV) {
        match cols.as_slice() {
            [phrase] if !phrase.is_empty() => {
                event_links.push(phrase.split(' ').map(str::to_string).collect());
            }
            _ => bad_lines.push(("event_links.tsv", n)),
        }
    }
    event_links.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let [count_nouns, count_qualifiers] = role_sets(
        COUNT_NOUNS_TSV,
        "count_nouns.tsv",
        ["noun", "qualifier"],
        &mut bad_lines,
    );
    let projection_cues = word_set(PROJECTION_CUES_TSV, "projection_cues.tsv", &mut bad_lines);
    let [modal_openers, modal_verb_group, conditions] = role_sets(
        MODAL_SCOPE_TSV,
        "modal_scope.tsv",
        ["opener", "verb_group", "condition"],
        &mut bad_lines,
    );
    let event_clauses = data_lines(EVENT_CLAUSES_TSV)
        .filter_map(|(n, cols)| match cols.as_slice() {
            [p] if !p.is_empty() => Some(p.split(' ').map(str::to_string).collect()),
            _ => {
                bad_lines.push(("event_clauses.tsv", n));
                None
            }
        })
        .collect();
    FrameLexicon {
        rules,
        populations,
        acts,
        compass,
        place_nouns,
        place_parts,
        measure_heads,
        measure_verbs,
        measure_before,
        fractions,
        scene_preps,
        landmark_preps,
        kin_nouns,
        superlatives,
        increment_verbs,
        span_words,
        release_demands,
        past_qualifiers,
        episodes,
        causes,
        event_links,
        count_nouns,
        count_qualifiers,
        projection_cues,
        modal_openers,
        modal_verb_group,
        conditions,
        event_clauses,
        bad_lines,
    }
}

/// Whether `w` (lower case) after a number makes it a share, not a count
/// (`fractions.tsv`: `two thirds`).
pub fn is_fraction_word(w: &str) -> bool {
    lexicon().fractions.contains(w)
}

/// Whether `w` (lower case) before a place makes it the scene of what an
/// article tells (`scene_preps.tsv`: `in`, `across`).
pub fn is_scene_prep(w: &str) -> bool {
    lexicon().scene_preps.contains(w)
}

/// Whether `w` (lower case) before a place makes it a landmark, which
/// what is counted is not in (`landmark_preps.tsv`: `near`, `outside`).
pub fn is_landmark_prep(w: &str) -> bool {
    lexicon().landmark_preps.contains(w)
}

/// Whether `w` (lower case) is a month's name: after `in`, a date, not a
/// place.
pub fn is_month(w: &str) -> bool {
    super::lexicon::is_month(w)
}

/// Whether `w` names a relative (`kin_nouns.tsv`: `sisters`, `cousins`).
pub(crate) fn is_kin_noun(w: &str) -> bool {
    lexicon().kin_nouns.contains(w)
}

/// The length in words of the phrase opening another event that starts at
/// `words[0]` (`event_links.tsv`: `in retaliation for`), if one does.
pub(crate) fn event_link_at(words: &[&str]) -> Option<usize> {
    lexicon()
        .event_links
        .iter()
        .find(|p| p.len() <= words.len() && p.iter().zip(words).all(|(a, b)| a == b))
        .map(Vec::len)
}

/// Whether `w` (lower case) introduces a counted noun after `of`
/// (`count_nouns.tsv`: `number`, `tally`).
pub(crate) fn is_count_noun(w: &str) -> bool {
    lexicon().count_nouns.contains(w)
}

/// Whether `w` (lower case) may stand between `the number of` and the
/// counted noun (`count_nouns.tsv`: `confirmed`).
pub(crate) fn is_count_qualifier(w: &str) -> bool {
    lexicon().count_qualifiers.contains(w)
}

/// Whether `w` (lower case) makes a count in its sentence a projection
/// (`projection_cues.tsv`: `scenario`, `projected`).
pub(crate) fn is_projection_cue(w: &str) -> bool {
    lexicon().projection_cues.contains(w)
}

/// What `w` (lower case) does to a modal's reach (`modal_scope.tsv`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ModalScope {
    /// Opens another clause or a comparison.
    Opener,
    /// May stand between a modal and its verb.
    VerbGroup,
    /// Opens a condition.
    Condition,
}

/// The role of `w` (lower case) in `modal_scope.tsv`, if any.
pub(crate) fn modal_scope(w: &str) -> Option<ModalScope> {
    let lex = lexicon();
    if lex.modal_openers.contains(w) {
        Some(ModalScope::Opener)
    } else if lex.modal_verb_group.contains(w) {
        Some(ModalScope::VerbGroup)
    } else if lex.conditions.contains(w) {
        Some(ModalScope::Condition)
    } else {
        None
    }
}

/// Whether `w` (lower case) is a direction written before a place
/// (`place_nouns.tsv`).
pub fn is_compass(w: &str) -> bool {
    lexicon().compass.contains(w)
}

/// Whether `w` (lower case) names a part of a place (`place_nouns.tsv`).
pub(crate) fn is_place_part(w: &str) -> bool {
    lexicon().place_parts.contains(w)
}

/// Whether the release word at `k` is a demand or a goal, not a release
/// that happened (rule `release_demanded`): right after `to` (`its
/// commitment to release`), or within four words of a word of
/// `release_demands.tsv` (`demanding the release of`, `called for the
/// immediate release of`).
pub(crate) fn release_demanded(words: &[Word<'_>], k: usize) -> bool {
    let lower = |j: usize| words.get(j).map_or("", |w| w.lower.as_str());
    k > 0 && lower(k - 1) == "to"
        || (k.saturating_sub(4)..k).any(|j| lexicon().release_demands.contains(lower(j)))
}

/// Rule `past_episode`: whether the count ending at word `end` is set in
/// earlier episodes of the story (`about 5,400 killed in Gaza in all of
/// Israel's previous conflicts with Hamas`): a qualifier of
/// `past_episodes.tsv` right before an episode noun (one word may stand
/// between), after the count and before its phrase ends. Such a count is
/// an earlier value, compared with nothing the news counts now.
pub(crate) fn past_episode(words: &[Word<'_>], end: usize) -> bool {
    let lex = lexicon();
    let lower = |j: usize| words.get(j).map_or("", |w| w.lower.as_str());
    // The count's own phrase: a comma or a dash sets off another count
    // (`16,000 homes - adding to 2,200 … from previous wars`).
    let stop = (end..words.len())
        .find(|&j| is_clause_break(words, j) || matches!(lower(j), "," | "-" | "(" | "and"))
        .unwrap_or(words.len());
    (end..stop).any(|j| {
        lex.past_qualifiers.contains(lower(j))
            && (lex.episodes.contains(lower(j + 1))
                || j + 2 < stop && lex.episodes.contains(lower(j + 2)))
    })
}

/// What the people a count ending at word `end` (from `start`) counts
/// suffered from (`causes.tsv`): the cause word of its sentence nearest
/// the number, if any (rule `different_causes` compares them).
pub(crate) fn cause_near(words: &[Word<'_>], start: usize, end: usize) -> Option<String> {
    let causes = &lexicon().causes;
    let dist = |j: usize| {
        if j < start {
            start - j
        } else {
            j.saturating_sub(end)
        }
    };
    words
        .iter()
        .enumerate()
        .filter(|&(j, _)| j < start || j >= end)
        .filter_map(|(j, w)| causes.get(w.lower.as_str()).map(|c| (dist(j), c)))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c.clone())
}

/// Whether `w` (lower case) is a generic place noun (`place_nouns.tsv`).
pub fn is_place_noun(w: &str) -> bool {
    lexicon().place_nouns.contains(w)
}

/// The measure a counted noun names whatever its verb (`measures.tsv`).
pub(crate) fn measure_of_head(w: &str) -> Option<super::Category> {
    lexicon().measure_heads.get(w).copied()
}

/// The measure a predicate word names (`measures.tsv`).
pub(crate) fn measure_of_verb(w: &str) -> Option<super::Category> {
    lexicon().measure_verbs.get(w).copied()
}

/// The measure a word names only when it stands right before the number
/// (`measures.tsv`, `before`).
pub(crate) fn measure_only_before(w: &str) -> Option<super::Category> {
    lexicon().measure_before.get(w).copied()
}

/// Whether `w` (lower case) is the noun of an act (`acts.tsv`).
pub fn is_act_noun(w: &str) -> bool {
    lexicon().acts.contains(w)
}

/// The embedded figure vocabulary.
pub(crate) fn lexicon() -> &'static FrameLexicon {
    static LEXICON: OnceLock<FrameLexicon> = OnceLock::new();
    LEXICON.get_or_init(parse_lexicon)
}

/// The frame found for one figure.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Frame {
    pub period: Period,
    /// The rule that decided `period` (a name from the data file, or one of
    /// the built-in fallbacks: `stock_population`, `cumulative_perfect`,
    /// `incident_dated`).
    pub rule: Option<String>,
    /// The time expression that starts a running total.
    pub since: Option<usize>,
    /// The time expression the count is reported as of.
    pub as_of: Option<usize>,
    /// The day of the incident.
    pub on: Option<usize>,
}

/// Words that end a clause for the purpose of a figure's frame.
fn is_clause_break(words: &[Word<'_>], k: usize) -> bool {
    let w = words[k].lower.as_str();
    // Not `, and`: coordinated predicates share their adjuncts (`killed
    // 1,400 and took 240 hostages in the attacks on Oct. 7`).
    matches!(w, ";" | ":" | "—" | "–" | "while" | "whereas" | "but")
}

/// The clause of words `a..b`: from after the last break before `a` to the
/// first break at or after `b`.
fn clause_of(words: &[Word<'_>], a: usize, b: usize) -> (usize, usize) {
    let start = (0..a)
        .rev()
        .find(|&k| is_clause_break(words, k))
        .map_or(0, |k| k + 1);
    let end = (b..words.len())
        .find(|&k| is_clause_break(words, k))
        .unwrap_or(words.len());
    (start, end)
}

/// Auxiliaries that, after a `since` clause has its own verb, start the
/// main clause again (`the number killed since Israel began its strikes
/// had risen to 3,300`).
fn is_finite_aux(w: &str) -> bool {
    matches!(
        w,
        "has" | "have" | "had" | "is" | "are" | "was" | "were" | "will" | "would"
    )
}

/// The `since` clauses of a sentence as word ranges, `since` included:
/// `since the group killed 1,200 people in Israel on 7 October`. What such a
/// clause counts is the event a running total starts from — background the
/// outlet supplies, not the count the sentence reports — and its dates are
/// the period's start, never the day the count was given.
///
/// A clause runs to the next punctuation break, to `according`, or to an
/// auxiliary that restarts the main clause once the `since` clause has
/// words of its own.
pub(crate) fn since_clauses(words: &[Word<'_>]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (k, w) in words.iter().enumerate() {
        if w.lower != "since" {
            continue;
        }
        // `Since then, 9,000 people have been killed`: a time adverb, not
        // a clause; the count is the sentence's own.
        if words.get(k + 1).is_some_and(|w| w.lower == "then") {
            out.push((k, k + 2));
            continue;
        }
        out.push((k, with_participle(words, k, clause_end(words, k))));
    }
    out
}

/// Where the clause a conjunction at word `k` opens ends: at the next
/// punctuation break, at `according`, or at an auxiliary that restarts the
/// main clause once the clause has words of its own.
fn clause_end(words: &[Word<'_>], k: usize) -> usize {
    (k + 1..words.len())
        .find(|&j| {
            let x = words[j].lower.as_str();
            matches!(x, "," | ";" | ":" | "—" | "–" | "(" | "according")
                || x == "-" && j > k + 1
                || j > k + 2 && is_finite_aux(x)
        })
        .unwrap_or(words.len())
}

/// The `after` clauses of a sentence with a past verb of their own, as word
/// ranges, the conjunction included, and with the participle phrase right
/// after their comma (`, killing 1,400 people`, as for a `since` clause):
/// `Israel has expanded its strikes, three weeks after Hamas launched an
/// attack that killed 1,400 people`; of a `when` clause with a past verb,
/// only that participle phrase (`the war, which started when Hamas gunmen
/// attacked Israel, killing 1,400 people`). Like a
/// `since` clause, such a clause recalls the event the sentence's news
/// follows: its counts are background the outlet supplies, not what the
/// sentence's speaker is quoted saying (rules `after_clause_background`,
/// `when_clause_background`). `after 7 October` or `after two days`, with
/// no verb, is only a time.
pub(crate) fn background_clauses(words: &[Word<'_>]) -> Vec<(usize, usize)> {
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| matches!(w.lower.as_str(), "after" | "when"))
        .filter_map(|(k, w)| {
            let end = clause_end(words, k);
            if !has_past_verb(words, k + 1, end) {
                return None;
            }
            let whole = joined_participles(words, participle_end(words, end));
            if w.lower == "after" {
                Some((k, whole))
            } else {
                // `stunned lawmakers when he apologized for a $20 billion
                // shakedown` is the news itself: only the toll a `when`
                // clause's event left, in its participle phrase, is
                // background.
                (whole > end).then_some((end, whole))
            }
        })
        .collect()
}

/// Whether words `from..to` hold a past verb (`launched`, `had attacked`).
fn has_past_verb(words: &[Word<'_>], from: usize, to: usize) -> bool {
    let lower = |j: usize| words.get(j).map_or("", |w| w.lower.as_str());
    (from..to).any(|j| {
        let prev = (j > 0).then(|| lower(j - 1));
        crate::timex::is_past_verb(lower(j), prev)
    })
}

/// Where a phrase that runs from word `from` ends: at the next
/// punctuation break, `and` or `according`.
fn phrase_end(words: &[Word<'_>], from: usize) -> usize {
    (from..words.len())
        .find(|&j| {
            matches!(
                words[j].lower.as_str(),
                "," | ";" | ":" | "—" | "–" | "(" | "and" | "according"
            )
        })
        .unwrap_or(words.len())
}

/// Where a participle phrase ending at word `end` ends once the phrases
/// joined to it by `and` are taken too (`killing 1,400 people and taking
/// 242 hostages`): a participle of a measure, or one a number follows
/// within three words.
fn joined_participles(words: &[Word<'_>], mut end: usize) -> usize {
    use super::number::{read_number, Read};
    let lower = |j: usize| words.get(j).map_or("", |w| w.lower.as_str());
    let counts = |j: usize| {
        (j + 1..(j + 4).min(words.len())).any(|n| matches!(read_number(words, n), Read::Num(_)))
    };
    while lower(end) == "and"
        && lower(end + 1).ends_with("ing")
        && (measure_of_verb(lower(end + 1)).is_some() || counts(end + 1))
    {
        end = phrase_end(words, end + 2);
    }
    end
}

/// A `since` clause with a verb of its own (`since the rig exploded on 20
/// April`) owns the participle phrase right after its comma (`, killing 11
/// workers`): those dead are the exploding's, one incident recalled, not a
/// running total since. A clause without a verb (`since 7 October,
/// killing …`) leaves the participle to the main clause. The participles
/// are the `verb` words of `measures.tsv` that end in `-ing` (rule
/// `since_clause_participle`).
fn with_participle(words: &[Word<'_>], start: usize, end: usize) -> usize {
    if has_past_verb(words, start + 1, end) {
        participle_end(words, end)
    } else {
        end
    }
}

/// Where the clause ending at word `end` ends once the participle phrase
/// right after its comma is taken (`, killing 11 workers`); `end` when no
/// participle of a measure follows the comma.
fn participle_end(words: &[Word<'_>], end: usize) -> usize {
    let lower = |j: usize| words.get(j).map_or("", |w| w.lower.as_str());
    let next = lower(end + 1);
    if lower(end) == "," && next.ends_with("ing") && measure_of_verb(next).is_some() {
        phrase_end(words, end + 2)
    } else {
        end
    }
}

/// Why the `since` at word `s` does not start the period of the figure at
/// words `a..b` (its counted noun included), if it does not:
/// - rule `since_of_record`: it follows a superlative of record in its
///   clause (`the deadliest week for Palestinians since it began reporting
///   in 2005`): it dates the record compared against.
/// - rule `since_in_relative_clause`: it sits in a relative clause that
///   neither holds the figure nor hangs on its counted noun (`… according
///   to the ministry in the territory, which has been blockaded since
///   2007`; `Hamas, which has governed Gaza since 2007, says …`). A clause
///   on the counted noun (`1.5 million people who have fled since 7
///   October`) does date the count.
pub(crate) fn since_not_the_counts(
    words: &[Word<'_>],
    s: usize,
    a: usize,
    b: usize,
) -> Option<&'static str> {
    let is_break = |k: usize| {
        matches!(
            words[k].lower.as_str(),
            "," | ";" | ":" | "—" | "–" | "(" | ")"
        )
    };
    let clause_start = (0..s).rev().find(|&k| is_break(k)).map_or(0, |k| k + 1);
    let lex = lexicon();
    if (clause_start..s).any(|k| lex.superlatives.contains(words[k].lower.as_str())) {
        return Some("since_of_record");
    }
    let r = (clause_start..s)
        .rev()
        .find(|&k| matches!(words[k].lower.as_str(), "which" | "who" | "whom" | "whose"))?;
    let end = (s..words.len())
        .find(|&k| is_break(k))
        .unwrap_or(words.len());
    let holds_figure = r < a && a < end;
    let on_counted_noun = r >= b && r <= b + 1;
    (!holds_figure && !on_counted_noun).then_some("since_in_relative_clause")
}

/// Rule `increment_of_total`: the count ending at word `b` is one step of
/// a running total when its clause runs on, after a comma, into a verb of
/// `increment_verbs.tsv` and `to` a number (`12 more died on Monday,
/// bringing the death toll to 230`): an incident, never the total itself.
fn increment_of_total(
    verbs: &std::collections::HashSet<String>,
    words: &[Word<'_>],
    b: usize,
) -> bool {
    let Some(comma) = (b..words.len().min(b + 12)).find(|&k| {
        let w = words[k].lower.as_str();
        w == ","
            || matches!(w, ";" | ":" | "." | "—" | "–")
            || w.starts_with(|c: char| c.is_ascii_digit())
    }) else {
        return false;
    };
    if words[comma].lower != ","
        || !words
            .get(comma + 1)
            .is_some_and(|w| verbs.contains(&w.lower))
    {
        return false;
    }
    (comma + 2..words.len().min(comma + 9)).any(|k| {
        words[k].lower == "to"
            && words
                .get(k + 1)
                .is_some_and(|w| w.lower.starts_with(|c: char| c.is_ascii_digit()))
    })
}

/// The clause (of `clauses`: `since` or `after` ones) that holds word `k`,
/// if any.
pub(crate) fn clause_holding(clauses: &[(usize, usize)], k: usize) -> Option<(usize, usize)> {
    clauses.iter().copied().find(|&(s, e)| s < k && k < e)
}

/// The date-like time expressions of a sentence with the word range each covers.
fn dated(words: &[Word<'_>], timexes: &[Timex], sentence: Span) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (ti, t) in timexes.iter().enumerate() {
        if !matches!(t.kind, TimexType::Date | TimexType::Time)
            || t.span.start < sentence.start
            || t.span.end > sentence.end
        {
            continue;
        }
        let first = words.iter().position(|w| w.span.start >= t.span.start);
        let last = words.iter().rposition(|w| w.span.end <= t.span.end);
        if let (Some(a), Some(b)) = (first, last) {
            if a <= b {
                out.push((ti, a, b + 1));
            }
        }
    }
    out
}

/// What a time expression is to the figures of its sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TimeRole {
    /// `since 7 October`, `the war began on 7 October`.
    Since,
    /// `the ministry said on Tuesday`, `as of Monday`, `by Sunday`.
    Reported,
    /// Any other date: when something happened.
    Event,
}

fn role_of(words: &[Word<'_>], a: usize, b: usize, is_cue: impl Fn(&str) -> bool) -> TimeRole {
    let before = |n: usize| (a.saturating_sub(n)..a).map(|k| words[k].lower.as_str());
    if before(2).any(|w| matches!(w, "since" | "from")) {
        return TimeRole::Since;
    }
    if before(4).any(|w| matches!(w, "began" | "started" | "erupted" | "begun" | "start")) {
        return TimeRole::Since;
    }
    let prev2: Vec<&str> = before(2).collect();
    if matches!(
        prev2.as_slice(),
        ["as", "of"] | ["as", "at"] | ["up", "to"] | [_, "by"] | [_, "until"]
    ) {
        return TimeRole::Reported;
    }
    let near_cue = (a.saturating_sub(3)..a)
        .chain(b..(b + 3).min(words.len()))
        .any(|k| is_cue(&words[k].lower) || words[k].lower == "according");
    if near_cue {
        return TimeRole::Reported;
    }
    TimeRole::Event
}

/// Whether the phrase `rule.words` occurs in `seq` (word indices of the
/// scope, time expressions left out), and how far from `a..b` it is.
fn find_rule(
    words: &[Word<'_>],
    seq: &[usize],
    rule: &PeriodRule,
    a: usize,
    b: usize,
) -> Option<usize> {
    let n = rule.words.len();
    if n == 0 || seq.len() < n {
        return None;
    }
    let mut best: Option<usize> = None;
    for i in 0..=seq.len() - n {
        if let Some(last) = phrase_at(words, &seq[i..], &rule.words) {
            let (s, e) = (seq[i], last + 1);
            // Rule `span_not_rate`: `in just over a month` is a span.
            let opens_with_article =
                matches!(rule.words.first().map(String::as_str), Some("a" | "an"));
            if rule.period == Period::Rate
                && opens_with_article
                && s > 0
                && lexicon().span_words.contains(words[s - 1].lower.as_str())
            {
                continue;
            }
            // A cue inside the figure's own words (`a total of 40`) is at distance 0.
            let dist = if e <= a { a - e } else { s.saturating_sub(b) };
            if rule.window.is_none_or(|w| dist <= w) {
                best = Some(best.map_or(dist, |d: usize| d.min(dist)));
            }
        }
    }
    best
}

/// Where the phrase `phrase` that starts at `seq[0]` ends (a word index),
/// if it does. Between an indefinite determiner of the phrase and its next
/// word, up to [`MODIFIER_GAP`] capitalised words are passed over: `in an
/// Israeli air strike` is the cue `in an air strike`. Not after `the`:
/// `the Israeli bombing` is, as often as not, a whole campaign.
fn phrase_at(words: &[Word<'_>], seq: &[usize], phrase: &[String]) -> Option<usize> {
    let mut k = 0;
    for (j, p) in phrase.iter().enumerate() {
        if j > 0 && matches!(phrase[j - 1].as_str(), "a" | "an" | "one") {
            let mut gap = 0;
            while gap < MODIFIER_GAP
                && seq.get(k).is_some_and(|&w| {
                    words[w].lower != *p && words[w].is_capitalised() && !words[w].is_punct()
                })
            {
                k += 1;
                gap += 1;
            }
        }
        let w = words[*seq.get(k)?].lower.as_str();
        // `an air strike` and `a Marevian air strike`: the article's form
        // follows the next word, which a modifier may have changed.
        let article = matches!(w, "a" | "an") && matches!(p.as_str(), "a" | "an");
        if w != p && !article {
            return None;
        }
        k += 1;
    }
    Some(seq[k - 1])
}

/// Capitalised modifiers a cue phrase passes over after its determiner.
const MODIFIER_GAP: usize = 2;

/// The frame of the figure spanning words `a..b` (its counted noun
/// included) in a sentence of `words`.
pub(crate) fn frame_of(
    words: &[Word<'_>],
    a: usize,
    b: usize,
    timexes: &[Timex],
    sentence: Span,
    population_category: bool,
    since_spans: &[(usize, usize)],
) -> Frame {
    let is_cue = super::claimant::is_cue;
    let times = dated(words, timexes, sentence);
    // A count inside a `since` clause is the event the period starts from:
    // one incident, on the clause's own day when it gives one.
    if let Some((ss, se)) = clause_holding(since_spans, a).filter(|_| !population_category) {
        let on = times
            .iter()
            .filter(|&&(_, x, y)| x > ss && y <= se)
            .map(|&(t, _, _)| t)
            .next();
        return Frame {
            period: Period::Incident,
            rule: Some("incident_since_clause".to_string()),
            on,
            ..Frame::default()
        };
    }
    let lex = lexicon();
    if !population_category && increment_of_total(&lex.increment_verbs, words, b) {
        return Frame {
            period: Period::Incident,
            rule: Some("increment_of_total".to_string()),
            on: times
                .iter()
                .filter(|&&(_, x, _)| x >= b && words[b..x].iter().all(|w| w.lower != ","))
                .map(|&(t, _, _)| t)
                .next(),
            ..Frame::default()
        };
    }
    if !population_category {
        if let Some(on) = event_clause_day(&lex.event_clauses, words, a, b, &times) {
            return Frame {
                period: Period::Incident,
                rule: Some("incident_event_clause".to_string()),
                on: Some(on),
                ..Frame::default()
            };
        }
    }
    let (cs, ce) = clause_of(words, a, b);
    let in_time = |k: usize| times.iter().any(|&(_, x, y)| (x..y).contains(&k));
    let sentence_seq: Vec<usize> = (0..words.len()).filter(|&k| !in_time(k)).collect();
    let clause_seq: Vec<usize> = (cs..ce).filter(|&k| !in_time(k)).collect();
    let mut frame = Frame::default();
    // How many live somewhere is a stock, whatever else the sentence counts
    // since when (`… killed since Israel started its assault on the enclave
    // of 2.3 million people`).
    if population_category {
        frame.period = Period::Stock;
        frame.rule = Some("stock_population".to_string());
    }
    for rule in lex.rules.iter().filter(|_| !population_category) {
        let seq = if rule.whole_sentence {
            &sentence_seq
        } else {
            &clause_seq
        };
        if find_rule(words, seq, rule, a, b).is_some() {
            frame.period = rule.period;
            frame.rule = Some(rule.name.clone());
            break;
        }
    }
    // Times: a period's start, the reporting day, an event's day.
    let mut since = None;
    let mut reported = None;
    let mut event = None;
    let dist = |x: usize, y: usize| if y <= a { a - y } else { x.saturating_sub(b) };
    for &(ti, x, y) in &times {
        let role = if let Some((s, _)) = clause_holding(since_spans, x) {
            if since_not_the_counts(words, s, a, b).is_some() {
                continue;
            }
            TimeRole::Since
        } else {
            role_of(words, x, y, is_cue)
        };
        let slot = match role {
            TimeRole::Since => &mut since,
            TimeRole::Reported => &mut reported,
            // An event's day counts only in the figure's own clause.
            TimeRole::Event if x >= cs && y <= ce => &mut event,
            TimeRole::Event => continue,
        };
        if slot.is_none_or(|(_, d)| dist(x, y) < d) {
            *slot = Some((ti, dist(x, y)));
        }
    }
    frame.since = since.map(|(t, _)| t);
    frame.as_of = reported.map(|(t, _)| t);
    if frame.period == Period::Unspecified {
        let (period, rule) = if frame.since.is_some() {
            (Period::Cumulative, "cumulative_since")
        } else if population_category {
            (Period::Stock, "stock_population")
        } else if perfect_in(words, cs, ce, is_cue) {
            (Period::Cumulative, "cumulative_perfect")
        } else if event.is_some() {
            (Period::Incident, "incident_dated")
        } else {
            (Period::Unspecified, "")
        };
        frame.period = period;
        frame.rule = (!rule.is_empty()).then(|| rule.to_string());
    }
    if let Some((t, _)) = event {
        match frame.period {
            Period::Incident => frame.on = Some(t),
            // `5,000 had been killed on Monday`: the count's own day.
            _ if frame.as_of.is_none() => frame.as_of = Some(t),
            _ => {}
        }
    }
    frame
}

/// Rule `incident_event_clause`: the day of a count told in a clause that
/// opens right after a date (`since 7 October, when Hamas attacked Israel,
/// killing 1,400`; `the 7 October attacks, in which the group killed
/// 1,400`): the count is that day's event. The opening phrase
/// (`event_clauses.tsv`) must come within [`EVENT_CLAUSE_REACH`] words
/// after the date, before the count, with no clause break between; a count
/// whose own verb is a perfect (`when the war began, 10,000 have been
/// killed`) is the main clause's running total, not the event's.
fn event_clause_day(
    phrases: &[Vec<String>],
    words: &[Word<'_>],
    a: usize,
    b: usize,
    times: &[(usize, usize, usize)],
) -> Option<usize> {
    let ends_at = |p: &[String], end: usize| {
        end >= p.len() && (0..p.len()).all(|j| words[end - p.len() + j].lower == p[j])
    };
    // The last opening phrase before the count, with nothing breaking the
    // clause between it and the count.
    let mut opener = None;
    for k in (0..a).rev() {
        if is_clause_break(words, k) {
            break;
        }
        if let Some(p) = phrases.iter().find(|p| ends_at(p, k + 1)) {
            opener = Some(k + 1 - p.len());
            break;
        }
    }
    let opener = opener?;
    let verb_end = (b + 4).min(words.len());
    if perfect_in(words, opener, verb_end, super::claimant::is_cue) {
        return None;
    }
    times
        .iter()
        .filter(|&&(_, _, y)| y <= opener && opener - y <= EVENT_CLAUSE_REACH)
        .max_by_key(|&&(_, _, y)| y)
        .map(|&(t, _, _)| t)
}

/// How many words may stand between a date and the phrase opening its
/// event clause (`the 7 October attacks on southern Israel by Hamas, in
/// which`).
const EVENT_CLAUSE_REACH: usize = 8;

/// A present or past perfect in the clause (`have been killed`, `has
/// fled`), not one of saying (`has said`): a count that has built up.
fn perfect_in(words: &[Word<'_>], cs: usize, ce: usize, is_cue: impl Fn(&str) -> bool) -> bool {
    (cs..ce).any(|k| {
        matches!(words[k].lower.as_str(), "have" | "has" | "had")
            && words.get(k + 1).is_some_and(|n| {
                let n = n.lower.as_str();
                let next = if n == "now" || n == "so" {
                    words.get(k + 2).map_or("", |w| w.lower.as_str())
                } else {
                    n
                };
                !is_cue(next)
                    && (next == "been" || next.ends_with("ed") || next == "died" || next == "fled")
            })
    })
}

/// Who a bare count counts when the clause says it after the number: `of
/// whom more than 4,500 were children`, `2,000 of them children`.
pub(crate) fn population_after(words: &[Word<'_>], end: usize) -> Option<String> {
    let lower = |k: usize| words.get(k).map_or("", |w| w.lower.as_str());
    let at = match (lower(end), lower(end + 1)) {
        ("were" | "are" | "was" | "being", _) => end + 1,
        ("of", "them" | "whom") => end + 2,
        _ => return None,
    };
    // The phrase must follow at once: `were children`, `of them children`.
    for (phrase, label) in &lexicon().populations {
        if (0..phrase.len()).all(|j| lower(at + j) == phrase[j]) {
            return Some(label.clone());
        }
    }
    None
}

/// Who a counted noun phrase (words `a..=head`) counts: the rightmost
/// phrase of the population list in it, else `people` for a count of
/// people, else `None`.
pub(crate) fn population_of(
    words: &[Word<'_>],
    np: Option<(usize, usize)>,
    persons: bool,
) -> Option<String> {
    let lex = lexicon();
    if let Some((a, h)) = np {
        for end in (a..=h).rev() {
            for (phrase, label) in &lex.populations {
                let n = phrase.len();
                if end + 1 < a + n {
                    continue;
                }
                let s = end + 1 - n;
                if (0..n).all(|j| words[s + j].lower == phrase[j]) {
                    return Some(label.clone());
                }
            }
        }
    }
    persons.then(|| "people".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_parses_whole() {
        let lex = lexicon();
        assert!(lex.bad_lines.is_empty(), "{:?}", lex.bad_lines);
        assert!(lex.rules.len() > 50);
        assert!(is_act_noun("operations") && !is_act_noun("people"));
        assert!(lex
            .populations
            .iter()
            .any(|(p, l)| p == &["aid", "workers"] && l == "aid_workers"));
    }
}
