//! Times `Linker::link_pending` per article on a real corpus, without the
//! CLI: reads an input (CSV, JSONL, a directory...), analyses each article
//! once, stores `copies` copies of it (each copy with a marker appended, so
//! new ids, and the first copy as its near-duplicate group, as
//! `storyline bench ingest --copies N` does) in a SqliteStore in a temporary
//! directory, links everything and prints ms/article per slice.
//!
//! ```text
//! cargo run --release -p storyline-link --example link_bench -- \
//!     <input> [--copies 4] [--slice 500] [--dump records.tsv]
//! ```
//!
//! `--dump` writes every link record (kind, id, keys, body) in scan order,
//! so two builds of the linker can be compared byte for byte.

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
    dump: Option<String>,
}

fn args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut out = Args {
        input: String::new(),
        copies: 4,
        slice: 500,
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
            _ if out.input.is_empty() => out.input = a,
            _ => return Err(format!("unexpected argument {a:?}")),
        }
    }
    if out.input.is_empty() {
        return Err("usage: link_bench <input> [--copies N] [--slice N] [--dump FILE]".into());
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

    let tmp = tempfile::tempdir()?;
    let store = SqliteStore::open(tmp.path())?;
    let ingested_at =
        Timestamp::from_date(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).ok_or("date")?);
    let mut total = 0usize;
    for copy in 0..args.copies.max(1) {
        let mut batch = Vec::new();
        for (draft, analysis) in drafts.iter().zip(&analyses) {
            let original_id =
                ArticleId::from_content_hash(&storyline_core::content_hash(&draft.text));
            let mut draft = draft.clone();
            if copy > 0 {
                draft.text.push_str(&format!("\n[bench copy {copy}]"));
            }
            let content_hash = storyline_core::content_hash(&draft.text);
            let id = ArticleId::from_content_hash(&content_hash);
            batch.push(NewArticle {
                article: Article {
                    id,
                    content_hash,
                    duplicate_group: original_id,
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
    eprintln!("{total} articles stored");

    let gazetteer = Gazetteer::embedded();
    let linker = Linker::new(&store, &gazetteer);
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let mut slice_start = Instant::now();
    let mut slice_cpu = cpu_start;
    let slice = args.slice.max(1);
    // CPU time beside wall time: on a shared machine the wall time of a
    // slice is whatever else ran, the CPU time is the linker's own.
    let report = linker.link_pending(|n| {
        if n % slice == 0 {
            let ms = slice_start.elapsed().as_secs_f64() * 1e3 / slice as f64;
            let cpu = cpu_seconds();
            println!(
                "articles {:>6}-{:<6} {:>7.2} ms/article {:>7.2} ms CPU/article",
                n - slice + 1,
                n,
                ms,
                (cpu - slice_cpu) * 1e3 / slice as f64
            );
            slice_start = Instant::now();
            slice_cpu = cpu;
        }
    })?;
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    let linked = (report.articles + report.without_analysis).max(1);
    println!(
        "total {} articles in {:.2}s: {:.2} ms/article, {:.2} ms CPU/article ({} claims, {} agree, {} update, {} contradict, {} stories, {} entities)",
        linked,
        secs,
        secs * 1e3 / linked as f64,
        cpu * 1e3 / linked as f64,
        report.claims,
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
