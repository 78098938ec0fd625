//! Builds and scores timelines on Timeline17:
//! `cargo run --release -p storyline-eval --example tls_eval -- DIR [--out OUT] [--grid PARAMS.json]`.
//!
//! `DIR` holds one folder per topic (`timeline17/`); with `--out`, the
//! predicted timelines go to `OUT/<topic>/timelines.jsonl`. For tuning,
//! `--grid` takes a JSON list of `TimelineParams` and prints one line of
//! overall scores per entry, analysing the articles once.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut dir = None;
    let mut out = None;
    let mut grid = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => match args.next() {
                Some(o) => out = Some(PathBuf::from(o)),
                None => {
                    eprintln!("usage: tls_eval DIR [--out OUT]");
                    return ExitCode::from(2);
                }
            },
            "--grid" => grid = args.next().map(PathBuf::from),
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ if out.is_none() => out = Some(PathBuf::from(a)),
            _ => {
                eprintln!("usage: tls_eval DIR [--out OUT]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: tls_eval DIR [--out OUT]");
        return ExitCode::from(2);
    };
    if let Some(grid) = grid {
        return run_grid(&dir, &grid);
    }
    match storyline_eval::tls::evaluate(&dir, out.as_deref()) {
        Ok(report) => match serde_json::to_string_pretty(&report) {
            Ok(s) => {
                println!("{s}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_grid(dir: &std::path::Path, grid: &std::path::Path) -> ExitCode {
    let params: Vec<storyline_link::timeline::TimelineParams> = match std::fs::read_to_string(grid)
        .map_err(|e| e.to_string())
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}: {e}", grid.display());
            return ExitCode::FAILURE;
        }
    };
    match storyline_eval::tls::evaluate_grid(dir, &params) {
        Ok(reports) => {
            for (p, r) in params.iter().zip(reports) {
                let topics: Vec<String> = r
                    .per_topic
                    .iter()
                    .map(|(k, t)| format!("{k}={:.3}/{:.3}", t.scores.ar1_f, t.scores.date_f1))
                    .collect();
                println!(
                    "ar1 {:.4} ar2 {:.4} date {:.4} | {} | {}",
                    r.ar1_f,
                    r.ar2_f,
                    r.date_f1,
                    serde_json::to_string(p).unwrap_or_default(),
                    topics.join(" ")
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
