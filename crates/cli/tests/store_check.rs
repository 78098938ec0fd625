//! `storyline check-store`: a whole store is clean (exit 0), a damaged one
//! names its damage (exit 3), and the check repairs nothing.

use std::path::Path;
use std::process::{Command, Output};

fn run_in(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_storyline"))
        .env_remove("STORYLINE_DATA")
        .env_remove("STORYLINE_STORE")
        .env("STORYLINE_LOG", "warn")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()
        .expect("running storyline")
}

fn say(out: &Output) -> String {
    format!(
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn store_with_articles(dir: &Path) -> std::path::PathBuf {
    let data = dir.join("store");
    let input = dir.join("in");
    std::fs::create_dir(&input).expect("creates");
    for i in 0..3 {
        std::fs::write(
            input.join(format!("a{i}.txt")),
            format!(
                "title: Quarry report {i}\ndate: 2024-05-0{}\nsource: Valley Post\n\n\
                 Officials said {} workers were hurt at the Brenn quarry{i} on Thursday.",
                i + 1,
                10 + i
            ),
        )
        .expect("writes");
    }
    let out = run_in(&data, &["ingest", input.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", say(&out));
    data
}

#[test]
fn a_whole_store_is_clean_and_a_damaged_one_exits_3() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = store_with_articles(dir.path());

    let out = run_in(&data, &["check-store", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", say(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["schema"], "storyline.check-store/1");
    assert_eq!(doc["clean"], true);
    assert_eq!(doc["articles"], 3);
    assert_eq!(doc["index"]["documents"], 3);
    assert_eq!(doc["links"]["unlinked"], 0, "ingest links what it stores");
    let out = run_in(&data, &["check-store"]);
    assert_eq!(out.status.code(), Some(0), "{}", say(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("clean: no problems found"));

    // An index that lost its metadata: found, named, and left as it is.
    let meta = data.join(storyline_store::INDEX_DIR).join("meta.json");
    std::fs::remove_file(&meta).expect("damages the index");
    let out = run_in(&data, &["check-store", "--json"]);
    assert_eq!(out.status.code(), Some(3), "{}", say(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(doc["clean"], false);
    assert!(doc["index"].is_null());
    assert!(
        doc["problems"][0]
            .as_str()
            .is_some_and(|p| p.contains("cannot be opened")),
        "{doc}"
    );
    assert!(!meta.exists(), "check-store repaired nothing");
    let out = run_in(&data, &["check-store"]);
    assert_eq!(out.status.code(), Some(3), "{}", say(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 problem:"));

    // `reindex` repairs it, and the store is clean again.
    let out = run_in(&data, &["reindex"]);
    assert!(out.status.success(), "{}", say(&out));
    let out = run_in(&data, &["check-store"]);
    assert_eq!(out.status.code(), Some(0), "{}", say(&out));
}

#[test]
fn a_directory_without_a_store_is_an_error_not_a_clean_bill() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_in(dir.path(), &["check-store"]);
    assert_eq!(out.status.code(), Some(1), "{}", say(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no storyline store"));
}
