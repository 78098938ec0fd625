//! Metadata found in article text itself: header lines, bylines, datelines,
//! dates mentioned in the text, and the language.
//!
//! These are pure functions over strings so the engine and later analysis
//! can reuse them; they are bounded (they look at the head of the text, or
//! scan linearly) so a 20 MB single-line file costs no more than reading it.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use storyline_core::{DateProvenance, Dateline, PublishedDate, Span, Timestamp};

/// A header key recognised at the top of text and Markdown files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeaderKey {
    /// `date`, `published`.
    Date,
    /// `title`, `headline`.
    Title,
    /// `source`, `outlet`, `publisher`.
    Source,
    /// `url`, `link`.
    Url,
    /// `author`, `authors`, `byline`.
    Author,
    /// `lang`, `language`.
    Lang,
}

impl HeaderKey {
    fn from_word(word: &str) -> Option<HeaderKey> {
        Some(match word.to_ascii_lowercase().as_str() {
            "date" | "published" | "pubdate" => HeaderKey::Date,
            "title" | "headline" => HeaderKey::Title,
            "source" | "outlet" | "publisher" => HeaderKey::Source,
            "url" | "link" => HeaderKey::Url,
            "author" | "authors" | "byline" => HeaderKey::Author,
            "lang" | "language" => HeaderKey::Lang,
            _ => return None,
        })
    }

    /// The canonical key name.
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderKey::Date => "date",
            HeaderKey::Title => "title",
            HeaderKey::Source => "source",
            HeaderKey::Url => "url",
            HeaderKey::Author => "author",
            HeaderKey::Lang => "lang",
        }
    }
}

/// One accepted header line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderLine {
    /// 1-based line number in the input.
    pub line: usize,
    /// Which field.
    pub key: HeaderKey,
    /// The value, trimmed.
    pub value: String,
    /// The line as written (trimmed), for evidence strings.
    pub raw: String,
}

/// Header fields read from the top of a text file. The first line of each
/// key wins; every accepted line is kept in `lines` for evidence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderFields {
    /// Accepted header lines, in order.
    pub lines: Vec<HeaderLine>,
}

impl HeaderFields {
    /// The first line for `key`.
    pub fn line(&self, key: HeaderKey) -> Option<&HeaderLine> {
        self.lines.iter().find(|l| l.key == key)
    }

    /// The first value for `key`.
    pub fn get(&self, key: HeaderKey) -> Option<&str> {
        self.line(key).map(|l| l.value.as_str())
    }

    /// Whether no header line was found.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Reads `key value` / `key: value` header lines at the top of a text and
/// returns them with the byte offset where the body starts.
///
/// Keys are `date`, `title`, `source`, `url`, `author`, `lang` (and a few
/// synonyms). With a colon the key is case-insensitive; without one it must
/// be all lower- or all upper-case (so a body that opens "Source of the
/// leak..." is not mistaken for a header), except `Date` followed by a date.
/// Reading stops at the first line that is not a header; one blank line after
/// the headers is consumed. A `date` header may be followed by body text on
/// the same line, as in `" date 2023-11-09 As the Israeli assault..."`: the
/// date is taken and the body starts after it.
///
/// ```
/// use storyline_ingest::{parse_header_lines, HeaderKey};
/// let text = "title: Truce talks\ndate 2023-11-09\n\nMediators met on Friday.";
/// let (h, body) = parse_header_lines(text);
/// assert_eq!(h.get(HeaderKey::Title), Some("Truce talks"));
/// assert_eq!(h.get(HeaderKey::Date), Some("2023-11-09"));
/// assert_eq!(&text[body..], "Mediators met on Friday.");
///
/// let (h, body) = parse_header_lines(" date 2023-11-09 As the assault continues.");
/// assert_eq!(h.get(HeaderKey::Date), Some("2023-11-09"));
/// assert_eq!(body, 17);
/// ```
pub fn parse_header_lines(text: &str) -> (HeaderFields, usize) {
    let mut fields = HeaderFields::default();
    let mut pos = 0usize;
    let mut line_no = 0usize;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let next = (line_end + 1).min(text.len());
        let line = &text[pos..line_end];
        line_no += 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if fields.is_empty() {
                // Leading blank lines before any header.
                pos = next;
                continue;
            }
            // One blank line ends the header block and is consumed.
            return (fields, next);
        }
        match parse_header_line(line) {
            Some(HeaderParse::Whole(key, value)) => {
                fields.lines.push(HeaderLine {
                    line: line_no,
                    key,
                    value,
                    raw: trimmed.chars().take(200).collect(),
                });
                pos = next;
            }
            Some(HeaderParse::DateThenBody(value, body_at)) => {
                let raw = format!("date {value}");
                fields.lines.push(HeaderLine {
                    line: line_no,
                    key: HeaderKey::Date,
                    value,
                    raw,
                });
                return (fields, pos + body_at);
            }
            None => return (fields, pos),
        }
    }
    (fields, text.len())
}

enum HeaderParse {
    Whole(HeaderKey, String),
    /// A date, then body text starting at this byte offset in the line.
    DateThenBody(String, usize),
}

