use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as precise as the source gave it: a calendar day, with a
/// time of day and a UTC offset when known.
///
/// News metadata is often a bare date ("2023-11-09"); pretending it is
/// midnight UTC would shift it a day for half the world, so the precision is
/// kept. Serialised as ISO 8601 (`2023-11-09`, `2023-11-09T14:03:00`,
/// `2023-11-09T14:03:00+02:00`).
///
/// ```
/// use storyline_core::Timestamp;
/// let t = Timestamp::parse("Thu, 09 Nov 2023 14:03:00 GMT").unwrap();
/// assert_eq!(t.to_string(), "2023-11-09T14:03:00Z");
/// assert_eq!(Timestamp::parse("November 9, 2023").unwrap().to_string(), "2023-11-09");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Timestamp {
    /// The calendar day, in the source's own time zone.
    pub date: NaiveDate,
    /// Time of day, when given.
    pub time: Option<NaiveTime>,
    /// Offset from UTC in seconds, when given.
    pub offset_seconds: Option<i32>,
}

/// The text is not a date or time storyline understands.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not a date: {0:?} (expected ISO 8601 such as 2023-11-09 or 2023-11-09T14:00:00Z, RFC 2822, or '9 November 2023')")]
pub struct ParseTimestampError(pub String);

impl Timestamp {
    /// A day with no time.
    pub fn from_date(date: NaiveDate) -> Timestamp {
        Timestamp {
            date,
            time: None,
            offset_seconds: None,
        }
    }

    /// Parses the date formats found in news metadata: ISO 8601 / RFC 3339
    /// (with or without time, `T` or space, `Z` or offset, fractional
    /// seconds), RFC 2822, `2023/11/09`, `20231109`, and written dates in
    /// English (`9 November 2023`, `Nov. 9, 2023`, `Thursday, November 9, 2023`).
    pub fn parse(input: &str) -> Result<Timestamp, ParseTimestampError> {
        let err = || ParseTimestampError(input.chars().take(80).collect());
        let s = input.trim();
        if s.is_empty() || s.len() > 80 {
            return Err(err());
        }
        if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(s) {
            return Ok(Self::from_fixed(dt, true));
        }
        if let Ok(dt) = chrono::DateTime::parse_from_rfc2822(s) {
            return Ok(Self::from_fixed(dt, true));
        }
        // RFC 2822 with a named zone chrono does not know ("EST", "BST"): keep the
        // local time and drop the zone rather than guess.
        if let Some(t) = parse_rfc2822_loose(s) {
            return Ok(t);
        }
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%.f%:z",
            "%Y-%m-%dT%H:%M:%S%.f%z",
            "%Y-%m-%d %H:%M:%S%.f%:z",
            "%Y-%m-%d %H:%M:%S%.f%z",
            "%Y-%m-%dT%H:%M%:z",
            "%Y-%m-%d %H:%M%:z",
        ] {
            if let Ok(dt) = chrono::DateTime::parse_from_str(s, fmt) {
                return Ok(Self::from_fixed(dt, true));
            }
        }
        let (body, utc) = match s.strip_suffix('Z').or_else(|| s.strip_suffix(" UTC")) {
            Some(b) => (b, true),
            None => (s, false),
        };
        for fmt in [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M",
            "%Y/%m/%d %H:%M:%S",
            "%Y/%m/%d %H:%M",
        ] {
            if let Ok(dt) = NaiveDateTime::parse_from_str(body, fmt) {
                return Ok(Timestamp {
                    date: dt.date(),
                    time: Some(dt.time()),
                    offset_seconds: utc.then_some(0),
                });
            }
        }
        if let Some(d) = parse_date_only(s) {
            return Ok(Timestamp::from_date(d));
        }
        Err(err())
    }

    fn from_fixed(dt: chrono::DateTime<FixedOffset>, with_time: bool) -> Timestamp {
        Timestamp {
            date: dt.date_naive(),
            time: with_time.then(|| dt.time()),
            offset_seconds: Some(dt.offset().local_minus_utc()),
        }
    }

    /// The day in UTC when the offset is known, else the source's own day.
    /// Used to compare against "now" and against date limits.
    pub fn utc_date(&self) -> NaiveDate {
        match (self.time, self.offset_seconds) {
            (Some(time), Some(off)) => FixedOffset::east_opt(off)
                .and_then(|tz| tz.from_local_datetime(&self.date.and_time(time)).single())
                .map(|dt| dt.naive_utc().date())
                .unwrap_or(self.date),
            _ => self.date,
        }
    }

    /// Whether this is later than `now` by more than a day of slack, so that a
    /// date in a time zone ahead of the ingesting machine is not rejected.
    pub fn is_after(&self, now: NaiveDate) -> bool {
        self.utc_date() > now.succ_opt().unwrap_or(now)
    }
}

