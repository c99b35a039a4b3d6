//! SPF037 `spf-external-target`.

use super::{analysis, selected};
use crate::rules::text::text;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::{TargetKind, TermRole};
use zonelint_zone::Code;

/// A lookup target outside the loaded zones and the snapshot.
pub struct ExternalTarget;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF037", slug: "spf-external-target" },
    default: Level::Info,
    strict: Level::Info,
    fix: FixAvailability::None,
    first_release: true,
    summary: "an SPF target outside the loaded zones and the snapshot: counted as 1 lookup",
    doc: RuleDoc {
        what: "Notes each evaluated `include:`, `redirect=`, `a:`, `mx:` or `exists:` whose target is in no loaded zone and not in the `spf-snapshot` file (semantics.md §2.3 step 6). zonelint never queries the network: such a target counts as one lookup, an include's or redirect's own lookups are unknown (totals become lower bounds, \"≥N\"), and whether the target answers at all is unknown.",
        why: "RFC 7208 §4.6.4 counts every lookup of the whole tree, the included records' too; the limits (SPF017, SPF019) can only be checked exactly when those records are known. A snapshot of them (`dig` output) makes the count exact without network access during the lint.",
        example: "shop TXT \"v=spf1 include:_spf.example.net -all\"\n",
        use_instead: "shop TXT \"v=spf1 include:_spf.example.com -all\"\n_spf TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
        fix_safety: "No fix: the target's records have to be fetched (`dig +noall +answer TXT name`), which zonelint does not do.",
        references: &["RFC 7208 §4.6.4", "RFC 7208 §5.2"],
    },
};

impl Rule for ExternalTarget {
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
                let TargetKind::External(target) = &term.target else {
                    continue;
                };
                let (unknown, rtype) = match term.role {
                    TermRole::Include | TermRole::Redirect => (
                        "its SPF record is not known, so it counts as 1 lookup and the tree's total is a lower bound",
                        "TXT",
                    ),
                    TermRole::Ptr => continue,
                    TermRole::A | TermRole::Exists => (
                        "its lookup is counted, but whether it answers (or is void) is not known",
                        "A",
                    ),
                    TermRole::Mx => (
                        "its lookup is counted, but whether it answers (or is void) and how many hosts it has is not known",
                        "MX",
                    ),
                };
                sink.report(
                    term.span,
                    text!["`", term.text, "` in the SPF record of ", owner, ": ", target, " is outside the loaded zones and not in the SPF snapshot; ", unknown],
                )
                .help(text!["For exact counts, add its records to the `spf-snapshot` file: `dig +noall +answer ", rtype, " ", target, " >> spf-snapshot.txt`"])
                .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_snippet, lint_with_snapshot};

    #[test]
    fn external_targets_are_noted_per_term() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 include:_spf.example.net a:relay.example.net mx:example.org exists:%{i}.x.example.net ptr:example.net -all include:after.example.net\"\nold TXT \"v=spf1 redirect=_spf.example.org\"\n",
            &["SPF037"],
        ));
    }

    #[test]
    fn in_zone_and_snapshot_targets_are_not_noted() {
        let found = lint_with_snapshot(
            "shop TXT \"v=spf1 include:_spf.example.net a:www.example.com include:_spf.example.com -all\"\n_spf TXT \"v=spf1 -all\"\nwww A 192.0.2.1\nwww TXT \"v=spf1 -all\"\n",
            "_spf.example.net. 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
            &["SPF037"],
        );
        assert_eq!(found, "");
    }
}
