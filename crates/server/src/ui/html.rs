//! The small HTML toolkit the pages are written with: dates, safe links,
//! query strings, and rendering article text with highlighted spans.
//!
//! Pages are [`maud`] templates: every value interpolated into one is
//! escaped by its type (a `&str` or `String` is text; only [`Markup`],
//! which a template or a function here returns, goes in as it is), so text
//! that came from an article or a request cannot reach a page unescaped by
//! someone forgetting to call an escaping function. Nothing here trusts
//! offsets either: a span that is out of range or cuts a character is
//! dropped, never sliced.

use std::fmt::Write;
use std::ops::Range;

use maud::{html, Markup};
use storyline_core::Span;
use storyline_store::{SNIPPET_CLOSE, SNIPPET_OPEN};

/// A day as people write it (`5 Mar 2024`), with the ISO day as the
/// tooltip and the `<time>` element's value, so nothing is lost.
pub(crate) fn human_day(d: chrono::NaiveDate) -> Markup {
    html! { time datetime=(d) title=(d) { (d.format("%-d %b %Y")) } }
}

/// A timestamp as people write it: the day, then the time of day and its
/// offset from UTC when the source gave them (`5 Mar 2024, 14:30 UTC+1`);
/// the ISO form is the tooltip.
pub(crate) fn human_time(t: &storyline_core::Timestamp) -> Markup {
    let mut shown = t.date.format("%-d %b %Y").to_string();
    if let Some(time) = t.time {
        let _ = write!(shown, ", {}", time.format("%H:%M"));
        match t.offset_seconds {
            Some(0) => shown.push_str(" UTC"),
            Some(s) => {
                let (sign, s) = if s < 0 { ('−', -s) } else { ('+', s) };
                let _ = write!(shown, " UTC{sign}{}", s / 3600);
                if s % 3600 != 0 {
                    let _ = write!(shown, ":{:02}", s % 3600 / 60);
                }
            }
            None => {}
        }
    }
    let iso = t.to_string();
    html! { time datetime=(iso) title=(iso) { (shown) } }
}

/// A range of days: one day alone, else `first – last`.
pub(crate) fn day_span(first: chrono::NaiveDate, last: chrono::NaiveDate) -> Markup {
    html! {
        @if first == last {
            (human_day(first))
        } @else {
            (human_day(first)) " – " (human_day(last))
        }
    }
}

/// A link to an untrusted URL, or the URL as plain text when it is not
/// http(s) (a `javascript:` URL must never become a link).
pub(crate) fn external_link(url: &str) -> Markup {
    let lower = url.trim_start().to_ascii_lowercase();
    html! {
        @if lower.starts_with("http://") || lower.starts_with("https://") {
            a href=(url.trim()) rel="noopener noreferrer nofollow" class="ext" { (url) }
        } @else {
            (url)
        }
    }
}

/// Percent-encodes a query-string value (everything but unreserved characters).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// `path?k=v&...` with the non-empty pairs, encoded: a plain string, which
/// a template escapes when it puts it in an attribute.
pub(crate) fn url_with(path: &str, pairs: &[(&str, Option<String>)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode(v))))
        .collect();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", q.join("&"))
    }
}

/// A span of an article's text to highlight, displaCy-style: a kind (which
/// picks the colour, `hl-{kind}` in the stylesheet) and a label shown with it.
///
/// This is the extension point for analysis layers: when entities, time
/// expressions, quotes or figures are stored, the article page turns each
/// into a `Highlight` and passes them to [`render_text`], and lists the kinds
/// used in a legend ([`legend`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Highlight {
    /// Byte range in the article text.
    pub span: Span,
    /// Short lowercase kind: `per`, `org`, `loc`, `misc`, `time`, `quote`, `figure`.
    pub kind: &'static str,
    /// Shown after the span (`PER`, a normalised date, a speaker).
    pub label: String,
    /// The tooltip, when it is not the label: the code a label reads.
    pub tooltip: Option<String>,
}

/// A piece of one paragraph of article text: plain, or highlighted.
enum Piece<'a> {
    Plain(&'a str),
    Marked(&'a str, &'a Highlight),
}

