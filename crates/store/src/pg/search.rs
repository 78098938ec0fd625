//! Full-text search in PostgreSQL: the shared query language
//! ([`crate::query`]) turned into `tsquery`s, ranked by `ts_rank_cd`,
//! with snippets cut around the fragment `ts_headline` chose.

use std::ops::Range;

use postgres::types::ToSql;

use super::schema::{SEARCH_TEXT_CHARS, TS_CONFIG};
use super::{decode_article, Fail, PostgresStore};
use crate::api::{source_key, SearchHit, SearchQuery, MAX_SEARCH_LIMIT};
use crate::query::{self, Clause};
use crate::StoreError;

/// What `ts_headline` puts around a match. Private-use characters, which
/// the stored search text never holds (`searchable` replaces them), so a
/// marker in a headline is always one of ours.
pub(crate) const MARK_OPEN: char = '\u{E000}';
/// See [`MARK_OPEN`].
pub(crate) const MARK_CLOSE: char = '\u{E001}';

/// Weights of D, C, B (text) and A (title) for `ts_rank_cd`: a title match
/// counts double, as in the tantivy index.
const WEIGHTS: &str = "{0.1, 0.2, 0.5, 1.0}";

/// A clause as text for `phraseto_tsquery`: NUL, which PostgreSQL refuses
/// in `text`, as a space (a separator either way). `None` when it has
/// nothing to search for.
fn clause_text(clause: &Clause) -> Option<String> {
    let text = clause.text();
    text.chars()
        .any(char::is_alphanumeric)
        .then(|| text.replace('\0', " "))
}

/// `(phraseto_tsquery(...) || ...)` over the clauses, binding their text as
/// parameters; `None` when no clause has anything to search for.
fn any_of(clauses: &[Clause], params: &mut Vec<String>) -> Option<String> {
    let parts: Vec<String> = clauses
        .iter()
        .filter_map(clause_text)
        .map(|text| {
            params.push(text);
            format!("phraseto_tsquery('{TS_CONFIG}', ${})", params.len())
        })
        .collect();
    (!parts.is_empty()).then(|| format!("({})", parts.join(" || ")))
}

/// The source and day filters of a search as SQL (` AND …`), their values
/// appended to `params`: one writing for the hits and their count, so the
/// two always filter alike.
fn push_filters<'a>(
    q: &'a SearchQuery,
    key: Option<&'a Vec<u8>>,
    params: &mut Vec<&'a (dyn ToSql + Sync)>,
) -> String {
    let mut filters = String::new();
    if let Some(key) = key {
        params.push(key);
        filters.push_str(&format!(" AND a.source_key = ${}", params.len()));
    }
    if let Some(since) = &q.since {
        params.push(since);
        filters.push_str(&format!(" AND a.published_day >= ${}", params.len()));
    }
    if let Some(until) = &q.until {
        params.push(until);
        filters.push_str(&format!(" AND a.published_day <= ${}", params.len()));
    }
    filters
}

impl PostgresStore {
    pub(super) fn search_count_impl(&self, q: &SearchQuery) -> Result<u64, StoreError> {
        let plan = query::parse(&q.text);
        let mut texts: Vec<String> = Vec::new();
        let Some(positive) = any_of(&plan.include, &mut texts) else {
            return Ok(0);
        };
        let full = match any_of(&plan.exclude, &mut texts) {
            Some(excluded) => format!("({positive} && !!{excluded})"),
            None => positive,
        };
        let mut params: Vec<&(dyn ToSql + Sync)> =
            texts.iter().map(|t| t as &(dyn ToSql + Sync)).collect();
        let key = q.source.as_deref().map(|s| source_key(s).into_bytes());
        let filters = push_filters(q, key.as_ref(), &mut params);
        let sql = format!("SELECT count(*) FROM articles AS a WHERE a.search @@ {full}{filters}");
        self.read("counting search hits", |conn| {
            let n: i64 = conn.client.query_one(&sql, &params)?.try_get(0)?;
            Ok::<_, Fail>(u64::try_from(n).unwrap_or(0))
        })
    }

