//! DMARC004 `dmarc-syntax`.

use super::{report_problems, Described};
use crate::grammar::dmarc::DmarcProblemKind;
use crate::grammar::tag_list::TagListProblemKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A DMARC record that breaks the tag-list grammar or has an invalid value.
pub struct Syntax;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DMARC004", slug: "dmarc-syntax" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "tag-list syntax errors, invalid values, duplicate tags, comma separators",
    doc: RuleDoc {
        what: "Reports tag-list errors in a DMARC record (empty tags, a tag without `=`, a bad tag name, a duplicate tag, commas or spaces instead of `;`) and invalid values of `adkim`, `aspf`, `fo`, `psd`, `t`, `pct`, `rf` and `ri`. Invalid `p`, `sp` and `np` values are DMARC006's.",
        why: "The record is a tag-list with `;` separators (RFC 9989 §4.8, after RFC 6376 §3.2); a duplicate tag makes the whole list invalid, and receivers fall back to defaults for values they cannot read (`fo=0`, relaxed alignment), so what the record says is not what receivers do. With commas, `DMARC1, p=reject, …` is read as the version value and the record is discarded.",
        example: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; adkim=relaxed; rua=mailto:dmarc@example.com\"\n"),
        use_instead: example_zone!("_dmarc TXT \"v=DMARC1; p=reject; sp=reject; np=reject; adkim=r; rua=mailto:dmarc@example.com\"\n"),
        fix_safety: "No fix yet.",
        references: &["RFC 9989 §4.7", "RFC 9989 §4.8", "RFC 6376 §3.2", "RFC 7489 §6.4"],
    },
};

/// The values a tag accepts, for the help line.
fn valid_values(tag: &str) -> &'static str {
    match tag {
        "adkim" | "aspf" => "`r` (relaxed) or `s` (strict)",
        "fo" => "`0` or `1`, and `d` and `s`, separated by `:` (`fo=1:d`)",
        "psd" => "`y`, `n` or `u`",
        "t" => "`y` or `n`",
        "pct" => "a whole number from 0 to 100",
        "ri" => "a number of seconds",
        "rf" => "`afrf`",
        _ => "those of RFC 9989 §4.7",
    }
}

impl Rule for Syntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_problems(cx, sink, "DMARC004", |entry, kind, text| {
            let owner = entry.txt.owner;
            Some(match kind {
                DmarcProblemKind::BadSeparator => Described::new(
                    format!("the DMARC record at {owner} separates tags with commas or spaces, so receivers read `{text}` as the version and discard the record"),
                    "Separate tags with `;`: `v=DMARC1; p=reject; …`",
                ),
                DmarcProblemKind::InvalidValue { tag } => Described::new(
                    format!("`{text}` is not a valid `{tag}` value in the DMARC record at {owner}; receivers use the default instead"),
                    format!("Valid values of `{tag}` are {}", valid_values(tag)),
                ),
                DmarcProblemKind::ExclusiveFailureOptions => Described::new(
                    format!("`fo={text}` at {owner} combines `0` and `1`, which exclude each other; receivers fall back to `fo=0`"),
                    "Use `fo=1` (report when any mechanism fails) or `fo=0` (when all fail)",
                ),
                DmarcProblemKind::TagList(list) => match list {
                    TagListProblemKind::EmptyTag => Described::new(
                        format!("empty tag (`;;` or a leading `;`) in the DMARC record at {owner}"),
                        "Remove the extra `;`",
                    ),
                    TagListProblemKind::MissingEquals => Described::new(
                        format!("`{text}` in the DMARC record at {owner} has no `=`, so it is not a tag"),
                        "Write tags as `name=value`, separated by `;`",
                    ),
                    TagListProblemKind::InvalidName => Described::new(
                        format!("`{text}` is not a valid tag name in the DMARC record at {owner}"),
                        "Tag names are letters, digits and `_`, starting with a letter",
                    ),
                    TagListProblemKind::InvalidValueChar => Described::new(
                        format!("a control or non-ASCII character in `{text}` in the DMARC record at {owner}"),
                        "Use printable ASCII only; percent-encode what a URI needs",
                    ),
                    TagListProblemKind::Duplicate { first } => Described {
                        message: format!("`{text}` repeats a tag of the DMARC record at {owner}; a duplicate tag makes the whole record invalid"),
                        help: "Keep one of the two".to_owned(),
                        related: Some((*first, "first written here".to_owned())),
                    },
                },
                _ => return None,
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::lint_policy;

    #[test]
    fn syntax_errors_and_invalid_values() {
        insta::assert_snapshot!(lint_policy(
            Some("\"v=DMARC1; p=reject; adkim=relaxed; fo=0:1; p=none\""),
            "_dmarc.a TXT \"v=DMARC1, p=reject, adkim=relaxed\"\n_dmarc.b TXT \"v=DMARC1;; p=reject; pct=101; t=yes; noequals\"\n",
            &["DMARC004"],
            false,
        ));
    }

    #[test]
    fn valid_records_and_policy_values_are_not_reported() {
        let found = lint_policy(
            Some("\"v=DMARC1; p=rejct; sp=no\""),
            "_dmarc.a TXT \"v=DMARC1 ; p = quarantine ; adkim=s; aspf=r; fo=1:d:s; psd=n; t=n;\"\n",
            &["DMARC004"],
            false,
        );
        assert_eq!(found, "");
    }
}
