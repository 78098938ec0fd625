//! The cross-document views through the JSON API: stories and timelines,
//! entities, claims, findings, stances and checking, over articles ingested (and so linked)
//! through `POST /api/ingest`; their validation, and hostile input.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};
use storyline_engine::Engine;
use storyline_store::MemStore;

fn items<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no array `{key}` in {v}"))
}

/// The id of the first entity whose name is `name`.
async fn entity_id(app: &App, name: &str) -> String {
    let (_, v) = app.get("/api/entities?limit=1000").await.json();
    items(&v, "entities")
        .iter()
        .find(|e| e["name"] == name)
        .and_then(|e| e["id"].as_str())
        .unwrap_or_else(|| panic!("no entity {name:?} in {v}"))
        .to_string()
}

#[tokio::test]
async fn ingest_links_and_reports_it() {
    let app = App::new().await;
    let (status, v) = app
        .send(
            Method::POST,
            "/api/ingest",
            Some("application/json"),
            link_fixtures().to_string(),
        )
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["inserted"], 7, "{v}");
    let link = &v["link"];
    assert_eq!(link["articles"], 7, "{v}");
    assert!(link["claims"].as_u64().unwrap_or(0) > 0, "{v}");
    assert!(v.get("link_error").is_none(), "{v}");
    // Sending the same again stores and links nothing new.
    let (_, v) = app
        .send(
            Method::POST,
            "/api/ingest",
            Some("application/json"),
            link_fixtures().to_string(),
        )
        .await
        .json();
    assert_eq!(v["already_present"], 7, "{v}");
    assert_eq!(v["link"]["articles"], 0, "{v}");
}

#[tokio::test]
async fn entities_list_filter_page_and_detail() {
    let app = App::with_links().await;
    let (status, v) = app.get("/api/entities").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["schema"], "storyline.entities/1");
    let total = v["total"].as_u64().expect("total");
    assert!(total >= 3, "{v}");
    assert_eq!(v["offset"], 0);
    assert_eq!(v["limit"], 50);
    let all = items(&v, "entities");
    let names: Vec<&str> = all.iter().filter_map(|e| e["name"].as_str()).collect();
    assert!(names.contains(&"United States"), "{names:?}");
    // Most widely reported first.
    let counts: Vec<u64> = all.iter().filter_map(|e| e["articles"].as_u64()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");

    let (_, v) = app.get("/api/entities?kind=country").await.json();
    assert!(!items(&v, "entities").is_empty(), "{v}");
    assert!(items(&v, "entities").iter().all(|e| e["kind"] == "country"));
    let (_, v) = app.get("/api/entities?kind=Organisation").await.json();
    assert!(items(&v, "entities")
        .iter()
        .all(|e| e["kind"] == "organization"));

    let (_, v) = app.get("/api/entities?limit=1").await.json();
    assert_eq!(items(&v, "entities").len(), 1);
    assert_eq!(v["next_offset"], 1);
    let (_, v) = app
        .get(&format!("/api/entities?limit=1&offset={}", total - 1))
        .await
        .json();
    assert_eq!(items(&v, "entities").len(), 1);
    assert_eq!(v["next_offset"], Value::Null);
    let (_, v) = app
        .get(&format!("/api/entities?offset={}", total + 10))
        .await
        .json();
    assert!(items(&v, "entities").is_empty());
    assert_eq!(v["next_offset"], Value::Null);

    let us = entity_id(&app, "United States").await;
    let (status, v) = app.get(&format!("/api/entities/{us}")).await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["schema"], "storyline.entity/1");
    assert_eq!(v["name"], "United States");
    assert_eq!(v["kind"], "country");
    assert!(v["aliases"].is_object(), "{v}");
}

