//! Prints the scorer's blocks and the extracted page for one HTML file:
//! `cargo run -p storyline-html --example html-dump -- page.html [url]`.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).ok_or("usage: dump FILE [URL]")?;
    let bytes = std::fs::read(path)?;
    print!("{}", storyline_html::debug_blocks(&bytes));
    let opts = storyline_html::ExtractOptions {
        url: args.get(2).cloned(),
        ..Default::default()
    };
    match storyline_html::extract(&bytes, &opts) {
        Ok(mut p) => {
            p.text = format!("{} chars", p.text.len());
            p.markdown.clear();
            println!("{}", serde_json::to_string_pretty(&p)?);
        }
        Err(e) => println!("error: {e}"),
    }
    Ok(())
}
