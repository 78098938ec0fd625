use super::*;
use crate::attribution::find_attributions;
use crate::timex::{find_timexes, TimexContext};
use crate::{entities, split_sentences, tokenize};
use proptest::prelude::*;

fn events(text: &str) -> Vec<Event> {
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    let ents = entities(text, &tokens, &sentences);
    let timexes = find_timexes(text, &TimexContext::news(None));
    let atts = find_attributions(text, &tokens, &sentences, &ents);
    find_events(text, &tokens, &sentences, &ents, &timexes, &atts)
}

/// `TYPE trigger | actor -> target | place | modality [neg] [issue]`.
fn render(text: &str) -> String {
    events(text)
        .iter()
        .map(|e| {
            format!(
                "{} {} | {} -> {} | {} | {}{}{}",
                e.kind.as_str(),
                e.trigger.text,
                e.actor.as_ref().map_or("-", |a| a.canonical.as_str()),
                e.target.as_ref().map_or("-", |a| a.canonical.as_str()),
                e.place.as_ref().map_or("-", |a| a.text.as_str()),
                e.modality.as_str(),
                if e.negated { " NEG" } else { "" },
                e.issue.map_or(String::new(), |i| format!(
                    " [{}{}]",
                    if e.issue_negated { "no " } else { "" },
                    i.as_str()
                )),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn read_seed(name: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds")
        .join(name);
    match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(_) => {
            eprintln!("skipping: seed {} not found", path.display());
            None
        }
    }
}

#[test]
fn dump_seeds() {
    for name in [
        "000_6f287d2481ce29e6.txt",
        "001_0df945805181cfba.txt",
        "002_740c46d2370c7443.txt",
    ] {
        let Some(text) = read_seed(name) else {
            continue;
        };
        println!("=== {name}\n{}\n", render(&text));
    }
}

fn find<'a>(evs: &'a [Event], kind: EventType, trigger: &str) -> &'a Event {
    evs.iter()
        .find(|e| e.kind == kind && e.trigger.text == trigger)
        .unwrap_or_else(|| panic!("no {kind:?} `{trigger}` in {evs:#?}"))
}

fn actor(e: &Event) -> &str {
    e.actor.as_ref().map_or("", |a| a.canonical.as_str())
}

fn target(e: &Event) -> &str {
    e.target.as_ref().map_or("", |a| a.canonical.as_str())
}

#[test]
fn seed_000_events() {
    let Some(text) = read_seed("000_6f287d2481ce29e6.txt") else {
        return;
    };
    let evs = events(&text);
    let e = find(&evs, EventType::Assault, "airstrikes");
    assert_eq!((actor(e), target(e)), ("Israel", "Hezbollah"));
    assert_eq!(
        e.place.as_ref().map(|p| p.text.as_str()),
        Some("southern Lebanon")
    );
    let e = find(&evs, EventType::Assault, "fired");
    assert_eq!((actor(e), target(e)), ("Hezbollah", "northern Israel"));
    let e = find(&evs, EventType::Demand, "called for");
    assert_eq!((actor(e), e.issue), ("Blinken", Some(Issue::Ceasefire)));
    assert_eq!(e.modality, Modality::Asserted);
    let e = find(&evs, EventType::Reject, "rejected");
    assert!(actor(e).ends_with("Netanyahu"));
    assert_eq!(
        (e.modality, e.issue),
        (Modality::Conditional, Some(Issue::Ceasefire))
    );
    let e = find(&evs, EventType::Consult, "visit");
    assert_eq!(
        (actor(e), target(e)),
        ("CIA Director William Burns", "Israel")
    );
    assert_eq!(e.modality, Modality::Planned);
    let e = find(&evs, EventType::Demand, "calls");
    assert_eq!(e.issue, Some(Issue::Ceasefire));
    assert!(actor(e).contains("Qatar"), "{}", actor(e));
    let e = find(&evs, EventType::Assault, "bombardments");
    assert!(e.negated, "halted bombardments");
    let e = find(&evs, EventType::Demand, "insists on");
    assert_eq!(
        (actor(e), e.issue),
        ("United States", Some(Issue::HumanitarianPause))
    );
}

#[test]
fn seed_001_events() {
    let Some(text) = read_seed("001_0df945805181cfba.txt") else {
        return;
    };
    let evs = events(&text);
    let e = find(&evs, EventType::Consult, "met");
    assert_eq!((actor(e), target(e)), ("Blinken", "Netanyahu"));
    let e = find(&evs, EventType::Reject, "dismissed");
    assert_eq!(
        (actor(e), e.issue),
        ("United States", Some(Issue::Ceasefire))
    );
    assert_eq!(
        e.actor.as_ref().map(|a| a.text.as_str()),
        Some("Washington")
    );
    let e = find(&evs, EventType::Demand, "calls");
    assert_eq!(
        (actor(e), e.issue),
        ("Arab and several other nations", Some(Issue::Ceasefire))
    );
    let e = find(&evs, EventType::Demand, "called for");
    assert!(e.issue_negated, "called for there to be no ceasefire");
}

#[test]
fn seed_002_events() {
    let Some(text) = read_seed("002_740c46d2370c7443.txt") else {
        return;
    };
    let evs = events(&text);
    let e = find(&evs, EventType::Assault, "airstrikes");
    assert_eq!(actor(e), "Israel");
    assert_eq!(
        e.place.as_ref().map(|p| p.text.as_str()),
        Some("the southern Gaza Strip")
    );
    let e = find(&evs, EventType::Demand, "urged");
    assert_eq!((target(e), e.issue), ("Israel", Some(Issue::Restraint)));
    let e = find(&evs, EventType::Disapprove, "criticized");
    assert_eq!(target(e), "Israeli attacks");
}

#[test]
fn negation_and_modality() {
    let check = |text: &str, want: &str| {
        let got = render(text);
        assert_eq!(got, want, "\n{text}\n--- got ---\n{got}");
    };
    check(
        "The VLF denied that its forces had shelled the dam.",
        "ASSAULT shelled | its forces -> dam | - | reported NEG",
    );
    check(
        "The army did not attack the town.",
        "ASSAULT attack | army -> town | - | asserted NEG",
    );
    check(
        "Lund is scheduled to visit Lessk on Wednesday.",
        "CONSULT visit | Lund -> Lessk | - | planned",
    );
    check(
        "The ministers will meet in Tirva.",
        "CONSULT meet | ministers -> - | Tirva | planned",
    );
    check(
        "The group would accept a truce only if the government released the fighters.",
        "AGREE accept | group -> - | - | conditional [truce]\nRELEASE released | government -> fighters | - | asserted",
    );
    check(
        "Officials said the army arrested five men.",
        "COERCE arrested | army -> - | - | reported",
    );
    check(
        "The rebels could attack the dam.",
        "ASSAULT attack | rebels -> dam | - | hypothetical",
    );
}

/// The events section of `demo/EXPECTED.md`, on sentences it quotes.
#[test]
fn demo_events() {
    let evs = events(
        "Defence Minister Gregor Tamm ordered the mobilisation of 4,000 reservists on Wednesday.",
    );
    assert_eq!(evs[0].kind, EventType::Mobilize);
    let evs = events("Separately, the Coastal League imposed sanctions on Thursday on three commanders of the Veyra Liberation Front (VLF), freezing their assets.");
    let e = find(&evs, EventType::Sanction, "sanctions");
    assert_eq!(actor(e), "Coastal League");
    let evs = events("Government and VLF negotiators are scheduled to meet in Tirva on April 7 to discuss a permanent ceasefire, Aldmark's foreign ministry said.");
    let e = find(&evs, EventType::Consult, "meet");
    assert_eq!(e.modality, Modality::Planned);
    assert_eq!(e.place.as_ref().map(|p| p.text.as_str()), Some("Tirva"));
    let evs = events("VLF spokesman Rustam Kael denied that the group had fired on Orvano and accused the army of shelling the area to discredit the VLF.");
    assert!(find(&evs, EventType::Assault, "fired").negated);
    let e = find(&evs, EventType::Accuse, "accused");
    assert_eq!(target(e), "army");
    let evs = events("Marevia’s government and the Veyra Liberation Front (VLF) agreed on Saturday to a 72-hour humanitarian truce in the Sennet valley, Aldmark’s foreign ministry said.");
    let e = find(&evs, EventType::Agree, "agreed");
    assert_eq!(e.issue, Some(Issue::Truce));
    assert!(actor(e).contains("Veyra Liberation Front"), "{}", actor(e));
    let evs = events("The government has rejected calls for a truce but agreed to short humanitarian pauses, Foreign Minister Oskar Venn said on Friday.");
    assert_eq!(
        find(&evs, EventType::Reject, "rejected").issue,
        Some(Issue::Truce)
    );
    assert_eq!(
        find(&evs, EventType::Agree, "agreed").issue,
        Some(Issue::HumanitarianPause)
    );
    let evs = events("Thousands of people marched through Port Salven on Sunday to demand an independent inquiry.");
    assert_eq!(
        find(&evs, EventType::Protest, "marched")
            .place
            .as_ref()
            .map(|p| p.text.as_str()),
        Some("Port Salven")
    );
}

proptest! {
    #[test]
    fn never_panics_and_spans_are_valid(text in "\\PC{0,200}") {
        for e in events(&text) {
            prop_assert!(e.trigger.span.slice(&text).is_some());
            prop_assert!(e.sentence.slice(&text).is_some());
            if let Some(a) = &e.actor { prop_assert!(a.span.slice(&text).is_some()); }
            if let Some(a) = &e.target { prop_assert!(a.span.slice(&text).is_some()); }
            if let Some(a) = &e.place { prop_assert!(a.span.slice(&text).is_some()); }
        }
    }

    #[test]
    fn trigger_heavy_text_never_panics(text in "((the|Israeli|met|called|for|rejected|unless|not|will|,|said|airstrikes|Hamas|on|\\.) ){0,30}") {
        for e in events(&text) {
            prop_assert!(e.trigger.span.slice(&text).is_some());
        }
    }
}

#[test]
fn support_and_opposition_take_positions_on_issues() {
    let evs = events("Norland supports an immediate ceasefire in the valley.");
    let e = find(&evs, EventType::Support, "supports");
    assert_eq!(e.issue, Some(Issue::Ceasefire));
    assert!(actor(e).contains("Norland"), "{}", actor(e));
    let evs = events("Marevia's interior minister opposed the truce on Monday.");
    assert_eq!(
        find(&evs, EventType::Reject, "opposed").issue,
        Some(Issue::Truce)
    );
    let evs = events("The Coastal League has backed calls for humanitarian pauses.");
    assert!(evs.iter().any(|e| e.kind == EventType::Support), "{evs:?}");
    // Only a stated position: `may support` is not one.
    let evs = events("The vote may prompt Norland to support the truce.");
    assert!(
        evs.iter()
            .filter(|e| e.kind == EventType::Support)
            .all(|e| e.modality == Modality::Hypothetical),
        "{evs:?}"
    );
    // Pressed to accept is not accepting; forced to withdraw is withdrawing.
    for (text, kind) in [
        (
            "Ostland has been pushing Marevia to accept the truce.",
            EventType::Agree,
        ),
        (
            "The envoys urged the Coastal League to support the truce.",
            EventType::Support,
        ),
    ] {
        let evs = events(text);
        let wanted: Vec<_> = evs.iter().filter(|e| e.kind == kind).collect();
        assert!(
            !wanted.is_empty() && wanted.iter().all(|e| e.modality == Modality::Hypothetical),
            "{text}: {evs:?}"
        );
    }
    let evs = events("Marevia agreed to accept the truce on Monday.");
    assert!(
        evs.iter().all(|e| e.modality != Modality::Hypothetical),
        "{evs:?}"
    );
}

/// The position each stance-bearing event of `text` states: `kind
/// actor issue` with `NEG` when turned, for the stated ones only.
fn stated(text: &str) -> Vec<String> {
    events(text)
        .iter()
        .filter(|e| e.issue.is_some())
        .filter(|e| {
            !matches!(
                e.modality,
                Modality::Hypothetical | Modality::Planned | Modality::Questioned
            )
        })
        .map(|e| {
            format!(
                "{} {} {}{}",
                e.kind.as_str(),
                e.actor.as_ref().map_or("-", |a| a.canonical.as_str()),
                e.issue.map_or("-", Issue::as_str),
                if e.negated != e.issue_negated {
                    " NEG"
                } else {
                    ""
                }
            )
        })
        .collect()
}

#[test]
fn questions_state_no_position() {
    for text in [
        "Asked if the minister backed calls for a truce, her spokesman said the army would decide.",
        "A reporter asked the envoy in Port Ardin whether Norland would accept a ceasefire.",
        "One reader writes: how many more must die before the League calls for a ceasefire?",
    ] {
        assert!(stated(text).is_empty(), "{text}: {:?}", stated(text));
        assert!(
            events(text)
                .iter()
                .any(|e| e.rules.contains(&"question".to_string())),
            "{text}"
        );
    }
    // A question after a colon leaves what came before it stated.
    let text = "Answering the League's appeals for a ceasefire, he said: \"What would you do?\"";
    assert!(!stated(text).is_empty(), "{:?}", events(text));
}

#[test]
fn a_call_made_of_someone_is_not_their_position() {
    for text in [
        "The marchers called on the governor and the council to push for a ceasefire.",
        "The group demanded that Ostland call for an immediate ceasefire.",
        "The charity has sent a letter to Premier Ilse Varga calling for a truce.",
        "Thousands of people marched through central Port Ardin calling for a truce.",
    ] {
        let got = stated(text);
        assert!(
            !got.iter().any(|s| s.contains("Ostland")
                || s.contains("council")
                || s.contains("Varga")
                || s.contains("Port Ardin")),
            "{text}: {got:?}"
        );
    }
}

#[test]
fn refusals_and_blocks_turn_the_position() {
    // The critic is for what the refusal was against.
    let got = stated("Ms Orla criticised the governor's refusal to support a truce.");
    assert!(
        got.contains(&"DISAPPROVE Ms Orla truce NEG".to_string()),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|s| s.starts_with("SUPPORT") && s.ends_with("NEG")),
        "{got:?}"
    );
    let got = stated("He condemned attempts by Norland to block a resolution for a ceasefire.");
    assert!(
        got.iter()
            .any(|s| s.starts_with("DISAPPROVE") && s.ends_with("NEG")),
        "{got:?}"
    );
    let got = stated("The premier has declined to support calls for a ceasefire.");
    assert!(
        got.iter()
            .any(|s| s.starts_with("SUPPORT") && s.ends_with("NEG")),
        "{got:?}"
    );
    // A turn governs its own phrase only.
    let got = stated("The League urged an end to the shelling and a ceasefire.");
    assert!(got.iter().any(|s| s.ends_with("ceasefire")), "{got:?}");
    assert!(got.iter().all(|s| !s.ends_with("NEG")), "{got:?}");
}

