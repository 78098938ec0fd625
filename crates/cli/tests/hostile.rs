//! Hostile input end to end: a word too long for a store key, terminal
//! escape sequences in article data and file names, formulas bound for a
//! spreadsheet, a broken actor file, inputs that hold nothing, links out
//! of a folder and a FIFO.

mod common;

use std::path::PathBuf;
use std::process::Output;

use common::{bin, in_data_dir as run_in, succeeded as ok};

fn json(out: &Output, what: &str) -> serde_json::Value {
    ok(out, what);
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

#[test]
fn a_600_letter_word_links_and_later_articles_still_link() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    // 630 letters: a story term whose counter key is over 512 bytes.
    let word = "pneumonoultramicroscopicsilicovolcanoconiosis".repeat(14);
    let long = dir.path().join("long.txt");
    std::fs::write(
        &long,
        format!(
            "title: The {word} report\ndate: 2024-05-02\nsource: Lab Weekly\n\n\
             Doctors said the {word} cases rose in Brenn on Thursday. The {word} ward \
             was closed, the regional health office said."
        ),
    )
    .unwrap();
    let normal = dir.path().join("normal.txt");
    std::fs::write(
        &normal,
        "title: Quarry toll rises\ndate: 2024-05-04\nsource: Valley Post\n\n\
         The death toll from the quarry collapse near Brenn has risen to at least 19, the \
         regional health office said on Saturday.",
    )
    .unwrap();
    for (file, n) in [(&long, 1), (&normal, 1)] {
        let out = run_in(
            &data,
            &["ingest", file.to_str().unwrap(), "--no-link", "-q"],
        );
        ok(&out, "ingest");
        let report = json(&run_in(&data, &["link", "--json"]), "link");
        assert_eq!(report["articles"], n, "{report}");
    }
    // Linking is not stuck: nothing is left to link, and both are in stories.
    let report = json(&run_in(&data, &["link", "--json"]), "link");
    assert_eq!(report["articles"], 0);
    let stories = json(&run_in(&data, &["stories", "--json"]), "stories");
    let articles: u64 = stories["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["articles"].as_u64().unwrap())
        .sum();
    assert_eq!(articles, 2, "{stories}");
}

/// A title that clears the screen, retitles the terminal, plants an OSC 8
/// hyperlink, colours with a C1 CSI, reverses text and isolates a run, and
/// breaks the line.
const TITLE: &str = "Flood \u{1b}[2J\u{1b}]0;pwned\u{7} \u{1b}]8;;http://evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\ \u{9b}31mred \u{202e}gnp.exe \u{2066}iso\u{2069} line\nforged: title";

/// No character that acts on a terminal: C0 but newline and tab, DEL, C1,
/// bidi overrides and isolates; and no line that starts like one a hostile
/// name or title made.
fn assert_inert(text: &str, what: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\n' | '\t'))
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?} in\n{text}");
    assert!(
        !text.lines().any(|l| l.starts_with("forged")),
        "{what}: a forged line in\n{text}"
    );
}

fn hostile_store() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    // A file name with a newline and an escape: its problem line and its
    // `from` line must stay one line each.
    let file = src.join("evil\nforged: skipped: injected \u{1b}[31m.jsonl");
    let record = |text: &str| {
        serde_json::json!({
            "title": TITLE,
            "source": "Wire \u{202e}evil\u{1b}[31m",
            "author": "Ana \u{9b}2J Ruiz",
            "date": "2024-05-02",
            "text": text,
        })
        .to_string()
    };
    let lines = [
        record("At least 14 people were killed when the river flooded Brenn, the regional health office said on Thursday."),
        "this line is not JSON \u{1b}[2J".to_string(),
        record("The death toll from the flood in Brenn has risen to at least 19, the regional health office said on Saturday."),
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    let data = dir.path().join("store");
    (dir, data, file)
}

