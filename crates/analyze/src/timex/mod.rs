//! Time expressions (TIMEX3), fast tier: a rule-based tagger in the manner of
//! HeidelTime.
//!
//! Extraction and normalisation are separate steps. Compiled patterns
//! ([`rules`]) find candidate extents and read each into an unresolved
//! meaning ([`expr::Expr`]: "the Friday nearest the reference", "two units
//! before the DCT"); overlapping candidates are settled longest-first; then a
//! resolver walks the survivors in text order and computes TIMEX3 values
//! against the document creation time, the tense of the sentence, and what the
//! document mentioned before (the quarter a business story is about, the
//! last date a narrative reached).
//!
//! The cost of doing it by rules is coverage: an expression no pattern
//! knows is missed. What it buys is speed (one linear scan per pattern, no
//! model) and values that can be explained pattern by pattern.
//!
//! ```
//! use storyline_analyze::timex::{find_timexes, TimexContext, TimexType};
//! use storyline_core::Timestamp;
//!
//! let ctx = TimexContext::news(Timestamp::parse("2023-11-09").ok());
//! let found = find_timexes("Ministers met on Friday and will meet again next week.", &ctx);
//! let values: Vec<&str> = found.iter().map(|t| t.value.as_str()).collect();
//! assert_eq!(values, ["2023-11-03", "2023-W46"]);
//! assert_eq!(found[0].kind, TimexType::Date);
//! ```

mod expr;
mod lexicon;
mod resolve;
mod rules;
mod tense;
pub(crate) use tense::is_past_verb;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use storyline_core::{Span, Timestamp};

use expr::{Anchor, Expr};
use resolve::State;
use rules::{interpret, Interp, RULES};
use tense::{sentence_bounds, tense_at, Tense};

/// The four TIMEX3 types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    /// A calendar date or period at day granularity or coarser (`Oct. 7`, `last week`, `1990s`).
    Date,
    /// A time of day or part of a day (`3:30 p.m.`, `Wednesday night`).
    Time,
    /// A length of time (`three days`, `less than a month`).
    Duration,
    /// A recurrence (`every week`, `daily`).
    Set,
}

impl TimexType {
    /// The TIMEX3 `type` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// One time expression found in a text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timex {
    /// Where it is, in bytes of the text given.
    pub span: Span,
    /// The text of the span.
    pub text: String,
    /// TIMEX3 type.
    pub kind: TimexType,
    /// Normalised TIMEX3 value (`2023-11-09`, `XXXX-10-07`, `2023-W45`,
    /// `2023-11-09TEV`, `P3D`, `PT2H`, `PXY`, `PRESENT_REF`, `2023-Q3`, `199`
    /// for the 1990s). Underspecified (`X`) where the text and context do not say.
    pub value: String,
    /// TIMEX3 `mod` (`APPROX`, `LESS_THAN`, `MORE_THAN`, `START`, `END`, `MID`, ...).
    pub mod_: Option<String>,
    /// Whether the value depended on a reference date (the DCT or an earlier
    /// mention) rather than being stated in full by the text.
    pub anchored: bool,
}

/// What kind of text is being tagged, which decides the reference date for
/// relative expressions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Genre {
    /// News: `Friday` and `last week` count from the document creation time.
    #[default]
    News,
    /// Narrative (history, biography): they count from the last date the text mentioned.
    Narrative,
}

/// The context a text is tagged in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TimexContext {
    /// Document creation time; `None` keeps relative expressions underspecified.
    pub dct: Option<Timestamp>,
    /// News or narrative.
    pub genre: Genre,
}

impl TimexContext {
    /// A news context with an optional creation time.
    pub fn news(dct: Option<Timestamp>) -> TimexContext {
        TimexContext {
            dct,
            genre: Genre::News,
        }
    }
}

/// A candidate extent before overlaps are settled.
struct Candidate {
    start: usize,
    end: usize,
    order: usize,
    interp: Interp,
}

