//! One function per subcommand: arguments in, engine calls, output, exit status.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use storyline_core::{ArticleId, DateProvenance};
use storyline_engine::views::{ArticleDetail, ArticleList, ArticleSummary};
use storyline_engine::{Engine, IngestConfig, IngestSummary};
use storyline_ingest::{FieldMap, Input};
use storyline_store::{ArticleFilter, SearchQuery, SqliteStore};

use crate::args::*;
use crate::output;
use crate::progress::Progress;
use crate::ExitStatus;

pub fn run(cli: Cli) -> Result<ExitStatus> {
    let place = Place {
        data_dir: cli.data_dir.clone(),
        store: cli.store.clone(),
        wait: cli.wait,
    };
    let quiet = cli.quiet;
    match cli.command {
        Command::Ingest(args) => match args.queue.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => crate::queue::publish(url, &args, quiet),
            // One process's copies are `storyline bench ingest --copies`,
            // into a throwaway store, never the user's.
            _ if args.copies != 1 => usage!(
                "--copies goes with --queue; `storyline bench ingest --copies N` measures one process"
            ),
            _ => ingest(&open(place)?, &args, quiet),
        },
        Command::Articles(args) => articles(&open_reader(place)?, &args),
        Command::Analyze(args) => analyze(&args),
        Command::Show(args) => show(&open_reader(place)?, &args),
        Command::Search(args) => search(&open_reader(place)?, &args),
        Command::Stats(args) => match args.queue.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => crate::queue::stats(&open_reader(place)?, url, &args),
            _ => stats(&open_reader(place)?, args.json),
        },
        Command::Reindex(args) => reindex(&open_store_writer(place)?, args.json),
        Command::Reanalyze(args) => reanalyze(&open_store_writer(place)?, args.json),
        Command::CheckStore(args) => check_store(place, args.json),
        Command::Link(args) => crate::links::link(&open(place)?, args.json, quiet),
        Command::Relink(args) => crate::links::relink(&open(place)?, args.json, quiet),
        Command::Entities(args) => crate::links::entities(&open_linked(place, quiet)?, &args),
        Command::Claims(args) => {
            let engine = open_linked(place, quiet)?;
            let article = resolve_option(&engine, args.article.as_deref())?;
            crate::links::claims(&engine, &args, article)
        }
        Command::Findings(args) => {
            let engine = open_linked(place, quiet)?;
            let article = resolve_option(&engine, args.article.as_deref())?;
            crate::links::findings(&engine, &args, article)
        }
        Command::Stances(args) => crate::links::stances(&open_linked(place, quiet)?, args.json),
        Command::Check(args) => {
            resume_links(&place, quiet)?;
            crate::links::check(&open_reader_with_actors(place)?, &args)
        }
        Command::Stories(args) => crate::links::stories(&open_linked(place, quiet)?, &args),
        Command::Storylines(args) => crate::links::storylines(&open_linked(place, quiet)?, &args),
        Command::Timeline(args) => crate::links::timeline(&open_linked(place, quiet)?, &args),
        Command::Watch(args) => crate::watch::watch(&place, &args),
        Command::Brief(args) => {
            let ctx = report_context(&place, Some(&args.link_base))?;
            crate::links::brief(&open_linked(place, quiet)?, &args, &ctx)
        }
        Command::Export(args) => crate::links::export(&open_linked(place, quiet)?, &args),
        Command::Extract(args) => extract(&args),
        Command::Serve(args) => {
            let config = serve_config(&args)?;
            serve(place, &args, config)
        }
        Command::Demo(args) => demo(place, &args, quiet),
        Command::Completions(args) => crate::help::completions(args.shell),
        Command::Man(args) => crate::help::man(args.dir.as_deref()),
        Command::Bench(BenchCommand::Ingest(args)) => crate::bench::ingest(&args),
        Command::Bench(BenchCommand::Analyze(args)) => crate::bench::analyze(&args),
        Command::Worker(args) if args.link => crate::queue::follow(place, &args, quiet),
        Command::Worker(args) => crate::queue::worker(place, &args, quiet),
        Command::Queue(cmd) => crate::queue::queue(&cmd),
        Command::Eval(cmd) => eval(cmd),
    }
}

/// A mistake in how the command was called (a bad value the argument
/// parser could not see): exits with status 2, as clap's own usage errors.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Fails with a [`UsageError`].
macro_rules! usage {
    ($($arg:tt)*) => {
        return Err(anyhow::Error::new($crate::commands::UsageError(format!($($arg)*))))
    };
}
pub(crate) use usage;

/// The data directory: the flag or `$STORYLINE_DATA` (clap reads both), else
/// the platform's data directory (`directories`: `$XDG_DATA_HOME/storyline`
/// or `~/.local/share/storyline` on Linux, `~/Library/Application
/// Support/storyline` on macOS, `%APPDATA%\\storyline\\data` on Windows).
pub fn data_dir(flag: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(dir) = flag.filter(|d| !d.as_os_str().is_empty()) {
        return Ok(dir);
    }
    match directories::ProjectDirs::from("", "", "storyline") {
        Some(dirs) => Ok(dirs.data_dir().to_path_buf()),
        None => bail!("no data directory: pass --data-dir DIR or set STORYLINE_DATA (no home directory was found)"),
    }
}

/// Where the store is: `--store URL` (or `$STORYLINE_STORE`) for
/// PostgreSQL, else SQLite in the data directory.
#[derive(Clone, Debug)]
pub struct Place {
    /// `--data-dir` (or `$STORYLINE_DATA`).
    pub data_dir: Option<PathBuf>,
    /// `--store` (or `$STORYLINE_STORE`).
    pub store: Option<String>,
    /// `--wait`: how long a writer waits for another to finish.
    pub wait: std::time::Duration,
}

impl Place {
    /// The PostgreSQL URL, when one is given (an empty one is none).
    fn store_url(&self) -> Result<Option<&str>> {
        let Some(url) = self
            .store
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        // The URL is not repeated in messages: it may hold a password.
        if !is_postgres_url(url) {
            bail!(
                "--store (or STORYLINE_STORE) is not a PostgreSQL URL: expected \
                 postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE; leave it out to keep \
                 the store in the data directory (SQLite)"
            );
        }
        Ok(Some(url))
    }
}

