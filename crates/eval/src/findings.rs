//! Findings and figures against labels the project made by reading real
//! coverage (`labels/gaza2023/`, rules in `labels/README.md`).
//!
//! Labels keep only pointers — the CSV row, a hash of the sentence, the
//! number as written — so the data is read at run time from the path the
//! user gives, analysed and linked by the caller, and its claims and
//! findings handed here as [`Prediction`]s. Each label falls in one of two
//! folds by a hash of its pointer: `dev` is where thresholds and weights may
//! be tuned, `test` is what a report quotes first.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Serialize;
use storyline_analyze::figures::{Approximation, Category, Period};
use storyline_link::claims::Claim;
use storyline_link::findings::{Finding, DEFAULT_MIN_CONFIDENCE};

/// Why the labels could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A label file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// A label file is malformed.
    #[error("{path}, line {line}: {reason}")]
    Format {
        path: std::path::PathBuf,
        line: usize,
        reason: String,
    },
}

/// The first 8 hex digits of BLAKE3 over a sentence with runs of whitespace
/// collapsed: the label files' sentence pointer.
pub fn sentence_hash(sentence: &str) -> String {
    let collapsed = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    blake3::hash(collapsed.as_bytes()).to_hex()[..8].to_string()
}

/// Where a labelled or predicted statement is: article row, sentence, number.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Pointer {
    /// The article: its 1-based data row for a CSV, `topic/id` for a
    /// Timeline17 topic.
    pub doc: String,
    /// [`sentence_hash`] of the sentence.
    pub sent: String,
    /// The number as written, `#2` for its second occurrence; empty for a
    /// statement without one.
    pub number: String,
}

/// Which half of the labels a pointer falls in.
fn fold(p: &Pointer) -> &'static str {
    let h = blake3::hash(format!("{}|{}", p.doc, p.sent).as_bytes());
    if h.as_bytes()[0].is_multiple_of(2) {
        "dev"
    } else {
        "test"
    }
}

/// One labelled figure.
#[derive(Clone, Debug)]
pub struct FigureLabel {
    pub at: Pointer,
    pub is_figure: bool,
    pub value: Option<f64>,
    pub high: Option<f64>,
    pub hedge: String,
    pub measure: String,
    pub population: String,
    pub place: String,
    pub period: String,
    pub as_of: String,
    pub claimant: String,
}

/// One labelled pair.
#[derive(Clone, Debug)]
pub struct PairLabel {
    pub a: Pointer,
    pub b: Pointer,
    /// `update`, `revision`, `contradict`, `agree`, `inconsistent` or `none`.
    pub kind: String,
    /// Why a negative is one (`identity`, `since_date`, …) or `-`.
    pub cause: String,
}

/// One labelled stance: whether the sentence states that `actor` is for
/// or against `issue` (`labels/README.md`, "Stances").
#[derive(Clone, Debug)]
pub struct StanceLabel {
    pub at: Pointer,
    /// The actor as a careful reader names them (`United States`).
    pub actor: String,
    /// The issue as the engine names it (`ceasefire`, `humanitarian_pause`).
    pub issue: String,
    /// `for`, `against`, `conditional`, or `none`: the sentence states no
    /// position of this actor on this issue.
    pub position: String,
}

/// The label files of a folder.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    pub figures: Vec<FigureLabel>,
    pub pairs: Vec<PairLabel>,
    /// From `stances.tsv`; empty when the folder has none.
    pub stances: Vec<StanceLabel>,
}

fn tsv(path: &Path, min_columns: usize) -> Result<Vec<Vec<String>>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut lines = text.lines();
    let header = lines.next().ok_or_else(|| EvalError::Format {
        path: path.to_path_buf(),
        line: 1,
        reason: "empty label file".into(),
    })?;
    let width = header.split('\t').count();
    if width < min_columns {
        return Err(EvalError::Format {
            path: path.to_path_buf(),
            line: 1,
            reason: format!("{width} columns in the header, at least {min_columns} expected"),
        });
    }
    let mut out = Vec::new();
    for (n, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<String> = line.split('\t').map(|c| c.trim().to_string()).collect();
        if cols.len() != width {
            return Err(EvalError::Format {
                path: path.to_path_buf(),
                line: n + 2,
                reason: format!("{} columns, the header has {width}", cols.len()),
            });
        }
        out.push(cols);
    }
    Ok(out)
}

fn doc_of(path: &Path, line: usize, s: &str) -> Result<String, EvalError> {
    if s.is_empty() || s == "-" {
        return Err(EvalError::Format {
            path: path.to_path_buf(),
            line,
            reason: "the article pointer is empty".into(),
        });
    }
    Ok(s.to_string())
}

fn number_or_dash(s: &str) -> String {
    if s == "-" {
        String::new()
    } else {
        s.to_string()
    }
}

/// Columns `figures.tsv` must have at least (`row` … `claimant`).
const FIGURE_COLUMNS: usize = 14;
/// Columns `pairs.tsv` must have at least (`row_a` … `cause`).
const PAIR_COLUMNS: usize = 8;
/// Columns `stances.tsv` must have at least (`row` … `position`).
const STANCE_COLUMNS: usize = 5;
/// The positions a stance label may give.
const STANCE_POSITIONS: &[&str] = &["for", "against", "conditional", "none"];

