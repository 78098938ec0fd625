use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` into an article's clean text.
///
/// Byte offsets are what Rust slices with; interfaces that promise character
/// offsets (the JSON schemas) convert with [`Span::to_char_range`].
///
/// ```
/// use storyline_core::Span;
/// let text = "Ça va? Oui.";
/// let span = Span::new(8, 12); // "Oui."
/// assert_eq!(span.slice(text), Some("Oui."));
/// assert_eq!(span.to_char_range(text), Some((7, 11)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; an inverted range is made empty at `start`.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start,
            end: end.max(start),
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text covered, or `None` when the span is out of range or cuts a character.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        text.get(self.start..self.end)
    }

    /// The span as character (Unicode scalar) offsets.
    pub fn to_char_range(&self, text: &str) -> Option<(usize, usize)> {
        let _ = self.slice(text)?;
        let start = text[..self.start].chars().count();
        Some((start, start + text[self.start..self.end].chars().count()))
    }
}
