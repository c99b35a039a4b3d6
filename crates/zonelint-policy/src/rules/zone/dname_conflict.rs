//! ZONE008 `zone-dname-conflict`.

use crate::index::NameFacts;
use crate::rules::delegation::{places, Place};
use crate::rules::targets::{owner_span, target};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// DNAME records that conflict with other data.
pub struct DnameConflict;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE008", slug: "zone-dname-conflict" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: false,
    summary: "more than one DNAME, data below a DNAME, or DNAME beside NS below the apex",
    doc: RuleDoc {
        what: "Reports a second, different DNAME at one owner; records at names below a DNAME's owner; and a DNAME beside the NS records of a delegation (below the apex). Identical DNAMEs are ZONE015's; names below a delegation are ZONE009's.",
        why: "A DNAME redirects every name below its owner (RFC 6672 §2.4): records must not exist at names below it, and servers that load them anyway never serve them, since the query is rewritten first. A name holds at most one DNAME, as it holds at most one CNAME, since the redirection must be unambiguous. Beside NS below the apex a DNAME sits at a delegation point, where the parent is not authoritative, so it is never served either.",
        example: "old DNAME example.net.\nold TXT \"v=spf1 -all\"\nwww.old A 192.0.2.80\nwww.old TXT \"v=spf1 -all\"\n",
        use_instead: "old DNAME example.net.\nold TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: whether the redirection or the data below it should go is the operator's call.",
        references: &["RFC 6672 §2.4", "RFC 6672 §2.3", "RFC 1034 §4.2.1"],
    },
};

impl Rule for DnameConflict {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        // In canonical order a name's descendants follow it directly, so the DNAME above a
        // name is the last DNAME owner seen whose subtree has not ended.
        let mut redirecting: Option<&NameFacts<'_>> = None;
        for (facts, place) in places(zone) {
            // Below a delegation everything is ZONE009's.
            if matches!(place, Place::BelowCut(_)) {
                continue;
            }
            if let Some(dname) = redirecting {
                if facts.name.is_at_or_below(dname.name) {
                    if let Some(first) = zone.records(facts).next() {
                        let target = zone.records_of(dname, RType::DNAME).next();
                        let to = target
                            .as_ref()
                            .and_then(|r| crate::rules::targets::target(r))
                            .map(|t| t.name)
                            .map_or_else(String::new, |n| format!(" to {n}"));
                        let mut report = sink
                            .report(
                                owner_span(&first),
                                format!(
                                    "{} is below the DNAME at {}: queries for it are redirected{to}, so its records are never served",
                                    facts.name, dname.name
                                ),
                            )
                            .help(format!("Move these records to the DNAME's target zone, or remove the DNAME at {}", dname.name))
                            .owner(facts.name);
                        if let Some(record) = target {
                            report = report.related(
                                record.type_span(),
                                format!("DNAME at {} here", dname.name),
                            );
                        }
                        drop(report);
                    }
                    continue;
                }
                redirecting = None;
            }
            let mut dnames = zone.records_of(facts, RType::DNAME);
            let Some(first) = dnames.next() else { continue };
            if matches!(place, Place::Cut) {
                sink.report(
                    first.type_span(),
                    format!(
                        "DNAME at {} sits beside NS records: below the apex that is a delegation point, where this zone is not authoritative, so the DNAME is never served",
                        facts.name
                    ),
                )
                .help(format!("Remove the NS records (to redirect {} here) or the DNAME (to delegate it)", facts.name))
                .owner(facts.name);
                continue;
            }
            for other in dnames {
                if other.rdata().eq_ignore_ascii_case(&first.rdata()) {
                    continue;
                }
                let shown = |r: &zonelint_zone::RecordRef<'_>| {
                    target(r)
                        .map(|t| t.name)
                        .map_or_else(|| "?".to_owned(), |n| n.to_string())
                };
                sink.report(
                    other.type_span(),
                    format!(
                        "second DNAME at {} (to {}, the first goes to {}): a name can redirect only one way",
                        facts.name,
                        shown(&other),
                        shown(&first)
                    ),
                )
                .help("Keep one DNAME per name")
                .related(first.type_span(), "first DNAME here")
                .owner(facts.name);
            }
            redirecting = Some(facts);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn data_below_a_dname_fires_once_per_name() {
        let zone = format!(
            "{}old DNAME example.net.\nwww.old A 192.0.2.1\nwww.old AAAA 2001:db8::1\na.b.old TXT \"x\"\nolder A 192.0.2.2\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE008", &zone), @r"
        8:1 ZONE008 www.old.example.com. is below the DNAME at old.example.com.: queries for it are redirected to example.net., so its records are never served
          help: Move these records to the DNAME's target zone, or remove the DNAME at old.example.com.
          related 7:5: DNAME at old.example.com. here
        10:1 ZONE008 a.b.old.example.com. is below the DNAME at old.example.com.: queries for it are redirected to example.net., so its records are never served
          help: Move these records to the DNAME's target zone, or remove the DNAME at old.example.com.
          related 7:5: DNAME at old.example.com. here
        ");
    }

    #[test]
    fn two_dnames_and_a_dname_at_a_cut_fire() {
        let zone = format!(
            "{}old DNAME example.net.\nold DNAME example.org.\nsub NS ns1\nsub DNAME example.org.\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE008", &zone), @r"
        8:5 ZONE008 second DNAME at old.example.com. (to example.org., the first goes to example.net.): a name can redirect only one way
          help: Keep one DNAME per name
          related 7:5: first DNAME here
        10:5 ZONE008 DNAME at sub.example.com. sits beside NS records: below the apex that is a delegation point, where this zone is not authoritative, so the DNAME is never served
          help: Remove the NS records (to redirect sub.example.com. here) or the DNAME (to delegate it)
        ");
    }

    #[test]
    fn a_lone_dname_and_dname_beside_other_data_do_not_fire() {
        let zone = format!(
            "{}old DNAME example.net.\nold A 192.0.2.1\nold DNAME EXAMPLE.net.\nolder A 192.0.2.2\n",
            head()
        );
        assert_eq!(check("ZONE008", &zone), "");
    }
}
