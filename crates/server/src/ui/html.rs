//! The small HTML toolkit the pages are written with: escaping, safe links,
//! query strings, and rendering article text with highlighted spans.
//!
//! Every piece of text that came from an article or a request goes through
//! [`esc`] (or a function here that calls it) before it reaches a page.
//! Nothing here trusts offsets either: a span that is out of range or cuts a
//! character is dropped, never sliced.

use std::fmt::Write;
use std::ops::Range;

use storyline_core::Span;
use storyline_store::{SNIPPET_CLOSE, SNIPPET_OPEN};

/// Escapes text for an HTML element body or a quoted attribute value (the
/// report crate's, so pages and briefings escape alike).
pub(crate) use storyline_report::esc;

/// A day as people write it (`5 Mar 2024`), with the ISO day as the
/// tooltip and the `<time>` element's value, so nothing is lost.
pub(crate) fn human_day(d: chrono::NaiveDate) -> String {
    format!(
        r#"<time datetime="{d}" title="{d}">{}</time>"#,
        d.format("%-d %b %Y")
    )
}

/// A timestamp as people write it: the day, then the time of day and its
/// offset from UTC when the source gave them (`5 Mar 2024, 14:30 UTC+1`);
/// the ISO form is the tooltip.
pub(crate) fn human_time(t: &storyline_core::Timestamp) -> String {
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
    let iso = esc(&t.to_string());
    format!(r#"<time datetime="{iso}" title="{iso}">{shown}</time>"#)
}

/// A range of days: one day alone, else `first – last`.
pub(crate) fn day_span(first: chrono::NaiveDate, last: chrono::NaiveDate) -> String {
    if first == last {
        human_day(first)
    } else {
        format!("{} – {}", human_day(first), human_day(last))
    }
}

/// A link to an untrusted URL, or the URL as plain text when it is not
/// http(s) (a `javascript:` URL must never become a link).
pub(crate) fn external_link(url: &str) -> String {
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        format!(
            r#"<a href="{}" rel="noopener noreferrer nofollow" class="ext">{}</a>"#,
            esc(url.trim()),
            esc(url)
        )
    } else {
        esc(url)
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

/// `path?k=v&...` with the non-empty pairs, encoded; escape it with [`esc`]
/// before putting it in an attribute.
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

/// The article text as paragraphs (split at line breaks, blank lines
/// dropped), with each highlight wrapped in `<mark>`. Highlights that are
/// out of range, cut a character, cross a paragraph break or overlap an
/// earlier one are left out.
pub(crate) fn render_text(text: &str, highlights: &[Highlight]) -> String {
    let mut hs: Vec<&Highlight> = highlights
        .iter()
        .filter(|h| !h.span.is_empty() && h.span.slice(text).is_some())
        .collect();
    hs.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut next = 0; // index into hs
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let body_end = start + body.len();
        if !body.trim().is_empty() {
            out.push_str("<p>");
            let mut pos = start;
            while let Some(h) = hs.get(next) {
                if h.span.start >= body_end {
                    break;
                }
                next += 1;
                if h.span.start < pos || h.span.end > body_end {
                    continue; // overlaps the previous one or crosses a break
                }
                out.push_str(&esc(&text[pos..h.span.start]));
                let _ = write!(
                    out,
                    r#"<mark class="hl hl-{kind}" title="{title}">{inner}<span class="hl-label">{label}</span></mark>"#,
                    kind = esc(h.kind),
                    title = esc(h.tooltip.as_ref().unwrap_or(&h.label)),
                    label = esc(&h.label),
                    inner = esc(&text[h.span.start..h.span.end]),
                );
                pos = h.span.end;
            }
            out.push_str(&esc(&text[pos..body_end]));
            out.push_str("</p>\n");
        }
        // Skip highlights that began in this line but were not rendered.
        while hs.get(next).is_some_and(|h| h.span.start < end) {
            next += 1;
        }
        start = end;
    }
    out
}

/// A legend for the kinds of highlight used, in first-use order.
pub(crate) fn legend(highlights: &[Highlight], names: &[(&str, &str)]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for h in highlights {
        if !seen.contains(&h.kind) {
            seen.push(h.kind);
        }
    }
    if seen.is_empty() {
        return String::new();
    }
    let mut out = String::from(r#"<ul class="legend" aria-label="Legend">"#);
    for kind in seen {
        let name = names
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, n)| *n)
            .unwrap_or(kind);
        let _ = write!(
            out,
            r#"<li><mark class="hl hl-{k}">{n}</mark></li>"#,
            k = esc(kind),
            n = esc(name)
        );
    }
    out.push_str("</ul>");
    out
}

