//! HTML extraction evaluation (html-dev): being written.
