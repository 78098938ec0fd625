//! RSS 2.0, RSS 1.0 (RDF) and Atom feeds.
//!
//! Each `<item>` / `<entry>` becomes an article as soon as its end tag is
//! read: title, link, `pubDate` / `published` / `updated` / `dc:date`
//! (provenance Metadata), `author` / `dc:creator` / Atom `author/name`, and the
//! body from `content:encoded` or Atom `content`, else `description` /
//! `summary`, with markup stripped. Malformed XML ends the feed with a problem
//! after the items before it.
//!
//! With [`IngestOptions::follow_feed_links`](crate::IngestOptions) an item
//! whose text is short (a summary under 400 characters) has its link fetched
//! and extracted as a page; the feed's date, title and author fill what the
//! page lacks. If the fetch or extraction fails, the summary is kept as the
//! article (better a short text with a sourced date than nothing) and a
//! warning says why.

use quick_xml::events::{BytesStart, Event as XmlEvent};
use storyline_core::{DateProvenance, InputFormat, Location};

use crate::decode;
use crate::draft::{one_line, RawArticle, StatedDate};
use crate::fragment::{html_fragment_to_text, looks_like_html};
use crate::Ctx;

/// Items with less text than this are summaries.
const SHORT_TEXT_CHARS: usize = 400;

#[derive(Default, Debug)]
struct Item {
    title: String,
    link: Option<String>,
    /// Atom `<link>` without rel or rel="alternate" wins over others.
    link_is_alternate: bool,
    guid: Option<String>,
    content: String,
    description: String,
    dates: Vec<(String, &'static str)>,
    authors: Vec<String>,
    source: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Title,
    Link,
    Guid,
    Content,
    Description,
    Date(&'static str),
    Author,
    AuthorName,
    Source,
    ChannelTitle,
    ChannelLanguage,
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, l)) => l.to_ascii_lowercase(),
        None => name.to_ascii_lowercase(),
    }
}

fn prefix(name: &str) -> String {
    match name.split_once(':') {
        Some((p, _)) => p.to_ascii_lowercase(),
        None => String::new(),
    }
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == key).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string())
        })
    })
}

struct FeedState {
    channel_title: Option<String>,
    channel_language: Option<String>,
    items: u64,
}

