//! MX001 `mx-null-with-others`.

use crate::rules::delegation::{is_served, places_of};
use crate::rules::targets::{target, Target};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// A null MX beside other MX records.
pub struct NullWithOthers;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MX001", slug: "mx-null-with-others" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "null MX plus other MX records at the same name",
    doc: RuleDoc {
        what: "Reports a null MX (`MX 0 .`, exchange the root) at a name that also has MX records with a real exchange.",
        why: "A null MX says the domain accepts no mail, and a domain that publishes one must publish no other MX (RFC 7505 §3). With both, senders disagree: some deliver to the real exchange, others bounce at once, so mail is lost unpredictably.",
        example: "shop MX 0 .\nshop MX 10 mail.example.com.\nshop TXT \"v=spf1 -all\"\n",
        use_instead: "shop MX 10 mail.example.com.\nshop TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: whether the name takes mail is the operator's decision.",
        references: &["RFC 7505 §3"],
    },
};

impl Rule for NullWithOthers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn walks_names_in_chunks(&self) -> bool {
        true
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for (facts, place) in places_of(zone, cx.names()) {
            if !is_served(place, RType::MX) || facts.record_count() < 2 {
                continue;
            }
            // The exchanges, the null MX's first: a name without a null MX (nearly every
            // one) is done after one look at its records, with nothing kept.
            let exchanges = || {
                zone.records_of(facts, RType::MX)
                    .filter_map(|mx| target(&mx))
            };
            let Some(null) = exchanges().find(Target::is_root) else {
                continue;
            };
            let others: Vec<Target<'_>> = exchanges().filter(|e| !e.is_root()).collect();
            if others.is_empty() {
                continue;
            }
            let count = others.len();
            let plural = if count == 1 { "" } else { "s" };
            let mut report = sink
                .report(
                    null.span(),
                    format!(
                        "null MX at {} beside {count} other MX record{plural}; a null MX must be the only MX",
                        facts.name
                    ),
                )
                .help("Pick one: accept mail (keep the real MX and delete `MX 0 .`) or declare that the name takes none (`MX 0 .` alone)")
                .owner(facts.name);
            for other in others {
                report = report.related(other.span(), "other MX here");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn a_null_mx_beside_a_real_one_fires() {
        let zone = format!(
            "{}@ MX 10 mail\n@ MX 0 .\n@ MX 20 backup.example.net.\nmail A 192.0.2.25\n",
            head()
        );
        insta::assert_snapshot!(check("MX001", &zone), @r"
        8:8 MX001 null MX at example.com. beside 2 other MX records; a null MX must be the only MX
          help: Pick one: accept mail (keep the real MX and delete `MX 0 .`) or declare that the name takes none (`MX 0 .` alone)
          related 7:9: other MX here
          related 9:9: other MX here
        ");
    }

    #[test]
    fn a_null_mx_alone_or_real_mx_only_do_not_fire() {
        let zone = format!(
            "{}@ MX 0 .\nwww MX 10 mail\nwww MX 20 mail2\nmail A 192.0.2.25\n",
            head()
        );
        assert_eq!(check("MX001", &zone), "");
    }
}
