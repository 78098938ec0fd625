//! Hostile input end to end: a broken actor file.

use std::path::Path;
use std::process::{Command, Output};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_storyline"));
    c.env_remove("STORYLINE_DATA").env("STORYLINE_LOG", "warn");
    c
}

fn run_in(data: &Path, args: &[&str]) -> Output {
    bin()
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .output()
        .expect("running storyline")
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what}: exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn json(out: &Output, what: &str) -> serde_json::Value {
    ok(out, what);
    serde_json::from_slice(&out.stdout).expect("one JSON document")
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
