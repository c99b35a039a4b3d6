//! SPF015 `spf-p-macro`.

use super::selected;
use crate::grammar::spf::{Macro, MacroLetter, MacroString, TermKind};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// The `p` macro: a reverse-DNS lookup per check.
pub struct PMacro;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF015", slug: "spf-p-macro" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "the `%{p}` macro (validated client name): slow and unreliable",
    doc: RuleDoc {
        what: "Reports each `%{p}` macro (any transformers, either case) in a mechanism or modifier of a selected SPF record.",
        why: "RFC 7208 §7.2 marks `p`, the validated domain name of the client, \"do not use\", and §7.3 says it SHOULD NOT be published: expanding it takes a reverse lookup and forward lookups for each check (only the first 10 names are used, §4.6.4), puts load on the `.arpa` servers like `ptr` (§5.5), and expands to `unknown` whenever no name validates.",
        example: "shop TXT \"v=spf1 exists:%{p}._spf.example.com -all\"\n",
        use_instead: "shop TXT \"v=spf1 exists:%{i}._spf.example.com -all\"\n",
        fix_safety: "No fix: what the macro should be replaced with depends on the service behind it.",
        references: &["RFC 7208 §7.2", "RFC 7208 §7.3", "RFC 7208 §4.6.4"],
    },
};

impl Rule for PMacro {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            for term in &entry.record.terms {
                let spec: Option<&MacroString<'_>> = match &term.kind {
                    TermKind::Directive(directive) => directive.mechanism.domain(),
                    TermKind::Modifier(modifier) => Some(&modifier.value),
                    TermKind::Invalid => None,
                };
                let Some(spec) = spec else {
                    continue;
                };
                for span in spec.macros.iter().filter_map(|m| match m {
                    Macro::Expand {
                        letter: MacroLetter::ValidatedName,
                        span,
                        ..
                    } => Some(*span),
                    _ => None,
                }) {
                    let term_text = String::from_utf8_lossy(term.text());
                    sink.report(
                        span,
                        format!("`{term_text}` in the SPF record of {owner} uses the `p` macro: each check costs a reverse lookup and often expands to `unknown`"),
                    )
                    .help("Avoid `%{p}` (RFC 7208 §7.2): key the lookup on `%{i}` or list the senders with `ip4:`/`ip6:`")
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
    fn every_p_macro_fires() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 exists:%{p}._spf.example.net include:%{P2r}.example.net -all exp=%{p}.exp.example.net\"\n",
            &["SPF015"],
        ));
    }

    #[test]
    fn other_macros_and_literal_ps_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 exists:%{i}.%{d}.p.example.net a:p.example.net ptr -all\"\n",
            &["SPF015"],
        );
        assert_eq!(found, "");
    }
}
