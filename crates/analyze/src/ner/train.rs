//! Training the entity tagger: an averaged structured perceptron (Collins
//! 2002) over CoNLL-2003 data, deterministic for a given seed.
//!
//! Used by `examples/train_ner.rs`; kept in the library so the feature code
//! that training sees is exactly the code tagging runs.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use serde::Serialize;

use super::features::{doc_features, hash_bytes, seq_hash, History, Lexicon, GAZ_MAX_LEN};
use super::model::{key32, viterbi, IdentityHasher, ModelParts};
use super::{chunks, EntityLabel, ModelError, NerModel, Tag};

const N: usize = Tag::COUNT;
type FastMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;

/// One sentence of a CoNLL file: words and their gold tags (IOB2).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConllSentence {
    /// The tokens.
    pub words: Vec<String>,
    /// Gold tags, converted to IOB2 whatever the file used.
    pub tags: Vec<Tag>,
}

/// One document (between `-DOCSTART-` lines).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConllDoc {
    /// Sentences in order.
    pub sentences: Vec<ConllSentence>,
}

/// A line of a CoNLL file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {reason}")]
pub struct ConllError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub reason: String,
}

/// Rewrites tags to IOB2 (IOB1 input marks only the second of two adjacent
/// same-label entities with `B-`).
pub fn to_iob2(tags: &[Tag]) -> Vec<Tag> {
    let mut out = vec![Tag::O; tags.len()];
    for (range, label) in chunks(tags) {
        for i in range.clone() {
            out[i] = if i == range.start {
                Tag::B(label)
            } else {
                Tag::I(label)
            };
        }
    }
    out
}

/// Reads CoNLL-2003 text: `word POS chunk NER` lines (only the first and last
/// columns are used), blank lines between sentences, `-DOCSTART-` between documents.
pub fn read_conll(text: &str) -> Result<Vec<ConllDoc>, ConllError> {
    let mut docs: Vec<ConllDoc> = Vec::new();
    let mut doc = ConllDoc::default();
    let mut sent = ConllSentence::default();
    let flush_sent = |doc: &mut ConllDoc, sent: &mut ConllSentence| {
        if !sent.words.is_empty() {
            sent.tags = to_iob2(&sent.tags);
            doc.sentences.push(std::mem::take(sent));
        }
    };
    for (no, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() {
            flush_sent(&mut doc, &mut sent);
            continue;
        }
        let mut cols = line.split_whitespace();
        let word = cols.next().unwrap_or("");
        if word == "-DOCSTART-" {
            flush_sent(&mut doc, &mut sent);
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let tag_text = cols.next_back().ok_or_else(|| ConllError {
            line: no + 1,
            reason: format!("expected `word ... tag`, got {line:?}"),
        })?;
        let tag = Tag::parse(tag_text).ok_or_else(|| ConllError {
            line: no + 1,
            reason: format!("unknown tag {tag_text:?}"),
        })?;
        sent.words.push(word.to_string());
        sent.tags.push(tag);
    }
    flush_sent(&mut doc, &mut sent);
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

/// Precision, recall and F1 as conlleval computes them (percentages).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Correct entities / predicted entities × 100.
    pub precision: f64,
    /// Correct entities / gold entities × 100.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
    /// Gold entities.
    pub support: usize,
}

/// Entity counts: per label (correct, predicted, gold).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counts {
    /// Indexed by [`EntityLabel::index`].
    pub per_label: [(usize, usize, usize); 4],
}

impl Counts {
    /// Adds one sentence's gold and predicted tags.
    pub fn add(&mut self, gold: &[Tag], pred: &[Tag]) {
        let g = chunks(gold);
        let p = chunks(pred);
        for (_, l) in &g {
            self.per_label[l.index()].2 += 1;
        }
        for c in &p {
            self.per_label[c.1.index()].1 += 1;
            if g.contains(c) {
                self.per_label[c.1.index()].0 += 1;
            }
        }
    }

