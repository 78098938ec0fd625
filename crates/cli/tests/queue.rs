//! The distributed pipeline end to end, with its faults: `ingest --queue`
//! into a throwaway `nats-server -js`, `worker`s storing into a throwaway
//! PostgreSQL, `worker --link` linking, and each of them killed (SIGKILL)
//! or restarted mid-run. Skipped with a loud message when nats-server or
//! PostgreSQL is not installed, unless `STORYLINE_REQUIRE_SERVICES=1`.
#![cfg(all(feature = "nats", feature = "postgres"))]

mod common;

use std::collections::BTreeSet;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use common::{bin, demo_corpus, json, ok, without_ingest_times};
use serde_json::Value;
use storyline_queue::nats::server::{test_server, NatsServer};
use storyline_store::{PostgresStore, Store};

/// Articles in the demo corpus (the PostgreSQL end-to-end test counts them
/// too).
const DEMO_ARTICLES: u64 = 36;

/// Both servers, or `None` (with a loud skip) when one is not installed.
fn services(test: &str) -> Option<(NatsServer, String)> {
    let nats = test_server(test)?;
    let store = storyline_store::pg::server::test_database(test)?;
    Some((nats, store))
}

/// `storyline --store STORE ARGS…`, run to the end.
fn run(store: &str, args: &[&str]) -> Output {
    let out = bin()
        .args(["--store", store])
        .args(args)
        .output()
        .expect("run storyline");
    ok(out, &format!("{args:?}"))
}

/// Publishes the demo corpus to the queue.
fn publish_demo(nats: &NatsServer, store: &str) {
    let out = run(
        store,
        &["ingest", "--queue", &nats.url(), &demo_corpus(), "--json"],
    );
    let summary = json(&out);
    assert_eq!(summary["queued"].as_u64(), Some(DEMO_ARTICLES), "{summary}");
}

/// A worker process (killed when dropped).
struct Worker(Child);

impl Worker {
    fn start(nats: &NatsServer, store: &str, extra: &[&str]) -> Worker {
        let child = bin()
            .args(["--store", store, "worker", "--queue", &nats.url()])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start a worker");
        Worker(child)
    }

