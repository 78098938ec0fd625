//! `storyline export`: the store's articles, analyses and links as JSONL
//! (everything, one record per line) or CSV (one table), streamed a page at
//! a time so an export of a large store runs in bounded memory.
//!
//! Column sets are documented in `docs/export.md`; the event table follows
//! PLOVER's (date, actor, target, type, place, source, evidence).

use std::io::Write;

use serde::Serialize;
use storyline_core::Article;
use storyline_link::claims::{Claim, ClaimKind};
use storyline_link::findings::{Finding, FindingSide};
use storyline_link::linker::{kinds, scan, EntityRecord};
use storyline_store::ArticleFilter;

use crate::link_views::{enum_str, QuoteView};
use crate::views::ArticleDetail;
use crate::{Engine, EngineError};

/// Articles read from the store per page.
const PAGE: usize = 500;

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    /// Articles with metadata (JSONL: with their text).
    Articles,
    /// Canonical entities.
    Entities,
    /// Event claims, PLOVER-style.
    Events,
    /// Figure claims.
    Figures,
    /// Quotes and attributed statements.
    Quotes,
    /// Every claim.
    Claims,
    /// Findings between claims.
    Findings,
}

impl Table {
    /// Every table, in the order a full JSONL export writes them.
    pub const ALL: [Table; 7] = [
        Table::Articles,
        Table::Entities,
        Table::Events,
        Table::Figures,
        Table::Quotes,
        Table::Claims,
        Table::Findings,
    ];

    /// Its name (the `record` field of a JSONL line).
    pub fn as_str(self) -> &'static str {
        match self {
            Table::Articles => "article",
            Table::Entities => "entity",
            Table::Events => "event",
            Table::Figures => "figure",
            Table::Quotes => "quote",
            Table::Claims => "claim",
            Table::Findings => "finding",
        }
    }
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line, each with a `record` field.
    Jsonl,
    /// One table with a header row (RFC 4180).
    Csv,
}

/// What can go wrong exporting.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading the store failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// Writing the output failed.
    #[error("writing the export: {0}")]
    Write(#[from] std::io::Error),
    /// CSV encoding failed.
    #[error("writing the CSV: {0}")]
    Csv(csv::Error),
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> ExportError {
        // An I/O error stays one, so callers can tell a closed pipe.
        if !e.is_io_error() {
            return ExportError::Csv(e);
        }
        match e.into_kind() {
            csv::ErrorKind::Io(io) => ExportError::Write(io),
            other => ExportError::Write(std::io::Error::other(format!("{other:?}"))),
        }
    }
}

impl From<storyline_link::linker::LinkError> for ExportError {
    fn from(e: storyline_link::linker::LinkError) -> ExportError {
        ExportError::Engine(e.into())
    }
}

impl From<storyline_store::StoreError> for ExportError {
    fn from(e: storyline_store::StoreError) -> ExportError {
        ExportError::Engine(e.into())
    }
}

/// Records written per table.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ExportSummary {
    /// `(table, records)`, in the order written.
    pub records: Vec<(&'static str, u64)>,
}

/// One output sink for both formats, so each table is produced once.
enum Sink<'w> {
    Jsonl(&'w mut dyn Write),
    Csv(Box<csv::Writer<&'w mut dyn Write>>),
}

impl Sink<'_> {
    /// Starts a table: CSV writes the header of row type `C` here, so an
    /// empty table still has one.
    fn begin<C: Serialize + Default>(&mut self) -> Result<(), ExportError> {
        if let Sink::Csv(w) = self {
            let mut scratch = csv::Writer::from_writer(Vec::new());
            scratch.serialize(C::default())?;
            let bytes = scratch
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            let mut reader = csv::Reader::from_reader(&bytes[..]);
            w.write_record(reader.headers()?)?;
        }
        Ok(())
    }

    fn row<J: Serialize, C: Serialize>(
        &mut self,
        table: Table,
        json: &J,
        csv: impl FnOnce() -> C,
    ) -> Result<(), ExportError> {
        match self {
            Sink::Jsonl(out) => {
                let mut v = serde_json::to_value(json).map_err(std::io::Error::other)?;
                if let serde_json::Value::Object(map) = &mut v {
                    map.insert("record".into(), table.as_str().into());
                }
                serde_json::to_writer(&mut **out, &v).map_err(std::io::Error::other)?;
                out.write_all(b"\n")?;
            }
            Sink::Csv(w) => w.serialize(csv())?,
        }
        Ok(())
    }
}

