//! Timeline summarisation for one story, date-wise (DATEWISE in Ghalandari &
//! Ifrim, ACL 2020, "Examining the State of the Art in News Timeline
//! Summarization"): first decide which days matter, then summarise each day
//! from the sentences that speak about it.
//!
//! **Dates a sentence refers to.** A sentence refers to a day when one of its
//! time expressions (from the per-article analysis, TIMEX3 values resolved
//! against the published date) has a value at day granularity
//! (`2010-04-20`, `2010-04-20T21:45`). The first such day is the
//! sentence's *date*; relative expressions in an undated article stay
//! underspecified (`XXXX-WXX-2`) in the analysis, so undated articles only
//! contribute sentences with absolute dates.
//!
//! **Date selection.** A day scores by how many articles reference it
//! (optionally weighted by how early in the article the first mention
//! comes, [`TimelineParams::position_decay`]), how many further sentences
//! reference it, and how many articles were published on it. This is an unsupervised
//! stand-in for DATEWISE's regression over the same mention and
//! publication statistics.
//!
//! **Candidates per day** (DATEWISE's "PM" collector): the sentences whose
//! date is that day, plus the first [`TimelineParams::lead_sentences`]
//! sentences without any date of the articles published on that day or
//! [`TimelineParams::publication_lag_days`] after it (news reports
//! yesterday's events).
//!
//! **Summary per day** (DATEWISE's centroid optimisation): tf-idf vectors of
//! the candidates (idf over every sentence of the story); sentences are
//! added greedily so that the sum of the chosen vectors stays closest, by
//! cosine, to the centroid of the candidates, skipping sentences too short,
//! too long, off the story's keywords, or too similar to a sentence already
//! in the timeline. Days whose candidates all fail are skipped and the next
//! best day is taken.
//!
//! ```
//! use chrono::NaiveDate;
//! use storyline_analyze::document::{analyze, AnalysisContext};
//! use storyline_core::Timestamp;
//! use storyline_link::timeline::{build_timeline, TimelineInput, TimelineParams};
//!
//! let text = "The rig exploded on April 20, 2010, killing 11 workers. \
//!             The well leaked oil into the Gulf for weeks after the explosion.";
//! let published = NaiveDate::from_ymd_opt(2010, 4, 22);
//! let analysis = analyze(text, &AnalysisContext { published: published.map(Timestamp::from_date) });
//! let inputs = [TimelineInput { article: 0, published, text, analysis: &analysis }];
//! let timeline = build_timeline(&inputs, &TimelineParams { max_dates: 1, ..TimelineParams::default() });
//! assert_eq!(timeline[0].date, NaiveDate::from_ymd_opt(2010, 4, 20).unwrap());
//! let first = &timeline[0].sentences[0];
//! assert!(first.span.slice(text).unwrap().starts_with("The rig exploded"));
//! ```

pub(crate) mod text;

/// English function words (`the`, `about`, `more`), lower case.
pub use text::is_stopword;

use std::collections::{BTreeMap, HashSet};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use storyline_analyze::document::Analysis;
use storyline_analyze::timex::TimexType;
use storyline_core::Span;

use text::{add_scaled, cosine, dot, norm, terms, word_count, SparseVec, Vocabulary};

/// One article of the story, with its analysis.
#[derive(Clone, Copy, Debug)]
pub struct TimelineInput<'a> {
    /// The caller's handle for the article (an index into its own list),
    /// copied into each [`EvidenceSentence`] taken from it.
    pub article: usize,
    /// The published date, `None` when unknown.
    pub published: Option<NaiveDate>,
    /// The article's clean text, which the analysis spans point into.
    pub text: &'a str,
    /// The per-article analysis of `text` (sentences and time expressions
    /// are used).
    pub analysis: &'a Analysis,
}

