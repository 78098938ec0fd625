//! The briefing as one self-contained HTML page: inline CSS, inline SVG
//! charts, no scripts and no external resources, so it opens offline and
//! survives being mailed; links go only to the cited articles. The page is
//! a maud template: every piece of text from an article put into it is
//! escaped by its type (only `Markup` goes in as it is), and an article's
//! address becomes a link only when it is an `http(s)` address.

use std::collections::HashMap;

use maud::{html as markup, Markup, PreEscaped, DOCTYPE};

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

/// The page around `body`: its head (inline style, a CSP that forbids
/// scripts and loads) and `<body>`.
fn page(title: &str, body: Markup) -> String {
    markup! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'";
                meta name="referrer" content="no-referrer";
                title { (title) }
                // This module's own stylesheet, not text from an article.
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
        "\n"
    }
    .into_string()
}

/// The closing section: when, from where, and how.
fn about(ctx: &Context, b: Option<&Briefing>) -> Markup {
    markup! {
        h2 { "About this briefing" }
        p class="meta" { "Generated " (ctx.generated) " from " (ctx.data) "." }
        p { (method(b)) }
    }
}

/// One briefing as a page of its own.
pub fn html(b: &Briefing, ctx: &Context) -> String {
    let body = markup! {
        p class="meta" { "storyline briefing · " (kind(b)) " " span class="id" { (b.story.id) } }
        h1 { (b.story.heading()) }
        p class="meta" { (overview(b)) "." }
        (summary(b, ctx))
        (parts(b, true, ctx))
        (about(ctx, Some(b)))
    };
    lines(page(
        &format!("{} — storyline briefing", b.story.heading()),
        body,
    ))
}

/// The index of a directory of briefings: one line per briefing, linking
/// its page (`page_name(b, "html")`).
pub fn html_index(briefs: &[Briefing], ctx: &Context) -> String {
    let body = markup! {
        h1 { "storyline briefings" }
        @if let Some(first) = briefs.first() {
            p class="meta" {
                (briefs.len()) " " (kind(first)) @if briefs.len() != 1 { "s" }
                ", largest first: one page each."
            }
            ul class="toc" {
                @for b in briefs {
                    li {
                        a href=(page_name(b, "html")) { strong { (b.story.heading()) } }
                        " " span class="id" { (b.story.id) }
                        br;
                        span class="meta" {
                            (overview(b)) ". " (b.contested_total) " contradiction" (plural(b.contested_total)) "."
                        }
                        @if let Some(k) = b.summary.key_figures.first() {
                            br;
                            (k.label) ": " (k.figure.value) " ("
                            (k.figure.claimant.as_deref().unwrap_or("no source named")) ", "
                            (day(k.figure.as_of)) ")"
                        }
                    }
                }
            }
        } @else {
            p { "No storylines yet: ingest articles first." }
        }
        (about(ctx, None))
    };
    lines(page("storyline briefings", body))
}

/// The body of a briefing without its page or summary: the sections after
/// the heading, for embedding in another page (the web UI's story page,
/// which draws its own timeline and heading).
pub fn html_parts(b: &Briefing, timeline: bool, ctx: &Context) -> String {
    lines(parts(b, timeline, ctx).into_string())
}

/// A cited article: its headline linked to where it can be read, then
/// outlet and day.
fn cite(
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    id: &ArticleId,
    outlet: Option<&str>,
    published: Option<chrono::NaiveDate>,
) -> Markup {
    let (src, outlet, published) = cited(srcs, id, outlet, published);
    let title = headline(src, id);
    markup! {
        span class="cite" {
            @match link(ctx, id, src) {
                Some(href) => a href=(href) rel="noopener noreferrer" { (title) },
                None => (title),
            }
            " " span class="meta" { (source(outlet, published)) }
        }
    }
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
) -> Markup {
    let (src, outlet, published) = cited(srcs, id, outlet, published);
    let text = source(outlet, published);
    markup! {
        span class="cite" {
            @match link(ctx, id, src) {
                Some(href) => a href=(href) title=(headline(src, id)) rel="noopener noreferrer" { (text) },
                None => (text),
            }
        }
    }
}

fn more_line(total: usize, shown: usize, what: &str) -> Markup {
    markup! {
        @if let Some(line) = more(total, shown, what) {
            p class="more" { (line) "." }
        }
    }
}

