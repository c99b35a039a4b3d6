//! Line breaking of the `full` format's messages and help lines, fast for plain ASCII.
//!
//! miette wraps each message and help line with `textwrap::fill` (first fit, words at
//! spaces, long words broken, no hyphenation: the options `full` gives it). On a large
//! zone that is a third of the report's time: every word of every line has its display
//! width measured character by character, with Unicode tables and a look-out for escape
//! sequences, in several allocations. For printable ASCII text every character is one
//! column wide, and [`wrap_ascii`] breaks the lines where `textwrap::fill` does with a
//! single scan (the tests check it against textwrap itself); the report is then drawn by
//! a handler that does not wrap again. Anything else (other characters, a line that
//! would come out blank, whose indent miette trims only when it does not wrap) is left
//! to textwrap, as before.

/// The lines `textwrap::fill` makes of `text` (without their indents), joined by line
/// feeds, with the options `full` uses: `width` columns, the first line after an indent
/// `first_indent` columns wide and the others after one `rest_indent` wide. `None` when
/// `text` is not printable ASCII (and line feeds) or a line would come out empty.
pub(crate) fn wrap_ascii(
    text: &str,
    width: usize,
    first_indent: usize,
    rest_indent: usize,
) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 8);
    wrap_ascii_into(
        &mut out,
        &[text],
        width,
        ("", first_indent),
        ("", rest_indent),
    )
    .then_some(out)
}

/// [`wrap_ascii`] of the `texts` joined by line feeds, each line written to `out` behind
/// its indent (the first's text and columns, then the others'), as miette sets the lines
/// of a text it does not wrap: true when it did; false, with nothing appended, for text
/// that is not printable ASCII or a line that would come out empty.
pub(crate) fn wrap_ascii_into(
    out: &mut String,
    texts: &[&str],
    width: usize,
    first: (&str, usize),
    rest: (&str, usize),
) -> bool {
    let ascii = texts
        .iter()
        .all(|text| printable_ascii(text.as_bytes(), false));
    if !ascii && !texts.iter().all(|text| text.chars().all(narrow)) {
        return false;
    }
    let first_width = width.saturating_sub(first.1);
    let rest_width = width.saturating_sub(rest.1);
    let mark = out.len();
    let mut lines = Lines {
        out,
        first: first.0,
        rest: rest.0,
        count: 0,
        blank: false,
    };
    // textwrap wraps each line of the text apart; within one, its first wrapped line gets
    // the first indent's width (the indent itself is the first only for the text's first
    // line: textwrap's own quirk, kept).
    // (The line feeds are found with `memchr`, not `str::split`'s byte search: a
    // tenth of the wrapping's time went there.)
    for text in texts {
        let mut start = 0;
        for feed in memchr::memchr_iter(b'\n', text.as_bytes()) {
            let line = text.get(start..feed).unwrap_or_default();
            wrap_line(line, first_width, rest_width, ascii, &mut lines);
            start = feed + 1;
        }
        let last = text.get(start..).unwrap_or_default();
        wrap_line(last, first_width, rest_width, ascii, &mut lines);
    }
    if lines.blank {
        lines.out.truncate(mark);
        return false;
    }
    true
}

/// Whether every byte of `bytes` is printable ASCII (space to tilde) or a line feed, or
/// a tab when `tabs` is true.
///
/// Nearly every text passes, so every byte is tested: 32 at a time, folded into one
/// flag, which compiles to byte-wide vector code. (A count of the bad bytes into a
/// `usize`, as before, was widened to 64-bit lanes, two bytes a step: a twentieth of a
/// large report's drawing time.)
pub(crate) fn printable_ascii(bytes: &[u8], tabs: bool) -> bool {
    let allowed =
        |byte: u8| (b' '..=b'~').contains(&byte) || byte == b'\n' || (tabs && byte == b'\t');
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        if !chunk.iter().fold(true, |all, &byte| all & allowed(byte)) {
            return false;
        }
    }
    chunks.remainder().iter().all(|&byte| allowed(byte))
}

/// The characters beyond ASCII that the findings' texts use (`§`, `…`, `→`, …), each one
/// column wide as textwrap measures them (a test checks it), so that text with them is
/// wrapped here too; with any other, textwrap wraps it.
const NARROW: &[char] = &[
    '§', '…', '–', '—', '→', '←', '≥', '≤', '≠', '−', '×', '°', '·', '“', '”', '‘', '’', 'ä', 'ö',
    'ü', 'ß', 'é',
];

