//! Directory walking: recursive, deterministic (sorted by name), never
//! following symbolic links to directories (so link loops cannot happen),
//! skipping hidden entries and anything that is not a regular file.

use std::path::Path;

use storyline_core::Location;

use crate::Ctx;

/// Deeper than this is almost surely a mistake (or a bind-mount loop).
const MAX_DEPTH: usize = 64;

pub(crate) fn walk(ctx: &mut Ctx<'_>, root: &Path) {
    walk_dir(ctx, root, 0);
}

fn walk_dir(ctx: &mut Ctx<'_>, dir: &Path, depth: usize) {
    let loc = || Location::source(dir.display().to_string());
    if depth > MAX_DEPTH {
        ctx.skip(
            loc(),
            format!("directory nested more than {MAX_DEPTH} levels deep; not read"),
        );
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            ctx.skip(loc(), format!("cannot list directory: {e}"));
            return;
        }
    };
    let mut items = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => items.push(e),
            Err(e) => ctx.skip(loc(), format!("cannot list an entry: {e}")),
        }
    }
    items.sort_by_key(|e| e.file_name());
    for entry in items {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            tracing::debug!(path = %path.display(), "hidden entry skipped");
            continue;
        }
        let here = || Location::source(path.display().to_string());
        let file_type = match entry.file_type() {
            Ok(t) => t,
            Err(e) => {
                ctx.skip(here(), format!("cannot read file type: {e}"));
                continue;
            }
        };
        if file_type.is_symlink() {
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => ctx.skip(
                    here(),
                    "symbolic link to a directory; not followed (so link loops cannot happen)",
                ),
                Ok(m) if m.is_file() => crate::read_file(ctx, &path),
                Ok(_) => ctx.skip(
                    here(),
                    "symbolic link to something that is not a regular file",
                ),
                Err(e) => ctx.skip(here(), format!("broken symbolic link: {e}")),
            }
        } else if file_type.is_dir() {
            walk_dir(ctx, &path, depth + 1);
        } else if file_type.is_file() {
            crate::read_file(ctx, &path);
        } else {
            ctx.skip(here(), "not a regular file (socket, FIFO or device)");
        }
    }
}
