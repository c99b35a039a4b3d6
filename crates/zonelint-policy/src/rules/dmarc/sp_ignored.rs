//! DMARC021 `dmarc-sp-ignored`.

use super::{governs_subdomains, policy_records, remove_tag_fix, tag_named, written};
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code};

/// `sp` in a record below the organizational domain, where receivers ignore it.
pub struct SpIgnored;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC021", slug: "dmarc-sp-ignored" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::Safe,
    first_release: false,
    summary: "`sp` in a record below the organizational domain, where it is ignored",
    doc: RuleDoc {
        what: "Reports `sp` in a DMARC record published below its organizational domain (public-suffix list or `org-domains`) that does not declare itself one with `psd=n` (or a public-suffix domain with `psd=y`).",
        why: "Receivers take `sp` only from the organizational domain's record (RFC 9989 §4.7 `sp`, §4.10.1; RFC 7489 §6.3): for the subdomains of `news.example.com` they use `sp` of `_dmarc.example.com`, not `_dmarc.news.example.com`. An `sp` there suggests a protection that does not exist; the names below need their own records or the organizational domain's `sp`.",
        example: "_dmarc.mail TXT \"v=DMARC1; p=reject; sp=reject; rua=mailto:dmarc@example.com\"\n",
        use_instead: "_dmarc.mail TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@example.com\"\n",
        fix_safety: "The fix removes `sp` with the separator before it; it is safe since no receiver reads it there.",
        references: &["RFC 9989 §4.7 (sp)", "RFC 9989 §4.10.1", "RFC 7489 §6.3"],
    },
};

impl Rule for SpIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            let Some(tag) = tag_named(entry, "sp") else {
                continue;
            };
            let owner = entry.txt.owner;
            let Some(domain) = owner.parent() else {
                continue;
            };
            if governs_subdomains(cx.settings, domain, &entry.record) {
                continue;
            }
            let org = super::organizational_domain(cx.settings, domain)
                .map_or_else(|| "the organizational domain".to_owned(), |o| text![o]);
            let text = written(cx.zone, tag.span());
            let mut report = sink
                .report(
                    tag.span(),
                    text![
                        "`",
                        text,
                        "` at ",
                        owner,
                        " has no effect: ",
                        domain,
                        " is below its organizational domain ",
                        org,
                        ", and receivers take `sp` only from the organizational domain's record"
                    ],
                )
                .help(text![
                    "Remove it; subdomains of ",
                    domain,
                    " get `sp` of ",
                    org,
                    "'s record unless they publish their own"
                ])
                .owner(owner);
            if let Some(fix) = remove_tag_fix(entry, tag, Applicability::Safe, &text) {
                report = report.fix(fix);
            }
            drop(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn sp_below_the_organizational_domain_is_ignored() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; sp=reject\""),
            "_dmarc.news TXT \"v=DMARC1; p=reject; sp=none; rua=mailto:d@example.com\"\n",
            &["DMARC021"],
            false,
        ));
    }

    #[test]
    fn sp_at_the_organizational_domain_or_with_psd_counts() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; sp=reject\""),
            "_dmarc.dept TXT \"v=DMARC1; p=reject; sp=reject; psd=n\"\n_dmarc.x TXT \"v=dmarc1; p=reject; sp=none\"\n",
            &["DMARC021"],
            false,
        );
        assert_eq!(found, "");
    }
}
