//! The learnt cue detector: an averaged perceptron that scores whether a
//! token starts an attribution cue, for the long tail of cues the lexicon
//! does not hold (`criticized`, `praised`, `promised`, `believes`).
//!
//! Trained by this crate on PolNeAR *train* (`examples/train_cues.rs`) and
//! embedded (`models/cues-en.bin`). Features are hashed strings of the
//! token, its suffix and shape, its neighbours and the quotation context;
//! the file stores `u32` keys with `i16`-quantised weights behind a magic
//! header, a feature version and a checksum.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use crate::ner::model::IdentityHasher;
use crate::token::{model_form, Lowered, Token, TokenKind};

const MAGIC: &[u8; 8] = b"SLCUES\0\x01";
/// Bumped whenever [`cue_features`] changes; a model trained with other
/// features is refused.
pub const FEATURE_VERSION: u32 = 2;

static EMBEDDED_BYTES: &[u8] = include_bytes!("../../models/cues-en.bin");
static EMBEDDED: OnceLock<Result<CueModel, CueModelError>> = OnceLock::new();

/// Why a cue model could not be loaded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CueModelError {
    /// Not a storyline cue model.
    #[error("not a storyline cue model (bad magic bytes)")]
    BadMagic,
    /// Trained with other feature templates; retrain with `train_cues`.
    #[error("cue model has feature version {found}, this build uses {expected}; retrain it with examples/train_cues.rs")]
    FeatureVersion {
        /// Version in the file.
        found: u32,
        /// Version this build computes.
        expected: u32,
    },
    /// The file ends early.
    #[error("cue model is truncated at byte {0}")]
    Truncated(usize),
    /// The checksum does not match.
    #[error("cue model checksum mismatch: the file is corrupt")]
    Checksum,
}

type Weights = HashMap<u32, f32, BuildHasherDefault<IdentityHasher>>;

/// A linear scorer over hashed features: positive means "starts a cue".
#[derive(Clone, Debug, Default)]
pub struct CueModel {
    bias: f32,
    weights: Weights,
}

pub(crate) fn fnv(parts: &[&str]) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    }
    let k = (h >> 32) as u32 ^ (h as u32);
    k.max(1)
}

fn shape(t: &str) -> &'static str {
    let mut cs = t.chars();
    match cs.next() {
        None => "e",
        Some(c) if c.is_uppercase() => {
            if cs.all(|c| !c.is_lowercase()) {
                "AA"
            } else {
                "Aa"
            }
        }
        Some(c) if c.is_lowercase() => "a",
        Some(c) if c.is_ascii_digit() => "0",
        Some(_) => "p",
    }
}

fn suffix(w: &str, n: usize) -> &str {
    let start = w
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    w.get(start..).unwrap_or("")
}

/// The hashed features of every token of `text` (in `tokens` order).
/// `in_quote[i]` says whether token `i` lies inside a quotation.
pub fn cue_features(text: &str, tokens: &[Token], in_quote: &[bool]) -> Vec<Vec<u32>> {
    let lower = Lowered::new(text, tokens);
    (0..tokens.len())
        .map(|i| features_at(text, tokens, &lower, in_quote, i))
        .collect()
}

/// Whether token `i` is one the detector is trained on and consulted for:
/// a word outside quotations that the lexicon does not already hold.
pub fn candidate(tokens: &[Token], lower: &Lowered, in_quote: &[bool], i: usize) -> bool {
    tokens.get(i).is_some_and(|t| t.kind == TokenKind::Word)
        && !in_quote.get(i).copied().unwrap_or(false)
        && lower.get(i).is_some_and(|w| !in_lexicon(w))
}

/// Whether a cue the detector proposes at token `i` is kept: not a form of
/// `be` or a modal itself (`was reported`: the lexicon reads passives), and
/// not the verb of a modal (`would accept … only if`). Forms of `do` and
/// `have` stay: PolNeAR cues such as `did not respond to` start with them.
pub(crate) fn plausible(lower: &Lowered, i: usize) -> bool {
    let modal = |w: &str| {
        matches!(
            w,
            "would" | "could" | "will" | "may" | "might" | "should" | "can" | "must" | "shall"
        )
    };
    let w = lower.get(i).unwrap_or("");
    let prev = i.checked_sub(1).and_then(|p| lower.get(p)).unwrap_or("");
    w.chars().count() > 1
        && !modal(w)
        && !modal(prev)
        && !matches!(w, "was" | "were" | "is" | "are" | "be" | "been" | "being")
}

