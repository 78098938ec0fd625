//! The linker end to end over a store: articles in, entities, claims,
//! findings and stances out, incrementally. Fixtures are short articles
//! written for these tests.

use storyline_analyze::document::{analyze, AnalysisContext, ANALYZER};
use storyline_core::{content_hash, Article, ArticleDraft, ArticleId, DateProvenance, Timestamp};
use storyline_link::actors::Gazetteer;
use storyline_link::claims::{Claim, ClaimKind, Position};
use storyline_link::findings::{Finding, FindingKind};
use storyline_link::linker::{kinds, scan_all, EntityRecord, Linker, StanceCell};
use storyline_store::{MemStore, NewArticle, Store, StoredAnalysis};

fn article(text: &str, outlet: Option<&str>, date: Option<&str>) -> NewArticle {
    let id = ArticleId::for_text(text);
    let mut draft = ArticleDraft::new(text);
    draft.source = outlet.map(str::to_string);
    if let Some(d) = date {
        draft.published = Timestamp::parse(d).ok();
        draft.published_provenance = DateProvenance::Header;
    }
    let analysis = analyze(
        text,
        &AnalysisContext {
            published: draft.published,
        },
    );
    NewArticle {
        article: Article {
            id: id.clone(),
            content_hash: content_hash(text),
            duplicate_group: id,
            duplicate_similarity: 1.0,
            ingested_at: Timestamp::parse("2025-01-01T00:00:00Z").expect("valid"),
            draft,
        },
        minhash: vec![0; 4],
        lsh_bands: Vec::new(),
        analysis: Some(StoredAnalysis {
            analyzer: ANALYZER.into(),
            json: serde_json::to_string(&analysis).expect("serialises"),
        }),
    }
}

const CALL: &str = "US Secretary of State Antony Blinken met officials in Ankara. While Blinken called for an immediate ceasefire, Israeli Prime Minister Benjamin Netanyahu has rejected the idea unless Hamas releases the hostages it is holding.";
const DISMISS: &str = "Washington has dismissed calls from Arab and several other nations for a full ceasefire, but wants temporary pauses in fighting. Families of some of the more than 240 people taken hostage gathered in Tel Aviv. Israel says Hamas took more than 240 hostages.";
const TOLL_A: &str = "Gaza health authorities say at least 9,061 people have been killed in Gaza since the war began.";
const TOLL_B: &str =
    "The health ministry in Gaza said on Saturday that 9,061 people had been killed in Gaza.";
const TOLL_C: &str = "The health ministry in Gaza said 10,022 people had been killed in Gaza, up sharply in two days.";
const SCOPE_A: &str =
    "Israel started its assault on the enclave of 2.3 million people after the attacks.";
const SCOPE_B: &str = "Blinken said Israel could not operate in the south as it did in the north, because there were two million Palestinians there.";

fn linked(store: &MemStore) -> storyline_link::linker::LinkReport {
    let g = Gazetteer::embedded();
    Linker::new(store, &g).link_pending(|_| {}).expect("links")
}

/// The stored figure claim whose sentence starts with `prefix`.
fn figure_starting(store: &MemStore, prefix: &str) -> Option<Claim> {
    let claims: Vec<Claim> = scan_all(store, kinds::CLAIM).expect("claims");
    claims
        .into_iter()
        .find(|c| c.kind == ClaimKind::Figure && c.evidence.sentence.starts_with(prefix))
}

fn findings(store: &MemStore) -> Vec<Finding> {
    scan_all(store, kinds::FINDING).expect("findings read")
}