/// How large a timeline to build, and the knobs of each step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineParams {
    /// At most this many dates.
    pub max_dates: usize,
    /// At most this many sentences per date.
    pub sentences_per_date: usize,
    /// Only dates in this inclusive range are candidates (`None`: any).
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// When not empty, a summary sentence must contain one of these
    /// (case-insensitive substring).
    pub keywords: Vec<String>,
    /// Undated sentences among an article's first this many stand for its
    /// publication date.
    pub lead_sentences: usize,
    /// An article published this many days after a date still reports on it.
    pub publication_lag_days: u32,
    /// Weight of one article published on a date, against one article
    /// mentioning it.
    pub publication_weight: f64,
    /// Weight of each sentence mentioning a date, beyond the first of its article.
    pub sentence_weight: f64,
    /// A mention first made in sentence `i` of an article weighs
    /// `1 / (1 + i / position_decay)`. The default (1000) nearly switches
    /// this off: on Timeline17, favouring lead mentions (10) lowered scores.
    pub position_decay: f64,
    /// A sentence whose cosine similarity to one already chosen exceeds this
    /// is redundant.
    pub max_similarity: f64,
    /// Shortest summary sentence, in words.
    pub min_words: usize,
    /// Longest summary sentence, in words.
    pub max_words: usize,
    /// Two sentences of one day from different articles whose cosine
    /// similarity reaches this report the same event (see [`same_event`]):
    /// each chosen sentence lists the day's other reports of its event.
    pub same_event_similarity: f64,
}

impl Default for TimelineParams {
    fn default() -> TimelineParams {
        TimelineParams {
            max_dates: 10,
            sentences_per_date: 1,
            range: None,
            keywords: Vec::new(),
            lead_sentences: 5,
            publication_lag_days: 1,
            publication_weight: 0.25,
            sentence_weight: 0.1,
            position_decay: 1000.0,
            max_similarity: 0.5,
            min_words: 6,
            max_words: 60,
            same_event_similarity: 0.3,
        }
    }
}

/// One sentence of a timeline entry and where it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvidenceSentence {
    /// [`TimelineInput::article`] of the article it is from.
    pub article: usize,
    /// Index into that article's `analysis.sentences`.
    pub sentence: usize,
    /// Byte span of the sentence in the article's text.
    pub span: Span,
    /// Cosine similarity of the sentence to the date's centroid.
    pub score: f64,
    /// The same event as other articles report it on the same day: one
    /// sentence of each, most alike first (see [`same_event`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<SameEvent>,
}

/// Another article's sentence reporting the event of an
/// [`EvidenceSentence`] on the same day.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SameEvent {
    /// [`TimelineInput::article`] of the article it is from.
    pub article: usize,
    /// Index into that article's `analysis.sentences`.
    pub sentence: usize,
    /// Byte span of the sentence in the article's text.
    pub span: Span,
    /// Its cosine similarity with the entry's sentence.
    pub similarity: f64,
}

/// Most other reports listed with one timeline sentence.
pub const MAX_SAME_EVENT: usize = 20;

/// One dated entry of a timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The day the entry is about.
    pub date: NaiveDate,
    /// Importance of the date (higher is more important; comparable within
    /// one timeline only).
    pub score: f64,
    /// The summary sentences, most representative first.
    pub sentences: Vec<EvidenceSentence>,
}

/// One sentence of the story as the builder sees it.
struct Sent {
    input: usize,
    index: usize,
    span: Span,
    /// The first day the sentence reports something on.
    date: Option<NaiveDate>,
    /// It names only background days (an earlier event, a period's
    /// start): never a lead of its publication day either.
    background: bool,
    words: usize,
    /// Page furniture (stamps, separators), never summary material.
    furniture: bool,
    vector: SparseVec,
    /// The kinds of event the sentence reports and the names it holds
    /// (lowercase), for telling one event in other words.
    events: Vec<storyline_analyze::events::EventType>,
    names: Vec<String>,
}