/// Reads `figures.tsv` and `pairs.tsv` from a label folder.
pub fn read_labels(dir: &Path) -> Result<Labels, EvalError> {
    let mut labels = Labels::default();
    let fpath = dir.join("figures.tsv");
    // A folder of pairs only (`gaza2023-outlets`) has no figures to score;
    // `pairs.tsv` is always required.
    let figure_rows = if fpath.is_file() || !dir.join("pairs.tsv").is_file() {
        tsv(&fpath, FIGURE_COLUMNS)?
    } else {
        Vec::new()
    };
    for (n, c) in figure_rows.into_iter().enumerate() {
        let num = |s: &str| s.replace(',', "").parse::<f64>().ok();
        labels.figures.push(FigureLabel {
            at: Pointer {
                doc: doc_of(&fpath, n + 2, &c[0])?,
                sent: c[1].clone(),
                number: c[2].clone(),
            },
            is_figure: c[3] == "yes",
            value: num(&c[4]),
            high: num(&c[5]),
            hedge: c[6].clone(),
            measure: c[7].clone(),
            population: c[8].clone(),
            place: c[9].clone(),
            period: c[10].clone(),
            as_of: c[12].clone(),
            claimant: c[13].clone(),
        });
    }
    let ppath = dir.join("pairs.tsv");
    for (n, c) in tsv(&ppath, PAIR_COLUMNS)?.into_iter().enumerate() {
        labels.pairs.push(PairLabel {
            a: Pointer {
                doc: doc_of(&ppath, n + 2, &c[0])?,
                sent: c[1].clone(),
                number: number_or_dash(&c[2]),
            },
            b: Pointer {
                doc: doc_of(&ppath, n + 2, &c[3])?,
                sent: c[4].clone(),
                number: number_or_dash(&c[5]),
            },
            kind: c[6].clone(),
            cause: c[7].clone(),
        });
    }
    // Stances came later than figures and pairs: a folder without them
    // scores none.
    let spath = dir.join("stances.tsv");
    if spath.is_file() {
        for (n, c) in tsv(&spath, STANCE_COLUMNS)?.into_iter().enumerate() {
            if !STANCE_POSITIONS.contains(&c[4].as_str()) {
                return Err(EvalError::Format {
                    path: spath.clone(),
                    line: n + 2,
                    reason: format!(
                        "position {:?} is none of {}",
                        c[4],
                        STANCE_POSITIONS.join(", ")
                    ),
                });
            }
            labels.stances.push(StanceLabel {
                at: Pointer {
                    doc: doc_of(&spath, n + 2, &c[0])?,
                    sent: c[1].clone(),
                    number: String::new(),
                },
                actor: c[2].clone(),
                issue: c[3].clone(),
                position: c[4].clone(),
            });
        }
    }
    Ok(labels)
}

/// A claim as the evaluation sees it: where it is and what the engine says.
#[derive(Clone, Debug)]
pub struct PredictedClaim {
    pub at: Pointer,
    /// The figure's text as the engine spans it (`more than 10,500`).
    pub span_text: String,
    pub claim: Claim,
    /// The named rule that decided the figure's period, from its analysis.
    pub period_rule: Option<String>,
}

/// What the engine produced on the data, located by pointers.
#[derive(Clone, Debug, Default)]
pub struct Prediction {
    /// Figure claims.
    pub claims: Vec<PredictedClaim>,
    /// Every finding, whatever its confidence, with both sides located.
    pub findings: Vec<(Finding, Pointer, Pointer)>,
    /// Stance claims, located.
    pub stances: Vec<(Pointer, Claim)>,
}

/// Who holds a stance claim: the body a speaker speaks for, else the speaker.
fn stance_holder(c: &Claim) -> Option<&str> {
    c.on_behalf_of
        .as_ref()
        .or(c.subject.as_ref())
        .map(|a| a.name.as_str())
}

/// Whether the label `l` judges the stance claim `c` found at `p`: the
/// same sentence, issue and actor.
fn covers_stance(
    l: &StanceLabel,
    p: &Pointer,
    c: &Claim,
    same_actor: &dyn Fn(Option<&str>, &str) -> bool,
) -> bool {
    l.at.doc == p.doc
        && l.at.sent == p.sent
        && l.issue == c.predicate
        && same_actor(stance_holder(c), &l.actor)
}

fn stance_position(c: &Claim) -> &'static str {
    c.position.map_or("none", |p| p.as_str())
}

/// The label vocabulary's measure for a figure claim.
pub fn measure_of(c: &Claim) -> String {
    let stock = c.period == Some(Period::Stock);
    let pop = c.population.as_deref().unwrap_or("");
    match c.category {
        Some(Category::Hostages) if stock => "hostages_held".into(),
        Some(Category::Hostages) => "hostages_taken".into(),
        Some(Category::Released) if pop == "prisoners" => "prisoners_released".into(),
        Some(Category::Released) => "hostages_released".into(),
        Some(Category::AidTrucks) => "aid_trucks_entered".into(),
        Some(Category::Troops) => "troops_deployed".into(),
        Some(Category::Buildings) => "buildings_damaged".into(),
        Some(Category::Percent) | None => "other".into(),
        Some(cat) => cat.as_str().to_string(),
    }
}

/// Label measures that name the same quantity as an engine measure at the
/// granularity the engine keeps.
fn same_measure(pred: &str, label: &str) -> bool {
    pred == label
        || matches!(
            (pred, label),
            ("strikes", "rockets_fired" | "targets_struck")
                | ("money", "money_pledged")
                | ("displaced", "evacuated")
                | ("detained", "arrested")
                | ("arrested", "detained")
        )
}

fn hedge_of(a: Option<Approximation>) -> &'static str {
    a.map_or("exact", Approximation::as_str)
}

fn norm(s: &str) -> String {
    let s = s.trim().to_lowercase();
    let s = s.strip_prefix("the ").unwrap_or(&s).to_string();
    s.replace(['.', '\''], "")
}

/// Places agree when equal, or when one is the other with a generic part
/// (`Gaza` and `Gaza Strip`).
fn same_place(pred: Option<&str>, label: &str) -> bool {
    match pred {
        None => label == "-",
        Some(p) if label == "-" => p.trim().is_empty(),
        Some(p) => {
            let (p, l) = (norm(p), norm(label));
            p == l
                || p.strip_suffix(" strip") == Some(l.as_str())
                || l.strip_suffix(" strip") == Some(p.as_str())
        }
    }
}

