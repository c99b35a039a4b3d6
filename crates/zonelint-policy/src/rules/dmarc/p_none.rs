//! DMARC007 `dmarc-p-none`.

use super::{policy_records, policy_tag};
use crate::grammar::dmarc::Policy;
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A DMARC record with `p=none`.
pub struct PNone;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC007", slug: "dmarc-p-none" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "`p=none` (monitoring only)",
    doc: RuleDoc {
        what: "Reports `p=none` in a DMARC record that receivers use (its version is right).",
        why: "`p=none` asks receivers to take no action on mail that fails DMARC (RFC 9989 §3.2.12, §4.7): it only produces reports. Forged mail from the domain is delivered as if there were no DMARC, which is what the incident's domain had.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=none; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix: move to `p=reject` once the aggregate reports show that legitimate mail passes.",
        references: &["RFC 9989 §3.2.12", "RFC 9989 §4.7", "RFC 7489 §6.3"],
    },
};

impl Rule for PNone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            if entry.record.values().policy != Some(Policy::None) {
                continue;
            }
            let Some(span) = policy_tag(entry, "p") else {
                continue;
            };
            let owner = entry.txt.owner;
            let domain = owner.parent().unwrap_or(owner);
            sink.report(
                span,
                text![
                    "`p=none` at ",
                    owner,
                    " only monitors: receivers deliver forged mail from ",
                    domain,
                    " as if it had no DMARC policy"
                ],
            )
            .help("Move to `p=reject` after reviewing the aggregate reports")
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn p_none_is_reported_at_the_tag() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=none; rua=mailto:d@example.com\""),
            "_dmarc.news TXT \"v=DMARC1; p=None\"\n",
            &["DMARC007"],
            false,
        ));
    }

    #[test]
    fn absent_p_discarded_records_and_sp_none_are_not_p_none() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; sp=none\""),
            "_dmarc.a TXT \"v=DMARC1; rua=mailto:d@example.com\"\n_dmarc.b TXT \"v=dmarc1; p=none\"\n",
            &["DMARC007"],
            false,
        );
        assert_eq!(found, "");
    }

    #[test]
    fn occluded_and_type_99_records_are_never_answered() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject\""),
            "child NS ns1.example.net.\n_dmarc.child TXT \"v=DMARC1; p=none\"\n_dmarc.x SPF \"v=DMARC1; p=none\"\n",
            &["DMARC007"],
            false,
        );
        assert_eq!(found, "");
    }
}
