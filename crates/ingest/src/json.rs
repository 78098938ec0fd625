//! JSON documents and JSON Lines.
//!
//! A JSON document may be one article object, an array of them, or an
//! object holding the array under a key such as `articles`, `items`, `data`
//! or `results`. Arrays are streamed element by element (a serde visitor
//! hands each element over as soon as it is parsed), so a multi-gigabyte
//! export is read in the memory of one article. A syntax error ends the
//! document (JSON cannot be resynchronised), after everything before it was
//! read. JSON Lines are read line by line and a bad line is skipped alone.
//!
//! Which of the two a file is cannot be told from a sample: a JSONL file
//! whose first line is longer than the sample, or whose first line is bad,
//! looks like a broken document. So the document reader decides as it
//! reads: a first value followed by more content is the first line of
//! JSON Lines, and the rest is read line by line; a first value broken on
//! its first line, followed by a line that parses, is a bad first line.
//!
//! An escape of an unpaired UTF-16 surrogate (`"\ud800"`) stops serde in
//! the middle of a document. The document reader rewrites each one to
//! `\uFDD0`, a noncharacter Unicode keeps for internal use, and skips the
//! record that holds it; the records beside it are read.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use storyline_core::{InputFormat, Location};

use crate::decode::{detect_encoding, DecodeReader};
use crate::record::{raw_from_values, values_from_json};
use crate::Ctx;

/// Keys under which APIs and exports put their list of articles.
const ARRAY_KEYS: &[&str] = &[
    "articles",
    "items",
    "data",
    "results",
    "docs",
    "documents",
    "records",
    "entries",
    "stories",
    "news",
    "posts",
    "hits",
    "response",
];

/// Reads a stream in whatever encoding its first bytes show, as UTF-8.
fn utf8_reader<'r>(mut reader: Box<dyn Read + 'r>) -> io::Result<Box<dyn Read + 'r>> {
    let mut sample = Vec::with_capacity(4096);
    (&mut reader).take(4096).read_to_end(&mut sample)?;
    let complete = sample.len() < 4096;
    let (enc, bom) = detect_encoding(&sample, complete);
    let rest = io::Cursor::new(sample.split_off(bom.min(sample.len()))).chain(reader);
    if enc == encoding_rs::UTF_8 {
        Ok(Box::new(rest))
    } else {
        Ok(Box::new(DecodeReader::new(rest, enc)))
    }
}

/// What an unpaired surrogate escape is rewritten to (see the module
/// comment): the escape, and the character it decodes to.
const LONE_SURROGATE_ESCAPE: &[u8; 4] = b"FDD0";
const LONE_SURROGATE_MARK: char = '\u{FDD0}';

/// Whether any string of `v`, key or value, holds the mark left for an
/// unpaired surrogate escape. Walks with a stack, not recursion: a record
/// nests as deep as serde allows.
fn has_lone_surrogate(v: &Value) -> bool {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) if s.contains(LONE_SURROGATE_MARK) => return true,
            Value::Array(items) => stack.extend(items),
            Value::Object(obj) => {
                if obj.keys().any(|k| k.contains(LONE_SURROGATE_MARK)) {
                    return true;
                }
                stack.extend(obj.values());
            }
            _ => {}
        }
    }
    false
}