/// The article text as paragraphs (split at line breaks, blank lines
/// dropped), with each highlight wrapped in `<mark>`. Highlights that are
/// out of range, cut a character, cross a paragraph break or overlap an
/// earlier one are left out.
pub(crate) fn render_text(text: &str, highlights: &[Highlight]) -> Markup {
    let mut hs: Vec<&Highlight> = highlights
        .iter()
        .filter(|h| !h.span.is_empty() && h.span.slice(text).is_some())
        .collect();
    hs.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
    // The paragraphs cut into pieces first (all the offset arithmetic),
    // then written by the template (all the escaping).
    let mut paragraphs: Vec<Vec<Piece>> = Vec::new();
    let mut next = 0; // index into hs
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let body_end = start + body.len();
        if !body.trim().is_empty() {
            let mut pieces = Vec::new();
            let mut pos = start;
            while let Some(h) = hs.get(next) {
                if h.span.start >= body_end {
                    break;
                }
                next += 1;
                if h.span.start < pos || h.span.end > body_end {
                    continue; // overlaps the previous one or crosses a break
                }
                pieces.push(Piece::Plain(&text[pos..h.span.start]));
                pieces.push(Piece::Marked(&text[h.span.start..h.span.end], h));
                pos = h.span.end;
            }
            pieces.push(Piece::Plain(&text[pos..body_end]));
            paragraphs.push(pieces);
        }
        // Skip highlights that began in this line but were not rendered.
        while hs.get(next).is_some_and(|h| h.span.start < end) {
            next += 1;
        }
        start = end;
    }
    html! {
        @for pieces in &paragraphs {
            p {
                @for piece in pieces {
                    @match piece {
                        Piece::Plain(s) => (s),
                        Piece::Marked(inner, h) => {
                            mark class={ "hl hl-" (h.kind) } title=(h.tooltip.as_ref().unwrap_or(&h.label)) {
                                (inner) span class="hl-label" { (h.label) }
                            }
                        }
                    }
                }
            }
            "\n"
        }
    }
}

/// A legend for the kinds of highlight used, in first-use order.
pub(crate) fn legend(highlights: &[Highlight], names: &[(&str, &str)]) -> Markup {
    let mut seen: Vec<&str> = Vec::new();
    for h in highlights {
        if !seen.contains(&h.kind) {
            seen.push(h.kind);
        }
    }
    let name = |kind: &str| -> String {
        names
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, n)| *n)
            .unwrap_or(kind)
            .to_string()
    };
    html! {
        @if !seen.is_empty() {
            ul class="legend" aria-label="Legend" {
                @for kind in &seen {
                    li { mark class={ "hl hl-" (kind) } { (name(kind)) } }
                }
            }
        }
    }
}

