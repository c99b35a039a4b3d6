//! The email-authentication records of a zone set, parsed once per lint.
//!
//! Every TXT (and type-99 SPF) record becomes a [`RecordText`] (its character-strings
//! joined as receivers join them, with spans back into the file). Those that look like
//! SPF, DMARC or DKIM are parsed with the [`grammar`](crate::grammar) once, here, and
//! indexed by owner, so that the many email rules share one parse. The texts are owned by
//! [`MailTexts`]; the parsed records borrow from them ([`ZoneMail`]).

use crate::grammar::dkim::{self, DkimKeyRecord, DkimProblem};
use crate::grammar::dmarc::{self, DmarcProblem, DmarcRecord};
use crate::grammar::spf::{self, SpfProblem, SpfRecord, SpfVersion};
use crate::grammar::RecordText;
use crate::index::{NameFacts, ZoneIndex, ZoneSet};
use crate::spf_eval::RecordId;
use foldhash::HashMap;
use rayon::prelude::*;
use zonelint_zone::{Name, NameRef, RType, Span, Zone};

/// The position that stands for the `spf-snapshot` records in [`MailSet::zone`] and in
/// [`RecordId::zone`](crate::spf_eval::RecordId): after every zone a set can hold.
pub const SNAPSHOT_POSITION: usize = usize::MAX;

/// One TXT or SPF record's text, owned.
pub struct TxtText<'z> {
    /// Index of the record in its zone.
    pub record: u32,
    /// The owner, borrowed from the zone's records.
    pub owner: &'z NameRef,
    /// TXT or SPF.
    pub rtype: RType,
    /// The zone the record is in, which holds its span ([`TxtText::span`]): a text is
    /// kept for a whole lint (263k of a 1M-record zone), and a span of its own made it
    /// 80 bytes where the zone's pointer makes it 72.
    zone: &'z Zone,
    /// The joined text with its spans.
    pub text: RecordText,
}

impl TxtText<'_> {
    /// The whole record as written.
    #[must_use]
    pub fn span(&self) -> Span {
        self.zone
            .record(self.record as usize)
            .map_or_else(Span::default, |record| record.span())
    }
}

/// The texts of every TXT and SPF record of each zone of a set, in zone order.
pub struct MailTexts<'z> {
    per_zone: Vec<Vec<TxtText<'z>>>,
    snapshot: Vec<TxtText<'z>>,
}

impl<'z> MailTexts<'z> {
    /// Reads the TXT and SPF records of every zone of `set`.
    #[must_use]
    pub fn read(set: &ZoneSet<'z>) -> Self {
        Self::read_zones(
            set.zones().iter().map(|zone| zone.zone),
            set.snapshot.as_ref().map(|snapshot| snapshot.zone),
        )
    }

    /// Reads the TXT and SPF records of `zones` (in the order of the set they will be
    /// linted as) and of the `spf-snapshot` records, without their index: the lint reads
    /// them while the index is built.
    #[must_use]
    pub fn read_zones(
        zones: impl IntoIterator<Item = &'z Zone>,
        snapshot: Option<&'z Zone>,
    ) -> Self {
        // The zones side by side: thousands of small ones, each read by asking the pool
        // from this thread, kept it waking and sleeping more than working.
        let zones: Vec<&'z Zone> = zones.into_iter().collect();
        let per_zone = zones.into_par_iter().map(read_zone).collect();
        let snapshot = snapshot.map(read_zone).unwrap_or_default();
        Self { per_zone, snapshot }
    }

    /// No texts for each of `zones` zones (nor for the snapshot): what a lint whose
    /// rules read no email record holds in their place.
    #[must_use]
    pub fn none(zones: usize) -> Self {
        Self {
            per_zone: std::iter::repeat_with(Vec::new).take(zones).collect(),
            snapshot: Vec::new(),
        }
    }

    /// Drops the texts on every core ([`crate::parallel`]).
    pub(crate) fn drop_in_parallel(self) {
        self.per_zone
            .into_par_iter()
            .chain([self.snapshot])
            .for_each(crate::parallel::drop_items);
    }
}