#[test]
fn article_data_and_file_names_reach_the_terminal_inert() {
    let (_dir, data, file) = hostile_store();
    let f = file.to_str().unwrap();
    // Debug logging names every file read: its lines must be inert too.
    let out = bin()
        .env_remove("STORYLINE_LOG")
        .args(["-vv", "ingest", f, "--data-dir"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "one bad line, two articles");
    assert_inert(&String::from_utf8_lossy(&out.stdout), "ingest stdout");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_inert(&err, "ingest stderr");
    assert!(
        err.contains("evil\\nforged: skipped: injected \\u{1b}[31m.jsonl:2"),
        "{err}"
    );

    let list = json(&run_in(&data, &["articles", "--json"]), "articles");
    let id = list["articles"][0]["id"].as_str().unwrap().to_string();
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["articles"],
        vec!["show", &id],
        vec!["search", "flood"],
        vec!["stats"],
        vec!["stories"],
        vec!["entities"],
        vec!["claims"],
        vec!["findings"],
        vec!["stances"],
        vec!["timeline", "s1"],
        vec!["link"],
        vec!["check", "at least 19 people were killed in Brenn"],
        vec!["brief", "l1"],
        vec!["brief", "s1"],
        vec!["analyze", f],
    ];
    commands.push(vec!["export", "--format", "csv", "--what", "articles"]);
    for args in &commands {
        let out = run_in(&data, args);
        let what = args.join(" ");
        assert!(
            out.status.code().is_some_and(|c| c <= 3),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_inert(&String::from_utf8_lossy(&out.stderr), &what);
        // `export` and `analyze` print data for programs (CSV, JSON), not
        // lines for a person; their stderr is still checked.
        if !matches!(args[0], "export" | "analyze") {
            assert_inert(&String::from_utf8_lossy(&out.stdout), &what);
        }
    }
    // The escapes are shown, not dropped: the reader can see what was there.
    let show = run_in(&data, &["show", &id]);
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(text.contains("\\u{1b}[2J"), "{text}");
    assert!(text.contains("\\u{202e}gnp.exe"), "{text}");
    assert!(text.contains("evil\\nforged"), "{text}");
}

#[test]
fn csv_exports_keep_formulas_inert() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let file = dir.path().join("f.jsonl");
    let rec = serde_json::json!({
        "title": "=HYPERLINK(\"http://evil.example\",\"click\")",
        "source": "@SUM(1+1)",
        "author": "-2+3",
        "date": "2024-05-02",
        "text": "At least 14 people were killed when the river flooded Brenn, officials said.",
    });
    std::fs::write(&file, format!("{rec}\n")).unwrap();
    ok(
        &run_in(&data, &["ingest", file.to_str().unwrap(), "-q"]),
        "ingest",
    );
    let out = run_in(&data, &["export", "--format", "csv", "--what", "articles"]);
    ok(&out, "export");
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let headers = r.headers().unwrap().clone();
    let row = r.records().next().unwrap().unwrap();
    let cell = |name: &str| {
        let i = headers.iter().position(|h| h == name).unwrap();
        row.get(i).unwrap().to_string()
    };
    assert_eq!(
        cell("title"),
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(cell("source"), "'@SUM(1+1)");
    assert_eq!(cell("authors"), "'-2+3");
    // An engine-computed number is a number.
    assert!(cell("words").parse::<u64>().is_ok());
}

#[test]
fn a_bad_actor_file_stops_only_the_commands_that_link() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let file = dir.path().join("a.txt");
    std::fs::write(
        &file,
        "title: Bridge opens\ndate: 2024-05-02\n\nThe new bridge in Brenn opened on Thursday.",
    )
    .unwrap();
    ok(
        &run_in(&data, &["ingest", file.to_str().unwrap(), "-q"]),
        "ingest",
    );
    std::fs::write(
        data.join("actors.tsv"),
        "# my actors\ncountry\tRuritania\nnot-a-kind\tSomething\n",
    )
    .unwrap();
    for args in [
        vec!["articles"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["show", "--json", ""],
        vec!["stories"],
    ] {
        let mut args = args;
        let id;
        if args[0] == "show" {
            let list = json(&run_in(&data, &["articles", "--json"]), "articles");
            id = list["articles"][0]["id"].as_str().unwrap().to_string();
            args[2] = &id;
        }
        ok(&run_in(&data, &args), &args.join(" "));
    }
    for args in [
        vec!["link"],
        vec!["relink"],
        vec!["check", "the bridge opened"],
    ] {
        let out = run_in(&data, &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("actors.tsv") && err.contains("line 3") && err.contains("not-a-kind"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn inputs_that_hold_nothing_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    for (name, body) in [("empty.json", "[]"), ("header.csv", "title,text\n")] {
        let file = dir.path().join(name);
        std::fs::write(&file, body).unwrap();
        let out = run_in(&data, &["ingest", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("holds no records"), "{name}: {err}");
    }
}

#[cfg(unix)]
#[test]
fn folders_keep_to_themselves_and_fifos_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("store");
    let outside = dir.path().join("outside.txt");
    std::fs::write(
        &outside,
        "A private note about the harbour, not for ingesting.",
    )
    .unwrap();
    let folder = dir.path().join("news");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(
        folder.join("a.txt"),
        "The harbour reopened on Monday after repairs.",
    )
    .unwrap();
    std::os::unix::fs::symlink(&outside, folder.join("link.txt")).unwrap();

    let out = run_in(&data, &["ingest", folder.to_str().unwrap(), "--json"]);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["inserted"], 1, "{summary}");
    assert!(summary
        .to_string()
        .contains("outside the folder being read"));
    let out = run_in(
        &data,
        &[
            "ingest",
            folder.to_str().unwrap(),
            "--follow-symlinks",
            "--json",
        ],
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        summary["inserted"], 1,
        "the linked file, asked for: {summary}"
    );

    let fifo = dir.path().join("pipe");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        // Would block for ever if it were opened.
        let out = run_in(&data, &["ingest", fifo.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a regular file (a FIFO)"), "{err}");
    }
}
