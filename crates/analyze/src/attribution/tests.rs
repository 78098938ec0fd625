//! Each construction the rules handle, on sentences written for these tests.

use super::*;
use crate::{entities, split_sentences, tokenize};

/// `(kind, source, cue, content, resolved)` as text, for readable asserts.
type Row = (
    AttributionKind,
    Option<String>,
    String,
    String,
    Option<String>,
);

fn run(text: &str) -> Vec<Row> {
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    let ents = entities(text, &tokens, &sentences);
    find_attributions(text, &tokens, &sentences, &ents)
        .into_iter()
        .map(|a| {
            let s = |sp: Span| sp.slice(text).unwrap_or("<bad>").to_string();
            (
                a.kind,
                a.source.map(s),
                s(a.cue),
                s(a.content),
                a.resolved_source.map(s),
            )
        })
        .collect()
}

/// The single attribution of `text` as `(source, cue, content)`.
fn one(text: &str) -> (Option<String>, String, String) {
    let rows = run(text);
    assert_eq!(rows.len(), 1, "{text:?} gave {rows:#?}");
    let (_, s, c, t, _) = rows[0].clone();
    (s, c, t)
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn said_that_clause() {
    assert_eq!(
        one("The mayor said that the bridge would reopen in May."),
        (
            s("The mayor"),
            "said".into(),
            "that the bridge would reopen in May".into()
        )
    );
}

#[test]
fn quote_then_speaker() {
    assert_eq!(
        one("“We are not leaving,” Maria Lopez said."),
        (
            s("Maria Lopez"),
            "said".into(),
            "“We are not leaving,”".into()
        )
    );
}

#[test]
fn quote_then_inverted_speaker() {
    assert_eq!(
        one("“The water is safe,” said Tom Baker, the utility's director."),
        (s("Tom Baker"), "said".into(), "“The water is safe,”".into())
    );
}

#[test]
fn speaker_colon_quote() {
    assert_eq!(
        one("The senator said: “Nobody will be left behind.”"),
        (
            s("The senator"),
            "said".into(),
            "“Nobody will be left behind.”".into()
        )
    );
}

#[test]
fn according_to_before_and_after() {
    assert_eq!(
        one("According to the county clerk, turnout doubled."),
        (
            s("the county clerk"),
            "According to".into(),
            "turnout doubled".into()
        )
    );
    assert_eq!(
        one("Turnout doubled, according to the county clerk."),
        (
            s("the county clerk"),
            "according to".into(),
            "Turnout doubled".into()
        )
    );
}

#[test]
fn says_and_told_with_addressee() {
    assert_eq!(
        one("The agency says wages rose sharply."),
        (s("The agency"), "says".into(), "wages rose sharply".into())
    );
    assert_eq!(
        one("Anna Berg told Reuters that the factory would close."),
        (
            s("Anna Berg"),
            "told".into(),
            "that the factory would close".into()
        )
    );
}

#[test]
fn relative_who_is_the_source_and_resolves() {
    let rows = run("The inquiry was led by Ruth Okafor, who said the records were incomplete.");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].1, s("who"));
    assert_eq!(rows[0].3, "the records were incomplete");
    assert_eq!(rows[0].4, s("Ruth Okafor"));
}

#[test]
fn country_as_speaker_with_a_figure() {
    assert_eq!(
        one("Norway says storms destroyed 1,200 homes."),
        (
            s("Norway"),
            "says".into(),
            "storms destroyed 1,200 homes".into()
        )
    );
}

#[test]
fn other_speech_verbs() {
    for (text, cue) in [
        ("The mayor warned that the dam could fail.", "warned"),
        ("The mayor insisted that the dam was safe.", "insisted"),
        ("The mayor denied that funds were missing.", "denied"),
        ("The mayor announced that the park would open.", "announced"),
        ("The mayor claimed that crime had fallen.", "claimed"),
        ("The mayor noted that rents had risen.", "noted"),
        ("The mayor urged residents to leave early.", "urged"),
    ] {
        let (source, c, _) = one(text);
        assert_eq!((source, c.as_str()), (s("The mayor"), cue), "{text}");
    }
    assert_eq!(
        one("Farmers called for an end to the tariffs."),
        (
            s("Farmers"),
            "called for".into(),
            "an end to the tariffs".into()
        )
    );
}