fn period_label(p: Option<Period>) -> &'static str {
    match p {
        Some(Period::Cumulative) => "cumulative",
        Some(Period::Incident) => "incident",
        Some(Period::Rate) => "rate",
        Some(Period::Stock) => "stock",
        _ => "-",
    }
}

/// Field accuracy over labelled figures.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FigureScores {
    /// Labels read (`is_figure = yes`).
    pub labelled: usize,
    /// Of those, how many the engine kept as a figure claim.
    pub found: usize,
    /// Labels with `is_figure = no` the engine still keeps as a claim.
    pub false_figures: usize,
    /// Labels with `is_figure = no`.
    pub not_figures: usize,
    /// Accuracy of each field over every `yes` label (a figure the engine
    /// did not keep is wrong on every field).
    pub accuracy: BTreeMap<&'static str, f64>,
    /// Period rule → (figures it decided, of which the period was right).
    pub period_rules: BTreeMap<String, (usize, usize)>,
}

/// Scores of one fold.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PairScores {
    /// Labelled pairs in the fold.
    pub labelled: usize,
    /// Per kind at the default threshold: predicted on labelled pairs,
    /// correct, precision; labelled positives, found, recall.
    pub kinds: BTreeMap<String, KindScore>,
    /// Over every positive kind: precision and recall at the default threshold.
    pub overall: KindScore,
    /// Precision and recall over every positive kind at each threshold.
    pub curve: Vec<CurvePoint>,
    /// False findings at the default threshold by the cause the label gives.
    pub false_by_cause: BTreeMap<String, usize>,
    /// Labelled updates and revisions whose two claims the shown update
    /// chain connects (directly, or through later reports of the same
    /// series), over all labelled updates and revisions: what a reader of
    /// the series sees, where `kinds` counts only direct findings.
    pub series_recall: Option<f64>,
    /// Of the labelled pairs the series join, the share labelled update or
    /// revision; the rest are pairs labelled `none` as two different
    /// quantities (cause `identity` or `since_date`).
    pub series_precision: Option<f64>,
    /// `series_recall` with repeats of a series' point joined to it, as
    /// the charts draw them (one point per claimant, quantity and value).
    pub series_recall_drawn: Option<f64>,
    /// `series_precision` with repeats joined the same way.
    pub series_precision_drawn: Option<f64>,
    /// Labelled revisions whose change (the same key, from one labelled
    /// value to the other) a shown revision finding reports, whichever two
    /// articles it cites.
    pub revision_change_recall: Option<f64>,
}

/// Precision and recall of one kind.
#[derive(Clone, Debug, Default, Serialize)]
pub struct KindScore {
    pub predicted: usize,
    pub correct: usize,
    pub precision: Option<f64>,
    pub positives: usize,
    pub found: usize,
    pub recall: Option<f64>,
}

/// Stance claims against stance labels, one fold.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StanceScores {
    /// Labels in the fold.
    pub labelled: usize,
    /// `predicted`: stance claims on a labelled sentence, actor and issue;
    /// `correct`: those whose position the label gives; `positives`:
    /// labels that state a position (not `none`); `found`: those a stance
    /// claim gives with that position.
    #[serde(flatten)]
    pub score: KindScore,
    /// Stance claims in the fold no label covers.
    pub unlabelled: usize,
}

/// One point of the precision–recall curve.
#[derive(Clone, Debug, Serialize)]
pub struct CurvePoint {
    pub threshold: f32,
    pub predicted: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
}

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct FindingsReport {
    pub threshold: f32,
    /// Pair scores on the `test` fold (quote these), the `dev` fold (where
    /// tuning is allowed) and all labels.
    pub pairs: BTreeMap<&'static str, PairScores>,
    /// Figure field accuracy per fold.
    pub figures: BTreeMap<&'static str, FigureScores>,
    /// Stance precision and recall per fold (empty without `stances.tsv`).
    pub stances: BTreeMap<&'static str, StanceScores>,
    /// Findings at the default threshold by kind, in all, labelled or not.
    pub findings_by_kind: BTreeMap<String, usize>,
    /// Of those, how many fall on a labelled pair.
    pub findings_on_labelled_pairs: usize,
    /// Label pointers whose sentence no predicted claim or finding reaches
    /// (the splitter changed, or the engine never made a claim there).
    pub unresolved_pointers: usize,
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| (a as f64 / b as f64 * 1000.0).round() / 1000.0)
}

/// The core of a number as a label writes it: `10,500#2` → (`10,500`, 2).
fn number_core(n: &str) -> (String, usize) {
    match n.rsplit_once('#') {
        Some((a, k)) => (a.trim().to_lowercase(), k.parse().unwrap_or(1)),
        None => (n.trim().to_lowercase(), 1),
    }
}

/// Whether a predicted side `p` (with its span text) is the labelled `l`.
fn side_matches(l: &Pointer, p: &Pointer) -> bool {
    if l.doc != p.doc || l.sent != p.sent {
        return false;
    }
    if l.number.is_empty() || p.number.is_empty() {
        return true;
    }
    let (core, _) = number_core(&l.number);
    p.number.to_lowercase().contains(&core)
}

fn pair_matches(label: &PairLabel, a: &Pointer, b: &Pointer) -> bool {
    (side_matches(&label.a, a) && side_matches(&label.b, b))
        || (side_matches(&label.a, b) && side_matches(&label.b, a))
}

const POSITIVE: &[&str] = &["update", "revision", "contradict", "agree", "inconsistent"];

