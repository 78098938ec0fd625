//! Structured records (JSON objects, CSV rows) to articles: which field holds
//! the text, the date, the title..., chosen automatically from common names
//! or by an explicit [`FieldMap`].

use std::fmt;
use std::str::FromStr;

use serde_json::Value;
use storyline_core::{DateProvenance, InputFormat, Location};

use crate::draft::{RawArticle, StatedDate};
use crate::fragment;

/// A field of an article that a record column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    /// The article body.
    Text,
    /// The published date.
    Date,
    /// The headline.
    Title,
    /// The article URL.
    Url,
    /// The outlet.
    Source,
    /// Authors.
    Author,
    /// Language tag.
    Lang,
    /// The record's own id (used in messages).
    Id,
}

impl Field {
    /// Every field, in the order they are reported.
    pub const ALL: [Field; 8] = [
        Field::Text,
        Field::Date,
        Field::Title,
        Field::Url,
        Field::Source,
        Field::Author,
        Field::Lang,
        Field::Id,
    ];

    /// The name used in `--map text=body,...`.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Text => "text",
            Field::Date => "date",
            Field::Title => "title",
            Field::Url => "url",
            Field::Source => "source",
            Field::Author => "author",
            Field::Lang => "lang",
            Field::Id => "id",
        }
    }

    /// Column names tried, in order, when no [`FieldMap`] entry names one.
    /// Compared after lower-casing and removing `_`, `-` and spaces.
    fn auto_names(self) -> &'static [&'static str] {
        match self {
            Field::Text => &[
                "text",
                "content",
                "body",
                "article",
                "fulltext",
                "maintext",
                "articletext",
                "articlebody",
                "bodytext",
                "story",
                "contentencoded",
                "description",
                "summary",
                "abstract",
            ],
            Field::Date => &[
                "date",
                "published",
                "publishedat",
                "pubdate",
                "datetime",
                "publishdate",
                "datepublished",
                "publisheddate",
                "datepublish",
                "publicationdate",
                "pubdatetime",
                "publishedtime",
                "created",
                "createdat",
                "timestamp",
            ],
            Field::Title => &["title", "headline", "heading"],
            Field::Url => &[
                "url",
                "link",
                "href",
                "canonicalurl",
                "articleurl",
                "permalink",
                "uri",
                "webur",
                "weburl",
            ],
            Field::Source => &[
                "source",
                "outlet",
                "publisher",
                "site",
                "sitename",
                "sourcename",
                "sourcedomain",
                "domain",
                "publication",
                "newspaper",
                "media",
            ],
            Field::Author => &["author", "authors", "byline", "creator", "writer", "by"],
            Field::Lang => &["lang", "language", "locale"],
            Field::Id => &["id", "guid", "uuid", "articleid", "docid"],
        }
    }
}

/// Lower-cased column names that name an article body, for format sniffing.
pub(crate) const TEXT_NAMES: &[&str] = &[
    "text",
    "content",
    "body",
    "article",
    "full_text",
    "fulltext",
    "maintext",
    "article_text",
    "article_body",
];

