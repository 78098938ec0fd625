//! Input readers: everything storyline can read, turned into
//! [`ArticleDraft`]s plus [`Problem`]s.
//!
//! One entry point, [`read`], takes a path (file or directory), `-` for stdin,
//! or an http(s) URL, works out the format from the content (see [`sniff`]),
//! and streams each article to a sink as soon as it is read. Pushing into a
//! sink rather than returning a `Vec` is the main design choice: a 2 GB CSV
//! or a folder of 100,000 files is read in constant memory, and the engine
//! can batch and commit while reading goes on. The cost is that callers see
//! results one at a time and cannot look ahead.
//!
//! Bad input is data, not an error. A bad file, row, line, feed item or WARC
//! record becomes an [`Event::Problem`] saying what and where, and reading
//! goes on; [`read`] fails only when the input as a whole cannot be read (a
//! missing path, an unreachable URL).
//!
//! **Architecture invariant:** this crate reads and normalises; it does not
//! analyse, store, or decide anything about stories. Every reader ends in the
//! same `draft::finish`, so date provenance rules (stated dates checked
//! against `now`, a dateline year never guessed, inference only when nothing
//! states a date) hold for every format.
//!
//! ```
//! use storyline_ingest::{read_bytes, Event, IngestOptions};
//! use storyline_core::Location;
//!
//! let text = b"date 2023-11-09\n\nBy Ana Ruiz\nCAIRO (Reuters) - Egypt opened the crossing on Thursday.";
//! let mut articles = Vec::new();
//! read_bytes(text, Location::source("-"), None, &IngestOptions::default(), &mut |e| {
//!     if let Event::Article(a) = e { articles.push(a) }
//! });
//! let a = &articles[0];
//! assert_eq!(a.published.unwrap().to_string(), "2023-11-09");
//! assert_eq!(a.authors, ["Ana Ruiz"]);
//! assert_eq!(a.source.as_deref(), Some("Reuters"));
//! assert_eq!(a.dateline.as_ref().unwrap().place, "CAIRO");
//! ```
#![deny(missing_docs)]

mod decode;
mod draft;
mod feed;
mod fetch;
mod fragment;
mod html;
mod json;
mod meta;
mod record;
mod seen;
mod sniff;
mod table;
mod text;
mod walk;
mod warc;

pub use seen::{Look, Seen};

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use storyline_core::{ArticleDraft, InputFormat, Location, Problem};

pub use fetch::{fetch, FetchError, Fetched};
pub use meta::{
    check_date, find_dateline, infer_date_from_text, parse_byline, parse_header_lines,
    HeaderFields, HeaderKey, HeaderLine,
};
pub use record::{Field, FieldMap, FieldMapError};
pub use sniff::sniff;

use sniff::Sniffed;

/// An input named on the command line or in an API request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A file or a directory (read recursively).
    Path(PathBuf),
    /// Standard input.
    Stdin,
    /// An http(s) URL: a page or a feed.
    Url(String),
}

impl Input {
    /// `-` is stdin, `http://` / `https://` is a URL, anything else a path.
    ///
    /// ```
    /// use storyline_ingest::Input;
    /// assert_eq!(Input::from_arg("-"), Input::Stdin);
    /// assert_eq!(Input::from_arg("https://example.com/feed"), Input::Url("https://example.com/feed".into()));
    /// assert_eq!(Input::from_arg("news/"), Input::Path("news/".into()));
    /// ```
    pub fn from_arg(arg: &str) -> Input {
        let lower = arg.trim().to_ascii_lowercase();
        if arg == "-" {
            Input::Stdin
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            Input::Url(arg.trim().to_string())
        } else {
            Input::Path(PathBuf::from(arg))
        }
    }
}

/// Limits and identity for network fetches. Defaults are safe for a laptop
/// and a server alike: private addresses are refused so that a URL given by
/// a user (or found in a feed) cannot reach the machine's own network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FetchOptions {
    /// Overall time for one fetch, redirects included. Connecting gets at most 10 s of it.
    pub timeout: Duration,
    /// Most bytes read from one response body; more is reported as too large.
    pub max_bytes: u64,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Most redirects followed (each hop is checked against the address rules).
    pub max_redirects: u32,
    /// Allow loopback, private, link-local and other non-public addresses.
    pub allow_private: bool,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            user_agent: format!(
                "storyline/{} (+https://example.invalid/storyline)",
                env!("CARGO_PKG_VERSION")
            ),
            max_redirects: 5,
            allow_private: false,
        }
    }
}

