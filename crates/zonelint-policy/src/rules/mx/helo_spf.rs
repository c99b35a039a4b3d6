//! MX009 `mx-helo-spf`.

use super::exchanges;
use crate::grammar::spf::{Mechanism, Qualifier, SpfRecord};
use crate::rules::cov::exempt_from_coverage;
use crate::rules::cov::spf_missing::relative_form;
use crate::rules::delegation::{is_served, places_of};
use crate::rules::{
    FixAvailability, Level, Rule, RuleDoc, RuleMeta, SharedView, Sink, ZoneContext,
};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use zonelint_zone::{Applicability, Code, Edit, Fix, RType};

/// A mail exchanger or declared sender host whose SPF record does not authorize the host
/// itself, so mail it sends fails the HELO check.
pub struct HeloSpf;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MX009", slug: "mx-helo-spf" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "MX exchange or declared sender host whose SPF does not authorize its own HELO",
    doc: RuleDoc {
        what: "Notes a host that an MX record of the loaded zones names as its exchange, or a declared sender with addresses, whose own SPF record authorizes none of the host's A/AAAA addresses (it has no `a`, no `ip4`/`ip6` covering them, and nothing that could, such as `include`, `mx` or `redirect`). A host with no SPF record at all is COV001's finding.",
        why: "A mail server announces its host name in HELO/EHLO, and receivers check that name's SPF record (RFC 7208 §2.3). Bounces (sent with an empty MAIL FROM) are judged by the HELO check alone. RFC 7208 §10.1.3 recommends that every HELO name publish a record authorizing the host, such as `v=spf1 a -all`. An MX host that never sends can keep `v=spf1 -all`, which is why this is a note.",
        example: "@ MX 20 mx2.example.com.\nmx2 A 192.0.2.26\nmx2 TXT \"v=spf1 -all\"\n",
        use_instead: "@ MX 20 mx2.example.com.\nmx2 A 192.0.2.26\nmx2 TXT \"v=spf1 a -all\"\n",
        fix_safety: "Unsafe: replaces `v=spf1 -all` with `v=spf1 a -all`, which authorizes the host's own addresses to send as it; right when the host sends mail (bounces included).",
        references: &["RFC 7208 §2.3", "RFC 7208 §10.1.3"],
    },
};

impl Rule for HeloSpf {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn shared_views(&self) -> &'static [SharedView] {
        &[SharedView::Exchanges]
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        if cx.zone_mail().is_none() {
            return;
        }
        let hosts = exchanges(cx);
        for (facts, place) in places_of(zone, cx.names()) {
            if !is_served(place, RType::TXT) || exempt_from_coverage(zone, facts) {
                continue;
            }
            let name = facts.name;
            let exchange = hosts.contains(name);
            if !exchange && !cx.settings.is_sender(name) {
                continue;
            }
            let addresses: Vec<IpAddr> = zone
                .records(facts)
                // An address record's octets, borrowed (a TXT record's would be made).
                .filter_map(|r| {
                    r.rdata_borrowed()
                        .and_then(|rdata| address(r.rtype(), rdata))
                })
                .collect();
            let Some(&first_address) = addresses.first() else {
                continue;
            };
            let mut selected = cx.selected_spf_of(facts);
            let Some(entry) = selected.next() else {
                continue; // No SPF at all: COV001.
            };
            if selected.next().is_some() || may_authorize(&entry.record, &addresses) {
                continue; // Several records are SPF007's.
            }
            let Some(record) = zone.zone.record(entry.txt.record as usize) else {
                continue;
            };
            let role = if exchange {
                "a mail exchanger"
            } else {
                "a declared sender"
            };
            let relative = relative_form(name, &zone.origin);
            let mut report = sink
                .report(record.rdata_span(), format!("{name} is {role}, but its SPF record authorizes none of its own addresses ({first_address}{}), so mail it sends with HELO {name}, bounces included, fails the receiver's HELO check", if addresses.len() > 1 { ", …" } else { "" }))
                .help(format!("If {name} sends mail, publish `{relative} IN TXT \"v=spf1 a -all\"`; if it never sends, `v=spf1 -all` is right and this note can be ignored"))
                .owner(name);
            if entry.txt.text.as_bytes() == b"v=spf1 -all" {
                report = report.fix(Fix {
                    applicability: Applicability::Unsafe,
                    message:
                        "Replace the record with `\"v=spf1 a -all\"` (the host may send as itself)"
                            .to_owned(),
                    edits: vec![Edit {
                        span: record.rdata_span(),
                        content: "\"v=spf1 a -all\"".to_owned(),
                    }],
                });
            }
            drop(report);
        }
    }
}

