//! Per-article analysis as the engine runs it: the analyser is a pure
//! function of the text and the published date, so its result is stored with
//! the article and recomputed only when the analyser version changes.

pub use storyline_analyze::attribution::AttributionKind;
use storyline_analyze::document::{analyze, AnalysisContext};
pub use storyline_analyze::document::{Analysis, ANALYSIS_SCHEMA, ANALYZER};
pub use storyline_analyze::events::EventType;
use storyline_core::ArticleDraft;

/// Analyses one article. The published date (stated or inferred) anchors
/// relative time expressions; an unknown date leaves them underspecified.
pub fn analyze_draft(draft: &ArticleDraft) -> Analysis {
    analyze(
        &draft.text,
        &AnalysisContext {
            published: draft.published,
        },
    )
}
