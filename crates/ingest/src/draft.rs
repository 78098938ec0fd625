//! Turning what a reader found into an [`ArticleDraft`]: one place that
//! cleans text, takes a byline and dateline off the head of the text, picks
//! the published date by order of trust, and fills source and language.
//!
//! Every reader (text, records, feeds, HTML, WARC) goes through [`finish`], so
//! the date rules hold the same way for every input: stated dates are
//! checked against `now` (and a WARC crawl date), rejected ones are kept as
//! [`DateCandidate`]s with a warning, and a date is inferred from the text
//! only when nothing states one.

use chrono::NaiveDate;
use storyline_core::{
    ArticleDraft, DateCandidate, DateProvenance, InputFormat, Location, Origin, Problem,
    PublishedDate, Timestamp,
};

use crate::meta::{self, agency_name};
use crate::{Event, IngestOptions};

/// A date as the input states it, before it is parsed and checked.
#[derive(Clone, Debug)]
pub(crate) struct StatedDate {
    pub raw: String,
    pub provenance: DateProvenance,
    pub evidence: String,
}

/// What a reader knows about one article.
#[derive(Clone, Debug)]
pub(crate) struct RawArticle {
    pub text: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub canonical_url: Option<String>,
    pub source: Option<String>,
    pub authors: Vec<String>,
    /// Stated dates, most trusted first.
    pub stated_dates: Vec<StatedDate>,
    /// A date already chosen by the HTML extractor.
    pub published: Option<PublishedDate>,
    pub modified: Option<Timestamp>,
    /// The stated language tag.
    pub language: Option<String>,
    pub date_candidates: Vec<DateCandidate>,
    pub location: Location,
    pub format: InputFormat,
    /// Web pages get the "not before 1990" date rule.
    pub is_web: bool,
    /// The latest date the article can carry besides `now` (a WARC crawl date).
    pub not_after: Option<NaiveDate>,
}

impl RawArticle {
    pub(crate) fn new(text: String, location: Location, format: InputFormat) -> RawArticle {
        RawArticle {
            text,
            title: None,
            url: None,
            canonical_url: None,
            source: None,
            authors: Vec::new(),
            stated_dates: Vec::new(),
            published: None,
            modified: None,
            language: None,
            date_candidates: Vec::new(),
            location,
            format,
            is_web: matches!(
                format,
                InputFormat::Html | InputFormat::Feed | InputFormat::Warc
            ),
            not_after: None,
        }
    }
}

/// Cleans text for storage: LF line ends, no NULs or other control
/// characters, no trailing spaces, at most one blank line in a row. Returns
/// the text and how many control characters were removed.
pub(crate) fn clean_text(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut removed = 0usize;
    let mut blank_run = 0usize;
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    for line in text.split('\n') {
        let mut clean = String::with_capacity(line.len());
        for c in line.chars() {
            if c == '\t' || !(c.is_control() || c == '\u{FEFF}') {
                clean.push(c);
            } else {
                removed += 1;
            }
        }
        let clean = clean.trim_end();
        if clean.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
            if blank_run > 0 {
                out.push('\n');
            }
        }
        blank_run = 0;
        out.push_str(clean);
    }
    let trimmed = out.trim_start();
    if trimmed.len() != out.len() {
        out = trimmed.to_string();
    }
    (out, removed)
}

/// Collapses runs of whitespace (for titles, names).
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(crate) fn host_of(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let host = u.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// Parses a date value from metadata: any format [`Timestamp::parse`] reads,
/// or Unix epoch seconds / milliseconds as digits.
pub(crate) fn parse_date_value(raw: &str) -> Option<Timestamp> {
    let s = raw.trim();
    if let Ok(t) = Timestamp::parse(s) {
        return Some(t);
    }
    if (9..=13).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        let secs = if s.len() >= 12 { n / 1000 } else { n };
        let dt = chrono::DateTime::from_timestamp(secs, 0)?;
        return Some(Timestamp {
            date: dt.date_naive(),
            time: Some(dt.time()),
            offset_seconds: Some(0),
        });
    }
    None
}

