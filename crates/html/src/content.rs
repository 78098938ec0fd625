//! Finding the article body.
//!
//! Three linear passes over the DOM, each an explicit-stack walk:
//! 1. mark boilerplate (navigation, footers, share bars, comments, cookie
//!    banners, hidden elements) by tag, ARIA role and class/id words, unless
//!    the element holds most of the page's text (sites put "sidebar" or
//!    "comments-open" on their main wrapper);
//! 2. cut the remaining text into blocks (paragraphs, headings, list items,
//!    quotes) like a browser lays out block boxes;
//! 3. score containers by the blocks they hold (length, commas, link density)
//!    and keep the best container plus siblings that look like more of it.

use crate::dom::{push_collapsed, Dom, Kind, NodeId, ROOT};
use crate::meta::PageInfo;

/// Minimum characters for a block to vote for its container.
const MIN_SCORING_BLOCK: usize = 25;
/// Below this much text a page has no article.
const MIN_ARTICLE_CHARS: usize = 40;

/// The kind of a text block, for Markdown and for filtering.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BlockKind {
    Paragraph,
    Heading(u8),
    ListItem { ordered: bool },
    Quote,
    Pre,
}

#[derive(Clone, Debug)]
pub(crate) struct Block {
    /// The block-level element the text belongs to.
    pub node: NodeId,
    pub kind: BlockKind,
    pub text: String,
    pub link_chars: usize,
}

impl Block {
    fn chars(&self) -> usize {
        self.text.chars().count()
    }

    pub(crate) fn link_density_pub(&self) -> f32 {
        self.link_density()
    }

    fn link_density(&self) -> f32 {
        self.link_chars as f32 / self.chars().max(1) as f32
    }
}

/// The outcome of body extraction: all blocks of the page and which of them
/// make the article.
pub(crate) struct Body {
    pub blocks: Vec<Block>,
    /// Indices into `blocks` of the article text, in order.
    pub chosen: Vec<usize>,
    /// The elements that were judged to be the article container(s).
    pub containers: Vec<NodeId>,
    /// Boilerplate marks, per node.
    pub removed: Vec<bool>,
    /// Elements whose own subtree holds comments (kept for date filtering).
    pub comment_zone: Vec<bool>,
    /// Each node's position in document order, and the position where
    /// each node's subtree ends.
    pub position: Vec<usize>,
    pub subtree_end: Vec<usize>,
}

impl Body {
    /// Text and Markdown of the chosen blocks, or `None` if there is too
    /// little. A leading heading equal to `title` is left out: the headline is
    /// reported on its own.
    pub fn render(&self, title: Option<&str>) -> Option<(String, String)> {
        let mut blocks: Vec<&Block> = self.chosen.iter().map(|&i| &self.blocks[i]).collect();
        if let (Some(first), Some(title)) = (blocks.first(), title) {
            if matches!(first.kind, BlockKind::Heading(_)) && first.text == title {
                blocks.remove(0);
            }
        }
        render_blocks(&blocks)
    }

    /// A human explanation of why there is no article.
    pub fn why_empty(&self, dom: &Dom) -> String {
        let scripts = dom
            .descendants(ROOT)
            .filter(|&i| dom.node(i).tag() == "script")
            .count();
        let chars: usize = self.blocks.iter().map(|b| b.chars()).sum();
        if chars == 0 && scripts > 0 {
            format!("the page has no visible text, only {scripts} script(s); it is probably rendered by JavaScript")
        } else if chars == 0 {
            "the page has no visible text".to_string()
        } else {
            format!(
                "only {chars} characters of visible text in {} block(s), none of them article-like",
                self.blocks.len()
            )
        }
    }

    /// The document position up to which dates count as the article's
    /// header: the end of the third article block (headline, standfirst,
    /// byline and first paragraph).
    pub fn header_limit(&self) -> Option<usize> {
        let i = *self.chosen.get(2).or(self.chosen.last())?;
        Some(self.subtree_end[self.blocks[i].node])
    }

    /// Whether `id` lies inside the chosen article container(s).
    pub fn in_article(&self, id: NodeId) -> bool {
        self.containers.iter().any(|&c| {
            self.position[c] <= self.position[id] && self.position[id] <= self.subtree_end[c]
        })
    }
}

fn render_blocks(blocks: &[&Block]) -> Option<(String, String)> {
    let chars: usize = blocks.iter().map(|b| b.chars()).sum();
    if chars < MIN_ARTICLE_CHARS {
        return None;
    }
    let mut text = String::new();
    let mut md = String::new();
    let mut n = 0;
    for b in blocks {
        if !text.is_empty() {
            text.push_str("\n\n");
            md.push_str("\n\n");
        }
        text.push_str(&b.text);
        match b.kind {
            BlockKind::Paragraph => md.push_str(&b.text),
            BlockKind::Heading(level) => {
                md.push_str(&"#".repeat(level.clamp(1, 6) as usize));
                md.push(' ');
                md.push_str(&b.text);
            }
            BlockKind::ListItem { ordered } => {
                if ordered {
                    n += 1;
                    md.push_str(&format!("{n}. "));
                } else {
                    md.push_str("- ");
                }
                md.push_str(&b.text);
            }
            BlockKind::Quote => {
                md.push_str("> ");
                md.push_str(&b.text.replace('\n', "\n> "));
            }
            BlockKind::Pre => {
                md.push_str("```\n");
                md.push_str(&b.text);
                md.push_str("\n```");
            }
        }
        if !matches!(b.kind, BlockKind::ListItem { ordered: true }) {
            n = 0;
        }
    }
    Some((text, md))
}

