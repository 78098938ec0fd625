//! Published and modified dates, with provenance.
//!
//! Sources are tried from most to least trustworthy: JSON-LD, `<meta>` tags,
//! `itemprop`/`<time>` elements in the article header, the URL path, then
//! date-looking text near the headline. The first date that parses and is in
//! range wins; every other date seen is kept as a [`DateCandidate`] with the
//! reason it lost. Dates in comment sections, teasers and the site's own
//! header are never used. When the page states no publication date, the
//! date beside a link to the page in a list of posts is taken, then a stated
//! modification date as a low-confidence inference.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use storyline_core::{DateCandidate, DateProvenance, PublishedDate, Timestamp};

use crate::content::Body;
use crate::dom::{Dom, NodeId, ROOT};
use crate::meta::PageInfo;
use crate::ExtractOptions;

/// At most this many rejected candidates are kept per page.
const MAX_CANDIDATES: usize = 32;

pub(crate) struct Dates {
    pub published: PublishedDate,
    pub modified: Option<Timestamp>,
    pub rejected: Vec<DateCandidate>,
}

/// Meta names that state the publication date, in order of trust.
const PUBLISHED_METAS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "pubdate",
    "article_date_original",
    "original-publish-date",
    "cxenseparse:recs:publishtime",
    "date",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "datecreated",
    "created",
    "uploaddate",
];

const MODIFIED_METAS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "dc.date.modified",
    "last-modified",
    "lastmod",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum What {
    Published,
    Modified,
}

struct Seen {
    raw: String,
    provenance: DateProvenance,
    evidence: String,
    what: What,
    /// Set when the candidate is known to be unusable.
    veto: Option<&'static str>,
}

