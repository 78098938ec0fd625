//! `storyline bench`: throughput measured on any input, into a throwaway store.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use storyline_engine::{Engine, IngestConfig, NoProgress};
use storyline_ingest::Input;

use crate::args::{BenchAnalyzeArgs, BenchIngestArgs};
use crate::output::print_json;
use crate::ExitStatus;

/// Ingests `copies` copies of the inputs (each copy's text carries a copy
/// marker, so every copy gets new ids and is really stored and indexed) into
/// a temporary store, and prints articles/s, MB/s and peak RSS as JSON.
pub fn ingest(args: &BenchIngestArgs) -> Result<ExitStatus> {
    let tmp = tempfile::tempdir().context("creating a temporary data directory")?;
    let engine = Engine::open(tmp.path()).context("opening the temporary store")?;
    let inputs: Vec<Input> = args.inputs.iter().map(|a| Input::from_arg(a)).collect();
    let input_bytes: u64 = args.inputs.iter().map(|a| size_of(Path::new(a))).sum();
    let config = IngestConfig {
        batch_size: args.batch_size.max(1),
        analyze: !args.no_analysis,
        ..IngestConfig::default()
    };
    let copies = args.copies.max(1);
    let start = Instant::now();
    let mut read = 0u64;
    let mut inserted = 0u64;
    let mut per_copy = Vec::with_capacity(copies);
    let mut link_per_copy = Vec::new();
    for copy in 0..copies {
        let t = Instant::now();
        let summary = engine.ingest_with(
            &inputs,
            &config,
            &|draft| storyline_engine::queue::mark_copy(draft, copy),
            &mut NoProgress,
        )?;
        read += summary.read;
        inserted += summary.inserted;
        per_copy.push(t.elapsed().as_secs_f64());
        if args.link {
            let t = Instant::now();
            let report = engine.link(|_| {})?;
            let secs = t.elapsed().as_secs_f64();
            link_per_copy.push(serde_json::json!({
                "copy": copy,
                "store_articles_before": inserted - summary.inserted,
                "linked": report.articles,
                "seconds": secs,
                "ms_per_article": secs * 1e3 / report.articles.max(1) as f64,
            }));
        }
    }
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let total_bytes = input_bytes * copies as u64;
    print_json(&serde_json::json!({
        "inputs": args.inputs,
        "copies": copies,
        "analysis": !args.no_analysis,
        "articles_read": read,
        "articles_stored": inserted,
        "input_mb": total_bytes as f64 / 1e6,
        "seconds": secs,
        "articles_per_s": read as f64 / secs,
        "mb_per_s": total_bytes as f64 / 1e6 / secs,
        "seconds_per_copy": per_copy,
        "link_per_copy": link_per_copy,
        "peak_rss_mb": peak_rss_mb(),
        "threads": rayon_threads(),
    }))?;
    Ok(ExitStatus::Success)
}

/// Reads the inputs first (not timed), then times the whole per-article
/// analysis over all texts on a rayon pool, and prints words/s as JSON.
pub fn analyze(args: &BenchAnalyzeArgs) -> Result<ExitStatus> {
    use rayon::prelude::*;
    let options = storyline_ingest::IngestOptions::default();
    let mut drafts = Vec::new();
    for arg in &args.inputs {
        storyline_ingest::read(&Input::from_arg(arg), &options, &mut |event| {
            if let storyline_ingest::Event::Article(d) = event {
                drafts.push(*d);
            }
        })
        .with_context(|| format!("reading {arg}"))?;
    }
    let threads = args.threads.unwrap_or_else(rayon_threads).max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("starting worker threads")?;
    let words: usize = drafts
        .iter()
        .map(|d| d.text.split_whitespace().count())
        .sum();
    let bytes: usize = drafts.iter().map(|d| d.text.len()).sum();
    let start = Instant::now();
    let counts: Vec<[usize; 5]> = pool.install(|| {
        drafts
            .par_iter()
            .map(|d| {
                let a = storyline_engine::analysis::analyze_draft(d);
                [
                    a.entities.len(),
                    a.timexes.len(),
                    a.attributions.len(),
                    a.figures.len(),
                    a.events.len(),
                ]
            })
            .collect()
    });
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let total = |i: usize| counts.iter().map(|c| c[i]).sum::<usize>();
    print_json(&serde_json::json!({
        "inputs": args.inputs,
        "articles": drafts.len(),
        "words": words,
        "mb": bytes as f64 / 1e6,
        "threads": threads,
        "seconds": secs,
        "words_per_s": words as f64 / secs,
        "articles_per_s": drafts.len() as f64 / secs,
        "found": {
            "entities": total(0), "timexes": total(1), "attributions": total(2),
            "figures": total(3), "events": total(4),
        },
        "peak_rss_mb": peak_rss_mb(),
        "analyzer": storyline_engine::analysis::ANALYZER,
    }))?;
    Ok(ExitStatus::Success)
}

fn rayon_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

/// Bytes under a path (files counted once; directories walked).
fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else {
        return 0;
    };
    if meta.is_file() {
        return meta.len();
    }
    let mut total = 0;
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(t) if t.is_file() => total += e.metadata().map(|m| m.len()).unwrap_or(0),
                _ => {}
            }
        }
    }
    total
}

/// Peak resident set size in MB (Linux: VmHWM), or null elsewhere.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
