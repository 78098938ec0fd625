//! Nationality and group words (`Israeli`, `Palestinians`, `Arab`).
//!
//! CoNLL tags them MISC; the flag lets linking map them to actors. The list is
//! written by hand (no external data) and covers countries, regions and the
//! religious and ethnic groups common in conflict reporting.

/// Demonyms, lowercase and singular, sorted for binary search.
const DEMONYMS: &[&str] = &[
    "afghan",
    "african",
    "albanian",
    "algerian",
    "american",
    "arab",
    "arabian",
    "argentine",
    "argentinian",
    "armenian",
    "asian",
    "australian",
    "austrian",
    "azerbaijani",
    "azeri",
    "bahraini",
    "bangladeshi",
    "belarusian",
    "belgian",
    "bolivian",
    "bosnian",
    "brazilian",
    "british",
    "bulgarian",
    "burmese",
    "cambodian",
    "cameroonian",
    "canadian",
    "chadian",
    "chilean",
    "chinese",
    "christian",
    "colombian",
    "congolese",
    "croat",
    "croatian",
    "cuban",
    "cypriot",
    "czech",
    "danish",
    "druze",
    "dutch",
    "ecuadorian",
    "egyptian",
    "emirati",
    "english",
    "eritrean",
    "estonian",
    "ethiopian",
    "european",
    "filipino",
    "finnish",
    "french",
    "georgian",
    "german",
    "ghanaian",
    "greek",
    "guatemalan",
    "haitian",
    "hindu",
    "honduran",
    "hungarian",
    "icelandic",
    "indian",
    "indonesian",
    "iranian",
    "iraqi",
    "irish",
    "islamic",
    "israeli",
    "italian",
    "ivorian",
    "jamaican",
    "japanese",
    "jewish",
    "jordanian",
    "kazakh",
    "kenyan",
    "korean",
    "kosovar",
    "kurdish",
    "kuwaiti",
    "kyrgyz",
    "latvian",
    "lebanese",
    "liberian",
    "libyan",
    "lithuanian",
    "malaysian",
    "malian",
    "maltese",
    "mexican",
    "moldovan",
    "mongolian",
    "moroccan",
    "muslim",
    "namibian",
    "nepalese",
    "nigerian",
    "nigerien",
    "norwegian",
    "omani",
    "pakistani",
    "palestinian",
    "panamanian",
    "paraguayan",
    "persian",
    "peruvian",
    "polish",
    "portuguese",
    "qatari",
    "romanian",
    "russian",
    "rwandan",
    "saudi",
    "scottish",
    "senegalese",
    "serb",
    "serbian",
    "shia",
    "shiite",
    "sikh",
    "singaporean",
    "slovak",
    "slovenian",
    "somali",
    "south african",
    "soviet",
    "spanish",
    "sri lankan",
    "sudanese",
    "sunni",
    "swedish",
    "swiss",
    "syrian",
    "taiwanese",
    "tajik",
    "tanzanian",
    "thai",
    "tunisian",
    "turkish",
    "turkmen",
    "ugandan",
    "ukrainian",
    "uruguayan",
    "uzbek",
    "venezuelan",
    "vietnamese",
    "welsh",
    "western",
    "yemeni",
    "zambian",
    "zimbabwean",
];

/// Nouns for members of a nation or group whose plural is not `adjective + s`.
const GROUP_NOUNS: &[&str] = &[
    "arabs", "brits", "croats", "danes", "finns", "jews", "kurds", "poles", "scots", "serbs",
    "swedes", "turks",
];

/// Whether `text` is a nationality or group adjective or noun, singular or
/// plural (`Israeli`, `Israelis`, `Turks`), possibly hyphenated (`Israeli-Arab`).
pub fn is_demonym(text: &str) -> bool {
    let lower = text.trim().to_lowercase().replace('\u{2019}', "'");
    if lower.is_empty() || lower.len() > 40 {
        return false;
    }
    if lower.contains('-') {
        return lower.split('-').all(is_demonym);
    }
    let known = |w: &str| DEMONYMS.binary_search(&w).is_ok();
    if known(&lower) || GROUP_NOUNS.binary_search(&lower.as_str()).is_ok() {
        return true;
    }
    lower.strip_suffix('s').is_some_and(known)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted() {
        for list in [DEMONYMS, GROUP_NOUNS] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, list);
        }
    }

    #[test]
    fn recognises_demonyms() {
        for w in [
            "Israeli",
            "Palestinians",
            "Turkish",
            "Arab",
            "Arabs",
            "Israeli-Arab",
            "Jews",
        ] {
            assert!(is_demonym(w), "{w}");
        }
        for w in ["Israel", "Gaza", "Hamas", "", "Blinken", "-"] {
            assert!(!is_demonym(w), "{w}");
        }
    }
}
