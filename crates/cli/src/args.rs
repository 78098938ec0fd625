//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// storyline: turn news articles into a sourced, cross-checked account of the stories in them.
#[derive(Parser, Debug)]
#[command(
    name = "storyline",
    version,
    about = "storyline: turn news articles into a sourced, cross-checked account of the stories in them.",
    long_about = None,
    propagate_version = true
)]
pub struct Cli {
    /// Data directory holding the store [default: $STORYLINE_DATA, else the
    /// platform's data directory: ~/.local/share/storyline on Linux
    /// ($XDG_DATA_HOME), ~/Library/Application Support/storyline on macOS,
    /// %APPDATA%\storyline\data on Windows].
    #[arg(long, global = true, env = "STORYLINE_DATA", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// How long a command that writes (ingest, link, watch, …) waits while
    /// another process writes to the same store (and `worker --link` while
    /// another linker runs): `0` fails at once, `30s`, `1h`. Commands that
    /// only read never wait.
    #[arg(
        long,
        global = true,
        env = "STORYLINE_WAIT",
        value_name = "DURATION",
        default_value = "10m",
        value_parser = parse_wait
    )]
    pub wait: std::time::Duration,
    /// Keep the store in PostgreSQL instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
    /// (the data directory then holds only actors.tsv, if any).
    #[arg(
        long,
        global = true,
        env = "STORYLINE_STORE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub store: Option<String>,
    /// Print only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More log output (-v info, -vv debug); or set STORYLINE_LOG.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read articles from files, directories, feeds, URLs or stdin (-) into the store.
    #[command(
        after_help = "Examples:\n  storyline ingest ~/news/ feed.rss page.html dump.warc.gz\n  storyline ingest export.csv --map text=body,date=pubDate\n  curl -s https://example.org/a | storyline ingest -"
    )]
    Ingest(IngestArgs),
    /// List stored articles.
    #[command(
        after_help = "Examples:\n  storyline articles --since 2025-03-05 --limit 10\n  storyline articles --provenance inferred --json"
    )]
    Articles(ArticlesArgs),
    /// Analyse articles without storing them: entities, time expressions,
    /// quotes, figures and events as JSON (byte offsets into each text).
    #[command(
        after_help = "Examples:\n  storyline analyze article.txt\n  echo 'Officials said 12 people died on Monday.' | storyline analyze -"
    )]
    Analyze(AnalyzeArgs),
    /// Show one article: metadata with provenance, and its text.
    #[command(
        after_help = "Examples:\n  storyline show 1a2b3c            # an id, or its first 6+ hex digits\n  storyline show 1a2b3c --html --out article.html"
    )]
    Show(ShowArgs),
    /// Full-text search with snippets.
    #[command(
        after_help = "Examples:\n  storyline search dam\n  storyline search '\"humanitarian pause\"' --since 2025-03-05 --json"
    )]
    Search(SearchArgs),
    /// What the store holds (and, with --queue, what waits in the work
    /// queue and what it set aside).
    #[command(
        after_help = "Examples:\n  storyline stats\n  storyline --data-dir storyline-demo stats --json\n  storyline --store postgres://storyline@db/news stats --queue nats://queue:4222"
    )]
    Stats(crate::queue::StatsArgs),
    /// Rebuild the full-text index from the database.
    #[command(after_help = "Examples:\n  storyline reindex")]
    Reindex(JsonArg),
    /// Check that the store is whole, repairing nothing: SQLite's integrity
    /// and foreign-key checks, the full-text index in step with the
    /// database, an analysis row for every article and none for no
    /// article, and how far linking got. Exits 3 when it finds a problem.
    #[command(
        name = "check-store",
        after_help = "Examples:\n  storyline check-store\n  storyline --data-dir storyline-demo check-store --json"
    )]
    CheckStore(JsonArg),
    /// Re-run the per-article analysis where it is missing or was made by an
    /// older analyser version.
    #[command(after_help = "Examples:\n  storyline reanalyze")]
    Reanalyze(JsonArg),
    /// Bring the cross-document links up to date (ingest does this itself).
    #[command(after_help = "Examples:\n  storyline ingest big-dump/ --no-link && storyline link")]
    Link(JsonArg),
    /// Drop every link and relink the whole store (after editing actors.tsv
    /// in the data directory, or to recover from damage).
    #[command(after_help = "Examples:\n  storyline relink")]
    Relink(JsonArg),
    /// Canonical actors across articles, with aliases, roles and counts.
    #[command(after_help = "Examples:\n  storyline entities --kind person --limit 20")]
    Entities(EntitiesArgs),
    /// Comparable claims: figures, stances and events, with evidence.
    #[command(
        after_help = "Examples:\n  storyline claims --kind figure\n  storyline claims --entity e12 --json"
    )]
    Claims(ClaimsArgs),
    /// Where sources agree, update or contradict each other, with both sentences.
    #[command(
        after_help = "Examples:\n  storyline findings --kind contradict\n  storyline findings --story s1 --all --json"
    )]
    Findings(FindingsArgs),
    /// Who stands where: actor × issue, with evidence; contested cells marked.
    #[command(after_help = "Examples:\n  storyline stances")]
    Stances(JsonArg),
    /// Stories: clusters of articles about the same events, largest first.
    #[command(after_help = "Examples:\n  storyline stories --limit 5\n  storyline stories --json")]
    Stories(PageArgs),
    /// Storylines: the long-running situations, each with its stories (developments), largest first.
    #[command(after_help = "Examples:\n  storyline storylines")]
    Storylines(PageArgs),
    /// The dated timeline of one story, each entry with its sentences and articles.
    #[command(
        after_help = "Examples:\n  storyline timeline s1\n  storyline timeline s1 --dates 20 --json"
    )]
    Timeline(TimelineArgs),
    /// Re-read feeds, URLs and folders on a schedule, ingesting only what is
    /// new and updating the links after each pass; stops on Ctrl-C.
    #[command(
        after_help = "Examples:\n  storyline watch news/ https://example.org/rss --every 15m\n  storyline serve --watch https://example.org/rss --every 15m   # with the web dashboard"
    )]
    Watch(WatchArgs),
    /// A briefing to forward: one storyline (`l1`) or story (`s1`) as a
    /// page of Markdown, self-contained HTML (with charts) or JSON; without
    /// one, an index page and one page per storyline in the --out folder.
    #[command(
        after_help = "Examples:\n  storyline brief l1 --format html --out brief.html\n  storyline brief s1 > brief.md\n  storyline brief --format html --out briefings/   # index.html and one page per storyline\n  storyline brief --top 3 --json"
    )]
    Brief(BriefArgs),
    /// Export for other tools: JSONL of everything, or one CSV table
    /// (events PLOVER-style, figures, …); columns in docs/export.md.
    #[command(
        after_help = "Examples:\n  storyline export --out everything.jsonl\n  storyline export --format csv --what figures --out figures.csv"
    )]
    Export(ExportArgs),
    /// Supporting and contradicting evidence for a claim in your own words.
    #[command(after_help = "Examples:\n  storyline check \"the flood killed 81 people\"")]
    Check(CheckArgs),
    /// Extract an HTML page's article text and metadata, as ingest sees it.
    #[command(
        after_help = "Examples:\n  storyline extract page.html --format json\n  storyline extract https://example.org/news/1 --format markdown"
    )]
    Extract(ExtractArgs),
    /// Serve the HTTP JSON API (OpenAPI at /openapi.json) and the web UI.
    #[command(
        after_help = "Examples:\n  storyline serve                                   # http://127.0.0.1:8080, read-only\n  storyline serve --watch news/ https://example.org/rss --every 15m\n  STORYLINE_INGEST_TOKEN=$(openssl rand -hex 32) storyline serve   # POST /api/ingest with the token"
    )]
    Serve(ServeArgs),
    /// Ingest the bundled demo corpus into a fresh store and summarise it.
    #[command(
        after_help = "Examples:\n  storyline demo                     # into ./storyline-demo\n  storyline --data-dir storyline-demo stories"
    )]
    Demo(DemoArgs),
    /// Pull records from the queue (`ingest --queue`), analyse and store
    /// them; run as many as you like against one PostgreSQL store. With
    /// --link, the one linker: link what the workers stored, in store order.
    #[command(
        after_help = "Examples:\n  storyline --store postgres://storyline@db/news worker --queue nats://queue:4222\n  storyline --store postgres://storyline@db/news worker --link --queue nats://queue:4222"
    )]
    Worker(crate::queue::WorkerArgs),
    /// The work queue: what waits, what is in flight, what was set aside.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  storyline queue status --queue nats://queue:4222\n  storyline queue dead --queue nats://queue:4222 --json"
    )]
    Queue(crate::queue::QueueCommand),
    /// Measure throughput.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  storyline bench ingest data.csv --copies 10\n  storyline bench analyze news/"
    )]
    Bench(BenchCommand),
    /// Write shell completions to stdout (bash, zsh, fish, elvish, powershell).
    #[command(
        after_help = "Examples:\n  storyline completions bash > ~/.local/share/bash-completion/completions/storyline\n  storyline completions zsh > ~/.zfunc/_storyline"
    )]
    Completions(CompletionsArgs),
    /// Write the man page (roff) to stdout, or one page per command to a folder.
    #[command(
        after_help = "Examples:\n  storyline man | man -l -\n  storyline man --dir ~/.local/share/man/man1"
    )]
    Man(ManArgs),
    /// Score against a public dataset; prints metrics as JSON.
    #[command(subcommand)]
    #[command(
        after_help = "Examples:\n  storyline eval ner conll2003/valid.txt\n  storyline eval stories ecbplus/ECB+ --out partition.tsv"
    )]
    Eval(EvalCommand),
}

