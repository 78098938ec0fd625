//! What the server holds itself to: body size, timeouts, the connection
//! cap, the concurrency of each class of route, the ingest queue, and who
//! may ingest. Every default is written down in `docs/RELIABILITY.md`
//! ("Server") with the test that covers it.

use std::fmt;
use std::time::Duration;

/// How the server behaves. [`ServerConfig::default`] suits a laptop and a
/// shared server alike, with ingest switched off.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Largest request body accepted (`POST /api/ingest`); larger bodies get
    /// `413` before they are read. Default 10 MiB.
    pub max_body_bytes: usize,
    /// Longest a read request may run before it is answered `408`, and how
    /// long an ingest body may take to arrive. Ingest work itself is never
    /// cut short by it (see `ingest_wait`). Default 60 s.
    pub request_timeout: Duration,
    /// Who may ingest. Default [`IngestAccess::Disabled`].
    pub ingest: IngestAccess,
    /// The head of each request must arrive whole within this, counted from
    /// the connection's start or from the end of the previous answer on a
    /// kept-alive connection, so it is also how long an idle keep-alive
    /// connection is kept. A client that dribbles its headers (slowloris) is
    /// dropped. Only [`serve`](crate::serve) and
    /// [`serve_on`](crate::serve_on) apply it. Default 10 s.
    pub header_read_timeout: Duration,
    /// A connection whose answer makes no progress for this long (the
    /// client stopped reading) is closed. Only [`serve`](crate::serve) and
    /// [`serve_on`](crate::serve_on) apply it. Default 30 s.
    pub send_timeout: Duration,
    /// Most connections open at once; more are answered `503` and closed at
    /// once, so slow clients cannot use up the process's file descriptors.
    /// Lowered at start when the open-file limit is too low for it. Only
    /// [`serve`](crate::serve) and [`serve_on`](crate::serve_on) apply it.
    /// Default 1024.
    pub max_connections: usize,
    /// Limits of the cheap reads (stats, one article, one entity, the
    /// article list, a job, the OpenAPI document, the stylesheet).
    /// Default 64 at once, 256 waiting, 2 s wait.
    pub cheap: ClassLimit,
    /// Limits of the expensive reads (search, findings, claims, stances,
    /// check, stories and briefings, entity listings, the pages built on
    /// them). Default as many at once as the machine has CPUs (at least 2),
    /// 32 waiting, 10 s wait.
    pub expensive: ClassLimit,
    /// Ingest jobs queued or running at once (one runs at a time); another
    /// `POST /api/ingest` is answered `503` before its body is read, so
    /// bodies held in memory never exceed `ingest_queue × max_body_bytes`.
    /// Default 4.
    pub ingest_queue: usize,
    /// How long `POST /api/ingest` waits for its job before answering `202`
    /// with the job to poll; `0` always answers `202`. Default 20 s.
    pub ingest_wait: Duration,
    /// Finished ingest jobs remembered for `GET /api/jobs/{id}`, newest
    /// first. Default 256.
    pub jobs_kept: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServerConfig {
            max_body_bytes: 10 * 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            ingest: IngestAccess::Disabled,
            header_read_timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(30),
            max_connections: 1024,
            cheap: ClassLimit {
                concurrent: 64,
                queue: 256,
                max_wait: Duration::from_secs(2),
            },
            expensive: ClassLimit {
                concurrent: cpus.max(2),
                queue: 32,
                max_wait: Duration::from_secs(10),
            },
            ingest_queue: 4,
            ingest_wait: Duration::from_secs(20),
            jobs_kept: 256,
        }
    }
}

/// How many requests of one class run at once, how many may wait for a
/// turn, and for how long; a request that finds the queue full, or waits
/// longer, is answered `503` with `Retry-After`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassLimit {
    /// Requests running at once (at least 1).
    pub concurrent: usize,
    /// Requests waiting for a turn; `0` sheds at once when all are busy.
    pub queue: usize,
    /// Longest a request waits for a turn.
    pub max_wait: Duration,
}

/// Who may use `POST /api/ingest` and `GET /api/jobs/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum IngestAccess {
    /// Nobody: `403 ingest_disabled`. The default, so a server started
    /// without thought is read-only.
    #[default]
    Disabled,
    /// Requests that carry `Authorization: Bearer <token>`; others get `401`.
    Token(IngestToken),
    /// Anyone who can connect. [`serve`](crate::serve) and
    /// [`serve_on`](crate::serve_on) refuse to start with it on an address
    /// other than loopback; a router mounted elsewhere is the caller's care.
    Open,
}

/// The secret that unlocks ingest. Only its BLAKE3 hash is kept, and a
/// presented token is compared by hashing it and comparing the hashes with
/// `blake3::Hash`'s constant-time equality, so neither the time taken nor
/// the length of the secret leaks through the comparison. Its `Debug` form
/// never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct IngestToken {
    hash: blake3::Hash,
}

/// Why a token was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Too short to resist guessing.
    #[error("the ingest token has {len} characters; use at least {min} (e.g. `openssl rand -hex 32`)", min = IngestToken::MIN_LEN)]
    TooShort {
        /// Its length.
        len: usize,
    },
    /// Holds a character a client could not send in a header.
    #[error("the ingest token holds a space, a control or a non-ASCII character; use visible ASCII only (e.g. `openssl rand -hex 32`)")]
    BadCharacter,
}

impl IngestToken {
    /// The shortest token accepted.
    pub const MIN_LEN: usize = 16;

    /// A token of at least [`IngestToken::MIN_LEN`] visible ASCII characters.
    pub fn new(token: &str) -> Result<IngestToken, TokenError> {
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TokenError::BadCharacter);
        }
        if token.len() < Self::MIN_LEN {
            return Err(TokenError::TooShort { len: token.len() });
        }
        Ok(IngestToken {
            hash: blake3::hash(token.as_bytes()),
        })
    }

    /// Whether `presented` is the token (constant time).
    pub(crate) fn matches(&self, presented: &[u8]) -> bool {
        blake3::hash(presented) == self.hash
    }
}

impl fmt::Debug for IngestToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IngestToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_checked_matched_and_never_shown() {
        assert_eq!(
            IngestToken::new("short"),
            Err(TokenError::TooShort { len: 5 })
        );
        assert_eq!(IngestToken::new(""), Err(TokenError::TooShort { len: 0 }));
        assert_eq!(
            IngestToken::new("sixteen chars ok"),
            Err(TokenError::BadCharacter)
        );
        assert_eq!(
            IngestToken::new("0123456789abcdef\n"),
            Err(TokenError::BadCharacter)
        );
        assert_eq!(
            IngestToken::new("0123456789abcdé"),
            Err(TokenError::BadCharacter)
        );
        let t = IngestToken::new("0123456789abcdef").unwrap();
        assert!(t.matches(b"0123456789abcdef"));
        assert!(!t.matches(b"0123456789abcdeF"));
        assert!(!t.matches(b"0123456789abcdef "));
        assert!(!t.matches(b""));
        let shown = format!("{:?}", IngestAccess::Token(t));
        assert!(!shown.contains("0123"), "{shown}");
    }
}
