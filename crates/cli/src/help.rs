//! The command tree as the user sees it: `--help` with the everyday
//! commands first and maintenance apart, shell completions and man pages,
//! all generated from the one clap definition in `args.rs`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::args::Cli;
use crate::ExitStatus;

/// The commands of daily use, in the order a newcomer meets them. A
/// command named in no group is listed with these, at the end.
const EVERYDAY: &[&str] = &[
    "demo",
    "ingest",
    "watch",
    "serve",
    "stories",
    "storylines",
    "timeline",
    "brief",
    "findings",
    "claims",
    "entities",
    "stances",
    "check",
    "search",
    "articles",
    "show",
    "stats",
    "export",
    "analyze",
    "extract",
];

/// Commands for keeping a store in shape and measuring storyline.
const MAINTENANCE: &[&str] = &[
    "link",
    "relink",
    "reindex",
    "reanalyze",
    "check-store",
    "bench",
    "eval",
];

/// Running on several machines: the queue's workers and its one linker.
const SCALE_OUT: &[&str] = &["worker", "queue"];

/// Setting up the shell and the manual.
const SETUP: &[&str] = &["completions", "man", "help"];

/// Exit statuses, shown under the top-level help and in the man page.
pub const EXIT_STATUS: &str = "\
Exit status:
  0  done
  1  nothing could be done (no store, unreadable input, another writer kept the store past --wait)
  2  usage error: an unknown flag or a bad value
  3  done in part: some items failed and were skipped (each listed on stderr);
     for check-store, problems were found in the store

Commands that only read run beside one that writes; a second writer waits (--wait).
`storyline COMMAND --help` shows each command's options and examples.";

/// The clap command with the grouped listing as its help.
pub fn command() -> clap::Command {
    let cmd = Cli::command();
    let listing = grouped(&cmd);
    cmd.help_template(format!(
        "{{about-with-newline}}\n{{usage-heading}} {{usage}}\n\n{listing}\nOptions:\n{{options}}{{after-help}}"
    ))
    .after_help(EXIT_STATUS)
}

/// The subcommands in their groups, one line each: name and the first
/// line of its description.
fn grouped(cmd: &clap::Command) -> String {
    let visible: Vec<&clap::Command> = cmd.get_subcommands().filter(|c| !c.is_hide_set()).collect();
    let about = |name: &str| -> String {
        if name == "help" {
            return "Print this message or the help of the given command".into();
        }
        visible
            .iter()
            .find(|c| c.get_name() == name)
            .and_then(|c| c.get_about())
            .map(|a| a.to_string().lines().next().unwrap_or_default().to_string())
            .unwrap_or_default()
    };
    let mut everyday: Vec<&str> = EVERYDAY
        .iter()
        .copied()
        .filter(|n| visible.iter().any(|c| c.get_name() == *n))
        .collect();
    for c in &visible {
        let name = c.get_name();
        if ![EVERYDAY, MAINTENANCE, SCALE_OUT, SETUP]
            .iter()
            .any(|g| g.contains(&name))
        {
            everyday.push(name);
        }
    }
    let width = visible
        .iter()
        .map(|c| c.get_name().len())
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = Vec::new();
    for (heading, names) in [
        ("Everyday commands:", everyday),
        ("Maintenance:", MAINTENANCE.to_vec()),
        ("Several machines (docs/DEPLOY.md):", SCALE_OUT.to_vec()),
        ("Setup:", SETUP.to_vec()),
    ] {
        let mut group = format!("{heading}\n");
        for name in names {
            group.push_str(&format!("  {name:<width$}{}\n", about(name)));
        }
        out.push(group);
    }
    out.join("\n")
}

/// `storyline completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Result<ExitStatus> {
    let mut cmd = command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut cmd, "storyline", &mut out);
    out.flush()?;
    Ok(ExitStatus::Success)
}

/// `storyline man [--dir DIR]`: the main page to stdout, or every page
/// (`storyline.1`, `storyline-COMMAND.1`) into a folder.
pub fn man(dir: Option<&Path>) -> Result<ExitStatus> {
    let mut cmd = command();
    cmd.build();
    let Some(dir) = dir else {
        let mut out = std::io::stdout().lock();
        clap_mangen::Man::new(cmd).render(&mut out)?;
        out.flush()?;
        return Ok(ExitStatus::Success);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut pages = vec![("storyline".to_string(), clap_mangen::Man::new(cmd.clone()))];
    for sub in cmd.get_subcommands().filter(|c| !c.is_hide_set()) {
        let name = format!("storyline-{}", sub.get_name());
        pages.push((name.clone(), clap_mangen::Man::new(sub.clone()).title(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut buf = Vec::new();
        page.render(&mut buf)?;
        std::fs::write(&path, buf).with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "wrote the man pages to {}",
        crate::output::safe(&dir.display().to_string())
    );
    Ok(ExitStatus::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_is_listed_once_with_maintenance_after_the_everyday_ones() {
        let cmd = command();
        let help = grouped(&cmd);
        for sub in cmd.get_subcommands() {
            let line = format!("\n  {} ", sub.get_name());
            assert_eq!(
                help.matches(&line).count(),
                1,
                "{} in\n{help}",
                sub.get_name()
            );
        }
        let everyday = help.find("Everyday commands:").unwrap();
        let maintenance = help.find("Maintenance:").unwrap();
        assert!(everyday < maintenance);
        for name in MAINTENANCE {
            assert!(
                help.find(&format!("\n  {name} ")).unwrap() > maintenance,
                "{name}"
            );
        }
        assert!(help.find("\n  ingest ").unwrap() < maintenance);
    }

    #[test]
    fn every_command_has_an_example() {
        fn walk(cmd: &clap::Command, path: &str) {
            for sub in cmd.get_subcommands() {
                let name = format!("{path} {}", sub.get_name());
                let after = sub
                    .get_after_help()
                    .map(|a| a.to_string())
                    .unwrap_or_default();
                assert!(
                    after.starts_with("Examples:") && after.contains("storyline "),
                    "`{name} --help` has no example"
                );
                walk(sub, &name);
            }
        }
        let cmd = command();
        walk(&cmd, "storyline");
        cmd.debug_assert();
    }
}
