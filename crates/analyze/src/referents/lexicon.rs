//! The title lexicon: head nouns that make a phrase a role (`minister`,
//! `spokesman`), the words that may modify them (`prime`, `foreign`,
//! `top`), honorifics that are not part of a name, and the group nouns whose
//! possessive stands for an organisation (`the group's spokesman`).

/// Whether `w` (lower case) can head a title: `minister`, `secretary`,
/// `spokeswoman`, `emir`, `secretary-general`.
pub fn is_head(w: &str) -> bool {
    matches!(
        w,
        "minister"
            | "secretary"
            | "secretary-general"
            | "president"
            | "vice-president"
            | "premier"
            | "chancellor"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "leader"
            | "chief"
            | "head"
            | "director"
            | "director-general"
            | "ambassador"
            | "envoy"
            | "diplomat"
            | "negotiator"
            | "general"
            | "commander"
            | "admiral"
            | "colonel"
            | "lieutenant"
            | "brigadier"
            | "marshal"
            | "king"
            | "queen"
            | "emir"
            | "sultan"
            | "ayatollah"
            | "prince"
            | "princess"
            | "official"
            | "officer"
            | "adviser"
            | "advisor"
            | "mayor"
            | "governor"
            | "senator"
            | "congressman"
            | "congresswoman"
            | "representative"
            | "lawmaker"
            | "legislator"
            | "chairman"
            | "chairwoman"
            | "chair"
            | "speaker"
            | "commissioner"
            | "coordinator"
            | "administrator"
            | "founder"
            | "ceo"
            | "executive"
            | "judge"
            | "prosecutor"
            | "attorney"
            | "candidate"
            | "nominee"
            | "rapporteur"
            | "mp"
            | "mps"
            | "councillor"
            | "councilor"
            // Sport: `Guard Niko Vesely`, `the Harriers coach`. Not
            // `centre` or `forward`, which head too many other phrases.
            | "coach"
            | "captain"
            | "guard"
            | "striker"
            | "goalkeeper"
            | "midfielder"
            | "defender"
            | "quarterback"
            | "pitcher"
            | "winger"
    )
}

/// Words that may stand in a title before its head (`prime`, `foreign`,
/// `deputy`, `top`) or after it (`general` in `attorney general`, `of
/// state`).
pub fn is_modifier(w: &str) -> bool {
    matches!(
        w,
        "prime"
            | "foreign"
            | "defense"
            | "defence"
            | "interior"
            | "finance"
            | "health"
            | "justice"
            | "economy"
            | "energy"
            | "education"
            | "trade"
            | "culture"
            | "communications"
            | "security"
            | "national"
            | "homeland"
            | "state"
            | "top"
            | "senior"
            | "deputy"
            | "vice"
            | "acting"
            | "former"
            | "late"
            | "military"
            | "political"
            | "press"
            | "crown"
            | "supreme"
            | "chief"
            | "executive"
            | "special"
            | "army"
            | "police"
            | "opposition"
            | "majority"
            | "minority"
            | "high"
            | "cabinet"
            | "government"
            | "ministry"
            | "foreign-policy"
            | "white"
            | "house"
            | "general"
            | "affairs"
            | "humanitarian"
            | "regional"
            | "intelligence"
            | "staff"
            | "war"
            | "un"
            | "u.n."
    )
}

/// Words dropped from a normalised title: they say when, not what
/// (`former president` is a `president`).
pub(crate) fn is_time_modifier(w: &str) -> bool {
    matches!(w, "former" | "then" | "late" | "acting" | "outgoing")
}

const HONORIFICS_TSV: &str = include_str!("../../lang/en/honorifics.tsv");

/// Courtesy titles (`lang/en/honorifics.tsv`): title → whether it goes
/// with a given name (`Sir Keir`) rather than a surname (`Mr Netanyahu`).
fn honorifics() -> &'static std::collections::HashMap<String, bool> {
    static LIST: std::sync::OnceLock<std::collections::HashMap<String, bool>> =
        std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        HONORIFICS_TSV
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.split('\t').map(str::trim);
                let title = cols.next().filter(|t| !t.is_empty())?;
                Some((title.to_string(), cols.next() == Some("given")))
            })
            .collect()
    })
}

/// Courtesy titles that are neither part of a name nor a role.
pub fn is_honorific(w: &str) -> bool {
    honorifics().contains_key(w)
}

/// A courtesy title that goes with a given name (`sir`, `dame`).
pub fn honorific_takes_given_name(w: &str) -> bool {
    honorifics().get(w).copied().unwrap_or(false)
}

/// Short affiliations the entity tagger may leave untagged.
pub(crate) fn is_affiliation_word(w: &str) -> bool {
    matches!(
        w,
        "us" | "u.s." | "uk" | "u.k." | "un" | "u.n." | "eu" | "nato" | "idf" | "cia" | "fbi"
    )
}

/// Nouns whose possessive names an organisation mentioned before
/// (`the group's spokesman`, `the ministry's director`).
pub(crate) fn is_group_noun(w: &str) -> bool {
    matches!(
        w,
        "group"
            | "movement"
            | "organisation"
            | "organization"
            | "militia"
            | "party"
            | "ministry"
            | "army"
            | "agency"
            | "company"
            | "government"
            | "country"
            | "kingdom"
            | "administration"
            | "council"
            | "committee"
            | "alliance"
            | "coalition"
            | "union"
    )
}

/// Whether two normalised titles can name the same office: equal, the same
/// head (`minister` for `prime minister`), or known synonyms (`top
/// diplomat` for `secretary of state`).
pub(crate) fn titles_match(description: &str, role: &str) -> bool {
    if description == role {
        return true;
    }
    let diplomat = |t: &str| {
        matches!(
            t,
            "top diplomat"
                | "diplomat"
                | "secretary of state"
                | "foreign minister"
                | "chief diplomat"
        )
    };
    if diplomat(description) && diplomat(role) {
        return true;
    }
    // `the minister` for `foreign minister`; `the spokesman` for `military spokesman`.
    let head = |t: &str| {
        let before_of = t.split(" of ").next().unwrap_or(t);
        before_of
            .rsplit(' ')
            .next()
            .unwrap_or(before_of)
            .to_string()
    };
    !description.contains(' ') && head(role) == description
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_honorifics_file_reads_whole() {
        let listed = HONORIFICS_TSV
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(honorifics().len(), listed);
        assert!(is_honorific("mr") && is_honorific("mrs.") && !is_honorific("minister"));
        assert!(honorific_takes_given_name("sir") && !honorific_takes_given_name("mr"));
    }
}
