//! SPF025 `spf-nonpublic-address`.

use super::selected;
use super::term_edit::removal;
use crate::grammar::spf::Mechanism;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use std::net::{Ipv4Addr, Ipv6Addr};
use zonelint_zone::{Applicability, Code, Fix, Name, NameRef};

/// An `ip4:`/`ip6:` network that never appears as a public SMTP client.
pub struct NonpublicAddress;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF025", slug: "spf-nonpublic-address" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "`ip4:`/`ip6:` in a private, loopback, link-local, documentation or other special-purpose range",
    doc: RuleDoc {
        what: "Reports an `ip4:` or `ip6:` term whose whole network lies in a special-purpose range that is not reachable on the public Internet: private (10/8, 172.16/12, 192.168/16), shared CGNAT space (100.64/10), loopback, link-local, \"this network\", IETF protocol assignments, benchmarking, multicast and reserved space, IPv6 unique-local, site-local, discard-only and local-use NAT64, and the documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20). Documentation ranges are not reported in records under the names reserved for documentation and testing (`example`, `example.com`/`.net`/`.org`, `test`, `invalid`, `localhost`), where they belong together.",
        why: "RFC 7208 §5.6 matches the SMTP client's address against the network. Receivers on the Internet never see a client from these ranges: the RFC 6890 special-purpose registries mark them not globally reachable, multicast and reserved space never send unicast mail, and RFC 5737, RFC 3849 and RFC 9637 reserve the documentation ranges for examples, so the term authorizes no real sender: it is usually an internal relay listed by mistake or an example copied into a live zone, while the real sending address is missing.",
        example: "shop TXT \"v=spf1 ip4:192.168.1.25 ip4:192.0.2.25 -all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\n",
        fix_safety: "The fix deletes the term. It is unsafe: an internal relay that checks SPF for mail from inside the network may rely on it.",
        references: &[
            "RFC 7208 §5.6",
            "RFC 6890 §2.2.2",
            "RFC 6890 §2.2.3",
            "RFC 1918 §3",
            "RFC 6598",
            "RFC 5737",
            "RFC 3849",
            "RFC 9637",
            "RFC 4193",
            "RFC 2606",
        ],
    },
};

/// Whether a range is one of the documentation prefixes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// RFC 5737, RFC 3849, RFC 9637.
    Documentation,
    /// Every other special purpose.
    Other,
}

/// The special-purpose range that holds the whole network of an `ip4:`/`ip6:` mechanism
/// (as `network/length, purpose (RFC)`), if any.
pub(crate) fn special_purpose_range(mechanism: &Mechanism<'_>) -> Option<(String, Purpose)> {
    match mechanism {
        Mechanism::Ip4 { address, cidr } => ipv4_range(*address, cidr.map_or(32, |c| c.length)),
        Mechanism::Ip6 { address, cidr } => ipv6_range(*address, cidr.map_or(128, |c| c.length)),
        _ => None,
    }
}

/// IPv4 special-purpose networks that are not globally reachable (RFC 6890 §2.2.2 and
/// the IANA registry it created), plus multicast (RFC 5771) and the reserved 240/4.
const IPV4_RANGES: &[([u8; 4], u8, &str, Purpose)] = &[
    (
        [0, 0, 0, 0],
        8,
        "\"this network\" (RFC 1122)",
        Purpose::Other,
    ),
    ([10, 0, 0, 0], 8, "private-use (RFC 1918)", Purpose::Other),
    (
        [100, 64, 0, 0],
        10,
        "shared carrier-grade NAT space (RFC 6598)",
        Purpose::Other,
    ),
    ([127, 0, 0, 0], 8, "loopback (RFC 1122)", Purpose::Other),
    (
        [169, 254, 0, 0],
        16,
        "link-local (RFC 3927)",
        Purpose::Other,
    ),
    (
        [172, 16, 0, 0],
        12,
        "private-use (RFC 1918)",
        Purpose::Other,
    ),
    (
        [192, 0, 0, 0],
        24,
        "IETF protocol assignments (RFC 6890)",
        Purpose::Other,
    ),
    (
        [192, 0, 2, 0],
        24,
        "documentation, TEST-NET-1 (RFC 5737)",
        Purpose::Documentation,
    ),
    (
        [192, 168, 0, 0],
        16,
        "private-use (RFC 1918)",
        Purpose::Other,
    ),
    (
        [198, 18, 0, 0],
        15,
        "benchmarking (RFC 2544)",
        Purpose::Other,
    ),
    (
        [198, 51, 100, 0],
        24,
        "documentation, TEST-NET-2 (RFC 5737)",
        Purpose::Documentation,
    ),
    (
        [203, 0, 113, 0],
        24,
        "documentation, TEST-NET-3 (RFC 5737)",
        Purpose::Documentation,
    ),
    ([224, 0, 0, 0], 4, "multicast (RFC 5771)", Purpose::Other),
    ([240, 0, 0, 0], 4, "reserved (RFC 1112)", Purpose::Other),
];

