//! Character decoding for inputs that are not HTML (HTML pages are decoded by
//! `storyline-html`, which also reads `<meta charset>`).
//!
//! Order of evidence: a byte-order mark, then "is it valid UTF-8", then a
//! statistical guess with `chardetng` (which gets Windows-1252 / Latin-1 news
//! text right). Decoding never fails: invalid sequences become U+FFFD and the
//! caller is told so it can warn.

use std::io::{self, Read};

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// Text decoded from bytes, with what it took.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    /// Some bytes were not valid in `encoding` and were replaced.
    pub had_errors: bool,
}

/// Decodes a whole buffer.
pub(crate) fn decode_text(bytes: &[u8]) -> Decoded {
    let (encoding, bom_len) = detect_encoding(bytes, true);
    let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
    Decoded {
        text: text.into_owned(),
        encoding,
        had_errors,
    }
}

/// Picks the encoding of a stream from its first bytes. Returns the encoding and
/// the length of a byte-order mark to skip. `complete` says the sample is the
/// whole input (so a multi-byte character cut at its end is an error, not a cut).
pub(crate) fn detect_encoding(sample: &[u8], complete: bool) -> (&'static Encoding, usize) {
    if let Some((enc, len)) = Encoding::for_bom(sample) {
        return (enc, len);
    }
    if utf8_prefix_valid(sample, complete) {
        return (UTF_8, 0);
    }
    if let Some(enc) = guess_utf16_without_bom(sample) {
        return (enc, 0);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(sample, complete);
    (det.guess(None, chardetng::Utf8Detection::Allow), 0)
}

/// Reads an XML declaration's `encoding="..."`, for feeds in legacy encodings.
pub(crate) fn xml_declared_encoding(sample: &[u8]) -> Option<&'static Encoding> {
    let head = &sample[..sample.len().min(200)];
    let s = std::str::from_utf8(head)
        .ok()
        .or_else(|| std::str::from_utf8(&head[..head.iter().position(|b| *b >= 0x80)?]).ok())?;
    if !s.trim_start().starts_with("<?xml") {
        return None;
    }
    let decl_end = s.find("?>")?;
    let decl = &s[..decl_end];
    let pos = decl.find("encoding")?;
    let rest = decl[pos + "encoding".len()..]
        .trim_start()
        .strip_prefix('=')?;
    let rest = rest.trim_start();
    let quote = rest.chars().next()?;
    if quote != '"' && quote != '\'' {
        return None;
    }
    let value = rest[1..].split(quote).next()?;
    let enc = Encoding::for_label(value.trim().as_bytes())?;
    // A declaration claiming UTF-16 in a stream that reads as ASCII is wrong.
    if enc == UTF_16LE || enc == UTF_16BE {
        return None;
    }
    Some(enc)
}

fn utf8_prefix_valid(sample: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        // `error_len() == None` means the input ended inside a character.
        Err(e) => !complete && e.error_len().is_none() && sample.len() - e.valid_up_to() < 4,
    }
}

/// UTF-16 without a BOM shows up as every other byte being NUL in ASCII-range text.
fn guess_utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    let n = sample.len().min(4096) & !1;
    if n < 16 {
        return None;
    }
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for (i, b) in sample[..n].iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 {
                even_nul += 1;
            } else {
                odd_nul += 1;
            }
        }
    }
    let half = n / 2;
    if odd_nul * 10 > half * 7 && even_nul * 10 < half {
        Some(UTF_16LE)
    } else if even_nul * 10 > half * 7 && odd_nul * 10 < half {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// A reader that turns any supported encoding into UTF-8 as it streams, so
/// that CSV, JSON Lines, JSON and feed parsers (which want UTF-8) can read
/// gigabyte files without loading them. Malformed input becomes U+FFFD.
pub(crate) struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    inbuf: Box<[u8]>,
    in_start: usize,
    in_end: usize,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    finished: bool,
    had_errors: bool,
}

impl<R: Read> DecodeReader<R> {
    /// `encoding` from [`detect_encoding`]; any BOM must already be skipped.
    pub(crate) fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            inbuf: vec![0u8; 64 * 1024].into_boxed_slice(),
            in_start: 0,
            in_end: 0,
            out: Vec::with_capacity(64 * 1024 * 3),
            out_pos: 0,
            eof: false,
            finished: false,
            had_errors: false,
        }
    }

    /// Whether any bytes so far were malformed and replaced.
    #[allow(dead_code)]
    pub(crate) fn had_errors(&self) -> bool {
        self.had_errors
    }

    fn refill(&mut self) -> io::Result<()> {
        while self.out_pos >= self.out.len() && !self.finished {
            self.out.clear();
            self.out_pos = 0;
            if self.in_start >= self.in_end && !self.eof {
                let n = read_retry(&mut self.inner, &mut self.inbuf)?;
                self.in_start = 0;
                self.in_end = n;
                if n == 0 {
                    self.eof = true;
                }
            }
            let input = &self.inbuf[self.in_start..self.in_end];
            let cap = self
                .decoder
                .max_utf8_buffer_length(input.len())
                .unwrap_or(input.len() * 3 + 16)
                .max(16);
            self.out.resize(cap, 0);
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(input, &mut self.out, self.eof);
            self.in_start += read;
            match result {
                DecoderResult::InputEmpty => {
                    if self.eof {
                        self.finished = true;
                    }
                }
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(_, _) => {
                    self.had_errors = true;
                    // Append U+FFFD after what was written.
                    self.out.truncate(written);
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                    continue;
                }
            }
            self.out.truncate(written);
        }
        Ok(())
    }
}

fn read_retry<R: Read>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        self.refill()?;
        let avail = &self.out[self.out_pos..];
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_fallbacks() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFhello").text, "hello");
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Gaza".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode_text(&utf16le).text, "Gaza");
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Gaza".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode_text(&utf16be).text, "Gaza");
        let latin1 = b"Le ministre a d\xe9clar\xe9 que la tr\xeave \xe9tait rompue \xe0 l'aube.";
        let d = decode_text(latin1);
        assert_eq!(
            d.text,
            "Le ministre a déclaré que la trêve était rompue à l'aube."
        );
        assert!(!d.had_errors);
    }

    #[test]
    fn stream_decoder_matches_whole_decoder() {
        let text = "Café — naïve “quotes” and ünïcödé. ".repeat(5000);
        let (enc, _) = detect_encoding(text.as_bytes(), true);
        let mut r = DecodeReader::new(text.as_bytes(), enc);
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);

        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        let mut r = DecodeReader::new(&latin[..], encoding_rs::WINDOWS_1252);
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, text);
    }

    #[test]
    fn malformed_utf8_is_replaced_not_fatal() {
        let mut r = DecodeReader::new(&b"ok \xff\xfe bad"[..], UTF_8);
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, "ok \u{FFFD}\u{FFFD} bad");
        assert!(r.had_errors());
    }

    #[test]
    fn xml_declaration() {
        assert_eq!(
            xml_declared_encoding(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(xml_declared_encoding(b"<rss>"), None);
    }
}
