//! Line charts of a quantity over time, one line per claimant, as
//! self-contained SVG (no fonts, scripts or external references), so a
//! briefing opens offline and can be mailed as one file.

use std::fmt::Write;

use chrono::NaiveDate;
use storyline_engine::brief::Series;
use storyline_link::findings::group_thousands;

use crate::esc;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 72.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;
/// Legend rows below the plot.
const LEGEND_ROW: f64 = 18.0;

/// Colours that stay distinct for the common forms of colour blindness
/// (Okabe–Ito), in order of use.
const PALETTE: [&str; 8] = [
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
];

/// The chart of `series` titled `title`, or `None` when there is nothing to
/// draw (no series with a point).
///
/// ```
/// use chrono::NaiveDate;
/// use storyline_engine::brief::Series;
/// let d = |day| NaiveDate::from_ymd_opt(2025, 3, day).unwrap();
/// let s = Series { claimant: "Health ministry".into(), points: vec![(d(3), 12.0), (d(5), 37.0)] };
/// let svg = storyline_report::svg::line_chart("killed", &[s]).unwrap();
/// assert!(svg.starts_with("<svg") && svg.contains("Health ministry"));
/// ```
pub fn line_chart(title: &str, series: &[Series]) -> Option<String> {
    let points: Vec<&(NaiveDate, f64)> = series
        .iter()
        .flat_map(|s| s.points.iter())
        .filter(|(_, v)| v.is_finite())
        .collect();
    let first = points.iter().map(|(d, _)| *d).min()?;
    let last = points.iter().map(|(d, _)| *d).max()?;
    // Four grid steps of a round size, so tick labels are round numbers.
    let step = nice_ceiling(points.iter().map(|(_, v)| *v).fold(0.0, f64::max) / 4.0);
    let top = step * 4.0;
    let days = (last - first).num_days().max(1) as f64;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |d: NaiveDate| {
        if first == last {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * (d - first).num_days() as f64 / days
        }
    };
    let y = |v: f64| TOP + plot_h * (1.0 - (v.max(0.0) / top));
    let legend_h = LEGEND_ROW * series.len().min(PALETTE.len() * 2) as f64;
    let total_h = HEIGHT + legend_h;

    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{total_h}" viewBox="0 0 {WIDTH} {total_h}" role="img" aria-label="{}" font-family="sans-serif" font-size="11">"#,
        esc(title)
    );
    let _ = write!(out, "<title>{}</title>", esc(title));
    // Grid and value axis: five ticks from zero.
    for i in 0..=4 {
        let v = top * i as f64 / 4.0;
        let yy = y(v);
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" y1="{yy:.1}" x2="{:.1}" y2="{yy:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            yy + 4.0,
            esc(&tick(v))
        );
    }
    // Date axis: the first and last day, and the middle one when far apart.
    let mut ticks = vec![first, last];
    if days >= 4.0 {
        ticks.push(first + chrono::Duration::days((days / 2.0) as i64));
    }
    ticks.dedup();
    for d in ticks {
        // The end labels are anchored inwards so they are not clipped.
        let anchor = if first == last {
            "middle"
        } else if d == first {
            "start"
        } else if d == last {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="{anchor}" fill="#555">{d}</text>"##,
            x(d),
            HEIGHT - BOTTOM + 18.0
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#888"/>"##,
        TOP + plot_h,
        WIDTH - RIGHT,
        TOP + plot_h
    );
    for (i, s) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let dash = if i >= PALETTE.len() {
            r#" stroke-dasharray="5 3""#
        } else {
            ""
        };
        let pts: Vec<String> = s
            .points
            .iter()
            .filter(|(_, v)| v.is_finite())
            .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
            .collect();
        if pts.len() > 1 {
            let _ = write!(
                out,
                r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
                pts.join(" ")
            );
        }
        for (d, v) in s.points.iter().filter(|(_, v)| v.is_finite()) {
            let _ = write!(
                out,
                r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}"><title>{}: {} on {d}</title></circle>"#,
                x(*d),
                y(*v),
                esc(&s.claimant),
                esc(&tick(*v))
            );
        }
        if i < PALETTE.len() * 2 {
            let ly = HEIGHT + LEGEND_ROW * i as f64;
            let _ = write!(
                out,
                r##"<line x1="{LEFT}" y1="{ly:.1}" x2="{:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="3"{dash}/><text x="{:.1}" y="{:.1}" fill="#222">{}</text>"##,
                LEFT + 24.0,
                LEFT + 30.0,
                ly + 4.0,
                esc(&s.claimant)
            );
        }
    }
    out.push_str("</svg>");
    Some(out)
}

/// The smallest 1-2-5 step multiple at or above `v` (so axes end on a round
/// number); 1 for an empty or zero range.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if magnitude * step >= v {
            return magnitude * step;
        }
    }
    magnitude * 10.0
}

fn tick(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        group_thousands(v as i64)
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, d).unwrap()
    }

    #[test]
    fn nothing_to_draw_gives_no_chart() {
        assert!(line_chart("x", &[]).is_none());
        let empty = Series {
            claimant: "a".into(),
            points: vec![],
        };
        assert!(line_chart("x", &[empty]).is_none());
    }

    #[test]
    fn axis_ends_on_a_round_number() {
        assert_eq!(nice_ceiling(37.0), 50.0);
        assert_eq!(nice_ceiling(90_000.0), 100_000.0);
        assert_eq!(nice_ceiling(12.0), 20.0);
        assert_eq!(nice_ceiling(37.0 / 4.0) * 4.0, 40.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(f64::NAN), 1.0);
    }

    #[test]
    fn chart_escapes_claimant_names_and_draws_one_line_per_series() {
        let a = Series {
            claimant: "<script>alert(1)</script>".into(),
            points: vec![(day(3), 12.0), (day(5), 37.0)],
        };
        let b = Series {
            claimant: "B & co".into(),
            points: vec![(day(4), 20.0), (day(6), f64::INFINITY), (day(7), 30.0)],
        };
        let svg = line_chart("killed", &[a, b]).unwrap();
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("B &amp; co"));
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(!svg.contains("inf") && !svg.contains("NaN"));
        assert!(svg.contains("2025-03-03") && svg.contains("2025-03-07"));
    }

    #[test]
    fn a_single_day_is_drawn_in_the_middle() {
        let a = Series {
            claimant: "a".into(),
            points: vec![(day(3), 5.0)],
        };
        let svg = line_chart("x", &[a]).unwrap();
        assert!(svg.contains(&format!(
            "cx=\"{:.1}\"",
            LEFT + (WIDTH - LEFT - RIGHT) / 2.0
        )));
    }
}