/// The address an A or AAAA record holds.
fn address(rtype: RType, rdata: &[u8]) -> Option<IpAddr> {
    match rtype {
        RType::A => <[u8; 4]>::try_from(rdata)
            .ok()
            .map(|b| IpAddr::V4(Ipv4Addr::from(b))),
        RType::AAAA => <[u8; 16]>::try_from(rdata)
            .ok()
            .map(|b| IpAddr::V6(Ipv6Addr::from(b))),
        _ => None,
    }
}

/// Whether a pass term of `record` authorizes, or could authorize, one of the host's own
/// `addresses`: `a` (the host itself, or another name the linter does not resolve),
/// `include`, `mx`, `exists`, `ptr` and `redirect` are taken to, since offline the linter
/// cannot tell what they match; `ip4`/`ip6` are compared.
fn may_authorize(record: &SpfRecord<'_>, addresses: &[IpAddr]) -> bool {
    if record.redirect().is_some() {
        return true;
    }
    record.directives().any(|(_, directive)| {
        if directive.effective_qualifier() != Qualifier::Pass {
            return false;
        }
        match &directive.mechanism {
            Mechanism::All
            | Mechanism::Include(_)
            | Mechanism::Mx { .. }
            | Mechanism::Ptr(_)
            | Mechanism::Exists(_)
            | Mechanism::A { .. } => true,
            Mechanism::Ip4 { address, cidr } => {
                let length = cidr.map_or(32, |c| c.length);
                addresses.iter().any(|a| match a {
                    IpAddr::V4(a) => in_prefix(
                        u128::from(a.to_bits()),
                        u128::from(address.to_bits()),
                        length,
                        32,
                    ),
                    IpAddr::V6(_) => false,
                })
            }
            Mechanism::Ip6 { address, cidr } => {
                let length = cidr.map_or(128, |c| c.length);
                addresses.iter().any(|a| match a {
                    IpAddr::V6(a) => in_prefix(a.to_bits(), address.to_bits(), length, 128),
                    IpAddr::V4(_) => false,
                })
            }
        }
    })
}

/// Whether `address` lies in `network/length`, both `width` bits wide.
fn in_prefix(address: u128, network: u128, length: u8, width: u32) -> bool {
    let length = u32::from(length).min(width);
    if length == 0 {
        return true;
    }
    let shift = width - length;
    (address >> shift) == (network >> shift)
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_snippet, lint_with, APEX};
    use crate::{Selector, Settings};
    use zonelint_zone::Name;

    #[test]
    fn an_exchange_whose_spf_excludes_itself_is_noted() {
        insta::assert_snapshot!(lint_snippet(
            "@ MX 10 mx1\n@ MX 20 mx2\nmx1 A 192.0.2.25\nmx1 AAAA 2001:db8::25\nmx1 TXT \"v=spf1 -all\"\nmx2 A 192.0.2.26\nmx2 TXT \"v=spf1 ip4:198.51.100.0/24 -all\"\n",
            &["MX009"],
        ));
    }

    #[test]
    fn a_declared_sender_host_is_checked_too() {
        let settings = Settings {
            select: vec![Selector("MX009".to_owned())],
            senders: Some(vec![Name::from_ascii("out.example.com.").unwrap()]),
            ..Settings::default()
        };
        insta::assert_snapshot!(lint_with(
            &format!("{APEX}out A 192.0.2.30\nout TXT \"v=spf1 ip4:192.0.2.31 -all\"\n"),
            &settings
        ));
    }

    #[test]
    fn hosts_that_authorize_themselves_or_might_are_not_noted() {
        assert_eq!(
            lint_snippet(
                "@ MX 10 mx1\n@ MX 20 mx2\n@ MX 30 mx3\n@ MX 40 mx4\n@ MX 50 mx5\nmx1 A 192.0.2.25\nmx1 TXT \"v=spf1 a -all\"\nmx2 A 192.0.2.26\nmx2 TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\nmx3 AAAA 2001:db8::3\nmx3 TXT \"v=spf1 ip6:2001:db8::/32 -all\"\nmx4 A 192.0.2.28\nmx4 TXT \"v=spf1 include:_spf.example.net -all\"\nmx5 A 192.0.2.29\n",
                &["MX009"],
            ),
            ""
        );
    }
}
