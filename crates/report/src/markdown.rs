//! The briefing as Markdown (CommonMark with pipe tables). Charts are SVG
//! files beside the report, linked as images, because Markdown viewers
//! drop inline SVG.

use std::fmt::Write;

use storyline_engine::brief::{Briefing, FigureRow};
use storyline_link::findings::Finding;

use crate::{
    chart_name, claimant, day, overview, quote_kind, roles, short, source, statements, svg,
    Rendered,
};

/// Text for running Markdown and table cells: one line, and characters
/// that would start markup, raw HTML or a new cell escaped, so an article
/// cannot inject any of them. Control characters (an ESC sequence reaches
/// the terminal of whoever `cat`s the file) and bidi overrides (which
/// reorder the line around them) are written out as `\u{..}`, visibly.
/// Every string in the document that is not the renderer's own wording or
/// a number goes through this, engine-made ids and dates included.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.split_whitespace().collect::<Vec<_>>().join(" ").chars() {
        if c.is_control()
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            )
        {
            // `\\` renders as one backslash: the reader sees `\u{202e}`.
            out.push_str(&format!("\\\\u{{{:x}}}", u32::from(c)));
            continue;
        }
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Renders briefings as one Markdown document. With `charts = Some(dir)`,
/// each quantity with a series gets an SVG chart in `files`, linked as
/// `dir/<name>.svg`; with `None` no charts are drawn (the figures table
/// stays).
pub fn markdown(briefs: &[Briefing], charts: Option<&str>) -> Rendered {
    let mut out = String::new();
    let mut files = Vec::new();
    let _ = writeln!(out, "# storyline briefing\n");
    if briefs.is_empty() {
        let _ = writeln!(out, "No stories yet: ingest articles first.");
        return Rendered { text: out, files };
    }
    if briefs.len() > 1 {
        let _ = writeln!(out, "{} stories, largest first.\n", briefs.len());
        for b in briefs {
            let _ = writeln!(
                out,
                "- **{}** {} — {}",
                text(&b.story.id),
                text(b.story.heading()),
                overview(b)
            );
        }
        out.push('\n');
    }
    for b in briefs {
        story(&mut out, &mut files, b, charts);
    }
    Rendered { text: out, files }
}

fn story(out: &mut String, files: &mut Vec<(String, String)>, b: &Briefing, charts: Option<&str>) {
    let s = &b.story;
    let _ = writeln!(out, "## {} · {}\n", text(&s.id), text(s.heading()));
    let _ = writeln!(out, "{}.", overview(b));
    if b.articles_read < s.articles {
        let _ = writeln!(
            out,
            "This briefing reads the latest {} of them.",
            b.articles_read
        );
    }
    let actors: Vec<String> = b.actors.iter().take(5).map(|a| text(&a.name)).collect();
    if !actors.is_empty() {
        let _ = writeln!(out, "Key actors: {}.", actors.join(", "));
    }
    let _ = writeln!(
        out,
        "Findings: {} contradiction{}, {} update{}, {} agreement{} between independent sources.\n",
        b.contested.len(),
        crate::plural(b.contested.len()),
        b.updates.len(),
        crate::plural(b.updates.len()),
        b.agreements,
        crate::plural(b.agreements)
    );

    if !b.timeline.is_empty() {
        let _ = writeln!(out, "### Timeline\n");
        for e in &b.timeline {
            let _ = writeln!(out, "- **{}**", e.date);
            for sentence in &e.sentences {
                let _ = writeln!(
                    out,
                    "  - {} _({}, {})_",
                    text(&sentence.text),
                    text(sentence.outlet.as_deref().unwrap_or("unknown outlet")),
                    short(&sentence.article)
                );
            }
        }
        out.push('\n');
    }

    if !b.actors.is_empty() {
        let _ = writeln!(out, "### Key actors\n");
        let _ = writeln!(
            out,
            "| Actor | Kind | Roles reported | Also called | Mentions |"
        );
        let _ = writeln!(out, "|---|---|---|---|---:|");
        for a in &b.actors {
            let roles = roles(&a.roles);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                text(&a.name),
                text(&a.kind),
                text(&roles),
                text(&a.aliases.join(", ")),
                a.mentions
            );
        }
        out.push('\n');
    }

    if !b.figures.is_empty() {
        let _ = writeln!(out, "### Figures\n");
        for (i, q) in b.figures.iter().enumerate() {
            let _ = writeln!(
                out,
                "**{}** ({} report{})\n",
                text(&q.label),
                q.total,
                crate::plural(q.total)
            );
            figure_table(out, &q.rows);
            if q.total > q.rows.len() {
                let _ = writeln!(out, "\n_{} more not shown._", q.total - q.rows.len());
            }
            if let Some(dir) = charts {
                if let Some(chart) = svg::line_chart(&q.label, &q.series) {
                    let name = chart_name(&s.id, i + 1, q);
                    let _ = writeln!(
                        out,
                        "\n![{} over time, per claimant]({dir}/{name})",
                        text(&q.label)
                    );
                    files.push((name, chart));
                }
            }
            out.push('\n');
        }
    }

    if !b.contested.is_empty() {
        let _ = writeln!(out, "### Contested claims\n");
        for f in &b.contested {
            finding(out, f);
        }
    }

    if !b.positions.is_empty() {
        let _ = writeln!(out, "### Positions\n");
        let _ = writeln!(out, "| Actor | Issue | Position | Said by | Source |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for row in &b.positions {
            for st in &row.statements {
                let position = match &st.condition {
                    Some(c) => format!("{}: {c}", st.position.as_str()),
                    None => st.position.as_str().to_string(),
                };
                let actor = if row.contested {
                    format!("{} (contested)", row.actor)
                } else {
                    row.actor.clone()
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    text(&actor),
                    text(&row.issue),
                    text(&position),
                    text(st.via.as_deref().unwrap_or("")),
                    text(&format!(
                        "{} · {}",
                        source(st.outlet.as_deref(), st.published),
                        short(&st.article)
                    ))
                );
            }
        }
        out.push('\n');
    }

    if !b.updates.is_empty() {
        let _ = writeln!(out, "### Updates\n");
        for f in &b.updates {
            let [a, c] = &f.claims;
            let _ = writeln!(
                out,
                "- {}: {} ({}) → {} ({}). _{}_",
                text(&f.key.split('|').nth(1).unwrap_or(&f.key).replace('_', " ")),
                text(&a.summary),
                text(&source(a.evidence.outlet.as_deref(), a.as_of)),
                text(&c.summary),
                text(&source(c.evidence.outlet.as_deref(), c.as_of)),
                text(&f.reason)
            );
        }
        out.push('\n');
    }

    if !b.quotes.is_empty() {
        let _ = writeln!(out, "### Quotes by speaker\n");
        for sp in &b.quotes {
            let _ = writeln!(out, "**{}** ({})\n", text(&sp.speaker), sp.total);
            for q in &sp.quotes {
                let _ = writeln!(
                    out,
                    "> {} — _{}, {}, {}_\n",
                    text(&q.text),
                    quote_kind(q.kind),
                    text(&source(q.outlet.as_deref(), q.published)),
                    short(&q.article)
                );
            }
        }
    }

    if !b.coverage.is_empty() {
        let _ = writeln!(out, "### Coverage by outlet\n");
        let _ = writeln!(out, "| Outlet | Articles | Copies | First | Last |");
        let _ = writeln!(out, "|---|---:|---:|---|---|");
        for c in &b.coverage {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                text(&c.outlet),
                c.articles,
                c.copies,
                day(c.first_day),
                day(c.last_day)
            );
        }
        out.push('\n');
    }

    let u = &b.unknowns;
    let _ = writeln!(out, "### What we don't know\n");
    if u.undated.is_empty()
        && u.unattributed_total == 0
        && u.single_source_total == 0
        && u.unnamed_speaker_quotes == 0
    {
        let _ = writeln!(out, "Every article is dated and every figure is attributed and confirmed by a second source.\n");
        return;
    }
    if !u.undated.is_empty() {
        let _ = writeln!(
            out,
            "**Articles without a known date** (their claims cannot be placed in time):\n"
        );
        for a in &u.undated {
            let _ = writeln!(
                out,
                "- {} — {} ({}, date {})",
                text(&a.title),
                text(a.outlet.as_deref().unwrap_or("unknown outlet")),
                short(&a.id),
                a.date_provenance.as_str()
            );
        }
        out.push('\n');
    }
    if u.unattributed_total > 0 {
        let _ = writeln!(
            out,
            "**Figures stated with no source named** ({}):\n",
            u.unattributed_total
        );
        figure_table(out, &u.unattributed);
        out.push('\n');
    }
    if u.single_source_total > 0 {
        let _ = writeln!(
            out,
            "**Figures only one independent source gives** ({}):\n",
            u.single_source_total
        );
        figure_table(out, &u.single_source);
        out.push('\n');
    }
    if u.unnamed_speaker_quotes > 0 {
        let _ = writeln!(
            out,
            "{} attributed to no named speaker.\n",
            statements(u.unnamed_speaker_quotes)
        );
    }
}