/// What a briefing says of its making: now (or `$SOURCE_DATE_EPOCH`, the
/// reproducible-builds convention, so a briefing can be made twice
/// byte for byte), the store it reads (a PostgreSQL URL is not shown: it
/// may hold a password), and where `storyline serve` shows an article
/// (`link_base`, or no links to it).
pub fn report_context(place: &Place, link_base: Option<&str>) -> Result<storyline_report::Context> {
    let now = match std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        Some(v) => {
            let secs: i64 = v.trim().parse().map_err(|_| {
                anyhow::anyhow!("SOURCE_DATE_EPOCH is {v:?}, not a number of seconds since 1970")
            })?;
            chrono::DateTime::from_timestamp(secs, 0).ok_or_else(|| {
                anyhow::anyhow!("SOURCE_DATE_EPOCH {secs} is not a time storyline can show")
            })?
        }
        None => chrono::Utc::now(),
    };
    let data = if place.store_url()?.is_some() {
        "a PostgreSQL store".to_string()
    } else {
        let dir = data_dir(place.data_dir.clone())?;
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        format!("the data directory {}", dir.display())
    };
    let site = match link_base.map(str::trim).filter(|b| !b.is_empty()) {
        Some(base) if storyline_engine::brief::is_web_address(base) => {
            Some(base.trim_end_matches('/').to_string())
        }
        Some(base) => usage!(
            "--link-base {base:?} is not an http(s) address (where `storyline serve` answers, \
             such as http://127.0.0.1:8080)"
        ),
        None => None,
    };
    Ok(storyline_report::Context {
        generated: now.format("%-d %b %Y %H:%M UTC").to_string(),
        data,
        article_base: site.as_ref().map(|s| format!("{s}/articles/")),
        site,
    })
}

#[cfg(feature = "postgres")]
fn is_postgres_url(url: &str) -> bool {
    storyline_store::is_postgres_url(url)
}

#[cfg(not(feature = "postgres"))]
fn is_postgres_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// The PostgreSQL store at `url`.
#[cfg(feature = "postgres")]
fn open_postgres(url: &str) -> Result<Box<dyn storyline_store::Store>> {
    let store =
        storyline_store::PostgresStore::open(url).context("opening the PostgreSQL store")?;
    tracing::info!(store = store.url(), "opened the PostgreSQL store");
    Ok(Box::new(store))
}

#[cfg(not(feature = "postgres"))]
fn open_postgres(_url: &str) -> Result<Box<dyn storyline_store::Store>> {
    bail!("this storyline was built without PostgreSQL support (cargo feature `postgres`)")
}

/// Opens the store for writing with the data directory's actor file, for
/// the commands that write and link (ingest, link, relink, watch, demo,
/// serve with ingest on). A mistake in that file stops them with its name
/// and line. While another process writes to the same SQLite store this
/// waits for it, up to `--wait`, saying so once on stderr.
pub fn open(place: Place) -> Result<Engine> {
    if let Some(url) = place.store_url()? {
        let store = open_postgres(url)?;
        // The actor file is the data directory's, when there is one.
        return match data_dir(place.data_dir) {
            Ok(dir) => Ok(Engine::with_store_and_actors(store, &dir)?),
            Err(_) => Ok(Engine::with_store(store)),
        };
    }
    let dir = data_dir(place.data_dir)?;
    Engine::open_waiting(&dir, place.wait, |holder| {
        say_waiting(&dir, holder, place.wait)
    })
    .with_context(|| opening(&dir, place.wait))
}

/// Opens the store for writing without the actor file (reindex,
/// reanalyze: they write but do not link).
fn open_store_writer(place: Place) -> Result<Engine> {
    if let Some(url) = place.store_url()? {
        return Ok(Engine::with_store(open_postgres(url)?));
    }
    let dir = data_dir(place.data_dir)?;
    std::fs::create_dir_all(&dir).with_context(|| opening(&dir, place.wait))?;
    let store = storyline_store::SqliteStore::open_waiting(&dir, place.wait, |holder| {
        say_waiting(&dir, holder, place.wait)
    })
    .with_context(|| opening(&dir, place.wait))?;
    Ok(Engine::with_store(Box::new(store)))
}

/// The context of a failed open; says how long it waited for a writer.
fn opening(dir: &Path, wait: std::time::Duration) -> String {
    format!(
        "opening the store in {} (waited up to {} for another writer; --wait sets how long)",
        dir.display(),
        humantime::format_duration(wait)
    )
}

/// Tells the user, once, that this command waits for another writer.
fn say_waiting(dir: &Path, holder: Option<u32>, wait: std::time::Duration) {
    if wait.is_zero() {
        return;
    }
    eprintln!(
        "storyline: another storyline process{} is writing to {}; waiting up to {} for it to finish \
         (--wait sets how long; commands that only read run beside it)",
        holder.map(|p| format!(" (pid {p})")).unwrap_or_default(),
        output::safe(&dir.display().to_string()),
        humantime::format_duration(wait)
    );
}

/// Opens the store for a command that only reads what is stored: the actor
/// file is not read, so a mistake in it cannot stop `articles`, `stats` or
/// a listing of what was linked before. A SQLite store is opened read-only
/// and takes no lock, so any number of readers run beside one writer.
pub(crate) fn open_reader(place: Place) -> Result<Engine> {
    if let Some(url) = place.store_url()? {
        return Ok(Engine::with_store(open_postgres(url)?));
    }
    let dir = data_dir(place.data_dir)?;
    Ok(Engine::with_store(Box::new(open_sqlite_reader(
        &dir, place.wait,
    )?)))
}

/// [`open_reader`] with the data directory's actor file, for readers that
/// analyse text of their own (`check`, the server's `/api/check`).
fn open_reader_with_actors(place: Place) -> Result<Engine> {
    if place.store_url()?.is_some() {
        return open(place);
    }
    let dir = data_dir(place.data_dir)?;
    let store = open_sqlite_reader(&dir, place.wait)?;
    Engine::with_store_and_actors(Box::new(store), &dir)
        .with_context(|| format!("opening the store in {}", dir.display()))
}

/// The SQLite store in `dir`, read-only. A directory without a store is an
/// error that says so (a reader never creates an empty store). A store
/// that needs a writer first (an older schema to upgrade, a missing or
/// damaged index to rebuild) is opened once for writing, when no other
/// process writes, and then read.
fn open_sqlite_reader(dir: &Path, wait: std::time::Duration) -> Result<SqliteStore> {
    if !dir.join(storyline_store::DB_FILE).is_file() {
        bail!("{}", no_store_here(dir));
    }
    let context = || format!("opening the store in {}", dir.display());
    match SqliteStore::open_read_only(dir) {
        // A writer killed between its database and index commits leaves
        // the index behind; when no writer is running, open for writing
        // once (which catches the index up) so searches and counts agree
        // with the database. While one runs, it catches up itself.
        Ok(store) if store.index_behind_at_open() > 0 => match SqliteStore::open(dir) {
            Ok(writer) => {
                drop(writer);
                drop(store);
                SqliteStore::open_read_only(dir).with_context(context)
            }
            Err(storyline_store::StoreError::Locked { .. }) => Ok(store),
            Err(e) => Err(e).with_context(context),
        },
        Ok(store) => Ok(store),
        Err(
            e @ (storyline_store::StoreError::NewerSchema { .. }
            | storyline_store::StoreError::NotAStore { .. }),
        ) => Err(e).with_context(context),
        Err(why) => {
            tracing::info!(error = %why, "the store needs a writer before it can be read; opening it for writing once");
            drop(
                SqliteStore::open_waiting(dir, wait, |holder| say_waiting(dir, holder, wait))
                    .with_context(context)?,
            );
            SqliteStore::open_read_only(dir).with_context(context)
        }
    }
}

