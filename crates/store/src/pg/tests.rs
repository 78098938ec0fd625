//! [`PostgresStore`] against a throwaway server: the conformance suite,
//! then what only this backend has (schema, URLs, several stores on one
//! database, connections lost).

use super::*;

fn fresh(test: &str) -> Option<PostgresStore> {
    let url = server::test_database(test)?;
    Some(PostgresStore::open(&url).unwrap_or_else(|e| panic!("{test}: {e}")))
}

crate::conformance_tests!(skippable: fresh(module_path!()));

fn sample(i: usize) -> NewArticle {
    crate::conformance::Sample::new(&format!("Article {i} about the dam and the flood."))
        .source("BBC")
        .build()
}

/// A raw connection to the database of `url`, for what a test must do
/// behind the store's back.
fn raw(url: &str) -> Client {
    postgres::Client::connect(url, NoTls).expect("connect")
}

#[test]
fn opening_twice_migrates_once_and_reports_its_version() {
    let Some(url) = server::test_database("opening_twice_migrates_once") else {
        return;
    };
    let a = PostgresStore::open(&url).expect("first open");
    a.put_articles(&[sample(1)]).expect("stored");
    let b = PostgresStore::open(&url).expect("second open");
    assert_eq!(b.stats().expect("stats").articles, 1, "the data survived");
    assert_eq!(
        b.stats().expect("stats").schema_version,
        POSTGRES_SCHEMA_VERSION
    );
    let version: i32 = raw(&url)
        .query_one("SELECT version FROM storyline_schema", &[])
        .expect("version row")
        .get(0);
    assert_eq!(version as u32, POSTGRES_SCHEMA_VERSION);
}

#[test]
fn a_newer_schema_is_refused() {
    let Some(url) = server::test_database("a_newer_schema_is_refused") else {
        return;
    };
    drop(PostgresStore::open(&url).expect("open"));
    raw(&url)
        .batch_execute("UPDATE storyline_schema SET version = version + 1")
        .expect("bump");
    match PostgresStore::open(&url) {
        Err(StoreError::NewerSchema {
            found, supported, ..
        }) => assert_eq!((found, supported), (supported + 1, POSTGRES_SCHEMA_VERSION)),
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

#[test]
fn another_applications_database_is_refused() {
    let Some(url) = server::test_database("another_applications_database") else {
        return;
    };
    raw(&url)
        .batch_execute("CREATE TABLE customers (id int)")
        .expect("create");
    match PostgresStore::open(&url) {
        Err(e @ StoreError::NotAStore { .. }) => {
            assert!(e.to_string().contains("did not create"), "{e}")
        }
        other => panic!("expected NotAStore, got {other:?}"),
    }
    let tables: i64 = raw(&url)
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .expect("count")
        .get(0);
    assert_eq!(tables, 1, "nothing was created beside it");
}

#[test]
fn urls_are_checked_and_passwords_never_shown() {
    match PostgresStore::open("postgres://u:pw@host:notaport/db") {
        Err(e @ StoreError::BadUrl { .. }) => assert!(!e.to_string().contains("pw"), "{e}"),
        other => panic!("expected BadUrl, got {other:?}"),
    }
    // Nothing listens on port 1: the connection fails, and the message
    // names the server without the password.
    let e = PostgresStore::open("postgres://someone:hunter2@127.0.0.1:1/news?connect_timeout=5")
        .expect_err("nothing listens there");
    let shown = e.to_string();
    assert!(matches!(e, StoreError::Database { .. }), "{e:?}");
    assert!(
        shown.contains("postgres://someone@127.0.0.1:1/news"),
        "{shown}"
    );
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(is_postgres_url("postgresql://x/y") && is_postgres_url("POSTGRES://x"));
    assert!(!is_postgres_url("/var/lib/storyline") && !is_postgres_url("sqlite://x"));
}

#[test]
fn two_stores_on_one_database_write_at_once() {
    let Some(url) = server::test_database("two_stores_on_one_database") else {
        return;
    };
    let stores = [
        PostgresStore::open(&url).expect("open"),
        PostgresStore::open(&url).expect("open"),
    ];
    std::thread::scope(|s| {
        for (n, store) in stores.iter().enumerate() {
            s.spawn(move || {
                for batch in 0..10 {
                    let articles: Vec<NewArticle> =
                        (0..5).map(|i| sample(1000 * n + 10 * batch + i)).collect();
                    store.put_articles(&articles).expect("stored");
                    // Half of each batch again from the other store's
                    // range: idempotent across stores too.
                    let again: Vec<NewArticle> = (0..3).map(|i| sample(10 * batch + i)).collect();
                    store.put_articles(&again).expect("stored again");
                }
            });
        }
    });
    for store in &stores {
        assert_eq!(store.stats().expect("stats").articles, 100);
        // In ingest order, every article once.
        let ids = store.unlinked("l/1", 1000).expect("unlinked");
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!((ids.len(), unique.len()), (100, 100));
    }
}

#[test]
fn a_connection_killed_by_the_server_is_replaced() {
    let Some(url) = server::test_database("a_connection_killed") else {
        return;
    };
    let store = PostgresStore::open(&url).expect("open");
    store.put_articles(&[sample(1)]).expect("stored");
    assert_eq!(store.stats().expect("stats").articles, 1);
    // The server ends every other session of this database, as a restart
    // or an administrator would.
    let killed: i64 = raw(&url)
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .expect("terminate")
        .get(0);
    assert!(killed >= 1, "the store's idle connection was there to kill");
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(store.stats().expect("a read after the kill").articles, 1);
    raw(&url)
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .expect("terminate");
    std::thread::sleep(Duration::from_millis(200));
    store
        .put_articles(&[sample(2)])
        .expect("a write after the kill");
    assert_eq!(store.stats().expect("stats").articles, 2);
}

#[test]
fn search_text_keeps_offsets_and_finds_words_in_tags() {
    let Some(store) = fresh("search_text_keeps_offsets") else {
        return;
    };
    let text = "Officials said <b>ceasefire</b> talks\u{0}resumed in \u{E000}Cairo.";
    assert_eq!(searchable(text).len(), text.len());
    store
        .put_articles(&[crate::conformance::Sample::new(text).build()])
        .expect("stored");
    let hits = store.search(&SearchQuery::new("talks")).expect("search");
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0].snippet.contains("<b>ceasefire</b> «talks» resumed"),
        "{}",
        hits[0].snippet
    );
    assert_eq!(
        store
            .search(&SearchQuery::new("ceasefire"))
            .expect("search")
            .len(),
        1
    );
    assert_eq!(
        store
            .article(&ArticleId::for_text(text))
            .expect("read")
            .expect("stored")
            .draft
            .text,
        text
    );
}

