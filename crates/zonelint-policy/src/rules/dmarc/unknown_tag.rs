//! DMARC005 `dmarc-unknown-tag`.

use super::{report_problems, Described};
use crate::grammar::dmarc::DmarcProblemKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A tag DMARC does not define, ignored by receivers.
pub struct UnknownTag;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC005", slug: "dmarc-unknown-tag" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: false,
    summary: "unknown tag, ignored; suggests the nearest known tag",
    doc: RuleDoc {
        what: "Reports a tag of a DMARC record that neither RFC 9989 nor RFC 7489 defines, with the nearest known tag when it looks like a typo (`rue` for `rua`).",
        why: "Receivers MUST ignore unknown tags (RFC 9989 §4.7, §4.8), so a misspelt tag silently does nothing: `rue=` sends no reports, `sp_=` leaves subdomains at `p`.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rue=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix: the intended tag is a guess.",
        references: &["RFC 9989 §4.7", "RFC 9989 §4.8"],
    },
};

impl Rule for UnknownTag {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_problems(cx, sink, "DMARC005", |entry, kind, text| {
            let DmarcProblemKind::UnknownTag { suggestion } = kind else {
                return None;
            };
            let owner = entry.txt.owner;
            let help = match suggestion {
                Some(known) => format!("Did you mean `{known}`?"),
                None => {
                    "Remove it; DMARC's tags are v, p, sp, np, psd, t, rua, ruf, adkim, aspf and fo"
                        .to_owned()
                }
            };
            Some(Described::new(
                format!(
                    "unknown tag `{text}` in the DMARC record at {owner} is ignored by receivers"
                ),
                help,
            ))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn unknown_tags_with_and_without_a_suggestion() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; rue=mailto:d@example.com; colour=blue\""),
            "",
            &["DMARC005"],
            false,
        ));
    }

    #[test]
    fn removed_tags_are_known() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=reject; pct=100; rf=afrf; ri=86400\""),
            "",
            &["DMARC005"],
            false,
        );
        assert_eq!(found, "");
    }
}
