//! ZONE023 `zone-ns-single`.

use crate::rules::targets::target;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// Only one NS record at the apex.
pub struct NsSingle;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE023", slug: "zone-ns-single" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "only one NS record at the apex",
    doc: RuleDoc {
        what: "Reports a zone whose apex has exactly one NS record: one name server for the whole zone.",
        why: "A zone should be served by at least two servers, so that one failing does not take the zone off the net (RFC 1034 §4.1; RFC 2182 §5 recommends at least two, on separate networks). With one NS, every name of the zone, its MX and its SPF included, disappears while that server is down; receivers then defer or bounce mail.",
        example: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ MX 10 mail.example.com.\n@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\n2026._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ NS ns.example.net.\n@ MX 10 mail.example.com.\n@ TXT \"v=spf1 mx -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nmail A 192.0.2.25\nmail TXT \"v=spf1 a -all\"\n2026._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix: a second server has to be set up (or rented) before it is listed.",
        references: &["RFC 1034 §4.1", "RFC 2182 §5"],
    },
};

impl Rule for NsSingle {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let Some(apex) = zone.apex() else { return };
        let mut servers = zone.records_of(apex, RType::NS);
        let (Some(only), None) = (servers.next(), servers.next()) else {
            return;
        };
        let server = target(&only)
            .map(|t| t.name)
            .map_or_else(|| "one server".to_owned(), |name| name.to_string());
        sink.report(
            only.type_span(),
            format!(
                "{} has a single NS record ({server}); while that server is unreachable the whole zone is",
                zone.origin
            ),
        )
        .help("Add at least one more NS record, for a server on another network (RFC 2182 §5)")
        .owner(zone.origin.clone());
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, soa};

    #[test]
    fn a_single_apex_ns_fires() {
        let zone = format!(
            "$TTL 3600\n@ {}\n@ NS ns1\nns1 A 192.0.2.53\nsub NS ns.example.net.\n",
            soa(1)
        );
        insta::assert_snapshot!(check("ZONE023", &zone), @r"
        3:3 ZONE023 example.com. has a single NS record (ns1.example.com.); while that server is unreachable the whole zone is
          help: Add at least one more NS record, for a server on another network (RFC 2182 §5)
        ");
    }

    #[test]
    fn two_servers_or_one_per_delegation_do_not_fire() {
        let zone = format!("{}sub NS ns.example.net.\n", head());
        assert_eq!(check("ZONE023", &zone), "");
        assert_eq!(check("ZONE023", "$TTL 60\n@ A 192.0.2.1\n"), "");
    }
}