/// Whether `c` may be in text [`wrap_ascii_into`] wraps: printable ASCII, a line feed or
/// one of [`NARROW`].
fn narrow(c: char) -> bool {
    c == '\n' || (' '..='~').contains(&c) || NARROW.contains(&c)
}

/// The columns of `bytes` (UTF-8 of [`narrow`] characters, each one column): the bytes
/// that start a character.
fn columns(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

/// The wrapped lines, written behind their indents as they are made.
struct Lines<'o> {
    out: &'o mut String,
    first: &'o str,
    rest: &'o str,
    count: usize,
    /// Whether a line came out empty.
    blank: bool,
}

impl Lines<'_> {
    fn push(&mut self, line: &str) {
        if self.count > 0 {
            self.out.push('\n');
            self.out.push_str(self.rest);
        } else {
            self.out.push_str(self.first);
        }
        self.out.push_str(line);
        self.count += 1;
        self.blank |= line.is_empty();
    }
}

/// `textwrap::wrap_single_line` for one line of printable ASCII, first fit in one pass:
/// each word (with the spaces after it) goes to a new line when it does not fit on the
/// current one. As in textwrap, an empty word stands in front of the first (under a
/// first indent, so that the first word can move to the second line; the empty line it
/// then leaves makes [`wrap_ascii`] give the text to textwrap), and a word wider than
/// the lines after the first is broken into pieces that wide.
///
/// In ASCII text a line's words are not looked at one by one: every column is a byte,
/// so the words that fit are those that end by the line's last column, and the line
/// breaks at the word that holds (or follows) that column ([`Cursor::skip_fitting`]).
/// Only that word is measured, as every word is in other text.
fn wrap_line(
    line: &str,
    first_width: usize,
    rest_width: usize,
    ascii: bool,
    lines: &mut Lines<'_>,
) {
    let bytes = line.as_bytes();
    let mut cursor = Cursor {
        widths: (first_width, rest_width),
        line_start: 0,
        line_end: 0,
        used: 0,
        wrapped: false,
    };
    // Columns of a word: its bytes in ASCII text, else the characters they start.
    let width_of = |start: usize, end: usize| {
        if ascii {
            end - start
        } else {
            bytes.get(start..end).map_or(0, columns)
        }
    };
    let mut at = 0;
    while at < bytes.len() {
        if ascii {
            at = cursor.skip_fitting(bytes, at);
            if at >= bytes.len() {
                break;
            }
        }
        let start = at;
        at += bytes
            .get(at..)
            .map_or(0, |rest| rest.iter().take_while(|&&b| b != b' ').count());
        let end = at;
        at += bytes
            .get(at..)
            .map_or(0, |rest| rest.iter().take_while(|&&b| b == b' ').count());
        let spaces = at - end;
        let width = width_of(start, end);
        if width > rest_width {
            // `Word::break_apart`: pieces as wide as fit (one character at least), the
            // spaces going with the last.
            let piece = rest_width.max(1);
            let (mut from, mut left) = (start, width);
            while left > piece {
                let to = line
                    .get(from..end)
                    .and_then(|word| word.char_indices().nth(piece))
                    .map_or(end, |(offset, _)| from + offset);
                cursor.place(line, (from, to), piece, 0, lines);
                from = to;
                left -= piece;
            }
            cursor.place(line, (from, end), left, spaces, lines);
        } else {
            cursor.place(line, (start, end), width, spaces, lines);
        }
    }
    lines.push(
        line.get(cursor.line_start..cursor.line_end)
            .unwrap_or_default(),
    );
}

/// Where [`wrap_line`] is in its line.
struct Cursor {
    /// The columns of the first wrapped line and of the others.
    widths: (usize, usize),
    /// Where the current line's first word starts, and where its last word ends (the
    /// spaces after it excluded).
    line_start: usize,
    line_end: usize,
    /// The columns the current line's words and their spaces take.
    used: usize,
    /// Whether a line was pushed (the current one is not the first).
    wrapped: bool,
}

impl Cursor {
    /// The columns the current line may take.
    fn room(&self) -> usize {
        if self.wrapped {
            self.widths.1
        } else {
            self.widths.0
        }
    }

    /// Puts the word (or piece) at `start..end`, `width` columns with `spaces` after it,
    /// on the current line, or first pushes that line and starts the next with it. (The
    /// line always holds a word already: the empty one, at first.)
    fn place(
        &mut self,
        line: &str,
        (start, end): (usize, usize),
        width: usize,
        spaces: usize,
        lines: &mut Lines<'_>,
    ) {
        if self.used + width > self.room() {
            lines.push(line.get(self.line_start..self.line_end).unwrap_or_default());
            self.wrapped = true;
            self.line_start = start;
            self.used = 0;
        }
        self.used += width + spaces;
        self.line_end = end;
    }