#[test]
fn a_store_dropped_inside_an_async_runtime_closes_quietly() {
    let Some(store) = fresh("a_store_dropped_inside_an_async_runtime") else {
        return;
    };
    store.put_articles(&[sample(1)]).expect("stored");
    assert_eq!(
        store.stats().expect("stats").articles,
        1,
        "a connection is idle"
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    // As the server's state is dropped when it stops.
    runtime.block_on(async move { drop(store) });
}

#[test]
fn a_database_failure_mid_batch_commits_nothing() {
    let Some(url) = server::test_database("a_database_failure_mid_batch") else {
        return;
    };
    let store = PostgresStore::open(&url).expect("open");
    raw(&url)
        .batch_execute(
            "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
             BEGIN RAISE EXCEPTION 'boom'; END $$;
             CREATE TRIGGER boom BEFORE INSERT ON articles
             FOR EACH ROW WHEN (NEW.title = 'boom') EXECUTE FUNCTION boom();",
        )
        .expect("trigger");
    let batch = vec![
        crate::conformance::Sample::new("One fine article.")
            .fingerprint(vec![1], vec![5])
            .analyzed("fast/3", "{}")
            .build(),
        crate::conformance::Sample::new("Two fine article.").build(),
        crate::conformance::Sample::new("Explodes.")
            .title("boom")
            .build(),
    ];
    let err = store.put_articles(&batch).expect_err("the third row fails");
    assert!(matches!(err, StoreError::Database { .. }), "{err:?}");
    assert!(err.to_string().contains("boom"), "{err}");
    let stats = store.stats().expect("stats");
    assert_eq!((stats.articles, stats.index_documents), (0, 0));
    assert!(stats.analyzers.is_empty());
    assert!(store
        .near_duplicate_candidates(&[5], 5)
        .expect("candidates")
        .is_empty());
    store
        .put_articles(&batch[..2])
        .expect("the good rows alone go in, on the same connections");
    assert_eq!(
        store
            .search(&SearchQuery::new("fine"))
            .expect("search")
            .len(),
        2
    );
}

#[test]
fn a_ten_megabyte_article_is_stored_and_its_opening_searchable() {
    let Some(store) = fresh("a_ten_megabyte_article") else {
        return;
    };
    let mut text = String::with_capacity(10 << 20);
    text.push_str("Needle at the start. ");
    while text.len() < 10 << 20 {
        text.push_str(
            "Lorem ipsum dolor sit amet, consectetur adipiscing elit \u{0} \u{7} é <b>. ",
        );
    }
    text.push_str(" haystackend");
    let big = crate::conformance::Sample::new(&text).title("Big");
    store
        .put_articles(std::slice::from_ref(&big.0))
        .expect("stored");
    let back = store.article(&big.id()).expect("read").expect("there");
    assert!(back.draft.text == text, "read back byte for byte");
    let hits = store.search(&SearchQuery::new("needle")).expect("search");
    assert_eq!(hits.len(), 1);
    assert!(hits[0].snippet.chars().count() < 300, "{}", hits[0].snippet);
    assert!(hits[0].snippet.contains("«Needle»"), "{}", hits[0].snippet);
    // The documented limit: words past the first 100,000 characters are
    // kept but not searchable.
    assert!(store
        .search(&SearchQuery::new("haystackend"))
        .expect("search")
        .is_empty());
}

#[test]
fn a_text_of_distinct_words_never_overflows_the_vector() {
    let Some(store) = fresh("a_text_of_distinct_words") else {
        return;
    };
    // PostgreSQL refuses a tsvector over 1 MB; the most distinct words the
    // searched windows can hold must stay under it, or the batch would
    // fail: one-character words of distinct four-byte characters (CJK
    // extension B), in the text and in a title of its own.
    let words: String = ('\u{20000}'..='\u{2A6DF}').flat_map(|c| [c, ' ']).collect();
    let ascii: String = (0..200_000u32).map(|i| format!("{i:x}q ")).collect();
    let samples = [
        crate::conformance::Sample::new(&words),
        crate::conformance::Sample::new("A short text.").title(&ascii),
        crate::conformance::Sample::new(&ascii).title(&words),
    ];
    store
        .put_articles(&samples.iter().map(|s| s.0.clone()).collect::<Vec<_>>())
        .expect("stored");
    let mut expected = vec![samples[0].id(), samples[2].id()];
    expected.sort();
    let mut found = hits_for(&store, "\u{20000}");
    found.sort();
    assert_eq!(found, expected);
    let mut found = hits_for(&store, "0q");
    found.sort();
    let mut expected = vec![samples[1].id(), samples[2].id()];
    expected.sort();
    assert_eq!(found, expected);
}

fn hits_for(store: &PostgresStore, q: &str) -> Vec<ArticleId> {
    store
        .search(&SearchQuery::new(q))
        .expect("search")
        .into_iter()
        .map(|h| h.id)
        .collect()
}

/// Ends every linker-lease session of the database, as a server restart
/// would; returns how many it ended.
fn kill_lease_sessions(url: &str) -> i64 {
    raw(url)
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND application_name LIKE 'storyline linker:%'",
            &[],
        )
        .expect("terminate")
        .get(0)
}

