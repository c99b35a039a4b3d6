//! Sources (files) and the mapping from byte offsets to lines and columns.
//!
//! The core does no I/O: callers hand it bytes, and `$INCLUDE`d files arrive through the
//! [`Loader`](crate::include::Loader). Every text the parser read is kept here so that
//! renderers can show snippets and later layers can map spans back to bytes.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// A file's bytes, shared between the parser's threads, the [`SourceMap`] and the caller
/// without copies: held as the caller's `Arc<[u8]>`, or as the `Vec` it was read into.
/// (`Arc::<[u8]>::from` a `Vec` copies it, and safe code cannot read a file into an
/// `Arc<[u8]>` without first writing every byte of it: on a large zone, 87 MB written on
/// one core before the parse can start.)
#[derive(Clone, Debug)]
pub struct SharedBytes(Shared);

#[derive(Clone, Debug)]
enum Shared {
    Slice(Arc<[u8]>),
    Vec(Arc<Vec<u8>>),
}

impl Deref for SharedBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            Shared::Slice(slice) => slice,
            Shared::Vec(vec) => vec,
        }
    }
}

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl From<Arc<[u8]>> for SharedBytes {
    fn from(slice: Arc<[u8]>) -> Self {
        Self(Shared::Slice(slice))
    }
}

impl From<Vec<u8>> for SharedBytes {
    /// Shares the `Vec` itself: no copy.
    fn from(vec: Vec<u8>) -> Self {
        Self(Shared::Vec(Arc::new(vec)))
    }
}

impl From<&[u8]> for SharedBytes {
    fn from(bytes: &[u8]) -> Self {
        Self(Shared::Slice(Arc::from(bytes)))
    }
}

/// Identifies one source in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SourceId(pub u32);

/// One file's name and bytes, with its line index built on first use.
#[derive(Debug)]
pub struct Source {
    name: String,
    text: SharedBytes,
    lines: OnceLock<LineIndex>,
    /// Whether the text is valid UTF-8, read on first asking ([`Source::is_utf8`]).
    utf8: OnceLock<bool>,
    /// The file was read as a stream ([`crate::Parser::streaming`]): its line starts
    /// are kept, not its text.
    streamed: bool,
}

/// Where each line starts, and for each block of [`BLOCK_SHIFT`] bits of offsets the
/// line its first byte is on: a lookup searches only the lines of its block, not the
/// whole list (a report on a large zone looks up millions of offsets, and the binary
/// search over a list of millions was a tenth of drawing it).
#[derive(Debug)]
struct LineIndex {
    starts: Vec<u32>,
    blocks: Vec<u32>,
}

/// The starts of the lines that begin after a line end in `text[from..to]` (each plus
/// `base`, the offset of `text` in its file). Lines end at LF and at a bare CR (one not
/// followed by LF), as the scanner, BIND and dnspython read them; a CRLF is one line end.
/// Whether a byte ends a line depends on it and the next, read past `to` if need be, so
/// a text may be cut anywhere: the line index cuts it in parts for the rayon pool, and a
/// stream lets it go a piece at a time.
pub(crate) fn line_starts_after(
    text: &[u8],
    from: usize,
    to: usize,
    base: u32,
) -> impl Iterator<Item = u32> + '_ {
    let to = to.min(text.len());
    memchr::memchr2_iter(b'\n', b'\r', text.get(from..to).unwrap_or_default())
        .map(move |i| from + i)
        .filter(|&i| text.get(i) == Some(&b'\n') || text.get(i + 1) != Some(&b'\n'))
        .map(move |i| base.wrapping_add(i as u32 + 1))
}

/// Offsets per block of [`LineIndex::blocks`]: 4 KiB (85 KB of blocks for an 87 MB file).
const BLOCK_SHIFT: u32 = 12;

/// Bytes per parallel task of [`Source::index_lines`]; a smaller text is read on one
/// thread.
const LINES_PER_TASK_BYTES: usize = 4 << 20;

impl LineIndex {
    /// The index, built on this thread: [`Source::line_index`] builds it inside a
    /// `OnceLock`, where a rayon task must not wait (see [`Source::index_lines`]).
    fn new(text: &[u8]) -> Self {
        Self::in_parts(text, usize::MAX)
    }