/// Labelled pairs of the kinds `wanted` accepts that update and revision
/// findings at or above `threshold` connect into one series: (connected,
/// labelled).
///
/// With `drawn`, two reports of the same value of one quantity by the same
/// claimant (or, unattributed, the same outlet) are one point, as the
/// briefing's and the UI's charts draw them: a report that repeats the
/// latest count records no finding, yet stands on the series line.
fn series_connected(
    labels: &[&PairLabel],
    prediction: &Prediction,
    threshold: f32,
    wanted: &dyn Fn(&str) -> bool,
    drawn: bool,
) -> (usize, usize) {
    let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
    for (f, _, _) in &prediction.findings {
        if f.confidence >= threshold && matches!(f.kind.as_str(), "update" | "revision") {
            let (a, b) = (f.claims[0].claim.as_str(), f.claims[1].claim.as_str());
            next.entry(a).or_default().push(b);
            next.entry(b).or_default().push(a);
        }
    }
    if drawn {
        let mut points: HashMap<(&str, Option<u64>, String), Vec<&str>> = HashMap::new();
        for c in &prediction.claims {
            let who = match (&c.claim.claimant, &c.claim.evidence.outlet) {
                (Some(a), _) => a.id.clone(),
                (None, o) => format!("outlet:{}", o.as_deref().unwrap_or_default()),
            };
            points
                .entry((c.claim.key.as_str(), c.claim.value.map(f64::to_bits), who))
                .or_default()
                .push(c.claim.id.as_str());
        }
        for ids in points.values() {
            for w in ids.windows(2) {
                next.entry(w[0]).or_default().push(w[1]);
                next.entry(w[1]).or_default().push(w[0]);
            }
        }
    }
    let ids = |p: &Pointer| -> Vec<&str> {
        prediction
            .claims
            .iter()
            .filter(|c| side_matches(p, &c.at))
            .map(|c| c.claim.id.as_str())
            .collect()
    };
    let (mut positives, mut found) = (0, 0);
    for l in labels.iter().filter(|l| wanted(&l.kind)) {
        positives += 1;
        let targets = ids(&l.b);
        let mut seen: std::collections::HashSet<&str> = ids(&l.a).into_iter().collect();
        let mut todo: Vec<&str> = seen.iter().copied().collect();
        let mut reached = false;
        while let Some(x) = todo.pop() {
            if targets.contains(&x) {
                reached = true;
                break;
            }
            for &y in next.get(x).map(Vec::as_slice).unwrap_or_default() {
                if seen.insert(y) {
                    todo.push(y);
                }
            }
        }
        if reached
            && !drawn
            && !matches!(l.kind.as_str(), "update" | "revision")
            && fold(&l.a) == "dev"
        {
            tracing::debug!(
                target: "eval::series",
                "joined a `none` pair ({}): row {} {} · row {} {}",
                l.cause,
                l.a.doc,
                l.a.number,
                l.b.doc,
                l.b.number,
            );
        }
        if !reached
            && !drawn
            && matches!(l.kind.as_str(), "update" | "revision")
            && fold(&l.a) == "dev"
        {
            let keys = |p: &Pointer| -> Vec<String> {
                prediction
                    .claims
                    .iter()
                    .filter(|c| side_matches(p, &c.at))
                    .map(|c| format!("{} as of {:?}", c.claim.key, c.claim.as_of))
                    .collect()
            };
            tracing::debug!(
                target: "eval::series",
                "series missed ({}): row {} {} {:?} · row {} {} {:?}",
                l.kind,
                l.a.doc,
                l.a.number,
                keys(&l.a),
                l.b.doc,
                l.b.number,
                keys(&l.b),
            );
        }
        found += usize::from(reached);
    }
    (found, positives)
}

/// Labelled revisions whose change the engine reports: a revision finding
/// at or above `threshold` under the key of both labelled claims, from the
/// one's value to the other's. The engine records one finding per change
/// of a count, not one per pair of articles that printed the two values,
/// so pairwise recall undercounts what a reader is told.
fn revision_changes_found(
    labels: &[&PairLabel],
    prediction: &Prediction,
    threshold: f32,
) -> (usize, usize) {
    let claims = |p: &Pointer| -> Vec<&Claim> {
        prediction
            .claims
            .iter()
            .filter(|c| side_matches(p, &c.at))
            .map(|c| &c.claim)
            .collect()
    };
    let (mut positives, mut found) = (0, 0);
    for l in labels.iter().filter(|l| l.kind == "revision") {
        positives += 1;
        let (xs, ys) = (claims(&l.a), claims(&l.b));
        let hit = prediction.findings.iter().any(|(f, _, _)| {
            f.kind.as_str() == "revision"
                && f.confidence >= threshold
                && xs.iter().any(|x| {
                    ys.iter().any(|y| {
                        let v = [f.claims[0].value, f.claims[1].value];
                        x.key == f.key
                            && y.key == f.key
                            && (v == [x.value, y.value] || v == [y.value, x.value])
                    })
                })
        });
        found += usize::from(hit);
    }
    (found, positives)
}

