//! Near-duplicate detection: MinHash signatures over word shingles, bucketed
//! with locality-sensitive hashing so that finding candidates for a new
//! article is an index lookup, never a scan of the store.
//!
//! Wire copy is rewritten in small ways (a new headline, a sentence cut, a
//! paragraph moved), so exact hashing alone would count one report many times.
//! Word 3-shingles keep rewrites similar while separating different articles
//! on the same topic; 32 bands of 4 rows make pairs with Jaccard ≥ 0.5 collide
//! in at least one band with probability ≈ 0.87, and pairs below 0.2 almost never.

/// Number of hash functions in a signature.
pub const SIGNATURE_LEN: usize = 128;
/// Rows per LSH band.
pub const BAND_ROWS: usize = 4;
/// Number of LSH bands.
pub const BANDS: usize = SIGNATURE_LEN / BAND_ROWS;
/// Estimated Jaccard similarity at or above which two articles are near-duplicates.
pub const DUPLICATE_THRESHOLD: f32 = 0.5;
/// Articles with fewer shingles than this are too short to fingerprint
/// reliably; they are deduplicated by exact content only.
pub const MIN_SHINGLES: usize = 8;

const SHINGLE_WORDS: usize = 3;

/// A MinHash fingerprint and its LSH band keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    /// The signature: per hash function, the minimum over the shingles.
    pub signature: Vec<u32>,
    /// One key per band; two articles sharing a key are candidates.
    pub bands: Vec<u64>,
}

/// Computes the fingerprint of a text, or `None` when it is too short.
///
/// ```
/// use storyline_engine::dedup::{fingerprint, similarity};
/// let a = "The river burst its banks on Tuesday night, flooding three villages and forcing thousands to flee to higher ground.";
/// let b = "The river burst its banks on Tuesday night, flooding three villages and forcing thousands to flee to the hills.";
/// let fa = fingerprint(a).unwrap();
/// let fb = fingerprint(b).unwrap();
/// assert!(similarity(&fa.signature, &fb.signature) > 0.6);
/// ```
pub fn fingerprint(text: &str) -> Option<Fingerprint> {
    // One pass over the words, hashing each as it comes and keeping only the
    // last SHINGLE_WORDS hashes: a lowercase `String` per word (and then a
    // hash per word) for the whole text took about 9 bytes of memory per
    // byte of text, the largest share of a huge article's ingest, and the
    // text is not bounded by the analysis budget.
    let mut window = [0u64; SHINGLE_WORDS];
    let mut words = 0usize;
    let mut signature = [u32::MAX; SIGNATURE_LEN];
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let hash = if w.is_ascii() {
            w.bytes()
                .fold(FNV_OFFSET, |h, b| fnv1a_byte(h, b.to_ascii_lowercase()))
        } else {
            fnv1a(FNV_OFFSET, w.to_lowercase().as_bytes())
        };
        window.rotate_left(1);
        window[SHINGLE_WORDS - 1] = hash;
        words += 1;
        if words < SHINGLE_WORDS {
            continue;
        }
        // A shingle's hash combines its words' hashes, oldest first.
        let h = mix64(window.iter().fold(0u64, |acc, w| mix64(acc ^ w)));
        // Multiply-shift hashing: one multiply and add per function, which
        // the compiler unrolls; far cheaper than a full mixer per function.
        for ((slot, a), b) in signature.iter_mut().zip(&MULTIPLIERS).zip(&OFFSETS) {
            let v = (a.wrapping_mul(h).wrapping_add(*b) >> 32) as u32;
            *slot = (*slot).min(v);
        }
    }
    if words < SHINGLE_WORDS + MIN_SHINGLES - 1 {
        return None;
    }
    let signature = signature.to_vec();
    let bands = bands_of(&signature);
    Some(Fingerprint { signature, bands })
}

/// The LSH band keys of a signature: one hash per `BAND_ROWS` slots.
fn bands_of(signature: &[u32]) -> Vec<u64> {
    signature
        .chunks(BAND_ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let mut h = fnv1a(FNV_OFFSET, &(band as u32).to_le_bytes());
            for r in rows {
                h = fnv1a(h, &r.to_le_bytes());
            }
            // Keys are stored in SQLite's signed 64-bit integers; keep them positive-safe by masking.
            mix64(h) & 0x7FFF_FFFF_FFFF_FFFF
        })
        .collect()
}