/// Text and Markdown from plain text (a JSON-LD `articleBody`), one block per
/// non-empty line.
pub(crate) fn from_plain(text: &str) -> Option<(String, String)> {
    let blocks: Vec<Block> = text
        .lines()
        .filter_map(|l| {
            let mut s = String::new();
            push_collapsed(&mut s, l);
            let s = s.trim().to_string();
            (!s.is_empty()).then_some(Block {
                node: ROOT,
                kind: BlockKind::Paragraph,
                text: s,
                link_chars: 0,
            })
        })
        .collect();
    let refs: Vec<&Block> = blocks.iter().collect();
    render_blocks(&refs)
}

/// Elements whose subtree never holds article text.
fn is_skipped_tag(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "math"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "video"
            | "audio"
            | "select"
            | "option"
            | "button"
            | "input"
            | "textarea"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "img"
            | "picture"
            | "map"
            | "dialog"
    )
}

/// Elements laid out inline: their text joins the enclosing block.
fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "br"
            | "cite"
            | "code"
            | "data"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "kbd"
            | "mark"
            | "q"
            | "rp"
            | "rt"
            | "ruby"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
            | "wbr"
            | "del"
            | "ins"
            | "label"
            | "big"
            | "tt"
            | "strike"
            | "nobr"
            | "acronym"
            | ""
    )
}

/// Tags whose own block is a paragraph-like unit, scored on its parent.
fn is_paragraph_tag(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "td"
            | "th"
            | "dd"
            | "dt"
            | "blockquote"
            | "figcaption"
            | "caption"
            | "address"
    )
}

/// Class/id words that mark boilerplate whatever else the element says.
const STRONG_NEGATIVE: &[&str] = &[
    "comment",
    "comments",
    "kommentar",
    "kommentare",
    "disqus",
    "respond",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "newsletter",
    "share",
    "sharing",
    "shares",
    "sharebar",
    "social",
    "socials",
    "related",
    "relatedposts",
    "recommended",
    "recommendations",
    "sidebar",
    "footer",
    "nav",
    "navbar",
    "navigation",
    "breadcrumb",
    "breadcrumbs",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "adsense",
    "anzeige",
    "werbung",
    "outbrain",
    "taboola",
    "popup",
    "modal",
    "paywall",
    "subscribe",
    "subscription",
    "abo",
    "promo",
    "sponsored",
    "banner",
    "skiplink",
    "pagination",
    "pager",
];

/// Strong negative words that, next to a content word, mark the article
/// behind a paywall rather than a subscription box.
const GATE_WORDS: &[&str] = &["paywall", "subscription", "subscribe", "abo", "premium"];

/// Class/id words that mark boilerplate unless a content word is present too.
const WEAK_NEGATIVE: &[&str] = &[
    "menu",
    "header",
    "masthead",
    "widget",
    "tags",
    "tag",
    "tagcloud",
    "meta",
    "byline",
    "author",
    "bio",
    "noprint",
    "login",
    "signup",
    "toolbar",
    "teasers",
    "more",
    "aside",
    "overlay",
    "rating",
    "caption",
    "credit",
    "copyright",
    "sr",
    "screen",
    "visually",
    "tools",
    "topics",
    "keywords",
    "categories",
    "category",
];

/// Class/id words that mark content.
const POSITIVE: &[&str] = &[
    "article", "body", "content", "entry", "main", "post", "story", "text", "artikel", "blog",
    "news", "detail", "richtext", "prose",
];

/// Lowercased class and id words, split on anything not alphanumeric, and
/// camelCase humps.
fn class_words(dom: &Dom, id: NodeId) -> Vec<String> {
    let node = dom.node(id);
    let mut words = Vec::new();
    for attr in ["class", "id"] {
        if let Some(v) = node.attr(attr) {
            for w in v.split(|c: char| !c.is_alphanumeric()) {
                if w.is_empty() || w.len() > 40 {
                    continue;
                }
                words.push(w.to_lowercase());
            }
        }
    }
    words
}

fn role_is_boilerplate(role: &str) -> bool {
    matches!(
        role.trim().to_ascii_lowercase().as_str(),
        "navigation"
            | "banner"
            | "complementary"
            | "contentinfo"
            | "dialog"
            | "alertdialog"
            | "search"
            | "menu"
            | "menubar"
            | "toolbar"
    )
}

fn is_hidden(dom: &Dom, id: NodeId) -> bool {
    let node = dom.node(id);
    if node.attr("hidden").is_some() || node.attr("aria-hidden") == Some("true") {
        return true;
    }
    node.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none") || s.contains("visibility:hidden")
    })
}

