//! A parsed zone: every record, stored compactly, with its spans.

use crate::name::{Name, NameRef};
use crate::rdata::Field;
use crate::rtype::{Class, RType};
use crate::source::{SourceId, SourceMap};
use crate::ttl::Ttl;
use crate::Span;
use std::borrow::Cow;

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

/// Where a record's parts are written, in full: what the parser finds, and what a
/// [`RecordHeader`] keeps compactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RecordSpans {
    pub span: Span,
    pub owner_span: Span,
    pub ttl_span: Option<Span>,
    pub class_span: Option<Span>,
    pub type_span: Span,
}

/// A span as an offset from its record's base and a length, each below 256: the TTL,
/// class and type of a record are short tokens near its start, and so is its owner
/// (as written, in all but the rarest zones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Rel {
    start: u8,
    len: u8,
}

impl Rel {
    /// Stands for an absent span; no span is stored with this start.
    const NONE: Rel = Rel {
        start: u8::MAX,
        len: u8::MAX,
    };

    fn of(span: Span, source: SourceId, base: u32) -> Option<Rel> {
        if span.source != source {
            return None;
        }
        let start = u8::try_from(span.start.checked_sub(base)?)
            .ok()
            .filter(|&start| start != u8::MAX)?;
        let len = u8::try_from(span.end.checked_sub(span.start)?).ok()?;
        Some(Rel { start, len })
    }

    fn of_optional(span: Option<Span>, source: SourceId, base: u32) -> Option<Rel> {
        match span {
            Some(span) => Rel::of(span, source, base),
            None => Some(Rel::NONE),
        }
    }

    fn span(self, source: SourceId, base: u32) -> Span {
        let start = base + u32::from(self.start);
        Span::new(source, start, start + u32::from(self.len))
    }

    fn optional_span(self, source: SourceId, base: u32) -> Option<Span> {
        (self != Rel::NONE).then(|| self.span(source, base))
    }
}

/// The fixed-size part of a stored record; names and RDATA live in the zone's byte arena.
///
/// A zone holds one per record (a million for a large zone), so its spans are kept
/// small: the record's as a length from `base` (where it starts), the other four as
/// offsets from there and lengths of a byte each (a blank owner's empty span, at the
/// start of the record's line, as its distance before `base`), in the source its
/// segment says ([`Segment::sources`]): 40 bytes instead of 100. A record whose spans
/// do not fit (a part 255 bytes or more from its start or as long, a part before the
/// record's start but a blank owner, spans in several sources) keeps them in full
/// beside the headers, at `base` (its width is then [`Width::Wide`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RecordHeader {
    base: u32,
    /// Where the owner's wire form is in the segment's data: a record whose owner is
    /// the previous record's, as written (most records of a zone), shares its octets.
    pub owner_start: u32,
    /// Where the RDATA is in the segment's data.
    pub data_start: u32,
    pub fields_start: u32,
    pub ttl: Ttl,
    owner_span: Rel,
    ttl_span: Rel,
    class_span: Rel,
    type_span: Rel,
    span_len: u16,
    pub rdata_len: u16,
    pub fields_len: u16,
    pub class: Class,
    pub rtype: RType,
    /// An owner's wire form is at most 255 octets.
    pub owner_len: u8,
    /// The [`TtlSource`] ([`TTL_SOURCE`]), the [`Width`] ([`WIDTH`]) and whether
    /// `owner_span` counts back from `base` ([`OWNER_BEFORE`]), in one byte.
    kinds: u8,
}

/// How a stored record keeps its spans and its fields' spans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Width {
    /// Both as offsets from the header's `base`.
    Compact,
    /// The spans from `base`; the fields in full, in the segment's `wide_fields` (one
    /// starts before `base`, or 64 KiB or more after it, or is 64 KiB long or longer).
    WideFields,
    /// Both in full: the spans at `wide[base]`, the fields in `wide_fields`.
    Wide,
}

/// What a [`RecordHeader`] holds besides its spans.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RecordFacts {
    pub owner_len: u8,
    pub rdata_len: u16,
    pub fields_len: u16,
    pub ttl: Ttl,
    pub ttl_source: TtlSource,
    pub class: Class,
    pub rtype: RType,
}

/// In [`RecordHeader::kinds`]: the bits of the [`TtlSource`] ([`ttl_bits`]).
const TTL_SOURCE: u8 = 0b11;
/// In [`RecordHeader::kinds`]: the bits of the [`Width`] ([`width_bits`]).
const WIDTH: u8 = 0b11 << 2;
/// In [`RecordHeader::kinds`]: the owner's span starts `owner_span.start` bytes before
/// `base` (a blank owner's empty span, at the start of its line).
const OWNER_BEFORE: u8 = 1 << 4;
/// In [`RecordHeader::kinds`]: the record is a TXT or SPF record whose RDATA is its
/// fields' strings as written, none with an escape: each character-string's octets are
/// the source's own, between the quotes if any ([`string_content`]). A zone stores no
/// wire form of such a record and makes it from the text when asked
/// ([`RecordRef::rdata`]): the file is held anyway, and these are most of a zone's TXT
/// octets (about 45 MB of the 1M-record bench zone's).
const STRINGS_IN_TEXT: u8 = 1 << 5;

/// The octets of the character-string written at `span` in `text` (whose first byte is
/// at offset `base` of the source; [`crate::rdata::string_content`]); empty if the span
/// is not in `text`.
pub(crate) fn string_content(text: &[u8], base: u32, span: Span) -> &[u8] {
    let start = span.start.wrapping_sub(base) as usize;
    let end = span.end.wrapping_sub(base) as usize;
    let written = text.get(start..end).unwrap_or_default();
    written
        .get(crate::rdata::string_content(written))
        .unwrap_or_default()
}

/// `ttl_source` as the [`TTL_SOURCE`] bits.
fn ttl_bits(ttl_source: TtlSource) -> u8 {
    match ttl_source {
        TtlSource::Explicit => 0,
        TtlSource::Directive => 1,
        TtlSource::Previous => 2,
        TtlSource::SoaMinimum => 3,
    }
}

/// `width` as the [`WIDTH`] bits.
fn width_bits(width: Width) -> u8 {
    match width {
        Width::Compact => 0,
        Width::WideFields => 1 << 2,
        Width::Wide => 2 << 2,
    }
}

