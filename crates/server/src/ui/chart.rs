//! The overview's chart of articles over time: inline SVG drawn here, no
//! script and no library (the page's CSP forbids scripts, and a bar chart
//! is a few rectangles). Each bar carries its own tooltip (`<title>`), so
//! the numbers are readable without hovering precision, and the chart has
//! a text alternative.
//!
//! The SVG stays hand-written `format!` while the pages around it are
//! maud templates (ARCHITECTURE.md): it is numbers and a few attributes in
//! a fixed shape, and its only text (dates and counts made here, never
//! article text) still goes through `esc`. The figure around it is a
//! template that takes the drawing as [`PreEscaped`].

use std::fmt::Write;

use chrono::{Datelike, Duration, NaiveDate};
use maud::{html, Markup, PreEscaped};
use storyline_report::esc;

/// How many bars the chart draws at most: beyond this, days are grouped
/// into weeks, then months, so a store spanning decades still draws a
/// chart of bounded size.
const MAX_BARS: i64 = 120;

/// Width and height of the drawing, in its own units (it scales to the
/// page's width).
const W: f64 = 800.0;
const H: f64 = 160.0;
/// Room for the axis labels below the bars.
const AXIS: f64 = 22.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bucket {
    Day,
    Week,
    Month,
}

impl Bucket {
    fn start(self, d: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => d,
            Bucket::Week => d - Duration::days(i64::from(d.weekday().num_days_from_monday())),
            Bucket::Month => d.with_day(1).unwrap_or(d),
        }
    }

    fn next(self, d: NaiveDate) -> NaiveDate {
        match self {
            Bucket::Day => d + Duration::days(1),
            Bucket::Week => d + Duration::days(7),
            Bucket::Month => d
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    fn label(self, d: NaiveDate) -> String {
        match self {
            Bucket::Day => d.format("%-d %b %Y").to_string(),
            Bucket::Week => format!("week of {}", d.format("%-d %b %Y")),
            Bucket::Month => d.format("%B %Y").to_string(),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Bucket::Day => "day",
            Bucket::Week => "week",
            Bucket::Month => "month",
        }
    }
}

/// Counts per bar, every bar from the first day's to the last day's
/// (empty ones included: a gap in coverage shows as a gap).
fn buckets(days: &[(NaiveDate, u64)]) -> (Bucket, Vec<(NaiveDate, u64)>) {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return (Bucket::Day, Vec::new());
    };
    let span = (last.0 - first.0).num_days() + 1;
    let bucket = if span <= MAX_BARS {
        Bucket::Day
    } else if span <= MAX_BARS * 7 {
        Bucket::Week
    } else {
        Bucket::Month
    };
    let mut out: Vec<(NaiveDate, u64)> = Vec::new();
    let mut at = bucket.start(first.0);
    let end = bucket.start(last.0);
    let mut i = 0;
    // Bounded: at most MAX_BARS days or weeks, or one bar per month of
    // the range (a store's dates are checked at ingest: none before 1990
    // or in the future).
    while at <= end && out.len() < 10_000 {
        let next = bucket.next(at);
        let mut n = 0;
        while i < days.len() && days[i].0 < next {
            n += days[i].1;
            i += 1;
        }
        out.push((at, n));
        at = next;
    }
    (bucket, out)
}

/// The chart of `days` (articles per published day, oldest first) as a
/// `<figure>`; empty when there is no dated article.
pub(crate) fn articles_over_time(days: &[(NaiveDate, u64)]) -> Markup {
    let (bucket, bars) = buckets(days);
    if bars.is_empty() {
        return html! {};
    }
    let most = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let total: u64 = bars.iter().map(|b| b.1).sum();
    let n = bars.len() as f64;
    let step = W / n;
    let width = (step * 0.8).max(0.5);
    let plot = H - AXIS;
    let first = bars[0].0;
    let last_day = days.last().map(|d| d.0).unwrap_or(first);
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="chart-title" preserveAspectRatio="none"><title id="chart-title">Articles per {} from {} to {}: {total} in all, at most {most} in one {}</title>"#,
        bucket.noun(),
        esc(&first.format("%-d %b %Y").to_string()),
        esc(&last_day.format("%-d %b %Y").to_string()),
        bucket.noun(),
    );
    for (i, (at, count)) in bars.iter().enumerate() {
        let h = plot * (*count as f64) / (most as f64);
        let x = i as f64 * step + (step - width) / 2.0;
        let _ = write!(
            svg,
            r#"<rect class="bar" x="{x:.2}" y="{:.2}" width="{width:.2}" height="{h:.2}"><title>{}: {count} {}</title></rect>"#,
            plot - h,
            esc(&bucket.label(*at)),
            if *count == 1 { "article" } else { "articles" },
        );
    }
    let _ = write!(
        svg,
        r#"<line class="axis" x1="0" y1="{plot}" x2="{W}" y2="{plot}"/><text class="tick" x="0" y="{}" text-anchor="start">{}</text><text class="tick" x="{W}" y="{}" text-anchor="end">{}</text></svg>"#,
        H - 6.0,
        esc(&first.format("%-d %b %Y").to_string()),
        H - 6.0,
        esc(&last_day.format("%-d %b %Y").to_string()),
    );
    html! {
        figure class="coverage" {
            figcaption {
                "Articles per " (bucket.noun()) " "
                span class="muted small" { "(most in one " (bucket.noun()) ": " (most) ")" }
            }
            // Safe as it is: the drawing is written above from numbers and
            // this module's own dates, every text in it through `esc`.
            (PreEscaped(svg))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn days_without_articles_are_bars_of_nothing() {
        let (bucket, bars) = buckets(&[(day("2024-03-01"), 2), (day("2024-03-04"), 5)]);
        assert_eq!(bucket, Bucket::Day);
        assert_eq!(
            bars,
            [
                (day("2024-03-01"), 2),
                (day("2024-03-02"), 0),
                (day("2024-03-03"), 0),
                (day("2024-03-04"), 5)
            ]
        );
        let svg =
            articles_over_time(&[(day("2024-03-01"), 2), (day("2024-03-04"), 5)]).into_string();
        assert_eq!(svg.matches("<rect").count(), 4);
        assert!(
            svg.contains("<title>4 Mar 2024: 5 articles</title>"),
            "{svg}"
        );
        assert!(svg.contains("1 Mar 2024 to 4 Mar 2024: 7 in all"), "{svg}");
    }

    #[test]
    fn long_ranges_group_into_weeks_then_months_and_stay_small() {
        let (bucket, bars) = buckets(&[(day("2024-01-01"), 1), (day("2024-12-31"), 1)]);
        assert_eq!(bucket, Bucket::Week);
        assert!(bars.len() <= 60, "{}", bars.len());
        assert_eq!(bars.iter().map(|b| b.1).sum::<u64>(), 2);
        let (bucket, bars) = buckets(&[(day("1990-01-01"), 3), (day("2024-12-31"), 4)]);
        assert_eq!(bucket, Bucket::Month);
        assert_eq!(bars.len(), 35 * 12);
        assert_eq!(bars.first(), Some(&(day("1990-01-01"), 3)));
        assert_eq!(bars.last(), Some(&(day("2024-12-01"), 4)));
        assert!(articles_over_time(&[]).into_string().is_empty());
    }
}
