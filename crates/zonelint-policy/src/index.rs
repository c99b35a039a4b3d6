//! The zone index: which names exist, what each holds, where the zone is cut.
//!
//! Built in one pass over a zone's records. Per name it keeps the indexes of the name's
//! records (so rules can look at them), nothing else per record; empty non-terminals
//! (RFC 8020: they exist) are added for every name between a record's owner and the apex.
//! Several zones linted together form a [`ZoneSet`], so that targets in any loaded zone
//! count as "in zone" and a child zone is found below its parent's cut.

use rayon::prelude::*;
use std::ops::Range;
use zonelint_zone::name::{parent_wire, same_wire, wire_is_at_or_below};
use zonelint_zone::{Class, Name, NameRef, RType, RecordRef, Span, Zone};

/// No position: [`NameFacts`]'s cut and parent when there is none.
const NONE: u32 = u32::MAX;

/// One existing owner name of a zone.
#[derive(Debug)]
pub struct NameFacts<'z> {
    /// The name, case as first written.
    pub name: &'z NameRef,
    /// Where its records' indexes start in the index's list of them (see
    /// [`ZoneIndex::record_positions`]), and how many it owns.
    records_start: u32,
    records_len: u32,
    /// Where the name first comes to exist, as a record's position in the zone: its
    /// first record, or for an empty non-terminal the first record below it
    /// ([`ZoneIndex::first_span`]).
    first_record: u32,
    /// The delegation point at or above the name (itself, if it is one), as a position in
    /// the index ([`NONE`] for none); computed once when the index is built.
    cut: u32,
    /// The parent's position in the index ([`NONE`] for the apex), so that walks up the
    /// tree (DMARC discovery asks every ancestor of every name) hash no name.
    parent: u32,
    /// The types of its records, one bit per type number below 128 (every type a rule
    /// asks about but CAA), so that "does it own an MX?" reads no record: the low and
    /// high halves of [`NameFacts::types`]. Two words, not a `u128`, whose 16-byte
    /// alignment would pad the facts from 56 bytes to 64 (573k of them in a large zone).
    types: [u64; 2],
    /// What is known of it without reading its name or its records, one bit each (the
    /// `FLAG_` constants): rules walking every name ask these of each, and the name's
    /// bytes are elsewhere in memory.
    flags: u8,
}

/// It holds a type that [`NameFacts::types`] cannot show (128 and up).
const FLAG_OTHER_TYPES: u8 = 1;
/// `_dmarc.<name>` exists in the zone.
const FLAG_DMARC_CHILD: u8 = 1 << 1;
/// `*.<name>` exists in the zone.
const FLAG_WILDCARD_CHILD: u8 = 1 << 2;
/// A label of the name starts with `_`.
const FLAG_UNDERSCORE: u8 = 1 << 3;
/// The name is a wildcard (`*.<parent>`).
const FLAG_WILDCARD: u8 = 1 << 4;
/// Some name of the zone is a child of it (it is not a leaf of the tree).
const FLAG_CHILDREN: u8 = 1 << 5;

impl NameFacts<'_> {
    /// The types of its records below 128, one bit per type number.
    fn types(&self) -> u128 {
        let [low, high] = self.types;
        u128::from(high) << 64 | u128::from(low)
    }

    /// Adds the bits of `types` to [`Self::types`].
    fn add_types(&mut self, types: u128) {
        let [low, high] = &mut self.types;
        *low |= types as u64;
        *high |= (types >> 64) as u64;
    }

    /// Whether the name owns no records (it exists because names below it do).
    #[must_use]
    pub fn is_empty_non_terminal(&self) -> bool {
        self.records_len == 0
    }

    /// How many records it owns.
    #[must_use]
    pub fn record_count(&self) -> usize {
        self.records_len as usize
    }

    /// Whether no two of its records have the same type, so that each of its RRsets holds
    /// one record: read from the type bits, without reading a record. False when it holds
    /// a type from 128 up, which the bits do not show. Most names of a zone own one record
    /// of each type they hold (an address, an MX, an SPF record).
    #[must_use]
    pub fn types_are_distinct(&self) -> bool {
        self.flags & FLAG_OTHER_TYPES == 0
            && self.types().count_ones() as usize == self.record_count()
    }

    /// Whether `_dmarc.<name>` exists in the zone (any case): DMARC discovery asks this
    /// of most names, and the answer is nearly always no, known here without building
    /// the query name and looking it up.
    #[must_use]
    pub fn has_dmarc_child(&self) -> bool {
        self.flags & FLAG_DMARC_CHILD != 0
    }

    /// Whether the name is a wildcard (its first label is `*`): [`NameRef::is_wildcard`],
    /// known without reading the name.
    #[must_use]
    pub fn is_wildcard(&self) -> bool {
        self.flags & FLAG_WILDCARD != 0
    }

    /// Whether a label of the name starts with `_` (an RFC 8552 attribute leaf, or a
    /// name below one), known without reading the name: the coverage rules ask it of
    /// every name.
    #[must_use]
    pub fn has_underscore_label(&self) -> bool {
        self.flags & FLAG_UNDERSCORE != 0
    }

    /// Whether the zone holds a name directly below it (any label): when not, no name
    /// below it exists, known without building one and looking it up. Most names of a
    /// zone are leaves.
    #[must_use]
    pub fn has_children(&self) -> bool {
        self.flags & FLAG_CHILDREN != 0
    }
}

/// The index of one zone.
pub struct ZoneIndex<'z> {
    /// The parsed zone.
    pub zone: &'z Zone,
    /// The zone's origin (its apex).
    pub origin: Name,
    names: Vec<NameFacts<'z>>,
    /// Positions in `names`, found by name.
    by_name: NameTable,
    /// Records whose owner is not at or below the origin (ZONE005), by index.
    pub out_of_zone: Vec<u32>,
    /// Delegation points below the apex (names with NS), as indexes into the names.
    cuts: Vec<u32>,
    /// The indexes (into the zone's records) of every name's records: a name's are
    /// together, in file order, names in canonical order. One list for all, not one per
    /// name (half a million allocations on a large zone).
    record_list: Vec<u32>,
    /// The type of each record of `record_list`, at the same place: the rules that want
    /// a name's records of one type find them without reading the others (each record's
    /// header is elsewhere in memory).
    record_types: Vec<RType>,
    /// Per record of the zone, its owner's position in `names` ([`NONE`] out of zone):
    /// rules that start from a record (an SPF record's text, say) find its owner's facts
    /// without hashing its name.
    owner_of: Vec<u32>,
    /// One bit per record of the zone: whether the zone answers with it (its owner is
    /// at or below the apex, and not strictly below a delegation point). Rules holding a
    /// record (a TXT text, say) ask it of many records: a bit read in a set of a few
    /// hundred kilobytes, not the owner's facts read from a list of megabytes.
    served: Vec<u64>,
    /// The zone's class ([`Self::class`]).
    class: Class,
}