/// HTML's markup for the shared wording (`rest_at`, `more_at`), which
/// builds strings: each piece escaped here, so what comes back is markup.
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
fn more_line_at(total: usize, shown: usize, what: &str, at: (&Briefing, List, &Context)) -> Markup {
    markup! {
        @if let Some(line) = more_at::<Html>(total, shown, what, at) {
            // Built of `Html`'s pieces, each escaped there.
            p class="more" { (PreEscaped(line)) "." }
        }
    }
}

fn summary(b: &Briefing, ctx: &Context) -> Markup {
    let srcs = sources(b);
    let s = &b.summary;
    markup! {
        section class="summary" {
            h2 { "Summary" }
            @if !b.story.summary.is_empty() {
                h3 { "In brief" }
                ul {
                    @for sn in &b.story.summary {
                        li { (sn.text) " — " (cite(ctx, &srcs, &sn.article, sn.outlet.as_deref(), sn.published)) }
                    }
                }
            }
            @if !s.happened.is_empty() {
                h3 { "What happened" }
                ul {
                    @for h in &s.happened {
                        @let sn = &h.sentence;
                        li {
                            strong { (day(Some(h.date))) } " " (sn.text) " — "
                            (cite(ctx, &srcs, &sn.article, sn.outlet.as_deref(), sn.published))
                        }
                    }
                }
            }
            @if !s.key_figures.is_empty() {
                h3 { "Key figures" }
                ul {
                    @for k in &s.key_figures {
                        @let f = &k.figure;
                        li {
                            strong { (k.label) ": " (f.value) }
                            ", according to " (f.claimant.as_deref().unwrap_or("the outlet, naming no source"))
                            ", as of " (day(f.as_of)) " (" (k.reports) " report" (plural(k.reports)) ") — "
                            (cite(ctx, &srcs, &f.article, f.outlet.as_deref(), None))
                        }
                    }
                }
            }
            h3 { "What is contested" }
            @if s.contested.is_empty() {
                p { "No two of its sources contradict each other." }
            } @else {
                ul { (point_items(ctx, &srcs, &s.contested, markup! { " " em { "versus" } " " })) }
            }
            @if !s.changed.is_empty() {
                h3 { "Positions that changed" }
                ul { (point_items(ctx, &srcs, &s.changed, markup! { ", " em { "then" } " " })) }
            }
            p class="meta" {
                "Findings: " (b.contested_total) " contradiction" (plural(b.contested_total)) ", "
                (b.updates_total) " update" (plural(b.updates_total)) ", "
                (b.agreements) " agreement" (plural(b.agreements)) " between independent sources."
            }
        }
    }
}

/// The summary's points as list items, their sides joined by `joiner`
/// (`versus` for sources at odds, `then` for a change of position).
fn point_items(
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    points: &[ContestedPoint],
    joiner: Markup,
) -> Markup {
    markup! {
        @for p in points {
            li {
                strong { (p.about) } ": "
                @for (i, side) in p.sides.iter().enumerate() {
                    @if i > 0 { (joiner) }
                    (contested_side(ctx, srcs, side))
                }
            }
        }
    }
}

fn contested_side(
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
    side: &ContestedSide,
) -> Markup {
    markup! {
        (side.says) " (" (side.claimant.as_deref().unwrap_or("no source named")) ", "
        (day(side.as_of)) "; " (cite(ctx, srcs, &side.article, None, None)) ")"
    }
}