fn parse_header_line(line: &str) -> Option<HeaderParse> {
    if line.len() > 2000 && !line.trim_start().to_ascii_lowercase().starts_with("date") {
        return None;
    }
    let lead = line.len() - line.trim_start().len();
    let rest = &line[lead..];
    let key_len = rest
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    if key_len == 0 {
        return None;
    }
    let word = &rest[..key_len];
    let key = HeaderKey::from_word(word)?;
    let after = &rest[key_len..];
    let (has_colon, value_part) = match after.strip_prefix(':') {
        Some(v) => (true, v),
        None => {
            if !after.starts_with([' ', '\t']) {
                return None;
            }
            (false, after)
        }
    };
    let value_lead = value_part.len() - value_part.trim_start().len();
    let value = value_part.trim();
    if value.is_empty() {
        return None;
    }
    let case_ok = has_colon
        || word.chars().all(|c| !c.is_ascii_uppercase())
        || word.chars().all(|c| !c.is_ascii_lowercase());
    match key {
        HeaderKey::Date => {
            if Timestamp::parse(value).is_ok() {
                return Some(HeaderParse::Whole(key, value.to_string()));
            }
            // `date 2023-11-09 As the Israeli assault...`: a date prefix, then body.
            // `date 9999-99-99`: shaped like a date but none; kept as the
            // header it is, so the draft rejects it with a reason instead
            // of the line passing into the body unremarked.
            let (date, consumed) = date_prefix(value).or_else(|| date_shaped_prefix(value))?;
            if consumed >= value.len() {
                return Some(HeaderParse::Whole(key, date));
            }
            let body_rel = value_part[value_lead + consumed..]
                .find(|c: char| !c.is_whitespace())
                .map(|i| value_lead + consumed + i)?;
            Some(HeaderParse::DateThenBody(
                date,
                lead + key_len + usize::from(has_colon) + body_rel,
            ))
        }
        _ if !case_ok => None,
        HeaderKey::Url => {
            let v = value.split_whitespace().next()?;
            (v.starts_with("http://") || v.starts_with("https://") || v.starts_with("www."))
                .then(|| HeaderParse::Whole(key, v.to_string()))
        }
        HeaderKey::Lang => (value.len() <= 20
            && value
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_'))
        .then(|| HeaderParse::Whole(key, value.to_string())),
        HeaderKey::Title | HeaderKey::Source | HeaderKey::Author => {
            (value.chars().count() <= 300).then(|| HeaderParse::Whole(key, value.to_string()))
        }
    }
}

/// The longest run of up to six leading words that parses as a date, with the
/// number of bytes it covers.
fn date_prefix(value: &str) -> Option<(String, usize)> {
    let mut ends = Vec::new();
    let mut in_word = false;
    for (i, c) in value.char_indices() {
        if c.is_whitespace() {
            if in_word {
                ends.push(i);
                if ends.len() == 6 {
                    break;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    if in_word && ends.len() < 6 {
        ends.push(value.len());
    }
    ends.into_iter().rev().find_map(|end| {
        let cand = value[..end].trim_end_matches([',', ';', ':', '.', '-', '–', '—']);
        let cand = cand.trim();
        // A bare year or number is not a date header.
        (cand.len() >= 6 && Timestamp::parse(cand).is_ok()).then(|| (cand.to_string(), end))
    })
}

/// A first word written the way numeric dates are (`9999-99-99`,
/// `31/02/2023`, `2023-13-45T25:00`) whether or not it is a real date,
/// with the number of bytes it covers. Digits and date separators only,
/// at least four digits and two of `-`, `/`, `.`: a year or a figure
/// (`2023`, `1.5`) is not taken.
fn date_shaped_prefix(value: &str) -> Option<(String, usize)> {
    let end = value.find(char::is_whitespace).unwrap_or(value.len());
    let word = value[..end].trim_end_matches([',', ';']);
    let digits = word.chars().filter(char::is_ascii_digit).count();
    let separators = word
        .chars()
        .filter(|c| matches!(c, '-' | '/' | '.'))
        .count();
    let shaped = word.starts_with(|c: char| c.is_ascii_digit())
        && word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | ':' | 'T' | 'Z' | '+'));
    (shaped && digits >= 4 && separators >= 2).then(|| (word.to_string(), end))
}

/// A byline, split: authors, and an agency or place when the line names them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Byline {
    pub authors: Vec<String>,
    pub agency: Option<String>,
}

/// News agencies whose names appear in bylines and datelines.
const AGENCIES: &[&str] = &[
    "Reuters",
    "AP",
    "Associated Press",
    "The Associated Press",
    "AFP",
    "Agence France-Presse",
    "Agence France Presse",
    "dpa",
    "DPA",
    "Xinhua",
    "ANI",
    "PTI",
    "IANS",
    "Anadolu",
    "Anadolu Agency",
    "WAFA",
    "TASS",
    "EFE",
    "ANSA",
    "Bloomberg",
    "UPI",
    "Kyodo",
    "Yonhap",
    "PA",
    "PA Media",
    "AAP",
    "CNA",
    "Bernama",
    "Interfax",
    "RIA Novosti",
];

pub(crate) fn agency_name(s: &str) -> Option<&'static str> {
    let s = s.trim().trim_end_matches(['.', ',']);
    AGENCIES.iter().copied().find(|a| a.eq_ignore_ascii_case(s))
}

/// Splits a byline line (`By Simon Lewis and Ari Rabinovitch`) into author
/// names, or `None` when the line is not a byline (a sentence that happens to
/// start with "By", such as "By Friday the convoy had turned back.").
///
/// Handles `By A, B and C`, `By A in Cairo` (the place is dropped),
/// `By A, Reuters` (the agency is not an author), and staff or agency
/// bylines (`By Reuters Staff`, `By The Associated Press`), which are kept
/// as the single author so nothing is lost.
///
/// ```
/// use storyline_ingest::parse_byline;
/// assert_eq!(parse_byline("By Simon Lewis and Ari Rabinovitch"),
///            Some(vec!["Simon Lewis".to_string(), "Ari Rabinovitch".to_string()]));
/// assert_eq!(parse_byline("By Nadia Haddad in Cairo"), Some(vec!["Nadia Haddad".to_string()]));
/// assert_eq!(parse_byline("By the time the convoy arrived, it was dark."), None);
/// ```
pub fn parse_byline(line: &str) -> Option<Vec<String>> {
    parse_byline_detail(line).map(|b| b.authors)
}

pub(crate) fn parse_byline_detail(line: &str) -> Option<Byline> {
    let l = line.trim();
    if l.len() > 200 || l.contains('\n') {
        return None;
    }
    let rest = strip_prefix_ci(l, "by:")
        .or_else(|| strip_prefix_ci(l, "by "))
        .or_else(|| strip_prefix_ci(l, "words by "))
        .or_else(|| strip_prefix_ci(l, "written by "))?;
    let mut rest = rest.trim().trim_end_matches(['.', ',', ';']).trim();
    let mut byline = Byline::default();
    // "By A | Reuters", "By A - Reuters": the tail is an outlet.
    for sep in [" | ", " - ", " – ", " — ", " / "] {
        if let Some((head, tail)) = rest.split_once(sep) {
            if let Some(a) = agency_name(tail) {
                byline.agency = Some(a.to_string());
            }
            rest = head.trim();
        }
    }
    // "By A in Cairo": drop the place.
    if let Some(idx) = rest.rfind(" in ") {
        let place = &rest[idx + 4..];
        if !place.is_empty() && place.split_whitespace().all(is_name_token) {
            rest = rest[..idx].trim();
        }
    }
    let normalized = rest
        .replace(" & ", ", ")
        .replace(", and ", ", ")
        .replace(" and ", ", ");
    let mut names = Vec::new();
    for part in normalized.split([',', ';']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if let Some(a) = agency_name(part) {
            if byline.agency.is_none() {
                byline.agency = Some(a.to_string());
            }
            names.push(part.to_string());
            continue;
        }
        if !is_name(part) {
            return None;
        }
        names.push(part.to_string());
    }
    // An agency next to people is a credit, not an author.
    if names.iter().any(|n| agency_name(n).is_none()) {
        names.retain(|n| agency_name(n).is_none());
    }
    if names.is_empty() {
        return None;
    }
    if byline.agency.is_none() {
        byline.agency = names.iter().find_map(|n| {
            n.split_whitespace()
                .next()
                .and_then(agency_name)
                .filter(|_| n.to_ascii_lowercase().ends_with("staff"))
                .map(str::to_string)
        });
    }
    byline.authors = names;
    Some(byline)
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

const NAME_PARTICLES: &[&str] = &[
    "de", "da", "del", "della", "di", "dos", "das", "du", "van", "von", "der", "den", "ter", "ten",
    "al", "el", "bin", "ibn", "bint", "la", "le", "y", "e", "st.", "abu",
];
const STAFF_WORDS: &[&str] = &[
    "staff",
    "reporter",
    "reporters",
    "correspondent",
    "correspondents",
    "writer",
    "writers",
    "team",
    "desk",
    "editor",
    "editors",
    "our",
    "the",
    "news",
    "wire",
    "services",
    "service",
];

fn is_name_token(tok: &str) -> bool {
    let Some(first) = tok.chars().next() else {
        return false;
    };
    first.is_uppercase()
        && tok
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
}

fn is_name(part: &str) -> bool {
    let toks: Vec<&str> = part.split_whitespace().collect();
    if toks.is_empty() || toks.len() > 6 || part.chars().count() > 60 {
        return false;
    }
    let mut capitalised = 0;
    for (i, tok) in toks.iter().enumerate() {
        let lower = tok.to_lowercase();
        if is_name_token(tok) {
            capitalised += 1;
        } else if (i > 0 && NAME_PARTICLES.contains(&lower.as_str()))
            || STAFF_WORDS.contains(&lower.as_str())
            || lower.starts_with("al-")
            || lower.starts_with("el-")
        {
            // allowed lower-case word
            if STAFF_WORDS.contains(&lower.as_str()) && !tok.chars().all(|c| c.is_alphabetic()) {
                return false;
            }
        } else {
            return false;
        }
    }
    if capitalised == 0 {
        // "staff" alone, or "our correspondent"
        return toks.iter().any(|t| {
            matches!(
                t.to_lowercase().as_str(),
                "staff" | "correspondent" | "reporter"
            )
        });
    }
    // A first word that is a weekday or month is a time phrase ("By Monday").
    let first = toks[0].trim_end_matches([',', '.']).to_ascii_lowercase();
    !(is_weekday(&first) || month_number(&first).is_some() && toks.len() == 1)
}

static DATE_WORD: &str = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

static DATELINE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let date = format!(
        r"(?:{m}\.?[ ]\d{{1,2}}(?:,?[ ]\d{{4}})?|\d{{1,2}}[ ]{m}\.?(?:,?[ ]\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})",
        m = DATE_WORD
    );
    let pattern = format!(
        r"^(?P<place>\p{{Lu}}[\p{{Lu}}.'’\-]+(?:[ ]\p{{Lu}}[\p{{Lu}}.'’\-]*){{0,4}}|\p{{Lu}}\p{{Ll}}+(?:[ \-]\p{{Lu}}\p{{Ll}}+){{0,3}})(?:,[ ](?:(?P<date>{date})|(?P<region>\p{{Lu}}[\p{{L}}.]*(?:[ ]\p{{Lu}}[\p{{L}}.]*){{0,3}})))?(?:,?[ ](?P<date2>{date}))?(?:[ ]?\((?P<agency>[\p{{L}}][\p{{L}} .&/\-]{{0,39}})\))?[ ]*(?P<sep>[–—―]|--?|:)(?:[ ]|$)"
    );
    Regex::new(&pattern).expect("dateline pattern is valid")
});