/// Writes `tables` to `out` in `format`. A CSV export is one table (the
/// first given); JSONL writes each table in turn.
pub fn export(
    engine: &Engine,
    tables: &[Table],
    format: Format,
    out: &mut dyn Write,
) -> Result<ExportSummary, ExportError> {
    let mut summary = ExportSummary::default();
    let mut sink = match format {
        Format::Jsonl => Sink::Jsonl(out),
        Format::Csv => Sink::Csv(Box::new(
            csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(out),
        )),
    };
    let tables = match format {
        Format::Csv => &tables[..tables.len().min(1)],
        Format::Jsonl => tables,
    };
    for &t in tables {
        let n = write_table(engine, t, &mut sink)?;
        summary.records.push((t.as_str(), n));
    }
    match sink {
        Sink::Jsonl(out) => out.flush()?,
        Sink::Csv(mut w) => w.flush()?,
    }
    Ok(summary)
}

fn write_table(engine: &Engine, table: Table, sink: &mut Sink<'_>) -> Result<u64, ExportError> {
    let store = engine.store();
    let mut n = 0u64;
    match table {
        Table::Articles => {
            sink.begin::<ArticleCsv>()?;
            for_each_article(engine, |a| {
                n += 1;
                sink.row(table, &ArticleDetail::from(a), || ArticleCsv::of(a))
            })?;
        }
        Table::Quotes => {
            sink.begin::<QuoteView>()?;
            for_each_article(engine, |a| {
                let Some(an) = engine.analysis(&a.id)? else {
                    return Ok(());
                };
                for q in &an.attributions {
                    let row = QuoteView::of(a, &an, q);
                    n += 1;
                    sink.row(table, &row, || row.clone())?;
                }
                Ok(())
            })?;
        }
        Table::Entities => {
            sink.begin::<EntityCsv>()?;
            for e in scan::<EntityRecord>(store, kinds::ENTITY) {
                let e = e?;
                n += 1;
                sink.row(table, &e, || EntityCsv::of(&e))?;
            }
        }
        Table::Events | Table::Figures | Table::Claims => {
            let want = match table {
                Table::Events => Some(ClaimKind::Event),
                Table::Figures => Some(ClaimKind::Figure),
                _ => None,
            };
            match table {
                Table::Events => sink.begin::<EventCsv>()?,
                Table::Figures => sink.begin::<FigureCsv>()?,
                _ => sink.begin::<ClaimCsv>()?,
            }
            for c in scan::<Claim>(store, kinds::CLAIM) {
                let c = c?;
                if want.is_some_and(|k| c.kind != k) {
                    continue;
                }
                n += 1;
                match table {
                    Table::Events => sink.row(table, &c, || EventCsv::of(&c))?,
                    Table::Figures => sink.row(table, &c, || FigureCsv::of(&c))?,
                    _ => sink.row(table, &c, || ClaimCsv::of(&c))?,
                }
            }
        }
        Table::Findings => {
            sink.begin::<FindingCsv>()?;
            for f in scan::<Finding>(store, kinds::FINDING) {
                let f = f?;
                n += 1;
                sink.row(table, &f, || FindingCsv::of(&f))?;
            }
        }
    }
    Ok(n)
}

