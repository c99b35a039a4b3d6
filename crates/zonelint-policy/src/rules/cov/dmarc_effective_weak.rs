//! COV005 `cov-dmarc-effective-weak`.

use super::exempt_from_coverage;
use crate::discovery::{Mode, Source};
use crate::grammar::dmarc::Policy;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::settings::DmarcDiscovery;
use std::collections::BTreeMap;
use zonelint_zone::{Code, Name, NameRef, Span};

/// Existing names whose effective DMARC policy, inherited from the organizational domain,
/// is `none`.
pub struct DmarcEffectiveWeak;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV005", slug: "cov-dmarc-effective-weak" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "existing names whose inherited DMARC policy is none",
    doc: RuleDoc {
        what: "Computes the effective DMARC policy of every existing name (semantics.md §2.2: its own `_dmarc` record, or else the organizational domain's `sp`, by RFC 7489 and RFC 9989 discovery) and reports, once per governing record, the names it leaves at `none` where the record does not show it by itself: a parent zone's policy applied to this zone's names, `t=y` weakening `quarantine` to `none` for RFC 9989 receivers, or the configured parent policy. A weak `sp` or `p=none` in this zone's own record is reported at the tag by DMARC009 or DMARC007; a missing record by DMARC001.",
        why: "Subdomains inherit `sp` (default `p`): `p=reject; sp=none` protects the apex and leaves every host name free to be forged, which is how the incident's made-up and server names were abused (RFC 9989 §4.10.1).",
        example: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=quarantine; t=y; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n",
        use_instead: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: raising `sp` changes what receivers do with all mail of the subdomains, which needs the reports read first.",
        references: &["RFC 9989 §4.7 (sp), §4.10, §4.10.1", "RFC 7489 §6.3, §6.6.3"],
    },
};

/// A governing record's domain, whether it is configured rather than loaded, the names it
/// leaves at none, and under which discoveries.
type Group<'z> = (Name, bool, Vec<&'z NameRef>, Vec<Mode>);

impl Rule for DmarcEffectiveWeak {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let discovery = cx.discovery;
        let modes: &[Mode] = match cx.settings.dmarc_discovery {
            DmarcDiscovery::Rfc7489 => &[Mode::Rfc7489],
            DmarcDiscovery::Rfc9989 => &[Mode::Rfc9989],
            DmarcDiscovery::Both => &[Mode::Rfc9989, Mode::Rfc7489],
        };
        // Governing record (its span and domain) → the names it leaves at none, and under
        // which discoveries.
        let mut groups: BTreeMap<Span, Group<'_>> = BTreeMap::new();
        for facts in zone.names() {
            if facts.is_empty_non_terminal() || exempt_from_coverage(zone, facts) {
                continue;
            }
            for &mode in modes {
                let effective = discovery.effective_at(zone, facts, true, mode);
                let Source::Organizational(org) = effective.source else {
                    continue;
                };
                if effective.policy != Some(Policy::None) {
                    continue;
                }
                // A weakness the record shows by itself, in this zone, is its own rule's
                // finding at the tag: DMARC009 (`sp` weaker than `p`), DMARC007 (`p=none`).
                let in_this_zone = zone.zone.sources.contains(org.span.source) && !org.configured;
                let explicit_sp_weaker = org
                    .subdomain
                    .zip(org.requested)
                    .is_some_and(|(sp, p)| sp < p);
                let plain_none = org.subdomain.is_none() && org.requested == Some(Policy::None);
                if in_this_zone && (explicit_sp_weaker || plain_none) {
                    continue;
                }
                let group = groups.entry(org.subdomain_span).or_insert_with(|| {
                    (org.domain.clone(), org.configured, Vec::new(), Vec::new())
                });
                if group.2.last() != Some(&facts.name) {
                    group.2.push(facts.name);
                }
                if !group.3.contains(&mode) {
                    group.3.push(mode);
                }
            }
        }
        let apex_span = zone.apex().map_or(Span::default(), |a| zone.first_span(a));
        for (span, (domain, configured, names, found_modes)) in groups {
            let count = names.len();
            let shown: Vec<String> = names.iter().take(3).map(ToString::to_string).collect();
            let more = if count > 3 {
                format!(", and {} more", count - 3)
            } else {
                String::new()
            };
            let only = if found_modes.len() == 1 && modes.len() == 2 {
                match found_modes.first() {
                    Some(Mode::Rfc7489) => " for RFC 7489 receivers",
                    _ => " for RFC 9989 (tree-walk) receivers",
                }
            } else {
                ""
            };
            let (at, whose) = if configured {
                (
                    apex_span,
                    "the configured parent policy (`parent-dmarc`)".to_owned(),
                )
            } else {
                (span, format!("the DMARC record of {domain}"))
            };
            sink.report(
                at,
                format!("{whose} leaves {count} existing name{} of {} with policy none{only}: {}{more}", if count == 1 { "" } else { "s" }, zone.origin, shown.join(", ")),
            )
            .help("Subdomains inherit `sp` (default `p`): set `sp=reject` (and `np=reject`) once the aggregate reports show legitimate mail passes")
            .owner(domain);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_zones, lint_with, only};

    const HEAD: &str = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n";

    #[test]
    fn a_weak_sp_in_the_zones_own_record_is_dmarc009s_finding() {
        let zone = format!(
            "{HEAD}_dmarc TXT \"v=DMARC1; p=reject; sp=none\"\nwww A 192.0.2.1\nshop A 192.0.2.2\n"
        );
        assert_eq!(lint_with(&zone, &only("COV005")), "");
    }

    #[test]
    fn quiet_when_subdomains_are_protected_or_have_their_own_policy() {
        assert_eq!(
            lint_with(
                &format!("{HEAD}_dmarc TXT \"v=DMARC1; p=reject\"\nwww A 192.0.2.1\n"),
                &only("COV005")
            ),
            ""
        );
        assert_eq!(
            lint_with(
                &format!("{HEAD}_dmarc TXT \"v=DMARC1; p=none; sp=quarantine\"\nwww A 192.0.2.1\n"),
                &only("COV005")
            ),
            ""
        );
        // No record at all is DMARC001's finding, not this rule's.
        assert_eq!(
            lint_with(&format!("{HEAD}www A 192.0.2.1\n"), &only("COV005")),
            ""
        );
    }

    #[test]
    fn testing_mode_weakens_quarantine_to_none_for_tree_walk_receivers() {
        insta::assert_snapshot!(lint_with(
            &format!("{HEAD}_dmarc TXT \"v=DMARC1; p=quarantine; t=y\"\nwww A 192.0.2.1\n"),
            &only("COV005")
        ));
    }

    #[test]
    fn the_parent_zone_governs_a_child_zone() {
        insta::assert_snapshot!(check_zones(
            "COV005",
            &[
                ("example.com.", "$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n_dmarc TXT \"v=DMARC1; p=reject; sp=none\"\nsub NS ns1.sub\nns1.sub A 192.0.2.54\n"),
                ("sub.example.com.", "$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.54\nwww A 192.0.2.9\n"),
            ],
        ));
    }
}
