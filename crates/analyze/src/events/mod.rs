//! Events: who did what to whom, typed on PLOVER, fast tier.
//!
//! A trigger lexicon ([`lexicon`]) marks verbs and nominalisations
//! (`rejected`, `airstrikes`, `called for`). Around each trigger, rules read
//! the actor (the subject before a verb, past auxiliaries such as `has` or
//! `is scheduled to`; for a noun, a premodifier like `Israeli` or a `by`/`from`
//! phrase), the target (the object or the phrase after `with`, `on`,
//! `targeting`, `toward`), a place and a time in the same sentence, negation
//! (`did not`, `denied that … had shelled`, `halted`), modality (`planned` for
//! `will`/`is scheduled to`, `conditional` for `unless`/`if`, `reported`
//! inside an attribution) and, for demands, rejections and agreements, the
//! issue (`ceasefire`, `humanitarian pause`), so that a later stage can build
//! an actor × issue table.
//!
//! The lexicon's names follow the brief this engine was specified with:
//! `DEMAND` is PLOVER's REQUEST, `RELEASE` its CONCEDE/YIELD, and
//! `DISAPPROVE` the pre-2021 PLOVER class that ACCUSE later absorbed. Rules
//! miss events phrased around a verb the lexicon lacks, and they read one
//! sentence at a time, so an actor named only in an earlier sentence is
//! reached through the simplest pronoun rule and no further.
//!
//! ```
//! use storyline_analyze::events::{find_events, EventType, Modality};
//! use storyline_analyze::{split_sentences, tokenize};
//!
//! let text = "CIA Director William Burns is scheduled to visit Israel.";
//! let tokens = tokenize(text);
//! let sentences = split_sentences(text, &tokens);
//! let events = find_events(text, &tokens, &sentences, &[], &[], &[]);
//! assert_eq!(events[0].kind, EventType::Consult);
//! assert_eq!(events[0].modality, Modality::Planned);
//! assert_eq!(events[0].target.as_ref().map(|t| t.text.as_str()), Some("Israel"));
//! ```

mod cues;
mod lexicon;
pub(crate) use lexicon::is_hypothetical_aux;
pub(crate) use lexicon::is_physical_act;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use storyline_core::Span;

use crate::attribution::Attribution;
use crate::figures::words::{
    is_function_word, is_quote, join, nearest_timex, place_candidates, sentence_words, PlaceCand,
    Word,
};
use crate::figures::{
    claimant_of, fallback_attributions, from_attributions, AsOf, ByContent, Claimant, TextRef,
};
use crate::mentions::{Mentions, Times};
use crate::ner::{EntityLabel, EntityMention};
use crate::sentence::Sentence;
use crate::timex::Timex;
use crate::token::Token;
use cues::Cue;
use lexicon::*;

pub(crate) use lexicon::country_of;

/// Event classes (PLOVER, with the names noted in the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventType {
    /// Armed attack: airstrikes, shelling, rockets, bombardment.
    Assault,
    /// Fighting between armed parties: clashes, battles.
    Fight,
    /// Meetings, talks, visits, negotiations.
    Consult,
    /// Calls for, urges, demands (PLOVER REQUEST).
    Demand,
    /// Rejects, dismisses, refuses.
    Reject,
    /// Criticises, condemns.
    Disapprove,
    /// Accuses, blames.
    Accuse,
    /// Agrees, accepts, signs.
    Agree,
    /// Supports, backs, endorses, welcomes (PLOVER SUPPORT).
    Support,
    /// Gives or delivers aid, pledges money.
    Aid,
    /// Threatens, warns.
    Threaten,
    /// Protests, marches, rallies.
    Protest,
    /// Mobilises, deploys, calls up reservists.
    Mobilize,
    /// Imposes sanctions.
    Sanction,
    /// Arrests, detains, seizes, besieges, blockades.
    Coerce,
    /// Releases or frees people (PLOVER CONCEDE/YIELD).
    Release,
    /// Investigates; opens an inquiry.
    Investigate,
}

impl EventType {
    /// Every event type, in declaration order.
    pub const ALL: [EventType; 17] = [
        EventType::Assault,
        EventType::Fight,
        EventType::Consult,
        EventType::Demand,
        EventType::Reject,
        EventType::Disapprove,
        EventType::Accuse,
        EventType::Agree,
        EventType::Support,
        EventType::Aid,
        EventType::Threaten,
        EventType::Protest,
        EventType::Mobilize,
        EventType::Sanction,
        EventType::Coerce,
        EventType::Release,
        EventType::Investigate,
    ];

    /// The type whose code ([`EventType::as_str`]) is `code`.
    pub fn from_code(code: &str) -> Option<EventType> {
        Self::ALL.into_iter().find(|t| t.as_str() == code)
    }

