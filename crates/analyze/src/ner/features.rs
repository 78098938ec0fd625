//! Feature extraction for the entity tagger, shared by training and tagging
//! so the two can never disagree.
//!
//! Features are 64-bit hashes of (template, value); the model stores only the
//! hashes it kept, so no feature strings are ever built or stored.

use std::collections::HashMap;

use super::{EntityLabel, Tag};

/// Bumped whenever a template changes: a model trained with other features
/// must not load (its weights would be silently meaningless).
pub(crate) const FEATURE_VERSION: u32 = 4;

/// Longest gazetteer entry, in tokens.
pub(crate) const GAZ_MAX_LEN: usize = 6;

pub(crate) const fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

fn feat(template: u8, value: u64) -> u64 {
    mix(value ^ (u64::from(template) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

fn feat2(template: u8, a: u64, b: u64) -> u64 {
    feat(template, mix(a ^ 0x5555_0000_aaaa).wrapping_add(b))
}

fn feat3(template: u8, a: u64, b: u64, c: u64) -> u64 {
    feat(
        template,
        mix(mix(a ^ 0x1357).wrapping_add(b) ^ 0x2468).wrapping_add(c),
    )
}

/// Hash of a lowercase token sequence, the gazetteer key.
pub(crate) fn seq_hash(lowers: &[u64]) -> u64 {
    let mut h = 0x0123_4567_89ab_cdefu64;
    for &l in lowers {
        h = mix(h ^ l).wrapping_add(0x9E37_79B9);
    }
    h
}

/// Case pattern of a token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Case {
    Lower,
    Title,
    Upper,
    Mixed,
    None,
}

fn case_of(w: &str) -> Case {
    let mut upper = 0usize;
    let mut lower = 0usize;
    let mut first_upper = false;
    for (i, c) in w.chars().enumerate() {
        if c.is_uppercase() {
            upper += 1;
            if i == 0 {
                first_upper = true;
            }
        } else if c.is_lowercase() {
            lower += 1;
        }
    }
    match (upper, lower) {
        (0, 0) => Case::None,
        (0, _) => Case::Lower,
        (_, 0) => Case::Upper,
        _ if first_upper && upper == 1 => Case::Title,
        _ => Case::Mixed,
    }
}

/// Per-token attributes computed once per token.
#[derive(Clone, Copy)]
pub(crate) struct Attrs {
    form: u64,
    pub(crate) lower: u64,
    shape: u64,
    short_shape: u64,
    prefix: [u64; 4],
    suffix: [u64; 4],
    case: Case,
    has_digit: bool,
    len_bucket: u64,
}

fn shapes(w: &str) -> (String, String) {
    let mut full = String::with_capacity(w.len());
    let mut short = String::with_capacity(8);
    let mut last = '\0';
    let mut run = 0usize;
    for c in w.chars() {
        let s = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() || c.is_alphabetic() {
            'x'
        } else if c.is_numeric() {
            'd'
        } else {
            c
        };
        if s == last {
            run += 1;
        } else {
            run = 1;
            short.push(s);
        }
        if run <= 4 {
            full.push(s);
        }
        last = s;
    }
    (full, short)
}

fn attrs(w: &str) -> Attrs {
    let lower = w.to_lowercase();
    let (full, short) = shapes(w);
    let mut prefix = [0u64; 4];
    let mut suffix = [0u64; 4];
    let idx: Vec<usize> = lower.char_indices().map(|(i, _)| i).collect();
    let n = idx.len();
    for k in 0..4 {
        if k < n {
            let end = if k + 1 < n { idx[k + 1] } else { lower.len() };
            prefix[k] = hash_bytes(&lower.as_bytes()[..end]);
            suffix[k] = hash_bytes(&lower.as_bytes()[idx[n - 1 - k]..]);
        }
    }
    Attrs {
        form: hash_bytes(w.as_bytes()),
        lower: hash_bytes(lower.as_bytes()),
        shape: hash_bytes(full.as_bytes()),
        short_shape: hash_bytes(short.as_bytes()),
        prefix,
        suffix,
        case: case_of(w),
        has_digit: w.chars().any(|c| c.is_ascii_digit()),
        len_bucket: n.min(12) as u64,
    }
}

const NONE: u64 = 0x0bad_cafe;
const START: u64 = 0x5741_5254;
const END: u64 = 0x0045_4e44;

/// Gazetteer bits per token: for each label, (single-token match, starts a
/// longer match, inside a longer match).
pub(crate) type GazBits = u16;

/// Static (prediction-independent) features of one document.
pub(crate) struct DocFeatures<'d> {
    /// The sentences, in model form.
    doc: &'d [&'d [&'d str]],
    /// Per sentence: written as a headline (all capitals)?
    headline: Vec<bool>,
    /// How each word is cased elsewhere in the document.
    seen: HashMap<u64, u8>,
    /// Lowercase hash per token, the key of the prediction history.
    pub(crate) lowers: Vec<Vec<u64>>,
    /// Whether the token can carry a name (has an uppercase letter).
    pub(crate) capitalised: Vec<Vec<bool>>,
}

/// Word knowledge the features consult: the gazetteer and word classes.
pub(crate) trait Lexicon {
    /// A lowercase sequence hash to a label mask (bit `label.index()`), `0` when absent.
    fn gazetteer(&self, seq: u64) -> u8;
    /// A form hash to its (coarse, fine) word classes, when clustered.
    fn classes(&self, form: u64) -> Option<[u16; 2]>;
    /// Whether to leave out the token's own identity features. Training
    /// hides rare words so the weights of shape, affix, class and context
    /// features learn to handle words the model has never seen.
    fn hide_identity(&self, _lower: u64) -> bool {
        false
    }
}

fn gazetteer_bits(lowers: &[u64], gaz: &dyn Lexicon) -> Vec<GazBits> {
    let n = lowers.len();
    let mut bits = vec![0u16; n];
    for i in 0..n {
        for len in 1..=GAZ_MAX_LEN.min(n - i) {
            let mask = gaz.gazetteer(seq_hash(&lowers[i..i + len]));
            if mask == 0 {
                continue;
            }
            for label in EntityLabel::ALL {
                if mask & (1 << label.index()) == 0 {
                    continue;
                }
                let base = label.index() * 3;
                if len == 1 {
                    bits[i] |= 1 << base;
                } else {
                    bits[i] |= 1 << (base + 1);
                    for b in &mut bits[i + 1..i + len] {
                        *b |= 1 << (base + 2);
                    }
                }
            }
        }
    }
    bits
}

/// Templates. Values are arbitrary but must stay stable within a
/// [`FEATURE_VERSION`].
mod t {
    pub const BIAS: u8 = 0;
    pub const FORM: u8 = 1;
    pub const LOWER: u8 = 2;
    pub const SHAPE: u8 = 3;
    pub const SSHAPE: u8 = 4;
    pub const PREFIX: u8 = 5; // + k (4)
    pub const SUFFIX: u8 = 9; // + k (4)
    pub const LOWER_AT: u8 = 13; // -2, -1, +1, +2
    pub const SSHAPE_AT: u8 = 17; // -2, -1, +1, +2
    pub const SS_BI_L: u8 = 21;
    pub const SS_BI_R: u8 = 22;
    pub const SS_TRI: u8 = 23;
    pub const LW_BI_L: u8 = 24;
    pub const LW_BI_R: u8 = 25;
    pub const LW_M1_SS: u8 = 26;
    pub const SS_LW_P1: u8 = 27;
    pub const FIRST_SS: u8 = 28;
    pub const HEAD_LW: u8 = 29;
    pub const HEAD_SS: u8 = 30;
    pub const GAZ: u8 = 31;
    pub const GAZ_CASE: u8 = 32;
    pub const DOC_CASE: u8 = 33;
    pub const HIST_MAJ: u8 = 34;
    pub const HIST_ANY: u8 = 35;
    pub const FORM_M1: u8 = 36;
    pub const FORM_P1: u8 = 37;
    pub const GAZ_CTX: u8 = 38;
    pub const LEN_CASE: u8 = 39;
    pub const DIGIT_SS: u8 = 40;
    pub const HIST_MAJ_CASE: u8 = 41;
    pub const SUFFIX_M1: u8 = 42;
    pub const SUFFIX_P1: u8 = 43;
    pub const CLASS: u8 = 44; // + granularity (2)
    pub const CLASS_M1: u8 = 46; // + granularity (2)
    pub const CLASS_P1: u8 = 48; // + granularity (2)
    pub const CLASS_SS: u8 = 50;
    pub const CLASS_BI: u8 = 51;
}

/// Reads what the static features of a document are made of: `doc`
/// holds sentences of tokens in model form ([`crate::model_form`]). The
/// features themselves are made a sentence at a time by
/// [`DocFeatures::sentence`]: held for a whole document they took some 500
/// bytes per token, two thirds of the analysis's peak memory on long texts.
pub(crate) fn doc_features<'d>(doc: &'d [&'d [&'d str]]) -> DocFeatures<'d> {
    // Each sentence's attributes are made here for the document-wide
    // facts (headlines, casing elsewhere) and made again when its features
    // are: kept for the whole document they took some 120 bytes per token.
    let mut headline = Vec::with_capacity(doc.len());
    let mut lowers = Vec::with_capacity(doc.len());
    let mut capitalised = Vec::with_capacity(doc.len());
    let mut seen: HashMap<u64, u8> = HashMap::new();
    let mut s: Vec<Attrs> = Vec::new();
    for words in doc {
        s.clear();
        s.extend(words.iter().map(|w| attrs(w)));
        let letters = s.iter().filter(|a| a.case != Case::None).count();
        let head = letters >= 1
            && s.iter().all(|a| matches!(a.case, Case::Upper | Case::None))
            && s.iter().any(|a| a.case == Case::Upper && a.len_bucket > 1);
        // How each word is cased elsewhere in the document.
        for (i, a) in s.iter().enumerate() {
            let bit = match a.case {
                Case::Lower => 1,
                Case::Title | Case::Mixed if i > 0 && !head => 2,
                Case::Upper if !head => 4,
                _ => 0,
            };
            *seen.entry(a.lower).or_insert(0) |= bit;
        }
        headline.push(head);
        lowers.push(s.iter().map(|a| a.lower).collect());
        capitalised.push(
            s.iter()
                .map(|a| matches!(a.case, Case::Title | Case::Upper | Case::Mixed))
                .collect(),
        );
    }
    DocFeatures {
        doc,
        headline,
        seen,
        lowers,
        capitalised,
    }
}

