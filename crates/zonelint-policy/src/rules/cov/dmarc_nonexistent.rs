//! COV006 `cov-dmarc-nonexistent`.

use super::exempt_from_coverage;
use super::spf_missing::first_span;
use crate::discovery::{Mode, Published, Source};
use crate::grammar::dmarc::Policy;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::settings::DmarcDiscovery;
use std::collections::BTreeMap;
use zonelint_zone::{Code, NameRef, Span};

/// Made-up names whose effective DMARC policy is not reject, or for which `np` does not
/// apply because a wildcard makes them exist.
pub struct DmarcNonexistent;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV006", slug: "cov-dmarc-nonexistent" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "policy for non-existent names not reject, or `np` inapplicable under a wildcard",
    doc: RuleDoc {
        what: "Evaluates a made-up name under every existing name of the zone (semantics.md §2.2 step 4) and reports two cases the zone's own DMARC record does not show by itself: a wildcard `*.X` makes every such name below X exist, so the organizational domain's `sp` governs them instead of a stronger `np`; and a policy weaker than reject for them that comes from a parent zone or the configured `parent-dmarc`. A weak `np` or `sp` written in this zone's own record is DMARC010's or DMARC009's finding.",
        why: "`np` applies only to names that do not exist, that is NXDOMAIN (RFC 9989 §3.2.13, §4.7). A wildcard of any type makes every matching name exist (RFC 4592 §2.2), so receivers apply `sp` to mail from made-up names there, and a domain that relies on `np=reject` leaves them at `sp`.",
        example: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=quarantine; sp=quarantine; np=reject; rua=mailto:dmarc@example.com\"\n* TXT \"v=spf1 -all\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n",
        use_instead: "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ NS ns2\n@ MX 10 mx.example.net.\n@ TXT \"v=spf1 -all\"\n_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n* TXT \"v=spf1 -all\"\nns1 A 192.0.2.53\nns1 TXT \"v=spf1 -all\"\nns2 A 198.51.100.53\nns2 TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: raising `sp` changes what receivers do with the mail of every existing subdomain.",
        references: &["RFC 9989 §3.2.13", "RFC 9989 §4.7 (np)", "RFC 9989 §4.10.1", "RFC 4592 §2.2"],
    },
};

/// What a group of findings is about.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A wildcard makes the made-up names exist, so `sp` governs instead of `np`.
    Wildcard,
    /// The policy comes from outside the zone and is not reject.
    Inherited,
}

struct Group<'z> {
    kind: Kind,
    record: std::sync::Arc<Published>,
    policy: Option<Policy>,
    /// Where the finding points (the wildcard, or the governing record).
    at: Span,
    /// The existing names whose made-up children it concerns.
    names: Vec<&'z NameRef>,
}

impl Rule for DmarcNonexistent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let discovery = cx.discovery;
        let modes: &[Mode] = match cx.settings.dmarc_discovery {
            DmarcDiscovery::Rfc7489 => &[Mode::Rfc7489],
            DmarcDiscovery::Rfc9989 | DmarcDiscovery::Both => &[Mode::Rfc9989],
        };
        let apex_span = zone.apex().map_or(Span::default(), |a| first_span(zone, a));
        let mut groups: BTreeMap<(Kind, Span), Group<'_>> = BTreeMap::new();
        for facts in zone.names() {
            if facts.is_wildcard() || exempt_from_coverage(zone, facts) {
                continue;
            }
            // A label no zone uses, below the name: its closest encloser is the name.
            let Ok(made_up) = facts.name.prepend(b"zonelint-made-up") else {
                continue;
            };
            let wildcard = zone.wildcard_child(facts);
            for &mode in modes {
                let effective =
                    discovery.effective_below(zone, facts, &made_up, wildcard.is_some(), mode);
                let Source::Organizational(org) = effective.source else {
                    continue;
                };
                let in_this_zone = zone.zone.sources.contains(org.span.source) && !org.configured;
                let (kind, at) = match wildcard {
                    Some(w) => {
                        let without = org.for_nonexistent(mode);
                        if effective.policy.is_none() || effective.policy >= without {
                            continue; // `np` would be no stronger: nothing is lost.
                        }
                        (Kind::Wildcard, first_span(zone, w))
                    }
                    None => {
                        if in_this_zone || effective.policy == Some(Policy::Reject) {
                            continue; // The record shows it: DMARC010/DMARC009.
                        }
                        (
                            Kind::Inherited,
                            if org.configured { apex_span } else { org.span },
                        )
                    }
                };
                let group = groups.entry((kind, at)).or_insert_with(|| Group {
                    kind,
                    record: org.clone(),
                    policy: effective.policy,
                    at,
                    names: Vec::new(),
                });
                if group.names.last() != Some(&facts.name) {
                    group.names.push(facts.name);
                }
            }
        }
        for group in groups.into_values() {
            report(sink, &zone.origin, &group);
        }
    }
}

