//! Entries → records: directives, owner/TTL/class/type, RDATA, and recovery.
//!
//! The parser pulls one entry at a time from the [`Scanner`] of the innermost open file
//! (a stack of frames: the top-level file and the `$INCLUDE`s being read), turns it into
//! a record in reusable buffers, and hands out a [`RecordRef`] view of it. Any problem
//! becomes a diagnostic and the entry is skipped: the next entry is parsed as if nothing
//! happened, so one run reports every problem.

use crate::diagnostic::{codes, Code, Diagnostic, Severity};
use crate::generate::{self, Range};
use crate::include::{LoadError, Loader};
use crate::name::{parse_name_into, Name};
use crate::rdata::{self, name_error_parts, Field, RdataBuf, RdataInput, Tok};
use crate::rtype::{Class, RType};
use crate::scan::{Entry, ScanError, Scanner, Token};
use crate::source::{SharedBytes, Source, SourceId, SourceMap};
use crate::split;
use crate::stream::{Refilled, Stream};
use crate::ttl::{parse_ttl, Ttl, TtlError};
use crate::zone::{
    Comment, Fields, RecordFacts, RecordHeader, RecordRef, RecordSpans, TtlSource, Zone,
};
use crate::Span;
use std::io::Read;
use std::sync::Arc;

/// The longest token accepted, in bytes (PARSE012).
pub const MAX_TOKEN_LEN: usize = 64 * 1024;

/// How to parse.
#[derive(Clone, Debug)]
pub struct ParseOptions {
    /// The origin at the start of the file (from `--origin`, the config or inference).
    pub origin: Option<Name>,
    /// Most `$GENERATE` steps one directive may expand to.
    pub max_generate_steps: u32,
    /// Most records all `$GENERATE` directives of a parse may produce together: four
    /// directives of 65,536 steps (four /16 reverse blocks). Records cost memory through
    /// the whole lint, and an 800-byte file of twenty full directives made a million of
    /// them (2.1 GB resident, 20 s); the cap keeps that amplification near a quarter.
    pub max_generated_total: u64,
    /// How deep `$INCLUDE` may nest.
    pub max_include_depth: u32,
    /// Largest input accepted, in bytes (each file, top-level or included).
    pub max_file_size: u64,
    /// Most diagnostics kept per parse; the rest are counted and summarised in one.
    pub max_diagnostics: usize,
    /// The [`SourceId`] of the top-level file; includes get the ids after it. Give each
    /// zone of a set its own range (e.g. `file_index << 16`) so their spans never collide.
    pub first_source_id: u32,
    /// Whether a large file may be parsed on every thread of the rayon pool, in parts
    /// (the result is the same as on one).
    pub parallel: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            origin: None,
            max_generate_steps: 65_535,
            max_generated_total: 262_144,
            max_include_depth: 10,
            max_file_size: u64::from(u32::MAX),
            max_diagnostics: 10_000,
            first_source_id: 0,
            parallel: true,
        }
    }
}

/// Parses a whole zone file. `name` is how the file is shown in diagnostics and the key
/// `$INCLUDE` cycles are detected with.
#[must_use]
pub fn parse(
    name: &str,
    text: impl Into<SharedBytes>,
    options: &ParseOptions,
    loader: &mut dyn Loader,
) -> (Zone, Vec<Diagnostic>) {
    let text = text.into();
    // A large file is cut in as many parts as the rayon pool has threads, parsed side by
    // side (see `split`); the result is the same.
    let parts = if options.parallel
        && text.len() >= split::MIN_SPLIT
        && text.len() as u64 <= options.max_file_size
    {
        rayon::current_num_threads()
    } else {
        1
    };
    let cuts = split::cuts(&text, parts);
    let (zone, diagnostics, _) =
        split::parse_cut(name, text, options, loader, &cuts, split::OPENING);
    (zone, diagnostics)
}

/// Parses text with no file behind it: `$INCLUDE` is refused.
#[must_use]
pub fn parse_str(name: &str, text: &str, options: &ParseOptions) -> (Zone, Vec<Diagnostic>) {
    parse(
        name,
        Arc::from(text.as_bytes()),
        options,
        &mut crate::include::NoIncludes,
    )
}

/// One open file: the top-level zone or an `$INCLUDE`d one.
struct Frame {
    /// The file's text; `None` only while [`Parser::entry`] reads it.
    text: Option<SharedBytes>,
    source: SourceId,
    position: usize,
    key: String,
    /// What to restore when this file ends (the includer's origin and owner).
    saved_origin: Option<Name>,
    saved_owner: Option<OwnerState>,
}

/// Where the text an entry is read from lies: its source, and the offset in the source
/// of the text's first byte (not 0 only in the window of a file read as a stream, which
/// holds a part of the file).
#[derive(Clone, Copy)]
struct Place {
    source: SourceId,
    base: u32,
}

/// Whether `wire` is `fields`' character-strings as written in `text` (whose first byte
/// is at offset `base` of the source), one after the other, each its length and its
/// octets: true of a TXT record's strings written without escapes.
fn strings_as_written(text: &[u8], base: u32, wire: &[u8], fields: &[Field]) -> bool {
    let mut at = 0;
    for field in fields {
        let content = crate::zone::string_content(text, base, field.span);
        let (start, end) = (usize::from(field.wire_start), usize::from(field.wire_end));
        let written = start == at
            && wire.get(start..end).is_some_and(|string| {
                string.split_first().is_some_and(|(&len, octets)| {
                    usize::from(len) == content.len() && octets == content
                })
            });
        if !written {
            return false;
        }
        at = end;
    }
    at == wire.len()
}

impl Place {
    /// The offset in the source of `at`, an offset in the text. A plain add (a saturating
    /// one cost the whole parse about 1 %): the window of a stream ends at its size
    /// limit, at most `u32::MAX` bytes into the file.
    fn offset(self, at: u32) -> u32 {
        self.base.wrapping_add(at)
    }

    /// The span of `start..end`, offsets in the text.
    fn span(self, start: u32, end: u32) -> Span {
        Span::new(self.source, self.offset(start), self.offset(end))
    }
}

/// What [`Parser::entry`] found.
enum Step {
    /// A record, now in the record buffers.
    Record,
    /// No record (a directive, a comment, a blank line or an error): go on.
    Next,
    /// The end of the frame's text.
    End,
    /// The entry ran into the end of a stream's window before the end of the input:
    /// read more and scan it again.
    More,
}

#[derive(Clone, PartialEq)]
struct OwnerState {
    wire: Vec<u8>,
    valid: bool,
}

/// A `$GENERATE` being expanded, one record per call.
struct Generation {
    range: Range,
    next: u64,
    lhs: Vec<u8>,
    /// TTL, class and type tokens, copied as written.
    middle: Vec<u8>,
    rhs: Vec<u8>,
    source: SourceId,
    directive_span: Span,
    lhs_span: Span,
    type_span: Span,
    rhs_span: Span,
}

