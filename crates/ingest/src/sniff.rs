//! Format detection from content first, file name second.
//!
//! Users point storyline at folders of whatever they scraped: HTML saved as
//! `.txt`, JSON Lines with no extension, a stray PDF. Strong content signals
//! (a WARC header, an HTML or feed root element, a JSON value) win over the
//! extension; the extension decides between look-alikes (CSV vs text,
//! Markdown vs text); anything binary is refused with what it looks like.
//! A WARC version line is checked before anything else: web archives hold
//! images, and their bytes must not make the archive "binary".

use storyline_core::InputFormat;

use crate::decode;

/// What the first bytes of an input say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// A format we read.
    Format(InputFormat),
    /// Gzip-compressed: decompress and sniff again.
    Gzip,
    /// Nothing but whitespace.
    Empty,
    /// A binary or unsupported format, named for the message.
    Unsupported(&'static str),
}

/// Guesses the format of an input from its first bytes (a few KiB are
/// enough) and, as a tie-breaker, its file name. `None` means it is not a
/// format storyline reads (binary data, an image, an archive, an unknown XML
/// dialect) or holds nothing.
///
/// ```
/// use storyline_ingest::sniff;
/// use storyline_core::InputFormat;
/// assert_eq!(sniff(b"<!doctype html><title>x</title>", Some("page.txt")), Some(InputFormat::Html));
/// assert_eq!(sniff(b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n", None), Some(InputFormat::Jsonl));
/// assert_eq!(sniff(b"title,text\nA,B\n", Some("x.csv")), Some(InputFormat::Csv));
/// assert_eq!(sniff(b"\x89PNG\r\n\x1a\n....", None), None);
/// ```
pub fn sniff(bytes: &[u8], file_name: Option<&str>) -> Option<InputFormat> {
    match sniff_detail(bytes, file_name) {
        Sniffed::Format(f) => Some(f),
        Sniffed::Gzip => {
            let mut inner = Vec::new();
            let mut dec = flate2::read::MultiGzDecoder::new(bytes);
            let _ = std::io::Read::read_to_end(
                &mut std::io::Read::take(&mut dec, 64 * 1024),
                &mut inner,
            );
            let name = file_name.map(|n| n.strip_suffix(".gz").unwrap_or(n));
            match sniff_detail(&inner, name) {
                Sniffed::Format(f) => Some(f),
                _ => None,
            }
        }
        _ => None,
    }
}

fn extension(file_name: Option<&str>) -> Option<String> {
    let name = file_name?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let base = base.strip_suffix(".gz").unwrap_or(base);
    let (_, ext) = base.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

/// Magic numbers of formats people leave in news folders.
fn magic(bytes: &[u8]) -> Option<Sniffed> {
    const TABLE: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG"),
        (b"\xFF\xD8\xFF", "JPEG"),
        (b"GIF87a", "GIF"),
        (b"GIF89a", "GIF"),
        (b"%PDF-", "PDF"),
        (b"PK\x03\x04", "a ZIP archive or Office document"),
        (b"PK\x05\x06", "a ZIP archive"),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"Rar!\x1A\x07", "a RAR archive"),
        (b"BZh", "a bzip2 archive"),
        (b"\xFD7zXZ\x00", "an xz archive"),
        (b"\x28\xB5\x2F\xFD", "a zstd archive"),
        (b"\x7FELF", "an executable"),
        (b"MZ", "a Windows executable"),
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an old Office document",
        ),
        (b"SQLite format 3\x00", "an SQLite database"),
        (b"\x00asm", "WebAssembly"),
        (b"ID3", "MP3 audio"),
        (b"OggS", "Ogg media"),
        (b"fLaC", "FLAC audio"),
        (b"II*\x00", "TIFF"),
        (b"MM\x00*", "TIFF"),
        (b"wOFF", "a web font"),
        (b"wOF2", "a web font"),
        (b"{\\rtf", "RTF"),
    ];
    for (sig, name) in TABLE {
        if bytes.starts_with(sig) {
            // "MZ" and "BZh" are also how some words start; require binary bytes nearby.
            if sig.len() <= 3
                && !looks_binary(&bytes[..bytes.len().min(512)])
                && *sig != b"\xFF\xD8\xFF"
            {
                continue;
            }
            return Some(Sniffed::Unsupported(name));
        }
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" {
        return Some(Sniffed::Unsupported(match &bytes[8..12] {
            b"WEBP" => "WebP",
            b"WAVE" => "WAV audio",
            b"AVI " => "AVI video",
            _ => "a RIFF media file",
        }));
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some(Sniffed::Unsupported("MP4 or QuickTime media"));
    }
    if bytes.starts_with(b"\x1f\x8b") {
        return Some(Sniffed::Gzip);
    }
    None
}