pub(crate) fn handle_value(ctx: &mut Ctx<'_>, v: Value, loc: Location, format: InputFormat) {
    if has_lone_surrogate(&v) {
        return ctx.skip(
            loc,
            "a string holds an unpaired UTF-16 surrogate escape (like \\ud800), which is not text; the record was skipped",
        );
    }
    match v {
        Value::Object(obj) => {
            let values = values_from_json(&obj, &ctx.opts.field_map);
            match raw_from_values(values, loc.clone(), format, "field") {
                Ok(raw) => ctx.finish(raw),
                Err(reason) => ctx.skip(loc, reason),
            }
        }
        other => ctx.skip(
            loc,
            format!("record is {}, not a JSON object", kind_of(&other)),
        ),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The reading state shared by the visitors.
struct Doc<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    loc: Location,
    records: u64,
    /// A top-level object, held until what follows it shows whether it is
    /// a document or the first line of JSON Lines.
    pending: Option<serde_json::Map<String, Value>>,
}

impl Doc<'_, '_> {
    fn element(&mut self, v: Value) {
        self.records += 1;
        let loc = self.loc.with_record(self.records);
        match v {
            // A nested list of articles one level down, e.g. {"data": [[...]]} is rare; flatten.
            Value::Array(items) => {
                for item in items {
                    self.records += 1;
                    let loc = self.loc.with_record(self.records);
                    handle_value(self.ctx, item, loc, InputFormat::Json);
                }
            }
            other => handle_value(self.ctx, other, loc, InputFormat::Json),
        }
    }

    /// An object that held no streamed array: maybe an article, maybe a
    /// wrapper with the list deeper down.
    fn object(&mut self, obj: serde_json::Map<String, Value>) {
        if let Some(list) = find_nested_list(&obj, 3) {
            for item in list.iter().cloned() {
                self.element(item);
            }
            return;
        }
        self.records += 1;
        let loc = if self.records > 1 {
            self.loc.with_record(self.records)
        } else {
            self.loc.clone()
        };
        handle_value(self.ctx, Value::Object(obj), loc, InputFormat::Json);
    }
}

/// A list of objects under a known key, up to `depth` levels down, when the
/// object itself has no text field.
fn find_nested_list(obj: &serde_json::Map<String, Value>, depth: u8) -> Option<&Vec<Value>> {
    let has_text = obj
        .keys()
        .any(|k| crate::record::TEXT_NAMES.contains(&k.to_ascii_lowercase().as_str()));
    if has_text || depth == 0 {
        return None;
    }
    for (k, v) in obj {
        let key = k.to_ascii_lowercase();
        match v {
            Value::Array(items)
                if ARRAY_KEYS.contains(&key.as_str()) && items.iter().any(Value::is_object) =>
            {
                return Some(items)
            }
            Value::Object(inner) => {
                if let Some(found) = find_nested_list(inner, depth - 1) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

struct TopSeed<'d, 'c, 'a>(&'d mut Doc<'c, 'a>);

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            self.0.element(v);
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut streamed = false;
        while let Some(key) = map.next_key::<String>()? {
            if !streamed && ARRAY_KEYS.contains(&key.to_ascii_lowercase().as_str()) {
                let got = map.next_value_seed(ListSeed(self.0))?;
                match got {
                    Some(v) => {
                        rest.insert(key, v);
                    }
                    None => streamed = true,
                }
            } else {
                let v: Value = map.next_value()?;
                rest.insert(key, v);
            }
        }
        if !streamed {
            self.0.pending = Some(rest);
        }
        Ok(())
    }
}

/// Streams an array; any other value is handed back whole.
struct ListSeed<'d, 'c, 'a>(&'d mut Doc<'c, 'a>);

impl<'de> DeserializeSeed<'de> for ListSeed<'_, '_, '_> {
    type Value = Option<Value>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_, '_, '_> {
    type Value = Option<Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        let mut n = 0;
        while let Some(v) = seq.next_element::<Value>()? {
            n += 1;
            self.0.element(v);
        }
        let _ = n;
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        let v =
            <Value as de::Deserialize>::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v)))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(Some(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
}

/// Rewrites each JSON escape of an unpaired UTF-16 surrogate to
/// `\uFDD0` (the same six bytes long, so line and column numbers hold);
/// see the module comment. Outside strings a backslash is a syntax error
/// anyway, so escapes are found without tracking string context: a `\`
/// always starts an escape, and the character after it belongs to it.
struct LoneSurrogates<R> {
    inner: R,
    data: Vec<u8>,
    /// Bytes of `data` already handed out.
    given: usize,
    /// Bytes of `data` scanned and ready to hand out.
    ready: usize,
    eof: bool,
}

impl<R: Read> LoneSurrogates<R> {
    fn new(inner: R) -> Self {
        LoneSurrogates {
            inner,
            data: Vec::with_capacity(64 * 1024),
            given: 0,
            ready: 0,
            eof: false,
        }
    }

    /// The UTF-16 code unit of the `\uXXXX` escape at `at`, if those six
    /// bytes are one.
    fn unit(data: &[u8], at: usize) -> Option<u16> {
        let esc = data.get(at..at + 6)?;
        if esc[0] != b'\\' || esc[1] != b'u' {
            return None;
        }
        let hex = std::str::from_utf8(&esc[2..]).ok()?;
        u16::from_str_radix(hex, 16).ok()
    }

    /// Scans from `ready` as far as the data allows; an escape cut by the
    /// end of the data waits for more unless the input has ended.
    fn scan(&mut self) {
        let mut i = self.ready;
        let n = self.data.len();
        while i < n {
            if self.data[i] != b'\\' {
                i += 1;
                continue;
            }
            let need = |len: usize| i + len <= n;
            if !need(2) {
                if self.eof {
                    i = n;
                }
                break;
            }
            if self.data[i + 1] != b'u' {
                i += 2;
                continue;
            }
            if !need(6) && !self.eof {
                break;
            }
            let Some(unit) = Self::unit(&self.data, i) else {
                // Not four hex digits: serde reports it.
                i = (i + 2).min(n);
                continue;
            };
            match unit {
                0xD800..=0xDBFF => {
                    if !need(12) && !self.eof {
                        break;
                    }
                    match Self::unit(&self.data, i + 6) {
                        Some(0xDC00..=0xDFFF) => i += 12,
                        _ => {
                            self.data[i + 2..i + 6].copy_from_slice(LONE_SURROGATE_ESCAPE);
                            i += 6;
                        }
                    }
                }
                0xDC00..=0xDFFF => {
                    self.data[i + 2..i + 6].copy_from_slice(LONE_SURROGATE_ESCAPE);
                    i += 6;
                }
                _ => i += 6,
            }
        }
        self.ready = i;
    }
}

impl<R: Read> Read for LoneSurrogates<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.ready > self.given {
                let n = (self.ready - self.given).min(out.len());
                out[..n].copy_from_slice(&self.data[self.given..self.given + n]);
                self.given += n;
                return Ok(n);
            }
            if self.eof && self.given >= self.data.len() {
                return Ok(0);
            }
            self.data.drain(..self.given);
            self.ready -= self.given;
            self.given = 0;
            if !self.eof {
                let old = self.data.len();
                self.data.resize(old + 64 * 1024, 0);
                match self.inner.read(&mut self.data[old..]) {
                    Ok(0) => {
                        self.data.truncate(old);
                        self.eof = true;
                    }
                    Ok(got) => self.data.truncate(old + got),
                    Err(e) => {
                        self.data.truncate(old);
                        if e.kind() != io::ErrorKind::Interrupted {
                            return Err(e);
                        }
                    }
                }
            }
            self.scan();
        }
    }
}

