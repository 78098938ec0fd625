//! The behaviour every [`Store`] backend must have, as checks that run
//! against `&dyn Store`.
//!
//! Each backend's tests instantiate the whole suite with
//! [`conformance_tests!`](crate::conformance_tests), one `#[test]` per
//! check, each on a fresh empty store:
//!
//! ```ignore
//! storyline_store::conformance_tests!(MyStore::new());
//! ```
//!
//! The checks use words exactly as written in the text, so a backend with a
//! plain term-match search passes as well as one with stemming and BM25.
//! Public behind the `conformance` feature for backends in other crates.

use chrono::NaiveDate;
use storyline_core::{
    content_hash, Article, ArticleDraft, ArticleId, DateProvenance, Location, Problem, Timestamp,
};

use crate::{
    ArticleFilter, LinkBatch, LinkRecord, NewArticle, SearchQuery, Store, StoreError,
    StoredAnalysis, MAX_ANALYZER_LEN, MAX_LINK_KEY_LEN, MAX_LINK_LOOKUP_PER_KEY, MAX_SEARCH_LIMIT,
    SNIPPET_CLOSE, SNIPPET_OPEN,
};

/// Something that holds a store under test (the store itself, or a store
/// together with the temporary directory it lives in).
pub trait Fixture {
    /// The store to check.
    fn store(&self) -> &dyn Store;
}

impl<S: Store> Fixture for S {
    fn store(&self) -> &dyn Store {
        self
    }
}

/// Defines one `#[test]` per conformance check; `$make` is evaluated afresh
/// for each and must give a [`Fixture`] holding an empty store. With
/// `skippable: $make`, `$make` gives an `Option` of one, and a `None`
/// ends the test (for backends whose server may be missing).
#[macro_export]
macro_rules! conformance_tests {
    (@checks $mode:ident $make:expr; $($check:ident),* $(,)?) => {
        $(
            #[test]
            fn $check() {
                $crate::conformance_tests!(@fixture $mode fixture = $make);
                $crate::conformance::$check($crate::conformance::Fixture::store(&fixture));
            }
        )*
    };
    (@fixture always $name:ident = $make:expr) => {
        let $name = $make;
    };
    (@fixture skippable $name:ident = $make:expr) => {
        let Some($name) = $make else {
            return;
        };
    };
    (@all $mode:ident $make:expr) => {
        $crate::conformance_tests!(@checks $mode $make;
            put_and_read_back,
            put_is_idempotent,
            repeated_id_in_one_batch,
            batch_is_atomic,
            invalid_articles_are_rejected,
            filter_by_source,
            filter_by_dates,
            filter_by_provenance,
            order_and_paging,
            id_prefixes,
            near_duplicate_candidates,
            stats_count_everything,
            empty_store,
            runs_are_recorded,
            search_ranks_and_marks,
            search_filters,
            search_exclusions_and_phrases,
            search_limits,
            search_pages_and_totals,
            search_hostile_queries,
            hostile_text_round_trips,
            hostile_titles_round_trip,
            analysis_is_stored_with_its_article,
            failed_batch_stores_no_analysis,
            put_analyses_replaces,
            put_analyses_is_atomic,
            stale_analyses_page_in_ingest_order,
            analysis_stats,
            links_round_trip,
            link_lookup_is_newest_first_and_capped,
            link_batch_is_atomic,
            link_batch_deletes_before_it_writes,
            another_linkers_batch_writes_nothing,
            link_watermark_and_linker,
            link_scan_pages,
            link_counters_add_up,
            hostile_link_input,
            long_link_keys_are_bounded,
            linker_lease_is_exclusive,
            articles_per_day_count_dated_articles,
        );
    };
    // `$make` gives an `Option` of a fixture; `None` (a server that is
    // not installed, after saying so) ends the test at once.
    (skippable: $make:expr) => {
        $crate::conformance_tests!(@all skippable $make);
    };
    ($make:expr) => {
        $crate::conformance_tests!(@all always $make);
    };
}

/// Builds test articles.
#[derive(Clone, Debug)]
pub struct Sample(pub NewArticle);

impl Sample {
    /// An article with this text, its own duplicate group, no metadata, and
    /// a fixed ingest time.
    pub fn new(text: &str) -> Sample {
        let id = ArticleId::for_text(text);
        Sample(NewArticle {
            article: Article {
                id: id.clone(),
                content_hash: content_hash(text),
                duplicate_group: id,
                duplicate_similarity: 1.0,
                ingested_at: ts("2023-11-10T08:00:00Z"),
                draft: ArticleDraft::new(text),
            },
            minhash: vec![1, 2, 3, 4],
            lsh_bands: Vec::new(),
            analysis: None,
        })
    }

    /// Sets the headline.
    pub fn title(mut self, title: &str) -> Sample {
        self.0.article.draft.title = Some(title.into());
        self
    }

    /// Sets the source.
    pub fn source(mut self, source: &str) -> Sample {
        self.0.article.draft.source = Some(source.into());
        self
    }

    /// Sets the published date and its provenance.
    pub fn published(mut self, date: &str, provenance: DateProvenance) -> Sample {
        let d = &mut self.0.article.draft;
        d.published = Some(ts(date));
        d.published_provenance = provenance;
        d.published_confidence = 1.0;
        d.published_evidence = Some("test".into());
        self
    }

    /// Sets the LSH bands and MinHash signature.
    pub fn fingerprint(mut self, minhash: Vec<u32>, bands: Vec<u64>) -> Sample {
        self.0.minhash = minhash;
        self.0.lsh_bands = bands;
        self
    }

    /// Marks it a near-duplicate of `group`.
    pub fn duplicate_of(mut self, group: &ArticleId) -> Sample {
        self.0.article.duplicate_group = group.clone();
        self.0.article.duplicate_similarity = 0.9;
        self
    }

    /// Gives it an analysis by `analyzer` with this JSON.
    pub fn analyzed(mut self, analyzer: &str, json: &str) -> Sample {
        self.0.analysis = Some(analysis(analyzer, json));
        self
    }

    /// The id.
    pub fn id(&self) -> ArticleId {
        self.0.article.id.clone()
    }

    /// The article to store.
    pub fn build(self) -> NewArticle {
        self.0
    }
}

/// A [`StoredAnalysis`].
pub fn analysis(analyzer: &str, json: &str) -> StoredAnalysis {
    StoredAnalysis {
        analyzer: analyzer.into(),
        json: json.into(),
    }
}

fn ts(s: &str) -> Timestamp {
    Timestamp::parse(s).expect("test timestamps are valid")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("test days are valid")
}

fn put(store: &dyn Store, samples: &[Sample]) {
    let batch: Vec<NewArticle> = samples.iter().map(|s| s.0.clone()).collect();
    store.put_articles(&batch).expect("the batch is stored");
}

fn ids(articles: &[Article]) -> Vec<ArticleId> {
    articles.iter().map(|a| a.id.clone()).collect()
}

fn hit_ids(store: &dyn Store, q: SearchQuery) -> Vec<ArticleId> {
    store
        .search(&q)
        .unwrap_or_else(|e| panic!("search {:?} failed: {e}", q.text))
        .into_iter()
        .map(|h| h.id)
        .collect()
}

fn search(text: &str) -> SearchQuery {
    SearchQuery::new(text)
}

/// A stored article reads back exactly as it was given, text included.
pub fn put_and_read_back(store: &dyn Store) {
    let mut s = Sample::new("Gaza: «first» line.\nSecond line — with “quotes”.")
        .title("Strikes hit Gaza")
        .source("Reuters")
        .published("2023-11-09T14:03:00+02:00", DateProvenance::Metadata)
        .fingerprint(vec![7, 8, 9], vec![1, 2]);
    s.0.article.draft.authors = vec!["A. Writer".into(), "B. Writer".into()];
    s.0.article.draft.url = Some("https://example.com/a?b=c&d='e'".into());
    s.0.article.draft.language = Some("en".into());
    s.0.article.duplicate_similarity = 1.0;
    let report = store.put_articles(&[s.0.clone()]).expect("stored");
    assert_eq!(report.inserted, vec![s.id()]);
    assert!(report.already_present.is_empty());
    assert_eq!(
        store.article(&s.id()).expect("read"),
        Some(s.0.article.clone())
    );
    assert!(store.contains(&s.id()).expect("contains"));
    let other = ArticleId::for_text("never stored");
    assert_eq!(store.article(&other).expect("read"), None);
    assert!(!store.contains(&other).expect("contains"));
}