#[test]
fn the_ceasefire_contradiction_is_found_with_both_sentences() {
    let store = MemStore::new();
    store
        .put_articles(&[
            article(CALL, None, Some("2023-11-09")),
            article(DISMISS, Some("Wire"), None),
        ])
        .expect("stored");
    linked(&store);
    let f = findings(&store);
    let c = f
        .iter()
        .find(|f| f.kind == FindingKind::Contradict && f.key.contains("ceasefire"))
        .unwrap_or_else(|| panic!("no ceasefire contradiction in {f:#?}"));
    let sentences: Vec<&str> = c
        .claims
        .iter()
        .map(|s| s.evidence.sentence.as_str())
        .collect();
    assert!(sentences
        .iter()
        .any(|s| s.contains("Blinken called for an immediate ceasefire")));
    assert!(sentences
        .iter()
        .any(|s| s.contains("Washington has dismissed calls")));
    // The two hostage figures of one article are one source: no finding.
    assert!(
        !f.iter().any(|f| f.key.contains("hostages")),
        "{:#?}",
        f.iter()
            .filter(|f| f.key.contains("hostages"))
            .collect::<Vec<_>>()
    );
    // The stance table marks the United States' cell contested.
    let cells: Vec<StanceCell> = scan_all(&store, kinds::STANCE).expect("stances");
    let us = cells
        .iter()
        .find(|c| c.actor.name == "United States" && c.issue == "ceasefire")
        .expect("a US ceasefire cell");
    assert!(us.contested(), "{us:#?}");
    let israel = cells
        .iter()
        .find(|c| c.actor.name == "Israel" && c.issue == "ceasefire")
        .expect("Netanyahu's position, for Israel");
    assert_eq!(israel.entries[0].position, Position::Conditional);
    assert_eq!(israel.entries[0].via.as_deref(), Some("Benjamin Netanyahu"));
}

#[test]
fn figures_agree_across_outlets_and_update_over_days() {
    let store = MemStore::new();
    store
        .put_articles(&[
            article(TOLL_A, Some("Wire"), Some("2023-11-04")),
            article(TOLL_B, Some("Ledger"), Some("2023-11-04")),
            article(TOLL_C, Some("Ledger"), Some("2023-11-06")),
        ])
        .expect("stored");
    let report = linked(&store);
    assert_eq!(report.articles, 3);
    let f = findings(&store);
    assert!(f.iter().any(|f| f.kind == FindingKind::Agree), "{f:#?}");
    let update = f
        .iter()
        .find(|f| f.kind == FindingKind::Update)
        .unwrap_or_else(|| panic!("no update in {f:#?}"));
    assert_eq!(update.claims[0].value, Some(9061.0), "earlier first");
    assert_eq!(update.claims[1].value, Some(10022.0));
}

#[test]
fn different_scopes_are_not_contradictions() {
    let store = MemStore::new();
    store
        .put_articles(&[
            article(SCOPE_A, Some("Wire"), Some("2023-11-04")),
            article(SCOPE_B, Some("Ledger"), Some("2023-11-04")),
        ])
        .expect("stored");
    linked(&store);
    let f = findings(&store);
    assert!(
        !f.iter().any(|f| f.kind == FindingKind::Contradict),
        "{f:#?}"
    );
    let claims: Vec<Claim> = scan_all(&store, kinds::CLAIM).expect("claims");
    assert!(claims
        .iter()
        .any(|c| c.kind == ClaimKind::Figure && c.value == Some(2_300_000.0)));
}

#[test]
fn linking_is_incremental_and_idempotent() {
    let store = MemStore::new();
    store
        .put_articles(&[article(CALL, None, Some("2023-11-09"))])
        .expect("stored");
    assert_eq!(linked(&store).articles, 1);
    assert_eq!(linked(&store).articles, 0, "nothing new to link");
    let before: Vec<EntityRecord> = scan_all(&store, kinds::ENTITY).expect("entities");
    let blinken = before
        .iter()
        .find(|e| e.name == "Antony Blinken")
        .expect("Blinken");
    assert_eq!(blinken.articles, 1);
    assert!(blinken
        .roles
        .iter()
        .any(|r| r.title.contains("secretary of state")
            && r.affiliation.as_deref() == Some("United States")));
    store
        .put_articles(&[article(SCOPE_B, Some("Ledger"), Some("2023-12-04"))])
        .expect("stored");
    assert_eq!(linked(&store).articles, 1, "only the new article");
    let after: Vec<EntityRecord> = scan_all(&store, kinds::ENTITY).expect("entities");
    let blinken = after
        .iter()
        .find(|e| e.name == "Antony Blinken")
        .expect("Blinken");
    assert_eq!(
        blinken.articles, 2,
        "the surname alone joined the full name"
    );
    assert_eq!(
        blinken.last_seen.map(|d| d.to_string()).as_deref(),
        Some("2023-12-04")
    );
}