const NOT_PLACES: &[&str] = &[
    "BREAKING",
    "UPDATE",
    "UPDATED",
    "EXCLUSIVE",
    "WATCH",
    "LIVE",
    "ANALYSIS",
    "OPINION",
    "EDITORIAL",
    "NEW",
    "FACTBOX",
    "EXPLAINER",
    "PHOTOS",
    "VIDEO",
    "FILE",
    "NOTE",
    "CORRECTION",
    "REFILE",
    "URGENT",
    "FLASH",
    "ALERT",
    "UPDATE 1",
    "UPDATE 2",
    "WARNING",
    "SPOILER",
    "Q",
    "A",
];

/// Finds a wire-style dateline at the start of `text` (after leading
/// whitespace): `TEL AVIV (Reuters) –`, `GAZA CITY, Nov 9 (AP) —`,
/// `WASHINGTON —`, `Cairo, 9 November:`. The span covers the dateline up to
/// and including its dash or colon, in `text`'s byte offsets. The date, when
/// present, is returned as written and unresolved (a missing year is not
/// guessed here).
///
/// A title-case place (`Cairo`) counts only with a date or an agency next to
/// it, so that ordinary sentences ("Blinken – who...") are not datelines.
///
/// ```
/// use storyline_ingest::find_dateline;
/// let d = find_dateline("TEL AVIV (Reuters) – U.S. top diplomat Antony Blinken said...").unwrap();
/// assert_eq!(d.place, "TEL AVIV");
/// assert_eq!(d.agency.as_deref(), Some("Reuters"));
/// assert_eq!(d.date_text, None);
/// assert_eq!((d.span.start, d.span.end), (0, 22)); // byte offsets: "–" is 3 bytes
/// ```
pub fn find_dateline(text: &str) -> Option<Dateline> {
    let lead = text.len() - text.trim_start().len();
    let head_end = floor_char_boundary(text, (lead + 240).min(text.len()));
    let head = &text[lead..head_end];
    let caps = DATELINE_RE.captures(head)?;
    let place = caps.name("place")?.as_str();
    let region = caps.name("region").map(|m| m.as_str());
    let date = caps
        .name("date")
        .or_else(|| caps.name("date2"))
        .map(|m| m.as_str());
    let agency = caps.name("agency").map(|m| m.as_str().trim());
    let sep = caps.name("sep")?.as_str();
    let all_caps =
        place.chars().any(|c| c.is_uppercase()) && !place.chars().any(|c| c.is_lowercase());
    if NOT_PLACES.contains(&place) || place.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    if let Some(d) = date {
        let month_word = d
            .split(|c: char| !c.is_alphabetic())
            .find(|w| !w.is_empty());
        if let Some(w) = month_word {
            month_number(w)?;
        }
    }
    if let Some(r) = region {
        // A region that is really a month ("RAFAH, Nov") means the date did not parse.
        let first = r.split_whitespace().next().unwrap_or("");
        if month_number(first.trim_end_matches('.')).is_some() {
            return None;
        }
    }
    if !all_caps && date.is_none() && agency.is_none() {
        return None;
    }
    if sep == ":" && date.is_none() && agency.is_none() {
        return None;
    }
    let whole = caps.get(0)?;
    let end = lead + whole.as_str().trim_end().len();
    let place = match region {
        Some(r) => format!("{place}, {r}"),
        None => place.to_string(),
    };
    Some(Dateline {
        place,
        agency: agency.map(str::to_string),
        date_text: date.map(str::to_string),
        span: Span::new(lead, end),
    })
}

pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Month number for an English month name or abbreviation (`Sept`, `Nov.`).
pub(crate) fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if w == "sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|n| *n == w || (w.len() == 3 && n.starts_with(&w)))
        .map(|i| i as u32 + 1)
}

fn is_weekday(w: &str) -> bool {
    matches!(
        w,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "wed"
            | "thu"
            | "fri"
            | "sat"
            | "sun"
    )
}

static ABS_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"\b(?:(?P<m1>{m})\.?[ \t]+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?[ \t]+(?P<y1>\d{{4}})|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?P<m2>{m})\.?,?[ \t]+(?P<y2>\d{{4}})|(?P<y3>\d{{4}})-(?P<mo3>\d{{2}})-(?P<d3>\d{{2}}))\b",
        m = DATE_WORD
    );
    Regex::new(&pattern).expect("date pattern is valid")
});

/// An absolute date mentioned in text, with its byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DateMention {
    pub date: NaiveDate,
    pub start: usize,
    pub end: usize,
}

/// Absolute dates (with a year) mentioned in the first megabyte of `text`.
pub(crate) fn date_mentions(text: &str) -> Vec<DateMention> {
    let limit = floor_char_boundary(text, 1 << 20);
    let hay = &text[..limit];
    let mut out = Vec::new();
    for caps in ABS_DATE_RE.captures_iter(hay) {
        let Some(whole) = caps.get(0) else { continue };
        let num = |name: &str| caps.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let (y, m, d) = if let (Some(m), Some(d), Some(y)) = (caps.name("m1"), num("d1"), num("y1"))
        {
            (y, month_number(m.as_str()), d)
        } else if let (Some(m), Some(d), Some(y)) = (caps.name("m2"), num("d2"), num("y2")) {
            (y, month_number(m.as_str()), d)
        } else if let (Some(y), Some(mo), Some(d)) = (num("y3"), num("mo3"), num("d3")) {
            (y, Some(mo), d)
        } else {
            continue;
        };
        let Some(m) = m else { continue };
        if !(1900..=2200).contains(&y) {
            continue;
        }
        if let Some(date) = NaiveDate::from_ymd_opt(y as i32, m, d) {
            out.push(DateMention {
                date,
                start: whole.start(),
                end: whole.end(),
            });
        }
    }
    out
}