/// What a reader says of a data directory that holds no store.
fn no_store_here(dir: &Path) -> String {
    let demo = Path::new(DEMO_DIR);
    let hint = if demo.join(storyline_store::DB_FILE).is_file() && dir != demo {
        format!("; the demo's store is in ./{DEMO_DIR}: storyline --data-dir {DEMO_DIR} COMMAND")
    } else {
        format!("; or try `storyline demo`, which builds one in ./{DEMO_DIR}")
    };
    format!(
        "no storyline store in {} (nothing was ingested there): `storyline ingest FILES…` creates one{hint}",
        output::safe(&dir.display().to_string())
    )
}

/// Opens the store for a command that reads links, after finishing any
/// linking left undone (see [`resume_links`]).
fn open_linked(place: Place, quiet: bool) -> Result<Engine> {
    resume_links(&place, quiet)?;
    open_reader(place)
}

/// Finishes linking that was interrupted (Ctrl-C or a kill during `link`
/// or after an ingest) or skipped (`ingest --no-link`), so a command that
/// reads links answers over every article. Only when no other process
/// writes: one that does links what it stores itself, so the command
/// then reads what is linked so far and says so. A failure here (a
/// mistake in actors.tsv) is a warning: the links stored still read.
fn resume_links(place: &Place, quiet: bool) -> Result<()> {
    let pending = {
        let reader = open_reader(place.clone())?;
        let store = reader.store();
        let state = store.link_state()?;
        let name = state.linker.as_deref().unwrap_or("none");
        if store.unlinked(name, 1)?.is_empty() {
            return Ok(());
        }
        store
            .stats()?
            .articles
            .saturating_sub(state.linked_articles)
    };
    let writer = match place.store_url()? {
        Some(_) => open(place.clone()),
        None => open(Place {
            wait: std::time::Duration::ZERO,
            ..place.clone()
        }),
    };
    match writer {
        Ok(engine) => {
            if !quiet {
                eprintln!(
                    "storyline: linking {} left unlinked (an interrupted link, or ingest --no-link) first",
                    output::count(pending, "article", "articles")
                );
            }
            crate::links::run_linker(&engine, quiet)?;
        }
        Err(e) => {
            let locked = e.chain().any(|c| {
                matches!(
                    c.downcast_ref::<storyline_engine::EngineError>(),
                    Some(storyline_engine::EngineError::Store(
                        storyline_store::StoreError::Locked { .. }
                    ))
                )
            });
            if locked {
                eprintln!(
                    "storyline: {} not linked yet; the process writing to this store links them (showing what is linked so far)",
                    output::count(pending, "article is", "articles are")
                );
            } else {
                tracing::warn!("could not finish linking ({e:#}); showing what is linked so far");
            }
        }
    }
    Ok(())
}

fn parse_day(flag: &str, value: &Option<String>) -> Result<Option<NaiveDate>> {
    let Some(v) = value.as_deref() else {
        return Ok(None);
    };
    match NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
        Ok(day) => Ok(Some(day)),
        Err(e) => usage!("--{flag} {v:?}: expected a day as YYYY-MM-DD ({e})"),
    }
}

pub fn ingest_config(args: &IngestArgs) -> Result<IngestConfig> {
    let mut config = IngestConfig {
        batch_size: args.batch_size.max(1),
        analyze: !args.no_analysis,
        ..IngestConfig::default()
    };
    apply_read_args(&mut config, &args.read)?;
    Ok(config)
}

/// Sets how inputs are read from `--map`, `--allow-private`, `--timeout`,
/// `--no-follow-links` and `--follow-symlinks`.
pub fn apply_read_args(config: &mut IngestConfig, args: &ReadArgs) -> Result<()> {
    if let Some(map) = &args.map {
        config.reader.field_map = match map.parse::<FieldMap>() {
            Ok(m) => m,
            Err(e) => usage!("--map {map:?}: {e}"),
        };
    }
    config.reader.fetch.allow_private = args.allow_private;
    config.reader.fetch.timeout = std::time::Duration::from_secs(args.timeout.max(1));
    config.reader.follow_feed_links = !args.no_follow_links;
    config.reader.follow_symlinks = args.follow_symlinks;
    Ok(())
}

fn ingest(engine: &Engine, args: &IngestArgs, quiet: bool) -> Result<ExitStatus> {
    let config = ingest_config(args)?;
    let inputs: Vec<Input> = args.inputs.iter().map(|a| Input::from_arg(a)).collect();
    let mut progress = Progress::new(quiet || args.json);
    let summary = engine.ingest(&inputs, &config, &mut progress)?;
    progress.finish();
    if args.json {
        let link = if config.analyze && !args.no_link {
            crate::links::link_after_ingest(engine, false, quiet)?
        } else {
            None
        };
        output::print_tagged(
            "storyline.ingest/1",
            &IngestReport {
                summary: &summary,
                link,
            },
        )?;
        return Ok(ingest_status(&summary));
    }
    let status = report_ingest(&summary, quiet)?;
    if config.analyze && !args.no_link {
        let report = crate::links::link_after_ingest(engine, !quiet, quiet)?;
        if let Some(report) = report.filter(|_| !quiet) {
            crate::links::print_link_report(&report)?;
        }
    }
    Ok(status)
}

/// `ingest --json`: the run summary and what linking did after it.
#[derive(serde::Serialize)]
struct IngestReport<'a> {
    #[serde(flatten)]
    summary: &'a IngestSummary,
    /// As `link --json` (without its tag); null with --no-link or --no-analysis.
    link: Option<storyline_link::linker::LinkReport>,
}

fn ingest_status(summary: &IngestSummary) -> ExitStatus {
    match summary.exit_code() {
        0 => ExitStatus::Success,
        2 => ExitStatus::Partial,
        _ => ExitStatus::Failure,
    }
}

fn report_ingest(summary: &IngestSummary, quiet: bool) -> Result<ExitStatus> {
    if !quiet {
        output::print_ingest_summary(summary)?;
    }
    Ok(ingest_status(summary))
}