    fn prf(correct: usize, predicted: usize, gold: usize) -> Prf {
        let p = if predicted > 0 {
            100.0 * correct as f64 / predicted as f64
        } else {
            0.0
        };
        let r = if gold > 0 {
            100.0 * correct as f64 / gold as f64
        } else {
            0.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        Prf {
            precision: p,
            recall: r,
            f1: f,
            support: gold,
        }
    }

    /// Scores over all labels.
    pub fn overall(&self) -> Prf {
        let (c, p, g) = self
            .per_label
            .iter()
            .fold((0, 0, 0), |a, x| (a.0 + x.0, a.1 + x.1, a.2 + x.2));
        Counts::prf(c, p, g)
    }

    /// Scores of one label.
    pub fn label(&self, label: EntityLabel) -> Prf {
        let (c, p, g) = self.per_label[label.index()];
        Counts::prf(c, p, g)
    }
}

/// Tags every document of `docs` with `model` and counts entities.
pub fn score_documents(model: &NerModel, docs: &[ConllDoc]) -> Counts {
    let mut counts = Counts::default();
    for doc in docs {
        let words: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        let refs: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
        let pred = model.tag(&refs);
        for (s, p) in doc.sentences.iter().zip(&pred) {
            counts.add(&s.tags, p);
        }
    }
    counts
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Passes over the training data.
    pub epochs: usize,
    /// Seed of the document shuffle.
    pub seed: u64,
    /// Features whose averaged weights all stay below this are dropped from
    /// the shipped model (size against accuracy).
    pub min_weight: f32,
    /// Capitalised words found in at most this many training documents train
    /// without their identity features (0 turns this off).
    pub rare_doc_freq: u32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 15,
            seed: 0x5eed,
            min_weight: 0.5,
            rare_doc_freq: 1,
        }
    }
}

/// What one epoch reached.
#[derive(Clone, Debug)]
pub struct EpochReport {
    /// 1-based epoch.
    pub epoch: usize,
    /// Scores of the exported (pruned, quantised) model on the dev set.
    pub dev: Counts,
    /// Sentences with at least one wrong tag during the pass.
    pub train_errors: usize,
    /// Features in the training index.
    pub features_seen: usize,
    /// Features kept in the exported model.
    pub features_kept: usize,
    /// Size of the exported model.
    pub model_bytes: usize,
}

/// The result of training: the model of the best dev epoch.
#[derive(Clone, Debug)]
pub struct TrainOutcome {
    /// The serialised model of the best epoch.
    pub model: Vec<u8>,
    /// Which epoch that was.
    pub best_epoch: usize,
    /// Its dev F1.
    pub best_f1: f64,
}

/// Gold gazetteer with the documents each entry came from, so a training
/// document can be featurised as if its own entities were unseen.
struct GazBuilder {
    /// Per sequence, per label: (documents, first document, last document).
    entries: FastMap<[(u32, u32, u32); 4]>,
}

impl GazBuilder {
    fn new(docs: &[ConllDoc]) -> GazBuilder {
        let mut entries: FastMap<[(u32, u32, u32); 4]> = FastMap::default();
        for (d, doc) in docs.iter().enumerate() {
            let d = d as u32;
            for s in &doc.sentences {
                let lowers: Vec<u64> = s
                    .words
                    .iter()
                    .map(|w| hash_bytes(w.to_lowercase().as_bytes()))
                    .collect();
                for (range, label) in chunks(&s.tags) {
                    if range.len() > GAZ_MAX_LEN {
                        continue;
                    }
                    let e = entries
                        .entry(seq_hash(&lowers[range]))
                        .or_insert([(0, u32::MAX, u32::MAX); 4]);
                    let slot = &mut e[label.index()];
                    if slot.2 != d {
                        slot.0 += 1;
                        if slot.1 == u32::MAX {
                            slot.1 = d;
                        }
                        slot.2 = d;
                    }
                }
            }
        }
        GazBuilder { entries }
    }

    fn export(&self) -> Vec<(u64, u8)> {
        self.entries
            .iter()
            .map(|(&h, e)| {
                let mask = e
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.0 > 0)
                    .fold(0u8, |m, (i, _)| m | (1 << i));
                (h, mask)
            })
            .filter(|&(_, m)| m != 0)
            .collect()
    }
}

/// The gazetteer as seen from one training document: entries found only in
/// that document are hidden.
struct LeaveOneOut<'a> {
    gaz: &'a GazBuilder,
    classes: &'a FastMap<[u16; 2]>,
    rare: &'a FastMap<()>,
    doc: u32,
}

