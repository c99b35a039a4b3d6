//! Findings held packed while the rules run.
//!
//! A large zone's findings are hundreds of thousands of diagnostics, each a few hundred
//! bytes of text in four or five allocations: the 574k findings of the 1M-record bench
//! zone take 437 MiB as [`Diagnostic`]s. They are made while the index and the parsed
//! email records are alive, so held as they are they would add their whole size to the
//! lint's peak. Each rule instead encodes its findings as it reports them, into a byte
//! stream compressed block by block (LZ4), and [`lint`](crate::lint()) decodes them once
//! the index and the email records are freed.
//!
//! Before LZ4 sees them, the findings are made smaller the way they are alike: a rule's
//! findings say the same thing of different names, so each text is written as what it
//! shares with the text before it in the same place (the message after the last message,
//! the help after the last help: the octets they start and end with in common) and what
//! it has of its own between, and numbers take as many octets as they need (LEB128).
//! The 574k findings of the 1M-record bench zone took 240 MB encoded with their whole
//! texts and 34.5 MB compressed (LZ4 a third of what packing them cost); written so,
//! 86 MB and 26 MB.
//!
//! The encoding is private to this module and lives only as long as one lint: it is not
//! a file format, and [`Packed::unpack`] returns exactly the diagnostics
//! [`Collector::add`] was given, in the same order.

use crate::rules::Collector;
use std::cell::RefCell;
use zonelint_zone::{
    Applicability, Code, Diagnostic, Edit, Fix, Name, Related, Severity, SourceId, Span,
};

/// Encoded bytes gathered before a block is compressed: large enough for LZ4 to find the
/// repeats between findings, small enough that a block's buffer is no weight. A block
/// is this and one finding more; below 64 KiB, LZ4 hashes into its table of 16-bit
/// positions, half the size of the 32-bit one and quicker to clear.
const BLOCK_BYTES: usize = 60 * 1024;

/// The open buffer's room: a block and the (rarely larger) finding that fills it.
const BLOCK_ROOM: usize = 64 * 1024;

/// The parts of a finding that only some of its readers use, and so that decoding may
/// leave out: a report drawn for people shows neither, and on the 1M-record bench zone
/// they are 1.1 million allocations and 40 MB of the decoded findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Details {
    /// The owner name the finding is about ([`Diagnostic::owner`]); else `None`.
    pub owner: bool,
    /// A fix's edits ([`Fix::edits`]); else none. The fix itself, its message and its
    /// applicability are kept.
    pub edits: bool,
}

impl Details {
    /// Every part: the findings exactly as the rules reported them.
    pub const ALL: Self = Self {
        owner: true,
        edits: true,
    };

    /// Neither the owner nor a fix's edits.
    pub const NONE: Self = Self {
        owner: false,
        edits: false,
    };

    /// `diagnostic` as decoded with these details: the parts they leave out emptied.
    #[must_use]
    pub fn of(self, mut diagnostic: Diagnostic) -> Diagnostic {
        if !self.owner {
            diagnostic.owner = None;
        }
        if let Some(fix) = diagnostic.fix.as_mut().filter(|_| !self.edits) {
            fix.edits.clear();
        }
        diagnostic
    }
}

/// One rule's (or one record chunk's) findings, encoded and compressed.
#[derive(Default)]
pub struct Packed {
    /// The codes the findings carry; each finding stores its position here (a record
    /// chunk's findings come from several rules).
    codes: Vec<&'static Code>,
    /// The compressed blocks, in order.
    blocks: Vec<Block>,
    /// The encoded findings not yet compressed.
    open: Vec<u8>,
    /// How many findings in all.
    len: usize,
    /// How many of them are in `blocks`.
    sealed: usize,
    /// Whether a finding's fix writes U+FFFD (nearly never; see `lint::drop_lossy_fixes`).
    replacement_in_fix: bool,
    /// The texts the open block's next finding is written against (none before its first
    /// finding, and none once sealed: a pack's room for them is freed with its buffer).
    last: Option<Box<LastTexts>>,
}

/// The places a finding has text in, each written against the text last written there.
#[derive(Clone, Copy)]
enum Place {
    Message,
    Help,
    Related,
    FixMessage,
    Edit,
    Owner,
}

/// The last text of each [`Place`] in a block: what the next is written against. Both
/// the encoder and the decoder start each block with none, so that every block decodes
/// alone (on any core, in any order).
#[derive(Default)]
struct LastTexts {
    texts: [Vec<u8>; 6],
}

impl LastTexts {
    fn get(&self, place: Place) -> &[u8] {
        self.texts.get(place as usize).map_or(&[], Vec::as_slice)
    }

    fn set(&mut self, place: Place, text: &[u8]) {
        if let Some(last) = self.texts.get_mut(place as usize) {
            last.clear();
            last.extend_from_slice(text);
        }
    }

