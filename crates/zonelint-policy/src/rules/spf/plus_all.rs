//! SPF001 `spf-plus-all`.

use super::{analysis, first_all, selected, target_only, to_fail_all};
use crate::grammar::spf::Qualifier;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// `+all` or a bare `all`: every host on the Internet may send as the name.
pub struct PlusAll;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF001", slug: "spf-plus-all" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Unsafe,
    first_release: true,
    summary: "`+all` or bare `all`: the record authorizes every host",
    doc: RuleDoc {
        what: "Reports an SPF record whose evaluated `all` passes: `+all`, or `all` with no qualifier, which defaults to `+`.",
        why: "A receiver that reaches `+all` returns `pass` for any client IP, so anyone may send as the name and the mail is treated as authorized. Authorizing the world is worse than publishing nothing: it was the incident behind zonelint. A record published only to be included (an underscore name that loaded records include) is reported at the include instead (SPF005).",
        example: "shop TXT \"v=spf1 include:_spf.host.example +all\"\n",
        use_instead: "shop TXT \"v=spf1 include:_spf.host.example -all\"\n",
        fix_safety: "Replaces the term with `-all`. Unsafe: mail from hosts the record does not list, which passes today, will fail.",
        references: &["RFC 7208 §2.1", "RFC 7208 §4.6.2", "RFC 7208 §5.1"],
    },
};

impl Rule for PlusAll {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_spf_analysis(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let analysis = analysis(cx);
        let analysis = &*analysis;
        for (id, entry) in selected(cx) {
            let Some((term, directive)) = first_all(entry, Qualifier::Pass) else {
                continue;
            };
            if target_only(analysis, id, entry) {
                continue;
            }
            let owner = entry.txt.owner;
            let written = String::from_utf8_lossy(term.text());
            let bare = if directive.qualifier.is_none() {
                " (a bare `all` means `+all`)"
            } else {
                ""
            };
            let mut report = sink
                .report(
                    term.span(),
                    format!("`{written}` authorizes every host on the Internet to send as {owner}{bare}"),
                )
                .help("Replace it with `-all` (or `~all` only while you are migrating)")
                .owner(owner);
            if let Some(fix) = to_fail_all(entry, term) {
                report = report.fix(fix);
            }
            drop(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn plus_and_bare_all_fire_with_a_fix() {
        insta::assert_snapshot!(lint_snippet(
            "hoster TXT \"v=spf1 include:_spf.host.example +all\"\nold TXT \"v=spf1 mx all\"\n",
            &["SPF001"],
        ));
    }

    /// A record outside the zone (which has no name in the index) is checked, once.
    #[test]
    fn records_outside_the_zone_are_checked_once() {
        let found = lint_snippet(
            "a TXT \"v=spf1 -all\"\nother.test. TXT \"v=spf1 +all\"\nb TXT \"v=spf1 +all\"\nz TXT \"v=spf1 -all\"\n",
            &["SPF001"],
        );
        assert_eq!(found.matches("SPF001").count(), 2, "{found}");
        assert!(found.contains("as other.test."), "{found}");
    }

    #[test]
    fn other_qualifiers_and_unevaluated_all_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 -all\"\nb TXT \"v=spf1 ~all\"\nc TXT \"v=spf1 -all +all\"\nd TXT \"v=spf1 ip4:192.0.2.1 redirect=_spf.example.net\"\n",
            &["SPF001"],
        );
        assert_eq!(found, "");
    }

    #[test]
    fn an_included_mail_domain_is_still_reported_here() {
        // Only underscore names that serve as targets leave the report to SPF005.
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 include:www.example.com -all\"\nwww TXT \"v=spf1 +all\"\n",
            &["SPF001", "SPF005"],
        ));
    }

    #[test]
    fn a_term_across_a_join_gets_no_fix() {
        insta::assert_snapshot!(lint_snippet("x TXT \"v=spf1 +a\" \"ll\"\n", &["SPF001"]));
    }
}
