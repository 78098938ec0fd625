//! `storyline brief`: a golden Markdown briefing over the seed-like
//! fixtures, and the briefing the demo writes.
//!
//! The golden file is the whole report, so any change to what a briefing
//! says shows up as a diff to review. After an intended change, regenerate
//! it with `STORYLINE_UPDATE_GOLDEN=1 cargo test -p storyline-cli --test brief`.

use std::path::{Path, PathBuf};
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

fn manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn seedlike_briefing_matches_the_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let src = manifest().join("tests/fixtures/seedlike");
    run(&["ingest", src.to_str().unwrap(), "--data-dir", d, "-q"]);
    let out = run(&["brief", "--data-dir", d]);
    let got = String::from_utf8(out.stdout).expect("UTF-8 Markdown");
    let golden = manifest().join("tests/golden/brief-seedlike.md");
    if std::env::var_os("STORYLINE_UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &got).unwrap();
    }
    let want = std::fs::read_to_string(&golden).unwrap_or_default();
    if got != want {
        let first = got
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(got.lines().count().min(want.lines().count()));
        panic!(
            "briefing differs from {} at line {}:\n got: {:?}\nwant: {:?}\n(regenerate with STORYLINE_UPDATE_GOLDEN=1 after checking the change)",
            golden.display(),
            first + 1,
            got.lines().nth(first),
            want.lines().nth(first)
        );
    }
    // What an analyst must see in it, whatever else changes.
    assert!(got.contains("Articles without a known date"), "{got}");
    assert!(
        got.contains("| at least 31 | the regional health office |"),
        "{got}"
    );
}

#[test]
fn brief_json_html_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let src = manifest().join("tests/fixtures/seedlike");
    run(&["ingest", src.to_str().unwrap(), "--data-dir", d, "-q"]);

    let out = run(&["brief", "s1", "--format", "json", "--data-dir", d]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let b = &v[0];
    assert_eq!(b["schema"], "storyline.brief/1");
    assert_eq!(b["story"]["id"], "s1");
    let figure = &b["figures"][0]["rows"][0];
    assert!(
        figure["sentence"].as_str().is_some_and(|s| !s.is_empty()),
        "{b}"
    );
    assert!(
        figure["article"].as_str().is_some_and(|s| s.len() == 16),
        "{b}"
    );

    let page = dir.path().join("out/brief.html");
    run(&[
        "brief",
        "--format",
        "html",
        "--out",
        page.to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Key actors"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));

    let missing = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["brief", "s999", "--data-dir", d])
        .env_remove("STORYLINE_DATA")
        .env_remove("STORYLINE_STORE")
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no story"));
}

#[test]
fn demo_writes_the_briefing_with_charts() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("store");
    let corpus = manifest().join("../../demo/corpus");
    run(&[
        "demo",
        corpus.to_str().unwrap(),
        "--data-dir",
        d.to_str().unwrap(),
        "-q",
    ]);
    let html = std::fs::read_to_string(d.join("brief.html")).expect("demo writes brief.html");
    let md = std::fs::read_to_string(d.join("brief.md")).expect("demo writes brief.md");
    for section in [
        "Timeline",
        "Key actors",
        "Figures",
        "Contested claims",
        "Quotes by speaker",
        "Coverage by outlet",
        "What we don't know",
    ] {
        assert!(
            md.contains(&format!("### {section}")),
            "no {section} in brief.md"
        );
        assert!(html.contains(section), "no {section} in brief.html");
    }
    // The toll rises 12 → 23 → 37 in the first days: a chart is drawn, and
    // the Markdown links every chart it wrote.
    assert!(html.contains("<svg"), "no chart in brief.html");
    let charts: Vec<_> = std::fs::read_dir(d.join("brief-charts"))
        .expect("charts beside brief.md")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(charts.iter().any(|c| c.contains("killed")), "{charts:?}");
    for c in &charts {
        assert!(
            md.contains(&format!("](brief-charts/{c})")),
            "{c} is not linked"
        );
    }
    // The undated article is named as a gap.
    assert!(
        md.contains("What the water took"),
        "the undated article is listed"
    );
}