    pub(super) fn search_impl(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        let limit = q.limit.min(MAX_SEARCH_LIMIT);
        let plan = query::parse(&q.text);
        if limit == 0 || plan.include.is_empty() {
            return Ok(Vec::new());
        }
        let mut texts: Vec<String> = Vec::new();
        let Some(positive) = any_of(&plan.include, &mut texts) else {
            return Ok(Vec::new());
        };
        let full = match any_of(&plan.exclude, &mut texts) {
            Some(excluded) => format!("({positive} && !!{excluded})"),
            None => positive.clone(),
        };
        let mut params: Vec<&(dyn ToSql + Sync)> =
            texts.iter().map(|t| t as &(dyn ToSql + Sync)).collect();
        let key = q.source.as_deref().map(|s| source_key(s).into_bytes());
        let filters = push_filters(q, key.as_ref(), &mut params);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        params.push(&limit);
        let limit_at = params.len();
        let offset = i64::try_from(q.offset.min(crate::MAX_SEARCH_OFFSET)).unwrap_or(0);
        params.push(&offset);
        let offset_at = params.len();
        let options = format!(
            "StartSel=\"{MARK_OPEN}\", StopSel=\"{MARK_CLOSE}\", MaxWords=30, MinWords=12, ShortWord=2"
        );
        params.push(&options);
        let options_at = params.len();
        // The best hits first (the GIN index finds them), then headlines
        // for those alone.
        let sql = format!(
            "SELECT a.id, h.score, a.article_json, a.text,
                    ts_headline('{TS_CONFIG}', left(a.text, {SEARCH_TEXT_CHARS}), {positive}, ${options_at})
             FROM (SELECT a.seq, ts_rank_cd('{WEIGHTS}', a.search, {positive}) AS score
                   FROM articles AS a
                   WHERE a.search @@ {full}{filters}
                   ORDER BY score DESC, a.seq
                   LIMIT ${limit_at} OFFSET ${offset_at}) AS h
             JOIN articles AS a ON a.seq = h.seq
             ORDER BY h.score DESC, h.seq"
        );
        self.read("searching", |conn| {
            let rows = conn.client.query(&sql, &params)?;
            let mut hits = Vec::with_capacity(rows.len());
            for row in rows {
                let id: String = row.try_get(0)?;
                let score: f32 = row.try_get(1)?;
                let json: String = row.try_get(2)?;
                let searched: String = row.try_get(3)?;
                let headline: String = row.try_get(4)?;
                // Title, source, date and text exactly as stored.
                let article = decode_article(&id, searched.clone(), &json)?;
                let (snippet, highlights) = snippet(&article.draft.text, &searched, &headline);
                hits.push(SearchHit {
                    id: article.id,
                    title: article.draft.title,
                    source: article.draft.source,
                    published: article.draft.published,
                    score,
                    snippet,
                    highlights,
                });
            }
            Ok::<_, Fail>(hits)
        })
    }
}

/// The headline without its markers, and the byte ranges the markers
/// enclosed.
fn unmark(headline: &str) -> (String, Vec<Range<usize>>) {
    let mut plain = String::with_capacity(headline.len());
    let mut marks = Vec::new();
    let mut open = None;
    for c in headline.chars() {
        match c {
            MARK_OPEN => open = Some(plain.len()),
            MARK_CLOSE => {
                if let Some(start) = open.take() {
                    marks.push(start..plain.len());
                }
            }
            c => plain.push(c),
        }
    }
    (plain, marks)
}