    fn clear(&mut self) {
        for text in &mut self.texts {
            text.clear();
        }
    }
}

/// One compressed block: whole findings only.
struct Block {
    compressed: Box<[u8]>,
    encoded_len: usize,
    /// How many findings it holds.
    findings: usize,
}

impl Collector for Packed {
    fn add(&mut self, diagnostic: Diagnostic) {
        self.push(&diagnostic);
    }
}

impl Packed {
    /// Nothing yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// How many findings it holds.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Encodes one finding.
    pub fn push(&mut self, diagnostic: &Diagnostic) {
        // A rule's findings all carry its one static code: the address settles it without
        // comparing the code's two strings, once a finding.
        let same = |&c: &&'static Code| std::ptr::eq(c, diagnostic.code) || c == diagnostic.code;
        let code = match self.codes.iter().position(same) {
            Some(position) => position,
            None => {
                self.codes.push(diagnostic.code);
                self.codes.len() - 1
            }
        };
        if self.open.capacity() == 0 {
            // Room for a block and the finding that fills it, made once for all of them.
            self.open.reserve_exact(BLOCK_ROOM);
        }
        let last = self.last.get_or_insert_with(Box::default);
        let mut out = Writer {
            out: &mut self.open,
            last,
        };
        out.number(code);
        out.byte(match diagnostic.severity {
            Severity::Info => 0,
            Severity::Warning => 1,
            Severity::Error => 2,
        });
        out.span(diagnostic.primary);
        out.text(Place::Message, diagnostic.message.as_bytes());
        out.option(diagnostic.help.as_deref(), |out, help| {
            out.text(Place::Help, help.as_bytes());
        });
        out.list(&diagnostic.related, |out, related| {
            out.span(related.span);
            out.text(Place::Related, related.message.as_bytes());
        });
        out.option(diagnostic.fix.as_ref(), |out, fix| {
            out.byte(match fix.applicability {
                Applicability::Safe => 0,
                Applicability::Unsafe => 1,
            });
            out.text(Place::FixMessage, fix.message.as_bytes());
            out.list(&fix.edits, |out, edit| {
                out.span(edit.span);
                out.text(Place::Edit, edit.content.as_bytes());
            });
        });
        out.option(diagnostic.owner.as_ref(), |out, owner| {
            out.text(Place::Owner, owner.as_wire());
        });
        self.replacement_in_fix |= diagnostic.fix.as_ref().is_some_and(|fix| {
            fix.edits
                .iter()
                .any(|edit| edit.content.contains('\u{fffd}'))
        });
        self.len += 1;
        if self.open.len() >= BLOCK_BYTES {
            // The buffer keeps its room for the next block: grown again from nothing,
            // each block's buffer was copied at every doubling, into fresh memory.
            self.compress_open();
        }
    }

    /// Compresses what is not yet compressed and frees the buffer: called once the
    /// findings are complete, so that nothing stays uncompressed, and no buffer's room
    /// stays, while the other rules run.
    pub fn seal(&mut self) {
        self.compress_open();
        self.open = Vec::new();
        self.last = None;
    }

    /// Compresses the open buffer into a block and empties it.
    fn compress_open(&mut self) {
        if self.open.is_empty() {
            return;
        }
        self.blocks.push(Block {
            compressed: compress(&self.open),
            encoded_len: self.open.len(),
            findings: self.len - self.sealed,
        });
        self.sealed = self.len;
        self.open.clear();
        // The next block starts afresh, as its decoder will.
        if let Some(last) = &mut self.last {
            last.clear();
        }
    }

