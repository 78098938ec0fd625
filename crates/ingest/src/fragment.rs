//! HTML fragments (a feed item's `content:encoded`, a JSON `content` field
//! holding markup) to plain text.
//!
//! Fragments are an article body already: there is no page chrome to remove,
//! so they are not sent through the page extractor (whose boilerplate
//! removal would drop short fragments). Block elements become paragraph
//! breaks, `script`/`style` contents go, entities are decoded.

/// Whether a string looks like it holds HTML markup rather than text.
pub(crate) fn looks_like_html(s: &str) -> bool {
    let head = &s[..crate::meta::floor_char_boundary(s, 4096)];
    let lower = head.to_ascii_lowercase();
    [
        "<p>",
        "<p ",
        "</p>",
        "<br",
        "</div>",
        "<div",
        "</a>",
        "<img",
        "</li>",
        "<h2",
        "<span",
        "</em>",
        "</strong>",
        "&lt;p&gt;",
    ]
    .iter()
    .any(|t| lower.contains(t))
}

const BLOCK: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "aside",
    "dd",
    "dt",
    "dl",
];
const DROP: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object",
];

/// Strips tags and decodes entities. Never fails; malformed markup is read
/// as well as it can be.
pub(crate) fn html_fragment_to_text(html: &str) -> String {
    // Feeds sometimes escape markup twice (`&lt;p&gt;`).
    let decoded_once;
    let html = if !html.contains('<') && html.contains("&lt;") {
        decoded_once = html_escape::decode_html_entities(html).into_owned();
        decoded_once.as_str()
    } else {
        html
    };
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until: Option<String> = None;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if skip_until.is_none() {
                out.push_str(rest);
            }
            break;
        };
        if skip_until.is_none() {
            out.push_str(&rest[..lt]);
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |i| &rest[i + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            // A lone '<' in text.
            if skip_until.is_none() {
                out.push_str(rest);
            }
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            // Not a tag ("a < b"): keep it as text.
            if skip_until.is_none() {
                out.push('<');
                out.push_str(tag);
                out.push('>');
            }
            continue;
        }
        if let Some(until) = &skip_until {
            if closing && &name == until {
                skip_until = None;
            }
            continue;
        }
        if !closing && DROP.contains(&name.as_str()) && !tag.ends_with('/') {
            skip_until = Some(name);
            continue;
        }
        if BLOCK.contains(&name.as_str()) {
            out.push_str(if name == "br" { "\n" } else { "\n\n" });
        } else if name == "td" || name == "th" {
            out.push(' ');
        }
    }
    let text = html_escape::decode_html_entities(&out);
    let mut paras = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<String> = block
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        if !lines.is_empty() {
            paras.push(lines.join("\n"));
        }
    }
    paras.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments() {
        assert_eq!(
            html_fragment_to_text("<p>Aid &amp; fuel <b>arrived</b>.</p><p>Second&nbsp;para<br>line</p><script>x()</script>"),
            "Aid & fuel arrived.\n\nSecond para\nline"
        );
        assert_eq!(
            html_fragment_to_text("&lt;p&gt;Escaped twice&lt;/p&gt;"),
            "Escaped twice"
        );
        assert_eq!(html_fragment_to_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(
            html_fragment_to_text("<p>unclosed <!-- comment"),
            "unclosed"
        );
        assert!(looks_like_html("<p>x</p>"));
        assert!(!looks_like_html("plain text"));
    }
}