/// Why an element is boilerplate, if it is.
fn boilerplate_reason(dom: &Dom, id: NodeId) -> Option<&'static str> {
    let node = dom.node(id);
    let tag = node.tag();
    if matches!(tag, "html" | "body" | "main" | "article") {
        return None;
    }
    if matches!(tag, "nav" | "footer" | "aside" | "form" | "menu") {
        if tag == "form" && dom.descendants(id).any(|d| dom.node(d).tag() == "p") {
            // ASP.NET and some CMSs wrap the whole page in a form.
            return None;
        }
        return Some("tag");
    }
    if tag == "header" && !dom.descendants(id).any(|d| dom.node(d).tag() == "h1") {
        return Some("tag");
    }
    if node.attr("role").is_some_and(role_is_boilerplate) {
        return Some("role");
    }
    if is_hidden(dom, id) {
        return Some("hidden");
    }
    let words = class_words(dom, id);
    if words.is_empty() {
        return None;
    }
    let positive = words.iter().any(|w| POSITIVE.contains(&w.as_str()));
    let mut strong = words
        .iter()
        .filter(|w| STRONG_NEGATIVE.contains(&w.as_str()))
        .peekable();
    if strong.peek().is_some() {
        // "entry-content paywall-container": the article itself, behind a
        // paywall script; kept when it holds real text (see `mark_boilerplate`).
        if positive && strong.all(|w| GATE_WORDS.contains(&w.as_str())) {
            return Some("gate");
        }
        return Some("class");
    }
    if !positive && words.iter().any(|w| WEAK_NEGATIVE.contains(&w.as_str())) {
        return Some("class");
    }
    None
}

fn class_weight(dom: &Dom, id: NodeId) -> f32 {
    let words = class_words(dom, id);
    let mut w = 0.0;
    if words.iter().any(|w| POSITIVE.contains(&w.as_str())) {
        w += 25.0;
    }
    if words
        .iter()
        .any(|w| STRONG_NEGATIVE.contains(&w.as_str()) || WEAK_NEGATIVE.contains(&w.as_str()))
    {
        w -= 25.0;
    }
    w
}

/// Characters of visible text below each node (skipped tags and, when given,
/// removed subtrees excluded), and how much of it is link text.
fn text_lengths(dom: &Dom, removed: Option<&[bool]>) -> (Vec<u32>, Vec<u32>) {
    let n = dom.nodes.len();
    let mut len = vec![0u32; n];
    let mut link = vec![0u32; n];
    // Pre-order without descending into skipped or removed subtrees (script
    // text is often half the page), then children before parents.
    let mut order: Vec<NodeId> = Vec::with_capacity(n);
    let mut stack = vec![ROOT];
    while let Some(id) = stack.pop() {
        let node = dom.node(id);
        if removed.is_some_and(|r| r[id]) || is_skipped_tag(node.tag()) {
            continue;
        }
        order.push(id);
        stack.extend(node.children.iter().rev().copied());
    }
    for &id in order.iter().rev() {
        let node = dom.node(id);
        match &node.kind {
            Kind::Text(t) => {
                len[id] = t.chars().filter(|c| !c.is_whitespace()).count() as u32;
            }
            Kind::Element | Kind::Document => {
                let (mut l, mut k) = (0u32, 0u32);
                for &c in &node.children {
                    l = l.saturating_add(len[c]);
                    k = k.saturating_add(link[c]);
                }
                len[id] = l;
                link[id] = if node.tag() == "a" { l } else { k };
            }
            Kind::Other => {}
        }
    }
    (len, link)
}

/// Marks boilerplate subtrees. An element that holds more than half of the
/// page's text with few links is never removed: it is the page's wrapper.
fn mark_boilerplate(dom: &Dom, len: &[u32], link: &[u32], keep_noscript: bool) -> Vec<bool> {
    let n = dom.nodes.len();
    let mut removed = vec![false; n];
    // Shares are of non-link text: on link-heavy pages the menus would
    // otherwise outweigh the article.
    let total = len[ROOT].saturating_sub(link[ROOT]).max(1) as f32;
    let mut stack = vec![ROOT];
    while let Some(id) = stack.pop() {
        let node = dom.node(id);
        if !node.is_element() && id != ROOT {
            continue;
        }
        let tag = node.tag();
        if is_skipped_tag(tag) && !(keep_noscript && tag == "noscript") {
            removed[id] = true;
            continue;
        }
        if let Some(reason) = boilerplate_reason(dom, id) {
            let share = len[id].saturating_sub(link[id]) as f32 / total;
            let density = link[id] as f32 / len[id].max(1) as f32;
            // A wrapper holding most of the page's prose is kept even when a
            // big menu inside it makes it link-heavy overall.
            let link_heavy = density > 0.65 && share < 0.6;
            let prose = len[id].saturating_sub(link[id]);
            let gated = reason == "gate" && prose >= 500;
            // Components put article text in a <header> of their own section.
            let prose_header = reason == "tag" && tag == "header" && prose >= 500 && density < 0.3;
            if !gated && !prose_header && (share < 0.4 || link_heavy) {
                tracing::trace!(tag, reason, share, density, "boilerplate");
                removed[id] = true;
                continue;
            }
        }
        stack.extend(node.children.iter().rev().copied());
    }
    removed
}

