//! The distributed commands: `ingest --queue` (publish raw records),
//! `worker` (pull, analyse, store, acknowledge), `worker --link` (the one
//! linker, following the store), `queue status|dead` and `stats --queue`. Kept apart from
//! the other commands, arguments included, so that work on either merges
//! easily. See docs/DEPLOY.md.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Args, Subcommand};
use storyline_engine::queue::{PublishSummary, WorkerConfig, WorkerReport};
use storyline_engine::Engine;
use storyline_ingest::Input;
use storyline_queue::Queue;

use crate::args::{parse_every, parse_wait, IngestArgs};
use crate::commands::Place;
use crate::output::{print_json, print_tagged, safe};
use crate::progress::Progress;
use crate::ExitStatus;

#[derive(Args, Debug)]
pub struct WorkerArgs {
    /// The queue: nats://[USER:PASSWORD@]HOST:PORT.
    #[arg(
        long,
        env = "STORYLINE_QUEUE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub queue: String,
    /// Records fetched and stored in one transaction at a time.
    #[arg(long, default_value_t = 16)]
    pub batch: usize,
    /// Stop once the queue is empty and nothing is in flight (batch jobs);
    /// with --link, once everything stored by then is linked too.
    #[arg(long)]
    pub drain: bool,
    /// Be the linker instead: link what the workers store, in store order,
    /// resuming where the last linker stopped. Run exactly one per store.
    #[arg(long)]
    pub link: bool,
    /// With --link, the longest pause between two looks at the store.
    /// Workers wake the linker as soon as they store articles; this look
    /// on a timer only matters when such a word is lost (a queue restart).
    #[arg(long, default_value = "30s", value_parser = parse_every, requires = "link")]
    pub every: Duration,
    /// How long an analysed batch waits for the records published before
    /// it to be stored, so the store keeps the order they were read in
    /// (deduplication and linking depend on it); after that it is stored
    /// out of order. `0` never waits.
    #[arg(long, default_value = "10s", value_parser = parse_wait)]
    pub order_wait: Duration,
    #[command(flatten)]
    pub consumer: ConsumerArgs,
    /// How long to keep trying to reach the store and the queue at start:
    /// `30s`, `5m`.
    #[arg(long, default_value = "60s", value_parser = parse_every)]
    pub wait_for_services: Duration,
    /// Print the worker's report as JSON when it stops.
    #[arg(long)]
    pub json: bool,
}

/// The queue consumer's settings, shared by every worker. The first worker
/// creates the consumer (with these or the defaults); a worker given
/// either flag changes an existing consumer to it.
#[derive(Args, Debug)]
pub struct ConsumerArgs {
    /// How long a worker has to acknowledge a record before another gets
    /// it [default when the first worker creates the queue: 60s]. Given,
    /// it applies to every worker from now on.
    #[arg(long, value_parser = parse_every)]
    pub ack_wait: Option<Duration>,
    /// Deliveries of one record at most; a record on its last delivery is
    /// set aside as a dead letter untried [default when the first worker
    /// creates the queue: 5]. Given, it applies to every worker from now on.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub max_deliver: Option<u64>,
}

#[derive(Args, Debug)]
pub struct StatsArgs {
    /// Print one JSON document instead of text.
    #[arg(long)]
    pub json: bool,
    /// Also show the work queue at this URL (nats://HOST:PORT): what
    /// waits, what is in flight, and the dead letters with their reasons.
    #[arg(
        long,
        env = "STORYLINE_QUEUE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub queue: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum QueueCommand {
    /// How many records wait, are in flight and were set aside.
    #[command(
        after_help = "Examples:\n  storyline queue status --queue nats://queue:4222\n  STORYLINE_QUEUE=nats://queue:4222 storyline queue status --json"
    )]
    Status(QueueArgs),
    /// The records set aside, with why.
    #[command(after_help = "Examples:\n  storyline queue dead --queue nats://queue:4222 --json")]
    Dead(DeadArgs),
}

#[derive(Args, Debug)]
pub struct QueueArgs {
    /// The queue: nats://[USER:PASSWORD@]HOST:PORT.
    #[arg(
        long,
        env = "STORYLINE_QUEUE",
        value_name = "URL",
        hide_env_values = true
    )]
    pub queue: String,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct DeadArgs {
    #[command(flatten)]
    pub queue: QueueArgs,
    /// At most this many, oldest first.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
}

