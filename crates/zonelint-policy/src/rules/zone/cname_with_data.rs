//! ZONE006 `zone-cname-with-data`.

use crate::rules::delegation::{places_of, Place};
use crate::rules::targets::{target, txt_starts_with};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// A CNAME beside other data at one owner.
pub struct CnameWithData;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE006", slug: "zone-cname-with-data" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "CNAME plus other data at one owner",
    doc: RuleDoc {
        what: "Reports every record that shares its owner with a CNAME, except the RRSIG and NSEC records DNSSEC requires there. Names below a delegation are ZONE009's.",
        why: "A name with a CNAME is an alias and has no other data (RFC 1034 §3.6.2, RFC 2181 §10.1; RFC 4035 §2.5 adds only RRSIG and NSEC). BIND refuses to load such a zone, and resolvers that get it answer every query from the CNAME target: a TXT with SPF beside a CNAME is never seen, because SPF for that name comes from the target.",
        example: "www CNAME mail.example.com.\nwww TXT \"v=spf1 -all\"\n",
        use_instead: "www CNAME mail.example.com.\n",
        fix_safety: "No fix: either the alias or the other data has to go, and only the operator knows which.",
        references: &["RFC 1034 §3.6.2", "RFC 2181 §10.1", "RFC 4035 §2.5"],
    },
};

impl Rule for CnameWithData {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for (facts, place) in places_of(zone, cx.names()) {
            if matches!(place, Place::BelowCut(_)) || facts.record_count() < 2 {
                continue;
            }
            let Some(cname) = zone.records_of(facts, RType::CNAME).next() else {
                continue;
            };
            let alias_target = target(&cname)
                .map(|t| t.name)
                .map_or_else(|| "the target".to_owned(), |n| n.to_string());
            for other in zone.records(facts) {
                let rtype = other.rtype();
                if matches!(rtype, RType::CNAME | RType::RRSIG | RType::NSEC) {
                    continue;
                }
                let help = if rtype == RType::TXT && txt_starts_with(&other.rdata(), b"v=spf1") {
                    format!("SPF for {} comes from the CNAME target {alias_target}: publish it there and delete this TXT (or replace the CNAME with the target's addresses)", facts.name)
                } else if rtype == RType::MX {
                    format!("Mail for {} follows the CNAME to {alias_target}: put the MX there and delete it here (or replace the CNAME with address records)", facts.name)
                } else {
                    format!("Delete the {rtype} record, or replace the CNAME with the data it stood for; an alias can hold nothing else")
                };
                sink.report(
                    other.type_span(),
                    format!(
                        "{rtype} record beside a CNAME at {}; a CNAME owner holds no other data",
                        facts.name
                    ),
                )
                .help(help)
                .related(cname.type_span(), format!("CNAME to {alias_target} here"))
                .owner(facts.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, rrsig};
    use zonelint_zone::RType;

    #[test]
    fn data_beside_a_cname_fires_per_record() {
        let zone = format!(
            "{}www CNAME host.example.net.\nwww TXT \"v=spf1 -all\"\nwww MX 10 mail.example.net.\nwww A 192.0.2.1\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE006", &zone), @r"
        8:5 ZONE006 TXT record beside a CNAME at www.example.com.; a CNAME owner holds no other data
          help: SPF for www.example.com. comes from the CNAME target host.example.net.: publish it there and delete this TXT (or replace the CNAME with the target's addresses)
          related 7:5: CNAME to host.example.net. here
        9:5 ZONE006 MX record beside a CNAME at www.example.com.; a CNAME owner holds no other data
          help: Mail for www.example.com. follows the CNAME to host.example.net.: put the MX there and delete it here (or replace the CNAME with address records)
          related 7:5: CNAME to host.example.net. here
        10:5 ZONE006 A record beside a CNAME at www.example.com.; a CNAME owner holds no other data
          help: Delete the A record, or replace the CNAME with the data it stood for; an alias can hold nothing else
          related 7:5: CNAME to host.example.net. here
        ");
    }

    #[test]
    fn rrsig_and_nsec_beside_a_cname_do_not_fire() {
        let zone = format!(
            "{}www CNAME host.example.net.\nwww {}\nwww NSEC \\# 8 0377777700 000104\n",
            head(),
            rrsig(RType::CNAME, 3600)
        );
        assert_eq!(check("ZONE006", &zone), "");
    }

    #[test]
    fn a_cname_alone_or_below_a_cut_does_not_fire() {
        let zone = format!(
            "{}www CNAME host.example.net.\nsub NS ns1\nx.sub CNAME a.example.net.\nx.sub TXT \"v=spf1 -all\"\n",
            head()
        );
        assert_eq!(check("ZONE006", &zone), "");
    }
}