/// Cuts the visible text into blocks, in document order.
fn blocks(dom: &Dom, removed: &[bool], keep_noscript: bool) -> Vec<Block> {
    enum Step {
        Enter(NodeId),
        Exit(NodeId),
    }
    struct Ctx {
        quote: u32,
        pre: u32,
        link: u32,
        lists: Vec<bool>,
        block_stack: Vec<NodeId>,
        text: String,
        link_chars: usize,
        out: Vec<Block>,
    }
    impl Ctx {
        fn flush(&mut self, dom: &Dom) {
            let text = std::mem::take(&mut self.text);
            let link_chars = std::mem::take(&mut self.link_chars);
            let text = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            if text.is_empty() {
                return;
            }
            let node = self.block_stack.last().copied().unwrap_or(ROOT);
            let tag = dom.node(node).tag();
            let kind = match tag {
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                    BlockKind::Heading(tag.as_bytes()[1].saturating_sub(b'0'))
                }
                "li" => BlockKind::ListItem {
                    ordered: self.lists.last().copied().unwrap_or(false),
                },
                _ if self.pre > 0 => BlockKind::Pre,
                _ if self.quote > 0 => BlockKind::Quote,
                _ => BlockKind::Paragraph,
            };
            self.out.push(Block {
                node,
                kind,
                text,
                link_chars,
            });
        }
    }
    let mut ctx = Ctx {
        quote: 0,
        pre: 0,
        link: 0,
        lists: Vec::new(),
        block_stack: vec![ROOT],
        text: String::new(),
        link_chars: 0,
        out: Vec::new(),
    };
    let mut stack = vec![Step::Enter(ROOT)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Enter(id) => {
                let node = dom.node(id);
                if removed[id] {
                    continue;
                }
                match &node.kind {
                    Kind::Text(t) => {
                        let before = ctx.text.chars().count();
                        if ctx.pre > 0 {
                            ctx.text.push_str(t);
                        } else {
                            push_collapsed(&mut ctx.text, t);
                        }
                        if ctx.link > 0 {
                            ctx.link_chars += ctx.text.chars().count() - before;
                        }
                        continue;
                    }
                    Kind::Other => continue,
                    Kind::Element | Kind::Document => {}
                }
                let tag = node.tag();
                if tag == "noscript" && !keep_noscript {
                    continue;
                }
                if tag == "br" {
                    ctx.text.push('\n');
                    continue;
                }
                if is_inline(tag) && id != ROOT {
                    if tag == "a" {
                        ctx.link += 1;
                    }
                } else {
                    ctx.flush(dom);
                    ctx.block_stack.push(id);
                    match tag {
                        "blockquote" => ctx.quote += 1,
                        "pre" => ctx.pre += 1,
                        "ul" | "menu" => ctx.lists.push(false),
                        "ol" => ctx.lists.push(true),
                        _ => {}
                    }
                }
                stack.push(Step::Exit(id));
                stack.extend(node.children.iter().rev().map(|&c| Step::Enter(c)));
            }
            Step::Exit(id) => {
                let tag = dom.node(id).tag();
                if is_inline(tag) && id != ROOT {
                    if tag == "a" {
                        ctx.link = ctx.link.saturating_sub(1);
                    }
                    continue;
                }
                ctx.flush(dom);
                ctx.block_stack.pop();
                match tag {
                    "blockquote" => ctx.quote = ctx.quote.saturating_sub(1),
                    "pre" => ctx.pre = ctx.pre.saturating_sub(1),
                    "ul" | "menu" | "ol" => {
                        ctx.lists.pop();
                    }
                    _ => {}
                }
            }
        }
    }
    ctx.flush(dom);
    ctx.out
}