fn articles(engine: &Engine, args: &ArticlesArgs) -> Result<ExitStatus> {
    let filter = ArticleFilter {
        source: args.source.clone(),
        since: parse_day("since", &args.since)?,
        until: parse_day("until", &args.until)?,
        provenance: args.provenance.map(|p| match p {
            ProvenanceArg::Metadata => DateProvenance::Metadata,
            ProvenanceArg::Header => DateProvenance::Header,
            ProvenanceArg::Dateline => DateProvenance::Dateline,
            ProvenanceArg::Url => DateProvenance::Url,
            ProvenanceArg::Inferred => DateProvenance::Inferred,
            ProvenanceArg::Unknown => DateProvenance::Unknown,
        }),
        limit: args.limit,
        offset: args.offset,
    };
    let found = engine.store().articles(&filter)?;
    let summaries: Vec<ArticleSummary> = found.iter().map(ArticleSummary::from).collect();
    if args.json {
        output::print_json(&ArticleList::new(summaries))?;
    } else {
        output::print_article_table(&summaries)?;
    }
    Ok(ExitStatus::Success)
}

/// Reads articles from one input and prints each with its analysis; nothing
/// is stored. Bad records are reported on stderr, as ingest reports them.
fn analyze(args: &AnalyzeArgs) -> Result<ExitStatus> {
    let mut options = storyline_ingest::IngestOptions {
        now: chrono::Utc::now().date_naive(),
        ..storyline_ingest::IngestOptions::default()
    };
    options.fetch.allow_private = args.allow_private;
    let input = Input::from_arg(&args.input);
    let mut articles = Vec::new();
    let mut failed = 0usize;
    storyline_ingest::read(&input, &options, &mut |event| match event {
        storyline_ingest::Event::Article(draft) => articles.push(*draft),
        storyline_ingest::Event::Problem(p) => {
            failed += usize::from(p.skipped);
            eprintln!("{}", output::safe(&p.to_string()));
        }
    })
    .with_context(|| format!("reading {}", args.input))?;
    let analysed: Vec<serde_json::Value> = articles
        .iter()
        .map(|draft| {
            serde_json::json!({
                "id": ArticleId::for_text(&draft.text).to_string(),
                "title": draft.title,
                "source": draft.source,
                "published": draft.published,
                "published_provenance": draft.published_provenance,
                "origin": draft.origin.location.to_string(),
                "text": draft.text,
                "analysis": storyline_engine::analysis::analyze_draft(draft),
            })
        })
        .collect();
    output::print_json(&serde_json::json!({
        "schema": "storyline.analyze/1",
        "offsets": "bytes into text (UTF-8)",
        "count": analysed.len(),
        "articles": analysed,
    }))?;
    Ok(match (analysed.is_empty(), failed) {
        (_, 0) => ExitStatus::Success,
        (true, _) => ExitStatus::Failure,
        (false, _) => ExitStatus::Partial,
    })
}

/// Resolves a full id or a unique prefix of at least 6 hex digits.
/// An optional `--article` argument as a full id.
fn resolve_option(engine: &Engine, text: Option<&str>) -> Result<Option<String>> {
    text.map(|a| resolve(engine, a).map(|id| id.to_string()))
        .transpose()
}

fn resolve(engine: &Engine, text: &str) -> Result<ArticleId> {
    if let Ok(id) = text.parse::<ArticleId>() {
        return Ok(id);
    }
    let t = text.trim().to_ascii_lowercase();
    if t.len() < 6 || !t.bytes().all(|b| b.is_ascii_hexdigit()) {
        usage!("{text:?} is not an article id: give the 16 hex digits shown by `storyline articles`, or at least the first 6");
    }
    let mut ids = engine.store().resolve_id_prefix(&t)?;
    match ids.len() {
        0 => bail!("no article id starts with {t}"),
        1 => Ok(ids.remove(0)),
        n => bail!("{n} article ids start with {t}; give more digits"),
    }
}

fn show(engine: &Engine, args: &ShowArgs) -> Result<ExitStatus> {
    let id = resolve(engine, &args.id)?;
    let Some(article) = engine.store().article(&id)? else {
        bail!("no article {id} in this store (list them with `storyline articles`)");
    };
    if args.html {
        let analysis = engine.analysis(&id)?;
        let page = storyline_server::standalone_article(&article, analysis.as_ref());
        match &args.out {
            Some(path) => {
                std::fs::write(path, page)
                    .with_context(|| format!("writing {}", path.display()))?;
                eprintln!("wrote {}", output::safe(&path.display().to_string()));
            }
            None => print!("{page}"),
        }
        return Ok(ExitStatus::Success);
    }
    let detail = ArticleDetail::from(&article);
    if args.json {
        output::print_json(&detail)?;
    } else {
        output::print_article_detail(&detail)?;
    }
    Ok(ExitStatus::Success)
}

fn search(engine: &Engine, args: &SearchArgs) -> Result<ExitStatus> {
    let query = SearchQuery {
        text: args.query.join(" "),
        source: args.source.clone(),
        since: parse_day("since", &args.since)?,
        until: parse_day("until", &args.until)?,
        limit: args.limit.clamp(1, storyline_store::MAX_SEARCH_LIMIT),
        offset: args.offset.min(storyline_store::MAX_SEARCH_OFFSET),
    };
    let hits = engine.store().search(&query)?;
    let total = engine.store().search_count(&query)?;
    if args.json {
        output::print_json(&serde_json::json!({
            "schema": "storyline.search/1",
            "query": query.text,
            "count": hits.len(),
            "total": total,
            "offset": query.offset,
            "hits": hits.iter().map(output::hit_json).collect::<Vec<_>>(),
        }))?;
    } else {
        output::print_hits(&hits, query.offset, total)?;
    }
    Ok(ExitStatus::Success)
}

fn stats(engine: &Engine, json: bool) -> Result<ExitStatus> {
    let stats = engine.store().stats()?;
    let links = engine.store().link_state()?;
    if json {
        output::print_json(&output::stats_json(&stats, &links))?;
    } else {
        output::print_stats(&stats, Some(&links))?;
    }
    Ok(ExitStatus::Success)
}

