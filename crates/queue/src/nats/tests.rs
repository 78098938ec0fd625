//! The JetStream queue against a throwaway `nats-server -js` (skipped
//! loudly when it is not installed, unless STORYLINE_REQUIRE_SERVICES=1).

use std::time::{Duration, Instant};

use storyline_core::ArticleDraft;

use super::server::test_server;
use super::*;

fn record(text: &str) -> Record {
    Record::new(ArticleDraft::new(text), "2023-11-09".parse().expect("day"))
}

/// A worker's options.
fn options(ack_wait: Duration) -> NatsOptions {
    NatsOptions {
        ack_wait,
        max_deliver: 3,
        consumer: ConsumerSetup::Create,
        ..NatsOptions::default()
    }
}

fn text(d: &Delivery) -> &str {
    &d.record.as_ref().expect("a record").draft.text
}

/// Fetches until `n` deliveries came or `limit` passed.
fn fetch_n(q: &dyn Queue, n: usize, limit: Duration) -> Vec<Delivery> {
    let until = Instant::now() + limit;
    let mut out = Vec::new();
    while out.len() < n && Instant::now() < until {
        match q.fetch(n - out.len(), Duration::from_millis(500)) {
            Ok(got) => out.extend(got),
            // The server is restarting: the client reconnects by itself.
            Err(QueueError::Unavailable { .. }) => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => panic!("{e}"),
        }
    }
    out
}

#[test]
fn records_are_deduplicated_delivered_in_order_redelivered_and_set_aside() {
    let Some(server) = test_server("nats queue round trip") else {
        return;
    };
    let q = NatsQueue::connect(&server.url(), options(Duration::from_secs(1))).expect("connect");
    let published = q
        .publish(&[record("one"), record("two"), record("three"), record("one")])
        .expect("publish");
    assert_eq!(
        published,
        [
            Published::Queued,
            Published::Queued,
            Published::Queued,
            Published::Duplicate
        ]
    );
    let status = q.status().expect("status");
    assert_eq!(
        (status.waiting, status.in_flight, status.max_deliver),
        (3, 0, 3)
    );
    assert_eq!(status.ack_wait, Duration::from_secs(1));

    let got = fetch_n(&q, 3, Duration::from_secs(10));
    let texts: Vec<&str> = got.iter().map(text).collect();
    assert_eq!(texts, ["one", "two", "three"]);
    assert!(got.iter().all(|d| d.deliveries == 1));
    assert_eq!(got[0].id, record("one").id().as_str());
    q.ack(&got[0]).expect("ack");
    q.dead_letter(&got[2], "bad\r\nrecord")
        .expect("dead letter");
    // "two" is neither acknowledged nor extended: it comes back after the
    // ack wait, counted (more than once when a loaded machine takes longer
    // than the 1 s ack wait to get here).
    let again = fetch_n(&q, 1, Duration::from_secs(10));
    assert_eq!(again.len(), 1);
    assert_eq!(text(&again[0]), "two");
    assert!(again[0].deliveries >= 2, "{}", again[0].deliveries);
    // Extending holds it past the ack wait.
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(500));
        q.in_progress(&again[0]).expect("progress");
    }
    assert!(q
        .fetch(1, Duration::from_millis(200))
        .expect("fetch")
        .is_empty());
    q.ack(&again[0]).expect("ack");

    let status = q.status().expect("status");
    assert!(status.is_idle(), "{status:?}");
    assert_eq!(status.dead_letters, 1);
    let dead = q.dead_letters(10).expect("dead letters");
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].reason, "bad  record", "one line");
    assert_eq!(
        (dead[0].id.as_str(), dead[0].deliveries),
        (record("three").id().as_str(), 1)
    );
}

#[test]
fn records_outlive_a_killed_server_and_the_client_reconnects() {
    let Some(mut server) = test_server("nats queue restart") else {
        return;
    };
    let q = NatsQueue::connect(&server.url(), options(Duration::from_secs(30))).expect("connect");
    q.publish(&[record("kept one"), record("kept two")])
        .expect("publish");
    server.kill();
    assert!(
        matches!(q.status(), Err(QueueError::Unavailable { .. })),
        "a dead server is unavailable, not a failure"
    );
    server.restart().expect("restart");
    let got = fetch_n(&q, 2, Duration::from_secs(30));
    let texts: Vec<&str> = got.iter().map(text).collect();
    assert_eq!(texts, ["kept one", "kept two"], "file storage kept them");
    for d in &got {
        q.ack(d).expect("ack");
    }
    assert!(q.status().expect("status").is_idle());
}

#[test]
fn a_record_over_the_message_limit_is_refused_alone() {
    let Some(server) = test_server("nats queue limit") else {
        return;
    };
    let q = NatsQueue::connect(&server.url(), NatsOptions::default()).expect("connect");
    assert!(
        matches!(
            q.fetch(1, Duration::from_millis(100)),
            Err(QueueError::NotConsuming)
        ),
        "a publisher's connection does not consume"
    );
    let huge = "word ".repeat(400_000);
    let out = q
        .publish(&[record(&huge), record("small")])
        .expect("publish");
    assert!(
        matches!(&out[0], Published::Refused(why) if why.contains("max_payload")),
        "{out:?}"
    );
    assert_eq!(out[1], Published::Queued);
}

