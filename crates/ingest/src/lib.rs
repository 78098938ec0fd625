//! storyline-ingest (being written).