fn parts(b: &Briefing, timeline: bool, ctx: &Context) -> Markup {
    let srcs = sources(b);
    let u = &b.unknowns;
    markup! {
        @if !b.developments.is_empty() {
            h2 { "Its stories" }
            ul {
                @for d in &b.developments {
                    li {
                        (d.title) " " span class="meta" { "(" (d.articles) " article" (plural(d.articles)) ")" }
                        " " span class="id" { (d.id) }
                    }
                }
            }
            (more_line(b.development_count, b.developments.len(), "more stories"))
        }

        @if timeline && !b.timeline.is_empty() {
            h2 { "Timeline" }
            table {
                tr { th { "Day" } th { "What was reported" } th { "Source" } }
                @for e in &b.timeline {
                    @for (i, sn) in e.sentences.iter().enumerate() {
                        @let also: Vec<String> = sn
                            .also
                            .iter()
                            .take(ALSO_CITED)
                            .map(|o| cite_short(ctx, &srcs, &o.article, o.outlet.as_deref(), o.published).into_string())
                            .collect();
                        tr {
                            td class="n" { @if i == 0 { (day(Some(e.date))) } }
                            td { (sn.text) }
                            td {
                                (cite(ctx, &srcs, &sn.article, sn.outlet.as_deref(), sn.published))
                                // Joins the citations above, each a template's
                                // markup, with plain words.
                                @if let Some(a) = also_reported(&also, sn.also.len()) {
                                    br; (PreEscaped(a))
                                }
                            }
                        }
                    }
                }
            }
            @if b.timeline.len() >= TIMELINE_DATES {
                @if let Some(place) = rest_at::<Html>(b, List::Timeline, ctx) {
                    // Built of `Html`'s pieces, each escaped there.
                    p class="more" { "The " (b.timeline.len()) " most reported days. More: " (PreEscaped(place)) "." }
                }
            }
        }

        @if !b.figures.is_empty() {
            h2 { "Figures" }
            @if b.figures.iter().any(|q| q.rows.iter().any(|r| r.single_source)) {
                p class="meta" { "† no other independent source gives this value." }
            }
            @for q in &b.figures {
                h3 { (q.label) }
                p class="meta" { (q.total) " report" (plural(q.total)) }
                @if let Some(chart) = svg::line_chart(&q.label, &q.series) {
                    // Hand-written SVG (svg.rs), its text through `esc`.
                    figure { (PreEscaped(chart)) }
                }
                (figure_table(&q.rows, ctx, &srcs))
                (more_line(q.total, q.rows.len(), "earlier figures"))
            }
            (more_line(b.figures_total, b.figures.len(), "more quantities"))
        }

        @if !b.contested.is_empty() {
            h2 { "Contested claims" }
            @for f in &b.contested {
                (finding(f, ctx, &srcs))
            }
            (more_line_at(b.contested_total, b.contested.len(), "more contradictions", (b, List::Findings, ctx)))
        }

        @if !b.positions.is_empty() {
            h2 { "Positions" }
            table {
                tr { th { "Actor" } th { "Issue" } th { "Position" } th { "Said by" } th { "Sentence" } th { "Source" } }
                @for row in &b.positions {
                    @for (i, st) in row.statements.iter().enumerate() {
                        tr {
                            td {
                                (row.actor)
                                @match &row.change {
                                    Some(ch) if i == 0 => { " " span class="changed" { (crate::change_label(ch)) } },
                                    _ if row.contested => { " " span class="contested" { "contested" } },
                                    _ => {},
                                }
                                @if let Some(n) = statements_shown(row).filter(|_| i == 0) {
                                    " " span class="meta" { (n) }
                                }
                            }
                            td { (row.issue) }
                            td {
                                (st.position.as_str())
                                @if let Some(c) = &st.condition { ": " (c) }
                            }
                            td { (st.via.as_deref().unwrap_or("")) }
                            td { (st.sentence) }
                            td { (cite_short(ctx, &srcs, &st.article, st.outlet.as_deref(), st.published)) }
                        }
                    }
                }
            }
            (more_line_at(b.positions_total, b.positions.len(), "more positions", (b, List::Positions, ctx)))
        }

        @if !b.quotes.is_empty() {
            h2 { "Quotes" }
            @for sp in &b.quotes {
                h3 { (sp.speaker) }
                p class="meta" { (sp.total) " statement" (plural(sp.total)) }
                @for q in &sp.quotes {
                    blockquote {
                        (q.text) " " span class="meta" { "— " (quote_kind(q.kind)) "," } " "
                        (cite(ctx, &srcs, &q.article, q.outlet.as_deref(), q.published))
                    }
                }
                (more_line(sp.total, sp.quotes.len(), "more statements"))
            }
            (more_line_at(b.speakers_total, b.quotes.len(), "more speakers", (b, List::Quotes, ctx)))
        }

        @if !b.actors.is_empty() {
            h2 { "Key actors" }
            table {
                tr { th { "Actor" } th { "Kind" } th { "Roles reported" } th { "Also called" } th { "Mentions" } }
                @for a in &b.actors {
                    tr {
                        td { strong { (a.name) } }
                        td { (a.kind) }
                        td { (roles(&a.roles)) }
                        td { (a.aliases.join(", ")) }
                        td class="n" { (a.mentions) }
                    }
                }
            }
        }

        @if !b.updates.is_empty() {
            h2 { "Updates" }
            ul {
                @for f in &b.updates {
                    @let [a, c] = &f.claims;
                    li {
                        (a.summary) " " span class="meta" { "(as of " (day(a.as_of)) ")" }
                        " → " (c.summary) " " span class="meta" { "(as of " (day(c.as_of)) ")" }
                        @if let Some(n) = update_note(f) { ". " em { (n) } }
                        br;
                        (cite(ctx, &srcs, &a.evidence.article, a.evidence.outlet.as_deref(), a.evidence.published))
                        " · "
                        (cite(ctx, &srcs, &c.evidence.article, c.evidence.outlet.as_deref(), c.evidence.published))
                    }
                }
            }
            (more_line_at(b.updates_total, b.updates.len(), "more updates", (b, List::Findings, ctx)))
        }

        @if !b.coverage.is_empty() {
            h2 { "Coverage by outlet" }
            table {
                tr { th { "Outlet" } th { "Articles" } th { "Copies" } th { "First" } th { "Last" } }
                @for c in &b.coverage {
                    tr {
                        td { (c.outlet) }
                        td class="n" { (c.articles) }
                        td class="n" { (c.copies) }
                        td { (day(c.first_day)) }
                        td { (day(c.last_day)) }
                    }
                }
            }
            (more_line(b.outlets_total, b.coverage.len(), "more outlets"))
        }

        h2 { "What we don't know" }
        div class="gap" {
            @if u.undated_total == 0 && u.unattributed_total == 0 && u.single_source_total == 0 && u.unnamed_speaker_quotes == 0 {
                p { "Every article is dated and every figure is attributed and confirmed by a second source." }
            }
            @if !u.undated.is_empty() {
                p { strong { "Articles without a known date" } " (their claims cannot be placed in time):" }
                ul {
                    @for a in &u.undated {
                        li {
                            (cite(ctx, &srcs, &a.id, a.outlet.as_deref(), None)) " "
                            span class="meta" { "(date " (a.date_provenance.as_str()) ")" }
                        }
                    }
                }
                (more_line(u.undated_total, u.undated.len(), "more undated articles"))
            }
            @if u.unattributed_total > 0 {
                p {
                    strong { (u.unattributed_total) " figure" (plural(u.unattributed_total)) " stated with no source named" }
                    ": the outlet gives " @if u.unattributed_total == 1 { "it" } @else { "them" }
                    " as fact (claimant “none named” under Figures)."
                }
            }
            @if u.single_source_total > 0 {
                p {
                    strong { (u.single_source_total) " figure" (plural(u.single_source_total)) " only one independent source gives" }
                    " (marked † under Figures)."
                }
            }
            @if u.unnamed_speaker_quotes > 0 {
                p { (statements(u.unnamed_speaker_quotes)) " attributed to no named speaker." }
            }
        }
    }
}

