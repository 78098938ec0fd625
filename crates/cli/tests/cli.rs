//! End-to-end tests of the `storyline` binary: exit codes, `--json`
//! documents, idempotence, crash recovery. The scenarios that read and
//! write a store run on SQLite and on PostgreSQL (`on_each_store!`).

#[macro_use]
mod common;

use std::path::Path;
use std::process::Output;

use common::{bin, fixtures, json, TestStore};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("running storyline")
}

fn articles(store: &TestStore) -> Vec<Value> {
    let v = store.json(&["articles", "--json"]);
    assert_eq!(v["schema"], "storyline.articles/1");
    v["articles"].as_array().unwrap().clone()
}

fn by_origin<'a>(articles: &'a [Value], needle: &str) -> &'a Value {
    articles
        .iter()
        .find(|a| a["origin"].as_str().unwrap_or("").contains(needle))
        .unwrap_or_else(|| panic!("no article from {needle}"))
}

on_each_store!(
    seedlike_articles_keep_their_date_provenance,
    reingesting_is_idempotent,
    exit_codes_say_how_much_failed,
    show_and_search_find_what_was_ingested,
    a_killed_ingest_loses_no_committed_batch_and_resumes,
    real_seeds_when_present,
    show_html_highlights_and_escapes,
    serve_takes_its_ingest_token_from_the_environment,
);

