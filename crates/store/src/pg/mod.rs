//! [`PostgresStore`]: the store in a PostgreSQL database, full-text search
//! included, so that every machine of a deployment sees one store and one
//! index.
//!
//! The module is `pg`, not `postgres`, so that the name of the client crate
//! stays unambiguous inside this crate.

mod lease;
mod links;
mod schema;
mod search;
pub mod server;

#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::Duration;

use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement};
use storyline_core::{Article, ArticleId, DateProvenance, Problem, Timestamp};

use crate::api::{
    filter_day, is_valid_id, normalize_id_prefix, now, sort_key, source_key, validate_analyses,
    validate_batch, ArticleFilter, IngestRun, NewArticle, PutReport, SearchHit, SearchQuery, Store,
    StoreStats, StoredAnalysis, MAX_CANDIDATES_PER_BAND,
};
use crate::links::{LinkBatch, LinkRecord, LinkState};
use crate::StoreError;

pub use schema::POSTGRES_SCHEMA_VERSION;
pub use server::TestServer;

/// Idle connections kept for reuse.
const MAX_IDLE: usize = 8;
/// How long connecting may take when the URL does not say.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Advisory lock keys ("STLN" and a number): schema upgrades, article
/// writes, link writes. Held until the transaction ends.
pub(crate) const ADVISORY_MIGRATE: i64 = 0x5354_4c4e_0000;
const ADVISORY_ARTICLES: i64 = 0x5354_4c4e_0001;
const ADVISORY_LINKS: i64 = 0x5354_4c4e_0002;

/// A [`Store`] in a PostgreSQL database, selected by a `postgres://` URL.
///
/// **Same behaviour as [`SqliteStore`](crate::SqliteStore):** it passes the
/// same conformance suite. Search is PostgreSQL's own (a stored `tsvector`
/// column with a GIN index, ranked by `ts_rank_cd` with title matches
/// weighted double, snippets by `ts_headline`), so its ranking and
/// stemming differ in detail from tantivy's, never in which articles match
/// a plain word.
///
/// **Writers.** Any number of processes may open the same database. Article
/// batches and link batches each take a PostgreSQL advisory lock until they
/// commit, so batches from several processes apply one after another,
/// article `seq` order is commit order, and the linker's watermark never
/// passes an article that is still being written.
///
/// **Connections.** Opened as needed, at most 8 kept idle; a
/// broken one is dropped and the next call opens a new one, so a restarted
/// server costs the calls in flight, not the store. No TLS: run it on a
/// trusted network or through a local TLS tunnel.
///
/// **Schema.** Versioned migrations run on open ([`POSTGRES_SCHEMA_VERSION`],
/// see `pg/schema.rs`), under an advisory lock; a database of a newer
/// storyline is refused, and so is a schema holding tables storyline did
/// not create.
pub struct PostgresStore {
    config: postgres::Config,
    /// The URL without its password, for messages.
    shown: String,
    idle: Mutex<Vec<Conn>>,
}

/// A connection and the statements prepared on it.
pub(crate) struct Conn {
    client: Client,
    prepared: HashMap<&'static str, Statement>,
}

type Params<'a> = [&'a (dyn ToSql + Sync)];

impl Conn {
    fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(s) = self.prepared.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.prepared.insert(sql, s.clone());
        Ok(s)
    }

    /// Runs a static statement, prepared once per connection.
    pub(crate) fn query(
        &mut self,
        sql: &'static str,
        params: &Params<'_>,
    ) -> Result<Vec<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.query(&s, params)
    }

    pub(crate) fn query_opt(
        &mut self,
        sql: &'static str,
        params: &Params<'_>,
    ) -> Result<Option<Row>, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.query_opt(&s, params)
    }

    pub(crate) fn query_one(
        &mut self,
        sql: &'static str,
        params: &Params<'_>,
    ) -> Result<Row, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.query_one(&s, params)
    }

    pub(crate) fn execute(
        &mut self,
        sql: &'static str,
        params: &Params<'_>,
    ) -> Result<u64, postgres::Error> {
        let s = self.statement(sql)?;
        self.client.execute(&s, params)
    }
}

/// An error from the client, or a finished [`StoreError`], before the store
/// adds what it was doing and where.
pub(crate) enum Fail {
    Pg(postgres::Error),
    Store(StoreError),
}

