//! DMARC policy discovery, offline (semantics.md §2.2).
//!
//! For a name, which DMARC policy do receivers apply? Its own `_dmarc` record's `p`, or
//! else the organizational domain's `sp` (existing names) or `np` (non-existent names).
//! Receivers find the organizational domain in one of two ways, and zonelint models both:
//!
//! - **RFC 7489**: one label below the public suffix (the public-suffix list, or the
//!   configured `org-domains`), looking only at the author domain and that domain.
//! - **RFC 9989** (DMARCbis, draft-41 numbering): the DNS tree walk (§4.10): from the
//!   author domain toward the root, jumping to 7 labels from 8 or more, at most 8 queries,
//!   stopping at a record with `psd=y` or `psd=n`; the organizational domain is the `psd=n`
//!   name, the name one label below a `psd=y` one, or else the record with the fewest
//!   labels (§4.10.2).
//!
//! Lookups happen in the loaded zones only. `_dmarc.<d>` may be answered by a wildcard
//! (RFC 4592); outside the loaded zones the answer is unknown unless the configuration
//! gives the parent's policy (`parent-dmarc`).

use crate::grammar::dmarc::{self, DmarcRecord, Policy, PublicSuffixDomain};
use crate::grammar::RecordText;
use crate::index::{is_dmarc_name, NameFacts, ZoneIndex, ZoneSet};
use crate::mail::MailSet;
use crate::settings::Settings;
use psl::Psl as _;
use std::sync::{Arc, OnceLock};
use zonelint_zone::{Name, NameRef, Span};

/// A valid DMARC record, as discovery uses it.
#[derive(Clone, Debug)]
pub struct Published {
    /// The domain it is published for (`example.com.` for `_dmarc.example.com.`).
    pub domain: Name,
    /// The TXT record (for a configured parent policy: an empty span).
    pub span: Span,
    /// Where `sp` is written, else `p`, else the record: what governs existing subdomains.
    pub subdomain_span: Span,
    /// `p` (or `none` when absent), before `t=y`; `None` when DMARC is not applied (an
    /// invalid policy and no valid `rua`).
    pub requested: Option<Policy>,
    /// `sp` as written.
    pub subdomain: Option<Policy>,
    /// `np` as written.
    pub nonexistent: Option<Policy>,
    /// `psd`.
    pub psd: PublicSuffixDomain,
    /// `t=y`.
    pub testing: bool,
    /// Answered by a wildcard rather than published at that name.
    pub synthesized: bool,
    /// The configured `parent-dmarc`, not a record of a loaded zone.
    pub configured: bool,
}

impl Published {
    fn from_record(domain: Name, span: Span, record: &DmarcRecord<'_>) -> Self {
        let values = record.values();
        // One span worked out: `sp`'s, else `p`'s.
        let subdomain_span = record
            .subdomain_policy()
            .or_else(|| record.policy())
            .map_or(span, |p| p.span);
        Self {
            domain,
            span,
            subdomain_span,
            requested: record.requested_policy(),
            subdomain: values.subdomain_policy,
            nonexistent: values.nonexistent_policy,
            psd: values.psd.unwrap_or(PublicSuffixDomain::Unknown),
            testing: values.testing == Some(true),
            synthesized: false,
            configured: false,
        }
    }

    fn tested(&self, policy: Policy, mode: Mode) -> Policy {
        // `t=y` is an RFC 9989 tag; RFC 7489 receivers ignore it (they know `pct`).
        if self.testing && mode == Mode::Rfc9989 {
            policy.weaker()
        } else {
            policy
        }
    }

    /// The policy for the domain itself.
    #[must_use]
    pub fn for_itself(&self, mode: Mode) -> Option<Policy> {
        self.requested.map(|p| self.tested(p, mode))
    }

    /// The policy for an existing subdomain: `sp`, else `p`.
    #[must_use]
    pub fn for_existing(&self, mode: Mode) -> Option<Policy> {
        let requested = self.requested?;
        Some(self.tested(self.subdomain.unwrap_or(requested), mode))
    }

    /// The policy for a non-existent subdomain: `np`, else `sp`, else `p` (RFC 7489
    /// receivers do not know `np`: `sp`, else `p`).
    #[must_use]
    pub fn for_nonexistent(&self, mode: Mode) -> Option<Policy> {
        let requested = self.requested?;
        let written = match mode {
            Mode::Rfc9989 => self.nonexistent.or(self.subdomain),
            Mode::Rfc7489 => self.subdomain,
        };
        Some(self.tested(written.unwrap_or(requested), mode))
    }
}

/// Which discovery receivers use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// RFC 7489: author domain, then the public-suffix organizational domain.
    Rfc7489,
    /// RFC 9989: the DNS tree walk.
    Rfc9989,
}

/// What `_dmarc.<domain>` holds.
#[derive(Clone, Debug)]
pub enum Lookup {
    /// Exactly one valid record.
    Found(Arc<Published>),
    /// Several valid records: receivers discard them all.
    Several(Vec<Span>),
    /// None (no name, or no valid record there).
    Nothing,
    /// Outside the loaded zones, and no `parent-dmarc` configured.
    Unknown,
}

/// Where a name's effective policy comes from.
#[derive(Clone, Debug)]
pub enum Source {
    /// The name's own record (`p`).
    Own(Arc<Published>),
    /// The organizational domain's record (`sp` or `np`).
    Organizational(Arc<Published>),
    /// No record applies.
    Nothing,
    /// The walk left the loaded zones without finding one, and no parent policy is known.
    Unknown,
}

/// A name's effective policy under one discovery mode.
#[derive(Clone, Debug)]
pub struct Effective {
    /// The policy (`None`: DMARC does not apply to the name).
    pub policy: Option<Policy>,
    /// Where it comes from.
    pub source: Source,
}

