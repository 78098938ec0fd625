//! Reading a number expression at a word: digits (`9,061`, `2.3`, `$25`,
//! `25%`, `200-250`), number words (`two`, `Twenty-two`, `a dozen`), scale
//! words (`million`, `bn`) and vague plurals (`hundreds`, `tens of thousands`).

use super::words::Word;

/// Currency written before or after a number.
pub(crate) fn currency_symbol(w: &str) -> Option<&'static str> {
    Some(match w {
        "$" | "us$" | "usd" => "USD",
        "€" | "eur" => "EUR",
        "£" | "gbp" => "GBP",
        "¥" => "JPY",
        "₪" | "nis" => "ILS",
        _ => return None,
    })
}

/// Currency words after a number (`dollars`, `marks`).
pub(crate) fn currency_word(w: &str) -> Option<&'static str> {
    Some(match w {
        "dollars" | "dollar" => "USD",
        "euros" | "euro" => "EUR",
        "pounds" | "sterling" => "GBP",
        "shekels" | "shekel" => "ILS",
        "yuan" | "renminbi" => "CNY",
        "rupees" => "INR",
        "roubles" | "rubles" => "RUB",
        "yen" => "JPY",
        "marks" | "mark" => "marks",
        "francs" => "francs",
        "dinars" => "dinars",
        "riyals" => "riyals",
        _ => return None,
    })
}

fn unit_word(w: &str) -> Option<f64> {
    Some(match w {
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "dozen" => 12.0,
        _ => return None,
    })
}

/// `two`, `twenty-two`.
pub(crate) fn word_value(w: &str) -> Option<f64> {
    if let Some(v) = unit_word(w) {
        return Some(v);
    }
    let (a, b) = w.split_once('-')?;
    let (x, y) = (unit_word(a)?, unit_word(b)?);
    (x >= 20.0 && x % 10.0 == 0.0 && y < 10.0).then_some(x + y)
}

/// Multipliers after a number.
pub(crate) fn scale_value(w: &str) -> Option<f64> {
    Some(match w {
        "hundred" => 1e2,
        "thousand" => 1e3,
        "million" | "mln" | "mn" | "m" => 1e6,
        "billion" | "bln" | "bn" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => return None,
    })
}

/// Vague plurals and their lower bounds.
pub(crate) fn vague_value(w: &str) -> Option<f64> {
    Some(match w {
        "dozens" => 24.0,
        "scores" => 40.0,
        "hundreds" => 200.0,
        "thousands" => 2000.0,
        "millions" => 2e6,
        "billions" => 2e9,
        _ => return None,
    })
}

/// What one digit token says.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Digits {
    /// A plain number, maybe with a currency, a suffix scale or a percent sign.
    Value {
        value: f64,
        high: Option<f64>,
        currency: Option<&'static str>,
        percent: bool,
        /// `200-250` with the first larger (`94-91`): a score, not a range.
        score: bool,
    },
    /// Something that is not a count: `24-year-old`, `7th`, `3:40`, `1.2.3`.
    NotACount,
}

fn parse_plain(s: &str) -> Option<f64> {
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if s.contains(',') {
        let mut parts = s.split(',');
        let first = parts.next()?;
        if first.is_empty() || first.len() > 3 {
            return None;
        }
        let mut rest = String::from(first);
        for p in parts {
            let (int, frac) = match p.split_once('.') {
                Some((i, f)) => (i, Some(f)),
                None => (p, None),
            };
            if int.len() != 3 || !int.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            rest.push_str(int);
            if let Some(f) = frac {
                rest.push('.');
                rest.push_str(f);
            }
        }
        return rest.parse().ok().filter(|v: &f64| v.is_finite());
    }
    if s.matches('.').count() > 1 || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    s.parse().ok().filter(|v: &f64| v.is_finite())
}

