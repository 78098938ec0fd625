//! Times `Linker::link_pending` per article on a real corpus, without the
//! CLI: reads an input (CSV, JSONL, a directory...), analyses each article
//! once, stores `copies` copies of it (each copy with a marker appended, so
//! new ids, and the first copy as its near-duplicate group, as
//! `storyline bench ingest --copies N` does) in a SqliteStore in a temporary
//! directory, links everything and prints ms/article per slice.
//!
//! ```text
//! cargo run --release -p storyline-link --example link_bench -- \
//!     <input> [--copies 4] [--slice 500] [--distinct] [--dump records.tsv]
//! ```
//!
//! Plain copies repeat every key of the ones before, so each capped lookup
//! fills up one copy at a time: the stress case for key density. With
//! `--distinct`, every copy after the first is a world of its own: every
//! word the corpus only writes capitalised (names, demonyms, acronyms,
//! whether tagged or not; month and day names excepted) gets a per-copy
//! letter substitution (`Blinken` → `Bmlohek`, same length), the copy is
//! analysed again and stored as an article of its own (not a near-duplicate).
//! Names, entities and name-scoped claim keys then differ between copies
//! while everything else (sentence shapes, terms, figures, dates) stays:
//! the store grows as under a real stream, key by key, and the run shows
//! whether linking cost depends on the size of the store.
//!
//! `--dump` writes every link record (kind, id, keys, body) in scan order,
//! so two builds of the linker can be compared byte for byte.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::time::Instant;

use storyline_analyze::document::{analyze, AnalysisContext, ANALYZER};
use storyline_core::{Article, ArticleDraft, ArticleId, Timestamp};
use storyline_ingest::{Event, IngestOptions, Input};
use storyline_link::actors::Gazetteer;
use storyline_link::linker::{kinds, Linker};
use storyline_store::{NewArticle, SqliteStore, Store, StoredAnalysis};

