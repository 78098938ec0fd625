//! The demo corpus against its answer key (`demo/EXPECTED.md`, section 1):
//! dates and their provenance, authors, datelines, the near-duplicate pair,
//! and boilerplate kept out of the text.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

struct Demo {
    _dir: tempfile::TempDir,
    data: String,
    by_file: HashMap<String, Value>,
}

fn storyline(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(args)
        .env_remove("STORYLINE_DATA")
        .env_remove("STORYLINE_STORE")
        .output()
        .expect("running storyline");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON document")
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/corpus");
    let summary = storyline(&[
        "ingest",
        corpus.to_str().unwrap(),
        "--data-dir",
        &data,
        "--json",
    ]);
    assert_eq!(
        summary["skipped"],
        serde_json::json!([]),
        "the demo corpus ingests cleanly"
    );
    let list = storyline(&["articles", "--json", "--data-dir", &data]);
    let mut by_file = HashMap::new();
    for a in list["articles"].as_array().unwrap() {
        let origin = a["origin"].as_str().unwrap();
        let key = origin
            .rsplit_once("corpus/")
            .map(|(_, k)| k.to_string())
            .unwrap_or_else(|| origin.to_string());
        by_file.insert(key, a.clone());
    }
    Demo {
        _dir: dir,
        data,
        by_file,
    }
}

impl Demo {
    fn get(&self, file: &str) -> &Value {
        self.by_file
            .get(file)
            .unwrap_or_else(|| panic!("no article from {file}; have {:?}", self.by_file.keys()))
    }