/// The day of a TIMEX3 value at day granularity or finer (`2010-04-20`,
/// `2010-04-20TNI`, `2010-04-20T21:45`); `None` for coarser or
/// underspecified values.
pub fn timex_day(value: &str) -> Option<NaiveDate> {
    let day = value.get(..10)?;
    let rest = &value[10..];
    if !(rest.is_empty() || rest.starts_with('T')) || is_clock(value) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// Whether a TIMEX3 value is a clock time (`2010-04-20T15:59`): in news
/// these are mostly publication stamps (`May 27, 2010 5:13 PM`) of pages,
/// comments and updates, not the time of an event.
fn is_clock(value: &str) -> bool {
    value
        .split_once('T')
        .is_some_and(|(_, t)| t.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a sentence looks like page furniture rather than prose: a clock
/// stamp, a `|` separator or a link.
pub(crate) fn is_furniture(sentence: &str, analysis: &Analysis, span: Span) -> bool {
    sentence.contains('|')
        || sentence.contains("http")
        || analysis
            .timexes
            .iter()
            .any(|t| span.start <= t.span.start && t.span.start < span.end && is_clock(&t.value))
}

/// What a day a sentence names is to a timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayRole {
    /// Something reported as happening that day.
    Report,
    /// An earlier event named by its day (`the 7 October attacks`, `after
    /// Hamas attacked on 7 October`, in an article two or more days later):
    /// it says the day mattered, but the sentence reports something else
    /// (rule `event_reference`).
    Reference,
    /// The start of a period (`since 1 October it has received 554
    /// reports`): nothing is said to have happened that day (rule
    /// `period_start`).
    PeriodStart,
}

/// Days before publication from which a day named before an act noun is a
/// reference to an earlier event rather than the report of one.
const REFERENCE_DAYS: i64 = 2;

/// The days each sentence of an article refers to, with what each is to a
/// timeline, in text order, one list per sentence (distinct days, first
/// mention first).
pub fn sentence_day_roles(
    text: &str,
    analysis: &Analysis,
    published: Option<NaiveDate>,
) -> Vec<Vec<(NaiveDate, DayRole)>> {
    let mut out: Vec<Vec<(NaiveDate, DayRole)>> = vec![Vec::new(); analysis.sentences.len()];
    for (i, day, t) in dated_timexes(analysis) {
        let s = analysis.sentences[i];
        if out[i].iter().any(|(d, _)| *d == day) {
            continue;
        }
        // The words before, back to the clause's start (a comma, colon or
        // semicolon), nearest first.
        let clause = text.get(s.start..t.span.start).unwrap_or("");
        let clause = clause
            .rfind([',', ';', ':'])
            .map_or(clause, |k| &clause[k + 1..]);
        let before: Vec<String> = clause
            .split_whitespace()
            .rev()
            .take(16)
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                    .to_lowercase()
            })
            .collect();
        let after: Vec<String> = text
            .get(t.span.end..s.end)
            .unwrap_or("")
            .split_whitespace()
            .take(2)
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                    .to_lowercase()
            })
            .collect();
        let act = |w: &String| storyline_analyze::figures::frame::is_act_noun(w);
        // `since 1 October`, `since the war began on 7 October`.
        let role = if before.iter().any(|w| w == "since") {
            DayRole::PeriodStart
        } else if (after.iter().any(act)
            || before.iter().take(3).any(act)
            || before
                .iter()
                .any(|w| matches!(w.as_str(), "after" | "following")))
            && published.is_some_and(|p| (p - day).num_days() >= REFERENCE_DAYS)
        {
            // `the 7 October attacks`, `the attacks on 7 October`, `protests
            // began after Hamas attacked on 7 October`, read days later.
            DayRole::Reference
        } else {
            DayRole::Report
        };
        out[i].push((day, role));
    }
    out
}

/// The days each sentence of `analysis` refers to, in text order, one list
/// per sentence (distinct days, first mention first).
pub fn sentence_days(analysis: &Analysis) -> Vec<Vec<NaiveDate>> {
    let mut out = vec![Vec::new(); analysis.sentences.len()];
    for (i, day, _) in dated_timexes(analysis) {
        if !out[i].contains(&day) {
            out[i].push(day);
        }
    }
    out
}

/// Each date-like time expression at day granularity with its day and the
/// sentence (an index into `analysis.sentences`) that holds its start.
fn dated_timexes(
    analysis: &Analysis,
) -> impl Iterator<Item = (usize, NaiveDate, &storyline_analyze::timex::Timex)> {
    analysis.timexes.iter().filter_map(|t| {
        if !matches!(t.kind, TimexType::Date | TimexType::Time) {
            return None;
        }
        let day = timex_day(&t.value)?;
        let i = analysis
            .sentences
            .partition_point(|s| s.end <= t.span.start);
        let s = analysis.sentences.get(i)?;
        (s.start <= t.span.start).then_some((i, day, t))
    })
}

