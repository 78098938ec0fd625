//! Word lists for figures: qualifiers, counted nouns and predicates, each
//! mapped to what it says about the number.

use super::{Approximation, Category};

/// Qualifiers written before a number, longest first within each class.
pub(crate) const QUALIFIERS: &[(&str, Approximation)] = &[
    ("no fewer than", Approximation::AtLeast),
    ("no less than", Approximation::AtLeast),
    ("not less than", Approximation::AtLeast),
    ("not fewer than", Approximation::AtLeast),
    ("a minimum of", Approximation::AtLeast),
    ("at least", Approximation::AtLeast),
    ("in excess of", Approximation::MoreThan),
    ("more than", Approximation::MoreThan),
    ("greater than", Approximation::MoreThan),
    ("upwards of", Approximation::MoreThan),
    ("upward of", Approximation::MoreThan),
    ("well over", Approximation::MoreThan),
    ("over", Approximation::MoreThan),
    ("above", Approximation::MoreThan),
    ("just under", Approximation::Nearly),
    ("just short of", Approximation::Nearly),
    ("close to", Approximation::Nearly),
    ("nearly", Approximation::Nearly),
    ("almost", Approximation::Nearly),
    ("no more than", Approximation::UpTo),
    ("as many as", Approximation::UpTo),
    ("as much as", Approximation::UpTo),
    ("a maximum of", Approximation::UpTo),
    ("at most", Approximation::UpTo),
    ("up to", Approximation::UpTo),
    ("fewer than", Approximation::FewerThan),
    ("less than", Approximation::FewerThan),
    ("under", Approximation::FewerThan),
    ("below", Approximation::FewerThan),
    ("an estimated", Approximation::About),
    ("approximately", Approximation::About),
    ("roughly", Approximation::About),
    ("around", Approximation::About),
    ("about", Approximation::About),
    ("some", Approximation::About),
    ("estimated", Approximation::About),
    ("approx.", Approximation::About),
    ("circa", Approximation::About),
    ("an approximate", Approximation::About),
];

/// Heads that say what category a count is, whatever the verb.
pub(crate) fn head_category(head: &str) -> Option<Category> {
    super::frame::measure_of_head(head)
}

/// Heads that count people (the verb decides the category). Plurals in
/// `-men` (`gunmen`, `policemen`, `fishermen`) are people though they end
/// in no `s` (rule `men_plural`).
pub(crate) fn is_people_head(head: &str) -> bool {
    head.len() > 4 && head.ends_with("men")
        || matches!(
            head,
            "people"
                | "persons"
                | "person"
                | "civilians"
                | "children"
                | "women"
                | "men"
                | "adults"
                | "babies"
                | "journalists"
                | "workers"
                | "staff"
                | "patients"
                | "families"
                | "israelis"
                | "palestinians"
                | "individuals"
                | "citizens"
                | "nationals"
                | "foreigners"
                | "volunteers"
                | "engineers"
                | "doctors"
                | "nurses"
                | "students"
                | "protesters"
                | "demonstrators"
                | "migrants"
                | "settlers"
                | "residents"
        )
}

/// Heads that are vehicles of aid when the sentence is about aid.
pub(crate) fn is_truck_head(head: &str) -> bool {
    matches!(
        head,
        "trucks" | "truck" | "lorries" | "truckloads" | "convoys" | "vehicles" | "aid-trucks"
    )
}

/// Words that make a sentence about humanitarian aid.
pub(crate) fn is_aid_word(w: &str) -> bool {
    matches!(
        w,
        "aid"
            | "relief"
            | "humanitarian"
            | "supplies"
            | "convoy"
            | "convoys"
            | "food"
            | "feed"
            | "crossing"
            | "deliveries"
            | "delivery"
    )
}

/// Verbs, participles and nouns that say what happened to counted people.
pub(crate) fn predicate_category(w: &str) -> Option<Category> {
    super::frame::measure_of_verb(w)
}

/// Nouns that name a populated place (`the enclave of 2.3 million people`).
pub(crate) fn is_populated_place(w: &str) -> bool {
    matches!(
        w,
        "enclave"
            | "strip"
            | "city"
            | "town"
            | "province"
            | "country"
            | "territory"
            | "region"
            | "nation"
            | "area"
            | "village"
            | "state"
            | "island"
            | "valley"
            | "capital"
            | "district"
            | "camp"
            | "population"
    )
}

/// Words after a number that make it a duration, a date or a rank rather
/// than a count of things.
pub(crate) fn is_non_count_noun(w: &str) -> bool {
    matches!(
        w,
        "years"
            | "year"
            | "months"
            | "month"
            | "weeks"
            | "week"
            | "days"
            | "day"
            | "hours"
            | "hour"
            | "minutes"
            | "minute"
            | "seconds"
            | "decades"
            | "decade"
            | "centuries"
            | "times"
            | "time"
            | "sides"
            | "ways"
            | "o'clock"
            | "a.m."
            | "p.m."
            | "am"
            | "pm"
            | "gmt"
            | "utc"
            | "year-old"
            | "years-old"
            | "points"
            | "goals"
            | "runs"
            | "innings"
            | "overtime"
            | "votes"
            | "km"
            | "kilometres"
            | "kilometers"
            | "miles"
            | "metres"
            | "meters"
            | "feet"
    )
}

/// Words before a number that make it a label, not a count (`Section 5`, `aged 24`).
pub(crate) fn is_label_word(w: &str) -> bool {
    matches!(
        w,
        "section"
            | "article"
            | "chapter"
            | "resolution"
            | "no."
            | "number"
            | "page"
            | "paragraph"
            | "room"
            | "flight"
            | "route"
            | "highway"
            | "road"
            | "platform"
            | "gate"
            | "version"
            | "level"
            | "phase"
            | "stage"
            | "grade"
            | "category"
            | "clause"
            | "item"
            | "case"
            | "code"
            | "line"
            | "bus"
            | "channel"
            | "tel"
            | "tel."
            | "phone"
            | "ext"
            | "ext."
            | "aged"
            | "age"
            | "ages"
            | "size"
            | "vol."
            | "volume"
            | "apartment"
            | "building"
            | "unit"
            | "floor"
            | "week"
            | "day"
            | "year"
            | "season"
            | "game"
            | "round"
            | "match"
            | "part"
            | "episode"
            | "square"
            | "street"
            | "avenue"
            | "hall"
            | "terminal"
            | "cell"
            | "block"
            | "sector"
            | "zone"
            | "district"
            | "ward"
            | "bed"
            | "#"
            | "g7"
            | "g20"
    )
}

/// Month names, whose neighbour is a day or a year.
pub(crate) fn is_month(w: &str) -> bool {
    matches!(
        w.trim_end_matches('.'),
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}
