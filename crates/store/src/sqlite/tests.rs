//! Tests of what only the SQLite backend has: files, migrations, locking,
//! crash recovery of the index, query plans, size and speed.

use std::path::Path;
use std::time::Instant;

use storyline_core::{ArticleId, DateProvenance};
use tempfile::TempDir;

use super::*;
use crate::conformance::{analysis, Fixture, Sample};

mod in_memory {
    use super::*;
    crate::conformance_tests!(SqliteStore::open_in_memory().expect("in-memory store"));
}

mod on_disk {
    use super::*;
    crate::conformance_tests!(DirStore::new());
}

/// A file-backed store in a temporary directory.
struct DirStore {
    store: SqliteStore,
    dir: TempDir,
}

impl DirStore {
    fn new() -> DirStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(dir.path()).expect("store opens");
        DirStore { store, dir }
    }

    fn reopen(self) -> DirStore {
        let DirStore { store, dir } = self;
        drop(store);
        let store = SqliteStore::open(dir.path()).expect("store reopens");
        DirStore { store, dir }
    }
}

impl Fixture for DirStore {
    fn store(&self) -> &dyn Store {
        &self.store
    }
}

fn samples(n: usize, words: usize) -> Vec<NewArticle> {
    (0..n)
        .map(|i| {
            let mut text = format!("Report {i} unique{i} from the field. ");
            while text.len() < words * 6 {
                text.push_str("Officials said the convoy reached the crossing after talks. ");
            }
            Sample::new(&text)
                .title(&format!("Report number {i}"))
                .source(if i % 2 == 0 { "Reuters" } else { "BBC" })
                .published(
                    &format!("2023-11-{:02}", 1 + i % 28),
                    DateProvenance::Metadata,
                )
                .fingerprint(
                    vec![i as u32; 8],
                    vec![i as u64, 1_000_000 + (i as u64 % 7)],
                )
                .build()
        })
        .collect()
}

/// Each article is found exactly once by its unique word, and the index
/// holds exactly one document per article.
fn assert_indexed_once(store: &SqliteStore, batch: &[NewArticle]) {
    for (i, _) in batch.iter().enumerate() {
        let hits = store
            .search(&SearchQuery::new(format!("unique{i}")))
            .expect("search");
        assert_eq!(hits.len(), 1, "unique{i}: {hits:?}");
        assert_eq!(hits[0].id, batch[i].article.id);
    }
    let stats = store.stats().expect("stats");
    assert_eq!(stats.index_documents, stats.articles);
    assert_eq!(stats.articles, batch.len() as u64);
}

#[test]
fn data_survives_reopening() {
    let d = DirStore::new();
    let batch = samples(20, 50);
    d.store.put_articles(&batch).expect("stored");
    d.store
        .record_run(&["in".into()], &[], &serde_json::json!({"n": 20}))
        .expect("run");
    let d = d.reopen();
    for new in &batch {
        assert_eq!(
            d.store.article(&new.article.id).expect("read").as_ref(),
            Some(&new.article)
        );
    }
    assert_indexed_once(&d.store, &batch);
    assert_eq!(d.store.runs(5).expect("runs").len(), 1);
    for f in [DB_FILE, INDEX_DIR, LOCK_FILE] {
        assert!(d.dir.path().join(f).exists(), "{f}");
    }
}

#[test]
fn crash_between_database_and_index_commit_loses_nothing() {
    let d = DirStore::new();
    let batch = samples(30, 40);
    d.store.put_articles(&batch[..10]).expect("first batch");
    // The process "dies" after committing the second batch to SQLite and
    // before committing it to the index.
    d.store
        .put_articles_without_indexing(&batch[10..])
        .expect("second batch, database only");
    assert_eq!(d.store.index.num_docs(), 10, "the index lags");
    let d = d.reopen();
    assert_indexed_once(&d.store, &batch);
}

#[test]
fn a_read_only_open_says_how_far_the_index_lags() {
    let d = DirStore::new();
    let batch = samples(20, 40);
    d.store.put_articles(&batch[..8]).expect("first batch");
    d.store
        .put_articles_without_indexing(&batch[8..])
        .expect("second batch, database only");
    let reader = SqliteStore::open_read_only(d.dir.path()).expect("read-only opens");
    assert_eq!(reader.index_behind_at_open(), 12);
    assert_eq!(
        d.store.index_behind_at_open(),
        0,
        "a writer never reports lag"
    );
    drop(reader);
    let DirStore { store, dir } = d;
    drop(store);
    drop(SqliteStore::open(dir.path()).expect("a writer catches up"));
    let reader = SqliteStore::open_read_only(dir.path()).expect("read-only opens");
    assert_eq!(reader.index_behind_at_open(), 0);
    assert_eq!(reader.stats().expect("stats").index_documents, 20);
}

#[test]
fn a_lagging_index_catches_up_without_reopening() {
    let d = DirStore::new();
    let batch = samples(12, 40);
    d.store
        .put_articles_without_indexing(&batch[..6])
        .expect("database only");
    // The next batch, and any search, index what was missed.
    d.store.put_articles(&batch[6..]).expect("stored");
    assert_indexed_once(&d.store, &batch);
    let m = SqliteStore::open_in_memory().expect("store");
    m.put_articles_without_indexing(&batch)
        .expect("database only");
    assert_indexed_once(&m, &batch);
}

#[test]
fn a_watermark_behind_the_index_duplicates_nothing() {
    let d = DirStore::new();
    let batch = samples(15, 40);
    d.store.put_articles(&batch).expect("stored");
    {
        // Commit the index claiming it covers nothing, though it holds
        // every article: as if the watermark were lost.
        let mut state = d.store.writer("test").expect("writer");
        d.store
            .index
            .commit(&mut state.index_writer, 0)
            .map_err(d.store.err("test"))
            .expect("commit");
    }
    let d = d.reopen();
    assert_indexed_once(&d.store, &batch);
}