#[tokio::test]
async fn entity_errors_are_json() {
    let app = App::with_links().await;
    let e = app
        .get("/api/entities?kind=planet")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    assert_eq!(e["parameter"], "kind");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("country, organization"),
        "{e}"
    );
    for bad in ["limit=0", "limit=1001", "limit=ten", "offset=-1"] {
        let e = app
            .get(&format!("/api/entities?{bad}"))
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(e["parameter"], bad.split('=').next().unwrap(), "{bad}");
    }
    let (status, _) = app.get("/api/entities?limit=1000").await.json();
    assert_eq!(status, StatusCode::OK, "limit 1000 is allowed");
    app.get("/api/entities?knd=person")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    let e = app
        .get("/api/entities/no-such-entity")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    assert!(e["message"].as_str().unwrap().contains("no-such-entity"));
    let long = "x".repeat(300);
    app.get(&format!("/api/entities/{long}"))
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_id");
    app.get("/api/entities/a%00b")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_id");
    // Markup in an id is only ever text in the message.
    let e = app
        .get("/api/entities/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    assert!(e["message"].as_str().unwrap().contains("<script>"));
}

/// Whether a claim names the entity in any role.
fn names(claim: &Value, id: &str) -> bool {
    ["claimant", "subject", "on_behalf_of", "object"]
        .iter()
        .any(|k| claim[k]["id"] == id)
}

#[tokio::test]
async fn claims_filter_by_kind_entity_and_article() {
    let app = App::with_links().await;
    let (status, v) = app.get("/api/claims").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["schema"], "storyline.claims/1");
    let all = items(&v, "claims");
    assert!(!all.is_empty());
    for c in all {
        let ev = &c["evidence"];
        assert!(
            ev["sentence"].as_str().is_some_and(|s| !s.is_empty()),
            "{c}"
        );
        assert!(ev["article"].as_str().is_some_and(|s| s.len() == 16), "{c}");
    }

    let (_, v) = app.get("/api/claims?kind=figure").await.json();
    let figures = items(&v, "claims");
    assert!(figures.len() >= 4, "{v}");
    assert!(figures.iter().all(|c| c["kind"] == "figure"));
    assert!(figures.iter().any(|c| c["value"] == 312.0), "{v}");

    let (_, v) = app.get("/api/claims?kind=stance").await.json();
    assert!(!items(&v, "claims").is_empty(), "no stance claims: {v}");

    let us = entity_id(&app, "United States").await;
    let (status, v) = app.get(&format!("/api/claims?entity={us}")).await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    let named = items(&v, "claims");
    assert!(!named.is_empty(), "{v}");
    assert!(named.iter().all(|c| names(c, &us)), "{v}");

    let low = app.id_of(TOLL_LOW).await;
    for given in [low.clone(), low[..8].to_string(), low.to_uppercase()] {
        let (status, v) = app
            .get(&format!("/api/claims?article={given}"))
            .await
            .json();
        assert_eq!(status, StatusCode::OK, "{v}");
        let mine = items(&v, "claims");
        assert!(!mine.is_empty(), "{v}");
        assert!(mine
            .iter()
            .all(|c| c["evidence"]["article"] == low.as_str()));
    }

    let (_, v) = app.get("/api/claims?limit=2").await.json();
    assert_eq!(items(&v, "claims").len(), 2);
    assert_eq!(v["next_offset"], 2);
}

#[tokio::test]
async fn claim_errors_are_json() {
    let app = App::with_links().await;
    let e = app
        .get("/api/claims?kind=rumour")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    assert_eq!(e["parameter"], "kind");
    let e = app
        .get("/api/claims?article=zz")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_id");
    assert_eq!(e["parameter"], "article");
    let e = app
        .get("/api/claims?article=0000000000000000")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(e["parameter"], "article");
    let e = app
        .get("/api/claims?entity=nobody-at-all")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(e["parameter"], "entity");
    let e = app
        .get(&format!("/api/claims?entity={}", "e".repeat(201)))
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    assert_eq!(e["parameter"], "entity");
    app.get("/api/claims?limit=5000")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    app.get("/api/claims?kind=figure&kind=event")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
}

