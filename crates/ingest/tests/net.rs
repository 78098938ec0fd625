//! URLs against a local HTTP server: private addresses refused by default,
//! size cap, redirects, user agent, feeds with linked pages.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use storyline_core::{DateProvenance, InputFormat};
use storyline_ingest::{FetchOptions, IngestError, IngestOptions, Input};

const HTML: &str = include_str!("fixtures/html/article.html");

struct Server {
    base: String,
    user_agents: Arc<Mutex<Vec<String>>>,
}

fn respond(path: &str, base: &str) -> Vec<u8> {
    let (status, ctype, body): (&str, &str, Vec<u8>) = match path {
        "/page" => ("200 OK", "text/html; charset=utf-8", HTML.as_bytes().to_vec()),
        "/redirect" => {
            return format!("HTTP/1.1 302 Found\r\nLocation: {base}/page\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").into_bytes()
        }
        "/loop" => {
            return format!("HTTP/1.1 302 Found\r\nLocation: {base}/loop\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").into_bytes()
        }
        "/big" => ("200 OK", "text/plain", vec![b'a'; 200_000]),
        "/feed" => (
            "200 OK",
            "text/xml",
            format!(
                "<rss version=\"2.0\"><channel><title>Local Ledger</title>\
                 <item><title>Night buses</title><link>{base}/page</link><pubDate>Mon, 06 Nov 2023 09:00:00 GMT</pubDate><description>Short summary.</description></item>\
                 <item><title>Gone</title><link>{base}/missing</link><pubDate>Tue, 07 Nov 2023 09:00:00 GMT</pubDate><description>Another short summary of a story.</description></item>\
                 </channel></rss>"
            )
            .into_bytes(),
        ),
        "/data.jsonl" => ("200 OK", "application/octet-stream", b"{\"text\": \"One record over HTTP.\"}\n{\"text\": \"Two.\"}\n".to_vec()),
        _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let mut r = format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes();
    r.extend(body);
    r
}

fn server() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let user_agents = Arc::new(Mutex::new(Vec::new()));
    let (b, uas) = (base.clone(), user_agents.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let text = String::from_utf8_lossy(&req).to_string();
            let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
            if let Some(ua) = text.lines().find_map(|l| {
                l.strip_prefix("user-agent: ")
                    .or_else(|| l.strip_prefix("User-Agent: "))
            }) {
                uas.lock().unwrap().push(ua.to_string());
            }
            let _ = s.write_all(&respond(&path, &b));
        }
    });
    Server { base, user_agents }
}

fn allowed() -> IngestOptions {
    IngestOptions {
        fetch: FetchOptions {
            allow_private: true,
            timeout: Duration::from_secs(10),
            max_bytes: 100_000,
            ..FetchOptions::default()
        },
        ..opts()
    }
}

#[test]
fn private_addresses_are_refused_by_default() {
    let s = server();
    let (out, r) = input(&Input::Url(format!("{}/page", s.base)), &opts());
    let err = r.unwrap_err();
    assert!(matches!(err, IngestError::Fetch { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("refused") && msg.contains("127.0.0.1"),
        "{msg}"
    );
    assert!(out.articles.is_empty());
    assert!(
        s.user_agents.lock().unwrap().is_empty(),
        "no request may reach the server"
    );
}

#[test]
fn page_fetched_when_allowed_with_user_agent() {
    let s = server();
    let (out, r) = input(&Input::Url(format!("{}/page", s.base)), &allowed());
    r.unwrap();
    let a = out.one();
    assert_eq!(a.origin.format, InputFormat::Html);
    assert_eq!(a.url.as_deref(), Some(format!("{}/page", s.base).as_str()));
    assert!(a.text.contains("Night buses will run again"));
    let uas = s.user_agents.lock().unwrap();
    assert!(uas[0].starts_with("storyline/"), "{uas:?}");
}

#[test]
fn redirects_followed_and_bounded() {
    let s = server();
    let (out, r) = input(&Input::Url(format!("{}/redirect", s.base)), &allowed());
    r.unwrap();
    assert_eq!(
        out.one().url.as_deref(),
        Some(format!("{}/page", s.base).as_str())
    );
    let (_, r) = input(&Input::Url(format!("{}/loop", s.base)), &allowed());
    assert!(r.unwrap_err().to_string().contains("redirect"));
}

#[test]
fn size_cap_and_http_errors() {
    let s = server();
    let (out, r) = input(&Input::Url(format!("{}/big", s.base)), &allowed());
    r.unwrap();
    assert_eq!(
        out.problem_lines(),
        [format!(
            "{}/big: skipped: too large: more than 100000 bytes (raise the fetch size limit)",
            s.base
        )]
    );
    let (_, r) = input(&Input::Url(format!("{}/missing", s.base)), &allowed());
    assert_eq!(
        r.unwrap_err().to_string(),
        format!("{}/missing: HTTP status 404", s.base)
    );
    let (_, r) = input(&Input::Url("http://127.0.0.1:9/closed".into()), &allowed());
    assert!(r.is_err());
}

#[test]
fn non_html_urls_are_sniffed() {
    let s = server();
    let (out, r) = input(&Input::Url(format!("{}/data.jsonl", s.base)), &allowed());
    r.unwrap();
    assert_eq!(out.articles.len(), 2);
    assert_eq!(out.articles[0].origin.format, InputFormat::Jsonl);
}

#[test]
fn feed_url_with_linked_pages() {
    let s = server();
    let feed = Input::Url(format!("{}/feed", s.base));
    // Without following: summaries.
    let (out, r) = input(&feed, &allowed());
    r.unwrap();
    assert_eq!(out.articles.len(), 2);
    assert_eq!(out.articles[0].text, "Short summary.");
    assert_eq!(out.articles[0].source.as_deref(), Some("Local Ledger"));

    // Following links: the page replaces the summary; a failed link keeps it.
    let o = IngestOptions {
        follow_feed_links: true,
        ..allowed()
    };
    let (out, r) = input(&feed, &o);
    r.unwrap();
    assert_eq!(out.articles.len(), 2, "{:?}", out.problems);
    let a = &out.articles[0];
    assert!(a.text.contains("Night buses will run again"));
    assert_eq!(a.origin.format, InputFormat::Feed);
    assert_eq!(a.published.unwrap().to_string(), "2023-11-06T07:00:00Z");
    assert_eq!(a.published_provenance, DateProvenance::Metadata);
    let b = &out.articles[1];
    assert_eq!(b.text, "Another short summary of a story.");
    assert_eq!(b.published.unwrap().to_string(), "2023-11-07T09:00:00Z");
    assert_eq!(out.warnings().len(), 1);
    assert!(
        out.warnings()[0].reason.contains("HTTP status 404"),
        "{:?}",
        out.warnings()
    );
}