/// Reads one token that starts with a digit or a currency symbol.
pub(crate) fn parse_digits(tok: &str) -> Option<Digits> {
    let mut s = tok;
    let mut currency = None;
    for sym in ["us$", "$", "€", "£", "¥", "₪"] {
        if let Some(rest) = s.strip_prefix(sym) {
            currency = currency_symbol(sym);
            s = rest;
            break;
        }
    }
    if !s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if s.contains(':') || s.contains('/') {
        return Some(Digits::NotACount);
    }
    let body_len = s
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(s.len());
    let (body, rest) = s.split_at(body_len);
    let body = body.trim_end_matches(['.', ',']);
    let Some(value) = parse_plain(body) else {
        return Some(Digits::NotACount);
    };
    let mut percent = false;
    let mut high = None;
    let mut score = false;
    let mut value = value;
    match rest {
        "" => {}
        "%" => percent = true,
        r if r.starts_with('-') => {
            let r = &r[1..];
            let sub = parse_digits(r);
            match sub {
                Some(Digits::Value {
                    value: v2,
                    high: None,
                    percent: p2,
                    ..
                }) => {
                    if v2 > value {
                        high = Some(v2);
                        percent = p2;
                    } else {
                        score = true;
                    }
                }
                // `24-year-old`, `72-hour`: an adjective, not a count.
                _ => return Some(Digits::NotACount),
            }
        }
        r => {
            let r = r.to_ascii_lowercase();
            match scale_value(&r) {
                Some(m)
                    if currency.is_some()
                        || matches!(r.as_str(), "bn" | "mn" | "m" | "tn" | "bln" | "mln") =>
                {
                    value *= m
                }
                _ => return Some(Digits::NotACount),
            }
        }
    }
    Some(Digits::Value {
        value,
        high,
        currency,
        percent,
        score,
    })
}

/// A number found at a word, before qualifiers.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NumMatch {
    /// First word (the currency symbol or the number).
    pub start: usize,
    /// One past the last word (scale, percent, currency word included).
    pub end: usize,
    pub value: f64,
    pub high: Option<f64>,
    pub vague: bool,
    pub currency: Option<&'static str>,
    pub percent: bool,
}

/// What reading at a word gave.
pub(crate) enum Read {
    /// A number.
    Num(NumMatch),
    /// Not a count; skip to this word.
    Skip(usize),
    /// Nothing here.
    None,
}

fn is_dash(w: &str) -> bool {
    matches!(w, "-" | "--" | "to")
}