#[test]
fn a_deleted_index_is_rebuilt() {
    let d = DirStore::new();
    let batch = samples(15, 40);
    d.store.put_articles(&batch).expect("stored");
    let DirStore { store, dir } = d;
    drop(store);
    std::fs::remove_dir_all(dir.path().join(INDEX_DIR)).expect("index deleted");
    let d = DirStore {
        store: SqliteStore::open(dir.path()).expect("reopens"),
        dir,
    };
    assert_indexed_once(&d.store, &batch);
}

#[test]
fn a_corrupt_index_is_rebuilt() {
    for damage in [
        "garbage meta.json",
        "empty directory",
        "missing segment files",
        "other format",
    ] {
        let d = DirStore::new();
        let batch = samples(8, 40);
        d.store.put_articles(&batch).expect("stored");
        let DirStore { store, dir } = d;
        drop(store);
        let index = dir.path().join(INDEX_DIR);
        match damage {
            "garbage meta.json" => {
                std::fs::write(index.join("meta.json"), b"{not json\0").expect("write")
            }
            "empty directory" => {
                std::fs::remove_dir_all(&index).expect("rm");
                std::fs::create_dir(&index).expect("mkdir");
            }
            "missing segment files" => {
                for entry in std::fs::read_dir(&index).expect("ls") {
                    let path = entry.expect("entry").path();
                    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    if name != "meta.json" && !name.starts_with('.') {
                        std::fs::remove_file(&path).expect("rm");
                    }
                }
            }
            _ => {
                let meta = std::fs::read_to_string(index.join("meta.json")).expect("read");
                let other = meta.replace("\\\"format\\\":1", "\\\"format\\\":99");
                assert_ne!(meta, other, "the payload is where the test expects it");
                std::fs::write(index.join("meta.json"), other).expect("write");
            }
        }
        let store = SqliteStore::open(dir.path()).unwrap_or_else(|e| panic!("{damage}: {e}"));
        assert_indexed_once(&store, &batch);
    }
}

#[test]
fn reindex_rebuilds_from_the_database() {
    let d = DirStore::new();
    let batch = samples(10, 40);
    d.store.put_articles(&batch).expect("stored");
    assert_eq!(d.store.reindex().expect("reindex"), 10);
    assert_indexed_once(&d.store, &batch);
    let d = d.reopen();
    assert_indexed_once(&d.store, &batch);
}

#[test]
fn a_second_writer_is_refused_at_once() {
    let d = DirStore::new();
    let started = Instant::now();
    let err = SqliteStore::open(d.dir.path()).expect_err("locked");
    let StoreError::Locked { holder, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        *holder,
        Some(std::process::id()),
        "the holder wrote its id into the lock file"
    );
    assert!(
        err.to_string().contains(&format!(
            "written by another storyline process (pid {})",
            std::process::id()
        )),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 2, "no waiting on the lock");
    let DirStore { store, dir } = d;
    drop(store);
    SqliteStore::open(dir.path()).expect("free again once the writer is gone");
}

#[test]
fn a_second_writer_waits_for_the_first() {
    let d = DirStore::new();
    let DirStore { store, dir } = d;
    // Gives up after its wait, having said once that it waits.
    let mut told = 0;
    let started = Instant::now();
    let err = SqliteStore::open_waiting(dir.path(), std::time::Duration::from_millis(300), |_| {
        told += 1
    })
    .expect_err("still locked");
    assert!(matches!(err, StoreError::Locked { .. }), "{err:?}");
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    assert_eq!(told, 1);
    // Gets the lock as soon as the first writer lets go.
    let first = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(400));
        drop(store);
    });
    let mut holder = None;
    let second = SqliteStore::open_waiting(dir.path(), std::time::Duration::from_secs(30), |h| {
        holder = h
    })
    .expect("the second writer gets the lock once the first is gone");
    first.join().expect("first writer");
    assert_eq!(holder, Some(std::process::id()));
    second
        .put_articles(&samples(1, 40))
        .expect("the second writer writes");
}

#[test]
fn a_reader_runs_beside_the_writer() {
    let d = DirStore::new();
    let batch = samples(6, 40);
    d.store.put_articles(&batch[..3]).expect("stored");
    let reader = SqliteStore::open_read_only(d.dir.path()).expect("read-only opens");
    assert_eq!(reader.stats().expect("stats").articles, 3);
    d.store
        .put_articles(&batch[3..])
        .expect("stored while a reader is open");
    assert_eq!(
        reader
            .articles(&ArticleFilter::default())
            .expect("articles")
            .len(),
        6
    );
    assert_eq!(
        reader
            .search(&SearchQuery::new("unique5"))
            .expect("search")
            .len(),
        1,
        "the reader sees the writer's index commits"
    );
    match reader.put_articles(&batch) {
        Err(e @ StoreError::ReadOnly { .. }) => assert!(e.to_string().contains("read-only")),
        other => panic!("expected ReadOnly, got {other:?}"),
    }
    assert!(matches!(
        reader.record_run(&[], &[], &serde_json::json!({})),
        Err(StoreError::ReadOnly { .. })
    ));
    let empty = tempfile::tempdir().expect("dir");
    assert!(matches!(
        SqliteStore::open_read_only(empty.path()),
        Err(StoreError::Io { .. })
    ));
}

/// The schema as v1 wrote it, with one article and its bands, frozen: it
/// must keep opening as the schema moves on.
const V1_FIXTURE: &str = include_str!("testdata/schema_v1.sql");

