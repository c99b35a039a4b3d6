//! Offline SPF evaluation trees over the loaded zone set (semantics.md §2.3).
//!
//! For every selected SPF record of every loaded zone, [`SpfAnalysis::build`] walks the
//! terms a receiver would evaluate when nothing matches early (the worst case): mechanisms
//! up to the first `all` (RFC 7208 §5.1), then `redirect=` unless the record has an `all`
//! (§5.1, §6.1). `include`, `redirect`, `a`, `mx`, `ptr` and `exists` cost one DNS lookup
//! each (§4.6.4); `include` and `redirect` recurse into their target's record when it is in
//! a loaded zone, or in the `spf-snapshot` records ([`crate::snapshot`]) when no loaded zone
//! answers for it. A target outside both, or one built from macros (§7), costs one lookup
//! and makes the total a lower bound ("≥N"). Void lookups (§4.6.4: an empty answer or
//! NXDOMAIN) are counted separately for IPv4 and IPv6 evaluation.
//!
//! Each record is evaluated once per lint and its totals are shared by every record that
//! includes it, so diamonds cost nothing extra; cycles (§4.6.4 limits them, §5.2 makes them
//! permerror in practice) are cut where they close and remembered for SPF022; chains deeper
//! than [`MAX_DEPTH`] are not followed (they exceed the limit of 10 lookups long before).

use crate::grammar::spf::{Mechanism, ModifierName, Qualifier, Term, TermKind};
use crate::index::{NameFacts, ZoneIndex, ZoneSet};
use crate::mail::{spec_name, MailSet, SNAPSHOT_POSITION};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;
use zonelint_zone::rdata::view;
use zonelint_zone::{Name, NameRef, RType, Span};

/// The lookup limit of RFC 7208 §4.6.4.
pub const LOOKUP_LIMIT: u32 = 10;

/// The void-lookup limit RFC 7208 §4.6.4 recommends.
pub const VOID_LIMIT: u32 = 2;

/// How deep include/redirect chains are followed.
pub const MAX_DEPTH: usize = 20;

/// How many CNAMEs are followed when looking a target up.
const MAX_ALIASES: usize = 8;

/// Identifies one SPF record: the zone's position in the set and the record's index in
/// that zone's [`ZoneMail::spf`](crate::mail::ZoneMail::spf).
///
/// Held in 32 bits each: every evaluated term that leads to a record holds one, and a
/// large zone's analysis holds hundreds of thousands of terms for the whole lint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId {
    zone: u32,
    entry: u32,
}

/// What [`SNAPSHOT_POSITION`] is held as in a [`RecordId`].
const SNAPSHOT_ZONE: u32 = u32::MAX;

impl RecordId {
    /// The record at `entry` in the SPF list of the zone at `zone` in the set
    /// ([`SNAPSHOT_POSITION`] for the `spf-snapshot`). Positions past 32 bits (no set
    /// holds so many zones, no zone so many SPF records) are held at the largest below
    /// the snapshot's.
    #[must_use]
    pub fn new(zone: usize, entry: usize) -> Self {
        let zone = if zone == SNAPSHOT_POSITION {
            SNAPSHOT_ZONE
        } else {
            u32::try_from(zone).unwrap_or(SNAPSHOT_ZONE - 1)
        };
        Self {
            zone,
            entry: u32::try_from(entry).unwrap_or(u32::MAX),
        }
    }

    /// The zone's position in the set ([`SNAPSHOT_POSITION`] for the snapshot).
    #[must_use]
    pub fn zone(self) -> usize {
        if self.zone == SNAPSHOT_ZONE {
            SNAPSHOT_POSITION
        } else {
            self.zone as usize
        }
    }

    /// The record's index in the zone's SPF list.
    #[must_use]
    pub fn entry(self) -> usize {
        self.entry as usize
    }

    /// Whether the record comes from the `spf-snapshot`, not a loaded zone.
    #[must_use]
    pub fn in_snapshot(self) -> bool {
        self.zone == SNAPSHOT_ZONE
    }
}

/// What a lookup-costing term points at, as far as the loaded zones tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// No target (`ip4`, `ip6`, `all`).
    None,
    /// A name in a loaded zone.
    InZone(Arc<Name>),
    /// A name outside every loaded zone whose records the `spf-snapshot` holds.
    Snapshot(Arc<Name>),
    /// A name outside every loaded zone, and not in the snapshot.
    External(Arc<Name>),
    /// A domain-spec with macros: its name depends on the sender.
    SenderDependent,
}

