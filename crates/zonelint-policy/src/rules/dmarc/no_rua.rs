//! DMARC014 `dmarc-no-rua`.

use super::policy_records;
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A policy record without `rua`: nobody gets aggregate reports.
pub struct NoRua;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC014", slug: "dmarc-no-rua" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "no `rua`, so no aggregate reports and no visibility into abuse",
    doc: RuleDoc {
        what: "Reports a DMARC record that receivers use and that has no `rua` tag. (A `rua` whose URIs are all unusable is DMARC015's.)",
        why: "Aggregate reports are the only way a domain owner learns who sends mail in its name, legitimate or forged; without `rua` receivers send none (RFC 9989 §4.7). RFC 9989 §8 makes aggregate reporting part of conformance for a domain owner, and moving to `p=reject` safely depends on reading those reports.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix: the report address is the domain owner's choice.",
        references: &["RFC 9989 §4.7 (rua)", "RFC 9989 §8", "RFC 9990"],
    },
};

impl Rule for NoRua {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version && !e.record.has_rua) {
            let owner = entry.txt.owner;
            let Some(domain) = owner.parent() else {
                continue;
            };
            let Some(version) = entry.record.tags.first() else {
                continue;
            };
            sink.report(version.span(), text!["the DMARC record at ", owner, " has no `rua` tag: receivers send no aggregate reports, so nobody sees who sends mail as ", domain])
                .help("Add `rua=mailto:<address>` (for example `rua=mailto:dmarc@<your domain>`)")
                .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn records_without_rua_are_reported_at_the_version() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; ruf=mailto:f@example.com\""),
            "_dmarc.news TXT \"v=DMARC1; p=reject\"\n",
            &["DMARC014"],
            false,
        ));
    }

    #[test]
    fn rua_present_even_unusable_or_a_discarded_record() {
        for record in [
            "\"v=DMARC1; p=reject; rua=mailto:d@example.com\"",
            "\"v=DMARC1; p=reject; RUA=dmarc@example.com\"",
            "\"v=dmarc1; p=reject\"",
        ] {
            assert_eq!(
                lint_policy(Some(record), "", &["DMARC014"], false),
                "",
                "{record}"
            );
        }
    }
}