#[test]
fn v1_store_upgrades() {
    let dir = tempfile::tempdir().expect("dir");
    {
        let conn = Connection::open(dir.path().join(DB_FILE)).expect("db");
        conn.execute_batch(V1_FIXTURE).expect("v1 fixture loads");
        let v: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(v, 1);
    }
    let store = SqliteStore::open(dir.path()).expect("v1 store opens and upgrades");
    let id: ArticleId = "5757dee4bd39eb28".parse().expect("id");
    let article = store
        .article(&id)
        .expect("read")
        .expect("the v1 article is there");
    assert_eq!(
        article.draft.title.as_deref(),
        Some("Ministers meet in Cairo")
    );
    assert_eq!(
        article.draft.text,
        "Ministers met in Cairo on Friday to discuss a ceasefire."
    );
    assert_eq!(
        article.draft.published.map(|t| t.to_string()).as_deref(),
        Some("2023-11-09")
    );
    assert_eq!(
        store
            .near_duplicate_candidates(&[42], 5)
            .expect("candidates"),
        vec![(id.clone(), id.clone(), vec![1, 2, 3])]
    );
    assert_eq!(
        store
            .search(&SearchQuery::new("ceasefire"))
            .expect("search")[0]
            .id,
        id,
        "the index was built from the upgraded database"
    );
    store
        .record_run(&["x".into()], &[], &serde_json::json!({}))
        .expect("v2 tables exist");
    assert_eq!(
        store.stale_analyses("fast/3", 10).expect("v3 tables exist"),
        vec![id.clone()]
    );
    let stats = store.stats().expect("stats");
    assert_eq!(stats.schema_version, SCHEMA_VERSION);
    assert_eq!((stats.articles, stats.ingest_runs), (1, 1));
    drop(store);
    let conn = Connection::open(dir.path().join(DB_FILE)).expect("db");
    let v: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(v, SCHEMA_VERSION);
}

/// The schema as v2 wrote it, with two articles and a run, frozen.
const V2_FIXTURE: &str = include_str!("testdata/schema_v2.sql");

fn v2_store(dir: &Path) {
    let conn = Connection::open(dir.join(DB_FILE)).expect("db");
    conn.execute_batch(V2_FIXTURE).expect("v2 fixture loads");
    let v: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(v, 2);
}

#[test]
fn v2_store_upgrades() {
    let dir = tempfile::tempdir().expect("dir");
    v2_store(dir.path());
    assert!(
        matches!(
            SqliteStore::open_read_only(dir.path()),
            Err(StoreError::NeedsUpgrade {
                found: 2,
                needed: SCHEMA_VERSION,
                ..
            })
        ),
        "only a writer upgrades"
    );
    let store = SqliteStore::open(dir.path()).expect("v2 store opens and upgrades");
    let first: ArticleId = "5757dee4bd39eb28".parse().expect("id");
    let copy: ArticleId = "28a05c977d3e52cb".parse().expect("id");
    let a = store.article(&first).expect("read").expect("first kept");
    assert_eq!(a.draft.title.as_deref(), Some("Ministers meet in Cairo"));
    let b = store.article(&copy).expect("read").expect("copy kept");
    assert_eq!(
        b.draft.text,
        "Ministers met in Cairo on Friday to discuss a ceasefire, officials said."
    );
    assert_eq!(b.duplicate_group, first);
    assert_eq!(b.draft.published, None);
    assert_eq!(b.draft.published_provenance, DateProvenance::Unknown);
    assert_eq!(b.draft.authors, vec!["A. Writer".to_string()]);
    assert_eq!(
        store
            .near_duplicate_candidates(&[42, 99], 5)
            .expect("candidates"),
        vec![
            (copy.clone(), first.clone(), vec![1, 2, 4]),
            (first.clone(), first.clone(), vec![1, 2, 3]),
        ]
    );
    let runs = store.runs(5).expect("runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(
        runs[0].inputs,
        vec!["a.txt".to_string(), "b.txt".to_string()]
    );
    assert_eq!(runs[0].problems.len(), 1);
    assert_eq!(runs[0].problems[0].reason, "no article text");
    assert_eq!(
        store
            .search(&SearchQuery::new("officials"))
            .expect("search")
            .into_iter()
            .map(|h| h.id)
            .collect::<Vec<_>>(),
        vec![copy.clone()]
    );
    // Migration 3: every article is there, unanalysed, in ingest order.
    let stats = store.stats().expect("stats");
    assert_eq!(stats.schema_version, SCHEMA_VERSION);
    assert_eq!(
        (stats.articles, stats.duplicates, stats.ingest_runs),
        (2, 1, 1)
    );
    assert!(stats.analyzers.is_empty());
    assert_eq!(stats.analysis_stale("fast/3"), 2);
    assert_eq!(store.analysis(&first).expect("analysis"), None);
    assert_eq!(
        store.stale_analyses("fast/3", 10).expect("stale"),
        vec![first.clone(), copy.clone()]
    );
    store
        .put_analyses(&[(copy.clone(), analysis("fast/3", "{\"n\":1}"))])
        .expect("old articles can be analysed");
    assert_eq!(
        store.stale_analyses("fast/3", 10).expect("stale"),
        vec![first.clone()]
    );
    let new = Sample::new("A new article after the upgrade.").analyzed("fast/3", "[]");
    store
        .put_articles(std::slice::from_ref(&new.0))
        .expect("new articles go in with their analysis");
    assert_eq!(
        store.analysis(&new.id()).expect("analysis"),
        Some(analysis("fast/3", "[]"))
    );
    let d = DirStore { store, dir }.reopen();
    assert_eq!(d.store.stats().expect("stats").analyzed("fast/3"), 2);
    assert_eq!(
        d.store.analysis(&copy).expect("analysis"),
        Some(analysis("fast/3", "{\"n\":1}"))
    );
    drop(d.store);
    let conn = Connection::open(d.dir.path().join(DB_FILE)).expect("db");
    let v: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(v, SCHEMA_VERSION);
}

