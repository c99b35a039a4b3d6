//! The text of one TXT (or type-99 SPF) record, joined as receivers join it, with a map
//! from every decoded octet back to the bytes of the zone file.
//!
//! A record's character-strings are concatenated **with no space** before any email
//! grammar reads them (RFC 7208 §3.3, RFC 6376 §3.6.2.2, RFC 9989 §4.5). The grammars
//! therefore work on the joined, decoded octets, while every problem they find must
//! point at the bytes the user wrote: inside quotes, across several strings and lines,
//! and past escapes such as `\059` whose decoded and written lengths differ. A
//! [`RecordText`] keeps both views and translates between them with [`RecordText::span`].

use std::ops::Range;

use zonelint_zone::rdata::{decode_char_string, raw_offset_of_decoded, CharStringError};
use zonelint_zone::{RecordRef, SharedBytes, SourceId, Span, Zone};

/// A range of a record's joined text in 16-bit offsets: a quarter of the size of a
/// `Range<usize>`, for the parts of records that are kept for a whole lint (hundreds of
/// thousands of SPF terms and DMARC and DKIM tags in a large zone). A record's text is
/// at most [`MAX_TEXT_OCTETS`]. [`TextRange::range`] gives it back as a `Range<usize>`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextRange {
    /// The first offset.
    pub start: u16,
    /// Just past the last.
    pub end: u16,
}

/// The most octets a record's joined text holds: its character-strings come from one
/// RDATA, whose length is a 16-bit number (RDLENGTH, RFC 1035 §3.2.1), length octets
/// included. [`RecordText::push_string`] keeps no string past it.
pub const MAX_TEXT_OCTETS: usize = u16::MAX as usize;

impl TextRange {
    /// As a `Range<usize>`.
    #[must_use]
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether `at` falls strictly inside (not at either end).
    #[must_use]
    pub fn strictly_contains(self, at: usize) -> bool {
        (self.start as usize) < at && at < self.end as usize
    }
}

impl From<Range<usize>> for TextRange {
    fn from(range: Range<usize>) -> Self {
        Self {
            start: text_offset(range.start),
            end: text_offset(range.end),
        }
    }
}

/// One character-string of a record: where its content was written and what it decodes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The source the string was written in.
    pub source: SourceId,
    /// Offset of the first content byte in the source (after the opening quote, if any).
    pub content_start: u32,
    /// The length of the content as written (quotes excluded).
    pub raw_len: u32,
    /// Where this string's decoded octets start and end in the joined text (16-bit, as
    /// every offset in a record's text: the pieces are kept for a whole lint).
    decoded_start: u16,
    decoded_end: u16,
}

impl Piece {
    /// Where this string's decoded octets start in the joined text.
    #[must_use]
    pub fn decoded_start(&self) -> usize {
        self.decoded_start as usize
    }

    /// Where they end in the joined text.
    #[must_use]
    pub fn decoded_end(&self) -> usize {
        self.decoded_end as usize
    }

    /// The span of the whole content as written (quotes excluded).
    #[must_use]
    pub fn content_span(&self) -> Span {
        let end = self.content_start.saturating_add(self.raw_len);
        Span::new(self.source, self.content_start, end)
    }

    /// The source offset of a decoded offset relative to this string's start, given its
    /// content as written when it holds escapes.
    fn source_offset(&self, escaped: Option<&[u8]>, decoded_offset: usize) -> u32 {
        // Without escapes, decoded and raw offsets are the same: no walk from the start
        // (a walk per span made spans in long DKIM keys quadratic).
        let raw = match escaped {
            Some(raw) => raw_offset_of_decoded(raw, decoded_offset),
            None => decoded_offset.min(self.raw_len as usize),
        };
        self.content_start.saturating_add(len_u32(raw))
    }
}

/// Where two adjacent character-strings meet in the joined text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JoinPoint {
    /// Offset in the joined text: the first octet of the later string.
    pub offset: usize,
    /// Index of the string before the join.
    pub before: usize,
    /// Index of the string after the join.
    pub after: usize,
}

/// A character-string whose escapes do not decode; its octets are taken as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadEscape {
    /// The bad escape as written.
    pub span: Span,
}

