//! Domain names inside RDATA: where they sit in the wire form, where they were written,
//! and what they resolve to across the loaded zones.
//!
//! The types `zonelint_zone::rdata::view` decodes (SOA, MX, SRV, RRSIG, single-name
//! targets) go through it; the other RFC 4034 §6.2 layouts, needed only to compare RDATA
//! canonically, are read here.

use crate::index::{NameFacts, ZoneIndex, ZoneSet};
use std::cmp::Ordering;
use std::ops::Range;
use zonelint_zone::name::wire_name_len;
use zonelint_zone::rdata::view;
use zonelint_zone::{NameRef, RType, RecordRef, Span};

/// Where the (at most two) domain names of one RDATA sit, as wire ranges.
pub(crate) type NameRanges = [Option<Range<usize>>; 2];

fn name_at(rdata: &[u8], start: usize) -> Option<Range<usize>> {
    let len = wire_name_len(rdata.get(start..)?)?;
    Some(start..start + len)
}

/// The wire range of `name`, a view borrowed from `rdata`.
fn range_of(rdata: &[u8], name: &NameRef) -> Option<Range<usize>> {
    let start = (name.as_wire().as_ptr() as usize).checked_sub(rdata.as_ptr() as usize)?;
    let end = start + name.as_wire().len();
    (end <= rdata.len()).then_some(start..end)
}

fn two_names_at(rdata: &[u8], start: usize) -> NameRanges {
    let first = name_at(rdata, start);
    let second = first.as_ref().and_then(|r| name_at(rdata, r.end));
    [first, second]
}

/// The wire ranges of the domain names embedded in `rdata`, for the types whose names
/// DNSSEC canonical form lowercases (RFC 4034 §6.2; RFC 6840 §5.1 takes NSEC and HINFO
/// off that list). Other types, and malformed RDATA, give none.
pub(crate) fn name_ranges(rtype: RType, rdata: &[u8]) -> NameRanges {
    match rtype {
        RType::NS
        | RType::MD
        | RType::MF
        | RType::CNAME
        | RType::MB
        | RType::MG
        | RType::MR
        | RType::PTR
        | RType::DNAME => [
            view::single_name(rdata).and_then(|n| range_of(rdata, n)),
            None,
        ],
        RType::SOA => view::soa(rdata).map_or([None, None], |soa| {
            [range_of(rdata, soa.mname), range_of(rdata, soa.rname)]
        }),
        RType::MX => [
            view::mx(rdata).and_then(|mx| range_of(rdata, mx.exchange)),
            None,
        ],
        RType::SRV => [
            view::srv(rdata).and_then(|srv| range_of(rdata, srv.target)),
            None,
        ],
        RType::RRSIG => [
            view::rrsig(rdata).and_then(|sig| range_of(rdata, sig.signer)),
            None,
        ],
        RType::NXT => [name_at(rdata, 0), None],
        RType::MINFO | RType::RP => two_names_at(rdata, 0),
        RType::AFSDB | RType::RT | RType::KX => [name_at(rdata, 2), None],
        RType::PX => two_names_at(rdata, 2),
        RType::SIG => [name_at(rdata, 18), None],
        RType::NAPTR => {
            // Order and preference, then flags, services and regexp (character-strings),
            // then the replacement name.
            let mut at = 4usize;
            for _ in 0..3 {
                match rdata.get(at) {
                    Some(&len) => at += 1 + usize::from(len),
                    None => return [None, None],
                }
            }
            [name_at(rdata, at), None]
        }
        _ => [None, None],
    }
}

/// The RDATA octets in canonical form: embedded names of the RFC 4034 §6.2 types in lower
/// case. Label-length octets are at most 63, below `A`, so lowercasing leaves them alone.
fn canonical_octets(rtype: RType, rdata: &[u8]) -> impl Iterator<Item = u8> + '_ {
    let ranges = name_ranges(rtype, rdata);
    rdata.iter().enumerate().map(move |(i, &octet)| {
        if ranges.iter().flatten().any(|r| r.contains(&i)) {
            octet.to_ascii_lowercase()
        } else {
            octet
        }
    })
}

/// Compares two RDATA of `rtype` in canonical form (RFC 4034 §6.2 / §6.3).
pub(crate) fn canonical_cmp(rtype: RType, a: &[u8], b: &[u8]) -> Ordering {
    canonical_octets(rtype, a).cmp(canonical_octets(rtype, b))
}

/// The span of the presentation field that produced the wire octet at `offset`, or the
/// whole RDATA when no field does (it cannot be narrowed further).
pub(crate) fn field_span(record: &RecordRef<'_>, offset: usize) -> Span {
    record
        .fields()
        .iter()
        .find(|f| usize::from(f.wire_start) <= offset && offset < usize::from(f.wire_end))
        .map_or_else(|| record.rdata_span(), |f| f.span)
}

/// Where the owner was written, or the type when the owner was left blank.
pub(crate) fn owner_span(record: &RecordRef<'_>) -> Span {
    let span = record.owner_span();
    if span.is_empty() {
        record.type_span()
    } else {
        span
    }
}

