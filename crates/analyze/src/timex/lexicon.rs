//! Word lists shared by the patterns and the normaliser: numbers in words,
//! months, weekdays, seasons, time units. Each list is written once here so
//! the regex alternations and the parsers cannot drift apart.

/// Cardinal number words up to nineteen, by value.
pub(super) const SMALL_NUMBERS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

/// Tens words, twenty to ninety.
pub(super) const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Ordinal words up to twelfth, by value minus one.
pub(super) const ORDINALS: [&str; 12] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth",
];

/// Month names and abbreviations with their number. Longest first so a
/// regex alternation built from it prefers `September` over `Sept`.
pub(super) const MONTHS: [(&str, u32); 24] = [
    ("september", 9),
    ("february", 2),
    ("november", 11),
    ("december", 12),
    ("january", 1),
    ("october", 10),
    ("august", 8),
    ("april", 4),
    ("march", 3),
    ("june", 6),
    ("july", 7),
    ("sept", 9),
    ("may", 5),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Weekday names (full and common abbreviations) with their ISO number (Monday = 1).
pub(super) const WEEKDAYS: [(&str, u32); 10] = [
    ("wednesday", 3),
    ("thursday", 4),
    ("saturday", 6),
    ("tuesday", 2),
    ("monday", 1),
    ("friday", 5),
    ("sunday", 7),
    ("thurs", 4),
    ("tues", 2),
    ("wed", 3),
];

/// Seasons with their TIMEX3 code.
pub(super) const SEASONS: [(&str, &str); 5] = [
    ("spring", "SP"),
    ("summer", "SU"),
    ("autumn", "FA"),
    ("fall", "FA"),
    ("winter", "WI"),
];

/// A calendar or clock unit as TIMEX3 durations and relative dates use it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Weekend,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Millennium,
}

impl Unit {
    /// The unit a word names, singular or plural (`years`, `centuries`).
    pub(super) fn parse(word: &str) -> Option<Unit> {
        let w = word.to_ascii_lowercase();
        let w = w.trim_end_matches('-');
        Some(match w {
            "second" | "seconds" | "sec" | "secs" => Unit::Second,
            "minute" | "minutes" | "min" | "mins" => Unit::Minute,
            "hour" | "hours" | "hr" | "hrs" => Unit::Hour,
            "day" | "days" => Unit::Day,
            "week" | "weeks" => Unit::Week,
            "weekend" | "weekends" => Unit::Weekend,
            "fortnight" | "fortnights" => Unit::Fortnight,
            "month" | "months" => Unit::Month,
            "quarter" | "quarters" => Unit::Quarter,
            "year" | "years" => Unit::Year,
            "decade" | "decades" => Unit::Decade,
            "century" | "centuries" => Unit::Century,
            "millennium" | "millennia" | "millenniums" => Unit::Millennium,
            _ => return None,
        })
    }

    /// Whether this unit is measured on the clock (`PT` durations).
    pub(super) fn is_clock(self) -> bool {
        matches!(self, Unit::Second | Unit::Minute | Unit::Hour)
    }

    /// The duration letter and how many of it one unit makes (a decade is
    /// `P10Y` in TimeBank's usage, written here as `P1DE`).
    pub(super) fn duration_code(self) -> (&'static str, f64) {
        match self {
            Unit::Second => ("S", 1.0),
            Unit::Minute => ("M", 1.0),
            Unit::Hour => ("H", 1.0),
            Unit::Day => ("D", 1.0),
            Unit::Week => ("W", 1.0),
            Unit::Weekend => ("WE", 1.0),
            Unit::Fortnight => ("W", 2.0),
            Unit::Month => ("M", 1.0),
            Unit::Quarter => ("Q", 1.0),
            Unit::Year => ("Y", 1.0),
            Unit::Decade => ("DE", 1.0),
            Unit::Century => ("CE", 1.0),
            Unit::Millennium => ("ML", 1.0),
        }
    }
}

/// The alternation of unit words for regexes, plural forms first.
pub(super) const UNIT_RE: &str = "seconds|second|minutes|minute|hours|hour|days|day|weekends|weekend|weeks|week|fortnights|fortnight|months|month|quarters|quarter|years|year|decades|decade|centuries|century|millennia|millennium";

/// Month number for a month word (`Sept`, `October`), case-insensitive.
pub(super) fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

/// ISO weekday number (Monday = 1) for a weekday word.
pub(super) fn weekday_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    let w = w.trim_end_matches("'s");
    WEEKDAYS.iter().find(|(n, _)| *n == w).map(|(_, d)| *d)
}

/// Season code for a season word.
pub(super) fn season_code(word: &str) -> Option<&'static str> {
    let w = word.to_ascii_lowercase();
    SEASONS.iter().find(|(n, _)| *n == w).map(|(_, c)| *c)
}

/// Ordinal value of `first`..`twelfth` or `1st`..`12th`.
pub(super) fn ordinal_value(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    if let Some(i) = ORDINALS.iter().position(|o| *o == w) {
        return Some(i as u32 + 1);
    }
    if w == "last" || w == "final" {
        return None;
    }
    let digits: String = w.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = &w[digits.len()..];
    if !digits.is_empty() && matches!(rest, "st" | "nd" | "rd" | "th") {
        return digits.parse().ok();
    }
    None
}

