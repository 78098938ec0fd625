//! Shared fixtures: a temporary store filled through the API itself.
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use storyline_engine::Engine;
use storyline_server::{router, IngestAccess, ServerConfig};
use tower::ServiceExt;

/// Titles of the fixture articles.
pub const CONVOY: &str = "Relief convoy reaches the flooded valley";
pub const BREACH: &str = "Dam operators warn of a second breach";
pub const UNDATED: &str = "Residents count the cost";
pub const XSS_TITLE: &str = "<script>alert(1)</script>";

/// The fixture articles, as one JSON array for `POST /api/ingest`.
pub fn fixtures() -> Value {
    json!([
        {
            "title": CONVOY,
            "text": "ARDEN, March 3 (Harbour Wire) - A relief convoy reached the flooded valley on Sunday, officials said.\n\nAid groups called for a ceasefire between the river militias so that more trucks could pass the checkpoints before nightfall.\n\nThe convoy carried water, blankets and medicine for about 4,000 people.",
            "date": "2024-03-03",
            "url": "https://example.org/news/relief-convoy",
            "source": "Harbour Wire",
            "author": "Ana Ruiz",
            "lang": "en"
        },
        {
            "title": BREACH,
            "text": "Engineers at the upper dam said on Tuesday that cracks had widened overnight and that a second breach could not be ruled out.\n\nThe regional governor ordered the evacuation of three more villages downstream.",
            "date": "2024-03-05",
            "url": "https://example.org/news/second-breach",
            "source": "River Times",
            "author": "Tom Ng"
        },
        {
            "title": UNDATED,
            "text": "Farmers in the lower valley say the water destroyed most of this year's harvest and that compensation promised by the ministry has not arrived.\n\nSome families have moved in with relatives in the hills.",
            "source": "Valley Voice"
        },
        {
            "title": XSS_TITLE,
            "text": "<script>alert(\"body\")</script> Officials <img src=x onerror=alert(2)> denied the report & said \"nothing\" happened.\n\n<a href=\"javascript:alert(3)\">click</a> for the ceasefire statement.",
            "date": "2024-03-04",
            "url": "javascript:alert(4)",
            "source": "<b>Evil</b> Gazette",
            "author": "<i>Mallory</i>"
        },
        {
            "title": "Convoy reaches valley, officials say",
            "text": "ARDEN, March 3 (Harbour Wire) - A relief convoy reached the flooded valley on Sunday, officials said.\n\nAid groups called for a ceasefire between the river militias so that more trucks could pass the checkpoints before nightfall.\n\nThe convoy carried water, blankets and medicine for about 4,000 people, the agency said.",
            "source": "Daily Courier"
        }
    ])
}

/// Titles of the linking fixtures.
pub const TALKS: &str = "Envoy presses for a ceasefire in Cairo";
pub const REJECTS: &str = "Washington cool on a full truce";
pub const TOLL_EARLY: &str = "Flood toll in Arden rises to 312";
pub const TOLL_AGREE: &str = "Health office confirms 312 deaths";
pub const TOLL_LOW: &str = "Rescuers give a lower toll";
pub const TOLL_LATER: &str = "Arden toll climbs again";
/// A linking fixture whose every field is markup.
pub const LINK_XSS_TITLE: &str = "<script>alert('link')</script>";

/// Articles written for the linking views: a stance reported both ways
/// (contested), a toll that independent outlets agree on, contradict and
/// later update, and one hostile article whose sentence ends up in a finding.
pub fn link_fixtures() -> Value {
    json!([
        {
            "title": TALKS,
            "text": "US Secretary of State Maria Delgado arrived in Cairo on Thursday for a second round of talks. Delgado called for an immediate ceasefire in the region. Israeli Prime Minister Daniel Harel rejected the idea unless the hostages are released.",
            "date": "2024-05-09",
            "source": "Harbour Wire"
        },
        {
            "title": REJECTS,
            "text": "Washington has dismissed calls from several nations for a full ceasefire, but wants short pauses in the fighting to let aid in. Diplomats met again in Cairo.",
            "date": "2024-05-09",
            "source": "River Times"
        },
        {
            "title": TOLL_EARLY,
            "text": "The regional health office said at least 312 people have been killed in Arden since the floods began. Roads to the valley remain closed.",
            "date": "2024-05-10",
            "source": "Harbour Wire"
        },
        {
            "title": TOLL_AGREE,
            "text": "The regional health office said on Friday that 312 people had been killed in Arden. Volunteers were handing out bottled water.",
            "date": "2024-05-10",
            "source": "Valley Voice"
        },
        {
            "title": TOLL_LOW,
            "text": "Rescue teams said 150 people had been killed in Arden, far fewer than other counts. Teams are still searching the lower villages.",
            "date": "2024-05-10",
            "source": "River Times"
        },
        {
            "title": TOLL_LATER,
            "text": "The regional health office said 420 people had been killed in Arden as more bodies were found downstream.",
            "date": "2024-05-13",
            "source": "Valley Voice"
        },
        {
            "title": LINK_XSS_TITLE,
            "text": "<script>alert(\"sentence\")</script> The <b>gazette</b> said 99 people had been killed in Arden, <img src=x onerror=alert(1)>.",
            "date": "2024-05-10",
            "source": "<b>Evil</b> Gazette"
        }
    ])
}

