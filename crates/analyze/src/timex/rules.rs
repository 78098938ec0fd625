//! The patterns: one compiled regex per construction, each with a function
//! that reads its captures into an [`Expr`]. All regexes are compiled once
//! (see [`RULES`]); matching a document is a linear scan per rule.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::expr::{Anchor, Expr, Holiday, YearSpec};
use super::lexicon::{
    month_number, months_re, number_value, number_words_re, ordinal_value, season_code,
    weekday_number, weekdays_re, year_words_value, Unit, UNIT_RE,
};
use super::TimexType;

/// Which construction a rule recognises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum RuleId {
    Iso,
    Slash,
    MonthDay,
    DayMonth,
    MonthYear,
    MonthYearWords,
    Month,
    Year,
    YearWords,
    YearPeriod,
    Decade,
    DecadeWords,
    Century,
    Quarter,
    ContextQuarter,
    YearAgoAdj,
    Season,
    RelUnit,
    EdgeUnit,
    Weekday,
    DayWord,
    PartDay,
    PartThenDay,
    Clock,
    ClockWord,
    ClockInThe,
    Ago,
    Duration,
    DurationAdj,
    BarePlural,
    VaguePlural,
    Set,
    SetAdverb,
    Reference,
    Holiday,
    TheYear,
    YearEnd,
}

/// A compiled rule.
pub(super) struct Rule {
    pub(super) id: RuleId,
    pub(super) re: Regex,
}

/// What a match means: the type, the unresolved meaning, and a modifier.
pub(super) struct Interp {
    pub(super) kind: TimexType,
    pub(super) expr: Expr,
    pub(super) mod_: Option<&'static str>,
    /// Bytes to drop from the end of the match (a sentence-final period).
    pub(super) trim_end: usize,
    /// Bytes to drop from the start of the match (a preposition the pattern
    /// needed as context but TimeML leaves out of the extent).
    pub(super) trim_start: usize,
}

fn interp(kind: TimexType, expr: Expr) -> Option<Interp> {
    Some(Interp {
        kind,
        expr,
        mod_: None,
        trim_end: 0,
        trim_start: 0,
    })
}

/// Modifier words before durations and ago-expressions, and the TIMEX3 `mod` each gives.
const MODS: &str = "about|around|approximately|roughly|some|nearly|almost|more than|over|less than|under|at least|at most|up to|no more than|no less than|fewer than|close to|just over|just under|well over|barely|only|just|within|the better part of|upwards of|a little over|a little more than|a little less than|not quite|nearly all of";

fn mod_value(word: &str) -> Option<&'static str> {
    Some(match word.to_ascii_lowercase().as_str() {
        "about" | "around" | "approximately" | "roughly" | "some" | "close to" | "nearly"
        | "almost" | "not quite" | "nearly all of" => "APPROX",
        "more than" | "over" | "just over" | "well over" | "upwards of" | "a little over"
        | "a little more than" => "MORE_THAN",
        "less than" | "under" | "fewer than" | "just under" | "a little less than" | "barely" => {
            "LESS_THAN"
        }
        "at least" | "no less than" => "EQUAL_OR_MORE",
        "at most" | "up to" | "no more than" | "within" => "EQUAL_OR_LESS",
        _ => return None,
    })
}

/// Words before a date that give it a `mod`, and the value.
const PMODS: &str = r"(?:the )?(?:very )?(?:end|beginning|start|middle|close|turn|dawn|first half|second half|last half|latter half|early part|later part|latter part|first part|last part) of|early|late|mid-|mid|earlier|later|the early|the late|the mid-|the mid";

fn pmod_value(word: &str) -> Option<&'static str> {
    let w = word.to_ascii_lowercase();
    let w = w.trim_start_matches("the ").trim_start_matches("very ");
    Some(
        if w.starts_with("end")
            || w.starts_with("close")
            || w.starts_with("late")
            || w.starts_with("latter")
            || w.starts_with("last part")
            || w.starts_with("later")
        {
            "END"
        } else if w.starts_with("beginning")
            || w.starts_with("start")
            || w.starts_with("early")
            || w.starts_with("first part")
            || w.starts_with("dawn")
            || w.starts_with("earlier")
            || w.starts_with("turn")
        {
            "START"
        } else if w.starts_with("mid") {
            "MID"
        } else {
            return None;
        },
    )
}

/// A half named by a prefix (`the first half of`), which changes the value rather than the mod.
fn pmod_half(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    if w.contains("first half") {
        Some(1)
    } else if w.contains("second half") || w.contains("last half") || w.contains("latter half") {
        Some(2)
    } else {
        None
    }
}

/// All rules, compiled once.
pub(super) static RULES: LazyLock<Vec<Rule>> = LazyLock::new(build_rules);

