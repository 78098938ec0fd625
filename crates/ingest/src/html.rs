//! HTML pages (files, URLs, WARC payloads, pages linked from feeds) go to
//! `storyline-html`, which finds the main text and metadata; this module
//! turns its result into a [`RawArticle`] so the shared date rules apply.

use chrono::NaiveDate;
use storyline_core::{DateCandidate, InputFormat, Location};

use crate::draft::{RawArticle, StatedDate};
use crate::Ctx;

/// Where a page came from.
pub(crate) struct HtmlSource {
    pub location: Location,
    pub url: Option<String>,
    pub content_type: Option<String>,
    pub format: InputFormat,
    /// The latest date the page can have besides `now` (a WARC crawl date).
    pub not_after: Option<NaiveDate>,
    pub extra_candidates: Vec<DateCandidate>,
}

/// Extracts a page into a raw article, or says why not.
pub(crate) fn extract_page(
    ctx: &Ctx<'_>,
    bytes: &[u8],
    src: HtmlSource,
) -> Result<RawArticle, String> {
    let now = match src.not_after {
        Some(b) if b < ctx.opts.now => b,
        _ => ctx.opts.now,
    };
    let opts = storyline_html::ExtractOptions {
        url: src.url.clone(),
        http_content_type: src.content_type.clone(),
        now,
    };
    let page = storyline_html::extract(bytes, &opts)
        .map_err(|e| format!("no article found in the page: {e}"))?;
    let mut raw = RawArticle::new(page.text, src.location, src.format);
    raw.is_web = true;
    raw.title = page.title;
    raw.authors = page.authors;
    raw.published = Some(page.published);
    raw.modified = page.modified;
    raw.date_candidates = page.date_candidates;
    raw.date_candidates.extend(src.extra_candidates);
    raw.source = page.site_name;
    raw.language = page.language;
    raw.url = src.url.or_else(|| page.canonical_url.clone());
    raw.canonical_url = page.canonical_url;
    raw.not_after = src.not_after;
    Ok(raw)
}

pub(crate) fn read_html(ctx: &mut Ctx<'_>, bytes: &[u8], src: HtmlSource) {
    let loc = src.location.clone();
    match extract_page(ctx, bytes, src) {
        Ok(raw) => ctx.finish(raw),
        Err(reason) => ctx.skip(loc, reason),
    }
}

/// Adds a fallback date (from a feed item) to an extracted page.
pub(crate) fn add_fallback_date(raw: &mut RawArticle, date: Option<StatedDate>) {
    if let Some(d) = date {
        raw.stated_dates.push(d);
    }
}
