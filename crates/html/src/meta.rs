//! Page metadata: `<meta>` tags, JSON-LD, the headline and the byline.

use serde_json::Value;

use crate::content::{Block, Body};
use crate::dom::{push_collapsed, Dom, NodeId, ROOT};

/// JSON-LD nesting deeper than this is ignored (hostile input).
const MAX_JSONLD_DEPTH: usize = 16;

/// Everything collected from the page head and structured data, once.
#[derive(Debug, Default)]
pub(crate) struct PageInfo {
    /// `(key, content)` for each `<meta>`; the key is the lowercased `name`,
    /// `property`, `itemprop` or `http-equiv`.
    pub metas: Vec<(String, String)>,
    /// JSON-LD objects, flattened out of arrays and `@graph`, article types first.
    pub jsonld: Vec<serde_json::Map<String, Value>>,
    /// `<title>` text.
    pub title_tag: Option<String>,
    pub canonical: Option<String>,
    pub og_url: Option<String>,
    /// JSON-LD `articleBody`, the fallback when the markup holds no text.
    pub article_body: Option<String>,
}

impl PageInfo {
    /// The first non-empty `<meta>` content for any of `keys`, in key order.
    pub fn meta(&self, keys: &[&str]) -> Option<&str> {
        keys.iter().find_map(|k| {
            self.metas
                .iter()
                .find(|(name, v)| name == k && !v.trim().is_empty())
                .map(|(_, v)| v.trim())
        })
    }

    pub fn site_name(&self) -> Option<String> {
        if let Some(s) = self.meta(&["og:site_name", "application-name"]) {
            return Some(clean(s));
        }
        self.jsonld.iter().find_map(|o| {
            let p = o.get("publisher")?;
            let name = match p {
                Value::Object(m) => m.get("name")?.as_str()?,
                Value::String(s) => s.as_str(),
                _ => return None,
            };
            Some(clean(name))
        })
    }

    pub fn description(&self) -> Option<String> {
        self.meta(&["description", "og:description", "twitter:description"])
            .map(clean)
            .filter(|s| !s.is_empty())
    }

    pub fn language(&self, dom: &Dom) -> Option<String> {
        let html_lang = dom
            .first_tag("html")
            .and_then(|h| dom.node(h).attr("lang").or(dom.node(h).attr("xml:lang")))
            .map(str::to_string);
        let raw = html_lang
            .filter(|s| !s.trim().is_empty())
            .or_else(|| {
                self.meta(&["og:locale", "content-language", "language", "dc.language"])
                    .map(str::to_string)
            })
            .or_else(|| {
                self.jsonld
                    .iter()
                    .find_map(|o| o.get("inLanguage")?.as_str().map(str::to_string))
            })?;
        let primary: String = raw
            .trim()
            .split(['-', '_', ',', ' '])
            .next()?
            .to_ascii_lowercase();
        (primary.len() >= 2
            && primary.len() <= 3
            && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then_some(primary)
    }

    /// String values of `field` in the JSON-LD objects, article objects first.
    pub fn jsonld_strings(&self, field: &str) -> Vec<String> {
        let mut out = Vec::new();
        for o in &self.jsonld {
            match o.get(field) {
                Some(Value::String(s)) => out.push(s.clone()),
                Some(Value::Array(a)) => {
                    out.extend(a.iter().filter_map(|v| v.as_str().map(str::to_string)))
                }
                _ => {}
            }
        }
        out
    }
}

/// Whitespace collapsed, invisible characters removed, HTML entities left by
/// double-escaping decoded for the common ones.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::new();
    push_collapsed(&mut out, s);
    let out = out.trim();
    if out.contains('&') {
        return out
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#039;", "'")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", " ");
    }
    out.to_string()
}

fn is_article_type(o: &serde_json::Map<String, Value>) -> bool {
    let types: Vec<&str> = match o.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    types.iter().any(|t| {
        let t = t.to_ascii_lowercase();
        t.contains("article")
            || t.contains("posting")
            || t == "report"
            || t == "review"
            || t == "recipe"
    })
}

/// Parses JSON-LD leniently: sites leave HTML comments, CDATA markers, trailing
/// semicolons and raw newlines inside strings.
fn parse_jsonld(raw: &str) -> Option<Value> {
    let s = raw.trim();
    let s = s.strip_prefix("<!--").unwrap_or(s);
    let s = s.strip_suffix("-->").unwrap_or(s).trim();
    let s = s.strip_prefix("//<![CDATA[").unwrap_or(s);
    let s = s.strip_suffix("//]]>").unwrap_or(s).trim();
    let s = s.trim_end_matches(';');
    if let Ok(v) = serde_json::from_str(s) {
        return Some(v);
    }
    let fixed: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    serde_json::from_str(&fixed).ok()
}

/// Flattens arrays and `@graph` (iteratively, depth-limited) into objects.
fn flatten(root: Value, out: &mut Vec<serde_json::Map<String, Value>>) {
    let mut stack = vec![(root, 0usize)];
    while let Some((v, depth)) = stack.pop() {
        if depth > MAX_JSONLD_DEPTH {
            continue;
        }
        match v {
            Value::Array(a) => stack.extend(a.into_iter().rev().map(|x| (x, depth + 1))),
            Value::Object(mut m) => {
                if let Some(g) = m.remove("@graph") {
                    stack.push((g, depth + 1));
                }
                // mainEntity of a WebPage is often the article itself.
                if let Some(me @ Value::Object(_)) = m.get("mainEntity").cloned() {
                    stack.push((me, depth + 1));
                }
                out.push(m);
            }
            _ => {}
        }
    }
}