impl RecordHeader {
    /// The header of a record with `spans` and `facts`; spans that do not fit are pushed
    /// onto `wide`. Its arena offsets are 0 until the zone stores it; its source is
    /// `spans.span.source`, which the caller keeps.
    pub(crate) fn new(
        spans: &RecordSpans,
        facts: RecordFacts,
        wide: &mut Vec<RecordSpans>,
    ) -> Self {
        let source = spans.span.source;
        let base = spans.span.start;
        let owner = spans.owner_span;
        let compact = (|| {
            // A blank owner's empty span, at the start of its line, before the record's
            // first token: its distance back.
            let (owner_span, owner_before) = if owner.start < base {
                let back = u8::try_from(base - owner.start).ok()?;
                let blank = owner.source == source && owner.is_empty() && back != u8::MAX;
                (
                    blank.then_some(Rel {
                        start: back,
                        len: 0,
                    })?,
                    true,
                )
            } else {
                (Rel::of(owner, source, base)?, false)
            };
            Some((
                u16::try_from(spans.span.end.checked_sub(base)?).ok()?,
                owner_span,
                owner_before,
                Rel::of_optional(spans.ttl_span, source, base)?,
                Rel::of_optional(spans.class_span, source, base)?,
                Rel::of(spans.type_span, source, base)?,
            ))
        })();
        let (base, width, (span_len, owner_span, owner_before, ttl_span, class_span, type_span)) =
            match compact {
                Some(rels) => (base, Width::Compact, rels),
                None => {
                    let index = u32::try_from(wide.len()).unwrap_or(u32::MAX);
                    wide.push(*spans);
                    (
                        index,
                        Width::Wide,
                        (0, Rel::NONE, false, Rel::NONE, Rel::NONE, Rel::NONE),
                    )
                }
            };
        let owner_before = if owner_before { OWNER_BEFORE } else { 0 };
        Self {
            base,
            owner_start: 0,
            data_start: 0,
            fields_start: 0,
            ttl: facts.ttl,
            owner_span,
            ttl_span,
            class_span,
            type_span,
            span_len,
            rdata_len: facts.rdata_len,
            fields_len: facts.fields_len,
            class: facts.class,
            rtype: facts.rtype,
            owner_len: facts.owner_len,
            kinds: ttl_bits(facts.ttl_source) | width_bits(width) | owner_before,
        }
    }

    /// Where the TTL came from.
    pub(crate) fn ttl_source(&self) -> TtlSource {
        match self.kinds & TTL_SOURCE {
            0 => TtlSource::Explicit,
            1 => TtlSource::Directive,
            2 => TtlSource::Previous,
            _ => TtlSource::SoaMinimum,
        }
    }

    /// How its spans and its fields' spans are kept.
    fn width(&self) -> Width {
        match (self.kinds & WIDTH) >> 2 {
            0 => Width::Compact,
            1 => Width::WideFields,
            _ => Width::Wide,
        }
    }

    /// Sets its width, keeping the rest.
    fn set_width(&mut self, width: Width) {
        self.kinds = self.kinds & !WIDTH | width_bits(width);
    }

    /// Whether its RDATA is its fields' strings as written ([`STRINGS_IN_TEXT`]).
    pub(crate) fn strings_in_text(&self) -> bool {
        self.kinds & STRINGS_IN_TEXT != 0
    }

    /// Marks its RDATA as its fields' strings as written ([`STRINGS_IN_TEXT`]): only a
    /// parser that has checked it, and whose source's text the zone keeps.
    pub(crate) fn set_strings_in_text(&mut self) {
        self.kinds |= STRINGS_IN_TEXT;
    }

    /// Marks its RDATA as held in wire form.
    fn clear_strings_in_text(&mut self) {
        self.kinds &= !STRINGS_IN_TEXT;
    }

    /// The full spans kept for this header in `wide`, if it was too wide to hold them.
    fn wide<'w>(&self, wide: &'w [RecordSpans]) -> Option<&'w RecordSpans> {
        if self.width() == Width::Wide {
            wide.get(self.base as usize)
        } else {
            None
        }
    }

    fn span(&self, source: SourceId, wide: &[RecordSpans]) -> Span {
        self.wide(wide).map_or_else(
            || Span::new(source, self.base, self.base + u32::from(self.span_len)),
            |w| w.span,
        )
    }

    fn owner_span(&self, source: SourceId, wide: &[RecordSpans]) -> Span {
        self.wide(wide).map_or_else(
            || {
                if self.kinds & OWNER_BEFORE != 0 {
                    let start = self.base - u32::from(self.owner_span.start);
                    Span::new(source, start, start)
                } else {
                    self.owner_span.span(source, self.base)
                }
            },
            |w| w.owner_span,
        )
    }

    fn ttl_span(&self, source: SourceId, wide: &[RecordSpans]) -> Option<Span> {
        self.wide(wide).map_or_else(
            || self.ttl_span.optional_span(source, self.base),
            |w| w.ttl_span,
        )
    }

    fn class_span(&self, source: SourceId, wide: &[RecordSpans]) -> Option<Span> {
        self.wide(wide).map_or_else(
            || self.class_span.optional_span(source, self.base),
            |w| w.class_span,
        )
    }

    fn type_span(&self, source: SourceId, wide: &[RecordSpans]) -> Span {
        self.wide(wide)
            .map_or_else(|| self.type_span.span(source, self.base), |w| w.type_span)
    }
}

/// A record as stored in a [`Zone`] or yielded by the streaming parser.
#[derive(Clone, Copy)]
pub struct RecordRef<'z> {
    pub(crate) header: &'z RecordHeader,
    /// The source its spans are in (its header's, or its segment's: see
    /// [`Segment::sources`]).
    pub(crate) source: SourceId,
    /// The full spans of the headers too wide to hold them (see [`RecordHeader`]).
    pub(crate) wide: &'z [RecordSpans],
    pub(crate) owner: &'z [u8],
    /// The RDATA's wire form, when it is held (see `strings_text`).
    pub(crate) rdata: &'z [u8],
    pub(crate) fields: Fields<'z>,
    /// The text of its source, when the zone holds no wire form of its RDATA, which is
    /// then made from its fields' strings in this text ([`STRINGS_IN_TEXT`]).
    pub(crate) strings_text: Option<&'z [u8]>,
}

