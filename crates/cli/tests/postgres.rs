//! The binary with `--store postgres://...`: the demo corpus ingested into
//! PostgreSQL reads back as it does from SQLite, document for document.
//! Runs against a throwaway server (`storyline_store::pg::server`);
//! skipped with a loud message when PostgreSQL is not installed, unless
//! `STORYLINE_REQUIRE_SERVICES=1`.
#![cfg(feature = "postgres")]

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Output;

use common::{bin, demo_corpus, json, ok, without_ingest_times};
use serde_json::Value;

/// Runs `args` on the SQLite store in `dir` and on the PostgreSQL store at
/// `url` (the URL from the environment, as a deployment would set it).
fn both(dir: &Path, url: &str, args: &[&str]) -> (Output, Output) {
    let sqlite = bin()
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .expect("run");
    let pg = bin()
        .env("STORYLINE_STORE", url)
        .args(args)
        .output()
        .expect("run");
    (
        ok(sqlite, &format!("sqlite {args:?}")),
        ok(pg, &format!("postgres {args:?}")),
    )
}

fn hit_ids(out: &Output) -> BTreeSet<String> {
    json(out)["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn the_demo_corpus_reads_the_same_from_postgres_and_sqlite() {
    let Some(url) = storyline_store::pg::server::test_database("cli postgres end to end") else {
        return;
    };
    let sqlite = tempfile::tempdir().expect("tempdir");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let corpus = demo_corpus();

    let (s, p) = both(sqlite.path(), &url, &["ingest", &corpus, "--quiet"]);
    assert_eq!(s.status.code(), p.status.code());
    // The flag works as the variable does, from any folder, and a second
    // ingest stores nothing new.
    let again = ok(
        bin()
            .current_dir(elsewhere.path())
            .args(["--store", &url, "ingest", &corpus, "--json"])
            .output()
            .expect("run"),
        "second ingest",
    );
    let summary = json(&again);
    assert_eq!(
        (
            summary["inserted"].as_u64(),
            summary["already_present"].as_u64()
        ),
        (Some(0), Some(36)),
        "{summary}"
    );
    assert!(
        std::fs::read_dir(elsewhere.path())
            .expect("read")
            .next()
            .is_none(),
        "a PostgreSQL store writes nothing in the working folder"
    );

    // Every listing the linker's results feed is the same document.
    for args in [
        &["stories", "--json"][..],
        &["findings", "--json", "--all"],
        &["entities", "--json"],
        &["claims", "--json"],
        &["stances", "--json"],
        &["articles", "--json"],
        &["timeline", "s1", "--json"],
        &["brief", "s1", "--format", "json"],
    ] {
        let (s, p) = both(sqlite.path(), &url, args);
        assert_eq!(json(&s), json(&p), "{args:?} differs");
    }
    let (s, _) = both(sqlite.path(), &url, &["stories", "--json"]);
    assert!(
        json(&s)["stories"].as_array().is_some_and(|a| a.len() >= 3),
        "the demo has stories to compare: {}",
        String::from_utf8_lossy(&s.stdout)
    );

    // Search finds the same articles (ranking and snippets are each
    // engine's own), and marks its matches.
    for q in [
        "ceasefire",
        "dam",
        "\"humanitarian pause\"",
        "convoy -truck",
        "governor",
    ] {
        let (s, p) = both(
            sqlite.path(),
            &url,
            &["search", q, "--json", "--limit", "100"],
        );
        let (s, p) = (hit_ids(&s), hit_ids(&p));
        assert!(!s.is_empty(), "{q} finds something");
        assert_eq!(s, p, "{q}");
    }
    let (_, p) = both(sqlite.path(), &url, &["search", "ceasefire", "--json"]);
    let hits = json(&p);
    assert!(
        hits["hits"][0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("«ceasefire»")),
        "{hits}"
    );

    // Stats agree on everything but the schema version (each backend's
    // own) and the runs (PostgreSQL had the second ingest).
    let (s, p) = both(sqlite.path(), &url, &["stats", "--json"]);
    let (mut s, mut p) = (json(&s), json(&p));
    assert_eq!(
        (s["ingest_runs"].as_u64(), p["ingest_runs"].as_u64()),
        (Some(1), Some(2))
    );
    for v in [&mut s, &mut p] {
        let v = v.as_object_mut().expect("object");
        v.remove("schema_version");
        v.remove("ingest_runs");
    }
    assert_eq!(s, p);
}

#[test]
fn a_store_url_that_is_not_postgres_is_refused_without_echoing_it() {
    let out = bin()
        .args(["--store", "mysql://me:secret@db/news", "stats"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a PostgreSQL URL"), "{err}");
    assert!(!err.contains("secret"), "{err}");
    // Nothing listens on port 1: a clear error naming the server, no password.
    let out = bin()
        .args([
            "--store",
            "postgres://me:secret@127.0.0.1:1/news?connect_timeout=5",
            "stats",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("postgres://me@127.0.0.1:1/news"), "{err}");
    assert!(!err.contains("secret"), "{err}");
}

/// `n` distinct short reports as JSON lines, a few towns and days apart,
/// so that they link into stories and findings.
fn reports(n: usize) -> String {
    const TOWNS: [&str; 6] = ["Leeds", "York", "Hull", "Bradford", "Wakefield", "Halifax"];
    (0..n)
        .map(|i| {
            let town = TOWNS[i % TOWNS.len()];
            let text = format!(
                "Officials in {town} said on Tuesday that {} people were hurt when a warehouse \
                 caught fire, report {i}. The council leader, Jane Smith, said: \"We counted \
                 {} families who lost their homes.\" Police in {town} said the fire began at night.",
                i % 17 + 2,
                i % 11 + 3
            );
            serde_json::json!({
                "title": format!("Fire in {town}, report {i}"),
                "date": format!("2023-11-{:02}", i % 20 + 1),
                "source": "Test Wire",
                "text": text,
            })
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn article_ids(url: &str) -> Vec<String> {
    use storyline_store::{ArticleFilter, PostgresStore, Store};
    // A connection of its own each time: earlier ones died with the server.
    let store = PostgresStore::open(url).expect("open the store");
    store
        .articles(&ArticleFilter::default())
        .expect("articles")
        .into_iter()
        .map(|a| a.id.to_string())
        .collect()
}

#[test]
fn postgres_killed_mid_ingest_loses_no_commit_and_a_rerun_stores_nothing_twice() {
    use storyline_store::pg::server::{test_database, TestServer};
    if test_database("postgres: killed mid-ingest").is_none() {
        return;
    }
    // A server of this test's own, with PostgreSQL's safe defaults (fsync
    // and synchronous commits on): a crash of the fast test server may
    // lose confirmed commits by design.
    let mut db = TestServer::start_durable().expect("start PostgreSQL");
    let url = db.create_database().expect("create a database");
    const N: usize = 120;
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = dir.path().join("reports.jsonl");
    std::fs::write(&corpus, reports(N)).expect("write");
    let corpus = corpus.display().to_string();

    let log = dir.path().join("ingest.log");
    let mut ingest = bin()
        .args(["--store", &url, "ingest", &corpus, "--batch-size", "4"])
        .args(["--quiet"])
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("start ingest");
    // Killed once some batches are committed and more are coming.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(180);
    let committed = loop {
        let ids = article_ids(&url);
        if ids.len() >= 8 {
            break ids;
        }
        let ended = ingest.try_wait().expect("ingest");
        assert!(
            ended.is_none() && std::time::Instant::now() < until,
            "ingest stored {} articles ({ended:?}): {}",
            ids.len(),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    db.crash().expect("kill PostgreSQL");
    let status = ingest.wait().expect("ingest ends");
    assert!(
        committed.len() < N && !status.success(),
        "ingest was cut off mid-run ({} stored, {status})",
        committed.len()
    );

    db.start_again().expect("PostgreSQL recovers");
    let after: BTreeSet<String> = article_ids(&url).into_iter().collect();
    let lost: Vec<&String> = committed.iter().filter(|id| !after.contains(*id)).collect();
    assert!(
        lost.is_empty(),
        "committed articles lost in the crash: {lost:?}"
    );

    // The same ingest again: stores the rest, nothing twice, and links all.
    let out = ok(
        bin()
            .args(["--store", &url, "ingest", &corpus, "--json"])
            .output()
            .expect("run"),
        "ingest after the crash",
    );
    let summary = json(&out);
    assert_eq!(
        (
            summary["inserted"].as_u64(),
            summary["already_present"].as_u64()
        ),
        (Some((N - after.len()) as u64), Some(after.len() as u64)),
        "{summary}"
    );
    let ids = article_ids(&url);
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(
        (ids.len(), unique.len()),
        (N, N),
        "each article stored once"
    );
    let stats = json(&ok(
        bin()
            .args(["--store", &url, "stats", "--json"])
            .output()
            .expect("run"),
        "stats",
    ));
    assert_eq!(
        (
            stats["analyzed"].as_u64(),
            stats["linked_articles"].as_u64()
        ),
        (Some(N as u64), Some(N as u64)),
        "{stats}"
    );
}

/// A `storyline serve` process, killed when dropped.
struct Server(std::process::Child, u16);

impl Server {
    fn start(store: &[&str]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = bin()
            .args(store)
            .args([
                "serve",
                "--read-only",
                "--addr",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start serve");
        let server = Server(child, port);
        let until = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while server.get("/api/stats").0 != 200 {
            assert!(std::time::Instant::now() < until, "serve did not start");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        server
    }

    /// `GET path`: the status and the body (0 when nothing answers).
    fn get(&self, path: &str) -> (u16, Vec<u8>) {
        use std::io::{Read, Write};
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.1)) else {
            return (0, Vec::new());
        };
        // HTTP/1.0: the answer ends with the connection, never chunked.
        if write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").is_err() {
            return (0, Vec::new());
        }
        let mut answer = Vec::new();
        if s.read_to_end(&mut answer).is_err() {
            return (0, Vec::new());
        }
        let Some(split) = answer.windows(4).position(|w| w == b"\r\n\r\n") else {
            return (0, Vec::new());
        };
        let head = String::from_utf8_lossy(&answer[..split]).to_string();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, answer[split + 4..].to_vec())
    }

    fn json(&self, path: &str) -> Value {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_api_answers_the_same_documents_from_postgres_and_sqlite() {
    let Some(url) = storyline_store::pg::server::test_database("api on postgres and sqlite") else {
        return;
    };
    let sqlite = tempfile::tempdir().expect("tempdir");
    let dir = sqlite.path().display().to_string();
    both(sqlite.path(), &url, &["ingest", &demo_corpus(), "--quiet"]);
    let s = Server::start(&["--data-dir", &dir]);
    let p = Server::start(&["--store", &url]);

    let article = s.json("/api/articles?limit=1")["articles"][0]["id"]
        .as_str()
        .expect("an article")
        .to_string();
    let entity = s.json("/api/entities?limit=1")["entities"][0]["id"]
        .as_str()
        .expect("an entity")
        .to_string();
    let paths = [
        "/api/articles?limit=100".to_string(),
        "/api/articles?source=Meridian%20Wire&limit=100".to_string(),
        format!("/api/articles/{article}"),
        "/api/stories".to_string(),
        "/api/storylines".to_string(),
        "/api/stories/s1".to_string(),
        "/api/stories/s1/timeline".to_string(),
        "/api/stories/s1/brief".to_string(),
        "/api/entities?limit=100".to_string(),
        format!("/api/entities/{entity}"),
        "/api/claims?limit=100".to_string(),
        "/api/figures".to_string(),
        "/api/quotes".to_string(),
        "/api/findings?all=true".to_string(),
        "/api/stances".to_string(),
        "/api/check?claim=Ministry%20of%20Health%20says%2012%20killed%20in%20Lessk".to_string(),
        "/openapi.json".to_string(),
    ];
    for path in &paths {
        let (mut a, mut b) = (s.json(path), p.json(path));
        // A check's `related` articles are a search: each engine ranks
        // its own (the search is compared below).
        for v in [&mut a, &mut b] {
            if let Some(map) = v.as_object_mut() {
                map.remove("related");
            }
        }
        assert_eq!(
            without_ingest_times(a),
            without_ingest_times(b),
            "{path} differs"
        );
    }
    // Search: the same articles match and the same total (ranking and
    // snippets are each engine's own).
    for q in ["ceasefire", "%22humanitarian%20pause%22", "convoy%20-truck"] {
        let (a, b) = (
            s.json(&format!("/api/search?q={q}&limit=100")),
            p.json(&format!("/api/search?q={q}&limit=100")),
        );
        assert_eq!(a["total"], b["total"], "{q}");
        let ids = |v: &Value| -> BTreeSet<String> {
            v["hits"]
                .as_array()
                .expect("hits")
                .iter()
                .map(|h| h["id"].as_str().expect("id").to_string())
                .collect()
        };
        assert_eq!(ids(&a), ids(&b), "{q}");
        assert!(a["total"].as_u64() > Some(0), "{q} finds something");
    }
    // Stats: the same but for each backend's own schema version.
    let (mut a, mut b) = (s.json("/api/stats"), p.json("/api/stats"));
    for v in [&mut a, &mut b] {
        let v = v.as_object_mut().expect("object");
        v.remove("schema_version");
    }
    assert_eq!(a, b);
    // The HTML pages too, but for the article's ingest time.
    let page = |server: &Server, path: &str| {
        let (status, body) = server.get(path);
        assert_eq!(status, 200, "{path}");
        let body = String::from_utf8_lossy(&body).to_string();
        match (body.find("<dt>Ingested</dt>"), body.find("<dt>Id</dt>")) {
            (Some(a), Some(b)) if a < b => format!("{}{}", &body[..a], &body[b..]),
            _ => body,
        }
    };
    for path in ["/stories/s1", &format!("/articles/{article}"), "/findings"] {
        assert_eq!(page(&s, path), page(&p, path), "{path} differs");
    }
}
