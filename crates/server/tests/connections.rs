//! The server on a real socket (127.0.0.1 only, port 0): slow-header
//! clients dropped by the header timeout, idle keep-alive connections
//! closed, connections over the cap refused at once, clients that stop
//! reading dropped by the send timeout, and ingest work that survives its
//! client. Limits are small so each test takes seconds; every loop and
//! read is bounded and stops by itself.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use storyline_engine::Engine;
use storyline_server::{serve, serve_on, IngestAccess, ServerConfig, ServerError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::oneshot;

/// A server on 127.0.0.1:0 over a fresh store; stops when dropped.
struct Server {
    addr: SocketAddr,
    engine: Arc<Engine>,
    stop: Option<oneshot::Sender<()>>,
    done: Option<tokio::task::JoinHandle<Result<(), ServerError>>>,
    _dir: tempfile::TempDir,
}

impl Server {
    async fn start(config: ServerConfig) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        let engine = Arc::new(Engine::open(dir.path()).expect("open store"));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("address");
        let (stop, stopped) = oneshot::channel::<()>();
        let done = tokio::spawn(serve_on(listener, engine.clone(), config, async move {
            let _ = stopped.await;
        }));
        Server {
            addr,
            engine,
            stop: Some(stop),
            done: Some(done),
            _dir: dir,
        }
    }

    /// Asks the server to stop and waits (at most 60 s) until it has.
    async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(d) = self.done.take() {
            tokio::time::timeout(Duration::from_secs(60), d)
                .await
                .expect("the server stops")
                .expect("no panic")
                .expect("no error");
        }
    }
}

/// Reads until the server closes the connection (EOF or reset) or `limit`
/// passes; returns what was read and whether it was closed.
async fn read_until_closed(s: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + limit;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match tokio::time::timeout_at(deadline, s.read(&mut buf)).await {
            Err(_) => return (out, false),
            Ok(Ok(0)) | Ok(Err(_)) => return (out, true),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

/// Reads one answer (head and a `content-length` body) off a kept-alive
/// connection; returns the status and the body.
async fn read_answer(s: &mut TcpStream) -> (u16, Vec<u8>) {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_string();
            let status: u16 = head[9..12].parse().expect("status");
            let len: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + len {
                return (status, data[end + 4..end + 4 + len].to_vec());
            }
        }
        let n = tokio::time::timeout_at(deadline, s.read(&mut buf))
            .await
            .expect("an answer in time")
            .expect("read");
        assert!(
            n > 0,
            "closed mid-answer: {}",
            String::from_utf8_lossy(&data)
        );
        data.extend_from_slice(&buf[..n]);
    }
}

/// One request on a new connection; the status and the body as JSON.
async fn request(addr: SocketAddr, method: &str, path: &str, body: &str) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nhost: test\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.expect("write");
    let (status, body) = read_answer(&mut s).await;
    let v = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, v)
}