/// Finds and normalises the time expressions of `text`, sorted by position,
/// non-overlapping, with spans on character boundaries.
pub fn find_timexes(text: &str, ctx: &TimexContext) -> Vec<Timex> {
    let mut cands: Vec<Candidate> = Vec::new();
    for (order, rule) in RULES.iter().enumerate() {
        for caps in rule.re.captures_iter(text) {
            let Some(m) = caps.get(0) else { continue };
            let Some(interp) = interpret(rule.id, &caps, text) else {
                continue;
            };
            let start = m.start() + interp.trim_start;
            let end = m.end().saturating_sub(interp.trim_end);
            if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            let slice = &text[start..end];
            let (start, end) = trim_span(slice, start, end);
            if start >= end {
                continue;
            }
            cands.push(Candidate {
                start,
                end,
                order,
                interp,
            });
        }
    }
    // Longest first; among equals, the earlier rule.
    cands.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.order.cmp(&b.order))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: Vec<Candidate> = Vec::new();
    for c in cands {
        if taken.iter().all(|t| c.end <= t.start || c.start >= t.end) {
            taken.push(c);
        }
    }
    taken.sort_by_key(|c| c.start);

    let sentences = sentence_bounds(text);
    let mut state = State {
        dct: ctx.dct.map(|d| d.date),
        dct_time: ctx.dct.and_then(|d| d.time),
        narrative: ctx.genre == Genre::Narrative,
        last_quarter: None,
        last_date: None,
        sentence_day: None,
    };
    let mut sent_idx = 0;
    let mut out = Vec::with_capacity(taken.len());
    for c in taken {
        let prev_idx = sent_idx;
        while sent_idx + 1 < sentences.len() && sentences[sent_idx].1 <= c.start {
            sent_idx += 1;
        }
        if sent_idx != prev_idx {
            state.sentence_day = None;
        }
        let sent = sentences.get(sent_idx).copied().unwrap_or((0, text.len()));
        let tense = if needs_tense(&c.interp.expr) {
            tense_at(text, sent, c.start, c.end)
        } else {
            Tense::Unknown
        };
        let value = state.resolve(&c.interp.expr, tense);
        out.push(Timex {
            span: Span::new(c.start, c.end),
            text: text[c.start..c.end].to_string(),
            kind: c.interp.kind,
            value,
            mod_: c.interp.mod_.map(str::to_string),
            anchored: is_anchored(&c.interp.expr),
        });
    }
    out
}

/// Drops whitespace and stray punctuation the patterns can leave at the edges.
fn trim_span(slice: &str, start: usize, _end: usize) -> (usize, usize) {
    let s2 = slice.trim_start();
    let new_start = start + (slice.len() - s2.len());
    let mut s3 = s2.trim_end().trim_end_matches([',', ';', ':']).trim_end();
    for poss in ["'s", "\u{2019}s"] {
        if let Some(x) = s3.strip_suffix(poss) {
            s3 = x;
        }
    }
    (new_start, new_start + s3.len())
}

fn needs_tense(e: &Expr) -> bool {
    matches!(
        e,
        Expr::Calendar { .. }
            | Expr::CalendarWeekday { .. }
            | Expr::Weekday { .. }
            | Expr::NearWeekend
            | Expr::Season { .. }
            | Expr::Holiday { .. }
            | Expr::Quarter { .. }
            | Expr::Clock { .. }
    )
}

fn is_anchored(e: &Expr) -> bool {
    match e {
        Expr::Calendar { year, .. } | Expr::Quarter { year, .. } | Expr::Half { year, .. } => {
            !matches!(year, expr::YearSpec::Explicit(_))
        }
        Expr::Decade(_) | Expr::Century(_) | Expr::Duration { .. } | Expr::Exact(_) => false,
        Expr::Literal(_) => false,
        Expr::Shift { anchor, .. } => matches!(anchor, Anchor::Dct | Anchor::Previous),
        _ => true,
    }
}
