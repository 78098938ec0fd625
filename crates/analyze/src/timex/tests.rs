//! Golden cases for the tagger: each construction with and without a
//! document date, tense-aware resolution, and properties of the output.

use proptest::prelude::*;

use super::*;

/// `text|type|value|mod` for each expression found, one per line.
fn tag(text: &str, dct: Option<&str>) -> Vec<String> {
    let ctx = TimexContext::news(dct.and_then(|d| Timestamp::parse(d).ok()));
    find_timexes(text, &ctx)
        .into_iter()
        .map(|t| {
            format!(
                "{}|{}|{}{}",
                t.text,
                t.kind.as_str(),
                t.value,
                t.mod_.map(|m| format!("|{m}")).unwrap_or_default()
            )
        })
        .collect()
}

/// Checks that `text` yields exactly `expected` under the DCT 2023-11-09 (a Thursday).
fn check(text: &str, expected: &[&str]) {
    assert_eq!(tag(text, Some("2023-11-09")), expected, "{text}");
}

fn check_no_dct(text: &str, expected: &[&str]) {
    assert_eq!(tag(text, None), expected, "{text}");
}

#[test]
fn weekdays_follow_tense() {
    check("They will meet on Friday.", &["Friday|DATE|2023-11-10"]);
    check("They met on Friday.", &["Friday|DATE|2023-11-03"]);
    check(
        "Talks will resume Monday, officials said.",
        &["Monday|DATE|2023-11-13"],
    );
    check(
        "The minister said Tuesday that talks failed.",
        &["Tuesday|DATE|2023-11-07"],
    );
    check("He arrived last Friday.", &["last Friday|DATE|2023-11-03"]);
    check("He leaves next Tuesday.", &["next Tuesday|DATE|2023-11-14"]);
    check_no_dct("They will meet on Friday.", &["Friday|DATE|XXXX-WXX-5"]);
}

#[test]
fn parts_of_days() {
    check(
        "Shelling resumed Wednesday night.",
        &["Wednesday night|TIME|2023-11-08TNI"],
    );
    check(
        "He spoke this morning.",
        &["this morning|TIME|2023-11-09TMO"],
    );
    check(
        "Strikes hit overnight and again last night.",
        &["last night|TIME|2023-11-08TNI"],
    );
    check("The vote is tonight.", &["tonight|TIME|2023-11-09TNI"]);
    check(
        "It happened yesterday afternoon.",
        &["yesterday afternoon|TIME|2023-11-08TAF"],
    );
    check_no_dct(
        "He spoke this morning.",
        &["this morning|TIME|XXXX-XX-XXTMO"],
    );
}

#[test]
fn month_and_day() {
    check(
        "The attack on Oct. 7 killed many.",
        &["Oct. 7|DATE|2023-10-07"],
    );
    check(
        "Elections are due on Jan. 14.",
        &["Jan. 14|DATE|2024-01-14"],
    );
    check(
        "It was signed on 9 Nov. 2023.",
        &["9 Nov. 2023|DATE|2023-11-09"],
    );
    check(
        "It was signed November 9, 2023.",
        &["November 9, 2023|DATE|2023-11-09"],
    );
    check("Talks began in March.", &["March|DATE|2023-03"]);
    check("Talks will resume in March.", &["March|DATE|2024-03"]);
    check("in late November", &["late November|DATE|2023-11|END"]);
    check_no_dct(
        "The attack on Oct. 7 killed many.",
        &["Oct. 7|DATE|XXXX-10-07"],
    );
}

#[test]
fn numeric_dates_and_times() {
    check("Posted 11/09/2023.", &["11/09/2023|DATE|2023-11-09"]);
    check("Posted 2023-11-09.", &["2023-11-09|DATE|2023-11-09"]);
    check(
        "The blast came at 3:30 p.m. local time.",
        &["3:30 p.m. local time|TIME|2023-11-09T15:30"],
    );
    check("They met at noon.", &["noon|TIME|2023-11-09T12:00"]);
    check(
        "The curfew starts at midnight.",
        &["midnight|TIME|2023-11-09T24:00"],
    );
    check_no_dct("They met at noon.", &["noon|TIME|XXXX-XX-XXT12:00"]);
}

#[test]
fn relative_to_the_dct() {
    check("He left yesterday.", &["yesterday|DATE|2023-11-08"]);
    check("He leaves tomorrow.", &["tomorrow|DATE|2023-11-10"]);
    check(
        "It happened two days ago.",
        &["two days ago|DATE|2023-11-07"],
    );
    check("It happened last week.", &["last week|DATE|2023-W44"]);
    check(
        "Prices rose earlier this week.",
        &["earlier this week|DATE|2023-W45|START"],
    );
    check("It rose this year.", &["this year|DATE|2023"]);
    check("It will rise next month.", &["next month|DATE|2023-12"]);
    check("Sales fell last year.", &["last year|DATE|2022"]);
    check(
        "Fighting continued over the weekend.",
        &["the weekend|DATE|2023-W44-WE"],
    );
    check(
        "He was shot to death last Oct. 23.",
        &["Oct. 23|DATE|2023-10-23"],
    );
    check_no_dct("It happened last week.", &["last week|DATE|XXXX-WXX"]);
    check_no_dct("He left yesterday.", &["yesterday|DATE|XXXX-XX-XX"]);
}