#[test]
fn articles_without_analysis_are_skipped_not_fatal() {
    let store = MemStore::new();
    let mut a = article("Nothing to see.", None, None);
    a.analysis = None;
    let mut b = article("Broken analysis here.", None, None);
    b.analysis = Some(StoredAnalysis {
        analyzer: ANALYZER.into(),
        json: "{not json".into(),
    });
    store.put_articles(&[a, b]).expect("stored");
    let r = linked(&store);
    assert_eq!((r.articles, r.without_analysis), (0, 2));
    let g = Gazetteer::embedded();
    assert!(store
        .unlinked(Linker::new(&store, &g).name(), 10)
        .expect("read")
        .is_empty());
}

#[test]
fn a_new_actor_file_relinks_everything() {
    let store = MemStore::new();
    store
        .put_articles(&[article(TOLL_A, Some("Wire"), Some("2023-11-04"))])
        .expect("stored");
    linked(&store);
    let mut g = Gazetteer::embedded();
    g.extend(Gazetteer::parse("country\tMarevia\t\tMarevian\t\n", "mine").expect("valid"));
    let r = Linker::new(&store, &g).link_pending(|_| {}).expect("links");
    assert!(r.relinked);
    assert_eq!(r.articles, 1);
}

#[test]
fn articles_cluster_into_stories() {
    use storyline_link::story_store::StoryRecord;
    let store = MemStore::new();
    store
        .put_articles(&[
            article(TOLL_A, Some("Wire"), Some("2023-11-04")),
            article(TOLL_B, Some("Ledger"), Some("2023-11-04")),
            article(
                "The Harriers beat the Mariners 94-91 after overtime to win the basketball title on Saturday night in front of a home crowd.",
                Some("Sports Daily"),
                Some("2023-11-05"),
            ),
            article(TOLL_C, Some("Ledger"), Some("2023-11-06")),
        ])
        .expect("stored");
    let r = linked(&store);
    assert_eq!(r.new_stories, 2, "{r:?}");
    let stories: Vec<StoryRecord> = scan_all(&store, kinds::STORY).expect("stories");
    let mut sizes: Vec<usize> = stories.iter().map(|s| s.articles.len()).collect();
    sizes.sort();
    assert_eq!(sizes, vec![1, 3]);
    let big = stories
        .iter()
        .find(|s| s.articles.len() == 3)
        .expect("the toll story");
    assert_eq!(big.outlets.get("Ledger"), Some(&2));
    assert_eq!(
        big.first_day.map(|d| d.to_string()).as_deref(),
        Some("2023-11-04")
    );
    assert_eq!(
        big.last_day.map(|d| d.to_string()).as_deref(),
        Some("2023-11-06")
    );
}

/// `a` with every entity mention written `name` relabelled, as the tagger
/// may read an unknown name differently from one article to the next.
fn read_as(mut a: NewArticle, name: &str, label: storyline_analyze::EntityLabel) -> NewArticle {
    let stored = a.analysis.as_mut().expect("analysed");
    let mut analysis: storyline_analyze::document::Analysis =
        serde_json::from_str(&stored.json).expect("parses");
    let mut relabelled = 0;
    for m in analysis.entities.iter_mut().filter(|m| m.text == name) {
        m.label = label;
        relabelled += 1;
    }
    assert!(
        relabelled > 0,
        "{name} not tagged in {:?}",
        analysis.entities
    );
    stored.json = serde_json::to_string(&analysis).expect("serialises");
    a
}

