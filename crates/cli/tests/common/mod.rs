//! What the binary's end-to-end tests share: the binary with a clean
//! environment, the store a scenario runs on, and a few helpers.
//!
//! A scenario that touches the store is a function of a [`TestStore`];
//! [`on_each_store!`] makes two tests of it, `NAME::sqlite` (a data
//! directory of its own) and `NAME::postgres` (a fresh database on the
//! throwaway PostgreSQL server this test process shares,
//! `storyline_store::pg::server::test_database`), so the end-to-end
//! scenarios hold for both stores. Without PostgreSQL installed the
//! `postgres` half prints `SKIPPED` and passes, unless
//! `STORYLINE_REQUIRE_SERVICES=1`.
// Each test binary compiles this module on its own and uses a part of it.
#![allow(dead_code, unused_macros)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The binary, with none of the variables that would choose a store, a
/// queue, a wait or a token from the environment this test runs in.
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyline"));
    for var in [
        "STORYLINE_DATA",
        "STORYLINE_STORE",
        "STORYLINE_QUEUE",
        "STORYLINE_WAIT",
        "STORYLINE_INGEST_TOKEN",
    ] {
        c.env_remove(var);
    }
    c.env("STORYLINE_LOG", "warn");
    c
}

/// Panics, with what the command printed, unless it succeeded.
pub fn succeeded(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `out`, once it is known to have succeeded.
pub fn ok(out: Output, what: &str) -> Output {
    succeeded(&out, what);
    out
}

/// The one JSON document a successful command printed.
pub fn json(out: &Output) -> Value {
    succeeded(out, "storyline");
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON document")
}

/// What a command printed on stdout and on stderr.
pub fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The project's own demo corpus.
pub fn demo_corpus() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../demo/corpus")
        .display()
        .to_string()
}

/// The test fixtures of this crate.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `storyline ARGS… --data-dir DATA`, run to the end.
pub fn in_data_dir(data: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()
        .expect("running storyline")
}

/// The document with every `ingested_at` removed: the time each run read
/// its input, the one thing two ingests of the same input differ in.
pub fn without_ingest_times(mut v: Value) -> Value {
    match &mut v {
        Value::Object(map) => {
            map.remove("ingested_at");
            for x in map.values_mut() {
                *x = without_ingest_times(x.take());
            }
        }
        Value::Array(items) => {
            for x in items.iter_mut() {
                *x = without_ingest_times(x.take());
            }
        }
        _ => {}
    }
    v
}

/// The store a scenario runs on.
pub struct TestStore {
    /// A data directory of the test's own: the SQLite store's, or, with
    /// PostgreSQL, where the binary would look for `actors.tsv` (empty, so
    /// the user's own file never changes a test).
    data: tempfile::TempDir,
    /// The PostgreSQL store's URL, on a database no other test uses.
    url: Option<String>,
}

impl TestStore {
    /// A SQLite store in a new data directory (created by the first
    /// command that writes).
    pub fn sqlite() -> TestStore {
        TestStore {
            data: tempfile::tempdir().expect("tempdir"),
            url: None,
        }
    }

    /// A PostgreSQL store on a new database of the shared throwaway
    /// server, or `None` (after a loud `SKIPPED` line) when PostgreSQL is
    /// not installed.
    #[cfg(feature = "postgres")]
    pub fn postgres(test: &str) -> Option<TestStore> {
        let url = storyline_store::pg::server::test_database(test)?;
        Some(TestStore {
            data: tempfile::tempdir().expect("tempdir"),
            url: Some(url),
        })
    }

    pub fn is_postgres(&self) -> bool {
        self.url.is_some()
    }

    /// The PostgreSQL store's URL.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The data directory (the SQLite store's).
    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// The arguments that choose this store.
    pub fn args(&self) -> Vec<OsString> {
        let mut args = Vec::new();
        if let Some(url) = &self.url {
            args.extend(["--store".into(), url.into()]);
        }
        args.extend(["--data-dir".into(), self.data.path().into()]);
        args
    }

    /// The binary on this store, to be given its command.
    pub fn cmd(&self) -> Command {
        let mut c = bin();
        c.args(self.args());
        c
    }

    /// `storyline ARGS…` on this store, run to the end.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("running storyline")
    }

    /// The JSON document `storyline ARGS…` printed (it must succeed).
    pub fn json(&self, args: &[&str]) -> Value {
        json(&self.run(args))
    }

    /// What `storyline ARGS…` printed on stdout (it must succeed).
    pub fn stdout(&self, args: &[&str]) -> String {
        text(&ok(self.run(args), &args.join(" "))).0
    }
}

/// Makes each named scenario, a `fn(&TestStore)` of the test file, into
/// the tests `NAME::sqlite` and `NAME::postgres` (the latter only with the
/// `postgres` feature).
macro_rules! on_each_store {
    ($($scenario:ident),+ $(,)?) => {
        $(
            mod $scenario {
                #[test]
                fn sqlite() {
                    super::$scenario(&crate::common::TestStore::sqlite());
                }

                #[cfg(feature = "postgres")]
                #[test]
                fn postgres() {
                    let test = concat!(stringify!($scenario), " on PostgreSQL");
                    if let Some(store) = crate::common::TestStore::postgres(test) {
                        super::$scenario(&store);
                        // It ran on PostgreSQL: no SQLite store was made.
                        assert!(
                            !store.data_dir().join("storyline.db").exists(),
                            "{test} wrote a SQLite store"
                        );
                    }
                }
            }
        )+
    };
}
