//! Sentence bounds and the tense around a time expression, which decides
//! whether `Friday` or `Oct. 7` lies before or after the document date.
//!
//! There is no part-of-speech tagger in the fast tier, so tense is read from
//! cue words: modals and `going to` for the future, past forms (irregular
//! list and `-ed`) for the past, with the nearest cue to the expression
//! winning and reporting verbs (`said`) counting only when nothing else does,
//! since they belong to the reporting clause rather than the reported event.

/// The tense that governs a time expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tense {
    Past,
    Present,
    Future,
    Unknown,
}

/// Byte ranges of sentences: split after `.`, `!`, `?` followed by space and
/// an uppercase letter or quote (not after common abbreviations), and at blank lines.
pub(super) fn sentence_bounds(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let mut cut = None;
        if b == b'\n' && bytes.get(i + 1) == Some(&b'\n') {
            cut = Some(i + 1);
        } else if matches!(b, b'.' | b'!' | b'?') {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')') {
                j += 1;
            }
            if j < bytes.len() && bytes[j].is_ascii_whitespace() {
                let mut k = j;
                while k < bytes.len() && bytes[k].is_ascii_whitespace() {
                    k += 1;
                }
                let next_upper = k >= bytes.len()
                    || bytes[k].is_ascii_uppercase()
                    || matches!(bytes[k], b'"' | b'`' | b'\'' | b'(');
                if next_upper && !(b == b'.' && is_abbreviation(&text[start..i])) {
                    cut = Some(j);
                }
            }
        }
        if let Some(c) = cut {
            if c > start {
                out.push((start, c));
            }
            start = c;
            i = c;
            continue;
        }
        i += 1;
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

fn is_abbreviation(before: &str) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let w = word.to_ascii_lowercase();
    if w.len() == 1 && word.chars().all(|c| c.is_uppercase()) {
        return true;
    }
    if w.contains('.') {
        return true; // U.S., a.m.
    }
    matches!(
        w.as_str(),
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "prof"
            | "sen"
            | "rep"
            | "gov"
            | "gen"
            | "col"
            | "lt"
            | "sgt"
            | "capt"
            | "st"
            | "jr"
            | "sr"
            | "inc"
            | "corp"
            | "co"
            | "ltd"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "no"
            | "vs"
            | "mt"
            | "ft"
            | "rev"
            | "calif"
            | "fla"
            | "mass"
            | "conn"
            | "ill"
            | "mich"
            | "tenn"
            | "ariz"
            | "colo"
            | "wash"
            | "pa"
            | "va"
            | "md"
            | "ga"
            | "ky"
            | "la"
            | "mo"
            | "n.y"
    )
}

const FUTURE: &[&str] = &[
    "will",
    "'ll",
    "shall",
    "won't",
    "wo",
    "tomorrow",
    "scheduled",
    "expected",
    "plans",
    "plan",
    "planned",
    "intends",
    "due",
    "upcoming",
    "would",
];
const PAST_IRREGULAR: &[&str] = &[
    "was",
    "were",
    "had",
    "did",
    "met",
    "went",
    "came",
    "took",
    "gave",
    "made",
    "told",
    "began",
    "left",
    "held",
    "found",
    "got",
    "saw",
    "became",
    "brought",
    "fell",
    "rose",
    "won",
    "lost",
    "paid",
    "sold",
    "bought",
    "spent",
    "set",
    "put",
    "hit",
    "cut",
    "led",
    "sent",
    "kept",
    "ran",
    "spoke",
    "wrote",
    "flew",
    "fled",
    "fought",
    "struck",
    "shot",
    "stood",
    "thought",
    "knew",
    "grew",
    "drew",
    "threw",
    "broke",
    "chose",
    "ate",
    "drove",
    "rode",
    "sat",
    "slept",
    "stole",
    "swore",
    "tore",
    "wore",
    "woke",
    "felt",
    "meant",
    "heard",
    "built",
    "sent",
    "lent",
    "dealt",
    "quit",
    "arose",
    "sought",
    "taught",
    "caught",
    "forgot",
    "hid",
    "bore",
    "beat",
    "bit",
    "bid",
    "slid",
    "shut",
    "spread",
    "split",
    "upheld",
    "withdrew",
    "overtook",
    "undertook",
    "agreed",
    "ago",
    "yesterday",
    "earlier",
    "last",
];
const PRESENT: &[&str] = &[
    "is", "are", "am", "has", "have", "does", "do", "isn't", "aren't", "hasn't", "haven't",
    "doesn't", "don't",
];
const REPORTING: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "reported",
    "announced",
    "added",
    "noted",
    "stated",
    "according",
];

