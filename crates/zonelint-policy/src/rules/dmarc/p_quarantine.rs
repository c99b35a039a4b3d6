//! DMARC008 `dmarc-p-quarantine`.

use super::{policy_records, policy_tag};
use crate::grammar::dmarc::Policy;
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A DMARC record with `p=quarantine`.
pub struct PQuarantine;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC008", slug: "dmarc-p-quarantine" },
    default: Level::Info,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "`p=quarantine`",
    doc: RuleDoc {
        what: "Reports `p=quarantine` in a DMARC record that receivers use.",
        why: "Quarantined mail is accepted and filed as spam, so failures stay invisible: nobody gets a bounce, as in the incident. `p=reject` turns them into SMTP rejections that senders see. RFC 9989 §7.4 notes the trade-off: domains whose users post to mailing lists may prefer not to reject; that is why this is only information outside the strict profile.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=quarantine; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix: moving to `p=reject` is a policy decision.",
        references: &["RFC 9989 §4.7", "RFC 9989 §7.4", "RFC 7489 §6.3"],
    },
};

impl Rule for PQuarantine {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            if entry.record.values().policy != Some(Policy::Quarantine) {
                continue;
            }
            let Some(span) = policy_tag(entry, "p") else {
                continue;
            };
            let owner = entry.txt.owner;
            sink.report(
                span,
                text![
                    "`p=quarantine` at ",
                    owner,
                    ": failing mail is filed as spam, where nobody sees the failures"
                ],
            )
            .help("`p=reject` makes failures visible as SMTP rejections")
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn quarantine_is_information_by_default_and_an_error_when_strict() {
        let record = Some("\"v=DMARC1; p=quarantine; sp=reject\"");
        insta::assert_snapshot!(format!(
            "{}{}",
            lint_policy(record, "", &["DMARC008"], false),
            lint_policy(record, "", &["DMARC008"], true)
        ));
    }

    #[test]
    fn sp_quarantine_is_not_p_quarantine() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; sp=quarantine\""),
            "",
            &["DMARC008"],
            false,
        );
        assert_eq!(found, "");
    }
}