#[test]
fn a_linker_lease_lost_with_its_connection_is_taken_again_unless_another_has_it() {
    let Some(url) = server::test_database("linker_lease_lost") else {
        return;
    };
    let store = PostgresStore::open(&url).expect("open");
    let mut lease = store.lease_linker("pid 1 on a").expect("lease");
    assert_eq!(
        kill_lease_sessions(&url),
        1,
        "the lease has a session of its own"
    );
    std::thread::sleep(Duration::from_millis(200));
    lease
        .check()
        .expect("lost, then taken again: nobody else had it");
    assert!(
        matches!(
            store.lease_linker("pid 2 on b"),
            Err(StoreError::LinkerBusy { .. })
        ),
        "held again"
    );

    // Lost, and another linker takes it before the first looks: the first
    // must stop.
    assert_eq!(kill_lease_sessions(&url), 1);
    std::thread::sleep(Duration::from_millis(200));
    let _second = store
        .lease_linker("pid 2 on b")
        .expect("free after the loss");
    match lease.check() {
        Err(StoreError::LinkerBusy { holder, .. }) => {
            assert_eq!(holder.as_deref(), Some("pid 2 on b"))
        }
        other => panic!("the first linker learns it lost the lease: {other:?}"),
    }
}

#[test]
fn two_stores_in_two_schemas_of_one_database_have_two_linker_leases() {
    let Some(url) = server::test_database("linker_lease_schemas") else {
        return;
    };
    let mut admin = raw(&url);
    admin
        .batch_execute("CREATE SCHEMA one; CREATE SCHEMA two;")
        .expect("schemas");
    let in_schema = |schema: &str| {
        let sep = if url.contains('?') { '&' } else { '?' };
        PostgresStore::open(&format!("{url}{sep}options=-csearch_path%3D{schema}"))
            .expect("open in a schema")
    };
    let (one, two) = (in_schema("one"), in_schema("two"));
    let _a = one.lease_linker("linker of one").expect("lease one");
    let _b = two.lease_linker("linker of two").expect("lease two");
    assert!(matches!(
        one.lease_linker("another"),
        Err(StoreError::LinkerBusy { holder: Some(h), .. }) if h == "linker of one"
    ));
}

