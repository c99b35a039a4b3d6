//! ZONE012 `zone-target-address`.

use crate::rules::delegation::{is_served, places_of};
use crate::rules::mx::target_suspicious::is_ip_literal;
use crate::rules::targets::target;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// An NS or SRV target written as an IP address.
pub struct TargetAddress;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE012", slug: "zone-target-address" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "NS or SRV target written as an IP address",
    doc: RuleDoc {
        what: "Reports an NS or SRV target that is an IP address written where a host name belongs (`192.0.2.53.`, or relative `192.0.2.53`, read as `192.0.2.53.example.com.`). MX exchanges are MX005's.",
        why: "The target of an NS record is a host name (RFC 1035 §3.3.11), and so is that of an SRV record (RFC 2782); an address there is read as a domain name whose labels happen to be digits. That name has no address records, so the delegation or the service cannot be reached.",
        example: "sub NS 192.0.2.53.\n",
        use_instead: "sub NS ns1.example.com.\n",
        fix_safety: "No fix: the server's host name is the operator's to choose (and, inside the zone, to give an A record).",
        references: &["RFC 1035 §3.3.11", "RFC 2782"],
    },
};

impl Rule for TargetAddress {
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
            for record in zone.records_of_any(facts, &[RType::NS, RType::SRV]) {
                let rtype = record.rtype();
                if !is_served(place, rtype) {
                    continue;
                }
                let Some(target) = target(&record) else {
                    continue;
                };
                if !is_ip_literal(target.name.as_wire(), &zone.origin) {
                    continue;
                }
                let written = String::from_utf8_lossy(zone.zone.sources.slice(target.span()));
                let name = target.name;
                sink.report(
                    target.span(),
                    format!("{rtype} target `{written}` is an IP address, read as the name {name}; an {rtype} target must be a host name"),
                )
                .help(format!("Point the {rtype} at a host name, and give that name the address {} in an A/AAAA record", written.trim_end_matches('.')))
                .owner(facts.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head, lint_text, srv};

    #[test]
    fn address_targets_fire() {
        let zone = format!(
            "{}sub NS 192.0.2.1.\nsub NS 198.51.100.1\n_sip._tcp {}\n",
            head(),
            srv("192.0.2.5.")
        );
        insta::assert_snapshot!(check("ZONE012", &zone), @r"
        7:8 ZONE012 NS target `192.0.2.1.` is an IP address, read as the name 192.0.2.1.; an NS target must be a host name
          help: Point the NS at a host name, and give that name the address 192.0.2.1 in an A/AAAA record
        8:8 ZONE012 NS target `198.51.100.1` is an IP address, read as the name 198.51.100.1.example.com.; an NS target must be a host name
          help: Point the NS at a host name, and give that name the address 198.51.100.1 in an A/AAAA record
        9:23 ZONE012 SRV target `192.0.2.5.` is an IP address, read as the name 192.0.2.5.; an SRV target must be a host name
          help: Point the SRV at a host name, and give that name the address 192.0.2.5 in an A/AAAA record
        ");
    }

    #[test]
    fn host_names_mx_and_reverse_names_do_not_fire() {
        let zone = format!(
            "{}sub NS ns1\nrev NS 1.2.3.4.in-addr.arpa.\n@ MX 10 192.0.2.25\n_sip._tcp {}\n",
            head(),
            srv(".")
        );
        assert_eq!(check("ZONE012", &zone), "");
    }

    #[test]
    fn a_relative_address_is_not_also_reported_as_dangling() {
        let zone = format!("{}sub NS 198.51.100.1\n", head());
        let all = lint_text(&zone);
        assert!(all.contains("ZONE012"), "{all}");
        assert!(!all.contains("ZONE013"), "{all}");
    }
}
