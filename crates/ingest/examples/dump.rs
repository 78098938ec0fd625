//! Reads inputs and prints one JSON line per article or problem.
//!
//! `cargo run -p storyline-ingest --example dump -- demo/ https://example.com/feed.xml`
//! (set `STORYLINE_NOW=2023-11-13` to fix "now"; `STORYLINE_ALLOW_PRIVATE=1` to fetch local URLs).

use storyline_ingest::{read, Event, IngestOptions, Input};

fn main() {
    let mut opts = IngestOptions::default();
    if let Some(now) = std::env::var("STORYLINE_NOW")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        opts.now = now;
    }
    opts.fetch.allow_private = std::env::var("STORYLINE_ALLOW_PRIVATE").is_ok();
    let mut failed = false;
    for arg in std::env::args().skip(1) {
        let result = read(&Input::from_arg(&arg), &opts, &mut |e| {
            let line = match e {
                Event::Article(a) => serde_json::json!({ "article": a }),
                Event::Problem(p) => serde_json::json!({ "problem": p }),
            };
            println!("{line}");
        });
        match result {
            Ok(s) => eprintln!(
                "{arg}: {} file(s), {} article(s), {} skipped, {} warning(s)",
                s.files, s.articles, s.skipped, s.warnings
            ),
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
            }
        }
    }
    std::process::exit(i32::from(failed));
}