#[test]
fn a_failed_v3_migration_leaves_v2() {
    let dir = tempfile::tempdir().expect("dir");
    v2_store(dir.path());
    {
        let conn = Connection::open(dir.path().join(DB_FILE)).expect("db");
        conn.execute_batch("CREATE TABLE analyses (x)")
            .expect("obstacle");
    }
    let err = SqliteStore::open(dir.path()).expect_err("migration fails");
    assert!(
        matches!(err, StoreError::Migration { from: 2, to: 3, .. }),
        "{err:?}"
    );
    let conn = Connection::open(dir.path().join(DB_FILE)).expect("db");
    let v: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(v, 2);
    let (articles, index): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT COUNT(*) FROM articles),
                    (SELECT COUNT(*) FROM sqlite_master WHERE name = 'analyses_by_analyzer')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("query");
    assert_eq!(
        (articles, index),
        (2, 0),
        "the failed step was rolled back whole"
    );
}

#[test]
fn a_newer_store_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    drop(SqliteStore::open(dir.path()).expect("created"));
    {
        let conn = Connection::open(dir.path().join(DB_FILE)).expect("db");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 3)
            .expect("bump");
    }
    let err = SqliteStore::open(dir.path()).expect_err("refused");
    assert!(
        matches!(err, StoreError::NewerSchema { found, supported, .. }
            if found == SCHEMA_VERSION + 3 && supported == SCHEMA_VERSION),
        "{err:?}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains(&format!(
            "schema {} > {}",
            SCHEMA_VERSION + 3,
            SCHEMA_VERSION
        )) && msg.contains("newer storyline"),
        "{msg}"
    );
    assert!(matches!(
        SqliteStore::open_read_only(dir.path()),
        Err(StoreError::NewerSchema { .. })
    ));
}

#[test]
fn a_failed_migration_leaves_the_old_version() {
    let dir = tempfile::tempdir().expect("dir");
    {
        let conn = Connection::open(dir.path().join(DB_FILE)).expect("db");
        conn.execute_batch(V1_FIXTURE).expect("v1");
        // Something in the way of migration 2.
        conn.execute_batch("CREATE TABLE ingest_runs (x)")
            .expect("obstacle");
    }
    let err = SqliteStore::open(dir.path()).expect_err("migration fails");
    assert!(
        matches!(err, StoreError::Migration { from: 1, to: 2, .. }),
        "{err:?}"
    );
    let conn = Connection::open(dir.path().join(DB_FILE)).expect("db");
    let v: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .expect("version");
    assert_eq!(v, 1);
    let problems_table: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'run_problems'",
            [],
            |r| r.get(0),
        )
        .expect("query");
    assert_eq!(problems_table, 0, "the failed step was rolled back whole");
}

#[test]
fn other_files_are_not_taken_for_a_store() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join(DB_FILE), vec![0x42u8; 8192]).expect("write");
    let err = SqliteStore::open(dir.path()).expect_err("garbage refused");
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err:?}");

    let dir = tempfile::tempdir().expect("dir");
    {
        let conn = Connection::open(dir.path().join(DB_FILE)).expect("db");
        conn.execute_batch("CREATE TABLE customers (name TEXT)")
            .expect("someone else's table");
    }
    let err = SqliteStore::open(dir.path()).expect_err("foreign db refused");
    assert!(matches!(err, StoreError::NotAStore { .. }), "{err:?}");

    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("a-file");
    std::fs::write(&file, b"x").expect("write");
    let err = SqliteStore::open(&file).expect_err("a file is not a directory");
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
}

#[test]
fn a_database_failure_mid_batch_commits_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    for store in [
        SqliteStore::open_in_memory().expect("store"),
        SqliteStore::open(dir.path()).expect("store"),
    ] {
        {
            let state = store.writer("test").expect("writer");
            state
                .conn
                .execute_batch(
                    "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.articles
                     WHEN NEW.title = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;",
                )
                .expect("trigger");
        }
        let batch = vec![
            Sample::new("One fine article.")
                .fingerprint(vec![1], vec![5])
                .build(),
            Sample::new("Two fine article.").build(),
            Sample::new("Explodes.").title("boom").build(),
        ];
        let err = store.put_articles(&batch).expect_err("the third row fails");
        assert!(matches!(err, StoreError::Database { .. }), "{err:?}");
        assert!(err.to_string().contains("boom"), "{err}");
        let stats = store.stats().expect("stats");
        assert_eq!((stats.articles, stats.index_documents), (0, 0));
        assert!(store
            .near_duplicate_candidates(&[5], 5)
            .expect("candidates")
            .is_empty());
        store
            .put_articles(&batch[..2])
            .expect("the good rows alone go in");
        assert_eq!(store.stats().expect("stats").articles, 2);
        assert_eq!(
            store
                .search(&SearchQuery::new("fine"))
                .expect("search")
                .len(),
            2
        );
    }
}

