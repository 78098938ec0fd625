//! The briefing as Markdown (CommonMark with pipe tables). Charts are SVG
//! files beside the report, linked as images, because Markdown viewers
//! drop inline SVG.

use std::collections::HashMap;
use std::fmt::Write;

use chrono::NaiveDate;
use storyline_core::ArticleId;
use storyline_engine::brief::{Briefing, FigureRow, SourceRef, ALSO_CITED, TIMELINE_DATES};
use storyline_link::findings::Finding;

use crate::{
    also_reported, chart_name, cited, claimant, day, headline, kind, link, method, more, more_at,
    overview, page_name, plural, quote_kind, rest_at, roles, source, sources, statements,
    statements_shown, svg, update_note, Context, List, Rendered,
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

/// A link destination: a web address with every character that could end
/// the destination or open markup percent-encoded.
fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            // `|` too: a pipe ends a table cell even inside a link.
            '(' | ')' | '<' | '>' | '`' | '\\' | '"' | '\'' | ' ' | '|' => {
                out.push_str(&format!("%{:02X}", u32::from(c)))
            }
            c if c.is_control() || c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// A cited article: its headline linked to where it can be read, then
/// outlet and day.
fn cite(
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    id: &ArticleId,
    outlet: Option<&str>,
    published: Option<NaiveDate>,
) -> String {
    let (src, outlet, published) = cited(srcs, id, outlet, published);
    let title = text(&headline(src, id));
    let title = match link(ctx, id, src) {
        Some(href) => format!("[{title}]({})", destination(&href)),
        None => title,
    };
    format!("{title}, {}", text(&source(outlet, published)))
}

/// A cited article in few words: outlet and day, linked, with the
/// headline as the link's title. For rows that quote the article's own
/// sentence (a figure, a position) and for the other reports of a
/// timeline event, where the headline would add words and no facts.
fn cite_short(
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    id: &ArticleId,
    outlet: Option<&str>,
    published: Option<NaiveDate>,
) -> String {
    let (src, outlet, published) = cited(srcs, id, outlet, published);
    let words = text(&source(outlet, published));
    match link(ctx, id, src) {
        // A title may hold anything but an unescaped `"`.
        Some(href) => format!(
            "[{words}]({} \"{}\")",
            destination(&href),
            text(&headline(src, id)).replace('"', "\\\"")
        ),
        None => words,
    }
}

fn more_line(out: &mut String, total: usize, shown: usize, what: &str) {
    if let Some(line) = more(total, shown, what) {
        let _ = writeln!(out, "\n_{line}._");
    }
}

/// Markdown's markup for the shared wording.
struct Md;

impl crate::Markup for Md {
    fn text(s: &str) -> String {
        text(s)
    }
    fn link(href: &str, words: &str) -> String {
        format!("[{}]({})", text(words), destination(href))
    }
    fn code(s: &str) -> String {
        // Commands made here of letters, digits, spaces and dashes: no
        // backtick to escape.
        format!("`{s}`")
    }
}

/// `and N more …` with where to see them, as its own paragraph.
fn more_line_at(
    out: &mut String,
    total: usize,
    shown: usize,
    what: &str,
    at: (&Briefing, List, &Context),
) {
    let Some(line) = more_at::<Md>(total, shown, what, at) else {
        return;
    };
    // Its own paragraph, whether the list before it ended with one or not.
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    let _ = writeln!(out, "_{line}._");
}

/// One briefing as a Markdown page. With `charts = Some(dir)`, each
/// quantity with a series gets an SVG chart in `files`, linked as
/// `dir/<name>.svg`; with `None` no charts are drawn (the figures table
/// stays).
pub fn markdown(b: &Briefing, charts: Option<&str>, ctx: &Context) -> Rendered {
    let mut out = String::new();
    let mut files = Vec::new();
    let s = &b.story;
    let _ = writeln!(out, "# {}\n", text(s.heading()));
    let _ = writeln!(
        out,
        "storyline briefing · {} {} · {}.\n",
        kind(b),
        text(&s.id),
        text(&overview(b))
    );
    summary(&mut out, b, ctx);
    parts(&mut out, &mut files, b, charts, ctx);
    about(&mut out, ctx, Some(b));
    Rendered { text: out, files }
}

/// The index of a directory of briefings: one entry per briefing, linking
/// its page (`page_name(b, "md")`).
pub fn markdown_index(briefs: &[Briefing], ctx: &Context) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# storyline briefings\n");
    if briefs.is_empty() {
        let _ = writeln!(out, "No storylines yet: ingest articles first.\n");
    } else {
        let _ = writeln!(
            out,
            "{} {}, largest first: one page each.\n",
            briefs.len(),
            if briefs.len() == 1 {
                kind(&briefs[0]).to_string()
            } else {
                format!("{}s", kind(&briefs[0]))
            }
        );
        for b in briefs {
            let _ = write!(
                out,
                "- [{}]({}) ({}): {}. {} contradiction{}.",
                text(b.story.heading()),
                destination(&page_name(b, "md")),
                text(&b.story.id),
                text(&overview(b)),
                b.contested_total,
                plural(b.contested_total)
            );
            if let Some(k) = b.summary.key_figures.first() {
                let _ = write!(
                    out,
                    " {}: {} ({}, {}).",
                    text(&k.label),
                    text(&k.figure.value),
                    text(k.figure.claimant.as_deref().unwrap_or("no source named")),
                    day(k.figure.as_of)
                );
            }
            out.push('\n');
        }
        out.push('\n');
    }
    about(&mut out, ctx, None);
    out
}