/// Most bytes of the current line [`Lines`] keeps for giving a broken
/// first line back whole; a longer line is reported, not re-read.
const KEPT_LINE: usize = 1024 * 1024;

/// A buffered reader that counts the lines read through it and keeps the
/// current one (up to [`KEPT_LINE`] bytes), so that when the JSON parser
/// stops (at the end of a value or at an error) the reader knows which line
/// it is on and can give that line back whole.
struct Lines<R> {
    inner: R,
    /// Newlines read so far: the current line is `newlines + 1`.
    newlines: u64,
    /// The current line as far as it was read, unless it grew too long.
    current: Vec<u8>,
    overflow: bool,
}

impl<R: BufRead> Lines<R> {
    fn new(inner: R) -> Self {
        Lines {
            inner,
            newlines: 0,
            current: Vec::new(),
            overflow: false,
        }
    }

    /// Consumes whitespace; `true` when something else follows.
    fn skip_blank(&mut self) -> io::Result<bool> {
        loop {
            let buf = match self.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buf.is_empty() {
                return Ok(false);
            }
            let blank = buf
                .iter()
                .take_while(|b| b.is_ascii_whitespace() || **b == 0)
                .count();
            let more = blank < buf.len();
            self.consume(blank);
            if more {
                return Ok(true);
            }
        }
    }
}