fn report(sink: &mut Sink<'_>, origin: &NameRef, group: &Group<'_>) {
    let policy = group.policy.map_or("no policy", |p| match p {
        Policy::None => "none",
        Policy::Quarantine => "quarantine",
        Policy::Reject => "reject",
    });
    let domain = &group.record.domain;
    match group.kind {
        Kind::Wildcard => {
            let Some(&name) = group.names.first() else {
                return;
            };
            let mut report = sink
                .report(group.at, format!("the wildcard *.{name} makes made-up names below {name} exist, so DMARC `np` of {domain} does not apply to them: receivers use `sp`, which is {policy}"))
                .help("Wildcards make names exist, so `sp`, not `np`, governs them: set `sp=reject` once the reports show legitimate mail passes, or remove the wildcard")
                .owner(name);
            if !group.record.configured {
                report = report.related(group.record.span, "the DMARC record whose `sp` applies");
            }
            drop(report);
        }
        Kind::Inherited => {
            let count = group.names.len();
            let shown: Vec<String> = group
                .names
                .iter()
                .take(3)
                .map(ToString::to_string)
                .collect();
            let more = if count > 3 {
                format!(", and {} more", count - 3)
            } else {
                String::new()
            };
            let whose = if group.record.configured {
                "the configured parent policy (`parent-dmarc`)".to_owned()
            } else {
                format!("the DMARC record of {domain}")
            };
            sink.report(group.at, format!("{whose} leaves made-up names below {count} name{} of {origin} at policy {policy}: below {}{more}", if count == 1 { "" } else { "s" }, shown.join(", ")))
                .help("Non-existent names never send mail: the organizational domain's record should say `np=reject` (or `sp=reject`)")
                .owner(domain.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_zones, lint_with, only};

    const HEAD: &str = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n";

    #[test]
    fn a_wildcard_leaves_made_up_names_at_sp() {
        insta::assert_snapshot!(lint_with(
            &format!("{HEAD}_dmarc TXT \"v=DMARC1; p=reject; sp=quarantine; np=reject\"\n* TXT \"v=spf1 -all\"\nshop A 192.0.2.7\n*.shop A 192.0.2.8\n"),
            &only("COV006")
        ));
    }

    #[test]
    fn quiet_when_sp_is_as_strong_or_the_record_shows_the_weakness() {
        assert_eq!(
            lint_with(
                &format!("{HEAD}_dmarc TXT \"v=DMARC1; p=reject\"\n* A 192.0.2.8\n"),
                &only("COV006")
            ),
            ""
        );
        // A weak `np` in the zone's own record is DMARC010's finding.
        assert_eq!(
            lint_with(
                &format!("{HEAD}_dmarc TXT \"v=DMARC1; p=reject; np=none\"\nwww A 192.0.2.1\n"),
                &only("COV006")
            ),
            ""
        );
    }

    #[test]
    fn the_parent_zone_governs_made_up_names_of_a_child_zone() {
        insta::assert_snapshot!(check_zones(
            "COV006",
            &[
                ("example.com.", "$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.53\n_dmarc TXT \"v=DMARC1; p=reject; np=quarantine\"\nsub NS ns1.sub\nns1.sub A 192.0.2.54\n"),
                ("sub.example.com.", "$TTL 3600\n@ SOA ns1 hm 1 7200 3600 1209600 3600\n@ NS ns1\nns1 A 192.0.2.54\nwww A 192.0.2.9\n"),
            ],
        ));
    }
}
