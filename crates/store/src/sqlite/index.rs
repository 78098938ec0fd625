//! The tantivy full-text index derived from the `articles` table.
//!
//! Each commit carries a JSON payload `{"format": F, "watermark": S}`: the
//! index holds exactly the articles with `seq <= S`. Because the payload is
//! committed atomically with the documents, the watermark can never claim
//! more than the index holds; the store catches up whatever lies above it.

use std::ops::Bound;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STORED,
    STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};
use tracing::warn;

use super::Fail;
use crate::query::{Clause, QueryPlan, MAX_PHRASE_TOKENS};
use crate::StoreError;

/// Version of the index's schema and tokenization. An index of another
/// format is rebuilt on open, so changing the fields or the tokenizer only
/// needs this bumped.
pub(crate) const INDEX_FORMAT: u32 = 1;

/// Title matches count this much more than text matches.
const TITLE_BOOST: f32 = 2.0;

/// The tokenizer for title and text: tantivy's English stemmer over
/// lower-cased words (tokens over 40 bytes dropped).
const TEXT_TOKENIZER: &str = "en_stem";

/// Typed handles of the index's fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    /// Article id, untokenized and stored: what a hit returns, and the term
    /// deleted before re-adding an article so it is never indexed twice.
    pub id: Field,
    pub title: Field,
    pub text: Field,
    /// Lower-cased source, untokenized: the source filter.
    pub source: Field,
    /// Filter day as days from the common era: the date filter.
    pub day: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TEXT_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", text_options.clone()),
        text: b.add_text_field("text", text_options),
        source: b.add_text_field("source", STRING),
        day: b.add_i64_field("day", NumericOptions::default().set_indexed().set_fast()),
    };
    (b.build(), fields)
}

#[derive(Serialize, Deserialize)]
struct Payload {
    format: u32,
    watermark: i64,
}

/// One article as the index sees it.
pub(crate) struct IndexRow {
    pub id: String,
    pub title: Option<String>,
    pub text: String,
    pub source_key: Option<String>,
    pub day: Option<NaiveDate>,
}

/// A search as tantivy queries.
pub(crate) struct BuiltQuery {
    /// What to run: words, exclusions and filters.
    pub full: Box<dyn Query>,
    /// The words alone: what snippets highlight.
    pub positive: Box<dyn Query>,
}

/// The index, a reader kept open on it, and its field handles.
pub(crate) struct FullTextIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// The index directory (`:memory:` for a RAM index), for messages.
    pub path: PathBuf,
}

