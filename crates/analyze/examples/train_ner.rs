//! Trains the fast-tier entity tagger and writes the model file.
//!
//! ```text
//! cargo run --release -p storyline-analyze --example train_ner -- \
//!     /work/shared/data/conll2003/train.txt /work/shared/data/conll2003/valid.txt \
//!     crates/analyze/models/ner-en.bin [epochs] [min_weight] [unlabelled.csv ...]
//! ```
//!
//! Word classes are induced from the training words (labels unused) plus the
//! `text` column of the unlabelled CSV files given (the gaza2023 BBC corpus).
//! `RARE_DOC_FREQ=n` sets [`TrainConfig::rare_doc_freq`] (default 1; 0 turns
//! rare-word identity hiding off). Deterministic: the same data and arguments
//! give the same bytes.
//!
//! `SELECT_FROM_TRAIN=n` holds out every `n`th training document (the 1st,
//! `n+1`th, …) as the selection set the best epoch is chosen on, trains on
//! the rest, and scores the chosen model on DEV afterwards, so DEV's figure
//! is out of sample for the epoch choice (issue 18: tuning that
//! generalises). Without it DEV chooses the epoch, as before.

use std::process::ExitCode;
use std::time::Instant;

use std::collections::HashMap;

use storyline_analyze::ner::clusters::induce;
use storyline_analyze::ner::train::{read_conll, score_documents, train, ConllDoc, TrainConfig};
use storyline_analyze::ner::{EntityLabel, NerModel};
use storyline_analyze::{model_form, split_sentences, tokenize};

/// Parses a Python list-of-strings literal (`['a', "b's"]`), as the BBC CSV stores paragraphs.
fn python_strings(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' && c != '"' {
            continue;
        }
        let quote = c;
        let mut cur = String::new();
        while let Some(d) = chars.next() {
            match d {
                '\\' => match chars.next() {
                    Some('n') => cur.push('\n'),
                    Some('t') => cur.push('\t'),
                    Some('x') => {
                        let h: String = chars.by_ref().take(2).collect();
                        if let Some(ch) = u32::from_str_radix(&h, 16).ok().and_then(char::from_u32)
                        {
                            cur.push(ch);
                        }
                    }
                    Some('u') => {
                        let h: String = chars.by_ref().take(4).collect();
                        if let Some(ch) = u32::from_str_radix(&h, 16).ok().and_then(char::from_u32)
                        {
                            cur.push(ch);
                        }
                    }
                    Some(e) => cur.push(e),
                    None => break,
                },
                d if d == quote => break,
                d => cur.push(d),
            }
        }
        out.push(cur);
    }
    out
}