    /// What a reader calls it: the code's meaning in plain words, for
    /// pages (the code stays the data's name, shown as their tooltip).
    pub fn label(self) -> &'static str {
        match self {
            EventType::Assault => "attack",
            EventType::Fight => "fighting",
            EventType::Consult => "talks",
            EventType::Demand => "demand",
            EventType::Reject => "rejection",
            EventType::Disapprove => "condemnation",
            EventType::Accuse => "accusation",
            EventType::Agree => "agreement",
            EventType::Support => "support",
            EventType::Aid => "aid",
            EventType::Threaten => "threat",
            EventType::Protest => "protest",
            EventType::Mobilize => "mobilisation",
            EventType::Sanction => "sanctions",
            EventType::Coerce => "arrest or siege",
            EventType::Release => "release",
            EventType::Investigate => "investigation",
        }
    }

    /// The upper-case name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Assault => "ASSAULT",
            EventType::Fight => "FIGHT",
            EventType::Consult => "CONSULT",
            EventType::Demand => "DEMAND",
            EventType::Reject => "REJECT",
            EventType::Disapprove => "DISAPPROVE",
            EventType::Accuse => "ACCUSE",
            EventType::Agree => "AGREE",
            EventType::Support => "SUPPORT",
            EventType::Aid => "AID",
            EventType::Threaten => "THREATEN",
            EventType::Protest => "PROTEST",
            EventType::Mobilize => "MOBILIZE",
            EventType::Sanction => "SANCTION",
            EventType::Coerce => "COERCE",
            EventType::Release => "RELEASE",
            EventType::Investigate => "INVESTIGATE",
        }
    }
}

/// Whether the text says the event happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Stated by the writer as fact.
    Asserted,
    /// In the future: `will`, `is scheduled to`, `is set to`.
    Planned,
    /// Only under a condition: `unless`, `only if`, `if`.
    Conditional,
    /// Inside an attribution: someone says it happened.
    Reported,
    /// Possible: `could`, `might`, `would`.
    Hypothetical,
    /// Asked about, not stated: `Asked if X supported calls for a
    /// ceasefire`, `how many … before the West calls for a ceasefire?`.
    Questioned,
}

impl Modality {
    /// The snake_case name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Planned => "planned",
            Modality::Conditional => "conditional",
            Modality::Reported => "reported",
            Modality::Hypothetical => "hypothetical",
            Modality::Questioned => "questioned",
        }
    }
}

/// What a demand, rejection or agreement is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Issue {
    /// A ceasefire.
    Ceasefire,
    /// A truce.
    Truce,
    /// Humanitarian or localised pauses in fighting.
    HumanitarianPause,
    /// Releasing hostages.
    HostageRelease,
    /// Talks or negotiations.
    Talks,
    /// Humanitarian aid.
    Aid,
    /// Restraint.
    Restraint,
    /// An inquiry or investigation.
    Inquiry,
}

impl Issue {
    /// The snake_case name used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            Issue::Ceasefire => "ceasefire",
            Issue::Truce => "truce",
            Issue::HumanitarianPause => "humanitarian_pause",
            Issue::HostageRelease => "hostage_release",
            Issue::Talks => "talks",
            Issue::Aid => "aid",
            Issue::Restraint => "restraint",
            Issue::Inquiry => "inquiry",
        }
    }
}

/// An actor or target: the phrase as written and the name it stands for
/// (`Israeli` → `Israel`, `Washington` → `United States`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Where it is.
    pub span: Span,
    /// The phrase as written.
    pub text: String,
    /// The country a demonym or capital stands for, else the phrase without a
    /// leading article.
    pub canonical: String,
    /// The article's referent the participant names (an index into
    /// [`crate::document::Analysis::referents`]), filled by
    /// [`crate::document::analyze`]; `None` when none matches.
    #[serde(default)]
    pub referent: Option<usize>,
}

/// One event mention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Its class.
    pub kind: EventType,
    /// The trigger word or words.
    pub trigger: TextRef,
    /// The sentence: the evidence.
    pub sentence: Span,
    /// Who acts.
    pub actor: Option<Participant>,
    /// Who or what is acted on.
    pub target: Option<Participant>,
    /// Where, when the sentence says.
    pub place: Option<TextRef>,
    /// When: a date or time expression of the sentence, never guessed.
    pub time: Option<AsOf>,
    /// The text says it did not happen (`did not`, `denied that … had`).
    pub negated: bool,
    /// Asserted, planned, conditional, reported or hypothetical.
    pub modality: Modality,
    /// For reported events, who reports them.
    pub source: Option<Claimant>,
    /// For demands, rejections and agreements: what about.
    pub issue: Option<Issue>,
    /// The issue is asked against (`called for there to be no ceasefire`).
    pub issue_negated: bool,
    /// The named rules that changed what the event asserts (`question`,
    /// `refusal_to`, `issue_polarity`, …; `events/README.md`), so an
    /// evaluation can count what each does.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

