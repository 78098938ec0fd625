//! Referents: the people, organisations and places of one article, each with
//! every entity mention that names it, the roles and titles the article
//! gives it, and the descriptions that stand for it.
//!
//! `US Secretary of State Antony Blinken … Blinken, the U.S. top diplomat,
//! … the top diplomat said` is one referent, `Antony Blinken`, with the
//! mentions `Antony Blinken` and `Blinken`, the roles `US Secretary of
//! State` (title `secretary of state`, affiliation `US`) and `U.S. top
//! diplomat`, and the descriptions `the U.S. top diplomat` and `the top
//! diplomat`.
//!
//! What is read, without a parser:
//!
//! - **pre-nominal titles**: `Israeli Prime Minister Benjamin Netanyahu`,
//!   `CIA Director William Burns`, `Hamas leader Ismail Haniyeh`,
//!   `Secretary-General of the United Nations Antonio Guterres`;
//! - **a title before a comma and the name**: `Qatar's foreign minister,
//!   Sheikh Mohammed bin Abdulrahman Al Thani, said`;
//! - **appositives**: `Blinken, the U.S. top diplomat,`, `Haniyeh, the
//!   leader of Hamas,`;
//! - **aliasing** within the article: a surname (`Herzog`) or a shorter form
//!   (`Antony J. Blinken` / `Antony Blinken`) joins the nearest full name
//!   with the same last word; organisations and places join by their text
//!   without `the`; courtesy titles (`Mr.`) are ignored;
//! - **descriptions**: `the top diplomat`, `the prime minister`, `the
//!   group's spokesman` join the most recent referent holding a matching
//!   title; one with an affiliation and no match (`the group's spokesman`,
//!   the group resolved to `Hamas`) becomes a referent of its own.
//!
//! Everything is local and deterministic; cross-document merging of actors
//! happens later, in linking.

pub mod lexicon;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use storyline_core::Span;

use crate::ner::{EntityLabel, EntityMention};
use crate::sentence::Sentence;
use crate::token::{Lowered, Token, TokenKind};

/// A role or title given to a referent: `US Secretary of State`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// Where the role is written (without a leading article).
    pub span: Span,
    /// The role as written: `US Secretary of State`.
    pub text: String,
    /// The title, normalised: lower case, without the affiliation and
    /// without `former`, `then` or `late` (`secretary of state`).
    pub title: String,
    /// Whom the role is held for, as written (`US`, `Israeli`, `Qatar`,
    /// `Hamas`), when the article says.
    pub affiliation: Option<String>,
}

/// A noun phrase that refers to a referent without naming it:
/// `the U.S. top diplomat`, `the group's spokesman`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Description {
    /// Where it is.
    pub span: Span,
    /// The phrase as written.
    pub text: String,
}

/// One person, organisation or place of the article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referent {
    /// The fullest name the article gives (`Antony Blinken` for `Blinken`),
    /// without courtesy titles or a possessive; for a referent known only
    /// by a description, its affiliation and title (`Hamas spokesman`).
    pub name: String,
    /// Person, organisation, place or other.
    pub label: EntityLabel,
    /// Indices of its entity mentions in the article's entity list, in order.
    pub mentions: Vec<usize>,
    /// Roles and titles the article gives it, in order.
    pub roles: Vec<Role>,
    /// Descriptions that refer to it, in order.
    pub descriptions: Vec<Description>,
}

impl Referent {
    /// Whether `span` is one of this referent's descriptions or roles, or
    /// lies inside one.
    pub fn describes(&self, span: Span) -> bool {
        let within = |s: &Span| s.start <= span.start && span.end <= s.end;
        let overlaps = |s: &Span| s.start < span.end && span.start < s.end;
        self.descriptions
            .iter()
            .any(|d| within(&d.span) || overlaps(&d.span) && within(&span))
            || self.roles.iter().any(|r| within(&r.span))
    }
}