#[test]
fn in_a_statement_and_possessive_speaker() {
    assert_eq!(
        one("In a statement, the ministry said the border would stay shut."),
        (
            s("the ministry"),
            "said".into(),
            "the border would stay shut".into()
        )
    );
    assert_eq!(
        one("The minister's spokesman said the trip was postponed."),
        (
            s("The minister's spokesman"),
            "said".into(),
            "the trip was postponed".into()
        )
    );
}

#[test]
fn passive_and_unnamed_sources() {
    assert_eq!(
        one("It was reported that the convoy had turned back."),
        (
            None,
            "reported".into(),
            "that the convoy had turned back".into()
        )
    );
    assert_eq!(
        one("There are reports that the pier collapsed."),
        (None, "reports".into(), "that the pier collapsed".into())
    );
}

#[test]
fn interpolated_quote_joins_both_halves() {
    assert_eq!(
        one("“We tried,” she said, “but the road was blocked.”"),
        (
            s("she"),
            "said".into(),
            "“We tried,” she said, “but the road was blocked.”".into()
        )
    );
}

#[test]
fn multi_paragraph_quote() {
    let text = "Lena Park said:\n\n“The first winter was the hardest.\n\n“We learned to share everything.”\n\nThe town grew.";
    assert_eq!(
        one(text),
        (
            s("Lena Park"),
            "said".into(),
            "“The first winter was the hardest.\n\n“We learned to share everything.”".into()
        )
    );
}

#[test]
fn unbalanced_quote_ends_with_its_paragraph() {
    let text = "The coach said “we will be back next year.\n\nFans left quietly.";
    assert_eq!(
        one(text),
        (
            s("The coach"),
            "said".into(),
            "“we will be back next year.".into()
        )
    );
}

#[test]
fn straight_quotes_and_partial_quotes() {
    let rows = run("He called the plan \"a slow disaster\" in an interview.");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].0, AttributionKind::PartialQuote);
    let rows = run("\"Prices will fall,\" said Omar Haddad.");
    assert_eq!(rows[0].0, AttributionKind::DirectQuote);
    assert_eq!(rows[0].1, s("Omar Haddad"));
}

#[test]
fn pronoun_resolves_to_the_preceding_person() {
    let text = "Maria Lopez runs the shelter in Tucson.\n\n“We are full every night,” she said.";
    let rows = run(text);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].1, s("she"));
    assert_eq!(rows[0].4, s("Maria Lopez"));
}

#[test]
fn surname_resolves_to_the_full_name() {
    let text =
        "Secretary of State Antony Blinken arrived on Monday. Blinken said talks would continue.";
    let rows = run(text);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].1, s("Blinken"));
    assert_eq!(rows[0].4, s("Antony Blinken"));
}

#[test]
fn title_resolves_to_its_holder() {
    let text = "Secretary of State Antony Blinken arrived on Monday.\n\nThe secretary said the talks were useful.";
    let rows = run(text);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].1, s("The secretary"));
    assert_eq!(rows[0].4, s("Antony Blinken"));
}

#[test]
fn organisation_speaker_and_dismissed_calls() {
    assert_eq!(
        one("Washington has dismissed calls for a full ceasefire."),
        (
            s("Washington"),
            "dismissed".into(),
            "calls for a full ceasefire".into()
        )
    );
}

#[test]
fn adding_shares_the_first_speaker() {
    // PolNeAR gives `…, adding that …` the same source span as the cue
    // before it.
    let rows = run("The judge said the case was closed, adding that an appeal was unlikely.");
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert_eq!(rows[0].3, "the case was closed");
    assert_eq!(rows[1].1, s("The judge"));
    assert_eq!(rows[1].3, "that an appeal was unlikely");
    let rows = run("“We need a new road,” the farmer said, arguing that the old one floods.");
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert_eq!(rows[1].1, s("the farmer"));
    assert_eq!(rows[1].2, "arguing");
    assert_eq!(rows[1].3, "that the old one floods");
}