#[test]
fn a_database_failure_storing_an_analysis_commits_nothing() {
    let store = SqliteStore::open_in_memory().expect("store");
    {
        let state = store.writer("test").expect("writer");
        state
            .conn
            .execute_batch(
                "CREATE TEMP TRIGGER boom BEFORE INSERT ON main.analyses
                 WHEN NEW.analyzer = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END;",
            )
            .expect("trigger");
    }
    let batch = vec![
        Sample::new("One.").analyzed("fast/3", "[1]").build(),
        Sample::new("Two.").build(),
        // The article row goes in; its analysis fails.
        Sample::new("Three.").analyzed("boom", "[3]").build(),
    ];
    let err = store.put_articles(&batch).expect_err("the analysis fails");
    assert!(matches!(err, StoreError::Database { .. }), "{err:?}");
    let stats = store.stats().expect("stats");
    assert_eq!((stats.articles, stats.index_documents), (0, 0));
    assert!(stats.analyzers.is_empty());
    assert!(store.stale_analyses("x", 10).expect("stale").is_empty());
    store
        .put_articles(&batch[..2])
        .expect("the good ones go in");
    let err = store
        .put_analyses(&[
            (batch[0].article.id.clone(), analysis("fast/4", "[]")),
            (batch[1].article.id.clone(), analysis("boom", "[]")),
        ])
        .expect_err("the second fails");
    assert!(matches!(err, StoreError::Database { .. }), "{err:?}");
    assert_eq!(
        store.analysis(&batch[0].article.id).expect("analysis"),
        Some(analysis("fast/3", "[1]")),
        "the first replacement was rolled back"
    );
    assert_eq!(
        store.analysis(&batch[1].article.id).expect("analysis"),
        None
    );
}

fn query_plan(conn: &Connection, sql: &str) -> String {
    let mut stmt = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("explain");
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(3))
        .expect("plan")
        .collect::<Result<Vec<_>, _>>()
        .expect("rows");
    rows.join("; ")
}

#[test]
fn lookups_use_indexes() {
    let store = SqliteStore::open_in_memory().expect("store");
    store.put_articles(&samples(50, 10)).expect("stored");
    let analysed: Vec<NewArticle> = (0..60)
        .map(|i| {
            let s = Sample::new(&format!("Analysed {i}."));
            match i % 3 {
                0 => s.build(),
                1 => s.analyzed("fast/2", "[]").build(),
                _ => s.analyzed("fast/3", "[]").build(),
            }
        })
        .collect();
    store.put_articles(&analysed).expect("stored");
    let state = store.writer("test").expect("writer");
    let conn = &state.conn;
    conn.execute_batch("ANALYZE").expect("analyze");
    let candidates = query_plan(
        conn,
        &CANDIDATES_SQL.replace("?1", "12345").replace("?2", "64"),
    );
    assert!(
        candidates.contains("SEARCH lsh_bands")
            && !candidates.contains("SCAN")
            && !candidates.contains("TEMP B-TREE"),
        "a bounded range scan of the bucket, no sort: {candidates}"
    );
    // Stale analyses come from the analyser index alone, already in ingest
    // order: no table rows (texts, JSON), no sort.
    for sql in [
        NEXT_ANALYZER_SQL.replace("?1", "'fast/2'"),
        UNANALYZED_SQL.replace("?1", "9999").replace("?2", "10"),
        ANALYZED_BY_SQL
            .replace("?1", "'fast/2'")
            .replace("?2", "9999")
            .replace("?3", "10"),
    ] {
        let plan = query_plan(conn, &sql);
        assert!(
            plan.contains("USING COVERING INDEX analyses_by_analyzer")
                && !plan.contains("SCAN")
                && !plan.contains("TEMP B-TREE"),
            "{sql}: {plan}"
        );
    }
    let plan = query_plan(conn, &ANALYSIS_SQL.replace("?1", "'abcdabcdabcdabcd'"));
    assert!(
        plan.contains("sqlite_autoindex_articles") && !plan.contains("SCAN"),
        "{plan}"
    );
    // Link postings come from one covering index each; a scan of every
    // posting of a kind would grow with the store (it did, once, when a
    // new index made one look cheap).
    let plan = query_plan(
        conn,
        &super::links::LOOKUP_SQL
            .replace("?1", "'claim'")
            .replace("?2", "'figure|killed|gaza'")
            .replace("?3", "64"),
    );
    assert!(
        plan.contains("SEARCH link_keys USING COVERING INDEX link_keys_by_key_with_id")
            && !plan.contains("TEMP B-TREE"),
        "a key's newest ids from the index alone: {plan}"
    );
    let mut sql = super::links::record_keys_sql();
    // Highest first, so `?1` does not eat the front of `?12`.
    for i in (2..=65).rev() {
        sql = sql.replace(&format!("?{i}"), &format!("'s{i}'"));
    }
    let plan = query_plan(conn, &sql.replace("?1", "'story'"));
    assert!(
        plan.contains("SEARCH link_keys USING COVERING INDEX link_keys_by_record_with_key")
            && !plan.contains("SCAN"),
        "a record's keys from the index alone: {plan}"
    );
    let plan = query_plan(
        conn,
        &super::links::DELETE_KEYS_SQL
            .replace("?1", "'story'")
            .replace("?2", "'s1'"),
    );
    assert!(
        plan.contains("link_keys_by_record_with_key") && !plan.contains("SCAN"),
        "{plan}"
    );
    for (sql, index) in [
        (
            "SELECT id FROM articles WHERE id >= 'abcd' AND id < 'abcdg' ORDER BY id",
            "sqlite_autoindex_articles",
        ),
        (
            "SELECT id FROM articles ORDER BY published_sort IS NULL, published_sort, seq LIMIT 10",
            "articles_by_published",
        ),
        (
            "SELECT id FROM articles WHERE source_key = 'bbc' ORDER BY published_sort IS NULL, published_sort, seq",
            "articles_by_source",
        ),
        (
            "SELECT id FROM articles WHERE published_day >= '2023-11-05' AND published_day <= '2023-11-06'",
            "articles_by_day",
        ),
    ] {
        let plan = query_plan(conn, sql);
        assert!(plan.contains(index), "{sql}: {plan}");
    }
}

