//! Throwaway PostgreSQL servers for tests: a cluster in a temporary
//! directory, listening on loopback on a free port, stopped and removed
//! when dropped (or, for the one shared by a test process, when that
//! process ends).
//!
//! The server binaries are looked up as `initdb` and `pg_ctl` on `PATH`,
//! then under `/usr/lib/postgresql/*/bin` (Debian's layout, newest version
//! first). When they are missing, [`test_database`] prints a loud
//! `SKIPPED` line and returns `None`, unless `STORYLINE_REQUIRE_SERVICES=1`,
//! where it panics: CI sets it, so CI never skips these tests in silence.
//!
//! `initdb` refuses to run as root. Run as root (a container, CI), the
//! cluster belongs to the unprivileged user `nobody` and every server
//! command runs through `runuser -u nobody --`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// The cluster's superuser.
const SUPERUSER: &str = "storyline";

/// The user a root process runs the server as.
const UNPRIVILEGED_USER: &str = "nobody";

/// A PostgreSQL server of its own, in a temporary directory.
#[derive(Debug)]
pub struct TestServer {
    /// The temporary directory: `data/`, the log and the socket.
    root: PathBuf,
    /// Where `initdb` and `pg_ctl` are.
    pg_ctl: PathBuf,
    port: u16,
    /// `Some("nobody")` when this process is root.
    run_as: Option<String>,
    stopped: bool,
    /// PostgreSQL's safe defaults (fsync, synchronous commits) instead of
    /// the fast settings for tests.
    durable: bool,
}

pub use storyline_services::{services_required, StartError, REQUIRE_SERVICES_ENV};

/// Finds `initdb` and `pg_ctl`: on `PATH`, else under
/// `/usr/lib/postgresql/*/bin`, the newest version first.
pub fn find_binaries() -> Result<(PathBuf, PathBuf), String> {
    find_binaries_in(
        std::env::var_os("PATH").as_deref(),
        Path::new("/usr/lib/postgresql"),
    )
}

/// [`find_binaries`] with the search path and Debian's folder given.
fn find_binaries_in(
    path: Option<&std::ffi::OsStr>,
    debian: &Path,
) -> Result<(PathBuf, PathBuf), String> {
    let on_path = |name: &str| -> Option<PathBuf> {
        std::env::split_paths(path?)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    };
    if let (Some(initdb), Some(pg_ctl)) = (on_path("initdb"), on_path("pg_ctl")) {
        return Ok((initdb, pg_ctl));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir(debian)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.split('.').next()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("initdb").is_file() && bin.join("pg_ctl").is_file())
        .collect();
    versions.sort();
    match versions.pop() {
        Some((_, bin)) => Ok((bin.join("initdb"), bin.join("pg_ctl"))),
        None => Err(
            "no initdb and pg_ctl on PATH or under /usr/lib/postgresql/*/bin; \
             install PostgreSQL (Debian: apt-get install postgresql)"
                .into(),
        ),
    }
}

/// The uid and gid of `user` from `/etc/passwd`.
fn user_ids(user: &str) -> Result<(u32, u32), String> {
    let passwd = std::fs::read_to_string("/etc/passwd")
        .map_err(|e| format!("cannot read /etc/passwd: {e}"))?;
    passwd
        .lines()
        .filter_map(|line| {
            let mut f = line.split(':');
            let name = f.next()?;
            let _password = f.next()?;
            let uid = f.next()?.parse().ok()?;
            let gid = f.next()?.parse().ok()?;
            (name == user).then_some((uid, gid))
        })
        .next()
        .ok_or_else(|| format!("no user {user:?} in /etc/passwd to run PostgreSQL as"))
}

