//! Trigger words for each event type, and the words around a trigger that
//! change what it asserts.

use super::{EventType, Issue};

/// Single-word triggers, and whether the word is a noun (a nominalisation
/// such as `airstrikes`, whose actor is a premodifier or a `by`/`from` phrase).
pub(crate) fn trigger(w: &str) -> Option<(EventType, bool)> {
    use EventType::*;
    Some(match w {
        "airstrike" | "airstrikes" | "air-strikes" | "bombardment" | "bombardments"
        | "shelling" | "rockets" | "rocket" | "missiles" | "missile" | "bombing" | "bombings"
        | "attack" | "attacks" | "assault" | "raid" | "raids" | "offensive" | "invasion"
        | "shells" => (Assault, true),
        "bombard" | "bombarded" | "bombarding" | "bombards" | "shelled" | "shell" | "struck"
        | "attacked" | "attacking" | "bombed" | "raided" | "invaded" | "fired" | "firing"
        | "launched" => (Assault, false),
        "clashes" | "clash" | "fighting" | "battle" | "battles" => (Fight, true),
        "clashed" | "fought" | "battled" => (Fight, false),
        "talks" | "meeting" | "meetings" | "visit" | "discussions" | "negotiations" | "summit" => {
            (Consult, true)
        }
        "met" | "meet" | "meets" | "visited" | "visits" | "visiting" | "negotiated"
        | "negotiate" => (Consult, false),
        "urged" | "urges" | "urge" | "urging" | "demanded" | "demands" | "demand" | "demanding"
        | "appealed" => (Demand, false),
        "calls" | "appeal" | "appeals" => (Demand, true),
        "rejected" | "rejects" | "reject" | "rejecting" | "dismissed" | "dismisses" | "refused"
        | "refuses" | "vetoed" | "opposed" | "opposes" | "oppose" | "opposing" => (Reject, false),
        "rejection" | "refusal" => (Reject, true),
        "criticized" | "criticised" | "criticizes" | "criticises" | "condemned" | "condemns"
        | "denounced" | "denounces" => (Disapprove, false),
        "criticism" | "condemnation" => (Disapprove, true),
        "accused" | "accuses" | "accusing" | "blamed" | "blames" => (Accuse, false),
        "agreed" | "agrees" | "accepted" | "accepts" | "accept" | "signed" => (Agree, false),
        "agreement" | "deal" => (Agree, true),
        "supported" | "supports" | "support" | "supporting" | "backed" | "backs" | "endorsed"
        | "endorses" | "endorse" | "favours" | "favors" | "favoured" | "favored" => {
            (Support, false)
        }
        "backing" | "endorsement" => (Support, true),
        "aid" | "assistance" | "convoy" | "convoys" | "delivery" | "deliveries" => (Aid, true),
        "delivered" | "deliver" | "pledged" | "donated" => (Aid, false),
        "threatened" | "threatens" | "threaten" | "warned" | "warns" => (Threaten, false),
        "threat" | "threats" => (Threaten, true),
        "protest" | "protests" | "march" | "rally" | "rallies" | "demonstration"
        | "demonstrations" => (Protest, true),
        "protested" | "marched" | "rallied" | "demonstrated" => (Protest, false),
        "mobilisation" | "mobilization" | "deployment" => (Mobilize, true),
        "mobilised" | "mobilized" | "mobilise" | "mobilize" | "deployed" | "deploy" => {
            (Mobilize, false)
        }
        "sanctions" | "embargo" => (Sanction, true),
        "sanctioned" => (Sanction, false),
        "blockade" | "siege" | "detention" | "arrests" => (Coerce, true),
        "arrested" | "detained" | "detain" | "arrest" | "blockaded" | "besieged" | "seized"
        | "abducted" | "kidnapped" | "surrounded" => (Coerce, false),
        "released" | "releases" | "release" | "freed" | "frees" => (Release, false),
        "investigation" | "inquiry" | "probe" => (Investigate, true),
        "investigate" | "investigated" | "investigating" => (Investigate, false),
        _ => return None,
    })
}

/// Two-word triggers (`called for`, `ruled out`).
/// Whether a word is a trigger of a physical act (an attack, a meeting, an
/// arrest, a delivery), not of a statement (a demand, a rejection, a threat).
pub(crate) fn is_physical_act(w: &str) -> bool {
    use EventType::*;
    trigger(w).is_some_and(|(t, _)| {
        matches!(
            t,
            Assault | Fight | Consult | Aid | Protest | Mobilize | Sanction | Coerce | Release
        )
    })
}

pub(crate) fn trigger2(a: &str, b: &str) -> Option<EventType> {
    use EventType::*;
    Some(match (a, b) {
        ("called" | "calls" | "call" | "calling" | "pressed" | "pushing" | "push", "for") => Demand,
        ("insists" | "insisted" | "insist", "on") => Demand,
        ("ruled" | "rules", "out") => Reject,
        ("called" | "call" | "calling", "up") => Mobilize,
        ("air", "strikes" | "strike") => Assault,
        ("held" | "holds", "talks") => Consult,
        _ => return None,
    })
}

