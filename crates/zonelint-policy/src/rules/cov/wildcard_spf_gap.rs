//! COV002 `cov-wildcard-spf-gap`.

use super::exempt_from_coverage;
use crate::fixes::insert_beside;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::rdata::view;
use zonelint_zone::{Applicability, Code, Fix, RType};

/// A wildcard that makes names exist without an SPF record for them.
pub struct WildcardSpfGap;

static META: RuleMeta = RuleMeta {
    code: Code { code: "COV002", slug: "cov-wildcard-spf-gap" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::Sometimes,
    first_release: true,
    summary: "a wildcard with addresses, MX or CNAME but no wildcard SPF record",
    doc: RuleDoc {
        what: "Reports a wildcard `*.X` that owns A, AAAA, MX or CNAME records but no `*.X TXT \"v=spf1 …\"`: every made-up name under X then exists, with no SPF. A CNAME wildcard is reported when its target (in the loaded zones) has no SPF.",
        why: "A wildcard answers for every name that does not exist (RFC 4592), so spammers can send from any invented subdomain, and receivers find no SPF record to fail them: the made-up subdomains of the incident. RFC 7208 §3.5 says a wildcard that answers for mail needs a wildcard SPF declaration beside it.",
        example: "* A 192.0.2.8\n",
        use_instead: "* A 192.0.2.8\n* TXT \"v=spf1 -all\"\n",
        fix_safety: "Adds `* TXT \"v=spf1 -all\"` beside the wildcard's records: safe when the wildcard has no MX (the invented names receive no mail, so none of them sends legitimately); unsafe otherwise.",
        references: &["RFC 7208 §3.5", "RFC 4592 §2.2, §3.3.1"],
    },
};

impl Rule for WildcardSpfGap {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        let Some(mail) = cx.zone_mail() else {
            return;
        };
        for facts in cx.names().filter(|f| f.name.is_wildcard()) {
            if exempt_from_coverage(zone, facts) || mail.spf_at(facts.name).next().is_some() {
                continue;
            }
            let owns = |t: RType| zone.has_type(facts, t);
            let span = zone
                .records(facts)
                .next()
                .map(|r| r.owner_span())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| zone.first_span(facts));
            let parent = facts
                .name
                .parent()
                .map(|p| p.to_string())
                .unwrap_or_default();
            if owns(RType::CNAME) {
                let Some(target) = zone
                    .records_of(facts, RType::CNAME)
                    .find_map(|r| r.rdata_borrowed().and_then(view::single_name))
                    .map(|n| n.to_name())
                else {
                    continue;
                };
                let Some(found) = cx.set.lookup(&target) else {
                    continue;
                };
                if found.facts.is_none()
                    || cx
                        .mail_of(found.zone)
                        .is_some_and(|m| m.selected_spf_at(&target).next().is_some())
                {
                    continue;
                }
                sink.report(span, format!("{} makes every undefined name under {parent} an alias of {target}, which publishes no SPF record", facts.name))
                    .help(format!("Give {target} an SPF record (`v=spf1 -all` if it sends no mail): the invented names take their SPF from it"))
                    .owner(facts.name);
                continue;
            }
            if !(owns(RType::A) || owns(RType::AAAA) || owns(RType::MX)) {
                continue;
            }
            let receives = owns(RType::MX);
            let mut report = sink
                .report(span, format!("{} makes every undefined name under {parent} exist, and none of them has an SPF record", facts.name))
                .help("Add `* IN TXT \"v=spf1 -all\"` beside the wildcard (names that exist need their own records too)")
                .owner(facts.name);
            if let Some(edit) = insert_beside(zone, facts, "TXT", "\"v=spf1 -all\"") {
                report = report.fix(Fix {
                    applicability: if receives {
                        Applicability::Unsafe
                    } else {
                        Applicability::Safe
                    },
                    message: "Add `* TXT \"v=spf1 -all\"` beside the wildcard".to_owned(),
                    edits: vec![edit],
                });
            }
            drop(report);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn wildcards_without_spf() {
        insta::assert_snapshot!(lint_snippet(
            "* A 192.0.2.8\n*.sub A 192.0.2.9\nsub TXT \"v=spf1 -all\"\n*.mail MX 10 mx.example.net.\nmail TXT \"v=spf1 -all\"\n*.ok A 192.0.2.10\n*.ok TXT \"v=spf1 -all\"\nok TXT \"v=spf1 -all\"\n*.txt TXT \"hello\"\ntxt TXT \"v=spf1 -all\"\n",
            &["COV002"],
        ));
    }

    #[test]
    fn cname_wildcards_take_their_targets_spf() {
        insta::assert_snapshot!(lint_snippet(
            "*.a CNAME web\na TXT \"v=spf1 -all\"\nweb A 192.0.2.1\n*.b CNAME good\nb TXT \"v=spf1 -all\"\ngood A 192.0.2.2\ngood TXT \"v=spf1 -all\"\n",
            &["COV002"],
        ));
    }
}