/// The positions of `names` (every one at or below `origin`, all distinct) in canonical
/// order (RFC 4034 §6.1).
///
/// Sorted by a fixed-size key per name, built on every core: the first
/// [`SORT_KEY_LEN`] octets of its [`Name::canonical_key`] after the origin's (which
/// every key starts with, [`NameRef::canonical_key_window`]), held as big-endian 64-bit
/// words so that most comparisons are three integer compares (as bytes, each was a call
/// of the C library's `memcmp`); names whose keys agree that far are compared in full.
/// A key of its own per name was half a million allocations on the 1M-record bench
/// zone, and 36 MB held while the index is built. Names are distinct, so an unstable
/// sort is exact.
fn canonical_order(names: &[NameFacts<'_>], origin: &NameRef) -> Vec<u32> {
    let mut keyed: Vec<([u64; SORT_KEY_WORDS], u32)> = names
        .par_iter()
        .enumerate()
        .map(|(i, facts)| {
            let mut window = [0; SORT_KEY_LEN];
            facts.name.canonical_key_window(origin, &mut window);
            let mut words = [0; SORT_KEY_WORDS];
            for (word, octets) in words.iter_mut().zip(window.chunks_exact(8)) {
                let mut be = [0; 8];
                be.copy_from_slice(octets);
                *word = u64::from_be_bytes(be);
            }
            (words, i as u32)
        })
        .collect();
    let name = |i: u32| names.get(i as usize).map(|facts| &facts.name);
    keyed.par_sort_unstable_by(|(a, i), (b, j)| {
        a.cmp(b).then_with(|| match (name(*i), name(*j)) {
            (Some(x), Some(y)) => x.canonical_cmp(y),
            _ => i.cmp(j),
        })
    });
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// How many octets of a name's canonical key (past its origin's) [`canonical_order`]
/// keeps inline: the first labels below a hosting zone's apex, which tell most names
/// apart.
const SORT_KEY_LEN: usize = 8 * SORT_KEY_WORDS;

/// [`SORT_KEY_LEN`] in 64-bit words.
const SORT_KEY_WORDS: usize = 3;

/// Each name's parent, as a position in `names` ([`NONE`] for the apex and for a name
/// whose parent is not held), the names in canonical order. A name's descendants follow
/// it directly in that order (RFC 4034 §6.1), so the names whose subtrees are still open
/// when a name comes are its ancestors, the nearest last; and every name between an
/// owner and the apex is in the index, so the nearest is its parent. The open names are
/// kept on a stack: the walk reads the names once, in order, and hashes none. Looking
/// each parent up in the table, in random order, took 138 ms of CPU for the 573k names
/// of the 1M-record bench zone, against 77 ms for this walk; the index is built beside
/// the email records' parse, which has the other core's time. Were a parent ever not the
/// nearest open name, `look_up` finds it (by its wire form) as before: the result is the
/// table's, whatever the order.
fn parents_in_order(
    names: &[NameFacts<'_>],
    origin: &NameRef,
    mut look_up: impl FnMut(&[u8]) -> Option<u32>,
) -> Vec<u32> {
    let mut parents = Vec::with_capacity(names.len());
    let mut open: Vec<(u32, &[u8])> = Vec::new();
    for (position, facts) in names.iter().enumerate() {
        let wire = facts.name.as_wire();
        let parent = match parent_wire(wire) {
            Some(parent) if facts.name != origin => {
                while open
                    .last()
                    .is_some_and(|&(_, top)| !wire_is_at_or_below(wire, top))
                {
                    open.pop();
                }
                match open.last() {
                    Some(&(top, top_wire)) if same_wire(top_wire, parent) => Some(top),
                    _ => look_up(parent),
                }
            }
            _ => None,
        };
        parents.push(parent.unwrap_or(NONE));
        open.push((position as u32, wire));
    }
    parents
}

impl<'z> ZoneIndex<'z> {
    /// Indexes `zone`, whose apex is `origin`.
    #[must_use]
    pub fn build(zone: &'z Zone, origin: Name) -> Self {
        let mut index = Self {
            zone,
            origin,
            names: Vec::new(),
            by_name: NameTable::default(),
            out_of_zone: Vec::new(),
            cuts: Vec::new(),
            record_list: Vec::new(),
            record_types: Vec::new(),
            owner_of: Vec::new(),
            served: Vec::new(),
            class: Class::IN,
        };
        // Per record, its owner's position in `names` (`u32::MAX` out of zone), until
        // the cuts are known and `served` is made from it.
        let mut owner_of: Vec<u32> = Vec::with_capacity(zone.len());
        // Per record, its type: read here once, for the list of each name's records.
        let mut types_in_file: Vec<RType> = Vec::with_capacity(zone.len());
        // Most names own a record or two: room for half as many names as records spares
        // most of the growth (each growth rehashes every name, reading it again).
        index.names.reserve(zone.len() / 2);
        index.by_name.reserve(&index.names, zone.len() / 2);
        // A name's records usually follow each other in the file: the previous owner's
        // slot is reused without building and hashing the name again.
        let mut previous: Option<(&[u8], u32)> = None;
        for (position, record) in zone.records().enumerate() {
            let position = position as u32;
            types_in_file.push(record.rtype());
            let wire = record.owner().as_wire();
            let slot = match previous {
                Some((previous_wire, slot)) if previous_wire == wire => slot,
                _ => {
                    let owner = record.owner();
                    if !owner.is_at_or_below(&index.origin) {
                        previous = None;
                        index.out_of_zone.push(position);
                        owner_of.push(u32::MAX);
                        continue;
                    }
                    let slot = index.slot(owner, position);
                    previous = Some((wire, slot));
                    slot
                }
            };
            owner_of.push(slot);
            if let Some(facts) = index.names.get_mut(slot as usize) {
                facts.records_len += 1;
                facts.add_types(type_bit(record.rtype()));
                if record.rtype().0 >= 128 {
                    facts.flags |= FLAG_OTHER_TYPES;
                }
            }
        }
        // Empty non-terminals: every name between an owner and the apex exists. Only the
        // owners are walked (the names added here have their parents added with them).
        // Siblings usually follow each other: when a name's parent is the last parent
        // seen (and so already indexed), nothing is built or looked up.
        let owners = index.names.len();
        let mut indexed_parent: Option<&[u8]> = None;
        for position in 0..owners {
            let Some(facts) = index.names.get(position) else {
                break;
            };
            if indexed_parent.is_some() && parent_wire(facts.name.as_wire()) == indexed_parent {
                continue;
            }
            let (mut current, first_record) = (facts.name.parent(), facts.first_record);
            let mut first = true;
            while let Some(parent) = current {
                if !parent.is_at_or_below(&index.origin) {
                    break;
                }
                if first {
                    // At or below the apex, it is indexed once this walk ends.
                    indexed_parent = Some(parent.as_wire());
                    first = false;
                }
                if index.get_wire(parent.as_wire()).is_some() {
                    break;
                }
                index.slot(parent, first_record);
                current = parent.parent();
            }
        }
        // Canonical order, so that every rule reports in a stable order. The map is
        // renumbered, not rebuilt
        // (rehashing and cloning every name again cost more than the sort).
        let order = canonical_order(&index.names, &index.origin);
        let mut renumbered = vec![0u32; order.len()];
        for (new_position, &old_position) in order.iter().enumerate() {
            if let Some(slot) = renumbered.get_mut(old_position as usize) {
                *slot = new_position as u32;
            }
        }
        // In place, a cycle at a time (no second list of the names): each swap puts the
        // name at `i` where it belongs.
        let mut target = renumbered.clone();
        let count = index.names.len();
        for i in 0..count {
            while let Some(&t) = target.get(i) {
                let t = t as usize;
                if t == i || t >= count {
                    break;
                }
                index.names.swap(i, t);
                target.swap(i, t);
            }
        }
        index.names.shrink_to_fit();
        for position in index.by_name.positions_mut().chain(owner_of.iter_mut()) {
            if let Some(&new_position) = renumbered.get(*position as usize) {
                *position = new_position;
            }
        }
        // Each name's records, in file order, after those of the names before it.
        let mut next: Vec<u32> = Vec::with_capacity(index.names.len());
        let mut start = 0u32;
        for facts in &mut index.names {
            facts.records_start = start;
            next.push(start);
            start += facts.records_len;
        }
        index.record_list = vec![0; start as usize];
        index.record_types = vec![RType(0); start as usize];
        for ((record, &position), rtype) in owner_of.iter().enumerate().zip(types_in_file) {
            let Some(at) = next.get_mut(position as usize) else {
                continue; // out of zone
            };
            if let Some(slot) = index.record_list.get_mut(*at as usize) {
                *slot = record as u32;
            }
            if let Some(slot) = index.record_types.get_mut(*at as usize) {
                *slot = rtype;
            }
            *at += 1;
        }
        index.cuts = index
            .names
            .iter()
            .enumerate()
            .filter(|(_, facts)| facts.name != index.origin && index.has_type_in(facts, RType::NS))
            .map(|(i, _)| i as u32)
            .collect();
        // One pass in canonical order: a name's descendants follow it directly, so the cut
        // above a name is the last cut seen whose subtree has not ended (RFC 4034 §6.1).
        let mut current: Option<u32> = None;
        let mut next_cut = index.cuts.iter().copied().peekable();
        for position in 0..index.names.len() as u32 {
            let is_cut = next_cut.peek() == Some(&position);
            if is_cut {
                next_cut.next();
            }
            let name_below_current = current
                .and_then(|c| index.names.get(c as usize))
                .zip(index.names.get(position as usize))
                .is_some_and(|(cut, facts)| facts.name.is_at_or_below(cut.name));
            if !name_below_current {
                current = is_cut.then_some(position);
            }
            if let Some(facts) = index.names.get_mut(position as usize) {
                facts.cut = current.unwrap_or(NONE);
            }
        }
        index.served = vec![0; owner_of.len().div_ceil(64)];
        for (record, &position) in owner_of.iter().enumerate() {
            let served = index
                .names
                .get(position as usize)
                .is_some_and(|facts| facts.cut == NONE || facts.cut == position);
            if served {
                if let Some(word) = index.served.get_mut(record / 64) {
                    *word |= 1 << (record % 64);
                }
            }
        }
        // Each name's parent, found once here rather than by every walk up the tree.
        let parents = parents_in_order(&index.names, &index.origin, |parent| {
            index.by_name.find(&index.names, parent)
        });
        for (facts, &parent) in index.names.iter_mut().zip(&parents) {
            facts.parent = parent;
        }
        // What a name's children make of it: it has some, and `*.<name>` and
        // `_dmarc.<name>` exist.
        for (at, &parent) in parents.iter().enumerate() {
            let flag = match index.names.get(at) {
                Some(facts) if facts.is_wildcard() => FLAG_CHILDREN | FLAG_WILDCARD_CHILD,
                Some(facts) if is_dmarc_name(facts.name) => FLAG_CHILDREN | FLAG_DMARC_CHILD,
                Some(_) => FLAG_CHILDREN,
                None => continue,
            };
            if let Some(parent) = index.names.get_mut(parent as usize) {
                parent.flags |= flag;
            }
        }
        index.owner_of = owner_of;
        index.class = index
            .class_reference()
            .map_or(Class::IN, |(reference, _)| reference.class());
        index
    }

    fn slot(&mut self, name: &'z NameRef, first_record: u32) -> u32 {
        // Hashed once, for the search and the insertion.
        let hash = self.by_name.hash(name.as_wire());
        if let Some(slot) = self.by_name.find_hashed(&self.names, name.as_wire(), hash) {
            return slot;
        }
        let slot = self.names.len() as u32;
        let mut flags = 0;
        if has_underscore_label(name) {
            flags |= FLAG_UNDERSCORE;
        }
        if name.is_wildcard() {
            flags |= FLAG_WILDCARD;
        }
        self.names.push(NameFacts {
            name,
            records_start: 0,
            records_len: 0,
            first_record,
            cut: NONE,
            parent: NONE,
            types: [0; 2],
            flags,
        });
        self.by_name.insert_hashed(&self.names, slot, hash);
        slot
    }

    /// Where the name of `facts` first comes to exist: its first record, or for an empty
    /// non-terminal the first record below it (the whole record's span).
    #[must_use]
    pub fn first_span(&self, facts: &NameFacts<'_>) -> Span {
        self.zone
            .record(facts.first_record as usize)
            .map(|record| record.span())
            .unwrap_or_default()
    }

    fn has_type_in(&self, facts: &NameFacts<'_>, rtype: RType) -> bool {
        self.holds_any(facts, &[rtype])
    }

    /// The types of the records of `facts` from 128 up, which its bits do not show: read
    /// from the index's list of its records' types (no record is read), and none
    /// without looking for a name that holds no such type.
    fn high_types<'a>(&'a self, facts: &NameFacts<'_>) -> impl Iterator<Item = RType> + 'a {
        let types = if facts.flags & FLAG_OTHER_TYPES != 0 {
            self.typed_positions(facts).1
        } else {
            &[]
        };
        types.iter().copied().filter(|rtype| rtype.0 >= 128)
    }

    /// Whether the name holds a record of any of `rtypes`. Reads no record. Inlined, so
    /// that the mask of a list of types written in the caller is made when it compiles
    /// (made at run time, it cost 1 % more instructions of a lint).
    #[must_use]
    #[inline(always)]
    pub fn holds_any(&self, facts: &NameFacts<'_>, rtypes: &[RType]) -> bool {
        // The types' bits in one mask, tested at once (the rules ask it of every name).
        let (bits, high) = type_mask(rtypes);
        facts.types() & bits != 0
            || (high && self.high_types(facts).any(|rtype| rtypes.contains(&rtype)))
    }

    /// The name's records of any of `rtypes`, in file order: [`Self::records_of`] for
    /// several types. No record is read when the name holds none of them (types below
    /// 128).
    pub fn records_of_any<'a>(
        &'a self,
        facts: &'a NameFacts<'_>,
        rtypes: &'a [RType],
    ) -> impl Iterator<Item = RecordRef<'z>> + 'a {
        let (records, types) = if self.holds_any(facts, rtypes) {
            self.typed_positions(facts)
        } else {
            (&[][..], &[][..])
        };
        records
            .iter()
            .zip(types)
            .filter(move |(_, rtype)| rtypes.contains(rtype))
            .filter_map(|(&i, _)| self.zone.record(i as usize))
    }

    /// Whether every record the name holds is of one of `rtypes` (true for an empty
    /// non-terminal). Reads no record.
    #[must_use]
    pub fn holds_only(&self, facts: &NameFacts<'_>, rtypes: &[RType]) -> bool {
        let (allowed, _) = type_mask(rtypes);
        facts.types() & !allowed == 0 && self.high_types(facts).all(|rtype| rtypes.contains(&rtype))
    }

    /// Every existing name, in canonical (RFC 4034 §6.1) order.
    pub fn names(&self) -> impl Iterator<Item = &NameFacts<'z>> {
        self.names.iter()
    }

    /// The names at positions `range` (clamped to the names there are), in canonical
    /// order: a chunk of [`ZoneIndex::names`].
    pub fn names_in(&self, range: Range<usize>) -> std::slice::Iter<'_, NameFacts<'z>> {
        let end = range.end.min(self.names.len());
        self.names
            .get(range.start.min(end)..end)
            .unwrap_or_default()
            .iter()
    }

    /// The facts of `name`, if it exists in this zone.
    #[must_use]
    pub fn get(&self, name: &NameRef) -> Option<&NameFacts<'z>> {
        self.get_wire(name.as_wire())
    }

    /// [`Self::get`] for a name's wire form (a parent's, say), with no `Name` built.
    #[must_use]
    pub fn get_wire(&self, wire: &[u8]) -> Option<&NameFacts<'z>> {
        self.by_name
            .find(&self.names, wire)
            .and_then(|i| self.names.get(i as usize))
    }

    /// The owner of the record at `record` (its index in the zone), if in the zone: its
    /// position among [`Self::names`] and its facts. [`Self::get`] of the owner, with no
    /// search.
    #[must_use]
    pub fn owner_of(&self, record: u32) -> Option<(usize, &NameFacts<'z>)> {
        let position = *self.owner_of.get(record as usize)? as usize;
        self.names.get(position).map(|facts| (position, facts))
    }

    /// The position of `facts` among [`Self::names`], if they are this index's: found
    /// from where they are in memory, with no search.
    #[must_use]
    pub fn position_of(&self, facts: &NameFacts<'_>) -> Option<usize> {
        position_in(&self.names, std::ptr::from_ref(facts).cast())
    }

    /// How many names exist (the length of [`Self::names`]).
    #[must_use]
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The apex's facts.
    #[must_use]
    pub fn apex(&self) -> Option<&NameFacts<'z>> {
        self.get(&self.origin)
    }

    /// The record that sets the zone's class, with what it is: the apex SOA (RFC 1035
    /// §5.2: the SOA at the top of the zone), else the first SOA of the file, else the
    /// first record. One answer for every rule and fix that needs the class.
    #[must_use]
    pub fn class_reference(&self) -> Option<(RecordRef<'z>, &'static str)> {
        self.apex()
            .and_then(|apex| self.records_of(apex, RType::SOA).next())
            .map(|soa| (soa, "the zone's SOA"))
            .or_else(|| {
                self.zone
                    .records()
                    .find(|r| r.rtype() == RType::SOA)
                    .map(|soa| (soa, "the zone's first SOA"))
            })
            .or_else(|| self.zone.record(0).map(|r| (r, "the zone's first record")))
    }

    /// The zone's class: [`Self::class_reference`]'s, or IN when the zone has no
    /// record. What a fix that writes a class writes (every fix that adds a line asks,
    /// a few hundred thousand times on a large zone: it is found once, when the index
    /// is built).
    #[must_use]
    pub fn class(&self) -> Class {
        self.class
    }

    /// The records of `facts`.
    pub fn records<'a>(
        &'a self,
        facts: &'a NameFacts<'_>,
    ) -> impl Iterator<Item = RecordRef<'z>> + 'a {
        self.record_positions(facts)
            .iter()
            .filter_map(|&i| self.zone.record(i as usize))
    }

    /// [`Self::record_positions`] with each record's type beside it.
    fn typed_positions(&self, facts: &NameFacts<'_>) -> (&[u32], &[RType]) {
        let start = facts.records_start as usize;
        let range = start..start + facts.records_len as usize;
        (
            self.record_list.get(range.clone()).unwrap_or_default(),
            self.record_types.get(range).unwrap_or_default(),
        )
    }

    /// The indexes (into the zone's records) of the records of `facts`, in file order.
    #[must_use]
    pub fn record_positions(&self, facts: &NameFacts<'_>) -> &[u32] {
        self.typed_positions(facts).0
    }

    /// The indexes (into the zone's records) of the records of `facts` whose type is one
    /// of `rtypes`, in file order.
    pub fn positions_of<'a>(
        &'a self,
        facts: &'a NameFacts<'_>,
        rtypes: &'a [RType],
    ) -> impl Iterator<Item = u32> + 'a {
        let may_own = rtypes.iter().any(|&rtype| may_own(facts, rtype));
        self.positions_where(facts, may_own, move |t| rtypes.contains(&t))
    }

    /// Every record of `rtype` in the zone: the names' (in canonical order, file order
    /// within a name), then those out of the zone (in file order). For a type below 128
    /// no record of a name without it is read: a derived view of a large zone's few MX
    /// or NS records read all its records for them before.
    pub fn all_of_type(&self, rtype: RType) -> impl Iterator<Item = RecordRef<'z>> + '_ {
        self.names
            .iter()
            .flat_map(move |facts| self.records_of(facts, rtype))
            .chain(
                self.out_of_zone
                    .iter()
                    .filter_map(|&i| self.zone.record(i as usize))
                    .filter(move |record| record.rtype() == rtype),
            )
    }

    /// The records of `facts` of one type.
    pub fn records_of<'a>(
        &'a self,
        facts: &'a NameFacts<'_>,
        rtype: RType,
    ) -> impl Iterator<Item = RecordRef<'z>> + 'a {
        self.positions_where(facts, may_own(facts, rtype), move |t| t == rtype)
            .filter_map(|i| self.zone.record(i as usize))
    }

    /// The positions of the records of `facts` whose type is `wanted`, in file order;
    /// none, with no record read, unless `may_own` (the types' bits say it may own one).
    fn positions_where<'a>(
        &'a self,
        facts: &'a NameFacts<'_>,
        may_own: bool,
        wanted: impl Fn(RType) -> bool + 'a,
    ) -> impl Iterator<Item = u32> + 'a {
        let (records, types) = if may_own {
            self.typed_positions(facts)
        } else {
            (&[][..], &[][..])
        };
        records
            .iter()
            .zip(types)
            .filter(move |(_, &t)| wanted(t))
            .map(|(&i, _)| i)
    }

    /// Whether `facts` owns a record of `rtype`.
    #[must_use]
    pub fn has_type(&self, facts: &NameFacts<'_>, rtype: RType) -> bool {
        self.has_type_in(facts, rtype)
    }

    /// The delegation points below the apex.
    pub fn cuts(&self) -> impl Iterator<Item = &NameFacts<'z>> {
        self.cuts.iter().filter_map(|&i| self.names.get(i as usize))
    }

    /// The closest delegation point at or above `name` (below the apex), if any. O(1) for
    /// names of the zone; other names use their closest existing ancestor.
    #[must_use]
    pub fn cut_at_or_above(&self, name: &NameRef) -> Option<&NameFacts<'z>> {
        if !name.is_at_or_below(&self.origin) {
            return None;
        }
        self.cut_from(name.as_wire())
    }

    /// The cut at or above the closest existing name at or above `wire` (at or below the
    /// apex). Its parents' wire forms are suffixes of it, so the walk builds nothing.
    fn cut_from(&self, wire: &[u8]) -> Option<&NameFacts<'z>> {
        let mut current = Some(wire);
        while let Some(wire) = current {
            if let Some(facts) = self.get_wire(wire) {
                return self.cut_of(facts);
            }
            if wire.len() <= self.origin.as_wire().len() {
                return None;
            }
            current = parent_wire(wire);
        }
        None
    }

    /// Whether the zone answers with the record at `record` (its index in the zone): its
    /// owner is at or below the apex and not strictly below a delegation point. The same
    /// as `!is_below_cut(owner)` for an in-zone owner, without hashing the owner.
    #[must_use]
    pub fn serves_record(&self, record: u32) -> bool {
        self.served
            .get(record as usize / 64)
            .is_some_and(|word| word & (1 << (record % 64)) != 0)
    }

    /// The closest delegation point at or above the name of `facts` (below the apex), if
    /// any: [`Self::cut_at_or_above`] for a name already looked up.
    #[must_use]
    pub fn cut_of(&self, facts: &NameFacts<'_>) -> Option<&NameFacts<'z>> {
        self.names.get(facts.cut as usize)
    }

    /// The parent of the name of `facts` (one of this index's), if it is in the zone:
    /// every name but the apex has one (the names between an owner and the apex exist).
    #[must_use]
    pub fn parent_of(&self, facts: &NameFacts<'_>) -> Option<&NameFacts<'z>> {
        self.names.get(facts.parent as usize)
    }

    /// Whether the name of `facts` (one of this index's) lies strictly below a delegation
    /// point: [`Self::is_below_cut`] for a name already looked up.
    #[must_use]
    pub fn is_below_cut_of(&self, facts: &NameFacts<'_>) -> bool {
        self.cut_of(facts)
            .is_some_and(|cut| !std::ptr::eq(cut, facts))
    }

    /// Whether `name` lies strictly below a delegation point (out of authority).
    #[must_use]
    pub fn is_below_cut(&self, name: &NameRef) -> bool {
        self.cut_at_or_above(name)
            .is_some_and(|cut| cut.name != name)
    }

    /// For a name that does not exist, the wildcard that answers for it (RFC 4592 §3.3.1:
    /// `*.E` where E is the closest encloser), if any.
    #[must_use]
    pub fn wildcard_for(&self, name: &NameRef) -> Option<&NameFacts<'z>> {
        if self.get(name).is_some() || !name.is_at_or_below(&self.origin) {
            return None;
        }
        let mut current = parent_wire(name.as_wire());
        while let Some(wire) = current {
            if let Some(encloser) = self.get_wire(wire) {
                return self.wildcard_child(encloser);
            }
            current = parent_wire(wire);
        }
        None
    }

    /// The wildcard `*.<name>` below the name of `facts` (one of this index's), if the
    /// zone holds one: known from the name's facts, built and looked up only then.
    #[must_use]
    pub fn wildcard_child(&self, facts: &NameFacts<'_>) -> Option<&NameFacts<'z>> {
        if facts.flags & FLAG_WILDCARD_CHILD == 0 {
            return None;
        }
        self.get(&facts.name.prepend(b"*").ok()?)
    }
}

/// Something a [`NameTable`] finds by name: a name of a zone, or a zone by its origin.
trait Named {
    /// The wire form of the name it is found by.
    fn wire(&self) -> &[u8];
}

impl Named for NameFacts<'_> {
    fn wire(&self) -> &[u8] {
        self.name.as_wire()
    }
}

