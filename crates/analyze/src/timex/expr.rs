//! What a matched expression means before it is resolved against the
//! document: a small algebra that the patterns produce and the resolver
//! turns into a TIMEX3 value. Keeping the two apart lets one resolver serve
//! every pattern that means, say, "the weekday nearest the reference".

use super::lexicon::Unit;

/// A year as written: stated, or to be inferred from the reference date.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum YearSpec {
    /// Written out (`2023`, `'89`, `nineteen ninety-six`).
    Explicit(i32),
    /// Not written: inferred from the reference date and the tense.
    Infer,
    /// `last year`, `this year`, `next year`: the reference year plus this.
    Relative(i32),
}

/// Which reference an expression counts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Anchor {
    /// The document creation time (`yesterday`, `last week`).
    Dct,
    /// The time the text last talked about (`the next day`, `that year`).
    Previous,
}

/// The meaning of a time expression, unresolved.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Expr {
    /// A calendar date, possibly partial: `Oct. 7`, `November 9, 2023`, `May 2001`, `1990`.
    Calendar {
        year: YearSpec,
        month: Option<u32>,
        day: Option<u32>,
    },
    /// A month and day without a year but with a weekday (`Monday, Oct. 26`):
    /// the year is the one near the reference where the weekday fits.
    CalendarWeekday { month: u32, day: u32, wd: u32 },
    /// A decade (`the 1990s` → `199`).
    Decade(i32),
    /// A century, as its first two digits (`the 20th century` → `19`).
    Century(i32),
    /// A quarter of a year, 0 when unknown (`the third quarter`).
    Quarter { q: u32, year: YearSpec },
    /// The quarter the text is reporting on (`the latest quarter`, `the quarter`),
    /// shifted by whole years (`the year-ago quarter` is -1).
    ContextQuarter { years_back: i32 },
    /// `the 1988 period`: the quarter the story is about, in the year given.
    YearContextQuarter(i32),
    /// Half of a year (`the first half of 1989`).
    Half { h: u32, year: YearSpec },
    /// A season (`last summer`), `code` is `SP`/`SU`/`FA`/`WI`.
    Season {
        code: &'static str,
        year: YearSpec,
        /// -1 for `last`, +1 for `next`, 0 for `this`, `None` when bare.
        rel: Option<i32>,
    },
    /// A named weekday, with `last`/`next`/`this` when given, and a part of day.
    Weekday {
        wd: u32,
        rel: Option<i32>,
        part: Option<&'static str>,
    },
    /// `the weekend`: the one before the reference in past tense, after it in future.
    NearWeekend,
    /// A month without a day with `last`/`next`/`this` (`last November`).
    RelMonth { month: u32, rel: i32 },
    /// A unit counted from a reference: `yesterday` is (Day, -1), `next week` (Week, +1),
    /// `two days ago` (Day, -2), `the next day` (Day, +1) from the previous time.
    Shift {
        unit: Unit,
        n: Option<f64>,
        sign: i32,
        anchor: Anchor,
    },
    /// A day relative to the reference with a part of day (`this morning`, `last night`).
    DayPart { days: i64, part: &'static str },
    /// A clock time, on the reference day or an explicit one.
    Clock {
        hour: u32,
        minute: u32,
        day: Option<Box<Expr>>,
    },
    /// A fixed value (`PRESENT_REF`, `PAST_REF`, `FUTURE_REF`, `P1D` for `daily`).
    Literal(&'static str),
    /// A holiday resolved by rule in the year inferred (`Thanksgiving`).
    Holiday { name: Holiday, year: YearSpec },
    /// A length of time; `n` is `None` for vague amounts (`several years` → `PXY`).
    Duration { n: Option<f64>, unit: Unit },
    /// A full date and time from digits (`2023-11-09T14:00`).
    Exact(String),
}

/// Holidays whose date a rule gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Holiday {
    NewYear,
    NewYearsEve,
    Christmas,
    ChristmasEve,
    Thanksgiving,
    Easter,
    LaborDay,
    MemorialDay,
    IndependenceDay,
    VeteransDay,
    ElectionDay,
    Halloween,
    Valentines,
}