fn track(newlines: &mut u64, current: &mut Vec<u8>, overflow: &mut bool, bytes: &[u8]) {
    let tail = match bytes.iter().rposition(|b| *b == b'\n') {
        Some(last) => {
            *newlines += bytes.iter().filter(|b| **b == b'\n').count() as u64;
            current.clear();
            *overflow = false;
            &bytes[last + 1..]
        }
        None => bytes,
    };
    if current.len() + tail.len() > KEPT_LINE {
        *overflow = true;
        current.clear();
    } else if !*overflow {
        current.extend_from_slice(tail);
    }
}

impl<R: BufRead> BufRead for Lines<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        // `consume` follows a `fill_buf`, so the bytes are still buffered
        // and this `fill_buf` reads nothing.
        if let Ok(buf) = self.inner.fill_buf() {
            let n = amt.min(buf.len());
            track(
                &mut self.newlines,
                &mut self.current,
                &mut self.overflow,
                &buf[..n],
            );
        }
        self.inner.consume(amt);
    }
}

impl<R: BufRead> Read for Lines<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        // serde asks for one byte at a time: one `fill_buf` per call.
        let buf = self.inner.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        track(
            &mut self.newlines,
            &mut self.current,
            &mut self.overflow,
            &buf[..n],
        );
        self.inner.consume(n);
        Ok(n)
    }
}

/// Reads a JSON document, or JSON Lines that did not look like them in
/// the sample (see the module comment).
pub(crate) fn read_json<'r>(ctx: &mut Ctx<'_>, reader: Box<dyn Read + 'r>, loc: &Location) {
    let reader = match utf8_reader(reader) {
        Ok(r) => r,
        Err(e) => return ctx.skip(loc.clone(), format!("cannot read: {e}")),
    };
    let mut src = Lines::new(BufReader::with_capacity(
        64 * 1024,
        LoneSurrogates::new(reader),
    ));
    match src.skip_blank() {
        Ok(true) => {}
        Ok(false) => return ctx.skip(loc.clone(), "empty: no text at all"),
        Err(e) => return ctx.skip(loc.clone(), format!("read error: {e}")),
    }
    let start_line = src.newlines + 1;
    let mut doc = Doc {
        ctx,
        loc: loc.clone(),
        records: 0,
        pending: None,
    };
    let result = {
        let mut de = serde_json::Deserializer::from_reader(&mut src);
        TopSeed(&mut doc).deserialize(&mut de)
    };
    let Doc {
        ctx,
        records,
        pending,
        ..
    } = doc;
    let e = match result {
        Ok(()) => return after_first_value(ctx, &mut src, loc, start_line, records, pending),
        Err(e) => e,
    };
    let at = loc.with_line(src.newlines + 1);
    let at = if records > 0 {
        at.with_record(records + 1)
    } else {
        at
    };
    if e.is_eof() {
        return ctx.skip(
            at,
            format!("truncated JSON: {e}; {records} record(s) before it were read"),
        );
    }
    if e.is_io() {
        return ctx.skip(at, format!("read error: {e}"));
    }
    // A syntax error. When the lines after it parse, this is JSON Lines
    // with a bad line, not a broken document.
    let error_line = src.newlines + 1;
    let head = std::mem::take(&mut src.current);
    let head_whole = !src.overflow;
    let cap = usize::try_from(ctx.opts.max_file_bytes).unwrap_or(usize::MAX);
    let mut rest = Vec::new();
    let rest_whole = match crate::read_line_capped(&mut src, &mut rest, cap) {
        Ok(cut) => !cut.unwrap_or(false),
        Err(e) => return ctx.skip(at, format!("read error: {e}")),
    };
    let mut line = head;
    line.extend_from_slice(&rest);
    // The error fell on a later line than the value began on: that line may
    // be the next record after a first one left open.
    let retry = (error_line > start_line && head_whole && rest_whole).then_some(line);
    let retry_parses = retry.as_deref().is_some_and(parses);
    // A value broken on the line it began on, followed by a line that is a
    // record: a bad first line. (A document broken further down is not
    // read on as lines: each of its lines would be one more problem.)
    let next_parses = !retry_parses && error_line == start_line && next_line_parses(&mut src);
    if !retry_parses && !next_parses {
        return ctx.skip(
            at,
            format!("malformed JSON: {e}; {records} record(s) before it were read, the rest of the file was not"),
        );
    }
    let broken_to = if retry_parses {
        error_line - 1
    } else {
        error_line
    };
    let span = if broken_to > start_line {
        format!("lines {start_line}-{broken_to}")
    } else {
        format!("line {start_line}")
    };
    ctx.skip(
        loc.with_line(start_line).with_record(start_line),
        format!("malformed JSON: {e}; {span} skipped, reading the rest as JSON Lines"),
    );
    if let Some(line) = retry.filter(|_| retry_parses) {
        jsonl_line(
            ctx,
            &line,
            loc.with_line(error_line).with_record(error_line),
        );
    }
    let from = src.newlines;
    jsonl_lines(ctx, &mut src, loc, from);
}

