//! Actors: which names in an article are the same actor, and which actor
//! across articles each of them is.
//!
//! Two sources of knowledge: an editable actor file ([`Gazetteer`]; the
//! embedded `data/actors.tsv` plus whatever users add) for countries,
//! organisations, their abbreviations, demonyms and metonyms (`Washington`
//! for the US government when it acts), and the article itself (a surname
//! after a full name, a demonym beside the place it names). Everything here
//! is per article and pure; the cross-document step (a surname seen alone
//! in one article, matched to the full name another gave) is in
//! [`crate::linker`].

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use storyline_analyze::document::Analysis;
use storyline_analyze::EntityLabel;
use storyline_core::Span;

/// The actor file shipped with storyline.
pub const EMBEDDED_ACTORS: &str = include_str!("../data/actors.tsv");

/// What kind of actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    /// A state, its government when it acts.
    Country,
    /// An organisation, agency, company, outlet.
    Organization,
    /// An armed or political group, or a group of states.
    Group,
    /// A person.
    Person,
    /// A place that is not a country in the actor file.
    Place,
    /// Anything else (events, products, nationalities with no country).
    Other,
}

impl ActorKind {
    /// The lowercase name used in JSON and the actor file.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Country => "country",
            ActorKind::Organization => "organization",
            ActorKind::Group => "group",
            ActorKind::Person => "person",
            ActorKind::Place => "place",
            ActorKind::Other => "other",
        }
    }

    fn parse(s: &str) -> Option<ActorKind> {
        Some(match s {
            "country" => ActorKind::Country,
            "organization" | "organisation" => ActorKind::Organization,
            "group" => ActorKind::Group,
            "person" => ActorKind::Person,
            "place" => ActorKind::Place,
            "other" => ActorKind::Other,
            _ => return None,
        })
    }
}

/// One actor of the actor file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GazetteerEntry {
    /// Its kind.
    pub kind: ActorKind,
    /// The canonical name.
    pub name: String,
    /// Other names and abbreviations.
    pub aliases: Vec<String>,
    /// Words for its people (`Israeli`, `Israelis`).
    pub demonyms: Vec<String>,
    /// Names that stand for it when it acts (`Washington`).
    pub metonyms: Vec<String>,
}

/// How a name matched an actor file entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// The canonical name or an alias.
    Name,
    /// A demonym (`Israeli`).
    Demonym,
    /// A metonym (`Washington`): only an actor when it acts or speaks.
    Metonym,
}

/// A line of an actor file that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{origin}, line {line}: {reason}")]
pub struct ActorFileError {
    /// Which file.
    pub origin: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong and what is expected.
    pub reason: String,
}

/// The actor file, indexed by normalised name.
///
/// ```
/// use storyline_link::actors::{Gazetteer, Via};
/// let g = Gazetteer::embedded();
/// let (e, via) = g.lookup("Israelis").unwrap();
/// assert_eq!((e.name.as_str(), via), ("Israel", Via::Demonym));
/// assert_eq!(g.lookup("the U.S.").unwrap().0.name, "United States");
/// ```
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    index: HashMap<String, (usize, Via)>,
    /// A hash of every file read into it, so links made with another actor
    /// file can be told apart.
    fingerprint: u64,
}

/// Longest actor file accepted, in bytes.
pub const MAX_ACTOR_FILE_BYTES: usize = 16 << 20;

impl Gazetteer {
    /// The embedded actor file.
    pub fn embedded() -> Gazetteer {
        // The embedded file is checked by a unit test, so this cannot fail
        // in a released build; an empty gazetteer is the safe fallback.
        Gazetteer::parse(EMBEDDED_ACTORS, "embedded actors.tsv").unwrap_or_default()
    }

    /// Reads an actor file (format in `data/actors.tsv`). `origin` names it
    /// in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Gazetteer, ActorFileError> {
        let err = |line: usize, reason: String| ActorFileError {
            origin: origin.to_string(),
            line,
            reason,
        };
        if text.len() > MAX_ACTOR_FILE_BYTES {
            return Err(err(
                0,
                format!("the file is larger than {MAX_ACTOR_FILE_BYTES} bytes"),
            ));
        }
        let mut g = Gazetteer {
            fingerprint: crate::findings::stable_hash(&[text]),
            ..Gazetteer::default()
        };
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 2 || cols.len() > 5 {
                return Err(err(
                    i + 1,
                    format!(
                        "expected 2 to 5 tab-separated columns (kind, name, aliases, demonyms, metonyms), found {}",
                        cols.len()
                    ),
                ));
            }
            let kind = ActorKind::parse(cols[0].trim()).ok_or_else(|| {
                err(
                    i + 1,
                    format!(
                        "unknown kind {:?}; use country, organization, group, person, place or other",
                        cols[0]
                    ),
                )
            })?;
            let name = cols[1].trim();
            if name.is_empty() || normalize_name(name).is_empty() {
                return Err(err(i + 1, "the name is empty".into()));
            }
            let list = |c: usize| -> Vec<String> {
                cols.get(c)
                    .map(|s| {
                        s.split('|')
                            .map(str::trim)
                            .filter(|a| !normalize_name(a).is_empty())
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default()
            };
            g.add(GazetteerEntry {
                kind,
                name: name.to_string(),
                aliases: list(2),
                demonyms: list(3),
                metonyms: list(4),
            });
        }
        Ok(g)
    }

