//! Figures: numeric claims with what they count, how exact they are, where,
//! as of when, and who claims them.
//!
//! A figure is found in three steps. A reader ([`number`]) takes the number
//! itself at a word: digits, number words, scale words, currencies, vague
//! plurals. Rules then settle what kind of claim it is: the qualifier before it
//! (`at least`, `more than`, `between … and`), the counted noun after it, and a
//! category from that noun or from the predicate around it (`killed`,
//! `taken hostage`, `the enclave of … people`). Last, the claim is anchored:
//! a place in the sentence, a date expression in the sentence (never one from
//! elsewhere), and the claimant from the attribution whose content holds it.
//!
//! Rules cost recall on unusual phrasing; they buy figures whose every field
//! can be explained by a word in the sentence, which is what a fact-checker
//! needs to trust a number. Years, dates, ages, times, ordinals, scores and
//! labels (`Section 5`) are not figures.
//!
//! ```
//! use storyline_analyze::figures::{find_figures, Approximation, Category};
//! use storyline_analyze::{split_sentences, tokenize};
//!
//! let text = "Gaza health authorities say at least 9,061 people have been killed.";
//! let tokens = tokenize(text);
//! let sentences = split_sentences(text, &tokens);
//! let figures = find_figures(text, &tokens, &sentences, &[], &[], &[]);
//! assert_eq!(figures[0].value, 9061.0);
//! assert_eq!(figures[0].approximation, Approximation::AtLeast);
//! assert_eq!(figures[0].category, Category::Killed);
//! assert_eq!(figures[0].claimant.as_ref().map(|c| c.text.as_str()), Some("Gaza health authorities"));
//! ```

mod claimant;
pub mod frame;
mod lexicon;
mod number;
pub(crate) mod words;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use storyline_core::Span;

pub(crate) use claimant::is_cue as is_reporting_verb;
pub(crate) use claimant::{
    claimant_of, fallback_attributions, from_attributions, AttributionSpan, ByContent,
};
pub use frame::Period;

use crate::attribution::Attribution;
use crate::ner::EntityMention;
use crate::sentence::Sentence;
use crate::timex::Timex;
use crate::token::Token;
use lexicon::*;
use number::{read_number, read_second, NumMatch, Read};
use words::{ends_before, in_timex, join, place_candidates, sentence_words, Word};

/// How exact a figure is, as the text qualifies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Approximation {
    /// No qualifier.
    Exact,
    /// A lower bound, inclusive (`at least`, `no fewer than`); also vague plurals (`hundreds`).
    AtLeast,
    /// A lower bound, exclusive (`more than`, `over`, `upwards of`).
    MoreThan,
    /// Just below the value (`nearly`, `almost`, `close to`).
    Nearly,
    /// An upper bound, inclusive (`up to`, `as many as`).
    UpTo,
    /// An upper bound, exclusive (`fewer than`, `less than`, `under`).
    FewerThan,
    /// Around the value (`about`, `around`, `roughly`, `some`, `an estimated`).
    About,
    /// Between `value` and `value_high` (`between 200 and 250`, `200-250`).
    Range,
}

impl Approximation {
    /// The snake_case name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Approximation::Exact => "exact",
            Approximation::AtLeast => "at_least",
            Approximation::MoreThan => "more_than",
            Approximation::Nearly => "nearly",
            Approximation::UpTo => "up_to",
            Approximation::FewerThan => "fewer_than",
            Approximation::About => "about",
            Approximation::Range => "range",
        }
    }
}

/// What a figure counts; the categories later stages compare figures within.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// People killed, dead, died; a death toll.
    Killed,
    /// People injured or wounded.
    Injured,
    /// People taken or held hostage.
    Hostages,
    /// Hostages or prisoners released, freed or exchanged (the population says which).
    Released,
    /// People displaced, evacuated, fled.
    Displaced,
    /// People missing.
    Missing,
    /// People arrested.
    Arrested,
    /// People detained or imprisoned.
    Detained,
    /// Trucks of aid.
    AidTrucks,
    /// How many people live somewhere.
    Population,
    /// An amount of money.
    Money,
    /// Troops, reservists, fighters.
    Troops,
    /// Rockets, missiles, strikes, shells.
    Strikes,
    /// Buildings, homes, schools, shelters.
    Buildings,
    /// A percentage of something not otherwise categorised.
    Percent,
    /// Anything else.
    Other,
}

impl Category {
    /// The snake_case name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Killed => "killed",
            Category::Injured => "injured",
            Category::Hostages => "hostages",
            Category::Released => "released",
            Category::Displaced => "displaced",
            Category::Missing => "missing",
            Category::Arrested => "arrested",
            Category::Detained => "detained",
            Category::AidTrucks => "aid_trucks",
            Category::Population => "population",
            Category::Money => "money",
            Category::Troops => "troops",
            Category::Strikes => "strikes",
            Category::Buildings => "buildings",
            Category::Percent => "percent",
            Category::Other => "other",
        }
    }

    /// The category named by [`Category::as_str`].
    pub fn parse(s: &str) -> Option<Category> {
        use Category::*;
        [
            Killed, Injured, Hostages, Released, Displaced, Missing, Arrested, Detained, AidTrucks,
            Population, Money, Troops, Strikes, Buildings, Percent, Other,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// The unit a value is in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// People (the counted noun is a person noun, or the category is about people).
    Persons,
    /// Countable things other than people (trucks, rockets, buildings).
    Items,
    /// A percentage.
    Percent,
    /// Money, with an ISO 4217 code where one is known (`USD`), else the
    /// currency word as written (`marks`).
    Money(String),
}

/// A piece of text a figure refers to: its span and what it says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRef {
    /// Where it is.
    pub span: Span,
    /// The text as written.
    pub text: String,
}

/// Who a statement is attributed to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claimant {
    /// The source as written (`Gaza health authorities`, `he`).
    pub span: Span,
    /// The text of `span`.
    pub text: String,
    /// The fuller mention a pronoun or surname stands for, when the
    /// attribution finder resolved it.
    pub resolved: Option<TextRef>,
}

impl Claimant {
    pub(crate) fn of(text: &str, a: &AttributionSpan) -> Claimant {
        Claimant {
            span: a.source,
            text: a.source.slice(text).unwrap_or("").to_string(),
            resolved: a.resolved.and_then(|r| {
                Some(TextRef {
                    span: r,
                    text: r.slice(text)?.to_string(),
                })
            }),
        }
    }

    /// The most complete name available: the resolved mention, else the source.
    pub fn name(&self) -> &str {
        self.resolved.as_ref().map_or(&self.text, |r| &r.text)
    }
}

/// The date a figure is given as of: a time expression of the same sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsOf {
    /// Where it is.
    pub span: Span,
    /// The text as written (`on Thursday`).
    pub text: String,
    /// Its normalised TIMEX3 value (`2025-03-06`, `XXXX-10-07`).
    pub value: String,
}

