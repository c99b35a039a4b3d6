//! SPF026 `spf-rrset-size`.

use super::selected;
use crate::index::NameSet;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType, RecordRef};

/// The TXT RRset at an SPF name too large for a plain UDP answer.
pub struct RrsetSize;

/// RFC 7208 §3.4: under this, answers ought to fit in UDP packets.
const ADVISED: usize = 450;
/// The classic UDP DNS message limit (RFC 1035 §4.2.1).
const UDP_LIMIT: usize = 512;

static META: RuleMeta = RuleMeta {
    code: Code { code: "SPF026", slug: "spf-rrset-size" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "the TXT records at an SPF name total more than 450 octets (warning) or 512 (error)",
    doc: RuleDoc {
        what: "Adds up, at each name with an SPF record, the length of the name and of every TXT record's data in wire form (its strings with their length octets), verification tokens included, since an SPF query returns them all. Over 450 octets is a warning, over 512 an error, in both profiles.",
        why: "RFC 7208 §3.4: the SPF record should fit in a 512-octet UDP answer, and if the name and the text of all the records of the type together are under 450 octets, answers ought to fit. A TXT query returns every TXT record at the name; a larger answer is truncated and needs TCP, which some receivers and middleboxes do not complete, and then SPF gives temperror or none.",
        example: "shop TXT \"v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ip4:203.0.113.0/24 -all\"\nshop TXT \"google-site-verification=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\nshop TXT \"MS=ms00000000\"\nshop TXT \"facebook-domain-verification=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"\nshop TXT \"atlassian-domain-verification=cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\"\nshop TXT \"apple-domain-verification=dddddddddddddddd\"\nshop TXT \"docusign=eeeeeeee-eeee-eeee-eeee-eeeeeeeeeeee\"\nshop TXT \"stripe-verification=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff\"\nshop TXT \"adobe-idp-site-verification=gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg\"\n",
        use_instead: "shop TXT \"v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ip4:203.0.113.0/24 -all\"\n_google.shop TXT \"google-site-verification=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"\n",
        fix_safety: "No fix: where each verification token can move depends on its service.",
        references: &["RFC 7208 §3.4", "RFC 1035 §4.2.1"],
    },
};

impl Rule for RrsetSize {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        // The owners judged already, by position (an owner may hold several records).
        let mut seen = NameSet::new(cx.zone);
        for (_, entry) in selected(cx) {
            let owner = entry.txt.owner;
            let Some((position, facts)) = cx.zone.owner_of(entry.txt.record) else {
                continue;
            };
            if !seen.insert(position) {
                continue;
            }
            let records: Vec<_> = cx.zone.records_of(facts, RType::TXT).collect();
            let data: usize = records.iter().map(RecordRef::rdata_len).sum();
            let size = owner.as_wire().len() + data;
            if size <= ADVISED {
                continue;
            }
            let (default, strict, limit) = if size > UDP_LIMIT {
                (
                    Level::Error,
                    Level::Error,
                    format!("over the {UDP_LIMIT} octets of a UDP answer"),
                )
            } else {
                (
                    Level::Warning,
                    Level::Warning,
                    format!("over the {ADVISED} octets RFC 7208 §3.4 advises"),
                )
            };
            let Some(report) = sink.report_graded(
                default,
                strict,
                entry.txt.text.whole_span(),
                format!(
                    "the {} TXT records at {owner} total {size} octets with the name, {limit}: an SPF query returns them all, and a truncated answer needs TCP",
                    records.len()
                ),
            ) else {
                continue;
            };
            let mut report = report
                .help("Move verification tokens elsewhere (many services accept an underscore name or a CNAME), remove stale ones, or shorten the SPF record")
                .owner(owner);
            let mut others: Vec<_> = records
                .iter()
                .filter(|r| r.span() != entry.txt.span())
                .collect();
            others.sort_by_key(|r| std::cmp::Reverse(r.rdata_len()));
            for record in others.iter().take(3) {
                report = report.related(
                    record.rdata_span(),
                    format!("{} octets", record.rdata_len()),
                );
            }
            drop(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    fn tokens(owner: &str, count: usize, length: usize) -> String {
        (0..count)
            .map(|i| format!("{owner} TXT \"token{i}={}\"\n", "x".repeat(length)))
            .collect()
    }

    #[test]
    fn over_450_warns_and_over_512_errs() {
        // shop: 18 (name) + 49 (SPF) + 4 × 101 = 471; news: 18 + 49 + 5 × 101 = 572.
        let spf = "\"v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 -all\"";
        insta::assert_snapshot!(lint_snippet(
            &format!(
                "shop TXT {spf}\n{}news TXT {spf}\n{}",
                tokens("shop", 4, 93),
                tokens("news", 5, 93)
            ),
            &["SPF026"],
        ));
    }

    #[test]
    fn small_rrsets_and_names_without_spf_do_not_fire() {
        let found = lint_snippet(
            &format!(
                "shop TXT \"v=spf1 -all\"\n{}{}",
                tokens("shop", 3, 93),
                tokens("plain", 9, 93)
            ),
            &["SPF026"],
        );
        assert_eq!(found, "");
    }
}
