//! Directory walking: sorted, recursive, content-sniffed, skipping hidden
//! files, binaries, symlinked directories and unreadable files with a problem.

mod common;

use std::path::Path;

use common::*;
use storyline_core::InputFormat;
use storyline_ingest::Input;

fn write(dir: &Path, name: &str, data: &[u8]) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

const HTML: &str = include_str!("fixtures/html/article.html");

#[test]
fn walks_sorted_sniffs_content_and_reports_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        d,
        "b_story.txt",
        b"By Ana Ruiz\nPORTO (AP) - Fishermen protested new quotas on Monday.",
    );
    write(
        d,
        "a_notes.md",
        b"# Harbour notes\n\nThe harbour froze for the first time in a decade.",
    );
    write(d, "sub/page.txt", HTML.as_bytes());
    write(
        d,
        "sub/records",
        b"{\"text\": \"Line one of a JSONL file with no extension.\"}\n{\"text\": \"Line two.\"}\n",
    );
    write(
        d,
        "sub/deeper/photo.jpg",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    );
    write(d, ".hidden.txt", b"Hidden files are not read.");
    write(d, ".git/config", b"[core]");
    write(d, "empty.txt", b"");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(d, d.join("loop")).unwrap();
        std::os::unix::fs::symlink(d.join("a_notes.md"), d.join("z_link.md")).unwrap();
        let _ = std::process::Command::new("mkfifo")
            .arg(d.join("pipe"))
            .status();
    }

    let (out, r) = input(&Input::Path(d.to_path_buf()), &opts());
    let summary = r.unwrap();

    let got: Vec<(String, InputFormat)> = out
        .articles
        .iter()
        .map(|a| {
            let rel = Path::new(&a.origin.location.source)
                .strip_prefix(d)
                .unwrap()
                .display()
                .to_string();
            (rel, a.origin.format)
        })
        .collect();
    let mut want = vec![
        ("a_notes.md".to_string(), InputFormat::Markdown),
        ("b_story.txt".to_string(), InputFormat::Text),
        ("sub/page.txt".to_string(), InputFormat::Html),
        ("sub/records".to_string(), InputFormat::Jsonl),
        ("sub/records".to_string(), InputFormat::Jsonl),
    ];
    if cfg!(unix) {
        want.push(("z_link.md".to_string(), InputFormat::Markdown));
    }
    assert_eq!(got, want);
    assert_eq!(out.articles[0].title.as_deref(), Some("Harbour notes"));
    assert_eq!(out.articles[1].authors, ["Ana Ruiz"]);
    assert_eq!(out.articles[1].source.as_deref(), Some("AP"));

    let problems: Vec<(String, String)> = out
        .problems
        .iter()
        .map(|p| {
            let rel = Path::new(&p.location.source)
                .strip_prefix(d)
                .unwrap()
                .display()
                .to_string();
            (rel, p.reason.clone())
        })
        .collect();
    let mut want_problems = vec![("empty.txt".to_string(), "empty: no text at all".to_string())];
    if cfg!(unix) {
        want_problems.push((
            "loop".to_string(),
            "symbolic link to a directory; not followed (so link loops cannot happen)".to_string(),
        ));
        if d.join("pipe").exists() {
            want_problems.push((
                "pipe".to_string(),
                "not a regular file (a FIFO); not read".to_string(),
            ));
        }
    }
    want_problems.push((
        "sub/deeper/photo.jpg".to_string(),
        "not a supported format (looks like PNG)".to_string(),
    ));
    assert_eq!(problems, want_problems);
    assert!(summary.files >= 6);
    assert_eq!(summary.articles, out.articles.len() as u64);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_problem_and_the_walk_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "a.txt", b"First readable story about the bridge.");
    write(d, "b_locked.txt", b"Locked story.");
    write(d, "c.txt", b"Third readable story about the tunnel.");
    let locked = d.join("b_locked.txt");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    let root_can_read = std::fs::read(&locked).is_ok();

    let (out, r) = input(&Input::Path(d.to_path_buf()), &opts());
    r.unwrap();
    if root_can_read {
        eprintln!("running as root: chmod 000 does not stop reads, so the unreadable-file assertion is skipped");
        assert_eq!(out.articles.len(), 3);
    } else {
        assert_eq!(out.articles.len(), 2);
        assert_eq!(out.problems.len(), 1);
        assert_eq!(
            out.problems[0].location.source,
            locked.display().to_string()
        );
        assert!(
            out.problems[0]
                .reason
                .starts_with("cannot open: Permission denied"),
            "{}",
            out.problems[0].reason
        );
        // A single unreadable file given directly fails the input as a whole.
        let (_, r) = input(&Input::Path(locked.clone()), &opts());
        assert!(r.is_err());
    }
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn large_directory_streams_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    for i in 0..300 {
        write(
            tmp.path(),
            &format!("n{i:04}.txt"),
            format!("Story number {i} about the harbour.").as_bytes(),
        );
    }
    let mut seen = Vec::new();
    let r = storyline_ingest::read(&Input::Path(tmp.path().to_path_buf()), &opts(), &mut |e| {
        if let storyline_ingest::Event::Article(a) = e {
            seen.push(a.text.clone());
        }
    });
    assert_eq!(r.unwrap().files, 300);
    assert_eq!(seen.len(), 300);
    assert_eq!(seen[0], "Story number 0 about the harbour.");
    assert_eq!(seen[299], "Story number 299 about the harbour.");
}

