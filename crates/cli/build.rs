//! Embeds the demo corpus (`demo/corpus/` at the top of the source tree) in
//! the binary, so `storyline demo` works from any folder and from an
//! installed binary. Each file becomes an `include_bytes!` entry of
//! `DEMO_CORPUS` in `$OUT_DIR/demo_corpus.rs`; cargo reruns this script
//! when anything under the folder changes.

use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn Error>> {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let corpus = manifest.join("../../demo/corpus");
    println!("cargo:rerun-if-changed={}", corpus.display());
    let mut files = Vec::new();
    walk(&corpus, &corpus, &mut files)
        .map_err(|e| format!("reading the demo corpus {}: {e}", corpus.display()))?;
    if files.is_empty() {
        return Err(format!("the demo corpus {} is empty", corpus.display()).into());
    }
    // Sorted, so the binary does not depend on the order of a directory listing.
    files.sort();
    let mut out = String::from(
        "/// The demo corpus: (path under `demo/corpus/`, contents), sorted by path.\n\
         pub static DEMO_CORPUS: &[(&str, &[u8])] = &[\n",
    );
    for (relative, absolute) in &files {
        writeln!(
            out,
            "    ({relative:?}, include_bytes!({:?})),",
            absolute.display().to_string()
        )?;
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR")?).join("demo_corpus.rs");
    std::fs::write(&dest, out)?;
    Ok(())
}

/// Every file under `dir`, as (path relative to `root` with `/`, absolute path).
fn walk(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(root, &path, files)?;
        } else {
            let relative = path
                .strip_prefix(root)
                .map_err(std::io::Error::other)?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((relative, std::fs::canonicalize(&path)?));
        }
    }
    Ok(())
}
