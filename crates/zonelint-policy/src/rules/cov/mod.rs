//! COV: coverage, the core of the product: every name that exists says whether it sends
//! mail (semantics.md §2.1, §2.2).

pub mod dkim_for_senders;
pub mod dmarc_effective_weak;
pub mod nonsender_not_null;
pub mod parent_policy_unknown;
pub mod spf_missing;
pub mod wildcard_spf_gap;

use crate::index::{NameFacts, ZoneIndex};
use zonelint_zone::{Name, RType};

/// Whether a name is exempt from SPF coverage (semantics.md §2.1): an underscore label
/// anywhere (RFC 8552 names are not mail domains), at or below a delegation (the child
/// zone's business), or a name that holds only DNSSEC hashed-owner data (NSEC3).
#[must_use]
pub fn exempt_from_coverage(zone: &ZoneIndex<'_>, facts: &NameFacts) -> bool {
    has_underscore_label(&facts.name)
        || zone.cut_of(facts).is_some()
        || zone
            .records(facts)
            .all(|r| matches!(r.rtype(), RType::NSEC3 | RType::RRSIG))
}

/// Whether any label of `name` starts with `_`.
#[must_use]
pub fn has_underscore_label(name: &Name) -> bool {
    name.labels().any(|label| label.first() == Some(&b'_'))
}
