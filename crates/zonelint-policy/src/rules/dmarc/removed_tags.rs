//! DMARC012 `dmarc-removed-tags`.

use super::{policy_records, remove_tag_fix, written};
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code};

/// A tag that RFC 9989 removed: `pct`, `rf`, `ri`.
pub struct RemovedTags;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC012", slug: "dmarc-removed-tags" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::Safe,
    first_release: false,
    summary: "`pct`, `rf` or `ri` present (removed in RFC 9989)",
    doc: RuleDoc {
        what: "Reports the tags RFC 9989 removed, `pct`, `rf` and `ri`, in a DMARC record that receivers use. A `pct` below 100 is also a testing mode, which DMARC011 reports.",
        why: "RFC 9989 removed `rf` and `ri` (Appendix C.5.2) and `pct` (Appendix A.6); its receivers ignore them as unknown tags (§4.7). RFC 7489 receivers still read them, but `rf` has one value (`afrf`) and `ri` is a request that few honour, so they are clutter; `pct=100` is the RFC 7489 default and may stay for tools that want to see it.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com; ri=3600\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "The fix removes `rf` or `ri` with the separator before it; it is safe since neither changes what happens to mail. `pct` gets no fix: `pct=100` may stay, and removing a lower value is DMARC011's unsafe fix.",
        references: &["RFC 9989 Appendix C.5.2", "RFC 9989 Appendix A.6", "RFC 9989 §4.7", "RFC 7489 §6.3"],
    },
};

impl Rule for RemovedTags {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            let owner = entry.txt.owner;
            let mut seen: Vec<&str> = Vec::new();
            for tag in &entry.record.tags {
                let Some(name) = ["pct", "rf", "ri"].into_iter().find(|n| tag.is(n)) else {
                    continue;
                };
                // A duplicate is DMARC004's; the first occurrence is the one read.
                if seen.contains(&name) {
                    continue;
                }
                seen.push(name);
                let text = written(cx.zone, tag.span());
                let (message, help) = match name {
                    "pct" => (
                        text!["`", text, "` at ", owner, " was removed in RFC 9989; only RFC 7489 receivers read it"],
                        "`pct=100` is harmless and may stay for old receivers; a lower value is a testing mode (DMARC011)",
                    ),
                    "rf" => (
                        text!["`", text, "` at ", owner, " was removed in RFC 9989 and has no effect on receivers that follow it"],
                        "Remove it: failure reports use the one format RFC 7489 defined anyway",
                    ),
                    _ => (
                        text!["`", text, "` at ", owner, " was removed in RFC 9989; receivers that follow it ignore the requested interval"],
                        "Remove it",
                    ),
                };
                let mut report = sink.report(tag.span(), message).help(help).owner(owner);
                if name != "pct" {
                    if let Some(fix) = remove_tag_fix(entry, tag, Applicability::Safe, &text) {
                        report = report.fix(fix);
                    }
                }
                drop(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn removed_tags_are_reported_with_safe_fixes_for_rf_and_ri() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; pct=100; rf=afrf; RI=86400; rua=mailto:d@example.com\""),
            "",
            &["DMARC012"],
            false,
        ));
    }

    #[test]
    fn current_tags_and_discarded_records_are_not_reported() {
        for record in [
            "\"v=DMARC1; p=reject; sp=reject; np=reject; t=n; psd=u; fo=1; adkim=s; aspf=r\"",
            "\"v=dmarc1; p=reject; ri=3600\"",
        ] {
            assert_eq!(
                lint_policy(Some(record), "", &["DMARC012"], false),
                "",
                "{record}"
            );
        }
    }
}
