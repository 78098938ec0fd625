//! storyline-analyze (being written).
