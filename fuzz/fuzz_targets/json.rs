//! The JSON and JSON Lines readers on arbitrary bytes: as a JSON document,
//! as JSON Lines, and sniffed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_core::InputFormat;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::read_and_check(data, Some(InputFormat::Json));
    common::read_and_check(data, Some(InputFormat::Jsonl));
    common::read_and_check(data, None);
});
