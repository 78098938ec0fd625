//! HTML extraction on arbitrary bytes: the extractor itself, and the HTML
//! reader around it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::InputFormat;
use storyline_html::{extract, ExtractOptions};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(page) = extract(data, &ExtractOptions::new(common::now())) {
        let _ = page;
    }
    common::read_and_check(data, Some(InputFormat::Html));
});