/// Which mechanism or modifier a term is, for the evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermRole {
    /// `include:`.
    Include,
    /// `redirect=`.
    Redirect,
    /// `a`.
    A,
    /// `mx`.
    Mx,
    /// `ptr`.
    Ptr,
    /// `exists:`.
    Exists,
}

impl TermRole {
    /// The mechanism or modifier name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TermRole::Include => "include",
            TermRole::Redirect => "redirect",
            TermRole::A => "a",
            TermRole::Mx => "mx",
            TermRole::Ptr => "ptr",
            TermRole::Exists => "exists",
        }
    }
}

/// One evaluated term that costs a lookup.
#[derive(Clone, Debug)]
pub struct EvaluatedTerm {
    /// Which term.
    pub role: TermRole,
    /// The term as written (canonical rendering), shared by every term written alike.
    pub text: Arc<str>,
    /// Where it is written.
    pub span: Span,
    /// Its target.
    pub target: TargetKind,
    /// The record an `include`/`redirect` leads to, when followed.
    pub child: Option<RecordId>,
    /// Whether the target is in a loaded zone but publishes no SPF record (§5.2, §6.1:
    /// permerror).
    pub target_without_spf: bool,
    /// Whether following it would close an include/redirect cycle.
    pub closes_loop: bool,
    /// Whether it was not followed because the chain is deeper than [`MAX_DEPTH`].
    pub too_deep: bool,
    /// A void lookup in IPv4 evaluation.
    pub void_ip4: bool,
    /// A void lookup in IPv6 evaluation.
    pub void_ip6: bool,
    /// For an in-zone `mx`, how many MX records the target has (RFC 7208 §4.6.4 allows
    /// at most 10 hosts to be looked up); for a snapshot target, when it has MX records.
    /// (32 bits: a term is kept for the whole lint; no name owns 4 billion records.)
    pub mx_hosts: Option<u32>,
    /// Whether the term names no target and so looks up the record's own name (bare `a`,
    /// `mx`, `ptr`).
    pub implicit: bool,
}

impl EvaluatedTerm {
    /// Whether the term's subtree is unknown (external or sender-dependent `include` or
    /// `redirect`), so counts through it are lower bounds.
    #[must_use]
    pub fn is_open(&self) -> bool {
        matches!(self.role, TermRole::Include | TermRole::Redirect)
            && (matches!(
                self.target,
                TargetKind::External(_) | TargetKind::SenderDependent
            ) || self.too_deep)
    }
}

/// Counts over a record's whole tree.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// DNS lookups in the worst case.
    pub lookups: u32,
    /// Void lookups in IPv4 evaluation.
    pub void_ip4: u32,
    /// Void lookups in IPv6 evaluation.
    pub void_ip6: u32,
    /// `include`/`redirect` targets whose records are unknown (external or macros).
    pub open: u32,
    /// How many of those are sender-dependent (macros).
    pub sender_dependent: u32,
    /// How many of those were not followed because the chain is deeper than
    /// [`MAX_DEPTH`].
    pub too_deep: u32,
}

impl Totals {
    fn add(&mut self, other: Totals) {
        self.lookups = self.lookups.saturating_add(other.lookups);
        self.void_ip4 = self.void_ip4.saturating_add(other.void_ip4);
        self.void_ip6 = self.void_ip6.saturating_add(other.void_ip6);
        self.open = self.open.saturating_add(other.open);
        self.sender_dependent = self.sender_dependent.saturating_add(other.sender_dependent);
        self.too_deep = self.too_deep.saturating_add(other.too_deep);
    }

    /// The worse of the IPv4 and IPv6 void counts.
    #[must_use]
    pub fn voids(&self) -> u32 {
        self.void_ip4.max(self.void_ip6)
    }
}

/// Which count a crossing is looked for in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// DNS lookups.
    Lookups,
    /// Void lookups in IPv4 evaluation.
    VoidIp4,
    /// Void lookups in IPv6 evaluation.
    VoidIp6,
}