/// The streaming parser: yields one record at a time from reusable buffers, so memory
/// stays constant however large the zone is.
pub struct Parser<'l> {
    loader: &'l mut dyn Loader,
    options: ParseOptions,
    sources: SourceMap,
    top_source: SourceId,
    frames: Vec<Frame>,
    initial_origin: Option<Name>,
    /// What one entry leaves the next.
    state: Carried,
    generation: Option<Generation>,
    generated_text: Vec<u8>,
    tokens: Vec<Token>,
    entry_comments: Vec<(u32, u32)>,
    scan_errors: Vec<ScanError>,
    comments: Vec<Comment>,
    record_owner: Vec<u8>,
    rdata: RdataBuf,
    header: RecordHeader,
    /// The source of the record `header` is of.
    header_source: SourceId,
    /// The current record's spans when its header is too wide to hold them.
    wide_spans: Vec<RecordSpans>,
    scratch_diagnostics: Vec<Diagnostic>,
    /// Diagnostics found before the first record was asked for (an oversized file).
    pending: Vec<Diagnostic>,
    diagnostics_kept: usize,
    diagnostics_dropped: usize,
    /// Where a split parse's part ends (see [`crate::split`]): the parser stops before an
    /// entry of the top-level file that starts at or past it.
    stop_at: Option<usize>,
    /// What of the state it started with the parser read before setting it itself (the
    /// parts of a split parse depend on their guess only there), and what it set.
    inherited: Inherited,
    wrote: Inherited,
    /// Whether an `$INCLUDE` was met (a part of a split parse cannot read files).
    met_include: bool,
    /// The top-level file, when it is read as a stream ([`Parser::streaming`]); taken
    /// while an entry of it is read.
    stream: Option<Stream<'l>>,
    /// Whether the parser reads a stream (its text is not kept: see
    /// [`RecordHeader::set_strings_in_text`]).
    streamed: bool,
}

/// What a parser carries from one entry to the next, and hands to the part of a split
/// parse that follows (see [`crate::split`]).
#[derive(Clone, Default)]
pub(crate) struct Carried {
    origin: Option<Name>,
    default_ttl: Option<Ttl>,
    last_ttl: Option<Ttl>,
    soa_minimum: Option<Ttl>,
    last_class: Option<Class>,
    /// The current owner, for blank-owner lines (`None` before the first record).
    owner: Option<OwnerState>,
    /// The previous entry was `$ORIGIN` or `$INCLUDE` (PARSE011).
    after_directive: bool,
    generated_total: u64,
}

/// Parts of the [`Carried`] state a parser read before setting them itself (or set).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Inherited {
    /// The previous record's TTL or the SOA's minimum, for a record with neither its own
    /// TTL nor a `$TTL` in force.
    pub ttl: bool,
    /// The previous owner, for a record whose line starts with a blank.
    pub owner: bool,
    /// The origin, for a record or a relative `$ORIGIN`.
    pub origin: bool,
}

impl Carried {
    /// Whether a part parsed from `guess` read nothing it would have read otherwise
    /// from `self`, the state actually reached where the part starts. The origin, the
    /// previous TTLs and the owner are compared only where the part read them
    /// (`inherited`); the rest always.
    pub(crate) fn agrees_with(&self, guess: &Carried, inherited: Inherited) -> bool {
        (!inherited.origin || self.origin == guess.origin)
            && self.default_ttl == guess.default_ttl
            && self.last_class == guess.last_class
            && self.after_directive == guess.after_directive
            && self.generated_total == guess.generated_total
            && (!inherited.ttl
                || (self.last_ttl == guess.last_ttl && self.soa_minimum == guess.soa_minimum))
            && (!inherited.owner || self.owner == guess.owner)
    }

    /// The guess a part starts from: this state as it stands after a record.
    pub(crate) fn after_a_record(mut self) -> Self {
        self.after_directive = false;
        self
    }
}

impl<'l> Parser<'l> {
    /// A parser over `text`, shown as `name`.
    pub fn new(
        name: &str,
        text: impl Into<SharedBytes>,
        options: &ParseOptions,
        loader: &'l mut dyn Loader,
    ) -> Self {
        let text = text.into();
        let mut sources = SourceMap::with_base(options.first_source_id);
        let source = sources.add(name, text.clone());
        let mut parser = Self {
            loader,
            options: options.clone(),
            sources,
            top_source: source,
            frames: Vec::new(),
            initial_origin: options.origin.clone(),
            state: Carried {
                origin: options.origin.clone(),
                ..Carried::default()
            },
            generation: None,
            generated_text: Vec::new(),
            tokens: Vec::new(),
            entry_comments: Vec::new(),
            scan_errors: Vec::new(),
            comments: Vec::new(),
            record_owner: Vec::new(),
            rdata: RdataBuf::default(),
            header: empty_header(source),
            header_source: source,
            wide_spans: Vec::new(),
            scratch_diagnostics: Vec::new(),
            pending: Vec::new(),
            diagnostics_kept: 0,
            diagnostics_dropped: 0,
            stop_at: None,
            inherited: Inherited::default(),
            wrote: Inherited::default(),
            met_include: false,
            stream: None,
            streamed: false,
        };
        if text.len() as u64 > parser.options.max_file_size {
            let limit = parser.options.max_file_size;
            parser.pending.push(
                Diagnostic::new(
                    &codes::PARSE_LIMIT,
                    Severity::Error,
                    Span::new(source, 0, 0),
                    format!("{name} is {} bytes; the limit is {limit}", text.len()),
                )
                .with_help(
                    "Raise the file-size limit in the configuration if this zone is expected",
                ),
            );
        } else {
            parser.frames.push(Frame {
                text: Some(text),
                source,
                position: 0,
                key: name.to_owned(),
                saved_origin: None,
                saved_owner: None,
            });
        }
        parser
    }