pub(crate) fn find(dom: &Dom, info: &PageInfo, body: &Body, opts: &ExtractOptions) -> Dates {
    let page = Page::new(dom, body);
    let mut seen: Vec<Seen> = Vec::new();
    let mut push = |raw: &str, provenance, evidence: String, what, veto| {
        if seen.len() < 256 {
            seen.push(Seen {
                raw: raw.trim().chars().take(120).collect(),
                provenance,
                evidence,
                what,
                veto,
            });
        }
    };
    for field in ["datePublished", "dateCreated", "uploadDate"] {
        for v in info.jsonld_strings(field) {
            push(
                &v,
                DateProvenance::Metadata,
                format!("json-ld {field}"),
                What::Published,
                None,
            );
        }
    }
    for v in info.jsonld_strings("dateModified") {
        push(
            &v,
            DateProvenance::Metadata,
            "json-ld dateModified".into(),
            What::Modified,
            None,
        );
    }
    for key in PUBLISHED_METAS {
        for (k, v) in &info.metas {
            if k == key && !v.trim().is_empty() {
                push(
                    v,
                    DateProvenance::Metadata,
                    format!("meta[{key}]"),
                    What::Published,
                    None,
                );
            }
        }
    }
    for key in MODIFIED_METAS {
        for (k, v) in &info.metas {
            if k == key && !v.trim().is_empty() {
                push(
                    v,
                    DateProvenance::Metadata,
                    format!("meta[{key}]"),
                    What::Modified,
                    None,
                );
            }
        }
    }
    // Elements: itemprop/RDFa dates and <time>, outside comments.
    for id in dom.descendants(ROOT) {
        let node = dom.node(id);
        if !node.is_element() || node.tag() == "meta" {
            continue;
        }
        let prop = node
            .attr("itemprop")
            .or(node.attr("property"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let is_time = node.tag() == "time";
        let what = if prop.contains("datemodified") || prop.contains("modified") {
            What::Modified
        } else if prop.contains("datepublished")
            || prop.contains("datecreated")
            || prop.contains("dc:date")
            || prop.contains("dc:created")
            || prop.contains("dcterms:created")
            || prop.contains("published_time")
            || is_time
        {
            What::Published
        } else {
            continue;
        };
        let raw = node
            .attr("datetime")
            .or(node.attr("content"))
            .map(str::to_string)
            .unwrap_or_else(|| dom.text_of(id));
        if raw.is_empty() {
            continue;
        }
        let evidence = if prop.is_empty() {
            "<time datetime>".to_string()
        } else {
            format!("<{} {prop}>", node.tag())
        };
        let veto = if body.comment_zone[id] {
            Some("inside the comments: a commenter's date")
        } else if page.in_teaser(id) {
            Some("in a teaser, related-links or sidebar block: another article's date")
        } else if is_time && prop.is_empty() && !time_in_header(body, id) {
            Some("<time> after the article's start, not in its header")
        } else if is_time && prop.is_empty() && page.in_site_chrome(id) {
            Some("in the site's header or navigation above the headline: not the article's date")
        } else {
            None
        };
        push(&raw, DateProvenance::Metadata, evidence, what, veto);
    }
    // URL path.
    let urls = [
        opts.url.as_deref(),
        info.canonical.as_deref(),
        info.og_url.as_deref(),
    ];
    for url in urls.into_iter().flatten() {
        if let Some(d) = date_in_url(url) {
            push(
                &d,
                DateProvenance::Url,
                "url path".into(),
                What::Published,
                None,
            );
            break;
        }
    }
    // Visible text near the headline.
    for (raw, evidence) in visible_dates(&page, opts.now) {
        push(
            &raw,
            DateProvenance::Dateline,
            evidence,
            What::Published,
            None,
        );
    }

    let mut published: Option<(Timestamp, &Seen)> = None;
    let mut modified: Option<Timestamp> = None;
    let mut rejected = Vec::new();
    let mut reject = |s: &Seen, why: String| {
        if rejected.len() < MAX_CANDIDATES
            && !rejected
                .iter()
                .any(|r: &DateCandidate| r.raw == s.raw && r.evidence == s.evidence)
        {
            rejected.push(DateCandidate {
                raw: s.raw.clone(),
                provenance: s.provenance,
                evidence: s.evidence.clone(),
                rejected_because: why,
            });
        }
    };
    for s in &seen {
        if let Some(v) = s.veto {
            reject(s, v.to_string());
            continue;
        }
        let Some(t) = parse_any(&s.raw) else {
            reject(s, "not a date storyline can read".into());
            continue;
        };
        if t.is_after(opts.now) {
            reject(s, format!("in the future (after {})", opts.now));
            continue;
        }
        if t.utc_date() < min_date() {
            reject(s, "before 1990".into());
            continue;
        }
        match s.what {
            What::Modified => {
                if modified.is_none() {
                    modified = Some(t);
                }
                reject(s, "a modification date, not the publication date".into());
            }
            What::Published => match &published {
                None => published = Some((t, s)),
                Some((p, by)) => {
                    if p.date != t.date {
                        reject(
                            s,
                            format!("{} ranks higher and says {}", by.evidence, p.date),
                        );
                    }
                }
            },
        }
    }
    // The date shown in the article header is what readers (and annotators)
    // take as the publication date; metadata that disagrees with it is often
    // a re-publication, a feed import or a shifted time zone.
    let shown_all: Vec<(Timestamp, &Seen)> = seen
        .iter()
        .filter_map(|s| {
            if s.veto.is_some() || !s.evidence.starts_with("visible date") {
                return None;
            }
            let t = parse_any(&s.raw)?;
            (!t.is_after(opts.now) && t.utc_date() >= min_date()).then_some((t, s))
        })
        .collect();
    // Header elements that each show a different day (three or more) are a
    // list of articles, not one article's header; two days are usually
    // "published" and "updated", and the first is the one shown first.
    let mut days: Vec<NaiveDate> = shown_all.iter().map(|(t, _)| t.date).collect();
    days.sort();
    days.dedup();
    let shown = shown_all.first().copied().filter(|_| days.len() < 3);
    // The URL path's date, written by the CMS in the site's own time zone.
    let url_date = seen.iter().find_map(|s| {
        if s.veto.is_some() || s.provenance != DateProvenance::Url {
            return None;
        }
        let t = parse_any(&s.raw)?;
        (!t.is_after(opts.now) && t.utc_date() >= min_date()).then_some((t, s))
    });
    if let (Some((shown_t, shown_s)), Some((meta_t, meta_s))) = (shown, published) {
        // A URL that agrees with the metadata outvotes the header (which
        // may show an update or today's date).
        let url_agrees = url_date.is_some_and(|(u, _)| u.date == meta_t.date);
        if meta_s.provenance == DateProvenance::Metadata
            && meta_t.date != shown_t.date
            && !url_agrees
        {
            rejected.retain(|r| !(r.raw == shown_s.raw && r.evidence == shown_s.evidence));
            if rejected.len() < MAX_CANDIDATES {
                rejected.push(DateCandidate {
                    raw: meta_s.raw.clone(),
                    provenance: meta_s.provenance,
                    evidence: meta_s.evidence.clone(),
                    rejected_because: format!(
                        "the article header shows {}; metadata that disagrees is often a re-publication or time-zone shift",
                        shown_t.date
                    ),
                });
            }
            published = Some((shown_t, shown_s));
        }
    }
    // Metadata one day off the URL's date is a time-zone shift (a UTC
    // timestamp for a page published after midnight local time).
    if let (Some((meta_t, meta_s)), Some((url_t, url_s))) = (published, url_date) {
        let gap = (meta_t.date - url_t.date).num_days().abs();
        // Only for UTC (or zone-less) timestamps: a local offset means the
        // metadata already gives the local day.
        let utc = matches!(meta_t.offset_seconds, None | Some(0));
        if meta_s.provenance == DateProvenance::Metadata && gap == 1 && utc {
            rejected.retain(|r| !(r.raw == url_s.raw && r.evidence == url_s.evidence));
            if rejected.len() < MAX_CANDIDATES {
                rejected.push(DateCandidate {
                    raw: meta_s.raw.clone(),
                    provenance: meta_s.provenance,
                    evidence: meta_s.evidence.clone(),
                    rejected_because: format!(
                        "one day off the URL's {}: a time-zone shift",
                        url_t.date
                    ),
                });
            }
            published = Some((url_t, url_s));
        }
    }
    // A URL date far from the metadata's: the metadata describes a later
    // re-publication (or a CMS migration); the URL keeps the original day.
    if let (Some((meta_t, meta_s)), Some((url_t, url_s))) = (published, url_date) {
        let gap = (meta_t.date - url_t.date).num_days().abs();
        if meta_s.provenance == DateProvenance::Metadata && gap > 1 {
            rejected.retain(|r| !(r.raw == url_s.raw && r.evidence == url_s.evidence));
            if rejected.len() < MAX_CANDIDATES {
                rejected.push(DateCandidate {
                    raw: meta_s.raw.clone(),
                    provenance: meta_s.provenance,
                    evidence: meta_s.evidence.clone(),
                    rejected_because: format!(
                        "{gap} days from the URL's {}: a re-publication",
                        url_t.date
                    ),
                });
            }
            published = Some((url_t, url_s));
        }
    }
    // Nothing on the page's own header: a list of posts (sidebar, archive)
    // may still show this page's entry, with its date.
    let self_listed = match published {
        None => self_listed_date(&page, &urls, opts.now),
        Some(_) => None,
    };
    let published = match (published, self_listed) {
        (Some((t, s)), _) => {
            let mut p = PublishedDate::stated(t, s.provenance, s.evidence.clone());
            if s.provenance == DateProvenance::Dateline {
                p.confidence = 0.9;
            }
            p
        }
        (None, Some((t, evidence))) => {
            let mut p = PublishedDate::stated(t, DateProvenance::Dateline, evidence);
            p.confidence = 0.7;
            p
        }
        // No publication date anywhere: a stated modification date is the
        // best evidence left (wikis and press pages show only "last
        // edited"); it bounds the publication from above, so it is kept as
        // an inference with low confidence rather than dropped.
        (None, None) => {
            let from_meta = modified.map(|t| (t, "the page's metadata".to_string()));
            let found = from_meta.or_else(|| {
                let (raw, evidence) = phrase_date(&page, MODIFIED_PHRASES, &MODIFIED_PHRASE_RE)?;
                let t = parse_any(&raw)?;
                (!t.is_after(opts.now) && t.utc_date() >= min_date()).then_some((t, evidence))
            });
            match found {
                Some((t, evidence)) => {
                    let mut p = PublishedDate::stated(
                        t,
                        DateProvenance::Inferred,
                        format!("last modified, no publication date stated: {evidence}"),
                    );
                    p.confidence = 0.5;
                    p
                }
                None => PublishedDate::unknown(),
            }
        }
    };
    Dates {
        published,
        modified,
        rejected,
    }
}

/// A URL reduced to host and path, for comparing links with the page's own
/// address: no scheme, "www.", archive prefix, query, fragment or trailing
/// slash.
fn url_key(url: &str) -> String {
    let mut u = url.trim();
    if let Some(i) = u.find("://") {
        u = &u[i + 3..];
    }
    // web.archive.org/web/20130307194448/http://example.org/page
    if let Some(rest) = u.strip_prefix("web.archive.org/web/") {
        u = rest.find('/').map_or("", |i| &rest[i + 1..]);
        if let Some(i) = u.find("://") {
            u = &u[i + 3..];
        }
    }
    let u = u.split(['?', '#']).next().unwrap_or("");
    let u = u.strip_prefix("www.").unwrap_or(u);
    u.trim_end_matches('/').to_ascii_lowercase()
}

/// The date beside a link to this very page in a list of posts ("Recent
/// posts: <a href=this-page>Title</a> 26/10/2018").
fn self_listed_date(
    page: &Page,
    urls: &[Option<&str>],
    now: NaiveDate,
) -> Option<(Timestamp, String)> {
    let keys: Vec<String> = urls
        .iter()
        .flatten()
        .map(|u| url_key(u))
        .filter(|k| k.contains('/'))
        .collect();
    if keys.is_empty() {
        return None;
    }
    let dom = page.dom;
    for id in dom.descendants(ROOT) {
        let node = dom.node(id);
        if node.tag() != "a" || page.body.comment_zone[id] {
            continue;
        }
        // Links are relative or absolute: compare the path end.
        let Some(href) = node.attr("href") else {
            continue;
        };
        let key = url_key(href);
        let key = key.trim_start_matches('/');
        if key.is_empty()
            || !keys
                .iter()
                .any(|k| k == key || k.ends_with(&format!("/{key}")))
        {
            continue;
        }
        // The list entry: the nearest item or short block around the link.
        for a in dom.ancestors(id).take(3) {
            let text = dom.text_spaced(a);
            if text.chars().count() > 200 {
                break;
            }
            if let Some(d) = parse_date_text(&text).filter(|d| *d <= now && *d >= min_date()) {
                return Some((
                    Timestamp::from_date(d),
                    "date beside a link to this page in a list of posts".to_string(),
                ));
            }
        }
    }
    None
}

fn min_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Where the article is on the page: what the date filters need to tell the
/// article's own header from teasers and the site's chrome.
struct Page<'a> {
    dom: &'a Dom,
    body: &'a Body,
    /// The headline: the last `<h1>` (or `<h2>` on pages without `<h1>`)
    /// before the article's first block, else the first one inside it.
    headline: Option<NodeId>,
}

impl<'a> Page<'a> {
    fn new(dom: &'a Dom, body: &'a Body) -> Page<'a> {
        let first = body
            .chosen
            .first()
            .map(|&i| body.position[body.blocks[i].node]);
        // Pages without an <h1> title their article with an <h2>.
        let level = if dom.first_tag("h1").is_some() {
            "h1"
        } else {
            "h2"
        };
        let mut before = None;
        let mut inside = None;
        for id in dom.descendants(ROOT) {
            if dom.node(id).tag() != level || body.comment_zone[id] {
                continue;
            }
            match first {
                Some(f) if body.position[id] <= f => before = Some(id),
                _ if inside.is_none() && body.in_article(id) => inside = Some(id),
                _ => {}
            }
        }
        Page {
            dom,
            body,
            headline: before.or(inside),
        }
    }

    /// Whether `outer`'s subtree holds `inner`.
    fn holds(&self, outer: NodeId, inner: NodeId) -> bool {
        let b = self.body;
        b.position[outer] <= b.position[inner] && b.position[inner] <= b.subtree_end[outer]
    }

    /// Whether `id` holds the headline or an article container: such an
    /// element is the article's own wrapper whatever its class says
    /// ("teaser", "header").
    fn holds_article(&self, id: NodeId) -> bool {
        self.headline.is_some_and(|h| self.holds(id, h))
            || self.body.containers.iter().any(|&c| self.holds(id, c))
    }

    /// Whether an element sits in a block that lists other articles.
    fn in_teaser(&self, id: NodeId) -> bool {
        let dom = self.dom;
        // Near ancestors only: page wrappers carry classes like "has-sidebar".
        for a in std::iter::once(id).chain(dom.ancestors(id)).take(8) {
            let n = dom.node(a);
            if matches!(n.tag(), "body" | "html" | "main") || self.holds_article(a) {
                return false;
            }
            let c = format!(
                "{} {}",
                n.attr("class").unwrap_or_default(),
                n.attr("id").unwrap_or_default()
            )
            .to_ascii_lowercase();
            // Not <footer>: CMSs put the article's own "submitted" line there.
            let listing = match n.tag() {
                "nav" => true,
                // An aside is also where sites put the article's own date
                // and reading time; a teaser list links to other pages.
                "aside" => !(c.contains("meta") || c.contains("info")) && self.links(a) >= 3,
                _ => false,
            };
            if listing
                || [
                    "teaser",
                    "related",
                    "sidebar",
                    "recommend",
                    "more-",
                    "latest",
                    "popular",
                    "weitere",
                ]
                .iter()
                .any(|k| c.contains(k))
            {
                return true;
            }
            // Another article's card (`<article class="teaser">` was
            // checked above); the walk ends at the nearest article.
            if n.tag() == "article" {
                return false;
            }
        }
        false
    }

    /// Links to other pages below `id` (not in-page anchors or scripts).
    fn links(&self, id: NodeId) -> usize {
        self.dom
            .descendants(id)
            .filter(|&d| {
                let n = self.dom.node(d);
                n.tag() == "a"
                    && n.attr("href").is_some_and(|h| {
                        !h.starts_with('#') && !h.to_ascii_lowercase().starts_with("javascript")
                    })
            })
            .count()
    }

    /// Whether an element is part of the site's header or navigation above
    /// the headline (a "today is …" line, the date of the last edition):
    /// a `<header>`/`<nav>` or an element whose class says header, masthead,
    /// top bar or menu, which holds neither the headline nor the article.
    fn in_site_chrome(&self, id: NodeId) -> bool {
        let Some(h) = self.headline else {
            return false;
        };
        if self.body.in_article(id) || self.body.position[id] > self.body.position[h] {
            return false;
        }
        let dom = self.dom;
        for a in std::iter::once(id).chain(dom.ancestors(id)).take(16) {
            let n = dom.node(a);
            if matches!(n.tag(), "body" | "html" | "main" | "article") || self.holds_article(a) {
                return false;
            }
            if matches!(n.tag(), "header" | "nav") {
                return true;
            }
            let c = format!(
                "{} {}",
                n.attr("class").unwrap_or_default(),
                n.attr("id").unwrap_or_default()
            )
            .to_ascii_lowercase();
            if [
                "header", "masthead", "topbar", "top-bar", "navbar", "navtop", "nav-top", "menu",
            ]
            .iter()
            .any(|k| c.contains(k))
            {
                return true;
            }
        }
        false
    }
}