/// The joined, decoded text of one record with the map back to the source.
#[derive(Clone, Default)]
pub struct RecordText {
    repr: Repr,
}

/// A record's text. Texts are kept for a whole lint (the 1M-record zone holds 263k), and
/// most are one string without escapes, whose octets are the file's own bytes: such a
/// text is the file and its one string (40 bytes; a copy of each string was 26 MB of that
/// zone's). Any other is decoded into lists of its own, boxed.
#[derive(Clone)]
enum Repr {
    InFile { text: SharedBytes, piece: Piece },
    Decoded(Box<Decoded>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Decoded(Box::default())
    }
}

/// The text of a record of several strings, or of one with escapes.
#[derive(Clone, Default)]
struct Decoded {
    joined: Vec<u8>,
    pieces: Vec<Piece>,
    /// The content as written of each string that holds escapes (`\\`), by its index
    /// in `pieces`: only there do decoded and written offsets differ.
    escaped: Vec<(u32, Box<[u8]>)>,
    bad_escapes: Vec<BadEscape>,
}

impl Decoded {
    /// Appends one character-string (see [`RecordText::push_string`]).
    fn push_string(&mut self, source: SourceId, content_start: u32, raw: &[u8]) {
        let decoded_start = self.joined.len();
        let bad_escapes = self.bad_escapes.len();
        let escaped = match decode_char_string(raw, &mut self.joined) {
            Err(CharStringError::BadEscape { offset, len }) => {
                self.joined.truncate(decoded_start);
                self.joined.extend_from_slice(raw);
                let start = content_start.saturating_add(len_u32(offset));
                self.bad_escapes.push(BadEscape {
                    span: Span::new(source, start, start.saturating_add(len_u32(len))),
                });
                // Without decodable escapes the raw and decoded offsets coincide: the
                // offset map stays the identity for this string.
                false
            }
            Ok(()) => raw.contains(&b'\\'),
        };
        if self.joined.len() > MAX_TEXT_OCTETS {
            // The string goes, and a bad escape noted in it with it.
            self.joined.truncate(decoded_start);
            self.bad_escapes.truncate(bad_escapes);
            return;
        }
        if escaped {
            self.escaped
                .push((len_u32(self.pieces.len()), Box::from(raw)));
        }
        self.pieces.push(Piece {
            source,
            content_start,
            raw_len: len_u32(raw.len()),
            decoded_start: text_offset(decoded_start),
            decoded_end: text_offset(self.joined.len()),
        });
    }
}

impl PartialEq for RecordText {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
            && self.pieces() == other.pieces()
            && (0..self.pieces().len()).all(|index| self.escaped(index) == other.escaped(index))
            && self.bad_escapes() == other.bad_escapes()
    }
}

impl Eq for RecordText {}

impl std::fmt::Debug for RecordText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordText")
            .field("joined", &self.as_bytes())
            .field("pieces", &self.pieces())
            .field("bad_escapes", &self.bad_escapes())
            .finish()
    }
}

impl RecordText {
    /// An empty text (no strings).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one character-string: its raw content (escapes present, quotes excluded),
    /// the source it is in and the offset where the content starts.
    ///
    /// A string whose escapes do not decode (the zone parser would already have refused
    /// the record) is taken octet for octet as written and noted in [`Self::bad_escapes`].
    /// A string that would take the text past [`MAX_TEXT_OCTETS`], more than any record
    /// holds (the zone parser refuses such RDATA), is left out.
    pub fn push_string(&mut self, source: SourceId, content_start: u32, raw: &[u8]) {
        if let Repr::InFile { text, piece } = &self.repr {
            let decoded = Decoded {
                joined: in_file(text, piece).to_vec(),
                pieces: vec![*piece],
                ..Decoded::default()
            };
            self.repr = Repr::Decoded(Box::new(decoded));
        }
        if let Repr::Decoded(decoded) = &mut self.repr {
            decoded.push_string(source, content_start, raw);
        }
    }

    /// The text of a parsed TXT or SPF record. `source_text` is the text of the source
    /// the record was read from (`zone.sources.get(record.span().source)`).
    ///
    /// Each RDATA field of a TXT record is one character-string; a quoted field's content
    /// lies between its quotes.
    #[must_use]
    pub fn from_record(record: &RecordRef<'_>, source_text: &[u8]) -> Self {
        Self::read_record(record, source_text, None)
    }

