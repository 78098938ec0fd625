//! Scores incremental story clustering on the visible ECB+ topics:
//! `cargo run --release -p storyline-eval --example stories_eval -- DIR [--out FILE] [--params JSON]`.
//!
//! `DIR` is the `ECB+` directory; `--out` writes the predicted partition
//! (`file<TAB>story`); `--params` overrides clustering knobs for tuning,
//! e.g. `--params '{"threshold":0.3}'` (fields of `StoryParams`).

use std::path::PathBuf;
use std::process::ExitCode;

use storyline_link::stories::{FeatureParams, StoryParams};

fn main() -> ExitCode {
    let mut dir = None;
    let mut out = None;
    let mut params = StoryParams::default();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--params" => {
                let json = args.next().unwrap_or_default();
                let mut base = match serde_json::to_value(params) {
                    Ok(v) => v,
                    Err(e) => {
                        eprintln!("error: {e}");
                        return ExitCode::FAILURE;
                    }
                };
                let patch: serde_json::Value = match serde_json::from_str(&json) {
                    Ok(v) => v,
                    Err(e) => {
                        eprintln!("error: --params is not JSON: {e}");
                        return ExitCode::from(2);
                    }
                };
                if let (Some(b), Some(p)) = (base.as_object_mut(), patch.as_object()) {
                    for (k, v) in p {
                        b.insert(k.clone(), v.clone());
                    }
                }
                params = match serde_json::from_value(base) {
                    Ok(p) => p,
                    Err(e) => {
                        eprintln!("error: --params: {e}");
                        return ExitCode::from(2);
                    }
                };
            }
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => {
                eprintln!("usage: stories_eval DIR [--out FILE] [--params JSON]");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: stories_eval DIR [--out FILE] [--params JSON]");
        return ExitCode::from(2);
    };
    let result = storyline_eval::stories::evaluate_with(
        &dir,
        out.as_deref(),
        &params,
        &FeatureParams::default(),
    );
    match result {
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