impl From<postgres::Error> for Fail {
    fn from(e: postgres::Error) -> Fail {
        Fail::Pg(e)
    }
}

impl From<StoreError> for Fail {
    fn from(e: StoreError) -> Fail {
        Fail::Store(e)
    }
}

impl Fail {
    /// The error for a failure while doing `action` on the store `shown`.
    pub(crate) fn at(self, shown: &str, action: &'static str) -> StoreError {
        match self {
            Fail::Store(e) => e,
            Fail::Pg(e) => StoreError::Database {
                action,
                path: shown.into(),
                source: Box::new(PgError(e)),
            },
        }
    }
}

/// A client error shown with what the server said: the client's own
/// message for a server error is only `db error`.
#[derive(Debug)]
pub(crate) struct PgError(pub(crate) postgres::Error);

impl std::fmt::Display for PgError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.as_db_error() {
            Some(db) => {
                write!(
                    f,
                    "{} {}: {}",
                    db.severity(),
                    db.code().code(),
                    db.message()
                )?;
                if let Some(detail) = db.detail() {
                    write!(f, " ({detail})")?;
                }
                if let Some(hint) = db.hint() {
                    write!(f, "; {hint}")?;
                }
                Ok(())
            }
            None => match std::error::Error::source(&self.0) {
                Some(source) => write!(f, "{}: {source}", self.0),
                None => write!(f, "{}", self.0),
            },
        }
    }
}

impl std::error::Error for PgError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

fn corrupt(what: impl Into<String>, reason: impl ToString) -> Fail {
    Fail::Store(StoreError::Corrupt {
        what: what.into(),
        reason: reason.to_string(),
    })
}

/// `s` as the search columns keep it: what PostgreSQL's `text` cannot
/// hold, or its text search parser would misread, replaced by a character
/// of the same length in bytes, so that byte offsets into it are offsets
/// into `s`:
///
/// - NUL, which `text` refuses, as a space;
/// - `<` as a space: the parser takes `<b>` for an HTML tag and skips it,
///   and skips everything between `<script>` and `</script>` (article
///   text is plain text, where `<script>alert</script>` is words to find);
/// - the private-use characters that mark matches in headlines as U+FFFD
///   (both three bytes).
pub(crate) fn searchable(s: &str) -> Cow<'_, str> {
    let odd = |c: char| matches!(c, '\0' | '<' | search::MARK_OPEN | search::MARK_CLOSE);
    if !s.chars().any(odd) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\0' | '<' => ' ',
                search::MARK_OPEN | search::MARK_CLOSE => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

fn parse_id(s: &str) -> Result<ArticleId, Fail> {
    s.parse()
        .map_err(|e: storyline_core::ParseIdError| corrupt("article id", e))
}

fn parse_timestamp(what: &str, s: &str) -> Result<Timestamp, Fail> {
    Timestamp::parse(s).map_err(|e| corrupt(what, e))
}

