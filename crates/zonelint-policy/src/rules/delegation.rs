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
    BelowCut(&'a NameFacts<'a>),
}

/// Every name of `zone` in canonical order with its [`Place`]. The index worked out the
/// cut above each name when it was built (in one canonical-order pass, RFC 4034 §6.1),
/// so no name is compared with another here: comparing names reads their bytes, a cache
/// miss per name for every rule that walks the zone.
pub(crate) fn places<'a>(
    zone: &'a ZoneIndex<'_>,
) -> impl Iterator<Item = (&'a NameFacts<'a>, Place<'a>)> + 'a {
    places_of(zone, zone.names())
}

/// [`places`] of the names `names` of `zone` (a rule's [`ZoneContext::names`]).
///
/// [`ZoneContext::names`]: crate::rules::ZoneContext::names
pub(crate) fn places_of<'a>(
    zone: &'a ZoneIndex<'_>,
    names: impl Iterator<Item = &'a NameFacts<'a>> + 'a,
) -> impl Iterator<Item = (&'a NameFacts<'a>, Place<'a>)> + 'a {
    names.map(move |facts| {
        let place = match zone.cut_of(facts) {
            None => Place::Authoritative,
            Some(cut) if std::ptr::eq(cut, facts) => Place::Cut,
            Some(cut) => Place::BelowCut(cut),
        };
        (facts, place)
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