/// Putting the same articles again changes nothing and reports them as present.
pub fn put_is_idempotent(store: &dyn Store) {
    let a = Sample::new("Alpha text.").fingerprint(vec![1], vec![10]);
    let b = Sample::new("Beta text.").fingerprint(vec![2], vec![10]);
    put(store, &[a.clone(), b.clone()]);
    let before = store.stats().expect("stats");
    let c = Sample::new("Gamma text.");
    let report = store
        .put_articles(&[a.0.clone(), c.0.clone(), b.0.clone()])
        .expect("stored");
    assert_eq!(report.inserted, vec![c.id()]);
    assert_eq!(report.already_present, vec![a.id(), b.id()]);
    let after = store.stats().expect("stats");
    assert_eq!(after.articles, before.articles + 1);
    assert_eq!(
        store
            .near_duplicate_candidates(&[10], 10)
            .expect("candidates")
            .len(),
        2,
        "a skipped article does not add its bands again"
    );
    assert_eq!(hit_ids(store, search("alpha")), vec![a.id()]);
}

/// An id repeated within one batch is stored once; the repeat is reported present.
pub fn repeated_id_in_one_batch(store: &dyn Store) {
    let a = Sample::new("Same text.");
    let report = store
        .put_articles(&[a.0.clone(), a.0.clone()])
        .expect("stored");
    assert_eq!(report.inserted, vec![a.id()]);
    assert_eq!(report.already_present, vec![a.id()]);
    assert_eq!(store.stats().expect("stats").articles, 1);
}

/// A batch with one bad article stores nothing, not even the good ones before it.
pub fn batch_is_atomic(store: &dyn Store) {
    let a = Sample::new("Good one.");
    let b = Sample::new("Good two.");
    let unknown = ArticleId::for_text("not stored anywhere");
    let bad = Sample::new("Bad three.").duplicate_of(&unknown);
    let err = store
        .put_articles(&[a.0.clone(), b.0.clone(), bad.0.clone()])
        .expect_err("the batch is rejected");
    match &err {
        StoreError::InvalidArticle { index, id, reason } => {
            assert_eq!(*index, 2);
            assert_eq!(id, bad.id().as_str());
            assert!(reason.contains(unknown.as_str()), "{reason}");
        }
        other => panic!("expected InvalidArticle, got {other:?}"),
    }
    assert!(err
        .to_string()
        .contains("nothing from this batch was stored"));
    assert!(!store.contains(&a.id()).expect("contains"));
    assert!(!store.contains(&b.id()).expect("contains"));
    assert_eq!(store.stats().expect("stats").articles, 0);
    assert!(store.search(&search("good")).expect("search").is_empty());

    // A duplicate group in the same batch, or already stored, is fine.
    let first = Sample::new("First of a group.");
    let copy = Sample::new("Copy of the first.").duplicate_of(&first.id());
    put(store, &[copy.clone(), first.clone()]);
    let later = Sample::new("A later copy.").duplicate_of(&first.id());
    put(store, &[later]);
    assert_eq!(store.stats().expect("stats").articles, 3);
}

/// Ids and groups that are not ids, and non-finite numbers, are refused.
pub fn invalid_articles_are_rejected(store: &dyn Store) {
    let mut nan = Sample::new("Not a number.");
    nan.0.article.duplicate_similarity = f32::NAN;
    let mut inf = Sample::new("Infinite.");
    inf.0.article.draft.published_confidence = f32::INFINITY;
    let mut bad_id = Sample::new("Bad id.");
    bad_id.0.article.id = serde_json::from_str("\"'; DROP TABLE articles; --\"").expect("json");
    bad_id.0.article.duplicate_group = bad_id.0.article.id.clone();
    for s in [nan, inf, bad_id] {
        match store.put_articles(&[Sample::new("Fine.").build(), s.0.clone()]) {
            Err(StoreError::InvalidArticle { index: 1, .. }) => {}
            other => panic!(
                "expected InvalidArticle for {:?}, got {other:?}",
                s.0.article.id
            ),
        }
    }
    assert_eq!(store.stats().expect("stats").articles, 0);
}

/// The source filter ignores letter case and nothing else.
pub fn filter_by_source(store: &dyn Store) {
    let r1 = Sample::new("One.").source("Reuters");
    let r2 = Sample::new("Two.").source("REUTERS");
    let uk = Sample::new("Three.").source("Reuters UK");
    let none = Sample::new("Four.");
    let accented = Sample::new("Five.").source("Le Monde Diplomatique É");
    put(
        store,
        &[r1.clone(), r2.clone(), uk.clone(), none, accented.clone()],
    );
    let by = |s: &str| {
        ids(&store
            .articles(&ArticleFilter {
                source: Some(s.into()),
                ..ArticleFilter::default()
            })
            .expect("articles"))
    };
    assert_eq!(by("reuters"), vec![r1.id(), r2.id()]);
    assert_eq!(by("Reuters UK"), vec![uk.id()]);
    assert_eq!(by("le monde diplomatique é"), vec![accented.id()]);
    assert!(by("Reut").is_empty());
    assert!(by("' OR 1=1 --").is_empty());
}

/// Date limits are inclusive days, compared in UTC when the offset is
/// known, and exclude undated articles.
pub fn filter_by_dates(store: &dyn Store) {
    let d8 = Sample::new("Eighth.").published("2023-11-08", DateProvenance::Header);
    // 23:30 at UTC-5 is the 10th in UTC.
    let late = Sample::new("Late on the ninth.")
        .published("2023-11-09T23:30:00-05:00", DateProvenance::Metadata);
    let d9 = Sample::new("Ninth.").published("2023-11-09T12:00:00Z", DateProvenance::Metadata);
    let undated = Sample::new("Undated.");
    put(store, &[d8.clone(), late.clone(), d9.clone(), undated]);
    let between = |since: Option<&str>, until: Option<&str>| {
        ids(&store
            .articles(&ArticleFilter {
                since: since.map(day),
                until: until.map(day),
                ..ArticleFilter::default()
            })
            .expect("articles"))
    };
    assert_eq!(
        between(Some("2023-11-09"), Some("2023-11-09")),
        vec![d9.id()]
    );
    assert_eq!(between(Some("2023-11-10"), None), vec![late.id()]);
    assert_eq!(between(None, Some("2023-11-09")), vec![d8.id(), d9.id()]);
    assert_eq!(
        between(Some("2000-01-01"), None),
        vec![d8.id(), d9.id(), late.id()]
    );
    assert!(between(Some("2023-11-11"), Some("2023-11-01")).is_empty());
}

/// The provenance filter selects by where the date came from.
pub fn filter_by_provenance(store: &dyn Store) {
    let h = Sample::new("Header dated.").published("2023-11-08", DateProvenance::Header);
    let m = Sample::new("Meta dated.").published("2023-11-07", DateProvenance::Metadata);
    let u = Sample::new("Unknown date.");
    put(store, &[h.clone(), m.clone(), u.clone()]);
    let by = |p: DateProvenance| {
        ids(&store
            .articles(&ArticleFilter {
                provenance: Some(p),
                ..ArticleFilter::default()
            })
            .expect("articles"))
    };
    assert_eq!(by(DateProvenance::Header), vec![h.id()]);
    assert_eq!(by(DateProvenance::Metadata), vec![m.id()]);
    assert_eq!(by(DateProvenance::Unknown), vec![u.id()]);
    assert!(by(DateProvenance::Inferred).is_empty());
}

/// Articles come by published time, undated last, ties by ingest order;
/// limit and offset page through that order.
pub fn order_and_paging(store: &dyn Store) {
    let undated1 = Sample::new("Undated one.");
    let nov9_noon =
        Sample::new("Nov 9 noon.").published("2023-11-09T12:00:00Z", DateProvenance::Metadata);
    let nov9_early = Sample::new("Nov 9 early, Paris time.")
        .published("2023-11-09T09:00:00+02:00", DateProvenance::Metadata);
    let nov9_day = Sample::new("Nov 9, no time.").published("2023-11-09", DateProvenance::Header);
    let nov8 = Sample::new("Nov 8.").published("2023-11-08", DateProvenance::Dateline);
    let undated2 = Sample::new("Undated two.");
    let nov8_again = Sample::new("Nov 8 again.").published("2023-11-08", DateProvenance::Url);
    put(
        store,
        &[undated1.clone(), nov9_noon.clone(), nov9_early.clone()],
    );
    put(
        store,
        &[
            nov9_day.clone(),
            nov8.clone(),
            undated2.clone(),
            nov8_again.clone(),
        ],
    );
    let expected = vec![
        nov8.id(),
        nov8_again.id(),
        nov9_day.id(),
        nov9_early.id(),
        nov9_noon.id(),
        undated1.id(),
        undated2.id(),
    ];
    let all = ids(&store.articles(&ArticleFilter::default()).expect("articles"));
    assert_eq!(all, expected);
    let page = |offset: usize, limit: Option<usize>| {
        ids(&store
            .articles(&ArticleFilter {
                offset,
                limit,
                ..ArticleFilter::default()
            })
            .expect("articles"))
    };
    assert_eq!(page(0, Some(2)), expected[..2]);
    assert_eq!(page(2, Some(3)), expected[2..5]);
    assert_eq!(page(5, None), expected[5..]);
    assert_eq!(page(6, Some(10)), expected[6..]);
    assert!(page(7, None).is_empty());
    assert!(page(usize::MAX, Some(usize::MAX)).is_empty());
    assert!(page(0, Some(0)).is_empty());
}