/// The server's configuration from the flags, checked before the store is
/// opened: a weak token or open ingest on a public address stops here.
fn serve_config(args: &ServeArgs) -> Result<storyline_server::ServerConfig> {
    use storyline_server::{IngestAccess, IngestToken};
    let ingest = match (&args.ingest_token, args.allow_ingest) {
        // Said on the command line, it wins over a token in the environment.
        _ if args.read_only => IngestAccess::Disabled,
        (Some(token), _) => IngestAccess::Token(
            IngestToken::new(token).context("--ingest-token (or STORYLINE_INGEST_TOKEN)")?,
        ),
        (None, true) => {
            if !args.addr.ip().to_canonical().is_loopback() {
                bail!(
                    "--allow-ingest lets anyone who can connect add articles, so it needs a loopback --addr (127.0.0.1 or [::1]), not {}; on another address give --ingest-token (or STORYLINE_INGEST_TOKEN)",
                    args.addr
                );
            }
            IngestAccess::Open
        }
        (None, false) => IngestAccess::Disabled,
    };
    Ok(storyline_server::ServerConfig {
        ingest,
        max_body_bytes: args.max_body_mib.max(1) * 1024 * 1024,
        max_connections: args.max_connections.max(1),
        header_read_timeout: std::time::Duration::from_secs(args.header_timeout.max(1)),
        ..storyline_server::ServerConfig::default()
    })
}

/// `serve`: a reader unless it takes ingest requests (then it writes, and
/// holds the writer lock while it runs). With `--watch`, a thread re-reads
/// the sources on a schedule as `storyline watch` does: through the
/// server's own engine when that writes, else through a writer opened for
/// each pass, so other writers get their turn between passes.
fn serve(
    place: Place,
    args: &ServeArgs,
    config: storyline_server::ServerConfig,
) -> Result<ExitStatus> {
    let writes = !matches!(config.ingest, storyline_server::IngestAccess::Disabled);
    let watch = if args.watch.is_empty() {
        None
    } else {
        Some(crate::watch::Schedule::new(
            &args.watch,
            args.every,
            &args.read,
        )?)
    };
    let engine = if writes {
        open(place.clone())?
    } else {
        if watch.is_some() {
            // The first pass may not have run yet: make sure there is a
            // store to read (created and upgraded by a writer).
            drop(open(place.clone())?);
        }
        open_reader_with_actors(place.clone())?
    };
    let engine = std::sync::Arc::new(engine);
    if let Some(schedule) = watch {
        let writer = if writes {
            crate::watch::Writer::Shared(engine.clone())
        } else {
            crate::watch::Writer::PerPass(place)
        };
        eprintln!(
            "storyline: watching {} every {}",
            output::count(args.watch.len() as u64, "source", "sources"),
            humantime::format_duration(args.every)
        );
        std::thread::Builder::new()
            .name("storyline-watch".into())
            .spawn(move || {
                let stop = std::sync::atomic::AtomicBool::new(false);
                if let Err(e) = schedule.run(&writer, None, false, &stop) {
                    tracing::error!("the watch stopped: {e:#}");
                }
            })
            .context("starting the watch thread")?;
    }
    let ingest = match &config.ingest {
        storyline_server::IngestAccess::Disabled => {
            "ingest off (give --ingest-token or STORYLINE_INGEST_TOKEN to allow it)"
        }
        storyline_server::IngestAccess::Token(_) => "ingest with the bearer token",
        storyline_server::IngestAccess::Open => "ingest open to anyone on this machine",
    };
    eprintln!(
        "storyline: serving on http://{}, {ingest} (Ctrl-C stops)",
        args.addr
    );
    storyline_server::serve_blocking(engine, args.addr, config)
        .with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitStatus::Success)
}

fn reindex(engine: &Engine, json: bool) -> Result<ExitStatus> {
    let n = engine.store().reindex()?;
    if json {
        output::print_json(&serde_json::json!({
            "schema": "storyline.reindex/1",
            "articles": n,
        }))?;
    } else {
        println!("reindexed {}", output::count(n, "article", "articles"));
    }
    Ok(ExitStatus::Success)
}

/// `storyline check-store`: the store's own checks, without opening it
/// for writing (which would repair what the check should find).
fn check_store(place: Place, json: bool) -> Result<ExitStatus> {
    if place.store_url()?.is_some() {
        bail!(
            "check-store checks an embedded SQLite store; a PostgreSQL store is checked with \
             PostgreSQL's own tools (amcheck, pg_dump)"
        );
    }
    let dir = data_dir(place.data_dir)?;
    if !dir.join(storyline_store::DB_FILE).is_file() {
        bail!("{}", no_store_here(&dir));
    }
    let found = storyline_store::check_store(&dir)
        .with_context(|| format!("checking the store in {}", dir.display()))?;
    if json {
        let mut doc = serde_json::to_value(&found)?;
        if let Some(map) = doc.as_object_mut() {
            map.insert("schema".into(), "storyline.check-store/1".into());
            map.insert("clean".into(), found.problems.is_empty().into());
        }
        output::print_json(&doc)?;
    } else {
        let shown = dir.display().to_string();
        let where_ = output::safe(&shown);
        println!(
            "store {where_}: schema v{}, {}, {} analysed",
            found.schema_version,
            output::count(found.articles, "article", "articles"),
            found.analysed
        );
        match &found.index {
            Some(i) => println!(
                "index: {} (watermark {}; {} waiting to be indexed)",
                output::count(i.documents, "document", "documents"),
                i.watermark,
                i.lagging
            ),
            None => println!("index: cannot be opened"),
        }
        let l = &found.links;
        println!(
            "links: {} linked, {} not yet{}",
            l.linked,
            l.unlinked,
            l.linker
                .as_deref()
                .map(|n| format!(" (linker {})", output::safe(n)))
                .unwrap_or_default()
        );
        if found.problems.is_empty() {
            println!("clean: no problems found");
        } else {
            println!(
                "{}:",
                output::count(found.problems.len() as u64, "problem", "problems")
            );
            for p in &found.problems {
                println!("  {}", output::safe(p));
            }
        }
    }
    Ok(if found.problems.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Partial
    })
}

fn reanalyze(engine: &Engine, json: bool) -> Result<ExitStatus> {
    let n = engine.reanalyze_stale(500)?;
    let analyzer = storyline_engine::analysis::ANALYZER;
    if json {
        output::print_json(&serde_json::json!({
            "schema": "storyline.reanalyze/1",
            "articles": n,
            "analyzer": analyzer,
        }))?;
    } else {
        println!(
            "analysed {} with {analyzer}",
            output::count(n, "article", "articles")
        );
    }
    Ok(ExitStatus::Success)
}

