//! SPF019 `spf-void-limit`.

use super::{analysis, owner_text, path_steps, selected, with_path_to};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::{Metric, TargetKind, TermRole, VOID_LIMIT};
use zonelint_zone::Code;

/// Void lookups: terms whose targets have none of the records they ask for.
pub struct VoidLimit;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF019", slug: "spf-void-limit" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "void DNS lookups: over 2 in a tree (error), or an in-zone target with nothing to find (warning)",
    doc: RuleDoc {
        what: "Counts void lookups (a query answered with no records, or NXDOMAIN) over each record's include/redirect tree, separately for IPv4 and IPv6 evaluation: `a` without A (or AAAA), `mx` without MX, `exists` without A, `include`/`redirect` targets without a TXT record. More than 2 in the worse family is an error at the term that makes the third; every in-zone `a`, `mx` or `exists` target that can never answer (no A and no AAAA for `a`) is a warning of its own (a bare `a` or `mx`, which looks up the record's own name, is SPF034's). `mx` counts the MX query only, the RFC's literal reading (pyspf also counts the hosts' address queries). Include targets without SPF are SPF021's.",
        why: "RFC 7208 §4.6.4: receivers SHOULD limit void lookups to 2 and return permerror past that, so a record with stale names stops working for everyone; each void term also costs a lookup of the 10 for nothing.",
        example: "shop TXT \"v=spf1 a:old1.example.com a:old2.example.com a:old3.example.com -all\"\n",
        use_instead: "shop TXT \"v=spf1 a:mail.example.com -all\"\n",
        fix_safety: "No fix: whether the names should be removed or given addresses is the owner's choice.",
        references: &["RFC 7208 §4.6.4", "RFC 7208 §5.3", "RFC 7208 §5.4", "RFC 7208 §5.7"],
    },
};

impl Rule for VoidLimit {
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
                let never_answers = term.void_ip4 && term.void_ip6;
                let TargetKind::InZone(target) = &term.target else {
                    continue;
                };
                // A bare `a` or `mx` (the record's own name) is SPF034's.
                if !never_answers
                    || term.implicit
                    || !matches!(term.role, TermRole::A | TermRole::Mx | TermRole::Exists)
                {
                    continue;
                }
                let wanted = match term.role {
                    TermRole::A => "no A or AAAA record",
                    TermRole::Mx => "no MX record",
                    _ => "no A record",
                };
                if let Some(report) = sink.report_graded(
                    Level::Warning,
                    Level::Warning,
                    term.span,
                    format!(
                        "`{}` in the SPF record of {owner} is a void lookup: {target} has {wanted}",
                        term.text
                    ),
                ) {
                    report
                        .help("Remove terms whose targets have no records, or publish the records")
                        .owner(owner);
                }
            }
            let totals = evaluation.totals;
            if totals.voids() <= VOID_LIMIT {
                continue;
            }
            let (metric, family, count) = if totals.void_ip4 >= totals.void_ip6 {
                (Metric::VoidIp4, "IPv4", totals.void_ip4)
            } else {
                (Metric::VoidIp6, "IPv6", totals.void_ip6)
            };
            let path = analysis.crossing(id, metric, VOID_LIMIT);
            let steps = path_steps(analysis, &path);
            let (Some(&(_, first)), Some(&(last_record, last))) = (steps.first(), steps.last())
            else {
                continue;
            };
            let place = if steps.len() > 1 {
                format!(" in the SPF record of {}", owner_text(cx, last_record))
            } else {
                String::new()
            };
            let Some(mut report) = sink.report_graded(
                Level::Error,
                Level::Error,
                first.span,
                format!("{count} void DNS lookups in the SPF tree of {owner} when the client is {family} (the limit is {VOID_LIMIT}); receivers return permerror at `{}`{place}", last.text),
            ) else {
                continue;
            };
            report = report
                .help("Remove terms whose targets have no records; 3 void lookups give permerror")
                .owner(owner);
            drop(with_path_to(
                cx,
                report,
                &steps,
                &format!("void lookup {}", VOID_LIMIT + 1),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn three_void_targets_fire_each_and_in_total() {
        insta::assert_snapshot!(lint_snippet(
            "shop TXT \"v=spf1 a:old1.example.com mx:old2.example.com exists:old3.example.com -all\"\n",
            &["SPF019"],
        ));
    }

    #[test]
    fn voids_are_counted_per_address_family() {
        // Three names with only A: void for IPv6 evaluation only, so no per-term warning,
        // but IPv6 evaluation crosses the limit.
        insta::assert_snapshot!(lint_snippet(
            "h1 A 192.0.2.1\nh1 TXT \"v=spf1 -all\"\nh2 A 192.0.2.2\nh2 TXT \"v=spf1 -all\"\nh3 A 192.0.2.3\nh3 TXT \"v=spf1 -all\"\nshop TXT \"v=spf1 a:h1.example.com a:h2.example.com a:h3.example.com -all\"\n",
            &["SPF019"],
        ));
    }

    #[test]
    fn answering_targets_external_names_and_macros_are_not_void() {
        let found = lint_snippet(
            "mail A 192.0.2.25\nmail AAAA 2001:db8::25\nmail TXT \"v=spf1 a -all\"\n@ MX 10 mail\nshop TXT \"v=spf1 a:mail.example.com mx:example.com a:gone.example.net exists:%{i}.x.example.com -all\"\n",
            &["SPF019"],
        );
        assert_eq!(found, "");
    }
}
