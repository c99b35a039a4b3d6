//! DMARC027 `dmarc-fo-without-ruf`.

use super::{policy_records, remove_tag_fix, tag_named, written};
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code};

/// `fo` in a record without `ruf`.
pub struct FoWithoutRuf;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC027", slug: "dmarc-fo-without-ruf" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::Safe,
    first_release: false,
    summary: "`fo` without `ruf` (ignored)",
    doc: RuleDoc {
        what: "Reports an `fo` tag in a DMARC record that receivers use and that has no `ruf` tag.",
        why: "`fo` chooses when failure reports are generated, and failure reports go only to `ruf` destinations (RFC 9989 §4.7 `fo`: it is ignored when `ruf` is absent). Without `ruf` the tag does nothing, which usually means the `ruf` was forgotten or removed.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com; fo=1\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "The fix removes `fo` with the separator before it; it is safe since no receiver uses it without `ruf`.",
        references: &["RFC 9989 §4.7 (fo)", "RFC 7489 §6.3"],
    },
};

impl Rule for FoWithoutRuf {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            if tag_named(entry, "ruf").is_some() {
                continue;
            }
            let Some(tag) = tag_named(entry, "fo") else {
                continue;
            };
            let owner = entry.txt.owner;
            let text = written(cx.zone, tag.span());
            let mut report = sink
                .report(tag.span(), text!["`", text, "` at ", owner, " has no effect: it selects failure reports, and the record has no `ruf` to send them to"])
                .help("Remove `fo`, or add `ruf=mailto:<address>` if you want failure reports")
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
    fn fo_without_ruf_is_removed() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; fo=1:d; rua=mailto:d@example.com\""),
            "",
            &["DMARC027"],
            false,
        ));
    }

    #[test]
    fn fo_with_ruf_or_no_fo() {
        for record in [
            "\"v=DMARC1; p=reject; fo=1; ruf=mailto:f@example.com\"",
            "\"v=DMARC1; p=reject; ruf=mailto:f@example.com\"",
            "\"v=DMARC1; p=reject\"",
            "\"v=dmarc1; p=reject; fo=1\"",
        ] {
            assert_eq!(
                lint_policy(Some(record), "", &["DMARC027"], false),
                "",
                "{record}"
            );
        }
    }
}