#[test]
fn parenthetical_after_the_speaker() {
    assert_eq!(
        one("Sen. Jane Roe (D-Ore.) said the vote would be close."),
        (
            s("Sen. Jane Roe (D-Ore.)"),
            "said".into(),
            "the vote would be close".into()
        )
    );
}

#[test]
fn speaker_after_a_question_that_ends_a_sentence() {
    // The sentence splitter cuts after `?”`; the speaker still takes it.
    assert_eq!(
        one("“Who will pay for the new bridge?” Mayor Ellen Park asked."),
        (
            s("Mayor Ellen Park"),
            "asked".into(),
            "“Who will pay for the new bridge?”".into()
        )
    );
    assert_eq!(
        one("“The dam is safe.” Rosa Diaz said on Monday."),
        (s("Rosa Diaz"), "said".into(), "“The dam is safe.”".into())
    );
}

#[test]
fn clause_with_a_speaker_at_the_end_is_one_attribution() {
    // `called for` is no cue here: the whole clause is what sources said.
    assert_eq!(
        one("The city plan called for the school to close in June, sources said."),
        (
            s("sources"),
            "said".into(),
            "The city plan called for the school to close in June".into()
        )
    );
}

#[test]
fn progressive_cue_keeps_its_subject() {
    assert_eq!(
        one("The county board is demanding that the mill pay for the cleanup."),
        (
            s("The county board"),
            "demanding".into(),
            "that the mill pay for the cleanup".into()
        )
    );
    // A passive still has no source.
    let rows = run("It was reported that the mill would close.");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].1, None);
}

#[test]
fn a_weekday_after_the_cue_is_no_speaker() {
    let rows = run("“The road is open,” said Tuesday the mayor.");
    assert!(rows.iter().all(|r| r.1 != s("Tuesday")), "{rows:#?}");
}

#[test]
fn cues_inside_quotes_are_not_attributions() {
    let rows = run("“I think they said no,” the clerk said.");
    assert_eq!(rows.len(), 1, "{rows:#?}");
    assert_eq!(rows[0].1, s("the clerk"));
}