fn extract(args: &ExtractArgs) -> Result<ExitStatus> {
    let (bytes, url, content_type) = if args.input == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(storyline_html::MAX_INPUT_BYTES as u64 + 1)
            .read_to_end(&mut buf)
            .context("reading stdin")?;
        (buf, None, None)
    } else if args.input.starts_with("http://") || args.input.starts_with("https://") {
        let fetch = storyline_ingest::FetchOptions {
            allow_private: args.allow_private,
            ..storyline_ingest::FetchOptions::default()
        };
        let page = storyline_ingest::fetch(&args.input, &fetch)
            .with_context(|| format!("fetching {}", args.input))?;
        (page.bytes, Some(page.final_url), page.content_type)
    } else {
        let bytes =
            std::fs::read(&args.input).with_context(|| format!("reading {}", args.input))?;
        (bytes, None, None)
    };
    let opts = storyline_html::ExtractOptions {
        url,
        http_content_type: content_type,
        now: chrono::Utc::now().date_naive(),
    };
    let page = storyline_html::extract(&bytes, &opts)
        .with_context(|| format!("extracting the article from {}", args.input))?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ExtractFormat::Json => output::print_json(&output::page_json(&page))?,
        ExtractFormat::Markdown => writeln!(out, "{}", output::safe_text(&page.markdown))?,
        ExtractFormat::Text => {
            if let Some(t) = &page.title {
                writeln!(out, "{}\n", output::safe(t))?;
            }
            writeln!(out, "{}", output::safe_text(&page.text))?;
        }
    }
    Ok(ExitStatus::Success)
}

/// Where `storyline demo` keeps its store unless given `--data-dir`.
pub const DEMO_DIR: &str = "storyline-demo";

fn demo(place: Place, args: &DemoArgs, quiet: bool) -> Result<ExitStatus> {
    let place_for_context = place.clone();
    let dir = place
        .data_dir
        .clone()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from(DEMO_DIR));
    let engine = if place.store_url()?.is_some() {
        // A PostgreSQL store is never cleared: the demo adds to it (use an
        // empty database); the briefings still go to the demo folder.
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("creating the demo folder {}", dir.display()))?;
        open(place)?
    } else {
        if !args.keep && dir.join("storyline.db").exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("clearing the previous demo store {}", dir.display()))?;
        }
        open(Place {
            data_dir: Some(dir.clone()),
            ..place
        })?
    };
    let corpus = match &args.path {
        Some(path) => path.clone(),
        None => crate::demo::write_corpus(&dir)?,
    };
    let config = IngestConfig::default();
    let mut progress = Progress::new(quiet);
    let summary = engine.ingest(&[Input::Path(corpus.clone())], &config, &mut progress)?;
    progress.finish();
    let status = report_ingest(&summary, quiet)?;
    let stats = engine.store().stats()?;
    let all = engine.store().articles(&ArticleFilter::default())?;
    let summaries: Vec<ArticleSummary> = all.iter().map(ArticleSummary::from).collect();
    output::print_demo_report(&corpus, &dir, &stats, &summaries)?;
    let report = crate::links::run_linker(&engine, quiet)?;
    if !quiet {
        println!();
        crate::links::print_link_report(&report)?;
        println!("\nStories, largest first:");
        crate::links::stories(
            &engine,
            &PageArgs {
                limit: Some(5),
                offset: 0,
                json: false,
            },
        )?;
        println!("\nWhere sources contradict each other:");
        crate::links::findings(
            &engine,
            &FindingsArgs {
                kind: Some(FindingKindArg::Contradict),
                story: None,
                article: None,
                all: false,
                page: PageArgs {
                    limit: Some(5),
                    offset: 0,
                    json: false,
                },
            },
            None,
        )?;
    }
    // The briefing is what an analyst forwards: a page per storyline, in
    // both forms, with an index.
    let briefs = storyline_engine::brief::briefings(&engine, None)?;
    let folder = dir.join("brief");
    let ctx = report_context(
        &Place {
            data_dir: Some(dir.clone()),
            ..place_for_context
        },
        Some("http://127.0.0.1:8080"),
    )?;
    crate::links::write_brief_dir(&briefs, BriefFormat::Md, &folder, &ctx)?;
    let index = crate::links::write_brief_dir(&briefs, BriefFormat::Html, &folder, &ctx)?;
    if !quiet {
        println!(
            "\nBriefings of {} storylines written to {} (and index.md beside it)",
            briefs.len(),
            output::safe(&index.display().to_string()),
        );
    }
    if std::io::stdout().is_terminal() {
        println!(
            "\nNext: storyline --data-dir {} stories | findings | stances | entities | timeline s1 | brief l1 | check \"…\" | serve",
            output::safe(&dir.display().to_string())
        );
    }
    Ok(status)
}

