//! Entity mentions indexed by position, so that the components that ask
//! "which mention ends here", "which mentions lie inside this phrase" or
//! "the last person named before this word" look at the few mentions near
//! the place asked about instead of every mention of the article. A long
//! article has mentions in proportion to its length, so a whole-list scan
//! per sentence, attribution or event made the analysis quadratic
//! (docs/RELIABILITY.md).
//!
//! The index narrows where to look; it never decides. Every caller keeps
//! its own test on each mention it is handed, and the index hands over
//! every mention that could pass, in list order, so an answer is the
//! answer a whole-list scan gives. The binary searches rely on the list
//! being in text order (starts and ends never decreasing), which the
//! tagger's output always is (sentences in order, chunks that do not
//! overlap); a list that is not (one made by hand) is scanned whole, as
//! before the index.

use std::ops::Range;

use storyline_core::Span;

use crate::figures::words::Word;
use crate::ner::{EntityLabel, EntityMention};
use crate::timex::Timex;

/// Positions of a list of mentions (see the module documentation).
#[derive(Debug)]
pub(crate) struct Mentions {
    starts: Vec<usize>,
    ends: Vec<usize>,
    /// Indices of the mentions of each label, in list order
    /// (`label_slot` gives the slot).
    by_label: [Vec<usize>; 4],
    /// Whether starts and ends both never decrease along the list.
    ordered: bool,
}

fn label_slot(label: EntityLabel) -> usize {
    match label {
        EntityLabel::Per => 0,
        EntityLabel::Org => 1,
        EntityLabel::Loc => 2,
        EntityLabel::Misc => 3,
    }
}

impl Mentions {
    /// Indexes mentions given as (span, label), in list order.
    pub(crate) fn new(spans: impl IntoIterator<Item = (Span, EntityLabel)>) -> Mentions {
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        let mut by_label: [Vec<usize>; 4] = Default::default();
        for (i, (span, label)) in spans.into_iter().enumerate() {
            starts.push(span.start);
            ends.push(span.end);
            by_label[label_slot(label)].push(i);
        }
        let ordered = starts.is_sorted() && ends.is_sorted();
        Mentions {
            starts,
            ends,
            by_label,
            ordered,
        }
    }

    /// Indexes an entity list.
    pub(crate) fn of(entities: &[EntityMention]) -> Mentions {
        Mentions::new(entities.iter().map(|e| (e.span, e.label)))
    }

    /// The indices of the mentions that start within `lo..=hi`, as a range
    /// of the list (every index when the list is not in text order).
    pub(crate) fn starting_in(&self, lo: usize, hi: usize) -> Range<usize> {
        if !self.ordered {
            return 0..self.starts.len();
        }
        let a = self.starts.partition_point(|&s| s < lo);
        let b = self.starts.partition_point(|&s| s <= hi);
        a..b.max(a)
    }

    /// The indices of the mentions that end within `lo..=hi`, as a range
    /// of the list (every index when the list is not in text order).
    pub(crate) fn ending_in(&self, lo: usize, hi: usize) -> Range<usize> {
        if !self.ordered {
            return 0..self.ends.len();
        }
        let a = self.ends.partition_point(|&e| e < lo);
        let b = self.ends.partition_point(|&e| e <= hi);
        a..b.max(a)
    }

    /// The indices of the mentions that may touch `lo..=hi` (end at or
    /// after `lo` and start at or before `hi`), as a range of the list:
    /// every mention inside a sentence, and every one that ends or starts
    /// in it, is in the range of the sentence's span (every index when the
    /// list is not in text order).
    pub(crate) fn touching(&self, lo: usize, hi: usize) -> Range<usize> {
        if !self.ordered {
            return 0..self.starts.len();
        }
        let a = self.ends.partition_point(|&e| e < lo);
        let b = self.starts.partition_point(|&s| s <= hi);
        a..b.max(a)
    }

    /// The mentions of `entities` (the list this index was built over)
    /// that may touch the run of words `words` (a sentence's): all of them
    /// that lie inside it or end or start in it, in list order.
    pub(crate) fn near_words<'e>(
        &self,
        entities: &'e [EntityMention],
        words: &[Word<'_>],
    ) -> &'e [EntityMention] {
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return &[];
        };
        entities
            .get(self.touching(first.span.start, last.span.end))
            .unwrap_or(entities)
    }

    /// The indices of the mentions with `label`, in list order.
    pub(crate) fn with_label(&self, label: EntityLabel) -> &[usize] {
        &self.by_label[label_slot(label)]
    }

    /// The part of `list` (indices into this index's list, increasing)
    /// that may end at or before `pos`: the prefix that does when the list
    /// is in text order, all of it otherwise. Scanned from its end with the
    /// caller's own test, it finds what a scan of the whole list finds.
    pub(crate) fn ending_by<'l>(&self, list: &'l [usize], pos: usize) -> &'l [usize] {
        if !self.ordered {
            return list;
        }
        let n = list.partition_point(|&i| self.ends.get(i).is_some_and(|&e| e <= pos));
        &list[..n]
    }

    /// Like [`Mentions::ending_by`], the part of `list` that may start
    /// before `pos`.
    pub(crate) fn starting_before<'l>(&self, list: &'l [usize], pos: usize) -> &'l [usize] {
        if !self.ordered {
            return list;
        }
        let n = list.partition_point(|&i| self.starts.get(i).is_some_and(|&s| s < pos));
        &list[..n]
    }

    /// Whether the list is in text order (every query narrows).
    pub(crate) fn is_ordered(&self) -> bool {
        self.ordered
    }
}

