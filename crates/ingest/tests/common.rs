//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

use chrono::NaiveDate;
use storyline_core::{ArticleDraft, InputFormat, Location, Problem};
use storyline_ingest::{read, read_bytes, Event, IngestOptions, Input};

/// "Now" for every test: a fixed day, so date rules are reproducible.
pub fn now() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 11, 13).unwrap()
}

pub fn opts() -> IngestOptions {
    IngestOptions {
        now: now(),
        ..IngestOptions::default()
    }
}

#[derive(Debug, Default)]
pub struct Out {
    pub articles: Vec<ArticleDraft>,
    pub problems: Vec<Problem>,
}

impl Out {
    pub fn skipped(&self) -> Vec<&Problem> {
        self.problems.iter().filter(|p| p.skipped).collect()
    }
    pub fn warnings(&self) -> Vec<&Problem> {
        self.problems.iter().filter(|p| !p.skipped).collect()
    }
    pub fn one(&self) -> &ArticleDraft {
        assert_eq!(
            self.articles.len(),
            1,
            "expected one article, got {:#?}",
            self
        );
        &self.articles[0]
    }
    /// Problems as `location: skipped|warning: reason` lines, for exact assertions.
    pub fn problem_lines(&self) -> Vec<String> {
        self.problems.iter().map(|p| p.to_string()).collect()
    }
}

pub fn bytes(data: &[u8], hint: Option<InputFormat>) -> Out {
    bytes_with(data, hint, &opts())
}

pub fn bytes_with(data: &[u8], hint: Option<InputFormat>, o: &IngestOptions) -> Out {
    let mut out = Out::default();
    read_bytes(data, Location::source("-"), hint, o, &mut |e| match e {
        Event::Article(a) => out.articles.push(*a),
        Event::Problem(p) => out.problems.push(p),
    });
    out
}

pub fn input(
    i: &Input,
    o: &IngestOptions,
) -> (
    Out,
    Result<storyline_ingest::ReadSummary, storyline_ingest::IngestError>,
) {
    let mut out = Out::default();
    let r = read(i, o, &mut |e| match e {
        Event::Article(a) => out.articles.push(*a),
        Event::Problem(p) => out.problems.push(p),
    });
    (out, r)
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `shared/` beside the project root, or `None` (with a message) when absent.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "skipping: {} not found (shared/ data is only on CI and developer machines)",
            p.display()
        );
        None
    }
}