/// Prefixes of 4+ hex digits resolve to every id starting with them.
pub fn id_prefixes(store: &dyn Store) {
    let samples: Vec<Sample> = (0..40)
        .map(|i| Sample::new(&format!("Article number {i}.")))
        .collect();
    put(store, &samples);
    let target = samples[17].id();
    let full = target.as_str();
    assert_eq!(
        store.resolve_id_prefix(full).expect("resolve"),
        vec![target.clone()]
    );
    assert_eq!(
        store
            .resolve_id_prefix(&full.to_ascii_uppercase())
            .expect("resolve"),
        vec![target.clone()]
    );
    let four = &full[..4];
    let mut expected: Vec<ArticleId> = samples
        .iter()
        .map(Sample::id)
        .filter(|id| id.as_str().starts_with(four))
        .collect();
    expected.sort();
    assert_eq!(store.resolve_id_prefix(four).expect("resolve"), expected);
    // A prefix no stored id has.
    let mut missing = String::from("0000");
    while samples
        .iter()
        .any(|s| s.id().as_str().starts_with(&missing))
    {
        missing.push('0');
    }
    assert!(store
        .resolve_id_prefix(&missing)
        .expect("resolve")
        .is_empty());
    assert!(store
        .resolve_id_prefix("ffffffffffffffff")
        .expect("resolve")
        .is_empty());
    for bad in [
        "",
        "abc",
        "xyz123",
        "0123456789abcdef0",
        "ab%d",
        "ab_d",
        "'; --",
    ] {
        assert!(
            matches!(
                store.resolve_id_prefix(bad),
                Err(StoreError::InvalidIdPrefix { .. })
            ),
            "{bad:?} is refused"
        );
    }
}

/// Candidates share a band; more shared bands rank first; the group and
/// signature come back as stored.
pub fn near_duplicate_candidates(store: &dyn Store) {
    let a = Sample::new("Article A.").fingerprint(vec![1, 2, 3], vec![100, 200, 300]);
    let b = Sample::new("Article B.")
        .fingerprint(vec![4, 5, u32::MAX], vec![100, u64::MAX])
        .duplicate_of(&a.id());
    let c = Sample::new("Article C.").fingerprint(vec![], vec![200, 300, 999]);
    let d = Sample::new("Article D.").fingerprint(vec![9], vec![]);
    put(store, &[a.clone(), b.clone(), c.clone(), d]);
    let found = store
        .near_duplicate_candidates(&[100, 200, 300], 10)
        .expect("candidates");
    assert_eq!(
        found,
        vec![
            (a.id(), a.id(), vec![1, 2, 3]),
            (c.id(), c.id(), vec![]),
            (b.id(), a.id(), vec![4, 5, u32::MAX]),
        ]
    );
    assert_eq!(
        store
            .near_duplicate_candidates(&[u64::MAX, u64::MAX], 10)
            .expect("candidates"),
        vec![(b.id(), a.id(), vec![4, 5, u32::MAX])]
    );
    assert_eq!(
        store
            .near_duplicate_candidates(&[100, 200, 300], 1)
            .expect("candidates")
            .len(),
        1
    );
    assert!(store
        .near_duplicate_candidates(&[100], 0)
        .expect("candidates")
        .is_empty());
    assert!(store
        .near_duplicate_candidates(&[], 10)
        .expect("candidates")
        .is_empty());
    assert!(store
        .near_duplicate_candidates(&[12345], 10)
        .expect("candidates")
        .is_empty());
    let many: Vec<u64> = (1_000_000..1_005_000).chain([999]).collect();
    assert_eq!(
        store
            .near_duplicate_candidates(&many, 10)
            .expect("candidates"),
        vec![(c.id(), c.id(), vec![])]
    );
}

/// Stats count articles, duplicates, sources, provenance, dates and runs.
pub fn stats_count_everything(store: &dyn Store) {
    let a = Sample::new("A.")
        .source("BBC")
        .published("2023-11-09", DateProvenance::Metadata);
    let b = Sample::new("B.")
        .source("bbc")
        .published("2023-10-07T06:30:00+03:00", DateProvenance::Dateline)
        .duplicate_of(&a.id());
    let c = Sample::new("C.").source("Reuters").duplicate_of(&a.id());
    let d = Sample::new("D.").published("2023-11-13", DateProvenance::Header);
    let e = Sample::new("E.").duplicate_of(&d.id());
    put(store, &[a, b, c, d, e]);
    store
        .record_run(
            &["a.txt".into()],
            &[
                Problem::skipped(Location::source("x"), "bad"),
                Problem::warning(Location::source("y"), "odd"),
            ],
            &serde_json::json!({}),
        )
        .expect("run recorded");
    let s = store.stats().expect("stats");
    assert_eq!(s.articles, 5);
    assert_eq!(s.duplicates, 3);
    assert_eq!(s.duplicate_groups_with_copies, 2);
    assert_eq!(
        s.sources,
        vec![("BBC".to_string(), 2), ("Reuters".to_string(), 1)]
    );
    assert_eq!(
        s.by_provenance,
        vec![
            (DateProvenance::Metadata, 1),
            (DateProvenance::Header, 1),
            (DateProvenance::Dateline, 1),
            (DateProvenance::Unknown, 2),
        ]
    );
    assert_eq!(s.earliest, Some(ts("2023-10-07T06:30:00+03:00")));
    assert_eq!(s.latest, Some(ts("2023-11-13")));
    // Each backend counts its own migrations (SQLite's and MemStore's are
    // SCHEMA_VERSION); their own tests check the number.
    assert_ne!(s.schema_version, 0);
    assert_eq!(s.index_documents, 5);
    assert_eq!(s.ingest_runs, 1);
    assert_eq!(s.problems_recorded, 2);
}

/// An empty store answers every question with nothing, not an error.
pub fn empty_store(store: &dyn Store) {
    let s = store.stats().expect("stats");
    assert_eq!(
        (s.articles, s.duplicates, s.index_documents, s.ingest_runs),
        (0, 0, 0, 0)
    );
    assert!(s.sources.is_empty() && s.by_provenance.is_empty());
    assert_eq!((s.earliest, s.latest), (None, None));
    assert!(store
        .articles(&ArticleFilter::default())
        .expect("articles")
        .is_empty());
    assert!(store
        .search(&search("anything"))
        .expect("search")
        .is_empty());
    assert!(store.resolve_id_prefix("abcd").expect("resolve").is_empty());
    assert!(store.runs(10).expect("runs").is_empty());
    assert!(s.analyzers.is_empty());
    assert_eq!((s.analyzed("fast/3"), s.analysis_stale("fast/3")), (0, 0));
    assert!(store
        .stale_analyses("fast/3", 10)
        .expect("stale")
        .is_empty());
    assert_eq!(
        store
            .analysis(&ArticleId::for_text("nothing"))
            .expect("analysis"),
        None
    );
    store.put_analyses(&[]).expect("no analyses");
    assert_eq!(store.reindex().expect("reindex"), 0);
    assert!(store
        .put_articles(&[])
        .expect("empty batch")
        .inserted
        .is_empty());
}

/// Runs are kept with their inputs, problems and summary, newest first.
pub fn runs_are_recorded(store: &dyn Store) {
    let p1 = Problem::skipped(Location::source("feed.xml").with_record(3), "no text");
    let p2 = Problem::warning(
        Location::source("a.html").with_line(7),
        "date in the future",
    );
    store
        .record_run(
            &["feed.xml".into(), "a.html".into()],
            &[p1.clone(), p2.clone()],
            &serde_json::json!({"articles": 2}),
        )
        .expect("run 1");
    store
        .record_run(&[], &[], &serde_json::json!(null))
        .expect("run 2");
    let runs = store.runs(10).expect("runs");
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].run, 2);
    assert_eq!(runs[1].run, 1);
    assert_eq!(
        runs[1].inputs,
        vec!["feed.xml".to_string(), "a.html".to_string()]
    );
    assert_eq!(runs[1].problems, vec![p1, p2]);
    assert_eq!(runs[1].summary, serde_json::json!({"articles": 2}));
    assert!(runs[0].problems.is_empty());
    assert_eq!(store.runs(1).expect("runs").len(), 1);
    assert!(store.runs(0).expect("runs").is_empty());
}

