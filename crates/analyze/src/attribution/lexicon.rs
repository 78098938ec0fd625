//! Word lists: cue verbs with their inflections and how each frames its
//! arguments, plus the closed classes the phrase heuristics stop at.
//!
//! The cue list was chosen by how often each word form heads an annotated cue
//! in PolNeAR *train* (forms that are a cue most of the times they occur,
//! or often enough to be worth a contextual check), then checked by hand.

/// How a cue verb arranges its source and content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Frame {
    /// `X said (that) …`, `“…,” X said`: subject source, clause or quote content.
    Say,
    /// `X told Reuters (that) …`, `X urged Y to …`: an object comes between
    /// cue and content.
    Tell,
    /// `X wants …`, `polls show …`: an attitude or a finding rather than
    /// speech; never inverted (`“…,” wants X` does not occur).
    Think,
    /// `X seemed poised to win`: PolNeAR reads the subject as part of the
    /// content and gives no source.
    Seem,
}

/// A cue word form: its lemma, its frame, whether it may be inverted
/// (`“…,” said X`), and whether it is reliable on its own or needs a clear
/// subject and complement to count.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cue {
    pub lemma: &'static str,
    pub frame: Frame,
    pub strong: bool,
}

/// `(lemma, frame, strong, forms)`; forms are lower case.
const CUES: &[(&str, Frame, bool, &[&str])] = &[
    ("say", Frame::Say, true, &["said", "says", "saying"]),
    ("say", Frame::Say, true, &["say"]),
    ("tell", Frame::Tell, true, &["told", "tells", "telling"]),
    ("add", Frame::Say, true, &["added", "adds", "adding"]),
    ("write", Frame::Say, true, &["wrote", "writes", "writing"]),
    ("ask", Frame::Tell, true, &["asked", "asks", "asking"]),
    ("note", Frame::Say, true, &["noted", "notes", "noting"]),
    (
        "argue",
        Frame::Say,
        true,
        &["argued", "argues", "arguing", "argue"],
    ),
    (
        "suggest",
        Frame::Say,
        true,
        &["suggested", "suggests", "suggesting"],
    ),
    ("suggest", Frame::Say, false, &["suggest"]),
    (
        "announce",
        Frame::Say,
        true,
        &["announced", "announces", "announcing"],
    ),
    ("report", Frame::Say, true, &["reported", "reports"]),
    (
        "explain",
        Frame::Say,
        true,
        &["explained", "explains", "explaining"],
    ),
    (
        "claim",
        Frame::Say,
        true,
        &["claimed", "claims", "claiming"],
    ),
    ("warn", Frame::Tell, true, &["warned", "warns", "warning"]),
    (
        "insist",
        Frame::Say,
        true,
        &["insisted", "insists", "insisting", "insist"],
    ),
    ("deny", Frame::Say, true, &["denied", "denies", "denying"]),
    ("urge", Frame::Tell, true, &["urged", "urges", "urging"]),
    ("tweet", Frame::Say, true, &["tweeted", "tweets"]),
    ("state", Frame::Say, true, &["stated", "stating"]),
    (
        "declare",
        Frame::Say,
        true,
        &["declared", "declares", "declaring"],
    ),
    (
        "acknowledge",
        Frame::Say,
        true,
        &["acknowledged", "acknowledges", "acknowledging"],
    ),
    (
        "admit",
        Frame::Say,
        true,
        &["admitted", "admits", "admitting"],
    ),
    ("concede", Frame::Say, true, &["conceded", "concedes"]),
    ("contend", Frame::Say, true, &["contended", "contends"]),
    ("assert", Frame::Say, true, &["asserted", "asserts"]),
    ("maintain", Frame::Say, false, &["maintained", "maintains"]),
    ("stress", Frame::Say, true, &["stressed", "stresses"]),
    (
        "emphasize",
        Frame::Say,
        true,
        &["emphasized", "emphasizes", "emphasised"],
    ),
    ("reiterate", Frame::Say, true, &["reiterated", "reiterates"]),
    (
        "recall",
        Frame::Say,
        true,
        &["recalled", "recalls", "recalling"],
    ),
    ("reply", Frame::Say, true, &["replied", "replies"]),
    ("respond", Frame::Say, true, &["responded", "responds"]),
    ("answer", Frame::Say, false, &["answered"]),
    ("continue", Frame::Say, false, &["continued"]),
    ("conclude", Frame::Say, true, &["concluded", "concludes"]),
    (
        "predict",
        Frame::Say,
        true,
        &["predicted", "predicts", "predicting"],
    ),
    (
        "promise",
        Frame::Say,
        true,
        &["promised", "promises", "promising"],
    ),
    ("pledge", Frame::Say, false, &["pledged", "pledges"]),
    ("vow", Frame::Say, true, &["vowed", "vows", "vowing"]),
    ("indicate", Frame::Say, true, &["indicated", "indicates"]),
    ("reveal", Frame::Say, true, &["revealed", "reveals"]),
    ("confirm", Frame::Say, true, &["confirmed", "confirms"]),
    ("complain", Frame::Say, true, &["complained", "complains"]),
    ("joke", Frame::Say, true, &["joked", "jokes"]),
    ("boast", Frame::Say, true, &["boasted", "boasts"]),
    ("quip", Frame::Say, true, &["quipped"]),
    ("remark", Frame::Say, true, &["remarked"]),
    ("observe", Frame::Say, true, &["observed"]),
    ("point out", Frame::Say, true, &["pointed"]),
    ("allege", Frame::Say, true, &["alleged", "alleges"]),
    ("cite", Frame::Say, true, &["cited", "cites", "citing"]),
    (
        "accuse",
        Frame::Tell,
        true,
        &["accused", "accuses", "accusing"],
    ),
    ("blame", Frame::Tell, true, &["blamed", "blames"]),
    (
        "criticize",
        Frame::Say,
        true,
        &["criticized", "criticised", "criticizes"],
    ),
    (
        "praise",
        Frame::Say,
        true,
        &["praised", "praises", "praising"],
    ),
    ("defend", Frame::Say, true, &["defended", "defends"]),
    (
        "denounce",
        Frame::Say,
        true,
        &["denounced", "denounces", "denouncing"],
    ),
    ("condemn", Frame::Say, true, &["condemned", "condemns"]),
    ("decry", Frame::Say, true, &["decried", "decries"]),
    ("dismiss", Frame::Say, true, &["dismissed", "dismisses"]),
    ("reject", Frame::Say, true, &["rejected", "rejects"]),
    (
        "blast",
        Frame::Say,
        true,
        &["blasted", "blasts", "slammed", "slams"],
    ),
    ("rail", Frame::Say, true, &["railed"]),
    ("question", Frame::Say, true, &["questioned"]),
    ("mock", Frame::Say, true, &["mocked"]),
    (
        "describe",
        Frame::Say,
        true,
        &["described", "describes", "describing"],
    ),
    ("refer", Frame::Say, true, &["referring"]),
    ("call", Frame::Tell, true, &["called", "calls", "calling"]),
    ("propose", Frame::Say, true, &["proposed", "proposes"]),
    ("endorse", Frame::Say, true, &["endorsed", "endorses"]),
    ("mention", Frame::Say, true, &["mentioned"]),
    ("assure", Frame::Tell, true, &["assured"]),
    ("remind", Frame::Tell, true, &["reminded"]),
    ("inform", Frame::Tell, true, &["informed"]),
    ("caution", Frame::Tell, true, &["cautioned"]),
    ("estimate", Frame::Say, false, &["estimated", "estimates"]),
    ("decline", Frame::Say, true, &["declined"]),
    ("refuse", Frame::Say, true, &["refused", "refuses"]),
    ("seek", Frame::Say, false, &["sought"]),
    ("express", Frame::Say, true, &["expressed"]),
    ("echo", Frame::Say, true, &["echoed"]),
    ("charge", Frame::Say, false, &["charged"]),
    (
        "show",
        Frame::Think,
        false,
        &["shows", "showed", "show", "shown"],
    ),
    ("find", Frame::Think, false, &["found", "finds"]),
    (
        "think",
        Frame::Think,
        false,
        &["think", "thinks", "thought"],
    ),
    (
        "believe",
        Frame::Think,
        false,
        &["believe", "believes", "believed"],
    ),
    ("want", Frame::Think, false, &["want", "wants", "wanted"]),
    (
        "hope",
        Frame::Think,
        false,
        &["hope", "hopes", "hoped", "hoping"],
    ),
    ("fear", Frame::Think, false, &["fear", "fears", "feared"]),
    ("feel", Frame::Think, false, &["feel", "feels", "felt"]),
    ("know", Frame::Think, false, &["know", "knows", "knew"]),
    ("agree", Frame::Think, false, &["agreed", "agrees", "agree"]),
    ("support", Frame::Think, false, &["supports", "supported"]),
    (
        "oppose",
        Frame::Think,
        false,
        &["opposes", "opposed", "oppose"],
    ),
    ("expect", Frame::Think, false, &["expects", "expected"]),
    ("plan", Frame::Think, false, &["plans", "planned"]),
    (
        "seem",
        Frame::Seem,
        true,
        &["seems", "seemed", "appears", "appeared", "seem", "appear"],
    ),
    // Rarer cues, each a cue in PolNeAR train at least a third of the times it occurs.
    ("offer", Frame::Say, false, &["offered", "offering"]),
    ("speak", Frame::Say, false, &["spoke"]),
    ("issue", Frame::Say, false, &["issued"]),
    ("talk", Frame::Say, false, &["talked", "talking"]),
    ("attack", Frame::Say, false, &["attacked", "attacking"]),
    ("decide", Frame::Say, false, &["decided"]),
    ("post", Frame::Say, false, &["posted"]),
    (
        "discuss",
        Frame::Say,
        false,
        &["discussed", "discussing", "discuss"],
    ),
    ("respond", Frame::Say, false, &["respond"]),
    ("consider", Frame::Say, false, &["considered", "considers"]),
    ("back", Frame::Say, false, &["backing", "backed"]),
    ("push", Frame::Say, false, &["pushed", "pushing"]),
    ("tweet", Frame::Say, false, &["tweeting"]),
    ("point to", Frame::Say, false, &["pointing"]),
    (
        "criticize",
        Frame::Say,
        false,
        &["criticizing", "criticize"],
    ),
    ("order", Frame::Say, false, &["ordered"]),
    ("refer", Frame::Say, false, &["referred"]),
    ("challenge", Frame::Say, false, &["challenged"]),
    ("share", Frame::Say, false, &["shared"]),
    (
        "wonder",
        Frame::Say,
        false,
        &["wonder", "wondered", "wondering"],
    ),
    ("doubt", Frame::Say, false, &["doubt", "doubts"]),
    ("express", Frame::Say, false, &["express"]),
    (
        "prefer",
        Frame::Say,
        false,
        &["prefer", "preferred", "prefers"],
    ),
    ("question", Frame::Say, false, &["questioning"]),
    ("unveil", Frame::Say, false, &["unveiled"]),
    ("identify", Frame::Say, false, &["identified"]),
    ("acknowledge", Frame::Say, false, &["acknowledge"]),
    ("email", Frame::Say, false, &["emailed"]),
    ("repeat", Frame::Say, false, &["repeated", "repeating"]),
    ("describe", Frame::Say, false, &["describe"]),
    ("praise", Frame::Say, false, &["praise"]),
    ("seek", Frame::Say, false, &["seeks", "seeking"]),
    ("list", Frame::Say, false, &["listed", "lists"]),
    (
        "highlight",
        Frame::Say,
        false,
        &["highlighted", "highlighting"],
    ),
    ("blame", Frame::Say, false, &["blame", "blaming"]),
    ("worry", Frame::Say, false, &["worried", "worry", "worries"]),
    ("press", Frame::Say, false, &["pressed"]),
    ("present", Frame::Say, false, &["presented"]),
    ("deem", Frame::Say, false, &["deemed"]),
    ("defend", Frame::Say, false, &["defending"]),
    ("refuse", Frame::Say, false, &["refuse", "refusing"]),
    ("voice", Frame::Say, false, &["voiced"]),
    ("request", Frame::Say, false, &["requested"]),
    ("envision", Frame::Say, false, &["envision", "envisions"]),
    ("portray", Frame::Say, false, &["portrayed", "portray"]),
    ("invoke", Frame::Say, false, &["invoked"]),
    ("thank", Frame::Say, false, &["thanked", "thanking"]),
    ("tout", Frame::Say, false, &["touted", "touting", "touts"]),
    ("encourage", Frame::Say, false, &["encouraged"]),
    ("recount", Frame::Say, false, &["recounted"]),
    ("knock", Frame::Say, false, &["knocked"]),
    ("plead", Frame::Say, false, &["pleaded"]),
    ("announce", Frame::Say, false, &["announce"]),
    (
        "threaten",
        Frame::Say,
        false,
        &["threatened", "threatening", "threatens"],
    ),
    ("embrace", Frame::Say, false, &["embraced"]),
    ("project", Frame::Say, false, &["projected"]),
    ("outline", Frame::Say, false, &["outlined"]),
    ("recall", Frame::Say, false, &["recall"]),
    ("shout", Frame::Say, false, &["shouted"]),
    ("lament", Frame::Say, false, &["lamented", "laments"]),
    ("endorse", Frame::Say, false, &["endorsing"]),
    ("remember", Frame::Say, false, &["remembered"]),
    ("reveal", Frame::Say, false, &["reveal"]),
    ("rip", Frame::Say, false, &["ripped"]),
    ("signal", Frame::Say, false, &["signaled", "signalled"]),
    ("propose", Frame::Say, false, &["proposing"]),
    ("disclose", Frame::Say, false, &["disclosed"]),
    ("mock", Frame::Say, false, &["mocking", "mocks"]),
    ("indicate", Frame::Say, false, &["indicate"]),
    ("retweet", Frame::Say, false, &["retweeted"]),
    ("quote", Frame::Say, false, &["quoted"]),
    ("assert", Frame::Say, false, &["asserting"]),
    ("chant", Frame::Say, false, &["chanted"]),
    (
        "emphasize",
        Frame::Say,
        false,
        &["emphasizing", "emphasize"],
    ),
    ("remind", Frame::Say, false, &["reminding", "reminds"]),
    ("assail", Frame::Say, false, &["assailed", "assails"]),
    ("applaud", Frame::Say, false, &["applauded"]),
    ("reference", Frame::Say, false, &["referenced"]),
    ("welcome", Frame::Say, false, &["welcomed"]),
    ("forecast", Frame::Say, false, &["forecast"]),
    ("recommend", Frame::Say, false, &["recommended"]),
    ("dismiss", Frame::Say, false, &["dismissing"]),
    ("allege", Frame::Say, false, &["alleging"]),
    ("blast", Frame::Say, false, &["blasting", "slamming"]),
    ("champion", Frame::Say, false, &["championed"]),
    (
        "mention",
        Frame::Say,
        false,
        &["mentioning", "mentions", "mention"],
    ),
    ("pledge", Frame::Say, false, &["pledging"]),
    ("bemoan", Frame::Say, false, &["bemoaned"]),
    ("assure", Frame::Say, false, &["assures"]),
    ("reject", Frame::Say, false, &["rejecting"]),
    ("predict", Frame::Say, false, &["predict"]),
    ("imply", Frame::Say, false, &["implied", "implying"]),
    ("believe", Frame::Say, false, &["believing"]),
    ("liken", Frame::Say, false, &["likened"]),
    ("remark", Frame::Say, false, &["remarking"]),
    ("comment", Frame::Say, false, &["commented"]),
    ("answer", Frame::Say, false, &["answering"]),
    ("echo", Frame::Say, false, &["echoing"]),
    ("yell", Frame::Say, false, &["yelled"]),
    ("lambaste", Frame::Say, false, &["lambasted"]),
    ("rebuke", Frame::Say, false, &["rebuked"]),
    ("interject", Frame::Say, false, &["interjected"]),
    ("deride", Frame::Say, false, &["derided"]),
    ("speculate", Frame::Say, false, &["speculated"]),
    ("lash out", Frame::Say, false, &["lashed"]),
    ("testify", Frame::Say, false, &["testified"]),
    ("label", Frame::Say, false, &["labeled"]),
    ("support", Frame::Say, false, &["supporting", "support"]),
    ("note", Frame::Say, false, &["note"]),
    ("explain", Frame::Say, false, &["explain"]),
    ("claim", Frame::Say, false, &["claim"]),
    ("endorse", Frame::Say, false, &["endorse"]),
    ("hint", Frame::Say, false, &["hinted", "hints"]),
    (
        "demand",
        Frame::Say,
        false,
        &["demanded", "demands", "demanding"],
    ),
    ("concede", Frame::Say, false, &["conceding"]),
    ("stress", Frame::Say, false, &["stressing"]),
    ("admit", Frame::Say, false, &["admit"]),
    ("deny", Frame::Say, false, &["deny"]),
    ("oppose", Frame::Say, false, &["opposing"]),
    ("write", Frame::Say, false, &["written"]),
    ("call", Frame::Say, false, &["call"]),
    ("ask", Frame::Say, false, &["ask"]),
    ("tell", Frame::Say, false, &["tell"]),
    ("favor", Frame::Say, false, &["favor", "favors", "favored"]),
    ("accept", Frame::Say, false, &["accepted", "accepts"]),
    ("recognize", Frame::Say, false, &["recognized"]),
    ("vote", Frame::Say, false, &["voted"]),
];