    /// Adds the entries of `other`; where both name the same string, `other` wins.
    pub fn extend(&mut self, other: Gazetteer) {
        self.fingerprint = crate::findings::stable_hash(&[
            &self.fingerprint.to_string(),
            &other.fingerprint.to_string(),
        ]);
        for e in other.entries {
            self.add(e);
        }
    }

    fn add(&mut self, e: GazetteerEntry) {
        let i = self.entries.len();
        let mut put = |s: &str, via: Via| {
            self.index.insert(normalize_name(s), (i, via));
        };
        for m in &e.metonyms {
            put(m, Via::Metonym);
        }
        for d in &e.demonyms {
            put(d, Via::Demonym);
        }
        for a in &e.aliases {
            put(a, Via::Name);
        }
        put(&e.name, Via::Name);
        self.entries.push(e);
    }

    /// The entry a name refers to, and how.
    pub fn lookup(&self, name: &str) -> Option<(&GazetteerEntry, Via)> {
        let (i, via) = self.index.get(&normalize_name(name))?;
        Some((self.entries.get(*i)?, *via))
    }

    /// Identifies the files read into it.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// A name reduced to what identifies it: lowercase, no leading `the`, no
/// possessive, no periods, hyphens and runs of spaces as one space.
///
/// ```
/// use storyline_link::actors::normalize_name;
/// assert_eq!(normalize_name("the U.S.’s"), "us");
/// assert_eq!(normalize_name("Al-Jazeera"), "al jazeera");
/// assert_eq!(normalize_name("António Guterres"), "antonio guterres");
/// ```
pub fn normalize_name(s: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    // `António` and `Antonio` are one name: decompose, drop the marks.
    let mut t: String = s
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' => '\'',
            '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '_' => ' ',
            c => c,
        })
        .filter(|c| *c != '.' && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect();
    for suffix in ["'s", "'"] {
        if let Some(stripped) = t.trim_end().strip_suffix(suffix) {
            t = stripped.to_string();
        }
    }
    let words: Vec<&str> = t
        .split_whitespace()
        .map(|w| spellings().get(w).map_or(w, String::as_str))
        .collect();
    let words = match words.first() {
        Some(&"the") if words.len() > 1 => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

const SPELLINGS_TSV: &str = include_str!("../data/spellings.tsv");

/// Spelling variants folded in names (`data/spellings.tsv`): `Israel
/// Defence Forces` and `Israel Defense Forces` are one name.
fn spellings() -> &'static HashMap<String, String> {
    static MAP: std::sync::OnceLock<HashMap<String, String>> = std::sync::OnceLock::new();
    MAP.get_or_init(|| {
        SPELLINGS_TSV
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let (a, b) = l.split_once('\t')?;
                Some((a.trim().to_string(), b.trim().to_string()))
            })
            .collect()
    })
}

/// Whether the name at `span` is a statement's source or an event's actor
/// or target in the article's analysis: a metonym (`Washington`) names its
/// government only then.
fn acts_or_speaks(analysis: &Analysis, span: Span) -> bool {
    let inside = |s: Span| s.start <= span.start && span.end <= s.end;
    analysis
        .attributions
        .iter()
        .any(|a| a.source.is_some_and(inside))
        || analysis.events.iter().any(|e| {
            e.actor.as_ref().is_some_and(|p| inside(p.span))
                || e.target.as_ref().is_some_and(|p| inside(p.span))
        })
}

/// The longest name of an organisation in the actor file that starts with
/// the mention at `span` and runs on over the capitalised words after it:
/// the tagger often takes only `Israel` of `Israel Defense Forces`.
/// Returns the longer span.
fn extend_to_known_org(text: &str, span: Span, gazetteer: &Gazetteer) -> Option<Span> {
    let rest = text.get(span.end..)?;
    let mut ends = Vec::new();
    let mut at = 0;
    for _ in 0..4 {
        let tail = &rest[at..];
        let gap = tail.len() - tail.trim_start_matches(' ').len();
        if gap != 1 {
            break;
        }
        let word_len = tail[gap..]
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\''))
            .unwrap_or(tail.len() - gap);
        let word = &tail[gap..gap + word_len];
        if word.is_empty() || !word.starts_with(|c: char| c.is_uppercase()) {
            break;
        }
        at += gap + word_len;
        ends.push(span.end + at);
    }
    ends.into_iter().rev().find_map(|end| {
        let (entry, _) = gazetteer.lookup(text.get(span.start..end)?)?;
        matches!(entry.kind, ActorKind::Organization | ActorKind::Group)
            .then(|| Span::new(span.start, end))
    })
}

