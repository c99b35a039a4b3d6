//! SPF022 `spf-include-loop`.

use super::{analysis, owner_text, selected};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::{RecordId, SpfAnalysis, MAX_DEPTH};
use zonelint_zone::Code;

/// An include/redirect cycle.
pub struct IncludeLoop;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF022", slug: "spf-include-loop" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "an include/redirect cycle",
    doc: RuleDoc {
        what: "Reports the `include:` or `redirect=` that closes a cycle of records in the loaded zones (a record that includes itself, or a includes b includes a), once per cycle, with the cycle spelled out.",
        why: "Evaluating a cycle never ends by itself; receivers stop it with the lookup limit of RFC 7208 §4.6.4 (or detect the loop) and return permerror, so every record in the cycle, and every record that includes one, fails for all senders.",
        example: "a TXT \"v=spf1 include:b.example.com -all\"\nb TXT \"v=spf1 include:a.example.com -all\"\n",
        use_instead: "a TXT \"v=spf1 include:b.example.com -all\"\nb TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
        fix_safety: "No fix: which link of the cycle is wrong is the owner's choice.",
        references: &["RFC 7208 §4.6.4", "RFC 7208 §5.2", "RFC 7208 §6.1"],
    },
};

/// The owners from `from` back to `to` following includes and redirects (a path exists:
/// `to` was being evaluated when `from` was reached from it).
fn cycle(
    cx: &ZoneContext<'_>,
    analysis: &SpfAnalysis,
    from: RecordId,
    to: RecordId,
) -> Vec<String> {
    fn walk(analysis: &SpfAnalysis, at: RecordId, to: RecordId, path: &mut Vec<RecordId>) -> bool {
        if at == to {
            return true;
        }
        if path.len() > MAX_DEPTH || path.contains(&at) {
            return false;
        }
        path.push(at);
        let children: Vec<RecordId> = analysis
            .evaluation(at)
            .map(|e| e.terms.iter().filter_map(|t| t.child).collect())
            .unwrap_or_default();
        for child in children {
            if walk(analysis, child, to, path) {
                return true;
            }
        }
        path.pop();
        false
    }
    let mut path = Vec::new();
    if !walk(analysis, from, to, &mut path) {
        path.clear();
    }
    path.push(to);
    path.iter().map(|&id| owner_text(cx, id)).collect()
}

impl Rule for IncludeLoop {
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
            for term in evaluation.terms.iter().filter(|t| t.closes_loop) {
                let Some(child) = term.child else {
                    continue;
                };
                let mut names = vec![owner.to_string()];
                names.extend(cycle(cx, analysis, child, id));
                sink.report(
                    term.span,
                    format!("`{}` closes an SPF include loop: {}; receivers return permerror", term.text, names.join(" → ")),
                )
                .help("Break the cycle: one of these records must not include (or redirect to) the next")
                .owner(owner);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn a_two_record_cycle_and_a_self_include_fire_once_each() {
        insta::assert_snapshot!(lint_snippet(
            "a TXT \"v=spf1 include:b.example.com -all\"\nb TXT \"v=spf1 redirect=c.example.com\"\nc TXT \"v=spf1 include:a.example.com -all\"\nself TXT \"v=spf1 include:self.example.com -all\"\n",
            &["SPF022"],
        ));
    }

    #[test]
    fn diamonds_are_not_loops() {
        let found = lint_snippet(
            "a TXT \"v=spf1 include:b.example.com include:c.example.com -all\"\nb TXT \"v=spf1 include:d.example.com -all\"\nc TXT \"v=spf1 include:d.example.com -all\"\nd TXT \"v=spf1 ip4:192.0.2.1 -all\"\n",
            &["SPF022"],
        );
        assert_eq!(found, "");
    }
}
