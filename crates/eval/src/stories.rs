//! ECB+ document clustering (being written).
