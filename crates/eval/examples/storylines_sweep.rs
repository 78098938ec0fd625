//! Sweeps story-clustering knobs over labelled real coverage and prints
//! storyline and development B³ per setting, on the `dev` and `test` folds
//! of the labelled articles (a fold is a hash of the CSV row): choose on
//! `dev`, report `test`.
//!
//! `cargo run --release -p storyline-eval --example storylines_sweep -- CSV LABELS_DIR [JSON…]`
//! where each JSON patches `StoryParams` (`{"threshold":0.15}`); with none,
//! the defaults are scored. `"two_level":true` clusters stories first (with
//! the defaults, patched by a `"stories":{…}` object) and storylines over them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use storyline_analyze::document::{analyze, AnalysisContext};
use storyline_eval::coverage::{read_storylines, score_storylines};
use storyline_ingest::{read, Event, IngestOptions, Input};
use storyline_link::stories::{StoryFeatures, StoryParams};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(csv), Some(labels)) = (args.first(), args.get(1)) else {
        eprintln!("usage: storylines_sweep CSV LABELS_DIR [PARAMS_JSON…]");
        return ExitCode::from(2);
    };
    let labels = match read_storylines(&PathBuf::from(labels).join("storylines.tsv")) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut drafts = Vec::new();
    let input = Input::Path(PathBuf::from(csv));
    if let Err(e) = read(&input, &IngestOptions::default(), &mut |ev| {
        if let Event::Article(d) = ev {
            drafts.push(*d);
        }
    }) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    // Stream order: by publication time, as a feed would deliver them.
    drafts.sort_by(|a, b| {
        a.published
            .as_ref()
            .map(|t| t.to_string())
            .cmp(&b.published.as_ref().map(|t| t.to_string()))
    });
    let features: Vec<(u64, StoryFeatures)> = drafts
        .iter()
        .filter_map(|d| {
            let row = d.origin.location.record?;
            let a = analyze(&d.text, &AnalysisContext::default());
            Some((
                row,
                StoryFeatures::new(&d.text, d.title.as_deref(), &a, d.published.as_ref()),
            ))
        })
        .collect();
    let mut settings: Vec<String> = args[2..].to_vec();
    if settings.is_empty() {
        settings.push("{}".into());
    }
    for json in settings {
        let mut base = serde_json::to_value(StoryParams::default()).unwrap_or_default();
        if let (Some(b), Ok(serde_json::Value::Object(p))) = (
            base.as_object_mut(),
            serde_json::from_str::<serde_json::Value>(&json),
        ) {
            for (k, v) in p {
                b.insert(k, v);
            }
        }
        let Ok(params) = serde_json::from_value::<StoryParams>(base) else {
            eprintln!("error: bad params {json}");
            return ExitCode::from(2);
        };
        let fs: Vec<StoryFeatures> = features.iter().map(|(_, f)| f.clone()).collect();
        let order: Vec<usize> = (0..fs.len()).collect();
        // Two levels when asked (`"two_level":true` is read off the JSON):
        // stories with the default knobs, then each story's first article
        // decides its storyline with these knobs and the rest follow.
        let two_level = json.contains("\"two_level\":true");
        let stories = if two_level {
            // `"stories":{…}` patches the first level's knobs.
            let mut first = serde_json::to_value(StoryParams::default()).unwrap_or_default();
            if let (Some(b), Ok(serde_json::Value::Object(p))) = (
                first.as_object_mut(),
                serde_json::from_str::<serde_json::Value>(&json)
                    .map(|v| v.get("stories").cloned().unwrap_or_default()),
            ) {
                for (k, v) in p {
                    b.insert(k, v);
                }
            }
            let Ok(first) = serde_json::from_value::<StoryParams>(first) else {
                eprintln!("error: bad stories params {json}");
                return ExitCode::from(2);
            };
            let dev = storyline_eval::stories::cluster(&fs, &order, &first);
            let clusterer = storyline_link::stories::Clusterer::new(params);
            let mut index = storyline_link::stories::MemStoryIndex::default();
            fs.iter()
                .zip(&dev)
                .map(|(f, d)| {
                    let group = format!("story:{d:?}");
                    let Ok(a) = clusterer.assign(&mut index, f, Some(&group));
                    a.story
                })
                .collect()
        } else {
            storyline_eval::stories::cluster(&fs, &order, &params)
        };
        let predicted: HashMap<u64, String> = features
            .iter()
            .zip(&stories)
            .map(|((row, _), s)| (*row, format!("{s:?}")))
            .collect();
        let scores = score_storylines(&labels, &predicted);
        for (f, s) in &scores.folds {
            println!(
                "{json}\t{f}\tstoryline F1 {:.3} (P {:.3} R {:.3})\tdevelopment F1 {:.3}\tstories {}\talone {:.3}",
                s.storyline_b3.f1,
                s.storyline_b3.precision,
                s.storyline_b3.recall,
                s.development_b3.f1,
                s.predicted_stories,
                s.wrongly_alone
            );
        }
    }
    ExitCode::SUCCESS
}
