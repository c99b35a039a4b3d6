//! SPF013 `spf-unknown-modifier`.

use super::term_edit::{range_in_term, replacement};
use super::{caused_by_join, selected};
use crate::grammar::spf::{self, ModifierName, SpfProblem, SpfProblemKind, TermKind};
use crate::grammar::RecordText;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Fix, SourceId};

/// A `name=value` term whose name no receiver knows.
pub struct UnknownModifier;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF013", slug: "spf-unknown-modifier" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "an unknown modifier, ignored by receivers",
    doc: RuleDoc {
        what: "Reports a modifier (`name=value`) that is neither `redirect=` nor `exp=` (RFC 7208) nor one of the reporting modifiers `ra=`, `rp=` and `rr=` (RFC 6652). When the name is a near miss of a known modifier (`redirct=`) or a mechanism written with `=` (`include=`), the message suggests it.",
        why: "RFC 7208 §6: unrecognized modifiers MUST be ignored, so a misspelt `redirect=` or `include=` silently does nothing: the record ends without the policy it was meant to pull in, and its senders are judged by the default (neutral) or by `all`.",
        example: "shop TXT \"v=spf1 ip4:192.0.2.25 -all ra=postmaster rpp=10\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 -all ra=postmaster rp=10\"\n",
        fix_safety: "For a near miss the fix renames the term (`redirct=` to `redirect=`, `include=` to `include:`). It is unsafe: the term starts to take effect, so the record's result changes, and an `include` or `redirect` costs a DNS lookup. No fix is offered when the renamed modifier would be a second `redirect=` or `exp=` (a syntax error), a `redirect=` beside an `all` (ignored), or when the name is split across strings.",
        references: &["RFC 7208 §6", "RFC 7208 §12", "RFC 6652 §3"],
    },
};

impl Rule for UnknownModifier {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            for problem in entry.problems.iter().filter(|p| !caused_by_join(entry, p)) {
                let SpfProblemKind::UnknownModifier { suggestion } = problem.kind else {
                    continue;
                };
                let Some(term) = entry.record.term_holding(problem.span) else {
                    continue;
                };
                let TermKind::Modifier(modifier) = &term.kind else {
                    continue;
                };
                let term_text = String::from_utf8_lossy(term.text());
                let name = String::from_utf8_lossy(modifier.name());
                // A modifier name, or a mechanism written with `=` instead of `:` (not
                // `all`, which takes no argument).
                let suggestion = suggestion.filter(|s| *s != "all");
                let intended = suggestion.map(|s| {
                    if is_modifier(s) {
                        format!("{s}=")
                    } else {
                        format!("{s}:")
                    }
                });
                let message = match &intended {
                    Some(intended) => format!("`{name}=` in the SPF record of {owner} is not a known modifier, so receivers ignore `{term_text}`; did you mean `{intended}`?"),
                    None => format!("`{name}=` in the SPF record of {owner} is not a known modifier: receivers ignore `{term_text}`"),
                };
                let help = match &intended {
                    Some(intended) => format!("Write `{intended}`, or remove the term if nothing reads it"),
                    None => "Remove the term unless a tool of yours reads it; receivers know only `redirect=`, `exp=` and the RFC 6652 `ra=`, `rp=`, `rr=`".to_owned(),
                };
                let mut report = sink.report(problem.span, message).help(help).owner(owner);
                let fix = suggestion.zip(intended.as_ref()).and_then(|(s, intended)| {
                    if !rename_is_harmless(entry, s) {
                        return None;
                    }
                    let mut range = range_in_term(term, modifier.name_span())?;
                    // A mechanism replaces the `=` too.
                    if !is_modifier(s) {
                        range.end += 1;
                    }
                    let content = if is_modifier(s) { s } else { intended.as_str() };
                    if !rename_parses_cleaner(entry, &range, content) {
                        return None;
                    }
                    Some(Fix {
                        applicability: Applicability::Unsafe,
                        message: format!(
                            "Replace `{}` with `{content}`",
                            String::from_utf8_lossy(
                                entry
                                    .txt
                                    .text
                                    .as_bytes()
                                    .get(range.clone())
                                    .unwrap_or_default()
                            )
                        ),
                        edits: vec![replacement(entry, &range, content)?],
                    })
                });
                if let Some(fix) = fix {
                    report = report.fix(fix);
                }
                drop(report);
            }
        }
    }
}