fn score_pairs(labels: &[&PairLabel], prediction: &Prediction, threshold: f32) -> PairScores {
    let findings = &prediction.findings;
    let mut s = PairScores {
        labelled: labels.len(),
        ..PairScores::default()
    };
    // For each labelled pair, the surest finding on it (any confidence).
    let best: Vec<Option<&Finding>> = labels
        .iter()
        .map(|l| {
            findings
                .iter()
                .filter(|(_, a, b)| pair_matches(l, a, b))
                .map(|(f, _, _)| f)
                .max_by(|x, y| x.confidence.total_cmp(&y.confidence))
        })
        .collect();
    let at = |t: f32| {
        let mut kinds: BTreeMap<String, KindScore> = POSITIVE
            .iter()
            .map(|k| (k.to_string(), KindScore::default()))
            .collect();
        let mut causes: BTreeMap<String, usize> = BTreeMap::new();
        for (l, f) in labels.iter().zip(&best) {
            if POSITIVE.contains(&l.kind.as_str()) {
                let e = kinds.entry(l.kind.clone()).or_default();
                e.positives += 1;
                if f.is_some_and(|f| f.confidence >= t && f.kind.as_str() == l.kind) {
                    e.found += 1;
                }
            }
            if let Some(f) = f.filter(|f| f.confidence >= t) {
                let e = kinds.entry(f.kind.as_str().to_string()).or_default();
                e.predicted += 1;
                if f.kind.as_str() == l.kind {
                    e.correct += 1;
                } else {
                    *causes.entry(l.cause.clone()).or_default() += 1;
                }
            }
        }
        let mut overall = KindScore::default();
        for k in kinds.values_mut() {
            k.precision = ratio(k.correct, k.predicted);
            k.recall = ratio(k.found, k.positives);
            overall.predicted += k.predicted;
            overall.correct += k.correct;
            overall.positives += k.positives;
            overall.found += k.found;
        }
        overall.precision = ratio(overall.correct, overall.predicted);
        overall.recall = ratio(overall.found, overall.positives);
        (kinds, overall, causes)
    };
    // Error analysis of shown findings a label calls something else reads
    // the `dev` fold only (`-vv`, target `eval::wrong`).
    for (l, f) in labels.iter().zip(&best) {
        if let Some(f) = f.filter(|f| f.confidence >= threshold && f.kind.as_str() != l.kind) {
            if fold(&l.a) == "dev" {
                tracing::debug!(
                    target: "eval::wrong",
                    "{} shown, labelled {} ({}): {} {} · {} {} · {}\n  A {}\n  B {}",
                    f.kind.as_str(),
                    l.kind,
                    l.cause,
                    l.a.doc,
                    l.a.number,
                    l.b.doc,
                    l.b.number,
                    f.key,
                    f.claims[0].evidence.sentence,
                    f.claims[1].evidence.sentence,
                );
            }
        }
    }
    // Every labelled pair with the surest finding on it, one JSON line
    // each (`-vv`, target `eval::calibration`): what a confidence model is
    // fitted on. Both folds are written; a fit reads `dev` only.
    for (l, f) in labels.iter().zip(&best) {
        if let Some(f) = f {
            tracing::debug!(
                target: "eval::calibration",
                "{}",
                serde_json::json!({
                    "fold": fold(&l.a),
                    "label": l.kind,
                    "cause": l.cause,
                    "kind": f.kind.as_str(),
                    "confidence": f.confidence,
                    "reasons": f.reasons,
                    "key": f.key,
                    "a": f.claims[0].evidence.sentence,
                    "b": f.claims[1].evidence.sentence,
                    "va": f.claims[0].summary,
                    "vb": f.claims[1].summary,
                })
            );
        }
    }
    let (kinds, overall, causes) = at(threshold);
    s.kinds = kinds;
    s.overall = overall;
    s.false_by_cause = causes;
    let series = |k: &str| matches!(k, "update" | "revision");
    let (found, positives) = series_connected(labels, prediction, threshold, &series, false);
    s.series_recall = ratio(found, positives);
    let (found_drawn, _) = series_connected(labels, prediction, threshold, &series, true);
    s.series_recall_drawn = ratio(found_drawn, positives);
    // A series joins counts it calls one quantity: a pair labelled `none`
    // because its two counts are different quantities is wrongly joined.
    // (`none` for a repeat or a bound a later count still fits is the same
    // quantity; a series may hold both.)
    let two_quantities: Vec<&PairLabel> = labels
        .iter()
        .copied()
        .filter(|l| l.kind == "none" && matches!(l.cause.as_str(), "identity" | "since_date"))
        .collect();
    let (wrong, _) = series_connected(&two_quantities, prediction, threshold, &|_| true, false);
    s.series_precision = ratio(found, found + wrong);
    let (wrong, _) = series_connected(&two_quantities, prediction, threshold, &|_| true, true);
    s.series_precision_drawn = ratio(found_drawn, found_drawn + wrong);
    let (found, positives) = revision_changes_found(labels, prediction, threshold);
    s.revision_change_recall = ratio(found, positives);
    s.curve = (0..=20)
        .map(|i| {
            let t = i as f32 * 0.05;
            let (_, o, _) = at(t);
            CurvePoint {
                threshold: (t * 100.0).round() / 100.0,
                predicted: o.predicted,
                precision: o.precision,
                recall: o.recall,
            }
        })
        .collect();
    s
}

/// The claim a figure label points at: among the claims of its sentence
/// whose text holds the number, the k-th for `#k`.
fn claim_for<'p>(label: &Pointer, claims: &'p [PredictedClaim]) -> Option<&'p PredictedClaim> {
    let (core, k) = number_core(&label.number);
    let mut hits: Vec<&PredictedClaim> = claims
        .iter()
        .filter(|c| {
            c.at.doc == label.doc
                && c.at.sent == label.sent
                && c.span_text.to_lowercase().contains(&core)
        })
        .collect();
    hits.sort_by_key(|c| c.claim.evidence.span.start);
    hits.get(k.saturating_sub(1))
        .copied()
        .or(hits.first().copied())
}

