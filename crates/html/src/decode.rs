//! Bytes to text: BOM, then the HTTP `Content-Type` charset, then a `<meta>`
//! declaration in the first 4 KB, then statistical detection.
//!
//! The order follows the HTML standard's encoding sniffing, except that a
//! declared charset that cannot be right (a page declared UTF-8 that is not
//! valid UTF-8) falls through to detection: mislabelled pages are common and
//! garbled text is worse than a guess.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// How far into the document a `<meta charset>` is looked for.
const META_SCAN_BYTES: usize = 4096;

/// Decodes page bytes to text and says which encoding was used.
///
/// Never fails: undecodable bytes become U+FFFD.
pub fn decode(bytes: &[u8], http_content_type: Option<&str>) -> (String, &'static Encoding) {
    let encoding = sniff(bytes, http_content_type);
    let (text, used, _had_errors) = encoding.decode(bytes);
    (text.into_owned(), used)
}

fn sniff(bytes: &[u8], http_content_type: Option<&str>) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(bytes) {
        return enc;
    }
    if let Some(enc) = http_content_type.and_then(charset_param).and_then(label) {
        if plausible(enc, bytes) {
            return enc;
        }
        tracing::debug!(declared = enc.name(), "HTTP charset does not fit the bytes");
    }
    if let Some(enc) = meta_charset(&bytes[..bytes.len().min(META_SCAN_BYTES)]) {
        if plausible(enc, bytes) {
            return enc;
        }
        tracing::debug!(declared = enc.name(), "meta charset does not fit the bytes");
    }
    if std::str::from_utf8(bytes).is_ok() {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// A declared encoding is implausible only when it claims UTF-8 and the bytes
/// are not, or claims a single-byte Latin encoding for bytes that are valid,
/// non-ASCII UTF-8 (the most common mislabelling).
fn plausible(enc: &'static Encoding, bytes: &[u8]) -> bool {
    if enc == UTF_8 {
        return valid_utf8_prefix(bytes);
    }
    if enc == WINDOWS_1252 && !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok() {
        return false;
    }
    true
}

/// UTF-8 validity, tolerating a truncated multibyte sequence at the very end.
fn valid_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Maps a label; UTF-16 labels in a document without a BOM mean UTF-8 (the
/// HTML standard's rule, since a meta tag readable as ASCII cannot be UTF-16).
fn label(name: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(name.trim().trim_matches(['"', '\'']).as_bytes())?;
    if enc == UTF_16LE || enc == UTF_16BE {
        return Some(UTF_8);
    }
    Some(enc)
}

fn charset_param(content_type: &str) -> Option<&str> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = &content_type[at + "charset".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let end = rest
        .find(|c: char| c == ';' || c.is_whitespace())
        .unwrap_or(rest.len());
    Some(rest[..end].trim_matches(['"', '\'']))
}

/// Finds `<meta charset=X>` or `<meta http-equiv=content-type content="...charset=X">`
/// by a byte scan (the document is not decoded yet).
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &head[start..end];
        let tag_lower = &lower[start..end];
        if let Some(cs) = find(tag_lower, b"charset") {
            let rest = String::from_utf8_lossy(&tag[cs..]);
            if let Some(enc) = charset_param(&rest).and_then(label) {
                return Some(enc);
            }
        }
        from = end.max(start + 1);
        if from >= lower.len() {
            break;
        }
    }
    None
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_from_http_header() {
        assert_eq!(
            charset_param("text/html; charset=\"ISO-8859-1\""),
            Some("ISO-8859-1")
        );
        assert_eq!(charset_param("text/html"), None);
        let bytes = b"<p>caf\xe9</p>";
        let (text, enc) = decode(bytes, Some("text/html; charset=iso-8859-1"));
        assert_eq!(text, "<p>café</p>");
        assert_eq!(enc.name(), "windows-1252");
    }

    #[test]
    fn charset_from_meta() {
        let bytes = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head><body>\xcf\xf0\xe8\xe2\xe5\xf2</body>";
        let (text, enc) = decode(bytes, None);
        assert!(text.contains("Привет"), "{text}");
        assert_eq!(enc.name(), "windows-1251");
        let bytes = b"<meta charset='koi8-r'><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>";
        assert!(decode(bytes, None).0.contains("Привет"));
    }

    #[test]
    fn bom_wins_and_mislabelled_utf8_is_caught() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "<p>hé</p>".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let (text, enc) = decode(&bytes, Some("text/html; charset=utf-8"));
        assert_eq!(text, "<p>hé</p>");
        assert_eq!(enc.name(), "UTF-16LE");
        // Declared Latin-1 but really UTF-8.
        let (text, _) = decode("<meta charset=iso-8859-1><p>Größe</p>".as_bytes(), None);
        assert!(text.contains("Größe"));
    }
}
