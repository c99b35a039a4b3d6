//! SPF006 `spf-overbroad-network`.

use super::nonpublic_address::special_purpose_range;
use super::{analysis, selected, target_only};
use crate::grammar::spf::{Mechanism, Qualifier};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, Span};

/// A network so wide that the record is close to `+all`.
pub struct OverbroadNetwork;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF006", slug: "spf-overbroad-network" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "a network of /0 (error) or at most /8 or /16 (warning) authorized",
    doc: RuleDoc {
        what: "Reports a passing `ip4`, `ip6`, `a` or `mx` term whose prefix length authorizes a huge network: length 0 (`ip4:0.0.0.0/0`, `ip6:::/0`, `a/0`, `mx//0`) is an error, an IPv4 prefix of at most /8 or an IPv6 prefix of at most /16 is a warning (an error in the strict profile). A network that lies wholly in a private or other special-purpose range (`ip4:10.0.0.0/8`) is SPF025's instead.",
        why: "A prefix of length 0 matches every address (RFC 7208 §5.6, and §5.3/§5.4 for the CIDR of `a` and `mx`), so the term is `+all` in disguise; a /8 authorizes sixteen million hosts nobody controls alone. Underscore records that loaded records include are reported at the include (SPF005) when they pass everyone.",
        example: "shop TXT \"v=spf1 ip4:0.0.0.0/1 ip4:128.0.0.0/1 -all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
        fix_safety: "No fix: the intended network is not in the zone file.",
        references: &["RFC 7208 §5.3", "RFC 7208 §5.4", "RFC 7208 §5.6"],
    },
};

impl Rule for OverbroadNetwork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_spf_analysis(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let analysis = analysis(cx);
        let analysis = &*analysis;
        for (id, entry) in selected(cx) {
            let owner = entry.txt.owner;
            let reported_at_include = target_only(analysis, id, entry);
            for (term, directive) in entry.record.directives() {
                // A private or other non-public network is SPF025's: its width harms no one.
                if directive.effective_qualifier() != Qualifier::Pass
                    || special_purpose_range(&directive.mechanism).is_some()
                {
                    continue;
                }
                // (prefix length, largest "overbroad" length, family, where the length is written)
                let widths: Vec<(u8, u8, &str, Span)> = match &directive.mechanism {
                    Mechanism::Ip4 { cidr: Some(c), .. } => vec![(c.length, 8, "IPv4", c.span)],
                    Mechanism::Ip6 { cidr: Some(c), .. } => vec![(c.length, 16, "IPv6", c.span)],
                    Mechanism::A { cidr, .. } | Mechanism::Mx { cidr, .. } => cidr
                        .ip4
                        .map(|c| (c.length, 8, "IPv4", c.span))
                        .into_iter()
                        .chain(cidr.ip6.map(|c| (c.length, 16, "IPv6", c.span)))
                        .collect(),
                    _ => Vec::new(),
                };
                for (length, broad, family, _) in widths {
                    if length > broad {
                        continue;
                    }
                    let written = String::from_utf8_lossy(term.text());
                    let (default, strict, message) = if length == 0 {
                        if reported_at_include {
                            continue;
                        }
                        (
                            Level::Error,
                            Level::Error,
                            format!("`{written}` matches every {family} address: it authorizes the whole Internet to send as {owner}, like `+all`"),
                        )
                    } else {
                        let hosts = if family == "IPv4" {
                            format!("2^{} addresses", 32 - u32::from(length))
                        } else {
                            format!("2^{} addresses", 128 - u32::from(length))
                        };
                        (
                            Level::Warning,
                            Level::Error,
                            format!("`{written}` authorizes a /{length} {family} network ({hosts}) to send as {owner}"),
                        )
                    };
                    if let Some(report) = sink.report_graded(default, strict, term.span(), message)
                    {
                        report
                            .help("List only the sending hosts or networks")
                            .owner(owner);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn zero_length_is_an_error_and_wide_prefixes_warn() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 ip4:0.0.0.0/0 -all\"\nb TXT \"v=spf1 ip6:::/0 a/0 mx//0 -all\"\nc TXT \"v=spf1 ip4:0.0.0.0/1 ip4:128.0.0.0/1 ip6:2000::/3 -all\"\n",
            &["SPF006"],
        ));
    }

    #[test]
    fn narrow_or_failing_networks_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 ip4:10.0.0.0/9 ip6:2001:db8::/32 a/24 -ip4:0.0.0.0/0 -all\"\nb TXT \"v=spf1 ip4:10.0.0.0/8 ip6:fc00::/7 -all\"\n",
            &["SPF006"],
        );
        assert_eq!(found, "");
    }
}