fn seedlike_articles_keep_their_date_provenance(store: &TestStore) {
    let src = fixtures().join("seedlike");
    let out = store.run(&["ingest", src.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = articles(store);
    assert_eq!(all.len(), 3);

    let header = by_origin(&all, "000_header_same_line");
    assert_eq!(header["published"], "2024-02-12");
    assert_eq!(header["published_provenance"], "header");

    let wire = by_origin(&all, "001_byline_dateline");
    assert_eq!(wire["published"], Value::Null);
    assert_eq!(wire["published_provenance"], "unknown");
    assert_eq!(
        wire["authors"],
        serde_json::json!(["Ines Carvalho", "Jonas Wetterberg"])
    );
    assert_eq!(wire["dateline"]["place"], "LAKEPORT");
    assert_eq!(wire["dateline"]["agency"], "Northwire");

    let commentary = by_origin(&all, "002_no_date");
    assert_eq!(commentary["published"], Value::Null);
    assert_eq!(commentary["published_provenance"], "unknown");
}

/// SQLite only: where `--data-dir` may stand and `STORYLINE_DATA` are the
/// data directory's own (postgres.rs tests `--store` and `STORYLINE_STORE`).
#[test]
fn data_dir_before_the_subcommand_and_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let src = fixtures().join("seedlike");
    let out = run(&["--data-dir", d, "ingest", src.to_str().unwrap(), "--json"]);
    let summary = json(&out);
    assert_eq!(summary["inserted"], 3);
    // And after the subcommand and its arguments.
    let out = run(&["stats", "--json", "--data-dir", d]);
    assert_eq!(json(&out)["articles"], 3);
    let out = bin()
        .env("STORYLINE_DATA", d)
        .args(["stats", "--json"])
        .output()
        .unwrap();
    assert_eq!(json(&out)["articles"], 3);
}

fn reingesting_is_idempotent(store: &TestStore) {
    let src = fixtures().join("seedlike");
    let first = store.json(&["ingest", src.to_str().unwrap(), "--json"]);
    let second = store.json(&["ingest", src.to_str().unwrap(), "--json"]);
    assert_eq!(first["inserted"], 3);
    assert_eq!(second["inserted"], 0);
    assert_eq!(second["already_present"], 3);
    assert_eq!(articles(store).len(), 3);
}

fn exit_codes_say_how_much_failed(store: &TestStore) {
    let inputs = tempfile::tempdir().unwrap();
    let good = inputs.path().join("good.txt");
    std::fs::write(&good, "title: Levee repairs begin\ndate: 2024-03-01\n\nEngineers began repairing the breached levee near Lakeport on Friday, the regional government said, and expect to finish within a month.").unwrap();
    let bad = inputs.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"title\": \"x\", \"text\": \n").unwrap();
    let missing = inputs.path().join("missing.txt");

    let ok = store.run(&["ingest", good.to_str().unwrap()]);
    assert_eq!(ok.status.code(), Some(0));
    let partial = store.run(&["ingest", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(partial.status.code(), Some(3), "done in part");
    let stderr = String::from_utf8_lossy(&partial.stderr);
    assert!(
        stderr.contains("bad.jsonl"),
        "the bad file is named: {stderr}"
    );
    let nothing = store.run(&["ingest", missing.to_str().unwrap()]);
    assert_eq!(nothing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("missing.txt"));
    // Usage errors, whether clap or the command finds them, are 2.
    for args in [
        vec!["articles", "--since", "last tuesday"],
        vec!["articles", "--no-such-flag"],
        vec!["ingest", good.to_str().unwrap(), "--map", "nonsense"],
        vec!["watch", "-"],
        // Copies are published to a queue, never stored by ingest.
        vec!["ingest", good.to_str().unwrap(), "--copies", "2"],
        vec!["ingest", good.to_str().unwrap(), "--copies", "0"],
        // Standard input reads once: refused before the queue is reached
        // (nothing listens on port 1).
        vec![
            "ingest",
            "--queue",
            "nats://127.0.0.1:1",
            "--copies",
            "2",
            "-",
        ],
    ] {
        let out = store.run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if args.contains(&"--queue") {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("standard input"), "{stderr}");
        }
    }
}

fn show_and_search_find_what_was_ingested(store: &TestStore) {
    let src = fixtures().join("seedlike");
    store.json(&["ingest", src.to_str().unwrap(), "--json"]);
    let hits = store.json(&["search", "helicopters", "--json"]);
    assert_eq!(hits["count"], 2, "{hits}");
    let wire = by_origin(&articles(store), "001_byline_dateline").clone();
    let id = wire["id"].as_str().unwrap();
    let shown = store.json(&["show", &id[..8], "--json"]);
    assert_eq!(shown["id"], id);
    assert!(shown["text"]
        .as_str()
        .unwrap()
        .starts_with("LAKEPORT (Northwire)"));
    let bad = store.run(&["show", "zz"]);
    assert_eq!(bad.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not an article id"));
}

/// Killed with SIGKILL: on SQLite the writer dies with its transaction
/// open in the WAL; on PostgreSQL the server sees its client gone and
/// rolls the open batch back.
fn a_killed_ingest_loses_no_committed_batch_and_resumes(store: &TestStore) {
    let inputs = tempfile::tempdir().unwrap();
    let file = inputs.path().join("big.jsonl");
    let n = 6000;
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&serde_json::json!({
            "title": format!("Bulletin {i}"),
            "date": "2024-03-02",
            "source": format!("Outlet {}", i % 7),
            "text": format!("Bulletin number {i} from the flood zone. Crews in district {} repaired {} metres of levee and delivered {} food parcels, officials said. Water levels at gauge {} fell by {} centimetres overnight.", i % 13, i * 7 % 500, i * 3 % 900, i % 41, i % 17),
        }).to_string());
        body.push('\n');
    }
    std::fs::write(&file, body).unwrap();

    let mut child = store
        .cmd()
        .args([
            "ingest",
            file.to_str().unwrap(),
            "--batch-size",
            "200",
            "--no-link",
            "--quiet",
        ])
        .spawn()
        .unwrap();
    // Let a few batches commit, then kill without warning.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let _ = child.kill();
    let _ = child.wait();

    let stats = store.json(&["stats", "--json"]);
    let stored = stats["articles"].as_u64().unwrap();
    assert_eq!(
        stored % 200,
        0,
        "only whole batches are committed: {stored}"
    );
    assert_eq!(
        stats["index_documents"], stats["articles"],
        "index catches up on open"
    );

    let resumed = store.json(&["ingest", file.to_str().unwrap(), "--no-link", "--json"]);
    assert_eq!(resumed["inserted"].as_u64().unwrap() + stored, n);
    let stats = store.json(&["stats", "--json"]);
    assert_eq!(stats["articles"], n);
    assert_eq!(stats["index_documents"], n);
}

