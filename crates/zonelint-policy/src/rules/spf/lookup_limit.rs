//! SPF017 `spf-lookup-limit`.

use super::{analysis, owner_text, path_steps, selected, with_path_to};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use crate::spf_eval::{Metric, LOOKUP_LIMIT, MAX_DEPTH};
use zonelint_zone::Code;

/// More than 10 DNS-querying terms in the include/redirect tree.
pub struct LookupLimit;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF017", slug: "spf-lookup-limit" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "more than 10 DNS lookups in the SPF tree",
    doc: RuleDoc {
        what: "Counts the terms that cost a DNS lookup (`include`, `a`, `mx`, `ptr`, `exists`, `redirect`) over the whole include/redirect tree of each SPF record, in the worst case where nothing matches early, and reports records over 10 at the first term that crosses the limit, walking left to right (semantics.md §2.3). Targets outside the loaded zones, or built from macros, count 1 each and make the total a lower bound (\"≥N\"); the rule fires only when even that lower bound is over 10.",
        why: "RFC 7208 §4.6.4 limits evaluation to 10 such lookups; receivers enforce it in evaluation order and return permerror when the 11th is needed. Senders whose address matches after that point fail SPF, and with DMARC their mail may be rejected.",
        example: "shop TXT \"v=spf1 include:s1.example include:s2.example include:s3.example include:s4.example include:s5.example include:s6.example include:s7.example include:s8.example include:s9.example include:s10.example include:s11.example -all\"\n",
        use_instead: "shop TXT \"v=spf1 include:s1.example include:s2.example include:s3.example include:s4.example include:s5.example ip4:192.0.2.0/24 -all\"\n",
        fix_safety: "No fix: which senders to drop or flatten is the owner's choice.",
        references: &["RFC 7208 §4.6.4", "RFC 7208 §5.2", "RFC 7208 §6.1"],
    },
};

impl Rule for LookupLimit {
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
            let totals = evaluation.totals;
            if totals.lookups <= LOOKUP_LIMIT {
                continue;
            }
            let path = analysis.crossing(id, Metric::Lookups, LOOKUP_LIMIT);
            let steps = path_steps(analysis, &path);
            let (Some(&(_, first)), Some(&(last_record, last))) = (steps.first(), steps.last())
            else {
                continue;
            };
            let owner = entry.txt.owner;
            let lookups = totals.lookups;
            let bound = if totals.open == 0 {
                String::new()
            } else {
                let outside = totals
                    .open
                    .saturating_sub(totals.sender_dependent)
                    .saturating_sub(totals.too_deep);
                let mut parts = Vec::new();
                if outside > 0 {
                    parts.push(format!(
                        "{outside} {} outside the loaded zones",
                        if outside == 1 {
                            "target is"
                        } else {
                            "targets are"
                        }
                    ));
                }
                if totals.sender_dependent > 0 {
                    parts.push(format!(
                        "{} {} on the sender (macros)",
                        totals.sender_dependent,
                        if totals.sender_dependent == 1 {
                            "target depends"
                        } else {
                            "targets depend"
                        }
                    ));
                }
                if totals.too_deep > 0 {
                    parts.push(format!(
                        "{} include {} deeper than {MAX_DEPTH} levels and not followed",
                        totals.too_deep,
                        if totals.too_deep == 1 {
                            "chain is"
                        } else {
                            "chains are"
                        }
                    ));
                }
                format!(" (≥{lookups}: {})", parts.join(", "))
            };
            let report = sink
                .report(
                    first.span,
                    format!(
                        "{lookups}/{LOOKUP_LIMIT} DNS lookups in the SPF tree of {owner}{bound}; receivers return permerror at lookup {}, `{}`{}",
                        LOOKUP_LIMIT + 1,
                        last.text,
                        if steps.len() > 1 { format!(" in the SPF record of {}", owner_text(cx, last_record)) } else { String::new() }
                    ),
                )
                .help("Remove includes, replace `a`/`mx` with `ip4`/`ip6`, or split the record per sending subdomain")
                .owner(owner);
            drop(with_path_to(
                cx,
                report,
                &steps,
                &format!("lookup {}", LOOKUP_LIMIT + 1),
            ));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::rules::test_support::{check_zones, lint_snippet, lint_with_snapshot};