struct Args {
    input: String,
    copies: usize,
    slice: u64,
    distinct: bool,
    dump: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut out = Args {
        input: String::new(),
        copies: 4,
        slice: 500,
        distinct: false,
        dump: None,
    };
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--copies" => {
                out.copies = value("--copies")?
                    .parse()
                    .map_err(|e| format!("--copies: {e}"))?
            }
            "--slice" => {
                out.slice = value("--slice")?
                    .parse()
                    .map_err(|e| format!("--slice: {e}"))?
            }
            "--dump" => out.dump = Some(value("--dump")?),
            "--distinct" => out.distinct = true,
            _ if out.input.is_empty() => out.input = a,
            _ => return Err(format!("unexpected argument {a:?}")),
        }
    }
    if out.input.is_empty() {
        return Err(
            "usage: link_bench <input> [--copies N] [--slice N] [--distinct] [--dump FILE]".into(),
        );
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args()?;
    let mut drafts: Vec<ArticleDraft> = Vec::new();
    storyline_ingest::read(
        &Input::from_arg(&args.input),
        &IngestOptions::default(),
        &mut |e| {
            if let Event::Article(d) = e {
                drafts.push(*d);
            }
        },
    )?;
    let t = Instant::now();
    let analyses = analyse_all(&drafts);
    eprintln!(
        "{} articles read, analysed in {:.1}s",
        drafts.len(),
        t.elapsed().as_secs_f64()
    );

    let proper = proper_words(&drafts);
    let tmp = tempfile::tempdir()?;
    let store = SqliteStore::open(tmp.path())?;
    let ingested_at =
        Timestamp::from_date(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).ok_or("date")?);
    let mut total = 0usize;
    let t = Instant::now();
    for copy in 0..args.copies.max(1) {
        let disguised;
        let (drafts, analyses) = if args.distinct && copy > 0 {
            let copies: Vec<ArticleDraft> =
                drafts.iter().map(|d| disguise(d, &proper, copy)).collect();
            let again = analyse_all(&copies);
            disguised = (copies, again);
            (&disguised.0, &disguised.1)
        } else {
            (&drafts, &analyses)
        };
        let mut batch = Vec::new();
        for (draft, analysis) in drafts.iter().zip(analyses) {
            let original_id =
                ArticleId::from_content_hash(&storyline_core::content_hash(&draft.text));
            let mut draft = draft.clone();
            if copy > 0 {
                draft.text.push_str(&format!("\n[bench copy {copy}]"));
            }
            let content_hash = storyline_core::content_hash(&draft.text);
            let id = ArticleId::from_content_hash(&content_hash);
            let duplicate_group = if args.distinct {
                id.clone()
            } else {
                original_id
            };
            batch.push(NewArticle {
                article: Article {
                    id,
                    content_hash,
                    duplicate_group,
                    duplicate_similarity: 1.0,
                    ingested_at,
                    draft,
                },
                minhash: Vec::new(),
                lsh_bands: Vec::new(),
                // The marker goes after the text, so the original's spans
                // still hold.
                analysis: Some(StoredAnalysis {
                    analyzer: ANALYZER.to_string(),
                    json: analysis.clone(),
                }),
            });
            if batch.len() == 200 {
                total += store.put_articles(&batch)?.inserted.len();
                batch.clear();
            }
        }
        total += store.put_articles(&batch)?.inserted.len();
    }
    eprintln!(
        "{total} articles stored in {:.1}s",
        t.elapsed().as_secs_f64()
    );

    let gazetteer = Gazetteer::embedded();
    let linker = Linker::new(&store, &gazetteer);
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut slice_start = Instant::now();
    let mut slice_cpu = cpu_start;
    let mut slice_reads = store.link_reads();
    let slice = args.slice.max(1);
    // CPU time beside wall time: on a shared machine the wall time of a
    // slice is whatever else ran, the CPU time is the linker's own. What
    // the linker read per article beside both: a slice that costs more
    // while reading the same is paying more per read, not doing more.
    let report = linker.link_pending(|n| {
        if n % slice == 0 {
            let ms = slice_start.elapsed().as_secs_f64() * 1e3 / slice as f64;
            let cpu = cpu_seconds();
            let reads = store.link_reads();
            let per = |now: u64, then: u64| (now - then) as f64 / slice as f64;
            // Per kind: postings/records, so a rise names its lookups.
            let kinds: Vec<String> = reads
                .by_kind
                .iter()
                .map(|(k, r)| {
                    let before = slice_reads.by_kind.get(k).copied().unwrap_or_default();
                    format!(
                        "{k} {:.1}/{:.1}",
                        per(r.postings, before.postings),
                        per(r.records, before.records)
                    )
                })
                .collect();
            println!(
                "articles {:>6}-{:<6} {:>7.2} ms/article {:>7.2} ms CPU/article  reads/article: {:>6.1} postings {:>6.1} records {:>7.1} KB {:>6.1} counters  [{}]",
                n - slice + 1,
                n,
                ms,
                (cpu - slice_cpu) * 1e3 / slice as f64,
                per(reads.postings, slice_reads.postings),
                per(reads.records, slice_reads.records),
                per(reads.bytes, slice_reads.bytes) / 1024.0,
                per(reads.counters, slice_reads.counters),
                kinds.join(", "),
            );
            slice_start = Instant::now();
            slice_cpu = cpu;
            slice_reads = reads;
        }
    })?;
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    let linked = (report.articles + report.without_analysis).max(1);
    println!(
        "total {} articles in {:.2}s: {:.2} ms/article, {:.2} ms CPU/article ({} claims, {} repeated by copies, {} agree, {} update, {} contradict, {} stories, {} entities)",
        linked,
        secs,
        secs * 1e3 / linked as f64,
        cpu * 1e3 / linked as f64,
        report.claims,
        report.copied_claims,
        report.agree,
        report.update,
        report.contradict,
        report.new_stories,
        report.new_entities
    );

    if let Some(path) = args.dump {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for kind in [
            kinds::ENTITY,
            kinds::CLAIM,
            kinds::FINDING,
            kinds::STANCE,
            kinds::STORY,
        ] {
            let mut after: Option<String> = None;
            loop {
                let page = store.link_scan(kind, after.as_deref(), 1000)?;
                let Some(last) = page.last() else { break };
                after = Some(last.id.clone());
                for r in &page {
                    writeln!(out, "{kind}\t{}\t{}\t{}", r.id, r.keys.join(" "), r.body)?;
                }
            }
        }
        let state = store.link_state()?;
        writeln!(out, "state\t{:?}", state)?;
        out.flush()?;
        eprintln!("records written to {path}");
    }
    Ok(())
}

