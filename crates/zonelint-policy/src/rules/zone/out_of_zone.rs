//! ZONE005 `zone-out-of-zone`.

use crate::rules::targets::owner_span;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::Code;

/// A record whose owner is not at or below the zone's origin.
pub struct OutOfZone;

static META: RuleMeta = RuleMeta {
    code: Code { code: "ZONE005", slug: "zone-out-of-zone" },
    default: Level::Error,
    strict: Level::Error,
    fix: FixAvailability::None,
    first_release: true,
    summary: "record whose owner is outside the zone",
    doc: RuleDoc {
        what: "Reports every record whose owner name is neither the origin nor below it.",
        why: "A zone holds only the names at or below its top node (RFC 1034 §4.2.1). BIND warns and drops such a record when it loads the zone, so it is never served: an SPF or DMARC record placed like this silently does not exist.",
        example: "www.example.org. TXT \"v=spf1 -all\"\n",
        use_instead: "www TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: the record may belong in another zone's file, or its owner may be misspelt.",
        references: &["RFC 1034 §4.2.1", "RFC 1035 §5.2"],
    },
};

impl Rule for OutOfZone {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn reads_email_records(&self) -> bool {
        false
    }

    fn check_zone(&self, cx: &ZoneContext<'_>, sink: &mut Sink<'_>) {
        let zone = cx.zone;
        for &position in &zone.out_of_zone {
            let Some(record) = zone.zone.record(position as usize) else {
                continue;
            };
            let owner = record.owner().to_name();
            sink.report(
                owner_span(&record),
                format!(
                    "{} record at {owner} is outside the zone {}; it is dropped on load and never served",
                    record.rtype(),
                    zone.origin
                ),
            )
            .help(format!(
                "Move it to the zone file of its own domain, or fix the owner: names in this file end in {}",
                zone.origin
            ))
            .owner(owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{check, head};

    #[test]
    fn an_owner_outside_the_origin_fires() {
        let zone = format!(
            "{}www.example.org. TXT \"v=spf1 -all\"\nexample.com.au. A 192.0.2.1\n",
            head()
        );
        insta::assert_snapshot!(check("ZONE005", &zone), @r"
        7:1 ZONE005 TXT record at www.example.org. is outside the zone example.com.; it is dropped on load and never served
          help: Move it to the zone file of its own domain, or fix the owner: names in this file end in example.com.
        8:1 ZONE005 A record at example.com.au. is outside the zone example.com.; it is dropped on load and never served
          help: Move it to the zone file of its own domain, or fix the owner: names in this file end in example.com.
        ");
    }

    #[test]
    fn names_at_or_below_the_origin_do_not_fire() {
        let zone = format!(
            "{}EXAMPLE.COM. TXT \"v=spf1 -all\"\na.b.c A 192.0.2.1\nxexample.com. A 192.0.2.2\n",
            head()
        );
        // `xexample.com.` is outside: only a whole-label suffix counts as below.
        insta::assert_snapshot!(check("ZONE005", &zone), @r"
        9:1 ZONE005 A record at xexample.com. is outside the zone example.com.; it is dropped on load and never served
          help: Move it to the zone file of its own domain, or fix the owner: names in this file end in example.com.
        ");
    }
}
