//! The linking subcommands: link, relink, entities, claims, findings,
//! stances, check. Human output is plain text made to be read in a
//! terminal; `--json` prints the documents of `storyline_engine::link_views`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use storyline_engine::link_views::{self, ClaimFilter, FindingFilter, Page};
use storyline_engine::Engine;
use storyline_link::actors::ActorKind;
use storyline_link::claims::ClaimKind;
use storyline_link::findings::{FindingKind, FindingSide};
use storyline_link::linker::LinkReport;
use storyline_store::{LinkerLease, StoreError};

use crate::args::*;
use crate::output::{clip, print_json, safe};
use crate::progress::Progress;
use crate::ExitStatus;

fn page(p: &PageArgs) -> Page {
    Page {
        limit: p.limit.unwrap_or(usize::MAX),
        offset: p.offset,
    }
}

/// This process as another linker's message names it:
/// `pid 4242 on host-a, since 2025-03-05 10:02 UTC`.
pub fn linker_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty());
    let since = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC");
    match host {
        Some(host) => format!("pid {} on {host}, since {since}", std::process::id()),
        None => format!("pid {}, since {since}", std::process::id()),
    }
}

/// Another linker holds the store: what the store said, and what to do.
#[derive(Debug)]
pub struct LinkerBusy(StoreError);

impl std::fmt::Display for LinkerBusy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}; it links everything stored, so wait for it or stop it first",
            safe(&self.0.to_string())
        )
    }
}

impl std::error::Error for LinkerBusy {}

/// The store's linker lease: one process links a store at a time (several
/// machines may share a PostgreSQL store; `storyline worker --link` may be
/// running). A lease held elsewhere is a [`LinkerBusy`] error naming its
/// holder.
pub fn lease(engine: &Engine) -> Result<LinkerLease> {
    engine
        .store()
        .lease_linker(&linker_name())
        .map_err(|e| match e {
            StoreError::LinkerBusy { .. } => anyhow::Error::new(LinkerBusy(e)),
            e => anyhow::Error::new(e).context("taking the linker lease"),
        })
}

/// Whether `e` says another linker holds the store.
pub fn is_busy(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<LinkerBusy>())
}

