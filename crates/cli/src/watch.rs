//! `storyline watch`: re-read sources on a schedule, ingest only what is
//! new, link after each pass, stop cleanly on Ctrl-C.
//!
//! A pass is an ordinary ingest with a [`Seen`] memory shared across
//! passes (unchanged files and already-fetched linked pages are skipped;
//! content hashes make anything re-read harmless) followed by an ordinary
//! link: every batch and every linked article commits on its own, so
//! stopping at any point loses nothing that was committed.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Serialize;
use storyline_engine::{Engine, IngestConfig, NoProgress};
use storyline_ingest::{Input, Seen};

use crate::args::WatchArgs;
use crate::commands::apply_read_args;
use crate::ExitStatus;

/// How often a sleeping watch checks for Ctrl-C.
const TICK: Duration = Duration::from_millis(200);

/// One pass, as printed.
#[derive(Debug, Serialize)]
struct Pass {
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

pub fn watch(engine: &Engine, args: &WatchArgs) -> Result<ExitStatus> {
    let inputs: Vec<Input> = args.sources.iter().map(|s| Input::from_arg(s)).collect();
    if inputs.contains(&Input::Stdin) {
        bail!("watch cannot re-read stdin (-): give files, folders, feeds or URLs");
    }
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

    let seen = Seen::new();
    let mut pass = 0u64;
    loop {
        pass += 1;
        let started = Instant::now();
        let mut config = IngestConfig::default();
        apply_read_args(&mut config, &args.read)?;
        config.reader.seen = Some(seen.clone());
        let summary = engine.ingest(&inputs, &config, &mut NoProgress)?;
        let link = engine.link(|_| {})?;
        let report = Pass {
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
        print_pass(&report, args.json)?;
        if args.passes.is_some_and(|n| pass >= n) || stop.load(Ordering::SeqCst) {
            break;
        }
        let next = started + args.every;
        while Instant::now() < next && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(TICK.min(next.saturating_duration_since(Instant::now())));
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
    }
    eprintln!(
        "watch stopped after {pass} pass{}",
        if pass == 1 { "" } else { "es" }
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
            line.push_str(&format!("; {} items skipped", p.problems));
        }
        writeln!(out, "{line}")?;
        for f in &p.failed_sources {
            writeln!(out, "    could not read {}", crate::output::safe(f))?;
        }
    }
    out.flush()?;
    Ok(())
}