/// The record as parsed: its parts and their spans, whatever way it is stored (a
/// zone's compact header, or one too wide for it; a streaming parser's).
impl std::fmt::Debug for RecordRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordRef")
            .field("span", &self.span())
            .field("owner", &self.owner())
            .field("owner_span", &self.owner_span())
            .field("ttl", &self.ttl())
            .field("ttl_source", &self.ttl_source())
            .field("ttl_span", &self.ttl_span())
            .field("class", &self.class())
            .field("class_span", &self.class_span())
            .field("rtype", &self.rtype())
            .field("type_span", &self.type_span())
            .field("rdata", &self.rdata())
            .field("fields", &self.fields().iter().collect::<Vec<_>>())
            .finish()
    }
}

impl<'z> RecordRef<'z> {
    /// The whole record as written: from the owner (or the first token, for a blank owner)
    /// to the end of the RDATA.
    #[must_use]
    pub fn span(&self) -> Span {
        self.header.span(self.source, self.wide)
    }

    /// The absolute owner name.
    #[must_use]
    pub fn owner(&self) -> &'z NameRef {
        NameRef::cast(self.owner)
    }

    /// Where the owner was written; for a blank owner, an empty span at the record start.
    #[must_use]
    pub fn owner_span(&self) -> Span {
        self.header.owner_span(self.source, self.wide)
    }

    /// The TTL in force.
    #[must_use]
    pub fn ttl(&self) -> Ttl {
        self.header.ttl
    }

    /// Where the TTL came from.
    #[must_use]
    pub fn ttl_source(&self) -> TtlSource {
        self.header.ttl_source()
    }

    /// Where an explicit TTL was written.
    #[must_use]
    pub fn ttl_span(&self) -> Option<Span> {
        self.header.ttl_span(self.source, self.wide)
    }

    /// The class.
    #[must_use]
    pub fn class(&self) -> Class {
        self.header.class
    }

    /// Where an explicit class was written.
    #[must_use]
    pub fn class_span(&self) -> Option<Span> {
        self.header.class_span(self.source, self.wide)
    }

    /// The type.
    #[must_use]
    pub fn rtype(&self) -> RType {
        self.header.rtype
    }

    /// Where the type was written.
    #[must_use]
    pub fn type_span(&self) -> Span {
        self.header.type_span(self.source, self.wide)
    }

    /// The RDATA in uncompressed wire format. Borrowed from the zone, but for a TXT or
    /// SPF record whose strings are written without escapes: a zone keeps no copy of
    /// those octets, which are the file's own, and the wire form is made from the text
    /// here (see [`Self::rdata_borrowed`] for a reader that needs the zone's lifetime).
    #[must_use]
    pub fn rdata(&self) -> Cow<'z, [u8]> {
        match self.strings_text {
            None => Cow::Borrowed(self.rdata),
            Some(text) => {
                let mut wire = Vec::with_capacity(self.rdata_len());
                for field in self.fields {
                    let content = string_content(text, 0, field.span);
                    // Checked when the record was parsed: each string under 256 octets.
                    wire.push(u8::try_from(content.len()).unwrap_or(u8::MAX));
                    wire.extend_from_slice(content);
                }
                Cow::Owned(wire)
            }
        }
    }

    /// The RDATA's wire form as the zone holds it: `None` for a TXT or SPF record whose
    /// wire form is made from the text ([`Self::rdata`]), whose RDATA is no domain name
    /// or address (the readers of those want the zone's lifetime).
    #[must_use]
    pub fn rdata_borrowed(&self) -> Option<&'z [u8]> {
        self.strings_text.is_none().then_some(self.rdata)
    }

    /// The RDATA's length in octets (that of [`Self::rdata`], without making it).
    #[must_use]
    pub fn rdata_len(&self) -> usize {
        usize::from(self.header.rdata_len)
    }

    /// One entry per presentation field, with its span and wire range.
    #[must_use]
    pub fn fields(&self) -> Fields<'z> {
        self.fields
    }

    /// The span of the whole RDATA (first field to last), or the type span if there are none.
    #[must_use]
    pub fn rdata_span(&self) -> Span {
        match (self.fields.first(), self.fields.last()) {
            (Some(first), Some(last)) => first.span.cover(last.span),
            _ => self.header.type_span(self.source, self.wide),
        }
    }
}

/// The presentation fields of a record ([`RecordRef::fields`]), each with its span and
/// wire range: the streaming parser's as it made them, or a zone's as stored (without
/// the source of each, which is the record's, and with 16-bit offsets from the record's
/// start where they fit: 8 bytes a field, not 16).
#[derive(Clone, Copy, Debug)]
pub struct Fields<'z> {
    kind: FieldsKind<'z>,
}

#[derive(Clone, Copy, Debug)]
enum FieldsKind<'z> {
    Parsed(&'z [Field]),
    Stored {
        fields: &'z [StoredField],
        source: SourceId,
        base: u32,
    },
    Wide {
        fields: &'z [WideField],
        source: SourceId,
    },
}

impl<'z> Fields<'z> {
    /// The fields the parser made for the record it yields.
    pub(crate) fn parsed(fields: &'z [Field]) -> Self {
        Self {
            kind: FieldsKind::Parsed(fields),
        }
    }

    /// Fields stored in a zone, of a record in `source` whose offsets count from `base`.
    fn stored(fields: &'z [StoredField], source: SourceId, base: u32) -> Self {
        Self {
            kind: FieldsKind::Stored {
                fields,
                source,
                base,
            },
        }
    }

    /// Fields stored in a zone in full, of a record in `source`.
    fn wide(fields: &'z [WideField], source: SourceId) -> Self {
        Self {
            kind: FieldsKind::Wide { fields, source },
        }
    }

    /// How many.
    #[must_use]
    pub fn len(&self) -> usize {
        match self.kind {
            FieldsKind::Parsed(fields) => fields.len(),
            FieldsKind::Stored { fields, .. } => fields.len(),
            FieldsKind::Wide { fields, .. } => fields.len(),
        }
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The field at `index`.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<Field> {
        match self.kind {
            FieldsKind::Parsed(fields) => fields.get(index).copied(),
            FieldsKind::Stored {
                fields,
                source,
                base,
            } => fields.get(index).map(|field| field.field(source, base)),
            FieldsKind::Wide { fields, source } => {
                fields.get(index).map(|field| field.with_source(source))
            }
        }
    }

    /// The first field.
    #[must_use]
    pub fn first(&self) -> Option<Field> {
        self.get(0)
    }

    /// The last field.
    #[must_use]
    pub fn last(&self) -> Option<Field> {
        self.len().checked_sub(1).and_then(|index| self.get(index))
    }

    /// The fields in order.
    #[must_use]
    pub fn iter(&self) -> FieldIter<'z> {
        FieldIter {
            fields: *self,
            front: 0,
            back: self.len(),
        }
    }
}