fn build_rules() -> Vec<Rule> {
    let mon = months_re();
    let wd = weekdays_re();
    let numw = number_words_re();
    let num = format!(
        r"(?:\d+(?:[.,]\d+)?(?: 1/2)?|(?:{numw})(?: and a half)?|an?|a few|a couple of|a couple|several|few|many|a number of|dozens of|hundreds of|a half|half an?)"
    );
    let year = r"(?:1[0-9]\d\d|20\d\d)";
    let yearw = format!(
        r"(?:(?:nineteen|eighteen|twenty)[ -](?:{numw}|hundred)|two thousand(?: and)?(?: (?:{numw}))?)"
    );
    let day = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?";
    let ordw = "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first|twenty-second|twenty-third|twenty-fourth|twenty-fifth|twenty-sixth|twenty-seventh|twenty-eighth|twenty-ninth|thirtieth|thirty-first";
    let part = "morning|afternoon|evening|night|overnight";
    let season = "spring|summer|autumn|fall|winter";
    let rel_year = "last year|this year|next year";
    let defs: Vec<(RuleId, String)> = vec![
        (
            RuleId::Iso,
            r"\b(?P<y>(?:1[0-9]|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?:[T ](?P<H>[0-2]\d):(?P<M>[0-5]\d)(?::[0-5]\d)?)?\b".into(),
        ),
        (
            RuleId::Slash,
            r"\b(?P<a>[01]?\d)/(?P<b>[0-3]?\d)/(?P<y>\d{4}|\d{2})\b".into(),
        ),
        (
            RuleId::MonthDay,
            format!(r"\b(?:(?P<wd>{wd}),? )?(?:(?P<pmod>{PMODS})[ -]?)?(?P<mon>{mon}) (?:the )?(?P<day>{day}|{ordw})\b(?:,? (?:(?P<year>{year})\b|'(?P<y2>\d\d)\b|(?P<yw>{yearw})\b|(?P<ry>{rel_year})\b))?"),
        ),
        (
            RuleId::DayMonth,
            format!(r"\b(?:(?P<wd>{wd}),? )?(?:the )?(?P<day>{day}|{ordw})(?: of)? (?P<mon>{mon})(?:,? (?:(?P<year>{year})\b|(?P<ry>{rel_year})\b))?"),
        ),
        (
            RuleId::MonthYear,
            format!(r"\b(?:(?P<pmod>{PMODS})[ -]?)?(?P<mon>{mon})(?: of|,)? (?:(?P<year>{year})\b|'(?P<y2>\d\d)\b|(?P<ry>{rel_year})\b)"),
        ),
        (
            RuleId::MonthYearWords,
            format!(r"\b(?P<mon>{mon})(?: of)? (?P<yw>{yearw})\b"),
        ),
        (
            RuleId::Month,
            format!(r"\b(?:(?P<rel>last|this|next|this past|this coming|(?:{PMODS}))[ -]?)?(?P<mon>{mon})"),
        ),
        (
            RuleId::Year,
            format!(r"(?:\b(?P<pre>(?:the )?(?:fiscal year|fiscal|calendar year|calendar|model year|school year|crop year|the year|year)) )?(?:\b(?P<pmod>{PMODS})[ -]?)?\b(?P<year>{year})\b"),
        ),
        (
            RuleId::YearWords,
            format!(r"\b(?:(?P<pre>the year|in|of|since|by|until|from|before|after|during) )(?P<yw>{yearw})\b"),
        ),
        (
            RuleId::YearPeriod,
            format!(r"\bthe (?P<year>{year}) (?:period|fiscal year|year|season|quarter)\b"),
        ),
        (
            RuleId::Decade,
            r"(?:\b(?P<the>the) )?(?:\b(?P<pmod>early|late|mid|the early|the late|the mid)[ -]?)?(?:\b(?P<dec>(?:1\d|20)\d0)|(?P<d2>'\d0))'?s\b".into(),
        ),
        (
            RuleId::DecadeWords,
            r"\bthe (?:(?P<pmod>early|late|mid)[ -]?)?(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b".into(),
        ),
        (
            RuleId::Century,
            format!(r"\b(?:(?P<the>the|this|last|next) )?(?:(?P<pmod>early|late|mid)[ -]?)?(?P<ord>\d{{1,2}}(?:st|nd|rd|th)|{ordw})[ -]century\b|\b(?P<this>this|last|next|the current|the last|the next|the past) century\b"),
        ),
        (
            RuleId::Quarter,
            format!(r"\b(?:(?P<det>the|this|last|next|that|its|a|(?P<ry>{rel_year})'s|(?P<y1>{year})'s) )?(?:(?:fiscal|calendar) )?(?:(?P<y0>{year}) )?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[- ](?:fiscal[- ])?(?P<unit>quarter|half|period)\b(?:(?: of| in)?(?: fiscal| the fiscal year| the year| calendar)? (?:(?P<y2>{year})\b|(?P<ry2>{rel_year})\b))?"),
        ),
        (
            RuleId::ContextQuarter,
            r"\b(?:(?P<det>the|this|that|a) )?(?:(?P<rel>latest|current|previous|past|prior|recent|last|next|coming|same|comparable|year-ago|year-earlier|prior-year|year-before|fiscal) )?(?:(?P<rel2>year-ago|year-earlier|fiscal|latest|third|fourth) )?(?P<unit>quarter|period|nine months|six months|three months)\b".into(),
        ),
        (
            RuleId::YearAgoAdj,
            r"\b(?:year-ago|year-earlier|year-before|prior-year)\b".into(),
        ),
        (
            RuleId::Season,
            format!(r"\b(?:(?P<det>the|this|last|next|that|this past|this coming|early|late|mid|(?:{PMODS}))[ -])?(?:(?P<det2>early|late|mid)[ -])?(?P<season>{season})\b(?:(?: of)? (?:(?P<year>{year})\b|(?P<yw>{yearw})\b|(?P<ry>{rel_year})\b))?"),
        ),
        (
            RuleId::RelUnit,
            format!(r"\b(?:(?P<pmod>{PMODS}|within|during|throughout) )?(?P<rel>last|this|next|past|coming|previous|following|current|the past|the coming|the previous|the following|the current|the next|the last|the prior|that|that same|the same|same)(?: (?:fiscal|calendar))? (?P<unit>week|weekend|month|year|decade|century|quarter|day|night|morning|afternoon|evening)\b(?P<poss>'s)?"),
        ),
        (
            RuleId::EdgeUnit,
            r"\b(?P<pmod>(?:earlier|later|early|late) (?:in|on) the|(?:the )?(?:end|beginning|start|middle|close) of the|year-end|year end|yearend|month-end|month end) ?(?P<unit>year|month|week|day|quarter|decade|century)?\b".into(),
        ),
        (
            RuleId::Weekday,
            format!(r"\b(?:(?P<pmod>early|late|earlier|later|mid)[ -])?(?:(?P<rel>last|this|next|this past|this coming|the following|the next|the previous|that) )?(?P<wd>{wd})(?P<poss>'s)?(?:,? (?P<part>{part}))?(?: (?P<dw>{wd}|{mon}) )?"),
        ),
        (
            RuleId::DayWord,
            format!(r"\b(?:(?P<pmod>early|late|earlier|later|mid)[ -])?(?P<w>today|tonight|yesterday|tomorrow|the day before yesterday|the day after tomorrow)(?P<poss>'s)?(?: (?P<part>{part}))?\b"),
        ),
        (
            RuleId::PartDay,
            format!(r"\b(?:(?P<pmod>early|late|earlier|later)[ -])?(?P<d>this|last|tomorrow|yesterday|that) (?P<part>{part})\b"),
        ),
        (
            RuleId::PartThenDay,
            format!(r"\b(?P<part>(?:mid-|mid |early |late )?(?:{part})) (?:of )?(?P<d>yesterday|today|tomorrow|{wd})"),
        ),
        (
            RuleId::Clock,
            format!(r"\b(?P<h>[012]?\d)(?:[:.](?P<m>[0-5]\d))?(?: ?(?P<ap>a\.m\b\.?|p\.m\b\.?|am\b|pm\b|o'clock\b)(?: (?P<zone>[ECMP][SD]T\b|GMT\b|UTC\b|local time\b|ET\b))?|(?::(?P<m2>[0-5]\d))? ?(?P<zone2>GMT|UTC|[ECMP][SD]T)\b)(?:,? (?:on )?(?P<day>today|tonight|yesterday|tomorrow|{wd}|{mon} (?:[12]\d|3[01]|0?[1-9])\b))?"),
        ),
        (
            RuleId::ClockWord,
            format!(r"\b(?P<w>noon|midnight|midday)(?:,? (?:on )?(?P<day>today|yesterday|tomorrow|{wd}))?\b"),
        ),
        (
            RuleId::ClockInThe,
            r"\b(?P<h>[012]?\d)(?::(?P<m>[0-5]\d))? in the (?P<part>morning|afternoon|evening)\b".into(),
        ),
        (
            RuleId::Ago,
            format!(r"\b(?:(?P<mod>{MODS}) )?(?P<num>{num}) (?:(?:more|full|long) )?(?P<unit>{UNIT_RE})(?: or so)? (?P<dir>ago|earlier|later|before|after|from now|hence|since)\b"),
        ),
        (
            RuleId::Duration,
            format!(r"\b(?:(?P<mod>{MODS}) )?(?:(?P<the>the|this|that|these|those) )?(?:(?P<rel>past|last|next|first|coming|previous|following|final|latest|initial|remaining|ensuing|preceding|recent|entire|full|whole|same|other|last few) )?(?P<num>{num})(?: (?:more|additional|full|straight|consecutive|long|further|extra|short))? (?P<unit>{UNIT_RE})\b(?: (?:or so|and a half))?(?: or (?P<num2>{num}) (?:more )?(?:{UNIT_RE})?)?"),
        ),
        (
            RuleId::DurationAdj,
            format!(r"\b(?P<num>\d+(?:\.\d+)?|{numw}|several|multi|half)-(?P<unit>second|minute|hour|day|week|month|year|decade|century)(?P<rest>-olds?|-long|s-old)?\b|\b(?P<unit2>day|week|month|year|decade|hour|decades|years|months|weeks|days|hours)-long\b"),
        ),
        (
            RuleId::BarePlural,
            r"\b(?P<pre>for|within|in|over|after|take|takes|took|taken|taking|last|lasted|lasting|spend|spent|from|than|by|the) (?P<unit>minutes|hours|days|weeks|months|years|decades|centuries)\b".into(),
        ),
        (
            RuleId::VaguePlural,
            r"\b(?:(?P<the>the) )?(?P<rel>recent|coming|past|next few|past few|last few|previous|early|later) (?P<unit>minutes|hours|days|weeks|months|years|decades|centuries)\b".into(),
        ),
        (
            RuleId::Set,
            format!(r"\b(?:(?P<freq>once|twice|three times|four times|(?:\d+|{numw}) times) )?(?P<q>every|each|per|a|an)(?: (?P<other>other|single|few))? (?:(?P<n>\d+|{numw}) )?(?P<unit>seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|months?|quarters?|years?|decades?|mornings?|afternoons?|evenings?|{wd}|{mon})"),
        ),
        (
            RuleId::SetAdverb,
            r"\b(?P<w>daily|weekly|monthly|annually|yearly|hourly|nightly|biweekly|semiannually|bimonthly)\b".into(),
        ),
        (
            RuleId::Reference,
            r"\b(?:right )?(?P<w>now|currently|current|nowadays|these days|at present|presently|the present|recently|recent|lately|formerly|the past|the future|the near future|the foreseeable future|the distant future|in the future|future)\b".into(),
        ),
        (
            RuleId::Holiday,
            format!(r"\b(?:(?P<rel>last|this|next) )?(?P<h>Thanksgiving(?: Day)?|Christmas(?: Day| Eve)?|New Year's(?: Day| Eve)?|New Year(?: Day| Eve)|Easter(?: Sunday)?|Election Day|Labor Day|Memorial Day|Independence Day|Veterans Day|Halloween|Valentine's Day)\b(?:,? (?P<year>{year})\b)?"),
        ),
        (
            RuleId::TheYear,
            r"\b(?P<pre>for|of|in|during|through|throughout|since|over|ahead of) (?P<the>the) (?:(?:full|fiscal|whole|entire|current fiscal) )?(?P<unit>year|month|week|day|weekend)\b(?: (?P<post>ended|ending|to date))?".into(),
        ),
        (
            RuleId::YearEnd,
            r"\b(?:(?P<pre>around|by|at) )?(?P<w>year-end|year end|yearend)\b".into(),
        ),
    ];
    defs.into_iter()
        // ASCII word boundaries: the patterns are ASCII, and a Unicode `\b`
        // makes the regex crate's fast DFA give up on any text holding a
        // non-ASCII character (a curly quote, a dash), falling back to an
        // engine several times slower (2.8× on BBC text with 44 curly
        // quotes in 488 KB). Letters outside ASCII are not word characters
        // to an ASCII `\b`, which no time expression depends on.
        .map(|(id, pat)| (id, pat.replace(r"\b", r"(?-u:\b)")))
        .filter_map(|(id, pat)| match Regex::new(&format!("(?i){pat}")) {
            Ok(re) => Some(Rule { id, re }),
            Err(e) => {
                // A pattern that does not compile is a bug caught by the
                // `all_rules_compile` test; at run time the rule is skipped.
                tracing::error!("timex rule {id:?} does not compile: {e}");
                None
            }
        })
        .collect()
}

