//! SPF012 `spf-duplicate-modifier`.

use super::selected;
use crate::grammar::spf::SpfProblemKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// `redirect=` or `exp=` written twice.
pub struct DuplicateModifier;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF012", slug: "spf-duplicate-modifier" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "`redirect=` or `exp=` more than once",
    doc: RuleDoc {
        what: "Reports a second (or later) `redirect=` or `exp=` modifier in one record, pointing back at the first.",
        why: "RFC 7208 §6: these modifiers MUST NOT appear more than once; a record that repeats them is a syntax error and evaluates to permerror for every message.",
        example: "shop TXT \"v=spf1 redirect=_spf.example.net redirect=_spf.example.org\"\n",
        use_instead: "shop TXT \"v=spf1 redirect=_spf.example.net\"\n",
        fix_safety: "No fix: which of the two is meant is the owner's choice.",
        references: &["RFC 7208 §6"],
    },
};

impl Rule for DuplicateModifier {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            for problem in &entry.problems {
                let SpfProblemKind::DuplicateModifier { first } = problem.kind else {
                    continue;
                };
                let term = entry
                    .record
                    .term_at(problem.span)
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                let name = term.split('=').next().unwrap_or_default().to_owned();
                sink.report(
                    problem.span,
                    format!("`{term}` repeats the `{name}=` modifier in the SPF record of {owner}: receivers return permerror"),
                )
                .help("Keep one")
                .related(first, format!("the first `{name}=`"))
                .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn a_second_redirect_or_exp_fires() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 redirect=_spf.example.net redirect=_spf.example.org\"\nb TXT \"v=spf1 -all exp=e1.example.net EXP=e2.example.net\"\n",
            &["SPF012"],
        ));
    }

    #[test]
    fn one_of_each_and_repeated_unknown_modifiers_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 exp=e.example.net redirect=_spf.example.net x=1 x=2\"\n",
            &["SPF012"],
        );
        assert_eq!(found, "");
    }
}
