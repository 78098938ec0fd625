//! A flat, arena-allocated DOM built by html5ever.
//!
//! Nodes live in one `Vec` and refer to each other by index, so dropping a
//! 100,000-deep tree is a plain `Vec` drop (no recursive `Rc` teardown), and
//! every walk in this crate is an explicit-stack loop. html5ever itself is
//! iterative; only our own code could overflow the stack, and it never
//! recurses over the tree.

use std::borrow::Cow;
use std::cell::{Ref, RefCell};

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, Attribute, LocalName, QualName};

/// Index of a node in [`Dom::nodes`].
pub(crate) type NodeId = usize;

/// What a node is.
#[derive(Debug)]
pub(crate) enum Kind {
    Document,
    Element,
    Text(String),
    /// Comments, doctypes and processing instructions: kept only so that
    /// indices stay valid; never produce text.
    Other,
}

#[derive(Debug)]
pub(crate) struct Node {
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    pub kind: Kind,
    /// Element name; an empty local name for non-elements.
    pub name: QualName,
    pub attrs: Vec<(LocalName, String)>,
}

impl Node {
    fn new(kind: Kind, name: QualName) -> Node {
        Node {
            parent: None,
            children: Vec::new(),
            kind,
            name,
            attrs: Vec::new(),
        }
    }

    /// The element's local name ("p", "div"); "" for non-elements.
    pub fn tag(&self) -> &str {
        &self.name.local
    }

    pub fn is_element(&self) -> bool {
        matches!(self.kind, Kind::Element)
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A parsed document.
#[derive(Debug)]
pub(crate) struct Dom {
    pub nodes: Vec<Node>,
}

pub(crate) const ROOT: NodeId = 0;

impl Dom {
    /// Parses a decoded document. `scripting` decides whether `<noscript>`
    /// content is raw text (true, as browsers with JS see it) or markup.
    pub fn parse(html: &str, scripting: bool) -> Dom {
        let html = limit_depth(html, MAX_DEPTH);
        let sink = Sink {
            nodes: RefCell::new(vec![Node::new(Kind::Document, empty_name())]),
        };
        let mut opts = html5ever::ParseOpts::default();
        opts.tree_builder.scripting_enabled = scripting;
        let parser = html5ever::parse_document(sink, opts);
        parser.one(StrTendril::from_slice(&html))
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// Ids in document order (pre-order) below `start`, `start` included.
    pub fn descendants(&self, start: NodeId) -> Descendants<'_> {
        Descendants {
            dom: self,
            stack: vec![start],
        }
    }

    /// The nearest ancestors of `id`, parent first.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.nodes[id].parent, move |&p| self.nodes[p].parent)
    }

    /// All text below `id`, whitespace collapsed.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut out = String::new();
        for d in self.descendants(id) {
            if let Kind::Text(t) = &self.nodes[d].kind {
                push_collapsed(&mut out, t);
            }
        }
        out.trim().to_string()
    }

    /// All text below `id` with a space between text nodes, for short
    /// elements whose parts sit in separate tags
    /// (`<span>Apr</span><span>04</span><span>2013</span>`).
    pub fn text_spaced(&self, id: NodeId) -> String {
        let mut out = String::new();
        for d in self.descendants(id) {
            if let Kind::Text(t) = &self.nodes[d].kind {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                push_collapsed(&mut out, t);
            }
        }
        out.trim().to_string()
    }

    /// The first element with this tag, in document order.
    pub fn first_tag(&self, tag: &str) -> Option<NodeId> {
        self.descendants(ROOT).find(|&i| self.nodes[i].tag() == tag)
    }
}

/// Nesting deeper than this is flattened before parsing. Real pages stay
/// under ~100; html5ever's scope checks walk the stack of open elements, so a
/// 100,000-deep page would take quadratic time (minutes) without this cap.
pub(crate) const MAX_DEPTH: usize = 512;

/// Elements that never nest (void) or are closed implicitly by a sibling;
/// counting them would overstate depth.
fn depth_neutral(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "rb"
            | "rt"
            | "rp"
            | "html"
            | "head"
            | "body"
            | "colgroup"
            | "caption"
    )
}

/// Elements whose content is raw text: a `<` inside them is not a tag.
fn raw_text(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
    )
}

