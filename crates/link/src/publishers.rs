//! Publishers: who stands behind an outlet, so that independence is judged
//! by publisher and not by domain (`bbc.co.uk` and `bbc.com` are one
//! newsroom).
//!
//! An outlet the actor file lists (an organisation whose aliases include the
//! domain, `organization\tBBC\tbbc.co.uk|bbc.com|…`, tab-separated) belongs to that
//! organisation; that is the user's way to group outlets whose domains do not
//! share a name (a paper and its sister site). Any other outlet belongs to its
//! registrable name: the label before the public suffix (`news.bbc.co.uk` →
//! `bbc`, `www.reuters.com` → `reuters`).

use crate::actors::{gaz_key, ActorKind, Gazetteer};

/// Second-level labels under a country code that are part of the suffix
/// (`co.uk`, `com.au`, `org.il`), not the publisher's name.
fn is_generic_second_level(label: &str) -> bool {
    matches!(
        label,
        "co" | "com" | "org" | "net" | "gov" | "ac" | "edu" | "ne" | "or" | "go" | "gob" | "nic"
    )
}

/// The publisher of an outlet (a domain, or a name a feed gives), as a
/// stable key: the actor file's organisation when it lists the outlet, else
/// the registrable name of the domain, else the outlet lower-cased.
pub fn publisher_of(outlet: &str, gazetteer: &Gazetteer) -> String {
    let outlet = outlet.trim().trim_end_matches('.').to_lowercase();
    let host = outlet
        .split_once("://")
        .map_or(outlet.as_str(), |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .trim_start_matches("www.");
    if let Some((e, _)) = gazetteer.lookup(host) {
        if matches!(e.kind, ActorKind::Organization | ActorKind::Group) {
            return gaz_key(&e.name);
        }
    }
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let name = match labels.as_slice() {
        [] => return outlet,
        [one] => one,
        [.., name, second, tld] if tld.len() == 2 && is_generic_second_level(second) => name,
        [.., name, _tld] => name,
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_of_one_newsroom_are_one_publisher() {
        let g = Gazetteer::embedded();
        assert_eq!(publisher_of("bbc.co.uk", &g), publisher_of("bbc.com", &g));
        assert_eq!(publisher_of("news.bbc.co.uk", &g), "bbc");
        assert_eq!(
            publisher_of("https://www.reuters.com/world/", &g),
            "reuters"
        );
        assert_eq!(publisher_of("example.com.au", &g), "example");
        assert_ne!(
            publisher_of("reuters.com", &g),
            publisher_of("apnews.com", &g)
        );
    }

    #[test]
    fn odd_outlets_stay_themselves() {
        let g = Gazetteer::embedded();
        assert_eq!(publisher_of("", &g), "");
        assert_eq!(publisher_of("localhost", &g), "localhost");
        assert_eq!(publisher_of("My Feed", &g), "my feed");
        assert_eq!(publisher_of("...", &g), "");
    }

    #[test]
    fn the_actor_file_groups_outlets() {
        let mut g = Gazetteer::embedded();
        let mine = Gazetteer::parse(
            "organization\tGuardian Media Group\ttheguardian.com|guardian.co.uk\t\t\n",
            "test",
        )
        .expect("parses");
        g.extend(mine);
        assert_eq!(
            publisher_of("theguardian.com", &g),
            publisher_of("guardian.co.uk", &g)
        );
    }
}