/// Lowercased words of a sentence with byte offsets.
fn words(text: &str, start: usize, end: usize) -> Vec<(usize, String)> {
    let s = &text[start..end];
    let mut out = Vec::new();
    let mut cur_start = None;
    for (i, ch) in s.char_indices() {
        let is_word = ch.is_alphanumeric() || ch == '\'' || ch == '-';
        match (is_word, cur_start) {
            (true, None) => cur_start = Some(i),
            (false, Some(st)) => {
                out.push((start + st, s[st..i].to_lowercase()));
                cur_start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = cur_start {
        out.push((start + st, s[st..].to_lowercase()));
    }
    out
}

/// Whether `classify` reads this word's tense off its `-ed` ending alone
/// (no word list names it).
fn weak_cue(word: &str) -> bool {
    let w = word.trim_matches('\'');
    w.ends_with("ed")
        && !FUTURE.contains(&w)
        && !REPORTING.contains(&w)
        && !PRESENT.contains(&w)
        && !PAST_IRREGULAR.contains(&w)
}

/// Whether a lower-case word reads as a past-tense verb (`exploded`,
/// `sank`, `said`), by the same cues the tense of a time expression is read
/// from.
pub(crate) fn is_past_verb(word: &str, prev: Option<&str>) -> bool {
    matches!(classify(word, prev), Some((Tense::Past, _)))
}

fn classify(word: &str, prev: Option<&str>) -> Option<(Tense, bool)> {
    let w = word.trim_matches('\'');
    if w.ends_with("'ll") || FUTURE.contains(&w) {
        if w == "plan" || w == "plans" || w == "expected" || w == "due" {
            return Some((Tense::Future, true));
        }
        return Some((Tense::Future, false));
    }
    if w == "going" {
        return None;
    }
    if w == "set" && matches!(prev, Some("is") | Some("are") | Some("was") | Some("were")) {
        return Some((Tense::Future, false));
    }
    if REPORTING.contains(&w) {
        let t = if matches!(w, "says" | "say") {
            Tense::Present
        } else {
            Tense::Past
        };
        return Some((t, true));
    }
    if PRESENT.contains(&w) {
        return Some((Tense::Present, false));
    }
    if PAST_IRREGULAR.contains(&w) {
        return Some((Tense::Past, false));
    }
    if w.len() >= 5 && w.ends_with("ed") && !w.contains('-') {
        if matches!(
            w,
            "united"
                | "need"
                | "needed"
                | "speed"
                | "indeed"
                | "hundred"
                | "based"
                | "proceed"
                | "succeed"
                | "exceed"
                | "breed"
                | "seed"
                | "feed"
                | "weed"
                | "greed"
                | "creed"
                | "related"
                | "limited"
                | "detailed"
                | "advanced"
                | "armed"
                | "red"
                | "bed"
                | "shed"
                | "sled"
                | "wed"
                | "fled"
                | "bled"
                | "bred"
                | "noted"
                | "expected"
                | "scheduled"
        ) {
            return None;
        }
        // `will be held` / `to be named`: a participle after a modal is not past.
        if matches!(prev, Some("be") | Some("been") | Some("being")) {
            return None;
        }
        return Some((Tense::Past, false));
    }
    None
}

/// The tense governing the expression at `[start, end)` within the sentence `sent`:
/// the nearest cue before it, else the nearest after it. English puts the
/// verb a time adverbial modifies before it far more often than after.
pub(super) fn tense_at(text: &str, sent: (usize, usize), start: usize, end: usize) -> Tense {
    let ws = words(text, sent.0, sent.1);
    // Cues read off a word's ending (`-ed`) are weak: `bottled water`,
    // `the flooded town` are adjectives. A modal, an auxiliary or a
    // reporting verb before the expression outranks a nearer weak cue.
    let mut before: Option<Tense> = None;
    let mut before_strong: Option<Tense> = None;
    let mut after: Option<Tense> = None;
    let mut prev: Option<&str> = None;
    for (i, (pos, w)) in ws.iter().enumerate() {
        if *pos >= start && *pos < end {
            prev = Some(w.as_str());
            continue;
        }
        // `going to` is a future cue at `going`.
        let cls = if w == "going" && ws.get(i + 1).is_some_and(|(_, n)| n == "to") {
            Some((Tense::Future, true))
        } else {
            classify(w, prev).map(|(t, _)| (t, !weak_cue(w)))
        };
        if let Some((t, strong)) = cls {
            if *pos < start {
                before = Some(t);
                if strong {
                    before_strong = Some(t);
                }
            } else if after.is_none() {
                after = Some(t);
            }
        }
        prev = Some(w.as_str());
    }
    let before = match (before, before_strong) {
        (Some(Tense::Past), Some(strong)) => Some(strong),
        (b, _) => b,
    };
    // `until Friday`, `by Jan. 14`, `as soon as Tuesday`: deadlines and
    // earliest dates lie ahead whatever the verb's tense.
    let lead: Vec<&str> = ws
        .iter()
        .filter(|(p, _)| *p < start)
        .rev()
        .take(3)
        .map(|(_, w)| w.as_str())
        .collect();
    if (matches!(lead.first(), Some(&"until") | Some(&"till") | Some(&"by"))
        || (lead.first() == Some(&"on") && matches!(lead.get(1), Some(&"until") | Some(&"by")))
        || (lead.len() >= 3
            && lead[0] == "as"
            && matches!(lead[1], "soon" | "early")
            && lead[2] == "as"))
        && (before != Some(Tense::Past) || lead.first() != Some(&"by"))
    {
        return Tense::Future;
    }
    before.or(after).unwrap_or(Tense::Unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str, needle: &str) -> Tense {
        let start = s.find(needle).unwrap_or(0);
        tense_at(s, (0, s.len()), start, start + needle.len())
    }

    #[test]
    fn cues() {
        assert_eq!(t("They will meet on Friday.", "Friday"), Tense::Future);
        assert_eq!(t("They met on Friday.", "Friday"), Tense::Past);
        assert_eq!(
            t("Talks will resume Friday, officials said.", "Friday"),
            Tense::Future
        );
        assert_eq!(t("The meeting is on Friday.", "Friday"), Tense::Present);
        assert_eq!(t("Friday.", "Friday"), Tense::Unknown);
    }

    #[test]
    fn adjectives_in_ed_do_not_outrank_a_modal() {
        let s = "The water company said it would hand out bottled water from Tuesday.";
        assert_eq!(t(s, "Tuesday"), Tense::Future);
        assert_eq!(
            t(
                "The minister will visit the flooded town on Tuesday.",
                "Tuesday"
            ),
            Tense::Future
        );
        // A weak cue still decides when nothing stronger is there.
        assert_eq!(
            t("Police arrested five men on Tuesday.", "Tuesday"),
            Tense::Past
        );
        assert_eq!(
            t("He said they arrested five men on Tuesday.", "Tuesday"),
            Tense::Past
        );
    }

    #[test]
    fn sentences() {
        let s = "He left Oct. 7. Mr. Smith said so. U.S. troops came.";
        let b = sentence_bounds(s);
        let parts: Vec<&str> = b.iter().map(|(a, z)| s[*a..*z].trim()).collect();
        assert_eq!(
            parts,
            vec!["He left Oct. 7.", "Mr. Smith said so.", "U.S. troops came."]
        );
    }
}
