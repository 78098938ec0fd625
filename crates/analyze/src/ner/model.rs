//! The compact model: a hashed feature table with quantised sparse weights,
//! first-order transitions and a gazetteer, in a small versioned binary format.
//!
//! Format (little endian): magic `SLNERMDL`, format version, feature version,
//! tag count, weight scale, start and transition scores (f32), the feature
//! rows (`u32` key, `u16` tag mask, one `i16` per set bit), the gazetteer
//! (`u64` sequence hash, `u8` label mask), the word classes (`u64` form
//! hash, two `u16` classes), and a trailing `u64` checksum of
//! everything before it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use super::features::{doc_features, hash_bytes, History, Lexicon, FEATURE_VERSION};
use super::Tag;

const MAGIC: &[u8; 8] = b"SLNERMDL";
const FORMAT_VERSION: u32 = 2;
const N: usize = Tag::COUNT;

/// Why a model could not be loaded.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ModelError {
    /// The bytes are not a storyline NER model.
    #[error("not a storyline NER model (bad magic bytes)")]
    BadMagic,
    /// Written by a different version of the format.
    #[error("model format version {found} is not supported (expected {expected})")]
    FormatVersion {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// Trained with different feature templates; retrain with `train_ner`.
    #[error(
        "model was trained with feature version {found}, this build uses {expected}; retrain it"
    )]
    FeatureVersion {
        /// Version in the file.
        found: u32,
        /// Version this build computes.
        expected: u32,
    },
    /// The file ends early.
    #[error("model is truncated at byte {0}")]
    Truncated(usize),
    /// The checksum does not match: the file is corrupt.
    #[error("model checksum mismatch: the file is corrupt")]
    Checksum,
    /// A field holds an impossible value.
    #[error("invalid model: {0}")]
    Invalid(&'static str),
}

/// A hasher for keys that are already well-mixed hashes.
#[derive(Default)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }
}

type FastMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

struct LexiconTable {
    gazetteer: FastMap<u8>,
    classes: FastMap<[u16; 2]>,
}

impl Lexicon for LexiconTable {
    fn gazetteer(&self, seq: u64) -> u8 {
        self.gazetteer.get(&seq).copied().unwrap_or(0)
    }
    fn classes(&self, form: u64) -> Option<[u16; 2]> {
        self.classes.get(&form).copied()
    }
}

/// The 32-bit key a 64-bit feature hash is stored under (0 marks empty slots).
pub(crate) fn key32(h: u64) -> u32 {
    match (h >> 32) as u32 {
        0 => 1,
        k => k,
    }
}

/// Open-addressing table from feature key to weight row.
struct FeatureTable {
    keys: Vec<u32>,
    rows: Vec<u32>,
    mask: usize,
}

impl FeatureTable {
    fn with_capacity(n: usize) -> FeatureTable {
        let cap = (n * 2).next_power_of_two().max(16);
        FeatureTable {
            keys: vec![0; cap],
            rows: vec![0; cap],
            mask: cap - 1,
        }
    }

    fn slot(&self, key: u32) -> usize {
        (key as usize).wrapping_mul(0x9E37_79B1) & self.mask
    }

    fn insert(&mut self, key: u32, row: u32) -> Result<(), ModelError> {
        let mut s = self.slot(key);
        loop {
            match self.keys[s] {
                0 => {
                    self.keys[s] = key;
                    self.rows[s] = row;
                    return Ok(());
                }
                k if k == key => return Err(ModelError::Invalid("duplicate feature key")),
                _ => s = (s + 1) & self.mask,
            }
        }
    }

    #[inline]
    fn get(&self, key: u32) -> Option<u32> {
        let mut s = self.slot(key);
        loop {
            match self.keys[s] {
                0 => return None,
                k if k == key => return Some(self.rows[s]),
                _ => s = (s + 1) & self.mask,
            }
        }
    }
}

/// A trained entity tagger. Immutable and `Sync`: share one across threads.
pub struct NerModel {
    table: FeatureTable,
    weights: Vec<f32>,
    start: [f32; N],
    trans: [[f32; N]; N],
    lexicon: LexiconTable,
    n_features: usize,
}

impl std::fmt::Debug for NerModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NerModel")
            .field("features", &self.n_features)
            .field("gazetteer", &self.lexicon.gazetteer.len())
            .field("classes", &self.lexicon.classes.len())
            .finish()
    }
}