/// Control bytes other than whitespace, in a sample that has no UTF-16 BOM.
fn looks_binary(sample: &[u8]) -> bool {
    if sample.is_empty() {
        return false;
    }
    let bad = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C | 0x1B)) || b == 0x7F)
        .count();
    bad * 100 > sample.len() * 5
}

/// A WARC file is a run of records, each opening with its version line.
/// Told by that line before any byte sniff: a web archive's first records
/// are often images, whose bytes would make the sample look binary.
fn is_warc(bytes: &[u8]) -> bool {
    let start = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    bytes[start..].starts_with(b"WARC/")
}

pub(crate) fn sniff_detail(bytes: &[u8], file_name: Option<&str>) -> Sniffed {
    if is_warc(bytes) {
        return Sniffed::Format(InputFormat::Warc);
    }
    if let Some(m) = magic(bytes) {
        return m;
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let complete = bytes.len() <= sample.len();
    let (enc, bom) = decode::detect_encoding(sample, complete);
    let is_utf16 = enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE;
    if !is_utf16 && looks_binary(&sample[..sample.len().min(8192)]) {
        return Sniffed::Unsupported("binary data");
    }
    let (text, _) = enc.decode_without_bom_handling(&sample[bom..]);
    let text = text.trim_start_matches(['\u{FEFF}', '\0']);
    if text.trim().is_empty() {
        return Sniffed::Empty;
    }
    let ext = extension(file_name);
    sniff_text(text, ext.as_deref())
}

fn sniff_text(text: &str, ext: Option<&str>) -> Sniffed {
    use InputFormat::*;
    let t = text.trim_start();
    if t.starts_with("WARC/") {
        return Sniffed::Format(Warc);
    }
    if t.starts_with('<') {
        let head: String = t
            .chars()
            .take(4096)
            .collect::<String>()
            .to_ascii_lowercase();
        let is_feed = head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:rdf");
        let is_html = [
            "<!doctype html",
            "<html",
            "<head",
            "<body",
            "<meta",
            "<article",
            "<div",
            "<p>",
            "<p ",
            "<title",
            "<h1",
            "<section",
            "<main",
        ]
        .iter()
        .any(|tag| head.contains(tag));
        if is_feed && !head.contains("<html") {
            return Sniffed::Format(Feed);
        }
        if is_html {
            return Sniffed::Format(Html);
        }
        if head.starts_with("<?xml") || head.starts_with("<!--") {
            return match ext {
                Some("html" | "htm" | "xhtml") => Sniffed::Format(Html),
                Some("rss" | "atom") => Sniffed::Format(Feed),
                _ => Sniffed::Unsupported("XML that is not RSS, Atom or XHTML"),
            };
        }
    }
    if t.starts_with('{') {
        // The extension decides first: a JSONL file's first line can be
        // longer than the sample or malformed. Without one, the JSON reader
        // still switches to lines when a first value is followed by more.
        let lines = matches!(ext, Some("jsonl" | "ndjson")) || is_jsonl(t);
        return Sniffed::Format(if lines { Jsonl } else { Json });
    }
    if t.starts_with('[') && starts_json_array(t) {
        return Sniffed::Format(if ext == Some("jsonl") || ext == Some("ndjson") {
            Jsonl
        } else {
            Json
        });
    }
    match ext {
        Some("csv" | "tsv") => return Sniffed::Format(Csv),
        Some("md" | "markdown" | "mdown" | "mkd") => return Sniffed::Format(Markdown),
        Some("html" | "htm" | "xhtml" | "shtml") => return Sniffed::Format(Html),
        Some("warc") => return Sniffed::Format(Warc),
        Some("jsonl" | "ndjson") => return Sniffed::Format(Jsonl),
        Some("json") => return Sniffed::Format(Json),
        Some("rss" | "atom") => return Sniffed::Format(Feed),
        _ => {}
    }
    if looks_like_markdown(t) {
        return Sniffed::Format(Markdown);
    }
    if ext.is_none() && looks_like_csv_header(t) {
        return Sniffed::Format(Csv);
    }
    Sniffed::Format(Text)
}

/// One complete JSON value on the first line and more lines after it.
fn is_jsonl(t: &str) -> bool {
    let mut lines = t.lines().filter(|l| !l.trim().is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    let Some(second) = lines.next() else {
        return false;
    };
    serde_json::from_str::<serde_json::Value>(first).is_ok_and(|v| v.is_object())
        && second.trim_start().starts_with('{')
}

fn starts_json_array(t: &str) -> bool {
    let rest = t[1..].trim_start();
    rest.is_empty() || rest.starts_with(['{', '"', ']', '['])
}

fn looks_like_markdown(t: &str) -> bool {
    if t.starts_with("---\n") || t.starts_with("---\r\n") {
        return true;
    }
    let first = t.lines().next().unwrap_or("");
    first.starts_with("# ") || first.starts_with("## ")
}

/// A first line like `title,text,date` (delimited, short, identifier-like
/// names, one of them a known text column).
fn looks_like_csv_header(t: &str) -> bool {
    let first = t.lines().next().unwrap_or("");
    let delim = if first.contains('\t') { '\t' } else { ',' };
    let fields: Vec<&str> = first
        .split(delim)
        .map(|f| f.trim().trim_matches('"'))
        .collect();
    if fields.len() < 2 || fields.iter().any(|f| f.len() > 40 || f.contains(". ")) {
        return false;
    }
    fields
        .iter()
        .any(|f| crate::record::TEXT_NAMES.contains(&f.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(bytes: &[u8], name: Option<&str>) -> Sniffed {
        sniff_detail(bytes, name)
    }

    #[test]
    fn content_beats_extension() {
        use InputFormat::*;
        assert_eq!(
            s(b"  <html><body><p>x</p>", Some("a.txt")),
            Sniffed::Format(Html)
        );
        assert_eq!(
            s(b"{\"a\":1}\n{\"a\":2}\n", Some("noext")),
            Sniffed::Format(Jsonl)
        );
        assert_eq!(s(b"{\"a\":1}\n", None), Sniffed::Format(Json));
        assert_eq!(s(b"[{\"a\":1}]", None), Sniffed::Format(Json));
        assert_eq!(
            s(b"<?xml version=\"1.0\"?><rss version=\"2.0\">", None),
            Sniffed::Format(Feed)
        );
        assert_eq!(
            s(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">", None),
            Sniffed::Format(Feed)
        );
        assert_eq!(
            s(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", None),
            Sniffed::Format(Warc)
        );
        assert_eq!(s(b"title,text\nA,B\n", None), Sniffed::Format(Csv));
        assert_eq!(s(b"a,b\n1,2\n", Some("x.csv")), Sniffed::Format(Csv));
        assert_eq!(s(b"# Heading\n\nBody", None), Sniffed::Format(Markdown));
        assert_eq!(s(b"Hello, world.", Some("x.md")), Sniffed::Format(Markdown));
        assert_eq!(s(b"[Reuters] said", None), Sniffed::Format(Text));
        assert_eq!(
            s(b" date 2023-11-09 As the", Some("000.txt")),
            Sniffed::Format(Text)
        );
    }

    #[test]
    fn binaries_are_named() {
        assert_eq!(
            s(b"\x89PNG\r\n\x1a\n\0\0", None),
            Sniffed::Unsupported("PNG")
        );
        assert_eq!(s(b"%PDF-1.7\n", Some("a.txt")), Sniffed::Unsupported("PDF"));
        assert_eq!(
            s(b"\x00\x01\x02\x03\x04\x05binary", None),
            Sniffed::Unsupported("binary data")
        );
        assert_eq!(s(b"\x1f\x8b\x08\x00", None), Sniffed::Gzip);
        assert_eq!(s(b"   \n\t ", None), Sniffed::Empty);
        assert_eq!(s(b"", None), Sniffed::Empty);
        assert_eq!(
            s(b"MZ is how this text starts", None),
            Sniffed::Format(InputFormat::Text)
        );
    }

    #[test]
    fn warc_is_told_by_its_version_line_before_any_byte_sniff() {
        // A crawl whose first record is an image: most of the sample is
        // binary, but the file opens with a record.
        let mut warc = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 8000\r\n\r\n".to_vec();
        warc.extend((0..8000u32).map(|i| (i % 7) as u8));
        assert_eq!(s(&warc, None), Sniffed::Format(InputFormat::Warc));
        assert_eq!(
            s(b"\r\n\r\nWARC/1.1\r\n", None),
            Sniffed::Format(InputFormat::Warc)
        );
        // Binary data that only mentions WARC later is still binary.
        let mut other = vec![0u8; 100];
        other.extend_from_slice(b"WARC/1.0");
        assert_eq!(s(&other, None), Sniffed::Unsupported("binary data"));
    }

    #[test]
    fn utf16_text_is_text() {
        let b: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "Hello from Gaza"
                    .encode_utf16()
                    .flat_map(|u| u.to_le_bytes()),
            )
            .collect();
        assert_eq!(s(&b, None), Sniffed::Format(InputFormat::Text));
    }
}