/// Whether an element sits in a header shown only when printing, whose date
/// is the day the page was printed or saved.
fn in_print_header(dom: &Dom, id: NodeId) -> bool {
    std::iter::once(id)
        .chain(dom.ancestors(id))
        .take(5)
        .any(|a| {
            dom.node(a).attr("class").is_some_and(|c| {
                c.split_whitespace()
                    .any(|w| w.to_ascii_lowercase().starts_with("print"))
            })
        })
}

/// A `<time>` counts when it is in the article container, or comes before
/// the end of the article's first blocks (the header and byline).
fn time_in_header(body: &Body, id: NodeId) -> bool {
    if body.in_article(id) {
        return true;
    }
    let Some(limit) = body.header_limit() else {
        return true;
    };
    body.position[id] <= limit
}

static URL_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"[/_-]((?:19|20)\d{2})[/_.-]?(0[1-9]|1[0-2])[/_.-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$|\D)",
    )
    .ok()
});

static URL_DATE_SHORT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d{2})/([1-9]|0[1-9]|1[0-2])/([1-9]|0[1-9]|[12]\d|3[01])(?:/|$)").ok()
});

static URL_DATE_DMY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"[/_-](0[1-9]|[12]\d|3[01])-(0[1-9]|1[0-2])-((?:19|20)\d{2})(?:[/_.?#-]|$)").ok()
});

