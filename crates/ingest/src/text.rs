//! Plain text and Markdown articles: header lines, YAML front matter, a
//! leading `# Heading` as the title, and Markdown syntax removed from the body.

use std::sync::LazyLock;

use regex::Regex;
use storyline_core::{DateProvenance, InputFormat, Location};

use crate::draft::{RawArticle, StatedDate};
use crate::meta::{parse_header_lines, HeaderFields, HeaderKey};

/// Reads one text or Markdown document (already decoded).
pub(crate) fn read_document(text: &str, location: Location, format: InputFormat) -> RawArticle {
    let mut raw = RawArticle::new(String::new(), location, format);
    let mut body = text.trim_start_matches('\u{FEFF}');
    let mut line_offset = 0usize;
    if format == InputFormat::Markdown {
        if let Some((fm, rest, lines)) = front_matter(body) {
            apply_front_matter(&mut raw, &fm);
            body = rest;
            line_offset = lines;
        }
    }
    let (headers, body_at) = parse_header_lines(body);
    apply_headers(&mut raw, &headers, line_offset);
    let body = &body[body_at..];
    if format == InputFormat::Markdown {
        let (md_text, md_title) = markdown_to_text(body);
        raw.text = md_text;
        match (&raw.title, md_title) {
            (None, t) => raw.title = t,
            // A heading that is not the stated title is part of the body.
            (Some(stated), Some(h)) if crate::draft::one_line(stated) != h => {
                raw.text = format!("{h}\n\n{}", raw.text);
            }
            _ => {}
        }
    } else {
        raw.text = body.to_string();
    }
    raw
}

fn apply_headers(raw: &mut RawArticle, headers: &HeaderFields, line_offset: usize) {
    for line in &headers.lines {
        let value = line.value.clone();
        match line.key {
            HeaderKey::Date => raw.stated_dates.push(StatedDate {
                raw: value,
                provenance: DateProvenance::Header,
                evidence: format!("header line {}: {}", line.line + line_offset, line.raw),
            }),
            HeaderKey::Title => {
                raw.title.get_or_insert(value);
            }
            HeaderKey::Source => {
                raw.source.get_or_insert(value);
            }
            HeaderKey::Url => {
                raw.url.get_or_insert(value);
            }
            HeaderKey::Author => {
                if raw.authors.is_empty() {
                    raw.authors = split_authors(&value);
                }
            }
            HeaderKey::Lang => {
                raw.language.get_or_insert(value);
            }
        }
    }
}

/// Splits an author field: `A and B`, `A, B`, `By A`.
pub(crate) fn split_authors(value: &str) -> Vec<String> {
    let v = value.trim();
    if v.is_empty() {
        return Vec::new();
    }
    let as_byline = if v.to_ascii_lowercase().starts_with("by ") {
        v.to_string()
    } else {
        format!("By {v}")
    };
    crate::meta::parse_byline(&as_byline).unwrap_or_else(|| vec![v.to_string()])
}

/// One `key: value` entry of YAML front matter, with its 1-based line.
struct FrontMatter {
    entries: Vec<(usize, String, Vec<String>)>,
}

/// Splits `---\n...\n---\n` off the top. Returns the entries, the rest, and
/// how many lines the block took.
fn front_matter(text: &str) -> Option<(FrontMatter, &str, usize)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let mut pos = first_end + 1;
    let mut lines = 1;
    let mut entries: Vec<(usize, String, Vec<String>)> = Vec::new();
    while pos <= text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[pos..end].trim_end();
        lines += 1;
        let next = (end + 1).min(text.len());
        if line == "---" || line == "..." {
            return Some((FrontMatter { entries }, &text[next.max(end)..], lines));
        }
        if lines > 200 || end == text.len() {
            return None;
        }
        if let Some(item) = line.trim_start().strip_prefix("- ") {
            if let Some(last) = entries.last_mut() {
                last.2.push(unquote(item));
            }
        } else if let Some((k, v)) = line.split_once(':') {
            if !k.starts_with([' ', '\t']) {
                let v = v.trim();
                let values = if v.starts_with('[') && v.ends_with(']') {
                    v[1..v.len() - 1]
                        .split(',')
                        .map(unquote)
                        .filter(|s| !s.is_empty())
                        .collect()
                } else if v.is_empty() {
                    Vec::new()
                } else {
                    vec![unquote(v)]
                };
                entries.push((lines, k.trim().to_ascii_lowercase(), values));
            }
        }
        pos = next;
    }
    None
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let stripped = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')));
    stripped.unwrap_or(s).to_string()
}

