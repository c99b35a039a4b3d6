//! DMARC009 `dmarc-sp-weaker`.

use super::{governs_subdomains, policy_records, policy_tag};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// An explicit `sp` weaker than `p` in the record whose `sp` receivers use.
pub struct SpWeaker;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC009", slug: "dmarc-sp-weaker" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "explicit `sp` weaker than `p` (especially `sp=none`)",
    doc: RuleDoc {
        what: "Reports an `sp` tag weaker than the record's `p` (`p=reject; sp=none`) in a record whose `sp` receivers use: at an organizational domain (public-suffix list or `org-domains`), or one with `psd=n` or `psd=y`. `p` and `sp` are compared as written; `t=y` lowers both alike.",
        why: "Existing subdomains without their own `_dmarc` record get the organizational domain's `sp` (RFC 9989 §4.7, §4.10.1; RFC 7489 §6.3), so `sp=none` leaves every such name unprotected however strict `p` is: the incident's failure. Below an organizational domain `sp` is ignored, so it is not reported there.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=none; np=reject; rua=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix: subdomains that send mail may need review first.",
        references: &["RFC 9989 §4.7", "RFC 9989 §4.10.1", "RFC 7489 §6.3"],
    },
};

impl Rule for SpWeaker {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx) {
            let record = &entry.record;
            if !record.valid_version || record.invalid_policy {
                continue;
            }
            let (Some(policy), Some(subdomain)) = (&record.policy(), &record.subdomain_policy())
            else {
                continue;
            };
            if subdomain.value >= policy.value {
                continue;
            }
            let owner = entry.txt.owner;
            let Some(domain) = owner.parent() else {
                continue;
            };
            if !governs_subdomains(cx.settings, domain, record) {
                continue;
            }
            let span = policy_tag(entry, "sp").unwrap_or(subdomain.span);
            let (sp, p) = (subdomain.value.as_str(), policy.value.as_str());
            sink.report(span, format!("`sp={sp}` is weaker than `p={p}` at {owner}: existing subdomains of {domain} without their own DMARC record get only `{sp}`"))
                .help(format!("Set `sp={p}`, or remove `sp` so that subdomains get `p`"))
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn weaker_sp_at_the_organizational_domain() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; sp=none\""),
            "_dmarc.dept TXT \"v=DMARC1; p=reject; sp=quarantine; psd=n\"\n",
            &["DMARC009"],
            false,
        ));
    }

    #[test]
    fn equal_or_stronger_testing_and_ignored_sp_are_not_reported() {
        for record in [
            "\"v=DMARC1; p=reject; sp=reject\"",
            "\"v=DMARC1; p=quarantine; sp=reject\"",
            "\"v=DMARC1; p=reject; t=y\"",
            "\"v=DMARC1; p=reject; sp=reject; t=y\"",
            "\"v=DMARC1; sp=none\"",
            "\"v=dmarc1; p=reject; sp=none\"",
            "\"v=DMARC1; p=bogus; sp=none; rua=mailto:d@example.com\"",
        ] {
            assert_eq!(
                lint_policy(Some(record), "", &["DMARC009"], false),
                "",
                "{record}"
            );
        }
        // Below the organizational domain `sp` is ignored (RFC 9989 §4.7).
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject\""),
            "_dmarc.news TXT \"v=DMARC1; p=reject; sp=none\"\n",
            &["DMARC009"],
            false,
        );
        assert_eq!(found, "");
    }
}