#[test]
fn an_unknown_country_read_as_a_person_elsewhere_is_one_place() {
    use storyline_analyze::EntityLabel::{Loc, Per};
    const PLACE: &str =
        "Floods forced thousands from their homes across Tolvania on Monday, officials said.";
    const PERSON: &str =
        "Aid workers said Tolvania declared an emergency on Tuesday as the river rose.";
    // Either order: the place reading wins and both articles count.
    for first_place in [true, false] {
        let store = MemStore::new();
        let place = read_as(
            article(PLACE, Some("Wire"), Some("2025-03-03")),
            "Tolvania",
            Loc,
        );
        let person = read_as(
            article(PERSON, Some("Ledger"), Some("2025-03-04")),
            "Tolvania",
            Per,
        );
        let batch = if first_place {
            vec![place, person]
        } else {
            vec![person, place]
        };
        store.put_articles(&batch).expect("stored");
        linked(&store);
        let entities: Vec<EntityRecord> = scan_all(&store, kinds::ENTITY).expect("entities");
        let tolvania: Vec<&EntityRecord> =
            entities.iter().filter(|e| e.name == "Tolvania").collect();
        assert_eq!(
            tolvania.len(),
            1,
            "first_place={first_place}: {tolvania:#?}"
        );
        assert_eq!(tolvania[0].kind, storyline_link::actors::ActorKind::Place);
        assert_eq!(tolvania[0].articles, 2);
    }
}

#[test]
fn tolls_with_no_place_in_unrelated_stories_are_not_updates() {
    let store = MemStore::new();
    store
        .put_articles(&[
            article(
                "Floodwater swept through riverside villages after days of rain, and officials said at least 12 people had been killed by the floods.",
                Some("Wire"),
                Some("2025-03-01"),
            ),
            article(
                "A tunnel collapsed at a copper mine during the night shift, and the mining company said 30 workers had been killed in the collapse.",
                Some("Ledger"),
                Some("2025-03-04"),
            ),
        ])
        .expect("stored");
    let r = linked(&store);
    assert_eq!(r.new_stories, 2, "two unrelated stories: {r:?}");
    let f = findings(&store);
    assert!(
        !f.iter().any(|f| f.key.starts_with("figure|killed")),
        "a flood's toll and a mine's are not one figure: {f:#?}"
    );
    let claims: Vec<Claim> = scan_all(&store, kinds::CLAIM).expect("claims");
    assert!(claims.iter().all(|c| c.story.is_some()), "{claims:#?}");
}

#[test]
fn a_past_incident_is_placed_where_its_reports_put_it_not_in_the_scene() {
    let store = MemStore::new();
    let later = "Troops gathered in Peru on Thursday. Ministers met in Peru to discuss the border. At least 40 people were killed when raiders attacked on 3 March.";
    store
        .put_articles(&[
            article(
                "At least 40 people were killed in Chile when raiders attacked on 3 March, officials said.",
                Some("Wire"),
                Some("2025-03-04"),
            ),
            article(
                "The police said 38 people were killed in Chile when raiders attacked villages on 3 March.",
                Some("Ledger"),
                Some("2025-03-05"),
            ),
            article(
                "Villagers said 41 people were killed in Chile when raiders attacked on 3 March.",
                Some("Herald"),
                Some("2025-03-06"),
            ),
            article(later, Some("Post"), Some("2025-03-20")),
        ])
        .expect("stored");
    linked(&store);
    let toll = figure_starting(&store, "At least 40 people were killed when")
        .expect("the later article's toll");
    assert!(toll.place_inferred, "{toll:#?}");
    assert_eq!(toll.place.as_deref(), Some("Chile"), "{toll:#?}");
    assert!(toll.key.contains("|chile|"), "{}", toll.key);
    // Without the reports that name its place, the scene stands.
    let alone = MemStore::new();
    alone
        .put_articles(&[article(later, Some("Post"), Some("2025-03-20"))])
        .expect("stored");
    linked(&alone);
    let claims: Vec<Claim> = scan_all(&alone, kinds::CLAIM).expect("claims");
    let toll = claims
        .iter()
        .find(|c| c.kind == ClaimKind::Figure)
        .expect("the toll");
    assert_eq!(toll.place.as_deref(), Some("Peru"), "{toll:#?}");
}