/// Possible stems of a place name or a demonym, so that `Marevian` finds
/// `Marevia` and `Canadian` finds `Canada` without a list: a place gives
/// its name with and without a final vowel or `y`; a demonym gives itself
/// less each common suffix.
pub fn name_stems(name: &str, demonym: bool) -> Vec<String> {
    let n = normalize_name(name);
    if n.is_empty() || n.contains(' ') && demonym {
        return Vec::new();
    }
    let mut out = vec![n.clone()];
    if demonym {
        for suffix in ["ians", "ian", "ans", "an", "ese", "is", "i", "ns", "n", "s"] {
            if let Some(stem) = n.strip_suffix(suffix) {
                if stem.chars().count() >= 3 {
                    out.push(stem.to_string());
                }
            }
        }
    } else if let Some(stem) = n.strip_suffix(['a', 'e', 'o', 'y']) {
        if stem.chars().count() >= 3 {
            out.push(stem.to_string());
        }
    }
    out.dedup();
    out
}

/// A role seen with an actor in one article.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleSeen {
    /// The role as written (`US Secretary of State`).
    pub text: String,
    /// Normalised title (`secretary of state`).
    pub title: String,
    /// The actor the role is held for (`United States`), when known.
    pub affiliation: Option<String>,
    /// Where it is.
    pub span: Span,
}

/// One actor as one article names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArticleActor {
    /// Identity key across articles: `gaz:united states`, `person:antony
    /// blinken`, `surname:blinken` (a surname never given in full here),
    /// `stem:marevi` (a demonym of a place the actor file does not know),
    /// `name:…` (organisations and places), `other:…`.
    pub key: String,
    /// The fullest name the article gives.
    pub name: String,
    /// Its kind.
    pub kind: ActorKind,
    /// Whether the actor file knows it.
    pub known: bool,
    /// Surface forms, in order of first use.
    pub surface: Vec<String>,
    /// Mentions (byte spans into the text).
    pub mentions: Vec<Span>,
    /// Roles the article gives it.
    pub roles: Vec<RoleSeen>,
    /// Whether every mention is a demonym (`Israeli officials`): the
    /// actor is named through its people.
    pub via_demonym: bool,
}

/// The actors of one article and which actor each entity mention is.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleActors {
    /// Actors, in order of first mention.
    pub actors: Vec<ArticleActor>,
    /// For each entity mention of the analysis, its actor.
    pub by_mention: Vec<Option<usize>>,
}

impl ArticleActors {
    /// The actor a span of text refers to: the gazetteer's reading of the
    /// whole span if it has one (`the Israeli military`), else the entity
    /// mention inside the span that ends last (English noun phrases are
    /// head-final: `US Secretary of State Antony Blinken` is Blinken).
    pub fn resolve_span(
        &self,
        text: &str,
        span: Span,
        analysis: &Analysis,
        gazetteer: &Gazetteer,
    ) -> Option<usize> {
        let surface = text.get(span.start..span.end)?;
        if let Some((entry, _)) = gazetteer.lookup(surface) {
            if let Some(i) = self
                .actors
                .iter()
                .position(|a| a.key == gaz_key(&entry.name))
            {
                return Some(i);
            }
        }
        analysis
            .entities
            .iter()
            .enumerate()
            .filter(|(_, m)| m.span.start >= span.start && m.span.end <= span.end)
            .max_by_key(|(_, m)| m.span.end)
            .and_then(|(i, _)| self.by_mention.get(i).copied().flatten())
    }

    /// Every actor with a mention inside `span`, in text order.
    pub fn actors_in(&self, span: Span, analysis: &Analysis) -> Vec<usize> {
        self.actors_in_where(span, analysis, |_| true)
    }

    /// [`ArticleActors::actors_in`], counting only the mentions `keep` accepts.
    pub fn actors_in_where(
        &self,
        span: Span,
        analysis: &Analysis,
        keep: impl Fn(&storyline_analyze::EntityMention) -> bool,
    ) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, m) in analysis.entities.iter().enumerate() {
            if m.span.start >= span.start && m.span.end <= span.end && keep(m) {
                if let Some(a) = self.by_mention.get(i).copied().flatten() {
                    if !out.contains(&a) {
                        out.push(a);
                    }
                }
            }
        }
        out
    }
}

/// The identity key of an actor file entry.
pub fn gaz_key(name: &str) -> String {
    format!("gaz:{}", normalize_name(name))
}