fn normalize_name(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Which record field holds which article field. Fields not named are found
/// automatically from common names (`text`/`content`/`body`/`maintext`...,
/// `date`/`published_at`/`pubDate`..., `url`/`link`/`href`...).
///
/// ```
/// use storyline_ingest::FieldMap;
/// let m: FieldMap = "text=body,date=pubDate,title=headline".parse().unwrap();
/// assert_eq!(m.text.as_deref(), Some("body"));
/// assert!("text".parse::<FieldMap>().is_err());
/// assert!("colour=red".parse::<FieldMap>().is_err());
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldMap {
    /// Field with the article body.
    pub text: Option<String>,
    /// Field with the published date.
    pub date: Option<String>,
    /// Field with the headline.
    pub title: Option<String>,
    /// Field with the URL.
    pub url: Option<String>,
    /// Field with the outlet name.
    pub source: Option<String>,
    /// Field with the author(s).
    pub author: Option<String>,
    /// Field with the language tag.
    pub lang: Option<String>,
    /// Field with the record's id.
    pub id: Option<String>,
}

impl FieldMap {
    /// The explicit name for `field`, if any.
    pub fn get(&self, field: Field) -> Option<&str> {
        match field {
            Field::Text => self.text.as_deref(),
            Field::Date => self.date.as_deref(),
            Field::Title => self.title.as_deref(),
            Field::Url => self.url.as_deref(),
            Field::Source => self.source.as_deref(),
            Field::Author => self.author.as_deref(),
            Field::Lang => self.lang.as_deref(),
            Field::Id => self.id.as_deref(),
        }
    }

    fn slot(&mut self, field: Field) -> &mut Option<String> {
        match field {
            Field::Text => &mut self.text,
            Field::Date => &mut self.date,
            Field::Title => &mut self.title,
            Field::Url => &mut self.url,
            Field::Source => &mut self.source,
            Field::Author => &mut self.author,
            Field::Lang => &mut self.lang,
            Field::Id => &mut self.id,
        }
    }

    /// Resolves `field` against a list of column names: the explicit name
    /// (exact, then ignoring case and `_`/`-`), else the first common name
    /// present. Returns the column index.
    pub(crate) fn resolve(&self, field: Field, names: &[&str]) -> Option<usize> {
        if let Some(explicit) = self.get(field) {
            if let Some(i) = names.iter().position(|n| *n == explicit) {
                return Some(i);
            }
            let want = normalize_name(explicit);
            return names.iter().position(|n| normalize_name(n) == want);
        }
        let normalized: Vec<String> = names.iter().map(|n| normalize_name(n)).collect();
        field
            .auto_names()
            .iter()
            .find_map(|cand| normalized.iter().position(|n| n == cand))
    }
}

/// A `--map` string that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FieldMapError {
    /// An entry without `=`.
    #[error("field mapping entry {0:?} has no '=' (expected e.g. text=body,date=pubDate)")]
    MissingEquals(String),
    /// A key that is not an article field.
    #[error("unknown article field {0:?} in field mapping (known: text, date, title, url, source, author, lang, id)")]
    UnknownField(String),
    /// `key=` with nothing after it.
    #[error("field mapping entry {0:?} names no record field")]
    Empty(String),
}

impl FromStr for FieldMap {
    type Err = FieldMapError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut map = FieldMap::default();
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (k, v) = entry
                .split_once('=')
                .ok_or_else(|| FieldMapError::MissingEquals(entry.to_string()))?;
            let field = Field::ALL
                .into_iter()
                .find(|f| f.as_str().eq_ignore_ascii_case(k.trim()))
                .ok_or_else(|| FieldMapError::UnknownField(k.trim().to_string()))?;
            let v = v.trim();
            if v.is_empty() {
                return Err(FieldMapError::Empty(entry.to_string()));
            }
            *map.slot(field) = Some(v.to_string());
        }
        Ok(map)
    }
}

impl fmt::Display for FieldMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = Field::ALL
            .iter()
            .filter_map(|fl| self.get(*fl).map(|v| format!("{}={v}", fl.as_str())))
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// The values one record gives for each field, as text.
#[derive(Clone, Debug, Default)]
pub(crate) struct RecordValues {
    pub text: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub url: Option<String>,
    pub source: Option<String>,
    pub authors: Vec<String>,
    pub lang: Option<String>,
    pub id: Option<String>,
    /// The column/field names used, for evidence.
    pub date_field: Option<String>,
}

/// Reads a text value that may be a list of paragraphs: a JSON array of
/// strings or a Python list repr (`['Para one.', "It's"]`), or HTML.
pub(crate) fn text_value(s: &str) -> String {
    let t = s.trim();
    if t.starts_with('[') && t.ends_with(']') {
        if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(t) {
            if items.iter().all(Value::is_string) {
                return join_paragraphs(items.iter().filter_map(Value::as_str));
            }
        }
        if let Some(items) = parse_python_list(t) {
            return join_paragraphs(items.iter().map(String::as_str));
        }
    }
    if fragment::looks_like_html(t) {
        return fragment::html_fragment_to_text(t);
    }
    s.to_string()
}

