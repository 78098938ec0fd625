//! Error analysis of attribution on a PolNeAR split (development only; use
//! `dev`, never a held-back split): one line per missed gold attribution and
//! per unmatched prediction, tab-separated, with a category.
//! `cargo run --release -p storyline-eval --example attribution_errors -- DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: attribution_errors DIR");
        return ExitCode::from(2);
    };
    match storyline_eval::attribution::diagnose(&dir) {
        Ok(s) => {
            print!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
