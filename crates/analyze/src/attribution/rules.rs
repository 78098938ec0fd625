//! The phrase heuristics: cue candidates, their source and their content.
//!
//! Everything works on token indices within one sentence, except quotations,
//! which may run over several sentences and paragraphs.

use std::collections::HashMap;
use std::ops::Range;

use storyline_core::Span;

use super::lexicon::{self, Frame, PronounKind};
use super::quotes::{find_quotes, Quote};
use super::AttributionKind;
use crate::ner::{EntityLabel, EntityMention};
use crate::sentence::Sentence;
use crate::token::{Lowered, Token, TokenKind};

/// The lemma given to cues found by the learnt detector; the attribution
/// reports the cue word itself instead.
pub(crate) const LEARNT: &str = "(learnt)";

/// How the source was found, which decides how it is resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SourceForm {
    /// A noun phrase (a name, a title, `officials`).
    Phrase,
    /// A pronoun.
    Pronoun(PronounKind),
    /// No source in the text: the omitted subject of `…, adding that`,
    /// inherited from the previous attribution's source (token range).
    Inherited(Option<Range<usize>>),
    /// No source at all (`it was reported that`).
    Unnamed,
}

/// One attribution in token terms, before resolution.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub kind: AttributionKind,
    pub source: Option<Range<usize>>,
    pub form: SourceForm,
    pub cue: Range<usize>,
    pub lemma: &'static str,
    pub content: Span,
    pub sentence: usize,
    /// The source may be one another attribution already uses (`…, adding
    /// that …`).
    pub shared_source: bool,
}