/// The features of token `i`; `lower` is each token's lower-cased
/// [`model_form`].
pub(crate) fn features_at(
    text: &str,
    tokens: &[Token],
    lower: &Lowered,
    in_quote: &[bool],
    i: usize,
) -> Vec<u32> {
    let n = tokens.len().min(lower.len());
    if i >= n {
        return Vec::new();
    }
    let w = |i: isize| -> &str {
        if i < 0 || i as usize >= n {
            "<s>"
        } else {
            &lower[i as usize]
        }
    };
    let quote_mark = |i: usize| {
        tokens.get(i).is_some_and(|t| {
            t.kind == TokenKind::Punct
                && t.text(text)
                    .chars()
                    .all(|c| matches!(c, '"' | '\'' | '\u{201C}' | '\u{201D}' | '`'))
        })
    };
    let ii = i as isize;
    let cur = w(ii);
    let sh = shape(tokens[i].text(text));
    let q = in_quote.get(i).copied().unwrap_or(false);
    let quote_before = (i.saturating_sub(3)..i).any(quote_mark);
    let quote_after = (i + 1..(i + 4).min(n)).any(quote_mark);
    let that_after = (i + 1..(i + 4).min(n)).any(|k| &lower[k] == "that");
    let qs = match (q, quote_before, quote_after) {
        (true, _, _) => "in",
        (false, true, true) => "both",
        (false, true, false) => "before",
        (false, false, true) => "after",
        _ => "none",
    };
    let mut f = vec![
        fnv(&["b"]),
        fnv(&["w", cur]),
        fnv(&["s3", suffix(cur, 3)]),
        fnv(&["s2", suffix(cur, 2)]),
        fnv(&["sh", sh]),
        fnv(&["p", w(ii - 1)]),
        fnv(&["p2", w(ii - 2)]),
        fnv(&["n", w(ii + 1)]),
        fnv(&["n2", w(ii + 2)]),
        fnv(&["pw", w(ii - 1), cur]),
        fnv(&["wn", cur, w(ii + 1)]),
        fnv(&["wnn", cur, w(ii + 1), w(ii + 2)]),
        fnv(&["q", qs]),
        fnv(&["wq", cur, qs]),
        fnv(&["s3q", suffix(cur, 3), qs]),
        fnv(&["ps3", w(ii - 1), suffix(cur, 3)]),
        fnv(&["s3n", suffix(cur, 3), w(ii + 1)]),
    ];
    if that_after {
        f.push(fnv(&["that", suffix(cur, 3)]));
        f.push(fnv(&["wthat", cur]));
    }
    // Word classes (from the NER model's clustering of raw news text) let
    // a cue seen in training (`criticized`) vouch for one that was not
    // (`lambasted`); shapes of the neighbours stand in for a subject name.
    let class = |k: isize| -> [String; 2] {
        if k < 0 || k as usize >= n {
            return ["<s>".into(), "<s>".into()];
        }
        let form = model_form(tokens[k as usize].text(text));
        match word_classes(&form).or_else(|| word_classes(&lower[k as usize])) {
            Some([c, fine]) => [c.to_string(), fine.to_string()],
            None => ["?".into(), "?".into()],
        }
    };
    let [c, fine] = class(ii);
    let [pc, _] = class(ii - 1);
    let [nc, _] = class(ii + 1);
    let shape_at = |k: isize| -> &'static str {
        if k < 0 || k as usize >= n {
            "<s>"
        } else {
            shape(tokens[k as usize].text(text))
        }
    };
    f.extend([
        fnv(&["c", &c]),
        fnv(&["cf", &fine]),
        fnv(&["pc", &pc, &c]),
        fnv(&["cn", &c, &nc]),
        fnv(&["cfq", &fine, qs]),
        fnv(&["cs3", &c, suffix(cur, 3)]),
        fnv(&["psh", shape_at(ii - 1), &c]),
        fnv(&["p2sh", shape_at(ii - 2), shape_at(ii - 1)]),
    ]);
    f
}

fn word_classes(word: &str) -> Option<[u16; 2]> {
    crate::ner::model::NerModel::embedded()
        .ok()?
        .word_classes(word)
}

