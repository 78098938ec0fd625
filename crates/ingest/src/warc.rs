//! WARC files (`.warc`, and `.warc.gz` compressed per record or whole,
//! which the gzip layer in `read_stream` unwraps with a multi-member decoder).
//!
//! HTML `response` (and `resource`) records are extracted as pages, with
//! `WARC-Target-URI` as the URL and the HTTP `Content-Type` charset. The
//! `WARC-Date` is when the page was crawled, not when it was published: it
//! bounds the published date (nothing published after it was crawled) and is
//! kept as a rejected candidate, never used as the date. Other records
//! (requests, metadata, images, redirects) are passed over silently. A
//! malformed record is reported with its number, and reading resumes at the
//! next line that starts a record (`WARC/1.`).

use std::io::{self, BufRead, BufReader, Read};

use storyline_core::{DateCandidate, DateProvenance, InputFormat, Location, Timestamp};

use crate::html::{self, HtmlSource};
use crate::{read_line_capped, Ctx};

const MAX_HEADER_LINE: usize = 64 * 1024;
const MAX_HEADERS: usize = 500;

struct Header {
    fields: Vec<(String, String)>,
}

impl Header {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

enum Next {
    /// A version line was read; `line` is it.
    Record(String),
    Eof,
}

/// Skips blank lines and returns the next record's version line. Lines that
/// are not a version line are junk: reported once, then skipped until one is.
fn next_record(
    r: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    ctx: &mut Ctx<'_>,
    loc: &Location,
    record_no: u64,
) -> io::Result<Next> {
    let mut reported = false;
    loop {
        if read_line_capped(r, buf, MAX_HEADER_LINE)?.is_none() {
            return Ok(Next::Eof);
        }
        let line = String::from_utf8_lossy(buf);
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if t.starts_with("WARC/") {
            return Ok(Next::Record(t.to_string()));
        }
        if !reported {
            let shown: String = t.chars().take(60).collect();
            ctx.skip(
                loc.with_record(record_no + 1),
                format!("expected a WARC record header (WARC/1.x), found {shown:?}; skipping to the next record"),
            );
            reported = true;
        }
    }
}

pub(crate) fn read_warc<'r>(ctx: &mut Ctx<'_>, reader: Box<dyn Read + 'r>, loc: &Location) {
    let mut r = BufReader::with_capacity(64 * 1024, reader);
    let max_record = ctx.opts.max_file_bytes;
    let mut buf = Vec::new();
    let mut n = 0u64;
    loop {
        let version = match next_record(&mut r, &mut buf, ctx, loc, n) {
            Ok(Next::Record(v)) => v,
            Ok(Next::Eof) => break,
            Err(e) => {
                ctx.skip(loc.with_record(n + 1), format!("read error: {e}"));
                break;
            }
        };
        n += 1;
        let at = loc.with_record(n);
        // Header fields up to the blank line.
        let mut header = Header { fields: Vec::new() };
        let mut header_ok = true;
        loop {
            match read_line_capped(&mut r, &mut buf, MAX_HEADER_LINE) {
                Ok(Some(_)) => {}
                Ok(None) => {
                    ctx.skip(
                        at.clone(),
                        "truncated WARC record: end of file inside the header",
                    );
                    return;
                }
                Err(e) => {
                    ctx.skip(at.clone(), format!("read error in the WARC header: {e}"));
                    return;
                }
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                if let Some(last) = header.fields.last_mut() {
                    last.1.push(' ');
                    last.1.push_str(line.trim());
                }
                continue;
            }
            match line.split_once(':') {
                Some((k, v)) => header
                    .fields
                    .push((k.trim().to_string(), v.trim().to_string())),
                None => {
                    header_ok = false;
                    break;
                }
            }
            if header.fields.len() > MAX_HEADERS {
                header_ok = false;
                break;
            }
        }
        if !header_ok {
            ctx.skip(
                at,
                format!("malformed WARC header in a {version} record; skipping to the next record"),
            );
            continue;
        }
        let Some(len) = header
            .get("Content-Length")
            .and_then(|v| v.trim().parse::<u64>().ok())
        else {
            ctx.skip(
                at,
                "WARC record without a valid Content-Length; skipping to the next record",
            );
            continue;
        };
        let is_candidate = matches!(header.get("WARC-Type"), Some("response" | "resource"));
        if len > max_record {
            if is_candidate {
                ctx.skip(
                    at.clone(),
                    format!("WARC record of {len} bytes is over the {max_record}-byte limit for one record; skipped"),
                );
            }
            match io::copy(&mut (&mut r).take(len), &mut io::sink()) {
                Ok(got) if got == len => continue,
                _ => {
                    ctx.skip(at, "truncated WARC record: the file ends inside it");
                    return;
                }
            }
        }
        let mut body = Vec::with_capacity(len.min(1 << 20) as usize);
        if let Err(e) = (&mut r).take(len).read_to_end(&mut body) {
            ctx.skip(at, format!("read error in a WARC record: {e}"));
            return;
        }
        if (body.len() as u64) < len {
            ctx.skip(
                at,
                format!(
                    "truncated WARC record: Content-Length says {len} bytes, the file holds {}",
                    body.len()
                ),
            );
            return;
        }
        if is_candidate {
            handle_record(ctx, &header, &body, at);
        }
    }
}

