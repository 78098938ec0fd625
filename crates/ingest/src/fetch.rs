//! HTTP(S) fetching with the limits a tool that follows user- and
//! feed-supplied links needs: overall and connect timeouts, a body size cap,
//! bounded redirects, an honest User-Agent, and no connections to private,
//! loopback or link-local addresses unless allowed.
//!
//! The address check sits in the DNS resolver that the HTTP client uses for
//! every connection, redirects included, so there is no gap between checking
//! a name and connecting to it (a name that resolves to a public address
//! when checked and a private one when used). Environment proxies are
//! ignored: a proxy would resolve the name itself, out of our sight.

use std::io::{self, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use storyline_core::{InputFormat, Location};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

use crate::{Ctx, FetchOptions, IngestError, StreamInfo};

/// A fetched response body.
#[derive(Debug)]
pub struct Fetched {
    /// The body, at most [`FetchOptions::max_bytes`] long.
    pub bytes: Vec<u8>,
    /// The `Content-Type` header, if any (carries the charset).
    pub content_type: Option<String>,
    /// The URL after redirects.
    pub final_url: String,
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an http(s) URL with a host.
    #[error("not an http(s) URL: {0}")]
    BadUrl(String),
    /// The address is private, loopback or link-local and private fetches are not allowed.
    #[error("{0}")]
    Refused(String),
    /// The body is over the size limit.
    #[error("too large: more than {limit} bytes (raise the fetch size limit)")]
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The server answered with a non-2xx status.
    #[error("HTTP status {status}")]
    Status {
        /// The status code.
        status: u16,
    },
    /// Connecting, TLS, a timeout or reading failed.
    #[error("{0}")]
    Transport(String),
}

/// Fetches one URL with the limits and address rules of `opts`: for callers
/// that want the raw page (`storyline extract URL`) rather than articles.
pub fn fetch(url: &str, opts: &FetchOptions) -> Result<Fetched, FetchError> {
    Fetcher::new(opts).get(url)
}

/// Whether an address is one a public fetcher must not reach.
pub(crate) fn is_non_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_non_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_non_public_v4(v4);
            }
            let seg = v6.segments();
            // NAT64 (64:ff9b::/96) embeds an IPv4 address.
            if seg[0] == 0x64 && seg[1] == 0xff9b && seg[2..6] == [0, 0, 0, 0] {
                let v4 = Ipv4Addr::new(
                    (seg[6] >> 8) as u8,
                    seg[6] as u8,
                    (seg[7] >> 8) as u8,
                    seg[7] as u8,
                );
                return is_non_public_v4(v4);
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (seg[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (seg[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (seg[0] & 0xffc0) == 0xfec0 // site-local fec0::/10
                || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
                || v6 == Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0, 1)
                || (seg[0..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible (deprecated)
        }
    }
}

fn is_non_public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0 // "this network"
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // carrier-grade NAT 100.64/10
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || (o[0] == 198 && (o[1] & 0xfe) == 18) // benchmarking 198.18/15
        || o[0] >= 240 // reserved
}

/// Resolves with the system resolver, then refuses non-public addresses.
#[derive(Debug)]
struct GuardedResolver {
    inner: DefaultResolver,
    allow_private: bool,
}

impl Resolver for GuardedResolver {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        if !self.allow_private {
            if let Some(bad) = addrs.iter().find(|a| is_non_public(a.ip())) {
                let host = uri.host().unwrap_or("?");
                return Err(ureq::Error::Io(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    format!(
                        "refused: {host} resolves to {}, a private, loopback or link-local address (allow with allow_private / --allow-private)",
                        bad.ip()
                    ),
                )));
            }
        }
        Ok(addrs)
    }
}

/// An HTTP client configured from [`FetchOptions`]; reused across fetches.
pub(crate) struct Fetcher {
    agent: ureq::Agent,
    max_bytes: u64,
}

