//! MX004 `mx-target-dangling`.

use crate::rules::mx::served_mx;
use crate::rules::mx::target_suspicious::is_suspicious;
use crate::rules::targets::Resolution;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// An in-zone MX exchange with no address records.
pub struct TargetDangling;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MX004", slug: "mx-target-dangling" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "in-zone MX exchange with no A/AAAA records",
    doc: RuleDoc {
        what: "Reports an MX whose exchange lies in a zone linted together and has no A or AAAA record there, directly or through a wildcard. Null MX, exchanges below a delegation (the child's), CNAME exchanges (MX003) and IP-literal or doubled-origin exchanges (MX005) are left out.",
        why: "Senders look up the exchange's addresses to deliver (RFC 5321 §5.1); with none the MX cannot be used, and when it is the only MX the domain's mail is undeliverable and eventually bounces.",
        example: "shop MX 10 mx1.example.com.\nshop TXT \"v=spf1 -all\"\n",
        use_instead: "shop MX 10 mx1.example.com.\nshop TXT \"v=spf1 -all\"\nmx1 A 192.0.2.26\nmx1 TXT \"v=spf1 a -all\"\n",
        fix_safety: "No fix: the exchange's address, or the right exchange name, is the operator's to supply.",
        references: &["RFC 5321 §5.1", "RFC 1035 §3.3.9"],
    },
};

impl Rule for TargetDangling {
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
        for (facts, _, exchange) in served_mx(cx) {
            if exchange.is_root() || is_suspicious(exchange.name.as_wire(), &cx.zone.origin) {
                continue;
            }
            let name = exchange.name;
            let resolution = Resolution::of(cx.set, name);
            let (why, authority) = match &resolution {
                Resolution::External => continue,
                Resolution::Missing(zone) => ("does not exist", *zone),
                Resolution::Exists(zone, found) | Resolution::Wildcard(zone, found) => {
                    if zone.has_type(found, RType::A)
                        || zone.has_type(found, RType::AAAA)
                        || zone.has_type(found, RType::CNAME)
                    {
                        continue;
                    }
                    if matches!(resolution, Resolution::Wildcard(..)) {
                        ("is answered by a wildcard with no A/AAAA", *zone)
                    } else {
                        ("has no A/AAAA records", *zone)
                    }
                }
            };
            sink.report(
                exchange.span(),
                format!(
                    "MX exchange {name} {why} in zone {}; mail for {} cannot be delivered to it",
                    authority.origin, facts.name
                ),
            )
            .help(format!(
                "Add `{name} IN A <address>` (and AAAA), or fix the exchange's name"
            ))
            .owner(facts.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, check_zones, head};

    #[test]
    fn exchanges_without_addresses_fire() {
        let zone = format!(
            "{}@ MX 10 mx1\n@ MX 20 mx2\nmx2 TXT \"v=spf1 -all\"\nwww MX 10 a.w\n*.w TXT \"v=spf1 -all\"\n",
            head()
        );
        insta::assert_snapshot!(check("MX004", &zone), @r"
        7:9 MX004 MX exchange mx1.example.com. does not exist in zone example.com.; mail for example.com. cannot be delivered to it
          help: Add `mx1.example.com. IN A <address>` (and AAAA), or fix the exchange's name
        8:9 MX004 MX exchange mx2.example.com. has no A/AAAA records in zone example.com.; mail for example.com. cannot be delivered to it
          help: Add `mx2.example.com. IN A <address>` (and AAAA), or fix the exchange's name
        10:11 MX004 MX exchange a.w.example.com. is answered by a wildcard with no A/AAAA in zone example.com.; mail for www.example.com. cannot be delivered to it
          help: Add `a.w.example.com. IN A <address>` (and AAAA), or fix the exchange's name
        ");
    }

    #[test]
    fn addresses_wildcards_delegations_and_null_mx_do_not_fire() {
        let zone = format!(
            "{}@ MX 10 mail\nmail AAAA 2001:db8::25\nwww MX 10 host.w\n*.w A 192.0.2.1\nftp MX 10 mx.sub\nsub NS ns1\nnone MX 0 .\next MX 10 mx.example.net.\nalias MX 10 c\nc CNAME mail\nip MX 10 192.0.2.1\n",
            head()
        );
        assert_eq!(check("MX004", &zone), "");
    }

    #[test]
    fn exchanges_in_another_loaded_zone_are_checked_there() {
        let zones = [
            ("example.com.", "$TTL 60\n@ NS ns1.example.org.\n@ MX 10 mx.example.org.\nwww MX 10 mail.example.org.\n"),
            ("example.org.", "$TTL 60\n@ NS ns1\nns1 A 192.0.2.1\nmail A 192.0.2.2\n"),
        ];
        insta::assert_snapshot!(check_zones("MX004", &zones), @r"
        example.com.zone:3:9 MX004 MX exchange mx.example.org. does not exist in zone example.org.; mail for example.com. cannot be delivered to it
          help: Add `mx.example.org. IN A <address>` (and AAAA), or fix the exchange's name
        ");
    }
}
