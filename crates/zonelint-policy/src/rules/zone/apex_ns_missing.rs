//! ZONE004 `zone-apex-ns-missing`.

use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// No NS RRset at the zone apex.
pub struct ApexNsMissing;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE004", slug: "zone-apex-ns-missing" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "no NS records at the zone apex",
    doc: RuleDoc {
        what: "Reports a zone with no NS record at its apex.",
        why: "Every zone lists its authoritative servers in an NS RRset at its top node (RFC 1034 §4.2.1; RFC 2181 §6.1 calls the apex NS and SOA records mandatory). Without it BIND and Knot refuse to load the zone, secondaries cannot find the servers to transfer from, and the delegation from the parent has nothing to match.",
        example: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ MX 10 mail.example.com.\n@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\n2026._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ NS ns2.example.com.\n@ MX 10 mail.example.com.\n@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\n2026._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: the zone's name servers are the operator's to name.",
        references: &["RFC 1034 §4.2.1", "RFC 2181 §6.1"],
    },
};

impl Rule for ApexNsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let apex = zone.apex();
        if apex.is_some_and(|facts| zone.has_type(facts, RType::NS)) {
            return;
        }
        // Point at the apex SOA if there is one, else at the first record; an empty zone
        // has nothing to point at (and ZONE001 reports it).
        let span = apex
            .and_then(|facts| zone.records_of(facts, RType::SOA).next())
            .map(|soa| soa.type_span())
            .or_else(|| zone.zone.record(0).map(|r| r.span()));
        let Some(span) = span else { return };
        sink.report(
            span,
            format!("no NS records at the apex {}; a zone names its servers there", zone.origin),
        )
        .help(format!(
            "Add `{} IN NS <server>.` for each authoritative server (the same set the parent delegates to)",
            zone.origin
        ))
        .owner(zone.origin.clone());
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, soa};

    #[test]
    fn a_zone_without_apex_ns_fires_at_its_soa() {
        let zone = format!(
            "$TTL 3600\n@ {}\nwww A 192.0.2.1\nsub NS ns1.example.net.\n",
            soa(1)
        );
        insta::assert_snapshot!(check("ZONE004", &zone), @r"
        2:3 ZONE004 no NS records at the apex example.com.; a zone names its servers there
          help: Add `example.com. IN NS <server>.` for each authoritative server (the same set the parent delegates to)
        ");
    }

    #[test]
    fn apex_ns_does_not_fire() {
        assert_eq!(check("ZONE004", &head()), "");
    }
}