    /// [`Self::new`], the line ends of each `part` bytes found on the rayon pool.
    fn in_parts(text: &[u8], part: usize) -> Self {
        use rayon::prelude::*;
        let part = part.max(1);
        let ends_in = |from: usize| line_starts_after(text, from, from.saturating_add(part), 0);
        let mut starts = vec![0];
        if text.len() > part {
            let parts: Vec<Vec<u32>> = (0..text.len().div_ceil(part))
                .into_par_iter()
                .map(|index| ends_in(index * part).collect())
                .collect();
            starts.reserve(parts.iter().map(Vec::len).sum());
            for ends in parts {
                starts.extend(ends);
            }
        } else {
            starts.extend(ends_in(0));
        }
        Self::with_blocks(starts, text.len())
    }

    /// The index of a text of `len` bytes whose lines start at `starts`.
    fn with_blocks(starts: Vec<u32>, len: usize) -> Self {
        let block_count = (len >> BLOCK_SHIFT) + 1;
        let mut blocks = Vec::with_capacity(block_count);
        let mut line = 0usize;
        for block in 0..block_count {
            let first = (block << BLOCK_SHIFT) as u64;
            while starts
                .get(line + 1)
                .is_some_and(|&next| u64::from(next) <= first)
            {
                line += 1;
            }
            blocks.push(line as u32);
        }
        Self { starts, blocks }
    }

    /// The 0-based line of `offset`: the last line starting at or before it.
    fn line_of(&self, offset: u32) -> usize {
        let block = (offset >> BLOCK_SHIFT) as usize;
        let (Some(&low), high) = (self.blocks.get(block), self.blocks.get(block + 1)) else {
            // Past the text: the last line starting at or before it.
            return self.search(0, self.starts.len(), offset);
        };
        // The line is at or after the block's first byte's, and at or before the next
        // block's first byte's.
        let high = high.map_or(self.starts.len(), |&high| high as usize + 1);
        self.search(low as usize, high, offset)
    }

    /// The last line in `from..to` starting at or before `offset` (`from` at least).
    fn search(&self, from: usize, to: usize, offset: u32) -> usize {
        let lines = self.starts.get(from..to).unwrap_or_default();
        (from + lines.partition_point(|&s| s <= offset))
            .saturating_sub(1)
            .max(from)
    }
}

impl Source {
    /// A source with a display name (a path as the user gave it) and its bytes.
    #[must_use]
    pub fn new(name: impl Into<String>, text: impl Into<SharedBytes>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            lines: OnceLock::new(),
            utf8: OnceLock::new(),
            streamed: false,
        }
    }

    /// A file read as a stream, of `len` bytes whose lines start at `starts`: it keeps
    /// no text.
    pub(crate) fn streamed(name: impl Into<String>, starts: Vec<u32>, len: u32) -> Self {
        Self {
            name: name.into(),
            text: SharedBytes::from(Vec::new()),
            lines: OnceLock::from(LineIndex::with_blocks(starts, len as usize)),
            utf8: OnceLock::new(),
            streamed: true,
        }
    }

    /// Whether the file was read as a stream ([`crate::Parser::streaming`]): it keeps
    /// its line starts but not its text, so [`Source::text`] is empty and columns count
    /// bytes.
    #[must_use]
    pub fn is_streamed(&self) -> bool {
        self.streamed
    }

    /// The display name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The bytes, exactly as read (none for a file read as a stream).
    #[must_use]
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// Whether the bytes are valid UTF-8: read once, the first time it is asked (a fix
    /// that copies written text into a file that is not UTF-8 may carry a U+FFFD that
    /// stands for bytes it could not read). True for a file read as a stream, which keeps
    /// no bytes to tell.
    #[must_use]
    pub fn is_utf8(&self) -> bool {
        *self
            .utf8
            .get_or_init(|| std::str::from_utf8(&self.text).is_ok())
    }

    /// The bytes, as shared (clone it for a handle of one's own).
    #[must_use]
    pub fn shared_text(&self) -> &SharedBytes {
        &self.text
    }

    fn line_starts(&self) -> &[u32] {
        &self.line_index().starts
    }

    fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Builds the line index now, on every core, if it is not built yet: for a caller
    /// about to ask for many lines of a large file (a report), so that the first of its
    /// tasks to ask does not build it on one core while the others wait (50 ms on an
    /// 87 MB file). It is built outside the index's `OnceLock`: a thread waiting there
    /// for rayon tasks could take up one that asks for the same lock, and never return.
    pub fn index_lines(&self) {
        if self.lines.get().is_none() {
            // Another thread may have set it meanwhile; this one is then dropped.
            let _ = self
                .lines
                .set(LineIndex::in_parts(&self.text, LINES_PER_TASK_BYTES));
        }
    }

    /// The 1-based line of `offset` (as [`Source::line_column`] gives it, without counting
    /// the column).
    #[must_use]
    pub fn line(&self, offset: u32) -> u32 {
        self.line_index_of(offset) as u32 + 1
    }

    /// The 0-based line of `offset`: the last line starting at or before it.
    fn line_index_of(&self, offset: u32) -> usize {
        self.line_index().line_of(offset)
    }

    /// The prefix of `offset`'s line before it, its 0-based line, and its length in
    /// bytes (the prefix is empty for a file read as a stream, which keeps no text).
    fn line_prefix(&self, offset: u32) -> (usize, &[u8], u32) {
        let line_index = self.line_index_of(offset);
        let line_start = self.line_starts().get(line_index).copied().unwrap_or(0);
        let end = (offset as usize).min(self.text.len());
        let prefix = self.text.get(line_start as usize..end).unwrap_or_default();
        (line_index, prefix, offset.saturating_sub(line_start))
    }

    /// The 1-based line and 1-based column of `offset`; columns count characters (Unicode
    /// scalar values, with each byte of an invalid UTF-8 sequence counting as one), or
    /// bytes in a file read as a stream.
    #[must_use]
    pub fn line_column(&self, offset: u32) -> (u32, u32) {
        let (line_index, prefix, bytes) = self.line_prefix(offset);
        let column = if self.streamed {
            bytes
        } else {
            count_chars(prefix) as u32
        };
        (line_index as u32 + 1, column + 1)
    }

    /// The 1-based line and the column counted in UTF-16 code units (0-based), as the
    /// Language Server Protocol wants (bytes in a file read as a stream).
    #[must_use]
    pub fn line_utf16(&self, offset: u32) -> (u32, u32) {
        let (line_index, prefix, bytes) = self.line_prefix(offset);
        if self.streamed {
            return (line_index as u32 + 1, bytes);
        }
        let units: usize = String::from_utf8_lossy(prefix)
            .chars()
            .map(char::len_utf16)
            .sum();
        (line_index as u32 + 1, units as u32)
    }

    /// The byte offset where 1-based `line` starts, if the file has that many lines.
    #[must_use]
    pub fn line_start(&self, line: u32) -> Option<u32> {
        self.line_starts()
            .get(line.checked_sub(1)? as usize)
            .copied()
    }
}

