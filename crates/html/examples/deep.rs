//! Times parsing and extraction of a deeply nested page: `cargo run --release -p storyline-html --example deep -- 100000`.
fn main() {
    let depth: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let tag = std::env::args().nth(2).unwrap_or_else(|| "div".into());
    let html = format!("<html><body>{}<p>The council voted on Tuesday, officials said, after a long debate.</p>{}</body></html>", format!("<{tag}>").repeat(depth), format!("</{tag}>").repeat(depth));
    let t = std::time::Instant::now();
    let n = parse_only(&html);
    println!("parse: {:?} ({n} nodes)", t.elapsed());
    let t = std::time::Instant::now();
    let r = storyline_html::extract(html.as_bytes(), &storyline_html::ExtractOptions::default());
    println!("{depth} {tag}: {:?} ok={}", t.elapsed(), r.is_ok());
}

#[allow(dead_code)]
fn parse_only(html: &str) -> usize {
    storyline_html::parse_only(html)
}
