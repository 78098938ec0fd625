//! Tokenisation of news text with byte offsets into the original string.
//!
//! The rules follow the conventions of the CoNLL-2003 / Penn Treebank data the
//! entity model is trained on (`Israel 's`, `U.S.` kept whole, `$ 25`), so the
//! tagger sees at run time what it saw in training. Nothing is ever dropped or
//! rewritten: tokens are spans, and the text between two tokens is whitespace.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use storyline_core::Span;

/// What a token is made of; later stages use it to skip punctuation cheaply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Letters (possibly with digits, hyphens, apostrophes or inner periods).
    Word,
    /// Starts with a digit: `9,061`, `2.3`, `1990s`, `75-year`.
    Number,
    /// Punctuation: quotes, brackets, dashes, `.`, `...`.
    Punct,
    /// Symbols and emoji that are neither words nor punctuation.
    Symbol,
    /// A web address.
    Url,
    /// An e-mail address.
    Email,
}

/// One token: a span of the original text plus what follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Token {
    /// Where the token is in the text (byte offsets, on char boundaries).
    pub span: Span,
    /// Whether whitespace follows the token, so a detokenised rendering can
    /// reproduce the spacing (the exact whitespace is `text[span.end..next.start]`).
    pub ws_after: bool,
    /// What the token is made of.
    pub kind: TokenKind,
}

impl Token {
    /// The token's text.
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.span.start..self.span.end).unwrap_or("")
    }
}

/// Maps a token to the form the CoNLL-trained tagger expects: curly quotes
/// become straight (`’s` → `'s`), dashes become `-`, `…` becomes `...`.
/// Borrowed when nothing changes, which is almost always.
pub fn model_form(token: &str) -> Cow<'_, str> {
    if token.is_ascii() {
        return Cow::Borrowed(token);
    }
    let mut out = String::with_capacity(token.len());
    for c in token.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => {
                out.push('"')
            }
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{00A0}' => out.push(' '),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Abbreviations whose period belongs to the word (lowercase, without the period).
const ABBREVIATIONS: &[&str] = &[
    "adm", "al", "approx", "apr", "assn", "atty", "aug", "ave", "bldg", "blvd", "bros", "brig",
    "capt", "cdr", "cmdr", "co", "col", "corp", "cpl", "dec", "dept", "dist", "dr", "est", "etc",
    "feb", "fig", "fri", "ft", "gen", "gov", "hon", "hwy", "inc", "jan", "jr", "jul", "jun", "lt",
    "ltd", "maj", "mar", "messrs", "mon", "mr", "mrs", "ms", "mt", "no", "nos", "nov", "oct", "op",
    "pres", "prof", "pt", "rd", "rep", "reps", "rev", "sat", "sen", "sens", "sep", "sept", "sgt",
    "sr", "st", "sun", "supt", "thu", "thurs", "tue", "tues", "univ", "vol", "vs", "wed",
];

/// Abbreviations that keep their period even in lowercase; the capitalised
/// list above holds words (`No.`, `Sun.`, `Mar.`) that are ordinary words in lowercase.
const LOWER_ABBREVIATIONS: &[&str] = &["approx", "ca", "cf", "esp", "etc", "al", "incl", "vs"];

/// Abbreviations that precede a name or a number and so never end a sentence.
const TITLES: &[&str] = &[
    "adm", "atty", "brig", "capt", "cdr", "cmdr", "col", "cpl", "dr", "gen", "gov", "hon", "lt",
    "maj", "messrs", "mr", "mrs", "ms", "mt", "no", "nos", "pres", "prof", "rep", "reps", "rev",
    "sen", "sens", "sgt", "supt", "vs",
];

fn ascii_lower_in(word: &str, list: &[&str]) -> bool {
    if word.len() > 8 || !word.is_ascii() {
        return false;
    }
    let mut buf = [0u8; 8];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    list.iter().any(|a| a.as_bytes() == lower)
}

