//! storyline-engine (being written).