fn is_modifier(name: &str) -> bool {
    matches!(name, "redirect" | "exp" | "ra" | "rp" | "rr")
}

/// Whether renaming to `suggestion` leaves a record that means what the rename intends:
/// not a second `redirect=` or `exp=` (a syntax error, RFC 7208 §6) and not a
/// `redirect=` that an `all` makes receivers ignore (§6.1).
/// Whether the record with `range` (of its joined text) replaced by `content` has fewer
/// problems than now and none of a kind it does not have now: a rename must mend the
/// term, not trade it for another error (found by the `fix` fuzz target: `spf=1include:…`
/// renamed to `rp=`, whose value must be a percentage).
fn rename_parses_cleaner(
    entry: &crate::mail::SpfEntry<'_>,
    range: &std::ops::Range<usize>,
    content: &str,
) -> bool {
    let mut joined = entry.txt.text.as_bytes().to_vec();
    if range.end > joined.len() || range.start > range.end {
        return false;
    }
    joined.splice(range.clone(), content.bytes());
    // As one written string: a backslash is the only byte that reads differently.
    let mut written = Vec::with_capacity(joined.len() + 8);
    for &b in &joined {
        if b == b'\\' {
            written.push(b'\\');
        }
        written.push(b);
    }
    let mut text = RecordText::new();
    text.push_string(SourceId(0), 0, &written);
    let (_, after) = spf::parse(&text);
    let kind = |p: &SpfProblem| std::mem::discriminant(&p.kind);
    after.len() < entry.problems.len()
        && after
            .iter()
            .all(|a| entry.problems.iter().any(|b| kind(a) == kind(b)))
}

fn rename_is_harmless(entry: &crate::mail::SpfEntry<'_>, suggestion: &str) -> bool {
    let record = &entry.record;
    match suggestion {
        "redirect" => record.redirect().is_none() && record.all().is_none(),
        "exp" => record.exp().is_none(),
        "ra" | "rp" | "rr" => !record.modifiers().any(|(_, m)| {
            matches!(
                (m.kind, suggestion),
                (ModifierName::ReportAddress, "ra")
                    | (ModifierName::ReportPercent, "rp")
                    | (ModifierName::ReportRequest, "rr")
            )
        }),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn near_misses_fire_with_a_rename() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 mx redirct=_spf.example.net\"\nb TXT \"v=spf1 include=_spf.example.net -all\"\nc TXT \"v=spf1 -all EPX=explain.example.com\"\n",
            &["SPF013"],
        ));
    }

    #[test]
    fn no_rename_that_trades_the_term_for_another_error() {
        // `rp=` takes a percentage: `spf=1include:…` renamed to it would be a syntax
        // error instead of an ignored term (found by the `fix` fuzz target).
        let found = lint_snippet(
            "a TXT \"v=spf1 mx spf=1include:_spf.example.net -all\"\n",
            &["SPF013"],
        );
        assert!(
            found.contains("SPF013") && !found.contains("fix"),
            "{found}"
        );
        // A rename that mends the term is still offered.
        let found = lint_snippet(
            "a TXT \"v=spf1 mx redirct=_spf.example.net\"\n",
            &["SPF013"],
        );
        assert!(
            found.contains("fix (unsafe): Replace `redirct` with `redirect`"),
            "{found}"
        );
    }

    #[test]
    fn a_name_written_with_an_escape_gets_no_fix() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 mx redir\\099t=_spf.example.net\"\n",
            &["SPF013"],
        ));
    }

    #[test]
    fn unrelated_names_fire_without_a_fix() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 mx -all moo=cow\"\nb TXT \"v=spf1 mx all=x -all\"\n",
            &["SPF013"],
        ));
    }

    #[test]
    fn no_fix_that_would_duplicate_or_be_ignored() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 redirect=_spf.example.net redirct=_spf.example.org\"\nb TXT \"v=spf1 mx -all redirct=_spf.example.net\"\n",
            &["SPF013"],
        ));
    }

    #[test]
    fn known_modifiers_in_any_case_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 mx -all EXP=explain.example.com Ra=postmaster rp=10 rr=e:f\"\nb TXT \"v=spf1 Redirect=_spf.example.net\"\n",
            &["SPF013"],
        );
        assert_eq!(found, "");
    }
}