#[test]
fn a_ten_megabyte_article_is_stored_and_searchable() {
    let d = DirStore::new();
    let mut text = String::with_capacity(10 << 20);
    text.push_str("Needle at the start. ");
    while text.len() < 10 << 20 {
        text.push_str("Lorem ipsum dolor sit amet, consectetur adipiscing elit \u{0} \u{7} é. ");
    }
    text.push_str(" haystackend");
    let big = Sample::new(&text).title("Big");
    d.store
        .put_articles(std::slice::from_ref(&big.0))
        .expect("stored");
    let back = d.store.article(&big.id()).expect("read").expect("there");
    assert_eq!(back.draft.text.len(), text.len());
    assert!(back.draft.text == text);
    for (word, marked) in [("needle", "«Needle»"), ("haystackend", "«haystackend»")] {
        let hits = d.store.search(&SearchQuery::new(word)).expect("search");
        assert_eq!(hits.len(), 1, "{word}");
        assert!(hits[0].snippet.chars().count() < 300, "{}", hits[0].snippet);
        assert!(hits[0].snippet.contains(marked), "{}", hits[0].snippet);
    }
    let d = d.reopen();
    assert_eq!(d.store.stats().expect("stats").index_documents, 1);
}

#[test]
fn threads_read_while_one_writes() {
    let d = DirStore::new();
    let batch = samples(200, 30);
    d.store.put_articles(&batch[..50]).expect("stored");
    std::thread::scope(|s| {
        let store = &d.store;
        let writer = s.spawn(|| {
            for chunk in batch[50..].chunks(25) {
                store.put_articles(chunk).expect("stored");
            }
        });
        let readers: Vec<_> = (0..3)
            .map(|t| {
                s.spawn(move || {
                    for i in 0..40 {
                        let n = store
                            .articles(&ArticleFilter {
                                limit: Some(10),
                                ..ArticleFilter::default()
                            })
                            .expect("articles")
                            .len();
                        assert_eq!(n, 10);
                        store
                            .search(&SearchQuery::new(format!("unique{}", (i * 7 + t) % 50)))
                            .expect("search");
                        store.stats().expect("stats");
                    }
                })
            })
            .collect();
        writer.join().expect("writer thread");
        for r in readers {
            r.join().expect("reader thread");
        }
    });
    assert_indexed_once(&d.store, &batch);
}

/// 1,000 articles of ~3 KB, as the engine batches them. Debug builds are
/// several times slower than release, so the bound here is loose; the
/// release figure is in the crate's report (`cargo test --release ... -- --nocapture`).
#[test]
fn a_thousand_articles_go_in_quickly() {
    let d = DirStore::new();
    let batch = samples(1_000, 500);
    assert!(batch[0].article.draft.text.len() >= 2_900);
    let started = Instant::now();
    let report = d.store.put_articles(&batch).expect("stored");
    let elapsed = started.elapsed();
    eprintln!("put_articles: 1000 articles (~3 KB each) in {elapsed:?}");
    assert_eq!(report.inserted.len(), 1_000);
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
    let started = Instant::now();
    let again = d.store.put_articles(&batch).expect("stored");
    eprintln!(
        "put_articles: the same 1000 again (all present) in {:?}",
        started.elapsed()
    );
    assert_eq!(again.already_present.len(), 1_000);
    let hits = d
        .store
        .search(&SearchQuery::new("convoy crossing"))
        .expect("search");
    assert_eq!(hits.len(), 20);
}

fn _assert_send_sync(store: SqliteStore) -> Box<dyn Store> {
    Box::new(store)
}

#[allow(dead_code)]
fn _path_of(store: &SqliteStore) -> &Path {
    store.dir()
}

#[test]
fn a_database_held_by_another_program_is_busy_not_a_hang() {
    let d = DirStore::new();
    let other = Connection::open(d.dir.path().join(DB_FILE)).expect("another connection");
    other
        .execute_batch("BEGIN EXCLUSIVE")
        .expect("the other program takes the database");
    let started = Instant::now();
    let err = d
        .store
        .put_articles(&samples(1, 10))
        .expect_err("cannot write while another program holds the database");
    let waited = started.elapsed();
    assert!(matches!(err, StoreError::Busy { .. }), "{err:?}");
    assert!(err.to_string().contains("busy"), "{err}");
    assert!(
        waited.as_millis() >= 4_000 && waited.as_secs() < 30,
        "{waited:?}"
    );
    other.execute_batch("ROLLBACK").expect("released");
    d.store.put_articles(&samples(1, 10)).expect("free again");
}

mod differential {
    //! Random corpora and queries: the SQLite store (tantivy search over
    //! several segments) and the in-memory store (plain term matching)
    //! must agree on every answer that does not depend on ranking.
    use super::*;
    use crate::MemStore;
    use proptest::prelude::*;

    /// Words whose English stems are all different, so stemming cannot make
    /// the two stores' matches differ.
    const WORDS: [&str; 10] = [
        "gaza", "truce", "aid", "convoy", "hospital", "talk", "rafah", "cairo", "strike", "border",
    ];

    #[derive(Clone, Debug)]
    struct Doc {
        words: Vec<usize>,
        title: Vec<usize>,
        source: Option<&'static str>,
        day: Option<u32>,
        batch: usize,
        analyzer: Option<&'static str>,
    }

