//! List the names of a zone that publish no SPF record, using the index and the parsed
//! email records directly (what COV001 reports, as plain data).
//!
//! `cargo run -p zonelint-policy --example names_without_spf -- FILE ORIGIN`

use zonelint_policy::index::{ZoneIndex, ZoneSet};
use zonelint_policy::mail::{MailSet, MailTexts};
use zonelint_policy::rules::cov::exempt_from_coverage;
use zonelint_zone::{parse, Name, NoIncludes, ParseOptions};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(origin)) = (args.next(), args.next()) else {
        eprintln!("usage: names_without_spf FILE ORIGIN");
        std::process::exit(2);
    };
    let Ok(origin) = Name::from_ascii(&origin) else {
        eprintln!("{origin} is not a domain name");
        std::process::exit(2);
    };
    // Shared as read, as the binary does: no copy.
    let text = std::fs::read(&path).unwrap_or_default();
    let options = ParseOptions {
        origin: Some(origin.clone()),
        ..ParseOptions::default()
    };
    let (zone, _) = parse(&path, text, &options, &mut NoIncludes);
    let set = ZoneSet::new(vec![ZoneIndex::build(&zone, origin)]);
    let texts = MailTexts::read(&set);
    let mail = MailSet::parse(&texts);
    let (Some(index), Some(zone_mail)) = (set.zones().first(), mail.zone(0)) else {
        return;
    };
    for facts in index.names() {
        if facts.is_empty_non_terminal() || exempt_from_coverage(index, facts) {
            continue;
        }
        if zone_mail.selected_spf_at(facts.name).next().is_none() {
            println!("{}", facts.name);
        }
    }
}
