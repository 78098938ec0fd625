//! What the story clusterer knows about one article: weighted content
//! terms, named entities and the years and days it mentions. Built by a pure
//! function from the article text and its stored analysis, so the linker
//! never re-reads anything but what the store already holds.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storyline_analyze::document::Analysis;
use storyline_analyze::{for_each_token, EntityLabel, TokenKind};
use storyline_core::Timestamp;

/// How terms are weighted while features are built. The defaults are what
/// scored best on the visible ECB+ topics (`examples/stories_eval.rs` in
/// storyline-eval).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FeatureParams {
    /// Multiplier for terms of the title, when one is given: headlines name
    /// the story in the fewest words.
    pub title_boost: f32,
    /// Multiplier for terms of the first `lead_sentences` sentences.
    pub lead_boost: f32,
    /// How many sentences count as the lead.
    pub lead_sentences: usize,
    /// Strip plural and possessive endings (`earthquakes` → `earthquake`).
    pub stem: bool,
}

impl Default for FeatureParams {
    fn default() -> Self {
        FeatureParams {
            title_boost: 2.0,
            lead_boost: 1.0,
            lead_sentences: 2,
            stem: true,
        }
    }
}

/// The clustering view of one article. Weights are raw (boosted) counts;
/// the clusterer turns them into TF-IDF with the document frequencies it has
/// learnt so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoryFeatures {
    /// Lowercased, lightly stemmed content words and their weighted counts.
    pub terms: BTreeMap<String, f32>,
    /// Normalised entity names (lowercase, `the` and possessives dropped, a
    /// lone surname mapped to the full name used earlier) and mention counts.
    pub entities: BTreeMap<String, f32>,
    /// A display name for each entity key, as first written in full.
    pub names: BTreeMap<String, String>,
    /// Years (`2008`) and full days (`2008-05-12`) the text states or the
    /// analysis resolved, with counts: two earthquakes in one region are told
    /// apart by when they happened.
    pub times: BTreeMap<String, f32>,
    /// Numbers of the body that are neither years nor part of a time
    /// expression (`7.1`, `1400`, `33`), with counts: reports of one event
    /// repeat its magnitudes, tolls, ages and scores, and another event of
    /// the same kind has its own.
    #[serde(default)]
    pub numbers: BTreeMap<String, f32>,
    /// The published day, when known.
    pub published: Option<NaiveDate>,
}

impl StoryFeatures {
    /// Builds features from an article's clean text, its optional title, its
    /// stored analysis and its published date. Pure: the same inputs always
    /// give the same features.
    pub fn new(
        text: &str,
        title: Option<&str>,
        analysis: &Analysis,
        published: Option<&Timestamp>,
    ) -> StoryFeatures {
        StoryFeatures::with_params(text, title, analysis, published, &FeatureParams::default())
    }

    /// [`StoryFeatures::new`] with explicit weighting, for tuning.
    pub fn with_params(
        text: &str,
        title: Option<&str>,
        analysis: &Analysis,
        published: Option<&Timestamp>,
        params: &FeatureParams,
    ) -> StoryFeatures {
        let mut f = StoryFeatures {
            published: published.map(Timestamp::utc_date),
            ..StoryFeatures::default()
        };
        let lead_end = if params.lead_sentences == 0 {
            0
        } else {
            analysis
                .sentences
                .get(params.lead_sentences - 1)
                .or(analysis.sentences.last())
                .map_or(0, |s| s.end)
        };
        // Only the analysed part: the words past the analysis budget would
        // make a huge article's features (and the story's counters) grow
        // with its size, and their numbers are not checked against time
        // expressions, which were not looked for there.
        let analysed = analysis.analysed(text);
        // Time expressions are sorted by start; a number inside one is a
        // date or a clock time, already counted as a day or said nothing.
        let mut timexes = analysis.timexes.iter().map(|t| t.span).peekable();
        add_words(
            &mut f,
            analysed,
            params,
            |start| {
                if start < lead_end {
                    params.lead_boost
                } else {
                    1.0
                }
            },
            Some(&mut |start: usize| {
                while timexes.next_if(|s| s.end <= start).is_some() {}
                timexes.peek().is_none_or(|s| s.start > start)
            }),
        );
        if let Some(title) = title {
            add_words(&mut f, title, params, |_| params.title_boost, None);
        }
        add_entities(&mut f, analysis);
        for t in &analysis.timexes {
            if let Some(day) = full_day(&t.value) {
                *f.times.entry(day.to_string()).or_default() += 1.0;
            }
        }
        f
    }