/// How inputs are read.
#[derive(Clone, Debug, PartialEq)]
pub struct IngestOptions {
    /// Which record fields hold text, date, title... (JSON, JSONL, CSV).
    pub field_map: FieldMap,
    /// Today, for rejecting dates in the future. Fixed in tests.
    pub now: NaiveDate,
    /// Network limits.
    pub fetch: FetchOptions,
    /// Fetch the linked page of feed items that carry only a short summary
    /// (under 400 characters of text). When the fetch fails, the summary is
    /// kept as the article and a warning is reported.
    pub follow_feed_links: bool,
    /// Largest single document read whole (text, Markdown, HTML, a feed), and
    /// largest single record in a multi-record file (a JSONL line, a WARC
    /// record). CSV, JSONL, JSON and WARC files themselves stream and may be
    /// any size.
    pub max_file_bytes: u64,
    /// Memory of earlier passes (`storyline watch`): unchanged files and
    /// feed items whose page was fetched before are skipped, silently.
    pub seen: Option<Seen>,
    /// In a directory walk, read files that symbolic links point to outside
    /// the directory given. Off, such a link is reported and not read, so
    /// that a folder from elsewhere cannot pull in `/etc/passwd` or a
    /// private key. Links to directories are never followed.
    pub follow_symlinks: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            field_map: FieldMap::default(),
            now: chrono::Utc::now().date_naive(),
            fetch: FetchOptions::default(),
            follow_feed_links: false,
            max_file_bytes: 64 * 1024 * 1024,
            seen: None,
            follow_symlinks: false,
        }
    }
}

/// What a reader sends to the sink.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// An article.
    Article(Box<ArticleDraft>),
    /// A skipped item or a warning.
    Problem(Problem),
}

/// Counts for one [`read`] call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadSummary {
    /// Files opened (1 for a file, stdin or URL; more for a directory).
    pub files: u64,
    /// Articles sent to the sink.
    pub articles: u64,
    /// Items skipped.
    pub skipped: u64,
    /// Warnings about items that were kept.
    pub warnings: u64,
    /// Files and linked pages not read again because a [`Seen`] memory
    /// says an earlier pass read them unchanged.
    pub unchanged: u64,
    /// Files left for a later pass because they are still being written
    /// (see [`Seen::with_settle`]).
    pub unsettled: u64,
}

/// An input that could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The path does not exist.
    #[error("{}: no such file or directory", path.display())]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// The path exists but cannot be opened or listed.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The path given.
        path: PathBuf,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Reading standard input failed.
    #[error("stdin: cannot read: {0}")]
    Stdin(#[source] io::Error),
    /// The URL could not be fetched.
    #[error("{url}: {reason}")]
    Fetch {
        /// The URL given.
        url: String,
        /// Why, in words.
        reason: String,
    },
}