/// The name a person mention stands for: the analysis's name for its
/// referent when that is fuller (`Blinken` → `Antony Blinken`) or the
/// mention without a title the tagger took in (`Mayor Aron Belic` → `Aron
/// Belic`); else the mention as written.
fn person_name<'a>(analysis: &'a Analysis, mention: usize, surface: &'a str) -> &'a str {
    let Some(referent) = analysis
        .referent_of_mention(mention)
        .and_then(|r| analysis.referents.get(r))
        .filter(|r| r.label == EntityLabel::Per)
    else {
        return surface;
    };
    let (name, written) = (normalize_name(&referent.name), normalize_name(surface));
    let fuller = name.split(' ').count() > written.split(' ').count();
    let untitled = written.len() > name.len()
        && written.ends_with(&name)
        && written[..written.len() - name.len()].ends_with(' ');
    if fuller || untitled {
        &referent.name
    } else {
        surface
    }
}

/// An organisation's name written with a role after it (`Labour MP`,
/// `WHO director-general`): the name without the role.
fn org_without_role(surface: &str) -> Option<&str> {
    let (org, last) = surface.trim_end().rsplit_once(' ')?;
    let last = last.to_lowercase();
    let org = org.trim_end();
    (storyline_analyze::referents::lexicon::is_head(&last) && !org.is_empty()).then_some(org)
}

const ORG_GENERICS_TSV: &str = include_str!("../data/org_generics.tsv");

/// The other form of an organisation's normalised name, with or without a
/// generic last word (`data/org_generics.tsv`): `labour party` ↔ `labour`.
/// Several generics give several forms; a name of one word that is itself
/// generic gives none.
pub fn org_name_variants(norm: &str) -> Vec<String> {
    static LIST: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let generics = LIST.get_or_init(|| {
        crate::data_lines(ORG_GENERICS_TSV)
            .map(str::to_string)
            .collect()
    });
    // `Conservatives` for the party that calls itself `Conservative`.
    if !norm.contains(' ') && norm.len() > 4 {
        if let Some(singular) = norm.strip_suffix('s') {
            let mut out = vec![singular.to_string()];
            out.extend(generics.iter().map(|g| format!("{singular} {g}")));
            return out;
        }
    }
    match norm.rsplit_once(' ') {
        Some((stem, last)) if generics.iter().any(|g| g == last) => vec![stem.to_string()],
        Some(_) | None if norm.contains(' ') || !generics.iter().any(|g| g == norm) => {
            generics.iter().map(|g| format!("{norm} {g}")).collect()
        }
        _ => Vec::new(),
    }
}

/// A person's name as a key reads it: without the courtesy titles and
/// role words before it (`Mr Netanyahu` → `Netanyahu`, `President Isaac
/// Herzog` → `Isaac Herzog`) and without middle initials (`George W. Bush`
/// → `George Bush`). Returns the name to show, its normalised form, and
/// whether a lone word left is a given name (`Sir Keir`), not a surname.
pub fn person_core(name: &str) -> (String, String, bool) {
    use storyline_analyze::referents::lexicon as lex;
    let mut words: Vec<&str> = name.split_whitespace().collect();
    let mut given = false;
    while words.len() > 1 {
        let w = normalize_name(words[0]);
        if lex::is_honorific(&w) || lex::is_honorific(&format!("{w}.")) {
            given = lex::honorific_takes_given_name(&w);
        } else if !(lex::is_head(&w) || lex::is_modifier(&w)) {
            break;
        }
        words.remove(0);
    }
    if words.len() >= 3 {
        let last = words.len() - 1;
        let mut k = 1;
        while k < last.min(words.len() - 1) {
            let bare = words[k].trim_end_matches('.');
            if bare.chars().count() == 1 && bare.chars().all(char::is_uppercase) {
                words.remove(k);
            } else {
                k += 1;
            }
        }
    }
    let shown = words.join(" ");
    let norm = normalize_name(&shown);
    let given = given && !norm.contains(' ');
    (shown, norm, given)
}

