//! ZONE001 `zone-soa-missing`.

use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType, Span};

/// No SOA record at the zone apex.
pub struct SoaMissing;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE001", slug: "zone-soa-missing" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "no SOA record at the zone apex",
    doc: RuleDoc {
        what: "Reports a zone with no SOA record at its apex (an SOA elsewhere is ZONE003).",
        why: "A zone starts with exactly one SOA at its origin (RFC 1035 §5.2): without it BIND, Knot and NSD refuse to load the zone, and nothing in it is served.",
        example: "$ORIGIN example.com.\n$TTL 3600\n@ NS ns1.example.net.\n@ NS ns2.example.net.\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n",
        use_instead: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.net. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.net.\n@ NS ns2.example.net.\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n",
        fix_safety: "No fix: the SOA's values (primary server, contact, timers) are the operator's to choose.",
        references: &["RFC 1035 §5.2", "RFC 1035 §3.3.13"],
    },
};

impl Rule for SoaMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        if zone.zone.records().any(|r| r.rtype() == RType::SOA) {
            // An SOA somewhere else is ZONE003's finding; several are ZONE002's.
            return;
        }
        let span = zone.zone.record(0).map_or_else(
            || {
                zone.zone
                    .sources
                    .iter()
                    .next()
                    .map_or(Span::default(), |(id, _)| Span::new(id, 0, 0))
            },
            |r| r.span(),
        );
        sink.report(span, format!("zone {} has no SOA record", zone.origin))
            .help(format!("Add `{} IN SOA <primary-ns> <contact> <serial> <refresh> <retry> <expire> <minimum>` as the zone's first record", zone.origin))
            .owner(zone.origin.clone());
    }
}
