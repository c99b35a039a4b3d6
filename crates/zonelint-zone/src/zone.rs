//! A parsed zone: every record, stored compactly, with its spans.

use crate::name::{write_wire_name, Labels, Name};
use crate::rdata::Field;
use crate::rtype::{Class, RType};
use crate::source::SourceMap;
use crate::ttl::Ttl;
use crate::Span;
use std::fmt;

/// A borrowed, valid, absolute wire-format name.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct WireName<'a>(&'a [u8]);

impl<'a> WireName<'a> {
    /// Wraps bytes the parser produced (always a valid name).
    #[must_use]
    pub(crate) fn new(wire: &'a [u8]) -> Self {
        Self(wire)
    }

    /// Borrows bytes that must be exactly one valid, uncompressed, absolute wire-format
    /// name (what `rdata::view` decoders hand out); `None` otherwise.
    #[must_use]
    pub fn from_wire(wire: &'a [u8]) -> Option<Self> {
        (crate::name::wire_name_len(wire)? == wire.len()).then_some(Self(wire))
    }

    /// The wire bytes, root label included.
    #[must_use]
    pub fn as_wire(&self) -> &'a [u8] {
        self.0
    }

    /// The labels, leftmost first.
    #[must_use]
    pub fn labels(&self) -> Labels<'a> {
        Name::labels_of(self.0)
    }

    /// An owned copy.
    #[must_use]
    pub fn to_name(&self) -> Name {
        Name::from_wire(self.0).unwrap_or_else(Name::root)
    }
}

impl fmt::Display for WireName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_wire_name(self.0, f)
    }
}

impl fmt::Debug for WireName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WireName({self})")
    }
}

/// Where a record's TTL came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TtlSource {
    /// Written on the record.
    Explicit,
    /// From `$TTL`.
    Directive,
    /// The last explicit TTL (RFC 1035 §5.1, without `$TTL`).
    Previous,
    /// The SOA minimum (BIND's fallback when nothing else is known).
    SoaMinimum,
}

/// The fixed-size part of a stored record; names and RDATA live in the zone's byte arena.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RecordHeader {
    pub span: Span,
    pub owner_span: Span,
    pub ttl_span: Option<Span>,
    pub class_span: Option<Span>,
    pub type_span: Span,
    pub data_start: u32,
    pub owner_len: u16,
    pub rdata_len: u16,
    pub fields_start: u32,
    pub fields_len: u16,
    pub ttl: Ttl,
    pub ttl_source: TtlSource,
    pub class: Class,
    pub rtype: RType,
}

/// A record as stored in a [`Zone`] or yielded by the streaming parser.
#[derive(Clone, Copy, Debug)]
pub struct RecordRef<'z> {
    pub(crate) header: &'z RecordHeader,
    pub(crate) owner: &'z [u8],
    pub(crate) rdata: &'z [u8],
    pub(crate) fields: &'z [Field],
}

impl<'z> RecordRef<'z> {
    /// The whole record as written: from the owner (or the first token, for a blank owner)
    /// to the end of the RDATA.
    #[must_use]
    pub fn span(&self) -> Span {
        self.header.span
    }

    /// The absolute owner name.
    #[must_use]
    pub fn owner(&self) -> WireName<'z> {
        WireName(self.owner)
    }

    /// Where the owner was written; for a blank owner, an empty span at the record start.
    #[must_use]
    pub fn owner_span(&self) -> Span {
        self.header.owner_span
    }

    /// The TTL in force.
    #[must_use]
    pub fn ttl(&self) -> Ttl {
        self.header.ttl
    }

    /// Where the TTL came from.
    #[must_use]
    pub fn ttl_source(&self) -> TtlSource {
        self.header.ttl_source
    }

    /// Where an explicit TTL was written.
    #[must_use]
    pub fn ttl_span(&self) -> Option<Span> {
        self.header.ttl_span
    }

    /// The class.
    #[must_use]
    pub fn class(&self) -> Class {
        self.header.class
    }

    /// Where an explicit class was written.
    #[must_use]
    pub fn class_span(&self) -> Option<Span> {
        self.header.class_span
    }

    /// The type.
    #[must_use]
    pub fn rtype(&self) -> RType {
        self.header.rtype
    }

    /// Where the type was written.
    #[must_use]
    pub fn type_span(&self) -> Span {
        self.header.type_span
    }

    /// The RDATA in uncompressed wire format.
    #[must_use]
    pub fn rdata(&self) -> &'z [u8] {
        self.rdata
    }

    /// One entry per presentation field, with its span and wire range.
    #[must_use]
    pub fn fields(&self) -> &'z [Field] {
        self.fields
    }

    /// The span of the whole RDATA (first field to last), or the type span if there are none.
    #[must_use]
    pub fn rdata_span(&self) -> Span {
        match (self.fields.first(), self.fields.last()) {
            (Some(first), Some(last)) => first.span.cover(last.span),
            _ => self.header.type_span,
        }
    }
}