impl FullTextIndex {
    /// A new, empty index in RAM.
    pub(crate) fn in_ram() -> Result<FullTextIndex, Fail> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        FullTextIndex::wrap(index, fields, PathBuf::from(":memory:"))
    }

    /// Opens the index in `path` for writing, creating it when missing and
    /// recreating it (empty, with a warning) when it is unreadable or of
    /// another format. Returns the index and its watermark (0 when new).
    pub(crate) fn open_or_rebuild(path: &Path) -> Result<(FullTextIndex, i64), StoreError> {
        let existed = path.exists();
        match FullTextIndex::open_existing(path) {
            Ok(opened) => return Ok(opened),
            Err(why) if existed => warn!(
                index = %path.display(),
                "the full-text index is unusable ({why}); rebuilding it from the database"
            ),
            Err(_) => {}
        }
        if existed {
            std::fs::remove_dir_all(path).map_err(|source| StoreError::Io {
                action: "remove the unusable full-text index",
                path: path.to_path_buf(),
                source,
            })?;
        }
        std::fs::create_dir_all(path).map_err(|source| StoreError::Io {
            action: "create the full-text index directory",
            path: path.to_path_buf(),
            source,
        })?;
        let (schema, fields) = schema();
        let index = Index::create_in_dir(path, schema)
            .map_err(|e| Fail::from(e).at(path, "creating the full-text index"))?;
        let ft = FullTextIndex::wrap(index, fields, path.to_path_buf())
            .map_err(|e| e.at(path, "creating the full-text index"))?;
        Ok((ft, 0))
    }

    /// Opens the index in `path` without repairing it: for read-only stores.
    pub(crate) fn open_read_only(path: &Path) -> Result<(FullTextIndex, i64), StoreError> {
        FullTextIndex::open_existing(path).map_err(|why| StoreError::Index {
            action: "opening the full-text index read-only",
            path: path.to_path_buf(),
            source: why.into(),
        })
    }

    /// Opens an existing index, or says why it cannot be used.
    fn open_existing(path: &Path) -> Result<(FullTextIndex, i64), String> {
        if !path.join("meta.json").is_file() {
            return Err("it has no meta.json".into());
        }
        let index = Index::open_in_dir(path).map_err(|e| e.to_string())?;
        let (expected, fields) = schema();
        if index.schema() != expected {
            return Err("its fields differ from this storyline's".into());
        }
        let metas = index.load_metas().map_err(|e| e.to_string())?;
        let watermark = match metas.payload.as_deref() {
            None if metas.segments.is_empty() => 0,
            None => return Err("its last commit has no watermark".into()),
            Some(p) => {
                let payload: Payload = serde_json::from_str(p)
                    .map_err(|e| format!("its commit payload is unreadable: {e}"))?;
                if payload.format != INDEX_FORMAT {
                    return Err(format!(
                        "it has format {}, this storyline writes format {INDEX_FORMAT}",
                        payload.format
                    ));
                }
                payload.watermark
            }
        };
        let ft = FullTextIndex::wrap(index, fields, path.to_path_buf())
            .map_err(|e| e.at(path, "opening").to_string())?;
        Ok((ft, watermark))
    }

    fn wrap(index: Index, fields: Fields, path: PathBuf) -> Result<FullTextIndex, Fail> {
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(FullTextIndex {
            index,
            reader,
            fields,
            path,
        })
    }

    /// A writer with `threads` indexing threads sharing `memory_budget` bytes.
    pub(crate) fn writer(&self, threads: usize, memory_budget: usize) -> Result<IndexWriter, Fail> {
        Ok(self.index.writer_with_num_threads(threads, memory_budget)?)
    }

    /// Documents visible to the reader.
    pub(crate) fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Queues `row` for indexing, replacing any earlier document of the same
    /// article, so re-indexing a row after a crash never duplicates it.
    pub(crate) fn upsert(&self, writer: &IndexWriter, row: IndexRow) -> Result<(), Fail> {
        let f = self.fields;
        writer.delete_term(Term::from_field_text(f.id, &row.id));
        let mut doc = TantivyDocument::default();
        doc.add_text(f.id, &row.id);
        if let Some(title) = &row.title {
            doc.add_text(f.title, title);
        }
        doc.add_text(f.text, &row.text);
        if let Some(key) = &row.source_key {
            doc.add_text(f.source, key);
        }
        if let Some(day) = row.day {
            doc.add_i64(f.day, i64::from(day.num_days_from_ce()));
        }
        writer.add_document(doc)?;
        Ok(())
    }

    /// Commits what `writer` has queued, recording `watermark`, and makes it
    /// visible to searches. On failure everything queued is rolled back.
    pub(crate) fn commit(&self, writer: &mut IndexWriter, watermark: i64) -> Result<(), Fail> {
        let payload = serde_json::to_string(&Payload {
            format: INDEX_FORMAT,
            watermark,
        })
        .map_err(|e| StoreError::Corrupt {
            what: "index payload".into(),
            reason: e.to_string(),
        })?;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// The tokens the index makes of `text`, with their positions.
    fn tokens(&self, text: &str) -> Result<Vec<(usize, String)>, Fail> {
        let mut analyzer = self.index.tokenizer_for_field(self.fields.text)?;
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() && out.len() < MAX_PHRASE_TOKENS {
            let t = stream.token();
            out.push((t.position, t.text.clone()));
        }
        Ok(out)
    }

    /// A clause as a query on title (boosted) or text; `None` when the
    /// clause has no tokens (punctuation only).
    fn clause_query(&self, clause: &Clause) -> Result<Option<Box<dyn Query>>, Fail> {
        let tokens = self.tokens(clause.text())?;
        let on = |field: Field| -> Box<dyn Query> {
            match tokens.as_slice() {
                [(_, t)] => Box::new(TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                )),
                _ => {
                    let first = tokens.first().map_or(0, |(p, _)| *p);
                    Box::new(PhraseQuery::new_with_offset(
                        tokens
                            .iter()
                            .map(|(p, t)| (p - first, Term::from_field_text(field, t)))
                            .collect(),
                    ))
                }
            }
        };
        if tokens.is_empty() {
            return Ok(None);
        }
        Ok(Some(Box::new(BooleanQuery::new(vec![
            (
                Occur::Should,
                Box::new(BoostQuery::new(on(self.fields.title), TITLE_BOOST)),
            ),
            (Occur::Should, on(self.fields.text)),
        ]))))
    }

    /// The query for a plan and filters, and its positive part (what
    /// snippets highlight); `None` when nothing can match.
    pub(crate) fn build_query(
        &self,
        plan: &QueryPlan,
        source_key: Option<&str>,
        since: Option<NaiveDate>,
        until: Option<NaiveDate>,
    ) -> Result<Option<BuiltQuery>, Fail> {
        let mut should = Vec::new();
        for clause in &plan.include {
            if let Some(q) = self.clause_query(clause)? {
                should.push((Occur::Should, q));
            }
        }
        if should.is_empty() {
            return Ok(None);
        }
        let positive = BooleanQuery::new(should);
        let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(positive.clone()))];
        for clause in &plan.exclude {
            if let Some(q) = self.clause_query(clause)? {
                all.push((Occur::MustNot, Box::new(ForwardOnly(q))));
            }
        }
        if let Some(key) = source_key {
            all.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.source, key),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if since.is_some() || until.is_some() {
            let bound = |d: Option<NaiveDate>| match d {
                Some(d) => Bound::Included(Term::from_field_i64(
                    self.fields.day,
                    i64::from(d.num_days_from_ce()),
                )),
                None => Bound::Unbounded,
            };
            all.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(since), bound(until))),
            ));
        }
        Ok(Some(BuiltQuery {
            full: Box::new(BooleanQuery::new(all)),
            positive: Box::new(positive),
        }))
    }
}

