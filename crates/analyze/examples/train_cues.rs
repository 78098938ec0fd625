//! Trains the learnt attribution-cue detector on PolNeAR brat files and
//! writes the model the crate embeds:
//!
//! ```text
//! cargo run --release -p storyline-analyze --example train_cues -- \
//!     /work/shared/data/polnear/train /work/shared/data/polnear/dev \
//!     crates/analyze/models/cues-en.bin [EPOCHS] [POSITIVE_WEIGHT] [THRESHOLD] [MIN_WEIGHT]
//! ```
//!
//! Each split directory holds `text/NAME.txt` and
//! `attributions/NAME_ANNOTATOR.ann` (the first annotation of a name is
//! used). A token is a positive example when a `Cue` fragment starts in it;
//! only candidate tokens are trained on (words outside quotations that the
//! cue lexicon does not hold). Prints token precision and recall on the
//! second directory (model selection only). Deterministic: documents in
//! name order, no shuffling.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use storyline_analyze::attribution::cues::{
    candidate, cue_features, quoted_tokens, train_cues, CueExample,
};
use storyline_analyze::token::Lowered;
use storyline_analyze::tokenize;

fn read_split(dir: &Path) -> Result<Vec<CueExample>, String> {
    let list = |d: PathBuf| -> Result<Vec<PathBuf>, String> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(&d)
            .map_err(|e| format!("{}: {e}", d.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        v.sort();
        Ok(v)
    };
    let mut by_name: BTreeMap<String, (PathBuf, PathBuf)> = BTreeMap::new();
    for ann in list(dir.join("attributions"))? {
        let Some(stem) = ann.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let Some((name, _)) = stem.rsplit_once('_') else {
            continue;
        };
        let txt = dir.join("text").join(format!("{name}.txt"));
        if txt.is_file() && !by_name.contains_key(name) {
            by_name.insert(name.to_string(), (txt, ann));
        }
    }
    let mut out = Vec::new();
    for (txt, ann) in by_name.values() {
        let text = std::fs::read_to_string(txt).map_err(|e| format!("{}: {e}", txt.display()))?;
        let ann = std::fs::read_to_string(ann).map_err(|e| format!("{}: {e}", ann.display()))?;
        let bytes: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .chain([text.len()])
            .collect();
        let tokens = tokenize(&text);
        let mut gold = vec![false; tokens.len()];
        for line in ann.lines() {
            let mut cols = line.split('\t');
            let (Some(id), Some(body)) = (cols.next(), cols.next()) else {
                continue;
            };
            let Some(ranges) = body.strip_prefix("Cue ") else {
                continue;
            };
            if !id.starts_with('T') {
                continue;
            }
            let first = ranges.split(';').next().unwrap_or("");
            let Some(start) = first
                .split_whitespace()
                .next()
                .and_then(|s| s.parse::<usize>().ok())
                .and_then(|c| bytes.get(c).copied())
            else {
                continue;
            };
            let t = tokens.partition_point(|t| t.span.end <= start);
            if let Some(g) = gold.get_mut(t) {
                *g = true;
            }
        }
        let in_quote = quoted_tokens(&text, &tokens);
        let lower = Lowered::new(&text, &tokens);
        let train = (0..tokens.len())
            .map(|i| candidate(&tokens, &lower, &in_quote, i))
            .collect();
        out.push(CueExample {
            features: cue_features(&text, &tokens, &in_quote),
            gold,
            train,
        });
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: train_cues TRAIN_DIR DEV_DIR OUT [EPOCHS] [POSITIVE_WEIGHT] [THRESHOLD] [MIN_WEIGHT]");
        return ExitCode::from(2);
    }
    let num = |i: usize, d: f32| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let epochs = num(3, 8.0) as usize;
    let pos = num(4, 1.0);
    let threshold = num(5, 0.0);
    let min_weight = num(6, 0.05);
    let (train, dev) = match (
        read_split(Path::new(&args[0])),
        read_split(Path::new(&args[1])),
    ) {
        (Ok(t), Ok(d)) => (t, d),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut model = train_cues(&train, epochs, pos);
    model.shift(-threshold);
    let bytes = model.to_bytes(min_weight);
    let shipped = match storyline_analyze::attribution::cues::CueModel::from_bytes(&bytes) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (name, docs) in [("train", &train), ("dev", &dev)] {
        let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
        for d in docs.iter() {
            for (i, f) in d.features.iter().enumerate() {
                if !d.train[i] {
                    continue;
                }
                match (shipped.score(f) > 0.0, d.gold[i]) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fneg += 1,
                    _ => {}
                }
            }
        }
        let p = tp as f64 / (tp + fp).max(1) as f64;
        let r = tp as f64 / (tp + fneg).max(1) as f64;
        println!("{name}: candidate-token cue P {p:.3} R {r:.3} (tp {tp} fp {fp} fn {fneg})");
    }
    println!("{} weights, {} bytes", shipped.len(), bytes.len());
    if let Err(e) = std::fs::write(&args[2], &bytes) {
        eprintln!("error: {}: {e}", args[2]);
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