/// One pass over the document collecting head metadata and JSON-LD.
pub(crate) fn collect(dom: &Dom) -> PageInfo {
    let mut info = PageInfo::default();
    let mut objects = Vec::new();
    for id in dom.descendants(ROOT) {
        let node = dom.node(id);
        match node.tag() {
            "meta" => {
                let content = node.attr("content").unwrap_or_default();
                for key in ["name", "property", "itemprop", "http-equiv"] {
                    if let Some(k) = node.attr(key) {
                        // `property="og:title article:tag"`-style multi values are rare; keep first.
                        let k = k
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_lowercase();
                        info.metas.push((k, content.to_string()));
                    }
                }
                if let Some(cs) = node.attr("charset") {
                    info.metas.push(("charset".into(), cs.to_string()));
                }
            }
            "title" if info.title_tag.is_none() => {
                let t = dom.text_of(id);
                if !t.is_empty() {
                    info.title_tag = Some(clean(&t));
                }
            }
            "link" => {
                let rel = node.attr("rel").unwrap_or_default().to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") && info.canonical.is_none() {
                    info.canonical = node.attr("href").map(|s| s.trim().to_string());
                }
            }
            "script" => {
                let ty = node.attr("type").unwrap_or_default().to_ascii_lowercase();
                if ty.contains("ld+json") {
                    let raw = dom.text_of_raw(id);
                    if let Some(v) = parse_jsonld(&raw) {
                        flatten(v, &mut objects);
                    }
                }
            }
            _ => {}
        }
    }
    // Article objects first, keeping document order otherwise.
    let (mut articles, others): (Vec<_>, Vec<_>) = objects.into_iter().partition(is_article_type);
    info.article_body = articles.iter().find_map(|o| {
        o.get("articleBody")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    articles.extend(others);
    info.jsonld = articles;
    info.og_url = info.meta(&["og:url"]).map(str::to_string);
    info
}

/// The visible headline.
///
/// A heading (`<h1>`, else `<h2>`/`<h3>`: old blog themes put the blog's name
/// in `<h1>`) that agrees with the page's declared title (`og:title`, JSON-LD
/// `headline`, `<title>`) wins, since it is what readers see; when the
/// heading holds the declared title plus a kicker, the declared title is
/// used. Then the single `<h1>` of the page; then the declared titles, with a
/// " | Site" suffix cut from `<title>`.
pub(crate) fn title(dom: &Dom, info: &PageInfo, body: &Body) -> Option<String> {
    let declared: Vec<String> = [
        info.meta(&["og:title"]).map(clean),
        info.meta(&["twitter:title"]).map(clean),
        info.jsonld_strings("headline")
            .into_iter()
            .next()
            .map(|s| clean(&s)),
        info.title_tag.clone(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .collect();
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let site = info.site_name().map(|s| norm(&s));
    let mut headings: Vec<(u8, NodeId, String)> = dom
        .descendants(ROOT)
        .filter_map(|i| {
            let level = match dom.node(i).tag() {
                "h1" => 1,
                "h2" => 2,
                "h3" => 3,
                _ => return None,
            };
            if body.comment_zone[i] {
                return None;
            }
            let t = clean(&heading_text(dom, i));
            (!t.is_empty() && t.chars().count() <= 300).then_some((level, i, t))
        })
        .collect();
    headings.sort_by_key(|(level, _, _)| *level);
    for (_, _, h) in &headings {
        let nh = norm(h);
        if nh.len() < 4 || site.as_deref() == Some(nh.as_str()) {
            continue;
        }
        for d in &declared {
            let nd = norm(d);
            if nd == nh || nd.contains(&nh) {
                return Some(h.clone());
            }
            if nd.len() >= 20 && nh.contains(&nd) {
                return Some(d.clone());
            }
        }
    }
    let h1s: Vec<&String> = headings
        .iter()
        .filter(|(level, i, t)| {
            *level == 1 && !body.removed[*i] && site.as_deref() != Some(norm(t).as_str())
        })
        .map(|(_, _, t)| t)
        .collect();
    if h1s.len() == 1 && h1s[0].chars().count() >= 10 {
        return Some(h1s[0].clone());
    }
    if let Some(h) = info.jsonld_strings("headline").into_iter().next() {
        return Some(clean(&h));
    }
    if let Some(t) = info.meta(&["og:title", "twitter:title"]) {
        return Some(strip_site_suffix(&clean(t)));
    }
    info.title_tag.as_deref().map(strip_site_suffix)
}

/// A heading's text without its kicker, date or label children.
fn heading_text(dom: &Dom, id: NodeId) -> String {
    let mut out = String::new();
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        let node = dom.node(n);
        if let crate::dom::Kind::Text(t) = &node.kind {
            push_collapsed(&mut out, t);
            continue;
        }
        if n != id {
            let class = node.attr("class").unwrap_or_default().to_ascii_lowercase();
            if [
                "kicker",
                "topline",
                "dachzeile",
                "overline",
                "eyebrow",
                "roofline",
                "date",
                "label",
                "rubric",
                "category",
                "supertitle",
                "spitzmarke",
            ]
            .iter()
            .any(|k| class.contains(k))
            {
                out.push(' ');
                continue;
            }
            if node.tag() == "br" {
                out.push(' ');
            }
        }
        stack.extend(node.children.iter().rev().copied());
    }
    out.trim().to_string()
}

/// `Headline | Site` → `Headline`: the longest part between separators.
fn strip_site_suffix(t: &str) -> String {
    for sep in [" | ", " - ", " – ", " — ", " :: ", " · ", " // "] {
        if t.contains(sep) {
            return t
                .split(sep)
                .max_by_key(|p| p.chars().count())
                .unwrap_or(t)
                .trim()
                .to_string();
        }
    }
    t.to_string()
}

/// Author names. Structured data (JSON-LD, then meta tags) is preferred,
/// unless all it names is the outlet itself (publishers often fill `author`
/// with their own name); then the visible byline wins when there is one.
pub(crate) fn authors(dom: &Dom, info: &PageInfo, body: &Body) -> Vec<String> {
    let site = info.site_name().map(|s| s.to_lowercase());
    let is_outlet = |names: &[String]| {
        names.iter().all(|n| {
            let n = n.to_lowercase();
            site.as_deref()
                .is_some_and(|s| s.contains(&n) || n.contains(s))
                || n.contains(".de")
                || n.contains(".com")
                || n.contains(".at")
                || n.ends_with("gmbh")
                || n.ends_with("e. v.")
                || n.ends_with("e.v.")
        })
    };
    let structured = structured_authors(info);
    let outlet = is_outlet(&structured);
    let structured = if outlet {
        structured
    } else {
        complete_first_names(structured, dom, body)
    };
    let visible = visible_byline(dom, body);
    if !structured.is_empty() && !outlet && !structured.iter().all(|n| is_handle(n)) {
        // The same people as the page shows them: keep the page's spelling,
        // and the full name where the metadata has only a first name.
        let same = visible.len() == structured.len()
            && visible.iter().zip(&structured).all(|(v, s)| {
                let (v, s) = (v.to_lowercase(), s.to_lowercase());
                v == s || (!s.contains(' ') && v.starts_with(&format!("{s} ")))
            });
        return if same { visible } else { structured };
    }
    if !visible.is_empty() {
        return visible;
    }
    resolve_handles(structured, dom, body)
}

/// Metadata that gives only a first name ("Nils") where the page writes
/// the full one in a short line ("Eine Kolumne von Nils Pickert", an author
/// box): the full name, taken from the first such line.
fn complete_first_names(names: Vec<String>, dom: &Dom, body: &Body) -> Vec<String> {
    names
        .into_iter()
        .map(|name| {
            if name.contains(' ')
                || !capitalised(&name)
                || name == "Redaktion"
                || AGENCIES.contains(&name.as_str())
            {
                return name;
            }
            let prefix = format!("{name} ");
            // Text nodes rather than blocks: author boxes are often in
            // parts of the page that were cut as boilerplate.
            let full = dom.descendants(ROOT).find_map(|d| {
                let crate::dom::Kind::Text(t) = &dom.node(d).kind else {
                    return None;
                };
                if t.len() > 240 || body.comment_zone[d] || !t.contains(name.as_str()) {
                    return None;
                }
                let t = clean(t);
                let at = t.find(&prefix)?;
                // At a word start: "Nils" in "Nilsson" does not count.
                if t[..at].chars().last().is_some_and(char::is_alphanumeric) {
                    return None;
                }
                let next = t[at + prefix.len()..].split_whitespace().next()?;
                let next = next.trim_end_matches([',', '.', ';', ':', ')']);
                (next.chars().next().is_some_and(char::is_uppercase)
                    && next.chars().count() > 1
                    && next
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\''))
                .then(|| format!("{name} {next}"))
            });
            full.unwrap_or(name)
        })
        .collect()
}

/// A handle built from a name ("christian.stadtfeld", "jane_roe"): the
/// name as the page writes it ("Christian P. Stadtfeld"), when the page
/// does; otherwise the handle stays.
fn resolve_handles(names: Vec<String>, dom: &Dom, body: &Body) -> Vec<String> {
    names
        .into_iter()
        .map(|name| {
            let Some((first, last)) = name.split_once(['.', '_', '-']) else {
                return name;
            };
            let plain = |w: &str| w.len() >= 2 && w.chars().all(|c| c.is_alphabetic());
            if !is_handle(&name) || !plain(first) || !plain(last) {
                return name;
            }
            let pattern = format!(
                r"(?i)\b({})\s+(?:\p{{Lu}}\.\s+)?({})\b",
                regex::escape(first),
                regex::escape(last)
            );
            let Ok(re) = regex::Regex::new(&pattern) else {
                return name;
            };
            let found = dom.descendants(ROOT).find_map(|d| {
                let crate::dom::Kind::Text(t) = &dom.node(d).kind else {
                    return None;
                };
                if t.len() > 2000 || body.comment_zone[d] {
                    return None;
                }
                let m = re.find(t)?;
                let hit = clean(m.as_str());
                capitalised(&hit).then_some(hit)
            });
            found.unwrap_or(name)
        })
        .collect()
}

/// A user handle or placeholder rather than a person's name: no capital
/// letter ("christian.stadtfeld"), an admin account, "No Author".
fn is_handle(name: &str) -> bool {
    let lower = name.to_lowercase();
    !name.chars().any(char::is_uppercase)
        || lower.contains("admin")
        || matches!(
            lower.as_str(),
            "no author" | "anonymous" | "anónimo" | "anonym" | "unknown"
        )
}

fn structured_authors(info: &PageInfo) -> Vec<String> {
    for o in &info.jsonld {
        if let Some(a) = o.get("author").or_else(|| o.get("creator")) {
            let names = jsonld_names(a, info);
            let names: Vec<String> = names.iter().flat_map(|n| split_byline(n)).collect();
            if !names.is_empty() {
                return dedup(names);
            }
        }
    }
    // "Written by" label/data pairs (Twitter cards).
    for i in 1..=4 {
        let label = info.meta(&[format!("twitter:label{i}").as_str()]);
        if label.is_some_and(|l| {
            let l = l.to_lowercase();
            l.contains("written by")
                || l.contains("geschrieben von")
                || l.contains("verfasst von")
                || l.contains("escrito por")
                || l.contains("écrit par")
                || l == "autor"
                || l == "author"
        }) {
            if let Some(v) = info.meta(&[format!("twitter:data{i}").as_str()]) {
                let names = split_byline(v);
                if !names.is_empty() {
                    return dedup(names);
                }
            }
        }
    }
    for key in [
        "author",
        "article:author",
        "og:article:author",
        "parsely-author",
        "sailthru.author",
        "dc.creator",
        "dcterms.creator",
        "byl",
    ] {
        let mut names = Vec::new();
        for (k, v) in &info.metas {
            if k != key || v.trim().is_empty() || v.starts_with("http") || v.starts_with('@') {
                continue;
            }
            names.extend(split_byline(v));
        }
        if !names.is_empty() {
            return dedup(names);
        }
    }
    Vec::new()
}

/// Class or id words that mark a byline element.
fn byline_words(dom: &Dom, id: NodeId) -> bool {
    let node = dom.node(id);
    ["class", "id"].iter().any(|attr| {
        node.attr(attr).is_some_and(|v| {
            v.split(|c: char| !c.is_alphanumeric()).any(|w| {
                let w = w.to_ascii_lowercase();
                matches!(
                    w.as_str(),
                    "byline"
                        | "author"
                        | "autor"
                        | "authors"
                        | "autoren"
                        | "authorname"
                        | "writer"
                        | "verfasser"
                        | "creator"
                )
            })
        })
    })
}

/// The byline shown on the page: `rel=author`, `itemprop=author`, elements
/// whose class says author or byline (outside comments), then short
/// "By …"/"Von …" blocks in the article header.
fn visible_byline(dom: &Dom, body: &Body) -> Vec<String> {
    for id in dom.descendants(ROOT) {
        let node = dom.node(id);
        if !node.is_element()
            || body.comment_zone[id]
            || matches!(node.tag(), "meta" | "link" | "script" | "body" | "html")
        {
            continue;
        }
        let rel_author = node.attr("rel").is_some_and(|r| {
            r.split_whitespace()
                .any(|w| w.eq_ignore_ascii_case("author"))
        });
        let itemprop_author = node.attr("itemprop").is_some_and(|r| {
            r.split_whitespace()
                .any(|w| w == "author" || w == "creator")
        });
        // <address> in the article's header is the author's line ("By …").
        let address = node.tag() == "address"
            && body.header_limit().is_some_and(|l| body.position[id] <= l)
            && !body.removed[id];
        if rel_author || itemprop_author || address || byline_words(dom, id) {
            let text = if itemprop_author {
                dom.descendants(id)
                    .find(|&d| dom.node(d).attr("itemprop") == Some("name"))
                    .map(|d| dom.text_of(d))
                    .unwrap_or_else(|| dom.text_of(id))
            } else {
                dom.text_of(id)
            };
            // An author box with a bio: the name is its heading or first
            // bold or linked line, not the whole text.
            let class = format!(
                "{} {}",
                node.attr("class").unwrap_or_default(),
                node.attr("id").unwrap_or_default()
            )
            .to_ascii_lowercase();
            let bio_box = ["bio", "box", "about", "profile"]
                .iter()
                .any(|k| class.contains(k));
            if bio_box && text.chars().count() > 80 {
                let name = dom.descendants(id).skip(1).find_map(|d| {
                    if !matches!(
                        dom.node(d).tag(),
                        "h2" | "h3" | "h4" | "h5" | "strong" | "b" | "a"
                    ) {
                        return None;
                    }
                    let t = dom.text_of(d);
                    let names = split_byline(&t);
                    (t.chars().count() <= 60
                        && names.len() == 1
                        && names[0].split_whitespace().count() >= 2
                        && capitalised(&names[0]))
                    .then_some(names)
                });
                if let Some(names) = name {
                    return names;
                }
                continue;
            }
            let names = split_byline(&text);
            if !names.is_empty() {
                return dedup(names);
            }
        }
    }
    // "Von Claudia Lindner" as its own short block near the top.
    let first = body.chosen.first().copied().unwrap_or(0);
    let window = body
        .blocks
        .iter()
        .enumerate()
        .skip(first.saturating_sub(6))
        .take(10);
    for (_, b) in window.clone() {
        if b.text.chars().count() > 80 {
            continue;
        }
        let lower = b.text.to_lowercase();
        if BYLINE_OPENERS.iter().any(|p| lower.starts_with(p)) {
            let names = split_byline(&b.text);
            if !names.is_empty() {
                return dedup(names);
            }
        }
    }
    // "von Jane Roe" in an inline element of the header (a meta list under
    // the headline), which the block window does not see as its own block.
    if let (Some(limit), Some(&first)) = (body.header_limit(), body.chosen.first()) {
        let first_pos = body.position[body.blocks[first].node];
        // One walk up to the header's end: an <h1> before the text restarts
        // the search, so the line counts only below the last headline.
        let mut found: Option<Vec<String>> = None;
        let mut after_headline = false;
        for d in dom.descendants(ROOT) {
            let pos = body.position[d];
            if pos > limit {
                break;
            }
            let node = dom.node(d);
            if !node.is_element() || body.comment_zone[d] {
                continue;
            }
            if node.tag() == "h1" && pos <= first_pos {
                found = None;
                after_headline = true;
                continue;
            }
            // Without a headline, only from the article's first block on.
            if found.is_some()
                || (!after_headline && pos < first_pos)
                || body.subtree_end[d] - pos > 6
            {
                continue;
            }
            let text = dom.text_of(d);
            if text.chars().count() > 60 {
                continue;
            }
            let lower = text.to_lowercase();
            if BYLINE_OPENERS.iter().any(|p| lower.starts_with(p)) {
                let names = split_byline(&text);
                if !names.is_empty() && names.iter().all(|n| capitalised(n)) {
                    found = Some(dedup(names));
                }
            }
        }
        if let Some(names) = found {
            return names;
        }
    }
    // "11.12.2019 - Jane Roe", "04.02.2022 | 13:10 Uhr | Jane Roe": the
    // date line under the headline often names the author.
    for (_, b) in window {
        if b.text.chars().count() > 100 || crate::dates::parse_date_text(&b.text).is_none() {
            continue;
        }
        let names = dateline_names(&b.text);
        if !names.is_empty() {
            return names;
        }
    }
    // Bylines at the end of the text: "Text: Jane Roe", or the name alone in
    // bold as the last line.
    // Labelled lines may come before a source list; a bare bold name only
    // counts as the very end of the text.
    let tail: Vec<&Block> = body
        .chosen
        .iter()
        .rev()
        .take(6)
        .map(|&i| &body.blocks[i])
        .collect();
    for (k, b) in tail.into_iter().enumerate() {
        for line in b.text.lines().rev().take(2) {
            let line = line.trim();
            if line.chars().count() > 60 {
                continue;
            }
            let lower = line.to_lowercase();
            let labelled = ["text:", "autor:", "autorin:", "author:"]
                .iter()
                .chain(BYLINE_OPENERS)
                .any(|p| lower.starts_with(p));
            let emphasised = k < 2 && line == b.text.trim() && is_emphasised(dom, b.node);
            if labelled || emphasised {
                let names = split_byline(line);
                if !names.is_empty()
                    && names
                        .iter()
                        .all(|n| capitalised(n) && (n.split_whitespace().count() >= 2 || labelled))
                {
                    return dedup(names);
                }
            }
        }
    }
    Vec::new()
}

/// Openings of a short block that is a byline.
const BYLINE_OPENERS: &[&str] = &[
    "von ",
    "by ",
    "por ",
    "par ",
    "text: ",
    "text von ",
    "beitrag von ",
    "blog beitrag von ",
    "posted by ",
    "geschrieben von ",
    "written by ",
];

/// Names in a date line: the parts between separators that are neither the
/// date nor a time, and either follow "von"/"by" or read as a full name
/// (two to four capitalised words), so that a section label ("Sport") is
/// not taken for a person.
fn dateline_names(text: &str) -> Vec<String> {
    let parts = text
        .split(['|', '•', '·', '–', '—', '\n'])
        .flat_map(|p| p.split(" - "));
    for part in parts {
        let part = part.trim();
        if part.is_empty() || part.chars().any(|c| c.is_ascii_digit()) {
            // A date or time, or a label with a number; a name after a date
            // in the same part ("06.11.2023 13:30 von Olga") is read below.
            if let Some(at) = part
                .to_lowercase()
                .find(" von ")
                .or(part.to_lowercase().find(" by "))
            {
                let names = split_byline(&part[at..]);
                if !names.is_empty() {
                    return names;
                }
            }
            continue;
        }
        let lower = part.to_lowercase();
        let opener =
            BYLINE_OPENERS.iter().any(|p| lower.starts_with(p)) || lower.starts_with("redaktion:");
        let names = split_byline(part);
        let full = names
            .iter()
            .all(|n| (2..=4).contains(&n.split_whitespace().count()) && capitalised(n));
        if !names.is_empty() && (opener || full) {
            return names;
        }
    }
    Vec::new()
}

/// Whether every word of a name starts with a capital, name particles
/// ("von", "de", "van der") aside: running text is not a name.
fn capitalised(name: &str) -> bool {
    name.split_whitespace().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            || matches!(
                w,
                "von"
                    | "van"
                    | "de"
                    | "der"
                    | "den"
                    | "da"
                    | "del"
                    | "di"
                    | "du"
                    | "la"
                    | "le"
                    | "zu"
                    | "ter"
                    | "ten"
                    | "al"
                    | "bin"
                    | "y"
                    | "dos"
                    | "das"
            )
    })
}

