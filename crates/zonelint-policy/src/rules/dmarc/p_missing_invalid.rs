//! DMARC006 `dmarc-p-missing-invalid`.

use super::{report_problems, Described};
use crate::grammar::dmarc::DmarcProblemKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A DMARC record without `p`, or with an invalid `p`, `sp` or `np`.
pub struct PMissingInvalid;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC006", slug: "dmarc-p-missing-invalid" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "`p` absent, or `p`/`sp`/`np` invalid",
    doc: RuleDoc {
        what: "Reports a DMARC record with no `p` tag, and a `p`, `sp` or `np` whose value is not `none`, `quarantine` or `reject`. Records whose version is wrong are DMARC003's.",
        why: "Without `p` a record is treated as `p=none` (RFC 9989 §4.7; RFC 7489 §6.6.3 treats a record without a valid `p` so only when it has a valid `rua`). An invalid `p`, `sp` or `np` makes receivers apply `p=none` when the record has a valid `rua` URI, and no DMARC at all otherwise (RFC 9989 §4.10.1; RFC 7489 §6.6.3 step 6).",
        example: example_zone!("_dmarc TXT \"v=DMARC1; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix: `p=reject` is the goal, but only after the reports show that legitimate mail passes.",
        references: &["RFC 9989 §4.7", "RFC 9989 §4.10.1", "RFC 7489 §6.3", "RFC 7489 §6.6.3"],
    },
};

impl Rule for PMissingInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_problems(cx, sink, "DMARC006", |entry, kind, text| {
            // A record receivers discard for its version applies nothing: DMARC003 says so.
            if !entry.record.valid_version {
                return None;
            }
            let owner = entry.txt.owner;
            match kind {
                DmarcProblemKind::PolicyMissing => {
                    // RFC 7489 §6.6.3 step 6 reads a record without a valid `p` as
                    // `p=none` only when it has a valid `rua`; RFC 9989 §4.7 always does.
                    let effect = if entry.record.rua.is_empty() {
                        "RFC 9989 receivers treat it as `p=none` (monitoring only), and RFC 7489 receivers, as it has no valid `rua`, apply no DMARC at all"
                    } else {
                        "receivers treat it as `p=none` (monitoring only)"
                    };
                    Some(Described::new(
                        format!("the DMARC record at {owner} has no `p` tag: {effect}"),
                        "Add `p=reject` (or `p=quarantine` while reviewing reports)",
                    ))
                }
                DmarcProblemKind::InvalidValue { tag } => {
                    let effect = if entry.record.rua.is_empty() {
                        "with no valid `rua`, receivers apply no DMARC at all"
                    } else {
                        "receivers treat the record as `p=none`"
                    };
                    Some(Described::new(
                        format!("`{text}` is not a policy (`none`, `quarantine`, `reject`) for `{tag}` in the DMARC record at {owner}: {effect}"),
                        format!("Use `{tag}=reject`"),
                    ))
                }
                _ => None,
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn missing_and_invalid_policies() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; rua=mailto:d@example.com\""),
            "_dmarc.z TXT \"v=DMARC1; sp=reject\"\n_dmarc.a TXT \"v=DMARC1; p=rejct; rua=mailto:d@example.com\"\n_dmarc.b TXT \"v=DMARC1; p=reject; sp=no\"\n_dmarc.c TXT \"v=DMARC1; p=reject; np=nonee\"\n",
            &["DMARC006"],
            false,
        ));
    }

    #[test]
    fn discarded_records_and_valid_policies_are_not_reported() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=Reject\""),
            "_dmarc.a TXT \"v=dmarc1; p=rejct\"\n_dmarc.b TXT \"v=DMARC1; p=none\"\n",
            &["DMARC006"],
            false,
        );
        assert_eq!(found, "");
    }
}