/// Words between a subject and its verb that do not change who acts.
pub(crate) fn is_aux(w: &str) -> bool {
    matches!(
        w,
        "has"
            | "have"
            | "had"
            | "is"
            | "are"
            | "was"
            | "were"
            | "be"
            | "been"
            | "will"
            | "would"
            | "could"
            | "might"
            | "may"
            | "must"
            | "should"
            | "also"
            | "not"
            | "n't"
            | "never"
            | "to"
            | "scheduled"
            | "set"
            | "due"
            | "expected"
            | "plans"
            | "planned"
            | "plan"
            | "intends"
            | "going"
            | "continues"
            | "continued"
            | "continue"
            | "began"
            | "started"
            | "repeatedly"
            | "reportedly"
            | "again"
            | "already"
            | "actively"
            | "later"
            | "then"
            | "hold"
            | "held"
            | "holds"
            | "make"
            | "made"
            | "impose"
            | "imposed"
            | "imposes"
            | "launch"
            | "launched"
            | "carried"
            | "carry"
            | "out"
            | "did"
            | "does"
            | "do"
            | "temporarily"
            | "halted"
            | "stopped"
            | "suspended"
            | "paused"
            | "firmly"
            | "publicly"
            | "swiftly"
            | "quickly"
            | "sharply"
            | "strongly"
    )
}

/// Auxiliaries that put an event in the future.
pub(crate) fn is_planned_aux(w: &str) -> bool {
    matches!(
        w,
        "will"
            | "scheduled"
            | "set"
            | "due"
            | "expected"
            | "plans"
            | "planned"
            | "plan"
            | "intends"
            | "going"
    )
}

/// Auxiliaries that make an event possible rather than real.
pub(crate) fn is_hypothetical_aux(w: &str) -> bool {
    matches!(w, "could" | "might" | "may" | "would" | "should")
}

/// Verbs whose infinitive complement is wanted, not done: `pushed Israel
/// to accept`, `urging Hamas to release`. Implicative verbs (`forced`,
/// `managed`, `agreed`) are not here: their infinitive happened.
pub(crate) fn is_directive(w: &str) -> bool {
    const STEMS: &[&str] = &[
        "push", "press", "urg", "ask", "persuad", "encourag", "want", "wish", "hop", "tr", "seek",
        "sought", "invit", "plead", "appeal", "lobb",
    ];
    const FORMS: &[&str] = &["", "e", "es", "ed", "ing", "s", "ies", "ied", "y", "ying"];
    STEMS
        .iter()
        .any(|s| w.strip_prefix(s).is_some_and(|rest| FORMS.contains(&rest)))
}

/// Words that negate the event they precede.
pub(crate) fn is_negator(w: &str) -> bool {
    matches!(
        w,
        "not" | "n't" | "never" | "no" | "halted" | "stopped" | "suspended" | "paused"
    )
}

/// Verbs of denial: an event in their complement is denied.
pub(crate) fn is_denial(w: &str) -> bool {
    matches!(w, "denied" | "denies" | "deny" | "denying")
}

/// Words that name an issue.
pub(crate) fn issue(w: &str, next: &str) -> Option<Issue> {
    Some(match w {
        "ceasefire" | "cease-fire" | "ceasefires" => Issue::Ceasefire,
        "truce" | "truces" => Issue::Truce,
        "pause" | "pauses" => Issue::HumanitarianPause,
        "hostages" | "hostage" | "captives" if matches!(next, "release" | "released" | "freed") => {
            Issue::HostageRelease
        }
        "release" if matches!(next, "of" | "all") => Issue::HostageRelease,
        "negotiations" | "talks" | "negotiating" => Issue::Talks,
        "aid" | "assistance" => Issue::Aid,
        "restraint" => Issue::Restraint,
        "inquiry" | "investigation" => Issue::Inquiry,
        _ => return None,
    })
}

/// The country a demonym or a capital used for a government stands for.
pub(crate) fn country_of(w: &str) -> Option<&'static str> {
    // `us` is a name before it is a plural: trimming its `s` left `u`.
    if w == "us" {
        return Some("United States");
    }
    Some(match w.trim_end_matches("'s").trim_end_matches('s') {
        "israeli" | "israel" => "Israel",
        "palestinian" => "Palestinians",
        "american" | "u.s." | "us" | "washington" | "united state" => "United States",
        "lebanese" => "Lebanon",
        "egyptian" => "Egypt",
        "qatari" => "Qatar",
        "saudi" => "Saudi Arabia",
        "jordanian" => "Jordan",
        "iranian" | "tehran" => "Iran",
        "syrian" | "damascu" => "Syria",
        "turkish" | "ankara" => "Turkey",
        "russian" | "moscow" | "kremlin" => "Russia",
        "ukrainian" | "kyiv" | "kiev" => "Ukraine",
        "chinese" | "beijing" => "China",
        "british" | "uk" => "United Kingdom",
        "french" => "France",
        "german" => "Germany",
        "arab" => "Arab states",
        "emirati" => "United Arab Emirates",
        "iraqi" | "baghdad" => "Iraq",
        "yemeni" => "Yemen",
        _ => return None,
    })
}