/// Connects to the queue at `url`: as a worker with `consumer`, else as a
/// publisher or a reader of the status, which never create or change the
/// workers' consumer (its settings are the workers').
#[cfg(feature = "nats")]
fn connect(url: &str, consumer: Option<&ConsumerArgs>) -> Result<Box<dyn Queue>> {
    use storyline_queue::nats::ConsumerSetup;
    let setup = match consumer {
        None => ConsumerSetup::Leave,
        Some(ConsumerArgs {
            ack_wait: None,
            max_deliver: None,
        }) => ConsumerSetup::Create,
        Some(c) => ConsumerSetup::Enforce {
            ack_wait: c.ack_wait,
            max_deliver: c.max_deliver,
        },
    };
    let options = storyline_queue::nats::NatsOptions {
        consumer: setup,
        ..Default::default()
    };
    let queue = storyline_queue::nats::NatsQueue::connect(url.trim(), options)
        .context("connecting to the queue")?;
    tracing::info!(queue = queue.url(), "connected to the queue");
    Ok(Box::new(queue))
}

#[cfg(not(feature = "nats"))]
fn connect(_url: &str, _consumer: Option<&ConsumerArgs>) -> Result<Box<dyn Queue>> {
    bail!("this storyline was built without NATS support (cargo feature `nats`)")
}

/// A flag set by Ctrl-C: stop after the work in hand; a second one stops
/// at once. (A SIGTERM ends the process where it is, which loses nothing:
/// unacknowledged records are delivered again, and linking is one
/// transaction per article.)
fn stop_flag(what: &'static str) -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("stopping after {what} (Ctrl-C again to stop at once)");
    })
    .context("installing the Ctrl-C handler")?;
    Ok(stop)
}

/// Tries `attempt` with backoff until it works or `limit` has passed: a
/// worker started with (or before) its database and queue waits for them.
fn patiently<T>(what: &str, limit: Duration, mut attempt: impl FnMut() -> Result<T>) -> Result<T> {
    let until = Instant::now() + limit;
    let mut pause = Duration::from_millis(200);
    loop {
        match attempt() {
            Ok(t) => return Ok(t),
            Err(e) if Instant::now() + pause < until => {
                tracing::warn!(error = %format!("{e:#}"), retry_in = ?pause, "cannot reach {what} yet");
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_secs(5));
            }
            Err(e) => return Err(e),
        }
    }
}

/// `storyline ingest --queue URL …`: reads the inputs and publishes each
/// article as a raw record; workers analyse and store them.
pub fn publish(url: &str, args: &IngestArgs, quiet: bool) -> Result<ExitStatus> {
    if args.no_analysis || args.no_link {
        bail!(
            "--no-analysis and --no-link do not apply with --queue: workers analyse every \
             record and `storyline worker --link` links them"
        );
    }
    let inputs: Vec<Input> = args.inputs.iter().map(|a| Input::from_arg(a)).collect();
    // Each copy reads the inputs again, and standard input can be read
    // only once: copies 2..N of it would be empty. Holding it all in
    // memory to replay would make a stream's size the memory's, for a
    // benchmark aid; a file reads again for nothing.
    if args.copies > 1 && inputs.contains(&Input::Stdin) {
        crate::commands::usage!(
            "--copies {} reads every input {} times, and standard input (`-`) can be read \
             only once: save it to a file and give the file instead",
            args.copies,
            args.copies
        );
    }
    let config = crate::commands::ingest_config(args)?;
    let queue = connect(url, None)?;
    let mut progress = Progress::new(quiet || args.json);
    let summary = storyline_engine::queue::publish(
        &inputs,
        &config,
        args.copies as usize,
        queue.as_ref(),
        &mut progress,
    )?;
    progress.finish();
    if args.json {
        print_tagged("storyline.publish/1", &summary)?;
    } else if !quiet {
        print_publish_summary(&summary)?;
    }
    Ok(match summary.exit_code() {
        0 => ExitStatus::Success,
        2 => ExitStatus::Partial,
        _ => ExitStatus::Failure,
    })
}

fn print_publish_summary(s: &PublishSummary) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "read {} articles: {} queued for the workers, {} already queued ({:.1}s)",
        s.read,
        s.queued,
        s.duplicates,
        s.elapsed.as_secs_f64()
    )?;
    let failed = s.skipped.len() + s.failed_inputs.len();
    if failed > 0 || !s.warnings.is_empty() {
        writeln!(
            out,
            "{failed} items skipped, {} warnings (listed above; `--json` gives them all)",
            s.warnings.len()
        )?;
    }
    Ok(())
}

