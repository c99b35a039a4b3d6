//! SPF008 `spf-version-malformed`.

use crate::grammar::spf::{JoinPlacement, NearMiss, SpfProblemKind};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// A record that looks like SPF but will not be selected, or `v=spf1` in another case.
pub struct VersionMalformed;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF008", slug: "spf-version-malformed" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "looks like SPF but does not start with exactly `v=spf1` and a space",
    doc: RuleDoc {
        what: "Reports a TXT record that looks like SPF but that receivers will not select: whitespace before `v=spf1`, `v=spf1;`, `v=spf1a`, `v=spf 1`, `spf1 …`. `V=SPF1` (another case) is a warning: the ABNF is case-insensitive but §4.5 says \"exactly\", and implementations differ. A version broken by a string join is SPF027's.",
        why: "RFC 7208 §4.5: records that do not begin with exactly `v=spf1` followed by a space or the end are discarded. The name then has no SPF record at all, while its owner believes it has one (checkdmarc#258).",
        example: "shop TXT \" v=spf1 ip4:192.0.2.25 -all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\n",
        fix_safety: "No fix yet.",
        references: &["RFC 7208 §4.5", "RFC 7208 §12"],
    },
};

impl Rule for VersionMalformed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        for entry in mail.spf.iter().filter(|e| e.txt.rtype == RType::TXT) {
            let owner = entry.txt.owner;
            let broken_by_join = !entry.version.is_selected()
                && entry
                    .record
                    .joins
                    .iter()
                    .any(|j| j.placement == JoinPlacement::InsideVersion);
            if broken_by_join {
                continue;
            }
            for problem in &entry.problems {
                let (default, strict, why) = match &problem.kind {
                    SpfProblemKind::VersionCase => (
                        Level::Warning,
                        Level::Warning,
                        "is not exactly `v=spf1`: receivers that compare it exactly (RFC 7208 §4.5) ignore the record",
                    ),
                    SpfProblemKind::VersionMalformed(miss) => (
                        Level::Error,
                        Level::Error,
                        match miss {
                            NearMiss::LeadingWhitespace => "starts with whitespace, so receivers never select it as SPF",
                            NearMiss::BadSeparator => "is not followed by a space, so receivers never select it as SPF",
                            NearMiss::SpacedVersion => "has spaces inside `v=spf1`, so receivers never select it as SPF",
                            NearMiss::MissingTag => "lacks `v=`, so receivers never select it as SPF",
                        },
                    ),
                    _ => continue,
                };
                let written = String::from_utf8_lossy(
                    entry
                        .txt
                        .text
                        .as_bytes()
                        .get(..entry.txt.text.len().min(16))
                        .unwrap_or_default(),
                )
                .into_owned();
                if let Some(report) = sink.report_graded(
                    default,
                    strict,
                    problem.span,
                    format!(
                        "the SPF-looking record of {owner} (`{}`) {why}",
                        written.trim_end()
                    ),
                ) {
                    report
                        .help("The record must start with exactly `v=spf1` followed by a space")
                        .owner(owner);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn near_misses_are_errors_and_case_is_a_warning() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \" v=spf1 mx -all\"\nb TXT \"v=spf1;mx -all\"\nc TXT \"v=spf 1 -all\"\nd TXT \"spf1 mx -all\"\ne TXT \"V=SPF1 mx -all\"\n",
            &["SPF008"],
        ));
    }

    #[test]
    fn other_versions_and_exact_records_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf10 mx -all\"\nb TXT \"v=spf1\"\nc TXT \"v=spf1 -all\"\nd TXT \"v=spf\" \"1 -all\"\n",
            &["SPF008"],
        );
        assert_eq!(found, "");
    }
}
