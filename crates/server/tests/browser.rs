//! The web UI in a real browser: Debian's headless Chromium driven through
//! chromedriver (WebDriver over HTTP on loopback). Starts the server on
//! 127.0.0.1:0 over a temporary store, checks each page's key content is
//! displayed, clicks from the overview to the articles list to an article
//! and from the stories list to a story's timeline to an article,
//! and saves screenshots under `target/ui-screenshots/`.
//!
//! When Chromium or chromedriver is missing, the test installs them with
//! `apt-get install -y chromium chromium-driver` if it runs as root with apt
//! available, and otherwise skips with a message saying what to install.
//! Every wait is bounded.

mod common;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// WebDriver's key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

#[test]
fn pages_work_in_a_headless_browser() {
    if !browser_available() {
        return;
    }
    let shots = screenshot_dir();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (addr, _app) = rt.block_on(async {
        let app = App::new().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let router = app.router.clone();
        tokio::spawn(async move { axum::serve(listener, router).await });
        (addr, app)
    });
    let base = format!("http://{addr}");

    let driver = Driver::start();
    let b = driver.session();

    // Overview.
    b.go(&format!("{base}/"));
    assert_eq!(b.title(), "Overview · storyline");
    assert!(b.visible_text("h1").contains("What the store holds"));
    assert!(b.visible_text("dl.cards").contains("Articles"));
    assert!(b.visible_text("main").contains(BREACH));
    b.screenshot(&shots.join("home.png"));

    // Click through: overview → articles list → an article.
    b.click("a.button");
    assert_eq!(b.url(), format!("{base}/articles"));
    assert!(b.visible_text("main").contains("Articles 1–5 of 5"));
    let table = b.visible_text("table.articles");
    for t in [CONVOY, BREACH, UNDATED, XSS_TITLE] {
        assert!(table.contains(t), "{t} not shown in {table}");
    }
    b.screenshot(&shots.join("articles.png"));
    b.click_link_text(CONVOY);
    assert!(
        b.url().starts_with(&format!("{base}/articles/")),
        "{}",
        b.url()
    );
    assert_eq!(b.visible_text("h1"), CONVOY);
    let meta = b.visible_text("aside.meta");
    assert!(
        meta.contains("Ana Ruiz") && meta.contains("metadata"),
        "{meta}"
    );
    assert!(b
        .visible_text("article.text")
        .contains("relief convoy reached"));
    b.screenshot(&shots.join("article.png"));

    // The hostile title is text on the page, and no script ran (an alert
    // would block the session and make the next command fail).
    b.go(&format!(
        "{base}/articles?since=2024-03-04&until=2024-03-04"
    ));
    assert!(b.visible_text("table.articles").contains(XSS_TITLE));
    b.click_link_text(XSS_TITLE);
    assert_eq!(b.visible_text("h1"), XSS_TITLE);
    assert_eq!(b.title(), format!("{XSS_TITLE} · storyline"));
    b.screenshot(&shots.join("article-hostile.png"));

    // Search: the quick box in the header, then highlighted hits.
    b.go(&format!("{base}/"));
    let q = b.find("form.quick input[name=q]");
    b.type_into(&q, "ceasefire\n");
    wait_until(
        || b.url().contains("/search?q=ceasefire"),
        "the search page",
    );
    assert!(b
        .visible_text("main")
        .contains("3 articles match “ceasefire”, best first; showing 1–3."));
    assert_eq!(b.visible_text("ol.hits mark"), "ceasefire");
    b.screenshot(&shots.join("search.png"));

    // A narrow screen: the table scrolls inside its box, the page does not.
    b.window(390, 844);
    b.go(&format!("{base}/articles"));
    let page_width = b.script("return document.documentElement.scrollWidth");
    assert!(
        page_width.as_u64().unwrap_or(9999) <= 400,
        "page is {page_width}px wide on a phone"
    );
    b.screenshot(&shots.join("articles-narrow.png"));
    // The overview's chart fits a phone too: it scales, the page does not
    // scroll sideways, and its bars are drawn.
    b.go(&format!("{base}/"));
    let page_width = b.script("return document.documentElement.scrollWidth");
    assert!(
        page_width.as_u64().unwrap_or(9999) <= 400,
        "overview is {page_width}px wide on a phone"
    );
    let bars = b.script("return document.querySelectorAll('svg.chart rect.bar').length");
    assert_eq!(bars.as_u64(), Some(3), "one bar per day, 3 to 5 March");
    let chart_width = b.script(
        "return Math.round(document.querySelector('svg.chart').getBoundingClientRect().width)",
    );
    assert!(
        (200..=400).contains(&chart_width.as_u64().unwrap_or(0)),
        "the chart spans the phone's width: {chart_width}"
    );
    b.screenshot(&shots.join("home-narrow.png"));
    b.window(1280, 1000);

    // The linking views, over the linking fixtures (ingested, and so
    // linked, through the API).
    rt.block_on(async {
        let (status, v) = _app
            .send(
                axum::http::Method::POST,
                "/api/ingest",
                Some("application/json"),
                link_fixtures().to_string(),
            )
            .await
            .json();
        assert_eq!(status, axum::http::StatusCode::OK, "{v}");
    });

    // Findings: contradictions first, both claims side by side.
    b.go(&format!("{base}/findings"));
    assert_eq!(b.title(), "Findings · storyline");
    let contradictions = b.visible_text("section.findings-contradict");
    assert!(
        contradictions.contains("Contradictions") && contradictions.contains("150 people"),
        "{contradictions}"
    );
    let sides = b.visible_text("article.finding-contradict .sides");
    assert!(sides.contains("River Times"), "{sides}");
    assert!(b.visible_text("main").contains("Agreements"));
    // The hostile outlet is text, and no script ran.
    assert!(b.visible_text("main").contains("<b>Evil</b> Gazette"));
    b.screenshot(&shots.join("findings.png"));

    // Stances: the contested cell is marked; its statements open on click.
    b.go(&format!("{base}/stances"));
    assert_eq!(b.title(), "Stances · storyline");
    let table = b.visible_text("table.stances");
    assert!(
        table.contains("United States") && table.contains("ceasefire"),
        "{table}"
    );
    assert_eq!(
        b.visible_text("td.stance.contested .badge.contested"),
        "contested"
    );
    let entries = b.find("td.stance.contested ul.entries");
    assert_eq!(
        b.cmd("GET", &format!("/element/{entries}/displayed"), None),
        false,
        "statements start folded"
    );
    b.click("td.stance.contested details summary");
    let shown = b.visible_text("td.stance.contested ul.entries");
    assert!(shown.contains("Washington"), "{shown}");
    b.screenshot(&shots.join("stances.png"));
    // At 1,400 px and on a phone, the stances table stays inside the page.
    for (w, h) in [(1400, 1000), (390, 844)] {
        b.window(w, h);
        b.go(&format!("{base}/stances"));
        let page_width = b.script("return document.documentElement.scrollWidth");
        assert!(
            page_width.as_u64().unwrap_or(9999) <= u64::from(w) + 10,
            "the stances page is {page_width}px wide at {w}px"
        );
    }
    b.window(1280, 1000);

    // Entities: found by name through the form.
    b.go(&format!("{base}/entities"));
    let q = b.find("form.entity-search input[name=q]");
    b.type_into(&q, "united\n");
    wait_until(
        || b.url().contains("/entities?q=united"),
        "the entity search",
    );
    let found = b.visible_text("table.entities");
    assert!(found.contains("United States"), "{found}");
    assert!(b.visible_text("main").contains("named or called “united”"));
    b.screenshot(&shots.join("entities-search.png"));

    // Check: the form submits and evidence shows in two columns.
    b.go(&format!("{base}/check"));
    let q = b.find("form.check textarea[name=claim]");
    b.type_into(
        &q,
        "The regional health office said 312 people had been killed in Arden",
    );
    b.click("form.check button");
    wait_until(|| b.url().contains("/check?claim="), "the check page");
    assert!(b.visible_text("main").contains("Related articles"));
    b.visible_text("section.evidence-col.supporting");
    b.visible_text("section.evidence-col.contradicting");
    b.screenshot(&shots.join("check.png"));

    // Stories: the navigation → the stories list → a story and its
    // timeline → an article quoted on it.
    b.go(&format!("{base}/"));
    b.click(r#"header nav a[href="/stories"]"#);
    assert_eq!(b.url(), format!("{base}/stories"));
    assert_eq!(b.title(), "Stories · storyline");
    let table = b.visible_text("table.stories");
    assert!(table.contains("Arden"), "{table}");
    b.screenshot(&shots.join("stories.png"));
    b.click("table.stories td a");
    assert!(
        b.url().starts_with(&format!("{base}/stories/s")),
        "{}",
        b.url()
    );
    assert!(b.visible_text("main").contains("Timeline"));
    let timeline = b.visible_text("ol.timeline");
    assert!(timeline.contains("killed in Arden"), "{timeline}");
    let briefing = b.visible_text("div.briefing");
    assert!(briefing.contains("Key actors"), "{briefing}");
    b.screenshot(&shots.join("story.png"));
    b.click("ol.timeline p.source a");
    assert!(
        b.url().starts_with(&format!("{base}/articles/")),
        "{}",
        b.url()
    );
    b.visible_text("article.text");

    b.close();
    eprintln!("screenshots in {}", shots.display());
}

/// Whether Chromium and chromedriver are there, installing them if we can.
fn browser_available() -> bool {
    let present = || Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if present() {
        return true;
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let apt = Path::new("/usr/bin/apt-get").exists();
    if !(root && apt) {
        eprintln!(
            "SKIPPED pages_work_in_a_headless_browser: {CHROMIUM} or {CHROMEDRIVER} is missing; \
             install them with `apt-get install -y chromium chromium-driver` (as root) to run it"
        );
        return false;
    }
    eprintln!("installing chromium and chromium-driver with apt-get (once)...");
    let run = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let _ = run(&["update", "-q"]);
    if !run(&["install", "-y", "-q", "chromium", "chromium-driver"]) || !present() {
        eprintln!(
            "SKIPPED pages_work_in_a_headless_browser: `apt-get install chromium chromium-driver` failed"
        );
        return false;
    }
    true
}

fn screenshot_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("target"));
    let dir = target.join("ui-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

fn wait_until(mut ok: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A chromedriver process on a loopback port, killed on drop.
struct Driver {
    child: Child,
    url: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

impl Driver {
    fn start() -> Driver {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a: SocketAddr| a.port())
            .expect("free port");
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let driver = Driver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            agent,
            _profile: tempfile::tempdir().expect("profile dir"),
        };
        wait_until(
            || {
                driver
                    .agent
                    .get(format!("{}/status", driver.url))
                    .call()
                    .ok()
                    .and_then(|mut r| r.body_mut().read_to_string().ok())
                    .and_then(|s| serde_json::from_str::<Value>(&s).ok())
                    .is_some_and(|v| v["value"]["ready"] == true)
            },
            "chromedriver to start",
        );
        driver
    }

    fn session(&self) -> Session<'_> {
        let profile = self._profile.path().display().to_string();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "pageLoadStrategy": "normal",
            "timeouts": {"pageLoad": 30000, "script": 10000, "implicit": 0},
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1280,1000",
                    format!("--user-data-dir={profile}"),
                ]
            }
        }}});
        let v = self.call("POST", "/session", Some(caps));
        let id = v["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {v}"))
            .to_string();
        Session { driver: self, id }
    }

    /// One WebDriver command; returns its `value`, panicking on an error.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.url);
        let res = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("content-type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut res = res.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = res.status();
        let text = res
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_else(|e| panic!("{method} {path}: reading the answer: {e}"));
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        v["value"].clone()
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Session<'d> {
    driver: &'d Driver,
    id: String,
}