/// Links what ingest stored unless another linker holds the store, which
/// then links it: `None`, said on stderr.
pub fn link_after_ingest(
    engine: &Engine,
    progress: bool,
    quiet: bool,
) -> Result<Option<LinkReport>> {
    match run_linker(engine, !progress) {
        Ok(report) => Ok(Some(report)),
        Err(e) if is_busy(&e) => {
            if !quiet {
                eprintln!("storyline: not linking here: {e:#}");
            }
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Runs the linker with a progress bar, holding the store's linker lease;
/// used by `link` and after ingest.
pub fn run_linker(engine: &Engine, quiet: bool) -> Result<LinkReport> {
    let _lease = lease(engine)?;
    let mut progress = Progress::new(quiet);
    let report = engine.link(|n| progress.message(format!("linking: {n} articles")))?;
    progress.finish();
    Ok(report)
}

pub fn print_link_report(r: &LinkReport) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "linked {}{}: {}, {}{}; findings: {} contradict, {} revision, {} inconsistent, {} update, {} agree{}",
        crate::output::count(r.articles, "article", "articles"),
        if r.relinked { " (relinked from scratch)" } else { "" },
        crate::output::count(r.new_entities, "new entity", "new entities"),
        crate::output::count(r.claims, "claim", "claims"),
        if r.copied_claims > 0 {
            format!(" ({} repeated by copies, counted once)", r.copied_claims)
        } else {
            String::new()
        },
        r.contradict,
        r.revision,
        r.inconsistent,
        r.update,
        r.agree,
        if r.without_analysis > 0 {
            format!(
                "; {} articles without analysis were skipped (run `storyline reanalyze`)",
                r.without_analysis
            )
        } else {
            String::new()
        }
    )?;
    Ok(())
}

pub fn link(engine: &Engine, json: bool, quiet: bool) -> Result<ExitStatus> {
    let report = run_linker(engine, quiet || json)?;
    if json {
        crate::output::print_tagged("storyline.link/1", &report)?;
    } else if !quiet {
        print_link_report(&report)?;
    }
    Ok(ExitStatus::Success)
}

pub fn relink(engine: &Engine, json: bool, quiet: bool) -> Result<ExitStatus> {
    let name = storyline_link::linker::Linker::new(engine.store(), engine.gazetteer())
        .name()
        .to_string();
    // Not while another process links: it would go on from links that are
    // gone. The lease is taken again, at once, by the link that follows.
    drop(lease(engine)?);
    engine.store().reset_links(&name)?;
    link(engine, json, quiet)
}

pub fn entities(engine: &Engine, args: &EntitiesArgs) -> Result<ExitStatus> {
    let kind = args.kind.map(|k| match k {
        ActorKindArg::Country => ActorKind::Country,
        ActorKindArg::Organization => ActorKind::Organization,
        ActorKindArg::Group => ActorKind::Group,
        ActorKindArg::Person => ActorKind::Person,
        ActorKindArg::Place => ActorKind::Place,
        ActorKindArg::Other => ActorKind::Other,
    });
    let list = link_views::entities(engine, kind, page(&args.page))?;
    if args.page.json {
        print_json(&list)?;
        return Ok(ExitStatus::Success);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<28} {:<12} {:>8} {:>8}  aliases · roles",
        "entity", "kind", "articles", "mentions"
    )?;
    for e in &list.entities {
        let mut aliases: Vec<(&String, &u64)> =
            e.aliases.iter().filter(|(a, _)| *a != &e.name).collect();
        aliases.sort_by(|a, b| b.1.cmp(a.1));
        let aliases: Vec<String> = aliases
            .iter()
            .take(4)
            .map(|(a, _)| safe(a).into_owned())
            .collect();
        let roles: Vec<String> = e
            .roles
            .iter()
            .map(|r| match &r.affiliation {
                Some(a) => format!("{} ({})", safe(&r.title), safe(a)),
                None => safe(&r.title).into_owned(),
            })
            .collect();
        writeln!(
            out,
            "{:<28} {:<12} {:>8} {:>8}  {}{}{}",
            clip(&e.name, 28),
            e.kind.as_str(),
            e.articles,
            e.mentions,
            aliases.join(", "),
            if roles.is_empty() { "" } else { " · " },
            roles.join("; ")
        )?;
    }
    writeln!(out, "{} entities", list.total)?;
    Ok(ExitStatus::Success)
}

pub fn claims(engine: &Engine, args: &ClaimsArgs, article: Option<String>) -> Result<ExitStatus> {
    let filter = ClaimFilter {
        kind: args.kind.map(|k| match k {
            ClaimKindArg::Figure => ClaimKind::Figure,
            ClaimKindArg::Stance => ClaimKind::Stance,
            ClaimKindArg::Event => ClaimKind::Event,
        }),
        entity: args.entity.clone(),
        article,
    };
    let list = link_views::claims(engine, &filter, page(&args.page))?;
    if args.page.json {
        print_json(&list)?;
        return Ok(ExitStatus::Success);
    }
    let mut out = std::io::stdout().lock();
    for c in &list.claims {
        writeln!(
            out,
            "{}  {:<6} {}  [{} · {}{}]",
            c.as_of
                .map_or_else(|| "undated   ".to_string(), |d| d.to_string()),
            c.kind.as_str(),
            clip(&c.summary, 90),
            safe(c.evidence.outlet.as_deref().unwrap_or("unknown outlet")),
            c.evidence.article,
            c.story
                .as_deref()
                .map(|s| format!(" · {}", safe(s)))
                .unwrap_or_default()
        )?;
    }
    writeln!(out, "{} claims", list.total)?;
    Ok(ExitStatus::Success)
}

fn side_line(s: &FindingSide) -> String {
    format!(
        "{} · {} · {}\n      “{}”",
        safe(s.evidence.outlet.as_deref().unwrap_or("unknown outlet")),
        s.evidence
            .published
            .map_or_else(|| "undated".to_string(), |d| d.to_string()),
        s.evidence.article,
        clip(&s.evidence.sentence, 300)
    )
}

