use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A stable article identifier: the first 16 hex digits of the BLAKE3 hash of
/// the article's normalised text.
///
/// Deriving the id from content (not from the file name or an outlet's id)
/// is what makes re-ingesting idempotent: the same text always lands on the
/// same row, whichever file or feed it came through.
///
/// ```
/// use storyline_core::ArticleId;
/// let a = ArticleId::for_text("Hello,   world.\n");
/// let b = ArticleId::for_text("Hello, world.");
/// assert_eq!(a, b);
/// assert_eq!(a.as_str().len(), 16);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(String);

/// The text given is not a 16-digit lowercase hex article id.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not an article id: {0:?} (expected 16 hex digits, as printed by `storyline articles`)")]
pub struct ParseIdError(pub String);

impl ArticleId {
    /// The id an article with this text gets.
    pub fn for_text(text: &str) -> ArticleId {
        ArticleId(content_hash(text)[..16].to_string())
    }

    /// The id for a full content hash (as made by [`content_hash`]), saving
    /// a second pass over the text when both are needed.
    pub fn from_content_hash(hash: &str) -> ArticleId {
        ArticleId(hash.chars().take(16).collect())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for ArticleId {
    type Err = ParseIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        if t.len() == 16 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(ArticleId(t.to_ascii_lowercase()))
        } else {
            Err(ParseIdError(s.to_string()))
        }
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ArticleId({})", self.0)
    }
}

/// Text as it is hashed: Unicode whitespace runs collapsed to one space and
/// trimmed, typographic quotes and dashes folded, so that re-encodings and
/// re-wrapping of the same article hash alike.
pub fn normalize_for_hash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.chars() {
        if ch.is_whitespace() || is_invisible(ch) {
            if !is_invisible(ch) {
                pending_space = !out.is_empty();
            }
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(match ch {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        });
    }
    out
}

fn is_invisible(ch: char) -> bool {
    matches!(
        ch,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Full hex BLAKE3 hash of the normalised text (64 hex digits).
pub fn content_hash(text: &str) -> String {
    blake3::hash(normalize_for_hash(text).as_bytes())
        .to_hex()
        .to_string()
}

/// A transparent string of 16 lower-case hex digits.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for ArticleId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[0-9a-f]{16}$"))
            .description(Some(
                "An article id: the first 16 hex digits of its content hash (see /api/articles/{id}).",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for ArticleId {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn typographic_variants_hash_alike() {
        assert_eq!(
            ArticleId::for_text("“Yes,” he said – twice."),
            ArticleId::for_text("\"Yes,\" he said - twice.")
        );
    }

    #[test]
    fn zero_width_characters_are_ignored() {
        assert_eq!(normalize_for_hash("a\u{200B}b  c"), "ab c");
    }

    #[test]
    fn parse_rejects_garbage() {
        assert!("xyz".parse::<ArticleId>().is_err());
        assert!("0123456789abcdeg".parse::<ArticleId>().is_err());
        assert_eq!(
            "0123456789ABCDEF".parse::<ArticleId>().unwrap().as_str(),
            "0123456789abcdef"
        );
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(s in "\\PC*") {
            let once = normalize_for_hash(&s);
            prop_assert_eq!(normalize_for_hash(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
        }

        #[test]
        fn id_round_trips(s in "\\PC*") {
            let id = ArticleId::for_text(&s);
            prop_assert_eq!(id.as_str().parse::<ArticleId>().unwrap(), id);
        }
    }
}