/// A numeric claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The number with its qualifier (`at least 9,061`, `between 200 and 250`, `$25 million`).
    pub span: Span,
    /// The text of `span`.
    pub text: String,
    /// The sentence it is in: the evidence.
    pub sentence: Span,
    /// The value; for ranges the low end; for vague plurals the lower bound.
    pub value: f64,
    /// The high end of a range.
    pub value_high: Option<f64>,
    /// How exact the text says it is.
    pub approximation: Approximation,
    /// The number is a vague word (`hundreds`, `dozens`, `thousands`), so
    /// `value` is only a lower bound.
    pub vague: bool,
    /// What is counted.
    pub category: Category,
    /// The counted noun phrase (`people`, `aid trucks`), when there is one.
    pub counted: Option<TextRef>,
    /// The unit.
    pub unit: Unit,
    /// A place in the same sentence the figure is about.
    pub place: Option<TextRef>,
    /// The time expression of the same sentence that says when the count is
    /// reported as true (`the ministry said on Tuesday`, `as of Monday`, the
    /// day of a running total); `None` when the sentence gives none (the
    /// article's date then stands). Never the start of a period (`since 7
    /// October`: that is [`Figure::since`]) nor an incident's day ([`Figure::on`]).
    pub as_of: Option<AsOf>,
    /// What span of time the count covers.
    #[serde(default)]
    pub period: Period,
    /// The named rule that decided `period` (`figure_periods.tsv`, or a
    /// built-in fallback), for evaluation by rule.
    #[serde(default)]
    pub period_rule: Option<String>,
    /// The start of a running total (`since 7 October`).
    #[serde(default)]
    pub since: Option<AsOf>,
    /// The day of the one incident the count is about (`on 7 October`).
    #[serde(default)]
    pub on: Option<AsOf>,
    /// Who is counted (`palestinians`, `children`, `soldiers`, `people`;
    /// `lang/en/populations.tsv`); `None` for things, money and shares.
    #[serde(default)]
    pub population: Option<String>,
    /// Who claims it; `None` is the article's own voice.
    pub claimant: Option<Claimant>,
    /// The sentence gives it as an earlier value (`up from 12 on Monday`).
    pub earlier: bool,
    /// A projection or a possibility, not a count of what happened (`could
    /// die`, `may be responsible for 48 deaths`, `the scenario is 300,000
    /// deaths`): rule `hypothetical_count`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hypothetical: bool,
    /// One family's or particular people's toll (`20 members of his family
    /// were killed`, `he lost three relatives`): rule `personal_count`. A
    /// part of a place's toll with nothing to say which part, never that
    /// toll itself.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub personal: bool,
    /// What the counted suffered from, when the sentence says
    /// (`lang/en/causes.tsv`: `attack`, `accident`, `disaster`, `disease`,
    /// `disease:flu`): two counts of different causes are two quantities
    /// (rule `different_causes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

impl Figure {
    /// Whether the value is anything but exact.
    pub fn approximate(&self) -> bool {
        self.vague || self.approximation != Approximation::Exact
    }
}

/// Finds the figures of an article.
///
/// `entities` supply places, `timexes` dates and spans that are not counts,
/// `attributions` (from [`crate::attribution::find_attributions`]) claimants; any may be empty. A claimant is looked for in
/// `attributions` first and then in the simple frames this module reads
/// itself, so figures carry claimants even when no attribution finder ran.
pub fn find_figures(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    entities: &[EntityMention],
    timexes: &[Timex],
    attributions: &[Attribution],
) -> Vec<Figure> {
    // Only statements make claimants: an act the cue detector took for a
    // cue (`Hamas launched an assault, killing 1,400`) names the actor.
    let reporting: Vec<Attribution> = attributions
        .iter()
        .filter(|a| crate::attribution::reports(a, text))
        .cloned()
        .collect();
    let given = from_attributions(text, &reporting);
    let fallback = fallback_attributions(text, tokens, sentences, timexes);
    let (given, fallback) = (ByContent::new(&given), ByContent::new(&fallback));
    let mut out = Vec::new();
    let mut prev_cat: Option<Category> = None;
    let mentions = crate::mentions::Mentions::of(entities);
    let times = crate::mentions::Times::new(timexes);
    for s in sentences {
        let words = sentence_words(text, tokens, s);
        let timexes = times.near_sentence(s.span, &words);
        let places = place_candidates(text, &words, mentions.near_words(entities, &words));
        let since_spans = frame::since_clauses(&words);
        let background_spans = frame::background_clauses(&words);
        let mut found: Vec<(Figure, usize, usize)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            match read_number(&words, i) {
                Read::None => i += 1,
                Read::Skip(k) => i = k.max(i + 1),
                Read::Num(m) if ratio_end(&words, &m).is_some() => {
                    // `four in five`, `one for every three`: a share, not a count.
                    i = ratio_end(&words, &m).unwrap_or(m.end).max(i + 1);
                }
                Read::Num(m) => {
                    let next = m.end.max(i + 1);
                    if let Some((fig, a, b)) =
                        figure_at(text, &words, s, m, timexes, &places, &since_spans)
                    {
                        i = b.max(next);
                        found.push((fig, a, b));
                    } else {
                        i = next;
                    }
                }
            }
        }
        // Claimants, and categories for figures that lean on an earlier one:
        // `up from 12`, `its own count was more than 100,000`.
        let refers_back = words.iter().any(|w| {
            matches!(
                w.lower.as_str(),
                "count" | "figure" | "toll" | "tally" | "estimate" | "number" | "total"
            )
        });
        let mut before: Option<(Category, usize)> = None;
        for (fig, a, b) in &mut found {
            // `killed 2,700 people in Gaza and over 1,400 Israelis`: a
            // count of people joined by `and` to the one just before shares
            // its predicate.
            if let Some((c, prev_end)) = before {
                let gap = words.get(prev_end..*a).unwrap_or_default();
                if fig.category == Category::Other
                    && fig.unit == Unit::Persons
                    && fig.counted.is_some()
                    && gap.len() <= 5
                    && gap.iter().any(|w| w.lower == "and")
                    && !gap.iter().any(|w| {
                        matches!(w.lower.as_str(), "," | ";" | ":" | "." | "\"")
                            || predicate_category(&w.lower).is_some()
                    })
                {
                    fig.category = c;
                }
            }
            before = Some((fig.category, *b)).filter(|(c, _)| *c != Category::Other);
            // `the number of confirmed cases rose to 260`: the sentence
            // names what its count counts, so it leans on no earlier one
            // (rule `number_of_names_the_count`).
            let named = if fig.category == Category::Other && fig.counted.is_none() {
                count_named_by_reference(&words, *a)
            } else {
                None
            };
            if let Some((head, span)) = &named {
                if let Some(c) = lexicon::head_category(head) {
                    fig.category = c;
                }
                fig.counted = Some(TextRef {
                    span: *span,
                    text: text
                        .get(span.start..span.end)
                        .unwrap_or_default()
                        .to_string(),
                });
            }
            if fig.category == Category::Other
                && named.is_none()
                && (fig.earlier || refers_back && fig.counted.is_none())
                && fig.unit != Unit::Percent
                && !matches!(fig.unit, Unit::Money(_))
            {
                if let Some(c) = prev_cat {
                    fig.category = c;
                    fig.unit = Unit::Persons;
                }
            }
            if fig.category != Category::Other {
                prev_cat = Some(fig.category);
            }
            // The event a `since`, an `after` or a `when` clause names is
            // the outlet's background, whoever the sentence goes on to quote.
            let background = frame::clause_holding(&since_spans, *a).is_some()
                || frame::clause_holding(&background_spans, *a).is_some();
            if let Some(att) = claimant_of(&given, &fallback, fig.span).filter(|_| !background) {
                fig.claimant = Some(Claimant::of(text, att));
            }
        }
        out.extend(
            found
                .into_iter()
                .map(|(f, _, _)| f)
                // A family's count is a figure only as a toll.
                .filter(|f| !f.personal || personal_toll(f.category))
                // A value that is not finite cannot be stored and read back
                // as JSON (it would make the whole analysis unreadable):
                // whatever reading made it, it is no count.
                .filter(|f| f.value.is_finite() && f.value_high.is_none_or(f64::is_finite)),
        );
    }
    out
}