/// Estimated Jaccard similarity of two signatures (share of equal slots).
pub fn similarity(a: &[u32], b: &[u32]) -> f32 {
    if a.len() != b.len() || a.is_empty() {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / a.len() as f32
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a(h: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(h, |h, b| fnv1a_byte(h, *b))
}

fn fnv1a_byte(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
}

/// SplitMix64 finaliser: a cheap bijective mixer, so `mix64(x ^ seed)` gives
/// independent-enough hash functions for MinHash.
const fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Odd multipliers and offsets of the hash functions, fixed so signatures
/// stored by one run compare with those of the next.
const MULTIPLIERS: [u64; SIGNATURE_LEN] = constants(1);
const OFFSETS: [u64; SIGNATURE_LEN] = constants(2);

const fn constants(stream: u64) -> [u64; SIGNATURE_LEN] {
    let mut out = [0u64; SIGNATURE_LEN];
    let mut i = 0;
    while i < SIGNATURE_LEN {
        out[i] = mix64(0x9e37_79b9_7f4a_7c15u64.wrapping_mul(i as u64 + 1) ^ stream) | 1;
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The fingerprint as it was made before it streamed: every word
    /// lowercased into a vector, then every word's hash, then the shingles.
    fn fingerprint_by_vectors(text: &str) -> Option<Fingerprint> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect();
        if words.len() < SHINGLE_WORDS + MIN_SHINGLES - 1 {
            return None;
        }
        let word_hashes: Vec<u64> = words
            .iter()
            .map(|w| fnv1a(FNV_OFFSET, w.as_bytes()))
            .collect();
        let mut signature = [u32::MAX; SIGNATURE_LEN];
        for window in word_hashes.windows(SHINGLE_WORDS) {
            let h = mix64(window.iter().fold(0u64, |acc, w| mix64(acc ^ w)));
            for ((slot, a), b) in signature.iter_mut().zip(&MULTIPLIERS).zip(&OFFSETS) {
                let v = (a.wrapping_mul(h).wrapping_add(*b) >> 32) as u32;
                *slot = (*slot).min(v);
            }
        }
        let signature = signature.to_vec();
        let bands = bands_of(&signature);
        Some(Fingerprint { signature, bands })
    }

    #[test]
    fn the_streamed_fingerprint_is_the_one_made_from_vectors() {
        for text in [
            WIRE,
            "ÉTÉ À PARIS: İstanbul’s MAYOR said Straße 12 was closed, ΟΔΟΣ too — and more words here now.",
            "one two three four five six seven eight nine",
            "one two three four five six seven eight nine ten",
            "",
        ] {
            let got = fingerprint(text);
            let want = fingerprint_by_vectors(text);
            assert_eq!(got.as_ref().map(|f| &f.signature), want.as_ref().map(|f| &f.signature), "{text:?}");
            assert_eq!(got.map(|f| f.bands), want.map(|f| f.bands), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn the_streamed_fingerprint_matches_on_any_text(text in "(\\PC{0,6} ){0,40}") {
            let got = fingerprint(&text);
            let want = fingerprint_by_vectors(&text);
            prop_assert_eq!(got.as_ref().map(|f| &f.signature), want.as_ref().map(|f| &f.signature));
            prop_assert_eq!(got.map(|f| f.bands), want.map(|f| f.bands));
        }
    }

    const WIRE: &str = "Floodwaters rose across the Delmar valley on Tuesday as the river broke through an earthen levee near the town of Ostrava Nova. Regional officials said at least 14 people had died and several thousand had left their homes. The governor asked the national government for helicopters and said rescue teams were working through the night. Aid groups warned that clean water was running short in shelters along the main road.";

    #[test]
    fn rewrite_is_a_near_duplicate() {
        let rewrite = "Floodwaters rose across the Delmar valley on Tuesday as the river broke through an earthen levee near the town of Ostrava Nova. Regional officials said at least 14 people had died and several thousand had left their homes. The governor asked the national government for helicopters. Aid groups warned that clean water was running short in shelters along the main road, and called for donations.";
        let a = fingerprint(WIRE).unwrap();
        let b = fingerprint(rewrite).unwrap();
        let s = similarity(&a.signature, &b.signature);
        assert!(s >= DUPLICATE_THRESHOLD, "similarity {s}");
        assert!(a.bands.iter().zip(&b.bands).any(|(x, y)| x == y));
    }

    #[test]
    fn same_topic_different_article_is_not() {
        let other = "The national government sent four helicopters to the Delmar valley on Wednesday, a day after the levee failed. Rescue crews said the water had begun to fall in the lower districts, but roads into the hill villages remained cut. The health ministry said it was sending doctors and water purification tablets to the shelters.";
        let a = fingerprint(WIRE).unwrap();
        let b = fingerprint(other).unwrap();
        assert!(similarity(&a.signature, &b.signature) < 0.2);
    }

    #[test]
    fn short_texts_have_no_fingerprint() {
        assert!(fingerprint("Too short to say.").is_none());
        assert!(fingerprint("").is_none());
    }

    proptest! {
        #[test]
        fn identical_texts_are_identical(s in "[a-z ]{0,400}") {
            let a = fingerprint(&s);
            let b = fingerprint(&s);
            prop_assert_eq!(a.clone(), b);
            if let Some(f) = a {
                prop_assert_eq!(f.signature.len(), SIGNATURE_LEN);
                prop_assert_eq!(f.bands.len(), BANDS);
                prop_assert!(f.bands.iter().all(|b| *b <= i64::MAX as u64));
            }
        }
    }
}