/// A search snippet with its matched terms in `<mark>`, escaped. Uses the
/// byte ranges (not the `«` `»` markers, which the text itself may contain)
/// and drops the markers around each range.
pub(crate) fn render_snippet(snippet: &str, highlights: &[Range<usize>]) -> Markup {
    let mut ranges: Vec<&Range<usize>> = highlights
        .iter()
        .filter(|r| r.start < r.end && snippet.get(r.start..r.end).is_some())
        .collect();
    ranges.sort_by_key(|r| r.start);
    // (text before, marked text) pairs, then the rest.
    let mut pieces: Vec<(&str, &str)> = Vec::new();
    let mut pos = 0;
    for r in ranges {
        if r.start < pos {
            continue;
        }
        let before = &snippet[pos..r.start];
        let before = before.strip_suffix(SNIPPET_OPEN).unwrap_or(before);
        pieces.push((before, &snippet[r.start..r.end]));
        pos = r.end;
        if snippet[pos..].starts_with(SNIPPET_CLOSE) {
            pos += SNIPPET_CLOSE.len_utf8();
        }
    }
    let rest = &snippet[pos..];
    html! {
        @for (before, marked) in &pieces {
            (before) mark { (marked) }
        }
        (rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_escape_text_and_attributes() {
        let payload = r#"<script>alert("x")</script> & 'y'"#;
        assert_eq!(
            html! { p title=(payload) { (payload) } }.into_string(),
            "<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 'y'\">\
             &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 'y'</p>"
        );
    }

    #[test]
    fn only_http_urls_become_links() {
        assert!(external_link("https://example.org/a?b=1&c=2")
            .into_string()
            .contains(r#"href="https://example.org/a?b=1&amp;c=2""#));
        assert_eq!(
            external_link("javascript:alert(1)").into_string(),
            "javascript:alert(1)"
        );
        assert!(!external_link(r#"http://x/"><script>"#)
            .into_string()
            .contains("<script>"));
    }

    #[test]
    fn query_values_are_encoded() {
        assert_eq!(
            url_with(
                "/articles",
                &[("source", Some("A&B =x".into())), ("since", None)]
            ),
            "/articles?source=A%26B%20%3Dx"
        );
    }

    #[test]
    fn text_renders_as_escaped_paragraphs_with_highlights() {
        let text = "Blinken met <b>Netanyahu</b>.\n\nHe said so.";
        let start = text.find("Netanyahu").unwrap();
        let hl = |s, e, kind: &'static str| Highlight {
            span: Span::new(s, e),
            kind,
            label: kind.to_uppercase(),
            tooltip: None,
        };
        let html = render_text(
            text,
            &[
                hl(0, 7, "per"),
                hl(start, start + 9, "per"),
                hl(start + 2, start + 4, "org"), // overlaps: dropped
                hl(5, 40, "misc"),               // crosses a break: dropped
                hl(1000, 1001, "loc"),           // out of range: dropped
            ],
        )
        .into_string();
        assert_eq!(
            html,
            "<p><mark class=\"hl hl-per\" title=\"PER\">Blinken<span class=\"hl-label\">PER</span></mark> met &lt;b&gt;\
             <mark class=\"hl hl-per\" title=\"PER\">Netanyahu<span class=\"hl-label\">PER</span></mark>&lt;/b&gt;.</p>\n\
             <p>He said so.</p>\n"
        );
        assert_eq!(
            render_text("a\r\n\r\nb", &[]).into_string(),
            "<p>a</p>\n<p>b</p>\n"
        );
        // A span cutting a multi-byte character is dropped, not sliced.
        assert_eq!(
            render_text("é", &[hl(0, 1, "per")]).into_string(),
            "<p>é</p>\n"
        );
    }

    #[test]
    fn legend_lists_kinds_used() {
        let h = Highlight {
            span: Span::new(0, 1),
            kind: "per",
            label: "PER".into(),
            tooltip: None,
        };
        assert_eq!(
            legend(&[h], &[("per", "Person")]).into_string(),
            r#"<ul class="legend" aria-label="Legend"><li><mark class="hl hl-per">Person</mark></li></ul>"#
        );
        assert_eq!(legend(&[], &[]).into_string(), "");
    }

    proptest::proptest! {
        /// Whatever the text and offsets, rendering neither panics nor lets
        /// a `<` through other than the tags it writes itself.
        #[test]
        fn any_text_and_spans_render_safely(
            text in "[a-z<>&\"' «»é\n]{0,60}",
            spans in proptest::collection::vec((0usize..70, 0usize..70), 0..6),
        ) {
            let hs: Vec<Highlight> = spans
                .iter()
                .map(|&(s, e)| Highlight { span: Span::new(s, e), kind: "per", label: "<PER>".into(), tooltip: Some("<code>".into()) })
                .collect();
            let html = render_text(&text, &hs).into_string();
            let stripped = html
                .replace("<p>", "")
                .replace("</p>", "")
                .replace(r#"<mark class="hl hl-per" title="&lt;code&gt;">"#, "")
                .replace(r#"<span class="hl-label">&lt;PER&gt;</span></mark>"#, "");
            proptest::prop_assert!(!stripped.contains('<'), "{}", html);
            let ranges: Vec<Range<usize>> = spans.iter().map(|&(s, e)| s..e).collect();
            let snippet = render_snippet(&text, &ranges)
                .into_string()
                .replace("<mark>", "")
                .replace("</mark>", "");
            proptest::prop_assert!(!snippet.contains('<'));
        }
    }

    #[test]
    fn snippets_mark_ranges_and_drop_markers() {
        let s = "a «<x>» and «y» «z";
        let x = s.find("<x>").unwrap();
        let y = s.find('y').unwrap();
        assert_eq!(
            render_snippet(s, &[x..x + 3, y..y + 1, 3..4 /* cuts a char */]).into_string(),
            "a <mark>&lt;x&gt;</mark> and <mark>y</mark> «z"
        );
    }
}