/// `GET path` until it answers 200 (at most 10 s).
async fn until_ok(addr: SocketAddr, path: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if let Ok((200, _)) =
            tokio::time::timeout(Duration::from_secs(2), request(addr, "GET", path, "")).await
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_header_clients_are_dropped_by_the_header_timeout() {
    let server = Server::start(ServerConfig {
        header_read_timeout: Duration::from_millis(300),
        ..ServerConfig::default()
    })
    .await;
    // Half a request head, then nothing: closed after about 300 ms.
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(b"GET /api/stats HTTP/1.1\r\nhost: test\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (_, closed) = read_until_closed(&mut s, Duration::from_secs(5)).await;
    assert!(closed, "a stalled head is dropped");
    assert!(started.elapsed() >= Duration::from_millis(200));
    // A head dripped a byte every 20 ms never completes in time: the limit
    // is on the whole head, not on each byte (slowloris).
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let started = Instant::now();
    let mut dropped = false;
    s.write_all(b"GET /api/stats HTTP/1.1\r\nx-pad: ")
        .await
        .unwrap();
    while started.elapsed() < Duration::from_secs(3) {
        if s.write_all(b"a").await.is_err() {
            dropped = true;
            break;
        }
        let mut one = [0u8; 1];
        match tokio::time::timeout(Duration::from_millis(20), s.read(&mut one)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                dropped = true;
                break;
            }
            _ => {}
        }
    }
    assert!(dropped, "a dripping client is dropped");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // 200 slow clients at once: every one dropped, then the server answers.
    let mut slow = Vec::new();
    for _ in 0..200 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        let _ = s.write_all(b"GET / HTTP/1.1\r\n").await;
        slow.push(s);
    }
    let started = Instant::now();
    for s in &mut slow {
        let (_, closed) = read_until_closed(s, Duration::from_secs(10)).await;
        assert!(closed);
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(until_ok(server.addr, "/api/stats").await);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_keep_alive_connections_are_closed() {
    let server = Server::start(ServerConfig {
        header_read_timeout: Duration::from_millis(300),
        ..ServerConfig::default()
    })
    .await;
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    s.write_all(b"GET /api/stats HTTP/1.1\r\nhost: test\r\n\r\n")
        .await
        .unwrap();
    let (status, _) = read_answer(&mut s).await;
    assert_eq!(status, 200);
    // Kept alive: a second request on it is answered.
    s.write_all(b"GET /api/stats HTTP/1.1\r\nhost: test\r\n\r\n")
        .await
        .unwrap();
    let (status, _) = read_answer(&mut s).await;
    assert_eq!(status, 200);
    // Then idle: closed after about 300 ms.
    let started = Instant::now();
    let (rest, closed) = read_until_closed(&mut s, Duration::from_secs(5)).await;
    assert!(closed, "an idle connection is closed");
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
    assert!(started.elapsed() >= Duration::from_millis(200));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_cap_are_refused_at_once() {
    let server = Server::start(ServerConfig {
        max_connections: 4,
        header_read_timeout: Duration::from_secs(30),
        ..ServerConfig::default()
    })
    .await;
    // Four kept-alive connections, each answered once: all four places.
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        s.write_all(b"GET /api/stats HTTP/1.1\r\nhost: test\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_answer(&mut s).await.0, 200);
        held.push(s);
    }
    // Fifty more: each gets the 503 and is closed within a second.
    for _ in 0..50 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        let started = Instant::now();
        let (answer, closed) = read_until_closed(&mut s, Duration::from_secs(5)).await;
        assert!(closed, "refused at once");
        assert!(started.elapsed() < Duration::from_secs(1));
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 503"), "{text}");
        assert!(text.contains("retry-after: 1"), "{text}");
        assert!(text.contains("\"overloaded\""), "{text}");
    }
    // The connections in place keep working.
    held[0]
        .write_all(b"GET /api/stats HTTP/1.1\r\nhost: test\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_answer(&mut held[0]).await.0, 200);
    // When they go, new clients are served again.
    drop(held);
    assert!(until_ok(server.addr, "/api/stats").await);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_dropped_by_the_send_timeout() {
    let server = Server::start(ServerConfig {
        send_timeout: Duration::from_millis(300),
        ..ServerConfig::default()
    })
    .await;
    // An article of 4 MB: its answer is far more than the socket buffers
    // between a client that reads nothing and the server.
    let text = "The river rose again overnight. ".repeat(128 * 1024);
    let id = common::plant_article(&server.engine, &text);
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut s = socket.connect(server.addr).await.unwrap();
    s.write_all(format!("GET /api/articles/{id} HTTP/1.1\r\nhost: test\r\n\r\n").as_bytes())
        .await
        .unwrap();
    // Read nothing for well past the send timeout, then everything.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (got, closed) = read_until_closed(&mut s, Duration::from_secs(20)).await;
    assert!(closed, "the server gave up on the connection");
    assert!(
        got.len() < text.len(),
        "only what the buffers held arrived: {} of more than {} bytes",
        got.len(),
        text.len()
    );
    // The server goes on serving.
    assert!(until_ok(server.addr, "/api/stats").await);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ingest_work_survives_a_client_that_disconnects() {
    let server = Server::start(ServerConfig {
        ingest: IngestAccess::Open,
        ..ServerConfig::default()
    })
    .await;
    let (status, first) = request(
        server.addr,
        "POST",
        "/api/ingest",
        "A small first article about the ferry timetable changes.",
    )
    .await;
    assert_eq!(status, 200, "{first}");
    let first_job = first["job"].as_str().expect("job id").to_string();
    let (run, n) = first_job.split_once('-').unwrap();
    let next = format!("{run}-{}", n.parse::<u64>().unwrap() + 1);
    // A long ingest whose client hangs up as soon as the body is sent.
    let body = "Officials said the levee held. ".repeat(8_000);
    let mut s = TcpStream::connect(server.addr).await.unwrap();
    let head = format!(
        "POST /api/ingest HTTP/1.1\r\nhost: test\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.unwrap();
    s.write_all(body.as_bytes()).await.unwrap();
    // Once the server has taken the body (its job exists), hang up. (A
    // client that hangs up before its body is read has nothing accepted:
    // no job, nothing stored.)
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, v) = request(server.addr, "GET", &format!("/api/jobs/{next}"), "").await;
        if status == 200 {
            assert!(
                v["status"].is_null(),
                "still at work when the client leaves: {v}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "the job never appeared: {v}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    s.shutdown().await.unwrap();
    drop(s);
    // The work goes on, is stored, and its job says it succeeded.
    let deadline = Instant::now() + Duration::from_secs(120);
    let job = loop {
        let (status, v) = request(server.addr, "GET", &format!("/api/jobs/{next}"), "").await;
        if (status == 200 && v["status"].is_number()) || Instant::now() > deadline {
            break v;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(job["state"], "succeeded", "{job}");
    assert_eq!(job["status"], 200);
    assert_eq!(job["answer"]["inserted"], 1, "{job}");
    let (_, stats) = request(server.addr, "GET", "/api/stats", "").await;
    assert_eq!(stats["articles"], 2, "{stats}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopping_finishes_the_queued_ingest_jobs_first() {
    let server = Server::start(ServerConfig {
        ingest: IngestAccess::Open,
        ingest_wait: Duration::ZERO,
        ..ServerConfig::default()
    })
    .await;
    let body = "The council approved the flood barrier budget. ".repeat(4_000);
    let (status, job) = request(server.addr, "POST", "/api/ingest", &body).await;
    assert_eq!(status, 202, "{job}");
    let engine = server.engine.clone();
    server.stop().await;
    // Accepted means done by the time the server has stopped.
    assert_eq!(engine.store().stats().unwrap().articles, 1);
}

#[tokio::test]
async fn open_ingest_is_refused_off_loopback_before_binding() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Arc::new(Engine::open(dir.path()).unwrap());
    let config = ServerConfig {
        ingest: IngestAccess::Open,
        ..ServerConfig::default()
    };
    let err = serve(engine, "0.0.0.0:0".parse().unwrap(), config)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServerError::OpenIngestNotLoopback { .. }),
        "{err}"
    );
}
