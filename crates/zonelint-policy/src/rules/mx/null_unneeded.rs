//! MX008 `mx-null-unneeded`.

use super::{has_address, has_real_mx, null_mx};
use crate::rules::cov::{exempt_from_coverage, parked};
use crate::rules::delegation::{is_served, places_of};
use crate::rules::targets::target;
use crate::rules::{FixAvailability, Level, Rule, RuleDoc, RuleMeta, Sink, ZoneContext};
use zonelint_zone::rdata::view;
use zonelint_zone::{Code, RType};

/// A null MX at a name without addresses, where it changes nothing.
pub struct NullUnneeded;

static META: RuleMeta = RuleMeta {
    code: Code { code: "MX008", slug: "mx-null-unneeded" },
    default: Level::Info,
    strict: Level::Off,
    fix: FixAvailability::None,
    first_release: false,
    summary: "null MX on a name with no A/AAAA",
    doc: RuleDoc {
        what: "Notes a null MX (`MX 0 .`) at a name that has no A or AAAA record and no other MX. Not reported at the apex of a parked zone, where the M3AAWG parked-domain profile (COV007) asks for it, nor in the strict profile.",
        why: "Without an MX and without an address a name already cannot receive mail: senders find no implicit MX (RFC 5321 §5.1) and give up at once. The null MX is harmless there, only redundant, as internet.nl's verdict says.",
        example: "old MX 0 .\nold TXT \"v=spf1 -all\"\n",
        use_instead: "old TXT \"v=spf1 -all\"\n",
        fix_safety: "No fix: the record is harmless and many operators publish it deliberately.",
        references: &["RFC 5321 §5.1", "RFC 7505 §3", "internet.nl mail test verdicts"],
    },
};

impl Rule for NullUnneeded {
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
        let parked_zone = parked(cx);
        for (facts, place) in places_of(zone, cx.names()) {
            if !is_served(place, RType::MX)
                || exempt_from_coverage(zone, facts)
                || has_address(zone, facts)
                || has_real_mx(zone, facts)
                || (parked_zone && facts.name == zone.origin)
            {
                continue;
            }
            // A null MX with another preference is MX002's.
            let Some(null) = null_mx(zone, facts)
                .filter(|mx| view::mx(&mx.rdata()).is_some_and(|mx| mx.preference == 0))
            else {
                continue;
            };
            let span = target(&null).map_or(null.span(), |t| t.span());
            let name = facts.name;
            sink.report(span, format!("null MX at {name}, which has no A or AAAA record: without an address senders already find no mail server and give up"))
                .help("Harmless; the null MX is optional where the name has no address records")
                .owner(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::lint_snippet;

    #[test]
    fn a_null_mx_without_addresses_is_noted() {
        insta::assert_snapshot!(lint_snippet(
            "old MX 0 .\nold TXT \"v=spf1 -all\"\n",
            &["MX008"]
        ));
    }

    #[test]
    fn a_null_mx_beside_an_address_is_not_noted() {
        assert_eq!(
            lint_snippet(
                "www A 192.0.2.1\nwww MX 0 .\nwww TXT \"v=spf1 -all\"\nv6 AAAA 2001:db8::1\nv6 MX 0 .\nv6 TXT \"v=spf1 -all\"\n",
                &["MX008"],
            ),
            ""
        );
    }
}