impl DocFeatures<'_> {
    /// The number of sentences.
    pub(crate) fn len(&self) -> usize {
        self.doc.len()
    }

    /// Sentence `si`'s static feature hashes, per token.
    pub(crate) fn sentence(&self, si: usize, gaz: &dyn Lexicon) -> Vec<Vec<u64>> {
        let s: Vec<Attrs> = self.doc[si].iter().map(|w| attrs(w)).collect();
        let s = &s;
        let seen = &self.seen;
        let headline = &self.headline;
        let gbits = gazetteer_bits(&self.lowers[si], gaz);
        let n = s.len();
        let lw = |k: isize| -> u64 {
            if k < 0 {
                START.wrapping_add(k as u64)
            } else if k as usize >= n {
                END.wrapping_add(k as u64 - n as u64)
            } else {
                s[k as usize].lower
            }
        };
        let ss = |k: isize| -> u64 {
            if k < 0 {
                START
            } else if k as usize >= n {
                END
            } else {
                s[k as usize].short_shape
            }
        };
        let head = headline[si];
        const NO_CLASS: [u64; 2] = [0xFFFF_0001, 0xFFFF_0002];
        let classes: Vec<[u64; 2]> = s
            .iter()
            .map(|a| {
                gaz.classes(a.form)
                    .map_or(NO_CLASS, |c| [u64::from(c[0]), u64::from(c[1])])
            })
            .collect();
        let class_at = |k: isize, g: usize| -> u64 {
            if k < 0 {
                START
            } else if k as usize >= n {
                END
            } else {
                classes[k as usize][g]
            }
        };
        let mut sent_feats = Vec::with_capacity(n);
        for (i, a) in s.iter().enumerate() {
            let k = i as isize;
            let mut f = Vec::with_capacity(64);
            f.push(feat(t::BIAS, 0));
            let hide = gaz.hide_identity(a.lower);
            if !hide {
                f.push(feat(t::LOWER, a.lower));
            }
            f.push(feat(t::SSHAPE, a.short_shape));
            f.push(feat(t::SHAPE, a.shape));
            if !head && !hide {
                f.push(feat(t::FORM, a.form));
            }
            for j in 0..4 {
                if a.prefix[j] != 0 {
                    f.push(feat(t::PREFIX + j as u8, a.prefix[j]));
                    f.push(feat(t::SUFFIX + j as u8, a.suffix[j]));
                }
            }
            for (j, off) in [-2isize, -1, 1, 2].into_iter().enumerate() {
                f.push(feat(t::LOWER_AT + j as u8, lw(k + off)));
                f.push(feat(t::SSHAPE_AT + j as u8, ss(k + off)));
            }
            f.push(feat2(t::SS_BI_L, ss(k - 1), a.short_shape));
            f.push(feat2(t::SS_BI_R, a.short_shape, ss(k + 1)));
            f.push(feat3(t::SS_TRI, ss(k - 1), a.short_shape, ss(k + 1)));
            if !hide {
                f.push(feat2(t::LW_BI_L, lw(k - 1), a.lower));
                f.push(feat2(t::LW_BI_R, a.lower, lw(k + 1)));
            }
            f.push(feat2(t::LW_M1_SS, lw(k - 1), a.short_shape));
            f.push(feat2(t::SS_LW_P1, a.short_shape, lw(k + 1)));
            if i == 0 {
                f.push(feat(t::FIRST_SS, a.short_shape));
            }
            if head && !hide {
                f.push(feat(t::HEAD_LW, a.lower));
                f.push(feat(t::HEAD_SS, a.short_shape));
            }
            if !head {
                let form_at = |k: isize| -> u64 {
                    if k < 0 || k as usize >= n {
                        NONE
                    } else {
                        s[k as usize].form
                    }
                };
                f.push(feat(t::FORM_M1, form_at(k - 1)));
                f.push(feat(t::FORM_P1, form_at(k + 1)));
            }
            let suffix_at = |k: isize| -> u64 {
                if k < 0 || k as usize >= n {
                    NONE
                } else {
                    s[k as usize].suffix[2]
                }
            };
            f.push(feat(t::SUFFIX_M1, suffix_at(k - 1)));
            f.push(feat(t::SUFFIX_P1, suffix_at(k + 1)));
            f.push(feat2(t::LEN_CASE, a.len_bucket, a.case as u64));
            for g in 0..2 {
                f.push(feat(t::CLASS + g as u8, class_at(k, g)));
                f.push(feat(t::CLASS_M1 + g as u8, class_at(k - 1, g)));
                f.push(feat(t::CLASS_P1 + g as u8, class_at(k + 1, g)));
            }
            f.push(feat2(t::CLASS_SS, class_at(k, 1), a.short_shape));
            f.push(feat2(t::CLASS_BI, class_at(k - 1, 0), class_at(k, 0)));
            if a.has_digit {
                f.push(feat(t::DIGIT_SS, a.shape));
            }
            let g = gbits[i];
            if g != 0 {
                for b in 0..12u64 {
                    if g & (1 << b) != 0 {
                        f.push(feat(t::GAZ, b));
                        f.push(feat2(t::GAZ_CASE, b, a.case as u64 * 2 + u64::from(head)));
                    }
                }
            }
            let gp = if i + 1 < n { gbits[i + 1] } else { 0 };
            let gm = if i > 0 { gbits[i - 1] } else { 0 };
            f.push(feat2(t::GAZ_CTX, u64::from(gm), u64::from(gp)));
            if a.case != Case::None {
                let elsewhere = seen.get(&a.lower).copied().unwrap_or(0);
                f.push(feat3(
                    t::DOC_CASE,
                    u64::from(elsewhere),
                    a.case as u64,
                    u64::from(head) * 2 + u64::from(i == 0),
                ));
            }
            sent_feats.push(f);
        }
        sent_feats
    }
}