/// The title of an article written straight into the store, every field
/// hostile, so the pages' escaping is tested whatever ingest strips.
pub const PLANTED_TITLE: &str = "<script>alert('planted')</script>";

/// Stores [`PLANTED_TITLE`]: markup and a `javascript:` URL in every field.
pub fn plant_hostile_article(engine: &Engine) -> String {
    use storyline_core::*;
    let text = "<script>alert(\"text\")</script>\n\n<img src=x onerror=alert(5)> «quoted» & more <b>bold</b> ceasefire.";
    let mut draft = ArticleDraft::new(text);
    draft.title = Some(PLANTED_TITLE.into());
    draft.url = Some("javascript:alert(6)".into());
    draft.canonical_url = Some("\"><script>alert(7)</script>".into());
    draft.source = Some("<b>Evil</b> Gazette".into());
    draft.authors = vec!["<i>Mallory</i>".into()];
    draft.dateline = Some(Dateline {
        place: "<script>PLACE</script>".into(),
        agency: Some("<img src=y onerror=alert(8)>".into()),
        date_text: Some("<b>Nov 9</b>".into()),
        span: Span::new(0, 0),
    });
    draft.published = Some(Timestamp::parse("2024-03-04").unwrap());
    draft.published_provenance = DateProvenance::Metadata;
    draft.published_evidence = Some("<script>evidence</script>".into());
    draft.published_confidence = 1.0;
    draft.language = Some("<x>".into());
    draft.date_candidates = vec![DateCandidate {
        raw: "<script>raw</script>".into(),
        provenance: DateProvenance::Url,
        evidence: "<img src=z onerror=alert(9)>".into(),
        rejected_because: "<script>because</script>".into(),
    }];
    draft.origin.location = Location::source("<script>origin</script>");
    store_draft(engine, draft)
}

/// How the planted linked article's markup must appear on a page.
pub const PLANTED_SENTENCE_ESCAPED: &str =
    "&lt;script&gt;alert(&quot;sentence&quot;)&lt;/script&gt; The &lt;b&gt;gazette&lt;/b&gt; said 99 people had been killed in Arden";

/// Stores an article (no analysis) whose text is markup around a figure,
/// from an outlet named in markup, then links the store (which analyses
/// it first), so that its sentence reaches claims and findings as written.
/// Returns its id.
pub fn plant_hostile_linked_article(engine: &Engine) -> String {
    use storyline_core::*;
    let text = "<script>alert(\"sentence\")</script> The <b>gazette</b> said 99 people had been killed in Arden <img src=x onerror=alert(1)>.\n\nThe <i>count</i> is disputed.";
    let id = ArticleId::for_text(text);
    let mut draft = ArticleDraft::new(text);
    draft.title = Some("<script>alert('planted link')</script>".into());
    draft.source = Some("<b>Evil</b> Gazette".into());
    draft.published = Some(Timestamp::parse("2024-05-10").unwrap());
    draft.published_provenance = DateProvenance::Metadata;
    draft.published_confidence = 1.0;
    store_draft_at(engine, draft, "2024-05-10T10:00:00Z");
    let report = engine.link(|_| {}).expect("link");
    assert_eq!(report.articles, 1, "{report:?}");
    id.to_string()
}

/// The default configuration with ingest open to anyone, as the tests
/// that ingest need (the default switches ingest off).
pub fn open() -> ServerConfig {
    ServerConfig {
        ingest: IngestAccess::Open,
        ..ServerConfig::default()
    }
}

/// A router over a fresh store holding the fixtures.
pub struct App {
    pub router: Router,
    pub engine: Arc<Engine>,
    _dir: tempfile::TempDir,
}

impl App {
    pub async fn new() -> App {
        App::with_config(open()).await
    }

