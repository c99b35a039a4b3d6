//! ZONE007 `zone-cname-multiple`.

use crate::rules::delegation::{places_of, Place};
use crate::rules::targets::canonical_cmp;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use std::cmp::Ordering;
use zonelint_zone::{Code, RType};

/// More than one CNAME at one owner.
pub struct CnameMultiple;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE007", slug: "zone-cname-multiple" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "more than one CNAME at one owner",
    doc: RuleDoc {
        what: "Reports every CNAME after the first at one owner that points somewhere else. (An exact copy is ZONE015's finding.)",
        why: "An alias has exactly one canonical name (RFC 2181 §10.1: a CNAME RRset holds one record). BIND refuses to load the zone; servers that accept it pick one target, so where the name leads is unpredictable.",
        example: "www CNAME mail.example.com.\nwww CNAME ns1.example.com.\n",
        use_instead: "www CNAME mail.example.com.\n",
        fix_safety: "No fix: which target is right is the operator's call.",
        references: &["RFC 2181 §10.1", "RFC 1034 §3.6.2"],
    },
};

impl Rule for CnameMultiple {
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
            let cnames: Vec<_> = zone.records_of(facts, RType::CNAME).collect();
            let Some(first) = cnames.first() else {
                continue;
            };
            let distinct: Vec<_> = cnames
                .iter()
                .enumerate()
                .filter(|(i, cname)| {
                    !cnames.iter().take(*i).any(|earlier| {
                        canonical_cmp(RType::CNAME, &earlier.rdata(), &cname.rdata())
                            == Ordering::Equal
                    })
                })
                .map(|(_, cname)| cname)
                .collect();
            let count = distinct.len();
            for cname in distinct.iter().skip(1) {
                sink.report(
                    cname.rdata_span(),
                    format!(
                        "{count} CNAME records at {}; an alias has exactly one target",
                        facts.name
                    ),
                )
                .help("Keep the CNAME with the right target and delete the others")
                .related(first.rdata_span(), "first CNAME target here")
                .owner(facts.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn two_different_cnames_fire() {
        let zone = format!(
            "{}www CNAME a.example.net.\nwww CNAME b.example.net.\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE007", &zone), @r"
        8:11 ZONE007 2 CNAME records at www.example.com.; an alias has exactly one target
          help: Keep the CNAME with the right target and delete the others
          related 7:11: first CNAME target here
        ");
    }

    #[test]
    fn one_cname_or_an_exact_copy_does_not_fire() {
        let zone = format!(
            "{}www CNAME a.example.net.\nwww CNAME A.Example.NET.\nftp CNAME a.example.net.\n",
            head()
        );
        assert_eq!(check("ZONE007", &zone), "");
    }
}