    /// Whether there is nothing to cluster on (an empty or all-stopword
    /// text). Numbers alone are nothing: they only tell apart stories that
    /// words found.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.entities.is_empty() && self.times.is_empty()
    }
}

/// `YYYY-MM-DD` at the start of a TIMEX3 value, when it names a full day.
fn full_day(value: &str) -> Option<&str> {
    let day = value.get(..10)?;
    let b = day.as_bytes();
    let ok = b.iter().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            *c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    ok.then_some(day)
}

/// A plausible year written as a bare number (`1906`, `2008`).
fn year(token: &str) -> Option<&str> {
    let t = token.strip_suffix("'s").unwrap_or(token);
    (t.len() == 4
        && t.bytes().all(|c| c.is_ascii_digit())
        && (t.starts_with("19") || t.starts_with("20")))
    .then_some(t)
}

/// The key of a number token: thousands separators dropped, a unit or
/// suffix glued to it cut off (`75-year` → `75`, `7.1` stays); `None` for a
/// decade (`1990s`), an ordinal (`3rd`), a clock time or a date (`4:30`,
/// `9/11`) or a token with no digits left.
fn number_key(token: &str) -> Option<String> {
    let mut key = String::new();
    let mut rest = "";
    for (i, c) in token.char_indices() {
        match c {
            '0'..='9' | '.' => key.push(c),
            ',' => {}
            _ => {
                rest = &token[i..];
                break;
            }
        }
    }
    let key = key.trim_end_matches('.');
    let suffix = rest.trim_start_matches('-').to_ascii_lowercase();
    let unit_glued = rest.starts_with('-') || rest.is_empty();
    if key.is_empty()
        || key.matches('.').count() > 1
        || rest.starts_with([':', '/'])
        || (!unit_glued && matches!(suffix.as_str(), "s" | "st" | "nd" | "rd" | "th"))
    {
        return None;
    }
    Some(key.to_string())
}

/// Adds the words of `text` as terms and its bare years as times; with
/// `number_ok` (which says whether the number starting at a byte offset
/// is outside every time expression), its other numbers too.
fn add_words(
    f: &mut StoryFeatures,
    text: &str,
    params: &FeatureParams,
    boost: impl Fn(usize) -> f32,
    mut number_ok: Option<&mut dyn FnMut(usize) -> bool>,
) {
    // One token at a time: an article's tokens all at once took 24 bytes
    // each.
    for_each_token(text, |tok| {
        let s = tok.text(text);
        let w = boost(tok.span.start);
        match tok.kind {
            TokenKind::Number => {
                if let Some(y) = year(s) {
                    *f.times.entry(y.to_string()).or_default() += w;
                } else if let Some(ok) = number_ok.as_mut() {
                    if ok(tok.span.start) {
                        if let Some(n) = number_key(s) {
                            *f.numbers.entry(n).or_default() += w;
                        }
                    }
                }
            }
            TokenKind::Word => {
                if let Some(term) = normalize_term(s, params.stem) {
                    *f.terms.entry(term).or_default() += w;
                }
            }
            _ => {}
        }
    });
}

/// The index form of a word, or `None` for stopwords and non-words.
pub fn normalize_term(word: &str, stem: bool) -> Option<String> {
    let lower = word.to_lowercase().replace('\u{2019}', "'");
    let lower = lower
        .strip_suffix("'s")
        .or_else(|| lower.strip_suffix('\''))
        .unwrap_or(&lower);
    let lower = lower.trim_matches(|c: char| !c.is_alphanumeric());
    if lower.chars().count() < 2
        || !lower.chars().any(char::is_alphabetic)
        || lower.chars().any(|c| c.is_ascii_digit())
        || is_stopword(lower)
    {
        return None;
    }
    let term = if stem {
        light_stem(lower)
    } else {
        lower.to_string()
    };
    (!is_stopword(&term)).then_some(term)
}

