//! Directory walking: recursive, deterministic (sorted by name), never
//! following symbolic links to directories (so link loops cannot happen),
//! following links to files only when they stay inside the directory given
//! (unless [`crate::IngestOptions::follow_symlinks`] asks), skipping hidden
//! entries and reporting anything that is not a regular file.

use std::fs::FileType;
use std::path::Path;

use storyline_core::Location;

use crate::Ctx;

/// Deeper than this is almost surely a mistake (or a bind-mount loop).
const MAX_DEPTH: usize = 64;

/// What a file that is neither a regular file nor a directory is, in words.
pub(crate) fn kind_of(t: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    "a FIFO, socket or device"
}

pub(crate) fn walk(ctx: &mut Ctx<'_>, root: &Path) {
    // Links are judged against where the root really is, so a root given
    // through a link, or as `./news/../news`, contains its own files.
    let real_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    walk_dir(ctx, root, &real_root, 0);
}

/// Whether a file a link points to may be read.
fn link_allowed(ctx: &Ctx<'_>, real_root: &Path, target: &Path) -> bool {
    ctx.opts.follow_symlinks || target.starts_with(real_root)
}

fn walk_dir(ctx: &mut Ctx<'_>, dir: &Path, real_root: &Path, depth: usize) {
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
                Ok(m) if m.is_file() => match std::fs::canonicalize(&path) {
                    Ok(target) if link_allowed(ctx, real_root, &target) => {
                        crate::read_file(ctx, &path)
                    }
                    Ok(target) => ctx.skip(
                        here(),
                        format!(
                            "symbolic link to {}, outside the folder being read; not followed unless asked (--follow-symlinks)",
                            target.display()
                        ),
                    ),
                    Err(e) => ctx.skip(here(), format!("cannot resolve symbolic link: {e}")),
                },
                Ok(m) => ctx.skip(
                    here(),
                    format!(
                        "symbolic link to something that is not a regular file ({}); not read",
                        kind_of(&m.file_type())
                    ),
                ),
                Err(e) => ctx.skip(here(), format!("broken symbolic link: {e}")),
            }
        } else if file_type.is_dir() {
            walk_dir(ctx, &path, real_root, depth + 1);
        } else if file_type.is_file() {
            crate::read_file(ctx, &path);
        } else {
            ctx.skip(
                here(),
                format!("not a regular file ({}); not read", kind_of(&file_type)),
            );
        }
    }
}