#[test]
fn a_url_that_is_not_nats_is_refused() {
    let e = NatsQueue::connect("postgres://h/db", NatsOptions::default()).expect_err("refused");
    assert!(matches!(e, QueueError::BadUrl(_)), "{e}");
    let e = NatsQueue::connect(
        "nats://me:secret@127.0.0.1:1",
        NatsOptions {
            connect_timeout: Duration::from_secs(2),
            ..NatsOptions::default()
        },
    )
    .expect_err("nothing listens on port 1");
    let said = e.to_string();
    assert!(
        said.contains("nats://me@127.0.0.1:1") && !said.contains("secret"),
        "{said}"
    );
}

#[test]
fn a_publisher_leaves_the_consumer_to_the_workers_who_decide_its_settings() {
    let Some(server) = test_server("nats consumer settings") else {
        return;
    };
    // The publisher comes first, as `ingest --queue` before any worker.
    let publisher = NatsQueue::connect(&server.url(), NatsOptions::default()).expect("connect");
    publisher
        .publish(&[record("a"), record("b")])
        .expect("publish");
    let status = publisher.status().expect("status");
    assert!(!status.consumer, "{status:?}");
    assert_eq!((status.waiting, status.in_flight), (2, 0));
    assert_eq!((status.ack_wait, status.max_deliver), (Duration::ZERO, 0));

    // The first worker creates it with its own settings…
    let first = NatsQueue::connect(&server.url(), options(Duration::from_secs(2))).expect("worker");
    let status = publisher.status().expect("status");
    assert!(status.consumer);
    assert_eq!(
        (status.ack_wait, status.max_deliver, status.waiting),
        (Duration::from_secs(2), 3, 2)
    );
    // …a later one that only asks to create keeps them…
    let _second =
        NatsQueue::connect(&server.url(), options(Duration::from_secs(9))).expect("worker");
    assert_eq!(
        first.status().expect("status").ack_wait,
        Duration::from_secs(2)
    );
    // …and one given its settings explicitly changes them for all.
    let third = NatsQueue::connect(
        &server.url(),
        NatsOptions {
            consumer: ConsumerSetup::Enforce {
                ack_wait: Some(Duration::from_secs(1)),
                max_deliver: None,
            },
            ..NatsOptions::default()
        },
    )
    .expect("worker");
    let status = first.status().expect("status");
    assert_eq!(
        (status.ack_wait, status.max_deliver),
        (Duration::from_secs(1), 3),
        "the ack wait given changes, the delivery limit not given stays"
    );
    let _fourth = NatsQueue::connect(
        &server.url(),
        NatsOptions {
            consumer: ConsumerSetup::Enforce {
                ack_wait: None,
                max_deliver: Some(4),
            },
            ..NatsOptions::default()
        },
    )
    .expect("worker");
    let status = first.status().expect("status");
    assert_eq!(
        (status.ack_wait, status.max_deliver),
        (Duration::from_secs(1), 4)
    );
    // The changed consumer is the same one: both records still wait, and
    // deliveries go on.
    assert_eq!(status.waiting, 2);
    let got = fetch_n(&third, 2, Duration::from_secs(10));
    assert_eq!(got.len(), 2);
    third.ack(&got[0]).expect("ack");
    let again = fetch_n(&first, 1, Duration::from_secs(10));
    assert_eq!(again.len(), 1, "the record left unacknowledged comes back");
    assert_eq!(text(&again[0]), text(&got[1]));
}

#[test]
fn a_listener_hears_that_records_were_stored_and_many_words_count_once() {
    let Some(server) = test_server("nats stored words") else {
        return;
    };
    let linker = NatsQueue::connect(&server.url(), NatsOptions::default()).expect("connect");
    let worker =
        NatsQueue::connect(&server.url(), options(Duration::from_secs(5))).expect("worker");
    // Not listening yet: the wait is a plain pause.
    worker.announce_stored().expect("announce");
    let started = Instant::now();
    assert!(!linker.wait_stored(Duration::from_millis(300)));
    assert!(started.elapsed() >= Duration::from_millis(300));

    linker.listen_stored().expect("listen");
    assert!(
        !linker.wait_stored(Duration::from_millis(200)),
        "nothing said since"
    );
    // A word while the linker waits wakes it…
    let waiting = std::thread::spawn({
        let url = server.url();
        move || {
            std::thread::sleep(Duration::from_millis(300));
            let w = NatsQueue::connect(&url, NatsOptions::default()).expect("connect");
            w.announce_stored().expect("announce");
        }
    });
    let started = Instant::now();
    assert!(linker.wait_stored(Duration::from_secs(30)), "heard");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "woken, not timed out"
    );
    waiting.join().expect("join");
    // …and words said while it was busy are one piece of news.
    for _ in 0..3 {
        worker.announce_stored().expect("announce");
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(linker.wait_stored(Duration::from_secs(5)), "heard");
    assert!(
        !linker.wait_stored(Duration::from_millis(300)),
        "three words before one wait are one piece of news"
    );
}