/// Whether an element's text is all inside `<b>`, `<strong>`, `<em>` or `<i>`.
fn is_emphasised(dom: &Dom, id: NodeId) -> bool {
    let text = dom.text_of(id);
    !text.is_empty()
        && dom.descendants(id).any(|d| {
            matches!(dom.node(d).tag(), "b" | "strong" | "em" | "i") && dom.text_of(d) == text
        })
}

/// Names in a JSON-LD `author`: strings, objects with `name`, arrays, and
/// `{"@id": ...}` references resolved against the page's other objects.
fn jsonld_names(v: &Value, info: &PageInfo) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(v, 0)];
    while let Some((v, depth)) = stack.pop() {
        if depth > 4 {
            continue;
        }
        match v {
            Value::String(s) if !s.starts_with("http") => out.push(s.clone()),
            Value::Object(m) => {
                if let Some(Value::String(n)) = m.get("name") {
                    out.push(n.clone());
                } else if let Some(Value::String(r)) = m.get("@id") {
                    let target = info
                        .jsonld
                        .iter()
                        .find(|o| o.get("@id").and_then(Value::as_str) == Some(r.as_str()));
                    if let Some(Value::String(n)) = target.and_then(|t| t.get("name")) {
                        out.push(n.clone());
                    }
                }
            }
            Value::Array(a) => stack.extend(a.iter().rev().map(|x| (x, depth + 1))),
            _ => {}
        }
    }
    out
}