#[tokio::test]
async fn findings_show_both_sides_with_evidence() {
    let app = App::with_links().await;
    let (status, v) = app.get("/api/findings").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["schema"], "storyline.findings/1");
    let counts = &v["counts"];
    for k in ["contradict", "update", "agree"] {
        assert!(counts[k].as_u64().unwrap_or(0) >= 1, "no {k} finding: {v}");
    }
    let all = items(&v, "findings");
    // Contradictions first, then updates, then agreements.
    let rank = |f: &Value| match f["kind"].as_str() {
        Some("contradict") => 0,
        Some("update") => 1,
        _ => 2,
    };
    assert!(all.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])), "{v}");
    for f in all {
        let sides = items(f, "claims");
        assert_eq!(sides.len(), 2, "{f}");
        assert_ne!(
            sides[0]["evidence"]["article"], sides[1]["evidence"]["article"],
            "{f}"
        );
        assert!(f["reason"].as_str().is_some_and(|r| !r.is_empty()));
    }
    // The low count contradicts the health office on the same day.
    assert!(
        all.iter().any(|f| f["kind"] == "contradict"
            && items(f, "claims").iter().any(|s| s["evidence"]["sentence"]
                .as_str()
                .is_some_and(|t| t.contains("150 people")))),
        "{v}"
    );

    let (_, v) = app.get("/api/findings?kind=update").await.json();
    let updates = items(&v, "findings");
    assert!(!updates.is_empty());
    assert!(updates.iter().all(|f| f["kind"] == "update"));
    assert_eq!(v["total"], updates.len());
    // Counts are before the kind filter.
    assert_eq!(v["counts"], *counts);

    let e = app
        .get("/api/findings?kind=maybe")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("contradict, revision, inconsistent, update, agree"));
    app.get("/api/findings?offset=x")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
}

#[tokio::test]
async fn storylines_hold_their_stories_and_nest() {
    let app = App::with_links().await;
    let (_, stories) = app.get("/api/stories?limit=1000").await.json();
    let (status, lines) = app.get("/api/storylines?limit=1000").await.json();
    assert_eq!(status, StatusCode::OK, "{lines}");
    let lines = items(&lines, "storylines");
    assert!(!lines.is_empty());
    let stories = items(&stories, "stories");
    // Fewer storylines than stories, and every article counted once.
    assert!(lines.len() <= stories.len());
    let total = |v: &[Value]| {
        v.iter()
            .map(|x| x["articles"].as_u64().unwrap_or(0))
            .sum::<u64>()
    };
    assert_eq!(total(lines), total(stories));
    for story in stories {
        let id = story["id"].as_str().expect("story id");
        let line = story["storyline"]
            .as_str()
            .expect("every story has a storyline");
        let holder = lines
            .iter()
            .find(|l| l["id"] == line)
            .unwrap_or_else(|| panic!("{line} of {id} is listed"));
        assert!(
            items(holder, "developments").iter().any(|d| d["id"] == id)
                || holder["development_count"].as_u64() > Some(25),
            "{line} lists {id}"
        );
    }
}

#[tokio::test]
async fn bad_storyline_listings_are_400_naming_the_parameter() {
    let app = App::with_links().await;
    let huge = "9".repeat(5_000);
    for (query, param) in [
        ("offset=x".to_string(), "offset"),
        ("offset=-1".to_string(), "offset"),
        ("limit=0".to_string(), "limit"),
        (format!("limit={huge}"), "limit"),
        ("limit=1&limit=2".to_string(), "limit"),
        ("%3Cscript%3E=1".to_string(), "<script>"),
    ] {
        let e = app
            .get(&format!("/api/storylines?{query}"))
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(e["parameter"], param, "{query}: {e}");
    }
    // An empty query and an offset past the end are fine: a page, maybe empty.
    let (status, v) = app.get("/api/storylines?").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = app.get("/api/storylines?offset=100000").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(items(&v, "storylines").is_empty(), "{v}");
}

