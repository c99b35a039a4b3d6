//! Where each name of a zone stands relative to the zone's delegations.

use crate::index::{NameFacts, ZoneIndex};
use zonelint_zone::RType;

/// Where a name stands relative to the zone cuts.
#[derive(Clone, Copy)]
pub(crate) enum Place<'a> {
    /// Authoritative data (the apex or a name above every cut).
    Authoritative,
    /// A delegation point: its NS and DS are this zone's; the rest is the child's.
    Cut,
    /// Below the delegation point given: only glue here is this zone's to publish.
    BelowCut(&'a NameFacts),
}

/// Every name of `zone` in canonical order with its [`Place`], in one pass: a name's
/// descendants follow it directly in canonical order (RFC 4034 §6.1), so the cut above a
/// name is always the last cut seen whose subtree has not ended.
pub(crate) fn places<'a>(
    zone: &'a ZoneIndex<'_>,
) -> impl Iterator<Item = (&'a NameFacts, Place<'a>)> + 'a {
    let mut current_cut: Option<&'a NameFacts> = None;
    // The apex by address: comparing every name with the origin would read each name's
    // bytes, a cache miss per name per rule.
    let apex = zone.apex().map(std::ptr::from_ref);
    zone.names().map(move |facts| {
        if let Some(cut) = current_cut {
            if facts.name.is_at_or_below(&cut.name) {
                return (facts, Place::BelowCut(cut));
            }
            current_cut = None;
        }
        if zone.has_type(facts, RType::NS) && apex != Some(std::ptr::from_ref(facts)) {
            current_cut = Some(facts);
            (facts, Place::Cut)
        } else {
            (facts, Place::Authoritative)
        }
    })
}

/// Whether a record of `rtype` at a name in `place` is served from this zone as
/// authoritative data or as the delegation itself (glue aside).
pub(crate) fn is_served(place: Place<'_>, rtype: RType) -> bool {
    match place {
        Place::Authoritative => true,
        Place::Cut => matches!(rtype, RType::NS | RType::DS | RType::RRSIG | RType::NSEC),
        Place::BelowCut(_) => false,
    }
}