fn dedup(names: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for n in names {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&n)) {
            out.push(n);
        }
    }
    out
}

/// Wire agencies, kept as author names when they are the byline.
const AGENCIES: &[&str] = &[
    "Reuters",
    "AP",
    "AFP",
    "dpa",
    "DPA",
    "Associated Press",
    "KNA",
    "epd",
    "APA",
    "EFE",
    "ANSA",
    "PA",
    "UPI",
    "Bloomberg",
    "SDA",
    "sid",
];

/// Words that start a photo credit run on after a name.
const CREDIT_WORDS: &[&str] = &[
    "symbolbild",
    "foto",
    "fotos",
    "bild",
    "bilder",
    "quelle",
    "photo",
    "image",
];

/// Job titles written before a name in bylines.
const JOB_TITLES: &[&str] = &[
    "rechtsanwalt",
    "rechtsanwältin",
    "redakteur",
    "redakteurin",
    "reporter",
    "reporterin",
    "korrespondent",
    "korrespondentin",
    "journalist",
    "journalistin",
];

/// Splits a byline into names: strips "By"/"Von"/"Par"/"Por", dates and roles,
/// and splits on "and", "und", "&", commas and semicolons.
pub fn split_byline(raw: &str) -> Vec<String> {
    let mut s = clean(raw);
    if s.chars().count() > 200 {
        return Vec::new();
    }
    // "Jane Roe @ 12:00 am": a time after the name.
    if let Some((head, _)) = s.split_once(" @ ") {
        s = head.trim().to_string();
    }
    // Drop anything after a pipe or a bullet: usually a role or a date.
    for sep in ['|', '•', '·', '\n'] {
        if let Some((head, _)) = s.split_once(sep) {
            s = head.trim().to_string();
        }
    }
    // Roles in parentheses: "Eberhard Fuhr (Pressesprecher)".
    while let (Some(a), Some(b)) = (s.find('('), s.find(')')) {
        if b < a {
            break;
        }
        s = format!("{} {}", &s[..a], &s[b + 1..]).trim().to_string();
    }
    let lower = s.to_lowercase();
    for prefix in [
        "written by",
        "posted by",
        "geschrieben von",
        "ein beitrag von",
        "ein artikel von",
        "artikel von",
        "erstellt von",
        "verfasst von",
        "publié par",
        "publicado por",
        "scritto da",
        "blog beitrag von",
        "blogbeitrag von",
        "beitrag von",
        "gastbeitrag von",
        "redaktion:",
        "interview:",
        "fotos:",
        "by",
        "von",
        "par",
        "por",
        "di",
        "door",
        "autor:",
        "autorin:",
        "author:",
        "autoren:",
        "autor",
        "text:",
        "text",
        "from",
    ] {
        if lower.starts_with(prefix) {
            let rest = &s[prefix.len()..];
            if rest.starts_with(|c: char| c.is_whitespace() || c == ':') || prefix.ends_with(':') {
                s = rest.trim_start_matches([' ', ':']).trim().to_string();
                break;
            }
        }
    }
    // "Jane Roe / example.de": the outlet's domain beside the name.
    if s.contains(" / ") {
        let kept: Vec<&str> = s
            .split(" / ")
            .map(str::trim)
            .filter(|p| !is_domain(p))
            .collect();
        if !kept.is_empty() {
            s = kept.join(" / ");
        }
    }
    let mut names = Vec::new();
    let mut parts: Vec<String> = vec![s];
    for sep in [";", " and ", " und ", " & ", " y ", " et ", " e ", ", "] {
        parts = parts
            .iter()
            .flat_map(|p| {
                p.split(sep)
                    .map(|x| x.trim().to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    for p in parts {
        // "Jane Roe @janeroe": drop social handles.
        let p: String = p
            .split_whitespace()
            .filter(|w| !w.starts_with('@'))
            .collect::<Vec<_>>()
            .join(" ");
        // "Jane Roe Symbolbild imago": a photo credit run on after the
        // name; "Rechtsanwalt Jane Roe": a job title before it.
        let words: Vec<&str> = p.split_whitespace().collect();
        let end = words
            .iter()
            .skip(1)
            .position(|w| CREDIT_WORDS.contains(&w.trim_end_matches(':').to_lowercase().as_str()))
            .map_or(words.len(), |i| i + 1);
        let start = words
            .iter()
            .take_while(|w| JOB_TITLES.contains(&w.to_lowercase().as_str()))
            .count()
            .min(end);
        let p = words[start..end].join(" ");
        let mut p = p.trim_matches(|c: char| !c.is_alphanumeric() && c != ')' && c != '.');
        // Author-page links glued to the name: "Jane Roe Alle Artikel".
        for trailer in ["alle artikel", "all posts", "all articles", "mehr artikel"] {
            let lower = p.to_lowercase();
            if lower.ends_with(trailer) && lower.len() == p.len() {
                p = p[..p.len() - trailer.len()].trim_end();
            }
        }
        if p.is_empty() {
            continue;
        }
        // "Redaktion" (the newsroom) is what many German pages sign with.
        if AGENCIES.iter().any(|a| a.eq_ignore_ascii_case(p))
            || p.eq_ignore_ascii_case("staff")
            || p == "Redaktion"
        {
            names.push(p.to_string());
            continue;
        }
        if matches!(
            p.to_lowercase().as_str(),
            "by" | "von" | "por" | "par" | "di" | "posted on" | "posted" | "und" | "and"
        ) {
            continue;
        }
        if looks_like_name(p) {
            names.push(p.to_string());
        }
    }
    if names.len() > 1 {
        names.retain(|n| !is_domain(n));
    }
    names
}

/// "example.de", "www.example.com": one word with a dot before a short
/// alphabetic ending.
fn is_domain(name: &str) -> bool {
    !name.contains(' ')
        && name.rsplit_once('.').is_some_and(|(head, tld)| {
            !head.is_empty()
                && (2..=4).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_alphabetic())
        })
}

/// A name is 1–5 words, mostly capitalised, with no digits and no sentence
/// punctuation.
fn looks_like_name(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 || p.chars().count() > 60 {
        return false;
    }
    if p.chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '!' | '?' | ':' | '@' | '©'))
    {
        return false;
    }
    let lower = p.to_lowercase();
    for bad in [
        "redaktion",
        "editor",
        "updated",
        "aktualisiert",
        "published",
        "veröffentlicht",
        "minuten",
        "minutes",
        "read",
        "lesezeit",
        "kommentar",
        "comment",
        "share",
        "teilen",
        "foto",
        "photo",
        "auteurs",
        "authors",
        "autoren",
    ] {
        if lower.contains(bad) {
            return false;
        }
    }
    true
}

impl Dom {
    /// Raw text of an element (no collapsing), for `<script>` contents.
    pub(crate) fn text_of_raw(&self, id: NodeId) -> String {
        let mut out = String::new();
        for d in self.descendants(id) {
            if let crate::dom::Kind::Text(t) = &self.node(d).kind {
                out.push_str(t);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_split_into_names() {
        assert_eq!(
            split_byline("By Jane Roe and John Doe"),
            ["Jane Roe", "John Doe"]
        );
        assert_eq!(
            split_byline("Von Anna Schmidt und Max Müller"),
            ["Anna Schmidt", "Max Müller"]
        );
        assert_eq!(
            split_byline("By Jane Roe | Senior Correspondent"),
            ["Jane Roe"]
        );
        assert_eq!(split_byline("Reuters"), ["Reuters"]);
        assert_eq!(split_byline("A, B & C"), ["A", "B", "C"]);
        assert!(split_byline("Updated 12 minutes ago").is_empty());
    }

    #[test]
    fn handles_and_author_page_links_are_dropped() {
        assert_eq!(split_byline("Jane Roe @janeroe"), ["Jane Roe"]);
        assert_eq!(split_byline("Jane Roe Alle Artikel"), ["Jane Roe"]);
        assert_eq!(split_byline("Blog Beitrag von Jane Roe"), ["Jane Roe"]);
        assert!(split_byline("Auteurs").is_empty());
        assert!(is_handle("jane.roe"));
        assert!(is_handle("wordpressadmin"));
        assert!(!is_handle("Jane Roe"));
    }

    fn authors_of(html: &str) -> Vec<String> {
        let opts = crate::ExtractOptions::new(
            chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
        );
        crate::extract(html.as_bytes(), &opts)
            .map(|p| p.authors)
            .unwrap_or_default()
    }

    const PROSE: &str = "<p>The council met on a wet evening, and the members argued, at length, about the bridge, the budget and the bus lanes.</p><p>Nobody, in the end, was happy with the outcome, and the vote was put off until spring.</p>";

    #[test]
    fn written_by_twitter_label() {
        let html = format!(
            r#"<html><head><meta name="twitter:label1" content="Written by"><meta name="twitter:data1" content="Jane Roe"></head><body><article><h1>Bridge</h1>{PROSE}</article></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Roe"]);
    }

    #[test]
    fn user_handle_in_metadata_yields_to_the_byline() {
        let html = format!(
            r#"<html><head><meta name="author" content="jroe"></head><body><article><h1>Bridge</h1><p class="byline">By Jane Roe</p>{PROSE}</article></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Roe"]);
    }

    #[test]
    fn first_name_in_metadata_completed_from_the_byline() {
        let html = format!(
            r#"<html><head><meta name="author" content="Jane"></head><body><article><h1>Bridge</h1><p class="byline">By Jane Roe</p>{PROSE}</article></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Roe"]);
    }

    #[test]
    fn title_suffix_is_cut() {
        assert_eq!(
            strip_site_suffix("Talks resume in Doha | Example News"),
            "Talks resume in Doha"
        );
    }

    #[test]
    fn jsonld_graph_and_arrays_flatten() {
        let v = parse_jsonld(
            r#"[{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","headline":"H"}]}];"#,
        );
        let mut out = Vec::new();
        flatten(v.unwrap_or(Value::Null), &mut out);
        assert!(out.iter().any(|o| o.get("headline").is_some()));
    }

    #[test]
    fn byline_cleanup() {
        assert_eq!(split_byline("Jane Roe / example.de"), ["Jane Roe"]);
        assert_eq!(split_byline("Posted by Jane @ 12:00 am"), ["Jane"]);
        assert_eq!(split_byline("von Olga Symbolbild imago"), ["Olga"]);
        assert_eq!(split_byline("Autor: Rechtsanwalt Jan Roe"), ["Jan Roe"]);
        assert_eq!(split_byline("Redaktion"), ["Redaktion"]);
        assert!(is_domain("www.example.com"));
        assert!(!is_domain("R.C. Baker"));
        assert_eq!(dateline_names("11.12.2019 - Jane Roe"), ["Jane Roe"]);
        assert_eq!(
            dateline_names("04.02.2022 | 13:10 Uhr | Jane Roe"),
            ["Jane Roe"]
        );
        assert_eq!(dateline_names("06.11.2023 13:30 von Olga"), ["Olga"]);
        // A section label next to the date is not a person.
        assert!(dateline_names("Sport • 02.02.2022").is_empty());
        assert!(dateline_names("02.02.2022 • new rules for clubs").is_empty());
    }

    #[test]
    fn date_line_under_the_headline_names_the_author() {
        let html = format!(
            r#"<html><body><div class="col"><h1>Variables and their homes</h1><p class="text-muted">11.12.2019 - Jane Roe</p></div><div class="text">{PROSE}{PROSE}</div></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Roe"]);
    }

    #[test]
    fn byline_at_the_end_of_the_text() {
        let html = format!(
            r#"<html><body><article><h1>Bridge</h1>{PROSE}{PROSE}<p><b><i>Jane Roe</i></b></p></article></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Roe"]);
        let html = format!(
            r#"<html><body><article><h1>Bridge</h1>{PROSE}<p>The end of part two.<br><strong>Text:</strong> Jane Roe</p>{PROSE}<p>Sources: Roe, Jane: A history of bridges, 1994.</p></article></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Roe"]);
        // A closing line in bold that is not a name.
        let html = format!(
            r#"<html><body><article><h1>Bridge</h1>{PROSE}{PROSE}<p><b>click here to watch live</b></p></article></body></html>"#
        );
        assert!(authors_of(&html).is_empty());
    }

    #[test]
    fn address_and_author_box_bylines() {
        let html = format!(
            r#"<html><body><article><h1>The loneliest song</h1><address><a href="/author/jroe">Jane Roe</a></address>{PROSE}{PROSE}</article></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Roe"]);
        let bio = "Jane writes about money, leasing and tax for small firms, and has done so for many years at several papers and magazines in the region.";
        let html = format!(
            r#"<html><body><article><h1>Leasing or buying</h1>{PROSE}{PROSE}</article><div class="author-bio footer"><h3>Jane Roe</h3><p>{bio}</p></div></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Roe"]);
    }

    #[test]
    fn von_line_inline_in_the_header() {
        let html = format!(
            r#"<html><body><div class="hero"><h1>Heat pumps in old houses</h1><ul class="hero-meta"><li><i class="icon"></i><span class="label"> von Jane Roe </span></li><li><span>12 Minuten</span></li></ul></div><div class="text">{PROSE}{PROSE}</div></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Roe"]);
    }

    #[test]
    fn first_names_and_handles_completed_from_the_page() {
        let html = format!(
            r#"<html><head><meta name="author" content="Nils"></head><body><article><h1>Bridge</h1><p><strong>A column by Nils Pickert</strong></p>{PROSE}</article></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Nils Pickert"]);
        let html = format!(
            r#"<html><head><meta name="author" content="jane.roe"></head><body><article><h1>Bridge</h1>{PROSE}<figure><figcaption>Editor Jane Q. Roe comments on the vote.</figcaption></figure></article></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Jane Q. Roe"]);
        // The outlet's own name is not completed into something else.
        let html = format!(
            r#"<html><head><meta property="og:site_name" content="Solarnews"><meta name="author" content="Solarnews"></head><body><article><h1>Bridge</h1>{PROSE}<p>Solarnews Jobs</p></article></body></html>"#
        );
        assert_eq!(authors_of(&html), ["Solarnews"]);
    }
}
