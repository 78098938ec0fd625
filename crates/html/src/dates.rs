//! Published and modified dates, with provenance.
//!
//! Sources are tried from most to least trustworthy: JSON-LD, `<meta>` tags,
//! `itemprop`/`<time>` elements in the article header, the URL path, then
//! date-looking text near the headline. The first date that parses and is in
//! range wins; every other date seen is kept as a [`DateCandidate`] with the
//! reason it lost. Dates in comment sections are never used.

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
        } else if in_teaser(dom, id) {
            Some("in a teaser, related-links or sidebar block: another article's date")
        } else if is_time && prop.is_empty() && !time_in_header(body, id) {
            Some("<time> after the article's start, not in its header")
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
    for (raw, evidence) in visible_dates(dom, body, opts.now) {
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
    let shown = seen.iter().find_map(|s| {
        if s.veto.is_some() || !s.evidence.starts_with("visible date") {
            return None;
        }
        let t = parse_any(&s.raw)?;
        (!t.is_after(opts.now) && t.utc_date() >= min_date()).then_some((t, s))
    });
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
    let published = match published {
        Some((t, s)) => {
            let mut p = PublishedDate::stated(t, s.provenance, s.evidence.clone());
            if s.provenance == DateProvenance::Dateline {
                p.confidence = 0.9;
            }
            p
        }
        None => PublishedDate::unknown(),
    };
    Dates {
        published,
        modified,
        rejected,
    }
}

fn min_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1990, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// Whether an element sits in a block that lists other articles.
fn in_teaser(dom: &Dom, id: NodeId) -> bool {
    // Near ancestors only: page wrappers carry classes like "has-sidebar".
    let near = std::iter::once(id)
        .chain(dom.ancestors(id))
        .take(8)
        .take_while(|&a| !matches!(dom.node(a).tag(), "article" | "main" | "body" | "html"));
    near.into_iter().any(|a| {
        let n = dom.node(a);
        // Not <footer>: CMSs put the article's own "submitted" line there.
        if matches!(n.tag(), "aside" | "nav") {
            return true;
        }
        let c = format!(
            "{} {}",
            n.attr("class").unwrap_or_default(),
            n.attr("id").unwrap_or_default()
        )
        .to_ascii_lowercase();
        [
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
    })
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
    parse_date_text(raw).map(Timestamp::from_date)
}

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
fn visible_dates(dom: &Dom, body: &Body, now: NaiveDate) -> Vec<(String, String)> {
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
        if !datey || words.contains("update") || in_teaser(dom, id) || in_print_header(dom, id) {
            continue;
        }
        let text = dom.text_of(id);
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
        out.extend(header_line_date(dom, body, now));
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
        out.extend(phrase_date(dom, body));
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
fn header_line_date(dom: &Dom, body: &Body, now: NaiveDate) -> Option<(String, String)> {
    let limit = body.header_limit()?;
    let first = *body.chosen.first()?;
    let first_pos = body.position[body.blocks[first].node];
    // Start at the headline: the last <h1> before the end of the header,
    // else the article's first block.
    let start = body
        .blocks
        .iter()
        .rev()
        .filter(|b| b.kind == crate::content::BlockKind::Heading(1))
        .map(|b| body.position[b.node])
        .find(|&p| p <= limit)
        .unwrap_or(first_pos);
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
        let text = dom.text_of(id);
        let chars = text.chars().count();
        if chars == 0 || chars > 80 || in_teaser(dom, id) {
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
];

static PHRASE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let alternatives: Vec<String> = PUBLISHED_PHRASES.iter().map(|p| regex::escape(p)).collect();
    Regex::new(&format!("(?i){}", alternatives.join("|"))).ok()
});

/// A date announced by a phrase ("Erschienen am: 01.11.2023", "… wurde am
/// 19. Mai 2010 um 23:03 Uhr gepostet") anywhere outside the comments: the
/// last resort for pages that put the date in a post footer.
fn phrase_date(dom: &Dom, body: &Body) -> Option<(String, String)> {
    for id in dom.descendants(ROOT) {
        let crate::dom::Kind::Text(t) = &dom.node(id).kind else {
            continue;
        };
        if t.len() > 2000 || body.comment_zone[id] {
            continue;
        }
        // One case-insensitive scan; lowercase copies only for the hits.
        if !PHRASE_RE.as_ref().is_some_and(|re| re.is_match(t)) {
            continue;
        }
        let lower = t.to_lowercase();
        let Some(phrase) = PUBLISHED_PHRASES.iter().find(|p| lower.contains(*p)) else {
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
}