fn parse_rfc2822_loose(s: &str) -> Option<Timestamp> {
    let parts: Vec<&str> = s.split_whitespace().collect();
    if parts.len() < 5 {
        return None;
    }
    let last = parts[parts.len() - 1];
    if !last.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let without_zone = parts[..parts.len() - 1].join(" ");
    let body = without_zone
        .split_once(", ")
        .map(|(_, b)| b.to_string())
        .unwrap_or(without_zone);
    NaiveDateTime::parse_from_str(&body, "%d %b %Y %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(&body, "%d %b %Y %H:%M"))
        .ok()
        .map(|dt| Timestamp {
            date: dt.date(),
            time: Some(dt.time()),
            offset_seconds: (last == "GMT" || last == "UT" || last == "UTC").then_some(0),
        })
}

fn parse_date_only(s: &str) -> Option<NaiveDate> {
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, fmt) {
            return Some(d);
        }
    }
    // Written dates: drop a leading weekday and commas/periods, then try day-month-year and
    // month-day-year orders with full and abbreviated month names.
    let cleaned: String = s
        .replace([',', '.'], " ")
        .split_whitespace()
        .filter(|w| {
            weekday(w).is_none() && !matches!(w.to_ascii_lowercase().as_str(), "the" | "of")
        })
        .map(strip_ordinal)
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<&str> = cleaned.split(' ').collect();
    if words.len() != 3 {
        return None;
    }
    let (d, m, y) = if let Some(m) = month(words[0]) {
        (words[1], m, words[2])
    } else if let Some(m) = month(words[1]) {
        (words[0], m, words[2])
    } else {
        return None;
    };
    NaiveDate::from_ymd_opt(y.parse().ok()?, m, d.parse().ok()?)
}

fn strip_ordinal(w: &str) -> String {
    let lower = w.to_ascii_lowercase();
    for suf in ["st", "nd", "rd", "th"] {
        if let Some(num) = lower.strip_suffix(suf) {
            if !num.is_empty() && num.bytes().all(|b| b.is_ascii_digit()) {
                return num.to_string();
            }
        }
    }
    w.to_string()
}

/// Whether `word` names a month or a day of the week, in full or
/// abbreviated, in any case: such words date things, they are not topics
/// or names.
///
/// ```
/// assert!(storyline_core::is_calendar_word("March"));
/// assert!(storyline_core::is_calendar_word("Sept"));
/// assert!(storyline_core::is_calendar_word("thursday"));
/// assert!(!storyline_core::is_calendar_word("marching"));
/// ```
pub fn is_calendar_word(word: &str) -> bool {
    month(word).is_some() || weekday(word).is_some()
}

/// Month number for an English month name or abbreviation (`Sept`, `Nov`).
pub(crate) fn month(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    NAMES
        .iter()
        .position(|n| *n == w || ((3..=4).contains(&w.len()) && n.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

fn weekday(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    const NAMES: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    NAMES
        .iter()
        .position(|n| *n == w || (w.len() >= 3 && w.len() <= 4 && n.starts_with(&w)))
        .map(|i| i as u32)
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.date.year(),
            self.date.month(),
            self.date.day()
        )?;
        if let Some(t) = self.time {
            write!(f, "T{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())?;
            match self.offset_seconds {
                Some(0) => f.write_str("Z")?,
                Some(off) => {
                    let sign = if off < 0 { '-' } else { '+' };
                    let a = off.unsigned_abs();
                    write!(f, "{sign}{:02}:{:02}", a / 3600, (a % 3600) / 60)?;
                }
                None => {}
            }
        }
        Ok(())
    }
}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Written as text (`collect_str` above), so its schema is a string, not
/// the struct's fields.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "ISO 8601, as precise as the source gave it (`2023-11-09`, `2023-11-09T14:03:00Z`).",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> String {
        Timestamp::parse(s)
            .map(|t| t.to_string())
            .unwrap_or_else(|e| format!("ERR {e}"))
    }

    #[test]
    fn formats_seen_in_news_metadata() {
        assert_eq!(p("2023-11-09"), "2023-11-09");
        assert_eq!(p("2023-11-09T14:03:00Z"), "2023-11-09T14:03:00Z");
        assert_eq!(
            p("2023-11-09T14:03:00.123+02:00"),
            "2023-11-09T14:03:00+02:00"
        );
        assert_eq!(p("2023-11-09T14:03:00+0530"), "2023-11-09T14:03:00+05:30");
        assert_eq!(p("2023-11-09 14:03:00"), "2023-11-09T14:03:00");
        assert_eq!(p("2023-11-09 14:03"), "2023-11-09T14:03:00");
        assert_eq!(p("Thu, 09 Nov 2023 14:03:00 +0000"), "2023-11-09T14:03:00Z");
        assert_eq!(
            p("Thu, 09 Nov 2023 14:03:00 EST"),
            "2023-11-09T14:03:00-05:00"
        );
        assert_eq!(p("Thu, 09 Nov 2023 14:03:00 BST"), "2023-11-09T14:03:00");
        assert_eq!(p("2023/11/09"), "2023-11-09");
        assert_eq!(p("20231109"), "2023-11-09");
        assert_eq!(p("9 November 2023"), "2023-11-09");
        assert_eq!(p("Nov. 9, 2023"), "2023-11-09");
        assert_eq!(p("Thursday, November 9th, 2023"), "2023-11-09");
        assert_eq!(p("Sept 30 2023"), "2023-09-30");
    }

    #[test]
    fn rejects_non_dates() {
        for s in [
            "",
            "yesterday",
            "2023-13-01",
            "31 February 2023",
            "hello world foo",
            "12345",
        ] {
            assert!(Timestamp::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn utc_date_moves_across_midnight() {
        let t = Timestamp::parse("2023-11-09T23:30:00-05:00").unwrap();
        assert_eq!(t.utc_date(), NaiveDate::from_ymd_opt(2023, 11, 10).unwrap());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,100}") {
            let _ = Timestamp::parse(&s);
        }

        #[test]
        fn display_round_trips(y in 1900i32..2100, m in 1u32..13, d in 1u32..29, h in 0u32..24, mi in 0u32..60, off in -12i32..14) {
            let t = Timestamp {
                date: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
                time: NaiveTime::from_hms_opt(h, mi, 0),
                offset_seconds: Some(off * 3600),
            };
            prop_assert_eq!(Timestamp::parse(&t.to_string()).unwrap(), t);
        }
    }
}