/// The store and the queue a worker or the linker runs against, each waited
/// for up to `--wait-for-services` (they may start after it). The linker
/// only watches the queue: it leaves the workers' consumer alone.
fn open_services(place: Place, args: &WorkerArgs) -> Result<(Engine, Box<dyn Queue>)> {
    let engine = patiently("the store", args.wait_for_services, || {
        crate::commands::open(place.clone())
    })?;
    let consumer = (!args.link).then_some(&args.consumer);
    let queue = patiently("the queue", args.wait_for_services, || {
        connect(&args.queue, consumer)
    })?;
    Ok((engine, queue))
}

/// `storyline worker`: pulls records, analyses and stores them, until
/// Ctrl-C (or, with --drain, until the queue is empty).
pub fn worker(place: Place, args: &WorkerArgs, quiet: bool) -> Result<ExitStatus> {
    let stop = stop_flag("the batch in hand")?;
    let (engine, queue) = open_services(place, args)?;
    let config = WorkerConfig {
        batch: args.batch.max(1),
        drain: args.drain,
        order_wait: args.order_wait,
        ..WorkerConfig::default()
    };
    let report = storyline_engine::queue::run_worker(&engine, queue.as_ref(), &config, &stop);
    if args.json {
        print_tagged("storyline.worker/1", &report)?;
    } else if !quiet {
        print_worker_report(&report)?;
    }
    Ok(ExitStatus::Success)
}

fn print_worker_report(r: &WorkerReport) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} records: {} stored, {} already stored, {} redelivered, {} set aside; \
         {} store retries, {} batches stored out of order ({:.1}s)",
        r.deliveries,
        r.stored,
        r.already_present,
        r.redelivered,
        r.dead_lettered,
        r.store_retries,
        r.out_of_order,
        r.elapsed.as_secs_f64()
    )?;
    Ok(())
}

/// `storyline worker --link`: links what workers store, pass after pass,
/// until Ctrl-C (or, with --drain, until the queue is idle and everything
/// stored is linked). Each article is linked in one transaction that also
/// moves the store's watermark, so a linker killed at any moment resumes
/// after the last article it finished. A store or queue that goes away is
/// waited for.
pub fn follow(place: Place, args: &WorkerArgs, quiet: bool) -> Result<ExitStatus> {
    let stop = stop_flag("this pass")?;
    let wait_for_lease = place.wait;
    let (engine, queue) = open_services(place, args)?;
    let Some(mut lease) = take_linker_lease(&engine, wait_for_lease, &stop)? else {
        return Ok(ExitStatus::Success);
    };
    // Listening before the first look: an article stored during it is
    // heard afterwards.
    if let Err(e) = queue.listen_stored() {
        tracing::warn!(error = %safe(&e.to_string()), every = ?args.every, "cannot listen for stored articles; looking on the timer only");
    }
    let mut pause = Duration::from_millis(200);
    let mut total = 0u64;
    while !stop.load(Ordering::SeqCst) {
        // Asked before the pass: a queue idle then had every record
        // stored (a worker acknowledges after its commit), so a pass that
        // then links nothing has linked everything.
        let idle = args.drain && queue.status().is_ok_and(|s| s.is_idle());
        // The lease may have gone with its connection (a database
        // restart): taken again if free, else another linker runs now.
        let linked = match lease.check() {
            Err(e @ storyline_store::StoreError::LinkerBusy { .. }) => bail!(
                "the linker lease was lost (its database connection broke) and another linker \
                 took it: {}; this linker stops",
                safe(&e.to_string())
            ),
            Err(e) => Err(storyline_engine::EngineError::Store(e)),
            Ok(()) => engine.link(|_| {}),
        };
        let (wait, wake) = match linked {
            Ok(report) => {
                pause = Duration::from_millis(200);
                total += report.articles;
                if report.articles + report.without_analysis > 0 {
                    if args.json {
                        print_tagged("storyline.link/1", &report)?;
                    } else if !quiet {
                        crate::links::print_link_report(&report)?;
                    }
                } else if idle {
                    break;
                }
                (args.every, true)
            }
            Err(e) => {
                tracing::warn!(error = %safe(&e.to_string()), retry_in = ?pause, "linking failed; trying again");
                let wait = pause;
                pause = (pause * 2).min(Duration::from_secs(10));
                // A failure is waited out in full: words do not cut it short.
                (wait, false)
            }
        };
        let until = Instant::now() + wait;
        while !stop.load(Ordering::SeqCst) {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            // In slices, so Ctrl-C is seen within a quarter of a second.
            let slice = left.min(Duration::from_millis(250));
            if wake {
                if queue.wait_stored(slice) {
                    tracing::debug!("woken: a worker stored articles");
                    break;
                }
            } else {
                std::thread::sleep(slice);
            }
        }
    }
    tracing::info!(articles = total, "the linker stops");
    Ok(ExitStatus::Success)
}