impl<'z> IntoIterator for Fields<'z> {
    type Item = Field;
    type IntoIter = FieldIter<'z>;

    fn into_iter(self) -> FieldIter<'z> {
        self.iter()
    }
}

/// The fields of a record in order ([`Fields::iter`]).
#[derive(Clone, Debug)]
pub struct FieldIter<'z> {
    fields: Fields<'z>,
    front: usize,
    back: usize,
}

impl Iterator for FieldIter<'_> {
    type Item = Field;

    fn next(&mut self) -> Option<Field> {
        if self.front >= self.back {
            return None;
        }
        self.front += 1;
        self.fields.get(self.front - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back.saturating_sub(self.front);
        (left, Some(left))
    }
}

impl DoubleEndedIterator for FieldIter<'_> {
    fn next_back(&mut self) -> Option<Field> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.fields.get(self.back)
    }
}

impl ExactSizeIterator for FieldIter<'_> {}

/// A field as a zone stores it: its span as an offset from its record's `base` and a
/// length, without the source (the record's). A million-record zone holds about two
/// million.
#[derive(Clone, Copy, Debug)]
struct StoredField {
    start: u16,
    len: u16,
    wire_start: u16,
    wire_end: u16,
}

impl StoredField {
    /// `field` from `base`, if its span starts at most 65,535 bytes after it and is at
    /// most 65,535 bytes long.
    fn of(field: &Field, base: u32) -> Option<Self> {
        Some(Self {
            start: u16::try_from(field.span.start.checked_sub(base)?).ok()?,
            len: u16::try_from(field.span.end.checked_sub(field.span.start)?).ok()?,
            wire_start: field.wire_start,
            wire_end: field.wire_end,
        })
    }

    fn field(self, source: SourceId, base: u32) -> Field {
        let start = base + u32::from(self.start);
        Field {
            span: Span::new(source, start, start + u32::from(self.len)),
            wire_start: self.wire_start,
            wire_end: self.wire_end,
        }
    }
}

/// A field of a record whose fields do not all fit a [`StoredField`] (rare): its span in
/// full, without the source (the record's).
#[derive(Clone, Copy, Debug)]
struct WideField {
    start: u32,
    end: u32,
    wire_start: u16,
    wire_end: u16,
}

impl WideField {
    fn of(field: &Field) -> Self {
        Self {
            start: field.span.start,
            end: field.span.end,
            wire_start: field.wire_start,
            wire_end: field.wire_end,
        }
    }