#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write `storyline.1` and one `storyline-COMMAND.1` per command here
    /// instead of the main page to stdout.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct JsonArg {
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Files, directories, http(s) URLs, or - for stdin.
    #[arg(required = true, value_name = "PATH|URL|-")]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Articles per transaction.
    #[arg(long, default_value_t = 500)]
    pub batch_size: usize,
    /// Store articles without analysing them (faster; `storyline reanalyze` later).
    /// Implies --no-link.
    #[arg(long)]
    pub no_analysis: bool,
    /// Do not update the cross-document links after ingesting (bulk loads:
    /// run `storyline link` once at the end).
    #[arg(long)]
    pub no_link: bool,
    /// Publish each article to this queue (nats://HOST:PORT) and return:
    /// `storyline worker`s analyse and store them, `storyline worker
    /// --link` links them.
    #[arg(
        long,
        env = "STORYLINE_QUEUE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub queue: Option<String>,
    /// With --queue: publish the inputs this many times, each copy after
    /// the first with a marker line after each text (so a new article by
    /// content hash), to measure workers and linker at N times the input.
    /// Standard input (`-`) is read once, so it is refused here.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub copies: u32,
    /// Print the run summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// How inputs are read (shared by `ingest` and `watch`).
#[derive(Args, Debug, Default)]
pub struct ReadArgs {
    /// Field mapping for JSON/JSONL/CSV, e.g. text=body,date=pubDate,title=headline.
    #[arg(long, value_name = "FIELD=NAME,...")]
    pub map: Option<String>,
    /// Allow fetching URLs that resolve to private, loopback or link-local addresses.
    #[arg(long)]
    pub allow_private: bool,
    /// Do not fetch the linked page for feed items that carry only a summary.
    #[arg(long)]
    pub no_follow_links: bool,
    /// Network timeout per request, in seconds.
    #[arg(long, default_value_t = 20)]
    pub timeout: u64,
    /// In folders, read files that symbolic links point to outside the
    /// folder given (by default such links are reported and not read).
    #[arg(long)]
    pub follow_symlinks: bool,
}

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// Feeds, URLs, files or folders to re-read on every pass.
    #[arg(required = true, value_name = "PATH|URL")]
    pub sources: Vec<String>,
    /// Time between the starts of two passes: `90s`, `15m`, `1h 30m`.
    #[arg(long, default_value = "15m", value_parser = parse_every)]
    pub every: std::time::Duration,
    /// Stop after this many passes (default: until Ctrl-C).
    #[arg(long)]
    pub passes: Option<u64>,
    /// Leave a file for a later pass until it was last modified this long
    /// ago, and until its size and time stay as one pass found them, so a
    /// file still being written is read once, whole (`0`: read at once).
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub settle: std::time::Duration,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Print one JSON object per pass instead of a line of text.
    #[arg(long)]
    pub json: bool,
}

