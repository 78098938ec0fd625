//! What every throwaway test server (PostgreSQL in `storyline-store`'s
//! `pg::server`, NATS in `storyline-queue`'s `nats::server`) does the same
//! way: the rule that a missing server skips a test loudly unless
//! `STORYLINE_REQUIRE_SERVICES=1`, a free port on loopback, the lookup of
//! a binary on `PATH` and in system folders, and a watcher process that
//! cleans up after a test process that was killed.
//!
//! Kept in a crate of its own, with no dependencies, so that the store and
//! the queue share one copy of the rule without depending on each other.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The environment variable that turns a missing server into a test failure.
pub const REQUIRE_SERVICES_ENV: &str = "STORYLINE_REQUIRE_SERVICES";

/// Whether `STORYLINE_REQUIRE_SERVICES=1`: a missing server fails the test.
pub fn services_required() -> bool {
    std::env::var(REQUIRE_SERVICES_ENV).is_ok_and(|v| v.trim() == "1")
}

/// Why no server could be started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// The server's binaries are not installed: tests skip (unless required).
    Missing(String),
    /// They are there but the server did not start: tests fail.
    Failed(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Missing(why) => write!(f, "not found ({why})"),
            StartError::Failed(why) => write!(f, "did not start: {why}"),
        }
    }
}

/// What a test does when its `service` did not start: skips with a loud
/// message (returns `None`) when the binaries are missing and services are
/// not required, else panics.
///
/// The message goes to `out` (stderr in use) directly, since the test
/// harness hides `eprintln!` of passing tests and a skip must be seen.
pub fn skip_or_fail<T>(
    service: &str,
    e: StartError,
    test: &str,
    required: bool,
    out: &mut dyn Write,
) -> Option<T> {
    match e {
        StartError::Missing(why) if !required => {
            let _ = writeln!(
                out,
                "\n*** SKIPPED: {service} not found ({why}); {test} did not run. \
                 Set {REQUIRE_SERVICES_ENV}=1 to make this a failure. ***\n"
            );
            None
        }
        e => panic!(
            "{test}: {service} {e} ({REQUIRE_SERVICES_ENV}={})",
            u8::from(required)
        ),
    }
}

/// [`skip_or_fail`] with the environment's rule, to stderr.
pub fn skip_or_fail_here<T>(service: &str, e: StartError, test: &str) -> Option<T> {
    skip_or_fail(
        service,
        e,
        test,
        services_required(),
        &mut std::io::stderr(),
    )
}

/// A port nothing listens on now on 127.0.0.1. Another process may take
/// it before the server binds it, so callers try a few times.
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// The first file `name` in the folders of `path` (a `PATH` value), then
/// in `fallback`.
pub fn find_binary(name: &str, path: Option<&OsStr>, fallback: &[&Path]) -> Option<PathBuf> {
    path.into_iter()
        .flat_map(std::env::split_paths)
        .chain(fallback.iter().map(|p| p.to_path_buf()))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// Quotes `s` for `sh`.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Runs the shell command `cleanup` once this process has ended, however
/// it ended (a killed test run leaves no server behind), or earlier once
/// process `server` has, when given. A small shell loop in its own process
/// group polls for them, so a Ctrl-C to the test run does not kill the
/// watcher before it has cleaned up.
pub fn when_process_ends(cleanup: &str, server: Option<u32>, dir: &Path) -> Result<(), String> {
    use std::os::unix::process::CommandExt;
    let also = server
        .map(|pid| format!(" && kill -0 {pid} 2>/dev/null"))
        .unwrap_or_default();
    let script = format!(
        "while kill -0 {me} 2>/dev/null{also}; do sleep 0.5; done; {cleanup}",
        me = std::process::id()
    );
    Command::new("sh")
        .args(["-c", &script])
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map(drop)
        .map_err(|e| format!("cannot start the server's watcher: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_server_skips_loudly_unless_required() {
        let missing = || StartError::Missing("not here".into());
        let mut said = Vec::new();
        assert_eq!(
            skip_or_fail::<()>("PostgreSQL", missing(), "t", false, &mut said),
            None
        );
        let said = String::from_utf8_lossy(&said);
        assert!(
            said.contains("SKIPPED: PostgreSQL not found (not here); t did not run"),
            "{said}"
        );
        let required = std::panic::catch_unwind(|| {
            skip_or_fail::<()>("x", missing(), "t", true, &mut Vec::new())
        });
        assert!(required.is_err(), "required: a failure");
        let broken = std::panic::catch_unwind(|| {
            skip_or_fail::<()>(
                "x",
                StartError::Failed("no".into()),
                "t",
                false,
                &mut Vec::new(),
            )
        });
        assert!(broken.is_err(), "installed but broken: always a failure");
    }

    #[test]
    fn binaries_are_found_on_the_path_first_then_in_the_fallbacks() {
        let tmp = std::env::temp_dir().join(format!("storyline-services-{}", std::process::id()));
        let (bin, sbin) = (tmp.join("bin"), tmp.join("sbin"));
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::fs::create_dir_all(&sbin).expect("mkdir");
        let path = std::env::join_paths([&bin]).expect("path");
        assert_eq!(find_binary("tool", Some(&path), &[&sbin]), None);
        std::fs::write(sbin.join("tool"), "").expect("write");
        assert_eq!(
            find_binary("tool", Some(&path), &[&sbin]),
            Some(sbin.join("tool"))
        );
        std::fs::write(bin.join("tool"), "").expect("write");
        assert_eq!(
            find_binary("tool", Some(&path), &[&sbin]),
            Some(bin.join("tool")),
            "PATH first"
        );
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn quoting_survives_quotes() {
        assert_eq!(sh_quote("a'b"), r"'a'\''b'");
        assert!(free_port().is_ok_and(|p| p > 0));
    }
}
