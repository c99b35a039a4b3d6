//! SPF020 `spf-mx-too-many-hosts`.

use super::{analysis, selected};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::{TargetKind, TermRole};
use zonelint_zone::{Code, RType};

/// An `mx` term whose target has more than 10 MX hosts.
pub struct MxTooManyHosts;

/// RFC 7208 §4.6.4: an `mx` may look up at most 10 hosts' addresses.
const MX_HOST_LIMIT: u32 = 10;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF020", slug: "spf-mx-too-many-hosts" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "an `mx` term whose target has more than 10 MX hosts",
    doc: RuleDoc {
        what: "Reports an evaluated `mx` term whose target (in a loaded zone, CNAMEs and wildcards followed, or in the `spf-snapshot`) has more than 10 MX records.",
        why: "RFC 7208 §4.6.4: evaluating an `mx` mechanism must not query more than 10 address records, and if the limit is exceeded the mechanism produces permerror. Each MX host needs an address query, so an MX set of 11 hosts makes the record fail for every sender that reaches the term.",
        example: "shop MX 10 mx1.example.net.\nshop MX 10 mx2.example.net.\nshop MX 10 mx3.example.net.\nshop MX 10 mx4.example.net.\nshop MX 10 mx5.example.net.\nshop MX 10 mx6.example.net.\nshop MX 10 mx7.example.net.\nshop MX 10 mx8.example.net.\nshop MX 10 mx9.example.net.\nshop MX 10 mx10.example.net.\nshop MX 10 mx11.example.net.\nshop TXT \"v=spf1 mx -all\"\n",
        use_instead: "shop MX 10 mx1.example.net.\nshop MX 10 mx2.example.net.\nshop MX 10 mx3.example.net.\nshop MX 10 mx4.example.net.\nshop MX 10 mx5.example.net.\nshop MX 10 mx6.example.net.\nshop MX 10 mx7.example.net.\nshop MX 10 mx8.example.net.\nshop MX 10 mx9.example.net.\nshop MX 10 mx10.example.net.\nshop MX 10 mx11.example.net.\nshop TXT \"v=spf1 ip4:192.0.2.0/28 -all\"\n",
        fix_safety: "No fix: the addresses to list instead are the owner's choice.",
        references: &["RFC 7208 §4.6.4", "RFC 7208 §5.4"],
    },
};

impl Rule for MxTooManyHosts {
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
                let Some(hosts) = term.mx_hosts.filter(|&n| n > MX_HOST_LIMIT) else {
                    continue;
                };
                if term.role != TermRole::Mx {
                    continue;
                }
                let (TargetKind::InZone(target) | TargetKind::Snapshot(target)) = &term.target
                else {
                    continue;
                };
                let mut report = sink
                    .report(
                        term.span,
                        format!("`{}` in the SPF record of {owner} needs the addresses of {hosts} MX hosts of {target}; receivers return permerror past {MX_HOST_LIMIT}", term.text),
                    )
                    .help("Use `ip4`/`ip6` for the hosts that send, or reduce the MX set to 10 hosts")
                    .owner(owner);
                if let TargetKind::InZone(_) = term.target {
                    let first_mx = cx.set.lookup(target).and_then(|found| {
                        let facts = found.facts?;
                        found.zone.records_of(facts, RType::MX).next()
                    });
                    if let Some(record) = first_mx {
                        report = report
                            .related(record.span(), format!("{target} has {hosts} MX records"));
                    }
                }
                drop(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{lint_snippet, lint_with_snapshot};

    fn mx_set(owner: &str, count: usize) -> String {
        (1..=count)
            .map(|i| format!("{owner} MX 10 mx{i}.example.net.\n"))
            .collect()
    }

    #[test]
    fn eleven_hosts_fire_at_the_mx_term() {
        insta::assert_snapshot!(lint_snippet(
            &format!(
                "{}shop TXT \"v=spf1 mx ip4:192.0.2.1 -all\"\nnews TXT \"v=spf1 mx:shop.example.com -all\"\n",
                mx_set("shop", 11)
            ),
            &["SPF020"],
        ));
    }

    #[test]
    fn ten_hosts_unknown_and_unevaluated_targets_do_not_fire() {
        let found = lint_snippet(
            &format!(
                "{}{}shop TXT \"v=spf1 mx -all\"\nnews TXT \"v=spf1 mx:other.example.net -all mx:big.example.com\"\n",
                mx_set("shop", 10),
                mx_set("big", 11)
            ),
            &["SPF020"],
        );
        assert_eq!(found, "");
    }

    #[test]
    fn a_snapshot_target_with_eleven_hosts_fires() {
        let snapshot: String = (1..=11)
            .map(|i| format!("mail.example.net. 300 IN MX 10 mx{i}.example.net.\n"))
            .collect();
        insta::assert_snapshot!(lint_with_snapshot(
            "shop TXT \"v=spf1 mx:mail.example.net -all\"\n",
            &snapshot,
            &["SPF020"],
        ));
    }
}
