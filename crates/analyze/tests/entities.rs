//! The embedded model tags news sentences written for these tests sensibly.

use storyline_analyze::{entities, split_sentences, tokenize, ModelError, NerModel};

fn render(text: &str) -> Vec<String> {
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    entities(text, &tokens, &sentences)
        .into_iter()
        .map(|e| {
            assert_eq!(&text[e.span.start..e.span.end], e.text);
            format!(
                "{} {}{}",
                e.label,
                e.text,
                if e.demonym { " (demonym)" } else { "" }
            )
        })
        .collect()
}

#[test]
fn embedded_model_loads() {
    let model = NerModel::embedded().expect("embedded model decodes");
    assert!(model.feature_count() > 1000);
}

#[test]
fn damaged_copies_of_the_shipped_model_are_typed_errors() {
    let bytes = include_bytes!("../models/ner-en.bin");
    assert!(NerModel::from_bytes(bytes).is_ok());
    for cut in [0, 7, 12, 100, bytes.len() / 2, bytes.len() - 1] {
        assert!(NerModel::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    let mut stale = bytes.to_vec();
    stale[12] = stale[12].wrapping_sub(1);
    assert!(matches!(
        NerModel::from_bytes(&stale),
        Err(ModelError::FeatureVersion { .. })
    ));
    let mut flipped = bytes.to_vec();
    let mid = flipped.len() / 3;
    flipped[mid] ^= 1;
    assert_eq!(
        NerModel::from_bytes(&flipped).unwrap_err(),
        ModelError::Checksum
    );
}

#[test]
fn blinken_meets_netanyahu() {
    let got = render(
        "US Secretary of State Antony Blinken met Israeli Prime Minister Benjamin Netanyahu in Tel Aviv.",
    );
    assert_eq!(
        got,
        [
            "LOC US",
            "PER Antony Blinken",
            "MISC Israeli (demonym)",
            "PER Benjamin Netanyahu",
            "LOC Tel Aviv"
        ]
    );
}

#[test]
fn news_paragraph() {
    let text =
        "TEL AVIV (Reuters) – U.S. top diplomat Antony Blinken arrived in Israel on Friday. \
Blinken said Washington backed Israel’s right to defend itself.\n\
Gaza health authorities say at least 9,061 people have been killed. \
The United Nations and the World Health Organization called for a ceasefire, \
while Hamas and Hezbollah rejected it. Turkish and Palestinian officials met in Ankara.";
    let got = render(text);
    println!("{got:#?}");
    for want in [
        "PER Antony Blinken",
        "LOC Israel",
        "PER Blinken",
        "LOC Gaza",
        "ORG United Nations",
        "ORG World Health Organization",
        "ORG Hamas",
        "ORG Hezbollah",
        "MISC Turkish (demonym)",
        "MISC Palestinian (demonym)",
        "LOC Ankara",
    ] {
        assert!(
            got.iter().any(|g| g == want),
            "missing {want:?} in {got:#?}"
        );
    }
    // Possessives are split off the entity, as in CoNLL.
    assert!(!got.iter().any(|g| g.contains('’')), "{got:?}");
}

#[test]
fn empty_and_odd_input() {
    assert!(render("").is_empty());
    assert!(render("\n\n  \t").is_empty());
    let _ = render("🙏🏽🇮🇱 ... — “” ’s '' $ % 9,061");
}
