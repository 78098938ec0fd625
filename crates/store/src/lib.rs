//! storyline-store (being written).
