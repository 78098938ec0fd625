//! Evaluation against public datasets: readers for each dataset's own format,
//! the metrics as the reference papers define them, and writers for predictions
//! in the dataset's format so official scorers can check them.
//!
//! Data is always given as a path at run time; nothing here downloads or embeds it.

pub mod attribution;
pub mod coverage;
pub mod extraction;
pub mod findings;
pub mod ner;
pub mod stories;
pub mod timex;
pub mod tls;