/// Shared state of one read: options, the sink and the counts.
pub(crate) struct Ctx<'a> {
    pub opts: &'a IngestOptions,
    sink: &'a mut dyn FnMut(Event),
    pub summary: ReadSummary,
    fetcher: Option<fetch::Fetcher>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(opts: &'a IngestOptions, sink: &'a mut dyn FnMut(Event)) -> Ctx<'a> {
        Ctx {
            opts,
            sink,
            summary: ReadSummary::default(),
            fetcher: None,
        }
    }

    pub(crate) fn emit(&mut self, event: Event) {
        match &event {
            Event::Article(_) => self.summary.articles += 1,
            Event::Problem(p) => {
                if p.skipped {
                    tracing::debug!(location = %p.location, reason = %p.reason, "skipped");
                    self.summary.skipped += 1;
                } else {
                    tracing::debug!(location = %p.location, reason = %p.reason, "warning");
                    self.summary.warnings += 1;
                }
            }
        }
        (self.sink)(event);
    }

    pub(crate) fn skip(&mut self, location: Location, reason: impl Into<String>) {
        self.emit(Event::Problem(Problem::skipped(location, reason)));
    }

    pub(crate) fn warn(&mut self, location: Location, reason: impl Into<String>) {
        self.emit(Event::Problem(Problem::warning(location, reason)));
    }

    pub(crate) fn finish(&mut self, raw: draft::RawArticle) {
        let opts = self.opts;
        // A record's text is held to the limit for one document: a CSV
        // field or JSON string that a small gzip file inflates to gigabytes
        // is one skipped record, never an analysis that cannot allocate.
        let limit = opts.max_file_bytes;
        if raw.text.len() as u64 > limit {
            let size = raw.text.len();
            return self.skip(
                raw.location,
                format!("too large: the record's text is {size} bytes, over the {limit}-byte limit for one document (raise max_file_bytes); the other records are read"),
            );
        }
        draft::finish(raw, opts, &mut |e| self.emit(e));
    }

    pub(crate) fn fetcher(&mut self) -> &fetch::Fetcher {
        let opts = &self.opts.fetch;
        self.fetcher
            .get_or_insert_with(|| fetch::Fetcher::new(opts))
    }
}

/// Where a stream came from beyond its location: for HTML, the page URL and
/// the HTTP content type; for WARC payloads, the crawl date.
#[derive(Clone, Debug, Default)]
pub(crate) struct StreamInfo {
    pub url: Option<String>,
    pub content_type: Option<String>,
    pub file_name: Option<String>,
    pub size: Option<u64>,
}

/// Reads every article in `input` and sends it to `sink`, with every bad
/// file or record as a [`Problem`] (what and where, then skipped).
///
/// Returns `Err` only when the input as a whole cannot be read: a path that
/// does not exist or cannot be opened, unreadable stdin, a URL that cannot
/// be fetched. Everything inside a readable input that goes wrong is a
/// problem event instead.
pub fn read(
    input: &Input,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Event),
) -> Result<ReadSummary, IngestError> {
    let mut ctx = Ctx::new(opts, sink);
    match input {
        Input::Path(path) => read_path(&mut ctx, path)?,
        Input::Stdin => {
            ctx.summary.files += 1;
            let stdin = io::stdin().lock();
            read_stream(
                &mut ctx,
                Box::new(stdin),
                Location::source("-"),
                None,
                &StreamInfo::default(),
                0,
            )
            .map_err(IngestError::Stdin)?;
        }
        Input::Url(url) => fetch::read_url(&mut ctx, url)?,
    }
    Ok(ctx.summary)
}