/// Whether `word` (which ends in `.`) is an abbreviation that keeps its period:
/// a listed abbreviation, an initial (`J.`), or letters with inner periods (`U.S.`).
pub(crate) fn is_abbreviation(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('.') else {
        return false;
    };
    if stem.is_empty() {
        return false;
    }
    let capitalised = stem.chars().next().is_some_and(char::is_uppercase);
    if (capitalised && ascii_lower_in(stem, ABBREVIATIONS))
        || ascii_lower_in(stem, LOWER_ABBREVIATIONS)
    {
        return true;
    }
    let mut chars = stem.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase();
    }
    // `U.S`, `a.m`, `e.g`: single letters separated by periods.
    stem.contains('.')
        && stem
            .split('.')
            .all(|part| part.chars().count() == 1 && part.chars().all(char::is_alphabetic))
}

/// Whether `word` is an abbreviation that introduces what follows (`Mr.`,
/// `Gen.`, `No.`) or an initial (`J.`), and so never ends a sentence.
pub(crate) fn is_title_abbreviation(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('.') else {
        return false;
    };
    if stem.chars().next().is_some_and(char::is_uppercase) && ascii_lower_in(stem, TITLES) {
        return true;
    }
    let mut chars = stem.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}')
}

/// Combining marks and joiners that belong to the character before them.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05C7 | 0x0610..=0x061A
        | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0900..=0x0903 | 0x093A..=0x094F
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200C | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Characters that glue onto an emoji or symbol: ZWJ, variation selectors,
/// skin tones, keycaps, tag characters.
fn is_emoji_glue(c: char) -> bool {
    matches!(c as u32,
        0x200D | 0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0x20E3 | 0xE0020..=0xE007F)
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_mark(c)
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{02BC}')
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}'
    )
}

/// Characters that are always a token of their own inside a chunk.
fn is_hard_punct(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '<'
            | '>'
            | '"'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{201F}'
            | '\u{00AB}'
            | '\u{00BB}'
            | '\u{2039}'
            | '\u{203A}'
            | '\u{2026}'
            | '!'
            | '?'
            | ';'
            | '\u{00A1}'
            | '\u{00BF}'
            | '\u{2022}'
            | '\u{25AA}'
            | '\u{25E6}'
            | '\u{2023}'
            | '\u{00B7}'
            | '|'
            | '\u{00A9}'
            | '\u{00AE}'
            | '\u{2122}'
    ) || is_dash(c)
}

/// Every token's lowercase [`model_form`], the form the word lists are
/// matched against, held in one buffer.
///
/// A `String` per token cost about 56 bytes of heap each (the string and
/// its smallest malloc chunk), some 11 bytes per byte of text, and the
/// attribution and referent steps each kept one per token for the whole
/// article; here a token costs its letters and a 4-byte end offset.
#[derive(Clone, Debug, Default)]
pub struct Lowered {
    buf: String,
    ends: Ends,
}

/// End offsets into [`Lowered::buf`]: 32 bits while the buffer fits them
/// (always within the analysis budget), else whole words, so no text is too
/// long to be answered right.
#[derive(Clone, Debug)]
enum Ends {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl Default for Ends {
    fn default() -> Self {
        Ends::Narrow(Vec::new())
    }
}

impl Lowered {
    /// The lowercase model form of each of `tokens`, in order.
    pub fn new(text: &str, tokens: &[Token]) -> Lowered {
        Lowered::with_narrow_limit(text, tokens, u32::MAX as usize)
    }