/// Value of a number written in digits or words: `3`, `1,500`, `2.5`,
/// `twenty-five`, `a`, `a hundred`, `5 1/2`, `two and a half`. `None` for
/// vague quantities (`several`, `a few`), which normalise to `X`.
pub(super) fn number_value(text: &str) -> Option<f64> {
    let t = text.trim().to_ascii_lowercase();
    let (t, half) = if let Some(s) = t.strip_suffix("and a half") {
        (s.trim().to_string(), 0.5)
    } else if let Some(s) = t.strip_suffix("1/2") {
        (s.trim().to_string(), 0.5)
    } else if let Some(s) = t.strip_suffix('½') {
        (s.trim().to_string(), 0.5)
    } else {
        (t, 0.0)
    };
    if t.is_empty() {
        return (half > 0.0).then_some(half);
    }
    let digits = t.replace(',', "");
    if let Ok(v) = digits.parse::<f64>() {
        return Some(v + half);
    }
    let mut total = 0.0;
    let mut current = 0.0;
    let mut any = false;
    for w in t.split([' ', '-']) {
        if w.is_empty() || w == "and" {
            continue;
        }
        if w == "a" || w == "an" {
            current += 1.0;
            any = true;
        } else if let Some(i) = SMALL_NUMBERS.iter().position(|n| *n == w) {
            current += i as f64;
            any = true;
        } else if let Some(i) = TENS.iter().position(|n| *n == w) {
            current += (i as f64 + 2.0) * 10.0;
            any = true;
        } else if w == "dozen" {
            current = current.max(1.0) * 12.0;
            any = true;
        } else if w == "hundred" {
            current = current.max(1.0) * 100.0;
            any = true;
        } else if w == "thousand" {
            total += current.max(1.0) * 1000.0;
            current = 0.0;
            any = true;
        } else {
            return None;
        }
    }
    any.then_some(total + current + half)
}

/// Regex alternation for numbers in words (`twenty-five`, `a hundred`).
pub(super) fn number_words_re() -> String {
    let small = SMALL_NUMBERS[1..].join("|");
    let tens = TENS.join("|");
    let units = SMALL_NUMBERS[1..10].join("|");
    format!("(?:(?:{tens})(?:[- ](?:{units}))?|(?:{small})(?: hundred)?|(?:a |one )?hundred|a dozen|dozen)")
}

/// Regex alternation for the month words, each with an optional period.
pub(super) fn months_re() -> String {
    let full: Vec<&str> = MONTHS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| n.len() > 4 || *n == "june" || *n == "july")
        .collect();
    let abbr: Vec<&str> = MONTHS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| n.len() <= 4 && *n != "june" && *n != "july")
        .collect();
    format!(r"(?:(?:{})\b|(?:{})\b\.?)", full.join("|"), abbr.join("|"))
}

/// Regex alternation for the weekday words.
pub(super) fn weekdays_re() -> String {
    let names: Vec<&str> = WEEKDAYS.iter().map(|(n, _)| *n).collect();
    format!(r"(?:{})\b", names.join("|"))
}

/// Year of a year written in words: `nineteen ninety-six`, `two thousand`,
/// `two thousand and one`.
pub(super) fn year_words_value(text: &str) -> Option<i32> {
    let t = text.to_ascii_lowercase();
    let words: Vec<&str> = t.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    if words.first() == Some(&"two") && words.get(1) == Some(&"thousand") {
        let rest = words[2..]
            .iter()
            .filter(|w| **w != "and")
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let r = if rest.is_empty() {
            0.0
        } else {
            number_value(&rest)?
        };
        return Some(2000 + r as i32);
    }
    let century = SMALL_NUMBERS
        .iter()
        .position(|n| Some(n) == words.first())?;
    if !(10..=19).contains(&century) {
        return None;
    }
    let rest = words[1..].join(" ");
    let r = number_value(&rest)? as i32;
    (0..100).contains(&r).then_some(century as i32 * 100 + r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(number_value("twenty-five"), Some(25.0));
        assert_eq!(number_value("a"), Some(1.0));
        assert_eq!(number_value("5 1/2"), Some(5.5));
        assert_eq!(number_value("two and a half"), Some(2.5));
        assert_eq!(number_value("1,500"), Some(1500.0));
        assert_eq!(number_value("a hundred"), Some(100.0));
        assert_eq!(number_value("several"), None);
    }

    #[test]
    fn years_in_words() {
        assert_eq!(year_words_value("nineteen ninety-six"), Some(1996));
        assert_eq!(year_words_value("two thousand"), Some(2000));
        assert_eq!(year_words_value("two thousand and one"), Some(2001));
        assert_eq!(year_words_value("ninety"), None);
    }

    #[test]
    fn words() {
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(weekday_number("Friday's"), Some(5));
        assert_eq!(ordinal_value("3rd"), Some(3));
        assert_eq!(ordinal_value("fourth"), Some(4));
        assert_eq!(Unit::parse("centuries"), Some(Unit::Century));
    }
}