fn figure_table(
    rows: &[FigureRow],
    ctx: &Context,
    srcs: &HashMap<&ArticleId, &SourceRef>,
) -> Markup {
    markup! {
        table {
            tr { th { "Value" } th { "Claimant" } th { "As of" } th { "Sentence" } th { "Source" } }
            @for r in rows {
                tr {
                    td class="n" { (r.value) @if r.single_source { " †" } }
                    td { (r.claimant.as_deref().unwrap_or("(none named)")) }
                    td { (day(r.as_of)) }
                    td { (r.sentence) }
                    td { (cite_short(ctx, srcs, &r.article, r.outlet.as_deref(), None)) }
                }
            }
        }
    }
}

fn finding(f: &Finding, ctx: &Context, srcs: &HashMap<&ArticleId, &SourceRef>) -> Markup {
    markup! {
        p { strong { (f.reason) } }
        div class="pair" {
            @for side in &f.claims {
                div class="side" {
                    p { strong { (side.summary) } }
                    p class="meta" { (claimant(side)) " · about " (day(side.as_of)) }
                    blockquote { (side.evidence.sentence) }
                    p {
                        (cite(ctx, srcs, &side.evidence.article, side.evidence.outlet.as_deref(), side.evidence.published))
                    }
                }
            }
        }
    }
}
