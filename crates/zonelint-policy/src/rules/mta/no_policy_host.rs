//! MTA002 `mta-sts-no-policy-host`.

use super::{transport_places, Transport};
use crate::index::NameFacts;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// An MTA-STS record whose policy host `mta-sts.<domain>` has no address or alias.
pub struct NoPolicyHost;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MTA002", slug: "mta-sts-no-policy-host" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "`_mta-sts` present but `mta-sts.<d>` has no A/AAAA/CNAME in the zone",
    doc: RuleDoc {
        what: "Reports an `_mta-sts.<domain>` record (a `v=STSv1` TXT record, or a CNAME to one) when `mta-sts.<domain>` has no A, AAAA or CNAME record in the loaded zones, nor a wildcard that answers for it. A policy host below a delegation, or outside the loaded zones, is not checked.",
        why: "The TXT record only announces a policy; senders fetch the policy itself from `https://mta-sts.<domain>/.well-known/mta-sts.txt` (RFC 8461 §3.2, §3.3). When that host does not resolve, no sender can apply the policy, so the record has no effect.",
        example: "_mta-sts TXT \"v=STSv1; id=20240101\"\n",
        use_instead: "_mta-sts TXT \"v=STSv1; id=20240101\"\nmta-sts A 192.0.2.80\nmta-sts MX 0 .\nmta-sts TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: the address of the web server that serves the policy is the operator's.",
        references: &["RFC 8461 §3.2", "RFC 8461 §3.3"],
    },
};

impl Rule for NoPolicyHost {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for place in transport_places(cx, Transport::MtaSts) {
            let announced = place
                .texts
                .iter()
                .find(|t| Transport::MtaSts.is_attempt(t.text.as_bytes()))
                .map(|t| t.span())
                .or_else(|| {
                    zone.records_of(place.facts, RType::CNAME)
                        .next()
                        .map(|r| r.span())
                });
            let Some(span) = announced else { continue };
            let Ok(host) = place.domain.prepend(b"mta-sts") else {
                continue;
            };
            let Some(found) = cx.set.lookup(&host) else {
                continue; // Out of the loaded zones, or below a delegation.
            };
            let answers = |facts: &NameFacts<'_>| {
                [RType::A, RType::AAAA, RType::CNAME]
                    .into_iter()
                    .any(|rtype| found.zone.has_type(facts, rtype))
            };
            let resolves = match found.facts {
                // A delegated policy host is the child zone's to publish.
                Some(facts) if found.zone.cut_of(facts).is_some() => true,
                Some(facts) => answers(facts),
                None => found.zone.wildcard_for(&host).is_some_and(answers),
            };
            if resolves {
                continue;
            }
            let domain = &place.domain;
            sink.report(span, format!("{domain} announces an MTA-STS policy, but {host} has no A, AAAA or CNAME record, so senders cannot fetch the policy from https://{}/.well-known/mta-sts.txt", host.to_string().trim_end_matches('.')))
                .help(format!("Add an address (or a CNAME) for {host} that points at the web server serving the policy, or remove the `_mta-sts` record"))
                .owner(place.facts.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_zones, lint_snippet};

    #[test]
    fn a_policy_without_its_host_fires() {
        insta::assert_snapshot!(lint_snippet(
            "_mta-sts TXT \"v=STSv1; id=1\"\n_mta-sts.shop CNAME _mta-sts.provider.example.\nshop A 192.0.2.7\nmta-sts.shop TXT \"v=spf1 -all\"\n",
            &["MTA002"],
        ));
    }

    #[test]
    fn a_policy_host_by_address_alias_or_wildcard_does_not_fire() {
        assert_eq!(
            lint_snippet(
                "_mta-sts TXT \"v=STSv1; id=1\"\nmta-sts CNAME sts.provider.example.\n_mta-sts.shop TXT \"v=STSv1; id=1\"\nmta-sts.shop AAAA 2001:db8::80\n_mta-sts.w TXT \"v=STSv1; id=1\"\n*.w A 192.0.2.8\n_mta-sts.child TXT \"v=STSv1; id=1\"\nchild NS ns1.example.net.\n_mta-sts.other TXT \"google-site-verification=x\"\n",
                &["MTA002"],
            ),
            ""
        );
    }

    #[test]
    fn the_policy_host_may_be_delegated_or_in_another_loaded_zone() {
        let parent = "@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n_mta-sts TXT \"v=STSv1; id=1\"\nmta-sts NS ns1.mta-sts\nns1.mta-sts A 192.0.2.53\n";
        let child = "@ SOA ns1 hostmaster 1 7200 3600 1209600 3600\n@ NS ns1\n@ A 192.0.2.80\n";
        assert_eq!(check_zones("MTA002", &[("example.com.", parent)]), "");
        assert_eq!(
            check_zones(
                "MTA002",
                &[("example.com.", parent), ("mta-sts.example.com.", child)]
            ),
            ""
        );
    }
}