struct HttpPayload<'b> {
    status: Option<u16>,
    content_type: Option<String>,
    body: std::borrow::Cow<'b, [u8]>,
}

fn split_http(block: &[u8]) -> Option<HttpPayload<'_>> {
    if !block.starts_with(b"HTTP/") {
        return None;
    }
    let (head_end, sep) = match find(block, b"\r\n\r\n") {
        Some(i) => (i, 4),
        None => (find(block, b"\n\n")?, 2),
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok());
    let mut content_type = None;
    let mut chunked = false;
    let mut encoding = None;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            let v = v.trim();
            match k.as_str() {
                "content-type" => content_type = Some(v.to_string()),
                "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                "content-encoding" => encoding = Some(v.to_ascii_lowercase()),
                _ => {}
            }
        }
    }
    let mut body: std::borrow::Cow<'_, [u8]> = std::borrow::Cow::Borrowed(&block[head_end + sep..]);
    if chunked {
        if let Some(d) = dechunk(&body) {
            body = std::borrow::Cow::Owned(d);
        }
    }
    match encoding.as_deref() {
        Some("gzip" | "x-gzip") => {
            let mut out = Vec::new();
            if flate2::read::MultiGzDecoder::new(&body[..])
                .take(256 << 20)
                .read_to_end(&mut out)
                .is_ok()
            {
                body = std::borrow::Cow::Owned(out);
            }
        }
        Some("deflate") => {
            let mut out = Vec::new();
            if flate2::read::ZlibDecoder::new(&body[..])
                .take(256 << 20)
                .read_to_end(&mut out)
                .is_ok()
            {
                body = std::borrow::Cow::Owned(out);
            }
        }
        _ => {}
    }
    Some(HttpPayload {
        status,
        content_type,
        body,
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let line_end = find(data, b"\r\n")?;
        let size_str = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_str.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        if data.len() < size {
            return None;
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or(&[]);
    }
}

fn handle_record(ctx: &mut Ctx<'_>, header: &Header, block: &[u8], at: Location) {
    let url = header
        .get("WARC-Target-URI")
        .map(|u| u.trim_matches(['<', '>']).to_string());
    let warc_type = header.get("WARC-Type").unwrap_or("");
    let (content_type, payload): (Option<String>, std::borrow::Cow<'_, [u8]>) = if warc_type
        == "response"
    {
        match split_http(block) {
            Some(p) => {
                if let Some(s) = p.status {
                    if !(200..300).contains(&s) {
                        tracing::debug!(record = ?at.record, status = s, "non-2xx response record passed over");
                        return;
                    }
                }
                (p.content_type, p.body)
            }
            // A response record with no HTTP head (some crawlers store bare bodies).
            None => (
                header.get("Content-Type").map(str::to_string),
                std::borrow::Cow::Borrowed(block),
            ),
        }
    } else {
        (
            header.get("Content-Type").map(str::to_string),
            std::borrow::Cow::Borrowed(block),
        )
    };
    let is_html = match content_type.as_deref() {
        Some(ct) => {
            let ct = ct.to_ascii_lowercase();
            ct.contains("html")
        }
        None => matches!(
            crate::sniff::sniff_detail(&payload[..payload.len().min(4096)], None),
            crate::sniff::Sniffed::Format(InputFormat::Html)
        ),
    };
    if !is_html {
        tracing::debug!(record = ?at.record, content_type = ?content_type, "non-HTML record passed over");
        return;
    }
    let crawl = header
        .get("WARC-Date")
        .and_then(|d| Timestamp::parse(d).ok());
    let extra = crawl
        .map(|t| {
            vec![DateCandidate {
                raw: header.get("WARC-Date").unwrap_or_default().to_string(),
                provenance: DateProvenance::Metadata,
                evidence: "WARC-Date".to_string(),
                rejected_because: format!(
                    "the crawl date, not the publication date; used only as the latest possible date ({})",
                    t.utc_date()
                ),
            }]
        })
        .unwrap_or_default();
    html::read_html(
        ctx,
        &payload,
        HtmlSource {
            location: at,
            url,
            content_type,
            format: InputFormat::Warc,
            not_after: crawl.map(|t| t.utc_date()),
            extra_candidates: extra,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n").unwrap(),
            b"Wikipedia"
        );
        assert_eq!(dechunk(b"zz\r\n"), None);
        assert_eq!(dechunk(b"10\r\nshort"), None);
    }

    #[test]
    fn http_split() {
        let p = split_http(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<html>",
        )
        .unwrap();
        assert_eq!(p.status, Some(200));
        assert_eq!(
            p.content_type.as_deref(),
            Some("text/html; charset=windows-1252")
        );
        assert_eq!(&p.body[..], b"<html>");
        assert!(split_http(b"<html>").is_none());
    }
}
