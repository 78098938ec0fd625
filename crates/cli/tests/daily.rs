//! Daily use: readers beside a writer, a second writer waiting its turn,
//! `serve --watch`, a data directory without a store, interrupted links,
//! and the CLI's conventions (schema tags, help, completions, man page).
//! The scenarios that are not about SQLite's one writer or its data
//! directory run on SQLite and on PostgreSQL (`on_each_store!`).

#[macro_use]
mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use common::{bin, in_data_dir, ok, text, TestStore};
use serde_json::Value;

on_each_store!(
    two_writers_take_turns_a_watch_and_an_ingest,
    serve_watch_shows_each_new_batch_and_lets_readers_and_writers_in,
    an_interrupted_link_is_reported_and_finished_by_the_next_reader,
    every_command_that_prints_data_tags_its_json,
);

/// A dated article about a quarry collapse with its own toll.
fn article(dir: &Path, name: &str, day: u32, toll: u32) {
    std::fs::write(
        dir.join(name),
        format!(
            "title: Quarry toll {toll}\ndate: 2024-05-{day:02}\nsource: Shore Times {name}\n\n\
             At least {toll} people were killed when a quarry wall collapsed near Brenn, the \
             regional health office said. Rescuers searched the site of the collapse overnight."
        ),
    )
    .unwrap();
}

fn articles_in(store: &TestStore) -> u64 {
    store.json(&["stats", "--json"])["articles"]
        .as_u64()
        .unwrap()
}

/// What a successful command printed on stdout.
fn stdout(out: Output, what: &str) -> String {
    text(&ok(out, what)).0
}

