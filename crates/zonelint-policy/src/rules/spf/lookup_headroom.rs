//! SPF018 `spf-lookup-headroom`.

use super::{analysis, selected};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::{TermRole, LOOKUP_LIMIT};
use zonelint_zone::Code;

/// An SPF tree near the lookup limit: from 8 (configurable) to 10 lookups.
pub struct LookupHeadroom;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF018", slug: "spf-lookup-headroom" },
    default: Level::Info,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: true,
    summary: "8 to 10 DNS lookups in the SPF tree: at the limit",
    doc: RuleDoc {
        what: "Reports SPF records whose include/redirect tree costs from 8 to 10 DNS lookups (8 is the library setting `spf_lookup_headroom`; zonelint.toml has no key for it) in the worst case, counted as SPF017 counts them. Targets outside the loaded zones and the `spf-snapshot` count 1 each, so the count may be a lower bound (\"≥N\"). Over 10 is SPF017's.",
        why: "RFC 7208 §4.6.4 allows 10 lookups and receivers return permerror at the 11th. Included records belong to other parties: when a provider adds one include to its record, a tree at the limit breaks without any change on this side.",
        example: "shop TXT \"v=spf1 include:s1.example include:s2.example include:s3.example include:s4.example include:s5.example include:s6.example include:s7.example include:s8.example include:s9.example include:s10.example -all\"\n",
        use_instead: "shop TXT \"v=spf1 include:s1.example include:s2.example include:s3.example ip4:192.0.2.0/24 -all\"\n",
        fix_safety: "No fix: which senders to drop or flatten is the owner's choice.",
        references: &["RFC 7208 §4.6.4"],
    },
};

impl Rule for LookupHeadroom {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_spf_analysis(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let analysis = analysis(cx);
        let analysis = &*analysis;
        let threshold = cx.settings.spf_lookup_headroom;
        for (id, entry) in selected(cx) {
            let Some(evaluation) = analysis.evaluation(id) else {
                continue;
            };
            let totals = evaluation.totals;
            if totals.lookups < threshold || totals.lookups > LOOKUP_LIMIT {
                continue;
            }
            let owner = entry.txt.owner;
            let lookups = totals.lookups;
            let (count, bound) = if totals.open == 0 {
                (format!("{lookups}/{LOOKUP_LIMIT}"), String::new())
            } else {
                (
                    format!("≥{lookups}/{LOOKUP_LIMIT}"),
                    format!(
                        " ({} include or redirect {} not known and counted as 1)",
                        totals.open,
                        if totals.open == 1 {
                            "target is"
                        } else {
                            "targets are"
                        }
                    ),
                )
            };
            let left = LOOKUP_LIMIT - lookups;
            let mut report = sink
                .report(
                    entry.txt.text.whole_span(),
                    format!(
                        "{count} DNS lookups in the SPF tree of {owner}{bound}: {} before receivers return permerror",
                        match left {
                            0 => "none to spare".to_owned(),
                            1 => "1 to spare".to_owned(),
                            n => format!("{n} to spare"),
                        }
                    ),
                )
                .help("At the limit: a provider adding one include will break SPF. Replace `a`/`mx` with `ip4`/`ip6`, drop unused includes, or split the record per sending subdomain")
                .owner(owner);
            // Where the lookups go: each include or redirect that costs more than itself.
            for term in &evaluation.terms {
                if !matches!(term.role, TermRole::Include | TermRole::Redirect) || term.closes_loop
                {
                    continue;
                }
                let Some(child) = term.child.and_then(|c| analysis.evaluation(c)) else {
                    continue;
                };
                let cost = child.totals.lookups.saturating_add(1);
                if cost > 1 {
                    report =
                        report.related(term.span, format!("`{}` costs {cost} lookups", term.text));
                }
            }
            drop(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::spf::lookup_limit::tests::GOOGLE;
    use crate::rules::test_support::{lint_snippet, lint_with, lint_with_snapshot, APEX};
    use crate::{Selector, Settings};

    #[test]
    fn eight_to_ten_lookups_fire_with_where_they_go() {
        insta::assert_snapshot!(lint_with_snapshot(
            "shop TXT \"v=spf1 a mx include:_spf.google.com include:_spf.example.com -all\"\nshop A 192.0.2.1\nshop MX 10 shop\n_spf TXT \"v=spf1 a:shop.example.com -all\"\nnews TXT \"v=spf1 include:_spf.google.com include:s1.example include:s2.example include:s3.example include:s4.example -all\"\n",
            GOOGLE,
            &["SPF018"],
        ));
    }

    #[test]
    fn seven_or_eleven_lookups_do_not_fire() {
        let found = lint_snippet(
            "a TXT \"v=spf1 a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net -all\"\nb TXT \"v=spf1 a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net -all\"\n",
            &["SPF018"],
        );
        assert_eq!(found, "");
    }

    #[test]
    fn the_threshold_is_a_setting() {
        let settings = Settings {
            select: vec![Selector("SPF018".to_owned())],
            spf_lookup_headroom: 5,
            ..Settings::default()
        };
        let found = lint_with(
            &format!("{APEX}a TXT \"v=spf1 a:h.example.net a:h.example.net a:h.example.net a:h.example.net a:h.example.net -all\"\n"),
            &settings,
        );
        assert!(found.contains("5/10 DNS lookups"), "{found}");
    }
}
