//! Trains the attribution filter (`storyline_analyze::attribution::filter`)
//! on PolNeAR train and writes the model the analyze crate embeds:
//!
//! ```text
//! cargo run --release -p storyline-eval --example train_attribution_filter -- \
//!     ../shared/data/polnear/train crates/analyze/models/attribution-filter-en.bin \
//!     [EPOCHS] [POSITIVE_WEIGHT] [SHIFT] [CUE_WEIGHT] [CUE_SHIFT]
//! ```
//!
//! Candidates come from cross-fitting: train is split in two halves by
//! document order (even and odd); each half is analysed with a cue detector
//! trained as the shipped one was (5 epochs; missed-cue weight `CUE_WEIGHT`,
//! default 2, and bias shift `CUE_SHIFT`, default 0.5) on the other half, so the filter sees the detector's mistakes as they
//! are on unseen text. A candidate is positive when the loose rule matches
//! it to a gold attribution. `SHIFT` is added to the bias (a positive shift
//! keeps more). Deterministic: documents in name order, no shuffling.

use std::path::Path;
use std::process::ExitCode;

use storyline_analyze::attribution::cues::{
    candidate, cue_features, quoted_tokens, train_cues, CueExample, CueModel,
};
use storyline_analyze::attribution::filter::{candidate_features, FEATURE_VERSION};
use storyline_analyze::attribution::{find_attributions_with, AttributionModels};
use storyline_analyze::token::Lowered;
use storyline_analyze::{entities, split_sentences, tokenize};
use storyline_eval::attribution::{loose_matched, read_split, Triple};

struct Doc {
    text: String,
    gold: Vec<Triple>,
    cue: CueExample,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!(
            "usage: train_attribution_filter TRAIN_DIR OUT [EPOCHS] [POSITIVE_WEIGHT] [SHIFT]"
        );
        return ExitCode::from(2);
    }
    let num = |i: usize, d: f32| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let (epochs, pos, shift) = (num(2, 5.0) as usize, num(3, 1.0), num(4, 0.0));
    // The cue detector's settings, as the shipped one was trained.
    let (cue_weight, cue_shift) = (num(5, 2.0), num(6, 0.5));
    let split = match read_split(Path::new(&args[0])) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let docs: Vec<Doc> = split
        .into_iter()
        .map(|(_, text, gold)| {
            let tokens = tokenize(&text);
            let in_quote = quoted_tokens(&text, &tokens);
            let lower = Lowered::new(&text, &tokens);
            let mut labels = vec![false; tokens.len()];
            for g in &gold {
                if let Some(&(start, _)) = g.cue.first() {
                    let t = tokens.partition_point(|t| t.span.end <= start);
                    if let Some(l) = labels.get_mut(t) {
                        *l = true;
                    }
                }
            }
            let cue = CueExample {
                features: cue_features(&text, &tokens, &in_quote),
                gold: labels,
                train: (0..tokens.len())
                    .map(|i| candidate(&tokens, &lower, &in_quote, i))
                    .collect(),
            };
            Doc { text, gold, cue }
        })
        .collect();
    let half = |parity: usize| -> Vec<CueExample> {
        docs.iter()
            .enumerate()
            .filter(|(i, _)| i % 2 == parity)
            .map(|(_, d)| CueExample {
                features: d.cue.features.clone(),
                gold: d.cue.gold.clone(),
                train: d.cue.train.clone(),
            })
            .collect()
    };
    let fold_models: Vec<CueModel> = [1, 0]
        .into_iter()
        .map(|other| {
            let mut m = train_cues(&half(other), 5, cue_weight);
            m.shift(cue_shift);
            m
        })
        .collect();
    let mut examples = Vec::new();
    let (mut positives, mut total) = (0usize, 0usize);
    for (i, d) in docs.iter().enumerate() {
        let tokens = tokenize(&d.text);
        let sentences = split_sentences(&d.text, &tokens);
        let ents = entities(&d.text, &tokens, &sentences);
        let models = AttributionModels {
            cues: Some(&fold_models[i % 2]),
            filter: None,
        };
        let found = find_attributions_with(&d.text, &tokens, &sentences, &ents, &models);
        let pred: Vec<Triple> = found.iter().map(Triple::from_prediction).collect();
        let hit = loose_matched(&d.gold, &pred);
        positives += hit.iter().filter(|h| **h).count();
        total += hit.len();
        examples.push(CueExample {
            features: candidate_features(&d.text, &tokens, &found, models.cues),
            train: vec![true; hit.len()],
            gold: hit,
        });
    }
    println!(
        "{total} candidates from {} documents, {positives} matched ({:.3})",
        docs.len(),
        positives as f64 / total.max(1) as f64
    );
    let mut model = train_cues(&examples, epochs, pos);
    model.shift(shift);
    let bytes = model.to_bytes_versioned(0.01, FEATURE_VERSION);
    let kept: usize = examples
        .iter()
        .flat_map(|e| e.features.iter())
        .filter(|f| model.score(f) > 0.0)
        .count();
    println!("training candidates kept: {kept} of {total}");
    if let Err(e) = std::fs::write(&args[1], &bytes) {
        eprintln!("error: {}: {e}", args[1]);
        return ExitCode::FAILURE;
    }
    println!("{} weights, {} bytes", model.len(), bytes.len());
    ExitCode::SUCCESS
}