/// Sentences of model-form tokens from the `text` column of a CSV file.
fn unlabelled_sentences(path: &str) -> Result<Vec<Vec<String>>, String> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("{path}: {e}"))?;
    let headers = reader
        .headers()
        .map_err(|e| format!("{path}: {e}"))?
        .clone();
    let col = headers
        .iter()
        .position(|h| h == "text")
        .ok_or_else(|| format!("{path}: no `text` column"))?;
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{path}: {e}"))?;
        let Some(field) = record.get(col) else {
            continue;
        };
        for para in python_strings(field) {
            let tokens = tokenize(&para);
            for s in split_sentences(&para, &tokens) {
                out.push(
                    tokens[s.tokens]
                        .iter()
                        .map(|t| model_form(t.text(&para)).into_owned())
                        .collect(),
                );
            }
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: train_ner TRAIN.txt DEV.txt OUT.bin [epochs] [min_weight]");
        return ExitCode::from(2);
    }
    let read = |p: &str| -> Result<_, String> {
        let text = std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?;
        read_conll(&text).map_err(|e| format!("{p}: {e}"))
    };
    let (train_docs, dev_docs) = match (read(&args[0]), read(&args[1])) {
        (Ok(t), Ok(d)) => (t, d),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Every `n`th training document chooses the epoch instead of DEV.
    let hold_out: Option<usize> = std::env::var("SELECT_FROM_TRAIN")
        .ok()
        .and_then(|s| s.parse().ok())
        .filter(|&n| n >= 2);
    let (train_docs, select_docs, report_docs): (Vec<ConllDoc>, Vec<ConllDoc>, Vec<ConllDoc>) =
        match hold_out {
            Some(n) => {
                let (select, fit): (Vec<_>, Vec<_>) = train_docs
                    .into_iter()
                    .enumerate()
                    .partition(|(i, _)| i % n == 0);
                (
                    fit.into_iter().map(|(_, d)| d).collect(),
                    select.into_iter().map(|(_, d)| d).collect(),
                    dev_docs,
                )
            }
            None => (train_docs, dev_docs, Vec::new()),
        };
    let dev_docs = select_docs;
    let mut config = TrainConfig::default();
    if let Some(e) = args.get(3).and_then(|s| s.parse().ok()) {
        config.epochs = e;
    }
    if let Some(w) = args.get(4).and_then(|s| s.parse().ok()) {
        config.min_weight = w;
    }
    if let Some(r) = std::env::var("RARE_DOC_FREQ")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        config.rare_doc_freq = r;
    }
    println!(
        "train: {} documents, dev: {} documents, {:?}",
        train_docs.len(),
        dev_docs.len(),
        config
    );
    let t0 = Instant::now();
    let mut raw: Vec<Vec<String>> = train_docs
        .iter()
        .flat_map(|d| d.sentences.iter().map(|s| s.words.clone()))
        .collect();
    for path in args.iter().skip(5) {
        match unlabelled_sentences(path) {
            Ok(s) => {
                println!("{path}: {} unlabelled sentences", s.len());
                raw.extend(s);
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let coarse = induce(&raw, 32, 15, 3);
    let fine = induce(&raw, 256, 15, 3);
    let classes: HashMap<String, [u16; 2]> = fine
        .into_iter()
        .filter_map(|(w, f)| coarse.get(&w).map(|&c| (w, [c, f])))
        .collect();
    println!(
        "word classes: {} words in {:.0}s",
        classes.len(),
        t0.elapsed().as_secs_f64()
    );
    let outcome = train(&train_docs, &dev_docs, &classes, &config, |r| {
        let o = r.dev.overall();
        let per: Vec<String> = EntityLabel::ALL
            .iter()
            .map(|&l| format!("{l} {:.2}", r.dev.label(l).f1))
            .collect();
        println!(
            "epoch {:2}  dev P {:.2} R {:.2} F1 {:.2}  [{}]  train errors {}  features {}/{}  {:.2} MB  {:.0}s",
            r.epoch,
            o.precision,
            o.recall,
            o.f1,
            per.join(", "),
            r.train_errors,
            r.features_kept,
            r.features_seen,
            r.model_bytes as f64 / 1e6,
            t0.elapsed().as_secs_f64()
        );
    });
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(&args[2], &outcome.model) {
        eprintln!("error: {}: {e}", args[2]);
        return ExitCode::FAILURE;
    }
    println!(
        "best epoch {} {} F1 {:.2}; wrote {} ({} bytes)",
        outcome.best_epoch,
        if hold_out.is_some() {
            "selection (held-out train)"
        } else {
            "dev"
        },
        outcome.best_f1,
        args[2],
        outcome.model.len()
    );
    if hold_out.is_some() {
        let model = match NerModel::from_bytes(&outcome.model) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("error: reading back the model: {e}");
                return ExitCode::FAILURE;
            }
        };
        let counts = score_documents(&model, &report_docs);
        let o = counts.overall();
        let per: Vec<String> = EntityLabel::ALL
            .iter()
            .map(|&l| format!("{l} {:.2}", counts.label(l).f1))
            .collect();
        println!(
            "{} (not used to choose): P {:.2} R {:.2} F1 {:.2}  [{}]",
            args[1],
            o.precision,
            o.recall,
            o.f1,
            per.join(", ")
        );
    }
    ExitCode::SUCCESS
}