/// `article` is the `--article` argument resolved to a full id.
pub fn findings(
    engine: &Engine,
    args: &FindingsArgs,
    article: Option<String>,
) -> Result<ExitStatus> {
    let filter = FindingFilter {
        kind: args.kind.map(|k| match k {
            FindingKindArg::Agree => FindingKind::Agree,
            FindingKindArg::Update => FindingKind::Update,
            FindingKindArg::Contradict => FindingKind::Contradict,
            FindingKindArg::Revision => FindingKind::Revision,
            FindingKindArg::Inconsistent => FindingKind::Inconsistent,
        }),
        article,
        story: args.story.clone(),
        all: args.all,
        every_update: false,
    };
    let Some(list) = link_views::findings(engine, &filter, page(&args.page))? else {
        anyhow::bail!(
            "no story {:?}: `storyline stories` lists the story ids (s1, s2, …)",
            args.story.as_deref().unwrap_or_default()
        );
    };
    if args.page.json {
        print_json(&list)?;
        return Ok(ExitStatus::Success);
    }
    let mut out = std::io::stdout().lock();
    for f in &list.findings {
        writeln!(
            out,
            "{} ({:.2}): {}",
            f.kind.as_str().to_uppercase(),
            f.confidence,
            safe(&f.reason)
        )?;
        writeln!(out, "  1. {}", side_line(&f.claims[0]))?;
        writeln!(out, "  2. {}", side_line(&f.claims[1]))?;
        if let Some(note) = f.repeats_note() {
            writeln!(out, "  ({note})")?;
        }
        writeln!(out)?;
    }
    let c = &list.counts;
    writeln!(
        out,
        "{} findings shown; in all {} contradict, {} revision, {} inconsistent, {} update, {} agree{}",
        list.findings.len(),
        c.contradict,
        c.revision,
        c.inconsistent,
        c.update,
        c.agree,
        if c.below_threshold > 0 && !args.all {
            format!(
                "; {} below the confidence threshold not shown (--all shows them)",
                c.below_threshold
            )
        } else {
            String::new()
        }
    )?;
    Ok(ExitStatus::Success)
}

pub fn stances(engine: &Engine, json: bool) -> Result<ExitStatus> {
    let table = link_views::stances(engine)?;
    if json {
        print_json(&table)?;
        return Ok(ExitStatus::Success);
    }
    let mut out = std::io::stdout().lock();
    for row in &table.stances {
        writeln!(
            out,
            "{:<26} {:<20} {}{}",
            clip(&row.actor, 26),
            safe(&row.issue),
            safe(&row.position),
            if row.contested { "  [CONTESTED]" } else { "" }
        )?;
        for e in &row.entries {
            writeln!(
                out,
                "    {}{} — {} · {}: “{}”",
                e.position.as_str(),
                e.via
                    .as_ref()
                    .map(|v| format!(" (via {})", safe(v)))
                    .unwrap_or_default(),
                safe(e.evidence.outlet.as_deref().unwrap_or("unknown outlet")),
                e.evidence
                    .published
                    .map_or_else(|| "undated".to_string(), |d| d.to_string()),
                clip(&e.evidence.sentence, 200)
            )?;
        }
    }
    writeln!(out, "{} actor × issue cells", table.stances.len())?;
    Ok(ExitStatus::Success)
}