/// `/2023/11/09/`, `/2023-11-09-`, `/20231109/`, `/2017/7/12/` or a slug
/// ending in `-09-11-2023` in a URL path.
fn date_in_url(url: &str) -> Option<String> {
    let path_start = url.find("://").map(|i| i + 3).unwrap_or(0);
    let path = &url[path_start..];
    let path = path.find('/').map(|i| &path[i..]).unwrap_or("");
    // Skip web.archive.org's own capture timestamp.
    let path = match path.strip_prefix("/web/") {
        Some(rest) => rest.find('/').map(|i| &rest[i..]).unwrap_or(""),
        None => path,
    };
    if let Some(c) = URL_DATE.as_ref().and_then(|re| re.captures(path)) {
        return Some(format!("{}-{}-{}", &c[1], &c[2], &c[3]));
    }
    let two = |s: &str| format!("{:0>2}", s);
    if let Some(c) = URL_DATE_SHORT.as_ref().and_then(|re| re.captures(path)) {
        return Some(format!("{}-{}-{}", &c[1], two(&c[2]), two(&c[3])));
    }
    let c = URL_DATE_DMY.as_ref()?.captures(path)?;
    Some(format!("{}-{}-{}", &c[3], &c[2], &c[1]))
}

/// Parses ISO/RFC forms with [`Timestamp::parse`], then written dates in
/// several languages with [`parse_date_text`].
fn parse_any(raw: &str) -> Option<Timestamp> {
    if let Ok(t) = Timestamp::parse(raw) {
        return Some(t);
    }
    // "2023-11-09T14:03:00+0100 CET" and similar trailers.
    if raw.len() > 10 {
        if let Some(first) = raw.split_whitespace().next() {
            if let Ok(t) = Timestamp::parse(first) {
                return Some(t);
            }
        }
    }
    // A date with a malformed time ("2022-01-10T22:06:08:684Z"): the day
    // is still right.
    if let Some(c) = ISO_DAY_PREFIX.as_ref().and_then(|re| re.captures(raw)) {
        let (y, m, d) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
        return NaiveDate::from_ymd_opt(y, m, d).map(Timestamp::from_date);
    }
    parse_date_text(raw).map(Timestamp::from_date)
}

static ISO_DAY_PREFIX: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^\s*((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})(?:[T ]|$)").ok());

/// Month names and abbreviations in the languages of our sources.
fn month_number(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    let table: &[(&str, u32)] = &[
        ("january", 1),
        ("jan", 1),
        ("januar", 1),
        ("jänner", 1),
        ("janvier", 1),
        ("enero", 1),
        ("gennaio", 1),
        ("janeiro", 1),
        ("stycznia", 1),
        ("styczeń", 1),
        ("february", 2),
        ("feb", 2),
        ("februar", 2),
        ("feber", 2),
        ("février", 2),
        ("fevrier", 2),
        ("févr", 2),
        ("febrero", 2),
        ("febbraio", 2),
        ("fevereiro", 2),
        ("lutego", 2),
        ("luty", 2),
        ("march", 3),
        ("mar", 3),
        ("märz", 3),
        ("mär", 3),
        ("maerz", 3),
        ("mars", 3),
        ("marzo", 3),
        ("março", 3),
        ("marca", 3),
        ("marzec", 3),
        ("april", 4),
        ("apr", 4),
        ("avril", 4),
        ("abril", 4),
        ("aprile", 4),
        ("kwietnia", 4),
        ("kwiecień", 4),
        ("may", 5),
        ("mai", 5),
        ("mayo", 5),
        ("maggio", 5),
        ("maio", 5),
        ("maja", 5),
        ("maj", 5),
        ("june", 6),
        ("jun", 6),
        ("juni", 6),
        ("juin", 6),
        ("junio", 6),
        ("giugno", 6),
        ("junho", 6),
        ("czerwca", 6),
        ("czerwiec", 6),
        ("july", 7),
        ("jul", 7),
        ("juli", 7),
        ("juillet", 7),
        ("julio", 7),
        ("luglio", 7),
        ("julho", 7),
        ("lipca", 7),
        ("lipiec", 7),
        ("august", 8),
        ("aug", 8),
        ("août", 8),
        ("aout", 8),
        ("agosto", 8),
        ("sierpnia", 8),
        ("sierpień", 8),
        ("september", 9),
        ("sep", 9),
        ("sept", 9),
        ("septembre", 9),
        ("septiembre", 9),
        ("setiembre", 9),
        ("settembre", 9),
        ("setembro", 9),
        ("września", 9),
        ("wrzesień", 9),
        ("october", 10),
        ("oct", 10),
        ("oktober", 10),
        ("okt", 10),
        ("octobre", 10),
        ("octubre", 10),
        ("ottobre", 10),
        ("outubro", 10),
        ("października", 10),
        ("październik", 10),
        ("november", 11),
        ("nov", 11),
        ("novembre", 11),
        ("noviembre", 11),
        ("novembro", 11),
        ("listopada", 11),
        ("listopad", 11),
        ("december", 12),
        ("dec", 12),
        ("dezember", 12),
        ("dez", 12),
        ("décembre", 12),
        ("decembre", 12),
        ("déc", 12),
        ("diciembre", 12),
        ("dicembre", 12),
        ("dezembro", 12),
        ("grudnia", 12),
        ("grudzień", 12),
        // Russian and Ukrainian, in the genitive that dates use.
        ("января", 1),
        ("січня", 1),
        ("февраля", 2),
        ("лютого", 2),
        ("марта", 3),
        ("березня", 3),
        ("апреля", 4),
        ("квітня", 4),
        ("мая", 5),
        ("травня", 5),
        ("июня", 6),
        ("червня", 6),
        ("июля", 7),
        ("липня", 7),
        ("августа", 8),
        ("серпня", 8),
        ("сентября", 9),
        ("вересня", 9),
        ("октября", 10),
        ("жовтня", 10),
        ("ноября", 11),
        ("декабря", 12),
        ("грудня", 12),
    ];
    table.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
}