/// The snippet of `text` for a hit whose headline is `headline`, made
/// from `searched`, the text as the search columns keep it (the same
/// length, byte for byte: see `searchable`).
///
/// `ts_headline` copies the words of the fragment it chose, so the
/// fragment is looked up in `searched` and the same bytes of `text` are
/// shown. Should that fail, the snippet is cut around the first marked
/// word instead, with every whole-word occurrence of the marked words
/// marked. With nothing marked (only the title matched), the opening of
/// the text, as every backend does.
pub(crate) fn snippet(text: &str, searched: &str, headline: &str) -> (String, Vec<Range<usize>>) {
    let (plain, marks) = unmark(headline);
    if marks.is_empty() || plain.is_empty() {
        return query::opening(text);
    }
    if let Some(start) = searched.find(&plain) {
        let end = start + plain.len();
        if let Some(fragment) = text.get(start..end) {
            return query::render_snippet(fragment, &marks, start > 0, end < text.len());
        }
    }
    let words: Vec<&str> = marks.iter().filter_map(|r| plain.get(r.clone())).collect();
    let occurrences = whole_words(text, &words);
    let Some(first) = occurrences.first() else {
        return query::opening(text);
    };
    let start = query::back_up(text, first.start, 60);
    let end = query::cut_point(text, start, query::SNIPPET_CHARS);
    let local: Vec<Range<usize>> = occurrences
        .iter()
        .filter(|r| r.start >= start && r.end <= end)
        .map(|r| r.start - start..r.end - start)
        .collect();
    query::render_snippet(&text[start..end], &local, start > 0, end < text.len())
}

/// Where any of `words` occurs in `text` as a whole word, in text order.
fn whole_words(text: &str, words: &[&str]) -> Vec<Range<usize>> {
    let boundary = |s: &str| !s.chars().next().is_some_and(char::is_alphanumeric);
    let mut found: Vec<Range<usize>> = Vec::new();
    for word in words.iter().filter(|w| !w.is_empty()) {
        let mut from = 0;
        while let Some(at) = text.get(from..).and_then(|rest| rest.find(word)) {
            let start = from + at;
            let end = start + word.len();
            let before_ok = text[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if before_ok && boundary(&text[end..]) {
                found.push(start..end);
            }
            from = end;
        }
    }
    found.sort_by_key(|r| (r.start, r.end));
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headline(s: &str) -> String {
        s.replace('[', &MARK_OPEN.to_string())
            .replace(']', &MARK_CLOSE.to_string())
    }

    #[test]
    fn a_headline_found_in_the_text_is_marked_there() {
        let text = "Aid trucks entered through Rafah. Officials said a ceasefire was near.";
        let (s, h) = snippet(
            text,
            text,
            &headline("Officials said a [ceasefire] was near."),
        );
        assert_eq!(s, "…Officials said a «ceasefire» was near.");
        assert_eq!(&s[h[0].clone()], "ceasefire");
    }

    #[test]
    fn the_snippet_shows_the_text_as_stored() {
        let text = "Aid entered <b>through</b> Rafah. A\0ceasefire.";
        let searched = super::super::searchable(text);
        assert_eq!(searched.len(), text.len());
        let (s, h) = snippet(
            text,
            &searched,
            &headline("through /b> Rafah. A [ceasefire]."),
        );
        assert_eq!(s, "…through</b> Rafah. A «ceasefire».");
        assert_eq!(&s[h[0].clone()], "ceasefire");
    }

    #[test]
    fn a_headline_not_in_the_text_falls_back_to_the_marked_words() {
        let text = "Aid entered through Rafah. A ceasefire, and a ceasefire.";
        let (s, h) = snippet(
            text,
            text,
            &headline("Aid entered ... Rafah. A [ceasefire], and a [ceasefire]."),
        );
        assert_eq!(h.len(), 2, "{s}");
        assert!(h.iter().all(|r| &s[r.clone()] == "ceasefire"), "{s}");
    }

    #[test]
    fn nothing_marked_is_the_opening() {
        let text = "Officials met on Friday.";
        assert_eq!(snippet(text, text, text), query::opening(text));
    }

    #[test]
    fn stray_markers_do_not_panic() {
        for h in ["]x[", "[", "]]", "[[x]]", "\u{E000}\u{E000}"] {
            let _ = snippet("x y z", "x y z", &headline(h));
        }
        let found = whole_words("ceasefires ceasefire", &["ceasefire"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0], 11..20, "whole words only");
    }
}
