//! `storyline export`: the store's articles, analyses and links as JSONL
//! (everything, one record per line) or CSV (one table), streamed a page at
//! a time so an export of a large store runs in bounded memory.
//!
//! Column sets are documented in `docs/export.md`; the event table follows
//! PLOVER's (date, actor, target, type, place, source, evidence).
//!
//! CSV exports are opened in spreadsheets, where a cell that begins with
//! `=`, `+`, `-` or `@` is a formula (`=HYPERLINK(...)` sends the reader to
//! an address of the article's choosing, `@SUM(...)` runs). Every text
//! column is a [`Cell`], which writes such a value with a `'` in front
//! (OWASP's rule for CSV injection); number columns are numbers the engine
//! computed (`value`, `mentions`, `words`, offsets), written as numbers, so
//! a negative figure stays numeric. JSONL is data for programs and is
//! written as it is.

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
            sink.begin::<QuoteCsv>()?;
            for_each_article(engine, |a| {
                let Some(an) = engine.analysis(&a.id)? else {
                    return Ok(());
                };
                for q in &an.attributions {
                    let row = QuoteView::of(a, &an, q);
                    n += 1;
                    sink.row(table, &row, || QuoteCsv::of(&row))?;
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

fn day(d: Option<chrono::NaiveDate>) -> Cell {
    Cell(d.map(|d| d.to_string()).unwrap_or_default())
}

/// A text cell of a CSV export: written with a `'` in front when it begins
/// with a character that makes spreadsheets read a formula (`=`, `+`, `-`,
/// `@`, tab, carriage return); see the module comment. Typing every text
/// column as `Cell` makes the rule hold by construction, for columns added
/// later too.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Cell(String);

impl Cell {
    fn of(s: impl Into<String>) -> Cell {
        Cell(s.into())
    }
}

/// `s` as a spreadsheet will show it, never as a formula.
fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&neutralise(&self.0))
    }
}

/// The CSV row of a quote: [`QuoteView`]'s columns as cells.
#[derive(Default, Serialize)]
struct QuoteCsv {
    article: Cell,
    published: Cell,
    source: Cell,
    speaker: Cell,
    speaker_as_written: Cell,
    kind: Cell,
    cue: Cell,
    text: Cell,
    start: usize,
    end: usize,
}

impl QuoteCsv {
    fn of(q: &QuoteView) -> QuoteCsv {
        QuoteCsv {
            article: Cell::of(q.article.clone()),
            published: Cell::of(q.published.clone()),
            source: Cell::of(q.source.clone()),
            speaker: Cell::of(q.speaker.clone()),
            speaker_as_written: Cell::of(q.speaker_as_written.clone()),
            kind: Cell::of(q.kind.clone()),
            cue: Cell::of(q.cue.clone()),
            text: Cell::of(q.text.clone()),
            start: q.start,
            end: q.end,
        }
    }
}

#[derive(Default, Serialize)]
struct ArticleCsv {
    id: Cell,
    published: Cell,
    published_provenance: &'static str,
    source: Cell,
    title: Cell,
    authors: Cell,
    url: Cell,
    language: Cell,
    duplicate_group: Cell,
    is_duplicate: bool,
    words: usize,
}

impl ArticleCsv {
    fn of(a: &Article) -> ArticleCsv {
        let d = &a.draft;
        ArticleCsv {
            id: Cell::of(a.id.to_string()),
            published: Cell::of(d.published.map(|t| t.to_string()).unwrap_or_default()),
            published_provenance: d.published_provenance.as_str(),
            source: Cell::of(d.source.clone().unwrap_or_default()),
            title: Cell::of(d.title.clone().unwrap_or_default()),
            authors: Cell::of(d.authors.join("; ")),
            url: Cell::of(d.url.clone().unwrap_or_default()),
            language: Cell::of(d.language.clone().unwrap_or_default()),
            duplicate_group: Cell::of(a.duplicate_group.to_string()),
            is_duplicate: a.is_duplicate(),
            words: d.text.split_whitespace().count(),
        }
    }
}

#[derive(Default, Serialize)]
struct EntityCsv {
    id: Cell,
    name: Cell,
    kind: Cell,
    known: bool,
    aliases: Cell,
    roles: Cell,
    mentions: u64,
    articles: u64,
    first_seen: Cell,
    last_seen: Cell,
}