fn apply_front_matter(raw: &mut RawArticle, fm: &FrontMatter) {
    for (line, key, values) in &fm.entries {
        let Some(first) = values.first().cloned() else {
            continue;
        };
        match key.as_str() {
            "title" | "headline" => {
                raw.title.get_or_insert(first);
            }
            "date" | "published" | "pubdate" | "publish_date" | "published_at" => {
                raw.stated_dates.push(StatedDate {
                    evidence: format!("front matter line {line}: {key}: {first}"),
                    raw: first,
                    provenance: DateProvenance::Header,
                })
            }
            "source" | "outlet" | "publisher" | "site" => {
                raw.source.get_or_insert(first);
            }
            "url" | "link" | "canonical" | "canonical_url" => {
                raw.url.get_or_insert(first);
            }
            "author" | "authors" | "byline" if raw.authors.is_empty() => {
                raw.authors = if values.len() > 1 {
                    values.clone()
                } else {
                    split_authors(&first)
                };
            }
            "lang" | "language" => {
                raw.language.get_or_insert(first);
            }
            _ => {}
        }
    }
}

static IMAGE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])").expect("valid"));
static LINK_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])").expect("valid"));
static AUTOLINK_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<((?:https?|mailto):[^>\s]+)>").expect("valid"));
static TAG_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>").expect("valid"));
static CODE_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"`+([^`]*)`+").expect("valid"));
static STAR_OPEN_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[^\p{L}\p{N}*])\*(\S)").expect("valid"));
static STAR_CLOSE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\S)\*([^\p{L}\p{N}*]|$)").expect("valid"));
static UNDER_OPEN_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[^\p{L}\p{N}_])_(\S)").expect("valid"));
static UNDER_CLOSE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\S)_([^\p{L}\p{N}_]|$)").expect("valid"));
static LIST_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-*+]|\d{1,9}[.)])\s+").expect("valid"));
static REF_DEF_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[[^\]]+\]:\s*\S+").expect("valid"));

const ESCAPABLE: &str = "\\`*_{}[]()#+-.!>~|<";

/// Removes inline Markdown: images dropped, links to their text, emphasis,
/// code spans and inline HTML tags removed, backslash escapes honoured.
pub(crate) fn strip_inline(s: &str) -> String {
    // Protect escaped characters in the private use area while stripping.
    let mut protected = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&n) = chars.peek() {
                if let Some(i) = ESCAPABLE.find(n) {
                    protected.push(char::from_u32(0xE000 + i as u32).unwrap_or(n));
                    chars.next();
                    continue;
                }
            }
        }
        protected.push(c);
    }
    let s = IMAGE_RE.replace_all(&protected, "");
    let s = LINK_RE.replace_all(&s, "$1");
    let s = AUTOLINK_RE.replace_all(&s, "$1");
    let s = TAG_RE.replace_all(&s, "");
    let s = CODE_RE.replace_all(&s, "$1");
    let s = s.replace("**", "").replace("__", "").replace("~~", "");
    let mut s = s;
    for _ in 0..2 {
        s = STAR_OPEN_RE.replace_all(&s, "$1$2").into_owned();
        s = STAR_CLOSE_RE.replace_all(&s, "$1$2").into_owned();
        s = UNDER_OPEN_RE.replace_all(&s, "$1$2").into_owned();
        s = UNDER_CLOSE_RE.replace_all(&s, "$1$2").into_owned();
    }
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0xE000..0xE000 + ESCAPABLE.len() as u32).contains(&u) {
                ESCAPABLE.chars().nth((u - 0xE000) as usize).unwrap_or(c)
            } else {
                c
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && (compact.chars().all(|c| c == '-')
            || compact.chars().all(|c| c == '*')
            || compact.chars().all(|c| c == '_'))
}

fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|c| *c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &line[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((level, rest.trim().trim_end_matches('#').trim()))
}