/// Which referent each entity mention belongs to (`None` for demonyms and
/// mentions no referent holds), indexed like the entity list of length `n`.
pub fn mention_referents(referents: &[Referent], n: usize) -> Vec<Option<usize>> {
    let mut out = vec![None; n];
    for (r, referent) in referents.iter().enumerate() {
        for &m in &referent.mentions {
            if let Some(slot) = out.get_mut(m) {
                *slot = Some(r);
            }
        }
    }
    out
}

/// The referent a phrase at `span` stands for: the referent of the last
/// entity mention inside it, else the referent one of whose descriptions or
/// roles covers it. `by_mention` is [`mention_referents`]. For many
/// lookups in one article, [`ReferentIndex`] gives the same answers
/// without a scan of every mention and referent per lookup.
pub fn referent_at(
    referents: &[Referent],
    entities: &[EntityMention],
    by_mention: &[Option<usize>],
    span: Span,
) -> Option<usize> {
    let inside = entities
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, e)| e.span.start >= span.start && e.span.end <= span.end)
        .find_map(|(i, _)| by_mention.get(i).copied().flatten());
    inside.or_else(|| referents.iter().position(|r| r.describes(span)))
}

/// [`referent_at`] for many lookups in one article: the mentions indexed
/// by position, and every description and role by where it starts, so a
/// lookup looks only at those that can hold or overlap the phrase (none is
/// longer than the longest), not at the whole article.
pub struct ReferentIndex<'a> {
    entities: &'a [EntityMention],
    by_mention: Vec<Option<usize>>,
    mentions: crate::mentions::Mentions,
    /// (start, end, referent, whether a description) by start.
    covers: Vec<(usize, usize, usize, bool)>,
    longest: usize,
}

impl<'a> ReferentIndex<'a> {
    /// Indexes the referents of an article and its entity mentions.
    pub fn new(referents: &'a [Referent], entities: &'a [EntityMention]) -> ReferentIndex<'a> {
        let mut covers = Vec::new();
        for (r, referent) in referents.iter().enumerate() {
            for d in &referent.descriptions {
                covers.push((d.span.start, d.span.end, r, true));
            }
            for role in &referent.roles {
                covers.push((role.span.start, role.span.end, r, false));
            }
        }
        covers.sort_unstable();
        let longest = covers
            .iter()
            .map(|&(s, e, _, _)| e.saturating_sub(s))
            .max()
            .unwrap_or(0);
        ReferentIndex {
            entities,
            by_mention: mention_referents(referents, entities.len()),
            mentions: crate::mentions::Mentions::of(entities),
            covers,
            longest,
        }
    }

    /// The referent a phrase at `span` stands for, as [`referent_at`].
    pub fn at(&self, span: Span) -> Option<usize> {
        let range = self.mentions.starting_in(span.start, span.end);
        let inside = self
            .entities
            .get(range.clone())
            .unwrap_or(&[])
            .iter()
            .zip(range)
            .rev()
            .filter(|(e, _)| e.span.start >= span.start && e.span.end <= span.end)
            .find_map(|(_, i)| self.by_mention.get(i).copied().flatten());
        inside.or_else(|| self.describer(span))
    }

    /// The first referent (in list order) that [`Referent::describes`]
    /// `span`: a description or role that holds it, or a description that
    /// overlaps it. Either starts no later than `span` ends, and no earlier
    /// than the longest one before `span` starts.
    fn describer(&self, span: Span) -> Option<usize> {
        let lo = span.start.min(span.end).saturating_sub(self.longest);
        let hi = span.start.max(span.end);
        let a = self.covers.partition_point(|c| c.0 < lo);
        let b = self.covers.partition_point(|c| c.0 <= hi);
        let within = |s: usize, e: usize| s <= span.start && span.end <= e;
        let overlaps = |s: usize, e: usize| s < span.end && span.start < e;
        self.covers
            .get(a..b.max(a))
            .unwrap_or(&[])
            .iter()
            .filter(|&&(s, e, _, description)| within(s, e) || description && overlaps(s, e))
            .map(|&(_, _, r, _)| r)
            .min()
    }
}