    /// [`Lowered::new`], switching to whole-word offsets once the buffer
    /// passes `narrow` bytes (a parameter so tests can reach that path).
    fn with_narrow_limit(text: &str, tokens: &[Token], narrow: usize) -> Lowered {
        let mut buf = String::with_capacity(tokens.iter().map(|t| t.span.len()).sum());
        let mut ends = Ends::Narrow(Vec::with_capacity(tokens.len()));
        for t in tokens {
            let form = model_form(t.text(text));
            if form.is_ascii() {
                // The common case, without `to_lowercase`'s new string.
                buf.extend(form.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            } else {
                buf.push_str(&form.to_lowercase());
            }
            let end = buf.len();
            match &mut ends {
                Ends::Narrow(v) => match u32::try_from(end).ok().filter(|_| end <= narrow) {
                    Some(e) => v.push(e),
                    None => {
                        let mut wide: Vec<usize> = v.iter().map(|&e| e as usize).collect();
                        wide.push(end);
                        ends = Ends::Wide(wide);
                    }
                },
                Ends::Wide(v) => v.push(end),
            }
        }
        buf.shrink_to_fit();
        Lowered { buf, ends }
    }

    /// How many tokens there are.
    pub fn len(&self) -> usize {
        match &self.ends {
            Ends::Narrow(v) => v.len(),
            Ends::Wide(v) => v.len(),
        }
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn end(&self, i: usize) -> Option<usize> {
        match &self.ends {
            Ends::Narrow(v) => v.get(i).map(|&e| e as usize),
            Ends::Wide(v) => v.get(i).copied(),
        }
    }

    /// Token `i`'s lowercase form; `None` past the last token.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = self.end(i)?;
        let start = match i.checked_sub(1) {
            Some(p) => self.end(p)?,
            None => 0,
        };
        self.buf.get(start..end)
    }

    /// The forms of the tokens in `range` joined by `sep`, as
    /// `[String]::join` would (tokens past the last are left out).
    pub fn join(&self, range: std::ops::Range<usize>, sep: &str) -> String {
        let mut out = String::new();
        for (k, i) in range.enumerate() {
            let Some(w) = self.get(i) else { break };
            if k > 0 {
                out.push_str(sep);
            }
            out.push_str(w);
        }
        out
    }
}

impl std::ops::Index<usize> for Lowered {
    type Output = str;

    /// Token `i`'s form; panics past the last token, as a slice does.
    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(w) => w,
            None => panic!("token {i} of {} has no lowercase form", self.len()),
        }
    }
}

/// The tokens of [`tokenize`], in order, handed to `f` one at a time
/// instead of collected: a caller that reads each token once (the story
/// features of a whole article, which is not bounded by the analysis
/// budget) then holds one whitespace-separated chunk's tokens, not 24 bytes
/// per token of the text. Its loop is `tokenize`'s; a test keeps them equal.
pub fn for_each_token(text: &str, mut f: impl FnMut(Token)) {
    let mut chunk = Vec::new();
    let mut chunk_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_separator(c) {
            if let Some(s) = chunk_start.take() {
                tokenize_chunk(text, s, i, &mut chunk);
                if let Some(last) = chunk.last_mut() {
                    last.ws_after = true;
                }
                chunk.drain(..).for_each(&mut f);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        tokenize_chunk(text, s, text.len(), &mut chunk);
        chunk.drain(..).for_each(&mut f);
    }
}

/// Splits `text` into tokens. Never panics; covers every non-whitespace byte.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut chunk_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_separator(c) {
            if let Some(s) = chunk_start.take() {
                tokenize_chunk(text, s, i, &mut out);
                if let Some(last) = out.last_mut() {
                    last.ws_after = true;
                }
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        tokenize_chunk(text, s, text.len(), &mut out);
    }
    out
}

fn push(out: &mut Vec<Token>, text: &str, start: usize, end: usize) {
    if start >= end {
        return;
    }
    let first = text[start..end].chars().next().unwrap_or(' ');
    let kind = if first.is_numeric() {
        TokenKind::Number
    } else if first.is_alphabetic() || (end - start > 1 && matches!(first, '#' | '@')) {
        TokenKind::Word
    } else if first.is_ascii_punctuation()
        || is_hard_punct(first)
        || is_apostrophe(first)
        || matches!(first, '\u{2018}' | '\u{2019}')
    {
        TokenKind::Punct
    } else {
        TokenKind::Symbol
    };
    out.push(Token {
        span: Span::new(start, end),
        ws_after: false,
        kind,
    });
}

fn looks_like_url(s: &str) -> bool {
    let lower_start: String = s.chars().take(8).flat_map(char::to_lowercase).collect();
    lower_start.starts_with("http://")
        || lower_start.starts_with("https://")
        || lower_start.starts_with("www.")
        || lower_start.starts_with("ftp://")
}

fn looks_like_email(s: &str) -> bool {
    let Some(at) = s.find('@') else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        && domain.contains('.')
        && !domain.ends_with('.')
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'))
}