#[tokio::test]
async fn findings_of_one_story_or_article() {
    let app = App::with_links().await;
    let (_, all) = app.get("/api/findings?limit=1000").await.json();
    let all = items(&all, "findings");
    let (_, stories) = app.get("/api/stories").await.json();
    let mut seen = 0;
    for story in items(&stories, "stories") {
        let id = story["id"].as_str().expect("story id");
        let members = items(story, "article_ids");
        let (status, v) = app
            .get(&format!("/api/findings?story={id}&limit=1000"))
            .await
            .json();
        assert_eq!(status, StatusCode::OK, "{v}");
        let found = items(&v, "findings");
        // Exactly the findings with a side in the story.
        let side_in_story = |f: &Value| {
            items(f, "claims")
                .iter()
                .any(|c| members.contains(&c["evidence"]["article"]))
        };
        assert_eq!(
            found.len(),
            all.iter().filter(|f| side_in_story(f)).count(),
            "{id}: {v}"
        );
        assert!(found.iter().all(side_in_story), "{v}");
        seen += found.len();
        // One of its articles, by prefix, inside and outside the story.
        if let Some(f) = found.first() {
            let article = items(f, "claims")
                .iter()
                .map(|c| c["evidence"]["article"].clone())
                .find(|a| members.contains(a))
                .expect("a side in the story");
            let prefix = &article.as_str().unwrap()[..8];
            let (status, one) = app
                .get(&format!("/api/findings?article={prefix}&limit=1000"))
                .await
                .json();
            assert_eq!(status, StatusCode::OK, "{one}");
            let mine = items(&one, "findings");
            assert!(!mine.is_empty());
            assert!(mine.iter().all(|f| items(f, "claims")
                .iter()
                .any(|c| c["evidence"]["article"] == article)));
            let (_, both) = app
                .get(&format!(
                    "/api/findings?story={id}&article={prefix}&limit=1000"
                ))
                .await
                .json();
            assert_eq!(items(&both, "findings").len(), mine.len(), "{both}");
        }
    }
    assert!(seen > 0, "no story has findings");
    let e = app
        .get("/api/findings?story=s999999")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(e["parameter"], "story", "{e}");
    let e = app
        .get("/api/findings?article=zz")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_id");
    assert_eq!(e["parameter"], "article", "{e}");
    let e = app
        .get("/api/findings?article=abcdef0123")
        .await
        .error(StatusCode::NOT_FOUND, "not_found");
    assert_eq!(e["parameter"], "article", "{e}");
}

#[tokio::test]
async fn stances_mark_contested_cells() {
    let app = App::with_links().await;
    let (status, v) = app.get("/api/stances").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["schema"], "storyline.stances/1");
    let rows = items(&v, "stances");
    let us = rows
        .iter()
        .find(|r| r["actor"] == "United States" && r["issue"] == "ceasefire")
        .unwrap_or_else(|| panic!("no US ceasefire cell: {v}"));
    assert_eq!(us["contested"], true, "{us}");
    assert!(items(us, "entries").len() >= 2);
    for e in items(us, "entries") {
        assert!(e["evidence"]["sentence"]
            .as_str()
            .is_some_and(|s| !s.is_empty()));
    }
    app.get("/api/stances?actor=x")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
}

