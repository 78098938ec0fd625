//! `storyline watch`: re-read sources on a schedule, ingest only what is
//! new, link after each pass, stop cleanly on Ctrl-C.
//!
//! A pass is an ordinary ingest with a [`Seen`] memory shared across
//! passes (unchanged files and already-fetched linked pages are skipped;
//! content hashes make anything re-read harmless) followed by an ordinary
//! link: every batch and every linked article commits on its own, so
//! stopping at any point loses nothing that was committed. Each pass opens
//! the store for writing and closes it after, so another writer waits at
//! most one pass, and readers see each batch as it commits.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;
use storyline_engine::{Engine, IngestConfig, NoProgress};
use storyline_ingest::{Input, Seen};

use crate::args::{ReadArgs, WatchArgs};
use crate::commands::{apply_read_args, Place};
use crate::ExitStatus;

/// How often a sleeping watch checks for Ctrl-C.
const TICK: Duration = Duration::from_millis(200);

/// One pass, as printed.
#[derive(Debug, Serialize)]
struct Pass {
    schema: &'static str,
    pass: u64,
    started: String,
    new_articles: u64,
    near_duplicates: u64,
    already_present: u64,
    unchanged: u64,
    problems: usize,
    failed_sources: Vec<String>,
    linked: u64,
    new_stories: u64,
    claims: u64,
    contradict: u64,
    update: u64,
    agree: u64,
    seconds: f64,
}

/// Where a pass writes.
pub enum Writer {
    /// Through an engine that holds the writer lock already (`serve` with
    /// ingest on, where the server writes too).
    Shared(Arc<Engine>),
    /// Through a writer opened for the pass and closed after it, so other
    /// writers (an `ingest` from a terminal) get their turn between passes.
    PerPass(Place),
}

/// What to re-read and how often: `watch`'s arguments and `serve --watch`'s.
pub struct Schedule {
    inputs: Vec<Input>,
    every: Duration,
    config: IngestConfig,
    /// How long a file must be left alone before a pass reads it.
    settle: Duration,
}

/// The settle time of `serve --watch` (and `watch`'s `--settle` default).
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(2);

impl Schedule {
    /// Refuses stdin (it cannot be read again) and bad read options.
    pub fn new(sources: &[String], every: Duration, read: &ReadArgs) -> Result<Schedule> {
        let inputs: Vec<Input> = sources.iter().map(|s| Input::from_arg(s)).collect();
        if inputs.contains(&Input::Stdin) {
            crate::commands::usage!(
                "watch cannot re-read stdin (-): give files, folders, feeds or URLs"
            );
        }
        let mut config = IngestConfig::default();
        apply_read_args(&mut config, read)?;
        Ok(Schedule {
            inputs,
            every,
            settle: DEFAULT_SETTLE,
            config,
        })
    }

    /// Runs passes until `passes` are done or `stop` is set. A pass that
    /// cannot get the writer lock within `--wait` is skipped with a note.
    pub fn run(
        &self,
        writer: &Writer,
        passes: Option<u64>,
        json: bool,
        stop: &AtomicBool,
    ) -> Result<u64> {
        let seen = Seen::with_settle(self.settle);
        let mut pass = 0u64;
        loop {
            pass += 1;
            let started = Instant::now();
            let mut config = self.config.clone();
            config.reader.seen = Some(seen.clone());
            match writer {
                Writer::Shared(engine) => self.pass(engine, &config, pass, json)?,
                Writer::PerPass(place) => match crate::commands::open(place.clone()) {
                    Ok(engine) => self.pass(&engine, &config, pass, json)?,
                    Err(e) if is_locked(&e) => {
                        eprintln!(
                            "pass {pass} skipped: {}",
                            crate::output::safe(&format!("{e:#}"))
                        );
                    }
                    Err(e) => return Err(e),
                },
            }
            if passes.is_some_and(|n| pass >= n) || stop.load(Ordering::SeqCst) {
                break;
            }
            let next = started + self.every;
            while Instant::now() < next && !stop.load(Ordering::SeqCst) {
                std::thread::sleep(TICK.min(next.saturating_duration_since(Instant::now())));
            }
            if stop.load(Ordering::SeqCst) {
                break;
            }
        }
        Ok(pass)
    }