/// An article from its row: the JSON holds everything but the text, which
/// is the column's unless the JSON kept the exact text (it had a NUL).
pub(crate) fn decode_article(id: &str, text: String, json: &str) -> Result<Article, Fail> {
    let mut article: Article =
        serde_json::from_str(json).map_err(|e| corrupt(format!("article {id}"), e))?;
    if article.draft.text.is_empty() {
        article.draft.text = text;
    }
    Ok(article)
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn sql_limit(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The URL as shown in messages: user, hosts, ports and database, never the
/// password.
fn shown_url(config: &postgres::Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let host = match h {
                postgres::config::Host::Tcp(name) => name.clone(),
                postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{host}:{port}"),
                None => host,
            }
        })
        .collect();
    format!(
        "postgres://{}{}/{}",
        config
            .get_user()
            .map(|u| format!("{u}@"))
            .unwrap_or_default(),
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

/// Whether `url` names a PostgreSQL store (`postgres://` or `postgresql://`).
pub fn is_postgres_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`,
    /// or PostgreSQL's `key=value` form) and brings its schema up to date.
    pub fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let mut config = postgres::Config::from_str(url).map_err(|e| StoreError::BadUrl {
            reason: e.to_string(),
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("storyline");
        }
        let store = PostgresStore {
            shown: shown_url(&config),
            config,
            idle: Mutex::new(Vec::new()),
        };
        let mut conn = store.connect()?;
        schema::migrate(&mut conn.client, &store.shown)?;
        store.put_back(conn)?;
        Ok(store)
    }

    /// The URL without its password.
    pub fn url(&self) -> &str {
        &self.shown
    }

    fn connect(&self) -> Result<Conn, StoreError> {
        let mut client = self
            .config
            .connect(NoTls)
            .map_err(|e| Fail::from(e).at(&self.shown, "connecting to the database"))?;
        // Statements are prepared once per connection, and PostgreSQL
        // keeps a generic plan for a prepared statement after five runs,
        // planned for the table sizes of then: on a store that grows from
        // empty (a first ingest, a relink) the link reads kept plans that
        // read every record of a kind and filtered the ids asked (BBC
        // corpus: 5.4 s of 30 s of linking). Each run planned for its own
        // values and today's sizes costs a few hundredths of a millisecond.
        // A server older than 12 has no such setting and keeps its default.
        if let Err(e) = client.batch_execute("SET plan_cache_mode = force_custom_plan") {
            tracing::debug!(error = %e, "plan_cache_mode not set");
        }
        Ok(Conn {
            client,
            prepared: HashMap::new(),
        })
    }

    /// An idle connection, or a new one; `true` with an idle one, which
    /// the server may have closed since (a restart, an idle timeout).
    fn take(&self) -> Result<(Conn, bool), StoreError> {
        let idle = self.idle.lock().map_err(|_| StoreError::Poisoned)?.pop();
        match idle {
            Some(conn) if !conn.client.is_closed() => Ok((conn, true)),
            _ => Ok((self.connect()?, false)),
        }
    }

    fn put_back(&self, conn: Conn) -> Result<(), StoreError> {
        if conn.client.is_closed() {
            return Ok(());
        }
        let mut idle = self.idle.lock().map_err(|_| StoreError::Poisoned)?;
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
        Ok(())
    }

    fn err(&self, action: &'static str) -> impl FnOnce(Fail) -> StoreError + '_ {
        move |f| f.at(&self.shown, action)
    }

    /// Runs `f` on a connection, outside any transaction. An idle
    /// connection found closed on use is replaced once.
    pub(crate) fn read<T>(
        &self,
        action: &'static str,
        mut f: impl FnMut(&mut Conn) -> Result<T, Fail>,
    ) -> Result<T, StoreError> {
        let (mut conn, reused) = self.take()?;
        let mut result = f(&mut conn);
        if result.is_err() && reused && conn.client.is_closed() {
            conn = self.connect()?;
            result = f(&mut conn);
        }
        self.put_back(conn)?;
        result.map_err(self.err(action))
    }

    /// Runs `f` in one transaction, first taking the advisory lock `lock`
    /// when given; commits when it succeeds, rolls back when it fails. An
    /// idle connection found closed at `BEGIN` is replaced; nothing is
    /// retried once the transaction has begun.
    pub(crate) fn write<T>(
        &self,
        action: &'static str,
        lock: Option<i64>,
        f: impl FnOnce(&mut Conn) -> Result<T, Fail>,
    ) -> Result<T, StoreError> {
        let (mut conn, reused) = self.take()?;
        // The lock goes with `BEGIN`, in one round trip (the key is one of
        // the constants above, so nothing is spliced in from outside). A
        // failure here drops the connection, and the server ends whatever
        // it had begun.
        let begin = match lock {
            Some(key) => Cow::Owned(format!("BEGIN; SELECT pg_advisory_xact_lock({key})")),
            None => Cow::Borrowed("BEGIN"),
        };
        if let Err(e) = conn.client.batch_execute(&begin) {
            if !(reused && conn.client.is_closed()) {
                return Err(self.err(action)(e.into()));
            }
            conn = self.connect()?;
            conn.client
                .batch_execute(&begin)
                .map_err(|e| self.err(action)(e.into()))?;
        }
        let result = (|| -> Result<T, Fail> {
            let value = f(&mut conn)?;
            conn.client.batch_execute("COMMIT")?;
            Ok(value)
        })();
        if result.is_err() && !conn.client.is_closed() {
            // A failed ROLLBACK means a broken connection, which is not
            // reused; the server ends its transaction itself.
            if conn.client.batch_execute("ROLLBACK").is_err() {
                return result.map_err(self.err(action));
            }
        }
        self.put_back(conn)?;
        result.map_err(self.err(action))
    }
}

fn contains(conn: &mut Conn, id: &ArticleId) -> Result<bool, Fail> {
    if !is_valid_id(id.as_str()) {
        return Ok(false);
    }
    Ok(conn
        .query_opt("SELECT 1 FROM articles WHERE id = $1", &[&id.as_str()])?
        .is_some())
}

/// The SQL half of `put_articles`, inside the transaction.
fn write_articles(conn: &mut Conn, batch: &[NewArticle], shown: &str) -> Result<PutReport, Fail> {
    let mut report = PutReport::default();
    validate_batch(batch, |id| {
        contains(conn, id).map_err(|e| e.at(shown, "storing a batch of articles"))
    })?;
    for (i, new) in batch.iter().enumerate() {
        let a = &new.article;
        let text = searchable(&a.draft.text);
        let mut kept = a.clone();
        if matches!(text, Cow::Borrowed(_)) {
            kept.draft.text = String::new();
        }
        let json = serde_json::to_string(&kept).map_err(|e| StoreError::InvalidArticle {
            index: i,
            id: a.id.to_string(),
            reason: format!("it cannot be serialised: {e}"),
        })?;
        let published = a.draft.published.as_ref();
        let minhash: Vec<u8> = new.minhash.iter().flat_map(|h| h.to_le_bytes()).collect();
        let title = a.draft.title.as_deref().map(searchable).unwrap_or_default();
        let row = conn.query_opt(
            "INSERT INTO articles (id, duplicate_group, published, published_day, published_sort,
                 provenance, source, source_key, title, text, minhash, article_json)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (id) DO NOTHING
             RETURNING seq",
            &[
                &a.id.as_str(),
                &a.duplicate_group.as_str(),
                &published.map(|t| t.to_string()),
                &published.map(filter_day),
                &published.map(sort_key),
                &a.draft.published_provenance.as_str(),
                &a.draft.source.as_deref().map(str::as_bytes),
                &a.draft
                    .source
                    .as_deref()
                    .map(|s| source_key(s).into_bytes()),
                &title.as_ref(),
                &text.as_ref(),
                &minhash,
                &json,
            ],
        )?;
        let Some(row) = row else {
            report.already_present.push(a.id.clone());
            continue;
        };
        let seq: i64 = row.try_get(0)?;
        if !new.lsh_bands.is_empty() {
            let bands: Vec<i64> = new.lsh_bands.iter().map(|&b| b as i64).collect();
            conn.execute(
                "INSERT INTO lsh_bands (band, article_seq)
                 SELECT DISTINCT b, $2::bigint FROM unnest($1::bigint[]) AS b
                 ON CONFLICT DO NOTHING",
                &[&bands, &seq],
            )?;
        }
        // Unanalysed articles get their row too (NULLs), so that
        // `stale_analyses` finds them in the analyser index.
        let given = new.analysis.as_ref();
        conn.execute(
            "INSERT INTO analyses (article_seq, article_id, analyzer, json) VALUES ($1, $2, $3, $4)",
            &[
                &seq,
                &a.id.as_str(),
                &given.map(|x| x.analyzer.as_str()),
                &given.map(|x| x.json.as_bytes()),
            ],
        )?;
        report.inserted.push(a.id.clone());
    }
    Ok(report)
}

/// Unanalysed articles before seq `$1`, in ingest order (index only).
const UNANALYZED_SQL: &str = "SELECT article_seq, article_id FROM analyses
     WHERE analyzer IS NULL AND article_seq < $1 ORDER BY article_seq LIMIT $2";
/// The next analyser name after `$1`: one step of a walk over the distinct
/// analysers by index seeks.
const NEXT_ANALYZER_SQL: &str =
    "SELECT analyzer FROM analyses WHERE analyzer > $1 ORDER BY analyzer LIMIT 1";
/// Articles analysed by `$1` before seq `$2`, in ingest order.
const ANALYZED_BY_SQL: &str = "SELECT article_seq, article_id FROM analyses
     WHERE analyzer = $1 AND article_seq < $2 ORDER BY article_seq LIMIT $3";

impl Store for PostgresStore {
    fn put_articles(&self, batch: &[NewArticle]) -> Result<PutReport, StoreError> {
        if batch.is_empty() {
            return Ok(PutReport::default());
        }
        self.write(
            "storing a batch of articles",
            Some(ADVISORY_ARTICLES),
            |conn| write_articles(conn, batch, &self.shown),
        )
    }

    fn article(&self, id: &ArticleId) -> Result<Option<Article>, StoreError> {
        if !is_valid_id(id.as_str()) {
            return Ok(None);
        }
        self.read("reading an article", |conn| {
            let Some(row) = conn.query_opt(
                "SELECT text, article_json FROM articles WHERE id = $1",
                &[&id.as_str()],
            )?
            else {
                return Ok(None);
            };
            let json: String = row.try_get(1)?;
            decode_article(id.as_str(), row.try_get(0)?, &json).map(Some)
        })
    }

    fn contains(&self, id: &ArticleId) -> Result<bool, StoreError> {
        self.read("looking up an article", |conn| contains(conn, id))
    }

    fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>, StoreError> {
        let key = filter.source.as_deref().map(|s| source_key(s).into_bytes());
        let provenance = filter.provenance.map(DateProvenance::as_str);
        let limit = filter.limit.map(sql_limit);
        let offset = sql_limit(filter.offset);
        let mut conds: Vec<String> = Vec::new();
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        if let Some(key) = &key {
            params.push(key);
            conds.push(format!("source_key = ${}", params.len()));
        }
        if let Some(since) = &filter.since {
            params.push(since);
            conds.push(format!("published_day >= ${}", params.len()));
        }
        if let Some(until) = &filter.until {
            params.push(until);
            conds.push(format!("published_day <= ${}", params.len()));
        }
        if let Some(p) = &provenance {
            params.push(p);
            conds.push(format!("provenance = ${}", params.len()));
        }
        let mut sql = String::from("SELECT id, text, article_json FROM articles");
        if !conds.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conds.join(" AND "));
        }
        params.push(&limit);
        params.push(&offset);
        sql.push_str(&format!(
            " ORDER BY published_sort IS NULL, published_sort, seq LIMIT ${} OFFSET ${}",
            params.len() - 1,
            params.len()
        ));
        self.read("listing articles", |conn| {
            let rows = conn.client.query(&sql, &params)?;
            rows.iter()
                .map(|row| {
                    let id: String = row.try_get(0)?;
                    let json: String = row.try_get(2)?;
                    decode_article(&id, row.try_get(1)?, &json)
                })
                .collect()
        })
    }

    fn resolve_id_prefix(&self, prefix: &str) -> Result<Vec<ArticleId>, StoreError> {
        let p = normalize_id_prefix(prefix)?;
        // Ids are lowercase hex compared as bytes ("C"), and 'g' sorts after
        // every hex digit: an index range read.
        let upper = format!("{p}g");
        self.read("resolving an id prefix", |conn| {
            conn.query(
                "SELECT id FROM articles WHERE id >= $1 AND id < $2 ORDER BY id",
                &[&p, &upper],
            )?
            .iter()
            .map(|r| parse_id(&r.try_get::<_, String>(0)?))
            .collect()
        })
    }

    fn near_duplicate_candidates(
        &self,
        bands: &[u64],
        limit: usize,
    ) -> Result<Vec<(ArticleId, ArticleId, Vec<u32>)>, StoreError> {
        let mut bands: Vec<i64> = bands.iter().map(|&b| b as i64).collect();
        bands.sort_unstable();
        bands.dedup();
        if bands.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let per_band = MAX_CANDIDATES_PER_BAND as i64;
        let limit = sql_limit(limit);
        self.read("finding near-duplicate candidates", |conn| {
            // The earliest articles of each bucket (a range read of the
            // primary key per band), ranked by bands shared, then ingest order.
            let rows = conn.query(
                "SELECT a.id, a.duplicate_group, a.minhash
                 FROM (SELECT c.article_seq, count(*) AS shared
                       FROM unnest($1::bigint[]) AS b(band)
                       CROSS JOIN LATERAL (
                           SELECT article_seq FROM lsh_bands WHERE band = b.band
                           ORDER BY article_seq LIMIT $2) AS c
                       GROUP BY c.article_seq
                       ORDER BY shared DESC, c.article_seq
                       LIMIT $3) AS r
                 JOIN articles AS a ON a.seq = r.article_seq
                 ORDER BY r.shared DESC, r.article_seq",
                &[&bands, &per_band, &limit],
            )?;
            rows.iter()
                .map(|row| {
                    let minhash: Vec<u8> = row.try_get(2)?;
                    let signature = minhash
                        .chunks_exact(4)
                        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect();
                    Ok((
                        parse_id(&row.try_get::<_, String>(0)?)?,
                        parse_id(&row.try_get::<_, String>(1)?)?,
                        signature,
                    ))
                })
                .collect()
        })
    }

    fn search_count(&self, q: &SearchQuery) -> Result<u64, StoreError> {
        self.search_count_impl(q)
    }

    fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>, StoreError> {
        self.search_impl(q)
    }

    fn reindex(&self) -> Result<u64, StoreError> {
        // The vector is a generated column: it cannot lag. Rebuilding its
        // index is what is left to do.
        self.read("rebuilding the search index", |conn| {
            conn.client.batch_execute("REINDEX INDEX articles_search")?;
            let n: i64 = conn
                .query_opt("SELECT count(*) FROM articles", &[])?
                .map_or(Ok(0), |r| r.try_get(0))?;
            Ok(count(n))
        })
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        self.read("computing statistics", |conn| {
            let mut one = |sql: &'static str| -> Result<u64, Fail> {
                Ok(conn
                    .query_opt(sql, &[])?
                    .map_or(Ok(0), |r| r.try_get::<_, i64>(0))
                    .map(count)?)
            };
            let articles = one("SELECT count(*) FROM articles")?;
            let mut stats = StoreStats {
                articles,
                duplicates: one("SELECT count(*) FROM articles WHERE id <> duplicate_group")?,
                duplicate_groups_with_copies: one(
                    "SELECT count(DISTINCT duplicate_group) FROM articles WHERE id <> duplicate_group",
                )?,
                ingest_runs: one("SELECT count(*) FROM ingest_runs")?,
                problems_recorded: one("SELECT count(*) FROM run_problems")?,
                schema_version: POSTGRES_SCHEMA_VERSION,
                index_documents: articles,
                ..StoreStats::default()
            };
            for row in conn.query(
                "SELECT (array_agg(source ORDER BY source))[1], count(*) AS n FROM articles
                 WHERE source_key IS NOT NULL GROUP BY source_key ORDER BY n DESC, source_key",
                &[],
            )? {
                let name: Vec<u8> = row.try_get(0)?;
                let name = String::from_utf8(name).map_err(|e| corrupt("source name", e))?;
                stats.sources.push((name, count(row.try_get(1)?)));
            }
            let mut by: HashMap<String, i64> = HashMap::new();
            for row in conn.query(
                "SELECT provenance, count(*) FROM articles GROUP BY provenance",
                &[],
            )? {
                by.insert(row.try_get(0)?, row.try_get(1)?);
            }
            stats.by_provenance = DateProvenance::ALL
                .into_iter()
                .filter_map(|p| by.get(p.as_str()).map(|&n| (p, count(n))))
                .collect();
            for row in conn.query(
                "SELECT analyzer, count(*) AS n FROM analyses WHERE analyzer IS NOT NULL
                 GROUP BY analyzer ORDER BY n DESC, analyzer",
                &[],
            )? {
                stats
                    .analyzers
                    .push((row.try_get(0)?, count(row.try_get(1)?)));
            }
            let mut edge = |sql: &'static str| -> Result<Option<Timestamp>, Fail> {
                match conn.query_opt(sql, &[])? {
                    Some(row) => {
                        let p: Option<String> = row.try_get(0)?;
                        p.map(|p| parse_timestamp("published date", &p)).transpose()
                    }
                    None => Ok(None),
                }
            };
            stats.earliest = edge(
                "SELECT published FROM articles WHERE published_sort IS NOT NULL
                 ORDER BY published_sort IS NULL, published_sort, seq LIMIT 1",
            )?;
            stats.latest = edge(
                "SELECT published FROM articles WHERE published_sort IS NOT NULL
                 ORDER BY published_sort IS NULL, published_sort DESC, seq LIMIT 1",
            )?;
            Ok(stats)
        })
    }

    fn record_run(
        &self,
        inputs: &[String],
        problems: &[Problem],
        summary: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let encode = |what: &str, r: serde_json::Result<String>| r.map_err(|e| corrupt(what, e));
        self.write("recording an ingest run", None, |conn| {
            let inputs = encode("run inputs", serde_json::to_string(inputs))?;
            let summary = encode("run summary", serde_json::to_string(summary))?;
            let run: i64 = conn
                .query_opt(
                    "INSERT INTO ingest_runs (recorded_at, inputs_json, summary_json)
                     VALUES ($1, $2, $3) RETURNING run",
                    &[&now().to_string(), &inputs, &summary],
                )?
                .ok_or_else(|| corrupt("ingest run", "the insert returned no run number"))?
                .try_get(0)?;
            let jsons = problems
                .iter()
                .map(|p| encode("problem", serde_json::to_string(p)))
                .collect::<Result<Vec<String>, Fail>>()?;
            if !jsons.is_empty() {
                conn.execute(
                    "INSERT INTO run_problems (run, position, problem_json)
                     SELECT $1, (p.i - 1)::integer, p.json
                     FROM unnest($2::text[]) WITH ORDINALITY AS p(json, i)",
                    &[&run, &jsons],
                )?;
            }
            Ok(())
        })
    }

    fn runs(&self, limit: usize) -> Result<Vec<IngestRun>, StoreError> {
        let limit = sql_limit(limit);
        self.read("listing ingest runs", |conn| {
            let rows = conn.query(
                "SELECT run, recorded_at, inputs_json, summary_json FROM ingest_runs
                 ORDER BY run DESC LIMIT $1",
                &[&limit],
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let run: i64 = row.try_get(0)?;
                let what = format!("ingest run {run}");
                let at: String = row.try_get(1)?;
                let inputs: String = row.try_get(2)?;
                let summary: String = row.try_get(3)?;
                let problems = conn
                    .query(
                        "SELECT problem_json FROM run_problems WHERE run = $1 ORDER BY position",
                        &[&run],
                    )?
                    .iter()
                    .map(|r| {
                        let p: String = r.try_get(0)?;
                        serde_json::from_str::<Problem>(&p).map_err(|e| corrupt(&what, e))
                    })
                    .collect::<Result<Vec<_>, Fail>>()?;
                out.push(IngestRun {
                    run: count(run),
                    recorded_at: parse_timestamp(&what, &at)?,
                    inputs: serde_json::from_str(&inputs).map_err(|e| corrupt(&what, e))?,
                    problems,
                    summary: serde_json::from_str(&summary).map_err(|e| corrupt(&what, e))?,
                });
            }
            Ok(out)
        })
    }

    fn analysis(&self, id: &ArticleId) -> Result<Option<StoredAnalysis>, StoreError> {
        if !is_valid_id(id.as_str()) {
            return Ok(None);
        }
        self.read("reading an analysis", |conn| {
            let Some(row) = conn.query_opt(
                "SELECT n.analyzer, n.json FROM articles AS a
                 JOIN analyses AS n ON n.article_seq = a.seq WHERE a.id = $1",
                &[&id.as_str()],
            )?
            else {
                return Ok(None);
            };
            let analyzer: Option<String> = row.try_get(0)?;
            let json: Option<Vec<u8>> = row.try_get(1)?;
            match (analyzer, json) {
                (Some(analyzer), Some(json)) => Ok(Some(StoredAnalysis {
                    analyzer,
                    json: String::from_utf8(json)
                        .map_err(|e| corrupt(format!("analysis of article {id}"), e))?,
                })),
                _ => Ok(None),
            }
        })
    }

    fn put_analyses(&self, analyses: &[(ArticleId, StoredAnalysis)]) -> Result<(), StoreError> {
        if analyses.is_empty() {
            return Ok(());
        }
        self.write("storing analyses", None, |conn| {
            validate_analyses(analyses, |id| {
                contains(conn, id).map_err(|e| e.at(&self.shown, "storing analyses"))
            })?;
            for (id, analysis) in analyses {
                conn.execute(
                    "INSERT INTO analyses (article_seq, article_id, analyzer, json)
                     SELECT seq, id, $2, $3 FROM articles WHERE id = $1
                     ON CONFLICT (article_seq) DO UPDATE
                     SET analyzer = excluded.analyzer, json = excluded.json",
                    &[
                        &id.as_str(),
                        &analysis.analyzer.as_str(),
                        &analysis.json.as_bytes(),
                    ],
                )?;
            }
            Ok(())
        })
    }

    fn stale_analyses(&self, current: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let sql_limit = sql_limit(limit);
        self.read("listing stale analyses", |conn| {
            // As in SQLite: the unanalysed articles, then those of each
            // other analyser (few), each list in ingest order from the
            // index; merged, the first `limit` of them.
            let pairs = |rows: Vec<Row>| -> Result<Vec<(i64, String)>, Fail> {
                rows.iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                    .collect()
            };
            let mut found: Vec<(i64, String)> = Vec::new();
            let rows = pairs(conn.query(UNANALYZED_SQL, &[&i64::MAX, &sql_limit])?)?;
            let mut below = crate::sqlite::keep_first(&mut found, rows, limit);
            let mut after = String::new();
            while let Some(row) = conn.query_opt(NEXT_ANALYZER_SQL, &[&after])? {
                let analyzer: String = row.try_get(0)?;
                if analyzer != current {
                    let rows =
                        pairs(conn.query(ANALYZED_BY_SQL, &[&analyzer, &below, &sql_limit])?)?;
                    below = crate::sqlite::keep_first(&mut found, rows, limit);
                }
                after = analyzer;
            }
            found.iter().map(|(_, id)| parse_id(id)).collect()
        })
    }

    fn put_links(&self, linker: &str, batch: &LinkBatch) -> Result<(), StoreError> {
        self.put_links_impl(linker, batch)
    }

    fn link_records(&self, kind: &str, ids: &[String]) -> Result<Vec<LinkRecord>, StoreError> {
        self.link_records_impl(kind, ids)
    }

    fn link_bodies(&self, kind: &str, ids: &[String]) -> Result<Vec<(String, String)>, StoreError> {
        self.link_bodies_impl(kind, ids)
    }

    fn link_lookup(
        &self,
        kind: &str,
        keys: &[String],
        per_key: usize,
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.link_lookup_impl(kind, keys, per_key)
    }

    fn link_scan(
        &self,
        kind: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<LinkRecord>, StoreError> {
        self.link_scan_impl(kind, after, limit)
    }

    fn link_counters(&self, keys: &[String]) -> Result<Vec<i64>, StoreError> {
        self.link_counters_impl(keys)
    }

    fn unlinked(&self, linker: &str, limit: usize) -> Result<Vec<ArticleId>, StoreError> {
        self.unlinked_impl(linker, limit)
    }

    fn reset_links(&self, linker: &str) -> Result<(), StoreError> {
        self.reset_links_impl(linker)
    }

    fn link_state(&self) -> Result<LinkState, StoreError> {
        self.link_state_impl()
    }

    fn articles_per_day(&self) -> Result<Vec<(chrono::NaiveDate, u64)>, StoreError> {
        self.read("counting articles per day", |conn| {
            let rows = conn.query(
                "SELECT published_day, count(*) FROM articles WHERE published_day IS NOT NULL
                 GROUP BY published_day ORDER BY published_day",
                &[],
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                out.push((r.try_get(0)?, count(r.try_get(1)?)));
            }
            Ok(out)
        })
    }

    fn lease_linker(&self, holder: &str) -> Result<crate::LinkerLease, StoreError> {
        self.lease_linker_impl(holder)
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|e| e.into_inner()));
        if idle.is_empty() {
            return;
        }
        // A client closes its connection by blocking on a runtime of its
        // own, which panics inside an async runtime (the HTTP server drops
        // its store there when it stops): close them on a thread of their
        // own.
        let _ = std::thread::spawn(move || drop(idle)).join();
    }
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("url", &self.shown)
            .finish_non_exhaustive()
    }
}
