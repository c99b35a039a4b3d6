//! MX005 `mx-target-suspicious`.

use crate::rules::mx::served_mx;
use crate::rules::zone::doubled_origin::{doubled_at, relative_fix, spellings};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, Name, NameRef};

/// An MX exchange that is an IP address written as a name, or a doubled-origin name.
pub struct TargetSuspicious;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MX005", slug: "mx-target-suspicious" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: true,
    summary: "MX exchange that is an IP literal or a doubled-origin name",
    doc: RuleDoc {
        what: "Reports an MX exchange that is an IP address written as a name (`192.0.2.1.` or, relative, `192.0.2.1.example.com.`; an IPv6 address as the first label) or that ends in the origin twice (`mail.example.com.example.com.`).",
        why: "The exchange of an MX is a domain name (RFC 1035 §3.3.9), never an address: `MX 10 192.0.2.1` is read as the name `192.0.2.1.example.com.`, which has no address, so mail cannot be delivered. A doubled origin is the same mistake as ZONE016: the name was meant absolute but written without its trailing dot.",
        example: "shop MX 10 192.0.2.25\nshop TXT \"v=spf1 -all\"\n",
        use_instead: "shop MX 10 mail.example.com.\nshop TXT \"v=spf1 -all\"\n",
        fix_safety: "For a doubled origin, an unsafe fix rewrites the exchange to its relative form (`mail`), the name evidently meant; it changes where mail goes, so review it. No fix for an IP literal: the host name is the operator's to choose.",
        references: &["RFC 1035 §3.3.9", "RFC 1035 §5.1", "RFC 5321 §5.1"],
    },
};

fn is_decimal_octet(label: &[u8]) -> bool {
    !label.is_empty()
        && label.len() <= 3
        && label.iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(label)
            .ok()
            .and_then(|text| text.parse::<u16>().ok())
            .is_some_and(|value| value <= 255)
}

/// Whether `wire` is an IP address written as a name: four decimal octets followed by
/// nothing or by the origin, or an IPv6 address as the first label.
pub(crate) fn is_ip_literal(wire: &[u8], origin: &NameRef) -> bool {
    let mut labels = Name::labels_of(wire);
    let Some(first) = labels.next() else {
        return false;
    };
    if first.contains(&b':') && first.iter().all(|&b| b == b':' || b.is_ascii_hexdigit()) {
        return true;
    }
    let mut at = first.len() + 1;
    if !is_decimal_octet(first) {
        return false;
    }
    for _ in 0..3 {
        match labels.next() {
            Some(label) if is_decimal_octet(label) => at += label.len() + 1,
            _ => return false,
        }
    }
    let rest = wire.get(at..).unwrap_or_default();
    rest == [0] || rest.eq_ignore_ascii_case(origin.as_wire())
}

/// Whether MX005 reports this exchange (other MX rules then leave it alone).
pub(crate) fn is_suspicious(wire: &[u8], origin: &NameRef) -> bool {
    is_ip_literal(wire, origin) || doubled_at(wire, origin).is_some()
}

impl Rule for TargetSuspicious {
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
        for (facts, _, exchange) in served_mx(cx) {
            let name = exchange.name;
            if is_ip_literal(exchange.name.as_wire(), &zone.origin) {
                sink.report(
                    exchange.span(),
                    format!("MX exchange {name} is an IP address written as a name; an exchange must be a host name"),
                )
                .help("Use a host name that has A/AAAA records, with a trailing dot (e.g. `mail.example.com.`)")
                .owner(facts.name);
            } else if let Some(at) = doubled_at(exchange.name.as_wire(), &zone.origin) {
                let spellings = spellings(exchange.name.as_wire(), at, &zone.origin);
                let report = sink
                    .report(
                        exchange.span(),
                        format!(
                            "MX exchange {name} ends in the origin {} twice (usually a name written without its trailing dot)",
                            zone.origin
                        ),
                    )
                    .help(format!(
                        "Write `{}` (relative) or `{}` (absolute, with the trailing dot)",
                        spellings.relative, spellings.absolute
                    ))
                    .owner(facts.name);
                if let Some(fix) =
                    relative_fix(zone, exchange.span(), exchange.name.as_wire(), &spellings)
                {
                    report.fix(fix);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{check, head};

    #[test]
    fn ip_literals_are_recognised() {
        let origin = Name::from_ascii("example.com.").unwrap();
        let literal = |n: &str| is_ip_literal(Name::from_ascii(n).unwrap().as_wire(), &origin);
        assert!(literal("192.0.2.1."));
        assert!(literal("192.0.2.1.example.com."));
        assert!(literal("2001:db8::1.example.com."));
        assert!(!literal("192.0.2.256."));
        assert!(!literal("1.2.3.4.in-addr.arpa."));
        assert!(!literal("mail1.example.com."));
        assert!(!literal("1.2.3.example.com."));
    }

    #[test]
    fn ip_literal_and_doubled_exchanges_fire() {
        let zone = format!(
            "{}@ MX 10 192.0.2.25\n@ MX 20 192.0.2.26.\nwww MX 10 mail.example.com\n",
            head()
        );
        insta::assert_snapshot!(check("MX005", &zone), @r"
        7:9 MX005 MX exchange 192.0.2.25.example.com. is an IP address written as a name; an exchange must be a host name
          help: Use a host name that has A/AAAA records, with a trailing dot (e.g. `mail.example.com.`)
        8:9 MX005 MX exchange 192.0.2.26. is an IP address written as a name; an exchange must be a host name
          help: Use a host name that has A/AAAA records, with a trailing dot (e.g. `mail.example.com.`)
        9:11 MX005 MX exchange mail.example.com.example.com. ends in the origin example.com. twice (usually a name written without its trailing dot)
          help: Write `mail` (relative) or `mail.example.com.` (absolute, with the trailing dot)
          fix (unsafe): Replace `mail.example.com` with `mail`
            9:11 `mail`
        ");
    }

    #[test]
    fn host_names_do_not_fire() {
        let zone = format!(
            "{}@ MX 10 mail\n@ MX 20 mail.example.com.\n@ MX 30 mx1.example.net.\nwww MX 0 .\n",
            head()
        );
        assert_eq!(check("MX005", &zone), "");
    }
}