/// The cue entry for a lower-case word form, if it is one.
pub(crate) fn cue(form: &str) -> Option<Cue> {
    CUES.iter().find_map(|(lemma, frame, strong, forms)| {
        forms.contains(&form).then_some(Cue {
            lemma,
            frame: *frame,
            strong: *strong,
        })
    })
}

/// Lemmas that may follow their content with the subject inverted:
/// `“…,” said the minister`.
pub(crate) fn invertible(lemma: &str) -> bool {
    matches!(
        lemma,
        "say"
            | "add"
            | "write"
            | "ask"
            | "tell"
            | "note"
            | "explain"
            | "continue"
            | "reply"
            | "respond"
            | "insist"
            | "argue"
            | "warn"
            | "declare"
            | "conclude"
            | "recall"
            | "tweet"
            | "state"
            | "answer"
            | "joke"
            | "quip"
            | "remark"
            | "observe"
            | "claim"
    )
}

/// Participles that start a second attribution of the same speaker:
/// `…, adding that …`.
pub(crate) fn is_participle_cue(form: &str) -> bool {
    matches!(
        form,
        "adding"
            | "saying"
            | "noting"
            | "arguing"
            | "telling"
            | "warning"
            | "calling"
            | "insisting"
            | "explaining"
            | "claiming"
            | "citing"
            | "suggesting"
            | "acknowledging"
            | "stating"
            | "describing"
            | "declaring"
            | "accusing"
            | "urging"
            | "asking"
            | "vowing"
            | "promising"
            | "predicting"
            | "referring"
            | "recalling"
            | "denying"
    )
}