/// The article with the per-token facts the rules look at.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// Lower-cased model form of each token (`’s` → `'s`).
    pub lower: Lowered,
    sentences: Vec<Range<usize>>,
    quotes: Vec<Quote>,
    /// Quotation index by the byte offset where it starts.
    quote_start: HashMap<usize, usize>,
    /// Quotation index by the byte offset where it ends.
    quote_end: HashMap<usize, usize>,
    /// The quotation each token lies inside, if any. 32-bit indices, as in
    /// `sent_of`: a text with 2^32 quotations would be over 8 GiB, far past
    /// the 64 MiB document limit and the 256 KiB analysis budget.
    in_quote: Vec<Option<u32>>,
    /// Whether each token is part of a person's name.
    person: Vec<bool>,
    /// The sentence of each token (`u32::MAX` for none). 32 bits, not a
    /// `usize`: these per-token tables are a large share of the analysis's
    /// peak memory, and 2^32 sentences would take over 8 GiB of text.
    sent_of: Vec<u32>,
    /// Whether each token lies inside a quotation (marks excluded).
    pub quoted: Vec<bool>,
    /// Whether the learnt detector takes each token for a cue the lexicon
    /// lacks.
    learnt: Vec<bool>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        text: &'a str,
        tokens: &'a [Token],
        sentences: &[Sentence],
        entities: &[EntityMention],
        cue_model: Option<&super::cues::CueModel>,
    ) -> Ctx<'a> {
        let lower = Lowered::new(text, tokens);
        let n = tokens.len();
        let sentences: Vec<Range<usize>> = sentences
            .iter()
            .map(|s| s.tokens.start.min(n)..s.tokens.end.min(n))
            .filter(|r| r.start < r.end)
            .collect();
        let mut sent_of = vec![u32::MAX; n];
        for (si, r) in sentences.iter().enumerate() {
            let si = u32::try_from(si).unwrap_or(u32::MAX);
            for i in r.clone() {
                sent_of[i] = si;
            }
        }
        let mut person = vec![false; n];
        for e in entities.iter().filter(|e| e.label == EntityLabel::Per) {
            for i in e.tokens.clone() {
                if let Some(p) = person.get_mut(i) {
                    *p = true;
                }
            }
        }
        let quotes = find_quotes(text);
        let quote_start = quotes
            .iter()
            .enumerate()
            .map(|(i, q)| (q.span.start, i))
            .collect();
        let quote_end = quotes
            .iter()
            .enumerate()
            .map(|(i, q)| (q.span.end, i))
            .collect();
        let mut in_quote = vec![None; n];
        let mut qi = 0;
        for (ti, t) in tokens.iter().enumerate() {
            while qi < quotes.len() && quotes[qi].span.end <= t.span.start {
                qi += 1;
            }
            if let Some(q) = quotes.get(qi) {
                if q.inner_start <= t.span.start && t.span.end <= q.span.end {
                    in_quote[ti] = u32::try_from(qi).ok();
                }
            }
        }
        let quoted: Vec<bool> = in_quote.iter().map(Option::is_some).collect();
        let learnt = match cue_model {
            Some(m) if !m.is_empty() => (0..n)
                .map(|i| {
                    super::cues::candidate(tokens, &lower, &quoted, i)
                        && super::cues::plausible(&lower, i)
                        && m.score(&super::cues::features_at(text, tokens, &lower, &quoted, i))
                            > 0.0
                })
                .collect(),
            _ => vec![false; n],
        };
        Ctx {
            text,
            tokens,
            lower,
            quoted,
            learnt,
            sentences,
            quotes,
            quote_start,
            quote_end,
            in_quote,
            person,
            sent_of,
        }
    }

    /// Byte span of a token range, if it is non-empty and in range.
    pub fn span(&self, r: Range<usize>) -> Option<Span> {
        if r.start >= r.end {
            return None;
        }
        let a = self.tokens.get(r.start)?;
        let b = self.tokens.get(r.end - 1)?;
        Some(Span::new(a.span.start, b.span.end))
    }

    fn w(&self, i: usize) -> &str {
        self.lower.get(i).unwrap_or("")
    }

    fn kind(&self, i: usize) -> Option<TokenKind> {
        self.tokens.get(i).map(|t| t.kind)
    }

    fn is_word(&self, i: usize) -> bool {
        matches!(self.kind(i), Some(TokenKind::Word | TokenKind::Number))
    }

    fn is_cap(&self, i: usize) -> bool {
        self.tokens
            .get(i)
            .and_then(|t| t.text(self.text).chars().next())
            .is_some_and(char::is_uppercase)
    }

    fn is_possessive(&self, i: usize) -> bool {
        matches!(self.w(i), "'s" | "'")
    }

    /// The quotation that opens at token `i`, if any.
    fn quote_opening(&self, i: usize) -> Option<usize> {
        let t = self.tokens.get(i)?;
        self.quote_start.get(&t.span.start).copied()
    }

    /// The quotation that closes at token `i`, if any.
    fn quote_closing(&self, i: usize) -> Option<usize> {
        let t = self.tokens.get(i)?;
        let q = *self.quote_end.get(&t.span.end)?;
        // Only a real closing mark, not an unclosed quotation's last word.
        let last = self.text.get(t.span.start..t.span.end)?;
        last.chars()
            .all(|c| matches!(c, '"' | '\'' | '\u{201D}' | '\u{00BB}'))
            .then_some(q)
    }

    /// All attributions of the article.
    pub fn extract(&self) -> Vec<Found> {
        let mut used = vec![false; self.tokens.len()];
        let mut out: Vec<Found> = Vec::new();
        // Strong cues first, so an attitude verb inside reported speech
        // (`aides said Trump wants …`) is not taken as its own attribution.
        for strong_pass in [true, false] {
            let mut latest = Latest::new(&out);
            for (si, sent) in self.sentences.iter().enumerate() {
                let ext = self.joined_start(si).map_or(sent.clone(), |s| s..sent.end);
                let mut c = sent.start;
                while c < sent.end {
                    if used[c] || self.in_quote[c].is_some() && !self.quoted_turn(c, sent) {
                        c += 1;
                        continue;
                    }
                    let prev = latest.before(c, &out).map(|f| f.source.clone());
                    if let Some(mut f) = self.at(c, si, ext.clone(), strong_pass, prev, &used) {
                        if matches!(
                            f.kind,
                            AttributionKind::DirectQuote | AttributionKind::PartialQuote
                        ) {
                            f.content = self.continue_quotes(f.content, sent.end);
                        }
                        if !self.conflicts(&f, &used) {
                            self.mark(&f, &mut used);
                            c = f.cue.end;
                            latest.push(&f, out.len());
                            out.push(f);
                            continue;
                        }
                    }
                    c += 1;
                }
            }
        }
        out.sort_by_key(|f| f.cue.start);
        out
    }

    /// Whether token `c` is the colon after a speaker label inside a
    /// quotation that opens the sentence (`"PENCE: Well, look, …`).
    fn quoted_turn(&self, c: usize, sent: &Range<usize>) -> bool {
        self.w(c) == ":" && c <= sent.start + 4 && self.is_quote_mark(sent.start)
    }

    /// Whether token `i` is only a quotation mark (opening, closing, or a
    /// paragraph's mark that continues a quotation).
    fn is_quote_mark(&self, i: usize) -> bool {
        self.kind(i) == Some(TokenKind::Punct) && self.w(i) == "\""
    }

    /// Where sentence `si` starts for a post-posed cue when it is only a
    /// speaker after a quotation that closed the previous sentence
    /// (`“Is it safe?” Clinton asked.`, split after `?”`): the token where
    /// that quotation opens (or the previous sentence's start, for a
    /// quotation that began earlier).
    fn joined_start(&self, si: usize) -> Option<usize> {
        let sent = self.sentences.get(si)?.clone();
        let prev = self.sentences.get(si.checked_sub(1)?)?.clone();
        let last = sent.start.checked_sub(1)?;
        if prev.end != sent.start || prev.start > last {
            return None;
        }
        let q = self.quotes.get(self.quote_closing(last)?)?;
        let gap = self
            .text
            .get(self.tokens.get(last)?.span.end..self.tokens.get(sent.start)?.span.start)?;
        if gap.contains('\n') {
            return None;
        }
        // A speaker, then a strong cue that may follow its content, then
        // nothing but adjuncts or a resumed quotation.
        let c = (sent.start..sent.end.min(sent.start + 10)).find(|&i| {
            lexicon::cue(self.w(i)).is_some_and(|k| k.strong && lexicon::invertible(k.lemma))
        })?;
        if (sent.start..c)
            .any(|i| self.quote_opening(i).is_some() || matches!(self.w(i), "that" | ":" | ";"))
        {
            return None;
        }
        let ends = if c == sent.start {
            let np = self.right_np(c + 1, sent.end)?;
            self.ends_clause(np.end, sent.end)
        } else {
            (self.w(c + 1) == "," && self.quote_opening(c + 2).is_some())
                || self.ends_clause(c + 1, sent.end)
        };
        if !ends {
            return None;
        }
        let open = self
            .token_range_of(Span::new(q.span.start, q.span.start))
            .start;
        Some(open.max(prev.start))
    }

    fn token_range_of(&self, span: Span) -> Range<usize> {
        let a = self.tokens.partition_point(|t| t.span.end <= span.start);
        let b = self.tokens.partition_point(|t| t.span.start < span.end);
        a..b.max(a)
    }

    fn conflicts(&self, f: &Found, used: &[bool]) -> bool {
        let hit = |r: Range<usize>| r.into_iter().any(|i| used.get(i).copied().unwrap_or(false));
        hit(f.cue.clone()) || !f.shared_source && f.source.clone().is_some_and(hit)
    }

    fn mark(&self, f: &Found, used: &mut [bool]) {
        let content = self.token_range_of(f.content);
        for r in [f.cue.clone(), content].into_iter().chain(f.source.clone()) {
            for i in r {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
            }
        }
    }

    /// The attribution whose cue starts at token `c`, if there is one.
    fn at(
        &self,
        c: usize,
        si: usize,
        sent: Range<usize>,
        strong_pass: bool,
        prev_source: Option<Option<Range<usize>>>,
        used: &[bool],
    ) -> Option<Found> {
        let w = self.w(c);
        if w == ":" {
            return if strong_pass {
                self.colon(c, si, sent)
            } else {
                None
            };
        }
        if matches!(w, "-" | "--") {
            return if strong_pass {
                self.signed_quote(c, si)
            } else {
                None
            };
        }
        if w == "according" && self.w(c + 1) == "to" {
            return if strong_pass {
                self.according(c, si, sent)
            } else {
                None
            };
        }
        let cue = match lexicon::cue(w) {
            Some(cue) => cue,
            None if self.learnt.get(c).copied().unwrap_or(false) => lexicon::Cue {
                lemma: LEARNT,
                frame: Frame::Say,
                strong: false,
            },
            None => return None,
        };
        if cue.strong != strong_pass {
            return None;
        }
        // Multi-word cues and forms that need a particle.
        let mut cue_end = c + 1;
        match (cue.lemma, self.w(c + 1)) {
            ("point out", "out" | "to") => cue_end += 1,
            ("point out", _) => return None,
            ("refer", "to") => cue_end += 1,
            ("refer", _) => return None,
            ("call", "for" | "on") => cue_end += 1,
            _ => {}
        }
        // `called for an end to …`: the particle takes the content directly.
        let mut cue = cue;
        if cue_end > c + 1 {
            cue.frame = Frame::Say;
        }
        // A cue directly after an auxiliary `to` or a noun-ish determiner is
        // usually not a finite verb (`to say`, `the reports`).
        let before = c.checked_sub(1).map(|p| self.w(p)).unwrap_or("");
        if matches!(
            before,
            "the" | "a" | "an" | "his" | "her" | "their" | "its" | "to" | "of"
        ) && !(before == "to" && cue.frame == Frame::Think)
        {
            return None;
        }
        let cue_range = c..cue_end;

        if cue.frame == Frame::Seem {
            return self.seem(c, cue_range, cue.lemma, si, sent);
        }

        // Progressive: `Trump is demanding that …` has its subject before
        // the form of `be`; the rules below look left of that word.
        let be = matches!(before, "was" | "is" | "been" | "were" | "are" | "being");
        let progressive = be && w.ends_with("ing") && c > sent.start + 1;
        // Passive: `it was reported that`, `there are reports that`.
        if be && !progressive {
            if cue.frame == Frame::Think && !matches!(cue.lemma, "expect") {
                return None;
            }
            let content = self.complement(cue_end, cue.frame, sent.end)?;
            return Some(self.found(
                None,
                SourceForm::Unnamed,
                cue_range,
                cue.lemma,
                content,
                si,
                cue.frame,
            ));
        }

        // `…, adding that …`: the subject is the previous speaker.
        if lexicon::is_participle_cue(w) && matches!(before, "," | ";" | "--" | "—") {
            let content = self.complement(cue_end, cue.frame, sent.end)?;
            // The speaker of the previous cue in this sentence (`“…,” the
            // mayor said, adding that …`), else the sentence subject. PolNeAR
            // gives such cues that same source span (train: 313 shared, 70
            // own, 16 without a source), so it may already be used.
            let prev = prev_source
                .clone()
                .flatten()
                .filter(|r| r.start >= sent.start && r.end <= c);
            let subject = prev.or_else(|| self.sentence_subject(sent.start, c));
            let (source, form) = match subject {
                Some(r) => {
                    let form = self.form_of(&r);
                    (Some(r), form)
                }
                None => (None, SourceForm::Inherited(prev_source.flatten())),
            };
            let mut f = self.found(source, form, cue_range, cue.lemma, content, si, cue.frame);
            f.shared_source = true;
            return Some(f);
        }

        // `The union released a statement citing her work`, `Trump sent
        // tweets saying …`: a participle after the object speaks for the
        // clause's subject, not for the noun it follows (PolNeAR gives
        // these the sentence subject as source).
        if w.ends_with("ing") && !be && c > sent.start + 2 {
            if let Some(subject) = self.named_subject(sent.start, c) {
                let object_before = c
                    .checked_sub(1)
                    .is_some_and(|p| self.is_word(p) && !self.is_cap(p) && !self.person[p]);
                if object_before && subject.end + 1 < c {
                    if let Some(content) = self.complement(cue_end, cue.frame, sent.end) {
                        let form = self.form_of(&subject);
                        let mut f = self.found(
                            Some(subject),
                            form,
                            cue_range,
                            cue.lemma,
                            content,
                            si,
                            cue.frame,
                        );
                        f.shared_source = true;
                        return Some(f);
                    }
                }
            }
        }

        // `“…,” Steve Moody, a shop owner, said …`: everything between the
        // quotation and the cue is the source.
        if lexicon::invertible(cue.lemma) {
            let opens_content =
                matches!(self.w(cue_end), "that" | ":") || self.quote_opening(cue_end).is_some();
            if !opens_content {
                if let Some((np, b)) = self.between_quote_and_cue(c, sent.start) {
                    if let Some(content) = self.left_content(b, sent.start) {
                        let content = self.with_interpolation(content, cue_end, sent.end);
                        let form = self.form_of(&np);
                        return Some(self.found(
                            Some(np),
                            form,
                            cue_range,
                            cue.lemma,
                            content,
                            si,
                            cue.frame,
                        ));
                    }
                }
            }
        }

        // `“…,” said X` / `…, said X`.
        if lexicon::invertible(cue.lemma) && c > sent.start {
            let p = c - 1;
            let after_quote_or_comma = self.w(p) == "," || self.quote_closing(p).is_some();
            if after_quote_or_comma {
                if let Some(np) = self.right_np(cue_end, sent.end) {
                    // After a plain clause (no quotation) the inverted
                    // subject must end the sentence or take an apposition.
                    let plain = self.quote_closing(p).is_none()
                        && !(p > 0 && self.quote_closing(p - 1).is_some());
                    let after = self.w(np.end + 1);
                    let ends_sentence = np.end >= self.trim_end(sent.end)
                        || (self.w(np.end) == ","
                            && (lexicon::is_determiner(after) || after == "who"));
                    // `Ann Lee, 59, of Dover, said the …`: a sentence that
                    // opens with a name and its apposition has its subject
                    // there, not after the cue.
                    let opens_with_apposition = plain
                        && self
                            .appositive_subject(p, sent.start)
                            .is_some_and(|s| s.start == sent.start);
                    if self.ends_clause(np.end, sent.end)
                        && (!plain || ends_sentence)
                        && !opens_with_apposition
                    {
                        if let Some(content) = self.left_content(p, sent.start) {
                            let content = self.with_interpolation(content, np.end, sent.end);
                            let form = self.form_of(&np);
                            return Some(self.found(
                                Some(np),
                                form,
                                cue_range,
                                cue.lemma,
                                content,
                                si,
                                cue.frame,
                            ));
                        }
                    }
                }
            }
        }

        // `X called for …, sources said.`: the whole clause is the content
        // of the speaker at the end, and this word is no cue of its own.
        if self.speaker_follows(cue_end, sent.end) {
            return None;
        }
        let c0 = if progressive { c - 1 } else { c };
        let left = self.left_np(c0, sent.start);
        let right = self.complement(cue_end, cue.frame, sent.end);

        if let Some(np) = left.clone() {
            let form = self.form_of(&np);
            // Post-posed: `“…,” he said.` / `The plan failed, officials said.`
            if np.start > sent.start && lexicon::invertible(cue.lemma) {
                let b = np.start - 1;
                let after_quote = self.quote_closing(b).is_some()
                    || (self.w(b) == "," && b > 0 && self.quote_closing(b - 1).is_some());
                let interpolating = self.w(cue_end) == ","
                    && self.quote_opening(cue_end + 1).is_some()
                    && after_quote;
                let quote_follows =
                    self.w(cue_end) == "," && self.quote_opening(cue_end + 1).is_some();
                // After a quotation the cue is post-posed unless it plainly
                // opens a new content (`… he said that …`, `… said: “…”`).
                let opens_content = matches!(self.w(cue_end), "that" | ":")
                    || self.quote_opening(cue_end).is_some();
                let comma_after = self.w(cue_end) == ",";
                if right.is_none()
                    || interpolating
                    || (after_quote && !opens_content)
                    || (comma_after && self.w(b) == "," && !quote_follows)
                {
                    if let Some(content) = self.left_content(b, sent.start) {
                        let content = self.with_interpolation(content, cue_end, sent.end);
                        return Some(self.found(
                            Some(np),
                            form,
                            cue_range,
                            cue.lemma,
                            content,
                            si,
                            cue.frame,
                        ));
                    }
                }
            }
            let content = right?;
            if !cue.strong && !self.weak_ok(&np, &form, content) {
                return None;
            }
            return Some(self.found(Some(np), form, cue_range, cue.lemma, content, si, cue.frame));
        }

        // `McConnell welcomed the news and said …`: the sentence subject.
        if c0 > sent.start && matches!(self.w(c0 - 1), "and" | "but") && cue.strong {
            if let Some(np) = self.sentence_subject(sent.start, c0 - 1) {
                if !np.clone().any(|i| used.get(i).copied().unwrap_or(true)) {
                    let content = right?;
                    let form = self.form_of(&np);
                    return Some(self.found(
                        Some(np),
                        form,
                        cue_range,
                        cue.lemma,
                        content,
                        si,
                        cue.frame,
                    ));
                }
            }
        }
        // `Trump, the Republican nominee, said …`: skip the apposition.
        if c0 > sent.start && self.w(c0 - 1) == "," {
            if let Some(np) = self.appositive_subject(c0 - 1, sent.start) {
                let content = right?;
                let form = self.form_of(&np);
                if !cue.strong && !self.weak_ok(&np, &form, content) {
                    return None;
                }
                return Some(self.found(
                    Some(np),
                    form,
                    cue_range,
                    cue.lemma,
                    content,
                    si,
                    cue.frame,
                ));
            }
        }
        None
    }

    /// Whether the sentence ends with a post-posed speaker after token `k`:
    /// `, NP said` (a strong cue that may follow its content) with nothing
    /// but adjuncts after it.
    fn speaker_follows(&self, k: usize, end: usize) -> bool {
        (k + 1..self.trim_end(end)).any(|i| {
            self.in_quote[i].is_none()
                && lexicon::cue(self.w(i)).is_some_and(|q| q.strong && lexicon::invertible(q.lemma))
                && self
                    .left_np(i, k)
                    .is_some_and(|np| np.start > k && self.w(np.start - 1) == ",")
                && self.ends_clause(i + 1, end)
        })
    }

    /// A weak cue (`want`, `think`, `show`) counts only with a clear subject
    /// and a content of a few words.
    fn weak_ok(&self, np: &Range<usize>, form: &SourceForm, content: Span) -> bool {
        let words = self
            .token_range_of(content)
            .filter(|&i| self.is_word(i))
            .count();
        let clear = match form {
            SourceForm::Pronoun(PronounKind::Deictic) => false,
            SourceForm::Pronoun(_) => true,
            _ => np.clone().any(|i| self.is_cap(i)) || np.len() >= 2,
        };
        clear && words >= 2
    }

    #[allow(clippy::too_many_arguments)]
    fn found(
        &self,
        source: Option<Range<usize>>,
        form: SourceForm,
        cue: Range<usize>,
        lemma: &'static str,
        content: Span,
        sentence: usize,
        frame: Frame,
    ) -> Found {
        let quoted = self.text.get(content.start..content.end).unwrap_or("");
        let is_mark =
            |c: char| matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}');
        let whole_quote = self.quote_start.contains_key(&content.start)
            && (self.quote_end.contains_key(&content.end)
                || quoted.chars().next_back().is_some_and(is_mark));
        let kind = if whole_quote || (quoted.starts_with("''") && quoted.ends_with("''")) {
            AttributionKind::DirectQuote
        } else if quoted.contains(is_mark) || quoted.contains("''") {
            AttributionKind::PartialQuote
        } else if frame == Frame::Think || lemma == "according to" {
            AttributionKind::Assertion
        } else {
            AttributionKind::Indirect
        };
        Found {
            kind,
            source,
            form,
            cue,
            lemma,
            content,
            sentence,
            shared_source: false,
        }
    }

    fn form_of(&self, np: &Range<usize>) -> SourceForm {
        if np.len() == 1 {
            if let Some(k) = lexicon::pronoun(self.w(np.start)) {
                return SourceForm::Pronoun(k);
            }
        }
        SourceForm::Phrase
    }

    /// `according to X, …` / `…, according to X.`
    fn according(&self, c: usize, si: usize, sent: Range<usize>) -> Option<Found> {
        let np = self.right_np_loose(c + 2, sent.end)?;
        let cue = c..c + 2;
        // Words of the sentence before the cue (ignoring a leading conjunction).
        let mut first = sent.start;
        while first < c
            && (!self.is_word(first) || matches!(self.w(first), "but" | "and" | "still" | "yet"))
        {
            first += 1;
        }
        let before_end = if c > first && self.w(c - 1) == "," {
            c - 1
        } else {
            c
        };
        let after_np = np.end;
        let content = if before_end > first {
            // `…, according to X` or `…, according to X, …`.
            let mut end = before_end;
            if self.w(after_np) == ","
                && after_np + 1 < sent.end
                && self.has_words(after_np + 1, sent.end)
            {
                end = self.trim_end(sent.end);
            }
            self.content_span(first, end)?
        } else {
            let mut s = after_np;
            if self.w(s) == "," {
                s += 1;
            }
            let end = self.trim_end(sent.end);
            if !self.has_words(s, end) {
                return None;
            }
            self.clause_or_quote(s, end)
        };
        let form = self.form_of(&np);
        Some(self.found(Some(np), form, cue, "according to", content, si, Frame::Say))
    }

    fn has_words(&self, a: usize, b: usize) -> bool {
        (a..b).any(|i| self.is_word(i))
    }

    /// One past the last token of the sentence that belongs to a content:
    /// drops a final `.`, `;` or `:` (a closing quotation mark stays).
    fn trim_end(&self, end: usize) -> usize {
        let mut e = end;
        while e > 0 && matches!(self.w(e - 1), "." | ";" | ":" | "," | "--" | "—") {
            e -= 1;
        }
        e
    }

    fn content_span(&self, a: usize, b: usize) -> Option<Span> {
        self.span(a..b)
    }

    /// The speaker noun phrase that ends just before the cue at `c`
    /// (auxiliaries, adverbs and day names in between are skipped).
    fn left_np(&self, c: usize, lb: usize) -> Option<Range<usize>> {
        self.left_np_placed(c, lb, true)
    }

    /// [`Self::left_np`]; with `place_step`, a name after a place
    /// preposition reaches back to the speaker before it (one step only, so
    /// `A in B in C …` costs one more phrase, not a recursion per `in`).
    fn left_np_placed(&self, c: usize, lb: usize, place_step: bool) -> Option<Range<usize>> {
        let mut j = c;
        let mut skipped_time = false;
        while j > lb {
            let w = self.w(j - 1);
            if lexicon::is_aux_or_adverb(w) {
                j -= 1;
            } else if lexicon::is_time_word(w) && j - 1 > lb {
                skipped_time = true;
                j -= 1;
            } else if skipped_time && matches!(w, "on" | "last" | "this" | "earlier") {
                j -= 1;
            } else {
                break;
            }
        }
        // A short parenthetical after the name belongs to the phrase:
        // `Sen. Jane Roe (D-Ore.) said` (PolNeAR includes it in the source).
        let mut paren_end = 0;
        if j > lb + 1 && self.w(j - 1) == ")" {
            let open = (j.saturating_sub(9).max(lb)..j - 1)
                .rev()
                .find(|&i| matches!(self.w(i), "(" | ")"))
                .filter(|&i| self.w(i) == "(");
            if let Some(o) = open {
                if !(o..j).any(|i| self.in_quote[i].is_some()) {
                    paren_end = j;
                    j = o;
                }
            }
        }
        if j <= lb {
            return None;
        }
        let h = j - 1;
        let hw = self.w(h);
        if !self.is_word(h) {
            return None;
        }
        // `Those close to him said`, `Officials familiar with them say`:
        // the object pronoun ends a phrase that modifies the speaker.
        if matches!(hw, "him" | "her" | "them" | "us")
            && h >= lb + 2
            && matches!(self.w(h - 1), "to" | "with" | "of" | "for")
        {
            let mut start = h - 1;
            while start > lb
                && h - start < 6
                && self.is_word(start - 1)
                && !lexicon::is_np_stop(self.w(start - 1))
            {
                start -= 1;
            }
            if start < h - 1 && (start == lb || !self.is_word(start - 1)) {
                return Some(start..paren_end.max(h + 1));
            }
            return None;
        }
        if lexicon::pronoun(hw).is_some() {
            return Some(h..paren_end.max(h + 1));
        }
        if matches!(
            hw,
            "some"
                | "many"
                | "several"
                | "most"
                | "both"
                | "all"
                | "few"
                | "another"
                | "others"
                | "one"
        ) {
            return Some(h..paren_end.max(h + 1));
        }
        if lexicon::is_np_stop(hw) || lexicon::is_determiner(hw) {
            return None;
        }
        let cap_head = self.is_cap(h);
        let mut start = h;
        let mut count = 1;
        while start > lb && count < 8 {
            let k = start - 1;
            let w = self.w(k);
            let ok = if self.is_possessive(k) {
                true
            } else if cap_head && w == "of" {
                // `John Wilson of Springfield`, `Bank of America`.
                k > lb && self.is_cap(k - 1)
            } else if !self.is_word(k) || lexicon::is_np_stop(w) {
                false
            } else if cap_head {
                self.is_cap(k)
                    || lexicon::is_determiner(w)
                    || lexicon::is_title_noun(w)
                    || matches!(w, "former" | "then" | "late" | "u.s." | "top" | "senior")
            } else {
                true
            };
            if !ok {
                break;
            }
            start = k;
            count += 1;
        }
        // A possessive cannot start a phrase.
        while start < h && self.is_possessive(start) {
            start += 1;
        }
        // `Rushdi Abualouf in Khan Younis says`, `a doctor living in Leeds
        // told`: a name after a place preposition says where the speaker
        // is; the speaker is the phrase before it, which the source takes in.
        if cap_head && place_step {
            let mut p = start;
            if p > lb + 1 && matches!(self.w(p - 1), "in" | "from" | "near") {
                p -= 1;
                if p > lb + 1
                    && matches!(self.w(p - 1), "living" | "based" | "working" | "reporting")
                {
                    p -= 1;
                }
                if let Some(speaker) = self.left_np_placed(p, lb, false) {
                    if speaker.end == p {
                        return Some(speaker.start..paren_end.max(h + 1));
                    }
                }
            }
        }
        Some(start..paren_end.max(h + 1))
    }

    /// `X, the …, said`: the noun phrase before an earlier comma (the
    /// apposition may itself hold commas: `Jane Roe, 27, a nurse, said`).
    fn appositive_subject(&self, comma: usize, lb: usize) -> Option<Range<usize>> {
        let lo = comma.saturating_sub(25).max(lb);
        let mut k = comma;
        while k > lo {
            k -= 1;
            if self.w(k) == "," {
                let Some(np) = self.left_np(k, lb) else {
                    continue;
                };
                let next = self.w(k + 1);
                // The apposition or relative clause must start like one.
                let looks = lexicon::is_determiner(next)
                    || matches!(next, "who" | "whose" | "which")
                    || self.is_cap(k + 1)
                    || lexicon::is_title_noun(next)
                    || next.ends_with("ing")
                    || matches!(next, "former" | "chairman" | "spokesman")
                    // `Ann Lee, 59, of Dover, said`: an age or a home town.
                    || self.kind(k + 1) == Some(TokenKind::Number)
                    || matches!(next, "of" | "from") && self.is_cap(k + 2);
                let capitalised = np.clone().any(|i| self.is_cap(i)) || self.is_cap(k + 1);
                if looks && capitalised {
                    return Some(np);
                }
                continue;
            }
            // A full stop before a comma ends an abbreviation (`Md.,`).
            let stop =
                matches!(self.w(k), ";" | "?" | "!") || self.w(k) == "." && self.w(k + 1) != ",";
            if self.quote_opening(k).is_some() || self.quote_closing(k).is_some() || stop {
                return None;
            }
        }
        None
    }

    /// `“…,” X, the …, said`: the tokens between a closing quotation and
    /// the cue at `c` (after auxiliaries), when there are few and no clause
    /// ends among them. Returns the source and the token before it.
    fn between_quote_and_cue(&self, c: usize, lb: usize) -> Option<(Range<usize>, usize)> {
        let mut j = c;
        while j > lb && lexicon::is_aux_or_adverb(self.w(j - 1)) {
            j -= 1;
        }
        let mut k = j;
        while k > lb && j - k < 25 {
            let p = k - 1;
            if self.quote_closing(p).is_some() {
                break;
            }
            if self.quote_opening(p).is_some() || matches!(self.w(p), "." | ";" | "?" | "!" | ":") {
                return None;
            }
            k -= 1;
        }
        if k <= lb || k >= j || self.quote_closing(k - 1).is_none() {
            return None;
        }
        let mut start = k;
        while start < j && matches!(self.w(start), "," | "--" | "—") {
            start += 1;
        }
        let mut end = j;
        while end > start && self.w(end - 1) == "," {
            end -= 1;
        }
        if start >= end
            || !self.has_words(start, end)
            || lexicon::is_np_stop(self.w(start)) && lexicon::pronoun(self.w(start)).is_none()
        {
            return None;
        }
        if end - start == 1 && lexicon::pronoun(self.w(start)).is_none() && !self.is_word(start) {
            return None;
        }
        Some((start..end, k - 1))
    }

    /// The inverted subject after the cue: `said the minister`.
    fn right_np(&self, k: usize, end: usize) -> Option<Range<usize>> {
        if k >= end || !self.is_word(k) {
            return None;
        }
        let w = self.w(k);
        if matches!(w, "he" | "she" | "they" | "it" | "we" | "i") {
            return Some(k..k + 1);
        }
        let titled = (k + 1..(k + 4).min(end)).any(|i| self.is_cap(i));
        if !(self.is_cap(k) || lexicon::is_determiner(w) || titled)
            || lexicon::is_np_stop(w)
            || lexicon::is_time_word(w)
        {
            return None;
        }
        let mut e = k + 1;
        while e < end && e - k < 10 {
            let w = self.w(e);
            let ok = self.is_possessive(e)
                || (self.is_word(e)
                    && (!lexicon::is_np_stop(w) || (w == "of" && self.is_cap(e + 1))));
            if !ok {
                break;
            }
            e += 1;
        }
        Some(k..e)
    }

    /// The source after `according to`: any phrase up to the next comma.
    fn right_np_loose(&self, k: usize, end: usize) -> Option<Range<usize>> {
        let mut e = k;
        while e < end && e - k < 14 {
            let w = self.w(e);
            if matches!(w, "," | "." | ";" | ":" | "(" | ")" | "--" | "—")
                || self.quote_opening(e).is_some()
                || (e > k && matches!(w, "that" | "who"))
            {
                break;
            }
            e += 1;
        }
        (e > k && self.has_words(k, e)).then_some(k..e)
    }

    /// Whether nothing but adjuncts (`in a statement`, `on Tuesday`) follows
    /// token `k` up to the sentence end.
    fn ends_clause(&self, k: usize, end: usize) -> bool {
        let end = self.trim_end(end);
        if k >= end {
            return true;
        }
        let w = self.w(k);
        if matches!(w, "," | "(" | "--" | "—") {
            return true;
        }
        (lexicon::is_preposition(w) || lexicon::is_time_word(w) || w == "who")
            && end - k <= 12
            && !(k..end).any(|i| self.w(i) == "that" || self.quote_opening(i).is_some())
    }

    /// The content before a post-posed cue: the quotation that closes at or
    /// just before token `b`, or the clause from the sentence start to the
    /// comma at `b`.
    fn left_content(&self, b: usize, sent_start: usize) -> Option<Span> {
        let mut first = sent_start;
        while first < b && matches!(self.w(first), "but" | "and" | "still" | "yet" | "so") {
            first += 1;
        }
        let first_byte = self.tokens.get(first).map_or(0, |t| t.span.start);
        // A quotation that closes the clause; one that opened inside the
        // sentence is a partial quote, and the clause counts from its start.
        let quoted = |q: usize| {
            self.quotes.get(q).map(|q| {
                if q.span.start > first_byte {
                    Span::new(first_byte, q.span.end)
                } else {
                    q.span
                }
            })
        };
        // `On this week's “Morning Show,” the senator said …`: a short
        // quotation inside an opening prepositional phrase is a title.
        let title = |q: usize| {
            lexicon::is_preposition(self.w(first))
                && self.quotes.get(q).is_some_and(|q| {
                    q.span.start > first_byte
                        && self
                            .text
                            .get(q.span.start..q.span.end)
                            .is_some_and(|t| t.split_whitespace().count() <= 6)
                })
        };
        if let Some(q) = self.quote_closing(b) {
            return (!title(q)).then(|| quoted(q)).flatten();
        }
        if self.w(b) == "," {
            if b > 0 {
                if let Some(q) = self.quote_closing(b - 1) {
                    return (!title(q)).then(|| quoted(q)).flatten();
                }
            }
            if self.has_words(first, b) && b - first >= 2 {
                return self.span(first..b);
            }
        }
        None
    }

    /// Extends a post-posed content over a quotation that resumes after the
    /// cue: `“…,” he said, “…”`.
    fn with_interpolation(&self, content: Span, after: usize, end: usize) -> Span {
        // The first comma after the cue and its adjuncts (`said last month
        // on Twitter, “…”`).
        let Some(comma) =
            (after..end.min(after + 10)).find(|&i| self.w(i) == "," || self.w(i) == ".")
        else {
            return content;
        };
        if self.w(comma) != "," || (after..comma).any(|i| !self.is_word(i) || self.w(i) == "that") {
            return content;
        }
        if let Some(q) = self
            .quote_opening(comma + 1)
            .and_then(|q| self.quotes.get(q))
        {
            return Span::new(content.start, q.span.end.max(content.end));
        }
        // `The goal, he said, is to …`: the clause resumes after the cue.
        let stop = self.trim_end(end);
        if comma + 1 < stop
            && self.has_words(comma + 1, stop)
            && !lexicon::is_participle_cue(self.w(comma + 1))
            && !matches!(
                self.w(comma + 1),
                "according" | "who" | "which" | "as" | "while" | "when"
            )
            && self.quote_closing(comma.saturating_sub(1)).is_none()
            && !self.quote_end.contains_key(&content.end)
        {
            let end_byte = self.clause_or_quote(comma + 1, stop).end;
            return Span::new(content.start, end_byte.max(content.end));
        }
        content
    }

    /// The content after a pre-posed cue ending before token `k`.
    fn complement(&self, k: usize, frame: Frame, end: usize) -> Option<Span> {
        let mut k = k;
        let end_t = self.trim_end(end);
        // The addressee of `told`, `urged`: skip a short object phrase.
        if frame == Frame::Tell {
            let start = k;
            while k < end_t && k - start < 7 {
                let w = self.w(k);
                if matches!(
                    w,
                    "that"
                        | ","
                        | ":"
                        | "to"
                        | "of"
                        | "for"
                        | "about"
                        | "he"
                        | "she"
                        | "they"
                        | "it"
                        | "we"
                        | "i"
                        | "the"
                        | "a"
                        | "an"
                ) && k > start
                    || matches!(w, "that" | "," | ":")
                    || self.quote_opening(k).is_some()
                    || !(self.is_word(k) || self.is_possessive(k))
                {
                    break;
                }
                k += 1;
            }
            if k - start >= 7 {
                k = start;
            }
        }
        // Adjuncts: day names, `in a statement …`, `on Twitter`.
        while k < end_t && lexicon::is_time_word(self.w(k)) {
            k += 1;
        }
        if k < end_t
            && lexicon::is_preposition(self.w(k))
            && !matches!(self.w(k), "of" | "about" | "for" | "to" | "as")
        {
            let that = (k..end_t.min(k + 14))
                .find(|&i| matches!(self.w(i), "that" | ":") || self.quote_opening(i).is_some());
            let comma = (k..end_t).find(|&i| self.w(i) == ",");
            match (that, comma) {
                (Some(t), Some(c)) if c < t => {
                    if self.quote_opening(c + 1).is_some() || c + 1 < end_t {
                        k = c + 1;
                    }
                }
                (Some(t), _) => k = t,
                (None, Some(c)) => k = c + 1,
                (None, None) => {
                    if end_t - k <= 10 {
                        return None;
                    }
                }
            }
        }
        while k < end_t && matches!(self.w(k), "," | ":" | "--" | "—") {
            k += 1;
        }
        if k >= end_t && end > 0 && self.w(end - 1) == ":" {
            // `X said:` ending a paragraph, the quotation in the next one.
            return self
                .quote_opening(end)
                .and_then(|q| self.quotes.get(q))
                .map(|q| q.span);
        }
        if k >= end_t || !self.has_words(k, end_t) && self.quote_opening(k).is_none() {
            return None;
        }
        // Stop before a second cue of the same speaker (`…, adding that …`)
        // or another speaker's clause (`…, while others said …`).
        let mut stop = end_t;
        for i in k + 1..end_t {
            if self.in_quote[i].is_some() {
                continue;
            }
            if self.w(i - 1) == "," && lexicon::is_participle_cue(self.w(i)) {
                stop = self.trim_end(i);
                break;
            }
            if let Some(b) = self.other_speaker(i, k) {
                stop = self.trim_end(b);
                break;
            }
        }
        if stop <= k {
            return None;
        }
        Some(self.clause_or_quote(k, stop))
    }

    /// A content from token `k` to `stop`: a quotation opening at `k` is
    /// taken whole (it may run over sentences and paragraphs), as is any
    /// quotation that opens inside the clause and closes after it.
    fn clause_or_quote(&self, k: usize, stop: usize) -> Span {
        let start = self.tokens.get(k).map_or(0, |t| t.span.start);
        let mut end = self
            .tokens
            .get(stop.saturating_sub(1).max(k))
            .map_or(start, |t| t.span.end);
        if let Some(q) = self.quote_opening(k).and_then(|q| self.quotes.get(q)) {
            // A quotation followed by more of the sentence keeps the rest too.
            end = end.max(q.span.end);
            return Span::new(start, end);
        }
        for i in k..stop {
            if let Some(q) = self.quote_opening(i).and_then(|q| self.quotes.get(q)) {
                end = end.max(q.span.end);
            }
        }
        Span::new(start, end)
    }

    /// `Name: …` at the start of a line (headlines, transcripts): the name
    /// is the source, the rest of the line the content.
    /// A transcript quoted whole (`"WALLACE: Let's start …`) is read the
    /// same way: the opening mark is skipped.
    fn colon(&self, c: usize, si: usize, sent: Range<usize>) -> Option<Found> {
        let mut start = sent.start;
        if self.is_quote_mark(start) {
            // Only a mark that opens the speaker's turn, not a quoted
            // headline before a colon (`“Shark Tank”: …`).
            self.in_quote.get(c).copied().flatten()?;
            start += 1;
        }
        while start < c && self.is_possessive(start) {
            start += 1;
        }
        let np = start..c;
        if np.is_empty()
            || np.len() > 5
            || !np.clone().all(|i| {
                self.is_cap(i) || self.is_word(i) && self.w(i) == "." || self.is_possessive(i)
            })
        {
            return None;
        }
        // A person's name anywhere; at the start of a line (headlines such
        // as `Pence: …`, `Poll: …`, transcripts) any short name that is not
        // a section label.
        let line_start = self
            .text
            .get(..self.tokens.get(sent.start)?.span.start)
            .is_some_and(|b| b.rsplit('\n').next().is_some_and(|l| l.trim().is_empty()));
        let named = np.clone().any(|i| self.person[i])
            || self.speaker_label(&np)
            || line_start
                && np.len() <= 4
                && !lexicon::is_section_label(&self.lower.join(np.clone(), " "));
        if !named {
            return None;
        }
        // The rest of the line.
        let line_end = self.text[self.tokens.get(c)?.span.end..]
            .find('\n')
            .map_or(self.text.len(), |i| i + self.tokens[c].span.end);
        let mut e = c + 1;
        while e < self.tokens.len() && self.tokens[e].span.end <= line_end {
            e += 1;
        }
        let e = self.trim_end(e);
        if !self.has_words(c + 1, e) {
            return None;
        }
        let content = self.clause_or_quote(c + 1, e);
        let form = self.form_of(&np);
        Some(self.found(Some(np), form, c..c + 1, "say", content, si, Frame::Say))
    }

    /// Whether `np` is a transcript's speaker label: one to three words in
    /// capitals (`WALLACE`, `MR. TRUMP`) that are not a section label
    /// (`UPDATE`, `CORRECTION`) or an interview's `Q` and `A`.
    fn speaker_label(&self, np: &Range<usize>) -> bool {
        let words: Vec<&str> = np
            .clone()
            .filter(|&i| self.is_word(i) && self.w(i) != ".")
            .map(|i| self.tokens[i].text(self.text))
            .collect();
        let label = self.lower.join(np.clone(), " ");
        !words.is_empty()
            && words.len() <= 3
            && words
                .iter()
                .all(|w| w.chars().count() >= 2 && !w.chars().any(char::is_lowercase))
            && !lexicon::is_section_label(&label)
    }

    /// A quotation that is a paragraph of its own, signed after a dash
    /// (`“… our greatest shame.” ― Sonya Herridge`): the name is the
    /// source, the dash the cue.
    fn signed_quote(&self, c: usize, si: usize) -> Option<Found> {
        // The line is a quotation, marks first and last; marks are read
        // directly because such lines often open with a closing mark
        // (`”Fear. …” ― Name`), which quotation pairing rightly refuses.
        let close = c.checked_sub(1)?;
        if !self.is_quote_mark(close) {
            return None;
        }
        let close_end = self.tokens.get(close)?.span.end;
        let before = self.text.get(..close_end)?;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let open = self.token_range_of(Span::new(line_start, close_end)).start;
        if open >= close || !self.is_quote_mark(open) {
            return None;
        }
        // The signature runs to the end of the line: a name of one to six
        // capitalised words (a final full stop allowed).
        let dash_end = self.tokens.get(c)?.span.end;
        let rest = self.text.get(dash_end..)?;
        let line_end = dash_end + rest.find('\n').unwrap_or(rest.len());
        let mut e = c + 1;
        while e < self.tokens.len() && self.tokens[e].span.end <= line_end {
            e += 1;
        }
        let e = self.trim_end(e);
        let name = c + 1..e;
        let words = name.clone().filter(|&i| self.is_word(i)).count();
        if !(1..=6).contains(&words)
            || !name
                .clone()
                .all(|i| self.is_cap(i) || !self.is_word(i) && matches!(self.w(i), "." | "-"))
        {
            return None;
        }
        let content = self.span(open..close + 1)?;
        Some(self.found(
            Some(name.clone()),
            self.form_of(&name),
            c..c + 1,
            "say",
            content,
            si,
            Frame::Say,
        ))
    }

    /// A subject that is clearly someone, at the start of a sentence and
    /// before token `limit`: a personal pronoun, or a person's name with the
    /// capitalised title before it (`Mayor Ellen Park`). The phrase reader
    /// has no parts of speech, so this is what a participle's clause may
    /// safely take as its speaker.
    fn named_subject(&self, sent_start: usize, limit: usize) -> Option<Range<usize>> {
        let mut k = sent_start;
        while k < limit && (matches!(self.w(k), "but" | "and" | "so" | "yet") || !self.is_word(k)) {
            k += 1;
        }
        if k >= limit {
            return None;
        }
        if lexicon::pronoun(self.w(k)).is_some() && self.w(k) != "it" {
            return Some(k..k + 1);
        }
        let p = (k..limit.min(k + 4)).find(|&i| self.person[i])?;
        if !(k..p).all(|i| self.is_cap(i)) {
            return None;
        }
        let mut q = p;
        while q < limit && self.person[q] {
            q += 1;
        }
        Some(k..q)
    }

    /// The subject at the start of a sentence (after a leading conjunction
    /// or an introductory phrase ending in a comma), before token `limit`.
    fn sentence_subject(&self, sent_start: usize, limit: usize) -> Option<Range<usize>> {
        let mut k = sent_start;
        while k < limit
            && (matches!(self.w(k), "but" | "and" | "so" | "yet" | "still" | "then")
                || !self.is_word(k))
        {
            k += 1;
        }
        let w = self.w(k);
        if lexicon::is_preposition(w) || lexicon::is_aux_or_adverb(w) || lexicon::is_time_word(w) {
            let comma = (k..limit).find(|&i| self.w(i) == ",")?;
            k = comma + 1;
        }
        let np = self.right_np(k, limit)?;
        (np.end < limit).then_some(np)
    }

    /// Extends a quoted content over the quotations that follow it as
    /// sentences of their own in the same paragraph
    /// (`“…,” he said. “…”`).
    fn continue_quotes(&self, content: Span, sent_end: usize) -> Span {
        let mut content = content;
        let mut next = self
            .token_range_of(Span::new(content.end, content.end))
            .start
            .max(sent_end);
        while let Some(q) = self.quote_opening(next).and_then(|q| self.quotes.get(q)) {
            let gap_start = self
                .tokens
                .get(next.wrapping_sub(1))
                .map_or(0, |t| t.span.end);
            let gap = self.text.get(gap_start..q.span.start).unwrap_or("\n");
            let after = self.token_range_of(Span::new(q.span.end, q.span.end)).start;
            if next == 0 {
                break;
            }
            if gap.contains('\n') {
                // A new paragraph continues the speech only if it is
                // nothing but a quotation.
                let whole = after >= self.tokens.len()
                    || self
                        .text
                        .get(q.span.end..self.tokens[after].span.start)
                        .is_some_and(|g| g.contains('\n'));
                if !whole {
                    break;
                }
            }
            let last = after.saturating_sub(1);
            let stands_alone = after >= self.tokens.len()
                || self.sent_of.get(after) != self.sent_of.get(last)
                || self
                    .text
                    .get(q.span.end..self.tokens[after].span.start)
                    .is_some_and(|g| g.contains('\n'));
            if !stands_alone
                || self
                    .sent_of
                    .get(after)
                    .is_some_and(|&si| self.joined_start(si as usize).is_some())
            {
                break;
            }
            content = Span::new(content.start, q.span.end.max(content.end));
            next = after;
        }
        content
    }

    /// Where a new speaker's clause starts when token `i` is a strong cue
    /// with its own subject after a clause boundary (`, while NP said`,
    /// `and NP said`, `; NP said`), scanning no further left than `lo`.
    fn other_speaker(&self, i: usize, lo: usize) -> Option<usize> {
        let cue = lexicon::cue(self.w(i))?;
        if !cue.strong || self.quote_opening(i.checked_sub(1)?).is_some() {
            return None;
        }
        let np = self.left_np(i, lo + 1)?;
        let b = np.start.checked_sub(1)?;
        if matches!(
            self.w(b),
            "while" | "whereas" | "and" | "but" | ";" | "although"
        ) {
            let b = if b > lo && self.w(b - 1) == "," {
                b - 1
            } else {
                b
            };
            return (b > lo).then_some(b);
        }
        None
    }

    /// `Trump appeared poised to win`: no source; the content runs from the
    /// subject to the end of the clause.
    fn seem(
        &self,
        c: usize,
        cue: Range<usize>,
        lemma: &'static str,
        si: usize,
        sent: Range<usize>,
    ) -> Option<Found> {
        let np = self.left_np(c, sent.start)?;
        let stop = self.trim_end(sent.end);
        if stop <= cue.end || !self.has_words(cue.end, stop) {
            return None;
        }
        let content = Span::new(
            self.tokens.get(np.start)?.span.start,
            self.clause_or_quote(cue.end, stop).end,
        );
        Some(self.found(
            None,
            SourceForm::Unnamed,
            cue,
            lemma,
            content,
            si,
            Frame::Seem,
        ))
    }
}