/// A term that passes every sender, found through the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PassEverything {
    /// The term (`+all`, `all`, `ip4:0.0.0.0/0`, …) as written, shared.
    pub text: Arc<str>,
    /// Where it is written.
    pub span: Span,
    /// The record that holds it.
    pub record: RecordId,
}

/// One record's evaluation. What its id tells ([`MailSet::spf_owner`],
/// [`RecordId::in_snapshot`]) is not copied into each of the hundred thousand a large
/// zone's lint keeps.
#[derive(Clone, Debug)]
pub struct RecordEvaluation {
    /// The lookup-costing terms a receiver evaluates, in order (a boxed slice: kept for
    /// the whole lint, it needs no room to grow).
    pub terms: Box<[EvaluatedTerm]>,
    /// Totals over the whole tree below (and including) this record.
    pub totals: Totals,
    /// A term that passes everyone, in this record or through an include/redirect.
    pub passes_everyone: Option<PassEverything>,
}

/// Whether a record is reached as a target of another loaded record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reached {
    /// Some loaded record includes it.
    pub by_include: bool,
    /// Some loaded record redirects to it.
    pub by_redirect: bool,
}

/// Every selected SPF record of a zone set, evaluated.
#[derive(Debug, Default)]
pub struct SpfAnalysis {
    /// Per zone of the set, by position, then the snapshot's records: per SPF entry (by
    /// its position in the zone's [`ZoneMail::spf`](crate::mail::ZoneMail::spf)), its
    /// evaluation. Looked up by position, where rules ask for millions of them.
    evaluations: Vec<Vec<Option<RecordEvaluation>>>,
    /// How other records reach each entry, laid out likewise.
    reached: Vec<Vec<Reached>>,
}

impl SpfAnalysis {
    /// Drops the evaluations on every core ([`crate::parallel`]).
    pub(crate) fn drop_in_parallel(self) {
        for evaluations in self.evaluations {
            crate::parallel::drop_items(evaluations);
        }
    }

    /// Room for the SPF entries of every zone of `mail`, then of its snapshot.
    fn for_entries(mail: &MailSet<'_>) -> Self {
        let counts: Vec<usize> = mail
            .zones
            .iter()
            .chain(std::iter::once(&mail.snapshot))
            .map(|zone| zone.spf.len())
            .collect();
        Self {
            evaluations: counts
                .iter()
                .map(|&count| std::iter::repeat_with(|| None).take(count).collect())
                .collect(),
            reached: counts
                .iter()
                .map(|&count| vec![Reached::default(); count])
                .collect(),
        }
    }

    /// Where the entries of `zone` are in the lists: a zone's own position, the
    /// snapshot's after the last zone's.
    fn slot(&self, zone: usize) -> Option<usize> {
        let zones = self.evaluations.len().checked_sub(1)?;
        if zone == SNAPSHOT_POSITION {
            Some(zones)
        } else {
            (zone < zones).then_some(zone)
        }
    }

    fn evaluation_slot(&self, id: RecordId) -> Option<&Option<RecordEvaluation>> {
        self.evaluations.get(self.slot(id.zone())?)?.get(id.entry())
    }

    fn evaluation_mut(&mut self, id: RecordId) -> Option<&mut Option<RecordEvaluation>> {
        let slot = self.slot(id.zone())?;
        self.evaluations.get_mut(slot)?.get_mut(id.entry())
    }

    fn reached_mut(&mut self, id: RecordId) -> Option<&mut Reached> {
        let slot = self.slot(id.zone())?;
        self.reached.get_mut(slot)?.get_mut(id.entry())
    }
}

impl SpfAnalysis {
    /// Evaluates every selected SPF TXT record of every zone of `set`.
    #[must_use]
    pub fn build(set: &ZoneSet<'_>, mail: &MailSet<'_>) -> Self {
        let mut builder = Builder {
            set,
            mail,
            analysis: SpfAnalysis::for_entries(mail),
            on_stack: HashSet::new(),
            texts: HashSet::new(),
            spec_names: HashMap::new(),
            rendered: String::new(),
        };
        for (zone, zone_mail) in mail.zones.iter().enumerate() {
            for (entry, spf) in zone_mail.spf.iter().enumerate() {
                if spf.is_selected() {
                    builder.evaluate(RecordId::new(zone, entry), 0);
                }
            }
        }
        builder.analysis
    }