    /// The findings of `packs`, pack after pack, each's in the order they were added:
    /// [`Self::unpack`] of each, joined, with the `details` asked for (the edits of a
    /// pack's fixes are kept whatever is asked when one of them writes U+FFFD, so that
    /// such a fix can still be told apart). The blocks are decoded on every core, each
    /// straight into its place in the one list (a large zone's findings are mostly one
    /// rule's pack, and lists per pack would be held beside the joined one).
    #[must_use]
    pub fn unpack_all(packs: &[Packed], details: Details) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        let total: usize = packs.iter().map(|pack| pack.len).sum();
        let placeholder = Diagnostic::new(
            &Code { code: "", slug: "" },
            Severity::Info,
            Span::default(),
            String::new(),
        );
        // Made on every core: half a million of them on a large zone.
        let mut out: Vec<Diagnostic> = rayon::iter::repeat_n(placeholder, total).collect();
        // Each block's findings and then the open ones', in order: the slots they fill.
        let mut tasks: Vec<(&[&'static Code], Details, Pending<'_>, &mut [Diagnostic])> =
            Vec::new();
        let mut rest: &mut [Diagnostic] = &mut out;
        let mut complete = true;
        for pack in packs {
            let details = Details {
                edits: details.edits || pack.replacement_in_fix,
                ..details
            };
            let pieces = pack
                .blocks
                .iter()
                .map(|block| (Pending::Block(block), block.findings))
                .chain(std::iter::once((
                    Pending::Open(&pack.open),
                    pack.len.saturating_sub(pack.sealed),
                )));
            for (pending, findings) in pieces {
                let Some((slots, after)) = std::mem::take(&mut rest).split_at_mut_checked(findings)
                else {
                    complete = false;
                    break;
                };
                tasks.push((&pack.codes, details, pending, slots));
                rest = after;
            }
        }
        let decoded_all = tasks
            .into_par_iter()
            // One buffer for the blocks a task decompresses: one per block, they were
            // the size of all the encoded findings in fresh memory (244 MB on the
            // 1M-record bench zone), each page zeroed by the kernel first.
            .map_init(Vec::new, |buffer, (codes, details, pending, slots)| {
                pending.decode_into(codes, details, slots, buffer)
            })
            .reduce(|| true, |a, b| a && b);
        if !(complete && decoded_all) {
            // Never expected (the counts are kept as findings are added); what did not
            // decode is left out rather than shown as placeholders.
            debug_assert!(false, "packed findings lost on the way");
            out.retain(|d| !d.code.code.is_empty());
        }
        out
    }

    /// The findings, decoded in the order they were added.
    #[must_use]
    pub fn unpack(self) -> Vec<Diagnostic> {
        Self::unpack_all(std::slice::from_ref(&self), Details::ALL)
    }

    /// Whether a finding's fix writes U+FFFD.
    #[must_use]
    pub fn replacement_in_fix(&self) -> bool {
        self.replacement_in_fix
    }
}

/// One thread's room for compressing: LZ4's output at its largest and its hash table,
/// used block after block (made for each block, they were an allocation of the block's
/// size and a copy of the output into one of its own size, every time).
#[derive(Default)]
struct Scratch {
    out: Vec<u8>,
    table: lz4_flex::block::CompressTable,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// `encoded`, compressed (LZ4 block format) into an allocation of its own size.
fn compress(encoded: &[u8]) -> Box<[u8]> {
    let reused = SCRATCH.with(|scratch| {
        // Never borrowed twice (nothing compresses while compressing); if it were, the
        // plain call below does the same work.
        let mut scratch = scratch.try_borrow_mut().ok()?;
        let Scratch { out, table } = &mut *scratch;
        let room = lz4_flex::block::get_maximum_output_size(encoded.len());
        if out.len() < room {
            out.resize(room, 0);
        }
        let written = lz4_flex::block::compress_into_with_table(encoded, out, table).ok()?;
        out.get(..written).map(Box::from)
    });
    reused.unwrap_or_else(|| lz4_flex::block::compress(encoded).into_boxed_slice())
}

/// Encoded findings waiting to be decoded: a compressed block or the open buffer.
enum Pending<'p> {
    Block(&'p Block),
    Open(&'p [u8]),
}

impl Pending<'_> {
    /// Decodes the findings into `slots` with `details`, exactly as many as there are (a
    /// block is decompressed into `buffer`); whether all decoded.
    fn decode_into(
        &self,
        codes: &[&'static Code],
        details: Details,
        slots: &mut [Diagnostic],
        buffer: &mut Vec<u8>,
    ) -> bool {
        let bytes: &[u8] = match self {
            Pending::Open(bytes) => bytes,
            Pending::Block(block) => {
                if buffer.len() < block.encoded_len {
                    buffer.resize(block.encoded_len, 0);
                }
                let Some(room) = buffer.get_mut(..block.encoded_len) else {
                    return false;
                };
                let Ok(written) = lz4_flex::block::decompress_into(&block.compressed, room) else {
                    return false;
                };
                buffer.get(..written).unwrap_or_default()
            }
        };
        let mut reader = Reader {
            bytes,
            at: 0,
            last_owner: Vec::new(),
            last_strings: Default::default(),
        };
        for slot in slots.iter_mut() {
            match reader.diagnostic(codes, details) {
                Some(diagnostic) => *slot = diagnostic,
                None => return false,
            }
        }
        reader.at == bytes.len()
    }
}

/// Writes one finding into the open block: see the module's documentation.
struct Writer<'w> {
    out: &'w mut Vec<u8>,
    last: &'w mut LastTexts,
}

impl Writer<'_> {
    fn byte(&mut self, byte: u8) {
        self.out.push(byte);
    }

    /// `value` in LEB128: seven bits an octet, the high bit set on all but the last.
    fn number(&mut self, value: usize) {
        let mut value = value;
        while value >= 0x80 {
            self.out.push((value & 0x7f) as u8 | 0x80);
            value >>= 7;
        }
        self.out.push(value as u8);
    }

