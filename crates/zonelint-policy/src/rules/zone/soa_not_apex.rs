//! ZONE003 `zone-soa-not-apex`.

use crate::rules::targets::owner_span;
use crate::rules::{FixAvailability, Level, RecordContext, Rule, RuleDoc, RuleMeta, Sink};
use zonelint_zone::{Code, RType};

/// An SOA record at a name other than the zone's origin.
pub struct SoaNotApex;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE003", slug: "zone-soa-not-apex" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "SOA record at a name other than the zone's origin",
    doc: RuleDoc {
        what: "Reports an SOA record whose owner is below the zone's origin. (An owner outside the zone is ZONE005's finding.)",
        why: "The SOA marks the top of a zone (RFC 1035 §5.2): one below the apex says a zone starts there, which a server loading this file does not do. BIND refuses to load the zone; the intent was usually a separate zone file for the subdomain, or a delegation.",
        example: "sub SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\nsub TXT \"v=spf1 -all\"\n",
        use_instead: "sub NS ns1.example.com.\n",
        fix_safety: "No fix: whether the subdomain should be a delegation or its own zone file is the operator's decision.",
        references: &["RFC 1035 §5.2", "RFC 1034 §4.2.1"],
    },
};

impl Rule for SoaNotApex {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn checks_records(&self) -> bool {
        true
    }

    fn check_record(&self, cx: &RecordContext<'_>, sink: &mut Sink<'_>) {
        let record = cx.record;
        if record.rtype() != RType::SOA {
            return;
        }
        let origin = &cx.zone.origin;
        let owner = record.owner().to_name();
        if owner == *origin || !owner.is_at_or_below(origin) {
            return;
        }
        sink.report(
            owner_span(&record),
            format!("SOA record at {owner}, below the apex {origin}; a zone's SOA belongs at its origin"),
        )
        .help(format!(
            "To make {owner} a separate zone, move this SOA to that zone's own file and delegate to it with NS records here; otherwise delete it"
        ))
        .owner(owner);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, soa};

    #[test]
    fn an_soa_below_the_apex_fires() {
        let zone = format!("{}sub {}\n", head(), soa(1));
        insta::assert_snapshot!(check("ZONE003", &zone), @r"
        7:1 ZONE003 SOA record at sub.example.com., below the apex example.com.; a zone's SOA belongs at its origin
          help: To make sub.example.com. a separate zone, move this SOA to that zone's own file and delegate to it with NS records here; otherwise delete it
        ");
    }

    #[test]
    fn the_apex_soa_and_an_out_of_zone_soa_do_not_fire() {
        assert_eq!(check("ZONE003", &head()), "");
        let zone = format!("{}example.org. {}\n", head(), soa(1));
        assert_eq!(check("ZONE003", &zone), "");
    }
}