/// Whether a line holds one JSON object or array and nothing else: what a
/// line of JSON Lines holds.
fn parses(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    (t.starts_with(b"{") || t.starts_with(b"["))
        && serde_json::from_slice::<serde::de::IgnoredAny>(t).is_ok()
}

/// Whether the next line with content holds one JSON object or array,
/// looking no further than the buffer holds: a line longer than that counts
/// when it begins like a record. Nothing of the line is consumed.
fn next_line_parses<R: BufRead>(src: &mut Lines<R>) -> bool {
    loop {
        let Ok(buf) = src.fill_buf() else {
            return false;
        };
        if buf.is_empty() {
            return false;
        }
        let blank = buf
            .iter()
            .take_while(|b| b.is_ascii_whitespace() || **b == 0)
            .count();
        if blank == buf.len() {
            src.consume(blank);
            continue;
        }
        // Leave the line in the buffer for the line reader; blank bytes
        // before it are consumed (keeping the line count right).
        src.consume(blank);
        let Ok(buf) = src.fill_buf() else {
            return false;
        };
        return match buf.iter().position(|b| *b == b'\n') {
            Some(end) => parses(&buf[..end]),
            None => buf.starts_with(b"{"),
        };
    }
}

/// After a first value that parsed: the end of a document, or the first
/// line of JSON Lines when more follows.
fn after_first_value<R: BufRead>(
    ctx: &mut Ctx<'_>,
    src: &mut Lines<R>,
    loc: &Location,
    start_line: u64,
    records: u64,
    pending: Option<serde_json::Map<String, Value>>,
) {
    let more = match src.skip_blank() {
        Ok(more) => more,
        Err(e) => {
            ctx.skip(loc.with_line(src.newlines + 1), format!("read error: {e}"));
            false
        }
    };
    if more {
        if let Some(obj) = pending {
            let at = loc.with_line(start_line).with_record(start_line);
            handle_value(ctx, Value::Object(obj), at, InputFormat::Jsonl);
        }
        // The rest of the current line first: `{...} {...}` on one line.
        let from = src.newlines;
        jsonl_lines(ctx, src, loc, from);
        return;
    }
    let mut doc = Doc {
        ctx,
        loc: loc.clone(),
        records,
        pending: None,
    };
    match pending {
        Some(obj) => doc.object(obj),
        None if records == 0 => doc.ctx.skip(
            loc.clone(),
            "holds no records: the JSON list of articles is empty",
        ),
        None => {}
    }
}

/// One line of JSON Lines.
fn jsonl_line(ctx: &mut Ctx<'_>, bytes: &[u8], at: Location) {
    let line = String::from_utf8_lossy(bytes);
    let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}' || c == '\0');
    if line.is_empty() {
        return;
    }
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Array(items)) => {
            for item in items {
                handle_value(ctx, item, at.clone(), InputFormat::Jsonl);
            }
        }
        Ok(v) => handle_value(ctx, v, at, InputFormat::Jsonl),
        Err(e) => ctx.skip(at, format!("malformed JSON: {e}")),
    }
}

/// Reads JSON Lines to the end, numbering lines from `line_no + 1`.
fn jsonl_lines(ctx: &mut Ctx<'_>, r: &mut dyn BufRead, loc: &Location, mut line_no: u64) {
    let cap = usize::try_from(ctx.opts.max_file_bytes).unwrap_or(usize::MAX);
    let mut buf = Vec::new();
    loop {
        let cut = match crate::read_line_capped(r, &mut buf, cap) {
            Ok(Some(cut)) => cut,
            Ok(None) => break,
            Err(e) => {
                ctx.skip(loc.with_line(line_no + 1), format!("read error: {e}"));
                break;
            }
        };
        line_no += 1;
        let at = loc.with_line(line_no).with_record(line_no);
        if cut {
            ctx.skip(
                at,
                format!(
                    "line longer than the {cap}-byte limit for one record (raise max_file_bytes)"
                ),
            );
            continue;
        }
        jsonl_line(ctx, &buf, at);
    }
}