fn read_path(ctx: &mut Ctx<'_>, path: &Path) -> Result<(), IngestError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            IngestError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            IngestError::Io {
                path: path.to_path_buf(),
                source: e,
            }
        }
    })?;
    if meta.is_dir() {
        std::fs::read_dir(path).map_err(|e| IngestError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        walk::walk(ctx, path);
        Ok(())
    } else if !meta.is_file() {
        // Opening a FIFO with no writer blocks for ever, and a device
        // (`/dev/zero`, `/dev/urandom`) never ends: neither is a document.
        ctx.skip(
            Location::source(path.display().to_string()),
            format!(
                "not a regular file ({}); not read (use - to read standard input)",
                walk::kind_of(&meta.file_type())
            ),
        );
        Ok(())
    } else {
        let file = File::open(path).map_err(|e| IngestError::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        read_open_file(ctx, file, path, Some(meta.len()));
        Ok(())
    }
}

/// Reads one file inside a directory walk: failures are problems.
pub(crate) fn read_file(ctx: &mut Ctx<'_>, path: &Path) {
    let loc = Location::source(path.display().to_string());
    match File::open(path) {
        Ok(file) => {
            let size = file.metadata().ok().map(|m| m.len());
            read_open_file(ctx, file, path, size);
        }
        Err(e) => ctx.skip(loc, format!("cannot open: {e}")),
    }
}

fn read_open_file(ctx: &mut Ctx<'_>, file: File, path: &Path, size: Option<u64>) {
    if let (Some(seen), Ok(meta)) = (&ctx.opts.seen, file.metadata()) {
        match seen.look(path, &meta) {
            seen::Look::Read => {}
            seen::Look::Unchanged => {
                ctx.summary.unchanged += 1;
                return;
            }
            seen::Look::Unsettled => {
                ctx.summary.unsettled += 1;
                return;
            }
        }
    }
    ctx.summary.files += 1;
    let loc = Location::source(path.display().to_string());
    let info = StreamInfo {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        size,
        ..StreamInfo::default()
    };
    if let Err(e) = read_stream(ctx, Box::new(file), loc.clone(), None, &info, 0) {
        ctx.skip(loc, format!("cannot read: {e}"));
    }
}

/// Reads a buffer already in memory (stdin captured by a caller, an HTTP
/// POST body). `hint` forces a format; otherwise it is sniffed. Nothing is
/// returned: articles and problems go to `sink`.
pub fn read_bytes(
    bytes: &[u8],
    location: Location,
    hint: Option<InputFormat>,
    opts: &IngestOptions,
    sink: &mut dyn FnMut(Event),
) {
    let mut ctx = Ctx::new(opts, sink);
    let info = StreamInfo {
        size: Some(bytes.len() as u64),
        ..StreamInfo::default()
    };
    if let Err(e) = read_stream(&mut ctx, Box::new(bytes), location.clone(), hint, &info, 0) {
        ctx.skip(location, format!("cannot read: {e}"));
    }
}

const SAMPLE_BYTES: u64 = 64 * 1024;

/// The one dispatcher every input goes through: take a sample, sniff,
/// unwrap gzip, then hand the whole stream (sample + rest) to a reader.
/// `Err` only for an I/O error reading the sample.
pub(crate) fn read_stream<'r>(
    ctx: &mut Ctx<'_>,
    mut reader: Box<dyn Read + 'r>,
    loc: Location,
    hint: Option<InputFormat>,
    info: &StreamInfo,
    depth: u8,
) -> io::Result<()> {
    let mut sample = Vec::with_capacity(8192);
    let mut late_error = None;
    if let Err(e) = (&mut reader).take(SAMPLE_BYTES).read_to_end(&mut sample) {
        if sample.is_empty() {
            return Err(e);
        }
        // Read what arrived before the error (a truncated .gz), then report it.
        late_error = Some(e);
        reader = Box::new(io::empty());
    }
    let result = read_sampled(ctx, sample, reader, loc.clone(), hint, info, depth);
    if let Some(e) = late_error {
        ctx.skip(
            loc,
            format!("read error, the rest of the input was not read: {e}"),
        );
    }
    result
}