/// Personal pronouns that can be a speaker, with the entity labels they can
/// refer to.
pub(crate) fn pronoun(form: &str) -> Option<PronounKind> {
    Some(match form {
        "he" | "she" => PronounKind::Person,
        "they" => PronounKind::Group,
        "it" => PronounKind::Thing,
        "i" | "we" | "you" => PronounKind::Deictic,
        "who" => PronounKind::Relative,
        "which" => PronounKind::RelativeThing,
        _ => return None,
    })
}

/// What a pronoun speaker can stand for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PronounKind {
    /// `he`, `she`: a person.
    Person,
    /// `they`: a group, an organisation, or people.
    Group,
    /// `it`: an organisation, a country, a poll.
    Thing,
    /// `I`, `we`, `you`: the speaker of an enclosing quote; left unresolved.
    Deictic,
    /// `who`: the noun phrase before the comma.
    Relative,
    /// `which`: an organisation or a document before the comma.
    RelativeThing,
}

/// Words that may stand between a subject and its cue verb
/// (`Trump has repeatedly said`).
/// Labels that stand before a colon at the start of a line without being
/// anyone's words (`UPDATE:`, `Editor's note:`), and an interview's `Q:` and
/// `A:`. `label` is lower-case, words joined by single spaces.
pub(crate) fn is_section_label(label: &str) -> bool {
    matches!(
        label,
        "q" | "a"
            | "update"
            | "updated"
            | "correction"
            | "clarification"
            | "editor 's note"
            | "editors note"
            | "note"
            | "byline"
            | "dateline"
            | "video"
            | "watch"
            | "photo"
            | "photos"
            | "audio"
            | "listen"
            | "read more"
            | "related"
            | "previously"
            | "breaking"
            | "exclusive"
            | "analysis"
            | "opinion"
            | "live"
            | "the latest"
            | "contributing"
            | "source"
            | "sources"
            | "credit"
            | "tags"
            | "share"
            | "posted"
            | "published"
            | "by"
            | "ap"
            | "fact check"
            | "warning"
            | "spoiler"
            | "summary"
            | "background"
            | "context"
            | "transcript"
            | "commentary"
            | "comment"
            | "editorial"
            | "column"
            | "review"
            | "interview"
            | "explainer"
            | "factbox"
            | "fact box"
            | "timeline"
            | "profile"
            | "obituary"
            | "perspective"
            | "letters"
            | "podcast"
            | "newsletter"
            | "in pictures"
            | "in depth"
            | "briefing"
            | "key points"
            | "what we know"
    )
}

