//! SPF033 `spf-all-repeated`.

use super::term_edit::removal;
use super::{caused_by_join, selected};
use crate::grammar::spf::{SpfProblemKind, TermKind};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Fix};

/// A second `all`: never evaluated.
pub struct AllRepeated;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF033", slug: "spf-all-repeated" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::Sometimes,
    first_release: false,
    summary: "a second `all`: never evaluated",
    doc: RuleDoc {
        what: "Reports every `all` after the first in a record, pointing back at the first, which is the one receivers use.",
        why: "RFC 7208 §5.1: evaluation ends at the first `all` and mechanisms after it MUST be ignored, so a second `all` is dead text. It is not a syntax error (the RFC 7208 test suite's `all-double` case evaluates normally, though checkdmarc reports one), but when the two qualifiers differ (`-all ~all`, `~all … -all`) the record reads as something it is not.",
        example: "shop TXT \"v=spf1 ip4:192.0.2.25 -all ~all\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 -all\"\n",
        fix_safety: "The fix deletes the later `all`. It is safe when both have the same qualifier (nothing changes); unsafe when they differ, because the one kept may not be the one meant (replace the first to change the policy).",
        references: &["RFC 7208 §5.1", "RFC 7208 §4.6.2"],
    },
};

impl Rule for AllRepeated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            let Some((first_term, first)) = entry.record.all() else {
                continue;
            };
            for problem in entry.problems.iter().filter(|p| !caused_by_join(entry, p)) {
                let SpfProblemKind::RepeatedAll { first: first_span } = problem.kind else {
                    continue;
                };
                let first_text = String::from_utf8_lossy(first_term.text());
                let Some(term) = entry.record.term_at(problem.span) else {
                    continue;
                };
                let TermKind::Directive(directive) = &term.kind else {
                    continue;
                };
                let term_text = String::from_utf8_lossy(term.text());
                let same = directive.effective_qualifier() == first.effective_qualifier();
                let message = if same {
                    format!("`{term_text}` repeats the `all` of the SPF record of {owner}: receivers stop at `{first_text}` and never read it")
                } else {
                    format!("`{term_text}` comes after `{first_text}` in the SPF record of {owner}: receivers apply `{first_text}` and never read `{term_text}`")
                };
                let mut report = sink
                    .report(term.span(), message)
                    .help(if same {
                        "Remove the second `all`".to_owned()
                    } else {
                        format!("Keep one `all` at the end: remove `{term_text}`, or replace `{first_text}` with it")
                    })
                    .related(first_span, "the first `all`, where evaluation ends")
                    .owner(owner);
                if let Some(edit) = removal(entry, term) {
                    report = report.fix(Fix {
                        applicability: if same {
                            Applicability::Safe
                        } else {
                            Applicability::Unsafe
                        },
                        message: format!("Delete `{term_text}`"),
                        edits: vec![edit],
                    });
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
    fn later_alls_fire_safe_when_equal_and_unsafe_when_not() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 mx -all -all\"\nb TXT \"v=spf1 mx ~all ip4:192.0.2.25 -all\"\nc TXT \"v=spf1 all +all\"\n",
            &["SPF033"],
        ));
    }

    #[test]
    fn one_all_does_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 mx -all exp=explain.example.com\"\nb TXT \"v=spf1 a:all.example.com -all\"\n",
            &["SPF033"],
        );
        assert_eq!(found, "");
    }
}
