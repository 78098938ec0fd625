//! JSON documents and JSON Lines.
//!
//! A JSON document may be one article object, an array of them, or an
//! object holding the array under a key such as `articles`, `items`, `data`
//! or `results`. Arrays are streamed element by element (a serde visitor
//! hands each element over as soon as it is parsed), so a multi-gigabyte
//! export is read in the memory of one article. A syntax error ends the
//! document (JSON cannot be resynchronised), after everything before it was
//! read. JSON Lines are read line by line and a bad line is skipped alone.

use std::fmt;
use std::io::{self, BufReader, Read};

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

pub(crate) fn handle_value(ctx: &mut Ctx<'_>, v: Value, loc: Location, format: InputFormat) {
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
            self.0.object(rest);
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

pub(crate) fn read_json<'r>(ctx: &mut Ctx<'_>, reader: Box<dyn Read + 'r>, loc: &Location) {
    let reader = match utf8_reader(reader) {
        Ok(r) => r,
        Err(e) => return ctx.skip(loc.clone(), format!("cannot read: {e}")),
    };
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(64 * 1024, reader));
    let mut doc = Doc {
        ctx,
        loc: loc.clone(),
        records: 0,
    };
    let result = TopSeed(&mut doc).deserialize(&mut de);
    let records = doc.records;
    let result = result.and_then(|()| de.end());
    if let Err(e) = result {
        let at = if e.line() > 0 {
            loc.with_line(e.line() as u64)
        } else {
            loc.clone()
        };
        let at = if records > 0 {
            at.with_record(records + 1)
        } else {
            at
        };
        let reason = if e.is_eof() {
            format!("truncated JSON: {e}; {records} record(s) before it were read")
        } else if e.is_io() {
            format!("read error: {e}")
        } else {
            format!("malformed JSON: {e}; {records} record(s) before it were read, the rest of the file was not")
        };
        ctx.skip(at, reason);
    }
}

pub(crate) fn read_jsonl<'r>(ctx: &mut Ctx<'_>, reader: Box<dyn Read + 'r>, loc: &Location) {
    let reader = match utf8_reader(reader) {
        Ok(r) => r,
        Err(e) => return ctx.skip(loc.clone(), format!("cannot read: {e}")),
    };
    let mut r = BufReader::with_capacity(64 * 1024, reader);
    let cap = usize::try_from(ctx.opts.max_file_bytes).unwrap_or(usize::MAX);
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        let cut = match crate::read_line_capped(&mut r, &mut buf, cap) {
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
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}' || c == '\0');
        if line.is_empty() {
            continue;
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
}