/// Reads the number expression that starts at word `i`.
pub(crate) fn read_number(words: &[Word<'_>], i: usize) -> Read {
    let Some(w0) = words.get(i) else {
        return Read::None;
    };
    let mut k = i;
    let mut currency = None;
    if let Some(c) = currency_symbol(&w0.lower) {
        currency = Some(c);
        k += 1;
    }
    let Some(w) = words.get(k) else {
        return Read::None;
    };
    let mut value;
    let mut high = None;
    let mut vague = false;
    let mut percent = false;
    let mut scaled = false;
    if w.lower.starts_with(|c: char| c.is_ascii_digit())
        || currency_symbol(&w.lower).is_none() && w.lower.starts_with(['$', '€', '£'])
    {
        match parse_digits(&w.lower) {
            Some(Digits::Value {
                value: v,
                high: h,
                currency: c,
                percent: p,
                score,
            }) => {
                if score {
                    return Read::Skip(k + 1);
                }
                value = v;
                high = h;
                percent = p;
                currency = currency.or(c);
                k += 1;
                // `1. 5 million`, as some feeds space a decimal point: only
                // before a scale word, where a sentence cannot end.
                let dotted = w.lower.ends_with('.');
                if let Some((frac, used)) = spaced_decimal(words, k, dotted, v, h) {
                    value = v + frac;
                    k += used;
                }
                // `40, 000`, as some feeds space a thousands separator.
                if high.is_none() {
                    while let Some(group) = spaced_thousands(words, k, value) {
                        value = value * 1000.0 + group;
                        k += 2;
                    }
                }
                // `200 – 250` split over three tokens.
                if high.is_none()
                    && words
                        .get(k)
                        .is_some_and(|d| d.lower == "-" && !is_spaced(words, k))
                {
                    if let Some(Some(Digits::Value { value: v2, .. })) =
                        words.get(k + 1).map(|n| parse_digits(&n.lower))
                    {
                        if v2 > value {
                            high = Some(v2);
                        } else {
                            return Read::Skip(k + 2);
                        }
                        k += 2;
                    }
                }
            }
            Some(Digits::NotACount) => return Read::Skip(k + 1),
            None => return Read::None,
        }
    } else if let Some(v) = vague_value(&w.lower) {
        value = v;
        vague = true;
        k += 1;
        // `tens of thousands`, `hundreds of thousands`
    } else if w.lower == "tens"
        && words.get(k + 1).is_some_and(|x| x.lower == "of")
        && words
            .get(k + 2)
            .and_then(|x| vague_value(&x.lower))
            .is_some()
    {
        let v = words
            .get(k + 2)
            .and_then(|x| vague_value(&x.lower))
            .unwrap_or(0.0);
        value = v * 10.0;
        vague = true;
        k += 3;
    } else if w.lower == "half"
        && words
            .get(k + 1)
            .is_some_and(|x| x.lower == "a" || x.lower == "an")
        && words
            .get(k + 2)
            .and_then(|x| scale_value(&x.lower).filter(|_| x.lower.len() > 2))
            .is_some()
    {
        // `half a million`
        value = 0.5
            * words
                .get(k + 2)
                .and_then(|x| scale_value(&x.lower))
                .unwrap_or(0.0);
        scaled = true;
        k += 3;
    } else if w.lower == "a" || w.lower == "an" {
        // `a dozen`, `a million`
        let Some(n) = words.get(k + 1) else {
            return Read::None;
        };
        if n.lower == "dozen" {
            value = 12.0;
            k += 2;
        } else if let Some(m) = scale_value(&n.lower).filter(|_| n.lower.len() > 2) {
            value = m;
            scaled = true;
            k += 2;
        } else {
            return Read::None;
        }
    } else if let Some(v) = word_value(&w.lower) {
        // `one` on its own is a pronoun or an article far more often than a count.
        if w.lower == "one"
            && !words
                .get(k + 1)
                .is_some_and(|n| scale_value(&n.lower).is_some() && n.lower.len() > 2)
        {
            return Read::None;
        }
        value = v;
        k += 1;
        if words.get(k).is_some_and(|n| n.lower == "dozen") {
            value *= 12.0;
            k += 1;
        }
    } else {
        return Read::None;
    }
    // `hundreds of thousands`
    if vague
        && words.get(k).is_some_and(|x| x.lower == "of")
        && words
            .get(k + 1)
            .and_then(|x| vague_value(&x.lower))
            .is_some()
    {
        let m = words
            .get(k + 1)
            .and_then(|x| vague_value(&x.lower))
            .unwrap_or(1.0)
            / 2.0;
        value *= m;
        k += 2;
    }
    // Scale words: `2.3 million`, `two million`, `200 million marks`.
    while !scaled {
        let Some(n) = words.get(k) else { break };
        // Bare `m` only counts right after a currency amount.
        let Some(m) = scale_value(&n.lower).filter(|_| n.lower.len() > 2 || currency.is_some())
        else {
            break;
        };
        value *= m;
        high = high.map(|h| h * m);
        k += 1;
        if m < 1e3 {
            // `two hundred thousand`
            if let Some(m2) = words
                .get(k)
                .and_then(|x| scale_value(&x.lower))
                .filter(|&m2| m2 > m)
            {
                value *= m2;
                high = high.map(|h| h * m2);
                k += 1;
            }
        }
        scaled = true;
    }
    if let Some(n) = words.get(k) {
        if n.lower == "%" || n.lower == "percent" {
            percent = true;
            k += 1;
        } else if n.lower == "per" && words.get(k + 1).is_some_and(|x| x.lower == "cent") {
            percent = true;
            k += 2;
        } else if let Some(c) = currency_word(&n.lower).filter(|_| currency.is_none()) {
            // `500 marks`, `2.4 billion marks`; `mark` only after a scale.
            if n.lower != "mark" || scaled {
                currency = Some(c);
                k += 1;
            }
        }
    }
    Read::Num(NumMatch {
        start: i,
        end: k,
        value,
        high,
        vague,
        currency,
        percent,
    })
}

/// The fraction of `1. 5 million` when the number's token ended in a dot
/// (`dotted`) or word `k` is one, followed by one or two bare digits and a
/// scale word; with how many words it took. Only for a small plain integer
/// part, and only before a scale word, where a sentence cannot end.
fn spaced_decimal(
    words: &[Word<'_>],
    k: usize,
    dotted: bool,
    int: f64,
    high: Option<f64>,
) -> Option<(f64, usize)> {
    if high.is_some() || int.fract() != 0.0 || int >= 1000.0 {
        return None;
    }
    let at = if dotted {
        k
    } else if words.get(k)?.lower == "." {
        k + 1
    } else {
        return None;
    };
    let (digits, scale) = (words.get(at)?, words.get(at + 1)?);
    let plain = digits.lower.len() <= 2 && digits.lower.bytes().all(|b| b.is_ascii_digit());
    if !plain || scale_value(&scale.lower).is_none() || scale.lower.len() < 3 {
        return None;
    }
    let n: f64 = digits.lower.parse().ok()?;
    Some((n / 10f64.powi(digits.lower.len() as i32), at + 1 - k))
}

/// The next group of `40, 000` (rule `spaced_thousands`): a comma at word
/// `k`, then three digits that begin with `0`, which no count is written
/// as by itself (`in 2009, 100 people` stays two numbers), after a whole
/// number. Groups stop below [`SPACED_GROUPS_BELOW`], so a run of `, 000`
/// never grows the value past what any count is (nor to infinity, which
/// an analysis cannot store).
fn spaced_thousands(words: &[Word<'_>], k: usize, value: f64) -> Option<f64> {
    if words.get(k)?.lower != ","
        || value.fract() != 0.0
        || value <= 0.0
        || value >= SPACED_GROUPS_BELOW
    {
        return None;
    }
    let group = &words.get(k + 1)?.lower;
    let digits = group.len() == 3 && group.bytes().all(|b| b.is_ascii_digit());
    if !digits || !group.starts_with('0') {
        return None;
    }
    group.parse().ok()
}

/// The value from which no further spaced group is joined: trillions, the
/// largest scale word read (`1, 000, 000, 000, 000` is the most).
const SPACED_GROUPS_BELOW: f64 = 1e12;

/// Whether word `k` has whitespace on both sides (a spaced dash is a
/// parenthetical, not a range).
fn is_spaced(words: &[Word<'_>], k: usize) -> bool {
    let (Some(prev), Some(cur)) = (k.checked_sub(1).and_then(|p| words.get(p)), words.get(k))
    else {
        return false;
    };
    prev.span.end < cur.span.start
}

/// Reads the second number of a range (`and 250`, `to 250`, `or three`) at word `k`.
pub(crate) fn read_second(words: &[Word<'_>], k: usize, first: &NumMatch) -> Option<NumMatch> {
    let join = words.get(k)?;
    if !(join.lower == "and" || join.lower == "or" || is_dash(&join.lower)) {
        return None;
    }
    match read_number(words, k + 1) {
        Read::Num(m) if !m.vague && m.high.is_none() => {
            // `between 200 and 250 million`: the scale applies to both.
            let (scaled_first, v2) = (first.value, m.value);
            (v2 > scaled_first || v2 / scaled_first.max(1.0) >= 1e3).then_some(m)
        }
        _ => None,
    }
}
