//! Where story clustering merges or splits ECB+ gold stories, on the tuning
//! topics only (1–25; the later visible topics are the report side and are
//! not looked at here):
//! `cargo run --release -p storyline-eval --example stories_errors -- DIR [SEED]`.
//!
//! Prints each predicted story that mixes gold stories, with its documents'
//! heaviest entities and times, then the split gold stories.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use storyline_eval::stories::{
    b3, cluster, prepare, read_corpus, shuffled, DEFAULT_SEED, TUNE_LAST_TOPIC,
};
use storyline_analyze::document::{analyze, AnalysisContext};
use storyline_link::stories::{FeatureParams, StoryFeatures, StoryParams};

fn top(m: &BTreeMap<String, f32>, n: usize) -> String {
    let mut v: Vec<(&String, &f32)> = m.iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    v.into_iter()
        .take(n)
        .map(|(k, w)| format!("{k}:{w}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: stories_errors DIR [SEED]");
        return ExitCode::from(2);
    };
    let mut seed = DEFAULT_SEED;
    let mut dump = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dump" => dump = args.next().map(PathBuf::from),
            s => seed = s.parse().unwrap_or(DEFAULT_SEED),
        }
    }
    let docs = match read_corpus(&dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let docs: Vec<_> = docs
        .into_iter()
        .filter(|d| d.topic <= TUNE_LAST_TOPIC)
        .collect();
    let features: Vec<StoryFeatures> = prepare(&docs, &FeatureParams::default());
    if let Some(path) = dump {
        // One JSON object per line: file, gold story, text, analysis and
        // features, for analysis outside Rust.
        let mut out = String::new();
        for (d, f) in docs.iter().zip(&features) {
            let a = analyze(&d.text, &AnalysisContext::default());
            let line = serde_json::json!({
                "file": d.file, "gold": d.gold(), "text": d.text,
                "analysis": a, "features": f,
            });
            out.push_str(&line.to_string());
            out.push('\n');
        }
        if let Err(e) = std::fs::write(&path, out) {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    let params = StoryParams::default();
    let pred = cluster(&features, &shuffled(docs.len(), seed), &params);
    let gold: Vec<String> = docs.iter().map(|d| d.gold()).collect();
    println!("B3 {:?}", b3(&gold, &pred));
    let mut by_pred: BTreeMap<_, Vec<usize>> = BTreeMap::new();
    for (i, p) in pred.iter().enumerate() {
        by_pred.entry(*p).or_default().push(i);
    }
    for (p, idx) in &by_pred {
        let mut golds: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in idx {
            *golds.entry(gold[i].as_str()).or_default() += 1;
        }
        if golds.len() < 2 {
            continue;
        }
        println!("== {p} {golds:?}");
        for &i in idx {
            let f = &features[i];
            println!(
                "  {} [{}] times [{}]",
                docs[i].file,
                top(&f.entities, 6),
                top(&f.times, 4)
            );
        }
    }
    let mut by_gold: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for (g, p) in gold.iter().zip(&pred) {
        *by_gold
            .entry(g.as_str())
            .or_default()
            .entry(p.to_string())
            .or_default() += 1;
    }
    println!("== split gold stories");
    for (g, ps) in by_gold {
        if ps.len() > 1 {
            println!("  {g} {ps:?}");
        }
    }
    ExitCode::SUCCESS
}