fn about(out: &mut String, ctx: &Context, b: Option<&Briefing>) {
    let _ = writeln!(out, "## About this briefing\n");
    let _ = writeln!(
        out,
        "Generated {} from {}.\n",
        text(&ctx.generated),
        text(&ctx.data)
    );
    let _ = writeln!(out, "{}", text(&method(b)));
}

fn summary(out: &mut String, b: &Briefing, ctx: &Context) {
    let srcs = sources(b);
    let s = &b.summary;
    let _ = writeln!(out, "## Summary\n");
    if !b.story.summary.is_empty() {
        let _ = writeln!(out, "**In brief**\n");
        for sn in &b.story.summary {
            let _ = writeln!(
                out,
                "- {} — {}",
                text(&sn.text),
                cite(ctx, &srcs, &sn.article, sn.outlet.as_deref(), sn.published)
            );
        }
        out.push('\n');
    }
    if !s.happened.is_empty() {
        let _ = writeln!(out, "**What happened**\n");
        for h in &s.happened {
            let sn = &h.sentence;
            let _ = writeln!(
                out,
                "- **{}** {} — {}",
                day(Some(h.date)),
                text(&sn.text),
                cite(ctx, &srcs, &sn.article, sn.outlet.as_deref(), sn.published)
            );
        }
        out.push('\n');
    }
    if !s.key_figures.is_empty() {
        let _ = writeln!(out, "**Key figures**\n");
        for k in &s.key_figures {
            let f = &k.figure;
            let _ = writeln!(
                out,
                "- **{}: {}**, according to {}, as of {} ({} report{}) — {}",
                text(&k.label),
                text(&f.value),
                text(
                    f.claimant
                        .as_deref()
                        .unwrap_or("the outlet, naming no source")
                ),
                day(f.as_of),
                k.reports,
                plural(k.reports),
                cite(ctx, &srcs, &f.article, f.outlet.as_deref(), None)
            );
        }
        out.push('\n');
    }
    let _ = writeln!(out, "**What is contested**\n");
    if s.contested.is_empty() {
        let _ = writeln!(out, "No two of its sources contradict each other.\n");
    } else {
        point_lines(out, ctx, &srcs, &s.contested, " _versus_ ");
        out.push('\n');
    }
    if !s.changed.is_empty() {
        let _ = writeln!(out, "**Positions that changed**\n");
        point_lines(out, ctx, &srcs, &s.changed, ", _then_ ");
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Findings: {} contradiction{}, {} update{}, {} agreement{} between independent sources.\n",
        b.contested_total,
        plural(b.contested_total),
        b.updates_total,
        plural(b.updates_total),
        b.agreements,
        plural(b.agreements)
    );
}