/// Looks up DMARC records across a zone set.
pub struct Discovery<'a> {
    /// `_dmarc` lookups already made: a zone's names share their ancestors' lookups, and
    /// every rule of a lint shares one discovery (the rules run side by side, hence the
    /// lock; a lookup is computed outside it).
    cache: std::sync::Mutex<foldhash::HashMap<Name, Lookup>>,
    set: &'a ZoneSet<'a>,
    mail: &'a MailSet<'a>,
    parent: Option<ParentPolicy>,
    org_domains: &'a [Name],
    /// Whether a loaded zone's apex is a `_dmarc` name: then the zone authoritative for
    /// `_dmarc.<d>` may not be `d`'s, and [`Self::publishes_nothing`] does not answer.
    dmarc_apex: bool,
    /// Whether a loaded zone's apex is at or below another's: then a name of one zone
    /// may be another's to answer for, and [`Self::effective_at`] looks it up by name.
    nested: bool,
    /// Per zone of the set, the lookups of its apex's ancestors (nearest first, down to
    /// one label): the end of every tree walk from a name of the zone, made once.
    above_apex: Vec<OnceLock<Vec<Lookup>>>,
    /// Per zone of the set, the lookups of its names with a `_dmarc` child, by name
    /// position (made on first use).
    with_dmarc_child: Vec<OnceLock<ChildLookups>>,
}

/// The `_dmarc` lookups of one zone's names that have a `_dmarc` child, found by the
/// name's position: the rules ask for them again and again (every DMARC rule, every walk
/// up the tree from a name below), and the shared cache would hash the name and take its
/// lock each time.
struct ChildLookups {
    /// Per name position, the name's slot in `lookups` ([`NO_SLOT`] for none).
    slot: Vec<u32>,
    /// One per name with a `_dmarc` child, in canonical order.
    lookups: Vec<OnceLock<Lookup>>,
}

const NO_SLOT: u32 = u32::MAX;

impl ChildLookups {
    fn of(zone: &ZoneIndex<'_>) -> Self {
        let mut lookups = Vec::new();
        let slot = zone
            .names()
            .map(|facts| {
                if facts.has_dmarc_child() {
                    lookups.push(OnceLock::new());
                    u32::try_from(lookups.len() - 1).unwrap_or(NO_SLOT)
                } else {
                    NO_SLOT
                }
            })
            .collect();
        Self { slot, lookups }
    }
}

/// The configured policy of the (unloaded) parent.
struct ParentPolicy {
    text: RecordText,
}