static NUMERIC_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \b(?P<y1>(?:19|20)\d{2})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})\b
        | \b(?P<d2>\d{1,2})\.\s?(?P<m2>\d{1,2})\.\s?(?P<y2>(?:19|20)\d{2})\b
        | \b(?P<d3>\d{1,2})/(?P<m3>\d{1,2})/(?P<y3>(?:19|20)\d{2})\b
        ",
    )
    .ok()
});

static WORD_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)
        \b(?P<d1>\d{1,2})(?:\.|st|nd|rd|th|er|º)?\s*(?:de\s+)?(?P<m1>\p{L}{3,12}\.?),?\s*(?:de\s+|del\s+)?(?P<y1>(?:19|20)\d{2})\b
        | \b(?P<m2>\p{L}{3,12}\.?)\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d{2})\b
        ",
    )
    .ok()
});

/// The first written date in a piece of text, in English, German, French,
/// Spanish, Italian, Portuguese or Polish (`9. November 2023`,
/// `9 de noviembre de 2023`, `Nov. 9, 2023`) or numeric (`09.11.2023`,
/// `2023-11-09`; `9/11/2023` is read day-first).
///
/// ```
/// use storyline_html::parse_date_text;
/// assert_eq!(parse_date_text("Veröffentlicht am 9. November 2023, 14:03 Uhr").unwrap().to_string(), "2023-11-09");
/// assert_eq!(parse_date_text("publié le 9 novembre 2023").unwrap().to_string(), "2023-11-09");
/// assert_eq!(parse_date_text("Stand: 09.11.2023").unwrap().to_string(), "2023-11-09");
/// ```
pub fn parse_date_text(text: &str) -> Option<NaiveDate> {
    let text: String = text.chars().take(2000).collect();
    let mut best: Option<(usize, NaiveDate)> = None;
    if let Some(re) = WORD_DATE.as_ref() {
        for c in re.captures_iter(&text) {
            let (d, m, y) = if let (Some(d), Some(m), Some(y)) =
                (c.name("d1"), c.name("m1"), c.name("y1"))
            {
                (d, m, y)
            } else if let (Some(d), Some(m), Some(y)) = (c.name("d2"), c.name("m2"), c.name("y2")) {
                (d, m, y)
            } else {
                continue;
            };
            let Some(month) = month_number(m.as_str()) else {
                continue;
            };
            let date =
                NaiveDate::from_ymd_opt(y.as_str().parse().ok()?, month, d.as_str().parse().ok()?);
            if let Some(date) = date {
                let at = c.get(0).map_or(0, |m| m.start());
                best = Some((at, date));
                break;
            }
        }
    }
    if let Some(re) = NUMERIC_DATE.as_ref() {
        for c in re.captures_iter(&text) {
            let at = c.get(0).map_or(0, |m| m.start());
            if best.is_some_and(|(b, _)| b < at) {
                break;
            }
            let parts = [("y1", "m1", "d1"), ("y2", "m2", "d2"), ("y3", "m3", "d3")];
            let date = parts.iter().find_map(|(y, m, d)| {
                let y: i32 = c.name(y)?.as_str().parse().ok()?;
                let m: u32 = c.name(m)?.as_str().parse().ok()?;
                let d: u32 = c.name(d)?.as_str().parse().ok()?;
                NaiveDate::from_ymd_opt(y, m, d)
            });
            if let Some(date) = date {
                best = Some((at, date));
                break;
            }
        }
    }
    best.map(|(_, d)| d)
}

/// Date-looking text in the page header: elements whose class or id says
/// date/time/published/meta, outside comments and teasers, before the end of
/// the article's first blocks or inside the article; then the first blocks of
/// the article ("Berlin, 9. November 2023 –").
fn visible_dates(page: &Page, now: NaiveDate) -> Vec<(String, String)> {
    let (dom, body) = (page.dom, page.body);
    let mut out = Vec::new();
    let limit = body.header_limit().unwrap_or(usize::MAX);
    for id in dom.descendants(ROOT) {
        let node = dom.node(id);
        if !node.is_element() || body.comment_zone[id] {
            continue;
        }
        if body.position[id] > limit && !body.in_article(id) {
            continue;
        }
        let words = node.attr("class").unwrap_or_default().to_ascii_lowercase()
            + " "
            + &node.attr("id").unwrap_or_default().to_ascii_lowercase();
        let datey = [
            "date",
            "time",
            "datum",
            "publish",
            "posted",
            "meta",
            "byline",
            "dateline",
            "zeit",
            "fecha",
            "data",
            "info",
            "submitted",
            "kicker",
            "topline",
            "author",
        ]
        .iter()
        .any(|k| words.contains(k));
        if !datey
            || words.contains("update")
            || page.in_teaser(id)
            || in_print_header(dom, id)
            || page.in_site_chrome(id)
        {
            continue;
        }
        let text = dom.text_spaced(id);
        if text.chars().count() > 200 {
            continue;
        }
        if let Some(d) = parse_date_text(&text).or_else(|| short_year_date(&text, now)) {
            out.push((
                d.to_string(),
                format!("visible date in <{}> near the headline", node.tag()),
            ));
            if out.len() >= 3 {
                break;
            }
        }
    }
    if out.is_empty() {
        out.extend(header_line_date(page, now));
    }
    if out.is_empty() {
        // Datelines open a block: "Berlin, 27.1.2022 - Bei der ...".
        for &i in body.chosen.iter().take(5) {
            let head: String = body.blocks[i].text.chars().take(40).collect();
            if let Some(d) = parse_date_text(&head) {
                out.push((
                    d.to_string(),
                    "dateline in the article's first lines".to_string(),
                ));
                break;
            }
        }
    }
    if out.is_empty() {
        out.extend(phrase_date(page, PUBLISHED_PHRASES, &PHRASE_RE));
    }
    out
}

static SHORT_YEAR_DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\d.])(\d{1,2})\.(\d{1,2})\.(\d{2})(?:$|[^\d.]|\.\D|\.$)").ok()
});

/// A day-first date with a two-digit year (`23.09.22`), read as the latest
/// century that does not put it after `now`. Only used on text that the
/// page marks as a date (class names, the header line).
fn short_year_date(text: &str, now: NaiveDate) -> Option<NaiveDate> {
    let text: String = text.chars().take(200).collect();
    let c = SHORT_YEAR_DATE.as_ref()?.captures(&text)?;
    let (d, m, y): (u32, u32, i32) = (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?);
    let year = if 2000 + y <= chrono::Datelike::year(&now) {
        2000 + y
    } else {
        1900 + y
    };
    NaiveDate::from_ymd_opt(year, m, d)
}