#[test]
fn vague_references() {
    check("Aid is now arriving.", &["now|DATE|PRESENT_REF"]);
    check("He recently left.", &["recently|DATE|PAST_REF"]);
    check("It is currently closed.", &["currently|DATE|PRESENT_REF"]);
    check(
        "It may change in the future.",
        &["the future|DATE|FUTURE_REF"],
    );
}

#[test]
fn durations() {
    check(
        "a truce of less than a month",
        &["less than a month|DURATION|P1M|LESS_THAN"],
    );
    check(
        "over the past three years",
        &["the past three years|DURATION|P3Y"],
    );
    check("the siege lasted a decade", &["a decade|DURATION|P10Y"]);
    check("a two-hour meeting", &["two-hour|DURATION|PT2H"]);
    check("for 5 1/2 hours", &["5 1/2 hours|DURATION|PT5H30M"]);
    check("for several years", &["several years|DURATION|PXY"]);
    check(
        "nearly two weeks",
        &["nearly two weeks|DURATION|P2W|APPROX"],
    );
    check(
        "for twenty-five years",
        &["twenty-five years|DURATION|P25Y"],
    );
    check_no_dct("for 14 days", &["14 days|DURATION|P14D"]);
}

#[test]
fn sets() {
    check("Talks are held every week.", &["every week|SET|P1W"]);
    check("It is updated daily.", &["daily|SET|P1D"]);
    check("They meet every Monday.", &["every Monday|SET|XXXX-WXX-1"]);
    check("It costs $5 million a year.", &["a year|SET|P1Y"]);
}

#[test]
fn years_decades_quarters_seasons() {
    check("In 1990 the wall fell.", &["1990|DATE|1990"]);
    check("in the 1990s", &["the 1990s|DATE|199"]);
    check("in the late 1970s", &["the late 1970s|DATE|197|END"]);
    check("third-quarter profit", &["third-quarter|DATE|2023-Q3"]);
    check(
        "in the third quarter of 2022",
        &["the third quarter of 2022|DATE|2022-Q3"],
    );
    check("in fiscal 2022", &["fiscal 2022|DATE|2022"]);
    check("He left last summer.", &["last summer|DATE|2023-SU"]);
    check("It froze last spring.", &["last spring|DATE|2023-SP"]);
    check("It will snow next winter.", &["next winter|DATE|2023-WI"]);
    check("It will open this summer.", &["this summer|DATE|2023-SU"]);
    check("in the 20th century", &["the 20th century|DATE|19"]);
    check("on Thanksgiving Day", &["Thanksgiving Day|DATE|2023-11-23"]);
    check_no_dct("third-quarter profit", &["third-quarter|DATE|XXXX-Q3"]);
}

#[test]
fn business_comparisons_follow_the_quarter() {
    check(
        "Profit rose in the third quarter from a year earlier. In the year-ago quarter it fell.",
        &[
            "the third quarter|DATE|2023-Q3",
            "a year earlier|DATE|2022-Q3",
            "the year-ago quarter|DATE|2022-Q3",
        ],
    );
}

#[test]
fn numbers_that_are_not_years() {
    check("It employs 1990 people and paid $2023.", &[]);
    check("Shares rose 1,995 points.", &[]);
    check("You may go. He will march on.", &[]);
}

#[test]
fn narrative_counts_from_the_last_date() {
    let ctx = TimexContext {
        dct: Timestamp::parse("2023-11-09").ok(),
        genre: Genre::Narrative,
    };
    let found = find_timexes(
        "He was born on March 3, 1950. Two days later his father left.",
        &ctx,
    );
    let values: Vec<&str> = found.iter().map(|t| t.value.as_str()).collect();
    assert_eq!(values, ["1950-03-03", "1950-03-05"]);
}

#[test]
fn all_rules_compile() {
    assert_eq!(RULES.len(), 37);
}

proptest! {
    #[test]
    fn spans_are_valid_sorted_and_disjoint(s in "\\PC{0,200}") {
        let ctx = TimexContext::news(Timestamp::parse("2023-11-09").ok());
        let found = find_timexes(&s, &ctx);
        let mut last_end = 0;
        for t in &found {
            prop_assert!(t.span.start < t.span.end);
            prop_assert!(t.span.start >= last_end);
            prop_assert!(s.is_char_boundary(t.span.start) && s.is_char_boundary(t.span.end));
            prop_assert_eq!(t.span.slice(&s), Some(t.text.as_str()));
            last_end = t.span.end;
        }
    }

    #[test]
    fn temporal_text_never_panics(
        words in proptest::collection::vec(
            proptest::sample::select(vec![
                "Friday", "last", "next", "week", "Oct.", "7", "2023", "the", "past", "three",
                "years", "ago", "a.m.", "3:30", "p.m.", "every", "day", "early", "mid-", "1990s",
                "quarter", "third", "fiscal", "'80s", "noon", "tonight", "less", "than", "a",
                "12/31/1999", "will", "said", "half", "1/2", "century", "-", ",", ".", "É", "—",
            ]),
            0..30,
        ),
        dct in proptest::option::of(0i64..40_000),
    ) {
        let text = words.join(" ");
        let dct = dct.and_then(|d| {
            chrono::NaiveDate::from_ymd_opt(1900, 1, 1)
                .map(|b| Timestamp::from_date(b + chrono::Duration::days(d)))
        });
        let found = find_timexes(&text, &TimexContext::news(dct));
        for t in &found {
            prop_assert_eq!(t.span.slice(&text), Some(t.text.as_str()));
            prop_assert!(!t.value.is_empty());
        }
    }
}