impl EntityCsv {
    fn of(e: &EntityRecord) -> EntityCsv {
        EntityCsv {
            id: Cell::of(e.id.clone()),
            name: Cell::of(e.name.clone()),
            kind: Cell::of(e.kind.as_str()),
            known: e.known,
            aliases: Cell::of(e.aliases.keys().cloned().collect::<Vec<_>>().join("; ")),
            roles: Cell::of(
                e.roles
                    .iter()
                    .map(|r| r.text.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
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
    date: Cell,
    actor: Cell,
    actor_id: Cell,
    target: Cell,
    target_id: Cell,
    #[serde(rename = "type")]
    kind: Cell,
    place: Cell,
    negated: bool,
    modality: Cell,
    claimant: Cell,
    source: Cell,
    published: Cell,
    article: Cell,
    evidence: Cell,
}

impl EventCsv {
    fn of(c: &Claim) -> EventCsv {
        EventCsv {
            date: day(c.as_of),
            actor: Cell::of(
                c.subject
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
            ),
            actor_id: Cell::of(c.subject.as_ref().map(|a| a.id.clone()).unwrap_or_default()),
            target: Cell::of(
                c.object
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
            ),
            target_id: Cell::of(c.object.as_ref().map(|a| a.id.clone()).unwrap_or_default()),
            kind: Cell::of(c.predicate.clone()),
            place: Cell::of(c.place.clone().unwrap_or_default()),
            negated: c.negated,
            modality: Cell::of(enum_str(c.modality)),
            claimant: Cell::of(
                c.claimant
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
            ),
            source: Cell::of(c.evidence.outlet.clone().unwrap_or_default()),
            published: day(c.evidence.published),
            article: Cell::of(c.evidence.article.to_string()),
            evidence: Cell::of(c.evidence.sentence.clone()),
        }
    }
}

#[derive(Default, Serialize)]
struct FigureCsv {
    date: Cell,
    claimant: Cell,
    quantity: Cell,
    category: Cell,
    value: Option<f64>,
    value_high: Option<f64>,
    approximation: Cell,
    place: Cell,
    population: Cell,
    period: Cell,
    since: Cell,
    on: Cell,
    source: Cell,
    publisher: Cell,
    published: Cell,
    article: Cell,
    evidence: Cell,
}

impl FigureCsv {
    fn of(c: &Claim) -> FigureCsv {
        FigureCsv {
            date: day(c.as_of),
            claimant: Cell::of(
                c.claimant
                    .as_ref()
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
            ),
            quantity: Cell::of(c.predicate.clone()),
            category: Cell::of(enum_str(c.category)),
            value: c.value,
            value_high: c.value_high,
            approximation: Cell::of(enum_str(c.approximation)),
            place: Cell::of(c.place.clone().unwrap_or_default()),
            population: Cell::of(c.population.clone().unwrap_or_default()),
            period: Cell::of(c.period.map(|p| p.as_str().to_string()).unwrap_or_default()),
            since: day(c.since),
            on: day(c.on),
            source: Cell::of(c.evidence.outlet.clone().unwrap_or_default()),
            publisher: Cell::of(c.evidence.publisher.clone().unwrap_or_default()),
            published: day(c.evidence.published),
            article: Cell::of(c.evidence.article.to_string()),
            evidence: Cell::of(c.evidence.sentence.clone()),
        }
    }
}

#[derive(Default, Serialize)]
struct ClaimCsv {
    id: Cell,
    kind: Cell,
    key: Cell,
    summary: Cell,
    claimant: Cell,
    subject: Cell,
    object: Cell,
    predicate: Cell,
    place: Cell,
    value: Option<f64>,
    position: Cell,
    date: Cell,
    source: Cell,
    article: Cell,
    evidence: Cell,
}

impl ClaimCsv {
    fn of(c: &Claim) -> ClaimCsv {
        let name = |a: &Option<storyline_link::claims::ActorRef>| {
            a.as_ref().map(|a| a.name.clone()).unwrap_or_default()
        };
        ClaimCsv {
            id: Cell::of(c.id.clone()),
            kind: Cell::of(c.kind.as_str()),
            key: Cell::of(c.key.clone()),
            summary: Cell::of(c.summary.clone()),
            claimant: Cell::of(name(&c.claimant)),
            subject: Cell::of(name(&c.subject)),
            object: Cell::of(name(&c.object)),
            predicate: Cell::of(c.predicate.clone()),
            place: Cell::of(c.place.clone().unwrap_or_default()),
            value: c.value,
            position: Cell::of(
                c.position
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_default(),
            ),
            date: day(c.as_of),
            source: Cell::of(c.evidence.outlet.clone().unwrap_or_default()),
            article: Cell::of(c.evidence.article.to_string()),
            evidence: Cell::of(c.evidence.sentence.clone()),
        }
    }
}

#[derive(Default, Serialize)]
struct FindingCsv {
    id: Cell,
    kind: Cell,
    key: Cell,
    reason: Cell,
    a_summary: Cell,
    a_claimant: Cell,
    a_date: Cell,
    a_source: Cell,
    a_article: Cell,
    a_evidence: Cell,
    b_summary: Cell,
    b_claimant: Cell,
    b_date: Cell,
    b_source: Cell,
    b_article: Cell,
    b_evidence: Cell,
}

impl FindingCsv {
    fn of(f: &Finding) -> FindingCsv {
        let side = |s: &FindingSide| {
            (
                Cell::of(s.summary.clone()),
                Cell::of(s.claimant.clone().unwrap_or_default()),
                day(s.as_of),
                Cell::of(s.evidence.outlet.clone().unwrap_or_default()),
                Cell::of(s.evidence.article.to_string()),
                Cell::of(s.evidence.sentence.clone()),
            )
        };
        let a = side(&f.claims[0]);
        let b = side(&f.claims[1]);
        FindingCsv {
            id: Cell::of(f.id.clone()),
            kind: Cell::of(f.kind.as_str()),
            key: Cell::of(f.key.clone()),
            reason: Cell::of(f.reason.clone()),
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

    /// CSV text of rows serialised as the export does.
    fn csv_of<T: Serialize>(rows: &[T]) -> String {
        let mut w = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        for r in rows {
            w.serialize(r).unwrap();
        }
        String::from_utf8(w.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for (raw, want) in [
            ("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-5 killed", "'-5 killed"),
        ] {
            let got = neutralise(raw);
            assert!(got.starts_with(want), "{raw:?} -> {got:?}");
        }
        for plain in ["", "Reuters", "2025-03-05", " =1", "a=b", "'quoted", "1-2"] {
            assert_eq!(neutralise(plain), plain);
        }
    }

    #[test]
    fn engine_numbers_stay_numbers_and_text_that_looks_like_one_does_not() {
        #[derive(Serialize)]
        struct Row {
            text: Cell,
            value: Option<f64>,
            count: u64,
        }
        let out = csv_of(&[Row {
            text: Cell::of("-3.5"),
            value: Some(-3.5),
            count: 7,
        }]);
        assert_eq!(out, "'-3.5,-3.5,7\n");
        // A cell that needs quoting is quoted after the prefix.
        let out = csv_of(&[Row {
            text: Cell::of("=A1,\"B\""),
            value: None,
            count: 0,
        }]);
        assert_eq!(out, "\"'=A1,\"\"B\"\"\",,0\n");
    }

    #[test]
    fn quote_rows_neutralise_every_text_column() {
        let evil = "=cmd|' /C calc'!A0";
        let q = QuoteView {
            article: evil.into(),
            published: evil.into(),
            source: evil.into(),
            speaker: evil.into(),
            speaker_as_written: evil.into(),
            kind: evil.into(),
            cue: evil.into(),
            text: evil.into(),
            start: 0,
            end: 1,
        };
        let out = csv_of(&[QuoteCsv::of(&q)]);
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_bytes());
        let row = r.records().next().unwrap().unwrap();
        let text: Vec<&str> = row.iter().take(8).collect();
        assert!(text.iter().all(|c| c.starts_with("'=")), "{text:?}");
        assert_eq!(row.get(8), Some("0"));
    }

    #[test]
    fn every_table_has_a_distinct_record_name() {
        let mut names: Vec<&str> = Table::ALL.iter().map(|t| t.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Table::ALL.len());
    }
}