/// A duration as humantime reads it (`90s`, `15m`, `1h 30m`, `2d`), or
/// plain seconds.
fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse()
            .map(std::time::Duration::from_secs)
            .map_err(|_| format!("{s:?} is too long a time"));
    }
    humantime::parse_duration(s)
        .map_err(|e| format!("{s:?} is not a duration like 90s, 15m or 1h 30m ({e})"))
}

/// `--every`: a duration of at least one second.
pub fn parse_every(s: &str) -> Result<std::time::Duration, String> {
    let every = parse_duration(s)?;
    if every < std::time::Duration::from_secs(1) {
        return Err("the interval must be at least one second".into());
    }
    Ok(every)
}

/// `--wait`: any duration, `0` included (fail at once).
pub fn parse_wait(s: &str) -> Result<std::time::Duration, String> {
    parse_duration(s)
}

#[derive(Args, Debug)]
pub struct ArticlesArgs {
    /// Only this outlet (case-insensitive).
    #[arg(long)]
    pub source: Option<String>,
    /// Published on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Published on or before this day (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// Only articles whose date has this provenance.
    #[arg(long, value_enum)]
    pub provenance: Option<ProvenanceArg>,
    /// At most this many.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Skip this many.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print one JSON document instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ProvenanceArg {
    Metadata,
    Header,
    Dateline,
    Url,
    Inferred,
    Unknown,
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// A file (any format ingest reads), an http(s) URL, or - for stdin.
    #[arg(value_name = "FILE|URL|-")]
    pub input: String,
    /// Allow fetching URLs that resolve to private addresses.
    #[arg(long)]
    pub allow_private: bool,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    /// Article id (or its first 6+ hex digits).
    pub id: String,
    /// Print the stored article as JSON.
    #[arg(long)]
    pub json: bool,
    /// Write a standalone HTML page with the extractions highlighted and a
    /// legend (all article text escaped) to stdout, or to --out.
    #[arg(long, conflicts_with = "json")]
    pub html: bool,
    /// With --html: write the page to this file.
    #[arg(long, requires = "html")]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words to look for; "quoted phrases" work.
    #[arg(required = true)]
    pub query: Vec<String>,
    /// Only this outlet.
    #[arg(long)]
    pub source: Option<String>,
    /// Published on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub since: Option<String>,
    /// Published on or before this day (YYYY-MM-DD).
    #[arg(long)]
    pub until: Option<String>,
    /// At most this many hits.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Skip this many of the best hits (the next page: --offset 20).
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// An HTML file, an http(s) URL, or - for stdin.
    pub input: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Text)]
    pub format: ExtractFormat,
    /// Allow fetching URLs that resolve to private addresses.
    #[arg(long)]
    pub allow_private: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtractFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Accept POST /api/ingest from clients that send `Authorization:
    /// Bearer TOKEN` (at least 16 visible ASCII characters, e.g. `openssl
    /// rand -hex 32`). Prefer the environment variable: other users can
    /// read a command line.
    #[arg(
        long,
        env = "STORYLINE_INGEST_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub ingest_token: Option<String>,
    /// Accept POST /api/ingest from anyone who can connect; only with a
    /// loopback --addr (127.0.0.1, ::1).
    #[arg(long, conflicts_with = "ingest_token")]
    pub allow_ingest: bool,
    /// Refuse POST /api/ingest, even with STORYLINE_INGEST_TOKEN set. The
    /// default unless --ingest-token or --allow-ingest is given.
    #[arg(long, conflicts_with = "allow_ingest")]
    pub read_only: bool,
    /// Largest request body accepted, in MiB.
    #[arg(long, default_value_t = 10)]
    pub max_body_mib: usize,
    /// Most connections open at once; more are answered 503 and closed.
    #[arg(long, default_value_t = 1024)]
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers; also how long an
    /// idle keep-alive connection is kept.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    pub header_timeout: u64,
    /// Also re-read these feeds, URLs, files or folders on a schedule, as
    /// `storyline watch` does, in this process: the pages show each pass
    /// as it commits.
    #[arg(long, num_args = 1.., value_name = "PATH|URL")]
    pub watch: Vec<String>,
    /// With --watch: time between the starts of two passes.
    #[arg(long, default_value = "15m", value_parser = parse_every, requires = "watch")]
    pub every: std::time::Duration,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// A corpus folder to use instead of the one built into storyline
    /// (which is written to DATA_DIR/corpus/ and read from there).
    pub path: Option<PathBuf>,
    /// Keep the existing store instead of starting afresh.
    #[arg(long)]
    pub keep: bool,
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Ingest into a temporary store and report articles/s, MB/s and peak RSS.
    #[command(after_help = "Examples:\n  storyline bench ingest data.csv --copies 10 --link")]
    Ingest(BenchIngestArgs),
    /// Run the whole per-article analysis over any input (nothing stored) and
    /// report words/s and peak RSS.
    #[command(after_help = "Examples:\n  storyline bench analyze news/ --threads 2")]
    Analyze(BenchAnalyzeArgs),
}