    fn with_source(self, source: SourceId) -> Field {
        Field {
            span: Span::new(source, self.start, self.end),
            wire_start: self.wire_start,
            wire_end: self.wire_end,
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
    /// The files read, top-level first. A TXT or SPF record written as plain strings
    /// reads them from its source's text here ([`RecordRef::rdata`]): a source's text
    /// is the one its records were parsed from.
    pub sources: SourceMap,
    /// The origin the file started with (given or inferred), if known.
    pub origin: Option<Name>,
    /// The records, in arenas: one per part of a split parse (joined without copying;
    /// see `split`), and a new one whenever the last is full (an arena is never grown:
    /// growing copies it, and touches twice its memory).
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
    fields: Vec<StoredField>,
    /// The spans of the headers too wide to hold them (rare).
    wide: Vec<RecordSpans>,
    /// The fields of the records whose fields do not fit a [`StoredField`] (rare).
    wide_fields: Vec<WideField>,
    /// The source of each run of its records from one source, as the position of the
    /// run's first header and the source, in order: one run, unless the zone's files
    /// `$INCLUDE` others (a source in each header took 4 of its 40 bytes).
    sources: Vec<(u32, SourceId)>,
}

/// The least room a new [`Segment`] is made with: records, octets of names and RDATA,
/// fields.
const SEGMENT_MIN: (usize, usize, usize) = (64, 4096, 128);

/// The most octets of names and RDATA, and the most fields, one [`Segment`] holds: its
/// headers point into them with 32-bit positions. A zone with more (included files of
/// over 4 GiB between them) takes another segment rather than wrapping a position.
const SEGMENT_MAX: usize = u32::MAX as usize;

impl Segment {
    /// An empty segment with room for `records` records, `data` octets of names and
    /// RDATA and `fields` fields.
    fn with_capacity(records: usize, data: usize, fields: usize) -> Self {
        Self {
            headers: Vec::with_capacity(records),
            data: Vec::with_capacity(data.min(SEGMENT_MAX)),
            fields: Vec::with_capacity(fields.min(SEGMENT_MAX)),
            wide: Vec::new(),
            wide_fields: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// Whether one more record, of `data` octets of names and RDATA and `fields`
    /// fields, fits in the room the segment was made with, and within `max` octets and
    /// `max` fields of each kind ([`SEGMENT_MAX`], but in a test).
    fn has_room(&self, data: usize, fields: usize, max: usize) -> bool {
        self.headers.len() < self.headers.capacity()
            && self.data.capacity() - self.data.len() >= data
            && self.fields.capacity() - self.fields.len() >= fields
            && self.data.len() + data <= max
            && self.fields.len() + fields <= max
            && self.wide_fields.len() + fields <= max
    }

    /// The segment to follow `previous` once it is full: twice its room (so that a zone
    /// that outgrows its estimate takes few segments), and at least room for a record
    /// of `data` octets and `fields` fields. Only the memory written is touched, so
    /// room left over costs address space, not memory.
    fn after(previous: Option<&Segment>, data: usize, fields: usize) -> Self {
        let (records_min, data_min, fields_min) = SEGMENT_MIN;
        let (records_then, data_then, fields_then) = previous.map_or((0, 0, 0), |previous| {
            (
                previous.headers.capacity(),
                previous.data.capacity(),
                previous.fields.capacity(),
            )
        });
        Self::with_capacity(
            records_min.max(records_then.saturating_mul(2)),
            data_min.max(data_then.saturating_mul(2)).max(data),
            fields_min.max(fields_then.saturating_mul(2)).max(fields),
        )
    }

    /// The source of the record at `position`.
    #[inline]
    fn source_of(&self, position: usize) -> SourceId {
        // Nearly every segment is one run (a file without `$INCLUDE`s).
        if let [(_, source)] = self.sources.as_slice() {
            return *source;
        }
        let run = self
            .sources
            .partition_point(|&(first, _)| first as usize <= position);
        run.checked_sub(1)
            .and_then(|run| self.sources.get(run))
            .map_or(SourceId(0), |&(_, source)| source)
    }

    /// The record at `position`, whose header is `header`, from `source` (one of
    /// `sources`).
    #[inline(always)]
    fn view<'z>(
        &'z self,
        header: &'z RecordHeader,
        source: SourceId,
        sources: &'z SourceMap,
    ) -> RecordRef<'z> {
        let owner_start = header.owner_start as usize;
        let owner_end = owner_start + usize::from(header.owner_len);
        let rdata_start = header.data_start as usize;
        let rdata_end = rdata_start + usize::from(header.rdata_len);
        let fields_start = header.fields_start as usize;
        RecordRef {
            header,
            source,
            wide: &self.wide,
            owner: self.data.get(owner_start..owner_end).unwrap_or_default(),
            rdata: self.data.get(rdata_start..rdata_end).unwrap_or_default(),
            fields: {
                let range = fields_start..fields_start + usize::from(header.fields_len);
                match header.width() {
                    Width::Compact => Fields::stored(
                        self.fields.get(range).unwrap_or_default(),
                        source,
                        header.base,
                    ),
                    Width::WideFields | Width::Wide => {
                        Fields::wide(self.wide_fields.get(range).unwrap_or_default(), source)
                    }
                }
            },
            strings_text: if header.strings_in_text() {
                Some(text_of(sources, source))
            } else {
                None
            },
        }
    }
}

impl Zone {
    /// An empty zone with room for what a file of `text_len` bytes typically holds
    /// (about one record per 80 bytes; names and RDATA take 66-83 % of the text in the
    /// bench zones, more where short relative names stand for long ones), so that a
    /// whole parse typically fills one arena. A zone that outgrows it takes another
    /// (twice the room of the last); room left unwritten is address space, not memory.
    #[must_use]
    pub fn with_capacity_for(text_len: usize) -> Self {
        let records = text_len / 80 + 16;
        Self {
            segments: vec![Segment::with_capacity(records, text_len + 64, records * 2)],
            ..Self::default()
        }
    }

    /// Frees the records, keeping the sources, the origin and the comments: for a caller
    /// done with the records that still shows the text (a report drawn after a lint of a
    /// large zone, whose records are hundreds of megabytes). The zone has no records after.
    pub fn drop_records(&mut self) {
        self.segments = Vec::new();
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
        Records::new(self.segments.iter(), self.len(), &self.sources)
    }

    /// The record at `index`.
    #[must_use]
    #[inline(always)]
    pub fn record(&self, mut index: usize) -> Option<RecordRef<'_>> {
        for segment in &self.segments {
            match segment.headers.get(index) {
                Some(header) => {
                    return Some(segment.view(header, segment.source_of(index), &self.sources))
                }
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
        self.push_within(record, SEGMENT_MAX);
    }

    /// [`Self::push`] into segments of at most `max` octets of names and RDATA and `max`
    /// fields (a record larger than that takes a segment of its own): a test's small
    /// limit stands for the 4 GiB that 32-bit positions allow.
    fn push_within(&mut self, record: &RecordRef<'_>, max: usize) {
        // A parser's record whose strings are its text's keeps no wire form (see
        // [`STRINGS_IN_TEXT`]); another zone's keeps the wire form made from that zone's
        // text, which this zone may not hold.
        let made;
        let (rdata, in_text): (&[u8], bool) = match record.strings_text {
            None if record.header.strings_in_text() => (&[], true),
            None => (record.rdata, false),
            Some(_) => {
                made = record.rdata();
                (&made, false)
            }
        };
        let data = record.owner.len() + rdata.len();
        let fields = record.fields.len();
        let last = self.segments.last();
        if !last.is_some_and(|segment| segment.has_room(data, fields, max)) {
            let next = Segment::after(last, data, fields);
            self.segments.push(next);
        }
        let Some(segment) = self.segments.last_mut() else {
            return;
        };
        // The owner's octets are stored once for a run of records that write it alike
        // (compared as written: case is kept): over half the records of a zone.
        let previous = segment.headers.last().map(|previous| {
            let start = previous.owner_start as usize;
            let end = start + usize::from(previous.owner_len);
            (previous.owner_start, segment.data.get(start..end))
        });
        let owner_start = match previous {
            Some((start, Some(owner))) if owner == record.owner => start,
            _ => {
                let start = segment.data.len() as u32;
                segment.data.extend_from_slice(record.owner);
                start
            }
        };
        let data_start = segment.data.len() as u32;
        segment.data.extend_from_slice(rdata);
        // A record's fields are in its own source (the parser reads them from the text it
        // reads the record from), which the header holds once for all of them.
        debug_assert!(record
            .fields
            .iter()
            .all(|field| field.span.source == record.source));
        let mut width = record.header.width();
        let compact_from = segment.fields.len();
        if width == Width::Compact {
            let base = record.header.base;
            for field in record.fields {
                match StoredField::of(&field, base) {
                    Some(stored) => segment.fields.push(stored),
                    None => {
                        segment.fields.truncate(compact_from);
                        width = Width::WideFields;
                        break;
                    }
                }
            }
        }
        let fields_start = if width == Width::Compact {
            compact_from
        } else {
            let start = segment.wide_fields.len();
            segment
                .wide_fields
                .extend(record.fields.iter().map(|field| WideField::of(&field)));
            start
        } as u32;
        let mut header = RecordHeader {
            owner_start,
            data_start,
            fields_start,
            ..*record.header
        };
        header.set_width(width);
        if !in_text {
            header.clear_strings_in_text();
        }
        if let Some(spans) = record.header.wide(record.wide) {
            header.base = u32::try_from(segment.wide.len()).unwrap_or(u32::MAX);
            segment.wide.push(*spans);
        }
        if segment.sources.last().map(|&(_, source)| source) != Some(record.source) {
            let position = u32::try_from(segment.headers.len()).unwrap_or(u32::MAX);
            segment.sources.push((position, record.source));
        }
        segment.headers.push(header);
    }
}

/// The text of `source` (empty if `sources` has none of it): out of the records' views,
/// which the rules make hundreds of millions of times.
#[inline(never)]
fn text_of(sources: &SourceMap, source: SourceId) -> &[u8] {
    sources.get(source).map_or(&[][..], |source| source.text())
}

/// The records of a zone, segment after segment.
struct Records<'z> {
    current: Option<&'z Segment>,
    headers: std::slice::Iter<'z, RecordHeader>,
    segments: std::slice::Iter<'z, Segment>,
    remaining: usize,
    /// Where the next header is in the current segment.
    position: usize,
    sources: &'z SourceMap,
}

impl<'z> Records<'z> {
    fn new(
        mut segments: std::slice::Iter<'z, Segment>,
        remaining: usize,
        sources: &'z SourceMap,
    ) -> Self {
        let current = segments.next();
        Self {
            sources,
            headers: current.map_or_else(Default::default, |segment| segment.headers.iter()),
            current,
            segments,
            remaining,
            position: 0,
        }
    }
}

impl<'z> Iterator for Records<'z> {
    type Item = RecordRef<'z>;

    #[inline(always)]
    fn next(&mut self) -> Option<RecordRef<'z>> {
        loop {
            let segment = self.current?;
            if let Some(header) = self.headers.next() {
                let source = segment.source_of(self.position);
                self.position += 1;
                self.remaining -= 1;
                return Some(segment.view(header, source, self.sources));
            }
            self.current = self.segments.next();
            self.headers = self
                .current
                .map_or_else(Default::default, |segment| segment.headers.iter());
            self.position = 0;
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Records<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TXT or SPF record written as plain strings (quoted or not, one or several, empty,
    /// over several lines, up to 255 octets) keeps no wire form in the zone: its RDATA is
    /// made from the text, octet for octet what the parser made. One with an escape, in
    /// RFC 3597 form or from `$GENERATE` keeps its wire form. Every record's RDATA is the
    /// streaming parser's (which keeps no text, so makes every wire form itself).
    #[test]
    fn strings_as_written_are_read_from_the_text() {
        let long = "y".repeat(255);
        // (record, whether its strings are read from the text)
        let records = [
            ("a TXT \"v=spf1 -all\"", true),
            ("b TXT \"v=DKIM1; k=rsa; \" \"p=MIIB\" \"\"", true),
            ("c TXT word", true),
            ("d TXT \"\"", true),
            (&*format!("e TXT \"{long}\""), true),
            ("f TXT ( \"one\"\n  \"two\" )", true),
            ("g SPF \"v=spf1 mx -all\"", true),
            ("h TXT mixed \"and quoted\"", true),
            ("i TXT \"with \\\" quote\"", false),
            ("j TXT \"decimal \\065\"", false),
            ("k TXT \\# 4 03616263", false),
            ("l A 192.0.2.1", false),
            ("m MX 10 mail", false),
            ("$GENERATE 1-2 gen$ TXT \"n$\"", false),
        ];
        let text: String = std::iter::once("$ORIGIN example.\n$TTL 60\n".to_owned())
            .chain(records.iter().map(|(record, _)| format!("{record}\n")))
            .collect();
        let options = crate::parser::ParseOptions::default();
        let (zone, diagnostics) = crate::parser::parse_str("t", &text, &options);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let mut reader = text.as_bytes();
        let mut loader = crate::NoIncludes;
        let mut parser = crate::Parser::streaming("t", &mut reader, &options, &mut loader);
        let mut streamed = Vec::new();
        let mut stream_diagnostics = Vec::new();
        while let Some(record) = parser.next_record(&mut stream_diagnostics) {
            assert!(record.rdata_borrowed().is_some());
            streamed.push(record.rdata().into_owned());
        }
        assert_eq!(zone.len(), records.len() + 1);
        assert_eq!(zone.len(), streamed.len());
        let mut held = 0;
        for (i, (record, wire)) in zone.records().zip(&streamed).enumerate() {
            let in_text = records.get(i).is_some_and(|(_, in_text)| *in_text);
            assert_eq!(*record.rdata(), **wire, "{i}: {:?}", records.get(i));
            assert_eq!(record.rdata_len(), wire.len(), "{i}");
            assert_eq!(
                record.rdata_borrowed().is_none(),
                in_text,
                "{i}: {:?}",
                records.get(i)
            );
            assert_eq!(
                zone.record(i).map(|r| r.rdata().into_owned()).as_ref(),
                Some(wire)
            );
            if !in_text {
                held += wire.len();
            }
        }
        // The zone's octets: the owners (one a record, none repeated) and the RDATA held.
        let owners: usize = zone.records().map(|r| r.owner().as_wire().len()).sum();
        let stored: usize = zone.segments.iter().map(|s| s.data.len()).sum();
        assert_eq!(stored, owners + held);
    }

    /// A zone whose names and RDATA outgrow the room its text was expected to need
    /// (short relative owners under a long origin: each line of 23 octets stores 66)
    /// takes new arenas as it goes, and never grows one: the first keeps the room it was
    /// made with, and every record comes back as parsed, in order and by index.
    #[test]
    fn a_zone_that_outgrows_its_room_takes_new_arenas_and_copies_none() {
        let origin = "a-rather-long-origin-label.another-long-label.example.";
        let count = 5_000;
        let text: String = (0..count)
            .map(|i| format!("h{i:05} 300 A 192.0.2.1\n"))
            .collect();
        let options = crate::ParseOptions {
            origin: Some(Name::parse(origin.as_bytes(), None).expect("origin")),
            ..crate::ParseOptions::default()
        };
        let text_len = text.len();
        let (zone, diagnostics) = crate::parse(
            "big.zone",
            text.into_bytes(),
            &options,
            &mut crate::NoIncludes,
        );
        assert!(diagnostics.is_empty(), "{:?}", diagnostics.first());
        let first = zone.segments.first().expect("a first arena");
        let expected = Zone::with_capacity_for(text_len);
        let made = expected.segments.first().expect("an arena");
        assert_eq!(first.data.capacity(), made.data.capacity());
        assert_eq!(first.headers.capacity(), made.headers.capacity());
        assert!(zone.segments.len() > 1, "{} arenas", zone.segments.len());
        for segment in &zone.segments {
            assert!(segment.data.len() <= segment.data.capacity());
            assert!(!segment.headers.is_empty());
        }
        assert_eq!(zone.len(), count);
        for (i, record) in zone.records().enumerate() {
            assert_eq!(record.owner().to_string(), format!("h{i:05}.{origin}"));
            assert_eq!(*record.rdata(), [192, 0, 2, 1]);
            assert_eq!(record.fields().len(), 1);
            let by_index = zone.record(i).expect("the record at its index");
            assert_eq!(by_index.span(), record.span());
        }
    }

    /// A segment holds at most `SEGMENT_MAX` octets of names and RDATA and as many
    /// fields (its headers point into them with 32-bit positions): past that, the next
    /// record starts another segment, and a record larger than the limit has one of its
    /// own. Here the limit is 100 octets, standing for 4 GiB: every record comes back as
    /// parsed, in order and by index, and no segment holds more than its limit but for a
    /// record alone.
    #[test]
    fn a_segment_never_holds_more_than_its_limit() {
        let long = "x".repeat(150);
        let text = format!(
            "$ORIGIN example.\n$TTL 60\n\
             a A 192.0.2.1\n  AAAA 2001:db8::1\nb MX 10 mail.example.\n\
             c TXT \"{long}\\\\\"\nd TXT \"one\" \"two\" \"three\"\ne A 192.0.2.5\n\
             f CNAME a.example.\ng A 192.0.2.7\n"
        );
        let (parsed, diagnostics) =
            crate::parser::parse_str("t", &text, &crate::parser::ParseOptions::default());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let limit = 100;
        let mut zone = Zone::default();
        for record in parsed.records() {
            zone.push_within(&record, limit);
        }
        assert_eq!(zone.len(), parsed.len());
        assert!(zone.segments.len() >= 3, "{} segments", zone.segments.len());
        for segment in &zone.segments {
            assert!(
                segment.data.len() <= limit || segment.headers.len() == 1,
                "{} octets in {} records",
                segment.data.len(),
                segment.headers.len()
            );
            assert!(segment.fields.len() + segment.wide_fields.len() <= limit);
        }
        for (i, (stored, made)) in zone.records().zip(parsed.records()).enumerate() {
            let by_index = zone.record(i).expect("the record at its index");
            for record in [stored, by_index] {
                assert_eq!(record.owner(), made.owner());
                assert_eq!(record.rdata(), made.rdata());
                assert_eq!(record.rtype(), made.rtype());
                assert_eq!(record.span(), made.span());
                assert_eq!(record.owner_span(), made.owner_span());
                assert_eq!(
                    record.fields().iter().collect::<Vec<_>>(),
                    made.fields().iter().collect::<Vec<_>>()
                );
            }
        }
    }

    /// A large zone holds a million headers: keep them small.
    #[test]
    fn a_record_header_takes_40_bytes() {
        assert_eq!(std::mem::size_of::<RecordHeader>(), 40);
    }

    /// A header gives back every span it was made with, and the TTL source, whether
    /// it holds them compactly or in full: at the edges of what fits a byte (parts 254
    /// and 255 bytes from the start or as long), blank owners near and far, spans in
    /// another source, records over 64 KiB.
    #[test]
    fn a_header_gives_back_the_spans_it_was_made_with() {
        let source = SourceId(3);
        let at = |start: u32, end: u32| Span::new(source, start, end);
        let base = 1_000u32;
        let mut cases = Vec::new();
        for owner in [
            at(base, base + 3),
            at(base, base),
            at(base, base + 254),
            at(base, base + 255),
            at(base - 1, base - 1),
            at(base - 254, base - 254),
            at(base - 255, base - 255),
            at(base - 4, base - 2),
            Span::new(SourceId(4), base, base + 3),
        ] {
            for offset in [4, 254, 255, 300] {
                for (len, ttl, class) in [
                    (1, None, None),
                    (
                        5,
                        Some(at(base + 4, base + 8)),
                        Some(at(base + 9, base + 11)),
                    ),
                    (255, Some(at(base + 254, base + 255)), None),
                    (2, None, Some(Span::new(SourceId(4), base + 1, base + 3))),
                ] {
                    let type_span = at(base + offset, base + offset + len);
                    for end in [type_span.end + 10, base + 65_535, base + 65_536] {
                        cases.push(RecordSpans {
                            span: at(base, end),
                            owner_span: owner,
                            ttl_span: ttl,
                            class_span: class,
                            type_span,
                        });
                    }
                }
            }
        }
        let mut wide = Vec::new();
        let mut compact = 0;
        for (index, spans) in cases.iter().enumerate() {
            let ttl_source = [
                TtlSource::Explicit,
                TtlSource::Directive,
                TtlSource::Previous,
                TtlSource::SoaMinimum,
            ][index % 4];
            let header = RecordHeader::new(
                spans,
                RecordFacts {
                    owner_len: 3,
                    rdata_len: 4,
                    fields_len: 0,
                    ttl: Ttl::default(),
                    ttl_source,
                    class: Class::IN,
                    rtype: RType::A,
                },
                &mut wide,
            );
            let fits = |span: Span| {
                span.source == source
                    && span.start >= base
                    && span.start - base < 255
                    && span.end - span.start < 256
            };
            let blank_before = spans.owner_span.source == source
                && spans.owner_span.is_empty()
                && spans.owner_span.start < base
                && base - spans.owner_span.start < 255;
            let expected_compact = (fits(spans.owner_span) || blank_before)
                && [spans.ttl_span, spans.class_span, Some(spans.type_span)]
                    .into_iter()
                    .flatten()
                    .all(fits)
                && spans.span.end - base < 65_536;
            let expected = if expected_compact {
                Width::Compact
            } else {
                Width::Wide
            };
            assert_eq!(header.width(), expected, "{spans:?}");
            compact += usize::from(expected_compact);
            assert_eq!(header.ttl_source(), ttl_source);
            let back = RecordSpans {
                span: header.span(source, &wide),
                owner_span: header.owner_span(source, &wide),
                ttl_span: header.ttl_span(source, &wide),
                class_span: header.class_span(source, &wide),
                type_span: header.type_span(source, &wide),
            };
            assert_eq!(&back, spans);
            // Setting the width keeps the rest.
            let mut moved = header;
            moved.set_width(Width::WideFields);
            assert_eq!(moved.ttl_source(), ttl_source);
            if expected_compact {
                assert_eq!(moved.owner_span(source, &wide), spans.owner_span);
            }
        }
        assert!(
            compact > 20 && compact < cases.len() / 2,
            "{compact} of {}",
            cases.len()
        );
    }

    /// A zone stores a field in 8 bytes (its offsets count from its record's start, its
    /// source is its record's), and gives back the field it was given, from the front
    /// and from the back; a field in full takes 12.
    #[test]
    fn a_stored_field_takes_8_bytes_and_comes_back_whole() {
        assert_eq!(std::mem::size_of::<StoredField>(), 8);
        assert_eq!(std::mem::size_of::<WideField>(), 12);
        let base = u32::MAX - 70_000;
        let made = [
            Field {
                span: Span::new(SourceId(7), base, base + 4),
                wire_start: 0,
                wire_end: 4,
            },
            Field {
                span: Span::new(SourceId(7), base + 65_535, u32::MAX),
                wire_start: 4,
                wire_end: u16::MAX,
            },
        ];
        let stored: Vec<StoredField> = made
            .iter()
            .map(|field| StoredField::of(field, base).expect("within 64 KiB of the base"))
            .collect();
        let fields = Fields::stored(&stored, SourceId(7), base);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields.iter().collect::<Vec<_>>(), made);
        assert_eq!(fields.iter().rev().collect::<Vec<_>>(), [made[1], made[0]]);
        assert_eq!(
            (fields.first(), fields.last()),
            (Some(made[0]), Some(made[1]))
        );
        assert_eq!(fields.get(2), None);
        assert_eq!(fields.iter().len(), 2);
        let parsed = Fields::parsed(&made);
        assert_eq!(parsed.iter().collect::<Vec<_>>(), made);
        let wide: Vec<WideField> = made.iter().map(WideField::of).collect();
        let fields = Fields::wide(&wide, SourceId(7));
        assert_eq!(fields.iter().collect::<Vec<_>>(), made);
        // Before the base, or starting 64 KiB or more after it: not as offsets.
        for start in [base - 1, base + 65_536] {
            let field = Field {
                span: Span::new(SourceId(7), start, start + 1),
                wire_start: 0,
                wire_end: 1,
            };
            assert!(StoredField::of(&field, base).is_none(), "{start}");
        }
    }

    /// A record whose fields cannot be kept as offsets from its start (here one lies
    /// 70,000 bytes past it) keeps them in full, and the records around it as offsets:
    /// each comes back with the fields it was pushed with, in order and by index.
    #[test]
    fn a_record_whose_fields_lie_far_from_its_start_keeps_them_in_full() {
        let source = SourceId(0);
        let field = |start: u32, end: u32, wire_start: u16, wire_end: u16| Field {
            span: Span::new(source, start, end),
            wire_start,
            wire_end,
        };
        let records: [(u32, Vec<Field>); 3] = [
            (0, vec![field(10, 17, 0, 4)]),
            (20, vec![field(30, 37, 0, 4), field(70_020, 70_027, 4, 8)]),
            (70_030, vec![field(70_040, 70_047, 0, 4)]),
        ];
        let mut zone = Zone::default();
        let mut wide = Vec::new();
        let owner = b"\x01a\x00";
        for (start, fields) in &records {
            let span = Span::new(source, *start, start + 17);
            let header = RecordHeader::new(
                &RecordSpans {
                    span,
                    owner_span: Span::new(source, *start, start + 1),
                    ttl_span: None,
                    class_span: None,
                    type_span: Span::new(source, start + 4, start + 5),
                },
                RecordFacts {
                    owner_len: 3,
                    rdata_len: 4,
                    fields_len: u16::try_from(fields.len()).expect("few"),
                    ttl: Ttl::default(),
                    ttl_source: TtlSource::Explicit,
                    class: Class::IN,
                    rtype: RType::A,
                },
                &mut wide,
            );
            assert_eq!(header.width(), Width::Compact);
            zone.push(&RecordRef {
                header: &header,
                source,
                wide: &wide,
                owner,
                rdata: &[192, 0, 2, 1],
                fields: Fields::parsed(fields),
                strings_text: None,
            });
        }
        let segment = zone.segments.first().expect("an arena");
        let widths: Vec<Width> = segment.headers.iter().map(RecordHeader::width).collect();
        assert_eq!(widths, [Width::Compact, Width::WideFields, Width::Compact]);
        assert_eq!((segment.fields.len(), segment.wide_fields.len()), (2, 2));
        for (i, record) in zone.records().enumerate() {
            let (start, fields) = &records[i];
            assert_eq!(record.fields().iter().collect::<Vec<_>>(), *fields);
            assert_eq!(record.span(), Span::new(source, *start, start + 17));
            let by_index = zone.record(i).expect("the record at its index");
            assert_eq!(by_index.fields().iter().collect::<Vec<_>>(), *fields);
        }
    }

    #[test]
    fn dropping_the_records_keeps_the_sources_origin_and_comments() {
        let text = "$ORIGIN example.\n@ 300 IN A 192.0.2.1 ; here\nwww 300 IN AAAA 2001:db8::1\n";
        let (mut zone, _) = crate::parse(
            "t.zone",
            std::sync::Arc::from(text.as_bytes()),
            &crate::ParseOptions::default(),
            &mut crate::NoIncludes,
        );
        assert_eq!(zone.len(), 2);
        let (origin, comments) = (zone.origin.clone(), zone.comments.clone());
        zone.drop_records();
        assert_eq!((zone.len(), zone.records().count()), (0, 0));
        assert_eq!(
            (zone.origin.clone(), zone.comments.clone()),
            (origin, comments)
        );
        assert_eq!(zone.comments.len(), 1);
        let source = zone
            .sources
            .get(SourceId(0))
            .map(crate::source::Source::text);
        assert_eq!(source, Some(text.as_bytes()));
    }

    #[test]
    fn records_that_write_the_previous_owner_alike_share_its_octets() {
        let text = "$ORIGIN example.com.\n$TTL 60\n\
            www A 192.0.2.1\n    A 192.0.2.2\nwww TXT \"x\"\n\
            WWW A 192.0.2.3\nmail A 192.0.2.4\nwww A 192.0.2.5\n";
        let (zone, diagnostics) =
            crate::parser::parse_str("t", text, &crate::parser::ParseOptions::default());
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let owners: Vec<String> = zone.records().map(|r| r.owner().to_string()).collect();
        assert_eq!(
            owners,
            [
                "www.example.com.",
                "www.example.com.",
                "www.example.com.",
                "WWW.example.com.",
                "mail.example.com.",
                "www.example.com.",
            ]
        );
        let rdata: Vec<Vec<u8>> = zone.records().map(|r| r.rdata().into_owned()).collect();
        assert_eq!(rdata[1], [192, 0, 2, 2]);
        assert_eq!(rdata[2], b"\x01x");
        // Stored: `www` once for the first three, then `WWW` (case is kept), `mail`,
        // `www` again; the RDATA of each but the TXT record's, whose string is the text's.
        let owner_octets = 17 + 17 + 18 + 17;
        let rdata_octets: usize = rdata.iter().map(|r| r.len()).sum::<usize>() - 2;
        let stored: usize = zone.segments.iter().map(|s| s.data.len()).sum();
        assert_eq!(stored, owner_octets + rdata_octets);
    }
}
