//! Heap used by the whole per-article analysis of one text file, counted
//! by a global allocator (issue 19: memory per input byte):
//!
//! ```text
//! cargo run --release -p storyline-analyze --example analysis_memory -- article.txt [--no-json]
//! ```
//!
//! Prints, in bytes and per input byte: the heap peak while analysing over
//! the heap before it (the embedded models are loaded by a warm-up
//! analysis first, so they are not counted), the heap the finished
//! `Analysis` holds, and the compact JSON's length. Each figure is given
//! twice: as requested from the allocator, and as glibc's malloc lays it
//! out (8 bytes of header, 16-byte steps, 32 bytes at least), which is
//! closer to what the process's RSS pays for many small strings.
//! `--no-json` leaves out the serialisation, so that a heap profiler run
//! over the example (`heaptrack`) finds the analysis's own peak.

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use storyline_analyze::document::{analyze, AnalysisContext};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static LIVE_MALLOC: AtomicUsize = AtomicUsize::new(0);
static PEAK_MALLOC: AtomicUsize = AtomicUsize::new(0);

/// What glibc's malloc takes for a request of `size` bytes on 64-bit Linux.
fn chunk(size: usize) -> usize {
    (size + 8).div_ceil(16).max(2) * 16
}

fn add(size: usize) {
    let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(live, Ordering::Relaxed);
    let c = chunk(size);
    let live = LIVE_MALLOC.fetch_add(c, Ordering::Relaxed) + c;
    PEAK_MALLOC.fetch_max(live, Ordering::Relaxed);
}

fn sub(size: usize) {
    LIVE.fetch_sub(size, Ordering::Relaxed);
    LIVE_MALLOC.fetch_sub(chunk(size), Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on as is.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            add(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on as is.
        unsafe { System.dealloc(ptr, layout) };
        sub(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is passed on as is.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            sub(layout.size());
            add(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Live bytes now, as requested and as malloc lays them out.
fn live() -> (usize, usize) {
    (
        LIVE.load(Ordering::Relaxed),
        LIVE_MALLOC.load(Ordering::Relaxed),
    )
}

/// Starts a new peak at the live bytes now.
fn reset_peak() {
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    PEAK_MALLOC.store(LIVE_MALLOC.load(Ordering::Relaxed), Ordering::Relaxed);
}

fn peak() -> (usize, usize) {
    (
        PEAK.load(Ordering::Relaxed),
        PEAK_MALLOC.load(Ordering::Relaxed),
    )
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: analysis_memory FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let json_too = std::env::args().nth(2).as_deref() != Some("--no-json");
    let ctx = AnalysisContext::default();
    // Loads the embedded models and regexes, which every analysis shares.
    drop(analyze(
        "Officials said 12 people were hurt on Monday.",
        &ctx,
    ));
    let before = live();
    reset_peak();
    let analysis = analyze(&text, &ctx);
    let during = peak();
    let held = live();
    reset_peak();
    let json = if json_too {
        serde_json::to_string(&analysis).unwrap_or_default()
    } else {
        String::new()
    };
    let serialising = peak();
    let n = text.len().max(1) as f64;
    let row = |what: &str, (a, m): (usize, usize), (a0, m0): (usize, usize)| {
        let (a, m) = (a.saturating_sub(a0), m.saturating_sub(m0));
        println!(
            "{what:<38} {:>12} B {:>7.1} B/byte   malloc {:>12} B {:>7.1} B/byte",
            a,
            a as f64 / n,
            m,
            m as f64 / n
        );
    };
    println!("input: {} bytes", text.len());
    row("heap peak while analysing", during, before);
    row("heap held by the analysis", held, before);
    if !json_too {
        return ExitCode::SUCCESS;
    }
    row("heap peak while serialising to JSON", serialising, before);
    println!(
        "{:<38} {:>12} B {:>7.1} B/byte",
        "compact JSON",
        json.len(),
        json.len() as f64 / n
    );
    ExitCode::SUCCESS
}
