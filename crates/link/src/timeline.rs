//! Timelines per story (being written).