impl Named for ZoneIndex<'_> {
    fn wire(&self) -> &[u8] {
        self.origin.as_wire()
    }
}

/// Positions in a list of [`Named`] items (a zone's names, a set's zones), each name
/// stored once (in the list; the table holds positions), found from a wire form, ignoring
/// case.
#[derive(Default)]
struct NameTable {
    table: hashbrown::HashTable<u32>,
    /// Seeded per process, as every name-keyed map (see `foldhash` in Cargo.toml).
    state: foldhash::fast::RandomState,
}

impl NameTable {
    fn hash(&self, wire: &[u8]) -> u64 {
        hash_wire_with(&self.state, wire)
    }

    /// The position of the item whose name's wire form is `wire` (case ignored), if held.
    fn find<T: Named>(&self, items: &[T], wire: &[u8]) -> Option<u32> {
        self.find_hashed(items, wire, self.hash(wire))
    }

    /// [`NameTable::find`], `wire`'s hash ([`NameTable::hash`]) already known.
    fn find_hashed<T: Named>(&self, items: &[T], wire: &[u8], hash: u64) -> Option<u32> {
        self.table
            .find(hash, |&position| {
                items
                    .get(position as usize)
                    .is_some_and(|item| zonelint_zone::name::same_wire(item.wire(), wire))
            })
            .copied()
    }