#[cfg(unix)]
#[test]
fn links_to_files_outside_the_folder_are_not_followed_unless_asked() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "A private note that must not be ingested.").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(d, "a.txt", b"A story inside the folder about the bridge.");
    write(d, "sub/b.txt", b"Another story inside, about the tunnel.");
    symlink(&secret, d.join("c_out.txt")).unwrap();
    // A link inside the folder pointing at a link that leaves it.
    symlink(d.join("c_out.txt"), d.join("d_chain.txt")).unwrap();
    // A link inside pointing inside: fine.
    symlink(d.join("sub/b.txt"), d.join("e_in.txt")).unwrap();
    symlink("/dev/null", d.join("f_dev")).unwrap();

    let (out, r) = input(&Input::Path(d.to_path_buf()), &opts());
    r.unwrap();
    let texts: Vec<&str> = out.articles.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "A story inside the folder about the bridge.",
            "Another story inside, about the tunnel.",
            "Another story inside, about the tunnel.",
        ]
    );
    let problems: Vec<(String, &str)> = out
        .problems
        .iter()
        .map(|p| {
            let name = Path::new(&p.location.source)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, p.reason.as_str())
        })
        .collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    for (i, name) in ["c_out.txt", "d_chain.txt"].iter().enumerate() {
        assert_eq!(problems[i].0, *name);
        assert!(
            problems[i].1.contains("outside the folder being read"),
            "{}",
            problems[i].1
        );
    }
    assert_eq!(problems[2].0, "f_dev");
    assert!(problems[2].1.contains("(a device)"), "{}", problems[2].1);

    // Asked for: both links to the outside file are read.
    let follow = storyline_ingest::IngestOptions {
        follow_symlinks: true,
        ..opts()
    };
    let (out, r) = input(&Input::Path(d.to_path_buf()), &follow);
    r.unwrap();
    let secret_reads = out
        .articles
        .iter()
        .filter(|a| a.text.starts_with("A private note"))
        .count();
    assert_eq!(secret_reads, 2);
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_given_directly_are_refused_not_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let mut cases = vec![(std::path::PathBuf::from("/dev/null"), "(a device)")];
    if made {
        // Opening this FIFO would block for ever: it has no writer.
        cases.push((fifo, "(a FIFO)"));
    } else {
        eprintln!("mkfifo unavailable: the FIFO case is skipped");
    }
    for (path, kind) in cases {
        let (out, r) = input(&Input::Path(path.clone()), &opts());
        let summary = r.unwrap();
        assert!(out.articles.is_empty());
        assert_eq!(summary.files, 0);
        assert_eq!(out.problems.len(), 1, "{:?}", out.problem_lines());
        let p = &out.problems[0];
        assert!(p.skipped);
        assert_eq!(p.location.source, path.display().to_string());
        assert!(p.reason.contains(kind), "{}", p.reason);
        assert!(p.reason.contains("use - to read standard input"));
    }
}