/// A search snippet with its matched terms in `<mark>`, escaped. Uses the
/// byte ranges (not the `«` `»` markers, which the text itself may contain)
/// and drops the markers around each range.
pub(crate) fn render_snippet(snippet: &str, highlights: &[Range<usize>]) -> String {
    let mut ranges: Vec<&Range<usize>> = highlights
        .iter()
        .filter(|r| r.start < r.end && snippet.get(r.start..r.end).is_some())
        .collect();
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(snippet.len() + 32);
    let mut pos = 0;
    for r in ranges {
        if r.start < pos {
            continue;
        }
        let before = &snippet[pos..r.start];
        let before = before.strip_suffix(SNIPPET_OPEN).unwrap_or(before);
        out.push_str(&esc(before));
        let _ = write!(out, "<mark>{}</mark>", esc(&snippet[r.start..r.end]));
        pos = r.end;
        if snippet[pos..].starts_with(SNIPPET_CLOSE) {
            pos += SNIPPET_CLOSE.len_utf8();
        }
    }
    out.push_str(&esc(&snippet[pos..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_matters() {
        assert_eq!(
            esc(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn only_http_urls_become_links() {
        assert!(external_link("https://example.org/a?b=1&c=2")
            .contains(r#"href="https://example.org/a?b=1&amp;c=2""#));
        assert_eq!(external_link("javascript:alert(1)"), "javascript:alert(1)");
        assert!(!external_link(r#"http://x/"><script>"#).contains("<script>"));
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
        );
        assert_eq!(
            html,
            "<p><mark class=\"hl hl-per\" title=\"PER\">Blinken<span class=\"hl-label\">PER</span></mark> met &lt;b&gt;\
             <mark class=\"hl hl-per\" title=\"PER\">Netanyahu<span class=\"hl-label\">PER</span></mark>&lt;/b&gt;.</p>\n\
             <p>He said so.</p>\n"
        );
        assert_eq!(render_text("a\r\n\r\nb", &[]), "<p>a</p>\n<p>b</p>\n");
        // A span cutting a multi-byte character is dropped, not sliced.
        assert_eq!(render_text("é", &[hl(0, 1, "per")]), "<p>é</p>\n");
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
            legend(&[h], &[("per", "Person")]),
            r#"<ul class="legend" aria-label="Legend"><li><mark class="hl hl-per">Person</mark></li></ul>"#
        );
        assert_eq!(legend(&[], &[]), "");
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
            let html = render_text(&text, &hs);
            let stripped = html
                .replace("<p>", "")
                .replace("</p>", "")
                .replace(r#"<mark class="hl hl-per" title="&lt;code&gt;">"#, "")
                .replace(r#"<span class="hl-label">&lt;PER&gt;</span></mark>"#, "");
            proptest::prop_assert!(!stripped.contains('<'), "{}", html);
            let ranges: Vec<Range<usize>> = spans.iter().map(|&(s, e)| s..e).collect();
            let snippet = render_snippet(&text, &ranges)
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
            render_snippet(s, &[x..x + 3, y..y + 1, 3..4 /* cuts a char */]),
            "a <mark>&lt;x&gt;</mark> and <mark>y</mark> «z"
        );
    }
}
