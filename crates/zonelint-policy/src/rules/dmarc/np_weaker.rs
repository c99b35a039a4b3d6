//! DMARC010 `dmarc-np-weaker`.

use super::{governs_subdomains, policy_records, policy_tag};
use crate::grammar::dmarc::Policy;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// An `np` weaker than `sp` or `p`; in the strict profile, any `np` in force but reject.
pub struct NpWeaker;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC010", slug: "dmarc-np-weaker" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "`np` weaker than `sp`/`p`; strict wants `np=reject`",
    doc: RuleDoc {
        what: "Reports an explicit `np` weaker than the record's `sp` or `p`, in a record whose `np` receivers use (an organizational domain's, or one with `psd=n`/`psd=y`). In the strict profile it also reports a record whose policy for non-existent subdomains (`np`, else `sp`, else `p`) is not `reject`.",
        why: "Non-existent names (NXDOMAIN, RFC 9989 §3.2.13) never send legitimate mail, yet forged mail from made-up subdomains was the incident's abuse. They get `np`, then `sp`, then `p` (RFC 9989 §4.7), so an `np` weaker than those protects them least of all.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=none; rua=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix yet.",
        references: &["RFC 9989 §3.2.13", "RFC 9989 §4.7", "RFC 9989 §4.10.1", "RFC 9091"],
    },
};

impl Rule for NpWeaker {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx) {
            let record = &entry.record;
            if !record.valid_version || record.invalid_policy {
                continue;
            }
            let owner = entry.txt.owner;
            let Some(domain) = owner.parent() else {
                continue;
            };
            if !governs_subdomains(cx.settings, domain, record) {
                continue;
            }
            // Compared as written: `t=y` lowers every one of them alike.
            let values = record.values();
            let p = values.policy.unwrap_or(Policy::None);
            let sp = values.subdomain_policy;
            // Read once with its span, for both checks below.
            let np = record.nonexistent_policy();
            if let Some(np) = &np {
                let stronger = match sp {
                    Some(sp) if sp > np.value && sp >= p => Some(("sp", sp)),
                    _ if p > np.value => Some(("p", p)),
                    Some(sp) if sp > np.value => Some(("sp", sp)),
                    _ => None,
                };
                if let Some((tag, policy)) = stronger {
                    let span = policy_tag(entry, "np").unwrap_or(np.span);
                    let np = np.value.as_str();
                    let policy = policy.as_str();
                    if let Some(report) = sink.report_graded(Level::Warning, Level::Error, span, format!("`np={np}` is weaker than `{tag}={policy}` at {owner}: non-existent subdomains of {domain}, which never send mail, get only `{np}`")) {
                        report.help("Set `np=reject` (non-existent names never send mail)").owner(owner);
                    }
                    continue;
                }
            }
            // The strict profile wants `np=reject` in force (semantics.md §1).
            let (tag, in_force) = match (&np, sp) {
                (Some(np), _) => ("np", np.value),
                (None, Some(sp)) => ("sp", sp),
                (None, None) => ("p", p),
            };
            if in_force == Policy::Reject {
                continue;
            }
            let span = policy_tag(entry, tag)
                .or_else(|| record.tags.first().map(|t| t.span()))
                .unwrap_or(entry.txt.span());
            let from = if tag == "np" {
                String::new()
            } else {
                format!(" (from `{tag}`, as there is no `np`)")
            };
            let in_force = in_force.as_str();
            if let Some(report) = sink.report_graded(Level::Off, Level::Error, span, format!("non-existent subdomains of {domain} get `{in_force}`{from} at {owner}; the strict profile wants `np=reject`")) {
                report.help("Add `np=reject` (non-existent names never send mail)").owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn weaker_np_in_both_profiles() {
        let record = Some("\"v=DMARC1; p=reject; sp=reject; np=quarantine\"");
        insta::assert_snapshot!(format!(
            "{}{}",
            lint_policy(record, "", &["DMARC010"], false),
            lint_policy(record, "", &["DMARC010"], true)
        ));
    }

    #[test]
    fn strict_wants_reject_for_nonexistent_names() {
        insta::assert_snapshot!(format!(
            "{}{}",
            lint_policy(Some("\"v=DMARC1; p=quarantine\""), "", &["DMARC010"], true),
            lint_policy(
                Some("\"v=DMARC1; p=reject; sp=none\""),
                "",
                &["DMARC010"],
                true
            )
        ));
    }

    #[test]
    fn not_reported() {
        for record in [
            "\"v=DMARC1; p=reject\"",
            "\"v=DMARC1; p=reject; np=reject; t=y\"",
            "\"v=DMARC1; p=quarantine; sp=none; np=reject\"",
            "\"v=dmarc1; p=reject; np=none\"",
        ] {
            assert_eq!(
                lint_policy(Some(record), "", &["DMARC010"], true),
                "",
                "{record}"
            );
        }
        // Default profile: no explicit np weaker than sp/p.
        assert_eq!(
            lint_policy(Some("\"v=DMARC1; p=quarantine\""), "", &["DMARC010"], false),
            ""
        );
        // Below the organizational domain np is not read.
        let below = lint_policy(
            Some("\"v=DMARC1; p=reject; np=reject\""),
            "_dmarc.news TXT \"v=DMARC1; p=reject; np=none\"\n",
            &["DMARC010"],
            true,
        );
        assert_eq!(below, "");
    }
}