/// Finds the referents of one article, in order of first appearance.
///
/// `tokens`, `sentences` and `entities` are this crate's analyses of
/// `text`. Demonyms (`Israeli`) are not referents, but serve as
/// affiliations. Spans that do not fit `text` are skipped.
pub fn find_referents(
    text: &str,
    tokens: &[Token],
    sentences: &[Sentence],
    entities: &[EntityMention],
) -> Vec<Referent> {
    Finder::new(text, tokens, sentences, entities).run()
}

/// A referent under construction.
struct Draft {
    label: EntityLabel,
    /// Name words of the fullest name (lower case, for matching).
    words: Vec<String>,
    /// The fullest name as written.
    name: String,
    mentions: Vec<usize>,
    roles: Vec<Role>,
    descriptions: Vec<Description>,
    /// Byte offset where it is first mentioned.
    first: usize,
    /// Byte offsets of its mentions, roles and descriptions.
    seen: Vec<usize>,
}

impl Draft {
    fn last_before(&self, pos: usize) -> Option<usize> {
        self.seen.iter().copied().filter(|&p| p < pos).max()
    }
}

/// A parsed role phrase, before it is attached.
struct RolePhrase {
    role: Role,
}

struct Finder<'a> {
    text: &'a str,
    tokens: &'a [Token],
    entities: &'a [EntityMention],
    lower: Lowered,
    /// The entity each token belongs to. These per-token tables hold 32-bit
    /// indices: they are a large share of the analysis's peak memory, and
    /// 2^32 entities or sentences would take over 8 GiB of text, far past
    /// the 256 KiB analysis budget.
    ent_of: Vec<Option<u32>>,
    /// The sentence of each token (`u32::MAX` for none).
    sent_of: Vec<u32>,
    /// Token range of each entity's name (courtesy and role words that the
    /// tagger included are cut off); empty when nothing is left.
    name_part: Vec<Range<usize>>,
}