/// One family's or particular people's count (rule `personal_count`):
/// relatives (`three sisters`, `two younger brothers`, `42 family
/// members`, `42 members of his family`), a small count after a possessive
/// (`his three children`, `my two daughters`, `his wife and three
/// children`), and a small count of people taken up again by `the` (`The
/// three students had landed`), which names people already counted or
/// particular ones. Such a number is a
/// figure only as a toll (`he lost three relatives`, `20 members of his
/// family had been killed`): a loss anyone could report and count.
fn personal_count(words: &[Word<'_>], m: &NumMatch) -> bool {
    if m.vague || m.high.is_some() || m.currency.is_some() || m.percent {
        return false;
    }
    let lower_at = |k: usize| words.get(k).map_or("", |w| w.lower.as_str());
    let kin = (0..2).any(|k| frame::is_kin_noun(lower_at(m.end + k)))
        || (lower_at(m.end) == "family" && lower_at(m.end + 1).starts_with("member"))
        || (lower_at(m.end) == "members"
            && lower_at(m.end + 1) == "of"
            && lower_at(m.end + 3) == "family");
    let before = m.start.checked_sub(1).map_or("", lower_at);
    let is_possessive = |w: &str| matches!(w, "my" | "his" | "her" | "their" | "our" | "your");
    // `his wife and three children`: the possessive covers the coordination.
    let coordinated = before == "and"
        && m.start >= 3
        && words[m.start - 2]
            .text
            .starts_with(|c: char| c.is_lowercase())
        && is_possessive(lower_at(m.start - 3));
    let possessed = m.value <= 20.0 && (is_possessive(before) || coordinated);
    // Only people: `the eight cases in the US` is still a count of cases.
    let taken_up = m.value <= 12.0
        && before == "the"
        && (0..3)
            .map(|k| lower_at(m.end + k))
            .take_while(|w| !matches!(*w, "of" | "," | "and" | "or"))
            .any(|w| is_people_head(w) || frame::is_kin_noun(w));
    kin || possessed || taken_up
}

/// Whether a measure counts people (`killed`, `displaced`, `troops`), not
/// things.
fn counts_people(category: Category) -> bool {
    matches!(
        category,
        Category::Killed
            | Category::Injured
            | Category::Hostages
            | Category::Released
            | Category::Displaced
            | Category::Missing
            | Category::Arrested
            | Category::Detained
            | Category::Population
            | Category::Troops
    )
}

/// Whether a personal count (see [`personal_count`]) is kept in `category`:
/// only as a toll.
fn personal_toll(category: Category) -> bool {
    matches!(
        category,
        Category::Killed
            | Category::Injured
            | Category::Missing
            | Category::Hostages
            | Category::Released
            | Category::Arrested
            | Category::Detained
    )
}

/// What `the number of …` (or count, tally, total) before word `at`
/// counts: the head noun after `of`, past determiners and the adjectives of
/// a count (`confirmed`, `reported`), with its span. `None` when the
/// sentence has no such phrase before the number.
fn count_named_by_reference(words: &[Word<'_>], at: usize) -> Option<(String, Span)> {
    let k = (0..at).rev().find(|&k| {
        frame::is_count_noun(&words[k].lower) && words.get(k + 1).is_some_and(|w| w.lower == "of")
    })?;
    let mut j = k + 2;
    while j < at && frame::is_count_qualifier(&words[j].lower) {
        j += 1;
    }
    let w = words.get(j).filter(|_| j < at)?;
    // `the number of people killed`: people are counted for what happened
    // to them, which the predicate says, not the noun.
    if !w.lower.chars().all(|c| c.is_alphabetic()) || lexicon::is_people_head(&w.lower) {
        return None;
    }
    Some((w.lower.clone(), w.span))
}

/// A number word inside a name (rule `number_in_name`): `since World War
/// Two`, `on Channel Four`. A spelled number written with a capital in
/// the middle of a sentence, right after another capitalised word, is part
/// of that name, not a count. A headline in title case (`Hamas Frees Two
/// Hostages`) capitalises every long word, so a sentence with no long word
/// in lower case keeps its numbers.
fn number_in_name(words: &[Word<'_>], m: &NumMatch) -> bool {
    let Some(first) = words.get(m.start) else {
        return false;
    };
    let spelled = first.text.chars().all(char::is_alphabetic);
    let named_before = m.start >= 2 && {
        let before = &words[m.start - 1];
        before.is_capitalised()
            && before.text.chars().all(char::is_alphabetic)
            && !words[m.start - 2].is_punct()
    };
    // Read last: it scans the whole sentence, and every number asks.
    let sentence_case = || {
        words
            .iter()
            .any(|w| w.text.chars().count() >= 4 && w.text.chars().all(char::is_lowercase))
    };
    spelled && first.is_capitalised() && named_before && sentence_case()
}

/// Whether `m` is the second number of a ratio whose first the reader
/// does not take for a count (`one in four residents`, `one out of every
/// three`): `one` alone is read as no number, so [`ratio_end`] never sees
/// the ratio open, and the denominator would count the residents.
fn ratio_denominator(words: &[Word<'_>], m: &NumMatch) -> bool {
    let lower = |k: usize| words.get(k).map_or("", |w| w.lower.as_str());
    let mut k = m.start;
    if k > 0 && lower(k - 1) == "every" {
        k -= 1;
    }
    let first = match (k.checked_sub(1).map(lower), k.checked_sub(2).map(lower)) {
        (Some("in" | "for"), _) => k.checked_sub(2),
        (Some("of"), Some("out")) => k.checked_sub(3),
        _ => None,
    };
    first.is_some_and(|f| {
        lower(f) == "one"
            || matches!(read_number(words, f), Read::Num(n) if n.end == f + 1 && n.value < m.value)
    }) && m.value <= RATIO_MAX_DENOMINATOR
}

/// Ratios in news are of tens or hundreds (`one in 10`, `one in every
/// 100`); a larger second number is a count in its own right.
const RATIO_MAX_DENOMINATOR: f64 = 1000.0;

/// Where a ratio that starts with the number `m` ends: `four in five`,
/// `one in every three`, `one for every three`, `two out of three`.
fn ratio_end(words: &[Word<'_>], m: &NumMatch) -> Option<usize> {
    if m.vague || m.high.is_some() || m.currency.is_some() || m.percent {
        return None;
    }
    let mut k = m.end;
    match words.get(k)?.lower.as_str() {
        "in" | "for" => k += 1,
        "out" if words.get(k + 1)?.lower == "of" => k += 2,
        _ => return None,
    }
    if words.get(k).is_some_and(|w| w.lower == "every") {
        k += 1;
    }
    match read_number(words, k) {
        Read::Num(second) if !second.vague && second.value >= m.value => Some(second.end),
        _ => None,
    }
}

/// The qualifier ending just before word `start`, with its first word.
fn qualifier_before(words: &[Word<'_>], start: usize) -> Option<(Approximation, usize)> {
    QUALIFIERS
        .iter()
        .find_map(|(phrase, approx)| ends_before(words, start, phrase).map(|a| (*approx, a)))
}

/// Builds a figure from a number read at `m`; `None` when it is not a claim.
/// Returns the figure and its first and one-past-last words.
fn figure_at(
    text: &str,
    words: &[Word<'_>],
    s: &Sentence,
    m: NumMatch,
    timexes: &[Timex],
    places: &[words::PlaceCand],
    since_spans: &[(usize, usize)],
) -> Option<(Figure, usize, usize)> {
    // Decided on the number as read, before a range or a qualifier widens it.
    let personal = personal_count(words, &m);
    let mut m = m;
    let mut end = m.end;
    let mut approximation = Approximation::Exact;
    let mut start = m.start;
    let number_span = join(words, m.start, m.end.checked_sub(1)?)?;
    // Dates, times, durations: the time tagger owns them.
    if in_timex(timexes, number_span) {
        return None;
    }
    let prev = |k: usize| k.checked_sub(1).and_then(|p| words.get(p));
    let lower_at = |k: usize| words.get(k).map_or("", |w| w.lower.as_str());
    // Labels and ages: `Section 5`, `aged 24`, `Resolution 2334`.
    if prev(m.start).is_some_and(|w| is_label_word(&w.lower) || is_month(&w.lower)) {
        return None;
    }
    if is_month(lower_at(m.end)) || is_non_count_noun(lower_at(m.end)) {
        return None;
    }
    if number_in_name(words, &m) || ratio_denominator(words, &m) {
        return None;
    }
    // The second day of a span of days: `between April 23 and 28`, `May 3
    // to 5` (rule `day_span_end`).
    if m.value <= 31.0
        && m.start >= 3
        && matches!(lower_at(m.start - 1), "and" | "to" | "-" | "through")
        && is_month(lower_at(m.start - 3))
        && lower_at(m.start - 2)
            .parse::<u32>()
            .is_ok_and(|d| (1..=31).contains(&d))
    {
        return None;
    }
    // `a 24-year-old`, `24 years old` arrive split sometimes.
    if lower_at(m.end) == "-" && matches!(lower_at(m.end + 1), "year-old" | "year" | "years") {
        return None;
    }
    // `Hamas's 75`, `No 10`
    // Years: a bare four-digit integer between 1800 and 2100.
    let bare_digits = words
        .get(m.start)
        .is_some_and(|w| w.lower.bytes().all(|b| b.is_ascii_digit()) && w.lower.len() == 4);
    if bare_digits
        && m.end == m.start + 1
        && m.currency.is_none()
        && !m.percent
        && (1800.0..=2100.0).contains(&m.value)
    {
        return None;
    }
    // Phone numbers and codes: digit groups glued by spaces or dashes.
    if words
        .get(m.start)
        .is_some_and(|w| w.lower.matches('-').count() >= 2 || w.lower.starts_with('+'))
    {
        return None;
    }
    // Ranges: `between 200 and 250`, `200 to 250`, `two or three`.
    if m.high.is_none() {
        if let Some(second) = read_second(words, m.end, &m) {
            let from_before = prev(m.start).is_some_and(|w| w.lower == "from");
            if !from_before {
                let mut low = m.value;
                // A low end of 0 takes no scale (`between 0 and 5 million`):
                // no power of 1,000 brings it near the high end, and the
                // search for one ran to infinity and left NaN (found by
                // fuzzing, fuzz/ target `numbers`).
                if low > 0.0 && second.value.is_finite() && second.value / low.max(1.0) >= 1e3 {
                    let mut f = 1.0;
                    while low * f * 1e3 <= second.value {
                        f *= 1e3;
                    }
                    low *= f;
                }
                m.value = low;
                m.high = Some(second.value);
                m.currency = m.currency.or(second.currency);
                m.percent |= second.percent;
                end = second.end;
            }
        }
    }
    if m.high.is_some() {
        approximation = Approximation::Range;
        if prev(m.start).is_some_and(|w| w.lower == "between") {
            start = m.start - 1;
        }
    }
    if approximation == Approximation::Exact {
        if let Some((a, first)) = qualifier_before(words, m.start) {
            // `over` and `under` are prepositions before a vague plural or a scale-less year.
            approximation = a;
            start = first;
        } else if m.vague {
            approximation = Approximation::AtLeast;
        }
        if approximation == Approximation::Exact && matches_or(words, end, &["or so", "or more"]) {
            approximation = if lower_at(end + 1) == "more" {
                Approximation::AtLeast
            } else {
                Approximation::About
            };
        }
    }
    // The counted noun phrase.
    let mut np_start = end;
    if lower_at(np_start) == "of"
        && (m.vague || words.get(m.end - 1).is_some_and(|w| w.lower == "dozens"))
    {
        np_start += 1;
    }
    let (mut counted, mut head) = counted_np(words, np_start);
    // `48 of its sites`: a part of a set of things counts those things
    // (rule `partitive_of_things`). Of people (`15 of its residents were
    // shot dead`) the predicate still says what is counted.
    if counted.is_none()
        && lower_at(end) == "of"
        && matches!(
            lower_at(end + 1),
            "the" | "its" | "their" | "his" | "her" | "our" | "these" | "those"
        )
    {
        if let (Some(np), Some(h)) = counted_np(words, end + 2) {
            let of_people = is_people_head(&words[h].lower)
                || crate::ner::is_demonym(words[h].text)
                || lexicon::head_category(&words[h].lower).is_some_and(counts_people);
            if !of_people {
                (counted, head) = (Some(np), Some(h));
            }
        }
    }
    if let Some((_, h)) = &counted {
        if is_non_count_noun(&words[*h].lower) {
            return None;
        }
    }
    // `1 litre (34 fl oz)`: the same amount again, in brackets right after
    // a number, in a unit the reader does not know (rule
    // `unit_conversion`); it would take its measure from the sentence (the
    // displaced people who live off the litre). A unit it knows (`1,000
    // barrels (42,000 gallons)`) or money (`400 shekels (£85; $105)`) stays:
    // another source may give the amount in those units.
    if counted.is_none()
        && m.currency.is_none()
        && prev(m.start).is_some_and(|w| w.lower == "(")
        && (m.start.saturating_sub(4)..m.start.saturating_sub(1))
            .any(|k| matches!(read_number(words, k), Read::Num(_)))
    {
        return None;
    }
    let head_lower = head.map_or("", |h| words[h].lower.as_str());
    // `Jana Petrik, 54, who …`: an age in apposition.
    if prev(m.start).is_some_and(|w| w.lower == ",")
        && m.start >= 2
        && words[m.start - 2].is_capitalised()
        && lower_at(m.end) == ","
        && m.value < 130.0
        && m.currency.is_none()
    {
        return None;
    }
    // `the three, including …`, `All 11 were`: a reference back, not a claim.
    if counted.is_none()
        && m.currency.is_none()
        && !m.percent
        && approximation == Approximation::Exact
        && prev(m.start)
            .is_some_and(|w| matches!(w.lower.as_str(), "the" | "all" | "both" | "these" | "those"))
    {
        return None;
    }
    // `the two sides`, `one of them`: not a count worth claiming.
    if counted.is_none()
        && m.currency.is_none()
        && !m.percent
        && matches!(lower_at(end), "of" | "-")
        && !m.vague
        && approximation == Approximation::Exact
        && m.value < 10.0
    {
        return None;
    }
    let sentence_has_aid = words.iter().any(|w| is_aid_word(&w.lower));
    let category = categorise(words, &m, start, end, head, head_lower, sentence_has_aid);
    let unit = if let Some(c) = m.currency {
        Unit::Money(c.to_string())
    } else if m.percent {
        Unit::Percent
    } else if is_people_head(head_lower)
        || counts_people(category)
        || words
            .get(head.unwrap_or(usize::MAX))
            .is_some_and(|w| crate::ner::is_demonym(w.text))
    {
        Unit::Persons
    } else {
        Unit::Items
    };
    let span = join(words, start, end - 1)?;
    let fig_end = counted.as_ref().map_or(end, |(_, h)| h + 1);
    // A count of what people do (arrests, protesters) outside every
    // `since` clause is not where the clause's event was: `100 people had
    // been arrested at protests since the attack on Israel` were arrested
    // where the protests were. Tolls keep the clause's place: `killed in
    // the strikes since Israel began bombing Gaza` are Gaza's.
    let outside_since: Vec<words::PlaceCand>;
    let counts_acts = !matches!(
        category,
        Category::Killed
            | Category::Injured
            | Category::Hostages
            | Category::Displaced
            | Category::Missing
    );
    let places = if counts_acts && frame::clause_holding(since_spans, start).is_none() {
        outside_since = places
            .iter()
            .filter(|p| !since_spans.iter().any(|&c| within_clause(words, c, p.span)))
            .cloned()
            .collect();
        &outside_since[..]
    } else {
        places
    };
    let mut place = pick_place(words, places, start, fig_end, category);
    // Inside a `since` clause only the clause's own places count: in
    // `Journalists have not been allowed into Gaza since Hamas killed 1,300
    // Israelis` the dead are not Gaza's.
    if let Some(clause) = frame::clause_holding(since_spans, start) {
        if place
            .as_ref()
            .is_some_and(|p| !within_clause(words, clause, p.span))
        {
            place = places
                .iter()
                .find(|p| within_clause(words, clause, p.span) && p.locative)
                .map(|p| TextRef {
                    span: p.span,
                    text: p.text.clone(),
                });
        }
    }
    let earlier = ends_before(words, start, "up from").is_some()
        || ends_before(words, start, "down from").is_some()
        || ends_before(words, start, "estimate of").is_some()
            && words[..start]
                .iter()
                .any(|w| w.lower == "earlier" || w.lower == "previous")
        || frame::past_episode(words, fig_end);
    let hypothetical = is_hypothetical(words, start, fig_end);
    let frame = frame::frame_of(
        words,
        start,
        fig_end,
        timexes,
        s.span,
        category == Category::Population,
        since_spans,
    );
    let population = match unit {
        Unit::Persons if counted.is_none() => {
            frame::population_after(words, end).or_else(|| frame::population_of(words, None, true))
        }
        Unit::Persons => frame::population_of(words, counted, true),
        _ => None,
    };
    // Hostages killed or wounded are their own population: never a share
    // of a place's toll.
    let population = if head_lower.starts_with("hostage")
        && matches!(
            category,
            Category::Killed | Category::Injured | Category::Missing
        ) {
        Some("hostages".to_string())
    } else {
        population
    };
    let as_of_at = |t: Option<usize>| {
        t.and_then(|t| timexes.get(t)).map(|t| AsOf {
            span: t.span,
            text: t.text.clone(),
            value: t.value.clone(),
        })
    };
    let counted = counted.and_then(|(a, h)| {
        let span = join(words, a, h)?;
        Some(TextRef {
            span,
            text: span.slice(text)?.to_string(),
        })
    });
    // People, cases and things destroyed have a cause; a sum or a share
    // has none (`a $20 billion "shakedown"` after a `spill`).
    let cause = matches!(unit, Unit::Persons | Unit::Items)
        .then(|| frame::cause_near(words, start, fig_end))
        .flatten();
    Some((
        Figure {
            span,
            text: span.slice(text).unwrap_or("").to_string(),
            sentence: s.span,
            value: m.value,
            value_high: m.high,
            approximation,
            vague: m.vague,
            category,
            counted,
            unit,
            place,
            as_of: as_of_at(frame.as_of),
            period: frame.period,
            period_rule: frame.rule,
            since: as_of_at(frame.since),
            on: as_of_at(frame.on),
            population,
            claimant: None,
            earlier,
            hypothetical,
            personal,
            cause,
        },
        start,
        end,
    ))
}

/// Whether the count from word `start` to `end` is a projection or a
/// possibility (rule `hypothetical_count`): a modal auxiliary heading the
/// verb before it in its clause (`which may be responsible for a further 48
/// deaths`, `over 150,000 barrels could have been spilled`) or right after
/// it (`12,000 could die`, `5,000 people would be displaced`), a projection
/// word anywhere before it in the sentence (`the scenario … is: between
/// 37,500 and 300,000 deaths`), or a condition before it (rule
/// `conditional_count`: `if there have been 100,000 cases, then about 100
/// deaths gives a rate of 0.1%`).
///
/// A modal reaches only its own verb (rule `modal_of_own_verb`): a count
/// that a verb of fact governs (`a flu that has killed up to 68 people in
/// Mexico could start an epidemic`) or that a comparison or another clause
/// sets apart (`the spill could be larger than the 258,000 barrels`) is a
/// count of what happened, whatever modal the sentence holds elsewhere.
fn is_hypothetical(words: &[Word<'_>], start: usize, end: usize) -> bool {
    use frame::{modal_scope, ModalScope};
    let start = start.min(words.len());
    let clause_break = |w: &Word<'_>| matches!(w.lower.as_str(), "," | ";" | ":" | "." | "\"");
    let modal = |k: usize| crate::events::is_hypothetical_aux(&words[k].lower);
    // The verb nearest before the count in its clause: a modal, or a verb
    // whose group a modal heads, makes it a projection; any other verb
    // makes it a fact.
    let (mut before, mut governed) = (false, false);
    for k in (0..start).rev() {
        let w = &words[k];
        if clause_break(w) || modal_scope(&w.lower) == Some(ModalScope::Opener) {
            break;
        }
        if modal(k) {
            before = true;
            break;
        }
        let prev = k.checked_sub(1).map(|p| words[p].lower.as_str());
        if crate::timex::is_past_verb(&w.lower, prev)
            || matches!(w.lower.as_str(), "is" | "are" | "was" | "were")
        {
            let mut head = k;
            while head > 0 && modal_scope(&words[head - 1].lower) == Some(ModalScope::VerbGroup) {
                head -= 1;
            }
            before = head > 0 && modal(head - 1);
            governed = !before;
            break;
        }
    }
    let after = !governed
        && words
            .iter()
            .skip(end)
            .take(4)
            .take_while(|w| !clause_break(w))
            .any(|w| crate::events::is_hypothetical_aux(&w.lower));
    let projected = words[..start]
        .iter()
        .any(|w| frame::is_projection_cue(&w.lower));
    let conditional = words[..start]
        .iter()
        .any(|w| modal_scope(&w.lower) == Some(ModalScope::Condition));
    before || after || projected || conditional
}

fn matches_or(words: &[Word<'_>], at: usize, phrases: &[&str]) -> bool {
    phrases.iter().any(|p| words::matches_at(words, at, p))
}

/// The counted noun phrase starting at word `k`: up to four words ending in a
/// head noun. Returns `(first, head)` and the head index.
fn counted_np(words: &[Word<'_>], k: usize) -> (Option<(usize, usize)>, Option<usize>) {
    let mut j = k;
    let mut last_ok = None;
    while j < words.len() && j < k + 4 {
        let w = &words[j];
        if w.is_punct()
            || words::is_function_word(&w.lower)
            || w.lower.starts_with(|c: char| c.is_ascii_digit())
        {
            break;
        }
        // A participle ends the phrase: `240 people taken hostage`.
        if !w.is_capitalised()
            && (w.lower.ends_with("ed") || w.lower.ends_with("ing") || w.lower == "taken")
            && head_category(&w.lower).is_none()
        {
            break;
        }
        last_ok = Some(j);
        let is_head = head_category(&w.lower).is_some()
            || is_people_head(&w.lower)
            || is_truck_head(&w.lower)
            || is_non_count_noun(&w.lower)
            || (w.lower.ends_with('s')
                && !w.lower.ends_with("ss")
                && w.lower.len() > 3
                && !w.is_capitalised())
            || crate::ner::is_demonym(w.text) && w.lower.ends_with('s');
        if is_head {
            return (Some((k, j)), Some(j));
        }
        j += 1;
    }
    // A single non-plural word: `one person`, `11 engineers`' singular cousins.
    match last_ok {
        Some(h) if h == k && !words[h].is_capitalised() && !words[h].lower.ends_with("ly") => {
            (Some((k, h)), Some(h))
        }
        _ => (None, None),
    }
}

/// Decides what a number counts, from the strongest evidence down: money and
/// percent, a population frame, the head noun, the predicate after, right
/// before, and anywhere earlier in the clause.
fn categorise(
    words: &[Word<'_>],
    m: &NumMatch,
    start: usize,
    end: usize,
    head: Option<usize>,
    head_lower: &str,
    aid: bool,
) -> Category {
    if m.currency.is_some() {
        return Category::Money;
    }
    let lower_at = |k: usize| words.get(k).map_or("", |w| w.lower.as_str());
    // Population frames.
    let b1 = start.checked_sub(1).map_or("", lower_at);
    let b2 = start.checked_sub(2).map_or("", lower_at);
    // Relatives and members are people too: `lost three relatives`.
    let people_like = head.is_none_or(|h| {
        is_people_head(&words[h].lower)
            || crate::ner::is_demonym(words[h].text)
            || frame::is_kin_noun(&words[h].lower)
            || words[h].lower == "members"
    });
    if people_like
        && !m.percent
        && ((b1 == "of" && is_populated_place(b2))
            || (b1 == "to" && b2 == "home")
            || (b1 == "of" && b2 == "population")
            || (matches!(b1, "were" | "are" | "is" | "live" | "lived") && b2 == "there")
            || head.is_some_and(|h| located_in(words, h, b1 == "the" && b2 == "of")))
    {
        return Category::Population;
    }
    if let Some(c) = head_category(head_lower) {
        return match c {
            // `50 Israeli soldiers have died`: the soldiers are who is
            // counted (the population); what happened to them is the measure.
            Category::Troops => match predicate_near(words, start, end, head) {
                Some(p) if p != Category::Troops && p != Category::Population => p,
                _ => c,
            },
            // `two hostages released`: a release is its own quantity.
            Category::Hostages | Category::Detained if released_near(words, start, head) => {
                Category::Released
            }
            // `50 hostages had been killed`: what happened to them is the
            // measure; the hostages are who is counted (below).
            Category::Hostages => predicate_after_head(words, head).unwrap_or(c),
            c => c,
        };
    }
    if is_truck_head(head_lower) {
        return if aid {
            Category::AidTrucks
        } else {
            Category::Other
        };
    }
    if m.percent {
        return Category::Percent;
    }
    // A verb says what happened to people, not to camps or villages.
    if head.is_some() && !people_like {
        return Category::Other;
    }
    match predicate_near(words, start, end, head) {
        Some(Category::Hostages) if released_near(words, start, head) => Category::Released,
        Some(c) => c,
        None => Category::Other,
    }
}

/// Whether the people counted by the head noun at `h` are said to be in a
/// place: `8,000 foreign nationals are in Gaza`, `civilians who are still in
/// the area`, and, with `share_of` (`400,000 of the 1.1m people in Gaza's
/// north`), the bare `people in`. A bare `20 people in Gaza` is not enough:
/// `killed 20 people in Gaza` counts the dead.
fn located_in(words: &[Word<'_>], h: usize, share_of: bool) -> bool {
    let mut k = h + 1;
    while words.get(k).is_some_and(|w| {
        matches!(
            w.lower.as_str(),
            "who" | "are" | "were" | "is" | "remain" | "remained" | "still" | "currently" | "now"
        )
    }) {
        k += 1;
    }
    let stative = k > h + 1
        && !words[h + 1..k]
            .iter()
            .all(|w| matches!(w.lower.as_str(), "who" | "still" | "currently" | "now"));
    (stative || share_of)
        && words
            .get(k)
            .is_some_and(|w| matches!(w.lower.as_str(), "in" | "inside"))
}

/// Whether `span` lies inside the clause of words `ss..se`.
fn within_clause(words: &[Word<'_>], (ss, se): (usize, usize), span: Span) -> bool {
    match (words.get(ss), se.checked_sub(1).and_then(|k| words.get(k))) {
        (Some(first), Some(last)) if se > ss => {
            span.start >= first.span.start && span.end <= last.span.end
        }
        _ => false,
    }
}

/// A death, wound or disappearance said of the counted noun right after
/// it (`hostages had been killed`), before any punctuation or number.
fn predicate_after_head(words: &[Word<'_>], head: Option<usize>) -> Option<Category> {
    let from = head? + 1;
    words[from.min(words.len())..]
        .iter()
        .take(6)
        .take_while(|w| {
            !matches!(w.lower.as_str(), "," | ";" | ":" | "." | "and")
                && !w.lower.starts_with(|c: char| c.is_ascii_digit())
        })
        .find_map(|w| {
            predicate_category(&w.lower)
                .filter(|c| matches!(c, Category::Killed | Category::Injured | Category::Missing))
        })
}

/// Whether a word of release (`released`, `freed`) stands right after the
/// counted noun or just before the number.
fn released_near(words: &[Word<'_>], start: usize, head: Option<usize>) -> bool {
    let after = head.map_or(start, |h| h + 1);
    let is_release = |w: &str| {
        matches!(
            w,
            "released"
                | "freed"
                | "release"
                | "releasing"
                | "freeing"
                | "free"
                | "exchanged"
                | "swapped"
                | "handed"
        )
    };
    let released = |k: usize| is_release(&words[k].lower) && !frame::release_demanded(words, k);
    (after..(after + 4).min(words.len())).any(released)
        || (start.saturating_sub(4)..start).any(released)
}

/// The category a predicate near the number gives: after the counted noun
/// (`people have been killed`), right before the number (`killing at least
/// 12`), or earlier in the clause (`the number of people killed … 37`).
fn predicate_near(
    words: &[Word<'_>],
    start: usize,
    end: usize,
    head: Option<usize>,
) -> Option<Category> {
    let after_start = head.map_or(end, |h| h + 1);
    // Right before: `killing at least 12`, `wounding six`, `lost 42 of`.
    let before = (start.saturating_sub(3)..start).rev().find_map(|k| {
        predicate_at(words, k)
            .or_else(|| frame::measure_only_before(&words[k].lower))
            .filter(|&c| c != Category::Population)
    });
    // After: `… people have been killed`, `… taken hostage`, `… live in`.
    let mut k = after_start;
    let mut n = 0;
    while k < words.len() && n < 12 {
        let w = &words[k];
        // `1,500 Palestinians in Gaza, many of them civilians, have been
        // killed`: an aside between commas does not end the subject.
        if w.lower == "," {
            if let Some(close) = aside_end(words, k) {
                k = close + 1;
                continue;
            }
            // `436 people, including 182 children, had been killed`: the
            // part's own aside closes here, and the whole's predicate is
            // the part's too (rule `including_aside`).
            if in_including_aside(words, start, k) {
                k += 1;
                continue;
            }
        }
        if matches!(w.lower.as_str(), "," | ";" | ":" | "." | "\"" | "(") {
            break;
        }
        if w.lower.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        // `killed 1,400 people and kidnapped 240`, `the deaths of 1,300
        // people and many taken hostage`: a number its verb governs keeps
        // that verb; the predicate after `and` is another clause's.
        if before.is_some() && matches!(w.lower.as_str(), "and" | "but" | "while") {
            break;
        }
        if let Some(c) = predicate_at(words, k) {
            // `lost their lives`, `people live`: `lives` after `their` is death.
            return Some(c);
        }
        if w.lower == "lives"
            && k > 0
            && matches!(words[k - 1].lower.as_str(), "their" | "his" | "her")
        {
            return Some(Category::Killed);
        }
        k += 1;
        n += 1;
    }
    if before.is_some() {
        return before;
    }
    // Earlier in the clause: `The number of people killed … has risen to 37`.
    let mut k = start.saturating_sub(3);
    let mut n = 0;
    while k > 0 && n < 20 {
        k -= 1;
        n += 1;
        let w = &words[k];
        if matches!(w.lower.as_str(), ";" | ":" | "," | "and" | "but" | "while")
            || w.lower.starts_with(|c: char| c.is_ascii_digit())
        {
            break;
        }
        if let Some(c) = predicate_at(words, k) {
            if c != Category::Population {
                return Some(c);
            }
        }
    }
    None
}

/// Where an aside opened by the comma at `k` closes: the next comma within
/// six words, with no number, quote, clause break or verb of saying
/// between (`, many of them civilians,`).
fn aside_end(words: &[Word<'_>], k: usize) -> Option<usize> {
    let close = (k + 2..(k + 8).min(words.len())).find(|&j| words[j].lower == ",")?;
    // `, including 182 children,`: a part of the whole, number and all
    // (rule `including_aside`).
    let including = words[k + 1].lower == "including";
    let plain = words[k + 1..close].iter().all(|w| {
        (including || !w.lower.starts_with(|c: char| c.is_ascii_digit()))
            && !matches!(
                w.lower.as_str(),
                "\"" | ";" | ":" | "." | "and" | "but" | "said" | "says" | "say" | "told"
            )
            && predicate_category(&w.lower).is_none()
    });
    plain.then_some(close)
}

/// Whether the count from word `start` stands in an aside that opens with
/// `, including` and closes at the comma `close` (`436 people, including
/// 182 children, had been killed`), no other break between.
fn in_including_aside(words: &[Word<'_>], start: usize, close: usize) -> bool {
    let Some(open) = (0..start).rev().find(|&j| words[j].lower == ",") else {
        return false;
    };
    words.get(open + 1).is_some_and(|w| w.lower == "including")
        && start <= open + 3
        && close > start
        && close <= start + 6
        && words[open + 1..close]
            .iter()
            .all(|w| !matches!(w.lower.as_str(), ";" | ":" | "." | "\"" | "(" | "and"))
}

/// The category the predicate word `k` gives. A hospital with a
/// determiner or a name before it (`in the hospital`, `al-Shifa hospital`)
/// is a building people are in, not their being treated (`in hospital`,
/// `taken to hospital`).
fn predicate_at(words: &[Word<'_>], k: usize) -> Option<Category> {
    let c = predicate_category(&words[k].lower)?;
    if matches!(words[k].lower.as_str(), "hospital" | "hospitals") && k > 0 {
        let prev = &words[k - 1];
        let determiner = matches!(
            prev.lower.as_str(),
            "the" | "a" | "an" | "this" | "that" | "its" | "their" | "his" | "her" | "our"
        );
        if determiner || prev.is_capitalised() {
            return None;
        }
    }
    Some(c)
}

/// The place a figure is about: the populated place of `the enclave of N`,
/// the first locative of the sentence for `N … there`, else the first
/// locative after it in its clause, else the nearest location before it.
fn pick_place(
    words: &[Word<'_>],
    places: &[words::PlaceCand],
    start: usize,
    end: usize,
    category: Category,
) -> Option<TextRef> {
    // `the north of Gaza`: the name after `of` says which north.
    let to_ref = |p: &words::PlaceCand| {
        let named = p
            .generic
            .then(|| {
                let k = words.iter().position(|w| w.span.start >= p.span.end)?;
                if words.get(k)?.lower != "of" {
                    return None;
                }
                let next = words.get(k + 1)?.span.start;
                places.iter().find(|q| !q.generic && q.span.start == next)
            })
            .flatten()
            .unwrap_or(p);
        TextRef {
            span: named.span,
            text: named.text.clone(),
        }
    };
    // Where a count's people or things came from is where it happened
    // only for what moves (`displaced from the north`, `trucks from Egypt`):
    // `an attack by gunmen from Gaza in which 1,400 were killed` happened
    // where the attack did.
    let moves = matches!(
        category,
        Category::Displaced | Category::Released | Category::AidTrucks
    );
    let places: Vec<words::PlaceCand> = places
        .iter()
        .filter(|p| moves || !p.origin)
        .cloned()
        .collect();
    let places = &places[..];
    let fig_start = words.get(start)?.span.start;
    let fig_end = words.get(end.saturating_sub(1))?.span.end;
    if category == Category::Population && start >= 2 && words[start - 1].lower == "of" {
        let at = words[start - 2].span.end;
        if let Some(p) = places.iter().find(|p| p.span.end == at) {
            return Some(to_ref(p));
        }
    }
    if words.get(end).is_some_and(|w| w.lower == "there") {
        if let Some(p) = places
            .iter()
            .find(|p| p.locative && p.span.end <= fig_start)
        {
            return Some(to_ref(p));
        }
    }
    // `according to the ministry in the West Bank, 91 have been killed
    // there`: `there` in the count's own predicate points back to the
    // nearest place named before it, not the sentence's first.
    let there_in_predicate = words
        .get(end..(end + 5).min(words.len()))
        .unwrap_or_default()
        .iter()
        .take_while(|w| w.lower.starts_with(|c: char| c.is_alphabetic()))
        .skip(1)
        .any(|w| w.lower == "there");
    if there_in_predicate {
        if let Some(p) = places
            .iter()
            .rfind(|p| p.locative && p.span.end <= fig_start)
        {
            return Some(to_ref(p));
        }
    }
    // After, in the same clause and near: `… displaced in Veyra Province`.
    // A past-tense verb after a `by` agent starts the sentence's own
    // predicate: in `families of the 240 people taken hostage by Hamas
    // gathered in Tel Aviv` the place is where the families gathered.
    let after = &words[end.min(words.len())..];
    let mut by_agent = false;
    let is_break = |w: &Word<'_>| matches!(w.lower.as_str(), "," | ";" | ":" | "-");
    let stop = after.iter().take(12).enumerate().find(|&(k, w)| {
        // Punctuation ends the clause; so does the next number, whose
        // own place follows it (`killing 1,300 and taking 150 hostages
        // to Gaza`).
        if is_break(w) || k > 0 && w.lower.starts_with(|c: char| c.is_ascii_digit()) {
            return true;
        }
        let new_predicate = by_agent
            && w.lower.ends_with("ed")
            && w.text.starts_with(|c: char| c.is_ascii_lowercase())
            && k > 0
            && !matches!(
                after[k - 1].lower.as_str(),
                "by" | "the" | "a" | "an" | "and" | "or"
            );
        by_agent |= w.lower == "by";
        new_predicate
    });
    // Rule `coordinated_counts`: a second count that has no noun of its
    // own, only a measure (`2,700 Palestinians have been killed and 9,700
    // wounded in Gaza`), shares the first count's people and so its
    // place: the clause runs on through the second count's predicate.
    let coordinated = stop.and_then(|(k, w)| {
        let elliptic = k > 0
            && after[k - 1].lower == "and"
            && w.lower.starts_with(|c: char| c.is_ascii_digit())
            && after
                .get(k + 1)
                .is_some_and(|m| frame::measure_of_verb(&m.lower).is_some());
        elliptic.then(|| {
            after[k + 1..]
                .iter()
                .take(8)
                .find(|w| is_break(w) || w.lower.starts_with(|c: char| c.is_ascii_digit()))
                .or_else(|| after.get(k + 9))
                .map_or(usize::MAX, |w| w.span.start)
        })
    });
    let clause_end = coordinated.unwrap_or_else(|| {
        stop.map(|(_, w)| w)
            .or_else(|| words.get(end + 12))
            .map_or(usize::MAX, |w| w.span.start)
    });
    if let Some(p) = places
        .iter()
        .find(|p| p.locative && p.span.start >= fig_end && p.span.end <= clause_end)
    {
        return Some(to_ref(p));
    }
    // Before it, unless the place sits right after another count and this
    // one counts a people by nation: `2,700 people in Gaza and over 1,400
    // Israelis` (the Israelis were not killed in Gaza), where `300,000
    // people live in the valley, and 12 died` shares the valley.
    let by_nation = words
        .get(start..=end.min(words.len().saturating_sub(1)))
        .unwrap_or_default()
        .iter()
        .skip(1)
        .any(|w| crate::ner::is_demonym(w.text));
    let owned_by_other_count = |p: &words::PlaceCand| {
        if !by_nation {
            return false;
        }
        let Some(k) = words.iter().position(|w| w.span.start >= p.span.start) else {
            return false;
        };
        words[k.saturating_sub(4)..k]
            .iter()
            .any(|w| w.lower.starts_with(|c: char| c.is_ascii_digit()))
    };
    // Nor across a phrase that opens another event (rule
    // `place_not_across_event_link`): in `Israel began bombing Gaza in
    // retaliation for an attack in which 1,400 were killed`, Gaza is where
    // the bombing is, not where the 1,400 died.
    let lower: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
    let link_end = (0..start.min(words.len()))
        .rev()
        .find_map(|k| frame::event_link_at(&lower[k..start]).map(|n| words[k + n - 1].span.end));
    places
        .iter()
        .rfind(|p| p.span.end <= fig_start && p.locative)
        .filter(|p| !owned_by_other_count(p))
        .filter(|p| link_end.is_none_or(|end| p.span.start >= end))
        .map(to_ref)
}
