//! SPF004 `spf-no-terminal`.

use super::{analysis, include_target_only, selected};
use crate::grammar::spf::is_permerror;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A record with neither `all` nor `redirect=`: unlisted hosts get `neutral`.
pub struct NoTerminal;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF004", slug: "spf-no-terminal" },
    default: Level::Warning,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "no `all` and no `redirect=`: the default result is neutral",
    doc: RuleDoc {
        what: "Reports an SPF record that has no `all` mechanism and no `redirect=` modifier. Records with a syntax error (SPF009) are left to that rule, and so are records published only to be included (underscore names that loaded records include).",
        why: "When no mechanism matches and there is no redirect, the result is `neutral` (RFC 7208 §4.7), which receivers treat like no SPF at all: forged mail from unlisted hosts is not refused. §2.1 asks for records that end in `-all` or redirect to one that does.",
        example: "shop TXT \"v=spf1 ip4:192.0.2.1\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.1 -all\"\n",
        fix_safety: "No fix: whether `-all` or a `redirect=` is meant is the owner's choice.",
        references: &["RFC 7208 §2.1", "RFC 7208 §4.7"],
    },
};

impl Rule for NoTerminal {
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
            let owner = entry.txt.owner;
            sink.report(
                entry.txt.text.whole_span(),
                format!("the SPF record of {owner} has no `all` and no `redirect=`, so mail from any unlisted host is `neutral`, as if {owner} had no SPF"),
            )
            .help("Append `-all` (or `redirect=` a record that ends in `-all`)")
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn a_record_without_all_or_redirect_fires() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 ip4:192.0.2.1\"\n",
            &["SPF004"]
        ));
    }

    #[test]
    fn redirect_all_and_broken_records_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 redirect=_spf.example.net\"\nb TXT \"v=spf1 redirect=_spf.example.net -all\"\nc TXT \"v=spf1 ip4:192.0.2 ~all;\"\nd TXT \"v=spf1 mx -all exp=explain.example.com\"\n",
            &["SPF004"],
        );
        assert_eq!(found, "");
    }
}
