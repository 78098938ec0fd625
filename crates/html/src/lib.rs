//! storyline-html (being written).