pub(crate) fn is_aux_or_adverb(form: &str) -> bool {
    matches!(
        form,
        "has"
            | "have"
            | "had"
            | "will"
            | "would"
            | "also"
            | "then"
            | "later"
            | "once"
            | "did"
            | "does"
            | "do"
            | "not"
            | "n't"
            | "never"
            | "could"
            | "may"
            | "might"
            | "should"
            | "can"
            | "must"
            | "already"
            | "again"
            | "often"
            | "first"
            | "just"
            | "even"
            | "long"
            | "since"
            | "still"
            | "now"
            | "always"
            | "previously"
            | "repeatedly"
            | "recently"
            | "publicly"
            | "privately"
            | "reportedly"
            | "only"
            | "too"
            | "further"
            | "ultimately"
            | "similarly"
            | "separately"
    ) || (form.len() > 4 && form.ends_with("ly") && form.chars().all(|c| c.is_ascii_lowercase()))
}

/// Weekday and relative-day words that appear between subject, cue and
/// content (`Trump said Tuesday`, `she on Monday told`).
pub(crate) fn is_time_word(form: &str) -> bool {
    matches!(
        form,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "today"
            | "yesterday"
            | "tonight"
            | "earlier"
            | "last"
            | "this"
            | "week"
            | "month"
            | "year"
            | "night"
            | "morning"
            | "afternoon"
            | "evening"
            | "weekend"
    )
}

