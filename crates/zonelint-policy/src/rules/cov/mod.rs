//! COV: coverage, the core of the product: every name that exists says whether it sends
//! mail (semantics.md §2.1, §2.2).

pub mod cname_auth_scope;
pub mod dkim_for_senders;
pub mod dmarc_effective_weak;
pub mod dmarc_nonexistent;
pub mod nonsender_not_null;
pub mod parent_policy_unknown;
pub mod parked_profile;
pub mod spf_missing;
pub mod wildcard_spf_gap;
pub mod wildcard_txt_noise;

use crate::grammar::spf::{Mechanism, Qualifier, SpfRecord};
use crate::index::{NameFacts, ZoneIndex};
use crate::rules::delegation::{is_served, places};
use crate::rules::mx::has_real_mx;
use crate::rules::ZoneContext;
use zonelint_zone::{RType, Span};

/// Whether a name is exempt from SPF coverage (semantics.md §2.1): an underscore label
/// anywhere (RFC 8552 names are not mail domains), at or below a delegation (the child
/// zone's business), or a name that holds only DNSSEC hashed-owner data (NSEC3).
#[must_use]
pub fn exempt_from_coverage(zone: &ZoneIndex<'_>, facts: &NameFacts<'_>) -> bool {
    facts.has_underscore_label()
        || zone.cut_of(facts).is_some()
        || zone.holds_only(facts, &[RType::NSEC3, RType::RRSIG])
}

pub use crate::index::has_underscore_label;

/// The first term of an SPF record that authorizes senders: a pass mechanism other than
/// `all` (SPF001 reports `+all`), or else `redirect=`, which hands the verdict to another
/// record. `None` for records like `v=spf1 -all` or `v=spf1 ~all`, which authorize nobody.
#[must_use]
pub fn authorizing_term(record: &SpfRecord<'_>) -> Option<Span> {
    record
        .directives()
        .find(|(_, d)| {
            d.effective_qualifier() == Qualifier::Pass && !matches!(d.mechanism, Mechanism::All)
        })
        .map(|(term, _)| term.span())
        .or_else(|| {
            record
                .redirect()
                .map(|m| m.name_span().cover(m.value.span()))
        })
}

/// Whether the zone looks parked (M3AAWG's "parked domain"): its apex has data, no name in
/// it publishes a real MX, no SPF record in it authorizes a sender (`+all` and `?all`
/// included), and no declared sender lies in it.
#[must_use]
pub fn parked(cx: &ZoneContext<'_>) -> bool {
    // Once per zone and lint: rules that walk the names in chunks ask for every chunk.
    match cx.views.parked.get(cx.position) {
        Some(parked) => *parked.get_or_init(|| parked_uncached(cx)),
        None => parked_uncached(cx),
    }
}

fn parked_uncached(cx: &ZoneContext<'_>) -> bool {
    let zone = cx.zone;
    // A zone with no data at its apex (no SOA either) is a fragment, not a domain.
    if zone.apex().is_none_or(NameFacts::is_empty_non_terminal) {
        return false;
    }
    let declared_here = cx
        .settings
        .senders
        .as_ref()
        .is_some_and(|senders| senders.iter().any(|s| s.is_at_or_below(&zone.origin)));
    if declared_here {
        return false;
    }
    let receives =
        places(zone).any(|(facts, place)| is_served(place, RType::MX) && has_real_mx(zone, facts));
    if receives {
        return false;
    }
    let Some(mail) = cx.zone_mail() else {
        return true;
    };
    !mail.spf.iter().any(|entry| {
        entry.txt.rtype == RType::TXT
            && entry.version.is_selected()
            && !zone.is_below_cut(entry.txt.owner)
            && (authorizing_term(&entry.record).is_some()
                || entry.record.directives().any(|(_, d)| {
                    matches!(d.mechanism, Mechanism::All)
                        && matches!(
                            d.effective_qualifier(),
                            Qualifier::Pass | Qualifier::Neutral
                        )
                }))
    })
}
