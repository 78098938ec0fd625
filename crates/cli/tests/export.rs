//! `storyline export`: JSONL and CSV that other tools can read back.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(args)
        .env_remove("STORYLINE_DATA")
        .env_remove("STORYLINE_STORE")
        .env("STORYLINE_LOG", "warn")
        .output()
        .expect("running storyline");
    assert!(
        out.status.success(),
        "storyline {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A store with two short articles whose text is full of CSV and JSON
/// metacharacters.
fn store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(
        src.join("a.txt"),
        "title: Quarry \"collapse\", north shore\ndate: 2024-05-02\nsource: Shore Times\n\n\
         At least 14 people were killed when a quarry wall collapsed near Brenn, the regional \
         health office said on Thursday. \"We heard it, then nothing,\" said Ola Ruud, a driver.",
    )
    .unwrap();
    std::fs::write(
        src.join("b.txt"),
        "title: Quarry toll rises\ndate: 2024-05-04\nsource: Valley Post\n\n\
         The death toll from the quarry collapse near Brenn has risen to at least 19, the \
         regional health office said on Saturday, as rescuers searched the rubble.",
    )
    .unwrap();
    let d = dir.path().join("store");
    run(&[
        "ingest",
        src.to_str().unwrap(),
        "--data-dir",
        d.to_str().unwrap(),
        "-q",
    ]);
    dir
}

fn data(dir: &Path) -> String {
    dir.join("store").to_str().unwrap().to_string()
}

#[test]
fn jsonl_has_every_record_type_one_object_per_line() {
    let dir = store();
    let out = run(&["export", "--data-dir", &data(dir.path())]);
    let text = String::from_utf8(out.stdout).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        kinds.insert(v["record"].as_str().unwrap().to_string());
    }
    for k in ["article", "entity", "figure", "quote", "claim", "finding"] {
        assert!(kinds.contains(k), "no {k} records in {kinds:?}");
    }
}

#[test]
fn csv_tables_read_back_with_their_headers() {
    let dir = store();
    let d = data(dir.path());
    let figures = run(&[
        "export",
        "--format",
        "csv",
        "--what",
        "figures",
        "--data-dir",
        &d,
    ]);
    let mut r = csv::Reader::from_reader(&figures.stdout[..]);
    let headers = r.headers().unwrap().clone();
    assert_eq!(&headers[0], "date");
    assert!(headers.iter().any(|h| h == "claimant") && headers.iter().any(|h| h == "evidence"));
    // The figure model's fields travel too.
    for h in ["population", "period", "since", "on", "publisher"] {
        assert!(
            headers.iter().any(|x| x == h),
            "no {h} column in {headers:?}"
        );
    }
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let period = headers.iter().position(|h| h == "period").unwrap();
    assert!(
        rows.iter().all(|row| !row[period].is_empty()),
        "every figure has a period"
    );
    let value = headers.iter().position(|h| h == "value").unwrap();
    let values: Vec<&str> = rows.iter().map(|row| &row[value]).collect();
    assert!(
        values.contains(&"14.0") && values.contains(&"19.0"),
        "{values:?}"
    );

    // Events default for CSV, PLOVER columns first.
    let events = run(&["export", "--format", "csv", "--data-dir", &d]);
    let mut r = csv::Reader::from_reader(&events.stdout[..]);
    let h: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(
        &h[..7],
        [
            "date",
            "actor",
            "actor_id",
            "target",
            "target_id",
            "type",
            "place"
        ]
    );

    // Quotes keep their quotation marks and commas inside one field.
    let quotes = run(&[
        "export",
        "--format",
        "csv",
        "--what",
        "quotes",
        "--data-dir",
        &d,
    ]);
    let mut r = csv::Reader::from_reader(&quotes.stdout[..]);
    let text = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "text")
        .unwrap();
    let found: Vec<String> = r.records().map(|x| x.unwrap()[text].to_string()).collect();
    assert!(
        found
            .iter()
            .any(|t| t.contains("\"We heard it, then nothing,\"")),
        "{found:?}"
    );
}

#[test]
fn empty_store_exports_headers_only_and_out_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("empty");
    let d = d.to_str().unwrap();
    // Readers never create a store; a writer makes an empty one.
    run(&["reindex", "--data-dir", d]);
    let out = run(&[
        "export",
        "--format",
        "csv",
        "--what",
        "articles",
        "--data-dir",
        d,
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.is_empty() || text.lines().count() <= 1, "{text}");
    let jsonl = run(&["export", "--data-dir", d]);
    assert!(jsonl.stdout.is_empty());
    let file = dir.path().join("x.jsonl");
    run(&["export", "--out", file.to_str().unwrap(), "--data-dir", d]);
    assert!(file.exists());
}