    pub async fn with_config(config: ServerConfig) -> App {
        let app = App::empty(open()).await;
        let (status, body) = app
            .send(
                Method::POST,
                "/api/ingest",
                Some("application/json"),
                fixtures().to_string(),
            )
            .await
            .json();
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["inserted"], 5, "{body}");
        App {
            router: router(app.engine.clone(), config),
            ..app
        }
    }

    /// [`App::new`] plus the [`link_fixtures`], ingested (and so linked)
    /// through the API.
    pub async fn with_links() -> App {
        let app = App::new().await;
        let (status, body) = app
            .send(
                Method::POST,
                "/api/ingest",
                Some("application/json"),
                link_fixtures().to_string(),
            )
            .await
            .json();
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["inserted"], 7, "{body}");
        assert!(body["link"]["articles"].as_u64() >= Some(7), "{body}");
        app
    }

    /// A router over an engine built elsewhere (a `MemStore` in tests).
    pub fn over(engine: Engine) -> App {
        let engine = Arc::new(engine);
        App {
            router: router(engine.clone(), open()),
            engine,
            _dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A router over an empty store.
    pub async fn empty(config: ServerConfig) -> App {
        let dir = tempfile::tempdir().expect("temp dir");
        let engine = Arc::new(Engine::open(dir.path()).expect("open store"));
        App {
            router: router(engine.clone(), config),
            engine,
            _dir: dir,
        }
    }

    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        content_type: Option<&str>,
        body: impl Into<Body>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let req = req.body(body.into()).expect("request");
        self.request(req).await
    }

    pub async fn request(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.expect("infallible");
        let status = res.status();
        let headers = res.headers().clone();
        let body = axum::body::to_bytes(res.into_body(), 64 * 1024 * 1024)
            .await
            .expect("body");
        Answer {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.send(Method::GET, uri, None, Body::empty()).await
    }

    /// A GET as a browser sends it.
    pub async fn page(&self, uri: &str) -> Answer {
        let req = Request::get(uri)
            .header(header::ACCEPT, "text/html,application/xhtml+xml")
            .body(Body::empty())
            .expect("request");
        self.request(req).await
    }

    /// The id of the article with this title.
    pub async fn id_of(&self, title: &str) -> String {
        let (_, body) = self.get("/api/articles?limit=500").await.json();
        body["articles"]
            .as_array()
            .expect("articles")
            .iter()
            .find(|a| a["title"] == title)
            .and_then(|a| a["id"].as_str())
            .unwrap_or_else(|| panic!("no article titled {title:?}"))
            .to_string()
    }
}

/// A response, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Answer {
    pub fn json(&self) -> (StatusCode, Value) {
        let v = serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}), status {}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        });
        (self.status, v)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn content_type(&self) -> String {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    /// Asserts a JSON error with this status and code; returns the error object.
    pub fn error(&self, status: StatusCode, code: &str) -> Value {
        let (s, v) = self.json();
        assert_eq!(s, status, "{v}");
        assert_eq!(v["error"]["code"], code, "{v}");
        assert!(
            v["error"]["message"].as_str().is_some_and(|m| m.len() > 10),
            "{v}"
        );
        v["error"].clone()
    }
}

/// Polls `GET /api/jobs/{id}` until the job is done (at most 120 s) and
/// returns its last view.
pub async fn wait_for_job(app: &App, id: &str) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let (status, v) = app.get(&format!("/api/jobs/{id}")).await.json();
        assert_eq!(status, StatusCode::OK, "{v}");
        if v["status"].is_number() || std::time::Instant::now() > deadline {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Stores an article with this text straight into the store (no analysis,
/// no size checks of ingest); returns its id.
pub fn plant_article(engine: &Engine, text: &str) -> String {
    let mut draft = storyline_core::ArticleDraft::new(text);
    draft.title = Some("Planted".into());
    store_draft(engine, draft)
}

/// Writes a draft straight into the store as an article of its own text
/// (no analysis, no checks of ingest); returns its id.
fn store_draft(engine: &Engine, draft: storyline_core::ArticleDraft) -> String {
    store_draft_at(engine, draft, "2024-03-04T10:00:00Z")
}

/// [`store_draft`], ingested at `ingested_at`.
fn store_draft_at(
    engine: &Engine,
    draft: storyline_core::ArticleDraft,
    ingested_at: &str,
) -> String {
    use storyline_core::*;
    let text = draft.text.as_str();
    let id = ArticleId::for_text(text);
    let article = Article {
        id: id.clone(),
        content_hash: content_hash(text),
        duplicate_group: id.clone(),
        duplicate_similarity: 1.0,
        ingested_at: Timestamp::parse(ingested_at).unwrap(),
        draft,
    };
    engine
        .store()
        .put_articles(&[storyline_store::NewArticle {
            article,
            minhash: Vec::new(),
            lsh_bands: Vec::new(),
            analysis: None,
        }])
        .expect("plant");
    id.to_string()
}