    /// The evaluation of one record (selected TXT records only).
    #[must_use]
    pub fn evaluation(&self, id: RecordId) -> Option<&RecordEvaluation> {
        self.evaluation_slot(id)?.as_ref()
    }

    /// How other loaded records reach this one.
    #[must_use]
    pub fn reached(&self, id: RecordId) -> Reached {
        self.slot(id.zone())
            .and_then(|slot| self.reached.get(slot)?.get(id.entry()))
            .copied()
            .unwrap_or_default()
    }

    /// The terms from `id` down to the first term that makes `metric` exceed `limit`,
    /// walking left to right through includes and redirects (semantics.md §2.3 step 3).
    /// Empty when the tree stays within the limit. Each step is (record, term index).
    #[must_use]
    pub fn crossing(&self, id: RecordId, metric: Metric, limit: u32) -> Vec<(RecordId, usize)> {
        let mut path = Vec::new();
        let mut current = id;
        let mut budget = limit;
        for _ in 0..=MAX_DEPTH {
            let Some(evaluation) = self.evaluation(current) else {
                break;
            };
            let mut used = 0u32;
            let mut next = None;
            for (index, term) in evaluation.terms.iter().enumerate() {
                let own = own_cost(term, metric);
                let below = term
                    .child
                    .filter(|_| !term.closes_loop)
                    .and_then(|c| self.evaluation(c))
                    .map_or(0, |c| metric_of(&c.totals, metric));
                if used.saturating_add(own) > budget {
                    path.push((current, index));
                    return path;
                }
                if used.saturating_add(own).saturating_add(below) > budget {
                    path.push((current, index));
                    next = term.child.map(|c| (c, budget - used.saturating_add(own)));
                    break;
                }
                used = used.saturating_add(own).saturating_add(below);
            }
            match next {
                Some((child, rest)) => {
                    current = child;
                    budget = rest;
                }
                None => break,
            }
        }
        path
    }
}

fn own_cost(term: &EvaluatedTerm, metric: Metric) -> u32 {
    match metric {
        Metric::Lookups => 1,
        Metric::VoidIp4 => u32::from(term.void_ip4),
        Metric::VoidIp6 => u32::from(term.void_ip6),
    }
}

fn metric_of(totals: &Totals, metric: Metric) -> u32 {
    match metric {
        Metric::Lookups => totals.lookups,
        Metric::VoidIp4 => totals.void_ip4,
        Metric::VoidIp6 => totals.void_ip6,
    }
}

struct Builder<'a, 'z, 't> {
    set: &'a ZoneSet<'z>,
    mail: &'a MailSet<'t>,
    analysis: SpfAnalysis,
    on_stack: HashSet<RecordId>,
    /// The first selected SPF record of each owner, per zone: what an include finds
    /// (with several, receivers return permerror; SPF007 reports that). By zone, then
    /// by owner, so that a name is looked up without a copy to key a pair.
    /// Each distinct term text, once: the same includes are written in thousands of
    /// records, and a copy for every evaluated term was a quarter of a million
    /// allocations (10 MB) on the 1M-record bench zone.
    texts: HashSet<Arc<str>>,
    /// The name each distinct domain-spec text names ([`spec_name`]), parsed once and
    /// shared likewise.
    spec_names: HashMap<Box<[u8]>, Option<Arc<Name>>>,
    /// Where a term's canonical rendering is written before it is looked up.
    rendered: String,
}

/// `text` as held in `texts`, added when it is not there yet.
fn intern(texts: &mut HashSet<Arc<str>>, text: &str) -> Arc<str> {
    if let Some(shared) = texts.get(text) {
        return Arc::clone(shared);
    }
    let shared: Arc<str> = Arc::from(text);
    texts.insert(Arc::clone(&shared));
    shared
}

/// Where a name leads in the loaded zones (or the snapshot), aliases followed.
pub enum Resolved<'a, 'z, 'n> {
    /// Outside every loaded zone, and not in the snapshot.
    External,
    /// In a loaded zone or the snapshot: the zone's position ([`SNAPSHOT_POSITION`] for
    /// the snapshot), the final name and its facts (the covering wildcard's for a name
    /// that does not exist), if any.
    InZone {
        /// The zone's position in the set, or [`SNAPSHOT_POSITION`].
        zone: usize,
        /// The zone's (or the snapshot's) index.
        index: &'a ZoneIndex<'z>,
        /// The name the aliases lead to (the name looked up, borrowed, when there are none).
        name: Cow<'n, Name>,
        /// Its facts, or the covering wildcard's; `None` when nothing answers.
        facts: Option<&'a NameFacts<'a>>,
        /// Whether the answer comes from the snapshot.
        snapshot: bool,
    },
}

