//! The words that decide whether a sentence states a position
//! (`lang/en/stance_cues.tsv`), parsed once. Each class belongs to one
//! named rule; the file's header says which.

use std::collections::HashSet;
use std::sync::OnceLock;

const STANCE_CUES_TSV: &str = include_str!("../../lang/en/stance_cues.tsv");

/// A class of `stance_cues.tsv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Cue {
    // The discriminants index `Cues::words`, in the order of `Cue::ALL`.
    QuestionVerb = 0,
    CallOn,
    Governor,
    ClauseBreak,
    ContentNoun,
    PolarityFlip,
    Refusal,
    NotRelief,
    Relational,
    Member,
    Preposition,
    Adverb,
}

impl Cue {
    const ALL: [(Cue, &'static str); 12] = [
        (Cue::QuestionVerb, "question_verb"),
        (Cue::CallOn, "call_on"),
        (Cue::Governor, "governor"),
        (Cue::ClauseBreak, "clause_break"),
        (Cue::ContentNoun, "content_noun"),
        (Cue::PolarityFlip, "polarity_flip"),
        (Cue::Refusal, "refusal"),
        (Cue::NotRelief, "not_relief"),
        (Cue::Relational, "relational"),
        (Cue::Member, "member"),
        (Cue::Preposition, "preposition"),
        (Cue::Adverb, "adverb"),
    ];
}

struct Cues {
    /// One set per class, in the order of [`Cue::ALL`].
    words: [HashSet<String>; Cue::ALL.len()],
    #[cfg_attr(not(test), allow(dead_code))]
    bad_lines: Vec<usize>,
}

fn cues() -> &'static Cues {
    static CUES: OnceLock<Cues> = OnceLock::new();
    CUES.get_or_init(|| {
        let mut words: [HashSet<String>; Cue::ALL.len()] = Default::default();
        let mut bad_lines = Vec::new();
        for (n, line) in STANCE_CUES_TSV.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
            let class = cols
                .get(1)
                .and_then(|c| Cue::ALL.iter().find(|(_, name)| name == c));
            match (cols.as_slice(), class) {
                ([w, _], Some((cue, _))) if !w.is_empty() && !w.contains(' ') => {
                    words[*cue as usize].insert(w.to_string());
                }
                _ => bad_lines.push(n + 1),
            }
        }
        Cues { words, bad_lines }
    })
}

/// Whether `w` (lower case) is listed under `cue`.
pub(crate) fn is(cue: Cue, w: &str) -> bool {
    cues().words[cue as usize].contains(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_file_parses_whole_and_every_class_has_words() {
        assert!(cues().bad_lines.is_empty(), "{:?}", cues().bad_lines);
        for (cue, name) in Cue::ALL {
            assert!(
                !cues().words[cue as usize].is_empty(),
                "no word of class {name}"
            );
        }
        for (i, (cue, _)) in Cue::ALL.iter().enumerate() {
            assert_eq!(*cue as usize, i, "Cue::ALL is in declaration order");
        }
        assert!(is(Cue::QuestionVerb, "asked") && is(Cue::Governor, "asked"));
        assert!(!is(Cue::Member, "officials"), "officials speak for a body");
    }
}