/// Tokenises one whitespace-free chunk `text[start..end]`.
fn tokenize_chunk(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let chunk = &text[start..end];
    // URLs and e-mails: peel opening/closing punctuation, keep the rest whole.
    let trimmed_start = chunk
        .char_indices()
        .find(|&(_, c)| !matches!(c, '(' | '[' | '<' | '"' | '\'' | '\u{201C}' | '\u{2018}'))
        .map_or(chunk.len(), |(i, _)| i);
    let core = &chunk[trimmed_start..];
    let core_trimmed = core.trim_end_matches(|c: char| {
        matches!(
            c,
            '.' | ','
                | ';'
                | ':'
                | '!'
                | '?'
                | ')'
                | ']'
                | '>'
                | '"'
                | '\''
                | '\u{201D}'
                | '\u{2019}'
        )
    });
    let is_url = looks_like_url(core_trimmed) && core_trimmed.len() > 4;
    let is_email = !is_url && looks_like_email(core_trimmed);
    if is_url || is_email {
        for (i, c) in chunk[..trimmed_start].char_indices() {
            push(out, text, start + i, start + i + c.len_utf8());
        }
        let s = start + trimmed_start;
        let e = s + core_trimmed.len();
        out.push(Token {
            span: Span::new(s, e),
            ws_after: false,
            kind: if is_url {
                TokenKind::Url
            } else {
                TokenKind::Email
            },
        });
        split_piece(text, e, end, out);
        return;
    }
    // Split at hard punctuation, runs of dots/hyphens and symbols; the pieces
    // between go to `split_piece`.
    let chars: Vec<(usize, char)> = chunk.char_indices().map(|(i, c)| (start + i, c)).collect();
    let n = chars.len();
    let pos = |k: usize| if k < n { chars[k].0 } else { end };
    let mut piece_start = 0usize;
    let mut k = 0usize;
    while k < n {
        let c = chars[k].1;
        let next = chars.get(k + 1).map(|x| x.1);
        let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
        let mut sep_end: Option<usize> = None; // exclusive char index of a separator token
        if is_hard_punct(c) {
            // Group runs of the same mark (`?!`, `!!!`, `——`).
            let mut j = k + 1;
            if matches!(c, '!' | '?') {
                while j < n && matches!(chars[j].1, '!' | '?') {
                    j += 1;
                }
            } else if is_dash(c) {
                while j < n && chars[j].1 == c {
                    j += 1;
                }
            }
            sep_end = Some(j);
        } else if c == '.'
            && prev.is_some_and(char::is_lowercase)
            && k >= 2
            && chars[k - 2].1.is_alphabetic()
            && next.is_some_and(char::is_uppercase)
            && chars.get(k + 2).is_some_and(|x| x.1.is_lowercase())
        {
            // A missing space after a full stop (`Tel Aviv.Sue said`), common in scraped text.
            sep_end = Some(k + 1);
        } else if (c == '.' && next == Some('.')) || (c == '-' && next == Some('-')) {
            let mut j = k + 1;
            while j < n && chars[j].1 == c {
                j += 1;
            }
            sep_end = Some(j);
        } else if (c == ',' || c == ':')
            && !(prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|x| x.is_ascii_digit()))
        {
            sep_end = Some(k + 1);
        } else if !is_word_char(c)
            && !c.is_ascii_punctuation()
            && !is_apostrophe(c)
            && !matches!(c, '\u{2010}' | '\u{2011}')
            && !is_emoji_glue(c)
        {
            // An emoji or symbol: one token with its glue.
            let mut j = k + 1;
            while j < n {
                let d = chars[j].1;
                if is_emoji_glue(d) {
                    j += 1;
                    // ZWJ joins the next pictograph too.
                    if d == '\u{200D}' && j < n && !is_word_char(chars[j].1) {
                        j += 1;
                    }
                } else if is_regional_indicator(c) && is_regional_indicator(d) && j == k + 1 {
                    j += 1;
                } else {
                    break;
                }
            }
            sep_end = Some(j);
        }
        if let Some(j) = sep_end {
            split_piece(text, pos(piece_start), pos(k), out);
            push(out, text, pos(k), pos(j));
            k = j;
            piece_start = j;
        } else {
            k += 1;
        }
    }
    split_piece(text, pos(piece_start), end, out);
}

/// Opening punctuation peeled off the front of a piece.
fn is_opening(c: char) -> bool {
    is_apostrophe(c) || matches!(c, '$' | '\u{00A3}' | '\u{20AC}' | '\u{00A5}' | '\u{20AA}')
}

