//! Prints the tokens' sentences and entities of a text file, for eyeballing.
//!
//! ```text
//! cargo run --release -p storyline-analyze --example show_entities -- article.txt [model.bin]
//! ```
//!
//! Uses the embedded model unless a model file is given.

use std::process::ExitCode;

use storyline_analyze::{split_sentences, tokenize, NerModel};

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: show_entities FILE.txt");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let tokens = tokenize(&text);
    let sentences = split_sentences(&text, &tokens);
    let loaded = match std::env::args().nth(2) {
        Some(p) => std::fs::read(&p)
            .map_err(|e| format!("{p}: {e}"))
            .and_then(|b| NerModel::from_bytes(&b).map_err(|e| format!("{p}: {e}")))
            .map(|m| Box::leak(Box::new(m)) as &NerModel),
        None => NerModel::embedded().map_err(|e| e.to_string()),
    };
    let model = match loaded {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let found = model.entities(&text, &tokens, &sentences);
    for s in &sentences {
        println!("S: {}", &text[s.span.start..s.span.end]);
        for e in found
            .iter()
            .filter(|e| e.span.start >= s.span.start && e.span.end <= s.span.end)
        {
            println!(
                "    {:4} {}{}",
                e.label.as_str(),
                e.text,
                if e.demonym { "  (demonym)" } else { "" }
            );
        }
    }
    ExitCode::SUCCESS
}
