//! Reading the language data files (`lang/en/*.tsv`): comment lines start
//! with `#`, columns are separated by tabs. Each module that keeps a list
//! loads it once with these and records the lines that do not parse, so a
//! test can keep every embedded file whole.

/// The data lines of a file, numbered from 1, each split into its trimmed
/// columns; blank and comment lines are left out.
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| (i + 1, l.split('\t').map(str::trim).collect()))
}

/// A file of one word a line; a line that is not one word is recorded in
/// `bad_lines` and skipped.
pub(crate) fn word_set(
    text: &str,
    file: &'static str,
    bad_lines: &mut Vec<(&'static str, usize)>,
) -> std::collections::HashSet<String> {
    let mut set = std::collections::HashSet::new();
    for (n, cols) in data_lines(text) {
        match cols.as_slice() {
            [w] if !w.is_empty() && !w.contains(' ') => {
                set.insert(w.to_string());
            }
            _ => bad_lines.push((file, n)),
        }
    }
    set
}