/// Search finds words in title and text, best first, with marked snippets.
pub fn search_ranks_and_marks(store: &dyn Store) {
    let both =
        Sample::new("Talks on a ceasefire resumed in Cairo. The ceasefire would last three days.")
            .title("Ceasefire talks resume");
    let text_only = Sample::new(
        "Aid trucks entered through Rafah. Officials said a ceasefire was not discussed at length today.",
    );
    let title_only = Sample::new("Officials met on Friday.").title("Ceasefire in doubt");
    let neither = Sample::new("Nothing relevant here.");
    put(
        store,
        &[text_only.clone(), neither, title_only.clone(), both.clone()],
    );
    let hits = store.search(&search("ceasefire")).expect("search");
    let got: Vec<ArticleId> = hits.iter().map(|h| h.id.clone()).collect();
    assert_eq!(got.len(), 3, "{hits:#?}");
    assert_eq!(
        got[0],
        both.id(),
        "title and text beat text alone: {hits:#?}"
    );
    assert!(got.contains(&text_only.id()) && got.contains(&title_only.id()));
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    let top = &hits[0];
    assert_eq!(top.title.as_deref(), Some("Ceasefire talks resume"));
    assert!(top.snippet.contains("«ceasefire»"), "{}", top.snippet);
    assert!(!top.highlights.is_empty());
    for r in &top.highlights {
        assert!(top.snippet[r.clone()].eq_ignore_ascii_case("ceasefire"));
        assert!(top.snippet[..r.start].ends_with(SNIPPET_OPEN));
        assert!(top.snippet[r.end..].starts_with(SNIPPET_CLOSE));
    }
    let t = hits
        .iter()
        .find(|h| h.id == title_only.id())
        .expect("title-only hit");
    assert_eq!(t.snippet, "Officials met on Friday.");
    assert!(t.highlights.is_empty());
    // Case does not matter.
    assert_eq!(hit_ids(store, search("CAIRO")), vec![both.id()]);
    assert!(hit_ids(store, search("zeppelin")).is_empty());
}

/// Search honours the source and date filters.
pub fn search_filters(store: &dyn Store) {
    let a = Sample::new("Hospital damaged.")
        .source("BBC")
        .published("2023-11-01", DateProvenance::Metadata);
    let b = Sample::new("Hospital evacuated.")
        .source("Reuters")
        .published("2023-11-05", DateProvenance::Metadata);
    let c = Sample::new("Hospital without date.").source("bbc");
    put(store, &[a.clone(), b.clone(), c.clone()]);
    let q = |source: Option<&str>, since: Option<&str>, until: Option<&str>| {
        let mut ids = hit_ids(
            store,
            SearchQuery {
                source: source.map(str::to_string),
                since: since.map(day),
                until: until.map(day),
                ..search("hospital")
            },
        );
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<ArticleId>| {
        v.sort();
        v
    };
    assert_eq!(q(None, None, None), sorted(vec![a.id(), b.id(), c.id()]));
    assert_eq!(q(Some("BBC"), None, None), sorted(vec![a.id(), c.id()]));
    assert_eq!(q(Some("reuters"), None, None), vec![b.id()]);
    assert!(q(Some("Reut"), None, None).is_empty());
    assert_eq!(q(None, Some("2023-11-02"), None), vec![b.id()]);
    assert_eq!(q(None, None, Some("2023-11-01")), vec![a.id()]);
    assert_eq!(
        q(None, Some("2023-11-01"), Some("2023-11-05")),
        sorted(vec![a.id(), b.id()])
    );
    assert_eq!(q(Some("bbc"), Some("2023-11-01"), None), vec![a.id()]);
    // Phrases and exclusions combine with filters.
    for (text, expected) in [
        ("\"hospital damaged\"", vec![a.id()]),
        ("\"hospital evacuated\" -damaged", vec![]),
        ("hospital -\"without date\"", vec![a.id()]),
        ("-\"hospital damaged\" \"without date\"", vec![c.id()]),
    ] {
        assert_eq!(
            hit_ids(
                store,
                SearchQuery {
                    source: Some("BBC".into()),
                    ..search(text)
                }
            ),
            expected,
            "{text}"
        );
    }
    assert_eq!(
        hit_ids(
            store,
            SearchQuery {
                since: Some(day("2023-11-02")),
                ..search("\"hospital evacuated\" -\"hospital damaged\"")
            }
        ),
        vec![b.id()]
    );
}

/// Pages of hits (limit and offset) follow one another without a gap or a
/// repeat, and `search_count` is the total they belong to, filters and
/// exclusions applied.
pub fn search_pages_and_totals(store: &dyn Store) {
    // Scores differ (one to five mentions), so the order is the backends'
    // shared rule: the most mentions first.
    let samples: Vec<Sample> = (1..=5)
        .map(|n| {
            Sample::new(&format!("{} Report {n}.", "The bridge closed. ".repeat(n)))
                .source(if n % 2 == 0 { "BBC" } else { "Reuters" })
        })
        .collect();
    put(store, &samples);
    put(store, &[Sample::new("A bridge and a dam reopened.")]);
    let all = hit_ids(
        store,
        SearchQuery {
            limit: 10,
            ..search("bridge -dam")
        },
    );
    assert_eq!(all.len(), 5, "{all:?}");
    let mut paged = Vec::new();
    for offset in [0, 2, 4, 6] {
        paged.extend(hit_ids(
            store,
            SearchQuery {
                limit: 2,
                offset,
                ..search("bridge -dam")
            },
        ));
    }
    assert_eq!(paged, all, "pages of two make up the whole list");
    let count = |q: SearchQuery| store.search_count(&q).expect("count");
    assert_eq!(count(search("bridge -dam")), 5);
    assert_eq!(count(search("bridge")), 6);
    assert_eq!(
        count(SearchQuery {
            source: Some("bbc".into()),
            limit: 1,
            offset: 1,
            ..search("bridge")
        }),
        2,
        "limit and offset aside, the source filter applied"
    );
    assert_eq!(count(search("nowhere")), 0);
    assert_eq!(count(search("")), 0);
    assert!(hit_ids(
        store,
        SearchQuery {
            offset: usize::MAX,
            ..search("bridge")
        }
    )
    .is_empty());
}

/// `-word` excludes; quotes match a phrase; words inside punctuation count.
pub fn search_exclusions_and_phrases(store: &dyn Store) {
    let a = Sample::new("Blinken's call for a humanitarian pause was rejected.");
    let b = Sample::new("A pause in fighting, not a humanitarian one, was agreed.");
    let c = Sample::new("U.S. officials spoke of a pause.");
    put(store, &[a.clone(), b.clone(), c.clone()]);
    let sorted = |mut v: Vec<ArticleId>| {
        v.sort();
        v
    };
    assert_eq!(
        sorted(hit_ids(store, search("pause"))),
        sorted(vec![a.id(), b.id(), c.id()])
    );
    assert_eq!(
        hit_ids(store, search("\"humanitarian pause\"")),
        vec![a.id()]
    );
    assert_eq!(
        sorted(hit_ids(store, search("pause -humanitarian"))),
        vec![c.id()]
    );
    assert_eq!(
        sorted(hit_ids(store, search("pause NOT \"humanitarian pause\""))),
        sorted(vec![b.id(), c.id()])
    );
    assert_eq!(hit_ids(store, search("Blinken's")), vec![a.id()]);
    assert_eq!(hit_ids(store, search("U.S.")), vec![c.id()]);
    assert!(
        hit_ids(store, search("-pause")).is_empty(),
        "exclusions alone match nothing"
    );
}

/// The limit bounds the hits; 0 gives none; huge limits are capped.
pub fn search_limits(store: &dyn Store) {
    let samples: Vec<Sample> = (0..30)
        .map(|i| Sample::new(&format!("Convoy report number {i}.")))
        .collect();
    put(store, &samples);
    let with_limit = |limit| {
        store
            .search(&SearchQuery {
                limit,
                ..search("convoy")
            })
            .expect("search")
            .len()
    };
    assert_eq!(with_limit(5), 5);
    assert_eq!(with_limit(0), 0);
    assert_eq!(with_limit(usize::MAX), 30);
    const { assert!(MAX_SEARCH_LIMIT >= 30) };
}

/// Whatever the user types, search answers (possibly with nothing) and never fails.
pub fn search_hostile_queries(store: &dyn Store) {
    let a = Sample::new("Blinken's call for a ceasefire was rejected by Israel.")
        .title("Blinken in Tel Aviv");
    put(store, std::slice::from_ref(&a));
    assert_eq!(
        hit_ids(store, search("Blinken's \"ceasefire")),
        vec![a.id()]
    );
    assert_eq!(hit_ids(store, search("title:ceasefire")), vec![a.id()]);
    assert_eq!(hit_ids(store, search("(ceasefire")), vec![a.id()]);
    assert_eq!(hit_ids(store, search("ceasefire~2^5")), vec![a.id()]);
    assert_eq!(hit_ids(store, search("ceasefire' OR '1'='1")), vec![a.id()]);
    for q in [
        "",
        "   \t\n",
        "\"",
        "\"\"",
        "AND OR NOT",
        "( ) [ ] { } : ^ ~ * ? ! \\ / + - && || \"",
        "*",
        "title:",
        "-",
        "\u{0}\u{1}\u{7f}",
        "[1 TO *]",
        "'; DROP TABLE articles; --",
    ] {
        let hits = store
            .search(&search(q))
            .unwrap_or_else(|e| panic!("{q:?}: {e}"));
        assert!(hits.iter().all(|h| h.id == a.id()), "{q:?}");
    }
    let huge = "ceasefire ".repeat(100_000) + &"(\"".repeat(10_000);
    assert_eq!(hit_ids(store, search(&huge)), vec![a.id()]);
    let long_word = "x".repeat(100_000);
    assert!(hit_ids(store, search(&long_word)).is_empty());
    assert_eq!(
        store.stats().expect("stats").articles,
        1,
        "the store is intact"
    );
}

/// Text that is empty, has NULs and control characters, or odd Unicode,
/// is stored and read back byte for byte, and search still works.
pub fn hostile_text_round_trips(store: &dyn Store) {
    let texts = [
        String::new(),
        "nul\u{0}inside\u{0}\u{0} and \u{1}\u{2}\u{1b}[31m ansi\u{7f} controls".to_string(),
        "\u{feff}bom \u{200b}zero\u{200d}width \u{202e}rtl override\u{fffd}\u{fffd}".to_string(),
        "\\x00 \\u0000 %00 &#0; \u{10ffff} 😀 line\r\nbreaks\rand\ttabs".to_string(),
        "quotes ' \" ` and -- comment /* block */ ; semicolon".to_string(),
        "word ".repeat(50_000),
    ];
    let samples: Vec<Sample> = texts.iter().map(|t| Sample::new(t)).collect();
    put(store, &samples);
    for s in &samples {
        let back = store.article(&s.id()).expect("read").expect("stored");
        assert_eq!(back.draft.text, s.0.article.draft.text);
        assert_eq!(back, s.0.article);
    }
    assert_eq!(hit_ids(store, search("inside")), vec![samples[1].id()]);
    assert_eq!(hit_ids(store, search("ansi")), vec![samples[1].id()]);
    assert_eq!(hit_ids(store, search("semicolon")), vec![samples[4].id()]);
    let hit = &store.search(&search("inside")).expect("search")[0];
    assert!(
        !hit.snippet.chars().any(|c| c.is_control()),
        "snippets carry no control characters: {:?}",
        hit.snippet
    );
    assert!(hit.snippet.contains("«inside»"), "{:?}", hit.snippet);
    assert_eq!(store.search(&search("word")).expect("search").len(), 1);
}

/// Titles and sources with markup and SQL quoting are kept verbatim, not
/// interpreted, and are searchable.
pub fn hostile_titles_round_trip(store: &dyn Store) {
    let title = "<script>alert('x')</script> O'Brien \"quoted\" '; DROP TABLE articles; --";
    let source = "Robert'); DROP TABLE articles;-- <b>News</b>";
    let a = Sample::new("Body text about O'Brien.")
        .title(title)
        .source(source);
    put(store, std::slice::from_ref(&a));
    let back = store.article(&a.id()).expect("read").expect("stored");
    assert_eq!(back.draft.title.as_deref(), Some(title));
    assert_eq!(back.draft.source.as_deref(), Some(source));
    let hits = store.search(&search("alert")).expect("search");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].title.as_deref(), Some(title));
    assert_eq!(hits[0].source.as_deref(), Some(source));
    assert_eq!(
        ids(&store
            .articles(&ArticleFilter {
                source: Some(source.to_uppercase()),
                ..ArticleFilter::default()
            })
            .expect("articles")),
        vec![a.id()]
    );
    assert_eq!(
        hit_ids(
            store,
            SearchQuery {
                source: Some(source.into()),
                ..search("O'Brien")
            }
        ),
        vec![a.id()]
    );
    assert_eq!(store.stats().expect("stats").articles, 1);
}

