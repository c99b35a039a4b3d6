//! Byte offsets to LSP positions and back.
//!
//! The protocol counts lines split at `\n`, `\r\n` or a bare `\r`, and columns in UTF-16
//! code units (the only encoding every client supports). Spans are byte offsets, so each
//! open document keeps an index of its line starts. `zonelint_zone::Source::line_utf16`
//! is not used here: its lines end only at `\n` (a bare `\r` would put every later
//! diagnostic on the wrong line), and an offset inside a `\r\n` would land past the
//! end of the line's text.

use lsp_types::Position;

/// Where each line of a text starts and where its content ends (before its terminator).
#[derive(Debug)]
pub struct LineIndex {
    /// `(start, content_end)` of each line, in bytes; never empty.
    lines: Vec<(usize, usize)>,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    #[must_use]
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut start = 0;
        let mut at = 0;
        while let Some(&byte) = bytes.get(at) {
            match byte {
                b'\n' => {
                    lines.push((start, at));
                    at += 1;
                    start = at;
                }
                b'\r' => {
                    lines.push((start, at));
                    at += if bytes.get(at + 1) == Some(&b'\n') {
                        2
                    } else {
                        1
                    };
                    start = at;
                }
                _ => at += 1,
            }
        }
        lines.push((start, bytes.len()));
        Self { lines }
    }

    /// The position of byte `offset` of `text` (the text this index was built from).
    /// An offset past the end is the end; one inside a character or a line terminator
    /// moves back to the nearest position before it.
    #[must_use]
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self
            .lines
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        let (start, content_end) = self.lines.get(line).copied().unwrap_or((0, 0));
        let end = offset.min(content_end).max(start);
        let character = text.get(start..end).map_or(0, utf16_length);
        Position::new(to_u32(line), to_u32(character))
    }

    /// The byte offset of `position` in `text`. A line past the end is the end of the
    /// text; a column past the end of its line is the end of the line's content; a column
    /// in the middle of a surrogate pair is the character's start.
    #[must_use]
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&(start, content_end)) = self.lines.get(position.line as usize) else {
            return text.len();
        };
        let wanted = position.character as usize;
        let mut units = 0;
        let content = text.get(start..content_end).unwrap_or_default();
        for (index, character) in content.char_indices() {
            units += character.len_utf16();
            if units > wanted {
                return start + index;
            }
        }
        content_end
    }

    /// The byte offset where the content of the line holding `offset` ends.
    #[must_use]
    pub fn line_content_end(&self, offset: usize) -> usize {
        let line = self
            .lines
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        self.lines.get(line).map_or(0, |&(_, end)| end)
    }
}

/// The length of `text` in UTF-16 code units.
fn utf16_length(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// A count as the protocol's `u32`; a document of 4 GiB is not one the parser reads.
fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str, offset: usize, line: u32, character: u32) {
        let index = LineIndex::new(text);
        assert_eq!(
            index.position(text, offset),
            Position::new(line, character),
            "offset {offset} of {text:?}"
        );
        assert_eq!(index.offset(text, Position::new(line, character)), offset);
    }

    #[test]
    fn columns_are_utf16_code_units() {
        // "é" is 2 bytes and 1 unit; "☕" 3 bytes and 1 unit; "😀" 4 bytes and 2 units.
        let text = "; café ☕ 😀 x\nwww";
        round_trip(text, text.find('x').unwrap(), 0, 12);
        round_trip(text, text.find("www").unwrap(), 1, 0);
        round_trip(text, text.len(), 1, 3);
    }

    #[test]
    fn every_line_terminator_ends_a_line() {
        let text = "a\r\nb\rc\nd";
        round_trip(text, 3, 1, 0);
        round_trip(text, 5, 2, 0);
        round_trip(text, 7, 3, 0);
        // Inside `\r\n`: the end of the line's text, not a column past it.
        assert_eq!(LineIndex::new(text).position(text, 2), Position::new(0, 1));
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "ab\n😀c";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 99), Position::new(1, 3));
        // Inside the emoji's bytes: its start.
        assert_eq!(index.position(text, 4), Position::new(1, 0));
        assert_eq!(index.offset(text, Position::new(0, 99)), 2);
        assert_eq!(index.offset(text, Position::new(7, 0)), text.len());
        // Between the two surrogates: the emoji's start.
        assert_eq!(index.offset(text, Position::new(1, 1)), 3);
        assert_eq!(index.line_content_end(0), 2);
    }
}