/// Records per parallel task of [`read_zone`]: large enough that a task outweighs its
/// scheduling, small enough that both cores stay busy to the end.
const RECORDS_PER_TASK: usize = 1 << 14;

fn read_zone(zone: &Zone) -> Vec<TxtText<'_>> {
    // The TXT and SPF records' positions first (a few bytes each), then their texts read
    // on every core straight into their places in one list: lists made per task and
    // joined were copied on one thread, 40 MB on the 1M-record bench zone.
    let positions: Vec<u32> = (0..zone.len().div_ceil(RECORDS_PER_TASK))
        .into_par_iter()
        .flat_map_iter(|chunk| {
            let start = chunk * RECORDS_PER_TASK;
            let end = (start + RECORDS_PER_TASK).min(zone.len());
            (start..end).filter_map(|position| {
                let rtype = zone.record(position)?.rtype();
                (rtype == RType::TXT || rtype == RType::SPF).then_some(position as u32)
            })
        })
        .collect();
    positions
        .into_par_iter()
        .map(|position| {
            let Some(record) = zone.record(position as usize) else {
                // Never: the position was read from this zone. An empty text of the
                // root keeps the list's order without a record to point at.
                debug_assert!(false, "record {position} read from the zone is gone");
                return TxtText {
                    record: position,
                    owner: NameRef::root(),
                    rtype: RType::TXT,
                    zone,
                    text: RecordText::new(),
                };
            };
            // The joined text of most records is the file's own bytes, shared.
            let text = zone
                .sources
                .get(record.span().source)
                .map_or_else(RecordText::new, |source| {
                    RecordText::from_shared_record(&record, source.shared_text())
                });
            TxtText {
                record: position,
                owner: record.owner(),
                rtype: record.rtype(),
                zone,
                text,
            }
        })
        .collect()
}

/// An SPF-looking record (selected, near miss or Sender ID) and its parse.
pub struct SpfEntry<'t> {
    /// The record's text.
    pub txt: &'t TxtText<'t>,
    /// How its start relates to `v=spf1`.
    pub version: SpfVersion,
    /// The parse (terms only when selected).
    pub record: SpfRecord<'t>,
    /// What the grammar found wrong.
    pub problems: Box<[SpfProblem]>,
    /// [`Self::is_selected`], kept here: the rules ask it of every SPF record of every
    /// name they walk, and the type is in the text's entry, elsewhere in memory (a
    /// cache miss a record: 0.6 % of a large zone's lint, read there).
    selected: bool,
}

impl SpfEntry<'_> {
    /// Whether receivers select the record: a TXT record whose version is `v=spf1`
    /// (RFC 7208 §3.1: type 99 is never consulted, §4.5: near misses are discarded).
    #[must_use]
    pub fn is_selected(&self) -> bool {
        self.selected
    }
}

/// A DMARC-looking record and its parse.
pub struct DmarcEntry<'t> {
    /// The record's text.
    pub txt: &'t TxtText<'t>,
    /// The parse.
    pub record: DmarcRecord<'t>,
    /// What the grammar found wrong.
    pub problems: Box<[DmarcProblem]>,
}

/// A DKIM-key-looking record and its parse.
pub struct DkimEntry<'t> {
    /// The record's text.
    pub txt: &'t TxtText<'t>,
    /// The parse.
    pub record: DkimKeyRecord<'t>,
    /// What the grammar found wrong.
    pub problems: Box<[DkimProblem]>,
}

/// The parsed email records of one zone, by owner.
pub struct ZoneMail<'t> {
    /// Every TXT/SPF text of the zone, in file order.
    pub texts: &'t [TxtText<'t>],
    /// SPF-looking records, in file order.
    pub spf: Vec<SpfEntry<'t>>,
    /// DMARC-looking records, in file order.
    pub dmarc: Vec<DmarcEntry<'t>>,
    /// DKIM-key-looking records, in file order.
    pub dkim: Vec<DkimEntry<'t>>,
    spf_by_owner: ByOwner<'t>,
    dmarc_by_owner: ByOwner<'t>,
    has_wildcard_dmarc: bool,
}