/// Tokenises a piece that holds no hard punctuation: peels leading and
/// trailing punctuation, decides whether a final period is part of the word,
/// and splits clitics (`'s`, `n't`).
fn split_piece(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    if start >= end {
        return;
    }
    let mut s = start;
    let mut e = end;
    // Leading punctuation.
    loop {
        let piece = &text[s..e];
        let mut it = piece.chars();
        let Some(c) = it.next() else { return };
        let next = it.next();
        let peel = if is_opening(c) {
            true
        } else if c == '-' {
            !next.is_some_and(|n| n.is_ascii_digit())
        } else if matches!(c, '#' | '@') {
            !next.is_some_and(is_word_char)
        } else {
            c.is_ascii_punctuation() || (!is_word_char(c) && !is_emoji_glue(c))
        };
        if !peel {
            break;
        }
        // `'s` at the very front of a piece (after a hard split) stays a clitic.
        if is_apostrophe(c) && is_clitic(piece) {
            break;
        }
        let cl = c.len_utf8();
        push(out, text, s, s + cl);
        s += cl;
        if s >= e {
            return;
        }
    }
    // Trailing punctuation, collected in reverse.
    let mut trailing: Vec<(usize, usize)> = Vec::new();
    loop {
        let piece = &text[s..e];
        let Some(c) = piece.chars().next_back() else {
            break;
        };
        let cl = c.len_utf8();
        if c == '.' {
            if is_abbreviation(piece) || piece == "." {
                break;
            }
            // `No.` keeps its period only before a number; other listed
            // abbreviations always do. Handled by `is_abbreviation`.
            trailing.push((e - cl, e));
            e -= cl;
        } else if is_apostrophe(c) {
            // Plural possessive (`Palestinians'`) or a closing single quote.
            if piece.chars().count() == 1 {
                break;
            }
            trailing.push((e - cl, e));
            e -= cl;
        } else if c.is_ascii_punctuation() || (!is_word_char(c) && !is_emoji_glue(c)) {
            if c == '%' || c == '-' || piece.chars().count() > 1 {
                trailing.push((e - cl, e));
                e -= cl;
            } else {
                break;
            }
        } else {
            break;
        }
        if s >= e {
            break;
        }
    }
    if s < e {
        split_clitics(text, s, e, out);
    }
    for &(a, b) in trailing.iter().rev() {
        push(out, text, a, b);
    }
}

const CLITICS: &[&str] = &["s", "re", "ve", "ll", "d", "m"];

fn is_clitic(piece: &str) -> bool {
    let mut it = piece.chars();
    match it.next() {
        Some(c) if is_apostrophe(c) => {}
        _ => return false,
    }
    let rest = it.as_str();
    ascii_lower_in(rest, CLITICS)
}