/// The link write finds what it deletes through the indexes however large
/// the link tables are: a delete planned as a join over a whole table
/// costs more with every article linked. The plan is read with the tables
/// filled behind the store's back and their statistics taken, as the
/// server would plan it for the linker.
#[test]
fn a_link_write_is_planned_by_index_on_a_large_store() {
    let Some(url) = server::test_database("link_write_plan") else {
        return;
    };
    let store = PostgresStore::open(&url).expect("open");
    let batch = |i: usize| LinkBatch {
        records: vec![(
            "claim".into(),
            LinkRecord {
                id: format!("c{i}"),
                body: "{}".into(),
                keys: vec![format!("k{}", i % 97), "shared".into()],
            },
        )],
        ..LinkBatch::default()
    };
    store.put_links("test/1", &batch(0)).expect("stored");
    let mut admin = raw(&url);
    admin
        .batch_execute(
            "INSERT INTO link_records (kind, id, body)
               SELECT 'claim'::bytea, convert_to('r' || i, 'UTF8'), '{}'::bytea
               FROM generate_series(1, 50000) AS i;
             INSERT INTO link_keys (kind, key, id)
               SELECT 'claim'::bytea, convert_to('k' || (i % 997), 'UTF8'), convert_to('r' || i, 'UTF8')
               FROM generate_series(1, 50000) AS i;
             ANALYZE link_records; ANALYZE link_keys;
             SET plan_cache_mode = force_custom_plan;",
        )
        .expect("filled");
    let bytes = |v: &[&str]| -> Vec<Vec<u8>> { v.iter().map(|s| s.as_bytes().to_vec()).collect() };
    // 300 records replaced: `DELETE … USING unnest(…)` was planned as a
    // hash join over all 50,000 postings for as many.
    let ids: Vec<Vec<u8>> = (0..300).map(|i| format!("r{i}").into_bytes()).collect();
    let kinds = vec![b"claim".to_vec(); ids.len()];
    let none: Vec<Vec<u8>> = Vec::new();
    let no_counts: Vec<i64> = Vec::new();
    let through: Option<&str> = None;
    let plan: Vec<String> = admin
        .query(
            &format!("EXPLAIN {}", links::WRITE_LINKS),
            &[
                &kinds,
                &ids,
                &kinds,
                &ids,
                &bytes(&["claim"]),
                &bytes(&["c0"]),
                &bytes(&["{}"]),
                &bytes(&["claim"]),
                &bytes(&["k1"]),
                &bytes(&["c0"]),
                &none,
                &no_counts,
                &"test/1".as_bytes(),
                &through,
            ],
        )
        .expect("explained")
        .iter()
        .map(|r| r.get(0))
        .collect();
    let plan = plan.join("\n");
    for table in ["link_keys", "link_records", "articles"] {
        assert!(
            !plan.contains(&format!("Seq Scan on {table}")),
            "{table} read whole:\n{plan}"
        );
    }
    assert!(!plan.contains("Hash Join"), "{plan}");
}