/// Labels predicted earlier in the document for each word, the
/// "extended prediction history" of Ratinov & Roth (2009): a name tagged PER
/// in one sentence is probably PER when it returns alone.
#[derive(Default)]
pub(crate) struct History {
    counts: HashMap<u64, [u16; 5]>,
}

impl History {
    /// Records a decoded sentence.
    pub(crate) fn record(&mut self, lowers: &[u64], capitalised: &[bool], tags: &[Tag]) {
        for ((&l, &cap), tag) in lowers.iter().zip(capitalised).zip(tags) {
            if cap {
                let slot = tag.label().map_or(0, |lab| lab.index() + 1);
                let c = self.counts.entry(l).or_insert([0; 5]);
                c[slot] = c[slot].saturating_add(1);
            }
        }
    }

    /// Appends history features for one token.
    pub(crate) fn features(&self, lower: u64, capitalised: bool, out: &mut Vec<u64>) {
        if !capitalised {
            return;
        }
        let Some(c) = self.counts.get(&lower) else {
            return;
        };
        let mut best = 0usize;
        for k in 1..5 {
            if c[k] > c[best] {
                best = k;
            }
        }
        out.push(feat(t::HIST_MAJ, best as u64));
        let total: u32 = c.iter().map(|&x| u32::from(x)).sum();
        out.push(feat2(
            t::HIST_MAJ_CASE,
            best as u64,
            u64::from(total.min(3)),
        ));
        for (k, &v) in c.iter().enumerate().skip(1) {
            if v > 0 {
                out.push(feat(t::HIST_ANY, k as u64));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse() {
        assert_eq!(shapes("Blinken"), ("Xxxxx".to_string(), "Xx".to_string()));
        assert_eq!(shapes("9,061"), ("d,ddd".to_string(), "d,d".to_string()));
        assert_eq!(shapes("U.S."), ("X.X.".to_string(), "X.X.".to_string()));
    }

    #[test]
    fn gazetteer_marks_spans() {
        let lowers: Vec<u64> = ["in", "tel", "aviv", "today"]
            .iter()
            .map(|w| hash_bytes(w.as_bytes()))
            .collect();
        struct Gaz(u64);
        impl Lexicon for Gaz {
            fn gazetteer(&self, seq: u64) -> u8 {
                if seq == self.0 {
                    1 << EntityLabel::Loc.index()
                } else {
                    0
                }
            }
            fn classes(&self, _: u64) -> Option<[u16; 2]> {
                None
            }
        }
        let bits = gazetteer_bits(&lowers, &Gaz(seq_hash(&lowers[1..3])));
        let base = EntityLabel::Loc.index() * 3;
        assert_eq!(bits, vec![0, 1 << (base + 1), 1 << (base + 2), 0]);
    }
}