/// Groups the entity mentions of one article into actors.
pub fn article_actors(text: &str, analysis: &Analysis, gazetteer: &Gazetteer) -> ArticleActors {
    let mut out = ArticleActors {
        actors: Vec::new(),
        by_mention: vec![None; analysis.entities.len()],
    };
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // Full person names first, so a surname met before its full name (a
    // headline) still joins it.
    let full_names: Vec<(String, String)> = analysis
        .entities
        .iter()
        .enumerate()
        .filter(|(_, m)| m.label == EntityLabel::Per)
        .map(|(i, m)| person_core(person_name(analysis, i, &m.text)))
        .filter(|(_, norm, _)| norm.contains(' '))
        .map(|(shown, norm, _)| (norm, shown))
        .collect();
    let credits = credit_lines(text, analysis);
    // A mention swallowed by an extended one (below) joins its actor.
    let mut covered: Option<(Span, usize)> = None;
    for (i, m) in analysis.entities.iter().enumerate() {
        if let Some((span, idx)) = covered {
            if m.span.start < span.end && span.start <= m.span.start {
                out.actors[idx].mentions.push(m.span);
                out.by_mention[i] = Some(idx);
                continue;
            }
        }
        let extended = extend_to_known_org(text, m.span, gazetteer);
        let span = extended.unwrap_or(m.span);
        let Some(surface) = text.get(span.start..span.end) else {
            continue;
        };
        // `(Reporting by …; Editing by …)`: staff, not actors.
        if credits
            .iter()
            .any(|c| c.start <= m.span.start && m.span.end <= c.end)
        {
            continue;
        }
        // `Hamas-controlled`, `Iran-backed`: the actor is the first part;
        // `U.S.-Israeli` names a relation, not an actor.
        let surface = match hyphen_compound(surface, gazetteer) {
            Compound::Actor(first) => first,
            Compound::Relation => continue,
            Compound::No => surface,
        };
        let norm = normalize_name(surface);
        if norm.is_empty() {
            continue;
        }
        // A person's name is not a country's, except where the tagger
        // took a lone country name for a person (`Qatar, Egypt and …` at
        // the start of a sentence).
        let gaz = gazetteer
            .lookup(surface)
            .filter(|(e, via)| {
                (m.label == EntityLabel::Per) == (e.kind == ActorKind::Person)
                    || m.label == EntityLabel::Per && *via == Via::Name && !norm.contains(' ')
            })
            // `Jerusalem said`, `Washington dismissed`: the capital stands for
            // its government; `a protest in London` is the city.
            .filter(|(_, via)| *via != Via::Metonym || acts_or_speaks(analysis, span));
        let (key, name, kind, known, demonym) = if let Some((entry, via)) = gaz {
            (
                gaz_key(&entry.name),
                entry.name.clone(),
                entry.kind,
                true,
                via == Via::Demonym,
            )
        } else {
            let (surface_name, norm) = match person_name(analysis, i, surface) {
                n if n != surface => (n, normalize_name(n)),
                _ => (surface, norm),
            };
            match m.label {
                EntityLabel::Per => {
                    let (core, norm, given) = person_core(surface_name);
                    let surface = core.as_str();
                    let words: Vec<&str> = norm.split(' ').collect();
                    if words.len() >= 2 {
                        (
                            format!("person:{norm}"),
                            surface.to_string(),
                            ActorKind::Person,
                            false,
                            false,
                        )
                    } else if let Some((full, full_text)) = full_names.iter().find(|(f, _)| {
                        f.rsplit(' ').next() == Some(norm.as_str())
                            || f.split(' ').next() == Some(norm.as_str())
                    }) {
                        (
                            format!("person:{full}"),
                            full_text.clone(),
                            ActorKind::Person,
                            false,
                            false,
                        )
                    } else {
                        (
                            format!("{}:{norm}", if given { "given" } else { "surname" }),
                            surface.to_string(),
                            ActorKind::Person,
                            false,
                            false,
                        )
                    }
                }
                _ if m.demonym => match name_stems(surface, true).get(1) {
                    Some(stem) => (
                        format!("stem:{stem}"),
                        surface.to_string(),
                        ActorKind::Other,
                        false,
                        true,
                    ),
                    None => (
                        format!("other:{norm}"),
                        surface.to_string(),
                        ActorKind::Other,
                        false,
                        true,
                    ),
                },
                // An unknown name tagged ORG in one sentence and LOC in
                // another is one actor (a town's council, a country's
                // government: metonymy), so both share one key.
                EntityLabel::Org => {
                    // `Labour MP`, `WHO director-general`: the role is the
                    // person's; the organisation is what comes before it.
                    let (surface, norm) = match org_without_role(surface) {
                        Some(org) => (org, normalize_name(org)),
                        None => (surface, norm),
                    };
                    (
                        format!("name:{norm}"),
                        surface.to_string(),
                        ActorKind::Organization,
                        false,
                        false,
                    )
                }
                EntityLabel::Loc => (
                    format!("name:{norm}"),
                    surface.to_string(),
                    ActorKind::Place,
                    false,
                    false,
                ),
                EntityLabel::Misc => (
                    format!("other:{norm}"),
                    surface.to_string(),
                    ActorKind::Other,
                    false,
                    false,
                ),
            }
        };
        let idx = *by_key.entry(key.clone()).or_insert_with(|| {
            out.actors.push(ArticleActor {
                key,
                name,
                kind,
                known,
                surface: Vec::new(),
                mentions: Vec::new(),
                roles: Vec::new(),
                via_demonym: true,
            });
            out.actors.len() - 1
        });
        let actor = &mut out.actors[idx];
        if !actor.surface.iter().any(|s| s == surface) {
            actor.surface.push(surface.to_string());
        }
        // A dateline's `TEL AVIV` gives way to `Tel Aviv`.
        if !actor.known
            && is_all_caps(&actor.name)
            && !is_all_caps(surface)
            && normalize_name(surface) == normalize_name(&actor.name)
        {
            actor.name = surface.to_string();
        }
        actor.mentions.push(span);
        actor.via_demonym &= demonym;
        out.by_mention[i] = Some(idx);
        if extended.is_some() {
            covered = Some((span, idx));
        }
    }
    attach_roles(&mut out, analysis, gazetteer);
    merge_demonyms_into_places(&mut out);
    out
}

fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// Sentences that credit staff (`(Reporting by A; Editing by B)`).
fn credit_lines(text: &str, analysis: &Analysis) -> Vec<Span> {
    analysis
        .sentences
        .iter()
        .copied()
        .filter(|s| {
            let t = text
                .get(s.start..s.end)
                .unwrap_or("")
                .trim_start_matches(['(', ' ']);
            [
                "Reporting by",
                "Editing by",
                "Additional reporting",
                "Writing by",
                "Compiled by",
            ]
            .iter()
            .any(|p| t.starts_with(p))
        })
        .collect()
}

enum Compound<'t> {
    /// `Hamas-controlled`: the actor is the first part.
    Actor(&'t str),
    /// `U.S.-Israeli`: two known actors joined.
    Relation,
    /// Not a compound.
    No,
}

fn hyphen_compound<'t>(surface: &'t str, gazetteer: &Gazetteer) -> Compound<'t> {
    let Some((first, rest)) = surface.split_once('-') else {
        return Compound::No;
    };
    const SUFFIXES: &[&str] = &[
        "controlled",
        "led",
        "run",
        "backed",
        "based",
        "allied",
        "linked",
        "affiliated",
        "aligned",
        "owned",
        "funded",
        "held",
        "ruled",
        "born",
        "sponsored",
    ];
    if SUFFIXES.contains(&rest.to_lowercase().as_str()) && !first.is_empty() {
        return Compound::Actor(first);
    }
    if gazetteer.lookup(first).is_some() && gazetteer.lookup(rest).is_some() {
        return Compound::Relation;
    }
    Compound::No
}

/// Copies the roles the analysis found for each referent to its actor,
/// with the affiliation named canonically (`US` → `United States`).
fn attach_roles(out: &mut ArticleActors, analysis: &Analysis, gazetteer: &Gazetteer) {
    for r in &analysis.referents {
        let Some(actor) = r
            .mentions
            .iter()
            .find_map(|&m| out.by_mention.get(m).copied().flatten())
        else {
            continue;
        };
        for role in &r.roles {
            let affiliation = role.affiliation.as_ref().map(|a| {
                gazetteer
                    .lookup(a)
                    .map_or_else(|| a.clone(), |(e, _)| e.name.clone())
            });
            let seen = RoleSeen {
                text: role.text.clone(),
                title: role.title.clone(),
                affiliation,
                span: role.span,
            };
            let roles = &mut out.actors[actor].roles;
            if !roles
                .iter()
                .any(|x| x.title == seen.title && x.affiliation == seen.affiliation)
            {
                roles.push(seen);
            }
        }
    }
}

/// `Marevian` beside `Marevia` in one article: the demonym's actor is the
/// place's (which, when it acts, is its government).
fn merge_demonyms_into_places(actors: &mut ArticleActors) {
    let places: Vec<(usize, Vec<String>)> = actors
        .actors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.kind == ActorKind::Place)
        .map(|(i, a)| (i, name_stems(&a.name, false)))
        .collect();
    for i in 0..actors.actors.len() {
        // A flagged demonym, or a one-word MISC name (`Marevian`) that the
        // tagger did not know for one.
        let a = &actors.actors[i];
        let stems =
            if a.key.starts_with("stem:") || a.kind == ActorKind::Other && !a.name.contains(' ') {
                name_stems(&a.name, true)
            } else {
                continue;
            };
        if let Some(&(target, _)) = places
            .iter()
            .find(|(_, s)| stems.iter().skip(1).any(|stem| s.contains(stem)))
        {
            merge_into(actors, i, target);
        }
    }
    // `Veyra Liberation Front (VLF)` … `the VLF`: an acronym joins the name
    // whose initials it spells.
    for i in 0..actors.actors.len() {
        let Some(acronym) = acronym_of(&actors.actors[i]) else {
            continue;
        };
        let target = actors.actors.iter().position(|b| {
            !b.mentions.is_empty()
                && matches!(
                    b.kind,
                    ActorKind::Organization | ActorKind::Group | ActorKind::Other
                )
                && initials(&b.name).is_some_and(|x| x == acronym)
        });
        if let Some(target) = target.filter(|&t| t != i) {
            merge_into(actors, i, target);
        }
    }
    // Drop the emptied actors and renumber.
    let keep: Vec<bool> = actors
        .actors
        .iter()
        .map(|a| !a.mentions.is_empty())
        .collect();
    let mut new_index = vec![None; keep.len()];
    let mut n = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            new_index[i] = Some(n);
            n += 1;
        }
    }
    let mut i = 0;
    actors.actors.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    for slot in actors.by_mention.iter_mut() {
        *slot = slot.and_then(|s| new_index[s]);
    }
}

