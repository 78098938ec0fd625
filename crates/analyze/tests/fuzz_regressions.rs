//! Inputs the fuzz targets of `fuzz/` found crashing, kept here so that the
//! stable test suite checks them on every run (issue 19). Each test names
//! its target; the input is the crashing one, or its smallest form.

use storyline_analyze::document::{analyze, AnalysisContext};
use storyline_analyze::figures::find_figures;
use storyline_analyze::{split_sentences, tokenize};

fn figures_of(text: &str) -> Vec<storyline_analyze::figures::Figure> {
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    find_figures(text, &tokens, &sentences, &[], &[], &[])
}

/// Target `numbers`: a range whose low end is 0 under a scale word
/// (`between 0 and 5 million`) searched for a power of 1,000 for ever and
/// came out NaN (written `null` in the analysis JSON).
#[test]
fn a_range_from_zero_under_a_scale_word_is_a_number() {
    let crash: &[u8] = b"\0\0About 1,400 people were killed and 240 taken hostagasibetween 0 and 5 million dollars, $2.5bn, twelve \0\0\0\0since\0\0\x02h\0\0\0\0\0\0#\0\0u\0n";
    let text = std::str::from_utf8(crash).expect("the crash input is UTF-8");
    let figures = figures_of(text);
    assert!(!figures.is_empty());
    for f in &figures {
        assert!(f.value.is_finite(), "{f:?}");
    }
    let f = figures_of("Donors pledged between 0 and 5 million dollars.");
    let range = f
        .iter()
        .find(|f| f.value_high.is_some())
        .expect("the range");
    assert_eq!((range.value, range.value_high), (0.0, Some(5e6)));
    // The whole analysis too.
    let a = analyze(text, &AnalysisContext::default());
    assert!(a.figures.iter().all(|f| f.value.is_finite()));
}