    /// One pass: an ingest with the watch's memory, then a link.
    fn pass(&self, engine: &Engine, config: &IngestConfig, pass: u64, json: bool) -> Result<()> {
        let started = Instant::now();
        let summary = engine.ingest(&self.inputs, config, &mut NoProgress)?;
        // On a shared store another linker (`worker --link`) may hold the
        // lease: it links what this pass stored.
        let link = match crate::links::lease(engine) {
            Ok(_lease) => engine.link(|_| {})?,
            Err(e) if crate::links::is_busy(&e) => {
                tracing::info!("not linking: {e:#}");
                storyline_link::linker::LinkReport::default()
            }
            Err(e) => return Err(e),
        };
        let report = Pass {
            schema: "storyline.watch/1",
            pass,
            started: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
            new_articles: summary.inserted,
            near_duplicates: summary.near_duplicates,
            already_present: summary.already_present,
            unchanged: summary.unchanged,
            problems: summary.skipped.len(),
            failed_sources: summary
                .failed_inputs
                .iter()
                .map(|p| format!("{}: {}", p.location, p.reason))
                .collect(),
            linked: link.articles,
            new_stories: link.new_stories,
            claims: link.claims,
            contradict: link.contradict,
            update: link.update,
            agree: link.agree,
            seconds: started.elapsed().as_secs_f64(),
        };
        print_pass(&report, json)
    }
}

/// Whether opening failed because another process holds the writer lock.
fn is_locked(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        matches!(
            c.downcast_ref::<storyline_engine::EngineError>(),
            Some(storyline_engine::EngineError::Store(
                storyline_store::StoreError::Locked { .. }
            ))
        ) || matches!(
            c.downcast_ref::<storyline_store::StoreError>(),
            Some(storyline_store::StoreError::Locked { .. })
        )
    })
}

pub fn watch(place: &Place, args: &WatchArgs) -> Result<ExitStatus> {
    let mut schedule = Schedule::new(&args.sources, args.every, &args.read)?;
    schedule.settle = args.settle;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            // A second Ctrl-C: leave now. Every committed batch stays.
            std::process::exit(130);
        }
        eprintln!("stopping after this pass (Ctrl-C again to stop at once)");
    })
    .context("installing the Ctrl-C handler")?;
    // A PostgreSQL store has no writer lock to hand back between passes,
    // but opening it per pass costs little and keeps one code path.
    let passes = schedule.run(
        &Writer::PerPass(place.clone()),
        args.passes,
        args.json,
        &stop,
    )?;
    eprintln!(
        "watch stopped after {}",
        crate::output::count(passes, "pass", "passes")
    );
    Ok(ExitStatus::Success)
}

fn print_pass(p: &Pass, json: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, p)?;
        writeln!(out)?;
    } else {
        let mut line = format!(
            "{}  pass {}: {} new article{}",
            p.started,
            p.pass,
            p.new_articles,
            if p.new_articles == 1 { "" } else { "s" }
        );
        if p.near_duplicates > 0 {
            line.push_str(&format!(" ({} near-duplicate)", p.near_duplicates));
        }
        line.push_str(&format!(
            ", {} already stored, {} unchanged; linked {}: {} claims, findings +{} contradict +{} update +{} agree",
            p.already_present, p.unchanged, p.linked, p.claims, p.contradict, p.update, p.agree
        ));
        if p.problems > 0 {
            line.push_str(&format!(
                "; {} skipped",
                crate::output::count(p.problems as u64, "item", "items")
            ));
        }
        writeln!(out, "{line}")?;
        for f in &p.failed_sources {
            writeln!(out, "    could not read {}", crate::output::safe(f))?;
        }
    }
    out.flush()?;
    Ok(())
}