pub fn check(engine: &Engine, args: &CheckArgs) -> Result<ExitStatus> {
    let text = args.claim.join(" ");
    let result = link_views::check(engine, &text)?;
    if args.json {
        print_json(&result)?;
        return Ok(ExitStatus::Success);
    }
    let mut out = std::io::stdout().lock();
    if result.claims.is_empty() {
        writeln!(
            out,
            "no figure, stance or event recognised in {:?}; showing matching articles only",
            safe(&text)
        )?;
    }
    writeln!(out, "{}", result.verdict)?;
    for c in &result.claims {
        writeln!(out, "read as: {} ({})", safe(&c.summary), c.kind.as_str())?;
    }
    writeln!(out, "\nsupporting ({}):", result.supporting.len())?;
    for s in &result.supporting {
        writeln!(out, "  {} — {}", safe(&s.summary), side_line(s))?;
    }
    writeln!(out, "\ncontradicting ({}):", result.contradicting.len())?;
    for s in &result.contradicting {
        writeln!(out, "  {} — {}", safe(&s.summary), side_line(s))?;
    }
    for (title, sides) in [
        (
            "revised down later by a claimant that gave it",
            &result.revised,
        ),
        ("earlier, lower counts of the same series", &result.earlier),
        ("later, higher counts of the same series", &result.later),
    ] {
        if sides.is_empty() {
            continue;
        }
        writeln!(out, "\n{title} ({}):", sides.len())?;
        for s in sides {
            writeln!(out, "  {} — {}", safe(&s.summary), side_line(s))?;
        }
    }
    writeln!(out, "\nrelated articles ({}):", result.related.len())?;
    for h in &result.related {
        writeln!(
            out,
            "  {} {} — {}",
            h.id,
            safe(h.title.as_deref().unwrap_or("(untitled)")),
            clip(&h.snippet.replace(['«', '»'], ""), 160)
        )?;
    }
    Ok(ExitStatus::Success)
}

pub fn stories(engine: &Engine, args: &PageArgs) -> Result<ExitStatus> {
    let list = link_views::stories(engine, page(args))?;
    if args.json {
        print_json(&list)?;
        return Ok(ExitStatus::Success);
    }
    let mut out = std::io::stdout().lock();
    for s in &list.stories {
        let span = day_span(s.first_day, s.last_day);
        writeln!(
            out,
            "{:<6} {:>4} articles ({} distinct, {} publisher{}{})  {}  {}",
            s.id,
            s.articles,
            s.independent_reports,
            s.publishers,
            if s.publishers == 1 { "" } else { "s" },
            if s.undated > 0 {
                format!(", {} undated", s.undated)
            } else {
                String::new()
            },
            span,
            clip(s.heading(), 80)
        )?;
        let actors: Vec<String> = s
            .key_actors
            .iter()
            .take(5)
            .map(|(_, n, _)| safe(n).into_owned())
            .collect();
        let outlets: Vec<String> = s
            .outlets
            .iter()
            .take(6)
            .map(|(o, _)| safe(o).into_owned())
            .collect();
        writeln!(
            out,
            "       actors: {}; outlets: {}",
            actors.join(", "),
            outlets.join(", ")
        )?;
        summary_lines(&mut out, &s.summary)?;
    }
    writeln!(out, "{} stories", list.total)?;
    Ok(ExitStatus::Success)
}

/// A story's summary, one indented line a sentence with its source
/// (`[outlet · day · article id]`).
fn summary_lines(
    out: &mut impl Write,
    summary: &[storyline_engine::link_views::TimelineSentence],
) -> Result<()> {
    for s in summary {
        writeln!(out, "       · {}  [{}]", clip(&s.text, 200), source_of(s))?;
    }
    Ok(())
}

/// Where a shown sentence is from: `outlet · day · article id`.
fn source_of(s: &storyline_engine::link_views::TimelineSentence) -> String {
    format!(
        "{} · {} · {}",
        safe(s.outlet.as_deref().unwrap_or("unknown outlet")),
        s.published
            .map_or_else(|| "undated".to_string(), |d| d.to_string()),
        s.article
    )
}

/// `2023-10-07 – 2023-11-14`, one day, or `undated`.
fn day_span(first: Option<chrono::NaiveDate>, last: Option<chrono::NaiveDate>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} – {b}"),
        _ => "undated".to_string(),
    }
}

pub fn storylines(engine: &Engine, args: &PageArgs) -> Result<ExitStatus> {
    let list = link_views::storylines(engine, page(args))?;
    if args.json {
        print_json(&list)?;
        return Ok(ExitStatus::Success);
    }
    let mut out = std::io::stdout().lock();
    for l in &list.storylines {
        let s = &l.summary;
        let span = day_span(s.first_day, s.last_day);
        writeln!(
            out,
            "{:<6} {:>4} articles in {} stor{}  {}  {}",
            s.id,
            s.articles,
            l.development_count,
            if l.development_count == 1 { "y" } else { "ies" },
            span,
            clip(s.heading(), 80)
        )?;
        summary_lines(&mut out, &s.summary)?;
        for d in l.developments.iter().take(5) {
            writeln!(
                out,
                "       {:<6} {:>4}  {}",
                d.id,
                d.articles,
                clip(&d.title, 80)
            )?;
        }
        if l.development_count > 5 {
            writeln!(out, "       … {} more stories", l.development_count - 5)?;
        }
    }
    writeln!(out, "{} storylines", list.total)?;
    Ok(ExitStatus::Success)
}

