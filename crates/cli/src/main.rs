//! `storyline`: the command-line shell over the engine. Parses arguments,
//! calls the engine, prints results, maps outcomes to exit codes. Logic worth
//! testing lives in the library crates, not here.

mod args;
mod bench;
mod commands;
mod demo;
mod help;
mod links;
mod output;
mod progress;
mod queue;
mod watch;

use std::process::ExitCode;

use clap::FromArgMatches;

use crate::args::Cli;

/// How a run ended, as the process exit status (listed in `--help`,
/// `help::EXIT_STATUS`, and the README).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything worked.
    Success,
    /// Nothing could be done (store or input errors).
    Failure,
    /// The command was called wrongly (clap's own errors exit with 2 too).
    Usage,
    /// Some items failed and were skipped; the rest was done.
    Partial,
}

impl From<ExitStatus> for ExitCode {
    fn from(s: ExitStatus) -> ExitCode {
        ExitCode::from(match s {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
            ExitStatus::Usage => 2,
            ExitStatus::Partial => 3,
        })
    }
}

/// The environment variables clap reads; set but empty, each counts as
/// unset (`STORYLINE_DATA= storyline stats` uses the default directory).
const ENV_VARS: &[&str] = &[
    "STORYLINE_DATA",
    "STORYLINE_STORE",
    "STORYLINE_WAIT",
    "STORYLINE_INGEST_TOKEN",
];

fn main() -> ExitCode {
    for var in ENV_VARS {
        if std::env::var_os(var).is_some_and(|v| v.is_empty()) {
            // Still one thread: nothing else reads the environment yet.
            std::env::remove_var(var);
        }
    }
    let matches = help::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    init_logging(cli.verbose, cli.quiet);
    match commands::run(cli) {
        Ok(status) => status.into(),
        Err(err) if is_broken_pipe(&err) => {
            // `storyline articles | head`: the reader left; that is not an error.
            ExitStatus::Success.into()
        }
        Err(err) => {
            // Errors name files and quote input: printed safe, like data.
            eprintln!("error: {}", output::safe(&format!("{err:#}")));
            if err.chain().any(|c| c.is::<commands::UsageError>()) {
                ExitStatus::Usage.into()
            } else {
                ExitStatus::Failure.into()
            }
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|e| e.io_error_kind())
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}

fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("STORYLINE_LOG")
        // html5ever reports every tree-builder quirk of real pages as a
        // warning; they say nothing a user can act on.
        .unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new(format!("{default},html5ever=error"))
        });
    // Log fields name files and quote input, so every line goes through
    // the same neutralising as the rest of the output; colour codes would
    // be neutralised with them, so there are none.
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| output::SafeLog)
        .with_ansi(false)
        .with_target(false)
        .init();
}