/// Drops start tags (and their end tags) that would nest deeper than `max`,
/// keeping all text. A linear scan with an approximate tag reader: it only
/// has to be right about depth, and only changes documents that exceed `max`.
pub(crate) fn limit_depth(html: &str, max: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    // Pass 1: is the cap ever exceeded? Most pages stop here.
    let mut exceeded = false;
    scan_tags(bytes, max, &mut exceeded, None);
    if !exceeded {
        return Cow::Borrowed(html);
    }
    let mut out = Vec::with_capacity(bytes.len());
    scan_tags(bytes, max, &mut exceeded, Some(&mut out));
    tracing::debug!(max, "nesting capped before parsing");
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// Walks the tags of `bytes`, tracking depth; with `out`, copies everything
/// except the tags beyond `max`.
fn scan_tags(bytes: &[u8], max: usize, exceeded: &mut bool, mut out: Option<&mut Vec<u8>>) {
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut i = 0;
    let n = bytes.len();
    let mut copy_from = 0;
    while i < n {
        let Some(lt) = bytes[i..].iter().position(|&b| b == b'<') else {
            break;
        };
        i += lt;
        let rest = &bytes[i..];
        if rest.starts_with(b"<!--") {
            i = find_from(bytes, i + 4, b"-->").map_or(n, |e| e + 3);
            continue;
        }
        let is_end = rest.get(1) == Some(&b'/');
        let name_start = i + if is_end { 2 } else { 1 };
        let name_len = bytes[name_start.min(n)..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        // Tag names that matter are short ASCII; longer ones count as generic.
        let mut buf = [0u8; 16];
        let name_bytes = &bytes[name_start..name_start + name_len];
        let name = if name_len <= buf.len() {
            for (b, c) in buf.iter_mut().zip(name_bytes) {
                *b = c.to_ascii_lowercase();
            }
            std::str::from_utf8(&buf[..name_len]).unwrap_or("x-custom")
        } else {
            "x-custom"
        };
        let tag_end = bytes[name_start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(n, |e| name_start + e + 1);
        let self_closing = tag_end >= 2 && bytes.get(tag_end - 2) == Some(&b'/');
        let mut drop_tag = false;
        if !depth_neutral(name) && !raw_text(name) && !self_closing {
            if is_end {
                if dropped > 0 {
                    dropped -= 1;
                    drop_tag = true;
                } else {
                    depth = depth.saturating_sub(1);
                }
            } else if depth >= max {
                *exceeded = true;
                dropped += 1;
                drop_tag = true;
            } else {
                depth += 1;
            }
        }
        if drop_tag {
            if let Some(o) = out.as_deref_mut() {
                o.extend_from_slice(&bytes[copy_from..i]);
                copy_from = tag_end;
            }
        }
        i = tag_end;
        if !is_end && raw_text(name) {
            let close = format!("</{name}");
            let lower_close = close.as_bytes();
            i = find_ci(bytes, i, lower_close).unwrap_or(n);
        }
    }
    if let Some(o) = out {
        o.extend_from_slice(&bytes[copy_from.min(n)..]);
    }
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

/// Appends `text` to `out` with runs of whitespace collapsed to one space and
/// invisible formatting characters removed.
pub(crate) fn push_collapsed(out: &mut String, text: &str) {
    let mut space = out.ends_with(' ') || out.is_empty();
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else if !is_invisible(c) {
            out.push(c);
            space = false;
        }
    }
}

/// Zero-width, soft-hyphen and bidi control characters: they carry no text,
/// break substring search, and can be used to disguise text.
/// ZWJ/ZWNJ are kept: they are meaningful in Persian, Indic scripts and emoji.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{00AD}'
    )
}

pub(crate) struct Descendants<'a> {
    dom: &'a Dom,
    stack: Vec<NodeId>,
}

impl Iterator for Descendants<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        let id = self.stack.pop()?;
        self.stack
            .extend(self.dom.nodes[id].children.iter().rev().copied());
        Some(id)
    }
}

fn empty_name() -> QualName {
    QualName::new(None, ns!(), local_name!(""))
}

struct Sink {
    nodes: RefCell<Vec<Node>>,
}

impl Sink {
    fn push(&self, node: Node) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(node);
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], child: NodeId) {
        if let Some(p) = nodes[child].parent.take() {
            let siblings = &mut nodes[p].children;
            if let Some(pos) = siblings.iter().rposition(|&c| c == child) {
                siblings.remove(pos);
            }
        }
    }

    /// Appends text to `parent`, merging with a trailing text node.
    fn append_text(nodes: &mut Vec<Node>, parent: NodeId, text: &str) {
        if let Some(&last) = nodes[parent].children.last() {
            if let Kind::Text(t) = &mut nodes[last].kind {
                t.push_str(text);
                return;
            }
        }
        let mut node = Node::new(Kind::Text(text.to_string()), empty_name());
        node.parent = Some(parent);
        nodes.push(node);
        let id = nodes.len() - 1;
        nodes[parent].children.push(id);
    }
}