/// Prepositions that open an adjunct after a cue (`said in a statement`,
/// `told reporters at a rally`) or end a noun phrase on the left.
pub(crate) fn is_preposition(form: &str) -> bool {
    matches!(
        form,
        "in" | "on"
            | "at"
            | "during"
            | "to"
            | "after"
            | "before"
            | "while"
            | "via"
            | "from"
            | "with"
            | "over"
            | "through"
            | "about"
            | "for"
            | "by"
            | "into"
            | "against"
            | "since"
            | "under"
            | "among"
            | "between"
            | "without"
            | "following"
            | "of"
            | "when"
            | "as"
    )
}

/// Words that never belong to a speaker noun phrase; a leftward scan stops at them.
pub(crate) fn is_np_stop(form: &str) -> bool {
    is_preposition(form)
        || matches!(
            form,
            "and"
                | "or"
                | "but"
                | "nor"
                | "that"
                | "which"
                | "who"
                | "whom"
                | "whose"
                | "because"
                | "if"
                | "although"
                | "though"
                | "so"
                | "than"
                | "is"
                | "are"
                | "was"
                | "were"
                | "be"
                | "been"
                | "being"
                | "has"
                | "have"
                | "had"
                | "not"
                | "n't"
                | "will"
                | "would"
                | "then"
                | "also"
                | "however"
                | "meanwhile"
                | "still"
                | "yet"
                | "where"
                | "why"
                | "how"
                | "what"
                | "there"
                | "here"
                | "it"
                | "he"
                | "she"
                | "they"
                | "we"
                | "i"
                | "you"
                | "him"
                | "them"
                | "me"
                | "us"
                | "said"
                | "says"
                | "told"
                | "now"
                | "instead"
                | "indeed"
                | "thus"
                | "even"
                | "just"
                | "only"
                | "do"
                | "does"
                | "did"
                | "can"
                | "could"
                | "should"
                | "may"
                | "might"
                | "must"
        )
}