/// The sentence around a byte range, for evidence (at most ~300 characters).
pub(crate) fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let before = &text[..start];
    let s = before
        .rfind(['\n'])
        .map(|i| i + 1)
        .into_iter()
        .chain(before.rfind(". ").map(|i| i + 2))
        .max()
        .unwrap_or(0);
    let s = s.max(floor_char_boundary(text, start.saturating_sub(200)));
    let after = &text[end..];
    let e = after
        .find(['\n'])
        .into_iter()
        .chain(after.find(". ").map(|i| i + 1))
        .min()
        .map_or(text.len(), |i| end + i);
    let e = e.min(floor_char_boundary(text, end + 200)).max(end);
    text[s..e].trim().to_string()
}

/// Infers a published date when nothing states one: the latest absolute
/// date (with a year) the text mentions that is not after `now` (plus a day
/// of slack). The article was written on or after every date it reports, so
/// the latest is the best lower bound; it is an inference, so the confidence
/// is about 0.5, lower when the date is mentioned once or is years before
/// `now`. "Oct. 7" without a year is not enough: no year is ever guessed.
///
/// ```
/// use chrono::NaiveDate;
/// use storyline_ingest::infer_date_from_text;
/// let now = NaiveDate::from_ymd_opt(2023, 12, 1).unwrap();
/// let d = infer_date_from_text("The truce began on November 24, 2023. Talks resumed.", now).unwrap();
/// assert_eq!(d.value.unwrap().to_string(), "2023-11-24");
/// assert!(d.confidence < 1.0);
/// assert!(infer_date_from_text("The attack on Oct. 7 shocked Israel.", now).is_none());
/// ```
pub fn infer_date_from_text(text: &str, now: NaiveDate) -> Option<PublishedDate> {
    let mentions = date_mentions(text);
    let best = mentions
        .iter()
        .filter(|m| !Timestamp::from_date(m.date).is_after(now))
        .max_by_key(|m| (m.date, std::cmp::Reverse(m.start)))?;
    let count = mentions.iter().filter(|m| m.date == best.date).count();
    let mut confidence: f32 = if count >= 2 { 0.5 } else { 0.4 };
    let age_years = (now.year() - best.date.year()).max(0);
    if age_years > 5 {
        confidence *= 0.5;
    } else if age_years > 1 {
        confidence *= 0.8;
    }
    Some(PublishedDate {
        value: Some(Timestamp::from_date(best.date)),
        provenance: DateProvenance::Inferred,
        evidence: Some(sentence_around(text, best.start, best.end)),
        confidence,
    })
}

/// Checks that a stated date is plausible: not after `now` (with a day of
/// slack for time zones ahead of this machine), and for web pages not before
/// 1990 (no news site predates the web; such dates are template defaults or
/// epoch zero). Other inputs only reject dates before 1800. The `Err` says why,
/// in words for a `DateCandidate` and a warning.
///
/// ```
/// use chrono::NaiveDate;
/// use storyline_core::Timestamp;
/// use storyline_ingest::check_date;
/// let now = NaiveDate::from_ymd_opt(2023, 11, 13).unwrap();
/// assert!(check_date(Timestamp::parse("2023-11-09").unwrap(), now, true).is_ok());
/// assert!(check_date(Timestamp::parse("2031-01-01").unwrap(), now, true).is_err());
/// assert!(check_date(Timestamp::parse("1970-01-01").unwrap(), now, true).is_err());
/// assert!(check_date(Timestamp::parse("1970-01-01").unwrap(), now, false).is_ok());
/// ```
pub fn check_date(ts: Timestamp, now: NaiveDate, is_web: bool) -> Result<Timestamp, String> {
    if ts.is_after(now) {
        return Err(format!("{ts} is in the future (after {now})"));
    }
    let year = ts.utc_date().year();
    if is_web && year < 1990 {
        return Err(format!("{ts} is before 1990, too early for a web page"));
    }
    if year < 1800 {
        return Err(format!("{ts} is before 1800"));
    }
    Ok(ts)
}

static URL_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[-_.])|/((?:19|20)\d{2})(\d{2})(\d{2})/")
        .expect("url date pattern is valid")
});

