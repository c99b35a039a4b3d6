//! SPF005 `spf-include-permissive`.

use super::{analysis, owner_text, selected};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::TermRole;
use zonelint_zone::Code;

/// An included or redirected record that passes every sender.
pub struct IncludePermissive;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF005", slug: "spf-include-permissive" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "an included or redirected record passes every sender",
    doc: RuleDoc {
        what: "Reports an evaluated `include:` or `redirect=` whose target record, in the loaded zones, passes every sender: it reaches `+all` (or a bare `all`) or a passing `ip4:0.0.0.0/0` / `ip6:::/0`, directly or through its own includes. The target record itself is not reported again by SPF001/SPF006 when it is an underscore name that only serves as a target.",
        why: "An include matches when the included record returns `pass` (RFC 7208 §5.2); a record that passes everyone therefore makes the include authorize the whole Internet, whatever the including record ends with. A redirect target's result is the record's result (§6.1).",
        example: "shop TXT \"v=spf1 include:_spf.example.com -all\"\n_spf TXT \"v=spf1 +all\"\n",
        use_instead: "shop TXT \"v=spf1 include:_spf.example.com -all\"\n_spf TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
        fix_safety: "No fix: the senders the target should list are not in the zone file.",
        references: &["RFC 7208 §5.2", "RFC 7208 §6.1", "RFC 7208 §5.1"],
    },
};

impl Rule for IncludePermissive {
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
            let Some(evaluation) = analysis.evaluation(id) else {
                continue;
            };
            let owner = entry.txt.owner;
            for term in &evaluation.terms {
                if !matches!(term.role, TermRole::Include | TermRole::Redirect) || term.closes_loop
                {
                    continue;
                }
                let Some((child_id, child)) =
                    term.child.and_then(|c| Some((c, analysis.evaluation(c)?)))
                else {
                    continue;
                };
                let Some(witness) = &child.passes_everyone else {
                    continue;
                };
                let child_owner = owner_text(cx, child_id);
                let holder = analysis
                    .evaluation(witness.record)
                    .and(cx.mail.spf_owner(witness.record))
                    .map_or_else(|| child_owner.clone(), ToString::to_string);
                let mut report = sink.report(
                    term.span,
                    format!("`{}` authorizes every host on the Internet to send as {owner}: the record of {} passes every sender (`{}` at {holder})", term.text, child_owner, witness.text),
                )
                .help("The included record must list only its senders and end in `-all` (or `~all`); its `all` does not end the including record")
                .owner(owner);
                // A record from the snapshot file has no place in the zone files to show.
                if !witness.record.in_snapshot() {
                    report = report.related(witness.span, "this term passes every sender");
                }
                drop(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_snippet, lint_with, lint_with_snapshot};
    use crate::{Selector, Settings};

    #[test]
    fn a_permissive_snapshot_record_fires_without_a_span_into_the_snapshot() {
        let snapshot = "_spf.example.net. 300 IN CNAME _open.example.net.\n_open.example.net. 300 IN TXT \"v=spf1 +all\"\n";
        insta::assert_snapshot!(lint_with_snapshot(
            "shop TXT \"v=spf1 include:_spf.example.net -all\"\n",
            snapshot,
            &["SPF005"],
        ));
    }

    #[test]
    fn includes_and_redirects_of_permissive_records_fire() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 include:_spf.example.com -all\"\n_spf TXT \"v=spf1 include:_deep.example.com -all\"\n_deep TXT \"v=spf1 ip4:0.0.0.0/0 -all\"\nold TXT \"v=spf1 redirect=_open.example.com\"\n_open TXT \"v=spf1 mx all\"\n",
            &["SPF005"],
        ));
    }

    #[test]
    fn the_target_is_not_reported_twice() {
        let settings = Settings {
            select: ["SPF001", "SPF005", "SPF006"]
                .iter()
                .map(|s| Selector((*s).to_owned()))
                .collect(),
            ..Settings::default()
        };
        let zone = format!(
            "{}shop TXT \"v=spf1 include:_spf.example.com -all\"\n_spf TXT \"v=spf1 +all\"\n",
            crate::rules::test_support::APEX
        );
        insta::assert_snapshot!(lint_with(&zone, &settings));
    }

    #[test]
    fn a_target_in_a_loaded_zone_with_fail_all_is_fine() {
        let found = lint_snippet(
            "shop TXT \"v=spf1 include:_spf.example.com -all\"\n_spf TXT \"v=spf1 ip4:192.0.2.0/24 -all +all\"\n",
            &["SPF005"],
        );
        assert_eq!(found, "");
    }
}