    /// [`Self::from_record`] of a record read from `source_text`, whose joined octets,
    /// when they are one string without escapes, are the file's own bytes, shared.
    #[must_use]
    pub fn from_shared_record(record: &RecordRef<'_>, source_text: &SharedBytes) -> Self {
        Self::read_record(record, source_text, Some(source_text))
    }

    fn read_record(
        record: &RecordRef<'_>,
        source_text: &[u8],
        shared: Option<&SharedBytes>,
    ) -> Self {
        let fields = record.fields();
        // Where a field's string starts, and its octets as written.
        let content = |span: Span| {
            let written = source_text
                .get(span.start as usize..span.end as usize)
                .unwrap_or_default();
            let inner = zonelint_zone::rdata::string_content(written);
            let start = span.start + len_u32(inner.start);
            (start, written.get(inner).unwrap_or_default())
        };
        let only = fields.first().filter(|_| fields.len() == 1);
        if let (Some(shared), Some(field)) = (shared, only) {
            let (start, raw) = content(field.span);
            if !raw.contains(&b'\\') {
                // Decoded as written: the file's bytes are the text.
                return Self {
                    repr: Repr::InFile {
                        text: shared.clone(),
                        piece: Piece {
                            source: field.span.source,
                            content_start: start,
                            raw_len: len_u32(raw.len()),
                            decoded_start: 0,
                            decoded_end: text_offset(raw.len()),
                        },
                    },
                };
            }
        }
        // Made to size: the texts of a zone's TXT records are kept for the whole lint,
        // and a list grown one string at a time has room for four, the joined octets up
        // to twice theirs. The joined text is at most the raw content (escapes only
        // shorten it).
        let raw_len: usize = fields.iter().map(|field| field.span.len() as usize).sum();
        let mut decoded = Decoded {
            joined: Vec::with_capacity(raw_len),
            pieces: Vec::with_capacity(fields.len()),
            ..Decoded::default()
        };
        for field in fields {
            let (start, raw) = content(field.span);
            decoded.push_string(field.span.source, start, raw);
        }
        Self {
            repr: Repr::Decoded(Box::new(decoded)),
        }
    }

    /// The text of a TXT or SPF record of `zone`, its source looked up in `zone.sources`
    /// (an empty text if the source is missing).
    #[must_use]
    pub fn from_zone_record(zone: &Zone, record: &RecordRef<'_>) -> Self {
        zone.sources
            .get(record.span().source)
            .map_or_else(Self::new, |source| Self::from_record(record, source.text()))
    }

    /// A text built from character-strings written as in a zone file (`"v=spf1 a"` or
    /// an unquoted word), laid out in a synthetic source where each string is followed by
    /// one space. Meant for tests and tools that have no parsed zone.
    ///
    /// Returns the text and the synthetic source bytes its spans index.
    #[must_use]
    pub fn from_pieces(pieces: &[&str]) -> (Self, Vec<u8>) {
        Self::from_pieces_in(SourceId(0), pieces)
    }

    /// Like [`Self::from_pieces`], in a given source.
    #[must_use]
    pub fn from_pieces_in(source: SourceId, pieces: &[&str]) -> (Self, Vec<u8>) {
        let mut text = Self::new();
        let mut layout = Vec::new();
        for (index, piece) in pieces.iter().enumerate() {
            if index > 0 {
                layout.push(b' ');
            }
            let bytes = piece.as_bytes();
            let start = len_u32(layout.len());
            layout.extend_from_slice(bytes);
            let inner = zonelint_zone::rdata::string_content(bytes);
            let content_start = start + len_u32(inner.start);
            text.push_string(source, content_start, bytes.get(inner).unwrap_or_default());
        }
        (text, layout)
    }