/// A date in a URL path (`/2023/11/09/`, `/2023-11-09-`, `/20231109/`).
pub(crate) fn date_from_url(url: &str) -> Option<(Timestamp, String)> {
    let path_start = url.find("://").map_or(0, |i| i + 3);
    let path = &url[path_start..];
    let path = &path[path.find('/')?..];
    let caps = URL_DATE_RE.captures(path)?;
    let (y, m, d) = if caps.get(1).is_some() {
        (caps.get(1)?, caps.get(2)?, caps.get(3)?)
    } else {
        (caps.get(4)?, caps.get(5)?, caps.get(6)?)
    };
    let date = NaiveDate::from_ymd_opt(
        y.as_str().parse().ok()?,
        m.as_str().parse().ok()?,
        d.as_str().parse().ok()?,
    )?;
    Some((
        Timestamp::from_date(date),
        caps.get(0)?.as_str().to_string(),
    ))
}

/// A year from a URL path (`/2023/`), used to complete a dateline date.
pub(crate) fn year_from_url(url: &str) -> Option<i32> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"/((?:19|20)\d{2})(?:/|-|\d{4}/)").expect("valid"));
    let path_start = url.find("://").map_or(0, |i| i + 3);
    let path = &url[path_start..];
    let path = &path[path.find('/')?..];
    RE.captures(path)?.get(1)?.as_str().parse().ok()
}

/// Language code from a stated tag: the primary subtag, lower-cased
/// (`en-GB` → `en`), or `None` for junk.
pub(crate) fn normalize_lang(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    if (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_lowercase()) {
        return Some(iso639_1_from_3(&primary).unwrap_or(&primary).to_string());
    }
    let by_name = match primary.as_str() {
        "english" => "en",
        "french" => "fr",
        "german" => "de",
        "spanish" => "es",
        "arabic" => "ar",
        "hebrew" => "he",
        "russian" => "ru",
        "ukrainian" => "uk",
        "chinese" => "zh",
        "italian" => "it",
        "portuguese" => "pt",
        "turkish" => "tr",
        "persian" | "farsi" => "fa",
        _ => return None,
    };
    Some(by_name.to_string())
}

/// Detects the language of `text` when `whatlang` is confident.
pub(crate) fn detect_language(text: &str) -> Option<String> {
    // A paragraph or two is as reliable as the whole text and much cheaper.
    let sample = &text[..floor_char_boundary(text, 1500)];
    if sample.split_whitespace().count() < 5 {
        return None;
    }
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    let code = info.lang().code();
    Some(iso639_1_from_3(code).unwrap_or(code).to_string())
}

