//! SPF035 `spf-include-semantics`.

use super::{analysis, include_target_only, selected};
use crate::grammar::spf::{is_permerror, Mechanism};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A record that relies on an include to end its policy.
pub struct IncludeSemantics;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF035", slug: "spf-include-semantics" },
    default: Level::Info,
    strict: Level::Off,
    fix: FixAvailability::None,
    first_release: true,
    summary: "an included record's `all` does not end the including record",
    doc: RuleDoc {
        what: "Notes an SPF record with `include:` terms but no `all` and no `redirect=` of its own: it looks as if the included record's `-all` ended it, and it does not. SPF004 reports the missing `all`; this note says why the include does not stand in for it. Records published only to be included are exempt. Off in the strict profile, where SPF004 is an error.",
        why: "RFC 7208 §5.2: an include matches only when the included record's result is pass; its `fail`, `softfail` or `neutral` (its `all`) makes the include not match, and evaluation goes on with the next term. With no terms left, the result is neutral (§4.7), whatever the included record ends with.",
        example: "shop TXT \"v=spf1 include:_spf.example.net\"\n",
        use_instead: "shop TXT \"v=spf1 include:_spf.example.net -all\"\n",
        fix_safety: "No fix: SPF004 offers appending `-all`.",
        references: &["RFC 7208 §5.2", "RFC 7208 §4.7"],
    },
};

impl Rule for IncludeSemantics {
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
            let record = &entry.record;
            if record.all().is_some()
                || record.redirect().is_some()
                || is_permerror(&entry.problems)
                || include_target_only(analysis, id, entry)
            {
                continue;
            }
            let Some((term, _)) = record
                .directives()
                .filter(|(_, d)| matches!(d.mechanism, Mechanism::Include(_)))
                .last()
            else {
                continue;
            };
            let owner = entry.txt.owner;
            sink.report(
                term.span(),
                format!("`{}` does not end the SPF record of {owner}: an included record's `all` only decides whether the include matches, so a sender it does not list gets `neutral` here", String::from_utf8_lossy(term.text())),
            )
            .help("Add your own `-all` after the includes")
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_snippet, lint_with, APEX};
    use crate::{Selector, Settings};

    #[test]
    fn a_record_ending_with_includes_is_noted_at_the_last_one() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 include:_spf.example.net include:_spf.example.org ip4:192.0.2.1\"\n",
            &["SPF035"],
        ));
    }

    #[test]
    fn records_with_all_redirect_or_no_include_and_include_targets_are_not_noted() {
        let found = lint_snippet(
            "a TXT \"v=spf1 include:_spf.example.net -all\"\nb TXT \"v=spf1 include:_spf.example.net redirect=_r.example.net\"\n_spf TXT \"v=spf1 include:_spf.example.org\"\nc TXT \"v=spf1 include:_spf.example.com -all\"\nd TXT \"v=spf1 ip4:192.0.2.1\"\n",
            &["SPF035"],
        );
        assert_eq!(found, "");
    }

    #[test]
    fn off_in_strict() {
        let settings = Settings {
            select: vec![Selector("SPF035".to_owned())],
            ..Settings::strict()
        };
        let found = lint_with(
            &format!("{APEX}shop TXT \"v=spf1 include:_spf.example.net\"\n"),
            &settings,
        );
        assert_eq!(found, "");
    }
}