/// Runs a server binary (as `run_as` when given), failing with its output.
fn run(run_as: Option<&str>, dir: &Path, program: &Path, args: &[&str]) -> Result<(), String> {
    let mut cmd = match run_as {
        Some(user) => {
            let mut c = Command::new("runuser");
            c.args(["-u", user, "--"]).arg(program);
            c
        }
        None => Command::new(program),
    };
    let out = cmd
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{} {} failed ({}): {}{}",
        program.display(),
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

impl TestServer {
    /// Creates a cluster in a new temporary directory and starts it on
    /// 127.0.0.1 on a free port, its socket in that directory too. Tuned
    /// for tests: no fsync (a crash of the machine loses it, which a
    /// throwaway server may).
    pub fn start() -> Result<TestServer, StartError> {
        Self::start_with(false)
    }

    /// [`TestServer::start`] with PostgreSQL's safe defaults (`fsync`,
    /// `synchronous_commit` and `full_page_writes` on), under which a
    /// commit the server confirmed survives a crash: for crash tests
    /// ([`TestServer::crash`]).
    pub fn start_durable() -> Result<TestServer, StartError> {
        Self::start_with(true)
    }

    fn start_with(durable: bool) -> Result<TestServer, StartError> {
        let (initdb, pg_ctl) = find_binaries().map_err(StartError::Missing)?;
        let failed = StartError::Failed;
        let root = std::env::temp_dir().join(format!(
            "storyline-pg-{}-{}",
            std::process::id(),
            NEXT_SERVER.fetch_add(1, Ordering::Relaxed)
        ));
        if root.exists() {
            std::fs::remove_dir_all(&root)
                .map_err(|e| failed(format!("cannot clear {}: {e}", root.display())))?;
        }
        std::fs::create_dir_all(&root)
            .map_err(|e| failed(format!("cannot create {}: {e}", root.display())))?;
        let run_as = rustix::process::geteuid()
            .is_root()
            .then(|| UNPRIVILEGED_USER.to_string());
        let mut server = TestServer {
            root: root.clone(),
            pg_ctl,
            port: 0,
            run_as,
            stopped: true,
            durable,
        };
        if let Some(user) = &server.run_as {
            let (uid, gid) = user_ids(user).map_err(failed)?;
            std::os::unix::fs::chown(&root, Some(uid), Some(gid))
                .map_err(|e| failed(format!("cannot give {} to {user}: {e}", root.display())))?;
        }
        let data = root.join("data");
        let data_arg = data.display().to_string();
        run(
            server.run_as.as_deref(),
            &root,
            &initdb,
            &[
                "-D",
                &data_arg,
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
                "--no-instructions",
            ],
        )
        .map_err(failed)?;
        // A free port can be taken between the probe and the start: try a
        // few.
        let mut last = String::new();
        for _ in 0..5 {
            let port = storyline_services::free_port().map_err(failed)?;
            match server.launch(port) {
                Ok(()) => return Ok(server),
                Err(e) => last = e,
            }
        }
        Err(failed(last))
    }

    /// Starts the cluster on `port` and waits until it accepts connections.
    fn launch(&mut self, port: u16) -> Result<(), String> {
        let data_arg = self.root.join("data").display().to_string();
        let speed = if self.durable {
            ""
        } else {
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        };
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={} \
             {speed} -c max_connections=200",
            self.root.display()
        );
        let log = self.root.join("server.log").display().to_string();
        match run(
            self.run_as.as_deref(),
            &self.root,
            &self.pg_ctl,
            &[
                "-D", &data_arg, "-l", &log, "-o", &options, "-w", "-t", "60", "start",
            ],
        ) {
            Ok(()) => {
                self.port = port;
                self.stopped = false;
                Ok(())
            }
            Err(e) => {
                let log = std::fs::read_to_string(self.root.join("server.log")).unwrap_or_default();
                Err(format!("{e}\n{log}"))
            }
        }
    }

    /// Restarts the server on the same port with the same data, as an
    /// administrator's restart does: a `fast` stop (clients cut off, work
    /// in progress rolled back, committed work flushed), then a start. Not
    /// a crash: this throwaway server runs with `synchronous_commit=off`,
    /// under which a crash may lose the last commits it confirmed.
    pub fn restart(&mut self) -> Result<(), String> {
        self.restart_after(Duration::ZERO)
    }

    /// [`TestServer::restart`], down for `pause` in between.
    pub fn restart_after(&mut self, pause: Duration) -> Result<(), String> {
        self.stop_in("fast");
        std::thread::sleep(pause);
        let port = self.port;
        let mut last = String::new();
        // The port may take a moment to be free again.
        for _ in 0..20 {
            match self.launch(port) {
                Ok(()) => return Ok(()),
                Err(e) => last = e,
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(last)
    }

    /// Kills the server as a crash would: SIGKILL to the postmaster and
    /// every process it started, at once, nothing flushed or shut down.
    /// Returns once they are all gone; [`TestServer::start_again`] then
    /// recovers from the write-ahead log.
    pub fn crash(&mut self) -> Result<(), String> {
        let pid_file = self.root.join("data").join("postmaster.pid");
        let text = std::fs::read_to_string(&pid_file)
            .map_err(|e| format!("cannot read {}: {e}", pid_file.display()))?;
        let postmaster: u32 = text
            .lines()
            .next()
            .and_then(|l| l.trim().parse().ok())
            .ok_or_else(|| format!("no process id in {}", pid_file.display()))?;
        let mut pids = vec![postmaster];
        pids.extend(children_of(postmaster));
        let args: Vec<String> = pids.iter().map(u32::to_string).collect();
        // A backend may end between the listing and the kill (its client
        // left), and `kill` then fails for that one alone: what matters is
        // that none is left, checked below.
        let _ = Command::new("kill")
            .arg("-KILL")
            .args(&args)
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run kill: {e}"))?;
        self.stopped = true;
        // A server started while one of them still holds the shared
        // memory refuses to start.
        let until = std::time::Instant::now() + Duration::from_secs(30);
        while pids
            .iter()
            .any(|p| Path::new(&format!("/proc/{p}")).exists())
        {
            if std::time::Instant::now() > until {
                return Err(format!("processes {} did not die", args.join(" ")));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// Starts a stopped or crashed server again, on its port with its data.
    pub fn start_again(&mut self) -> Result<(), String> {
        self.restart_after(Duration::ZERO)
    }

    /// The port it listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL of `database` on this server.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    /// Creates a new, empty database with a name no other call in this
    /// process gets, and returns its URL.
    pub fn create_database(&self) -> Result<String, String> {
        let name = format!(
            "storyline_test_{}",
            NEXT_DATABASE.fetch_add(1, Ordering::Relaxed)
        );
        let mut config: postgres::Config = self
            .url("postgres")
            .parse()
            .map_err(|e| format!("bad test URL: {e}"))?;
        config.connect_timeout(Duration::from_secs(30));
        let mut client = config
            .connect(postgres::NoTls)
            .map_err(|e| format!("cannot connect to the test server: {e}"))?;
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(|e| format!("cannot create database {name}: {e}"))?;
        Ok(self.url(&name))
    }

    /// Stops the server at once (`immediate`: it is thrown away after).
    pub fn stop(&mut self) {
        self.stop_in("immediate");
    }

    /// Stops the server with `pg_ctl stop -m MODE`.
    fn stop_in(&mut self, mode: &str) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let data = self.root.join("data").display().to_string();
        let _ = run(
            self.run_as.as_deref(),
            &self.root,
            &self.pg_ctl,
            &["-D", &data, "-m", mode, "-w", "stop"],
        );
    }

    /// Arranges for the server to be stopped and its directory removed
    /// when this process ends, however it ends: a watcher process polls
    /// for it. For a server kept in a `static`, which is never dropped.
    fn stop_when_process_ends(&self) -> Result<(), String> {
        use storyline_services::sh_quote as quote;
        let runner = match &self.run_as {
            Some(user) => format!("runuser -u {} -- ", quote(user)),
            None => String::new(),
        };
        let cleanup = format!(
            "{runner}{pg_ctl} -D {data} -m immediate -w stop >/dev/null 2>&1; rm -rf {root}",
            pg_ctl = quote(&self.pg_ctl.display().to_string()),
            data = quote(&self.root.join("data").display().to_string()),
            root = quote(&self.root.display().to_string()),
        );
        storyline_services::when_process_ends(&cleanup, None, &self.root)
    }
}

/// The processes whose parent is `parent` (from `/proc`; none elsewhere).
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // `PID (NAME) STATE PPID …`; the name may hold spaces and
            // parentheses, so the fields are read after the last ')'.
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let rest = &stat[stat.rfind(')')? + 1..];
                    rest.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(parent)
        })
        .collect()
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

static NEXT_SERVER: AtomicUsize = AtomicUsize::new(0);
static NEXT_DATABASE: AtomicUsize = AtomicUsize::new(0);

/// The server shared by every test of this process, started on first use
/// and stopped when the process ends.
pub fn shared_server() -> Result<&'static TestServer, StartError> {
    static SHARED: OnceLock<Result<TestServer, StartError>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            let server = TestServer::start()?;
            server
                .stop_when_process_ends()
                .map_err(StartError::Failed)?;
            Ok(server)
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The URL of a new, empty database on the shared server, for one test.
///
/// When PostgreSQL is not installed, prints `SKIPPED: PostgreSQL not found
/// (...)` with the test's name to stderr and returns `None`, so the test
/// can return; with `STORYLINE_REQUIRE_SERVICES=1` it panics instead.
/// A server that is installed but does not start always panics.
pub fn test_database(test: &str) -> Option<String> {
    let server = match shared_server() {
        Ok(server) => server,
        Err(e) => return storyline_services::skip_or_fail_here("PostgreSQL", e, test),
    };
    match server.create_database() {
        Ok(url) => Some(url),
        Err(e) => panic!("{test}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binaries_are_found_on_the_path_or_in_debians_folder() {
        let tmp = std::env::temp_dir().join(format!("storyline-find-{}", std::process::id()));
        let bin = tmp.join("bin");
        let debian = tmp.join("lib");
        std::fs::create_dir_all(&bin).expect("mkdir");
        std::fs::create_dir_all(debian.join("9/bin")).expect("mkdir");
        let path = std::env::join_paths([&bin]).expect("path");
        assert!(find_binaries_in(Some(&path), &debian).is_err(), "none yet");
        for v in ["9", "16"] {
            std::fs::create_dir_all(debian.join(v).join("bin")).expect("mkdir");
            for b in ["initdb", "pg_ctl"] {
                std::fs::write(debian.join(v).join("bin").join(b), "").expect("write");
            }
        }
        let (initdb, _) = find_binaries_in(None, &debian).expect("found");
        assert_eq!(initdb, debian.join("16/bin/initdb"), "the newest version");
        std::fs::write(bin.join("initdb"), "").expect("write");
        assert!(
            find_binaries_in(Some(&path), &debian)
                .is_ok_and(|(i, _)| i == debian.join("16/bin/initdb")),
            "both are needed on the path"
        );
        std::fs::write(bin.join("pg_ctl"), "").expect("write");
        assert_eq!(
            find_binaries_in(Some(&path), &debian).expect("found"),
            (bin.join("initdb"), bin.join("pg_ctl"))
        );
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