    /// A parser over the file `reader` gives, shown as `name`, that never holds the
    /// whole file: only a window of it, from the entry being read to at least 64 KiB
    /// past it ([`Parser::set_read_size`]; a longer entry, such as a `(` never closed,
    /// is held whole). The records, diagnostics and comments are those [`Parser::new`]
    /// gives for the whole text, with the same spans (offsets in the file); but the
    /// file's [`Source`] keeps its line starts (4 bytes a line), not its text, so
    /// [`SourceMap::slice`] gives nothing from it and its columns count bytes (read the
    /// file again to show a snippet).
    ///
    /// A file larger than [`ParseOptions::max_file_size`] (at most 4 GiB, as spans are
    /// 32-bit offsets) is read up to the limit, where a PARSE012 error says it stops.
    /// A read error ends the input where it happens: see [`Parser::take_read_error`].
    /// `$INCLUDE`d files come whole through `loader`, as for [`Parser::new`].
    ///
    /// The records are the caller's to use as they come: there is no [`Zone`] of them,
    /// as the lint of `zonelint-policy` reads TXT strings from the file's text.
    ///
    /// ```
    /// use zonelint_zone::{Name, NoIncludes, ParseOptions, Parser, SourceId};
    ///
    /// let options = ParseOptions {
    ///     origin: Name::from_ascii("example.com.").ok(),
    ///     ..ParseOptions::default()
    /// };
    /// // Any reader: a file, standard input, a decompressor.
    /// let mut reader: &[u8] = b"$TTL 1h\nwww A 192.0.2.1\n  AAAA 2001:db8::1\nbad A 999.0.0.1\n";
    /// let mut loader = NoIncludes;
    /// let mut parser = Parser::streaming("example.com.zone", &mut reader, &options, &mut loader);
    /// let mut diagnostics = Vec::new();
    /// let mut owners = Vec::new();
    /// while let Some(record) = parser.next_record(&mut diagnostics) {
    ///     owners.push((record.owner().to_string(), record.rtype().to_string()));
    /// }
    /// assert!(parser.take_read_error().is_none());
    /// assert_eq!(owners, [("www.example.com.".into(), "A".into()), ("www.example.com.".into(), "AAAA".into())]);
    /// // The bad address: its span is offsets in the file, its line from the line starts.
    /// let mut zone = zonelint_zone::Zone::default();
    /// parser.finish(&mut zone, &mut diagnostics);
    /// let source = zone.sources.get(SourceId(0)).unwrap();
    /// assert_eq!(source.line_column(diagnostics[0].primary.start), (4, 7));
    /// ```
    ///
    /// [`Source`]: crate::Source
    pub fn streaming(
        name: &str,
        reader: &'l mut dyn Read,
        options: &ParseOptions,
        loader: &'l mut dyn Loader,
    ) -> Self {
        let mut parser = Self::new(name, Vec::new(), options, loader);
        parser.stream = Some(Stream::new(reader, options.max_file_size));
        parser.streamed = true;
        parser
    }

    /// The error the reader of a [`Parser::streaming`] gave, which ended its input
    /// early: the records before it were parsed, the rest of the file was not read.
    pub fn take_read_error(&mut self) -> Option<std::io::Error> {
        self.stream.as_mut().and_then(|stream| stream.error.take())
    }

    /// Makes a [`Parser::streaming`] read at least `bytes` at a time (at least 1; 64 KiB
    /// unless set): the window holds the entry being read and that much after it. A
    /// smaller window holds less and reads more often. No effect on other parsers.
    pub fn set_read_size(&mut self, bytes: usize) {
        if let Some(stream) = &mut self.stream {
            stream.chunk = bytes.max(1);
        }
    }

    /// The origin in force now.
    #[must_use]
    pub fn origin(&self) -> Option<&Name> {
        self.state.origin.as_ref()
    }

    /// The sources read so far (the top-level file first, then each include).
    #[must_use]
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Takes the comments seen so far (suppression comments are read from these).
    pub fn take_comments(&mut self) -> Vec<Comment> {
        std::mem::take(&mut self.comments)
    }

    /// The state carried to the next entry.
    pub(crate) fn carried(&self) -> Carried {
        self.state.clone()
    }

    /// Continues in the top-level file at `position` (a line start) with `carried`, as
    /// if the text before had been parsed to that state.
    pub(crate) fn resume(&mut self, position: usize, carried: Carried) {
        self.state = carried;
        if let [frame] = self.frames.as_mut_slice() {
            frame.position = position;
        }
    }

    /// Stops before the first entry of the top-level file that starts at or past
    /// `position` (none: parse to the end).
    pub(crate) fn stop_at(&mut self, position: Option<usize>) {
        self.stop_at = position;
    }

    /// Where the parser stands in the top-level file, if it is reading only that file
    /// and expanding no `$GENERATE` (the end of the text once it is finished).
    pub(crate) fn top_position(&self) -> Option<usize> {
        match self.frames.as_slice() {
            [] => self.sources.get(self.top_source).map(|s| s.text().len()),
            [frame] if self.generation.is_none() => Some(frame.position),
            _ => None,
        }
    }

    /// What the records so far read of the state carried into the parser, and whether
    /// they met an `$INCLUDE` or dropped a diagnostic over the limit: what a part of a
    /// split parse must not have done to be kept.
    pub(crate) fn part_status(&self) -> (Inherited, bool) {
        (
            self.inherited,
            self.met_include || self.diagnostics_dropped > 0,
        )
    }

    /// Takes in the diagnostics and comments of a part parsed after this one, counting
    /// the diagnostics against this parse's limit as if this parser had found them.
    pub(crate) fn absorb(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
        found: Vec<Diagnostic>,
        comments: Vec<Comment>,
    ) {
        for diagnostic in found {
            self.emit(diagnostics, diagnostic);
        }
        self.comments.extend(comments);
    }

