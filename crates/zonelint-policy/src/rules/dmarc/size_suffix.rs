//! DMARC016 `dmarc-size-suffix`.

use super::{report_problems, Described};
use crate::grammar::dmarc::DmarcProblemKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// The obsolete `!size` suffix on a report URI.
pub struct SizeSuffix;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC016", slug: "dmarc-size-suffix" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::None,
    first_release: false,
    summary: "`!10m` size suffix on a report URI (obsolete)",
    doc: RuleDoc {
        what: "Reports a size limit (`!10m`) after a `rua` or `ruf` URI.",
        why: "RFC 7489 §6.2 let a domain cap report sizes this way; RFC 9989 keeps the syntax only as `obs-dmarc-report-size` (§4.8), and reporters ignore it. It is harmless but does nothing.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com!10m\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix yet.",
        references: &["RFC 9989 §4.8", "RFC 7489 §6.2"],
    },
};

impl Rule for SizeSuffix {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_problems(cx, sink, "DMARC016", |entry, kind, text| {
            matches!(kind, DmarcProblemKind::SizeSuffix).then(|| {
                Described::new(
                    format!(
                        "obsolete size limit `{text}` on a report URI at {}: reporters ignore it",
                        entry.txt.owner
                    ),
                    "Drop the size suffix",
                )
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn size_suffixes() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; rua=mailto:a@example.com!10m, mailto:b@example.com!5\""),
            "",
            &["DMARC016"],
            false,
        ));
    }
}