/// Looks `name` up in the loaded zones, following CNAMEs (a TXT or A query follows
/// aliases) and answering from a covering wildcard when the name does not exist; a name
/// no loaded zone answers for (outside them, or below a delegation to a zone not loaded)
/// is looked up in the snapshot.
#[must_use]
pub fn resolve<'a, 'z, 'n>(set: &'a ZoneSet<'z>, name: &'n Name) -> Resolved<'a, 'z, 'n> {
    let mut current = Cow::Borrowed(name);
    for _ in 0..MAX_ALIASES {
        let in_zone = set.lookup(&current).filter(|found| {
            // At a delegation the data lives in the child zone, which is not loaded.
            found.zone.cut_at_or_above(&current).is_none()
        });
        let (zone, index, facts, snapshot) = match in_zone {
            Some(found) => {
                let zone = set.position_of(found.zone).unwrap_or_default();
                let facts = found.facts.or_else(|| found.zone.wildcard_for(&current));
                (zone, found.zone, facts, false)
            }
            None => match set.snapshot_lookup(&current) {
                Some((index, facts)) => (SNAPSHOT_POSITION, index, Some(facts), true),
                None => return Resolved::External,
            },
        };
        let alias = facts.and_then(|f| {
            index
                .records_of(f, RType::CNAME)
                .find_map(|r| r.rdata_borrowed().and_then(view::single_name))
                .map(|n| n.to_name())
        });
        match alias {
            Some(next) => current = Cow::Owned(next),
            None => {
                return Resolved::InZone {
                    zone,
                    index,
                    name: current,
                    facts,
                    snapshot,
                }
            }
        }
    }
    Resolved::External
}

impl<'z> Builder<'_, 'z, '_> {
    fn evaluate(&mut self, id: RecordId, depth: usize) {
        if self.analysis.evaluation(id).is_some() || self.on_stack.contains(&id) {
            return;
        }
        let mail = self.mail;
        let Some(entry) = mail.zone(id.zone()).and_then(|m| m.spf.get(id.entry())) else {
            return;
        };
        self.on_stack.insert(id);
        let record = &entry.record;
        let owner = entry.txt.owner;
        // The owner as the target of the terms that default to it, made once a record.
        let mut owner_target = None;
        let mut terms = Vec::new();
        let mut totals = Totals::default();
        let mut passes_everyone = None;
        let has_all = record.all().is_some();
        for term in &record.terms {
            let (role, spec, current) = match &term.kind {
                TermKind::Directive(directive) => {
                    if passes_everyone.is_none()
                        && passes_all(&directive.mechanism, directive.effective_qualifier())
                    {
                        passes_everyone = Some(PassEverything {
                            text: self.shared_text(&String::from_utf8_lossy(term.text())),
                            span: term.span(),
                            record: id,
                        });
                    }
                    match &directive.mechanism {
                        // Mechanisms after `all` are never tested (§5.1).
                        Mechanism::All => break,
                        Mechanism::Include(spec) => (TermRole::Include, Some(spec), false),
                        Mechanism::A { domain, .. } => (TermRole::A, domain.as_ref(), true),
                        Mechanism::Mx { domain, .. } => (TermRole::Mx, domain.as_ref(), true),
                        Mechanism::Ptr(domain) => (TermRole::Ptr, domain.as_ref(), true),
                        Mechanism::Exists(spec) => (TermRole::Exists, Some(spec), false),
                        Mechanism::Ip4 { .. } | Mechanism::Ip6 { .. } => continue,
                    }
                }
                _ => continue,
            };
            let text = self.rendered_text(term);
            let evaluated = self.term(
                id,
                (owner, &mut owner_target),
                role,
                spec,
                current,
                term.span(),
                text,
                depth,
            );
            self.account(&evaluated, &mut totals, &mut passes_everyone, role);
            terms.push(evaluated);
        }
        // A redirect is ignored when the record has an `all` anywhere (§5.1, §6.1).
        if !has_all {
            if let Some((term, modifier)) = record
                .modifiers()
                .find(|(_, m)| m.kind == ModifierName::Redirect)
            {
                let text = self.rendered_text(term);
                let evaluated = self.term(
                    id,
                    (owner, &mut owner_target),
                    TermRole::Redirect,
                    Some(&modifier.value),
                    false,
                    term.span(),
                    text,
                    depth,
                );
                self.account(
                    &evaluated,
                    &mut totals,
                    &mut passes_everyone,
                    TermRole::Redirect,
                );
                terms.push(evaluated);
            }
        }
        self.on_stack.remove(&id);
        if let Some(place) = self.analysis.evaluation_mut(id) {
            *place = Some(RecordEvaluation {
                // Kept for the whole lint: without the room the pushes left.
                terms: terms.into_boxed_slice(),
                totals,
                passes_everyone,
            });
        }
    }

