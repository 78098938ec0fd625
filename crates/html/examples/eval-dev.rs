//! Scores the extractor on an html-dev style directory without building the
//! CLI: `cargo run --release -p storyline-html --example eval-dev -- DIR [pred.jsonl]`.
//! The metric is `storyline-eval`'s, included by path so both stay one code.
#[path = "../../eval/src/extraction.rs"]
#[allow(dead_code)]
mod extraction;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).ok_or("usage: eval-dev DIR [PRED.jsonl]")?;
    let out = args.get(2).map(std::path::PathBuf::from);
    // The same reference day as MEASUREMENTS.md, so runs compare.
    let now = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).ok_or("bad date")?;
    let report = extraction::evaluate(
        std::path::Path::new(dir),
        &storyline_html::Storyline,
        now,
        out.as_deref(),
    )?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