#[tokio::test]
async fn check_by_get_and_post() {
    let app = App::with_links().await;
    let claim = "The regional health office said 312 people had been killed in Arden";
    let (status, v) = app
        .get(&format!("/api/check?claim={}", encode(claim)))
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["schema"], "storyline.check/1");
    assert_eq!(v["text"], claim);
    assert!(!items(&v, "claims").is_empty(), "nothing read: {v}");
    let supporting = items(&v, "supporting");
    let contradicting = items(&v, "contradicting");
    assert!(!supporting.is_empty() || !contradicting.is_empty(), "{v}");
    for s in supporting.iter().chain(contradicting) {
        assert!(s["evidence"]["sentence"]
            .as_str()
            .is_some_and(|t| !t.is_empty()));
    }
    assert!(!items(&v, "related").is_empty(), "{v}");
    // The verdict counts publishers as the independent sources.
    let verdict = v["verdict"].as_str().unwrap_or_default();
    assert!(
        verdict.starts_with("supported by ") && verdict.contains("independent publisher"),
        "{verdict}"
    );

    let (status, w) = app
        .send(
            Method::POST,
            "/api/check",
            Some("application/json"),
            json!({ "claim": claim }).to_string(),
        )
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{w}");
    assert_eq!(w["supporting"], v["supporting"]);
    assert_eq!(w["contradicting"], v["contradicting"]);

    // A toll that names no place the store knows is not held against
    // every toll of the store.
    let (status, v) = app
        .get(&format!(
            "/api/check?claim={}",
            encode("The Zorvath landslide killed 40 people")
        ))
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(
        v["verdict"]
            .as_str()
            .is_some_and(|t| t.starts_with("no comparable claims")),
        "{v}"
    );
    // A statement with nothing comparable still lists related articles.
    let (status, v) = app.get("/api/check?claim=bottled%20water").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(!items(&v, "related").is_empty(), "{v}");
}

/// Percent-encodes a query value.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[tokio::test]
async fn check_rejects_bad_claims_with_json() {
    let app = App::with_links().await;
    for (uri, why) in [
        ("/api/check", "missing"),
        ("/api/check?claim=", "blank"),
        ("/api/check?claim=%20%20", "blank"),
        ("/api/check?claim=a%00b", "control character"),
        ("/api/check?claim=a%1Bb", "control character"),
        // At the end too, where trimming would have hidden it.
        ("/api/check?claim=yyU%0B", "control character"),
    ] {
        let e = app
            .get(uri)
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(e["parameter"], "claim", "{uri}");
        assert!(e["message"].as_str().unwrap().contains(why), "{uri}: {e}");
    }
    let long = "a".repeat(2001);
    let e = app
        .get(&format!("/api/check?claim={long}"))
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    assert!(e["message"].as_str().unwrap().contains("2001 characters"));
    // 60 KB in the query string (about the most a URI can hold: `http`
    // refuses longer ones before the server sees them; the 1 MB case is the
    // POST below): refused without being checked, and the message does not
    // echo it.
    let huge = "b".repeat(60_000);
    let a = app.get(&format!("/api/check?claim={huge}")).await;
    let e = a.error(StatusCode::BAD_REQUEST, "invalid_parameter");
    assert!(a.body.len() < 2000, "the error echoes the claim");
    assert!(e["message"].as_str().unwrap().contains("characters long"));
    // Exactly the limit is fine.
    let (status, _) = app
        .get(&format!(
            "/api/check?claim={}",
            "word ".repeat(400).trim().replace(' ', "+")
        ))
        .await
        .json();
    assert_eq!(status, StatusCode::OK);
    app.get("/api/check?claim=x&q=y")
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");

    let post = |ctype: Option<&'static str>, body: String| {
        let app = &app;
        async move { app.send(Method::POST, "/api/check", ctype, body).await }
    };
    post(
        Some("application/json"),
        json!({ "claim": "c".repeat(1 << 20) }).to_string(),
    )
    .await
    .error(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    post(
        Some("application/json"),
        json!({ "claim": "d".repeat(3000) }).to_string(),
    )
    .await
    .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    post(Some("application/json"), "{\"claim\": ".into())
        .await
        .error(StatusCode::BAD_REQUEST, "malformed_json");
    post(Some("application/json"), json!({ "claim": 5 }).to_string())
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_json");
    post(
        Some("application/json"),
        json!({ "claim": "x", "extra": 1 }).to_string(),
    )
    .await
    .error(StatusCode::BAD_REQUEST, "invalid_json");
    post(Some("application/json"), json!({}).to_string())
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_json");
    post(Some("application/json"), json!({ "claim": "" }).to_string())
        .await
        .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    post(
        Some("application/json"),
        json!({ "claim": "nul\u{0}here" }).to_string(),
    )
    .await
    .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    post(
        Some("application/json"),
        json!({ "claim": "yyU\u{b}" }).to_string(),
    )
    .await
    .error(StatusCode::BAD_REQUEST, "invalid_parameter");
    post(Some("text/plain"), "a claim".into())
        .await
        .error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    post(None, "a claim".into())
        .await
        .error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    app.send(Method::PUT, "/api/check", None, "x")
        .await
        .error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}