/// Counts characters the way columns are reported: valid UTF-8 scalars, plus one per
/// byte of any invalid sequence.
fn count_chars(bytes: &[u8]) -> usize {
    // Zone files are ASCII nearly always: one character a byte, checked a word at a time.
    if bytes.is_ascii() {
        return bytes.len();
    }
    let mut count = 0;
    for chunk in bytes.utf8_chunks() {
        count += chunk.valid().chars().count() + chunk.invalid().len();
    }
    count
}

/// Every source a parse touched, by [`SourceId`].
///
/// Ids start at a base the caller chooses, so that the maps of several zones linted
/// together never hand out the same id (diagnostics can then point into any of them).
#[derive(Debug, Default)]
pub struct SourceMap {
    base: u32,
    sources: Vec<Source>,
}

impl SourceMap {
    /// An empty map whose first id is 0.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map whose first id is `base`.
    #[must_use]
    pub fn with_base(base: u32) -> Self {
        Self {
            base,
            sources: Vec::new(),
        }
    }

    /// Adds a source and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<SharedBytes>) -> SourceId {
        let id = SourceId(self.base.saturating_add(self.sources.len() as u32));
        self.sources.push(Source::new(name, text));
        id
    }

    /// Puts `source` in the place of the source with this id, if it belongs to this map.
    pub(crate) fn replace(&mut self, id: SourceId, source: Source) {
        if let Some(slot) =
            id.0.checked_sub(self.base)
                .and_then(|index| self.sources.get_mut(index as usize))
        {
            *slot = source;
        }
    }

    /// The source with this id, if it belongs to this map.
    #[must_use]
    pub fn get(&self, id: SourceId) -> Option<&Source> {
        self.sources.get(id.0.checked_sub(self.base)? as usize)
    }

    /// Whether `id` belongs to this map.
    #[must_use]
    pub fn contains(&self, id: SourceId) -> bool {
        self.get(id).is_some()
    }

    /// The bytes a span covers (empty if the span is out of range).
    #[must_use]
    pub fn slice(&self, span: crate::Span) -> &[u8] {
        self.get(span.source)
            .and_then(|s| s.text().get(span.range()))
            .unwrap_or_default()
    }

    /// All sources with their ids.
    pub fn iter(&self) -> impl Iterator<Item = (SourceId, &Source)> {
        self.sources
            .iter()
            .enumerate()
            .map(|(i, s)| (SourceId(self.base.saturating_add(i as u32)), s))
    }

    /// Number of sources.
    #[must_use]
    pub fn len(&self) -> usize {
        self.sources.len()
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line of every offset, blocks or not, is the last line starting at or before
    /// it: lines of every length (one over several blocks, empty ones), every line end,
    /// offsets past the text.
    #[test]
    fn lines_by_block_agree_with_a_search_of_all_lines() {
        let mut text = Vec::new();
        let ends: [&[u8]; 3] = [b"\n", b"\r\n", b"\r"];
        for n in 0..700usize {
            let len = match n % 97 {
                0 => 9_000,
                1 | 2 => 0,
                k => k * 3,
            };
            text.extend(std::iter::repeat_n(b'x', len));
            text.extend_from_slice(ends[n % 3]);
        }
        let index = LineIndex::new(&text);
        assert!(index.blocks.len() > 20, "{} blocks", index.blocks.len());
        let len = u32::try_from(text.len()).unwrap();
        for offset in 0..len + 5_000 {
            let all = index
                .starts
                .partition_point(|&s| s <= offset)
                .saturating_sub(1);
            assert_eq!(index.line_of(offset), all, "offset {offset}");
        }
        let empty = LineIndex::new(b"");
        assert_eq!((empty.line_of(0), empty.line_of(9)), (0, 0));
        // Read in parts (of every small size, so that a CRLF is cut between two; 0 is
        // taken as 1), the
        // same lines.
        for part in [0, 1, 2, 3, 7, 4096, 9_001] {
            let parts = LineIndex::in_parts(&text, part);
            assert_eq!(parts.starts, index.starts, "parts of {part}");
            assert_eq!(parts.blocks, index.blocks, "parts of {part}");
        }
    }

    #[test]
    fn lines_indexed_ahead_on_every_core_are_the_lines_found_when_asked() {
        // Over 4 MiB, so that `index_lines` cuts it in parts; lines of every length.
        let mut text = Vec::new();
        let mut n = 0usize;
        while text.len() < (9 << 20) {
            text.extend(std::iter::repeat_n(b'x', n % 200));
            text.extend_from_slice(if n % 5 == 0 { b"\r\n" } else { b"\n" });
            n += 1;
        }
        let ahead = Source::new("a", text.clone());
        ahead.index_lines();
        let asked = Source::new("b", text.clone());
        let len = u32::try_from(text.len()).unwrap();
        for offset in (0..len).step_by(997).chain([len - 1, len, len + 3]) {
            assert_eq!(
                ahead.line_column(offset),
                asked.line_column(offset),
                "{offset}"
            );
        }
        // Asked again, nothing changes.
        ahead.index_lines();
        assert_eq!(ahead.line(len), asked.line(len));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let source = Source::new("t", Arc::from(&b"ab\n\xc3\xa9x\xffy\n"[..]));
        assert_eq!(source.line_column(0), (1, 1));
        assert_eq!(source.line_column(3), (2, 1));
        // "é" is two bytes, one character: "x" is column 2.
        assert_eq!(source.line_column(5), (2, 2));
        // An invalid byte counts as one column: "y" is column 4.
        assert_eq!(source.line_column(7), (2, 4));
        assert_eq!(source.line_utf16(5), (2, 1));
    }

    #[test]
    fn a_bare_carriage_return_ends_a_line_and_crlf_counts_once() {
        let source = Source::new("t", Arc::from(&b"a\rbb\r\ncc\ndd"[..]));
        assert_eq!(source.line_column(0), (1, 1));
        assert_eq!(source.line_column(2), (2, 1));
        assert_eq!(source.line_column(3), (2, 2));
        assert_eq!(source.line_column(6), (3, 1));
        assert_eq!(source.line_column(9), (4, 1));
        assert_eq!(source.line_start(3), Some(6));
        for offset in 0..=13 {
            assert_eq!(
                source.line(offset),
                source.line_column(offset).0,
                "{offset}"
            );
        }
    }

    #[test]
    fn iter_hands_out_the_ids_of_a_map_with_a_base() {
        // Regression: `iter` started at 0 whatever the base, so a rule reporting at the
        // first source of the second zone of a run pointed into the first zone's file.
        let mut map = SourceMap::with_base(1 << 16);
        let id = map.add("b", Arc::from(&b"x"[..]));
        assert_eq!(map.iter().map(|(id, _)| id).collect::<Vec<_>>(), [id]);
    }
}
