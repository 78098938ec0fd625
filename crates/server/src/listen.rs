//! The accept loop: a cap on open connections, a header-read timeout that
//! is also the keep-alive idle timeout, and a send timeout, none of which
//! `axum::serve` exposes.
//!
//! It is the accept loop hyper-util documents (hyper's HTTP/1 connection
//! builder with `TokioTimer`, `TowerToHyperService` over the router,
//! `GracefulShutdown`), plus three bounds:
//!
//! - **Connection cap.** A semaphore of `max_connections` permits; a
//!   connection accepted with none left is sent a fixed `503` (one write,
//!   never waited on) and closed at once, so its descriptor comes straight
//!   back. Without this, about 20,000 slow clients used up every file
//!   descriptor and new clients hung in the accept backlog.
//! - **Header-read timeout** (hyper's `header_read_timeout`): the head of a
//!   request must arrive whole within the limit, however slowly it drips,
//!   and hyper restarts that clock when an answer has been written, so an
//!   idle keep-alive connection is closed after the same time.
//! - **Send timeout** (`tokio-io-timeout`'s write timeout): a connection
//!   whose writes make no progress for that long (the client stopped
//!   reading an answer) is closed.
//!
//! On Unix the open-file limit is raised toward what the cap needs, and the
//! cap lowered (with a warning) if the limit cannot be raised enough, so the
//! cap is reached before the process runs out of descriptors.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio_io_timeout::TimeoutStream;

use crate::config::{IngestAccess, ServerConfig};
use crate::ServerError;

/// What a connection over the cap is sent before it is closed.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
content-type: application/json\r\n\
retry-after: 1\r\n\
connection: close\r\n\
content-length: 103\r\n\
\r\n\
{\"error\":{\"code\":\"overloaded\",\"message\":\"the server has all the connections it takes; retry in 1 s\"}}\r\n";

/// Tokio's default bound on blocking threads: no more reads than this run
/// at once, whatever the class limits say.
const BLOCKING_THREADS: usize = 512;

/// Descriptors kept for everything but client connections: the store's
/// database, journal and index files, a reader connection (three files)
/// per running read, the listener, logs.
pub(crate) fn reserved_descriptors(config: &ServerConfig) -> u64 {
    let reads = config
        .cheap
        .concurrent
        .saturating_add(config.expensive.concurrent)
        .saturating_add(1)
        .min(BLOCKING_THREADS);
    128 + 3 * reads as u64
}

/// Refuses [`IngestAccess::Open`] anywhere but loopback.
pub(crate) fn check_ingest_address(
    config: &ServerConfig,
    addr: SocketAddr,
) -> Result<(), ServerError> {
    let loopback = addr.ip().to_canonical().is_loopback();
    if config.ingest == IngestAccess::Open && !loopback {
        return Err(ServerError::OpenIngestNotLoopback { addr });
    }
    Ok(())
}

/// The cap that fits under an open-file limit of `soft` descriptors.
pub(crate) fn cap_within(wanted: usize, reserved: u64, soft: Option<u64>) -> usize {
    match soft {
        None => wanted,
        Some(soft) => {
            let room = soft.saturating_sub(reserved).max(16);
            wanted.min(usize::try_from(room).unwrap_or(usize::MAX))
        }
    }
}

/// The connection cap this process can honour, raising its open-file limit
/// if it must and may.
fn connection_cap(config: &ServerConfig) -> usize {
    let wanted = config.max_connections.max(1);
    let reserved = reserved_descriptors(config);
    let cap = cap_within(wanted, reserved, open_file_limit(wanted as u64 + reserved));
    if cap < wanted {
        tracing::warn!(
            "the open-file limit leaves room for {cap} connections, not {wanted}; raise it (ulimit -n) to serve more at once"
        );
    }
    cap
}

/// The soft open-file limit after trying to raise it to `needed` (never
/// past the hard limit); `None` when unlimited or unknown.
#[cfg(unix)]
fn open_file_limit(needed: u64) -> Option<u64> {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};
    let limit = getrlimit(Resource::Nofile);
    let soft = limit.current?;
    if soft >= needed {
        return Some(soft);
    }
    let target = limit.maximum.map_or(needed, |hard| hard.min(needed));
    if target > soft {
        let raised = Rlimit {
            current: Some(target),
            maximum: limit.maximum,
        };
        match setrlimit(Resource::Nofile, raised) {
            Ok(()) => {
                tracing::info!("raised the open-file limit from {soft} to {target}");
                return Some(target);
            }
            Err(e) => tracing::warn!("cannot raise the open-file limit from {soft}: {e}"),
        }
    }
    Some(soft)
}

