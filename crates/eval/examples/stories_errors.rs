//! Where story clustering merges or splits ECB+ gold stories, on the tuning
//! topics only (1–25; the later visible topics are the report side and are
//! not looked at here):
//! `cargo run --release -p storyline-eval --example stories_errors -- DIR [SEED] [--params JSON] [--dump FILE]`.
//!
//! Prints each predicted story that mixes gold stories, with its documents'
//! heaviest entities and times, then the split gold stories.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use storyline_analyze::document::{analyze, AnalysisContext};
use storyline_eval::stories::{b3, cluster, prepare, read_tuning_corpus, shuffled, DEFAULT_SEED};
use storyline_link::stories::{
    Clusterer, FeatureParams, MemStoryIndex, StoryFeatures, StoryId, StoryIndex, StoryParams,
};

fn top(m: &BTreeMap<String, f32>, n: usize) -> String {
    let mut v: Vec<(&String, &f32)> = m.iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
    v.into_iter()
        .take(n)
        .map(|(k, w)| format!("{k}:{w}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Replays the stream and prints each join into a story whose majority is
/// another gold story, with the score per channel.
fn trace(
    docs: &[storyline_eval::stories::EcbDocument],
    gold: &[String],
    features: &[StoryFeatures],
    order: &[usize],
    params: &StoryParams,
) {
    let c = Clusterer::new(*params);
    let mut index = MemStoryIndex::default();
    let mut members: BTreeMap<StoryId, Vec<usize>> = BTreeMap::new();
    let only = |t: f32, e: f32, y: f32, n: f32| {
        Clusterer::new(StoryParams {
            term_weight: t,
            entity_weight: e,
            time_weight: y,
            number_weight: n,
            decay_days: 0.0,
            ..*params
        })
    };
    let channels = [
        only(1.0, 0.0, 0.0, 0.0),
        only(0.0, 1.0, 0.0, 0.0),
        only(0.0, 0.0, 1.0, 0.0),
        only(0.0, 0.0, 0.0, 1.0),
    ];
    for (step, &i) in order.iter().enumerate() {
        let f = &features[i];
        // Channel scores against every existing story of the doc's topic,
        // before the doc is counted (explain reads today's frequencies).
        let before = index.clone();
        let Ok(a) = c.assign(&mut index, f, None);
        let m = members.entry(a.story).or_default();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for &j in m.iter() {
            *counts.entry(gold[j].as_str()).or_default() += 1;
        }
        let majority = counts.iter().max_by_key(|x| *x.1).map(|x| *x.0);
        if let (false, Some(maj)) = (a.new_story, majority) {
            if maj != gold[i] {
                let Ok(sketch) = before.sketch(a.story);
                let sketch = sketch.unwrap_or_default();
                let ch: Vec<String> = channels
                    .iter()
                    .map(|cc| {
                        let Ok(x) = cc.explain(&before, f, &sketch);
                        format!("{x:.2}")
                    })
                    .collect();
                println!(
                    "bad join #{step} {} ({}) -> {} {counts:?} score {:.3} t/e/y/n {}",
                    docs[i].file,
                    gold[i],
                    a.story,
                    a.score,
                    ch.join("/")
                );
            }
        }
        m.push(i);
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: stories_errors DIR [SEED]");
        return ExitCode::from(2);
    };
    let mut seed = DEFAULT_SEED;
    let mut dump = None;
    let mut patch: Option<String> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--dump" => dump = args.next().map(PathBuf::from),
            "--params" => patch = args.next(),
            s => seed = s.parse().unwrap_or(DEFAULT_SEED),
        }
    }
    let docs = match read_tuning_corpus(&dir) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
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
    let mut params = serde_json::to_value(StoryParams::default()).unwrap_or_default();
    if let (Some(b), Some(p)) = (
        params.as_object_mut(),
        patch.and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok()),
    ) {
        for (k, v) in p.as_object().into_iter().flatten() {
            b.insert(k.clone(), v.clone());
        }
    }
    let Ok(params) = serde_json::from_value::<StoryParams>(params) else {
        eprintln!("error: --params");
        return ExitCode::from(2);
    };
    let gold: Vec<String> = docs.iter().map(|d| d.gold()).collect();
    trace(
        &docs,
        &gold,
        &features,
        &shuffled(docs.len(), seed),
        &params,
    );
    let pred = cluster(&features, &shuffled(docs.len(), seed), &params);
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
                "  {} [{}] times [{}] numbers [{}]",
                docs[i].file,
                top(&f.entities, 6),
                top(&f.times, 4),
                top(&f.numbers, 5)
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