    /// The next record, or `None` at the end of input. Problems are appended to
    /// `diagnostics`; a bad record is skipped and parsing goes on.
    pub fn next_record(&mut self, diagnostics: &mut Vec<Diagnostic>) -> Option<RecordRef<'_>> {
        if self.advance(diagnostics) {
            Some(RecordRef {
                header: &self.header,
                source: self.header_source,
                wide: &self.wide_spans,
                owner: &self.record_owner,
                rdata: &self.rdata.wire,
                fields: Fields::parsed(&self.rdata.fields),
                strings_text: None,
            })
        } else {
            None
        }
    }

    /// Moves the sources, initial origin and comments into `zone`, and adds the summary
    /// of diagnostics that were counted but not kept.
    pub fn finish(self, zone: &mut Zone, diagnostics: &mut Vec<Diagnostic>) {
        if self.diagnostics_dropped > 0 {
            let source = self.top_source;
            diagnostics.push(
                Diagnostic::new(
                    &codes::PARSE_LIMIT,
                    Severity::Error,
                    Span::new(source, 0, 0),
                    format!(
                        "{} more problems were found and not shown (the limit is {} per file)",
                        self.diagnostics_dropped, self.options.max_diagnostics
                    ),
                )
                .with_help("Fix the problems shown first; the file is probably not a zone file"),
            );
        }
        let mut sources = self.sources;
        if let Some(stream) = self.stream {
            let (starts, len) = stream.into_lines();
            let name = sources
                .get(self.top_source)
                .map(|source| source.name().to_owned())
                .unwrap_or_default();
            sources.replace(self.top_source, Source::streamed(name, starts, len));
        }
        zone.sources = sources;
        zone.origin = self.initial_origin;
        zone.comments = self.comments;
    }

    /// Notes that the origin is read: carried into the parser when it has not set one.
    fn read_origin(&mut self) {
        if !self.wrote.origin {
            self.inherited.origin = true;
        }
    }

    fn emit(&mut self, diagnostics: &mut Vec<Diagnostic>, diagnostic: Diagnostic) {
        if self.diagnostics_kept < self.options.max_diagnostics {
            self.diagnostics_kept += 1;
            diagnostics.push(diagnostic);
        } else {
            self.diagnostics_dropped += 1;
        }
    }

    fn error(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
        code: &'static Code,
        span: Span,
        message: String,
        help: Option<&str>,
    ) {
        let mut diagnostic = Diagnostic::new(code, Severity::Error, span, message);
        diagnostic.help = help.map(str::to_owned);
        self.emit(diagnostics, diagnostic);
    }

    fn flush_scratch(&mut self, diagnostics: &mut Vec<Diagnostic>) {
        let scratch = std::mem::take(&mut self.scratch_diagnostics);
        for diagnostic in scratch {
            self.emit(diagnostics, diagnostic);
        }
    }

    /// Parses entries until one yields a record (true) or the input ends (false).
    fn advance(&mut self, diagnostics: &mut Vec<Diagnostic>) -> bool {
        if !self.pending.is_empty() {
            for diagnostic in std::mem::take(&mut self.pending) {
                self.emit(diagnostics, diagnostic);
            }
        }
        loop {
            if self.generation.is_some() {
                if self.next_generated(diagnostics) {
                    return true;
                }
                continue;
            }
            let depth = self.frames.len();
            let Some(frame) = self.frames.last_mut() else {
                return false;
            };
            if let (Some(stop), 1) = (self.stop_at, depth) {
                if frame.position >= stop {
                    return false;
                }
            }
            if depth == 1 && self.stream.is_some() {
                let (source, position) = (frame.source, frame.position);
                match self.streamed_entry(diagnostics, source, position) {
                    Step::Record => return true,
                    Step::Next | Step::More => {}
                    Step::End => self.close_frame(),
                }
                continue;
            }
            // The text is moved out of its frame while an entry of it is parsed, not
            // cloned: the parts of a large file parsed on other cores share it, and a
            // clone an entry was an increment and a decrement of one count written from
            // every core (the parallel parse of the 1M-record bench zone took 27 % longer).
            let Some(text) = frame.text.take() else {
                // Never expected: the text is put back below, in the same turn.
                debug_assert!(false, "a frame without its text");
                self.close_frame();
                continue;
            };
            let (source, position) = (frame.source, frame.position);
            let place = Place { source, base: 0 };
            let step = self.entry(diagnostics, &text, place, position, false);
            // Back into the same frame (an `$INCLUDE` pushes its own above it).
            if let Some(frame) = self.frames.get_mut(depth - 1) {
                frame.text = Some(text);
            }
            match step {
                Step::Record => return true,
                Step::Next | Step::More => {}
                Step::End => self.close_frame(),
            }
        }
    }

    /// Parses the entry of the stream's window at `position`; when the window ends
    /// before it does, reads more instead (the entry is then scanned again).
    fn streamed_entry(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
        source: SourceId,
        position: usize,
    ) -> Step {
        let Some(mut stream) = self.stream.take() else {
            return Step::End;
        };
        let place = Place {
            source,
            base: stream.base,
        };
        let step = self.entry(diagnostics, &stream.window, place, position, !stream.ended);
        if let Step::More = step {
            let (position, refilled) = stream.refill(position);
            if let Some(frame) = self.frames.first_mut() {
                frame.position = position;
            }
            if refilled == Refilled::OverLimit {
                let limit = self.options.max_file_size.min(u64::from(u32::MAX));
                let name = self
                    .frames
                    .first()
                    .map(|frame| frame.key.clone())
                    .unwrap_or_default();
                let end = Span::new(source, limit as u32, limit as u32);
                self.error(
                    diagnostics,
                    &codes::PARSE_LIMIT,
                    end,
                    format!(
                        "{name} is larger than {limit} bytes, the limit; it is read up to there"
                    ),
                    Some("Raise the file-size limit in the configuration if this zone is expected"),
                );
            }
        }
        self.stream = Some(stream);
        step
    }

    /// Parses the entry of `text` at `position` (the text of the innermost frame).
    /// `more`: the text is the window of a stream that goes on after it, and an entry
    /// that runs into its end is left for [`Step::More`].
    fn entry(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
        text: &[u8],
        place: Place,
        position: usize,
        more: bool,
    ) -> Step {
        // Only the start of a file may hold a byte-order mark.
        let mut scanner = if place.base == 0 {
            Scanner::resume(text, position)
        } else {
            Scanner::within(text, position)
        };
        let entry = scanner.next_entry(
            &mut self.tokens,
            &mut self.entry_comments,
            &mut self.scan_errors,
        );
        if more && (scanner.reached_end() || scanner.position() >= text.len()) {
            // Nothing of the entry is kept: it is scanned again once more is read.
            self.scan_errors.clear();
            return Step::More;
        }
        let position = scanner.position();
        let Some(entry) = entry else {
            return Step::End;
        };
        if let Some(frame) = self.frames.last_mut() {
            frame.position = position;
        }
        let own_line = self.tokens.is_empty();
        for &(start, end) in &self.entry_comments {
            self.comments.push(Comment {
                span: place.span(start, end),
                own_line,
            });
        }
        if !self.scan_errors.is_empty() {
            let errors = std::mem::take(&mut self.scan_errors);
            for &error in &errors {
                self.report_scan_error(diagnostics, place, error);
            }
            self.scan_errors = errors;
            self.scan_errors.clear();
            return Step::Next;
        }
        if self.tokens.is_empty() {
            return Step::Next;
        }
        if let Some(long) = self
            .tokens
            .iter()
            .find(|t| (t.end - t.start) as usize > MAX_TOKEN_LEN)
        {
            let span = place.span(long.start, long.end);
            let len = long.end - long.start;
            self.error(
                diagnostics,
                &codes::PARSE_LIMIT,
                span,
                format!("token is {len} bytes; the limit is {MAX_TOKEN_LEN}"),
                None,
            );
            return Step::Next;
        }
        let tokens = std::mem::take(&mut self.tokens);
        let is_directive = !entry.blank_owner
            && tokens
                .first()
                .is_some_and(|t| !t.quoted && t.bytes(text).first() == Some(&b'$'));
        let produced = if is_directive {
            self.directive(diagnostics, text, place, &tokens);
            false
        } else {
            self.record(diagnostics, text, place, &tokens, entry, None)
        };
        self.tokens = tokens;
        if produced {
            Step::Record
        } else {
            Step::Next
        }
    }

    fn close_frame(&mut self) {
        if let Some(frame) = self.frames.pop() {
            if !self.frames.is_empty() {
                // RFC 1035 §5.1 and BIND: after an included file, the origin and the
                // current owner revert to what they were before the `$INCLUDE`.
                self.state.origin = frame.saved_origin;
                self.state.owner = frame.saved_owner;
                self.state.after_directive = true;
            }
        }
    }

    fn report_scan_error(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
        place: Place,
        error: ScanError,
    ) {
        let (span, message, help) = match error {
            ScanError::NestedParenthesis { at } => (
                place.span(at, at + 1),
                "parentheses cannot be nested".to_owned(),
                "Remove this `(`: one pair of parentheses may span several lines",
            ),
            ScanError::UnbalancedClose { at } => (
                place.span(at, at + 1),
                "`)` without a matching `(`".to_owned(),
                "Remove it, or add the `(` it closes",
            ),
            ScanError::UnclosedParenthesis { at } => (
                place.span(at, at + 1),
                "`(` is never closed".to_owned(),
                "Add the matching `)` at the end of the record",
            ),
            ScanError::UnterminatedQuote { at, end } => (
                place.span(at, end),
                "quoted string is not closed before the end of the line".to_owned(),
                "Add the closing `\"`; a quoted string cannot span lines (use several strings inside parentheses)",
            ),
        };
        self.error(
            diagnostics,
            &codes::PARSE_SYNTAX,
            span,
            format!("{message}; the record is skipped"),
            Some(help),
        );
    }

    /// Parses one record entry into the record buffers. `generated` carries the spans of
    /// the `$GENERATE` directive the text came from.
    fn record(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
        text: &[u8],
        place: Place,
        tokens: &[Token],
        entry: Entry,
        generated: Option<&GeneratedSpans>,
    ) -> bool {
        self.read_origin();
        let span_of = |t: &Token| {
            let (start, end) = t.outer();
            place.span(start, end)
        };
        let Some(first) = tokens.first() else {
            return false;
        };
        let last_end = tokens.last().map_or(first.end, |t| t.outer().1);
        let record_span = place.span(first.outer().0, last_end);
        let mut index = 0usize;
        let owner_span;
        if entry.blank_owner && generated.is_none() {
            if !self.wrote.owner {
                self.inherited.owner = true;
            }
            let Some(owner) = &self.state.owner else {
                self.error(
                    diagnostics,
                    &codes::PARSE_SYNTAX,
                    span_of(first),
                    "the first record has no owner name (the line starts with a blank)".to_owned(),
                    Some("Write the owner name in the first column"),
                );
                return false;
            };
            if !owner.valid {
                // The owner's own error was reported already; its records cannot be stored.
                return false;
            }
            self.record_owner.clear();
            self.record_owner.extend_from_slice(&owner.wire);
            owner_span = place.span(entry.start, entry.start);
            if self.state.after_directive {
                let previous = crate::name::NameRef::cast(&self.record_owner).to_string();
                self.emit(
                    diagnostics,
                    Diagnostic::new(
                        &codes::PARSE_INHERITED_OWNER,
                        Severity::Warning,
                        span_of(first),
                        format!("this record has no owner, so it belongs to {previous}, the owner before the directive above"),
                    )
                    .with_help("Write the owner name explicitly (`@` for the new origin)"),
                );
            }
        } else {
            if first.quoted {
                self.error(
                    diagnostics,
                    &codes::PARSE_SYNTAX,
                    span_of(first),
                    "an owner name cannot be quoted".to_owned(),
                    None,
                );
                return false;
            }
            self.record_owner.clear();
            let bytes = first.bytes(text);
            if let Err(error) =
                parse_name_into(bytes, self.state.origin.as_ref(), &mut self.record_owner)
            {
                let token = Tok {
                    bytes,
                    span: span_of(first),
                    content_start: place.offset(first.start),
                    quoted: false,
                };
                let (code, span, message, help) = name_error_parts(token, &error);
                let mut diagnostic = Diagnostic::new(code, Severity::Error, span, message);
                diagnostic.help = help;
                self.emit(diagnostics, diagnostic);
                if generated.is_none() {
                    self.state.owner = Some(OwnerState {
                        wire: Vec::new(),
                        valid: false,
                    });
                    self.wrote.owner = true;
                }
                return false;
            }
            if generated.is_none() {
                let owner = self.state.owner.get_or_insert_with(|| OwnerState {
                    wire: Vec::new(),
                    valid: true,
                });
                owner.wire.clear();
                owner.wire.extend_from_slice(&self.record_owner);
                owner.valid = true;
                self.wrote.owner = true;
            }
            owner_span = span_of(first);
            index = 1;
        }
        self.state.after_directive = false;

        // TTL and class, in either order, both optional.
        let mut ttl: Option<(Ttl, Span)> = None;
        let mut class: Option<(Class, Span)> = None;
        while let Some(token) = tokens.get(index) {
            if token.quoted {
                break;
            }
            let bytes = token.bytes(text);
            if ttl.is_none() && bytes.first().is_some_and(u8::is_ascii_digit) {
                let span = span_of(token);
                match parse_ttl(bytes) {
                    Ok(value) => ttl = Some((value, span)),
                    Err(TtlError::OverMax(value)) => {
                        self.emit(
                            diagnostics,
                            Diagnostic::new(
                                &codes::PARSE_TTL,
                                Severity::Warning,
                                span,
                                format!("TTL {value} is over 2147483647 (2^31 − 1); BIND loads it as 0"),
                            )
                            .with_help("RFC 2181 §8 caps TTLs at 2^31 − 1; use a realistic value such as 86400"),
                        );
                        ttl = Some((Ttl::default(), span));
                    }
                    Err(error) => {
                        let message = match error {
                            TtlError::Overflow => format!(
                                "TTL `{}` is larger than 4294967295 (2^32 − 1)",
                                String::from_utf8_lossy(bytes)
                            ),
                            _ => format!("`{}` is not a TTL", String::from_utf8_lossy(bytes)),
                        };
                        self.error(
                            diagnostics,
                            &codes::PARSE_TTL,
                            span,
                            message,
                            Some("A TTL is seconds (`3600`) or units `s m h d w` (`1h30m`), at most 2147483647"),
                        );
                        return false;
                    }
                }
                index += 1;
                continue;
            }
            if class.is_none() {
                if let Some(value) = Class::from_text(bytes) {
                    class = Some((value, span_of(token)));
                    index += 1;
                    continue;
                }
            }
            break;
        }

        let Some(type_token) = tokens.get(index) else {
            let at = place.span(last_end, last_end);
            self.error(
                diagnostics,
                &codes::PARSE_SYNTAX,
                at,
                "record has no type".to_owned(),
                Some("Write the type (A, MX, TXT, …) and its data"),
            );
            return false;
        };
        let type_span = span_of(type_token);
        let type_bytes = type_token.bytes(text);
        let rtype = match RType::from_text(type_bytes) {
            Some(rtype) if !type_token.quoted && !rtype.is_meta() => rtype,
            Some(rtype) if !type_token.quoted => {
                self.error(
                    diagnostics,
                    &codes::PARSE_UNKNOWN_TYPE,
                    type_span,
                    format!("{rtype} is a query type and cannot appear in a zone file"),
                    None,
                );
                return false;
            }
            _ => {
                let shown = String::from_utf8_lossy(type_bytes);
                let (message, help) = if index == 0 {
                    (
                        format!("unknown type `{shown}`"),
                        "Use a type mnemonic (A, MX, TXT, …) or TYPEnnn",
                    )
                } else {
                    (
                        format!("unknown type or class `{shown}`"),
                        "After the owner come an optional TTL and class, then the type (A, MX, TXT, …) or TYPEnnn",
                    )
                };
                self.error(
                    diagnostics,
                    &codes::PARSE_UNKNOWN_TYPE,
                    type_span,
                    message,
                    Some(help),
                );
                return false;
            }
        };
        index += 1;

        let input = RdataInput {
            text,
            source: place.source,
            base: place.base,
            tokens: tokens.get(index..).unwrap_or_default(),
            origin: self.state.origin.as_ref(),
            rtype,
            type_span,
        };
        let result = rdata::parse_rdata(input, &mut self.rdata, &mut self.scratch_diagnostics);
        if let Some(spans) = generated {
            for diagnostic in &mut self.scratch_diagnostics {
                diagnostic.primary = spans.rhs;
            }
        }
        self.flush_scratch(diagnostics);
        if result.is_err() {
            return false;
        }

        if rtype == RType::SOA {
            // The minimum is the SOA RDATA's last four octets (RFC 1035 §3.3.13).
            let wire = &self.rdata.wire;
            let tail = wire.len().checked_sub(4).and_then(|at| wire.get(at..));
            if let Some(tail) = tail.and_then(|t| <[u8; 4]>::try_from(t).ok()) {
                let minimum = u32::from_be_bytes(tail);
                self.state.soa_minimum = Ttl::new(minimum).or(Ttl::new(crate::ttl::MAX_TTL));
            }
        }
        let (ttl_value, ttl_source, ttl_span) = match ttl {
            Some((value, span)) => {
                self.state.last_ttl = Some(value);
                self.wrote.ttl = true;
                (value, TtlSource::Explicit, Some(span))
            }
            None => {
                if self.state.default_ttl.is_none() && !self.wrote.ttl {
                    self.inherited.ttl = true;
                }
                if let Some(value) = self.state.default_ttl {
                    (value, TtlSource::Directive, None)
                } else if let Some(value) = self.state.last_ttl {
                    (value, TtlSource::Previous, None)
                } else if let Some(value) = self.state.soa_minimum {
                    self.state.last_ttl = Some(value);
                    self.wrote.ttl = true;
                    (value, TtlSource::SoaMinimum, None)
                } else {
                    self.error(
                        diagnostics,
                        &codes::PARSE_TTL,
                        Span::new(place.source, owner_span.end, owner_span.end),
                        "record has no TTL and none is known yet (no `$TTL`, no earlier TTL, no SOA)".to_owned(),
                        Some("Add `$TTL 3600` (or the TTL you want) at the top of the file"),
                    );
                    (Ttl::default(), TtlSource::SoaMinimum, None)
                }
            }
        };
        let (class_value, class_span) = match class {
            Some((value, span)) => {
                self.state.last_class = Some(value);
                (value, Some(span))
            }
            None => (self.state.last_class.unwrap_or(Class::IN), None),
        };

        let fields_len = u16::try_from(self.rdata.fields.len()).unwrap_or(u16::MAX);
        let mut record_spans = RecordSpans {
            span: record_span,
            owner_span,
            ttl_span,
            class_span,
            type_span,
        };
        if let Some(spans) = generated {
            record_spans = RecordSpans {
                span: spans.directive,
                owner_span: spans.lhs,
                type_span: spans.type_span,
                ttl_span: ttl_span.map(|_| spans.directive),
                class_span: class_span.map(|_| spans.directive),
            };
            for field in &mut self.rdata.fields {
                field.span = spans.rhs;
            }
        }
        self.wide_spans.clear();
        self.header_source = record_spans.span.source;
        self.header = RecordHeader::new(
            &record_spans,
            RecordFacts {
                // A name's wire form is at most 255 octets.
                owner_len: u8::try_from(self.record_owner.len()).unwrap_or(u8::MAX),
                rdata_len: u16::try_from(self.rdata.wire.len()).unwrap_or(u16::MAX),
                fields_len,
                ttl: ttl_value,
                ttl_source,
                class: class_value,
                rtype,
            },
            &mut self.wide_spans,
        );
        // A zone keeps the file's text: of a TXT or SPF record written as plain strings
        // it keeps no second copy (not of a stream's, whose text it does not keep, nor of
        // a `$GENERATE`d record's, whose fields point at the directive).
        if matches!(rtype, RType::TXT | RType::SPF)
            && generated.is_none()
            && !self.streamed
            && strings_as_written(text, place.base, &self.rdata.wire, &self.rdata.fields)
        {
            self.header.set_strings_in_text();
        }
        true
    }

    fn directive(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
        text: &[u8],
        place: Place,
        tokens: &[Token],
    ) {
        let span_of = |t: &Token| {
            let (start, end) = t.outer();
            place.span(start, end)
        };
        let Some(first) = tokens.first() else {
            return;
        };
        let name = first.bytes(text);
        let args = tokens.get(1..).unwrap_or_default();
        let directive_span = span_of(first);
        let mut upper = [0u8; 9];
        let upper = match upper.get_mut(..name.len()) {
            Some(slot) => {
                slot.copy_from_slice(name);
                slot.make_ascii_uppercase();
                &*slot
            }
            None => b"" as &[u8],
        };
        match upper {
            b"$ORIGIN" => {
                self.state.after_directive = true;
                let Some(argument) = args.first() else {
                    self.error(
                        diagnostics,
                        &codes::PARSE_SYNTAX,
                        directive_span,
                        "`$ORIGIN` needs a domain name".to_owned(),
                        None,
                    );
                    return;
                };
                if let Some(extra) = args.get(1) {
                    self.error(
                        diagnostics,
                        &codes::PARSE_SYNTAX,
                        span_of(extra),
                        "unexpected text after the `$ORIGIN` name".to_owned(),
                        None,
                    );
                    return;
                }
                let bytes = argument.bytes(text);
                let token = Tok {
                    bytes,
                    span: span_of(argument),
                    content_start: place.offset(argument.start),
                    quoted: argument.quoted,
                };
                if Name::parse(bytes, None).is_err() {
                    // `@`, a relative name or a bad one: what comes of it depends on the
                    // origin in force.
                    self.read_origin();
                }
                match Name::parse(bytes, self.state.origin.as_ref()) {
                    Ok(origin) => {
                        let relative = bytes != b"@"
                            && matches!(Name::parse(bytes, None), Err(crate::NameError::NoOrigin));
                        if relative {
                            self.emit(
                                diagnostics,
                                Diagnostic::new(
                                    &codes::PARSE_ORIGIN,
                                    Severity::Warning,
                                    token.span,
                                    format!("relative `$ORIGIN` is appended to the current origin: the origin is now {origin}"),
                                )
                                .with_help(format!("Write `$ORIGIN {origin}` (with the final dot) if that is what you mean")),
                            );
                        }
                        self.state.origin = Some(origin);
                        self.wrote.origin = true;
                    }
                    Err(error) => {
                        let (code, span, message, help) = name_error_parts(token, &error);
                        let mut diagnostic = Diagnostic::new(code, Severity::Error, span, message);
                        diagnostic.help = help;
                        self.emit(diagnostics, diagnostic);
                    }
                }
            }
            b"$TTL" => {
                let Some(argument) = args.first() else {
                    self.error(
                        diagnostics,
                        &codes::PARSE_SYNTAX,
                        directive_span,
                        "`$TTL` needs a TTL".to_owned(),
                        None,
                    );
                    return;
                };
                if let Some(extra) = args.get(1) {
                    self.error(
                        diagnostics,
                        &codes::PARSE_SYNTAX,
                        span_of(extra),
                        "unexpected text after the `$TTL` value".to_owned(),
                        None,
                    );
                    return;
                }
                let bytes = argument.bytes(text);
                match parse_ttl(bytes) {
                    Ok(value) => self.state.default_ttl = Some(value),
                    Err(TtlError::OverMax(value)) => {
                        self.emit(
                            diagnostics,
                            Diagnostic::new(
                                &codes::PARSE_TTL,
                                Severity::Warning,
                                span_of(argument),
                                format!(
                                    "TTL {value} is over 2147483647 (2^31 − 1); BIND loads it as 0"
                                ),
                            ),
                        );
                        self.state.default_ttl = Some(Ttl::default());
                    }
                    Err(_) => self.error(
                        diagnostics,
                        &codes::PARSE_TTL,
                        span_of(argument),
                        format!("`{}` is not a TTL", String::from_utf8_lossy(bytes)),
                        Some("A TTL is seconds (`3600`) or units `s m h d w` (`1h30m`)"),
                    ),
                }
            }
            b"$INCLUDE" => self.include(diagnostics, text, place, directive_span, args),
            b"$GENERATE" => self.start_generate(diagnostics, text, place, directive_span, args),
            _ => {
                let shown = String::from_utf8_lossy(name);
                let help = suggest_directive(name).map(|known| format!("Did you mean `{known}`?"));
                let mut diagnostic = Diagnostic::new(
                    &codes::PARSE_DIRECTIVE,
                    Severity::Error,
                    directive_span,
                    format!("unknown directive `{shown}`"),
                );
                diagnostic.help = Some(help.unwrap_or_else(|| {
                    "The directives are $ORIGIN, $TTL, $INCLUDE and $GENERATE".to_owned()
                }));
                self.emit(diagnostics, diagnostic);
            }
        }
    }

    fn include(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
        text: &[u8],
        place: Place,
        directive_span: Span,
        args: &[Token],
    ) {
        self.state.after_directive = true;
        self.met_include = true;
        let span_of = |t: &Token| {
            let (start, end) = t.outer();
            place.span(start, end)
        };
        let Some(file_token) = args.first() else {
            self.error(
                diagnostics,
                &codes::PARSE_SYNTAX,
                directive_span,
                "`$INCLUDE` needs a file name".to_owned(),
                None,
            );
            return;
        };
        let file_span = span_of(file_token);
        if let Some(extra) = args.get(2) {
            self.error(
                diagnostics,
                &codes::PARSE_SYNTAX,
                span_of(extra),
                "unexpected text after the `$INCLUDE` origin".to_owned(),
                None,
            );
            return;
        }
        let mut path = Vec::new();
        if rdata::decode_char_string(file_token.bytes(text), &mut path).is_err() {
            self.error(
                diagnostics,
                &codes::PARSE_INCLUDE,
                file_span,
                "bad escape in the `$INCLUDE` file name".to_owned(),
                None,
            );
            return;
        }
        let Ok(path) = String::from_utf8(path) else {
            self.error(
                diagnostics,
                &codes::PARSE_INCLUDE,
                file_span,
                "the `$INCLUDE` file name is not valid UTF-8".to_owned(),
                None,
            );
            return;
        };
        let include_origin = match args.get(1) {
            Some(origin_token) => {
                let bytes = origin_token.bytes(text);
                match Name::parse(bytes, self.state.origin.as_ref()) {
                    Ok(origin) => Some(origin),
                    Err(error) => {
                        let token = Tok {
                            bytes,
                            span: span_of(origin_token),
                            content_start: place.offset(origin_token.start),
                            quoted: origin_token.quoted,
                        };
                        let (code, span, message, help) = name_error_parts(token, &error);
                        let mut diagnostic = Diagnostic::new(code, Severity::Error, span, message);
                        diagnostic.help = help;
                        self.emit(diagnostics, diagnostic);
                        return;
                    }
                }
            }
            None => None,
        };
        let depth = self.frames.len();
        if depth > self.options.max_include_depth as usize {
            let limit = self.options.max_include_depth;
            self.error(
                diagnostics,
                &codes::PARSE_INCLUDE,
                file_span,
                format!("`$INCLUDE` nested more than {limit} deep; `{path}` was not read"),
                Some("Flatten the includes; a cycle of includes also ends here"),
            );
            return;
        }
        let from_key = self
            .frames
            .last()
            .map(|f| f.key.clone())
            .unwrap_or_default();
        let loaded = match self.loader.load(&path, &from_key) {
            Ok(loaded) => loaded,
            Err(error) => {
                let help = match error {
                    LoadError::Disabled => Some("Includes are disabled for this run (untrusted input, or text with no file behind it)"),
                    LoadError::OutsideRoot { .. } => Some("Included files must live in the zone file's directory tree"),
                    _ => None,
                };
                self.error(
                    diagnostics,
                    &codes::PARSE_INCLUDE,
                    file_span,
                    format!("cannot include: {error}"),
                    help,
                );
                return;
            }
        };
        if self.frames.iter().any(|f| f.key == loaded.key) {
            self.error(
                diagnostics,
                &codes::PARSE_INCLUDE,
                file_span,
                format!(
                    "`$INCLUDE` cycle: `{}` is already being read",
                    loaded.display_name
                ),
                Some("Remove the `$INCLUDE` that leads back to a file above it"),
            );
            return;
        }
        if loaded.text.len() as u64 > self.options.max_file_size {
            let limit = self.options.max_file_size;
            self.error(
                diagnostics,
                &codes::PARSE_LIMIT,
                file_span,
                format!(
                    "`{}` is {} bytes; the limit is {limit}",
                    loaded.display_name,
                    loaded.text.len()
                ),
                None,
            );
            return;
        }
        let included = self.sources.add(loaded.display_name, loaded.text.clone());
        let saved_origin = self.state.origin.clone();
        let saved_owner = self.state.owner.clone();
        if let Some(origin) = include_origin {
            self.state.origin = Some(origin);
        }
        self.frames.push(Frame {
            text: Some(loaded.text),
            source: included,
            position: 0,
            key: loaded.key,
            saved_origin,
            saved_owner,
        });
    }

    fn start_generate(
        &mut self,
        diagnostics: &mut Vec<Diagnostic>,
        text: &[u8],
        place: Place,
        directive_span: Span,
        args: &[Token],
    ) {
        let span_of = |t: &Token| {
            let (start, end) = t.outer();
            place.span(start, end)
        };
        let usage = "`$GENERATE start-stop[/step] lhs [ttl] [class] type rhs`";
        if args.len() < 4 || args.len() > 6 {
            let whole = args
                .last()
                .map_or(directive_span, |t| directive_span.cover(span_of(t)));
            self.error(
                diagnostics,
                &codes::PARSE_GENERATE,
                whole,
                format!("malformed `$GENERATE`: expected {usage}"),
                None,
            );
            return;
        }
        let (Some(range_token), Some(lhs_token), Some(rhs_token)) =
            (args.first(), args.get(1), args.last())
        else {
            return;
        };
        let range = match generate::parse_range(range_token.bytes(text)) {
            Ok(range) => range,
            Err(error) => {
                self.error(
                    diagnostics,
                    &codes::PARSE_GENERATE,
                    span_of(range_token),
                    error.message,
                    Some(usage),
                );
                return;
            }
        };
        let steps = range.steps();
        if steps > u64::from(self.options.max_generate_steps) {
            let limit = self.options.max_generate_steps;
            self.error(
                diagnostics,
                &codes::PARSE_GENERATE,
                span_of(range_token),
                format!("`$GENERATE` range has {steps} steps; the limit is {limit}"),
                Some("Split the range, or list the records explicitly"),
            );
            return;
        }
        if self.state.generated_total + steps > self.options.max_generated_total {
            let limit = self.options.max_generated_total;
            self.error(diagnostics, &codes::PARSE_LIMIT, span_of(range_token), format!("`$GENERATE` directives would produce more than {limit} records in this file; this one was not expanded"), None);
            return;
        }
        for token in [lhs_token, rhs_token] {
            if let Err(error) = generate::check_template(token.bytes(text), range) {
                let span = place.span(
                    token.start + error.offset as u32,
                    (token.start + (error.offset + error.len) as u32).min(token.outer().1),
                );
                self.error(
                    diagnostics,
                    &codes::PARSE_GENERATE,
                    span,
                    error.message,
                    None,
                );
                return;
            }
        }
        let middle_tokens = args.get(2..args.len() - 1).unwrap_or_default();
        let mut middle = Vec::new();
        for token in middle_tokens {
            middle.extend_from_slice(token.bytes(text));
            middle.push(b' ');
        }
        let type_span = middle_tokens.last().map_or(directive_span, span_of);
        self.state.generated_total += steps;
        self.generation = Some(Generation {
            range,
            next: 0,
            lhs: lhs_token.bytes(text).to_vec(),
            middle,
            rhs: rhs_token.bytes(text).to_vec(),
            source: place.source,
            directive_span: directive_span.cover(span_of(rhs_token)),
            lhs_span: span_of(lhs_token),
            type_span,
            rhs_span: span_of(rhs_token),
        });
    }

    /// Produces the next `$GENERATE` record (true), or ends the generation (false).
    fn next_generated(&mut self, diagnostics: &mut Vec<Diagnostic>) -> bool {
        let Some(generation) = self.generation.take() else {
            return false;
        };
        if generation.next >= generation.range.steps() {
            return false;
        }
        let value =
            u64::from(generation.range.start) + generation.next * u64::from(generation.range.step);
        let value = u32::try_from(value).unwrap_or(u32::MAX);
        let mut line = std::mem::take(&mut self.generated_text);
        line.clear();
        let expanded = generate::expand(&generation.lhs, value, &mut line).is_ok() && {
            line.push(b' ');
            line.extend_from_slice(&generation.middle);
            generate::expand(&generation.rhs, value, &mut line).is_ok()
        };
        let spans = GeneratedSpans {
            directive: generation.directive_span,
            lhs: generation.lhs_span,
            type_span: generation.type_span,
            rhs: generation.rhs_span,
        };
        let mut produced = false;
        if expanded {
            let mut scanner = Scanner::new(&line);
            let mut tokens = std::mem::take(&mut self.tokens);
            let entry =
                scanner.next_entry(&mut tokens, &mut self.entry_comments, &mut self.scan_errors);
            self.scan_errors.clear();
            if let Some(entry) = entry {
                let before = diagnostics.len();
                let saved_after = self.state.after_directive;
                produced = self.record(
                    diagnostics,
                    &line,
                    Place {
                        source: generation.source,
                        base: 0,
                    },
                    &tokens,
                    entry,
                    Some(&spans),
                );
                self.state.after_directive = saved_after;
                for diagnostic in diagnostics.iter_mut().skip(before) {
                    // Spans into the expanded text mean nothing to the user: point at the directive.
                    if diagnostic.primary.source == generation.source
                        && diagnostic.primary.end as usize <= line.len()
                        && !produced
                    {
                        diagnostic.primary = spans.directive;
                    }
                    diagnostic.message =
                        format!("{} (in `$GENERATE` step {value})", diagnostic.message);
                }
            }
            self.tokens = tokens;
        }
        self.generated_text = line;
        if produced {
            self.generation = Some(Generation {
                next: generation.next + 1,
                ..generation
            });
        }
        // A step that fails stops the directive: the same error would repeat for every step.
        produced
    }
}