/// Wraps a query used as an exclusion (`MustNot`) so that its scorer is only
/// ever moved forward.
///
/// tantivy 0.27's exclusion calls `seek_danger` on the excluded scorer
/// without checking where it stands, and a phrase scorer with no match in a
/// segment is already past every target: debug builds panic on an
/// assertion (`target (0) should be greater than or equal to doc`), release
/// builds rely on unspecified behaviour. This wrapper answers `seek_danger`
/// with plain forward `seek`s, which every scorer supports. Found by the
/// conformance check `search_exclusions_and_phrases` on a file-backed store.
#[derive(Debug)]
struct ForwardOnly(Box<dyn Query>);

impl Clone for ForwardOnly {
    fn clone(&self) -> Self {
        ForwardOnly(self.0.box_clone())
    }
}

impl Query for ForwardOnly {
    fn weight(
        &self,
        enable_scoring: tantivy::query::EnableScoring<'_>,
    ) -> tantivy::Result<Box<dyn tantivy::query::Weight>> {
        Ok(Box::new(ForwardOnlyWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor)
    }
}

struct ForwardOnlyWeight(Box<dyn tantivy::query::Weight>);

impl tantivy::query::Weight for ForwardOnlyWeight {
    fn scorer(
        &self,
        reader: &tantivy::SegmentReader,
        boost: tantivy::Score,
    ) -> tantivy::Result<Box<dyn tantivy::query::Scorer>> {
        Ok(Box::new(ForwardOnlyScorer(self.0.scorer(reader, boost)?)))
    }

    fn explain(
        &self,
        reader: &tantivy::SegmentReader,
        doc: tantivy::DocId,
    ) -> tantivy::Result<tantivy::query::Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ForwardOnlyScorer(Box<dyn tantivy::query::Scorer>);

impl tantivy::DocSet for ForwardOnlyScorer {
    fn advance(&mut self) -> tantivy::DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: tantivy::DocId) -> tantivy::DocId {
        if self.0.doc() < target {
            self.0.seek(target)
        } else {
            self.0.doc()
        }
    }

    fn seek_danger(&mut self, target: tantivy::DocId) -> tantivy::SeekDangerResult {
        let doc = self.seek(target);
        if doc == target && doc != tantivy::TERMINATED {
            tantivy::SeekDangerResult::Found
        } else {
            tantivy::SeekDangerResult::SeekLowerBound(doc.max(target))
        }
    }

    fn doc(&self) -> tantivy::DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }
}

impl tantivy::query::Scorer for ForwardOnlyScorer {
    fn score(&mut self) -> tantivy::Score {
        self.0.score()
    }
}