    /// Places, at once, the words of ASCII `bytes` from `at` (where a word, or the
    /// line's leading spaces, start) that [`Self::place`] would put on the current line
    /// one by one, and returns where the first word left starts (the length of `bytes`
    /// when none is). A word fits when it ends by the line's last column (`used` is
    /// always `at - line_start`, the columns being bytes). One that fits and is wider
    /// than the lines after the first (on a first line wider than those) would be
    /// broken apart, but its pieces would all go on this line, one after the other, as
    /// the whole word does.
    fn skip_fitting(&mut self, bytes: &[u8], at: usize) -> usize {
        let limit = self.line_start + self.room();
        if limit < at {
            return at;
        }
        let stop = match bytes.get(limit) {
            None => bytes.len(),
            // The word before the column ends by it; the next, after these spaces, does not.
            Some(b' ') => {
                limit
                    + bytes
                        .get(limit..)
                        .map_or(0, |rest| rest.iter().take_while(|&&b| b == b' ').count())
            }
            // The word holding the column ends after it: it starts after the last space.
            Some(_) => bytes
                .get(at..limit)
                .and_then(|fitting| memchr::memrchr(b' ', fitting))
                .map_or(at, |space| at + space + 1),
        };
        // The last word placed ends where the spaces before `stop` start (no word, when
        // only the line's leading spaces are: the empty word's end stays).
        let words = bytes.get(at..stop).unwrap_or_default();
        if let Some(last) = words.iter().rposition(|&b| b != b' ') {
            self.line_end = at + last + 1;
        }
        self.used = stop - self.line_start;
        stop
    }
}

#[cfg(test)]
mod tests {
    use super::{wrap_ascii, wrap_ascii_into};

    /// What textwrap (through miette's options) makes of `text`, indents included.
    fn textwrap_fill(text: &str, width: usize, first: &str, rest: &str) -> String {
        let options = textwrap::Options::new(width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        textwrap::fill(text, options)
    }

    /// What `full` makes of `text` on the fast path, written behind the indents.
    fn fast_fill(text: &str, width: usize, first: &str, rest: &str) -> Option<String> {
        let indent = |indent| (indent, textwrap::core::display_width(indent));
        let mut out = String::from("kept");
        let wrapped = wrap_ascii_into(&mut out, &[text], width, indent(first), indent(rest));
        if !wrapped {
            assert_eq!(out, "kept", "nothing is written when it cannot wrap");
            return None;
        }
        // `wrap_ascii` gives the same lines, joined without their indents.
        let lines = wrap_ascii(text, width, indent(first).1, indent(rest).1)?;
        let mut indented = String::from("kept");
        for (index, line) in lines.split('\n').enumerate() {
            if index > 0 {
                indented.push('\n');
            }
            indented.push_str(if index == 0 { first } else { rest });
            indented.push_str(line);
        }
        assert_eq!(out, indented);
        out.strip_prefix("kept").map(String::from)
    }

    fn check(text: &str, width: usize, first: &str, rest: &str) -> bool {
        match fast_fill(text, width, first, rest) {
            Some(fast) => {
                assert_eq!(
                    fast,
                    textwrap_fill(text, width, first, rest),
                    "{text:?} at width {width}"
                );
                true
            }
            None => false,
        }
    }

    #[test]
    fn breaks_lines_where_textwrap_does() {
        let message = "mx1.example.net. exists but publishes no SPF record, so receivers cannot tell that mail from it is forged";
        let help = "Add `ns1 IN TXT \"v=spf1 -all\"` if it sends no mail, or declare it in `senders` and publish what it authorizes\nsafe fix available: Add `ns1 TXT \"v=spf1 -all\"` (sends no mail)";
        for width in [20, 40, 78, 98, 100, 200] {
            assert!(check(message, width, "  × ", "  │ "));
            assert!(check(help, width, "  help: ", "        "));
        }
        // Texts given apart are wrapped as if joined by a line feed.
        let (first, rest) = (("  help: ", 8), ("        ", 8));
        let (mut apart, mut joined) = (String::new(), String::new());
        let (help_line, fix_line) = help.split_once('\n').unwrap_or_default();
        assert!(wrap_ascii_into(
            &mut apart,
            &[help_line, fix_line],
            60,
            first,
            rest
        ));
        assert!(wrap_ascii_into(&mut joined, &[help], 60, first, rest));
        assert_eq!(apart, joined);
        // A word longer than a line is broken at the line's width.
        let long = "v=DKIM1;p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA457wpf7BKrbv4GNLelNndKRE37MjtW5SXjUaf6sOSXk and more";
        for width in [10, 30, 60] {
            assert!(check(long, width, "  × ", "  │ "));
        }
    }

    /// A small deterministic generator (xorshift, no dependency): each call a number
    /// below its bound.
    fn generator(seed: u64) -> impl FnMut(u64) -> u64 {
        let mut state = seed;
        move |bound| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        }
    }