    fn text(&self, file: &str) -> String {
        let id = self.get(file)["id"].as_str().unwrap().to_string();
        storyline(&["show", &id, "--json", "--data-dir", &self.data])["text"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

#[test]
fn demo_corpus_matches_its_answer_key() {
    let d = demo();
    assert_eq!(d.by_file.len(), 36);
    let sources: std::collections::HashSet<&str> = d
        .by_file
        .values()
        .filter_map(|a| a["source"].as_str())
        .collect();
    assert_eq!(sources.len(), 11, "{sources:?}");

    // Exactly one undated article, one inferred, one dated by its URL.
    let count = |p: &str| {
        d.by_file
            .values()
            .filter(|a| a["published_provenance"] == p)
            .count()
    };
    assert_eq!(count("unknown"), 1);
    assert_eq!(count("inferred"), 1);
    assert_eq!(count("url"), 1);

    let undated = d.get("text/opinion-what-the-water-took.txt");
    assert_eq!(undated["published"], Value::Null);
    assert_eq!(undated["published_provenance"], "unknown");

    let inferred = d.get("text/tirva-talks-ministers-meet.txt");
    assert_eq!(inferred["published"], "2025-03-14");
    assert!(inferred["published_confidence"].as_f64().unwrap() < 1.0);
    assert!(inferred["published_evidence"]
        .as_str()
        .unwrap()
        .contains("On March 14, 2025"));

    let url_dated = d.get("html/coastal-observer-shells-hit-aid-point-orvano.html");
    assert_eq!(url_dated["published"], "2025-03-11");
    assert_eq!(url_dated["published_provenance"], "url");

    let no_colon = d.get("text/2025-03-03-floodwater-swallows-lessk.txt");
    assert_eq!(
        (
            no_colon["published"].as_str(),
            no_colon["published_provenance"].as_str()
        ),
        (Some("2025-03-03"), Some("header"))
    );

    let front_matter = d.get("markdown/venn-calls-for-immediate-truce.md");
    assert_eq!(front_matter["published"], "2025-03-07");

    let feed_item = d.get("feeds/harbour-post.rss (record 3)");
    assert_eq!(feed_item["published"], "2025-03-12T19:10:00+01:00");
    assert_eq!(feed_item["published_provenance"], "metadata");
    assert_eq!(feed_item["authors"], serde_json::json!(["Marco Deniz"]));

    let jsonl = d.get("jsonl/northline-news.jsonl:2 (record 2)");
    assert_eq!(jsonl["published"], "2025-03-09T18:05:00+01:00");
    assert_eq!(jsonl["source"], "Northline News");
}

#[test]
fn demo_bylines_datelines_and_copies() {
    let d = demo();
    let wire = d.get("text/2025-03-03-korrin-dam-bursts.txt");
    assert_eq!(
        wire["authors"],
        serde_json::json!(["Ines Marlow", "Petr Haskel"])
    );
    assert_eq!(wire["dateline"]["place"], "LESSK, Marevia");
    assert_eq!(wire["dateline"]["agency"], "Meridian Wire");

    let original = d.get("text/2025-03-08-first-aid-convoy-reaches-lessk.txt");
    let copy = d.get("text/2025-03-08-relief-trucks-roll-into-lessk.txt");
    assert_eq!(original["is_duplicate"], false);
    assert_eq!(copy["is_duplicate"], true);
    assert_eq!(copy["duplicate_group"], original["id"]);
    let copies = d
        .by_file
        .values()
        .filter(|a| a["is_duplicate"] == true)
        .count();
    assert_eq!(copies, 1, "no other article is a near-duplicate");

    let modified = d.get("html/salven-courier-40000-displaced.html");
    assert_eq!(modified["published"], "2025-03-06T08:45:00+01:00");
    assert_eq!(modified["authors"], serde_json::json!(["Anna Weiss"]));
}

#[test]
fn demo_html_boilerplate_stays_out_of_the_text() {
    let d = demo();
    let commented = d.text("html/coastal-observer-first-aid-reaches-lessk.html");
    assert!(
        !commented.contains("My cousin in Orvano says"),
        "comments are not article text"
    );
    let newsletter = d.text("html/salven-courier-governor-declares-emergency.html");
    assert!(
        !newsletter.contains("Morning Briefing:"),
        "newsletter box removed"
    );
    assert!(
        !newsletter.to_lowercase().contains("cookie"),
        "cookie banner removed"
    );
}

/// Section 6 of the answer key: the demo exercises every finding kind, and
/// the findings named there come out with both sentences.
#[test]
fn demo_findings_agree_update_and_contradict() {
    let d = demo();
    let all = storyline(&["findings", "--json", "--data-dir", &d.data]);
    assert_eq!(all["schema"], "storyline.findings/1");
    for kind in ["agree", "update", "contradict"] {
        assert!(
            all["counts"][kind].as_u64().unwrap_or(0) > 0,
            "no {kind} finding: {}",
            all["counts"]
        );
    }
    let findings = all["findings"].as_array().unwrap();
    let sentences = |f: &Value| -> String {
        f["claims"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["evidence"]["sentence"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    // C1: displaced on 03-06, ministry against NRA.
    assert!(
        findings.iter().any(|f| f["kind"] == "contradict"
            && sentences(f).contains("About 40,000 people have been displaced")
            && sentences(f).contains("nearly 90,000")),
        "C1 missing"
    );
    // C2: Venn's position on a truce on 03-07. Stance findings are not yet
    // measured on labelled data, so they sit below the default threshold:
    // listed with `--all`, not by default.
    let everything = storyline(&["findings", "--json", "--all", "--data-dir", &d.data]);
    let is_c2 = |f: &&Value| {
        f["kind"] == "contradict"
            && sentences(f).contains("The government has rejected calls for a truce")
            && sentences(f).contains("Oskar Venn called for an immediate truce")
    };
    assert!(
        everything["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| is_c2(&f)),
        "C2 missing"
    );
    assert!(!findings.iter().any(|f| is_c2(&f)), "C2 shown by default");
    // Hospital admissions in the capital and one shelling's wounded in
    // Tamsk are different counts: no place ties them, so no contradiction.
    assert!(
        !findings.iter().any(|f| f["kind"] == "contradict"
            && sentences(f).contains("about 140 people are being treated")
            && sentences(f).contains("wounding six people")),
        "140 in hospital held against six wounded"
    );
    // U1: the death toll rises, earlier figure first.
    assert!(
        findings.iter().any(|f| f["kind"] == "update"
            && f["key"].as_str().unwrap_or("").starts_with("figure|killed")
            && f["claims"][0]["value"].as_f64() < f["claims"][1]["value"].as_f64()),
        "U1 missing"
    );
    // Agreements are between independent outlets only.
    for f in findings.iter().filter(|f| f["kind"] == "agree") {
        let a = &f["claims"][0]["evidence"];
        let b = &f["claims"][1]["evidence"];
        assert_ne!(a["duplicate_group"], b["duplicate_group"], "{f}");
        assert!(
            a["outlet"].is_null() || a["outlet"] != b["outlet"],
            "same-outlet agreement: {f}"
        );
    }
    // Populations of different scopes never contradict (trap list).
    assert!(!findings.iter().any(|f| f["kind"] == "contradict"
        && sentences(f).contains("1.2 million")
        && sentences(f).contains("300,000")));
    let stories = storyline(&["stories", "--json", "--data-dir", &d.data]);
    let list = stories["stories"].as_array().unwrap();
    let basketball = list
        .iter()
        .find(|s| s["label"].as_str().unwrap_or("").contains("Harriers"))
        .expect("the basketball item is a story of its own");
    assert_eq!(basketball["articles"], 1);
    // One story's findings: exactly those with a side in its articles.
    let c1_story = list
        .iter()
        .find(|s| {
            findings.iter().any(|f| {
                sentences(f).contains("nearly 90,000")
                    && f["claims"].as_array().unwrap().iter().any(|c| {
                        s["article_ids"]
                            .as_array()
                            .unwrap()
                            .contains(&c["evidence"]["article"])
                    })
            })
        })
        .expect("C1's story");
    let id = c1_story["id"].as_str().unwrap();
    let members = c1_story["article_ids"].as_array().unwrap();
    let mine = storyline(&["findings", "--story", id, "--json", "--data-dir", &d.data]);
    let mine = mine["findings"].as_array().unwrap();
    let in_story = |f: &&Value| {
        f["claims"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| members.contains(&c["evidence"]["article"]))
    };
    assert!(mine.iter().any(|f| sentences(f).contains("nearly 90,000")));
    assert!(mine.iter().all(|f| in_story(&f)));
    assert_eq!(mine.len(), findings.iter().filter(in_story).count());
    let out = Command::new(env!("CARGO_BIN_EXE_storyline"))
        .args(["findings", "--story", "s999999", "--data-dir", &d.data])
        .output()
        .expect("running storyline");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no story \"s999999\""));
    let stances = storyline(&["stances", "--json", "--data-dir", &d.data]);
    assert!(stances["stances"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["actor"] == "Oskar Venn" && s["contested"] == true));
}
