//! SPF010 `spf-terms-after-all`.

use super::term_edit::{insertion_before, removal, source_is_utf8, term_as_written};
use super::{caused_by_join, selected};
use crate::grammar::spf::SpfProblemKind;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Applicability, Code, Fix};

/// A mechanism written after `all`: never evaluated.
pub struct TermsAfterAll;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF010", slug: "spf-terms-after-all" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::Unsafe,
    first_release: false,
    summary: "a mechanism after `all`: never evaluated",
    doc: RuleDoc {
        what: "Reports each mechanism written after the record's first `all` (a second `all` is SPF033's). Modifiers after `all` are legal and not reported: `exp=`, `redirect=` (SPF011's), and the RFC 6652 reporting modifiers `ra=`, `rp=` and `rr=`.",
        why: "RFC 7208 §5.1: mechanisms after `all` will never be tested and MUST be ignored. The senders they were meant to authorize are judged by the `all` instead (with `-all`, their mail fails), while the record reads as if they were authorized.",
        example: "shop TXT \"v=spf1 ip4:192.0.2.25 -all ip4:198.51.100.25\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.25 ip4:198.51.100.25 -all\"\n",
        fix_safety: "The fix moves the mechanism to just before the `all`; when several follow it, the first finding's fix moves them all at once, in their order, or as many as the `all`'s string has room for (in a file that is not UTF-8, a term holding U+FFFD stays). It is unsafe: receivers start evaluating the term, so the senders it names pass (or fail) from then on, and an `include`, `a`, `mx`, `ptr` or `exists` costs a DNS lookup toward the limit of 10. Delete the term instead if it is not wanted. No fix is offered when the term or the `all` is split across strings.",
        references: &["RFC 7208 §5.1", "RFC 7208 §4.6.2", "RFC 6652 §3"],
    },
};

impl Rule for TermsAfterAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            // The first finding of a record moves every term after `all` at once, so one
            // `--fix` run mends the record (found by the `fix` fuzz target: a term at a
            // time, a record with a dozen such terms needed more rounds than a run takes).
            let mut all_at_once = move_all(cx, entry);
            for problem in entry.problems.iter().filter(|p| !caused_by_join(entry, p)) {
                let SpfProblemKind::MechanismAfterAll { all } = problem.kind else {
                    continue;
                };
                let Some(term) = entry.record.term_at(problem.span) else {
                    continue;
                };
                let Some(all_term) = entry.record.term_at(all) else {
                    continue;
                };
                let term_text = String::from_utf8_lossy(term.text());
                let all_text = String::from_utf8_lossy(all_term.text());
                let mut report = sink
                    .report(
                        term.span(),
                        format!("`{term_text}` comes after `{all_text}` in the SPF record of {owner}: receivers never evaluate it"),
                    )
                    .help(format!("Move `{term_text}` before `{all_text}`, or delete it"))
                    .related(all, format!("evaluation ends at `{all_text}`"))
                    .owner(owner);
                let moved = term_as_written(cx, entry, term)
                    .filter(|_| term_as_written(cx, entry, all_term).is_some())
                    .and_then(|written| {
                        let insert = insertion_before(
                            cx,
                            entry,
                            all_term.range.range().start,
                            format!("{written} "),
                        )?;
                        Some((insert, removal(entry, term)?))
                    });
                if let Some(fix) = all_at_once.take() {
                    report = report.fix(fix);
                } else if let Some((insert, remove)) = moved {
                    report = report.fix(Fix {
                        applicability: Applicability::Unsafe,
                        message: format!("Move `{term_text}` before `{all_text}`"),
                        edits: vec![insert, remove],
                    });
                }
                drop(report);
            }
        }
    }
}