    fn span(&mut self, span: Span) {
        self.number(span.source.0 as usize);
        self.number(span.start as usize);
        // The length, not the end: a few octets, not four.
        self.number(span.end.wrapping_sub(span.start) as usize);
    }

    /// `text` as the octets it starts and ends with in common with the last text of
    /// `place` (their counts) and the octets between (their count, then them).
    fn text(&mut self, place: Place, text: &[u8]) {
        let last = self.last.get(place);
        let head = common_prefix(last, text);
        let tail = common_suffix(
            last.get(head..).unwrap_or_default(),
            text.get(head..).unwrap_or_default(),
        );
        let own = text.get(head..text.len() - tail).unwrap_or_default();
        self.number(head);
        self.number(tail);
        self.number(own.len());
        self.out.extend_from_slice(own);
        self.last.set(place, text);
    }

    fn option<T>(&mut self, value: Option<T>, write: impl FnOnce(&mut Self, T)) {
        match value {
            Some(value) => {
                self.byte(1);
                write(self, value);
            }
            None => self.byte(0),
        }
    }

    fn list<T>(&mut self, items: &[T], mut write: impl FnMut(&mut Self, &T)) {
        self.number(items.len());
        for item in items {
            write(self, item);
        }
    }
}

/// Sixteen octets of `octets` from `at` as one word (little-endian; `from_be` for
/// big-endian); `None` past the end.
fn word_at(octets: &[u8], at: usize, from: fn([u8; 16]) -> u128) -> Option<u128> {
    let chunk = octets.get(at..at.checked_add(16)?)?;
    <[u8; 16]>::try_from(chunk).ok().map(from)
}

/// How many octets `a` and `b` start with in common. Compared sixteen at a time as
/// words: the first octet that differs is the lowest set bit of the words' difference
/// ([`shared_run`]).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let differs = |at: usize| -> Option<u32> {
        let diff = word_at(a, at, u128::from_le_bytes)? ^ word_at(b, at, u128::from_le_bytes)?;
        Some(diff.trailing_zeros() / 8)
    };
    shared_run(a.len().min(b.len()), differs, || {
        a.iter().zip(b).take_while(|(x, y)| x == y).count()
    })
}

/// How many octets `a` and `b` end with in common: [`common_prefix`] from the end, the
/// words read big-endian so that the last octet is the lowest.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    // The sixteen octets that end `back` octets before each text's end.
    let differs = |back: usize| -> Option<u32> {
        let word = |octets: &[u8]| {
            let at = octets.len().checked_sub(back.checked_add(16)?)?;
            word_at(octets, at, u128::from_be_bytes)
        };
        Some((word(a)? ^ word(b)?).trailing_zeros() / 8)
    };
    shared_run(a.len().min(b.len()), differs, || {
        a.iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count()
    })
}

/// How many octets two texts share from one end, where the shorter has `n`:
/// `differs(at)` compares the sixteen octets `at` octets from that end of each and says
/// how many of them, from that side, are equal (16 for all). The last part shorter than
/// sixteen is compared as the sixteen octets that end the shorter text (those before
/// it are known equal), so only texts shorter than sixteen octets are compared an octet
/// at a time, by `walk`. (The texts share most of their octets: an octet loop for the
/// last part took a fifth of the encoder's instructions.) Inlined into both, as the
/// two loops it replaces were: called, it cost the encoder 2.7 % more instructions.
#[inline(always)]
fn shared_run(
    n: usize,
    differs: impl Fn(usize) -> Option<u32>,
    walk: impl FnOnce() -> usize,
) -> usize {
    let mut at = 0;
    while at + 16 <= n {
        match differs(at) {
            Some(equal) if equal < 16 => return at + equal as usize,
            Some(_) => at += 16,
            None => break,
        }
    }
    if at == n {
        return n;
    }
    if n >= 16 {
        let from = n - 16;
        return differs(from).map_or(n, |equal| (from + equal as usize).min(n));
    }
    walk()
}

/// Where the tail a text shares with `last` (of `last_len` octets) starts in it. The
/// shared ends never overlap in the last text (the writer takes the tail from what
/// follows the head); `None` when the counts say otherwise.
fn shared_tail_start(last_len: usize, head: usize, tail: usize) -> Option<usize> {
    last_len.checked_sub(tail).filter(|&at| at >= head)
}

/// A text as [`Writer::text`] split it: the first `head` octets of `last`, `own`, and
/// `last` from `tail_start`.
fn rejoin(last: &[u8], head: usize, own: &[u8], tail_start: usize) -> Option<Vec<u8>> {
    let (start, end) = (last.get(..head)?, last.get(tail_start..)?);
    let mut text = Vec::with_capacity(start.len() + own.len() + end.len());
    text.extend_from_slice(start);
    text.extend_from_slice(own);
    text.extend_from_slice(end);
    Some(text)
}

