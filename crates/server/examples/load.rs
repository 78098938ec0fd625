//! Measures the server's bounds on loopback, for `docs/RELIABILITY.md`.
//! The server runs in this process on 127.0.0.1:0 (never another address);
//! every loop is bounded in count and time and stops by itself.
//!
//! ```text
//! storyline --data-dir /tmp/sl-demo demo --quiet
//! cargo run -p storyline-server --example load -- /tmp/sl-demo classes [SECS] [CLIENTS]
//! cargo run -p storyline-server --example load -- /tmp/sl-demo slow [CONNECTIONS]
//! cargo run -p storyline-server --example load -- /tmp/sl-empty ingest [BODIES] [MIB] [QUEUE]
//! ```
//!
//! - `classes`: CLIENTS (default 64) keep-alive clients request
//!   `/api/findings` as fast as they can for SECS (default 10) while one
//!   probe asks `/api/stats` every 20 ms; prints the probe's latencies and
//!   what the flood got, with the default limits and then with the class
//!   limits lifted (the behaviour before them).
//! - `slow`: opens CONNECTIONS (default 10,000) that each send half a
//!   request head and stop; prints how many the server kept and refused,
//!   the descriptors it held, what a new client got during the flood, and
//!   how long until one was served again.
//! - `ingest`: BODIES (default 20) concurrent ingests of MIB (default 9)
//!   MiB each into a queue of QUEUE places (default 4, the server's);
//!   prints how many were accepted and refused, and the peak resident
//!   memory of the process (server and clients). The bodies are JSON Lines records
//!   without text, which the reader refuses record by record: the figure
//!   is the server's share (bodies received and queued), not analysis.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use storyline_engine::Engine;
use storyline_server::{serve_on, ClassLimit, IngestAccess, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: load DATA_DIR classes [SECS] [CLIENTS] | slow [CONNECTIONS] | ingest [BODIES] [MIB] [QUEUE]";
    let dir = args.next().ok_or(usage)?;
    let what = args.next().ok_or(usage)?;
    let n = |v: Option<String>, d: u64| v.and_then(|v| v.parse().ok()).unwrap_or(d);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let engine = Arc::new(Engine::open(dir.as_ref())?);
    rt.block_on(async move {
        match what.as_str() {
            "classes" => {
                let secs = n(args.next(), 10).min(120);
                let clients = n(args.next(), 64).min(2_000) as usize;
                for (label, config) in [
                    ("default limits", ServerConfig::default()),
                    ("class limits lifted", lifted()),
                ] {
                    classes(engine.clone(), config, label, secs, clients).await?;
                }
                Ok(())
            }
            "slow" => slow(engine, n(args.next(), 10_000).min(18_000) as usize).await,
            "ingest" => {
                let bodies = n(args.next(), 20).min(100) as usize;
                let mib = n(args.next(), 9).min(64) as usize;
                let queue = n(args.next(), 4).clamp(1, 100) as usize;
                ingest(engine, bodies, mib, queue).await
            }
            _ => Err(usage.into()),
        }
    })
}

/// The class limits so high that nothing waits or is shed.
fn lifted() -> ServerConfig {
    let wide = ClassLimit {
        concurrent: 100_000,
        queue: 0,
        max_wait: Duration::from_secs(1),
    };
    ServerConfig {
        cheap: wide,
        expensive: wide,
        ..ServerConfig::default()
    }
}

/// Starts a server on 127.0.0.1:0; the sender stops it.
async fn start(
    engine: Arc<Engine>,
    config: ServerConfig,
) -> Result<(SocketAddr, tokio::sync::oneshot::Sender<()>), Error> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_on(listener, engine, config, async move {
        let _ = stopped.await;
    }));
    Ok((addr, stop))
}