/// The words a copy disguises: those the corpus only ever writes
/// capitalised (`Israel`, `American`, `UK`, `Blinken`), i.e. names and
/// what is made from them, whether the tagger tags them or not. Month and
/// day names stay, so every copy keeps its dates.
fn proper_words(drafts: &[ArticleDraft]) -> HashSet<String> {
    // How often each word is written capitalised and in lower case.
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    let mut capitalised: HashSet<&str> = HashSet::new();
    for d in drafts {
        for w in words(&d.text).filter(|w| w.len() >= 2) {
            let n = seen.entry(w.to_ascii_lowercase()).or_default();
            if w.as_bytes()[0].is_ascii_uppercase() {
                n.0 += 1;
                capitalised.insert(w);
            } else {
                n.1 += 1;
            }
        }
    }
    capitalised
        .into_iter()
        .filter(|w| {
            let l = w.to_ascii_lowercase();
            let (upper, lower) = seen.get(&l).copied().unwrap_or_default();
            // Acronyms (`US`, `UN`) always; a word mostly written
            // capitalised (`Hamas` also turns up in a lower-case link) too.
            let acronym = w.bytes().all(|b| b.is_ascii_uppercase());
            !storyline_core::is_calendar_word(w) && (acronym || upper >= 3 * lower)
        })
        .map(str::to_string)
        .collect()
}

/// Maximal runs of ASCII letters.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
}

/// Copy `copy` of an article as a world of its own: every letter of every
/// proper word is shifted by an amount that depends on the copy and the
/// letter's place, so the text keeps its length, shape and capitals but
/// names no one the other copies name. The first two letters' shifts are
/// the copy number's two base-26 digits, so even two-letter acronyms
/// (`UK`, `US`) differ in every one of the first 676 copies.
fn disguise(draft: &ArticleDraft, proper: &HashSet<String>, copy: usize) -> ArticleDraft {
    let mut bytes = draft.text.clone().into_bytes();
    let mut start = 0usize;
    while start < bytes.len() {
        if !bytes[start].is_ascii_alphabetic() {
            start += 1;
            continue;
        }
        let end = (start..bytes.len())
            .find(|&i| !bytes[i].is_ascii_alphabetic())
            .unwrap_or(bytes.len());
        let hit = std::str::from_utf8(&bytes[start..end]).is_ok_and(|w| proper.contains(w));
        if hit {
            for (i, b) in bytes[start..end].iter_mut().enumerate() {
                let digit = if i % 2 == 0 {
                    copy % 26
                } else {
                    copy / 26 % 26 + 5
                };
                let shift = (digit + 3 * (i / 2)) % 26;
                let base = if b.is_ascii_uppercase() { b'A' } else { b'a' };
                *b = base + ((*b - base) as usize + shift) as u8 % 26;
            }
        }
        start = end;
    }
    let mut out = draft.clone();
    // Only ASCII letters changed, so the bytes are still UTF-8.
    out.text = String::from_utf8(bytes).unwrap_or_else(|_| draft.text.clone());
    out
}

/// Analyses every draft, one thread per core, as JSON.
fn analyse_all(drafts: &[ArticleDraft]) -> Vec<String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = drafts.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = drafts
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|d| {
                            let a = analyze(
                                &d.text,
                                &AnalysisContext {
                                    published: d.published,
                                },
                            );
                            serde_json::to_string(&a).unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// User + system CPU time of this process so far (Linux; 0 elsewhere), so
/// runs on a shared machine can be compared.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name, which is in parentheses.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15, i.e. 11 and 12 after the name and state.
    (ticks(11) + ticks(12)) / 100.0
}