impl<'a> Discovery<'a> {
    /// Discovery over `set`, with its parsed email records and the settings' org domains
    /// and parent policy.
    #[must_use]
    pub fn new(set: &'a ZoneSet<'a>, mail: &'a MailSet<'a>, settings: &'a Settings) -> Self {
        let parent = settings.parent_dmarc.as_ref().map(|text| {
            let quoted = format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""));
            ParentPolicy {
                text: RecordText::from_pieces(&[quoted.as_str()]).0,
            }
        });
        Self {
            cache: std::sync::Mutex::default(),
            set,
            mail,
            parent,
            org_domains: &settings.org_domains,
            dmarc_apex: set.zones().iter().any(|zone| is_dmarc_name(&zone.origin)),
            nested: has_nested_zone(set),
            above_apex: set.zones().iter().map(|_| OnceLock::new()).collect(),
            with_dmarc_child: set.zones().iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// What `_dmarc.<domain>` holds in the loaded zones (wildcards included).
    #[must_use]
    pub fn lookup(&self, domain: &NameRef) -> Lookup {
        if self.publishes_nothing(domain) {
            return Lookup::Nothing;
        }
        self.lookup_cached(domain)
    }

    /// [`Self::lookup`] through the cache, for a name [`Self::publishes_nothing`] does
    /// not answer for.
    fn lookup_cached(&self, domain: &NameRef) -> Lookup {
        // A poisoned lock only means a rule panicked mid-insert; the map is still whole.
        let cache = || {
            self.cache
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(found) = cache().get(domain) {
            return found.clone();
        }
        let found = self.lookup_uncached(domain);
        cache().insert(domain.to_name(), found.clone());
        found
    }

    /// Whether the index alone shows that `_dmarc.<domain>` holds nothing: `domain`
    /// exists in the zone authoritative for it, at or below no delegation, has no
    /// `_dmarc` child, and no wildcard of that zone publishes DMARC. This is what
    /// [`Self::lookup_uncached`] finds for such a name, and most names of a zone are
    /// such names: they are answered without building the query name, hashing it, or
    /// taking the cache's lock (and are not kept in the cache).
    fn publishes_nothing(&self, domain: &NameRef) -> bool {
        if self.dmarc_apex {
            return false;
        }
        // The zone `ZoneSet::lookup` picks for the query `_dmarc.<domain>`: without a
        // `_dmarc` apex, the same zones hold the query as hold the domain.
        let Some((position, zone)) = self.set.deepest(domain) else {
            return false;
        };
        zone.get(domain)
            .is_some_and(|facts| self.publishes_nothing_at(position, zone, facts))
    }

    /// [`Self::publishes_nothing`] for a name of `zone` (the zone at `position` in the
    /// set), when that zone is the one authoritative for it.
    fn publishes_nothing_at(
        &self,
        position: usize,
        zone: &ZoneIndex<'_>,
        facts: &NameFacts<'_>,
    ) -> bool {
        !facts.has_dmarc_child() && self.serves_without_dmarc_wildcards(position, zone, facts)
    }

    /// Whether `zone` (at `position` in the set) serves the name of `facts` itself (no
    /// cut at or above it), no loaded zone's apex is a `_dmarc` name and no wildcard of
    /// the zone publishes DMARC: then `_dmarc.<name>` holds a record only if it exists,
    /// and below the name only the names that exist hold one.
    fn serves_without_dmarc_wildcards(
        &self,
        position: usize,
        zone: &ZoneIndex<'_>,
        facts: &NameFacts<'_>,
    ) -> bool {
        !self.dmarc_apex
            && zone.cut_of(facts).is_none()
            && self
                .mail
                .zone(position)
                .is_some_and(|mail| !mail.has_wildcard_dmarc())
    }

    fn lookup_uncached(&self, domain: &NameRef) -> Lookup {
        let Ok(query) = domain.prepend(b"_dmarc") else {
            return Lookup::Nothing;
        };
        let Some(found) = self.set.lookup(&query) else {
            // A public suffix outside the loaded zones is taken to publish nothing (PSD
            // DMARC, RFC 9091, is experimental and rare); any other name is a parent
            // zone nobody gave us.
            return if is_public_suffix(domain) {
                Lookup::Nothing
            } else {
                self.parent_for(domain)
            };
        };
        let Some(position) = self.set.position_of(found.zone) else {
            return Lookup::Nothing;
        };
        let Some(mail) = self.mail.zone(position) else {
            return Lookup::Nothing;
        };
        let (owner, synthesized) = match found.facts {
            Some(_) => (query.as_name_ref(), false),
            // Most names have no `_dmarc` child; without a wildcard DMARC record in the
            // zone, nothing can answer for it (this skips a walk up the tree per name).
            None if !mail.has_wildcard_dmarc() => return Lookup::Nothing,
            None => match found.zone.wildcard_for(&query) {
                Some(wildcard) => (wildcard.name, true),
                None => return Lookup::Nothing,
            },
        };
        let valid: Vec<_> = mail
            .dmarc_at(owner)
            .filter(|e| e.record.valid_version)
            .collect();
        match valid.as_slice() {
            [] => Lookup::Nothing,
            [entry] => {
                let mut published =
                    Published::from_record(domain.to_name(), entry.txt.span(), &entry.record);
                published.synthesized = synthesized;
                Lookup::Found(Arc::new(published))
            }
            several => Lookup::Several(several.iter().map(|e| e.txt.span()).collect()),
        }
    }

    fn parent_for(&self, domain: &NameRef) -> Lookup {
        match &self.parent {
            Some(parent) => {
                let (record, _) = dmarc::parse(&parent.text);
                if !record.valid_version {
                    return Lookup::Unknown;
                }
                let mut published =
                    Published::from_record(domain.to_name(), Span::default(), &record);
                published.configured = true;
                Lookup::Found(Arc::new(published))
            }
            None => Lookup::Unknown,
        }
    }

    /// The RFC 7489 organizational domain of `name`: the longest configured org domain it
    /// is at or below, else one label below its public suffix.
    #[must_use]
    pub fn organizational_domain<'n>(&'n self, name: &'n NameRef) -> Option<&'n NameRef> {
        organizational_domain(self.org_domains, name)
    }

    /// The effective policy of `name` under `mode`; `exists` says whether the name exists
    /// (then `sp` applies below the organizational domain) or not (`np`).
    #[must_use]
    pub fn effective(&self, name: &NameRef, exists: bool, mode: Mode) -> Effective {
        self.effective_after(self.lookup(name), name, exists, mode)
    }

    /// [`Self::effective`] for a name of `zone` that a rule holds the facts of (walking
    /// the zone's names, say): its own `_dmarc` lookup needs no search for the name, and
    /// the walk up the tree follows the index.
    #[must_use]
    pub fn effective_at(
        &self,
        zone: &ZoneIndex<'_>,
        facts: &NameFacts<'_>,
        exists: bool,
        mode: Mode,
    ) -> Effective {
        match Self::own_policy(self.lookup_of(zone, facts), mode) {
            Some(own) => own,
            None => self.inherited_at(zone, facts, exists, mode),
        }
    }

    /// [`Self::lookup`] for a name of `zone` that a rule holds the facts of, without a
    /// search for the name.
    #[must_use]
    pub fn lookup_of(&self, zone: &ZoneIndex<'_>, facts: &NameFacts<'_>) -> Lookup {
        match self.indexed(zone) {
            Some(position) => self.lookup_at(position, zone, facts),
            None => self.lookup(facts.name),
        }
    }

    /// [`Self::inherited`] for a name of `zone` that a rule holds the facts of: the walk
    /// up the tree follows the index.
    #[must_use]
    pub fn inherited_at(
        &self,
        zone: &ZoneIndex<'_>,
        facts: &NameFacts<'_>,
        exists: bool,
        mode: Mode,
    ) -> Effective {
        match self.indexed(zone) {
            Some(position) => self.inherited_from(
                facts.name,
                position,
                zone,
                zone.parent_of(facts),
                exists,
                mode,
            ),
            None => self.inherited(facts.name, exists, mode),
        }
    }

    /// [`Self::inherited`] for `name`, a name of `zone` (at `position` in the set, not
    /// nested in another) or made up directly below one, whose parent in the index is
    /// `parent`: the RFC 9989 walk follows the index ([`Self::organizational_9989_from`]).
    fn inherited_from(
        &self,
        name: &NameRef,
        position: usize,
        zone: &ZoneIndex<'_>,
        parent: Option<&NameFacts<'_>>,
        exists: bool,
        mode: Mode,
    ) -> Effective {
        let organizational = match mode {
            Mode::Rfc7489 => self.organizational_7489_from(name, position, zone, parent),
            Mode::Rfc9989 => self.organizational_9989_from(name, position, zone, parent),
        };
        Self::from_organizational(organizational, exists, mode)
    }

    /// The position of `zone` in the set when its index answers for its names: no other
    /// loaded zone is nested in it or it in another, so the names at or below its apex
    /// are its to answer for.
    fn indexed(&self, zone: &ZoneIndex<'_>) -> Option<usize> {
        self.set.position_of(zone).filter(|_| !self.nested)
    }

    /// [`Self::effective`] for a name asked about once (a made-up name below each name
    /// of a zone): its own `_dmarc` lookup is not kept in the shared cache, where it
    /// would only take memory; its ancestors' lookups are.
    #[must_use]
    pub fn effective_once(&self, name: &NameRef, exists: bool, mode: Mode) -> Effective {
        self.effective_after(self.lookup_uncached(name), name, exists, mode)
    }

    /// [`Self::effective_once`] for `made_up`, a name directly below the name of `facts`
    /// (of `zone`) that the zone does not hold: its walk up the tree starts at `facts`
    /// and follows the index, looking up no name.
    #[must_use]
    pub fn effective_below(
        &self,
        zone: &ZoneIndex<'_>,
        facts: &NameFacts<'_>,
        made_up: &NameRef,
        exists: bool,
        mode: Mode,
    ) -> Effective {
        // `_dmarc.<made_up>` holds nothing when the zone serves the name of `facts` and
        // no wildcard of it publishes DMARC: the query's closest encloser is that name
        // (`made_up` does not exist, so neither does anything below it), which
        // [`Self::lookup_uncached`] would find by searching for the query.
        let fast = self.indexed(zone).filter(|&position| {
            self.serves_without_dmarc_wildcards(position, zone, facts)
                && (!facts.has_children() || zone.get(made_up).is_none())
        });
        match fast {
            Some(position) => {
                self.inherited_from(made_up, position, zone, Some(facts), exists, mode)
            }
            None => self.effective_once(made_up, exists, mode),
        }
    }

    fn effective_after(&self, own: Lookup, name: &NameRef, exists: bool, mode: Mode) -> Effective {
        match Self::own_policy(own, mode) {
            Some(own) => own,
            None => self.inherited(name, exists, mode),
        }
    }

    /// The effective policy a name's own lookup decides: its own record's, or unknown;
    /// `None` when the organizational domain decides.
    fn own_policy(own: Lookup, mode: Mode) -> Option<Effective> {
        match own {
            Lookup::Found(own) => Some(Effective {
                policy: own.for_itself(mode),
                source: Source::Own(own),
            }),
            Lookup::Unknown => Some(Effective {
                policy: None,
                source: Source::Unknown,
            }),
            Lookup::Several(_) | Lookup::Nothing => None,
        }
    }

    /// The policy `name` gets from its organizational domain under `mode`, as if it had no
    /// record of its own: what a record at `_dmarc.<name>` overrides.
    #[must_use]
    pub fn inherited(&self, name: &NameRef, exists: bool, mode: Mode) -> Effective {
        let organizational = match mode {
            Mode::Rfc7489 => self.organizational_7489(name),
            Mode::Rfc9989 => self.organizational_9989(name),
        };
        Self::from_organizational(organizational, exists, mode)
    }

    /// The effective policy from the organizational record found (`Some(Err)`: the walk
    /// left the loaded zones without an answer).
    fn from_organizational(
        organizational: Option<Result<Arc<Published>, ()>>,
        exists: bool,
        mode: Mode,
    ) -> Effective {
        match organizational {
            Some(Ok(org)) => {
                let policy = if exists {
                    org.for_existing(mode)
                } else {
                    org.for_nonexistent(mode)
                };
                Effective {
                    policy,
                    source: Source::Organizational(org),
                }
            }
            Some(Err(())) => Effective {
                policy: None,
                source: Source::Unknown,
            },
            None => Effective {
                policy: None,
                source: Source::Nothing,
            },
        }
    }

    /// `Some(Ok)` the org record; `Some(Err)` unknown; `None` no record.
    fn organizational_7489(&self, name: &NameRef) -> Option<Result<Arc<Published>, ()>> {
        let org = self.organizational_domain(name)?;
        if org == name {
            return None;
        }
        Self::organizational_record(self.lookup(org))
    }

    /// [`Self::organizational_7489`] for a name of `zone` (at `position` in the set, not
    /// nested in another) or made up directly below one, whose parent is `start` (`None`
    /// for the apex): the organizational domain, an ancestor of the name, is found by the
    /// walk up the index, or among the apex's ancestors' lookups made once per zone.
    /// Nearly every name of a zone has the same organizational domain, which was looked
    /// up by name for each: hashed, found in the index, and its lookup found in the
    /// shared cache under its lock.
    fn organizational_7489_from(
        &self,
        name: &NameRef,
        position: usize,
        zone: &ZoneIndex<'_>,
        start: Option<&NameFacts<'_>>,
    ) -> Option<Result<Arc<Published>, ()>> {
        let org = self.organizational_domain(name)?;
        if org == name {
            return None;
        }
        // The walk's names and `org` are all suffixes of the name (as is the apex): the
        // one as long as `org` is `org`, found without counting any name's labels.
        let octets = org.as_wire().len();
        let found = if octets >= zone.origin.as_wire().len() {
            std::iter::successors(start, |facts| zone.parent_of(facts))
                .find(|facts| facts.name.as_wire().len() == octets)
                .map(|facts| self.lookup_at(position, zone, facts))
        } else {
            // Nearest first: the apex's parent has one label fewer than the apex.
            let above = self.above_apex(position, zone);
            let skipped = zone.origin.label_count() - org.label_count() - 1;
            above.get(skipped).cloned()
        };
        // Not found that way (never expected for a name of the zone, but for a configured
        // organizational domain of the root, which `above_apex` does not hold): by name.
        debug_assert!(found.is_some() || org.is_root(), "{org} not on the walk");
        Self::organizational_record(found.unwrap_or_else(|| self.lookup(org)))
    }

    /// What the lookup of an organizational domain gives its names: its record, or
    /// unknown (`Some(Err)`); `None` for no record (or several).
    fn organizational_record(lookup: Lookup) -> Option<Result<Arc<Published>, ()>> {
        match lookup {
            Lookup::Found(record) => Some(Ok(record)),
            Lookup::Unknown => Some(Err(())),
            Lookup::Several(_) | Lookup::Nothing => None,
        }
    }

    fn organizational_9989(&self, name: &NameRef) -> Option<Result<Arc<Published>, ()>> {
        // The walk (RFC 9989 §4.10), after the author domain was queried: at most 8 queries
        // in all; from a name of 8 or more labels, jump to its last 7.
        let mut queries = 1;
        let mut current = name;
        let walk = std::iter::from_fn(|| {
            let labels = current.label_count();
            if queries >= 8 || labels <= 1 {
                return None;
            }
            current = if labels >= 8 {
                current.suffix(7)
            } else {
                current.parent()
            }?;
            queries += 1;
            Some(self.lookup(current))
        });
        self.organizational_of_walk(name, walk)
    }

    /// [`Self::organizational_9989`] for a name of `zone` (at `position` in the set, not
    /// nested in another) or made up directly below one, whose parent is `start` (`None`
    /// for the apex): the walk follows the index up to the apex, then takes the apex's
    /// ancestors' lookups made once per zone, and looks up no name on the way.
    ///
    /// A walk from a name of at most 8 labels queries each of its ancestors but the
    /// root, nearest first: the jump from 8 labels to the last 7 is to the parent, and
    /// the 8-query budget is never reached. Longer names take the walk by name.
    fn organizational_9989_from(
        &self,
        name: &NameRef,
        position: usize,
        zone: &ZoneIndex<'_>,
        start: Option<&NameFacts<'_>>,
    ) -> Option<Result<Arc<Published>, ()>> {
        if name.label_count() > 8 {
            return self.organizational_9989(name);
        }
        let in_zone = std::iter::successors(start, |facts| zone.parent_of(facts))
            .filter(|facts| !facts.name.is_root())
            .map(|facts| self.lookup_at(position, zone, facts));
        let above = self.above_apex(position, zone).iter().cloned();
        self.organizational_of_walk(name, in_zone.chain(above))
    }

    /// The lookups of the ancestors of `zone`'s apex (nearest first, down to one label),
    /// made on first use.
    fn above_apex(&self, position: usize, zone: &ZoneIndex<'_>) -> &[Lookup] {
        let Some(cell) = self.above_apex.get(position) else {
            return &[];
        };
        cell.get_or_init(|| {
            zone.origin
                .ancestors()
                .filter(|ancestor| !ancestor.is_root())
                .map(|ancestor| self.lookup(ancestor))
                .collect()
        })
    }

    /// What `_dmarc.<name>` holds for the name of `facts`, of `zone` (at `position` in
    /// the set, not nested in another): [`Self::lookup`] without searching for the name.
    fn lookup_at(&self, position: usize, zone: &ZoneIndex<'_>, facts: &NameFacts<'_>) -> Lookup {
        if self.publishes_nothing_at(position, zone, facts) {
            return Lookup::Nothing;
        }
        match self.child_lookup(position, zone, facts) {
            // `lookup_uncached` makes no other lookup (a `_dmarc` child below a cut goes
            // to the configured parent policy, not up the tree), so the cell is never
            // asked for while it is being filled; the test of the index's answers holds
            // such a child.
            Some(cell) => cell
                .get_or_init(|| self.lookup_uncached(facts.name))
                .clone(),
            None => self.lookup_cached(facts.name),
        }
    }

    /// Where the lookup of the name of `facts` (of `zone`, at `position` in the set) is
    /// kept by position: for a name with a `_dmarc` child.
    fn child_lookup(
        &self,
        position: usize,
        zone: &ZoneIndex<'_>,
        facts: &NameFacts<'_>,
    ) -> Option<&OnceLock<Lookup>> {
        if !facts.has_dmarc_child() {
            return None;
        }
        let at = zone.position_of(facts)?;
        let table = self
            .with_dmarc_child
            .get(position)?
            .get_or_init(|| ChildLookups::of(zone));
        let slot = *table.slot.get(at)?;
        table.lookups.get(slot as usize)
    }

    /// The organizational record from the lookups of a walk up the tree from `name`
    /// (RFC 9989 §4.10): the walk stops at a record that says whether its domain is a
    /// public suffix, or when it leaves the loaded zones with nothing known.
    fn organizational_of_walk(
        &self,
        name: &NameRef,
        walk: impl Iterator<Item = Lookup>,
    ) -> Option<Result<Arc<Published>, ()>> {
        let mut found: Vec<Arc<Published>> = Vec::new();
        let mut unknown = false;
        for lookup in walk {
            match lookup {
                Lookup::Found(record) => {
                    let stop = record.psd != PublicSuffixDomain::Unknown;
                    found.push(record);
                    if stop {
                        break;
                    }
                }
                Lookup::Unknown => {
                    unknown = true;
                    break;
                }
                Lookup::Several(_) | Lookup::Nothing => {}
            }
        }
        let last = found.last();
        let org = match last.map(|r| r.psd) {
            Some(PublicSuffixDomain::No) => last.cloned(),
            Some(PublicSuffixDomain::Yes) => {
                let psd = last?;
                let below = name.suffix(psd.domain.label_count() + 1);
                match below.map(|b| self.lookup(b)) {
                    Some(Lookup::Found(record)) => Some(record),
                    _ => Some(psd.clone()),
                }
            }
            _ => found.iter().min_by_key(|r| r.domain.label_count()).cloned(),
        };
        match org {
            Some(org) => Some(Ok(org)),
            None if unknown => Some(Err(())),
            None => None,
        }
    }
}

/// Whether the apex of a zone of `set` is at or below another's (or the same), found
/// from each apex's ancestors: sets may hold thousands of zones.
fn has_nested_zone(set: &ZoneSet<'_>) -> bool {
    let mut origins = foldhash::HashSet::default();
    if !set
        .zones()
        .iter()
        .all(|zone| origins.insert(zone.origin.as_name_ref()))
    {
        return true;
    }
    set.zones().iter().any(|zone| {
        zone.origin
            .ancestors()
            .any(|ancestor| origins.contains(ancestor))
    })
}

/// The organizational domain of `name` (RFC 7489 §3.2): the deepest of `org_domains`
/// at or above it, else the public-suffix list's registrable domain (one label below the
/// public suffix). `None` when `name` is a public suffix itself or above one.
#[must_use]
pub fn organizational_domain<'a>(
    org_domains: &'a [Name],
    name: &'a NameRef,
) -> Option<&'a NameRef> {
    if let Some(configured) = org_domains
        .iter()
        .filter(|org| name.is_at_or_below(org))
        .max_by_key(|org| org.label_count())
    {
        return Some(configured);
    }
    // The registrable domain: the public suffix and one label more, where there is one.
    name.suffix(public_suffix_labels(name)? + 1)
}

