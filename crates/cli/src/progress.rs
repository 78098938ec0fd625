//! A progress line on a terminal; silence when piped.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use storyline_engine::{IngestEvent, IngestObserver};

/// Draws ingest progress on stderr when it is a terminal.
pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress { bar, quiet }
    }

    /// Shows a message (`linking`) with a running count.
    pub fn message(&mut self, msg: String) {
        if let Some(bar) = &self.bar {
            bar.set_message(msg);
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

impl IngestObserver for Progress {
    fn event(&mut self, event: IngestEvent<'_>) {
        match event {
            IngestEvent::InputStarted(name) => {
                if let Some(bar) = &self.bar {
                    bar.set_message(format!("reading {}", crate::output::safe(name)));
                }
            }
            IngestEvent::BatchCommitted { read, inserted } => {
                if let Some(bar) = &self.bar {
                    bar.set_message(format!("{read} articles read, {inserted} new"));
                }
            }
            IngestEvent::Problem(problem) => {
                if self.quiet {
                    return;
                }
                let line = crate::output::safe(&problem.to_string()).into_owned();
                match &self.bar {
                    Some(bar) => bar.println(line),
                    None => eprintln!("{line}"),
                }
            }
        }
    }
}
