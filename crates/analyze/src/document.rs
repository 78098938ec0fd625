//! The whole per-article analysis as one versioned document: every
//! component run in order over one text, for storage and for
//! `storyline analyze`.

use serde::{Deserialize, Serialize};
use storyline_core::{Span, Timestamp};

use crate::attribution::{find_attributions, Attribution};
use crate::events::{find_events, Event};
use crate::figures::{find_figures, Figure};
use crate::referents::{find_referents, Referent, ReferentIndex};
use crate::timex::{find_timexes, Timex, TimexContext};
use crate::{
    cap_sentences, entities, split_sentences, tokenize, EntityMention, MAX_SENTENCE_TOKENS,
};

/// The analyser's name and version, stored beside each analysis. Bump the
/// number whenever a component's output can change (a retrained model, a new
/// rule), so stored analyses made by the old version are recomputed.
pub const ANALYZER: &str = "fast/21";

/// Schema tag of the analysis JSON document.
pub const ANALYSIS_SCHEMA: &str = "storyline.analysis/1";

/// The most bytes of one article's text that are analysed: the per-article
/// work and memory budget. The analysis is linear in its input, but on
/// dense text (a sentence with a quote, a name and an event every 65
/// bytes) it holds about 22 bytes of heap per byte of text at its peak
/// and its JSON about 14, which SQLite copies twice while storing it, so
/// a 64 MiB document (the readers' limit) would need gigabytes; the text
/// past the budget is stored but not analysed, and the analysis says so
/// (`capped`, step `article`). 256 KiB (it was 4 MiB, then 1 MiB) keeps
/// one article's analysis near 6 MB and its JSON near 4 MB at worst, so a
/// huge document costs under ten bytes per input byte; it is still eleven
/// times the longest article of the BBC sample (22.7 kB) and five times
/// Timeline17's 99th percentile (53 kB): the only longer texts there are
/// four pages carrying reader comments (up to 700 kB).
pub const MAX_ANALYSED_BYTES: usize = 256 << 10;

/// What the analysis of one article may depend on besides its text.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AnalysisContext {
    /// The published date, used as the document creation time that relative
    /// time expressions are resolved against. `None` keeps them underspecified.
    pub published: Option<Timestamp>,
}

/// Every layer of the per-article analysis. All spans are byte offsets into
/// the article's clean text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// [`ANALYSIS_SCHEMA`].
    pub schema: String,
    /// [`ANALYZER`] at the time of analysis.
    pub analyzer: String,
    /// Sentence spans, in order.
    pub sentences: Vec<Span>,
    /// Named entities (PER, ORG, LOC, MISC; demonyms flagged).
    pub entities: Vec<EntityMention>,
    /// Time expressions with TIMEX3 values.
    pub timexes: Vec<Timex>,
    /// Quotes and attributed statements with source, cue and content.
    pub attributions: Vec<Attribution>,
    /// Numeric claims.
    pub figures: Vec<Figure>,
    /// PLOVER-typed events.
    pub events: Vec<Event>,
    /// The people, organisations and places of the article, each with its
    /// entity mentions (indices into `entities`), roles and descriptions.
    /// Absent in analyses stored before `fast/2`.
    #[serde(default)]
    pub referents: Vec<Referent>,
    /// Where the analysis did less than its usual work to stay within its
    /// per-article budget (a sentence of more than
    /// [`crate::MAX_SENTENCE_TOKENS`] tokens analysed in pieces; the text
    /// past [`MAX_ANALYSED_BYTES`] not analysed), in text order. Absent
    /// when nothing was capped, which is every edited article.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capped: Vec<Capped>,
}

/// One place where the analysis was capped, and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capped {
    /// The step that was capped: `sentence` (one sentence over the token
    /// limit, whose pieces were analysed as sentences of their own) or
    /// `article` (the text past [`MAX_ANALYSED_BYTES`], not analysed).
    pub step: String,
    /// The text that was capped.
    pub span: Span,
    /// What was done, in words.
    pub note: String,
}

impl Analysis {
    /// The part of `text` (the article this analysis was made of) that was
    /// analysed: all of it, unless the budget stopped the analysis
    /// (`capped`, step `article`).
    pub fn analysed<'t>(&self, text: &'t str) -> &'t str {
        self.capped
            .iter()
            .find(|c| c.step == "article")
            .and_then(|c| text.get(..c.span.start))
            .unwrap_or(text)
    }

    /// The referent (an index into `referents`) entity mention `i` belongs to.
    pub fn referent_of_mention(&self, i: usize) -> Option<usize> {
        self.referents.iter().position(|r| r.mentions.contains(&i))
    }
}