impl Lexicon for LeaveOneOut<'_> {
    fn hide_identity(&self, lower: u64) -> bool {
        self.rare.contains_key(&lower)
    }

    fn classes(&self, form: u64) -> Option<[u16; 2]> {
        self.classes.get(&form).copied()
    }

    fn gazetteer(&self, seq: u64) -> u8 {
        let Some(e) = self.gaz.entries.get(&seq) else {
            return 0;
        };
        let mut mask = 0u8;
        for (i, s) in e.iter().enumerate() {
            if s.0 >= 2 || (s.0 == 1 && s.1 != self.doc) {
                mask |= 1 << i;
            }
        }
        mask
    }
}

struct Index {
    map: FastMap<u32>,
    hashes: Vec<u64>,
}

impl Index {
    fn id(&mut self, h: u64) -> u32 {
        let next = self.hashes.len() as u32;
        let id = *self.map.entry(h).or_insert(next);
        if id == next {
            self.hashes.push(h);
        }
        id
    }
}

struct SentIds {
    /// Static feature ids, flattened; token `i` owns `ids[offs[i]..offs[i+1]]`.
    ids: Vec<u32>,
    offs: Vec<u32>,
    lowers: Vec<u64>,
    capitalised: Vec<bool>,
    gold: Vec<usize>,
}

/// Averaged perceptron weights (Daumé's trick: average = w - u / c).
struct Weights {
    w: Vec<f32>,
    u: Vec<f64>,
    start_w: [f32; N],
    start_u: [f64; N],
    trans_w: [[f32; N]; N],
    trans_u: [[f64; N]; N],
    c: f64,
}

impl Weights {
    fn grow(&mut self, features: usize) {
        if self.w.len() < features * N {
            self.w.resize(features * N, 0.0);
            self.u.resize(features * N, 0.0);
        }
    }

    fn bump(&mut self, id: u32, tag: usize, delta: f32) {
        let k = id as usize * N + tag;
        self.w[k] += delta;
        self.u[k] += self.c * f64::from(delta);
    }