impl<'t> ZoneMail<'t> {
    /// Parses the email records among `texts`.
    #[must_use]
    pub fn parse(texts: &'t [TxtText<'t>]) -> Self {
        // Which grammar each text looks like (a byte each), then each grammar's texts
        // parsed on every core straight into their list, made to size and in file order.
        // No list of every text's parse is held beside the entries: at hundreds of bytes
        // a parse, it was the lint's peak.
        let kinds: Vec<Kind> = texts
            .par_iter()
            .map(|txt| Kind::of(txt.text.as_bytes()))
            .collect();
        let of_kind = |kind: Kind| -> Vec<&'t TxtText<'t>> {
            texts
                .iter()
                .zip(&kinds)
                .filter(|&(_, &k)| k == kind)
                .map(|(txt, _)| txt)
                .collect()
        };
        // A list of known length collects straight into its place.
        let spf: Vec<SpfEntry<'t>> = of_kind(Kind::Spf)
            .into_par_iter()
            .map(SpfEntry::parse)
            .collect();
        let dmarc: Vec<DmarcEntry<'t>> = of_kind(Kind::Dmarc)
            .into_par_iter()
            .map(DmarcEntry::parse)
            .collect();
        let dkim = of_kind(Kind::Dkim)
            .into_par_iter()
            .map(DkimEntry::parse)
            .collect();
        // The two owner maps side by side (each hashes every owner). The texts have none:
        // the index lists a name's records ([`Self::texts_of`]), and a table over every
        // text's owner was 10 MB of the 1M-record bench zone's lint.
        let (spf_by_owner, dmarc_by_owner) = rayon::join(
            || ByOwner::of(spf.iter().map(|entry| entry.txt.owner)),
            || ByOwner::of(dmarc.iter().map(|entry| entry.txt.owner)),
        );
        Self {
            texts,
            spf_by_owner,
            dmarc_by_owner,
            has_wildcard_dmarc: dmarc.iter().any(|entry| entry.txt.owner.is_wildcard()),
            spf,
            dmarc,
            dkim,
        }
    }

    /// Every TXT/SPF text owned by the name of `facts` in `zone` (the zone these texts
    /// were read from), in file order: the index lists the name's records, and each
    /// text is found by its record's position (the texts are in file order).
    pub fn texts_of<'a>(
        &'a self,
        zone: &'a ZoneIndex<'_>,
        facts: &'a NameFacts<'a>,
    ) -> impl Iterator<Item = &'t TxtText<'t>> + 'a {
        let texts = self.texts;
        zone.positions_of(facts, &[RType::TXT, RType::SPF])
            .filter_map(move |record| {
                let at = texts.binary_search_by_key(&record, |txt| txt.record).ok()?;
                texts.get(at)
            })
    }

    /// The SPF-looking records (TXT and type 99) owned by `name`, in file order.
    pub fn spf_at<'a>(&'a self, name: &NameRef) -> impl Iterator<Item = &'a SpfEntry<'t>> + 'a {
        self.spf_from(self.spf_by_owner.first(name))
    }

    /// Where the first SPF-looking record owned by `name` is in [`Self::spf`]
    /// ([`NO_ENTRY`] for none).
    pub(crate) fn first_spf_at(&self, name: &NameRef) -> u32 {
        self.spf_by_owner.first(name)
    }

    /// The SPF-looking records of one owner from the first, at `first` in [`Self::spf`]
    /// ([`NO_ENTRY`] for none), in file order: [`Self::spf_at`] for a caller that knows
    /// where an owner's first record is.
    pub(crate) fn spf_from<'a>(
        &'a self,
        first: u32,
    ) -> impl Iterator<Item = &'a SpfEntry<'t>> + 'a {
        self.spf_by_owner
            .chain(first)
            .filter_map(|i| self.spf.get(i as usize))
    }

    /// The SPF records receivers select at `name`: TXT records whose version is `v=spf1`
    /// (RFC 7208 §3.1: type 99 is never consulted, §4.5: near misses are discarded).
    pub fn selected_spf_at<'a>(
        &'a self,
        name: &NameRef,
    ) -> impl Iterator<Item = &'a SpfEntry<'t>> + 'a {
        self.spf_at(name).filter(|e| e.is_selected())
    }

    /// Where the first SPF record receivers select at `name` is in [`Self::spf`]
    /// ([`Self::selected_spf_at`]; `None` for none): what an `include:` or `redirect=`
    /// to `name` leads to.
    pub(crate) fn first_selected_spf_at(&self, name: &NameRef) -> Option<usize> {
        self.spf_by_owner
            .chain(self.spf_by_owner.first(name))
            .map(|position| position as usize)
            .find(|&position| self.spf.get(position).is_some_and(SpfEntry::is_selected))
    }

    /// Whether any DMARC-looking record is owned by a wildcard (`*._dmarc`, `*`): when
    /// none is, a `_dmarc` name that does not exist has no record, and discovery need
    /// not look for the wildcard that would answer for it.
    #[must_use]
    pub fn has_wildcard_dmarc(&self) -> bool {
        self.has_wildcard_dmarc
    }

    /// The DMARC-looking records owned by `name` (a `_dmarc` name, normally).
    pub fn dmarc_at<'a>(&'a self, name: &NameRef) -> impl Iterator<Item = &'a DmarcEntry<'t>> + 'a {
        self.dmarc_by_owner
            .at(name)
            .filter_map(|i| self.dmarc.get(i as usize))
    }
}

