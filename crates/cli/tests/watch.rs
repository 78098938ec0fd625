//! `storyline watch`: each pass ingests only what is new, links it, and the
//! watch stops cleanly on Ctrl-C (SIGINT). Each scenario runs on SQLite
//! and on PostgreSQL (`on_each_store!`).

#[macro_use]
mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{bin, TestStore};

on_each_store!(
    later_passes_read_only_new_files_and_link_them,
    a_file_being_appended_to_is_stored_once_whole,
);
// SIGINT is sent with `kill`.
#[cfg(unix)]
on_each_store!(ctrl_c_stops_the_watch_cleanly);

fn article(dir: &std::path::Path, name: &str, day: u32, toll: u32) {
    std::fs::write(
        dir.join(name),
        format!(
            "title: Quarry toll {toll}\ndate: 2024-05-{day:02}\nsource: Shore Times {name}\n\n\
             At least {toll} people were killed when a quarry wall collapsed near Brenn, the \
             regional health office said."
        ),
    )
    .unwrap();
}

/// A folder to watch, in a temporary directory removed when dropped.
fn inbox() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    (dir, src)
}

fn spawn(store: &TestStore, args: &[&str]) -> std::process::Child {
    store
        .cmd()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("running storyline")
}

fn later_passes_read_only_new_files_and_link_them(store: &TestStore) {
    let (_dir, src) = inbox();
    article(&src, "a.txt", 2, 14);
    article(&src, "b.txt", 3, 15);
    let mut child = spawn(
        store,
        &[
            "watch",
            src.to_str().unwrap(),
            "--every",
            "2s",
            "--passes",
            "2",
            "--settle",
            "0",
            "--json",
        ],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["pass"], 1);
    assert_eq!(first["new_articles"], 2, "{first}");
    assert_eq!(first["linked"], 2, "{first}");
    // A new file arrives between the passes.
    article(&src, "c.txt", 5, 21);
    let second: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(second["pass"], 2);
    assert_eq!(second["new_articles"], 1, "{second}");
    assert_eq!(
        second["unchanged"], 2,
        "the two old files are not read again: {second}"
    );
    assert_eq!(second["linked"], 1, "{second}");
    assert!(
        second["update"].as_u64() >= Some(1),
        "the toll rose: {second}"
    );
    let status = child.wait().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
fn ctrl_c_stops_the_watch_cleanly(store: &TestStore) {
    let (_dir, src) = inbox();
    article(&src, "a.txt", 2, 14);
    let mut child = spawn(
        store,
        &[
            "watch",
            src.to_str().unwrap(),
            "--every",
            "1h",
            "--settle",
            "0",
        ],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.contains("pass 1: 1 new article"), "{first}");
    // Sleeping until the next pass, an hour away: SIGINT must end it now.
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.contains("watch stopped after 1 pass"), "{err}");
    // What the pass stored is there.
    assert_eq!(store.json(&["articles", "--json"])["count"], 1);
}

#[test]
fn stdin_and_bad_intervals_are_refused() {
    for args in [
        vec!["watch", "-"],
        vec!["watch", "x", "--every", "0s"],
        vec!["watch", "x", "--every", "soon"],
    ] {
        let out = bin()
            .args(&args)
            .env(
                "STORYLINE_DATA",
                std::env::temp_dir().join("storyline-watch-refused"),
            )
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

fn a_file_being_appended_to_is_stored_once_whole(store: &TestStore) {
    let (_dir, src) = inbox();
    let path = src.join("growing.txt");
    std::fs::write(
        &path,
        "title: Quarry inquiry\ndate: 2024-05-02\nsource: Shore Times\n\n\
         The inquiry into the quarry collapse near Brenn opened on Thursday.\n",
    )
    .unwrap();
    let mut child = spawn(
        store,
        &[
            "watch",
            src.to_str().unwrap(),
            "--every",
            "1s",
            "--settle",
            "2s",
            "--passes",
            "8",
            "--json",
        ],
    );
    // A slow writer: a paragraph every 300 ms for three seconds, while
    // the watch passes every second.
    let writer = {
        let path = path.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            for i in 0..10 {
                std::thread::sleep(std::time::Duration::from_millis(300));
                let mut f = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&path)
                    .unwrap();
                writeln!(
                    f,
                    "Witness {i} told the inquiry that the wall had cracked weeks before."
                )
                .unwrap();
            }
        })
    };
    writer.join().unwrap();
    let passes: Vec<serde_json::Value> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    assert!(child.wait().unwrap().success());
    let stored: u64 = passes
        .iter()
        .map(|p| p["new_articles"].as_u64().unwrap())
        .sum();
    assert_eq!(stored, 1, "the file was stored once: {passes:?}");
    let list = store.json(&["articles", "--json"]);
    assert_eq!(list["count"], 1, "{list}");
    let id = list["articles"][0]["id"].as_str().unwrap().to_string();
    let shown = store.stdout(&["show", &id, "--json"]);
    assert!(shown.contains("Witness 9 told"), "stored whole: {shown}");
}