    fn account(
        &self,
        term: &EvaluatedTerm,
        totals: &mut Totals,
        passes_everyone: &mut Option<PassEverything>,
        role: TermRole,
    ) {
        totals.lookups = totals.lookups.saturating_add(1);
        totals.void_ip4 = totals.void_ip4.saturating_add(u32::from(term.void_ip4));
        totals.void_ip6 = totals.void_ip6.saturating_add(u32::from(term.void_ip6));
        if term.is_open() {
            totals.open = totals.open.saturating_add(1);
            if term.target == TargetKind::SenderDependent {
                totals.sender_dependent = totals.sender_dependent.saturating_add(1);
            } else if term.too_deep {
                totals.too_deep = totals.too_deep.saturating_add(1);
            }
        }
        let child = term
            .child
            .filter(|_| !term.closes_loop)
            .and_then(|c| self.analysis.evaluation(c));
        if let Some(child) = child {
            totals.add(child.totals);
            // An included record that passes everyone makes the include match everyone
            // (§5.2); a redirect target's result is the record's result (§6.1).
            if passes_everyone.is_none() && matches!(role, TermRole::Include | TermRole::Redirect) {
                passes_everyone.clone_from(&child.passes_everyone);
            }
        }
    }

    /// The name `spec` names ([`spec_name`], a function of its text), shared with every
    /// other domain-spec written alike.
    fn spec_target(&mut self, spec: &crate::grammar::spf::MacroString<'_>) -> Option<Arc<Name>> {
        if let Some(name) = self.spec_names.get(spec.text()) {
            return name.clone();
        }
        let name = spec_name(spec).map(Arc::new);
        self.spec_names.insert(Box::from(spec.text()), name.clone());
        name
    }

    /// `text`, shared with every other term written alike.
    fn shared_text(&mut self, text: &str) -> Arc<str> {
        intern(&mut self.texts, text)
    }

