//! DMARC023 `dmarc-psd-misuse`.

use super::{organizational_domain, policy_records, remove_tag_fix, tag_named, written};
use crate::grammar::dmarc::PublicSuffixDomain;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code};

/// `psd=y` outside a public-suffix operator's zone, or a `psd=n` the tree walk never reaches.
pub struct PsdMisuse;

/// From a name of this many labels or more, the RFC 9989 tree walk jumps to the last 7.
const WALK_JUMP_LABELS: usize = 8;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC023", slug: "dmarc-psd-misuse" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "`psd=y` in an ordinary registrant zone; `psd=n` deeper than the tree walk reaches",
    doc: RuleDoc {
        what: "Reports `psd=y` in a DMARC record of a domain that is not a public suffix (by the public-suffix list) when the zone is not declared a public-suffix operator's (`public-suffix-operator`): an error. Reports, as a warning, `psd=n` at a domain of 8 labels or more, which the RFC 9989 tree walk skips for every name below it.",
        why: "`psd=y` says the domain is a public suffix domain (RFC 9989 §4.7 `psd`), so tree-walk receivers take the names one label below it as organizational domains of their own (§4.10.2): `www.example.com` and `mail.example.com` stop sharing an organization, and relaxed alignment between them (DKIM `d=example.com` for mail from `www.example.com`) fails. The walk queries at most 8 names and jumps from 8 or more labels straight to 7 (§4.10), so a `psd=n` record at a deeper domain is never found for the names below it; such names must publish their own records (§5.1.8).",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; psd=y; rua=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "The fix removes `psd=y`; it is unsafe because it changes which organizational domain receivers find, and with it alignment and the policy names below inherit.",
        references: &["RFC 9989 §4.7 (psd)", "RFC 9989 §4.10", "RFC 9989 §4.10.2", "RFC 9989 §5.1.8"],
    },
};

impl Rule for PsdMisuse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            let Some(psd) = entry.record.psd() else {
                continue;
            };
            let Some(tag) = tag_named(entry, "psd") else {
                continue;
            };
            let owner = entry.txt.owner;
            let Some(domain) = owner.parent() else {
                continue;
            };
            let text = written(cx.zone, tag.span());
            match psd.value {
                PublicSuffixDomain::Yes => {
                    if cx.settings.public_suffix_operator
                        || organizational_domain(cx.settings, domain).is_none()
                    {
                        continue;
                    }
                    let Some(mut report) = sink.report_graded(Level::Error, Level::Error, tag.span(), format!("`{text}` at {owner} declares {domain} a public suffix: RFC 9989 receivers then treat each name below it as an organization of its own, which breaks relaxed alignment between them")) else {
                        continue;
                    };
                    report = report
                        .help("Remove `psd=y`; it is for public-suffix operators (set `public-suffix-operator` if this zone is one)")
                        .owner(owner);
                    if let Some(fix) = remove_tag_fix(entry, tag, Applicability::Unsafe, &text) {
                        report = report.fix(fix);
                    }
                    drop(report);
                }
                PublicSuffixDomain::No if domain.label_count() >= WALK_JUMP_LABELS => {
                    let labels = domain.label_count();
                    if let Some(report) = sink.report_graded(Level::Warning, Level::Warning, tag.span(), format!("`{text}` at {owner} is never found for the names below {domain}: it has {labels} labels, and RFC 9989's tree walk jumps from names of 8 or more labels straight to their last 7")) {
                        report
                            .help(format!("Publish DMARC records at the names below {domain} that send mail, or move the organizational record to 7 labels or fewer"))
                            .owner(owner);
                    }
                }
                PublicSuffixDomain::No | PublicSuffixDomain::Unknown => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;
    use crate::rules::test_support::lint_with;
    use crate::{Selector, Settings};

    #[test]
    fn psd_y_in_a_registrant_zone_and_an_unreachable_psd_n() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; psd=y\""),
            "_dmarc.a.b.c.d.e.f TXT \"v=DMARC1; p=reject; psd=n\"\n_dmarc.b.c.d.e.f TXT \"v=DMARC1; p=reject; psd=n\"\n",
            &["DMARC023"],
            false,
        ));
    }

    #[test]
    fn public_suffixes_and_declared_operators_may_use_psd_y() {
        let zone = "$ORIGIN co.uk.\n$TTL 3600\n@ SOA ns1.example.net. hm.example.net. 1 7200 3600 1209600 3600\n@ NS ns1.example.net.\n_dmarc TXT \"v=DMARC1; p=reject; psd=y\"\n";
        let only = Settings {
            select: vec![Selector("DMARC023".to_owned())],
            ..Settings::default()
        };
        assert_eq!(lint_with(zone, &only), "");
        let declared = Settings {
            public_suffix_operator: true,
            ..only
        };
        let apex = crate::rules::test_support::APEX.replace("np=reject;", "np=reject; psd=y;");
        assert_eq!(lint_with(&apex, &declared), "");
    }
}