/// A short line holding a date just under the headline, whatever its class
/// ("Handball Schweiz • 02.02.2022", "Pressemitteilung vom 20.01.2022"):
/// elements from the headline to the end of the article's header, whose own
/// text is at most 80 characters.
fn header_line_date(page: &Page, now: NaiveDate) -> Option<(String, String)> {
    let (dom, body) = (page.dom, page.body);
    let limit = body.header_limit()?;
    let first = *body.chosen.first()?;
    let first_pos = body.position[body.blocks[first].node];
    // Start at the headline, or at the article's first block when there is
    // none in the header; include the one or two short lines just above the
    // headline, where sites put "kicker | date" lines.
    let start = match page.headline.filter(|&h| body.position[h] <= limit) {
        Some(h) => {
            let mut start = body.position[h];
            if let Some(parent) = dom.node(h).parent {
                let siblings = &dom.node(parent).children;
                let at = siblings.iter().position(|&c| c == h).unwrap_or(0);
                for &sib in siblings[..at]
                    .iter()
                    .rev()
                    .filter(|&&c| dom.node(c).is_element())
                    .take(2)
                {
                    if dom.text_of(sib).chars().count() > 80 {
                        break;
                    }
                    start = body.position[sib];
                }
            }
            start
        }
        None => first_pos,
    };
    for id in dom.descendants(ROOT) {
        let pos = body.position[id];
        if pos < start {
            continue;
        }
        if pos > limit {
            break;
        }
        let node = dom.node(id);
        if !node.is_element()
            || body.comment_zone[id]
            || matches!(node.tag(), "h1" | "h2" | "a")
            || body.subtree_end[id] - pos > 24
            || node
                .attr("itemprop")
                .is_some_and(|p| p.to_ascii_lowercase().contains("modified"))
        {
            continue;
        }
        let text = dom.text_spaced(id);
        let chars = text.chars().count();
        if chars == 0 || chars > 80 || page.in_teaser(id) || page.in_site_chrome(id) {
            continue;
        }
        let lower = text.to_lowercase();
        if ["update", "aktualisiert", "geändert", "modifi", "stand:"]
            .iter()
            .any(|k| lower.contains(k))
        {
            continue;
        }
        if let Some(d) = parse_date_text(&text).or_else(|| short_year_date(&text, now)) {
            return Some((
                d.to_string(),
                format!("visible date in <{}> under the headline", node.tag()),
            ));
        }
    }
    None
}

/// Words that announce the publication date in running text.
const PUBLISHED_PHRASES: &[&str] = &[
    "veröffentlicht am",
    "veröffentlicht:",
    "erschienen am",
    "erschienen:",
    "gepostet",
    "geschrieben am",
    "published on",
    "published:",
    "posted on",
    "publié le",
    "publicado el",
    "pubblicato il",
    "mise en ligne",
    "date de publication",
    "fecha de publicación",
    "data di pubblicazione",
    "publication date",
    "date published",
    "erscheinungsdatum",
    "veröffentlichungsdatum",
];

static PHRASE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| phrase_regex(PUBLISHED_PHRASES));

/// Words that announce the last change, for pages that state nothing else.
const MODIFIED_PHRASES: &[&str] = &[
    "zuletzt geändert",
    "zuletzt am",
    "zuletzt bearbeitet",
    "zuletzt aktualisiert",
    "letzte änderung",
    "aktualisiert am",
    "last edited",
    "last modified",
    "last updated",
    "dernière mise à jour",
    "última actualización",
];

static MODIFIED_PHRASE_RE: LazyLock<Option<Regex>> =
    LazyLock::new(|| phrase_regex(MODIFIED_PHRASES));

fn phrase_regex(phrases: &[&str]) -> Option<Regex> {
    let alternatives: Vec<String> = phrases.iter().map(|p| regex::escape(p)).collect();
    Regex::new(&format!("(?i){}", alternatives.join("|"))).ok()
}

