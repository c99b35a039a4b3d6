//! SPF030 `spf-non-ascii`.

use super::term_edit::written;
use super::{problems_of, selected};
use crate::grammar::spf::TermKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// Octets outside 7-bit ASCII in an SPF record.
pub struct NonAscii;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF030", slug: "spf-non-ascii" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "octets outside 7-bit ASCII: permerror",
    doc: RuleDoc {
        what: "Reports each run of octets outside 7-bit ASCII in a selected SPF record, such as an internationalized domain name written in Unicode (`include:bücher.example`) or a typographic character pasted from a document.",
        why: "RFC 7208 §3.1: the character content of an SPF record is US-ASCII, and the §12 ABNF admits only visible ASCII in terms, so a receiver returns permerror for the whole record (§4.6; pyspf test suite, spec 3.1/1). Internationalized domain names go into the DNS, and into SPF, as A-labels (RFC 5890).",
        example: "shop TXT \"v=spf1 include:bücher.example.net -all\"\n",
        use_instead: "shop TXT \"v=spf1 include:xn--bcher-kva.example.net -all\"\n",
        fix_safety: "No fix: converting a name to its A-label (IDNA) form is left to the owner, who can check the result.",
        references: &["RFC 7208 §3.1", "RFC 7208 §4.6", "RFC 7208 §12", "RFC 5890 §2.3.2.1"],
    },
};

impl Rule for NonAscii {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            for problem in problems_of(entry, "SPF030") {
                let term = entry.record.term_holding(problem.span);
                let shown = written(cx, problem.span);
                let message = match term {
                    Some(term) => format!(
                        "`{}` in the SPF record of {owner} contains non-ASCII octets (`{shown}`): receivers return permerror for the whole record",
                        String::from_utf8_lossy(term.text())
                    ),
                    None => format!("the SPF record of {owner} contains non-ASCII octets (`{shown}`): receivers return permerror for the whole record"),
                };
                let in_name = term.is_some_and(|t| !matches!(t.kind, TermKind::Invalid));
                let help = if in_name {
                    "Write domain names as A-labels (`xn--…`, the IDNA form the DNS stores)"
                } else {
                    "Use only ASCII characters; retype characters pasted from a document (typographic dashes and quotes, non-breaking spaces)"
                };
                sink.report(problem.span, message).help(help).owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn non_ascii_runs_fire_once_each() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 include:bücher.example.net a:größe.example.net -all\"\nb TXT \"v=spf1 mx \u{2013}all\"\n",
            &["SPF030", "SPF009"],
        ));
    }

    #[test]
    fn ascii_and_escaped_ascii_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 include:xn--bcher-kva.example.net\\032-all\"\n",
            &["SPF030"],
        );
        assert_eq!(found, "");
    }
}