#[test]
fn a_repeated_count_with_no_place_of_its_own_takes_the_place_its_reports_give() {
    // `place_by_same_count`: no day in the later sentence, only the count.
    let store = MemStore::new();
    let later = "Troops gathered in Peru on Thursday. Ministers met in Peru to discuss the border. Some 1,400 people are estimated to have been killed.";
    store
        .put_articles(&[
            article(
                "At least 1,400 people were killed in Chile, officials said.",
                Some("Wire"),
                Some("2025-03-04"),
            ),
            article(
                "The police said 1,400 people had been killed in Chile.",
                Some("Ledger"),
                Some("2025-03-05"),
            ),
            article(later, Some("Post"), Some("2025-03-20")),
        ])
        .expect("stored");
    linked(&store);
    let toll = figure_starting(&store, "Some 1,400").expect("the later article's toll");
    assert_eq!(toll.place.as_deref(), Some("Chile"), "{toll:#?}");
    assert!(toll.place_inferred, "still not the sentence's own place");
    // A small count is many quantities' value: it keeps the scene.
    let small = MemStore::new();
    small
        .put_articles(&[
            article(
                "At least 40 people were killed in Chile, officials said.",
                Some("Wire"),
                Some("2025-03-04"),
            ),
            article(
                "The police said 40 people had been killed in Chile.",
                Some("Ledger"),
                Some("2025-03-05"),
            ),
            article(
                "Troops gathered in Peru on Thursday. Ministers met in Peru to discuss the border. Some 40 people are estimated to have been killed.",
                Some("Post"),
                Some("2025-03-20"),
            ),
        ])
        .expect("stored");
    linked(&small);
    let toll = figure_starting(&small, "Some 40").expect("the later article's toll");
    assert_eq!(toll.place.as_deref(), Some("Peru"), "{toll:#?}");
}

#[test]
fn an_organisation_read_as_a_place_is_no_place() {
    // `place_is_no_actor`: the actor file knows Hamas as a group.
    let store = MemStore::new();
    store
        .put_articles(&[article(
            "More than 1,400 people were killed in Hamas attacks on the villages, officials said.",
            Some("Wire"),
            Some("2025-03-04"),
        )])
        .expect("stored");
    linked(&store);
    let toll = figure_starting(&store, "More than 1,400").expect("the toll");
    assert_ne!(toll.place.as_deref(), Some("Hamas"), "{toll:#?}");
}

#[test]
fn an_official_speaks_for_the_body_other_reports_name_them_an_official_of() {
    // `office_from_other_reports`: the second article never names his state.
    let store = MemStore::new();
    store
        .put_articles(&[
            article(
                "Talks resumed on Monday. US President Joe Biden said 20 Americans were missing.",
                Some("Wire"),
                Some("2025-03-04"),
            ),
            article(
                "Families waited at the airport. President Biden says more than 70 Americans were among the passengers.",
                Some("Ledger"),
                Some("2025-03-05"),
            ),
        ])
        .expect("stored");
    linked(&store);
    let claims: Vec<Claim> = scan_all(&store, kinds::CLAIM).expect("claims");
    let later = claims
        .iter()
        .find(|c| c.kind == ClaimKind::Figure && c.value == Some(70.0))
        .expect("the later count");
    assert_eq!(
        later.on_behalf_of.as_ref().map(|a| a.name.as_str()),
        Some("United States"),
        "{later:#?}"
    );
}
