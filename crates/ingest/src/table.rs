//! CSV and TSV with a header row, streamed row by row.

use std::io::Read;

use storyline_core::{InputFormat, Location};

use crate::decode::{detect_encoding, DecodeReader};
use crate::record::{raw_from_values, Columns};
use crate::{Ctx, StreamInfo};

fn delimiter(first_line: &str, file_name: Option<&str>) -> u8 {
    if file_name.is_some_and(|n| {
        n.to_ascii_lowercase()
            .trim_end_matches(".gz")
            .ends_with(".tsv")
    }) {
        return b'\t';
    }
    let count = |c: char| first_line.matches(c).count();
    let (tabs, commas, semis) = (count('\t'), count(','), count(';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas {
        b';'
    } else {
        b','
    }
}

pub(crate) fn read_csv<'r>(
    ctx: &mut Ctx<'_>,
    mut reader: Box<dyn Read + 'r>,
    loc: &Location,
    info: &StreamInfo,
) {
    let mut sample = Vec::with_capacity(8192);
    if let Err(e) = (&mut reader).take(8192).read_to_end(&mut sample) {
        return ctx.skip(loc.clone(), format!("cannot read: {e}"));
    }
    let (enc, bom) = detect_encoding(&sample, sample.len() < 8192);
    let (head, _) = enc.decode_without_bom_handling(&sample[bom.min(sample.len())..]);
    let first_line = head.lines().next().unwrap_or("").to_string();
    let delim = delimiter(&first_line, info.file_name.as_deref());
    let body = std::io::Cursor::new(sample.split_off(bom.min(sample.len()))).chain(reader);
    let decoded = DecodeReader::new(body, enc);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .flexible(true)
        .has_headers(true)
        .buffer_capacity(64 * 1024)
        .from_reader(decoded);
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h
            .iter()
            .map(|s| s.trim_start_matches('\u{FEFF}').trim().to_string())
            .collect(),
        Err(e) => {
            return ctx.skip(
                loc.with_line(1),
                format!("cannot read the CSV header row: {e}"),
            )
        }
    };
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let cols = Columns::resolve(&names, &ctx.opts.field_map);
    if cols.text.is_none() {
        let shown: Vec<&str> = names.iter().take(20).copied().collect();
        return ctx.skip(
            loc.with_line(1),
            format!(
                "no text column among [{}] (expected text, content, body, article, full_text, maintext...; name one with --map text=NAME)",
                shown.join(", ")
            ),
        );
    }
    let mut row = csv::StringRecord::new();
    let mut n = 0u64;
    loop {
        match rdr.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                n += 1;
                let line = row.position().map(|p| p.line());
                let at = loc.with_record(n);
                let problem_at = match line {
                    Some(l) => at.with_line(l),
                    None => at.clone(),
                };
                if row.len() != header.len() {
                    if row.len() == 1 && row.get(0).is_some_and(|f| f.trim().is_empty()) {
                        n -= 1;
                        continue;
                    }
                    ctx.skip(
                        problem_at,
                        format!(
                            "row has {} fields but the header has {} (an unbalanced quote?)",
                            row.len(),
                            header.len()
                        ),
                    );
                    continue;
                }
                let values = cols.values(&row);
                match raw_from_values(values, at, InputFormat::Csv, "column") {
                    Ok(raw) => ctx.finish(raw),
                    Err(reason) => ctx.skip(problem_at, reason),
                }
            }
            Err(e) => {
                n += 1;
                let at = match e.position() {
                    Some(p) => loc.with_record(n).with_line(p.line()),
                    None => loc.with_record(n),
                };
                let fatal = matches!(e.kind(), csv::ErrorKind::Io(_));
                ctx.skip(at, format!("malformed CSV row: {e}"));
                if fatal {
                    break;
                }
            }
        }
    }
    if n == 0 {
        // A header and nothing under it is a file that held nothing: as
        // an empty file is, it is reported rather than passed in silence.
        ctx.skip(
            loc.clone(),
            "holds no records: a CSV header row and no rows",
        );
    }
}