#[test]
fn the_issue_is_looked_for_in_the_triggers_own_clause() {
    for text in [
        "The premier rejects the forced removal of villagers as the first aid convoy crossed.",
        "Ostland dismissed reports that it was under pressure to join the talks.",
        "The minister rejected Norland's idea of appointing a new council in the valley.",
        "The video accused the governor of supporting the siege and called for a ceasefire.",
        "The senator backed her leader's position, arguing a ceasefire would help the rebels.",
    ] {
        let got = stated(text);
        assert!(
            !got.iter()
                .any(|s| s.starts_with("REJECT") || s.starts_with("SUPPORT") || s.contains(" aid")),
            "{text}: {got:?}"
        );
    }
    // `the idea of X` is about X.
    let got = stated("Marevia has rejected the idea of a truce.");
    assert_eq!(got, vec!["REJECT Marevia truce".to_string()]);
    // Military aid is not humanitarian aid.
    assert!(stated("Ostland backed its ally with military aid.").is_empty());
}

#[test]
fn members_places_and_possessors_are_not_the_actor() {
    let got =
        stated("Ostland's northern allies have condemned the raid and called for a ceasefire.");
    assert!(got.iter().all(|s| !s.contains("Ostland ")), "{got:?}");
    let got = stated("All 12 Unity councillors in Port Ardin have called for a truce.");
    assert!(got.iter().all(|s| !s.contains("Port Ardin")), "{got:?}");
    let got =
        stated("Other rallies took place in three cities, with a focus on calling for a truce.");
    assert!(got.iter().all(|s| s.contains(" - ")), "{got:?}");
    let got = stated("Marevia has angrily dismissed a resolution urging a truce.");
    assert!(got.contains(&"REJECT Marevia truce".to_string()), "{got:?}");
    assert!(names_members("More than 60 Unity MPs"));
    assert!(!names_members("Unity officials"));
}

#[test]
fn a_run_of_prepositional_phrases_is_one_step_not_a_deep_recursion() {
    // Hostile input: a subject made of 100,000 `a in` pairs before a
    // trigger once recursed as deep as the sentence.
    let text = format!("{}councillors called for a truce.", "a in ".repeat(100_000));
    let evs = events(&text);
    assert!(
        evs.iter().any(|e| e.kind == EventType::Demand),
        "the call is still found"
    );
}