/// IPv6 special-purpose networks that are not globally reachable (RFC 6890 §2.2.3 and
/// the IANA registry), plus multicast and the deprecated site-local prefix.
const IPV6_RANGES: &[(u128, u8, &str, Purpose)] = &[
    (0, 128, "the unspecified address (RFC 4291)", Purpose::Other),
    (1, 128, "loopback (RFC 4291)", Purpose::Other),
    (
        0x0064_ff9b_0001 << 80,
        48,
        "local-use IPv4/IPv6 translation (RFC 8215)",
        Purpose::Other,
    ),
    (0x0100 << 112, 64, "discard-only (RFC 6666)", Purpose::Other),
    (
        0x2001_0002 << 96,
        48,
        "benchmarking (RFC 5180)",
        Purpose::Other,
    ),
    (
        0x2001_0db8 << 96,
        32,
        "documentation (RFC 3849)",
        Purpose::Documentation,
    ),
    (
        0x3fff << 112,
        20,
        "documentation (RFC 9637)",
        Purpose::Documentation,
    ),
    (0xfc00 << 112, 7, "unique-local (RFC 4193)", Purpose::Other),
    (0xfe80 << 112, 10, "link-local (RFC 4291)", Purpose::Other),
    (
        0xfec0 << 112,
        10,
        "site-local, deprecated (RFC 3879)",
        Purpose::Other,
    ),
    (0xff00 << 112, 8, "multicast (RFC 4291)", Purpose::Other),
];

/// Whether the network `address/length` lies wholly inside `range/range_length`.
fn within(address: u128, length: u8, bits: u8, range: u128, range_length: u8) -> bool {
    if length < range_length || range_length > bits {
        return false;
    }
    let shift = u32::from(bits - range_length);
    // A shift by the full width (a /0 range) would overflow; /0 is never a range here.
    address.checked_shr(shift) == range.checked_shr(shift)
}

fn ipv4_range(address: Ipv4Addr, length: u8) -> Option<(String, Purpose)> {
    let value = u128::from(u32::from(address));
    IPV4_RANGES
        .iter()
        .find(|(net, len, _, _)| {
            within(
                value,
                length,
                32,
                u128::from(u32::from(Ipv4Addr::from(*net))),
                *len,
            )
        })
        .map(|(net, len, what, purpose)| {
            (format!("{}/{len}, {what}", Ipv4Addr::from(*net)), *purpose)
        })
}

fn ipv6_range(address: Ipv6Addr, length: u8) -> Option<(String, Purpose)> {
    let value = u128::from(address);
    IPV6_RANGES
        .iter()
        .find(|(net, len, _, _)| within(value, length, 128, *net, *len))
        .map(|(net, len, what, purpose)| {
            (format!("{}/{len}, {what}", Ipv6Addr::from(*net)), *purpose)
        })
}

/// Whether `name` is at or below a name reserved for documentation and testing (RFC 2606
/// §2–§3, RFC 6761 §6), where documentation addresses are at home.
fn is_documentation_name(name: &NameRef) -> bool {
    [
        "example.",
        "example.com.",
        "example.net.",
        "example.org.",
        "test.",
        "invalid.",
        "localhost.",
    ]
    .iter()
    .filter_map(|reserved| Name::from_ascii(reserved).ok())
    .any(|reserved| name.is_at_or_below(&reserved))
}

impl Rule for NonpublicAddress {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            let documentation_name = is_documentation_name(owner);
            for (term, directive) in entry.record.directives() {
                let found = special_purpose_range(&directive.mechanism);
                let Some((range, purpose)) = found else {
                    continue;
                };
                if purpose == Purpose::Documentation && documentation_name {
                    continue;
                }
                let term_text = String::from_utf8_lossy(term.text());
                let mut report = sink
                    .report(
                        term.span(),
                        format!("`{term_text}` in the SPF record of {owner} lies in {range}: no public SMTP client has such an address"),
                    )
                    .help("List the public addresses your mail leaves from; delete the term if it names an internal network or an example")
                    .owner(owner);
                if let Some(edit) = removal(entry, term) {
                    report = report.fix(Fix {
                        applicability: Applicability::Unsafe,
                        message: format!("Delete `{term_text}`"),
                        edits: vec![edit],
                    });
                }
                drop(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_zones, lint_snippet};

    #[test]
    fn private_loopback_link_local_and_cgnat_networks_fire() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 ip4:10.1.2.3 ip4:172.16.0.0/12 ip4:192.168.1.0/24 ip4:127.0.0.1 ip4:169.254.0.0/16 ip4:100.64.0.0/10 -all\"\nb TXT \"v=spf1 ip6:::1 ip6:fd00::/8 ip6:fe80::1 ip6:ff02::1 ip4:224.0.0.1 ip4:255.255.255.255 -all\"\n",
            &["SPF025"],
        ));
    }

    #[test]
    fn documentation_ranges_fire_outside_documentation_names() {
        insta::assert_snapshot!(check_zones(
            "SPF025",
            &[(
                "shop.nl.",
                "$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1.provider.net.\n@ TXT \"v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.7 ip6:2001:db8::/48 ip6:3fff::1 -all\"\n",
            )],
        ));
    }

    #[test]
    fn the_deletion_keeps_strings_and_escapes_intact() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 \" \"ip4:10.0.0.1 -all\"\nb TXT \"v=spf1\\032ip4:10.0.0.2 -all\"\nc TXT \"v=spf1 ip4:10.0.0.3\" \" -all\"\n",
            &["SPF025"],
        ));
    }

    #[test]
    fn public_and_wider_networks_and_documentation_names_do_not_fire() {
        // 8.0.0.0/5 contains 10/8 but is mostly public; 10.0.0.0/7 covers 11/8 too.
        let found = lint_snippet(
            "a TXT \"v=spf1 ip4:8.8.8.8 ip4:8.0.0.0/5 ip4:10.0.0.0/7 ip6:2a00:1450::/32 ip6:2000::/3 -all\"\nb TXT \"v=spf1 ip4:192.0.2.25 ip4:203.0.113.0/24 ip6:2001:db8::1 -all\"\n",
            &["SPF025"],
        );
        assert_eq!(found, "");
    }
}
