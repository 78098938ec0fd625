use std::fmt;

use serde::{Deserialize, Serialize};

/// Where in the input something was found: a file (or URL, or `-` for
/// stdin), and within it a line or a record number when they are known.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Location {
    /// Path, URL or `-`.
    pub source: String,
    /// 1-based line number within the source, when the format has lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub line: Option<u64>,
    /// 1-based record number (CSV row, JSONL line, feed item, WARC record).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(nullable = false))]
    pub record: Option<u64>,
}

impl Location {
    /// A location naming only a source.
    pub fn source(source: impl Into<String>) -> Location {
        Location {
            source: source.into(),
            line: None,
            record: None,
        }
    }

    /// The same source with a record number.
    pub fn with_record(&self, record: u64) -> Location {
        Location {
            record: Some(record),
            ..self.clone()
        }
    }

    /// The same source with a line number.
    pub fn with_line(&self, line: u64) -> Location {
        Location {
            line: Some(line),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(record) = self.record {
            write!(f, " (record {record})")?;
        }
        Ok(())
    }
}

/// Something in the input that was skipped or not taken at face value, with
/// where and why. Problems are data, not errors: a run collects them and goes on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// Where it happened.
    pub location: Location,
    /// What went wrong, in words a user can act on.
    pub reason: String,
    /// `true` when the item was skipped; `false` for a warning about an item that was kept
    /// (a rejected metadata date, a replaced invalid byte).
    pub skipped: bool,
}

impl Problem {
    /// An item that was skipped.
    pub fn skipped(location: Location, reason: impl Into<String>) -> Problem {
        Problem {
            location,
            reason: reason.into(),
            skipped: true,
        }
    }

    /// A warning about an item that was kept.
    pub fn warning(location: Location, reason: impl Into<String>) -> Problem {
        Problem {
            location,
            reason: reason.into(),
            skipped: false,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = if self.skipped { "skipped" } else { "warning" };
        write!(f, "{}: {kind}: {}", self.location, self.reason)
    }
}