/// The attribution found last (in the order found) whose cue starts before
/// a token, for a pass that asks about tokens in increasing order: what
/// `out.iter().rev().find(|f| f.cue.start < c)` answers, without scanning
/// every earlier result for every token (the second pass starts with all of
/// the first pass's results, which made long articles quadratic).
struct Latest {
    /// Results whose cue does not start before the last token asked about,
    /// by cue start.
    pending: std::collections::BinaryHeap<std::cmp::Reverse<(usize, usize)>>,
    /// The highest index among the others.
    best: Option<usize>,
    asked: usize,
}

impl Latest {
    fn new(out: &[Found]) -> Latest {
        Latest {
            pending: out
                .iter()
                .enumerate()
                .map(|(i, f)| std::cmp::Reverse((f.cue.start, i)))
                .collect(),
            best: None,
            asked: 0,
        }
    }

    fn push(&mut self, f: &Found, index: usize) {
        self.pending.push(std::cmp::Reverse((f.cue.start, index)));
    }

    fn before<'o>(&mut self, c: usize, out: &'o [Found]) -> Option<&'o Found> {
        if c < self.asked {
            // Tokens are asked about in order; should that ever change, the
            // answer is still the scan's.
            return out.iter().rev().find(|f| f.cue.start < c);
        }
        self.asked = c;
        while let Some(&std::cmp::Reverse((start, i))) = self.pending.peek() {
            if start >= c {
                break;
            }
            self.pending.pop();
            self.best = self.best.max(Some(i));
        }
        self.best.and_then(|i| out.get(i))
    }
}