fn parts(
    out: &mut String,
    files: &mut Vec<(String, String)>,
    b: &Briefing,
    charts: Option<&str>,
    ctx: &Context,
) {
    let srcs = sources(b);
    let s = &b.story;

    if !b.developments.is_empty() {
        let _ = writeln!(out, "## Its stories\n");
        for d in &b.developments {
            let _ = writeln!(
                out,
                "- {} ({} article{}, {})",
                text(&d.title),
                d.articles,
                plural(d.articles),
                text(&d.id)
            );
        }
        more_line(
            out,
            b.development_count,
            b.developments.len(),
            "more stories",
        );
        out.push('\n');
    }

    if !b.timeline.is_empty() {
        let _ = writeln!(out, "## Timeline\n");
        for e in &b.timeline {
            let _ = writeln!(out, "- **{}**", day(Some(e.date)));
            for sentence in &e.sentences {
                let also: Vec<String> = sentence
                    .also
                    .iter()
                    .take(ALSO_CITED)
                    .map(|o| cite_short(ctx, &srcs, &o.article, o.outlet.as_deref(), o.published))
                    .collect();
                let _ = writeln!(
                    out,
                    "  - {} — {}{}",
                    text(&sentence.text),
                    cite(
                        ctx,
                        &srcs,
                        &sentence.article,
                        sentence.outlet.as_deref(),
                        sentence.published
                    ),
                    also_reported(&also, sentence.also.len())
                        .map(|a| format!("; {a}"))
                        .unwrap_or_default()
                );
            }
        }
        if b.timeline.len() >= TIMELINE_DATES {
            if let Some(place) = rest_at::<Md>(b, List::Timeline, ctx) {
                let _ = writeln!(
                    out,
                    "\n_The {} most reported days. More:_ {place}.",
                    b.timeline.len()
                );
            }
        }
        out.push('\n');
    }

    if !b.figures.is_empty() {
        let _ = writeln!(out, "## Figures\n");
        if b.figures
            .iter()
            .any(|q| q.rows.iter().any(|r| r.single_source))
        {
            let _ = writeln!(out, "† no other independent source gives this value.\n");
        }
        for (i, q) in b.figures.iter().enumerate() {
            let _ = writeln!(
                out,
                "### {}\n\n{} report{}\n",
                text(&q.label),
                q.total,
                plural(q.total)
            );
            if let Some(dir) = charts {
                if let Some(chart) = svg::line_chart(&q.label, &q.series) {
                    let name = chart_name(&s.id, i + 1, q);
                    let _ = writeln!(
                        out,
                        "![{} over time, per claimant]({}/{})\n",
                        text(&q.label),
                        destination(dir),
                        destination(&name)
                    );
                    files.push((name, chart));
                }
            }
            figure_table(out, &q.rows, ctx, &srcs);
            more_line(out, q.total, q.rows.len(), "earlier figures");
            out.push('\n');
        }
        if let Some(line) = more(b.figures_total, b.figures.len(), "more quantities") {
            let _ = writeln!(out, "_{line}._\n");
        }
    }

    if !b.contested.is_empty() {
        let _ = writeln!(out, "## Contested claims\n");
        for f in &b.contested {
            finding(out, f, ctx, &srcs);
        }
        more_line_at(
            out,
            b.contested_total,
            b.contested.len(),
            "more contradictions",
            (b, List::Findings, ctx),
        );
        out.push('\n');
    }

    if !b.positions.is_empty() {
        let _ = writeln!(out, "## Positions\n");
        let _ = writeln!(out, "| Actor | Issue | Position | Said by | Source |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for row in &b.positions {
            for (i, st) in row.statements.iter().enumerate() {
                let position = match &st.condition {
                    Some(c) => format!("{}: {c}", st.position.as_str()),
                    None => st.position.as_str().to_string(),
                };
                let mut actor = match &row.change {
                    Some(ch) if i == 0 => format!("{} ({})", row.actor, crate::change_label(ch)),
                    _ if row.contested => format!("{} (contested)", row.actor),
                    _ => row.actor.clone(),
                };
                if let Some(n) = statements_shown(row).filter(|_| i == 0) {
                    actor.push_str(&format!(" {n}"));
                }
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    text(&actor),
                    text(&row.issue),
                    text(&position),
                    text(st.via.as_deref().unwrap_or("")),
                    cite_short(ctx, &srcs, &st.article, st.outlet.as_deref(), st.published)
                );
            }
        }
        more_line_at(
            out,
            b.positions_total,
            b.positions.len(),
            "more positions",
            (b, List::Positions, ctx),
        );
        out.push('\n');
    }

    if !b.quotes.is_empty() {
        let _ = writeln!(out, "## Quotes\n");
        for sp in &b.quotes {
            let _ = writeln!(
                out,
                "**{}** ({} statement{})\n",
                text(&sp.speaker),
                sp.total,
                plural(sp.total)
            );
            for q in &sp.quotes {
                let _ = writeln!(
                    out,
                    "> {} — _{}_, {}\n",
                    text(&q.text),
                    quote_kind(q.kind),
                    cite(ctx, &srcs, &q.article, q.outlet.as_deref(), q.published)
                );
            }
            if let Some(line) = more(sp.total, sp.quotes.len(), "more statements") {
                let _ = writeln!(out, "_{line}._\n");
            }
        }
        more_line_at(
            out,
            b.speakers_total,
            b.quotes.len(),
            "more speakers",
            (b, List::Quotes, ctx),
        );
        out.push('\n');
    }

    if !b.actors.is_empty() {
        let _ = writeln!(out, "## Key actors\n");
        let _ = writeln!(
            out,
            "| Actor | Kind | Roles reported | Also called | Mentions |"
        );
        let _ = writeln!(out, "|---|---|---|---|---:|");
        for a in &b.actors {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                text(&a.name),
                text(&a.kind),
                text(&roles(&a.roles)),
                text(&a.aliases.join(", ")),
                a.mentions
            );
        }
        out.push('\n');
    }

    if !b.updates.is_empty() {
        let _ = writeln!(out, "## Updates\n");
        for f in &b.updates {
            let [a, c] = &f.claims;
            let _ = writeln!(
                out,
                "- {}: {} (as of {}) → {} (as of {}){} — {}; {}",
                text(&f.key.split('|').nth(1).unwrap_or(&f.key).replace('_', " ")),
                text(&a.summary),
                day(a.as_of),
                text(&c.summary),
                day(c.as_of),
                update_note(f)
                    .map(|n| format!(". _{}_", text(&n)))
                    .unwrap_or_default(),
                cite(
                    ctx,
                    &srcs,
                    &a.evidence.article,
                    a.evidence.outlet.as_deref(),
                    a.evidence.published
                ),
                cite(
                    ctx,
                    &srcs,
                    &c.evidence.article,
                    c.evidence.outlet.as_deref(),
                    c.evidence.published
                )
            );
        }
        more_line_at(
            out,
            b.updates_total,
            b.updates.len(),
            "more updates",
            (b, List::Findings, ctx),
        );
        out.push('\n');
    }

    if !b.coverage.is_empty() {
        let _ = writeln!(out, "## Coverage by outlet\n");
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
        more_line(out, b.outlets_total, b.coverage.len(), "more outlets");
        out.push('\n');
    }

    let u = &b.unknowns;
    let _ = writeln!(out, "## What we don't know\n");
    if u.undated_total == 0
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
                "- {} (date {})",
                cite(ctx, &srcs, &a.id, a.outlet.as_deref(), None),
                a.date_provenance.as_str()
            );
        }
        more_line(
            out,
            u.undated_total,
            u.undated.len(),
            "more undated articles",
        );
        out.push('\n');
    }
    if u.unattributed_total > 0 {
        let _ = writeln!(
            out,
            "**{} figure{} stated with no source named**: the outlet gives {} as fact (claimant “none named” under Figures).\n",
            u.unattributed_total,
            plural(u.unattributed_total),
            if u.unattributed_total == 1 { "it" } else { "them" }
        );
    }
    if u.single_source_total > 0 {
        let _ = writeln!(
            out,
            "**{} figure{} only one independent source gives** (marked † under Figures).\n",
            u.single_source_total,
            plural(u.single_source_total)
        );
    }
    if u.unnamed_speaker_quotes > 0 {
        let _ = writeln!(
            out,
            "{} attributed to no named speaker.\n",
            statements(u.unnamed_speaker_quotes)
        );
    }
}

