//! ZONE010 `zone-glue-missing`.

use crate::rules::delegation::{is_served, places_of};
use crate::rules::targets::target;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::{Code, RType};

/// An in-bailiwick NS target below a cut with no address records.
pub struct GlueMissing;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE010", slug: "zone-glue-missing" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "in-bailiwick NS target below a delegation with no A/AAAA glue",
    doc: RuleDoc {
        what: "Reports an NS record whose target lies at or below a delegation of this zone and has no A or AAAA record here (no glue).",
        why: "To reach `ns.sub.example.com.` a resolver must ask the servers of `sub.example.com.`, which it can only find through that very name: the parent has to hand out the address as glue (RFC 1034 §4.2.1; RFC 1035 §5.2: if glue is required it should be present; RFC 9471). Without glue the delegation cannot be resolved and every name in the child fails.",
        example: "sub NS ns.sub.example.com.\n",
        use_instead: "sub NS ns.sub.example.com.\nns.sub A 192.0.2.54\n",
        fix_safety: "No fix: the server's address is the operator's to supply.",
        references: &["RFC 1034 §4.2.1", "RFC 1035 §5.2", "RFC 9471"],
    },
};

impl Rule for GlueMissing {
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
        if zone.cuts().next().is_none() {
            return;
        }
        for (facts, place) in places_of(zone, cx.names()) {
            if !is_served(place, RType::NS) {
                continue;
            }
            for ns in zone.records_of(facts, RType::NS) {
                let Some(target) = target(&ns) else { continue };
                let name = target.name;
                // Outside the zone there is no cut of ours to look for.
                if !name.is_at_or_below(&zone.origin) {
                    continue;
                }
                let Some(cut) = zone.cut_at_or_above(name) else {
                    continue;
                };
                let has_address = zone
                    .get(name)
                    .is_some_and(|t| zone.has_type(t, RType::A) || zone.has_type(t, RType::AAAA));
                if has_address {
                    continue;
                }
                sink.report(
                    target.span(),
                    format!(
                        "NS target {name} is inside the delegated {} but has no A/AAAA glue in this zone; resolvers cannot reach it",
                        cut.name
                    ),
                )
                .help(format!(
                    "Add `{name} IN A <address>` (and AAAA) to this zone as glue, or point the NS at a name outside {}",
                    cut.name
                ))
                .owner(facts.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn an_in_bailiwick_target_without_glue_fires() {
        let zone = format!(
            "{}sub NS ns.sub\nsub NS sub\n@ NS ns3.sub\nns3.sub TXT \"no address\"\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE010", &zone), @r"
        7:8 ZONE010 NS target ns.sub.example.com. is inside the delegated sub.example.com. but has no A/AAAA glue in this zone; resolvers cannot reach it
          help: Add `ns.sub.example.com. IN A <address>` (and AAAA) to this zone as glue, or point the NS at a name outside sub.example.com.
        8:8 ZONE010 NS target sub.example.com. is inside the delegated sub.example.com. but has no A/AAAA glue in this zone; resolvers cannot reach it
          help: Add `sub.example.com. IN A <address>` (and AAAA) to this zone as glue, or point the NS at a name outside sub.example.com.
        9:6 ZONE010 NS target ns3.sub.example.com. is inside the delegated sub.example.com. but has no A/AAAA glue in this zone; resolvers cannot reach it
          help: Add `ns3.sub.example.com. IN A <address>` (and AAAA) to this zone as glue, or point the NS at a name outside sub.example.com.
        ");
    }

    #[test]
    fn glue_present_or_targets_outside_the_cut_do_not_fire() {
        let zone = format!(
            "{}sub NS ns.sub\nns.sub AAAA 2001:db8::53\nsub NS ns1\nsub NS ns.example.net.\nother NS ns.sub\n",
            head()
        );
        assert_eq!(check("ZONE010", &zone), "");
    }
}