    fn includes(count: usize, prefix: &str) -> String {
        (1..=count)
            .map(|i| format!("include:{prefix}{i}.example"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn eleven_external_includes_fire_as_a_lower_bound() {
        insta::assert_snapshot!(lint_snippet(
            &format!("shop TXT \"v=spf1 {} -all\"\n", includes(11, "s")),
            &["SPF017"],
        ));
    }

    /// `dig +noall +answer` output for Google's SPF tree (4 lookups).
    pub(crate) const GOOGLE: &str = "_spf.google.com.\t300\tIN\tTXT\t\"v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all\"\n_netblocks.google.com.\t300\tIN\tTXT\t\"v=spf1 ip4:35.190.247.0/24 ip4:64.233.160.0/19 ~all\"\n_netblocks2.google.com.\t300\tIN\tTXT\t\"v=spf1 ip6:2001:4860:4000::/36 ~all\"\n_netblocks3.google.com.\t300\tIN\tTXT\t\"v=spf1 ip4:172.217.0.0/19 ~all\"\n";

    #[test]
    fn snapshot_targets_are_counted_exactly() {
        // 7 own lookups (`a` costs 1 wherever its target is) + 4 through the snapshot: 11,
        // exact (no "≥"), the crossing inside
        // the snapshot named in the message but not shown as a span.
        insta::assert_snapshot!(lint_with_snapshot(
            &format!(
                "shop TXT \"v=spf1 {}include:_spf.google.com -all\"\n",
                "a:h.example.net ".repeat(7)
            ),
            GOOGLE,
            &["SPF017"],
        ));
        // 6 + 4 = 10: at the limit, not over.
        let zone = format!(
            "shop TXT \"v=spf1 {} include:_spf.google.com -all\"\n",
            includes(6, "s")
        );
        assert_eq!(lint_with_snapshot(&zone, GOOGLE, &["SPF017"]), "");
    }

    #[test]
    fn the_snapshot_answers_below_a_delegation_to_a_zone_not_loaded() {
        // sub is delegated away: its names are not the parent zone's, and the snapshot
        // holds the child's record (3 lookups): 1 + 3 + 7 = 11, exact.
        let zone = format!(
            "sub NS ns.example.net.\nshop TXT \"v=spf1 include:_spf.sub.example.com {}-all\"\n",
            "a:h.example.net ".repeat(7)
        );
        let snapshot = "_spf.sub.example.com. 300 IN TXT \"v=spf1 a:x.example.net a:y.example.net a:z.example.net -all\"\n";
        let found = lint_with_snapshot(&zone, snapshot, &["SPF017"]);
        assert!(
            found.contains("11/10 DNS lookups in the SPF tree of shop.example.com.;"),
            "{found}"
        );
    }

    #[test]
    fn a_loaded_zone_wins_over_the_snapshot() {
        // The snapshot's record of _spf.example.com (4 lookups) is ignored: the zone's
        // own record (none) answers.
        let zone = format!(
            "shop TXT \"v=spf1 {} include:_spf.example.com -all\"\n_spf TXT \"v=spf1 -all\"\n",
            includes(9, "s")
        );
        let snapshot = "_spf.example.com. 300 IN TXT \"v=spf1 a:x.example.net a:y.example.net a:z.example.net -all\"\n";
        assert_eq!(lint_with_snapshot(&zone, snapshot, &["SPF017"]), "");
    }

    #[test]
    fn exactly_ten_lookups_do_not_fire() {
        let zone = format!(
            "shop TXT \"v=spf1 {} a mx -all\"\nshop A 192.0.2.1\nshop MX 10 shop\n",
            includes(8, "s")
        );
        assert_eq!(lint_snippet(&zone, &["SPF017"]), "");
    }

    #[test]
    fn the_crossing_is_found_inside_an_in_zone_include() {
        insta::assert_snapshot!(lint_snippet(
            "@ MX 10 mail\nmail A 192.0.2.25\nshop TXT \"v=spf1 a:mail.example.com include:_spf.example.com ip4:192.0.2.1 -all\"\n_spf TXT \"v=spf1 include:_a.example.com include:_b.example.com -all\"\n_a TXT \"v=spf1 mx mx mx mx -all\"\n_b TXT \"v=spf1 mx mx mx mx exists:%{i}.x.example.net -all\"\n",
            &["SPF017"],
        ));
    }

    #[test]
    fn terms_after_all_and_ignored_redirects_are_not_counted() {
        let zone = format!(
            "shop TXT \"v=spf1 {} -all \" \"{} redirect=_spf.example.net\"\n",
            includes(9, "s"),
            includes(5, "t")
        );
        assert_eq!(lint_snippet(&zone, &["SPF017"]), "");
    }

    #[test]
    fn diamonds_count_every_path_without_blowing_up() {
        // Each level includes the next twice: 2^20 paths, evaluated once per record.
        let mut zone = String::from("shop TXT \"v=spf1 include:l0.example.com -all\"\n");
        for level in 0..20 {
            zone.push_str(&format!(
                "l{level} TXT \"v=spf1 include:l{next}.example.com include:l{next}.example.com -all\"\n",
                next = level + 1
            ));
        }
        zone.push_str("l20 TXT \"v=spf1 -all\"\n");
        let found = lint_snippet(&zone, &["SPF017"]);
        assert!(found.contains("SPF017"), "{found}");
    }

    #[test]
    fn a_deep_chain_is_capped_and_reported_without_overflowing() {
        let mut zone = String::new();
        for level in 0..200 {
            zone.push_str(&format!(
                "_l{level} TXT \"v=spf1 include:_l{next}.example.com -all\"\n",
                next = level + 1
            ));
        }
        zone.push_str("_l200 TXT \"v=spf1 -all\"\n");
        let found = lint_snippet(&zone, &["SPF017"]);
        let first = found.lines().next().unwrap_or_default();
        insta::assert_snapshot!(first);
    }

    #[test]
    fn a_cross_zone_include_is_followed() {
        let parent = "$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n@ TXT \"v=spf1 include:_spf.example.org a a a a a -all\"\n@ A 192.0.2.1\n";
        let other = "$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600\n@ NS ns1.example.com.\n_spf TXT \"v=spf1 a:x.example.org a:x.example.org a:x.example.org a:x.example.org a:x.example.org -all\"\nx A 192.0.2.2\n";
        insta::assert_snapshot!(check_zones(
            "SPF017",
            &[("example.com.", parent), ("example.org.", other)]
        ));
    }
}