/// Builds a timeline of at most `params.max_dates` entries with at most
/// `params.sentences_per_date` sentences each, ranked by date importance
/// (best first; sort by [`TimelineEntry::date`] to display). Deterministic:
/// the same inputs in the same order give the same timeline.
pub fn build_timeline(inputs: &[TimelineInput<'_>], params: &TimelineParams) -> Vec<TimelineEntry> {
    if params.max_dates == 0 || params.sentences_per_date == 0 {
        return Vec::new();
    }
    let in_range = |d: NaiveDate| params.range.is_none_or(|(a, b)| a <= d && d <= b);

    // Sentences, their dates and vectors.
    let mut vocab = Vocabulary::default();
    let mut sents: Vec<Sent> = Vec::new();
    let mut counts: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut date_scores: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for (n, input) in inputs.iter().enumerate() {
        let days = sentence_day_roles(input.text, input.analysis, input.published);
        let mut first_mention: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for (i, span) in input.analysis.sentences.iter().enumerate() {
            let Some(s) = span.slice(input.text) else {
                continue;
            };
            // Every day named votes for its importance, background too (a
            // reference to an earlier event, a period's start: on the
            // Timeline17 topics, leaving period starts out of the vote
            // lowered date F1 0.684 → 0.676). Only a day a sentence reports
            // makes it a candidate (below).
            for &(d, _) in &days[i] {
                if in_range(d) {
                    match first_mention.entry(d) {
                        std::collections::btree_map::Entry::Occupied(_) => {
                            *date_scores.entry(d).or_default() += params.sentence_weight;
                        }
                        std::collections::btree_map::Entry::Vacant(v) => {
                            v.insert(i);
                        }
                    }
                }
            }
            let t = terms(s);
            counts.push(vocab.add(&t));
            sents.push(Sent {
                input: n,
                index: i,
                span: *span,
                // Only a day the sentence reports makes it that day's
                // candidate: background never creates an entry.
                date: days[i]
                    .iter()
                    .find(|(_, r)| *r == DayRole::Report)
                    .map(|(d, _)| *d),
                background: !days[i].is_empty()
                    && days[i].iter().all(|(_, r)| *r != DayRole::Report),
                words: word_count(s),
                furniture: is_furniture(s, input.analysis, *span),
                vector: Vec::new(),
                events: input
                    .analysis
                    .events
                    .iter()
                    .filter(|e| e.sentence == *span && !e.negated)
                    .map(|e| e.kind)
                    .collect(),
                names: input
                    .analysis
                    .entities
                    .iter()
                    .filter(|e| span.start <= e.span.start && e.span.end <= span.end)
                    .filter_map(|e| e.span.slice(input.text))
                    .map(str::to_lowercase)
                    .collect(),
            });
        }
        for (d, i) in first_mention {
            *date_scores.entry(d).or_default() +=
                1.0 / (1.0 + i as f64 / params.position_decay.max(f64::MIN_POSITIVE));
        }
        if let Some(p) = input.published {
            if in_range(p) {
                *date_scores.entry(p).or_default() += params.publication_weight;
            }
        }
    }
    for (s, c) in sents.iter_mut().zip(&counts) {
        s.vector = vocab.tfidf(c);
    }

    // Candidate sentences per date.
    let mut candidates: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (k, s) in sents.iter().enumerate() {
        match s.date {
            Some(d) if date_scores.contains_key(&d) => {
                candidates.entry(d).or_default().push(k);
            }
            Some(_) => {}
            None if s.index < params.lead_sentences && !s.background => {
                let Some(p) = inputs[s.input].published else {
                    continue;
                };
                for lag in 0..=u64::from(params.publication_lag_days) {
                    if let Some(d) = p.checked_sub_days(Days::new(lag)) {
                        if date_scores.contains_key(&d) {
                            candidates.entry(d).or_default().push(k);
                        }
                    }
                }
            }
            None => {}
        }
    }

    let mut ranked: Vec<(NaiveDate, f64)> = date_scores.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

    let keywords: Vec<String> = params.keywords.iter().map(|k| k.to_lowercase()).collect();
    let allowed = |s: &Sent| -> bool {
        if s.furniture
            || s.words < params.min_words
            || s.words > params.max_words
            || s.vector.is_empty()
        {
            return false;
        }
        if keywords.is_empty() {
            return true;
        }
        let text = sents_text(inputs, s).to_lowercase();
        keywords.iter().any(|k| text.contains(k.as_str()))
    };

    let mut chosen: Vec<usize> = Vec::new();
    let mut used: HashSet<usize> = HashSet::new();
    let mut timeline = Vec::new();
    for (date, score) in ranked {
        if timeline.len() >= params.max_dates {
            break;
        }
        let Some(cands) = candidates.get(&date) else {
            continue;
        };
        let picked = summarise(&sents, cands, params, &chosen, &used, &allowed);
        if picked.is_empty() {
            continue;
        }
        let mut sentences = Vec::new();
        for (k, sim) in picked {
            chosen.push(k);
            used.insert(k);
            let s = &sents[k];
            sentences.push(EvidenceSentence {
                article: inputs[s.input].article,
                sentence: s.index,
                span: s.span,
                score: sim,
                also: other_reports(&sents, cands, k, params)
                    .into_iter()
                    .map(|(o, similarity)| SameEvent {
                        article: inputs[sents[o].input].article,
                        sentence: sents[o].index,
                        span: sents[o].span,
                        similarity,
                    })
                    .collect(),
            });
        }
        one_host_each(&mut sentences);
        timeline.push(TimelineEntry {
            date,
            score,
            sentences,
        });
    }
    timeline
}

/// Whether two sentences of one day, from different articles and neither
/// shorter than [`TimelineParams::min_words`], report the same event: their
/// words are alike (cosine at least
/// [`TimelineParams::same_event_similarity`]), or they report an event of
/// the same kind and share two names (`Israel`, `Gaza`), or their only one.
/// The day is the caller's to check: both are candidates of one date.
fn same_event(a: &Sent, b: &Sent, params: &TimelineParams) -> Option<f64> {
    // A fragment (`20 April:`, a heading) reports nothing, however alike
    // its few words are.
    if a.input == b.input || a.words < params.min_words || b.words < params.min_words {
        return None;
    }
    let sim = cosine(&a.vector, &b.vector);
    if sim >= params.same_event_similarity {
        return Some(sim);
    }
    let shared_kind = a.events.iter().any(|k| b.events.contains(k));
    let mut names: Vec<&String> = a.names.iter().filter(|n| b.names.contains(n)).collect();
    names.sort();
    names.dedup();
    let fewest = a.names.len().min(b.names.len());
    (shared_kind && !names.is_empty() && (names.len() >= 2 || fewest == 1)).then_some(sim)
}

/// Keeps each other report with the one sentence of the entry it is most
/// alike, so that one article's sentence is never counted as a source of
/// two different events of the day (on the BBC corpus, a lead that matched
/// two sentences of a day was listed under both).
fn one_host_each(sentences: &mut [EvidenceSentence]) {
    let mut best: BTreeMap<(usize, usize), (usize, f64)> = BTreeMap::new();
    for (h, s) in sentences.iter().enumerate() {
        for o in &s.also {
            let slot = best
                .entry((o.article, o.sentence))
                .or_insert((h, o.similarity));
            if o.similarity > slot.1 {
                *slot = (h, o.similarity);
            }
        }
    }
    for (h, s) in sentences.iter_mut().enumerate() {
        s.also.retain(|o| {
            best.get(&(o.article, o.sentence))
                .is_some_and(|(b, _)| *b == h)
        });
    }
}

/// The other articles' reports of sentence `k`'s event among the day's
/// candidates: one sentence per article (its most alike), most alike
/// first, at most [`MAX_SAME_EVENT`].
fn other_reports(
    sents: &[Sent],
    cands: &[usize],
    k: usize,
    params: &TimelineParams,
) -> Vec<(usize, f64)> {
    let mut best: BTreeMap<usize, (usize, f64)> = BTreeMap::new();
    for &o in cands {
        if o == k {
            continue;
        }
        if let Some(sim) = same_event(&sents[k], &sents[o], params) {
            let slot = best.entry(sents[o].input).or_insert((o, sim));
            if sim > slot.1 {
                *slot = (o, sim);
            }
        }
    }
    let mut out: Vec<(usize, f64)> = best.into_values().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out.truncate(MAX_SAME_EVENT);
    out
}

fn sents_text<'a>(inputs: &[TimelineInput<'a>], s: &Sent) -> &'a str {
    s.span.slice(inputs[s.input].text).unwrap_or("")
}