/// Sends one request on a kept-alive connection and reads its answer;
/// the status.
async fn exchange(s: &mut TcpStream, req: &[u8]) -> std::io::Result<u16> {
    s.write_all(req).await?;
    let mut data = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
            let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + len {
                return Ok(status);
            }
        }
        let n = tokio::time::timeout(Duration::from_secs(60), s.read(&mut buf))
            .await
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        data.extend_from_slice(&buf[..n]);
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn classes(
    engine: Arc<Engine>,
    config: ServerConfig,
    label: &str,
    secs: u64,
    clients: usize,
) -> Result<(), Error> {
    let (addr, stop) = start(engine, config).await?;
    let until = Instant::now() + Duration::from_secs(secs);
    let mut flood = Vec::new();
    for _ in 0..clients {
        flood.push(tokio::spawn(async move {
            let (mut ok, mut shed, mut other) = (0u64, 0u64, 0u64);
            let req = b"GET /api/findings?limit=200 HTTP/1.1\r\nhost: load\r\n\r\n";
            let mut conn = None;
            while Instant::now() < until {
                if conn.is_none() {
                    conn = TcpStream::connect(addr).await.ok();
                }
                let Some(s) = conn.as_mut() else {
                    other += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                match exchange(s, req).await {
                    Ok(200) => ok += 1,
                    Ok(503) => shed += 1,
                    Ok(_) => other += 1,
                    Err(_) => {
                        other += 1;
                        conn = None;
                    }
                }
            }
            (ok, shed, other)
        }));
    }
    // The probe: a fresh connection every time, as a new visitor would.
    let mut lat = Vec::new();
    let mut probe_fail = 0u64;
    tokio::time::sleep(Duration::from_millis(500)).await;
    while Instant::now() < until {
        let started = Instant::now();
        let got = async {
            let mut s = TcpStream::connect(addr).await?;
            exchange(&mut s, b"GET /api/stats HTTP/1.1\r\nhost: probe\r\n\r\n").await
        };
        match tokio::time::timeout(Duration::from_secs(30), got).await {
            Ok(Ok(200)) => lat.push(started.elapsed()),
            _ => probe_fail += 1,
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (mut ok, mut shed, mut other) = (0, 0, 0);
    for f in flood {
        let (a, b, c) = f.await?;
        ok += a;
        shed += b;
        other += c;
    }
    let _ = stop.send(());
    lat.sort();
    println!(
        "{label}: {clients} clients on /api/findings for {secs} s: {ok} answered 200, {shed} answered 503, {other} other; \
         /api/stats probe: {} answers, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, {probe_fail} failed",
        lat.len(),
        percentile(&lat, 0.5).as_secs_f64() * 1e3,
        percentile(&lat, 0.99).as_secs_f64() * 1e3,
        lat.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
    );
    Ok(())
}

fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

async fn slow(engine: Arc<Engine>, connections: usize) -> Result<(), Error> {
    let config = ServerConfig::default();
    let header = config.header_read_timeout;
    let (addr, stop) = start(engine, config).await?;
    let before = open_descriptors();
    let started = Instant::now();
    let mut held = Vec::with_capacity(connections);
    for _ in 0..connections {
        match TcpStream::connect(addr).await {
            Ok(mut s) => {
                let _ = s
                    .write_all(b"GET /api/stats HTTP/1.1\r\nhost: slow\r\n")
                    .await;
                held.push(s);
            }
            Err(e) => {
                println!("connect failed after {} connections: {e}", held.len());
                break;
            }
        }
    }
    let opened = started.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let server_side = open_descriptors().saturating_sub(before + held.len());
    // Which of them did the server refuse at once?
    let mut refused = 0usize;
    for s in &mut held {
        let mut buf = [0u8; 256];
        if let Ok(Ok(n)) = tokio::time::timeout(Duration::from_millis(1), s.read(&mut buf)).await {
            if n == 0 || buf[..n].starts_with(b"HTTP/1.1 503") {
                refused += 1;
            }
        }
    }
    // A new client during the flood.
    let t = Instant::now();
    let during = async {
        let mut s = TcpStream::connect(addr).await?;
        exchange(&mut s, b"GET /api/stats HTTP/1.1\r\nhost: new\r\n\r\n").await
    };
    let during = tokio::time::timeout(Duration::from_secs(30), during).await;
    let during_ms = t.elapsed().as_secs_f64() * 1e3;
    // How long until a new client is served again (the slow ones still
    // hold their sockets open on this side).
    let t = Instant::now();
    let mut served_after = None;
    while t.elapsed() < header * 3 {
        let got = async {
            let mut s = TcpStream::connect(addr).await?;
            exchange(&mut s, b"GET /api/stats HTTP/1.1\r\nhost: new\r\n\r\n").await
        };
        if let Ok(Ok(200)) = tokio::time::timeout(Duration::from_secs(5), got).await {
            served_after = Some(t.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let server_after = open_descriptors().saturating_sub(before + held.len());
    drop(held);
    let _ = stop.send(());
    println!(
        "{connections} slow connections opened in {:.1} s: the server held {server_side} descriptors for them \
         (cap {}), refused {refused} at once with 503; a new client during the flood got {:?} in {during_ms:.0} ms; \
         a new client was served {:?} later (header timeout {header:?}); descriptors held then: {server_after}",
        opened.as_secs_f64(),
        ServerConfig::default().max_connections,
        during.map(|r| r.map_err(|e| e.kind())),
        served_after,
    );
    Ok(())
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn ingest(engine: Arc<Engine>, bodies: usize, mib: usize, queue: usize) -> Result<(), Error> {
    let config = ServerConfig {
        ingest: IngestAccess::Open,
        ingest_queue: queue,
        max_body_bytes: (mib + 1) * 1024 * 1024,
        ingest_wait: Duration::from_secs(600),
        ..ServerConfig::default()
    };
    let (addr, stop) = start(engine, config).await?;
    let line = format!("{{\"title\": \"{}\"}}\n", "x".repeat(1000));
    let body: Arc<Vec<u8>> = Arc::new(line.repeat(mib * 1024 * 1024 / line.len()).into_bytes());
    let base = peak_rss_mib();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..bodies {
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            let go = async {
                let mut s = TcpStream::connect(addr).await?;
                let head = format!(
                    "POST /api/ingest HTTP/1.1\r\nhost: load\r\ncontent-type: application/x-ndjson\r\ncontent-length: {}\r\n\r\n",
                    body.len()
                );
                s.write_all(head.as_bytes()).await?;
                // The server may answer 503 and close before the body is sent.
                let _ = s.write_all(&body).await;
                exchange(&mut s, b"").await
            };
            tokio::time::timeout(Duration::from_secs(600), go).await
        }));
    }
    let mut counts = std::collections::BTreeMap::new();
    for t in tasks {
        let key = match t.await? {
            Ok(Ok(status)) => status.to_string(),
            Ok(Err(e)) => format!("{:?}", e.kind()),
            Err(_) => "timeout".into(),
        };
        *counts.entry(key).or_insert(0) += 1;
    }
    let _ = stop.send(());
    println!(
        "{bodies} concurrent ingests of {mib} MiB, queue {queue}: answers {counts:?} in {:.1} s; peak RSS {:.0} MiB (before {base:.0} MiB, one body {:.1} MiB)",
        started.elapsed().as_secs_f64(),
        peak_rss_mib(),
        body.len() as f64 / (1024.0 * 1024.0)
    );
    Ok(())
}
