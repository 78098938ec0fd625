//! Roles, titles and aliasing on sentences written for these tests.

use super::*;
use crate::{entities, split_sentences, tokenize};

fn run(text: &str) -> Vec<Referent> {
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    let ents = entities(text, &tokens, &sentences);
    find_referents(text, &tokens, &sentences, &ents)
}

fn named<'r>(rs: &'r [Referent], name: &str) -> &'r Referent {
    rs.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no referent {name:?} in {rs:#?}"))
}

fn role(r: &Referent, title: &str) -> Role {
    r.roles
        .iter()
        .find(|x| x.title == title)
        .cloned()
        .unwrap_or_else(|| panic!("no role {title:?} in {r:#?}"))
}

const BRIEF: &str = "US Secretary of State Antony Blinken met Israeli Prime Minister Benjamin Netanyahu and CIA Director William Burns in Tel Aviv on Monday. Blinken, the U.S. top diplomat, said the talks were useful. Later he met Israeli President Isaac Herzog. Herzog said Israel would defend itself. Qatar's foreign minister, Sheikh Mohammed bin Abdulrahman Al Thani, said talks continued. Hamas leader Ismail Haniyeh rejected the plan. The group's spokesman said it would fight on. The top diplomat flew home.";

#[test]
fn pre_nominal_titles_with_affiliations() {
    let rs = run(BRIEF);
    let b = named(&rs, "Antony Blinken");
    let r = role(b, "secretary of state");
    assert_eq!(r.text, "US Secretary of State");
    assert_eq!(r.affiliation.as_deref(), Some("US"));
    let n = role(named(&rs, "Benjamin Netanyahu"), "prime minister");
    assert_eq!(
        (n.text.as_str(), n.affiliation.as_deref()),
        ("Israeli Prime Minister", Some("Israeli"))
    );
    let c = role(named(&rs, "William Burns"), "director");
    assert_eq!(c.affiliation.as_deref(), Some("CIA"));
    let h = role(named(&rs, "Ismail Haniyeh"), "leader");
    assert_eq!(h.affiliation.as_deref(), Some("Hamas"));
}

#[test]
fn surname_joins_the_full_name() {
    let rs = run(BRIEF);
    let text = BRIEF;
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    let ents = entities(text, &tokens, &sentences);
    let herzog = named(&rs, "Isaac Herzog");
    let written: Vec<&str> = herzog
        .mentions
        .iter()
        .map(|&m| ents[m].text.as_str())
        .collect();
    assert_eq!(written, ["Isaac Herzog", "Herzog"]);
    assert_eq!(
        role(herzog, "president").affiliation.as_deref(),
        Some("Israeli")
    );
    let blinken = named(&rs, "Antony Blinken");
    assert_eq!(blinken.mentions.len(), 2);
    assert!(!rs.iter().any(|r| r.name == "Blinken" || r.name == "Herzog"));
}

#[test]
fn appositive_and_later_description() {
    let rs = run(BRIEF);
    let b = named(&rs, "Antony Blinken");
    let r = role(b, "top diplomat");
    assert_eq!(r.affiliation.as_deref(), Some("U.S."));
    let descs: Vec<&str> = b.descriptions.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(descs, ["the U.S. top diplomat", "The top diplomat"]);
}

#[test]
fn title_before_comma_and_name() {
    let rs = run(BRIEF);
    let q = rs
        .iter()
        .find(|r| r.name.ends_with("Al Thani"))
        .expect("Al Thani");
    let r = role(q, "foreign minister");
    assert_eq!(r.text, "Qatar's foreign minister");
    assert_eq!(r.affiliation.as_deref(), Some("Qatar"));
}

#[test]
fn group_spokesman_is_a_referent_of_its_own() {
    let rs = run(BRIEF);
    let s = named(&rs, "Hamas spokesman");
    assert!(s.mentions.is_empty());
    assert_eq!(s.descriptions[0].text, "The group's spokesman");
    assert_eq!(role(s, "spokesman").affiliation.as_deref(), Some("Hamas"));
}

