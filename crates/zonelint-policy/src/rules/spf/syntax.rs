//! SPF009 `spf-syntax`.

use super::{caused_by_join, problems_of, selected};
use crate::grammar::spf::{DomainSpecError, SpfProblem, SpfProblemKind};
use crate::mail::SpfEntry;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A syntax error in an SPF record.
pub struct Syntax;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF009", slug: "spf-syntax" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "a syntax error: the record evaluates to permerror",
    doc: RuleDoc {
        what: "Reports syntax errors in a selected SPF record: unknown mechanisms, malformed `ip4`/`ip6` networks, CIDR lengths out of range (`/33`), empty domain-specs, junk such as `~all;` or commas, `redirect:x`, bare `ip4`, separators other than a space; and RFC 6652 `ra=`/`rp=`/`rr=` values that are not valid. Other problems of a term have rules of their own: domain-specs that name no usable domain (SPF031), macros (SPF016), non-ASCII octets (SPF030), a repeated `redirect=` or `exp=` (SPF012).",
        why: "Any syntax error anywhere in the record makes receivers return permerror (RFC 7208 §4.6): the whole record stops working, not just the bad term, and with DMARC the mail is judged as if SPF failed.",
        example: "shop TXT \"v=spf1 ip4:192.0.2 ~all;\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
        fix_safety: "No fix: the intended term cannot be known.",
        references: &["RFC 7208 §4.6", "RFC 7208 §5", "RFC 7208 §12", "RFC 6652 §3"],
    },
};

/// What the problem is, in words (the span shows where).
fn describe(kind: &SpfProblemKind, written: &str) -> String {
    match kind {
        SpfProblemKind::BadWhitespace => {
            "terms must be separated by spaces only (RFC 7208 §4.6.1)".to_owned()
        }
        SpfProblemKind::InvalidTerm => format!("`{written}` is neither a mechanism nor a modifier"),
        SpfProblemKind::UnknownMechanism {
            suggestion: Some(s),
        } => {
            format!("`{written}` is not a mechanism; did you mean `{s}`?")
        }
        SpfProblemKind::UnknownMechanism { suggestion: None } => {
            format!("`{written}` is not a mechanism")
        }
        SpfProblemKind::QualifiedModifier => "a modifier cannot take a qualifier".to_owned(),
        SpfProblemKind::UnexpectedArgument => {
            format!("`{written}` is an argument this mechanism does not take")
        }
        SpfProblemKind::MissingArgument => format!("`{written}` needs an argument"),
        SpfProblemKind::InvalidAddress => {
            format!("`{written}` is not a complete address of this family")
        }
        SpfProblemKind::InvalidCidr { max } => {
            format!("`{written}` is not a prefix length from 0 to {max}")
        }
        SpfProblemKind::InvalidModifierName => format!("`{written}` is not a valid modifier name"),
        SpfProblemKind::DomainSpec(DomainSpecError::Empty) => "the domain-spec is empty".to_owned(),
        SpfProblemKind::ReportModifierValue => {
            format!("`{written}` is not a valid RFC 6652 reporting value")
        }
        _ => format!("`{written}` is not valid here"),
    }
}

/// Whether the problem's span overlaps non-ASCII octets: SPF030 reports the cause (a
/// pasted `–all` is an invalid term only because of its dash).
fn caused_by_non_ascii(entry: &SpfEntry<'_>, problem: &SpfProblem) -> bool {
    entry.problems.iter().any(|other| {
        other.kind == SpfProblemKind::NonAscii
            && other.span.source == problem.span.source
            && other.span.start < problem.span.end
            && problem.span.start < other.span.end
    })
}

impl Rule for Syntax {
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
            for problem in problems_of(entry, "SPF009")
                .filter(|p| !caused_by_join(entry, p) && !caused_by_non_ascii(entry, p))
            {
                let written =
                    String::from_utf8_lossy(source.get(problem.span.range()).unwrap_or_default());
                let consequence = if problem.kind.is_permerror() {
                    "; receivers return permerror for the whole record"
                } else {
                    "; receivers ignore the value"
                };
                sink.report(
                    problem.span,
                    format!(
                        "SPF syntax error in the record of {owner}: {}{consequence}",
                        describe(&problem.kind, &written)
                    ),
                )
                .help("Correct or remove the term; see RFC 7208 §12 for the grammar")
                .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn syntax_errors_fire_at_the_bad_bytes() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 ip4:192.0.2 ~all;\"\nb TXT \"v=spf1 ip6:2001:db8::/129 redirect:_spf.example.net foo include: -all\"\nc TXT \"v=spf1 mx,a ip4 -all\"\n",
            &["SPF009"],
        ));
    }

    #[test]
    fn problems_caused_by_non_ascii_are_left_to_spf030() {
        let found = lint_snippet(
            "a TXT \"v=spf1 mx \u{2013}all\"\nb TXT \"v=spf1 ip4:192.0.2.1\u{2013}192.0.2.9 -all\"\n",
            &["SPF009"],
        );
        assert_eq!(found, "");
    }

    #[test]
    fn valid_records_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1  mx  a/24//64 ip4:192.0.2.0/24 exp=explain.example.com ra=postmaster -all\"\n",
            &["SPF009"],
        );
        assert_eq!(found, "");
    }
}