fn figure_table(out: &mut String, rows: &[FigureRow]) {
    let _ = writeln!(out, "| Value | Claimant | As of | Source | Sentence |");
    let _ = writeln!(out, "|---:|---|---|---|---|");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            text(&r.value),
            text(r.claimant.as_deref().unwrap_or("(none named)")),
            day(r.as_of),
            text(&format!(
                "{} · {}",
                r.outlet.as_deref().unwrap_or("unknown outlet"),
                short(&r.article)
            )),
            text(&r.sentence)
        );
    }
}

fn finding(out: &mut String, f: &Finding) {
    let _ = writeln!(out, "**{}**\n", text(&f.reason));
    let _ = writeln!(out, "| | First source | Second source |");
    let _ = writeln!(out, "|---|---|---|");
    let [a, b] = &f.claims;
    let rows = [
        ("Says", text(&a.summary), text(&b.summary)),
        ("Claimant", text(&claimant(a)), text(&claimant(b))),
        ("About", day(a.as_of), day(b.as_of)),
        (
            "Outlet",
            text(&source(a.evidence.outlet.as_deref(), a.evidence.published)),
            text(&source(b.evidence.outlet.as_deref(), b.evidence.published)),
        ),
        (
            "Article",
            short(&a.evidence.article),
            short(&b.evidence.article),
        ),
        (
            "Sentence",
            text(&a.evidence.sentence),
            text(&b.evidence.sentence),
        ),
    ];
    for (k, x, y) in rows {
        let _ = writeln!(out, "| {k} | {x} | {y} |");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_on_one_line_and_keep_their_pipes() {
        assert_eq!(text("a |b\n c"), "a \\|b c");
    }

    #[test]
    fn control_and_bidi_characters_are_written_out() {
        assert_eq!(
            text("a\u{1b}[2Jb\u{9b}c\u{202e}d\u{2066}e\u{7}"),
            r"a\\u{1b}\[2Jb\\u{9b}c\\u{202e}d\\u{2066}e\\u{7}"
        );
    }

    #[test]
    fn running_text_cannot_open_markup() {
        assert_eq!(
            text("<script> *x* [a](b)"),
            "\\<script\\> \\*x\\* \\[a\\](b)"
        );
    }
}