#[tokio::test]
async fn hostile_claims_come_back_as_data() {
    let app = App::with_links().await;
    for claim in [
        "<script>alert(1)</script> 312 people were killed in Arden",
        "\u{202E}312 people were killed in Arden\u{202C} \u{2067}ceasefire\u{2069}",
        "\"; DROP TABLE articles; -- AND OR NOT (( \"",
        "ceasefire* OR title:x^9 \\ {} [] ~ :",
        "🙂 çà 日本語 ceasefire",
    ] {
        let (status, v) = app
            .send(
                Method::POST,
                "/api/check",
                Some("application/json"),
                json!({ "claim": claim }).to_string(),
            )
            .await
            .json();
        assert_eq!(status, StatusCode::OK, "{claim}: {v}");
        assert_eq!(v["text"], claim.trim(), "{claim}");
        let (status, w) = app
            .get(&format!("/api/check?claim={}", encode(claim)))
            .await
            .json();
        assert_eq!(status, StatusCode::OK, "{claim}: {w}");
        assert_eq!(w["text"], v["text"]);
    }
}

#[tokio::test]
async fn an_empty_store_has_empty_views() {
    let app = App::empty(common::open()).await;
    for (uri, key) in [
        ("/api/stories", "stories"),
        ("/api/storylines", "storylines"),
        ("/api/entities", "entities"),
        ("/api/claims", "claims"),
        ("/api/findings", "findings"),
        ("/api/stances", "stances"),
    ] {
        let (status, v) = app.get(uri).await.json();
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
        assert!(items(&v, key).is_empty(), "{uri}: {v}");
    }
    let (status, v) = app.get("/api/check?claim=anything").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(items(&v, "related").is_empty());
}

#[tokio::test]
async fn views_over_an_in_memory_store() {
    let app = App::over(Engine::with_store(Box::new(MemStore::new())));
    let (status, v) = app
        .send(
            Method::POST,
            "/api/ingest",
            Some("application/json"),
            link_fixtures().to_string(),
        )
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{v}");
    // Ingest linked everything already.
    let report = app.engine.link(|_| {}).expect("links");
    assert_eq!(report.articles, 0, "{report:?}");
    let (_, v) = app.get("/api/findings?kind=contradict").await.json();
    assert!(!items(&v, "findings").is_empty(), "{v}");
    let (_, v) = app.get("/api/stances").await.json();
    assert!(!items(&v, "stances").is_empty(), "{v}");
}

/// The story that holds this article.
async fn story_of(app: &App, article: &str) -> Value {
    let (_, v) = app.get("/api/stories?limit=1000").await.json();
    items(&v, "stories")
        .iter()
        .find(|s| items(s, "article_ids").iter().any(|a| a == article))
        .cloned()
        .unwrap_or_else(|| panic!("no story holds {article}: {v}"))
}

