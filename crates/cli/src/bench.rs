//! `storyline bench`: throughput measured on any input, into a throwaway store.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use storyline_engine::{Engine, IngestConfig, NoProgress};
use storyline_ingest::Input;

use crate::args::BenchIngestArgs;
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
        ..IngestConfig::default()
    };
    let copies = args.copies.max(1);
    let start = Instant::now();
    let mut read = 0u64;
    let mut inserted = 0u64;
    let mut per_copy = Vec::with_capacity(copies);
    for copy in 0..copies {
        let t = Instant::now();
        let mark = format!("\n[bench copy {copy}]");
        let summary = engine.ingest_with(
            &inputs,
            &config,
            &|draft| {
                if copy > 0 {
                    draft.text.push_str(&mark);
                }
            },
            &mut NoProgress,
        )?;
        read += summary.read;
        inserted += summary.inserted;
        per_copy.push(t.elapsed().as_secs_f64());
    }
    let secs = start.elapsed().as_secs_f64().max(1e-9);
    let total_bytes = input_bytes * copies as u64;
    print_json(&serde_json::json!({
        "inputs": args.inputs,
        "copies": copies,
        "articles_read": read,
        "articles_stored": inserted,
        "input_mb": total_bytes as f64 / 1e6,
        "seconds": secs,
        "articles_per_s": read as f64 / secs,
        "mb_per_s": total_bytes as f64 / 1e6 / secs,
        "seconds_per_copy": per_copy,
        "peak_rss_mb": peak_rss_mb(),
        "threads": rayon_threads(),
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