fn score_figures(
    labels: &[&FigureLabel],
    claims: &[PredictedClaim],
    same_claimant: &dyn Fn(Option<&str>, &str) -> bool,
) -> FigureScores {
    let mut s = FigureScores::default();
    let mut right: BTreeMap<&'static str, usize> = BTreeMap::new();
    for l in labels {
        let found = claim_for(&l.at, claims);
        if !l.is_figure {
            s.not_figures += 1;
            s.false_figures += usize::from(found.is_some());
            if let (Some(p), "dev") = (found, fold(&l.at)) {
                tracing::debug!(
                    target: "eval::figures",
                    "kept a non-figure: {} · row {} · {}",
                    p.claim.summary,
                    l.at.doc,
                    p.claim.evidence.sentence
                );
            }
            continue;
        }
        s.labelled += 1;
        let Some(p) = found else {
            if fold(&l.at) == "dev" {
                tracing::debug!(
                    target: "eval::figures",
                    "no claim for a figure: {} {} {} · row {}",
                    l.value.unwrap_or_default(),
                    l.measure,
                    l.population,
                    l.at.doc
                );
            }
            continue;
        };
        s.found += 1;
        let c = &p.claim;
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(x), Some(y)) => (x - y).abs() <= (y.abs() * 0.005).max(0.5),
            (None, None) => true,
            _ => false,
        };
        let value_ok = close(c.value, l.value)
            && close(c.value_high, l.high)
            && hedge_of(c.approximation) == l.hedge;
        let measure_ok = same_measure(&measure_of(c), &l.measure);
        let population_ok = c.population.as_deref().unwrap_or(match c.category {
            Some(Category::Money) => "money",
            _ => "items",
        }) == l.population;
        let place_ok = same_place(c.place.as_deref(), &l.place);
        let as_of_ok = c.as_of.map(|d| d.to_string()).as_deref() == Some(l.as_of.as_str());
        // An official's count is their body's too (`on_behalf_of`): the label
        // may name either.
        let claimant_ok = same_claimant(c.claimant.as_ref().map(|a| a.name.as_str()), &l.claimant)
            || c.on_behalf_of
                .as_ref()
                .is_some_and(|b| same_claimant(Some(b.name.as_str()), &l.claimant));
        let period_ok = period_label(c.period) == l.period;
        let all_ok = value_ok && measure_ok && population_ok && place_ok && as_of_ok && claimant_ok;
        for (field, ok) in [
            ("value", value_ok),
            ("measure", measure_ok),
            ("population", population_ok),
            ("measure_population", measure_ok && population_ok),
            ("place", place_ok),
            ("as_of", as_of_ok),
            ("claimant", claimant_ok),
            ("period", period_ok),
            ("all_fields", all_ok),
        ] {
            *right.entry(field).or_default() += usize::from(ok);
        }
        // Error analysis reads the `dev` fold only (`-vv`, target
        // `eval::figures`): the test fold stays unread.
        if fold(&l.at) == "dev" {
            for (field, ok, got, want) in [
                (
                    "value",
                    value_ok,
                    format!("{:?} {:?}", c.value, c.approximation),
                    format!("{:?} {}", l.value, l.hedge),
                ),
                ("as_of", as_of_ok, format!("{:?}", c.as_of), l.as_of.clone()),
                (
                    "place",
                    place_ok,
                    format!(
                        "{:?}{}",
                        c.place,
                        if c.place_inferred { " (context)" } else { "" }
                    ),
                    l.place.clone(),
                ),
                (
                    "claimant",
                    claimant_ok,
                    format!("{:?}", c.claimant.as_ref().map(|a| &a.name)),
                    l.claimant.clone(),
                ),
                (
                    "measure_population",
                    measure_ok && population_ok,
                    format!("{} {:?}", measure_of(c), c.population),
                    format!("{} {}", l.measure, l.population),
                ),
            ] {
                if !ok {
                    tracing::debug!(
                        target: "eval::figures",
                        "miss {field}: got {got} want {want} · row {} {} {} · {}",
                        l.at.doc,
                        l.at.sent,
                        l.at.number,
                        c.evidence.sentence
                    );
                }
            }
        }
        let rule = p.period_rule.as_deref().unwrap_or("none").to_string();
        let e = s.period_rules.entry(rule).or_default();
        e.0 += 1;
        e.1 += usize::from(period_ok);
    }
    for field in [
        "value",
        "measure",
        "population",
        "measure_population",
        "place",
        "as_of",
        "claimant",
        "period",
        "all_fields",
    ] {
        // No labelled figure, no accuracy: a 0 would read as all wrong.
        let n = right.get(field).copied().unwrap_or(0);
        if let Some(r) = ratio(n, s.labelled) {
            s.accuracy.insert(field, r);
        }
    }
    s
}

/// Scores the stance claims of the fold `name` (`all` for every fold).
/// A claim is judged by the label on its sentence with the same actor
/// (`same_actor`) and issue; claims no label covers are counted apart.
fn score_stances(
    labels: &[StanceLabel],
    stances: &[(Pointer, Claim)],
    name: &str,
    same_actor: &dyn Fn(Option<&str>, &str) -> bool,
) -> StanceScores {
    let in_fold = |p: &Pointer| name == "all" || fold(p) == name;
    let labels: Vec<&StanceLabel> = labels.iter().filter(|l| in_fold(&l.at)).collect();
    let mut s = StanceScores {
        labelled: labels.len(),
        ..StanceScores::default()
    };
    let covers = |l: &StanceLabel, p: &Pointer, c: &Claim| covers_stance(l, p, c, same_actor);
    for (p, c) in stances.iter().filter(|(p, _)| in_fold(p)) {
        match labels.iter().find(|l| covers(l, p, c)) {
            Some(l) => {
                s.score.predicted += 1;
                let right = l.position == stance_position(c);
                s.score.correct += usize::from(right);
                if !right && name == "dev" {
                    tracing::debug!(
                        target: "eval::stances",
                        "wrong: {:?} {} {} (label {}) · row {} {} · {}",
                        stance_holder(c),
                        stance_position(c),
                        c.predicate,
                        l.position,
                        p.doc,
                        p.sent,
                        c.evidence.sentence
                    );
                }
            }
            None => s.unlabelled += 1,
        }
    }
    for l in labels.iter().filter(|l| l.position != "none") {
        s.score.positives += 1;
        let hit = stances
            .iter()
            .any(|(p, c)| covers(l, p, c) && stance_position(c) == l.position);
        s.score.found += usize::from(hit);
        if !hit && name == "dev" {
            tracing::debug!(
                target: "eval::stances",
                "missed: {} {} {} · row {} {}",
                l.actor,
                l.position,
                l.issue,
                l.at.doc,
                l.at.sent
            );
        }
    }
    s.score.precision = ratio(s.score.correct, s.score.predicted);
    s.score.recall = ratio(s.score.found, s.score.positives);
    s
}