    /// Files the item at `position` of `items` (its name not yet in the table), `hash`
    /// the hash of its name ([`NameTable::hash`]).
    fn insert_hashed<T: Named>(&mut self, items: &[T], position: u32, hash: u64) {
        let state = &self.state;
        self.table
            .insert_unique(hash, position, |&other| hash_of(state, items, other));
    }

    /// Files the item at `position` of `items`, in place of an earlier one with its name.
    fn insert_last<T: Named>(&mut self, items: &[T], position: u32) {
        let Some(wire) = items.get(position as usize).map(Named::wire) else {
            return;
        };
        let state = &self.state;
        let entry = self.table.entry(
            hash_wire_with(state, wire),
            |&other| {
                items
                    .get(other as usize)
                    .is_some_and(|other| zonelint_zone::name::same_wire(other.wire(), wire))
            },
            |&other| hash_of(state, items, other),
        );
        *entry.or_insert(position).get_mut() = position;
    }

    /// Room for `additional` more items.
    fn reserve<T: Named>(&mut self, items: &[T], additional: usize) {
        let state = &self.state;
        self.table
            .reserve(additional, |&position| hash_of(state, items, position));
    }

    /// Every position held, to renumber them when the names are reordered.
    fn positions_mut(&mut self) -> impl Iterator<Item = &mut u32> {
        self.table.iter_mut()
    }
}

