//! Throwaway NATS servers for tests: `nats-server -js` on 127.0.0.1 on a
//! free port, its JetStream files in a temporary directory, killed and
//! removed when dropped (and, should the test process itself be killed,
//! by a watcher process that polls for it).
//!
//! The binary is looked up as `nats-server` on `PATH`, then in `/usr/sbin`
//! and `/usr/bin` (Debian's package puts it in `/usr/sbin`). When it is
//! missing, [`test_server`] prints a loud `SKIPPED` line and returns
//! `None`, unless `STORYLINE_REQUIRE_SERVICES=1`, where it panics: CI sets
//! it, so CI never skips these tests in silence.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub use storyline_services::{services_required, StartError, REQUIRE_SERVICES_ENV};

/// A NATS server of its own, with JetStream, in a temporary directory.
#[derive(Debug)]
pub struct NatsServer {
    binary: PathBuf,
    root: PathBuf,
    port: u16,
    child: Option<Child>,
}

/// Finds `nats-server` on `PATH`, else in `/usr/sbin` or `/usr/bin`.
pub fn find_binary() -> Result<PathBuf, String> {
    find_binary_in(
        std::env::var_os("PATH").as_deref(),
        &[Path::new("/usr/sbin"), Path::new("/usr/bin")],
    )
}

fn find_binary_in(path: Option<&std::ffi::OsStr>, fallback: &[&Path]) -> Result<PathBuf, String> {
    storyline_services::find_binary("nats-server", path, fallback).ok_or_else(|| {
        "no nats-server on PATH or in /usr/sbin or /usr/bin; install it \
         (Debian: apt-get install nats-server)"
            .into()
    })
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl NatsServer {
    /// Starts a server with JetStream on 127.0.0.1 on a free port.
    pub fn start() -> Result<NatsServer, StartError> {
        let binary = find_binary().map_err(StartError::Missing)?;
        let root = std::env::temp_dir().join(format!(
            "storyline-nats-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)
            .map_err(|e| StartError::Failed(format!("cannot create {}: {e}", root.display())))?;
        let mut server = NatsServer {
            binary,
            root,
            port: 0,
            child: None,
        };
        // A free port can be taken between the probe and the start: try a
        // few.
        let mut last = String::new();
        for _ in 0..5 {
            server.port = storyline_services::free_port().map_err(StartError::Failed)?;
            match server.launch() {
                Ok(()) => return Ok(server),
                Err(e) => last = e,
            }
        }
        Err(StartError::Failed(last))
    }

    /// The server's URL.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port with the same JetStream
    /// files, after [`NatsServer::kill`].
    pub fn restart(&mut self) -> Result<(), String> {
        self.kill();
        let mut last = String::new();
        // The port may take a moment to be free again.
        for _ in 0..20 {
            match self.launch() {
                Ok(()) => return Ok(()),
                Err(e) => last = e,
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(last)
    }

    fn launch(&mut self) -> Result<(), String> {
        let log = self.root.join("server.log");
        let _ = std::fs::remove_file(&log);
        let child = Command::new(&self.binary)
            .args([
                "-js",
                "-a",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-sd",
            ])
            .arg(self.root.join("jetstream"))
            .arg("-l")
            .arg(&log)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", self.binary.display()))?;
        let pid = child.id();
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let said = std::fs::read_to_string(&log).unwrap_or_default();
            if said.contains("Server is ready") {
                break;
            }
            let exited = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if exited.is_some() || Instant::now() > deadline {
                self.kill();
                return Err(format!("nats-server on port {}: {said}", self.port));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // Should the test process be killed, the server goes with it.
        let _ = storyline_services::when_process_ends(
            &format!("kill -9 {pid} 2>/dev/null"),
            Some(pid),
            &self.root,
        );
        Ok(())
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// A server of its own for one test.
///
/// When `nats-server` is not installed, prints `SKIPPED: nats-server not
/// found (...)` with the test's name straight to stderr (the harness
/// hides `eprintln!` of passing tests) and returns `None`; with
/// `STORYLINE_REQUIRE_SERVICES=1` it panics instead. A server that is
/// installed but does not start always panics.
pub fn test_server(test: &str) -> Option<NatsServer> {
    match NatsServer::start() {
        Ok(server) => Some(server),
        Err(e) => storyline_services::skip_or_fail_here("nats-server", e, test),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_is_found_on_the_path_or_in_the_system_folders() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (bin, sbin) = (tmp.path().join("bin"), tmp.path().join("sbin"));
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::fs::create_dir_all(&sbin).expect("mkdir");
        let path = std::env::join_paths([&bin]).expect("path");
        assert!(find_binary_in(Some(&path), &[&sbin]).is_err());
        std::fs::write(sbin.join("nats-server"), "").expect("write");
        assert_eq!(
            find_binary_in(Some(&path), &[&sbin]).expect("found"),
            sbin.join("nats-server")
        );
        std::fs::write(bin.join("nats-server"), "").expect("write");
        assert_eq!(
            find_binary_in(Some(&path), &[&sbin]).expect("found"),
            bin.join("nats-server"),
            "PATH first"
        );
    }
}