fn real_seeds_when_present(store: &TestStore) {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds");
    if !seeds.is_dir() {
        eprintln!(
            "skipping: {} not found (the shared seeds are not part of the repo)",
            seeds.display()
        );
        return;
    }
    let out = store.run(&["ingest", seeds.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = articles(store);
    assert_eq!(all.len(), 3);
    let a = by_origin(&all, "000_");
    assert_eq!(
        (a["published"].as_str(), a["published_provenance"].as_str()),
        (Some("2023-11-09"), Some("header"))
    );
    let b = by_origin(&all, "001_");
    assert_eq!(b["published_provenance"], "unknown");
    assert_eq!(
        b["authors"],
        serde_json::json!(["Simon Lewis", "Ari Rabinovitch"])
    );
    assert_eq!(b["dateline"]["place"], "TEL AVIV");
    assert_eq!(b["dateline"]["agency"], "Reuters");
    let c = by_origin(&all, "002_");
    assert_eq!(c["published_provenance"], "unknown");
    assert_eq!(c["published"], Value::Null);

    // Issue 4's bars on the seeds: the ceasefire contradiction between 000
    // and 001 is found; 2.3 million (Gaza) and two million (the south) are
    // not a contradiction; 001's two hostage figures are one source.
    // Stance findings are not yet measured on labelled data: they are
    // kept below the default confidence and listed with `--all`.
    let findings = store.json(&["findings", "--json", "--all"]);
    let list = findings["findings"].as_array().unwrap();
    let text = |f: &Value| f["claims"].to_string();
    let ceasefire = list
        .iter()
        .find(|f| {
            f["kind"] == "contradict"
                && text(f).contains("Blinken called for an immediate ceasefire")
                && text(f).contains("Washington has dismissed calls")
        })
        .unwrap_or_else(|| panic!("{findings}"));
    assert!(ceasefire["confidence"].as_f64().unwrap_or(1.0) < 0.5);
    let shown = store.json(&["findings", "--json"]);
    assert!(shown["counts"]["below_threshold"].as_u64().unwrap_or(0) >= 1);
    assert!(!list
        .iter()
        .any(|f| text(f).contains("2.3 million") && text(f).contains("two million")));
    // Hamas's 1,400 dead of Oct. 7 and Gaza's 9,061 since are two tolls,
    // not one disputed.
    assert!(!list
        .iter()
        .any(|f| text(f).contains("1,400 people") && text(f).contains("9,061")));
    assert!(!list
        .iter()
        .any(|f| f["key"].as_str().unwrap_or("").contains("hostages")));
    let stances = store.json(&["stances", "--json"]);
    let rows = stances["stances"].as_array().unwrap();
    let us = rows
        .iter()
        .find(|r| r["actor"] == "United States" && r["issue"] == "ceasefire")
        .expect("a US ceasefire row");
    assert_eq!(us["contested"], true);
    for country in [
        "Qatar",
        "Saudi Arabia",
        "Egypt",
        "Jordan",
        "United Arab Emirates",
    ] {
        assert!(
            rows.iter().any(|r| r["actor"] == country
                && r["issue"] == "ceasefire"
                && r["position"] == "for"),
            "{country} for a ceasefire"
        );
    }
    assert!(rows.iter().any(|r| r["actor"] == "Israel"
        && r["position"]
            .as_str()
            .unwrap_or("")
            .starts_with("conditional: unless Hamas releases")));
    let stories = store.json(&["stories", "--json"]);
    assert_eq!(stories["total"], 1, "the three seeds tell one story");
    // Its summary: a few of its own sentences, no two the same, each where
    // its pointer says in its article's text.
    let story = &stories["stories"][0];
    let summary = story["summary"].as_array().expect("a summary");
    assert!((1..=3).contains(&summary.len()), "{story}");
    let mut seen = std::collections::HashSet::new();
    for s in summary {
        assert!(seen.insert(s["text"].as_str().unwrap()), "repeated: {s}");
        assert!(
            story["article_ids"]
                .as_array()
                .unwrap()
                .contains(&s["article"]),
            "{s}"
        );
        let shown = store.json(&["show", s["article"].as_str().unwrap(), "--json"]);
        let text = shown["text"].as_str().unwrap();
        let (start, end) = (
            s["span"]["start"].as_u64().unwrap() as usize,
            s["span"]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(text[start..end].trim(), s["text"].as_str().unwrap(), "{s}");
        assert!(s["sentence"].is_u64(), "{s}");
        assert_eq!(s["outlet"], shown["source"], "{s}");
    }
    let listed = store.stdout(&["stories"]);
    let first = summary[0]["text"].as_str().unwrap();
    assert!(listed.contains(&first[..first.len().min(60)]), "{listed}");
}

fn show_html_highlights_and_escapes(store: &TestStore) {
    let inputs = tempfile::tempdir().unwrap();
    let file = inputs.path().join("hostile.txt");
    std::fs::write(
        &file,
        "title: <script>alert(1)</script> Flood update\ndate: 2024-03-04\n\nGovernor Maren Holt said on Monday that at least 23 people had died in Lakeport. <img src=x onerror=alert(2)>",
    )
    .unwrap();
    store.json(&["ingest", file.to_str().unwrap(), "--json"]);
    let id = articles(store)[0]["id"].as_str().unwrap().to_string();
    let out = store.run(&["show", &id, "--html"]);
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with("<!doctype html>"));
    assert!(
        !page.contains("<script>") && !page.contains("<img"),
        "{page}"
    );
    assert!(
        page.contains("&lt;script&gt;"),
        "the title is shown as text"
    );
    assert!(page.contains(r#"<ul class="legend""#));
    assert!(
        page.contains(r#"hl hl-source" title="speaker · say">Governor Maren Holt"#),
        "{page}"
    );
    assert!(
        page.contains(
            r#"hl hl-time" title="TimeML value 2024-03-04">Monday<span class="hl-label">4 Mar 2024</span>"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"hl hl-figure" title="at least killed"#),
        "{page}"
    );
    assert!(
        page.contains(r#"hl hl-loc" title="LOC">Lakeport"#),
        "{page}"
    );
}

/// SQLite only: that nothing was opened is seen in the data directory,
/// and the flags are checked before any store is chosen.
#[test]
fn serve_refuses_open_ingest_off_loopback_weak_tokens_and_mixed_flags() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let serve = |args: &[&str], token: Option<&str>| {
        let mut c = bin();
        c.env_remove("STORYLINE_INGEST_TOKEN");
        if let Some(t) = token {
            c.env("STORYLINE_INGEST_TOKEN", t);
        }
        c.args(["serve", "--data-dir", d])
            .args(args)
            .output()
            .expect("running storyline")
    };
    let stderr = |o: &Output| String::from_utf8_lossy(&o.stderr).to_string();
    // Open ingest on a public address: refused before anything is opened.
    let out = serve(&["--allow-ingest", "--addr", "0.0.0.0:8080"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("loopback"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "the store was not even opened"
    );
    // Weak or unsendable tokens, from the flag or the environment.
    let out = serve(&["--ingest-token", "short"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("at least 16"), "{}", stderr(&out));
    let out = serve(&[], Some("a token with spaces in it"));
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("visible ASCII"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("with spaces"),
        "the token is never echoed: {}",
        stderr(&out)
    );
    // `--read-only` wins over a token in the environment, even a bad one:
    // the server starts read-only (stopped here by a port already taken),
    // on a store that exists (a read-only server never creates one).
    let good = dir.path().join("good.txt");
    std::fs::write(
        &good,
        "The ferry timetable changes on Monday, the operator said.",
    )
    .unwrap();
    let out = run(&["ingest", good.to_str().unwrap(), "--data-dir", d]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = serve(&["--read-only", "--addr", &addr], Some("short"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("ingest off"), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot listen"), "{}", stderr(&out));
    // Flags that contradict each other are a usage error.
    let out = serve(&["--read-only", "--allow-ingest"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = serve(
        &["--allow-ingest", "--ingest-token", "0123456789abcdef"],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// One request to 127.0.0.1:`port` with `Connection: close`; the status and
/// the body.
fn http(port: u16, head: &str, body: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .ok()?;
    let req = format!(
        "{head}\r\nhost: test\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).ok()?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).ok()?;
    let text = String::from_utf8_lossy(&out).to_string();
    let status = text.get(9..12)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

fn serve_takes_its_ingest_token_from_the_environment(store: &TestStore) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let token = "cli-test-token-0123456789";
    let mut child = store
        .cmd()
        .env("STORYLINE_INGEST_TOKEN", token)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start storyline serve");
    // Kill the server whatever happens below.
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while http(port, "GET /api/stats HTTP/1.1", "").is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the server never answered"
        );
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the server exited: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _guard = Kill(child);
    let text = "The ferry timetable changes on Monday, the operator said.";
    let post = "POST /api/ingest HTTP/1.1\r\ncontent-type: text/plain";
    let (status, body) = http(port, post, text).unwrap();
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("unauthorized"), "{body}");
    let wrong = format!("{post}\r\nauthorization: Bearer {token}x");
    assert_eq!(http(port, &wrong, text).unwrap().0, 401);
    let right = format!("{post}\r\nauthorization: Bearer {token}");
    let (status, body) = http(port, &right, text).unwrap();
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["inserted"], 1, "{v}");
}

/// `eval findings --outlets N` deals a table's rows to pseudo-outlets, so
/// two articles of one outlet saying the same count the same day agree;
/// without it they are one publisher and do not. Bad values are usage
/// errors.
#[test]
fn eval_findings_deals_a_table_to_pseudo_outlets() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("coverage.csv");
    let mut rows = String::from("title,text,date,url\n");
    // Enough rows that the hash deals them to both outlets.
    let texts = [
        "The health ministry in Gaza said on Monday that 412 people have been killed there.",
        "Air strikes on the territory have killed 412 people in Gaza, officials at its health ministry told reporters.",
        "In Gaza, 412 people were reported killed, the health ministry announced as rescuers searched.",
    ];
    for i in 0..12 {
        rows.push_str(&format!(
            "Toll report {i},\"{} Crews worked through district number {i}.\",2023-10-09,https://news.example/a{i}\n",
            texts[i % texts.len()]
        ));
    }
    std::fs::write(&csv, rows).unwrap();
    let labels = dir.path().join("labels");
    std::fs::create_dir(&labels).unwrap();
    std::fs::write(
        labels.join("pairs.tsv"),
        "doc_a\tsent_a\tnumber_a\tdoc_b\tsent_b\tnumber_b\tkind\tcause\tnote\tdrawn_from\n",
    )
    .unwrap();
    let (c, l) = (csv.to_str().unwrap(), labels.to_str().unwrap());
    let agreements = |extra: &[&str]| {
        let mut args = vec!["eval", "findings", c, "--labels", l];
        args.extend_from_slice(extra);
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        json(&out)["findings_by_kind"]["agree"]
            .as_u64()
            .unwrap_or(0)
    };
    assert_eq!(agreements(&[]), 0, "one outlet never agrees with itself");
    assert!(agreements(&["--outlets", "2"]) > 0);
    for bad in ["1", "0", "27", "x"] {
        let out = run(&["eval", "findings", c, "--labels", l, "--outlets", bad]);
        assert_eq!(out.status.code(), Some(2), "--outlets {bad}");
    }
    let out = run(&[
        "eval",
        "findings",
        dir.path().to_str().unwrap(),
        "--labels",
        l,
        "--outlets",
        "2",
    ]);
    assert_ne!(
        out.status.code(),
        Some(0),
        "a folder of outlets is not dealt"
    );
}

/// `check` tells a claimant taking back its own count from a source at
/// odds with it (rule `revised_by_claimant`).
#[test]
fn check_tells_a_claimant_revising_its_count_from_a_contradiction() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    for (name, day, source, toll, rest) in [
        (
            "a.txt",
            3,
            "Shore Times",
            140,
            "Rescuers searched the valley overnight.",
        ),
        (
            "b.txt",
            5,
            "Valley Post",
            140,
            "Engineers began to inspect the other dams of the valley.",
        ),
        (
            "c.txt",
            12,
            "Shore Times",
            120,
            "Families gathered at the site.",
        ),
    ] {
        std::fs::write(
            src.join(name),
            format!(
                "title: Dam collapse\ndate: 2024-05-{day:02}\nsource: {source}\n\n\
                 The Marevian interior ministry said {toll} people were killed in the dam \
                 collapse at Tarn. {rest}\n"
            ),
        )
        .unwrap();
    }
    let store = TestStore::sqlite();
    let out = store.run(&["ingest", src.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let v = store.json(&[
        "check",
        "--json",
        "The Marevian interior ministry says 140 people were killed in the dam collapse at Tarn",
    ]);
    assert_eq!(v["supporting"].as_array().map(Vec::len), Some(2), "{v}");
    assert_eq!(v["contradicting"].as_array().map(Vec::len), Some(0), "{v}");
    assert_eq!(v["revised"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v["revised"][0]["value"], 120.0, "{v}");
    let verdict = v["verdict"].as_str().unwrap_or_default();
    assert!(
        verdict.contains("revised down later by 1 report"),
        "{verdict}"
    );
}