pub(crate) fn read_jsonl<'r>(ctx: &mut Ctx<'_>, reader: Box<dyn Read + 'r>, loc: &Location) {
    let reader = match utf8_reader(reader) {
        Ok(r) => r,
        Err(e) => return ctx.skip(loc.clone(), format!("cannot read: {e}")),
    };
    let mut r = BufReader::with_capacity(64 * 1024, LoneSurrogates::new(reader));
    jsonl_lines(ctx, &mut r, loc, 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Hands out one byte per read, so escapes straddle every boundary.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((b, rest)), Some(o)) => {
                    *o = *b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn filtered(input: &[u8], trickle: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if trickle {
            LoneSurrogates::new(Trickle(input))
                .read_to_end(&mut out)
                .unwrap();
        } else {
            LoneSurrogates::new(input).read_to_end(&mut out).unwrap();
        }
        out
    }

    #[test]
    fn lone_surrogates_are_marked_and_nothing_else_changes() {
        let cases: &[(&str, &str)] = &[
            (r#""\ud800""#, r#""\uFDD0""#),
            (r#""\uDBFF\u0041""#, r#""\uFDD0\u0041""#),
            (r#""\udc00""#, r#""\uFDD0""#),
            (r#""\ud83d\ude00""#, r#""\ud83d\ude00""#),
            (r#""\\ud800""#, r#""\\ud800""#),
            (r#""\\\ud800""#, r#""\\\uFDD0""#),
            (r#""\u12""#, r#""\u12""#),
            (r#""\ud800"#, r#""\uFDD0"#),
            ("\\", "\\"),
            ("", ""),
        ];
        for (input, want) in cases {
            for trickle in [false, true] {
                assert_eq!(
                    String::from_utf8(filtered(input.as_bytes(), trickle)).unwrap(),
                    *want,
                    "{input} (one byte at a time: {trickle})"
                );
            }
        }
    }

    #[test]
    fn lines_counts_and_keeps_the_current_line() {
        let mut l = Lines::new(&b"one\ntwo\nthree"[..]);
        let mut out = [0u8; 6];
        l.read_exact(&mut out).unwrap();
        assert_eq!(l.newlines, 1);
        assert_eq!(l.current, b"tw");
        let mut rest = Vec::new();
        l.read_to_end(&mut rest).unwrap();
        assert_eq!(l.newlines, 2);
        assert_eq!(l.current, b"three");
    }

    proptest! {
        #[test]
        fn the_filter_keeps_length_and_parses(
            parts in prop::collection::vec(
                prop::sample::select(vec![
                    "a", "\\ud800", "\\udbff", "\\udc00", "\\udfff",
                    "\\ud83d\\ude00", "\\\\", "\\n", "\\u0041", "\\\"", "é",
                ]),
                0..40,
            )
        ) {
            let input = format!("\"{}\"", parts.concat());
            let whole = filtered(input.as_bytes(), false);
            prop_assert_eq!(&whole, &filtered(input.as_bytes(), true));
            prop_assert_eq!(whole.len(), input.len());
            let text: String = serde_json::from_slice(&whole).expect("valid JSON after the filter");
            // A high escape right before a low one is a pair.
            let high = |p: &str| matches!(p, "\\ud800" | "\\udbff");
            let low = |p: &str| matches!(p, "\\udc00" | "\\udfff");
            let mut lone = false;
            let mut i = 0;
            while i < parts.len() {
                if high(parts[i]) && parts.get(i + 1).is_some_and(|n| low(n)) {
                    i += 2;
                    continue;
                }
                lone |= high(parts[i]) || low(parts[i]);
                i += 1;
            }
            prop_assert_eq!(text.contains(LONE_SURROGATE_MARK), lone);
        }
    }
}