/// Moves actor `from`'s mentions and surface forms to `to`.
fn merge_into(actors: &mut ArticleActors, from: usize, to: usize) {
    let moved = std::mem::take(&mut actors.actors[from].mentions);
    let surface = std::mem::take(&mut actors.actors[from].surface);
    let t = &mut actors.actors[to];
    t.mentions.extend(moved);
    t.mentions.sort_by_key(|s| s.start);
    for s in surface {
        if !t.surface.contains(&s) {
            t.surface.push(s);
        }
    }
    for slot in actors.by_mention.iter_mut() {
        if *slot == Some(from) {
            *slot = Some(to);
        }
    }
}

/// An actor named only by an unknown all-capitals word of 2–6 letters
/// (`VLF`), lowercased.
fn acronym_of(a: &ArticleActor) -> Option<String> {
    let n = a.name.trim_start_matches("the ").trim();
    (!a.known
        && !a.mentions.is_empty()
        && (2..=6).contains(&n.chars().count())
        && n.chars().all(|c| c.is_ascii_uppercase()))
    .then(|| n.to_ascii_lowercase())
}

/// The initials of a multi-word name, skipping function words
/// (`Veyra Liberation Front` → `vlf`, `Concord of Nations Humanitarian
/// Office` → `cnho`).
pub fn initials(name: &str) -> Option<String> {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty() && !matches!(*w, "of" | "the" | "and" | "for" | "de" | "&"))
        .collect();
    (words.len() >= 2).then(|| {
        words
            .iter()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_analyze::document::{analyze, AnalysisContext};

    #[test]
    fn a_person_s_key_drops_titles_and_middle_initials() {
        assert_eq!(person_core("Mr Netanyahu").1, "netanyahu");
        assert_eq!(person_core("President Isaac Herzog").1, "isaac herzog");
        assert_eq!(person_core("George W. Bush").1, "george bush");
        assert_eq!(
            person_core("Sir Keir"),
            ("Keir".into(), "keir".into(), true)
        );
        assert!(!person_core("Mr Sunak").2);
        // A lone title is left as it is: there is nothing else to key on.
        assert_eq!(person_core("Mr").1, "mr");
    }

    #[test]
    fn organisation_names_with_and_without_their_generic_word() {
        assert_eq!(
            org_name_variants("labour party"),
            vec!["labour".to_string()]
        );
        assert!(org_name_variants("labour").contains(&"labour party".to_string()));
        assert!(org_name_variants("conservatives").contains(&"conservative party".to_string()));
        assert!(org_name_variants("party").is_empty());
        assert_eq!(org_without_role("Labour MP"), Some("Labour"));
        assert_eq!(org_without_role("WHO director-general"), Some("WHO"));
        assert_eq!(org_without_role("Hamas"), None);
        assert_eq!(
            normalize_name("Israel Defence Forces"),
            "israel defense forces"
        );
    }

    #[test]
    fn a_known_organisation_is_read_whole_where_the_tagger_took_its_first_word() {
        let g = Gazetteer::embedded();
        let text = "The Israel Defense Forces said its jets struck.";
        let span = Span::new(4, 10);
        assert_eq!(
            extend_to_known_org(text, span, &g).and_then(|s| text.get(s.start..s.end)),
            Some("Israel Defense Forces")
        );
        // A place followed by an ordinary capitalised word stays the place.
        assert_eq!(
            extend_to_known_org("In Israel Monday came.", Span::new(3, 9), &g),
            None
        );
    }

    #[test]
    fn embedded_actor_file_reads_cleanly() {
        let g = Gazetteer::parse(EMBEDDED_ACTORS, "embedded").expect("the shipped file is valid");
        assert!(g.len() > 100);
        assert_eq!(
            g.lookup("Washington").map(|(e, v)| (e.name.as_str(), v)),
            Some(("United States", Via::Metonym))
        );
        assert_eq!(
            g.lookup("IDF").map(|(e, _)| e.name.as_str()),
            Some("Israel Defense Forces")
        );
        assert_eq!(
            g.lookup("UAE").map(|(e, _)| e.name.as_str()),
            Some("United Arab Emirates")
        );
        assert!(g.lookup("Nowhere-land").is_none());
    }

    #[test]
    fn bad_actor_files_say_where() {
        let e = Gazetteer::parse("country\tX\n\nplanet\tMars\n", "mine.tsv").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().contains("mine.tsv, line 3"));
        assert!(Gazetteer::parse("country", "x").is_err());
        assert!(Gazetteer::parse("country\t  \t", "x").is_err());
        assert!(Gazetteer::parse("a\tb\tc\td\te\tf", "x").is_err());
        let ok = Gazetteer::parse("# only a comment\n\r\n", "x").expect("empty is fine");
        assert!(ok.is_empty());
    }

    #[test]
    fn user_files_extend_and_override() {
        let mut g = Gazetteer::embedded();
        let mine = Gazetteer::parse(
            "country\tMarevia\tRepublic of Marevia\tMarevian|Marevians\tLessk\n",
            "mine",
        )
        .unwrap();
        g.extend(mine);
        assert_eq!(g.lookup("Lessk").unwrap().0.name, "Marevia");
        assert_eq!(g.lookup("Marevians").unwrap().1, Via::Demonym);
        assert_eq!(g.lookup("Israel").unwrap().0.name, "Israel");
    }

    #[test]
    fn stems_join_demonyms_and_places() {
        let place = name_stems("Canada", false);
        let demonym = name_stems("Canadian", true);
        assert!(demonym.iter().any(|s| place.contains(s)));
        let place = name_stems("Marevia", false);
        assert!(name_stems("Marevians", true)
            .iter()
            .any(|s| place.contains(s)));
        assert!(name_stems("", true).is_empty());
    }

    #[test]
    fn a_capital_is_its_government_only_when_it_acts_or_speaks() {
        let g = Gazetteer::embedded();
        let text = "Thousands of people marched in London on Saturday, police said. \
                    Washington dismissed the claims on Sunday.";
        let a = analyze(text, &AnalysisContext::default());
        let actors = article_actors(text, &a, &g);
        let london = actors
            .actors
            .iter()
            .find(|x| x.surface.iter().any(|s| s == "London"))
            .expect("London");
        assert_eq!(london.kind, ActorKind::Place, "{london:?}");
        assert!(!london.key.starts_with("gaz:united kingdom"), "{london:?}");
        let washington = actors
            .actors
            .iter()
            .find(|x| x.surface.iter().any(|s| s == "Washington"))
            .expect("Washington");
        assert_eq!(washington.key, "gaz:united states", "{washington:?}");
    }

    #[test]
    fn one_article_groups_names_into_actors() {
        let text = "US Secretary of State Antony Blinken met Israeli officials in Tel Aviv on Friday. Blinken said Washington wants pauses. The Marevian navy sailed from ports in northern Marevia.";
        let a = analyze(text, &AnalysisContext::default());
        let g = Gazetteer::embedded();
        let actors = article_actors(text, &a, &g);
        let blinken = actors
            .actors
            .iter()
            .find(|x| x.key == "person:antony blinken")
            .expect("Blinken");
        assert_eq!(blinken.mentions.len(), 2, "{actors:#?}");
        assert!(actors
            .actors
            .iter()
            .any(|x| x.key == "gaz:israel" && x.via_demonym));
        assert!(actors.actors.iter().any(|x| x.key == "gaz:united states"));
        let marevia: Vec<_> = actors
            .actors
            .iter()
            .filter(|x| x.name.contains("Marevia"))
            .collect();
        assert_eq!(marevia.len(), 1, "{marevia:#?}");
        assert!(actors.by_mention.iter().all(|m| m.is_some()));
    }

    #[test]
    fn a_title_the_tagger_took_in_is_not_part_of_the_name() {
        let text = "Mayor Aron Belic of Tamsk said the school would reopen. \"We are ready,\" said Tamsk mayor Aron Belic. Belic thanked the teachers.";
        let a = analyze(text, &AnalysisContext::default());
        let actors = article_actors(text, &a, &Gazetteer::embedded());
        let belic: Vec<_> = actors
            .actors
            .iter()
            .filter(|x| x.name.contains("Belic"))
            .collect();
        assert_eq!(belic.len(), 1, "{belic:#?}");
        assert_eq!(belic[0].name, "Aron Belic");
        assert_eq!(belic[0].key, "person:aron belic");
    }

    #[test]
    fn acronyms_join_their_names() {
        let text = "The Veyra Liberation Front (VLF) denied the attack. A VLF spokesman spoke.";
        let a = analyze(text, &AnalysisContext::default());
        let actors = article_actors(text, &a, &Gazetteer::embedded());
        let vlf: Vec<_> = actors
            .actors
            .iter()
            .filter(|x| x.surface.iter().any(|s| s == "VLF"))
            .collect();
        assert_eq!(vlf.len(), 1, "{actors:#?}");
        assert!(vlf[0].name.contains("Liberation Front"), "{vlf:#?}");
        assert_eq!(
            initials("Concord of Nations Humanitarian Office").as_deref(),
            Some("cnho")
        );
        assert_eq!(initials("Hamas"), None);
    }

    #[test]
    fn empty_and_odd_text_give_no_actors() {
        let g = Gazetteer::embedded();
        for text in ["", "   ", "\u{202e}\u{200b}", "12 34 56"] {
            let a = analyze(text, &AnalysisContext::default());
            assert!(article_actors(text, &a, &g).actors.is_empty());
        }
    }
}
