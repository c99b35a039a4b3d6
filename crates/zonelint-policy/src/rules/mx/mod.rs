//! MX: mail exchangers and null MX (RFC 7505, RFC 2181 §10.3, RFC 5321 §5.1).

pub mod helo_spf;
pub mod implicit;
pub mod null_but_sends;
pub mod null_nonzero_pref;
pub mod null_unneeded;
pub mod null_with_others;
pub mod target_cname;
pub mod target_dangling;
pub mod target_suspicious;

use crate::index::{NameFacts, ZoneIndex, ZoneSet};
use crate::rules::delegation::{is_served, places_of};
use crate::rules::targets::{target, Target};
use crate::rules::ZoneContext;
use foldhash::HashSet;
use zonelint_zone::{NameRef, RType, RecordRef};

/// Every served MX record at the names of `cx` (occluded ones are ZONE009's) with its
/// owner and exchange.
pub(crate) fn served_mx<'a>(
    cx: &ZoneContext<'a>,
) -> impl Iterator<Item = (&'a NameFacts<'a>, RecordRef<'a>, Target<'a>)> + 'a {
    let zone = cx.zone;
    places_of(zone, cx.names())
        .filter(|(_, place)| is_served(*place, RType::MX))
        .flat_map(move |(facts, _)| {
            zone.records_of(facts, RType::MX)
                .filter_map(move |mx| target(&mx).map(|exchange| (facts, mx, exchange)))
        })
}

/// The first null MX (`MX <n> .`, exchange the root) among the MX records of `facts`.
pub(crate) fn null_mx<'z>(zone: &ZoneIndex<'z>, facts: &NameFacts<'_>) -> Option<RecordRef<'z>> {
    zone.records_of(facts, RType::MX)
        .find(|mx| target(mx).is_some_and(|exchange| exchange.is_root()))
}

/// Whether `facts` owns an MX record with a real exchange (not the null MX).
pub(crate) fn has_real_mx(zone: &ZoneIndex<'_>, facts: &NameFacts<'_>) -> bool {
    zone.records_of(facts, RType::MX)
        .any(|mx| target(&mx).is_some_and(|exchange| !exchange.is_root()))
}

/// Whether `facts` owns an A or AAAA record.
pub(crate) fn has_address(zone: &ZoneIndex<'_>, facts: &NameFacts<'_>) -> bool {
    zone.has_type(facts, RType::A) || zone.has_type(facts, RType::AAAA)
}

/// Every name that an MX record of any zone of the set names as its exchange (the null
/// MX's root aside): found once per lint of the zone.
pub(crate) fn exchanges<'a>(cx: &ZoneContext<'a>) -> &'a HashSet<&'a NameRef> {
    cx.views.exchanges.get_or_init(|| find_exchanges(cx.set))
}

fn find_exchanges<'a>(set: &ZoneSet<'a>) -> HashSet<&'a NameRef> {
    set.zones()
        .iter()
        .flat_map(|zone| zone.all_of_type(RType::MX))
        .filter_map(|mx| target(&mx).filter(|t| !t.is_root()).map(|t| t.name))
        .collect()
}

/// Whether an SPF record authorizes only its own name's addresses (`v=spf1 a -all`): the
/// record a mail exchanger publishes for its HELO name, for the bounces it sends (RFC 7208
/// §2.3, §10.1.3), which COV001 proposes for MX hosts. Such a host is no sending domain.
#[must_use]
pub fn authorizes_only_itself(record: &crate::grammar::spf::SpfRecord<'_>) -> bool {
    use crate::grammar::spf::{Mechanism, Qualifier};
    record.redirect().is_none()
        && record
            .directives()
            .filter(|(_, d)| d.effective_qualifier() == Qualifier::Pass)
            .all(|(_, d)| matches!(d.mechanism, Mechanism::A { domain: None, .. }))
}