    /// The joined, decoded octets.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match &self.repr {
            Repr::InFile { text, piece } => in_file(text, piece),
            Repr::Decoded(decoded) => &decoded.joined,
        }
    }

    /// The number of joined octets.
    #[must_use]
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Whether the joined text is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.as_bytes().is_empty()
    }

    /// The character-strings, in order.
    #[must_use]
    pub fn pieces(&self) -> &[Piece] {
        match &self.repr {
            Repr::InFile { piece, .. } => std::slice::from_ref(piece),
            Repr::Decoded(decoded) => &decoded.pieces,
        }
    }

    /// Strings whose escapes did not decode.
    #[must_use]
    pub fn bad_escapes(&self) -> &[BadEscape] {
        match &self.repr {
            Repr::InFile { .. } => &[],
            Repr::Decoded(decoded) => &decoded.bad_escapes,
        }
    }

    /// The content as written of the string at `index` in [`Self::pieces`], when it
    /// holds escapes that decode.
    fn escaped(&self, index: usize) -> Option<&[u8]> {
        match &self.repr {
            Repr::InFile { .. } => None,
            Repr::Decoded(decoded) => decoded
                .escaped
                .iter()
                .find(|(at, _)| *at as usize == index)
                .map(|(_, raw)| &**raw),
        }
    }

    /// Every point where one non-empty string meets the next. Empty strings (`""`)
    /// contribute no octets and no join of their own.
    #[must_use]
    pub fn joins(&self) -> Vec<JoinPoint> {
        let mut joins = Vec::new();
        let mut previous: Option<usize> = None;
        for (index, piece) in self.pieces().iter().enumerate() {
            if piece.decoded_start() == piece.decoded_end() {
                continue;
            }
            if let Some(before) = previous {
                joins.push(JoinPoint {
                    offset: piece.decoded_start(),
                    before,
                    after: index,
                });
            }
            previous = Some(index);
        }
        joins
    }

    /// The span of the whole record content: from the first string's first content byte
    /// to the last string's last.
    #[must_use]
    pub fn whole_span(&self) -> Span {
        match (self.pieces().first(), self.pieces().last()) {
            (Some(first), Some(last)) => {
                let end = last.content_span().end;
                if first.source == last.source {
                    Span::new(
                        first.source,
                        first.content_start,
                        end.max(first.content_start),
                    )
                } else {
                    first.content_span()
                }
            }
            _ => Span::default(),
        }
    }

    /// The joined octets in `range` (none for a range past the end): what a part kept
    /// for a whole lint reads its text from.
    #[must_use]
    pub fn bytes_of(&self, range: TextRange) -> &[u8] {
        self.as_bytes().get(range.range()).unwrap_or_default()
    }

    /// [`Self::span`] of a range kept as 32-bit offsets.
    #[must_use]
    pub fn span_of(&self, range: TextRange) -> Span {
        self.span(range.range())
    }

    /// The source span of a range of the joined text. A range inside one string maps to
    /// exactly the bytes that encode it (an escape such as `\059` maps whole); a range
    /// across a join runs from its start in one string to its end in a later one; an
    /// empty range maps to an empty span at its position. Out-of-range offsets are
    /// clamped to the end of the text.
    #[must_use]
    pub fn span(&self, range: Range<usize>) -> Span {
        let start = range.start.min(self.len());
        let end = range.end.clamp(start, self.len());
        let Some((start_source, start_offset)) = self.locate_start(start) else {
            return Span::default();
        };
        if end == start {
            return Span::new(start_source, start_offset, start_offset);
        }
        match self.locate_end(end) {
            Some((end_source, end_offset)) if end_source == start_source => {
                Span::new(start_source, start_offset, end_offset.max(start_offset))
            }
            _ => {
                // A record never spans two sources; stay in the start's string.
                let piece_end = self
                    .piece_at(start)
                    .map_or(start_offset, |(_, p)| p.content_span().end);
                Span::new(start_source, start_offset, piece_end)
            }
        }
    }

    /// The source span of the single decoded octet at `offset`.
    #[must_use]
    pub fn span_at(&self, offset: usize) -> Span {
        self.span(offset..offset.saturating_add(1))
    }

    /// Whether the character-string that decoded `offset` falls in (the one an insertion
    /// at `span(offset..offset)` lands in) can grow by `grows` octets and still hold at
    /// most 255 (RFC 1035 §3.3): a fix that makes it longer writes a record that does not
    /// load.
    #[must_use]
    pub fn has_room_at(&self, offset: usize, grows: usize) -> bool {
        self.piece_at_or_last(offset)
            .is_none_or(|p| p.decoded_end() - p.decoded_start() + grows <= MAX_STRING_OCTETS)
    }

    /// Whether decoded offsets `a` and `b` fall in the same character-string.
    #[must_use]
    pub fn same_string(&self, a: usize, b: usize) -> bool {
        let piece = |offset| self.piece_at_or_last(offset).map(|p| p.decoded_start());
        piece(a) == piece(b)
    }

    /// The string holding decoded `offset`, or the last string when none does (an
    /// offset at the end of the text, where an insertion lands in the last string).
    fn piece_at_or_last(&self, offset: usize) -> Option<&Piece> {
        self.piece_at(offset)
            .map(|(_, piece)| piece)
            .or_else(|| self.pieces().last())
    }

    /// The string holding decoded `offset` (the first string of a non-empty join), and
    /// its index.
    fn piece_at(&self, offset: usize) -> Option<(usize, &Piece)> {
        self.pieces()
            .iter()
            .enumerate()
            .find(|(_, p)| p.decoded_start() <= offset && offset < p.decoded_end())
    }

    /// Source position where decoded `offset` starts; the end of the text maps to the end
    /// of the last string.
    fn locate_start(&self, offset: usize) -> Option<(SourceId, u32)> {
        if let Some((index, piece)) = self.piece_at(offset) {
            return Some(self.source_position(index, piece, offset));
        }
        self.pieces()
            .last()
            .map(|piece| (piece.source, piece.content_span().end))
    }

    /// Source position just past the decoded octet before `offset`.
    fn locate_end(&self, offset: usize) -> Option<(SourceId, u32)> {
        let last_octet = offset.checked_sub(1)?;
        let (index, piece) = self.piece_at(last_octet)?;
        Some(self.source_position(index, piece, offset))
    }

    /// Where decoded `offset` is in the source, through the escapes of `piece` (the
    /// string at `index`), which holds it or ends at it.
    fn source_position(&self, index: usize, piece: &Piece, offset: usize) -> (SourceId, u32) {
        let within = offset - piece.decoded_start();
        (
            piece.source,
            piece.source_offset(self.escaped(index), within),
        )
    }
}