    #[test]
    fn agrees_with_textwrap_on_generated_text() {
        // Words of 0 to 14 characters, separated by 1 to 3 spaces, sometimes led or
        // followed by spaces, with line feeds; every width from 1 to 60; the two indent
        // shapes `full` uses.
        let mut next = generator(0x2545_f491_4f6c_dd1d);
        let mut compared = 0;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(12) {
                match next(20) {
                    0 => text.push('\n'),
                    1 => text.push_str("  "),
                    _ => {}
                }
                for _ in 0..next(15) {
                    // Now and then one of the narrow characters beyond ASCII.
                    match next(12) {
                        0 => text.push(super::NARROW[next(super::NARROW.len() as u64) as usize]),
                        _ => text.push(char::from(b'a' + next(26) as u8)),
                    }
                }
                for _ in 0..=next(3) {
                    text.push(' ');
                }
            }
            let width = next(60) as usize + 1;
            for (first, rest) in [("  × ", "  │ "), ("  help: ", "        ")] {
                compared += usize::from(check(&text, width, first, rest));
            }
        }
        // Most texts take the fast path; the rest (an empty line) are textwrap's.
        assert!(compared > 3000, "only {compared} compared");
    }

    /// ASCII text takes the jump over the words that fit (`Cursor::skip_fitting`): words
    /// of every length up to wider than a line, runs of spaces, leading and trailing
    /// spaces, at every width, under indents as wide as each other and under a first
    /// indent narrower and wider than the rest.
    #[test]
    fn jumps_over_fitting_words_where_textwrap_breaks() {
        let mut next = generator(0x9e37_79b9_7f4a_7c15);
        let shapes = [
            ("  × ", "  │ "),
            ("  help: ", "        "),
            ("- ", "          "),
            ("            ", "  "),
        ];
        let mut compared = 0;
        for _ in 0..4000 {
            let mut text = String::new();
            if next(8) == 0 {
                text.push_str("   ");
            }
            for _ in 0..=next(30) {
                // Mostly short words, now and then one longer than most lines.
                let length = if next(10) == 0 { next(70) } else { next(9) + 1 };
                for _ in 0..length {
                    text.push(char::from(b'a' + next(26) as u8));
                }
                for _ in 0..=next(3) / 2 {
                    text.push(' ');
                }
                if next(40) == 0 {
                    text.push('\n');
                }
            }
            let width = next(90) as usize + 1;
            for (first, rest) in shapes {
                compared += usize::from(check(&text, width, first, rest));
            }
        }
        assert!(compared > 8000, "only {compared} compared");
    }

    /// The narrow characters are one column wide for textwrap as well.
    #[test]
    fn narrow_characters_take_one_column() {
        for &c in super::NARROW {
            assert_eq!(textwrap::core::display_width(&c.to_string()), 1, "{c}");
        }
        let help = "publish `www IN TXT \"v=spf1 a -all\"` so it may send bounces as itself (RFC 7208 §10.1.3) → or `v=spf1 -all`…";
        for width in [10, 20, 40, 78, 98] {
            assert!(check(help, width, "  help: ", "        "));
        }
    }

    #[test]
    fn leaves_other_text_to_textwrap() {
        assert!(wrap_ascii("caf\u{e8} ouvert", 80, 4, 4).is_none());
        assert!(wrap_ascii("\u{4e2d}\u{6587} wide", 80, 4, 4).is_none());
        assert!(wrap_ascii("a\tb", 80, 4, 4).is_none());
        assert!(wrap_ascii("\u{1b}[1mbold\u{1b}[0m", 80, 4, 4).is_none());
        // A blank line: textwrap keeps its indent whole, miette's unwrapped text trims it.
        assert!(wrap_ascii("first\n\nthird", 80, 4, 4).is_none());
        assert!(wrap_ascii("", 80, 4, 4).is_none());
    }
}