/// Scores predictions against labels. `same_claimant(predicted, label)`
/// decides whether two claimant names are one actor (the caller knows the
/// actor file).
pub fn score(
    labels: &Labels,
    prediction: &Prediction,
    same_claimant: &dyn Fn(Option<&str>, &str) -> bool,
) -> FindingsReport {
    let threshold = DEFAULT_MIN_CONFIDENCE;
    let mut pairs = BTreeMap::new();
    let mut figures = BTreeMap::new();
    let mut stances = BTreeMap::new();
    if !labels.stances.is_empty() {
        for name in ["test", "dev", "all"] {
            stances.insert(
                name,
                score_stances(&labels.stances, &prediction.stances, name, same_claimant),
            );
        }
    }
    for name in ["test", "dev", "all"] {
        let pl: Vec<&PairLabel> = labels
            .pairs
            .iter()
            .filter(|l| name == "all" || fold(&l.a) == name)
            .collect();
        // The dev fold's error analysis (`-vv`) prints from the `dev` pass;
        // the `all` pass would print every line again.
        let pass = || score_pairs(&pl, prediction, threshold);
        let scored = if name == "all" {
            tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), pass)
        } else {
            pass()
        };
        pairs.insert(name, scored);
        let fl: Vec<&FigureLabel> = labels
            .figures
            .iter()
            .filter(|l| name == "all" || fold(&l.at) == name)
            .collect();
        let pass = || score_figures(&fl, &prediction.claims, same_claimant);
        let scored = if name == "all" {
            tracing::subscriber::with_default(tracing::subscriber::NoSubscriber::default(), pass)
        } else {
            pass()
        };
        figures.insert(name, scored);
    }
    // Error analysis of missed positive pairs reads the `dev` fold only
    // (`-vv`, target `eval::pairs`): both sides' keys say why no finding
    // joined them.
    for l in labels
        .pairs
        .iter()
        .filter(|l| POSITIVE.contains(&l.kind.as_str()) && fold(&l.a) == "dev")
    {
        if prediction
            .findings
            .iter()
            .any(|(_, a, b)| pair_matches(l, a, b))
        {
            continue;
        }
        let side = |p: &Pointer| {
            prediction
                .claims
                .iter()
                .find(|c| side_matches(p, &c.at))
                .map(|c| {
                    format!(
                        "{} · {:?} · as of {:?} · {}",
                        c.claim.key,
                        c.claim.claimant.as_ref().map(|a| &a.name),
                        c.claim.as_of,
                        c.claim.evidence.sentence
                    )
                })
                .unwrap_or_else(|| "no claim".to_string())
        };
        tracing::debug!(
            target: "eval::pairs",
            "missed {}: row {} {} {}\n  A {}\n  B {}",
            l.kind,
            l.a.doc,
            l.b.doc,
            l.a.number,
            side(&l.a),
            side(&l.b)
        );
    }
    // Stance claims no label covers, one JSON line each, ready to label.
    for (p, c) in &prediction.stances {
        let covered = labels
            .stances
            .iter()
            .any(|l| covers_stance(l, p, c, same_claimant));
        if !covered {
            tracing::debug!(
                target: "eval::unlabelled",
                "{}",
                serde_json::json!({
                    "kind": "stance",
                    "doc": p.doc,
                    "sent": p.sent,
                    "actor": stance_holder(c),
                    "issue": c.predicate,
                    "position": stance_position(c),
                    "sentence": c.evidence.sentence,
                })
            );
        }
    }
    // What the engine finds that no label covers, one JSON line each
    // (`-vv`, target `eval::unlabelled`): the pool new labels are drawn
    // from, with both pointers ready to paste into `pairs.tsv`.
    for (f, a, b) in &prediction.findings {
        if labels.pairs.iter().any(|l| pair_matches(l, a, b)) {
            continue;
        }
        let side = |p: &Pointer, s: &storyline_link::findings::FindingSide| {
            serde_json::json!({
                "doc": p.doc,
                "sent": p.sent,
                "number": if p.number.is_empty() { "-" } else { p.number.as_str() },
                "claimant": s.claimant,
                "as_of": s.as_of,
                "outlet": s.evidence.outlet,
                "sentence": s.evidence.sentence,
            })
        };
        tracing::debug!(
            target: "eval::unlabelled",
            "{}",
            serde_json::json!({
                "kind": f.kind.as_str(),
                "confidence": f.confidence,
                "key": f.key,
                "a": side(a, &f.claims[0]),
                "b": side(b, &f.claims[1]),
            })
        );
    }
    let mut findings_by_kind: BTreeMap<String, usize> = BTreeMap::new();
    let mut on_labelled = 0;
    for (f, a, b) in &prediction.findings {
        if f.confidence < threshold {
            continue;
        }
        *findings_by_kind
            .entry(f.kind.as_str().to_string())
            .or_default() += 1;
        on_labelled += usize::from(labels.pairs.iter().any(|l| pair_matches(l, a, b)));
    }
    let reached: HashMap<(&str, &str), ()> = prediction
        .claims
        .iter()
        .map(|c| ((c.at.doc.as_str(), c.at.sent.as_str()), ()))
        .chain(
            prediction
                .stances
                .iter()
                .map(|(p, _)| ((p.doc.as_str(), p.sent.as_str()), ())),
        )
        .chain(prediction.findings.iter().flat_map(|(_, a, b)| {
            [
                ((a.doc.as_str(), a.sent.as_str()), ()),
                ((b.doc.as_str(), b.sent.as_str()), ()),
            ]
        }))
        .collect();
    let unresolved = labels
        .pairs
        .iter()
        .flat_map(|l| [&l.a, &l.b])
        .chain(labels.figures.iter().map(|l| &l.at))
        .chain(labels.stances.iter().map(|l| &l.at))
        .filter(|p| !reached.contains_key(&(p.doc.as_str(), p.sent.as_str())))
        .count();
    FindingsReport {
        threshold,
        pairs,
        figures,
        stances,
        findings_by_kind,
        findings_on_labelled_pairs: on_labelled,
        unresolved_pointers: unresolved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_hashes_ignore_whitespace_runs() {
        assert_eq!(sentence_hash("a  b\nc"), sentence_hash("a b c"));
        assert_eq!(sentence_hash("x").len(), 8);
    }

    #[test]
    fn numbers_match_inside_hedged_spans() {
        let l = Pointer {
            doc: "3".into(),
            sent: "abcd1234".into(),
            number: "10,500".into(),
        };
        let p = Pointer {
            number: "more than 10,500".into(),
            ..l.clone()
        };
        assert!(side_matches(&l, &p));
        let other = Pointer {
            number: "9,000".into(),
            ..l.clone()
        };
        assert!(!side_matches(&l, &other));
        assert_eq!(number_core("1,200#2"), ("1,200".to_string(), 2));
    }

    fn stance(actor: &str, issue: &str, position: Option<&str>) -> Claim {
        serde_json::from_value(serde_json::json!({
            "id": "a-1", "kind": "stance", "key": format!("stance|{actor}|{issue}"),
            "summary": "", "claimant": null,
            "subject": {"id": actor.to_lowercase(), "name": actor},
            "on_behalf_of": null, "object": null, "predicate": issue, "place": null,
            "place_inferred": false, "value": null, "value_high": null, "approximation": null,
            "category": null, "position": position, "condition": null, "negated": false,
            "modality": null, "as_of": null, "earlier": false,
            "evidence": {
                "article": "0123456789abcdef", "outlet": null, "published": null,
                "published_provenance": "metadata", "duplicate_group": "0123456789abcdef",
                "sentence": "s", "sentence_span": {"start": 0, "end": 1},
                "span": {"start": 0, "end": 1}
            }
        }))
        .expect("a stance claim")
    }

    #[test]
    fn stances_are_judged_by_the_label_on_their_sentence_actor_and_issue() {
        let at = |doc: &str| Pointer {
            doc: doc.into(),
            sent: "abcd1234".into(),
            number: String::new(),
        };
        let label = |doc: &str, actor: &str, position: &str| StanceLabel {
            at: at(doc),
            actor: actor.into(),
            issue: "ceasefire".into(),
            position: position.into(),
        };
        let labels = [
            label("1", "United States", "against"),
            label("1", "Canada", "none"),
            label("2", "France", "for"),
        ];
        let predicted = [
            (
                at("1"),
                stance("United States", "ceasefire", Some("against")),
            ),
            (at("1"), stance("Canada", "ceasefire", Some("for"))),
            (at("1"), stance("Spain", "ceasefire", Some("for"))),
            (at("1"), stance("United States", "truce", Some("for"))),
        ];
        let same = |p: Option<&str>, l: &str| p.is_some_and(|p| p.eq_ignore_ascii_case(l));
        let s = score_stances(&labels, &predicted, "all", &same);
        let k = &s.score;
        assert_eq!((k.predicted, k.correct, s.unlabelled), (2, 1, 2));
        assert_eq!((k.positives, k.found), (2, 1), "France's call was missed");
        assert_eq!(k.precision, Some(0.5));
    }

    #[test]
    fn a_stance_label_with_an_unknown_position_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("figures.tsv"),
            format!("{}\n", ["c"; 14].join("\t")),
        )
        .expect("write");
        std::fs::write(
            dir.path().join("pairs.tsv"),
            format!("{}\n", ["c"; 8].join("\t")),
        )
        .expect("write");
        std::fs::write(
            dir.path().join("stances.tsv"),
            "row\tsent\tactor\tissue\tposition\n3\tabcd1234\tIsrael\tceasefire\tmaybe\n",
        )
        .expect("write");
        let err = read_labels(dir.path()).expect_err("unknown position");
        assert!(err.to_string().contains("line 2"), "{err}");
        // Without the file, no stance is scored.
        std::fs::remove_file(dir.path().join("stances.tsv")).expect("remove");
        assert!(read_labels(dir.path()).expect("labels").stances.is_empty());
    }

    #[test]
    fn bad_label_files_say_where() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("figures.tsv"), "a\tb\n1\n").expect("write");
        std::fs::write(dir.path().join("pairs.tsv"), "").expect("write");
        let err = read_labels(dir.path()).expect_err("ragged file");
        assert!(err.to_string().contains("figures.tsv"), "{err}");
        std::fs::write(dir.path().join("figures.tsv"), "").expect("write");
        let err = read_labels(dir.path()).expect_err("empty file");
        assert!(err.to_string().contains("empty"), "{err}");
        // A short header is refused before any column is read.
        std::fs::write(dir.path().join("figures.tsv"), "a\tb\n1\t2\n").expect("write");
        let err = read_labels(dir.path()).expect_err("short header");
        assert!(err.to_string().contains("at least 14"), "{err}");
        // A row without an article pointer, and binary bytes, say where.
        let header = (0..15)
            .map(|i| format!("c{i}"))
            .collect::<Vec<_>>()
            .join("\t");
        let line = std::iter::once("-")
            .chain((1..15).map(|_| "x"))
            .collect::<Vec<_>>()
            .join("\t");
        std::fs::write(
            dir.path().join("figures.tsv"),
            format!("{header}\n{line}\n"),
        )
        .expect("write");
        let err = read_labels(dir.path()).expect_err("bad row");
        assert!(err.to_string().contains("line 2"), "{err}");
        std::fs::write(dir.path().join("figures.tsv"), [0xff_u8, 0xfe, 0x00]).expect("write");
        assert!(read_labels(dir.path()).is_err());
    }
}