    fn doc() -> impl Strategy<Value = Doc> {
        (
            proptest::collection::vec(0..WORDS.len(), 0..16),
            proptest::collection::vec(0..WORDS.len(), 0..4),
            proptest::option::of(proptest::sample::select(vec![
                "BBC",
                "bbc",
                "Reuters",
                "Al Jazeera",
            ])),
            proptest::option::of(1u32..6),
            0usize..3,
            proptest::option::of(proptest::sample::select(vec!["a/1", "a/2", "b/1"])),
        )
            .prop_map(|(words, title, source, day, batch, analyzer)| Doc {
                words,
                title,
                source,
                day,
                batch,
                analyzer,
            })
    }

    #[derive(Clone, Debug)]
    enum Clause {
        Word(usize),
        Phrase(usize, usize),
    }

    fn clause() -> impl Strategy<Value = (bool, Clause)> {
        (
            proptest::bool::weighted(0.25),
            prop_oneof![
                (0..WORDS.len()).prop_map(Clause::Word),
                (0..WORDS.len(), 0..WORDS.len()).prop_map(|(a, b)| Clause::Phrase(a, b)),
            ],
        )
    }

    fn query_text(clauses: &[(bool, Clause)]) -> String {
        clauses
            .iter()
            .map(|(neg, c)| {
                let body = match c {
                    Clause::Word(w) => WORDS[*w].to_uppercase(),
                    Clause::Phrase(a, b) => format!("\"{} {}\"", WORDS[*a], WORDS[*b]),
                };
                if *neg {
                    format!("-{body}")
                } else {
                    body
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn build(docs: &[Doc]) -> Vec<Vec<NewArticle>> {
        let mut batches = vec![Vec::new(), Vec::new(), Vec::new()];
        for (i, d) in docs.iter().enumerate() {
            let text: Vec<&str> = d.words.iter().map(|&w| WORDS[w]).collect();
            let mut s = Sample::new(&format!("doc{i} {}.", text.join(" ")));
            if !d.title.is_empty() {
                let title: Vec<&str> = d.title.iter().map(|&w| WORDS[w]).collect();
                s = s.title(&title.join(" "));
            }
            if let Some(src) = d.source {
                s = s.source(src);
            }
            if let Some(day) = d.day {
                s = s.published(&format!("2023-11-0{day}"), DateProvenance::Metadata);
            }
            if let Some(a) = d.analyzer {
                s = s.analyzed(a, &format!("{{\"doc\":{i}}}"));
            }
            let bands = d.words.iter().take(3).map(|&w| w as u64).collect();
            batches[d.batch].push(s.fingerprint(vec![i as u32], bands).build());
        }
        batches
    }

    fn sorted(mut ids: Vec<ArticleId>) -> Vec<ArticleId> {
        ids.sort();
        ids
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn sqlite_and_memory_agree(
            docs in proptest::collection::vec(doc(), 1..14),
            queries in proptest::collection::vec(
                (
                    proptest::collection::vec(clause(), 1..4),
                    proptest::option::of(proptest::sample::select(vec!["bbc", "REUTERS", "al jazeera", "cnn"])),
                    proptest::option::of(1u32..6),
                    proptest::option::of(1u32..6),
                ),
                1..6,
            ),
        ) {
            let sql = SqliteStore::open_in_memory().expect("store");
            let mem = MemStore::new();
            for batch in build(&docs) {
                let a = sql.put_articles(&batch).expect("sqlite put");
                let b = mem.put_articles(&batch).expect("memory put");
                prop_assert_eq!(a, b);
            }
            for (clauses, source, since, until) in &queries {
                let q = SearchQuery {
                    text: query_text(clauses),
                    source: source.map(str::to_string),
                    since: since.map(|d| NaiveDate::from_ymd_opt(2023, 11, d).expect("day")),
                    until: until.map(|d| NaiveDate::from_ymd_opt(2023, 11, d).expect("day")),
                    limit: 100,
                    offset: 0,
                };
                let ids = |hits: Vec<SearchHit>| sorted(hits.into_iter().map(|h| h.id).collect());
                prop_assert_eq!(
                    ids(sql.search(&q).expect("sqlite search")),
                    ids(mem.search(&q).expect("memory search")),
                    "query {:?}", q
                );
                prop_assert_eq!(
                    sql.search_count(&q).expect("sqlite count"),
                    mem.search_count(&q).expect("memory count"),
                    "query {:?}", q
                );
                let f = ArticleFilter {
                    source: q.source.clone(),
                    since: q.since,
                    until: q.until,
                    ..ArticleFilter::default()
                };
                prop_assert_eq!(
                    sql.articles(&f).expect("sqlite articles"),
                    mem.articles(&f).expect("memory articles")
                );
            }
            for w in 0..WORDS.len() as u64 {
                prop_assert_eq!(
                    sql.near_duplicate_candidates(&[w, (w + 1) % 10], 100).expect("sqlite"),
                    mem.near_duplicate_candidates(&[w, (w + 1) % 10], 100).expect("memory")
                );
            }
            for current in ["a/1", "a/2", "b/1", "c/1"] {
                for limit in [0, 1, 3, 100] {
                    prop_assert_eq!(
                        sql.stale_analyses(current, limit).expect("sqlite stale"),
                        mem.stale_analyses(current, limit).expect("memory stale"),
                        "stale for {} limit {}", current, limit
                    );
                }
            }
            let (mut a, mut b) = (sql.stats().expect("stats"), mem.stats().expect("stats"));
            prop_assert_eq!(a.index_documents, a.articles);
            a.index_documents = 0;
            b.index_documents = 0;
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn link_reads_count_what_the_linker_read() {
    let store = SqliteStore::open_in_memory().expect("store");
    assert_eq!(store.link_reads(), LinkReads::default());
    let record = |id: &str, body: &str| {
        (
            "claim".to_string(),
            crate::LinkRecord {
                id: id.into(),
                body: body.into(),
                keys: vec!["figure|killed|gaza".into()],
            },
        )
    };
    let batch = crate::LinkBatch {
        records: vec![record("a", "{\"v\":1}"), record("b", "{\"v\":22}")],
        counters: vec![("term:flood".into(), 3)],
        ..crate::LinkBatch::default()
    };
    store.put_links("link/test", &batch).expect("stored");
    let hits = store
        .link_lookup("claim", &["figure|killed|gaza".into()], 64)
        .expect("lookup");
    assert_eq!(hits.len(), 2);
    let ids: Vec<String> = hits.into_iter().map(|(_, id)| id).collect();
    store.link_bodies("claim", &ids).expect("bodies");
    store
        .link_counters(&["term:flood".into(), "term:none".into()])
        .expect("counters");
    let reads = store.link_reads();
    assert_eq!(reads.postings, 2);
    assert_eq!(reads.records, 2);
    assert_eq!(reads.bytes, 15);
    assert_eq!(reads.counters, 1, "a missing counter was not read");
    assert_eq!(
        reads.by_kind.get("claim"),
        Some(&crate::KindReads {
            postings: 2,
            records: 2
        })
    );
    assert_eq!(reads.by_kind.len(), 1);
}

mod check {
    use super::*;
    use crate::LinkBatch;

    fn stored(n: usize) -> (TempDir, Vec<NewArticle>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SqliteStore::open(dir.path()).expect("store opens");
        let batch = samples(n, 20);
        store.put_articles(&batch).expect("stored");
        store
            .put_links(
                "test/1",
                &LinkBatch {
                    linked_through: Some(batch[n / 2].article.id.clone()),
                    ..LinkBatch::default()
                },
            )
            .expect("linked");
        (dir, batch)
    }

    fn sql(dir: &Path, statement: &str) {
        let conn = Connection::open(dir.join(DB_FILE)).expect("opens");
        conn.execute_batch(statement).expect("damages");
    }

    #[test]
    fn a_whole_store_is_clean_and_reports_its_progress() {
        let (dir, _) = stored(6);
        let found = check_store(dir.path()).expect("checks");
        assert!(found.problems.is_empty(), "{:?}", found.problems);
        assert_eq!(found.articles, 6);
        let index = found.index.expect("index opens");
        assert_eq!(
            (
                index.documents,
                index.missing,
                index.unknown,
                index.duplicated,
                index.lagging
            ),
            (6, 0, 0, 0, 0)
        );
        assert_eq!(found.links.linker.as_deref(), Some("test/1"));
        assert_eq!((found.links.linked, found.links.unlinked), (4, 2));
    }

    #[test]
    fn orphaned_analyses_and_articles_without_one_are_problems() {
        let (dir, _) = stored(3);
        sql(
            dir.path(),
            "PRAGMA foreign_keys = OFF;
             INSERT INTO analyses (article_seq, article_id, analyzer, json)
                 VALUES (999, 'ffffffffffffffff', 'fast/1', '{}');
             DELETE FROM analyses WHERE article_seq = 1;",
        );
        let found = check_store(dir.path()).expect("checks");
        let all = found.problems.join("\n");
        assert!(all.contains("orphaned analyses"), "{all}");
        assert!(all.contains("have no analysis row"), "{all}");
        assert!(all.contains("refer to a missing row of articles"), "{all}");
    }

    #[test]
    fn an_index_out_of_step_with_the_database_is_a_problem() {
        let (dir, _) = stored(4);
        // An article deleted behind the index's back: indexed, not stored.
        sql(
            dir.path(),
            "PRAGMA foreign_keys = OFF;
             DELETE FROM lsh_bands WHERE article_seq = 2;
             DELETE FROM analyses WHERE article_seq = 2;
             DELETE FROM articles WHERE seq = 2;",
        );
        let found = check_store(dir.path()).expect("checks");
        assert_eq!(found.index.as_ref().map(|i| i.unknown), Some(1));
        assert!(
            found
                .problems
                .iter()
                .any(|p| p.contains("name no stored article")),
            "{:?}",
            found.problems
        );
        // An index that cannot be opened is a problem, not an error, and
        // the check repairs nothing.
        std::fs::remove_file(dir.path().join(INDEX_DIR).join("meta.json")).expect("damages");
        let found = check_store(dir.path()).expect("checks");
        assert!(found.index.is_none());
        assert!(found
            .problems
            .iter()
            .any(|p| p.contains("cannot be opened")));
        assert!(!dir.path().join(INDEX_DIR).join("meta.json").exists());
    }

    #[test]
    fn a_damaged_database_file_fails_integrity_check() {
        let (dir, _) = stored(40);
        // Break the b-tree page headers of every page past the first two
        // (the first holds the file header and the schema, whose loss
        // would make it no database at all).
        let path = dir.path().join(DB_FILE);
        let conn = Connection::open(&path).expect("opens");
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .expect("checkpoint");
        drop(conn);
        let mut bytes = std::fs::read(&path).expect("reads");
        let page = 4096;
        assert!(bytes.len() > 6 * page, "{} bytes", bytes.len());
        for start in (2 * page..bytes.len()).step_by(page) {
            bytes[start] = 0x5a;
        }
        std::fs::write(&path, &bytes).expect("writes");
        match check_store(dir.path()) {
            Ok(found) => assert!(
                found.problems.iter().any(|p| p.contains("integrity_check")),
                "{:?}",
                found.problems
            ),
            // So damaged that SQLite will not read the schema: also found.
            Err(e) => assert!(e.to_string().contains("malformed"), "{e}"),
        }
    }

    #[test]
    fn a_missing_store_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(check_store(dir.path()).is_err());
    }
}