/// SQLite only: one writer at a time is SQLite's rule (its lock file);
/// any number of processes write to PostgreSQL at once.
#[test]
fn readers_run_while_a_writer_holds_the_lock_and_a_second_writer_waits() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    article(&src, "a.txt", 2, 14);
    let store = TestStore::sqlite();
    let data = store.data_dir();
    ok(store.run(&["ingest", src.to_str().unwrap()]), "ingest");
    let later = dir.path().join("later.txt");
    article(dir.path(), "later.txt", 4, 19);
    let later = later.to_str().unwrap();

    // This test process is the writer now.
    let writer = storyline_store::SqliteStore::open(data).expect("the lock is free");
    for args in [
        vec!["stats"],
        vec!["articles", "--json"],
        vec!["search", "quarry"],
        vec!["stories"],
        vec!["findings", "--all"],
        vec!["check", "14 people were killed near Brenn"],
    ] {
        let out = store.stdout(&args);
        assert!(!out.trim().is_empty(), "{args:?} printed nothing");
    }

    // A second writer that will not wait is refused at once, naming the first.
    let started = Instant::now();
    let out = store.run(&["ingest", later, "--wait", "0"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "being written by another storyline process (pid {})",
            std::process::id()
        )),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    // One that waits says so, and gives up when its wait is over.
    let started = Instant::now();
    let out = store.run(&["ingest", later, "--wait", "1s"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("waiting up to 1s"), "{stderr}");
    assert!(stderr.contains("--wait sets how long"), "{stderr}");
    assert!(started.elapsed() >= Duration::from_secs(1));
    // One that waits long enough gets its turn when the first lets go.
    let child = store
        .cmd()
        .args(["ingest", later, "--wait", "2m"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    drop(writer);
    let out = ok(child.wait_with_output().unwrap(), "the waiting ingest");
    assert!(
        text(&out).1.contains("waiting up to 2m"),
        "{}",
        text(&out).1
    );
    assert_eq!(articles_in(&store), 2);
}

/// On SQLite the ingest waits for the watch to let go between passes; on
/// PostgreSQL both write when they like.
fn two_writers_take_turns_a_watch_and_an_ingest(store: &TestStore) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    article(&src, "a.txt", 2, 14);
    let other = dir.path().join("other.txt");
    article(dir.path(), "other.txt", 3, 16);
    let mut watch = store
        .cmd()
        .args([
            "watch",
            src.to_str().unwrap(),
            "--every",
            "2s",
            "--passes",
            "3",
            "--settle",
            "0",
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(watch.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["schema"], "storyline.watch/1");
    assert_eq!(first["new_articles"], 1, "{first}");
    // The watch is still running: this writer gets in between its passes.
    let out = store.run(&["ingest", other.to_str().unwrap(), "--wait", "1m"]);
    ok(out, "ingest beside a watch");
    article(&src, "b.txt", 5, 21);
    let rest: Vec<Value> = lines
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    assert_eq!(rest.len(), 2, "{rest:?}");
    assert_eq!(
        rest.iter()
            .map(|p| p["new_articles"].as_u64().unwrap())
            .sum::<u64>(),
        1,
        "{rest:?}"
    );
    assert!(watch.wait().unwrap().success());
    assert_eq!(articles_in(store), 3);
}

/// One request to 127.0.0.1:`port`; the status and the body.
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n"
    )
    .ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.get(9..12)?.parse().ok()?;
    Some((status, text.split_once("\r\n\r\n")?.1.to_string()))
}

/// Kills the server whatever the test does.
struct Kill(std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve_watch_shows_each_new_batch_and_lets_readers_and_writers_in(store: &TestStore) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    article(&src, "a.txt", 2, 14);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = store
        .cmd()
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--every",
            "1s",
            "--watch",
        ])
        .arg(&src)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start storyline serve --watch");
    let mut server = Kill(server);
    let stats = |server: &mut Kill| -> Value {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some((200, body)) = get(port, "/api/stats") {
                return serde_json::from_str(&body).unwrap();
            }
            assert!(Instant::now() < deadline, "the server never answered");
            if let Ok(Some(status)) = server.0.try_wait() {
                panic!("the server exited: {status}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let wait_for = |server: &mut Kill, n: u64| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while stats(server)["articles"].as_u64() != Some(n) {
            assert!(
                Instant::now() < deadline,
                "the page never showed {n} articles"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    };
    wait_for(&mut server, 1);
    // A new file: the next pass stores it, the server shows it, search finds it.
    std::fs::write(
        src.join("b.txt"),
        "title: Ferry resumes\ndate: 2024-05-06\nsource: Harbour Post\n\n\
         The ferry to Osk resumed sailing on Monday after the storm, the operator said.",
    )
    .unwrap();
    wait_for(&mut server, 2);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, body) = get(port, "/api/search?q=ferry").unwrap();
        assert_eq!(status, 200, "{body}");
        if body.contains("Ferry resumes") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "search never found the new article: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // Another process reads beside it, and writes between its passes.
    ok(store.run(&["stories"]), "stories beside serve --watch");
    let other = dir.path().join("other.txt");
    article(dir.path(), "other.txt", 7, 30);
    ok(
        store.run(&["ingest", other.to_str().unwrap(), "--wait", "1m"]),
        "ingest beside serve --watch",
    );
    wait_for(&mut server, 3);
}

/// SQLite only: a data directory's layout.
#[test]
fn a_directory_without_a_store_is_named_not_filled() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir");
    for args in [
        vec!["stats"],
        vec!["stories"],
        vec!["search", "x"],
        vec!["findings"],
    ] {
        let out = in_data_dir(&missing, &args);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("no storyline store in"), "{stderr}");
        assert!(stderr.contains("storyline demo"), "{stderr}");
        assert!(!missing.exists(), "{args:?} created the directory");
    }
    // `STORYLINE_DATA=` (set, empty) is the default directory, not "".
    let home = dir.path().join("home");
    let out = bin()
        .env("STORYLINE_DATA", "")
        .env("HOME", &home)
        .env_remove("XDG_DATA_HOME")
        .args(["stats"])
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    if cfg!(target_os = "linux") {
        assert!(
            stderr.contains(&home.join(".local/share/storyline").display().to_string()),
            "{stderr}"
        );
    }
}

