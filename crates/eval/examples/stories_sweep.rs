//! Scores story knobs on the ECB+ tuning topics only (1–25), for comparing
//! variants before the `--folds` run:
//! `cargo run --release -p storyline-eval --example stories_sweep -- DIR PATCH...`.
//!
//! Each `PATCH` is a JSON object of `StoryParams` fields over the defaults
//! (`'{"number_weight":0.5}'`), or `features:` and an object of
//! `FeatureParams` fields, which the later patches are scored with; prints, per patch, the mean and worst B³ F1
//! over the five stream orders `--folds` averages, and the headline order's
//! precision and recall.

use std::path::PathBuf;
use std::process::ExitCode;

use storyline_eval::stories::{
    b3, cluster, prepare, read_tuning_corpus, shuffled, DEFAULT_SEED, EXTRA_SEEDS,
};
use storyline_link::stories::{FeatureParams, StoryParams};

fn patched<T: serde::Serialize + serde::de::DeserializeOwned + Default>(
    json: &str,
) -> Result<T, String> {
    let mut base = serde_json::to_value(T::default()).map_err(|e| e.to_string())?;
    let patch: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if let (Some(b), Some(p)) = (base.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            b.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(base).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: stories_sweep DIR PATCH...");
        return ExitCode::from(2);
    };
    let docs = match read_tuning_corpus(&dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut features = prepare(&docs, &FeatureParams::default());
    let gold: Vec<String> = docs.iter().map(|d| d.gold()).collect();
    for patch in args {
        if let Some(f) = patch.strip_prefix("features:") {
            match patched::<FeatureParams>(f) {
                Ok(fp) => features = prepare(&docs, &fp),
                Err(e) => {
                    eprintln!("error: {patch}: {e}");
                    return ExitCode::from(2);
                }
            }
            println!("{patch}");
            continue;
        }
        let params: StoryParams = match patched(&patch) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {patch}: {e}");
                return ExitCode::from(2);
            }
        };
        let runs: Vec<_> = std::iter::once(DEFAULT_SEED)
            .chain(EXTRA_SEEDS)
            .map(|seed| {
                b3(
                    &gold,
                    &cluster(&features, &shuffled(features.len(), seed), &params),
                )
            })
            .collect();
        let mean = runs.iter().map(|r| r.f1).sum::<f64>() / runs.len() as f64;
        let worst = runs.iter().map(|r| r.f1).fold(f64::INFINITY, f64::min);
        println!(
            "mean {mean:.4} worst {worst:.4} head P {:.4} R {:.4}  {patch}",
            runs[0].precision, runs[0].recall
        );
    }
    ExitCode::SUCCESS
}