/// Runs every component over `text`. Pure and deterministic: the same text
/// and context always give the same analysis.
///
/// ```
/// use storyline_analyze::document::{analyze, AnalysisContext};
/// let a = analyze("Officials said at least 12 people were killed on Monday.", &AnalysisContext::default());
/// assert_eq!(a.sentences.len(), 1);
/// assert!(a.figures.iter().any(|f| f.value == 12.0));
/// ```
pub fn analyze(text: &str, ctx: &AnalysisContext) -> Analysis {
    analyze_within(text, ctx, MAX_ANALYSED_BYTES)
}

/// [`analyze`] with a budget of `budget` bytes instead of
/// [`MAX_ANALYSED_BYTES`]: the text is analysed up to the last whitespace
/// before the budget (a word is not cut in two), and the rest is named in
/// `capped`. Spans stay offsets into the whole text.
pub fn analyze_within(text: &str, ctx: &AnalysisContext, budget: usize) -> Analysis {
    let whole = text.len();
    let text = within_budget(text, budget);
    let mut capped: Vec<Capped> = Vec::new();
    if text.len() < whole {
        tracing::warn!(
            bytes = whole,
            analysed = text.len(),
            "an article over the analysis budget is analysed in part"
        );
        capped.push(Capped {
            step: "article".to_string(),
            span: Span::new(text.len(), whole),
            note: format!(
                "the text is {whole} bytes, over the budget of {budget} bytes for one article's analysis; only the first {} bytes were analysed",
                text.len()
            ),
        });
    }
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    let (sentences, cut) = cap_sentences(text, &tokens, sentences, MAX_SENTENCE_TOKENS);
    capped.extend(cut.into_iter().map(|span| Capped {
        step: "sentence".to_string(),
        span,
        note: format!(
            "a sentence of more than {MAX_SENTENCE_TOKENS} tokens, analysed in pieces of at most {MAX_SENTENCE_TOKENS}"
        ),
    }));
    // Sentence pieces in text order, then the article's unanalysed tail.
    capped.sort_by_key(|c| c.span.start);
    let entities = entities(text, &tokens, &sentences);
    let timexes = find_timexes(text, &TimexContext::news(ctx.published));
    let mut attributions = find_attributions(text, &tokens, &sentences, &entities);
    let referents = find_referents(text, &tokens, &sentences, &entities);
    link_attributions(&mut attributions, &referents, &entities);
    let figures = find_figures(
        text,
        &tokens,
        &sentences,
        &entities,
        &timexes,
        &attributions,
    );
    let mut events = find_events(
        text,
        &tokens,
        &sentences,
        &entities,
        &timexes,
        &attributions,
    );
    let index = ReferentIndex::new(&referents, &entities);
    for e in &mut events {
        for p in [e.actor.as_mut(), e.target.as_mut()].into_iter().flatten() {
            p.referent = index.at(p.span);
        }
    }
    Analysis {
        schema: ANALYSIS_SCHEMA.to_string(),
        analyzer: ANALYZER.to_string(),
        sentences: sentences.iter().map(|s| s.span).collect(),
        entities,
        timexes,
        attributions,
        figures,
        events,
        referents,
        capped,
    }
}

/// The part of `text` within `budget` bytes: all of it when it fits, else
/// up to the last whitespace before the budget (or the last character
/// boundary, for a text with no whitespace there).
fn within_budget(text: &str, budget: usize) -> &str {
    if text.len() <= budget {
        return text;
    }
    let mut cut = budget;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    match head.rfind(char::is_whitespace) {
        Some(ws) if ws > 0 => &text[..ws],
        _ => head,
    }
}