fn read_sampled<'r>(
    ctx: &mut Ctx<'_>,
    sample: Vec<u8>,
    reader: Box<dyn Read + 'r>,
    loc: Location,
    hint: Option<InputFormat>,
    info: &StreamInfo,
    depth: u8,
) -> io::Result<()> {
    let complete = (sample.len() as u64) < SAMPLE_BYTES;
    let sniffed = sniff::sniff_detail(&sample, info.file_name.as_deref());
    if sniffed == Sniffed::Gzip {
        if depth > 0 {
            ctx.skip(loc, "gzip inside gzip is not supported");
            return Ok(());
        }
        let chained = Cursor::new(sample).chain(reader);
        let decoder = flate2::read::MultiGzDecoder::new(io::BufReader::new(chained));
        let inner_info = StreamInfo {
            file_name: info
                .file_name
                .as_deref()
                .map(|n| n.strip_suffix(".gz").unwrap_or(n).to_string()),
            size: None,
            ..info.clone()
        };
        return match read_stream(
            ctx,
            Box::new(decoder),
            loc.clone(),
            hint,
            &inner_info,
            depth + 1,
        ) {
            Ok(()) => Ok(()),
            Err(e) => {
                ctx.skip(loc, format!("cannot decompress gzip data: {e}"));
                Ok(())
            }
        };
    }
    let format = match (hint, sniffed) {
        (_, Sniffed::Empty) => {
            ctx.skip(loc, "empty: no text at all");
            return Ok(());
        }
        (Some(h), _) => h,
        (None, Sniffed::Format(f)) => f,
        (None, Sniffed::Unsupported(kind)) => {
            ctx.skip(loc, format!("not a supported format (looks like {kind})"));
            return Ok(());
        }
        (None, Sniffed::Gzip) => return Ok(()),
    };
    tracing::debug!(location = %loc, format = format.as_str(), "reading");
    let whole = Cursor::new(sample).chain(reader);
    match format {
        InputFormat::Csv => table::read_csv(ctx, Box::new(whole), &loc, info),
        InputFormat::Jsonl => json::read_jsonl(ctx, Box::new(whole), &loc),
        InputFormat::Json => json::read_json(ctx, Box::new(whole), &loc),
        InputFormat::Warc => warc::read_warc(ctx, Box::new(whole), &loc),
        InputFormat::Text | InputFormat::Markdown | InputFormat::Html | InputFormat::Feed => {
            let limit = ctx.opts.max_file_bytes;
            if let Some(size) = info.size.filter(|s| *s > limit) {
                ctx.skip(
                    loc,
                    format!("too large: {size} bytes, over the {limit}-byte limit for one document (raise max_file_bytes)"),
                );
                return Ok(());
            }
            let mut bytes = Vec::new();
            whole.take(limit + 1).read_to_end(&mut bytes)?;
            if bytes.len() as u64 > limit {
                let what = if complete { "" } else { "more than " };
                ctx.skip(
                    loc,
                    format!("too large: {what}{limit} bytes, over the limit for one document (raise max_file_bytes)"),
                );
                return Ok(());
            }
            read_document(ctx, &bytes, loc, format, info);
        }
    }
    Ok(())
}

/// A single document already in memory.
pub(crate) fn read_document(
    ctx: &mut Ctx<'_>,
    bytes: &[u8],
    loc: Location,
    format: InputFormat,
    info: &StreamInfo,
) {
    match format {
        InputFormat::Html => html::read_html(
            ctx,
            bytes,
            html::HtmlSource {
                location: loc,
                url: info.url.clone(),
                content_type: info.content_type.clone(),
                format: InputFormat::Html,
                not_after: None,
                extra_candidates: Vec::new(),
            },
        ),
        InputFormat::Feed => feed::read_feed(ctx, bytes, &loc),
        _ => {
            let decoded = decode::decode_text(bytes);
            if decoded.had_errors {
                ctx.warn(
                    loc.clone(),
                    format!(
                        "some bytes are not valid {} and were replaced with U+FFFD",
                        decoded.encoding.name()
                    ),
                );
            }
            let mut raw = text::read_document(&decoded.text, loc, format);
            if raw.url.is_none() {
                raw.url = info.url.clone();
            }
            ctx.finish(raw);
        }
    }
}

/// Reads a line of at most `cap` bytes (the rest of a longer line is
/// consumed and dropped). `Ok(None)` at end of input; the flag says the line
/// was cut.
pub(crate) fn read_line_capped(
    r: &mut dyn io::BufRead,
    buf: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<bool>> {
    buf.clear();
    let mut cut = false;
    let mut any = false;
    loop {
        let available = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(any.then_some(cut));
        }
        any = true;
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let room = cap.saturating_sub(buf.len());
        if chunk.len() > room {
            buf.extend_from_slice(&chunk[..room]);
            cut = true;
        } else {
            buf.extend_from_slice(chunk);
        }
        let n = chunk.len();
        r.consume(n);
        if done {
            return Ok(Some(cut));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lines() {
        let data = b"short\nthis line is long\nend";
        let mut r = io::BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_capped(&mut r, &mut buf, 8).unwrap(), Some(false));
        assert_eq!(buf, b"short\n");
        assert_eq!(read_line_capped(&mut r, &mut buf, 8).unwrap(), Some(true));
        assert_eq!(buf, b"this lin");
        assert_eq!(read_line_capped(&mut r, &mut buf, 8).unwrap(), Some(false));
        assert_eq!(buf, b"end");
        assert_eq!(read_line_capped(&mut r, &mut buf, 8).unwrap(), None);
    }
}