/// A comment in the source (from its `;` to the end of its line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The comment's bytes, `;` included.
    pub span: Span,
    /// Whether it is the only thing on its line (otherwise it trails other text).
    pub own_line: bool,
}

/// Every record of one zone file (and the files it includes), in file order.
#[derive(Debug, Default)]
pub struct Zone {
    /// The files read, top-level first.
    pub sources: SourceMap,
    /// The origin the file started with (given or inferred), if known.
    pub origin: Option<Name>,
    /// The records, in arenas: one, or one per part of a split parse (joined without
    /// copying; see `split`).
    segments: Vec<Segment>,
    /// Every comment, in source order (suppression comments are read from these).
    pub comments: Vec<Comment>,
}

/// Consecutive records of a zone: their fixed-size headers, and the names, RDATA and
/// fields the headers point into.
#[derive(Debug, Default)]
struct Segment {
    headers: Vec<RecordHeader>,
    data: Vec<u8>,
    fields: Vec<Field>,
}

impl Segment {
    fn view<'z>(&'z self, header: &'z RecordHeader) -> RecordRef<'z> {
        let start = header.data_start as usize;
        let owner_end = start + usize::from(header.owner_len);
        let rdata_end = owner_end + usize::from(header.rdata_len);
        let fields_start = header.fields_start as usize;
        RecordRef {
            header,
            owner: self.data.get(start..owner_end).unwrap_or_default(),
            rdata: self.data.get(owner_end..rdata_end).unwrap_or_default(),
            fields: self
                .fields
                .get(fields_start..fields_start + usize::from(header.fields_len))
                .unwrap_or_default(),
        }
    }
}

impl Zone {
    /// An empty zone with room for what a file of `text_len` bytes typically holds
    /// (about one record per 80 bytes, wire data about half the text), so that a whole
    /// parse does not spend its time growing and copying the arenas.
    #[must_use]
    pub fn with_capacity_for(text_len: usize) -> Self {
        let records = text_len / 80 + 16;
        Self {
            segments: vec![Segment {
                headers: Vec::with_capacity(records),
                data: Vec::with_capacity(text_len / 2 + 64),
                fields: Vec::with_capacity(records * 2),
            }],
            ..Self::default()
        }
    }

    /// The number of records.
    #[must_use]
    pub fn len(&self) -> usize {
        self.segments
            .iter()
            .map(|segment| segment.headers.len())
            .sum()
    }

    /// Whether there are no records.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.segments
            .iter()
            .all(|segment| segment.headers.is_empty())
    }

    /// The records in file order (included files at the point of their `$INCLUDE`).
    pub fn records(&self) -> impl ExactSizeIterator<Item = RecordRef<'_>> + '_ {
        let mut segments = self.segments.iter();
        let current = segments.next();
        Records {
            headers: current.map_or_else(Default::default, |segment| segment.headers.iter()),
            current,
            segments,
            remaining: self.len(),
        }
    }

    /// The record at `index`.
    #[must_use]
    pub fn record(&self, mut index: usize) -> Option<RecordRef<'_>> {
        for segment in &self.segments {
            match segment.headers.get(index) {
                Some(header) => return Some(segment.view(header)),
                None => index -= segment.headers.len(),
            }
        }
        None
    }

    /// Appends the records of `other`, parsed from the text after this zone's (used by
    /// the split parse, which hands the comments to the parser). Nothing is copied: the
    /// arenas are moved.
    pub(crate) fn append(&mut self, other: Zone) {
        self.segments.extend(other.segments);
    }

    /// Appends a record (used by the parser).
    pub(crate) fn push(&mut self, record: &RecordRef<'_>) {
        if self.segments.is_empty() {
            self.segments.push(Segment::default());
        }
        let Some(segment) = self.segments.last_mut() else {
            return;
        };
        let data_start = segment.data.len() as u32;
        segment.data.extend_from_slice(record.owner);
        segment.data.extend_from_slice(record.rdata);
        let fields_start = segment.fields.len() as u32;
        segment.fields.extend_from_slice(record.fields);
        segment.headers.push(RecordHeader {
            data_start,
            fields_start,
            ..*record.header
        });
    }
}

/// The records of a zone, segment after segment.
struct Records<'z> {
    current: Option<&'z Segment>,
    headers: std::slice::Iter<'z, RecordHeader>,
    segments: std::slice::Iter<'z, Segment>,
    remaining: usize,
}

impl<'z> Iterator for Records<'z> {
    type Item = RecordRef<'z>;

    fn next(&mut self) -> Option<RecordRef<'z>> {
        loop {
            let segment = self.current?;
            if let Some(header) = self.headers.next() {
                self.remaining -= 1;
                return Some(segment.view(header));
            }
            self.current = self.segments.next();
            self.headers = self
                .current
                .map_or_else(Default::default, |segment| segment.headers.iter());
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Records<'_> {}