/// Removes English plural endings only: enough to merge `quake`/`quakes`
/// without the over-merging of a full Porter stemmer.
fn light_stem(w: &str) -> String {
    let n = w.chars().count();
    if n <= 3 || !w.is_ascii() {
        return w.to_string();
    }
    if let Some(s) = w.strip_suffix("ies") {
        if n > 4 {
            return format!("{s}y");
        }
    }
    for keep in ["ss", "us", "is", "ous", "ics"] {
        if w.ends_with(keep) {
            return w.to_string();
        }
    }
    if let Some(s) = w.strip_suffix("es") {
        if s.ends_with("sh") || s.ends_with("ch") || s.ends_with('x') || s.ends_with("ss") {
            return s.to_string();
        }
    }
    match w.strip_suffix('s') {
        Some(s) => s.to_string(),
        None => w.to_string(),
    }
}

/// Function words and reporting verbs that say nothing about which story an
/// article tells. Written for this project.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "according",
    "across",
    "after",
    "afterwards",
    "again",
    "against",
    "ago",
    "all",
    "almost",
    "along",
    "already",
    "also",
    "although",
    "always",
    "am",
    "among",
    "an",
    "and",
    "another",
    "any",
    "anyone",
    "anything",
    "are",
    "around",
    "as",
    "at",
    "away",
    "back",
    "be",
    "became",
    "because",
    "become",
    "been",
    "before",
    "behind",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "done",
    "down",
    "during",
    "each",
    "either",
    "else",
    "enough",
    "even",
    "ever",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "however",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "last",
    "least",
    "less",
    "let",
    "like",
    "made",
    "make",
    "many",
    "may",
    "me",
    "might",
    "more",
    "most",
    "much",
    "must",
    "my",
    "myself",
    "near",
    "neither",
    "never",
    "new",
    "next",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "onto",
    "or",
    "other",
    "others",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "per",
    "perhaps",
    "put",
    "rather",
    "really",
    "said",
    "same",
    "say",
    "saying",
    "says",
    "see",
    "seen",
    "several",
    "she",
    "should",
    "since",
    "so",
    "some",
    "something",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "through",
    "thus",
    "to",
    "today",
    "together",
    "told",
    "too",
    "toward",
    "towards",
    "two",
    "under",
    "until",
    "up",
    "upon",
    "us",
    "very",
    "via",
    "was",
    "we",
    "well",
    "were",
    "what",
    "whatever",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "yet",
    "you",
    "your",
    "yours",
    "yourself",
    "n't",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
    "mr",
    "mrs",
    "ms",
    "http",
    "https",
    "www",
    "com",
    "html",
    "htm",
    "php",
    "asp",
    "aspx",
    "index",
    "article",
    "story",
    "news",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "week",
    "day",
    "time",
    "three",
    "first",
    "people",
    "including",
    "went",
    "take",
    "took",
    "going",
    "go",
    "come",
    "came",
    "want",
    "way",
    "use",
    "used",
    "yesterday",
    "tomorrow",
    "tonight",
    "morning",
    "night",
    "report",
    "reported",
    "reports",
    "statement",
    "added",
    "later",
    "early",
    "late",
];

fn is_stopword(w: &str) -> bool {
    STOPWORDS.contains(&w)
}

/// Lowercase, collapsed whitespace, without a leading `the` or a trailing
/// possessive: `The Pentagon's` and `Pentagon` are one key.
pub fn normalize_entity(name: &str) -> String {
    let lower = name.to_lowercase().replace('\u{2019}', "'");
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    if let Some(last) = words.last_mut() {
        *last = last
            .strip_suffix("'s")
            .or_else(|| last.strip_suffix('\''))
            .unwrap_or(last);
    }
    if words.last().is_some_and(|w| w.is_empty() || *w == "'s") {
        words.pop();
    }
    words.join(" ")
}