/// The name a record points at: NS, CNAME and DNAME targets, the MX exchange and the SRV
/// target.
pub(crate) struct Target<'z> {
    /// The target, borrowed from the record's RDATA.
    pub name: &'z NameRef,
    /// The record, for [`Self::span`].
    record: RecordRef<'z>,
    /// Where the name starts in the RDATA.
    offset: usize,
}

impl Target<'_> {
    /// The root name: "no target" for SRV and the null MX.
    pub(crate) fn is_root(&self) -> bool {
        self.name.is_root()
    }

    /// The field the target was written in. Found when asked: most targets are only
    /// resolved, and the record's fields are elsewhere in memory than its RDATA (a
    /// cache miss per record, as the rules walk names in canonical order and the
    /// records are in file order).
    pub(crate) fn span(&self) -> Span {
        field_span(&self.record, self.offset)
    }
}

/// The target of an NS, CNAME, DNAME, MX or SRV record.
pub(crate) fn target<'z>(record: &RecordRef<'z>) -> Option<Target<'z>> {
    // The zone's own octets: the name is borrowed from them (and no such record's wire
    // form is made from the text).
    let rdata = record.rdata_borrowed()?;
    let name = match record.rtype() {
        RType::NS | RType::CNAME | RType::DNAME => view::single_name(rdata),
        RType::MX => view::mx(rdata).map(|mx| mx.exchange),
        RType::SRV => view::srv(rdata).map(|srv| srv.target),
        _ => None,
    }?;
    let range = range_of(rdata, name)?;
    Some(Target {
        name,
        record: *record,
        offset: range.start,
    })
}

/// The first character-string of TXT RDATA starts with `prefix` (ASCII, any case).
pub(crate) fn txt_starts_with(rdata: &[u8], prefix: &[u8]) -> bool {
    view::txt_strings(rdata).next().is_some_and(|first| {
        first
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    })
}

/// What a target name is, across every loaded zone.
pub(crate) enum Resolution<'a, 'z> {
    /// No loaded zone is authoritative for it (outside them, or below a cut).
    External,
    /// It exists (it has records or is an empty non-terminal).
    Exists(&'a ZoneIndex<'z>, &'a NameFacts<'a>),
    /// It does not exist, but a wildcard answers for it.
    Wildcard(&'a ZoneIndex<'z>, &'a NameFacts<'a>),
    /// It does not exist in the zone that is authoritative for it.
    Missing(&'a ZoneIndex<'z>),
}

impl<'a, 'z> Resolution<'a, 'z> {
    /// Resolves `name` in `set`.
    pub(crate) fn of(set: &'a ZoneSet<'z>, name: &NameRef) -> Self {
        let Some(found) = set.lookup(name) else {
            return Resolution::External;
        };
        match found.facts {
            Some(facts) => Resolution::Exists(found.zone, facts),
            None => match found.zone.wildcard_for(name) {
                Some(wildcard) => Resolution::Wildcard(found.zone, wildcard),
                None => Resolution::Missing(found.zone),
            },
        }
    }

    /// The zone and the facts that answer for the name (its own or its wildcard's).
    pub(crate) fn answering(&self) -> Option<(&'a ZoneIndex<'z>, &'a NameFacts<'a>)> {
        match *self {
            Resolution::Exists(zone, facts) | Resolution::Wildcard(zone, facts) => {
                Some((zone, facts))
            }
            Resolution::External | Resolution::Missing(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zonelint_zone::Name;

    fn wire(text: &str) -> Vec<u8> {
        Name::from_ascii(text).unwrap().as_wire().to_vec()
    }

    #[test]
    fn names_are_found_in_each_layout() {
        let mut mx = vec![0, 10];
        mx.extend(wire("Mail.example.com."));
        assert_eq!(name_ranges(RType::MX, &mx), [Some(2..mx.len()), None]);
        let mut soa = wire("ns1.example.com.");
        let first = soa.len();
        soa.extend(wire("h.example.com."));
        let second = soa.len();
        soa.extend([0u8; 20]);
        assert_eq!(
            name_ranges(RType::SOA, &soa),
            [Some(0..first), Some(first..second)]
        );
        assert_eq!(name_ranges(RType::TXT, b"\x03abc"), [None, None]);
        assert_eq!(name_ranges(RType::MX, &[0]), [None, None]);
    }

    #[test]
    fn canonical_comparison_ignores_case_in_names_only() {
        let mut upper = vec![0, 65];
        upper.extend(wire("MAIL.example.com."));
        let mut lower = vec![0, 65];
        lower.extend(wire("mail.example.com."));
        assert_eq!(canonical_cmp(RType::MX, &upper, &lower), Ordering::Equal);
        // The preference octet 65 ('A') must not be folded to 97.
        let mut other = vec![0, 97];
        other.extend(wire("mail.example.com."));
        assert_ne!(canonical_cmp(RType::MX, &lower, &other), Ordering::Equal);
        assert_ne!(
            canonical_cmp(RType::TXT, b"\x01A", b"\x01a"),
            Ordering::Equal
        );
    }
}
