//! Scores the fast time expression tagger on a TempEval-3 directory:
//! `cargo run --release -p storyline-eval --example timex_eval -- DIR [OUT]`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: timex_eval DIR [OUT]");
        return ExitCode::from(2);
    };
    let out = args.next().map(PathBuf::from);
    match storyline_eval::timex::evaluate(&dir, out.as_deref()) {
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