/// Whether each token lies inside a quotation (marks excluded), as the
/// attribution rules see it.
pub fn quoted_tokens(text: &str, tokens: &[Token]) -> Vec<bool> {
    let quotes = super::quotes::find_quotes(text);
    let mut out = vec![false; tokens.len()];
    let mut qi = 0;
    for (ti, t) in tokens.iter().enumerate() {
        while qi < quotes.len() && quotes[qi].span.end <= t.span.start {
            qi += 1;
        }
        if let Some(q) = quotes.get(qi) {
            out[ti] = q.inner_start <= t.span.start && t.span.end <= q.span.end;
        }
    }
    out
}

/// Whether the rules already treat the lower-case word form `w` as a cue
/// (the learnt detector is only consulted for other words).
pub fn in_lexicon(w: &str) -> bool {
    super::lexicon::cue(w).is_some() || matches!(w, "according" | ":")
}

impl CueModel {
    /// The model shipped with this build, decoded once on first use.
    pub fn embedded() -> Result<&'static CueModel, CueModelError> {
        EMBEDDED
            .get_or_init(|| CueModel::from_bytes(EMBEDDED_BYTES))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The score of one token's features; positive means a cue.
    pub fn score(&self, features: &[u32]) -> f32 {
        self.bias
            + features
                .iter()
                .map(|k| self.weights.get(k).copied().unwrap_or(0.0))
                .sum::<f32>()
    }

    /// Adds `delta` to the bias: a negative shift raises the decision
    /// threshold (fewer, surer cues).
    pub fn shift(&mut self, delta: f32) {
        self.bias += delta;
    }

    /// Number of stored feature weights.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether the model has no weights (then it finds no cues).
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// Decodes a model file; an empty file is an empty model (no cues).
    pub fn from_bytes(bytes: &[u8]) -> Result<CueModel, CueModelError> {
        CueModel::from_bytes_versioned(bytes, FEATURE_VERSION)
    }

    /// Decodes a linear model file whose features have version `expected`
    /// (the attribution filter shares this format with its own version).
    pub fn from_bytes_versioned(bytes: &[u8], expected: u32) -> Result<CueModel, CueModelError> {
        if bytes.is_empty() {
            return Ok(CueModel::default());
        }
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(CueModelError::BadMagic);
        }
        let body_end = bytes
            .len()
            .checked_sub(4)
            .ok_or(CueModelError::Truncated(bytes.len()))?;
        let sum = u32::from_le_bytes(
            bytes[body_end..]
                .try_into()
                .map_err(|_| CueModelError::Truncated(body_end))?,
        );
        if checksum(&bytes[..body_end]) != sum {
            return Err(CueModelError::Checksum);
        }
        let mut pos = MAGIC.len();
        let take4 = |pos: &mut usize| -> Result<[u8; 4], CueModelError> {
            let s = bytes
                .get(*pos..*pos + 4)
                .filter(|_| *pos + 4 <= body_end)
                .ok_or(CueModelError::Truncated(*pos))?;
            *pos += 4;
            s.try_into().map_err(|_| CueModelError::Truncated(*pos))
        };
        let version = u32::from_le_bytes(take4(&mut pos)?);
        if version != expected {
            return Err(CueModelError::FeatureVersion {
                found: version,
                expected,
            });
        }
        let scale = f32::from_le_bytes(take4(&mut pos)?);
        let bias = f32::from_le_bytes(take4(&mut pos)?);
        let count = u32::from_le_bytes(take4(&mut pos)?) as usize;
        if count.saturating_mul(6) > body_end.saturating_sub(pos) {
            return Err(CueModelError::Truncated(pos));
        }
        let mut weights = Weights::with_capacity_and_hasher(count, Default::default());
        for _ in 0..count {
            let key = u32::from_le_bytes(take4(&mut pos)?);
            let w = bytes
                .get(pos..pos + 2)
                .ok_or(CueModelError::Truncated(pos))?;
            pos += 2;
            weights.insert(key, f32::from(i16::from_le_bytes([w[0], w[1]])) * scale);
        }
        Ok(CueModel { bias, weights })
    }

    /// Encodes the model, weights below `min_weight` in magnitude dropped
    /// and the rest quantised to `i16`; keys in ascending order, so the
    /// bytes are deterministic.
    pub fn to_bytes(&self, min_weight: f32) -> Vec<u8> {
        self.to_bytes_versioned(min_weight, FEATURE_VERSION)
    }

    /// [`CueModel::to_bytes`] with another feature version in the header.
    pub fn to_bytes_versioned(&self, min_weight: f32, version: u32) -> Vec<u8> {
        let mut kept: Vec<(u32, f32)> = self
            .weights
            .iter()
            .filter(|(_, w)| w.abs() >= min_weight)
            .map(|(&k, &w)| (k, w))
            .collect();
        kept.sort_by_key(|&(k, _)| k);
        let max = kept.iter().map(|(_, w)| w.abs()).fold(1e-6f32, f32::max);
        let scale = max / f32::from(i16::MAX);
        let mut out = Vec::with_capacity(24 + kept.len() * 6);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        out.extend_from_slice(&(kept.len() as u32).to_le_bytes());
        for (k, w) in kept {
            out.extend_from_slice(&k.to_le_bytes());
            let q = (w / scale)
                .round()
                .clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16;
            out.extend_from_slice(&q.to_le_bytes());
        }
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }
}