static EMBEDDED_BYTES: &[u8] = include_bytes!("../../models/ner-en.bin");
static EMBEDDED: OnceLock<Result<NerModel, ModelError>> = OnceLock::new();

/// Whether tag `b` may follow tag `a` in IOB2 (`a` is `None` at sentence start).
pub(crate) fn allowed(a: Option<usize>, b: usize) -> bool {
    match Tag::from_index(b) {
        Tag::I(l) => a.is_some_and(|a| Tag::from_index(a).label() == Some(l)),
        _ => true,
    }
}

/// Best IOB2-valid tag sequence under emission and transition scores.
pub(crate) fn viterbi(emit: &[[f32; N]], start: &[f32; N], trans: &[[f32; N]; N]) -> Vec<usize> {
    let n = emit.len();
    if n == 0 {
        return Vec::new();
    }
    let mut score = vec![[f32::NEG_INFINITY; N]; n];
    let mut back = vec![[0u8; N]; n];
    for t in 0..N {
        if allowed(None, t) {
            score[0][t] = start[t] + emit[0][t];
        }
    }
    for i in 1..n {
        for t in 0..N {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0usize;
            for p in 0..N {
                if !allowed(Some(p), t) {
                    continue;
                }
                let s = score[i - 1][p] + trans[p][t];
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            score[i][t] = best + emit[i][t];
            back[i][t] = arg as u8;
        }
    }
    let mut best = 0usize;
    for t in 1..N {
        if score[n - 1][t] > score[n - 1][best] {
            best = t;
        }
    }
    let mut out = vec![0usize; n];
    out[n - 1] = best;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i]] as usize;
    }
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(ModelError::Truncated(self.pos))?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or(ModelError::Truncated(self.pos))?;
        self.pos = end;
        Ok(s)
    }
    fn array<const K: usize>(&mut self) -> Result<[u8; K], ModelError> {
        let mut a = [0u8; K];
        a.copy_from_slice(self.take(K)?);
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8, ModelError> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn i16(&mut self) -> Result<i16, ModelError> {
        Ok(i16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        let v = f32::from_le_bytes(self.array()?);
        if v.is_finite() {
            Ok(v)
        } else {
            Err(ModelError::Invalid("non-finite score"))
        }
    }
}

/// What [`NerModel::to_bytes`] writes; built by training.
pub(crate) struct ModelParts {
    /// Feature key and its dense weight row.
    pub(crate) features: Vec<(u32, [f32; N])>,
    pub(crate) start: [f32; N],
    pub(crate) trans: [[f32; N]; N],
    pub(crate) gazetteer: Vec<(u64, u8)>,
    pub(crate) classes: Vec<(u64, [u16; 2])>,
}

impl ModelParts {
    /// Serialises with weights quantised to `i16`.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let max = self
            .features
            .iter()
            .flat_map(|(_, r)| r.iter())
            .fold(0f32, |m, &w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&FEATURE_VERSION.to_le_bytes());
        out.extend_from_slice(&(N as u32).to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for v in self.start {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for row in self.trans {
            for v in row {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        let mut rows: Vec<(u32, u16, Vec<i16>)> = Vec::with_capacity(self.features.len());
        for (key, row) in &self.features {
            let mut mask = 0u16;
            let mut vals = Vec::new();
            for (t, &w) in row.iter().enumerate() {
                let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                if q != 0 {
                    mask |= 1 << t;
                    vals.push(q);
                }
            }
            if mask != 0 {
                rows.push((*key, mask, vals));
            }
        }
        rows.sort_by_key(|r| r.0);
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for (key, mask, vals) in rows {
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&mask.to_le_bytes());
            for v in vals {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        let mut gaz = self.gazetteer.clone();
        gaz.sort_unstable();
        out.extend_from_slice(&(gaz.len() as u32).to_le_bytes());
        for (h, m) in gaz {
            out.extend_from_slice(&h.to_le_bytes());
            out.push(m);
        }
        let mut classes = self.classes.clone();
        classes.sort_unstable();
        out.extend_from_slice(&(classes.len() as u32).to_le_bytes());
        for (h, c) in classes {
            out.extend_from_slice(&h.to_le_bytes());
            out.extend_from_slice(&c[0].to_le_bytes());
            out.extend_from_slice(&c[1].to_le_bytes());
        }
        let sum = hash_bytes(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }
}

impl NerModel {
    /// The (coarse, fine) word classes of `word` as written (its
    /// [`crate::token::model_form`]), if the model clustered it. Other
    /// components use them to generalise to words their own training data
    /// lacks.
    pub fn word_classes(&self, word: &str) -> Option<[u16; 2]> {
        self.lexicon
            .classes(super::features::hash_bytes(word.as_bytes()))
    }

    /// The model shipped with this build, decoded once on first use.
    pub fn embedded() -> Result<&'static NerModel, ModelError> {
        EMBEDDED
            .get_or_init(|| NerModel::from_bytes(EMBEDDED_BYTES))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Decodes a model file; corrupt, truncated or foreign bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<NerModel, ModelError> {
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let mut r = Reader { bytes, pos: 8 };
        let format = r.u32()?;
        if format != FORMAT_VERSION {
            return Err(ModelError::FormatVersion {
                found: format,
                expected: FORMAT_VERSION,
            });
        }
        let fv = r.u32()?;
        if fv != FEATURE_VERSION {
            return Err(ModelError::FeatureVersion {
                found: fv,
                expected: FEATURE_VERSION,
            });
        }
        if bytes.len() < 8 + 8 {
            return Err(ModelError::Truncated(bytes.len()));
        }
        let body = &bytes[..bytes.len() - 8];
        let mut tail = [0u8; 8];
        tail.copy_from_slice(&bytes[bytes.len() - 8..]);
        if hash_bytes(body) != u64::from_le_bytes(tail) {
            return Err(ModelError::Checksum);
        }
        let mut r = Reader {
            bytes: body,
            pos: r.pos,
        };
        if r.u32()? as usize != N {
            return Err(ModelError::Invalid("tag count"));
        }
        let scale = r.f32()?;
        let mut start = [0f32; N];
        for v in &mut start {
            *v = r.f32()?;
        }
        let mut trans = [[0f32; N]; N];
        for row in &mut trans {
            for v in row.iter_mut() {
                *v = r.f32()?;
            }
        }
        let n = r.u32()? as usize;
        if n > body.len() / 6 {
            return Err(ModelError::Invalid("feature count exceeds file size"));
        }
        let mut table = FeatureTable::with_capacity(n);
        let mut weights = Vec::with_capacity(n * N);
        for row in 0..n {
            let key = r.u32()?;
            if key == 0 {
                return Err(ModelError::Invalid("zero feature key"));
            }
            let mask = r.u16()?;
            if mask >> N != 0 {
                return Err(ModelError::Invalid("tag mask"));
            }
            for t in 0..N {
                weights.push(if mask & (1 << t) != 0 {
                    f32::from(r.i16()?) * scale
                } else {
                    0.0
                });
            }
            table.insert(key, row as u32)?;
        }
        let g = r.u32()? as usize;
        if g > body.len() / 9 {
            return Err(ModelError::Invalid("gazetteer size exceeds file size"));
        }
        let mut gaz = FastMap::default();
        gaz.reserve(g);
        for _ in 0..g {
            let h = r.u64()?;
            let m = r.u8()?;
            gaz.insert(h, m);
        }
        let nc = r.u32()? as usize;
        if nc > body.len() / 12 {
            return Err(ModelError::Invalid("word class count exceeds file size"));
        }
        let mut classes = FastMap::default();
        classes.reserve(nc);
        for _ in 0..nc {
            let h = r.u64()?;
            let c = [r.u16()?, r.u16()?];
            classes.insert(h, c);
        }
        if r.pos != body.len() {
            return Err(ModelError::Invalid("trailing bytes"));
        }
        Ok(NerModel {
            table,
            weights,
            start,
            trans,
            lexicon: LexiconTable {
                gazetteer: gaz,
                classes,
            },
            n_features: n,
        })
    }

    /// Number of feature rows; for size reports.
    pub fn feature_count(&self) -> usize {
        self.n_features
    }

    #[inline]
    fn score(&self, feats: &[u64], out: &mut [f32; N]) {
        for &f in feats {
            if let Some(row) = self.table.get(key32(f)) {
                let base = row as usize * N;
                if let Some(w) = self.weights.get(base..base + N) {
                    for (o, &w) in out.iter_mut().zip(w) {
                        *o += w;
                    }
                }
            }
        }
    }

    /// Tags one document, given as sentences of tokens in model form
    /// ([`crate::model_form`]); sentences are decoded in order so later ones
    /// see the labels given to earlier ones.
    pub fn tag(&self, doc: &[&[&str]]) -> Vec<Vec<Tag>> {
        let df = doc_features(doc);
        let mut history = History::default();
        let mut out = Vec::with_capacity(doc.len());
        let mut dynamic = Vec::with_capacity(8);
        for si in 0..df.len() {
            let feats = df.sentence(si, &self.lexicon);
            let emit: Vec<[f32; N]> = feats
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let mut s = [0f32; N];
                    self.score(f, &mut s);
                    dynamic.clear();
                    history.features(df.lowers[si][i], df.capitalised[si][i], &mut dynamic);
                    self.score(&dynamic, &mut s);
                    s
                })
                .collect();
            let best: Vec<Tag> = viterbi(&emit, &self.start, &self.trans)
                .into_iter()
                .map(Tag::from_index)
                .collect();
            history.record(&df.lowers[si], &df.capitalised[si], &best);
            out.push(best);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Vec<u8> {
        ModelParts {
            features: vec![(7, [0.5, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0])],
            start: [0.0; N],
            trans: [[0.0; N]; N],
            gazetteer: vec![(42, 1)],
            classes: vec![(43, [1, 2])],
        }
        .to_bytes()
    }

    #[test]
    fn round_trip() {
        let m = NerModel::from_bytes(&tiny()).unwrap();
        assert_eq!(m.feature_count(), 1);
        let row = m.table.get(7).unwrap() as usize;
        let w = &m.weights[row * N..row * N + N];
        assert!(
            (w[0] - 0.5).abs() < 1e-3 && (w[1] + 1.0).abs() < 1e-3 && (w[8] - 2.0).abs() < 1e-3
        );
        assert_eq!(m.lexicon.gazetteer(42), 1);
        assert_eq!(m.lexicon.classes(43), Some([1, 2]));
        assert_eq!(m.lexicon.classes(44), None);
    }

    #[test]
    fn corrupt_models_are_typed_errors() {
        let good = tiny();
        assert_eq!(NerModel::from_bytes(b"").unwrap_err(), ModelError::BadMagic);
        assert_eq!(
            NerModel::from_bytes(b"GIF89a..xxxxxxxx").unwrap_err(),
            ModelError::BadMagic
        );
        let mut v = good.clone();
        v[8] = 9;
        assert_eq!(
            NerModel::from_bytes(&v).unwrap_err(),
            ModelError::FormatVersion {
                found: 9,
                expected: FORMAT_VERSION
            }
        );
        let mut v = good.clone();
        v[12] = v[12].wrapping_add(1);
        assert!(matches!(
            NerModel::from_bytes(&v).unwrap_err(),
            ModelError::FeatureVersion { .. }
        ));
        let mut v = good.clone();
        let mid = v.len() / 2;
        v[mid] ^= 0x55;
        assert_eq!(NerModel::from_bytes(&v).unwrap_err(), ModelError::Checksum);
        for cut in [9, 13, 20, good.len() - 1] {
            assert!(NerModel::from_bytes(&good[..cut]).is_err(), "cut at {cut}");
        }
        // Every single-byte corruption is caught without a panic.
        for i in 0..good.len() {
            let mut v = good.clone();
            v[i] ^= 0xff;
            assert!(NerModel::from_bytes(&v).is_err(), "byte {i}");
        }
    }

    #[test]
    fn viterbi_respects_iob2() {
        // Emissions prefer I-PER everywhere; the only valid reading starts with B-PER.
        let mut e = [0f32; N];
        e[Tag::I(super::super::EntityLabel::Per).index()] = 5.0;
        e[Tag::B(super::super::EntityLabel::Per).index()] = 1.0;
        let path = viterbi(&[e, e], &[0.0; N], &[[0.0; N]; N]);
        assert_eq!(path, vec![1, 2]);
        assert!(viterbi(&[], &[0.0; N], &[[0.0; N]; N]).is_empty());
    }
}