/// Builds the draft and sends it (and any warnings) to `sink`. An article
/// with no text is reported as skipped instead.
pub(crate) fn finish(raw: RawArticle, opts: &IngestOptions, sink: &mut dyn FnMut(Event)) {
    let loc = raw.location.clone();
    match build(raw, opts) {
        Ok((draft, warnings)) => {
            for w in warnings {
                sink(Event::Problem(w));
            }
            sink(Event::Article(Box::new(draft)));
        }
        Err(reason) => sink(Event::Problem(Problem::skipped(loc, reason))),
    }
}

fn build(raw: RawArticle, opts: &IngestOptions) -> Result<(ArticleDraft, Vec<Problem>), String> {
    let mut warnings = Vec::new();
    let (mut text, removed) = clean_text(&raw.text);
    if removed > 0 {
        warnings.push(Problem::warning(
            raw.location.clone(),
            format!("removed {removed} control character(s) such as NUL from the text"),
        ));
    }

    // Byline at the head of the text.
    let mut authors: Vec<String> = raw
        .authors
        .iter()
        .map(|a| one_line(a))
        .filter(|a| !a.is_empty())
        .collect();
    let mut byline_agency = None;
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if let Some(b) = meta::parse_byline_detail(&text[..first_line_end]) {
        if authors.is_empty() {
            authors = b.authors;
        }
        byline_agency = b.agency;
        text = text[first_line_end..].trim_start().to_string();
    }
    let mut seen = std::collections::HashSet::new();
    authors.retain(|a| seen.insert(a.to_lowercase()));

    if text.trim().is_empty() {
        return Err("no article text".to_string());
    }

    let dateline = meta::find_dateline(&text);

    let url = raw
        .url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(str::to_string);
    let now = match raw.not_after {
        Some(bound) if bound < opts.now => bound,
        _ => opts.now,
    };
    let mut candidates = raw.date_candidates;
    let loc = raw.location.clone();
    let reject = |candidates: &mut Vec<DateCandidate>,
                  warnings: &mut Vec<Problem>,
                  raw_text: &str,
                  provenance: DateProvenance,
                  evidence: &str,
                  why: String| {
        warnings.push(Problem::warning(
            loc.clone(),
            format!("{provenance} date {raw_text:?} ({evidence}) not used: {why}"),
        ));
        candidates.push(DateCandidate {
            raw: raw_text.to_string(),
            provenance,
            evidence: evidence.to_string(),
            rejected_because: why,
        });
    };

    let mut published: Option<PublishedDate> = None;
    if let Some(p) = raw.published.filter(|p| p.value.is_some()) {
        if let Some(v) = p.value {
            match meta::check_date(v, now, raw.is_web) {
                Ok(_) => published = Some(p),
                Err(why) => {
                    let ev = p.evidence.clone().unwrap_or_default();
                    reject(
                        &mut candidates,
                        &mut warnings,
                        &v.to_string(),
                        p.provenance,
                        &ev,
                        why,
                    );
                }
            }
        }
    }
    for sd in &raw.stated_dates {
        if published.is_some() {
            break;
        }
        match parse_date_value(&sd.raw) {
            None => reject(
                &mut candidates,
                &mut warnings,
                &sd.raw,
                sd.provenance,
                &sd.evidence,
                "not a date storyline can read".to_string(),
            ),
            Some(ts) => match meta::check_date(ts, now, raw.is_web) {
                Ok(ts) => {
                    published = Some(PublishedDate::stated(
                        ts,
                        sd.provenance,
                        sd.evidence.clone(),
                    ))
                }
                Err(why) => reject(
                    &mut candidates,
                    &mut warnings,
                    &sd.raw,
                    sd.provenance,
                    &sd.evidence,
                    why,
                ),
            },
        }
    }
    if published.is_none() {
        if let Some(d) = &dateline {
            if let Some(date_text) = &d.date_text {
                let evidence = format!(
                    "dateline: {}",
                    d.span.slice(&text).unwrap_or(date_text.as_str())
                );
                let has_year = date_text.len() >= 4
                    && date_text
                        .as_bytes()
                        .windows(4)
                        .any(|w| w.iter().all(u8::is_ascii_digit));
                let year = if has_year {
                    None
                } else {
                    url.as_deref().and_then(meta::year_from_url)
                };
                let resolved = if has_year {
                    Timestamp::parse(date_text).ok()
                } else {
                    year.and_then(|y| Timestamp::parse(&format!("{date_text} {y}")).ok())
                };
                match resolved {
                    Some(ts) => match meta::check_date(ts, now, raw.is_web) {
                        Ok(ts) => {
                            let ev = match year {
                                Some(y) => format!("{evidence} (year {y} from the URL)"),
                                None => evidence,
                            };
                            published = Some(PublishedDate::stated(ts, DateProvenance::Dateline, ev))
                        }
                        Err(why) => {
                            reject(&mut candidates, &mut warnings, date_text, DateProvenance::Dateline, &evidence, why)
                        }
                    },
                    None => candidates.push(DateCandidate {
                        raw: date_text.clone(),
                        provenance: DateProvenance::Dateline,
                        evidence,
                        rejected_because: "the dateline gives no year and nothing else states one; a year is not guessed".to_string(),
                    }),
                }
            }
        }
    }
    if published.is_none() {
        if let Some((ts, ev)) = url.as_deref().and_then(meta::date_from_url) {
            match meta::check_date(ts, now, raw.is_web) {
                Ok(ts) => {
                    published = Some(PublishedDate::stated(
                        ts,
                        DateProvenance::Url,
                        format!("url path {ev}"),
                    ))
                }
                Err(why) => reject(
                    &mut candidates,
                    &mut warnings,
                    &ts.to_string(),
                    DateProvenance::Url,
                    &ev,
                    why,
                ),
            }
        }
    }
    if published.is_none() {
        published = meta::infer_date_from_text(&text, now);
    }

    let source = raw
        .source
        .as_deref()
        .map(one_line)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            dateline
                .as_ref()
                .and_then(|d| d.agency.as_deref())
                .map(|a| agency_name(a).unwrap_or(a).to_string())
        })
        .or(byline_agency)
        .or_else(|| url.as_deref().and_then(host_of))
        .or_else(|| raw.canonical_url.as_deref().and_then(host_of));

    let language = raw
        .language
        .as_deref()
        .and_then(meta::normalize_lang)
        .or_else(|| meta::detect_language(&text));

    let mut draft = ArticleDraft::new(String::new());
    draft.title = raw.title.as_deref().map(one_line).filter(|t| !t.is_empty());
    draft.url = url;
    draft.canonical_url = raw
        .canonical_url
        .filter(|c| Some(c) != draft.url.as_ref() && !c.trim().is_empty());
    draft.source = source;
    draft.authors = authors;
    draft.dateline = dateline;
    draft.set_published(published.unwrap_or_default());
    draft.modified = raw.modified;
    draft.language = language;
    draft.date_candidates = candidates;
    draft.origin = Origin {
        location: raw.location,
        format: raw.format,
    };
    draft.text = text;
    Ok((draft, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> IngestOptions {
        IngestOptions {
            now: NaiveDate::from_ymd_opt(2023, 11, 13).unwrap(),
            ..IngestOptions::default()
        }
    }

    fn run(raw: RawArticle) -> (Vec<ArticleDraft>, Vec<Problem>) {
        let mut arts = Vec::new();
        let mut probs = Vec::new();
        finish(raw, &opts(), &mut |e| match e {
            Event::Article(a) => arts.push(*a),
            Event::Problem(p) => probs.push(p),
        });
        (arts, probs)
    }

    #[test]
    fn clean_text_normalises() {
        let (t, removed) = clean_text("\r\n  Hello\0 world  \r\n\r\n\r\n\r\nNext\tline\u{7}\n\n");
        assert_eq!(t, "Hello world\n\nNext\tline");
        assert_eq!(removed, 2);
    }

    #[test]
    fn byline_and_dateline_and_agency_source() {
        let raw = RawArticle::new(
            "By Simon Lewis and Ari Rabinovitch\nTEL AVIV (Reuters) – Blinken said on Friday that civilians must be protected.".into(),
            Location::source("x.txt"),
            InputFormat::Text,
        );
        let (a, p) = run(raw);
        assert!(p.is_empty(), "{p:?}");
        let a = &a[0];
        assert_eq!(a.authors, ["Simon Lewis", "Ari Rabinovitch"]);
        assert!(a.text.starts_with("TEL AVIV (Reuters) – Blinken"));
        let d = a.dateline.as_ref().unwrap();
        assert_eq!(d.span.slice(&a.text), Some("TEL AVIV (Reuters) –"));
        assert_eq!(a.source.as_deref(), Some("Reuters"));
        assert_eq!(a.published_provenance, DateProvenance::Unknown);
        assert_eq!(a.language.as_deref(), Some("en"));
    }

    #[test]
    fn future_metadata_date_is_rejected_and_next_source_used() {
        let mut raw = RawArticle::new(
            "GAZA CITY, Nov 9, 2023 (AP) — Crowds gathered at the hospital gates.".into(),
            Location::source("x.json").with_record(3),
            InputFormat::Json,
        );
        raw.stated_dates.push(StatedDate {
            raw: "2031-01-01".into(),
            provenance: DateProvenance::Metadata,
            evidence: "field date".into(),
        });
        let (a, p) = run(raw);
        assert_eq!(p.len(), 1);
        assert!(!p[0].skipped);
        assert!(p[0].reason.contains("future"), "{}", p[0].reason);
        let a = &a[0];
        assert_eq!(a.published.unwrap().to_string(), "2023-11-09");
        assert_eq!(a.published_provenance, DateProvenance::Dateline);
        assert_eq!(a.date_candidates.len(), 1);
        assert_eq!(a.date_candidates[0].raw, "2031-01-01");
    }

    #[test]
    fn dateline_without_year_is_a_candidate_unless_url_has_one() {
        let text = "GAZA CITY, Nov 9 (AP) — Crowds gathered at the hospital gates.";
        let raw = RawArticle::new(text.into(), Location::source("x"), InputFormat::Text);
        let (a, _) = run(raw);
        assert_eq!(a[0].published, None);
        assert_eq!(a[0].date_candidates[0].raw, "Nov 9");
        assert_eq!(a[0].date_candidates[0].provenance, DateProvenance::Dateline);

        let mut raw = RawArticle::new(text.into(), Location::source("x"), InputFormat::Text);
        raw.url = Some("https://news.example.com/2023/gaza-hospital".into());
        let (a, _) = run(raw);
        assert_eq!(a[0].published.unwrap().to_string(), "2023-11-09");
        assert_eq!(a[0].published_provenance, DateProvenance::Dateline);
        assert_eq!(a[0].source.as_deref(), Some("AP"));
    }

    #[test]
    fn warc_crawl_date_bounds_published() {
        let mut raw = RawArticle::new(
            "Text of the page.".into(),
            Location::source("w"),
            InputFormat::Warc,
        );
        raw.not_after = NaiveDate::from_ymd_opt(2023, 11, 1);
        raw.stated_dates.push(StatedDate {
            raw: "2023-11-09".into(),
            provenance: DateProvenance::Metadata,
            evidence: "meta".into(),
        });
        let (a, p) = run(raw);
        assert_eq!(a[0].published, None);
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn empty_text_is_skipped() {
        let raw = RawArticle::new(" \n\0 ".into(), Location::source("e"), InputFormat::Text);
        let (a, p) = run(raw);
        assert!(a.is_empty());
        assert!(p.iter().any(|p| p.skipped && p.reason == "no article text"));
    }

    #[test]
    fn epoch_dates() {
        assert_eq!(
            parse_date_value("1699531200").unwrap().date.to_string(),
            "2023-11-09"
        );
        assert_eq!(
            parse_date_value("1699531200000").unwrap().date.to_string(),
            "2023-11-09"
        );
        assert!(parse_date_value("12").is_none());
    }
}
