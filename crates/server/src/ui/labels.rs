//! Codes the analysis writes (event types such as `ASSAULT`, TimeML values
//! such as `2023-11-10TEV` or `P3D`) as a reader says them, with the code
//! kept as the tooltip: the pages show "attack" and "10 Nov 2023, evening",
//! and the code stays one hover away for whoever checks the data.

use std::fmt::Write;

use chrono::NaiveDate;
use maud::{html, Markup};
use storyline_engine::analysis::EventType;

/// Text (a claim's summary) for HTML, every event-type code in it (a whole
/// upper-case word such as `ASSAULT`) shown by its label as `<abbr>` with
/// the code as the tooltip, inside `<bdi>` as [`super::links::iso`] does.
pub(crate) fn readable_text(s: &str) -> Markup {
    // Runs of word characters, each a code or not, then the gap after it.
    let mut pieces: Vec<(&str, Option<EventType>, &str)> = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        // A run of word characters, then a run of the others.
        let word_end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        let gap_end = after
            .find(|c: char| c.is_alphanumeric() || c == '_')
            .unwrap_or(after.len());
        let (gap, next) = after.split_at(gap_end);
        pieces.push((word, EventType::from_code(word), gap));
        rest = next;
    }
    html! {
        bdi {
            @for (word, code, gap) in &pieces {
                @match code {
                    Some(t) => abbr class="code" title=(word) { (t.label()) },
                    None => (word),
                }
                (gap)
            }
        }
    }
}

/// A TimeML value as a reader says it, or `None` for a form not known
/// here (shown as it is).
pub(crate) fn time_value(v: &str) -> Option<String> {
    match v {
        "PRESENT_REF" => return Some("now".into()),
        "PAST_REF" => return Some("the past".into()),
        "FUTURE_REF" => return Some("the future".into()),
        _ => {}
    }
    if let Some(d) = v.strip_prefix("PT") {
        return duration(d, &[('H', "hour"), ('M', "minute"), ('S', "second")]);
    }
    if let Some(d) = v.strip_prefix('P') {
        return duration(
            d,
            &[
                ('D', "day"),
                ('W', "week"),
                ('M', "month"),
                ('Y', "year"),
                ('E', "decade"),
                ('C', "century"),
            ],
        );
    }
    let (day, part) = match v.split_once('T') {
        Some((d, p)) => (d, Some(p)),
        None => (v, None),
    };
    let mut shown = if let Ok(d) = NaiveDate::parse_from_str(day, "%Y-%m-%d") {
        d.format("%-d %b %Y").to_string()
    } else if let Some((y, q)) = day.split_once("-Q") {
        let (y, q) = (
            year(y)?,
            q.parse::<u8>().ok().filter(|q| (1..=4).contains(q))?,
        );
        format!("Q{q} {y}")
    } else if let Some((y, w)) = day.split_once("-W") {
        let (y, w) = (
            year(y)?,
            w.parse::<u8>().ok().filter(|w| (1..=53).contains(w))?,
        );
        format!("week {w} of {y}")
    } else if let Ok(d) = NaiveDate::parse_from_str(&format!("{day}-01"), "%Y-%m-%d") {
        d.format("%B %Y").to_string()
    } else {
        year(day)?.to_string()
    };
    if let Some(part) = part {
        let part = match part {
            "MO" => "morning".to_string(),
            "MI" => "midday".to_string(),
            "AF" => "afternoon".to_string(),
            "EV" => "evening".to_string(),
            "NI" => "night".to_string(),
            "DT" => "daytime".to_string(),
            hm => {
                let t = chrono::NaiveTime::parse_from_str(hm, "%H:%M").ok()?;
                t.format("%H:%M").to_string()
            }
        };
        let _ = write!(shown, ", {part}");
    }
    Some(shown)
}

fn year(y: &str) -> Option<u16> {
    (y.len() == 4).then(|| y.parse().ok()).flatten()
}

/// `3D` as "3 days", `XD` as "days"; one unit only, else `None`.
fn duration(d: &str, units: &[(char, &str)]) -> Option<String> {
    let unit = d.chars().last()?;
    let (_, name) = units.iter().find(|(u, _)| *u == unit)?;
    let n = &d[..d.len() - unit.len_utf8()];
    if n == "X" {
        return Some(format!("{name}s"));
    }
    let n: u32 = n.parse().ok()?;
    Some(if n == 1 {
        format!("1 {name}")
    } else {
        format!("{n} {name}s")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_codes_read_as_words_with_the_code_as_tooltip() {
        assert_eq!(
            readable_text("Orlen Hills ASSAULT").into_string(),
            r#"<bdi>Orlen Hills <abbr class="code" title="ASSAULT">attack</abbr></bdi>"#
        );
        // Only whole words that are codes; the rest escaped as it is.
        assert_eq!(
            readable_text("USAID & AIDS <b>").into_string(),
            "<bdi>USAID &amp; AIDS &lt;b&gt;</bdi>"
        );
        assert_eq!(
            readable_text("League ACCUSE: DEMAND").into_string(),
            r#"<bdi>League <abbr class="code" title="ACCUSE">accusation</abbr>: <abbr class="code" title="DEMAND">demand</abbr></bdi>"#
        );
        assert_eq!(readable_text("").into_string(), "<bdi></bdi>");
        assert_eq!(
            readable_text("é ASSAULT é").into_string(),
            r#"<bdi>é <abbr class="code" title="ASSAULT">attack</abbr> é</bdi>"#
        );
    }

    #[test]
    fn every_event_code_has_its_own_label() {
        let mut labels = std::collections::BTreeSet::new();
        for t in EventType::ALL {
            assert_eq!(EventType::from_code(t.as_str()), Some(t));
            assert!(labels.insert(t.label()), "{t:?}");
        }
    }

    #[test]
    fn time_values_read_as_people_write_them() {
        for (code, shown) in [
            ("2023-11-10TEV", Some("10 Nov 2023, evening")),
            ("2023-11-08TNI", Some("8 Nov 2023, night")),
            ("2023-11-10", Some("10 Nov 2023")),
            ("2023-11-10T14:30", Some("10 Nov 2023, 14:30")),
            ("2023-11", Some("November 2023")),
            ("2023", Some("2023")),
            ("2023-Q3", Some("Q3 2023")),
            ("2023-W45", Some("week 45 of 2023")),
            ("P3D", Some("3 days")),
            ("P1W", Some("1 week")),
            ("PXY", Some("years")),
            ("PT2H", Some("2 hours")),
            ("PRESENT_REF", Some("now")),
            ("199", None),
            ("2023-13-01", None),
            ("2023-11-10TZZ", None),
            ("P3Q", None),
            ("", None),
        ] {
            assert_eq!(time_value(code).as_deref(), shown, "{code}");
        }
    }
}