fn g<'t>(c: &Captures<'t>, name: &str) -> Option<&'t str> {
    c.name(name).map(|m| m.as_str())
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_uppercase())
}

fn year_of(c: &Captures, explicit: &str, two: &str, words: &str, rel: &str) -> YearSpec {
    if let Some(y) = g(c, explicit).and_then(|y| y.parse().ok()) {
        return YearSpec::Explicit(y);
    }
    if let Some(y) = g(c, two).and_then(|y| y.trim_start_matches('\'').parse::<i32>().ok()) {
        return YearSpec::Explicit(if y < 30 { 2000 + y } else { 1900 + y });
    }
    if let Some(y) = g(c, words).and_then(year_words_value) {
        return YearSpec::Explicit(y);
    }
    match g(c, rel).map(|s| s.to_ascii_lowercase()) {
        Some(r) if r.starts_with("last") => YearSpec::Relative(-1),
        Some(r) if r.starts_with("next") => YearSpec::Relative(1),
        Some(_) => YearSpec::Relative(0),
        None => YearSpec::Infer,
    }
}

fn day_value(s: &str) -> Option<u32> {
    let d: String = s.chars().take_while(|c| c.is_ascii_digit()).collect();
    if d.is_empty() {
        return ordinal_word_value(s);
    }
    d.parse().ok().filter(|d| (1..=31).contains(d))
}

fn ordinal_word_value(s: &str) -> Option<u32> {
    let w = s.to_ascii_lowercase();
    if let Some(v) = ordinal_value(&w) {
        return Some(v);
    }
    const TEENS: [&str; 8] = [
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ];
    if let Some(i) = TEENS.iter().position(|t| *t == w) {
        return Some(13 + i as u32);
    }
    if w == "thirtieth" {
        return Some(30);
    }
    if let Some(rest) = w.strip_prefix("twenty-") {
        return ordinal_value(rest).map(|v| 20 + v);
    }
    if let Some(rest) = w.strip_prefix("thirty-") {
        return ordinal_value(rest).map(|v| 30 + v);
    }
    None
}

fn rel_value(rel: &str) -> Option<i32> {
    let r = rel.to_ascii_lowercase();
    Some(match r.as_str() {
        "last" | "this past" | "past" | "the past" | "previous" | "the previous" | "the last"
        | "the prior" => -1,
        "next" | "this coming" | "coming" | "the coming" | "the next" | "following"
        | "the following" => 1,
        "this" | "current" | "the current" => 0,
        _ => return None,
    })
}

fn part_code(part: &str) -> Option<&'static str> {
    let p = part.to_ascii_lowercase();
    let p = p.trim_start_matches("mid-").trim_start_matches("mid");
    let p = p
        .trim_start_matches("early ")
        .trim_start_matches("late ")
        .trim();
    Some(match p {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        "night" | "overnight" | "tonight" => "NI",
        _ => return None,
    })
}