pub(crate) fn read_feed(ctx: &mut Ctx<'_>, bytes: &[u8], loc: &Location) {
    let (enc, bom) = match encoding_rs::Encoding::for_bom(bytes) {
        Some(found) => found,
        None => match decode::xml_declared_encoding(bytes) {
            Some(e) => (e, 0),
            None => decode::detect_encoding(bytes, true),
        },
    };
    let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
    if had_errors {
        ctx.warn(
            loc.clone(),
            format!("some bytes are not valid {} and were replaced", enc.name()),
        );
    }
    let mut reader = quick_xml::Reader::from_str(&text);
    {
        let cfg = reader.config_mut();
        cfg.check_end_names = false;
        cfg.allow_unmatched_ends = true;
        cfg.allow_dangling_amp = true;
        cfg.expand_empty_elements = false;
    }
    let mut state = FeedState {
        channel_title: None,
        channel_language: None,
        items: 0,
    };
    let mut stack: Vec<String> = Vec::new();
    let mut item: Option<Item> = None;
    let mut item_depth = 0usize;
    let mut target: Option<(Target, usize)> = None;
    let mut buf = String::new();
    let mut saw_root = false;
    loop {
        let pos = reader.buffer_position();
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                ctx.skip(
                    loc.with_record(state.items + 1),
                    format!(
                        "malformed XML near byte {pos}: {e}; {} item(s) before it were read",
                        state.items
                    ),
                );
                return;
            }
        };
        match ev {
            XmlEvent::Start(e) => {
                let name = local(e.name().as_ref());
                let pfx = prefix(e.name().as_ref());
                saw_root = saw_root || matches!(name.as_str(), "rss" | "feed" | "rdf");
                stack.push(name.clone());
                let depth = stack.len();
                if target.is_some() {
                    // Markup inside a field (Atom xhtml content): keep block breaks.
                    if matches!(
                        name.as_str(),
                        "p" | "div" | "br" | "li" | "h1" | "h2" | "h3" | "blockquote"
                    ) {
                        buf.push_str("\n\n");
                    }
                    continue;
                }
                if item.is_none() && (name == "item" || name == "entry") {
                    item = Some(Item::default());
                    item_depth = depth;
                    continue;
                }
                if let Some(it) = item.as_mut() {
                    let t = match (pfx.as_str(), name.as_str()) {
                        (_, "title") if depth == item_depth + 1 => Some(Target::Title),
                        ("", "link") if depth == item_depth + 1 => {
                            if let Some(href) = attr(&e, "href") {
                                take_atom_link(it, &e, href);
                                None
                            } else {
                                Some(Target::Link)
                            }
                        }
                        (_, "guid") | ("", "id") if depth == item_depth + 1 => Some(Target::Guid),
                        ("content", "encoded") => Some(Target::Content),
                        ("", "content") if depth == item_depth + 1 => Some(Target::Content),
                        (_, "description") | (_, "summary") if depth == item_depth + 1 => {
                            Some(Target::Description)
                        }
                        ("", "pubdate") => Some(Target::Date("pubDate")),
                        (_, "published") => Some(Target::Date("published")),
                        ("dc", "date") => Some(Target::Date("dc:date")),
                        (_, "issued") => Some(Target::Date("issued")),
                        (_, "updated") | (_, "modified") => Some(Target::Date("updated")),
                        ("dc", "creator") => Some(Target::Author),
                        ("", "author") if depth == item_depth + 1 => Some(Target::Author),
                        (_, "name")
                            if stack
                                .get(depth.wrapping_sub(2))
                                .is_some_and(|p| p == "author") =>
                        {
                            Some(Target::AuthorName)
                        }
                        ("", "source") if depth == item_depth + 1 => Some(Target::Source),
                        _ => None,
                    };
                    if let Some(t) = t {
                        target = Some((t, depth));
                        buf.clear();
                    }
                } else {
                    let parent_is_channel =
                        depth >= 2 && matches!(stack[depth - 2].as_str(), "channel" | "feed");
                    if parent_is_channel && name == "title" && state.channel_title.is_none() {
                        target = Some((Target::ChannelTitle, depth));
                        buf.clear();
                    } else if parent_is_channel && name == "language" {
                        target = Some((Target::ChannelLanguage, depth));
                        buf.clear();
                    }
                }
            }
            XmlEvent::Empty(e) => {
                let name = local(e.name().as_ref());
                saw_root = saw_root || matches!(name.as_str(), "rss" | "feed" | "rdf");
                if let Some(it) = item.as_mut() {
                    if name == "link" && target.is_none() {
                        if let Some(href) = attr(&e, "href") {
                            take_atom_link(it, &e, href);
                        }
                    }
                } else if target.is_none() && name == "feed" {
                    saw_root = true;
                }
                if target.is_some() && name == "br" {
                    buf.push('\n');
                }
            }
            XmlEvent::Text(t) if target.is_some() => buf.push_str(&t.xml10_content()),
            XmlEvent::CData(c) if target.is_some() => buf.push_str(&c.into_inner()),
            XmlEvent::GeneralRef(r) if target.is_some() => match r.resolve_char_ref() {
                Ok(Some(ch)) => buf.push(ch),
                _ => {
                    let name = r.xml10_content();
                    match name.as_ref() {
                        "amp" => buf.push('&'),
                        "lt" => buf.push('<'),
                        "gt" => buf.push('>'),
                        "quot" => buf.push('"'),
                        "apos" => buf.push('\''),
                        other => {
                            let ent = format!("&{other};");
                            buf.push_str(&html_escape::decode_html_entities(&ent));
                        }
                    }
                }
            },
            XmlEvent::End(_) => {
                let depth = stack.len();
                if let Some((t, d)) = target {
                    if d == depth {
                        let value = std::mem::take(&mut buf);
                        store(&mut item, &mut state, t, value);
                        target = None;
                    } else if target.is_some() {
                        buf.push(' ');
                    }
                }
                stack.pop();
                if item.is_some() && depth == item_depth {
                    if let Some(it) = item.take() {
                        state.items += 1;
                        emit_item(ctx, it, &state, loc.with_record(state.items));
                    }
                }
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    if let Some(it) = item.take() {
        state.items += 1;
        ctx.skip(
            loc.with_record(state.items),
            format!(
                "truncated feed: item {:?} has no end tag",
                one_line(&it.title)
            ),
        );
    } else if !saw_root {
        ctx.skip(
            loc.clone(),
            "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root)",
        );
    } else if state.items == 0 {
        ctx.warn(loc.clone(), "the feed holds no items");
    }
}

fn take_atom_link(it: &mut Item, e: &BytesStart<'_>, href: String) {
    let rel = attr(e, "rel");
    let alternate = rel.as_deref().is_none_or(|r| r == "alternate");
    if it.link.is_none() || (alternate && !it.link_is_alternate) {
        it.link = Some(href);
        it.link_is_alternate = alternate;
    }
}

fn store(item: &mut Option<Item>, state: &mut FeedState, t: Target, value: String) {
    let v = value.trim().to_string();
    match (t, item.as_mut()) {
        (Target::ChannelTitle, _) => {
            state.channel_title =
                Some(outlet_from_feed_title(&one_line(&v))).filter(|s| !s.is_empty())
        }
        (Target::ChannelLanguage, _) => state.channel_language = Some(v).filter(|s| !s.is_empty()),
        (_, None) => {}
        (Target::Title, Some(it)) => it.title = v,
        (Target::Link, Some(it)) => {
            if it.link.is_none() && !v.is_empty() {
                it.link = Some(v);
            }
        }
        (Target::Guid, Some(it)) => it.guid = Some(v),
        (Target::Content, Some(it)) => {
            if v.len() > it.content.len() {
                it.content = v;
            }
        }
        (Target::Description, Some(it)) => {
            if v.len() > it.description.len() {
                it.description = v;
            }
        }
        (Target::Date(which), Some(it)) => {
            if !v.is_empty() {
                it.dates.push((v, which));
            }
        }
        (Target::Author | Target::AuthorName, Some(it)) => {
            if let Some(name) = author_name(&v) {
                if !it.authors.contains(&name) {
                    it.authors.push(name);
                }
            }
        }
        (Target::Source, Some(it)) => it.source = Some(one_line(&v)).filter(|s| !s.is_empty()),
    }
}

/// A feed title names the outlet and often a section after a dash or bar
/// (`Harbour Post – Veyra flood`, `BBC News - World`): keep the outlet.
fn outlet_from_feed_title(title: &str) -> String {
    for sep in [" – ", " — ", " | ", " - ", ": "] {
        if let Some((head, _)) = title.split_once(sep) {
            if !head.trim().is_empty() {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// RSS `<author>` is often `email (Name)`; keep the name, drop bare emails.
fn author_name(v: &str) -> Option<String> {
    let v = one_line(v);
    if v.is_empty() {
        return None;
    }
    if let (Some(open), Some(close)) = (v.find('('), v.rfind(')')) {
        if open < close && v[..open].contains('@') {
            return Some(v[open + 1..close].trim().to_string());
        }
    }
    if v.contains('@') && !v.contains(' ') {
        return None;
    }
    Some(v)
}

fn to_text(s: &str) -> String {
    if looks_like_html(s) || s.contains("&lt;") || s.contains("</") || s.contains("/>") {
        html_fragment_to_text(s)
    } else {
        s.to_string()
    }
}

fn emit_item(ctx: &mut Ctx<'_>, it: Item, state: &FeedState, loc: Location) {
    let content = to_text(&it.content);
    let description = to_text(&it.description);
    let text = if content.trim().len() >= description.trim().len() {
        content
    } else {
        description
    };
    let link = it
        .link
        .clone()
        .or_else(|| it.guid.clone().filter(|g| g.starts_with("http")))
        .map(|l| l.trim().to_string());
    let title = Some(one_line(&to_text(&it.title))).filter(|t| !t.is_empty());
    let feed_date = it
        .dates
        .iter()
        .find(|(_, w)| *w != "updated")
        .or_else(|| it.dates.first())
        .map(|(d, w)| StatedDate {
            raw: d.clone(),
            provenance: DateProvenance::Metadata,
            evidence: format!("feed item <{w}>"),
        });

    let short = text.chars().count() < SHORT_TEXT_CHARS;
    let followable = link
        .as_deref()
        .is_some_and(|l| l.starts_with("http://") || l.starts_with("https://"));
    if ctx.opts.follow_feed_links && short && followable {
        let url = link.clone().unwrap_or_default();
        if let Some(seen) = &ctx.opts.seen {
            if !seen.url_is_new(&url) {
                // An earlier pass fetched and stored this item's page.
                ctx.summary.unchanged += 1;
                return;
            }
        }
        match follow(ctx, &url, &loc) {
            Ok(mut raw) => {
                if raw.title.is_none() {
                    raw.title = title;
                }
                if raw.authors.is_empty() {
                    raw.authors = it.authors.clone();
                }
                if raw.source.is_none() {
                    raw.source = it.source.clone().or_else(|| state.channel_title.clone());
                }
                if raw.language.is_none() {
                    raw.language = state.channel_language.clone();
                }
                crate::html::add_fallback_date(&mut raw, feed_date);
                ctx.finish(raw);
                return;
            }
            Err(reason) => ctx.warn(
                loc.clone(),
                format!("linked page {url} not used ({reason}); keeping the feed's summary"),
            ),
        }
    }
    if text.trim().is_empty() {
        let t = title.as_deref().unwrap_or("(untitled)");
        ctx.skip(
            loc,
            format!("feed item {t:?} has no text (no content, description or summary)"),
        );
        return;
    }
    let mut raw = RawArticle::new(text, loc, InputFormat::Feed);
    raw.title = title;
    raw.url = link;
    raw.authors = it.authors;
    raw.source = it.source.or_else(|| state.channel_title.clone());
    raw.language = state.channel_language.clone();
    raw.stated_dates.extend(feed_date);
    ctx.finish(raw);
}

fn follow(ctx: &mut Ctx<'_>, url: &str, loc: &Location) -> Result<RawArticle, String> {
    let fetched = ctx.fetcher().get(url).map_err(|e| e.to_string())?;
    crate::html::extract_page(
        ctx,
        &fetched.bytes,
        crate::html::HtmlSource {
            location: loc.clone(),
            url: Some(fetched.final_url),
            content_type: fetched.content_type,
            format: InputFormat::Feed,
            not_after: None,
            extra_candidates: Vec::new(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlet_names() {
        assert_eq!(
            outlet_from_feed_title("Harbour Post – Veyra flood"),
            "Harbour Post"
        );
        assert_eq!(outlet_from_feed_title("BBC News - World"), "BBC News");
        assert_eq!(outlet_from_feed_title("Metro Ledger"), "Metro Ledger");
    }

    #[test]
    fn author_names() {
        assert_eq!(
            author_name("desk@example.com (Ana Ruiz)").as_deref(),
            Some("Ana Ruiz")
        );
        assert_eq!(author_name("desk@example.com"), None);
        assert_eq!(author_name(" Tom  Ng ").as_deref(), Some("Tom Ng"));
    }
}