/// Positions in one of a zone's entry lists, grouped by owner, in file order.
///
/// The keys borrow the owners of the texts (no name is copied) and each owner's positions
/// are chained through one array (no list per owner): a zone holds hundreds of thousands of
/// owners, and a copied name and a list each would be two allocations apiece to make and
/// to free.
#[derive(Default)]
struct ByOwner<'t> {
    /// The first and the last position of each owner.
    ends: HashMap<&'t NameRef, (u32, u32)>,
    /// For each position pushed, the next one of the same owner ([`NO_NEXT`] for none),
    /// indexed by position.
    next: Vec<u32>,
}

const NO_NEXT: u32 = u32::MAX;

/// No entry: what [`ZoneMail::spf_from`] takes for an owner without SPF records.
pub(crate) const NO_ENTRY: u32 = NO_NEXT;

impl<'t> ByOwner<'t> {
    /// Room for `positions` positions (and as many owners at most).
    fn with_capacity(positions: usize) -> Self {
        Self {
            ends: HashMap::with_capacity_and_hasher(positions, Default::default()),
            next: Vec::with_capacity(positions),
        }
    }

    /// The positions of a list whose entries are owned by `owners`, in order.
    fn of(owners: impl ExactSizeIterator<Item = &'t NameRef>) -> Self {
        let mut by_owner = Self::with_capacity(owners.len());
        for (position, owner) in owners.enumerate() {
            by_owner.push(owner, position as u32);
        }
        by_owner
    }

    /// Adds `position` (the largest so far) to `owner`'s.
    fn push(&mut self, owner: &'t NameRef, position: u32) {
        let slot = position as usize;
        if self.next.len() <= slot {
            self.next.resize(slot + 1, NO_NEXT);
        }
        match self.ends.entry(owner) {
            std::collections::hash_map::Entry::Occupied(mut ends) => {
                let (_, last) = ends.get_mut();
                if let Some(link) = self.next.get_mut(*last as usize) {
                    *link = position;
                }
                *last = position;
            }
            std::collections::hash_map::Entry::Vacant(ends) => {
                ends.insert((position, position));
            }
        }
    }

    /// `owner`'s positions, in the order pushed.
    fn at<'a>(&'a self, owner: &NameRef) -> impl Iterator<Item = u32> + 'a {
        self.chain(self.first(owner))
    }

    /// `owner`'s first position ([`NO_NEXT`] for none).
    fn first(&self, owner: &NameRef) -> u32 {
        self.ends.get(owner).map_or(NO_NEXT, |&(first, _)| first)
    }

    /// The positions of one owner from `first` on, in the order pushed.
    fn chain(&self, first: u32) -> impl Iterator<Item = u32> + '_ {
        let mut current = first;
        std::iter::from_fn(move || {
            if current == NO_NEXT {
                return None;
            }
            let found = current;
            current = self.next.get(found as usize).copied().unwrap_or(NO_NEXT);
            Some(found)
        })
    }
}

