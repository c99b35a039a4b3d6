//! ZONE002 `zone-soa-multiple`.

use crate::rules::targets::canonical_cmp;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use std::cmp::Ordering;
use zonelint_zone::{Code, RType};

/// More than one SOA record at the zone apex.
pub struct SoaMultiple;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE002", slug: "zone-soa-multiple" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "more than one SOA record at the zone apex",
    doc: RuleDoc {
        what: "Reports every SOA record at the apex after the first one that differs from it. An SOA at another name is ZONE003's finding; an exact copy of the first is ZONE015's.",
        why: "Exactly one SOA record belongs at the top of a zone (RFC 1035 §5.2). BIND refuses to load a zone with two, so none of its records is served, and secondaries cannot tell which serial is current.",
        example: "@ SOA ns1.example.com. hostmaster.example.com. 2 7200 3600 1209600 3600\n",
        use_instead: "; one SOA: raise the serial of the existing SOA instead of adding another\n",
        fix_safety: "No fix: which SOA holds the right serial and timers is the operator's call.",
        references: &["RFC 1035 §5.2", "RFC 2181 §6.1"],
    },
};

impl Rule for SoaMultiple {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let Some(apex) = zone.apex() else { return };
        let soas: Vec<_> = zone.records_of(apex, RType::SOA).collect();
        let Some(first) = soas.first() else { return };
        // Exact copies collapse into one RR when the zone is loaded (ZONE015 reports them).
        let distinct: Vec<_> = soas
            .iter()
            .enumerate()
            .filter(|(i, soa)| {
                !soas.iter().take(*i).any(|earlier| {
                    canonical_cmp(RType::SOA, &earlier.rdata(), &soa.rdata()) == Ordering::Equal
                })
            })
            .map(|(_, soa)| soa)
            .collect();
        let count = distinct.len();
        for soa in distinct.iter().skip(1) {
            sink.report(
                soa.type_span(),
                format!(
                    "{count} SOA records at {}; a zone has exactly one",
                    zone.origin
                ),
            )
            .help("Keep one SOA (with the highest serial) and delete the others")
            .related(first.type_span(), "first SOA here")
            .owner(zone.origin.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, soa};

    #[test]
    fn a_second_soa_at_the_apex_fires() {
        let zone = format!("{}@ {}\n", head(), soa(2));
        insta::assert_snapshot!(check("ZONE002", &zone), @r"
        7:3 ZONE002 2 SOA records at example.com.; a zone has exactly one
          help: Keep one SOA (with the highest serial) and delete the others
          related 2:3: first SOA here
        ");
    }

    #[test]
    fn one_soa_and_an_exact_copy_do_not_fire() {
        assert_eq!(check("ZONE002", &head()), "");
        let zone = format!("{}@ {}\n", head(), soa(1));
        assert_eq!(check("ZONE002", &zone), "");
    }

    #[test]
    fn an_soa_below_the_apex_is_zone003s() {
        let zone = format!("{}sub {}\n", head(), soa(2));
        assert_eq!(check("ZONE002", &zone), "");
    }
}