fn figure_table(
    out: &mut String,
    rows: &[FigureRow],
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
) {
    let _ = writeln!(out, "| Value | Claimant | As of | Sentence | Source |");
    let _ = writeln!(out, "|---:|---|---|---|---|");
    for r in rows {
        let _ = writeln!(
            out,
            "| {}{} | {} | {} | {} | {} |",
            text(&r.value),
            if r.single_source { " †" } else { "" },
            text(r.claimant.as_deref().unwrap_or("(none named)")),
            day(r.as_of),
            text(&r.sentence),
            cite_short(ctx, srcs, &r.article, r.outlet.as_deref(), None)
        );
    }
}

fn finding(out: &mut String, f: &Finding, ctx: &Context, srcs: &HashMap<&ArticleId, &SourceRef>) {
    let _ = writeln!(out, "**{}**\n", text(&f.reason));
    let _ = writeln!(out, "| | First source | Second source |");
    let _ = writeln!(out, "|---|---|---|");
    let [a, b] = &f.claims;
    let cited = |s: &storyline_link::findings::FindingSide| {
        cite(
            ctx,
            srcs,
            &s.evidence.article,
            s.evidence.outlet.as_deref(),
            s.evidence.published,
        )
    };
    let rows = [
        ("Says", text(&a.summary), text(&b.summary)),
        ("Claimant", text(&claimant(a)), text(&claimant(b))),
        ("About", day(a.as_of), day(b.as_of)),
        (
            "Sentence",
            text(&a.evidence.sentence),
            text(&b.evidence.sentence),
        ),
        ("Source", cited(a), cited(b)),
    ];
    for (k, x, y) in rows {
        let _ = writeln!(out, "| {k} | {x} | {y} |");
    }
    out.push('\n');
}

/// The summary's points as list lines, their sides joined by `joiner`
/// (`versus` for sources at odds, `then` for a change of position); a side
/// reads `against (United States, 21 Oct 2023; [source])`.
fn point_lines(
    out: &mut String,
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    points: &[storyline_engine::brief::ContestedPoint],
    joiner: &str,
) {
    for p in points {
        let sides: Vec<String> = p
            .sides
            .iter()
            .map(|side| {
                format!(
                    "{} ({}, {}; {})",
                    text(&side.says),
                    text(side.claimant.as_deref().unwrap_or("no source named")),
                    day(side.as_of),
                    cite(ctx, srcs, &side.article, None, None)
                )
            })
            .collect();
        let _ = writeln!(out, "- **{}**: {}", text(&p.about), sides.join(joiner));
    }
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
    fn link_destinations_cannot_end_early_or_open_markup() {
        assert_eq!(
            destination("https://x.org/a_(b) c<d>\n"),
            "https://x.org/a_%28b%29%20c%3Cd%3E"
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