/// Time expressions narrowed the same way, to those near a sentence.
/// The rules that look for dates look within the sentence of the word or
/// figure at hand (and number the sentence's dates among themselves), so
/// handing each sentence only the expressions that touch it gives their
/// answers without a scan of every expression of the article per figure
/// or event.
pub(crate) struct Times<'t> {
    list: &'t [Timex],
    /// Whether starts and ends both never decrease (as `find_timexes`
    /// gives them: sorted and not overlapping).
    ordered: bool,
}

impl<'t> Times<'t> {
    pub(crate) fn new(list: &'t [Timex]) -> Times<'t> {
        let ordered =
            list.is_sorted_by_key(|t| t.span.start) && list.is_sorted_by_key(|t| t.span.end);
        Times { list, ordered }
    }

    /// The expressions that touch `lo..=hi`, in list order (all of them
    /// when the list is not in text order).
    pub(crate) fn touching(&self, lo: usize, hi: usize) -> &'t [Timex] {
        if !self.ordered {
            return self.list;
        }
        let a = self.list.partition_point(|t| t.span.end < lo);
        let b = self.list.partition_point(|t| t.span.start <= hi);
        self.list.get(a..b.max(a)).unwrap_or(self.list)
    }

    /// Those that touch a sentence: its span or its words, whichever
    /// reaches further.
    pub(crate) fn near_sentence(&self, sentence: Span, words: &[Word<'_>]) -> &'t [Timex] {
        let lo = words
            .first()
            .map_or(sentence.start, |w| w.span.start.min(sentence.start));
        let hi = words
            .last()
            .map_or(sentence.end, |w| w.span.end.max(sentence.end));
        self.touching(lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn spans(list: &[(usize, usize, u8)]) -> Vec<(Span, EntityLabel)> {
        list.iter()
            .map(|&(s, len, l)| {
                let label = match l % 4 {
                    0 => EntityLabel::Per,
                    1 => EntityLabel::Org,
                    2 => EntityLabel::Loc,
                    _ => EntityLabel::Misc,
                };
                (Span::new(s, s + len), label)
            })
            .collect()
    }

    /// Mentions in text order: gaps and lengths, laid end to end.
    fn ordered() -> impl Strategy<Value = Vec<(usize, usize, u8)>> {
        prop::collection::vec((0usize..5, 0usize..6, 0u8..4), 0..40).prop_map(|v| {
            let mut at = 0;
            v.into_iter()
                .map(|(gap, len, l)| {
                    at += gap;
                    let m = (at, len, l);
                    at += len;
                    m
                })
                .collect()
        })
    }

    proptest! {
        /// Every query hands over at least what a whole-list scan keeps,
        /// in order, whether or not the list is in text order.
        #[test]
        fn queries_keep_every_mention_a_scan_keeps(
            list in prop_oneof![ordered(), prop::collection::vec((0usize..60, 0usize..6, 0u8..4), 0..40)],
            lo in 0usize..70,
            width in 0usize..20,
        ) {
            let hi = lo + width;
            let s = spans(&list);
            let m = Mentions::new(s.iter().copied());
            let starting = m.starting_in(lo, hi);
            let ending = m.ending_in(lo, hi);
            let touching = m.touching(lo, hi);
            for (i, (span, label)) in s.iter().enumerate() {
                if (lo..=hi).contains(&span.start) {
                    prop_assert!(starting.contains(&i));
                }
                if (lo..=hi).contains(&span.end) {
                    prop_assert!(ending.contains(&i));
                }
                if span.end >= lo && span.start <= hi {
                    prop_assert!(touching.contains(&i));
                }
                let of_label = m.with_label(*label);
                if span.end <= lo {
                    prop_assert!(m.ending_by(of_label, lo).contains(&i));
                }
                if span.start < lo {
                    prop_assert!(m.starting_before(of_label, lo).contains(&i));
                }
            }
        }
    }

    #[test]
    fn an_ordered_list_is_narrowed() {
        let s = spans(&[(0, 3, 0), (5, 2, 1), (10, 4, 0), (20, 1, 2)]);
        let m = Mentions::new(s);
        assert!(m.is_ordered());
        assert_eq!(m.starting_in(4, 12), 1..3);
        assert_eq!(m.ending_in(7, 7), 1..2);
        assert_eq!(m.touching(6, 10), 1..3);
        assert_eq!(m.ending_by(m.with_label(EntityLabel::Per), 13), &[0]);
        assert_eq!(
            m.starting_before(m.with_label(EntityLabel::Per), 11),
            &[0, 2]
        );
    }

    #[test]
    fn a_list_out_of_order_is_scanned_whole() {
        let s = spans(&[(10, 3, 0), (0, 2, 0)]);
        let m = Mentions::new(s);
        assert!(!m.is_ordered());
        assert_eq!(m.starting_in(11, 12), 0..2);
        assert_eq!(m.ending_by(m.with_label(EntityLabel::Per), 1), &[0, 1]);
    }
}
