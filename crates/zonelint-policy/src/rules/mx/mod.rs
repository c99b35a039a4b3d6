//! MX: mail exchangers and null MX (RFC 7505, RFC 2181 §10.3, RFC 5321 §5.1).

pub mod null_nonzero_pref;
pub mod null_with_others;
pub mod target_cname;
pub mod target_dangling;
pub mod target_suspicious;

use crate::index::{NameFacts, ZoneIndex};
use crate::rules::delegation::{is_served, places};
use crate::rules::targets::{target, Target};
use zonelint_zone::{RType, RecordRef};

/// Every served MX record of `zone` (occluded ones are ZONE009's) with its owner and
/// exchange.
pub(crate) fn served_mx<'a, 'z>(
    zone: &'a ZoneIndex<'z>,
) -> impl Iterator<Item = (&'a NameFacts, RecordRef<'z>, Target<'z>)> + 'a {
    places(zone)
        .filter(|(_, place)| is_served(*place, RType::MX))
        .flat_map(move |(facts, _)| {
            zone.records_of(facts, RType::MX)
                .filter_map(move |mx| target(&mx).map(|exchange| (facts, mx, exchange)))
        })
}