fn iso639_1_from_3(code: &str) -> Option<&'static str> {
    Some(match code {
        "epo" => "eo",
        "eng" => "en",
        "rus" => "ru",
        "cmn" | "zho" | "chi" => "zh",
        "spa" => "es",
        "por" => "pt",
        "ita" => "it",
        "ben" => "bn",
        "fra" | "fre" => "fr",
        "deu" | "ger" => "de",
        "ukr" => "uk",
        "kat" => "ka",
        "ara" => "ar",
        "hin" => "hi",
        "jpn" => "ja",
        "heb" => "he",
        "yid" => "yi",
        "pol" => "pl",
        "amh" => "am",
        "jav" => "jv",
        "kor" => "ko",
        "nob" => "nb",
        "dan" => "da",
        "swe" => "sv",
        "fin" => "fi",
        "tur" => "tr",
        "nld" | "dut" => "nl",
        "hun" => "hu",
        "ces" | "cze" => "cs",
        "ell" | "gre" => "el",
        "bul" => "bg",
        "bel" => "be",
        "mar" => "mr",
        "kan" => "kn",
        "ron" | "rum" => "ro",
        "slv" => "sl",
        "hrv" => "hr",
        "srp" => "sr",
        "mkd" => "mk",
        "lit" => "lt",
        "lav" => "lv",
        "est" => "et",
        "tam" => "ta",
        "vie" => "vi",
        "urd" => "ur",
        "tha" => "th",
        "guj" => "gu",
        "uzb" => "uz",
        "pan" => "pa",
        "aze" => "az",
        "ind" => "id",
        "tel" => "te",
        "pes" | "fas" | "per" => "fa",
        "mal" => "ml",
        "ori" => "or",
        "mya" => "my",
        "nep" => "ne",
        "sin" => "si",
        "khm" => "km",
        "tuk" => "tk",
        "aka" => "ak",
        "zul" => "zu",
        "sna" => "sn",
        "afr" => "af",
        "lat" => "la",
        "slk" => "sk",
        "cat" => "ca",
        "tgl" => "tl",
        "hye" => "hy",
        "cym" => "cy",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 11, 13).unwrap()
    }

    #[test]
    fn header_lines_in_both_forms() {
        let text = "Title: Aid convoy reaches Rafah\nsource: The Harbour Post\nDATE 2023-11-02\nurl https://example.com/a\nlang: en\nauthor: Mira Osei\n\nTrucks crossed on Thursday.\nMore text.";
        let (h, body) = parse_header_lines(text);
        assert_eq!(h.get(HeaderKey::Title), Some("Aid convoy reaches Rafah"));
        assert_eq!(h.get(HeaderKey::Source), Some("The Harbour Post"));
        assert_eq!(h.get(HeaderKey::Date), Some("2023-11-02"));
        assert_eq!(h.line(HeaderKey::Date).unwrap().line, 3);
        assert_eq!(h.get(HeaderKey::Url), Some("https://example.com/a"));
        assert_eq!(h.get(HeaderKey::Lang), Some("en"));
        assert_eq!(h.get(HeaderKey::Author), Some("Mira Osei"));
        assert_eq!(&text[body..], "Trucks crossed on Thursday.\nMore text.");
    }

    #[test]
    fn headers_stop_at_first_non_header() {
        let text = "date: 2023-11-02\nSource of the leak was a ministry official.\n";
        let (h, body) = parse_header_lines(text);
        assert_eq!(h.lines.len(), 1);
        assert_eq!(
            &text[body..],
            "Source of the leak was a ministry official.\n"
        );

        let text = "Title fights are rare in this league.";
        let (h, body) = parse_header_lines(text);
        assert!(h.is_empty());
        assert_eq!(body, 0);

        let text = "date of the vote is not yet set.";
        let (h, body) = parse_header_lines(text);
        assert!(h.is_empty());
        assert_eq!(body, 0);
    }

    #[test]
    fn impossible_dates_in_a_header_stay_headers() {
        for (text, value, body) in [
            ("date 9999-99-99\n\nThe body.", "9999-99-99", "The body."),
            ("Date: 2023-02-30\nThe body.", "2023-02-30", "The body."),
            (
                "date 31/13/2023 The body on the same line.",
                "31/13/2023",
                "The body on the same line.",
            ),
            (
                "date 2023-13-45T25:61, and then the body",
                "2023-13-45T25:61",
                "and then the body",
            ),
        ] {
            let (h, at) = parse_header_lines(text);
            assert_eq!(h.get(HeaderKey::Date), Some(value), "{text:?}");
            assert_eq!(&text[at..], body, "{text:?}");
        }
        // Not shaped like dates: body text, as before.
        for text in [
            "date 2023 was a hard year.",
            "date 1.5 million people",
            "date 12-12 draw",
            "date night at the 9-9-9 diner",
        ] {
            let (h, at) = parse_header_lines(text);
            assert!(h.is_empty(), "{text:?}");
            assert_eq!(at, 0);
        }
    }

    #[test]
    fn seed_000_form_date_then_body_on_one_line() {
        let text =
            " date 2023-11-09 As the Israeli assault on Gaza continues, pressure grows.\n\nNext.";
        let (h, body) = parse_header_lines(text);
        let d = h.line(HeaderKey::Date).unwrap();
        assert_eq!((d.line, d.value.as_str()), (1, "2023-11-09"));
        assert!(text[body..].starts_with("As the Israeli assault"));

        let text = "Date: November 9, 2023 Ministers met in Amman.";
        let (h, body) = parse_header_lines(text);
        assert_eq!(h.get(HeaderKey::Date), Some("November 9, 2023"));
        assert_eq!(&text[body..], "Ministers met in Amman.");
    }

    #[test]
    fn bylines() {
        let v = |s: &str| parse_byline(s);
        let names = |xs: &[&str]| Some(xs.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            v("By Simon Lewis and Ari Rabinovitch"),
            names(&["Simon Lewis", "Ari Rabinovitch"])
        );
        assert_eq!(
            v("By Ana Ruiz, Tom Ng and Lea Park"),
            names(&["Ana Ruiz", "Tom Ng", "Lea Park"])
        );
        assert_eq!(
            v("By Ana Ruiz, Tom Ng, and Lea Park"),
            names(&["Ana Ruiz", "Tom Ng", "Lea Park"])
        );
        assert_eq!(v("By Nadia Haddad in Cairo"), names(&["Nadia Haddad"]));
        assert_eq!(v("BY: Omar al-Farouk"), names(&["Omar al-Farouk"]));
        assert_eq!(v("By Ludwig van der Berg"), names(&["Ludwig van der Berg"]));
        assert_eq!(v("By Reuters Staff"), names(&["Reuters Staff"]));
        assert_eq!(
            v("By The Associated Press"),
            names(&["The Associated Press"])
        );
        assert_eq!(v("By Staff"), names(&["Staff"]));
        assert_eq!(v("By Jane Doe, Reuters"), names(&["Jane Doe"]));
        assert_eq!(v("By Jane Doe | Reuters"), names(&["Jane Doe"]));
        assert_eq!(
            parse_byline_detail("By Jane Doe | Reuters")
                .unwrap()
                .agency
                .as_deref(),
            Some("Reuters")
        );
        assert_eq!(
            parse_byline_detail("By Reuters Staff")
                .unwrap()
                .agency
                .as_deref(),
            Some("Reuters")
        );
        assert_eq!(v("By the time the convoy arrived, it was dark."), None);
        assert_eq!(v("By Friday, the army had withdrawn."), None);
        assert_eq!(v("By Monday"), None);
        assert_eq!(v("Bystanders fled."), None);
        assert_eq!(v("By 2025 the plan will be done"), None);
        assert_eq!(
            v("(Reporting by Simon Lewis and Ari Rabinovich; Editing by Andrew Cawthorne)"),
            None
        );
        assert_eq!(v(""), None);
        assert_eq!(v("By"), None);
    }

    fn dl(s: &str) -> Option<(String, Option<String>, Option<String>, String)> {
        find_dateline(s).map(|d| {
            (
                d.place,
                d.agency,
                d.date_text,
                d.span.slice(s).unwrap().to_string(),
            )
        })
    }

    #[test]
    fn datelines() {
        let o = |s: &str| Some(s.to_string());
        assert_eq!(
            dl("TEL AVIV (Reuters) – U.S. top diplomat"),
            Some((
                "TEL AVIV".into(),
                o("Reuters"),
                None,
                "TEL AVIV (Reuters) –".into()
            ))
        );
        assert_eq!(
            dl("GAZA CITY, Nov 9 (AP) — Crowds gathered"),
            Some((
                "GAZA CITY".into(),
                o("AP"),
                o("Nov 9"),
                "GAZA CITY, Nov 9 (AP) —".into()
            ))
        );
        assert_eq!(
            dl("WASHINGTON — The White House said"),
            Some(("WASHINGTON".into(), None, None, "WASHINGTON —".into()))
        );
        assert_eq!(
            dl("Cairo, 9 November: Egypt opened the crossing"),
            Some((
                "Cairo".into(),
                None,
                o("9 November"),
                "Cairo, 9 November:".into()
            ))
        );
        assert_eq!(
            dl("  JERUSALEM, Nov. 9, 2023 (Reuters) - Israel said"),
            Some((
                "JERUSALEM".into(),
                o("Reuters"),
                o("Nov. 9, 2023"),
                "JERUSALEM, Nov. 9, 2023 (Reuters) -".into()
            ))
        );
        assert_eq!(
            dl("RAFAH, Gaza Strip (AP) — Families waited"),
            Some((
                "RAFAH, Gaza Strip".into(),
                o("AP"),
                None,
                "RAFAH, Gaza Strip (AP) —".into()
            ))
        );
        assert_eq!(
            find_dateline("  TEL AVIV (Reuters) – x")
                .unwrap()
                .span
                .start,
            2
        );
        assert_eq!(dl("Blinken – who arrived Friday – said"), None);
        assert_eq!(dl("BREAKING — Explosions heard"), None);
        assert_eq!(dl("As the Israeli assault continues"), None);
        assert_eq!(dl("U.S. top diplomat said"), None);
        assert_eq!(dl("Note: this is a sentence"), None);
        assert_eq!(dl(""), None);
    }

    #[test]
    fn infers_latest_absolute_date() {
        let t = "Fighting began on 7 October 2023. On November 9, 2023, talks opened. A report dated 2023-11-05 said more.";
        let d = infer_date_from_text(t, now()).unwrap();
        assert_eq!(d.value.unwrap().to_string(), "2023-11-09");
        assert_eq!(d.provenance, DateProvenance::Inferred);
        assert_eq!(
            d.evidence.as_deref(),
            Some("On November 9, 2023, talks opened.")
        );
        assert!(d.confidence > 0.0 && d.confidence < 1.0);
    }

    #[test]
    fn no_year_no_date_and_future_ignored() {
        assert!(
            infer_date_from_text("The deadliest day, Oct. 7, and then Nov 9.", now()).is_none()
        );
        assert!(infer_date_from_text("In a 75-year history, 1,400 killed.", now()).is_none());
        let d = infer_date_from_text(
            "Elections due on 5 March 2031. The ceasefire of 1 Nov 2023 held.",
            now(),
        )
        .unwrap();
        assert_eq!(d.value.unwrap().to_string(), "2023-11-01");
        let old =
            infer_date_from_text("The war of June 5, 1967 and again June 5, 1967.", now()).unwrap();
        assert!(old.confidence < 0.3);
    }

    #[test]
    fn check_date_rules() {
        let ts = |s: &str| Timestamp::parse(s).unwrap();
        assert!(
            check_date(ts("2023-11-14"), now(), true).is_ok(),
            "one day of slack"
        );
        assert!(check_date(ts("2023-11-15"), now(), true)
            .unwrap_err()
            .contains("future"));
        assert!(check_date(ts("1989-12-31"), now(), true)
            .unwrap_err()
            .contains("1990"));
        assert!(check_date(ts("1989-12-31"), now(), false).is_ok());
    }

    #[test]
    fn url_dates() {
        let u = |s: &str| date_from_url(s).map(|(t, _)| t.to_string());
        assert_eq!(
            u("https://x.com/news/2023/11/09/story"),
            Some("2023-11-09".into())
        );
        assert_eq!(
            u("https://x.com/2023-11-09-story.html"),
            Some("2023-11-09".into())
        );
        assert_eq!(u("https://x.com/a/20231109/b"), Some("2023-11-09".into()));
        assert_eq!(u("https://x.com/news/world-middle-east-67067595"), None);
        assert_eq!(u("https://2023.com/"), None);
        assert_eq!(year_from_url("https://x.com/2023/gaza-report"), Some(2023));
    }

    #[test]
    fn languages() {
        assert_eq!(normalize_lang("en-GB").as_deref(), Some("en"));
        assert_eq!(normalize_lang("eng").as_deref(), Some("en"));
        assert_eq!(normalize_lang("French").as_deref(), Some("fr"));
        assert_eq!(normalize_lang("12"), None);
        assert_eq!(
            detect_language("The ministers met in Amman on Friday to discuss the humanitarian situation in Gaza and the release of hostages.").as_deref(),
            Some("en")
        );
        assert_eq!(
            detect_language("Les ministres se sont réunis vendredi à Amman pour discuter de la situation humanitaire à Gaza et de la libération des otages.").as_deref(),
            Some("fr")
        );
        assert_eq!(detect_language("ok"), None);
    }
}