/// One fix moving every movable term after `all` in front of it, in their order, when
/// there are two or more and they fit in `all`'s string; `None` otherwise (each finding
/// then offers its own move).
fn move_all(cx: &ZoneContext<'_>, entry: &crate::mail::SpfEntry<'_>) -> Option<Fix> {
    let mut all = None;
    let mut terms = Vec::new();
    for problem in entry.problems.iter().filter(|p| !caused_by_join(entry, p)) {
        let SpfProblemKind::MechanismAfterAll { all: all_span } = problem.kind else {
            continue;
        };
        let all_term = entry.record.term_at(all_span)?;
        term_as_written(cx, entry, all_term)?;
        all = Some(all_term);
        let Some(term) = entry.record.term_at(problem.span) else {
            continue;
        };
        let (Some(written), Some(remove)) =
            (term_as_written(cx, entry, term), removal(entry, term))
        else {
            continue;
        };
        // In a file that is not UTF-8 a term holding U+FFFD stays out: the lint takes
        // away a fix that writes U+FFFD there (`lint::drop_lossy_fixes`), and with this
        // one gone every other term would move one per round, each move waiting for the
        // last at the same place (found by the `fix` fuzz target: a dozen terms did not
        // converge in ten rounds). In a UTF-8 file it is text like any other, and moves
        // with the rest (left out there too, a dozen such terms moved one per round).
        if written.contains('\u{fffd}') && !source_is_utf8(cx, term.span()) {
            continue;
        }
        terms.push((written, remove));
    }
    let all = all?;
    let at = all.range.range().start;
    // The terms, in order, that `all`'s string has room for, each taken when it still
    // fits after those taken before it: the others stay where they are rather than move
    // one per round, each move waiting for the last at the same place (found by the
    // `fix` fuzz target: with long `include:`s among them, a dozen terms did not
    // converge in ten rounds). A term left out does not fit later either: the fix
    // leaves the string no shorter. Leaving one out reorders nothing that is evaluated.
    let count = terms.len();
    let mut content_len = 0;
    terms.retain(|(written, _)| {
        let fits = entry
            .txt
            .text
            .has_room_at(at, content_len + written.len() + 1);
        if fits {
            content_len += written.len() + 1;
        }
        fits
    });
    let fitting = terms.len();
    if fitting < 2 {
        return None;
    }
    let moved: Vec<&str> = terms.iter().map(|(written, _)| written.as_str()).collect();
    let insert = insertion_before(cx, entry, at, format!("{} ", moved.join(" ")))?;
    drop(moved);
    let all_text = String::from_utf8_lossy(all.text());
    let message = if fitting == count {
        format!("Move the {count} terms after `{all_text}` before it")
    } else {
        format!(
            "Move {fitting} of the {count} terms after `{all_text}` before it (its string has no room for the others)"
        )
    };
    let mut edits = vec![insert];
    edits.extend(terms.into_iter().map(|(_, remove)| remove));
    Some(Fix {
        applicability: Applicability::Unsafe,
        message,
        edits,
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn no_move_into_a_string_with_no_room() {
        // Found by the `fix` fuzz target: moving a term into a full first string made a
        // character-string over 255 octets, which does not load (PARSE004).
        let found = lint_snippet(
            "shop TXT \"v=spf1 a a a a a a ip4:192.0.2.1 ip4:192.0.2.2 ip4:192.0.2.3 ip4:192.0.2.4 ip4:192.0.2.5 ip4:192.0.2.6 ip4:192.0.2.7 ip4:192.0.2.8 ip4:192.0.2.9 ip4:192.0.2.10 ip4:192.0.2.11 ip4:192.0.2.12 ip4:192.0.2.13 ip4:192.0.2.14 ip4:192.0.2.15 ip4:192.0.2.16 ?all\" \" include:_spf.example.net\"\n",
            &["SPF010"],
        );
        assert!(found.contains("SPF010"), "{found}");
        assert!(!found.contains("fix ("), "{found}");
    }

    #[test]
    fn mechanisms_after_all_fire_with_a_move() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 mx -all include:_spf.example.net\"\nb TXT \"v=spf1 ~all a ip4:192.0.2.25 ra=postmaster\"\n",
            &["SPF010"],
        ));
    }

    #[test]
    fn every_term_after_all_moves_in_one_fix() {
        // One `--fix` run mends the record however many terms follow `all`.
        let found = lint_snippet(
            "a TXT \"v=spf1 -all a mx ip4:192.0.2.1 a mx a mx a mx a mx a mx\"\n",
            &["SPF010"],
        );
        assert!(
            found.contains("fix (unsafe): Move the 13 terms after `-all` before it"),
            "{found}"
        );
        assert!(
            found.contains("+ a TXT \"v=spf1 a mx ip4:192.0.2.1 a mx a mx a mx a mx a mx -all\""),
            "{found}"
        );
    }

    #[test]
    fn as_many_terms_move_at_once_as_the_string_has_room_for() {
        // Found by the `fix` fuzz target: when the terms did not all fit in the `all`'s
        // string, each moved on its own, one per round, and a dozen did not converge in
        // `--fix`'s ten; and with a long term first, none moved at once. The first
        // string is 230 octets: `a ` and `mx ` fit (5 more), the include between them
        // (27 more with `a `) does not.
        let ip4s: Vec<String> = (1..=14).map(|i| format!("ip4:192.0.2.{i}")).collect();
        let first = format!("v=spf1 {} ip4:192.0.2.100 -all a", ip4s.join(" "));
        assert_eq!(first.len(), 230);
        let found = lint_snippet(
            &format!("a TXT \"{first}\" \" include:_spf.example.net mx\"\n"),
            &["SPF010"],
        );
        assert!(
            found.contains("fix (unsafe): Move 2 of the 3 terms after `-all` before it (its string has no room for the others)"),
            "{found}"
        );
        assert!(found.contains("ip4:192.0.2.100 a mx -all\""), "{found}");
    }

    #[test]
    fn a_term_in_a_later_string_moves_into_the_first() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 -all \" \"include:_spf.example.net\"\n",
            &["SPF010"],
        ));
    }

    #[test]
    fn a_term_split_across_strings_gets_no_fix() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 -all include:_spf.exa\" \"mple.net\"\n",
            &["SPF010"],
        ));
    }

    #[test]
    fn modifiers_and_a_second_all_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 mx -all exp=explain.example.com ra=postmaster rp=10 rr=all redirect=_spf.example.net x=1\"\nb TXT \"v=spf1 -all ~all\"\nc TXT \"v=spf1 mx include:_spf.example.net -all\"\n",
            &["SPF010"],
        );
        assert_eq!(found, "");
    }
}