/// Points each attribution at the referent its source stands for; a source
/// that is a description (`the top diplomat`) without a resolved mention
/// gets the referent's fullest mention as `resolved_source`.
fn link_attributions(
    attributions: &mut [Attribution],
    referents: &[Referent],
    entities: &[EntityMention],
) {
    let index = ReferentIndex::new(referents, entities);
    for a in attributions {
        let resolved = a.resolved_source.and_then(|r| index.at(r));
        let written = a.source.and_then(|s| index.at(s));
        a.referent = resolved.or(written);
        if a.resolved_source.is_none() {
            if let Some(r) = a.referent.and_then(|r| referents.get(r)) {
                a.resolved_source = r
                    .mentions
                    .iter()
                    .filter_map(|&m| entities.get(m))
                    .filter(|m| a.source.is_none_or(|s| m.span.start < s.start))
                    .max_by_key(|m| (m.text.len(), std::cmp::Reverse(m.span.start)))
                    .map(|m| m.span);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_round_trips_through_json() {
        let text = "LESSK (Meridian Wire) – Governor Daria Solberg said on Tuesday that at least 37 people had died. \u{201c}We need boats,\u{201d} she said.";
        let a = analyze(
            text,
            &AnalysisContext {
                published: Timestamp::parse("2025-03-05").ok(),
            },
        );
        let json = serde_json::to_string(&a).expect("serialises");
        let back: Analysis = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, a);
        assert!(a.entities.iter().any(|e| e.text == "Daria Solberg"));
        assert!(a.timexes.iter().any(|t| t.value == "2025-03-04"));
        assert!(!a.attributions.is_empty());
    }

    #[test]
    fn a_sentence_over_the_token_limit_is_analysed_in_pieces_and_says_so() {
        let text = "officials said 12 people were killed in Gaza and ".repeat(400);
        let a = analyze(&text, &AnalysisContext::default());
        assert_eq!(a.capped.len(), 1);
        assert_eq!(a.capped[0].step, "sentence");
        assert_eq!(a.capped[0].span, Span::new(0, text.trim_end().len()));
        assert!(a.sentences.len() > 1);
        assert!(!a.figures.is_empty() && !a.attributions.is_empty());
        let json = serde_json::to_value(&a).expect("serialises");
        assert!(json["capped"][0]["note"]
            .as_str()
            .is_some_and(|n| n.contains("analysed in pieces")));
        // An ordinary text has no `capped` field at all, so its JSON is
        // what it was before the budget existed.
        let a = analyze(
            "Officials said 12 people were killed.",
            &AnalysisContext::default(),
        );
        assert!(a.capped.is_empty());
        let json = serde_json::to_value(&a).expect("serialises");
        assert!(json.get("capped").is_none());
    }

    #[test]
    fn a_text_over_the_budget_is_analysed_in_part_and_says_so() {
        let unit = "Officials said 12 people were killed in Gaza on Monday. ";
        let text = unit.repeat(100);
        let budget = unit.len() * 40 + 7;
        let a = analyze_within(&text, &AnalysisContext::default(), budget);
        let capped: Vec<&Capped> = a.capped.iter().filter(|c| c.step == "article").collect();
        assert_eq!(capped.len(), 1, "{:?}", a.capped);
        let cut = capped[0].span.start;
        assert!(cut <= budget && cut > budget - unit.len(), "cut at {cut}");
        assert_eq!(capped[0].span.end, text.len());
        assert!(capped[0].note.contains("only the first"));
        // Nothing is found past the cut, and what is before it is found
        // as in the whole analysis.
        assert!(a.figures.iter().all(|f| f.span.end <= cut));
        assert_eq!(a.figures.len(), 40);
        let whole = analyze(&text, &AnalysisContext::default());
        assert!(whole.capped.is_empty());
        assert_eq!(whole.figures.len(), 100);
        assert_eq!(whole.figures[..40], a.figures[..]);
        // A budget cut inside a multi-byte character or a text without
        // whitespace never panics and stays on a boundary.
        let dense = "\u{e9}".repeat(50);
        let a = analyze_within(&dense, &AnalysisContext::default(), 51);
        assert_eq!(a.capped[0].span.start, 50);
    }

    #[test]
    fn empty_text_gives_an_empty_analysis() {
        let a = analyze("", &AnalysisContext::default());
        assert!(a.sentences.is_empty() && a.entities.is_empty() && a.figures.is_empty());
    }

    #[test]
    fn older_json_without_referents_still_loads() {
        let a = analyze(
            "Hamas leader Ismail Haniyeh said the talks failed.",
            &AnalysisContext::default(),
        );
        let mut v = serde_json::to_value(&a).expect("serialises");
        let obj = v.as_object_mut().expect("object");
        obj.remove("referents");
        for at in obj["attributions"].as_array_mut().expect("array") {
            at.as_object_mut().expect("object").remove("referent");
        }
        let back: Analysis = serde_json::from_value(v).expect("old JSON loads");
        assert!(back.referents.is_empty());
        assert!(back.attributions.iter().all(|x| x.referent.is_none()));
    }

    #[test]
    fn attribution_sources_point_at_referents() {
        let text = "US Secretary of State Antony Blinken arrived in Amman on Monday. \
                    Blinken, the U.S. top diplomat, said aid must reach Gaza. \
                    The top diplomat said talks would continue.";
        let a = analyze(text, &AnalysisContext::default());
        let blinken = a
            .referents
            .iter()
            .position(|r| r.name == "Antony Blinken")
            .expect("referent");
        assert!(a.attributions.len() >= 2, "{:#?}", a.attributions);
        for at in &a.attributions {
            assert_eq!(at.referent, Some(blinken), "{at:#?}");
            let resolved = at.resolved_source.and_then(|s| s.slice(text));
            assert_eq!(resolved, Some("Antony Blinken"), "{at:#?}");
        }
        let first = a.referents[blinken].mentions[0];
        assert_eq!(a.referent_of_mention(first), Some(blinken));
    }
}