fn an_interrupted_link_is_reported_and_finished_by_the_next_reader(store: &TestStore) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    article(&src, "a.txt", 2, 14);
    article(&src, "b.txt", 3, 17);
    // `--no-link` leaves the store as a link stopped half-way does: articles
    // stored, not linked.
    let v = store.json(&["ingest", src.to_str().unwrap(), "--no-link", "--json"]);
    assert_eq!(v["schema"], "storyline.ingest/1");
    assert_eq!(v["link"], Value::Null);
    let stats = store.json(&["stats", "--json"]);
    assert_eq!(stats["unlinked_articles"], 2, "{stats}");
    let human = store.stdout(&["stats"]);
    assert!(
        human.contains("linked      0 of 2 articles: 2 waiting"),
        "{human}"
    );
    let (stdout, stderr) = text(&ok(store.run(&["stories"]), "stories"));
    assert!(
        stderr.contains("linking 2 articles left unlinked"),
        "{stderr}"
    );
    assert!(stdout.contains("s1"), "{stdout}");
    let stats = store.json(&["stats", "--json"]);
    assert_eq!(stats["unlinked_articles"], 0, "{stats}");
    assert!(store
        .stdout(&["stats"])
        .contains("linked      all 2 articles"));
}

fn every_command_that_prints_data_tags_its_json(store: &TestStore) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    article(&src, "a.txt", 2, 14);
    let v = store.json(&["ingest", src.to_str().unwrap(), "--json"]);
    assert_eq!(v["schema"], "storyline.ingest/1");
    assert_eq!(v["inserted"], 1);
    assert_eq!(v["link"]["articles"], 1, "{v}");
    for (args, schema) in [
        (vec!["link", "--json"], "storyline.link/1"),
        (vec!["relink", "--json"], "storyline.link/1"),
        (vec!["reindex", "--json"], "storyline.reindex/1"),
        (vec!["reanalyze", "--json"], "storyline.reanalyze/1"),
        (vec!["stats", "--json"], "storyline.stats/1"),
        (vec!["stories", "--json"], "storyline.stories/1"),
    ] {
        let v = store.json(&args);
        assert_eq!(v["schema"], schema, "{args:?}: {v}");
    }
    let briefs = store.json(&["brief", "--json"]);
    assert_eq!(briefs[0]["schema"], "storyline.brief/2", "{briefs}");
}

#[test]
fn help_completions_and_man_page() {
    let out = bin().arg("--help").output().unwrap();
    let help = stdout(out, "--help");
    let everyday = help.find("Everyday commands:").expect(&help);
    let maintenance = help.find("Maintenance:").expect(&help);
    assert!(everyday < maintenance);
    assert!(help.find("  reindex ").unwrap() > maintenance, "{help}");
    assert!(help.find("  stories ").unwrap() < maintenance, "{help}");
    assert!(help.contains("3  done in part"), "{help}");
    let serve = stdout(
        bin().args(["serve", "--help"]).output().unwrap(),
        "serve --help",
    );
    assert!(
        serve.contains("Examples:") && serve.contains("--watch"),
        "{serve}"
    );
    let bash = stdout(
        bin().args(["completions", "bash"]).output().unwrap(),
        "completions",
    );
    assert!(
        bash.contains("storyline") && bash.contains("--data-dir"),
        "{bash}"
    );
    let man = stdout(bin().arg("man").output().unwrap(), "man");
    assert!(man.contains(".TH storyline"), "{man}");
    let dir = tempfile::tempdir().unwrap();
    ok(
        bin()
            .args(["man", "--dir"])
            .arg(dir.path())
            .output()
            .unwrap(),
        "man --dir",
    );
    assert!(dir.path().join("storyline-ingest.1").is_file());
}

/// SQLite only: the demo writes its corpus, store and briefings into a
/// data directory of its own.
#[test]
fn the_demo_runs_from_any_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["demo", "-q"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    ok(out, "demo");
    let store = dir.path().join("storyline-demo");
    assert!(store.join("storyline.db").is_file());
    assert!(store.join("corpus/feeds/harbour-post.rss").is_file());
    assert!(store.join("brief/index.html").is_file());
    let stories = stdout(in_data_dir(&store, &["stories"]), "stories");
    assert!(stories.contains("s1"), "{stories}");
}