#[tokio::test]
async fn stories_list_page_detail_and_timeline() {
    let app = App::with_links().await;
    let (status, v) = app.get("/api/stories").await.json();
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["schema"], "storyline.stories/1");
    assert_eq!(v["offset"], 0);
    assert_eq!(v["limit"], 50);
    let stories = items(&v, "stories");
    assert!(!stories.is_empty(), "{v}");
    assert_eq!(v["total"].as_u64(), Some(stories.len() as u64));
    // Largest first.
    let sizes: Vec<u64> = stories
        .iter()
        .map(|s| s["articles"].as_u64().unwrap())
        .collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    // Paging.
    let (_, p) = app.get("/api/stories?limit=1").await.json();
    assert_eq!(items(&p, "stories").len(), 1);
    assert_eq!(p["stories"][0]["id"], stories[0]["id"]);
    if stories.len() > 1 {
        assert_eq!(p["next_offset"], 1);
        let (_, q) = app.get("/api/stories?limit=1&offset=1").await.json();
        assert_eq!(q["stories"][0]["id"], stories[1]["id"]);
    } else {
        assert!(p["next_offset"].is_null());
    }

    // One story, by `s<n>` and by `<n>`.
    let id = stories[0]["id"].as_str().unwrap();
    let (status, s) = app.get(&format!("/api/stories/{id}")).await.json();
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["schema"], "storyline.story/1");
    assert_eq!(s["id"], id);
    assert_eq!(s["article_ids"], stories[0]["article_ids"]);
    // Its summary, the same in the listing and the story, each sentence
    // one of its articles' and pointing at it.
    assert_eq!(s["summary"], stories[0]["summary"]);
    let summary = items(&s, "summary");
    assert!(!summary.is_empty() && summary.len() <= 3, "{s}");
    for x in summary {
        assert!(items(&s, "article_ids").contains(&x["article"]), "{x}");
        let (_, a) = app
            .get(&format!("/api/articles/{}", x["article"].as_str().unwrap()))
            .await
            .json();
        let text = a["text"].as_str().unwrap();
        let span = &x["span"];
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(text[start..end].trim(), x["text"].as_str().unwrap(), "{x}");
    }
    let (status, t) = app
        .get(&format!("/api/stories/{}", id.trim_start_matches('s')))
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{t}");
    assert_eq!(t["id"], id);

    // Its briefing: the same story, and every figure row sourced to an article.
    let (status, b) = app.get(&format!("/api/stories/{id}/brief")).await.json();
    assert_eq!(status, StatusCode::OK, "{b}");
    assert_eq!(b["schema"], "storyline.brief/2");
    assert_eq!(b["story"]["id"], id);
    for q in items(&b, "figures") {
        for row in items(q, "rows") {
            assert!(!row["sentence"].as_str().unwrap().is_empty(), "{row}");
        }
    }
    let (status, _) = app.get("/api/stories/s999999/brief").await.json();
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Its quotes, each from one of its articles, and the speaker filter.
    let (status, q) = app.get(&format!("/api/quotes?story={id}")).await.json();
    assert_eq!(status, StatusCode::OK, "{q}");
    assert_eq!(q["schema"], "storyline.quotes/1");
    let quotes = items(&q, "quotes");
    for x in quotes {
        assert!(items(&s, "article_ids").contains(&x["article"]), "{x}");
        assert!(x["end"].as_u64() > x["start"].as_u64(), "{x}");
    }
    if let Some(name) = quotes
        .iter()
        .find_map(|x| x["speaker"].as_str().filter(|s| !s.is_empty()))
    {
        let (_, f) = app
            .get(&format!(
                "/api/quotes?story={id}&speaker={}",
                name.replace(' ', "%20")
            ))
            .await
            .json();
        let found = items(&f, "quotes");
        assert!(!found.is_empty(), "{f}");
        assert!(found.len() <= quotes.len());
    }
    let (status, _) = app.get("/api/quotes?story=s999999").await.json();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.get("/api/quotes?article=xyz").await.json();
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The speaker is a name to look for, as documented: at most 200
    // characters of plain text.
    for bad in ["a".repeat(201), "Ma%1Bry".to_string()] {
        let e = app
            .get(&format!("/api/quotes?speaker={bad}"))
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(e["parameter"], "speaker", "{bad}: {e}");
    }
    let (status, _) = app
        .get(&format!("/api/quotes?speaker={}", "a".repeat(200)))
        .await
        .json();
    assert_eq!(status, StatusCode::OK);
    let (status, all) = app.get("/api/quotes?limit=5").await.json();
    assert_eq!(status, StatusCode::OK, "{all}");
    assert!(items(&all, "quotes").len() <= 5);

    // Figures are the figure claims.
    let (status, f) = app.get("/api/figures").await.json();
    assert_eq!(status, StatusCode::OK, "{f}");
    assert!(
        items(&f, "claims").iter().all(|c| c["kind"] == "figure"),
        "{f}"
    );
    let (status, _) = app.get("/api/figures?kind=event").await.json();
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "kind is not a figures parameter"
    );

    // Its timeline: dated entries in order, sentences sourced to its articles.
    let (status, t) = app.get(&format!("/api/stories/{id}/timeline")).await.json();
    assert_eq!(status, StatusCode::OK, "{t}");
    assert_eq!(t["schema"], "storyline.timeline/1");
    assert_eq!(t["story"]["id"], id);
    let entries = items(&t, "entries");
    assert!(entries.len() <= 12, "{t}");
    let dates: Vec<&str> = entries
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] < w[1]), "{dates:?}");
    let members = items(&s, "article_ids");
    for e in entries {
        let sentences = items(e, "sentences");
        assert!(sentences.len() <= 2, "{e}");
        for x in sentences {
            assert!(members.contains(&x["article"]), "{x}");
            assert!(!x["text"].as_str().unwrap().is_empty(), "{x}");
            assert!(
                x["span"]["end"].as_u64() > x["span"]["start"].as_u64(),
                "{x}"
            );
        }
    }
    let (status, t1) = app
        .get(&format!("/api/stories/{id}/timeline?dates=1&sentences=1"))
        .await
        .json();
    assert_eq!(status, StatusCode::OK, "{t1}");
    assert!(items(&t1, "entries").len() <= 1, "{t1}");
    for e in items(&t1, "entries") {
        assert!(items(e, "sentences").len() <= 1, "{e}");
    }
    let (status, _) = app
        .get(&format!("/api/stories/{id}/timeline?dates=50&sentences=5"))
        .await
        .json();
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn story_errors_are_json() {
    let app = App::with_links().await;
    for bad in ["limit=0", "limit=1001", "limit=ten", "offset=-1", "kind=x"] {
        let e = app
            .get(&format!("/api/stories?{bad}"))
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(e["parameter"], bad.split('=').next().unwrap(), "{bad}");
    }
    for id in [
        "s999999",
        "999999",
        "x",
        "s",
        "s-1",
        "%3Cscript%3E",
        "s1%00",
    ] {
        let e = app
            .get(&format!("/api/stories/{id}"))
            .await
            .error(StatusCode::NOT_FOUND, "not_found");
        assert!(e["message"].as_str().unwrap().contains("no story"), "{e}");
        app.get(&format!("/api/stories/{id}/timeline"))
            .await
            .error(StatusCode::NOT_FOUND, "not_found");
    }
    let (_, v) = app.get("/api/stories?limit=1").await.json();
    let id = v["stories"][0]["id"].as_str().unwrap().to_string();
    for bad in [
        "dates=0",
        "dates=51",
        "dates=many",
        "sentences=0",
        "sentences=6",
        "sentences=-1",
        "limit=3",
    ] {
        let e = app
            .get(&format!("/api/stories/{id}/timeline?{bad}"))
            .await
            .error(StatusCode::BAD_REQUEST, "invalid_parameter");
        assert_eq!(e["parameter"], bad.split('=').next().unwrap(), "{bad}");
    }
}

#[tokio::test]
async fn hostile_stories_come_back_as_data() {
    let app = App::with_links().await;
    let planted = plant_hostile_linked_article(&app.engine);
    let story = story_of(&app, &planted).await;
    let id = story["id"].as_str().unwrap();
    let (status, t) = app.get(&format!("/api/stories/{id}/timeline")).await.json();
    assert_eq!(status, StatusCode::OK, "{t}");
    for e in items(&t, "entries") {
        for x in items(e, "sentences") {
            if x["article"] == planted.as_str() {
                assert_eq!(x["outlet"], "<b>Evil</b> Gazette", "{x}");
            }
        }
    }
}