fn eval(cmd: EvalCommand) -> Result<ExitStatus> {
    match cmd {
        EvalCommand::Extraction { dir, out } => {
            let report = storyline_eval::extraction::evaluate(
                &dir,
                &storyline_html::Storyline,
                chrono::Utc::now().date_naive(),
                out.as_deref(),
            )
            .with_context(|| format!("evaluating extraction on {}", dir.display()))?;
            output::print_json(&report)?;
        }
        EvalCommand::Attribution { dir, out } => {
            let report = storyline_eval::attribution::evaluate(&dir, out.as_deref())
                .with_context(|| format!("evaluating attribution on {}", dir.display()))?;
            output::print_json(&report)?;
        }
        EvalCommand::Stories {
            dir,
            labels: Some(labels),
            ..
        } => {
            let report = eval_storylines(&dir, &labels)?;
            output::print_json(&report)?;
        }
        EvalCommand::Entities { data, labels } => {
            let report = eval_entities(&data, &labels)?;
            output::print_json(&report)?;
        }
        EvalCommand::Stories {
            dir, folds: true, ..
        } => {
            let report = storyline_eval::stories::evaluate_folds(&dir)
                .with_context(|| format!("tuning story clustering on {}", dir.display()))?;
            output::print_json(&report)?;
        }
        EvalCommand::Stories { dir, out, .. } => {
            let report = storyline_eval::stories::evaluate(&dir, out.as_deref())
                .with_context(|| format!("evaluating story clustering on {}", dir.display()))?;
            output::print_json(&report)?;
        }
        EvalCommand::Tls { dir, out, loto } => {
            let context = || format!("evaluating timelines on {}", dir.display());
            if loto {
                let grid = storyline_eval::tls::loto_grid();
                let report =
                    storyline_eval::tls::evaluate_loto(&dir, &grid).with_context(context)?;
                output::print_json(&report)?;
            } else {
                let report =
                    storyline_eval::tls::evaluate(&dir, out.as_deref()).with_context(context)?;
                output::print_json(&report)?;
            }
        }
        EvalCommand::Timex { dir, out } => {
            let report = storyline_eval::timex::evaluate(&dir, out.as_deref())
                .with_context(|| format!("evaluating time expressions on {}", dir.display()))?;
            output::print_json(&report)?;
        }
        EvalCommand::Findings {
            data,
            labels,
            outlets,
        } => {
            let report = eval_findings(&data, &labels, outlets)?;
            output::print_json(&report)?;
        }
        EvalCommand::Ner { file, out, tier } => {
            if tier != "fast" {
                bail!("--tier {tier}: only the `fast` tier is available in this build");
            }
            let report = storyline_eval::ner::evaluate(&file, out.as_deref())
                .with_context(|| format!("evaluating NER on {}", file.display()))?;
            output::print_json(&report)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// Ingests and links `data` into a throwaway store, locates every figure
/// claim and finding by the label files' pointers, and scores them.
/// Reads labelled coverage into a throwaway store and links it, as a user's
/// ingest would; the store lives as long as the returned folder.
fn ingest_for_eval(data: &Path) -> Result<(tempfile::TempDir, Engine)> {
    let tmp = tempfile::tempdir().context("creating a temporary store")?;
    let engine = Engine::open(tmp.path()).context("opening a temporary store")?;
    let mut progress = Progress::new(true);
    let summary = engine.ingest(
        &[Input::Path(data.to_path_buf())],
        &IngestConfig::default(),
        &mut progress,
    )?;
    if summary.inserted == 0 && summary.already_present == 0 {
        bail!("no article read from {}", data.display());
    }
    engine.link(|_| {})?;
    Ok((tmp, engine))
}

/// Article id → (its data row, its text), for articles read from a table.
fn article_rows(engine: &Engine) -> Result<std::collections::HashMap<String, (u64, String)>> {
    let mut rows = std::collections::HashMap::new();
    for a in engine.store().articles(&ArticleFilter::default())? {
        if let Some(row) = a.draft.origin.location.record {
            rows.insert(a.id.to_string(), (row, a.draft.text.clone()));
        }
    }
    Ok(rows)
}

/// Article id → (its label pointer, its text).
type DocPointers = std::collections::HashMap<String, (String, String)>;

/// Article id → (its label pointer, its text) for the coverage in `data`,
/// ingested and linked into a throwaway store: a CSV's articles are
/// pointed to by data row; a folder of `topic_outlet` topics
/// (Timeline17) by `topic_outlet/id`, each article stored with its outlet
/// as source and its folder's date, so publishers are told apart as a
/// user's multi-outlet ingest would tell them.
///
/// With `outlets`, a table's articles are dealt to that many pseudo-outlets
/// (see [`pseudo_outlet`]) and linked again as if those outlets had
/// published them: one outlet's coverage made into several, so that
/// cross-source findings (agreements, contradictions) can be read and
/// labelled on it.
fn ingest_docs_for_eval(
    data: &Path,
    outlets: Option<u32>,
) -> Result<(tempfile::TempDir, Engine, DocPointers)> {
    if !data.is_dir() {
        let (tmp, engine) = ingest_for_eval(data)?;
        let rows: DocPointers = article_rows(&engine)?
            .into_iter()
            .map(|(id, (row, text))| (id, (row.to_string(), text)))
            .collect();
        return match outlets {
            None => Ok((tmp, engine, rows)),
            Some(n) => deal_to_outlets(&engine, n),
        };
    }
    if outlets.is_some() {
        bail!(
            "--outlets deals the rows of one table; {} is a folder of outlets already",
            data.display()
        );
    }
    let articles = storyline_eval::tls::read_multi_outlet(data)
        .with_context(|| format!("reading multi-outlet topics in {}", data.display()))?;
    let records = articles.iter().map(|a| {
        serde_json::json!({
            "text": a.text,
            "date": a.published.map(|d| d.to_string()),
            "source": a.outlet,
        })
    });
    let pointers: Vec<String> = articles.iter().map(|a| a.doc.clone()).collect();
    ingest_records(records, &pointers)
}

/// Ingests and links `records` (JSON objects of the JSON Lines reader)
/// into a throwaway store; the article read from the k-th record points
/// at `pointers[k]`.
fn ingest_records(
    records: impl Iterator<Item = serde_json::Value>,
    pointers: &[String],
) -> Result<(tempfile::TempDir, Engine, DocPointers)> {
    let staging = tempfile::tempdir().context("creating a staging folder")?;
    let file = staging.path().join("coverage.jsonl");
    let mut lines = String::new();
    for record in records {
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    std::fs::write(&file, lines).with_context(|| format!("writing {}", file.display()))?;
    let (tmp, engine) = ingest_for_eval(&file)?;
    let rows = article_rows(&engine)?
        .into_iter()
        .filter_map(|(id, (line, text))| {
            let pointer = pointers.get(usize::try_from(line).ok()?.checked_sub(1)?)?;
            Some((id, (pointer.clone(), text)))
        })
        .collect();
    Ok((tmp, engine, rows))
}

/// The pseudo-outlet of a table's data row: `outlet-1` … `outlet-N` by
/// BLAKE3 of the row number, so the deal is the same on every machine and
/// in every version.
fn pseudo_outlet(row: u64, outlets: u32) -> String {
    // The labels' own hash (BLAKE3, first 8 hex digits) of the row number.
    let h = storyline_eval::findings::sentence_hash(&row.to_string());
    let h = u64::from_str_radix(&h, 16).unwrap_or(0);
    format!("outlet-{}", h % u64::from(outlets.max(1)) + 1)
}

/// Re-ingests every article of `engine` (read from a table) into a new
/// throwaway store with its source replaced by its [`pseudo_outlet`],
/// keeping title, text, URL and publication time, and links it. Pointers
/// stay the table's data rows.
fn deal_to_outlets(
    engine: &Engine,
    outlets: u32,
) -> Result<(tempfile::TempDir, Engine, DocPointers)> {
    let mut articles: Vec<(u64, storyline_core::ArticleDraft)> = engine
        .store()
        .articles(&ArticleFilter::default())?
        .into_iter()
        .filter_map(|a| Some((a.draft.origin.location.record?, a.draft)))
        .collect();
    articles.sort_by_key(|(row, _)| *row);
    let records = articles.iter().map(|(row, d)| {
        serde_json::json!({
            "title": d.title,
            "text": d.text,
            "url": d.url,
            "date": d.published,
            "source": pseudo_outlet(*row, outlets),
        })
    });
    let pointers: Vec<String> = articles.iter().map(|(row, _)| row.to_string()).collect();
    ingest_records(records, &pointers)
}

/// The engine's stories and storylines against labelled storylines and
/// developments.
fn eval_storylines(data: &Path, labels: &Path) -> Result<storyline_eval::coverage::LevelScores> {
    use storyline_engine::link_views::{self, Page};
    let file = labels.join("storylines.tsv");
    let labels = storyline_eval::coverage::read_storylines(&file)
        .with_context(|| format!("reading {}", file.display()))?;
    let (_tmp, engine) = ingest_for_eval(data)?;
    let rows = article_rows(&engine)?;
    let all = Page {
        limit: usize::MAX,
        offset: 0,
    };
    let mut stories = std::collections::HashMap::new();
    let mut storylines = std::collections::HashMap::new();
    for story in link_views::stories(&engine, all)?.stories {
        for id in &story.article_ids {
            if let Some((row, _)) = rows.get(&id.to_string()) {
                stories.insert(*row, story.id.clone());
                // A story linked before storylines existed is its own.
                let line = story.storyline.clone().unwrap_or_else(|| story.id.clone());
                storylines.insert(*row, line);
            }
        }
    }
    Ok(storyline_eval::coverage::LevelScores {
        stories: storyline_eval::coverage::score_storylines(&labels, &stories),
        storylines: storyline_eval::coverage::score_storylines(&labels, &storylines),
    })
}

/// The engine's entities against labelled mentions: each pointer is found
/// in the stored text, the name the analyser tagged there is resolved to
/// its article actor, and the actor to the entity the store holds for it
/// once the whole coverage is linked.
fn eval_entities(data: &Path, labels: &Path) -> Result<storyline_eval::coverage::MentionScores> {
    use storyline_eval::coverage::{
        nth_occurrence, read_mentions, score_mentions, PredictedMention,
    };
    use storyline_link::actors::ActorKind;
    let file = labels.join("mentions.tsv");
    let labels = read_mentions(&file).with_context(|| format!("reading {}", file.display()))?;
    let (_tmp, engine) = ingest_for_eval(data)?;
    let by_row: std::collections::HashMap<u64, String> = article_rows(&engine)?
        .into_iter()
        .map(|(id, (row, _))| (row, id))
        .collect();
    let mut resolved = 0;
    let mut predicted = Vec::with_capacity(labels.len());
    for l in &labels {
        let found = (|| -> Result<Option<PredictedMention>> {
            let Some(id) = by_row.get(&l.row) else {
                return Ok(None);
            };
            let Some(article) = engine.store().article(&id.parse()?)? else {
                return Ok(None);
            };
            let text = &article.draft.text;
            let Some(at) = nth_occurrence(text, &l.mention, l.nth) else {
                return Ok(None);
            };
            resolved += 1;
            let span = storyline_core::Span::new(at, at + l.mention.len());
            let Some(entity) = engine.entity_at(&article, span)? else {
                return Ok(None);
            };
            let kind = match entity.kind {
                ActorKind::Person => "PER",
                ActorKind::Organization | ActorKind::Group => "ORG",
                ActorKind::Country => "LOC|GOV",
                ActorKind::Place => "LOC",
                ActorKind::Other => "MISC",
            };
            Ok(Some(PredictedMention {
                entity: entity.id,
                kind: kind.to_string(),
            }))
        })()?;
        tracing::debug!(
            target: "eval::entities",
            "mention row {} {:?}#{} want {} {} got {:?}",
            l.row,
            l.mention,
            l.nth,
            l.entity,
            l.kind,
            found.as_ref().map(|p| (&p.entity, &p.kind))
        );
        predicted.push(found);
    }
    Ok(score_mentions(&labels, &predicted, resolved))
}

fn eval_findings(
    data: &Path,
    labels: &Path,
    outlets: Option<u32>,
) -> Result<storyline_eval::findings::FindingsReport> {
    use std::collections::HashMap;
    use storyline_engine::link_views::{self, ClaimFilter, FindingFilter, Page};
    use storyline_eval::findings::{sentence_hash, Pointer, PredictedClaim, Prediction};
    use storyline_link::claims::ClaimKind;
    use storyline_link::findings::FindingSide;

    let labels = storyline_eval::findings::read_labels(labels)
        .with_context(|| format!("reading labels in {}", labels.display()))?;
    let (_tmp, engine, rows) = ingest_docs_for_eval(data, outlets)?;
    let all = Page {
        limit: usize::MAX,
        offset: 0,
    };
    let at = |s: &FindingSide| -> Option<Pointer> {
        let (doc, text) = rows.get(&s.evidence.article.to_string())?;
        let number = if s.value.is_some() {
            text.get(s.evidence.span.start..s.evidence.span.end)?
                .to_string()
        } else {
            String::new()
        };
        Some(Pointer {
            doc: doc.clone(),
            sent: sentence_hash(&s.evidence.sentence),
            number,
        })
    };
    let mut prediction = Prediction::default();
    let of_kind = |kind| {
        link_views::claims(
            &engine,
            &ClaimFilter {
                kind: Some(kind),
                ..ClaimFilter::default()
            },
            all,
        )
    };
    let claims = of_kind(ClaimKind::Figure)?;
    let mut rules: HashMap<String, Vec<(storyline_core::Span, Option<String>)>> = HashMap::new();
    for c in claims.claims {
        let id = c.evidence.article.to_string();
        if !rules.contains_key(&id) {
            let figures = engine
                .analysis(&c.evidence.article)?
                .map(|a| a.figures)
                .unwrap_or_default();
            rules.insert(
                id.clone(),
                figures
                    .into_iter()
                    .map(|f| (f.span, f.period_rule))
                    .collect(),
            );
        }
        let period_rule = rules
            .get(&id)
            .and_then(|v| v.iter().find(|(span, _)| *span == c.evidence.span))
            .and_then(|(_, r)| r.clone());
        let Some(p) = at(&FindingSide::of(&c)) else {
            continue;
        };
        prediction.claims.push(PredictedClaim {
            span_text: p.number.clone(),
            at: p,
            claim: c,
            period_rule,
        });
    }
    for c in of_kind(ClaimKind::Stance)?.claims {
        if let Some(p) = at(&FindingSide::of(&c)) {
            prediction.stances.push((p, c));
        }
    }
    let findings = link_views::findings(
        &engine,
        &FindingFilter {
            all: true,
            every_update: true,
            ..FindingFilter::default()
        },
        all,
    )?
    .map(|l| l.findings)
    .unwrap_or_default();
    for f in findings {
        if let (Some(a), Some(b)) = (at(&f.claims[0]), at(&f.claims[1])) {
            prediction.findings.push((f, a, b));
        }
    }
    let gazetteer = engine.gazetteer();
    // A state speaks through its government: `Egyptian government` and
    // `Egypt` are one claimant, as the actor file treats a country acting.
    let canonical = |name: &str| {
        let name = name.trim();
        let bare = name
            .strip_suffix(" government")
            .or_else(|| name.strip_suffix(" Government"))
            .unwrap_or(name);
        gazetteer
            .lookup(name)
            .or_else(|| gazetteer.lookup(bare))
            .map(|(e, _)| e.name.to_lowercase())
            .unwrap_or_else(|| name.to_lowercase())
    };
    let same_claimant = |pred: Option<&str>, label: &str| match pred {
        None => label == "-",
        Some(_) if label == "-" => false,
        Some(p) => canonical(p) == canonical(label),
    };
    Ok(storyline_eval::findings::score(
        &labels,
        &prediction,
        &same_claimant,
    ))
}
