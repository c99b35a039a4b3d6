//! DKIM001 `dkim-syntax`.

use super::report_problems;
use crate::grammar::dkim::DkimProblemKind;
use crate::grammar::tag_list::TagListProblemKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A DKIM key record that breaks the tag-list grammar or the version rules.
pub struct Syntax;

static META: RuleMeta = RuleMeta {
    code: Code { code: "DKIM001", slug: "dkim-syntax" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "tag-list errors, duplicate tags, `v` not first or not `DKIM1`",
    doc: RuleDoc {
        what: "Reports tag-list errors in a key record at `<selector>._domainkey` (empty tags, a tag without `=`, a bad tag name, a duplicate tag), a `v` tag that is not first or not `DKIM1`, and malformed `h`, `s` or `t` lists.",
        why: "A duplicate tag makes the whole tag-list invalid (RFC 6376 §3.2). `v`, when present, MUST be the first tag and MUST be `DKIM1`; records beginning with another version MUST be discarded (§3.6.1). Verifiers that discard the key record fail every signature made with the selector.",
        example: "s1._domainkey TXT \"k=ed25519; v=DKIM1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        use_instead: "s1._domainkey TXT \"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\"\n",
        fix_safety: "No fix yet.",
        references: &["RFC 6376 §3.2", "RFC 6376 §3.6.1"],
    },
};

impl Rule for Syntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        report_problems(cx, sink, "DKIM001", |key, kind, text| {
            let owner = key.txt.owner;
            Some(match kind {
                DkimProblemKind::VersionNotFirst => (
                    format!("`{text}` is not the first tag of the key record at {owner}; RFC 6376 requires `v` first"),
                    "Start the record with `v=DKIM1;`".to_owned(),
                    None,
                ),
                DkimProblemKind::VersionValue => (
                    format!("`v={text}` at {owner} is not `DKIM1`, so verifiers discard the key record"),
                    "Use `v=DKIM1`, or leave `v` out".to_owned(),
                    None,
                ),
                DkimProblemKind::InvalidValue { tag } => (
                    format!("`{text}` is not a valid `{tag}` list in the key record at {owner}"),
                    format!("`{tag}=` takes a colon-separated list ({})", match *tag {
                        "h" => "`sha256`",
                        "s" => "`*` or `email`",
                        _ => "`y`, `s`",
                    }),
                    None,
                ),
                DkimProblemKind::TagList(list) => match list {
                    TagListProblemKind::EmptyTag => (
                        format!("empty tag (`;;` or a leading `;`) in the key record at {owner}"),
                        "Remove the extra `;`".to_owned(),
                        None,
                    ),
                    TagListProblemKind::MissingEquals => (
                        format!("`{text}` in the key record at {owner} has no `=`, so it is not a tag"),
                        "Write tags as `name=value`, separated by `;`".to_owned(),
                        None,
                    ),
                    TagListProblemKind::InvalidName => (
                        format!("`{text}` is not a valid tag name in the key record at {owner}"),
                        "Tag names are letters, digits and `_`, starting with a letter".to_owned(),
                        None,
                    ),
                    TagListProblemKind::InvalidValueChar => (
                        format!("a control or non-ASCII character in `{text}` in the key record at {owner}"),
                        "Use printable ASCII only".to_owned(),
                        None,
                    ),
                    TagListProblemKind::Duplicate { first } => (
                        format!("`{text}` repeats a tag of the key record at {owner}; a duplicate tag makes the whole record invalid"),
                        "Keep one of the two".to_owned(),
                        Some(*first),
                    ),
                },
                _ => return None,
            })
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_keys::ED25519;
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn syntax_errors() {
        insta::assert_snapshot!(lint_snippet(
            &format!("s1._domainkey TXT \"k=ed25519; v=DKIM1; p={ED25519}\"\ns2._domainkey TXT \"v=DKIM2; k=ed25519; p={ED25519}\"\ns3._domainkey TXT \"v=DKIM1; p=; p=\"\ns4._domainkey TXT \"v=DKIM1;; h=sha1:; p=\"\n"),
            &["DKIM001"],
        ));
    }

    #[test]
    fn valid_records_are_not_reported() {
        let found = lint_snippet(
            &format!("s1._domainkey TXT \"v=DKIM1; k=ed25519; p={ED25519}\"\ns2._domainkey TXT \"p={ED25519}; k=ed25519\"\ns3._domainkey TXT \"v=DKIM1; t=y:s; s=email; h=sha256; n=rotated; p=\"\n"),
            &["DKIM001"],
        );
        assert_eq!(found, "");
    }
}
