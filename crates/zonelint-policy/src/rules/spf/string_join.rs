//! SPF027 `spf-string-join`.

use crate::grammar::spf::JoinPlacement;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Edit, Fix, RType};

/// Character-strings that join into a merged or broken token.
pub struct StringJoin;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF027", slug: "spf-string-join" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Safe,
    first_release: true,
    summary: "strings that join without a space into a merged or invalid term",
    doc: RuleDoc {
        what: "Looks at every point where two character-strings of an SPF record meet. Joins that glue two terms together (`include:a.exampleinclude:b.example`), make a term invalid, or break the version (`\"v=spf1\" \"-all\"`) are errors; a join that falls inside a term that stays valid is reported as information (harmless, but fragile when the record is edited).",
        why: "Receivers concatenate the strings of a TXT record without adding spaces (RFC 7208 §3.3). A space that was meant to sit between the strings is lost, so two terms become one unknown name, or the record becomes a syntax error (permerror) or is not selected at all.",
        example: "shop TXT \"v=spf1 include:a.example\" \"include:b.example -all\"\n",
        use_instead: "shop TXT \"v=spf1 include:a.example \" \"include:b.example -all\"\n",
        fix_safety: "Inserts a space at the end of the first string, inside its quotes. Safe (cli.md \"Fixes\"): it restores the term boundary the author meant.",
        references: &["RFC 7208 §3.3", "RFC 1035 §3.3"],
    },
};

impl Rule for StringJoin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        for entry in mail.spf.iter().filter(|e| e.txt.rtype == RType::TXT) {
            let owner = entry.txt.owner;
            let bytes = entry.txt.text.as_bytes();
            for join in &entry.record.joins {
                let term = |index: usize| {
                    entry
                        .record
                        .terms
                        .get(index)
                        .map(|t| String::from_utf8_lossy(t.text()).into_owned())
                        .unwrap_or_default()
                };
                let (default, strict, message, fixable) = match join.placement {
                    JoinPlacement::AtSeparator => continue,
                    JoinPlacement::InsideVersion => {
                        if entry.version.is_selected() {
                            continue;
                        }
                        let word: String = String::from_utf8_lossy(bytes)
                            .split(' ')
                            .next()
                            .unwrap_or_default()
                            .to_owned();
                        (
                            Level::Error,
                            Level::Error,
                            format!("strings join without a space into `{word}`: the record of {owner} no longer starts with `v=spf1` and a space, so receivers ignore it"),
                            true,
                        )
                    }
                    JoinPlacement::MergedTerms { term: index } => (
                        Level::Error,
                        Level::Error,
                        format!("strings join without a space: `{}` in the SPF record of {owner}", term(index)),
                        true,
                    ),
                    JoinPlacement::InvalidToken { term: index } => (
                        Level::Error,
                        Level::Error,
                        format!("strings join into the invalid term `{}` in the SPF record of {owner}: receivers return permerror", term(index)),
                        false,
                    ),
                    JoinPlacement::InsideTerm { term: index } => (
                        Level::Info,
                        Level::Info,
                        format!("a string join splits the term `{}` in the SPF record of {owner}; it is valid, but an edit that adds a space there breaks it", term(index)),
                        false,
                    ),
                };
                let Some(mut report) = sink.report_graded(default, strict, join.span, message)
                else {
                    continue;
                };
                report = report.owner(owner);
                // The space must go inside the first string's quotes: after an unquoted
                // string it would only separate two strings, which changes nothing.
                let quoted = cx
                    .zone
                    .zone
                    .sources
                    .get(join.span.source)
                    .and_then(|source| source.text().get(join.span.end as usize))
                    == Some(&b'"');
                // A full first string (255 octets, RFC 1035 §3.3) has no room for the space.
                let full = entry
                    .txt
                    .text
                    .pieces()
                    .get(join.join.before)
                    .is_some_and(|p| p.decoded_end() - p.decoded_start() >= 255);
                if fixable && full {
                    report = report.help("Strings are joined without a space (RFC 7208 §3.3): the first string is full (255 octets), so move its last term into the next string, with a space before it");
                } else if fixable && !quoted {
                    report = report.help("Strings are joined without a space (RFC 7208 §3.3): put the space inside a quoted string");
                } else if fixable {
                    report = report
                        .help("Strings are joined without a space (RFC 7208 §3.3): put the space inside a string")
                        .fix(Fix {
                            applicability: Applicability::Safe,
                            message: "Insert a space at the end of the first string".to_owned(),
                            edits: vec![Edit {
                                span: join.span,
                                content: " ".to_owned(),
                            }],
                        });
                } else if matches!(join.placement, JoinPlacement::InvalidToken { .. }) {
                    report = report.help("Strings are joined without a space (RFC 7208 §3.3): split the record between terms, with the space inside a string");
                } else {
                    report = report
                        .help("Split long records between terms, with the space inside a string");
                }
                drop(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn merged_terms_are_errors_with_a_safe_fix() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 include:a.example\" \"include:b.example -all\"\nx TXT \"v=spf1 ip4:192.0.2.25\" \"ip4:198.51.100.25 -all\"\n",
            &["SPF027", "SPF009"],
        ));
    }

    #[test]
    fn a_broken_version_and_a_mid_term_split() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1\" \"-all\"\nb TXT \"v=spf1 include:_spf.exa\" \"mple.net -all\"\nc TXT \"v=spf1 ip4:192.0.2.1\" \"/33 -all\"\n",
            &["SPF027"],
        ));
    }

    #[test]
    fn an_unquoted_first_string_gets_no_fix() {
        insta::assert_snapshot!(lint_snippet("shop TXT v=spf1 \"-all\"\n", &["SPF027"],));
    }

    #[test]
    fn joins_at_spaces_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 include:a.example \" \"include:b.example -all\"\nb TXT \"v=spf1\" \" -all\"\nc TXT \"v=spf\" \"1 -all\"\n",
            &["SPF027"],
        );
        assert_eq!(found, "");
    }
}