pub fn timeline(engine: &Engine, args: &TimelineArgs) -> Result<ExitStatus> {
    let Some(view) = link_views::timeline(engine, &args.story, args.dates, args.sentences)? else {
        anyhow::bail!(
            "no story {:?}: `storyline stories` lists the story ids (s1, s2, …)",
            args.story
        );
    };
    if args.json {
        print_json(&view)?;
        return Ok(ExitStatus::Success);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{} — {}", view.story.id, safe(view.story.heading()))?;
    for e in &view.entries {
        writeln!(out, "\n{}", e.date)?;
        for s in &e.sentences {
            writeln!(out, "  • {}\n    [{}]", clip(&s.text, 300), source_of(s))?;
            if !s.also.is_empty() {
                let others: Vec<String> = s.also.iter().map(source_of).collect();
                writeln!(
                    out,
                    "    also reported by {} more: {}",
                    s.also.len(),
                    others.join("; ")
                )?;
            }
        }
        if !e.supporting_articles.is_empty() {
            writeln!(
                out,
                "    also: {} more articles",
                e.supporting_articles.len()
            )?;
        }
    }
    Ok(ExitStatus::Success)
}

/// `storyline brief`: one page for a storyline or story (to `--out` or
/// stdout), or, without one, an index and a page per storyline in the
/// `--out` folder.
pub fn brief(
    engine: &Engine,
    args: &BriefArgs,
    ctx: &storyline_report::Context,
) -> Result<ExitStatus> {
    use storyline_engine::brief::{briefing, briefings};
    let format = if args.json {
        BriefFormat::Json
    } else {
        args.format
    };
    let Some(id) = &args.story else {
        if format == BriefFormat::Json {
            // Data for programs: one document, as with a story.
            let briefs = briefings(engine, args.top)?;
            let text = format!("{}\n", serde_json::to_string_pretty(&briefs)?);
            write_out(args.out.as_deref(), &text)?;
            if let Some(out) = &args.out {
                println!(
                    "wrote {} ({} storyline briefings)",
                    safe(&out.display().to_string()),
                    briefs.len()
                );
            }
            return Ok(ExitStatus::Success);
        }
        let Some(dir) = &args.out else {
            crate::commands::usage!(
                "`storyline brief` without a storyline writes a folder (an index and a page per \
                 storyline): name it with --out DIR, or name one storyline or story \
                 (`storyline brief l1`; `storyline storylines` lists them)"
            );
        };
        let briefs = briefings(engine, args.top)?;
        let index = write_brief_dir(&briefs, format, dir, ctx)?;
        println!(
            "wrote {} and {} storyline page{} beside it",
            safe(&index.display().to_string()),
            briefs.len(),
            if briefs.len() == 1 { "" } else { "s" }
        );
        return Ok(ExitStatus::Success);
    };
    let Some(b) = briefing(engine, id)? else {
        anyhow::bail!(
            "no storyline or story {id:?}: `storyline storylines` lists them (l1, l2, …, each with its stories s1, s2, …)"
        )
    };
    write_brief(&b, format, args.out.as_deref(), ctx)?;
    if let Some(out) = &args.out {
        println!(
            "wrote {} ({} {}: {})",
            safe(&out.display().to_string()),
            if b.story.id.starts_with('l') {
                "storyline"
            } else {
                "story"
            },
            safe(&b.story.id),
            safe(b.story.heading())
        );
    }
    Ok(ExitStatus::Success)
}

/// Writes `text` to `out` (creating its folder) or to stdout.
fn write_out(out: Option<&Path>, text: &str) -> Result<()> {
    let Some(path) = out else {
        std::io::stdout().lock().write_all(text.as_bytes())?;
        return Ok(());
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Renders one briefing and writes it to `out` (charts of a Markdown
/// briefing into `<stem>-charts/` beside it) or to stdout.
pub fn write_brief(
    b: &storyline_engine::brief::Briefing,
    format: BriefFormat,
    out: Option<&Path>,
    ctx: &storyline_report::Context,
) -> Result<()> {
    let (text, charts) = match format {
        BriefFormat::Json => (
            format!(
                "{}\n",
                serde_json::to_string_pretty(std::slice::from_ref(b))?
            ),
            None,
        ),
        BriefFormat::Html => (storyline_report::html(b, ctx), None),
        BriefFormat::Md => {
            let dir = out.map(|o| {
                let stem = o
                    .file_stem()
                    .map_or_else(|| "brief".to_string(), |s| s.to_string_lossy().into_owned());
                format!("{stem}-charts")
            });
            let rendered = storyline_report::markdown(b, dir.as_deref(), ctx);
            (rendered.text, dir.map(|d| (d, rendered.files)))
        }
    };
    write_out(out, &text)?;
    if let (Some(path), Some((dir, files))) = (out, charts) {
        let dir = path.parent().unwrap_or(Path::new(".")).join(dir);
        if !files.is_empty() {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        for (name, svg) in files {
            let file = dir.join(name);
            std::fs::write(&file, svg).with_context(|| format!("writing {}", file.display()))?;
        }
    }
    Ok(())
}

/// Writes an index page and one page per briefing into `dir`
/// (`index.html` and `l1.html`, … or their `.md` forms with their charts);
/// returns the index's path.
pub fn write_brief_dir(
    briefs: &[storyline_engine::brief::Briefing],
    format: BriefFormat,
    dir: &Path,
    ctx: &storyline_report::Context,
) -> Result<std::path::PathBuf> {
    let ext = match format {
        BriefFormat::Html => "html",
        BriefFormat::Md => "md",
        BriefFormat::Json => anyhow::bail!("a folder of briefings is Markdown or HTML"),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for b in briefs {
        let page = dir.join(storyline_report::page_name(b, ext));
        write_brief(b, format, Some(&page), ctx)?;
    }
    let index = dir.join(format!("index.{ext}"));
    let text = match format {
        BriefFormat::Html => storyline_report::html_index(briefs, ctx),
        _ => storyline_report::markdown_index(briefs, ctx),
    };
    write_out(Some(&index), &text)?;
    Ok(index)
}

/// `storyline export`.
pub fn export(engine: &Engine, args: &ExportArgs) -> Result<ExitStatus> {
    use storyline_engine::export::{export, Format, Table};
    let table = |w: ExportWhat| match w {
        ExportWhat::Articles => Table::Articles,
        ExportWhat::Entities => Table::Entities,
        ExportWhat::Events => Table::Events,
        ExportWhat::Figures => Table::Figures,
        ExportWhat::Quotes => Table::Quotes,
        ExportWhat::Claims => Table::Claims,
        ExportWhat::Findings => Table::Findings,
    };
    let (format, tables) = match (args.format, args.what) {
        (ExportFormatArg::Jsonl, None) => (Format::Jsonl, Table::ALL.to_vec()),
        (ExportFormatArg::Jsonl, Some(w)) => (Format::Jsonl, vec![table(w)]),
        (ExportFormatArg::Csv, w) => (Format::Csv, vec![table(w.unwrap_or(ExportWhat::Events))]),
    };
    let summary = match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("creating {}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let s = export(engine, &tables, format, &mut w)?;
            w.flush()
                .with_context(|| format!("writing {}", path.display()))?;
            s
        }
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            export(engine, &tables, format, &mut w)?
        }
    };
    let counts: Vec<String> = summary
        .records
        .iter()
        .map(|(t, n)| format!("{n} {t}"))
        .collect();
    tracing::info!("exported {}", counts.join(", "));
    if let Some(path) = &args.out {
        eprintln!(
            "exported {} to {}",
            counts.join(", "),
            safe(&path.display().to_string())
        );
    }
    Ok(ExitStatus::Success)
}