    fn averaged(&self, k: usize) -> f32 {
        (f64::from(self.w[k]) - self.u[k] / self.c) as f32
    }
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

/// Trains on `train`, reports dev scores after each epoch through
/// `on_epoch`, and returns the model of the best dev epoch.
///
/// `classes` maps word forms to (coarse, fine) word classes induced from
/// unlabelled text ([`crate::ner::clusters::induce`]); it ships in the model.
pub fn train(
    train: &[ConllDoc],
    dev: &[ConllDoc],
    classes: &HashMap<String, [u16; 2]>,
    config: &TrainConfig,
    mut on_epoch: impl FnMut(&EpochReport),
) -> Result<TrainOutcome, ModelError> {
    let gaz = GazBuilder::new(train);
    let class_list: Vec<(u64, [u16; 2])> = classes
        .iter()
        .map(|(w, c)| (hash_bytes(w.as_bytes()), *c))
        .collect();
    let class_map: FastMap<[u16; 2]> = class_list.iter().copied().collect();
    // Capitalised words seen in only one training document: their identity
    // features are hidden so the rest of the model learns to name unseen words.
    let mut doc_freq: FastMap<(u32, u32, bool)> = FastMap::default();
    for (d, doc) in train.iter().enumerate() {
        for s in &doc.sentences {
            for w in &s.words {
                let e = doc_freq
                    .entry(hash_bytes(w.to_lowercase().as_bytes()))
                    .or_insert((0, u32::MAX, false));
                if e.1 != d as u32 {
                    e.0 += 1;
                    e.1 = d as u32;
                }
                e.2 |= w.chars().next().is_some_and(char::is_uppercase);
            }
        }
    }
    let rare: FastMap<()> = doc_freq
        .iter()
        .filter(|(_, &(n, _, cap))| n <= config.rare_doc_freq && cap)
        .map(|(&h, _)| (h, ()))
        .collect();
    let mut index = Index {
        map: FastMap::default(),
        hashes: Vec::new(),
    };
    let mut data: Vec<Vec<SentIds>> = Vec::with_capacity(train.len());
    for (d, doc) in train.iter().enumerate() {
        let words: Vec<Vec<&str>> = doc
            .sentences
            .iter()
            .map(|s| s.words.iter().map(String::as_str).collect())
            .collect();
        let refs: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
        let lexicon = LeaveOneOut {
            gaz: &gaz,
            classes: &class_map,
            rare: &rare,
            doc: d as u32,
        };
        let df = doc_features(&refs);
        let mut sents = Vec::with_capacity(doc.sentences.len());
        for (si, s) in doc.sentences.iter().enumerate() {
            let mut ids = Vec::new();
            let mut offs = vec![0u32];
            for f in &df.sentence(si, &lexicon) {
                ids.extend(f.iter().map(|&h| index.id(h)));
                offs.push(ids.len() as u32);
            }
            sents.push(SentIds {
                ids,
                offs,
                lowers: df.lowers[si].clone(),
                capitalised: df.capitalised[si].clone(),
                gold: s.tags.iter().map(|t| t.index()).collect(),
            });
        }
        data.push(sents);
    }
    tracing::info!(
        documents = train.len(),
        features = index.hashes.len(),
        "training features extracted"
    );
    let mut wts = Weights {
        w: Vec::new(),
        u: Vec::new(),
        start_w: [0.0; N],
        start_u: [0.0; N],
        trans_w: [[0.0; N]; N],
        trans_u: [[0.0; N]; N],
        c: 1.0,
    };
    wts.grow(index.hashes.len());
    let gazetteer = gaz.export();
    let mut rng = XorShift(config.seed.max(1));
    let mut best: Option<TrainOutcome> = None;
    let mut order: Vec<usize> = (0..data.len()).collect();
    for epoch in 1..=config.epochs {
        // Fisher-Yates with the fixed-seed generator.
        for i in (1..order.len()).rev() {
            let j = (rng.next() % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut errors = 0usize;
        for &d in &order {
            let mut history = History::default();
            for s in &data[d] {
                let n = s.gold.len();
                let mut dynamic: Vec<Vec<u32>> = Vec::with_capacity(n);
                let mut hashes = Vec::new();
                for i in 0..n {
                    hashes.clear();
                    history.features(s.lowers[i], s.capitalised[i], &mut hashes);
                    dynamic.push(hashes.iter().map(|&h| index.id(h)).collect());
                }
                wts.grow(index.hashes.len());
                let emit: Vec<[f32; N]> = (0..n)
                    .map(|i| {
                        let mut e = [0f32; N];
                        let stat = &s.ids[s.offs[i] as usize..s.offs[i + 1] as usize];
                        for &id in stat.iter().chain(&dynamic[i]) {
                            let base = id as usize * N;
                            for (o, &w) in e.iter_mut().zip(&wts.w[base..base + N]) {
                                *o += w;
                            }
                        }
                        e
                    })
                    .collect();
                let pred = viterbi(&emit, &wts.start_w, &wts.trans_w);
                if pred != s.gold {
                    errors += 1;
                    for i in 0..n {
                        let (g, p) = (s.gold[i], pred[i]);
                        if g != p {
                            let stat = &s.ids[s.offs[i] as usize..s.offs[i + 1] as usize];
                            for &id in stat.iter().chain(&dynamic[i]) {
                                wts.bump(id, g, 1.0);
                                wts.bump(id, p, -1.0);
                            }
                        }
                        let c = wts.c;
                        if i == 0 {
                            if g != p {
                                wts.start_w[g] += 1.0;
                                wts.start_u[g] += c;
                                wts.start_w[p] -= 1.0;
                                wts.start_u[p] -= c;
                            }
                        } else {
                            let (gp, pp) = (s.gold[i - 1], pred[i - 1]);
                            if (gp, g) != (pp, p) {
                                wts.trans_w[gp][g] += 1.0;
                                wts.trans_u[gp][g] += c;
                                wts.trans_w[pp][p] -= 1.0;
                                wts.trans_u[pp][p] -= c;
                            }
                        }
                    }
                }
                wts.c += 1.0;
                let tags: Vec<Tag> = pred.into_iter().map(Tag::from_index).collect();
                history.record(&s.lowers, &s.capitalised, &tags);
            }
        }
        // Export the averaged, pruned, quantised model and score it.
        let mut merged: HashMap<u32, [f32; N], BuildHasherDefault<IdentityHasher>> =
            HashMap::default();
        for (id, &h) in index.hashes.iter().enumerate() {
            let mut row = [0f32; N];
            let mut max = 0f32;
            for (t, r) in row.iter_mut().enumerate() {
                *r = wts.averaged(id * N + t);
                max = max.max(r.abs());
            }
            if max < config.min_weight {
                continue;
            }
            let e = merged.entry(key32(h)).or_insert([0.0; N]);
            for (a, b) in e.iter_mut().zip(row) {
                *a += b;
            }
        }
        let mut start = [0f32; N];
        let mut trans = [[0f32; N]; N];
        for (t, s) in start.iter_mut().enumerate() {
            *s = (f64::from(wts.start_w[t]) - wts.start_u[t] / wts.c) as f32;
        }
        for (p, row) in trans.iter_mut().enumerate() {
            for (t, v) in row.iter_mut().enumerate() {
                *v = (f64::from(wts.trans_w[p][t]) - wts.trans_u[p][t] / wts.c) as f32;
            }
        }
        let features: Vec<(u32, [f32; N])> = merged.into_iter().collect();
        let kept = features.len();
        let bytes = ModelParts {
            features,
            start,
            trans,
            gazetteer: gazetteer.clone(),
            classes: class_list.clone(),
        }
        .to_bytes();
        let model = NerModel::from_bytes(&bytes)?;
        let dev_counts = score_documents(&model, dev);
        let report = EpochReport {
            epoch,
            dev: dev_counts,
            train_errors: errors,
            features_seen: index.hashes.len(),
            features_kept: kept,
            model_bytes: bytes.len(),
        };
        on_epoch(&report);
        let f1 = dev_counts.overall().f1;
        if best.as_ref().is_none_or(|b| f1 > b.best_f1) {
            best = Some(TrainOutcome {
                model: bytes,
                best_epoch: epoch,
                best_f1: f1,
            });
        }
    }
    best.ok_or(ModelError::Invalid("no training epochs"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_conll_and_converts_iob1() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\n\nPeter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\n\n-DOCSTART- -X- O O\n\nBRUSSELS NNP B-NP I-LOC\n";
        let docs = read_conll(text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(
            docs[0].sentences[0].tags,
            vec![Tag::B(EntityLabel::Org), Tag::O, Tag::B(EntityLabel::Misc)]
        );
        assert_eq!(
            docs[0].sentences[1].tags,
            vec![Tag::B(EntityLabel::Per), Tag::I(EntityLabel::Per)]
        );
        assert!(read_conll("word NNP B-NP X-FOO\n").is_err());
    }

    #[test]
    fn training_is_deterministic_and_learns() {
        let text = "-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\nvisited VBD B-VP O\nParis NNP B-NP B-LOC\n. . O O\n\nAnna NNP B-NP B-PER\nleft VBD B-VP O\nRome NNP B-NP B-LOC\n. . O O\n\n-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\nleft VBD B-VP O\nRome NNP B-NP B-LOC\n. . O O\n";
        let docs = read_conll(text).unwrap();
        let classes = HashMap::from([("Paris".to_string(), [1, 2]), ("Rome".to_string(), [1, 2])]);
        let config = TrainConfig {
            epochs: 5,
            seed: 7,
            min_weight: 0.0,
            rare_doc_freq: 0,
        };
        let mut epochs = 0;
        let a = train(&docs, &docs, &classes, &config, |_| epochs += 1).unwrap();
        let b = train(&docs, &docs, &classes, &config, |_| {}).unwrap();
        assert_eq!(epochs, 5);
        assert_eq!(a.model, b.model);
        assert_eq!(a.best_f1, 100.0);
        let model = NerModel::from_bytes(&a.model).unwrap();
        let tags = model.tag(&[&["Anna", "visited", "Paris", "."]]);
        assert_eq!(
            tags[0],
            vec![
                Tag::B(EntityLabel::Per),
                Tag::O,
                Tag::B(EntityLabel::Loc),
                Tag::O
            ]
        );
    }

    #[test]
    fn counts_match_hand_computation() {
        use EntityLabel::*;
        let mut c = Counts::default();
        // gold: PER(0..2), LOC(3..4); pred: PER(0..2) right, LOC(3..5) wrong boundary.
        c.add(
            &[Tag::B(Per), Tag::I(Per), Tag::O, Tag::B(Loc), Tag::O],
            &[Tag::B(Per), Tag::I(Per), Tag::O, Tag::B(Loc), Tag::I(Loc)],
        );
        let o = c.overall();
        assert_eq!((o.precision, o.recall, o.f1), (50.0, 50.0, 50.0));
        assert_eq!(c.label(Per).f1, 100.0);
        assert_eq!(c.label(Loc).f1, 0.0);
    }
}