/// Reads what [`Packed::push`] wrote; `None` past the end or on a byte it never writes.
struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
    /// The last owner read in the block (a name's wire form).
    last_owner: Vec<u8>,
    /// The last text read in each other place of the block.
    last_strings: [String; 6],
}

impl<'b> Reader<'b> {
    fn take(&mut self, len: usize) -> Option<&[u8]> {
        let taken = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(taken)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1)?.first().copied()
    }

    /// What [`Writer::number`] wrote (at most 64 bits of it).
    fn count(&mut self) -> Option<usize> {
        let mut value = 0usize;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= usize::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.count()?).ok()
    }

    fn span(&mut self) -> Option<Span> {
        let source = SourceId(self.u32()?);
        let start = self.u32()?;
        let end = start.wrapping_add(self.u32()?);
        Some(Span::new(source, start, end))
    }

    /// The parts of what [`Writer::text`] wrote: how many octets it starts and ends
    /// with in common with the last text of its place, and the octets between.
    fn parts(&mut self) -> Option<(usize, usize, &'b [u8])> {
        let head = self.count()?;
        let tail = self.count()?;
        let len = self.count()?;
        let bytes = self.bytes;
        let own = bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some((head, tail, own))
    }

    /// The owner [`Writer::text`] wrote, as octets.
    fn owner(&mut self) -> Option<Vec<u8>> {
        let (head, tail, own) = self.parts()?;
        let last = &self.last_owner;
        let text = rejoin(last, head, own, shared_tail_start(last.len(), head, tail)?)?;
        self.last_owner.clone_from(&text);
        Some(text)
    }

    /// What [`Writer::text`] wrote in `place` from a `String`.
    ///
    /// The ends it shares with the last string of its place are slices of a string, so
    /// only its own octets are checked to be UTF-8: usually a few of them (joined and
    /// checked whole, with a copy more, the texts cost a seventh more instructions to
    /// decode the findings). When a shared end is cut within a character, the octets
    /// are joined and checked whole.
    fn string(&mut self, place: Place) -> Option<String> {
        let (head, tail, own) = self.parts()?;
        let last = self.last_strings.get(place as usize)?;
        let tail_start = shared_tail_start(last.len(), head, tail)?;
        let text = match (
            last.get(..head),
            std::str::from_utf8(own),
            last.get(tail_start..),
        ) {
            (Some(start), Ok(own), Some(end)) => {
                let mut text = String::with_capacity(start.len() + own.len() + end.len());
                text.push_str(start);
                text.push_str(own);
                text.push_str(end);
                text
            }
            // Written from a `String`, so UTF-8 unless the encoding has a bug.
            _ => String::from_utf8(rejoin(last.as_bytes(), head, own, tail_start)?).ok()?,
        };
        let last = self.last_strings.get_mut(place as usize)?;
        last.clear();
        last.push_str(&text);
        Some(text)
    }

    /// What `put_option` wrote: `Some(None)` for an absent value.
    fn option<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    /// What `put_list` wrote (the room reserved is bounded by the bytes left, whatever
    /// the count says).
    fn list<T>(&mut self, mut read: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let count = self.count()?;
        let mut items = Vec::with_capacity(count.min(self.bytes.len()));
        for _ in 0..count {
            items.push(read(self)?);
        }
        Some(items)
    }

    /// The next finding, with `details`.
    fn diagnostic(&mut self, codes: &[&'static Code], details: Details) -> Option<Diagnostic> {
        let code = *codes.get(self.count()?)?;
        let severity = match self.byte()? {
            0 => Severity::Info,
            1 => Severity::Warning,
            2 => Severity::Error,
            _ => return None,
        };
        let primary = self.span()?;
        let message = self.string(Place::Message)?;
        let help = self.option(|reader| reader.string(Place::Help))?;
        let related = self.list(|reader| {
            Some(Related {
                span: reader.span()?,
                message: reader.string(Place::Related)?,
            })
        })?;
        let fix = self.option(|reader| {
            let applicability = match reader.byte()? {
                0 => Applicability::Safe,
                1 => Applicability::Unsafe,
                _ => return None,
            };
            Some(Box::new(Fix {
                applicability,
                message: reader.string(Place::FixMessage)?,
                edits: if details.edits {
                    reader.list(|reader| {
                        Some(Edit {
                            span: reader.span()?,
                            content: reader.string(Place::Edit)?,
                        })
                    })?
                } else {
                    // Passed over: a pack's edits are all left out or none are, so the
                    // next one decoded is never written against these.
                    for _ in 0..reader.count()? {
                        reader.span()?;
                        reader.parts()?;
                    }
                    Vec::new()
                },
            }))
        })?;
        let owner = if details.owner {
            self.option(|reader| Name::from_wire(&reader.owner()?))?
        } else {
            // Passed over, as the edits are.
            self.option(|reader| reader.parts().map(|_| ()))?;
            None
        };
        Some(Diagnostic {
            code,
            severity,
            message,
            help,
            primary,
            related,
            fix,
            owner,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPF: Code = Code {
        code: "SPF001",
        slug: "spf-plus-all",
    };
    const COV: Code = Code {
        code: "COV001",
        slug: "cov-spf-missing",
    };

    fn span(source: u32, start: u32, end: u32) -> Span {
        Span::new(SourceId(source), start, end)
    }

    /// The shared start and end of two texts are counted as an octet-by-octet walk counts
    /// them, for every length up to past two words and a difference at every place
    /// (before, inside and after each word, and in the last part compared as a window).
    #[test]
    fn shared_ends_are_counted_as_octet_by_octet() {
        let walk_prefix = |a: &[u8], b: &[u8]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
        let walk_suffix = |a: &[u8], b: &[u8]| {
            a.iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|(x, y)| x == y)
                .count()
        };
        let base: Vec<u8> = (0..40u8).map(|i| b'a' + i % 26).collect();
        for len_a in 0..=base.len() {
            for len_b in [
                0,
                1,
                15,
                16,
                17,
                31,
                32,
                33,
                len_a.saturating_sub(1),
                len_a,
                len_a + 1,
            ] {
                let Some(b_full) = base.get(..len_b) else {
                    continue;
                };
                let a = base.get(..len_a).unwrap_or_default();
                // b as a prefix of a (or a of b), and with one octet changed at each place.
                let mut cases = vec![b_full.to_vec()];
                for at in 0..len_b {
                    let mut changed = b_full.to_vec();
                    changed[at] = b'#';
                    cases.push(changed);
                }
                for b in &cases {
                    assert_eq!(common_prefix(a, b), walk_prefix(a, b), "prefix {a:?} {b:?}");
                    assert_eq!(common_prefix(b, a), walk_prefix(b, a), "prefix {b:?} {a:?}");
                    // Aligned at the ends: the suffix of `a` against `b` taken from its end.
                    let a_end = base.get(base.len() - len_a..).unwrap_or_default();
                    let mut b_end = base
                        .get(base.len() - b.len()..)
                        .unwrap_or_default()
                        .to_vec();
                    if let Some(at) = b.iter().position(|&x| x == b'#') {
                        b_end[at] = b'#';
                    }
                    assert_eq!(
                        common_suffix(a_end, &b_end),
                        walk_suffix(a_end, &b_end),
                        "suffix {a_end:?} {b_end:?}"
                    );
                    assert_eq!(
                        common_suffix(&b_end, a_end),
                        walk_suffix(&b_end, a_end),
                        "suffix {b_end:?} {a_end:?}"
                    );
                }
            }
        }
    }

    /// Findings with every field set and unset in turn, text that is not ASCII, and
    /// several codes in one stream.
    fn findings(count: usize) -> Vec<Diagnostic> {
        (0..count)
            .map(|i| {
                let n = u32::try_from(i).unwrap_or(u32::MAX);
                let mut diagnostic = Diagnostic::new(
                    if i % 3 == 0 { &SPF } else { &COV },
                    match i % 3 {
                        0 => Severity::Error,
                        1 => Severity::Warning,
                        _ => Severity::Info,
                    },
                    span(n % 2, n, n + 7),
                    format!("host{i}.example.net. exists but publishes no SPF record ≠ {i}"),
                );
                if i % 2 == 0 {
                    diagnostic = diagnostic.with_help(format!("Add `host{i} TXT \"v=spf1 -all\"`"));
                }
                for r in 0..i % 4 {
                    diagnostic =
                        diagnostic.with_related(span(1, n + 1, n + 2), format!("related {r}"));
                }
                if i % 5 != 1 {
                    diagnostic = diagnostic.with_fix(Fix {
                        applicability: if i % 2 == 0 {
                            Applicability::Safe
                        } else {
                            Applicability::Unsafe
                        },
                        message: format!("Add a record for host{i}"),
                        edits: (0..i % 3)
                            .map(|e| Edit {
                                span: span(0, n + 9, n + 9),
                                content: format!("host{i}\tTXT\t\"v=spf1 -all\" ; {e}\n"),
                            })
                            .collect(),
                    });
                }
                if i % 7 != 3 {
                    if let Ok(owner) = Name::from_ascii(&format!("host{i}.example.net.")) {
                        diagnostic = diagnostic.with_owner(owner);
                    }
                }
                diagnostic
            })
            .collect()
    }

    fn round_trip(found: &[Diagnostic]) -> Vec<Diagnostic> {
        let mut packed = Packed::new();
        for diagnostic in found {
            packed.add(diagnostic.clone());
        }
        assert_eq!(packed.len(), found.len());
        packed.seal();
        packed.unpack()
    }

    /// Several packs, with sealed blocks, findings still open and no findings at all,
    /// come back as one list in their order.
    #[test]
    fn packs_unpacked_together_come_back_in_order() {
        let all = findings(9_000);
        let sizes = [4_000, 0, 1, 3_999, 1_000];
        let mut packs = Vec::new();
        let mut at = 0;
        for (index, size) in sizes.into_iter().enumerate() {
            let mut packed = Packed::new();
            for diagnostic in &all[at..at + size] {
                packed.add(diagnostic.clone());
            }
            // Some packs keep their last findings open, as a rule's do until sealed.
            if index % 2 == 0 {
                packed.seal();
            }
            packs.push(packed);
            at += size;
        }
        assert!(packs[0].blocks.len() > 1 && !packs[3].open.is_empty());
        assert_eq!(Packed::unpack_all(&packs, Details::ALL), all);
        assert_eq!(
            Packed::unpack_all(&[], Details::ALL),
            Vec::<Diagnostic>::new()
        );
    }

    /// Each of `all` as decoded with `details`.
    fn without(all: &[Diagnostic], details: Details) -> Vec<Diagnostic> {
        all.iter().cloned().map(|d| details.of(d)).collect()
    }

    /// Findings decoded without their owners or their fixes' edits, or both, are the
    /// findings with those parts empty and every other part whole.
    #[test]
    fn details_left_out_leave_the_rest_whole() {
        let all = findings(9_000);
        let mut packed = Packed::new();
        for diagnostic in &all {
            packed.add(diagnostic.clone());
        }
        packed.seal();
        assert!(packed.blocks.len() > 1);
        let packs = [packed];
        for owner in [false, true] {
            for edits in [false, true] {
                let details = Details { owner, edits };
                let decoded = Packed::unpack_all(&packs, details);
                assert_eq!(decoded, without(&all, details), "{details:?}");
                assert_eq!(
                    decoded.iter().any(|d| d.owner.is_some()),
                    owner,
                    "{details:?}"
                );
                assert_eq!(
                    decoded
                        .iter()
                        .filter_map(|d| d.fix.as_ref())
                        .any(|fix| !fix.edits.is_empty()),
                    edits,
                    "{details:?}"
                );
            }
        }
    }

    /// A pack whose fixes write U+FFFD keeps their edits whatever is asked (the lint
    /// drops such a fix for a source that is not UTF-8, and must see it to), and the
    /// packs beside it leave theirs out.
    #[test]
    fn edits_writing_a_replacement_character_are_kept() {
        let mut lossy = findings(10);
        for d in &mut lossy {
            if let Some(edit) = d.fix.as_mut().and_then(|fix| fix.edits.first_mut()) {
                edit.content.push('\u{fffd}');
            }
        }
        let plain = findings(10);
        let mut packs = [Packed::new(), Packed::new()];
        for d in &lossy {
            packs[0].add(d.clone());
        }
        for d in &plain {
            packs[1].add(d.clone());
        }
        assert!(packs[0].replacement_in_fix() && !packs[1].replacement_in_fix());
        let details = Details::NONE;
        let mut expected = without(
            &lossy,
            Details {
                edits: true,
                ..details
            },
        );
        expected.extend(without(&plain, details));
        assert_eq!(Packed::unpack_all(&packs, details), expected);
    }

    /// Texts that share their start or end with the last one in their place, by part of
    /// a character too (`é` and `è` share their first octet), or that are all of it or
    /// none of it, come back whole.
    #[test]
    fn texts_alike_in_part_come_back_whole() {
        let texts = [
            "", "é", "è", "aé", "aè", "aéa", "a", "aa", "aaa", "aa", "xaay", "xy", "xaaay",
            "xaaay", "abcab", "ab", "ab", "b", "",
        ];
        let found: Vec<Diagnostic> = texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let n = u32::try_from(i).unwrap_or(u32::MAX);
                Diagnostic::new(&COV, Severity::Warning, span(0, n, n), (*text).to_owned())
                    .with_help(format!("{text}{text}"))
                    .with_related(span(0, 0, n), texts[texts.len() - 1 - i].to_owned())
                    .with_fix(Fix {
                        applicability: Applicability::Safe,
                        message: (*text).to_owned(),
                        edits: vec![
                            Edit {
                                span: span(0, n, n),
                                content: (*text).to_owned(),
                            },
                            Edit {
                                span: span(0, n, n),
                                content: format!("{text}\n"),
                            },
                        ],
                    })
            })
            .collect();
        assert_eq!(round_trip(&found), found);
    }

    /// A rule's findings say the same of different names: each takes the room of what
    /// it has of its own, not of its whole text.
    #[test]
    fn alike_findings_take_the_room_of_their_differences() {
        let message = |i: usize| {
            format!("host{i}.example.net. exists but publishes no SPF record, so receivers cannot tell that mail from it is forged")
        };
        let mut packed = Packed::new();
        for i in 0..100 {
            let diagnostic = Diagnostic::new(&COV, Severity::Error, span(0, 0, 3), message(i));
            packed.push(&diagnostic);
        }
        let whole: usize = (0..100).map(|i| message(i).len()).sum();
        assert!(packed.blocks.is_empty());
        assert!(
            packed.open.len() * 4 < whole,
            "{} of {whole}",
            packed.open.len()
        );
        let unpacked = packed.unpack();
        assert_eq!(unpacked.len(), 100);
        assert!(unpacked
            .iter()
            .enumerate()
            .all(|(i, d)| d.message == message(i)));
    }

    #[test]
    fn findings_come_back_as_they_went_in() {
        let found = findings(200);
        assert_eq!(round_trip(&found), found);
    }

    #[test]
    fn findings_across_many_blocks_come_back_in_order() {
        // Several thousand findings fill several blocks; the last ones stay unsealed
        // when `seal` is not called.
        let found = findings(5000);
        let mut packed = Packed::new();
        for diagnostic in &found {
            packed.push(diagnostic);
        }
        assert!(packed.blocks.len() > 3, "{} blocks", packed.blocks.len());
        assert!(!packed.open.is_empty());
        assert_eq!(packed.unpack(), found);
        assert_eq!(round_trip(&found), found);
    }

    proptest::proptest! {
        #[test]
        fn any_text_and_spans_come_back_unchanged(
            texts in proptest::collection::vec(".*", 1..40),
            numbers in proptest::collection::vec(proptest::num::u32::ANY, 1..40),
        ) {
            let found: Vec<Diagnostic> = texts
                .iter()
                .zip(numbers.iter().cycle())
                .map(|(text, &n)| {
                    let at = span(n, n, n.wrapping_mul(3));
                    Diagnostic::new(&COV, Severity::Warning, at, text.clone())
                        .with_help(text.repeat(2))
                        .with_related(at, text.clone())
                        .with_fix(Fix {
                            applicability: Applicability::Unsafe,
                            message: text.clone(),
                            edits: vec![Edit { span: at, content: text.clone() }],
                        })
                })
                .collect();
            proptest::prop_assert_eq!(round_trip(&found), found);
        }
    }

    /// A finding larger than a block (past LZ4's 16-bit table too) between ordinary
    /// ones: the open buffer keeps its room from block to block and is freed by `seal`,
    /// and one decompression buffer serves blocks larger and smaller than the last.
    #[test]
    fn blocks_of_any_size_share_their_buffers() {
        let mut found = findings(8_000);
        let huge = "v=spf1 include:_spf.example.net ".repeat(4_000);
        found.insert(
            4_000,
            Diagnostic::new(&SPF, Severity::Error, span(0, 1, 2), huge),
        );
        let mut packed = Packed::new();
        for diagnostic in &found[..3_000] {
            packed.push(diagnostic);
        }
        assert!(packed.blocks.len() > 1);
        assert_eq!(packed.open.capacity(), BLOCK_ROOM);
        for diagnostic in &found[3_000..] {
            packed.push(diagnostic);
        }
        packed.seal();
        assert_eq!(packed.open.capacity(), 0);
        let largest = packed.blocks.iter().map(|b| b.encoded_len).max();
        assert!(largest > Some(usize::from(u16::MAX)), "{largest:?}");

        // Every block through one buffer, largest first: each comes back whole.
        let mut order: Vec<&Block> = packed.blocks.iter().collect();
        order.sort_by_key(|block| std::cmp::Reverse(block.encoded_len));
        let mut buffer = Vec::new();
        let mut decoded = 0;
        for block in order {
            let mut slots = vec![
                Diagnostic::new(&COV, Severity::Info, span(0, 0, 0), String::new());
                block.findings
            ];
            assert!(Pending::Block(block).decode_into(
                &packed.codes,
                Details::ALL,
                &mut slots,
                &mut buffer
            ));
            decoded += slots.len();
        }
        assert_eq!(decoded, found.len());
        assert_eq!(packed.unpack(), found);
    }

    #[test]
    fn no_findings_pack_to_nothing() {
        let mut packed = Packed::new();
        packed.seal();
        assert!(packed.is_empty());
        assert!(packed.blocks.is_empty());
        assert_eq!(packed.unpack(), Vec::new());
    }

    #[test]
    fn repetitive_findings_take_a_fraction_of_their_encoded_size() {
        let mut packed = Packed::new();
        for diagnostic in &findings(5000) {
            packed.push(diagnostic);
        }
        packed.seal();
        let encoded: usize = packed.blocks.iter().map(|b| b.encoded_len).sum();
        let compressed: usize = packed.blocks.iter().map(|b| b.compressed.len()).sum();
        assert!(compressed * 3 < encoded, "{compressed} of {encoded} bytes");
    }
}
