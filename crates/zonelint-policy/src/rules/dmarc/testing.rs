//! DMARC011 `dmarc-testing`.

use super::{governs_subdomains, policy_records, remove_tag_fix, tag_named, written};
use crate::grammar::dmarc::{DmarcRecord, Policy};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code};

/// A policy record in testing mode: `t=y`, or `pct` below 100.
pub struct Testing;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC011", slug: "dmarc-testing" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "`t=y`, or `pct` below 100: the policy is applied one level weaker",
    doc: RuleDoc {
        what: "Reports `t=y` and `pct` values below 100 in a DMARC record that receivers use, when the record asks for more than `none` (in `p`, `sp` or `np`), since only then does testing change anything.",
        why: "With `t=y`, RFC 9989 receivers apply the policy one level weaker: `reject` as `quarantine`, `quarantine` as `none` (RFC 9989 §4.7, Appendix A.6). RFC 9989 removed `pct`, but RFC 7489 receivers still honour it: mail not in the sampled percentage gets the next weaker policy (RFC 7489 §6.3, §6.6.4). Either way the published policy is not what failing mail gets.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; t=y; rua=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "The fix removes `t=y` or `pct`; it is unsafe because receivers then apply the full policy to mail that only gets the weaker one today.",
        references: &["RFC 9989 §4.7 (t)", "RFC 9989 Appendix A.6", "RFC 7489 §6.3 (pct)", "RFC 7489 §6.6.4"],
    },
};

impl Rule for Testing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            let record = &entry.record;
            let owner = entry.txt.owner;
            let governs = owner
                .parent()
                .is_some_and(|domain| governs_subdomains(cx.settings, domain, record));
            let Some(strongest) = strongest_request(record, governs) else {
                continue;
            };
            if strongest == Policy::None {
                continue;
            }
            let (strong, weak) = (strongest.as_str(), strongest.weaker().as_str());
            if record.values().testing == Some(true) {
                if let Some(tag) = tag_named(entry, "t") {
                    let text = written(cx.zone, tag.span());
                    let mut report = sink
                        .report(tag.span(), format!("`{text}` at {owner} puts the policy in testing mode: RFC 9989 receivers apply it one level weaker, `{strong}` as `{weak}`"))
                        .help("Remove `t=y` once the aggregate reports show that legitimate mail passes")
                        .owner(owner);
                    if let Some(fix) = remove_tag_fix(entry, tag, Applicability::Unsafe, &text) {
                        report = report.fix(fix);
                    }
                    drop(report);
                }
            }
            if let Some(percent) = record.percent().filter(|p| p.value < 100) {
                if let Some(tag) = tag_named(entry, "pct") {
                    let text = written(cx.zone, tag.span());
                    let rest = 100 - percent.value;
                    let mut report = sink
                        .report(tag.span(), format!("`{text}` at {owner}: RFC 7489 receivers apply the policy to {}% of failing mail and the next weaker one (`{weak}` for `{strong}`) to the other {rest}%", percent.value))
                        .help("Remove `pct` (RFC 9989 receivers ignore it) once the aggregate reports show that legitimate mail passes")
                        .owner(owner);
                    if let Some(fix) = remove_tag_fix(entry, tag, Applicability::Unsafe, &text) {
                        report = report.fix(fix);
                    }
                    drop(report);
                }
            }
        }
    }
}

/// The strongest of the record's requested `p`, `sp` and `np` (before testing); `sp` and
/// `np` count only where receivers read them (`governs`, [`governs_subdomains`]).
fn strongest_request(record: &DmarcRecord<'_>, governs: bool) -> Option<Policy> {
    let requested = record.requested_policy()?;
    let below = |p: Option<crate::grammar::Located<Policy>>| p.filter(|_| governs).map(|p| p.value);
    [
        Some(requested),
        below(record.subdomain_policy()),
        below(record.nonexistent_policy()),
    ]
    .into_iter()
    .flatten()
    .max()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn testing_flag_and_sampling_are_reported_with_an_unsafe_fix() {
        let record = Some("\"v=DMARC1; p=reject; t=y; pct=20; rua=mailto:d@example.com\"");
        insta::assert_snapshot!(format!(
            "{}{}",
            lint_policy(record, "", &["DMARC011"], false),
            lint_policy(
                None,
                "_dmarc TXT \"v=DMARC1; p=none; sp=quarantine; pct=0\"\n_dmarc.news TXT \"v=DMARC1; p=quarantine; T=Y\"\n",
                &["DMARC011"],
                true
            )
        ));
    }

    #[test]
    fn no_testing_nothing_to_weaken_or_a_discarded_record() {
        for record in [
            "\"v=DMARC1; p=reject; t=n; pct=100\"",
            "\"v=DMARC1; p=none; t=y; pct=10\"",
            "\"v=dmarc1; p=reject; t=y\"",
            "\"v=DMARC1; p=bogus; t=y\"",
        ] {
            assert_eq!(
                lint_policy(Some(record), "", &["DMARC011"], false),
                "",
                "{record}"
            );
        }
        // `sp` is ignored below the organizational domain, so there is nothing to weaken.
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject\""),
            "_dmarc.news TXT \"v=DMARC1; p=none; sp=reject; t=y\"\n",
            &["DMARC011"],
            false,
        );
        assert_eq!(found, "");
    }

    #[test]
    fn a_tag_split_across_strings_gets_no_fix() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; t\" \"=y\""),
            "",
            &["DMARC011"],
            false,
        );
        assert!(
            found.contains("testing mode") && !found.contains("fix"),
            "{found}"
        );
    }
}