/// Markdown to plain text with paragraphs separated by blank lines. A `#`
/// heading before any other content becomes the title (returned, not kept in
/// the text); other headings and list items are their own paragraphs.
///
/// ```text
/// let (text, title) = markdown_to_text("# Talks stall\n\nThe **envoy** left [Doha](https://x).");
/// assert_eq!(title.as_deref(), Some("Talks stall"));
/// assert_eq!(text, "The envoy left Doha.");
/// ```
pub(crate) fn markdown_to_text(md: &str) -> (String, Option<String>) {
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut title = None;
    let mut in_fence = false;
    let mut seen_content = false;
    let flush = |cur: &mut String, paras: &mut Vec<String>| {
        let t = strip_inline(cur);
        if !t.is_empty() {
            paras.push(t);
        }
        cur.clear();
    };
    for line in md.lines() {
        let t = line.trim_end();
        let mut ts = t.trim_start();
        if ts.starts_with("```") || ts.starts_with("~~~") {
            flush(&mut cur, &mut paras);
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            if !ts.is_empty() {
                paras.push(ts.to_string());
            }
            continue;
        }
        if ts.is_empty() {
            flush(&mut cur, &mut paras);
            continue;
        }
        if !cur.is_empty() && ts.chars().all(|c| c == '=') {
            // Setext heading: the paragraph so far is a heading.
            let h = strip_inline(&cur);
            cur.clear();
            if title.is_none() && paras.is_empty() && !seen_content {
                title = Some(h);
            } else if !h.is_empty() {
                paras.push(h);
            }
            seen_content = true;
            continue;
        }
        if is_rule(ts) {
            flush(&mut cur, &mut paras);
            continue;
        }
        if REF_DEF_RE.is_match(ts) {
            continue;
        }
        if let Some((level, h)) = heading(ts) {
            flush(&mut cur, &mut paras);
            let h = strip_inline(h);
            if level == 1 && title.is_none() && !seen_content {
                title = Some(h);
            } else if !h.is_empty() {
                paras.push(h);
            }
            seen_content = true;
            continue;
        }
        while let Some(rest) = ts.strip_prefix('>') {
            ts = rest.trim_start();
        }
        if ts.starts_with('|') {
            // Table row: drop separator rows, keep cells as text.
            if ts.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            flush(&mut cur, &mut paras);
            let cells: Vec<&str> = ts
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect();
            cur.push_str(&cells.join("; "));
            flush(&mut cur, &mut paras);
            seen_content = true;
            continue;
        }
        if let Some(m) = LIST_RE.find(ts) {
            flush(&mut cur, &mut paras);
            ts = &ts[m.end()..];
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(ts.trim_end_matches('\\'));
        seen_content = true;
    }
    flush(&mut cur, &mut paras);
    (paras.join("\n\n"), title.filter(|t| !t.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown() {
        assert_eq!(
            strip_inline(
                "The **envoy** met *officials* in [Doha](https://x.example/d) ![map](m.png)."
            ),
            "The envoy met officials in Doha ."
        );
        assert_eq!(
            strip_inline("snake_case_name and _emph_ and __bold__"),
            "snake_case_name and emph and bold"
        );
        assert_eq!(
            strip_inline("2 * 3 = 6, a \\*literal\\* star"),
            "2 * 3 = 6, a *literal* star"
        );
        assert_eq!(
            strip_inline("`code` and <b>tag</b> and <https://x.example>"),
            "code and tag and https://x.example"
        );
        assert_eq!(strip_inline("~~gone~~ [ref link][1]"), "gone ref link");
    }

    #[test]
    fn markdown_document() {
        let md = "# Aid trucks cross into Gaza\n\nThe first **20 trucks** crossed\nat Rafah on Saturday.\n\n## Background\n\n- one\n- two\n\n> A quote here.\n\n---\n\n[1]: https://example.com\n\n```\ncode line\n```\n";
        let (text, title) = markdown_to_text(md);
        assert_eq!(title.as_deref(), Some("Aid trucks cross into Gaza"));
        assert_eq!(
            text,
            "The first 20 trucks crossed at Rafah on Saturday.\n\nBackground\n\none\n\ntwo\n\nA quote here.\n\ncode line"
        );
    }

    #[test]
    fn front_matter_and_headers() {
        let md = "---\ntitle: \"Truce holds\"\ndate: 2023-11-25\nauthors:\n  - Ana Ruiz\n  - Tom Ng\nlang: en\ntags: [a, b]\n---\n# Ignored because title is set\n\nBody text here.";
        let raw = read_document(md, Location::source("a.md"), InputFormat::Markdown);
        assert_eq!(raw.title.as_deref(), Some("Truce holds"));
        assert_eq!(raw.authors, ["Ana Ruiz", "Tom Ng"]);
        assert_eq!(raw.stated_dates[0].raw, "2023-11-25");
        assert_eq!(
            raw.stated_dates[0].evidence,
            "front matter line 3: date: 2023-11-25"
        );
        assert_eq!(raw.language.as_deref(), Some("en"));
        assert_eq!(raw.text, "Ignored because title is set\n\nBody text here.");
    }

    #[test]
    fn unclosed_front_matter_is_body() {
        let md = "---\ntitle: x\nno end";
        let raw = read_document(md, Location::source("a.md"), InputFormat::Markdown);
        assert!(raw.title.is_none());
        assert!(raw.text.contains("no end"));
    }

    #[test]
    fn text_with_headers() {
        let t = "title: Ceasefire talks\nauthor: Simon Lewis and Ari Rabinovitch\ndate 2023-11-09\n\nTalks resumed in Doha.";
        let raw = read_document(t, Location::source("a.txt"), InputFormat::Text);
        assert_eq!(raw.title.as_deref(), Some("Ceasefire talks"));
        assert_eq!(raw.authors, ["Simon Lewis", "Ari Rabinovitch"]);
        assert_eq!(
            raw.stated_dates[0].evidence,
            "header line 3: date 2023-11-09"
        );
        assert_eq!(raw.text, "Talks resumed in Doha.");
    }
}