/// Whether a phrase names members of a body rather than the body (`60
/// Labour MPs`, `senior Labour figures`): its last word is a member noun of
/// `stance_cues.tsv`. The linker's rule `members_not_body` gives such an
/// actor no body's position.
pub fn names_members(phrase: &str) -> bool {
    phrase
        .split_whitespace()
        .last()
        .is_some_and(|w| cues::is(Cue::Member, &crate::figures::words::fold(w)))
}

/// Whether `w` (lower case) is a preposition whose object is no subject
/// (`stance_cues.tsv`, `preposition`).
pub fn is_preposition(w: &str) -> bool {
    cues::is(Cue::Preposition, w)
}

/// Whether `w` (lower case) is a verb of assault (`raided`, `attacked`):
/// its object is where the assault happened.
pub(crate) fn is_assault_verb(w: &str) -> bool {
    matches!(lexicon::trigger(w), Some((EventType::Assault, false)))
}

/// The article's entity mentions, indexed, and those near the sentence at
/// hand: rules that look within the sentence take `here`, and the one that
/// looks back through the article (`he` → the last person named) takes the
/// index, so no rule scans every mention of the article per event.
struct Ents<'e> {
    all: &'e [EntityMention],
    index: &'e Mentions,
    here: &'e [EntityMention],
}

