//! ZONE009 `zone-occluded`.

use crate::rules::delegation::{is_served, places, Place};
use crate::rules::targets::{owner_span, target, txt_starts_with};
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use foldhash::HashSet;
use zonelint_zone::{Code, NameRef, RType, RecordRef};

/// Data at or below a delegation that is never served.
pub struct Occluded;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE009", slug: "zone-occluded" },
    default: Level::Warning,
    strict: Level::Warning,
    fix: FixAvailability::None,
    first_release: true,
    summary: "data at or below a delegation that is never served",
    doc: RuleDoc {
        what: "Reports records that a delegation hides: at a delegation point anything but NS, DS (with their RRSIG and NSEC) and glue; below it anything but glue (A/AAAA of a name that an NS record of this zone points at). MX, SPF and DMARC records are named as such in the message.",
        why: "At a zone cut the parent stops being authoritative (RFC 1034 §4.2.1): resolvers are referred to the child's servers, so this data is never served. An MX or SPF record put at a delegated name in the parent's file looks published but is not: receivers see whatever the child zone has.",
        example: "sub NS ns1.example.com.\nsub MX 10 mail.example.com.\n",
        use_instead: "sub NS ns1.example.com.\n",
        fix_safety: "No fix: the data probably belongs in the child zone's file, which this file cannot change.",
        references: &["RFC 1034 §4.2.1", "RFC 1034 §4.3.2", "RFC 1035 §5.2", "RFC 2181 §6"],
    },
};

/// What a record is, for the message: email records are named as such.
fn describe(record: &RecordRef<'_>) -> String {
    let rtype = record.rtype();
    if rtype == RType::TXT {
        if txt_starts_with(&record.rdata(), b"v=spf1") {
            return "SPF record (TXT `v=spf1`)".to_owned();
        }
        if txt_starts_with(&record.rdata(), b"v=DMARC1") {
            return "DMARC record (TXT `v=DMARC1`)".to_owned();
        }
    }
    if rtype == RType::MX {
        return "MX record".to_owned();
    }
    format!("{rtype} record")
}

impl Rule for Occluded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        if zone.cuts().next().is_none() {
            return;
        }
        // Glue: addresses of names that the served NS records of this zone (apex and
        // delegations, not occluded ones) point at (RFC 1034 §4.2.1), sibling glue included.
        let ns_targets: HashSet<&NameRef> = places(zone)
            .filter(|(_, place)| is_served(*place, RType::NS))
            .flat_map(|(facts, _)| zone.records_of(facts, RType::NS))
            .filter_map(|ns| target(&ns).map(|t| t.name))
            .collect();
        for (facts, place) in places(zone) {
            let (cut, position) = match place {
                Place::Authoritative => continue,
                Place::Cut => (facts, "sits at the delegation point"),
                Place::BelowCut(cut) => (cut, "sits below the delegation point"),
            };
            let is_glue_name = ns_targets.contains(facts.name);
            for record in zone.records(facts) {
                let rtype = record.rtype();
                // A DNAME beside the NS of a delegation is ZONE008's.
                if is_served(place, rtype)
                    || (is_glue_name && matches!(rtype, RType::A | RType::AAAA))
                    || (matches!(place, Place::Cut) && rtype == RType::DNAME)
                {
                    continue;
                }
                let what = describe(&record);
                let help = if what.starts_with("DMARC") {
                    format!("Publish it in the child zone {}; names there need their own DMARC, or they fall back to the parent's `sp`", cut.name)
                } else {
                    format!(
                        "Move it to the zone file of {} (the child zone), or delete it",
                        cut.name
                    )
                };
                sink.report(
                    owner_span(&record),
                    format!(
                        "{what} at {} {position} {} and is never served",
                        facts.name, cut.name
                    ),
                )
                .help(help)
                .related(
                    zone.records_of(cut, RType::NS)
                        .next()
                        .map_or_else(|| zone.first_span(cut), |ns| ns.owner_span()),
                    format!("{} is delegated here", cut.name),
                )
                .owner(facts.name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, ds, head, rrsig};
    use zonelint_zone::RType;

    #[test]
    fn data_at_and_below_a_cut_fires_with_email_records_named() {
        let zone = format!(
            "{}sub NS ns.sub\nsub MX 10 mail.example.com.\nsub TXT \"v=spf1 -all\"\n_dmarc.sub TXT \"v=DMARC1; p=reject\"\nwww.sub A 192.0.2.80\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE009", &zone), @r"
        8:1 ZONE009 MX record at sub.example.com. sits at the delegation point sub.example.com. and is never served
          help: Move it to the zone file of sub.example.com. (the child zone), or delete it
          related 7:1: sub.example.com. is delegated here
        9:1 ZONE009 SPF record (TXT `v=spf1`) at sub.example.com. sits at the delegation point sub.example.com. and is never served
          help: Move it to the zone file of sub.example.com. (the child zone), or delete it
          related 7:1: sub.example.com. is delegated here
        10:1 ZONE009 DMARC record (TXT `v=DMARC1`) at _dmarc.sub.example.com. sits below the delegation point sub.example.com. and is never served
          help: Publish it in the child zone sub.example.com.; names there need their own DMARC, or they fall back to the parent's `sp`
          related 7:1: sub.example.com. is delegated here
        11:1 ZONE009 A record at www.sub.example.com. sits below the delegation point sub.example.com. and is never served
          help: Move it to the zone file of sub.example.com. (the child zone), or delete it
          related 7:1: sub.example.com. is delegated here
        ");
    }

    #[test]
    fn delegation_glue_and_ds_do_not_fire() {
        let zone = format!(
            "{}sub NS ns.sub\nsub NS sub\nsub NS ns.other\nsub {}\nsub {}\nsub A 192.0.2.9\nns.sub A 192.0.2.10\nns.sub AAAA 2001:db8::10\nother NS ns.other\nns.other A 192.0.2.11\n",
            head(),
            ds(),
            rrsig(RType::DS, 3600)
        );
        assert_eq!(check("ZONE009", &zone), "");
    }

    #[test]
    fn a_nested_delegation_below_a_cut_is_occluded_with_its_glue() {
        let zone = format!(
            "{}sub NS ns1\ndeep.sub NS ns.deep.sub\nns.deep.sub A 192.0.2.7\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE009", &zone), @r"
        8:1 ZONE009 NS record at deep.sub.example.com. sits below the delegation point sub.example.com. and is never served
          help: Move it to the zone file of sub.example.com. (the child zone), or delete it
          related 7:1: sub.example.com. is delegated here
        9:1 ZONE009 A record at ns.deep.sub.example.com. sits below the delegation point sub.example.com. and is never served
          help: Move it to the zone file of sub.example.com. (the child zone), or delete it
          related 7:1: sub.example.com. is delegated here
        ");
    }

    #[test]
    fn a_zone_without_cuts_does_not_fire() {
        let zone = format!("{}www A 192.0.2.1\n*.www TXT \"v=spf1 -all\"\n", head());
        assert_eq!(check("ZONE009", &zone), "");
    }
}