#[derive(Args, Debug)]
pub struct BenchAnalyzeArgs {
    /// Any input ingest accepts.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Worker threads [default: all cores].
    #[arg(long)]
    pub threads: Option<usize>,
}

#[derive(Args, Debug)]
pub struct BenchIngestArgs {
    /// Any input ingest accepts.
    #[arg(required = true)]
    pub inputs: Vec<String>,
    /// Ingest this many copies, each with changed text (so new ids).
    #[arg(long, default_value_t = 1)]
    pub copies: usize,
    /// Articles per transaction.
    #[arg(long, default_value_t = 500)]
    pub batch_size: usize,
    /// Measure parse + store + index only, without the per-article analysis.
    #[arg(long)]
    pub no_analysis: bool,
    /// After each copy, run the cross-document linker and time it per
    /// article (timed apart from ingest), to show it stays flat as the
    /// store grows.
    #[arg(long, conflicts_with = "no_analysis")]
    pub link: bool,
}

#[derive(Subcommand, Debug)]
pub enum EvalCommand {
    /// Web page extraction on html-dev style data (html/<id>.html + truth.jsonl).
    #[command(
        after_help = "Examples:\n  storyline eval extraction ../shared/data/html-dev --out pred.jsonl"
    )]
    Extraction {
        /// Dataset folder.
        dir: PathBuf,
        /// Write one JSON line per page here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Story clustering: on ECB+ (one folder per topic), B³ of documents against sub-topics; with
    /// `--labels`, on labelled real coverage, B³ against storylines and developments.
    #[command(
        after_help = "Examples:\n  storyline eval stories ../shared/data/ecbplus/ECB+ --out partition.tsv\n  storyline eval stories ../shared/data/ecbplus/ECB+ --folds\n  storyline eval stories bbc.csv --labels labels/gaza2023"
    )]
    Stories {
        /// The ECB+ folder (`ecbplus/ECB+`), or with `--labels` the coverage the labels point into.
        dir: PathBuf,
        /// Write the predicted partition (file<TAB>cluster) here (ECB+ only).
        #[arg(long, conflicts_with = "labels")]
        out: Option<PathBuf>,
        /// A label folder holding `storylines.tsv` (`labels/gaza2023`).
        #[arg(long)]
        labels: Option<PathBuf>,
        /// ECB+ only: choose the clustering knobs on topics 1-25 and report topics 26 and later
        /// with them (the out-of-fold figure), beside the shipped defaults.
        #[arg(long, conflicts_with_all = ["labels", "out"])]
        folds: bool,
    },
    /// Entity merging and types on labelled real coverage: pairwise merge precision and recall
    /// over labelled mentions, and type accuracy (labels: `labels/gaza2023/mentions.tsv`).
    #[command(
        after_help = "Examples:\n  storyline eval entities bbc.csv --labels labels/gaza2023"
    )]
    Entities {
        /// The coverage the labels point into (the BBC CSV of `gaza2023`).
        data: PathBuf,
        /// The label folder (`mentions.tsv`).
        #[arg(long)]
        labels: PathBuf,
    },
    /// Timeline summarisation on Timeline17-format data: alignment ROUGE-1/2 F and date F1.
    #[command(
        after_help = "Examples:\n  storyline eval tls ../shared/data/timeline17 --out timelines/\n  storyline eval tls ../shared/data/timeline17 --loto"
    )]
    Tls {
        /// The folder of topics (`timeline17`).
        dir: PathBuf,
        /// Write predicted timelines (timelines.jsonl per topic) under this folder.
        #[arg(long, conflicts_with = "loto")]
        out: Option<PathBuf>,
        /// Leave one topic out: choose the timeline knobs on the other topics, score each topic
        /// with them, and report the out-of-fold means beside the defaults' (in-sample) figures.
        #[arg(long)]
        loto: bool,
    },
    /// Time expressions on TimeML files (.tml, .TE3input), TempEval-3 metrics.
    #[command(
        after_help = "Examples:\n  storyline eval timex ../shared/data/tempeval3/TBAQ-cleaned --out timeml-out/"
    )]
    Timex {
        /// Folder of TimeML documents (searched recursively).
        dir: PathBuf,
        /// Write each document with the predicted TIMEX3 tags here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Quotes and attribution on PolNeAR brat files: (source, content) pair F1, loose and strict, and cue F1.
    #[command(
        after_help = "Examples:\n  storyline eval attribution ../shared/data/polnear/dev --out brat-out/"
    )]
    Attribution {
        /// Folder of brat `.txt` + `.ann` files (e.g. polnear/dev).
        dir: PathBuf,
        /// Write predictions as brat `.ann` files here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Findings and figures on labelled real coverage: precision and recall per finding kind at the
    /// default confidence threshold, a precision-recall curve, and figure field accuracy
    /// (labels: `labels/gaza2023`, rules in `labels/README.md`).
    #[command(
        after_help = "Examples:\n  storyline eval findings bbc.csv --labels labels/gaza2023\n  storyline eval findings timeline17/ --labels labels/t17\n  storyline eval findings bbc.csv --labels labels/gaza2023-outlets --outlets 3"
    )]
    Findings {
        /// The coverage the labels point into: a CSV (the BBC CSV of `gaza2023`), or a folder of
        /// `topic_outlet` topics (Timeline17), of which the topics two or more outlets covered are read.
        data: PathBuf,
        /// The label folder (`figures.tsv`, `pairs.tsv`).
        #[arg(long)]
        labels: PathBuf,
        /// Deal a table's articles to this many pseudo-outlets (`outlet-1` …, by a hash of the
        /// data row) before linking, so one outlet's coverage yields cross-source findings
        /// (`labels/gaza2023-outlets` is labelled on 3).
        #[arg(long, value_parser = clap::value_parser!(u32).range(2..=26))]
        outlets: Option<u32>,
    },
    /// Named entities on a CoNLL-2003 file (exact span match, conlleval).
    #[command(
        after_help = "Examples:\n  storyline eval ner ../shared/data/conll2003/valid.txt --out pred.conll"
    )]
    Ner {
        /// CoNLL file.
        file: PathBuf,
        /// Write the input with a fifth column of predicted IOB2 tags here.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Model tier.
        #[arg(long, default_value = "fast")]
        tier: String,
    },
}