/// Splits `Israel's` → `Israel` `'s` and `don't` → `do` `n't`.
fn split_clitics(text: &str, s: usize, e: usize, out: &mut Vec<Token>) {
    let word = &text[s..e];
    if word.chars().count() < 2 {
        push(out, text, s, e);
        return;
    }
    // Find the last apostrophe.
    if let Some((i, c)) = word.char_indices().rev().find(|&(_, c)| is_apostrophe(c)) {
        let tail = &word[i..];
        let before = &word[..i];
        if is_clitic(tail) && !before.is_empty() && before.chars().all(|c| c != '.') {
            // `n't`: the n belongs to the clitic.
            push(out, text, s, s + i);
            push(out, text, s + i, e);
            return;
        }
        let rest = &tail[c.len_utf8()..];
        if rest.eq_ignore_ascii_case("t") && before.len() > 1 {
            if let Some(last) = before.chars().next_back() {
                if last == 'n' || last == 'N' {
                    let split = s + i - 1;
                    // `can't` → `ca` `n't`, `won't` → `wo` `n't` (treebank style).
                    push(out, text, s, split);
                    push(out, text, split, e);
                    return;
                }
            }
        }
    }
    push(out, text, s, e);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `Lowered` replaces: a lowercase `String` per token.
    fn strings(text: &str, tokens: &[Token]) -> Vec<String> {
        tokens
            .iter()
            .map(|t| model_form(t.text(text)).to_lowercase())
            .collect()
    }

    fn assert_same(text: &str, narrow: usize) {
        let tokens = tokenize(text);
        let want = strings(text, &tokens);
        let got = Lowered::with_narrow_limit(text, &tokens, narrow);
        assert_eq!(got.len(), want.len());
        for (i, w) in want.iter().enumerate() {
            assert_eq!(got.get(i), Some(w.as_str()), "token {i} of {text:?}");
            assert_eq!(&got[i], w.as_str());
        }
        assert_eq!(got.get(want.len()), None);
        for a in 0..=want.len() {
            for b in a..=want.len() {
                assert_eq!(got.join(a..b, " "), want[a..b].join(" "));
            }
        }
    }

    #[test]
    fn lowered_forms_are_the_strings_they_replace() {
        let text = "İSTANBUL’s MAYOR Said: “NO” — ΟΔΟΣ Straße, U.S. $25… ÉTÉ 3.5%";
        assert_same(text, usize::MAX);
        // The same answers once the buffer is past the 32-bit offsets.
        assert_same(text, 0);
        assert_same(text, 12);
        assert!(Lowered::new("", &[]).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn tokens_one_at_a_time_are_the_tokens(text in "\\PC{0,40}([ \\n\\t]{1,3}\\PC{0,12}){0,12}") {
            let mut each = Vec::new();
            for_each_token(&text, |t| each.push(t));
            proptest::prop_assert_eq!(each, tokenize(&text));
        }

        #[test]
        fn lowered_forms_match_on_any_text(text in "\\PC{0,80}", narrow in 0usize..64) {
            assert_same(&text, narrow);
            assert_same(&text, usize::MAX);
        }
    }

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn abbreviations_and_initials() {
        assert_eq!(
            toks("Mr. Blinken met U.S. and U.N. officials on Oct. 7 at No. 10 St. James."),
            [
                "Mr.",
                "Blinken",
                "met",
                "U.S.",
                "and",
                "U.N.",
                "officials",
                "on",
                "Oct.",
                "7",
                "at",
                "No.",
                "10",
                "St.",
                "James",
                "."
            ]
        );
        assert_eq!(
            toks("J. K. Rowling wrote it."),
            ["J.", "K.", "Rowling", "wrote", "it", "."]
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("9,061 people, 2.3% of $25 in the 1990s; a 75-year-old (2,000)."),
            [
                "9,061",
                "people",
                ",",
                "2.3",
                "%",
                "of",
                "$",
                "25",
                "in",
                "the",
                "1990s",
                ";",
                "a",
                "75-year-old",
                "(",
                "2,000",
                ")",
                "."
            ]
        );
    }

    #[test]
    fn possessives_and_clitics() {
        assert_eq!(
            toks("Israel’s army didn't say; Palestinians' homes, Hamas's men."),
            [
                "Israel",
                "’s",
                "army",
                "did",
                "n't",
                "say",
                ";",
                "Palestinians",
                "'",
                "homes",
                ",",
                "Hamas",
                "'s",
                "men",
                "."
            ]
        );
        assert_eq!(toks("O'Brien can't"), ["O'Brien", "ca", "n't"]);
    }

    #[test]
    fn quotes_dashes_ellipses() {
        assert_eq!(
            toks("“We will win,” he said—again… \"No\" – 'maybe'..."),
            [
                "“", "We", "will", "win", ",", "”", "he", "said", "—", "again", "…", "\"", "No",
                "\"", "–", "'", "maybe", "'", "..."
            ]
        );
    }

    #[test]
    fn urls_emails_emoji() {
        assert_eq!(
            toks("See https://bbc.co.uk/news/x-1. Mail a.b@c.org! 🇮🇱🙏🏽 ok👍"),
            [
                "See",
                "https://bbc.co.uk/news/x-1",
                ".",
                "Mail",
                "a.b@c.org",
                "!",
                "🇮🇱",
                "🙏🏽",
                "ok",
                "👍"
            ]
        );
    }

    #[test]
    fn model_forms() {
        assert_eq!(model_form("’s"), "'s");
        assert_eq!(model_form("—"), "-");
        assert_eq!(model_form("…"), "...");
        assert!(matches!(model_form("Gaza"), Cow::Borrowed(_)));
    }

    #[test]
    fn whitespace_flags() {
        let text = "Hi, you  there\n";
        let t = tokenize(text);
        let flags: Vec<bool> = t.iter().map(|t| t.ws_after).collect();
        assert_eq!(flags, [false, true, true, true]);
    }
}