/// Calls `f` on every article, a page at a time, in published order.
fn for_each_article(
    engine: &Engine,
    mut f: impl FnMut(&Article) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut offset = 0;
    loop {
        let page = engine.store().articles(&ArticleFilter {
            limit: Some(PAGE),
            offset,
            ..ArticleFilter::default()
        })?;
        for a in &page {
            f(a)?;
        }
        if page.len() < PAGE {
            return Ok(());
        }
        offset += page.len();
    }
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

#[derive(Default, Serialize)]
struct ArticleCsv {
    id: String,
    published: String,
    published_provenance: &'static str,
    source: String,
    title: String,
    authors: String,
    url: String,
    language: String,
    duplicate_group: String,
    is_duplicate: bool,
    words: usize,
}

impl ArticleCsv {
    fn of(a: &Article) -> ArticleCsv {
        let d = &a.draft;
        ArticleCsv {
            id: a.id.to_string(),
            published: d.published.map(|t| t.to_string()).unwrap_or_default(),
            published_provenance: d.published_provenance.as_str(),
            source: d.source.clone().unwrap_or_default(),
            title: d.title.clone().unwrap_or_default(),
            authors: d.authors.join("; "),
            url: d.url.clone().unwrap_or_default(),
            language: d.language.clone().unwrap_or_default(),
            duplicate_group: a.duplicate_group.to_string(),
            is_duplicate: a.is_duplicate(),
            words: d.text.split_whitespace().count(),
        }
    }
}

#[derive(Default, Serialize)]
struct EntityCsv {
    id: String,
    name: String,
    kind: &'static str,
    known: bool,
    aliases: String,
    roles: String,
    mentions: u64,
    articles: u64,
    first_seen: String,
    last_seen: String,
}

impl EntityCsv {
    fn of(e: &EntityRecord) -> EntityCsv {
        EntityCsv {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind.as_str(),
            known: e.known,
            aliases: e.aliases.keys().cloned().collect::<Vec<_>>().join("; "),
            roles: e
                .roles
                .iter()
                .map(|r| r.text.clone())
                .collect::<Vec<_>>()
                .join("; "),
            mentions: e.mentions,
            articles: e.articles,
            first_seen: day(e.first_seen),
            last_seen: day(e.last_seen),
        }
    }
}

/// PLOVER-style event row.
#[derive(Default, Serialize)]
struct EventCsv {
    date: String,
    actor: String,
    actor_id: String,
    target: String,
    target_id: String,
    #[serde(rename = "type")]
    kind: String,
    place: String,
    negated: bool,
    modality: String,
    claimant: String,
    source: String,
    published: String,
    article: String,
    evidence: String,
}

impl EventCsv {
    fn of(c: &Claim) -> EventCsv {
        EventCsv {
            date: day(c.as_of),
            actor: c
                .subject
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            actor_id: c.subject.as_ref().map(|a| a.id.clone()).unwrap_or_default(),
            target: c
                .object
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            target_id: c.object.as_ref().map(|a| a.id.clone()).unwrap_or_default(),
            kind: c.predicate.clone(),
            place: c.place.clone().unwrap_or_default(),
            negated: c.negated,
            modality: enum_str(c.modality),
            claimant: c
                .claimant
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            source: c.evidence.outlet.clone().unwrap_or_default(),
            published: day(c.evidence.published),
            article: c.evidence.article.to_string(),
            evidence: c.evidence.sentence.clone(),
        }
    }
}

#[derive(Default, Serialize)]
struct FigureCsv {
    date: String,
    claimant: String,
    quantity: String,
    category: String,
    value: Option<f64>,
    value_high: Option<f64>,
    approximation: String,
    place: String,
    source: String,
    published: String,
    article: String,
    evidence: String,
}

impl FigureCsv {
    fn of(c: &Claim) -> FigureCsv {
        FigureCsv {
            date: day(c.as_of),
            claimant: c
                .claimant
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            quantity: c.predicate.clone(),
            category: enum_str(c.category),
            value: c.value,
            value_high: c.value_high,
            approximation: enum_str(c.approximation),
            place: c.place.clone().unwrap_or_default(),
            source: c.evidence.outlet.clone().unwrap_or_default(),
            published: day(c.evidence.published),
            article: c.evidence.article.to_string(),
            evidence: c.evidence.sentence.clone(),
        }
    }
}

#[derive(Default, Serialize)]
struct ClaimCsv {
    id: String,
    kind: &'static str,
    key: String,
    summary: String,
    claimant: String,
    subject: String,
    object: String,
    predicate: String,
    place: String,
    value: Option<f64>,
    position: String,
    date: String,
    source: String,
    article: String,
    evidence: String,
}

impl ClaimCsv {
    fn of(c: &Claim) -> ClaimCsv {
        let name = |a: &Option<storyline_link::claims::ActorRef>| {
            a.as_ref().map(|a| a.name.clone()).unwrap_or_default()
        };
        ClaimCsv {
            id: c.id.clone(),
            kind: c.kind.as_str(),
            key: c.key.clone(),
            summary: c.summary.clone(),
            claimant: name(&c.claimant),
            subject: name(&c.subject),
            object: name(&c.object),
            predicate: c.predicate.clone(),
            place: c.place.clone().unwrap_or_default(),
            value: c.value,
            position: c
                .position
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            date: day(c.as_of),
            source: c.evidence.outlet.clone().unwrap_or_default(),
            article: c.evidence.article.to_string(),
            evidence: c.evidence.sentence.clone(),
        }
    }
}

#[derive(Default, Serialize)]
struct FindingCsv {
    id: String,
    kind: &'static str,
    key: String,
    reason: String,
    a_summary: String,
    a_claimant: String,
    a_date: String,
    a_source: String,
    a_article: String,
    a_evidence: String,
    b_summary: String,
    b_claimant: String,
    b_date: String,
    b_source: String,
    b_article: String,
    b_evidence: String,
}

impl FindingCsv {
    fn of(f: &Finding) -> FindingCsv {
        let side = |s: &FindingSide| {
            (
                s.summary.clone(),
                s.claimant.clone().unwrap_or_default(),
                day(s.as_of),
                s.evidence.outlet.clone().unwrap_or_default(),
                s.evidence.article.to_string(),
                s.evidence.sentence.clone(),
            )
        };
        let a = side(&f.claims[0]);
        let b = side(&f.claims[1]);
        FindingCsv {
            id: f.id.clone(),
            kind: f.kind.as_str(),
            key: f.key.clone(),
            reason: f.reason.clone(),
            a_summary: a.0,
            a_claimant: a.1,
            a_date: a.2,
            a_source: a.3,
            a_article: a.4,
            a_evidence: a.5,
            b_summary: b.0,
            b_claimant: b.1,
            b_date: b.2,
            b_source: b.3,
            b_article: b.4,
            b_evidence: b.5,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_a_distinct_record_name() {
        let mut names: Vec<&str> = Table::ALL.iter().map(|t| t.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Table::ALL.len());
    }
}