    /// SIGKILL: no clean-up of any kind, as a crash or the OOM killer.
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs a worker with `--drain --json` to the end and returns its report.
fn drain(nats: &NatsServer, store: &str, extra: &[&str]) -> Value {
    let out = bin()
        .args(["--store", store, "worker", "--queue", &nats.url()])
        .args(["--drain", "--json"])
        .args(extra)
        .output()
        .expect("run a worker");
    let out = ok(out, "draining worker");
    json(&out)
}

/// Polls `done` every 20 ms for at most `limit`.
fn wait_for(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn articles(store: &PostgresStore) -> u64 {
    store.stats().map(|s| s.articles).unwrap_or(0)
}

/// The queue's status as `storyline queue status --json` tells it.
fn queue_status(nats: &NatsServer) -> Value {
    let out = bin()
        .args(["queue", "status", "--json", "--queue", &nats.url()])
        .output()
        .expect("run");
    json(&ok(out, "queue status"))
}

/// Every stored article's id, checking none is listed twice.
fn stored_ids(store: &str) -> BTreeSet<String> {
    let out = run(store, &["articles", "--json", "--limit", "1000"]);
    let list = json(&out);
    let ids: Vec<String> = list["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(unique.len(), ids.len(), "an article is stored twice");
    unique
}

#[test]
fn a_worker_killed_mid_batch_loses_nothing_and_stores_nothing_twice() {
    let Some((nats, url)) = services("queue: worker killed mid-batch") else {
        return;
    };
    let pg = PostgresStore::open(&url).expect("open the store");
    publish_demo(&nats, &url);
    // A short ack wait: the killed worker's records come back quickly.
    let consumer = ["--ack-wait", "2s", "--batch", "4"];
    // Killed once it has stored something and holds records it has not
    // acknowledged. A kill can land just after the worker acknowledged
    // what it held (the status was read a moment before): then the queue
    // shows nothing in flight right after it, and another worker is
    // started and killed the same way.
    for attempt in 1.. {
        let mut worker = Worker::start(&nats, &url, &consumer);
        let stored = articles(&pg);
        wait_for(
            Duration::from_secs(120),
            "the first worker's progress",
            || {
                let held = queue_status(&nats)["in_flight"].as_u64().unwrap_or(0);
                articles(&pg) > stored && held > 0
            },
        );
        worker.kill();
        let held = queue_status(&nats)["in_flight"].as_u64().unwrap_or(0);
        if held > 0 {
            break;
        }
        assert!(
            attempt < 5,
            "every kill landed between a commit and its ack"
        );
    }
    let before = articles(&pg);
    assert!(
        before < DEMO_ARTICLES,
        "the first worker finished before it was killed ({before} stored)"
    );

    let report = drain(&nats, &url, &consumer);
    assert!(
        report["redelivered"].as_u64() >= Some(1),
        "the killed worker's records came back: {report}"
    );
    assert_eq!(report["dead_lettered"].as_u64(), Some(0), "{report}");
    assert_eq!(articles(&pg), DEMO_ARTICLES, "nothing lost: {report}");
    assert_eq!(stored_ids(&url).len() as u64, DEMO_ARTICLES);
    let status = queue_status(&nats);
    assert_eq!(
        (
            status["waiting"].as_u64(),
            status["in_flight"].as_u64(),
            status["dead_letters"].as_u64()
        ),
        (Some(0), Some(0), Some(0)),
        "{status}"
    );
    // Every article was analysed by whichever worker stored it.
    let stats = json(&run(&url, &["stats", "--json"]));
    assert_eq!(stats["analyzed"].as_u64(), Some(DEMO_ARTICLES), "{stats}");
}

#[test]
fn a_restarted_nats_server_keeps_the_stream_and_the_worker_reconnects() {
    let Some((mut nats, url)) = services("queue: nats-server restarted") else {
        return;
    };
    let pg = PostgresStore::open(&url).expect("open the store");
    publish_demo(&nats, &url);
    let consumer = ["--ack-wait", "3s", "--batch", "2"];
    let _worker = Worker::start(&nats, &url, &consumer);
    wait_for(Duration::from_secs(120), "the worker's progress", || {
        articles(&pg) > 0
    });
    let status = queue_status(&nats);
    assert_eq!(
        (status["consumer"].as_bool(), status["ack_wait"].as_f64()),
        (Some(true), Some(3.0)),
        "the worker's --ack-wait holds though the publisher connected first: {status}"
    );
    // Down mid-run (SIGKILL, so nothing is flushed on the way out), and
    // back a moment later on the same port with the same files.
    nats.kill();
    let stored_while_down = articles(&pg);
    std::thread::sleep(Duration::from_secs(1));
    nats.restart().expect("restart nats-server");
    assert!(
        stored_while_down < DEMO_ARTICLES,
        "the worker finished before the server went down"
    );
    // The same worker, reconnected, stores the rest.
    wait_for(Duration::from_secs(180), "the rest of the corpus", || {
        articles(&pg) == DEMO_ARTICLES
    });
    // Messages stored just before the kill lose their acknowledgement and
    // come back after the worker's 3 s ack wait (the publisher, which came
    // first, left the consumer to the worker).
    wait_for(Duration::from_secs(30), "the queue to empty", || {
        let s = queue_status(&nats);
        s["waiting"].as_u64() == Some(0) && s["in_flight"].as_u64() == Some(0)
    });
    assert_eq!(stored_ids(&url).len() as u64, DEMO_ARTICLES);
    assert_eq!(queue_status(&nats)["dead_letters"].as_u64(), Some(0));
}

#[test]
fn a_killed_linker_resumes_where_it_stopped_and_finds_nothing_twice() {
    let Some((nats, url)) = services("queue: linker killed") else {
        return;
    };
    let pg = PostgresStore::open(&url).expect("open the store");
    publish_demo(&nats, &url);
    drain(&nats, &url, &[]);
    assert_eq!(articles(&pg), DEMO_ARTICLES);
    let linked = || pg.link_state().map(|s| s.linked_articles).unwrap_or(0);

    // Killed as soon as it has linked something: mid-run.
    let mut linker = Worker::start(&nats, &url, &["--link"]);
    wait_for(Duration::from_secs(120), "the linker's progress", || {
        linked() > 0
    });
    linker.kill();
    let at_kill = linked();
    assert!(
        at_kill < DEMO_ARTICLES,
        "the linker finished before it was killed ({at_kill} linked)"
    );
    // Another linker picks up after the last article the first finished.
    let out = bin()
        .args(["--store", &url, "worker", "--link", "--drain", "--json"])
        .args(["--queue", &nats.url()])
        .output()
        .expect("run the linker");
    ok(out, "resumed linker");
    assert_eq!(linked(), DEMO_ARTICLES);

    // What the interrupted linking left is exactly what linking from
    // scratch makes, and no finding is listed twice.
    let listings = [
        &["findings", "--json", "--all"][..],
        &["stories", "--json"],
        &["entities", "--json"],
        &["claims", "--json"],
    ];
    let resumed: Vec<Value> = listings.iter().map(|a| json(&run(&url, a))).collect();
    let findings = resumed[0]["findings"].as_array().expect("findings");
    assert!(
        !findings.is_empty(),
        "the demo has findings: {}",
        resumed[0]
    );
    let unique: BTreeSet<String> = findings.iter().map(|f| f.to_string()).collect();
    assert_eq!(unique.len(), findings.len(), "a finding is listed twice");
    run(&url, &["relink", "--json"]);
    for (args, before) in listings.iter().zip(&resumed) {
        assert_eq!(&json(&run(&url, args)), before, "{args:?} differs");
    }
}

#[test]
fn messages_that_are_not_records_become_dead_letters_with_their_reason() {
    use storyline_queue::nats::{NatsOptions, NatsQueue};
    let Some((nats, url)) = services("queue: hostile messages") else {
        return;
    };
    let queue = NatsQueue::connect(&nats.url(), NatsOptions::default()).expect("connect");
    // A whole record of a schema this worker does not read.
    let mut other = serde_json::to_value(storyline_queue::Record::new(
        storyline_core::ArticleDraft::new("Rain fell in Leeds."),
        "2023-11-09".parse().expect("day"),
    ))
    .expect("json");
    other["schema"] = "storyline.record/99".into();
    let other_schema = serde_json::to_vec(&other).expect("json");
    let hostile: [(&str, Vec<u8>); 6] = [
        ("empty", Vec::new()),
        ("binary", vec![0xff, 0x00, 0xfe, 0x1b]),
        (
            "truncated",
            b"{\"schema\": \"storyline.record/1\", \"draft\": {".to_vec(),
        ),
        ("other-schema", other_schema),
        ("deep", "[".repeat(100_000).into_bytes()),
        ("escape\u{1b}[31m", b"\"\\u001b[2J\"".to_vec()),
    ];
    for (id, bytes) in &hostile {
        queue.publish_raw(id, bytes.clone()).expect("publish");
    }
    let report = drain(&nats, &url, &[]);
    assert_eq!(
        (report["dead_lettered"].as_u64(), report["stored"].as_u64()),
        (Some(hostile.len() as u64), Some(0)),
        "{report}"
    );
    let stats = json(&run(&url, &["stats", "--json", "--queue", &nats.url()]));
    let dead = stats["queue"]["dead_letters"]
        .as_array()
        .expect("dead letters");
    assert_eq!(dead.len(), hostile.len(), "{stats}");
    assert_eq!(stats["queue"]["status"]["dead_letters"].as_u64(), Some(6));
    for d in dead {
        let reason = d["reason"].as_str().expect("reason");
        assert!(
            reason.contains("not a storyline record") || reason.contains("record schema"),
            "{d}"
        );
    }
    // Shown to a person, each with its reason, and nothing from the
    // messages reaches the terminal raw.
    let text = run(&url, &["stats", "--queue", &nats.url()]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("6 dead letters"), "{text}");
    assert!(text.contains("storyline.record/99"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "an escape reached the terminal: {text}"
    );
}

#[test]
fn a_restarted_postgres_is_waited_for_and_the_worker_finishes() {
    use storyline_store::pg::server::{test_database, TestServer};
    // Only to skip (or fail) by the usual rule when PostgreSQL is missing.
    if test_database("queue: PostgreSQL restarted").is_none() {
        return;
    }
    let Some(nats) = test_server("queue: PostgreSQL restarted") else {
        return;
    };
    // A server of this test's own, since it is stopped mid-run.
    let mut db = TestServer::start().expect("start PostgreSQL");
    let url = db.create_database().expect("create a database");
    let pg = PostgresStore::open(&url).expect("open the store");
    publish_demo(&nats, &url);
    let _worker = Worker::start(&nats, &url, &["--batch", "2"]);
    wait_for(Duration::from_secs(120), "the worker's progress", || {
        articles(&pg) > 0
    });
    // Down for two seconds (a fast stop: an administrator's restart; the
    // test server's `synchronous_commit=off` makes a crash lose confirmed
    // commits, which would test PostgreSQL's settings, not the worker).
    db.restart_after(Duration::from_secs(2))
        .expect("restart PostgreSQL");
    let mut seen = 0;
    let until = Instant::now() + Duration::from_secs(180);
    while seen < DEMO_ARTICLES && Instant::now() < until {
        // A connection of its own each time: the test's connections died
        // with the server too.
        seen = PostgresStore::open(&url).map_or(0, |s| articles(&s));
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        seen,
        DEMO_ARTICLES,
        "queue {} dead letters {:?}",
        queue_status(&nats),
        bin()
            .args(["queue", "dead", "--queue", &nats.url()])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
    );
    wait_for(Duration::from_secs(30), "the queue to empty", || {
        let s = queue_status(&nats);
        s["waiting"].as_u64() == Some(0) && s["in_flight"].as_u64() == Some(0)
    });
    assert_eq!(stored_ids(&url).len() as u64, DEMO_ARTICLES);
    assert_eq!(
        queue_status(&nats)["dead_letters"].as_u64(),
        Some(0),
        "an outage sets nothing aside"
    );
}

/// `storyline worker --link --drain` with `extra` arguments, run to the end.
fn linker_output(nats: &NatsServer, store: &str, extra: &[&str]) -> Output {
    bin()
        .args(["--store", store, "worker", "--link", "--drain"])
        .args(["--queue", &nats.url()])
        .args(extra)
        .output()
        .expect("run a linker")
}

#[test]
fn one_linker_per_store_and_workers_wake_it_when_they_store() {
    let Some((nats, url)) = services("queue: one linker, woken") else {
        return;
    };
    let pg = PostgresStore::open(&url).expect("open the store");
    let linked = || pg.link_state().map(|s| s.linked_articles).unwrap_or(0);
    // Looks at the store on its own only every 10 minutes: whatever it
    // links within the test, a worker's word woke it for.
    let mut first = Worker::start(&nats, &url, &["--link", "--every", "10m"]);
    let pid = first.0.id().to_string();

    // A second linker is refused at once with --wait 0, naming the first
    // (until the first holds the lease, the probe itself may get it and,
    // the queue being empty, stop at once).
    let mut refused = None;
    wait_for(Duration::from_secs(120), "the first linker's lease", || {
        let out = linker_output(&nats, &url, &["--wait", "0"]);
        if out.status.success() {
            return false;
        }
        refused = Some(out);
        true
    });
    let out = refused.expect("refused");
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(
        said.contains("another linker") && said.contains(&format!("pid {pid} on ")),
        "names the first linker: {said}"
    );
    // So is `storyline link` on the same store, while `ingest` stores and
    // leaves the linking to the linker that runs.
    let out = bin()
        .args(["--store", &url, "--wait", "0", "link"])
        .output()
        .expect("run link");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another linker"));

    publish_demo(&nats, &url);
    drain(&nats, &url, &[]);
    assert_eq!(articles(&pg), DEMO_ARTICLES);
    wait_for(Duration::from_secs(90), "the woken linker", || {
        linked() == DEMO_ARTICLES
    });

    let extra = demo_corpus() + "/text";
    let out = bin()
        .args(["--store", &url, "ingest", &extra])
        .output()
        .expect("run ingest");
    let out = ok(out, "ingest beside a linker");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not linking here"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A second linker told to wait takes over when the first stops.
    let second = bin()
        .args([
            "--store", &url, "worker", "--link", "--drain", "--wait", "2m",
        ])
        .args(["--queue", &nats.url(), "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the second linker");
    std::thread::sleep(Duration::from_secs(2));
    first.kill();
    let out = ok(
        second.wait_with_output().expect("wait"),
        "the second linker",
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("waiting up to 2m"),
        "it said it waits: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(linked(), DEMO_ARTICLES);
}

#[test]
fn workers_side_by_side_store_and_link_what_one_ingest_does() {
    let Some((nats, url)) = services("queue: the same documents as one SQLite ingest") else {
        return;
    };
    let sqlite = tempfile::tempdir().expect("tempdir");
    ok(
        bin()
            .arg("--data-dir")
            .arg(sqlite.path())
            .args(["ingest", &demo_corpus(), "--quiet"])
            .output()
            .expect("run"),
        "sqlite ingest",
    );
    publish_demo(&nats, &url);
    // Three workers taking two records at a time race for the queue; the
    // store still gets the articles in the order they were read, so the
    // near-duplicate groups and the links are those of one ingest.
    let workers: Vec<std::thread::JoinHandle<Value>> = (0..3)
        .map(|_| {
            let (nats_url, url) = (nats.url(), url.clone());
            std::thread::spawn(move || {
                let out = bin()
                    .args(["--store", &url, "worker", "--queue", &nats_url])
                    .args(["--drain", "--json", "--batch", "2"])
                    .output()
                    .expect("run a worker");
                json(&ok(out, "worker"))
            })
        })
        .collect();
    let reports: Vec<Value> = workers
        .into_iter()
        .map(|w| w.join().expect("worker"))
        .collect();
    let stored: u64 = reports.iter().filter_map(|r| r["stored"].as_u64()).sum();
    assert_eq!(stored, DEMO_ARTICLES, "{reports:?}");
    for r in &reports {
        assert_eq!(r["out_of_order"].as_u64(), Some(0), "{r}");
    }
    ok(
        linker_output(&nats, &url, &[]),
        "the linker, after the workers",
    );
    for args in [
        &["articles", "--json"][..],
        &["stories", "--json"],
        &["findings", "--json", "--all"],
        &["entities", "--json"],
        &["claims", "--json"],
        &["stances", "--json"],
    ] {
        let s = json(&ok(
            bin()
                .arg("--data-dir")
                .arg(sqlite.path())
                .args(args)
                .output()
                .expect("run"),
            "sqlite",
        ));
        let p = json(&run(&url, args));
        assert_eq!(without_ingest_times(s), without_ingest_times(p), "{args:?}");
    }
}