#[test]
fn empty_and_odd_input() {
    assert!(run("").is_empty());
    assert!(run("said").is_empty());
    assert!(run("“").is_empty());
    assert!(run("\"\"\" '' `` ”“").is_empty());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn check(text: &str) {
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let found = find_attributions(text, &tokens, &sentences, &[]);
        let mut last = 0;
        for a in &found {
            for sp in [Some(a.cue), Some(a.content), a.source, a.resolved_source]
                .into_iter()
                .flatten()
            {
                assert!(sp.start <= sp.end && sp.end <= text.len());
                assert!(sp.slice(text).is_some(), "{sp:?} cuts a character");
            }
            assert!(a.cue.start >= last, "not sorted");
            last = a.cue.start;
            assert!(a.sentence < sentences.len().max(1));
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_spans_are_valid(text in "[a-zA-Z ,.:;\"'“”‘’\n]{0,200}") {
            check(&text);
        }

        #[test]
        fn never_panics_on_cue_soup(words in proptest::collection::vec(
            prop_oneof![
                Just("said"), Just("told"), Just("according"), Just("to"), Just("“"), Just("”"),
                Just("\""), Just("''"), Just(","), Just("."), Just(":"), Just("he"), Just("Ann"),
                Just("Lee"), Just("who"), Just("that"), Just("\n\n"), Just("adding"), Just("the"),
                Just("it"), Just("was"), Just("reported"), Just("seemed"), Just("é"),
            ],
            0..60,
        )) {
            check(&words.join(" "));
        }
    }
}

#[test]
fn transcript_turns_with_speaker_labels() {
    let text = "Partial transcript as follows:\n\n\"HARLOW: Will the governor sign the bill this week?\n\n\"DUNMORE: Well, look, we expect to sign it on Friday.\n\nUPDATE: The bill was signed.\n";
    let rows = run(text);
    let got: Vec<(Option<String>, String)> =
        rows.iter().map(|r| (r.1.clone(), r.3.clone())).collect();
    assert_eq!(
        got,
        vec![
            (
                s("HARLOW"),
                "Will the governor sign the bill this week?".into()
            ),
            (
                s("DUNMORE"),
                "Well, look, we expect to sign it on Friday".into()
            ),
        ],
        "{rows:#?}"
    );
}

#[test]
fn quotation_signed_after_a_dash() {
    let text = "Readers told us what they thought.\n\n”Fields first.” ― Ana Silva\n\n“The plan ignores the farmers who feed this town. It has to change.” ― Marta Quiroga\n\n“Nobody asked us.”— Tomás Reyes Jr.\n";
    let rows = run(text);
    let got: Vec<(Option<String>, String, String)> = rows
        .iter()
        .map(|r| (r.1.clone(), r.2.clone(), r.3.clone()))
        .collect();
    assert!(
        got.contains(&(
            s("Marta Quiroga"),
            "―".into(),
            "“The plan ignores the farmers who feed this town. It has to change.”".into()
        )),
        "{rows:#?}"
    );
    assert!(
        got.contains(&(
            s("Tomás Reyes Jr."),
            "—".into(),
            "“Nobody asked us.”".into()
        )),
        "{rows:#?}"
    );
    // Opened with a closing mark, as such lists often are.
    assert!(
        got.contains(&(s("Ana Silva"), "―".into(), "”Fields first.”".into())),
        "{rows:#?}"
    );
}

#[test]
fn a_byline_after_a_quoted_sentence_is_no_signature() {
    // The paragraph does not open with the quotation: the dash signs the
    // item, not the words.
    let rows = run("The minister said the port would \"reopen soon.\"--Ana Lopes\n");
    assert!(rows.iter().all(|r| r.2 != "--"), "{rows:#?}");
}

#[test]
fn headline_speaker_colon() {
    let rows = run(
        "Dunmore: Bridge Tolls Will Rise, Council Was ‘Warned’\n\nThe mayor spoke on Monday.\n",
    );
    assert!(
        rows.iter()
            .any(|r| r.1 == s("Dunmore") && r.2 == ":" && r.3.starts_with("Bridge Tolls")),
        "{rows:#?}"
    );
}

#[test]
fn participle_after_an_object_speaks_for_the_subject() {
    let rows =
        run("Mayor Ellen Park issued a statement praising the volunteers who cleared the river.");
    assert!(
        rows.iter()
            .any(|r| r.1 == s("Mayor Ellen Park") && r.2 == "praising"),
        "{rows:#?}"
    );
}

#[test]
fn a_show_title_in_an_opening_phrase_is_not_the_content() {
    let (source, cue, content) =
        one("On Sunday's broadcast of “Town Square,” the governor said the dam would be rebuilt.");
    assert_eq!(source, s("the governor"));
    assert_eq!(cue, "said");
    assert_eq!(content, "the dam would be rebuilt");
}

#[test]
fn speakers_with_ages_home_towns_and_modifiers() {
    for (text, source) in [
        (
            "John Wilson, 59, said he had served two tours.",
            "John Wilson",
        ),
        (
            "John Wilson, of Springfield, said he had served two tours.",
            "John Wilson",
        ),
        (
            "John Wilson of Springfield said he had served two tours.",
            "John Wilson of Springfield",
        ),
        (
            "People close to him say he will not run again.",
            "People close to him",
        ),
    ] {
        let (s_, cue, _) = one(text);
        assert_eq!(s_, s(source), "{text}");
        assert!(cue == "said" || cue == "say", "{text}");
    }
}

#[test]
fn a_section_label_before_a_colon_is_no_speaker() {
    let rows =
        run("Commentary: The floods have exposed how little the region invested in its levees.\n");
    assert!(rows.iter().all(|r| r.2 != ":"), "{rows:#?}");
}

#[test]
fn a_verb_of_aspect_before_a_gerund_is_no_cue() {
    assert!(aspect_lexicon().1.is_empty(), "{:?}", aspect_lexicon().1);
    // `aspect_not_cue`: Israel began an act, it said nothing.
    let text = "Israel began striking Gaza after the attacks, which saw 1,400 people killed.";
    assert!(run(text).is_empty(), "{:?}", run(text));
    // `continued` stays a cue of speech.
    let text = "\"We will rebuild,\" she continued, \"whatever it takes.\"";
    assert!(
        run(text).iter().any(|r| r.2 == "continued"),
        "{:?}",
        run(text)
    );
}