/// The grammar a text looks like, by its start.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Spf,
    Dmarc,
    Dkim,
    Other,
}

impl Kind {
    fn of(bytes: &[u8]) -> Self {
        if spf::classify_version(bytes) != SpfVersion::NotSpf {
            Self::Spf
        } else if dmarc::looks_like_dmarc(bytes) {
            Self::Dmarc
        } else if dkim::looks_like_dkim(bytes) {
            Self::Dkim
        } else {
            Self::Other
        }
    }
}

impl<'t> SpfEntry<'t> {
    fn parse(txt: &'t TxtText<'t>) -> Self {
        let (record, problems) = spf::parse(&txt.text);
        Self {
            txt,
            version: record.version,
            selected: txt.rtype == RType::TXT && record.version.is_selected(),
            record,
            problems: problems.into_boxed_slice(),
        }
    }
}

impl<'t> DmarcEntry<'t> {
    fn parse(txt: &'t TxtText<'t>) -> Self {
        let (record, problems) = dmarc::parse(&txt.text);
        Self {
            txt,
            record,
            problems: problems.into_boxed_slice(),
        }
    }
}

impl<'t> DkimEntry<'t> {
    fn parse(txt: &'t TxtText<'t>) -> Self {
        let (record, problems) = dkim::parse(&txt.text);
        Self {
            txt,
            record,
            problems: problems.into_boxed_slice(),
        }
    }
}

/// The parsed email records of every zone of a set, parallel to [`ZoneSet::zones`].
pub struct MailSet<'t> {
    /// One per zone, in the set's order.
    pub zones: Vec<ZoneMail<'t>>,
    /// The records of the `spf-snapshot` (names outside the zones), at position
    /// [`SNAPSHOT_POSITION`] for [`MailSet::zone`].
    pub snapshot: ZoneMail<'t>,
}

impl<'t> MailSet<'t> {
    /// Parses the email records of every zone.
    #[must_use]
    pub fn parse(texts: &'t MailTexts<'t>) -> Self {
        Self {
            zones: texts.per_zone.iter().map(|t| ZoneMail::parse(t)).collect(),
            snapshot: ZoneMail::parse(&texts.snapshot),
        }
    }

    /// Drops the parsed records on every core ([`crate::parallel`]).
    pub(crate) fn drop_in_parallel(self) {
        self.zones
            .into_par_iter()
            .chain([self.snapshot])
            .for_each(|zone| {
                crate::parallel::drop_items(zone.spf);
                crate::parallel::drop_items(zone.dmarc);
                crate::parallel::drop_items(zone.dkim);
            });
    }

    /// The mail of the zone at `position` in the set, or of the snapshot at
    /// [`SNAPSHOT_POSITION`].
    #[must_use]
    pub fn zone(&self, position: usize) -> Option<&ZoneMail<'t>> {
        if position == SNAPSHOT_POSITION {
            return Some(&self.snapshot);
        }
        self.zones.get(position)
    }

    /// The SPF entry `id` names (a zone's or the snapshot's).
    #[must_use]
    pub fn spf_entry(&self, id: RecordId) -> Option<&SpfEntry<'t>> {
        self.zone(id.zone())?.spf.get(id.entry())
    }

    /// The owner of the SPF entry `id` names.
    #[must_use]
    pub fn spf_owner(&self, id: RecordId) -> Option<&NameRef> {
        self.spf_entry(id).map(|entry| entry.txt.owner)
    }
}

/// The domain a domain-spec names, when it has no macro to expand (a domain-spec is
/// always a fully qualified name; a final dot is optional).
#[must_use]
pub fn spec_name(spec: &crate::grammar::spf::MacroString<'_>) -> Option<Name> {
    if spec.has_expansions() || spec.text().is_empty() {
        return None;
    }
    if spec.text().ends_with(b".") {
        Name::parse(spec.text(), None).ok()
    } else {
        let mut text = spec.text().to_vec();
        text.push(b'.');
        Name::parse(&text, None).ok()
    }
}