fn join_paragraphs<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Parses a Python list of string literals, as `str(list)` writes it: both
/// quote styles, backslash escapes (`\'`, `\\`, `\n`, `\xNN`, `\uNNNN`),
/// `r''` raw strings, adjacent literals concatenated. `None` if it is not one.
///
/// ```text
/// assert_eq!(parse_python_list(r#"['a', "It's", 'say \'hi\'']"#).unwrap(), ["a", "It's", "say 'hi'"]);
/// ```
pub(crate) fn parse_python_list(s: &str) -> Option<Vec<String>> {
    let inner = s.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    let mut expect_item = true;
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let Some(&c) = chars.peek() else { break };
        if c == ',' {
            if expect_item {
                return None;
            }
            chars.next();
            expect_item = true;
            continue;
        }
        if !expect_item {
            return None;
        }
        let mut item = String::new();
        // One or more adjacent literals.
        let mut any = false;
        loop {
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            let mut raw = false;
            match chars.peek() {
                Some('r' | 'R') => {
                    raw = true;
                    chars.next();
                }
                Some('u' | 'U') => {
                    chars.next();
                }
                _ => {}
            }
            let Some(&q) = chars.peek() else { break };
            if q != '\'' && q != '"' {
                if raw {
                    return None;
                }
                break;
            }
            chars.next();
            any = true;
            loop {
                let ch = chars.next()?;
                if ch == q {
                    break;
                }
                if ch == '\\' && !raw {
                    let e = chars.next()?;
                    match e {
                        'n' => item.push('\n'),
                        't' => item.push('\t'),
                        'r' => item.push('\r'),
                        '0' => item.push('\0'),
                        '\\' | '\'' | '"' => item.push(e),
                        '\n' => {}
                        'x' => item.push(hex_char(&mut chars, 2)?),
                        'u' => item.push(hex_char(&mut chars, 4)?),
                        'U' => item.push(hex_char(&mut chars, 8)?),
                        other => {
                            item.push('\\');
                            item.push(other);
                        }
                    }
                } else {
                    item.push(ch);
                }
            }
        }
        if !any {
            return None;
        }
        out.push(item);
        expect_item = false;
    }
    Some(out)
}

fn hex_char(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, n: usize) -> Option<char> {
    let mut v = 0u32;
    for _ in 0..n {
        v = v * 16 + chars.next()?.to_digit(16)?;
    }
    Some(char::from_u32(v).unwrap_or('\u{FFFD}'))
}

/// Plain text of a JSON value for a scalar field.
pub(crate) fn json_scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(json_scalar).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        Value::Object(m) => [
            "name", "title", "value", "text", "#text", "href", "url", "$t",
        ]
        .iter()
        .find_map(|k| m.get(*k).and_then(json_scalar)),
        _ => None,
    }
}

fn json_list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().filter_map(json_scalar).collect(),
        other => json_scalar(other)
            .map(|s| split_author_value(&s))
            .unwrap_or_default(),
    }
}

fn split_author_value(s: &str) -> Vec<String> {
    let t = s.trim();
    if t.starts_with('[') {
        if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(t) {
            return items.iter().filter_map(json_scalar).collect();
        }
        if let Some(items) = parse_python_list(t) {
            return items;
        }
    }
    crate::text::split_authors(t)
}

/// Looks a field up in a JSON object: a dotted path (`meta.date`) or a key,
/// exact first then ignoring case and separators.
fn json_lookup<'v>(
    obj: &'v serde_json::Map<String, Value>,
    name: &str,
) -> Option<(&'v str, &'v Value)> {
    if let Some((k, v)) = obj.get_key_value(name) {
        return Some((k.as_str(), v));
    }
    if let Some((head, rest)) = name.split_once('.') {
        if let Some(Value::Object(inner)) = obj.get(head) {
            return json_lookup(inner, rest);
        }
    }
    let want = normalize_name(name);
    obj.iter()
        .find(|(k, _)| normalize_name(k) == want)
        .map(|(k, v)| (k.as_str(), v))
}