/// A date announced by a phrase ("Erschienen am: 01.11.2023", "… wurde am
/// 19. Mai 2010 um 23:03 Uhr gepostet") anywhere outside the comments: the
/// last resort for pages that put the date in a post footer.
fn phrase_date(page: &Page, phrases: &[&str], re: &Option<Regex>) -> Option<(String, String)> {
    let (dom, body) = (page.dom, page.body);
    for id in dom.descendants(ROOT) {
        let crate::dom::Kind::Text(t) = &dom.node(id).kind else {
            continue;
        };
        if t.len() > 2000 || body.comment_zone[id] {
            continue;
        }
        // One case-insensitive scan; lowercase copies only for the hits.
        if !re.as_ref().is_some_and(|re| re.is_match(t)) {
            continue;
        }
        let lower = t.to_lowercase();
        let Some(phrase) = phrases.iter().find(|p| lower.contains(*p)) else {
            continue;
        };
        // The date may sit in a sibling element: read the enclosing block's
        // text (past inline wrappers such as <b>).
        let mut parent = dom.node(id).parent.unwrap_or(id);
        for _ in 0..3 {
            let n = dom.node(parent);
            if !matches!(
                n.tag(),
                "a" | "b" | "strong" | "em" | "i" | "span" | "small" | "nobr" | "font" | "time"
            ) {
                break;
            }
            match n.parent {
                Some(p) => parent = p,
                None => break,
            }
        }
        let text = if body.subtree_end[parent] - body.position[parent] <= 40 {
            dom.text_of(parent)
        } else {
            t.clone()
        };
        let lower = text.to_lowercase();
        let Some(at) = lower.find(phrase) else {
            continue;
        };
        // Only the date next to the phrase: before it ("am 19. Mai 2010 …
        // gepostet") or just after it.
        let from = lower[..at]
            .char_indices()
            .rev()
            .nth(60)
            .map_or(0, |(i, _)| i);
        let to = lower[at..]
            .char_indices()
            .nth(phrase.chars().count() + 40)
            .map_or(lower.len(), |(i, _)| at + i);
        let modified = |w: &str| {
            ["aktualisiert", "update", "geändert", "änderung", "modifi"]
                .iter()
                .any(|k| w.contains(k))
        };
        let after = &lower[at + phrase.len()..to];
        let before = &lower[from..at];
        let found = parse_date_text(after).or_else(|| {
            (!modified(before))
                .then(|| parse_date_text(before))
                .flatten()
        });
        // A label whose value is the next element ("<dt>Mise en ligne</dt>
        // <dd>23 mai 2019</dd>").
        let found = found.or_else(|| {
            if text.chars().count() > phrase.chars().count() + 4 {
                return None;
            }
            let parent_of = dom.node(parent).parent?;
            let siblings = &dom.node(parent_of).children;
            let at = siblings.iter().position(|&c| c == parent)?;
            let next = siblings[at + 1..]
                .iter()
                .copied()
                .find(|&c| dom.node(c).is_element())?;
            let value = dom.text_of(next);
            (value.chars().count() <= 60)
                .then(|| parse_date_text(&value))
                .flatten()
        });
        if let Some(d) = found {
            return Some((d.to_string(), format!("date next to \"{phrase}\"")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        parse_date_text(s).map(|d| d.to_string())
    }

    #[test]
    fn written_dates_in_several_languages() {
        assert_eq!(d("9. November 2023").as_deref(), Some("2023-11-09"));
        assert_eq!(d("Donnerstag, 9. Nov. 2023").as_deref(), Some("2023-11-09"));
        assert_eq!(d("9 de noviembre de 2023").as_deref(), Some("2023-11-09"));
        assert_eq!(d("November 9th, 2023").as_deref(), Some("2023-11-09"));
        assert_eq!(d("9 listopada 2023").as_deref(), Some("2023-11-09"));
        assert_eq!(d("09.11.2023 | 14:03").as_deref(), Some("2023-11-09"));
        assert_eq!(d("2023-11-09").as_deref(), Some("2023-11-09"));
        assert_eq!(d("31. Februar 2023"), None);
        assert_eq!(d("Seite 12 von 2023"), None);
    }

    #[test]
    fn url_dates() {
        assert_eq!(
            date_in_url("https://x.de/2022/12/01/slug/").as_deref(),
            Some("2022-12-01")
        );
        assert_eq!(
            date_in_url("https://x.se/20200428/slug").as_deref(),
            Some("2020-04-28")
        );
        assert_eq!(
            date_in_url("https://x.de/posts/2019-12-22-firefox").as_deref(),
            Some("2019-12-22")
        );
        assert_eq!(
            date_in_url("https://web.archive.org/web/20130307194448/the-pain.net/2008/05/x.html"),
            None
        );
        assert_eq!(date_in_url("https://x.com/item/12345678"), None);
        assert_eq!(
            date_in_url("https://x.com/home/2017/7/12/a-walk").as_deref(),
            Some("2017-07-12")
        );
        assert_eq!(
            date_in_url("https://x.org/notes/press/04-03-2021").as_deref(),
            Some("2021-03-04")
        );
    }

    #[test]
    fn two_digit_years() {
        let now = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default();
        let d = |s: &str| short_year_date(s, now).map(|d| d.to_string());
        assert_eq!(d("Posted 23.09.22").as_deref(), Some("2022-09-23"));
        assert_eq!(d("4.5.99").as_deref(), Some("1999-05-04"));
        assert_eq!(d("Version 1.2.3.4"), None);
        assert_eq!(d("12.10.2023"), None);
    }

    fn page(html: &str, url: Option<&str>) -> crate::ExtractedPage {
        let mut opts = ExtractOptions::new(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default());
        opts.url = url.map(str::to_string);
        match crate::extract(html.as_bytes(), &opts) {
            Ok(p) => p,
            Err(e) => panic!("{e}"),
        }
    }

    const PROSE: &str = "<p>The council met on a wet evening, and the members argued, at length, about the bridge, the budget and the bus lanes.</p>";

    #[test]
    fn date_line_under_the_headline_without_a_date_class() {
        let html = format!(
            "<html><body><div class=\"wrap\"><h1>Bridge vote delayed again</h1><p class=\"sub\">Town Hall Desk &bull; 14.03.2022</p>{}</div></body></html>",
            PROSE.repeat(4)
        );
        let p = page(&html, None);
        assert_eq!(
            p.published.value.map(|t| t.date.to_string()).as_deref(),
            Some("2022-03-14")
        );
    }

    #[test]
    fn url_agreeing_with_metadata_outvotes_the_header() {
        let html = format!(
            "<html><head><meta property=\"article:published_time\" content=\"2023-05-02T09:00:00+02:00\"></head><body><article><div class=\"date\">3. Mai 2023</div><h1>Bridge vote delayed</h1>{}</article></body></html>",
            PROSE.repeat(4)
        );
        let p = page(&html, Some("https://news.example/2023/05/02/bridge-vote/"));
        assert_eq!(
            p.published.value.map(|t| t.date.to_string()).as_deref(),
            Some("2023-05-02")
        );
        // Without the URL the header wins, as before.
        let p = page(&html, None);
        assert_eq!(
            p.published.value.map(|t| t.date.to_string()).as_deref(),
            Some("2023-05-03")
        );
    }

    #[test]
    fn utc_metadata_one_day_off_the_url_is_a_time_zone_shift() {
        let html = format!(
            "<html><head><meta property=\"article:published_time\" content=\"2018-12-31T23:10:00+00:00\"></head><body><article><h1>New year</h1>{}</article></body></html>",
            PROSE.repeat(4)
        );
        let p = page(&html, Some("https://blog.example/2019/01/01/new-year/"));
        assert_eq!(
            p.published.value.map(|t| t.date.to_string()).as_deref(),
            Some("2019-01-01")
        );
        assert!(p
            .date_candidates
            .iter()
            .any(|c| c.rejected_because.contains("time-zone")));
        // A local offset already gives the local day: the metadata stands.
        let html = html
            .replace("+00:00", "+01:00")
            .replace("23:10", "00:10")
            .replace("2018-12-31", "2019-01-02");
        let p = page(&html, Some("https://blog.example/2019/01/01/new-year/"));
        assert_eq!(
            p.published.value.map(|t| t.date.to_string()).as_deref(),
            Some("2019-01-02")
        );
    }

    #[test]
    fn published_phrase_in_a_post_footer() {
        let html = format!(
            "<html><body><div class=\"post\"><h2>Notes from the allotment</h2>{}<p class=\"small\">This entry was written and <b>published on</b> <span>12 April 2011</span>.</p></div><div class=\"comments\"><p>Posted on 13 April 2011 by a reader</p></div></body></html>",
            PROSE.repeat(4)
        );
        let p = page(&html, None);
        assert_eq!(
            p.published.value.map(|t| t.date.to_string()).as_deref(),
            Some("2011-04-12")
        );
    }

    #[test]
    fn print_header_dates_are_ignored() {
        let html = format!(
            "<html><head><meta property=\"article:published_time\" content=\"2022-12-26T10:00:00+01:00\"></head><body><header class=\"print-header\"><span class=\"date\">02.01.23</span></header><article><h1>Winter soup</h1>{}</article></body></html>",
            PROSE.repeat(4)
        );
        let p = page(&html, None);
        assert_eq!(
            p.published.value.map(|t| t.date.to_string()).as_deref(),
            Some("2022-12-26")
        );
    }

    fn day(p: &crate::ExtractedPage) -> Option<String> {
        p.published.value.map(|t| t.date.to_string())
    }

    #[test]
    fn todays_date_in_the_site_header_is_not_the_article_date() {
        let html = format!(
            "<html><body><header class=\"top\"><nav><a href=\"/\">Home</a> <a href=\"/arts\">Arts</a></nav><span class=\"datetime\"><time datetime=\"2023-11-01\">Wednesday, 1 November 2023</time></span></header><div class=\"main\"><h1>Glitter and grief</h1><p><span class=\"text_datum\">31 October 2023.</span> An essay.</p>{}</div></body></html>",
            PROSE.repeat(4)
        );
        assert_eq!(day(&page(&html, None)).as_deref(), Some("2023-10-31"));
        // Pages without an <h1> title the article with an <h2>.
        let html = html.replace("h1>", "h2>");
        assert_eq!(day(&page(&html, None)).as_deref(), Some("2023-10-31"));
    }

    #[test]
    fn teaser_class_on_the_article_header_itself_is_not_a_teaser() {
        let html = format!(
            "<html><body><ul class=\"menu\"><li><a href=\"/a\">Teams</a></li></ul><section class=\"news\"><figure class=\"teaser\"><img src=\"x.jpg\"><div class=\"info\"><span class=\"date\">02.02.2022</span></div><h1>Camp called off again</h1><p>The squad will next meet in March, the federation said on Wednesday, after talks.</p></figure>{}</section></body></html>",
            PROSE.repeat(4)
        );
        assert_eq!(day(&page(&html, None)).as_deref(), Some("2022-02-02"));
    }

    #[test]
    fn related_article_cards_and_meta_asides() {
        // The card of another article (class on the <article> itself) is
        // skipped; an aside that only holds this article's date is read.
        let html = format!(
            "<html><body><article class=\"story\"><h1>Bridge vote delayed</h1><aside class=\"meta\"><time itemprop=\"datePublished\" datetime=\"2023-10-18\">18 Oct 2023</time> <a href=\"https://x.example/share\">Share</a> <a href=\"https://x.example/tw\">Tweet</a> <a href=\"https://x.example/mail\">Mail</a></aside>{}</article><section><article class=\"related-teaser\"><time itemprop=\"dateCreated\" datetime=\"2023-10-10\">10 Oct</time><h2>Older story</h2></article></section></body></html>",
            PROSE.repeat(4)
        );
        assert_eq!(day(&page(&html, None)).as_deref(), Some("2023-10-18"));
    }

    #[test]
    fn date_line_just_above_the_headline() {
        let html = format!(
            "<html><body><div class=\"content\"><div><small>04.02.2022 | 13:10 Uhr | Jane Roe</small><h1>Statement on the pilot year</h1></div>{}</div></body></html>",
            PROSE.repeat(4)
        );
        assert_eq!(day(&page(&html, None)).as_deref(), Some("2022-02-04"));
    }

    #[test]
    fn header_dates_that_all_differ_are_a_list_not_a_header() {
        let html = format!(
            "<html><head><meta property=\"article:published_time\" content=\"2022-02-04T09:55:00+01:00\"></head><body><article><h1>Two upsets in one day</h1><div><span class=\"date\">01.02.2022</span></div><div><span class=\"date\">30.01.2022</span></div><div><span class=\"date\">31.01.2022</span></div>{}</article></body></html>",
            PROSE.repeat(4)
        );
        assert_eq!(day(&page(&html, None)).as_deref(), Some("2022-02-04"));
    }

    #[test]
    fn url_date_far_from_the_metadata_keeps_the_original_day() {
        let html = format!(
            "<html><head><script type=\"application/ld+json\">{{\"@type\":\"BlogPosting\",\"datePublished\":\"2019-06-17T18:28:00+02:00\"}}</script></head><body><article><h1>A walk by the sea</h1>{}</article></body></html>",
            PROSE.repeat(4)
        );
        let p = page(&html, Some("https://blog.example/home/2017/7/12/a-walk"));
        assert_eq!(day(&p).as_deref(), Some("2017-07-12"));
        assert!(p
            .date_candidates
            .iter()
            .any(|c| c.rejected_because.contains("re-publication")));
    }

    #[test]
    fn only_a_last_edited_date_is_kept_as_an_inference() {
        let html = format!(
            "<html><body><div id=\"content\"><h1>Meetup</h1>{}</div><div id=\"footer\"><p>This page was last edited 2019-11-10 13:28 by a volunteer.</p></div></body></html>",
            PROSE.repeat(4)
        );
        let p = page(&html, None);
        assert_eq!(day(&p).as_deref(), Some("2019-11-10"));
        assert_eq!(p.published.provenance, DateProvenance::Inferred);
        assert!(p.published.confidence < 1.0);
        // Metadata modification dates count the same way.
        let html = format!(
            "<html><head><meta property=\"article:modified_time\" content=\"2020-01-05T11:00:00Z\"></head><body><article><h1>Trolls</h1>{}</article></body></html>",
            PROSE.repeat(4)
        );
        let p = page(&html, None);
        assert_eq!(day(&p).as_deref(), Some("2020-01-05"));
        assert_eq!(p.published.provenance, DateProvenance::Inferred);
    }

    #[test]
    fn this_pages_entry_in_a_list_of_posts() {
        let html = format!(
            "<html><body><div class=\"post\"><h1>Election notes</h1>{}</div><section class=\"widget\"><h3>Recent posts</h3><ul><li><a href=\"http://www.blog.example/notes/election-notes/\">Election notes</a> <span class=\"post-date\">26/10/2018</span></li><li><a href=\"/notes/older/\">Older</a> <span class=\"post-date\">01/10/2018</span></li></ul></section></body></html>",
            PROSE.repeat(4)
        );
        let p = page(&html, Some("http://www.blog.example/notes/election-notes/"));
        assert_eq!(day(&p).as_deref(), Some("2018-10-26"));
    }

    #[test]
    fn date_parts_in_separate_elements() {
        let html = format!(
            "<html><body><div class=\"title-container\"><h1>Notes on a letter</h1><div class=\"date\"><span class=\"month\">Apr</span> <span class=\"day\">04</span><span class=\"year\">2013</span></div></div><div class=\"entry\">{}</div></body></html>",
            PROSE.repeat(4)
        );
        assert_eq!(day(&page(&html, None)).as_deref(), Some("2013-04-04"));
    }

    #[test]
    fn malformed_times_and_more_month_names() {
        assert_eq!(
            parse_any("2022-01-10T22:06:08:684Z").map(|t| t.date.to_string()),
            Some("2022-01-10".to_string())
        );
        assert_eq!(d("15 августа 2016, 13:43").as_deref(), Some("2016-08-15"));
        assert_eq!(d("3 березня 2021").as_deref(), Some("2021-03-03"));
    }

    #[test]
    fn published_label_with_the_date_in_the_next_element() {
        let html = format!(
            "<html><body><div class=\"show\"><h1>The voice of beginners</h1>{}<ul><li><p class=\"title\">Mise en ligne</p><p class=\"content\">23 mai 2019</p></li></ul></div></body></html>",
            PROSE.repeat(4)
        );
        assert_eq!(day(&page(&html, None)).as_deref(), Some("2019-05-23"));
    }
}