/// Whether `name` is a public suffix (or the root).
fn is_public_suffix(name: &NameRef) -> bool {
    name.is_root() || public_suffix_labels(name) == Some(name.label_count())
}

/// The labels of `name`'s public suffix by the public-suffix list (its rules matched
/// against the labels in lower case, the last first, as `psl::suffix` matches the
/// dotted name); `None` for the root. The labels are given to the list as they are:
/// discovery asks this of every name of a zone, and writing each name out as text
/// (copied, lowercased and split at its dots again by `psl`) was most of its cost.
fn public_suffix_labels(name: &NameRef) -> Option<usize> {
    // The wire form in lower case: its length octets (below 64) are no letters.
    let wire = name.as_wire();
    let mut lower = [0u8; 255];
    let wire = if wire.iter().any(u8::is_ascii_uppercase) {
        let lower = lower.get_mut(..wire.len())?;
        lower.copy_from_slice(wire);
        lower.make_ascii_lowercase();
        &*lower
    } else {
        wire
    };
    // Where each label's length octet is (a name has 127 labels at most, in 255
    // octets), to give the labels last first.
    let mut starts = [0u8; 128];
    let mut count = 0;
    let mut at = 0;
    while let Some(&len) = wire.get(at).filter(|&&len| len > 0) {
        *starts.get_mut(count)? = u8::try_from(at).ok()?;
        count += 1;
        at += 1 + usize::from(len);
    }
    let label = |start: u8| {
        let start = usize::from(start);
        let len = usize::from(*wire.get(start)?);
        wire.get(start + 1..=start + len)
    };
    let labels = starts
        .get(..count)?
        .iter()
        .rev()
        .map_while(|&start| label(start));
    let psl::Info { len, .. } = psl::List.find(labels);
    // The suffix's length in dotted form: its labels and the dots between them.
    let mut dotted = 0;
    for (taken, &start) in starts.get(..count)?.iter().rev().enumerate() {
        dotted += label(start)?.len() + usize::from(taken > 0);
        if dotted >= len {
            return (dotted == len).then_some(taken + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::MailTexts;
    use zonelint_zone::{parse_str, ParseOptions, Zone};

    fn zone(origin: &str, text: &str, first_source_id: u32) -> Zone {
        let options = ParseOptions {
            origin: Name::from_ascii(origin).ok(),
            first_source_id,
            ..ParseOptions::default()
        };
        let (zone, diagnostics) = parse_str("t.zone", &format!("$TTL 300\n{text}"), &options);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        zone
    }

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    /// `check` of the discovery over `zones` (origin, text), with `settings`.
    fn with_discovery<R>(
        zones: &[(&str, &str)],
        settings: &Settings,
        check: impl FnOnce(&ZoneSet<'_>, &Discovery<'_>) -> R,
    ) -> R {
        let parsed: Vec<(Zone, Name)> = zones
            .iter()
            .enumerate()
            .map(|(i, (o, t))| (zone(o, t, (i as u32) << 16), name(o)))
            .collect();
        let set = ZoneSet::new(
            parsed
                .iter()
                .map(|(z, o)| ZoneIndex::build(z, o.clone()))
                .collect(),
        );
        let texts = MailTexts::read(&set);
        let mail = MailSet::parse(&texts);
        let discovery = Discovery::new(&set, &mail, settings);
        check(&set, &discovery)
    }

    /// `(name, exists, mode)` → "policy via domain" for a set of zones.
    fn effective(
        zones: &[(&str, &str)],
        settings: &Settings,
        queries: &[(&str, bool, Mode)],
    ) -> Vec<String> {
        with_discovery(zones, settings, |_, discovery| {
            queries
                .iter()
                .map(|(n, exists, mode)| {
                    let result = discovery.effective(&name(n), *exists, *mode);
                    let policy = result.policy.map_or("no DMARC", Policy::as_str);
                    let via = match result.source {
                        Source::Own(p) => format!("own {}", p.domain),
                        Source::Organizational(p) if p.configured => "configured parent".to_owned(),
                        Source::Organizational(p) => format!("org {}", p.domain),
                        Source::Nothing => "nothing".to_owned(),
                        Source::Unknown => "unknown".to_owned(),
                    };
                    format!("{n} {mode:?}: {policy} via {via}")
                })
                .collect()
        })
    }

    /// Every name of every zone of `zones`: `lookup` (which answers most names from the
    /// index) and `lookup_uncached` agree, `effective_at` (from the name's facts, walking
    /// the index) agrees with `effective` (from its name), and `effective_below` with
    /// `effective_once` for a name made up below it, in both modes, existing or not;
    /// with the default settings, and with a parent policy and an org domain configured.
    fn shortcuts_agree_with_the_full_lookup(zones: &[(&str, &str)]) {
        with_discovery(zones, &Settings::default(), shortcuts_agree_in);
        let configured = Settings {
            parent_dmarc: Some("v=DMARC1; p=quarantine; sp=none; np=reject".to_owned()),
            org_domains: vec![name("b.example.com."), name("deep.example.org.")],
            ..Settings::default()
        };
        with_discovery(zones, &configured, shortcuts_agree_in);
    }

    fn shortcuts_agree_in(set: &ZoneSet<'_>, discovery: &Discovery<'_>) {
        let mut checked = 0;
        for zone in set.zones() {
            for facts in zone.names() {
                let full = format!("{:?}", discovery.lookup_uncached(facts.name));
                assert_eq!(
                    format!("{:?}", discovery.lookup(facts.name)),
                    full,
                    "{}",
                    facts.name
                );
                assert_eq!(
                    format!("{:?}", discovery.lookup_of(zone, facts)),
                    full,
                    "{}",
                    facts.name
                );
                for mode in [Mode::Rfc9989, Mode::Rfc7489] {
                    for exists in [true, false] {
                        assert_eq!(
                            format!("{:?}", discovery.effective_at(zone, facts, exists, mode)),
                            format!("{:?}", discovery.effective(facts.name, exists, mode)),
                            "{} {mode:?} {exists}",
                            facts.name
                        );
                        assert_eq!(
                            format!("{:?}", discovery.inherited_at(zone, facts, exists, mode)),
                            format!("{:?}", discovery.inherited(facts.name, exists, mode)),
                            "{} {mode:?} {exists}",
                            facts.name
                        );
                        let made_up = facts.name.prepend(b"zonelint-made-up").unwrap();
                        assert_eq!(
                            format!(
                                "{:?}",
                                discovery.effective_below(zone, facts, &made_up, exists, mode)
                            ),
                            format!("{:?}", discovery.effective_once(&made_up, exists, mode)),
                            "{made_up} {mode:?} {exists}",
                        );
                    }
                }
                checked += 1;
            }
        }
        assert!(checked >= 4, "{checked} names");
    }

    #[test]
    fn names_answered_from_the_index_get_what_the_full_lookup_gets() {
        let parent = "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=reject; sp=none\"\nwww A 192.0.2.1\nshop A 192.0.2.2\n_DMARC.Shop TXT \"v=DMARC1; p=none\"\ncname CNAME www\n_dmarc.cname CNAME _dmarc\ndeleg NS ns.example.net.\n_dmarc.deleg TXT \"v=DMARC1; p=none\"\nhost.deleg A 192.0.2.3\nempty.a.b A 192.0.2.4\n_dmarc.b TXT \"v=DMARC1; p=quarantine; psd=n\"\nchild A 192.0.2.5\n_dmarc.zonelint-made-up.www TXT \"v=DMARC1; p=none\"\n";
        // (The last name is the one `effective_below` is asked about below `www`: it
        // must not take the shortcut for a name that exists.)
        // A child zone loaded beside its parent, which does not delegate it.
        let child =
            "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=quarantine\"\nmail A 192.0.2.6\n";
        let wildcard = "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=reject\"\n* TXT \"v=DMARC1; p=none\"\nwww A 192.0.2.1\n";
        let dmarc_apex = "@ SOA ns hm 1 2 3 4 5\n@ TXT \"v=DMARC1; p=none\"\n";
        shortcuts_agree_with_the_full_lookup(&[("example.com.", parent)]);
        shortcuts_agree_with_the_full_lookup(&[
            ("example.com.", parent),
            ("child.example.com.", child),
        ]);
        shortcuts_agree_with_the_full_lookup(&[("example.org.", wildcard)]);
        shortcuts_agree_with_the_full_lookup(&[
            ("example.com.", parent),
            ("_dmarc.www.example.com.", dmarc_apex),
        ]);
        // Names of up to ten labels (the walk jumps from 8 labels to the last 7), a
        // public-suffix record on the way, an apex whose parent publishes outside the
        // zones, and a name that holds the made-up label itself.
        let deep = "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=none; psd=y\"\n_dmarc.deep TXT \"v=DMARC1; p=reject; sp=quarantine\"\na.b.c.d.e.f.g.deep A 192.0.2.1\nh.a.b.c.d.e.f.g.deep A 192.0.2.2\n_dmarc.e.f.g.deep TXT \"v=DMARC1; p=quarantine; psd=n\"\nzonelint-made-up.x.deep A 192.0.2.3\n_dmarc.zonelint-made-up.x.deep TXT \"v=DMARC1; p=reject\"\nmail.x.deep MX 0 .\n";
        shortcuts_agree_with_the_full_lookup(&[("example.org.", deep)]);
        shortcuts_agree_with_the_full_lookup(&[("example.org.", deep), ("example.com.", parent)]);
        // No DMARC at the apex: only the 8-label name's record, which the walk from
        // 9 labels jumps over, would answer.
        let skipped = "@ SOA ns hm 1 2 3 4 5\na.b.c.d.e.f.g A 192.0.2.1\n_dmarc.b.c.d.e.f.g TXT \"v=DMARC1; p=reject\"\n";
        shortcuts_agree_with_the_full_lookup(&[("example.net.", skipped)]);
        // An apex whose parent is neither loaded nor a public suffix: unknown, or the
        // configured parent policy.
        shortcuts_agree_with_the_full_lookup(&[("shop.example.net.", skipped)]);
        let org = "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=reject; psd=y\"\nexample A 192.0.2.1\n_dmarc.example TXT \"v=DMARC1; p=none\"\nwww.example A 192.0.2.2\n";
        shortcuts_agree_with_the_full_lookup(&[("org.", org)]);
        let root = "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=none\"\norg NS ns.org.\nns.org A 192.0.2.1\nexample.net TXT \"x\"\n_dmarc.example.net TXT \"v=DMARC1; p=reject\"\n";
        shortcuts_agree_with_the_full_lookup(&[(".", root)]);
    }

    const ORG: &str = "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=reject; sp=quarantine; np=none\"\nwww A 192.0.2.1\nshop A 192.0.2.2\n_dmarc.shop TXT \"v=DMARC1; p=none\"\nt TXT \"x\"\n_dmarc.t TXT \"v=DMARC1; p=reject; t=y\"\n";

    /// `name`'s labels in lower case joined by dots (`www.example.com`), as the list
    /// matches text.
    fn dotted_lowercase(name: &NameRef) -> Vec<u8> {
        let labels: Vec<Vec<u8>> = name.labels().map(<[u8]>::to_ascii_lowercase).collect();
        labels.join(&b'.')
    }

    #[test]
    fn suffixes_found_by_labels_are_psl_s_by_text() {
        // ICANN and private suffixes, wildcard rules (`*.kawasaki.jp`) and their
        // exceptions (`!city.kawasaki.jp`), names not on the list, upper case, escapes,
        // reverse zones, IDNs, one label and many; each name and its every ancestor.
        let mut names = Vec::new();
        for text in [
            "www.example.co.uk.",
            "a.b.c.kawasaki.jp.",
            "www.city.kawasaki.jp.",
            "x.y.example.GitHub.IO.",
            "deep.er.than.the.list.example.com.",
            "WwW.Example.CO.UK.",
            "_dmarc.mail.example.net.",
            "*.wild.example.org.",
            "host.unknown-tld-label.",
            "4.3.2.192.in-addr.arpa.",
            "1.0.0.0.ip6.arpa.",
            "www.xn--mgbaam7a8h.",
            "a\\000\\255.b\\032c.example.xn--p1ai.",
            "s3.dualstack.us-east-1.amazonaws.com.",
            "a.blogspot.co.uk.",
            "pvt.k12.ma.us.",
            "x.pvt.k12.ma.us.",
        ] {
            let name = Name::from_ascii(text).unwrap();
            names.extend(name.ancestors().map(NameRef::to_name));
        }
        let mut public = 0;
        let mut registrable = 0;
        for name in &names {
            let text = dotted_lowercase(name);
            let by_text =
                psl::suffix(&text).map(|suffix| suffix.as_bytes().split(|&b| b == b'.').count());
            let labels = public_suffix_labels(name);
            assert_eq!(labels, by_text.filter(|_| !name.is_root()), "{name}");
            assert_eq!(
                is_public_suffix(name),
                name.is_root()
                    || psl::suffix(&text).is_some_and(|suffix| suffix.as_bytes() == text),
                "{name}"
            );
            let wanted =
                psl::domain(&text).map(|domain| domain.as_bytes().split(|&b| b == b'.').count());
            assert_eq!(
                organizational_domain(&[], name),
                wanted.and_then(|wanted| name.suffix(wanted)),
                "{name}"
            );
            public += usize::from(is_public_suffix(name));
            registrable += usize::from(organizational_domain(&[], name).is_some());
        }
        // Both kinds of answer are asked about: the list's suffixes and the names below.
        assert!(public >= 20 && registrable >= 20, "{public} {registrable}");
        // A label with a dot in it is one label, which the text form split in two.
        let dotted = Name::from_ascii("x.co\\.uk.").unwrap();
        assert_eq!(public_suffix_labels(&dotted), Some(1));
        assert_eq!(
            organizational_domain(&[], &dotted)
                .map(ToString::to_string)
                .as_deref(),
            Some("x.co\\.uk.")
        );
    }

    #[test]
    fn own_record_then_the_organizational_domain() {
        let results = effective(
            &[("example.com.", ORG)],
            &Settings::default(),
            &[
                ("example.com.", true, Mode::Rfc9989),
                ("www.example.com.", true, Mode::Rfc9989),
                ("www.example.com.", true, Mode::Rfc7489),
                ("nx.example.com.", false, Mode::Rfc9989),
                ("nx.example.com.", false, Mode::Rfc7489),
                ("shop.example.com.", true, Mode::Rfc9989),
                ("t.example.com.", true, Mode::Rfc9989),
                ("t.example.com.", true, Mode::Rfc7489),
                ("a.b.c.d.e.f.g.h.i.example.com.", true, Mode::Rfc9989),
            ],
        );
        assert_eq!(
            results,
            [
                "example.com. Rfc9989: reject via own example.com.",
                "www.example.com. Rfc9989: quarantine via org example.com.",
                "www.example.com. Rfc7489: quarantine via org example.com.",
                "nx.example.com. Rfc9989: none via org example.com.",
                "nx.example.com. Rfc7489: quarantine via org example.com.",
                "shop.example.com. Rfc9989: none via own shop.example.com.",
                "t.example.com. Rfc9989: quarantine via own t.example.com.",
                "t.example.com. Rfc7489: reject via own t.example.com.",
                "a.b.c.d.e.f.g.h.i.example.com. Rfc9989: quarantine via org example.com.",
            ]
        );
    }

    #[test]
    fn an_intermediate_psd_n_record_divides_the_two_discoveries() {
        let text = "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=reject\"\n_dmarc.dept TXT \"v=DMARC1; p=none; psd=n\"\nwww.dept A 192.0.2.1\n_dmarc.lab TXT \"v=DMARC1; p=none\"\nwww.lab A 192.0.2.2\n";
        let results = effective(
            &[("example.com.", text)],
            &Settings::default(),
            &[
                ("www.dept.example.com.", true, Mode::Rfc9989),
                ("www.dept.example.com.", true, Mode::Rfc7489),
                ("www.lab.example.com.", true, Mode::Rfc9989),
            ],
        );
        assert_eq!(
            results,
            [
                "www.dept.example.com. Rfc9989: none via org dept.example.com.",
                "www.dept.example.com. Rfc7489: reject via org example.com.",
                // Without psd=n the walk takes the record with the fewest labels.
                "www.lab.example.com. Rfc9989: reject via org example.com.",
            ]
        );
    }

    #[test]
    fn a_wildcard_dmarc_record_answers_for_nonexistent_names() {
        let text = "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=reject\"\n* TXT \"v=DMARC1; p=none\"\n";
        let results = effective(
            &[("example.com.", text)],
            &Settings::default(),
            &[("nx.example.com.", false, Mode::Rfc9989)],
        );
        assert_eq!(
            results,
            ["nx.example.com. Rfc9989: none via own nx.example.com."]
        );
    }

    #[test]
    fn parents_outside_the_loaded_zones_are_unknown_unless_configured() {
        let text = "@ SOA ns hm 1 2 3 4 5\nwww A 192.0.2.1\n";
        let queries = [
            ("www.dept.example.ac.uk.", true, Mode::Rfc9989),
            ("www.dept.example.ac.uk.", true, Mode::Rfc7489),
        ];
        let unknown = effective(
            &[("dept.example.ac.uk.", text)],
            &Settings::default(),
            &queries,
        );
        assert_eq!(
            unknown,
            [
                "www.dept.example.ac.uk. Rfc9989: no DMARC via unknown",
                "www.dept.example.ac.uk. Rfc7489: no DMARC via unknown"
            ]
        );
        let settings = Settings {
            parent_dmarc: Some("v=DMARC1; p=reject; sp=reject".to_owned()),
            ..Settings::default()
        };
        let configured = effective(&[("dept.example.ac.uk.", text)], &settings, &queries);
        assert_eq!(
            configured,
            [
                "www.dept.example.ac.uk. Rfc9989: reject via configured parent",
                "www.dept.example.ac.uk. Rfc7489: reject via configured parent"
            ]
        );
    }

    #[test]
    fn several_records_are_all_discarded() {
        let text = "@ SOA ns hm 1 2 3 4 5\n_dmarc TXT \"v=DMARC1; p=reject\"\n_dmarc TXT \"v=DMARC1; p=none\"\nwww A 192.0.2.1\n";
        let results = effective(
            &[("example.com.", text)],
            &Settings::default(),
            &[("www.example.com.", true, Mode::Rfc9989)],
        );
        assert_eq!(results, ["www.example.com. Rfc9989: no DMARC via nothing"]);
    }
}