fn checksum(bytes: &[u8]) -> u32 {
    fnv(&[&String::from_utf8_lossy(&bytes.len().to_le_bytes())])
        ^ bytes.iter().fold(0x811c_9dc5u32, |h, &b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        })
}

/// One training document: each token's features and whether it starts a cue.
pub struct CueExample {
    /// [`cue_features`] of each token.
    pub features: Vec<Vec<u32>>,
    /// Gold: the token starts a cue.
    pub gold: Vec<bool>,
    /// Tokens to train on (others, such as tokens inside quotations or
    /// the lexicon's own cues, are left to the rules).
    pub train: Vec<bool>,
}

/// Trains an averaged perceptron for `epochs` passes over `docs` in a fixed
/// order, with `positive_weight` times the update on missed cues (recall
/// matters more than precision here: the rules filter afterwards).
pub fn train_cues(docs: &[CueExample], epochs: usize, positive_weight: f32) -> CueModel {
    let mut w: Weights = Weights::default();
    let mut total: Weights = Weights::default();
    let mut stamp: HashMap<u32, u64, BuildHasherDefault<IdentityHasher>> = HashMap::default();
    let (mut b, mut b_total, mut b_stamp) = (0f32, 0f32, 0u64);
    let mut t: u64 = 1;
    for _ in 0..epochs {
        for d in docs {
            for (i, f) in d.features.iter().enumerate() {
                if !d.train.get(i).copied().unwrap_or(false) {
                    continue;
                }
                let gold = d.gold.get(i).copied().unwrap_or(false);
                let s = b + f
                    .iter()
                    .map(|k| w.get(k).copied().unwrap_or(0.0))
                    .sum::<f32>();
                if (s > 0.0) != gold {
                    let y = if gold { positive_weight } else { -1.0 };
                    for &k in f {
                        let last = stamp.insert(k, t).unwrap_or(t);
                        let cur = w.entry(k).or_insert(0.0);
                        *total.entry(k).or_insert(0.0) += *cur * (t - last) as f32;
                        *cur += y;
                    }
                    b_total += b * (t - b_stamp) as f32;
                    b_stamp = t;
                    b += y;
                }
                t += 1;
            }
        }
    }
    let mut out = Weights::default();
    for (&k, &cur) in &w {
        let last = stamp.get(&k).copied().unwrap_or(t);
        let tot = total.get(&k).copied().unwrap_or(0.0) + cur * (t - last) as f32;
        out.insert(k, tot / t as f32);
    }
    b_total += b * (t - b_stamp) as f32;
    CueModel {
        bias: b_total / t as f32,
        weights: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption() {
        let mut m = CueModel {
            bias: -0.5,
            ..CueModel::default()
        };
        m.weights.insert(7, 1.25);
        m.weights.insert(9, -2.0);
        let bytes = m.to_bytes(0.0);
        let back = CueModel::from_bytes(&bytes).expect("decodes");
        assert!((back.score(&[7]) - 0.75).abs() < 1e-3);
        let mut bad = bytes.clone();
        bad[30] ^= 1;
        assert_eq!(
            CueModel::from_bytes(&bad).err(),
            Some(CueModelError::Checksum)
        );
        assert!(CueModel::from_bytes(&bytes[..10]).is_err());
        assert_eq!(
            CueModel::from_bytes(b"nonsense").err(),
            Some(CueModelError::BadMagic)
        );
        assert!(CueModel::embedded().is_ok());
    }
}