/// An analysis given with its article is stored with it and read back
/// verbatim; an article stored again keeps the analysis it had.
pub fn analysis_is_stored_with_its_article(store: &dyn Store) {
    let json = "{\"sentences\":[[0,12]],\"text\":\"nul\\u0000 «q» 😀\",\"raw\":\"\u{0}\u{7f}\"}";
    let a = Sample::new("Analysed article.").analyzed("fast/3", json);
    let b = Sample::new("Not analysed.");
    let big_json = format!("[{}0]", "1234567890,".repeat(200_000));
    let c = Sample::new("Big analysis.").analyzed("slow/1", &big_json);
    put(store, &[a.clone(), b.clone(), c.clone()]);
    assert_eq!(
        store.analysis(&a.id()).expect("analysis"),
        Some(analysis("fast/3", json))
    );
    assert_eq!(store.analysis(&b.id()).expect("analysis"), None);
    assert_eq!(
        store.analysis(&c.id()).expect("analysis"),
        Some(analysis("slow/1", &big_json))
    );
    assert_eq!(
        store
            .analysis(&ArticleId::for_text("never stored"))
            .expect("analysis"),
        None
    );
    // The article reads back unchanged by its analysis.
    assert_eq!(
        store.article(&a.id()).expect("read"),
        Some(a.0.article.clone())
    );
    // Storing it again (with another analysis, or none) changes nothing:
    // analyses are replaced only by put_analyses.
    let again = [
        Sample::new("Analysed article.")
            .analyzed("fast/4", "{}")
            .build(),
        Sample::new("Big analysis.").build(),
        Sample::new("Not analysed.")
            .analyzed("fast/4", "{}")
            .build(),
    ];
    let report = store.put_articles(&again).expect("stored");
    assert_eq!(report.already_present, vec![a.id(), c.id(), b.id()]);
    assert_eq!(
        store.analysis(&a.id()).expect("analysis"),
        Some(analysis("fast/3", json))
    );
    assert_eq!(
        store.analysis(&c.id()).expect("analysis"),
        Some(analysis("slow/1", &big_json))
    );
    assert_eq!(store.analysis(&b.id()).expect("analysis"), None);
    // A repeat within one batch: the first copy's analysis is the one kept.
    let d1 = Sample::new("Twice in a batch.").analyzed("fast/3", "[1]");
    let d2 = Sample::new("Twice in a batch.").analyzed("fast/3", "[2]");
    store.put_articles(&[d1.0, d2.0.clone()]).expect("stored");
    assert_eq!(
        store.analysis(&d2.id()).expect("analysis"),
        Some(analysis("fast/3", "[1]"))
    );
}

/// A batch that fails stores no article and no analysis; invalid analyser
/// names reject the batch.
pub fn failed_batch_stores_no_analysis(store: &dyn Store) {
    let a = Sample::new("Good, analysed.").analyzed("fast/3", "{}");
    let unknown = ArticleId::for_text("not stored anywhere");
    let bad = Sample::new("Bad group.")
        .analyzed("fast/3", "{}")
        .duplicate_of(&unknown);
    assert!(matches!(
        store.put_articles(&[a.0.clone(), bad.0.clone()]),
        Err(StoreError::InvalidArticle { index: 1, .. })
    ));
    for name in [
        String::new(),
        "fast\n3".to_string(),
        "x".repeat(MAX_ANALYZER_LEN + 1),
    ] {
        let bad = Sample::new("Bad analyser.").analyzed(&name, "{}");
        match store.put_articles(&[a.0.clone(), bad.0.clone()]) {
            Err(StoreError::InvalidArticle {
                index: 1, reason, ..
            }) => {
                assert!(reason.contains("analys"), "{reason}")
            }
            other => panic!("expected InvalidArticle for {name:?}, got {other:?}"),
        }
    }
    assert!(!store.contains(&a.id()).expect("contains"));
    assert_eq!(store.analysis(&a.id()).expect("analysis"), None);
    let s = store.stats().expect("stats");
    assert_eq!(s.articles, 0);
    assert!(s.analyzers.is_empty(), "{:?}", s.analyzers);
    assert!(store
        .stale_analyses("fast/3", 10)
        .expect("stale")
        .is_empty());
    // The longest valid name is fine.
    let long = "x".repeat(MAX_ANALYZER_LEN);
    put(store, &[Sample::new("Long name.").analyzed(&long, "{}")]);
    assert_eq!(store.stats().expect("stats").analyzed(&long), 1);
}

/// put_analyses replaces stored analyses and fills in missing ones; an id
/// given twice gets the later one.
pub fn put_analyses_replaces(store: &dyn Store) {
    let a = Sample::new("First.").analyzed("fast/2", "{\"v\":2}");
    let b = Sample::new("Second.");
    let c = Sample::new("Third.").analyzed("fast/2", "{\"c\":2}");
    put(store, &[a.clone(), b.clone(), c.clone()]);
    store
        .put_analyses(&[
            (a.id(), analysis("fast/3", "{\"v\":3}")),
            (b.id(), analysis("fast/3", "{\"b\":3}")),
            (a.id(), analysis("fast/3", "{\"v\":\"later\"}")),
        ])
        .expect("replaced");
    assert_eq!(
        store.analysis(&a.id()).expect("analysis"),
        Some(analysis("fast/3", "{\"v\":\"later\"}"))
    );
    assert_eq!(
        store.analysis(&b.id()).expect("analysis"),
        Some(analysis("fast/3", "{\"b\":3}"))
    );
    assert_eq!(
        store.analysis(&c.id()).expect("analysis"),
        Some(analysis("fast/2", "{\"c\":2}")),
        "untouched"
    );
    assert_eq!(
        store.stale_analyses("fast/3", 10).expect("stale"),
        vec![c.id()]
    );
    // Articles, search and counts are not affected.
    assert_eq!(
        store.article(&a.id()).expect("read"),
        Some(a.0.article.clone())
    );
    assert_eq!(hit_ids(store, search("second")), vec![b.id()]);
    assert_eq!(store.stats().expect("stats").articles, 3);
}

