//! The whole per-article analysis as one versioned document: every
//! component run in order over one text, for storage and for
//! `storyline analyze`.

use serde::{Deserialize, Serialize};
use storyline_core::{Span, Timestamp};

use crate::attribution::{find_attributions, Attribution};
use crate::events::{find_events, Event};
use crate::figures::{find_figures, Figure};
use crate::timex::{find_timexes, Timex, TimexContext};
use crate::{entities, split_sentences, tokenize, EntityMention};

/// The analyser's name and version, stored beside each analysis. Bump the
/// number whenever a component's output can change (a retrained model, a new
/// rule), so stored analyses made by the old version are recomputed.
pub const ANALYZER: &str = "fast/1";

/// Schema tag of the analysis JSON document.
pub const ANALYSIS_SCHEMA: &str = "storyline.analysis/1";

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
    let tokens = tokenize(text);
    let sentences = split_sentences(text, &tokens);
    let entities = entities(text, &tokens, &sentences);
    let timexes = find_timexes(text, &TimexContext::news(ctx.published));
    let attributions = find_attributions(text, &tokens, &sentences, &entities);
    let figures = find_figures(
        text,
        &tokens,
        &sentences,
        &entities,
        &timexes,
        &attributions,
    );
    let events = find_events(
        text,
        &tokens,
        &sentences,
        &entities,
        &timexes,
        &attributions,
    );
    Analysis {
        schema: ANALYSIS_SCHEMA.to_string(),
        analyzer: ANALYZER.to_string(),
        sentences: sentences.iter().map(|s| s.span).collect(),
        entities,
        timexes,
        attributions,
        figures,
        events,
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
    fn empty_text_gives_an_empty_analysis() {
        let a = analyze("", &AnalysisContext::default());
        assert!(a.sentences.is_empty() && a.entities.is_empty() && a.figures.is_empty());
    }
}