impl Session<'_> {
    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.driver
            .call(method, &format!("/session/{}{path}", self.id), body)
    }

    fn go(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn title(&self) -> String {
        self.cmd("GET", "/title", None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn find_by(&self, using: &str, value: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({ "using": using, "value": value })),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {value:?}: {v}"))
            .to_string()
    }

    fn find(&self, css: &str) -> String {
        self.find_by("css selector", css)
    }

    /// The element's rendered text, after checking it is displayed.
    fn visible_text(&self, css: &str) -> String {
        let e = self.find(css);
        let shown = self.cmd("GET", &format!("/element/{e}/displayed"), None);
        assert_eq!(shown, true, "{css} is not displayed");
        self.cmd("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn click(&self, css: &str) {
        let e = self.find(css);
        self.cmd("POST", &format!("/element/{e}/click"), None);
    }

    fn click_link_text(&self, text: &str) {
        let e = self.find_by("link text", text);
        self.cmd("POST", &format!("/element/{e}/click"), None);
    }

    fn type_into(&self, element: &str, text: &str) {
        let text = text.replace('\n', "\u{E007}"); // WebDriver's Enter key
        self.cmd(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn window(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        );
    }

    fn script(&self, js: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": js, "args": [] })),
        )
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.cmd("GET", "/screenshot", None);
        let png = base64_decode(b64.as_str().unwrap_or("")).expect("screenshot is base64");
        assert!(png.starts_with(b"\x89PNG"), "screenshot is not a PNG");
        std::fs::write(path, png).expect("write screenshot");
    }

    fn close(self) {
        self.cmd("DELETE", "", None);
    }
}

/// Standard base64 (WebDriver screenshots), without a dependency for it.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = s
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c)? << (18 - 6 * i);
        }
        let k = chunk.len().saturating_sub(1);
        out.extend_from_slice(&n.to_be_bytes()[1..1 + k]);
    }
    Some(out)
}