/// A put_analyses call naming an article that is not stored, or an invalid
/// analyser, writes nothing.
pub fn put_analyses_is_atomic(store: &dyn Store) {
    let a = Sample::new("Stored one.").analyzed("fast/2", "[2]");
    let b = Sample::new("Stored two.");
    put(store, &[a.clone(), b.clone()]);
    let unknown = ArticleId::for_text("never stored");
    let err = store
        .put_analyses(&[
            (a.id(), analysis("fast/3", "[3]")),
            (b.id(), analysis("fast/3", "[3]")),
            (unknown.clone(), analysis("fast/3", "[3]")),
        ])
        .expect_err("unknown id");
    match &err {
        StoreError::InvalidAnalysis { index, id, reason } => {
            assert_eq!(*index, 2);
            assert_eq!(id, unknown.as_str());
            assert!(reason.contains("no article"), "{reason}");
        }
        other => panic!("expected InvalidAnalysis, got {other:?}"),
    }
    assert!(err
        .to_string()
        .contains("no analysis from this call was stored"));
    let bad_id: ArticleId = serde_json::from_str("\"'; DROP TABLE analyses; --\"").expect("json");
    for (i, (id, bad)) in [
        (a.id(), analysis("", "[3]")),
        (b.id(), analysis("fast\u{0}3", "[3]")),
        (bad_id, analysis("fast/3", "[3]")),
    ]
    .into_iter()
    .enumerate()
    {
        match store.put_analyses(&[(a.id(), analysis("fast/3", "[3]")), (id, bad)]) {
            Err(StoreError::InvalidAnalysis { index: 1, .. }) => {}
            other => panic!("case {i}: expected InvalidAnalysis, got {other:?}"),
        }
    }
    assert_eq!(
        store.analysis(&a.id()).expect("analysis"),
        Some(analysis("fast/2", "[2]"))
    );
    assert_eq!(store.analysis(&b.id()).expect("analysis"), None);
    assert_eq!(
        store.stale_analyses("fast/3", 10).expect("stale"),
        vec![a.id(), b.id()]
    );
    assert_eq!(
        store.stats().expect("stats").analyzers,
        vec![("fast/2".to_string(), 1)]
    );
}

/// stale_analyses lists missing and outdated analyses, never current ones,
/// in ingest order, at most `limit`; a re-analysis loop pages through them.
pub fn stale_analyses_page_in_ingest_order(store: &dyn Store) {
    let analyzers = [
        None,
        Some("fast/2"),
        Some("fast/3"),
        Some("slow/1"),
        Some("fast/3"),
    ];
    let mut all = Vec::new();
    for batch in 0..3 {
        let samples: Vec<Sample> = (0..10)
            .map(|i| {
                let s = Sample::new(&format!("Article {batch}-{i}."));
                match analyzers[(batch * 10 + i) % analyzers.len()] {
                    Some(a) => s.analyzed(a, &format!("[{batch},{i}]")),
                    None => s,
                }
            })
            .collect();
        put(store, &samples);
        all.extend(samples);
    }
    let stale: Vec<ArticleId> = all
        .iter()
        .filter(|s| s.0.analysis.as_ref().is_none_or(|a| a.analyzer != "fast/3"))
        .map(Sample::id)
        .collect();
    assert_eq!(stale.len(), 18);
    assert_eq!(
        store.stale_analyses("fast/3", usize::MAX).expect("stale"),
        stale
    );
    assert_eq!(
        store.stale_analyses("fast/3", 5).expect("stale"),
        stale[..5]
    );
    assert!(store.stale_analyses("fast/3", 0).expect("stale").is_empty());
    assert_eq!(
        store.stale_analyses("never/1", 100).expect("stale").len(),
        30,
        "an analyser nothing was made by: all are stale"
    );
    assert_eq!(
        store.stale_analyses("", 100).expect("stale").len(),
        30,
        "an empty name matches no analysis"
    );
    // The re-analysis loop: take a page, replace it, ask again.
    let mut done = Vec::new();
    for round in 0.. {
        assert!(round < 10, "the loop ends");
        let page = store.stale_analyses("fast/3", 4).expect("stale");
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 4);
        let fresh: Vec<(ArticleId, StoredAnalysis)> = page
            .iter()
            .map(|id| (id.clone(), analysis("fast/3", "[]")))
            .collect();
        store.put_analyses(&fresh).expect("replaced");
        done.extend(page);
    }
    assert_eq!(done, stale, "each stale article once, in ingest order");
    assert_eq!(
        store.stale_analyses("fast/4", 3).expect("stale"),
        ids(&all
            .iter()
            .take(3)
            .map(|s| s.0.article.clone())
            .collect::<Vec<_>>())
    );
}

/// Stats count analyses per analyser; `analyzed` and `analysis_stale`
/// split the articles by the current analyser.
pub fn analysis_stats(store: &dyn Store) {
    put(
        store,
        &[
            Sample::new("One.").analyzed("fast/3", "{}"),
            Sample::new("Two.").analyzed("fast/2", "{}"),
            Sample::new("Three."),
            Sample::new("Four.").analyzed("fast/3", "{}"),
            Sample::new("Five.").analyzed("slow/1", "{}"),
            Sample::new("Six.").analyzed("fast/2", "{}"),
            Sample::new("Seven.").analyzed("fast/3", "{}"),
        ],
    );
    let s = store.stats().expect("stats");
    assert_eq!(
        s.analyzers,
        vec![
            ("fast/3".to_string(), 3),
            ("fast/2".to_string(), 2),
            ("slow/1".to_string(), 1),
        ]
    );
    assert_eq!((s.analyzed("fast/3"), s.analysis_stale("fast/3")), (3, 4));
    assert_eq!((s.analyzed("fast/2"), s.analysis_stale("fast/2")), (2, 5));
    assert_eq!((s.analyzed("other/9"), s.analysis_stale("other/9")), (0, 7));
    assert_eq!(
        s.analysis_stale("fast/3"),
        store.stale_analyses("fast/3", 100).expect("stale").len() as u64
    );
    let two = ArticleId::for_text("Two.");
    store
        .put_analyses(&[(two, analysis("fast/3", "{}"))])
        .expect("replaced");
    let s = store.stats().expect("stats");
    assert_eq!((s.analyzed("fast/3"), s.analysis_stale("fast/3")), (4, 3));
    assert_eq!(s.analyzed("fast/2"), 1);
}

