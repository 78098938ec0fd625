//! Measures single-thread throughput of tokenising, sentence splitting and
//! entity tagging.
//!
//! ```text
//! cargo run --release -p storyline-analyze --example ner_speed -- /work/shared/data/conll2003/valid.txt
//! ```
//!
//! Tags the CoNLL file's documents (tagging only), then runs the full text
//! pipeline over the same words joined into plain text.

use std::process::ExitCode;
use std::time::Instant;

use storyline_analyze::ner::train::read_conll;
use storyline_analyze::{entities, split_sentences, tokenize, NerModel};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: ner_speed CONLL.txt");
        return ExitCode::from(2);
    };
    let docs = match std::fs::read_to_string(&path)
        .map_err(|e| e.to_string())
        .and_then(|t| read_conll(&t).map_err(|e| e.to_string()))
    {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let model = match NerModel::embedded() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let words: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| {
            d.sentences
                .iter()
                .map(|s| s.words.iter().map(String::as_str).collect())
                .collect()
        })
        .collect();
    let tokens: usize = words.iter().flatten().map(Vec::len).sum();
    let rounds = 5;
    let t0 = Instant::now();
    let mut entities_found = 0usize;
    for _ in 0..rounds {
        for d in &words {
            let refs: Vec<&[&str]> = d.iter().map(Vec::as_slice).collect();
            entities_found += model
                .tag(&refs)
                .iter()
                .flatten()
                .filter(|t| t.label().is_some())
                .count();
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "tagging: {} tokens x {rounds} in {secs:.2}s = {:.0} tokens/s ({entities_found} entity tokens)",
        tokens,
        (tokens * rounds) as f64 / secs
    );
    let texts: Vec<String> = words
        .iter()
        .map(|d| d.iter().map(|s| s.join(" ")).collect::<Vec<_>>().join("\n"))
        .collect();
    let t0 = Instant::now();
    let mut n_tokens = 0usize;
    for _ in 0..rounds {
        for text in &texts {
            let toks = tokenize(text);
            let sents = split_sentences(text, &toks);
            n_tokens += toks.len();
            entities_found += entities(text, &toks, &sents).len();
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "tokenize + sentences + entities: {:.0} tokens/s ({entities_found} entity tokens and mentions)",
        n_tokens as f64 / secs
    );
    ExitCode::SUCCESS
}