/// Field values from a JSON object.
pub(crate) fn values_from_json(
    obj: &serde_json::Map<String, Value>,
    map: &FieldMap,
) -> RecordValues {
    let find = |field: Field| -> Option<(&str, &Value)> {
        if let Some(explicit) = map.get(field) {
            return json_lookup(obj, explicit);
        }
        field.auto_names().iter().find_map(|cand| {
            obj.iter()
                .find(|(k, v)| normalize_name(k) == *cand && !v.is_null())
                .map(|(k, v)| (k.as_str(), v))
        })
    };
    let mut out = RecordValues::default();
    if let Some((_, v)) = find(Field::Text) {
        out.text = match v {
            Value::Array(items) => Some(join_paragraphs(items.iter().filter_map(|i| i.as_str()))),
            other => json_scalar(other).map(|s| text_value(&s)),
        };
    }
    if let Some((k, v)) = find(Field::Date) {
        out.date = json_scalar(v);
        out.date_field = Some(k.to_string());
    }
    out.title = find(Field::Title).and_then(|(_, v)| json_scalar(v));
    out.url = find(Field::Url).and_then(|(_, v)| json_scalar(v));
    out.source = find(Field::Source).and_then(|(_, v)| json_scalar(v));
    out.authors = find(Field::Author)
        .map(|(_, v)| json_list(v))
        .unwrap_or_default();
    out.lang = find(Field::Lang).and_then(|(_, v)| json_scalar(v));
    out.id = find(Field::Id).and_then(|(_, v)| json_scalar(v));
    out
}

/// Column indices for each field, resolved once per CSV header.
#[derive(Clone, Debug, Default)]
pub(crate) struct Columns {
    pub text: Option<usize>,
    pub date: Option<usize>,
    pub title: Option<usize>,
    pub url: Option<usize>,
    pub source: Option<usize>,
    pub author: Option<usize>,
    pub lang: Option<usize>,
    pub id: Option<usize>,
    pub date_name: Option<String>,
}

impl Columns {
    pub(crate) fn resolve(header: &[&str], map: &FieldMap) -> Columns {
        Columns {
            text: map.resolve(Field::Text, header),
            date: map.resolve(Field::Date, header),
            title: map.resolve(Field::Title, header),
            url: map.resolve(Field::Url, header),
            source: map.resolve(Field::Source, header),
            author: map.resolve(Field::Author, header),
            lang: map.resolve(Field::Lang, header),
            id: map.resolve(Field::Id, header),
            date_name: map
                .resolve(Field::Date, header)
                .and_then(|i| header.get(i))
                .map(|s| s.to_string()),
        }
    }

    pub(crate) fn values(&self, row: &csv::StringRecord) -> RecordValues {
        let get = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        RecordValues {
            text: get(self.text).map(|t| text_value(&t)),
            date: get(self.date),
            title: get(self.title),
            url: get(self.url),
            source: get(self.source),
            authors: get(self.author)
                .map(|a| split_author_value(&a))
                .unwrap_or_default(),
            lang: get(self.lang),
            id: get(self.id),
            date_field: self.date_name.clone(),
        }
    }
}

