//! DMARC013 `dmarc-p-not-second`.

use super::{policy_records, remove_tag, tag_named, written};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Edit, Fix};

/// A `p` tag that does not directly follow `v=DMARC1`.
pub struct PNotSecond;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC013", slug: "dmarc-p-not-second" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::Safe,
    first_release: false,
    summary: "`p` is not the second tag (RFC 7489's grammar requires it; RFC 9989's does not)",
    doc: RuleDoc {
        what: "Reports a `p` tag that is not the tag right after `v=DMARC1` in a DMARC record that receivers use.",
        why: "RFC 7489's grammar puts `p` directly after `v` (§6.4: `dmarc-record = dmarc-version dmarc-sep [dmarc-request] …`), and parsers written to it may discard a record that has another order, leaving the domain without DMARC for them. RFC 9989 allows any order after `v` (§4.8), so this is only a compatibility note.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; rua=mailto:dmarc@example.com; p=reject; sp=reject; np=reject\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "The fix moves `p` right after `v=DMARC1`; it is safe: receivers that read the record today read the same policy, and parsers that discarded it start applying what was published. No fix when a moved piece would cross a string join.",
        references: &["RFC 7489 §6.4", "RFC 9989 §4.8"],
    },
};

impl Rule for PNotSecond {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for entry in policy_records(cx).filter(|e| e.record.valid_version) {
            let tags = &entry.record.tags;
            let Some(p) = tag_named(entry, "p") else {
                continue;
            };
            let Some(second) = tags.get(1) else { continue };
            if second.range == p.range {
                continue;
            }
            let owner = &entry.txt.owner;
            let text = written(cx.zone, p.span);
            let after = written(cx.zone, second.name_span);
            let mut report = sink
                .report(p.span, format!("`{text}` at {owner} comes after `{after}`: parsers that follow RFC 7489's grammar expect `p` right after `v=DMARC1` and may discard the record"))
                .help(format!("Put `{text}` right after `v=DMARC1;`"))
                .owner(owner.clone());
            if let Some(fix) = move_to_second(entry, p, &text) {
                report = report.fix(fix);
            }
            drop(report);
        }
    }
}

/// Deletes `p` with its separator and inserts it after `v=DMARC1`.
fn move_to_second(
    entry: &crate::mail::DmarcEntry<'_>,
    p: &crate::grammar::tag_list::Tag<'_>,
    text: &str,
) -> Option<Fix> {
    let version = entry.record.tags.first()?;
    let removal = remove_tag(entry, p)?;
    // The written form of `p` is copied as is, so it must lie within one string.
    if super::super::spf::crosses_join(&entry.txt.text, &p.range) {
        return None;
    }
    let at = entry.txt.text.span(version.range.end..version.range.end);
    Some(Fix {
        applicability: Applicability::Safe,
        message: format!("Move `{text}` right after `v=DMARC1`"),
        edits: vec![
            Edit {
                span: at,
                content: format!("; {text}"),
            },
            removal,
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn p_after_other_tags_is_moved() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; rua=mailto:d@example.com; P=reject; sp=reject\""),
            "_dmarc.news TXT \"v=DMARC1;adkim=s;p=reject;\"\n",
            &["DMARC013"],
            false,
        ));
    }

    #[test]
    fn p_second_absent_or_in_a_discarded_record() {
        for record in [
            "\"v=DMARC1; p=reject; rua=mailto:d@example.com\"",
            "\"v=DMARC1 ; p = reject\"",
            "\"v=DMARC1; rua=mailto:d@example.com\"",
            "\"rua=mailto:d@example.com; v=DMARC1; p=reject\"",
        ] {
            assert_eq!(
                lint_policy(Some(record), "", &["DMARC013"], false),
                "",
                "{record}"
            );
        }
    }
}
