//! Timeline17 timeline summarisation (being written).