fn hash_wire_with(state: &foldhash::fast::RandomState, wire: &[u8]) -> u64 {
    let mut hasher = std::hash::BuildHasher::build_hasher(state);
    zonelint_zone::name::hash_wire(wire, &mut hasher);
    std::hash::Hasher::finish(&hasher)
}

/// The hash of the name of the item at `position` (when the table grows).
fn hash_of<T: Named>(state: &foldhash::fast::RandomState, items: &[T], position: u32) -> u64 {
    items
        .get(position as usize)
        .map_or(0, |item| hash_wire_with(state, item.wire()))
}

/// The bits of `rtypes` below 128 in one mask ([`NameFacts::types`]), and whether any
/// is 128 or above (which no bit shows).
#[inline(always)]
fn type_mask(rtypes: &[RType]) -> (u128, bool) {
    rtypes.iter().fold((0, false), |(bits, high), &rtype| {
        (bits | type_bit(rtype), high || rtype.0 >= 128)
    })
}

/// Whether `facts` may own a record of `rtype`: its types' bits say so, or the type is
/// 128 or above, which the bits do not show.
fn may_own(facts: &NameFacts<'_>, rtype: RType) -> bool {
    rtype.0 >= 128 || facts.types() & type_bit(rtype) != 0
}

/// A set of a zone's names, by position in its index ([`ZoneIndex::owner_of`],
/// [`ZoneIndex::position_of`]): a flag per name, where a set of names would hash each.
pub(crate) struct NameSet(Vec<bool>);

impl NameSet {
    /// No name of `zone`.
    pub(crate) fn new(zone: &ZoneIndex<'_>) -> Self {
        Self(vec![false; zone.name_count()])
    }

    /// Adds the name at `position`: true if it was not in the set (false, too, for a
    /// position the zone does not have).
    pub(crate) fn insert(&mut self, position: usize) -> bool {
        match self.0.get_mut(position) {
            Some(present) if !*present => {
                *present = true;
                true
            }
            _ => false,
        }
    }

    /// Whether the name at `position` is in the set.
    pub(crate) fn contains(&self, position: usize) -> bool {
        self.0.get(position).is_some_and(|&present| present)
    }
}

/// Where the element at `address` is in `slice`, if it is one of its elements: its offset
/// from the slice's start over the size of an element, checked to land on it.
fn position_in<T>(slice: &[T], address: *const u8) -> Option<usize> {
    let offset = (address as usize).checked_sub(slice.as_ptr() as usize)?;
    let position = offset.checked_div(std::mem::size_of::<T>())?;
    slice
        .get(position)
        .filter(|at| std::ptr::from_ref(*at).cast::<u8>() == address)
        .map(|_| position)
}

/// Whether `name`'s first label is `_dmarc` (any case): where policy records live
/// (RFC 9989 §4.5, RFC 7489 §6.1).
#[must_use]
pub fn is_dmarc_name(name: &NameRef) -> bool {
    name.first_label()
        .is_some_and(|label| label.eq_ignore_ascii_case(b"_dmarc"))
}

/// Whether any label of `name` starts with `_`.
#[must_use]
pub fn has_underscore_label(name: &NameRef) -> bool {
    name.labels().any(|label| label.first() == Some(&b'_'))
}

/// The bit of `rtype` in [`NameFacts`]'s type set (none for types from 128 up).
fn type_bit(rtype: RType) -> u128 {
    1u128.checked_shl(u32::from(rtype.0)).unwrap_or(0)
}

/// Every zone linted together.
pub struct ZoneSet<'z> {
    /// The zones, in the order given ([`ZoneSet::zones`]); kept as they were given, as
    /// the table of their origins is made from them.
    zones: Vec<ZoneIndex<'z>>,
    /// The `spf-snapshot` records (names outside the zones), indexed with the root as
    /// apex; asked only about names no loaded zone answers for.
    pub snapshot: Option<ZoneIndex<'z>>,
    /// The zones by origin, for sets too large to search one by one.
    origins: NameTable,
}

/// Sets of at most this many zones are searched one by one for the zone of a name: one
/// or two comparisons cost less than hashing the name and each of its ancestors.
const SEARCHED_ZONES: usize = 8;

/// The position of the last zone of a set with each origin ([`NameTable`] over the
/// zones), or nothing for a set small enough to search. [`ZoneSet::deepest`] asks it for
/// a name and then each ancestor: a few probes, where searching the zones one by one made
/// linting a directory of thousands of small zones take time in the square of their
/// number.
fn origin_table(zones: &[ZoneIndex<'_>]) -> NameTable {
    let mut origins = NameTable::default();
    if zones.len() > SEARCHED_ZONES {
        for position in 0..u32::try_from(zones.len()).unwrap_or(u32::MAX) {
            // The last zone with an origin stands for it, as in the search.
            origins.insert_last(zones, position);
        }
    }
    origins
}

impl ZoneSet<'_> {
    /// Drops the set, each zone's names on every core ([`crate::parallel`]).
    pub(crate) fn drop_in_parallel(self) {
        self.zones
            .into_par_iter()
            .chain(self.snapshot)
            .for_each(|zone| crate::parallel::drop_items(zone.names));
    }
}

/// What a lookup across the set found.
#[derive(Clone, Copy)]
pub struct Found<'a, 'z> {
    /// The zone that is authoritative for the name.
    pub zone: &'a ZoneIndex<'z>,
    /// The name's facts, if it exists there.
    pub facts: Option<&'a NameFacts<'z>>,
}

impl<'z> ZoneSet<'z> {
    /// A set of indexed zones.
    #[must_use]
    pub fn new(zones: Vec<ZoneIndex<'z>>) -> Self {
        Self {
            origins: origin_table(&zones),
            zones,
            snapshot: None,
        }
    }

    /// The zones, in the order given.
    #[must_use]
    pub fn zones(&self) -> &[ZoneIndex<'z>] {
        &self.zones
    }

    /// The set with the records of an `spf-snapshot` file.
    #[must_use]
    pub fn with_snapshot(mut self, snapshot: Option<&'z Zone>) -> Self {
        self.snapshot = snapshot.map(|zone| ZoneIndex::build(zone, Name::root()));
        self
    }

    /// The snapshot's facts for `name`, when the snapshot holds records of exactly that
    /// name (no wildcard, no delegation: it holds answers, not zones).
    #[must_use]
    pub fn snapshot_lookup(&self, name: &NameRef) -> Option<(&ZoneIndex<'z>, &NameFacts<'z>)> {
        let snapshot = self.snapshot.as_ref()?;
        let facts = snapshot.get(name).filter(|f| !f.is_empty_non_terminal())?;
        Some((snapshot, facts))
    }