/// Where a `$GENERATE` directive's parts are, for the records it produces.
struct GeneratedSpans {
    directive: Span,
    lhs: Span,
    type_span: Span,
    rhs: Span,
}

fn empty_header(source: SourceId) -> RecordHeader {
    let span = Span::new(source, 0, 0);
    RecordHeader::new(
        &RecordSpans {
            span,
            owner_span: span,
            ttl_span: None,
            class_span: None,
            type_span: span,
        },
        RecordFacts {
            owner_len: 0,
            rdata_len: 0,
            fields_len: 0,
            ttl: Ttl::default(),
            ttl_source: TtlSource::Explicit,
            class: Class::IN,
            rtype: RType::A,
        },
        &mut Vec::new(),
    )
}

/// The known directive closest to a misspelt one (one edit away, any case).
fn suggest_directive(name: &[u8]) -> Option<&'static str> {
    const KNOWN: [&str; 4] = ["$ORIGIN", "$TTL", "$INCLUDE", "$GENERATE"];
    let upper: Vec<u8> = name.to_ascii_uppercase();
    KNOWN
        .into_iter()
        .find(|known| edit_distance(known.as_bytes(), &upper) <= 2)
}

/// Levenshtein distance, for "did you mean" suggestions on short words.
#[must_use]
pub fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        if let Some(first) = current.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let deletion = previous.get(j + 1).copied().unwrap_or(0) + 1;
            let insertion = current.get(j).copied().unwrap_or(0) + 1;
            if let Some(slot) = current.get_mut(j + 1) {
                *slot = substitution.min(deletion).min(insertion);
            }
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
#[path = "parser_tests.rs"]
mod tests;
