//! Quotation marks and the quotations they delimit.
//!
//! Works on the raw text rather than on tokens so that `''` (two
//! apostrophes, as some archives write quotes), curly and straight marks are
//! found however the tokenizer splits them. Straight marks are given a
//! direction from the spacing around them. News style continues a quotation
//! over paragraphs by opening each paragraph again and closing only the last,
//! so an open quotation at the end of a paragraph continues when the next
//! paragraph starts with an opening mark; otherwise it ends with its
//! paragraph (an unbalanced quotation).

use storyline_core::Span;

/// Which way a quotation mark faces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    Open,
    Close,
    /// A straight mark with the same spacing on both sides.
    Either,
}

#[derive(Clone, Copy, Debug)]
struct Mark {
    start: usize,
    end: usize,
    dir: Dir,
}

/// A quotation: from its opening mark to its closing mark (inclusive), or to
/// the end of its last paragraph when it is never closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Quote {
    /// The whole quotation, marks included.
    pub span: Span,
    /// Where the text inside the marks starts.
    pub inner_start: usize,
}

fn dir_of_straight(text: &str, start: usize, end: usize) -> Dir {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let space_before = before.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c));
    let space_after = after.is_none_or(|c| c.is_whitespace() || ",.;:!?)]}—–".contains(c));
    match (space_before, space_after) {
        (true, false) => Dir::Open,
        (false, true) => Dir::Close,
        _ => Dir::Either,
    }
}

fn marks(text: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let len = c.len_utf8();
        match c {
            '\u{201C}' | '\u{201E}' | '\u{00AB}' => out.push(Mark {
                start: i,
                end: i + len,
                dir: Dir::Open,
            }),
            '\u{201D}' | '\u{00BB}' => out.push(Mark {
                start: i,
                end: i + len,
                dir: Dir::Close,
            }),
            '"' => out.push(Mark {
                start: i,
                end: i + 1,
                dir: dir_of_straight(text, i, i + 1),
            }),
            '`' if bytes.get(i + 1) == Some(&b'`') => {
                iter.next();
                out.push(Mark {
                    start: i,
                    end: i + 2,
                    dir: Dir::Open,
                });
            }
            '\'' if bytes.get(i + 1) == Some(&b'\'') => {
                iter.next();
                out.push(Mark {
                    start: i,
                    end: i + 2,
                    dir: dir_of_straight(text, i, i + 2),
                });
            }
            _ => {}
        }
    }
    out
}

/// Start of each paragraph (a line with text), as byte offsets, ascending.
fn paragraph_of(text: &str, pos: usize, lines: &[(usize, usize)]) -> usize {
    let _ = text;
    match lines.binary_search_by(|&(s, _)| s.cmp(&pos)) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    }
}

/// Byte ranges of the non-blank lines of `text`, trimmed.
fn lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            push_line(text, start, i, &mut out);
            start = i + 1;
        }
    }
    push_line(text, start, text.len(), &mut out);
    out
}

fn push_line(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let line = &text[start..end];
    let trimmed_start = line.len() - line.trim_start().len();
    let trimmed_end = line.trim_end().len();
    if trimmed_end > trimmed_start {
        out.push((start + trimmed_start, start + trimmed_end));
    }
}

/// All quotations of `text`, in order, not overlapping.
pub(crate) fn find_quotes(text: &str) -> Vec<Quote> {
    let lines = lines(text);
    let mut out = Vec::new();
    // The open quotation: (start, inner start, paragraph index of its latest part).
    let mut open: Option<(usize, usize, usize)> = None;
    for m in marks(text) {
        let para = paragraph_of(text, m.start, &lines);
        if let Some((s, inner, p)) = open {
            if para != p {
                let continues = para == p + 1
                    && lines.get(para).is_some_and(|&(ls, _)| ls == m.start)
                    && m.dir != Dir::Close;
                if continues {
                    open = Some((s, inner, para));
                    continue;
                }
                let end = lines.get(p).map_or(text.len(), |&(_, e)| e);
                out.push(Quote {
                    span: Span::new(s, end),
                    inner_start: inner,
                });
                open = None;
            }
        }
        match (open, m.dir) {
            (None, Dir::Open | Dir::Either) => open = Some((m.start, m.end, para)),
            (None, Dir::Close) => {}
            (Some((s, inner, _)), Dir::Close | Dir::Either) => {
                out.push(Quote {
                    span: Span::new(s, m.end),
                    inner_start: inner,
                });
                open = None;
            }
            (Some((s, inner, _)), Dir::Open) => {
                // Two openings in a row: the first was never closed.
                let end = text[..m.start].trim_end().len().max(inner);
                out.push(Quote {
                    span: Span::new(s, end),
                    inner_start: inner,
                });
                open = Some((m.start, m.end, para));
            }
        }
    }
    if let Some((s, inner, p)) = open {
        let end = lines.get(p).map_or(text.len(), |&(_, e)| e);
        out.push(Quote {
            span: Span::new(s, end.max(inner)),
            inner_start: inner,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quoted(text: &str) -> Vec<&str> {
        find_quotes(text)
            .iter()
            .map(|q| &text[q.span.start..q.span.end])
            .collect()
    }

    #[test]
    fn curly_and_straight_marks_pair() {
        assert_eq!(
            quoted("“We will rebuild,” she said. He said \"never\" twice."),
            vec!["“We will rebuild,”", "\"never\""]
        );
        assert_eq!(
            quoted("He called it ''a farce,'' aides said."),
            vec!["''a farce,''"]
        );
    }

    #[test]
    fn a_quote_continues_over_paragraphs() {
        let text = "“The bridge is closed.\n\n“It will reopen in May,” he said.\n\nNo quote.";
        assert_eq!(
            quoted(text),
            vec!["“The bridge is closed.\n\n“It will reopen in May,”"]
        );
    }

    #[test]
    fn an_unclosed_quote_ends_with_its_paragraph() {
        let text = "She said “the vote was fair.\n\nLater, officials left.";
        assert_eq!(quoted(text), vec!["“the vote was fair."]);
    }
}