/// Finds the events of an article. Any of `entities`, `timexes` and
/// `attributions` may be empty; they improve actors, times and modality.
pub fn find_events(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    entities: &[EntityMention],
    timexes: &[Timex],
    attributions: &[Attribution],
) -> Vec<Event> {
    let given = from_attributions(text, attributions);
    let fallback = fallback_attributions(text, tokens, sentences, timexes);
    let (given, fallback) = (ByContent::new(&given), ByContent::new(&fallback));
    let mut out: Vec<Event> = Vec::new();
    let mut last_issue: Option<Issue> = None;
    let index = Mentions::of(entities);
    let times = Times::new(timexes);
    for s in sentences {
        let words = sentence_words(text, tokens, s);
        let timexes = times.near_sentence(s.span, &words);
        let ents = Ents {
            all: entities,
            index: &index,
            here: index.near_words(entities, &words),
        };
        let places = place_candidates(text, &words, ents.here);
        let question_from = question_start(&words);
        let mut i = 0;
        let mut last_verb: Option<(usize, EventType)> = None;
        while i < words.len() {
            let lw = words[i].lower.as_str();
            let next = words.get(i + 1).map_or("", |w| w.lower.as_str());
            let (kind, noun, t_end) = if let Some(k) = trigger2(lw, next) {
                (k, lw == "air" || next == "talks", i + 2)
            } else if let Some((k, noun)) = trigger(lw) {
                (k, noun, i + 1)
            } else {
                i += 1;
                continue;
            };
            // `fired rockets`: the noun repeats the verb's event.
            if noun && last_verb.is_some_and(|(v, k)| k == kind && i <= v + 2) {
                i = t_end;
                continue;
            }
            // A bare `aid` after `humanitarian` is not a second event.
            if !noun {
                last_verb = Some((t_end - 1, kind));
            }
            if let Some(ev) = event_at(
                text,
                &words,
                s,
                i,
                t_end,
                kind,
                noun,
                &ents,
                timexes,
                &places,
                &given,
                &fallback,
                last_issue,
                question_from,
            ) {
                if let Some(is) = ev.issue {
                    last_issue = Some(is);
                }
                let dup = out.last().is_some_and(|p: &Event| {
                    p.kind == ev.kind
                        && p.sentence == ev.sentence
                        && p.trigger.span.end + 3 >= ev.trigger.span.start
                        && kind == EventType::Aid
                });
                if !dup {
                    out.push(ev);
                }
            }
            i = t_end;
        }
        // Issues mentioned anywhere let `the idea` refer back.
        for (k, w) in words.iter().enumerate() {
            let nx = words.get(k + 1).map_or("", |w| w.lower.as_str());
            if let Some(is) = issue(&w.lower, nx) {
                if matches!(
                    is,
                    Issue::Ceasefire | Issue::Truce | Issue::HumanitarianPause
                ) {
                    last_issue = Some(is);
                }
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn event_at(
    text: &str,
    words: &[Word<'_>],
    s: &Sentence,
    i: usize,
    t_end: usize,
    kind: EventType,
    noun: bool,
    ents: &Ents<'_>,
    timexes: &[Timex],
    places: &[PlaceCand],
    given: &ByContent<'_>,
    fallback: &ByContent<'_>,
    last_issue: Option<Issue>,
    question_from: Option<usize>,
) -> Option<Event> {
    let trig_span = join(words, i, t_end - 1)?;
    // Function-word uses: `march` the month, `deal` of a card, `release` in `press release`.
    let lower_at = |k: usize| words.get(k).map_or("", |w| w.lower.as_str());
    if lower_at(i) == "march"
        && (words[i].is_capitalised() || lower_at(t_end).starts_with(|c: char| c.is_ascii_digit()))
    {
        return None;
    }
    if lower_at(i) == "release" && i > 0 && lower_at(i - 1) == "press" {
        return None;
    }
    // `the besieged Gaza strip`: a participle used as an adjective.
    if !noun && i > 0 && matches!(lower_at(i - 1), "the" | "a" | "an") {
        return None;
    }
    // Negation, modality: from the auxiliaries before a verb.
    let mut k = i;
    let mut negated = false;
    let mut planned = false;
    let mut hypothetical = false;
    while k > 0 && (is_aux(&words[k - 1].lower) || cues::is(Cue::Adverb, &words[k - 1].lower)) {
        k -= 1;
        let a = words[k].lower.as_str();
        negated |= is_negator(a);
        planned |= is_planned_aux(a);
        hypothetical |= is_hypothetical_aux(a);
    }
    let mut rules: Vec<String> = Vec::new();
    // `may prompt Norland to support`: a modal earlier in the clause
    // governs the infinitive too; so does a verb of pressing or wanting
    // (`pushing Israel to accept`, `urged Hamas to free`), whose
    // infinitive is what someone wants done, not what was done.
    if !noun && i > 0 && lower_at(i - 1) == "to" {
        let clause = || {
            (i.saturating_sub(8)..i - 1)
                .rev()
                .take_while(|&j| !matches!(lower_at(j), "," | ";" | "." | ":"))
        };
        hypothetical |=
            clause().any(|j| is_hypothetical_aux(lower_at(j)) || is_directive(lower_at(j)));
        // Rule `demand_of_other`: `called on Congress to push for`.
        if !hypothetical
            && clause()
                .any(|j| lower_at(j) == "on" && j > 0 && cues::is(Cue::CallOn, lower_at(j - 1)))
        {
            hypothetical = true;
            rules.push("demand_of_other".into());
        }
        // Rule `refusal_to`: `refused to back`, `Biden's refusal to
        // support`: the infinitive is what was not done.
        if i >= 2 && cues::is(Cue::Refusal, lower_at(i - 2)) {
            negated = !negated;
            rules.push("refusal_to".into());
        }
    }
    // Rule `question`: `Asked if X supported …`, `… before the West calls
    // for a ceasefire?`: asked about, not stated.
    let questioned = in_question(words, i, question_from);
    if questioned {
        rules.push("question".into());
    }
    // Skip time phrases between subject and verb: `Blinken on Friday said`.
    while k > 0 && crate::figures::words::in_timex(timexes, words[k - 1].span) {
        k -= 1;
        if k > 0 && matches!(words[k - 1].lower.as_str(), "on" | "in" | "at") {
            k -= 1;
        }
    }
    let aux_start = k;
    if noun && i > 0 && is_negator(lower_at(i - 1)) {
        negated = true;
    }
    // `denied that its forces had shelled the dam`
    if (aux_start.saturating_sub(8)..aux_start).any(|j| is_denial(lower_at(j))) {
        negated = true;
    }
    let conditional = words[t_end.min(words.len())..]
        .iter()
        .take_while(|w| !matches!(w.lower.as_str(), "," | ";"))
        .enumerate()
        .any(|(j, w)| {
            w.lower == "unless"
                || (w.lower == "if" && words.get(t_end + j + 1).is_none_or(|x| x.lower != "any"))
                || (w.lower == "until" && kind == EventType::Demand)
        });
    let source = claimant_of(given, fallback, trig_span).map(|a| Claimant::of(text, a));
    // Actor.
    let mut actor = None;
    if noun {
        actor = premodifier(text, words, i, ents.here).or_else(|| by_phrase(text, words, t_end));
    }
    // A noun's actor is its subject only through a light verb or an
    // auxiliary: `was meeting with`, `held talks`; not `ahead of a meeting`.
    let mut gerund_object = false;
    if actor.is_none() && (!noun || aux_start < i) {
        actor = subject(text, words, aux_start, ents);
        // Rule `gerund_object`: `a letter to the prime minister calling
        // for`, `march through central London calling for`: a name after a
        // preposition is that preposition's object, not the subject of the
        // bare -ing verb after it; who acts is left unknown.
        let bare_gerund = !noun && aux_start == i && words[i].lower.ends_with("ing");
        let after_preposition = actor
            .as_ref()
            .and_then(|p| word_starting(words, p.span.start))
            .is_some_and(|k| k > 0 && cues::is(Cue::Preposition, lower_at(k - 1)));
        if bare_gerund && after_preposition {
            actor = None;
            gerund_object = true;
            rules.push("gerund_object".into());
        }
    }
    if actor.is_none()
        && !gerund_object
        && (lower_at(aux_start.saturating_sub(1)) == "and"
            || lower_at(aux_start.saturating_sub(1)) == ","
            || !noun && words[i].lower.ends_with("ing"))
    {
        actor = sentence_subject(text, words);
    }
    // Rule `demand_of_other`: `demanded that Canada call for`: the verb
    // after `that X` is what someone wants X to do.
    if !noun && !hypothetical {
        let governed = actor
            .as_ref()
            .and_then(|p| word_starting(words, p.span.start))
            .is_some_and(|k| {
                k >= 2 && lower_at(k - 1) == "that" && cues::is(Cue::Governor, lower_at(k - 2))
            });
        if governed {
            hypothetical = true;
            rules.push("demand_of_other".into());
        }
    }
    // Rule `possessor_not_actor`: `America's Arab allies called for`: the
    // allies act, not America.
    if let Some(p) = actor.take() {
        let narrowed = past_relational_possessor(text, &p);
        if narrowed.is_some() {
            rules.push("possessor_not_actor".into());
        }
        actor = narrowed.or(Some(p));
    }
    let modality = if questioned {
        Modality::Questioned
    } else if conditional {
        Modality::Conditional
    } else if planned {
        Modality::Planned
    } else if hypothetical {
        Modality::Hypothetical
    } else if source.is_some() || reports_frame(words, aux_start) {
        Modality::Reported
    } else {
        Modality::Asserted
    };
    // Target.
    let target = object(text, words, t_end, kind, ents.here);
    // Issue.
    let (issue_found, issue_negated) = if matches!(
        kind,
        EventType::Demand
            | EventType::Reject
            | EventType::Agree
            | EventType::Support
            | EventType::Disapprove
    ) {
        find_issue(words, t_end, last_issue, &mut rules)
    } else {
        (None, false)
    };
    let clause_end = words[t_end.min(words.len())..]
        .iter()
        .find(|w| matches!(w.lower.as_str(), ";" | "." | ":") || (w.lower == "," && !noun))
        .map_or(usize::MAX, |w| w.span.start);
    let place = places
        .iter()
        .find(|p| p.locative && p.span.start >= trig_span.end && p.span.end <= clause_end)
        .filter(|p| target.as_ref().is_none_or(|t| t.span != p.span))
        .map(|p| TextRef {
            span: p.span,
            text: p.text.clone(),
        });
    let time = nearest_timex(timexes, s.span, trig_span).map(|t| AsOf {
        span: t.span,
        text: t.text.clone(),
        value: t.value.clone(),
    });
    Some(Event {
        kind,
        trigger: TextRef {
            span: trig_span,
            text: trig_span.slice(text).unwrap_or("").to_string(),
        },
        sentence: s.span,
        actor,
        target,
        place,
        time,
        negated,
        modality,
        source,
        issue: issue_found,
        issue_negated,
        rules,
    })
}

/// Rule `question`, once per sentence: where its question starts when it
/// ends in a question mark — after its last colon (`Mary asks: how many …
/// before the West calls for a ceasefire?`, but not `Addressing the appeals
/// for a ceasefire, he said: "What …?"`), else at its start.
fn question_start(words: &[Word<'_>]) -> Option<usize> {
    let last = words.iter().rev().find(|w| !is_quote(&w.lower))?;
    (last.lower == "?").then(|| {
        words
            .iter()
            .rposition(|w| w.lower == ":")
            .map_or(0, |c| c + 1)
    })
}

/// Rule `question`: whether the word at `i` is asked about: it lies in the
/// sentence's question ([`question_start`]), or an `if` or `whether` a few
/// words before it in its clause follows a verb of asking (`Asked if Sir
/// Keir supported calls for`, `I asked Mr Blinken … if he … getting the
/// Arabs to accept`). The look back is bounded, so a sentence of any
/// length costs the same per trigger.
fn in_question(words: &[Word<'_>], i: usize, question_from: Option<usize>) -> bool {
    if question_from.is_some_and(|q| i >= q) {
        return true;
    }
    for j in (i.saturating_sub(QUESTION_REACH)..i).rev() {
        let w = words[j].lower.as_str();
        if matches!(w, "," | ";" | ":" | ".") {
            break;
        }
        if matches!(w, "if" | "whether") {
            return (j.saturating_sub(9)..j).any(|k| cues::is(Cue::QuestionVerb, &words[k].lower));
        }
    }
    false
}

/// How many words before a trigger an `if` or `whether` may open its question.
const QUESTION_REACH: usize = 40;

/// The index of the word that starts at byte `at`, if one does (a pronoun's
/// actor resolved to a name in an earlier sentence starts at none here).
fn word_starting(words: &[Word<'_>], at: usize) -> Option<usize> {
    // Words are in text order: a search, not a scan, per trigger.
    words.binary_search_by_key(&at, |w| w.span.start).ok()
}

/// Rule `possessor_not_actor`: `America's Arab allies` → `Arab allies`.
/// `None` when the phrase is no possessive of a relational noun.
fn past_relational_possessor(text: &str, p: &Participant) -> Option<Participant> {
    let raw = p.span.slice(text)?;
    let (cut, len) = ["'s ", "\u{2019}s "]
        .iter()
        .filter_map(|m| raw.rfind(m).map(|i| (i, m.len())))
        .max()?;
    let head = raw[cut + len..].split_whitespace().last()?;
    if !cues::is(Cue::Relational, &crate::figures::words::fold(head)) {
        return None;
    }
    participant(text, Span::new(p.span.start + cut + len, p.span.end))
}

/// `there are reports that …`, `according to reports`.
fn reports_frame(words: &[Word<'_>], before: usize) -> bool {
    words[..before.min(words.len())]
        .windows(2)
        .any(|w| w[0].lower == "reports" && w[1].lower == "that")
}

fn participant(text: &str, span: Span) -> Option<Participant> {
    let raw = span.slice(text)?;
    let written = raw.trim();
    if written.is_empty() {
        return None;
    }
    let lower = crate::figures::words::fold(written);
    let first = lower.split_whitespace().next().unwrap_or("");
    let stripped = written
        .strip_prefix("the ")
        .or_else(|| written.strip_prefix("The "))
        .unwrap_or(written);
    let canonical = if let Some(c) = country_of(&lower) {
        c.to_string()
    } else if lower.starts_with("the united states") || lower == "united states" {
        "United States".to_string()
    } else if let Some(c) = country_of(first).filter(|_| lower.split_whitespace().count() == 1) {
        c.to_string()
    } else {
        stripped.to_string()
    };
    Some(Participant {
        span,
        text: written.to_string(),
        canonical,
        referent: None,
    })
}

/// `Israeli airstrikes`, `Hezbollah rockets`: the name right before a noun trigger.
fn premodifier(
    text: &str,
    words: &[Word<'_>],
    i: usize,
    entities: &[EntityMention],
) -> Option<Participant> {
    let mut k = i;
    // `Israeli air strikes`, `Israel's bombardment`
    while k > 0
        && matches!(
            words[k - 1].lower.as_str(),
            "'s" | "'" | "heavy" | "fresh" | "new" | "deadly" | "renewed"
        )
    {
        k -= 1;
    }
    let prev = words.get(k.checked_sub(1)?)?;
    if let Some(e) = entities.iter().find(|e| e.span.end == prev.span.end) {
        return participant(text, e.span);
    }
    if prev.is_capitalised()
        && (country_of(&prev.lower).is_some() || crate::ner::is_demonym(prev.text))
    {
        return participant(text, prev.span);
    }
    None
}

/// `calls from Arab and several other nations`, `attacks by Hamas`.
fn by_phrase(text: &str, words: &[Word<'_>], t_end: usize) -> Option<Participant> {
    let k = (t_end..(t_end + 3).min(words.len()))
        .find(|&k| matches!(words[k].lower.as_str(), "by" | "from"))?;
    if words[t_end..k].iter().any(|w| w.is_punct()) {
        return None;
    }
    noun_phrase(text, words, k + 1, true)
}

/// The noun phrase starting at `k`: up to eight words, through `and`, `of`
/// and commas inside a list of names, ending at a function word.
fn noun_phrase(text: &str, words: &[Word<'_>], k: usize, lists: bool) -> Option<Participant> {
    let mut j = k;
    let mut last = None;
    while j < words.len() && j < k + 12 {
        let w = &words[j];
        let nxt_cap = words
            .get(j + 1)
            .is_some_and(|x| x.is_capitalised() || crate::ner::is_demonym(x.text));
        if w.is_punct() || is_quote(&w.lower) {
            let nxt_incl = words.get(j + 1).is_some_and(|x| x.lower == "including");
            if lists && w.lower == "," && (nxt_cap || nxt_incl) {
                j += 1;
                continue;
            }
            break;
        }
        if matches!(w.lower.as_str(), "and" | "of")
            && last.is_some()
            && (nxt_cap || lists && w.lower == "and")
        {
            j += 1;
            continue;
        }
        if lists && w.lower == "including" {
            j += 1;
            continue;
        }
        if is_function_word(&w.lower) && !(w.lower == "the" && j == k) && !w.is_capitalised() {
            if matches!(w.lower.as_str(), "several" | "other" | "many") {
                j += 1;
                continue;
            }
            break;
        }
        if (trigger(&w.lower).is_some_and(|(_, noun)| !noun) || is_aux(&w.lower))
            && !w.is_capitalised()
        {
            break;
        }
        if w.lower != "the" {
            last = Some(j);
        }
        j += 1;
        if j - k >= 8 && !lists {
            break;
        }
    }
    let l = last?;
    participant(text, join(words, k, l)?)
}

/// The subject of a verb whose auxiliaries start at `aux_start`: the name or
/// noun phrase right before, back to a clause boundary.
fn subject(
    text: &str,
    words: &[Word<'_>],
    aux_start: usize,
    ents: &Ents<'_>,
) -> Option<Participant> {
    subject_from(text, words, aux_start, ents, true)
}

/// [`subject`]; `past_preposition` allows one step back over a preposition
/// (rule `subject_before_preposition`), and only one, so a run of `a in a
/// in a …` costs one step, not a recursion as deep as the sentence.
fn subject_from(
    text: &str,
    words: &[Word<'_>],
    aux_start: usize,
    ents: &Ents<'_>,
    past_preposition: bool,
) -> Option<Participant> {
    let end = aux_start;
    let mut k = end;
    while k > 0 && end - k < 10 {
        let w = &words[k - 1];
        let l = w.lower.as_str();
        // A list of names: `The United States, Qatar and Egypt have urged`.
        if l == "," {
            let cap_before = k >= 2 && words[k - 2].is_capitalised();
            let cap_after = words.get(k).is_some_and(|x| x.is_capitalised());
            // `Speaking to the BBC, Labour's …`: a name after a preposition
            // ends an adverbial, not the first item of a list.
            let name_start = (k.saturating_sub(12)..k - 1)
                .rev()
                .find(|&j| !(words[j].is_capitalised() || words[j].lower == "the"));
            let adverbial = name_start
                .is_some_and(|j| j + 1 < k - 1 && cues::is(Cue::Preposition, &words[j].lower));
            if cap_before && cap_after && k < end && !adverbial {
                k -= 1;
                continue;
            }
            break;
        }
        // `the Veyra Liberation Front (VLF) agreed`: over the abbreviation.
        if l == ")" {
            if let Some(open) = (k.saturating_sub(6)..k - 1)
                .rev()
                .find(|&j| words[j].lower == "(")
            {
                k = open;
                continue;
            }
        }
        if (w.is_punct() && l != "'s") || is_quote(l) {
            break;
        }
        if matches!(l, "the" | "a" | "an" | "its" | "their" | "his" | "her") {
            k -= 1;
            break;
        }
        if l == "and" && k >= 2 && words[k - 2].is_capitalised() && k < end {
            k -= 1;
            continue;
        }
        if (is_function_word(l)
            && !matches!(
                l,
                "of" | "they" | "he" | "she" | "it" | "we" | "both" | "all"
            ))
            || (is_aux(l) && !w.is_capitalised())
            || l == "until"
            || l == "no"
        {
            break;
        }
        k -= 1;
        if matches!(l, "they" | "he" | "she" | "it" | "we" | "both") {
            break;
        }
    }
    if k >= end {
        return None;
    }
    // Rule `subject_before_preposition`: `18 Labour councillors in Slough
    // have called for`: the name after `in` belongs to the phrase before
    // it, which is the subject.
    // Not across a list (`In a statement to MPs, Mr Sunak called`).
    if past_preposition
        && k >= 2
        && cues::is(Cue::Preposition, &words[k - 1].lower)
        && words[k - 1].lower != "of"
        && !words[k..end].iter().any(|w| w.lower == ",")
    {
        return subject_from(text, words, k - 1, ents, false)
            .filter(|p| p.span.end <= words[k - 1].span.start);
    }
    let mut span = join(words, k, end - 1)?;
    // `he`, `she`: the most recent person named before.
    let pron = words[k].lower.as_str();
    if end - k == 1 && matches!(pron, "he" | "she") {
        let persons = ents.index.with_label(EntityLabel::Per);
        if let Some(e) = ents
            .index
            .ending_by(persons, span.start)
            .iter()
            .rev()
            .filter_map(|&k| ents.all.get(k))
            .find(|e| e.span.end <= span.start && e.label == EntityLabel::Per)
        {
            span = e.span;
        }
    }
    participant(text, span)
}

/// The first noun phrase of the sentence, for verbs whose own subject is
/// elided (`…, meeting with`, `and continues to bombard`).
fn sentence_subject(text: &str, words: &[Word<'_>]) -> Option<Participant> {
    let mut k = 0;
    // Skip a leading adverbial up to its comma: `Meanwhile,`, `In response,`.
    let adverbial = words.first().is_some_and(|w| {
        matches!(
            w.lower.as_str(),
            "meanwhile"
                | "however"
                | "in"
                | "on"
                | "at"
                | "after"
                | "separately"
                | "earlier"
                | "later"
                | "still"
                | "yet"
                | "also"
                | "but"
                | "and"
                | "recently"
                | "overall"
        )
    });
    if let Some(c) = words
        .iter()
        .take(4)
        .position(|w| w.lower == ",")
        .filter(|_| adverbial)
    {
        k = c + 1;
    }
    let mut j = k;
    while j < words.len() && j < k + 8 {
        let w = &words[j];
        if (w.is_punct() && w.lower != "'s")
            || (is_function_word(&w.lower) && !(w.lower == "the" && j == k) && w.lower != "of")
            || is_aux(&w.lower)
        {
            break;
        }
        if let Some((_, noun)) = trigger(&w.lower).filter(|_| !w.is_capitalised()) {
            // Rule `event_not_actor`: `Other pro-Palestinian rallies …
            // calling for`: the phrase names an event, and whoever took part
            // is no named actor.
            if noun && j > k {
                return None;
            }
            break;
        }
        j += 1;
    }
    if j == k {
        return None;
    }
    participant(text, join(words, k, j - 1)?)
}

/// The target: the object, or the phrase after the preposition the verb
/// takes. Only names, demonym phrases and `the …` phrases count; `calls`
/// and `the idea` are issues, not targets.
fn object(
    text: &str,
    words: &[Word<'_>],
    t_end: usize,
    kind: EventType,
    entities: &[EntityMention],
) -> Option<Participant> {
    let mut k = t_end;
    // Over a repeated noun: `fired rockets toward`, `airstrikes targeting`.
    for _ in 0..2 {
        let w = words.get(k)?;
        if matches!(
            w.lower.as_str(),
            "with"
                | "on"
                | "against"
                | "targeting"
                | "toward"
                | "towards"
                | "at"
                | "into"
                | "rockets"
                | "missiles"
                | "shells"
                | "airstrikes"
                | "strikes"
                | "sanctions"
        ) || (w.lower == "to" && matches!(kind, EventType::Aid | EventType::Consult))
        {
            k += 1;
        }
    }
    let w = words.get(k)?;
    if w.lower == "for" || w.lower == "that" {
        return None;
    }
    let np = noun_phrase(text, words, k, false)?;
    let lower = crate::figures::words::fold(&np.text);
    let named = np.text.chars().any(char::is_uppercase)
        || entities
            .iter()
            .any(|e| e.span.start >= np.span.start && e.span.end <= np.span.end)
        || lower.starts_with("the ")
            && !["idea", "proposal", "calls", "plan"]
                .iter()
                .any(|w| lower.ends_with(w));
    named.then_some(np)
}

/// The issue after a trigger (`for an immediate ceasefire`), `the idea`
/// referring back to the last issue, and whether it is asked against (`no
/// ceasefire`, `the refusal to support a ceasefire`). The rules that
/// decided it are pushed on `rules`:
/// - `issue_in_clause`: the issue is looked for in the trigger's own
///   clause, up to a word that opens another (`as`, `while`, `arguing`;
///   `that` after `reports` or `accusations`; `and` before another verb
///   of the lexicon), so `rejects displacement as the first aid convoy
///   entered` is about no issue;
/// - `idea_of`: `the idea of X` is about X, not the last issue named;
/// - `issue_polarity`: `refusal`, `block`, `end` between the trigger and
///   the issue each turn the position;
/// - `aid_not_relief`: `military aid`, `to aid`, `Israel aid` is not
///   humanitarian aid.
fn find_issue(
    words: &[Word<'_>],
    t_end: usize,
    last: Option<Issue>,
    rules: &mut Vec<String>,
) -> (Option<Issue>, bool) {
    let mut k = t_end;
    let mut flipped = false;
    let lower_at = |k: usize| words.get(k).map_or("", |w| w.lower.as_str());
    while k < words.len() && k < t_end + 24 {
        let w = &words[k];
        let l = w.lower.as_str();
        if matches!(l, ";" | ".") || l == "unless" || l == "but" {
            break;
        }
        let nx = lower_at(k + 1);
        let opens_clause = cues::is(Cue::ClauseBreak, l)
            || l == "that" && k > 0 && cues::is(Cue::ContentNoun, lower_at(k - 1))
            || l == "and"
                && (trigger(nx).is_some_and(|(_, noun)| !noun)
                    || trigger2(nx, lower_at(k + 2)).is_some());
        if opens_clause {
            rules.push("issue_in_clause".into());
            break;
        }
        if cues::is(Cue::PolarityFlip, l) {
            flipped = !flipped;
        } else if matches!(l, "and" | "or" | ",") {
            // `an end to the fighting and a ceasefire`: the flip governs
            // its own phrase only.
            flipped = false;
        }
        if let Some(is) = issue(l, nx) {
            let prev = lower_at(k.wrapping_sub(1));
            let donor = k > 0 && words[k - 1].is_capitalised() && country_of(prev).is_some();
            if is == Issue::Aid && (cues::is(Cue::NotRelief, prev) || donor) {
                rules.push("aid_not_relief".into());
                k += 1;
                continue;
            }
            if flipped {
                rules.push("issue_polarity".into());
            }
            let neg = prev == "no";
            return (Some(is), neg != flipped);
        }
        if l == "idea" || l == "proposal" || l == "calls" && nx != "for" {
            if matches!(nx, "of" | "to" | "that") {
                // `the idea of installing a government`: says what it is.
                rules.push("idea_of".into());
            } else if let Some(l) = last {
                return (Some(l), false);
            }
        }
        k += 1;
    }
    (None, false)
}
