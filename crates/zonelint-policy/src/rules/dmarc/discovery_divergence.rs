//! DMARC024 `dmarc-discovery-divergence`.

use super::{organizational_domain, policy_records, tag_named, written};
use crate::discovery::{Lookup, Mode};
use crate::grammar::dmarc::PublicSuffixDomain;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::settings::DmarcDiscovery;
use zonelint_zone::Code;

/// An intermediate `psd=n` record, which only RFC 9989 receivers take as an
/// organizational domain.
pub struct DiscoveryDivergence;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC024", slug: "dmarc-discovery-divergence" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "an intermediate `_dmarc` record with `psd=n`: RFC 9989 and RFC 7489 receivers disagree below it",
    doc: RuleDoc {
        what: "Reports `psd=n` in a DMARC record of a domain below its public-suffix-list (or `org-domains`) organizational domain, such as `_dmarc.dept.example.com`, and says what each kind of receiver applies to the names below it. Only when both discoveries are assumed (`dmarc-discovery = \"both\"`, the default), and not for a record deeper than the tree walk reaches (DMARC023).",
        why: "RFC 9989 receivers walk the tree, stop at the `psd=n` record and take its domain as the organizational domain of the names below it (§4.10, §4.10.2): they apply its `sp`/`np` and align identifiers against it. RFC 7489 receivers jump from the author domain straight to the public-suffix organizational domain (RFC 7489 §6.6.3) and apply that record instead. The two kinds disagree on the policy when the records differ, and always on relaxed alignment: DKIM `d=example.com` aligns with `www.dept.example.com` for RFC 7489 receivers only. Without `psd=n`, both kinds skip the intermediate record for the names below it.",
        example: "dept A 192.0.2.80\ndept TXT \"v=spf1 -all\"\n_dmarc.dept TXT \"v=DMARC1; p=reject; sp=reject; np=reject; psd=n; rua=mailto:dmarc@example.com\"\n",
        use_instead: "dept A 192.0.2.80\ndept TXT \"v=spf1 -all\"\n_dmarc.dept TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n",
        fix_safety: "No fix: whether `dept` is an organization of its own is the domain owner's decision; publish records at the names that send mail, or configure `org-domains` to match.",
        references: &["RFC 9989 §4.10", "RFC 9989 §4.10.2", "RFC 7489 §6.6.3", "RFC 7489 §3.2"],
    },
};

impl Rule for DiscoveryDivergence {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        if cx.settings.dmarc_discovery != DmarcDiscovery::Both {
            return;
        }
        let discovery = cx.discovery;
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            if entry.record.values().psd != Some(PublicSuffixDomain::No) {
                continue;
            }
            let owner = entry.txt.owner;
            let Some(domain) = owner.parent() else {
                continue;
            };
            // Deeper names are never reached by the walk (DMARC023).
            if domain.label_count() >= 8 {
                continue;
            }
            let Some(org) = organizational_domain(cx.settings, domain).filter(|o| *o != domain)
            else {
                continue;
            };
            let Some(tag) = tag_named(entry, "psd") else {
                continue;
            };
            let Lookup::Found(own) = discovery.lookup(domain) else {
                continue;
            };
            let tree_walk = own.for_existing(Mode::Rfc9989);
            let (classic, related) = match discovery.lookup(org) {
                Lookup::Found(record) => (
                    record.for_existing(Mode::Rfc7489).map_or_else(
                        || format!("no policy ({org}'s record is not applied)"),
                        |p| format!("{org}'s record (`{}`)", p.as_str()),
                    ),
                    (!record.configured && !record.synthesized).then_some(record.subdomain_span),
                ),
                Lookup::Unknown => (format!("whatever {org} publishes (not loaded)"), None),
                Lookup::Several(_) | Lookup::Nothing => {
                    (format!("no policy ({org} has no usable record)"), None)
                }
            };
            let own_policy = tree_walk.map_or("no policy", |p| p.as_str());
            let text = written(cx.zone, tag.span());
            let mut report = sink
                .report(tag.span(), format!("`{text}` at {owner} makes {domain} an organizational domain for RFC 9989 receivers only: for the names below it they apply this record (`{own_policy}`) while RFC 7489 receivers apply {classic}, and the two disagree on relaxed alignment with {org}"))
                .help(format!("Remove `psd=n` so that every receiver uses {org}'s record, or publish `_dmarc` records at the names below {domain} that send mail"))
                .owner(owner);
            if let Some(span) = related {
                report = report.related(span, "what RFC 7489 receivers apply below it");
            }
            drop(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;
    use crate::rules::test_support::lint_with;
    use crate::settings::DmarcDiscovery;
    use crate::{Selector, Settings};

    #[test]
    fn an_intermediate_psd_n_record() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; sp=quarantine\""),
            "www.dept A 192.0.2.80\n_dmarc.dept TXT \"v=DMARC1; p=none; psd=n\"\n",
            &["DMARC024"],
            false,
        ));
    }

    #[test]
    fn organizational_records_records_without_psd_n_and_one_discovery_are_quiet() {
        let extra = "_dmarc.lab TXT \"v=DMARC1; p=none\"\n_dmarc.a.b.c.d.e.f TXT \"v=DMARC1; p=reject; psd=n\"\n";
        assert_eq!(
            lint_policy(
                Some("\"v=DMARC1; p=reject; psd=n\""),
                extra,
                &["DMARC024"],
                false
            ),
            ""
        );
        let zone = format!(
            "{}_dmarc.dept TXT \"v=DMARC1; p=none; psd=n\"\n",
            crate::rules::test_support::APEX
        );
        let settings = Settings {
            select: vec![Selector("DMARC024".to_owned())],
            dmarc_discovery: DmarcDiscovery::Rfc9989,
            ..Settings::default()
        };
        assert_eq!(lint_with(&zone, &settings), "");
        let configured = Settings {
            select: vec![Selector("DMARC024".to_owned())],
            org_domains: vec![zonelint_zone::Name::from_ascii("dept.example.com.").unwrap()],
            ..Settings::default()
        };
        assert_eq!(lint_with(&zone, &configured), "");
    }
}