impl<'a> Finder<'a> {
    fn new(
        text: &'a str,
        tokens: &'a [Token],
        sentences: &[Sentence],
        entities: &'a [EntityMention],
    ) -> Finder<'a> {
        let n = tokens.len();
        let lower = Lowered::new(text, tokens);
        let mut ent_of = vec![None; n];
        let mut name_part = Vec::with_capacity(entities.len());
        for (i, e) in entities.iter().enumerate() {
            let r = e.tokens.start.min(n)..e.tokens.end.min(n);
            let ok = e.span.slice(text).is_some() && r.start < r.end;
            if ok {
                for slot in &mut ent_of[r.clone()] {
                    *slot = u32::try_from(i).ok();
                }
            }
            let mut s = r.start;
            if ok && e.label == EntityLabel::Per {
                while s < r.end
                    && (lexicon::is_honorific(&lower[s])
                        || lexicon::is_head(&lower[s])
                        || lexicon::is_modifier(&lower[s]))
                {
                    s += 1;
                }
            }
            let mut end = r.end;
            while end > s && matches!(&lower[end - 1], "'s" | "'") {
                end -= 1;
            }
            name_part.push(if ok { s..end } else { 0..0 });
        }
        let mut sent_of = vec![u32::MAX; n];
        for (si, s) in sentences.iter().enumerate() {
            let si = u32::try_from(si).unwrap_or(u32::MAX);
            for slot in
                &mut sent_of[s.tokens.start.min(n)..s.tokens.end.min(n).max(s.tokens.start.min(n))]
            {
                *slot = si;
            }
        }
        Finder {
            text,
            tokens,
            entities,
            lower,
            ent_of,
            sent_of,
            name_part,
        }
    }

    fn w(&self, i: usize) -> &str {
        self.lower.get(i).unwrap_or("")
    }

    fn is_word(&self, i: usize) -> bool {
        self.tokens
            .get(i)
            .is_some_and(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
    }

    fn is_possessive(&self, i: usize) -> bool {
        matches!(self.w(i), "'s" | "'")
    }

    fn span(&self, r: Range<usize>) -> Option<Span> {
        if r.start >= r.end {
            return None;
        }
        let a = self.tokens.get(r.start)?;
        let b = self.tokens.get(r.end - 1)?;
        Some(Span::new(a.span.start, b.span.end))
    }

    fn slice(&self, r: Range<usize>) -> Option<String> {
        self.span(r)?.slice(self.text).map(str::to_string)
    }

    /// Whether token `i` is in a name that can be an affiliation (an
    /// organisation, a place, a demonym).
    fn affiliation_entity(&self, i: usize) -> Option<usize> {
        let e = self.ent_of.get(i).copied().flatten()? as usize;
        let x = self.entities.get(e)?;
        // `Trump's spokesman`: a person's possessive is an affiliation too.
        (x.label != EntityLabel::Per || self.is_possessive(x.tokens.end)).then_some(e)
    }

    fn run(&self) -> Vec<Referent> {
        let mut drafts: Vec<Draft> = Vec::new();
        let mut of_mention: Vec<Option<usize>> = vec![None; self.entities.len()];
        self.cluster(&mut drafts, &mut of_mention);
        self.roles(&mut drafts, &of_mention);
        self.descriptions(&mut drafts);
        drafts.sort_by_key(|d| d.first);
        drafts
            .into_iter()
            .map(|mut d| {
                d.mentions.sort_unstable();
                d.roles.sort_by_key(|r| r.span.start);
                d.roles.dedup();
                d.descriptions.sort_by_key(|x| x.span.start);
                d.descriptions.dedup();
                Referent {
                    name: d.name,
                    label: d.label,
                    mentions: d.mentions,
                    roles: d.roles,
                    descriptions: d.descriptions,
                }
            })
            .collect()
    }

    /// The name words of entity `i` (lower case, dots and possessives off).
    fn name_words(&self, i: usize) -> Vec<String> {
        self.name_part[i]
            .clone()
            .filter(|&t| self.is_word(t))
            .map(|t| self.w(t).trim_end_matches('.').to_string())
            .filter(|w| !w.is_empty())
            .collect()
    }

    /// Groups entity mentions into referents: full names first, then
    /// surnames and other single words to the nearest full name sharing
    /// their last (or first) word.
    fn cluster(&self, drafts: &mut Vec<Draft>, of_mention: &mut [Option<usize>]) {
        let mut by_key: HashMap<(EntityLabel, String), usize> = HashMap::new();
        let new = |drafts: &mut Vec<Draft>, i: usize, words: Vec<String>, name: String| {
            let e = &self.entities[i];
            drafts.push(Draft {
                label: e.label,
                words,
                name,
                mentions: vec![i],
                roles: Vec::new(),
                descriptions: Vec::new(),
                first: e.span.start,
                seen: vec![e.span.start],
            });
            drafts.len() - 1
        };
        let mut singles = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            if e.demonym || self.name_part[i].is_empty() {
                continue;
            }
            let Some(name) = self.slice(self.name_part[i].clone()) else {
                continue;
            };
            let words = self.name_words(i);
            if words.is_empty() {
                continue;
            }
            if e.label != EntityLabel::Per {
                let key = words
                    .iter()
                    .skip_while(|w| *w == "the")
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                let d = match by_key.get(&(e.label, key.clone())) {
                    Some(&d) => {
                        drafts[d].mentions.push(i);
                        drafts[d].seen.push(e.span.start);
                        d
                    }
                    None => {
                        let d = new(drafts, i, words, name);
                        by_key.insert((e.label, key), d);
                        d
                    }
                };
                of_mention[i] = Some(d);
                continue;
            }
            if words.len() == 1 {
                singles.push(i);
                continue;
            }
            // `Antony J. Blinken` and `Antony Blinken`: same first and last word.
            let same = drafts.iter().rposition(|d| {
                d.label == EntityLabel::Per
                    && d.words.last() == words.last()
                    && (d.words.first() == words.first()
                        || is_subsequence(&d.words, &words)
                        || is_subsequence(&words, &d.words))
            });
            let d = match same {
                Some(d) => {
                    let dr = &mut drafts[d];
                    dr.mentions.push(i);
                    dr.seen.push(e.span.start);
                    if words.len() > dr.words.len() {
                        dr.words = words;
                        dr.name = name;
                    }
                    d
                }
                None => new(drafts, i, words, name),
            };
            of_mention[i] = Some(d);
        }
        // Single words: the nearest full name before with that last word,
        // else the first one after, else the first name; else their own.
        for i in singles {
            let e = &self.entities[i];
            let words = self.name_words(i);
            let Some(w) = words.first() else { continue };
            let pick = |by_first: bool| {
                let cands: Vec<usize> = (0..drafts.len())
                    .filter(|&d| {
                        let dw = &drafts[d].words;
                        drafts[d].label == EntityLabel::Per
                            && dw.len() > 1
                            && if by_first {
                                dw.first() == Some(w)
                            } else {
                                dw.last() == Some(w)
                            }
                    })
                    .collect();
                cands
                    .iter()
                    .copied()
                    .filter_map(|d| drafts[d].last_before(e.span.start).map(|p| (p, d)))
                    .max()
                    .map(|(_, d)| d)
                    .or_else(|| cands.iter().copied().min_by_key(|&d| drafts[d].first))
            };
            let d = match pick(false).or_else(|| pick(true)) {
                Some(d) => d,
                None => match by_key.get(&(EntityLabel::Per, w.clone())) {
                    Some(&d) => d,
                    None => {
                        let Some(name) = self.slice(self.name_part[i].clone()) else {
                            continue;
                        };
                        let d = new(drafts, i, words.clone(), name);
                        by_key.insert((EntityLabel::Per, w.clone()), d);
                        of_mention[i] = Some(d);
                        continue;
                    }
                },
            };
            drafts[d].mentions.push(i);
            drafts[d].seen.push(e.span.start);
            drafts[d].first = drafts[d].first.min(e.span.start);
            of_mention[i] = Some(d);
        }
    }

    /// Reads a role phrase over tokens `r` (article and possessives
    /// included): the affiliation (a name, a possessive, `of ORG`) and the
    /// normalised title. `None` unless the phrase holds a title head.
    fn parse_role(&self, r: Range<usize>, before: usize) -> Option<RolePhrase> {
        let mut start = r.start;
        while start < r.end && matches!(self.w(start), "the" | "a" | "an" | "," | "its" | "their") {
            start += 1;
        }
        let end = r.end;
        if start >= end || !(start..end).any(|i| lexicon::is_head(self.w(i))) {
            return None;
        }
        let mut affiliation: Option<String> = None;
        let mut title: Vec<&str> = Vec::new();
        let mut i = start;
        while i < end {
            let w = self.w(i);
            if let Some(e) = self.affiliation_entity(i) {
                let er = self.entities[e].tokens.clone();
                let stop = er.end.min(end);
                if affiliation.is_none() {
                    affiliation = self.slice(er.start.max(i)..stop);
                }
                i = stop;
                continue;
            }
            if self.is_possessive(i) {
                i += 1;
                continue;
            }
            if lexicon::is_group_noun(w) && self.is_possessive(i + 1) {
                // `the group's spokesman`: the organisation named before.
                if affiliation.is_none() {
                    affiliation = self.group_before(before, w).or_else(|| {
                        Some(self.slice(i..i + 1).unwrap_or_default()).filter(|s| !s.is_empty())
                    });
                }
                i += 2;
                continue;
            }
            if lexicon::is_affiliation_word(w)
                && !(lexicon::is_head(w) || lexicon::is_modifier(w) && !title.is_empty())
            {
                if affiliation.is_none() {
                    affiliation = self.slice(i..i + 1);
                }
                i += 1;
                continue;
            }
            if w == "of" && self.affiliation_entity(i + 1).is_some()
                || w == "of" && self.w(i + 1) == "the" && self.affiliation_entity(i + 2).is_some()
            {
                i += 1;
                continue;
            }
            if matches!(w, "the" | "a" | "an") || lexicon::is_time_modifier(w) {
                i += 1;
                continue;
            }
            if self.is_word(i) {
                title.push(w);
            }
            i += 1;
        }
        while title.last().is_some_and(|w| *w == "of") {
            title.pop();
        }
        if !title.iter().any(|w| lexicon::is_head(w)) {
            return None;
        }
        let span = self.span(start..end)?;
        Some(RolePhrase {
            role: Role {
                span,
                text: span.slice(self.text)?.to_string(),
                title: title.join(" "),
                affiliation,
            },
        })
    }

    /// The organisation (or, for `country`, `government`, `kingdom`, the
    /// place) mentioned last before token `before`.
    fn group_before(&self, before: usize, noun: &str) -> Option<String> {
        let want: &[EntityLabel] = if matches!(noun, "country" | "government" | "kingdom") {
            &[EntityLabel::Loc, EntityLabel::Org]
        } else {
            &[EntityLabel::Org]
        };
        let e = self
            .entities
            .iter()
            .rev()
            .find(|e| e.tokens.end <= before && !e.demonym && want.contains(&e.label))?;
        let text = e.span.slice(self.text)?;
        Some(
            text.trim_end_matches("'s")
                .trim_end_matches("\u{2019}s")
                .to_string(),
        )
    }

    /// Scans left from token `k` (exclusive) over a role phrase before a
    /// name: title words, affiliations, possessives, `of [the] ORG`.
    fn role_left(&self, k: usize) -> Option<Range<usize>> {
        let lo = k.saturating_sub(12);
        let sent = self.sent_of.get(k.checked_sub(1)?).copied();
        let mut s = k;
        while s > lo {
            let p = s - 1;
            if self.sent_of.get(p).copied() != sent {
                break;
            }
            let w = self.w(p);
            if let Some(e) = self.affiliation_entity(p) {
                s = self.entities[e].tokens.start.max(lo);
                continue;
            }
            if lexicon::is_head(w)
                || lexicon::is_modifier(w)
                || lexicon::is_affiliation_word(w)
                || self.is_possessive(p)
                || (w == "of" && s < k)
                || (matches!(w, "the") && s < k)
                || (lexicon::is_group_noun(w) && self.is_possessive(p + 1))
            {
                s = p;
                continue;
            }
            break;
        }
        // The phrase must end in a title word, right before `k`, and hold a
        // head (`Secretary of State`, `Attorney General`).
        let last = self.w(k.checked_sub(1)?);
        let of_name = self.affiliation_entity(k - 1).is_some_and(|e| {
            let st = self.entities[e].tokens.start;
            st > 0
                && (self.w(st - 1) == "of"
                    || self.w(st - 1) == "the" && self.w(st.wrapping_sub(2)) == "of")
        });
        if !(lexicon::is_head(last) || lexicon::is_modifier(last) || of_name)
            || !(s..k).any(|i| lexicon::is_head(self.w(i)))
        {
            return None;
        }
        // Drop a dangling `of`/`the`/possessive at the left edge.
        while s < k && (matches!(self.w(s), "of") || self.is_possessive(s)) {
            s += 1;
        }
        (s < k).then_some(s..k)
    }

    /// Roles before, around and after each person's name.
    fn roles(&self, drafts: &mut [Draft], of_mention: &[Option<usize>]) {
        for (i, e) in self.entities.iter().enumerate() {
            if e.label != EntityLabel::Per {
                continue;
            }
            let Some(d) = of_mention[i] else { continue };
            let mut name = self.name_part[i].clone();
            if name.is_empty() {
                continue;
            }
            // Courtesy words left of the tagged name (`Sheikh`, `Mr.`).
            while name.start > 0 && lexicon::is_honorific(self.w(name.start - 1)) {
                name.start -= 1;
            }
            // `Prime Minister Benjamin Netanyahu` (the title may be inside
            // the tagged mention).
            if let Some(r) = self.role_left(name.start) {
                if let Some(p) = self.parse_role(r, name.start) {
                    drafts[d].roles.push(p.role);
                }
            } else if name.start >= 2 && self.w(name.start - 1) == "," {
                // `Qatar's foreign minister, Sheikh Mohammed …`
                if let Some(r) = self.role_left(name.start - 1) {
                    let opener = r.start == 0
                        || self.sent_of.get(r.start - 1) != self.sent_of.get(r.start)
                        || !self.is_word(r.start - 1)
                        || matches!(self.w(r.start - 1), "the" | "by" | "and" | "with" | "said");
                    let starts_like_role = matches!(self.w(r.start), "the")
                        || self.affiliation_entity(r.start).is_some()
                        || lexicon::is_affiliation_word(self.w(r.start))
                        || self.tokens[r.start]
                            .text(self.text)
                            .starts_with(char::is_uppercase)
                        || lexicon::is_modifier(self.w(r.start))
                        || lexicon::is_head(self.w(r.start));
                    if opener && starts_like_role {
                        let r = if r.start > 0 && self.w(r.start - 1) == "the" {
                            r.start - 1..r.end
                        } else {
                            r
                        };
                        if let Some(p) = self.parse_role(r.clone(), name.start) {
                            if let Some(desc) = self.description_of(r) {
                                drafts[d].descriptions.push(desc);
                            }
                            drafts[d].roles.push(p.role);
                        }
                    }
                }
            }
            // `Blinken, the U.S. top diplomat,` / `Haniyeh, the leader of Hamas,`
            let end = e.tokens.end;
            if self.w(end) == "," {
                if let Some(r) = self.appositive(end + 1) {
                    if let Some(p) = self.parse_role(r.clone(), end) {
                        if matches!(self.w(r.start), "the" | "a" | "an") {
                            if let Some(desc) = self.description_of(r) {
                                drafts[d].descriptions.push(desc);
                            }
                        }
                        drafts[d].roles.push(p.role);
                    }
                }
            }
        }
    }

    fn description_of(&self, r: Range<usize>) -> Option<Description> {
        let span = self.span(r)?;
        Some(Description {
            span,
            text: span.slice(self.text)?.to_string(),
        })
    }

    /// The appositive starting at token `k` (after a name and a comma): a
    /// phrase up to the next comma or the sentence end that holds a title
    /// head, all of whose words after the head are `of` and a name.
    fn appositive(&self, k: usize) -> Option<Range<usize>> {
        let sent = self.sent_of.get(k).copied()?;
        let mut e = k;
        while e < self.tokens.len()
            && e - k < 14
            && self.sent_of.get(e) == Some(&sent)
            && !matches!(
                self.w(e),
                "," | "." | ";" | ":" | ")" | "(" | "who" | "which" | "--" | "\u{2014}"
            )
            && (self.is_word(e) || self.is_possessive(e))
        {
            e += 1;
        }
        if e == k || e - k >= 14 {
            return None;
        }
        let first = self.w(k);
        let starts = matches!(first, "the" | "a" | "an" | "its" | "their")
            || self.affiliation_entity(k).is_some()
            || lexicon::is_affiliation_word(first)
            || lexicon::is_head(first)
            || lexicon::is_modifier(first);
        if !starts {
            return None;
        }
        let head = (k..e).rev().find(|&i| lexicon::is_head(self.w(i)))?;
        // After the head only `of [the] NAME` (or more title words).
        let mut i = head + 1;
        while i < e {
            let w = self.w(i);
            if w == "of" || w == "the" || lexicon::is_modifier(w) {
                i += 1;
            } else if let Some(x) = self.affiliation_entity(i) {
                i = self.entities[x].tokens.end.max(i + 1);
            } else {
                return None;
            }
        }
        // Every word before the head must fit a title.
        let fits = (k..head).all(|i| {
            let w = self.w(i);
            matches!(w, "the" | "a" | "an" | "its" | "their" | "of")
                || lexicon::is_head(w)
                || lexicon::is_modifier(w)
                || lexicon::is_affiliation_word(w)
                || self.affiliation_entity(i).is_some()
                || self.is_possessive(i)
                || lexicon::is_group_noun(w) && self.is_possessive(i + 1)
                || matches!(
                    w,
                    "longtime" | "long-time" | "veteran" | "new" | "powerful" | "influential"
                )
        });
        fits.then_some(k..e)
    }

    /// Definite descriptions elsewhere (`the top diplomat`, `the group's
    /// spokesman`, `the Israeli leader`): joined to the latest referent with
    /// a matching title, or made referents of their own when they name an
    /// affiliation and nothing matches.
    fn descriptions(&self, drafts: &mut Vec<Draft>) {
        let taken: Vec<Span> = drafts
            .iter()
            .flat_map(|d| {
                d.roles
                    .iter()
                    .map(|r| r.span)
                    .chain(d.descriptions.iter().map(|x| x.span))
            })
            .collect();
        let n = self.tokens.len();
        let mut i = 0;
        while i < n {
            if self.w(i) != "the" {
                i += 1;
                continue;
            }
            // Extend over title words, affiliations and possessives.
            let mut e = i + 1;
            while e < n && e - i < 8 {
                let w = self.w(e);
                if let Some(x) = self.affiliation_entity(e) {
                    e = self.entities[x].tokens.end.max(e + 1);
                } else if lexicon::is_head(w)
                    || lexicon::is_modifier(w)
                    || lexicon::is_affiliation_word(w)
                    || (self.is_possessive(e) && e > i + 1)
                    || (lexicon::is_group_noun(w) && self.is_possessive(e + 1))
                {
                    e += 1;
                } else {
                    break;
                }
            }
            // Must end in a head, and not run on into a name (`the prime
            // minister Benjamin Netanyahu` is a role, read above).
            let ends_in_head = e > i + 1 && lexicon::is_head(self.w(e - 1));
            let named_next = self
                .ent_of
                .get(e)
                .copied()
                .flatten()
                .map(|x| x as usize)
                .is_some_and(|x| self.entities[x].label == EntityLabel::Per);
            let Some(span) = self.span(i..e) else {
                i += 1;
                continue;
            };
            if !ends_in_head
                || named_next
                || self.w(e) == "of"
                || taken
                    .iter()
                    .any(|t| t.start < span.end && span.start < t.end)
            {
                i = e.max(i + 1);
                continue;
            }
            let Some(p) = self.parse_role(i..e, i) else {
                i = e;
                continue;
            };
            let Some(desc) = self.description_of(i..e) else {
                i = e;
                continue;
            };
            let title = p.role.title.clone();
            let aff = p.role.affiliation.clone();
            let compatible = |r: &Role| {
                lexicon::titles_match(&title, &r.title)
                    && match (&aff, &r.affiliation) {
                        (Some(a), Some(b)) => same_affiliation(a, b),
                        (Some(_), None) => false,
                        _ => true,
                    }
            };
            // An exact title beats a synonym; then the latest referent.
            let best = drafts
                .iter()
                .enumerate()
                .filter(|(_, d)| d.roles.iter().any(&compatible))
                .filter_map(|(k, d)| {
                    let exact = d.roles.iter().any(|r| r.title == title);
                    d.last_before(span.start).map(|p| (exact, p, k))
                })
                .max()
                .map(|(_, _, k)| k);
            match best {
                Some(k) => {
                    drafts[k].descriptions.push(desc);
                    drafts[k].seen.push(span.start);
                }
                None if aff.is_some() => {
                    let name = match &aff {
                        Some(a) => format!("{a} {title}"),
                        None => title.clone(),
                    };
                    drafts.push(Draft {
                        label: EntityLabel::Per,
                        words: Vec::new(),
                        name,
                        mentions: Vec::new(),
                        roles: vec![p.role],
                        descriptions: vec![desc],
                        first: span.start,
                        seen: vec![span.start],
                    });
                }
                None => {}
            }
            i = e;
        }
    }
}

/// `US` and `U.S.`, `Israeli` and `Israel`: the same affiliation.
fn same_affiliation(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let l = crate::figures::words::fold(s).replace('.', "");
        let l = l.trim_end_matches("'s").to_string();
        match crate::events::country_of(&l) {
            Some(c) => c.to_lowercase(),
            None => l,
        }
    };
    norm(a) == norm(b)
}

fn is_subsequence(short: &[String], long: &[String]) -> bool {
    let mut it = long.iter();
    short.len() < long.len() && short.iter().all(|w| it.any(|x| x == w))
}