    /// The term's canonical rendering ([`Term`]'s `Display`), shared.
    fn rendered_text(&mut self, term: &Term<'_>) -> Arc<str> {
        self.rendered.clear();
        // Writing into a `String` cannot fail.
        let _ = write!(self.rendered, "{term}");
        intern(&mut self.texts, &self.rendered)
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "one call site per term kind, all local"
    )]
    fn term(
        &mut self,
        id: RecordId,
        (owner, owner_target): (&NameRef, &mut Option<Arc<Name>>),
        role: TermRole,
        spec: Option<&crate::grammar::spf::MacroString<'_>>,
        defaults_to_owner: bool,
        span: Span,
        text: Arc<str>,
        depth: usize,
    ) -> EvaluatedTerm {
        let mut evaluated = EvaluatedTerm {
            role,
            text,
            span,
            target: TargetKind::None,
            child: None,
            target_without_spf: false,
            closes_loop: false,
            too_deep: false,
            void_ip4: false,
            void_ip6: false,
            mx_hosts: None,
            implicit: spec.is_none() && defaults_to_owner,
        };
        let name = match spec {
            Some(spec) if spec.has_expansions() => {
                evaluated.target = TargetKind::SenderDependent;
                return evaluated;
            }
            Some(spec) => self.spec_target(spec),
            None if defaults_to_owner => Some(Arc::clone(
                owner_target.get_or_insert_with(|| Arc::new(owner.to_name())),
            )),
            None => None,
        };
        let Some(name) = name else {
            return evaluated;
        };
        let resolved = resolve(self.set, &name);
        let Resolved::InZone {
            zone,
            index,
            name: final_name,
            facts,
            snapshot,
        } = resolved
        else {
            evaluated.target = TargetKind::External(name);
            return evaluated;
        };
        let has = |rtype: RType| facts.is_some_and(|f| index.has_type(f, rtype));
        if snapshot {
            evaluated.target = TargetKind::Snapshot(Arc::clone(&name));
            // The snapshot holds answers, not emptiness: A, AAAA and MX are known only
            // where it has them, so `a`, `mx` and `exists` there are never void.
            if role == TermRole::Mx {
                let hosts = facts.map_or(0, |f| count_u32(index.records_of(f, RType::MX).count()));
                evaluated.mx_hosts = (hosts > 0).then_some(hosts);
            }
            if matches!(
                role,
                TermRole::A | TermRole::Mx | TermRole::Exists | TermRole::Ptr
            ) {
                return evaluated;
            }
        } else {
            evaluated.target = TargetKind::InZone(Arc::clone(&name));
        }
        match role {
            TermRole::A => {
                evaluated.void_ip4 = !has(RType::A);
                evaluated.void_ip6 = !has(RType::AAAA);
            }
            TermRole::Mx => {
                // RFC-literal reading (semantics.md §2.3 step 4): the MX query itself.
                let hosts = facts.map_or(0, |f| count_u32(index.records_of(f, RType::MX).count()));
                evaluated.mx_hosts = Some(hosts);
                let void = hosts == 0;
                evaluated.void_ip4 = void;
                evaluated.void_ip6 = void;
            }
            TermRole::Exists => {
                // `exists` always asks for A records, whatever the connection (§5.7).
                let void = !has(RType::A);
                evaluated.void_ip4 = void;
                evaluated.void_ip6 = void;
            }
            TermRole::Ptr => {}
            TermRole::Include | TermRole::Redirect => {
                // A wildcard answers with its own records.
                let selected = self.mail.zone(zone);
                let target = selected
                    .and_then(|mail| mail.first_selected_spf_at(&final_name))
                    .or_else(|| {
                        let wildcard = facts.filter(|f| f.name != *final_name)?;
                        selected?.first_selected_spf_at(wildcard.name)
                    });
                match target {
                    None => {
                        evaluated.target_without_spf = true;
                        let void = !has(RType::TXT);
                        evaluated.void_ip4 = void;
                        evaluated.void_ip6 = void;
                    }
                    Some(entry) => {
                        let child = RecordId::new(zone, entry);
                        if let Some(reached) = self.analysis.reached_mut(child) {
                            if role == TermRole::Include {
                                reached.by_include = true;
                            } else {
                                reached.by_redirect = true;
                            }
                        }
                        evaluated.child = Some(child);
                        if self.on_stack.contains(&child) || child == id {
                            evaluated.closes_loop = true;
                        } else if depth + 1 >= MAX_DEPTH {
                            evaluated.too_deep = true;
                        } else {
                            self.evaluate(child, depth + 1);
                        }
                    }
                }
            }
        }
        evaluated
    }
}