fn tag_weight(tag: &str) -> f32 {
    match tag {
        "div" | "article" | "section" | "main" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Finds the article: boilerplate removal, blocks, container scoring.
pub(crate) fn extract(dom: &Dom, info: &PageInfo) -> Body {
    let body = extract_with(dom, info, false);
    if body.render(None).is_some() {
        return body;
    }
    // Pages that show their text only to readers without JavaScript.
    let with_noscript = extract_with(dom, info, true);
    if with_noscript.render(None).is_some() {
        tracing::debug!("article text found only in <noscript>");
        return with_noscript;
    }
    body
}

fn extract_with(dom: &Dom, _info: &PageInfo, keep_noscript: bool) -> Body {
    let (raw_len, raw_link) = text_lengths(dom, None);
    let removed = mark_boilerplate(dom, &raw_len, &raw_link, keep_noscript);
    let comment_zone = comment_zones(dom);
    let (len, link) = text_lengths(dom, Some(&removed));
    let blocks = blocks(dom, &removed, keep_noscript);

    // Score containers.
    let mut score: Vec<f32> = vec![0.0; dom.nodes.len()];
    let mut seen: Vec<bool> = vec![false; dom.nodes.len()];
    let mut candidates: Vec<NodeId> = Vec::new();
    for b in &blocks {
        let chars = b.chars();
        if chars < MIN_SCORING_BLOCK || b.link_density() > 0.5 {
            continue;
        }
        let commas = b.text.matches([',', '，', '、', '،']).count() as f32;
        let s = 1.0 + commas + (chars as f32 / 100.0).min(3.0);
        let tag = dom.node(b.node).tag();
        let first = if is_paragraph_tag(tag) || tag == "li" {
            dom.node(b.node).parent
        } else {
            Some(b.node)
        };
        let mut level = 0;
        let mut cur = first;
        while let Some(c) = cur {
            if level > 4 {
                break;
            }
            if !seen[c] {
                seen[c] = true;
                score[c] += tag_weight(dom.node(c).tag()) + class_weight(dom, c);
                candidates.push(c);
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[c] += s / divider;
            level += 1;
            cur = dom.node(c).parent;
        }
    }
    let final_score = |c: NodeId, score: &[f32]| {
        let ld = link[c] as f32 / len[c].max(1) as f32;
        score[c] * (1.0 - ld)
    };
    let top = candidates.iter().copied().max_by(|&a, &b| {
        final_score(a, &score)
            .partial_cmp(&final_score(b, &score))
            .unwrap_or(std::cmp::Ordering::Equal)
    });

    let mut containers = Vec::new();
    if let Some(mut top) = top {
        let top_score = final_score(top, &score);
        // Move up while the parent holds several comparable candidates (the
        // article is split into sections) or the top holds little of its text.
        let alternatives: Vec<NodeId> = candidates
            .iter()
            .copied()
            .filter(|&c| c != top && final_score(c, &score) >= top_score * 0.75)
            .collect();
        if alternatives.len() >= 2 {
            let mut cur = dom.node(top).parent;
            while let Some(p) = cur {
                if p == ROOT || dom.node(p).tag() == "body" {
                    break;
                }
                let covering = alternatives
                    .iter()
                    .filter(|&&a| a == p || dom.ancestors(a).any(|x| x == p))
                    .count();
                if covering >= 2 {
                    top = p;
                    break;
                }
                cur = dom.node(p).parent;
            }
        }
        containers.push(top);
        // Siblings that look like more of the article.
        let threshold = (top_score * 0.2).max(10.0);
        if let Some(parent) = dom.node(top).parent {
            for &sib in &dom.node(parent).children {
                if sib == top || removed[sib] || !dom.node(sib).is_element() {
                    continue;
                }
                let ld = link[sib] as f32 / len[sib].max(1) as f32;
                let s = final_score(sib, &score);
                let tag = dom.node(sib).tag();
                let keep = s >= threshold
                    || (tag == "p" && len[sib] > 80 && ld < 0.25)
                    || (tag == "p" && len[sib] > 0 && ld == 0.0 && {
                        let t = dom.text_of(sib);
                        t.ends_with('.') || t.ends_with('!') || t.ends_with('?')
                    });
                if keep {
                    containers.push(sib);
                }
            }
        }
        // The article split into layout rows ("row > column > text"): the
        // siblings of the top's parent and grandparent that score like more
        // of it.
        let mut level_node = top;
        for _ in 0..2 {
            let Some(up) = dom.node(level_node).parent else {
                break;
            };
            if up == ROOT || matches!(dom.node(up).tag(), "body" | "html") {
                break;
            }
            let Some(parent) = dom.node(up).parent else {
                break;
            };
            for &sib in &dom.node(parent).children {
                if sib == up || removed[sib] || !dom.node(sib).is_element() {
                    continue;
                }
                let ld = link[sib] as f32 / len[sib].max(1) as f32;
                if ld < 0.25 && final_score(sib, &score) >= (top_score * 0.3).max(10.0) {
                    containers.push(sib);
                }
            }
            level_node = up;
        }
    }

    let mut chosen = Vec::new();
    if !containers.is_empty() {
        // Map each node to whether it is inside a container: mark descendants.
        let mut inside = vec![false; dom.nodes.len()];
        for &c in &containers {
            for d in dom.descendants(c) {
                inside[d] = true;
            }
        }
        for (i, b) in blocks.iter().enumerate() {
            if inside[b.node] && keep_block(b) && !in_figure(dom, b.node) {
                chosen.push(i);
            }
        }
        cut_trailer(&blocks, &mut chosen);
    }
    let (position, subtree_end) = positions(dom);
    add_standfirst(dom, &blocks, &mut chosen, &position);
    Body {
        blocks,
        chosen,
        containers,
        removed,
        comment_zone,
        position,
        subtree_end,
    }
}

/// Adds the standfirst: paragraphs between the headline (the last `<h1>`
/// before the article body) and the body's first block. Sites put it in the
/// article header, a sibling of the body container, so scoring misses it.
fn add_standfirst(dom: &Dom, blocks: &[Block], chosen: &mut Vec<usize>, position: &[usize]) {
    let Some(&first) = chosen.first() else {
        return;
    };
    let first_pos = position[blocks[first].node];
    // The headline is an <h1>; pages without one near the body title the
    // article with an <h2>.
    let near = first.saturating_sub(9);
    let Some(h1) = blocks[..first]
        .iter()
        .rposition(|b| b.kind == BlockKind::Heading(1))
        .filter(|&i| i >= near)
        .or_else(|| {
            blocks[near..first]
                .iter()
                .rposition(|b| b.kind == BlockKind::Heading(2))
                .map(|i| i + near)
        })
    else {
        return;
    };
    if first - h1 > 8 {
        return;
    }
    let mut lead = Vec::new();
    for (i, b) in blocks.iter().enumerate().take(first).skip(h1 + 1) {
        if position[b.node] >= first_pos || dom.node(b.node).tag() == "h1" {
            continue;
        }
        let chars = b.chars();
        let sentence = b.text.ends_with(['.', '!', '?', '“', '"', '…']);
        let ok_kind = matches!(
            b.kind,
            BlockKind::Paragraph | BlockKind::Quote | BlockKind::Heading(2..)
        );
        if ok_kind
            && b.link_density() < 0.3
            && (chars >= 80 || (chars >= 30 && sentence))
            && !in_figure(dom, b.node)
        {
            lead.push(i);
        }
    }
    if !lead.is_empty() && lead.len() <= 3 {
        lead.extend(chosen.iter().copied());
        *chosen = lead;
    }
}

/// Pre-order positions and, for each node, the last position in its subtree.
fn positions(dom: &Dom) -> (Vec<usize>, Vec<usize>) {
    let n = dom.nodes.len();
    let mut pos = vec![0; n];
    let order: Vec<NodeId> = dom.descendants(ROOT).collect();
    for (i, &id) in order.iter().enumerate() {
        pos[id] = i;
    }
    let mut end = pos.clone();
    for &id in order.iter().rev() {
        if let Some(p) = dom.node(id).parent {
            end[p] = end[p].max(end[id]);
        }
    }
    (pos, end)
}

/// Captions and photo credits: inside `<figure>`, a `<figcaption>`, or an
/// element whose class names it a caption (sites that lay images out with
/// plain `<div>`s: "image-subtitle", "imagedescription", Italian "dida").
fn in_figure(dom: &Dom, id: NodeId) -> bool {
    std::iter::once(id)
        .chain(dom.ancestors(id))
        .take(6)
        .any(|a| {
            let node = dom.node(a);
            if matches!(node.tag(), "figure" | "figcaption") {
                // Some sites wrap the whole article header (headline, lead) in
                // a <figure> over the photo: that is not a caption.
                return !dom
                    .descendants(a)
                    .any(|d| matches!(dom.node(d).tag(), "h1" | "h2"));
            }
            let Some(class) = node.attr("class").filter(|c| !c.is_empty()) else {
                return false;
            };
            let class = class.to_ascii_lowercase();
            [
                "caption",
                "bildunterschrift",
                "image-subtitle",
                "imagedescription",
                "image-description",
            ]
            .iter()
            .any(|k| class.contains(k))
                || class.split_whitespace().any(|w| w == "dida")
        })
}

/// Openings of blocks that end the article: "more on this", "related",
/// "about the author" and their German, French and Spanish equivalents.
const TRAILER_STARTS: &[&str] = &[
    "mehr zum thema",
    "mehr zu diesem thema",
    "weitere artikel",
    "weitere beiträge",
    "weiterlesen",
    "lesen sie auch",
    "lesen sie mehr",
    "das könnte dich",
    "das könnte sie",
    "auch interessant",
    "empfohlene beiträge",
    "ähnliche beiträge",
    "ähnliche artikel",
    "verwandte artikel",
    "siehe auch",
    "über den autor",
    "über die autorin",
    "zum autor",
    "zur autorin",
    "related",
    "read more",
    "more from",
    "more on this",
    "you may also like",
    "you might also like",
    "recommended",
    "about the author",
    "further reading",
    "see also",
    "share this",
    "teilen sie",
    "diesen artikel teilen",
    "artikel teilen",
    "seite teilen",
    "lire aussi",
    "à lire aussi",
    "sur le même sujet",
    "te puede interesar",
    "lee también",
    "noticias relacionadas",
    "leggi anche",
    "articoli correlati",
    "war der artikel",
    "war dieser artikel",
    "hat ihnen der artikel",
    "hat ihnen dieser artikel",
    "möchten sie den artikel",
    "vorschau auf",
    "lust auf mehr",
    "was this article",
    "did you find this",
    "do you want to be informed",
    "kommentieren",
    "kommentar schreiben",
    "schreibe einen kommentar",
    "schreiben sie einen kommentar",
    "sie müssen sich einloggen",
    "leave a reply",
    "leave a comment",
    "you must be logged in",
];

/// Openings of short blocks that are page furniture, not text.
const FURNITURE_STARTS: &[&str] = &[
    "foto:",
    "fotos:",
    "bild:",
    "bilder:",
    "titelbild:",
    "quelle:",
    "photo:",
    "image:",
    "credit:",
    "aktualisiert",
    "veröffentlicht am",
    "updated",
    "published",
    "this entry was posted",
    "der beitrag wurde am",
    "dieser beitrag wurde",
    "posted in",
    "filed under",
    "tags:",
    "schlagworte:",
    "kategorie:",
    "kategorien:",
    "themen:",
    "rezept drucken",
    "drucken",
    "print",
    "zum vergrößern",
    "alle angaben ohne gewähr",
    "copyright",
    "©",
    "(c)",
];

fn starts_with_any(text: &str, list: &[&str]) -> bool {
    // "(Alle Angaben ohne Gewähr)": brackets and quotes do not change what
    // the line is.
    let text = text.trim_start_matches(['(', '[', '„', '"', '»', '«', '“']);
    let head: String = text.chars().take(40).collect::<String>().to_lowercase();
    list.iter().any(|p| head.starts_with(p))
}

/// Phrases of consent placeholders that stand in for an embedded video,
/// map or post until the reader agrees to load it.
const CONSENT_PHRASES: &[&str] = &[
    "um den inhalt von",
    "externer inhalt",
    "externe inhalte",
    "ohne dein einverständnis",
    "ohne ihr einverständnis",
    "ohne ihre zustimmung",
    "inhalt laden",
    "inhalte laden",
    "to load this content",
    "load external content",
    "contenu externe",
];

/// One case-insensitive scan for all consent phrases.
static CONSENT_RE: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    let alternatives: Vec<String> = CONSENT_PHRASES.iter().map(|p| regex::escape(p)).collect();
    regex::Regex::new(&format!("(?i){}", alternatives.join("|"))).ok()
});

/// Post footers that state the date and categories ("This entry was
/// posted on … and filed under …"): longer than other furniture.
const POST_FOOTER_STARTS: &[&str] = &[
    "this entry was posted",
    "der beitrag wurde am",
    "dieser beitrag wurde",
    "dieser eintrag wurde",
];

/// Drops furniture blocks, and everything from a trailer heading on when it
/// comes in the second half of the article.
fn cut_trailer(blocks: &[Block], chosen: &mut Vec<usize>) {
    let n = chosen.len();
    let mut cut = None;
    for (k, &i) in chosen.iter().enumerate() {
        let b = &blocks[i];
        if b.chars() < 80 && starts_with_any(&b.text, TRAILER_STARTS) && k * 2 >= n {
            cut = Some(k);
            break;
        }
    }
    if let Some(k) = cut {
        chosen.truncate(k);
    }
    // A heading with nothing after it introduces what was cut or dropped
    // (a link list, a widget): it is not part of the text.
    // Only when real text remains: a page of headings is left alone.
    while chosen
        .last()
        .is_some_and(|&i| matches!(blocks[i].kind, BlockKind::Heading(_)))
        && chosen.len() > 2
        && chosen.iter().map(|&i| blocks[i].chars()).sum::<usize>() > 200
    {
        chosen.pop();
    }
    chosen.retain(|&i| {
        let b = &blocks[i];
        let chars = b.chars();
        !(chars < 100 && starts_with_any(&b.text, FURNITURE_STARTS)
            || chars < 80 && starts_with_any(&b.text, TRAILER_STARTS)
            || chars < 300 && starts_with_any(&b.text, POST_FOOTER_STARTS)
            || chars < 400 && CONSENT_RE.as_ref().is_some_and(|re| re.is_match(&b.text))
            || chars < 40 && crate::dates::parse_date_text(&b.text).is_some())
    });
}

/// Per-block filter inside the article container.
fn keep_block(b: &Block) -> bool {
    let chars = b.chars();
    let ld = b.link_density();
    match b.kind {
        BlockKind::ListItem { .. } => ld < 0.5,
        BlockKind::Heading(_) => ld < 0.5,
        _ => ld < 0.5 || chars > 200 && ld < 0.7,
    }
}

/// Nodes inside comment sections, whatever the boilerplate pass decided: their
/// dates are commenters', never the article's.
fn comment_zones(dom: &Dom) -> Vec<bool> {
    let mut zone = vec![false; dom.nodes.len()];
    let mut stack = vec![(ROOT, false)];
    while let Some((id, inherited)) = stack.pop() {
        let node = dom.node(id);
        let here = inherited
            || (node.is_element()
                && class_words(dom, id).iter().any(|w| {
                    w.starts_with("comment")
                        || w.starts_with("kommentar")
                        || w == "disqus"
                        || w == "respond"
                        || w == "replies"
                }));
        zone[id] = here;
        stack.extend(node.children.iter().map(|&c| (c, here)));
    }
    zone
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta;

    fn text(html: &str) -> String {
        let dom = Dom::parse(html, false);
        let info = meta::collect(&dom);
        extract(&dom, &info)
            .render(None)
            .map(|r| r.0)
            .unwrap_or_default()
    }

    #[test]
    fn keeps_paragraphs_drops_navigation() {
        let html = r##"<body><nav><ul><li><a href="/">Home</a></li><li><a href="/w">World</a></li></ul></nav>
        <div class="article-body"><h2>Background</h2><p>The first paragraph is long enough to count, with commas, clauses, and detail.</p>
        <ul><li>A point in a list</li></ul><blockquote><p>A quoted line, said somebody.</p></blockquote>
        <p>The second paragraph is long enough to count too, and it also has commas, many of them.</p></div>
        <div class="share-bar"><a href="#">Share on Facebook</a></div><footer>Copyright 2023 Example Media</footer></body>"##;
        let t = text(html);
        assert_eq!(
            t,
            "Background\n\nThe first paragraph is long enough to count, with commas, clauses, and detail.\n\nA point in a list\n\nA quoted line, said somebody.\n\nThe second paragraph is long enough to count too, and it also has commas, many of them."
        );
    }

    #[test]
    fn markdown_marks_structure() {
        let html = r#"<article><h2>Head</h2><p>Paragraph text that is long enough to be kept as the article body, yes.</p><ol><li>one</li><li>two</li></ol><blockquote>quoted words here</blockquote></article>"#;
        let dom = Dom::parse(html, false);
        let info = meta::collect(&dom);
        let (_, md) = extract(&dom, &info).render(None).unwrap_or_default();
        assert_eq!(md, "## Head\n\nParagraph text that is long enough to be kept as the article body, yes.\n\n1. one\n\n2. two\n\n> quoted words here");
    }

    const PARA: &str = "<p>This is a sentence of the article, long enough, with commas, and it goes on for a while to look like prose.</p>";

    #[test]
    fn link_heavy_wrapper_holding_the_article_is_kept() {
        let menu: String = (0..200)
            .map(|i| format!(r#"<li><a href="/s{i}">Section number {i} of the site</a></li>"#))
            .collect();
        let html = format!(
            r#"<body><div id="navigation-container"><nav><ul>{menu}</ul></nav><div class="content">{}</div></div></body>"#,
            PARA.repeat(5)
        );
        assert!(text(&html).starts_with("This is a sentence"));
    }

    #[test]
    fn paywalled_article_container_is_kept() {
        let html = format!(
            r#"<body><div class="entry-content paywall-container">{}</div><div class="comments">{}</div></body>"#,
            PARA.repeat(5),
            PARA.repeat(8)
        );
        let t = text(&html);
        assert!(t.starts_with("This is a sentence"), "{t}");
        // A subscription box with little text is still dropped.
        let html = format!(
            r#"<body><article>{}<div class="paywall-content"><p>Subscribe now to read on.</p></div></article></body>"#,
            PARA.repeat(5)
        );
        assert!(!text(&html).contains("Subscribe"));
    }

    #[test]
    fn prose_in_a_section_header_is_kept() {
        let html = format!(
            r#"<body><header><a href="/">Home</a></header><main><article><header class="intro">{}</header></article></main></body>"#,
            PARA.repeat(6)
        );
        assert!(text(&html).starts_with("This is a sentence"));
    }

    #[test]
    fn article_split_across_layout_rows() {
        let row = |s: &str| {
            format!(
                r#"<div class="row"><div class="col-8">{}</div><div class="col-4"><a href="/x">Ad link</a></div></div>"#,
                s
            )
        };
        let first = PARA.replace("This is a sentence", "First part");
        let second = PARA.replace("This is a sentence", "Second part");
        let html = format!(
            r#"<body><div class="page">{}{}</div></body>"#,
            row(&first.repeat(6)),
            row(&second.repeat(4))
        );
        let t = text(&html);
        assert!(
            t.starts_with("First part") && t.contains("Second part"),
            "{t}"
        );
    }

    #[test]
    fn wrapper_with_negative_class_is_kept() {
        let para = "<p>This is a sentence of the article, long enough, with commas.</p>".repeat(5);
        let html = format!(
            r#"<body><div id="page" class="has-sidebar comments-open">{para}</div></body>"#
        );
        assert!(text(&html).starts_with("This is a sentence"));
    }

    #[test]
    fn captions_marked_by_class_are_dropped() {
        let html = format!(
            r#"<body><div class="article">{}<div class="image"><img src="a.jpg"><div class="image-subtitle">The harbour at dawn (archive)</div></div><p class="imagedescription">A crane, seen from the pier. © Agency / Photographer</p>{}</div></body></html>"#,
            PARA.repeat(3),
            PARA.repeat(3)
        );
        let t = text(&html);
        assert!(
            !t.contains("harbour at dawn") && !t.contains("Photographer"),
            "{t}"
        );
    }

    #[test]
    fn a_figure_that_holds_the_headline_is_not_a_caption() {
        let html = format!(
            r#"<body><section class="news"><figure class="top"><img src="a.jpg"><figcaption>Photo: Jane Roe</figcaption><h1>Camp called off</h1><p>The squad will next meet in March, the federation said on Wednesday.</p></figure>{}</section></body>"#,
            PARA.repeat(4)
        );
        let t = text(&html);
        assert!(t.contains("next meet in March"), "{t}");
        assert!(!t.contains("Photo: Jane Roe"), "{t}");
    }

    #[test]
    fn standfirst_under_an_h2_headline_but_not_a_caption() {
        let html = format!(
            r#"<body><div class="head"><h2>Snow weighs on solar panels</h2><p class="lead">A blanket of snow on the panels lowers the yield and its weight strains the frames of the modules.</p><p class="bildunterschrift">Panels under snow seen from the ridge.</p><div class="meta">10.12.2022 by</div></div><div class="paywall-full-content">{}</div></body>"#,
            PARA.repeat(5)
        );
        let t = text(&html);
        assert!(t.starts_with("A blanket of snow"), "{t}");
        assert!(!t.contains("from the ridge"), "{t}");
    }

    #[test]
    fn consent_placeholders_and_post_footers_are_dropped() {
        let html = format!(
            r#"<body><article>{}<div class="embed"><p>Klicken Sie auf den unteren Button, um den Inhalt von maps.example zu laden.</p></div><div class="message">We respect your privacy, so nothing is loaded from the video site without your consent: click to load external content.</div>{}<p class="postmetadata">Der Beitrag wurde am Mittwoch, den 27. November 2019 um 15:21 Uhr veröffentlicht und wurde unter Allgemein, Termine, Verkostungen und Messen abgelegt. Sie können alle Antworten über den RSS-Feed verfolgen.</p><p>(Alle Angaben ohne Gewähr)</p></article></body>"#,
            PARA.repeat(3),
            PARA.repeat(3)
        );
        let t = text(&html);
        assert!(!t.contains("Button"), "{t}");
        assert!(!t.contains("external content"), "{t}");
        assert!(!t.contains("Der Beitrag wurde"), "{t}");
        assert!(!t.contains("Gewähr"), "{t}");
    }

    #[test]
    fn comment_prompts_and_trailing_headings_end_the_text() {
        let html = format!(
            r#"<body><div class="post">{}<h2>Kommentieren</h2><p>Noch gibt es keine Beiträge zu diesem Artikel, seien Sie die erste Stimme in dieser Runde.</p><p>Beiträge erscheinen nach einer kurzen Prüfung durch die Moderation, meist am selben Tag.</p></div></body>"#,
            PARA.repeat(5)
        );
        let t = text(&html);
        assert!(
            !t.contains("Kommentieren") && !t.contains("erste Stimme"),
            "{t}"
        );
        let html = format!(
            r#"<body><div class="post">{}<h3>More on the virus in the region:</h3><ul><li><a href="/a">One</a></li><li><a href="/b">Two</a></li></ul></div></body>"#,
            PARA.repeat(5)
        );
        let t = text(&html);
        assert!(t.ends_with("like prose."), "{t}");
    }
}
