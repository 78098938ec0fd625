//! `storyline brief`: golden Markdown and HTML briefings over the
//! seed-like fixtures, and the briefings the demo writes.
//!
//! The golden files are whole reports (every page of `brief --out DIR`,
//! one after another), so any change to what a briefing says shows up as
//! a diff to review. `SOURCE_DATE_EPOCH` fixes the generation time and
//! the temporary data directory is written as `DATA_DIR`. After an
//! intended change, regenerate them with
//! `STORYLINE_UPDATE_GOLDEN=1 cargo test -p storyline-cli --test brief`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// 22 Mar 2025 10:00 UTC.
const GENERATED: &str = "1742637600";

fn storyline(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_storyline"));
    cmd.args(args)
        .env_remove("STORYLINE_DATA")
        .env_remove("STORYLINE_STORE")
        .env("SOURCE_DATE_EPOCH", GENERATED)
        .env("STORYLINE_LOG", "warn");
    cmd
}

fn run(args: &[&str]) -> Output {
    let out = storyline(args).output().expect("running storyline");
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

/// Every file of `dir` but the charts, by name, each under a `==> name <==`
/// line, with the data directory written as `DATA_DIR`.
fn pages(dir: &Path, data: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-charts"))
        .collect();
    names.sort();
    let data = std::fs::canonicalize(data).unwrap();
    let mut out = String::new();
    for n in names {
        let text = std::fs::read_to_string(dir.join(&n)).unwrap();
        out.push_str(&format!("==> {n} <==\n"));
        out.push_str(&text.replace(data.to_str().unwrap(), "DATA_DIR"));
    }
    out
}

/// Compares `got` with the golden file `name`, or rewrites it under
/// `STORYLINE_UPDATE_GOLDEN`.
fn golden(name: &str, got: &str) {
    let golden = manifest().join("tests/golden").join(name);
    if std::env::var_os("STORYLINE_UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, got).unwrap();
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
}

#[test]
fn seedlike_briefings_match_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let d = data.to_str().unwrap();
    let src = manifest().join("tests/fixtures/seedlike");
    run(&["ingest", src.to_str().unwrap(), "--data-dir", d, "-q"]);

    let md = dir.path().join("md");
    let out = run(&["brief", "--out", md.to_str().unwrap(), "--data-dir", d]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with("wrote ") && said.contains("index.md"),
        "{said}"
    );
    let got = pages(&md, &data);
    golden("brief-seedlike.md", &got);
    // What an analyst must see in it, whatever else changes.
    assert!(got.contains("## Summary"), "{got}");
    assert!(got.contains("Articles without a known date"), "{got}");
    assert!(got.contains("| at least 23 † | Maren Holt |"), "{got}");
    assert!(got.contains("Generated 22 Mar 2025 10:00 UTC from the data directory DATA_DIR."));

    let html = dir.path().join("html");
    run(&[
        "brief",
        "--format",
        "html",
        "--out",
        html.to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    golden("brief-seedlike.html", &pages(&html, &data));
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
    assert_eq!(b["schema"], "storyline.brief/2");
    assert_eq!(b["story"]["id"], "s1");
    // Every cited article is in `sources`, with its title.
    let sources = b["sources"].as_array().unwrap();
    assert!(!sources.is_empty(), "{b}");
    assert!(sources
        .iter()
        .all(|s| s["title"].as_str().is_some_and(|t| !t.is_empty())));
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
    let out = run(&[
        "brief",
        "l1",
        "--format",
        "html",
        "--out",
        page.to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    // A successful --out says what it wrote.
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with("wrote ") && said.contains("brief.html (storyline l1"),
        "{said}"
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Key actors"));
    assert!(!html.contains("<script") && !html.contains(" src="));
    // Articles with no address of their own link to `storyline serve`.
    assert!(
        html.contains("href=\"http://127.0.0.1:8080/articles/"),
        "{html}"
    );
    let page = dir.path().join("out/other.html");
    run(&[
        "brief",
        "l1",
        "--format",
        "html",
        "--link-base",
        "https://news.example.org/storyline/",
        "--out",
        page.to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("href=\"https://news.example.org/storyline/articles/"));

    // Without a storyline or a folder there is nothing to write to.
    let no_out = storyline(&["brief", "--data-dir", d]).output().unwrap();
    assert_eq!(no_out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&no_out.stderr).contains("--out DIR"));
    let bad_base = storyline(&[
        "brief",
        "l1",
        "--link-base",
        "javascript:x",
        "--data-dir",
        d,
    ])
    .output()
    .unwrap();
    assert_eq!(bad_base.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_base.stderr).contains("--link-base"));
    let bad_epoch = storyline(&["brief", "l1", "--data-dir", d])
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .unwrap();
    assert!(!bad_epoch.status.success());
    assert!(String::from_utf8_lossy(&bad_epoch.stderr).contains("SOURCE_DATE_EPOCH"));

    let missing = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["brief", "s999", "--data-dir", d])
        .env_remove("STORYLINE_DATA")
        .env_remove("STORYLINE_STORE")
        .output()
        .unwrap();
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no storyline or story"));
}

#[test]
fn demo_writes_a_briefing_per_storyline_with_charts() {
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
    let folder = d.join("brief");
    let index = std::fs::read_to_string(folder.join("index.html")).expect("demo writes index.html");
    assert!(index.contains("href=\"l1.html\""), "{index}");
    let html = std::fs::read_to_string(folder.join("l1.html")).expect("demo writes l1.html");
    let md = std::fs::read_to_string(folder.join("l1.md")).expect("demo writes l1.md");
    for section in [
        "Summary",
        "Its stories",
        "Timeline",
        "Key actors",
        "Figures",
        "Contested claims",
        "Quotes",
        "Coverage by outlet",
        "What we don't know",
        "About this briefing",
    ] {
        assert!(
            md.contains(&format!("## {section}")),
            "no {section} in l1.md"
        );
        assert!(html.contains(section), "no {section} in l1.html");
    }
    // The summary names the latest toll, its claimant and its day.
    assert!(
        md.contains("**killed: 81**, according to the health ministry, as of 24 Mar 2025"),
        "{md}"
    );
    // Every source is a link: the demo's articles have addresses, and the
    // rest link to `storyline serve`.
    assert!(html.contains("href=\"https://"), "no article links");
    // The toll rises 12 → 23 → 37 in the first days: a chart is drawn, and
    // the Markdown links every chart it wrote.
    assert!(html.contains("<svg"), "no chart in l1.html");
    let charts: Vec<_> = std::fs::read_dir(folder.join("l1-charts"))
        .expect("charts beside l1.md")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(charts.iter().any(|c| c.contains("killed")), "{charts:?}");
    for c in &charts {
        assert!(
            md.contains(&format!("](l1-charts/{c})")),
            "{c} is not linked"
        );
    }
    // The undated article is named as a gap.
    assert!(
        md.contains("What the water took"),
        "the undated article is listed"
    );
    // A readable length: a few thousand words for the largest storyline.
    let words = html
        .split(['<', '>'])
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, t)| t.split_whitespace().count())
        .sum::<usize>();
    assert!(words < 7_000, "{words} words");
}
