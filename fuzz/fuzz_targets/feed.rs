//! The FEED reader on arbitrary bytes, given as FEED and sniffed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::InputFormat;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read_and_check(data, Some(InputFormat::Feed));
    common::read_and_check(data, None);
});
