//! Times the whole per-article analysis (`document::analyze`) on a folder
//! of `.txt` files, one thread:
//!
//! ```text
//! cargo run --release -p storyline-analyze --example analysis_speed -- /work/shared/data/polnear/train/text
//! ```

use std::process::ExitCode;
use std::time::Instant;

use storyline_analyze::document::{analyze, AnalysisContext};

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: analysis_speed DIR");
        return ExitCode::from(2);
    };
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {dir}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let ctx = AnalysisContext::default();
    let start = Instant::now();
    let mut referents = 0;
    for t in &texts {
        referents += analyze(t, &ctx).referents.len();
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} documents, {words} words, {referents} referents in {secs:.2} s: {:.0} words/s",
        texts.len(),
        words as f64 / secs.max(1e-9)
    );
    ExitCode::SUCCESS
}
