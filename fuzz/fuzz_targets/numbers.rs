//! Numbers in text (digits, words, scales, ranges, approximations): the
//! figure finder over tokens and sentences, with no other layer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use storyline_analyze::figures::find_figures;
use storyline_analyze::{split_sentences, tokenize};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let tokens = tokenize(s);
    let sentences = split_sentences(s, &tokens);
    for f in find_figures(s, &tokens, &sentences, &[], &[], &[]) {
        assert!(
            f.span.slice(s).is_some(),
            "figure span outside the text: {f:?}"
        );
        assert!(
            f.value.is_finite(),
            "a figure that is not a finite number: {f:?}"
        );
    }
});
