//! The briefing as one self-contained HTML page: inline CSS, inline SVG
//! charts, no scripts and no external resources, so it opens offline and
//! survives being mailed; links go only to the cited articles. Every piece
//! of text from an article goes through [`esc`], and an article's address
//! becomes a link only when it is an `http(s)` address.

use std::collections::HashMap;
use std::fmt::Write;

use storyline_core::ArticleId;
use storyline_engine::brief::{
    Briefing, ContestedPoint, ContestedSide, FigureRow, SourceRef, ALSO_CITED, TIMELINE_DATES,
};
use storyline_link::findings::Finding;

use crate::{
    also_reported, cited, claimant, day, esc, headline, kind, link, method, more, more_at,
    overview, page_name, plural, quote_kind, rest_at, roles, source, sources, statements,
    statements_shown, svg, update_note, Context, List,
};

const STYLE: &str = "
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1b1b;max-width:1040px;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem;margin:.2rem 0 .6rem}h2{font-size:1.25rem;border-top:3px solid #1b1b1b;padding-top:.6rem;margin-top:2.2rem}
h3{font-size:1rem;margin:1.2rem 0 .4rem;text-transform:uppercase;letter-spacing:.04em;color:#444}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;white-space:nowrap}
.meta{color:#555}.id{font-family:ui-monospace,monospace;font-size:.85em;color:#666}
.summary{background:#f5f9fd;border:1px solid #cfe0f0;border-radius:6px;padding:.2rem 1.2rem 1rem;margin:1rem 0}
.summary h2{border:0;margin-top:.6rem}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:.5rem 0 1.2rem}
@media (max-width:640px){.pair{grid-template-columns:1fr}}
.side{border:1px solid #ddd;border-left:4px solid #D55E00;padding:.5rem .8rem;background:#fffaf6}
.side:first-child{border-left-color:#0072B2;background:#f5f9fd}
blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:3px solid #ccc}
.contested{color:#b3261e;font-weight:600}.changed{color:#8a5a00;font-weight:600}.gap{background:#fff8e1;padding:.5rem 1rem;border-radius:4px}
.more{color:#555;font-style:italic}.cite{font-size:.9em}
ul.toc li{margin:.5rem 0}figure{margin:.5rem 0 1rem}
";

/// `html` with a line break after each block's end tag, so a diff of two
/// reports shows lines, not one changed line per page. Safe on the whole
/// page: article text is escaped, so a `</p>` in it reads `&lt;/p&gt;`.
fn lines(html: String) -> String {
    let mut out = html;
    for tag in [
        "</tr>",
        "</li>",
        "</p>",
        "</h1>",
        "</h2>",
        "</h3>",
        "</table>",
        "</blockquote>",
        "</div>",
        "</figure>",
        "</ul>",
        "</style>",
    ] {
        out = out.replace(tag, &format!("{tag}\n"));
    }
    out
}

/// The page's opening, up to and including `<body>`.
fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><meta name=\"referrer\" content=\"no-referrer\"><title>{}</title><style>{STYLE}</style></head><body>",
        esc(title)
    );
}

/// The closing section: when, from where, and how.
fn about(out: &mut String, ctx: &Context, b: Option<&Briefing>) {
    let _ = write!(
        out,
        "<h2>About this briefing</h2><p class=\"meta\">Generated {} from {}.</p><p>{}</p>",
        esc(&ctx.generated),
        esc(&ctx.data),
        esc(&method(b))
    );
}

/// One briefing as a page of its own.
pub fn html(b: &Briefing, ctx: &Context) -> String {
    let mut out = String::new();
    head(
        &mut out,
        &format!("{} — storyline briefing", b.story.heading()),
    );
    let _ = write!(
        out,
        "<p class=\"meta\">storyline briefing · {} <span class=\"id\">{}</span></p><h1>{}</h1><p class=\"meta\">{}.</p>",
        kind(b),
        esc(&b.story.id),
        esc(b.story.heading()),
        esc(&overview(b))
    );
    summary(&mut out, b, ctx);
    parts_into(&mut out, b, true, ctx);
    about(&mut out, ctx, Some(b));
    out.push_str("</body></html>\n");
    lines(out)
}

/// The index of a directory of briefings: one line per briefing, linking
/// its page (`page_name(b, "html")`).
pub fn html_index(briefs: &[Briefing], ctx: &Context) -> String {
    let mut out = String::new();
    head(&mut out, "storyline briefings");
    out.push_str("<h1>storyline briefings</h1>");
    if briefs.is_empty() {
        out.push_str("<p>No storylines yet: ingest articles first.</p>");
    } else {
        let _ = write!(
            out,
            "<p class=\"meta\">{} {}, largest first: one page each.</p><ul class=\"toc\">",
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
                "<li><a href=\"{}\"><strong>{}</strong></a> <span class=\"id\">{}</span><br><span class=\"meta\">{}. {} contradiction{}.</span>",
                esc(&page_name(b, "html")),
                esc(b.story.heading()),
                esc(&b.story.id),
                esc(&overview(b)),
                b.contested_total,
                plural(b.contested_total)
            );
            if let Some(k) = b.summary.key_figures.first() {
                let _ = write!(
                    out,
                    "<br>{}: {} ({}, {})",
                    esc(&k.label),
                    esc(&k.figure.value),
                    esc(k.figure.claimant.as_deref().unwrap_or("no source named")),
                    day(k.figure.as_of)
                );
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    about(&mut out, ctx, None);
    out.push_str("</body></html>\n");
    lines(out)
}

/// The body of a briefing without its page or summary: the sections after
/// the heading, for embedding in another page (the web UI's story page,
/// which draws its own timeline and heading).
pub fn html_parts(b: &Briefing, timeline: bool, ctx: &Context) -> String {
    let mut out = String::new();
    parts_into(&mut out, b, timeline, ctx);
    lines(out)
}

/// A cited article: its headline linked to where it can be read, then
/// outlet and day.
fn cite(
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    id: &ArticleId,
    outlet: Option<&str>,
    published: Option<chrono::NaiveDate>,
) -> String {
    let (src, outlet, published) = cited(srcs, id, outlet, published);
    let title = esc(&headline(src, id));
    let text = match link(ctx, id, src) {
        Some(href) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{title}</a>",
            esc(&href)
        ),
        None => title,
    };
    format!(
        "<span class=\"cite\">{text} <span class=\"meta\">{}</span></span>",
        esc(&source(outlet, published))
    )
}

/// A cited article in few words: outlet and day, linked, the headline
/// shown on hover. For rows that quote the article's own sentence (a
/// figure, a position) and for the other reports of a timeline event,
/// where the headline would add words and no facts.
fn cite_short(
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    id: &ArticleId,
    outlet: Option<&str>,
    published: Option<chrono::NaiveDate>,
) -> String {
    let (src, outlet, published) = cited(srcs, id, outlet, published);
    let text = esc(&source(outlet, published));
    let text = match link(ctx, id, src) {
        Some(href) => format!(
            "<a href=\"{}\" title=\"{}\" rel=\"noopener noreferrer\">{text}</a>",
            esc(&href),
            esc(&headline(src, id))
        ),
        None => text,
    };
    format!("<span class=\"cite\">{text}</span>")
}

fn more_line(out: &mut String, total: usize, shown: usize, what: &str) {
    if let Some(line) = more(total, shown, what) {
        let _ = write!(out, "<p class=\"more\">{}.</p>", esc(&line));
    }
}

/// HTML's markup for the shared wording.
struct Html;

impl crate::Markup for Html {
    fn text(s: &str) -> String {
        esc(s)
    }
    fn link(href: &str, text: &str) -> String {
        format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
    }
    fn code(s: &str) -> String {
        format!("<code>{}</code>", esc(s))
    }
}

/// `and N more …` with where to see them.
fn more_line_at(
    out: &mut String,
    total: usize,
    shown: usize,
    what: &str,
    at: (&Briefing, List, &Context),
) {
    if let Some(line) = more_at::<Html>(total, shown, what, at) {
        let _ = write!(out, "<p class=\"more\">{line}.</p>");
    }
}

fn summary(out: &mut String, b: &Briefing, ctx: &Context) {
    let srcs = sources(b);
    let s = &b.summary;
    out.push_str("<section class=\"summary\"><h2>Summary</h2>");
    if !b.story.summary.is_empty() {
        out.push_str("<h3>In brief</h3><ul>");
        for sn in &b.story.summary {
            let _ = write!(
                out,
                "<li>{} — {}</li>",
                esc(&sn.text),
                cite(ctx, &srcs, &sn.article, sn.outlet.as_deref(), sn.published)
            );
        }
        out.push_str("</ul>");
    }
    if !s.happened.is_empty() {
        out.push_str("<h3>What happened</h3><ul>");
        for h in &s.happened {
            let sn = &h.sentence;
            let _ = write!(
                out,
                "<li><strong>{}</strong> {} — {}</li>",
                day(Some(h.date)),
                esc(&sn.text),
                cite(ctx, &srcs, &sn.article, sn.outlet.as_deref(), sn.published)
            );
        }
        out.push_str("</ul>");
    }
    if !s.key_figures.is_empty() {
        out.push_str("<h3>Key figures</h3><ul>");
        for k in &s.key_figures {
            let f = &k.figure;
            let _ =
                write!(
                out,
                "<li><strong>{}: {}</strong>, according to {}, as of {} ({} report{}) — {}</li>",
                esc(&k.label),
                esc(&f.value),
                esc(f.claimant.as_deref().unwrap_or("the outlet, naming no source")),
                day(f.as_of),
                k.reports,
                plural(k.reports),
                cite(ctx, &srcs, &f.article, f.outlet.as_deref(), None)
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("<h3>What is contested</h3>");
    if s.contested.is_empty() {
        out.push_str("<p>No two of its sources contradict each other.</p>");
    } else {
        out.push_str("<ul>");
        point_items(out, ctx, &srcs, &s.contested, " <em>versus</em> ");
        out.push_str("</ul>");
    }
    if !s.changed.is_empty() {
        out.push_str("<h3>Positions that changed</h3><ul>");
        point_items(out, ctx, &srcs, &s.changed, ", <em>then</em> ");
        out.push_str("</ul>");
    }
    let _ = write!(
        out,
        "<p class=\"meta\">Findings: {} contradiction{}, {} update{}, {} agreement{} between independent sources.</p></section>",
        b.contested_total,
        plural(b.contested_total),
        b.updates_total,
        plural(b.updates_total),
        b.agreements,
        plural(b.agreements)
    );
}

/// The summary's points as list items, their sides joined by `joiner`
/// (`versus` for sources at odds, `then` for a change of position).
fn point_items(
    out: &mut String,
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    points: &[ContestedPoint],
    joiner: &str,
) {
    for p in points {
        let sides: Vec<String> = p
            .sides
            .iter()
            .map(|side| contested_side(ctx, srcs, side))
            .collect();
        let _ = write!(
            out,
            "<li><strong>{}</strong>: {}</li>",
            esc(&p.about),
            sides.join(joiner)
        );
    }
}

fn contested_side(
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    side: &ContestedSide,
) -> String {
    format!(
        "{} ({}, {}; {})",
        esc(&side.says),
        esc(side.claimant.as_deref().unwrap_or("no source named")),
        day(side.as_of),
        cite(ctx, srcs, &side.article, None, None)
    )
}

fn parts_into(out: &mut String, b: &Briefing, timeline: bool, ctx: &Context) {
    let srcs = sources(b);

    if !b.developments.is_empty() {
        out.push_str("<h2>Its stories</h2><ul>");
        for d in &b.developments {
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">({} article{})</span> <span class=\"id\">{}</span></li>",
                esc(&d.title),
                d.articles,
                plural(d.articles),
                esc(&d.id)
            );
        }
        out.push_str("</ul>");
        more_line(
            out,
            b.development_count,
            b.developments.len(),
            "more stories",
        );
    }

    if timeline && !b.timeline.is_empty() {
        out.push_str("<h2>Timeline</h2><table><tr><th>Day</th><th>What was reported</th><th>Source</th></tr>");
        for e in &b.timeline {
            for (i, sn) in e.sentences.iter().enumerate() {
                let date = if i == 0 {
                    day(Some(e.date))
                } else {
                    String::new()
                };
                let also: Vec<String> = sn
                    .also
                    .iter()
                    .take(ALSO_CITED)
                    .map(|o| cite_short(ctx, &srcs, &o.article, o.outlet.as_deref(), o.published))
                    .collect();
                let also = also_reported(&also, sn.also.len())
                    .map(|a| format!("<br>{a}"))
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<tr><td class=\"n\">{date}</td><td>{}</td><td>{}{also}</td></tr>",
                    esc(&sn.text),
                    cite(ctx, &srcs, &sn.article, sn.outlet.as_deref(), sn.published)
                );
            }
        }
        out.push_str("</table>");
        if b.timeline.len() >= TIMELINE_DATES {
            if let Some(place) = rest_at::<Html>(b, List::Timeline, ctx) {
                let _ = write!(
                    out,
                    "<p class=\"more\">The {} most reported days. More: {place}.</p>",
                    b.timeline.len()
                );
            }
        }
    }

    if !b.figures.is_empty() {
        out.push_str("<h2>Figures</h2>");
        if b.figures
            .iter()
            .any(|q| q.rows.iter().any(|r| r.single_source))
        {
            out.push_str("<p class=\"meta\">† no other independent source gives this value.</p>");
        }
        for q in &b.figures {
            let _ = write!(
                out,
                "<h3>{}</h3><p class=\"meta\">{} report{}</p>",
                esc(&q.label),
                q.total,
                plural(q.total)
            );
            if let Some(chart) = svg::line_chart(&q.label, &q.series) {
                let _ = write!(out, "<figure>{chart}</figure>");
            }
            figure_table(out, &q.rows, ctx, &srcs);
            more_line(out, q.total, q.rows.len(), "earlier figures");
        }
        more_line(out, b.figures_total, b.figures.len(), "more quantities");
    }

    if !b.contested.is_empty() {
        out.push_str("<h2>Contested claims</h2>");
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
    }

    if !b.positions.is_empty() {
        out.push_str("<h2>Positions</h2><table><tr><th>Actor</th><th>Issue</th><th>Position</th><th>Said by</th><th>Sentence</th><th>Source</th></tr>");
        for row in &b.positions {
            for (i, st) in row.statements.iter().enumerate() {
                let position = match &st.condition {
                    Some(c) => format!("{}: {c}", st.position.as_str()),
                    None => st.position.as_str().to_string(),
                };
                let mut contested = match &row.change {
                    Some(ch) if i == 0 => format!(
                        " <span class=\"changed\">{}</span>",
                        esc(&crate::change_label(ch))
                    ),
                    _ if row.contested => " <span class=\"contested\">contested</span>".to_string(),
                    _ => String::new(),
                };
                if let Some(n) = statements_shown(row).filter(|_| i == 0) {
                    let _ = write!(contested, " <span class=\"meta\">{n}</span>");
                }
                let _ = write!(
                    out,
                    "<tr><td>{}{contested}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&row.actor),
                    esc(&row.issue),
                    esc(&position),
                    esc(st.via.as_deref().unwrap_or("")),
                    esc(&st.sentence),
                    cite_short(ctx, &srcs, &st.article, st.outlet.as_deref(), st.published)
                );
            }
        }
        out.push_str("</table>");
        more_line_at(
            out,
            b.positions_total,
            b.positions.len(),
            "more positions",
            (b, List::Positions, ctx),
        );
    }

    if !b.quotes.is_empty() {
        out.push_str("<h2>Quotes</h2>");
        for sp in &b.quotes {
            let _ = write!(
                out,
                "<h3>{}</h3><p class=\"meta\">{} statement{}</p>",
                esc(&sp.speaker),
                sp.total,
                plural(sp.total)
            );
            for q in &sp.quotes {
                let _ = write!(
                    out,
                    "<blockquote>{} <span class=\"meta\">— {},</span> {}</blockquote>",
                    esc(&q.text),
                    quote_kind(q.kind),
                    cite(ctx, &srcs, &q.article, q.outlet.as_deref(), q.published)
                );
            }
            more_line(out, sp.total, sp.quotes.len(), "more statements");
        }
        more_line_at(
            out,
            b.speakers_total,
            b.quotes.len(),
            "more speakers",
            (b, List::Quotes, ctx),
        );
    }

    if !b.actors.is_empty() {
        out.push_str("<h2>Key actors</h2><table><tr><th>Actor</th><th>Kind</th><th>Roles reported</th><th>Also called</th><th>Mentions</th></tr>");
        for a in &b.actors {
            let _ = write!(
                out,
                "<tr><td><strong>{}</strong></td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&a.name),
                esc(&a.kind),
                esc(&roles(&a.roles)),
                esc(&a.aliases.join(", ")),
                a.mentions
            );
        }
        out.push_str("</table>");
    }

    if !b.updates.is_empty() {
        out.push_str("<h2>Updates</h2><ul>");
        for f in &b.updates {
            let [a, c] = &f.claims;
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">(as of {})</span> → {} <span class=\"meta\">(as of {})</span>{}<br>{} · {}</li>",
                esc(&a.summary),
                day(a.as_of),
                esc(&c.summary),
                day(c.as_of),
                update_note(f)
                    .map(|n| format!(". <em>{}</em>", esc(&n)))
                    .unwrap_or_default(),
                cite(ctx, &srcs, &a.evidence.article, a.evidence.outlet.as_deref(), a.evidence.published),
                cite(ctx, &srcs, &c.evidence.article, c.evidence.outlet.as_deref(), c.evidence.published)
            );
        }
        out.push_str("</ul>");
        more_line_at(
            out,
            b.updates_total,
            b.updates.len(),
            "more updates",
            (b, List::Findings, ctx),
        );
    }

    if !b.coverage.is_empty() {
        out.push_str("<h2>Coverage by outlet</h2><table><tr><th>Outlet</th><th>Articles</th><th>Copies</th><th>First</th><th>Last</th></tr>");
        for c in &b.coverage {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.outlet),
                c.articles,
                c.copies,
                day(c.first_day),
                day(c.last_day)
            );
        }
        out.push_str("</table>");
        more_line(out, b.outlets_total, b.coverage.len(), "more outlets");
    }

    let u = &b.unknowns;
    out.push_str("<h2>What we don't know</h2><div class=\"gap\">");
    if u.undated_total == 0
        && u.unattributed_total == 0
        && u.single_source_total == 0
        && u.unnamed_speaker_quotes == 0
    {
        out.push_str("<p>Every article is dated and every figure is attributed and confirmed by a second source.</p>");
    }
    if !u.undated.is_empty() {
        out.push_str("<p><strong>Articles without a known date</strong> (their claims cannot be placed in time):</p><ul>");
        for a in &u.undated {
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">(date {})</span></li>",
                cite(ctx, &srcs, &a.id, a.outlet.as_deref(), None),
                a.date_provenance.as_str()
            );
        }
        out.push_str("</ul>");
        more_line(
            out,
            u.undated_total,
            u.undated.len(),
            "more undated articles",
        );
    }
    if u.unattributed_total > 0 {
        let _ = write!(
            out,
            "<p><strong>{} figure{} stated with no source named</strong>: the outlet gives {} as fact (claimant “none named” under Figures).</p>",
            u.unattributed_total,
            plural(u.unattributed_total),
            if u.unattributed_total == 1 { "it" } else { "them" }
        );
    }
    if u.single_source_total > 0 {
        let _ = write!(
            out,
            "<p><strong>{} figure{} only one independent source gives</strong> (marked † under Figures).</p>",
            u.single_source_total,
            plural(u.single_source_total)
        );
    }
    if u.unnamed_speaker_quotes > 0 {
        let _ = write!(
            out,
            "<p>{} attributed to no named speaker.</p>",
            statements(u.unnamed_speaker_quotes)
        );
    }
    out.push_str("</div>");
}

fn figure_table(
    out: &mut String,
    rows: &[FigureRow],
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
) {
    out.push_str("<table><tr><th>Value</th><th>Claimant</th><th>As of</th><th>Sentence</th><th>Source</th></tr>");
    for r in rows {
        let _ = write!(
            out,
            "<tr><td class=\"n\">{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.value),
            if r.single_source { " †" } else { "" },
            esc(r.claimant.as_deref().unwrap_or("(none named)")),
            day(r.as_of),
            esc(&r.sentence),
            cite_short(ctx, srcs, &r.article, r.outlet.as_deref(), None)
        );
    }
    out.push_str("</table>");
}

fn finding(out: &mut String, f: &Finding, ctx: &Context, srcs: &HashMap<&ArticleId, &SourceRef>) {
    let _ = write!(
        out,
        "<p><strong>{}</strong></p><div class=\"pair\">",
        esc(&f.reason)
    );
    for side in &f.claims {
        let _ = write!(
            out,
            "<div class=\"side\"><p><strong>{}</strong></p><p class=\"meta\">{} · about {}</p><blockquote>{}</blockquote><p>{}</p></div>",
            esc(&side.summary),
            esc(&claimant(side)),
            day(side.as_of),
            esc(&side.evidence.sentence),
            cite(
                ctx,
                srcs,
                &side.evidence.article,
                side.evidence.outlet.as_deref(),
                side.evidence.published
            )
        );
    }
    out.push_str("</div>");
}
