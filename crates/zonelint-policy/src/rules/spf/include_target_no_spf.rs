//! SPF021 `spf-include-target-no-spf`.

use super::{analysis, selected};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::TargetKind;
use zonelint_zone::Code;

/// An include or redirect target in the loaded zones with no SPF record.
pub struct IncludeTargetNoSpf;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF021", slug: "spf-include-target-no-spf" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "an include or redirect target with no SPF record",
    doc: RuleDoc {
        what: "Reports an evaluated `include:` or `redirect=` whose target is in a loaded zone (CNAMEs and wildcards followed), or in the `spf-snapshot` file, and publishes no SPF record.",
        why: "An include whose target returns `none` is a permerror (RFC 7208 §5.2), and so is a redirect to a name without SPF (§6.1): the including record then fails for every message, whatever the sender.",
        example: "shop TXT \"v=spf1 include:_spf.example.com -all\"\n",
        use_instead: "shop TXT \"v=spf1 include:_spf.example.com -all\"\n_spf TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
        fix_safety: "No fix: the target's policy is not known.",
        references: &["RFC 7208 §5.2", "RFC 7208 §6.1"],
    },
};

impl Rule for IncludeTargetNoSpf {
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
            for term in evaluation.terms.iter().filter(|t| t.target_without_spf) {
                let (TargetKind::InZone(target) | TargetKind::Snapshot(target)) = &term.target
                else {
                    continue;
                };
                let mut report = sink
                    .report(
                        term.span,
                        format!("`{}` in the SPF record of {owner} points at {target}, which publishes no SPF record: receivers return permerror for every message", term.text),
                    )
                    .help(format!("Publish an SPF record at {target} or remove the {}", term.role.as_str()))
                    .owner(owner);
                if let Some((zone, facts)) =
                    cx.set.lookup(target).and_then(|f| Some((f.zone, f.facts?)))
                {
                    report = report.related(
                        zone.first_span(facts),
                        format!("{target} exists but has no `v=spf1` TXT record"),
                    );
                }
                drop(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check_zones, lint_snippet, lint_with_snapshot};

    #[test]
    fn targets_without_spf_fire() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 include:_spf.example.com include:www.example.com -all\"\nwww A 192.0.2.1\nwww TXT \"hello\"\nold TXT \"v=spf1 redirect=_gone.example.com\"\n",
            &["SPF021"],
        ));
    }

    #[test]
    fn targets_with_spf_external_or_ignored_do_not_fire() {
        let found = lint_snippet(
            "shop TXT \"v=spf1 include:_spf.example.com include:_spf.example.net -all\"\n_spf TXT \"v=spf1 -all\"\nx TXT \"v=spf1 -all include:_nothing.example.com redirect=_none.example.com\"\nalias CNAME _spf\ny TXT \"v=spf1 include:alias.example.com -all\"\n",
            &["SPF021"],
        );
        assert_eq!(found, "");
    }

    #[test]
    fn snapshot_targets_without_spf_fire_and_unknown_ones_do_not() {
        let snapshot = "_spf.example.net. 300 IN TXT \"google-site-verification=abc\"\nmail.example.net. 300 IN TXT \"v=spf1 -all\"\n";
        insta::assert_snapshot!(lint_with_snapshot(
            "shop TXT \"v=spf1 include:_spf.example.net include:mail.example.net include:other.example.net -all\"\n",
            snapshot,
            &["SPF021"],
        ));
    }

    #[test]
    fn an_include_into_another_loaded_zone_with_spf_is_fine() {
        let parent = "$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ TXT \"v=spf1 include:_spf.example.org include:_none.example.org -all\"\n";
        let other = "$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n_spf TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n";
        insta::assert_snapshot!(check_zones(
            "SPF021",
            &[("example.com.", parent), ("example.org.", other)]
        ));
    }
}
