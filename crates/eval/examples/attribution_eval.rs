//! Scores quote and attribution extraction on a PolNeAR split:
//! `cargo run --release -p storyline-eval --example attribution_eval -- DIR [OUT]`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: attribution_eval DIR [OUT]");
        return ExitCode::from(2);
    };
    let out = args.next().map(PathBuf::from);
    match storyline_eval::attribution::evaluate(&dir, out.as_deref()) {
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