/// The octets of a text read in place: its one string's content in the file.
fn in_file<'t>(text: &'t SharedBytes, piece: &Piece) -> &'t [u8] {
    let start = piece.content_start as usize;
    text.get(start..start + piece.raw_len as usize)
        .unwrap_or_default()
}

/// The most octets one character-string holds (RFC 1035 §3.3).
pub const MAX_STRING_OCTETS: usize = 255;

/// An offset in a record's text, which is at most [`MAX_TEXT_OCTETS`] long.
fn text_offset(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// Lengths in a record are far below 4 GiB (the zone parser refuses larger inputs).
fn len_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parsed parts kept for a whole lint hold their ranges in 16-bit offsets: a
    /// wider range back in any of them grows it (hundreds of thousands are kept).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn kept_parts_keep_their_size() {
        use crate::grammar::{dkim, spf, tag_list};
        assert_eq!(std::mem::size_of::<TextRange>(), 4);
        assert_eq!(std::mem::size_of::<tag_list::Tag<'_>>(), 24);
        assert_eq!(std::mem::size_of::<spf::Term<'_>>(), 64);
        assert_eq!(std::mem::size_of::<spf::MacroString<'_>>(), 24);
        assert_eq!(std::mem::size_of::<dkim::DkimKeyRecord<'_>>(), 104);
        assert_eq!(std::mem::size_of::<RecordText>(), 40);
    }

    #[test]
    fn a_text_holds_what_one_rdata_can_and_no_more() {
        // 257 strings of 255 octets fill 16 bits exactly (an RDATA of 65,535 octets
        // holds fewer, with its length octets): every offset reads back.
        let mut text = RecordText::new();
        let string = [b'a'; MAX_STRING_OCTETS];
        for i in 0..257 {
            text.push_string(SourceId(0), i * 300, &string);
        }
        assert_eq!(text.len(), MAX_TEXT_OCTETS);
        let last = TextRange::from(MAX_TEXT_OCTETS - 1..MAX_TEXT_OCTETS);
        assert_eq!(text.bytes_of(last), b"a");
        assert_eq!(
            text.span_of(last),
            Span::new(SourceId(0), 256 * 300 + 254, 256 * 300 + 255)
        );
        // One more string, with a bad escape, is left out, and so is its bad escape.
        text.push_string(SourceId(0), 90_000, b"b\\9");
        assert_eq!(text.len(), MAX_TEXT_OCTETS);
        assert_eq!(text.pieces().len(), 257);
        assert!(text.bad_escapes().is_empty());
    }

    #[test]
    fn text_ranges_read_back_as_ranges() {
        let range = TextRange::from(3..7);
        assert_eq!(range.range(), 3..7);
        assert!(range.strictly_contains(4) && range.strictly_contains(6));
        assert!(!range.strictly_contains(3) && !range.strictly_contains(7));
        // Offsets past 16 bits (no record text has them) are held at the largest.
        assert_eq!(TextRange::from(0..usize::MAX).end, u16::MAX);
    }

    #[test]
    fn texts_that_share_the_files_bytes_equal_those_decoded_apart() {
        let zone_text = "$ORIGIN example.com.\n$TTL 3600\n\
            a TXT \"v=spf1 -all\"\n\
            b TXT v=spf1\n\
            c TXT \"v=spf1 \\\"quoted\\\" \\059 -all\"\n\
            d TXT \"v=spf1 a\" \"mx -all\"\n\
            e TXT \"\"\n\
            f TXT ( \"v=DKIM1; k=rsa; \"\n  \"p=MIGf\" )\n\
            g SPF \"v=spf1 ip4:192.0.2.1 -all\"\n";
        let options = zonelint_zone::ParseOptions::default();
        let (zone, diagnostics) = zonelint_zone::parse_str("t.zone", zone_text, &options);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let source = zone.sources.get(SourceId(0)).unwrap();
        let mut shared_ones = 0;
        for record in zone.records() {
            let apart = RecordText::from_record(&record, source.text());
            let shared = RecordText::from_shared_record(&record, source.shared_text());
            assert_eq!(shared, apart, "{:?}", record.owner().to_name());
            assert_eq!(shared.as_bytes(), apart.as_bytes());
            assert_eq!(shared.whole_span(), apart.whole_span());
            assert_eq!(shared.span(2..5), apart.span(2..5));
            shared_ones += usize::from(matches!(shared.repr, Repr::InFile { .. }));
        }
        // a, b, e and g: one string without escapes each.
        assert_eq!(shared_ones, 4);
        // A string added to a shared text is added to a copy of the file's bytes.
        let record = zone.records().next().unwrap();
        let mut text = RecordText::from_shared_record(&record, source.shared_text());
        text.push_string(SourceId(0), 0, b" more");
        assert_eq!(text.as_bytes(), b"v=spf1 -all more");
        assert_eq!(text.pieces().len(), 2);
        assert_eq!(source.text().len(), zone_text.len());
    }

    /// The source bytes a decoded range maps to.
    fn source_of<'a>(layout: &'a [u8], text: &RecordText, range: Range<usize>) -> &'a str {
        let span = text.span(range);
        std::str::from_utf8(&layout[span.range()]).unwrap()
    }

    #[test]
    fn strings_join_without_a_space() {
        let (text, _) = RecordText::from_pieces(&["\"v=spf1 a\"", "\"mx -all\""]);
        assert_eq!(text.as_bytes(), b"v=spf1 amx -all");
        assert_eq!(
            text.joins(),
            vec![JoinPoint {
                offset: 8,
                before: 0,
                after: 1
            }]
        );
    }

    #[test]
    fn ranges_map_to_the_bytes_as_written() {
        let (text, layout) = RecordText::from_pieces(&["\"v=spf1 a\"", "\"mx -all\""]);
        assert_eq!(source_of(&layout, &text, 0..6), "v=spf1");
        assert_eq!(source_of(&layout, &text, 8..10), "mx");
        // Across the join: from `a` in the first string to `mx` in the second.
        assert_eq!(source_of(&layout, &text, 7..10), "a\" \"mx");
        assert_eq!(text.span(15..15), Span::new(SourceId(0), 19, 19));
    }

    #[test]
    fn escapes_map_whole() {
        let (text, layout) = RecordText::from_pieces(&[r#""v=DMARC1\059 p=reject""#]);
        assert_eq!(text.as_bytes(), b"v=DMARC1; p=reject");
        assert_eq!(source_of(&layout, &text, 8..9), "\\059");
        assert_eq!(source_of(&layout, &text, 10..18), "p=reject");
        assert_eq!(source_of(&layout, &text, 0..18), r"v=DMARC1\059 p=reject");
    }

    /// Each string maps through its own escapes: here only the second and the fourth
    /// have any, and a string read in place from the file takes more strings as written.
    #[test]
    fn escapes_map_whole_in_the_string_that_holds_them() {
        let (text, layout) =
            RecordText::from_pieces(&[r#""a\059""#, r#""b;""#, r#""\\c""#, r#""d""#]);
        assert_eq!(text.as_bytes(), b"a;b;\\cd");
        assert_eq!(source_of(&layout, &text, 1..2), "\\059");
        assert_eq!(source_of(&layout, &text, 3..4), ";");
        assert_eq!(source_of(&layout, &text, 4..6), r"\\c");
        assert_eq!(source_of(&layout, &text, 6..7), "d");
        let zone_text = "$ORIGIN example.com.\na TXT \"x;y\"\n";
        let (zone, _) = zonelint_zone::parse_str("t.zone", zone_text, &Default::default());
        let source = zone.sources.get(SourceId(0)).unwrap();
        let record = zone.records().next().unwrap();
        let mut text = RecordText::from_shared_record(&record, source.shared_text());
        let start = u32::try_from(zone_text.len()).unwrap();
        text.push_string(SourceId(0), start, b"\\059z");
        assert_eq!(text.as_bytes(), b"x;y;z");
        assert_eq!(text.span(3..4), Span::new(SourceId(0), start, start + 4));
        assert_eq!(text.span(1..2), Span::new(SourceId(0), 29, 30));
    }

    /// The end of the text belongs to the last string: an insertion there lands in it,
    /// so it must have room, and it is the same string as the octets before it.
    #[test]
    fn the_end_of_the_text_is_in_the_last_string() {
        let full = format!("\"{}\"", "x".repeat(MAX_STRING_OCTETS));
        let (text, _) = RecordText::from_pieces(&["\"ab\"", &full]);
        let end = text.len();
        assert!(!text.has_room_at(end, 1));
        assert!(text.has_room_at(end, 0));
        assert!(text.same_string(end - 1, end));
        assert!(!text.same_string(0, end));
        let (short, _) = RecordText::from_pieces(&["\"ab\"", "\"cd\""]);
        assert!(short.has_room_at(short.len(), 1));
        assert!(short.same_string(3, 4));
        assert!(!short.same_string(1, 4));
    }

    #[test]
    fn empty_strings_make_no_join() {
        let (text, layout) = RecordText::from_pieces(&["\"v=spf1\"", "\"\"", "\" -all\""]);
        assert_eq!(text.as_bytes(), b"v=spf1 -all");
        assert_eq!(text.joins().len(), 1);
        assert_eq!(text.joins()[0].after, 2);
        assert_eq!(source_of(&layout, &text, 7..11), "-all");
    }

    #[test]
    fn unquoted_strings_are_read_as_written() {
        let (text, layout) = RecordText::from_pieces(&["v=spf1", "\" -all\""]);
        assert_eq!(text.as_bytes(), b"v=spf1 -all");
        assert_eq!(source_of(&layout, &text, 0..2), "v=");
    }

    #[test]
    fn bad_escapes_are_kept_as_written() {
        let (text, layout) = RecordText::from_pieces(&[r#""a\999b""#]);
        assert_eq!(text.as_bytes(), b"a\\999b");
        assert_eq!(text.bad_escapes().len(), 1);
        assert_eq!(&layout[text.bad_escapes()[0].span.range()], b"\\999");
        assert_eq!(source_of(&layout, &text, 5..6), "b");
    }

    #[test]
    fn out_of_range_is_clamped() {
        let (text, _) = RecordText::from_pieces(&["\"ab\""]);
        assert_eq!(text.span(1..99), Span::new(SourceId(0), 2, 3));
        assert_eq!(RecordText::new().span(0..3), Span::default());
    }
}