/// Determiners and quantifiers that open a noun phrase.
pub(crate) fn is_determiner(form: &str) -> bool {
    matches!(
        form,
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "my"
            | "your"
            | "this"
            | "these"
            | "those"
            | "some"
            | "many"
            | "several"
            | "most"
            | "all"
            | "both"
            | "few"
            | "other"
            | "another"
            | "each"
            | "every"
            | "no"
            | "one"
            | "two"
            | "three"
            | "more"
    )
}

/// Head nouns of titles and roles that a document later uses instead of the
/// holder's name (`the minister said`).
pub(crate) fn is_title_noun(form: &str) -> bool {
    matches!(
        form,
        "president"
            | "minister"
            | "secretary"
            | "diplomat"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "senator"
            | "candidate"
            | "nominee"
            | "governor"
            | "official"
            | "chairman"
            | "chairwoman"
            | "chief"
            | "leader"
            | "mayor"
            | "ambassador"
            | "general"
            | "commander"
            | "director"
            | "premier"
            | "chancellor"
            | "king"
            | "prince"
            | "envoy"
            | "speaker"
            | "congressman"
            | "congresswoman"
            | "representative"
            | "lawmaker"
            | "judge"
            | "prosecutor"
            | "attorney"
            | "businessman"
            | "billionaire"
            | "frontrunner"
            | "front-runner"
            | "democrat"
            | "republican"
    )
}