/// Makes a [`RawArticle`] from record values; `Err` says why the record is skipped.
pub(crate) fn raw_from_values(
    v: RecordValues,
    location: Location,
    format: InputFormat,
    field_kind: &str,
) -> Result<RawArticle, String> {
    let id_note =
        v.id.as_deref()
            .map(|id| format!(" (id {id})"))
            .unwrap_or_default();
    let Some(text) = v.text.filter(|t| !t.trim().is_empty()) else {
        return Err(format!(
            "record{id_note} has no text (looked for a {field_kind} named text, content, body, article, full_text, maintext...; name one with --map text=NAME)"
        ));
    };
    let mut raw = RawArticle::new(text, location, format);
    raw.title = v.title;
    // Only absolute http(s) URLs are URLs; a bare path like `/news/x` is not.
    raw.url = v
        .url
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    raw.source = v.source;
    raw.authors = v.authors;
    raw.language = v.lang;
    if let Some(d) = v.date.filter(|d| !d.trim().is_empty()) {
        raw.stated_dates.push(StatedDate {
            raw: d,
            provenance: DateProvenance::Metadata,
            evidence: format!("{field_kind} {}", v.date_field.as_deref().unwrap_or("date")),
        });
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_lists() {
        let p = |s: &str| parse_python_list(s);
        assert_eq!(
            p(r#"['Para one.', 'He said "hi".', "It's"]"#).unwrap(),
            ["Para one.", "He said \"hi\".", "It's"]
        );
        assert_eq!(
            p(r"['we weren\'t', 'a\\b', 'x\ny', '\xe9']").unwrap(),
            ["we weren't", "a\\b", "x\ny", "é"]
        );
        assert_eq!(p("[]").unwrap(), Vec::<String>::new());
        assert_eq!(p("['a' 'b', u'c', r'\\d']").unwrap(), ["ab", "c", "\\d"]);
        assert_eq!(p("['unterminated]"), None);
        assert_eq!(p("[1, 2]"), None);
        assert_eq!(p("['a',, 'b']"), None);
        assert_eq!(p("not a list"), None);
    }

    #[test]
    fn text_values() {
        assert_eq!(text_value("['One.', 'Two.']"), "One.\n\nTwo.");
        assert_eq!(text_value(r#"["One.", "Two."]"#), "One.\n\nTwo.");
        assert_eq!(text_value("<p>One.</p><p>Two.</p>"), "One.\n\nTwo.");
        assert_eq!(
            text_value("[Editor's note] Plain."),
            "[Editor's note] Plain."
        );
    }

    #[test]
    fn auto_resolution_prefers_url_over_href() {
        let header = [
            "date",
            "href",
            "text",
            "title",
            "title_from_page",
            "topic",
            "url",
        ];
        let c = Columns::resolve(&header, &FieldMap::default());
        assert_eq!(c.url, Some(6));
        assert_eq!(c.text, Some(2));
        assert_eq!(c.title, Some(3));
        assert_eq!(c.date, Some(0));
        let m: FieldMap = "title=title_from_page".parse().unwrap();
        assert_eq!(Columns::resolve(&header, &m).title, Some(4));
        let m: FieldMap = "text=BODY".parse().unwrap();
        assert_eq!(m.resolve(Field::Text, &["id", "body"]), Some(1));
    }

    #[test]
    fn field_map_parse_and_display() {
        let m: FieldMap = "text=body, date=pubDate,title=headline,url=link,source=outlet,author=byline,lang=language,id=guid"
            .parse()
            .unwrap();
        assert_eq!(m.to_string(), "text=body,date=pubDate,title=headline,url=link,source=outlet,author=byline,lang=language,id=guid");
        assert_eq!("".parse::<FieldMap>().unwrap(), FieldMap::default());
        assert_eq!(
            "text=".parse::<FieldMap>(),
            Err(FieldMapError::Empty("text=".into()))
        );
    }

    #[test]
    fn json_values_nested_and_lists() {
        let v: Value = serde_json::json!({
            "headline": "Truce extended",
            "content": ["Para one.", "Para two."],
            "publishedAt": "2023-11-27T10:00:00Z",
            "source": {"id": null, "name": "The Harbour Post"},
            "authors": ["Ana Ruiz", "Tom Ng"],
            "meta": {"lang": "en"}
        });
        let obj = v.as_object().unwrap();
        let r = values_from_json(obj, &FieldMap::default());
        assert_eq!(r.text.as_deref(), Some("Para one.\n\nPara two."));
        assert_eq!(r.title.as_deref(), Some("Truce extended"));
        assert_eq!(r.date.as_deref(), Some("2023-11-27T10:00:00Z"));
        assert_eq!(r.date_field.as_deref(), Some("publishedAt"));
        assert_eq!(r.source.as_deref(), Some("The Harbour Post"));
        assert_eq!(r.authors, ["Ana Ruiz", "Tom Ng"]);
        assert_eq!(r.lang, None);
        let r = values_from_json(obj, &"lang=meta.lang".parse().unwrap());
        assert_eq!(r.lang.as_deref(), Some("en"));
    }
}