    /// The loaded zone authoritative for `name`: the deepest origin at or above it whose
    /// zone does not delegate it away (a loaded child zone wins over its parent's cut).
    #[must_use]
    pub fn authority(&self, name: &NameRef) -> Option<&ZoneIndex<'z>> {
        self.deepest(name)
            .map(|(_, zone)| zone)
            .filter(|z| !z.is_below_cut(name))
    }

    /// The zone with the deepest origin at or above `name`, and its position in the set
    /// (the last such zone when several share that origin); its cuts decide whether it
    /// answers for `name`.
    #[must_use]
    pub fn deepest(&self, name: &NameRef) -> Option<(usize, &ZoneIndex<'z>)> {
        if self.zones.len() <= SEARCHED_ZONES {
            return self
                .zones
                .iter()
                .enumerate()
                .filter(|(_, z)| name.is_at_or_below(&z.origin))
                .max_by_key(|(_, z)| z.origin.label_count());
        }
        // The name, then each ancestor up to the root: the first that is an origin.
        std::iter::successors(Some(name.as_wire()), |&wire| parent_wire(wire))
            .find_map(|wire| self.origins.find(&self.zones, wire))
            .map(|position| position as usize)
            .and_then(|position| Some((position, self.zones.get(position)?)))
    }

    /// Where `zone` (one of the set's) is in the set: found from where it is in memory,
    /// with no search (discovery and the rules ask it for every name; sets may hold
    /// thousands of zones).
    #[must_use]
    pub fn position_of(&self, zone: &ZoneIndex<'_>) -> Option<usize> {
        position_in(&self.zones, std::ptr::from_ref(zone).cast())
    }

    /// Looks `name` up in the zone authoritative for it. `None` when no loaded zone is
    /// (the name is external).
    #[must_use]
    pub fn lookup(&self, name: &NameRef) -> Option<Found<'_, 'z>> {
        // `authority`, with the name looked up once: an existing name knows its cut.
        let (_, zone) = self.deepest(name)?;
        let facts = zone.get(name);
        let below_cut = match facts {
            Some(facts) => zone
                .cut_of(facts)
                .is_some_and(|cut| !std::ptr::eq(cut, facts)),
            // Strictly below the closest cut above its closest existing ancestor.
            None => {
                parent_wire(name.as_wire()).is_some_and(|parent| zone.cut_from(parent).is_some())
            }
        };
        (!below_cut).then_some(Found { zone, facts })
    }

    /// The zone whose sources contain `span`.
    #[must_use]
    pub fn zone_of_span(&self, span: Span) -> Option<&ZoneIndex<'z>> {
        self.zones
            .iter()
            .find(|z| z.zone.sources.contains(span.source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zonelint_zone::{parse_str, ParseOptions};

    fn zone(text: &str) -> Zone {
        let options = ParseOptions {
            origin: Name::from_ascii("example.com.").ok(),
            ..ParseOptions::default()
        };
        let (zone, diagnostics) = parse_str("t.zone", text, &options);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        zone
    }

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    /// Each name's parent, found from the names' canonical order, is the one the table
    /// holds under the name's parent's wire form, and is found without the table: on
    /// owners of every depth in any order and case, with empty non-terminals, wildcards,
    /// labels that hold a dot or sort below letters, and owners outside the zone.
    #[test]
    fn parents_found_in_order_are_the_table_s() {
        use proptest::strategy::Strategy;
        const LABELS: [&str; 10] = [
            "a", "B", "b", "*", "_dmarc", "a\\.b", "\\000", "z", "a-", "ab",
        ];
        let owner = proptest::collection::vec(0..LABELS.len(), 0..5).prop_map(|labels| {
            let mut owner: String = labels
                .iter()
                .map(|&at| format!("{}.", LABELS[at]))
                .collect();
            owner.push_str("example.com.");
            owner
        });
        let outside = proptest::sample::select(vec![
            "example.org.",
            "x.example.org.",
            "com.",
            "example.comm.",
        ]);
        let owners = proptest::collection::vec(
            proptest::prop_oneof![8 => owner, 1 => outside.prop_map(str::to_owned)],
            1..60,
        );
        proptest::proptest!(proptest::test_runner::Config::with_cases(256), |(owners in owners)| {
            let text: String = owners.iter().map(|owner| format!("{owner} TXT x\n")).collect();
            let zone = zone(&format!("$TTL 60\n{text}"));
            let index = ZoneIndex::build(&zone, name("example.com."));
            let mut looked_up = 0;
            let parents = parents_in_order(&index.names, &index.origin, |_| {
                looked_up += 1;
                None
            });
            proptest::prop_assert_eq!(looked_up, 0);
            for (facts, &parent) in index.names.iter().zip(&parents) {
                let expected = if facts.name == &*index.origin {
                    NONE
                } else {
                    parent_wire(facts.name.as_wire())
                        .and_then(|parent| index.by_name.find(&index.names, parent))
                        .unwrap_or(NONE)
                };
                proptest::prop_assert_eq!(parent, expected, "{}", facts.name);
                proptest::prop_assert_eq!(facts.parent, expected);
            }
        });
    }

    /// A name whose parent is missing from the list (no index holds such a list) gets
    /// the lookup's answer, not the nearest ancestor the list holds.
    #[test]
    fn a_missing_parent_is_looked_up() {
        let zone = zone("$TTL 60\n@ A 192.0.2.1\na.b.c A 192.0.2.2\n");
        let index = ZoneIndex::build(&zone, name("example.com."));
        let without_c: Vec<NameFacts<'_>> = index
            .names
            .iter()
            .filter(|facts| facts.name != &*name("c.example.com."))
            .map(|facts| NameFacts {
                name: facts.name,
                records_start: 0,
                records_len: 0,
                first_record: 0,
                cut: NONE,
                parent: NONE,
                types: [0; 2],
                flags: 0,
            })
            .collect();
        let mut asked = Vec::new();
        let parents = parents_in_order(&without_c, &index.origin, |parent| {
            asked.push(NameRef::from_wire(parent).map(ToString::to_string));
            Some(7)
        });
        assert_eq!(asked, [Some("c.example.com.".to_owned())]);
        // The apex, b.c (looked up), a.b.c.
        assert_eq!(parents, [NONE, 7, 1]);
    }

    /// The class found when the index is built is [`ZoneIndex::class_reference`]'s: the
    /// apex SOA's, else the first SOA's, else the first record's, else IN.
    #[test]
    fn the_zone_s_class_is_its_class_reference_s() {
        let soa = "SOA ns hm 1 2 3 4 5";
        for (records, class) in [
            (format!("@ CH {soa}\nwww CH A 192.0.2.1\n"), Class::CH),
            (
                format!("sub IN {soa}\n@ HS {soa}\nwww IN A 192.0.2.1\n"),
                Class::HS,
            ),
            (format!("sub CH {soa}\nwww IN A 192.0.2.1\n"), Class::CH),
            ("www HS A 192.0.2.1\n".to_owned(), Class::HS),
            (String::new(), Class::IN),
        ] {
            let zone = zone(&format!("$TTL 60\n{records}"));
            let index = ZoneIndex::build(&zone, name("example.com."));
            assert_eq!(index.class(), class, "{records}");
            assert_eq!(
                index.class_reference().map(|(record, _)| record.class()),
                Some(class).filter(|_| !records.is_empty()),
                "{records}"
            );
        }
    }

    /// A type's records are the zone's records of that type, the names' and those out of
    /// the zone alike, for a type the bits show and one they do not (CAA).
    #[test]
    fn all_of_a_type_are_the_zone_s_records_of_it() {
        let zone = zone(
            "$TTL 60\n@ MX 10 mx1\n@ A 192.0.2.1\nmail MX 20 mx2\nmail MX 30 mx3\n\
             other.example.org. MX 10 mx.example.org.\nweb A 192.0.2.2\nweb CAA 0 issue \"ca\"\n\
             other.example.org. CAA 0 issue \"ca\"\n@ CAA 0 issue \"ca\"\n",
        );
        let index = ZoneIndex::build(&zone, name("example.com."));
        for rtype in [RType::MX, RType::CAA, RType::A, RType::NS] {
            let mut found: Vec<Span> = index.all_of_type(rtype).map(|r| r.span()).collect();
            found.sort_by_key(|span| span.start);
            let expected: Vec<Span> = zone
                .records()
                .filter(|r| r.rtype() == rtype)
                .map(|r| r.span())
                .collect();
            assert_eq!(found, expected, "{rtype:?}");
        }
        assert_eq!(index.all_of_type(RType::MX).count(), 4);
    }

    /// The type bits tell a name whose RRsets hold one record each, and never call one
    /// distinct that is not: two of a type, of a type in two classes, or with a type the
    /// bits do not show (128 and up).
    #[test]
    fn distinct_types_are_read_from_the_type_bits() {
        let zone = zone(
            "$TTL 60\n@ A 192.0.2.1\n@ AAAA ::1\n@ MX 0 .\ntwo A 192.0.2.1\ntwo A 192.0.2.2\n\
             classes A 192.0.2.1\nclasses CH A 192.0.2.1\nhigh A 192.0.2.1\nhigh CAA 0 issue \"ca\"\n\
             alone CAA 0 issue \"ca\"\nx.empty A 192.0.2.1\n",
        );
        let index = ZoneIndex::build(&zone, name("example.com."));
        let distinct = |owner: &str| index.get(&name(owner)).map(NameFacts::types_are_distinct);
        assert_eq!(distinct("example.com."), Some(true));
        assert_eq!(distinct("two.example.com."), Some(false));
        assert_eq!(distinct("classes.example.com."), Some(false));
        assert_eq!(distinct("high.example.com."), Some(false));
        assert_eq!(distinct("alone.example.com."), Some(false));
        assert_eq!(distinct("empty.example.com."), Some(true));
    }

    /// The index's names are the zone's own owner octets (an empty non-terminal's, a
    /// slice of the first owner below it): it copies no name.
    #[test]
    fn names_are_borrowed_from_the_records() {
        let zone = zone("$TTL 60\n@ A 192.0.2.1\nWWW.a.b TXT x\nwww.a.b A 192.0.2.2\n");
        let index = ZoneIndex::build(&zone, name("example.com."));
        let owner = zone.record(1).unwrap().owner().as_wire();
        let range = owner.as_ptr_range();
        let www = index.get(&name("www.a.b.example.com.")).unwrap();
        assert_eq!(www.name.as_wire().as_ptr(), owner.as_ptr());
        assert_eq!(www.name.to_string(), "WWW.a.b.example.com.");
        assert_eq!(www.record_count(), 2);
        for ent in ["a.b.example.com.", "b.example.com."] {
            let facts = index.get(&name(ent)).unwrap();
            assert!(facts.is_empty_non_terminal());
            assert!(
                range.contains(&facts.name.as_wire().as_ptr()),
                "{ent} copied"
            );
        }
        let apex = index.apex().unwrap();
        let apex_owner = zone.record(0).unwrap().owner().as_wire();
        assert_eq!(apex.name.as_wire().as_ptr(), apex_owner.as_ptr());
        // Where each name first comes to exist: its first record, or an empty
        // non-terminal's first record below it.
        let first = zone.record(1).unwrap().span();
        assert_eq!(index.first_span(www), first);
        assert_eq!(
            index.first_span(index.get(&name("b.example.com.")).unwrap()),
            first
        );
        assert_eq!(index.first_span(apex), zone.record(0).unwrap().span());
    }

    /// A name's types are known from its facts on both sides of type 64 (the two words
    /// they are kept in): A (1), HTTPS (65), SPF (99); CAA (257) from its records.
    #[test]
    fn a_names_types_are_known_below_and_above_64() {
        let zone = zone(
            "$TTL 60\n@ A 192.0.2.1\nwww A 192.0.2.2\nwww HTTPS 1 .\nwww SPF \"v=spf1 -all\"\n\
             www CAA 0 issue \"ca.example\"\nmail SPF \"v=spf1 -all\"\n",
        );
        let index = ZoneIndex::build(&zone, name("example.com."));
        let www = index.get(&name("www.example.com.")).unwrap();
        for rtype in [RType::A, RType::HTTPS, RType::SPF, RType::CAA] {
            assert!(index.has_type(www, rtype), "{rtype:?}");
        }
        assert!(!index.has_type(www, RType::MX) && !index.has_type(www, RType::SVCB));
        assert!(index.holds_only(www, &[RType::A, RType::HTTPS, RType::SPF, RType::CAA]));
        assert!(!index.holds_only(www, &[RType::A, RType::HTTPS, RType::CAA]));
        assert!(!index.holds_only(www, &[RType::A, RType::HTTPS, RType::SPF]));
        let mail = index.get(&name("mail.example.com.")).unwrap();
        assert!(index.holds_any(mail, &[RType::TXT, RType::SPF]));
        assert!(index.holds_only(mail, &[RType::SPF]));
        assert!(!index.holds_any(mail, &[RType::TXT, RType::A]));
        // A type from 128 up is found in the records, with or without others asked.
        assert!(index.holds_any(www, &[RType::MX, RType::CAA]));
        assert!(index.holds_any(www, &[RType::CAA]));
        assert!(!index.holds_any(mail, &[RType::MX, RType::CAA]));
        assert!(!index.holds_any(mail, &[]));
    }

    /// Every name of a zone has its facts for the whole lint (573k on the 1M-record
    /// bench zone): a field grown or added shows here.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn name_facts_keep_their_size() {
        assert_eq!(std::mem::size_of::<NameFacts<'_>>(), 56);
    }

    /// Names whose keys agree past the inline prefix [`canonical_order`] sorts by, keys
    /// shorter than it, escaped octets 0 and 1 and mixed case come out as a sort by the
    /// whole canonical key puts them.
    #[test]
    fn canonical_order_agrees_with_the_whole_key() {
        let long = "a".repeat(SORT_KEY_LEN + 3);
        let owners = [
            format!("{long}b"),
            long.clone(),
            format!("{long}B.x"),
            format!("x.{long}a"),
            format!("{long}\\000"),
            format!("{long}\\001z"),
            "A".to_owned(),
            "a.a".to_owned(),
            "\\000".to_owned(),
            "\\001".to_owned(),
            "a\\000".to_owned(),
            "Z.y".to_owned(),
            "y".to_owned(),
            "*.y".to_owned(),
            format!("{}.w", "q".repeat(SORT_KEY_LEN - 4)),
            format!("{}.w", "q".repeat(SORT_KEY_LEN - 5)),
        ];
        let text: String = owners
            .iter()
            .map(|owner| format!("{owner} TXT x\n"))
            .collect();
        let zone = zone(&format!("$TTL 60\n@ A 192.0.2.1\n{text}"));
        let index = ZoneIndex::build(&zone, name("example.com."));
        let found: Vec<&NameRef> = index.names().map(|facts| facts.name).collect();
        let mut expected = found.clone();
        expected.sort_by_key(|name| name.canonical_key());
        assert_eq!(found, expected);
        // Every owner and the empty non-terminals above them are there.
        assert!(found.len() > owners.len());
    }

    #[test]
    fn names_include_empty_non_terminals_in_canonical_order() {
        let zone = zone("$TTL 60\n@ A 192.0.2.1\na.b.c A 192.0.2.2\nwww A 192.0.2.3\nout.example.org. A 192.0.2.4\n");
        let index = ZoneIndex::build(&zone, name("example.com."));
        let names: Vec<String> = index.names().map(|f| f.name.to_string()).collect();
        assert_eq!(
            names,
            [
                "example.com.",
                "c.example.com.",
                "b.c.example.com.",
                "a.b.c.example.com.",
                "www.example.com."
            ]
        );
        assert!(index
            .get(&name("c.example.com."))
            .unwrap()
            .is_empty_non_terminal());
        assert!(!index
            .get(&name("WWW.example.com."))
            .unwrap()
            .is_empty_non_terminal());
        assert_eq!(index.out_of_zone, [3]);
    }

    /// Tens of thousands of names in an order far from the canonical one (mixed case,
    /// octets 0 and 1, labels that prefix each other) come out in canonical order.
    #[test]
    fn many_names_sort_in_canonical_order() {
        let mut text = String::from("$TTL 60\n@ A 192.0.2.1\n");
        let count = 50_000;
        for i in 0..count {
            // A multiplicative walk, so neighbours in the file are far apart in order.
            let n = (i * 7919) % count;
            let label = match n % 4 {
                0 => format!("h{n}"),
                1 => format!("H{n}.x"),
                2 => format!("h{}\\000.y", n / 3),
                _ => format!("h{}\\001z", n / 5),
            };
            text.push_str(&format!("{label} A 192.0.2.2\n"));
        }
        let zone = zone(&text);
        let index = ZoneIndex::build(&zone, name("example.com."));
        let names: Vec<&NameRef> = index.names().map(|f| f.name).collect();
        assert!(names.len() > 40_000, "{}", names.len());
        for pair in names.windows(2) {
            assert_eq!(
                pair[0].canonical_cmp(pair[1]),
                std::cmp::Ordering::Less,
                "{pair:?}"
            );
        }
    }

    #[test]
    fn cuts_and_occlusion() {
        let zone =
            zone("$TTL 60\n@ NS ns1\nsub NS ns.sub\nns.sub A 192.0.2.1\nx.y.sub A 192.0.2.2\n");
        let index = ZoneIndex::build(&zone, name("example.com."));
        assert_eq!(
            index.cuts().map(|f| f.name.to_string()).collect::<Vec<_>>(),
            ["sub.example.com."]
        );
        assert!(index.is_below_cut(&name("ns.sub.example.com.")));
        assert!(index.is_below_cut(&name("x.y.sub.example.com.")));
        assert!(!index.is_below_cut(&name("sub.example.com.")));
        assert!(!index.is_below_cut(&name("example.com.")));
    }

    #[test]
    fn served_records_are_those_in_zone_and_not_below_a_cut() {
        // The apex NS and the cut's NS (served: the delegation itself), glue and data
        // below the cut (not served), an out-of-zone record, a record after them, one
        // more below the cut, and a record number past the last.
        let zone = zone("$TTL 60\n@ NS ns1\nsub NS ns.sub\nns.sub A 192.0.2.1\nx.y.sub A 192.0.2.2\nout.example.org. A 192.0.2.3\nwww A 192.0.2.4\nz.sub A 192.0.2.5\n");
        let index = ZoneIndex::build(&zone, name("example.com."));
        let served: Vec<bool> = (0..8).map(|record| index.serves_record(record)).collect();
        assert_eq!(
            served,
            [true, true, false, false, false, true, false, false]
        );
        // The same answer as the name's own facts give.
        for record in 0..8u32 {
            let Some(owner) = zone.record(record as usize).map(|r| r.owner().to_name()) else {
                continue;
            };
            let by_name = owner.is_at_or_below(&index.origin) && !index.is_below_cut(&owner);
            assert_eq!(index.serves_record(record), by_name, "{owner}");
        }
    }

    #[test]
    fn names_know_their_underscore_labels_and_dmarc_children() {
        let zone = zone("$TTL 60\n@ A 192.0.2.1\n_DMARC TXT \"v=DMARC1; p=none\"\nwww A 192.0.2.2\n_dmarc.shop TXT \"v=DMARC1; p=none\"\nsel._domainkey.mail TXT \"v=DKIM1; p=\"\n");
        let index = ZoneIndex::build(&zone, name("example.com."));
        let facts = |n: &str| index.get(&name(n)).unwrap();
        assert!(facts("example.com.").has_dmarc_child());
        assert!(facts("shop.example.com.").has_dmarc_child());
        assert!(!facts("www.example.com.").has_dmarc_child());
        assert!(!facts("www.example.com.").has_underscore_label());
        assert!(facts("_domainkey.mail.example.com.").has_underscore_label());
        assert!(facts("sel._domainkey.mail.example.com.").has_underscore_label());
        assert!(!facts("mail.example.com.").has_underscore_label());
    }

    #[test]
    fn a_large_set_finds_the_zone_of_a_name_as_a_search_does() {
        // Nested origins, one given twice (the last stands for it), another in other
        // case, and more zones than are searched one by one.
        let origins = [
            "example.com.",
            "sub.example.com.",
            "a.sub.example.com.",
            "EXAMPLE.net.",
            "example.org.",
            "x.example.org.",
            "sub.example.com.",
            "com.",
            "b.example.net.",
            "z.y.x.example.org.",
            "example.edu.",
            "deep.a.sub.example.com.",
        ];
        assert!(origins.len() > SEARCHED_ZONES);
        let zones: Vec<Zone> = origins
            .iter()
            .map(|_| zone("$TTL 60\n@ A 192.0.2.1\n"))
            .collect();
        let set = ZoneSet::new(
            zones
                .iter()
                .zip(origins)
                .map(|(zone, origin)| ZoneIndex::build(zone, name(origin)))
                .collect(),
        );
        // The search the table stands in for: the deepest origin at or above the name,
        // the last zone of several with it.
        let searched = |name: &Name| {
            set.zones
                .iter()
                .enumerate()
                .filter(|(_, z)| name.is_at_or_below(&z.origin))
                .max_by_key(|(_, z)| z.origin.label_count())
                .map(|(at, _)| at)
        };
        let names = [
            "example.com.",
            "www.example.com.",
            "sub.example.com.",
            "www.SUB.example.com.",
            "a.sub.example.com.",
            "q.deep.a.sub.example.com.",
            "example.net.",
            "b.example.NET.",
            "c.b.example.net.",
            "other.com.",
            "com.",
            "net.",
            "x.example.org.",
            "w.z.y.x.example.org.",
            "y.x.example.org.",
            ".",
            "example.edu.",
            "www.example.info.",
        ];
        for text in names {
            let name = name(text);
            let found = set.deepest(&name).map(|(at, zone)| {
                assert!(std::ptr::eq(zone, &set.zones()[at]));
                at
            });
            assert_eq!(found, searched(&name), "{text}");
        }
        assert_eq!(
            set.deepest(&name("www.sub.example.com.")).map(|(at, _)| at),
            Some(6)
        );
        assert_eq!(set.deepest(&name("net.")).map(|(at, _)| at), None);
    }

    #[test]
    fn positions_are_found_from_addresses() {
        let a = zone("$TTL 60\n@ A 192.0.2.1\nwww A 192.0.2.2\n");
        let b = zone("$TTL 60\nmail A 192.0.2.3\n");
        let set = ZoneSet::new(vec![
            ZoneIndex::build(&a, name("example.com.")),
            ZoneIndex::build(&b, name("example.com.")),
        ]);
        let outside = ZoneIndex::build(&a, name("example.com."));
        for (at, zone) in set.zones().iter().enumerate() {
            assert_eq!(set.position_of(zone), Some(at));
            for (place, facts) in zone.names().enumerate() {
                assert_eq!(zone.position_of(facts), Some(place));
            }
        }
        assert_eq!(set.position_of(&outside), None);
        let apex = outside.apex().unwrap();
        assert!(set
            .zones
            .iter()
            .all(|zone| zone.position_of(apex).is_none()));
    }

    #[test]
    fn names_know_whether_they_have_children() {
        // Leaves, parents of owners, an empty non-terminal, a wildcard's parent, a name
        // below a cut, and a child written in other case.
        let zone = zone("$TTL 60\n@ A 192.0.2.1\nwww A 192.0.2.2\nmail A 192.0.2.3\nhost.MAIL A 192.0.2.4\nx.y.z A 192.0.2.5\n* TXT \"x\"\nsub NS ns.example.net.\nglue.sub A 192.0.2.6\nleaf.sub2 A 192.0.2.7\n");
        let index = ZoneIndex::build(&zone, name("example.com."));
        let has = |n: &str| index.get(&name(n)).unwrap().has_children();
        for parent in [
            "example.com.",
            "mail.example.com.",
            "y.z.example.com.",
            "z.example.com.",
            "sub.example.com.",
            "sub2.example.com.",
        ] {
            assert!(has(parent), "{parent}");
        }
        for leaf in [
            "www.example.com.",
            "host.mail.example.com.",
            "x.y.z.example.com.",
            "*.example.com.",
            "glue.sub.example.com.",
            "leaf.sub2.example.com.",
        ] {
            assert!(!has(leaf), "{leaf}");
        }
        // Every name, against the names of the index one label below it.
        for facts in index.names() {
            let children = index
                .names()
                .filter(|other| other.name.parent().is_some_and(|p| p == facts.name))
                .count();
            assert_eq!(facts.has_children(), children > 0, "{}", facts.name);
        }
    }

    #[test]
    fn names_know_their_wildcard_children() {
        let zone = zone("$TTL 60\n@ A 192.0.2.1\n* A 192.0.2.1\n*.A.b TXT \"x\"\nc A 192.0.2.2\n*.*.c A 192.0.2.3\nsub.* A 192.0.2.4\n");
        let index = ZoneIndex::build(&zone, name("example.com."));
        let child = |n: &str| {
            let facts = index.get(&name(n)).unwrap();
            index.wildcard_child(facts).map(|f| f.name.to_string())
        };
        assert_eq!(child("example.com.").as_deref(), Some("*.example.com."));
        assert_eq!(
            child("a.b.example.com.").as_deref(),
            Some("*.A.b.example.com.")
        );
        assert_eq!(child("b.example.com."), None);
        // `*.*.c` makes `*.c` exist (an empty non-terminal, and a wildcard).
        assert_eq!(child("c.example.com.").as_deref(), Some("*.c.example.com."));
        assert_eq!(
            child("*.c.example.com.").as_deref(),
            Some("*.*.c.example.com.")
        );
        assert_eq!(child("*.example.com."), None);
        assert_eq!(child("sub.*.example.com."), None);
        // Every name, against the lookup of `*.<name>` it stands for.
        for facts in index.names() {
            let looked_up = index
                .get(&facts.name.prepend(b"*").unwrap())
                .map(|f| f.name.to_string());
            assert_eq!(
                index.wildcard_child(facts).map(|f| f.name.to_string()),
                looked_up
            );
            assert_eq!(
                facts.is_wildcard(),
                facts.name.is_wildcard(),
                "{}",
                facts.name
            );
        }
    }

    #[test]
    fn wildcards_answer_only_below_their_closest_encloser() {
        let zone = zone("$TTL 60\n* A 192.0.2.1\nwww A 192.0.2.2\n*.www A 192.0.2.3\n");
        let index = ZoneIndex::build(&zone, name("example.com."));
        let covering = |n: &str| index.wildcard_for(&name(n)).map(|f| f.name.to_string());
        assert_eq!(
            covering("nope.example.com.").as_deref(),
            Some("*.example.com.")
        );
        assert_eq!(
            covering("a.b.example.com.").as_deref(),
            Some("*.example.com.")
        );
        assert_eq!(
            covering("x.www.example.com.").as_deref(),
            Some("*.www.example.com.")
        );
        assert_eq!(covering("www.example.com."), None);
        assert_eq!(covering("other.org."), None);
    }

    #[test]
    fn the_deepest_loaded_zone_is_authoritative() {
        let parent = zone("$TTL 60\n@ NS ns1\nsub NS ns.elsewhere.\n");
        let options = ParseOptions {
            origin: Name::from_ascii("sub.example.com.").ok(),
            ..ParseOptions::default()
        };
        let (child, _) = parse_str("c.zone", "$TTL 60\n@ NS ns1\nwww A 192.0.2.1\n", &options);
        let set = ZoneSet::new(vec![
            ZoneIndex::build(&parent, name("example.com.")),
            ZoneIndex::build(&child, name("sub.example.com.")),
        ]);
        let found = set.lookup(&name("www.sub.example.com.")).unwrap();
        assert_eq!(found.zone.origin, name("sub.example.com."));
        assert!(found.facts.is_some());
        assert!(set.lookup(&name("www.example.org.")).is_none());
    }
}
