//! The briefing as one self-contained HTML page: inline CSS, inline SVG
//! charts, no scripts and no external references, so it opens offline and
//! survives being mailed. Every piece of text from an article goes through
//! [`esc`].

use std::fmt::Write;

use storyline_core::ArticleId;
use storyline_engine::brief::{Briefing, FigureRow};
use storyline_link::findings::Finding;

use crate::{
    claimant, day, esc, overview, plural, quote_kind, roles, short, source, statements, svg,
};

const STYLE: &str = "
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1b1b;max-width:1040px;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.3rem;border-top:3px solid #1b1b1b;padding-top:.6rem;margin-top:2.5rem}
h3{font-size:1.05rem;margin:1.6rem 0 .5rem;text-transform:uppercase;letter-spacing:.04em;color:#444}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;white-space:nowrap}
.meta{color:#555}.id{font-family:ui-monospace,monospace;font-size:.85em;color:#666}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem;margin:.5rem 0 1.2rem}
.side{border:1px solid #ddd;border-left:4px solid #D55E00;padding:.5rem .8rem;background:#fffaf6}
.side:first-child{border-left-color:#0072B2;background:#f5f9fd}
blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:3px solid #ccc}
.contested{color:#b3261e;font-weight:600}.gap{background:#fff8e1;padding:.5rem 1rem;border-radius:4px}
ul.toc li{margin:.2rem 0}figure{margin:.5rem 0 1rem}
";

/// Renders briefings as one HTML page.
pub fn html(briefs: &[Briefing]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"><title>storyline briefing</title><style>{STYLE}</style></head><body><h1>storyline briefing</h1>"
    );
    if briefs.is_empty() {
        out.push_str("<p>No stories yet: ingest articles first.</p></body></html>\n");
        return out;
    }
    if briefs.len() > 1 {
        let _ = write!(
            out,
            "<p class=\"meta\">{} stories, largest first.</p><ul class=\"toc\">",
            briefs.len()
        );
        for b in briefs {
            let _ = write!(
                out,
                "<li><a href=\"#{id}\">{id}</a> <strong>{}</strong> <span class=\"meta\">{}</span></li>",
                esc(b.story.heading()),
                esc(&overview(b)),
                id = esc(&b.story.id)
            );
        }
        out.push_str("</ul>");
    }
    for b in briefs {
        story(&mut out, b);
    }
    out.push_str("</body></html>\n");
    out
}

fn story(out: &mut String, b: &Briefing) {
    let s = &b.story;
    let _ = write!(
        out,
        "<section id=\"{id}\"><h2>{id} · {}</h2><p class=\"meta\">{}.",
        esc(s.heading()),
        esc(&overview(b)),
        id = esc(&s.id)
    );
    if b.articles_read < s.articles {
        let _ = write!(
            out,
            " This briefing reads the latest {} of them.",
            b.articles_read
        );
    }
    let _ = write!(
        out,
        " Findings: <strong>{} contradiction{}</strong>, {} update{}, {} agreement{} between independent sources.</p>",
        b.contested.len(),
        plural(b.contested.len()),
        b.updates.len(),
        plural(b.updates.len()),
        b.agreements,
        plural(b.agreements)
    );

    parts_into(out, b, true, None);
    out.push_str("</section>");
}

/// The body of a briefing without its page: the sections after the story's
/// heading, for embedding in another page (the web UI's story page, which
/// draws its own timeline). `links`: a path prefix (`/articles/`) that
/// turns article ids into links; `None` leaves them as text.
pub fn html_parts(b: &Briefing, timeline: bool, links: Option<&str>) -> String {
    let mut out = String::new();
    parts_into(&mut out, b, timeline, links);
    out
}

fn parts_into(out: &mut String, b: &Briefing, timeline: bool, links: Option<&str>) {
    if timeline && !b.timeline.is_empty() {
        out.push_str("<h3>Timeline</h3><table><tr><th>Day</th><th>What was reported</th><th>Source</th></tr>");
        for e in &b.timeline {
            for (i, sn) in e.sentences.iter().enumerate() {
                let date = if i == 0 {
                    e.date.to_string()
                } else {
                    String::new()
                };
                let _ = write!(
                    out,
                    "<tr><td class=\"n\">{date}</td><td>{}</td><td>{} {}</td></tr>",
                    esc(&sn.text),
                    esc(sn.outlet.as_deref().unwrap_or("unknown outlet")),
                    article(links, &sn.article)
                );
            }
        }
        out.push_str("</table>");
    }

    if !b.actors.is_empty() {
        out.push_str("<h3>Key actors</h3><table><tr><th>Actor</th><th>Kind</th><th>Roles reported</th><th>Also called</th><th>Mentions</th></tr>");
        for a in &b.actors {
            let roles = roles(&a.roles);
            let _ = write!(
                out,
                "<tr><td><strong>{}</strong></td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&a.name),
                esc(&a.kind),
                esc(&roles),
                esc(&a.aliases.join(", ")),
                a.mentions
            );
        }
        out.push_str("</table>");
    }

    if !b.figures.is_empty() {
        out.push_str("<h3>Figures</h3>");
        for q in &b.figures {
            let _ = write!(
                out,
                "<p><strong>{}</strong> <span class=\"meta\">({} report{})</span></p>",
                esc(&q.label),
                q.total,
                plural(q.total)
            );
            if let Some(chart) = svg::line_chart(&q.label, &q.series) {
                let _ = write!(out, "<figure>{chart}</figure>");
            }
            figure_table(out, &q.rows, links);
            if q.total > q.rows.len() {
                let _ = write!(
                    out,
                    "<p class=\"meta\">{} more not shown.</p>",
                    q.total - q.rows.len()
                );
            }
        }
    }

    if !b.contested.is_empty() {
        out.push_str("<h3>Contested claims</h3>");
        for f in &b.contested {
            finding(out, f, links);
        }
    }

    if !b.positions.is_empty() {
        out.push_str("<h3>Positions</h3><table><tr><th>Actor</th><th>Issue</th><th>Position</th><th>Said by</th><th>Source</th><th>Sentence</th></tr>");
        for row in &b.positions {
            for st in &row.statements {
                let position = match &st.condition {
                    Some(c) => format!("{}: {c}", st.position.as_str()),
                    None => st.position.as_str().to_string(),
                };
                let contested = if row.contested {
                    " <span class=\"contested\">contested</span>"
                } else {
                    ""
                };
                let _ = write!(
                    out,
                    "<tr><td>{}{contested}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>",
                    esc(&row.actor),
                    esc(&row.issue),
                    esc(&position),
                    esc(st.via.as_deref().unwrap_or("")),
                    esc(&source(st.outlet.as_deref(), st.published)),
                    article(links, &st.article),
                    esc(&st.sentence)
                );
            }
        }
        out.push_str("</table>");
    }

    if !b.updates.is_empty() {
        out.push_str("<h3>Updates</h3><ul>");
        for f in &b.updates {
            let [a, c] = &f.claims;
            let _ = write!(
                out,
                "<li>{} <span class=\"meta\">({})</span> → {} <span class=\"meta\">({})</span>. <em>{}</em></li>",
                esc(&a.summary),
                esc(&source(a.evidence.outlet.as_deref(), a.as_of)),
                esc(&c.summary),
                esc(&source(c.evidence.outlet.as_deref(), c.as_of)),
                esc(&f.reason)
            );
        }
        out.push_str("</ul>");
    }

    if !b.quotes.is_empty() {
        out.push_str("<h3>Quotes by speaker</h3>");
        for sp in &b.quotes {
            let _ = write!(
                out,
                "<p><strong>{}</strong> <span class=\"meta\">({})</span></p>",
                esc(&sp.speaker),
                sp.total
            );
            for q in &sp.quotes {
                let _ = write!(
                    out,
                    "<blockquote>{} <span class=\"meta\">— {}, {} {}</span></blockquote>",
                    esc(&q.text),
                    quote_kind(q.kind),
                    esc(&source(q.outlet.as_deref(), q.published)),
                    article(links, &q.article)
                );
            }
        }
    }

    if !b.coverage.is_empty() {
        out.push_str("<h3>Coverage by outlet</h3><table><tr><th>Outlet</th><th>Articles</th><th>Copies</th><th>First</th><th>Last</th></tr>");
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
    }

    let u = &b.unknowns;
    out.push_str("<h3>What we don't know</h3><div class=\"gap\">");
    if u.undated.is_empty()
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
                "<li>{} — {} {} (date {})</li>",
                esc(&a.title),
                esc(a.outlet.as_deref().unwrap_or("unknown outlet")),
                article(links, &a.id),
                a.date_provenance.as_str()
            );
        }
        out.push_str("</ul>");
    }
    if u.unattributed_total > 0 {
        let _ = write!(
            out,
            "<p><strong>Figures stated with no source named</strong> ({}):</p>",
            u.unattributed_total
        );
        figure_table(out, &u.unattributed, links);
    }
    if u.single_source_total > 0 {
        let _ = write!(
            out,
            "<p><strong>Figures only one independent source gives</strong> ({}):</p>",
            u.single_source_total
        );
        figure_table(out, &u.single_source, links);
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

/// An article id as shown: its first 8 characters, linked under `links`.
fn article(links: Option<&str>, id: &ArticleId) -> String {
    match links {
        Some(prefix) => format!(
            "<a class=\"id\" href=\"{}{}\">{}</a>",
            esc(prefix),
            esc(id.as_str()),
            esc(&short(id))
        ),
        None => format!("<span class=\"id\">{}</span>", esc(&short(id))),
    }
}

fn figure_table(out: &mut String, rows: &[FigureRow], links: Option<&str>) {
    out.push_str("<table><tr><th>Value</th><th>Claimant</th><th>As of</th><th>Source</th><th>Sentence</th></tr>");
    for r in rows {
        let _ = write!(
            out,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>",
            esc(&r.value),
            esc(r.claimant.as_deref().unwrap_or("(none named)")),
            day(r.as_of),
            esc(r.outlet.as_deref().unwrap_or("unknown outlet")),
            article(links, &r.article),
            esc(&r.sentence)
        );
    }
    out.push_str("</table>");
}

fn finding(out: &mut String, f: &Finding, links: Option<&str>) {
    let _ = write!(
        out,
        "<p><strong>{}</strong></p><div class=\"pair\">",
        esc(&f.reason)
    );
    for side in &f.claims {
        let _ = write!(
            out,
            "<div class=\"side\"><p><strong>{}</strong></p><p class=\"meta\">{} · about {} · {} {}</p><blockquote>{}</blockquote></div>",
            esc(&side.summary),
            esc(&claimant(side)),
            day(side.as_of),
            esc(&source(side.evidence.outlet.as_deref(), side.evidence.published)),
            article(links, &side.evidence.article),
            esc(&side.evidence.sentence)
        );
    }
    out.push_str("</div>");
}