/// Takes the store's linker lease, waiting up to `wait` (`--wait`) for
/// another linker to stop, saying so once; `None` when stopped meanwhile.
fn take_linker_lease(
    engine: &Engine,
    wait: Duration,
    stop: &AtomicBool,
) -> Result<Option<storyline_store::LinkerLease>> {
    let until = Instant::now() + wait;
    let mut said = false;
    loop {
        match crate::links::lease(engine) {
            Ok(lease) => return Ok(Some(lease)),
            Err(e) if crate::links::is_busy(&e) && Instant::now() < until => {
                if !said {
                    eprintln!(
                        "storyline: {e:#}; waiting up to {} for it (--wait sets how long; \
                         --wait 0 stops at once)",
                        humantime::format_duration(wait)
                    );
                    said = true;
                }
                let pause = until.saturating_duration_since(Instant::now());
                let pause = pause.min(Duration::from_secs(1));
                let resume = Instant::now() + pause;
                while Instant::now() < resume {
                    if stop.load(Ordering::SeqCst) {
                        return Ok(None);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            Err(e) => return Err(e),
        }
    }
}

/// `storyline stats --queue URL`: the store's figures and the queue's.
pub fn stats(engine: &Engine, url: &str, args: &StatsArgs) -> Result<ExitStatus> {
    const SHOWN: usize = 20;
    let stats = engine.store().stats()?;
    let links = engine.store().link_state()?;
    let queue = connect(url, None)?;
    let status = queue.status()?;
    let dead = queue.dead_letters(SHOWN)?;
    if args.json {
        let mut doc = crate::output::stats_json(&stats, &links);
        if let Some(map) = doc.as_object_mut() {
            map.insert(
                "queue".into(),
                serde_json::json!({
                    "status": status,
                    "dead_letters": dead,
                }),
            );
        }
        print_json(&doc)?;
        return Ok(ExitStatus::Success);
    }
    crate::output::print_stats(&stats, Some(&links))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "queue: {} waiting, {} in flight, {} dead letters",
        status.waiting, status.in_flight, status.dead_letters
    )?;
    for d in &dead {
        writeln!(
            out,
            "  dead letter {} after {} deliveries: {}",
            safe(&d.id),
            d.deliveries,
            safe(&d.reason)
        )?;
    }
    if status.dead_letters > dead.len() as u64 {
        writeln!(out, "  … `storyline queue dead --limit N` lists more")?;
    }
    Ok(ExitStatus::Success)
}

/// `storyline queue status|dead`.
pub fn queue(cmd: &QueueCommand) -> Result<ExitStatus> {
    match cmd {
        QueueCommand::Status(args) => {
            let status = connect(&args.queue, None)?.status()?;
            if args.json {
                print_tagged("storyline.queue/1", &status)?;
            } else {
                let settings = if status.consumer {
                    format!(
                        "ack wait {}s, at most {} deliveries",
                        status.ack_wait.as_secs(),
                        status.max_deliver
                    )
                } else {
                    "no worker has connected yet".to_string()
                };
                println!(
                    "{} waiting, {} in flight, {} dead letters ({settings})",
                    status.waiting, status.in_flight, status.dead_letters,
                );
            }
        }
        QueueCommand::Dead(args) => {
            let dead = connect(&args.queue.queue, None)?.dead_letters(args.limit)?;
            if args.queue.json {
                print_json(&serde_json::json!({
                    "schema": "storyline.dead_letters/1",
                    "dead_letters": dead,
                }))?;
            } else {
                let mut out = std::io::stdout().lock();
                for d in &dead {
                    writeln!(
                        out,
                        "{}  {} deliveries  {}",
                        safe(&d.id),
                        d.deliveries,
                        safe(&d.reason)
                    )?;
                }
            }
        }
    }
    Ok(ExitStatus::Success)
}