/// `count` in 32 bits, held at the largest.
fn count_u32(count: usize) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Whether a directive passes every sender: `+all`/`all`, or a pass-qualified `ip4`/`ip6`
/// of prefix length 0.
fn passes_all(mechanism: &Mechanism<'_>, qualifier: Qualifier) -> bool {
    qualifier == Qualifier::Pass
        && match mechanism {
            Mechanism::All => true,
            Mechanism::Ip4 { cidr: Some(c), .. } | Mechanism::Ip6 { cidr: Some(c), .. } => {
                c.length == 0
            }
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::ZoneIndex;
    use crate::mail::MailTexts;
    use crate::rules::test_support::{parse, APEX};

    /// Evaluates `snippet` (added to the test apex) and returns, per owner given, its
    /// totals.
    fn totals(snippet: &str, owners: &[&str]) -> Vec<Totals> {
        let zone = parse("t.zone", "example.com.", &format!("{APEX}{snippet}"), 0);
        let origin = Name::from_ascii("example.com.").unwrap();
        let set = ZoneSet::new(vec![ZoneIndex::build(&zone, origin)]);
        let texts = MailTexts::read(&set);
        let mail = MailSet::parse(&texts);
        let analysis = SpfAnalysis::build(&set, &mail);
        owners
            .iter()
            .map(|owner| {
                let name = Name::from_ascii(owner).unwrap();
                let entry = mail.zones[0]
                    .spf
                    .iter()
                    .position(|e| e.txt.owner == name)
                    .unwrap();
                analysis.evaluation(RecordId::new(0, entry)).unwrap().totals
            })
            .collect()
    }

    /// The evaluations are kept for the whole lint (hundreds of thousands of terms in a
    /// large zone): a 64-bit id or count back in a term grows every one.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn kept_evaluations_keep_their_size() {
        assert_eq!(std::mem::size_of::<RecordId>(), 8);
        assert_eq!(std::mem::size_of::<EvaluatedTerm>(), 72);
        assert_eq!(std::mem::size_of::<Option<RecordEvaluation>>(), 80);
    }

    #[test]
    fn record_ids_keep_the_snapshot_position_and_hold_large_ones_at_the_largest() {
        let id = RecordId::new(SNAPSHOT_POSITION, 7);
        assert!(id.in_snapshot());
        assert_eq!((id.zone(), id.entry()), (SNAPSHOT_POSITION, 7));
        let id = RecordId::new(3, 9);
        assert!(!id.in_snapshot());
        assert_eq!((id.zone(), id.entry()), (3, 9));
        #[cfg(target_pointer_width = "64")]
        {
            let id = RecordId::new(1 << 40, 1 << 40);
            assert!(!id.in_snapshot());
            assert_eq!(
                (id.zone(), id.entry()),
                (u32::MAX as usize - 1, u32::MAX as usize)
            );
        }
    }

    #[test]
    fn diamonds_count_both_paths_exactly() {
        let found = totals(
            "a TXT \"v=spf1 include:b.example.com include:c.example.com -all\"\nb TXT \"v=spf1 include:d.example.com -all\"\nc TXT \"v=spf1 include:d.example.com -all\"\nd TXT \"v=spf1 a mx -all\"\nd A 192.0.2.1\nd MX 10 d\n",
            &["a.example.com.", "d.example.com."],
        );
        assert_eq!(found[0].lookups, 8);
        assert_eq!(found[0].open, 0);
        assert_eq!(found[1].lookups, 2);
        // `a` at d has no AAAA: void for IPv6 evaluation only, once per path.
        assert_eq!((found[0].void_ip4, found[0].void_ip6), (0, 2));
    }

    #[test]
    fn redirect_counts_only_without_all_and_after_all_nothing_counts() {
        let found = totals(
            "a TXT \"v=spf1 mx:x.example.net redirect=_r.example.com\"\n_r TXT \"v=spf1 a:x.example.net a:x.example.net -all\"\nb TXT \"v=spf1 -all include:x.example.net redirect=_r.example.com\"\n",
            &["a.example.com.", "b.example.com."],
        );
        assert_eq!(found[0].lookups, 4);
        assert_eq!(found[1].lookups, 0);
    }

    #[test]
    fn names_at_a_delegation_are_external() {
        let found = totals(
            "a TXT \"v=spf1 a:sub.example.com mx:sub.example.com exists:sub.example.com -all\"\nsub NS ns.sub.example.net.\n",
            &["a.example.com."],
        );
        assert_eq!(found[0].lookups, 3);
        assert_eq!(found[0].voids(), 0);
    }

    #[test]
    fn external_and_macro_targets_are_open() {
        let found = totals(
            "a TXT \"v=spf1 include:_spf.example.net include:%{d}.example.net exists:%{i}.example.net -all\"\n",
            &["a.example.com."],
        );
        assert_eq!(found[0].lookups, 3);
        assert_eq!(found[0].open, 2);
        assert_eq!(found[0].sender_dependent, 1);
        assert_eq!(found[0].voids(), 0);
    }

    #[test]
    fn cnames_and_wildcards_lead_to_the_record_that_answers() {
        let found = totals(
            "a TXT \"v=spf1 include:alias.example.com include:nothing.w.example.com -all\"\nalias CNAME _spf\n_spf TXT \"v=spf1 a:x.example.net -all\"\n*.w TXT \"v=spf1 mx:y.example.net -all\"\n",
            &["a.example.com."],
        );
        assert_eq!(found[0].lookups, 4);
        assert_eq!(found[0].voids(), 0);
    }
}