impl TreeSink for Sink {
    type Handle = NodeId;
    type Output = Dom;
    type ElemName<'a> = Ref<'a, QualName>;

    fn finish(self) -> Dom {
        Dom {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        ROOT
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Ref<'a, QualName> {
        Ref::map(self.nodes.borrow(), |n| &n[*target].name)
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let mut node = Node::new(Kind::Element, name);
        node.attrs = attrs
            .into_iter()
            .map(|a| (a.name.local, a.value.to_string()))
            .collect();
        let id = self.push(node);
        if flags.template {
            // Template contents: a detached fragment whose text we never use.
            self.push(Node::new(Kind::Document, empty_name()));
        }
        id
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(Node::new(Kind::Other, empty_name()))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(Node::new(Kind::Other, empty_name()))
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let mut nodes = self.nodes.borrow_mut();
        match child {
            NodeOrText::AppendNode(c) => {
                Self::detach(&mut nodes, c);
                nodes[c].parent = Some(*parent);
                nodes[*parent].children.push(c);
            }
            NodeOrText::AppendText(t) => Self::append_text(&mut nodes, *parent, &t),
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let has_parent = self.nodes.borrow()[*element].parent.is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // create_element pushed the fragment right after the template element.
        *target + 1
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let mut nodes = self.nodes.borrow_mut();
        let Some(parent) = nodes[*sibling].parent else {
            return;
        };
        let Some(pos) = nodes[parent].children.iter().position(|c| c == sibling) else {
            return;
        };
        match new_node {
            NodeOrText::AppendNode(c) => {
                Self::detach(&mut nodes, c);
                // Detaching may have shifted the sibling's position.
                let pos = nodes[parent]
                    .children
                    .iter()
                    .position(|x| x == sibling)
                    .unwrap_or(pos);
                nodes[c].parent = Some(parent);
                nodes[parent].children.insert(pos, c);
            }
            NodeOrText::AppendText(t) => {
                if pos > 0 {
                    let prev = nodes[parent].children[pos - 1];
                    if let Kind::Text(s) = &mut nodes[prev].kind {
                        s.push_str(&t);
                        return;
                    }
                }
                let mut node = Node::new(Kind::Text(t.to_string()), empty_name());
                node.parent = Some(parent);
                nodes.push(node);
                let id = nodes.len() - 1;
                nodes[parent].children.insert(pos, id);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        let node = &mut nodes[*target];
        for a in attrs {
            if !node.attrs.iter().any(|(k, _)| *k == a.name.local) {
                node.attrs.push((a.name.local, a.value.to_string()));
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[*node].children);
        for &c in &children {
            nodes[c].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(children);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_tree_and_collapses_text() {
        let dom = Dom::parse("<p>Hello   <b>big</b>\n world</p><p>two", false);
        let ps: Vec<_> = dom
            .descendants(ROOT)
            .filter(|&i| dom.node(i).tag() == "p")
            .collect();
        assert_eq!(ps.len(), 2);
        assert_eq!(dom.text_of(ps[0]), "Hello big world");
        assert_eq!(dom.text_of(ps[1]), "two");
    }

    #[test]
    fn misnested_tags_keep_text() {
        let dom = Dom::parse(
            "<p><b>one<i>two</b>three</i></p><table><td>cell</table>x",
            false,
        );
        assert_eq!(dom.text_of(ROOT), "onetwothreecellx");
    }

    #[test]
    fn depth_cap_drops_tags_not_text() {
        let html = "<div><div><div>a</div>b</div><script>if (a<b) {}</script>c</div>";
        assert_eq!(limit_depth(html, 5), html);
        assert_eq!(
            limit_depth(html, 1),
            "<div>ab<script>if (a<b) {}</script>c</div>"
        );
        let deep = "<div>".repeat(10) + "x" + &"</div>".repeat(10);
        assert_eq!(limit_depth(&deep, 3), "<div><div><div>x</div></div></div>");
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(20_000) + "deep" + &"</div>".repeat(20_000);
        let dom = Dom::parse(&html, false);
        assert_eq!(dom.text_of(ROOT), "deep");
        drop(dom);
    }
}