#[test]
fn fictional_names_roles_of_and_aliases() {
    let text =
        "LESSK – The Secretary-General of the Northern Alliance, Tomas Varga, arrived on Monday. \
                Mayor Ilse Brandt of Lessk welcomed him. Varga, the alliance's chief negotiator, \
                said Brandt had been helpful. Mr. Varga later met Defence Minister Oskar Lind. \
                The minister declined to comment.";
    let rs = run(text);
    let varga = named(&rs, "Tomas Varga");
    assert!(varga.mentions.len() >= 3, "{varga:#?}");
    assert!(
        varga.roles.iter().any(|r| r.title == "chief negotiator"),
        "{varga:#?}"
    );
    let lind = named(&rs, "Oskar Lind");
    assert_eq!(role(lind, "defence minister").affiliation, None);
    assert!(
        lind.descriptions.iter().any(|d| d.text == "The minister"),
        "{lind:#?}"
    );
    let brandt = named(&rs, "Ilse Brandt");
    assert_eq!(role(brandt, "mayor").text, "Mayor");
    assert!(brandt.mentions.len() >= 2);
}

#[test]
fn title_of_an_organisation_before_the_name() {
    let text = "Paula Okafor, director of the Meridian Institute, said the figures were wrong. Okafor added that she would resign.";
    let rs = run(text);
    let p = named(&rs, "Paula Okafor");
    let r = role(p, "director");
    assert_eq!(
        r.affiliation.as_deref(),
        Some("Meridian Institute"),
        "{p:#?}"
    );
    assert_eq!(p.mentions.len(), 2);
}

#[test]
fn every_mention_maps_to_at_most_one_referent() {
    let rs = run(BRIEF);
    let text = BRIEF;
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    let ents = entities(text, &tokens, &sentences);
    let map = mention_referents(&rs, ents.len());
    let total: usize = rs.iter().map(|r| r.mentions.len()).sum();
    assert_eq!(total, map.iter().flatten().count());
    for (i, e) in ents.iter().enumerate() {
        assert_eq!(map[i].is_none(), e.demonym, "{e:?}");
    }
}

#[test]
fn empty_and_odd_text() {
    for t in [
        "",
        " ",
        "the",
        "The minister.",
        ", the spokesman,",
        "Mr.",
        "’s ’s",
        "the the the of of",
    ] {
        let _ = run(t);
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn check(text: &str) {
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let ents = entities(text, &tokens, &sentences);
        let rs = find_referents(text, &tokens, &sentences, &ents);
        let mut seen = vec![false; ents.len()];
        for r in &rs {
            assert!(!r.name.is_empty());
            for &m in &r.mentions {
                assert!(
                    m < ents.len() && !seen[m],
                    "mention {m} twice or out of range"
                );
                seen[m] = true;
            }
            for sp in r
                .roles
                .iter()
                .map(|x| x.span)
                .chain(r.descriptions.iter().map(|d| d.span))
            {
                assert!(sp.start < sp.end && sp.slice(text).is_some());
            }
        }
    }

    proptest! {
        #[test]
        fn spans_are_valid(text in "[a-zA-Z ,.:;'’\n]{0,200}") {
            check(&text);
        }

        #[test]
        fn never_panics_on_title_soup(words in proptest::collection::vec(
            prop_oneof![
                Just("the"), Just("Minister"), Just("minister"), Just("Prime"), Just("of"),
                Just("State"), Just("Secretary"), Just("Israeli"), Just("Anna"), Just("Berg"),
                Just("Berg's"), Just("’s"), Just(","), Just("."), Just("group"), Just("spokesman"),
                Just("Hamas"), Just("Mr."), Just("Sheikh"), Just("U.S."), Just("\n"), Just("é"),
            ],
            0..60,
        )) {
            check(&words.join(" "));
        }
    }
}
