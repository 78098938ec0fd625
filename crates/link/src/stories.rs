//! Incremental story clustering (being written).