/// Greedy centroid optimisation over the candidates of one date: returns
/// the chosen sentences with their similarity to the centroid.
fn summarise(
    sents: &[Sent],
    cands: &[usize],
    params: &TimelineParams,
    chosen: &[usize],
    used: &HashSet<usize>,
    allowed: &dyn Fn(&Sent) -> bool,
) -> Vec<(usize, f64)> {
    let mut centroid: SparseVec = Vec::new();
    for &k in cands {
        centroid = add_scaled(&centroid, &sents[k].vector, 1.0);
    }
    let cn = norm(&centroid);
    if cn == 0.0 {
        return Vec::new();
    }
    let mut pool: Vec<usize> = cands
        .iter()
        .copied()
        .filter(|k| !used.contains(k) && allowed(&sents[*k]))
        .collect();
    let mut summary: SparseVec = Vec::new();
    let mut picked: Vec<(usize, f64)> = Vec::new();
    while picked.len() < params.sentences_per_date && !pool.is_empty() {
        let s_dot_c = dot(&summary, &centroid);
        let s_norm2 = norm(&summary).powi(2);
        let mut best: Option<(usize, f64)> = None;
        for (p, &k) in pool.iter().enumerate() {
            let x = &sents[k].vector;
            let num = s_dot_c + dot(x, &centroid);
            let den = (s_norm2 + 2.0 * dot(&summary, x) + norm(x).powi(2)).sqrt() * cn;
            let score = if den > 0.0 { num / den } else { 0.0 };
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((p, score));
            }
        }
        let Some((p, _)) = best else { break };
        let k = pool.remove(p);
        let x = &sents[k].vector;
        // Another report of an event this day already has is not skipped
        // here (it is listed with that sentence, `also`, and a view may fold
        // it in): skipping it for the next candidate lowered leave-one-topic-
        // out AR1-F on Timeline17 from 0.1404 to 0.1397.
        let redundant = chosen
            .iter()
            .chain(picked.iter().map(|(c, _)| c))
            .any(|&c| cosine(&sents[c].vector, x) > params.max_similarity);
        if redundant {
            continue;
        }
        summary = add_scaled(&summary, x, 1.0);
        picked.push((k, cosine(x, &centroid)));
    }
    picked
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use storyline_analyze::document::{analyze, AnalysisContext};
    use storyline_core::Timestamp;

    pub(crate) fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test date")
    }

    /// Texts analysed against their published days, as the tests of
    /// this module and of `summary` read them.
    pub(crate) fn analysed(
        texts: &[(&str, Option<&str>)],
    ) -> Vec<(Option<NaiveDate>, String, Analysis)> {
        texts
            .iter()
            .map(|(t, p)| {
                let published = p.map(day);
                let a = analyze(
                    t,
                    &AnalysisContext {
                        published: published.map(Timestamp::from_date),
                    },
                );
                (published, t.to_string(), a)
            })
            .collect()
    }

    pub(crate) fn inputs(docs: &[(Option<NaiveDate>, String, Analysis)]) -> Vec<TimelineInput<'_>> {
        docs.iter()
            .enumerate()
            .map(|(i, (p, t, a))| TimelineInput {
                article: i,
                published: *p,
                text: t,
                analysis: a,
            })
            .collect()
    }

    #[test]
    fn background_days_never_make_an_entry() {
        let text = "Since 1 October the charity has received 554 reports. \
                    The 7 October attacks shocked the country. \
                    On 3 November the march drew thousands.";
        let published = NaiveDate::from_ymd_opt(2023, 11, 4);
        let analysis = storyline_analyze::document::analyze(
            text,
            &storyline_analyze::document::AnalysisContext {
                published: published.map(storyline_core::Timestamp::from_date),
            },
        );
        let roles: Vec<DayRole> = sentence_day_roles(text, &analysis, published)
            .into_iter()
            .flatten()
            .map(|(_, r)| r)
            .collect();
        assert_eq!(
            roles,
            vec![DayRole::PeriodStart, DayRole::Reference, DayRole::Report]
        );
        let inputs = [TimelineInput {
            article: 0,
            published,
            text,
            analysis: &analysis,
        }];
        let entries = build_timeline(&inputs, &TimelineParams::default());
        let days: Vec<NaiveDate> = entries.iter().map(|e| e.date).collect();
        assert!(!days.contains(&NaiveDate::from_ymd_opt(2023, 10, 1).expect("a day")));
        for e in &entries {
            for s in &e.sentences {
                let said = s.span.slice(text).unwrap_or("");
                assert!(!said.starts_with("The 7 October"), "{e:?}");
            }
        }
    }

    #[test]
    fn timex_days() {
        assert_eq!(timex_day("2010-04-20"), Some(day("2010-04-20")));
        assert_eq!(timex_day("2010-04-20TNI"), Some(day("2010-04-20")));
        assert_eq!(timex_day("2010-04"), None);
        assert_eq!(timex_day("XXXX-04-20"), None);
        assert_eq!(timex_day("2010-W16"), None);
        assert_eq!(timex_day("2010-04-20X"), None);
        assert_eq!(timex_day("2010-02-30"), None);
    }

    #[test]
    fn the_most_referenced_day_comes_first() {
        let docs = analysed(&[
            (
                "An oil rig exploded in the Gulf of Mexico on Tuesday, killing eleven workers. \
                 Crews searched the water through the night for the missing men.",
                Some("2010-04-21"),
            ),
            (
                "The Deepwater Horizon rig sank on April 22, 2010, two days after the blast on April 20. \
                 Officials said the explosion on April 20 had started a fire that burned for days.",
                Some("2010-04-23"),
            ),
            (
                "Oil began washing ashore in Louisiana on April 30, 2010, officials reported. \
                 The spill had grown since the rig exploded on April 20, 2010, in the Gulf.",
                Some("2010-05-01"),
            ),
        ]);
        let inp = inputs(&docs);
        let tl = build_timeline(
            &inp,
            &TimelineParams {
                max_dates: 2,
                sentences_per_date: 1,
                ..TimelineParams::default()
            },
        );
        assert_eq!(tl.len(), 2);
        assert_eq!(tl[0].date, day("2010-04-20"));
        assert!(tl[0].score >= tl[1].score);
        for e in &tl {
            assert_eq!(e.sentences.len(), 1);
            let ev = &e.sentences[0];
            let text = &docs[ev.article].1;
            let s = ev.span.slice(text).expect("span in text");
            assert_eq!(docs[ev.article].2.sentences[ev.sentence], ev.span);
            assert!(!s.is_empty());
        }
        // Deterministic.
        assert_eq!(
            tl,
            build_timeline(
                &inp,
                &TimelineParams {
                    max_dates: 2,
                    ..TimelineParams::default()
                }
            )
        );
    }

    #[test]
    fn undated_articles_contribute_only_absolute_dates() {
        let docs = analysed(&[(
            "Protesters gathered in the capital on Friday to demand the minister resign. \
             The minister had been appointed on March 3, 2011, after a long dispute in parliament.",
            None,
        )]);
        let inp = inputs(&docs);
        let tl = build_timeline(&inp, &TimelineParams::default());
        let dates: Vec<NaiveDate> = tl.iter().map(|e| e.date).collect();
        assert_eq!(dates, [day("2011-03-03")]);
        assert_eq!(tl[0].sentences[0].sentence, 1);
    }

    #[test]
    fn range_keywords_and_limits_are_respected() {
        let docs = analysed(&[
            (
                "The earthquake struck Haiti on January 12, 2010, flattening much of the capital. \
                 Aid flights began landing in the capital on January 14, 2010, amid chaos at the airport. \
                 A separate storm hit the coast of Chile on January 14, 2010, without any casualties.",
                Some("2010-01-15"),
            ),
        ]);
        let inp = inputs(&docs);
        let params = TimelineParams {
            max_dates: 5,
            sentences_per_date: 3,
            range: Some((day("2010-01-13"), day("2010-01-31"))),
            keywords: vec!["Haiti".into(), "airport".into()],
            ..TimelineParams::default()
        };
        let tl = build_timeline(&inp, &params);
        assert!(tl.iter().all(|e| e.date >= day("2010-01-13")));
        assert_eq!(tl.len(), 1);
        assert_eq!(tl[0].date, day("2010-01-14"));
        let texts: Vec<&str> = tl[0]
            .sentences
            .iter()
            .filter_map(|e| e.span.slice(&docs[0].1))
            .collect();
        assert_eq!(texts.len(), 1);
        assert!(texts[0].contains("airport"));
        assert!(build_timeline(
            &inp,
            &TimelineParams {
                max_dates: 0,
                ..params
            }
        )
        .is_empty());
    }

    #[test]
    fn empty_input_gives_an_empty_timeline() {
        assert!(build_timeline(&[], &TimelineParams::default()).is_empty());
    }

    #[test]
    fn one_event_from_several_articles_is_one_sentence_with_every_source() {
        let docs = analysed(&[
            (
                "An explosion on the Deepwater Horizon rig in the Gulf of Mexico killed 11 workers on April 20, 2010.",
                Some("2010-04-21"),
            ),
            (
                "Eleven workers died when the Deepwater Horizon drilling rig exploded in the Gulf of Mexico on April 20, 2010.",
                Some("2010-04-21"),
            ),
            (
                "Coast Guard crews searched the waters of the gulf through the night on April 20, 2010, for the missing men.",
                Some("2010-04-21"),
            ),
        ]);
        let inp = inputs(&docs);
        let tl = build_timeline(
            &inp,
            &TimelineParams {
                max_dates: 1,
                sentences_per_date: 2,
                ..TimelineParams::default()
            },
        );
        assert_eq!(tl.len(), 1);
        let e = &tl[0];
        assert_eq!(e.date, day("2010-04-20"));
        let said = |a: usize, span: Span| span.slice(&docs[a].1).expect("span in text");
        // The blast, with the other article that reports it; the search,
        // another event of the day, is not listed as the blast.
        let blast = e
            .sentences
            .iter()
            .find(|s| s.article != 2)
            .expect("the blast is in the entry");
        let other = 1 - blast.article;
        assert_eq!(blast.also.len(), 1, "{e:?}");
        let also = blast.also[0];
        assert_eq!(also.article, other);
        assert_eq!(also.sentence, 0);
        assert_eq!(docs[other].2.sentences[0], also.span);
        assert!(said(other, also.span).contains("Deepwater Horizon"));
    }

    #[test]
    fn another_report_is_listed_with_one_sentence_only() {
        let other = |article, similarity| SameEvent {
            article,
            sentence: 0,
            span: Span::new(0, 1),
            similarity,
        };
        let host = |article, also| EvidenceSentence {
            article,
            sentence: 0,
            span: Span::new(0, 1),
            score: 1.0,
            also,
        };
        let mut entry = vec![
            host(0, vec![other(2, 0.4), other(3, 0.5)]),
            host(1, vec![other(2, 0.6)]),
        ];
        one_host_each(&mut entry);
        assert_eq!(entry[0].also, vec![other(3, 0.5)]);
        assert_eq!(entry[1].also, vec![other(2, 0.6)]);
    }

    #[test]
    fn redundant_sentences_are_not_repeated() {
        let s = "Rescuers pulled survivors from the rubble of the collapsed hotel on May 3, 2012.";
        let docs = analysed(&[(s, Some("2012-05-04")), (s, Some("2012-05-04"))]);
        let inp = inputs(&docs);
        let tl = build_timeline(
            &inp,
            &TimelineParams {
                sentences_per_date: 2,
                ..TimelineParams::default()
            },
        );
        assert_eq!(tl.len(), 1);
        assert_eq!(tl[0].sentences.len(), 1);
    }
}