#[cfg(not(unix))]
fn open_file_limit(_needed: u64) -> Option<u64> {
    None
}

/// Accepts until `shutdown`, then waits for the open connections to finish
/// their requests (idle ones are closed at once).
pub(crate) async fn run(
    listener: TcpListener,
    app: Router,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let cap = connection_cap(config);
    let slots = Arc::new(Semaphore::new(cap));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(config.header_read_timeout)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let send_timeout = config.send_timeout;
    let mut refused: u64 = 0;
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            refused += 1;
            // One line for the first refusal and then every thousandth, so
            // a flood does not flood the log too.
            if refused % 1000 == 1 {
                tracing::warn!(
                    "{refused} connection(s) refused so far: {cap} are open, the most this server takes"
                );
            }
            refuse(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let mut io = TimeoutStream::new(stream);
        io.set_write_timeout(Some(send_timeout));
        let conn = http.serve_connection(
            TokioIo::new(Box::pin(io)),
            TowerToHyperService::new(app.clone()),
        );
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(%peer, "connection closed: {e}");
            }
            drop(slot);
        });
    }
    drop(listener);
    tracing::info!("shutting down: finishing requests in flight");
    graceful.shutdown().await;
}

/// Sends the fixed `503` if the socket takes it at once, and closes.
fn refuse(stream: TcpStream) {
    let _ = stream.try_write(REFUSAL);
    drop(stream);
}

/// After a failed accept: a connection that died in the backlog is nothing;
/// out of descriptors or memory, pause so the loop does not spin.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::*;
    if matches!(
        e.kind(),
        ConnectionAborted | ConnectionReset | ConnectionRefused | Interrupted
    ) {
        return;
    }
    tracing::warn!("accepting a connection failed: {e}");
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_is_one_complete_http_answer() {
        let text = std::str::from_utf8(REFUSAL).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(body.len(), len);
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["error"]["code"], "overloaded");
    }

    #[test]
    fn the_reserve_is_bounded_by_the_reads_that_can_run() {
        assert!(reserved_descriptors(&ServerConfig::default()) < 1024);
        let mut huge = ServerConfig::default();
        huge.cheap.concurrent = usize::MAX;
        huge.expensive.concurrent = 100_000;
        assert_eq!(reserved_descriptors(&huge), 128 + 3 * 512);
    }

    #[test]
    fn the_cap_fits_the_open_file_limit() {
        assert_eq!(cap_within(1024, 300, None), 1024);
        assert_eq!(cap_within(1024, 300, Some(20_000)), 1024);
        assert_eq!(cap_within(1024, 300, Some(1024)), 724);
        assert_eq!(cap_within(1024, 300, Some(100)), 16);
        assert_eq!(cap_within(8, 300, Some(1024)), 8);
    }

    #[test]
    fn open_ingest_is_for_loopback_only() {
        let open = ServerConfig {
            ingest: IngestAccess::Open,
            ..ServerConfig::default()
        };
        for ok in [
            "127.0.0.1:8080",
            "127.1.2.3:0",
            "[::1]:8080",
            "[::ffff:127.0.0.1]:80",
        ] {
            assert!(
                check_ingest_address(&open, ok.parse().unwrap()).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "0.0.0.0:8080",
            "192.0.2.7:8080",
            "[::]:8080",
            "[2001:db8::1]:80",
        ] {
            let err = check_ingest_address(&open, bad.parse().unwrap()).unwrap_err();
            assert!(err.to_string().contains("not a loopback"), "{bad}: {err}");
        }
        // A token or no ingest at all may listen anywhere.
        let closed = ServerConfig::default();
        assert!(check_ingest_address(&closed, "0.0.0.0:80".parse().unwrap()).is_ok());
    }
}