impl Fetcher {
    pub(crate) fn new(opts: &FetchOptions) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(opts.timeout))
            .timeout_connect(Some(opts.timeout.min(Duration::from_secs(10))))
            .max_redirects(opts.max_redirects)
            .user_agent(opts.user_agent.as_str())
            .http_status_as_error(false)
            .proxy(None)
            .build();
        let resolver = GuardedResolver {
            inner: DefaultResolver::default(),
            allow_private: opts.allow_private,
        };
        Fetcher {
            agent: ureq::Agent::with_parts(config, DefaultConnector::new(), resolver),
            max_bytes: opts.max_bytes,
        }
    }

    /// Fetches `url`, reading at most the configured number of bytes.
    pub(crate) fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        let parsed =
            url::Url::parse(url).map_err(|e| FetchError::BadUrl(format!("{url} ({e})")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(FetchError::BadUrl(url.to_string()));
        }
        tracing::debug!(url, "fetching");
        let mut resp = self
            .agent
            .get(parsed.as_str())
            .header("Accept", "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8")
            .call()
            .map_err(map_error)?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(FetchError::Status { status });
        }
        let final_url = {
            use ureq::ResponseExt;
            resp.get_uri().to_string()
        };
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut bytes = Vec::new();
        let mut reader = resp
            .body_mut()
            .with_config()
            .limit(u64::MAX)
            .reader()
            .take(self.max_bytes + 1);
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| FetchError::Transport(format!("reading the response failed: {e}")))?;
        if bytes.len() as u64 > self.max_bytes {
            return Err(FetchError::TooLarge {
                limit: self.max_bytes,
            });
        }
        Ok(Fetched {
            bytes,
            content_type,
            final_url,
        })
    }
}

fn map_error(e: ureq::Error) -> FetchError {
    match e {
        ureq::Error::Io(io) if io.kind() == io::ErrorKind::PermissionDenied => {
            FetchError::Refused(io.to_string())
        }
        ureq::Error::Timeout(t) => FetchError::Transport(format!("timed out ({t})")),
        ureq::Error::TooManyRedirects => FetchError::Transport("too many redirects".to_string()),
        other => FetchError::Transport(other.to_string()),
    }
}

/// The format a content type names, if it names one.
fn format_from_content_type(ct: &str) -> Option<InputFormat> {
    let ct = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    Some(match ct.as_str() {
        "text/html" | "application/xhtml+xml" => InputFormat::Html,
        "application/rss+xml" | "application/atom+xml" | "application/rdf+xml" => InputFormat::Feed,
        "application/json" => InputFormat::Json,
        "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" => {
            InputFormat::Jsonl
        }
        "text/csv" | "text/tab-separated-values" => InputFormat::Csv,
        "text/markdown" => InputFormat::Markdown,
        "application/warc" => InputFormat::Warc,
        _ => return None,
    })
}

/// Reads a URL given as an input: a page, a feed, or any other format.
pub(crate) fn read_url(ctx: &mut Ctx<'_>, url: &str) -> Result<(), IngestError> {
    ctx.summary.files += 1;
    let loc = Location::source(url);
    let fetched = match ctx.fetcher().get(url) {
        Ok(f) => f,
        Err(FetchError::TooLarge { limit }) => {
            ctx.skip(
                loc,
                format!("too large: more than {limit} bytes (raise the fetch size limit)"),
            );
            return Ok(());
        }
        Err(e) => {
            return Err(IngestError::Fetch {
                url: url.to_string(),
                reason: e.to_string(),
            })
        }
    };
    let hint = fetched
        .content_type
        .as_deref()
        .and_then(format_from_content_type);
    let info = StreamInfo {
        url: Some(fetched.final_url.clone()),
        content_type: fetched.content_type.clone(),
        file_name: url::Url::parse(&fetched.final_url)
            .ok()
            .and_then(|u| u.path_segments()?.next_back().map(str::to_string)),
        size: Some(fetched.bytes.len() as u64),
    };
    // Servers label feeds text/xml and pages text/plain: trust the content
    // over a generic type, and the type only when it is specific.
    let bytes = fetched.bytes;
    if let Err(e) = crate::read_stream(ctx, Box::new(&bytes[..]), loc.clone(), hint, &info, 0) {
        ctx.skip(loc, format!("cannot read: {e}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(is_non_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(!is_non_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(
            format_from_content_type("text/html; charset=utf-8"),
            Some(InputFormat::Html)
        );
        assert_eq!(
            format_from_content_type("application/rss+xml"),
            Some(InputFormat::Feed)
        );
        assert_eq!(format_from_content_type("text/xml"), None);
    }
}