#[derive(Args, Debug)]
pub struct PageArgs {
    /// At most this many.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Skip this many.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ActorKindArg {
    Country,
    Organization,
    Group,
    Person,
    Place,
    Other,
}

#[derive(Args, Debug)]
pub struct EntitiesArgs {
    /// Only this kind.
    #[arg(long, value_enum)]
    pub kind: Option<ActorKindArg>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ClaimKindArg {
    Figure,
    Stance,
    Event,
}

#[derive(Args, Debug)]
pub struct ClaimsArgs {
    /// Only this kind.
    #[arg(long, value_enum)]
    pub kind: Option<ClaimKindArg>,
    /// Only claims naming this entity id (see `storyline entities`).
    #[arg(long)]
    pub entity: Option<String>,
    /// Only claims from this article (id or its first 6+ hex digits).
    #[arg(long)]
    pub article: Option<String>,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum FindingKindArg {
    Agree,
    Update,
    Contradict,
    Revision,
    Inconsistent,
}

#[derive(Args, Debug)]
pub struct FindingsArgs {
    /// Only this kind.
    #[arg(long, value_enum)]
    pub kind: Option<FindingKindArg>,
    /// Only findings about this story (`s3`, as `storyline stories` lists it).
    #[arg(long)]
    pub story: Option<String>,
    /// Only findings with a side in this article (id or its first 6+ hex digits).
    #[arg(long)]
    pub article: Option<String>,
    /// Also list findings below the confidence threshold.
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub page: PageArgs,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The claim, e.g. "Israel says Hamas killed 1,400 people".
    #[arg(required = true)]
    pub claim: Vec<String>,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// The story id (`s1`, or `1`), as `storyline stories` lists it.
    pub story: String,
    /// At most this many dates.
    #[arg(long, default_value_t = 12)]
    pub dates: usize,
    /// Sentences per date.
    #[arg(long, default_value_t = 2)]
    pub sentences: usize,
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct BriefArgs {
    /// The storyline (`l1`) or story (`s1`, or `1`); without it, every
    /// storyline, largest first.
    pub story: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = BriefFormat::Md)]
    pub format: BriefFormat,
    /// Write the briefing to this file instead of printing it (Markdown
    /// charts go to `<FILE stem>-charts/` beside it); without a story, the
    /// folder for `index.html` (or `.md`) and one page per storyline.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Only the largest N storylines.
    #[arg(long)]
    pub top: Option<usize>,
    /// Where `storyline serve` runs: an article with no web address of its
    /// own links to its page there.
    #[arg(long, default_value = "http://127.0.0.1:8080", value_name = "URL")]
    pub link_base: String,
    /// The same as `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BriefFormat {
    /// Markdown (charts as SVG files beside `--out`).
    Md,
    /// One HTML page with inline SVG charts, no external assets.
    Html,
    /// The briefing documents (`storyline.brief/2`).
    Json,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Jsonl)]
    pub format: ExportFormatArg,
    /// Which records [default: everything for JSONL, events for CSV].
    #[arg(long, value_enum)]
    pub what: Option<ExportWhat>,
    /// Write here instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormatArg {
    /// One JSON object per line, each with a `record` field.
    Jsonl,
    /// One table with a header row.
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportWhat {
    Articles,
    Entities,
    Events,
    Figures,
    Quotes,
    Claims,
    Findings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse_with_units_and_reject_nonsense() {
        use std::time::Duration;
        assert_eq!(parse_every("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_every("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_every("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_every("1h 30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_every("45"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_wait("0"), Ok(Duration::ZERO));
        assert_eq!(parse_wait("10m"), Ok(Duration::from_secs(600)));
        for bad in [
            "",
            "0s",
            "500ms",
            "m",
            "15 parsecs",
            "-5m",
            "99999999999999999999s",
        ] {
            assert!(parse_every(bad).is_err(), "{bad:?}");
        }
    }
}
