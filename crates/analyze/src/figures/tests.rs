use super::*;
use crate::attribution::find_attributions;
use crate::timex::{find_timexes, TimexContext};
use crate::{entities, split_sentences, tokenize};
use proptest::prelude::*;

fn figures(text: &str) -> Vec<Figure> {
    figures_at(text, None)
}

/// Figures of a text published on `day`, relative dates resolved against it.
fn figures_dated(text: &str, day: &str) -> Vec<Figure> {
    figures_at(text, storyline_core::Timestamp::parse(day).ok())
}

fn figures_at(text: &str, dct: Option<storyline_core::Timestamp>) -> Vec<Figure> {
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    let ents = entities(text, &tokens, &sentences);
    let timexes = find_timexes(text, &TimexContext::news(dct));
    let atts = find_attributions(text, &tokens, &sentences, &ents);
    find_figures(text, &tokens, &sentences, &ents, &timexes, &atts)
}

/// One line per figure: `text | value[-high] | approximation | category | counted | claimant | place | as_of`.
fn render(text: &str) -> String {
    figures(text)
        .iter()
        .map(|f| {
            let v = match f.value_high {
                Some(h) => format!("{}-{}", f.value, h),
                None => format!("{}", f.value),
            };
            format!(
                "{} | {} | {} | {} | {} | {} | {} | {}{}",
                f.text,
                v,
                f.approximation.as_str(),
                f.category.as_str(),
                f.counted.as_ref().map_or("-", |c| c.text.as_str()),
                f.claimant.as_ref().map_or("-", |c| c.text.as_str()),
                f.place.as_ref().map_or("-", |c| c.text.as_str()),
                f.as_of.as_ref().map_or("-", |c| c.text.as_str()),
                if f.earlier { " | earlier" } else { "" },
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first figure of `text` whose text holds `number`.
fn figure_with(text: &str, number: &str) -> Option<Figure> {
    figures(text).into_iter().find(|f| f.text.contains(number))
}

/// The place of the figure of `text` whose text holds `number`.
fn place(text: &str, number: &str) -> Option<String> {
    figure_with(text, number)
        .and_then(|f| f.place)
        .map(|p| p.text)
}

fn check(text: &str, expected: &str) {
    let got = render(text);
    assert_eq!(got.trim(), expected.trim(), "\n--- got ---\n{got}\n");
}

/// Reads a demo or seed file, dropping `key value` / `key: value` header lines
/// at the top, as ingest does.
fn body(raw: &str) -> String {
    let mut lines = raw.lines().peekable();
    while let Some(l) = lines.peek() {
        let l = l.trim();
        let is_header = l.is_empty()
            || l.split_once(':').is_some_and(|(k, _)| {
                !k.is_empty()
                    && k.len() < 12
                    && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
            || l.split_once(' ').is_some_and(|(k, v)| {
                k == "date" && v.len() <= 25 && v.starts_with(|c: char| c.is_ascii_digit())
            });
        if !is_header {
            break;
        }
        lines.next();
    }
    lines.collect::<Vec<_>>().join("\n")
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

fn read_demo(rel: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../demo/corpus")
        .join(rel);
    std::fs::read_to_string(path).ok().map(|t| body(&t))
}

/// `(value, approximation, category, claimant)` of every figure.
fn summary(text: &str) -> Vec<(f64, &'static str, &'static str, Option<String>)> {
    figures(text)
        .into_iter()
        .map(|f| {
            (
                f.value,
                f.approximation.as_str(),
                f.category.as_str(),
                f.claimant.map(|c| c.text),
            )
        })
        .collect()
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

#[test]
fn seed_000_has_no_figures() {
    let Some(text) = read_seed("000_6f287d2481ce29e6.txt") else {
        return;
    };
    assert_eq!(render(&text), "");
}

#[test]
fn seed_001_figures() {
    let Some(text) = read_seed("001_0df945805181cfba.txt") else {
        return;
    };
    assert_eq!(
        summary(&text),
        vec![
            (240.0, "more_than", "hostages", None),
            (1400.0, "exact", "killed", s("Israel")),
            (240.0, "more_than", "hostages", s("Israel")),
            (9061.0, "at_least", "killed", s("Gaza health authorities")),
            // Inside `since Israel started its assault on the enclave of
            // 2.3 million people`: the writer's background, not the
            // authorities' count.
            (2.3e6, "exact", "population", None),
        ]
    );
    let figs = figures(&text);
    assert_eq!(
        figs[4].place.as_ref().map(|p| p.text.as_str()),
        Some("the enclave")
    );
    // The families gathered in Tel Aviv; the hostages are not counted there.
    assert_eq!(figs[0].place, None, "{:?}", figs[0]);
    // `1,400 killed on Oct. 7`: the day of one incident, not the day the
    // count is reported as of.
    assert_eq!(figs[1].on.as_ref().map(|p| p.text.as_str()), Some("Oct. 7"));
    assert_eq!(figs[1].period, Period::Incident);
    assert!(figs[1].as_of.is_none());
    assert!(
        figs[3].as_of.is_none(),
        "no date in the sentence, none guessed"
    );
    for f in &figs {
        assert_eq!(f.span.slice(&text), Some(f.text.as_str()));
        assert!(f.sentence.start <= f.span.start && f.span.end <= f.sentence.end);
    }
}

#[test]
fn seed_002_figures() {
    let Some(text) = read_seed("002_740c46d2370c7443.txt") else {
        return;
    };
    // `He made it clear that …`: the learnt cue detector credits Blinken.
    assert_eq!(
        summary(&text),
        vec![(2e6, "exact", "population", Some("He".to_string()))]
    );
    let figs = figures(&text);
    assert_eq!(
        figs[0].place.as_ref().map(|p| p.text.as_str()),
        Some("the south")
    );
    assert_eq!(
        figs[0].counted.as_ref().map(|p| p.text.as_str()),
        Some("Palestinians")
    );
    assert_eq!(figs[0].unit, Unit::Persons);
}

#[test]
fn qualifiers_and_ranges() {
    // `spaced_thousands`: `40, 000` as some feeds space a separator; a
    // year before a count stays apart from it.
    let values = |t: &str| figures(t).iter().map(|f| f.value).collect::<Vec<_>>();
    assert_eq!(
        values("Scientists now say 40, 000 barrels a day are leaking."),
        vec![40_000.0]
    );
    assert_eq!(
        values("By March 2009, 100 people had fled the valley."),
        vec![100.0]
    );
    // A hostile run of groups stops at trillions: every value stays finite
    // (an infinite one cannot be stored and read back).
    let run = format!("They said 1{} people died.", ", 000".repeat(400));
    let got = values(&run);
    assert_eq!(got.first(), Some(&1e12));
    assert!(got.iter().all(|v| v.is_finite()), "{got:?}");
    check(
        "He said between 200 and 250 aid trucks had entered the valley since the first convoy on March 8.",
        "between 200 and 250 | 200-250 | range | aid_trucks | aid trucks | He | the valley | -",
    );
    // `since the first convoy on March 8`: the period's start, not the day
    // the count was given.
    let f =
        figures("He said 200 aid trucks had entered the valley since the first convoy on March 8.");
    assert_eq!(
        f[0].since.as_ref().map(|t| t.text.as_str()),
        Some("March 8")
    );
    assert_eq!(f[0].period, Period::Cumulative);
    check(
        "Officials said 200-250 people were missing.",
        "200-250 | 200-250 | range | missing | people | Officials | - | -",
    );
    check(
        "Up to 5,000 people fled, and fewer than 30 were hurt. Nearly 90,000 people had been displaced.",
        "Up to 5,000 | 5000 | up_to | displaced | people | - | - | -\n\
         fewer than 30 | 30 | fewer_than | injured | - | - | - | -\n\
         Nearly 90,000 | 90000 | nearly | displaced | people | - | - | -",
    );
    check(
        "Some 300,000 people live in the valley, and no fewer than 12 died. Upwards of 40 rockets were fired.",
        "Some 300,000 | 300000 | about | population | people | - | the valley | -\n\
         no fewer than 12 | 12 | at_least | killed | - | - | the valley | -\n\
         Upwards of 40 | 40 | more_than | strikes | rockets | - | - | -",
    );
    check(
        "An estimated 1.2 million people are in the province.",
        "An estimated 1.2 million | 1200000 | about | population | people | - | the province | -",
    );
}

#[test]
fn number_words_and_vague_plurals() {
    check(
        "Two dozen trucks carried aid. A dozen soldiers were wounded. Twenty-two fighters remain in prison.",
        "Two dozen | 24 | exact | aid_trucks | trucks | - | - | -\n\
         A dozen | 12 | exact | injured | soldiers | - | - | -\n\
         Twenty-two | 22 | exact | troops | fighters | - | - | -",
    );
    check(
        "Hundreds of people were arrested and tens of thousands fled.",
        "Hundreds | 200 | at_least | arrested | people | - | - | -\n\
         tens of thousands | 20000 | at_least | displaced | - | - | - | -",
    );
    let f = figures("Thousands of people marched.");
    assert!(f[0].vague && f[0].approximate());
}

#[test]
fn money_and_percent() {
    check(
        "Aldmark will give $25 million, and donors pledged about $96 million. The plan costs 2.4 billion marks.",
        "$25 million | 25000000 | exact | money | - | - | - | -\n\
         about $96 million | 96000000 | about | money | - | - | - | -\n\
         2.4 billion marks | 2400000000 | exact | money | - | - | - | -",
    );
    let f = figures("Turnout rose to 62% while 15 percent of homes were damaged.");
    assert_eq!(f.len(), 2);
    assert_eq!((f[0].value, &f[0].unit), (62.0, &Unit::Percent));
    assert_eq!((f[1].value, &f[1].unit), (15.0, &Unit::Percent));
    assert_eq!(
        figures("It costs $1.5bn.")[0].unit,
        Unit::Money("USD".to_string())
    );
    assert_eq!(figures("It costs $1.5bn.")[0].value, 1.5e9);
}

#[test]
fn non_claims_are_skipped() {
    for text in [
        "The war began in 2023.",
        "A 24-year-old man was arrested on Oct. 7.",
        "It was the deadliest day of its 75-year history.",
        "Blinken is in the region for the second time.",
        "Call 555-123-4567 for details.",
        "Under Section 5 of the act, the ministry acted.",
        "The Harriers beat the Mariners 94-91 after overtime.",
        "The meeting started at 3:40 p.m. on Friday.",
        "Jana Petrik, 54, was rescued.",
        "The two sides met for three days.",
        "One of the pamphlets fell.",
        "Resolution 2334 was adopted.",
        "The 1990s were calm.",
    ] {
        assert_eq!(render(text), "", "{text}");
    }
}

#[test]
fn earlier_values_are_marked() {
    check(
        "Marevia’s health ministry said at least 23 people had been killed, up from 12 on Monday.",
        "at least 23 | 23 | at_least | killed | people | Marevia’s health ministry | - | Monday\n\
         12 | 12 | exact | killed | - | Marevia’s health ministry | - | Monday | earlier",
    );
}

#[test]
fn a_later_predicate_does_not_place_the_figure() {
    // The families gathered in Dravik; the 30 miners were trapped elsewhere.
    let text = "Relatives of the 30 miners trapped by the collapse gathered outside the town hall in Dravik.";
    let figs = figures(text);
    assert_eq!(figs.len(), 1, "{figs:?}");
    assert_eq!(figs[0].place, None, "{:?}", figs[0]);
    // Without a new predicate the place after the agent still counts.
    let text = "About 400 homes were destroyed by the storm in Dravik.";
    let figs = figures(text);
    assert_eq!(
        figs.first()
            .and_then(|f| f.place.as_ref())
            .map(|p| p.text.as_str()),
        Some("Dravik"),
        "{figs:?}"
    );
}

#[test]
fn claimant_frames() {
    check(
        "About 40,000 people have been displaced by the flood in Veyra Province, the Ministry of Civil Protection said on Thursday, as the government opened more shelters.",
        "About 40,000 | 40000 | about | displaced | people | the Ministry of Civil Protection | Veyra Province | Thursday",
    );
    check(
        "“At least 12 people have been killed,” Petra Novan, a spokeswoman for the Ministry of Health, told reporters.",
        "At least 12 | 12 | at_least | killed | people | Petra Novan | - | -",
    );
    check(
        "According to the United Nations, 1.5 million people have fled their homes.",
        "1.5 million | 1500000 | exact | displaced | people | the United Nations | - | -",
    );
}

/// The figures section of `demo/EXPECTED.md`, on the demo corpus text files.
#[test]
fn demo_corpus_figures() {
    type Want<'a> = &'a [(f64, &'a str, &'a str)];
    let cases: &[(&str, Want)] = &[
        (
            "text/2025-03-03-korrin-dam-bursts.txt",
            &[
                (12.0, "at_least", "killed"),
                (300_000.0, "about", "population"),
                (1.2e6, "exact", "population"),
                (11.0, "exact", "other"),
            ],
        ),
        (
            "text/2025-03-05-toll-climbs-reservists.txt",
            &[
                (37.0, "at_least", "killed"),
                (4000.0, "exact", "troops"),
                (140.0, "about", "injured"),
            ],
        ),
        (
            "text/2025-03-06-shells-hit-tamsk.txt",
            &[(6.0, "exact", "injured"), (48.0, "exact", "buildings")],
        ),
        (
            "text/2025-03-08-first-aid-convoy-reaches-lessk.txt",
            &[(14.0, "exact", "aid_trucks"), (1.4e8, "exact", "money")],
        ),
        (
            "text/2025-03-10-aldmark-pledges-25-million.txt",
            &[(2.5e7, "exact", "money"), (60.0, "more_than", "killed")],
        ),
        (
            "text/2025-03-13-displacement-count-revised.txt",
            &[
                (58_000.0, "about", "displaced"),
                (40_000.0, "exact", "displaced"),
                (100_000.0, "more_than", "displaced"),
                (24.0, "exact", "aid_trucks"),
            ],
        ),
        (
            "text/2025-03-21-families-return-cholera.txt",
            &[(81.0, "exact", "killed"), (9.0, "exact", "missing")],
        ),
    ];
    for (file, want) in cases {
        let Some(text) = read_demo(file) else {
            eprintln!("skipping: demo file {file} not found");
            continue;
        };
        let got: Vec<(f64, &str, &str)> = figures(&text)
            .iter()
            .map(|f| (f.value, f.approximation.as_str(), f.category.as_str()))
            .collect();
        for w in *want {
            assert!(got.contains(w), "{file}: missing {w:?} in {got:?}");
        }
    }
    // Claimants of the contested displacement figures (C1).
    if let Some(text) = read_demo("text/2025-03-13-displacement-count-revised.txt") {
        let figs = figures(&text);
        let claimant = |v: f64| {
            figs.iter()
                .find(|f| f.value == v)
                .and_then(|f| f.claimant.as_ref())
                .map(|c| c.text.clone())
        };
        assert_eq!(
            claimant(58_000.0).as_deref(),
            Some("The Ministry of Civil Protection")
        );
        assert_eq!(
            claimant(100_000.0).as_deref(),
            Some("The Northern Relief Alliance (NRA)")
        );
    }
}

proptest! {
    #[test]
    fn never_panics_and_spans_are_valid(text in "\\PC{0,200}") {
        for f in figures(&text) {
            prop_assert!(f.span.slice(&text).is_some());
            prop_assert!(f.sentence.slice(&text).is_some());
            prop_assert!(f.value.is_finite());
            if let Some(c) = &f.counted { prop_assert!(c.span.slice(&text).is_some()); }
            if let Some(c) = &f.claimant { prop_assert!(c.span.slice(&text).is_some()); }
            if let Some(c) = &f.place { prop_assert!(c.span.slice(&text).is_some()); }
        }
    }

    #[test]
    fn numberish_text_never_panics(text in "([0-9,.$%-]{1,8} (million|and|to|between|hundreds|of|people|at least|a|dozen|,) ?){0,12}") {
        for f in figures(&text) {
            prop_assert!(f.span.slice(&text).is_some());
        }
    }
}

#[test]
fn since_starts_a_period_and_is_never_the_as_of_day() {
    let text = "The Hamas-run health ministry said on Saturday that 9,488 people have been killed in Gaza since 7 October.";
    let f = &figures_dated(text, "2023-11-05")[0];
    assert_eq!(f.period, Period::Cumulative);
    assert_eq!(f.period_rule.as_deref(), Some("cumulative_since"));
    assert_eq!(
        f.since.as_ref().map(|t| t.value.as_str()),
        Some("2023-10-07")
    );
    assert_eq!(
        f.as_of.as_ref().map(|t| t.value.as_str()),
        Some("2023-11-04")
    );
    let f = &figures_dated(
        "More than 9,000 people have been killed since 7 October.",
        "2023-11-05",
    )[0];
    assert!(f.as_of.is_none(), "{:?}", f.as_of);
}

#[test]
fn plurals_in_men_count_people() {
    // `men_plural`: `gunmen` is a people head though it ends in no `s`, so
    // the count is of militants killed, not of unnamed things.
    let f = figures("And 400 Palestinian gunmen have been killed, the military said.");
    assert_eq!(f[0].category, Category::Killed);
    assert_eq!(f[0].population.as_deref(), Some("militants"));
}

#[test]
fn periods_populations_and_releases() {
    let got: Vec<(f64, Category, Period, Option<String>)> = figures_dated(
        "About 100 aid trucks a day are needed. Hamas released two hostages on Friday. \
         At least 50 Israeli soldiers have died. Some 1. 5 million people have fled. \
         Four in five residents have left. 3,760 Palestinian children were killed in the attack.",
        "2023-11-05",
    )
    .into_iter()
    .map(|f| (f.value, f.category, f.period, f.population))
    .collect();
    let people = |s: &str| Some(s.to_string());
    assert_eq!(
        got,
        vec![
            (100.0, Category::AidTrucks, Period::Rate, None),
            (2.0, Category::Released, Period::Incident, people("people")),
            (
                50.0,
                Category::Killed,
                Period::Cumulative,
                people("soldiers")
            ),
            (
                1.5e6,
                Category::Displaced,
                Period::Cumulative,
                people("people")
            ),
            (
                3760.0,
                Category::Killed,
                Period::Incident,
                people("children")
            ),
        ]
    );
}

#[test]
fn an_act_is_not_a_statement_so_its_actor_claims_nothing() {
    let figs = figures(
        "Hamas launched a surprise assault on Israel on 7 October, killing more than 1,400 people. \
         The ministry said 500 people were killed.",
    );
    assert_eq!(figs.len(), 2);
    assert!(figs[0].claimant.is_none(), "{:?}", figs[0].claimant);
    assert_eq!(
        figs[1].claimant.as_ref().map(|c| c.text.as_str()),
        Some("The ministry")
    );
}

#[test]
fn a_subset_named_after_the_number_is_its_population() {
    let figs = figures_dated(
        "The health ministry says more than 11,000 people have been killed, of whom more than 4,500 were children.",
        "2023-11-13",
    );
    let pops: Vec<(f64, Option<&str>)> = figs
        .iter()
        .map(|f| (f.value, f.population.as_deref()))
        .collect();
    assert_eq!(
        pops,
        vec![(11000.0, Some("people")), (4500.0, Some("children"))]
    );
}

#[test]
fn a_since_clause_is_background_with_its_own_day() {
    let text = "The ministry says that more than 11,000 people have been killed in Israel's \
                operations against Hamas, since the group killed 1,200 people in Israel on \
                7 October and took about 240 people hostage.";
    let f = figures(text);
    assert_eq!(f.len(), 3, "{f:?}");
    // The running total: claimed by the ministry, started on 7 October, and
    // not in Israel (the operations are Israel's, not where people died).
    assert_eq!(
        f[0].claimant.as_ref().map(|c| c.text.as_str()),
        Some("The ministry")
    );
    assert_eq!(
        f[0].since.as_ref().map(|t| t.text.as_str()),
        Some("7 October")
    );
    assert!(f[0].as_of.is_none(), "{:?}", f[0].as_of);
    assert!(f[0].place.is_none(), "{:?}", f[0].place);
    // The reference event: one incident on its day, told by the writer.
    for g in &f[1..] {
        assert_eq!(g.period, Period::Incident);
        assert_eq!(g.period_rule.as_deref(), Some("incident_since_clause"));
        assert_eq!(g.on.as_ref().map(|t| t.text.as_str()), Some("7 October"));
        assert!(g.claimant.is_none());
    }
}

#[test]
fn a_colon_after_the_cue_keeps_the_framing_the_writer_s() {
    let text = "Asked about the attack, in which 1,200 people were killed, Mr Herzog said: \
                \"We work exactly according to the rules.\"";
    let f = figures(text);
    assert_eq!(f.len(), 1);
    assert!(f[0].claimant.is_none(), "{:?}", f[0].claimant);
}

#[test]
fn what_happened_to_hostages_is_the_measure() {
    let f = figures(
        "Abu Ubaida said around 50 hostages had been killed in Israeli air strikes on Gaza.",
    );
    assert_eq!(f[0].category, Category::Killed);
    assert_eq!(f[0].population.as_deref(), Some("hostages"));
    // A nationality is no place; the strikes' target is.
    assert_eq!(f[0].place.as_ref().map(|p| p.text.as_str()), Some("Gaza"));
    let f = figures("Hamas launched an assault on Israel, killing at least 1,300 and taking around 150 hostages to Gaza.");
    assert_eq!(f[0].place.as_ref().map(|p| p.text.as_str()), Some("Israel"));
    assert_eq!(f[1].category, Category::Hostages);
    let f = figures("Christian Lindmeier said about 600 people remained in the hospital.");
    assert_ne!(f[0].category, Category::Injured);
}

#[test]
fn places_come_from_where_the_count_happened() {
    // An agent between the count and the place does not hide it.
    assert_eq!(
        place(
            "Since then 9,000 people have been killed by Marevian bombs in Dravik, officials say.",
            "9,000"
        )
        .as_deref(),
        Some("Dravik")
    );
    // `in other parts of X` is in X.
    assert_eq!(
        place(
            "Four people were killed in other parts of Dravik, health officials said.",
            "Four"
        )
        .as_deref(),
        Some("Dravik")
    );
    // Where the attackers came from is not where the dead were.
    assert_eq!(
        place(
            "It began after an attack by gunmen from Dravik on 7 May in which 1,400 people were killed.",
            "1,400"
        ),
        None
    );
    // A place right after another count belongs to that count when this
    // one counts a people by nation.
    assert_eq!(
        place(
            "The war has killed more than 2,700 people in Dravik and over 1,400 Canadians.",
            "1,400"
        ),
        None
    );
    // `the north of X` is in X.
    assert_eq!(
        place(
            "The army ordered more than a million people living in the north of Dravik to head south.",
            "million"
        )
        .as_deref(),
        Some("Dravik")
    );
}

#[test]
fn measures_reach_across_asides_conjuncts_and_losses() {
    let cat = |text: &str, number: &str| {
        figures(text)
            .into_iter()
            .find(|f| f.text.contains(number))
            .map(|f| (f.category, f.population))
    };
    // An aside between commas does not end the subject.
    assert_eq!(
        cat(
            "More than 900 Marevians in Dravik, many of them civilians, have been killed.",
            "900"
        )
        .map(|c| c.0),
        Some(Category::Killed)
    );
    // A count joined by `and` shares the predicate of the one before it.
    assert_eq!(
        cat(
            "The fighting has killed 700 people in Dravik and over 300 Canadians.",
            "300"
        )
        .map(|c| c.0),
        Some(Category::Killed)
    );
    // ... but not when it has a predicate of its own.
    assert_eq!(
        cat("Floods killed 12 people and injured 30 people.", "30").map(|c| c.0),
        Some(Category::Injured)
    );
    // A number its verb governs keeps that verb: the predicate after `and`
    // is another clause's.
    assert_eq!(
        cat(
            "Rebels killed more than 800 people in Dravik and abducted 90 others.",
            "800"
        )
        .map(|c| c.0),
        Some(Category::Killed)
    );
    assert_eq!(
        cat(
            "The raid led to the deaths of 300 people in Dravik and many were taken hostage.",
            "300"
        )
        .map(|c| c.0),
        Some(Category::Killed)
    );
    // `lost` right before the number is a toll; people losing their homes is not.
    assert_eq!(
        cat("\"I lost 12 of my family,\" he said.", "12").map(|c| c.0),
        Some(Category::Killed)
    );
    assert_ne!(
        cat("About 4,000 people lost their homes.", "4,000").map(|c| c.0),
        Some(Category::Killed)
    );
    // Nationals of another state are foreign nationals; a state's own are its people.
    assert_eq!(
        cat("Seventeen French nationals are missing.", "Seventeen")
            .and_then(|c| c.1)
            .as_deref(),
        Some("foreign_nationals")
    );
    assert_eq!(
        cat("Ten British citizens are missing.", "Ten")
            .and_then(|c| c.1)
            .as_deref(),
        Some("british")
    );
}

#[test]
fn a_landmark_after_near_is_not_where_a_count_happened() {
    // The villages near the border are not in the territory beyond it.
    let f = figures("Raiders entered villages near the Dravik Valley, killing at least 40 people.");
    assert_eq!(f[0].category, Category::Killed);
    assert_eq!(f[0].place, None, "{f:?}");
    let f = figures("At least 12 people were killed in villages outside Dravik on Sunday.");
    assert_eq!(f[0].place, None, "{f:?}");
    // `in` still places it.
    let f = figures("At least 12 people were killed in Dravik on Sunday.");
    assert_eq!(f[0].place.as_ref().map(|p| p.text.as_str()), Some("Dravik"));
}

#[test]
fn arrests_since_an_attack_are_not_placed_where_the_attack_was() {
    let f = figures(
        "Police said about 100 people had been arrested at protests since the attack on Dravik.",
    );
    assert_eq!(f[0].category, Category::Arrested);
    assert_eq!(f[0].place, None, "{f:?}");
    // A toll keeps the clause's place: the dead of the strikes are there.
    let f = figures("More than 500 people have been killed since the strikes on Dravik began.");
    assert_eq!(
        f[0].place.as_ref().map(|p| p.text.as_str()),
        Some("Dravik"),
        "{f:?}"
    );
}

#[test]
fn a_since_clause_with_its_own_verb_owns_the_participle_after_it() {
    let f = figures_dated(
        "Oil has leaked since the rig exploded on 20 April, killing 11 workers.",
        "2010-06-13",
    );
    let toll = f.iter().find(|f| f.value == 11.0).expect("the toll");
    assert_eq!(toll.period, Period::Incident, "{toll:#?}");
    assert_eq!(
        toll.on.as_ref().map(|o| o.value.as_str()),
        Some("2010-04-20")
    );
    // A bare date leaves the participle to the main clause: a running total.
    let f = figures_dated(
        "Israel has bombarded Gaza since 7 October, killing more than 9,000 people.",
        "2023-11-05",
    );
    let toll = f.iter().find(|f| f.value == 9000.0).expect("the toll");
    assert_eq!(toll.period, Period::Cumulative, "{toll:#?}");
}

#[test]
fn the_number_of_names_what_is_counted() {
    let f = figures(
        "Officials say 20 people have died. In Mexico, the number of confirmed cases rose to 260.",
    );
    let cases = f.iter().find(|f| f.value == 260.0).expect("the cases");
    assert_eq!(cases.category, Category::Other, "{cases:#?}");
    assert_eq!(
        cases.counted.as_ref().map(|c| c.text.as_str()),
        Some("cases")
    );
    // People are counted for what happened to them: the earlier measure stands.
    let f = figures("Officials say 20 people have died. The number of people rose to 26.");
    let later = f.iter().find(|f| f.value == 26.0).expect("the later count");
    assert_ne!(
        later.counted.as_ref().map(|c| c.text.as_str()),
        Some("people")
    );
}

#[test]
fn the_end_of_a_span_of_days_is_no_count() {
    let f = figures("The outbreak peaked between April 23 and 28 and 40 people were hospitalised.");
    assert!(f.iter().all(|f| f.value != 28.0), "{f:#?}");
    assert!(f.iter().any(|f| f.value == 40.0), "{f:#?}");
}

#[test]
fn a_count_of_the_past_24_hours_is_a_day_s_count() {
    let f = figures(
        "More than 700 Palestinians have been killed by Israeli air strikes in the Gaza Strip over the past 24 hours, the ministry says.",
    );
    let day = f.iter().find(|f| f.value == 700.0).expect("the count");
    assert_eq!(day.period, Period::Rate, "{day:#?}");
}

#[test]
fn a_place_does_not_reach_across_a_link_to_another_event() {
    // `place_not_across_event_link`: the bombing is in Dravik, the 1,400
    // died in the attack it answers.
    assert_eq!(
        place(
            "Marevia began bombing Dravik in retaliation for an attack by gunmen in which 1,400 people were killed.",
            "1,400"
        ),
        None
    );
    assert_eq!(
        place(
            "Marevia has shelled Dravik for a month after gunmen killed 1,400 people.",
            "1,400"
        ),
        None
    );
    // A place after the link is the linked event's own.
    assert_eq!(
        place(
            "Marevia closed its border after an attack in Dravik in which 1,400 people were killed.",
            "1,400"
        )
        .as_deref(),
        Some("Dravik")
    );
    // With no link, the place before still holds.
    assert_eq!(
        place("In Dravik, the bombing has killed 1,400 people.", "1,400").as_deref(),
        Some("Dravik")
    );
}

#[test]
fn a_landmark_or_an_actor_after_in_is_no_place() {
    let place = |text: &str| {
        figures(text)
            .into_iter()
            .next()
            .and_then(|f| f.place)
            .map(|p| p.text)
    };
    // `near` names a landmark even where the tagger misses the name.
    assert_eq!(
        place("Gunmen killed 1,400 people when they attacked villages near Kelvaro Vale."),
        None
    );
    // A name the tagger misses before an act is the act's actor (one it
    // tags as a place is judged against the actor file when linking).
    assert_eq!(
        place("More than 1,400 people were killed in Zorvat Front attacks on the villages."),
        None
    );
}

#[test]
fn projections_and_possibilities_are_hypothetical_counts() {
    let hypo = |text: &str, number: &str| figure_with(text, number).map(|f| f.hypothetical);
    // `hypothetical_count`: a modal in the clause, before or right after.
    assert_eq!(
        hypo(
            "The virus, which may be responsible for a further 48 deaths, spread fast.",
            "48"
        ),
        Some(true)
    );
    assert_eq!(
        hypo(
            "Officials warned that 12,000 people could die in the floods.",
            "12,000"
        ),
        Some(true)
    );
    // A projection word anywhere before it in the sentence.
    assert_eq!(
        hypo(
            "The worst scenario for the region is: between 37,500 and 300,000 deaths.",
            "37,500"
        ),
        Some(true)
    );
    // A modal of another clause does not reach it.
    assert_eq!(
        hypo(
            "Aid could arrive soon, but 40 people were killed on Monday.",
            "40"
        ),
        Some(false)
    );
    assert_eq!(
        hypo(
            "At least 40 people were killed on Monday, officials said.",
            "40"
        ),
        Some(false)
    );
    // `modal_of_own_verb`: a modal heading the count's own verb group.
    assert_eq!(
        hypo(
            "It will take weeks, by which time over 150,000 barrels could have been spilt.",
            "over 150,000"
        ),
        Some(true)
    );
    // A verb of fact governs the count, whatever modal follows it.
    assert_eq!(
        hypo(
            "A new virus that has killed up to 68 people in the capital could start an epidemic.",
            "up to 68"
        ),
        Some(false)
    );
    // A comparison sets the count apart from the modal before it.
    assert_eq!(
        hypo(
            "The spill could be larger than the 258,000 barrels lost by a tanker in 1989.",
            "258,000"
        ),
        Some(false)
    );
    // `conditional_count`: a premise or a consequence of a condition.
    assert_eq!(
        hypo(
            "If there have been a million cases, then about 100 deaths gives a rate of 0.01%.",
            "about 100"
        ),
        Some(true)
    );
}

#[test]
fn people_said_to_be_in_a_place_are_a_population() {
    for (text, number) in [
        (
            "Officials said more than 3,000 foreign nationals are in Norland.",
            "3,000",
        ),
        (
            "As many as 90,000 civilians are still in the valley, the envoy said.",
            "90,000",
        ),
        (
            "Some 40,000 of the 250,000 people in the northern valley have left.",
            "250,000",
        ),
    ] {
        let f = figure_with(text, number).unwrap_or_else(|| panic!("no figure in {text}"));
        assert_eq!(f.category, Category::Population, "{text}");
    }
    // A bare `people in` counts what the verb says.
    let f = figure_with("The strikes killed 20 people in Port Ardin.", "20").expect("a figure");
    assert_eq!(f.category, Category::Killed);
    let f =
        figure_with("He condemned the murder of 300 people in the raid.", "300").expect("a figure");
    assert_eq!(f.category, Category::Killed);
}

#[test]
fn a_count_in_a_clause_about_a_named_day_is_that_day_s_event() {
    // Rule `incident_event_clause`: the clause after `when` or `in which`
    // tells what happened on the date just named.
    for text in [
        "Crossings have been closed since 7 October, when Hamas attacked Israel, \
         killing more than 1,400 people and taking more than 240 hostage.",
        "Israel has bombarded Gaza following the 7 October attacks by Hamas, in which the \
         group killed 1,400 people and took more than 200 hostage.",
    ] {
        let f = figures(text);
        assert_eq!(f.len(), 2, "{f:?}");
        for g in &f {
            assert_eq!(g.period, Period::Incident, "{g:?}");
            assert_eq!(g.period_rule.as_deref(), Some("incident_event_clause"));
            assert_eq!(
                g.on.as_ref()
                    .map(|t| t.text.as_str())
                    .map(|t| t.trim_start_matches("the ")),
                Some("7 October")
            );
            assert!(g.since.is_none(), "{g:?}");
        }
    }
    // A running total after the clause is the sentence's own count.
    let f =
        figures("Since 7 October, when the war began, more than 10,000 people have been killed.");
    assert_eq!(f.len(), 1, "{f:?}");
    assert_ne!(f[0].period_rule.as_deref(), Some("incident_event_clause"));
}

#[test]
fn periods_of_a_day_a_scene_and_one_strike() {
    let period = |text: &str, number: &str| {
        figures(text)
            .into_iter()
            .find(|f| f.text.contains(number))
            .map(|f| (f.period, f.period_rule))
    };
    // The deadliest 24 hours of a war so far: that day's toll, not the war's.
    assert_eq!(
        period(
            "Officials said it had been the deadliest 24 hours of the conflict so far, with 512 people killed.",
            "512"
        ),
        Some((Period::Rate, Some("rate_day".to_string())))
    );
    assert_eq!(
        period("Medics say 36 people were killed at the scene.", "36"),
        Some((Period::Incident, Some("incident_scene".to_string())))
    );
    // A capitalised modifier after `an` does not hide the cue; a perfect
    // verb does not make one strike a running total.
    assert_eq!(
        period(
            "At least 27 people have been killed in what officials called a Marevian air strike at the Dravik camp.",
            "27"
        )
        .map(|p| p.0),
        Some(Period::Incident)
    );
    assert_eq!(
        period(
            "At least 27 people have been killed in an Eastern air strike on the Dravik camp.",
            "27"
        )
        .map(|p| p.0),
        Some(Period::Incident)
    );
    // After `the`, a campaign (`the Marevian bombing`) stays what it was.
    assert_ne!(
        period(
            "More than 2,000 people have been killed in the Marevian bombing of Dravik.",
            "2,000"
        )
        .map(|p| p.0),
        Some(Period::Incident)
    );
}

#[test]
fn a_speaker_is_not_the_place_they_speak_from_nor_a_name_inside_a_dash() {
    let who = |text: &str, number: &str| {
        figures(text)
            .into_iter()
            .find(|f| f.text.contains(number))
            .and_then(|f| f.claimant)
            .map(|c| (c.text, c.resolved.map(|r| r.text)))
    };
    // The speaker is the name before `in`; the place only says where.
    assert_eq!(
        who(
            "The agency's correspondent Mara Lind in Port Veyra says the city has taken in 40,000 people.",
            "40,000"
        )
        .and_then(|c| c.1)
        .as_deref(),
        Some("Mara Lind")
    );
    // An unnamed speaker somewhere is not that place.
    assert_eq!(
        who(
            "A nurse living in Dravik told reporters that 12 people had died.",
            "12"
        )
        .and_then(|c| c.1),
        None
    );
    // `States` in `the United States` is no verb of saying.
    assert_eq!(
        who(
            "The crisis began when the Front - a group designated a terrorist group by governments including the United States - launched an attack killing 300 people.",
            "300"
        ),
        None
    );
}

#[test]
fn a_long_chain_of_places_before_a_cue_is_one_step_back() {
    // `A in B in C … says`: the place step reaches back once, not once per
    // `in` (a recursion per word would overflow the stack on hostile text).
    let text = format!(
        "Mara Lind{} says 40 people died.",
        " in Dravik".repeat(20_000)
    );
    let f = figures(&text);
    assert!(f.iter().any(|f| f.text == "40"), "{f:?}");
}

/// A clause preposed `according to Y` inside `X says …` names whose count
/// it is, and `there` in the count's predicate points to Y's place.
#[test]
fn nested_according_to_and_there() {
    let text = "The health ministry in Veyra says more than 5,000 people have been killed since the strikes began, and according to the health ministry in the Lessk Valley, 91 people have been killed there since 7 October.";
    let f = figure_with(text, "91").expect("the figure 91");
    assert_eq!(
        f.claimant.as_ref().map(|c| c.text.as_str()),
        Some("the health ministry in the Lessk Valley")
    );
    assert_eq!(place(text, "91").as_deref(), Some("the Lessk Valley"));
    // A participle between `in the` and the name keeps it a locative.
    let occupied = text.replace("in the Lessk Valley", "in the occupied Lessk Valley");
    assert_eq!(place(&occupied, "91").as_deref(), Some("Lessk Valley"));
    let f = figure_with(text, "5,000").expect("the figure 5,000");
    assert_eq!(
        f.claimant.as_ref().map(|c| c.text.as_str()),
        Some("The health ministry in Veyra")
    );
}

/// Rule `personal_count`: a family's or particular people's count is no
/// figure; a population of children or a toll is.
#[test]
fn personal_counts_are_not_figures() {
    for (text, number) in [
        (
            "She travelled to the border with her father, three sisters and two brothers.",
            "three",
        ),
        ("He said 42 family members live with him.", "42"),
        ("She said her two daughters were safe.", "two"),
        (
            "He was visiting family in Veyra with his wife and three children.",
            "three",
        ),
        (
            "The three students had landed in Lessk in September.",
            "three",
        ),
    ] {
        assert!(figure_with(text, number).is_none(), "{text}: {number}");
    }
    for (text, number) in [
        ("At least 3,760 children have been killed.", "3,760"),
        ("In total, 21 people were killed in the strike.", "21"),
        ("The 240 hostages are held in tunnels.", "240"),
        // A family's toll is a loss anyone could report and count.
        ("He lost 42 family members in the strike.", "42"),
        (
            "His father, three sisters and two cousins had been killed by an air strike.",
            "two",
        ),
    ] {
        assert!(figure_with(text, number).is_some(), "{text}: {number}");
    }
}

/// `the` before a small count of things is no back-reference to people.
#[test]
fn the_few_cases_stay_a_count() {
    let text = "Of the eight cases in the US there has been one hospitalisation.";
    assert!(figure_with(text, "eight").is_some());
}

/// A cue followed by a quotation says the quotation: what the writer put
/// before the source (`When asked …`) is the writer's.
#[test]
fn a_question_put_before_a_quoted_answer_is_the_writers() {
    let text = "When asked who should govern Veyra - home to 2.2 million people - after the war, Mr Solberg said only \"those who want peace\".";
    let f = figure_with(text, "2.2 million").expect("the population");
    assert_eq!(f.claimant.as_ref().map(|c| c.text.as_str()), None, "{f:?}");
}

#[test]
fn a_since_that_dates_a_record_or_another_noun_starts_no_period() {
    // `since_of_record`: the year dates the record the week is compared
    // with, not the start of the count.
    let f = &figures_dated(
        "The week was the deadliest for the valley since records began in 1998, with at least 40 people killed.",
        "2024-03-10",
    )[0];
    assert!(f.since.is_none(), "{:?}", f.since);
    // `since_in_relative_clause`: the clause dates the province's
    // blockade, not the toll.
    let f = &figures_dated(
        "More than 3,200 people have been killed, according to officials in the province, which has been under curfew since 2019.",
        "2024-03-10",
    )[0];
    assert!(f.since.is_none(), "{:?}", f.since);
    let f = &figures_dated(
        "The council, which has run the district since 2015, says 210 people have been killed.",
        "2024-03-10",
    )[0];
    assert!(f.since.is_none(), "{:?}", f.since);
    // A relative clause on the counted noun does date the count.
    let f = &figures_dated(
        "Some 40,000 people who have fled their homes since 2 March are sheltering in schools.",
        "2024-03-10",
    )[0];
    assert_eq!(
        f.since.as_ref().map(|t| t.value.as_str()),
        Some("2024-03-02")
    );
}

#[test]
fn a_second_count_with_no_noun_shares_the_first_counts_place() {
    // `coordinated_counts`: `and 900 wounded in Veyra` places both.
    let figs = figures("More than 300 villagers have been killed and 900 wounded in Veyra.");
    let places: Vec<Option<&str>> = figs
        .iter()
        .map(|f| f.place.as_ref().map(|p| p.text.as_str()))
        .collect();
    assert_eq!(places, [Some("Veyra"), Some("Veyra")]);
    // A second count with a noun and a verb of its own keeps its place.
    let figs = figures("The raiders killed 300 people and took 40 hostages to Veyra.");
    assert_eq!(figs[0].place, None);
    assert_eq!(
        figs[1].place.as_ref().map(|p| p.text.as_str()),
        Some("Veyra")
    );
}

#[test]
fn a_count_for_a_day_in_a_row_is_a_rate() {
    let f = &figures("The ministry says more than 70 people have been killed in the strikes for a third day in a row.")[0];
    assert_eq!(f.period, Period::Rate);
    assert_eq!(f.period_rule.as_deref(), Some("rate_day"));
}

#[test]
fn a_count_that_brings_a_total_on_is_one_step_of_it() {
    // `increment_of_total`: the 12 are Monday's dead, the 230 the toll.
    let figs =
        figures("Officials said 12 more people died on Monday, bringing the death toll to 230.");
    assert_eq!(figs[0].period, Period::Incident);
    assert_eq!(figs[0].period_rule.as_deref(), Some("increment_of_total"));
    assert_eq!(figs[1].period, Period::Cumulative);
    // `taking 40 hostages to Veyra` takes people somewhere, not a total on.
    let figs = figures("The raiders killed 300 people, taking 40 hostages to Veyra.");
    assert_ne!(figs[0].period_rule.as_deref(), Some("increment_of_total"));
}

#[test]
fn a_month_after_over_is_a_span_not_a_rate() {
    // `span_not_rate`.
    let f =
        &figures("The agency says 170 people have been killed in the valley in just over a month.")
            [0];
    assert_ne!(f.period, Period::Rate);
    let f = &figures("Some 100 people a week have been killed in the valley.")[0];
    assert_eq!(f.period, Period::Rate);
}

/// The claimant's text of the first figure whose text holds `number`:
/// `None` when there is no such figure, `Some(None)` when it has none.
fn claimant(text: &str, number: &str) -> Option<Option<String>> {
    figures(text)
        .into_iter()
        .find(|f| f.text.contains(number))
        .map(|f| f.claimant.map(|c| c.text))
}

/// Rule `after_clause_background`: a count in an `after` clause with a
/// verb of its own recalls the event the news follows; whoever the
/// sentence quotes, it is not their count.
#[test]
fn a_count_in_an_after_clause_is_background() {
    assert_eq!(
        claimant(
            "Marevia has expanded its strikes, three weeks after the Dravik militia launched an attack that killed 1,400 people.",
            "1,400"
        ),
        Some(None)
    );
    assert_eq!(
        claimant(
            "Marevia said it began air strikes after the militia killed about 1,400 people in an attack.",
            "1,400"
        ),
        Some(None)
    );
    // The count before the clause, or a clause with no verb, stays the
    // speaker's.
    assert_eq!(
        claimant(
            "The ministry said 40 people died after a strike hit the camp.",
            "40"
        ),
        Some(Some("The ministry".to_string()))
    );
    assert_eq!(
        claimant(
            "The ministry said that after the storm 40 people were missing.",
            "40"
        ),
        Some(Some("The ministry".to_string()))
    );
    // The participle phrase after the clause's comma is the clause's
    // event's toll, with what is joined to it by `and`.
    for number in ["1,400", "229"] {
        assert_eq!(
            claimant(
                "Marevia has expanded its strikes, three weeks after the militia launched its attack, killing more than 1,400 people and taking 229 people hostage.",
                number
            ),
            Some(None),
            "{number}"
        );
    }
}

/// Rule `when_clause_background`: the toll a `when` clause's past event
/// left, in the participle phrase after it, is background; a count inside
/// the `when` clause is the sentence's own news.
#[test]
fn the_toll_after_a_when_clause_is_background() {
    for number in ["1,400", "242"] {
        assert_eq!(
            claimant(
                "The crowds were calling for a ceasefire in the war, which started when militia gunmen attacked Marevia, killing over 1,400 people and taking 242 hostages.",
                number
            ),
            Some(None),
            "{number}"
        );
    }
    assert_eq!(
        claimant(
            "Officials said 30 people were killed when a strike hit a market.",
            "30"
        ),
        Some(Some("Officials".to_string()))
    );
}

/// Rules `unit_conversion` and `partitive_of_things`: an amount repeated in
/// other units is no second figure, and a part of a set of things counts
/// those things, not the people the sentence is about.
#[test]
fn conversions_and_parts_of_sets_of_things() {
    let f = figures(
        "Most displaced people in Veyra live off 1 litre (34 fl oz) of water a day, the agency said.",
    );
    assert!(f.iter().all(|f| f.value != 34.0), "{f:?}");
    // Money in brackets stays: a sum a reader may want; so does an amount
    // in a unit it names (another source may give it in gallons).
    let f = figures("He earned 400 korun (£85; $105) a day.");
    assert!(f.iter().any(|f| f.value == 105.0), "{f:?}");
    let f = figures("Some 1,000 barrels (42,000 gallons) of oil a day were leaking.");
    assert!(f.iter().any(|f| f.value == 42_000.0), "{f:?}");
    let f = figures(
        "The agency, which shelters 1.5 million displaced people, says 48 of its sites have been damaged.",
    );
    let sites = f.iter().find(|f| f.value == 48.0).expect("the sites");
    assert_eq!(sites.category, Category::Other, "{sites:?}");
    assert_eq!(
        sites.counted.as_ref().map(|c| c.text.as_str()),
        Some("sites")
    );
    // Of people, the predicate still says what happened to them.
    let f = figures("The town said 15 of its residents were shot dead.");
    let dead = f.iter().find(|f| f.value == 15.0).expect("the dead");
    assert_eq!(dead.category, Category::Killed, "{dead:?}");
}

/// Rule `release_demanded`: a release that is demanded or aimed at counts
/// people still held; one that happened counts people released.
#[test]
fn a_demanded_release_counts_people_still_held() {
    let category = |text: &str| {
        figures(text)
            .into_iter()
            .next()
            .map(|f| f.category)
            .expect("a figure")
    };
    assert_eq!(
        category("Marevia is demanding the release of 40 hostages taken by the militia."),
        Category::Hostages
    );
    assert_eq!(
        category("The minister called for the immediate release of the 40 people taken hostage."),
        Category::Hostages
    );
    assert_eq!(
        category("Tolvania is working to secure the release of all 13 hostages."),
        Category::Hostages
    );
    assert_eq!(
        category("The militia has released four hostages so far."),
        Category::Released
    );
    assert_eq!(
        category("Leaders thanked Tolvania for its role in securing the release of four hostages."),
        Category::Released
    );
}

/// Rule `number_in_name`: a capitalised number word inside a name is no
/// count; a title-case headline keeps its numbers, and so does a sentence
/// that opens with one.
#[test]
fn number_words_inside_names_are_not_counts() {
    let f = figures("The community has not faced such a threat since World War Two, he said.");
    assert!(f.is_empty(), "{f:?}");
    let f = figures("She hosted a quiz on Radio Four before the floods reached Marevia.");
    assert!(f.is_empty(), "{f:?}");
    let f = figures("Rebels Free Two Hostages In Marevia");
    assert!(f.iter().any(|f| f.value == 2.0), "{f:?}");
    let f = figures("Two hostages were freed in Marevia on Monday.");
    assert!(f.iter().any(|f| f.value == 2.0), "{f:?}");
    let f = figures("Officials said Two hundred people were evacuated from Marevia.");
    assert!(f.iter().all(|f| f.value != 2.0), "{f:?}");
}

/// Rule `ratio_denominator`: `one in four` is a share even though `one`
/// alone reads as no number; a count after `in` that the number before it
/// does not open a ratio with stays a count.
#[test]
fn the_second_number_of_a_ratio_is_no_count() {
    let f = figures("One in four residents are believed to have been killed.");
    assert!(f.is_empty(), "{f:?}");
    let f = figures("Officials said one out of every three homes had been destroyed.");
    assert!(f.is_empty(), "{f:?}");
    let f = figures("Police said 30 were injured in 2 attacks and 12 people died in 4,000 raids.");
    assert!(f.iter().any(|f| f.value == 2.0), "{f:?}");
    assert!(f.iter().any(|f| f.value == 4_000.0), "{f:?}");
}

/// Rule `past_episode`: a count set in earlier episodes of a story is an
/// earlier value; a count of the present one in the same sentence is not.
#[test]
fn counts_of_previous_wars_are_earlier_values() {
    let f = figures(
        "The toll passes the agency's figure of about 5,400 killed in Veyra in all of the previous conflicts with the militia.",
    );
    assert!(f.iter().any(|f| f.value == 5_400.0 && f.earlier), "{f:?}");
    let f = figures(
        "Officials say strikes destroyed more than 16,000 homes - adding to 2,200 yet to be rebuilt from previous wars.",
    );
    assert!(f.iter().any(|f| f.value == 16_000.0 && !f.earlier), "{f:?}");
    assert!(f.iter().any(|f| f.value == 2_200.0 && f.earlier), "{f:?}");
}

/// `cause` (`lang/en/causes.tsv`, compared by rule `different_causes`):
/// the cause word nearest the number; none for money, none when the
/// sentence names none.
#[test]
fn a_count_carries_the_cause_its_sentence_names() {
    let cause = |text: &str, number: &str| {
        figures(text)
            .into_iter()
            .find(|f| f.text.contains(number))
            .and_then(|f| f.cause)
    };
    assert_eq!(
        cause("Two people die daily of HIV in the province.", "Two").as_deref(),
        Some("disease:hiv")
    );
    assert_eq!(
        cause(
            "The earthquake killed at least 300 people in Ostrel.",
            "300"
        )
        .as_deref(),
        Some("disaster")
    );
    assert_eq!(
        cause("A bus crash killed 12 people and flu has killed 40.", "40").as_deref(),
        Some("disease:flu")
    );
    assert_eq!(
        cause("At least 40 people were killed in Ostrel.", "40"),
        None
    );
    assert_eq!(
        cause(
            "The company agreed to pay $20 billion after the explosion.",
            "20"
        ),
        None
    );
}

/// Rule `including_aside`: the part in `, including N children,` and the
/// whole before it both take the predicate after the aside.
#[test]
fn a_part_in_an_including_aside_shares_the_predicate() {
    let f = figures("The ministry said 436 people, including 182 children, were killed on Monday.");
    let cat = |v: f64| f.iter().find(|f| f.value == v).map(|f| f.category);
    assert_eq!(cat(436.0), Some(Category::Killed), "{f:?}");
    assert_eq!(cat(182.0), Some(Category::Killed), "{f:?}");
    // An aside that is not a part still ends nothing but itself.
    let f = figures("Some 300 people, many of them children, were injured in Ostrel.");
    assert!(
        f.iter()
            .any(|f| f.value == 300.0 && f.category == Category::Injured),
        "{f:?}"
    );
}