impl ZoneMail<'_> {
    /// The names this zone's SPF records point at (`include`, `redirect`, `a:`, `mx:`,
    /// `exists:`, `ptr:` targets without macros).
    pub fn spf_targets(&self) -> impl Iterator<Item = Name> + '_ {
        self.spf
            .iter()
            .filter(|e| e.version.is_selected())
            .flat_map(|entry| {
                let mechanisms = entry
                    .record
                    .directives()
                    .filter_map(|(_, d)| d.mechanism.domain())
                    .filter_map(spec_name);
                let redirect = entry.record.redirect().and_then(|m| spec_name(&m.value));
                mechanisms.chain(redirect)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::ByOwner;
    use zonelint_zone::Name;

    /// A name's texts come from the index's list of its records: its TXT and type-99
    /// records, in file order, wherever they are written in the file and whatever the
    /// case of the owner, and no other name's.
    #[test]
    fn a_names_texts_are_its_txt_and_spf_records_in_file_order() {
        let zone = crate::rules::test_support::parse(
            "t.zone",
            "example.com.",
            "$TTL 60\n@ SOA ns hostmaster 1 7200 3600 1209600 3600\n\
             a TXT \"one\"\na A 192.0.2.1\nb TXT \"other\"\nA TXT \"two\"\n\
             a SPF \"v=spf1 -all\"\nb.a TXT \"below\"\n",
            0,
        );
        let index =
            crate::index::ZoneIndex::build(&zone, Name::from_ascii("example.com.").unwrap());
        let texts = super::MailTexts::read_zones([&zone], None);
        let mail = super::ZoneMail::parse(&texts.per_zone[0]);
        let facts = index
            .get(&Name::from_ascii("a.example.com.").unwrap())
            .unwrap();
        let found: Vec<&[u8]> = mail
            .texts_of(&index, facts)
            .map(|txt| txt.text.as_bytes())
            .collect();
        assert_eq!(found, [&b"one"[..], b"two", b"v=spf1 -all"]);
        // Each text's owner is its record's owner octets, not a copy.
        for txt in &texts.per_zone[0] {
            let record = zone.record(txt.record as usize).unwrap();
            assert_eq!(
                txt.owner.as_wire().as_ptr(),
                record.owner().as_wire().as_ptr()
            );
        }
        let apex = index
            .get(&Name::from_ascii("example.com.").unwrap())
            .unwrap();
        assert_eq!(mail.texts_of(&index, apex).count(), 0);
    }

    /// Every TXT record's text and every email record's entry are kept for the whole
    /// lint (hundreds of thousands in a large zone): a field grown or added shows here.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn kept_entries_keep_their_size() {
        use std::mem::size_of;
        assert_eq!(size_of::<super::TxtText<'_>>(), 72);
        assert_eq!(size_of::<super::SpfEntry<'_>>(), 80);
        assert_eq!(size_of::<super::DmarcEntry<'_>>(), 144);
        assert_eq!(size_of::<super::DkimEntry<'_>>(), 128);
    }

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    #[test]
    fn an_owners_positions_come_back_in_the_order_pushed() {
        let (a, b, c) = (name("a.example."), name("b.example."), name("c.example."));
        let mut by_owner = ByOwner::default();
        for (owner, position) in [(&a, 0), (&b, 1), (&a, 2), (&a, 5), (&b, 7), (&c, 8)] {
            by_owner.push(owner, position);
        }
        let at = |n: &Name| by_owner.at(n).collect::<Vec<_>>();
        assert_eq!(at(&a), [0, 2, 5]);
        assert_eq!(at(&b), [1, 7]);
        assert_eq!(at(&c), [8]);
        // Looked up by an equal name in another case, as the rules do.
        assert_eq!(at(&name("A.EXAMPLE.")), [0, 2, 5]);
        assert_eq!(at(&name("d.example.")), Vec::<u32>::new());
    }
}