fn add_entities(f: &mut StoryFeatures, analysis: &Analysis) {
    // Full person names seen so far, by their last word, so `Reid` after
    // `Tara Reid` counts for the same person.
    let mut by_surname: BTreeMap<String, String> = BTreeMap::new();
    for e in &analysis.entities {
        let mut key = normalize_entity(&e.text);
        if key.chars().filter(|c| c.is_alphabetic()).count() < 2 {
            continue;
        }
        if e.label == EntityLabel::Per {
            if key.contains(' ') {
                if let Some(last) = key.rsplit(' ').next() {
                    by_surname
                        .entry(last.to_string())
                        .or_insert_with(|| key.clone());
                }
            } else if let Some(full) = by_surname.get(&key) {
                key = full.clone();
            }
        }
        f.names.entry(key.clone()).or_insert_with(|| e.text.clone());
        *f.entities.entry(key).or_default() += 1.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_analyze::document::{analyze, AnalysisContext};

    #[test]
    fn terms_drop_stopwords_numbers_and_punctuation() {
        let text = "The earthquakes struck 12 villages, officials said.";
        let f = StoryFeatures::new(
            text,
            None,
            &analyze(text, &AnalysisContext::default()),
            None,
        );
        let terms: Vec<&str> = f.terms.keys().map(String::as_str).collect();
        assert_eq!(terms, ["earthquake", "official", "struck", "village"]);
    }

    #[test]
    fn years_and_entities_are_features() {
        let text = "Tara Reid entered rehab in 2008. Reid was seen in Malibu.";
        let f = StoryFeatures::new(
            text,
            None,
            &analyze(text, &AnalysisContext::default()),
            None,
        );
        assert_eq!(f.times.get("2008"), Some(&1.0));
        assert_eq!(f.entities.get("tara reid"), Some(&2.0), "{:?}", f.entities);
    }

    #[test]
    fn numbers_outside_time_expressions_are_features() {
        let text = "On 12 March 2008, a magnitude 6.1 quake killed 1,400 people; \
                    a 75-year-old man died at 4:30 in the 1990s-era 3rd building.";
        let a = analyze(text, &AnalysisContext::default());
        let f = StoryFeatures::new(text, None, &a, None);
        let numbers: Vec<&str> = f.numbers.keys().map(String::as_str).collect();
        assert_eq!(
            numbers,
            ["1400", "6.1", "75"],
            "{:?} {:?}",
            f.numbers,
            a.timexes
        );
        assert_eq!(f.times.get("2008"), Some(&1.0));
        assert_eq!(number_key("9,061"), Some("9061".into()));
        assert_eq!(number_key("10km"), Some("10".into()));
        assert_eq!(number_key("1990s"), None);
        assert_eq!(number_key("2nd"), None);
        assert_eq!(number_key("1.2.3"), None);
        assert_eq!(number_key("4:30"), None);
    }

    #[test]
    fn text_past_the_analysis_budget_adds_no_features() {
        use storyline_analyze::document::analyze_within;
        let text = "Floods struck the valley. Rescuers searched 12 villages overnight.";
        let budget = text.find("Rescuers").expect("second sentence");
        let a = analyze_within(text, &AnalysisContext::default(), budget);
        assert!(
            a.capped.iter().any(|c| c.step == "article"),
            "{:?}",
            a.capped
        );
        let f = StoryFeatures::new(text, None, &a, None);
        assert!(f.terms.contains_key("flood"), "{:?}", f.terms);
        assert!(!f.terms.contains_key("rescuer"), "{:?}", f.terms);
        assert!(f.numbers.is_empty(), "{:?}", f.numbers);
    }

    #[test]
    fn stemming_is_light() {
        assert_eq!(light_stem("earthquakes"), "earthquake");
        assert_eq!(light_stem("injuries"), "injury");
        assert_eq!(light_stem("crashes"), "crash");
        assert_eq!(light_stem("virus"), "virus");
        assert_eq!(normalize_entity("The Pentagon's"), "pentagon");
    }

    #[test]
    fn title_terms_weigh_more() {
        let text = "A fire broke out.";
        let a = analyze(text, &AnalysisContext::default());
        let f = StoryFeatures::new(text, Some("Warehouse fire"), &a, None);
        assert!(f.terms["warehouse"] > 1.0);
        assert!(f.terms["fire"] > f.terms["broke"]);
    }
}