/// The previous word before byte `pos`, lowercased.
fn prev_word(text: &str, pos: usize) -> String {
    let before = &text[..pos];
    let trimmed = before.trim_end();
    let start = trimmed
        .rfind(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .map(|i| i + trimmed[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    trimmed[start..].to_ascii_lowercase()
}

/// The next word after byte `pos`, lowercased.
fn next_word(text: &str, pos: usize) -> String {
    let after = text[pos..].trim_start();
    let end = after
        .find(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .unwrap_or(after.len());
    after[..end].to_ascii_lowercase()
}

/// Reads a match into its meaning, or `None` when context shows it is not a
/// time expression (a lowercase `may`, a year that is a quantity).
pub(super) fn interpret(id: RuleId, c: &Captures, text: &str) -> Option<Interp> {
    let m = c.get(0)?;
    let (start, end) = (m.start(), m.end());
    use TimexType::*;
    match id {
        RuleId::Iso => {
            let y: i32 = g(c, "y")?.parse().ok()?;
            let mo: u32 = g(c, "m")?.parse().ok()?;
            let d: u32 = g(c, "d")?.parse().ok()?;
            chrono::NaiveDate::from_ymd_opt(y, mo, d)?;
            if let (Some(h), Some(mi)) = (g(c, "H"), g(c, "M")) {
                return interp(Time, Expr::Exact(format!("{y:04}-{mo:02}-{d:02}T{h}:{mi}")));
            }
            interp(
                Date,
                Expr::Calendar {
                    year: YearSpec::Explicit(y),
                    month: Some(mo),
                    day: Some(d),
                },
            )
        }
        RuleId::Slash => {
            let a: u32 = g(c, "a")?.parse().ok()?;
            let b: u32 = g(c, "b")?.parse().ok()?;
            let ys = g(c, "y")?;
            let mut y: i32 = ys.parse().ok()?;
            if ys.len() == 2 {
                y += if y < 30 { 2000 } else { 1900 };
            }
            // US order (month/day) unless the first number cannot be a month.
            let (mo, d) = if a > 12 { (b, a) } else { (a, b) };
            chrono::NaiveDate::from_ymd_opt(y, mo, d)?;
            interp(
                Date,
                Expr::Calendar {
                    year: YearSpec::Explicit(y),
                    month: Some(mo),
                    day: Some(d),
                },
            )
        }
        RuleId::MonthDay | RuleId::DayMonth => {
            let mon_s = g(c, "mon")?;
            if !starts_upper(mon_s) {
                return None;
            }
            let month = month_number(mon_s)?;
            let day = day_value(g(c, "day")?)?;
            if day > 31 {
                return None;
            }
            let dword = g(c, "day")?;
            // "May 5 people" style false positives: a bare number after a
            // month must not be followed by a noun-like continuation.
            if id == RuleId::MonthDay
                && dword.bytes().all(|b| b.is_ascii_digit())
                && g(c, "year").is_none()
            {
                let after = &text[end..];
                if after.starts_with('%')
                    || after.starts_with(",0")
                    || after.starts_with('.')
                        && after[1..].starts_with(|ch: char| ch.is_ascii_digit())
                {
                    return None;
                }
                let nw = next_word(text, end);
                if matches!(
                    nw.as_str(),
                    "percent" | "million" | "billion" | "people" | "years" | "points" | "cents"
                ) {
                    return None;
                }
            }
            let year = year_of(c, "year", "y2", "yw", "ry");
            let wd = g(c, "wd")
                .filter(|w| starts_upper(w))
                .and_then(weekday_number);
            let expr = match (year, wd) {
                (YearSpec::Infer, Some(wd)) => Expr::CalendarWeekday { month, day, wd },
                _ => Expr::Calendar {
                    year,
                    month: Some(month),
                    day: Some(day),
                },
            };
            let mut it = interp(Date, expr)?;
            it.mod_ = g(c, "pmod").and_then(pmod_value);
            Some(it)
        }
        RuleId::MonthYear | RuleId::MonthYearWords => {
            let mon_s = g(c, "mon")?;
            if !starts_upper(mon_s) {
                return None;
            }
            let month = month_number(mon_s)?;
            let year = year_of(c, "year", "y2", "yw", "ry");
            let pmod = g(c, "pmod");
            let mut it = interp(
                Date,
                Expr::Calendar {
                    year,
                    month: Some(month),
                    day: None,
                },
            )?;
            it.mod_ = pmod.and_then(pmod_value);
            Some(it)
        }
        RuleId::Month => {
            let mon_s = g(c, "mon")?;
            if !starts_upper(mon_s) {
                return None;
            }
            let month = month_number(mon_s)?;
            let rel = g(c, "rel");
            // `last Oct. 23`: the month-day reading is the right one.
            let after = &text[end..];
            if after.starts_with(' ') && after[1..].starts_with(|ch: char| ch.is_ascii_digit()) {
                return None;
            }
            let lower = mon_s.trim_end_matches('.').to_ascii_lowercase();
            // Abbreviations need a period or a following number; `May` and
            // `March` alone need a temporal word before them.
            if lower.len() <= 4
                && lower != "june"
                && lower != "july"
                && lower != "may"
                && !mon_s.ends_with('.')
            {
                return None;
            }
            if rel.is_none() && matches!(lower.as_str(), "may" | "march") {
                let pw = prev_word(text, start);
                if !matches!(
                    pw.as_str(),
                    "in" | "since"
                        | "until"
                        | "by"
                        | "of"
                        | "from"
                        | "through"
                        | "to"
                        | "during"
                        | "before"
                        | "after"
                        | "last"
                        | "next"
                        | "this"
                        | "early"
                        | "late"
                        | "mid"
                        | "and"
                        | "or"
                        | "between"
                        | "till"
                ) {
                    return None;
                }
            }
            if rel.is_none() && mon_s.ends_with('.') && lower.len() <= 4 {
                // `Sept.` alone at a sentence end is rare; keep it.
            }
            let mut it;
            match rel.map(|r| r.to_ascii_lowercase()) {
                Some(r) if rel_value(&r).is_some() => {
                    it = interp(
                        Date,
                        Expr::RelMonth {
                            month,
                            rel: rel_value(&r)?,
                        },
                    )?;
                }
                Some(r) => {
                    it = interp(
                        Date,
                        Expr::Calendar {
                            year: YearSpec::Infer,
                            month: Some(month),
                            day: None,
                        },
                    )?;
                    it.mod_ = pmod_value(&r);
                }
                None => {
                    it = interp(
                        Date,
                        Expr::Calendar {
                            year: YearSpec::Infer,
                            month: Some(month),
                            day: None,
                        },
                    )?;
                }
            }
            Some(it)
        }
        RuleId::Year => {
            let ys = g(c, "year")?;
            let y: i32 = ys.parse().ok()?;
            let ystart = c.name("year")?.start();
            let yend = c.name("year")?.end();
            let before = &text[..ystart];
            let after = &text[yend..];
            if before.ends_with(['$', '#', '£', '€', ',', '.', '/', ':', '-', '+'])
                || before.ends_with("No. ")
                || before.ends_with("no. ")
            {
                return None;
            }
            if after.starts_with('%')
                || (after.starts_with([',', '.', ':', '/'])
                    && after[1..].starts_with(|ch: char| ch.is_ascii_digit()))
                || after.starts_with("-year")
                || after.starts_with("s")
                || after.starts_with('-')
                    && after[1..].starts_with(|ch: char| ch.is_ascii_digit())
                    && !after[1..].starts_with(['9', '0', '1'])
            {
                return None;
            }
            let nw = next_word(text, yend);
            if matches!(
                nw.as_str(),
                "percent"
                    | "million"
                    | "billion"
                    | "people"
                    | "shares"
                    | "points"
                    | "cents"
                    | "feet"
                    | "meters"
                    | "metres"
                    | "miles"
                    | "tons"
                    | "troops"
                    | "soldiers"
                    | "members"
                    | "acres"
                    | "votes"
                    | "pounds"
                    | "yen"
                    | "dollars"
                    | "marks"
                    | "francs"
                    | "kilometers"
                    | "employees"
                    | "workers"
                    | "jobs"
                    | "units"
                    | "cars"
                    | "homes"
                    | "hours"
                    | "students"
            ) {
                return None;
            }
            let pre = g(c, "pre");
            let pw = prev_word(
                text,
                c.name("pre")
                    .or(c.name("pmod"))
                    .map_or(ystart, |m| m.start()),
            );
            if y < 1800
                && pre.is_none()
                && !matches!(
                    pw.as_str(),
                    "in" | "since" | "until" | "by" | "of" | "from" | "before" | "after" | "during"
                )
            {
                return None;
            }
            if matches!(
                pw.as_str(),
                "about" | "some" | "nearly" | "than" | "of" | "to"
            ) && y % 100 == 0
                && y < 1900
            {
                return None;
            }
            let mut it = interp(
                Date,
                Expr::Calendar {
                    year: YearSpec::Explicit(y),
                    month: None,
                    day: None,
                },
            )?;
            if let Some(p) = g(c, "pmod") {
                if let Some(h) = pmod_half(p) {
                    it.expr = Expr::Half {
                        h,
                        year: YearSpec::Explicit(y),
                    };
                } else {
                    it.mod_ = pmod_value(p);
                }
            }
            Some(it)
        }
        RuleId::YearWords => {
            let y = year_words_value(g(c, "yw")?)?;
            let it = interp(
                Date,
                Expr::Calendar {
                    year: YearSpec::Explicit(y),
                    month: None,
                    day: None,
                },
            )?;
            if g(c, "pre").is_some_and(|p| !p.eq_ignore_ascii_case("the year")) {
                return Some(it_with_start_skip(it, c.name("yw")?.start() - start));
            }
            Some(it)
        }
        RuleId::YearPeriod => {
            let y: i32 = g(c, "year")?.parse().ok()?;
            let lower = m.as_str().to_ascii_lowercase();
            if lower.ends_with("quarter") || lower.ends_with("period") {
                return interp(Date, Expr::YearContextQuarter(y));
            }
            interp(
                Date,
                Expr::Calendar {
                    year: YearSpec::Explicit(y),
                    month: None,
                    day: None,
                },
            )
        }
        RuleId::Decade => {
            let dec: i32 = if let Some(d) = g(c, "dec") {
                d.parse().ok()?
            } else {
                let d: i32 = g(c, "d2")?.trim_start_matches('\'').parse().ok()?;
                1900 + d
            };
            let mut it = interp(Date, Expr::Decade(dec / 10))?;
            it.mod_ = g(c, "pmod").and_then(pmod_value);
            Some(it)
        }
        RuleId::DecadeWords => {
            let dw = g(c, "dw")?.to_ascii_lowercase();
            let d = [
                "twenties",
                "thirties",
                "forties",
                "fifties",
                "sixties",
                "seventies",
                "eighties",
                "nineties",
            ]
            .iter()
            .position(|w| *w == dw)? as i32;
            let mut it = interp(Date, Expr::Decade(192 + d))?;
            it.mod_ = g(c, "pmod").and_then(pmod_value);
            Some(it)
        }
        RuleId::Century => {
            if let Some(this) = g(c, "this") {
                let rel = rel_value(this).unwrap_or(0);
                return interp(
                    Date,
                    Expr::Shift {
                        unit: Unit::Century,
                        n: Some(rel.unsigned_abs() as f64),
                        sign: rel.signum(),
                        anchor: Anchor::Dct,
                    },
                );
            }
            let ord = g(c, "ord")?;
            let n = day_value(ord).or_else(|| ordinal_word_value(ord))? as i32;
            let mut it = interp(Date, Expr::Century(n - 1))?;
            it.mod_ = g(c, "pmod").and_then(pmod_value);
            Some(it)
        }
        RuleId::Quarter => {
            let ord = g(c, "ord")?;
            let q = ordinal_value(ord)?;
            let unit = g(c, "unit")?.to_ascii_lowercase();
            let mut year = year_of(c, "y2", "__", "__", "ry2");
            if year == YearSpec::Infer {
                year = year_of(c, "y1", "__", "__", "ry");
            }
            if year == YearSpec::Infer {
                year = year_of(c, "y0", "__", "__", "__");
            }
            if let Some(det) = g(c, "det") {
                match det.to_ascii_lowercase().as_str() {
                    "last" if year == YearSpec::Infer => year = YearSpec::Relative(-1),
                    "next" if year == YearSpec::Infer => year = YearSpec::Relative(1),
                    _ => {}
                }
            }
            let mut it = match unit.as_str() {
                "half" => {
                    if q > 2 {
                        return None;
                    }
                    interp(Date, Expr::Half { h: q, year })?
                }
                "period" => interp(Date, Expr::Quarter { q, year })?,
                _ => {
                    if q > 4 {
                        return None;
                    }
                    interp(Date, Expr::Quarter { q, year })?
                }
            };
            // `its third quarter`, `a second quarter`, `the third-quarter loss`:
            // the determiner is not part of the extent.
            let hyphenated = c
                .name("ord")
                .is_some_and(|o| text[o.end()..].starts_with('-'));
            if let Some(det) = c.name("det") {
                let d = det.as_str().to_ascii_lowercase();
                if d == "its" || d == "a" || (hyphenated && c.name("y2").is_none()) {
                    return Some(Interp {
                        trim_end: 0,
                        ..it_with_start_skip(it, det.end() + 1 - start)
                    });
                }
            }
            it.mod_ = None;
            Some(it)
        }
        RuleId::ContextQuarter => {
            let rel = g(c, "rel").map(|s| s.to_ascii_lowercase());
            let rel2 = g(c, "rel2").map(|s| s.to_ascii_lowercase());
            let unit = g(c, "unit")?.to_ascii_lowercase();
            let det = g(c, "det").map(|s| s.to_ascii_lowercase());
            let ago = [rel.as_deref(), rel2.as_deref()].iter().any(|r| {
                matches!(
                    r,
                    Some("year-ago")
                        | Some("year-earlier")
                        | Some("prior-year")
                        | Some("year-before")
                )
            });
            if unit.ends_with("months") {
                // `the first nine months`: a duration; `the year-earlier nine months` too.
                if det.is_none() && rel.is_none() {
                    return None;
                }
                let n = number_value(unit.trim_end_matches(" months"))?;
                return interp(
                    Duration,
                    Expr::Duration {
                        n: Some(n),
                        unit: Unit::Month,
                    },
                );
            }
            if det.is_none() && rel.is_none() {
                return None;
            }
            if unit == "period" && rel.is_none() {
                return None;
            }
            match rel.as_deref() {
                Some("last") | Some("previous") | Some("prior") | Some("past") => {
                    return interp(
                        Date,
                        Expr::Shift {
                            unit: Unit::Quarter,
                            n: Some(1.0),
                            sign: -1,
                            anchor: Anchor::Dct,
                        },
                    )
                }
                Some("next") | Some("coming") => {
                    return interp(
                        Date,
                        Expr::Shift {
                            unit: Unit::Quarter,
                            n: Some(1.0),
                            sign: 1,
                            anchor: Anchor::Dct,
                        },
                    )
                }
                Some("current") if unit == "quarter" => {
                    return interp(
                        Date,
                        Expr::Shift {
                            unit: Unit::Quarter,
                            n: Some(0.0),
                            sign: 0,
                            anchor: Anchor::Dct,
                        },
                    )
                }
                _ => {}
            }
            if matches!(rel2.as_deref(), Some("third") | Some("fourth")) {
                return None;
            }
            interp(
                Date,
                Expr::ContextQuarter {
                    years_back: if ago { 1 } else { 0 },
                },
            )
        }
        RuleId::YearAgoAdj => interp(Date, Expr::ContextQuarter { years_back: 1 }),
        RuleId::Season => {
            let s = g(c, "season")?;
            let code = season_code(s)?;
            let det = g(c, "det").map(|d| d.to_ascii_lowercase());
            let det2 = g(c, "det2");
            let year = year_of(c, "year", "__", "yw", "ry");
            let lower = s.to_ascii_lowercase();
            if det.is_none() && year == YearSpec::Infer {
                let pw = prev_word(text, start);
                if lower == "fall"
                    || !matches!(
                        pw.as_str(),
                        "in" | "during"
                            | "by"
                            | "until"
                            | "since"
                            | "through"
                            | "this"
                            | "last"
                            | "next"
                            | "early"
                            | "late"
                            | "over"
                    )
                {
                    return None;
                }
            }
            if lower == "fall" && det.as_deref() == Some("the") {
                let nw = next_word(text, end);
                if nw == "of"
                    || year == YearSpec::Infer
                        && !matches!(
                            prev_word(text, start).as_str(),
                            "in" | "during" | "by" | "until" | "since" | "through" | "over"
                        )
                {
                    return None;
                }
            }
            let rel = det.as_deref().and_then(rel_value);
            let mut it = interp(Date, Expr::Season { code, year, rel })?;
            it.mod_ = det2.and_then(pmod_value).or_else(|| {
                det.as_deref()
                    .filter(|d| rel_value(d).is_none())
                    .and_then(pmod_value)
            });
            Some(it)
        }
        RuleId::RelUnit => {
            let rel = g(c, "rel")?.to_ascii_lowercase();
            let unit_s = g(c, "unit")?.to_ascii_lowercase();
            let pmod = g(c, "pmod").map(|p| p.to_ascii_lowercase());
            let anaphoric = matches!(
                rel.as_str(),
                "that"
                    | "that same"
                    | "the same"
                    | "same"
                    | "the following"
                    | "following"
                    | "the previous"
                    | "previous"
                    | "the prior"
            ) || (rel == "the next"
                && !matches!(unit_s.as_str(), "week" | "month" | "year" | "weekend"));
            if let Some(p) = part_code(&unit_s) {
                // `last night`, `this morning`, `that night`.
                let days = match rel.as_str() {
                    "last" if p == "NI" => -1,
                    "this" | "that" | "that same" | "the same" => 0,
                    _ => return None,
                };
                let mut it = interp(Time, Expr::DayPart { days, part: p })?;
                if rel.starts_with("that") || rel.contains("same") {
                    it.expr = Expr::DayPart { days: 0, part: p };
                }
                it.mod_ = pmod.as_deref().and_then(pmod_value);
                return Some(it);
            }
            let unit = Unit::parse(&unit_s)?;
            if unit == Unit::Year
                && !anaphoric
                && matches!(
                    rel.as_str(),
                    "last"
                        | "this"
                        | "next"
                        | "the past"
                        | "past"
                        | "the last"
                        | "the current"
                        | "current"
                        | "the coming"
                        | "coming"
                )
            {
                let mut it = interp(
                    Date,
                    Expr::Calendar {
                        year: YearSpec::Relative(rel_value(&rel)?),
                        month: None,
                        day: None,
                    },
                )?;
                if let Some(p) = pmod.as_deref() {
                    if matches!(p, "within" | "during" | "throughout") {
                        return Some(it_with_start_skip(it, c.name("rel")?.start() - start));
                    }
                    it.mod_ = pmod_value(p);
                }
                return Some(it);
            }
            let sign = if anaphoric {
                match rel.as_str() {
                    "the following" | "following" | "the next" => 1,
                    "the previous" | "previous" | "the prior" => -1,
                    _ => 0,
                }
            } else {
                rel_value(&rel)?
            };
            // `the past year`, `the last decade` with a preposition of extent
            // are still dates in TimeBank's usage; keep as the shifted unit.
            let mut it = interp(
                Date,
                Expr::Shift {
                    unit,
                    n: Some(sign.unsigned_abs() as f64),
                    sign,
                    anchor: if anaphoric {
                        Anchor::Previous
                    } else {
                        Anchor::Dct
                    },
                },
            )?;
            if let Some(p) = pmod.as_deref() {
                if matches!(p, "within" | "during" | "throughout") {
                    return Some(it_with_start_skip(it, c.name("rel")?.start() - start));
                }
                if let Some(h) = pmod_half(p) {
                    let _ = h;
                }
                it.mod_ = pmod_value(p);
            }
            if g(c, "poss").is_some() {
                it.trim_end = 0;
            }
            Some(it)
        }
        RuleId::EdgeUnit => {
            let p = g(c, "pmod")?.to_ascii_lowercase();
            let unit = g(c, "unit").map(|u| u.to_ascii_lowercase());
            if p.starts_with("year") {
                if unit.is_some() {
                    return None;
                }
                let mut it = interp(
                    Date,
                    Expr::Shift {
                        unit: Unit::Year,
                        n: Some(0.0),
                        sign: 0,
                        anchor: Anchor::Dct,
                    },
                )?;
                it.mod_ = Some("END");
                return Some(it);
            }
            if p.starts_with("month") {
                if unit.is_some() {
                    return None;
                }
                let mut it = interp(
                    Date,
                    Expr::Shift {
                        unit: Unit::Month,
                        n: Some(0.0),
                        sign: 0,
                        anchor: Anchor::Dct,
                    },
                )?;
                it.mod_ = Some("END");
                return Some(it);
            }
            let unit = Unit::parse(unit.as_deref()?)?;
            let mut it = interp(
                Date,
                Expr::Shift {
                    unit,
                    n: Some(0.0),
                    sign: 0,
                    anchor: Anchor::Previous,
                },
            )?;
            it.mod_ = pmod_value(&p);
            Some(it)
        }
        RuleId::Weekday => {
            let wd_s = g(c, "wd")?;
            if !starts_upper(wd_s) {
                return None;
            }
            let wdn = weekday_number(wd_s)?;
            if wd_s.len() <= 5 && !wd_s.ends_with('.') && !wd_s.eq_ignore_ascii_case("tues") {
                return None;
            }
            if g(c, "dw").is_some() {
                // `Friday Oct.` belongs to a longer date rule.
                return None;
            }
            let rel = g(c, "rel").map(|r| r.to_ascii_lowercase());
            let rel_n = match rel.as_deref() {
                Some("last") | Some("this past") | Some("the previous") => Some(-1),
                Some("next") | Some("this coming") | Some("the following") | Some("the next") => {
                    Some(1)
                }
                Some("this") => Some(0),
                Some("that") => None,
                _ => None,
            };
            let part = g(c, "part").and_then(part_code);
            let mut it = interp(
                if part.is_some() { Time } else { Date },
                Expr::Weekday {
                    wd: wdn,
                    rel: rel_n,
                    part,
                },
            )?;
            it.mod_ = g(c, "pmod").and_then(pmod_value);
            if let Some(p) = c.name("poss") {
                if g(c, "part").is_none() && p.end() == end {
                    it.trim_end = 0;
                }
            }
            Some(it)
        }
        RuleId::DayWord => {
            let w = g(c, "w")?.to_ascii_lowercase();
            let days = match w.as_str() {
                "today" | "tonight" => 0,
                "yesterday" => -1,
                "tomorrow" => 1,
                "the day before yesterday" => -2,
                "the day after tomorrow" => 2,
                _ => return None,
            };
            let part = g(c, "part").and_then(part_code);
            let mut it = if let Some(p) = part {
                interp(Time, Expr::DayPart { days, part: p })?
            } else if w == "tonight" {
                interp(Time, Expr::DayPart { days, part: "NI" })?
            } else {
                interp(
                    Date,
                    Expr::Shift {
                        unit: Unit::Day,
                        n: Some(days.unsigned_abs() as f64),
                        sign: days.signum() as i32,
                        anchor: Anchor::Dct,
                    },
                )?
            };
            it.mod_ = g(c, "pmod").and_then(pmod_value);
            Some(it)
        }
        RuleId::PartDay => {
            let d = g(c, "d")?.to_ascii_lowercase();
            let p = part_code(g(c, "part")?)?;
            let days = match d.as_str() {
                "this" | "that" => 0,
                "last" if p == "NI" => -1,
                "last" => return None,
                "tomorrow" => 1,
                "yesterday" => -1,
                _ => return None,
            };
            let mut it = interp(Time, Expr::DayPart { days, part: p })?;
            it.mod_ = g(c, "pmod").and_then(pmod_value);
            Some(it)
        }
        RuleId::PartThenDay => {
            let ps = g(c, "part")?;
            let p = part_code(ps)?;
            let d = g(c, "d")?;
            let lower = ps.to_ascii_lowercase();
            let md = if lower.starts_with("mid") {
                Some("MID")
            } else {
                pmod_value(&lower)
            };
            let mut it = if let Some(wdn) = weekday_number(d) {
                if !starts_upper(d) {
                    return None;
                }
                interp(
                    Time,
                    Expr::Weekday {
                        wd: wdn,
                        rel: None,
                        part: Some(p),
                    },
                )?
            } else {
                let days = match d.to_ascii_lowercase().as_str() {
                    "yesterday" => -1,
                    "tomorrow" => 1,
                    _ => 0,
                };
                interp(Time, Expr::DayPart { days, part: p })?
            };
            it.mod_ = md;
            Some(it)
        }
        RuleId::Clock => {
            let mut h: u32 = g(c, "h")?.parse().ok()?;
            let ap = g(c, "ap").map(|a| a.to_ascii_lowercase());
            let zone2 = g(c, "zone2");
            let mi: u32 = g(c, "m")
                .or(g(c, "m2"))
                .and_then(|x| x.parse().ok())
                .unwrap_or(0);
            if zone2.is_some() {
                // `1400 GMT` or `14:00 GMT`: needs four digits or a colon.
                let digits = &m.as_str()[..m.as_str().find(' ').unwrap_or(m.as_str().len())];
                if !(digits.contains(':') || digits.len() == 4) || h > 23 {
                    return None;
                }
            } else {
                if h == 0 || h > 12 {
                    return None;
                }
                match ap.as_deref() {
                    Some(a) if a.starts_with('p') && h < 12 => h += 12,
                    Some(a) if a.starts_with('a') && h == 12 => h = 0,
                    Some(_) => {}
                    None => return None,
                }
            }
            if mi > 59 {
                return None;
            }
            let day = g(c, "day").and_then(day_expr).map(Box::new);
            let trim = sentence_final_period(text, end, m.as_str());
            let mut it = interp(
                Time,
                Expr::Clock {
                    hour: h,
                    minute: mi,
                    day,
                },
            )?;
            it.trim_end = trim;
            Some(it)
        }
        RuleId::ClockWord => {
            let w = g(c, "w")?.to_ascii_lowercase();
            let hour = match w.as_str() {
                "noon" | "midday" => 12,
                _ => 24,
            };
            let day = g(c, "day").and_then(day_expr).map(Box::new);
            interp(
                Time,
                Expr::Clock {
                    hour,
                    minute: 0,
                    day,
                },
            )
        }
        RuleId::ClockInThe => {
            let mut h: u32 = g(c, "h")?.parse().ok()?;
            let mi: u32 = g(c, "m").and_then(|x| x.parse().ok()).unwrap_or(0);
            let p = g(c, "part")?.to_ascii_lowercase();
            if h == 0 || h > 12 {
                return None;
            }
            if p != "morning" && h < 12 {
                h += 12;
            }
            interp(
                Time,
                Expr::Clock {
                    hour: h,
                    minute: mi,
                    day: None,
                },
            )
        }
        RuleId::Ago => {
            let num_s = g(c, "num")?;
            let unit = Unit::parse(g(c, "unit")?)?;
            let dir = g(c, "dir")?.to_ascii_lowercase();
            let n = number_value(num_s);
            let md = g(c, "mod").and_then(mod_value);
            match dir.as_str() {
                "before" | "after" | "since" => {
                    // `two days before the vote`: a duration; the anchor is an event.
                    let dur_end = c.name("unit")?.end();
                    let mut it = interp(Duration, Expr::Duration { n, unit })?;
                    it.mod_ = md;
                    it.trim_end = end - dur_end;
                    return Some(it);
                }
                _ => {}
            }
            let (unit, n) = match unit {
                Unit::Decade => (Unit::Year, n.map(|v| v * 10.0)),
                Unit::Century => (Unit::Year, n.map(|v| v * 100.0)),
                u => (u, n),
            };
            let sign = if matches!(dir.as_str(), "ago" | "earlier") {
                -1
            } else {
                1
            };
            let anchor = if matches!(dir.as_str(), "earlier" | "later") {
                Anchor::Previous
            } else {
                Anchor::Dct
            };
            let mut it = interp(
                Date,
                Expr::Shift {
                    unit,
                    n,
                    sign,
                    anchor,
                },
            )?;
            it.mod_ = md.map(|m| if m == "EQUAL_OR_LESS" { "APPROX" } else { m });
            if md.is_some() && g(c, "mod").is_some_and(|w| w.eq_ignore_ascii_case("within")) {
                return None;
            }
            Some(it)
        }
        RuleId::Duration => {
            let num_s = g(c, "num")?;
            let unit_s = g(c, "unit")?;
            let unit = Unit::parse(unit_s)?;
            let lower_num = num_s.to_ascii_lowercase();
            let n = number_value(num_s);
            let plural = unit_s.to_ascii_lowercase().ends_with('s');
            // `a day` / `one year` singular with a plural-only number is not a duration.
            if let Some(v) = n {
                let _ = plural;
                if v >= 1000.0 && !matches!(unit, Unit::Year | Unit::Day | Unit::Hour) {
                    return None;
                }
            }
            let the = g(c, "the").map(|t| t.to_ascii_lowercase());
            let rel = g(c, "rel").map(|r| r.to_ascii_lowercase());
            // `37 years old` is an age; `a second attempt` an ordinal.
            if next_word(text, end) == "old" {
                return None;
            }
            if unit == Unit::Second && !plural && the.is_none() {
                return None;
            }
            if the.is_none()
                && rel.is_none()
                && (lower_num == "a" || lower_num == "an" || lower_num == "one")
            {
                // `$5 a year` is a frequency; `a day after` a duration.
                let pw = prev_word(text, start);
                if pw.starts_with('$')
                    || pw.ends_with('%')
                    || pw.chars().next().is_some_and(|ch| ch.is_ascii_digit())
                    || matches!(
                        pw.as_str(),
                        "million"
                            | "billion"
                            | "percent"
                            | "cents"
                            | "times"
                            | "twice"
                            | "once"
                            | "dollars"
                            | "points"
                    )
                {
                    let mut it = interp(Set, Expr::Duration { n: Some(1.0), unit })?;
                    it.mod_ = None;
                    return Some(it);
                }
            }
            let md = g(c, "mod").and_then(mod_value);
            let mut it = interp(Duration, Expr::Duration { n, unit })?;
            it.mod_ = md;
            if let Some(mw) = c.name("mod") {
                let lw = mw.as_str().to_ascii_lowercase();
                let outside = matches!(
                    lw.as_str(),
                    "within"
                        | "only"
                        | "just"
                        | "about"
                        | "around"
                        | "some"
                        | "just over"
                        | "well over"
                ) || (lw == "over" && g(c, "the").is_some())
                    || (lw == "over" && !matches!(lower_num.as_str(), "a" | "an"));
                if outside {
                    it.mod_ = None;
                    let skip = c
                        .name("the")
                        .or(c.name("rel"))
                        .or(c.name("num"))
                        .map_or(0, |x| x.start() - start);
                    it.trim_start = skip;
                }
            }
            if g(c, "num2").is_some() {
                it.expr = Expr::Duration { n: None, unit };
            } else if m.as_str()[c.name("unit")?.end() - start..].contains("and a half") {
                it.expr = Expr::Duration {
                    n: n.map(|v| v + 0.5),
                    unit,
                };
            }
            if lower_num.contains("few")
                || lower_num.contains("several")
                || lower_num.contains("couple")
                || lower_num.contains("number")
                || lower_num.contains("dozens")
                || lower_num.contains("hundreds")
                || lower_num == "many"
            {
                let approx = lower_num.contains("couple");
                it.expr = Expr::Duration {
                    n: if approx { Some(2.0) } else { None },
                    unit,
                };
            }
            // `the first day`-like ordinal uses are handled elsewhere; `this year` is
            // a date, and `the year` in `for the year` too.
            if matches!(the.as_deref(), Some("this") | Some("that"))
                && (lower_num == "a" || lower_num == "an")
            {
                return None;
            }
            Some(it)
        }
        RuleId::DurationAdj => {
            if let Some(r) = g(c, "rest") {
                if r.to_ascii_lowercase().contains("old") {
                    return None;
                }
            }
            if let Some(u2) = g(c, "unit2") {
                let lower = u2.to_ascii_lowercase();
                let unit = Unit::parse(&lower)?;
                let n = if lower.ends_with('s') {
                    None
                } else {
                    Some(1.0)
                };
                return interp(Duration, Expr::Duration { n, unit });
            }
            let unit = Unit::parse(g(c, "unit")?)?;
            let num = g(c, "num")?.to_ascii_lowercase();
            let n = if num == "several" || num == "multi" {
                None
            } else if num == "half" {
                Some(0.5)
            } else {
                Some(number_value(&num)?)
            };
            interp(Duration, Expr::Duration { n, unit })
        }
        RuleId::BarePlural => {
            let pre = g(c, "pre")?.to_ascii_lowercase();
            let unit_m = c.name("unit")?;
            let unit = Unit::parse(unit_m.as_str())?;
            if pre == "the" {
                let nw = next_word(text, end);
                if !matches!(
                    nw.as_str(),
                    "before" | "after" | "since" | "following" | "leading" | "that" | "ahead"
                ) {
                    return None;
                }
            }
            if pre == "by" || pre == "than" || pre == "from" {
                return None;
            }
            let nw = next_word(text, end);
            if matches!(nw.as_str(), "ago" | "of" | "old") && pre != "for" {
                return None;
            }
            let skip = unit_m.start() - start;
            Some(it_with_start_skip(
                Interp {
                    kind: Duration,
                    expr: Expr::Duration { n: None, unit },
                    mod_: None,
                    trim_end: 0,
                    trim_start: 0,
                },
                skip,
            ))
        }
        RuleId::VaguePlural => {
            let rel = g(c, "rel")?.to_ascii_lowercase();
            let unit = Unit::parse(g(c, "unit")?)?;
            let lit = match rel.as_str() {
                "recent" | "past" | "past few" | "last few" | "previous" | "early" => "PAST_REF",
                _ => "FUTURE_REF",
            };
            let it = if lit == "FUTURE_REF" {
                interp(Duration, Expr::Duration { n: None, unit })?
            } else {
                interp(Date, Expr::Literal(lit))?
            };
            if rel == "early" || rel == "later" {
                return None;
            }
            if g(c, "the").is_some() && rel == "recent" {
                return Some(it_with_start_skip(it, 4));
            }
            Some(it)
        }
        RuleId::Set => {
            let q = g(c, "q")?.to_ascii_lowercase();
            let unit_s = g(c, "unit")?;
            let lower = unit_s.to_ascii_lowercase();
            let freq = g(c, "freq");
            if (q == "a" || q == "an") && freq.is_none() {
                return None;
            }
            if q == "per" && freq.is_none() {
                let pw = prev_word(text, start);
                if !pw.chars().next().is_some_and(|ch| ch.is_ascii_digit())
                    && !matches!(pw.as_str(), "million" | "billion" | "times" | "percent")
                {
                    return None;
                }
            }
            let n: Option<f64> = g(c, "n").and_then(number_value);
            let other = g(c, "other").map(|o| o.to_ascii_lowercase());
            let mult = match other.as_deref() {
                Some("other") => 2.0,
                _ => 1.0,
            } * n.unwrap_or(1.0);
            if let Some(wdn) = weekday_number(&lower) {
                if !starts_upper(unit_s) {
                    return None;
                }
                let v: &'static str = match wdn {
                    1 => "XXXX-WXX-1",
                    2 => "XXXX-WXX-2",
                    3 => "XXXX-WXX-3",
                    4 => "XXXX-WXX-4",
                    5 => "XXXX-WXX-5",
                    6 => "XXXX-WXX-6",
                    _ => "XXXX-WXX-7",
                };
                return interp(Set, Expr::Literal(v));
            }
            if let Some(mn) = month_number(&lower) {
                if !starts_upper(unit_s) {
                    return None;
                }
                return interp(
                    Set,
                    Expr::Calendar {
                        year: YearSpec::Explicit(-1),
                        month: Some(mn),
                        day: None,
                    },
                );
            }
            if let Some(p) = part_code(lower.trim_end_matches('s')) {
                let v: &'static str = match p {
                    "MO" => "TMO",
                    "AF" => "TAF",
                    "EV" => "TEV",
                    _ => "TNI",
                };
                return interp(Set, Expr::Literal(v));
            }
            let unit = Unit::parse(&lower)?;
            interp(
                Set,
                Expr::Duration {
                    n: Some(mult),
                    unit,
                },
            )
        }
        RuleId::SetAdverb => {
            let w = g(c, "w")?.to_ascii_lowercase();
            let v = match w.as_str() {
                "daily" | "nightly" => "P1D",
                "weekly" => "P1W",
                "biweekly" => "P2W",
                "monthly" => "P1M",
                "bimonthly" => "P2M",
                "annually" | "yearly" => "P1Y",
                "semiannually" => "P6M",
                "hourly" => "PT1H",
                _ => return None,
            };
            interp(Set, Expr::Literal(v))
        }
        RuleId::Reference => {
            let w = g(c, "w")?.to_ascii_lowercase();
            let v = match w.as_str() {
                "now" | "right now" | "currently" | "current" | "nowadays" | "these days"
                | "at present" | "presently" | "the present" | "the moment" | "the time being" => {
                    "PRESENT_REF"
                }
                "recently" | "recent" | "lately" | "previously" | "formerly" | "the past" => {
                    "PAST_REF"
                }
                _ => "FUTURE_REF",
            };
            if w == "future" {
                // Only `the future` reliably; a bare `future` is an adjective ("future plans").
                let pw = prev_word(text, start);
                if !matches!(
                    pw.as_str(),
                    "near" | "foreseeable" | "distant" | "immediate"
                ) {
                    return None;
                }
            }
            if w == "current" {
                let nw = next_word(text, end);
                if matches!(
                    nw.as_str(),
                    "account"
                        | "accounts"
                        | "affairs"
                        | "events"
                        | "issue"
                        | "issues"
                        | "rate"
                        | "rates"
                        | "dollars"
                        | "prices"
                ) {
                    return None;
                }
            }
            if w == "in the future" {
                return Some(it_with_start_skip(
                    interp(Date, Expr::Literal(v))?,
                    c.name("w")?.start() - start + 3,
                ));
            }
            if c.name("w")?.start() > start {
                return Some(it_with_start_skip(
                    interp(Date, Expr::Literal(v))?,
                    c.name("w")?.start() - start,
                ));
            }
            interp(Date, Expr::Literal(v))
        }
        RuleId::Holiday => {
            let h = g(c, "h")?;
            if !starts_upper(h) {
                return None;
            }
            let lower = h.to_ascii_lowercase();
            let name = if lower.starts_with("thanksgiving") {
                Holiday::Thanksgiving
            } else if lower == "christmas eve" {
                Holiday::ChristmasEve
            } else if lower.starts_with("christmas") {
                Holiday::Christmas
            } else if lower.ends_with("eve") {
                Holiday::NewYearsEve
            } else if lower.starts_with("new year") {
                Holiday::NewYear
            } else if lower.starts_with("easter") {
                Holiday::Easter
            } else if lower.starts_with("election") {
                Holiday::ElectionDay
            } else if lower.starts_with("labor") {
                Holiday::LaborDay
            } else if lower.starts_with("memorial") {
                Holiday::MemorialDay
            } else if lower.starts_with("independence") {
                Holiday::IndependenceDay
            } else if lower.starts_with("veterans") {
                Holiday::VeteransDay
            } else if lower.starts_with("halloween") {
                Holiday::Halloween
            } else {
                Holiday::Valentines
            };
            if matches!(
                name,
                Holiday::Christmas | Holiday::Easter | Holiday::Thanksgiving
            ) && !lower.contains(' ')
            {
                let nw = next_word(text, end);
                if matches!(
                    nw.as_str(),
                    "tree"
                        | "trees"
                        | "card"
                        | "cards"
                        | "island"
                        | "present"
                        | "presents"
                        | "shopping"
                        | "sales"
                        | "season"
                        | "bunny"
                        | "egg"
                        | "eggs"
                        | "dinner"
                ) {
                    return None;
                }
            }
            let mut year = year_of(c, "year", "__", "__", "__");
            if year == YearSpec::Infer {
                year = match g(c, "rel").map(|r| r.to_ascii_lowercase()).as_deref() {
                    Some("last") => YearSpec::Relative(-1),
                    Some("next") => YearSpec::Relative(1),
                    Some(_) => YearSpec::Relative(0),
                    None => YearSpec::Infer,
                };
            }
            interp(Date, Expr::Holiday { name, year })
        }
        RuleId::TheYear => {
            let unit = Unit::parse(g(c, "unit")?)?;
            let the_start = c.name("the")?.start();
            let post = g(c, "post").map(|p| p.to_ascii_lowercase());
            let it = if post.as_deref().is_some_and(|p| p.starts_with("end")) {
                let unit_end = c.name("unit")?.end();
                let mut it = interp(Duration, Expr::Duration { n: Some(1.0), unit })?;
                it.trim_end = end - unit_end;
                it
            } else if unit == Unit::Weekend {
                interp(Date, Expr::NearWeekend)?
            } else if unit == Unit::Year {
                let mut it = interp(
                    Date,
                    Expr::Shift {
                        unit,
                        n: Some(0.0),
                        sign: 0,
                        anchor: Anchor::Dct,
                    },
                )?;
                if post.is_some() {
                    it.trim_end = end - c.name("unit")?.end();
                }
                it
            } else {
                return None;
            };
            Some(it_with_start_skip(it, the_start - start))
        }
        RuleId::YearEnd => {
            let mut it = interp(
                Date,
                Expr::Shift {
                    unit: Unit::Year,
                    n: Some(0.0),
                    sign: 0,
                    anchor: Anchor::Previous,
                },
            )?;
            it.mod_ = Some("END");
            let skip = c.name("w")?.start() - start;
            Some(it_with_start_skip(it, skip))
        }
    }
}

/// An `Interp` whose extent starts `skip` bytes into the match.
fn it_with_start_skip(mut it: Interp, skip: usize) -> Interp {
    it.trim_start = skip;
    it
}

fn day_expr(w: &str) -> Option<Expr> {
    let lower = w.to_ascii_lowercase();
    let days = match lower.as_str() {
        "today" | "tonight" => Some(0i32),
        "yesterday" => Some(-1),
        "tomorrow" => Some(1),
        _ => None,
    };
    if let Some(d) = days {
        return Some(Expr::Shift {
            unit: Unit::Day,
            n: Some(f64::from(d).abs()),
            sign: d.signum(),
            anchor: Anchor::Dct,
        });
    }
    if let Some(wd) = weekday_number(w) {
        return Some(Expr::Weekday {
            wd,
            rel: None,
            part: None,
        });
    }
    let (mon, day) = w.rsplit_once(' ')?;
    Some(Expr::Calendar {
        year: YearSpec::Infer,
        month: Some(month_number(mon)?),
        day: Some(day.parse().ok()?),
    })
}

/// For `10 p.m.` ending a sentence, TimeBank leaves the final period out.
fn sentence_final_period(text: &str, end: usize, matched: &str) -> usize {
    if !matched.ends_with(".m.") {
        return 0;
    }
    let after = &text[end..];
    let next_non_space = after.trim_start_matches([' ', '\t']);
    if after.is_empty()
        || after.starts_with('\n')
        || (after.starts_with(' ')
            && next_non_space.starts_with(|c: char| c.is_uppercase() || c == '"' || c == '`'))
    {
        1
    } else {
        0
    }
}
