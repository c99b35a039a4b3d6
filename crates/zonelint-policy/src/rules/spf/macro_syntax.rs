//! SPF016 `spf-macro-syntax`.

use super::{caused_by_join, selected};
use crate::grammar::spf::{MacroError, SpfProblemKind};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// An invalid macro, or `c`/`r`/`t` outside explanation text.
pub struct MacroSyntax;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF016", slug: "spf-macro-syntax" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "an invalid macro: permerror",
    doc: RuleDoc {
        what: "Reports an invalid macro in an SPF record: a `%` not followed by `{`, `%`, `_` or `-`, an unterminated `%{`, an unknown letter, bad transformers, a zero digit transformer, or the letters `c`, `r` and `t`, which are allowed only in explanation text.",
        why: "RFC 7208 §7.1–§7.3: a malformed macro is a syntax error, so receivers return permerror for the record; `c`, `r` and `t` outside `exp` text are errors too (§7.2; pyspf test `exp-only-macro-char`).",
        example: "shop TXT \"v=spf1 exists:%{c}.example.net -all\"\n",
        use_instead: "shop TXT \"v=spf1 exists:%{i}.example.net -all\"\n",
        fix_safety: "No fix: the intended macro cannot be known.",
        references: &["RFC 7208 §7.1", "RFC 7208 §7.2", "RFC 7208 §7.3"],
    },
};

impl Rule for MacroSyntax {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            let source = cx
                .zone
                .zone
                .sources
                .get(entry.txt.span().source)
                .map(zonelint_zone::Source::text)
                .unwrap_or_default();
            for problem in entry.problems.iter().filter(|p| !caused_by_join(entry, p)) {
                let SpfProblemKind::Macro(error) = problem.kind else {
                    continue;
                };
                let written =
                    String::from_utf8_lossy(source.get(problem.span.range()).unwrap_or_default());
                let what = match error {
                    MacroError::BadPercent => "a `%` must be followed by `{`, `%`, `_` or `-`",
                    MacroError::Unterminated => "the macro has no closing `}`",
                    MacroError::UnknownLetter => "the macro letter is not one of `s l o d i p h v`",
                    MacroError::BadTransformer => {
                        "only digits, `r` and the delimiters `.-+,/_=` may follow the letter"
                    }
                    MacroError::ZeroDigits => "the digit transformer must not be zero",
                    MacroError::ExpOnlyLetter => {
                        "`c`, `r` and `t` are allowed only in explanation text"
                    }
                };
                sink.report(
                    problem.span,
                    format!("invalid macro `{written}` in the SPF record of {owner}: {what}; receivers return permerror"),
                )
                .help("Correct the macro (RFC 7208 §7.1) or write the text without one (`%%` is a literal `%`)")
                .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn invalid_macros_fire() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 exists:%{c}.example.net exists:%{x}.example.net exists:%{i0}.example.net exists:%a.example.net -all\"\n",
            &["SPF016"],
        ));
    }

    #[test]
    fn valid_macros_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 exists:%{ir}.%{l1r-}.%{d2}._spf.example.net include:%{d}.example.net exp=%{d}.exp.example.net -all\"\n",
            &["SPF016"],
        );
        assert_eq!(found, "");
    }
}
