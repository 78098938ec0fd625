//! The demo corpus built into the binary (see `build.rs`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

include!(concat!(env!("OUT_DIR"), "/demo_corpus.rs"));

/// Writes the built-in corpus to `<dir>/corpus/` and returns that folder,
/// so the demo's articles point at files the user can open.
pub fn write_corpus(dir: &Path) -> Result<PathBuf> {
    let root = dir.join("corpus");
    for (relative, bytes) in DEMO_CORPUS {
        // The names come from this source tree, but a path that climbs out
        // of the folder would still write elsewhere: refuse it.
        if relative
            .split('/')
            .any(|part| part.is_empty() || part == "..")
        {
            bail!("the built-in demo corpus holds a bad path {relative:?}");
        }
        let path = root.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_corpus_is_the_demo_folder() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/corpus");
        let mut on_disk = Vec::new();
        let mut stack = vec![folder.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    on_disk.push(path);
                }
            }
        }
        assert_eq!(on_disk.len(), DEMO_CORPUS.len());
        for (relative, bytes) in DEMO_CORPUS {
            let disk = std::fs::read(folder.join(relative)).unwrap();
            assert_eq!(&disk[..], *bytes, "{relative}");
        }
        let out = tempfile::tempdir().unwrap();
        let root = write_corpus(out.path()).unwrap();
        assert_eq!(
            std::fs::read(root.join("text/2025-03-03-korrin-dam-bursts.txt")).unwrap(),
            std::fs::read(folder.join("text/2025-03-03-korrin-dam-bursts.txt")).unwrap()
        );
    }
}