fn record(id: &str, body: &str, keys: &[&str]) -> LinkRecord {
    LinkRecord {
        id: id.into(),
        body: body.into(),
        keys: keys.iter().map(|k| k.to_string()).collect(),
    }
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn records_batch(kind: &str, records: Vec<LinkRecord>) -> LinkBatch {
    LinkBatch {
        records: records.into_iter().map(|r| (kind.to_string(), r)).collect(),
        ..LinkBatch::default()
    }
}

/// Records read back with their keys; rewriting replaces body and keys;
/// deleting removes both; kinds are separate namespaces.
pub fn links_round_trip(store: &dyn Store) {
    let batch = records_batch(
        "story",
        vec![
            record("s1", r#"{"label":"dam"}"#, &["term:dam", "term:flood"]),
            record(
                "s2",
                r#"{"label":"port"}"#,
                &["term:port", "term:dam", "term:dam"],
            ),
        ],
    );
    store.put_links("test/1", &batch).expect("stored");
    let got = store
        .link_records("story", &strings(&["s2", "nope", "s1"]))
        .expect("read");
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].id, "s2");
    assert_eq!(
        got[0].keys,
        strings(&["term:port", "term:dam"]),
        "keys deduplicated"
    );
    assert_eq!(got[1].body, r#"{"label":"dam"}"#);
    assert!(store
        .link_records("actor", &strings(&["s1"]))
        .expect("read")
        .is_empty());
    // Bodies alone: the same records, in the order asked, repeats kept.
    let bodies = store
        .link_bodies("story", &strings(&["s2", "nope", "s1", "s2"]))
        .expect("bodies");
    assert_eq!(
        bodies,
        vec![
            ("s2".to_string(), r#"{"label":"port"}"#.to_string()),
            ("s1".to_string(), r#"{"label":"dam"}"#.to_string()),
            ("s2".to_string(), r#"{"label":"port"}"#.to_string()),
        ]
    );

    let rewrite = records_batch("story", vec![record("s1", "{}", &["term:levee"])]);
    store.put_links("test/1", &rewrite).expect("rewritten");
    let s1 = store
        .link_records("story", &strings(&["s1"]))
        .expect("read");
    assert_eq!(s1[0].body, "{}");
    assert_eq!(s1[0].keys, strings(&["term:levee"]));
    let dam = store
        .link_lookup("story", &strings(&["term:dam"]), 10)
        .expect("lookup");
    assert_eq!(
        dam,
        vec![("term:dam".to_string(), "s2".to_string())],
        "old keys gone"
    );

    let delete = LinkBatch {
        deletes: vec![
            ("story".into(), "s2".into()),
            ("story".into(), "never".into()),
        ],
        ..LinkBatch::default()
    };
    store.put_links("test/1", &delete).expect("deleted");
    assert!(store
        .link_records("story", &strings(&["s2"]))
        .expect("read")
        .is_empty());
    assert!(store
        .link_lookup("story", &strings(&["term:dam", "term:port"]), 10)
        .expect("lookup")
        .is_empty());
    let state = store.link_state().expect("state");
    assert_eq!(state.records, vec![("story".to_string(), 1)]);
    assert_eq!(state.linker.as_deref(), Some("test/1"));
}

/// Lookups list the most recently written records first and never more
/// than asked (or than the cap).
pub fn link_lookup_is_newest_first_and_capped(store: &dyn Store) {
    for i in 0..5 {
        let b = records_batch("claim", vec![record(&format!("c{i}"), "{}", &["k"])]);
        store.put_links("test/1", &b).expect("stored");
    }
    // Rewriting c1 makes it the newest.
    let b = records_batch("claim", vec![record("c1", "{}", &["k"])]);
    store.put_links("test/1", &b).expect("stored");
    let got = store
        .link_lookup("claim", &strings(&["k"]), 3)
        .expect("lookup");
    let ids: Vec<&str> = got.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids, vec!["c1", "c4", "c3"]);
    let all = store
        .link_lookup("claim", &strings(&["k"]), usize::MAX)
        .expect("lookup");
    assert_eq!(all.len(), 5);
    assert!(all.len() <= MAX_LINK_LOOKUP_PER_KEY);
    assert!(store
        .link_lookup("claim", &[], 3)
        .expect("lookup")
        .is_empty());
}

/// A batch with one bad part stores nothing.
pub fn link_batch_is_atomic(store: &dyn Store) {
    let a = Sample::new("An article to link.");
    put(store, std::slice::from_ref(&a));
    let bad = LinkBatch {
        records: vec![("story".into(), record("s1", "{}", &["k"]))],
        counters: vec![("df:k".into(), 1)],
        linked_through: Some(ArticleId::for_text("never stored")),
        ..LinkBatch::default()
    };
    assert!(matches!(
        store.put_links("test/1", &bad),
        Err(StoreError::UnknownArticle { .. })
    ));
    let too_long = LinkBatch {
        records: vec![("k".repeat(MAX_LINK_KEY_LEN + 1), record("s1", "{}", &["k"]))],
        counters: vec![("df:k".into(), 1)],
        ..LinkBatch::default()
    };
    assert!(matches!(
        store.put_links("test/1", &too_long),
        Err(StoreError::InvalidLink { .. })
    ));
    assert!(store
        .link_records("story", &strings(&["s1"]))
        .expect("read")
        .is_empty());
    assert_eq!(
        store.link_counters(&strings(&["df:k"])).expect("read"),
        vec![0]
    );
    assert_eq!(store.unlinked("test/1", 10).expect("read"), vec![a.id()]);
}

/// One batch's deletes apply before its writes, and a record written twice
/// ends as its last write, with postings newer than everything written
/// before it: a record deleted and written again in one batch is there,
/// with only its new keys.
pub fn link_batch_deletes_before_it_writes(store: &dyn Store) {
    let first = LinkBatch {
        records: vec![
            ("story".into(), record("s1", "{\"v\":1}", &["a"])),
            ("story".into(), record("s2", "{\"v\":2}", &["b"])),
            ("claim".into(), record("s1", "{}", &["a"])),
        ],
        ..LinkBatch::default()
    };
    store.put_links("test/1", &first).expect("stored");
    let second = LinkBatch {
        deletes: vec![
            ("story".into(), "s1".into()),
            ("story".into(), "s2".into()),
            ("story".into(), "s2".into()),
        ],
        records: vec![
            ("story".into(), record("s1", "{\"v\":3}", &["c"])),
            ("story".into(), record("s3", "{}", &["a", "d"])),
            ("story".into(), record("s1", "{\"v\":4}", &["d"])),
        ],
        ..LinkBatch::default()
    };
    store.put_links("test/1", &second).expect("stored");
    let got = store
        .link_records("story", &strings(&["s1", "s2", "s3"]))
        .expect("read");
    let got: Vec<(&str, &str, Vec<String>)> = got
        .iter()
        .map(|r| (r.id.as_str(), r.body.as_str(), r.keys.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("s1", "{\"v\":4}", strings(&["d"])),
            ("s3", "{}", strings(&["a", "d"])),
        ]
    );
    let lookup = |keys: &[&str]| -> Vec<(String, String)> {
        store
            .link_lookup("story", &strings(keys), 10)
            .expect("lookup")
    };
    assert_eq!(
        lookup(&["a", "b", "c", "d"]),
        vec![
            ("a".to_string(), "s3".to_string()),
            ("d".to_string(), "s1".to_string()),
            ("d".to_string(), "s3".to_string()),
        ],
        "old keys gone, the last write newest"
    );
    // Another kind's record of the same id is untouched.
    assert_eq!(
        store
            .link_lookup("claim", &strings(&["a"]), 10)
            .expect("lookup"),
        vec![("a".to_string(), "s1".to_string())]
    );
}

/// A batch from another linker than the one that made the stored links is
/// refused whole: none of its records, counters or watermark is kept.
pub fn another_linkers_batch_writes_nothing(store: &dyn Store) {
    let a = Sample::new("An article linked by another linker.");
    put(store, std::slice::from_ref(&a));
    store
        .put_links("link/1", &LinkBatch::default())
        .expect("stored");
    let other = LinkBatch {
        records: vec![("story".into(), record("s1", "{}", &["k"]))],
        counters: vec![("df:k".into(), 1)],
        linked_through: Some(a.id()),
        ..LinkBatch::default()
    };
    assert!(matches!(
        store.put_links("link/2", &other),
        Err(StoreError::InvalidLink { .. })
    ));
    assert!(store
        .link_records("story", &strings(&["s1"]))
        .expect("read")
        .is_empty());
    assert_eq!(
        store.link_counters(&strings(&["df:k"])).expect("read"),
        vec![0]
    );
    let state = store.link_state().expect("state");
    assert_eq!(state.linker.as_deref(), Some("link/1"));
    assert_eq!(state.linked_articles, 0);
}

/// The watermark marks articles linked in ingest order; another linker
/// sees everything unlinked, cannot write over the old links, and starts
/// afresh after a reset.
pub fn link_watermark_and_linker(store: &dyn Store) {
    let samples: Vec<Sample> = (0..4)
        .map(|i| Sample::new(&format!("Article number {i} about the dam.")))
        .collect();
    put(store, &samples);
    assert_eq!(store.link_state().expect("state").linker, None);
    assert_eq!(store.unlinked("link/1", 10).expect("read").len(), 4);
    let b = LinkBatch {
        records: vec![("actor".into(), record("a", "{}", &["x"]))],
        linked_through: Some(samples[1].id()),
        ..LinkBatch::default()
    };
    store.put_links("link/1", &b).expect("stored");
    assert_eq!(
        store.unlinked("link/1", 10).expect("read"),
        vec![samples[2].id(), samples[3].id()]
    );
    assert_eq!(
        store.unlinked("link/1", 1).expect("read"),
        vec![samples[2].id()]
    );
    // The watermark never moves back.
    let back = LinkBatch {
        linked_through: Some(samples[0].id()),
        ..LinkBatch::default()
    };
    store.put_links("link/1", &back).expect("stored");
    assert_eq!(store.link_state().expect("state").linked_articles, 2);

    assert_eq!(store.unlinked("link/2", 10).expect("read").len(), 4);
    assert!(matches!(
        store.put_links("link/2", &LinkBatch::default()),
        Err(StoreError::InvalidLink { .. })
    ));
    store.reset_links("link/2").expect("reset");
    let state = store.link_state().expect("state");
    assert_eq!(state.linker.as_deref(), Some("link/2"));
    assert_eq!(state.linked_articles, 0);
    assert!(state.records.is_empty());
    assert!(store
        .link_records("actor", &strings(&["a"]))
        .expect("read")
        .is_empty());
    assert_eq!(store.unlinked("link/2", 10).expect("read").len(), 4);
}

/// Scans page through one kind in id order.
pub fn link_scan_pages(store: &dyn Store) {
    let recs: Vec<LinkRecord> = ["b", "d", "a", "c"]
        .iter()
        .map(|id| record(id, "{}", &[]))
        .collect();
    store
        .put_links("test/1", &records_batch("entity", recs))
        .expect("stored");
    store
        .put_links(
            "test/1",
            &records_batch("story", vec![record("a0", "{}", &[])]),
        )
        .expect("stored");
    let page = |after: Option<&str>| -> Vec<String> {
        store
            .link_scan("entity", after, 2)
            .expect("scan")
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(page(None), strings(&["a", "b"]));
    assert_eq!(page(Some("b")), strings(&["c", "d"]));
    assert!(page(Some("d")).is_empty());
}

/// Counters start at zero and add every increment, negative ones too.
pub fn link_counters_add_up(store: &dyn Store) {
    let b = LinkBatch {
        counters: vec![
            ("df:dam".into(), 2),
            ("docs".into(), 1),
            ("df:dam".into(), 1),
        ],
        ..LinkBatch::default()
    };
    store.put_links("test/1", &b).expect("stored");
    let b = LinkBatch {
        counters: vec![("df:dam".into(), -1)],
        ..LinkBatch::default()
    };
    store.put_links("test/1", &b).expect("stored");
    assert_eq!(
        store
            .link_counters(&strings(&["df:dam", "docs", "never"]))
            .expect("read"),
        vec![2, 1, 0]
    );
}

/// Odd strings are kept byte for byte; empty and oversized names rejected.
pub fn hostile_link_input(store: &dyn Store) {
    let odd = "k'; DROP TABLE link_records; --\u{0}\u{202e}\u{1F600}";
    let body = format!("{{\"text\":{:?}}}", "<script>alert(1)</script>");
    store
        .put_links(
            "test/1",
            &records_batch("claim", vec![record(odd, &body, &[odd])]),
        )
        .expect("stored");
    let got = store
        .link_lookup("claim", &strings(&[odd]), 5)
        .expect("lookup");
    assert_eq!(got, vec![(odd.to_string(), odd.to_string())]);
    assert_eq!(
        store.link_records("claim", &strings(&[odd])).expect("read")[0].body,
        body
    );
    for bad in [
        records_batch("", vec![record("x", "{}", &[])]),
        records_batch("claim", vec![record("", "{}", &[])]),
        records_batch("claim", vec![record("x", "{}", &[""])]),
    ] {
        assert!(matches!(
            store.put_links("test/1", &bad),
            Err(StoreError::InvalidLink { .. })
        ));
    }
    assert!(matches!(
        store.put_links("", &LinkBatch::default()),
        Err(StoreError::InvalidLink { .. })
    ));
    assert!(matches!(
        store.reset_links(""),
        Err(StoreError::InvalidLink { .. })
    ));
}

/// Ids, keys and counter keys over the limit (a key made of one 600-letter
/// word) are stored bounded: the batch is taken, distinct long keys stay
/// distinct, and reads by the long form or the stored form find them.
pub fn long_link_keys_are_bounded(store: &dyn Store) {
    // Two keys alike for their first 600 bytes, so only the hash tells
    // them apart; `é` is two bytes, so the cut falls inside a character
    // unless the store looks for a boundary.
    let stem = format!("term:x{}", "é".repeat(300));
    let key_a = format!("{stem}a");
    let key_b = format!("{stem}b");
    let id_a = format!("story-{stem}-a");
    let id_b = format!("story-{stem}-b");
    let batch = LinkBatch {
        records: vec![
            (
                "story".into(),
                record(&id_a, "{\"n\":1}", &[&key_a, "term:dam"]),
            ),
            ("story".into(), record(&id_b, "{\"n\":2}", &[&key_b])),
        ],
        counters: vec![
            (format!("df:{key_a}"), 2),
            (format!("df:{key_b}"), 5),
            (format!("df:{key_a}"), 1),
        ],
        ..LinkBatch::default()
    };
    store
        .put_links("test/1", &batch)
        .expect("a batch with long keys is stored, not refused");

    let a = store
        .link_lookup("story", std::slice::from_ref(&key_a), 10)
        .expect("lookup");
    assert_eq!(a.len(), 1, "only the record with this long key: {a:?}");
    assert_eq!(a[0].0, key_a, "the key comes back as asked");
    let stored_a = a[0].1.clone();
    assert!(stored_a.len() <= MAX_LINK_KEY_LEN);
    let b = store
        .link_lookup("story", std::slice::from_ref(&key_b), 10)
        .expect("lookup");
    assert_eq!(b.len(), 1);
    assert_ne!(stored_a, b[0].1, "distinct long ids stay distinct");

    // By the long id, by the stored id: the same record.
    let by_long = store
        .link_records("story", std::slice::from_ref(&id_a))
        .expect("read");
    assert_eq!(by_long.len(), 1);
    assert_eq!(by_long[0].id, id_a, "the id comes back as asked");
    assert_eq!(by_long[0].body, "{\"n\":1}");
    assert!(by_long[0].keys.iter().all(|k| k.len() <= MAX_LINK_KEY_LEN));
    assert!(by_long[0].keys.contains(&"term:dam".to_string()));
    let by_stored = store
        .link_bodies("story", &[stored_a.clone(), "nope".into(), id_a.clone()])
        .expect("bodies");
    assert_eq!(
        by_stored,
        vec![
            (stored_a.clone(), "{\"n\":1}".to_string()),
            (id_a.clone(), "{\"n\":1}".to_string()),
        ]
    );
    // A key read back from a record finds the record again.
    let stored_key = by_long[0]
        .keys
        .iter()
        .find(|k| k.as_str() != "term:dam")
        .cloned()
        .expect("the long key's stored form");
    assert_eq!(stored_key, crate::bounded_link_key(&key_a));
    let again = store
        .link_lookup("story", std::slice::from_ref(&stored_key), 10)
        .expect("lookup");
    assert_eq!(again, vec![(stored_key, stored_a.clone())]);

    assert_eq!(
        store
            .link_counters(&[
                format!("df:{key_a}"),
                format!("df:{key_b}"),
                format!("df:{stem}")
            ])
            .expect("counters"),
        vec![3, 5, 0],
        "long counter keys add up apart"
    );

    // Deleting by the long id removes the record and its postings.
    let delete = LinkBatch {
        deletes: vec![("story".into(), id_a.clone())],
        ..LinkBatch::default()
    };
    store.put_links("test/1", &delete).expect("deleted");
    assert!(store
        .link_lookup("story", std::slice::from_ref(&key_a), 10)
        .expect("lookup")
        .is_empty());
    let left = store.link_scan("story", None, 10).expect("scan");
    assert_eq!(left.len(), 1);
    assert!(left[0].id.len() <= MAX_LINK_KEY_LEN);
    // Paging after a long id works as after its stored form.
    assert!(store
        .link_scan("story", Some(&id_b), 10)
        .expect("scan")
        .is_empty());
}

/// One linker at a time: a second lease is refused naming the holder
/// (on one line, whatever it called itself) until the first is dropped.
pub fn linker_lease_is_exclusive(store: &dyn Store) {
    let mut first = store
        .lease_linker("pid 1 on test-a")
        .expect("the first linker takes the lease");
    first.check().expect("the lease still holds");
    let err = store
        .lease_linker("pid 2 on test-b")
        .expect_err("a second linker is refused");
    match &err {
        StoreError::LinkerBusy { holder, .. } => {
            assert_eq!(holder.as_deref(), Some("pid 1 on test-a"), "{err}")
        }
        other => panic!("expected LinkerBusy, got {other}"),
    }
    assert!(err.to_string().contains("pid 1 on test-a"), "{err}");
    first
        .check()
        .expect("a refused second linker takes nothing away");
    drop(first);

    let hostile = format!("pid 3\n\u{1b}[31m on {}", "x".repeat(5_000));
    let _third = store
        .lease_linker(&hostile)
        .expect("the lease is free once its holder lets go");
    let err = store.lease_linker("pid 4").expect_err("held again");
    let StoreError::LinkerBusy {
        holder: Some(holder),
        ..
    } = &err
    else {
        panic!("the holder is named: {err}");
    };
    assert!(holder.starts_with("pid 3"), "{holder:?}");
    assert!(
        !holder.chars().any(char::is_control) && holder.len() <= 200,
        "one short line: {holder:?}"
    );
}

/// Articles per published day: undated ones left out, copies counted,
/// days in order.
pub fn articles_per_day_count_dated_articles(store: &dyn Store) {
    assert!(store.articles_per_day().expect("per day").is_empty());
    let first =
        Sample::new("Day one: the river rose.").published("2024-03-02", DateProvenance::Metadata);
    let group = first.id();
    store
        .put_articles(&[
            first.build(),
            Sample::new("Day one again: the river rose further.")
                .published("2024-03-02T23:30:00Z", DateProvenance::Metadata)
                .build(),
            Sample::new("Day three: a copy of the first.")
                .published("2024-03-04", DateProvenance::Header)
                .duplicate_of(&group)
                .build(),
            Sample::new("No date at all.").build(),
        ])
        .expect("stored");
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day");
    assert_eq!(
        store.articles_per_day().expect("per day"),
        [(day("2024-03-02"), 2), (day("2024-03-04"), 1)]
    );
}
